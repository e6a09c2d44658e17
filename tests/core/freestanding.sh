#!/bin/sh
# core-freestanding: every core/*.c must build with no libc and no headers but
# the compiler's own (-ffreestanding -nostdlib -nostdinc), without floating
# point, and the objects together may only need memcpy/memset/memmove/memcmp.
# The same for Cortex-M0+ (arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb -Os),
# where libgcc's Thumb-1 switch helpers are allowed but 64-bit division and
# soft-float calls are not. Prints TAP.
#
#   tests/core/freestanding.sh OUTDIR core/a.c core/b.c ...
set -u
out=${1:?usage: freestanding.sh OUTDIR SRC...}; shift
inc=$(dirname "$1")/include
mkdir -p "$out/x86" "$out/arm"
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
notok() { n=$((n + 1)); fail=1; echo "not ok $n $1"; }

warn="-std=c11 -Wall -Wextra -Werror -Wdeclaration-after-statement -Wmissing-prototypes -Wstrict-prototypes -Wvla"
x86="-ffreestanding -nostdlib -nostdinc -isystem $(gcc -print-file-name=include) -mgeneral-regs-only -fno-pic -Os"
arm="-mcpu=cortex-m0plus -mthumb -ffreestanding -nostdlib -nostdinc -isystem $(arm-none-eabi-gcc -print-file-name=include) -Os"

echo "TAP version 13"
echo "1..$(( $# * 2 + 2 ))"
for src in "$@"; do
	b=$(basename "$src" .c)
	if gcc $warn $x86 -I"$inc" -c "$src" -o "$out/x86/$b.o" 2>"$out/x86/$b.err"; then
		ok "x86-64 freestanding $b.c"
	else
		sed 's/^/# /' "$out/x86/$b.err"; notok "x86-64 freestanding $b.c"
	fi
	if arm-none-eabi-gcc $warn $arm -I"$inc" -c "$src" -o "$out/arm/$b.o" 2>"$out/arm/$b.err"; then
		ok "cortex-m0plus $b.c"
	else
		sed 's/^/# /' "$out/arm/$b.err"; notok "cortex-m0plus $b.c"
	fi
done

# Link check: the undefined symbols of all objects linked together.
undef() { # LD NM DIR
	"$1" -r "$3"/*.o -o "$3/core.o" 2>/dev/null && "$2" -u "$3/core.o" | awk '{ print $2 }'
}
bad=$(undef ld nm "$out/x86" | grep -vxE 'memcpy|memset|memmove|memcmp')
if [ -z "$bad" ] && [ -f "$out/x86/core.o" ]; then
	ok "x86-64 link: only memcpy/memset/memmove/memcmp needed"
else
	echo "$bad" | sed 's/^/# undefined: /'; notok "x86-64 link: only memcpy/memset/memmove/memcmp needed"
fi
bad=$(undef arm-none-eabi-ld arm-none-eabi-nm "$out/arm" | grep -vxE 'memcpy|memset|memmove|memcmp|__gnu_thumb1_case_[a-z0-9]+')
if [ -z "$bad" ] && [ -f "$out/arm/core.o" ]; then
	ok "cortex-m0plus link: no 64-bit division, no float, no libc"
else
	echo "$bad" | sed 's/^/# undefined: /'; notok "cortex-m0plus link: no 64-bit division, no float, no libc"
fi
exit $fail
