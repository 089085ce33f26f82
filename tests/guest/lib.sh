# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the guest-side test scripts (sourced, bash).

# One result line per test; the host counts these. The line goes to the
# console and, in a test box, to $DXGK_RESULTS/results.txt on the 9p share:
# the host reads the file, because a kernel printk can split a console line.
result() {
	echo "guest: $1: $2"
	[ -z "${DXGK_RESULTS:-}" ] || echo "guest: $1: $2" >> "$DXGK_RESULTS/results.txt"
}

# check NAME COMMAND...: pass if COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@"; then result "$name" pass; else result "$name" fail; fi
}

# The /dev/dri/card* nodes of dxgkcompat adapters driven by miniport $1.
cards_of() {
	local c
	for c in /sys/class/drm/card[0-9]*; do
		[ -e "$c/device/driver" ] || continue
		[ "$(basename "$(readlink "$c/device/driver")")" = "$1" ] && echo "/dev/dri/${c##*/}"
	done
	return 0
}

wait_for_card() {
	local i
	for i in $(seq 50); do
		[ -n "$(cards_of "$1")" ] && return 0
		sleep 0.1
	done
	return 1
}

# ddi_log_has PATTERN: the kernel log has a line matching PATTERN.
ddi_log_has() {
	dmesg | grep -q -- "$1"
}

# Fault injection for fail-nth sweeps (the KUnit load in suite.sh,
# failnth.sh): every allocation may be failed (GFP_KERNEL ones, order 0,
# highmem-flagged user and shmem pages), verbosely never (a stack dump per
# injection would read as a splat), at random never (probability 0, so
# only /proc/thread-self/fail-nth and current->fail_nth inject).
# fault_injection_on saves the knobs, then sets them in this order
# (probability first: no random failure while the others change);
# fault_injection_off puts back what it saved, in reverse. Both are no-ops
# on a kernel without CONFIG_FAULT_INJECTION_DEBUG_FS; on returns 1 when a
# knob cannot be read or set.
fault_knobs=(failslab/probability fail_page_alloc/probability
	     failslab/verbose fail_page_alloc/verbose
	     failslab/ignore-gfp-wait failslab/cache-filter
	     fail_page_alloc/ignore-gfp-wait fail_page_alloc/ignore-gfp-highmem
	     fail_page_alloc/min-order)
fault_want=(0 0 0 0 N N N N 0)
declare -A fault_saved=()

fault_injection_on() {
	local d=/sys/kernel/debug i k v
	[ -d $d/failslab ] && [ -d $d/fail_page_alloc ] || return 0
	for k in "${fault_knobs[@]}"; do
		v=$(cat "$d/$k") || return 1
		fault_saved[$k]=$v
	done
	for i in "${!fault_knobs[@]}"; do
		echo "${fault_want[$i]}" > "$d/${fault_knobs[$i]}" || return 1
	done
}

fault_injection_off() {
	local d=/sys/kernel/debug i k
	for ((i = ${#fault_knobs[@]} - 1; i >= 0; i--)); do
		k=${fault_knobs[$i]}
		[ -n "${fault_saved[$k]+set}" ] && echo "${fault_saved[$k]}" > "$d/$k"
	done
	fault_saved=()
}
