#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The whole test suite (README's test command, `make check`):
#
#   1. setup: Debian packages, kernel source (scripts/setup.sh)
#   2. build: the debug kernel (cached), the modules with W=1 against the
#      distro 6.12 headers, the debug kernel and the 6.1 headers, the IGT
#      tests; checkpatch --strict and sparse on our sources
#   3. for each test-box configuration, boot it and run tests/guest/suite.sh:
#      KUnit (debug kernel), IGT, the shell lifecycle tests; a guest log
#      with a kernel splat fails the configuration
#   4. print every result and end with "N passed, N failed, N skipped"
#
# Environment: O (build dir, default ./build), DXGK_CACHE (kernel and
# initramfs cache, default /var/cache/dxgkcompat), DXGK_BOXES (the
# configurations KERNEL:IOMMU, default "distro:strict debug:strict
# distro:off distro:pt": VT-d translating with strict invalidation on both
# kernels, then no IOMMU and pass-through on the distro kernel).
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
O=${O:-$top/build}
mkdir -p "$O"
O=$(cd "$O" && pwd)
boxes=${DXGK_BOXES:-"distro:strict debug:strict distro:off distro:pt"}
log=$O/check.log
: > "$log"

passed=0 failed=0 skipped=0
declare -a failures=()
count() {	# count NAME pass|fail|skip
	case "$2" in
	pass) passed=$((passed + 1)) ;;
	skip) skipped=$((skipped + 1)) ;;
	*) failed=$((failed + 1)); failures+=("$1") ;;
	esac
	echo "check: $1: $2" | tee -a "$log"
}
step() { echo "check: == $* ($(date +%T))"; }
finish() {
	if [ ${#failures[@]} -gt 0 ]; then
		echo "check: failed: ${failures[*]}"
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

step "debug kernel"
t0=$(date +%s)
if kdir_debug=$(tests/testbox/build-kernel.sh | tail -1) && [ -d "$kdir_debug" ]; then
	count build:debug-kernel pass
else
	count build:debug-kernel fail
	kdir_debug=
fi
echo "check: debug kernel ready after $(($(date +%s) - t0)) s"

kdir_distro=$(ls -d /usr/src/linux-headers-6.12*-amd64 2>/dev/null | sort -V | tail -1)
kdir_61=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -1)

# build_mods NAME KDIR -> sets $kmod_NAME; a build with a warning fails.
build_mods() {
	local name=$1 kdir=$2 out dir
	if [ -z "$kdir" ]; then
		count "build:modules-$name" fail
		return
	fi
	out=$O/build-$name.log
	if dir=$(scripts/build-modules.sh "$kdir" "$O" W=1 DXGK_TEST_IOCTLS=y 2>"$out" | tail -1) &&
	   ! grep -E "warning:|error:" "$out"; then
		count "build:modules-$name" pass
		printf -v "kmod_$name" %s "$dir"
	else
		tail -20 "$out"
		count "build:modules-$name" fail
	fi
}

step "modules"
kmod_distro= kmod_debug= kmod_61=
build_mods distro "$kdir_distro"
build_mods debug "$kdir_debug"
build_mods 61 "$kdir_61"

step "style: checkpatch --strict, sparse"
if scripts/checkpatch.sh > "$O/checkpatch.log" 2>&1; then
	count style:checkpatch pass
else
	cat "$O/checkpatch.log"
	count style:checkpatch fail
fi
if [ -n "$kdir_distro" ] &&
   scripts/build-modules.sh "$kdir_distro" "$O/sparse" C=2 DXGK_TEST_IOCTLS=y \
	> /dev/null 2> "$O/sparse.log" && ! grep -E "warning:|error:" "$O/sparse.log"; then
	count style:sparse pass
else
	count style:sparse fail
fi

step "IGT"
if make -s -C tests/igt O="$O" >"$O/build-igt.log" 2>&1; then
	count build:igt pass
else
	tail -20 "$O/build-igt.log"
	count build:igt fail
fi

# Results of one box run: guest shell tests, IGT subtests, KUnit, log check.
parse_box() {
	local box=$1 dir=$2 line name res ktap total pass fail skip
	while IFS= read -r line; do
		case "$line" in
		"guest: "*": pass"|"guest: "*": fail"|"guest: "*": skip")
			name=${line#guest: }; res=${name##*: }; name=${name%: *}
			count "$box:$name" "$res" ;;
		"igt: "*": pass"|"igt: "*": fail"|"igt: "*": skip")
			name=${line#igt: }; res=${name##*: }; name=${name%: *}
			count "$box:igt:$name" "$res" ;;
		esac
	done < <(tr -d '\r' < "$dir/console.log")

	if [ "${box%%:*}" = debug ]; then
		ktap=$dir/kunit.txt
		# The last top-level KTAP run is dxgkcompat_test.ko's (the
		# kernel's own, empty, comes first at boot).
		start=$(grep -n '^\[[ 0-9.]*\] KTAP version 1$' "$dir/dmesg.txt" |
			tail -1 | cut -d: -f1)
		tail -n +"${start:-1}" "$dir/dmesg.txt" |
			python3 "$DXGK_KUNIT_PY" parse > "$ktap" 2>&1
		cat "$ktap"
		# One result per KUnit test case (parameterised cases count once).
		while IFS= read -r line; do
			case "$line" in
			*"[PASSED]"*) count "$box:kunit:$(echo "${line#*\[PASSED\] }" | tr -d '\033')" pass ;;
			*"[FAILED]"*) count "$box:kunit:$(echo "${line#*\[FAILED\] }" | tr -d '\033')" fail ;;
			*"[SKIPPED]"*) count "$box:kunit:$(echo "${line#*\[SKIPPED\] }" | tr -d '\033')" skip ;;
			*"[CRASHED]"*) count "$box:kunit:crashed" fail ;;
			esac
		done < <(grep -E "^\[[0-9:]+\] +(\[|=)" "$ktap" | grep -v "^\[[0-9:]*\] =")
		grep -q "\[PASSED\]\|\[FAILED\]" "$ktap" || count "$box:kunit:ran" fail
	fi
}

DXGK_KUNIT_PY=$(ls -d "${DXGK_CACHE:-/var/cache/dxgkcompat}"/src/linux-source-6.12/tools/testing/kunit/kunit.py 2>/dev/null | head -1)
export DXGK_KUNIT_PY

# Did the box fail only because of the kernel's boot, before the shell?
# Either the guest never reached the shell, or every finding of the log
# check is timestamped before the shell came up.
boot_only_failure() { # OUTPUT_LOG
	local shell
	grep -q "wall-to-shell=?s" "$1" && return 0
	grep -q "testbox: FAIL: kernel log check failed (guest script exit code 0)" "$1" ||
		return 1
	shell=$(grep -o "guest-uptime-at-shell=[0-9.]*s" "$1" | tail -1 | tr -dc '0-9.')
	[ -n "$shell" ] || return 1
	grep -E "^check-log: " "$1" |
		grep -vE "^check-log: (expected IOMMU fault|allowed |OK|FAIL)" |
		awk -v shell="$shell" '
			{ if (!match($0, /\[ *[0-9]+\.[0-9]+\]/)) bad = 1
			  else { t = substr($0, RSTART + 1, RLENGTH - 2) + 0
				 if (t >= shell) bad = 1 }
			  n++ }
			END { exit (n == 0 || bad) }'
}

for box in $boxes; do
	kernel=${box%%:*} iommu=${box#*:}
	step "test box $kernel, iommu=$iommu"
	kmod_var=kmod_$kernel
	if [ -z "${!kmod_var}" ] || [ ! -x "$O/tests/igt/dxgkcompat_basic" ]; then
		count "$box:boot" fail
		continue
	fi
	dir=$O/results/$kernel-$iommu
	rm -rf "$dir"
	mkdir -p "$dir"
	t0=$(date +%s)
	for attempt in 1 2; do
		tests/testbox/run.sh --kernel "$kernel" --iommu "$iommu" --timeout 900 \
			--results "$dir" -- tests/guest/suite.sh "${!kmod_var}" "$O/tests/igt" \
			> "$dir/output.log" 2>&1
		rc=$?
		# A kernel that failed while booting, before the guest shell and
		# so before any of our modules was loaded, gets one more boot;
		# the first logs are kept. Seen: an int3 oops in sched_clock_cpu
		# (distro) and a KASAN report in handle_edge_irq (debug).
		[ "$rc" -ne 0 ] && [ "$attempt" -eq 1 ] &&
			boot_only_failure "$dir/output.log" || break
		echo "check: $box: the kernel failed while booting, before any test; booting again"
		mv "$dir/output.log" "$dir/boot-failure.log"
		mv "$dir/console.log" "$dir/boot-failure-console.log" 2>/dev/null
	done
	cat "$dir/output.log" >> "$log"
	echo "check: $box took $(($(date +%s) - t0)) s, exit $rc"
	parse_box "$box" "$dir"
	# run.sh fails on a timeout, a missing exit code or a kernel splat.
	if [ "$rc" -eq 0 ]; then
		count "$box:clean-guest-log" pass
	else
		grep -E "testbox:|check-log" "$dir/output.log" | tail -20
		count "$box:clean-guest-log" fail
	fi
done

finish
