#!/bin/sh
# uapi-header suite: uapi/linux/rmach.h must compile on its own (nothing
# included before it) as C99 and C11, 64-bit and 32-bit, with -Werror, and
# every mode must print the same sizes, offsets and ioctl numbers. Prints TAP.
# usage: check-header.sh OUTDIR
set -u
out=${1:?usage: check-header.sh OUTDIR}
here=$(dirname "$0")
mkdir -p "$out"
CC=${CC:-cc}
n=0; fail=0
echo "TAP version 13"
echo "1..6"
ref=""
for std in c99 c11; do
	for m in 64 32; do
		n=$((n + 1))
		bin="$out/header_sizes_${std}_m$m"
		# gcc-multilib conflicts with the cross compilers (tools/deps.sh).
		cc=$CC; [ $m = 32 ] && cc=${CC32:-i686-linux-gnu-gcc}
		if ! $cc -std=$std -m$m -Wall -Wextra -Werror -pedantic \
			-I"$here/.." "$here/header_sizes.c" -o "$bin" 2>"$bin.err"; then
			sed 's/^/# /' "$bin.err"
			echo "not ok $n compile -std=$std -m$m"
			fail=1; continue
		fi
		"$bin" >"$bin.txt"
		if [ -z "$ref" ]; then ref="$bin.txt"; fi
		if cmp -s "$ref" "$bin.txt"; then
			echo "ok $n compile -std=$std -m$m, layout matches"
		else
			diff "$ref" "$bin.txt" | sed 's/^/# /'
			echo "not ok $n layout -std=$std -m$m differs from $(basename "$ref")"
			fail=1
		fi
	done
done
# A broken size assertion must stop the build (the check itself can fail).
n=$((n + 1))
printf '#include <linux/rmach.h>\nRMACH_STATIC_ASSERT(sizeof(struct rmach_msg_header) == 28, "x");\n' \
	>"$out/neg.c"
if $CC -std=c99 -Werror -I"$here/.." -c "$out/neg.c" -o "$out/neg.o" 2>/dev/null; then
	echo "not ok $n a false size assertion compiles in C99"; fail=1
else
	echo "ok $n a false size assertion fails the C99 build"
fi
# Self-contained in C++ too is not required; a kernel-style strict compile is.
n=$((n + 1))
printf '#include <linux/rmach.h>\n' >"$out/only.c"
if $CC -std=gnu11 -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes \
	-I"$here/.." -c "$out/only.c" -o "$out/only.o" 2>"$out/only.err"; then
	echo "ok $n header alone compiles with -Wstrict-prototypes"
else
	sed 's/^/# /' "$out/only.err"; echo "not ok $n header alone"; fail=1
fi
exit $fail
