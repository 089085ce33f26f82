#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite (README's test command, `make check`):
#
#   1. setup: Debian packages, kernel source (scripts/setup.sh)
#   2. build: the two test kernels (cached: debug = 6.12, latest = 7.2
#      from Debian sid, both with the debug options and the driver in their
#      tree), the driver's in-tree modules in both (rebuilt every run), the
#      modules with W=1 against the distro 6.12 headers, the debug and
#      latest kernels and the distro 6.1 headers, the IGT tests, the
#      fuzzer, the stress tools (tests/stress); checkpatch --strict, and
#      sparse against 6.12, 6.1 and 7.2
#   3. the harness self-test (tests/harness/selftest.sh): every way a run
#      can go wrong, made to happen, must fail
#   4. for each test-box configuration, boot it and run tests/guest/suite.sh:
#      KUnit (debug kernel, results from debugfs; with the fail-nth sweep
#      of the callbacks), IGT, the fuzzer as uid 65534 (tests/guest/fuzz.sh),
#      the churn of N processes x M threads (churn.sh), the shell lifecycle
#      tests, and on the debug kernel the fail-nth sweep of the ioctls and
#      the device taken away under load (hostile.sh); every
#      result the box must report (its floor,
#      tests/harness/expected-results.sh) that does not come back fails, a
#      skip not in tests/harness/expected-skips fails, and a guest log with
#      a kernel splat fails the configuration
#   5. print every result, then each failure again with its reason, and
#      end with "N passed, N failed, N skipped"; the logs of a box with a
#      failure are kept in $DXGK_CACHE/failed-boxes/<time>/ (the last five
#      runs), so a failure in a throw-away clone can still be read
#
# Environment: O (build dir, default ./build), DXGK_CACHE (kernel and
# initramfs cache, default /var/cache/dxgkcompat), DXGK_BOXES (the
# configurations KERNEL:IOMMU, default "distro:strict debug:strict
# latest:strict distro:off distro:pt distro:lazy distro:swiotlb
# distro61:strict": VT-d translating with strict invalidation on the
# distro, debug and latest kernels;
# then on the distro kernel no IOMMU, pass-through, VT-d with lazy
# invalidation (the x86 default) and no IOMMU with every DMA mapping
# bounced through swiotlb (confidential guests); last Debian's 6.1 kernel,
# the oldest we build for, with strict VT-d). KERNEL is one of run.sh's
# (distro, debug, latest, distro61) and runs the modules built for it.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
O=${O:-$top/build}
mkdir -p "$O"
O=$(cd "$O" && pwd)
boxes=${DXGK_BOXES:-"distro:strict debug:strict latest:strict distro:off distro:pt distro:lazy distro:swiotlb distro61:strict"}
log=$O/check.log
: > "$log"

. "$top/tests/harness/results.sh"
step() { echo "check: == $* ($(date +%T))"; }

# keep_box BOX DIR: a failed box's logs, kept outside the build directory
# (a CI clone is thrown away) in $DXGK_CACHE/failed-boxes, newest five runs
kept=
keep_box() {
	local base=${DXGK_CACHE:-/var/cache/dxgkcompat}/failed-boxes
	[ -n "$kept" ] || {
		kept=$base/$(date +%Y%m%d-%H%M%S)
		mkdir -p "$kept" || { kept=; return; }
		ls -1d "$base"/*/ 2>/dev/null | head -n -5 | xargs -r rm -rf
	}
	mkdir -p "$kept/${1/:/-}" &&
		cp -r "$2"/. "$kept/${1/:/-}/" 2>/dev/null
}
finish() {
	local f
	if [ ${#failures[@]} -gt 0 ]; then
		# CI keeps only the end of the output: each failure again,
		# with its reason, before the summary
		for f in "${failures[@]}"; do
			echo "check: failed: $f${fail_note[$f]:+ (${fail_note[$f]})}"
		done
		[ -z "$kept" ] || echo "check: the failed boxes' logs are kept in $kept"
	fi
	echo "$passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
	exit
}

step setup
if ! scripts/setup.sh; then
	count setup fail
	finish
fi

# build_kernel NAME: the debug (6.12) or latest (7.2) test kernel, cached,
# with the driver in its tree; then the driver's in-tree modules rebuilt
# from today's sources in that kernel's build (scripts/intree.sh --build),
# a result of its own: the cached kernel never hides an in-tree break.
# Sets $kdir_NAME.
build_kernel() {
	local name=$1 dir t0 src
	t0=$(date +%s)
	printf -v "kdir_$name" %s ""
	if dir=$(tests/testbox/build-kernel.sh "$name" | tail -1) && [ -d "$dir" ]; then
		count "build:$name-kernel" pass
		printf -v "kdir_$name" %s "$dir"
	else
		count "build:$name-kernel" fail
		return
	fi
	echo "check: $name kernel ready after $(($(date +%s) - t0)) s"
	src=$(sed -n 's/^KBUILD_SRC *:= *//p; s/^include \(.*\)\/Makefile$/\1/p' "$dir/Makefile" | head -1)
	[ -n "$src" ] || src=$(realpath "$dir/source")
	if scripts/intree.sh --build "$src" "$dir" > "$O/build-intree-$name.log" 2>&1 &&
	   ! grep -E "warning:|error:" "$O/build-intree-$name.log"; then
		count "build:intree-$name" pass
	else
		tail -20 "$O/build-intree-$name.log"
		count "build:intree-$name" fail
	fi
}

step "test kernels (debug 6.12, latest 7.2)"
build_kernel debug
build_kernel latest

# the newest of each, as run.sh boots the newest image of each
kdir_distro=$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -1)
kdir_distro61=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -1)

# build_mods NAME KDIR [MAKE ARGS] -> sets $kmod_NAME; a build with a
# warning fails. The distro kernels build the benchmark module too (it
# needs TTM and the GEM shmem helper, which the debug kernel leaves out).
# NAME is the kernel's name in a box (run.sh --kernel NAME), so that a
# box finds its modules in $kmod_KERNEL.
build_mods() {
	local name=$1 kdir=$2 out dir
	shift 2
	if [ -z "$kdir" ]; then
		count "build:modules-$name" fail
		return
	fi
	out=$O/build-$name.log
	if dir=$(scripts/build-modules.sh "$kdir" "$O" W=1 DXGK_TEST_IOCTLS=y "$@" 2>"$out" | tail -1) &&
	   ! grep -E "warning:|error:" "$out" && all_built "$dir" "$@"; then
		count "build:modules-$name" pass
		printf -v "kmod_$name" %s "$dir"
	else
		tail -20 "$out"
		count "build:modules-$name" fail
	fi
}

# all_built DIR [MAKE ARGS]: every module the build was asked for is there
# (a Makefile line that selects nothing builds nothing, silently)
all_built() {
	local dir=$1/drivers/gpu/drm/dxgkcompat k ok=0
	shift
	for k in dxgkcompat.ko miniports/virt/dxgk_virt.ko miniports/edu/dxgk_edu.ko \
		 miniports/sample/dxgk_sample.ko \
		 $([[ " $* " == *" DXGK_BENCH=y "* ]] && echo bench/dxgk_bench.ko); do
		[ -f "$dir/$k" ] || { echo "check: $k was not built"; ok=1; }
	done
	return $ok
}

step "modules"
kmod_distro= kmod_debug= kmod_distro61= kmod_latest=
build_mods distro "$kdir_distro" DXGK_BENCH=y
build_mods debug "$kdir_debug"
build_mods distro61 "$kdir_distro61" DXGK_BENCH=y
build_mods latest "$kdir_latest"

step "install paths: a parent make, DKMS"
# The build from a parent make and with MAKEFLAGS=w (as build systems and
# `make -C` run it), and the DKMS package built and installed into a
# scratch DKMS tree against the 6.12 headers; its modules are loaded in
# the distro:strict box (tests/guest/dkms.sh).
pm_out=$(scripts/parent-make-test.sh "$kdir_distro" "$O/parent-make" 2>"$O/parent-make.log")
while IFS= read -r line; do
	[[ $line =~ ^parent-make:\ ([a-z0-9-]+):\ (pass|fail)$ ]] &&
		count "build:parent-make-${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
done <<< "$pm_out"
for s in parent parent-s makeflags-w; do
	grep -q "^parent-make: $s: " <<< "$pm_out" || count "build:parent-make-$s" fail "never reported"
done
grep -q "^parent-make: .*: fail" <<< "$pm_out" && tail -20 "$O/parent-make.log"
# The knobs of an out-of-tree build are its own: against a kernel with the
# driver in its tree (and the test ioctls on in its .config), a build that
# does not ask for the test ioctls must not get them.
knob=$O/knobs
rm -rf "$knob" && mkdir -p "$knob" &&
	rsync -a "$top/Kbuild" "$top/Kconfig" "$top/drivers" "$top/include" "$knob/"
if [ -n "$kdir_debug" ] && grep -q '^CONFIG_DRM_DXGKCOMPAT_TEST_IOCTLS=y' "$kdir_debug/.config" &&
   env -u MAKEFLAGS -u MAKELEVEL make -C "$kdir_debug" M="$knob" \
	drivers/gpu/drm/dxgkcompat/dxgk_gem.o > "$O/knobs.log" 2>&1 &&
   [ -f "$knob/drivers/gpu/drm/dxgkcompat/.dxgk_gem.o.cmd" ] &&
   ! grep -q -- -DDXGK_TEST_IOCTLS "$knob/drivers/gpu/drm/dxgkcompat/.dxgk_gem.o.cmd"; then
	count build:knobs-not-from-the-kernel pass
else
	tail -5 "$O/knobs.log"
	count build:knobs-not-from-the-kernel fail
fi
kmod_dkms=
dkms_out=$(scripts/dkms-test.sh "$kdir_distro" "$O/dkms" 2>"$O/dkms.log")
while IFS= read -r line; do
	[[ $line =~ ^dkms:\ ([a-z]+):\ (pass|fail)$ ]] &&
		count "build:dkms-${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
done <<< "$dkms_out"
grep -q "^dkms: build: pass$" <<< "$dkms_out" || tail -20 "$O/dkms.log"
d=$(tail -1 <<< "$dkms_out")
[ -d "$d/drivers/gpu/drm/dxgkcompat" ] && kmod_dkms=$d
for s in add build install vermagic; do
	grep -q "^dkms: $s: " <<< "$dkms_out" || count "build:dkms-$s" fail "never reported"
done

step "style: checkpatch --strict, sparse"
if scripts/checkpatch.sh > "$O/checkpatch.log" 2>&1; then
	count style:checkpatch pass
else
	cat "$O/checkpatch.log"
	count style:checkpatch fail
fi
# sparse on every kernel we build for: bookworm's on 6.12 and 6.1, the one
# scripts/fetch-latest.sh builds from sid's source on 7.2 (kbuild skips the
# check silently with a sparse too old for the headers: C=2 with such a
# sparse would pass by checking nothing, so the CHECK lines are counted).
sparse_on() {
	local name=$1 kdir=$2 checker=$3 log=$O/sparse-$1.log
	shift 3
	# not quiet whatever the caller's make (`make -s check`): the CHECK
	# lines are counted
	if [ -n "$kdir" ] &&
	   env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	   scripts/build-modules.sh "$kdir" "$O/sparse" C=2 CHECK="$checker" DXGK_TEST_IOCTLS=y "$@" \
		> /dev/null 2> "$log" && ! grep -E "warning:|error:|not available or not up to date" "$log" &&
	   [ "$(grep -c '^ *CHECK ' "$log")" -gt 10 ]; then
		count "style:sparse-$name" pass
	else
		tail -20 "$log"
		count "style:sparse-$name" fail
	fi
}
sparse_on distro "$kdir_distro" sparse DXGK_BENCH=y
sparse_on distro61 "$kdir_distro61" sparse DXGK_BENCH=y
sparse_on latest "$kdir_latest" "${DXGK_CACHE:-/var/cache/dxgkcompat}/sparse/sparse"

# build_tool RESULT DIR: one user-space build (tests/igt, tests/fuzz,
# tests/stress) into $O, a result of its own.
build_tool() {
	if make -s -C "$2" O="$O" >"$O/build-$1.log" 2>&1; then
		count "build:$1" pass
	else
		tail -20 "$O/build-$1.log"
		count "build:$1" fail
	fi
}

step "IGT, fuzzer, stress tools"
build_tool igt tests/igt
build_tool fuzz tests/fuzz
build_tool stress tests/stress

step "harness self-test"
# The harness against made-up failures (tests/harness/selftest.sh): the
# log check, the result floor, the boot deadline and the KVM fallback.
harness_re='^harness: ([^:]+): (pass|fail)( \((.*)\))?$'
while IFS= read -r line; do
	if [[ $line =~ $harness_re ]]; then
		count "harness:${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}" "${BASH_REMATCH[4]}"
		seen[${BASH_REMATCH[1]}]=1
	elif [[ $line =~ ^harness-exit:\ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" != 0 ]; then
		count harness:selftest-exit fail "exit ${BASH_REMATCH[1]}"
	fi
done < <(O=$O tests/harness/selftest.sh 2>&1; echo "harness-exit: $?")
# its floor: every case it has must have reported
while IFS= read -r name; do
	[ -n "${seen[$name]:-}" ] || count "harness:$name" fail "expected, never reported"
done < <(tests/harness/selftest.sh --list)
seen=()

for box in $boxes; do
	kernel=${box%%:*} iommu=${box#*:}
	step "test box $kernel, iommu=$iommu"
	kmod_var=kmod_$kernel
	case "$kernel" in distro|debug|latest|distro61) ;; *)
		count "$box:boot" fail "unknown kernel '$kernel' (distro, debug, latest or distro61)"
		continue ;;
	esac
	if [ -z "${!kmod_var}" ] || [ ! -x "$O/tests/igt/dxgkcompat_basic" ]; then
		count "$box:boot" fail "no modules or no IGT build"
		continue
	fi
	dir=$O/results/$kernel-$iommu
	rm -rf "$dir"
	mkdir -p "$dir"
	t0=$(date +%s)
	for attempt in 1 2; do
		tests/testbox/run.sh --kernel "$kernel" --iommu "$iommu" --timeout 1800 \
			--results "$dir" -- tests/guest/suite.sh "${!kmod_var}" "$O/tests/igt" \
			${kmod_dkms:+$([ "$box" = distro:strict ] && echo "$kmod_dkms")} \
			> "$dir/output.log" 2>&1
		rc=$?
		# Booted once more only when the kernel failed before userspace:
		# the guest itself never said "shell ready" (run.sh gives up at
		# the boot deadline, 123, or qemu ended first, 125). No result
		# can have come back, so nothing is thrown away.
		if [ "$attempt" -eq 1 ] && { [ "$rc" -eq 123 ] || [ "$rc" -eq 125 ]; } &&
		   ! grep -q 'dxgk-testbox: shell ready at uptime' "$dir/console.log" 2>/dev/null; then
			echo "check: $box: the kernel failed before userspace (exit $rc); booting again"
			grep -E "^testbox: (FAIL|KVM)" "$dir/output.log"
			mv "$dir/output.log" "$dir/boot-failure.log"
			mv "$dir/console.log" "$dir/boot-failure-console.log" 2>/dev/null
			continue
		fi
		break
	done
	cat "$dir/output.log" >> "$log"
	grep -E "^testbox: (KVM|kernel=)" "$dir/output.log"
	echo "check: $box took $(($(date +%s) - t0)) s, exit $rc"
	f0=$failed
	parse_box "$box" "$kernel" "$dir"
	# run.sh fails on a timeout, a missing exit code or a kernel splat.
	if [ "$rc" -eq 0 ]; then
		count "$box:clean-guest-log" pass
	else
		grep -E "testbox:|check-log" "$dir/output.log" | grep -v "^testbox: '" | tail -40
		# the first error line and the verdict, for the summary
		why=$(grep -E "^check-log: |^testbox: FAIL" "$dir/output.log" |
			grep -vE "^check-log: (allowed|expected IOMMU fault|OK)" | head -2 | tr '\n' ' ')
		count "$box:clean-guest-log" fail "run.sh exit $rc${why:+: ${why:0:300}}"
	fi
	[ "$failed" -eq "$f0" ] || keep_box "$box" "$dir"
done

finish
