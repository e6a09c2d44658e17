#!/bin/sh
# Runs rmach-bench inside the guest for `make bench`.
#   guest-bench.sh BENCH OUTDIR [rmach-bench options...]
# Writes OUTDIR/rmach-bench.{txt,json,csv}; progress goes to stderr.
set -eu
bench=$1 out=$2
shift 2
. "$(dirname "$0")/guest-setup.sh"
echo "guest: $(uname -r), $(nproc) CPUs, binder: $([ -e /dev/binder ] && echo yes || echo no)," \
	"rmach: $([ -e /dev/rmach ] && echo yes || echo no)" >"$out/rmach-bench.txt"
"$bench" --json="$out/rmach-bench.json" --csv="$out/rmach-bench.csv" "$@" \
	>>"$out/rmach-bench.txt"
