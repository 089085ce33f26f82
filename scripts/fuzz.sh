#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make fuzz`: the fuzzer (tests/fuzz) for as long as you like, in every
# test-box configuration, as uid 65534 (tests/guest/fuzz.sh).
#
# Environment: DXGK_FUZZ_OPS operations per box (default 250000),
# DXGK_FUZZ_TIME time budget per box in seconds (default 3600),
# DXGK_FUZZ_SEED first seed (default: a new one per run, printed),
# DXGK_BOXES as for make check, O, DXGK_CACHE.
# A box fails on a fuzzer failure, counters that do not come back, or a
# kernel splat in its log (KASAN, lockdep, kmemleak, WARN ... on the debug
# kernel). Each failing run prints the command that replays its seed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
O=${O:-$top/build}
mkdir -p "$O"
O=$(cd "$O" && pwd)
boxes=${DXGK_BOXES:-"distro:strict debug:strict distro:off distro:pt"}
export DXGK_FUZZ_OPS=${DXGK_FUZZ_OPS:-250000}
export DXGK_FUZZ_TIME=${DXGK_FUZZ_TIME:-3600}
export DXGK_FUZZ_SEED=${DXGK_FUZZ_SEED:-$(( $(date +%s) % 1000000 ))}
echo "fuzz: seeds from $DXGK_FUZZ_SEED, $DXGK_FUZZ_OPS operations per box"

scripts/setup.sh || exit 1
kdir_debug=$(tests/testbox/build-kernel.sh | tail -1) || exit 1
kdir_distro=$(ls -d /usr/src/linux-headers-6.12*-amd64 | sort -V | tail -1)
kmod_distro=$(scripts/build-modules.sh "$kdir_distro" "$O" DXGK_TEST_IOCTLS=y | tail -1) || exit 1
kmod_debug=$(scripts/build-modules.sh "$kdir_debug" "$O" DXGK_TEST_IOCTLS=y | tail -1) || exit 1
make -s -C tests/fuzz O="$O" || exit 1

failed=0
for box in $boxes; do
	kernel=${box%%:*} iommu=${box#*:}
	kmod_var=kmod_$kernel
	dir=$O/results/fuzz-$kernel-$iommu
	rm -rf "$dir"
	mkdir -p "$dir"
	tests/testbox/run.sh --kernel "$kernel" --iommu "$iommu" \
		--timeout $((DXGK_FUZZ_TIME + 600)) --results "$dir" -- \
		tests/fuzz/guest-job.sh "${!kmod_var}" "$O/tests/fuzz/dxgk_fuzz" \
		> "$dir/output.log" 2>&1
	rc=$?
	grep -E "^(fuzz|guest): |check-log" "$dir/output.log"
	if [ "$rc" -ne 0 ] || grep -q "^guest: fuzz-.*: fail" "$dir/output.log"; then
		echo "fuzz: $box: FAILED (exit $rc, log $dir/output.log)"
		failed=$((failed + 1))
	else
		echo "fuzz: $box: clean"
	fi
done
echo "fuzz: $failed of $(wc -w <<< "$boxes") boxes failed"
[ "$failed" -eq 0 ]
