#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# checkpatch --strict on our sources, with the kernel tree's own
# checkpatch.pl (from the linux-source tree scripts/setup.sh unpacks).
# Exits non-zero on any finding.
#
# Ignored everywhere, and why:
#   CAMELCASE      WDK names (DxgkCbMapMemory, HighestVisibleAddress, ...) are
#                  the interface this project reproduces; renaming them defeats it.
#   NEW_TYPEDEFS   likewise: the WDK's types are typedefs (ULONG, DXGK_ADL, ...).
#   SPDX_LICENSE_TAG, FILE_PATH_CHANGES  out-of-tree layout, no MAINTAINERS.
# Also ignored in the WDK headers (include/dxgkcompat/wdk), and why:
#   VOLATILE       READ_REGISTER_ULONG() & co. take volatile pointers in the WDK.
#   MACRO_ARG_UNUSED  SAL annotations (_In_reads_(n), ...) expand to nothing.
#   SPACING        checkpatch cannot tell WDK type names declared in another
#                  header from variables ("DXGKDDI_ADD_DEVICE *P...").
#   LONG_LINE      WDK type names are long (IN_OUT_PDXGKARGCB_..._OBJECT).
#   COMPLEX_MACRO, MACRO_WITH_FLOW_CONTROL, MACRO_ARG_REUSE  DXGK_DRIVER_OBJECT
#                  and DXGK_MINIPORT_MODULE declare objects and functions, like
#                  the kernel's module_driver().
# Also ignored in dxgk_compat.h, the one place for kernel-version tests:
#   LINUX_VERSION_CODE, CONSTANT_COMPARISON
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
src=$(ls -d "${DXGK_CACHE:-/var/cache/dxgkcompat}"/src/linux-source-6.12 2>/dev/null | head -1)
cp=$src/scripts/checkpatch.pl
[ -x "$cp" ] || { echo "checkpatch: $cp missing (run scripts/setup.sh)" >&2; exit 1; }
cd "$top"

common=CAMELCASE,NEW_TYPEDEFS,SPDX_LICENSE_TAG,FILE_PATH_CHANGES
wdk=$common,VOLATILE,MACRO_ARG_UNUSED,SPACING,LONG_LINE,COMPLEX_MACRO,MACRO_WITH_FLOW_CONTROL,MACRO_ARG_REUSE
compat=$common,LINUX_VERSION_CODE,CONSTANT_COMPARISON

run() {	# run IGNORES FILES...
	local ignore=$1
	shift
	[ $# -gt 0 ] || return 0
	"$cp" --no-tree --strict --show-types --terse --quiet --ignore "$ignore" -f "$@" 2>/dev/null |
		grep -v '^total: '
}

out=$(
	run "$common" $(git ls-files 'drivers/*.c' 'drivers/*.h' 'tools/*.c' \
			'include/uapi/*.h' | grep -v 'dxgk_compat\.h$')
	run "$compat" $(git ls-files 'drivers/*/dxgk_compat.h')
	run "$wdk" $(git ls-files 'include/dxgkcompat/wdk/*.h')
)
if [ -n "$out" ]; then
	echo "$out"
	echo "checkpatch: $(echo "$out" | wc -l) finding(s)"
	exit 1
fi
echo "checkpatch: clean ($(git ls-files 'drivers/*.[ch]' 'tools/*.c' 'include/*.h' | wc -l) files)"
