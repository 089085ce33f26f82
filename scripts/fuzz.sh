#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make fuzz`: the fuzzer (tests/fuzz) for as long as you like, in every
# test-box configuration, as uid 65534 (tests/guest/fuzz.sh).
#
# Environment: DXGK_FUZZ_OPS operations per box (default 250000),
# DXGK_FUZZ_TIME time budget per box in seconds (default 3600),
# DXGK_FUZZ_SEED first seed (default: a new one per run, printed),
# DXGK_BOXES as for make check, O, DXGK_CACHE.
# A box fails on a fuzzer failure, counters that do not come back, or a
# kernel splat in its log (KASAN, lockdep, kmemleak, WARN ... on the debug
# kernel). Each failing run prints the command that replays its seed.
set -uo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/long-runs.sh
boxes=${DXGK_BOXES:-"distro:strict debug:strict distro:off distro:pt"}
export DXGK_FUZZ_OPS=${DXGK_FUZZ_OPS:-250000}
export DXGK_FUZZ_TIME=${DXGK_FUZZ_TIME:-3600}
export DXGK_FUZZ_SEED=${DXGK_FUZZ_SEED:-$(( $(date +%s) % 1000000 ))}
echo "fuzz: seeds from $DXGK_FUZZ_SEED, $DXGK_FUZZ_OPS operations per box"

# shellcheck disable=SC2086
long_prepare $boxes || exit 1
make -s -C tests/fuzz O="$O" || exit 1

failed=0
for box in $boxes; do
	if long_box fuzz "$box" $((DXGK_FUZZ_TIME + 600)) tests/fuzz/guest-job.sh \
		"$O/tests/fuzz/dxgk_fuzz"; then
		echo "fuzz: $box: clean"
	else
		failed=$((failed + 1))
	fi
done
echo "fuzz: $failed of $(wc -w <<< "$boxes") boxes failed"
[ "$failed" -eq 0 ]
