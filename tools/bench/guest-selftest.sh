#!/bin/sh
# Guest test (GUEST_TESTS): every transport of rmach-bench delivers the right
# bytes, in TAP. Runs in the repo root inside the guest.
set -u
bench=${BUILD:-build}/bin/rmach-bench
. tools/bench/guest-setup.sh
"$bench" --quick --selftest
rc=$?
[ "$BENCH_LOADED_BINDER" = 0 ] || rmmod binder_linux 2>/dev/null
exit $rc
