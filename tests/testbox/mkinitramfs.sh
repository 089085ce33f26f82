#!/bin/bash
# Build (or reuse) the busybox initramfs of the test box.
#
#   mkinitramfs.sh distro|distro61|debug KERNEL_RELEASE -> prints the .cpio.gz path
#
# Contents: busybox-static, /init (guest-init.sh) and, for the Debian kernels
# (distro 6.12, distro61 6.1), the (decompressed) modules needed to mount the
# host root over virtio-9p with an overlay on top (dependencies resolved with
# modprobe --show-depends; 6.12 ships them as .ko.xz, 6.1 as plain .ko).  The
# debug kernel has all of that built in.  Cached under
# $DXGK_CACHE/initramfs/<kind>-<release>-<hash>.cpio.gz, hash over this script,
# guest-init.sh and the busybox binary.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DXGK_CACHE:-/var/cache/dxgkcompat}
kind=${1:?usage: mkinitramfs.sh distro|distro61|debug|latest KERNEL_RELEASE}
kver=${2:?usage: mkinitramfs.sh distro|distro61|debug|latest KERNEL_RELEASE}
busybox=/bin/busybox

die() { echo "mkinitramfs: ERROR: $*" >&2; exit 1; }
[ -x "$busybox" ] && file_is_static=$(ldd "$busybox" 2>&1 || true)
case "${file_is_static:-}" in *"not a dynamic"*|*"statically linked"*) ;;
	*) die "$busybox is missing or not static (package busybox-static)";; esac

case "$kind" in distro|distro61|debug|latest) ;; *) die "unknown kind '$kind'" ;; esac

# Modules to put in the initramfs (Debian kernels only), in load order.
# virtio_pci: built into 6.12 (modprobe says "builtin", nothing to add), a
# module in 6.1, where without it the 9p shares have no transport.
modules=()
if [ "$kind" = distro ] || [ "$kind" = distro61 ]; then
	[ -d "/lib/modules/$kver" ] || die "/lib/modules/$kver missing"
	for m in virtio_pci 9pnet_virtio 9p overlay; do
		# into a variable first: a die in the loop's input would only
		# end a subshell and leave the module out without a word
		deps=$(modprobe -S "$kver" --show-depends "$m" 2>/dev/null) ||
			die "cannot resolve module $m for $kver"
		while read -r verb path _; do
			[ "$verb" = insmod ] || continue
			case " ${modules[*]:-} " in *" $path "*) ;; *) modules+=("$path");; esac
		done <<< "$deps"
	done
fi

hash=$( { cat "$here/mkinitramfs.sh" "$here/guest-init.sh"; sha256sum "$busybox";
	  for m in "${modules[@]:-}"; do [ -z "$m" ] || stat -c "%n %s %Y" "$m"; done; } |
	sha256sum | cut -c1-12)
out=$cache/initramfs/$kind-$kver-$hash.cpio.gz
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi

mkdir -p "$cache/initramfs"
stage=$(mktemp -d /tmp/dxgk-initramfs.XXXXXX)
trap 'rm -rf "$stage"' EXIT
cd "$stage"
mkdir -p bin sbin proc sys dev mnt/lower mnt/rw mnt/job newroot "lib/modules/$kver"
cp "$busybox" bin/busybox
ln -s busybox bin/sh
install -m 0755 "$here/guest-init.sh" init
mknod -m 600 dev/console c 5 1
mknod -m 666 dev/null c 1 3
: > "lib/modules/$kver/load.list"
for m in "${modules[@]:-}"; do
	[ -n "$m" ] || continue
	base=$(basename "$m"); base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
	case "$m" in
	*.ko.xz)  xz -dc "$m" ;;
	*.ko.zst) zstd -qdc "$m" ;;
	*.ko.gz)  gzip -dc "$m" ;;
	*)        cat "$m" ;;
	esac > "lib/modules/$kver/$base"
	echo "$base" >> "lib/modules/$kver/load.list"
done
tmp=$out.tmp.$$
find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0 | gzip -6 > "$tmp"
mv "$tmp" "$out"
echo "mkinitramfs: built $out (${#modules[@]} modules)" >&2
echo "$out"
