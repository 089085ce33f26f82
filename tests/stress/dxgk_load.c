// SPDX-License-Identifier: MIT
/*
 * dxgk_load - the load that runs while the edu adapter is taken away
 * (tests/guest/unplug.sh; issue #12, "unplug under load").
 *
 * It works in generations, one per opening of the edu adapter's render node:
 *
 *  1. find the node: a /dev/dri/renderD* whose DRM_IOCTL_VERSION name is
 *     "dxgkcompat" and whose DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO miniport
 *     is "dxgk_edu";
 *  2. create two 1 MiB MDL objects and a 64 KiB SECTION, all cached, as an
 *     unprivileged caller must (high_address all ones; see "Unprivileged
 *     callers" in the uAPI header); map each (PMO_MMAP_OFFSET, then mmap()
 *     MAP_SHARED), check that the new object reads as zeros, and write a
 *     pattern into it through the mapping (every page);
 *  3. export the second MDL object (PRIME) and import it into vgem, when
 *     there is a vgem card; the import is kept to the end of the generation;
 *  4. COPY 4 KiB .. --max-copy bytes between the two MDL objects, in either
 *     direction, at random page-unaligned offsets. After each copy both
 *     objects are compared through their mappings with what they should
 *     hold: the copied range, and everything else (a stray DMA shows);
 *  5. when the device goes away (an ioctl fails with ENODEV, or with an
 *     errno that a removed device explains, see vanish_explains()), touch
 *     every page of every mapping once more, under a SIGBUS/SIGSEGV guard:
 *     counted as "ok" or "sigbus", both acceptable, and compared with what
 *     it held; release everything (munmap, the vgem handle, the dma-buf fd,
 *     the DRM fd) and wait for an edu render node to come back, rescanning
 *     /dev/dri every 100 ms. Then the next generation.
 *
 * A generation after a lost device that completes a verified copy counts as
 * a recovery.
 *
 * Every ioctl runs in the main thread. A watchdog thread prints the state
 * and exits 3 when nothing progressed for --stall seconds: an ioctl that
 * hangs, or a device that does not come back. The status file (--status) is
 * one line, rewritten atomically (rename) after every batch of operations:
 *
 *   copies_ok=N copies_enodev=N copies_other=N data_errors=N recoveries=N
 *   mmap_ok_after_unplug=N mmap_sigbus_after_unplug=N unexpected=N
 *   generation=N
 *
 * and the last line printed is the same, prefixed with "load: ". Exit
 * status: 0 no data error and no unexpected errno, 1 otherwise, 2 bad usage
 * or setup, 3 watchdog.
 *
 * Only libdrm's drm.h is used; nothing is linked but pthread.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "drm.h"
#include "dxgkcompat_drm.h"

#define OBJ_SIZE		(1u << 20)	/* each MDL object */
#define SEC_SIZE		(64u << 10)	/* the SECTION */
#define MIN_COPY		4096u
#define DEFAULT_MAX_COPY	(32u << 10)
#define MAX_COPY_LIMIT		(512u << 10)
#define DEFAULT_STALL		60
#define PAGE_READWRITE		0x04u
/* Put in ntstatus before a call: still there after it, the driver never ran. */
#define NTSTATUS_UNSET		0xffffffffu
#define RESCAN_NS		100000000L	/* 100 ms */
#define MAX_ERRNO		256
#define PATH_LEN		280	/* "/dev/dri/" and a directory entry name */

enum { OBJ_A, OBJ_B, OBJ_S, NOBJ };
static const char *const obj_names[NOBJ] = { "A", "B", "S" };

enum op {
	OP_INFO, OP_CREATE, OP_MMAP_OFFSET, OP_MMAP, OP_EXPORT, OP_IMPORT,
	OP_COPY, OP_GEM_CLOSE, OP_VGEM_CLOSE, OP_N
};
static const char *const op_names[OP_N] = {
	[OP_INFO] = "GET_ADAPTER_INFO",
	[OP_CREATE] = "PMO_CREATE",
	[OP_MMAP_OFFSET] = "PMO_MMAP_OFFSET",
	[OP_MMAP] = "mmap",
	[OP_EXPORT] = "PRIME_HANDLE_TO_FD",
	[OP_IMPORT] = "vgem_PRIME_FD_TO_HANDLE",
	[OP_COPY] = "COPY",
	[OP_GEM_CLOSE] = "GEM_CLOSE",
	[OP_VGEM_CLOSE] = "vgem_GEM_CLOSE",
};

static const char *const errno_names[MAX_ERRNO] = {
	[EPERM] = "EPERM", [ENOENT] = "ENOENT", [ESRCH] = "ESRCH",
	[EINTR] = "EINTR", [EIO] = "EIO", [ENXIO] = "ENXIO", [E2BIG] = "E2BIG",
	[EBADF] = "EBADF", [EAGAIN] = "EAGAIN", [ENOMEM] = "ENOMEM",
	[EACCES] = "EACCES", [EFAULT] = "EFAULT", [EBUSY] = "EBUSY",
	[EEXIST] = "EEXIST", [ENODEV] = "ENODEV", [EINVAL] = "EINVAL",
	[ENFILE] = "ENFILE", [EMFILE] = "EMFILE", [ENOTTY] = "ENOTTY",
	[EFBIG] = "EFBIG", [ENOSPC] = "ENOSPC", [ENOSYS] = "ENOSYS",
	[EPROTO] = "EPROTO", [EOVERFLOW] = "EOVERFLOW", [EMSGSIZE] = "EMSGSIZE",
	[EOPNOTSUPP] = "EOPNOTSUPP", [EADDRINUSE] = "EADDRINUSE",
	[ENOBUFS] = "ENOBUFS", [ETIMEDOUT] = "ETIMEDOUT",
	[EINPROGRESS] = "EINPROGRESS", [ECANCELED] = "ECANCELED",
};

static const char *errname(int err)
{
	static __thread char buf[16];

	if (err > 0 && err < MAX_ERRNO && errno_names[err])
		return errno_names[err];
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

static struct {
	double time;		/* 0: until SIGTERM/SIGINT */
	unsigned int stall;
	unsigned int max_copy;
	const char *status;
	long uid;		/* -1: stay who we are */
	uint64_t seed;
	bool verbose;
} opt = { .stall = DEFAULT_STALL, .max_copy = DEFAULT_MAX_COPY, .uid = -1 };

/* The counters of the status file and the summary. */
static struct {
	uint64_t copies_ok, copies_enodev, copies_other, data_errors;
	uint64_t recoveries, mmap_ok, mmap_sigbus, unexpected, generation;
} C;

/* Failed calls, by operation and errno. */
static uint64_t g_errs[OP_N][MAX_ERRNO];

static size_t PG;
static int g_vgem_fd = -1;
static char g_vgem_path[PATH_LEN];
static volatile sig_atomic_t g_stop;
static struct timespec g_t0;
/* What each object should hold, kept across its generation. */
static uint8_t g_shadow_a[OBJ_SIZE], g_shadow_b[OBJ_SIZE], g_shadow_s[SEC_SIZE];
static const uint8_t g_zeros[SEC_SIZE];

/* Shared with the watchdog thread. */
static atomic_uint_fast64_t g_progress;
static _Atomic(const char *) g_state = "starting";
static pthread_mutex_t g_line_lock = PTHREAD_MUTEX_INITIALIZER;
static char g_line[512];

struct obj {
	uint32_t handle;	/* 0: not created */
	uint64_t size;
	uint8_t *map;		/* the mmap() of its GEM offset, or NULL */
	uint8_t *shadow;
};

struct gen {
	int fd;
	char path[PATH_LEN];
	struct obj o[NOBJ];
	int dmabuf;		/* PRIME fd of B, or -1 */
	uint32_t vgem_handle;	/* its import into vgem, or 0 */
	bool gone;		/* this file's device was removed */
	uint64_t copies;	/* verified copies in this generation */
};

/* ---- time, randomness, logging ---------------------------------------- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - g_t0.tv_sec) +
	       (double)(ts.tv_nsec - g_t0.tv_nsec) / 1e9;
}

static bool done(void)
{
	return g_stop || (opt.time > 0 && now() >= opt.time);
}

static uint64_t g_rng;

static uint64_t rnd(void)
{
	uint64_t z = (g_rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static uint64_t range(uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + rnd() % (hi - lo + 1);
}

static void fill_random(uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = rnd();

		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

#define vlog(...) do { if (opt.verbose) printf("load: " __VA_ARGS__); } while (0)

static void sleep_ns(long ns)
{
	struct timespec ts = { ns / 1000000000L, ns % 1000000000L };

	nanosleep(&ts, NULL);	/* a signal ends it early: the caller checks done() */
}

/* ---- status and watchdog -------------------------------------------- */

static void format_counters(char *buf, size_t len)
{
	snprintf(buf, len,
		 "copies_ok=%" PRIu64 " copies_enodev=%" PRIu64
		 " copies_other=%" PRIu64 " data_errors=%" PRIu64
		 " recoveries=%" PRIu64 " mmap_ok_after_unplug=%" PRIu64
		 " mmap_sigbus_after_unplug=%" PRIu64 " unexpected=%" PRIu64
		 " generation=%" PRIu64,
		 C.copies_ok, C.copies_enodev, C.copies_other, C.data_errors,
		 C.recoveries, C.mmap_ok, C.mmap_sigbus, C.unexpected,
		 C.generation);
}

static void set_state(const char *state)
{
	atomic_store(&g_state, state);
}

/*
 * After a batch of operations: the watchdog sees progress, the status file
 * gets the counters (written to FILE.tmp, then renamed over FILE, so a
 * reader never sees half a line).
 */
static void publish(void)
{
	static bool warned;
	char line[512], tmp[4096];
	int fd;

	format_counters(line, sizeof(line));
	pthread_mutex_lock(&g_line_lock);
	memcpy(g_line, line, sizeof(line));
	pthread_mutex_unlock(&g_line_lock);
	atomic_fetch_add(&g_progress, 1);

	if (!opt.status)
		return;
	snprintf(tmp, sizeof(tmp), "%s.tmp", opt.status);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0) {
		size_t n = strlen(line);

		line[n++] = '\n';
		if (write(fd, line, n) != (ssize_t)n) {
			close(fd);
			fd = -1;
		} else if (close(fd) || rename(tmp, opt.status)) {
			fd = -1;
		}
	}
	if (fd < 0 && !warned) {
		warned = true;
		printf("load: warning: cannot write the status file %s: %s\n",
		       opt.status, strerror(errno));
	}
}

static void *watchdog(void *arg)
{
	uint64_t last = atomic_load(&g_progress);
	double since = now();

	(void)arg;
	for (;;) {
		uint64_t p;

		sleep(1);
		p = atomic_load(&g_progress);
		if (p != last) {
			last = p;
			since = now();
			continue;
		}
		if (now() - since < opt.stall)
			continue;
		pthread_mutex_lock(&g_line_lock);
		printf("load: STALL: no progress for %u s while %s\nload: %s\n",
		       opt.stall, atomic_load(&g_state), g_line);
		fflush(stdout);
		_exit(3);
	}
	return NULL;
}

/* ---- guarded access to mappings ----------------------------------------- */

enum mem_kind { MEM_ZERO, MEM_WRITE, MEM_CMP, MEM_READ, MEM_TOUCH };

struct mem_op {
	enum mem_kind kind;
	uint8_t *map;
	uint8_t *ref;		/* the bytes to write, compare with or read into */
	size_t len;
	size_t bad;		/* MEM_ZERO/MEM_CMP: first differing byte, or SIZE_MAX */
};

static sigjmp_buf *volatile g_jmp;
static volatile uintptr_t g_fault_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (g_jmp) {
		g_fault_addr = (uintptr_t)si->si_addr;
		siglongjmp(*g_jmp, sig);
	}
	/* Not an access we guard: the fault repeats and kills us. */
	signal(sig, SIG_DFL);
}

static void mem_run(struct mem_op *m)
{
	volatile uint8_t *p = m->map;
	size_t i;

	m->bad = SIZE_MAX;
	switch (m->kind) {
	case MEM_ZERO:
		__asm__ __volatile__("" ::: "memory");
		for (i = 0; i < m->len; i += sizeof(g_zeros)) {
			size_t n = m->len - i < sizeof(g_zeros) ? m->len - i : sizeof(g_zeros);

			if (memcmp(m->map + i, g_zeros, n)) {
				while (!p[i])
					i++;
				m->bad = i;
				break;
			}
		}
		break;
	case MEM_WRITE:
		memcpy(m->map, m->ref, m->len);
		break;
	case MEM_CMP:
		__asm__ __volatile__("" ::: "memory");
		if (memcmp(m->map, m->ref, m->len))
			for (i = 0; i < m->len; i++)
				if (p[i] != m->ref[i]) {
					m->bad = i;
					break;
				}
		break;
	case MEM_READ:
		__asm__ __volatile__("" ::: "memory");
		memcpy(m->ref, m->map, m->len);
		break;
	case MEM_TOUCH:
		/* Read and write back one byte of every page. */
		for (i = 0; i < m->len; i += PG) {
			uint8_t v = p[i];

			p[i] = v;
		}
		break;
	}
}

/* Runs @m; returns 0, or the signal (SIGBUS/SIGSEGV) that hit it. */
static int guarded(struct mem_op *m)
{
	sigjmp_buf jb;
	int sig = sigsetjmp(jb, 1);

	if (sig) {
		g_jmp = NULL;
		return sig;
	}
	g_jmp = &jb;
	mem_run(m);
	g_jmp = NULL;
	return 0;
}

/* ---- ioctls and what their failures mean ------------------------------ */

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r, tries = 0;

	do
		r = ioctl(fd, cmd, arg);
	while (r == -1 && (errno == EINTR || errno == EAGAIN) && ++tries < 1000);
	return r ? -errno : 0;
}

/* The device of this file was unplugged: every ioctl fails with ENODEV. */
static bool device_gone(int fd)
{
	struct drm_dxgkcompat_adapter_info info;

	memset(&info, 0, sizeof(info));
	return xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &info) == -ENODEV;
}

/*
 * Which errnos a removed device explains, for each operation. The driver's
 * errno is its NTSTATUS mapped by dxgk_ntstatus_to_errno()
 * (drivers/gpu/drm/dxgkcompat/dxgk_status.c), except STATUS_INVALID_HANDLE,
 * which the GEM ioctls return as -ENOENT (dxgk_status_errno() in
 * dxgk_gem.c):
 *
 *   ENODEV     the DRM core refuses every ioctl of an unplugged device
 *              (drm_ioctl_kernel()) and dxgk_mmap() every new mapping; the
 *              driver's own STATUS_DEVICE_REMOVED (a copy stopped by the
 *              removal, an ioctl that lost the race with drm_dev_unplug())
 *              and STATUS_NO_SUCH_DEVICE are -ENODEV too. Always expected.
 *   EIO        COPY: STATUS_DEVICE_NOT_READY (paging refused after a failed
 *              engine reset), STATUS_IO_DEVICE_ERROR (edu's DMA_FAULTED:
 *              the engine was reset under a transfer), STATUS_UNSUCCESSFUL
 *              and any NTSTATUS the table lacks.
 *   ETIMEDOUT  COPY: STATUS_IO_TIMEOUT, a fence lost with the interrupt:
 *              the engine was reset (TDR).
 *   EBUSY      COPY: STATUS_INVALID_DEVICE_STATE, DxgkCbAllocateAdl for an
 *              object whose adapter is gone.
 *   ENOENT     COPY, PMO_CREATE: STATUS_INVALID_HANDLE, the adapter's
 *              DeviceHandle is no longer in the port's table.
 *   ENXIO      COPY, PMO_CREATE: STATUS_DEVICE_DOES_NOT_EXIST.
 *   ENOSPC     COPY: STATUS_INSUFFICIENT_RESOURCES, the DMA mapping for a
 *              device whose IOMMU domain went with it.
 *
 * All but ENODEV are accepted only when the device is found gone (the same
 * file's GET_ADAPTER_INFO fails with ENODEV), except EIO and ETIMEDOUT from
 * COPY: a reset cuts a copy short on a device that stays (noted). Anything
 * else is unexpected (EFAULT, EINVAL on a valid call, ENOMEM, EACCES, ...),
 * as is an ioctl whose return and ntstatus disagree. EINTR and EAGAIN are
 * retried (xioctl()).
 */
static bool vanish_explains(enum op op, int err)
{
	if (err == ENODEV)
		return true;
	switch (op) {
	case OP_COPY:
		return err == EIO || err == ETIMEDOUT || err == EBUSY ||
		       err == ENOENT || err == ENXIO || err == ENOSPC;
	case OP_CREATE:
		return err == ENOENT || err == ENXIO;
	default:
		return false;
	}
}

static void unexpected(struct gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void unexpected(struct gen *g, const char *fmt, ...)
{
	va_list ap;

	C.unexpected++;
	printf("load: UNEXPECTED: generation %" PRIu64 " (%s): ", C.generation,
	       g ? g->path : "-");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/*
 * The driver always writes ntstatus (uAPI header): success iff
 * STATUS_SUCCESS. NTSTATUS_UNSET still there means the DRM core refused the
 * call before the driver saw it, which only a failure may do.
 */
static void check_ntstatus(struct gen *g, enum op op, int ret, uint32_t nt)
{
	if (ret == 0 && nt != 0)
		unexpected(g, "%s succeeded with ntstatus %#x", op_names[op], nt);
	else if (ret && nt == 0)
		unexpected(g, "%s failed with %s but ntstatus is STATUS_SUCCESS",
			   op_names[op], errname(-ret));
}

/*
 * An operation failed with @err: count it, and decide whether this file's
 * device is gone, which ends the generation. Returns true if it is.
 */
static bool op_failed(struct gen *g, enum op op, int err)
{
	bool gone = err == ENODEV || device_gone(g->fd);

	g_errs[op][err > 0 && err < MAX_ERRNO ? err : 0]++;
	if (gone && vanish_explains(op, err)) {
		vlog("generation %" PRIu64 ": %s: %s (device gone)\n",
		     C.generation, op_names[op], errname(err));
	} else if (!gone && op == OP_COPY && (err == EIO || err == ETIMEDOUT)) {
		printf("load: note: generation %" PRIu64 ": COPY failed with %s "
		       "on a device that is still there (an engine reset)\n",
		       C.generation, errname(err));
	} else {
		unexpected(g, "%s failed with %s on a device that is %s",
			   op_names[op], errname(err), gone ? "gone" : "still there");
	}
	if (gone)
		g->gone = true;
	return gone;
}

/*
 * A guarded access to a mapping faulted. After the device went that is
 * acceptable (the after-unplug touch counts it); on a live device it is not.
 */
static void mem_faulted(struct gen *g, int sig, const char *what)
{
	if (device_gone(g->fd)) {
		printf("load: generation %" PRIu64 ": %s at %#lx in %s: the "
		       "device is gone\n", C.generation, strsignal(sig),
		       (unsigned long)g_fault_addr, what);
		g->gone = true;
		return;
	}
	unexpected(g, "%s at %#lx in %s of a live device", strsignal(sig),
		   (unsigned long)g_fault_addr, what);
}

/* ---- discovery -------------------------------------------------------- */

static bool drv_name_is(int fd, const char *want)
{
	char name[64] = { 0 };
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = sizeof(name) - 1;
	if (xioctl(fd, DRM_IOCTL_VERSION, &v))
		return false;
	return !strcmp(name, want);
}

static bool is_edu(int fd)
{
	struct drm_dxgkcompat_adapter_info info;

	if (!drv_name_is(fd, "dxgkcompat"))
		return false;
	memset(&info, 0, sizeof(info));
	if (xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &info))
		return false;
	info.miniport_name[sizeof(info.miniport_name) - 1] = 0;
	return !strcmp(info.miniport_name, "dxgk_edu");
}

/*
 * The first /dev/dri node named PREFIX* that @match accepts, opened, or -1.
 * Nodes that cannot be opened (gone, or not yet made accessible to us) are
 * skipped: the caller scans again.
 */
static int find_node(const char *prefix, bool (*match)(int fd), char *path,
		     size_t len)
{
	struct dirent *e;
	DIR *d = opendir("/dev/dri");
	int fd = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)))
			continue;
		snprintf(path, len, "/dev/dri/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (match(fd))
			break;
		close(fd);
		fd = -1;
	}
	closedir(d);
	return fd;
}

static bool is_vgem(int fd)
{
	return drv_name_is(fd, "vgem");
}

/* Rescan every 100 ms until an edu render node is there, or we are done. */
static int wait_for_edu(char *path, size_t len)
{
	set_state("waiting for an edu render node");
	while (!done()) {
		int fd = find_node("renderD", is_edu, path, len);

		if (fd >= 0)
			return fd;
		sleep_ns(RESCAN_NS);
	}
	return -1;
}

/* ---- one generation ------------------------------------------------- */

/* Compare a whole object with what it should hold; resync on a mismatch. */
static void verify_obj(struct gen *g, int i, const char *after)
{
	struct obj *o = &g->o[i];
	struct mem_op m = { MEM_CMP, o->map, o->shadow, o->size, 0 };
	int sig;

	if (!o->map || g->gone)
		return;
	sig = guarded(&m);
	if (sig) {
		mem_faulted(g, sig, "a compare");
		return;
	}
	if (m.bad == SIZE_MAX)
		return;
	C.data_errors++;
	printf("load: DATA ERROR: generation %" PRIu64 ": object %s byte %#zx is "
	       "%#04x, expected %#04x (%s)\n", C.generation, obj_names[i], m.bad,
	       o->map[m.bad], o->shadow[m.bad], after);
	/* Take what is there, so that one error is reported once. */
	m.kind = MEM_READ;
	if (guarded(&m))
		mem_faulted(g, SIGBUS, "a resync");
}

static bool create_obj(struct gen *g, int i)
{
	struct drm_dxgkcompat_pmo_create c;
	struct obj *o = &g->o[i];
	int ret;

	memset(&c, 0, sizeof(c));
	c.size = o->size;
	c.cache_type = DRM_DXGKCOMPAT_CACHED;
	if (i == OBJ_S) {
		c.type = DRM_DXGKCOMPAT_PMO_SECTION;
		c.page_protection = PAGE_READWRITE;
	} else {
		c.type = DRM_DXGKCOMPAT_PMO_MDL;
		/* Unprivileged: the window must reach all of memory. */
		c.high_address = ~0ull;
	}
	c.ntstatus = NTSTATUS_UNSET;
	ret = xioctl(g->fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c);
	if (c.ntstatus != NTSTATUS_UNSET)
		check_ntstatus(g, OP_CREATE, ret, c.ntstatus);
	if (ret) {
		op_failed(g, OP_CREATE, -ret);
		return false;
	}
	o->handle = c.handle;
	return true;
}

/* Map the object, check it reads as zeros, write its pattern. */
static bool map_obj(struct gen *g, int i)
{
	struct drm_dxgkcompat_pmo_mmap_offset mo;
	struct obj *o = &g->o[i];
	struct mem_op m;
	void *p;
	int ret, sig;

	memset(&mo, 0, sizeof(mo));
	mo.handle = o->handle;
	mo.ntstatus = NTSTATUS_UNSET;
	ret = xioctl(g->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo);
	if (mo.ntstatus != NTSTATUS_UNSET)
		check_ntstatus(g, OP_MMAP_OFFSET, ret, mo.ntstatus);
	if (ret) {
		op_failed(g, OP_MMAP_OFFSET, -ret);
		return false;
	}
	p = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_SHARED, g->fd,
		 (off_t)mo.offset);
	if (p == MAP_FAILED) {
		op_failed(g, OP_MMAP, errno);
		return false;
	}
	o->map = p;

	m = (struct mem_op){ MEM_ZERO, o->map, NULL, o->size, 0 };
	sig = guarded(&m);
	if (sig) {
		mem_faulted(g, sig, "the zero check of a new object");
		return false;
	}
	if (m.bad != SIZE_MAX) {
		C.data_errors++;
		printf("load: DATA ERROR: generation %" PRIu64 ": new object %s "
		       "byte %#zx is %#04x, not zero\n", C.generation,
		       obj_names[i], m.bad, o->map[m.bad]);
	}
	fill_random(o->shadow, o->size);
	m = (struct mem_op){ MEM_WRITE, o->map, o->shadow, o->size, 0 };
	sig = guarded(&m);
	if (sig) {
		mem_faulted(g, sig, "writing the pattern");
		return false;
	}
	verify_obj(g, i, "after writing the pattern");
	return !g->gone;
}

/* Export B and import it into vgem: the import lives to the end. */
static bool share_obj(struct gen *g)
{
	struct drm_prime_handle p, q;
	int ret;

	memset(&p, 0, sizeof(p));
	p.handle = g->o[OBJ_B].handle;
	p.flags = DRM_CLOEXEC | DRM_RDWR;
	ret = xioctl(g->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
	if (ret) {
		op_failed(g, OP_EXPORT, -ret);
		return false;
	}
	g->dmabuf = p.fd;
	if (g_vgem_fd < 0)
		return true;
	memset(&q, 0, sizeof(q));
	q.fd = g->dmabuf;
	ret = xioctl(g_vgem_fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &q);
	if (ret) {
		/* vgem stays: only our device going explains a failure. */
		op_failed(g, OP_IMPORT, -ret);
		return !g->gone;
	}
	g->vgem_handle = q.handle;
	return true;
}

static bool gen_setup(struct gen *g)
{
	set_state("setup (create, map, PRIME)");
	for (int i = 0; i < NOBJ; i++)
		if (!create_obj(g, i))
			return false;
	for (int i = 0; i < NOBJ; i++)
		if (!map_obj(g, i))
			return false;
	return share_obj(g);
}

/* A page-unaligned offset where @size bytes fit in an object. */
static uint64_t unaligned_offset(uint64_t size)
{
	uint64_t page = range(0, (OBJ_SIZE - size - PG) / PG);

	return page * PG + range(1, PG - 1);
}

/* One COPY between A and B, then both objects checked. */
static void do_copy(struct gen *g, bool *recovery_pending)
{
	struct drm_dxgkcompat_copy c;
	int s = rnd() & 1 ? OBJ_A : OBJ_B, d = s == OBJ_A ? OBJ_B : OBJ_A;
	struct obj *src = &g->o[s], *dst = &g->o[d];
	uint64_t size = range(MIN_COPY, opt.max_copy);
	char what[160];
	struct mem_op m;
	int ret, sig;

	memset(&c, 0, sizeof(c));
	c.src_handle = src->handle;
	c.dst_handle = dst->handle;
	c.src_offset = unaligned_offset(size);
	c.dst_offset = unaligned_offset(size);
	c.size = size;
	c.ntstatus = NTSTATUS_UNSET;
	snprintf(what, sizeof(what), "after COPY %s+%#llx -> %s+%#llx, %llu bytes",
		 obj_names[s], (unsigned long long)c.src_offset, obj_names[d],
		 (unsigned long long)c.dst_offset, (unsigned long long)size);

	set_state("COPY");
	ret = xioctl(g->fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c);
	if (c.ntstatus != NTSTATUS_UNSET)
		check_ntstatus(g, OP_COPY, ret, c.ntstatus);
	vlog("generation %" PRIu64 ": COPY %s+%#llx -> %s+%#llx %llu: %s\n",
	     C.generation, obj_names[s], (unsigned long long)c.src_offset,
	     obj_names[d], (unsigned long long)c.dst_offset,
	     (unsigned long long)size, ret ? errname(-ret) : "ok");
	set_state("verifying a copy");
	m = (struct mem_op){ MEM_CMP, dst->map + c.dst_offset,
			     src->shadow + c.src_offset, size, 0 };
	if (ret) {
		if (ret == -ENODEV)
			C.copies_enodev++;
		else
			C.copies_other++;
		op_failed(g, OP_COPY, -ret);
		/* Bytes before the failure may have been copied: take the range. */
		m = (struct mem_op){ MEM_READ, dst->map + c.dst_offset,
				     dst->shadow + c.dst_offset, size, 0 };
		sig = guarded(&m);
		if (sig)
			mem_faulted(g, sig, "reading back a failed copy");
	} else if ((sig = guarded(&m))) {
		mem_faulted(g, sig, "verifying a copy");
	} else if (m.bad != SIZE_MAX) {
		C.data_errors++;
		printf("load: DATA ERROR: generation %" PRIu64 ": object %s byte "
		       "%#llx is %#04x, expected %#04x (%s)\n", C.generation,
		       obj_names[d], (unsigned long long)(c.dst_offset + m.bad),
		       dst->map[c.dst_offset + m.bad],
		       src->shadow[c.src_offset + m.bad], what);
		m = (struct mem_op){ MEM_READ, dst->map + c.dst_offset,
				     dst->shadow + c.dst_offset, size, 0 };
		if (guarded(&m))
			mem_faulted(g, SIGBUS, "a resync");
	} else {
		memcpy(dst->shadow + c.dst_offset, src->shadow + c.src_offset, size);
		C.copies_ok++;
		g->copies++;
		if (*recovery_pending) {
			*recovery_pending = false;
			C.recoveries++;
			printf("load: generation %" PRIu64 ": recovered: a verified "
			       "copy on %s\n", C.generation, g->path);
		}
	}
	/* Nothing outside the range changed, in either object. */
	verify_obj(g, d, what);
	verify_obj(g, s, what);
	publish();
}

/*
 * The device went: touch every page of every mapping once more and compare
 * it. A SIGBUS (or SIGSEGV) is as acceptable as a mapping that still works;
 * either way nothing may have changed what it still shows.
 */
static void touch_after_unplug(struct gen *g)
{
	int sig = 0, mapped = 0;

	set_state("touching the mappings after the unplug");
	for (int i = 0; i < NOBJ; i++) {
		struct obj *o = &g->o[i];
		struct mem_op m = { MEM_TOUCH, o->map, NULL, o->size, 0 };
		int s;

		if (!o->map)
			continue;
		mapped++;
		s = guarded(&m);
		if (!s) {
			m.kind = MEM_CMP;
			m.ref = o->shadow;
			s = guarded(&m);
		}
		if (s) {
			sig = s;
			continue;
		}
		if (m.bad != SIZE_MAX) {
			C.data_errors++;
			printf("load: DATA ERROR: generation %" PRIu64 ": object %s "
			       "byte %#zx is %#04x after the unplug, expected %#04x\n",
			       C.generation, obj_names[i], m.bad, o->map[m.bad],
			       o->shadow[m.bad]);
		}
	}
	if (!mapped)
		return;
	if (sig)
		C.mmap_sigbus++;
	else
		C.mmap_ok++;
	printf("load: generation %" PRIu64 ": mmap-after-unplug: %s\n",
	       C.generation, sig ? (sig == SIGBUS ? "sigbus" : "sigbus (SIGSEGV)") : "ok");
}

static void gem_close(struct gen *g, int fd, uint32_t handle, enum op op)
{
	struct drm_gem_close gc;
	int ret;

	memset(&gc, 0, sizeof(gc));
	gc.handle = handle;
	ret = xioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
	if (ret && op == OP_GEM_CLOSE)
		op_failed(g, op, -ret);
	else if (ret)
		unexpected(g, "%s of handle %u failed with %s", op_names[op],
			   handle, errname(-ret));
}

/*
 * Release everything. GEM_CLOSE on the DRM file only while its device is
 * there: the core refuses every ioctl of an unplugged device, and closing
 * the file drops the handles.
 */
static void gen_teardown(struct gen *g)
{
	if (g->gone)
		touch_after_unplug(g);
	set_state("releasing");
	for (int i = 0; i < NOBJ; i++)
		if (g->o[i].map && munmap(g->o[i].map, g->o[i].size))
			unexpected(g, "munmap of object %s: %s", obj_names[i],
				   strerror(errno));
	if (g->vgem_handle)
		gem_close(g, g_vgem_fd, g->vgem_handle, OP_VGEM_CLOSE);
	if (g->dmabuf >= 0)
		close(g->dmabuf);
	for (int i = 0; i < NOBJ && !g->gone; i++)
		if (g->o[i].handle)
			gem_close(g, g->fd, g->o[i].handle, OP_GEM_CLOSE);
	close(g->fd);
}

/* One generation on the opened edu node @fd. Returns whether it was lost. */
static bool run_generation(int fd, const char *path, bool *recovery_pending)
{
	struct gen g;
	struct drm_dxgkcompat_adapter_info info;
	double t0 = now();

	memset(&g, 0, sizeof(g));
	g.fd = fd;
	g.dmabuf = -1;
	snprintf(g.path, sizeof(g.path), "%s", path);
	g.o[OBJ_A] = (struct obj){ 0, OBJ_SIZE, NULL, g_shadow_a };
	g.o[OBJ_B] = (struct obj){ 0, OBJ_SIZE, NULL, g_shadow_b };
	g.o[OBJ_S] = (struct obj){ 0, SEC_SIZE, NULL, g_shadow_s };

	C.generation++;
	memset(&info, 0, sizeof(info));
	xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &info);
	printf("load: generation %" PRIu64 ": %s (iommu_mode %u, dma_mask %#llx)\n",
	       C.generation, path, info.iommu_mode,
	       (unsigned long long)info.dma_mask);
	publish();

	if (gen_setup(&g)) {
		publish();
		while (!g.gone && !done())
			do_copy(&g, recovery_pending);
	}
	gen_teardown(&g);
	printf("load: generation %" PRIu64 " ended after %.1f s: %" PRIu64
	       " verified copies, %s\n", C.generation, now() - t0, g.copies,
	       g.gone ? "device gone" : done() ? "stopped" : "setup failed");
	publish();
	if (!g.gone && !done()) {
		/* A live device we cannot set up: do not spin on it. */
		sleep_ns(10 * RESCAN_NS);
	}
	return g.gone;
}

/* ---- main ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: dxgk_load [--time S] [--stall S] [--status FILE] [--max-copy BYTES]\n"
		"                 [--seed N] [--uid N] [--verbose]\n"
		"  --time S          run for S seconds (default: until SIGTERM/SIGINT)\n"
		"  --stall S         exit 3 when nothing progresses for S s (default %d)\n"
		"  --status FILE     one-line counters, rewritten after every batch\n"
		"  --max-copy BYTES  largest COPY, %u..%u (default %u); the smallest is %u\n"
		"  --seed N          PRNG seed (default: time based, printed)\n"
		"  --uid N           drop to uid and gid N first (started as root)\n"
		"  --verbose         log every copy\n",
		DEFAULT_STALL, MIN_COPY, MAX_COPY_LIMIT, DEFAULT_MAX_COPY, MIN_COPY);
}

static bool parse_num(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static int parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "time", required_argument, NULL, 't' },
		{ "stall", required_argument, NULL, 'S' },
		{ "status", required_argument, NULL, 's' },
		{ "max-copy", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 'r' },
		{ "uid", required_argument, NULL, 'u' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool have_seed = false;
	double v;
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!parse_num(optarg, 0, 1e7, &opt.time))
				goto bad;
			break;
		case 'S':
			if (!parse_num(optarg, 1, 86400, &v))
				goto bad;
			opt.stall = (unsigned int)v;
			break;
		case 's':
			opt.status = optarg;
			break;
		case 'm':
			if (!parse_num(optarg, MIN_COPY, MAX_COPY_LIMIT, &v))
				goto bad;
			opt.max_copy = (unsigned int)v;
			break;
		case 'r':
			opt.seed = strtoull(optarg, NULL, 0);
			have_seed = true;
			break;
		case 'u':
			if (!parse_num(optarg, 0, 4294967294.0, &v))
				goto bad;
			opt.uid = (long)v;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind != argc)
		goto bad;
	if (!have_seed) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		opt.seed = ((uint64_t)ts.tv_sec * 1000003u) ^ (uint64_t)ts.tv_nsec ^
			   ((uint64_t)getpid() << 20);
	}
	return 0;
bad:
	usage(stderr);
	return 2;
}

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void print_errnos(void)
{
	for (int op = 0; op < OP_N; op++) {
		char line[1024];
		size_t n = 0;

		for (int e = 0; e < MAX_ERRNO; e++)
			if (g_errs[op][e] && n < sizeof(line) - 40)
				n += snprintf(line + n, sizeof(line) - n, " %s=%" PRIu64,
					      e ? errname(e) : "other", g_errs[op][e]);
		if (n)
			printf("load: errno %s:%s\n", op_names[op], line);
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, old;
	pthread_t wd;
	char path[PATH_LEN], line[512];
	bool recovery_pending = false;

	if (parse_args(argc, argv))
		return 2;
	/* First of all, before anything is opened or made. */
	if (opt.uid >= 0) {
		uid_t u = (uid_t)opt.uid;

		if (setgroups(0, NULL) || setresgid(u, u, u) || setresuid(u, u, u)) {
			fprintf(stderr, "load: cannot drop to uid %ld: %s\n", opt.uid,
				strerror(errno));
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &g_t0);
	PG = (size_t)sysconf(_SC_PAGESIZE);
	g_rng = opt.seed;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;	/* no SA_RESTART: a sleep ends at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* The watchdog takes no SIGTERM/SIGINT: they must reach this thread. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (pthread_create(&wd, NULL, watchdog, NULL)) {
		fprintf(stderr, "load: cannot start the watchdog\n");
		return 2;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	g_vgem_fd = find_node("card", is_vgem, g_vgem_path, sizeof(g_vgem_path));
	printf("load: start: seed=%" PRIu64 " max-copy=%u stall=%us time=%.1fs "
	       "uid=%u vgem=%s status=%s\n", opt.seed, opt.max_copy, opt.stall,
	       opt.time, (unsigned int)geteuid(),
	       g_vgem_fd >= 0 ? g_vgem_path : "none",
	       opt.status ? opt.status : "none");
	publish();

	while (!done()) {
		int fd = wait_for_edu(path, sizeof(path));

		if (fd < 0)
			break;
		if (run_generation(fd, path, &recovery_pending))
			recovery_pending = true;
	}
	publish();
	if (g_vgem_fd >= 0)
		close(g_vgem_fd);

	printf("load: seed=%" PRIu64 " time=%.1fs\n", opt.seed, now());
	print_errnos();
	format_counters(line, sizeof(line));
	printf("load: %s\n", line);
	return C.data_errors || C.unexpected ? 1 : 0;
}
