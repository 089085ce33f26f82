#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The user-space PMO benchmark (tests/bench/user/dxgk_ubench.c, issue #13)
# in the test box: create + mmap + first touch + teardown of dxgkcompat
# objects against vgem dumb buffers and plain shmem (memfd), 4 KiB..64 MiB.
#
#   guest-ubench.sh UBENCH_BIN_DIR [dxgk_ubench options...]
#
# Runs as root. Expects the caller to have loaded dxgkcompat and dxgk_virt
# (the bench measures on dxgk_virt's render node; another miniport's with
# `-a NAME`, a given node with `-d PATH`); loads vgem itself. Without vgem
# the vgem rows are skipped (the table then has no reference: total / vgem
# is n/a) and the file says so. Extra arguments go to dxgk_ubench, after
# the script's own (so a later -b wins), e.g. `-r 5 -s 1M,64M`.
#
# DXGK_RESULTS        where ubench.txt goes (default /tmp); the table is
#                     also printed. No result lines: a measurement, not a test.
# DXGK_BENCH_REPS     repetitions (-r; dxgk_ubench's default 15 when unset)
# DXGK_BENCH_MAX_MIB  leave out the sizes above this many MiB (of 4K, 64K,
#                     1M, 16M, 64M; unset: all)
#
# Exit status: dxgk_ubench's (0 done, 1 error, 2 usage), 1 if it is missing.
set -u
bin=${1:?UBENCH_BIN_DIR}/dxgk_ubench
shift
out=${DXGK_RESULTS:-/tmp}/ubench.txt

if [ ! -x "$bin" ]; then
	echo "ubench: $bin: not built (make -C tests/bench/user O=...)" >&2
	exit 1
fi
if [ ! -d /sys/module/dxgkcompat ]; then
	echo "ubench: the dxgkcompat module is not loaded (the caller loads dxgkcompat and dxgk_virt)" >&2
	exit 1
fi

# vgem's card node: its DRM device hangs off the "vgem" platform device.
vgem_card() {
	local c

	for c in /sys/class/drm/card[0-9]*; do
		[ -e "$c/device" ] || continue
		[ "$(basename "$(readlink -f "$c/device")")" = vgem ] || continue
		echo "/dev/dri/${c##*/}"
		return 0
	done
	return 1
}

modprobe vgem 2>/dev/null
vgem=
for _ in $(seq 50); do
	vgem=$(vgem_card) && break
	sleep 0.1
done
args=()
note=
if [ -n "${DXGK_BENCH_REPS:-}" ]; then
	args+=(-r "$DXGK_BENCH_REPS")
fi
if [ -n "${DXGK_BENCH_MAX_MIB:-}" ]; then
	sizes=4K,64K
	for m in 1 16 64; do
		[ "$DXGK_BENCH_MAX_MIB" -ge $m ] 2>/dev/null && sizes=$sizes,${m}M
	done
	args+=(-s "$sizes")
fi
if [ -n "$vgem" ] && [ -e "$vgem" ]; then
	args+=(-g "$vgem")
else
	note="# vgem: not available (modprobe vgem failed or no vgem card node): vgem rows skipped"
	echo "ubench: ${note#\# }" >&2
	args+=(-b "memfd,mdl,section")
fi

rc=0
"$bin" "${args[@]}" "$@" > "$out.tmp" || rc=$?
{
	[ -z "$note" ] || echo "$note"
	cat "$out.tmp"
} > "$out"
rm -f "$out.tmp"
cat "$out"
[ $rc -eq 0 ] || echo "ubench: dxgk_ubench exited $rc (see the message above)" >&2
exit $rc
