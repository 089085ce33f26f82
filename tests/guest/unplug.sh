#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# dxgk-boxes: debug:*
# Unplug under load (issue #12): the edu adapter is taken away again and
# again while dxgk_load (tests/stress) copies on it as uid 65534, and is
# given back each time. Expects dxgkcompat, dxgk_virt and dxgk_edu loaded
# (as after lifecycle.sh); leaves them loaded.
#
#   unplug.sh MODS_DIR LOAD_BIN
#
# MODS_DIR is the directory of dxgkcompat.ko (as lifecycle.sh takes it),
# LOAD_BIN the dxgk_load binary.
#
# DXGK_UNPLUG_CYCLES      cycles in all (default 52)
# DXGK_UNPLUG_TIME        time budget of the cycles in seconds (default 460:
#                         a quarter of the cycles run edu in its 2.4 mode,
#                         whose copies make three DMAs of each piece)
# DXGK_UNPLUG_MIN_CYCLES  fewest cycles for unplug-cycles to pass (default 50)
# DXGK_UNPLUG_MAX_COPY    the load's --max-copy (default 16384: a copy of
#                         4-16 KiB takes 0.2-1 s on edu under TCG, which
#                         keeps a cycle near 4 s)
# DXGK_UNPLUG_SEED        seed of the load and of the pauses (default 12012)
#
# A cycle: pause 0-300 ms (the load has just started a copy: the pull
# lands mid-copy), take the edu device away by the cycle's method, give it
# back, wait for its card, then wait (30 s at most) until the load has done
# a verified copy on a new generation (it reopened the new device). The
# methods rotate:
#   unbind          sysfs unbind/bind from /sys/bus/pci/drivers/dxgk_edu
#   rmmod-miniport  rmmod dxgk_edu, insmod it again
#   pci-remove      /sys/bus/pci/devices/BDF/remove, /sys/bus/pci/rescan
#   rmmod-port      the load is stopped (SIGSTOP) so that it certainly
#                   holds its DRM file, dma-buf and mappings; rmmod dxgk_edu
#                   and dxgk_virt; rmmod dxgkcompat must be refused (the
#                   DRM file operations pin the port module); SIGCONT; insmod
#                   both miniports again
# and every third cycle of the first three methods also unbinds and binds
# the virtual adapter (platform driver dxgk_virt) around the edu pull.
# Each rmmod-miniport cycle's insmod of dxgk_edu alternates its WDDM 2.4
# mode (wddm24=1: its staging pages from DxgkCbAllocateContiguousMemory and
# DxgkCbAllocatePagesForMdl are live while the device goes), so a quarter
# of the cycles pull a device in that mode; rmmod-port loads it normally.
#
# Results: unplug-unbind, unplug-rmmod-miniport, unplug-pci-remove,
# unplug-rmmod-port (each: every cycle of that method worked, at least one
# ran), unplug-wddm24 (at least 5 cycles pulled edu in its 2.4 mode and
# each worked), unplug-cycles (at least DXGK_UNPLUG_MIN_CYCLES ran within the
# budget), unplug-load-clean (the load exits 0 after SIGTERM: no data
# error, no unexpected errno, no stall), unplug-device-works (the load's last
# generation, or a fresh run, did a verified copy), unplug-counters (the
# debugfs counters back to their snapshot within 10 s, misuse unchanged),
# unplug-port-reload (with the load gone: rmmod dxgk_edu, dxgk_virt,
# dxgkcompat all succeed, the three load again and both cards return).
#
# Nothing here waits without a bound: a command that does not return (stuck
# in the kernel) is left behind after its timeout, and the script then
# stops touching the driver.
# Functions run through check and bounded look unreachable to shellcheck.
# shellcheck source-path=SCRIPTDIR disable=SC2317
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mods=${1:?MODS_DIR}
bin=${2:?LOAD_BIN}
cycles=${DXGK_UNPLUG_CYCLES:-52}
budget=${DXGK_UNPLUG_TIME:-460}
min_cycles=${DXGK_UNPLUG_MIN_CYCLES:-50}
max_copy=${DXGK_UNPLUG_MAX_COPY:-16384}
seed=${DXGK_UNPLUG_SEED:-12012}
res=${DXGK_RESULTS:-/tmp}
counters=/sys/kernel/debug/dxgkcompat/counters
run=/run/dxgk-unplug
status=$run/status
log=$res/unplug-load.log
methods=(unbind rmmod-miniport pci-remove rmmod-port)
RANDOM=$seed

# ---- small helpers, without forks where they run in loops ----------------

rm -rf "$run"
# uid 65534 writes the status file here (and cannot enter /root).
install -d -o 65534 -g 65534 -m 0755 "$run" || exit 1
install -m 0755 "$bin" /run/dxgk_load || exit 1
bin=/run/dxgk_load
# nap SECS: sleep without a fork: a read that times out on a FIFO we hold
# open at both ends.
mkfifo "$run/nap" || exit 1
exec {napfd}<>"$run/nap"
nap() { read -r -t "$1" -u "$napfd" _; }
# now_ms: milliseconds since the epoch, in $NOW.
now_ms() { local t=${EPOCHREALTIME/./}; NOW=$((t / 1000)); }
secs_since() { now_ms; local d=$((NOW - $1)); echo "$((d / 1000)).$(((d % 1000) / 100))"; }

loaded() { [ -d "/sys/module/$1" ]; }
sysfs_write() { echo "$1" > "$2"; }
chmod_nodes() { chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null; }

# bounded SECS CMD...: run CMD, wait for it SECS seconds at most. One that
# is still running then (stuck in the kernel: it cannot be killed) is left
# behind, and hung=1 tells the rest of the script to keep off the driver.
# CMD writes to files, shown when it ends: a stuck one must not hold our
# stdout, or whoever reads it would wait for it too.
hung=0
bounded() {
	local secs=$1 pid i rc out=$run/bounded.out err=$run/bounded.err
	shift
	"$@" > "$out" 2> "$err" < /dev/null &
	pid=$!
	for ((i = 0; i < secs * 50; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			rc=$?
			[ -s "$out" ] && cat "$out"
			[ -s "$err" ] && cat "$err" >&2
			return $rc
		fi
		nap 0.02
	done
	echo "unplug: '$*' still running after ${secs} s: leaving the driver alone from now on"
	hung=1
	# The next command gets files of its own.
	mv -f "$out" "$out.stuck.$pid" 2>/dev/null
	mv -f "$err" "$err.stuck.$pid" 2>/dev/null
	return 124
}

# wait_card MINIPORT SECS: a card of MINIPORT appears within SECS seconds.
wait_card() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[ -n "$(cards_of "$1")" ] && return 0
		nap 0.05
	done
	return 1
}

# The /dev/dri nodes (card and render) of miniport $1's adapters.
nodes_of() {
	local c l
	for c in /sys/class/drm/card[0-9]* /sys/class/drm/renderD[0-9]*; do
		l=$(readlink "$c/device/driver" 2>/dev/null) || continue
		[ "${l##*/}" = "$1" ] && echo "/dev/dri/${c##*/}"
	done
	return 0
}

# The PCI address of QEMU's edu device (1234:11e8), bound or not.
edu_bdf() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[ "$(< "$d/vendor")" = 0x1234 ] && [ "$(< "$d/device")" = 0x11e8 ] &&
			{ echo "${d##*/}"; return 0; }
	done
	return 1
}

# Counters that must come back: live objects, pages, reserved pages, misuse.
snapshot() {
	grep -E '^(objects|pages_|reserved_pages|misuse) ' "$counters" 2>/dev/null
}

# ---- the load ---------------------------------------------------------------

load_pid=
# Started in a subshell that records its exit status: the script polls for
# the file instead of blocking in wait.
start_load() {
	local i
	rm -f "$run/pid" "$run/rc" "$status"
	(
		exec {napfd}>&-
		"$bin" --uid 65534 --status "$status" --stall 60 \
			--max-copy "$max_copy" --seed "$seed" > "$log" 2>&1 &
		echo $! > "$run/pid"
		wait $!
		echo $? > "$run/rc"
	) > /dev/null 2>&1 &
	for ((i = 0; i < 100; i++)); do
		read -r load_pid 2>/dev/null < "$run/pid" && [ -n "$load_pid" ] && return 0
		nap 0.05
	done
	return 1
}
load_running() { [ ! -e "$run/rc" ]; }

# st_get: the status file's copies_ok and generation, in $st_ok and $st_gen.
st_get() {
	local line=
	st_ok=0 st_gen=0
	read -r line 2>/dev/null < "$status" || return 1
	[[ $line =~ copies_ok=([0-9]+) ]] && st_ok=${BASH_REMATCH[1]}
	[[ $line =~ generation=([0-9]+) ]] && st_gen=${BASH_REMATCH[1]}
	return 0
}

# wait_copy GEN SECS: within SECS seconds, the load is on a generation after
# GEN and its copies_ok grew while it stayed on it: a verified copy on the
# current device. Its generation is left in $cur_gen.
cur_gen=0
wait_copy() {
	local after=$1 end g0=-1 c0=0
	now_ms
	end=$((NOW + $2 * 1000))
	while now_ms; ((NOW < end)); do
		load_running || return 1
		if st_get && ((st_gen > after)); then
			if ((st_gen != g0)); then
				g0=$st_gen c0=$st_ok
			elif ((st_ok > c0)); then
				cur_gen=$st_gen
				return 0
			fi
		fi
		nap 0.05
	done
	return 1
}

# load_holds NODE...: the load has one of these DRM nodes open (a node of a
# removed device reads "/dev/dri/renderD128 (deleted)").
load_holds() {
	local f l n
	for f in /proc/"$load_pid"/fd/*; do
		l=$(readlink "$f" 2>/dev/null) || continue
		for n in "$@"; do
			[ "${l% (deleted)}" = "$n" ] && return 0
		done
	done
	return 1
}

# stop_load: SIGTERM, then SIGKILL; the exit status in $load_rc (empty if
# the load could not be stopped at all).
load_rc=
stop_load() {
	local i
	[ -n "$load_pid" ] || return 1
	kill -CONT "$load_pid" 2>/dev/null
	kill -TERM "$load_pid" 2>/dev/null
	# A copy in flight finishes first (a reset takes up to 5 s).
	for ((i = 0; i < 600; i++)); do
		load_running || break
		nap 0.05
	done
	if load_running; then
		echo "unplug: the load did not stop on SIGTERM within 30 s: SIGKILL"
		kill -KILL "$load_pid" 2>/dev/null
		for ((i = 0; i < 200; i++)); do
			load_running || break
			nap 0.05
		done
	fi
	read -r load_rc 2>/dev/null < "$run/rc"
	load_pid=
}
trap '[ -n "$load_pid" ] && kill -CONT "$load_pid" 2>/dev/null && kill -TERM "$load_pid" 2>/dev/null' EXIT

# ---- taking the device away and giving it back -----------------------------

# Each sets $why on failure.
why=
pull() {
	local bdf
	case $1 in
	unbind)
		bdf=$(edu_bdf) || { why="no edu PCI device"; return 1; }
		bounded 60 sysfs_write "$bdf" /sys/bus/pci/drivers/dxgk_edu/unbind ||
			{ why="unbind failed"; return 1; } ;;
	rmmod-miniport)
		bounded 60 rmmod dxgk_edu || { why="rmmod dxgk_edu failed"; return 1; } ;;
	pci-remove)
		bdf=$(edu_bdf) || { why="no edu PCI device"; return 1; }
		bounded 60 sysfs_write 1 "/sys/bus/pci/devices/$bdf/remove" ||
			{ why="PCI remove failed"; return 1; }
		[ ! -e "/sys/bus/pci/devices/$bdf" ] || { why="$bdf still there after remove"; return 1; } ;;
	rmmod-port)
		pull_port || return 1 ;;
	esac
	return 0
}

# insmod_edu [24]: dxgk_edu again; with 24, in the other mode than the
# last such time, else in its normal mode.
edu24=0
insmod_edu() {
	local mode=0
	if [ "${1:-}" = 24 ]; then
		edu24=$((1 - edu24))
		mode=$edu24
	fi
	if ((mode)); then
		bounded 60 insmod "$mods/miniports/edu/dxgk_edu.ko" wddm24=1
	else
		bounded 60 insmod "$mods/miniports/edu/dxgk_edu.ko"
	fi
}
# edu_mode24: the loaded dxgk_edu is in its 2.4 mode.
edu_mode24() {
	[ "$(cat /sys/module/dxgk_edu/parameters/wddm24 2>/dev/null)" = Y ]
}

restore() {
	local bdf
	case $1 in
	unbind)
		bdf=$(edu_bdf) || { why="no edu PCI device"; return 1; }
		bounded 60 sysfs_write "$bdf" /sys/bus/pci/drivers/dxgk_edu/bind ||
			{ why="bind failed"; return 1; } ;;
	rmmod-miniport)
		insmod_edu 24 || { why="insmod dxgk_edu failed"; return 1; } ;;
	pci-remove)
		bounded 60 sysfs_write 1 /sys/bus/pci/rescan || { why="PCI rescan failed"; return 1; } ;;
	rmmod-port)
		bounded 60 insmod "$mods/miniports/virt/dxgk_virt.ko" ||
			{ why="insmod dxgk_virt failed"; return 1; }
		insmod_edu || { why="insmod dxgk_edu failed"; return 1; }
		wait_card dxgk_virt 15 || { why="the virt card did not come back"; return 1; } ;;
	esac
	return 0
}

# rmmod of the port with the load stopped: it holds its DRM file of the
# edu device (and a dma-buf, mappings, a vgem import of it) for certain.
# A copy it is in finishes in the kernel first (the removal stops it), then
# the load stops on its way back to user space.
port_note=
pull_port() {
	local nodes rc=0
	# No process substitution: the box has no /dev/fd.
	read -ra nodes <<< "$(nodes_of dxgk_edu | tr '\n' ' ')"
	kill -STOP "$load_pid" 2>/dev/null
	if ! bounded 60 rmmod dxgk_edu; then
		why="rmmod dxgk_edu failed" rc=1
	elif ! bounded 60 rmmod dxgk_virt; then
		why="rmmod dxgk_virt failed" rc=1
	elif ! load_holds "${nodes[@]}"; then
		why="the stopped load held no file of the edu device (${nodes[*]})" rc=1
	elif bounded 60 rmmod dxgkcompat 2>/dev/null; then
		why="rmmod dxgkcompat succeeded while the load held a file of its device" rc=1
		bounded 60 insmod "$mods/dxgkcompat.ko"
	elif [ "$hung" = 1 ]; then
		why="rmmod dxgkcompat hung" rc=1
	else
		port_note=" port-refused"
	fi
	kill -CONT "$load_pid" 2>/dev/null
	return $rc
}

virt_pull() {
	bounded 60 sysfs_write dxgk_virt /sys/bus/platform/drivers/dxgk_virt/unbind &&
		[ -z "$(cards_of dxgk_virt)" ]
}
virt_restore() {
	bounded 60 sysfs_write dxgk_virt /sys/bus/platform/drivers/dxgk_virt/bind &&
		wait_card dxgk_virt 15
}

# Put back whatever a failed cycle left out.
repair() {
	local bdf
	[ "$hung" = 0 ] || return 1
	loaded dxgkcompat || bounded 60 insmod "$mods/dxgkcompat.ko"
	loaded dxgk_virt || bounded 60 insmod "$mods/miniports/virt/dxgk_virt.ko"
	loaded dxgk_edu || bounded 60 insmod "$mods/miniports/edu/dxgk_edu.ko"
	edu_bdf > /dev/null || bounded 60 sysfs_write 1 /sys/bus/pci/rescan
	bdf=$(edu_bdf) && [ ! -e "/sys/bus/pci/drivers/dxgk_edu/$bdf" ] &&
		bounded 60 sysfs_write "$bdf" /sys/bus/pci/drivers/dxgk_edu/bind
	[ -e /sys/bus/platform/drivers/dxgk_virt/dxgk_virt ] ||
		bounded 60 sysfs_write dxgk_virt /sys/bus/platform/drivers/dxgk_virt/bind
	wait_card dxgk_edu 15 && wait_card dxgk_virt 15
	local ok=$?
	chmod_nodes
	return $ok
}

# ---- the run ------------------------------------------------------------

declare -A ran bad
for m in "${methods[@]}"; do ran[$m]=0 bad[$m]=0; done
ran24=0 bad24=0

chmod_nodes
before=$(snapshot)
echo "unplug: counters before: ${before//$'\n'/ }"
[ -n "$before" ] || echo "unplug: no counters at $counters"
echo "unplug: $cycles cycles within $budget s (at least $min_cycles), seed $seed, max copy $max_copy"
echo "unplug: load: $bin --uid 65534 --status $status --stall 60 --max-copy $max_copy --seed $seed (log $log)"

n=0 broken=0 device_works=0
now_ms
t_start=$NOW
if ! wait_card dxgk_edu 15; then
	echo "unplug: no edu card to start with"
	broken=1
elif ! start_load; then
	echo "unplug: the load did not start"
	broken=1
elif ! wait_copy 0 60; then
	echo "unplug: the load did no verified copy within 60 s of its start"
	broken=1
fi

while ((broken == 0 && n < cycles)); do
	now_ms
	if ((NOW - t_start >= budget * 1000)); then
		echo "unplug: time budget of $budget s spent after $n cycles"
		break
	fi
	n=$((n + 1))
	method=${methods[(n - 1) % ${#methods[@]}]}
	virt=0
	[ "$method" != rmmod-port ] && ((n % 3 == 0)) && virt=1
	ran[$method]=$((${ran[$method]} + 1))
	why='' port_note='' mode24=0
	edu_mode24 && mode24=1 && ran24=$((ran24 + 1))
	now_ms
	t0=$NOW
	gen=$cur_gen

	# The load has just finished a copy and started the next one.
	printf -v pause '0.%03d' $((RANDOM % 301))
	nap "$pause"
	if ! pull "$method"; then
		:
	elif ((virt)) && ! virt_pull; then
		why="the virtual adapter did not go"
	elif [ -n "$(cards_of dxgk_edu)" ]; then
		why="the edu card is still there after the pull"
	elif ! restore "$method"; then
		:
	elif ((virt)) && ! virt_restore; then
		why="the virtual adapter did not come back"
	elif ! wait_card dxgk_edu 15; then
		why="the edu card did not come back within 15 s"
	fi
	chmod_nodes
	if [ -z "$why" ] && ! wait_copy "$gen" 30; then
		why="no verified copy on a new generation within 30 s"
		load_running || why="$why: the load exited"
	fi
	st_get
	line="unplug: cycle $n $method: copies_ok=$st_ok generation=$st_gen ($(secs_since "$t0")s)"
	((virt)) && line="$line virt"
	((mode24)) && line="$line wddm24"
	line="$line$port_note"
	if [ -n "$why" ]; then
		bad[$method]=$((${bad[$method]} + 1))
		((mode24)) && bad24=$((bad24 + 1))
		[ "$hung" = 0 ] || why="$why (hung)"
		echo "$line FAILED: $why"
		[ "$hung" = 0 ] || { broken=1; break; }
		load_running || { broken=1; break; }
		repair || { echo "unplug: could not put the adapters back"; broken=1; break; }
		# Start the next cycle on a device the load works on again.
		st_get
		wait_copy $((st_gen - 1)) 30 || { echo "unplug: the load did not recover"; broken=1; }
	else
		echo "$line"
	fi
done
echo "unplug: $n cycles in $(secs_since "$t_start") s"

# The load's last generation, on the device the last cycle gave back.
if ((broken == 0)) && wait_copy $((cur_gen - 1)) 30; then
	device_works=1
fi
stop_load
# The counters below compare with edu in its normal mode.
if edu_mode24; then
	{ bounded 60 rmmod dxgk_edu && insmod_edu && wait_card dxgk_edu 15; } ||
		echo "unplug: could not load dxgk_edu in its normal mode again"
	chmod_nodes
fi
grep -E '^load: (start|DATA|UNEXPECTED|STALL|note|errno|seed=)' "$log" | head -40
summary=$(grep -E '^load: copies_ok=' "$log" | tail -1)
echo "unplug: load exit ${load_rc:-none}: ${summary:-no summary}"

for m in "${methods[@]}"; do
	echo "unplug: $m: ${ran[$m]} cycles, ${bad[$m]} failed"
done
verdict() { [ "$1" -gt 0 ] && [ "$2" -eq 0 ] && echo pass || echo fail; }
result unplug-unbind "$(verdict "${ran[unbind]}" "${bad[unbind]}")"
result unplug-rmmod-miniport "$(verdict "${ran[rmmod-miniport]}" "${bad[rmmod-miniport]}")"
result unplug-pci-remove "$(verdict "${ran[pci-remove]}" "${bad[pci-remove]}")"
result unplug-rmmod-port "$(verdict "${ran[rmmod-port]}" "${bad[rmmod-port]}")"
echo "unplug: $ran24 cycles pulled edu in its 2.4 mode, $bad24 failed"
check unplug-wddm24 test "$ran24" -ge 5 -a "$bad24" -eq 0
check unplug-cycles test "$n" -ge "$min_cycles"
load_clean() { [ "${load_rc:-none}" = 0 ] && [ -n "$summary" ]; }
check unplug-load-clean load_clean

# A fresh run of a few seconds when the load's own last generation did not
# show a working device.
fresh_copy() {
	local out=$res/unplug-load-fresh.log s
	[ "$hung" = 0 ] || return 1
	chmod_nodes
	bounded 60 "$bin" --uid 65534 --time 8 --stall 30 --max-copy "$max_copy" \
		--seed "$((seed + 1))" > "$out" 2>&1
	s=$(grep -E '^load: copies_ok=' "$out" | tail -1)
	echo "unplug: fresh run: ${s:-no summary}"
	[[ $s =~ copies_ok=([1-9][0-9]*) ]]
}
if ((device_works)); then
	echo "unplug: the load's last generation ($cur_gen) did a verified copy"
	result unplug-device-works pass
else
	check unplug-device-works fresh_copy
fi

# Objects go with their last reference: a dma-buf or mapping freed by the
# exiting load may take a moment.
settled() {
	local i now=
	[ -n "$before" ] || return 1
	for ((i = 0; i < 50; i++)); do
		now=$(snapshot)
		[ "$now" = "$before" ] && return 0
		nap 0.2
	done
	echo "unplug: counters after: ${now//$'\n'/ }"
	return 1
}
check unplug-counters settled

# With the load gone nothing holds the port: all three unload and come back.
port_reload() {
	[ "$hung" = 0 ] || return 1
	bounded 60 rmmod dxgk_edu && bounded 60 rmmod dxgk_virt &&
		bounded 60 rmmod dxgkcompat || return 1
	bounded 60 insmod "$mods/dxgkcompat.ko" &&
		bounded 60 insmod "$mods/miniports/virt/dxgk_virt.ko" &&
		bounded 60 insmod "$mods/miniports/edu/dxgk_edu.ko" &&
		wait_card dxgk_virt 15 && wait_card dxgk_edu 15
}
check unplug-port-reload port_reload

# Leave the three loaded, whatever failed.
repair > /dev/null 2>&1 || echo "unplug: the adapters are not all back"
exit 0
