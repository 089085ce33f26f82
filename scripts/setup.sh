#!/bin/bash
# Install everything the dxgkcompat project needs on a Debian bookworm box.
# Idempotent: apt-get update/install only run when a package is missing.
# Only Debian's apt archive is used.
set -euo pipefail

cache=${DXGK_CACHE:-/var/cache/dxgkcompat}
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*"; }
die() { echo "setup: ERROR: $*" >&2; exit 1; }

# Distro kernel flavour used for the "distro" test kernel and its headers.
kflavour=6.12

pkgs=(
	# toolchain + kernel build
	build-essential flex bison bc libelf-dev libssl-dev dwarves cpio kmod
	xz-utils zstd sparse python3 rsync
	# test box
	busybox-static qemu-system-x86
	"linux-image-$kflavour-amd64" "linux-headers-$kflavour-amd64"
	linux-headers-amd64 "linux-source-$kflavour"
	# userspace DRM tests
	intel-gpu-tools libdrm-dev libdrm-tests
	# used by the test box scripts (lspci inside the guest)
	pciutils
	# the IGT tests and tools find libdrm with it
	pkg-config
)

[ "$(id -u)" = 0 ] || die "must run as root (apt-get install)"

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	say "packages (${#pkgs[@]}) ok"
else
	say "packages: installing ${missing[*]}"
	apt-get update -q >/dev/null || die "apt-get update failed"
	for p in "${missing[@]}"; do
		if ! apt-get install -y -q --no-install-recommends "$p" >/tmp/setup-apt.$$ 2>&1; then
			tail -5 /tmp/setup-apt.$$ >&2
			rm -f /tmp/setup-apt.$$
			die "apt-get install of package '$p' failed"
		fi
	done
	rm -f /tmp/setup-apt.$$
	for p in "${missing[@]}"; do
		installed "$p" || die "package '$p' still not installed"
	done
	say "packages installed: ${missing[*]} ok"
fi

# Kernel source for the debug test kernel.
tarball=/usr/src/linux-source-$kflavour.tar.xz
src=$cache/src/linux-source-$kflavour
[ -f "$tarball" ] || die "$tarball missing (package linux-source-$kflavour)"
if [ -f "$src/Makefile" ] && [ -f "$src/.dxgk-unpacked" ] &&
   [ "$(cat "$src/.dxgk-unpacked")" = "$(stat -c '%s %Y' "$tarball")" ]; then
	say "kernel source $src ok"
elif [ -f "$src/Makefile" ] && [ ! -e "$src/.dxgk-unpacked" ] &&
     [ "$(stat -c %Y "$src/Makefile")" -le "$(stat -c %Y "$tarball")" ]; then
	# Unpacked by hand earlier from this tarball: adopt it.
	stat -c '%s %Y' "$tarball" > "$src/.dxgk-unpacked"
	say "kernel source $src ok (adopted)"
else
	say "kernel source: unpacking $tarball into $cache/src"
	rm -rf "$src"
	mkdir -p "$cache/src"
	tar -C "$cache/src" -xJf "$tarball" || die "unpacking $tarball failed"
	[ -f "$src/Makefile" ] || die "$src/Makefile missing after unpack"
	stat -c '%s %Y' "$tarball" > "$src/.dxgk-unpacked"
	say "kernel source $src ok"
fi

# KVM is optional: the test box falls back to TCG.
if [ -w /dev/kvm ]; then say "kvm device present (run.sh probes it)"; else say "no usable /dev/kvm: test box uses TCG"; fi
say "done"
