# SPDX-License-Identifier: GPL-2.0-only
# Helpers for the guest-side test scripts (sourced, bash).

# One result line per test; the host counts these.
result() {
	echo "guest: $1: $2"
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
