#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job's guest side (scripts/run.sh): load the port driver and both
# sample miniports, show the adapters (with the driver's counters and live
# objects) and the edu liveness check, run the mission on edu
# (tools/dxgkmission: PMOs of each cache type, their kernel and user
# mappings with the cache mode read from the PTEs, an ADL through the IOMMU,
# a DMA copy, everything freed), show the counters again, unload.
# The modules must be built with DXGK_TEST_IOCTLS=y (the mission uses the
# TEST_PTE ioctl and the debugfs probe file).
#
#   demo.sh KMOD_DIR DXGKINFO DXGKMISSION
set -u
mods=${1:?KMOD_DIR}/drivers/gpu/drm/dxgkcompat
info=${2:?DXGKINFO}
mission=${3:?DXGKMISSION}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

modprobe drm 2>/dev/null
insmod "$mods/dxgkcompat.ko" || exit 1
insmod "$mods/miniports/virt/dxgk_virt.ko" || exit 1
insmod "$mods/miniports/edu/dxgk_edu.ko" || exit 1
wait_for_card dxgk_virt && wait_for_card dxgk_edu || exit 1

echo "== kernel log of the port driver and the miniports"
dmesg | grep -E "dxgkcompat|dxgk_virt|dxgk_edu"
echo "== adapters, driver counters and live objects (tools/dxgkinfo)"
"$info" || exit 1
echo "== edu liveness check"
dmesg | grep -q "dxgk_edu: .*liveness check passed" || exit 1
dmesg | grep "dxgk_edu: .*liveness check passed" | sed 's/^\[[^]]*\] //'
echo "== mission on edu under VT-d (tools/dxgkmission)"
"$mission" 2>&1 || exit 1
echo "== after the mission: driver counters and live objects (tools/dxgkinfo)"
"$info" | sed -n '/^driver counters/,$p'
[ "${PIPESTATUS[0]}" = 0 ] || exit 1

rmmod dxgk_edu dxgk_virt dxgkcompat || exit 1
echo "== unloaded: StopDevice, RemoveDevice and Unload ran for both adapters"
