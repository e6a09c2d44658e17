#!/bin/sh
# Sourced by the guest-side scripts: gets the guest ready for every transport.
# Loads Debian's binder_linux (its default devices=binder gives /dev/binder;
# this kernel has no binderfs) and lifts the SysV/POSIX queue size limits to
# 16 KB so those queues can join the 16 KB one-way runs. Sets
# BENCH_LOADED_BINDER=1 when it loaded binder.
#
# Only inside the guest tools/vm/run boots (its kernel command line names
# rmach_vm.init): run anywhere else it changes nothing, so the host's kernel
# never gets a module or a sysctl from here.
BENCH_LOADED_BINDER=0
if ! grep -q 'rmach_vm\.init=' /proc/cmdline 2>/dev/null; then
	echo "# guest-setup: not in the rmach guest: no binder, queue limits as they are" >&2
elif [ "$(id -u)" = 0 ]; then
	if [ ! -e /dev/binder ] && modprobe binder_linux 2>/dev/null; then
		BENCH_LOADED_BINDER=1
	fi
	[ -e /dev/binder ] || echo "# guest-setup: no /dev/binder (modprobe binder_linux failed)" >&2
	for limit in /proc/sys/kernel/msgmax /proc/sys/fs/mqueue/msgsize_max; do
		[ "$(cat "$limit")" -ge 16384 ] 2>/dev/null || echo 16384 >"$limit"
	done
	[ "$(cat /proc/sys/kernel/msgmnb)" -ge 65536 ] || echo 65536 >/proc/sys/kernel/msgmnb
fi
