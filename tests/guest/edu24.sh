#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dxgk_edu in its WDDM 2.4 mode (wddm24=1): every piece of a transfer also
# passes through a DxgkCbAllocateContiguousMemory page (writes) and a
# DxgkCbAllocatePagesForMdl page (reads), so the IGT copy suite proves
# those pages are reachable by the device at the addresses the port gave
# (sizes, every cache pair, pages above the DMA limit: the subtests whose
# data goes through the staging; each DMA is three in this mode).
# The pages live from StartDevice to StopDevice: the unbind and the unload
# leave the port's counters as they were, without misuse. Expects
# dxgkcompat and dxgk_edu loaded; leaves dxgk_edu loaded in its normal mode.
#
# Not with swiotlb=force: every DMA would be bounced, so the port gives no
# 2.4 device addresses and edu's StartDevice in that mode fails (the KUnit
# suite checks the refusal).
# Where the device sees memory three ways: translated (the distro, debug,
# latest and 6.1 kernels), identity (pt) and untranslated (off).
# dxgk-boxes: distro:strict debug:strict latest:strict distro61:strict distro:pt distro:off
#
#   edu24.sh MODS_DIR IGT_DIR
set -u
# Elsewhere (lazy, swiotlb, 6.1) nothing: the boxes above cover the modes.
case "${DXGK_KERNEL:-distro}:${DXGK_IOMMU:-strict}" in
distro:strict | debug:strict | latest:strict | distro61:strict | distro:pt | distro:off) ;;
*) exit 0 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mods=${1:?MODS_DIR}
igt=${2:?IGT_DIR}
dbg=/sys/kernel/debug/dxgkcompat
copy=$igt/dxgkcompat_copy
[ -x "$copy" ] || copy=$igt/tests/igt/dxgkcompat_copy

counter() { awk -v n="$1" '$1 == n { print $2 }' "$dbg/counters"; }
counter_is() { [ "$(counter "$1")" = "$2" ]; }
# The copy suite's subtests matching $1, in 2.4 mode, all passing.
copy_runs() {
	local log=/tmp/edu24-$1.log rc
	timeout -k 10 300 "$copy" --run-subtest "$1" > "$log" 2>&1
	rc=$?
	cat "$log"
	[ "$rc" -eq 0 ] && grep -q "^Subtest .*: SUCCESS" "$log" &&
		! grep -q "^Subtest .*: FAIL" "$log"
}
mode24() { [ "$(cat /sys/module/dxgk_edu/parameters/wddm24)" = Y ]; }
staging_logged() { ddi_log_has "dxgk_edu: WDDM 2.4 mode: contiguous page at device "; }

# Three DMAs a piece: a 64 KiB pass can outlast the port's 5 s fence
# timeout under TCG (it did, IOMMU off). The miniport's engine is slower in
# this mode, as a TdrDelay registry value would say on Windows.
tdr=/sys/module/dxgkcompat/parameters/tdr_delay_ms
tdr_saved=$(cat "$tdr")
echo 30000 > "$tdr"
trap 'echo "$tdr_saved" > "$tdr"' EXIT

rmmod dxgk_edu
objects=$(counter objects)
misuse=$(counter misuse)
check edu24-load insmod "$mods/miniports/edu/dxgk_edu.ko" wddm24=1
check edu24-card wait_for_card dxgk_edu
chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null
check edu24-mode mode24
check edu24-staging staging_logged
# The two staging pages are the port's objects while edu is started.
check edu24-objects counter_is objects $((objects + 2))
check edu24-copy-sizes copy_runs copy-sizes
check edu24-copy-cache copy_runs "copy-cache-*"
check edu24-copy-above-limit copy_runs copy-above-dma-limit
check edu24-unload rmmod dxgk_edu
check edu24-objects-back counter_is objects "$objects"
check edu24-no-misuse counter_is misuse "$misuse"
insmod "$mods/miniports/edu/dxgk_edu.ko"
check edu24-normal-again wait_for_card dxgk_edu
chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null
exit 0
