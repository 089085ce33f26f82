#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The driver's tracepoints (drivers/gpu/drm/dxgkcompat/dxgk_trace.h): each
# event enabled on its own, triggered from user space, read back from the
# trace with sane fields, then disabled and the buffer cleared. Expects
# dxgkcompat, dxgk_virt and dxgk_edu loaded; leaves them loaded.
#
#   trace.sh MODS_DIR IGT_DIR
#
# A kernel without tracing fails every check (the events cannot be there).
# Triggers: PMOs and user mappings from IGT's dxgkcompat_pmo
# callback-user-map (PMO_MAP and the test-only TEST_CB_MAP); kernel
# mappings from the test-only debugfs probe (kmap of three objects);
# ADLs and paging from dxgkcompat_copy copy-sizes
# (refused under swiotlb=force, where no ADL or submission may appear); the
# timeout from copy-timeout; misuse from a TEST_CB_MAP unmap of an address
# that is no mapping (perl's ioctl), with warn_on_misuse off so that no
# warning reaches the log.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
mods=${1:?MODS_DIR}
igt=${2:?IGT_DIR}
res=${DXGK_RESULTS:-/tmp}

T=/sys/kernel/tracing
ev=$T/events/dxgkcompat
bounced=0
[ "${DXGK_IOMMU:-}" = swiotlb ] && bounced=1

# Tracefs, mounted if it is not; our events registered. Command names are
# not recorded (options/record-cmd 0, put back at the end): recording them
# hooks sched_switch each time an event is enabled, and so rewrites
# __schedule's code while every CPU runs it. Under QEMU's TCG one such
# rewrite left an int3 in __schedule and the distro box panicked ("Oops:
# int3" in rcu_preempt, right after this script's paging-timeout check);
# our checks read the events' fields, never the command name.
old_record_cmd=
tracefs_ready() {
	[ -e $T/trace ] || mount -t tracefs nodev $T 2>/dev/null
	if [ -w $T/options/record-cmd ]; then
		old_record_cmd=$(cat $T/options/record-cmd)
		echo 0 > $T/options/record-cmd
	fi
	[ -e $T/trace ] && [ -e $ev/enable ] && [ -e $ev/dxgk_misuse/enable ]
}

# Every event off, the buffer empty.
trace_reset() {
	[ -e $ev/enable ] && echo 0 > $ev/enable
	[ -e $T/trace ] && : > $T/trace
	return 0
}

# trace_run NAME EVENTS -- COMMAND...: enable EVENTS (comma-separated), run
# COMMAND, keep the trace in $res/trace-NAME.txt (and in $out), reset.
# $trig is 0 if every event was enabled and COMMAND succeeded.
out=
trig=1
trace_run() {
	local name=$1 events=$2 e rc=0
	shift 3
	out=$res/trace-$name.txt
	: > "$out"
	trace_reset
	echo 1 > $T/tracing_on 2>/dev/null || rc=1
	for e in ${events//,/ }; do
		echo 1 > "$ev/$e/enable" 2>/dev/null || { echo "trace: cannot enable $e"; rc=1; }
	done
	[ "$rc" = 0 ] && { "$@" || { echo "trace: $* failed"; rc=1; }; }
	[ -e $ev/enable ] && echo 0 > $ev/enable
	grep -v '^#' $T/trace > "$out" 2>/dev/null
	trace_reset
	trig=$rc
}

# triggered CHECK...: CHECK, if the last trace_run's trigger worked
triggered() {
	[ "$trig" = 0 ] || { echo "trace: the trigger of $out failed"; return 1; }
	"$@"
}

# lines EVENT: the trace lines of EVENT in $out, from its fields on
lines() {
	sed -n "s/.*: $1: //p" "$out"
}

# field NAME LINE...: the value of NAME=... in each line
field() {
	local n=$1
	shift
	sed -n "s/.*\\b$n=\\([^ ]*\\).*/\\1/p" <<< "$*"
}

# IGT subtest that must pass (or, with $2 = skip-ok, may skip)
igt_sub() {
	local rc
	"$igt/$1" --run-subtest "$2" > "$res/trace-igt-$2.log" 2>&1
	rc=$?
	[ "$rc" = 0 ] || { [ "${3:-}" = skip-ok ] && [ "$rc" = 77 ]; }
}

# pmo_pairs: every create has a destroy of the same object, handle, size,
# type and cache, at least $1 of them, and both RAM and SECTION types.
pmo_pairs() {
	local min=$1 c d n=0 id
	while read -r c; do
		[ -n "$c" ] || continue
		id=$(field pmo "$c")
		d=$(lines dxgk_pmo_destroy | grep -m1 "^pmo=$id ")
		[ "${c%% adapter=*}" = "${d%% adapter=*}" ] ||
			{ echo "trace: create '$c', destroy '$d'"; return 1; }
		[[ $c == *" owner=user" ]] || { echo "trace: not a user object: $c"; return 1; }
		n=$((n + 1))
	done <<< "$(lines dxgk_pmo_create)"
	[ "$n" -ge "$min" ] || { echo "trace: $n objects created, want $min"; return 1; }
	lines dxgk_pmo_create | grep -q " type=MDL " &&
		lines dxgk_pmo_create | grep -q " type=SECTION "
}

# map_pairs MODE MIN: at least MIN maps, all of MODE (user or kernel), each
# unmapped with the same object, address and size.
map_pairs() {
	local mode=$1 min=$2 m n=0 key
	while read -r m; do
		[ -n "$m" ] || continue
		[ "$(field mode "$m")" = "$mode" ] || { echo "trace: map '$m' is not $mode"; return 1; }
		case $(field va "$m") in ""|"(null)") echo "trace: no va: $m"; return 1 ;; esac
		key="pmo=$(field pmo "$m") mode=$mode va=$(field va "$m") size=$(field size "$m") "
		lines dxgk_pmo_unmap | grep -q -F -- "$key" ||
			{ echo "trace: no unmap for '$m'"; return 1; }
		n=$((n + 1))
	done <<< "$(lines dxgk_pmo_map)"
	[ "$n" -ge "$min" ] || { echo "trace: $n $mode maps, want $min"; return 1; }
	[ "$(lines dxgk_pmo_unmap | grep -c " mode=$mode ")" = "$n" ] ||
		{ echo "trace: $n maps, $(lines dxgk_pmo_unmap | wc -l) unmaps"; return 1; }
}

# adl_pairs: ADLs of edu's objects, each freed with the same fields; none
# when ADLs of RAM are refused (swiotlb=force).
adl_pairs() {
	local a n=0 key
	if [ "$bounced" = 1 ]; then
		[ -z "$(lines dxgk_adl_alloc)" ] || { echo "trace: an ADL under swiotlb=force"; return 1; }
		return 0
	fi
	while read -r a; do
		[ -n "$a" ] || continue
		[ "$(field pages "$a")" -gt 0 ] && [ "$(field segs "$a")" -ge 1 ] &&
			[ "$(field adapter "$a")" -gt 0 ] &&
			[ "$(field dma "$a")" != 0x0 ] || { echo "trace: bad ADL '$a'"; return 1; }
		key=${a%% contiguous=*}
		lines dxgk_adl_free | grep -q -F -- "$key contiguous=$(field contiguous "$a") dma=$(field dma "$a")" ||
			{ echo "trace: no free for '$a'"; return 1; }
		n=$((n + 1))
	done <<< "$(lines dxgk_adl_alloc)"
	[ "$n" -ge 2 ] || { echo "trace: $n ADLs"; return 1; }
}

# paging_pairs: submissions of TRANSFERs that succeeded, each fence seen
# done with STATUS_SUCCESS, no timeout; none under swiotlb=force.
paging_pairs() {
	local s n=0 f a
	if [ "$bounced" = 1 ]; then
		[ -z "$(lines dxgk_paging_submit)" ] || { echo "trace: a submission under swiotlb=force"; return 1; }
		return 0
	fi
	while read -r s; do
		[ -n "$s" ] || continue
		f=$(field fence "$s")
		a=$(field adapter "$s")
		[ "$(field status "$s")" = 0x00000000 ] || { echo "trace: submit failed: $s"; return 1; }
		lines dxgk_paging_complete | grep -q "^adapter=$a fence=$f ops=.* status=0x00000000$" ||
			{ echo "trace: fence $f of adapter $a never completed"; return 1; }
		n=$((n + 1))
	done <<< "$(lines dxgk_paging_submit)"
	[ "$n" -ge 1 ] || { echo "trace: no submission"; return 1; }
	lines dxgk_paging_submit | grep -q "ops=[^ ]*TRANSFER" &&
		lines dxgk_paging_submit | grep -q "ops=[^ ]*MAP_APERTURE_SEGMENT2" &&
		[ -z "$(lines dxgk_paging_timeout)" ]
}

# paging_timed_out: exactly one timeout (STATUS_IO_TIMEOUT) of a fence that
# was submitted, and the copy after it completes.
paging_timed_out() {
	local t f a
	if [ "$bounced" = 1 ]; then
		[ -z "$(lines dxgk_paging_submit)$(lines dxgk_paging_timeout)" ] ||
			{ echo "trace: paging under swiotlb=force"; return 1; }
		return 0
	fi
	t=$(lines dxgk_paging_timeout)
	[ "$(wc -l <<< "$t")" = 1 ] && [ -n "$t" ] || { echo "trace: timeouts: '$t'"; return 1; }
	[[ $t == *" status=0xc00000b5" ]] || { echo "trace: timeout status: $t"; return 1; }
	f=$(field fence "$t")
	a=$(field adapter "$t")
	lines dxgk_paging_submit | grep -q "^adapter=$a fence=$f " ||
		{ echo "trace: timed-out fence $f never submitted"; return 1; }
	lines dxgk_paging_complete | grep -q "^adapter=$a .* status=0x00000000$" ||
		{ echo "trace: nothing completed after the reset"; return 1; }
}

# The kernel-mode map: the test-only debugfs probe (dxgk_debugfs.c) maps
# an object with DxgkCbMapPhysicalMemory(KERNEL_MODE) and unmaps it; three
# objects (cached, write-combined, non-cached) of the virt adapter, made
# and kept by one perl process, found in pmos by their owner.
probe_kernel_maps() {
	local card
	card=$(cards_of dxgk_virt | head -1)
	[ -n "$card" ] && [ -w /sys/kernel/debug/dxgkcompat/probe ] || return 1
	perl -e '
		use strict;
		open(my $fd, "+<", $ARGV[0]) or die "open: $!";
		my $create = (3 << 30) | (64 << 16) | (0x64 << 8) | 0x41;
		for my $cache (1, 2, 0) {
			my $c = pack("Q4 L6 Q", 8192, 0, 0x7fffffffffffffff, 0, 0, $cache, 0, 0, 0, 0, 0);
			ioctl($fd, $create, $c) or die "PMO_CREATE: $!";
		}
		my $me = "perl[$$]";
		open(my $pm, "<", "/sys/kernel/debug/dxgkcompat/pmos") or die "pmos: $!";
		my @h = map { (split)[0] } grep { (split)[5] eq $me } <$pm>;
		close($pm);
		@h == 3 or die "pmos has " . scalar(@h) . " objects of $me";
		for my $h (@h) {
			open(my $p, "+<", "/sys/kernel/debug/dxgkcompat/probe") or die "probe: $!";
			syswrite($p, "kmap $h") or die "kmap $h: $!";
			my $l = "";
			sysseek($p, 0, 0);
			sysread($p, $l, 128);
			$l =~ /^kmap pages 2 / or die "probe: $l";
			close($p);
		}
	' "$card"
}

misuse_count() {
	sed -n 's/^misuse //p' /sys/kernel/debug/dxgkcompat/counters
}

# A DxgkCbUnmapPhysicalMemory of an address that is no mapping (misuse),
# through TEST_CB_MAP on an MDL object of the virt adapter.
misuse_unmap() {
	local card
	card=$(cards_of dxgk_virt | head -1)
	[ -n "$card" ] || return 1
	perl -e '
		use strict;
		open(my $fd, "+<", $ARGV[0]) or die "open: $!";
		# DRM_IOWR(DRM_COMMAND_BASE + nr, size): (3 << 30) | size << 16 | 0x64 << 8 | nr
		my $create = (3 << 30) | (64 << 16) | (0x64 << 8) | 0x41;
		my $cb_map = (3 << 30) | (40 << 16) | (0x64 << 8) | 0x61;
		# size, low, high, skip; type MDL, cache CACHED, flags, prot; handle, ntstatus; reserved
		my $c = pack("Q4 L6 Q", 4096, 0, 0x7fffffffffffffff, 0, 0, 1, 0, 0, 0, 0, 0);
		ioctl($fd, $create, $c) or die "PMO_CREATE: $!";
		my $h = (unpack("Q4 L6 Q", $c))[8];
		# handle, unmap, offset, size, address, ntstatus, pad
		my $u = pack("L2 Q3 L2", $h, 1, 0, 4096, 0x1000, 0, 0);
		ioctl($fd, $cb_map, $u) or die "TEST_CB_MAP: $!";
	' "$card"
}

misuse_seen() {
	local m=$1 before=$2 l
	l=$(lines dxgk_misuse)
	[ "$(wc -l <<< "$l")" = 1 ] && [ -n "$l" ] || { echo "trace: misuse lines: '$l'"; return 1; }
	[[ $l == "func=dxgk_cb_unmap_physical_memory caller=dxgk_ioctl_test_cb_map+"* ]] &&
		[[ $l == *"reason=\"DxgkCbUnmapPhysicalMemory: "*" is not a mapping of "*'"' ]] &&
		[ "$(field count "$l")" = "$m" ] && [ "$m" = $((before + 1)) ] ||
		{ echo "trace: misuse '$l', counter $before -> $m"; return 1; }
}

# The IGT triggers run as uid 65534 (tests/igt/include/dxgk_user.h): the
# nodes the lifecycle tests' reloads made are root's only again.
chmod 0666 /dev/dri/card* /dev/dri/renderD* 2>/dev/null
check trace-tracefs tracefs_ready

trace_run pmo dxgk_pmo_create,dxgk_pmo_destroy -- \
	igt_sub dxgkcompat_pmo callback-user-map
check trace-pmo-create-destroy triggered pmo_pairs 8

trace_run map-user dxgk_pmo_map,dxgk_pmo_unmap -- \
	igt_sub dxgkcompat_pmo callback-user-map
check trace-map-user triggered map_pairs user 16

trace_run map-kernel dxgk_pmo_map,dxgk_pmo_unmap -- probe_kernel_maps
check trace-map-kernel triggered map_pairs kernel 3

if [ "$bounced" = 1 ]; then
	copy="copy-bounced"
else
	copy="copy-sizes"
fi
trace_run adl dxgk_adl_alloc,dxgk_adl_free -- igt_sub dxgkcompat_copy $copy
check trace-adl-alloc-free triggered adl_pairs

trace_run paging dxgk_paging_submit,dxgk_paging_complete,dxgk_paging_timeout -- \
	igt_sub dxgkcompat_copy $copy
check trace-paging-submit-complete triggered paging_pairs

trace_run timeout dxgk_paging_submit,dxgk_paging_complete,dxgk_paging_timeout -- \
	igt_sub dxgkcompat_copy copy-timeout skip-ok
check trace-paging-timeout triggered paging_timed_out

warn=/sys/module/dxgkcompat/parameters/warn_on_misuse
old_warn=$(cat $warn 2>/dev/null)
echo N > $warn 2>/dev/null
before=$(misuse_count)
trace_run misuse dxgk_misuse -- misuse_unmap
check trace-misuse triggered misuse_seen "$(misuse_count)" "${before:-x}"
[ -n "$old_warn" ] && echo "$old_warn" > $warn

trace_reset
[ -z "$old_record_cmd" ] || echo "$old_record_cmd" > $T/options/record-cmd
exit 0
