# SPDX-License-Identifier: GPL-2.0-only
# Sourced by scripts/fuzz.sh (`make fuzz`) and scripts/stress.sh
# (`make stress`) from the top of the checkout: the build directory, the
# setup and module builds of a long run, and one box.

# $O: the build directory, absolute (default ./build).
O=${O:-$PWD/build}
mkdir -p "$O"
O=$(cd "$O" && pwd)

# long_prepare BOX...: the Debian packages, then the modules (with the
# test-only ioctls) for every kernel the boxes name: sets kmod_KERNEL.
long_prepare() {
	local box kernel kdir dir var
	scripts/setup.sh || return 1
	for box in "$@"; do
		kernel=${box%%:*}
		var=kmod_$kernel
		[ -n "${!var:-}" ] && continue
		case "$kernel" in
		debug) kdir=$(tests/testbox/build-kernel.sh | tail -1) || return 1 ;;
		distro) kdir=$(ls -d /usr/src/linux-headers-6.12*-amd64 | sort -V | tail -1) ;;
		distro61) kdir=$(ls -d /usr/src/linux-headers-6.1.*-amd64 | sort -V | tail -1) ;;
		*) echo "long run: unknown kernel '$kernel' in box $box" >&2; return 1 ;;
		esac
		dir=$(scripts/build-modules.sh "$kdir" "$O" DXGK_TEST_IOCTLS=y | tail -1) &&
			[ -d "$dir" ] || return 1
		printf -v "$var" %s "$dir"
	done
}

# long_box NAME BOX TIMEOUT JOB ARGS...: boot BOX, run JOB with
# KMOD_DIR ARGS...; results in $O/results/NAME-KERNEL-IOMMU. Returns run.sh's
# exit code (non-zero on a kernel splat) or 1 when a guest result failed.
long_box() {
	local name=$1 box=$2 timeout=$3 job=$4 kernel iommu var dir rc
	shift 4
	kernel=${box%%:*} iommu=${box#*:}
	var=kmod_$kernel
	dir=$O/results/$name-$kernel-$iommu
	rm -rf "$dir"
	mkdir -p "$dir"
	tests/testbox/run.sh --kernel "$kernel" --iommu "$iommu" --timeout "$timeout" \
		--results "$dir" -- "$job" "${!var}" "$@" > "$dir/output.log" 2>&1
	rc=$?
	grep -E "^(fuzz|churn|unplug|failnth|load|guest): |check-log" "$dir/output.log"
	if [ "$rc" -eq 0 ] && grep -q "^guest: .*: fail" "$dir/output.log"; then
		rc=1
	fi
	[ "$rc" -eq 0 ] || echo "$name: $box: FAILED (exit $rc, log $dir/output.log)"
	return "$rc"
}
