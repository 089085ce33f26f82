#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The test suite, run inside the test box as root (tests/testbox/run.sh).
#
#   suite.sh KMOD_DIR IGT_DIR [DKMS_KMOD_DIR]
#
# KMOD_DIR is the module build directory for the running kernel
# (scripts/build-modules.sh), IGT_DIR holds the IGT binaries. Prints one
# "guest: NAME: pass|fail|skip" line per shell test and per step, the IGT
# results (tests/igt/run-igt.sh) and, on a kernel with KUnit, runs the KUnit
# suites and copies their KTAP results from debugfs to $DXGK_RESULTS/kunit/.
# The host knows which results to expect (tests/harness/expected-results.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

kmod=${1:?KMOD_DIR}
igt=${2:?IGT_DIR}
mods=$kmod/drivers/gpu/drm/dxgkcompat
res=${DXGK_RESULTS:-/tmp}

echo "suite: kernel $(uname -r), DXGK_KERNEL=${DXGK_KERNEL:-?}, DXGK_IOMMU=${DXGK_IOMMU:-?}"

# The distro kernel has DRM as a module; the debug kernel has it built in.
modprobe drm 2>/dev/null
# vgem: the PRIME partner of the PMO tests (built in on the debug kernel).
modprobe vgem 2>/dev/null
check load-dxgkcompat insmod "$mods/dxgkcompat.ko"

# KUnit: the suites run when the module loads; their results are copied
# from their own source, debugfs kunit/<suite>/results, before the module
# (and with it those files) goes.
kunit_results() {
	local d n=0
	mkdir -p "$res/kunit" || return 1
	for d in /sys/kernel/debug/kunit/dxgkcompat_*; do
		[ -r "$d/results" ] || continue
		cp "$d/results" "$res/kunit/${d##*/}.ktap" || return 1
		n=$((n + 1))
	done
	echo "suite: KUnit results of $n suites copied to $res/kunit"
	[ "$n" -gt 0 ]
}
if [ -f "$mods/tests/dxgkcompat_test.ko" ]; then
	echo "suite: running KUnit suites (dxgkcompat_test.ko)"
	# The fault sweep (dxgkcompat_fault) fails allocations with
	# current->fail_nth: let every allocation be failed, none at random.
	fault_injection_on
	check kunit-load insmod "$mods/tests/dxgkcompat_test.ko"
	fault_injection_off
	check kunit-results kunit_results
	check kunit-unload rmmod dxgkcompat_test
else
	echo "suite: no KUnit on this kernel"
fi

check load-virt insmod "$mods/miniports/virt/dxgk_virt.ko"
check load-edu insmod "$mods/miniports/edu/dxgk_edu.ko"
check virt-card wait_for_card dxgk_virt
check edu-card wait_for_card dxgk_edu
check edu-liveness ddi_log_has "dxgk_edu: .*liveness check passed"
case "${DXGK_IOMMU:-strict}" in
strict|lazy) mode=translated ;; pt) mode=identity ;; *) mode=none ;;
esac
check debugfs-adapters grep -q " dxgk_edu $mode 0xfffffff " /sys/kernel/debug/dxgkcompat/adapters
# How FreeAdl's guarantee holds: strict invalidation, or the port's flush.
iotlb_mode() {
	local line
	line=$(grep " dxgk_edu " /sys/kernel/debug/dxgkcompat/adapters) || return 1
	case "${DXGK_IOMMU:-strict}" in
	strict) [[ $line == *" iotlb strict"* ]] ;;
	lazy) [[ $line == *" iotlb lazy (flushed at FreeAdl)"* ]] ;;
	*) [[ $line != *" iotlb "* ]] ;;
	esac
}
check debugfs-iotlb iotlb_mode
check debugfs-pmos grep -q "^handle type cache" /sys/kernel/debug/dxgkcompat/pmos

# The DRM nodes open to every user, as desktop distributions have them:
# IGT and the fuzzer run as uid 65534 (tests/igt/include/dxgk_user.h).
chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null

# Each step is a result of its own: a step that fails (or dies halfway)
# fails here, whatever it reported before.
check step-igt env IGT_BUILD="$igt" "$here/../igt/run-igt.sh" "$igt"
# The fuzzer as uid 65534: sequences of every ioctl and mapping path.
check step-fuzz "$here/fuzz.sh" "$igt/../fuzz/dxgk_fuzz"
# N processes x M threads racing on both adapters (tests/stress).
check step-churn "$here/churn.sh" "$igt/../stress/dxgk_churn"
check step-lifecycle "$here/lifecycle.sh" "$mods"
# DRM clients no one here wrote (drm_info, drmdevice, lsgpu) on both adapters.
check step-clients "$here/clients.sh"
# The tracepoints, each event triggered and read back from tracefs.
check step-trace "$here/trace.sh" "$mods" "$igt"
check step-sample "$here/sample.sh" "$mods"
# edu in its WDDM 2.4 mode: the copy suite through 2.4 memory.
check step-edu24 "$here/edu24.sh" "$mods" "$igt"
# The debug kernel (KASAN, lockdep, fault injection): the fail-nth sweep
# and the device taken away under load.
if [ "${DXGK_KERNEL:-}" = debug ]; then
	"$here/hostile.sh" "$mods" "$igt/../stress"
fi

rmmod dxgk_edu dxgk_virt 2>/dev/null
check unload-dxgkcompat rmmod dxgkcompat
# The DKMS-built modules (scripts/dkms-test.sh), loaded once ours are gone;
# check.sh passes them to the distro:strict box, where dkms.sh's results are
# expected (its dxgk-boxes line).
if [ -n "${3:-}" ]; then
	"$here/dkms.sh" "$3"
fi
exit 0
