// SPDX-License-Identifier: MIT
/*
 * dxgkmission - the project's mission, step by step, on one adapter (by
 * default the dxgk_edu one): a physical memory object (PMO) of each cache
 * type, mapped in this process and in the kernel, the cache mode each
 * mapping got read from the page tables, an address descriptor list (ADL)
 * through the IOMMU, one DMA copy by the device, and everything freed.
 *
 *   dxgkmission [/dev/dri/cardN]
 *
 * Runs as root: it reads debugfs (/sys/kernel/debug/dxgkcompat) and uses
 * what a module built with DXGK_TEST_IOCTLS=y offers: the TEST_PTE ioctl
 * (the cache mode of this process's page-table entries) and the debugfs
 * probe file (a kernel mapping and an ADL of an object, made and undone by
 * the driver). Every step is checked; the first check that fails ends the
 * run with exit status 1 and names the step.
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <drm.h>
#include "dxgkcompat_drm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define DEBUGFS		"/sys/kernel/debug/dxgkcompat/"
#define PAGE		4096u
#define NPAGES		3u
#define OBJ_SIZE	(NPAGES * PAGE)
#define ANYWHERE	0x7fffffffffffffffull

/* The copy: unaligned, across a page boundary of both objects. */
#define COPY_SRC	100u
#define COPY_DST	300u
#define COPY_SIZE	5000u
#define GUARD		64u

enum { NON_CACHED, CACHED, WRITE_COMBINED, NCACHE };

/* The order of the steps' lines: cached, write-combined, non-cached. */
static const int order[NCACHE] = { CACHED, WRITE_COMBINED, NON_CACHED };

static const char *const cache_name[NCACHE] = {
	[NON_CACHED] = "non-cached",
	[CACHED] = "cached",
	[WRITE_COMBINED] = "write-combined",
};

/* As debugfs pmos spells the cache type. */
static const char *const cache_debugfs[NCACHE] = {
	[NON_CACHED] = "NON_CACHED",
	[CACHED] = "CACHED",
	[WRITE_COMBINED] = "WRITE_COMBINED",
};

/* The x86 PAT mode every mapping of each cache type must get. */
static const char *const want_mode[NCACHE] = {
	[NON_CACHED] = "UC-",
	[CACHED] = "WB",
	[WRITE_COMBINED] = "WC",
};

static const char *const pte_names[] = {
	[DRM_DXGKCOMPAT_PTE_WB] = "WB",
	[DRM_DXGKCOMPAT_PTE_WC] = "WC",
	[DRM_DXGKCOMPAT_PTE_UC_MINUS] = "UC-",
	[DRM_DXGKCOMPAT_PTE_UC] = "UC",
	[DRM_DXGKCOMPAT_PTE_OTHER] = "other",
};

struct obj {
	uint32_t handle;
	char debugfs_handle[32];	/* its name in debugfs pmos */
	uint8_t *map;			/* mmap() of the GEM object */
};

struct counters {
	long long objects, pages[NCACHE], reserved, misuse, leaked;
};

/* One adapter's interrupt and paging counters, from debugfs adapters. */
struct paging {
	long long interrupts, dpcs, submissions, timeouts;
};

static struct obj objs[NCACHE];
static int card = -1;
static int probe = -1;
static char owner[64];		/* "comm[pid]", as pmos names our objects */
static int step;
static const char *step_name;
static struct timespec step_start;

static double ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1e3 + (now.tv_nsec - t->tv_nsec) / 1e6;
}

static void begin(const char *name, const char *what)
{
	step++;
	step_name = name;
	printf("step %d %s: %s\n", step, name, what);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &step_start);
}

static void done(void)
{
	printf("step %d %s: ok (%.2f ms)\n", step, step_name, ms_since(&step_start));
	fflush(stdout);
}

static _Noreturn void fail_end(void)
{
	fprintf(stderr, "\nmission: FAILED at step %d (%s)\n", step, step_name);
	exit(1);
}

/* A failed check: say what and where, and end the run. */
#define fail(...) do {							\
	fflush(stdout);							\
	fprintf(stderr, "step %d %s: FAILED: ", step, step_name);	\
	fprintf(stderr, __VA_ARGS__);					\
	fail_end();							\
} while (0)

/* One line of what a step did, under its first line. */
#define detail(...) do {						\
	printf("  ");							\
	printf(__VA_ARGS__);						\
	putchar('\n');							\
} while (0)

static uint8_t pattern(unsigned int i, int seed)
{
	return (uint8_t)(i * 131 + (i >> 12) * 7 + seed * 29 + 1);
}

static int is_dxgkcompat(int fd)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

	return !ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "dxgkcompat");
}

/* @path, or the first card whose miniport is dxgk_edu. */
static int open_card(const char *path, struct drm_dxgkcompat_adapter_info *info,
		     char *used, size_t len)
{
	size_t i, n;
	glob_t g;
	int fd;

	if (glob(path ? path : "/dev/dri/card*", 0, NULL, &g))
		return -1;
	n = g.gl_pathc;
	for (i = 0; i < n; i++) {
		fd = open(g.gl_pathv[i], O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(info, 0, sizeof(*info));
		if (is_dxgkcompat(fd) &&
		    !ioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, info) &&
		    (path || !strcmp(info->miniport_name, "dxgk_edu"))) {
			snprintf(used, len, "%s", g.gl_pathv[i]);
			globfree(&g);
			return fd;
		}
		close(fd);
	}
	globfree(&g);
	return -1;
}

static int read_counters(struct counters *c)
{
	char name[64];
	long long v;
	int found = 0;
	FILE *f = fopen(DEBUGFS "counters", "r");

	if (!f)
		return -1;
	memset(c, 0, sizeof(*c));
	while (fscanf(f, "%63s %lld", name, &v) == 2) {
		if (!strcmp(name, "objects"))
			c->objects = v, found |= 1;
		else if (!strcmp(name, "pages_cached"))
			c->pages[CACHED] = v, found |= 2;
		else if (!strcmp(name, "pages_write_combined"))
			c->pages[WRITE_COMBINED] = v, found |= 4;
		else if (!strcmp(name, "pages_non_cached"))
			c->pages[NON_CACHED] = v, found |= 8;
		else if (!strcmp(name, "reserved_pages"))
			c->reserved = v, found |= 16;
		else if (!strcmp(name, "misuse"))
			c->misuse = v, found |= 32;
		else if (!strcmp(name, "leaked_pages_total"))
			c->leaked = v, found |= 64;
	}
	fclose(f);
	return found == 127 ? 0 : -1;
}

/* The paging counters of the adapter @miniport drives, or -1. */
static int read_paging(const char *miniport, struct paging *p)
{
	char line[512], dev[128], mp[64];
	int ret = -1;
	FILE *f = fopen(DEBUGFS "adapters", "r");
	char *s;

	if (!f)
		return -1;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %127s %63s", dev, mp) != 2 || strcmp(mp, miniport))
			continue;
		s = strstr(line, " interrupts ");
		if (s && sscanf(s, " interrupts %lld dpcs %lld submissions %lld timeouts %lld",
				&p->interrupts, &p->dpcs, &p->submissions,
				&p->timeouts) == 4)
			ret = 0;
	}
	fclose(f);
	return ret;
}

/*
 * The pmos line of our object of cache type @c: its handle there, its
 * type, size, pages, user VMAs and ADLs. Returns how many lines of ours
 * have that cache type.
 */
struct pmo_line {
	char handle[32], type[32];
	unsigned long long size;
	unsigned long pages;
	unsigned int vmas, adls, kmaps;
};

static int find_pmo(int c, struct pmo_line *out)
{
	char line[1024], handle[32], type[32], cache[32], who[64];
	unsigned long long size;
	unsigned long pages;
	int n = 0;
	FILE *f = fopen(DEBUGFS "pmos", "r");
	char *s;

	if (!f)
		fail("cannot read " DEBUGFS "pmos: %s (run as root, debugfs mounted)",
		     strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %31s %31s %llu %lu %63s", handle, type, cache,
			   &size, &pages, who) != 6 ||
		    strcmp(who, owner) || (c >= 0 && strcmp(cache, cache_debugfs[c])))
			continue;
		n++;
		if (!out)
			continue;
		memset(out, 0, sizeof(*out));
		snprintf(out->handle, sizeof(out->handle), "%s", handle);
		snprintf(out->type, sizeof(out->type), "%s", type);
		out->size = size;
		out->pages = pages;
		for (s = strstr(line, " kmap:"); s; s = strstr(s + 1, " kmap:"))
			out->kmaps++;
		s = strstr(line, " user-vmas:");
		if (s)
			sscanf(s, " user-vmas:%u", &out->vmas);
		s = strstr(line, " adls:");
		if (s)
			sscanf(s, " adls:%u", &out->adls);
	}
	fclose(f);
	return n;
}

/* Write @op HANDLE to debugfs probe and read its answer into @buf. */
static void probe_cmd(const char *op, const struct obj *o, char *buf, size_t len)
{
	char cmd[64];
	ssize_t n;

	if (probe < 0) {
		probe = open(DEBUGFS "probe", O_RDWR | O_CLOEXEC);
		if (probe < 0)
			fail("no " DEBUGFS "probe: %s (build the modules with DXGK_TEST_IOCTLS=y)",
			     strerror(errno));
	}
	snprintf(cmd, sizeof(cmd), "%s %s", op, o->debugfs_handle);
	if (write(probe, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		fail("debugfs probe \"%s\": %s", cmd, strerror(errno));
	n = pread(probe, buf, len - 1, 0);
	if (n <= 0)
		fail("debugfs probe \"%s\": no answer", cmd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void step_create(struct counters *before)
{
	struct counters now;
	struct pmo_line l;
	int i, c;

	begin("create", "a 3-page MDL PMO of each cache type (PMO_CREATE ioctl)");
	for (i = 0; i < NCACHE; i++) {
		struct drm_dxgkcompat_pmo_create cr = {
			.size = OBJ_SIZE,
			.high_address = ANYWHERE,
			.type = DRM_DXGKCOMPAT_PMO_MDL,
		};

		c = order[i];
		cr.cache_type = c;
		if (ioctl(card, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &cr) || cr.ntstatus)
			fail("%s PMO_CREATE: %s, NTSTATUS %#x", cache_name[c],
			     strerror(errno), cr.ntstatus);
		objs[c].handle = cr.handle;
		if (find_pmo(c, &l) != 1)
			fail("%s: not (or more than once) in debugfs pmos as %s, owner %s",
			     cache_name[c], cache_debugfs[c], owner);
		if (strcmp(l.type, "MDL") || l.size != OBJ_SIZE || l.pages != NPAGES)
			fail("%s: debugfs pmos: %s, %llu bytes, %lu pages; want MDL, %u, %u",
			     cache_name[c], l.type, l.size, l.pages, OBJ_SIZE, NPAGES);
		snprintf(objs[c].debugfs_handle, sizeof(objs[c].debugfs_handle), "%s",
			 l.handle);
		detail("%-15s GEM handle %u; debugfs pmos: %s %s %llu bytes, %lu pages, owner %s",
		       cache_name[c], cr.handle, l.type, cache_debugfs[c], l.size, l.pages,
		       owner);
	}
	if (read_counters(&now))
		fail("cannot read " DEBUGFS "counters");
	if (now.objects != before->objects + NCACHE)
		fail("debugfs counters: objects %lld, want %lld", now.objects,
		     before->objects + NCACHE);
	for (c = 0; c < NCACHE; c++)
		if (now.pages[c] != before->pages[c] + NPAGES)
			fail("debugfs counters: %s pages %lld, want %lld", cache_name[c],
			     now.pages[c], before->pages[c] + NPAGES);
	detail("debugfs counters: objects %lld, pages cached %lld, WC %lld, non-cached %lld",
	       now.objects, now.pages[CACHED], now.pages[WRITE_COMBINED],
	       now.pages[NON_CACHED]);
	done();
}

static void step_map_user(void)
{
	struct drm_dxgkcompat_pmo_mmap_offset mo;
	struct pmo_line l;
	unsigned int j;
	int i, c;
	void *p;

	begin("user map", "mmap() of each GEM object in this process, written and read back");
	for (i = 0; i < NCACHE; i++) {
		c = order[i];
		memset(&mo, 0, sizeof(mo));
		mo.handle = objs[c].handle;
		if (ioctl(card, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &mo) || mo.ntstatus)
			fail("%s PMO_MMAP_OFFSET: %s, NTSTATUS %#x", cache_name[c],
			     strerror(errno), mo.ntstatus);
		p = mmap(NULL, OBJ_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, card, mo.offset);
		if (p == MAP_FAILED)
			fail("%s: mmap: %s", cache_name[c], strerror(errno));
		objs[c].map = p;
		for (j = 0; j < OBJ_SIZE; j++)
			if (objs[c].map[j])
				fail("%s: new object: byte %u is %#x, want 0", cache_name[c], j,
				     objs[c].map[j]);
		for (j = 0; j < OBJ_SIZE; j++)
			objs[c].map[j] = pattern(j, c);
		for (j = 0; j < OBJ_SIZE; j++)
			if (objs[c].map[j] != pattern(j, c))
				fail("%s: read back byte %u: %#x, want %#x", cache_name[c], j,
				     objs[c].map[j], pattern(j, c));
		if (find_pmo(c, &l) != 1 || l.vmas != 1)
			fail("%s: debugfs pmos: %u user VMAs, want 1", cache_name[c], l.vmas);
		detail("%-15s mmap at %p: %u bytes zero, written, read back; pmos: %u VMA",
		       cache_name[c], p, OBJ_SIZE, l.vmas);
	}
	done();
}

static void step_user_pte(void)
{
	struct drm_dxgkcompat_test_pte t;
	char modes[64];
	unsigned int j;
	const char *m;
	int i, c, ret;

	begin("user PTE", "cache mode of this process's PTEs (TEST_PTE ioctl)");
	for (i = 0; i < NCACHE; i++) {
		c = order[i];
		modes[0] = '\0';
		for (j = 0; j < NPAGES; j++) {
			memset(&t, 0, sizeof(t));
			t.address = (uintptr_t)(objs[c].map + j * PAGE);
			ret = ioctl(card, DRM_IOCTL_DXGKCOMPAT_TEST_PTE, &t) ? errno : 0;
			if (ret == EOPNOTSUPP)
				fail("no TEST_PTE: build the modules with DXGK_TEST_IOCTLS=y");
			if (ret)
				fail("%s page %u TEST_PTE: %s, NTSTATUS %#x", cache_name[c], j,
				     strerror(ret), t.ntstatus);
			m = t.cache_mode < ARRAY_SIZE(pte_names) &&
			    pte_names[t.cache_mode] ? pte_names[t.cache_mode] : "?";
			if (strcmp(m, want_mode[c]))
				fail("%s page %u: user PTE %s, want %s", cache_name[c], j, m,
				     want_mode[c]);
			snprintf(modes + strlen(modes), sizeof(modes) - strlen(modes), "%s%s",
				 j ? " " : "", m);
		}
		detail("%-15s user PTEs of its %u pages: %s (want %s)", cache_name[c], NPAGES,
		       modes, want_mode[c]);
	}
	done();
}

static void step_kernel_map(void)
{
	char buf[256], pte[16], linear[16], head[32], want[32];
	unsigned int pages, j;
	int i, c;

	begin("kernel map", "DxgkCbMapPhysicalMemory(KERNEL_MODE): kernel PTEs (debugfs probe)");
	for (i = 0; i < NCACHE; i++) {
		c = order[i];
		probe_cmd("kmap", &objs[c], buf, sizeof(buf));
		if (sscanf(buf, "kmap pages %u pte %15s linear %15s head %31s", &pages, pte,
			   linear, head) != 4)
			fail("%s: debugfs probe answered \"%s\"", cache_name[c], buf);
		for (j = 0; j < 8; j++)
			sprintf(want + 2 * j, "%02x", pattern(j, c));
		if (pages != NPAGES)
			fail("%s: kernel mapping of %u pages, want %u", cache_name[c], pages,
			     NPAGES);
		if (strcmp(pte, want_mode[c]))
			fail("%s: kernel mapping PTEs %s, want %s", cache_name[c], pte,
			     want_mode[c]);
		if (strcmp(linear, want_mode[c]))
			fail("%s: linear map PTEs %s, want %s", cache_name[c], linear,
			     want_mode[c]);
		if (strcmp(head, want))
			fail("%s: the kernel reads %s, the process wrote %s", cache_name[c], head,
			     want);
		detail("%-15s vmap PTEs %s, linear map PTEs %s (want %s); reads %s as written",
		       cache_name[c], pte, linear, want_mode[c], head);
	}
	done();
}

static void step_adl(const struct drm_dxgkcompat_adapter_info *info)
{
	char buf[256], mode[32], iova[8];
	unsigned long long dev;
	unsigned int pages, contiguous;
	int i, c;

	begin("ADL", "DxgkCbAllocateAdl through the IOMMU: device addresses (debugfs probe)");
	for (i = 0; i < NCACHE; i++) {
		c = order[i];
		probe_cmd("adl", &objs[c], buf, sizeof(buf));
		if (sscanf(buf, "adl pages %u contiguous %u device %llx iommu %31s iova %7s",
			   &pages, &contiguous, &dev, mode, iova) != 5)
			fail("%s: debugfs probe answered \"%s\"", cache_name[c], buf);
		if (pages != NPAGES)
			fail("%s: ADL of %u pages, want %u", cache_name[c], pages, NPAGES);
		if (strcmp(mode, "translated"))
			fail("%s: IOMMU mode %s, want translated", cache_name[c], mode);
		if (strcmp(iova, "yes"))
			fail("%s: device address %#llx: no IOVA the IOMMU maps to the pages",
			     cache_name[c], dev);
		if (dev + OBJ_SIZE - 1 > info->dma_mask)
			fail("%s: device address %#llx past the DMA mask %#llx", cache_name[c], dev,
			     (unsigned long long)info->dma_mask);
		detail("%-15s %u pages%s at device address %#llx: an IOVA, below the DMA mask",
		       cache_name[c], pages, contiguous ? ", contiguous," : "", dev);
	}
	detail("IOVA: the IOMMU maps each device page to the object's page, at another address");
	detail("DMA mask %#llx; each ADL freed again (DxgkCbFreeAdl)",
	       (unsigned long long)info->dma_mask);
	done();
}

static void step_copy(const char *miniport)
{
	uint8_t before[COPY_SIZE + 2 * GUARD];
	struct drm_dxgkcompat_copy cp = {
		.src_handle = objs[CACHED].handle,
		.dst_handle = objs[WRITE_COMBINED].handle,
		.src_offset = COPY_SRC,
		.dst_offset = COPY_DST,
		.size = COPY_SIZE,
	};
	const uint8_t *s = objs[CACHED].map;
	uint8_t *d = objs[WRITE_COMBINED].map;
	struct paging p0, p1;
	unsigned int i, lo = COPY_DST - GUARD;
	uint8_t want;
	int ret;

	begin("DMA copy", "the device copies cached -> write-combined (DRM_IOCTL_DXGKCOMPAT_COPY)");
	if (read_paging(miniport, &p0))
		fail("no paging counters of %s in " DEBUGFS "adapters", miniport);
	memcpy(before, d + lo, sizeof(before));
	ret = ioctl(card, DRM_IOCTL_DXGKCOMPAT_COPY, &cp) ? errno : 0;
	if (ret || cp.ntstatus)
		fail("COPY: %s, NTSTATUS %#x", strerror(ret), cp.ntstatus);
	for (i = lo; i < lo + sizeof(before); i++) {
		want = i >= COPY_DST && i < COPY_DST + COPY_SIZE ?
		       s[COPY_SRC + i - COPY_DST] : before[i - lo];
		if (d[i] != want)
			fail("write-combined object: byte %u is %#x, want %#x", i, d[i], want);
	}
	detail("%u bytes: cached object + %u -> write-combined object + %u",
	       COPY_SIZE, COPY_SRC, COPY_DST);
	detail("checked through the process's mappings: %u bytes copied, %u around unchanged",
	       COPY_SIZE, 2 * GUARD);
	if (read_paging(miniport, &p1))
		fail("no paging counters of %s in " DEBUGFS "adapters", miniport);
	if (p1.submissions <= p0.submissions || p1.interrupts <= p0.interrupts)
		fail("debugfs adapters: %lld submissions, %lld interrupts: no device work",
		     p1.submissions - p0.submissions, p1.interrupts - p0.interrupts);
	if (p1.timeouts != p0.timeouts)
		fail("debugfs adapters: %lld timeouts", p1.timeouts - p0.timeouts);
	detail("debugfs adapters: %lld submissions, %lld interrupts, %lld DPCs, 0 timeouts",
	       p1.submissions - p0.submissions, p1.interrupts - p0.interrupts,
	       p1.dpcs - p0.dpcs);
	done();
}

static void step_free(const struct counters *start)
{
	struct drm_gem_close gc;
	struct counters now;
	int i, c, n;

	begin("free", "munmap() and GEM_CLOSE; the driver's counters back where they started");
	for (i = 0; i < NCACHE; i++) {
		c = order[i];
		if (munmap(objs[c].map, OBJ_SIZE))
			fail("%s: munmap: %s", cache_name[c], strerror(errno));
		objs[c].map = NULL;
		memset(&gc, 0, sizeof(gc));
		gc.handle = objs[c].handle;
		if (ioctl(card, DRM_IOCTL_GEM_CLOSE, &gc))
			fail("%s: GEM_CLOSE: %s", cache_name[c], strerror(errno));
	}
	close(probe);
	probe = -1;
	n = find_pmo(-1, NULL);
	if (n)
		fail("debugfs pmos still lists %d objects of %s", n, owner);
	detail("debugfs pmos: no object of %s left", owner);
	if (read_counters(&now))
		fail("cannot read " DEBUGFS "counters");
	detail("debugfs counters     start  end");
	detail("  objects          %6lld %4lld", start->objects, now.objects);
	for (i = 0; i < NCACHE; i++) {
		c = order[i];
		detail("  %-16s %6lld %4lld", cache_name[c], start->pages[c], now.pages[c]);
	}
	detail("  reserved pages   %6lld %4lld", start->reserved, now.reserved);
	detail("  misuse           %6lld %4lld", start->misuse, now.misuse);
	detail("  leaked pages     %6lld %4lld", start->leaked, now.leaked);
	if (now.objects != start->objects || now.reserved != start->reserved ||
	    now.pages[0] != start->pages[0] || now.pages[1] != start->pages[1] ||
	    now.pages[2] != start->pages[2])
		fail("debugfs counters not back where they started");
	if (now.misuse != start->misuse)
		fail("the driver counted %lld misuses", now.misuse - start->misuse);
	if (now.leaked != start->leaked)
		fail("the driver leaked %lld pages", now.leaked - start->leaked);
	done();
}

int main(int argc, char **argv)
{
	struct drm_dxgkcompat_adapter_info info;
	struct timespec all;
	struct counters start;
	char path[256] = "", comm[32] = "";
	FILE *f;

	clock_gettime(CLOCK_MONOTONIC, &all);
	setvbuf(stdout, NULL, _IOLBF, 0);
	step_name = "adapter";
	card = open_card(argc > 1 ? argv[1] : NULL, &info, path, sizeof(path));
	if (card < 0)
		fail("no dxgkcompat adapter %s", argc > 1 ? argv[1] : "driven by dxgk_edu");
	if (info.iommu_mode != DRM_DXGKCOMPAT_IOMMU_TRANSLATED)
		fail("%s: IOMMU mode %u: the mission needs IOMMU translation (VT-d)", path,
		     info.iommu_mode);
	printf("mission on %s (miniport %s, IOMMU translating): PMOs, mappings, ADL, DMA\n",
	       path, info.miniport_name);
	if (info.dma_flags & DRM_DXGKCOMPAT_DMA_BOUNCED)
		fail("DMA is bounced (swiotlb=force): the device cannot copy");

	f = fopen("/proc/self/comm", "r");
	if (!f || !fgets(comm, sizeof(comm), f))
		fail("cannot read /proc/self/comm");
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	snprintf(owner, sizeof(owner), "%s[%d]", comm, (int)getpid());
	if (read_counters(&start))
		fail("cannot read " DEBUGFS "counters (run as root, debugfs mounted)");
	if (find_pmo(-1, NULL))
		fail("objects of %s already in debugfs pmos", owner);

	step_create(&start);
	step_map_user();
	step_user_pte();
	step_kernel_map();
	step_adl(&info);
	step_copy(info.miniport_name);
	step_free(&start);
	close(card);
	printf("mission: all %d steps passed (%.2f ms)\n", step, ms_since(&all));
	return 0;
}
