#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The porting guide's worked example (miniports/sample, dxgk_sample.ko):
# it loads, its virtual adapter becomes a DRM card, its StartDevice
# self-check passes, it rebinds, and it unloads leaving the port's
# counters as they were. Expects dxgkcompat loaded; leaves dxgk_sample
# unloaded.
#
#   sample.sh MODS_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mods=${1:?MODS_DIR}
dbg=/sys/kernel/debug/dxgkcompat
drv=/sys/bus/platform/drivers/dxgk_sample

# counter NAME: its value in debugfs counters
counter() { awk -v n="$1" '$1 == n { print $2 }' "$dbg/counters"; }
counter_is() { [ "$(counter "$1")" = "$2" ]; }
# passes_seen N: at least N self-check passes in the kernel log
passes_seen() { [ "$(dmesg | grep -c 'dxgk_sample: self-check passed')" -ge "$1" ]; }
no_card() { [ -z "$(cards_of dxgk_sample)" ]; }
gone() { [ ! -d /sys/module/dxgk_sample ]; }
no_failure() { ! dmesg | grep -q 'dxgk_sample: .*failed'; }

objects=$(counter objects)
misuse=$(counter misuse)
passes=$(dmesg | grep -c 'dxgk_sample: self-check passed')

check sample-load insmod "$mods/miniports/sample/dxgk_sample.ko"
check sample-card wait_for_card dxgk_sample
check sample-selfcheck passes_seen $((passes + 1))

# The ADL: device addresses for every page, unless all DMA is bounced
# (swiotlb=force), where the port refuses ADLs of RAM.
sample_adl() {
	case "${DXGK_IOMMU:-strict}" in
	swiotlb) ddi_log_has "dxgk_sample: no ADL: no device addresses" ;;
	*) ddi_log_has "dxgk_sample: ADL of 4 pages, " ;;
	esac
}
check sample-adl sample_adl
# HighestVisibleAddress 0xFFFFFFFF became the adapter's DMA mask.
check sample-debugfs-adapter grep -q " dxgk_sample [a-z]* 0xffffffff " "$dbg/adapters"
# The scratch object lives while the adapter is started.
check sample-scratch-object counter_is objects $((objects + 1))

# Unbind and bind the virtual adapter: StopDevice destroys the object,
# a new StartDevice checks again.
echo dxgk_sample > "$drv/unbind"
check sample-unbind no_card
check sample-unbind-objects counter_is objects "$objects"
echo dxgk_sample > "$drv/bind"
check sample-rebind wait_for_card dxgk_sample
check sample-rebind-selfcheck passes_seen $((passes + 2))

check sample-unload rmmod dxgk_sample
check sample-unloaded gone
check sample-no-card no_card
check sample-objects-back counter_is objects "$objects"
check sample-no-misuse counter_is misuse "$misuse"
check sample-no-failure no_failure
exit 0
