#!/bin/bash
# Build the dxgkcompat modules against one kernel build tree.
#
#   scripts/build-modules.sh KDIR OUT [make args...]
#
# The sources are copied to OUT/kmod/<kernel release>/ and built there with
# `make -C KDIR M=...`, so builds against several kernels never share
# objects; build products in the copy survive for incremental builds. The
# last line printed is the build directory.
#
# The build takes what is on this command line and nothing a calling make
# passes down: MAKEFLAGS and the rest of make's recursion state are dropped
# here, so that `make -C` from a parent make (whose -w prints "Entering
# directory" lines), a MAKEFLAGS=w in the environment, or the caller's
# command-line variables (O=, KDIR=, M=) never reach kbuild as flags or
# overrides. A caller's variable assignments stay in the environment as
# plain variables (make exports them), so `make DXGK_TEST_IOCTLS=y` still
# reaches Kbuild, while kbuild's O=, M=, W= and C= only count on kbuild's
# command line. Only a caller's -s is kept (`make -s run` stays quiet).
set -euo pipefail
quiet=
for f in ${MAKEFLAGS:-}; do
	[ "$f" = -- ] && break
	case $f in --silent|--quiet|-s|[!-]*s*|s*) quiet=-s ;; esac
done
unset MAKEFLAGS MFLAGS GNUMAKEFLAGS MAKELEVEL MAKEOVERRIDES KBUILD_OUTPUT KBUILD_EXTMOD

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:?usage: build-modules.sh KDIR OUT [make args]}
out=${2:?usage: build-modules.sh KDIR OUT [make args]}
shift 2

[ -f "$kdir/Makefile" ] || {
	echo "build-modules: no kernel build tree at '$kdir' (run scripts/setup.sh)" >&2
	exit 1
}
# The kernel release names the build directory: from the tree's
# include/config/kernel.release (Debian's headers, a built tree), else from
# kbuild; either way it must be one word of a release's characters.
if [ -s "$kdir/include/config/kernel.release" ]; then
	release=$(cat "$kdir/include/config/kernel.release")
else
	release=$(make -s --no-print-directory -C "$kdir" kernelrelease 2>/dev/null) || release=
fi
[[ $release =~ ^[A-Za-z0-9][A-Za-z0-9._+~-]*$ ]] || {
	echo "build-modules: cannot read the kernel release of '$kdir' (got '$release')" >&2
	exit 1
}
mkdir -p "$out"
out=$(cd "$out" && pwd)
dir=$out/kmod/$release
mkdir -p "$dir"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' \
	--exclude '.*.cmd' --exclude 'modules.order' --exclude 'Module.symvers' \
	"$top/Kbuild" "$top/Kconfig" "$top/drivers" "$top/include" "$dir/"
make $quiet -C "$kdir" M="$dir" "$@" modules >&2
echo "$dir"
