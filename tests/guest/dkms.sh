#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dxgk-boxes: distro:strict
# The DKMS-built modules (scripts/dkms-test.sh) in the kernel they were
# built for: loaded, both adapters up, the loaded modules proved to be
# those files, then unloaded. Run inside the test box as root, with none
# of dxgkcompat, dxgk_virt, dxgk_edu loaded (after suite.sh's
# unload-dxgkcompat); leaves them unloaded.
#
#   dkms.sh KMOD_DIR
#
# KMOD_DIR is the directory dkms-test.sh printed last, laid out as a
# scripts/build-modules.sh build directory.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
kmod=${1:?KMOD_DIR}
mods=$kmod/drivers/gpu/drm/dxgkcompat
declare -A ko=(
	[dxgkcompat]=$mods/dxgkcompat.ko
	[dxgk_virt]=$mods/miniports/virt/dxgk_virt.ko
	[dxgk_edu]=$mods/miniports/edu/dxgk_edu.ko
)
names=(dxgkcompat dxgk_virt dxgk_edu)

# Each module is for the running kernel, and DKMS built it (DKMS signs
# what it builds with its own key; build-modules.sh leaves modules unsigned).
for_this_kernel() {
	local m v
	for m in "${names[@]}"; do
		v=$(modinfo -F vermagic "${ko[$m]}") || return 1
		[[ $v == "$(uname -r) "* ]] || { echo "dkms: $m is for '${v%% *}', not $(uname -r)"; return 1; }
	done
}
dkms_signed() {
	local m s
	for m in "${names[@]}"; do
		s=$(modinfo -F signer "${ko[$m]}") || return 1
		[ "$s" = "DKMS module signing key" ] || { echo "dkms: $m signer '$s'"; return 1; }
	done
}

# build_id_of_file KO: its GNU build ID, hex
build_id_of_file() {
	readelf -n "$1" 2>/dev/null | sed -n 's/^[[:space:]]*Build ID: \([0-9a-f]*\)$/\1/p' | head -1
}
# The loaded modules are the files in KMOD_DIR: the build ID in the
# kernel's copy of each module's notes (/sys/module/M/notes, the raw ELF
# note: header, "GNU\0", then the ID) is the file's; where the module has
# a srcversion (MODULE_VERSION), that must match too.
loaded_are_ours() {
	local m id hex n=/sys/module
	for m in "${names[@]}"; do
		id=$(build_id_of_file "${ko[$m]}")
		[ -n "$id" ] || { echo "dkms: no build ID in ${ko[$m]}"; return 1; }
		hex=$(od -An -v -tx1 "$n/$m/notes/.note.gnu.build-id" 2>/dev/null | tr -d ' \n')
		[[ -n $hex && $hex == *"$id" ]] ||
			{ echo "dkms: loaded $m has build ID note '$hex', the file $id"; return 1; }
		if [ -e "$n/$m/srcversion" ] &&
		   [ "$(cat "$n/$m/srcversion")" != "$(modinfo -F srcversion "${ko[$m]}")" ]; then
			echo "dkms: loaded $m srcversion $(cat "$n/$m/srcversion"), the file's $(modinfo -F srcversion "${ko[$m]}")"
			return 1
		fi
	done
}
all_gone() {
	local m
	for m in "${names[@]}"; do
		[ ! -d "/sys/module/$m" ] || { echo "dkms: $m still loaded"; return 1; }
	done
}

check dkms-for-this-kernel for_this_kernel
check dkms-signed dkms_signed
# The distro kernel has DRM as a module.
modprobe drm 2>/dev/null
check dkms-load-dxgkcompat insmod "${ko[dxgkcompat]}"
check dkms-load-virt insmod "${ko[dxgk_virt]}"
check dkms-load-edu insmod "${ko[dxgk_edu]}"
check dkms-virt-card wait_for_card dxgk_virt
check dkms-edu-card wait_for_card dxgk_edu
check dkms-loaded-are-ours loaded_are_ours
check dkms-unload-miniports rmmod dxgk_edu dxgk_virt
check dkms-unload-dxgkcompat rmmod dxgkcompat
check dkms-all-gone all_gone
exit 0
