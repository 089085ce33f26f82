// SPDX-License-Identifier: MIT
/*
 * dxgk_fuzz - a structure-aware, seeded, reproducible user-space fuzzer for
 * the dxgkcompat DRM uAPI (include/uapi/drm/dxgkcompat_drm.h).
 *
 * Every random choice comes from one xoshiro256** generator per thread,
 * seeded from --seed (thread t uses seed + t), so the same seed and options
 * replay the same sequence of operations with --threads 1 as long as the
 * driver answers the same way. With more threads the threads share one DRM
 * file per node and race on its handle table: those races are not
 * reproducible.
 *
 * Each thread keeps a model of what it made: objects (one per GEM object,
 * shared by every handle, mapping and dma-buf of it), handles, mappings
 * (address, length, the object page they start at, how they were made, their
 * protection), dma-buf fds and vgem handles, plus what it knows about each
 * object's bytes (never written = zeros, or regions holding a known
 * pattern). Operations are drawn with fixed weights from the op table at the
 * bottom of the file; each checks the oracle rules (see README.md):
 *   - every dxgkcompat ioctl: ret == 0 iff ntstatus == STATUS_SUCCESS, and a
 *     failure has a sane errno;
 *   - data written through one mapping is read back through it and through
 *     every other mapping of the object; a new object reads as zeros; a copy
 *     gives the source bytes;
 *   - MAP_PRIVATE of a PMO fails with EINVAL, PMO_MAP mappings are not
 *     inherited by fork(), test-only ioctls are refused to non-root callers,
 *     unknown ioctl numbers never succeed;
 *   - the protection rules of the table below (--strict-prot, default on).
 * A SIGSEGV/SIGBUS while touching a mapping the model believes valid is a
 * failure too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
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
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/dma-buf.h>

#include "drm.h"
#include "dxgkcompat_drm.h"

/* ---- expectations: adjust here when the driver's rules change ---------- */

#define PAGE_READONLY		0x02u
#define PAGE_READWRITE		0x04u
#define PAGE_WRITECOPY		0x08u
#define PAGE_EXECUTE		0x10u
#define ANY_U32			0xffffffffu
#define PROT_ANY		(-1)

/*
 * Which PROT_* bits a user mapping of an object may have (--strict-prot).
 * The first matching row applies. A mapping asking for more must fail with
 * EACCES (EPERM is accepted for PROT_EXEC, which a noexec mount gives), an
 * mprotect() adding a bit that is not allowed likewise; one asking for no
 * more than allowed must not fail with EACCES/EPERM.
 */
static const struct prot_rule {
	uint32_t type;		/* DRM_DXGKCOMPAT_PMO_*, or ANY_U32 */
	uint32_t page_prot;	/* SECTION page_protection, or ANY_U32 */
	int allow;		/* PROT_* bits allowed, or PROT_ANY: not judged */
	const char *name;
} prot_rules[] = {
	{ DRM_DXGKCOMPAT_PMO_SECTION, PAGE_READONLY, PROT_READ,
	  "PAGE_READONLY section maps R only" },
	{ DRM_DXGKCOMPAT_PMO_SECTION, PAGE_EXECUTE, PROT_READ | PROT_EXEC,
	  "PAGE_EXECUTE section maps R or RX, never W" },
	{ DRM_DXGKCOMPAT_PMO_SECTION, PAGE_WRITECOPY, PROT_ANY,
	  "PAGE_WRITECOPY section (create should fail)" },
	{ ANY_U32, ANY_U32, PROT_READ | PROT_WRITE,
	  "MDL/CONTIGUOUS/READWRITE section maps R/W, never X" },
};

/* PMO_MAP maps with exactly the bits prot_rules allows (--strict-prot). */
static const bool ioctl_map_obeys_prot_rules = true;

/*
 * No mapping of an object (PMO_MAP, mmap() of the GEM offset or of a dma-buf)
 * is copied by fork(), and madvise(MADV_DOFORK) on one fails with EINVAL.
 * When false, only PMO_MAP mappings are expected to stay in the parent.
 * Mappings made through vgem are never judged.
 */
static const bool mappings_not_inherited = true;

static bool g_root;

/*
 * What a create is expected to return: recorded as a note when the driver
 * disagrees, never a failure (only ret/ntstatus consistency and "larger
 * than RAM must fail" are failures for creates). First match applies.
 */
static bool cr_reserved(const struct drm_dxgkcompat_pmo_create *c) { return c->reserved; }
static bool cr_type(const struct drm_dxgkcompat_pmo_create *c) { return c->type > 2; }
static bool cr_cache(const struct drm_dxgkcompat_pmo_create *c) { return c->cache_type > 2; }
static bool cr_size0(const struct drm_dxgkcompat_pmo_create *c) { return !c->size; }
static bool cr_sec_uc(const struct drm_dxgkcompat_pmo_create *c)
{
	return c->type == DRM_DXGKCOMPAT_PMO_SECTION &&
	       c->cache_type == DRM_DXGKCOMPAT_NON_CACHED;
}
static bool cr_sec_wc(const struct drm_dxgkcompat_pmo_create *c)
{
	return c->type == DRM_DXGKCOMPAT_PMO_SECTION &&
	       c->page_protection == PAGE_WRITECOPY;
}
static bool cr_sec_prot(const struct drm_dxgkcompat_pmo_create *c)
{
	uint32_t p = c->page_protection;

	return c->type == DRM_DXGKCOMPAT_PMO_SECTION && p != PAGE_READONLY &&
	       p != PAGE_READWRITE && p != PAGE_EXECUTE;
}
static bool cr_nozero(const struct drm_dxgkcompat_pmo_create *c)
{
	return c->type == DRM_DXGKCOMPAT_PMO_MDL && (c->mm_flags & 0x1);
}
/* placement an unprivileged caller may not ask for */
static bool cr_unpriv(const struct drm_dxgkcompat_pmo_create *c)
{
	return !g_root && (c->type == DRM_DXGKCOMPAT_PMO_CONTIGUOUS ||
			   (c->type == DRM_DXGKCOMPAT_PMO_MDL &&
			    (c->low_address || c->skip_bytes ||
			     (c->mm_flags & 0x20) ||
			     c->high_address < 0xffffffffull)));
}

static const struct create_rule {
	bool (*match)(const struct drm_dxgkcompat_pmo_create *c);
	int err;
	const char *name;
} create_rules[] = {
	{ cr_reserved, EINVAL, "reserved != 0" },
	{ cr_type, EINVAL, "IO_SPACE or unknown type" },
	{ cr_cache, EINVAL, "unknown cache type" },
	{ cr_size0, EINVAL, "size 0" },
	{ cr_sec_uc, EINVAL, "NON_CACHED section" },
	{ cr_sec_wc, EOPNOTSUPP, "PAGE_WRITECOPY section" },
	{ cr_sec_prot, EINVAL, "bad section page_protection" },
	{ cr_nozero, EACCES, "MM_DONT_ZERO_ALLOCATION" },
	{ cr_unpriv, EPERM, "placement without CAP_SYS_ADMIN" },
};

/* errnos a failing dxgkcompat ioctl may return */
static bool sane_errno(int e)
{
	switch (e) {
	case EINVAL: case ENOENT: case ENOMEM: case ENOSPC: case EOVERFLOW:
	case EOPNOTSUPP: case EPERM: case EACCES: case E2BIG: case EFBIG:
	case ETIMEDOUT: case EIO: case ECANCELED: case EBUSY: case EFAULT:
	case ENODEV: case EADDRINUSE: case EINTR:
		return true;
	}
	return false;
}

/* errnos a copy of valid ranges may legitimately fail with */
static bool copy_ok_errno(int e)
{
	return e == EOPNOTSUPP || e == ENOSPC || e == ETIMEDOUT || e == EIO ||
	       e == ENOMEM || e == EBUSY || e == ECANCELED;
}

/* ---- limits --------------------------------------------------------- */

#define STATUS_ACCESS_DENIED	0xC0000022u
#define MAX_PHYS		0x7fffffffffffffffull
#define MAX_NODES		64
#define MAX_SLOTS		8	/* dxgkcompat nodes */
#define MAX_DEVS		4
#define MAX_PRIV		2	/* private DRM fds per thread */
#define MAX_OBJS		48
#define MAX_HRECS		96
#define MAX_MAPS		128
#define MAX_DMABUFS		12
#define MAX_VGEMS		16
#define MAX_STALE		16
#define MAX_KNOWN		6
#define MAX_THREADS		16
#define MAX_FAILS		50	/* stop after this many */
#define BYTE_CAP		(64ull << 20)	/* live object bytes, all threads */
#define OBJ_MAX			(16ull << 20)	/* largest object kept */
#define TOUCH_MAX		(64u << 10)
#define COPY_MAX		(256u << 10)
/*
 * Share of --time that valid COPYs may take. QEMU's edu engine needs about
 * 200 ms per 4 KiB chunk; past this share a valid copy's ioctl is skipped
 * (its random choices are still made, so the sequence stays the same).
 */
#define COPY_TIME_SHARE		0.25
#define DEFAULT_OPS		20000
#define DEFAULT_BUDGET		3600	/* s, for the watchdog without --time */
#define CHILD_WATCHDOG		60

enum how { HOW_IOCTL, HOW_GEM, HOW_DMABUF, HOW_VGEM };
static const char *const how_name[] = {
	"PMO_MAP", "gem-mmap", "dmabuf-mmap", "vgem-mmap"
};
enum inh { INH_ANY, INH_NO, INH_YES };
enum { EXP_ANY, EXP_ALLOW, EXP_DENY };

/* A region of an object whose bytes are pat_byte(base + i, gen); gen 0 = zeros. */
struct known {
	bool used;
	uint64_t off, len, base;
	uint32_t gen;
};

struct obj {
	bool used;
	uint32_t id;		/* per thread, for messages */
	int dev;
	uint32_t type, cache, pprot;
	uint64_t size, npages;
	int refs;		/* handles + mappings + dma-bufs + vgem handles */
	bool zero;		/* never written: reads as zeros */
	struct known known[MAX_KNOWN];
};

struct slot;

struct hrec {
	bool used;
	struct slot *slot;
	uint32_t handle;
	struct obj *obj;
	int stale;		/* closed by someone else (set under g_lock) */
	uint64_t mmoff;		/* fake offset, 0 until asked */
};

struct map {
	bool used;
	uint64_t addr, len;	/* page aligned */
	uint64_t obj_off;	/* object byte offset at addr */
	struct obj *obj;
	enum how how;
	int prot;
	bool exact;		/* [addr, addr + len) is exactly one VMA */
	enum inh inherit;	/* expected in a fork child? */
	bool fd_writable;
	bool exec_judged;	/* may PROT_EXEC be judged (no noexec mount)? */
	struct slot *slot;	/* file it was made through (PMO_MAP, gem-mmap) */
};

struct dmabuf {
	bool used;
	int fd;
	bool rdwr;
	struct obj *obj;
};

struct vrec {
	bool used;
	uint32_t handle;
	struct obj *obj;
};

struct stale {
	bool used;
	struct slot *slot;
	uint32_t handle, obj_id;
	uint64_t mmoff;
};

struct reg_ent {
	uint32_t handle;
	int tid;
	struct hrec *rec;
};

/* An open DRM file and the registry of the handles the threads hold in it. */
struct slot {
	int fd;
	int dev;
	bool render, shared, noexec, borrowed;
	char path[40];
	struct reg_ent *reg;
	size_t nreg, creg;
};

struct dev {
	char sysid[256];
	struct drm_dxgkcompat_adapter_info info;
	bool have_info;
};

struct stats {
	uint64_t ops, creates, maps, mmaps, copies, forks, prime, notes;
};

struct fz {
	int tid;
	uint64_t seed, s[4];
	uint64_t op, nops;
	bool child;
	int child_op, fails;
	struct slot *slots[MAX_SLOTS + MAX_PRIV];
	int nslots;
	struct slot priv[MAX_PRIV];
	int npriv;
	int vgem_fd;
	uint64_t live_bytes, byte_cap;
	uint32_t next_id, gen;
	struct stats st;
	struct obj objs[MAX_OBJS];
	struct hrec hrecs[MAX_HRECS];
	struct map maps[MAX_MAPS];
	struct dmabuf dbufs[MAX_DMABUFS];
	struct vrec vgems[MAX_VGEMS];
	struct stale stale[MAX_STALE];
	uint8_t scratch[COPY_MAX];
	uint8_t junk[16384];
};

static struct {
	uint64_t seed, ops;
	double time;
	int threads, node;	/* node: 1 render, 2 primary, 3 both */
	bool verbose, no_fork, no_vgem, strict;
	const char *argv0;
} opt = { .ops = DEFAULT_OPS, .threads = 1, .node = 3, .strict = true };

static uint64_t PG;
static uint64_t g_memtotal;
static struct dev g_devs[MAX_DEVS];
static int g_ndevs;
static struct slot g_slots[MAX_SLOTS];
static int g_nslots;
static char g_vgem_path[40];
static pthread_rwlock_t g_lock = PTHREAD_RWLOCK_INITIALIZER;
static int g_in_child;
static int g_failures, g_stop;
static volatile uint64_t g_op0;
static struct timespec g_t0;
static int g_time_hit;
static uint64_t g_copy_ns;		/* time spent in valid COPYs */
static uint64_t g_copy_skipped;
static const uint8_t zeros[TOUCH_MAX];

static __thread sigjmp_buf *tl_jmp;
static __thread uintptr_t tl_fault_addr;

/* ---- PRNG (xoshiro256**, seeded with splitmix64) ------------------------ */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void rng_init(struct fz *f, uint64_t seed)
{
	uint64_t x = seed;

	for (int i = 0; i < 4; i++)
		f->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rnd(struct fz *f)
{
	uint64_t *s = f->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static uint64_t below(struct fz *f, uint64_t n)
{
	return n ? rnd(f) % n : 0;
}

/* uniform in [lo, hi] */
static uint64_t range(struct fz *f, uint64_t lo, uint64_t hi)
{
	return hi <= lo ? lo : lo + below(f, hi - lo + 1);
}

static bool chance(struct fz *f, unsigned int pct)
{
	return below(f, 100) < pct;
}

/* One of @v[0..n-1], or (one time in n + 1) a random value. */
static uint32_t pick32(struct fz *f, const uint32_t *v, size_t n)
{
	uint64_t i = below(f, n + 1);

	return i < n ? v[i] : (uint32_t)rnd(f);
}

static uint64_t round_up(uint64_t v)
{
	return (v + PG - 1) & ~(PG - 1);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* seconds since the run started */
static double elapsed(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - g_t0.tv_sec) +
	       (double)(t.tv_nsec - g_t0.tv_nsec) / 1e9;
}

/* ---- reporting ---------------------------------------------------------- */

static const char *node_name(void)
{
	return opt.node == 1 ? "render" : opt.node == 2 ? "primary" : "both";
}

static void print_replay(const struct fz *f)
{
	uint64_t seed = opt.seed + (uint64_t)(f ? f->tid : 0);

	printf("fuzz: replay: %s --seed %" PRIu64 " --ops %" PRIu64
	       " --threads 1 --node %s%s%s%s --verbose%s\n", opt.argv0, seed,
	       f ? f->op + 1 : opt.ops, node_name(),
	       opt.no_fork ? " --no-fork" : "", opt.no_vgem ? " --no-vgem" : "",
	       opt.strict ? "" : " --no-strict-prot",
	       opt.threads > 1 ? "   (this thread alone; races between threads "
	       "are not reproducible)" : "");
}

static void fail(struct fz *f, const char *fmt, ...)
{
	char msg[1024], pre[96] = "";
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	f->fails++;
	if (__atomic_add_fetch(&g_failures, 1, __ATOMIC_SEQ_CST) >= MAX_FAILS)
		__atomic_store_n(&g_stop, 1, __ATOMIC_SEQ_CST);
	if (f->child)
		snprintf(pre, sizeof(pre), "fork child op %d: ", f->child_op);
	else if (opt.threads > 1)
		snprintf(pre, sizeof(pre), "thread %d: ", f->tid);
	flockfile(stdout);
	printf("fuzz: FAIL seed=%" PRIu64 " op=%" PRIu64 ": %s%s\n", opt.seed,
	       f->op, pre, msg);
	print_replay(f);
	funlockfile(stdout);
	fflush(stdout);
}

/* An expectation the driver did not meet that is not (yet) a failure. */
static void note(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	f->st.notes++;
	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	flockfile(stderr);
	fprintf(stderr, "fuzz: [%s%d] op %" PRIu64 ": note: ",
		f->child ? "c" : "t", f->tid, f->op);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}

static void vlog(struct fz *f, const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	flockfile(stderr);
	fprintf(stderr, "fuzz: [%s%d] op %" PRIu64 ": ",
		f->child ? "c" : "t", f->tid, f->op);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
	va_end(ap);
}

static const char *prot_str(int prot, char *buf)
{
	buf[0] = prot & PROT_READ ? 'r' : '-';
	buf[1] = prot & PROT_WRITE ? 'w' : '-';
	buf[2] = prot & PROT_EXEC ? 'x' : '-';
	buf[3] = 0;
	return buf;
}

/* async-signal-safe "fuzz: FAIL seed=S op=K: what" for the watchdog */
static void put_str(char **p, const char *s)
{
	while (*s)
		*(*p)++ = *s++;
}

static void put_u64(char **p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*(*p)++ = tmp[--n];
}

static void async_fail(const char *what)
{
	char buf[256], *p = buf;

	put_str(&p, "fuzz: FAIL seed=");
	put_u64(&p, opt.seed);
	put_str(&p, " op=");
	put_u64(&p, g_op0);
	put_str(&p, ": ");
	put_str(&p, what);
	put_str(&p, "\n");
	if (write(1, buf, (size_t)(p - buf)) < 0)
		_exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
	async_fail(g_in_child ? "fork child watchdog (60 s)" :
		   "watchdog (time budget + 60 s exceeded)");
	_exit(1);
}

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (tl_jmp) {
		sigjmp_buf *j = tl_jmp;

		tl_jmp = NULL;
		tl_fault_addr = (uintptr_t)si->si_addr;
		siglongjmp(*j, sig);
	}
	async_fail(sig == SIGBUS ? "SIGBUS outside a guarded access" :
		   "SIGSEGV outside a guarded access");
	_exit(1);
}

/* ---- guarded memory access -------------------------------------------- */

enum { GW_WRITE, GW_CMP, GW_ZERO };

struct gw {
	int kind;
	uint8_t *p;
	const uint8_t *q;
	size_t len, bad;	/* bad: first mismatching byte, or SIZE_MAX */
};

static void gw_run(struct gw *w)
{
	size_t i, n;

	w->bad = SIZE_MAX;
	switch (w->kind) {
	case GW_WRITE:
		memcpy(w->p, w->q, w->len);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		break;
	case GW_CMP:
		__asm__ __volatile__("" ::: "memory");
		if (memcmp(w->p, w->q, w->len))
			for (i = 0; i < w->len; i++)
				if (w->p[i] != w->q[i]) {
					w->bad = i;
					break;
				}
		break;
	case GW_ZERO:
		__asm__ __volatile__("" ::: "memory");
		for (i = 0; i < w->len; i += n) {
			n = min64(w->len - i, sizeof(zeros));
			if (memcmp(w->p + i, zeros, n)) {
				while (!w->p[i])
					i++;
				w->bad = i;
				break;
			}
		}
		break;
	}
}

/* Runs @w; returns 0, or the signal that hit it. */
static int guarded(struct gw *w)
{
	sigjmp_buf jb;
	int sig = sigsetjmp(jb, 1);

	if (sig) {
		tl_jmp = NULL;
		return sig;
	}
	tl_jmp = &jb;
	gw_run(w);
	tl_jmp = NULL;
	return 0;
}

/* ---- small syscall helpers -------------------------------------------- */

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r, tries = 0;

	do
		r = ioctl(fd, cmd, arg);
	while (r == -1 && (errno == EINTR || errno == EAGAIN) && ++tries < 1000);
	return r ? -errno : 0;
}

static int xopen(const char *path)
{
	int fd;

	do
		fd = open(path, O_RDWR | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/* The VMA holding @addr from /proc/self/maps; false if none. */
static bool vma_at(uint64_t addr, uint64_t *start, uint64_t *end, int *prot,
		   bool *anon)
{
	char line[512];
	bool found = false;
	FILE *fp = fopen("/proc/self/maps", "re");

	if (!fp)
		return false;
	while (fgets(line, sizeof(line), fp)) {
		unsigned long long s, e, off, ino;
		char perms[8], devs[16];
		int n = 0;

		if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &s, &e,
			   perms, &off, devs, &ino, &n) < 6)
			continue;
		if (addr < s || addr >= e)
			continue;
		*start = s;
		*end = e;
		*prot = (perms[0] == 'r' ? PROT_READ : 0) |
			(perms[1] == 'w' ? PROT_WRITE : 0) |
			(perms[2] == 'x' ? PROT_EXEC : 0);
		*anon = !ino && (!n || line[n] == '\0' || line[n] == '\n');
		found = true;
		break;
	}
	fclose(fp);
	return found;
}

static bool mapped(uint64_t addr)
{
	unsigned char v;

	return mincore((void *)(uintptr_t)addr, PG, &v) == 0;
}

/* ---- locking: g_lock orders handle creation/removal against users ---- */

static void wlock(void)
{
	if (!g_in_child)
		pthread_rwlock_wrlock(&g_lock);
}

static void rlock(void)
{
	if (!g_in_child)
		pthread_rwlock_rdlock(&g_lock);
}

static void unlock(void)
{
	if (!g_in_child)
		pthread_rwlock_unlock(&g_lock);
}

/* ---- handle registry (under g_lock) ------------------------------------ */

static struct reg_ent *reg_find(struct slot *s, uint32_t h)
{
	for (size_t i = 0; i < s->nreg; i++)
		if (s->reg[i].handle == h)
			return &s->reg[i];
	return NULL;
}

static void reg_add(struct slot *s, uint32_t h, struct hrec *r, int tid)
{
	if (s->nreg == s->creg) {
		size_t n = s->creg ? s->creg * 2 : 64;
		struct reg_ent *p = realloc(s->reg, n * sizeof(*p));

		if (!p) {
			perror("fuzz: realloc");
			exit(2);
		}
		s->reg = p;
		s->creg = n;
	}
	s->reg[s->nreg++] = (struct reg_ent){ h, tid, r };
}

static void reg_del(struct slot *s, uint32_t h)
{
	struct reg_ent *e = reg_find(s, h);

	if (e)
		*e = s->reg[--s->nreg];
}

/* ---- the model ---------------------------------------------------------- */

static int nobjs(struct fz *f)
{
	int n = 0;

	for (int i = 0; i < MAX_OBJS; i++)
		n += f->objs[i].used;
	return n;
}

static int nmaps(struct fz *f)
{
	int n = 0;

	for (int i = 0; i < MAX_MAPS; i++)
		n += f->maps[i].used;
	return n;
}

static struct obj *obj_new(struct fz *f, int dev,
			   const struct drm_dxgkcompat_pmo_create *c)
{
	for (int i = 0; i < MAX_OBJS; i++) {
		struct obj *o = &f->objs[i];

		if (o->used)
			continue;
		memset(o, 0, sizeof(*o));
		o->used = true;
		o->id = ++f->next_id;
		o->dev = dev;
		o->type = c->type;
		o->cache = c->cache_type;
		o->pprot = c->type == DRM_DXGKCOMPAT_PMO_SECTION ?
			   c->page_protection : 0;
		o->size = c->size;
		o->npages = round_up(c->size) / PG;
		o->zero = true;
		f->live_bytes += o->npages * PG;
		return o;
	}
	return NULL;
}

static void obj_put(struct fz *f, struct obj *o)
{
	if (--o->refs == 0) {
		f->live_bytes -= o->npages * PG;
		o->used = false;
	}
}

static const char *type_str(uint32_t t)
{
	return t == 0 ? "mdl" : t == 1 ? "contiguous" : t == 2 ? "section" : "?";
}

static void known_add(struct fz *f, struct obj *o, uint64_t off, uint64_t len,
		      uint64_t base, uint32_t gen)
{
	struct known *k = NULL;

	if (!len)
		return;
	for (int i = 0; i < MAX_KNOWN && !k; i++)
		if (!o->known[i].used)
			k = &o->known[i];
	if (!k)
		k = &o->known[below(f, MAX_KNOWN)];
	*k = (struct known){ true, off, len, base, gen };
}

/* [off, off + len) of @o changes: forget what is known there. */
static void obj_dirty(struct fz *f, struct obj *o, uint64_t off, uint64_t len)
{
	uint64_t end = o->npages * PG;

	if (off >= end)
		return;
	len = min64(len, end - off);
	if (o->zero) {
		o->zero = false;
		known_add(f, o, 0, off, 0, 0);
		known_add(f, o, off + len, end - off - len, 0, 0);
		return;
	}
	for (int i = 0; i < MAX_KNOWN; i++) {
		struct known *k = &o->known[i];
		uint64_t ke = k->off + k->len;

		if (!k->used || ke <= off || k->off >= off + len)
			continue;
		if (ke > off + len) {
			uint64_t cut = off + len - k->off;
			struct known right = { true, off + len, ke - off - len,
					       k->base + cut, k->gen };

			k->len = off > k->off ? off - k->off : 0;
			if (!k->len)
				*k = right;
			else
				known_add(f, o, right.off, right.len,
					  right.base, right.gen);
		} else {
			k->len = off > k->off ? off - k->off : 0;
			k->used = k->len != 0;
		}
	}
}

/* The 8 pattern bytes of generation @gen at object offset 8 * @word. */
static inline uint64_t pat_word(uint64_t word, uint32_t gen)
{
	uint64_t v = (word + 1) * 0x9e3779b97f4a7c15ull ^
		     ((uint64_t)gen * 0xc2b2ae3d27d4eb4full);

	return v ^ (v >> 29);
}

/* buf[i] = pattern byte at object offset base + i; gen 0 = zeros */
static void pat_fill(uint8_t *buf, uint64_t base, uint64_t len, uint32_t gen)
{
	uint64_t i = 0, x;

	if (!gen) {
		memset(buf, 0, len);
		return;
	}
	for (; i < len && ((base + i) & 7); i++) {
		x = base + i;
		buf[i] = (uint8_t)(pat_word(x >> 3, gen) >> ((x & 7) * 8));
	}
	for (; i + 8 <= len; i += 8) {
		uint64_t w = pat_word((base + i) >> 3, gen);

		for (int b = 0; b < 8; b++)
			buf[i + b] = (uint8_t)(w >> (b * 8));
	}
	for (; i < len; i++) {
		x = base + i;
		buf[i] = (uint8_t)(pat_word(x >> 3, gen) >> ((x & 7) * 8));
	}
}

static struct hrec *hrec_add(struct fz *f, struct slot *s, uint32_t h,
			     struct obj *o)
{
	for (int i = 0; i < MAX_HRECS; i++) {
		struct hrec *r = &f->hrecs[i];

		if (r->used)
			continue;
		*r = (struct hrec){ .used = true, .slot = s, .handle = h, .obj = o };
		o->refs++;
		reg_add(s, h, r, f->tid);
		return r;
	}
	return NULL;
}

static void stale_add(struct fz *f, struct slot *s, uint32_t h, uint32_t id,
		      uint64_t mmoff)
{
	struct stale *e = NULL;

	for (int i = 0; i < MAX_STALE && !e; i++)
		if (!f->stale[i].used)
			e = &f->stale[i];
	if (!e)
		e = &f->stale[below(f, MAX_STALE)];
	*e = (struct stale){ true, s, h, id, mmoff };
}

/* Drops a handle record; with the registry entry unless it went stale. */
static void hrec_drop(struct fz *f, struct hrec *r, bool to_stale)
{
	if (!r->stale)
		reg_del(r->slot, r->handle);
	if (to_stale)
		stale_add(f, r->slot, r->handle, r->obj->id, r->mmoff);
	r->used = false;
	obj_put(f, r->obj);
}

/* A record someone else closed: becomes a stale number. Under g_lock. */
static bool hrec_check_stale(struct fz *f, struct hrec *r)
{
	if (!r->stale)
		return false;
	vlog(f, "handle %u of obj#%u was closed by another thread", r->handle,
	     r->obj->id);
	hrec_drop(f, r, true);
	return true;
}

static struct map *map_add(struct fz *f, uint64_t addr, uint64_t len,
			   struct obj *o, uint64_t obj_off, enum how how,
			   int prot, enum inh inh, bool fdw, bool execj)
{
	for (int i = 0; i < MAX_MAPS; i++) {
		struct map *m = &f->maps[i];

		if (m->used)
			continue;
		*m = (struct map){ true, addr, len, obj_off, o, how, prot, true,
				   inh, fdw, execj, NULL };
		o->refs++;
		return m;
	}
	return NULL;
}

static void map_drop(struct fz *f, struct map *m)
{
	m->used = false;
	obj_put(f, m->obj);
}

static void map_release(struct fz *f, struct map *m)
{
	munmap((void *)(uintptr_t)m->addr, m->len);
	map_drop(f, m);
}

/* Splits @m at @at (page aligned, inside): returns the upper part. */
static struct map *map_split(struct fz *f, struct map *m, uint64_t at)
{
	struct map *n;
	uint64_t cut = at - m->addr;

	n = map_add(f, at, m->len - cut, m->obj, m->obj_off + cut, m->how,
		    m->prot, m->inherit, m->fd_writable, m->exec_judged);
	if (!n)
		return NULL;
	n->exact = m->exact;
	n->slot = m->slot;
	m->len = cut;
	return n;
}

/* [a, a + len) is no longer mapped by us: cut it out of every mapping. */
static void punch(struct fz *f, uint64_t a, uint64_t len)
{
	uint64_t e = a + len < a ? UINT64_MAX : a + len;

	for (int i = 0; i < MAX_MAPS; i++) {
		struct map *m = &f->maps[i];
		uint64_t me = m->addr + m->len;

		if (!m->used || me <= a || m->addr >= e)
			continue;
		if (a <= m->addr && e >= me) {
			map_drop(f, m);
		} else if (a <= m->addr) {
			m->obj_off += e - m->addr;
			m->len = me - e;
			m->addr = e;
		} else if (e >= me) {
			m->len = a - m->addr;
		} else if (!map_split(f, m, e)) {
			/* no room to track the upper part: give it up */
			munmap((void *)(uintptr_t)e, me - e);
			m->len = a - m->addr;
		} else {
			m->len = a - m->addr;
		}
	}
}

/* A mapping that faulted or vanished: forget it. */
static void map_forget(struct fz *f, struct map *m)
{
	if (opt.threads == 1)
		munmap((void *)(uintptr_t)m->addr, m->len);
	map_drop(f, m);
}

static struct hrec *pick_hrec(struct fz *f, struct obj *want, struct slot *s)
{
	int idx[MAX_HRECS], n = 0;

	for (int i = 0; i < MAX_HRECS; i++) {
		struct hrec *r = &f->hrecs[i];

		if (r->used && (!want || r->obj == want) && (!s || r->slot == s))
			idx[n++] = i;
	}
	return n ? &f->hrecs[idx[below(f, n)]] : NULL;
}

static struct map *pick_map(struct fz *f, int need, struct map *not_this)
{
	int idx[MAX_MAPS], n = 0;

	for (int i = 0; i < MAX_MAPS; i++) {
		struct map *m = &f->maps[i];

		if (m->used && m != not_this && (m->prot & need) == need)
			idx[n++] = i;
	}
	return n ? &f->maps[idx[below(f, n)]] : NULL;
}

static struct dmabuf *pick_dbuf(struct fz *f)
{
	int idx[MAX_DMABUFS], n = 0;

	for (int i = 0; i < MAX_DMABUFS; i++)
		if (f->dbufs[i].used)
			idx[n++] = i;
	return n ? &f->dbufs[idx[below(f, n)]] : NULL;
}

static struct vrec *pick_vrec(struct fz *f)
{
	int idx[MAX_VGEMS], n = 0;

	for (int i = 0; i < MAX_VGEMS; i++)
		if (f->vgems[i].used)
			idx[n++] = i;
	return n ? &f->vgems[idx[below(f, n)]] : NULL;
}

static struct slot *pick_slot(struct fz *f)
{
	int idx[MAX_SLOTS + MAX_PRIV], n = 0;

	for (int i = 0; i < f->nslots; i++)
		if (f->slots[i]->fd >= 0)
			idx[n++] = i;
	return n ? f->slots[idx[below(f, n)]] : NULL;
}

/* Releases everything of @o we hold: its mappings, dma-bufs and handles. */
static void evict_obj(struct fz *f, struct obj *o)
{
	for (int i = 0; i < MAX_MAPS && o->used; i++)
		if (f->maps[i].used && f->maps[i].obj == o)
			map_release(f, &f->maps[i]);
	for (int i = 0; i < MAX_DMABUFS && o->used; i++)
		if (f->dbufs[i].used && f->dbufs[i].obj == o) {
			close(f->dbufs[i].fd);
			f->dbufs[i].used = false;
			obj_put(f, o);
		}
	for (int i = 0; i < MAX_VGEMS && o->used; i++)
		if (f->vgems[i].used && f->vgems[i].obj == o) {
			struct drm_gem_close cl = { .handle = f->vgems[i].handle };

			xioctl(f->vgem_fd, DRM_IOCTL_GEM_CLOSE, &cl);
			f->vgems[i].used = false;
			obj_put(f, o);
		}
	wlock();
	for (int i = 0; i < MAX_HRECS && o->used; i++) {
		struct hrec *r = &f->hrecs[i];

		if (!r->used || r->obj != o)
			continue;
		if (!r->stale) {
			struct drm_gem_close cl = { .handle = r->handle };

			if (xioctl(r->slot->fd, DRM_IOCTL_GEM_CLOSE, &cl))
				fail(f, "GEM_CLOSE of live handle %u: %s",
				     r->handle, strerror(errno));
		}
		hrec_drop(f, r, false);
	}
	unlock();
}

/* ---- ioctl wrappers with the ret/ntstatus rule ------------------------- */

static int dx_ioctl(struct fz *f, int fd, unsigned long cmd, void *arg,
		    const uint32_t *nt, const char *what)
{
	int ret = xioctl(fd, cmd, arg);

	if (!ret && *nt)
		fail(f, "%s: success with ntstatus %#x", what, *nt);
	else if (ret == -ENODEV && !*nt)
		note(f, "%s: ENODEV from the DRM core (adapter gone?)", what);
	else if (ret && !*nt)
		fail(f, "%s: %s with ntstatus STATUS_SUCCESS", what,
		     strerror(-ret));
	else if (ret && !sane_errno(-ret))
		fail(f, "%s: unexpected errno %d (%s), ntstatus %#x", what,
		     -ret, strerror(-ret), *nt);
	else if (ret && *nt < 0x80000000u)
		note(f, "%s: ntstatus %#x of a failure is not an error status",
		     what, *nt);
	return ret;
}

static int gem_close(int fd, uint32_t h)
{
	struct drm_gem_close cl = { .handle = h };

	return xioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
}

/* The fake offset of @r (asked once). Under g_lock. */
static uint64_t mmap_offset(struct fz *f, struct hrec *r)
{
	struct drm_dxgkcompat_pmo_mmap_offset o = { .handle = r->handle };
	int ret;

	if (r->mmoff)
		return r->mmoff;
	ret = dx_ioctl(f, r->slot->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &o,
		       &o.ntstatus, "PMO_MMAP_OFFSET");
	if (ret) {
		fail(f, "PMO_MMAP_OFFSET of live handle %u (obj#%u): %s",
		     r->handle, r->obj->id, strerror(-ret));
		return 0;
	}
	if (!o.offset || o.offset % PG) {
		fail(f, "PMO_MMAP_OFFSET of handle %u: offset %#llx",
		     r->handle, (unsigned long long)o.offset);
		return 0;
	}
	r->mmoff = o.offset;
	return r->mmoff;
}

/* ---- protection expectations ------------------------------------------ */

static const struct prot_rule *prot_rule_of(const struct obj *o)
{
	for (size_t i = 0; i < sizeof(prot_rules) / sizeof(prot_rules[0]); i++) {
		const struct prot_rule *r = &prot_rules[i];

		if ((r->type == ANY_U32 || r->type == o->type) &&
		    (r->page_prot == ANY_U32 || r->page_prot == o->pprot))
			return r;
	}
	return &prot_rules[sizeof(prot_rules) / sizeof(prot_rules[0]) - 1];
}

static int prot_expect(const struct obj *o, int prot, bool fd_writable,
		       bool exec_judged, const char **why)
{
	const struct prot_rule *r = prot_rule_of(o);

	*why = r->name;
	if ((prot & PROT_WRITE) && !fd_writable) {
		*why = "PROT_WRITE of a file opened read-only";
		return EXP_DENY;
	}
	if (!opt.strict || r->allow == PROT_ANY)
		return EXP_ANY;
	if (prot & ~r->allow)
		return EXP_DENY;
	if ((prot & PROT_EXEC) && !exec_judged)
		return EXP_ANY;
	return EXP_ALLOW;
}

static void judge_prot(struct fz *f, const char *what, int exp,
		       const char *why, bool ok, int err)
{
	if (exp == EXP_DENY && ok)
		fail(f, "%s succeeded, expected EACCES (%s)", what, why);
	else if (exp == EXP_DENY && err != EACCES && err != EPERM)
		note(f, "%s: %s, expected EACCES (%s)", what, strerror(err), why);
	else if (exp == EXP_ALLOW && !ok && (err == EACCES || err == EPERM))
		fail(f, "%s refused with %s although allowed (%s)", what,
		     strerror(err), why);
	else if (exp == EXP_ALLOW && !ok)
		note(f, "%s: %s", what, strerror(err));
}

/* ---- data oracle -------------------------------------------------------- */

static void data_fail(struct fz *f, struct map *m, uint64_t objoff,
		      uint8_t got, uint8_t want, const char *why)
{
	struct obj *o = m->obj;

	fail(f, "%s: obj#%u (%s cache %u prot %#x size %#" PRIx64 ") byte at "
	     "object offset %#" PRIx64 " read through %s %#" PRIx64 "+%#" PRIx64
	     " (object offset %#" PRIx64 ") is %#x, expected %#x", why, o->id,
	     type_str(o->type), o->cache, o->pprot, o->size, objoff,
	     how_name[m->how], m->addr, m->len, m->obj_off, got, want);
}

/* Compares [moff, moff + len) of @m with what the model knows. */
static bool check_range(struct fz *f, struct map *m, uint64_t moff,
			uint64_t len, const char *why)
{
	struct obj *o = m->obj;
	uint64_t a = m->obj_off + moff, b = a + len;
	struct gw w;
	int sig;

	if (o->zero) {
		w = (struct gw){ GW_ZERO, (uint8_t *)(uintptr_t)(m->addr + moff),
				 NULL, len, 0 };
		sig = guarded(&w);
		if (!sig && w.bad != SIZE_MAX)
			data_fail(f, m, a + w.bad, w.p[w.bad], 0, why);
		goto out;
	}
	for (int i = 0; i < MAX_KNOWN; i++) {
		struct known *k = &o->known[i];
		uint64_t lo, hi;

		if (!k->used || k->off >= b || k->off + k->len <= a)
			continue;
		lo = a > k->off ? a : k->off;
		hi = min64(b, k->off + k->len);
		pat_fill(f->scratch, k->base + (lo - k->off), hi - lo, k->gen);
		w = (struct gw){ GW_CMP,
				 (uint8_t *)(uintptr_t)(m->addr + lo - m->obj_off),
				 f->scratch, hi - lo, 0 };
		sig = guarded(&w);
		if (sig)
			goto out;
		if (w.bad != SIZE_MAX) {
			data_fail(f, m, lo + w.bad, w.p[w.bad], f->scratch[w.bad],
				  why);
			return false;
		}
	}
	return true;
out:
	if (sig) {
		fail(f, "signal %d at %#lx reading %s mapping %#" PRIx64 "+%#"
		     PRIx64 " of obj#%u (%s)", sig, (unsigned long)tl_fault_addr,
		     how_name[m->how], m->addr, m->len, o->id, why);
		map_forget(f, m);
		return false;
	}
	return w.bad == SIZE_MAX;
}

/* A window of at most @max bytes inside @m: *moff, *len. */
static void pick_window(struct fz *f, struct map *m, uint64_t max,
			uint64_t *moff, uint64_t *len)
{
	if (chance(f, 30) && m->len <= max) {
		*moff = 0;
		*len = m->len;
		return;
	}
	*moff = chance(f, 50) ? below(f, m->len / PG) * PG : below(f, m->len);
	*len = range(f, 1, min64(max, m->len - *moff));
}

static bool op_touch(struct fz *f)
{
	struct map *m = pick_map(f, PROT_READ | PROT_WRITE, NULL);
	uint64_t moff, len, a;
	struct obj *o;
	struct gw w;
	uint32_t gen;
	int sig;

	if (!m)
		return false;
	o = m->obj;
	pick_window(f, m, TOUCH_MAX, &moff, &len);
	a = m->obj_off + moff;
	if (chance(f, 30) && !check_range(f, m, moff, len, "before a write"))
		return true;
	if (!m->used)
		return true;
	gen = ++f->gen ? f->gen : ++f->gen;
	pat_fill(f->scratch, a, len, gen);
	vlog(f, "touch obj#%u via %s %#" PRIx64 " +%#" PRIx64 " len %#" PRIx64
	     " gen %u", o->id, how_name[m->how], m->addr, moff, len, gen);
	w = (struct gw){ GW_WRITE, (uint8_t *)(uintptr_t)(m->addr + moff),
			 f->scratch, len, 0 };
	sig = guarded(&w);
	if (!sig) {
		w.kind = GW_CMP;
		sig = guarded(&w);
	}
	if (sig) {
		fail(f, "signal %d at %#lx touching %s mapping %#" PRIx64 "+%#"
		     PRIx64 " (%c%c) of obj#%u", sig, (unsigned long)tl_fault_addr,
		     how_name[m->how], m->addr, m->len,
		     m->prot & PROT_READ ? 'r' : '-',
		     m->prot & PROT_WRITE ? 'w' : '-', o->id);
		obj_dirty(f, o, a, len);
		map_forget(f, m);
		return true;
	}
	obj_dirty(f, o, a, len);
	if (w.bad != SIZE_MAX) {
		data_fail(f, m, a + w.bad, w.p[w.bad], f->scratch[w.bad],
			  "read back after write");
		return true;
	}
	known_add(f, o, a, len, a, gen);
	/* every other readable mapping of the object sees the same bytes */
	for (int i = 0; i < MAX_MAPS; i++) {
		struct map *m2 = &f->maps[i];
		uint64_t lo, hi;

		if (!m2->used || m2 == m || m2->obj != o ||
		    !(m2->prot & PROT_READ))
			continue;
		lo = a > m2->obj_off ? a : m2->obj_off;
		hi = min64(a + len, m2->obj_off + m2->len);
		if (lo < hi)
			check_range(f, m2, lo - m2->obj_off, hi - lo,
				    "second mapping after a write");
	}
	return true;
}

static bool op_verify(struct fz *f)
{
	struct map *m = pick_map(f, PROT_READ, NULL);
	uint64_t moff, len;

	if (!m)
		return false;
	pick_window(f, m, TOUCH_MAX, &moff, &len);
	vlog(f, "verify obj#%u via %s %#" PRIx64 " +%#" PRIx64 " len %#" PRIx64,
	     m->obj->id, how_name[m->how], m->addr, moff, len);
	check_range(f, m, moff, len, "verify");
	return true;
}

/* ---- PMO_CREATE --------------------------------------------------------- */

static uint64_t pick_bound(struct fz *f)
{
	static const uint64_t v[] = { 0, 0, 16 << 20, 0xffffffffull,
				      1ull << 40, ~0ull, MAX_PHYS };
	uint64_t i = below(f, 8);

	if (i == 1)
		return PG;
	if (i == 2)
		return (16 << 20) - 1;
	return i < 7 ? v[i] : rnd(f);
}

static uint64_t pick_size(struct fz *f)
{
	static const uint64_t huge[] = { 1ull << 32, 1ull << 40, 1ull << 63,
					 ~0ull, (4ull << 30) - 4096 };
	uint64_t r = below(f, 100);

	if (r < 2)
		return 0;
	if (r < 4)
		return 1;
	if (r < 7)
		return PG - 1;
	if (r < 11)
		return PG;
	if (r < 14)
		return PG + 1;
	if (r < 70)
		return range(f, 1, 64 << 10);
	if (r < 84)
		return range(f, 64 << 10, 1 << 20);
	if (r < 95)
		return range(f, 1, 16) * PG;
	if (r < 97)
		return g_memtotal + PG;
	return huge[below(f, 5)];
}

static bool op_create(struct fz *f)
{
	static const uint32_t bad_enum[] = { 3, 4, ~0u };
	static const uint32_t mdl_odd[] = { 0x1, 0x5, 0x40, 0x80, 0x100, 0x200 };
	static const uint32_t bad_prot[] = { 0, 0x01, 0x06, 0x20, 0x40, 0x104 };
	struct drm_dxgkcompat_pmo_create c = { 0 };
	struct slot *s = pick_slot(f);
	const struct create_rule *rule = NULL;
	uint64_t r = below(f, 100);
	bool keep;
	int ret;

	if (!s)
		return false;
	c.type = r < 35 ? DRM_DXGKCOMPAT_PMO_MDL :
		 r < 55 ? DRM_DXGKCOMPAT_PMO_CONTIGUOUS :
		 r < 93 ? DRM_DXGKCOMPAT_PMO_SECTION : pick32(f, bad_enum, 3);
	c.cache_type = chance(f, 93) ? (uint32_t)below(f, 3) :
		       pick32(f, bad_enum, 3);
	if (c.type == DRM_DXGKCOMPAT_PMO_SECTION &&
	    c.cache_type == DRM_DXGKCOMPAT_NON_CACHED && chance(f, 80))
		c.cache_type = (uint32_t)range(f, 1, 2);
	c.size = pick_size(f);

	if (c.type == DRM_DXGKCOMPAT_PMO_MDL) {
		r = below(f, 100);
		if (r < 70)
			c.mm_flags = 0;
		else if (r < 88)
			c.mm_flags = (uint32_t)(below(f, 32) << 1); /* 0x2..0x20 */
		else
			c.mm_flags = pick32(f, mdl_odd, 6);
	} else if (chance(f, 4)) {
		c.mm_flags = 1u << below(f, 9);
	}
	if (c.type == DRM_DXGKCOMPAT_PMO_MDL ||
	    c.type == DRM_DXGKCOMPAT_PMO_CONTIGUOUS) {
		if (chance(f, 85)) {
			c.high_address = chance(f, 50) ? ~0ull : MAX_PHYS;
			if (c.type == DRM_DXGKCOMPAT_PMO_CONTIGUOUS &&
			    chance(f, 30)) {
				c.skip_bytes = PG;
				while (c.skip_bytes < c.size && c.skip_bytes < (1ull << 40))
					c.skip_bytes <<= 1;
			}
		} else {
			c.low_address = pick_bound(f);
			c.high_address = pick_bound(f);
			c.skip_bytes = chance(f, 50) ? 0 : pick_bound(f);
		}
	} else if (chance(f, 5)) {
		c.low_address = pick_bound(f);
		c.high_address = pick_bound(f);
		c.skip_bytes = pick_bound(f);
	}
	if (c.type == DRM_DXGKCOMPAT_PMO_SECTION) {
		r = below(f, 100);
		c.page_protection = r < 45 ? PAGE_READWRITE :
				    r < 61 ? PAGE_READONLY :
				    r < 77 ? PAGE_EXECUTE :
				    r < 84 ? PAGE_WRITECOPY :
				    pick32(f, bad_prot, 6);
	} else if (chance(f, 4)) {
		c.page_protection = (uint32_t)rnd(f);
	}
	if (chance(f, 3))
		c.reserved = rnd(f) | 1;

	keep = c.type <= 2 && c.cache_type <= 2 && c.size && c.size <= OBJ_MAX &&
	       !c.reserved;
	/* make room: caps on objects and bytes */
	for (int i = 0; keep && i < 8 && (nobjs(f) >= MAX_OBJS ||
	     f->live_bytes + round_up(c.size) > f->byte_cap); i++) {
		struct obj *o = &f->objs[below(f, MAX_OBJS)];

		if (o->used)
			evict_obj(f, o);
	}
	if (keep && (nobjs(f) >= MAX_OBJS ||
		     f->live_bytes + round_up(c.size) > f->byte_cap))
		keep = false;

	wlock();
	ret = dx_ioctl(f, s->fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c,
		       &c.ntstatus, "PMO_CREATE");
	if (!ret) {
		struct obj *o = NULL;

		f->st.creates++;
		if (!c.handle)
			fail(f, "PMO_CREATE returned handle 0");
		else if (reg_find(s, c.handle))
			fail(f, "PMO_CREATE returned handle %u, which is live",
			     c.handle);
		if (keep && c.handle && !reg_find(s, c.handle))
			o = obj_new(f, s->dev, &c);
		if (o && !hrec_add(f, s, c.handle, o)) {
			o->refs = 1;
			obj_put(f, o);
			o = NULL;
		}
		if (!o && c.handle && gem_close(s->fd, c.handle))
			fail(f, "GEM_CLOSE of a new handle %u failed", c.handle);
	}
	unlock();

	for (size_t i = 0; i < sizeof(create_rules) / sizeof(*create_rules); i++)
		if (create_rules[i].match(&c)) {
			rule = &create_rules[i];
			break;
		}
	if (rule && (!ret || -ret != rule->err))
		note(f, "PMO_CREATE %s: %s, expected %s", rule->name,
		     ret ? strerror(-ret) : "success", strerror(rule->err));
	if (!ret && c.size > g_memtotal)
		fail(f, "PMO_CREATE of %#llx bytes (more than RAM) succeeded",
		     (unsigned long long)c.size);
	vlog(f, "create %s type %u cache %u size %#llx flags %#x win %#llx-%#llx "
	     "skip %#llx prot %#x res %#llx -> %d ntstatus %#x handle %u%s",
	     s->path, c.type, c.cache_type, (unsigned long long)c.size,
	     c.mm_flags, (unsigned long long)c.low_address,
	     (unsigned long long)c.high_address,
	     (unsigned long long)c.skip_bytes, c.page_protection,
	     (unsigned long long)c.reserved, ret, c.ntstatus, c.handle,
	     !ret && keep ? " (kept)" : "");
	return true;
}

static bool op_close(struct fz *f)
{
	struct hrec *r = pick_hrec(f, NULL, NULL);
	struct obj *o;
	uint32_t h;
	int ret;

	if (!r)
		return false;
	wlock();
	if (hrec_check_stale(f, r)) {
		unlock();
		return true;
	}
	h = r->handle;
	ret = gem_close(r->slot->fd, h);
	if (ret)
		fail(f, "GEM_CLOSE of live handle %u (obj#%u): %s", h,
		     r->obj->id, strerror(-ret));
	vlog(f, "GEM_CLOSE handle %u obj#%u -> %d", h, r->obj->id, ret);
	o = r->obj;
	hrec_drop(f, r, true);
	unlock();
	/* the object's mappings keep working without the handle */
	for (int i = 0; i < MAX_MAPS && o->used; i++) {
		struct map *m = &f->maps[i];

		if (m->used && m->obj == o && (m->prot & PROT_READ)) {
			check_range(f, m, 0, min64(m->len, TOUCH_MAX),
				    "after GEM_CLOSE");
			break;
		}
	}
	return true;
}

/* ---- PMO_MAP / PMO_UNMAP ------------------------------------------------ */

static bool op_map(struct fz *f)
{
	struct drm_dxgkcompat_pmo_map m = { 0 };
	struct hrec *r = pick_hrec(f, NULL, NULL);
	uint64_t off, len, size, start, end;
	struct map *mp;
	const struct prot_rule *pr;
	struct obj *o;
	bool valid, anon;
	int ret, prot;

	if (!r)
		return false;
	while (nmaps(f) >= MAX_MAPS - 2)
		map_release(f, pick_map(f, 0, NULL));
	o = r->obj;
	size = o->size;
	if (chance(f, 70)) {
		off = chance(f, 30) ? 0 : below(f, size);
		len = range(f, 1, min64(size - off, 1 << 20));
	} else {
		static const uint64_t b[][2] = {
			{ 0, 0 }, { 0, 1 }, { 0, ~0ull }, { ~0ull, 1 },
			{ ~0ull - 10, 100 }, { 1, ~0ull }, { 1ull << 40, 4096 },
		};
		uint64_t i = below(f, 13);

		if (i < 7) {
			off = b[i][0];
			len = b[i][1];
		} else if (i == 7) {
			off = 0, len = size;
		} else if (i == 8) {
			off = 0, len = size + 1;
		} else if (i == 9) {
			off = size, len = 1;
		} else if (i == 10) {
			off = size - 1, len = 2;
		} else if (i == 11) {
			off = 0, len = round_up(size);
		} else {
			off = rnd(f), len = rnd(f);
		}
	}
	valid = len && off + len >= off && off + len <= size;
	m.offset = off;
	m.size = len;
	m.reserved = chance(f, 3) ? rnd(f) | 1 : 0;

	rlock();
	if (hrec_check_stale(f, r)) {
		unlock();
		return true;
	}
	m.handle = r->handle;
	ret = dx_ioctl(f, r->slot->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m,
		       &m.ntstatus, "PMO_MAP");
	unlock();
	vlog(f, "PMO_MAP handle %u obj#%u off %#" PRIx64 " len %#" PRIx64
	     " res %#llx -> %d ntstatus %#x addr %#llx off %#llx size %#llx",
	     r->handle, o->id, off, len, (unsigned long long)m.reserved, ret,
	     m.ntstatus, (unsigned long long)m.address,
	     (unsigned long long)m.offset, (unsigned long long)m.size);
	if (ret) {
		if (valid && !m.reserved)
			note(f, "PMO_MAP of a valid range failed: %s",
			     strerror(-ret));
		return true;
	}
	f->st.maps++;
	if (!valid || m.reserved)
		fail(f, "PMO_MAP off %#" PRIx64 " len %#" PRIx64 " reserved "
		     "%#llx of a %#" PRIx64 "-byte object succeeded", off, len,
		     (unsigned long long)m.reserved, size);
	if (!m.address || m.address % PG || !vma_at(m.address, &start, &end,
						    &prot, &anon)) {
		fail(f, "PMO_MAP returned address %#llx, not a mapping",
		     (unsigned long long)m.address);
		return true;
	}
	if (valid && (m.offset != off % PG || m.size != round_up(off % PG + len)))
		fail(f, "PMO_MAP off %#" PRIx64 " len %#" PRIx64 " returned "
		     "offset %#llx size %#llx", off, len,
		     (unsigned long long)m.offset, (unsigned long long)m.size);
	if (start != m.address || end != m.address + m.size)
		fail(f, "PMO_MAP mapping %#llx+%#llx is VMA %#" PRIx64 "-%#"
		     PRIx64, (unsigned long long)m.address,
		     (unsigned long long)m.size, start, end);
	pr = prot_rule_of(o);
	if (opt.strict && ioctl_map_obeys_prot_rules && pr->allow != PROT_ANY &&
	    prot != pr->allow &&
	    !(r->slot->noexec && prot == (pr->allow & ~PROT_EXEC))) {
		char b1[4], b2[4];

		fail(f, "PMO_MAP of obj#%u (%s prot %#x) gave a %s mapping, "
		     "expected %s (%s)", o->id, type_str(o->type), o->pprot,
		     prot_str(prot, b1), prot_str(pr->allow, b2), pr->name);
	}
	if (valid && start == m.address && end == m.address + m.size &&
	    (mp = map_add(f, m.address, m.size, o, off - off % PG, HOW_IOCTL,
			  prot, INH_NO, true, false)))
		mp->slot = r->slot;
	else
		munmap((void *)(uintptr_t)m.address, m.size);
	return true;
}

/* Does a successful unmap of (@o, @addr, @size) match one of our mappings? */
static bool unmap_plausible(struct fz *f, struct obj *o, uint64_t addr,
			    uint64_t size)
{
	for (int i = 0; o && i < MAX_MAPS; i++) {
		struct map *m = &f->maps[i];

		if (m->used && m->obj == o && m->addr == addr &&
		    (m->len == size || !m->exact))
			return true;
	}
	return false;
}

static bool op_unmap(struct fz *f)
{
	struct drm_dxgkcompat_pmo_unmap u = { 0 };
	struct map *m = pick_map(f, 0, NULL), *m2;
	const char *what = "valid";
	struct slot *us;
	struct hrec *r;
	struct obj *o;
	uint64_t v;
	bool must_fail = false, twice = false;
	int ret;

	if (!m)
		return false;
	o = m->obj;
	/* preferably the handle and file the mapping was made through */
	r = m->slot ? pick_hrec(f, o, m->slot) : NULL;
	if (!r)
		r = pick_hrec(f, o, NULL);
	u.address = m->addr;
	u.size = m->len;
	v = below(f, 100);
	if (v < 55) {
		/* valid */
	} else if (v < 65) {
		what = "wrong size";
		u.size = (uint64_t[]){ m->len + PG, PG, 0, m->len - PG }[below(f, 4)];
		must_fail = m->exact && u.size != m->len;
	} else if (v < 75) {
		what = "wrong address";
		u.address = (uint64_t[]){ m->addr + PG, m->addr - PG, 0,
					  m->addr + 1 }[below(f, 4)];
		must_fail = !unmap_plausible(f, o, u.address, u.size);
	} else if (v < 82 && (m2 = pick_map(f, 0, m)) && m2->obj != o) {
		what = "another object's mapping";
		u.address = m2->addr;
		u.size = m2->len;
		must_fail = true;
	} else if (v < 88) {
		what = "reserved";
		u.reserved = rnd(f) | 1;
		must_fail = true;
	} else if (v < 95) {
		what = "double";
		twice = true;
	} else {
		what = "bad handle";
		r = NULL;
		must_fail = true;
	}
	rlock();
	if (r && hrec_check_stale(f, r))
		r = NULL;
	u.handle = r ? r->handle : (uint32_t[]){ 0, 0xdeadbeef }[below(f, 2)];
	if (!r)
		must_fail = true;
	us = r ? r->slot : pick_slot(f);
	if (!us) {
		unlock();
		return true;
	}
	ret = dx_ioctl(f, us->fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &u,
		       &u.ntstatus, "PMO_UNMAP");
	if (!ret && twice && r) {
		u.ntstatus = 0;
		ret = dx_ioctl(f, r->slot->fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP,
			       &u, &u.ntstatus, "second PMO_UNMAP");
		if (!ret && opt.threads == 1)
			fail(f, "second PMO_UNMAP of %#llx+%#llx succeeded",
			     (unsigned long long)u.address,
			     (unsigned long long)u.size);
		punch(f, u.address, u.size);
		ret = 0;
	} else if (!ret) {
		if (must_fail || !unmap_plausible(f, r ? o : NULL, u.address,
						  u.size))
			fail(f, "PMO_UNMAP (%s) handle %u %#llx+%#llx succeeded "
			     "but is not a mapping of that object", what,
			     u.handle, (unsigned long long)u.address,
			     (unsigned long long)u.size);
		punch(f, u.address, u.size);
	} else if (!must_fail && m->exact && m->how == HOW_IOCTL &&
		   r->slot == m->slot && u.address == m->addr &&
		   u.size == m->len && !u.reserved) {
		fail(f, "PMO_UNMAP of live mapping %#" PRIx64 "+%#" PRIx64
		     " of obj#%u: %s ntstatus %#x", m->addr, m->len, o->id,
		     strerror(-ret), u.ntstatus);
	}
	unlock();
	vlog(f, "PMO_UNMAP (%s) handle %u %#llx+%#llx (%s of obj#%u) -> %d "
	     "ntstatus %#x", what, u.handle, (unsigned long long)u.address,
	     (unsigned long long)u.size, how_name[m->how], o->id, ret,
	     u.ntstatus);
	return true;
}

/* ---- mmap() of a GEM offset, a dma-buf or vgem ------------------------- */

struct mreq {
	uint64_t pgoff, len, fixaddr;
	int prot, flags;
	bool valid, unaligned, beyond;
	struct map *target;	/* MAP_FIXED over this mapping of ours */
};

static void gen_mreq(struct fz *f, uint64_t npages, struct mreq *q)
{
	static const int prots[] = {
		PROT_NONE, PROT_READ, PROT_READ, PROT_WRITE,
		PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	uint64_t lenp;

	memset(q, 0, sizeof(*q));
	q->prot = chance(f, 55) ? PROT_READ | PROT_WRITE : prots[below(f, 6)];
	q->flags = chance(f, 85) ? MAP_SHARED : MAP_PRIVATE;
	q->valid = chance(f, 80);
	if (q->valid) {
		q->pgoff = chance(f, 60) ? 0 : below(f, npages);
		lenp = chance(f, 50) ? npages - q->pgoff :
		       range(f, 1, npages - q->pgoff);
		lenp = min64(lenp, 256);
		q->len = lenp * PG;
		if (chance(f, 10))
			q->len -= range(f, 1, PG - 1);
	} else {
		switch (below(f, 4)) {
		case 0:
			q->pgoff = npages + below(f, 4);
			q->len = PG;
			q->beyond = true;
			break;
		case 1:
			q->pgoff = below(f, npages);
			q->len = (npages - q->pgoff + range(f, 1, 3)) * PG;
			break;
		case 2:
			q->len = 1ull << 40;
			break;
		default:
			q->unaligned = true;
			q->len = PG;
			break;
		}
	}
	if (q->valid && q->flags == MAP_SHARED && chance(f, 12) &&
	    nmaps(f) < MAX_MAPS - 4) {
		struct map *t = pick_map(f, 0, NULL);

		if (t) {
			lenp = min64(round_up(q->len) / PG, t->len / PG);
			q->len = lenp * PG;
			q->target = t;
			q->fixaddr = t->addr + below(f, t->len / PG - lenp + 1) * PG;
		}
	}
}

/* After a failed MAP_FIXED: find out what is left of the old mappings. */
static void fixed_recover(struct fz *f, uint64_t a, uint64_t len)
{
	for (uint64_t p = a; p < a + len; p += PG)
		if (opt.threads > 1 || !mapped(p))
			punch(f, p, PG);
}

/*
 * Judges an mmap() of an object (GEM offset, dma-buf, vgem) and records the
 * mapping. @exp and @why are prot_expect()'s.
 */
static struct map *mmap_done(struct fz *f, const char *what, struct obj *o,
			     struct mreq *q, void *p, int err, int exp,
			     const char *why, enum how how, bool fdw,
			     bool execj)
{
	bool ok = p != MAP_FAILED;
	struct map *m;
	uint64_t len = round_up(q->len);
	char pb[4];

	vlog(f, "%s obj#%u pgoff %#" PRIx64 " len %#" PRIx64 " %s %s%s%s -> %p %s",
	     what, o->id, q->pgoff, q->len, prot_str(q->prot, pb),
	     q->flags == MAP_SHARED ? "shared" : "private",
	     q->target ? " fixed" : "", q->unaligned ? " unaligned" : "", p,
	     ok ? "" : strerror(err));
	if (q->flags == MAP_PRIVATE) {
		if (ok && !g_root)
			fail(f, "%s MAP_PRIVATE of obj#%u succeeded", what, o->id);
		/*
		 * EPERM for PROT_EXEC: the core refuses to map a noexec
		 * file executable before the driver sees the mapping (7.2's
		 * dma-buf files are noexec).
		 */
		else if (!ok && q->valid && err != EINVAL && !g_root &&
			 how != HOW_VGEM &&
			 !(err == EPERM && (q->prot & PROT_EXEC) && how == HOW_DMABUF))
			fail(f, "%s MAP_PRIVATE of obj#%u: %s, expected EINVAL",
			     what, o->id, strerror(err));
	} else if (!q->valid && q->beyond && how != HOW_DMABUF) {
		/* a fake offset past the object may be another object's */
		if (ok)
			note(f, "%s at a fake offset past obj#%u succeeded",
			     what, o->id);
	} else if (!q->valid) {
		if (ok)
			fail(f, "%s of obj#%u (%" PRIu64 " pages) at page %#"
			     PRIx64 " len %#" PRIx64 "%s succeeded", what, o->id,
			     o->npages, q->pgoff, q->len,
			     q->unaligned ? " (unaligned offset)" : "");
	} else {
		char w[96];

		snprintf(w, sizeof(w), "%s %s of obj#%u (%s)", what,
			 prot_str(q->prot, pb), o->id, type_str(o->type));
		judge_prot(f, w, exp, why, ok, err);
	}
	if (!ok) {
		if (q->target)
			fixed_recover(f, q->fixaddr, len);
		return NULL;
	}
	f->st.mmaps++;
	if (q->flags != MAP_SHARED || !q->valid) {
		if (!q->target)
			munmap(p, len);
		return NULL;
	}
	if (q->target)
		punch(f, q->fixaddr, len);
	m = map_add(f, (uintptr_t)p, len, o, q->pgoff * PG, how, q->prot,
		    mappings_not_inherited && how != HOW_VGEM ? INH_NO : INH_ANY,
		    fdw, execj);
	if (!m)
		munmap(p, len);
	return m;
}

static void *do_mmap(struct mreq *q, int fd, uint64_t base)
{
	uint64_t off = base + q->pgoff * PG + (q->unaligned ? 1 : 0);

	return mmap(q->target ? (void *)(uintptr_t)q->fixaddr : NULL, q->len,
		    q->prot, q->flags | (q->target ? MAP_FIXED : 0), fd,
		    (off_t)off);
}

static bool op_mmap_gem(struct fz *f)
{
	struct hrec *r = pick_hrec(f, NULL, NULL);
	struct map *mp;
	const char *why;
	struct mreq q;
	uint64_t base;
	int exp, err;
	void *p;

	if (!r)
		return false;
	gen_mreq(f, r->obj->npages, &q);
	exp = prot_expect(r->obj, q.prot, true, !r->slot->noexec, &why);
	rlock();
	if (hrec_check_stale(f, r) || !(base = mmap_offset(f, r))) {
		unlock();
		return true;
	}
	p = do_mmap(&q, r->slot->fd, base);
	err = errno;
	unlock();
	mp = mmap_done(f, "gem-mmap", r->obj, &q, p, err, exp, why, HOW_GEM,
		       true, !r->slot->noexec);
	if (mp)
		mp->slot = r->slot;
	return true;
}

static bool op_mmap_dbuf(struct fz *f)
{
	struct dmabuf *d = pick_dbuf(f);
	const char *why;
	struct mreq q;
	int exp, err;
	void *p;

	if (!d)
		return false;
	gen_mreq(f, d->obj->npages, &q);
	exp = prot_expect(d->obj, q.prot, d->rdwr, false, &why);
	p = do_mmap(&q, d->fd, 0);
	err = errno;
	mmap_done(f, "dmabuf-mmap", d->obj, &q, p, err, exp, why, HOW_DMABUF,
		  d->rdwr, false);
	return true;
}

/* ---- mprotect, mremap, munmap, madvise ---------------------------------- */

static bool op_mprotect(struct fz *f)
{
	struct map *m = pick_map(f, 0, NULL), *mid;
	uint64_t s = 0, e, pages;
	const char *why = "reducing";
	int np, exp, ret, err;
	char b1[4], b2[4], w[96];

	if (!m || nmaps(f) > MAX_MAPS - 3)
		return false;
	switch (below(f, 3)) {
	case 0:
		np = m->prot ^ PROT_WRITE;
		break;
	case 1:
		np = m->prot ^ PROT_EXEC;
		break;
	default:
		np = (int[]){ PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
			      PROT_READ | PROT_EXEC }[below(f, 4)];
		break;
	}
	if (np == m->prot)
		np ^= PROT_WRITE;
	if (np & PROT_WRITE)
		np |= PROT_READ;	/* x86: W implies R; keep the model simple */
	if (np == m->prot)
		return true;
	pages = m->len / PG;
	e = m->len;
	if (pages >= 2 && chance(f, 30)) {
		s = below(f, pages - 1) * PG;
		e = s + range(f, 1, pages - s / PG) * PG;
	}
	exp = (np & ~m->prot) ? EXP_ANY : EXP_ALLOW;
	if (np & ~m->prot) {
		if (m->how == HOW_VGEM)
			exp = (np & PROT_WRITE) && !m->fd_writable ? EXP_DENY : EXP_ANY;
		else
			exp = prot_expect(m->obj, np, m->fd_writable,
					  m->exec_judged, &why);
	}
	ret = mprotect((void *)(uintptr_t)(m->addr + s), e - s, np);
	err = errno;
	snprintf(w, sizeof(w), "mprotect %s->%s of %s mapping of obj#%u (%s)",
		 prot_str(m->prot, b1), prot_str(np, b2), how_name[m->how],
		 m->obj->id, type_str(m->obj->type));
	vlog(f, "%s %#" PRIx64 "+%#" PRIx64 " -> %d %s", w, m->addr + s, e - s,
	     ret, ret ? strerror(err) : "");
	judge_prot(f, w, exp, why, !ret, err);
	if (ret)
		return true;
	mid = m;
	if (s)
		mid = map_split(f, m, m->addr + s);
	if (mid && e - s < mid->len)
		map_split(f, mid, mid->addr + (e - s));
	if (mid)
		mid->prot = np;
	return true;
}

static bool op_mremap(struct fz *f)
{
	struct map *m = pick_map(f, 0, NULL);
	uint64_t v = below(f, 100), maxlen, nl;
	void *p;

	if (!m)
		return false;
	maxlen = (m->obj->npages * PG - m->obj_off);
	if (v < 40 && m->len >= 2 * PG) {
		nl = range(f, 1, m->len / PG - 1) * PG;
		p = mremap((void *)(uintptr_t)m->addr, m->len, nl, 0);
		vlog(f, "mremap shrink %#" PRIx64 " %#" PRIx64 "->%#" PRIx64
		     " -> %p", m->addr, m->len, nl, p);
		if (p == MAP_FAILED) {
			note(f, "mremap shrink: %s", strerror(errno));
		} else {
			if ((uintptr_t)p != m->addr)
				fail(f, "mremap shrink moved %#" PRIx64 " to %p",
				     m->addr, p);
			punch(f, m->addr + nl, m->len - nl);
		}
	} else if (v < 70 && maxlen > m->len) {
		int flags = chance(f, 50) ? MREMAP_MAYMOVE : 0;

		nl = min64(m->len + range(f, 1, 4) * PG, maxlen);
		p = mremap((void *)(uintptr_t)m->addr, m->len, nl, flags);
		vlog(f, "mremap grow %#" PRIx64 " %#" PRIx64 "->%#" PRIx64
		     "%s -> %p", m->addr, m->len, nl,
		     flags ? " maymove" : "", p);
		if (p != MAP_FAILED) {
			note(f, "mremap grow of a %s mapping succeeded",
			     how_name[m->how]);
			m->addr = (uintptr_t)p;
			m->len = nl;
		}
	} else {
		uint64_t s, e;
		int prot;
		bool anon;
		void *dst = mmap(NULL, m->len, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (dst == MAP_FAILED)
			return true;
		p = mremap((void *)(uintptr_t)m->addr, m->len, m->len,
			   MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		vlog(f, "mremap move %#" PRIx64 "+%#" PRIx64 " to %p -> %p",
		     m->addr, m->len, dst, p);
		if (p == MAP_FAILED) {
			note(f, "mremap move of a %s mapping: %s",
			     how_name[m->how], strerror(errno));
			if (vma_at((uintptr_t)dst, &s, &e, &prot, &anon) && anon &&
			    s == (uintptr_t)dst && e == s + m->len)
				munmap(dst, m->len);
		} else {
			m->addr = (uintptr_t)p;
		}
	}
	return true;
}

static bool op_munmap(struct fz *f)
{
	struct map *m = pick_map(f, 0, NULL);
	uint64_t pages, a, len;
	uint64_t v = below(f, 100);

	if (!m)
		return false;
	pages = m->len / PG;
	a = m->addr;
	len = m->len;
	if (v < 20 && pages >= 2) {
		len = PG;				/* head */
	} else if (v < 40 && pages >= 2) {
		a = m->addr + m->len - PG;		/* tail */
		len = PG;
	} else if (v < 65 && pages >= 3 && nmaps(f) < MAX_MAPS - 1) {
		a = m->addr + range(f, 1, pages - 2) * PG; /* a middle page */
		len = PG;
	}
	vlog(f, "munmap %#" PRIx64 "+%#" PRIx64 " of %s %#" PRIx64 "+%#" PRIx64,
	     a, len, how_name[m->how], m->addr, m->len);
	if (munmap((void *)(uintptr_t)a, len))
		note(f, "munmap: %s", strerror(errno));
	else
		punch(f, a, len);
	return true;
}

static bool op_madvise(struct fz *f)
{
	struct map *m = pick_map(f, 0, NULL);
	uint64_t v = below(f, 100), moff = 0, len;
	int ret, err;

	if (!m)
		return false;
	len = m->len;
	if (v < 50) {
		pick_window(f, m, m->len, &moff, &len);
		moff &= ~(PG - 1);
		len = round_up(len);
		if (moff + len > m->len)
			len = m->len - moff;
		ret = madvise((void *)(uintptr_t)(m->addr + moff), len,
			      MADV_DONTNEED);
		vlog(f, "madvise DONTNEED %#" PRIx64 "+%#" PRIx64 " -> %d",
		     m->addr + moff, len, ret);
		/* a shared mapping of the object's pages: the data stays */
		if (m->prot & PROT_READ)
			check_range(f, m, moff, min64(len, TOUCH_MAX),
				    "after MADV_DONTNEED");
	} else if (v < 75) {
		bool judged = m->how == HOW_IOCTL ||
			      (mappings_not_inherited && m->how != HOW_VGEM);

		ret = madvise((void *)(uintptr_t)m->addr, m->len, MADV_DOFORK);
		err = errno;
		vlog(f, "madvise DOFORK %s %#" PRIx64 "+%#" PRIx64 " -> %d",
		     how_name[m->how], m->addr, m->len, ret);
		if (!ret && judged && mappings_not_inherited)
			fail(f, "madvise(MADV_DOFORK) of %s mapping %#" PRIx64
			     " of obj#%u succeeded, expected EINVAL",
			     how_name[m->how], m->addr, m->obj->id);
		else if (ret && judged && err != EINVAL)
			note(f, "madvise(MADV_DOFORK): %s", strerror(err));
		if (!ret)
			m->inherit = INH_YES;
	} else {
		ret = madvise((void *)(uintptr_t)m->addr, m->len, MADV_DONTFORK);
		vlog(f, "madvise DONTFORK %s %#" PRIx64 "+%#" PRIx64 " -> %d",
		     how_name[m->how], m->addr, m->len, ret);
		if (!ret)
			m->inherit = INH_NO;
	}
	return true;
}

/* ---- COPY ------------------------------------------------------------- */

/* A read-only mapping of all of @r's object, or NULL. Under g_lock. */
static uint8_t *temp_map(struct fz *f, struct hrec *r)
{
	uint64_t base = mmap_offset(f, r);
	void *p;

	if (!base)
		return NULL;
	p = mmap(NULL, r->obj->npages * PG, PROT_READ, MAP_SHARED, r->slot->fd,
		 (off_t)base);
	if (p == MAP_FAILED) {
		note(f, "read-only gem-mmap of obj#%u: %s", r->obj->id,
		     strerror(errno));
		return NULL;
	}
	return p;
}

static void copy_verify(struct fz *f, struct hrec *a, struct hrec *b,
			uint64_t soff, uint64_t doff, uint64_t n)
{
	uint8_t *sp = temp_map(f, a), *dp = a == b ? sp : temp_map(f, b);
	struct gw w;
	int sig;

	if (sp && dp) {
		w = (struct gw){ GW_CMP, dp + doff, sp + soff, n, 0 };
		sig = guarded(&w);
		if (sig)
			fail(f, "signal %d reading a fresh read-only gem-mmap "
			     "after COPY", sig);
		else if (w.bad != SIZE_MAX)
			fail(f, "COPY obj#%u+%#" PRIx64 " -> obj#%u+%#" PRIx64
			     " len %#" PRIx64 ": dst byte %#" PRIx64 " is %#x, "
			     "src has %#x", a->obj->id, soff, b->obj->id, doff,
			     n, w.bad, dp[doff + w.bad], sp[soff + w.bad]);
	}
	if (sp)
		munmap(sp, a->obj->npages * PG);
	if (dp && dp != sp)
		munmap(dp, b->obj->npages * PG);
}

static bool op_copy(struct fz *f)
{
	struct drm_dxgkcompat_copy c = { 0 };
	struct hrec *a = pick_hrec(f, NULL, NULL), *b;
	struct obj *so, *dobj;
	const char *what = "valid";
	bool valid = false;
	int ret, expect = 0;
	double t0;

	if (!a)
		return false;
	b = chance(f, 15) ? a : pick_hrec(f, NULL, a->slot);
	so = a->obj;
	dobj = b->obj;
	switch (below(f, 100) < 65 ? 0 : below(f, 6) + 1) {
	case 0: {
		/* mostly one edu chunk (4095 bytes): the engine is slow */
		uint64_t v = below(f, 100), cap = v < 70 ? 4095 :
			     v < 90 ? 16 << 10 : v < 98 ? 64 << 10 : COPY_MAX;
		uint64_t n = range(f, 1, min64(min64(so->size, dobj->size), cap));

		c.size = n;
		c.src_offset = below(f, so->size - n + 1);
		c.dst_offset = below(f, dobj->size - n + 1);
		valid = true;
		if (so == dobj) {
			valid = false;
			for (int i = 0; i < 8 && !valid; i++) {
				c.size = n = range(f, 1, so->size / 2 ? so->size / 2 : 1);
				c.src_offset = below(f, so->size - n + 1);
				c.dst_offset = below(f, so->size - n + 1);
				valid = n <= so->size &&
					(c.src_offset + n <= c.dst_offset ||
					 c.dst_offset + n <= c.src_offset);
			}
			if (!valid) {
				what = "overlap";
				expect = EINVAL;
			}
		}
		break;
	}
	case 1:
		what = "overlap";
		b = a;
		dobj = so;
		c.size = range(f, 1, so->size);
		c.src_offset = below(f, so->size - c.size + 1);
		c.dst_offset = c.src_offset;
		if (c.size > 1 && c.src_offset + c.size + c.size / 2 <= so->size)
			c.dst_offset += below(f, c.size);
		expect = EINVAL;
		break;
	case 2:
		what = "out of range";
		c.size = range(f, 1, so->size);
		c.src_offset = so->size - c.size + 1;
		expect = EINVAL;
		break;
	case 3:
		what = "size 0";
		expect = EINVAL;
		break;
	case 4:
		what = "huge";
		c.size = chance(f, 50) ? 1ull << 40 : ~0ull;
		expect = EINVAL;
		break;
	case 5:
		what = "wrapping";
		c.src_offset = ~0ull - 5;
		c.size = 100;
		expect = EOVERFLOW;
		break;
	default:
		what = "pad";
		c.size = 1;
		c.pad = (uint32_t)rnd(f) | 1;
		expect = EINVAL;
		break;
	}
	rlock();
	if (hrec_check_stale(f, a) || (b != a && hrec_check_stale(f, b))) {
		unlock();
		return true;
	}
	c.src_handle = a->handle;
	c.dst_handle = b->handle;
	if (valid && opt.time > 0 &&
	    (double)__atomic_load_n(&g_copy_ns, __ATOMIC_RELAXED) / 1e9 >
	    opt.time * COPY_TIME_SHARE) {
		unlock();
		__atomic_add_fetch(&g_copy_skipped, 1, __ATOMIC_RELAXED);
		vlog(f, "COPY skipped: copies used their share of --time");
		return true;
	}
	t0 = elapsed();
	ret = dx_ioctl(f, a->slot->fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c,
		       &c.ntstatus, "COPY");
	if (valid)
		__atomic_add_fetch(&g_copy_ns, (uint64_t)((elapsed() - t0) * 1e9),
				   __ATOMIC_RELAXED);
	vlog(f, "COPY (%s) obj#%u+%#llx -> obj#%u+%#llx len %#llx pad %#x -> %d "
	     "ntstatus %#x", what, so->id, (unsigned long long)c.src_offset,
	     dobj->id, (unsigned long long)c.dst_offset,
	     (unsigned long long)c.size, c.pad, ret, c.ntstatus);
	if (valid && !ret) {
		struct known *src = NULL;

		f->st.copies++;
		if (dobj->type == DRM_DXGKCOMPAT_PMO_SECTION &&
		    (dobj->pprot == PAGE_READONLY || dobj->pprot == PAGE_EXECUTE))
			fail(f, "COPY into a section with page_protection %#x "
			     "succeeded", dobj->pprot);
		copy_verify(f, a, b, c.src_offset, c.dst_offset, c.size);
		for (int i = 0; i < MAX_KNOWN && !so->zero; i++) {
			struct known *k = &so->known[i];

			if (k->used && k->off <= c.src_offset &&
			    k->off + k->len >= c.src_offset + c.size)
				src = k;
		}
		if (so->zero && dobj->zero) {
			/* zeros onto zeros */
		} else {
			struct known k = src ? *src : (struct known){ 0 };

			obj_dirty(f, dobj, c.dst_offset, c.size);
			if (so->zero)
				known_add(f, dobj, c.dst_offset, c.size, 0, 0);
			else if (src)
				known_add(f, dobj, c.dst_offset, c.size,
					  k.base + (c.src_offset - k.off), k.gen);
		}
	} else if (valid && dobj->type == DRM_DXGKCOMPAT_PMO_SECTION &&
		   (dobj->pprot == PAGE_READONLY || dobj->pprot == PAGE_EXECUTE)) {
		/* no device writes what no mapping may */
		if (ret != -EACCES || c.ntstatus != 0xC0000022u)
			fail(f, "COPY into a section with page_protection %#x: %s "
			     "ntstatus %#x, expected EACCES", dobj->pprot,
			     strerror(-ret), c.ntstatus);
	} else if (valid) {
		if (!copy_ok_errno(-ret))
			fail(f, "COPY of valid ranges failed: %s ntstatus %#x",
			     strerror(-ret), c.ntstatus);
	} else if (!ret) {
		f->st.copies++;
		fail(f, "COPY (%s) src %#llx dst %#llx size %#llx pad %#x "
		     "succeeded", what, (unsigned long long)c.src_offset,
		     (unsigned long long)c.dst_offset,
		     (unsigned long long)c.size, c.pad);
	} else if (-ret != expect && !copy_ok_errno(-ret)) {
		note(f, "COPY (%s): %s, expected %s", what, strerror(-ret),
		     strerror(expect));
	}
	/* the device may have written part of the range */
	if (ret == -ETIMEDOUT || ret == -EIO || ret == -ECANCELED ||
	    (!ret && !valid))
		obj_dirty(f, dobj, c.dst_offset, c.size ? c.size : 1);
	unlock();
	return true;
}

/* ---- GET_ADAPTER_INFO -------------------------------------------------- */

static bool op_info(struct fz *f)
{
	struct drm_dxgkcompat_adapter_info i = { 0 };
	struct slot *s = pick_slot(f);
	const struct drm_dxgkcompat_adapter_info *ref;
	const char *what = "zeroed";
	bool must_fail = false;
	int ret;

	if (!s)
		return false;
	if (chance(f, 30)) {
		switch (below(f, 4)) {
		case 0:
			what = "pad";
			i.pad = (uint32_t)rnd(f) | 1;
			must_fail = true;
			break;
		case 1:
			what = "dma_flags";
			i.dma_flags = (uint32_t)rnd(f) | 1;
			must_fail = true;
			break;
		case 2:
			what = "output fields";
			i.interface_version = (uint32_t)rnd(f);
			i.dma_mask = rnd(f);
			memset(i.miniport_name, 'x', sizeof(i.miniport_name));
			break;
		default:
			what = "ntstatus";
			i.ntstatus = (uint32_t)rnd(f) | 1;
			break;
		}
	}
	ret = xioctl(s->fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &i);
	vlog(f, "GET_ADAPTER_INFO (%s) %s -> %d ntstatus %#x", what, s->path,
	     ret, i.ntstatus);
	if (!ret && i.ntstatus)
		fail(f, "GET_ADAPTER_INFO: success with ntstatus %#x", i.ntstatus);
	else if (ret && (!i.ntstatus || !sane_errno(-ret)))
		fail(f, "GET_ADAPTER_INFO (%s): %s ntstatus %#x", what,
		     strerror(-ret), i.ntstatus);
	if (!ret && must_fail)
		fail(f, "GET_ADAPTER_INFO with nonzero %s succeeded", what);
	if (ret && !strcmp(what, "zeroed"))
		fail(f, "GET_ADAPTER_INFO with zeroed input: %s", strerror(-ret));
	if (ret && !must_fail && strcmp(what, "zeroed"))
		note(f, "GET_ADAPTER_INFO with nonzero %s: %s", what,
		     strerror(-ret));
	if (ret)
		return true;
	if (!memchr(i.miniport_name, 0, sizeof(i.miniport_name)))
		fail(f, "GET_ADAPTER_INFO: miniport_name not NUL-terminated");
	ref = &g_devs[s->dev].info;
	if (g_devs[s->dev].have_info &&
	    (i.interface_version != ref->interface_version ||
	     i.miniport_version != ref->miniport_version ||
	     i.iommu_mode != ref->iommu_mode || i.dma_mask != ref->dma_mask ||
	     i.pci_vendor_id != ref->pci_vendor_id ||
	     strncmp(i.miniport_name, ref->miniport_name,
		     sizeof(i.miniport_name))))
		fail(f, "GET_ADAPTER_INFO of %s changed since the start", s->path);
	return true;
}

/* ---- PRIME ---------------------------------------------------------------- */

static struct dmabuf *dbuf_slot(struct fz *f)
{
	for (int i = 0; i < MAX_DMABUFS; i++)
		if (!f->dbufs[i].used)
			return &f->dbufs[i];
	return NULL;
}

static bool op_export(struct fz *f)
{
	struct hrec *r = pick_hrec(f, NULL, NULL);
	struct drm_prime_handle p = { .fd = -1 };
	struct dmabuf *d = dbuf_slot(f);
	uint64_t v = below(f, 100);
	bool bad;
	int ret;

	if (!r)
		return false;
	if (!d) {
		d = pick_dbuf(f);
		close(d->fd);
		d->used = false;
		obj_put(f, d->obj);
	}
	p.flags = v < 60 ? DRM_CLOEXEC | DRM_RDWR : v < 75 ? DRM_CLOEXEC :
		  v < 80 ? 0 : v < 88 ? DRM_RDWR : (uint32_t)rnd(f);
	bad = p.flags & ~(uint32_t)(DRM_CLOEXEC | DRM_RDWR);
	rlock();
	if (hrec_check_stale(f, r)) {
		unlock();
		return true;
	}
	p.handle = r->handle;
	ret = xioctl(r->slot->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
	unlock();
	vlog(f, "PRIME_HANDLE_TO_FD handle %u obj#%u flags %#x -> %d fd %d",
	     p.handle, r->obj->id, p.flags, ret, p.fd);
	if (ret) {
		if (!bad)
			note(f, "PRIME export of obj#%u: %s", r->obj->id,
			     strerror(-ret));
		return true;
	}
	f->st.prime++;
	if (bad) {
		fail(f, "PRIME_HANDLE_TO_FD with flags %#x succeeded", p.flags);
		close(p.fd);
		return true;
	}
	/*
	 * An object has one dma-buf file: its mode is that of the first
	 * export, whatever the flags of this one. Ask the fd.
	 */
	*d = (struct dmabuf){ true, p.fd,
			      (fcntl(p.fd, F_GETFL) & O_ACCMODE) == O_RDWR,
			      r->obj };
	r->obj->refs++;
	return true;
}

static bool op_dbsync(struct fz *f)
{
	struct dmabuf *d = pick_dbuf(f);
	struct dma_buf_sync s;
	bool valid = chance(f, 80);
	int ret;

	if (!d)
		return false;
	if (valid) {
		s.flags = chance(f, 50) ? DMA_BUF_SYNC_START : DMA_BUF_SYNC_END;
		s.flags |= range(f, 1, 3);	/* READ, WRITE or RW */
	} else {
		static const uint32_t bad[] = { 0, DMA_BUF_SYNC_END, 1u << 5 };

		s.flags = pick32(f, bad, 3) | (chance(f, 50) ? 0 : 8);
		if ((s.flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK) == 0 &&
		    (s.flags & DMA_BUF_SYNC_RW))
			s.flags |= 8;	/* random bits may have made it valid */
	}
	ret = xioctl(d->fd, DMA_BUF_IOCTL_SYNC, &s);
	vlog(f, "DMA_BUF_IOCTL_SYNC obj#%u flags %#llx -> %d", d->obj->id,
	     (unsigned long long)s.flags, ret);
	if (!valid && !ret)
		fail(f, "DMA_BUF_IOCTL_SYNC with flags %#llx succeeded",
		     (unsigned long long)s.flags);
	else if (valid && ret)
		note(f, "DMA_BUF_IOCTL_SYNC %#llx: %s",
		     (unsigned long long)s.flags, strerror(-ret));
	return true;
}

static bool op_import(struct fz *f)
{
	struct dmabuf *d = pick_dbuf(f);
	struct slot *s = pick_slot(f);
	struct drm_prime_handle p = { 0 };
	struct reg_ent *e;
	int ret;

	if (!d || !s)
		return false;
	p.fd = d->fd;
	wlock();
	ret = xioctl(s->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	vlog(f, "PRIME_FD_TO_HANDLE obj#%u into %s -> %d handle %u", d->obj->id,
	     s->path, ret, p.handle);
	if (ret) {
		if (s->dev == d->obj->dev)
			note(f, "import of our own dma-buf: %s", strerror(-ret));
	} else if ((e = reg_find(s, p.handle))) {
		f->st.prime++;
		if (e->rec->obj != d->obj || e->tid != f->tid)
			fail(f, "PRIME_FD_TO_HANDLE of obj#%u returned handle %u, "
			     "which holds another object", d->obj->id, p.handle);
	} else {
		f->st.prime++;
		if (s->dev != d->obj->dev) {
			note(f, "import into another adapter succeeded");
			gem_close(s->fd, p.handle);
		} else if (!hrec_add(f, s, p.handle, d->obj)) {
			gem_close(s->fd, p.handle);
		}
	}
	unlock();
	return true;
}

static bool op_dbclose(struct fz *f)
{
	struct dmabuf *d = pick_dbuf(f);

	if (!d)
		return false;
	vlog(f, "close dma-buf fd %d of obj#%u", d->fd, d->obj->id);
	close(d->fd);
	d->used = false;
	obj_put(f, d->obj);
	return true;
}

/* ---- vgem -------------------------------------------------------------- */

static bool op_vgem_import(struct fz *f)
{
	struct dmabuf *d = pick_dbuf(f);
	struct drm_prime_handle p = { 0 };
	struct vrec *v = NULL;
	int ret;

	if (!d || f->vgem_fd < 0)
		return false;
	p.fd = d->fd;
	ret = xioctl(f->vgem_fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	vlog(f, "vgem PRIME_FD_TO_HANDLE obj#%u -> %d handle %u", d->obj->id,
	     ret, p.handle);
	if (ret) {
		note(f, "vgem import of obj#%u: %s", d->obj->id, strerror(-ret));
		return true;
	}
	f->st.prime++;
	for (int i = 0; i < MAX_VGEMS; i++) {
		if (f->vgems[i].used && f->vgems[i].handle == p.handle) {
			if (f->vgems[i].obj != d->obj)
				fail(f, "vgem import of obj#%u returned handle %u "
				     "of obj#%u", d->obj->id, p.handle,
				     f->vgems[i].obj->id);
			return true;
		}
		if (!f->vgems[i].used && !v)
			v = &f->vgems[i];
	}
	if (!v) {
		gem_close(f->vgem_fd, p.handle);
		return true;
	}
	*v = (struct vrec){ true, p.handle, d->obj };
	d->obj->refs++;
	return true;
}

/*
 * Maps a vgem import: through vgem's dumb offset where vgem allows it, else
 * (drm_gem_dumb_map_offset() refuses imports) through vgem's re-export of
 * it, which is our dma-buf again.
 */
static bool op_vgem_map(struct fz *f)
{
	struct vrec *v = pick_vrec(f);
	struct drm_mode_map_dumb md = { 0 };
	struct drm_prime_handle ex = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct mreq q;
	bool fdw = true;
	int ret, err, fd = -1;
	void *p;

	if (!v)
		return false;
	gen_mreq(f, v->obj->npages, &q);
	md.handle = v->handle;
	ret = xioctl(f->vgem_fd, DRM_IOCTL_MODE_MAP_DUMB, &md);
	if (ret) {
		ex.handle = v->handle;
		ret = xioctl(f->vgem_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex);
		if (ret) {
			note(f, "vgem re-export of imported obj#%u: %s",
			     v->obj->id, strerror(-ret));
			return true;
		}
		fd = ex.fd;
		fdw = (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR;
		for (int i = 0; i < MAX_DMABUFS; i++) {
			struct stat a, b;

			if (f->dbufs[i].used && f->dbufs[i].obj == v->obj &&
			    !fstat(fd, &a) && !fstat(f->dbufs[i].fd, &b) &&
			    a.st_ino != b.st_ino)
				note(f, "vgem re-export of obj#%u is another "
				     "dma-buf", v->obj->id);
		}
	}
	p = do_mmap(&q, fd >= 0 ? fd : f->vgem_fd, fd >= 0 ? 0 : md.offset);
	err = errno;
	if (fd >= 0)
		close(fd);
	mmap_done(f, "vgem-mmap", v->obj, &q, p, err, EXP_ANY, "", HOW_VGEM,
		  fdw, false);
	return true;
}

static bool op_vgem_close(struct fz *f)
{
	struct vrec *v = pick_vrec(f);
	int ret;

	if (!v)
		return false;
	ret = gem_close(f->vgem_fd, v->handle);
	vlog(f, "vgem GEM_CLOSE %u (obj#%u) -> %d", v->handle, v->obj->id, ret);
	if (ret)
		fail(f, "vgem GEM_CLOSE of import %u: %s", v->handle,
		     strerror(-ret));
	v->used = false;
	obj_put(f, v->obj);
	return true;
}

/* A vgem dumb buffer's dma-buf must not import into dxgkcompat. */
static bool op_vgem_dumb(struct fz *f)
{
	struct drm_mode_create_dumb cd = { .height = 16, .width = 64, .bpp = 32 };
	struct drm_prime_handle ex = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct drm_prime_handle im = { 0 };
	struct slot *s = pick_slot(f);
	int ret;

	if (f->vgem_fd < 0 || !s)
		return false;
	if (xioctl(f->vgem_fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd)) {
		note(f, "vgem CREATE_DUMB: %s", strerror(errno));
		return true;
	}
	ex.handle = cd.handle;
	if (xioctl(f->vgem_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ex)) {
		note(f, "vgem export: %s", strerror(errno));
		gem_close(f->vgem_fd, cd.handle);
		return true;
	}
	im.fd = ex.fd;
	wlock();
	ret = xioctl(s->fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &im);
	if (!ret) {
		fail(f, "import of a vgem dumb buffer into %s succeeded (handle %u)",
		     s->path, im.handle);
		gem_close(s->fd, im.handle);
	} else if (ret != -EINVAL) {
		fail(f, "import of a vgem dumb buffer: %s, expected EINVAL",
		     strerror(-ret));
	}
	unlock();
	vlog(f, "import vgem dumb buffer into %s -> %d", s->path, ret);
	close(ex.fd);
	gem_close(f->vgem_fd, cd.handle);
	return true;
}

/* ---- stale handles ------------------------------------------------------- */

static bool op_stale(struct fz *f)
{
	int idx[MAX_STALE], n = 0;
	struct stale *e;
	struct reg_ent *re;
	struct slot *s;
	bool unknown, own;
	const char *what;
	uint32_t h, nt = 0;
	int ret = 0, v;

	for (int i = 0; i < MAX_STALE; i++)
		if (f->stale[i].used && f->stale[i].slot->fd >= 0)
			idx[n++] = i;
	if (!n)
		return false;
	e = &f->stale[idx[below(f, n)]];
	s = e->slot;
	h = e->handle;
	v = (int)below(f, 8);
	if (v == 5)
		wlock();
	else
		rlock();
	re = reg_find(s, h);
	unknown = !re;
	own = re && re->tid == f->tid;
	switch (v) {
	case 0: {
		struct drm_dxgkcompat_pmo_map m = { .handle = h, .size = 1 };

		what = "PMO_MAP";
		ret = dx_ioctl(f, s->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m,
			       &m.ntstatus, "stale PMO_MAP");
		nt = m.ntstatus;
		if (!ret)
			munmap((void *)(uintptr_t)m.address, m.size);
		break;
	}
	case 1: {
		struct drm_dxgkcompat_pmo_mmap_offset o = { .handle = h };

		what = "PMO_MMAP_OFFSET";
		ret = dx_ioctl(f, s->fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &o,
			       &o.ntstatus, "stale PMO_MMAP_OFFSET");
		nt = o.ntstatus;
		break;
	}
	case 2: case 3: {
		struct drm_dxgkcompat_copy c = { .size = 1 };
		struct hrec *other = pick_hrec(f, NULL, s);

		what = v == 2 ? "COPY from" : "COPY to";
		/* never write into an object of another thread */
		if (!other || other->stale || (v == 3 && !unknown && !own) ||
		    (v == 3 && unknown && opt.threads > 1)) {
			unlock();
			return true;
		}
		c.src_handle = v == 2 ? h : other->handle;
		c.dst_handle = v == 2 ? other->handle : h;
		ret = dx_ioctl(f, s->fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c,
			       &c.ntstatus, "stale COPY");
		nt = c.ntstatus;
		if (v == 2 && ret != -ENOENT && ret != -EINVAL)
			obj_dirty(f, other->obj, 0, 1);
		if (v == 3 && own && ret != -ENOENT && ret != -EINVAL)
			obj_dirty(f, re->rec->obj, 0, 1);
		break;
	}
	case 4: {
		struct drm_prime_handle p = { .handle = h, .flags = DRM_CLOEXEC };

		what = "PRIME_HANDLE_TO_FD";
		ret = xioctl(s->fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
		if (!ret)
			close(p.fd);
		break;
	}
	case 7: {
		struct drm_dxgkcompat_pmo_unmap u = { .handle = h };
		struct map *m = pick_map(f, 0, NULL);

		what = "PMO_UNMAP";
		if (!m) {
			unlock();
			return true;
		}
		u.address = m->addr;
		u.size = m->len;
		ret = dx_ioctl(f, s->fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &u,
			       &u.ntstatus, "stale PMO_UNMAP");
		nt = u.ntstatus;
		if (!ret) {
			if (!own || re->rec->obj != m->obj)
				fail(f, "PMO_UNMAP with closed handle %u of %s "
				     "mapping %#" PRIx64 " of obj#%u succeeded",
				     h, how_name[m->how], m->addr, m->obj->id);
			punch(f, u.address, u.size);
			unknown = false;
		}
		break;
	}
	case 5:
		what = "GEM_CLOSE";
		ret = gem_close(s->fd, h);
		if (!ret && re) {
			re->rec->stale = 1;
			reg_del(s, h);
		}
		break;
	default: {
		void *p = MAP_FAILED;

		what = "mmap of the old fake offset";
		if (e->mmoff)
			p = mmap(NULL, PG, PROT_READ, MAP_SHARED, s->fd,
				 (off_t)e->mmoff);
		if (p != MAP_FAILED) {
			note(f, "mmap of the fake offset of closed handle %u "
			     "succeeded", h);
			munmap(p, PG);
		}
		unknown = false;	/* not judged */
		ret = p == MAP_FAILED ? -errno : 0;
		break;
	}
	}
	unlock();
	vlog(f, "stale handle %u (was obj#%u) %s: %s -> %d ntstatus %#x", h,
	     e->obj_id, unknown ? "unused" : own ? "reused by us" :
	     "reused by another thread", what, ret, nt);
	if (unknown && !ret)
		fail(f, "%s of closed, unused handle %u succeeded", what, h);
	else if (unknown && ret != -ENOENT && ret != -EINVAL)
		note(f, "%s of closed handle %u: %s", what, h, strerror(-ret));
	if (chance(f, 30))
		e->used = false;
	return true;
}

/* Threads: close a small handle number that is not ours, racing the others. */
static bool op_foreign_close(struct fz *f)
{
	struct slot *s = pick_slot(f);
	struct reg_ent *e;
	uint32_t h = (uint32_t)range(f, 1, 64);
	int ret;

	if (!s || !s->shared)
		return false;
	wlock();
	e = reg_find(s, h);
	if (e && e->tid == f->tid) {
		unlock();
		return true;
	}
	ret = gem_close(s->fd, h);
	if (!ret && e) {
		e->rec->stale = 1;
		reg_del(s, h);
	} else if (!ret) {
		fail(f, "GEM_CLOSE of handle %u, which nobody holds, succeeded", h);
	}
	unlock();
	vlog(f, "foreign GEM_CLOSE %u on %s (%s) -> %d", h, s->path,
	     e ? "another thread's" : "unused", ret);
	return true;
}

/* ---- unknown and test-only ioctls -------------------------------------- */

static bool op_badioctl(struct fz *f)
{
	static const struct { unsigned int nr; size_t sz; } known[] = {
		{ DRM_DXGKCOMPAT_GET_ADAPTER_INFO, sizeof(struct drm_dxgkcompat_adapter_info) },
		{ DRM_DXGKCOMPAT_PMO_CREATE, sizeof(struct drm_dxgkcompat_pmo_create) },
		{ DRM_DXGKCOMPAT_PMO_MAP, sizeof(struct drm_dxgkcompat_pmo_map) },
		{ DRM_DXGKCOMPAT_PMO_UNMAP, sizeof(struct drm_dxgkcompat_pmo_unmap) },
		{ DRM_DXGKCOMPAT_PMO_MMAP_OFFSET, sizeof(struct drm_dxgkcompat_pmo_mmap_offset) },
		{ DRM_DXGKCOMPAT_COPY, sizeof(struct drm_dxgkcompat_copy) },
		{ DRM_DXGKCOMPAT_TEST_PTE, sizeof(struct drm_dxgkcompat_test_pte) },
		{ DRM_DXGKCOMPAT_TEST_CB_MAP, sizeof(struct drm_dxgkcompat_test_cb_map) },
		{ DRM_DXGKCOMPAT_TEST_STALE_DMA, sizeof(struct drm_dxgkcompat_test_stale_dma) },
	};
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE
	};
	struct slot *s = pick_slot(f);
	unsigned int nr, dir;
	size_t sz;
	bool is_known = chance(f, 30);
	int ret;

	if (!s)
		return false;
	dir = dirs[below(f, 4)];
	sz = (size_t[]){ 0, 8, 16383, 4096 }[below(f, 4)];
	if (chance(f, 60))
		sz = (size_t)range(f, 1, 128);
	if (is_known) {
		uint64_t k = below(f, 9);

		nr = known[k].nr;
		if (chance(f, 70))
			sz = known[k].sz + (size_t[]){ 1, 8, (size_t)-1, (size_t)-8 }[below(f, 4)];
		if (dir == (_IOC_READ | _IOC_WRITE) && sz == known[k].sz)
			dir = _IOC_WRITE;
		memset(f->junk, 0, sizeof(f->junk));	/* no side effects */
	} else {
		nr = (unsigned int)(chance(f, 50) ? range(f, 0x06, 0x1f) :
				    range(f, 0x23, 0x3f));
		for (size_t i = 0; i < sz; i++)
			f->junk[i] = (uint8_t)rnd(f);
	}
	ret = xioctl(s->fd, _IOC(dir, DRM_IOCTL_BASE, DRM_COMMAND_BASE + nr, sz),
		     f->junk);
	vlog(f, "ioctl nr %#x dir %u size %zu (%s) -> %d", DRM_COMMAND_BASE + nr,
	     dir, sz, is_known ? "known nr, wrong size/dir" : "unknown nr", ret);
	if (!ret)
		fail(f, "ioctl nr %#x dir %u size %zu succeeded",
		     DRM_COMMAND_BASE + nr, dir, sz);
	else if (is_known && ret != -EINVAL)
		fail(f, "ioctl nr %#x with wrong size %zu/dir %u: %s, expected "
		     "EINVAL", DRM_COMMAND_BASE + nr, sz, dir, strerror(-ret));
	else if (!is_known && ret != -EINVAL && ret != -ENOTTY)
		fail(f, "unknown ioctl nr %#x: %s, expected EINVAL or ENOTTY",
		     DRM_COMMAND_BASE + nr, strerror(-ret));
	return true;
}

static bool op_testioctl(struct fz *f)
{
	struct slot *s = pick_slot(f);
	struct hrec *r = pick_hrec(f, NULL, s);
	struct map *m = pick_map(f, 0, NULL);
	uint32_t h = r ? r->handle : (uint32_t)rnd(f);
	const char *what;
	uint32_t *nt;
	int ret;
	union {
		struct drm_dxgkcompat_test_pte pte;
		struct drm_dxgkcompat_test_cb_map cb;
		struct drm_dxgkcompat_test_stale_dma st;
	} u;

	if (!s || g_root)
		return false;
	memset(&u, 0, sizeof(u));
	switch (below(f, 3)) {
	case 0:
		what = "TEST_PTE";
		u.pte.address = m ? m->addr : rnd(f);
		nt = &u.pte.ntstatus;
		ret = xioctl(s->fd, DRM_IOCTL_DXGKCOMPAT_TEST_PTE, &u.pte);
		break;
	case 1:
		what = "TEST_CB_MAP";
		u.cb.handle = h;
		u.cb.unmap = (uint32_t)below(f, 2);
		u.cb.size = PG;
		u.cb.address = m ? m->addr : 0;
		nt = &u.cb.ntstatus;
		ret = xioctl(s->fd, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &u.cb);
		break;
	default:
		what = "TEST_STALE_DMA";
		u.st.src_handle = h;
		u.st.dst_handle = h;
		u.st.size = 1;
		u.st.mode = (uint32_t)below(f, 3);
		nt = &u.st.ntstatus;
		ret = xioctl(s->fd, DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA, &u.st);
		break;
	}
	vlog(f, "%s as uid %u -> %d ntstatus %#x", what, (unsigned)geteuid(),
	     ret, *nt);
	if (!ret)
		fail(f, "%s succeeded for a non-root caller", what);
	else if (ret == -EPERM && *nt != STATUS_ACCESS_DENIED)
		fail(f, "%s: EPERM with ntstatus %#x, expected %#x", what, *nt,
		     STATUS_ACCESS_DENIED);
	else if (ret != -EPERM && ret != -EOPNOTSUPP)
		fail(f, "%s for a non-root caller: %s, expected EPERM or "
		     "EOPNOTSUPP", what, strerror(-ret));
	else if (!*nt)
		fail(f, "%s: %s with ntstatus STATUS_SUCCESS", what,
		     strerror(-ret));
	return true;
}

/* ---- file lifetime ------------------------------------------------------ */

static void slot_drop_all(struct fz *f, struct slot *s)
{
	for (int i = 0; i < MAX_HRECS; i++)
		if (f->hrecs[i].used && f->hrecs[i].slot == s)
			hrec_drop(f, &f->hrecs[i], false);
	for (int i = 0; i < MAX_STALE; i++)
		if (f->stale[i].used && f->stale[i].slot == s)
			f->stale[i].used = false;
	s->nreg = 0;
}

static bool op_reopen(struct fz *f)
{
	struct slot *s = NULL;

	if (f->child)
		return false;
	if (opt.threads > 1) {
		if (f->npriv < MAX_PRIV && (!f->npriv || chance(f, 30))) {
			struct slot *g = &g_slots[below(f, g_nslots)];

			s = &f->priv[f->npriv];
			*s = *g;
			s->shared = false;
			s->reg = NULL;
			s->nreg = s->creg = 0;
			s->fd = xopen(s->path);
			vlog(f, "open private %s -> fd %d", s->path, s->fd);
			if (s->fd < 0) {
				note(f, "open %s: %s", s->path, strerror(errno));
				return true;
			}
			f->npriv++;
			f->slots[f->nslots++] = s;
			return true;
		}
		if (!f->npriv)
			return true;
		s = &f->priv[below(f, f->npriv)];
	} else {
		s = pick_slot(f);
	}
	if (!s || s->fd < 0)
		return false;
	wlock();
	vlog(f, "close and reopen %s (fd %d) with live objects", s->path, s->fd);
	slot_drop_all(f, s);
	close(s->fd);
	s->fd = xopen(s->path);
	if (s->fd < 0)
		fail(f, "reopen %s: %s", s->path, strerror(errno));
	unlock();
	return true;
}

/* ---- fork ------------------------------------------------------------- */

static void release_all(struct fz *f);
static void run_op(struct fz *f, bool child);

static void __attribute__((noreturn))
child_main(struct fz *parent, struct slot *ps, bool inherit, uint64_t seed)
{
	bool here[MAX_MAPS];
	struct fz *c;
	int n, live;

	g_in_child = 1;
	alarm(CHILD_WATCHDOG);
	/*
	 * What the parent mapped, before this process maps anything (a new
	 * mapping could land where a mapping that was not copied used to be).
	 */
	for (int i = 0; i < MAX_MAPS; i++)
		here[i] = parent->maps[i].used && mapped(parent->maps[i].addr);
	c = calloc(1, sizeof(*c));
	if (!c)
		_exit(3);
	c->child = true;
	c->tid = parent->tid;
	c->op = parent->op;
	c->vgem_fd = -1;
	c->byte_cap = 8ull << 20;
	rng_init(c, seed);

	/* PMO_MAP mappings (and MADV_DONTFORK ones) must not be here */
	for (int i = 0; i < MAX_MAPS; i++) {
		struct map *m = &parent->maps[i];

		if (!m->used)
			continue;
		if (m->inherit == INH_NO && here[i])
			fail(c, "%s mapping %#" PRIx64 "+%#" PRIx64 " of obj#%u "
			     "is present in the fork child (mincore)",
			     how_name[m->how], m->addr, m->len, m->obj->id);
		else if (m->inherit == INH_YES && !here[i])
			note(c, "%s mapping %#" PRIx64 " (MADV_DOFORK) is not in "
			     "the fork child", how_name[m->how], m->addr);
	}

	c->priv[0] = *ps;
	c->priv[0].shared = false;
	c->priv[0].reg = NULL;
	c->priv[0].nreg = c->priv[0].creg = 0;
	c->priv[0].borrowed = inherit;
	if (!inherit)
		c->priv[0].fd = xopen(ps->path);
	if (c->priv[0].fd < 0) {
		fail(c, "open %s in the fork child: %s", ps->path,
		     strerror(errno));
		_exit(1);
	}
	c->slots[0] = &c->priv[0];
	c->nslots = 1;

	n = (int)range(c, 4, 16);
	for (c->child_op = 0; c->child_op < n; c->child_op++) {
		g_op0 = c->op;
		run_op(c, true);
	}
	live = !inherit && chance(c, 35);
	if (!live)
		release_all(c);
	vlog(c, "fork child done after %d ops%s", n,
	     live ? ", exiting with live objects" : "");
	fflush(stdout);
	fflush(stderr);
	_exit(c->fails ? 1 : 0);
}

static bool op_fork(struct fz *f)
{
	struct slot *s = pick_slot(f);
	bool inherit;
	uint64_t seed;
	int status;
	pid_t pid, w;

	if (!s || opt.no_fork || f->child)
		return false;
	inherit = opt.threads == 1 && chance(f, 30);
	seed = rnd(f);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		note(f, "fork: %s", strerror(errno));
		return true;
	}
	if (!pid)
		child_main(f, s, inherit, seed);
	f->st.forks++;
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	vlog(f, "fork child %d (%s %s) -> status %#x", (int)pid,
	     inherit ? "inherited" : "new", s->path, status);
	if (w != pid)
		fail(f, "waitpid: %s", strerror(errno));
	else if (WIFSIGNALED(status))
		fail(f, "fork child killed by signal %d", WTERMSIG(status));
	else if (WEXITSTATUS(status))
		fail(f, "fork child exited with %d", WEXITSTATUS(status));
	return true;
}

/* ---- the op table --------------------------------------------------------- */

#define OPF_CHILD	0x1	/* also run in fork children */
#define OPF_VGEM	0x2	/* needs vgem */
#define OPF_THREADS	0x4	/* only with --threads > 1 */

static const struct op_desc {
	const char *name;
	int weight;
	bool (*fn)(struct fz *f);
	unsigned int flags;
} ops[] = {
	{ "create",		10, op_create,		OPF_CHILD },
	{ "close",		4,  op_close,		OPF_CHILD },
	{ "pmo_map",		9,  op_map,		OPF_CHILD },
	{ "pmo_unmap",		5,  op_unmap,		OPF_CHILD },
	{ "mmap_gem",		9,  op_mmap_gem,	OPF_CHILD },
	{ "touch",		14, op_touch,		OPF_CHILD },
	{ "verify",		6,  op_verify,		OPF_CHILD },
	{ "mprotect",		4,  op_mprotect,	OPF_CHILD },
	{ "mremap",		3,  op_mremap,		0 },
	{ "munmap",		4,  op_munmap,		OPF_CHILD },
	{ "madvise",		3,  op_madvise,		0 },
	{ "stale",		4,  op_stale,		0 },
	{ "copy",		4,  op_copy,		0 },
	{ "adapter_info",	2,  op_info,		OPF_CHILD },
	{ "prime_export",	4,  op_export,		OPF_CHILD },
	{ "dmabuf_mmap",	3,  op_mmap_dbuf,	OPF_CHILD },
	{ "dmabuf_sync",	2,  op_dbsync,		0 },
	{ "prime_import",	2,  op_import,		0 },
	{ "dmabuf_close",	2,  op_dbclose,		0 },
	{ "vgem_import",	2,  op_vgem_import,	OPF_VGEM },
	{ "vgem_mmap",		2,  op_vgem_map,	OPF_VGEM },
	{ "vgem_close",		1,  op_vgem_close,	OPF_VGEM },
	{ "vgem_dumb_import",	1,  op_vgem_dumb,	OPF_VGEM },
	{ "fork",		1,  op_fork,		0 },
	{ "reopen",		1,  op_reopen,		0 },
	{ "foreign_close",	2,  op_foreign_close,	OPF_THREADS },
	{ "bad_ioctl",		2,  op_badioctl,	OPF_CHILD },
	{ "test_ioctl",		1,  op_testioctl,	OPF_CHILD },
};
#define NR_OPS	(sizeof(ops) / sizeof(ops[0]))

static bool op_enabled(const struct fz *f, const struct op_desc *d, bool child)
{
	if (child && !(d->flags & OPF_CHILD))
		return false;
	if ((d->flags & OPF_VGEM) && f->vgem_fd < 0)
		return false;
	if ((d->flags & OPF_THREADS) && opt.threads < 2)
		return false;
	return true;
}

static void run_op(struct fz *f, bool child)
{
	int total = 0, pick;
	size_t i;

	for (i = 0; i < NR_OPS; i++)
		if (op_enabled(f, &ops[i], child))
			total += ops[i].weight;
	pick = (int)below(f, (uint64_t)total);
	for (i = 0; i < NR_OPS; i++) {
		if (!op_enabled(f, &ops[i], child))
			continue;
		if (pick < ops[i].weight)
			break;
		pick -= ops[i].weight;
	}
	if (!ops[i].fn(f))
		op_create(f);
}

/* ---- threads ---------------------------------------------------------- */

static void release_all(struct fz *f)
{
	for (int i = 0; i < MAX_MAPS; i++)
		if (f->maps[i].used)
			map_release(f, &f->maps[i]);
	for (int i = 0; i < MAX_DMABUFS; i++)
		if (f->dbufs[i].used) {
			close(f->dbufs[i].fd);
			f->dbufs[i].used = false;
			obj_put(f, f->dbufs[i].obj);
		}
	for (int i = 0; i < MAX_VGEMS; i++)
		if (f->vgems[i].used) {
			gem_close(f->vgem_fd, f->vgems[i].handle);
			f->vgems[i].used = false;
			obj_put(f, f->vgems[i].obj);
		}
	wlock();
	for (int i = 0; i < MAX_HRECS; i++) {
		struct hrec *r = &f->hrecs[i];
		int ret;

		if (!r->used)
			continue;
		if (!r->stale && (ret = gem_close(r->slot->fd, r->handle)))
			fail(f, "GEM_CLOSE of live handle %u at exit: %s",
			     r->handle, strerror(-ret));
		hrec_drop(f, r, false);
	}
	unlock();
	for (int i = 0; i < f->npriv + (f->child ? 1 : 0); i++) {
		if (f->priv[i].fd >= 0 && !f->priv[i].borrowed)
			close(f->priv[i].fd);
		f->priv[i].fd = -1;
		free(f->priv[i].reg);
		f->priv[i].reg = NULL;
	}
	if (f->vgem_fd >= 0)
		close(f->vgem_fd);
	f->vgem_fd = -1;
	for (int i = 0; i < MAX_OBJS; i++)
		if (f->objs[i].used)
			fprintf(stderr, "fuzz: internal: obj#%u still has %d refs\n",
				f->objs[i].id, f->objs[i].refs);
}

static void *thread_main(void *arg)
{
	struct fz *f = arg;

	for (f->op = 0; f->op < f->nops; f->op++) {
		if (__atomic_load_n(&g_stop, __ATOMIC_SEQ_CST))
			break;
		if (opt.time > 0 && elapsed() >= opt.time) {
			__atomic_store_n(&g_time_hit, 1, __ATOMIC_SEQ_CST);
			break;
		}
		if (!f->tid)
			g_op0 = f->op;
		run_op(f, false);
		f->st.ops++;
	}
	release_all(f);
	return NULL;
}

/* ---- discovery ------------------------------------------------------ */

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
	char path[40], name[64], id[256];

	for (int k = 0; k < 2 * MAX_NODES; k++) {
		bool render = k >= MAX_NODES;
		struct slot *s;
		struct statvfs sv;
		int fd, d;

		snprintf(path, sizeof(path), render ? "/dev/dri/renderD%d" :
			 "/dev/dri/card%d", render ? 128 + k - MAX_NODES : k);
		fd = xopen(path);
		if (fd < 0) {
			*denied += errno == EACCES || errno == EPERM;
			continue;
		}
		if (!drv_name(fd, name, sizeof(name))) {
			close(fd);
			continue;
		}
		if (!strcmp(name, "vgem") && !render && !g_vgem_path[0])
			snprintf(g_vgem_path, sizeof(g_vgem_path), "%s", path);
		if (strcmp(name, "dxgkcompat") || g_nslots == MAX_SLOTS ||
		    !(opt.node & (render ? 1 : 2))) {
			close(fd);
			continue;
		}
		sysid_of(fd, id, sizeof(id));
		for (d = 0; d < g_ndevs; d++)
			if (!strcmp(g_devs[d].sysid, id))
				break;
		if (d == g_ndevs) {
			if (g_ndevs == MAX_DEVS) {
				close(fd);
				continue;
			}
			snprintf(g_devs[g_ndevs++].sysid, sizeof(id), "%s", id);
		}
		s = &g_slots[g_nslots++];
		memset(s, 0, sizeof(*s));
		s->fd = fd;
		s->dev = d;
		s->render = render;
		s->shared = opt.threads > 1;
		s->noexec = !statvfs(path, &sv) && (sv.f_flag & ST_NOEXEC);
		snprintf(s->path, sizeof(s->path), "%s", path);
		if (!g_devs[d].have_info &&
		    !xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO,
			    &g_devs[d].info))
			g_devs[d].have_info = true;
	}
}

static uint64_t memtotal(void)
{
	char line[128];
	unsigned long long kb = 0;
	FILE *fp = fopen("/proc/meminfo", "re");

	if (fp) {
		while (fgets(line, sizeof(line), fp))
			if (sscanf(line, "MemTotal: %llu kB", &kb) == 1)
				break;
		fclose(fp);
	}
	return kb ? kb * 1024 : 1ull << 40;
}

/* ---- main ------------------------------------------------------------- */

static void usage(FILE *fp)
{
	fprintf(fp,
"usage: dxgk_fuzz [options]\n"
"  --seed N          PRNG seed (default: time based; always printed)\n"
"  --ops N           total operations (default %d)\n"
"  --time S          time budget in seconds; stop early (success) when spent\n"
"  --threads N       threads sharing one DRM fd per node (default 1, max %d);\n"
"                    thread t uses seed+t, races are not reproducible\n"
"  --node WHICH      render | primary | both (default both)\n"
"  --verbose         log every operation to stderr (for replay)\n"
"  --no-fork         no fork() operations\n"
"  --no-vgem         no vgem operations\n"
"  --strict-prot     enforce the protection rules table (default)\n"
"  --no-strict-prot  only record protection outcomes\n"
"  --help            this text\n"
"Exit: 0 pass, 1 failure, 77 no dxgkcompat device, 2 usage.\n",
		DEFAULT_OPS, MAX_THREADS);
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
		{ "seed", required_argument, NULL, 's' },
		{ "ops", required_argument, NULL, 'o' },
		{ "time", required_argument, NULL, 't' },
		{ "threads", required_argument, NULL, 'j' },
		{ "node", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-fork", no_argument, NULL, 'F' },
		{ "no-vgem", no_argument, NULL, 'G' },
		{ "strict-prot", no_argument, NULL, 'P' },
		{ "no-strict-prot", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct timespec ts;
	bool have_seed = false;
	uint64_t v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			if (!parse_u64(optarg, &opt.seed))
				goto bad;
			have_seed = true;
			break;
		case 'o':
			if (!parse_u64(optarg, &opt.ops))
				goto bad;
			break;
		case 't':
			opt.time = strtod(optarg, &end);
			if (*end || opt.time < 0)
				goto bad;
			break;
		case 'j':
			if (!parse_u64(optarg, &v) || !v || v > MAX_THREADS)
				goto bad;
			opt.threads = (int)v;
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
		case 'v': opt.verbose = true; break;
		case 'F': opt.no_fork = true; break;
		case 'G': opt.no_vgem = true; break;
		case 'P': opt.strict = true; break;
		case 'p': opt.strict = false; break;
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

int main(int argc, char **argv)
{
	struct sigaction sa = { 0 };
	struct fz *fs[MAX_THREADS] = { 0 };
	pthread_t th[MAX_THREADS];
	struct stats tot = { 0 };
	unsigned int budget;
	int denied = 0;
	double t;

	opt.argv0 = argv[0];
	if (parse_args(argc, argv))
		return 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	PG = (uint64_t)sysconf(_SC_PAGESIZE);
	g_memtotal = memtotal();
	g_root = geteuid() == 0;

	discover(&denied);
	if (!g_nslots) {
		printf("fuzz: no dxgkcompat device\n");
		if (denied)
			printf("fuzz: (%d /dev/dri nodes could not be opened: "
			       "permission denied)\n", denied);
		return 77;
	}

	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	signal(SIGALRM, on_alarm);
	signal(SIGPIPE, SIG_IGN);
	budget = opt.time > 0 ? (unsigned int)opt.time + 1 : DEFAULT_BUDGET;
	alarm(budget + 60);

	printf("fuzz: start: seed=%" PRIu64 " ops=%" PRIu64 " threads=%d node=%s "
	       "strict-prot=%s fork=%s vgem=%s uid=%u time-budget=%.1fs "
	       "watchdog=%us\n", opt.seed, opt.ops, opt.threads, node_name(),
	       opt.strict ? "on" : "off", opt.no_fork ? "off" : "on",
	       opt.no_vgem ? "off" : g_vgem_path[0] ? g_vgem_path : "absent",
	       (unsigned)geteuid(), opt.time, budget + 60);
	for (int i = 0; i < g_nslots; i++) {
		const struct dev *d = &g_devs[g_slots[i].dev];

		printf("fuzz: found %s: adapter %d miniport %s iommu_mode %u "
		       "dma_mask %#llx%s\n", g_slots[i].path, g_slots[i].dev,
		       d->have_info ? d->info.miniport_name : "?",
		       d->info.iommu_mode, (unsigned long long)d->info.dma_mask,
		       g_slots[i].noexec ? " (noexec mount)" : "");
	}
	if (opt.threads > 1)
		printf("fuzz: %d threads: thread t uses seed %" PRIu64 "+t; races "
		       "between threads are not reproducible\n", opt.threads,
		       opt.seed);
	if (g_root)
		printf("fuzz: running as root: test-only ioctls and the "
		       "MAP_PRIVATE rule are not checked\n");

	clock_gettime(CLOCK_MONOTONIC, &g_t0);
	for (int i = 0; i < opt.threads; i++) {
		struct fz *f = calloc(1, sizeof(*f));

		if (!f) {
			perror("fuzz: calloc");
			return 2;
		}
		f->tid = i;
		f->seed = opt.seed + (uint64_t)i;
		rng_init(f, f->seed);
		f->nops = opt.ops / (uint64_t)opt.threads +
			  ((uint64_t)i < opt.ops % (uint64_t)opt.threads);
		f->byte_cap = BYTE_CAP / (uint64_t)opt.threads;
		if (f->byte_cap < (8ull << 20))
			f->byte_cap = 8ull << 20;
		for (int k = 0; k < g_nslots; k++)
			f->slots[f->nslots++] = &g_slots[k];
		f->vgem_fd = opt.no_vgem || !g_vgem_path[0] ? -1 :
			     xopen(g_vgem_path);
		fs[i] = f;
	}
	if (opt.threads == 1) {
		thread_main(fs[0]);
	} else {
		for (int i = 0; i < opt.threads; i++)
			if (pthread_create(&th[i], NULL, thread_main, fs[i])) {
				perror("fuzz: pthread_create");
				return 2;
			}
		for (int i = 0; i < opt.threads; i++)
			pthread_join(th[i], NULL);
	}
	t = elapsed();
	for (int i = 0; i < opt.threads; i++) {
		struct stats *s = &fs[i]->st;

		tot.ops += s->ops;
		tot.creates += s->creates;
		tot.maps += s->maps;
		tot.mmaps += s->mmaps;
		tot.copies += s->copies;
		tot.forks += s->forks;
		tot.prime += s->prime;
		tot.notes += s->notes;
		free(fs[i]);
	}
	for (int i = 0; i < g_nslots; i++) {
		if (g_slots[i].fd >= 0)
			close(g_slots[i].fd);
		free(g_slots[i].reg);
	}
	alarm(0);
	if (g_time_hit)
		printf("fuzz: time budget of %.1f s reached after %" PRIu64
		       " ops\n", opt.time, tot.ops);
	if (g_stop)
		printf("fuzz: stopped after %d failures\n", g_failures);
	if (g_copy_skipped)
		printf("fuzz: %" PRIu64 " valid COPY ioctls skipped: copies took "
		       "%.1f s, their share of --time\n", g_copy_skipped,
		       (double)g_copy_ns / 1e9);
	if (tot.notes)
		printf("fuzz: notes=%" PRIu64 " (outcomes that differ from the "
		       "recorded expectations, not failures; --verbose lists "
		       "them)\n", tot.notes);
	printf("fuzz: seed=%" PRIu64 " ops=%" PRIu64 " time=%.1fs rate=%.0f "
	       "ops/s threads=%d failures=%d creates=%" PRIu64 " maps=%" PRIu64
	       " mmaps=%" PRIu64 " copies=%" PRIu64 " forks=%" PRIu64 " prime=%"
	       PRIu64 "\n", opt.seed, tot.ops, t, t > 0 ? (double)tot.ops / t : 0,
	       opt.threads, g_failures, tot.creates, tot.maps, tot.mmaps,
	       tot.copies, tot.forks, tot.prime);
	return g_failures ? 1 : 0;
}
