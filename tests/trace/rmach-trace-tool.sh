#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test: rmach-trace watches trace-workload (N calls, one right
# transfer, one dead-name notification; see trace-workload.c); its lines,
# filters, JSON and histogram must count exactly that flow. Prints TAP.
#
#   rmach-trace-tool.sh RMACH-TRACE WORKLOAD
N=20
BODY=64
HDR=24	# sizeof(struct rmach_msg_header)
tool=${1:?usage: rmach-trace-tool.sh RMACH-TRACE WORKLOAD}
workload=${2:?usage: rmach-trace-tool.sh RMACH-TRACE WORKLOAD}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
t=0
failed=0

ok() { t=$((t + 1)); echo "ok $t - $1"; }
not_ok() { t=$((t + 1)); failed=1; echo "not ok $t - $1"; tail -n 30 "$2" | sed 's/^/# /'; }
check() { # description, file, command...
	d=$1; f=$2; shift 2
	if "$@"; then ok "$d"; else not_ok "$d" "$f"; fi
}
# run NAME OPTIONS...: output in $out/NAME; sets client and server.
run() {
	name=$1; shift
	timeout 120 "$tool" "$@" -- "$workload" $N $BODY >"$out/$name" 2>&1
	echo "exit=$?" >>"$out/$name"
	set -- $(sed -n 's/^client=\([0-9]*\) server=\([0-9]*\)$/\1 \2/p' \
		"$out/$name")
	client=${1:-none}
	server=${2:-none}
}
count() { awk "$2 { n++ } END { print n + 0 }" "$1"; }

echo "1..8"

run text
f=$out/text
check "text: $N requests client -> server with their size" "$f" \
	test "$(count "$f" "\$1 == \"rmt-client\" && \$2 == $client && \
		\$4 == \"rmt-server\" && \$5 == $server && \$7 == \"id=1000\" && \
		\$8 == \"size=$((HDR + BODY))\" && \$9 == \"rights=0\"")" = $N
check "text: $N replies, one right, one go-ahead, one dead-name" "$f" \
	test "$(count "$f" "\$7 == \"id=2000\"") $(count "$f" "\$7 == \"id=3000\" && \$9 == \"rights=1\"") $(count "$f" "\$7 == \"id=4000\"") $(count "$f" "\$1 == \"kernel\" && \$7 == \"id=72\"")" = "$N 1 1 1"
check "text: the wait histogram counts every message" "$f" \
	test "$(awk '/^\[/ { n += $4 } END { print n + 0 }' "$f")" = $((2 * N + 3))

run json --json
f=$out/json
check "json: one object per message" "$f" \
	test "$(grep -c '^{"event":"msg",' "$f")" = $((2 * N + 3))
check "json: the right transfer's fields" "$f" \
	test "$(grep -c "^{\"event\":\"msg\",\"sender_pid\":$client,\"sender_comm\":\"rmt-client\",\"receiver_pid\":$server,\"receiver_comm\":\"rmt-server\",\"port\":[0-9]*,\"id\":3000,\"size\":$((HDR + 8)),\"nrights\":1,\"wait_ns\":[0-9]*}\$" "$f")" = 1
check "json: the histogram object" "$f" \
	grep -q '^{"event":"wait_hist","unit":"us","log2_buckets":\[[0-9,]*\]}$' "$f"

run id --id 2000
f=$out/id
check "--id 2000: only the $N replies" "$f" \
	test "$(count "$f" "\$3 == \"->\"") $(count "$f" "\$7 == \"id=2000\"")" = "$N $N"

# The server's pid is known only once it runs: filter on a pid no one has.
run pid --pid 1
f=$out/pid
check "--pid 1: nothing, while the workload ran to its end" "$f" \
	test "$(count "$f" "\$3 == \"->\"") $(tail -n 1 "$f")" = "0 exit=0"
exit $failed
