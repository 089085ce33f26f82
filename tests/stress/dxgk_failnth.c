// SPDX-License-Identifier: MIT
/*
 * dxgk_failnth - fault-injection sweep of the dxgkcompat uAPI with fail-nth
 * (issue #12), run by tests/guest/failnth.sh in the debug-kernel box.
 *
 * Writing N to /proc/thread-self/fail-nth makes the N-th fault-injection
 * check this thread makes (failslab, fail_page_alloc) fail; reading it back
 * gives 0 once the fault was injected, else what is left of the count
 * (lib/fault-inject.c, should_fail_ex()). For every scenario, and for
 * n = 1, 2, 3, ...:
 *
 *   1. the prerequisites are set up with injection off;
 *   2. n is written to fail-nth, exactly one call is made (the operation
 *      under test: an ioctl, open(), close(), mmap(), or the first touch of
 *      a mapping), fail-nth is read back and 0 written;
 *   3. if the fault was injected, the call must either have failed with an
 *      errno the scenario allows, with the ntstatus of a dxgkcompat ioctl
 *      consistent with it (ENOMEM: STATUS_NO_MEMORY; ENOSPC:
 *      STATUS_INSUFFICIENT_RESOURCES; see dxgk_status.c), leaving the state
 *      as it was after the setup; or have succeeded as in the reference run
 *      (a fallback path); or, for a touch, have raised SIGBUS;
 *      if it was not injected, the call consumed fewer than n points: it
 *      must have succeeded exactly as in the uninjected reference run, and
 *      the sweep of the scenario ends with n - 1 fault points;
 *   4. everything is released, and the driver's debugfs counters (lines
 *      "objects", "pages_*", "reserved_pages", "misuse" and
 *      "leaked_pages_total": pages whose linear map could not be set back
 *      to WB) must be back at the baseline within 5 s ("leak after
 *      injecting point n"); any kernel message that reads as a splat
 *      (/dev/kmsg) fails point n too.
 *
 * The reference run of each scenario writes a count too large to reach
 * (2^30): it injects nothing and tells how many points the call passes.
 *
 * Which errnos an injected failure may give, and why:
 *   ENOMEM  every allocation failure the kernel and the driver report as
 *           such (slab, pages, vm_area/maple nodes, shmem, files, dma-buf),
 *           STATUS_NO_MEMORY from the driver;
 *   ENOSPC  PMO_CREATE and COPY only: the driver reports a failed id
 *           allocation (xa_alloc_cyclic), a failed linear-map attribute
 *           change (set_pages_array_wc/uc) and a failed dma_map_sgtable()
 *           (IOVA or IOMMU page-table allocation) as
 *           STATUS_INSUFFICIENT_RESOURCES;
 *   SIGBUS  the first touch of a mapping (the fault handler): an allowed
 *           outcome, counted as "sigbus"; the retouch after it must work.
 *           (An allocation failing in the fault path normally gives
 *           VM_FAULT_OOM, which the kernel retries for a user fault: the
 *           touch then succeeds, counted as "succeeded-anyway".)
 * Not allowed: EINTR and EAGAIN (no signal reaches the task during a call,
 * and no path here returns EAGAIN for a failed allocation), EIO or EINVAL
 * for an allocation failure, and any error from GEM_CLOSE or close().
 *
 *   dxgk_failnth [--only PATTERN[,PATTERN...]] [--list] [--max-points N]
 *                [--time S] [--verbose]
 *
 * --only takes shell patterns (fnmatch) of scenario names; --list prints
 * "NAME GROUP ADAPTER: what" for each scenario; --max-points caps the sweep
 * of one scenario (default 2000); --time is a budget in seconds (0, the
 * default: none): when it is spent the sweep stops and says where.
 *
 * Output: one line per scenario
 *
 *   failnth: SCENARIO: points=N failed-cleanly=N succeeded-anyway=N sigbus=N
 *
 * or "failnth: SCENARIO: cut short at n=N (time budget spent): points>=...",
 * "failnth: SCENARIO: capped at n=N (--max-points): points>=...",
 * "failnth: SCENARIO: not run (time budget spent)" or
 * "failnth: SCENARIO: not available (...)"; every failure prints
 * "failnth: FAIL SCENARIO n=N: what" (n=0: the reference run); the last
 * line is "failnth: total points=N scenarios=N failures=F" (scenarios:
 * those whose sweep completed). Exit status: 0 no failure, 1 failures,
 * 2 bad usage or environment, 77 no fail-nth in this kernel.
 *
 * Points also count what the debug kernel allocates on the call's behalf:
 * kmemleak's metadata for each slab object (a failure there is absorbed,
 * the call succeeds), KASAN's stack depot, page-table pages and their
 * split ptlocks, the DMA-API debug code's cacheline-tracking nodes.
 *
 * Run as root: it reads /sys/kernel/debug/dxgkcompat/counters and
 * /dev/kmsg. Before the sweep a self-check proves that a GFP_KERNEL slab
 * allocation (open()'s getname()) and an order-0 GFP_HIGHUSER page (a
 * pipe write) fail at point 1; if not, it names the knob and exits 2.
 * The caller sets the fault-injection knobs (failnth.sh):
 * failslab and fail_page_alloc ignore-gfp-wait N, fail_page_alloc
 * ignore-gfp-highmem N and min-order 0, probability 0 (required: a random
 * injection would be blamed on the call), verbose 0. The tool pins itself
 * to one CPU and locks its memory (mlockall), so that its own page faults
 * do not count as fault points, and so that the per-CPU radix-tree
 * preloads its setups refill (GEM handle creation) serve the DMA-API
 * debug code's cacheline tracking when its node allocation is the point
 * failed (else it would disable itself with a "DMA-API:" message).
 *
 * Only libdrm's drm.h is used; nothing is linked but pthread.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <inttypes.h>
#include <sched.h>
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
#include <sys/types.h>

#include "drm.h"
#include "dxgkcompat_drm.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#define STATUS_SUCCESS			0x00000000u
#define STATUS_NO_MEMORY		0xC0000017u
#define STATUS_INSUFFICIENT_RESOURCES	0xC000009Au
#define STATUS_NOT_SUPPORTED		0xC00000BBu
#define PAGE_READWRITE			0x04u

#define PG		4096ull
#define KIB		1024ull
#define MIB		(1024ull * 1024)
#define GIB		(1024ull * 1024 * 1024)
#define BIG_NTH		(1u << 30)	/* a count no call reaches */
#define MAX_FAIL_PRINTS	20		/* per scenario */
#define SETTLE_MS	5000
#define CALL_WATCHDOG_S	120

#define FAILNTH_PATH	"/proc/thread-self/fail-nth"
#define COUNTERS_PATH	"/sys/kernel/debug/dxgkcompat/counters"
#define DMA_API_DISABLED "/sys/kernel/debug/dma-api/disabled"
#define DEBUGFS		"/sys/kernel/debug"

/* ---- scenarios ---------------------------------------------------------- */

enum group { G_IOCTLS, G_MAPPINGS, G_PRIME, G_COPY };
static const char *const group_names[] = { "ioctls", "mappings", "prime", "copy" };

enum adapter { A_EDU, A_VIRT, A_N };
static const char *const adapter_names[] = { "edu", "virt" };
static const char *const miniport_names[] = { "dxgk_edu", "dxgk_virt" };

/* errnos an injected failure may give */
#define E_NOMEM		(1u << 0)
#define E_NOSPC		(1u << 1)

struct objspec {
	uint32_t type;		/* DRM_DXGKCOMPAT_PMO_*; size 0: no object */
	uint32_t cache;
	uint64_t size;
};

#define MDL(c, sz)	{ DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_##c, sz }
#define SECTION(c, sz)	{ DRM_DXGKCOMPAT_PMO_SECTION, DRM_DXGKCOMPAT_##c, sz }
#define NOOBJ		{ 0, 0, 0 }

struct ctx;

struct scen {
	const char *name;
	enum group group;
	enum adapter adapter;
	struct objspec obj;	/* the object the setup makes, if any */
	unsigned int allowed;	/* E_* an injected failure may give */
	bool has_nt;		/* a dxgkcompat ioctl: its ntstatus is checked */
	bool touch;		/* SIGBUS allowed under injection */
	bool test_ioctl;	/* needs CONFIG_DRM_DXGKCOMPAT_TEST_IOCTLS */
	bool vgem;		/* needs the vgem card */
	const char *(*setup)(struct ctx *c);
	void (*call)(struct ctx *c);
	/* success: NULL or what is wrong; @out gets what must match the reference */
	const char *(*ok)(struct ctx *c, char *out, size_t len);
	/* injected failure (or SIGBUS): NULL or what is wrong */
	const char *(*failed)(struct ctx *c);
	const char *what;
};

/* What one run of a scenario made; released by ctx_release(). */
struct ctx {
	const struct scen *s;
	int dev;		/* the adapter's render node (shared) */
	const char *path;	/* its path */
	int fd;			/* a DRM fd of the scenario's own, or -1 */
	uint32_t h, h2;		/* GEM handles on fd (if >= 0) or dev */
	uint32_t vh;		/* a vgem handle */
	int dbuf;		/* a dma-buf fd, or -1 */
	void *map, *map2;	/* mappings, or NULL */
	size_t len, len2;
	uint64_t off;		/* a fake offset */
	uint32_t val;		/* what a touch writes */
	/* the outcome of the call */
	int ret;		/* 0 or -errno */
	uint32_t nt;		/* ntstatus, when the scenario has one */
	int sig;		/* signal caught during the call */
	uint32_t out_handle;	/* a handle the call returned */
	uint64_t out_addr;	/* an address the call returned */
	uint64_t out_size, out_off;
	struct drm_dxgkcompat_adapter_info info;
};

/* ---- globals ------------------------------------------------------------- */

static struct {
	const char *only;
	bool list, verbose;
	unsigned int max_points;
	unsigned int time_s;
} opt = { .max_points = 2000 };

static char g_path[A_N][64];
static int g_dev[A_N] = { -1, -1 };
static char g_vgem_path[64];
static int g_vgem = -1;
static bool g_vgem_card;
static int g_fnth = -1;
static int g_kmsg = -1;
static uint64_t g_t0_ms;
static bool g_time_spent;
static unsigned int g_failures, g_scen_failures, g_scen_prints;
static const char *g_cur_name = "(none)";
static bool g_in_ref;		/* judging the reference run */
static volatile unsigned int g_cur_n;
static char g_msg[512];		/* what a judge function found wrong */

static sigjmp_buf g_jb;
static volatile sig_atomic_t g_armed;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *msgf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *msgf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g_msg, sizeof(g_msg), fmt, ap);
	va_end(ap);
	return g_msg;
}

static void fail(const struct scen *s, unsigned int n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail(const struct scen *s, unsigned int n, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	g_failures++;
	g_scen_failures++;
	if (g_scen_prints++ >= MAX_FAIL_PRINTS) {
		if (g_scen_prints == MAX_FAIL_PRINTS + 1)
			printf("failnth: %s: further failures not printed\n", s->name);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("failnth: FAIL %s n=%u: %s%s\n", s->name, n,
	       g_in_ref ? "reference run: " : "", buf);
	fflush(stdout);
}

static const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case EFAULT: return "EFAULT";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case EBUSY: return "EBUSY";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ECANCELED: return "ECANCELED";
	case ENFILE: return "ENFILE";
	case EMFILE: return "EMFILE";
	case ETIMEDOUT: return "ETIMEDOUT";
	default: return strerror(e);
	}
}

/* ---- fail-nth ------------------------------------------------------------ */

static void fnth_set(unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	if (write(g_fnth, b, l) != l) {
		printf("failnth: FAIL %s n=%u: write %u to %s: %s\n", g_cur_name,
		       g_cur_n, n, FAILNTH_PATH, strerror(errno));
		exit(2);
	}
}

static unsigned int fnth_get(void)
{
	char b[16];
	ssize_t r = pread(g_fnth, b, sizeof(b) - 1, 0);

	if (r <= 0) {
		printf("failnth: FAIL %s n=%u: read %s: %s\n", g_cur_name, g_cur_n,
		       FAILNTH_PATH, r < 0 ? strerror(errno) : "empty");
		exit(2);
	}
	b[r] = '\0';
	return (unsigned int)strtoul(b, NULL, 10);
}

/* ---- small helpers ------------------------------------------------------- */

/* One ioctl, as the call under test: no retry. */
static int raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

/* An ioctl of a setup or a cleanup. */
static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r, tries = 0;

	do
		r = ioctl(fd, cmd, arg);
	while (r == -1 && (errno == EINTR || errno == EAGAIN) && ++tries < 100);
	return r ? -errno : 0;
}

static bool mapped(const void *p)
{
	unsigned char v;

	return mincore((void *)((uintptr_t)p & ~(uintptr_t)(PG - 1)), PG, &v) == 0;
}

static uint64_t page_align(uint64_t n)
{
	return (n + PG - 1) & ~(PG - 1);
}

static bool read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r, got = 0;

	if (fd < 0)
		return false;
	while ((size_t)got < len - 1 && (r = read(fd, buf + got, len - 1 - got)) > 0)
		got += r;
	close(fd);
	buf[got] = '\0';
	return true;
}

static void chomp(char *s)
{
	size_t l = strlen(s);

	while (l && (s[l - 1] == '\n' || s[l - 1] == ' '))
		s[--l] = '\0';
}

/* ---- counters ------------------------------------------------------------ */

struct counters {
	char text[512];		/* the lines that must come back, space separated */
};

static bool counters_read(struct counters *c)
{
	char buf[2048], *line, *save = NULL;
	size_t used = 0;

	c->text[0] = '\0';
	if (!read_file(COUNTERS_PATH, buf, sizeof(buf)))
		return false;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "objects ", 8) && strncmp(line, "pages_", 6) &&
		    strncmp(line, "reserved_pages ", 15) && strncmp(line, "misuse ", 7) &&
		    strncmp(line, "leaked_pages_total ", 19))
			continue;
		used += snprintf(c->text + used, sizeof(c->text) - used, "%s%s",
				 used ? " " : "", line);
		if (used >= sizeof(c->text))
			break;
	}
	return true;
}

/* Poll until the counters read @want, up to @ms; *now gets the last read. */
static bool counters_wait(const struct counters *want, struct counters *now, int ms)
{
	uint64_t end = now_ms() + ms;

	for (;;) {
		if (!counters_read(now)) {
			snprintf(now->text, sizeof(now->text), "(%s unreadable: %s)",
				 COUNTERS_PATH, strerror(errno));
			return false;
		}
		if (!strcmp(now->text, want->text))
			return true;
		if (now_ms() >= end)
			return false;
		usleep(20000);
	}
}

/* ---- the kernel log ------------------------------------------------------ */

/* Messages that read as a kernel error (as tests/testbox/check-log.sh). */
static bool splat(const char *m)
{
	static const char *const pat[] = {
		"BUG: ", "WARNING: ", "------------[ cut here ]", "KASAN", "KFENCE",
		"UBSAN: ", "DMA-API: ", "kmemleak: ", "ODEBUG: ",
		"list_add corruption", "list_del corruption", "Bad page state",
		"page dumped because", "Bad rss-counter", "general protection fault",
		"Oops: ", "kernel BUG at", "possible circular locking",
		"inconsistent lock state", "possible recursive locking",
		"suspicious RCU usage", "bad unlock balance", "held lock freed",
		"trying to register non-static key", "invoked oom-killer",
		"Out of memory", "INFO: task ", "rcu: INFO: ", "soft lockup",
		"DMAR: [DMA", "DMAR: DRHD: handling fault", "x86/PAT: ",
		"Kernel panic", "sleeping function called from invalid context",
		"scheduling while atomic",
	};

	for (size_t i = 0; i < sizeof(pat) / sizeof(pat[0]); i++)
		if (strstr(m, pat[i]))
			return true;
	return false;
}

static void kmsg_open(void)
{
	g_kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (g_kmsg < 0)
		printf("failnth: note: /dev/kmsg: %s: kernel messages are not attributed to points\n",
		       strerror(errno));
	else
		lseek(g_kmsg, 0, SEEK_END);
}

/* New kernel messages since the last look: a splat fails point @n. */
static void kmsg_check(const struct scen *s, unsigned int n)
{
	char rec[2048];

	if (g_kmsg < 0)
		return;
	for (;;) {
		ssize_t r = read(g_kmsg, rec, sizeof(rec) - 1);
		char *m, *nl;
		int prio;

		if (r < 0 && errno == EPIPE)
			continue;	/* overwritten records: go on from the next */
		if (r <= 0)
			break;
		rec[r] = '\0';
		prio = atoi(rec);
		m = strchr(rec, ';');
		m = m ? m + 1 : rec;
		nl = strchr(m, '\n');
		if (nl)
			*nl = '\0';
		if ((prio >> 3) != 0)
			continue;	/* user space (/dev/kmsg writers), not the kernel */
		if (splat(m))
			fail(s, n, "kernel: %s", m);
		else if ((prio & 7) <= 4 || opt.verbose)
			printf("failnth: %s n=%u: kernel: %s\n", s->name, n, m);
	}
}

/* ---- signals ------------------------------------------------------------- */

static void on_fault(int sig)
{
	if (g_armed) {
		g_armed = 0;
		siglongjmp(g_jb, sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_alarm(int sig)
{
	char b[256];
	int l;

	(void)sig;
	l = snprintf(b, sizeof(b), "failnth: FAIL %s n=%u: watchdog: no progress in %d s\n",
		     g_cur_name, g_cur_n, CALL_WATCHDOG_S);
	if (write(1, b, l) < 0)
		_exit(1);
	_exit(1);
}

/* ---- guarded accesses to mappings ---------------------------------------- */

/* Copy @n bytes from @src to @dst, either of them a mapping: 0 or the signal. */
static int guarded_copy(void *dst, const void *src, size_t n)
{
	volatile uint8_t *d = dst;
	const volatile uint8_t *p = src;
	int sig = sigsetjmp(g_jb, 1);

	if (sig)
		return sig;
	g_armed = 1;
	for (size_t i = 0; i < n; i++)
		d[i] = p[i];
	g_armed = 0;
	return 0;
}

static int guarded_read32(const void *p, uint32_t *v)
{
	return guarded_copy(v, p, sizeof(*v));
}

static int guarded_write32(void *p, uint32_t v)
{
	return guarded_copy(p, &v, sizeof(v));
}

/* ---- objects ------------------------------------------------------------- */

static const char *create_on(int fd, const struct objspec *o, uint32_t *h)
{
	struct drm_dxgkcompat_pmo_create a = {
		.size = o->size, .type = o->type, .cache_type = o->cache,
	};
	int ret;

	if (o->type == DRM_DXGKCOMPAT_PMO_MDL)
		a.high_address = ~0ull;	/* the unprivileged window: all memory */
	else
		a.page_protection = PAGE_READWRITE;
	ret = xioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &a);
	if (ret)
		return msgf("setup: PMO_CREATE type %u cache %u size %" PRIu64 ": %s (ntstatus %#x)",
			    o->type, o->cache, o->size, errname(-ret), a.ntstatus);
	*h = a.handle;
	return NULL;
}

static int handle_fd(const struct ctx *c)
{
	return c->fd >= 0 ? c->fd : c->dev;
}

static void gem_close(int fd, uint32_t h)
{
	struct drm_gem_close cl = { .handle = h };

	if (h)
		xioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
}

static const char *pmo_map(int fd, uint32_t h, uint64_t size, void **addr, size_t *len)
{
	struct drm_dxgkcompat_pmo_map a = { .handle = h, .size = size };
	int ret = xioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &a);

	if (ret)
		return msgf("setup: PMO_MAP: %s (ntstatus %#x)", errname(-ret), a.ntstatus);
	*addr = (void *)(uintptr_t)a.address;
	*len = a.size;
	return NULL;
}

static const char *mmap_offset(int fd, uint32_t h, uint64_t *off)
{
	struct drm_dxgkcompat_pmo_mmap_offset a = { .handle = h };
	int ret = xioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &a);

	if (ret)
		return msgf("setup: PMO_MMAP_OFFSET: %s", errname(-ret));
	*off = a.offset;
	return NULL;
}

static int export_fd(int fd, uint32_t h, int *dbuf)
{
	struct drm_prime_handle p = { .handle = h, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1 };
	int ret = xioctl(fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);

	if (!ret)
		*dbuf = p.fd;
	return ret;
}

static void ctx_init(struct ctx *c, const struct scen *s)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->dev = g_dev[s->adapter];
	c->path = g_path[s->adapter];
	c->fd = -1;
	c->dbuf = -1;
}

static void ctx_release(struct ctx *c)
{
	if (c->map)
		munmap(c->map, c->len);
	if (c->map2)
		munmap(c->map2, c->len2);
	if (c->vh)
		gem_close(g_vgem, c->vh);
	if (c->dbuf >= 0)
		close(c->dbuf);
	if (c->h2 && c->h2 != c->h)
		gem_close(handle_fd(c), c->h2);
	if (c->h)
		gem_close(handle_fd(c), c->h);
	if (c->fd >= 0)
		close(c->fd);
	c->map = c->map2 = NULL;
	c->vh = c->h = c->h2 = 0;
	c->dbuf = c->fd = -1;
}

/* ---- setups -------------------------------------------------------------- */

static const char *su_none(struct ctx *c)
{
	(void)c;
	return NULL;
}

static const char *su_obj(struct ctx *c)
{
	return create_on(c->dev, &c->s->obj, &c->h);
}

static const char *su_obj_map(struct ctx *c)
{
	return su_obj(c) ?: pmo_map(c->dev, c->h, c->s->obj.size, &c->map, &c->len);
}

static const char *su_obj_off(struct ctx *c)
{
	c->len = page_align(c->s->obj.size);
	return su_obj(c) ?: mmap_offset(c->dev, c->h, &c->off);
}

static const char *su_obj_export(struct ctx *c)
{
	const char *err = su_obj(c);
	int ret;

	if (err)
		return err;
	c->len = page_align(c->s->obj.size);
	ret = export_fd(c->dev, c->h, &c->dbuf);
	return ret ? msgf("setup: PRIME_HANDLE_TO_FD: %s", errname(-ret)) : NULL;
}

/* Exported, and the handle closed: the dma-buf alone keeps the object. */
static const char *su_export_closed(struct ctx *c)
{
	const char *err = su_obj_export(c);

	if (err)
		return err;
	gem_close(c->dev, c->h);
	c->h = 0;
	return NULL;
}

/* A DRM file of its own with live objects on it. */
static const char *su_fd_objs(struct ctx *c)
{
	static const struct objspec mdl = MDL(CACHED, 4 * KIB);
	static const struct objspec sec = SECTION(WRITE_COMBINED, 64 * KIB);

	c->fd = open(c->path, O_RDWR | O_CLOEXEC);
	if (c->fd < 0)
		return msgf("setup: open %s: %s", c->path, errname(errno));
	return create_on(c->fd, &mdl, &c->h) ?: create_on(c->fd, &sec, &c->h2);
}

/*
 * A mapping of the GEM offset alone in a 1 GiB-aligned stretch of the
 * address space: its first touch allocates the page tables (PMD, PTE).
 */
static const char *su_fixed_map(struct ctx *c)
{
	const char *err = su_obj_off(c);
	uint8_t *res, *at;
	void *p;

	if (err)
		return err;
	res = mmap(NULL, 2 * GIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		   -1, 0);
	if (res == MAP_FAILED)
		return msgf("setup: reserve 2 GiB of address space: %s", errname(errno));
	at = (uint8_t *)(((uintptr_t)res + GIB - 1) & ~(uintptr_t)(GIB - 1));
	munmap(res, 2 * GIB);
	p = mmap(at, c->len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED_NOREPLACE,
		 c->dev, c->off);
	if (p == MAP_FAILED)
		return msgf("setup: mmap at %p: %s", (void *)at, errname(errno));
	c->map = p;
	return NULL;
}

static uint8_t pattern(size_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/*
 * COPY's objects: the scenario's source (an MDL object filled with a
 * pattern through a mapping, or a SECTION never touched, so that its ADL
 * pins, and allocates, its pages) and a 4 KiB MDL destination holding 0xa5.
 */
static const char *su_copy(struct ctx *c)
{
	static const struct objspec dst = MDL(CACHED, 4 * KIB);
	const char *err = su_obj(c);

	if (err)
		return err;
	uint8_t buf[PG];
	int sig;

	if (c->s->obj.type == DRM_DXGKCOMPAT_PMO_MDL) {
		err = pmo_map(c->dev, c->h, c->s->obj.size, &c->map, &c->len);
		if (err)
			return err;
		for (size_t i = 0; i < PG; i++)
			buf[i] = pattern(i);
		sig = guarded_copy(c->map, buf, PG);
		if (sig)
			return msgf("setup: signal %d writing the source through PMO_MAP", sig);
	}
	err = create_on(c->dev, &dst, &c->h2) ?:
	      pmo_map(c->dev, c->h2, dst.size, &c->map2, &c->len2);
	if (err)
		return err;
	memset(buf, 0xa5, PG);
	sig = guarded_copy(c->map2, buf, PG);
	return sig ? msgf("setup: signal %d writing the destination through PMO_MAP", sig) : NULL;
}

static const char *su_cb_map(struct ctx *c)
{
	struct drm_dxgkcompat_test_cb_map a;
	const char *err = su_obj(c);
	int ret;

	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	a.handle = c->h;
	a.size = c->s->obj.size;
	ret = xioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &a);
	if (ret)
		return msgf("setup: TEST_CB_MAP map: %s (ntstatus %#x)", errname(-ret),
			    a.ntstatus);
	c->map = (void *)(uintptr_t)a.address;
	c->len = a.size;
	return NULL;
}

/* ---- calls (each exactly one operation) ---------------------------------- */

static void ca_open(struct ctx *c)
{
	int fd = open(c->path, O_RDWR | O_CLOEXEC);

	c->ret = fd < 0 ? -errno : 0;
	if (fd >= 0)
		c->fd = fd;
}

static void ca_info(struct ctx *c)
{
	memset(&c->info, 0, sizeof(c->info));
	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &c->info);
	c->nt = c->info.ntstatus;
}

static void ca_create(struct ctx *c)
{
	struct drm_dxgkcompat_pmo_create a = {
		.size = c->s->obj.size, .type = c->s->obj.type,
		.cache_type = c->s->obj.cache,
	};

	if (a.type == DRM_DXGKCOMPAT_PMO_MDL)
		a.high_address = ~0ull;
	else
		a.page_protection = PAGE_READWRITE;
	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &a);
	c->nt = a.ntstatus;
	c->out_handle = a.handle;
	if (!c->ret)
		c->h = a.handle;
}

static void ca_mmap_offset(struct ctx *c)
{
	struct drm_dxgkcompat_pmo_mmap_offset a = { .handle = c->h };

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &a);
	c->nt = a.ntstatus;
	c->out_off = a.offset;
}

static void ca_gem_close(struct ctx *c)
{
	struct drm_gem_close cl = { .handle = c->h };

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_GEM_CLOSE, &cl);
	if (!c->ret)
		c->h = 0;
}

static void ca_close_fd(struct ctx *c)
{
	int r = close(c->fd);

	c->ret = r ? -errno : 0;
	c->fd = -1;		/* closed whatever close() says */
	c->h = c->h2 = 0;	/* went with the file */
}

static void ca_pmo_map(struct ctx *c)
{
	struct drm_dxgkcompat_pmo_map a = { .handle = c->h, .size = c->s->obj.size };

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &a);
	c->nt = a.ntstatus;
	c->out_addr = a.address;
	c->out_size = a.size;
	c->out_off = a.offset;
	if (!c->ret && a.address) {
		c->map = (void *)(uintptr_t)a.address;
		c->len = a.size;
	}
}

static void ca_pmo_unmap(struct ctx *c)
{
	struct drm_dxgkcompat_pmo_unmap a = {
		.handle = c->h, .address = (uintptr_t)c->map, .size = c->len,
	};

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &a);
	c->nt = a.ntstatus;
}

/* The first touch of a mapping: a write, through the fault handler. */
static void ca_touch(struct ctx *c)
{
	volatile uint32_t *p = c->map;
	int sig = sigsetjmp(g_jb, 1);

	if (sig) {
		c->sig = sig;
		c->ret = -EFAULT;
		return;
	}
	g_armed = 1;
	*p = c->val;
	g_armed = 0;
	c->ret = 0;
}

static void ca_gem_mmap(struct ctx *c)
{
	void *p = mmap(NULL, c->len, PROT_READ | PROT_WRITE, MAP_SHARED, c->dev, c->off);

	c->ret = p == MAP_FAILED ? -errno : 0;
	if (p != MAP_FAILED)
		c->map = p;
}

static void ca_dmabuf_mmap(struct ctx *c)
{
	void *p = mmap(NULL, c->len, PROT_READ | PROT_WRITE, MAP_SHARED, c->dbuf, 0);

	c->ret = p == MAP_FAILED ? -errno : 0;
	if (p != MAP_FAILED)
		c->map = p;
}

static void ca_export(struct ctx *c)
{
	struct drm_prime_handle p = { .handle = c->h, .flags = DRM_CLOEXEC | DRM_RDWR, .fd = -1 };

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_PRIME_HANDLE_TO_FD, &p);
	if (!c->ret)
		c->dbuf = p.fd;
}

static void ca_import(struct ctx *c)
{
	struct drm_prime_handle p = { .fd = c->dbuf };

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	c->out_handle = p.handle;
	if (!c->ret)
		c->h2 = p.handle;
}

static void ca_vgem_import(struct ctx *c)
{
	struct drm_prime_handle p = { .fd = c->dbuf };

	c->ret = raw_ioctl(g_vgem, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);
	c->out_handle = p.handle;
	if (!c->ret)
		c->vh = p.handle;
}

static void ca_copy(struct ctx *c)
{
	struct drm_dxgkcompat_copy a = {
		.src_handle = c->h, .dst_handle = c->h2, .size = PG,
	};

	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_COPY, &a);
	c->nt = a.ntstatus;
}

static void ca_cb_map(struct ctx *c)
{
	struct drm_dxgkcompat_test_cb_map a;

	memset(&a, 0, sizeof(a));
	a.handle = c->h;
	a.size = c->s->obj.size;
	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &a);
	c->nt = a.ntstatus;
	c->out_addr = a.address;
	c->out_size = a.size;
	if (!c->ret && a.address) {
		c->map = (void *)(uintptr_t)a.address;
		c->len = a.size;
	}
}

static void ca_cb_unmap(struct ctx *c)
{
	struct drm_dxgkcompat_test_cb_map a;

	memset(&a, 0, sizeof(a));
	a.handle = c->h;
	a.unmap = 1;
	a.address = (uintptr_t)c->map;
	a.size = c->len;
	c->ret = raw_ioctl(c->dev, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &a);
	c->nt = a.ntstatus;
}

/* ---- judges of a success ------------------------------------------------- */

static const char *ok_plain(struct ctx *c, char *out, size_t len)
{
	(void)c;
	snprintf(out, len, "ok");
	return NULL;
}

static const char *ok_open(struct ctx *c, char *out, size_t len)
{
	struct drm_dxgkcompat_adapter_info i;
	int ret;

	memset(&i, 0, sizeof(i));
	ret = xioctl(c->fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &i);
	if (ret)
		return msgf("GET_ADAPTER_INFO on the new file: %s", errname(-ret));
	snprintf(out, len, "miniport=%.32s", i.miniport_name);
	return NULL;
}

static const char *ok_info(struct ctx *c, char *out, size_t len)
{
	const uint8_t *b = (const uint8_t *)&c->info;
	size_t used = 0;

	for (size_t i = 0; i < sizeof(c->info) && used + 3 < len; i++)
		used += snprintf(out + used, len - used, "%02x", b[i]);
	return NULL;
}

static const char *ok_create(struct ctx *c, char *out, size_t len)
{
	if (!c->out_handle)
		return "PMO_CREATE succeeded with handle 0";
	snprintf(out, len, "ok");
	return NULL;
}

static const char *ok_mmap_offset(struct ctx *c, char *out, size_t len)
{
	if (!c->out_off || c->out_off & (PG - 1))
		return msgf("PMO_MMAP_OFFSET gave offset %#" PRIx64, c->out_off);
	snprintf(out, len, "ok");
	return NULL;
}

/* A new object's mapping: there, and zeros at both ends. */
static const char *check_zero_map(const void *p, size_t len)
{
	uint32_t first = 0, last = 0;
	int sig;

	if (!mapped(p) || !mapped((const uint8_t *)p + len - 1))
		return "the mapping is not there";
	sig = guarded_read32(p, &first) ?: guarded_read32((const uint8_t *)p + len - 4, &last);
	if (sig)
		return msgf("signal %d reading the new mapping", sig);
	if (first || last)
		return msgf("a new object reads %#x..%#x, not zeros", first, last);
	return NULL;
}

static const char *ok_pmo_map(struct ctx *c, char *out, size_t len)
{
	uint64_t want = page_align(c->s->obj.size);

	if (!c->out_addr || c->out_addr & (PG - 1) || c->out_size != want || c->out_off)
		return msgf("PMO_MAP gave address %#" PRIx64 " size %#" PRIx64 " offset %#" PRIx64
			    ", expected a page-aligned address, size %#" PRIx64 ", offset 0",
			    c->out_addr, c->out_size, c->out_off, want);
	snprintf(out, len, "size=%" PRIu64 " offset=%" PRIu64, c->out_size, c->out_off);
	return check_zero_map(c->map, c->len);
}

static const char *ok_unmapped(struct ctx *c, char *out, size_t len)
{
	if (mapped(c->map))
		return msgf("%p is still mapped", c->map);
	c->map = NULL;
	snprintf(out, len, "unmapped");
	return NULL;
}

static const char *ok_touch(struct ctx *c, char *out, size_t len)
{
	uint32_t v = 0;
	int sig = guarded_read32(c->map, &v);

	if (sig)
		return msgf("signal %d reading back what the touch wrote", sig);
	if (v != c->val)
		return msgf("the touch wrote %#x, reads back %#x", c->val, v);
	snprintf(out, len, "ok");
	return NULL;
}

static const char *ok_mmap(struct ctx *c, char *out, size_t len)
{
	snprintf(out, len, "ok");
	return check_zero_map(c->map, c->len);
}

static const char *ok_export(struct ctx *c, char *out, size_t len)
{
	off_t end = lseek(c->dbuf, 0, SEEK_END);

	if (end != (off_t)page_align(c->s->obj.size))
		return msgf("the dma-buf's size is %lld, the object's %" PRIu64,
			    (long long)end, page_align(c->s->obj.size));
	snprintf(out, len, "size=%lld", (long long)end);
	return NULL;
}

static const char *ok_import_live(struct ctx *c, char *out, size_t len)
{
	if (c->out_handle != c->h)
		return msgf("import of our own export gave handle %u, not %u",
			    c->out_handle, c->h);
	c->h2 = 0;		/* the same handle: closed once */
	snprintf(out, len, "same handle");
	return NULL;
}

static const char *ok_import(struct ctx *c, char *out, size_t len)
{
	uint64_t off;

	if (!c->out_handle)
		return "import succeeded with handle 0";
	if (mmap_offset(c->dev, c->out_handle, &off)) {
		char why[sizeof(g_msg)];

		memcpy(why, g_msg, sizeof(why));
		return msgf("the imported handle does not work: %s", why);
	}
	snprintf(out, len, "ok");
	return NULL;
}

static const char *ok_vgem(struct ctx *c, char *out, size_t len)
{
	if (!c->out_handle)
		return "vgem import succeeded with handle 0";
	snprintf(out, len, "ok");
	return NULL;
}

static const char *ok_copy(struct ctx *c, char *out, size_t len)
{
	bool from_mdl = c->s->obj.type == DRM_DXGKCOMPAT_PMO_MDL;
	uint8_t d[PG];
	int sig = guarded_copy(d, c->map2, PG);

	if (sig)
		return msgf("signal %d reading the destination", sig);
	for (size_t i = 0; i < PG; i++) {
		uint8_t want = from_mdl ? pattern(i) : 0;

		if (d[i] != want)
			return msgf("destination byte %zu is %#x, the source's %#x", i, d[i], want);
	}
	snprintf(out, len, "ok");
	return NULL;
}

static const char *ok_cb_map(struct ctx *c, char *out, size_t len)
{
	uint64_t want = page_align(c->s->obj.size);

	if (!c->out_addr || c->out_size != want)
		return msgf("TEST_CB_MAP gave address %#" PRIx64 " size %#" PRIx64,
			    c->out_addr, c->out_size);
	snprintf(out, len, "size=%" PRIu64, c->out_size);
	return check_zero_map(c->map, c->len);
}

/* ---- judges of an injected failure --------------------------------------- */

static const char *fl_none(struct ctx *c)
{
	(void)c;
	return NULL;
}

static const char *fl_create(struct ctx *c)
{
	return c->out_handle ? msgf("a failed PMO_CREATE returned handle %u", c->out_handle) :
			       NULL;
}

static const char *fl_map(struct ctx *c)
{
	return c->out_addr ? msgf("a failed map returned address %#" PRIx64, c->out_addr) :
			     NULL;
}

/* A failed unmap leaves the mapping as it was. */
static const char *fl_unmap(struct ctx *c)
{
	if (!mapped(c->map)) {
		c->map = NULL;
		return "the unmap failed, but the mapping is gone";
	}
	return NULL;
}

/* After a SIGBUS the mapping must work when touched again. */
static const char *fl_touch(struct ctx *c)
{
	uint32_t v = 0;
	int sig = guarded_write32(c->map, c->val) ?: guarded_read32(c->map, &v);

	if (sig)
		return msgf("the retouch after the injected failure got signal %d", sig);
	if (v != c->val)
		return msgf("the retouch wrote %#x, reads back %#x", c->val, v);
	return NULL;
}

/* After a failed export the next export (no injection) works. */
static const char *fl_export(struct ctx *c)
{
	int fd = -1, ret = export_fd(c->dev, c->h, &fd);

	if (ret)
		return msgf("the export after the injected failure fails: %s", errname(-ret));
	close(fd);
	return NULL;
}

/* After a failed import the next one (no injection) works. */
static const char *fl_import(struct ctx *c)
{
	struct drm_prime_handle p = { .fd = c->dbuf };
	int fd = c->s->vgem ? g_vgem : c->dev;
	int ret = xioctl(fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &p);

	if (ret)
		return msgf("the import after the injected failure fails: %s", errname(-ret));
	if (c->s->vgem)
		c->vh = p.handle;
	else
		c->h2 = p.handle;
	return NULL;
}

/* ---- the table ----------------------------------------------------------- */

#define IOCTL_NT	.has_nt = true

static const struct scen scens[] = {
	/* ioctls */
	{ "open", G_IOCTLS, A_EDU, NOOBJ, E_NOMEM, .setup = su_none, .call = ca_open,
	  .ok = ok_open, .failed = fl_none,
	  .what = "open() of the render node (drm_open, the per-file quota)" },
	{ "open@virt", G_IOCTLS, A_VIRT, NOOBJ, E_NOMEM, .setup = su_none, .call = ca_open,
	  .ok = ok_open, .failed = fl_none, .what = "open() of the render node" },
	{ "get-adapter-info", G_IOCTLS, A_EDU, NOOBJ, E_NOMEM, IOCTL_NT, .setup = su_none,
	  .call = ca_info, .ok = ok_info, .failed = fl_none, .what = "GET_ADAPTER_INFO" },
	{ "get-adapter-info@virt", G_IOCTLS, A_VIRT, NOOBJ, E_NOMEM, IOCTL_NT,
	  .setup = su_none, .call = ca_info, .ok = ok_info, .failed = fl_none,
	  .what = "GET_ADAPTER_INFO" },
	{ "create-mdl-cached-4k", G_IOCTLS, A_EDU, MDL(CACHED, 4 * KIB), E_NOMEM | E_NOSPC,
	  IOCTL_NT, .setup = su_none, .call = ca_create, .ok = ok_create,
	  .failed = fl_create, .what = "PMO_CREATE MDL cached 4 KiB" },
	{ "create-mdl-wc-4k", G_IOCTLS, A_EDU, MDL(WRITE_COMBINED, 4 * KIB),
	  E_NOMEM | E_NOSPC, IOCTL_NT, .setup = su_none, .call = ca_create,
	  .ok = ok_create, .failed = fl_create, .what = "PMO_CREATE MDL write-combined 4 KiB" },
	{ "create-mdl-uc-4k", G_IOCTLS, A_EDU, MDL(NON_CACHED, 4 * KIB),
	  E_NOMEM | E_NOSPC, IOCTL_NT, .setup = su_none, .call = ca_create,
	  .ok = ok_create, .failed = fl_create, .what = "PMO_CREATE MDL non-cached 4 KiB" },
	{ "create-mdl-cached-1m", G_IOCTLS, A_EDU, MDL(CACHED, MIB), E_NOMEM | E_NOSPC,
	  IOCTL_NT, .setup = su_none, .call = ca_create, .ok = ok_create,
	  .failed = fl_create, .what = "PMO_CREATE MDL cached 1 MiB" },
	{ "create-mdl-wc-1m", G_IOCTLS, A_EDU, MDL(WRITE_COMBINED, MIB), E_NOMEM | E_NOSPC,
	  IOCTL_NT, .setup = su_none, .call = ca_create, .ok = ok_create,
	  .failed = fl_create, .what = "PMO_CREATE MDL write-combined 1 MiB" },
	{ "create-mdl-uc-1m", G_IOCTLS, A_EDU, MDL(NON_CACHED, MIB), E_NOMEM | E_NOSPC,
	  IOCTL_NT, .setup = su_none, .call = ca_create, .ok = ok_create,
	  .failed = fl_create, .what = "PMO_CREATE MDL non-cached 1 MiB" },
	{ "create-section-cached-64k", G_IOCTLS, A_EDU, SECTION(CACHED, 64 * KIB),
	  E_NOMEM | E_NOSPC, IOCTL_NT, .setup = su_none, .call = ca_create,
	  .ok = ok_create, .failed = fl_create, .what = "PMO_CREATE SECTION cached 64 KiB" },
	{ "create-section-wc-64k", G_IOCTLS, A_EDU, SECTION(WRITE_COMBINED, 64 * KIB),
	  E_NOMEM | E_NOSPC, IOCTL_NT, .setup = su_none, .call = ca_create,
	  .ok = ok_create, .failed = fl_create,
	  .what = "PMO_CREATE SECTION write-combined 64 KiB (pinned at creation)" },
	{ "create-mdl-cached-4k@virt", G_IOCTLS, A_VIRT, MDL(CACHED, 4 * KIB),
	  E_NOMEM | E_NOSPC, IOCTL_NT, .setup = su_none, .call = ca_create,
	  .ok = ok_create, .failed = fl_create, .what = "PMO_CREATE MDL cached 4 KiB" },
	{ "create-section-wc-64k@virt", G_IOCTLS, A_VIRT, SECTION(WRITE_COMBINED, 64 * KIB),
	  E_NOMEM | E_NOSPC, IOCTL_NT, .setup = su_none, .call = ca_create,
	  .ok = ok_create, .failed = fl_create,
	  .what = "PMO_CREATE SECTION write-combined 64 KiB" },
	{ "pmo-mmap-offset", G_IOCTLS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .setup = su_obj, .call = ca_mmap_offset, .ok = ok_mmap_offset, .failed = fl_none,
	  .what = "PMO_MMAP_OFFSET" },
	{ "gem-close", G_IOCTLS, A_EDU, MDL(WRITE_COMBINED, 64 * KIB), 0, .setup = su_obj,
	  .call = ca_gem_close, .ok = ok_plain, .failed = fl_none,
	  .what = "GEM_CLOSE of a write-combined MDL object (destroyed, linear map back to WB)" },
	{ "gem-close-section", G_IOCTLS, A_EDU, SECTION(WRITE_COMBINED, 64 * KIB), 0,
	  .setup = su_obj, .call = ca_gem_close, .ok = ok_plain, .failed = fl_none,
	  .what = "GEM_CLOSE of a write-combined SECTION (unpinned, shmem file put)" },
	{ "close-fd", G_IOCTLS, A_EDU, NOOBJ, 0, .setup = su_fd_objs, .call = ca_close_fd,
	  .ok = ok_plain, .failed = fl_none,
	  .what = "close() of a DRM fd with two live objects (MDL, WC SECTION)" },

	/* mappings */
	{ "pmo-map", G_MAPPINGS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .setup = su_obj, .call = ca_pmo_map, .ok = ok_pmo_map, .failed = fl_map,
	  .what = "PMO_MAP of a cached MDL object" },
	{ "pmo-map-wc", G_MAPPINGS, A_EDU, MDL(WRITE_COMBINED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .setup = su_obj, .call = ca_pmo_map, .ok = ok_pmo_map, .failed = fl_map,
	  .what = "PMO_MAP of a write-combined MDL object" },
	{ "pmo-map-section", G_MAPPINGS, A_EDU, SECTION(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .setup = su_obj, .call = ca_pmo_map, .ok = ok_pmo_map, .failed = fl_map,
	  .what = "PMO_MAP of a cached SECTION (the mapping pins its pages)" },
	{ "pmo-map@virt", G_MAPPINGS, A_VIRT, MDL(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .setup = su_obj, .call = ca_pmo_map, .ok = ok_pmo_map, .failed = fl_map,
	  .what = "PMO_MAP of a cached MDL object" },
	{ "pmo-map-touch", G_MAPPINGS, A_EDU, MDL(CACHED, 4 * KIB), 0, .touch = true,
	  .setup = su_obj_map, .call = ca_touch, .ok = ok_touch, .failed = fl_touch,
	  .what = "first touch of a PMO_MAP mapping (the fault handler)" },
	{ "pmo-unmap", G_MAPPINGS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .setup = su_obj_map, .call = ca_pmo_unmap, .ok = ok_unmapped, .failed = fl_unmap,
	  .what = "PMO_UNMAP of a PMO_MAP mapping" },
	{ "gem-mmap", G_MAPPINGS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, .setup = su_obj_off,
	  .call = ca_gem_mmap, .ok = ok_mmap, .failed = fl_none,
	  .what = "mmap() of the GEM offset, cached MDL object" },
	{ "gem-mmap-section", G_MAPPINGS, A_EDU, SECTION(CACHED, 64 * KIB), E_NOMEM,
	  .setup = su_obj_off, .call = ca_gem_mmap, .ok = ok_mmap, .failed = fl_none,
	  .what = "mmap() of the GEM offset, cached SECTION (the mapping pins its pages)" },
	{ "gem-mmap-touch", G_MAPPINGS, A_EDU, MDL(CACHED, 4 * KIB), 0, .touch = true,
	  .setup = su_fixed_map, .call = ca_touch, .ok = ok_touch, .failed = fl_touch,
	  .what = "first touch of a GEM-offset mapping alone in 1 GiB (page tables allocated)" },
	{ "dmabuf-mmap", G_MAPPINGS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM,
	  .setup = su_obj_export, .call = ca_dmabuf_mmap, .ok = ok_mmap, .failed = fl_none,
	  .what = "mmap() of a PRIME fd" },
	{ "test-cb-map", G_MAPPINGS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .test_ioctl = true, .setup = su_obj, .call = ca_cb_map, .ok = ok_cb_map,
	  .failed = fl_map,
	  .what = "TEST_CB_MAP: DxgkCbMapPhysicalMemory(USER_MODE) (anon file, vm_mmap)" },
	{ "test-cb-unmap", G_MAPPINGS, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, IOCTL_NT,
	  .test_ioctl = true, .setup = su_cb_map, .call = ca_cb_unmap, .ok = ok_unmapped,
	  .failed = fl_unmap, .what = "TEST_CB_MAP unmap: DxgkCbUnmapPhysicalMemory" },

	/* PRIME and vgem */
	{ "prime-export", G_PRIME, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, .setup = su_obj,
	  .call = ca_export, .ok = ok_export, .failed = fl_export,
	  .what = "PRIME HANDLE_TO_FD (dma_buf_export)" },
	{ "prime-export@virt", G_PRIME, A_VIRT, MDL(CACHED, 64 * KIB), E_NOMEM,
	  .setup = su_obj, .call = ca_export, .ok = ok_export, .failed = fl_export,
	  .what = "PRIME HANDLE_TO_FD" },
	{ "prime-import-live", G_PRIME, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM,
	  .setup = su_obj_export, .call = ca_import, .ok = ok_import_live,
	  .failed = fl_import,
	  .what = "PRIME FD_TO_HANDLE of our own export, handle still open (same handle)" },
	{ "prime-import", G_PRIME, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM,
	  .setup = su_export_closed, .call = ca_import, .ok = ok_import, .failed = fl_import,
	  .what = "PRIME FD_TO_HANDLE back into the same device after GEM_CLOSE (a new handle)" },
	{ "vgem-import", G_PRIME, A_EDU, MDL(CACHED, 64 * KIB), E_NOMEM, .vgem = true,
	  .setup = su_obj_export, .call = ca_vgem_import, .ok = ok_vgem, .failed = fl_import,
	  .what = "FD_TO_HANDLE on vgem: attach, map_dma_buf (scatterlist for vgem), dma_map_sgtable" },
	{ "vgem-import-section", G_PRIME, A_EDU, SECTION(CACHED, 64 * KIB), E_NOMEM,
	  .vgem = true, .setup = su_obj_export, .call = ca_vgem_import, .ok = ok_vgem,
	  .failed = fl_import, .what = "FD_TO_HANDLE on vgem of a cached SECTION (attach pins)" },
	{ "vgem-import@virt", G_PRIME, A_VIRT, MDL(CACHED, 64 * KIB), E_NOMEM, .vgem = true,
	  .setup = su_obj_export, .call = ca_vgem_import, .ok = ok_vgem, .failed = fl_import,
	  .what = "FD_TO_HANDLE on vgem" },

	/* copy */
	{ "copy-4k", G_COPY, A_EDU, MDL(CACHED, 4 * KIB), E_NOMEM | E_NOSPC, IOCTL_NT,
	  .setup = su_copy, .call = ca_copy, .ok = ok_copy, .failed = fl_none,
	  .what = "COPY 4 KiB MDL -> MDL on edu (two ADLs, the IOMMU, one pass)" },
	{ "copy-4k-section", G_COPY, A_EDU, SECTION(CACHED, 64 * KIB), E_NOMEM | E_NOSPC,
	  IOCTL_NT, .setup = su_copy, .call = ca_copy, .ok = ok_copy, .failed = fl_none,
	  .what = "COPY 4 KiB from a fresh SECTION on edu (its ADL pins the section)" },
};

#define NSCENS	(sizeof(scens) / sizeof(scens[0]))

/* ---- the sweep ------------------------------------------------------------ */

struct tally {
	unsigned int points, failed_cleanly, succeeded_anyway, sigbus;
};

static bool selected(const struct scen *s)
{
	char buf[512], *p, *save = NULL;

	if (!opt.only)
		return true;
	snprintf(buf, sizeof(buf), "%s", opt.only);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
		if (!fnmatch(p, s->name, 0))
			return true;
	return false;
}

static bool time_spent(void)
{
	if (!opt.time_s)
		return false;
	if (now_ms() - g_t0_ms >= (uint64_t)opt.time_s * 1000)
		g_time_spent = true;
	return g_time_spent;
}

static uint32_t nt_of(int err)
{
	return err == ENOMEM ? STATUS_NO_MEMORY :
	       err == ENOSPC ? STATUS_INSUFFICIENT_RESOURCES : 0;
}

static bool errno_allowed(const struct scen *s, int err)
{
	return (err == ENOMEM && s->allowed & E_NOMEM) ||
	       (err == ENOSPC && s->allowed & E_NOSPC);
}

enum outcome { OC_OK, OC_CLEAN, OC_ANYWAY, OC_SIGBUS, OC_BAD };

/*
 * Judge one run of the call. @n is 0 for the reference run; @refsig and
 * @ref_after are the reference's signature and counters after the call.
 */
static enum outcome judge(struct ctx *c, unsigned int n, bool injected, char *sig,
			  size_t siglen, const char *refsig,
			  const struct counters *after_setup,
			  const struct counters *ref_after, struct counters *after)
{
	const struct scen *s = c->s;
	struct counters now;
	const char *err;

	sig[0] = '\0';
	if (c->sig) {
		if (c->sig != SIGBUS || !s->touch || !injected) {
			fail(s, n, "signal %d during the call%s", c->sig,
			     injected ? "" : " (nothing injected)");
			return OC_BAD;
		}
		err = s->failed(c);
		if (err) {
			fail(s, n, "%s", err);
			return OC_BAD;
		}
		return OC_SIGBUS;
	}
	if (!c->ret) {
		if (s->has_nt && c->nt != STATUS_SUCCESS) {
			fail(s, n, "the call succeeded with ntstatus %#x", c->nt);
			return OC_BAD;
		}
		err = s->ok(c, sig, siglen);
		if (err) {
			fail(s, n, "%s%s", injected ? "succeeded after the injected failure, but " : "",
			     err);
			return OC_BAD;
		}
		if (refsig && strcmp(sig, refsig)) {
			fail(s, n, "succeeded%s, but not as the reference run: \"%s\", not \"%s\"",
			     injected ? " after the injected failure" : "", sig, refsig);
			return OC_BAD;
		}
		if (ref_after && !counters_wait(ref_after, &now, SETTLE_MS)) {
			fail(s, n, "succeeded%s, but the counters read \"%s\", not \"%s\" as after the reference run",
			     injected ? " after the injected failure" : "", now.text, ref_after->text);
			return OC_BAD;
		}
		if (after)
			counters_read(after);
		return injected ? OC_ANYWAY : OC_OK;
	}
	/* a failure */
	if (!injected) {
		fail(s, n, "failed with %s (ntstatus %#x) although nothing was injected",
		     errname(-c->ret), c->nt);
		return OC_BAD;
	}
	if (!errno_allowed(s, -c->ret)) {
		char nt[32] = "";

		if (s->has_nt)
			snprintf(nt, sizeof(nt), " (ntstatus %#x)", c->nt);
		fail(s, n, "the injected failure gave %s%s; allowed: %s", errname(-c->ret), nt,
		     s->allowed == (E_NOMEM | E_NOSPC) ? "ENOMEM, ENOSPC" :
		     s->allowed == E_NOMEM ? "ENOMEM" :
		     s->allowed ? "ENOSPC" : "none (this call has no failure to report)");
		return OC_BAD;
	}
	if (s->has_nt && c->nt != nt_of(-c->ret)) {
		fail(s, n, "the injected failure gave %s with ntstatus %#x, not %#x",
		     errname(-c->ret), c->nt, nt_of(-c->ret));
		return OC_BAD;
	}
	err = s->failed(c);
	if (err) {
		fail(s, n, "%s", err);
		return OC_BAD;
	}
	if (!counters_wait(after_setup, &now, SETTLE_MS)) {
		fail(s, n, "the call failed with %s, but the counters read \"%s\", not \"%s\" as before it",
		     errname(-c->ret), now.text, after_setup->text);
		return OC_BAD;
	}
	return OC_CLEAN;
}

/*
 * Release what the run made; the counters must be back at @base. A leak
 * fails the point (and ends the scenario's sweep: every later point would
 * be judged against a wrong baseline); @base is then what is left.
 */
static bool release_check(struct ctx *c, unsigned int n, struct counters *base)
{
	struct counters now;
	bool ok = true;

	ctx_release(c);
	if (!counters_wait(base, &now, SETTLE_MS)) {
		if (g_in_ref)
			fail(c->s, n, "leak: counters \"%s\" after releasing everything, baseline \"%s\"",
			     now.text, base->text);
		else
			fail(c->s, n, "leak after injecting point %u: counters \"%s\", baseline \"%s\"",
			     n, now.text, base->text);
		*base = now;
		ok = false;
	}
	kmsg_check(c->s, n);
	return ok;
}

static void print_tally(const struct scen *s, const char *how, const struct tally *t)
{
	printf("failnth: %s: %spoints%s%u failed-cleanly=%u succeeded-anyway=%u sigbus=%u\n",
	       s->name, how, *how ? ">=" : "=", t->points, t->failed_cleanly,
	       t->succeeded_anyway, t->sigbus);
}

/* Returns the fault points covered; *complete says whether the sweep ended. */
static unsigned int run_scenario(const struct scen *s, bool *complete)
{
	struct counters base, after_setup, ref_after, dummy;
	char refsig[512], sig[512], how[96];
	struct tally t = { 0 };
	struct ctx c;
	unsigned int n, rem, refpts;
	const char *err, *stop = NULL;
	uint64_t t_start = now_ms();
	enum outcome oc;

	*complete = false;
	g_scen_failures = 0;
	g_scen_prints = 0;
	g_cur_name = s->name;
	g_cur_n = 0;
	g_in_ref = false;

	if (g_dev[s->adapter] < 0) {
		printf("failnth: %s: not run (no %s adapter)\n", s->name,
		       miniport_names[s->adapter]);
		fail(s, 0, "no render node of a %s adapter", miniport_names[s->adapter]);
		return 0;
	}
	if (s->vgem && g_vgem < 0) {
		printf("failnth: %s: not run (no vgem card)\n", s->name);
		fail(s, 0, "no vgem card (modprobe vgem)");
		return 0;
	}
	if (time_spent()) {
		printf("failnth: %s: not run (time budget spent)\n", s->name);
		return 0;
	}
	if (!counters_read(&base)) {
		fail(s, 0, "cannot read %s: %s", COUNTERS_PATH, strerror(errno));
		return 0;
	}

	/* The reference run: nothing injected, the points counted. */
	g_in_ref = true;
	alarm(CALL_WATCHDOG_S);
	ctx_init(&c, s);
	c.val = 0x5a5a0000u;
	err = s->setup(&c);
	if (err) {
		fail(s, 0, "%s", err);
		release_check(&c, 0, &base);
		alarm(0);
		printf("failnth: %s: stopped at n=0 (the reference run's setup failed)\n", s->name);
		return 0;
	}
	counters_read(&after_setup);
	kmsg_check(s, 0);
	fnth_set(BIG_NTH);
	s->call(&c);
	rem = fnth_get();
	fnth_set(0);
	refpts = BIG_NTH - rem;
	if (s->test_ioctl && c.ret == -EOPNOTSUPP && c.nt == STATUS_NOT_SUPPORTED) {
		printf("failnth: %s: not available (test-only ioctls not built)\n", s->name);
		release_check(&c, 0, &base);
		alarm(0);
		g_in_ref = false;
		*complete = true;
		return 0;
	}
	oc = judge(&c, 0, false, refsig, sizeof(refsig), NULL, &after_setup, NULL, &ref_after);
	if (!release_check(&c, 0, &base) || oc != OC_OK) {
		alarm(0);
		printf("failnth: %s: stopped at n=0 (the reference run failed)\n", s->name);
		return 0;
	}
	g_in_ref = false;
	if (opt.verbose)
		printf("failnth: %s: reference run: %u fault points, \"%s\"\n", s->name, refpts,
		       refsig);

	for (n = 1;; n++) {
		bool injected;

		g_cur_n = n;
		if (n > opt.max_points) {
			snprintf(how, sizeof(how), "capped at n=%u (--max-points): ", n);
			stop = how;
			break;
		}
		if (time_spent()) {
			snprintf(how, sizeof(how), "cut short at n=%u (time budget spent): ", n);
			stop = how;
			break;
		}
		alarm(CALL_WATCHDOG_S);
		ctx_init(&c, s);
		c.val = 0x5a5a0000u | n;
		err = s->setup(&c);
		if (err) {
			fail(s, n, "%s", err);
			release_check(&c, n, &base);
			snprintf(how, sizeof(how), "stopped at n=%u (setup failed): ", n);
			stop = how;
			break;
		}
		counters_read(&after_setup);
		kmsg_check(s, n);

		fnth_set(n);
		s->call(&c);
		rem = fnth_get();
		fnth_set(0);

		injected = rem == 0;
		oc = judge(&c, n, injected, sig, sizeof(sig), refsig, &after_setup, &ref_after,
			   &dummy);
		if (opt.verbose) {
			char inj[48], nt[32] = "";

			snprintf(inj, sizeof(inj), injected ? "injected" : "not injected (%u points)",
				 n - rem);
			if (s->has_nt && c.ret)
				snprintf(nt, sizeof(nt), " ntstatus %#x", c.nt);
			printf("failnth: %s n=%u: %s, %s%s%s\n", s->name, n, inj,
			       c.sig ? "SIGBUS" : c.ret ? errname(-c.ret) : "success", nt,
			       oc == OC_BAD ? " -> FAIL" : "");
		}
		switch (oc) {
		case OC_CLEAN:
			t.failed_cleanly++;
			break;
		case OC_ANYWAY:
			t.succeeded_anyway++;
			break;
		case OC_SIGBUS:
			t.sigbus++;
			break;
		default:
			break;
		}
		if (!release_check(&c, n, &base)) {
			t.points = injected ? n : n - 1;
			snprintf(how, sizeof(how), "stopped at n=%u (leak): ", n);
			stop = how;
			break;
		}
		if (!injected) {
			t.points = n - 1;
			*complete = true;
			break;
		}
		t.points = n;
	}
	alarm(0);
	print_tally(s, stop ? stop : "", &t);
	if (opt.verbose)
		printf("failnth: %s: %.1f s, the reference run passed %u points\n", s->name,
		       (now_ms() - t_start) / 1000.0, refpts);
	fflush(stdout);
	return t.points;
}

/* ---- setup of the run ------------------------------------------------------ */

static bool drm_name(int fd, char *name, size_t len)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	v.name = name;
	v.name_len = len - 1;
	memset(name, 0, len);
	return !ioctl(fd, DRM_IOCTL_VERSION, &v);
}

static void find_nodes(void)
{
	struct dirent *de;
	DIR *d = opendir("/dev/dri");

	if (!d)
		return;
	while ((de = readdir(d))) {
		bool render = !strncmp(de->d_name, "renderD", 7);
		bool card = !strncmp(de->d_name, "card", 4);
		char path[sizeof(g_path[0])], name[64];
		int fd;

		if ((!render && !card) || strlen(de->d_name) > sizeof(path) - 10)
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%.*s", (int)(sizeof(path) - 10), de->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!drm_name(fd, name, sizeof(name))) {
			close(fd);
			continue;
		}
		if (render && !strcmp(name, "dxgkcompat")) {
			struct drm_dxgkcompat_adapter_info i;

			memset(&i, 0, sizeof(i));
			if (!xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &i)) {
				for (int a = 0; a < A_N; a++) {
					if (g_dev[a] < 0 && !strncmp(i.miniport_name, miniport_names[a],
								     sizeof(i.miniport_name))) {
						g_dev[a] = fd;
						snprintf(g_path[a], sizeof(g_path[a]), "%s", path);
						fd = -1;
						break;
					}
				}
			}
		} else if (!strcmp(name, "vgem") && (g_vgem < 0 || (card && !g_vgem_card))) {
			/* its card node when there is one, else its render node */
			if (g_vgem >= 0)
				close(g_vgem);
			g_vgem = fd;
			g_vgem_card = card;
			snprintf(g_vgem_path, sizeof(g_vgem_path), "%s", path);
			fd = -1;
		}
		if (fd >= 0)
			close(fd);
	}
	closedir(d);
}

static const char *knob(const char *name, char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", DEBUGFS, name);
	if (!read_file(path, buf, len))
		snprintf(buf, len, "?");
	chomp(buf);
	return buf;
}

/* Print the fault-injection knobs; false if they would blame calls wrongly. */
static bool check_knobs(void)
{
	static const char *const attrs[] = { "failslab", "fail_page_alloc" };
	bool ok = true;

	for (int i = 0; i < 2; i++) {
		char p[32], v[32], w[32], g[32], path[64];

		snprintf(path, sizeof(path), "%s/probability", attrs[i]);
		knob(path, p, sizeof(p));
		snprintf(path, sizeof(path), "%s/verbose", attrs[i]);
		knob(path, v, sizeof(v));
		snprintf(path, sizeof(path), "%s/ignore-gfp-wait", attrs[i]);
		knob(path, w, sizeof(w));
		if (i == 1) {
			char h[32], o[32];

			knob("fail_page_alloc/ignore-gfp-highmem", h, sizeof(h));
			knob("fail_page_alloc/min-order", o, sizeof(o));
			printf("failnth: knobs: %s probability=%s verbose=%s ignore-gfp-wait=%s ignore-gfp-highmem=%s min-order=%s\n",
			       attrs[i], p, v, w, h, o);
			if (!strcmp(h, "Y") || strcmp(o, "0"))
				printf("failnth: note: fail_page_alloc ignores highmem or low orders: not every page allocation can be failed\n");
		} else {
			knob("failslab/cache-filter", g, sizeof(g));
			printf("failnth: knobs: %s probability=%s verbose=%s ignore-gfp-wait=%s cache-filter=%s\n",
			       attrs[i], p, v, w, g);
			if (!strcmp(g, "Y"))
				printf("failnth: note: failslab cache-filter is on: only marked caches fail\n");
		}
		if (strcmp(p, "0") && strcmp(p, "?")) {
			printf("failnth: %s/probability is %s: random injections would be blamed on the calls; set it to 0\n",
			       attrs[i], p);
			ok = false;
		}
		if (!strcmp(w, "Y"))
			printf("failnth: note: %s ignores GFP_KERNEL allocations (ignore-gfp-wait=Y): few points\n",
			       attrs[i]);
		if (strcmp(v, "0") && strcmp(v, "?"))
			printf("failnth: note: %s/verbose is %s: every injection is logged (with a stack dump at 2)\n",
			       attrs[i], v);
	}
	return ok;
}

/* Fault the stack in, and lock everything mapped now. */
static void __attribute__((noinline)) prefault_stack(void)
{
	volatile char buf[256 * 1024];

	for (size_t i = 0; i < sizeof(buf); i += 1024)
		buf[i] = 0;
}

static void pin_and_lock(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();

	if (cpu >= 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			printf("failnth: note: sched_setaffinity(CPU %d): %s\n", cpu, strerror(errno));
	}
	prefault_stack();
	if (mlockall(MCL_CURRENT))
		printf("failnth: note: mlockall: %s: the tool's own page faults may count as points\n",
		       strerror(errno));
	printf("failnth: pinned to CPU %d, memory locked\n", cpu);
}

/*
 * Do the knobs let fail-nth reach what the sweep needs? open() fails at
 * its first point (getname(): a GFP_KERNEL slab allocation), and write()
 * to an empty pipe at its first (an order-0 GFP_HIGHUSER page); the first
 * proves failslab/ignore-gfp-wait N, the second fail_page_alloc's
 * ignore-gfp-wait N, ignore-gfp-highmem N and min-order 0.
 */
static bool self_check(void)
{
	unsigned int rem_slab, rem_page;
	int fd, err_slab, err_page, p[2];
	ssize_t w;
	bool ok = true;

	if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) {
		printf("failnth: self-check: pipe: %s\n", strerror(errno));
		return false;
	}
	fnth_set(1);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	err_slab = fd < 0 ? errno : 0;
	rem_slab = fnth_get();
	fnth_set(0);
	if (fd >= 0)
		close(fd);

	fnth_set(1);
	w = write(p[1], "x", 1);
	err_page = w < 0 ? errno : 0;
	rem_page = fnth_get();
	fnth_set(0);
	close(p[0]);
	close(p[1]);

	printf("failnth: self-check: open() at point 1: %s, write() to a pipe at point 1: %s\n",
	       err_slab ? errname(err_slab) : "succeeded", err_page ? errname(err_page) : "succeeded");
	if (rem_slab || err_slab != ENOMEM) {
		printf("failnth: GFP_KERNEL slab allocations are not failed (set failslab/ignore-gfp-wait to N)\n");
		ok = false;
	}
	if (rem_page || err_page != ENOMEM) {
		printf("failnth: order-0 GFP_HIGHUSER page allocations are not failed (set fail_page_alloc/ignore-gfp-wait and ignore-gfp-highmem to N, min-order to 0)\n");
		ok = false;
	}
	return ok;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dxgk_failnth [--only PATTERN[,PATTERN...]] [--list] [--max-points N]\n"
		   "                    [--time S] [--verbose]\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "only", required_argument, NULL, 'o' },
		{ "list", no_argument, NULL, 'l' },
		{ "max-points", required_argument, NULL, 'm' },
		{ "time", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int total = 0, complete_n = 0, nsel = 0;
	char incomplete[2048] = "";
	char dmadis[16] = "", dmadis_after[16];
	struct counters start, end;
	struct sigaction sa;
	int o;

	while ((o = getopt_long(argc, argv, "o:lm:t:vh", lo, NULL)) != -1) {
		switch (o) {
		case 'o':
			opt.only = optarg;
			break;
		case 'l':
			opt.list = true;
			break;
		case 'm':
			opt.max_points = strtoul(optarg, NULL, 0);
			if (!opt.max_points) {
				usage(stderr);
				return 2;
			}
			break;
		case 't':
			opt.time_s = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	for (size_t i = 0; i < NSCENS; i++)
		nsel += selected(&scens[i]);
	if (!nsel) {
		fprintf(stderr, "dxgk_failnth: --only %s matches no scenario (see --list)\n", opt.only);
		return 2;
	}
	if (opt.list) {
		for (size_t i = 0; i < NSCENS; i++)
			if (selected(&scens[i]))
				printf("%s %s %s: %s\n", scens[i].name, group_names[scens[i].group],
				       adapter_names[scens[i].adapter], scens[i].what);
		return 0;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	g_t0_ms = now_ms();
	g_fnth = open(FAILNTH_PATH, O_RDWR | O_CLOEXEC);
	if (g_fnth < 0) {
		printf("failnth: %s: %s: a kernel without CONFIG_FAULT_INJECTION cannot run the sweep\n",
		       FAILNTH_PATH, strerror(errno));
		return 77;
	}
	if (!counters_read(&start)) {
		printf("failnth: cannot read %s: %s (run as root, with debugfs and dxgkcompat)\n",
		       COUNTERS_PATH, strerror(errno));
		return 2;
	}
	if (!check_knobs())
		return 2;
	find_nodes();
	printf("failnth: start: edu=%s virt=%s vgem=%s max-points=%u time=%u scenarios=%u\n",
	       g_dev[A_EDU] >= 0 ? g_path[A_EDU] : "-", g_dev[A_VIRT] >= 0 ? g_path[A_VIRT] : "-",
	       g_vgem >= 0 ? g_vgem_path : "-", opt.max_points, opt.time_s, nsel);
	printf("failnth: counters before: %s\n", start.text);
	read_file(DMA_API_DISABLED, dmadis, sizeof(dmadis));
	chomp(dmadis);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sa.sa_handler = on_alarm;
	sa.sa_flags = 0;
	sigaction(SIGALRM, &sa, NULL);

	kmsg_open();
	pin_and_lock();
	if (!self_check())
		return 2;

	for (size_t i = 0; i < NSCENS; i++) {
		const struct scen *s = &scens[i];
		bool complete;

		if (!selected(s))
			continue;
		total += run_scenario(s, &complete);
		if (complete) {
			complete_n++;
		} else {
			size_t l = strlen(incomplete);

			snprintf(incomplete + l, sizeof(incomplete) - l, "%s%s", l ? "," : "", s->name);
		}
		if (dmadis[0] == 'N' && read_file(DMA_API_DISABLED, dmadis_after,
						  sizeof(dmadis_after)) && dmadis_after[0] == 'Y') {
			fail(s, g_cur_n, "DMA-API debugging disabled itself during this scenario");
			dmadis[0] = 'Y';
		}
	}

	if (!counters_wait(&start, &end, SETTLE_MS)) {
		printf("failnth: FAIL counters n=0: after the run \"%s\", before \"%s\"\n",
		       end.text, start.text);
		g_failures++;
	}
	printf("failnth: counters after: %s\n", end.text);
	if (g_time_spent)
		printf("failnth: time budget of %u s spent\n", opt.time_s);
	if (incomplete[0])
		printf("failnth: incomplete: %s\n", incomplete);
	printf("failnth: total points=%u scenarios=%u failures=%u\n", total, complete_n, g_failures);
	return g_failures ? 1 : 0;
}
