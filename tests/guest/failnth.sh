#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dxgk-boxes: debug:*
# The fail-nth fault-injection sweep (issue #12) on the debug kernel:
# tests/stress/dxgk_failnth fails, for every scenario (open(), each ioctl,
# mmap(), the first touch of a mapping, PRIME, vgem import, COPY, GEM_CLOSE,
# close()), allocation 1, 2, 3, ... of the call until it passes untouched,
# and judges each: a clean errno and NTSTATUS (or a fallback that
# succeeds), no kernel splat, nothing leaked (the driver's debugfs counters
# back at the baseline). Run as root, with dxgkcompat, dxgk_virt, dxgk_edu
# and vgem loaded (hostile.sh, from suite.sh).
#
#   failnth.sh FAILNTH_BIN
#
# DXGK_FAILNTH_TIME        time budget in seconds (default 240): the tool
#                          stops sweeping when it is spent and says where
# DXGK_FAILNTH_MAX_POINTS  fault points per scenario at most (default: the
#                          tool's, 2000)
#
# The failslab and fail_page_alloc knobs are saved, set so that every
# allocation can be failed (GFP_KERNEL ones, order 0, highmem-flagged user
# and shmem pages) by fail-nth alone (probability 0) and silently (verbose
# 0: a stack dump per injection would read as a splat), and restored after.
#
# Results:
#   failnth-ioctls    every "ioctls" scenario swept to the end, none failed
#                     (open, GET_ADAPTER_INFO, PMO_CREATE of each kind,
#                     PMO_MMAP_OFFSET, GEM_CLOSE, close() with live objects)
#   failnth-mappings  no "mappings" scenario failed (PMO_MAP, PMO_UNMAP,
#                     mmap() of a GEM offset and a dma-buf, first touches,
#                     the test-only map callbacks)
#   failnth-prime     no "prime" scenario failed (HANDLE_TO_FD,
#                     FD_TO_HANDLE, vgem import)
#   failnth-copy      no "copy" scenario failed (COPY on edu)
#   failnth-counters  the counters are back where they were before the run
# A scenario other than an ioctls one that the time budget cut short (or
# never reached) is reported, not failed.
#
# A kernel without fail-nth (CONFIG_FAULT_INJECTION) reports every result
# as skip, saying why: run this on the debug kernel only (the dxgk-boxes
# line above keeps its results out of the other boxes' floor).
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${1:?FAILNTH_BIN}
budget=${DXGK_FAILNTH_TIME:-240}
dbg=/sys/kernel/debug
counters=$dbg/dxgkcompat/counters
res=${DXGK_RESULTS:-/tmp}
log=$res/failnth.log
list=$res/failnth-list.txt

if [ ! -e /proc/self/fail-nth ]; then
	echo "failnth: /proc/self/fail-nth is missing: kernel $(uname -r) has no CONFIG_FAULT_INJECTION; the sweep runs on the debug kernel only"
	result failnth-ioctls skip
	result failnth-mappings skip
	result failnth-prime skip
	result failnth-copy skip
	result failnth-counters skip
	exit 0
fi

knobs_line() {
	local k line=
	for k in "${fault_knobs[@]}"; do line+=" $k=$(cat "$dbg/$k" 2>/dev/null)"; done
	echo "failnth: knobs$line"
}

# Counters that must come back: live objects, pages, reserved pages, misuse,
# pages leaked because their linear map could not be set back to WB.
snapshot() {
	grep -E '^(objects|pages_|reserved_pages|misuse|leaked_pages_total) ' "$counters" 2>/dev/null
}

settled() {
	local i now
	for i in $(seq 50); do
		now=$(snapshot)
		[ "$now" = "$before" ] && return 0
		sleep 0.2
	done
	echo "failnth: counters before: $(echo $before)"
	echo "failnth: counters after: $(echo $now)"
	return 1
}

# group_ok GROUP STRICT: every scenario the tool lists for GROUP reported,
# none failed; with STRICT, each swept to the end.
group_ok() {
	local group=$1 strict=$2 name g rest line bad=0 n=0 short=()
	while read -r name g rest; do
		[ "$g" = "$group" ] || continue
		n=$((n + 1))
		if grep -qF "failnth: FAIL $name n=" "$log"; then
			echo "failnth: $group: $name failed"
			bad=1
			continue
		fi
		# its last summary line: "failnth: NAME: points=..." or how it ended
		line=$(awk -v p="failnth: $name: " 'index($0, p) == 1 {
			r = substr($0, length(p) + 1)
			if (r ~ /^(points=|cut short|capped|not run|not available|stopped)/) last = r
		} END { print last }' "$log")
		case "$line" in
		points=*|"not available"*) ;;
		"cut short"*|"not run (time budget spent)"|capped*)
			short+=("$name")
			if [ "$strict" = strict ]; then
				echo "failnth: $group: $name not swept to the end: $line"
				bad=1
			fi ;;
		"")	echo "failnth: $group: $name reported nothing (did the tool die?)"
			bad=1 ;;
		*)	echo "failnth: $group: $name: $line"
			bad=1 ;;
		esac
	done < "$list"
	if [ "$n" -eq 0 ]; then
		echo "failnth: $group: no scenario listed ($bin --list)"
		return 1
	fi
	[ ${#short[@]} -eq 0 ] || echo "failnth: $group: not swept to the end (time budget or --max-points): ${short[*]}"
	return $bad
}

if [ ! -d "$dbg/failslab" ] || [ ! -d "$dbg/fail_page_alloc" ]; then
	echo "failnth: no $dbg/failslab or $dbg/fail_page_alloc: kernel without CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC or CONFIG_FAULT_INJECTION_DEBUG_FS"
	ready=0
else
	# (tests/guest/lib.sh: saved, set, and put back on every way out)
	trap fault_injection_off EXIT
	trap 'fault_injection_off; exit 1' INT TERM
	if fault_injection_on; then
		ready=1
	else
		echo "failnth: cannot read or set the fault-injection knobs"
		ready=0
	fi
fi
knobs_line

: > "$log"
: > "$list"
before=$(snapshot)
echo "failnth: counters before: $(echo $before)"
if [ "$ready" = 1 ]; then
	"$bin" --list > "$list" 2>&1 || echo "failnth: $bin --list failed: $(head -3 "$list")"
	args=(--time "$budget")
	[ -n "${DXGK_FAILNTH_MAX_POINTS:-}" ] && args+=(--max-points "$DXGK_FAILNTH_MAX_POINTS")
	echo "failnth: $bin ${args[*]} ($(grep -c . "$list") scenarios)"
	start=$(date +%s)
	"$bin" "${args[@]}" > "$log" 2>&1
	rc=$?
	echo "failnth: exit $rc after $(( $(date +%s) - start )) s; log: $log"
	fault_injection_off
	knobs_line
	# The summary: one line per scenario, every failure, kernel notes.
	grep -E '^failnth: ' "$log" | head -300
	[ "$rc" -le 1 ] || tail -20 "$log"
fi

total=$(sed -n 's/^failnth: total points=\([0-9]*\) .*/\1/p' "$log" | tail -1)
echo "failnth: total fault points covered: ${total:-none}"

check failnth-ioctls group_ok ioctls strict
check failnth-mappings group_ok mappings lenient
check failnth-prime group_ok prime lenient
check failnth-copy group_ok copy lenient
check failnth-counters settled
exit 0
