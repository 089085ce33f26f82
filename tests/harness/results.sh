# SPDX-License-Identifier: GPL-2.0-only
# How check.sh counts results (sourced; bash). Kept apart so that
# tests/harness/selftest.sh can feed it made-up box results and prove that
# each way a run can go wrong fails.
#
# Needs: $top (the repo), $O (the build dir, for the IGT binaries), $log
# (a file every result line is appended to).

passed=0 failed=0 skipped=0
declare -a failures=()
declare -A fail_note=()
count() {	# count NAME pass|fail|skip [NOTE]
	case "$2" in
	pass) passed=$((passed + 1)) ;;
	skip) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)); failures+=("$1"); fail_note[$1]=${3:-} ;;
	esac
	echo "check: $1: $2${3:+ ($3)}" | tee -a "$log"
}

# Expected skips: tests/harness/expected-skips, one "BOX RESULT REASON" a
# line (BOX and RESULT are shell patterns). Inside the box every device and
# option is known, so any other skip is a failure.
expected_skip() { # BOX NAME: prints the reason if the skip is declared
	local b n reason
	while read -r b n reason; do
		case "$b" in ''|'#'*) continue ;; esac
		# shellcheck disable=SC2053
		if [[ $1 == $b && $2 == $n ]]; then
			echo "${reason:-no reason given}"
			return 0
		fi
	done < "$top/tests/harness/expected-skips"
	return 1
}

# result BOX NAME pass|fail|skip: count one result of a box run.
declare -A seen=()
result() {
	local why
	seen[$2]=1
	if [ "$3" = skip ]; then
		if why=$(expected_skip "$1" "$2"); then
			count "$1:$2" skip "expected: $why"
		else
			count "$1:$2" fail "skipped, and no skip is expected here"
		fi
	else
		count "$1:$2" "$3"
	fi
}

# KUnit results of one suite, from its debugfs KTAP copy: one result per
# test case (a parameterised case counts once; a failed parameter fails it).
parse_ktap() { # BOX FILE
	local box=$1 suite res name bad=0
	suite=$(sed -n 's/^    # Subtest: //p' "$2" | head -1)
	while IFS=$'\t' read -r res name; do
		result "$box" "kunit:$suite/$name" "$res"
		[ "$res" = fail ] && bad=1
	done < <(awk '
		# a parameter that skipped makes its case a skip: KUnit calls
		# a parameterised case "ok" when one parameter passed
		/^        ok [0-9]+ .* # SKIP/ { pskip = 1; next }
		/^    (not ok|ok) [0-9]+ / {
			r = ($1 == "not") ? "fail" : "pass"
			n = $0; sub(/^    (not ok|ok) [0-9]+ /, "", n)
			if (n ~ / # SKIP/) { if (r == "pass") r = "skip"; sub(/ # SKIP.*/, "", n) }
			else if (r == "pass" && pskip) r = "skip"
			print r "\t" n; pskip = 0
		}' "$2")
	# the suite's own verdict, where no case explains it (suite_init or
	# suite_exit failed)
	if [ "$bad" = 0 ] && tail -1 "$2" | grep -q '^not ok 1 '; then
		result "$box" "kunit:$suite/(suite)" fail
	fi
}

# Results of one box run: guest shell tests, IGT subtests, KUnit; then the
# floor: every expected result the box did not report fails.
parse_box() {
	local box=$1 kernel=$2 dir=$3 line name res f missing=0 src
	seen=()
	# The guest writes its result lines to results.txt on the 9p share as
	# well as to the serial console, where a kernel printk can cut a line
	# in two. The file is the record when it exists; a box from before it
	# (and the selftest's fake boxes) have the console only.
	src=$dir/results.txt
	[ -f "$src" ] || src=$dir/console.log
	while IFS= read -r line; do
		case "$line" in
		"guest: "*": pass"|"guest: "*": fail"|"guest: "*": skip")
			name=${line#guest: }; res=${name##*: }; name=${name%: *}
			result "$box" "$name" "$res" ;;
		"igt: "*": pass"|"igt: "*": fail"|"igt: "*": skip")
			name=${line#igt: }; res=${name##*: }; name=${name%: *}
			result "$box" "igt:$name" "$res" ;;
		esac
	done < <(tr -d '\r' < "$src" 2>/dev/null)

	for f in "$dir"/kunit/*.ktap; do
		[ -f "$f" ] && parse_ktap "$box" "$f"
	done

	while IFS= read -r name; do
		[ -n "${seen[$name]:-}" ] && continue
		count "$box:$name" fail "expected, never reported"
		missing=$((missing + 1))
	done < <("$top/tests/harness/expected-results.sh" "$kernel" "${box#*:}" "$O/tests/igt" ||
		 echo "(expected-results.sh failed)")
	echo "check: $box: ${#seen[@]} results reported, $missing expected results missing"
}

