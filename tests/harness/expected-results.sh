#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The results one test box must report: its floor. check.sh fails every
# name listed here that the box did not report.
#
#   expected-results.sh KERNEL IGT_BIN_DIR
#
# Prints one result name a line, as check.sh names them after "BOX:":
#   NAME                 a guest shell test: every literal "check NAME" or
#                        "result NAME" in tests/guest/suite.sh and the
#                        scripts it runs (kunit-* only on a kernel with
#                        KUnit, the debug kernel)
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

# Guest shell tests.
sed -nE 's/^[[:space:]]*(check|result|step) ([A-Za-z0-9][A-Za-z0-9_.-]*)( .*)?$/\2/p' \
	"$top/tests/guest/suite.sh" "$top/tests/guest/lifecycle.sh" |
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
