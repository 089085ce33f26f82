#!/bin/bash
# Place dxgkcompat into a kernel source tree, as a driver of that tree.
#
#   scripts/intree.sh SRC              place (or refresh) the driver in SRC
#   scripts/intree.sh --build SRC O    place it, then build its modules in
#                                      the kernel build dir O (O= build of
#                                      SRC, configured and built before)
#
# Placing puts
#   drivers/gpu/drm/dxgkcompat/          the driver, its miniports, its tests
#   drivers/gpu/drm/dxgkcompat/Kconfig   the project's Kconfig
#   include/dxgkcompat/                  the WDK headers
#   include/uapi/drm/dxgkcompat_drm.h    the uapi header
# into SRC, and adds one `source` line to drivers/gpu/drm/Kconfig and one
# `obj-` line to drivers/gpu/drm/Makefile (each once). The driver then
# builds with the kernel's own Kconfig symbols: CONFIG_DRM_DXGKCOMPAT=m
# and the others in the kernel's .config. Running it again refreshes the
# files (rsync: only changed files get a new mtime, so an incremental
# kernel build rebuilds only what changed). The test debug kernels are
# built this way (tests/testbox/build-kernel.sh), and scripts/check.sh
# rebuilds the in-tree modules with --build on every run.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
die() { echo "intree: ERROR: $*" >&2; exit 1; }

build=0
if [ "${1:-}" = --build ]; then build=1; shift; fi
src=${1:?usage: intree.sh [--build] SRC [O]}
[ -f "$src/Makefile" ] && [ -f "$src/drivers/gpu/drm/Kconfig" ] ||
	die "'$src' is not a kernel source tree"

drv=$src/drivers/gpu/drm/dxgkcompat
mkdir -p "$drv" "$src/include/dxgkcompat"
rsync -a --delete --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' \
	--exclude '.*.cmd' --exclude 'modules.order' --exclude 'Module.symvers' \
	"$top/drivers/gpu/drm/dxgkcompat/" "$drv/"
rsync -a "$top/Kconfig" "$drv/Kconfig"
rsync -a --delete "$top/include/dxgkcompat/" "$src/include/dxgkcompat/"
rsync -a "$top/include/uapi/drm/dxgkcompat_drm.h" "$src/include/uapi/drm/"

kc=$src/drivers/gpu/drm/Kconfig
line='source "drivers/gpu/drm/dxgkcompat/Kconfig"'
if ! grep -qxF "$line" "$kc"; then
	# inside the DRM menu: before the `endif` that closes `if DRM`, or at
	# the end when the file has no such block
	if grep -qx 'endif' "$kc"; then
		awk -v l="$line" '{ a[NR] = $0 } $0 == "endif" { last = NR }
			END { for (i = 1; i <= NR; i++) { if (i == last) print l "\n"; print a[i] } }' \
			"$kc" > "$kc.dxgk" && mv "$kc.dxgk" "$kc"
	else
		printf '\n%s\n' "$line" >> "$kc"
	fi
fi
mk=$src/drivers/gpu/drm/Makefile
line='obj-$(CONFIG_DRM_DXGKCOMPAT) += dxgkcompat/'
grep -qxF "$line" "$mk" || printf '%s\n' "$line" >> "$mk"
echo "intree: placed in $drv" >&2

[ "$build" = 1 ] || exit 0
o=${2:?usage: intree.sh --build SRC O}
[ -f "$o/.config" ] || die "no configured kernel build in '$o'"
grep -q '^CONFIG_DRM_DXGKCOMPAT=m' "$o/.config" ||
	die "$o/.config has no CONFIG_DRM_DXGKCOMPAT=m"
# Every symbol of the driver's Kconfig on (tristates m), so that a
# miniport added since the kernel was configured is built too; Kconfig
# then drops those whose dependencies this kernel lacks (the benchmarks
# need TTM).
while read -r sym type; do
	case "$type" in
	tristate) "$src/scripts/config" --file "$o/.config" --module "$sym" ;;
	bool) "$src/scripts/config" --file "$o/.config" --enable "$sym" ;;
	esac
done < <(awk '$1 == "config" { sym = $2; next }
	      sym && ($1 == "tristate" || $1 == "bool") { print sym, $1; sym = "" }' "$top/Kconfig")
# MAKEFLAGS from a parent make (-w, -s, -j) must not change kbuild's view
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -C "$src" O="$o" ARCH=x86_64 olddefconfig >/dev/null
# the modules Kconfig enabled, by their Kconfig symbol
want=()
for d in $(cd "$drv" && find . -name Makefile -printf '%h\n'); do
	while read -r sym mod; do
		grep -q "^$sym=m" "$o/.config" &&
			want+=("drivers/gpu/drm/dxgkcompat/${d#./}/$mod.ko")
	done < <(sed -n 's/^obj-\$(\(CONFIG_[A-Z0-9_]*\)) *+= *\([a-z0-9_]*\)\.o$/\1 \2/p' "$drv/$d/Makefile")
done
[ ${#want[@]} -gt 0 ] || die "no dxgkcompat module is enabled in $o/.config"
want=("${want[@]//\/.\//\/}")
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -C "$src" O="$o" ARCH=x86_64 -j"$(nproc)" "${want[@]}" >&2
for k in "${want[@]}"; do
	[ -f "$o/$k" ] || die "$k was not built"
done
echo "intree: built ${#want[@]} modules in $o: ${want[*]##*/}" >&2
