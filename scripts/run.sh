#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job (README, `make run`): set up the machine, build the modules
# against the distro kernel, boot the test box (QEMU q35 + VT-d + edu),
# load the port driver and both sample miniports, print the adapter info
# (with the driver's counters and live objects) and the edu liveness check,
# and run the mission on edu (tools/dxgkmission, tests/guest/demo.sh): a PMO
# of each cache type, mapped in the kernel and in a process, the cache mode
# of each mapping read from the page tables, an ADL through the IOMMU, a DMA
# copy by edu, everything freed. Any failed step fails the run.
#
# The modules are built with DXGK_TEST_IOCTLS=y: the mission reads the user
# PTEs with the test-only TEST_PTE ioctl and makes the kernel mapping and the
# ADL through the test-only debugfs file dxgkcompat/probe. (make check builds
# the same way.)
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
O=${O:-$top/build}
mkdir -p "$O"
O=$(cd "$O" && pwd)

scripts/setup.sh
kdir=$(ls -d /usr/src/linux-headers-6.12*-amd64 | sort -V | tail -1)
echo "run: building the modules against $kdir"
kmod=$(scripts/build-modules.sh "$kdir" "$O" DXGK_TEST_IOCTLS=y | tail -1)
make -s -C tools O="$O"
mkdir -p "$O/results"
# The guest's sections (== ...), from the console: on failure too, so that
# the step that failed shows.
console() {
	[ -f "$O/results/run/console.log" ] || return 0
	sed -n '/^== /,$p' "$O/results/run/console.log" | grep -v "dxgk-testbox" |
		sed 's/\r$//' || true
}
echo "run: booting the test box (distro kernel, VT-d strict, edu)"
tests/testbox/run.sh --kernel distro --results "$O/results/run" --quiet \
	-- tests/guest/demo.sh "$kmod" "$O/tools/dxgkinfo" "$O/tools/dxgkmission" \
	> "$O/results/run.log" 2>&1 ||
	{ console; cat "$O/results/run.log"; echo "run: FAILED"; exit 1; }
console
grep "^testbox: kernel=" "$O/results/run.log"
echo "run: OK"
