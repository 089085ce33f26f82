#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The `make fuzz` job inside the test box (scripts/fuzz.sh): load the port
# driver and both miniports, run tests/guest/fuzz.sh, unload.
#
#   guest-job.sh KMOD_DIR FUZZ_BIN
set -u
here=$(cd "$(dirname "$0")" && pwd)
guest=$here/../guest
. "$guest/lib.sh"
mods=${1:?KMOD_DIR}/drivers/gpu/drm/dxgkcompat
bin=${2:?FUZZ_BIN}

modprobe drm 2>/dev/null
modprobe vgem 2>/dev/null
insmod "$mods/dxgkcompat.ko" || exit 1
insmod "$mods/miniports/virt/dxgk_virt.ko" || exit 1
insmod "$mods/miniports/edu/dxgk_edu.ko" || exit 1
wait_for_card dxgk_virt && wait_for_card dxgk_edu || exit 1
"$guest/fuzz.sh" "$bin"
rc=$?
rmmod dxgk_edu dxgk_virt && rmmod dxgkcompat || rc=1
exit $rc
