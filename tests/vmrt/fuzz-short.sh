#!/bin/sh
# Short libFuzzer runs of the vmrt targets (~10 s each), as TAP.
#   tests/vmrt/fuzz-short.sh BUILD_DIR TESTS_DIR
# The assembler target starts from the conformance corpus, the bytecode one
# from tests/vmrt/fuzz-seeds/run (inputs that once failed); new inputs go to
# BUILD_DIR/fuzz-corpus-*, crashes to BUILD_DIR/fuzz-artifacts/.
set -u
build=$1
tests=$2
secs=${VMRT_FUZZ_SECONDS:-10}
mkdir -p "$build/fuzz-artifacts" "$build/fuzz-corpus-asm" "$build/fuzz-corpus-run"
cp "$tests"/conf/*.rasm "$tests"/errors/*.rasm "$build/fuzz-corpus-asm/"
# Inputs that once failed (kept as regression seeds).
cp "$tests"/fuzz-seeds/run/* "$build/fuzz-corpus-run/"
echo "TAP version 13"
echo "1..2"
n=0
for t in asm run; do
	n=$((n + 1))
	if "$build/fuzz-$t" -max_total_time="$secs" -max_len=4096 -timeout=10 \
		-rss_limit_mb=1024 -artifact_prefix="$build/fuzz-artifacts/$t-" \
		"$build/fuzz-corpus-$t" >"$build/fuzz-$t.log" 2>&1; then
		echo "ok $n - fuzz-$t $(grep -o 'Done [0-9]* runs' "$build/fuzz-$t.log")"
	else
		echo "not ok $n - fuzz-$t (see $build/fuzz-$t.log)"
		tail -30 "$build/fuzz-$t.log" | sed 's/^/# /'
	fi
done
