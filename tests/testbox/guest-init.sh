#!/bin/sh
# /init of the test box initramfs (busybox sh).  Mounts the host root
# (virtio-9p, read-only) with a tmpfs overlay on top, the results share at
# /results, chroots into it and runs the job written by run.sh, then records
# the exit code, dmesg and kmemleak, and powers off.
export PATH=/bin:/sbin
/bin/busybox mkdir -p /usr/bin /usr/sbin
/bin/busybox --install -s

log() { echo "dxgk-testbox: $*"; }
fail() {
	log "FATAL: $*"
	[ -d /newroot/results ] && echo 126 > /newroot/results/exit-code 2>/dev/null
	sync
	poweroff -f
	echo o > /proc/sysrq-trigger
	sleep 1000
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
kver=$(uname -r)
log "init on $kver"

if [ -s /lib/modules/$kver/load.list ]; then
	while read -r m; do
		insmod /lib/modules/$kver/$m || log "insmod $m failed"
	done < /lib/modules/$kver/load.list
fi

o9p="trans=virtio,version=9p2000.L,msize=262144"
mount -t 9p -o "$o9p,cache=none" dxgkjob /mnt/job || fail "cannot mount the job share"
mount -t 9p -o "$o9p,ro,cache=loose" hostroot /mnt/lower || fail "cannot mount the host root over 9p"
mount -t tmpfs -o mode=0755 tmpfs /mnt/rw
mkdir -p /mnt/rw/upper /mnt/rw/work
results=/results
if mount -t overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work,index=off,xino=off,metacopy=off,redirect_dir=off overlay /newroot; then
	log "root: overlay (9p host root + tmpfs)"
	mkdir -p /newroot/results
else
	# Fallback: read-only host root, tmpfs over the usual writable places.
	log "root: overlay failed, read-only 9p root with tmpfs on /tmp /run /var/tmp /root /home /var/lib /var/cache"
	mount --bind /mnt/lower /newroot
	for d in /tmp /var/tmp /root /home /var/lib /var/cache; do
		mount -t tmpfs tmpfs /newroot$d 2>/dev/null
	done
	results=/mnt
fi
mount -t 9p -o "$o9p,cache=none" dxgkresults /newroot$results || fail "cannot mount the results share"
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm 2>/dev/null
mount -t devpts devpts /newroot/dev/pts 2>/dev/null
mount -t tmpfs tmpfs /newroot/dev/shm 2>/dev/null
mount -t debugfs debugfs /newroot/sys/kernel/debug 2>/dev/null
# /run: fresh (the host's pid files and sockets mean nothing here); /tmp
# stays the overlay view of the host's /tmp so that scripts there are visible.
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
cp /mnt/job/job.sh /newroot/run/dxgk-job.sh || fail "no job.sh"

kml=/sys/kernel/debug/kmemleak
[ -e $kml ] && echo clear > $kml

read up _ < /proc/uptime
log "shell ready at uptime ${up}s"
DXGK_RESULTS=$results chroot /newroot /bin/bash /run/dxgk-job.sh </dev/null
rc=$?
read up _ < /proc/uptime
log "guest script exited with $rc at uptime ${up}s"

if [ -e $kml ]; then
	log "kmemleak: scanning"
	echo scan > $kml; sleep 5; echo scan > $kml
	log "kmemleak report begin"
	cat $kml
	log "kmemleak report end"
fi
dmesg > /newroot$results/dmesg.txt
echo $rc > /newroot$results/exit-code
sync
umount /newroot$results 2>/dev/null
log "powering off"
poweroff -f
echo o > /proc/sysrq-trigger
sleep 1000
