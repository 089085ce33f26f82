#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The fuzzer (tests/fuzz) in the test box, as uid 65534 on the render and
# primary nodes of both miniports. Expects dxgkcompat, dxgk_virt and
# dxgk_edu loaded (suite.sh, or fuzz-job.sh for `make fuzz`).
#
#   fuzz.sh FUZZ_BIN
#
# DXGK_FUZZ_OPS     operations in all (default 24000: at least 20,000)
# DXGK_FUZZ_TIME    time budget in seconds for all runs (default 240)
# DXGK_FUZZ_SEED    first seed (default: fixed per kernel and IOMMU mode,
#                   so that make check replays the same sequences)
#
# Three runs share the operations: one thread (replayable from its seed),
# four threads racing on shared files, and one thread again with another
# seed. Results: fuzz-single, fuzz-threads, fuzz-second (each passes when
# the fuzzer reports no failure and ran its share of operations), then
# fuzz-counters: the driver's debugfs counters are back where they were
# (no object, page or reservation left), with no misuse counted.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${1:?FUZZ_BIN}
ops=${DXGK_FUZZ_OPS:-24000}
budget=${DXGK_FUZZ_TIME:-240}
counters=/sys/kernel/debug/dxgkcompat/counters

case "${DXGK_KERNEL:-distro}:${DXGK_IOMMU:-strict}" in
debug:*) seed0=9100 ;;
*:strict) seed0=9200 ;;
*:off) seed0=9300 ;;
*) seed0=9400 ;;
esac
seed0=${DXGK_FUZZ_SEED:-$seed0}

# What desktop distributions give every user: the DRM nodes.
chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null
# The checkout may be in a directory uid 65534 cannot enter (/root).
install -m 0755 "$bin" /run/dxgk_fuzz || exit 1
bin=/run/dxgk_fuzz

# Counters that must come back: live objects, pages, reserved pages, misuse.
snapshot() {
	grep -E '^(objects|pages_|reserved_pages|misuse) ' "$counters" 2>/dev/null
}
before=$(snapshot)
echo "fuzz: counters before: $(echo $before)"

# fuzz_run NAME OPS TIME SEED ARGS...: one run as uid 65534.
fuzz_run() {
	local name=$1 n=$2 t=$3 seed=$4 out summary ran
	shift 4
	out=${DXGK_RESULTS:-/tmp}/fuzz-$name.log
	echo "fuzz: $name: setpriv --reuid=65534 $bin --seed $seed --ops $n --time $t $*"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$bin" --seed "$seed" --ops "$n" --time "$t" "$@" > "$out" 2>&1
	rc=$?
	grep -E '^fuzz: (FAIL|seed=|found|replay)' "$out" | head -20
	summary=$(grep -E '^fuzz: seed=' "$out" | tail -1)
	ran=$(sed -nE 's/.* ops=([0-9]+) .*/\1/p' <<< "$summary")
	if [ "$rc" -ne 0 ] || [ -z "$ran" ]; then
		echo "fuzz: $name: exit $rc; replay: $bin --seed $seed --ops $n $*"
		tail -20 "$out"
		return 1
	fi
	if [ "$ran" -lt "$n" ]; then
		echo "fuzz: $name: only $ran of $n operations within ${t} s"
		return 1
	fi
	return 0
}

single=$((ops / 2)) threads=$((ops / 4)) second=$((ops - ops / 2 - ops / 4))
check fuzz-single fuzz_run single "$single" $((budget / 2)) "$seed0" --threads 1
check fuzz-threads fuzz_run threads "$threads" $((budget / 4)) $((seed0 + 1)) --threads 4
check fuzz-second fuzz_run second "$second" $((budget / 4)) $((seed0 + 2)) --threads 1

# Objects go when their last reference does; a dma-buf or mapping freed
# by an exiting process may take a moment.
settled() {
	local i now
	for i in $(seq 50); do
		now=$(snapshot)
		[ "$now" = "$before" ] && return 0
		sleep 0.2
	done
	echo "fuzz: counters after: $(echo $now)"
	return 1
}
check fuzz-counters settled
exit 0
