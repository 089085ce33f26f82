#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The `make stress` job inside the test box (scripts/stress.sh): load the
# port driver and both miniports, run the churn, then (debug kernel) the
# fail-nth sweep and the unplug cycles, unload.
#
#   guest-job.sh KMOD_DIR STRESS_BIN_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
guest=$here/../guest
. "$guest/lib.sh"
kmod=${1:?KMOD_DIR}
mods=$kmod/drivers/gpu/drm/dxgkcompat
bin=${2:?STRESS_BIN_DIR}

modprobe drm 2>/dev/null
modprobe vgem 2>/dev/null
insmod "$mods/dxgkcompat.ko" || exit 1
insmod "$mods/miniports/virt/dxgk_virt.ko" || exit 1
insmod "$mods/miniports/edu/dxgk_edu.ko" || exit 1
wait_for_card dxgk_virt && wait_for_card dxgk_edu || exit 1
rc=0
if "$guest/churn.sh" "$bin/dxgk_churn"; then
	result stress-churn pass
else
	result stress-churn fail
	rc=1
fi
if [ "${DXGK_KERNEL:-}" = debug ]; then
	"$guest/hostile.sh" "$mods" "$bin" || rc=1
fi
rmmod dxgk_edu dxgk_virt && rmmod dxgkcompat || rc=1
exit $rc
