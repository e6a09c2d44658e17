#!/bin/sh
# Prints the kernel version rMach builds for and boots in the guest: the one
# Debian's linux-headers-amd64 meta-package points at. Never `uname -r`: the
# build host's kernel is not the one the module runs on.
set -eu
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null || true)
ver=$(printf '%s\n' "$dep" | sed -n 's/^linux-headers-\([^ ,]*\).*/\1/p')
if [ -z "$ver" ]; then
	# No meta-package: the newest installed headers.
	ver=$(ls -1d /lib/modules/*/build 2>/dev/null | sed 's|/lib/modules/||;s|/build||' |
		sort -V | tail -n 1)
fi
[ -n "$ver" ] || { echo "kver.sh: no kernel headers installed (run 'make deps')" >&2; exit 1; }
printf '%s\n' "$ver"
