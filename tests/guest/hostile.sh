#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dxgk-boxes: debug:*
# Hostile conditions on the debug kernel (KASAN, lockdep, kmemleak, fault
# injection), run by suite.sh after the lifecycle tests:
#
#   hostile.sh MODS_DIR STRESS_BIN_DIR
#
# 1. the fail-nth sweep of the ioctls from user space (failnth.sh): every
#    allocation of each call failed in turn;
# 2. the device taken away under load (unplug.sh): unbind, miniport and
#    port unload, PCI remove/rescan while copies, mmaps and a vgem import
#    are live.
# Expects dxgkcompat, dxgk_virt and dxgk_edu loaded; leaves them loaded.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mods=${1:?MODS_DIR}
bin=${2:?STRESS_BIN_DIR}

check step-failnth "$here/failnth.sh" "$bin/dxgk_failnth"
check step-unplug "$here/unplug.sh" "$mods" "$bin/dxgk_load"
exit 0
