#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job's guest side (scripts/run.sh): load the port driver and both
# sample miniports, show the adapters and the edu liveness check, unload.
#
#   demo.sh KMOD_DIR DXGKINFO
set -u
mods=${1:?KMOD_DIR}/drivers/gpu/drm/dxgkcompat
info=${2:?DXGKINFO}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

modprobe drm 2>/dev/null
insmod "$mods/dxgkcompat.ko" || exit 1
insmod "$mods/miniports/virt/dxgk_virt.ko" || exit 1
insmod "$mods/miniports/edu/dxgk_edu.ko" || exit 1
wait_for_card dxgk_virt && wait_for_card dxgk_edu || exit 1

echo "== kernel log of the port driver and the miniports"
dmesg | grep -E "dxgkcompat|dxgk_virt|dxgk_edu"
echo "== adapters (tools/dxgkinfo)"
"$info" || exit 1
echo "== edu liveness check"
dmesg | grep -q "dxgk_edu: .*liveness check passed" || exit 1
dmesg | grep "dxgk_edu: .*liveness check passed" | sed 's/^\[[^]]*\] //'

rmmod dxgk_edu dxgk_virt dxgkcompat || exit 1
echo "== unloaded: StopDevice, RemoveDevice and Unload ran for both adapters"
