#!/bin/sh
# Guest test (TAP) of rmach-vm's kernel bridge: VM processes in different OS
# processes, and a libmach C program, talk through /dev/rmach.
#   1-2  an rmach-vm server and an rmach-vm client (request/reply x3)
#   3    an rmach-vm client against libmach's echo-server
#   4    --no-kernel-ports: the same client finds nothing outside
#   5    a port inside the data crosses: the server answers on it
#
#   kernel_bridge.sh [RMACH_VM [ECHO_SERVER]]   (default: the build's)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
vm=${1:-$top/build/bin/rmach-vm}
echo_server=${2:-$top/build/libmach/examples/echo-server}
dir=$top/tests/vmrt/kbridge
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..5"

# check N NAME FILE EXPECTED: ok when FILE is exactly EXPECTED.
check() {
	if cmp -s "$3" "$4"; then
		echo "ok $1 - $2"
	else
		echo "not ok $1 - $2"
		diff "$4" "$3" | sed 's/^/# /'
	fi
}

timeout 60 "$vm" run "$dir/server.rasm" >"$tmp/server.out" 2>"$tmp/server.err" &
server=$!
timeout 60 "$vm" run "$dir/client.rasm" >"$tmp/client.out" 2>"$tmp/client.err"
echo "# client status $?"
wait "$server"
echo "# server status $?"
sed 's/^/# server: /' "$tmp/server.err"
sed 's/^/# client: /' "$tmp/client.err"
check 1 "rmach-vm server answers another rmach-vm process" \
	"$tmp/server.out" "$dir/server.out"
check 2 "rmach-vm client gets the answers" "$tmp/client.out" "$dir/client.out"

timeout 60 "$echo_server" -n 3 -k vm.kb.cecho >"$tmp/echo.out" 2>&1 &
server=$!
timeout 60 "$vm" run --kernel-ports "$dir/c_echo_client.rasm" \
	>"$tmp/cclient.out" 2>"$tmp/cclient.err"
echo "# client status $?"
wait "$server"
echo "# echo-server status $?"
sed 's/^/# echo-server: /' "$tmp/echo.out"
sed 's/^/# client: /' "$tmp/cclient.err"
check 3 "rmach-vm client calls libmach's echo-server" \
	"$tmp/cclient.out" "$dir/c_echo_client.out"

# Off: LOOKUP of an outside name gives 0 (the server is not even running).
printf 'PUSH vm.kb.echo\nLOOKUP\nPRINT\n' >"$tmp/off.rasm"
printf '0\n' >"$tmp/off.expected"
"$vm" run --no-kernel-ports "$tmp/off.rasm" >"$tmp/off.out" 2>&1
check 4 "--no-kernel-ports keeps ports in the process" \
	"$tmp/off.out" "$tmp/off.expected"

timeout 60 "$vm" run "$dir/port_server.rasm" >"$tmp/pserver.out" 2>"$tmp/pserver.err" &
server=$!
timeout 60 "$vm" run "$dir/port_client.rasm" >"$tmp/pclient.out" 2>"$tmp/pclient.err"
echo "# client status $?"
wait "$server"
echo "# server status $?"
sed 's/^/# server: /' "$tmp/pserver.err"
sed 's/^/# client: /' "$tmp/pclient.err"
check 5 "a port in the data crosses to another OS process" \
	"$tmp/pclient.out" "$dir/port_client.out"
