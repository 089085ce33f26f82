#!/bin/bash
# Scan a test box console log for kernel errors.
#
#   check-log.sh [--allow FILE]... [--allow-re ERE]... LOG
#
# Only kernel messages are matched: a line must carry a printk timestamp
# "[    1.234567]" (the test box boots with printk.time=1) and the pattern must
# follow it, so the output of test programs ("FAIL", "error", ...) never
# triggers.  The exceptions are the kmemleak report that the guest init cats
# from /sys/kernel/debug/kmemleak ("unreferenced object 0x...") and the
# console's own "** N printk messages dropped **" line.
#
# Kinds: KASAN, KFENCE, lockdep (including "trying to register non-static
# key", after which lockdep turns itself off), RCU stalls, soft and hard
# lockups, hung tasks, OOM kills, debug-objects (ODEBUG), list and page
# corruption, kmemleak, DMA-API, UBSAN, DMAR faults, panic, oops, BUG, WARN,
# and lost kernel messages. tests/harness/selftest.sh feeds it one line of each.
#
# Expected IOMMU faults: the isolation test (DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA)
# logs "expecting an IOMMU fault: DMA write to 0xADDR" before its DMA. The
# DMAR fault report at exactly that address, and the "DRHD: handling fault
# status" line before it while such an expectation is open, are reported as
# "expected" and do not fail the check; every other DMAR fault does, and so
# does an expectation the DMAR never met (the device reached the memory, or
# the fault went unreported).
#
# Allow-list: a FILE holds one extended regex per line (blank lines and lines
# starting with # are ignored); a finding whose message matches any allowed
# regex is reported as "allowed" and does not fail the check.  $DXGK_LOG_ALLOW,
# if set, names one more allow file.
#
# Exit status: 0 clean, 1 findings, 2 usage error.
set -euo pipefail

allowfiles=()
allowres=()
while [ $# -gt 0 ]; do
	case "$1" in
	--allow)    allowfiles+=("${2:?}"); shift 2 ;;
	--allow-re) allowres+=("${2:?}"); shift 2 ;;
	--)         shift; break ;;
	-*)         echo "check-log: unknown option $1" >&2; exit 2 ;;
	*)          break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: check-log.sh [--allow FILE]... [--allow-re ERE]... LOG" >&2; exit 2; }
log=$1
[ -r "$log" ] || { echo "check-log: cannot read $log" >&2; exit 2; }
[ -n "${DXGK_LOG_ALLOW:-}" ] && allowfiles+=("$DXGK_LOG_ALLOW")

allow=$(mktemp /tmp/dxgk-check-log.XXXXXX)
trap 'rm -f "$allow"' EXIT
for f in "${allowfiles[@]}"; do
	[ -r "$f" ] || { echo "check-log: cannot read allow file $f" >&2; exit 2; }
	grep -vE '^[[:space:]]*(#|$)' "$f" >> "$allow" || true
done
for r in "${allowres[@]}"; do printf '%s\n' "$r" >> "$allow"; done

# Known-harmless boot noise, ignored unconditionally.  Every entry must say
# why it is harmless.  (Matched against the message after the timestamp.)
ignore=$(mktemp /tmp/dxgk-check-log-ign.XXXXXX)
trap 'rm -f "$allow" "$ignore"' EXIT
cat > "$ignore" <<'IGN'
# dma_debug_init() (kernel/dma/debug.c) prints these two pr_info lines on
# every boot of a CONFIG_DMA_API_DEBUG kernel: they say DMA-API debugging is
# ON, not that it found anything (its errors come from err_printk() as
# "DMA-API: <driver> <device>: ..." together with a WARNING).
^ *DMA-API: preallocated [0-9]+ debug entries$
^ *DMA-API: debugging enabled by kernel config$
IGN

# tr: the console is a serial port, strip CRs.
tr -d '\r' < "$log" | LC_ALL=C awk -v allowfile="$allow" -v ignfile="$ignore" '
BEGIN {
	n = 0
	while ((getline l < allowfile) > 0) if (l != "") allowre[n++] = l
	nallow = n; n = 0
	while ((getline l < ignfile) > 0) if (l != "" && l !~ /^#/) ignre[n++] = l
	nign = n
	bad = 0; allowed = 0; pending = ""; pendleft = 0; open_exp = 0
}
function classify(m) {
	if (m ~ /BUG: KASAN:/) return "KASAN report"
	if (m ~ /BUG: KFENCE:/) return "KFENCE report"
	if (m ~ /INFO: trying to register non-static key/) return "lockdep splat"
	if (m ~ /rcu: INFO: .*detected stall|rcu_.* detected stalls? on|RCU Tasks.*stall|rcu: .*self-detected stall/) return "RCU stall"
	if (m ~ /BUG: soft lockup|watchdog: BUG: soft lockup|Watchdog detected hard LOCKUP|BUG: workqueue lockup/) return "lockup"
	if (m ~ /INFO: task .* blocked for more than/) return "hung task"
	if (m ~ /invoked oom-killer:|Out of memory: Killed process|Memory cgroup out of memory: Killed process/) return "OOM kill"
	if (m ~ /ODEBUG: /) return "debug-objects report"
	if (m ~ /list_(add|del) corruption|list_debug|Bad page state|page dumped because|BUG: Bad rss-counter/) return "memory corruption report"
	if (m ~ /WARNING: possible circular locking|inconsistent lock state|possible recursive locking|suspicious RCU usage|possible irq lock inversion|bad unlock balance|held lock freed|lock held when returning to user space|WARNING: .*[Ll]ock|INFO: .*lock|BUG: .*lock/) return "lockdep splat"
	if (m ~ /BUG: sleeping function called from invalid context|BUG: scheduling while atomic|BUG: workqueue leaked lock/) return "lockdep splat"
	if (m ~ /kmemleak: [0-9]+ new suspected memory leaks/) return "kmemleak leak"
	if (m ~ /DMA-API: /) return "DMA-API debug error"
	if (m ~ /UBSAN: /) return "UBSAN report"
	if (m ~ /DMAR: \[(DMA|INTR)|DMAR: DRHD: handling fault|DMAR: .*[Ff]ault addr/) return "IOMMU (DMAR) fault"
	if (m ~ /Kernel panic - not syncing/) return "panic"
	if (m ~ /Oops: |general protection fault/) return "oops"
	if (m ~ /kernel BUG at |BUG: /) return "BUG"
	if (m ~ /WARNING: CPU: |WARNING: at /) return "WARN"
	return ""
}
function allowedmsg(m,   i) {
	for (i = 0; i < nallow; i++) if (m ~ allowre[i]) return 1
	return 0
}
function report(kind, line, m) {
	if (allowedmsg(m)) { allowed++; printf "check-log: allowed %s: %s\n", kind, line; return }
	bad++; count[kind]++
	printf "check-log: %s: %s\n", kind, line
}
{
	line = $0
	if (line ~ /unreferenced object 0x[0-9a-f]+ \(size [0-9]+\)/) {
		report("kmemleak leak", line, line); next
	}
	# The console lost kernel messages: whatever they said is unknown.
	# (The console prints this on a line of its own, without a timestamp.)
	if (line ~ /printk messages dropped/) {
		report("lost kernel messages", line, line); next
	}
	if (!match(line, /\[ *[0-9]+\.[0-9]+\]/)) next
	m = substr(line, RSTART + RLENGTH)
	for (i = 0; i < nign; i++) if (m ~ ignre[i]) next
	if (m ~ /------------\[ cut here \]------------/) {
		# belongs to the WARN/BUG that follows; only reported on its own
		# if no such line follows within 10 kernel lines
		pending = line; pendleft = 10; next
	}
	if (match(m, /expecting an IOMMU fault: DMA write to 0x[0-9a-f]+/)) {
		a = substr(m, RSTART, RLENGTH); sub(/.* /, "", a)
		expect[a]++; open_exp++; next
	}
	kind = classify(m)
	if (kind == "IOMMU (DMAR) fault") {
		if (m ~ /DRHD: handling fault status/ && open_exp > 0) {
			allowed++; printf "check-log: expected IOMMU fault: %s\n", line; next
		}
		if (match(m, /fault addr 0x[0-9a-f]+/)) {
			a = substr(m, RSTART + 11, RLENGTH - 11)
			if (expect[a] > 0) {
				expect[a]--; open_exp--; allowed++
				printf "check-log: expected IOMMU fault: %s\n", line; next
			}
		}
	}
	if (kind != "") { pending = ""; report(kind, line, m); next }
	if (pending != "" && --pendleft <= 0) { report("WARN", pending, pending); pending = "" }
}
END {
	if (pending != "") report("WARN", pending, pending)
	for (a in expect) if (expect[a] > 0) {
		bad++; count["missing expected IOMMU fault"]++
		printf "check-log: missing expected IOMMU fault: no DMAR fault at %s\n", a
	}
	if (bad) {
		printf "check-log: FAIL: %d kernel error line(s)", bad
		sep = " ("
		for (k in count) { printf "%s%s: %d", sep, k, count[k]; sep = ", " }
		printf ")%s\n", (allowed ? sprintf(", %d allowed", allowed) : "")
		exit 1
	}
	printf "check-log: OK (%d allowed)\n", allowed
}'
