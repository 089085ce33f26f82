#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make stress`: the hostile-conditions suites for long, on the debug
# kernel by default (KASAN, lockdep, kmemleak, fault injection): the churn
# of N processes x M threads (tests/guest/churn.sh), the fail-nth sweep of
# every ioctl to its end (failnth.sh) and the device taken away under load
# (unplug.sh), in that order. `make check` runs the same suites with short
# budgets.
#
# Environment (defaults): DXGK_CHURN_TIME (600 s), DXGK_FAILNTH_TIME
# (3600 s), DXGK_UNPLUG_CYCLES (500), DXGK_UNPLUG_MIN_CYCLES (as many),
# DXGK_UNPLUG_TIME (3600 s), DXGK_BOXES ("debug:strict"; the hostile suites
# run on the debug kernel only), O, DXGK_CACHE.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/long-runs.sh
boxes=${DXGK_BOXES:-"debug:strict"}
export DXGK_CHURN_TIME=${DXGK_CHURN_TIME:-600}
export DXGK_FAILNTH_TIME=${DXGK_FAILNTH_TIME:-3600}
export DXGK_UNPLUG_CYCLES=${DXGK_UNPLUG_CYCLES:-500}
export DXGK_UNPLUG_MIN_CYCLES=${DXGK_UNPLUG_MIN_CYCLES:-$DXGK_UNPLUG_CYCLES}
export DXGK_UNPLUG_TIME=${DXGK_UNPLUG_TIME:-3600}
echo "stress: churn ${DXGK_CHURN_TIME} s, fail-nth up to ${DXGK_FAILNTH_TIME} s," \
     "$DXGK_UNPLUG_CYCLES unplug cycles in up to ${DXGK_UNPLUG_TIME} s"

# shellcheck disable=SC2086
long_prepare $boxes || exit 1
make -s -C tests/stress O="$O" || exit 1

failed=0
for box in $boxes; do
	if long_box stress "$box" \
		$((DXGK_CHURN_TIME + DXGK_FAILNTH_TIME + DXGK_UNPLUG_TIME + 600)) \
		tests/stress/guest-job.sh "$O/tests/stress"; then
		echo "stress: $box: clean"
	else
		failed=$((failed + 1))
	fi
done
echo "stress: $failed of $(wc -w <<< "$boxes") boxes failed"
[ "$failed" -eq 0 ]
