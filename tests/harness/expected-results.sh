#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The results one test box must report: its floor. check.sh fails every
# name listed here that the box did not report.
#
#   expected-results.sh KERNEL IGT_BIN_DIR
#
# Prints one result name a line, as check.sh names them after "BOX:":
#   NAME                 a guest shell test: every literal "check NAME" or
#                        "result NAME" in tests/guest/*.sh but demo.sh and
#                        lib.sh (kunit-* only on a kernel with KUnit, the
#                        debug kernel)
#   igt:BIN/SUBTEST      every subtest BIN --list-subtests names, for every
#                        tests/igt/BIN.c; "igt:BIN/(binary)" when BIN was not
#                        built, so that a missing binary is a missing result
#   kunit:SUITE/CASE     (debug kernel) every case of every suite defined in
#                        drivers/gpu/drm/dxgkcompat/tests/*.c, whether the
#                        Makefile builds that file or not
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${1:?usage: expected-results.sh KERNEL IGT_BIN_DIR}
igt=${2:?usage: expected-results.sh KERNEL IGT_BIN_DIR}

# Guest shell tests: every script in tests/guest but the main job's demo
# and the helpers. A result whose name is not a literal (a variable, a
# loop) gets no floor: name results literally.
guest=()
for f in "$top"/tests/guest/*.sh; do
	case "${f##*/}" in demo.sh|lib.sh) ;; *) guest+=("$f") ;; esac
done
sed -nE 's/^[[:space:]]*(check|result)[[:space:]]+([A-Za-z0-9][A-Za-z0-9_.-]*)([[:space:]].*)?$/\2/p' \
	"${guest[@]}" |
	{ if [ "$kernel" = debug ]; then cat; else grep -v '^kunit-'; fi; } | sort -u

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
[ "$kernel" = debug ] || exit 0
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
