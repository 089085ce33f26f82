#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The concurrency churn test (tests/stress/dxgk_churn.c, issue #12) in the
# test box: 4 processes x 4 threads creating, mapping, mmapping, copying,
# exporting and closing at once on every dxgkcompat node, GEM_CLOSE racing
# COPY in each process, as uid 65534. Expects dxgkcompat, dxgk_virt and
# dxgk_edu loaded and runs as root (for debugfs; the tool drops to 65534).
#
#   churn.sh CHURN_BIN
#
# DXGK_CHURN_TIME   seconds of churn (default 30)
#
# Results: churn-run (the tool exited 0 with its summary line and ops > 0),
# churn-race (COPY/GEM_CLOSE races happened), churn-counters (the driver's
# debugfs counters - objects, pages, reserved pages, misuse, leaked pages -
# are back where they were within 10 s). The summary line, with the rate,
# is printed for the host log. Exits 1 if any of the three failed, so that
# the step running this script fails too.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
bin=${1:?CHURN_BIN}
churn_time=${DXGK_CHURN_TIME:-30}
counters=/sys/kernel/debug/dxgkcompat/counters
log=${DXGK_RESULTS:-/tmp}/churn.log

# What desktop distributions give every user: the DRM nodes.
chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null
# The checkout may be in a directory uid 65534 cannot enter (/root).
install -m 0755 "$bin" /run/dxgk_churn || exit 1
bin=/run/dxgk_churn

# Counters that must come back: live objects, pages, reserved pages; and
# that must not move: misuse, pages leaked because their linear map could
# not be set back to WB.
snapshot() {
	grep -E '^(objects|pages_|reserved_pages|misuse|leaked_pages_total) ' \
		"$counters" 2>/dev/null
}
before=$(snapshot)
echo "churn: counters before: $(echo $before)"

echo "churn: $bin --procs 4 --threads 4 --time $churn_time --uid 65534"
# The tool has its own watchdog (60 s without progress, 120 s overrun);
# this is the backstop for one that cannot even be killed.
timeout -k 10 $((churn_time + 180)) \
	"$bin" --procs 4 --threads 4 --time "$churn_time" --uid 65534 > "$log" 2>&1
rc=$?
grep -E '^churn: (start|found|FAIL|proc [0-9]+ pid [0-9]+ (exited|killed))' "$log" | head -40
summary=$(grep -E '^churn: procs=' "$log" | tail -1)
ops=$(sed -nE 's/.* ops=([0-9]+) .*/\1/p' <<< "$summary")
races=$(sed -nE 's/.* races=([0-9]+) .*/\1/p' <<< "$summary")
echo "${summary:-churn: no summary line (exit $rc)}"

run_ok() {
	if [ "$rc" -ne 0 ] || [ -z "$ops" ] || [ "$ops" -eq 0 ]; then
		echo "churn: exit $rc, ops=${ops:-none}; the last lines:"
		tail -30 "$log"
		failed=1
		return 1
	fi
	return 0
}
failed=0
check churn-run run_ok

races_ok() {
	[ -n "$races" ] && [ "$races" -gt 0 ] && return 0
	echo "churn: no COPY/GEM_CLOSE race ran (races=${races:-none})"
	failed=1
	return 1
}
check churn-race races_ok

# Objects go when their last reference does; a mapping or dma-buf of an
# exiting process may take a moment.
settled() {
	local now
	for _ in $(seq 50); do
		now=$(snapshot)
		[ "$now" = "$before" ] && return 0
		sleep 0.2
	done
	echo "churn: counters after 10 s: $(echo $now)"
	# No process substitution: the box has no /dev/fd.
	echo "churn: counters before: $(echo $before)"
	echo "churn: counters after: $(echo $now)"
	failed=1
	return 1
}
check churn-counters settled
exit $failed
