#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench-trace`: the cost of the rmach tracepoints, as the
# mean call round trip of trace-workload (CALLS calls; median of RUNS rounds):
#   the module built with -DNOTRACE      vs   tracepoints built in, nothing
#   attached                                  vs   rmach-trace attached
# Each round runs every configuration once (swapping modules), so slow drift
# of a busy host falls on all of them alike. Client and server share CPU 0:
# a cross-CPU wake-up in a TCG guest costs milliseconds of host noise.
#
#   trace-bench.sh TRACED-KO NOTRACE-KO WORKLOAD RMACH-TRACE [CALLS [RUNS]]
set -u
traced_ko=$1 notrace_ko=$2 workload=$3 tool=$4
calls=${5:-20000}
runs=${6:-9}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT

load() { rmmod rmach 2>/dev/null; insmod "$1" || exit 1; }
one() { # FILE COMMAND-PREFIX...: appends one run's ns_per_call
	f=$1; shift
	"$@" taskset -c 0 "$workload" "$calls" 64 |
		sed -n 's/^calls=[0-9]* ns_per_call=\([0-9]*\)$/\1/p' >>"$res/$f"
}
median() { sort -n "$res/$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

i=0
while [ $i -lt "$runs" ]; do
	load "$notrace_ko"
	one none env
	load "$traced_ko"
	one off env
	one on "$tool" --
	i=$((i + 1))
done
none=$(median none) off=$(median off) on=$(median on)
echo "rmach tracepoints: mean call round trip, $calls calls, median of $runs rounds (ns)"
printf '%-44s %8s\n' "module built without tracepoints (NOTRACE)" "$none"
printf '%-44s %8s\n' "tracepoints built in, nothing attached" "$off"
printf '%-44s %8s\n' "rmach-trace attached" "$on"
echo "spread (min-max) of the runs, ns:"
for f in none off on; do
	sort -n "$res/$f" | awk -v f=$f 'NR == 1 { lo = $1 } { hi = $1 } END { printf "  %-4s %s-%s\n", f, lo, hi }'
done
awk -v n="$none" -v o="$off" -v a="$on" 'BEGIN {
	printf "ratio built-in/none %.3f, attached/built-in %.3f\n", o / n, a / o }'
