#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The `make bench` job inside the test box (scripts/bench.sh): the port
# driver and the virt miniport, the user-space benchmark on the virt
# adapter (guest-ubench.sh), then the benchmark miniport (guest-kbench.sh;
# it binds the edu device itself for the ADL row, so dxgk_edu is not
# loaded), unload. Both tables land in $DXGK_RESULTS.
#
#   guest-bench.sh KMOD_DIR UBENCH_BIN_DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../guest/lib.sh"
kmod=${1:?KMOD_DIR}
ubin=${2:?UBENCH_BIN_DIR}
mods=$kmod/drivers/gpu/drm/dxgkcompat
rc=0

echo "bench: kernel $(uname -r), DXGK_IOMMU=${DXGK_IOMMU:-?}"
modprobe drm 2>/dev/null
insmod "$mods/dxgkcompat.ko" || exit 1
insmod "$mods/miniports/virt/dxgk_virt.ko" || exit 1
wait_for_card dxgk_virt || exit 1

if "$here/guest-ubench.sh" "$ubin"; then
	result bench-user pass
else
	result bench-user fail
	rc=1
fi
rmmod dxgk_virt || rc=1

"$here/guest-kbench.sh" "$kmod" || rc=1
rmmod dxgkcompat || rc=1
exit $rc
