#!/bin/sh
# The rMach demo, run inside the guest by `make run` (tools/vm/run has loaded
# rmach.ko before and unloads it after):
#
#   tools/demo.sh [KO]      KO: the module file, for modinfo (kmod/rmach.ko)
#
# Each step is a section: a title, then the command's output indented.
set -eu

ko=${1:-kmod/rmach.ko}

section() { printf '\n== %s\n' "$*"; }
# show 'SHELL COMMAND': the command, then its output indented; fails with it.
show() {
	printf '   $ %s\n' "$1"
	sh -c "$1" >/tmp/demo.out 2>&1 || { sed 's/^/     /' /tmp/demo.out; return 1; }
	sed 's/^/     /' /tmp/demo.out
}

[ -c /dev/rmach ] || { echo "demo: /dev/rmach is missing: is rmach.ko loaded?" >&2; exit 1; }

printf 'rMach demo: Linux %s, %s CPUs, %s\n' "$(uname -r)" "$(nproc)" \
	"$(sed -n 's/^MemTotal: *\([0-9]*\) kB/\1 kB RAM/p' /proc/meminfo)"

section "The module is loaded"
show 'lsmod | grep -E "^(Module|rmach) "'
refs=$(cat /sys/module/rmach/refcnt)
printf '     refcount %s, state %s\n' "$refs" "$(cat /sys/module/rmach/initstate)"

section "Its character device: /dev/rmach, a misc device open to everyone (0666)"
show 'ls -l /dev/rmach'
show 'grep -w rmach /proc/misc'

section "What it says about itself"
show "modinfo -F description $ko"
show "modinfo $ko | grep -E '^(filename|license|author|version|srcversion|vermagic|parm):'"

if [ -d /sys/kernel/debug/rmach ]; then
	section "Its counters (debugfs)"
	for f in /sys/kernel/debug/rmach/*; do
		[ -f "$f" ] || continue
		printf '     %-24s %s\n' "${f##*/}" "$(head -c 200 "$f" | tr '\n' ' ')"
	done
fi

section "Opening it from an unprivileged process makes a fresh IPC space"
show 'setpriv --reuid=65534 --regid=65534 --clear-groups -- \
	sh -c "exec 3<>/dev/rmach && echo uid \$(id -u) opened /dev/rmach as fd 3"'

ex=${LIBMACH_EXAMPLES:-build/libmach/examples}
if [ -x "$ex/echo-server" ]; then
	section "An echo server registered as rmach.echo, found by a client through the registry"
	"$ex/echo-server" -n 3 >/tmp/echo-server.out 2>&1 &
	show "$ex/echo-client hello mach ports"
	wait
	sed 's/^/     /' /tmp/echo-server.out

	section "Ping-pong between two processes: call (handoff) vs send + separate receive"
	show "$ex/pingpong -n 2000"
	show "$ex/pingpong -n 2000 -c 0"

	if [ -d /sys/kernel/debug/rmach ]; then
		section "Counters after the demo (back to the baseline)"
		for f in spaces ports rights queued_msgs queued_bytes registry; do
			printf '     %-24s %s\n' "$f" "$(cat /sys/kernel/debug/rmach/$f)"
		done
	fi
fi

printf '\nThe runner unloads rmach.ko next and checks the kernel log.\n'
