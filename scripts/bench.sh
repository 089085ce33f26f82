#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make bench`: the benchmarks, in one test box (distro 6.12 kernel, VT-d
# strict, so the ADL row maps through the IOMMU): the benchmark miniport
# (drivers/gpu/drm/dxgkcompat/bench, every row side by side with the raw
# primitives, TTM's pool and the GEM shmem helper, interleaved) and, from
# user space, PMO_CREATE + mmap + first touch against vgem's dumb buffers
# (tests/bench/user). Prints both tables and keeps them, with the machine
# they ran on, in $O/bench/results.md.
#
# Environment (defaults): DXGK_BENCH_REPS (15), DXGK_BENCH_MAX_MIB (64),
# DXGK_BENCH_BOX ("distro:strict"), DXGK_BENCH_MEM (3G), O, DXGK_CACHE.
# Numbers under TCG (the default on these machines) are emulated: compare
# rows of one run (ratios), not absolute times across machines.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/long-runs.sh
box=${DXGK_BENCH_BOX:-distro:strict}
export DXGK_BENCH_REPS=${DXGK_BENCH_REPS:-15}
export DXGK_BENCH_MAX_MIB=${DXGK_BENCH_MAX_MIB:-64}
kernel=${box%%:*} iommu=${box#*:}

scripts/setup.sh || exit 1
case "$kernel" in
distro) kdir=$(ls -d /usr/src/linux-headers-6.12*-amd64 | sort -V | tail -1) ;;
distro61) kdir=$(ls -d /usr/src/linux-headers-6.1.*-amd64 | sort -V | tail -1) ;;
*) echo "bench: the benchmarks need TTM and the GEM shmem helper as modules: distro or distro61, not '$kernel'" >&2
   exit 2 ;;
esac
kmod=$(scripts/build-modules.sh "$kdir" "$O" DXGK_TEST_IOCTLS=y DXGK_BENCH=y | tail -1) &&
	[ -f "$kmod/drivers/gpu/drm/dxgkcompat/bench/dxgk_bench.ko" ] || {
	echo "bench: the modules did not build" >&2; exit 1; }
make -s -C tests/bench/user O="$O" || exit 1

dir=$O/results/bench-$kernel-$iommu
rm -rf "$dir"
mkdir -p "$dir" "$O/bench"
tests/testbox/run.sh --kernel "$kernel" --iommu "$iommu" --mem "${DXGK_BENCH_MEM:-3G}" \
	--timeout 3600 --results "$dir" -- \
	tests/bench/guest-bench.sh "$kmod" "$O/tests/bench/user" > "$dir/output.log" 2>&1
rc=$?
grep -E "^(bench|guest): |check-log" "$dir/output.log"

accel=$(sed -n 's/^testbox: kernel=.* accel=\([a-z]*\) .*/\1/p' "$dir/output.log" | tail -1)
# the guest cannot tell TCG from KVM for sure: the host fills it in
[ -f "$dir/kbench.txt" ] && sed -i "s/@ACCEL@/${accel:-unknown}/" "$dir/kbench.txt"
{
	echo "# dxgkcompat benchmarks"
	echo
	echo "- run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes')"
	echo "- host: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
	echo "- box: $box, accelerator ${accel:-?}$([ "$accel" = tcg ] && echo ' (emulated: ratios within one run mean something, absolute times do not)')"
	echo "- command: make bench (DXGK_BENCH_REPS=$DXGK_BENCH_REPS DXGK_BENCH_MAX_MIB=$DXGK_BENCH_MAX_MIB)"
	for f in kbench.txt ubench.txt; do
		echo
		if [ -s "$dir/$f" ]; then cat "$dir/$f"; else echo "($f: not produced, see $dir/output.log)"; fi
	done
} > "$O/bench/results.md"
cat "$O/bench/results.md"
[ "$rc" -eq 0 ] || echo "bench: the box failed (exit $rc, log $dir/output.log)"
[ "$rc" -eq 0 ] && [ -s "$dir/kbench.txt" ] && [ -s "$dir/ubench.txt" ]
