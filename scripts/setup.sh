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
	"linux-source-$kflavour"
	# bookworm's own kernel headers, 6.1 (its image: "6.1 test kernel")
	linux-headers-amd64
	# userspace DRM tests and clients (tests/guest/clients.sh)
	intel-gpu-tools libdrm-dev libdrm-tests drm-info
	# the DKMS package (dkms.conf, scripts/dkms-test.sh)
	dkms
	# used by the test box scripts (lspci inside the guest)
	pciutils
	# the IGT tests and tools find libdrm with it
	pkg-config
)

[ "$(id -u)" = 0 ] || die "must run as root (apt-get install)"

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null; }

# apt_install PKG[=VERSION]...: one package at a time, so that a failure
# names its package; apt-get update runs once, before the first install.
updated=0
apt_install() {
	local p
	if [ "$updated" = 0 ]; then
		apt-get update -q >/dev/null || die "apt-get update failed"
		updated=1
	fi
	for p in "$@"; do
		if ! apt-get install -y -q --no-install-recommends "$p" >/tmp/setup-apt.$$ 2>&1; then
			tail -5 /tmp/setup-apt.$$ >&2
			rm -f /tmp/setup-apt.$$
			die "apt-get install of package '$p' failed"
		fi
	done
	rm -f /tmp/setup-apt.$$
	for p in "$@"; do
		installed "${p%%=*}" || die "package '${p%%=*}' still not installed"
	done
}

missing=()
for p in "${pkgs[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	say "packages (${#pkgs[@]}) ok"
else
	say "packages: installing ${missing[*]}"
	apt_install "${missing[@]}"
	say "packages installed: ${missing[*]} ok"
fi

# 6.1 test kernel ("distro61", tests/testbox/run.sh --kernel distro61): the
# image of exactly the ABI and version of the 6.1 headers that check.sh
# builds the modules against, so that those modules load in the kernel the
# box boots. Both are read from linux-headers-amd64's dependency
# ("linux-headers-6.1.0-57-amd64 (= 6.1.192-3)") rather than written here:
# a bookworm point release that moves the ABI moves the headers, and the
# next setup run follows with the image.
dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null || true)
dep_re='linux-headers-(6\.1\.[0-9]+-[0-9]+)-amd64 \(= ([^)]+)\)'
[[ $dep =~ $dep_re ]] ||
	die "cannot read the 6.1 ABI from linux-headers-amd64's dependency '$dep'"
abi61=${BASH_REMATCH[1]} ver61=${BASH_REMATCH[2]}
img61=linux-image-$abi61-amd64
[ "$(version "linux-headers-$abi61-amd64")" = "$ver61" ] ||
	die "linux-headers-$abi61-amd64 is not installed at $ver61"
if installed "$img61" && [ "$(version "$img61")" = "$ver61" ]; then
	say "6.1 kernel $img61 $ver61 ok"
else
	# a different version of the same ABI (the image upgraded alone)
	# is replaced by the headers' one, if the archive still has it
	say "6.1 kernel: installing $img61=$ver61 (the 6.1 headers' ABI and version)"
	apt_install "$img61=$ver61"
	[ "$(version "$img61")" = "$ver61" ] || die "$img61 is not at $ver61 after install"
	say "6.1 kernel $img61 $ver61 installed"
fi
# what the test box needs of it: the image, and modules.dep for modprobe
# (the initramfs modules and drm/vgem in the guest)
[ -f "/boot/vmlinuz-$abi61-amd64" ] || die "/boot/vmlinuz-$abi61-amd64 missing (package $img61)"
[ -f "/lib/modules/$abi61-amd64/modules.dep" ] ||
	die "/lib/modules/$abi61-amd64/modules.dep missing (package $img61)"

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

# The newest kernel's source (the `latest` test kernel, 7.2 from sid) and
# a sparse that reads it, without adding sid to the system's sources.
"$(dirname "$0")/fetch-latest.sh" || die "fetching the latest kernel source failed"

# KVM is optional: the test box falls back to TCG.
if [ -w /dev/kvm ]; then say "kvm device present (run.sh probes it)"; else say "no usable /dev/kvm: test box uses TCG"; fi
say "done"
