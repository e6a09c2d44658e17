#!/bin/sh
# Runs in the debug-kernel guest (make fuzz-kernel): rmach-fuzz between a
# kmemleak baseline and a kmemleak + lockdep verdict. The runner
# (tools/vm/run) judges the console log on top: any KASAN, lockdep, WARNING,
# BUG, Oops or hung-task line fails the run.
#
#   guest-fuzz.sh RMACH_FUZZ [rmach-fuzz options]
#
# Writes /out/fuzz.log (the fuzzer's report) and /out/kmemleak.txt; exits 0
# only when the fuzzer passed (its own checks and the debugfs counters),
# kmemleak found nothing and lockdep is still on.
set -u
fuzz=$1
shift
KMEMLEAK=/sys/kernel/debug/kmemleak
out=/out
[ -d "$out" ] && [ -w "$out" ] || out=/tmp
rc=0

# Forget what the boot leaked; kmemleak must be working (see
# tools/vm/debug-kernel-guest-baseline).
if [ -w "$KMEMLEAK" ]; then
	echo scan >"$KMEMLEAK" && echo scan >"$KMEMLEAK" && echo clear >"$KMEMLEAK" ||
		{ echo "guest-fuzz: kmemleak refused to scan"; rc=1; }
else
	echo "guest-fuzz: no $KMEMLEAK (not the debug kernel?)"
	rc=1
fi

echo "guest-fuzz: $(nproc) CPUs, $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo), kernel $(uname -r)"
# The module's tracepoints are code paths too: on, into a small ring buffer.
TRACING=/sys/kernel/tracing
if [ -w "$TRACING/events/rmach/enable" ]; then
	echo 256 >"$TRACING/buffer_size_kb"
	echo 1 >"$TRACING/events/rmach/enable" &&
		echo "guest-fuzz: rmach tracepoints on"
fi
start=$(date +%s)
{ "$fuzz" "$@"; echo "rmach-fuzz exit status $?"; } 2>&1 | tee "$out/fuzz.log"
end=$(date +%s)
[ ! -w "$TRACING/events/rmach/enable" ] || echo 0 >"$TRACING/events/rmach/enable"
if ! grep -q '^rmach-fuzz exit status 0$' "$out/fuzz.log"; then
	echo "guest-fuzz: the fuzzer failed"
	rc=1
fi
echo "guest-fuzz: fuzzer ran $((end - start)) s"

if [ -w "$KMEMLEAK" ]; then
	sleep 6
	echo scan >"$KMEMLEAK"
	sleep 6
	echo scan >"$KMEMLEAK"
	cat "$KMEMLEAK" >"$out/kmemleak.txt"
	if [ -s "$out/kmemleak.txt" ]; then
		echo "guest-fuzz: kmemleak: suspected leaks:"
		head -n 60 "$out/kmemleak.txt"
		rc=1
	else
		echo "guest-fuzz: kmemleak: nothing leaked"
	fi
fi
debug_locks=$(sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats 2>/dev/null)
if [ "$debug_locks" = 1 ]; then
	echo "guest-fuzz: lockdep still on"
else
	echo "guest-fuzz: lockdep off (debug_locks=${debug_locks:-unknown}): a splat turned it off"
	rc=1
fi
exit $rc
