#!/bin/sh
# Object code size of core/ (text+data+bss summed over the objects) for
# x86-64 (-O2, as the host library) and Cortex-M0+ (-Os, as the firmware).
#   tests/core/codesize.sh OUTDIR SRC...
set -eu
out=${1:?usage: codesize.sh OUTDIR SRC...}; shift
inc=$(dirname "$1")/include
mkdir -p "$out/x86" "$out/arm"
for src in "$@"; do
	b=$(basename "$src" .c)
	gcc -std=c11 -ffreestanding -O2 -I"$inc" -c "$src" -o "$out/x86/$b.o"
	arm-none-eabi-gcc -std=c11 -mcpu=cortex-m0plus -mthumb -ffreestanding -Os \
		-I"$inc" -c "$src" -o "$out/arm/$b.o"
done
sum() { "$1" "$2"/*.o | awk 'NR > 1 { t += $1; d += $2; b += $3 }
	END { printf "text %d, data %d, bss %d bytes\n", t, d, b }'; }
echo "core code size x86-64 -O2:            $(sum size "$out/x86")"
echo "core code size cortex-m0plus -Os:      $(sum arm-none-eabi-size "$out/arm")"
