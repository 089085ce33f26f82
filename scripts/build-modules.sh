#!/bin/bash
# Build the dxgkcompat modules against one kernel build tree.
#
#   scripts/build-modules.sh KDIR OUT [make args...]
#
# The sources are copied to OUT/kmod/<kernel release>/ and built there with
# `make -C KDIR M=...`, so builds against several kernels never share
# objects; build products in the copy survive for incremental builds. The
# last line printed is the build directory.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: build-modules.sh KDIR OUT [make args]}
out=${2:?usage: build-modules.sh KDIR OUT [make args]}
shift 2

[ -f "$kdir/Makefile" ] || {
	echo "build-modules: no kernel build tree at '$kdir' (run scripts/setup.sh)" >&2
	exit 1
}
release=$(make -s -C "$kdir" kernelrelease 2>/dev/null | tail -1)
[ -n "$release" ] || release=$(basename "$(dirname "$(realpath "$kdir")")")
mkdir -p "$out"
out=$(cd "$out" && pwd)
dir=$out/kmod/$release
mkdir -p "$dir"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' \
	--exclude '.*.cmd' --exclude 'modules.order' --exclude 'Module.symvers' \
	"$top/Kbuild" "$top/Kconfig" "$top/drivers" "$top/include" "$dir/"
make -C "$kdir" M="$dir" "$@" modules >&2
echo "$dir"
