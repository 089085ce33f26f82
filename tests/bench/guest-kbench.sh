#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel benchmarks (dxgk_bench.ko, issue #13) in the test box, as root.
#
#   guest-kbench.sh KMOD_DIR
#
# KMOD_DIR is the build directory scripts/build-modules.sh printed (built
# with DXGK_BENCH=y): it holds drivers/gpu/drm/dxgkcompat/dxgkcompat.ko and
# drivers/gpu/drm/dxgkcompat/bench/dxgk_bench.ko. Loads TTM, the GEM shmem
# helper and dxgkcompat (unless already loaded), then dxgk_bench, starts a
# run through /sys/kernel/debug/dxgk_bench/run, copies the table to
# $DXGK_RESULTS/kbench.txt (and prints it, each line prefixed "bench: "),
# and unloads what it loaded. dxgk_bench binds the edu device for the ADL
# row through the IOMMU only if dxgk_edu is not loaded.
#
# Environment (defaults):
#   DXGK_BENCH_REPS     repetitions of every row (15)
#   DXGK_BENCH_MAX_MIB  largest object of the map rows, MiB (64)
#   DXGK_BENCH_STEPS    what to run: all, or some of "map churn adl handles"
#   DXGK_BENCH_ACCEL    the accelerator for the header line (kvm if the
#                       guest kernel saw KVM, else a placeholder the lead
#                       fills from the host)
#   DXGK_BENCH_ARGS     more dxgk_bench module parameters (churn=,
#                       adl_mib=, live_max=, handle_ops=)
#
# Results: kbench-load, kbench-run, kbench-table, kbench-counters (the
# driver's object, page and misuse counters are back where they were),
# kbench-unload. Exits 1 if any failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../guest/lib.sh"

kmod=${1:?KMOD_DIR}
mods=$kmod/drivers/gpu/drm/dxgkcompat
res=${DXGK_RESULTS:-/tmp}
dbg=/sys/kernel/debug
bench=$dbg/dxgk_bench
counters=$dbg/dxgkcompat/counters
failed=0

mountpoint -q $dbg || mount -t debugfs none $dbg

accel=${DXGK_BENCH_ACCEL:-}
if [ -z "$accel" ]; then
	if dmesg | grep -q 'Hypervisor detected: KVM'; then
		accel=kvm
	else
		accel=@ACCEL@
	fi
fi

# In-kernel dependencies: modules on the distro kernels, maybe built in.
for m in drm ttm drm_shmem_helper; do
	modprobe "$m" 2>/dev/null
done

loaded_core=0
if [ ! -d /sys/module/dxgkcompat ]; then
	insmod "$mods/dxgkcompat.ko" || {
		result kbench-load fail
		exit 1
	}
	loaded_core=1
fi
[ -d /sys/module/dxgk_edu ] &&
	echo "bench: dxgk_edu is loaded: the ADL row through the IOMMU will say n/a"

snapshot() {
	grep -E '^(objects|pages_|reserved_pages|misuse|leaked_pages_total) ' "$counters" 2>/dev/null
}
before=$(snapshot)

# shellcheck disable=SC2086  # DXGK_BENCH_ARGS is a list of parameters
if insmod "$mods/bench/dxgk_bench.ko" reps="${DXGK_BENCH_REPS:-15}" \
	max_mib="${DXGK_BENCH_MAX_MIB:-64}" accel="$accel" ${DXGK_BENCH_ARGS:-} &&
	[ -w "$bench/run" ]; then
	result kbench-load pass
else
	result kbench-load fail
	[ "$loaded_core" = 1 ] && rmmod dxgkcompat
	exit 1
fi

steps=${DXGK_BENCH_STEPS:-all}
echo "bench: dxgk_bench run '$steps' (reps ${DXGK_BENCH_REPS:-15}, max ${DXGK_BENCH_MAX_MIB:-64} MiB)"
start=$SECONDS
if echo "$steps" > "$bench/run"; then
	result kbench-run pass
else
	result kbench-run fail
	failed=1
fi
echo "bench: the run took $((SECONDS - start)) s"

if cp "$bench/results" "$res/kbench.txt" && grep -q '^| row | size |' "$res/kbench.txt"; then
	result kbench-table pass
	sed 's/^/bench: /' "$res/kbench.txt"
else
	result kbench-table fail
	failed=1
fi

after=$(snapshot)
if [ "$before" = "$after" ]; then
	result kbench-counters pass
else
	echo "bench: counters before: ${before//$'\n'/ }"
	echo "bench: counters after:  ${after//$'\n'/ }"
	result kbench-counters fail
	failed=1
fi

if rmmod dxgk_bench; then
	result kbench-unload pass
else
	result kbench-unload fail
	failed=1
fi
[ "$loaded_core" = 1 ] && rmmod dxgkcompat
exit $failed
