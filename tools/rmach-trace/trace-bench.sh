#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest side of `make bench-trace`: the cost of the rmach tracepoints, as the
# mean call round trip of trace-workload (CALLS calls, RUNS runs, median):
#   traced module, nothing attached    vs   the module built with -DNOTRACE
#   traced module, rmach-trace attached
# Runs with the traced module loaded; swaps in the other one for its turn.
# Client and server share CPU 0: a cross-CPU wake-up in a TCG guest costs
# milliseconds of host scheduling noise that would drown the tracepoints.
#
#   trace-bench.sh NOTRACE-KO WORKLOAD RMACH-TRACE [CALLS [RUNS]]
set -u
notrace_ko=$1 workload=$2 tool=$3
calls=${4:-20000}
runs=${5:-7}

# median of the runs' ns_per_call, with the given command prefix
measure() {
	i=0
	while [ $i -lt "$runs" ]; do
		"$@" taskset -c 0 "$workload" "$calls" 64 |
			sed -n 's/^calls=[0-9]* ns_per_call=\([0-9]*\)$/\1/p'
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
attached() { "$tool" -- "$@" | grep '^calls='; }

off=$(measure env)
on=$(measure attached)
rmmod rmach && insmod "$notrace_ko" || exit 1
none=$(measure env)
rmmod rmach && insmod "$notrace_ko" || exit 1
none2=$(measure env)
echo "rmach tracepoints: mean call round trip, $calls calls, median of $runs runs (ns)"
printf '%-44s %8s\n' "module built without tracepoints (NOTRACE)" "$none"
printf '%-44s %8s\n' "  again (noise between two equal runs)" "$none2"
printf '%-44s %8s\n' "tracepoints built in, nothing attached" "$off"
printf '%-44s %8s\n' "rmach-trace attached" "$on"
awk -v n="$none" -v n2="$none2" -v o="$off" -v a="$on" 'BEGIN {
	printf "ratio built-in/none %.3f, noise %.3f, attached/built-in %.3f\n",
		o / n, n2 / n, a / o }'
