#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Adapter lifecycle from user space: unbind/rebind, module unload in both
# orders, and the port driver pinned while miniports use it. Expects
# dxgkcompat, dxgk_virt and dxgk_edu loaded; leaves them loaded.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mods=${1:?MODS_DIR}

loaded() { [ -d "/sys/module/$1" ]; }
gone() { ! loaded "$1"; }
no_cards() { [ -z "$(cards_of dxgk_virt)$(cards_of dxgk_edu)" ]; }
ddi_seen() { dmesg | grep -q "$1"; }

# The port driver cannot go while a miniport uses it.
check port-pinned-by-miniports bash -c '! rmmod dxgkcompat 2>/dev/null'
check port-still-loaded loaded dxgkcompat

# Unbind the edu device: its adapter goes away; bind it back.
edu=$(basename "$(readlink /sys/bus/pci/drivers/dxgk_edu/0* 2>/dev/null)" 2>/dev/null)
if [ -n "$edu" ]; then
	echo "$edu" > /sys/bus/pci/drivers/dxgk_edu/unbind
	check unbind-edu-removes-card bash -c "[ -z \"\$(. $here/lib.sh; cards_of dxgk_edu)\" ]"
	echo "$edu" > /sys/bus/pci/drivers/dxgk_edu/bind
	check rebind-edu-restores-card wait_for_card dxgk_edu
else
	result unbind-edu-removes-card fail
	result rebind-edu-restores-card fail
fi

# Unbind the virtual adapter the same way.
echo dxgk_virt > /sys/bus/platform/drivers/dxgk_virt/unbind
check unbind-virt-removes-card bash -c "[ -z \"\$(. $here/lib.sh; cards_of dxgk_virt)\" ]"
echo dxgk_virt > /sys/bus/platform/drivers/dxgk_virt/bind
check rebind-virt-restores-card wait_for_card dxgk_virt

# Module unload in both orders, with an open file on a card in between.
exec 9<"$(cards_of dxgk_edu | head -1)"
check unload-edu-with-open-file rmmod dxgk_edu
exec 9<&-
check unload-virt-after-edu rmmod dxgk_virt
check no-cards-left no_cards
check reload-virt insmod "$mods/miniports/virt/dxgk_virt.ko"
check reload-edu insmod "$mods/miniports/edu/dxgk_edu.ko"
check unload-virt-first rmmod dxgk_virt
check unload-edu-second rmmod dxgk_edu
check no-cards-left-2 no_cards
check port-unpinned-after-miniports bash -c 'rmmod dxgkcompat && insmod '"$mods"'/dxgkcompat.ko'
check reload-virt-2 insmod "$mods/miniports/virt/dxgk_virt.ko"
check reload-edu-2 insmod "$mods/miniports/edu/dxgk_edu.ko"
check cards-back bash -c ". $here/lib.sh; wait_for_card dxgk_virt && wait_for_card dxgk_edu"
