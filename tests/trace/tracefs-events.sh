#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test: every rmach event trace-workload must cause appears in tracefs
# exactly as often as the workload does it (see trace-workload.c). Prints TAP.
#
#   tracefs-events.sh WORKLOAD
N=20
workload=${1:?usage: tracefs-events.sh WORKLOAD}
tr=/sys/kernel/tracing
[ -d $tr/events/rmach ] || tr=/sys/kernel/debug/tracing
out=$(mktemp)
trap 'echo 0 > $tr/events/rmach/enable; echo 1 > $tr/tracing_on; rm -f "$out"' EXIT
t=0
failed=0

echo "1..9"
echo 0 > $tr/tracing_on
echo > $tr/trace
echo 1 > $tr/events/rmach/enable
echo 1 > $tr/tracing_on
"$workload" $N 64 > /dev/null
rc=$?
echo 0 > $tr/tracing_on
cat $tr/trace > "$out"

# expect EVENT COUNT WHY [PATTERN]
expect() {
	n=$(grep -c " rmach_$1: ${4:-}" "$out")
	t=$((t + 1))
	if [ "$n" = "$2" ]; then
		echo "ok $t - $1: $2 ($3)"
	else
		failed=1
		echo "not ok $t - $1: $n, expected $2 ($3)"
		grep " rmach_$1: " "$out" | head -n 10 | sed 's/^/# /'
	fi
}

t=$((t + 1))
if [ $rc = 0 ]; then echo "ok $t - the workload ran"; else failed=1; echo "not ok $t - the workload failed: $rc"; fi
expect port_create 4 "service, notify, reply and gift ports"
expect right_insert 2 "send rights to the service and gift ports"
expect msg_send $((2 * N + 2)) "calls, replies, transfer, go-ahead; no process sends the notification"
expect msg_enqueue $((2 * N + 2)) "every send succeeded"
expect msg_receive $((2 * N + 3)) "all of them and the dead-name notification" ".* err=0 "
expect right_transfer 2 "the send right, sent and received" ".* index=0 "
expect notification 1 "one dead-name" ".* kind=dead-name"
expect port_destroy 1 "the client destroys the gift port"
exit $failed
