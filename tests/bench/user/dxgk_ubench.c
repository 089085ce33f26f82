// SPDX-License-Identifier: MIT
/*
 * dxgk_ubench - user-space cost of a physical memory object (issue #13).
 *
 * For each size and each variant, one sample is: create an object, map it,
 * write one byte to every page (first touch), unmap it and destroy it. The
 * four phases are timed apart with CLOCK_MONOTONIC, and the page faults of
 * the touch phase are counted (a PERF_COUNT_SW_PAGE_FAULTS counter of this
 * process, else getrusage() ru_minflt + ru_majflt).
 *
 * Variants (--backends):
 *   vgem     vgem dumb buffer: MODE_CREATE_DUMB, MODE_MAP_DUMB + mmap() on
 *            the vgem card node, munmap(), MODE_DESTROY_DUMB. The
 *            reference of each size. vgem asks the shmem helpers for
 *            write-combined maps (on x86 its pages are made WC when the
 *            first mmap() gets them, and WB again when the last goes).
 *   memfd    plain shmem: memfd_create(), ftruncate(), mmap(MAP_SHARED),
 *            munmap(), close(): WB pages allocated at first touch.
 *   mdl      dxgkcompat MDL object (PMO_CREATE, high_address all ones),
 *            one row per cache type (--caches).
 *   section  dxgkcompat SECTION object, PAGE_READWRITE; CACHED and
 *            WRITE_COMBINED only (the driver refuses NON_CACHED sections).
 * dxgkcompat objects are mapped with PMO_MMAP_OFFSET + mmap() of the DRM
 * file (--methods offset, "map" phase = both) and/or with PMO_MAP (method
 * map; teardown then is PMO_UNMAP), and destroyed with GEM_CLOSE.
 *
 * Repetitions are interleaved: rep r runs every row once, in an order
 * shuffled anew for each rep (a fixed seed: the same orders every run, so
 * that no row always follows the same one, e.g. a 64 MiB teardown), before
 * rep r + 1 starts, after --warmup rounds that are not counted. The report
 * is a markdown table of medians with the p10..p90 range of each phase.
 *
 * Exit: 0 done; 1 a real error (a device missing, an ioctl or mmap that
 * failed, a signal during a touch), with the reason on stderr; 2 usage.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
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
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/perf_event.h>

#include "drm.h"
#include "drm_mode.h"
#include "dxgkcompat_drm.h"

#define PAGE_READWRITE		0x04u
#define MAX_PHYS		0x7fffffffffffffffull
#define MAX_SIZES		16
#define MAX_ROWS		128
#define MAX_REPS		10000
#define DEFAULT_REPS		15
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

enum backend { BE_VGEM, BE_MEMFD, BE_MDL, BE_SECTION, BE_N };
enum method { M_OFFSET, M_PMO_MAP };
enum phase { PH_CREATE, PH_MMAP, PH_TOUCH, PH_TEARDOWN, PH_TOTAL, PH_N };

static const char *const be_name[BE_N] = { "vgem", "memfd", "mdl", "section" };

struct row {
	enum backend be;
	enum method method;
	uint32_t cache;		/* DRM_DXGKCOMPAT_*, dxgkcompat rows only */
	uint64_t size;		/* bytes, a page multiple */
	double *t[PH_N];	/* ns, one per rep */
	uint64_t *faults;	/* touch-phase faults, one per rep */
	uint64_t *majflt;	/* of which major (getrusage) */
};

static struct {
	const char *dxgk_path;
	const char *vgem_path;
	const char *miniport;
	uint64_t sizes[MAX_SIZES];
	int nsizes;
	unsigned int backends;	/* 1 << enum backend */
	unsigned int caches;	/* 1 << DRM_DXGKCOMPAT_* */
	unsigned int methods;	/* 1 << enum method */
	int reps;
	int warmup;
	int cpu;
	bool quiet;
} opt = {
	.miniport = "dxgk_virt",
	.backends = 1u << BE_VGEM | 1u << BE_MEMFD | 1u << BE_MDL | 1u << BE_SECTION,
	.caches = 1u << DRM_DXGKCOMPAT_CACHED | 1u << DRM_DXGKCOMPAT_WRITE_COMBINED |
		  1u << DRM_DXGKCOMPAT_NON_CACHED,
	.methods = 1u << M_OFFSET,
	.reps = DEFAULT_REPS,
	.warmup = 1,
	.cpu = -1,
};

static struct row g_rows[MAX_ROWS];
static int g_nrows;
static int g_dxgk_fd = -1, g_vgem_fd = -1;
static char g_dxgk_path[64], g_vgem_path[64], g_dxgk_note[128];
static long g_page;
static int g_perf_fd = -1;

/* What the touch loop is doing, for the SIGSEGV/SIGBUS handler. */
static char g_doing[160];

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("dxgk_ubench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void on_fault_signal(int sig)
{
	static const char pre[] = "dxgk_ubench: signal during ";
	ssize_t r;

	r = write(2, pre, sizeof(pre) - 1);
	r = write(2, g_doing, strlen(g_doing));
	r = write(2, sig == SIGBUS ? ": SIGBUS\n" : ": SIGSEGV\n",
		  sig == SIGBUS ? 9 : 10);
	(void)r;
	_exit(1);
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r;

	do
		r = ioctl(fd, cmd, arg);
	while (r == -1 && (errno == EINTR || errno == EAGAIN));
	return r ? -errno : 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- fault counting ------------------------------------------------------ */

static void faults_init(void)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_PAGE_FAULTS;
	a.exclude_hv = 1;
	g_perf_fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1,
				 PERF_FLAG_FD_CLOEXEC);
}

struct fault_snap {
	uint64_t perf;
	uint64_t minflt;
	uint64_t majflt;
};

static void faults_read(struct fault_snap *s)
{
	struct rusage ru;

	s->perf = 0;
	if (g_perf_fd >= 0 && read(g_perf_fd, &s->perf, sizeof(s->perf)) !=
	    (ssize_t)sizeof(s->perf))
		die("read of the page-fault counter: %s", strerror(errno));
	getrusage(RUSAGE_SELF, &ru);
	s->minflt = (uint64_t)ru.ru_minflt;
	s->majflt = (uint64_t)ru.ru_majflt;
}

/* ---- devices ------------------------------------------------------------- */

static bool drv_name(int fd, char *name, size_t len)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	memset(name, 0, len);
	v.name = name;
	v.name_len = len - 1;
	if (xioctl(fd, DRM_IOCTL_VERSION, &v))
		return false;
	name[len - 1] = 0;
	return true;
}

/* Opens @path if it is a node of driver @drv; -errno, or -ENODEV if not. */
static int open_node(const char *path, const char *drv)
{
	char name[64];
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (!drv_name(fd, name, sizeof(name)) || strcmp(name, drv)) {
		close(fd);
		return -ENODEV;
	}
	return fd;
}

static const char *iommu_str(uint32_t m)
{
	switch (m) {
	case DRM_DXGKCOMPAT_IOMMU_NONE:
		return "none";
	case DRM_DXGKCOMPAT_IOMMU_IDENTITY:
		return "identity";
	case DRM_DXGKCOMPAT_IOMMU_TRANSLATED:
		return "translated";
	default:
		return "?";
	}
}

static void dxgk_note(int fd)
{
	struct drm_dxgkcompat_adapter_info i;
	int ret;

	memset(&i, 0, sizeof(i));
	ret = xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &i);
	if (ret)
		die("%s: GET_ADAPTER_INFO: %s (ntstatus %#x)", g_dxgk_path,
		    strerror(-ret), i.ntstatus);
	i.miniport_name[sizeof(i.miniport_name) - 1] = 0;
	snprintf(g_dxgk_note, sizeof(g_dxgk_note), "miniport %s, IOMMU %s",
		 i.miniport_name, iommu_str(i.iommu_mode));
}

/* The miniport of the dxgkcompat node @fd, or "" if unknown. */
static void miniport_of(int fd, char *buf, size_t len)
{
	struct drm_dxgkcompat_adapter_info i;

	memset(&i, 0, sizeof(i));
	buf[0] = 0;
	if (xioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &i))
		return;
	i.miniport_name[sizeof(i.miniport_name) - 1] = 0;
	snprintf(buf, len, "%s", i.miniport_name);
}

/*
 * A dxgkcompat node: --dxgk-node, else the first render node of miniport
 * --miniport, else the first render node of any, else a card node.
 */
static void find_dxgk(void)
{
	int first = -1, denied = 0, k, fd;
	char path[40], mp[DRM_DXGKCOMPAT_MINIPORT_NAME_LEN + 1];
	char first_path[40] = "";

	if (opt.dxgk_path) {
		fd = open_node(opt.dxgk_path, "dxgkcompat");
		if (fd < 0)
			die("%s: %s", opt.dxgk_path, fd == -ENODEV ?
			    "not a dxgkcompat DRM node" : strerror(-fd));
		snprintf(g_dxgk_path, sizeof(g_dxgk_path), "%s", opt.dxgk_path);
		g_dxgk_fd = fd;
		dxgk_note(fd);
		return;
	}
	/* renderD128..191 first, then card0..63 */
	for (k = 0; k < 128; k++) {
		bool render = k < 64;

		snprintf(path, sizeof(path), render ? "/dev/dri/renderD%d" :
			 "/dev/dri/card%d", render ? 128 + k : k - 64);
		fd = open_node(path, "dxgkcompat");
		if (fd < 0) {
			denied += fd == -EACCES || fd == -EPERM;
			continue;
		}
		miniport_of(fd, mp, sizeof(mp));
		if (!strcmp(mp, opt.miniport)) {
			if (first >= 0)
				close(first);
			g_dxgk_fd = fd;
			snprintf(g_dxgk_path, sizeof(g_dxgk_path), "%s", path);
			dxgk_note(fd);
			return;
		}
		if (first < 0) {
			first = fd;
			snprintf(first_path, sizeof(first_path), "%s", path);
		} else {
			close(fd);
		}
	}
	if (first < 0)
		die("no dxgkcompat DRM node in /dev/dri%s (module loaded? --backends without mdl,section leaves the dxgkcompat rows out)",
		    denied ? " could be opened (permission denied)" : "");
	g_dxgk_fd = first;
	snprintf(g_dxgk_path, sizeof(g_dxgk_path), "%s", first_path);
	dxgk_note(first);
}

/* vgem's card node: MODE_CREATE_DUMB is not allowed on render nodes. */
static void find_vgem(void)
{
	int denied = 0, k, fd;
	char path[40];

	if (opt.vgem_path) {
		fd = open_node(opt.vgem_path, "vgem");
		if (fd < 0)
			die("%s: %s", opt.vgem_path, fd == -ENODEV ?
			    "not a vgem DRM node" : strerror(-fd));
		snprintf(g_vgem_path, sizeof(g_vgem_path), "%s", opt.vgem_path);
		g_vgem_fd = fd;
		return;
	}
	for (k = 0; k < 64; k++) {
		snprintf(path, sizeof(path), "/dev/dri/card%d", k);
		fd = open_node(path, "vgem");
		if (fd >= 0) {
			snprintf(g_vgem_path, sizeof(g_vgem_path), "%s", path);
			g_vgem_fd = fd;
			return;
		}
		denied += fd == -EACCES || fd == -EPERM;
	}
	die("no vgem card node in /dev/dri%s (modprobe vgem, or leave vgem out of --backends)",
	    denied ? " could be opened (permission denied)" : "");
}

/* ---- one sample ------------------------------------------------------------ */

static const char *cache_str(uint32_t c)
{
	switch (c) {
	case DRM_DXGKCOMPAT_CACHED:
		return "WB";
	case DRM_DXGKCOMPAT_WRITE_COMBINED:
		return "WC";
	case DRM_DXGKCOMPAT_NON_CACHED:
		return "UC";
	default:
		return "?";
	}
}

static const char *row_cache(const struct row *r)
{
	if (r->be == BE_VGEM)
		return "WC (vgem)";
	if (r->be == BE_MEMFD)
		return "WB";
	return cache_str(r->cache);
}

static void row_backend(const struct row *r, char *buf, size_t len)
{
	if (r->be == BE_VGEM || r->be == BE_MEMFD)
		snprintf(buf, len, "%s", be_name[r->be]);
	else
		snprintf(buf, len, "dxgk %s%s", be_name[r->be],
			 r->method == M_PMO_MAP ? " (PMO_MAP)" : "");
}

static void size_str(uint64_t s, char *buf, size_t len)
{
	if (s >= (1ull << 30) && !(s & ((1ull << 30) - 1)))
		snprintf(buf, len, "%" PRIu64 " GiB", s >> 30);
	else if (s >= (1ull << 20) && !(s & ((1ull << 20) - 1)))
		snprintf(buf, len, "%" PRIu64 " MiB", s >> 20);
	else if (s >= 1024 && !(s & 1023))
		snprintf(buf, len, "%" PRIu64 " KiB", s >> 10);
	else
		snprintf(buf, len, "%" PRIu64 " B", s);
}

static void describe(const struct row *r, const char *what, char *buf, size_t len)
{
	char be[40], sz[24];

	row_backend(r, be, sizeof(be));
	size_str(r->size, sz, sizeof(sz));
	snprintf(buf, len, "%s of a %s %s %s object", what, sz, be, row_cache(r));
}

static void fail_ioctl(const struct row *r, const char *what, int err,
		       const uint32_t *ntstatus)
{
	char d[160];

	describe(r, what, d, sizeof(d));
	if (ntstatus)
		die("%s on %s: %s (ntstatus %#x)", d, g_dxgk_path, strerror(-err),
		    *ntstatus);
	die("%s: %s", d, strerror(-err));
}

struct live {
	uint32_t handle;
	int memfd;
	uint8_t *p;
	uint64_t len;		/* of the mapping */
	uint64_t data;		/* offset of the object's byte 0 in it */
};

static void do_create(const struct row *r, struct live *l)
{
	int ret;

	memset(l, 0, sizeof(*l));
	l->memfd = -1;
	switch (r->be) {
	case BE_VGEM: {
		struct drm_mode_create_dumb c;

		memset(&c, 0, sizeof(c));
		c.bpp = 32;
		c.width = (uint32_t)g_page / 4;
		c.height = (uint32_t)(r->size / (uint64_t)g_page);
		ret = xioctl(g_vgem_fd, DRM_IOCTL_MODE_CREATE_DUMB, &c);
		if (ret)
			fail_ioctl(r, "MODE_CREATE_DUMB", ret, NULL);
		if (c.size < r->size)
			die("vgem made a dumb buffer of %llu bytes, not %" PRIu64,
			    (unsigned long long)c.size, r->size);
		l->handle = c.handle;
		break;
	}
	case BE_MEMFD:
		l->memfd = memfd_create("dxgk_ubench", MFD_CLOEXEC);
		if (l->memfd < 0)
			fail_ioctl(r, "memfd_create", -errno, NULL);
		if (ftruncate(l->memfd, (off_t)r->size))
			fail_ioctl(r, "ftruncate", -errno, NULL);
		break;
	default: {
		struct drm_dxgkcompat_pmo_create c;

		memset(&c, 0, sizeof(c));
		c.size = r->size;
		c.cache_type = r->cache;
		if (r->be == BE_MDL) {
			c.type = DRM_DXGKCOMPAT_PMO_MDL;
			c.high_address = MAX_PHYS;
		} else {
			c.type = DRM_DXGKCOMPAT_PMO_SECTION;
			c.page_protection = PAGE_READWRITE;
		}
		ret = xioctl(g_dxgk_fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c);
		if (ret)
			fail_ioctl(r, "PMO_CREATE", ret, &c.ntstatus);
		l->handle = c.handle;
		break;
	}
	}
}

/* PMO_MAP: the driver makes the mapping, the data starts at offset 0. */
static void map_pmo(const struct row *r, struct live *l)
{
	struct drm_dxgkcompat_pmo_map m;
	int ret;

	memset(&m, 0, sizeof(m));
	m.handle = l->handle;
	m.size = r->size;
	ret = xioctl(g_dxgk_fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m);
	if (ret)
		fail_ioctl(r, "PMO_MAP", ret, &m.ntstatus);
	l->p = (uint8_t *)(uintptr_t)m.address;
	l->len = m.size;
	l->data = m.offset;
}

static void do_map(const struct row *r, struct live *l)
{
	struct drm_dxgkcompat_pmo_mmap_offset mo;
	uint64_t off = 0;
	int fd, ret;

	l->len = r->size;
	switch (r->be) {
	case BE_VGEM: {
		struct drm_mode_map_dumb m;

		memset(&m, 0, sizeof(m));
		m.handle = l->handle;
		ret = xioctl(g_vgem_fd, DRM_IOCTL_MODE_MAP_DUMB, &m);
		if (ret)
			fail_ioctl(r, "MODE_MAP_DUMB", ret, NULL);
		off = m.offset;
		fd = g_vgem_fd;
		break;
	}
	case BE_MEMFD:
		fd = l->memfd;
		break;
	default:
		if (r->method == M_PMO_MAP) {
			map_pmo(r, l);
			return;
		}
		memset(&mo, 0, sizeof(mo));
		mo.handle = l->handle;
		ret = xioctl(g_dxgk_fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo);
		if (ret)
			fail_ioctl(r, "PMO_MMAP_OFFSET", ret, &mo.ntstatus);
		off = mo.offset;
		fd = g_dxgk_fd;
		break;
	}
	l->p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		    (off_t)off);
	if (l->p == MAP_FAILED)
		fail_ioctl(r, "mmap", -errno, NULL);
}

static void do_touch(const struct row *r, const struct live *l, uint8_t v)
{
	volatile uint8_t *p = l->p + l->data;
	uint64_t o;

	for (o = 0; o < r->size; o += (uint64_t)g_page)
		p[o] = v;
}

static void do_teardown(const struct row *r, struct live *l)
{
	int ret;

	if (r->be >= BE_MDL && r->method == M_PMO_MAP) {
		struct drm_dxgkcompat_pmo_unmap u;

		memset(&u, 0, sizeof(u));
		u.handle = l->handle;
		u.address = (uint64_t)(uintptr_t)l->p;
		u.size = l->len;
		ret = xioctl(g_dxgk_fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &u);
		if (ret)
			fail_ioctl(r, "PMO_UNMAP", ret, &u.ntstatus);
	} else if (munmap(l->p, l->len)) {
		fail_ioctl(r, "munmap", -errno, NULL);
	}
	switch (r->be) {
	case BE_VGEM: {
		struct drm_mode_destroy_dumb d = { .handle = l->handle };

		ret = xioctl(g_vgem_fd, DRM_IOCTL_MODE_DESTROY_DUMB, &d);
		if (ret)
			fail_ioctl(r, "MODE_DESTROY_DUMB", ret, NULL);
		break;
	}
	case BE_MEMFD:
		if (close(l->memfd))
			fail_ioctl(r, "close", -errno, NULL);
		break;
	default: {
		struct drm_gem_close c;

		memset(&c, 0, sizeof(c));
		c.handle = l->handle;
		ret = xioctl(g_dxgk_fd, DRM_IOCTL_GEM_CLOSE, &c);
		if (ret)
			fail_ioctl(r, "GEM_CLOSE", ret, NULL);
		break;
	}
	}
}

/* One sample of @r, stored at @rep (a warm-up round passes -1). */
static void run_one(struct row *r, int rep)
{
	struct fault_snap f0, f1;
	uint64_t t0, t1, t2, t3, t4, t5, t6;
	struct live l;

	t0 = now_ns();
	do_create(r, &l);
	t1 = now_ns();
	do_map(r, &l);
	t2 = now_ns();
	describe(r, "first touch", g_doing, sizeof(g_doing));
	faults_read(&f0);
	t3 = now_ns();
	do_touch(r, &l, (uint8_t)(rep + 2));
	t4 = now_ns();
	faults_read(&f1);
	t5 = now_ns();
	do_teardown(r, &l);
	t6 = now_ns();
	if (rep < 0)
		return;
	r->t[PH_CREATE][rep] = (double)(t1 - t0);
	r->t[PH_MMAP][rep] = (double)(t2 - t1);
	r->t[PH_TOUCH][rep] = (double)(t4 - t3);
	r->t[PH_TEARDOWN][rep] = (double)(t6 - t5);
	r->t[PH_TOTAL][rep] = (double)(t1 - t0) + (double)(t2 - t1) +
			      (double)(t4 - t3) + (double)(t6 - t5);
	r->majflt[rep] = f1.majflt - f0.majflt;
	r->faults[rep] = g_perf_fd >= 0 ? f1.perf - f0.perf :
			 f1.minflt - f0.minflt + r->majflt[rep];
}

/* ---- statistics and the report ------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Quantile @q of @n sorted values, interpolated between neighbours. */
static double quantile(const double *s, int n, double q)
{
	double pos = q * (n - 1);
	int i = (int)pos;

	if (i + 1 >= n)
		return s[n - 1];
	return s[i] + (s[i + 1] - s[i]) * (pos - i);
}

struct stat3 {
	double med, p10, p90;
};

static struct stat3 stats(const double *v, int n)
{
	double *s = malloc(sizeof(*s) * (size_t)n);
	struct stat3 st;

	if (!s)
		die("out of memory");
	memcpy(s, v, sizeof(*s) * (size_t)n);
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	st.med = quantile(s, n, 0.5);
	st.p10 = quantile(s, n, 0.1);
	st.p90 = quantile(s, n, 0.9);
	free(s);
	return st;
}

/* "1.23 ms (1.20..1.31)": the unit and precision follow the median. */
static void fmt_time(const struct stat3 *st, char *buf, size_t len)
{
	static const char *const unit[] = { "ns", "us", "ms", "s" };
	double div = 1, m = st->med;
	int u = 0, prec;

	while (u < 3 && m >= 1000 * div) {
		div *= 1000;
		u++;
	}
	m /= div;
	prec = m >= 100 ? 0 : m >= 10 ? 1 : 2;
	if (u == 0)
		prec = 0;
	snprintf(buf, len, "%.*f %s (%.*f..%.*f)", prec, m, unit[u], prec,
		 st->p10 / div, prec, st->p90 / div);
}

static void fmt_faults(const struct row *r, char *buf, size_t len)
{
	double *v = malloc(sizeof(*v) * (size_t)opt.reps);
	uint64_t maj = 0;
	struct stat3 st;
	int i;

	if (!v)
		die("out of memory");
	for (i = 0; i < opt.reps; i++) {
		v[i] = (double)r->faults[i];
		maj += r->majflt[i];
	}
	st = stats(v, opt.reps);
	free(v);
	if (st.p10 == st.p90)
		snprintf(buf, len, "%.0f", st.med);
	else
		snprintf(buf, len, "%.0f (%.0f..%.0f)", st.med, st.p10, st.p90);
	if (maj)
		snprintf(buf + strlen(buf), len - strlen(buf), ", %" PRIu64 " major",
			 maj);
}

static void report(void)
{
	struct utsname u;
	char cell[PH_N][64], be[40], sz[24], fl[64], ratio[32];
	int i, p;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "?");
	printf("# dxgk_ubench: kernel %s, %d reps (interleaved, %d warm-up), "
	       "page %ld bytes\n", u.release, opt.reps, opt.warmup, g_page);
	if (g_dxgk_fd >= 0)
		printf("# dxgkcompat: %s (%s)\n", g_dxgk_path, g_dxgk_note);
	if (g_vgem_fd >= 0)
		printf("# vgem: %s\n", g_vgem_path);
	printf("# cells: median (p10..p90); faults: of the touch phase, %s\n",
	       g_perf_fd >= 0 ? "perf PERF_COUNT_SW_PAGE_FAULTS" :
	       "getrusage ru_minflt + ru_majflt");
	printf("# create: object made; mmap: offset ioctl + mmap() (or PMO_MAP); "
	       "touch: one write per page; teardown: munmap() (or PMO_UNMAP) + "
	       "destroy\n\n");
	printf("| size | backend | cache | create | mmap | touch | teardown | "
	       "total | faults | total / vgem |\n");
	printf("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < g_nrows; i++) {
		const struct row *r = &g_rows[i];
		const struct row *ref = NULL;
		struct stat3 st[PH_N];

		for (p = 0; p < g_nrows; p++)
			if (g_rows[p].be == BE_VGEM && g_rows[p].size == r->size)
				ref = &g_rows[p];
		for (p = 0; p < PH_N; p++) {
			st[p] = stats(r->t[p], opt.reps);
			fmt_time(&st[p], cell[p], sizeof(cell[p]));
		}
		if (r == ref) {
			snprintf(ratio, sizeof(ratio), "1.00 (ref)");
		} else if (ref) {
			struct stat3 rs = stats(ref->t[PH_TOTAL], opt.reps);

			snprintf(ratio, sizeof(ratio), "%.2f", st[PH_TOTAL].med / rs.med);
		} else {
			snprintf(ratio, sizeof(ratio), "n/a");
		}
		row_backend(r, be, sizeof(be));
		size_str(r->size, sz, sizeof(sz));
		fmt_faults(r, fl, sizeof(fl));
		printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", sz,
		       be, row_cache(r), cell[PH_CREATE], cell[PH_MMAP],
		       cell[PH_TOUCH], cell[PH_TEARDOWN], cell[PH_TOTAL], fl, ratio);
	}
	if (!(opt.backends & 1u << BE_VGEM))
		printf("\nvgem rows left out: no reference, total / vgem is n/a.\n");
}

/* ---- options ------------------------------------------------------------- */

static bool parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return false;
	switch (*end) {
	case 'k': case 'K':
		v <<= 10, end++;
		break;
	case 'm': case 'M':
		v <<= 20, end++;
		break;
	case 'g': case 'G':
		v <<= 30, end++;
		break;
	default:
		break;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end || !v || v > (4ull << 30) - 4096)
		return false;
	*out = v;
	return true;
}

/* A comma-separated list of names from @names (bit i for names[i]). */
static bool parse_set(char *s, const char *const *names, int n, unsigned int *out)
{
	char *tok, *save = NULL;
	unsigned int set = 0;
	int i;

	for (tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n; i++)
			if (names[i] && !strcmp(tok, names[i]))
				break;
		if (i == n)
			return false;
		set |= 1u << i;
	}
	if (!set)
		return false;
	*out = set;
	return true;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: dxgk_ubench [options]\n"
"  -s, --sizes LIST     sizes, e.g. 4K,64K,1M,16M,64M (the default); rounded up to pages\n"
"  -b, --backends LIST  vgem,memfd,mdl,section (default all)\n"
"  -c, --caches LIST    cached,wc,nc: cache types of the dxgkcompat rows (default all;\n"
"                       sections have no nc row)\n"
"  -m, --methods LIST   offset,map: map dxgkcompat objects with PMO_MMAP_OFFSET + mmap()\n"
"                       and/or PMO_MAP (default offset)\n"
"  -r, --reps N         repetitions (default %d)\n"
"  -w, --warmup N       uncounted rounds first (default 1)\n"
"  -d, --dxgk-node PATH dxgkcompat DRM node (default: a render node of --miniport,\n"
"                       else any dxgkcompat node)\n"
"  -a, --miniport NAME  miniport whose node to prefer (default dxgk_virt)\n"
"  -g, --vgem-node PATH vgem card node (default: the first vgem /dev/dri/card*)\n"
"  -p, --cpu N          pin to CPU N\n"
"  -q, --quiet          no progress on stderr\n"
"  -h, --help\n", DEFAULT_REPS);
}

static void parse_args(int argc, char **argv)
{
	static const char *const caches[] = {
		[DRM_DXGKCOMPAT_NON_CACHED] = "nc",
		[DRM_DXGKCOMPAT_CACHED] = "cached",
		[DRM_DXGKCOMPAT_WRITE_COMBINED] = "wc",
	};
	static const char *const methods[] = { "offset", "map" };
	static const struct option lo[] = {
		{ "sizes", required_argument, NULL, 's' },
		{ "backends", required_argument, NULL, 'b' },
		{ "caches", required_argument, NULL, 'c' },
		{ "methods", required_argument, NULL, 'm' },
		{ "reps", required_argument, NULL, 'r' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "dxgk-node", required_argument, NULL, 'd' },
		{ "miniport", required_argument, NULL, 'a' },
		{ "vgem-node", required_argument, NULL, 'g' },
		{ "cpu", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static const uint64_t def_sizes[] = {
		4ull << 10, 64ull << 10, 1ull << 20, 16ull << 20, 64ull << 20,
	};
	char *tok, *save = NULL;
	int c;

	opt.nsizes = (int)ARRAY_SIZE(def_sizes);
	memcpy(opt.sizes, def_sizes, sizeof(def_sizes));
	while ((c = getopt_long(argc, argv, "s:b:c:m:r:w:d:a:g:p:qh", lo,
				NULL)) != -1) {
		switch (c) {
		case 's':
			opt.nsizes = 0;
			for (tok = strtok_r(optarg, ",", &save); tok;
			     tok = strtok_r(NULL, ",", &save)) {
				if (opt.nsizes == MAX_SIZES ||
				    !parse_size(tok, &opt.sizes[opt.nsizes])) {
					fprintf(stderr, "dxgk_ubench: bad size '%s'\n", tok);
					goto bad;
				}
				opt.nsizes++;
			}
			if (!opt.nsizes)
				goto bad;
			break;
		case 'b':
			if (!parse_set(optarg, be_name, BE_N, &opt.backends))
				goto bad;
			break;
		case 'c':
			if (!parse_set(optarg, caches, 3, &opt.caches))
				goto bad;
			break;
		case 'm':
			if (!parse_set(optarg, methods, 2, &opt.methods))
				goto bad;
			break;
		case 'r':
			if (!parse_int(optarg, 1, MAX_REPS, &opt.reps))
				goto bad;
			break;
		case 'w':
			if (!parse_int(optarg, 0, MAX_REPS, &opt.warmup))
				goto bad;
			break;
		case 'd':
			opt.dxgk_path = optarg;
			break;
		case 'a':
			opt.miniport = optarg;
			break;
		case 'g':
			opt.vgem_path = optarg;
			break;
		case 'p':
			if (!parse_int(optarg, 0, CPU_SETSIZE - 1, &opt.cpu))
				goto bad;
			break;
		case 'q':
			opt.quiet = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			goto bad;
		}
	}
	if (optind == argc)
		return;
bad:
	usage(stderr);
	exit(2);
}

/* ---- main ---------------------------------------------------------------- */

/* xorshift64: the same orders on every run. */
static uint64_t next_rand(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* A new order of the rows for each rep (Fisher-Yates). */
static void shuffle(int *v, int n, uint64_t *rng)
{
	int i, j, t;

	for (i = n - 1; i > 0; i--) {
		j = (int)(next_rand(rng) % (uint64_t)(i + 1));
		t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static void add_row(enum backend be, enum method m, uint32_t cache, uint64_t size)
{
	struct row *r;
	int p;

	if (g_nrows == MAX_ROWS)
		die("too many rows (at most %d)", MAX_ROWS);
	r = &g_rows[g_nrows++];
	r->be = be;
	r->method = m;
	r->cache = cache;
	r->size = size;
	for (p = 0; p < PH_N; p++) {
		r->t[p] = calloc((size_t)opt.reps, sizeof(double));
		if (!r->t[p])
			die("out of memory");
	}
	r->faults = calloc((size_t)opt.reps, sizeof(uint64_t));
	r->majflt = calloc((size_t)opt.reps, sizeof(uint64_t));
	if (!r->faults || !r->majflt)
		die("out of memory");
}

static void make_rows(void)
{
	static const uint32_t order[] = {
		DRM_DXGKCOMPAT_CACHED, DRM_DXGKCOMPAT_WRITE_COMBINED,
		DRM_DXGKCOMPAT_NON_CACHED,
	};
	int s, m, be, k;

	for (s = 0; s < opt.nsizes; s++) {
		uint64_t size = (opt.sizes[s] + (uint64_t)g_page - 1) &
				~((uint64_t)g_page - 1);

		for (be = 0; be < BE_N; be++) {
			if (!(opt.backends & 1u << be))
				continue;
			if (be == BE_VGEM || be == BE_MEMFD) {
				add_row(be, M_OFFSET, 0, size);
				continue;
			}
			for (m = 0; m < 2; m++) {
				if (!(opt.methods & 1u << m))
					continue;
				for (k = 0; k < 3; k++) {
					if (!(opt.caches & 1u << order[k]))
						continue;
					/* sections cannot be NON_CACHED */
					if (be == BE_SECTION &&
					    order[k] == DRM_DXGKCOMPAT_NON_CACHED)
						continue;
					add_row(be, m, order[k], size);
				}
			}
		}
	}
	if (!g_nrows)
		die("nothing to measure (sections have no nc row)");
}

int main(int argc, char **argv)
{
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	int order[MAX_ROWS], rep, i;
	struct sigaction sa;

	setvbuf(stdout, NULL, _IOLBF, 0);
	parse_args(argc, argv);
	g_page = sysconf(_SC_PAGESIZE);
	if (g_page <= 0)
		g_page = 4096;
	if (opt.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(opt.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			die("pinning to CPU %d: %s", opt.cpu, strerror(errno));
	}
	make_rows();
	if (opt.backends & (1u << BE_MDL | 1u << BE_SECTION))
		find_dxgk();
	if (opt.backends & 1u << BE_VGEM)
		find_vgem();
	faults_init();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault_signal;
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);

	for (i = 0; i < g_nrows; i++)
		order[i] = i;
	for (rep = -opt.warmup; rep < opt.reps; rep++) {
		shuffle(order, g_nrows, &rng);
		if (!opt.quiet)
			fprintf(stderr, "dxgk_ubench: %s %d/%d\n",
				rep < 0 ? "warm-up" : "rep",
				rep < 0 ? rep + opt.warmup + 1 : rep + 1,
				rep < 0 ? opt.warmup : opt.reps);
		for (i = 0; i < g_nrows; i++)
			run_one(&g_rows[order[i]], rep);
	}
	report();
	return 0;
}
