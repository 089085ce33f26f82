// SPDX-License-Identifier: MIT
/*
 * dxgk_churn - a concurrency churn test for the dxgkcompat DRM uAPI
 * (include/uapi/drm/dxgkcompat_drm.h), issue #12.
 *
 * N processes (--procs) with M threads each (--threads) create, map,
 * mmap, copy, export and close physical memory objects at once, on every
 * dxgkcompat node, for a fixed time (--time), and the parent reports how
 * many operations of each kind were done and how many per second.
 *
 * Each process opens its own DRM files and its threads share them, so
 * they race on one handle table: GEM_CLOSE of a handle another thread is
 * using in PMO_MAP, mmap(), COPY or PRIME export is the point. The objects
 * a process made are in one table under a mutex (struct ent). A thread
 * marks the entry it uses "busy" (and "excl" when it writes the object's
 * bytes); a closer may close a busy entry: it marks it closed and the
 * entry is freed once nobody uses it. Mappings are made and unmapped
 * inside one operation by the thread that made them, so no thread ever
 * unmaps memory another thread is touching.
 *
 * GEM handle numbers are reused at once by the kernel, so a thread still
 * using a handle another thread closed may reach a newer object that got
 * the same number. Such a thread's errors (ENOENT, EACCES, EINVAL) are
 * excused, and so is a data mismatch of any operation on the same file
 * that overlapped such a stale use (per-file alias_epoch and stale_busy):
 * it is counted as "unverified" instead. Everything else is judged.
 *
 * A dedicated race in each process, on a DRM file of its own (so that no
 * other thread's create can reuse a number): create A and B, take a
 * mapping of each (most of the time), fill them, start COPY A->B while a
 * helper thread does GEM_CLOSE on B, on A or on both at a random moment.
 * COPY must return 0 with B holding A's bytes (read through the mapping
 * taken before), or fail with ENOENT with B unchanged; on an adapter with
 * no copy engine (dxgk_virt) EOPNOTSUPP is "nocopy". Anything else fails.
 *
 * Errors allowed: ENOMEM/ENOSPC (counted), ENOENT/EACCES/EINVAL on a
 * handle that went away (counted as "stale"), EPERM/EACCES where the
 * object's page protection refuses (counted as "denied"); every
 * dxgkcompat ioctl must return 0 iff its ntstatus is STATUS_SUCCESS. A
 * SIGSEGV/SIGBUS in the tool is a failure. The parent's watchdog exits 3
 * when no operation completed for 60 s, or the run overran its time by
 * 120 s. Everything is released before exit, so the driver's debugfs
 * counters can be compared by the caller (tests/guest/churn.sh).
 *
 * Exit: 0 no failure and every child exited 0; 1 failure; 2 usage;
 * 3 watchdog; 77 no dxgkcompat device.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
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
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/dma-buf.h>

#include "drm.h"
#include "dxgkcompat_drm.h"

#define PAGE_READONLY		0x02u
#define PAGE_READWRITE		0x04u
#define MAX_PHYS		0x7fffffffffffffffull

#define MAX_NODES		8	/* dxgkcompat nodes used */
#define MAX_PROCS		64
#define MAX_THREADS		32
#define MAX_ENTS		64	/* live objects per process */
#define PROC_BYTE_CAP		(32ull << 20)
#define OBJ_MIN			4096u
#define OBJ_MAX			(256u << 10)
#define TOUCH_MAX		(64u << 10)
#define TOUCH_MAX_UC		(8u << 10)
#define COPY_MAX		(64u << 10)	/* no copy engine: fails fast */
/* QEMU's edu engine: ~100 ms per 4 KiB DMA piece under TCG */
#define EDU_COPY_MAX		8192u
#define EDU_INFLIGHT		1	/* general edu copies per process */
#define RACE_OBJ_MIN		4096u
#define RACE_OBJ_MAX		16384u
#define WATCHDOG_S		60
#define OVERRUN_S		120
#define MAX_FAIL_MSGS		20
#define STOP_FAILS		50
#define FORK_CHILD_ALARM	30

enum kind {
	K_OPS, K_CREATES, K_MAPS, K_MMAPS, K_COPIES, K_NOCOPY, K_EXPORTS,
	K_DBMAPS, K_CLOSES, K_REOPENS, K_FORKS, K_INFOS, K_RACES,
	K_RACE_COPIED, K_RACE_ENOENT, K_RACE_OTHER, K_VERIFIED, K_UNVERIFIED,
	K_STALE, K_DENIED, K_ENOMEM, K_ENOSPC, K_EDU_BUSY, K_FAILURES,
	K_NKINDS
};

static const char *const kind_name[K_NKINDS] = {
	"ops", "creates", "maps", "mmaps", "copies", "nocopy", "exports",
	"dmabuf-mmaps", "closes", "reopens", "forks", "infos", "races",
	"race-copied", "race-enoent", "race-other", "verified", "unverified",
	"stale", "denied", "enomem", "enospc", "edu-busy", "failures",
};

/* Per process, in memory shared with the parent (MAP_SHARED, before fork). */
struct shproc {
	uint64_t c[K_NKINDS];
	pid_t pid;
};

struct node {
	char path[40];
	bool render;
	int adapter;		/* index of the adapter, for messages */
	char sysid[256];
	struct drm_dxgkcompat_adapter_info info;
	bool engine;		/* dxgk_edu: a (slow) copy engine */
	bool translated;	/* IOMMU translates: no placement needed */
};

/* One object a process made, as its threads know it (struct proc.mu). */
struct ent {
	bool used;
	bool closed;		/* handle gone: GEM_CLOSE or file reopened */
	bool excl;		/* a thread writes its bytes */
	bool stale_counted;	/* closed while busy: in slot.stale_busy */
	int busy;		/* threads using it */
	int slot;
	uint64_t serial;
	uint32_t handle, type, cache, pprot;
	uint64_t size, npages;
};

/* A DRM file of the process, shared by its threads. */
struct slot {
	int fd;			/* stays this number: reopen dup2()s over it */
	int node;
	uint32_t gen;
	unsigned int stale_busy;	/* closed entries still in use */
	uint64_t alias_epoch;		/* bumped when a busy entry is closed */
	pthread_rwlock_t fdlock;	/* create/close (rd) vs reopen (wr) */
};

enum { R_IDLE, R_GO, R_DONE, R_STOP };

/* The race's closer thread (Y) and what it is to do. */
struct racer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int state;
	int fd;
	uint32_t victim[2];
	int nvictim;
	uint64_t delay_ns;
	int ret[2];
	int ready;
};

static struct proc {
	int idx;
	pthread_mutex_t mu;
	struct slot slots[MAX_NODES];
	int nslots;
	struct ent ents[MAX_ENTS];
	uint64_t serial;
	uint64_t live_bytes;
	int edu_busy;
	int fails_printed;
	int stop;
	int race_node;
	struct racer racer;
} P;

struct th {
	int tid;		/* 0..M-1 churn threads, M the race */
	uint64_t s[4];
	uint8_t *buf;		/* TOUCH_MAX bytes */
};

/* What a thread holds while it uses an entry. */
struct use {
	int ei;
	struct ent e;		/* copy taken at pick */
	int fd;
	bool excl;
	uint64_t epoch0;
	bool stale0;
};

enum { USE_ANY, USE_TRY_EXCL, USE_NEED_EXCL };

static struct {
	unsigned int procs, threads;
	double time;
	uint64_t seed;
	long uid;
	int node;		/* 1 render, 2 primary, 3 both */
} opt = { 4, 4, 30.0, 0, -1, 3 };

static uint64_t PG;
static struct node g_nodes[MAX_NODES];
static int g_nnodes, g_nadapters;
static struct shproc *g_sh;
static uint64_t g_t0_ns, g_deadline_ns;
static pid_t g_pids[MAX_PROCS];
static int g_in_proc;
static const uint8_t zeros[TOUCH_MAX];

/* ---- small helpers ------------------------------------------------------ */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_init(struct th *t, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		t->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(struct th *t)
{
	uint64_t *s = t->s, r = rotl(s[1] * 5, 7) * 9, x = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= x;
	s[3] = rotl(s[3], 45);
	return r;
}

static uint64_t below(struct th *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

/* uniform in [lo, hi] */
static uint64_t range(struct th *t, uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + below(t, hi - lo + 1);
}

static bool chance(struct th *t, unsigned int pct)
{
	return below(t, 100) < pct;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t round_up(uint64_t v)
{
	return (v + PG - 1) & ~(PG - 1);
}

static void stat_add(int k, uint64_t n)
{
	if (g_in_proc)
		__atomic_add_fetch(&g_sh[P.idx].c[k], n, __ATOMIC_RELAXED);
}

static bool stopping(void)
{
	return __atomic_load_n(&P.stop, __ATOMIC_RELAXED) ||
	       now_ns() >= g_deadline_ns;
}

static void out(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	/* one write() a line: the processes share stdout */
	if (write(1, line, (size_t)n) < 0)
		return;
}

static const char *type_str(uint32_t type, uint32_t pprot)
{
	if (type == DRM_DXGKCOMPAT_PMO_MDL)
		return "mdl";
	return pprot == PAGE_READONLY ? "section-ro" : "section";
}

static const char *cache_str(uint32_t c)
{
	return c == DRM_DXGKCOMPAT_CACHED ? "cached" :
	       c == DRM_DXGKCOMPAT_WRITE_COMBINED ? "wc" : "uc";
}

static void failf(struct th *t, const char *fmt, ...)
{
	char msg[700];
	va_list ap;
	uint64_t n;

	stat_add(K_FAILURES, 1);
	n = g_in_proc ? __atomic_load_n(&g_sh[P.idx].c[K_FAILURES],
					 __ATOMIC_RELAXED) : 1;
	if (n >= STOP_FAILS)
		__atomic_store_n(&P.stop, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_add(&P.fails_printed, 1, __ATOMIC_RELAXED) >=
	    MAX_FAIL_MSGS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	out("churn: FAIL proc %d pid %d thread %d: %s\n", P.idx, (int)getpid(),
	    t ? t->tid : -1, msg);
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r, tries = 0;

	do
		r = ioctl(fd, cmd, arg);
	while (r == -1 && (errno == EINTR || errno == EAGAIN) && ++tries < 1000);
	return r ? -errno : 0;
}

/* A dxgkcompat ioctl: 0 iff ntstatus is STATUS_SUCCESS. */
static int dxio(struct th *t, int fd, unsigned long cmd, void *arg,
		const uint32_t *nts, const char *what)
{
	int ret = xioctl(fd, cmd, arg);

	if (!ret && *nts)
		failf(t, "%s: success with ntstatus %#x", what, *nts);
	else if (ret && !*nts)
		failf(t, "%s: %s with ntstatus 0 (STATUS_SUCCESS)", what,
		      strerror(-ret));
	return ret;
}

static int gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &c);
}

static void barrier(void)
{
	__asm__ __volatile__("" ::: "memory");
}

/* ---- data patterns ---------------------------------------------------- */

static inline uint64_t pat_word(uint64_t key, uint64_t w)
{
	uint64_t v = (w + 1) * 0x9e3779b97f4a7c15ull ^ key;

	v ^= v >> 31;
	v *= 0xbf58476d1ce4e5b9ull;
	return v ^ (v >> 29);
}

static inline uint8_t pat_byte(uint64_t key, uint64_t off)
{
	return (uint8_t)(pat_word(key, off >> 3) >> ((off & 7) * 8));
}

/* buf[i] = the pattern byte of @key at object offset off + i */
static void pat_fill(uint8_t *buf, uint64_t key, uint64_t off, size_t len)
{
	size_t i = 0;

	for (; i < len && ((off + i) & 7); i++)
		buf[i] = pat_byte(key, off + i);
	for (; i + 8 <= len; i += 8) {
		uint64_t w = pat_word(key, (off + i) >> 3);

		for (int b = 0; b < 8; b++)
			buf[i + b] = (uint8_t)(w >> (b * 8));
	}
	for (; i < len; i++)
		buf[i] = pat_byte(key, off + i);
}

/* index of the first byte where @p and @q differ, or -1 */
static long first_diff(const volatile uint8_t *p, const uint8_t *q, size_t len)
{
	barrier();
	if (!memcmp((const void *)p, q, len))
		return -1;
	for (size_t i = 0; i < len; i++)
		if (p[i] != q[i])
			return (long)i;
	return -1;
}

/* ---- the entry table -------------------------------------------------- */

static bool ent_writable(const struct ent *e)
{
	return !(e->type == DRM_DXGKCOMPAT_PMO_SECTION && e->pprot == PAGE_READONLY);
}

static uint64_t touch_cap(const struct ent *e)
{
	return e->cache == DRM_DXGKCOMPAT_NON_CACHED ? TOUCH_MAX_UC : TOUCH_MAX;
}

static void ent_free_locked(struct ent *e)
{
	if (e->stale_counted)
		P.slots[e->slot].stale_busy--;
	e->used = false;
}

/* The entry's handle is gone (or about to go); P.mu held. */
static void ent_close_locked(struct ent *e)
{
	struct slot *s = &P.slots[e->slot];

	e->closed = true;
	P.live_bytes -= e->npages * PG;
	if (e->busy) {
		e->stale_counted = true;
		s->stale_busy++;
		s->alias_epoch++;
	} else {
		ent_free_locked(e);
	}
}

static int ents_live_locked(void)
{
	int n = 0;

	for (int i = 0; i < MAX_ENTS; i++)
		n += P.ents[i].used && !P.ents[i].closed;
	return n;
}

/*
 * Picks a live entry at random (on @slot unless -1, not @not) and marks it
 * busy; with USE_TRY_EXCL/USE_NEED_EXCL exclusive for writing its bytes.
 */
static bool use_pick(struct th *t, struct use *u, int slot, int not, int mode)
{
	int cand[MAX_ENTS], n = 0, i;
	struct ent *e;

	pthread_mutex_lock(&P.mu);
	for (i = 0; i < MAX_ENTS; i++) {
		e = &P.ents[i];
		if (!e->used || e->closed || i == not ||
		    (slot >= 0 && e->slot != slot) ||
		    (mode == USE_NEED_EXCL && e->excl))
			continue;
		cand[n++] = i;
	}
	if (!n) {
		pthread_mutex_unlock(&P.mu);
		return false;
	}
	i = cand[below(t, (uint64_t)n)];
	e = &P.ents[i];
	e->busy++;
	u->ei = i;
	u->e = *e;
	u->fd = P.slots[e->slot].fd;
	u->excl = false;
	if (mode != USE_ANY && !e->excl)
		u->excl = e->excl = true;
	u->epoch0 = P.slots[e->slot].alias_epoch;
	u->stale0 = P.slots[e->slot].stale_busy != 0;
	pthread_mutex_unlock(&P.mu);
	return true;
}

/*
 * Nothing could have reached this object through a stale handle number
 * since the pick: the entry is not closed and no busy entry of its file
 * was closed (its users might have reached a newer object by number).
 */
static bool use_clean(const struct use *u)
{
	const struct slot *s = &P.slots[u->e.slot];
	bool clean;

	pthread_mutex_lock(&P.mu);
	clean = !P.ents[u->ei].closed && !u->stale0 &&
		s->alias_epoch == u->epoch0 && !s->stale_busy;
	pthread_mutex_unlock(&P.mu);
	return clean;
}

static bool use_closed(const struct use *u)
{
	bool closed;

	pthread_mutex_lock(&P.mu);
	closed = P.ents[u->ei].closed;
	pthread_mutex_unlock(&P.mu);
	return closed;
}

static void use_drop(struct use *u)
{
	struct ent *e = &P.ents[u->ei];

	pthread_mutex_lock(&P.mu);
	e->busy--;
	if (u->excl)
		e->excl = false;
	if (e->closed && !e->busy)
		ent_free_locked(e);
	pthread_mutex_unlock(&P.mu);
}

/*
 * An error of an operation on @u's handle: ENOMEM/ENOSPC are counted;
 * ENOENT and EACCES are allowed once the handle went, EINVAL once it
 * went or may have been reused; anything else fails.
 */
static void judge_err(struct th *t, const struct use *u, int ret,
		      const char *what)
{
	if (ret == -ENOMEM) {
		stat_add(K_ENOMEM, 1);
		return;
	}
	if (ret == -ENOSPC) {
		stat_add(K_ENOSPC, 1);
		return;
	}
	if (((ret == -ENOENT || ret == -EACCES) && use_closed(u)) ||
	    (ret == -EINVAL && !use_clean(u))) {
		stat_add(K_STALE, 1);
		return;
	}
	failf(t, "%s on handle %u (%s %s, %" PRIu64 " bytes, %s): %s", what,
	      u->e.handle, type_str(u->e.type, u->e.pprot),
	      cache_str(u->e.cache), u->e.size,
	      g_nodes[P.slots[u->e.slot].node].path, strerror(-ret));
}

/* A data mismatch: a failure unless a stale handle may have caused it. */
static void judge_data(struct th *t, const struct use *u, const struct use *u2,
		       long bad, const char *what, uint64_t objoff,
		       unsigned int got, unsigned int want)
{
	if (bad < 0) {
		if (use_clean(u) && (!u2 || use_clean(u2)))
			stat_add(K_VERIFIED, 1);
		else
			stat_add(K_UNVERIFIED, 1);
		return;
	}
	if (!use_clean(u) || (u2 && !use_clean(u2))) {
		stat_add(K_UNVERIFIED, 1);
		return;
	}
	failf(t, "%s: handle %u (%s %s, %" PRIu64 " bytes) byte %#" PRIx64
	      " is %#x, expected %#x", what, u->e.handle,
	      type_str(u->e.type, u->e.pprot), cache_str(u->e.cache), u->e.size,
	      objoff + (uint64_t)bad, got, want);
}

/*
 * Touch [p, p + len), object offset @objoff, of a mapping of @u's object:
 * an exclusive user writes a pattern and reads it back, a read-only
 * section must read as zeros, others read a byte at each end.
 */
static void touch(struct th *t, const struct use *u, volatile uint8_t *p,
		  size_t len, uint64_t objoff, bool map_writable, const char *how)
{
	long bad;

	if (!len)
		return;
	if (!ent_writable(&u->e)) {
		bad = first_diff(p, zeros, len);
		judge_data(t, u, NULL, bad, how, objoff, bad >= 0 ? p[bad] : 0, 0);
	} else if (u->excl && map_writable) {
		uint64_t key = rnd(t);

		pat_fill(t->buf, key, objoff, len);
		memcpy((void *)p, t->buf, len);
		barrier();
		bad = first_diff(p, t->buf, len);
		judge_data(t, u, NULL, bad, how, objoff, bad >= 0 ? p[bad] : 0,
			   bad >= 0 ? t->buf[bad] : 0);
	} else {
		(void)p[0];
		(void)p[len - 1];
	}
}

/* ---- operations ----------------------------------------------------------- */

static uint64_t pick_size(struct th *t, uint64_t lo, uint64_t hi)
{
	/* small ones most often */
	if (chance(t, 50))
		hi = min64(hi, 16384);
	return range(t, lo, hi);
}

static void fill_create(struct th *t, const struct node *nd,
			struct drm_dxgkcompat_pmo_create *c, uint64_t size,
			bool race, bool window)
{
	/* a copy engine without translation reaches what its DMA mask covers */
	bool reach = window && nd->engine && !nd->translated &&
		     (race || chance(t, 50));

	memset(c, 0, sizeof(*c));
	c->size = size;
	if (reach || chance(t, 70)) {
		uint64_t v = below(t, 100);

		c->type = DRM_DXGKCOMPAT_PMO_MDL;
		c->cache_type = v < 50 ? DRM_DXGKCOMPAT_CACHED :
				v < 75 || race ? DRM_DXGKCOMPAT_WRITE_COMBINED :
				DRM_DXGKCOMPAT_NON_CACHED;
		c->high_address = reach ? nd->info.dma_mask : MAX_PHYS;
	} else {
		c->type = DRM_DXGKCOMPAT_PMO_SECTION;
		c->cache_type = chance(t, 60) ? DRM_DXGKCOMPAT_CACHED :
			       DRM_DXGKCOMPAT_WRITE_COMBINED;
		c->page_protection = !race && chance(t, 10) ? PAGE_READONLY :
				     PAGE_READWRITE;
	}
}

static void op_close(struct th *t);

static void op_create(struct th *t)
{
	struct drm_dxgkcompat_pmo_create c;
	int si = (int)below(t, (uint64_t)P.nslots), ret, ei = -1;
	struct slot *s = &P.slots[si];
	const struct node *nd = &g_nodes[s->node];
	uint64_t epoch0;
	bool stale0, full;

	pthread_mutex_lock(&P.mu);
	full = ents_live_locked() >= MAX_ENTS - 4 || P.live_bytes >= PROC_BYTE_CAP;
	pthread_mutex_unlock(&P.mu);
	if (full) {
		op_close(t);
		return;
	}
	fill_create(t, nd, &c, pick_size(t, OBJ_MIN, OBJ_MAX), false, true);

	pthread_rwlock_rdlock(&s->fdlock);
	pthread_mutex_lock(&P.mu);
	epoch0 = s->alias_epoch;
	stale0 = s->stale_busy != 0;
	pthread_mutex_unlock(&P.mu);
	ret = dxio(t, s->fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c, &c.ntstatus,
		   "PMO_CREATE");
	if (ret) {
		pthread_rwlock_unlock(&s->fdlock);
		if (ret == -ENOMEM)
			stat_add(K_ENOMEM, 1);
		else if (ret == -ENOSPC)
			stat_add(K_ENOSPC, 1);
		else
			failf(t, "PMO_CREATE %s %s %" PRIu64 " bytes high %#" PRIx64
			      " on %s: %s ntstatus %#x",
			      type_str(c.type, c.page_protection),
			      cache_str(c.cache_type), (uint64_t)c.size,
			      (uint64_t)c.high_address, nd->path, strerror(-ret),
			      c.ntstatus);
		return;
	}
	stat_add(K_CREATES, 1);

	/* A new object reads as zeros (nobody else knows its handle yet). */
	if (chance(t, 15)) {
		struct drm_dxgkcompat_pmo_mmap_offset mo = { .handle = c.handle };
		uint64_t len = min64(round_up(c.size),
				     c.cache_type == DRM_DXGKCOMPAT_NON_CACHED ?
				     TOUCH_MAX_UC : 16384);
		void *p = MAP_FAILED;

		ret = dxio(t, s->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo,
			   &mo.ntstatus, "PMO_MMAP_OFFSET");
		if (!ret)
			p = mmap(NULL, len, PROT_READ, MAP_SHARED, s->fd,
				 (off_t)mo.offset);
		if (ret)
			failf(t, "PMO_MMAP_OFFSET of a new object: %s",
			      strerror(-ret));
		else if (p == MAP_FAILED && errno != ENOMEM)
			failf(t, "mmap of a new object: %s", strerror(errno));
		if (p != MAP_FAILED) {
			long bad = first_diff(p, zeros, len);
			bool clean;

			pthread_mutex_lock(&P.mu);
			clean = !stale0 && s->alias_epoch == epoch0 &&
				!s->stale_busy;
			pthread_mutex_unlock(&P.mu);
			if (bad >= 0 && clean)
				failf(t, "new %s %s object of %" PRIu64 " bytes: "
				      "byte %#lx is %#x, not zero",
				      type_str(c.type, c.page_protection),
				      cache_str(c.cache_type), (uint64_t)c.size,
				      bad, ((uint8_t *)p)[bad]);
			munmap(p, len);
		}
	}

	pthread_mutex_lock(&P.mu);
	for (int i = 0; i < MAX_ENTS && ei < 0; i++)
		if (!P.ents[i].used)
			ei = i;
	if (ei >= 0) {
		P.ents[ei] = (struct ent){
			.used = true, .slot = si, .serial = ++P.serial,
			.handle = c.handle, .type = c.type,
			.cache = c.cache_type, .pprot = c.page_protection,
			.size = c.size, .npages = round_up(c.size) / PG,
		};
		P.live_bytes += P.ents[ei].npages * PG;
	}
	pthread_mutex_unlock(&P.mu);
	/* No room: close it at once (nobody else knows the handle). */
	if (ei < 0 && (ret = gem_close(s->fd, c.handle)))
		failf(t, "GEM_CLOSE of a new handle %u: %s", c.handle,
		      strerror(-ret));
	pthread_rwlock_unlock(&s->fdlock);
}

/* GEM_CLOSE of a random handle: possibly one another thread is using. */
static void op_close(struct th *t)
{
	int cand[MAX_ENTS], n = 0, i, ret;
	uint64_t serial;
	uint32_t handle;
	struct slot *s;
	struct ent *e;

	pthread_mutex_lock(&P.mu);
	for (i = 0; i < MAX_ENTS; i++)
		if (P.ents[i].used && !P.ents[i].closed)
			cand[n++] = i;
	if (!n) {
		pthread_mutex_unlock(&P.mu);
		return;
	}
	i = cand[below(t, (uint64_t)n)];
	serial = P.ents[i].serial;
	s = &P.slots[P.ents[i].slot];
	pthread_mutex_unlock(&P.mu);

	pthread_rwlock_rdlock(&s->fdlock);
	pthread_mutex_lock(&P.mu);
	e = &P.ents[i];
	if (!e->used || e->closed || e->serial != serial) {
		pthread_mutex_unlock(&P.mu);
		pthread_rwlock_unlock(&s->fdlock);
		return;
	}
	handle = e->handle;
	ent_close_locked(e);
	pthread_mutex_unlock(&P.mu);
	ret = gem_close(s->fd, handle);
	pthread_rwlock_unlock(&s->fdlock);
	if (ret)
		failf(t, "GEM_CLOSE of live handle %u on %s: %s", handle,
		      g_nodes[s->node].path, strerror(-ret));
	else
		stat_add(K_CLOSES, 1);
}

/* PMO_MAP, write and read back, PMO_UNMAP. */
static void op_map(struct th *t)
{
	struct drm_dxgkcompat_pmo_map m = { 0 };
	struct drm_dxgkcompat_pmo_unmap um = { 0 };
	struct use u;
	uint64_t off, len, first, want;
	int ret;

	if (!use_pick(t, &u, -1, -1, USE_TRY_EXCL)) {
		op_create(t);
		return;
	}
	off = below(t, u.e.size);
	len = range(t, 1, min64(u.e.size - off, touch_cap(&u.e)));
	m.handle = u.e.handle;
	m.offset = off;
	m.size = len;
	ret = dxio(t, u.fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m, &m.ntstatus,
		   "PMO_MAP");
	if (ret) {
		judge_err(t, &u, ret, "PMO_MAP");
		use_drop(&u);
		return;
	}
	stat_add(K_MAPS, 1);
	first = off / PG;
	want = round_up(off + len) - first * PG;
	if (m.address % PG || m.offset != off % PG || m.size != want) {
		failf(t, "PMO_MAP of [%#" PRIx64 ", +%#" PRIx64 ") gave address %#llx "
		      "offset %#llx size %#llx, expected offset %#" PRIx64
		      " size %#" PRIx64, off, len, (unsigned long long)m.address,
		      (unsigned long long)m.offset, (unsigned long long)m.size,
		      off % PG, want);
	} else {
		/*
		 * PMO_MAP maps with what the object allows: a handle number
		 * reused by a read-only section would give a read-only
		 * mapping. Not closed yet, the handle was ours during the
		 * ioctl (entries are marked closed before GEM_CLOSE).
		 */
		bool ours = !use_closed(&u);

		touch(t, &u, (volatile uint8_t *)(uintptr_t)(m.address + m.offset),
		      len, off, ent_writable(&u.e) && ours, "PMO_MAP mapping");
	}
	um.handle = u.e.handle;
	um.address = m.address;
	um.size = m.size;
	ret = dxio(t, u.fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &um, &um.ntstatus,
		   "PMO_UNMAP");
	if (ret) {
		judge_err(t, &u, ret, "PMO_UNMAP");
		/* our mapping: nobody else unmaps it */
		munmap((void *)(uintptr_t)m.address, m.size);
	}
	use_drop(&u);
}

/* A mapping of the GEM offset of [off, off + n) (pages) made for a use. */
struct tmap {
	uint8_t *base;
	size_t len;
	uint8_t *p;		/* object byte off */
};

static bool tmap_get(struct th *t, const struct use *u, uint64_t off,
		     uint64_t n, int prot, struct tmap *m)
{
	struct drm_dxgkcompat_pmo_mmap_offset mo = { .handle = u->e.handle };
	uint64_t first = off / PG, last = (off + n - 1) / PG;
	void *p;
	int ret;

	m->base = NULL;
	ret = dxio(t, u->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo,
		   &mo.ntstatus, "PMO_MMAP_OFFSET");
	if (ret) {
		judge_err(t, u, ret, "PMO_MMAP_OFFSET");
		return false;
	}
	m->len = (last - first + 1) * PG;
	p = mmap(NULL, m->len, prot, MAP_SHARED, u->fd,
		 (off_t)(mo.offset + first * PG));
	if (p == MAP_FAILED) {
		judge_err(t, u, -errno, "mmap of the GEM offset");
		return false;
	}
	m->base = p;
	m->p = m->base + (off - first * PG);
	return true;
}

static void tmap_put(struct tmap *m)
{
	if (m->base)
		munmap(m->base, m->len);
	m->base = NULL;
}

/* mmap() of (part of) the GEM offset, touch, munmap. */
static void op_mmap(struct th *t)
{
	struct use u;
	struct tmap m;
	uint64_t first, n, off, len;
	int prot;

	if (!use_pick(t, &u, -1, -1, USE_TRY_EXCL)) {
		op_create(t);
		return;
	}
	prot = ent_writable(&u.e) ? PROT_READ | PROT_WRITE : PROT_READ;
	/* A read-only section refuses a writable mapping. */
	if (!ent_writable(&u.e) && chance(t, 20)) {
		struct drm_dxgkcompat_pmo_mmap_offset mo = { .handle = u.e.handle };
		int ret = dxio(t, u.fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo,
			       &mo.ntstatus, "PMO_MMAP_OFFSET");
		void *p;

		if (ret) {
			judge_err(t, &u, ret, "PMO_MMAP_OFFSET");
		} else {
			p = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED,
				 u.fd, (off_t)mo.offset);
			if (p == MAP_FAILED && errno == EACCES) {
				stat_add(K_DENIED, 1);
			} else if (p == MAP_FAILED) {
				judge_err(t, &u, -errno, "writable mmap of a "
					  "read-only section");
			} else {
				if (use_clean(&u))
					failf(t, "writable mmap of read-only "
					      "section handle %u succeeded",
					      u.e.handle);
				munmap(p, PG);
			}
		}
		use_drop(&u);
		return;
	}
	first = below(t, u.e.npages);
	n = range(t, 1, min64(u.e.npages - first, touch_cap(&u.e) / PG));
	off = first * PG;
	if (tmap_get(t, &u, off, n * PG, prot, &m)) {
		stat_add(K_MMAPS, 1);
		len = min64(n * PG, u.e.size > off ? u.e.size - off : 0);
		touch(t, &u, m.p, len, off, prot & PROT_WRITE, "gem mmap");
		tmap_put(&m);
	}
	use_drop(&u);
}

/* PRIME export, sometimes mmap of the dma-buf and a touch, close. */
static void op_export(struct th *t)
{
	struct drm_prime_handle ph = { .fd = -1 };
	struct dma_buf_sync sync;
	struct use u;
	bool w;
	int ret, prot;

	if (!use_pick(t, &u, -1, -1, USE_TRY_EXCL)) {
		op_create(t);
		return;
	}
	w = ent_writable(&u.e);
	ph.handle = u.e.handle;
	/*
	 * Always DRM_RDWR: an object has one dma-buf, with the mode of its
	 * first export, which a stale handle number could otherwise fix for
	 * a newer object. Read-only sections refuse writable mmap()s anyway.
	 */
	ph.flags = DRM_CLOEXEC | DRM_RDWR;
	ret = xioctl(u.fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph);
	if (ret) {
		judge_err(t, &u, ret, "PRIME_HANDLE_TO_FD");
		use_drop(&u);
		return;
	}
	stat_add(K_EXPORTS, 1);
	if (chance(t, 60)) {
		uint64_t n = min64(u.e.npages, touch_cap(&u.e) / PG);
		void *p;

		prot = w ? PROT_READ | PROT_WRITE : PROT_READ;
		p = mmap(NULL, n * PG, prot, MAP_SHARED, ph.fd, 0);
		if (p == MAP_FAILED) {
			judge_err(t, &u, -errno, "mmap of a dma-buf");
		} else {
			stat_add(K_DBMAPS, 1);
			sync.flags = DMA_BUF_SYNC_START |
				     (w ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ);
			if ((ret = xioctl(ph.fd, DMA_BUF_IOCTL_SYNC, &sync)))
				failf(t, "DMA_BUF_IOCTL_SYNC start: %s",
				      strerror(-ret));
			touch(t, &u, p, min64(n * PG, u.e.size), 0, w,
			      "dma-buf mmap");
			sync.flags = DMA_BUF_SYNC_END |
				     (w ? DMA_BUF_SYNC_RW : DMA_BUF_SYNC_READ);
			if ((ret = xioctl(ph.fd, DMA_BUF_IOCTL_SYNC, &sync)))
				failf(t, "DMA_BUF_IOCTL_SYNC end: %s",
				      strerror(-ret));
			munmap(p, n * PG);
		}
	}
	close(ph.fd);
	use_drop(&u);
}

static void op_map_or_create(struct th *t);

/* COPY between two objects (or two ranges of one) of one file. */
static void op_copy(struct th *t)
{
	struct drm_dxgkcompat_copy c = { 0 };
	struct tmap sm = { 0 }, dm = { 0 };
	struct use d, s;
	const struct ent *se;
	const struct node *nd;
	bool same, engine, verify, sw;
	uint64_t max, n, soff, doff;
	int ret;

	if (!use_pick(t, &d, -1, -1, USE_NEED_EXCL)) {
		op_map_or_create(t);
		return;
	}
	nd = &g_nodes[P.slots[d.e.slot].node];
	engine = nd->engine;
	if (engine && __atomic_fetch_add(&P.edu_busy, 1, __ATOMIC_ACQ_REL) >=
	    EDU_INFLIGHT) {
		/* another thread of this process is on the slow engine */
		__atomic_sub_fetch(&P.edu_busy, 1, __ATOMIC_ACQ_REL);
		stat_add(K_EDU_BUSY, 1);
		use_drop(&d);
		op_map_or_create(t);
		return;
	}
	same = chance(t, 15) || d.e.size < 2 ||
	       !use_pick(t, &s, d.e.slot, d.ei, USE_TRY_EXCL);
	if (same && d.e.size < 2) {
		use_drop(&d);
		goto out_engine;
	}
	se = same ? &d.e : &s.e;
	max = engine ? (chance(t, 70) ? 4096 : EDU_COPY_MAX) : COPY_MAX;
	if (same) {
		/* two disjoint ranges of one object */
		n = range(t, 1, min64(max, d.e.size / 2));
		soff = below(t, d.e.size - 2 * n + 1);
		doff = soff + n + below(t, d.e.size - 2 * n - soff + 1);
		if (chance(t, 50)) {
			uint64_t x = soff;

			soff = doff;
			doff = x;
		}
	} else {
		n = range(t, 1, min64(max, min64(se->size, d.e.size)));
		soff = below(t, se->size - n + 1);
		doff = below(t, d.e.size - n + 1);
	}
	sw = ent_writable(se);
	verify = engine && ent_writable(&d.e) && (same || s.excl || !sw) &&
		 chance(t, 75);
	if (verify && (!tmap_get(t, same ? &d : &s, soff, n,
				 sw ? PROT_READ | PROT_WRITE : PROT_READ, &sm) ||
		       !tmap_get(t, &d, doff, n, PROT_READ | PROT_WRITE, &dm)))
		verify = false;
	if (verify && sw) {
		pat_fill(t->buf, rnd(t), soff, n);
		memcpy(sm.p, t->buf, n);
		barrier();
	} else if (verify) {
		memset(t->buf, 0, n);	/* a read-only section: zeros */
	}

	c.src_handle = se->handle;
	c.dst_handle = d.e.handle;
	c.src_offset = soff;
	c.dst_offset = doff;
	c.size = n;
	ret = dxio(t, d.fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c, &c.ntstatus, "COPY");
	if (!ret) {
		stat_add(K_COPIES, 1);
		if (!ent_writable(&d.e) && use_clean(&d))
			failf(t, "COPY into read-only section handle %u succeeded",
			      d.e.handle);
		if (verify) {
			long bad = first_diff(dm.p, t->buf, n);

			judge_data(t, &d, same ? NULL : &s, bad, "COPY destination",
				   doff, bad >= 0 ? dm.p[bad] : 0,
				   bad >= 0 ? t->buf[bad] : 0);
		}
	} else if (ret == -EOPNOTSUPP && !engine) {
		stat_add(K_NOCOPY, 1);
	} else if (ret == -EACCES && !ent_writable(&d.e)) {
		stat_add(K_DENIED, 1);
	} else if (ret == -ENOENT || ret == -EACCES || ret == -EINVAL) {
		/* one of the two handles went (or was reused) */
		bool closed = use_closed(&d) || (!same && use_closed(&s));
		bool clean = use_clean(&d) && (same || use_clean(&s));

		if ((ret != -EINVAL && closed) || (ret == -EINVAL && !clean))
			stat_add(K_STALE, 1);
		else
			judge_err(t, &d, ret, "COPY");
	} else {
		judge_err(t, &d, ret, "COPY");
	}
	tmap_put(&sm);
	tmap_put(&dm);
	if (!same)
		use_drop(&s);
	use_drop(&d);
out_engine:
	if (engine)
		__atomic_sub_fetch(&P.edu_busy, 1, __ATOMIC_ACQ_REL);
}

static void op_map_or_create(struct th *t)
{
	if (chance(t, 50))
		op_map(t);
	else
		op_create(t);
}

static void op_info(struct th *t)
{
	struct drm_dxgkcompat_adapter_info i = { 0 };
	const struct slot *s = &P.slots[below(t, (uint64_t)P.nslots)];
	const struct node *nd = &g_nodes[s->node];
	int ret = dxio(t, s->fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &i,
		       &i.ntstatus, "GET_ADAPTER_INFO");

	if (ret)
		failf(t, "GET_ADAPTER_INFO on %s: %s", nd->path, strerror(-ret));
	else if (strncmp(i.miniport_name, nd->info.miniport_name,
			 sizeof(i.miniport_name)) ||
		 i.iommu_mode != nd->info.iommu_mode ||
		 i.dma_mask != nd->info.dma_mask)
		failf(t, "GET_ADAPTER_INFO on %s changed since the start", nd->path);
	else
		stat_add(K_INFOS, 1);
}

/* Close and reopen one of the process's files, with its handles in use. */
static void op_reopen(struct th *t)
{
	struct slot *s = &P.slots[below(t, (uint64_t)P.nslots)];
	const struct node *nd = &g_nodes[s->node];
	int fd = open(nd->path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		failf(t, "reopen %s: %s", nd->path, strerror(errno));
		return;
	}
	pthread_rwlock_wrlock(&s->fdlock);
	pthread_mutex_lock(&P.mu);
	for (int i = 0; i < MAX_ENTS; i++) {
		struct ent *e = &P.ents[i];

		if (e->used && !e->closed && &P.slots[e->slot] == s)
			ent_close_locked(e);
	}
	s->gen++;
	pthread_mutex_unlock(&P.mu);
	/* atomic for the other threads: the number never dangles */
	if (dup2(fd, s->fd) < 0)
		failf(t, "dup2 over %s: %s", nd->path, strerror(errno));
	else
		stat_add(K_REOPENS, 1);
	pthread_rwlock_unlock(&s->fdlock);
	close(fd);
}

/*
 * The fork child: the parent's files are shared with it. It opens a file
 * of its own, creates, mmaps, PMO_MAPs and exports an object, and exits
 * with all of it live. Only async-signal-safe calls: the parent has
 * threads. Exit status 0, or the step that failed.
 */
static void __attribute__((noreturn)) fork_child(int node)
{
	struct drm_dxgkcompat_pmo_create c = {
		.size = 2 * PG, .type = DRM_DXGKCOMPAT_PMO_MDL,
		.cache_type = DRM_DXGKCOMPAT_CACHED, .high_address = MAX_PHYS,
	};
	struct drm_dxgkcompat_adapter_info info = { 0 };
	struct drm_dxgkcompat_pmo_mmap_offset mo = { 0 };
	struct drm_dxgkcompat_pmo_map m = { 0 };
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1 };
	volatile uint8_t *p;
	int fd, ret;

	alarm(FORK_CHILD_ALARM);
	if (xioctl(P.slots[0].fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &info))
		_exit(20);
	fd = open(g_nodes[node].path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		_exit(21);
	ret = xioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c);
	if (ret == -ENOMEM || ret == -ENOSPC)
		_exit(0);
	if (ret)
		_exit(22);
	mo.handle = c.handle;
	if (xioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo))
		_exit(23);
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)mo.offset);
	if (p == MAP_FAILED)
		_exit(errno == ENOMEM ? 0 : 24);
	p[0] = 0x5a;
	p[2 * PG - 1] = 0xa5;
	m.handle = c.handle;
	m.offset = PG + 7;
	m.size = PG - 7;
	ret = xioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m);
	if (ret == -ENOMEM)
		_exit(0);
	if (ret)
		_exit(25);
	if (((volatile uint8_t *)(uintptr_t)m.address)[PG - 1] != 0xa5)
		_exit(26);
	ph.handle = c.handle;
	if (xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph))
		_exit(27);
	_exit(0);
}

static void op_fork(struct th *t)
{
	int node = P.slots[below(t, (uint64_t)P.nslots)].node, st;
	pid_t pid = fork();

	if (pid < 0) {
		if (errno != EAGAIN && errno != ENOMEM)
			failf(t, "fork: %s", strerror(errno));
		return;
	}
	if (!pid)
		fork_child(node);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		stat_add(K_FORKS, 1);
	else if (WIFEXITED(st))
		failf(t, "fork child (on %s) failed at step %d", g_nodes[node].path,
		      WEXITSTATUS(st));
	else
		failf(t, "fork child (on %s) killed by signal %d",
		      g_nodes[node].path, WTERMSIG(st));
}

static const struct op_desc {
	const char *name;
	void (*fn)(struct th *t);
	unsigned int weight;
} ops[] = {
	{ "create", op_create, 190 },
	{ "map", op_map, 170 },
	{ "mmap", op_mmap, 170 },
	{ "copy", op_copy, 70 },
	{ "export", op_export, 100 },
	{ "close", op_close, 170 },
	{ "info", op_info, 20 },
	{ "reopen", op_reopen, 3 },
	{ "fork", op_fork, 4 },
};

static void *churn_thread(void *arg)
{
	struct th *t = arg;
	unsigned int total = 0;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		total += ops[i].weight;
	while (!stopping()) {
		uint64_t v = below(t, total);
		size_t i = 0;

		while (v >= ops[i].weight)
			v -= ops[i++].weight;
		ops[i].fn(t);
		stat_add(K_OPS, 1);
	}
	return NULL;
}

/* ---- the COPY / GEM_CLOSE race ------------------------------------------ */

static void spin_until(uint64_t t_ns)
{
	while (now_ns() < t_ns)
		;
}

/* Thread Y: GEM_CLOSE of the victims, after the delay, on the race file. */
static void *race_closer(void *arg)
{
	struct racer *r = arg;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->state != R_GO && r->state != R_STOP)
			pthread_cond_wait(&r->cv, &r->mu);
		if (r->state == R_STOP)
			break;
		pthread_mutex_unlock(&r->mu);
		__atomic_store_n(&r->ready, 1, __ATOMIC_RELEASE);
		if (r->delay_ns < 2000000) {
			spin_until(now_ns() + r->delay_ns);
		} else {
			struct timespec ts = {
				.tv_sec = (time_t)(r->delay_ns / 1000000000ull),
				.tv_nsec = (long)(r->delay_ns % 1000000000ull),
			};

			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		}
		for (int i = 0; i < r->nvictim; i++)
			r->ret[i] = gem_close(r->fd, r->victim[i]);
		pthread_mutex_lock(&r->mu);
		r->state = R_DONE;
		pthread_cond_broadcast(&r->cv);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

struct robj {
	uint32_t handle;
	uint64_t size;
	uint8_t *map;
	uint64_t key;
};

static bool race_create(struct th *t, int fd, const struct node *nd,
			struct robj *o)
{
	struct drm_dxgkcompat_pmo_create c;
	uint64_t size = range(t, RACE_OBJ_MIN, RACE_OBJ_MAX);
	int ret;

	fill_create(t, nd, &c, size, true, true);
	ret = dxio(t, fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c, &c.ntstatus,
		   "race PMO_CREATE");
	/*
	 * The DMA mask's window (no translation) is served from the free
	 * lists only for an unprivileged caller: when they have nothing
	 * there, an object anywhere still races the handle lookup (its COPY
	 * then fails with ENOSPC).
	 */
	if (ret == -ENOMEM && c.high_address && c.high_address != MAX_PHYS) {
		stat_add(K_ENOMEM, 1);
		fill_create(t, nd, &c, size, true, false);
		ret = dxio(t, fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c, &c.ntstatus,
			   "race PMO_CREATE");
	}
	if (ret == -ENOMEM || ret == -ENOSPC) {
		stat_add(ret == -ENOMEM ? K_ENOMEM : K_ENOSPC, 1);
		return false;
	}
	if (ret) {
		failf(t, "race PMO_CREATE %s %s %" PRIu64 " bytes on %s: %s",
		      type_str(c.type, c.page_protection),
		      cache_str(c.cache_type), (uint64_t)c.size, nd->path,
		      strerror(-ret));
		return false;
	}
	stat_add(K_CREATES, 1);
	*o = (struct robj){ .handle = c.handle, .size = c.size, .key = rnd(t) };
	return true;
}

static bool race_map(struct th *t, int fd, struct robj *o)
{
	struct drm_dxgkcompat_pmo_mmap_offset mo = { .handle = o->handle };
	void *p;
	int ret = dxio(t, fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo,
		       &mo.ntstatus, "race PMO_MMAP_OFFSET");

	if (ret) {
		failf(t, "race PMO_MMAP_OFFSET of live handle %u: %s", o->handle,
		      strerror(-ret));
		return false;
	}
	p = mmap(NULL, round_up(o->size), PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)mo.offset);
	if (p == MAP_FAILED) {
		if (errno == ENOMEM)
			stat_add(K_ENOMEM, 1);
		else
			failf(t, "race mmap of live handle %u: %s", o->handle,
			      strerror(errno));
		return false;
	}
	o->map = p;
	pat_fill(t->buf, o->key, 0, o->size);
	memcpy(o->map, t->buf, o->size);
	barrier();
	stat_add(K_MMAPS, 1);
	return true;
}

/* Is B's [doff, doff + n) from A's soff (copied) or B's own (not copied)? */
static void race_check(struct th *t, const struct robj *a, const struct robj *b,
		       uint64_t soff, uint64_t doff, uint64_t n, bool copied)
{
	long bad;

	if (copied)
		pat_fill(t->buf, a->key, soff, n);
	else
		pat_fill(t->buf, b->key, doff, n);
	bad = first_diff(b->map + doff, t->buf, n);
	if (bad >= 0) {
		failf(t, "race: COPY %s (%" PRIu64 " bytes, src+%#" PRIx64
		      " -> dst+%#" PRIx64 "): dst byte %#" PRIx64 " is %#x, "
		      "expected %#x", copied ? "returned 0" : "failed with ENOENT",
		      n, soff, doff, doff + (uint64_t)bad, b->map[doff + bad],
		      t->buf[bad]);
		return;
	}
	if (copied && ((doff && b->map[doff - 1] != pat_byte(b->key, doff - 1)) ||
		       (doff + n < b->size &&
			b->map[doff + n] != pat_byte(b->key, doff + n))))
		failf(t, "race: COPY of %" PRIu64 " bytes to dst+%#" PRIx64
		      " wrote outside its range", n, doff);
	else
		stat_add(K_VERIFIED, 1);
}

static void race_once(struct th *t, int fd, const struct node *nd)
{
	struct racer *r = &P.racer;
	struct drm_dxgkcompat_copy c = { 0 };
	struct robj a = { 0 }, b = { 0 };
	bool verify = chance(t, 70), closed_a = false, closed_b = false;
	uint64_t n, soff, doff, v;
	int ret;

	if (!race_create(t, fd, nd, &a)) {
		usleep(20000);
		return;
	}
	if (!race_create(t, fd, nd, &b)) {
		gem_close(fd, a.handle);
		usleep(20000);
		return;
	}
	if (verify && (!race_map(t, fd, &a) || !race_map(t, fd, &b)))
		goto out;

	n = range(t, 1, min64(nd->engine ? (chance(t, 70) ? 4096 : EDU_COPY_MAX) :
			      COPY_MAX, min64(a.size, b.size)));
	soff = below(t, a.size - n + 1);
	doff = below(t, b.size - n + 1);
	v = below(t, 100);
	pthread_mutex_lock(&r->mu);
	r->nvictim = v < 85 ? 1 : 2;
	r->victim[0] = v < 50 ? b.handle : a.handle;
	r->victim[1] = b.handle;
	closed_a = v >= 50;
	closed_b = v < 50 || v >= 85;
	switch (below(t, 3)) {
	case 0:
		r->delay_ns = 0;
		break;
	case 1:
		r->delay_ns = below(t, 300000);
		break;
	default:
		r->delay_ns = nd->engine ? below(t, 250000000) : below(t, 2000000);
		break;
	}
	r->fd = fd;
	r->ready = 0;
	r->state = R_GO;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	while (!__atomic_load_n(&r->ready, __ATOMIC_ACQUIRE))
		sched_yield();

	c.src_handle = a.handle;
	c.dst_handle = b.handle;
	c.src_offset = soff;
	c.dst_offset = doff;
	c.size = n;
	ret = dxio(t, fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c, &c.ntstatus, "race COPY");

	pthread_mutex_lock(&r->mu);
	while (r->state != R_DONE)
		pthread_cond_wait(&r->cv, &r->mu);
	r->state = R_IDLE;
	pthread_mutex_unlock(&r->mu);

	stat_add(K_RACES, 1);
	for (int i = 0; i < r->nvictim; i++)
		if (r->ret[i])
			failf(t, "race: GEM_CLOSE of live handle %u: %s",
			      r->victim[i], strerror(-r->ret[i]));
	if (!ret) {
		stat_add(K_COPIES, 1);
		stat_add(K_RACE_COPIED, 1);
		if (verify)
			race_check(t, &a, &b, soff, doff, n, true);
	} else if (ret == -ENOENT) {
		stat_add(K_RACE_ENOENT, 1);
		if (verify)
			race_check(t, &a, &b, soff, doff, n, false);
	} else if (ret == -EOPNOTSUPP && !nd->engine) {
		stat_add(K_NOCOPY, 1);
		stat_add(K_RACE_OTHER, 1);
	} else if (ret == -ENOSPC || ret == -ENOMEM) {
		stat_add(ret == -ENOSPC ? K_ENOSPC : K_ENOMEM, 1);
		stat_add(K_RACE_OTHER, 1);
	} else {
		failf(t, "race: COPY of %" PRIu64 " bytes while closing %s on %s: "
		      "%s ntstatus %#x", n, r->nvictim == 2 ? "both" :
		      closed_b ? "the destination" : "the source", nd->path,
		      strerror(-ret), c.ntstatus);
	}
out:
	/* the survivors close, the victims are gone */
	if (!closed_a && (ret = gem_close(fd, a.handle)))
		failf(t, "race: GEM_CLOSE of source %u: %s", a.handle,
		      strerror(-ret));
	if (!closed_b && (ret = gem_close(fd, b.handle)))
		failf(t, "race: GEM_CLOSE of destination %u: %s", b.handle,
		      strerror(-ret));
	/* DRM's GEM_CLOSE of an unknown handle: EINVAL */
	if (closed_a && (ret = gem_close(fd, a.handle)) != -EINVAL &&
	    ret != -ENOENT)
		failf(t, "race: second GEM_CLOSE of %u: %s, expected EINVAL",
		      a.handle, ret ? strerror(-ret) : "success");
	if (closed_b && (ret = gem_close(fd, b.handle)) != -EINVAL &&
	    ret != -ENOENT)
		failf(t, "race: second GEM_CLOSE of %u: %s, expected EINVAL",
		      b.handle, ret ? strerror(-ret) : "success");
	if (a.map)
		munmap(a.map, round_up(a.size));
	if (b.map)
		munmap(b.map, round_up(b.size));
	stat_add(K_OPS, 1);
}

/* Thread X: loops over races on a file of its own. */
static void *race_thread(void *arg)
{
	struct th *t = arg;
	const struct node *nd = &g_nodes[P.race_node];
	struct racer *r = &P.racer;
	pthread_t y;
	int fd = open(nd->path, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		failf(t, "race: open %s: %s", nd->path, strerror(errno));
		return NULL;
	}
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->state = R_IDLE;
	if (pthread_create(&y, NULL, race_closer, r)) {
		failf(t, "race: pthread_create failed");
		close(fd);
		return NULL;
	}
	while (!stopping())
		race_once(t, fd, nd);
	pthread_mutex_lock(&r->mu);
	r->state = R_STOP;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(y, NULL);
	close(fd);
	return NULL;
}

/* ---- one churn process ------------------------------------------------ */

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	char buf[160], *p = buf;
	const char *s = sig == SIGBUS ? "SIGBUS" : "SIGSEGV";
	uintptr_t a = (uintptr_t)si->si_addr;

	(void)uc;
	__atomic_add_fetch(&g_sh[P.idx].c[K_FAILURES], 1, __ATOMIC_RELAXED);
	memcpy(p, "churn: FAIL: ", 13);
	p += 13;
	while (*s)
		*p++ = *s++;
	memcpy(p, " at 0x", 6);
	p += 6;
	for (int i = 60; i >= 0; i -= 4)
		*p++ = "0123456789abcdef"[(a >> i) & 15];
	*p++ = '\n';
	if (write(1, buf, (size_t)(p - buf)) < 0)
		_exit(1);
	_exit(1);
}

static void __attribute__((noreturn)) proc_main(int idx)
{
	struct sigaction sa = { 0 };
	pthread_t th[MAX_THREADS + 1];
	struct th *ts[MAX_THREADS + 1];
	int nth = 0, ret;
	uint64_t fails;

	g_in_proc = 1;
	P.idx = idx;
	pthread_mutex_init(&P.mu, NULL);
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	/* a backstop: the parent's watchdog comes first */
	alarm((unsigned int)opt.time + OVERRUN_S + 30);

	for (int i = 0; i < g_nnodes; i++) {
		struct slot *s = &P.slots[P.nslots];
		pthread_rwlockattr_t ra;

		s->fd = open(g_nodes[i].path, O_RDWR | O_CLOEXEC);
		if (s->fd < 0) {
			failf(NULL, "open %s: %s", g_nodes[i].path, strerror(errno));
			continue;
		}
		s->node = i;
		pthread_rwlockattr_init(&ra);
		pthread_rwlockattr_setkind_np(&ra,
			PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&s->fdlock, &ra);
		pthread_rwlockattr_destroy(&ra);
		P.nslots++;
	}
	if (!P.nslots)
		_exit(1);

	for (unsigned int i = 0; i <= opt.threads; i++) {
		struct th *t = calloc(1, sizeof(*t));
		bool race = i == opt.threads;

		if (!t || !(t->buf = malloc(TOUCH_MAX))) {
			failf(NULL, "out of memory");
			break;
		}
		t->tid = (int)i;
		rng_init(t, opt.seed + 1000ull * (uint64_t)idx + i);
		if (pthread_create(&th[nth], NULL, race ? race_thread : churn_thread,
				   t)) {
			failf(NULL, "pthread_create failed");
			free(t->buf);
			free(t);
			break;
		}
		ts[nth++] = t;
	}
	for (int i = 0; i < nth; i++) {
		pthread_join(th[i], NULL);
		free(ts[i]->buf);
		free(ts[i]);
	}

	/* Release everything: the caller compares the driver's counters. */
	for (int i = 0; i < MAX_ENTS; i++) {
		struct ent *e = &P.ents[i];

		if (!e->used || e->closed)
			continue;
		if (e->busy)
			failf(NULL, "handle %u still busy at the end", e->handle);
		if ((ret = gem_close(P.slots[e->slot].fd, e->handle)))
			failf(NULL, "final GEM_CLOSE of live handle %u: %s",
			      e->handle, strerror(-ret));
		e->used = false;
	}
	for (int i = 0; i < P.nslots; i++)
		close(P.slots[i].fd);
	fails = __atomic_load_n(&g_sh[idx].c[K_FAILURES], __ATOMIC_RELAXED);
	_exit(fails ? 1 : 0);
}

/* ---- the parent: discovery, processes, watchdog, report ----------------- */

static bool drv_name(int fd, char *name, size_t len)
{
	struct drm_version v = { 0 };

	v.name = name;
	v.name_len = len - 1;
	memset(name, 0, len);
	if (xioctl(fd, DRM_IOCTL_VERSION, &v))
		return false;
	name[len - 1] = 0;
	return true;
}

static void sysid_of(int fd, char *buf, size_t len)
{
	struct stat st;
	char p[64];

	buf[0] = 0;
	if (fstat(fd, &st))
		return;
	snprintf(p, sizeof(p), "/sys/dev/char/%u:%u/device", major(st.st_rdev),
		 minor(st.st_rdev));
	if (!realpath(p, buf))
		snprintf(buf, len, "rdev %u:%u", major(st.st_rdev),
			 minor(st.st_rdev));
}

static void discover(int *denied)
{
	char path[40], name[64];

	for (int k = 0; k < 128 && g_nnodes < MAX_NODES; k++) {
		bool render = k >= 64;
		struct node *nd = &g_nodes[g_nnodes];
		int fd, a;

		snprintf(path, sizeof(path), render ? "/dev/dri/renderD%d" :
			 "/dev/dri/card%d", render ? 128 + k - 64 : k);
		if (!(opt.node & (render ? 1 : 2)))
			continue;
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			*denied += errno == EACCES || errno == EPERM;
			continue;
		}
		if (!drv_name(fd, name, sizeof(name)) || strcmp(name, "dxgkcompat")) {
			close(fd);
			continue;
		}
		memset(nd, 0, sizeof(*nd));
		if (xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &nd->info)) {
			out("churn: %s: GET_ADAPTER_INFO failed: %s\n", path,
			    strerror(errno));
			close(fd);
			continue;
		}
		snprintf(nd->path, sizeof(nd->path), "%s", path);
		nd->render = render;
		sysid_of(fd, nd->sysid, sizeof(nd->sysid));
		nd->info.miniport_name[sizeof(nd->info.miniport_name) - 1] = 0;
		nd->engine = !strcmp(nd->info.miniport_name, "dxgk_edu");
		nd->translated = nd->info.iommu_mode == DRM_DXGKCOMPAT_IOMMU_TRANSLATED;
		nd->adapter = -1;
		for (a = 0; a < g_nnodes; a++)
			if (!strcmp(g_nodes[a].sysid, nd->sysid))
				nd->adapter = g_nodes[a].adapter;
		if (nd->adapter < 0)
			nd->adapter = g_nadapters++;
		close(fd);
		g_nnodes++;
	}
}

/* The node the races run on: an engine's, a render node if there is one. */
static int race_node(void)
{
	int best = 0, score = -1;

	for (int i = 0; i < g_nnodes; i++) {
		int sc = (g_nodes[i].engine ? 2 : 0) + (g_nodes[i].render ? 1 : 0);

		if (sc > score) {
			score = sc;
			best = i;
		}
	}
	return best;
}

static uint64_t total(int k)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < opt.procs; i++)
		v += __atomic_load_n(&g_sh[i].c[k], __ATOMIC_RELAXED);
	return v;
}

static void kill_procs(void)
{
	for (unsigned int i = 0; i < opt.procs; i++)
		if (g_pids[i] > 0)
			kill(g_pids[i], SIGKILL);
}

static void *watchdog(void *arg)
{
	uint64_t last = total(K_OPS), last_ns = now_ns();

	(void)arg;
	for (;;) {
		uint64_t ops, t;

		sleep(1);
		ops = total(K_OPS);
		t = now_ns();
		if (ops != last) {
			last = ops;
			last_ns = t;
		}
		if (t - last_ns > WATCHDOG_S * 1000000000ull) {
			out("churn: FAIL watchdog: no operation completed for %d s "
			    "(ops=%" PRIu64 ")\n", WATCHDOG_S, ops);
			kill_procs();
			_exit(3);
		}
		if (t > g_deadline_ns + OVERRUN_S * 1000000000ull) {
			out("churn: FAIL watchdog: still running %d s after the "
			    "time budget (ops=%" PRIu64 ")\n", OVERRUN_S, ops);
			kill_procs();
			_exit(3);
		}
	}
	return NULL;
}

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: dxgk_churn [options]\n"
"  --procs N        processes (default 4, max %d)\n"
"  --threads M      churn threads per process (default 4, max %d); each\n"
"                   process also runs the COPY/GEM_CLOSE race (2 threads)\n"
"  --time S         seconds to churn (default 30)\n"
"  --seed N         PRNG seed (default: time based; always printed)\n"
"  --uid N          drop privileges to uid/gid N before opening anything\n"
"  --node WHICH     render | primary | both (default both)\n"
"  --help           this text\n"
"Exit: 0 pass, 1 failure, 2 usage, 3 watchdog, 77 no dxgkcompat device.\n",
		MAX_PROCS, MAX_THREADS);
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && *s && !*end && *s != '-';
}

static int parse_args(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "procs", required_argument, NULL, 'p' },
		{ "threads", required_argument, NULL, 'j' },
		{ "time", required_argument, NULL, 't' },
		{ "seed", required_argument, NULL, 's' },
		{ "uid", required_argument, NULL, 'u' },
		{ "node", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	bool have_seed = false;
	struct timespec ts;
	uint64_t v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!parse_u64(optarg, &v) || !v || v > MAX_PROCS)
				goto bad;
			opt.procs = (unsigned int)v;
			break;
		case 'j':
			if (!parse_u64(optarg, &v) || !v || v > MAX_THREADS)
				goto bad;
			opt.threads = (unsigned int)v;
			break;
		case 't':
			opt.time = strtod(optarg, &end);
			if (*end || !(opt.time > 0) || opt.time > 86400)
				goto bad;
			break;
		case 's':
			if (!parse_u64(optarg, &opt.seed))
				goto bad;
			have_seed = true;
			break;
		case 'u':
			if (!parse_u64(optarg, &v) || v >= 0xffffffffull)
				goto bad;
			opt.uid = (long)v;
			break;
		case 'n':
			if (!strcmp(optarg, "render"))
				opt.node = 1;
			else if (!strcmp(optarg, "primary"))
				opt.node = 2;
			else if (!strcmp(optarg, "both"))
				opt.node = 3;
			else
				goto bad;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind < argc)
		goto bad;
	if (!have_seed) {
		clock_gettime(CLOCK_REALTIME, &ts);
		opt.seed = ((uint64_t)ts.tv_sec * 1000003u) ^
			   (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 20);
	}
	return 0;
bad:
	usage(stderr);
	return 2;
}

static int drop_privileges(void)
{
	uid_t uid = (uid_t)opt.uid;
	gid_t gid = (gid_t)opt.uid;

	if (getuid() == uid && geteuid() == uid)
		return 0;
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid)) {
		out("churn: cannot drop privileges to uid %u: %s\n", (unsigned)uid,
		    strerror(errno));
		return -1;
	}
	if (getuid() != uid || geteuid() != uid || getegid() != gid) {
		out("churn: still uid %u/%u after dropping to %u\n",
		    (unsigned)getuid(), (unsigned)geteuid(), (unsigned)uid);
		return -1;
	}
	return 0;
}

static const char *node_name(void)
{
	return opt.node == 1 ? "render" : opt.node == 2 ? "primary" : "both";
}

int main(int argc, char **argv)
{
	pthread_t wd;
	int denied = 0, st, failed_procs = 0;
	unsigned int left;
	uint64_t failures;
	double t;

	if (parse_args(argc, argv))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	PG = (uint64_t)sysconf(_SC_PAGESIZE);
	if (opt.uid >= 0 && drop_privileges())
		return 2;

	discover(&denied);
	if (!g_nnodes) {
		out("churn: no dxgkcompat device\n");
		if (denied)
			out("churn: (%d /dev/dri nodes could not be opened: "
			    "permission denied)\n", denied);
		return 77;
	}
	P.race_node = race_node();
	out("churn: start: procs=%u threads=%u time=%.1fs seed=%" PRIu64
	    " node=%s uid=%u watchdog=%ds\n", opt.procs, opt.threads, opt.time,
	    opt.seed, node_name(), (unsigned)geteuid(), WATCHDOG_S);
	for (int i = 0; i < g_nnodes; i++)
		out("churn: found %s: adapter %d miniport %s iommu_mode %u "
		    "dma_mask %#llx%s%s\n", g_nodes[i].path, g_nodes[i].adapter,
		    g_nodes[i].info.miniport_name, g_nodes[i].info.iommu_mode,
		    (unsigned long long)g_nodes[i].info.dma_mask,
		    g_nodes[i].engine ? " (copy engine)" : " (no copy engine)",
		    i == P.race_node ? " (races)" : "");

	g_sh = mmap(NULL, sizeof(*g_sh) * opt.procs, PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (g_sh == MAP_FAILED) {
		perror("churn: mmap");
		return 2;
	}
	g_t0_ns = now_ns();
	g_deadline_ns = g_t0_ns + (uint64_t)(opt.time * 1e9);
	for (unsigned int i = 0; i < opt.procs; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("churn: fork");
			kill_procs();
			return 2;
		}
		if (!pid)
			proc_main((int)i);
		g_pids[i] = g_sh[i].pid = pid;
	}
	if (pthread_create(&wd, NULL, watchdog, NULL)) {
		perror("churn: pthread_create");
		kill_procs();
		return 2;
	}

	for (left = opt.procs; left; left--) {
		pid_t pid;
		unsigned int i;

		while ((pid = wait(&st)) < 0 && errno == EINTR)
			;
		if (pid < 0)
			break;
		for (i = 0; i < opt.procs && g_pids[i] != pid; i++)
			;
		if (i == opt.procs)
			continue;
		g_pids[i] = 0;
		if (WIFEXITED(st) && !WEXITSTATUS(st))
			continue;
		failed_procs++;
		if (WIFEXITED(st))
			out("churn: proc %u pid %d exited %d\n", i, (int)pid,
			    WEXITSTATUS(st));
		else
			out("churn: proc %u pid %d killed by signal %d\n", i,
			    (int)pid, WTERMSIG(st));
		/* a process that died without counting its failure */
		if (!__atomic_load_n(&g_sh[i].c[K_FAILURES], __ATOMIC_RELAXED))
			__atomic_store_n(&g_sh[i].c[K_FAILURES], 1,
					 __ATOMIC_RELAXED);
	}
	t = (double)(now_ns() - g_t0_ns) / 1e9;

	for (unsigned int i = 0; i < opt.procs; i++)
		out("churn: proc %u pid %d: ops=%" PRIu64 " races=%" PRIu64
		    " failures=%" PRIu64 "\n", i, (int)g_sh[i].pid,
		    g_sh[i].c[K_OPS], g_sh[i].c[K_RACES], g_sh[i].c[K_FAILURES]);
	for (int k = 0; k < K_NKINDS; k++)
		out("churn: %-13s %10" PRIu64 " %10.1f/s\n", kind_name[k],
		    total(k), t > 0 ? (double)total(k) / t : 0.0);
	failures = total(K_FAILURES);
	out("churn: procs=%u threads=%u time=%.1fs ops=%" PRIu64 " rate=%.0f "
	    "ops/s creates=%" PRIu64 " maps=%" PRIu64 " mmaps=%" PRIu64
	    " copies=%" PRIu64 " exports=%" PRIu64 " closes=%" PRIu64
	    " races=%" PRIu64 " failures=%" PRIu64 "\n", opt.procs, opt.threads,
	    t, total(K_OPS), t > 0 ? (double)total(K_OPS) / t : 0.0,
	    total(K_CREATES), total(K_MAPS), total(K_MMAPS), total(K_COPIES),
	    total(K_EXPORTS), total(K_CLOSES), total(K_RACES), failures);
	return failures || failed_procs ? 1 : 0;
}
