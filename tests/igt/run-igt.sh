#!/bin/bash
# SPDX-License-Identifier: MIT
#
# run-igt.sh [BUILD_DIR]
#
# Runs every IGT test binary built by tests/igt/Makefile and summarises the
# results. Meant to run inside the test guest as root with cwd = repo root.
#
#   BUILD_DIR   $1, else $IGT_BUILD, else ./build. Either the O= directory
#               (binaries in BUILD_DIR/tests/igt) or the binary directory.
#   DXGK_RESULTS  directory for the logs igt-<name>.log (default /tmp)
#   IGT_TIMEOUT   per-binary timeout in seconds (default 300)
#
# Every subtest is counted from IGT's "Subtest NAME: RESULT (time)" lines.
# A subtest listed by --list-subtests that reported no result (the binary
# crashed or timed out first) counts as failed, as does a binary that exits
# with a code other than 0/77 without reporting a failure. Output: one line
# "igt: <binary>/<subtest>: pass|fail|skip" per subtest, then
# "igt: N passed, N failed, N skipped". Exit 1 if anything failed or nothing
# ran.

set -u

build=${1:-${IGT_BUILD:-build}}
results=${DXGK_RESULTS:-/tmp}
tmo=${IGT_TIMEOUT:-300}

if [ -d "$build/tests/igt" ]; then
	bindir=$build/tests/igt
else
	bindir=$build
fi
if [ ! -d "$bindir" ]; then
	echo "run-igt: no build directory $bindir" >&2
	echo "igt: 0 passed, 0 failed, 0 skipped"
	exit 1
fi
mkdir -p "$results"

passed=0 failed=0 skipped=0
summary=()

record() { # binary subtest result
	case $3 in
	pass) passed=$((passed + 1)) ;;
	skip) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)) ;;
	esac
	summary+=("igt: $1/$2: $3")
}

for bin in "$bindir"/*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=$(basename "$bin")
	log=$results/igt-$name.log

	subtests=$(timeout 60 "$bin" --list-subtests 2>/dev/null)

	echo "=== $name"
	timeout -k 10 "$tmo" "$bin" > "$log" 2>&1
	rc=$?
	cat "$log"
	echo "=== $name: exit $rc"

	declare -A seen=()
	binfail=0
	# (no process substitution: the test guest has no /dev/fd)
	while read -r sub res; do
		[ -n "$sub" ] || continue
		seen[$sub]=1
		case $res in
		SUCCESS) record "$name" "$sub" pass ;;
		SKIP) record "$name" "$sub" skip ;;
		*) record "$name" "$sub" fail; binfail=1 ;;
		esac
	done <<< "$(sed -n 's/^Subtest \([^ :]*\): \([A-Z]*\).*/\1 \2/p' "$log")"

	for sub in $subtests; do
		if [ -z "${seen[$sub]:-}" ]; then
			record "$name" "$sub" fail
			binfail=1
		fi
	done
	nseen=${#seen[@]}
	unset seen

	if [ -z "$subtests" ] && [ "$nseen" -eq 0 ]; then
		# a test without subtests: the exit code is the result
		case $rc in
		0) record "$name" "(binary)" pass ;;
		77) record "$name" "(binary)" skip ;;
		*) record "$name" "(binary)" fail ;;
		esac
	elif [ "$binfail" = 0 ] && [ "$rc" != 0 ] && [ "$rc" != 77 ]; then
		# exited badly (e.g. crash in the last fixture, timeout: 124)
		record "$name" "(exit $rc)" fail
	fi
done

if [ ${#summary[@]} -gt 0 ]; then
	printf '%s\n' "${summary[@]}"
	# the host reads the results file in a test box (see tests/guest/lib.sh)
	[ -z "${DXGK_RESULTS:-}" ] || printf '%s\n' "${summary[@]}" >> "$DXGK_RESULTS/results.txt"
fi
echo "igt: $passed passed, $failed failed, $skipped skipped"

if [ "$failed" -ne 0 ] || [ $((passed + failed + skipped)) -eq 0 ]; then
	exit 1
fi
exit 0
