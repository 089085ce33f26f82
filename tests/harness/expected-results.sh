#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The results one test box must report: its floor. check.sh fails every
# name listed here that the box did not report.
#
#   expected-results.sh KERNEL IOMMU IGT_BIN_DIR
#
# KERNEL and IOMMU are the box's, as run.sh and check.sh name them (box
# KERNEL:IOMMU, e.g. distro:strict, debug:strict, distro61:strict).
#
# Prints one result name a line, as check.sh names them after "BOX:":
#   NAME                 a guest shell test: every literal "check NAME" or
#                        "result NAME" in tests/guest/*.sh but demo.sh and
#                        lib.sh (kunit-* only on a kernel with KUnit, the
#                        debug and latest kernels), of the scripts that run
#                        in this box
#   igt:BIN/SUBTEST      every subtest BIN --list-subtests names, for every
#                        tests/igt/BIN.c; "igt:BIN/(binary)" when BIN was not
#                        built, so that a missing binary is a missing result
#   kunit:SUITE/CASE     (debug, latest) every case of every suite defined in
#                        drivers/gpu/drm/dxgkcompat/tests/*.c, whether the
#                        Makefile builds that file or not
#
# A guest script that runs only in some boxes says so in a line of its own
#
#   # dxgk-boxes: KERNEL:IOMMU...
#
# each word a shell pattern matched against the box (debug:*, *:strict,
# distro:lazy); several such lines add up, a line naming no box is an
# error. Its results are then expected only in the boxes that match, so
# that a box that does not run the script is not failed for results it
# cannot report, and is still failed in every box that does. A script
# without the line runs in every box and is expected everywhere.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
usage="usage: expected-results.sh KERNEL IOMMU IGT_BIN_DIR"
kernel=${1:?$usage}
iommu=${2:?$usage}
igt=${3:?$usage}
box=$kernel:$iommu
# the kernels built here (debug 6.12, latest 7.2) have KUnit
case "$kernel" in debug|latest) kunit=1 ;; *) kunit=0 ;; esac

# in_box SCRIPT: the script runs in this box (no dxgk-boxes line, or a
# pattern on one matches)
in_box() {
	local line pat pats=() limited=0
	while IFS= read -r line; do
		limited=1
		read -ra pats <<< "$line"	# read -a: no pathname expansion
		if [ ${#pats[@]} -eq 0 ]; then
			echo "expected-results: ${1#"$top"/}: a dxgk-boxes line names no box" >&2
			exit 1
		fi
		for pat in "${pats[@]}"; do
			# shellcheck disable=SC2053
			[[ $box == $pat ]] && return 0
		done
	done < <(sed -n 's/^#[[:space:]]*dxgk-boxes:[[:space:]]*//p' "$1")
	[ "$limited" = 0 ]
}

# Guest shell tests: every script in tests/guest that runs in this box,
# but the main job's demo and the helpers. A result whose name is not a
# literal (a variable, a loop) gets no floor: name results literally.
guest=()
for f in "$top"/tests/guest/*.sh; do
	case "${f##*/}" in demo.sh|lib.sh) continue ;; esac
	in_box "$f" && guest+=("$f")
done
if [ ${#guest[@]} -gt 0 ]; then
	sed -nE 's/^[[:space:]]*(check|result)[[:space:]]+([A-Za-z0-9][A-Za-z0-9_.-]*)([[:space:]].*)?$/\2/p' \
		"${guest[@]}" |
		{ if [ "$kunit" = 1 ]; then cat; else grep -v '^kunit-'; fi; } | sort -u
fi

# IGT subtests, from the binaries themselves.
for src in "$top"/tests/igt/*.c; do
	bin=$(basename "$src" .c)
	if [ -x "$igt/$bin" ] &&
	   subs=$("$igt/$bin" --list-subtests 2>/dev/null) && [ -n "$subs" ]; then
		printf "igt:$bin/%s\n" $subs
	else
		echo "igt:$bin/(binary)"
	fi
done

# KUnit cases, from the suites' sources.
[ "$kunit" = 1 ] || exit 0
python3 - "$top"/drivers/gpu/drm/dxgkcompat/tests/*.c <<'PY'
import re, sys
for path in sys.argv[1:]:
    src = open(path).read()
    arrays = {}
    for m in re.finditer(r'struct\s+kunit_case\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\n\};', src, re.S):
        arrays[m.group(1)] = re.findall(r'KUNIT_CASE\w*\(\s*(\w+)', m.group(2))
    for m in re.finditer(r'struct\s+kunit_suite\s+\w+\s*=\s*\{(.*?)\n\};', src, re.S):
        body = m.group(1)
        name = re.search(r'\.name\s*=\s*"([^"]+)"', body)
        cases = re.search(r'\.test_cases\s*=\s*(\w+)', body)
        if not name or not cases:
            sys.exit("expected-results: cannot read a suite in " + path)
        for c in arrays.get(cases.group(1), []):
            print("kunit:%s/%s" % (name.group(1), c))
PY
