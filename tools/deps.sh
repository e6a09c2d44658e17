#!/bin/sh
# Installs the Debian packages rMach needs, only those missing (idempotent).
# Uses sudo when not root.
set -eu

PKGS="make gcc libc6-dev qemu-system-x86 linux-image-amd64 linux-headers-amd64
linux-source-6.1 busybox-static cpio kmod liburing-dev libbpf-dev bpftool bpftrace
clang llvm sparse dkms gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm
lua5.4 bc bison flex libelf-dev libssl-dev dwarves rsync xz-utils python3
gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-i686-linux-gnu
libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-i386-cross
liburing-dev:arm64 liburing-dev:armhf liburing-dev:i386"
# No gcc-multilib: Debian 12 makes it conflict with every gcc cross compiler.
# 32-bit x86 code is built with i686-linux-gnu-gcc instead. The cross
# compilers only recommend their libc headers, and recommends are not
# installed here: name them.

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

# The arm64 lane fetches Debian's arm64 kernel packages with apt-get download
# (tools/arm64/fetch-kernel), and the cross lanes (arm64, armhf, i386) link
# liburing from Debian's multiarch packages: apt must know those architectures.
need_update=0
for arch in arm64 armhf i386; do
	if ! dpkg --print-foreign-architectures | grep -qx $arch; then
		echo "deps: adding the $arch dpkg architecture"
		$SUDO dpkg --add-architecture $arch
		need_update=1
	fi
done
apt-cache show busybox-static:arm64 liburing-dev:armhf liburing-dev:i386 \
	>/dev/null 2>&1 || need_update=1

# installed PKG: PKG[:ARCH] is installed; a name without an architecture means
# the native one (or "all"), not a foreign one multiarch also put there.
native=$(dpkg --print-architecture)
installed() {
	case $1 in
	*:*) dpkg-query -W -f='${db:Status-Status}\n' "$1" 2>/dev/null |
		grep -qx installed ;;
	*) dpkg-query -W -f='${db:Status-Status} ${Architecture}\n' "$1" 2>/dev/null |
		grep -qxE "installed ($native|all)" ;;
	esac
}

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
if [ -z "$missing" ] && [ $need_update = 0 ]; then
	echo "deps: all packages present"
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
[ -n "$missing" ] || exit 0
echo "deps: installing:$missing"
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
