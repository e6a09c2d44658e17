#!/bin/sh
# Runs the core libFuzzer target and prints TAP:
#   1. the committed corpus replays without a finding
#   2. SECONDS of fuzzing from it find nothing
# New inputs go to BUILD/fuzz-corpus (the committed corpus is never written);
# a crash reproducer lands in BUILD/fuzz-artifacts/.
#   tests/core/fuzz-run.sh FUZZER CORPUS BUILD SECONDS
set -u
fuzzer=${1:?usage: fuzz-run.sh FUZZER CORPUS BUILD SECONDS}
corpus=$2
build=$3
secs=$4
work=$build/fuzz-corpus
art=$build/fuzz-artifacts/
mkdir -p "$work" "$art"
opts="-max_len=1024 -timeout=20 -rss_limit_mb=2048 -artifact_prefix=$art -print_final_stats=1"

echo "TAP version 13"
echo "1..2"
if "$fuzzer" $opts -runs=0 "$corpus" >"$build/fuzz-replay.log" 2>&1; then
	echo "ok 1 core-fuzz: committed corpus replays clean"
else
	tail -20 "$build/fuzz-replay.log" | sed 's/^/# /'
	echo "not ok 1 core-fuzz: committed corpus replays clean"
fi
if "$fuzzer" $opts -max_total_time="$secs" "$work" "$corpus" \
	>"$build/fuzz.log" 2>&1; then
	grep -E 'stat::number_of_executed_units|cov:' "$build/fuzz.log" | tail -2 | sed 's/^/# /'
	echo "ok 2 core-fuzz: ${secs}s of invariant and model checks"
else
	grep -A30 -E 'invariant broken|model:|ERROR' "$build/fuzz.log" | head -40 | sed 's/^/# /'
	echo "not ok 2 core-fuzz: ${secs}s of invariant and model checks (see $build/fuzz.log)"
fi
