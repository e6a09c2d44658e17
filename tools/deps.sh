#!/bin/sh
# Installs the Debian packages rMach needs, only those missing (idempotent).
# Uses sudo when not root.
set -eu

PKGS="make gcc libc6-dev qemu-system-x86 linux-image-amd64 linux-headers-amd64
linux-source-6.1 busybox-static cpio kmod liburing-dev libbpf-dev bpftool bpftrace
clang llvm sparse dkms gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
lua5.4 gcc-multilib bc bison flex libelf-dev libssl-dev dwarves rsync xz-utils python3"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
