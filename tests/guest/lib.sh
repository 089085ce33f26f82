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

# Fault injection for fail-nth sweeps: every allocation may be failed
# (GFP_KERNEL ones and order 0 too), verbosely never (a stack dump per
# injection would read as a splat), at random never (probability stays 0,
# so only /proc/thread-self/fail-nth and current->fail_nth inject). No-ops
# on a kernel without CONFIG_FAULT_INJECTION_DEBUG_FS.
fault_injection_on() {
	local d=/sys/kernel/debug
	[ -d $d/failslab ] || return 0
	echo N > $d/failslab/ignore-gfp-wait
	echo 0 > $d/failslab/verbose
	echo N > $d/fail_page_alloc/ignore-gfp-wait
	echo N > $d/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $d/fail_page_alloc/min-order
	echo 0 > $d/fail_page_alloc/verbose
}

# Back to the kernel's defaults.
fault_injection_off() {
	local d=/sys/kernel/debug
	[ -d $d/failslab ] || return 0
	echo Y > $d/failslab/ignore-gfp-wait
	echo 2 > $d/failslab/verbose
	echo Y > $d/fail_page_alloc/ignore-gfp-wait
	echo Y > $d/fail_page_alloc/ignore-gfp-highmem
	echo 1 > $d/fail_page_alloc/min-order
	echo 2 > $d/fail_page_alloc/verbose
}
