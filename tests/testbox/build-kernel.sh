#!/bin/bash
# Build one of the dxgkcompat test kernels (KASAN, lockdep, kmemleak, ...).
#
#   KDIR=$(tests/testbox/build-kernel.sh [debug|latest] | tail -1)
#
#   debug   Debian bookworm's linux-source-6.12, the kernel the distro box
#           runs, with the debug options
#   latest  the newest kernel Debian has (linux-source-7.2 from sid, fetched
#           by scripts/fetch-latest.sh without touching the system's apt
#           sources), with the same options
#
# Both are built as users build a kernel with a driver in it: the driver is
# first placed into the source tree (scripts/intree.sh), so the kernel's
# own Kconfig builds it (CONFIG_DRM_DXGKCOMPAT=m and the others in
# debug.config). The test boxes load the out-of-tree modules built with
# W=1 against the same tree; scripts/check.sh rebuilds the in-tree ones on
# every run (scripts/intree.sh --build), so the cached kernel never hides an
# in-tree build break.
#
# Starts from an EMPTY .config + tests/testbox/debug.config, runs
# `make olddefconfig` (Kconfig defaults, like kunit.py), checks that every
# fragment line stuck, then builds bzImage + modules_prepare + modules (the
# latter writes Module.symvers so that `make -C $KDIR M=dir` works).
# Kernel bugs the project's tests found, and that the debug kernels must not
# have for them to run, are fixed by the patches in tests/testbox/patches/
# (each says what and why), applied to the unpacked source before the
# build; the distro kernels are run as Debian ships them.
# The build dir is $DXGK_CACHE/kernel-<flavour>-<hash>, hash over the
# fragment, this script, the patches and the name/size of the source
# tarball (not over the driver: see above). Logs go to <O>/build.log. The
# last stdout line is the O dir (= KDIR).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DXGK_CACHE:-/var/cache/dxgkcompat}
top=$(cd "$here/../.." && pwd)
frag=$here/debug.config
flavour=${1:-debug}

die() { echo "build-kernel: ERROR: $*" >&2; exit 1; }

case "$flavour" in
debug)
	tarball=/usr/src/linux-source-6.12.tar.xz
	src=$cache/src/linux-source-6.12
	localversion=-dxgkdbg
	fetch="scripts/setup.sh" ;;
latest)
	tarball=$cache/src/linux-source-7.2.tar.xz
	src=$cache/src/linux-source-7.2
	localversion=-dxgklatest
	fetch="scripts/setup.sh (scripts/fetch-latest.sh)" ;;
*) die "unknown kernel flavour '$flavour' (debug or latest)" ;;
esac
[ -f "$tarball" ] || die "$tarball missing: run $fetch"
[ -f "$src/Makefile" ] || die "$src missing: run $fetch"

patches=("$here"/patches/*.patch)
[ -e "${patches[0]}" ] || patches=()
hash=$( { cat "$frag" "$here/build-kernel.sh" "${patches[@]}"; \
          stat -c '%n %s' "$tarball"; } | sha256sum | cut -c1-12)
out=$cache/kernel-$flavour-$hash
stamp=$out/.dxgk-build-done

if [ -f "$out/arch/x86/boot/bzImage" ] && [ -f "$stamp" ]; then
	echo "build-kernel: up to date: $out" >&2
	echo "$out"
	exit 0
fi

mkdir -p "$out"
log=$out/build.log
: > "$log"

# The patches, each once: one that reverses cleanly is already in.
for p in "${patches[@]}"; do
	if patch -d "$src" -p1 -R --dry-run -s -f < "$p" >/dev/null 2>&1; then
		echo "build-kernel: already applied: ${p##*/}" >&2
	elif patch -d "$src" -p1 -N -s < "$p" >>"$log" 2>&1; then
		echo "build-kernel: applied ${p##*/}" >&2
	else
		tail -5 "$log" >&2
		die "patch ${p##*/} does not apply to $src"
	fi
done

# The driver, in the tree like any other (its Kconfig symbols are in the
# fragment).
"$top/scripts/intree.sh" "$src" 2>>"$log" || die "placing the driver in $src failed"

# Fragment -> .config (comments that are not "# CONFIG_x is not set"
# dropped), with the flavour's LOCALVERSION.
fragment() {
	grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$frag" |
		sed -n -e "s/^CONFIG_LOCALVERSION=.*/CONFIG_LOCALVERSION=\"$localversion\"/" \
		    -e "s/ *# only:$flavour\$//" -e '/# only:/d' -e p
}
fragment > "$out/.config"
make -C "$src" O="$out" ARCH=x86_64 olddefconfig >>"$log" 2>&1 \
	|| { tail -20 "$log" >&2; die "olddefconfig failed (see $log)"; }

missing=()
while IFS= read -r line; do
	grep -qxF -- "$line" "$out/.config" || missing+=("$line")
done < <(fragment)
if [ ${#missing[@]} -gt 0 ]; then
	echo "build-kernel: these fragment lines did not stick (missing dependency?):" >&2
	for l in "${missing[@]}"; do
		sym=${l#\# }; sym=${sym%%[= ]*}
		echo "  wanted: $l    got: $(grep -E "^(# )?$sym[= ]" "$out/.config" || echo '(absent: not visible)')" >&2
	done
	exit 1
fi

start=$(date +%s)
echo "build-kernel: building $out (-j$(nproc), log $log)" >&2
if ! make -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" \
	bzImage modules modules_prepare >>"$log" 2>&1; then
	tail -40 "$log" >&2
	die "kernel build failed (see $log)"
fi
[ -f "$out/Module.symvers" ] || die "$out/Module.symvers missing after build"
[ -f "$out/arch/x86/boot/bzImage" ] || die "bzImage missing after build"
end=$(date +%s)
echo "$((end - start))" > "$stamp"
echo "build-kernel: done in $((end - start)) s: $out" >&2
echo "$out"
