#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job (README, `make run`): set up the machine, build the modules
# against the distro kernel, boot the test box (QEMU q35 + VT-d + edu),
# load the port driver and both sample miniports, print the adapter info
# and the edu liveness check.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
O=${O:-$top/build}
mkdir -p "$O"
O=$(cd "$O" && pwd)

scripts/setup.sh
kdir=$(ls -d /usr/src/linux-headers-6.12*-amd64 | sort -V | tail -1)
echo "run: building the modules against $kdir"
kmod=$(scripts/build-modules.sh "$kdir" "$O" | tail -1)
make -s -C tools O="$O"
mkdir -p "$O/results"
echo "run: booting the test box (distro kernel, VT-d strict, edu)"
tests/testbox/run.sh --kernel distro --results "$O/results/run" --quiet \
	-- tests/guest/demo.sh "$kmod" "$O/tools/dxgkinfo" > "$O/results/run.log" 2>&1 ||
	{ cat "$O/results/run.log"; echo "run: FAILED"; exit 1; }
sed -n '/^== /,$p' "$O/results/run/console.log" | grep -v "dxgk-testbox" |
	sed 's/\r$//'
grep "^testbox: kernel=" "$O/results/run.log"
echo "run: OK"
