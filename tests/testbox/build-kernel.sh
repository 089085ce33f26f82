#!/bin/bash
# Build the dxgkcompat debug test kernel (KASAN, lockdep, kmemleak, ...).
#
#   KDIR=$(tests/testbox/build-kernel.sh | tail -1)
#
# Starts from an EMPTY .config + tests/testbox/debug.config, runs
# `make olddefconfig` (Kconfig defaults, like kunit.py), checks that every
# fragment line stuck, then builds bzImage + modules_prepare + modules (the
# latter writes Module.symvers so that `make -C $KDIR M=dir` works).
# Kernel bugs the project's tests found, and that the debug kernel must not
# have for them to run, are fixed by the patches in tests/testbox/patches/
# (each says what and why), applied to the unpacked source before the
# build; the distro kernels are run as Debian ships them.
# The build dir is $DXGK_CACHE/kernel-debug-<hash>, hash over the fragment,
# this script, the patches and the name/size of the source tarball.  Logs go
# to <O>/build.log.  The last stdout line is the O dir (= KDIR).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DXGK_CACHE:-/var/cache/dxgkcompat}
frag=$here/debug.config
tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
src=$cache/src/linux-source-6.12

die() { echo "build-kernel: ERROR: $*" >&2; exit 1; }

[ -n "$tarball" ] || die "/usr/src/linux-source-6.12.tar.xz missing: run scripts/setup.sh"
[ -f "$src/Makefile" ] || die "$src missing: run scripts/setup.sh"

patches=("$here"/patches/*.patch)
[ -e "${patches[0]}" ] || patches=()
hash=$( { cat "$frag" "$here/build-kernel.sh" "${patches[@]}"; \
          stat -c '%n %s' "$tarball"; } | sha256sum | cut -c1-12)
out=$cache/kernel-debug-$hash
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

# Fragment -> .config (comments that are not "# CONFIG_x is not set" dropped).
grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$frag" > "$out/.config"
make -C "$src" O="$out" ARCH=x86_64 olddefconfig >>"$log" 2>&1 \
	|| { tail -20 "$log" >&2; die "olddefconfig failed (see $log)"; }

missing=()
while IFS= read -r line; do
	grep -qxF -- "$line" "$out/.config" || missing+=("$line")
done < <(grep -E '^(CONFIG_|# CONFIG_[A-Za-z0-9_]+ is not set)' "$frag")
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
