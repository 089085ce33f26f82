#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The DKMS package (dkms.conf) built and installed with Debian's dkms, into
# a scratch DKMS tree: the system's /usr/src, /var/lib/dkms and /lib/modules
# are only read (dkms reads /lib/modules/<kernel>/modules.dep for the
# module compression), never written.
#
#   scripts/dkms-test.sh [KDIR [OUT]]
#
# KDIR is the kernel's build tree (default: the newest Debian 6.12 headers),
# OUT the scratch directory (default /tmp/dxgk-dkms), which holds
#   stage/    the package's sources, as `dkms add DIR` takes them
#   src/      dkms --sourcetree (add copies stage/ to src/dxgkcompat-VER/)
#   tree/     dkms --dkmstree (the build and the built modules)
#   install/  dkms --installtree (install puts the modules in
#             install/<kernel>/updates/dkms/, Debian's place; no depmod)
#   keys/     the module signing key dkms makes (dkms signs what it builds)
#   kmod/<kernel>/  the installed modules, uncompressed, laid out as a
#             scripts/build-modules.sh build directory, so that
#             tests/guest/suite.sh and tests/guest/dkms.sh take it as KMOD_DIR
# and is emptied of these first. Prints "dkms: STEP: pass|fail" for the
# steps add, build, install and vermagic (every module's modinfo names the
# kernel), then, last, the kmod directory. Exits 1 if a step failed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
kdir=${1:-$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -1)}
out=${2:-/tmp/dxgk-dkms}
unset MAKEFLAGS MFLAGS GNUMAKEFLAGS MAKELEVEL MAKEOVERRIDES KBUILD_OUTPUT KBUILD_EXTMOD

say() { echo "dkms-test: $*" >&2; }
failed=0
result() {
	echo "dkms: $1: $2"
	[ "$2" = pass ] || failed=1
}
# the end: the results are printed; the kmod directory last, when it is whole
finish() {
	[ "$failed" = 0 ] && echo "$kmod"
	exit "$failed"
}

command -v dkms >/dev/null || { say "no dkms (scripts/setup.sh installs it)"; result add fail; exit 1; }
[ -n "$kdir" ] && [ -f "$kdir/Makefile" ] || { say "no kernel build tree at '$kdir'"; result add fail; exit 1; }
kdir=$(cd "$kdir" && pwd)
release=$(cat "$kdir/include/config/kernel.release" 2>/dev/null) ||
	release=$(make -s --no-print-directory -C "$kdir" kernelrelease)
[[ $release =~ ^[A-Za-z0-9][A-Za-z0-9._+~-]*$ ]] || { say "no kernel release for '$kdir'"; result add fail; exit 1; }
arch=$(uname -m)

# the package, from dkms.conf itself
pkg=$(set +u; . "$top/dkms.conf" && echo "$PACKAGE_NAME")
ver=$(set +u; . "$top/dkms.conf" && echo "$PACKAGE_VERSION")
[ -n "$pkg" ] && [ -n "$ver" ] || { say "dkms.conf names no package/version"; result add fail; exit 1; }

mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 1
for d in stage src tree install keys kmod; do rm -rf "${out:?}/$d"; done
mkdir -p "$out"/{stage,src,tree,install/"$release",keys}
kmod=$out/kmod/$release
log=$out/dkms.log
: > "$log"

# every dkms call: the scratch trees, the kernel and its build tree, and
# the signing key in the scratch directory (dkms would make one in
# /var/lib/dkms: its path comes from the environment when framework.conf
# does not set it)
export mok_signing_key=$out/keys/mok.key mok_certificate=$out/keys/mok.pub
run_dkms() {
	local action=$1
	shift
	echo "== dkms $action $*" >> "$log"
	dkms "$action" "$@" --dkmstree "$out/tree" --sourcetree "$out/src" \
		--installtree "$out/install" -k "$release/$arch" --kernelsourcedir "$kdir" \
		>> "$log" 2>&1
}
fail_log() { say "$1; the end of $log:"; tail -n 25 "$log" >&2; }

# The package's files, as a checkout has them (build products left out).
rsync -a --exclude '*.o' --exclude '*.ko' --exclude '*.mod*' --exclude '.*.cmd' \
	--exclude 'modules.order' --exclude 'Module.symvers' \
	"$top/dkms.conf" "$top/Kbuild" "$top/Kconfig" "$top/drivers" "$top/include" "$out/stage/"

mods=(dxgkcompat dxgk_virt dxgk_edu dxgk_sample)
# where build-modules.sh has each module
declare -A path=(
	[dxgkcompat]=drivers/gpu/drm/dxgkcompat/dxgkcompat.ko
	[dxgk_virt]=drivers/gpu/drm/dxgkcompat/miniports/virt/dxgk_virt.ko
	[dxgk_edu]=drivers/gpu/drm/dxgkcompat/miniports/edu/dxgk_edu.ko
	[dxgk_sample]=drivers/gpu/drm/dxgkcompat/miniports/sample/dxgk_sample.ko
)
# one_of DIR NAME: DIR/NAME.ko, compressed or not, if there
one_of() {
	local f
	for f in "$1/$2.ko" "$1/$2.ko.xz" "$1/$2.ko.zst" "$1/$2.ko.gz"; do
		[ -f "$f" ] && { echo "$f"; return 0; }
	done
	return 1
}

say "add $out/stage ($pkg/$ver) for $release, build tree $kdir"
if run_dkms add "$out/stage" && [ -f "$out/src/$pkg-$ver/dkms.conf" ] &&
   [ -d "$out/tree/$pkg/$ver/source/drivers" ]; then
	result add pass
else
	fail_log "dkms add failed"
	result add fail
	finish
fi

say "build (the log: $log)"
t0=$(date +%s)
built=$out/tree/$pkg/$ver/$release/$arch/module
ok=1
run_dkms build -m "$pkg" -v "$ver" || ok=0
for m in "${mods[@]}"; do
	one_of "$built" "$m" >/dev/null || { say "built module $m missing in $built"; ok=0; }
done
if [ "$ok" = 1 ]; then
	say "built in $(($(date +%s) - t0)) s: $(cd "$built" && echo *)"
	result build pass
else
	fail_log "dkms build failed"
	ls "$out/tree/$pkg/$ver/build/make.log" >/dev/null 2>&1 &&
		tail -n 25 "$out/tree/$pkg/$ver/build/make.log" >&2
	result build fail
	finish
fi

say "install into $out/install/$release"
ok=1
run_dkms install -m "$pkg" -v "$ver" --no-depmod || ok=0
dest=$out/install/$release/updates/dkms
for m in "${mods[@]}"; do
	one_of "$dest" "$m" >/dev/null || { say "installed module $m missing in $dest"; ok=0; }
done
status=$(dkms status -m "$pkg" -v "$ver" --dkmstree "$out/tree" --sourcetree "$out/src" \
	--installtree "$out/install" -k "$release/$arch" 2>&1)
echo "== dkms status: $status" >> "$log"
[[ $status == *"$pkg/$ver, $release, $arch: installed"* ]] ||
	{ say "dkms status says '$status'"; ok=0; }
if [ "$ok" = 1 ]; then
	result install pass
else
	fail_log "dkms install failed"
	result install fail
	finish
fi

# The installed modules, uncompressed, where build-modules.sh puts them.
ok=1
for m in "${mods[@]}"; do
	f=$(one_of "$dest" "$m")
	t=$kmod/${path[$m]}
	mkdir -p "${t%/*}"
	case $f in
	*.xz) xz -dc "$f" > "$t" ;;
	*.zst) zstd -q -dc "$f" > "$t" ;;
	*.gz) gzip -dc "$f" > "$t" ;;
	*) cp "$f" "$t" ;;
	esac || ok=0
	vermagic=$(modinfo -F vermagic "$t" 2>/dev/null)
	name=$(modinfo -F name "$t" 2>/dev/null)
	say "$m: $(modinfo -F srcversion "$t" 2>/dev/null) vermagic '$vermagic'" \
		"signer '$(modinfo -F signer "$t" 2>/dev/null)'"
	[ "$name" = "$m" ] && [[ $vermagic == "$release "* ]] ||
		{ say "$t: name '$name', vermagic '$vermagic', not for $release"; ok=0; }
done
if [ "$ok" = 1 ]; then result vermagic pass; else result vermagic fail; fi
finish
