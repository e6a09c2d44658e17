#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Guest test: each tools/bpftrace script watches trace-workload (N calls, one
# right transfer, one dead-name notification; see trace-workload.c) and its
# output must count exactly that flow. Prints TAP. Needs root and the module.
#
#   bpftrace-scripts.sh WORKLOAD
N=20
BODY=64
HDR=24	# sizeof(struct rmach_msg_header)
workload=${1:?usage: bpftrace-scripts.sh WORKLOAD}
top=$(cd "$(dirname "$0")/../.." && pwd)
bt=$top/tools/bpftrace
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

# run SCRIPT: the output in $out/SCRIPT; sets client and server pids.
run() {
	timeout 120 bpftrace "$bt/$1.bt" -c "$workload $N $BODY" \
		>"$out/$1" 2>&1
	set -- $(sed -n 's/^client=\([0-9]*\) server=\([0-9]*\)$/\1 \2/p' \
		"$out/$1")
	client=${1:-none}
	server=${2:-none}
}

# count FILE AWK-CONDITION: lines matching.
count() { awk "$2 { n++ } END { print n + 0 }" "$1"; }

echo "1..12"

run msgflow
f=$out/msgflow
check "msgflow: $N requests client -> server, $((HDR + BODY)) bytes" "$f" \
	test "$(count "$f" "\$1 == \"rmt-client\" && \$2 == $client && \
		\$4 == \"rmt-server\" && \$5 == $server && \$7 == 1000 && \
		\$8 == $((HDR + BODY)) && \$9 == 0")" = $N
check "msgflow: $N replies server -> client" "$f" \
	test "$(count "$f" "\$1 == \"rmt-server\" && \$4 == \"rmt-client\" && \
		\$7 == 2000 && \$8 == $HDR")" = $N
check "msgflow: one message with one right" "$f" \
	test "$(count "$f" "\$1 == \"rmt-client\" && \$7 == 3000 && \$9 == 1")" = 1
check "msgflow: one dead-name notification from the kernel" "$f" \
	test "$(count "$f" "\$1 == \"kernel\" && \$2 == 0 && \
		\$4 == \"rmt-server\" && \$7 == 72")" = 1
check "msgflow: nothing else" "$f" \
	test "$(count "$f" "\$3 == \"->\"")" = $((2 * N + 3))

run rights
f=$out/rights
check "rights: the make-send right goes client -> server as a send right" \
	"$f" test "$(count "$f" "\$0 ~ /^rmt-client\\($client\\) name=0x[0-9a-f]+ disp=20 -> rmt-server\\($server\\) name=0x[0-9a-f]+ disp=17 id=3000\$/")" = 1
check "rights: one dead-name notification to the server" "$f" \
	test "$(count "$f" "\$0 ~ /^notification kind=72 port=0x[0-9a-f]+ -> rmt-server\\($server\\)\$/")" = 1
check "rights: no other transfer" "$f" test "$(count "$f" "/ -> /")" = 2

run top
f=$out/top
# Per-second lines summed: "@sent[rmt-client, PID]: COUNT".
total() { awk -F': ' -v k="$2" '$1 == k { n += $2 } END { print n + 0 }' "$1"; }
check "top: client sent $((N + 1)), server $((N + 1))" "$f" test \
	"$(total "$f" "@sent[rmt-client, $client]") $(total "$f" "@sent[rmt-server, $server]")" = "$((N + 1)) $((N + 1))"
check "top: server received $((N + 2)), client $((N + 1))" "$f" test \
	"$(total "$f" "@received[rmt-server, $server]") $(total "$f" "@received[rmt-client, $client]")" = "$((N + 2)) $((N + 1))"

run latency
f=$out/latency
msgs() { awk -F': ' -v c="@msgs[$2," 'index($1, c) == 1 { n += $2 } END { print n + 0 }' "$1"; }
check "latency: $((N + 2)) dequeued by the server, $((N + 1)) by the client" \
	"$f" test "$(msgs "$f" rmt-server) $(msgs "$f" rmt-client)" = \
	"$((N + 2)) $((N + 1))"
check "latency: a histogram per receiving port" "$f" \
	test "$(grep -c '^@wait_us\[' "$f")" = 3
exit $failed
