#!/bin/sh
# Guest test (GUEST_TESTS): every transport of rmach-bench delivers the right
# bytes, in TAP. Runs inside the guest, from any directory.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=${BUILD:-$top/build}/bin/rmach-bench
. "$top/tools/bench/guest-setup.sh"
"$bench" --quick --selftest
rc=$?
[ "$BENCH_LOADED_BINDER" = 0 ] || rmmod binder_linux 2>/dev/null
exit $rc
