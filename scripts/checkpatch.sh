#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# checkpatch --strict on our kernel sources, with the kernel tree's own
# checkpatch.pl (from the linux-source tree scripts/setup.sh unpacks).
#
# Ignored, and why:
#   CAMELCASE      WDK names (DxgkCbMapMemory, HighestVisibleAddress, ...) are
#                  the ABI this project reproduces; renaming them defeats it.
#   NEW_TYPEDEFS   likewise: the WDK's types are typedefs (ULONG, DXGK_ADL, ...)
#   SPDX_LICENSE_TAG, FILE_PATH_CHANGES  out-of-tree layout, no MAINTAINERS
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
src=$(ls -d "${DXGK_CACHE:-/var/cache/dxgkcompat}"/src/linux-source-6.12 2>/dev/null | head -1)
cp=$src/scripts/checkpatch.pl
[ -x "$cp" ] || { echo "checkpatch: $cp missing (run scripts/setup.sh)" >&2; exit 1; }
cd "$top"
files=$(git ls-files 'drivers/*.c' 'drivers/*.h' 'include/*.h' 'tools/*.c')
"$cp" --no-tree --strict --show-types --terse --quiet \
	--ignore CAMELCASE,NEW_TYPEDEFS,SPDX_LICENSE_TAG,FILE_PATH_CHANGES \
	-f $files
