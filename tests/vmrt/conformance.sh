#!/bin/sh
# The vmrt conformance corpus, as TAP.
#
#   tests/vmrt/conformance.sh RMACH_VM DIR...
#
# In each DIR (tests/vmrt/conf, vmrt/examples):
#   NAME.rasm  a program; NAME.out its exact stdout (no .out: a helper of
#              another test); NAME.err its exact stderr (absent: must be
#              empty); NAME.args the arguments of `rmach-vm run` instead of
#              NAME.rasm (paths relative to DIR); NAME.status the exit status
#              (absent: 0). A single-file program must also give the same
#              stdout through asm -> image -> run.
# In a DIR named errors (tests/vmrt/errors):
#   NAME.rasm  a program the assembler must refuse: NAME.err holds the exact
#              diagnostics, the exit status must be 2, stdout empty.
# VMRT_RUN_FLAGS (e.g. --switch) are passed to every `rmach-vm run`.
# Stderr that counts heap bytes depends on pointer size: NAME.err.ilp32, when
# present, is the expectation for a 32-bit RMACH_VM (ELF class 1).
set -u
vm=$1
shift
abi_suffix=
[ "$(od -An -tx1 -j4 -N1 "$vm" | tr -d ' ')" = 01 ] && abi_suffix=.ilp32
flags=${VMRT_RUN_FLAGS:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $1"
	shift
	for f in "$@"; do [ -f "$f" ] && sed 's/^/#   /' "$f"; done
}

check_run() { # name expected-prefix args...
	name=$1 base=$2; shift 2
	# shellcheck disable=SC2086
	( cd "$dir" && "$vm" run $flags "$@" >"$tmp/out" 2>"$tmp/err" )
	rc=$?
	want_rc=0
	[ -f "$base.status" ] && want_rc=$(cat "$base.status")
	if [ -n "$abi_suffix" ] && [ -f "$base.err$abi_suffix" ]; then
		cp "$base.err$abi_suffix" "$tmp/want_err"
	elif [ -f "$base.err" ]; then cp "$base.err" "$tmp/want_err"
	else : >"$tmp/want_err"; fi
	if ! cmp -s "$tmp/out" "$base.out"; then
		diff "$base.out" "$tmp/out" >"$tmp/diff" 2>&1
		notok "$name: stdout differs" "$tmp/diff" "$tmp/err"
	elif ! cmp -s "$tmp/err" "$tmp/want_err"; then
		diff "$tmp/want_err" "$tmp/err" >"$tmp/diff" 2>&1
		notok "$name: stderr differs" "$tmp/diff"
	elif [ "$rc" != "$want_rc" ]; then
		notok "$name: exit status $rc, expected $want_rc" "$tmp/err"
	else
		ok "$name"
	fi
}

conf_dir() {
for src in "$dir"/*.rasm; do
	base=${src%.rasm}
	name=$(basename "$dir")/$(basename "$base")
	[ -f "$base.out" ] || continue # a helper process of another test
	if [ -f "$base.args" ]; then
		# shellcheck disable=SC2046
		check_run "$name" "$base" $(cat "$base.args")
	else
		check_run "$name" "$base" "$(basename "$src")"
		# The same through an image.
		if "$vm" asm "$src" -o "$tmp/img.rmi" 2>"$tmp/err"; then
			( cd "$dir" && "$vm" run "$tmp/img.rmi" >"$tmp/out2" 2>/dev/null )
			if cmp -s "$tmp/out2" "$base.out"; then ok "$name (image)"
			else notok "$name (image): stdout differs"; fi
		else
			notok "$name: asm failed" "$tmp/err"
		fi
	fi
done

}

errors_dir() {
for src in "$dir"/*.rasm; do
	base=${src%.rasm}
	name=errors/$(basename "$base")
	( cd "$dir" && "$vm" run "$(basename "$src")" >"$tmp/out" 2>"$tmp/err" )
	rc=$?
	if [ "$rc" != 2 ]; then
		notok "$name: exit status $rc, expected 2" "$tmp/err"
	elif [ -s "$tmp/out" ]; then
		notok "$name: printed to stdout" "$tmp/out"
	elif ! cmp -s "$tmp/err" "$base.err"; then
		diff "$base.err" "$tmp/err" >"$tmp/diff" 2>&1
		notok "$name: diagnostics differ" "$tmp/diff"
	else
		ok "$name"
	fi
done
}

for dir in "$@"; do
	case $dir in
	*/errors) errors_dir ;;
	*) conf_dir ;;
	esac
done
echo "1..$n"
[ $fail = 0 ]
