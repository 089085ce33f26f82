#!/bin/bash
# Boot a kernel in QEMU (q35, VT-d, edu) with the host root shared read-only
# over virtio-9p and run GUEST_SCRIPT inside it.  See README.md.
#
#   run.sh --kernel distro|distro61|debug|latest [--iommu strict|lazy|off|pt|swiotlb]
#          [--mem 2G] [--timeout SECONDS] [--boot-timeout SECONDS] [--results DIR]
#          [--allow FILE] [--quiet] -- GUEST_SCRIPT [ARGS...]
#
# Exit status: the guest script's exit code; 123 when the guest did not
# reach its shell within the boot deadline (--boot-timeout, default 60 s
# distro and distro61, 120 s debug); 124 on timeout (--timeout, the whole
# run); 125 when no exit code came back (crash, panic, forced KVM that
# died); 1 when check-log.sh finds kernel errors; 2 on usage errors.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DXGK_CACHE:-/var/cache/dxgkcompat}

usage() { sed -n '5,7p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "testbox: ERROR: $*" >&2; exit 2; }

kernel= iommu=strict mem=2G timeout=600 boot_timeout= results= allow=() quiet=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)  kernel=${2:?}; shift 2 ;;
	--iommu)   iommu=${2:?}; shift 2 ;;
	--mem)     mem=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--boot-timeout) boot_timeout=${2:?}; shift 2 ;;
	--results) results=${2:?}; shift 2 ;;
	--allow)   allow+=(--allow "${2:?}"); shift 2 ;;
	--quiet)   quiet=1; shift ;;
	--)        shift; break ;;
	-h|--help) usage ;;
	*)         echo "testbox: unknown option $1" >&2; usage ;;
	esac
done
[ $# -ge 1 ] || usage
script=$1; shift
case "$kernel" in distro|distro61|debug|latest) ;; *) die "--kernel must be distro, distro61, debug or latest" ;; esac
# lazy: what Debian's x86 kernels do by default (IOMMU_DEFAULT_DMA_LAZY):
# the IOTLB invalidation of an unmap is deferred to a flush queue, so the
# device may reach an unmapped page until the queue is flushed. swiotlb:
# no IOMMU and every streaming DMA mapping bounced through the swiotlb
# buffer (64 MB by default), as in confidential guests (SEV, TDX).
case "$iommu" in
strict)  iommu_args="intel_iommu=on iommu.strict=1" ;;
lazy)    iommu_args="intel_iommu=on iommu.strict=0" ;;
off)     iommu_args="intel_iommu=off" ;;
pt)      iommu_args="intel_iommu=on iommu=pt" ;;
swiotlb) iommu_args="intel_iommu=off swiotlb=force" ;;
*)       die "--iommu must be strict, lazy, off, pt or swiotlb" ;;
esac
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
[[ "$boot_timeout" =~ ^[0-9]*$ ]] || die "--boot-timeout must be a number of seconds"
script=$(realpath -e "$script") || die "guest script not found"
cwd=$(pwd -P)

# --- kernel ---
if [ "$kernel" = distro ]; then
	kimg=$(ls -v /boot/vmlinuz-6.12*-amd64 2>/dev/null | tail -1)
	[ -n "$kimg" ] || die "no /boot/vmlinuz-6.12*-amd64 (package linux-image-6.12-amd64)"
	kver=${kimg#/boot/vmlinuz-}
elif [ "$kernel" = distro61 ]; then
	# bookworm's own 6.1 (6.1.0-N-amd64), the newest ABI installed, as
	# check.sh picks the newest 6.1 headers; scripts/setup.sh installs
	# the image of the headers' ABI
	kimg=$(ls -v /boot/vmlinuz-6.1.*-amd64 2>/dev/null | tail -1)
	[ -n "$kimg" ] || die "no /boot/vmlinuz-6.1.*-amd64 (scripts/setup.sh installs linux-image-6.1.0-N-amd64)"
	kver=${kimg#/boot/vmlinuz-}
else
	# debug (6.12) or latest (7.2): built here with the debug options
	kdir=$("$here/build-kernel.sh" "$kernel" | tail -1) || die "$kernel kernel build failed"
	kimg=$kdir/arch/x86/boot/bzImage
	kver=$(cat "$kdir/include/config/kernel.release")
fi
initrd=$("$here/mkinitramfs.sh" "$kernel" "$kver" | tail -1) || die "initramfs build failed"

# --- results + job ---
if [ -z "$results" ]; then
	results=$(mktemp -d /tmp/dxgk-testbox-results.XXXXXX)
fi
mkdir -p "$results"
results=$(realpath "$results")
job=$(mktemp -d /tmp/dxgk-testbox-job.XXXXXX)
qpid=
cleanup() {
	[ -n "$qpid" ] && kill -KILL "$qpid" 2>/dev/null || true
	rm -rf "$job"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
{
	echo '#!/bin/bash'
	printf 'export DXGK_KERNEL=%q DXGK_IOMMU=%q\n' "$kernel" "$iommu"
	echo 'export DXGK_RESULTS=${DXGK_RESULTS:-/results}'
	# The settings of the fuzzer (make fuzz) and of the stress suites (make
	# stress) reach the guest as they are.
	for v in DXGK_FUZZ_OPS DXGK_FUZZ_TIME DXGK_FUZZ_SEED DXGK_CHURN_TIME \
		 DXGK_UNPLUG_CYCLES DXGK_UNPLUG_MIN_CYCLES DXGK_UNPLUG_TIME DXGK_FAILNTH_TIME; do
		if [ -n "${!v:-}" ]; then printf 'export %s=%q\n' "$v" "${!v}"; fi
	done
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb'
	printf 'cd %q || exit 125\n' "$cwd"
	printf 'if [ -x %q ]; then exec %q' "$script" "$script"
	for a in "$@"; do printf ' %q' "$a"; done
	printf '; else exec /bin/bash %q' "$script"
	for a in "$@"; do printf ' %q' "$a"; done
	printf '; fi\n'
} > "$job/job.sh"

# --- accelerator ---
# KVM is used only while it is proven: the boot-sector probe first, then
# the real guest itself. A KVM guest that dies before its shell (qemu
# exits or aborts, qemu reports a KVM error, or the console shows no sign
# of life within $life_s seconds) is killed and the same run is booted
# again under TCG, with one line saying so; the verdict is kept for this
# host boot in $cache/accel/ ($DXGK_ACCEL_STATE), so later boxes go
# straight to TCG. $DXGK_QEMU replaces the qemu binary (the harness
# self-test uses a stand-in that fails the way broken KVM hosts do).
accel_dir=${DXGK_ACCEL_STATE:-$cache/accel}
qemu_bin=${DXGK_QEMU:-qemu-system-x86_64}
accel_key=$( { cat /proc/sys/kernel/random/boot_id 2>/dev/null; uname -r;
	       qemu-system-x86_64 --version 2>/dev/null | head -1;
	       grep -m1 '^model name' /proc/cpuinfo || true; } | sha256sum | cut -c1-16)
verdict=$accel_dir/kvm-$accel_key
kvm_bad() { # REASON
	mkdir -p "$accel_dir" 2>/dev/null &&
		echo "bad: $1" > "$verdict" 2>/dev/null || true
}
kvm_works() {
	# DXGK_KVM_PROBE=0 trusts KVM without the probe below (and without
	# /dev/kvm): the real guest is then the only proof. That is how the
	# fallback is tested, with a stand-in qemu, on any host.
	[ "${DXGK_KVM_PROBE:-1}" = 0 ] && return 0
	[ -w /dev/kvm ] || return 1
	if [ -s "$verdict" ] && grep -q '^bad' "$verdict"; then
		echo "testbox: KVM failed earlier on this host boot ($(sed -n 's/^bad: //p' "$verdict")): using TCG"
		return 1
	fi
	local img=$job/kvm-probe.img
	# boot sector: mov al,0x31; out 0xf4,al; hlt  ->  isa-debug-exit status 99
	printf '\xb0\x31\xe6\xf4\xf4\xeb\xfe' > "$img"
	truncate -s 510 "$img"; printf '\x55\xaa' >> "$img"
	truncate -s 1M "$img"   # SeaBIOS cannot read a 512-byte disk
	local rc=0
	( exec timeout 20 "$qemu_bin" -accel kvm -M q35 -cpu max -nodefaults \
		-display none -device isa-debug-exit,iobase=0xf4,iosize=1 \
		-drive file="$img",format=raw,if=ide ) </dev/null >/dev/null 2>&1 || rc=$?
	if [ "$rc" != 99 ]; then
		kvm_bad "the boot-sector probe under KVM exited with status $rc"
		echo "testbox: KVM probe failed (status $rc): using TCG"
		return 1
	fi
}
accel=tcg fallback=0
case "${DXGK_ACCEL:-auto}" in
auto) kvm_works && accel=kvm fallback=1 ;;
kvm)  accel=kvm ;;
tcg)  ;;
*)    die "DXGK_ACCEL must be auto, kvm or tcg" ;;
esac

# --- deadlines ---
# Boot deadline: seconds from qemu's start to the guest's "shell ready".
# Measured under TCG on the 2-core machine (tests/testbox/README.md):
# distro about 5 s (12 s with a cold 9p cache), distro61 about 7 s, debug
# about 13 s; the default is about five times the slowest.
if [ -z "$boot_timeout" ]; then
	case "$kernel" in distro|distro61) boot_timeout=60 ;; *) boot_timeout=120 ;; esac
fi
life_s=15	# KVM: the kernel's first console line must come by then

cmdline="console=ttyS0 $iommu_args panic_on_warn=0 panic=-1 printk.time=1 log_buf_len=16M rdinit=/init"

# boot ACCEL: boot the guest once and watch it. Sets $outcome to
#   done        qemu exited by itself (the guest powered off, or crashed)
#   kvm-dead    KVM failed before the shell (reason in $why)
#   no-shell    no "shell ready" from the guest within $boot_timeout s
#   timeout     the whole run took longer than $timeout s
boot() {
	local a=$1 machine=q35 now
	[ "$a" = kvm ] && machine=q35,kernel-irqchip=split
	qemu=("$qemu_bin"
		-M "$machine" -accel "$a" -cpu max -smp 2 -m "$mem"
		-nodefaults -display none -no-reboot
		-device intel-iommu,intremap=off
		-device edu
		-fsdev "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap"
		-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot
		-fsdev "local,id=dxgkresults,path=$results,security_model=none"
		-device virtio-9p-pci,fsdev=dxgkresults,mount_tag=dxgkresults
		-fsdev "local,id=dxgkjob,path=$job,security_model=none,readonly=on"
		-device virtio-9p-pci,fsdev=dxgkjob,mount_tag=dxgkjob
		-serial "file:$results/console.log"
		-kernel "$kimg" -initrd "$initrd" -append "$cmdline")
	echo "testbox: ${qemu[*]@Q}"
	# what an earlier boot of this run left (a KVM boot that died)
	rm -rf "$results/console.log" "$results/exit-code" "$results/dmesg.txt" \
		"$results/results.txt" "$results/kunit" "$results"/igt-*.log
	: > "$job/qemu.out"
	start=$(date +%s.%N)
	local t0; t0=$(date +%s)
	( exec "${qemu[@]}" ) </dev/null >"$job/qemu.out" 2>&1 &
	qpid=$!
	local tailpid=
	if [ "$quiet" = 0 ]; then
		# stream the console while the guest runs
		while [ ! -e "$results/console.log" ] && kill -0 "$qpid" 2>/dev/null; do sleep 0.2; done
		tail -n +1 -F --pid="$qpid" "$results/console.log" 2>/dev/null &
		tailpid=$!
	fi
	outcome=done why= ready_wall=
	while kill -0 "$qpid" 2>/dev/null; do
		now=$(date +%s)
		if [ -z "$ready_wall" ] &&
		   grep -q 'dxgk-testbox: shell ready' "$results/console.log" 2>/dev/null; then
			ready_wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
		fi
		if [ "$a" = kvm ] && grep -q 'KVM internal error\|KVM: \|kvm_.*Assertion' "$job/qemu.out"; then
			outcome=kvm-dead why="qemu: $(grep -m1 'KVM\|kvm_' "$job/qemu.out")"
		elif [ "$a" = kvm ] && [ $((now - t0)) -ge "$life_s" ] &&
		     ! grep -q 'Linux version' "$results/console.log" 2>/dev/null; then
			outcome=kvm-dead why="no console output in ${life_s}s"
		elif [ -z "$ready_wall" ] && [ $((now - t0)) -ge "$boot_timeout" ]; then
			outcome=no-shell
		elif [ $((now - t0)) -ge "$timeout" ]; then
			outcome=timeout
		fi
		if [ "$outcome" != done ]; then
			kill -KILL "$qpid" 2>/dev/null || true
			break
		fi
		sleep 0.5
	done
	qrc=0; { wait "$qpid"; } 2>/dev/null || qrc=$?
	qpid=
	[ -z "$tailpid" ] || wait "$tailpid" 2>/dev/null || true
	end=$(date +%s.%N)
	# qemu gone before the shell under KVM: an abort or a KVM error, not
	# the guest (a guest that panics after the shell still says so).
	if [ "$a" = kvm ] && [ "$outcome" = done ] &&
	   ! grep -q 'dxgk-testbox: shell ready' "$results/console.log" 2>/dev/null; then
		outcome=kvm-dead
		why="qemu exited with status $qrc before the shell${why:+: $why}"
		if [ -s "$job/qemu.out" ]; then why="$why: $(tail -1 "$job/qemu.out")"; fi
	fi
	# a kernel that boots under KVM but never reaches its shell there:
	# TCG tells whether the kernel or KVM is at fault
	if [ "$a" = kvm ] && [ "$outcome" = no-shell ]; then
		outcome=kvm-dead why="no shell within ${boot_timeout}s under KVM"
	fi
	return 0
}

boot "$accel"
if [ "$outcome" = kvm-dead ] && [ "$fallback" = 1 ]; then
	kvm_bad "$why"
	echo "testbox: KVM guest died after $(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')s ($why): booting again under TCG"
	accel=tcg
	boot tcg
fi
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
if [ -s "$job/qemu.out" ]; then sed 's/^/testbox: qemu: /' "$job/qemu.out" >&2; fi

log=$results/console.log
ready=$(sed -n 's/.*dxgk-testbox: shell ready at uptime \([0-9.]*\)s.*/\1/p' "$log" 2>/dev/null | head -1 || true)
echo "testbox: kernel=$kernel ($kver) accel=$accel iommu=$iommu wall=${elapsed}s wall-to-shell=${ready_wall:-?}s guest-uptime-at-shell=${ready:-?}s results=$results"

case "$outcome" in
timeout)
	echo "testbox: FAIL: guest killed after ${timeout}s timeout; last 40 lines of $log:" >&2
	tail -n 40 "$log" >&2 || true
	exit 124 ;;
no-shell)
	echo "testbox: FAIL: the guest did not reach its shell within the ${boot_timeout}s boot deadline (killed); last 40 lines of $log:" >&2
	tail -n 40 "$log" >&2 || true
	exit 123 ;;
kvm-dead)
	echo "testbox: FAIL: KVM guest died ($why) and KVM was forced (DXGK_ACCEL=kvm)" >&2
	tail -n 40 "$log" >&2 || true
	exit 125 ;;
esac
if [ ! -s "$results/exit-code" ]; then
	echo "testbox: FAIL: no exit code came back (qemu status $qrc); last 40 lines of $log:" >&2
	tail -n 40 "$log" >&2 || true
	exit 125
fi
rc=$(cat "$results/exit-code")
if ! "$here/check-log.sh" "${allow[@]}" "$log"; then
	echo "testbox: FAIL: kernel log check failed (guest script exit code $rc)" >&2
	[ "$rc" = 0 ] && rc=1
	exit "$rc"
fi
echo "testbox: guest script exit code $rc"
exit "$rc"
