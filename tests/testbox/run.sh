#!/bin/bash
# Boot a kernel in QEMU (q35, VT-d, edu) with the host root shared read-only
# over virtio-9p and run GUEST_SCRIPT inside it.  See README.md.
#
#   run.sh --kernel distro|debug [--iommu strict|off|pt] [--mem 2G]
#          [--timeout SECONDS] [--results DIR] [--allow FILE] [--quiet]
#          -- GUEST_SCRIPT [ARGS...]
#
# Exit status: the guest script's exit code; 124 on timeout; 125 when no exit
# code came back (crash, panic); 1 when check-log.sh finds kernel errors;
# 2 on usage errors.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${DXGK_CACHE:-/var/cache/dxgkcompat}

usage() { sed -n '5,8p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "testbox: ERROR: $*" >&2; exit 2; }

kernel= iommu=strict mem=2G timeout=600 results= allow=() quiet=0
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)  kernel=${2:?}; shift 2 ;;
	--iommu)   iommu=${2:?}; shift 2 ;;
	--mem)     mem=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
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
case "$kernel" in distro|debug) ;; *) die "--kernel must be distro or debug" ;; esac
case "$iommu" in
strict) iommu_args="intel_iommu=on iommu.strict=1" ;;
off)    iommu_args="intel_iommu=off" ;;
pt)     iommu_args="intel_iommu=on iommu=pt" ;;
*)      die "--iommu must be strict, off or pt" ;;
esac
[[ "$timeout" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
script=$(realpath -e "$script") || die "guest script not found"
cwd=$(pwd -P)

# --- kernel ---
if [ "$kernel" = distro ]; then
	kimg=$(ls -v /boot/vmlinuz-6.12*-amd64 2>/dev/null | tail -1)
	[ -n "$kimg" ] || die "no /boot/vmlinuz-6.12*-amd64 (package linux-image-6.12-amd64)"
	kver=${kimg#/boot/vmlinuz-}
else
	kdir=$("$here/build-kernel.sh" | tail -1) || die "debug kernel build failed"
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
rm -f "$results/console.log" "$results/exit-code" "$results/dmesg.txt"
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
	echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb'
	printf 'cd %q || exit 125\n' "$cwd"
	printf 'if [ -x %q ]; then exec %q' "$script" "$script"
	for a in "$@"; do printf ' %q' "$a"; done
	printf '; else exec /bin/bash %q' "$script"
	for a in "$@"; do printf ' %q' "$a"; done
	printf '; fi\n'
} > "$job/job.sh"

# --- accelerator: KVM only if a tiny guest really runs under it ---
accel=tcg
kvm_works() {
	[ -w /dev/kvm ] || return 1
	local img=$job/kvm-probe.img
	# boot sector: mov al,0x31; out 0xf4,al; hlt  ->  isa-debug-exit status 99
	printf '\xb0\x31\xe6\xf4\xf4\xeb\xfe' > "$img"
	truncate -s 510 "$img"; printf '\x55\xaa' >> "$img"
	truncate -s 1M "$img"   # SeaBIOS cannot read a 512-byte disk
	local rc=0
	timeout 20 qemu-system-x86_64 -accel kvm -M q35 -nodefaults -display none \
		-device isa-debug-exit,iobase=0xf4,iosize=1 \
		-drive file="$img",format=raw,if=ide </dev/null >/dev/null 2>&1 || rc=$?
	[ "$rc" = 99 ]
}
case "${DXGK_ACCEL:-auto}" in
auto) kvm_works && accel=kvm ;;
kvm)  accel=kvm ;;
tcg)  ;;
*)    die "DXGK_ACCEL must be auto, kvm or tcg" ;;
esac
machine=q35
[ "$accel" = kvm ] && machine=q35,kernel-irqchip=split

cmdline="console=ttyS0 $iommu_args panic_on_warn=0 panic=-1 printk.time=1 rdinit=/init"
qemu=(qemu-system-x86_64
	-M "$machine" -accel "$accel" -cpu max -smp 2 -m "$mem"
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

start=$(date +%s.%N)
"${qemu[@]}" </dev/null >"$job/qemu.out" 2>&1 &
qpid=$!
if [ "$quiet" = 0 ]; then
	# stream the console while the guest runs
	while [ ! -e "$results/console.log" ] && kill -0 "$qpid" 2>/dev/null; do sleep 0.2; done
	tail -n +1 -F --pid="$qpid" "$results/console.log" 2>/dev/null &
fi
timed_out=0 ready_wall=
deadline=$(( $(date +%s) + timeout ))
while kill -0 "$qpid" 2>/dev/null; do
	if [ "$(date +%s)" -ge "$deadline" ]; then
		timed_out=1
		kill -KILL "$qpid" 2>/dev/null || true
		break
	fi
	if [ -z "$ready_wall" ] && grep -q 'dxgk-testbox: shell ready' "$results/console.log" 2>/dev/null; then
		ready_wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
	fi
	sleep 0.5
done
qrc=0; { wait "$qpid"; } 2>/dev/null || qrc=$?
qpid=
wait 2>/dev/null || true   # the tail
end=$(date +%s.%N)
elapsed=$(awk -v a="$start" -v b="$end" 'BEGIN{printf "%.1f", b-a}')
if [ -s "$job/qemu.out" ]; then sed 's/^/testbox: qemu: /' "$job/qemu.out" >&2; fi

log=$results/console.log
ready=$(sed -n 's/.*dxgk-testbox: shell ready at uptime \([0-9.]*\)s.*/\1/p' "$log" 2>/dev/null | head -1)
echo "testbox: kernel=$kernel ($kver) accel=$accel iommu=$iommu wall=${elapsed}s wall-to-shell=${ready_wall:-?}s guest-uptime-at-shell=${ready:-?}s results=$results"

if [ "$timed_out" = 1 ]; then
	echo "testbox: FAIL: guest killed after ${timeout}s timeout; last 40 lines of $log:" >&2
	tail -n 40 "$log" >&2 || true
	exit 124
fi
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
