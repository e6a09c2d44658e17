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

# Object sizes on the 32-bit target (read back from a compiled table).
cat >"$out/sizes.c" <<'SRC'
#include "internal.h"
const unsigned rmc_sizes[] = { sizeof(struct rmc_port), sizeof(struct rmc_entry),
	sizeof(struct rmc_msg), sizeof(struct rmc_space), sizeof(struct rmc_pset),
	sizeof(struct rmc_waiter) };
SRC
arm-none-eabi-gcc -std=c11 -mcpu=cortex-m0plus -mthumb -ffreestanding -Os \
	-I"$inc" -I"$inc/.." -c "$out/sizes.c" -o "$out/sizes.o"
arm-none-eabi-objcopy -O binary -j .rodata "$out/sizes.o" "$out/sizes.bin"
od -An -tu4 -v "$out/sizes.bin" | tr -s ' \n' ' ' | awk '{
	printf "cortex-m0plus object bytes: port %d, name entry %d, message header %d, space %d, port set %d, waiter %d\n", $1, $2, $3, $4, $5, $6 }'
