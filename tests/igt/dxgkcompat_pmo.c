// SPDX-License-Identifier: MIT
/**
 * TEST: dxgkcompat pmo
 * Category: Core
 * Mega feature: dxgkcompat
 * Sub-category: uAPI
 * Functionality: physical memory objects (PMO) from user space
 * Description: The physical memory object ioctls of the dxgkcompat DRM
 *	driver: DRM_IOCTL_DXGKCOMPAT_PMO_CREATE / _PMO_MAP / _PMO_UNMAP /
 *	_PMO_MMAP_OFFSET (DxgkCbCreatePhysicalMemoryObject,
 *	DxgkCbMapPhysicalMemory USER_MODE, DxgkCbUnmapPhysicalMemory), their
 *	argument validation (errno and NTSTATUS), mappings, object lifetime,
 *	PRIME export and the driver's object/page counters in debugfs.
 *	Not checked here: the cache attribute of the mappings (user space
 *	cannot see it; the KUnit suite checks it) and physical addresses
 *	(the uAPI has no field that could carry one, so there is nothing to
 *	check from user space beyond what /proc/self/pagemap shows root).
 *
 * SUBTEST: create-invalid
 * Description: PMO_CREATE refuses reserved bits, fields that do not apply
 *	to the type, IO_SPACE and unknown types, unknown cache types and size
 *	0 with EINVAL and STATUS_INVALID_PARAMETER.
 *
 * SUBTEST: create-mdl-invalid
 * Description: MDL create: MM_DONT_ZERO_ALLOCATION is refused (EACCES,
 *	STATUS_ACCESS_DENIED), low > high and unknown flags (EINVAL), the
 *	unsupported flags 0x40 and 0x100 (EOPNOTSUPP, STATUS_NOT_SUPPORTED),
 *	windows without RAM (ENOMEM, STATUS_NO_MEMORY).
 *
 * SUBTEST: create-contiguous-invalid
 * Description: CONTIGUOUS create: low > high, a boundary that is not a
 *	power of two or smaller than the size (EINVAL), more than 4 MiB
 *	(ENOSPC, STATUS_INSUFFICIENT_RESOURCES).
 *
 * SUBTEST: create-section-invalid
 * Description: SECTION create: NON_CACHED and page protections other than
 *	PAGE_READONLY/READWRITE/WRITECOPY/EXECUTE fail with EINVAL and
 *	STATUS_INVALID_PARAMETER; PAGE_WRITECOPY is not supported.
 *
 * SUBTEST: bad-size
 * Description: Every PMO ioctl with a wrong encoded size fails with EINVAL.
 *
 * SUBTEST: map-invalid
 * Description: PMO_MAP: unknown or closed handle (ENOENT,
 *	STATUS_INVALID_HANDLE), reserved bits and size 0 (EINVAL), offset +
 *	size overflowing (EOVERFLOW, STATUS_INTEGER_OVERFLOW), a range past
 *	the object's (unrounded) size (EINVAL, STATUS_INVALID_VIEW_SIZE).
 *
 * SUBTEST: map-offsets
 * Description: Several live maps of one object at different offsets: the
 *	address is page aligned, offset and size are returned as documented,
 *	and data written through one map is read through the others.
 *
 * SUBTEST: unmap-invalid
 * Description: PMO_UNMAP: unknown handle (ENOENT), addresses that are not a
 *	live map of the object (EINVAL, STATUS_NOT_MAPPED_VIEW), a wrong size
 *	(EINVAL, STATUS_INVALID_VIEW_SIZE, the map stays usable).
 *
 * SUBTEST: unmap-faults
 * Description: After PMO_UNMAP the old range is gone: mincore() fails with
 *	ENOMEM and a child reading it dies of SIGSEGV.
 *
 * SUBTEST: unmap-other-process
 * Description: An address mapped by another process (a child with the same
 *	file and handle) is not a mapped view here: EINVAL,
 *	STATUS_NOT_MAPPED_VIEW.
 *
 * SUBTEST: mmap-private-refused
 * Description: mmap(MAP_PRIVATE) of an object's GEM offset or of its PRIME
 *	fd, read-only or read-write, fails with EINVAL for an unprivileged
 *	user (a PFN map cannot be copy-on-write); MAP_SHARED still works.
 *
 * SUBTEST: create-huge
 * Description: PMO_CREATE past the memory cap (MDL of the cap + 4096 and of
 *	4 GiB - 4096, SECTION of 2^36 + 1 up to 2^40 bytes) fails at once with
 *	ENOMEM and STATUS_NO_MEMORY, before any page array is allocated; an MDL
 *	past 4 GiB - 4096 with EINVAL, a CONTIGUOUS object past the largest
 *	block with ENOSPC (STATUS_INSUFFICIENT_RESOURCES); counters unchanged.
 *
 * SUBTEST: mmap-offset
 * Description: PMO_MMAP_OFFSET of an unknown handle fails with ENOENT and
 *	STATUS_INVALID_HANDLE; mmap() of the whole object through the DRM file
 *	at the returned offset is coherent with a PMO_MAP mapping, both ways,
 *	for every type.
 *
 * SUBTEST: rw-%s-%s
 * Description: For every type (mdl, contiguous, section) and cache type
 *	(non-cached, cached, write-combined): create (reads as zeros), map,
 *	write a pattern, read it back, unmap, map again and find the pattern,
 *	unmap, close. section-non-cached must be refused (EINVAL,
 *	STATUS_INVALID_PARAMETER).
 *
 * SUBTEST: render-node
 * Description: The PMO ioctls work on the render node.
 *
 * SUBTEST: close-while-mapped
 * Description: GEM_CLOSE with live PMO_MAP and mmap() mappings: both keep
 *	working and share the data; the object goes away (counters back to
 *	the start) once both are unmapped.
 *
 * SUBTEST: process-exit
 * Description: A child that exits with live objects of every type, PMO_MAP
 *	and mmap() mappings leaves nothing behind (debugfs counters).
 *
 * SUBTEST: section-shared
 * Description: A SECTION mapped in the parent is mapped by a forked child
 *	through the inherited file and handle; the child's writes are seen by
 *	the parent. The parent's ioctl-made mapping is not inherited by the
 *	child (unmap of it from the child: EINVAL, STATUS_NOT_MAPPED_VIEW).
 *
 * SUBTEST: prime-vgem
 * Description: A PMO exported with PRIME is imported into vgem; vgem's
 *	re-export of its import is the same dma-buf, shows the bytes written
 *	through a PMO_MAP mapping, and writes through it reach the PMO.
 *
 * SUBTEST: prime-vgem-contiguous
 * Description: A 2 MiB MDL of high-order blocks (PREFER_CONTIGUOUS) is
 *	imported into vgem: the scatterlist vgem maps keeps to its device's
 *	segment limit (DMA-API debugging on the debug kernel checks), and
 *	vgem's view has the PMO's bytes.
 *
 * SUBTEST: prime-import-refused
 * Description: Importing a vgem dumb buffer into dxgkcompat with
 *	PRIME_FD_TO_HANDLE fails with EINVAL.
 *
 * SUBTEST: alloc-until-failure
 * Description: 1 MiB cached MDL objects are created until the create fails:
 *	it must fail with ENOMEM and STATUS_NO_MEMORY (no OOM kill) where the
 *	smallest cap says (max_memory_percent for all objects,
 *	max_user_memory_percent for all from user space,
 *	max_file_memory_percent for one DRM file); while one file is full,
 *	another can still create up to the user share, no further; after
 *	closing them the counters are back where they started.
 *
 * SUBTEST: user-pte-cache-mode
 * Description: For every type and cache type, the page-table entry of a
 *	user mapping (PMO_MAP and mmap of the fake offset) has the object's
 *	cache mode: WB, WC or UC-, read from the page tables by the test-only
 *	TEST_PTE ioctl (CONFIG_DRM_DXGKCOMPAT_TEST_IOCTLS; skipped without).
 *
 * SUBTEST: callback-user-map
 * Description: For every type and cache type, DxgkCbMapPhysicalMemory
 *	(USER_MODE) run in this process (test-only TEST_CB_MAP, as a
 *	miniport's Escape DDI would): the data at pMappedAddress + Offset is
 *	the object's, the PTE has its cache mode, and
 *	DxgkCbUnmapPhysicalMemory removes the mapping; no misuse counted.
 *
 * SUBTEST: test-ioctls-need-cap-sys-admin
 * Description: Without CAP_SYS_ADMIN the test-only ioctls fail with EPERM
 *	and STATUS_ACCESS_DENIED.
 *
 * SUBTEST: close-callback-mapped
 * Description: GEM_CLOSE of an object with a live DxgkCbMapPhysicalMemory
 *	(USER_MODE) mapping (test-only TEST_CB_MAP) is no misuse: the mapping
 *	keeps working, and the object goes when it is unmapped (counters back,
 *	misuse count unchanged).
 *
 * SUBTEST: page-protection
 * Description: Mappings obey the object's page protection: MDL and
 *	PAGE_READWRITE sections map read/write but never executable,
 *	PAGE_READONLY sections read-only, PAGE_EXECUTE sections read/execute
 *	but never writable; mmap() asking for more and mprotect() adding it
 *	fail with EACCES, PMO_MAP (and the callback's USER_MODE map) give
 *	exactly the allowed protection. No device writes a read-only or
 *	execute section either: COPY into one fails with EACCES and
 *	STATUS_ACCESS_DENIED, and vgem cannot import one (it maps for
 *	writing). PAGE_WRITECOPY sections are not supported (EOPNOTSUPP,
 *	STATUS_NOT_SUPPORTED).
 *
 * SUBTEST: fork-not-inherited
 * Description: No mapping of a PMO (mmap of the GEM offset, PMO_MAP, the
 *	PRIME fd) is inherited by a forked child, and madvise(MADV_DOFORK)
 *	on one fails with EINVAL.
 *
 * SUBTEST: unprivileged-create-policy
 * Description: Without CAP_SYS_ADMIN (uid 65534): CONTIGUOUS objects,
 *	MDL windows with a low address, SkipBytes, a high address below what
 *	the adapter needs, MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS,
 *	MM_ALLOCATE_PREFER_CONTIGUOUS and MM_ALLOCATE_FROM_LOCAL_NODE_ONLY fail
 *	with EPERM and STATUS_ACCESS_DENIED; MDLs anywhere and sections work.
 *
 * SUBTEST: memcg-limit
 * Description: A process in a memory cgroup with memory.max 64 MiB, as
 *	uid 65534, creates 1 MiB MDL objects until the create fails: it fails
 *	with ENOMEM and STATUS_NO_MEMORY at the cgroup's limit (well below the
 *	driver's caps), and nothing is OOM-killed.
 *
 * SUBTEST: counters-baseline
 * Description: At the end, the debugfs counters equal those read when the
 *	test started: nothing leaked.
 */

#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "dxgkcompat_drm.h"
#include "dxgk_user.h"

#define DXGK_DRIVER_NAME		"dxgkcompat"
#define COUNTERS_PATH			"/sys/kernel/debug/dxgkcompat/counters"
#define MAX_NODES			64
#define PAGE				4096ull
/* highest PHYSICAL_ADDRESS (a LONGLONG): "anywhere" for windows */
#define MAX_PHYS			0x7fffffffffffffffull

#define STATUS_SUCCESS			0x00000000u
#define STATUS_INVALID_HANDLE		0xC0000008u
#define STATUS_INVALID_PARAMETER	0xC000000Du
#define STATUS_NO_MEMORY		0xC0000017u
#define STATUS_NOT_MAPPED_VIEW		0xC0000019u
#define STATUS_INVALID_VIEW_SIZE	0xC000001Fu
#define STATUS_ACCESS_DENIED		0xC0000022u
#define STATUS_INTEGER_OVERFLOW		0xC0000095u
#define STATUS_INSUFFICIENT_RESOURCES	0xC000009Au
#define STATUS_NOT_SUPPORTED		0xC00000BBu

#define PMO_IO_SPACE			3
#define MM_DONT_ZERO_ALLOCATION		0x1u
#define MM_ALLOCATE_FAST_LARGE_PAGES	0x40u
#define MM_ALLOCATE_AND_HOT_REMOVE	0x100u
#define PAGE_READONLY			0x02u
#define PAGE_READWRITE			0x04u
#define PAGE_WRITECOPY			0x08u
#define PAGE_EXECUTE			0x10u
#define MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS	0x20u

#define ALLOC_CHUNK			(1ull << 20)
#define ALLOC_CAP			8192

struct counters {
	long long objects, cached, wc, uc, misuse;
};

/* Fixture state: globals, because subtests are left with siglongjmp(). */
static int card_fd = -1;
static char card_path[64];
static bool have_counters;
static struct counters start_counters;
static uint32_t alloc_handles[ALLOC_CAP];

static const char *const type_name[] = { "mdl", "contiguous", "section" };
static const char *const cache_name[] = {
	"non-cached", "cached", "write-combined"
};

static uint64_t round_up_page(uint64_t v)
{
	return (v + PAGE - 1) & ~(PAGE - 1);
}

static bool get_driver_name(int fd, char *name, size_t len)
{
	drmVersionPtr v = drmGetVersion(fd);

	if (!v)
		return false;
	snprintf(name, len, "%.*s", v->name_len, v->name);
	drmFreeVersion(v);
	return true;
}

/* First /dev/dri/<prefix>N (N from @first) of driver @drv, or -1. */
static int open_node(const char *prefix, int first, const char *drv,
		     char *path, size_t len)
{
	for (int i = first; i < first + MAX_NODES; i++) {
		char p[64], name[64];
		int fd;

		snprintf(p, sizeof(p), "/dev/dri/%s%d", prefix, i);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (get_driver_name(fd, name, sizeof(name)) &&
		    strcmp(name, drv) == 0) {
			if (path)
				snprintf(path, len, "%s", p);
			return fd;
		}
		close(fd);
	}
	return -1;
}

static bool read_counters(struct counters *c)
{
	char line[128];
	int found = 0;
	FILE *f = dxgk_fopen_root(COUNTERS_PATH, "r");	/* debugfs is root's */

	if (!f)
		return false;
	memset(c, 0, sizeof(*c));
	while (fgets(line, sizeof(line), f)) {
		long long v;

		if (sscanf(line, "objects %lld", &v) == 1)
			c->objects = v, found |= 1;
		else if (sscanf(line, "pages_cached %lld", &v) == 1)
			c->cached = v, found |= 2;
		else if (sscanf(line, "pages_write_combined %lld", &v) == 1)
			c->wc = v, found |= 4;
		else if (sscanf(line, "pages_non_cached %lld", &v) == 1)
			c->uc = v, found |= 8;
		else if (sscanf(line, "misuse %lld", &v) == 1)
			c->misuse = v, found |= 16;
	}
	fclose(f);
	/* every counter present, or the comparisons compare nothing */
	return found == 31;
}

static bool counters_eq(const struct counters *a, const struct counters *b)
{
	return a->objects == b->objects && a->cached == b->cached &&
	       a->wc == b->wc && a->uc == b->uc;
}

/* Pages a cap admits: totalram / 100 * percent, as the driver computes it. */
static long long cap_pages_of(const char *param)
{
	long long kb = -1, percent = -1;
	char line[128], path[128];
	FILE *f;

	f = fopen("/proc/meminfo", "r");
	igt_assert(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemTotal: %lld kB", &kb) == 1)
			break;
	fclose(f);
	snprintf(path, sizeof(path), "/sys/module/dxgkcompat/parameters/%s", param);
	f = fopen(path, "r");
	igt_assert_f(f, "no %s\n", path);
	igt_assert_eq(fscanf(f, "%lld", &percent), 1);
	fclose(f);
	igt_assert(kb > 0 && percent >= 0);
	if (percent > 100)
		percent = 100;
	return (kb / (PAGE / 1024)) / 100 * percent;
}

/* Pages all objects together may hold. */
static long long cap_pages(void)
{
	return cap_pages_of("max_memory_percent");
}

/* 1 MiB objects the memory cap admits on top of what @base holds. */
static long long expected_alloc_mib(const struct counters *base)
{
	return (cap_pages() - base->cached - base->wc - base->uc) /
	       (long long)(ALLOC_CHUNK / PAGE);
}

/* 1 MiB objects all of user space (holding none yet) may create. */
static long long user_alloc_mib(void)
{
	return cap_pages_of("max_user_memory_percent") /
	       (long long)(ALLOC_CHUNK / PAGE);
}

/* 1 MiB objects one DRM file (holding none yet) may create. */
static long long file_alloc_mib(void)
{
	return cap_pages_of("max_file_memory_percent") /
	       (long long)(ALLOC_CHUNK / PAGE);
}

/* The "rwxs" permissions /proc/self/maps shows for the mapping at @addr. */
static void maps_perms(uint64_t addr, char perms[5])
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");

	igt_assert(f);
	strcpy(perms, "????");
	while (fgets(line, sizeof(line), f)) {
		unsigned long long start;
		char p[5];

		if (sscanf(line, "%llx-%*x %4s", &start, p) == 2 &&
		    start == addr) {
			memcpy(perms, p, 5);
			break;
		}
	}
	fclose(f);
}

/* Drop to uid/gid 65534 for good: no capabilities left, none to regain. */
static void become_nobody(void)
{
	igt_assert(dxgk_as_root());
	igt_assert_eq(setgroups(0, NULL), 0);
	igt_assert_eq(setresgid(65534, 65534, 65534), 0);
	igt_assert_eq(setresuid(65534, 65534, 65534), 0);
}

static void require_counters(void)
{
	igt_require_f(have_counters, "no %s (debugfs)\n", COUNTERS_PATH);
}

/*
 * Asserts the counters equal @want. Object teardown is synchronous on
 * the last put, but allow a short grace period (logged) for a release
 * that completes after the waiter returned.
 */
static void assert_counters(const struct counters *want, const char *when)
{
	struct counters now;

	for (int i = 0; i < 50; i++) {
		igt_assert(read_counters(&now));
		if (counters_eq(&now, want)) {
			if (i)
				igt_info("%s: counters settled after %d ms\n",
					 when, i * 20);
			return;
		}
		usleep(20000);
	}
	igt_assert_f(false,
		     "%s: counters objects %lld cached %lld wc %lld uc %lld, "
		     "expected %lld %lld %lld %lld\n", when, now.objects,
		     now.cached, now.wc, now.uc, want->objects, want->cached,
		     want->wc, want->uc);
}

/* ---- ioctl wrappers: 0 or -errno, the struct keeps ntstatus ---------- */

/* As root only for what needs CAP_SYS_ADMIN (dxgk_user.h). */
static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	return dxgk_ioctl(fd, cmd, arg);
}

static int pmo_create(int fd, struct drm_dxgkcompat_pmo_create *c)
{
	c->handle = 0;
	c->ntstatus = 0;
	return do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, c);
}

/* A valid create request for @type/@cache of @size bytes. */
static struct drm_dxgkcompat_pmo_create create_args(uint32_t type,
						   uint32_t cache,
						   uint64_t size)
{
	struct drm_dxgkcompat_pmo_create c = {
		.size = size, .type = type, .cache_type = cache,
	};

	if (type == DRM_DXGKCOMPAT_PMO_MDL ||
	    type == DRM_DXGKCOMPAT_PMO_CONTIGUOUS)
		c.high_address = MAX_PHYS;
	if (type == DRM_DXGKCOMPAT_PMO_SECTION)
		c.page_protection = PAGE_READWRITE;
	return c;
}

static uint32_t create_pmo(int fd, uint32_t type, uint32_t cache,
			   uint64_t size)
{
	struct drm_dxgkcompat_pmo_create c = create_args(type, cache, size);
	int ret = pmo_create(fd, &c);

	igt_assert_f(ret == 0, "create %s/%s size %" PRIu64 ": %d (%s) "
		     "ntstatus %#x\n", type_name[type], cache_name[cache],
		     size, ret, strerror(-ret), c.ntstatus);
	igt_assert_eq_u32(c.ntstatus, STATUS_SUCCESS);
	igt_assert_neq_u32(c.handle, 0);
	return c.handle;
}

static void expect_create(int fd, struct drm_dxgkcompat_pmo_create *c,
			  int err, uint32_t status, const char *what)
{
	int ret = pmo_create(fd, c);

	if (ret == 0) {
		struct drm_gem_close cl = { .handle = c->handle };

		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl);
	}
	igt_assert_f(ret == -err && c->ntstatus == status,
		     "%s: ret %d (%s) ntstatus %#x, expected %d (%s) %#x\n",
		     what, ret, strerror(-ret), c->ntstatus, -err,
		     strerror(err), status);
}

static int pmo_map(int fd, uint32_t handle, uint64_t offset, uint64_t size,
		   struct drm_dxgkcompat_pmo_map *m)
{
	memset(m, 0, sizeof(*m));
	m->handle = handle;
	m->offset = offset;
	m->size = size;
	return do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, m);
}

/* Maps [offset, offset + size) and checks the returned layout. */
static void map_pmo(int fd, uint32_t handle, uint64_t offset, uint64_t size,
		    struct drm_dxgkcompat_pmo_map *m)
{
	int ret = pmo_map(fd, handle, offset, size, m);

	igt_assert_f(ret == 0, "map handle %u offset %" PRIu64 " size %"
		     PRIu64 ": %d (%s) ntstatus %#x\n", handle, offset, size,
		     ret, strerror(-ret), m->ntstatus);
	igt_assert_eq_u32(m->ntstatus, STATUS_SUCCESS);
	igt_assert_neq_u64(m->address, 0);
	igt_assert_eq_u64(m->address % PAGE, 0);
	igt_assert_eq_u64(m->offset, offset % PAGE);
	igt_assert_eq_u64(m->size, round_up_page(offset % PAGE + size));
	igt_assert_eq_u64(m->reserved, 0);
}

static int pmo_unmap(int fd, uint32_t handle, uint64_t address,
		     uint64_t size, uint32_t *ntstatus)
{
	struct drm_dxgkcompat_pmo_unmap u = {
		.handle = handle, .address = address, .size = size,
	};
	int ret = do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &u);

	*ntstatus = u.ntstatus;
	return ret;
}

static void unmap_pmo(int fd, uint32_t handle,
		      const struct drm_dxgkcompat_pmo_map *m)
{
	uint32_t st;
	int ret = pmo_unmap(fd, handle, m->address, m->size, &st);

	igt_assert_f(ret == 0 && st == STATUS_SUCCESS,
		     "unmap %#" PRIx64 "+%#" PRIx64 ": %d (%s) ntstatus %#x\n",
		     (uint64_t)m->address, (uint64_t)m->size, ret,
		     strerror(-ret), st);
}

static void expect_unmap(int fd, uint32_t handle, uint64_t address,
			 uint64_t size, int err, uint32_t status,
			 const char *what)
{
	uint32_t st;
	int ret = pmo_unmap(fd, handle, address, size, &st);

	igt_assert_f(ret == -err && st == status,
		     "%s: unmap %#" PRIx64 "+%#" PRIx64 ": ret %d (%s) "
		     "ntstatus %#x, expected %d %#x\n", what, address, size,
		     ret, strerror(-ret), st, -err, status);
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close cl = { .handle = handle };

	igt_assert_eq(do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &cl), 0);
}

static uint64_t mmap_offset(int fd, uint32_t handle)
{
	struct drm_dxgkcompat_pmo_mmap_offset o = { .handle = handle };
	int ret = do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET, &o);

	igt_assert_f(ret == 0, "mmap_offset: %d (%s) ntstatus %#x\n", ret,
		     strerror(-ret), o.ntstatus);
	igt_assert_eq_u32(o.ntstatus, STATUS_SUCCESS);
	return o.offset;
}

static uint8_t *mmap_pmo(int fd, uint32_t handle, uint64_t size)
{
	uint64_t off = mmap_offset(fd, handle);
	void *p = mmap(NULL, round_up_page(size), PROT_READ | PROT_WRITE,
		       MAP_SHARED, fd, off);

	igt_assert_f(p != MAP_FAILED, "mmap offset %#" PRIx64 ": %s\n", off,
		     strerror(errno));
	return p;
}

static uint8_t *data_of(const struct drm_dxgkcompat_pmo_map *m)
{
	return (uint8_t *)(uintptr_t)(m->address + m->offset);
}

static uint8_t pat(uint64_t i, unsigned int seed)
{
	return (uint8_t)(i * 131 + (i >> 12) * 7 + seed * 29 + 1);
}

static void fill(volatile uint8_t *p, uint64_t len, uint64_t base,
		 unsigned int seed)
{
	for (uint64_t i = 0; i < len; i++)
		p[i] = pat(base + i, seed);
}

static void check(const volatile uint8_t *p, uint64_t len, uint64_t base,
		  unsigned int seed, const char *what)
{
	for (uint64_t i = 0; i < len; i++) {
		uint8_t v = p[i];

		igt_assert_f(v == pat(base + i, seed),
			     "%s: byte %" PRIu64 " is %#x, expected %#x\n",
			     what, base + i, v, pat(base + i, seed));
	}
}

static void check_zero(const volatile uint8_t *p, uint64_t len,
		       const char *what)
{
	for (uint64_t i = 0; i < len; i++)
		igt_assert_f(p[i] == 0, "%s: byte %" PRIu64 " is %#x\n",
			     what, i, p[i]);
}

/* The page-aligned range must be gone: mincore ENOMEM, a read SIGSEGVs. */
static void assert_unmapped(uint64_t address, uint64_t size)
{
	unsigned char vec[64];
	int status;
	pid_t pid;

	igt_assert(size / PAGE <= sizeof(vec));
	igt_assert_f(mincore((void *)(uintptr_t)address, size, vec) == -1 &&
		     errno == ENOMEM,
		     "mincore(%#" PRIx64 ", %#" PRIx64 ") still mapped\n",
		     address, size);

	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		struct rlimit nocore = { 0, 0 };

		setrlimit(RLIMIT_CORE, &nocore);
		signal(SIGSEGV, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		(void)*(volatile uint8_t *)(uintptr_t)address;
		_exit(0);
	}
	igt_assert_eq(waitpid(pid, &status, 0), pid);
	igt_assert_f(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
		     "reading %#" PRIx64 " after unmap: status %#x\n",
		     address, status);
}

static void require_card(void)
{
	igt_require_f(card_fd >= 0, "no dxgkcompat card\n");
}

static int open_vgem(void)
{
	int fd = open_node("card", 0, "vgem", NULL, 0);

	igt_require_f(fd >= 0, "no vgem card\n");
	return fd;
}

static void close_card(int sig)
{
	(void)sig;
	if (card_fd >= 0)
		close(card_fd);
	card_fd = -1;
}

/* Create, map, pattern, read back, unmap, remap, check, unmap, close. */
static void rw_one(int fd, uint32_t type, uint32_t cache, uint64_t size,
		   unsigned int seed)
{
	struct drm_dxgkcompat_pmo_map m;
	uint32_t h = create_pmo(fd, type, cache, size);

	map_pmo(fd, h, 0, size, &m);
	check_zero((uint8_t *)(uintptr_t)m.address, m.size, "new object");
	fill(data_of(&m), size, 0, seed);
	check(data_of(&m), size, 0, seed, "read back");
	unmap_pmo(fd, h, &m);

	map_pmo(fd, h, 0, size, &m);
	check(data_of(&m), size, 0, seed, "second map");
	unmap_pmo(fd, h, &m);
	gem_close(fd, h);
}

/* The cache mode of this process's PTE at @addr, or -errno. */
static int test_pte(int fd, uint64_t addr)
{
	struct drm_dxgkcompat_test_pte t = { .address = addr };
	int ret = do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_TEST_PTE, &t);

	return ret ? ret : (int)t.cache_mode;
}

static void require_test_ioctls(int fd)
{
	struct drm_dxgkcompat_test_pte t = { .address = 0 };

	igt_require_f(do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_TEST_PTE, &t) != -EOPNOTSUPP,
		      "module built without CONFIG_DRM_DXGKCOMPAT_TEST_IOCTLS\n");
}

static const int pte_mode_of_cache[] = {
	[DRM_DXGKCOMPAT_NON_CACHED] = DRM_DXGKCOMPAT_PTE_UC_MINUS,
	[DRM_DXGKCOMPAT_CACHED] = DRM_DXGKCOMPAT_PTE_WB,
	[DRM_DXGKCOMPAT_WRITE_COMBINED] = DRM_DXGKCOMPAT_PTE_WC,
};

/*
 * Two changes after 6.12 that 7.2 has. vgem up to 6.12 maps an imported
 * dma-buf at import (and is refused there for a read-only object); 7.2
 * imports it with the shmem helper's no-map import, and the refusal moves
 * to the first mapping for a device write. And 7.2's pseudo filesystems
 * are noexec, anonymous inodes included.
 */
static bool kernel_after_6_12(void)
{
	struct utsname u;
	int major = 0, minor = 0;

	if (uname(&u) || sscanf(u.release, "%d.%d", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor > 12);
}

#define vgem_imports_unmapped() kernel_after_6_12()
/* 7.2's pseudo filesystems, anon_inodefs among them, are SB_I_NOEXEC */
#define anon_inodes_noexec() kernel_after_6_12()

igt_main
{
	igt_fixture {
		dxgk_igt_unprivileged();
		card_fd = open_node("card", 0, DXGK_DRIVER_NAME, card_path,
				    sizeof(card_path));
		igt_install_exit_handler(close_card);
		have_counters = read_counters(&start_counters);
		if (have_counters)
			igt_info("start: objects %lld cached %lld wc %lld "
				 "uc %lld\n", start_counters.objects,
				 start_counters.cached, start_counters.wc,
				 start_counters.uc);
	}

	igt_describe("PMO_CREATE argument validation common to all types");
	igt_subtest("create-invalid") {
		struct drm_dxgkcompat_pmo_create c;

		require_card();

		for (uint32_t t = 0; t < 3; t++) {
			char what[96];

			c = create_args(t, DRM_DXGKCOMPAT_CACHED, PAGE);
			c.reserved = 1;
			snprintf(what, sizeof(what), "%s reserved 1",
				 type_name[t]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);

			c = create_args(t, DRM_DXGKCOMPAT_CACHED, PAGE);
			c.reserved = 1ull << 63;
			snprintf(what, sizeof(what), "%s reserved 1<<63",
				 type_name[t]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);

			c = create_args(t, DRM_DXGKCOMPAT_CACHED, 0);
			snprintf(what, sizeof(what), "%s size 0",
				 type_name[t]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);

			for (uint32_t ct = 3; ct < 6; ct++) {
				c = create_args(t, ct, PAGE);
				snprintf(what, sizeof(what),
					 "%s cache_type %u", type_name[t], ct);
				expect_create(card_fd, &c, EINVAL,
					      STATUS_INVALID_PARAMETER, what);
			}
			c = create_args(t, 0xffffffffu, PAGE);
			snprintf(what, sizeof(what), "%s cache_type ~0",
				 type_name[t]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);
		}

		/* IO_SPACE is kernel-only; unknown types */
		{
			const uint32_t bad[] = { PMO_IO_SPACE, 4, 5, 0x100,
						 0xffffffffu };

			for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
				char what[64];

				memset(&c, 0, sizeof(c));
				c.size = PAGE;
				c.type = bad[i];
				c.cache_type = DRM_DXGKCOMPAT_CACHED;
				c.high_address = MAX_PHYS;
				snprintf(what, sizeof(what), "type %#x",
					 bad[i]);
				expect_create(card_fd, &c, EINVAL,
					      STATUS_INVALID_PARAMETER, what);
			}
		}

		/* fields that do not apply to the type */
		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.mm_flags = 0x2;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "contiguous mm_flags");
		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.page_protection = PAGE_READWRITE;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "contiguous page_protection");

		c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.low_address = PAGE;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "section low_address");
		c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.high_address = ~0ull;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "section high_address");
		c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.skip_bytes = PAGE;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "section skip_bytes");
		c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.mm_flags = 0x2;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "section mm_flags");

		c = create_args(DRM_DXGKCOMPAT_PMO_MDL,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.page_protection = PAGE_READWRITE;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "mdl page_protection");

		/* and a valid request still works */
		gem_close(card_fd, create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
					      DRM_DXGKCOMPAT_CACHED, PAGE));
	}

	igt_describe("MDL create: flags, window, zeroing");
	igt_subtest("create-mdl-invalid") {
		const uint32_t unknown[] = { 0x200, 0x400, 0x1000, 0x10000,
					     0x80000000u };
		struct drm_dxgkcompat_pmo_create c;

		require_card();

		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
				PAGE);
		c.mm_flags = MM_DONT_ZERO_ALLOCATION;
		expect_create(card_fd, &c, EACCES, STATUS_ACCESS_DENIED,
			      "MM_DONT_ZERO_ALLOCATION");
		c = create_args(DRM_DXGKCOMPAT_PMO_MDL,
				DRM_DXGKCOMPAT_WRITE_COMBINED, PAGE);
		c.mm_flags = MM_DONT_ZERO_ALLOCATION | 0x4;
		expect_create(card_fd, &c, EACCES, STATUS_ACCESS_DENIED,
			      "MM_DONT_ZERO_ALLOCATION | FULLY_REQUIRED");

		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
				PAGE);
		c.low_address = 0x200000;
		c.high_address = 0x100000;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "mdl low > high");

		for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
			char what[64];

			c = create_args(DRM_DXGKCOMPAT_PMO_MDL,
					DRM_DXGKCOMPAT_CACHED, PAGE);
			c.mm_flags = unknown[i];
			snprintf(what, sizeof(what), "mdl mm_flags %#x",
				 unknown[i]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);
		}

		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
				PAGE);
		c.mm_flags = MM_ALLOCATE_FAST_LARGE_PAGES;
		expect_create(card_fd, &c, EOPNOTSUPP, STATUS_NOT_SUPPORTED,
			      "MM_ALLOCATE_FAST_LARGE_PAGES");
		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
				PAGE);
		c.mm_flags = MM_ALLOCATE_AND_HOT_REMOVE;
		expect_create(card_fd, &c, EOPNOTSUPP, STATUS_NOT_SUPPORTED,
			      "MM_ALLOCATE_AND_HOT_REMOVE");

		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
				8192);
		c.low_address = 0x1000;
		c.high_address = 0x1000;
		expect_create(card_fd, &c, ENOMEM, STATUS_NO_MEMORY,
			      "mdl window [0x1000, 0x1000]");
		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
				8192);
		c.low_address = 1ull << 40;
		c.high_address = 1ull << 41;
		expect_create(card_fd, &c, ENOMEM, STATUS_NO_MEMORY,
			      "mdl window [1 TiB, 2 TiB]");
	}

	igt_describe("CONTIGUOUS create: window, boundary, size limit");
	igt_subtest("create-contiguous-invalid") {
		const uint64_t not_pow2[] = { 3 * PAGE, 5 * PAGE, PAGE + 1,
					      0x7000 };
		struct drm_dxgkcompat_pmo_create c;

		require_card();

		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, PAGE);
		c.low_address = 0x200000;
		c.high_address = 0x100000;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "contiguous low > high");

		for (size_t i = 0; i < ARRAY_SIZE(not_pow2); i++) {
			char what[64];

			c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
					DRM_DXGKCOMPAT_CACHED, PAGE);
			c.skip_bytes = not_pow2[i];
			snprintf(what, sizeof(what), "boundary %#" PRIx64,
				 not_pow2[i]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);
		}

		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, 2 * PAGE);
		c.skip_bytes = PAGE;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "size 8192 > boundary 4096");
		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, 0x10001);
		c.skip_bytes = 0x10000;
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "size 0x10001 > boundary 0x10000");

		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, (4ull << 20) + PAGE);
		expect_create(card_fd, &c, ENOSPC,
			      STATUS_INSUFFICIENT_RESOURCES, "4 MiB + 4096");
		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, 64ull << 20);
		expect_create(card_fd, &c, ENOSPC,
			      STATUS_INSUFFICIENT_RESOURCES, "64 MiB");

		/* valid: a boundary equal to the size, and 4 MiB */
		c = create_args(DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				DRM_DXGKCOMPAT_CACHED, 0x10000);
		c.skip_bytes = 0x10000;
		igt_assert_eq(pmo_create(card_fd, &c), 0);
		igt_assert_eq_u32(c.ntstatus, STATUS_SUCCESS);
		gem_close(card_fd, c.handle);
		gem_close(card_fd,
			  create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_CONTIGUOUS,
				     DRM_DXGKCOMPAT_CACHED, 4ull << 20));
	}

	igt_describe("SECTION create: cache type and page protection");
	igt_subtest("create-section-invalid") {
		const uint32_t bad_prot[] = { 0, 0x01, 0x06, 0x20, 0x40, 0x80,
					      0x104, 0x204, 0x404,
					      0xffffffffu };
		const uint32_t good_prot[] = { PAGE_READONLY, PAGE_READWRITE,
					       PAGE_EXECUTE };
		struct drm_dxgkcompat_pmo_create c;

		require_card();

		c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
				DRM_DXGKCOMPAT_NON_CACHED, PAGE);
		expect_create(card_fd, &c, EINVAL, STATUS_INVALID_PARAMETER,
			      "section non-cached");

		for (size_t i = 0; i < ARRAY_SIZE(bad_prot); i++) {
			char what[64];

			c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
					DRM_DXGKCOMPAT_CACHED, PAGE);
			c.page_protection = bad_prot[i];
			snprintf(what, sizeof(what), "page_protection %#x",
				 bad_prot[i]);
			expect_create(card_fd, &c, EINVAL,
				      STATUS_INVALID_PARAMETER, what);
		}

		for (size_t i = 0; i < ARRAY_SIZE(good_prot); i++) {
			int ret;

			c = create_args(DRM_DXGKCOMPAT_PMO_SECTION,
					DRM_DXGKCOMPAT_CACHED, PAGE);
			c.page_protection = good_prot[i];
			ret = pmo_create(card_fd, &c);
			igt_assert_f(ret == 0 && c.ntstatus == STATUS_SUCCESS,
				     "page_protection %#x: %d ntstatus %#x\n",
				     good_prot[i], ret, c.ntstatus);
			gem_close(card_fd, c.handle);
		}
	}

	igt_describe("PMO ioctls with a wrong encoded size");
	igt_subtest("bad-size") {
		const struct { const char *what; unsigned int nr; size_t sz; }
		ioc[] = {
			{ "create", DRM_DXGKCOMPAT_PMO_CREATE,
			  sizeof(struct drm_dxgkcompat_pmo_create) },
			{ "map", DRM_DXGKCOMPAT_PMO_MAP,
			  sizeof(struct drm_dxgkcompat_pmo_map) },
			{ "unmap", DRM_DXGKCOMPAT_PMO_UNMAP,
			  sizeof(struct drm_dxgkcompat_pmo_unmap) },
			{ "mmap_offset", DRM_DXGKCOMPAT_PMO_MMAP_OFFSET,
			  sizeof(struct drm_dxgkcompat_pmo_mmap_offset) },
		};
		const int delta[] = { -8, -1, 8 };
		uint64_t buf[32];

		require_card();

		for (size_t i = 0; i < ARRAY_SIZE(ioc); i++) {
			for (size_t d = 0; d < ARRAY_SIZE(delta); d++) {
				unsigned long cmd =
					_IOC(_IOC_READ | _IOC_WRITE,
					     DRM_IOCTL_BASE,
					     DRM_COMMAND_BASE + ioc[i].nr,
					     ioc[i].sz + delta[d]);
				int ret;

				memset(buf, 0, sizeof(buf));
				ret = do_ioctl(card_fd, cmd, buf);
				igt_assert_f(ret == -EINVAL,
					     "%s size %+d: %d (%s)\n",
					     ioc[i].what, delta[d], ret,
					     strerror(-ret));
			}
		}
	}

	igt_describe("PMO_MAP argument validation");
	igt_subtest("map-invalid") {
		const uint64_t size = 5000;	/* not a page multiple */
		struct drm_dxgkcompat_pmo_map m;
		uint32_t h, closed;
		int ret;

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, size);
		closed = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
				    DRM_DXGKCOMPAT_CACHED, PAGE);
		gem_close(card_fd, closed);

#define EXPECT_MAP(hh, off, sz, err, st) do {				\
		ret = pmo_map(card_fd, (hh), (off), (sz), &m);		\
		igt_assert_f(ret == -(err) && m.ntstatus == (st),	\
			     "map handle %u offset %#" PRIx64 " size %#"	\
			     PRIx64 ": ret %d (%s) ntstatus %#x, expected " \
			     "%d %#x\n", (hh), (uint64_t)(off),		\
			     (uint64_t)(sz), ret, strerror(-ret),	\
			     m.ntstatus, -(err), (st));			\
	} while (0)

		EXPECT_MAP(0, 0, PAGE, ENOENT, STATUS_INVALID_HANDLE);
		EXPECT_MAP(0xdeadbeef, 0, PAGE, ENOENT, STATUS_INVALID_HANDLE);
		EXPECT_MAP(closed, 0, PAGE, ENOENT, STATUS_INVALID_HANDLE);

		memset(&m, 0, sizeof(m));
		m.handle = h;
		m.size = PAGE;
		m.reserved = 1;
		ret = do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m);
		igt_assert_f(ret == -EINVAL &&
			     m.ntstatus == STATUS_INVALID_PARAMETER,
			     "map reserved: %d ntstatus %#x\n", ret,
			     m.ntstatus);

		EXPECT_MAP(h, 0, 0, EINVAL, STATUS_INVALID_PARAMETER);
		EXPECT_MAP(h, 100, 0, EINVAL, STATUS_INVALID_PARAMETER);

		EXPECT_MAP(h, ~0ull - 10, 100, EOVERFLOW,
			   STATUS_INTEGER_OVERFLOW);
		EXPECT_MAP(h, 1, ~0ull, EOVERFLOW, STATUS_INTEGER_OVERFLOW);
		EXPECT_MAP(h, ~0ull, ~0ull, EOVERFLOW,
			   STATUS_INTEGER_OVERFLOW);

		EXPECT_MAP(h, 0, size + 1, EINVAL, STATUS_INVALID_VIEW_SIZE);
		EXPECT_MAP(h, 0, round_up_page(size), EINVAL,
			   STATUS_INVALID_VIEW_SIZE);
		EXPECT_MAP(h, size, 1, EINVAL, STATUS_INVALID_VIEW_SIZE);
		EXPECT_MAP(h, size - 1, 2, EINVAL, STATUS_INVALID_VIEW_SIZE);
		EXPECT_MAP(h, 1ull << 40, PAGE, EINVAL,
			   STATUS_INVALID_VIEW_SIZE);
#undef EXPECT_MAP

		/* the edges that fit */
		map_pmo(card_fd, h, 0, size, &m);
		unmap_pmo(card_fd, h, &m);
		map_pmo(card_fd, h, size - 1, 1, &m);
		unmap_pmo(card_fd, h, &m);
		gem_close(card_fd, h);
	}

	igt_describe("several live maps of one object at different offsets");
	igt_subtest("map-offsets") {
		const uint64_t size = 5 * PAGE + 300;
		struct drm_dxgkcompat_pmo_map a, b, c, d;
		uint32_t h;

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, size);

		map_pmo(card_fd, h, 0, size, &a);
		map_pmo(card_fd, h, 2 * PAGE + 123, 5000, &b);
		igt_assert_eq_u64(b.offset, 123);
		igt_assert_eq_u64(b.size, 2 * PAGE);
		map_pmo(card_fd, h, 4999, 1, &c);
		igt_assert_eq_u64(c.offset, 4999 % PAGE);
		igt_assert_eq_u64(c.size, PAGE);
		map_pmo(card_fd, h, PAGE - 1, PAGE + 2, &d);
		igt_assert_eq_u64(d.offset, PAGE - 1);
		igt_assert_eq_u64(d.size, 3 * PAGE);
		igt_assert(a.address != b.address && a.address != c.address &&
			   b.address != c.address && d.address != a.address);

		/* through a, read through b, c and d */
		fill(data_of(&a), size, 0, 1);
		check(data_of(&b), 5000, 2 * PAGE + 123, 1, "b from a");
		check(data_of(&c), 1, 4999, 1, "c from a");
		check(data_of(&d), PAGE + 2, PAGE - 1, 1, "d from a");

		/* through b, read through a */
		fill(data_of(&b), 5000, 2 * PAGE + 123, 2);
		check(data_of(&a) + 2 * PAGE + 123, 5000, 2 * PAGE + 123, 2,
		      "a from b");
		check(data_of(&a), 2 * PAGE + 123, 0, 1, "a before b");
		check(data_of(&a) + 2 * PAGE + 123 + 5000,
		      size - (2 * PAGE + 123 + 5000), 2 * PAGE + 123 + 5000,
		      1, "a after b");

		/* through d (page-crossing), read through a */
		fill(data_of(&d), PAGE + 2, PAGE - 1, 3);
		check(data_of(&a) + PAGE - 1, PAGE + 2, PAGE - 1, 3,
		      "a from d");

		unmap_pmo(card_fd, h, &b);
		/* the others stay usable */
		check(data_of(&c), 1, 4999, 3, "c after unmap b");
		unmap_pmo(card_fd, h, &a);
		unmap_pmo(card_fd, h, &c);
		unmap_pmo(card_fd, h, &d);
		gem_close(card_fd, h);
	}

	igt_describe("PMO_UNMAP argument validation");
	igt_subtest("unmap-invalid") {
		struct drm_dxgkcompat_pmo_map m, o;
		uint32_t h, h2;
		uint8_t stack_page[64];

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, 4 * PAGE);
		h2 = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
				DRM_DXGKCOMPAT_CACHED, 4 * PAGE);
		map_pmo(card_fd, h, 100, 2 * PAGE, &m);	/* 3 pages */
		igt_assert_eq_u64(m.size, 3 * PAGE);

		expect_unmap(card_fd, 0, m.address, m.size, ENOENT,
			     STATUS_INVALID_HANDLE, "handle 0");
		expect_unmap(card_fd, 0xdeadbeef, m.address, m.size, ENOENT,
			     STATUS_INVALID_HANDLE, "handle 0xdeadbeef");

		/* never mapped */
		expect_unmap(card_fd, h, 0x10000000, PAGE, EINVAL,
			     STATUS_NOT_MAPPED_VIEW, "never mapped");
		expect_unmap(card_fd, h, (uintptr_t)stack_page & ~(PAGE - 1),
			     PAGE, EINVAL, STATUS_NOT_MAPPED_VIEW,
			     "stack page");
		expect_unmap(card_fd, h, 0, m.size, EINVAL,
			     STATUS_NOT_MAPPED_VIEW, "address 0");
		/* inside the map, not its start */
		expect_unmap(card_fd, h, m.address + m.offset, m.size, EINVAL,
			     STATUS_NOT_MAPPED_VIEW, "address + offset");
		expect_unmap(card_fd, h, m.address + PAGE, 2 * PAGE, EINVAL,
			     STATUS_NOT_MAPPED_VIEW, "address + 4096");
		/* a live map of another object */
		expect_unmap(card_fd, h2, m.address, m.size, EINVAL,
			     STATUS_NOT_MAPPED_VIEW, "other object's map");

		/* non-zero reserved: refused before anything is looked up */
		{
			struct drm_dxgkcompat_pmo_unmap u = {
				.handle = h, .address = m.address,
				.size = m.size, .reserved = 1,
			};

			igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP,
					       &u), -EINVAL);
			igt_assert_eq_u32(u.ntstatus, STATUS_INVALID_PARAMETER);
			u.reserved = 1ull << 63;
			igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP,
					       &u), -EINVAL);
			igt_assert_eq_u32(u.ntstatus, STATUS_INVALID_PARAMETER);
		}

		/* right address, wrong size: the map stays */
		expect_unmap(card_fd, h, m.address, PAGE, EINVAL,
			     STATUS_INVALID_VIEW_SIZE, "size 4096");
		expect_unmap(card_fd, h, m.address, m.size + PAGE, EINVAL,
			     STATUS_INVALID_VIEW_SIZE, "size + 4096");
		expect_unmap(card_fd, h, m.address, 2 * PAGE, EINVAL,
			     STATUS_INVALID_VIEW_SIZE, "size given to map");
		expect_unmap(card_fd, h, m.address, 0, EINVAL,
			     STATUS_INVALID_VIEW_SIZE, "size 0");
		fill(data_of(&m), 2 * PAGE, 100, 4);
		map_pmo(card_fd, h, 0, 4 * PAGE, &o);
		check(data_of(&o) + 100, 2 * PAGE, 100, 4,
		      "after wrong-size unmaps");
		unmap_pmo(card_fd, h, &o);

		unmap_pmo(card_fd, h, &m);
		expect_unmap(card_fd, h, m.address, m.size, EINVAL,
			     STATUS_NOT_MAPPED_VIEW, "second unmap");

		/* closed handle */
		map_pmo(card_fd, h2, 0, PAGE, &o);
		unmap_pmo(card_fd, h2, &o);
		gem_close(card_fd, h2);
		expect_unmap(card_fd, h2, o.address, o.size, ENOENT,
			     STATUS_INVALID_HANDLE, "closed handle");
		gem_close(card_fd, h);
	}

	igt_describe("touching an unmapped range faults");
	igt_subtest("unmap-faults") {
		struct drm_dxgkcompat_pmo_map m;
		uint32_t h;

		require_card();
		for (uint32_t t = 0; t < 3; t++) {
			h = create_pmo(card_fd, t, DRM_DXGKCOMPAT_CACHED,
				       3 * PAGE);
			map_pmo(card_fd, h, 10, 3 * PAGE - 10, &m);
			fill(data_of(&m), 3 * PAGE - 10, 10, 5);
			unmap_pmo(card_fd, h, &m);
			assert_unmapped(m.address, m.size);
			assert_unmapped(m.address + m.size - PAGE, PAGE);
			gem_close(card_fd, h);
		}
	}

	igt_describe("an address mapped by another process is no view here");
	igt_subtest("unmap-other-process") {
		int to_parent[2], to_child[2];
		uint64_t child_map[2];
		uint32_t h, st;
		int ret;

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_SECTION,
			       DRM_DXGKCOMPAT_CACHED, 2 * PAGE);
		igt_assert_eq(pipe(to_parent), 0);
		igt_assert_eq(pipe(to_child), 0);

		igt_fork(child, 1) {
			struct drm_dxgkcompat_pmo_map m;
			char go;

			close(to_parent[0]);
			close(to_child[1]);
			map_pmo(card_fd, h, 0, 2 * PAGE, &m);
			fill(data_of(&m), 2 * PAGE, 0, 6);
			child_map[0] = m.address;
			child_map[1] = m.size;
			igt_assert_eq(write(to_parent[1], child_map,
					    sizeof(child_map)),
				      (int)sizeof(child_map));
			/* keep the map until the parent has tried */
			igt_assert_eq(read(to_child[0], &go, 1), 1);
			check(data_of(&m), 2 * PAGE, 0, 6, "child map");
			unmap_pmo(card_fd, h, &m);
		}
		close(to_parent[1]);
		close(to_child[0]);
		igt_assert_eq(read(to_parent[0], child_map, sizeof(child_map)),
			      (int)sizeof(child_map));
		ret = pmo_unmap(card_fd, h, child_map[0], child_map[1], &st);
		/* let the child go before any assertion */
		igt_assert_eq(write(to_child[1], "g", 1), 1);
		close(to_child[1]);
		igt_waitchildren();
		close(to_parent[0]);
		igt_assert_f(ret == -EINVAL && st == STATUS_NOT_MAPPED_VIEW,
			     "unmap of the child's %#" PRIx64 "+%#" PRIx64
			     ": %d (%s) ntstatus %#x\n", child_map[0],
			     child_map[1], ret, strerror(-ret), st);
		gem_close(card_fd, h);
	}

	igt_describe("PMO_MMAP_OFFSET and mmap() coherent with PMO_MAP");
	igt_subtest("mmap-offset") {
		struct drm_dxgkcompat_pmo_mmap_offset o = {
			.handle = 0xdeadbeef,
		};
		int ret;

		require_card();
		ret = do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET,
			       &o);
		igt_assert_f(ret == -ENOENT &&
			     o.ntstatus == STATUS_INVALID_HANDLE,
			     "unknown handle: %d ntstatus %#x\n", ret,
			     o.ntstatus);
		memset(&o, 0, sizeof(o));
		ret = do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET,
			       &o);
		igt_assert_f(ret == -ENOENT &&
			     o.ntstatus == STATUS_INVALID_HANDLE,
			     "handle 0: %d ntstatus %#x\n", ret, o.ntstatus);

		for (uint32_t t = 0; t < 3; t++) {
			const uint64_t size = 3 * PAGE + 1000;
			struct drm_dxgkcompat_pmo_map m;
			uint64_t len = round_up_page(size);
			uint32_t h = create_pmo(card_fd, t,
						DRM_DXGKCOMPAT_CACHED, size);
			uint8_t *p = mmap_pmo(card_fd, h, size);

			check_zero(p, len, "mmap of new object");
			map_pmo(card_fd, h, 0, size, &m);
			fill(data_of(&m), size, 0, 7 + t);
			check(p, size, 0, 7 + t, "mmap from map");
			fill(p, size, 0, 11 + t);
			check(data_of(&m), size, 0, 11 + t, "map from mmap");
			unmap_pmo(card_fd, h, &m);
			igt_assert_eq(munmap(p, len), 0);
			gem_close(card_fd, h);
		}
	}

	igt_describe("a fault maps up to 16 pages, inside the VMA and at the "
		     "right object pages");
	igt_subtest("mmap-fault-around") {
		const uint64_t npages = 67, size = npages * PAGE;
		struct drm_dxgkcompat_pmo_map m;
		struct rusage r0, r1;
		uint64_t off;
		long faults;
		uint32_t h;
		uint8_t *p;

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size);
		map_pmo(card_fd, h, 0, size, &m);
		fill(data_of(&m), size, 0, 3);

		/* the whole object: one fault per 16 pages, not per page */
		p = mmap_pmo(card_fd, h, size);
		igt_assert_eq(getrusage(RUSAGE_SELF, &r0), 0);
		/* a write the compiler keeps, of the byte already there */
		for (uint64_t i = 0; i < npages; i++)
			((volatile uint8_t *)p)[i * PAGE] = pat(i * PAGE, 3);
		igt_assert_eq(getrusage(RUSAGE_SELF, &r1), 0);
		faults = r1.ru_minflt - r0.ru_minflt;
		igt_info("%" PRIu64 " pages touched with %ld faults\n", npages, faults);
		igt_assert_f(faults >= 1 && faults <= 8,
			     "%ld faults for %" PRIu64 " pages\n", faults, npages);
		check(p, size, 0, 3, "mmap after fault-around");
		igt_assert_eq(munmap(p, size), 0);

		/*
		 * A 5-page view at object page 10: the pages it maps are the
		 * object's 10..14, and nothing past its end is mapped.
		 */
		off = mmap_offset(card_fd, h);
		p = mmap(NULL, 6 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, card_fd,
			 off + 10 * PAGE);
		igt_assert(p != MAP_FAILED);
		igt_assert_eq(munmap(p + 5 * PAGE, PAGE), 0);
		check(p, PAGE, 10 * PAGE, 3, "view page 0");
		check(p + 4 * PAGE, PAGE, 14 * PAGE, 3, "view page 4");
		assert_unmapped((uintptr_t)(p + 5 * PAGE), PAGE);
		igt_assert_eq(munmap(p, 5 * PAGE), 0);
		unmap_pmo(card_fd, h, &m);
		gem_close(card_fd, h);
	}

	igt_describe("private mappings (copy-on-write) of the GEM offset and of "
		     "a PRIME fd are refused, for an unprivileged user too");
	igt_subtest("mmap-private-refused") {
		for (uint32_t t = 0; t < 3; t++) {
			const uint64_t len = 2 * PAGE;
			struct drm_dxgkcompat_pmo_map m;
			struct drm_prime_handle exp = {
				.flags = DRM_CLOEXEC | DRM_RDWR,
			};
			uint32_t h;

			require_card();
			h = create_pmo(card_fd, t, DRM_DXGKCOMPAT_CACHED, len);
			map_pmo(card_fd, h, 0, len, &m);
			fill(data_of(&m), len, 0, 30 + t);
			exp.handle = h;
			igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD,
					       &exp), 0);
			igt_fork(child, 1) {
				const int prots[] = { PROT_READ, PROT_READ | PROT_WRITE };
				uint64_t off = mmap_offset(card_fd, h);
				uint8_t *p;

				igt_assert_eq(setresuid(65534, 65534, 65534), 0);
				for (size_t i = 0; i < ARRAY_SIZE(prots); i++) {
					p = mmap(NULL, len, prots[i], MAP_PRIVATE,
						 card_fd, off);
					igt_assert_f(p == MAP_FAILED && errno == EINVAL,
						     "%s: MAP_PRIVATE prot %d of the GEM "
						     "offset: %p errno %d\n", type_name[t],
						     prots[i], p, errno);
					p = mmap(NULL, len, prots[i], MAP_PRIVATE,
						 exp.fd, 0);
					igt_assert_f(p == MAP_FAILED && errno == EINVAL,
						     "%s: MAP_PRIVATE prot %d of the PRIME "
						     "fd: %p errno %d\n", type_name[t],
						     prots[i], p, errno);
				}
				/* shared ones still work, and see the data */
				p = mmap(NULL, len, PROT_READ, MAP_SHARED, card_fd, off);
				igt_assert(p != MAP_FAILED);
				check(p, len, 0, 30 + t, "shared mmap after refusals");
				igt_assert_eq(munmap(p, len), 0);
				p = mmap(NULL, len, PROT_READ, MAP_SHARED, exp.fd, 0);
				igt_assert(p != MAP_FAILED);
				check(p, len, 0, 30 + t, "shared PRIME mmap");
				igt_assert_eq(munmap(p, len), 0);
			}
			igt_waitchildren();
			close(exp.fd);
			unmap_pmo(card_fd, h, &m);
			gem_close(card_fd, h);
		}
	}

	igt_describe("objects larger than the memory cap are refused at once, "
		     "before anything is allocated for them");
	igt_subtest("create-huge") {
		/* sizes past the memory cap (half of RAM) or past a type's limit */
		struct {
			uint32_t type;
			uint64_t size;
			int err;
			uint32_t status;
		} rows[] = {
			{ DRM_DXGKCOMPAT_PMO_MDL, (4ull << 30) - PAGE, ENOMEM, STATUS_NO_MEMORY },
			{ DRM_DXGKCOMPAT_PMO_MDL, 0 /* the cap + 1 page */, ENOMEM,
			  STATUS_NO_MEMORY },
			/* MDLs end at 4 GiB - 4 KiB, as Mm's do */
			{ DRM_DXGKCOMPAT_PMO_MDL, 1ull << 40, EINVAL, STATUS_INVALID_PARAMETER },
			/* contiguous blocks end at the buddy allocator's largest */
			{ DRM_DXGKCOMPAT_PMO_CONTIGUOUS, 1ull << 40, ENOSPC,
			  STATUS_INSUFFICIENT_RESOURCES },
			{ DRM_DXGKCOMPAT_PMO_SECTION, 1ull << 40, ENOMEM, STATUS_NO_MEMORY },
			{ DRM_DXGKCOMPAT_PMO_SECTION, (1ull << 40) - PAGE, ENOMEM, STATUS_NO_MEMORY },
			{ DRM_DXGKCOMPAT_PMO_SECTION, (1ull << 39) + PAGE, ENOMEM, STATUS_NO_MEMORY },
			{ DRM_DXGKCOMPAT_PMO_SECTION, (1ull << 36) + 1, ENOMEM, STATUS_NO_MEMORY },
		};
		struct counters before, after;

		uint64_t cap;
		unsigned int tried = 0;

		require_card();
		require_counters();
		cap = (uint64_t)cap_pages() * PAGE;
		rows[1].size = cap + PAGE;
		igt_assert(read_counters(&before));
		for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
			struct drm_dxgkcompat_pmo_create c =
				create_args(rows[i].type, DRM_DXGKCOMPAT_CACHED, rows[i].size);
			int ret;

			/* on a machine whose cap is larger, a row may not apply */
			if (rows[i].err == ENOMEM &&
			    (rows[i].size <= cap ||
			     (rows[i].type == DRM_DXGKCOMPAT_PMO_MDL &&
			      rows[i].size > (4ull << 30) - PAGE))) {
				igt_info("%s of %#" PRIx64 " bytes: within the cap here\n",
					 type_name[rows[i].type], rows[i].size);
				continue;
			}
			tried++;
			ret = pmo_create(card_fd, &c);

			if (ret == 0)
				gem_close(card_fd, c.handle);
			igt_assert_f(ret == -rows[i].err && c.ntstatus == rows[i].status,
				     "%s of %#" PRIx64 " bytes: %d (%s) ntstatus %#x, "
				     "want %d ntstatus %#x\n", type_name[rows[i].type],
				     rows[i].size, ret, strerror(-ret), c.ntstatus,
				     -rows[i].err, rows[i].status);
		}
		igt_assert(read_counters(&after));
		igt_assert(counters_eq(&before, &after));
		igt_assert_f(tried >= 6, "only %u rows apply on this machine\n", tried);
	}

	for (volatile uint32_t t = 0; t < 3; t++) {
		for (volatile uint32_t ct = 0; ct < 3; ct++) {
			igt_describe("create/map/write/read/unmap/close");
			igt_subtest_f("rw-%s-%s", type_name[t],
				      cache_name[ct]) {
				require_card();
				if (t == DRM_DXGKCOMPAT_PMO_SECTION &&
				    ct == DRM_DXGKCOMPAT_NON_CACHED) {
					struct drm_dxgkcompat_pmo_create c =
						create_args(t, ct, 4 * PAGE);

					expect_create(card_fd, &c, EINVAL,
						STATUS_INVALID_PARAMETER,
						"section non-cached");
				} else {
					rw_one(card_fd, t, ct, 4 * PAGE,
					       t * 3 + ct);
					rw_one(card_fd, t, ct, 3 * PAGE + 77,
					       t * 3 + ct + 100);
					rw_one(card_fd, t, ct, 1,
					       t * 3 + ct + 200);
				}
			}
		}
	}

	igt_describe("the PMO ioctls on the render node");
	igt_subtest("render-node") {
		struct drm_dxgkcompat_pmo_map m;
		uint32_t h;
		uint8_t *p;
		int fd;

		require_card();
		fd = open_node("renderD", 128, DXGK_DRIVER_NAME, NULL, 0);
		igt_require_f(fd >= 0, "no dxgkcompat render node\n");

		for (uint32_t t = 0; t < 3; t++)
			rw_one(fd, t, DRM_DXGKCOMPAT_CACHED, 2 * PAGE, 30 + t);

		h = create_pmo(fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_WRITE_COMBINED, 2 * PAGE);
		map_pmo(fd, h, 0, 2 * PAGE, &m);
		p = mmap_pmo(fd, h, 2 * PAGE);
		fill(data_of(&m), 2 * PAGE, 0, 40);
		check(p, 2 * PAGE, 0, 40, "render mmap");
		igt_assert_eq(munmap(p, 2 * PAGE), 0);
		unmap_pmo(fd, h, &m);
		gem_close(fd, h);
		close(fd);
	}

	igt_describe("GEM_CLOSE with live mappings");
	igt_subtest("close-while-mapped") {
		const uint64_t size = 2 * PAGE;
		struct drm_dxgkcompat_pmo_map m;
		struct counters base, during;
		uint32_t h;
		uint8_t *p;

		require_card();
		require_counters();
		igt_assert(read_counters(&base));

		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, size);
		map_pmo(card_fd, h, 0, size, &m);
		p = mmap_pmo(card_fd, h, size);
		gem_close(card_fd, h);

		/* both still work and still share the pages */
		fill(data_of(&m), size, 0, 50);
		check(p, size, 0, 50, "mmap after close");
		fill(p, size, 0, 51);
		check(data_of(&m), size, 0, 51, "map after close");
		igt_assert(read_counters(&during));
		igt_assert_f(during.objects == base.objects + 1,
			     "objects %lld with the mappings live, %lld "
			     "before create\n", during.objects, base.objects);

		/* the handle is gone */
		expect_unmap(card_fd, h, m.address, m.size, ENOENT,
			     STATUS_INVALID_HANDLE, "closed handle");

		igt_assert_eq(munmap((void *)(uintptr_t)m.address, m.size), 0);
		check(p, size, 0, 51, "mmap after munmap of map");
		igt_assert(read_counters(&during));
		igt_assert_eq(during.objects, base.objects + 1);
		igt_assert_eq(munmap(p, size), 0);
		assert_counters(&base, "after munmap of both");
	}

	igt_describe("a process exiting with live objects leaves nothing");
	igt_subtest("process-exit") {
		struct counters base;

		require_card();
		require_counters();
		igt_assert(read_counters(&base));

		igt_fork(child, 2) {
			int fd = open(card_path, O_RDWR | O_CLOEXEC);

			igt_assert(fd >= 0);
			for (uint32_t t = 0; t < 3; t++) {
				for (uint32_t ct = 0; ct < 3; ct++) {
					struct drm_dxgkcompat_pmo_map m;
					uint32_t h;
					uint8_t *p;

					if (t == DRM_DXGKCOMPAT_PMO_SECTION &&
					    ct == DRM_DXGKCOMPAT_NON_CACHED)
						continue;
					h = create_pmo(fd, t, ct, 3 * PAGE);
					map_pmo(fd, h, 0, 3 * PAGE, &m);
					fill(data_of(&m), 3 * PAGE, 0, child);
					p = mmap_pmo(fd, h, 3 * PAGE);
					check(p, 3 * PAGE, 0, child, "child");
					/* an extra object only mapped */
					if (ct == DRM_DXGKCOMPAT_CACHED) {
						h = create_pmo(fd, t, ct,
							       PAGE);
						map_pmo(fd, h, 0, PAGE, &m);
						gem_close(fd, h);
					}
				}
			}
			/* exit with everything live, fd not closed */
		}
		igt_waitchildren();
		assert_counters(&base, "after the children exited");
	}

	igt_describe("a SECTION shared with a forked child");
	igt_subtest("section-shared") {
		const uint64_t size = 4 * PAGE;
		struct drm_dxgkcompat_pmo_map m;
		uint32_t h;

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_SECTION,
			       DRM_DXGKCOMPAT_CACHED, size);
		map_pmo(card_fd, h, 0, size, &m);
		fill(data_of(&m), size, 0, 60);

		igt_fork(child, 1) {
			struct drm_dxgkcompat_pmo_map cm;
			unsigned char vec[4];

			/*
			 * First, before any map of the child could land on
			 * the same addresses: the parent's map is not here.
			 */
			igt_assert_f(mincore((void *)(uintptr_t)m.address,
					     m.size, vec) == -1 &&
				     errno == ENOMEM,
				     "parent's map inherited by the child\n");
			expect_unmap(card_fd, h, m.address, m.size, EINVAL,
				     STATUS_NOT_MAPPED_VIEW,
				     "child unmaps the parent's map");

			map_pmo(card_fd, h, 0, size, &cm);
			check(data_of(&cm), size, 0, 60, "child reads");
			fill(data_of(&cm), size, 0, 61);
			unmap_pmo(card_fd, h, &cm);
		}
		igt_waitchildren();

		check(data_of(&m), size, 0, 61, "parent sees child's data");
		unmap_pmo(card_fd, h, &m);
		gem_close(card_fd, h);
	}

	igt_describe("PRIME export to vgem");
	igt_subtest("prime-vgem") {
		const uint64_t size = 16 * PAGE;
		struct drm_prime_handle exp = {
			.flags = DRM_CLOEXEC | DRM_RDWR,
		};
		struct drm_prime_handle imp = { }, reexp = { };
		struct stat st_exp, st_re;
		struct drm_dxgkcompat_pmo_map m;
		int vgem, ret;
		uint8_t *p;

		require_card();
		vgem = open_vgem();

		exp.handle = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
					DRM_DXGKCOMPAT_CACHED, size);
		map_pmo(card_fd, exp.handle, 0, size, &m);
		fill(data_of(&m), size, 0, 70);

		ret = do_ioctl(card_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp);
		igt_assert_f(ret == 0, "PRIME_HANDLE_TO_FD: %d (%s)\n", ret,
			     strerror(-ret));
		igt_assert(exp.fd >= 0);

		imp.fd = exp.fd;
		ret = do_ioctl(vgem, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
		igt_assert_f(ret == 0, "vgem PRIME_FD_TO_HANDLE: %d (%s)\n",
			     ret, strerror(-ret));
		igt_assert_neq_u32(imp.handle, 0);

		/*
		 * The DRM core refuses MODE_MAP_DUMB on imported objects
		 * (drm_gem_dumb_map_offset), so vgem shows its import to the
		 * CPU the only way it can: re-exported as a dma-buf. It must
		 * be the very buffer we exported, with our bytes, and writes
		 * through it must land in the PMO.
		 */
		reexp.handle = imp.handle;
		reexp.flags = DRM_CLOEXEC | DRM_RDWR;
		ret = do_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &reexp);
		igt_assert_f(ret == 0, "vgem PRIME_HANDLE_TO_FD of the import: "
			     "%d (%s)\n", ret, strerror(-ret));
		igt_assert_eq(fstat(exp.fd, &st_exp), 0);
		igt_assert_eq(fstat(reexp.fd, &st_re), 0);
		igt_assert_eq_u64(st_exp.st_ino, st_re.st_ino);
		p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED,
			 reexp.fd, 0);
		igt_assert_f(p != MAP_FAILED, "mmap of vgem's dma-buf: %s\n",
			     strerror(errno));
		check(p, size, 0, 70, "vgem's view of the import");
		fill(p, size, 0, 71);
		check(data_of(&m), size, 0, 71, "PMO after a write through vgem");
		igt_assert_eq(munmap(p, size), 0);
		close(reexp.fd);

		unmap_pmo(card_fd, exp.handle, &m);
		gem_close(card_fd, exp.handle);
		close(exp.fd);
		close(vgem);
	}

	igt_describe("PRIME import of a vgem buffer is refused");
	igt_describe("PRIME export of contiguous pages to vgem");
	igt_subtest("prime-vgem-contiguous") {
		const uint64_t size = 2ull << 20;
		struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
		struct drm_prime_handle imp = { }, reexp = { .flags = DRM_CLOEXEC };
		struct drm_dxgkcompat_pmo_create c;
		struct drm_dxgkcompat_pmo_map m;
		int vgem;
		uint8_t *p;

		require_card();
		vgem = open_vgem();
		c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size);
		c.mm_flags = 0x10;	/* MM_ALLOCATE_PREFER_CONTIGUOUS */
		igt_assert_eq(pmo_create(card_fd, &c), 0);
		map_pmo(card_fd, c.handle, 0, size, &m);
		fill(data_of(&m), size, 0, 72);
		exp.handle = c.handle;
		igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp), 0);
		imp.fd = exp.fd;
		igt_assert_eq(do_ioctl(vgem, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp), 0);
		reexp.handle = imp.handle;
		igt_assert_eq(do_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &reexp), 0);
		p = mmap(NULL, size, PROT_READ, MAP_SHARED, reexp.fd, 0);
		igt_assert(p != MAP_FAILED);
		check(p, size, 0, 72, "vgem's view of a contiguous import");
		igt_assert_eq(munmap(p, size), 0);
		close(reexp.fd);
		gem_close(vgem, imp.handle);
		unmap_pmo(card_fd, c.handle, &m);
		gem_close(card_fd, c.handle);
		close(exp.fd);
		close(vgem);
	}

	igt_subtest("prime-import-refused") {
		struct drm_mode_create_dumb cd = {
			.width = 64, .height = 64, .bpp = 32,
		};
		struct drm_prime_handle exp = {
			.flags = DRM_CLOEXEC | DRM_RDWR,
		};
		struct drm_prime_handle imp = { };
		int vgem, ret;

		require_card();
		vgem = open_vgem();
		igt_assert_eq(do_ioctl(vgem, DRM_IOCTL_MODE_CREATE_DUMB, &cd),
			      0);
		exp.handle = cd.handle;
		igt_assert_eq(do_ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD,
				       &exp), 0);

		imp.fd = exp.fd;
		ret = do_ioctl(card_fd, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
		if (ret == 0)
			gem_close(card_fd, imp.handle);
		igt_assert_f(ret == -EINVAL,
			     "import of a vgem dma-buf: %d (%s) handle %u\n",
			     ret, strerror(-ret), imp.handle);
		close(exp.fd);
		close(vgem);
	}

	igt_describe("allocate 1 MiB MDL objects until refused");
	igt_subtest("alloc-until-failure") {
		struct drm_dxgkcompat_pmo_create c;
		struct counters base;
		int n = 0, ret = 0, other_ok = 0;
		long long expected;

		require_card();
		require_counters();
		igt_assert(read_counters(&base));

		while (n < ALLOC_CAP) {
			c = create_args(DRM_DXGKCOMPAT_PMO_MDL,
					DRM_DXGKCOMPAT_CACHED, ALLOC_CHUNK);
			ret = pmo_create(card_fd, &c);
			if (ret)
				break;
			igt_assert_eq_u32(c.ntstatus, STATUS_SUCCESS);
			alloc_handles[n++] = c.handle;
		}
		igt_info("%d MiB allocated before the create failed with %d "
			 "(%s), ntstatus %#x\n", n, ret, strerror(-ret),
			 c.ntstatus);
		expected = expected_alloc_mib(&base);
		if (user_alloc_mib() < expected)
			expected = user_alloc_mib();
		if (file_alloc_mib() < expected)
			expected = file_alloc_mib();

		/*
		 * The file's cap stopped it: another file still has room, up
		 * to what all user objects may hold (the rest of the driver's
		 * cap stays for the miniports).
		 */
		if (ret == -ENOMEM && n < expected_alloc_mib(&base)) {
			int fd2 = open(card_path, O_RDWR | O_CLOEXEC);
			long long want2 = user_alloc_mib() - n;
			struct drm_dxgkcompat_pmo_create c2;
			int n2 = 0;

			igt_assert(fd2 >= 0);
			if (want2 > expected_alloc_mib(&base) - n)
				want2 = expected_alloc_mib(&base) - n;
			do {
				c2 = create_args(DRM_DXGKCOMPAT_PMO_MDL,
						 DRM_DXGKCOMPAT_CACHED, ALLOC_CHUNK);
				other_ok = pmo_create(fd2, &c2);
			} while (!other_ok && ++n2 < ALLOC_CAP);
			igt_info("a second file created %d MiB more; all user "
				 "objects may hold %lld\n", n2, user_alloc_mib());
			close(fd2);
			igt_assert_f(n2 == want2, "second file: %d MiB, expected %lld\n",
				     n2, want2);
			igt_assert_f(other_ok == -ENOMEM, "second file: %d\n", other_ok);
			other_ok = n2 ? 0 : -1;
		}

		for (int i = 0; i < n; i++)
			gem_close(card_fd, alloc_handles[i]);

		igt_assert_f(n < ALLOC_CAP, "%d MiB allocated, never refused\n",
			     n);
		igt_assert_f(n > 0, "not even 1 MiB\n");
		/*
		 * The memory cap decides where it stops: max_memory_percent
		 * of RAM (totalram pages / 100 * percent, as the driver
		 * computes it), less the pages already held.
		 */
		igt_assert_f(ret == -ENOMEM && c.ntstatus == STATUS_NO_MEMORY,
			     "create failed with %d (%s) ntstatus %#x, "
			     "expected ENOMEM %#x\n", ret, strerror(-ret),
			     c.ntstatus, STATUS_NO_MEMORY);
		igt_assert_f(n == expected,
			     "refused after %d MiB; the caps allow %lld (all "
			     "objects %lld, one file %lld)\n", n, expected,
			     expected_alloc_mib(&base), file_alloc_mib());
		igt_assert_f(!other_ok, "a second file could not create while "
			     "the first was full (%d)\n", other_ok);
		assert_counters(&base, "after closing all");

		/* and the memory is usable again */
		rw_one(card_fd, DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
		       ALLOC_CHUNK, 80);
	}

	igt_describe("cache mode of user page-table entries (test ioctl)");
	igt_subtest("user-pte-cache-mode") {
		require_card();
		require_test_ioctls(card_fd);
		for (uint32_t type = 0; type < 3; type++) {
			for (uint32_t cache = 0; cache < 3; cache++) {
				const uint64_t size = 3 * PAGE;
				struct drm_dxgkcompat_pmo_map m;
				uint32_t h;
				uint8_t *p;

				if (type == DRM_DXGKCOMPAT_PMO_SECTION &&
				    cache == DRM_DXGKCOMPAT_NON_CACHED)
					continue;
				h = create_pmo(card_fd, type, cache, size);
				map_pmo(card_fd, h, PAGE, size - PAGE, &m);
				data_of(&m)[0] = 1;
				igt_assert_f(test_pte(card_fd, m.address) ==
					     pte_mode_of_cache[cache],
					     "%s/%s PMO_MAP: PTE mode %d, want %d\n",
					     type_name[type], cache_name[cache],
					     test_pte(card_fd, m.address),
					     pte_mode_of_cache[cache]);
				p = mmap_pmo(card_fd, h, size);
				p[0] = 1;
				igt_assert_eq(test_pte(card_fd, (uintptr_t)p),
					      pte_mode_of_cache[cache]);
				igt_assert_eq(munmap(p, size), 0);
				unmap_pmo(card_fd, h, &m);
				gem_close(card_fd, h);
			}
		}
	}

	igt_describe("DxgkCbMapPhysicalMemory(USER_MODE) in this process");
	igt_subtest("callback-user-map") {
		const uint64_t size = 4 * PAGE;
		struct counters before, after;

		require_card();
		require_test_ioctls(card_fd);
		require_counters();
		igt_assert(read_counters(&before));
		for (uint32_t type = 0; type < 3; type++) {
			for (uint32_t cache = 0; cache < 3; cache++) {
				struct drm_dxgkcompat_test_cb_map cb = { 0 };
				struct drm_dxgkcompat_pmo_map m;
				uint8_t *p;
				uint32_t h;

				if (type == DRM_DXGKCOMPAT_PMO_SECTION &&
				    cache == DRM_DXGKCOMPAT_NON_CACHED)
					continue;
				h = create_pmo(card_fd, type, cache, size);
				map_pmo(card_fd, h, 0, size, &m);
				fill(data_of(&m), size, 0, 90 + type * 3 + cache);

				cb.handle = h;
				cb.offset = PAGE + 17;
				cb.size = 100;
				igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP,
						       &cb), 0);
				igt_assert_eq_u32(cb.ntstatus, STATUS_SUCCESS);
				igt_assert_eq_u64(cb.address % PAGE, 0);
				igt_assert_eq_u64(cb.offset, 17);
				igt_assert_eq_u64(cb.size, PAGE);
				p = (uint8_t *)(uintptr_t)cb.address;
				check(p + cb.offset, 100, PAGE + 17,
				      90 + type * 3 + cache, "callback USER_MODE map");
				igt_assert_f(test_pte(card_fd, cb.address) ==
					     pte_mode_of_cache[cache],
					     "%s/%s callback map: PTE mode %d\n",
					     type_name[type], cache_name[cache],
					     test_pte(card_fd, cb.address));

				cb.unmap = 1;
				igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP,
						       &cb), 0);
				assert_unmapped(cb.address, PAGE);
				unmap_pmo(card_fd, h, &m);
				gem_close(card_fd, h);
			}
		}
		igt_assert(read_counters(&after));
		igt_assert_eq(after.misuse, before.misuse);
	}

	igt_describe("test-only ioctls require CAP_SYS_ADMIN");
	igt_subtest("test-ioctls-need-cap-sys-admin") {
		require_card();
		require_test_ioctls(card_fd);
		igt_fork(child, 1) {
			struct drm_dxgkcompat_test_pte t = { .address = 0 };

			igt_assert_eq(setresuid(65534, 65534, 65534), 0);
			igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_TEST_PTE, &t),
				      -EPERM);
			igt_assert_eq_u32(t.ntstatus, 0xC0000022);
		}
		igt_waitchildren();
	}

	igt_describe("GEM_CLOSE with a live callback USER_MODE mapping");
	igt_subtest("close-callback-mapped") {
		const uint64_t size = 2 * PAGE;
		struct drm_dxgkcompat_test_cb_map cb = { 0 };
		struct counters before, mid, after;
		uint8_t *p;

		require_card();
		require_test_ioctls(card_fd);
		require_counters();
		igt_assert(read_counters(&before));
		cb.handle = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
				       DRM_DXGKCOMPAT_CACHED, size);
		cb.size = size;
		igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &cb), 0);
		p = (uint8_t *)(uintptr_t)cb.address;
		fill(p, size, 0, 70);

		gem_close(card_fd, cb.handle);
		check(p, size, 0, 70, "callback map after GEM_CLOSE");
		igt_assert(read_counters(&mid));
		igt_assert_f(mid.misuse == before.misuse,
			     "GEM_CLOSE counted as misuse (%lld -> %lld)\n",
			     before.misuse, mid.misuse);
		igt_assert_eq(mid.objects, before.objects + 1);

		igt_assert_eq(munmap(p, size), 0);
		assert_counters(&before, "after the callback map went");
		igt_assert(read_counters(&after));
		igt_assert_eq(after.misuse, before.misuse);
	}

	igt_describe("mappings obey the object's page protection");
	igt_subtest("page-protection") {
		enum { R = PROT_READ, W = PROT_WRITE, X = PROT_EXEC };
		static const struct {
			uint32_t type, prot;
			int allowed;
			const char *perms;
		} rows[] = {
			{ DRM_DXGKCOMPAT_PMO_MDL, 0, R | W, "rw-s" },
			{ DRM_DXGKCOMPAT_PMO_SECTION, PAGE_READWRITE, R | W, "rw-s" },
			{ DRM_DXGKCOMPAT_PMO_SECTION, PAGE_READONLY, R, "r--s" },
			{ DRM_DXGKCOMPAT_PMO_SECTION, PAGE_EXECUTE, R | X, "r-xs" },
		};
		static const int asks[] = { R, W, R | W, R | X, R | W | X };
		const uint64_t size = 2 * PAGE;
		struct drm_dxgkcompat_pmo_create c;
		bool cb_ok;

		require_card();
		cb_ok = do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_TEST_PTE,
				 &(struct drm_dxgkcompat_test_pte){ 0 }) != -EOPNOTSUPP;
		for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
			struct drm_dxgkcompat_pmo_map m;
			const char *want;
			char perms[5];
			uint64_t off;
			uint32_t h;
			void *p;

			c = create_args(rows[i].type, DRM_DXGKCOMPAT_CACHED, size);
			if (rows[i].prot)
				c.page_protection = rows[i].prot;
			igt_assert_eq(pmo_create(card_fd, &c), 0);
			h = c.handle;
			off = mmap_offset(card_fd, h);

			for (size_t j = 0; j < ARRAY_SIZE(asks); j++) {
				bool ok = !(asks[j] & ~rows[i].allowed);

				p = mmap(NULL, size, asks[j], MAP_SHARED, card_fd, off);
				igt_assert_f(ok ? p != MAP_FAILED :
					     p == MAP_FAILED && errno == EACCES,
					     "row %zu: mmap prot %#x: %s\n", i,
					     asks[j], p == MAP_FAILED ?
					     strerror(errno) : "mapped");
				if (p != MAP_FAILED)
					igt_assert_eq(munmap(p, size), 0);
			}

			p = mmap(NULL, size, PROT_READ, MAP_SHARED, card_fd, off);
			igt_assert(p != MAP_FAILED);
			for (size_t j = 0; j < ARRAY_SIZE(asks); j++) {
				bool ok = !(asks[j] & ~rows[i].allowed);
				int ret = mprotect(p, size, asks[j]);

				igt_assert_f(ok ? ret == 0 : ret == -1 && errno == EACCES,
					     "row %zu: mprotect to %#x: %d (%s)\n",
					     i, asks[j], ret, strerror(errno));
			}
			igt_assert_eq(munmap(p, size), 0);

			map_pmo(card_fd, h, 0, size, &m);
			maps_perms(m.address, perms);
			igt_assert_f(!strcmp(perms, rows[i].perms),
				     "row %zu: PMO_MAP is %s, want %s\n", i, perms,
				     rows[i].perms);
			unmap_pmo(card_fd, h, &m);

			if (cb_ok) {
				struct drm_dxgkcompat_test_cb_map cb = {
					.handle = h, .size = size,
				};

				igt_assert_eq(do_ioctl(card_fd,
						       DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &cb), 0);
				maps_perms(cb.address, perms);
				/*
				 * Newer kernels' anonymous inodes (the
				 * callback maps one) are noexec: no x.
				 */
				want = rows[i].perms;
				if ((rows[i].allowed & X) && anon_inodes_noexec())
					want = "r--s";
				igt_assert_f(!strcmp(perms, want),
					     "row %zu: callback map is %s, want %s\n",
					     i, perms, want);
				cb.unmap = 1;
				igt_assert_eq(do_ioctl(card_fd,
						       DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP, &cb), 0);
			}
			if (!(rows[i].allowed & W)) {
				struct drm_dxgkcompat_copy cp = {
					.src_handle = create_pmo(card_fd,
								 DRM_DXGKCOMPAT_PMO_MDL,
								 DRM_DXGKCOMPAT_CACHED, size),
					.dst_handle = h, .size = PAGE,
				};
				struct drm_prime_handle exp = {
					.handle = h, .flags = DRM_CLOEXEC,
				};
				struct drm_prime_handle imp = { };
				int vgem = open_node("card", 0, "vgem", NULL, 0);

				igt_assert_f(do_ioctl(card_fd, DRM_IOCTL_DXGKCOMPAT_COPY, &cp) ==
					     -EACCES && cp.ntstatus == STATUS_ACCESS_DENIED,
					     "row %zu: COPY into it: ntstatus %#x\n", i,
					     cp.ntstatus);
				gem_close(card_fd, cp.src_handle);
				igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD,
						       &exp), 0);
				if (vgem >= 0) {
					int r;

					imp.fd = exp.fd;
					r = do_ioctl(vgem, DRM_IOCTL_PRIME_FD_TO_HANDLE, &imp);
					/*
					 * An importer that maps the pages at
					 * import (vgem up to 6.12) is refused
					 * there. A newer vgem (7.2) imports
					 * without mapping them (the shmem
					 * helper's no-map import), so the
					 * refusal comes with its first mapping
					 * for a device write; what it holds
					 * is our dma-buf, and that must stay
					 * read-only to a CPU mapping.
					 */
					if (r == 0 && vgem_imports_unmapped()) {
						struct drm_prime_handle back = {
							.handle = imp.handle,
							.flags = DRM_CLOEXEC,
						};
						void *q;

						igt_assert_eq(do_ioctl(vgem,
								       DRM_IOCTL_PRIME_HANDLE_TO_FD,
								       &back), 0);
						q = mmap(NULL, size, PROT_READ | PROT_WRITE,
							 MAP_SHARED, back.fd, 0);
						igt_assert_f(q == MAP_FAILED && errno == EACCES,
							     "row %zu: writable through vgem's import\n",
							     i);
						close(back.fd);
						gem_close(vgem, imp.handle);
					} else {
						igt_assert_f(r == -EACCES,
							     "row %zu: vgem import: %d\n", i, r);
					}
					close(vgem);
				}
				close(exp.fd);
			}
			gem_close(card_fd, h);
		}

		c = create_args(DRM_DXGKCOMPAT_PMO_SECTION, DRM_DXGKCOMPAT_CACHED, PAGE);
		c.page_protection = PAGE_WRITECOPY;
		expect_create(card_fd, &c, EOPNOTSUPP, STATUS_NOT_SUPPORTED,
			      "PAGE_WRITECOPY section");
	}

	igt_describe("PMO mappings are not inherited across fork");
	igt_subtest("fork-not-inherited") {
		struct drm_prime_handle exp = { .flags = DRM_CLOEXEC | DRM_RDWR };
		struct drm_dxgkcompat_pmo_map m;
		uint8_t *p, *q;
		uint32_t h;

		require_card();
		h = create_pmo(card_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, PAGE);
		map_pmo(card_fd, h, 0, PAGE, &m);
		p = mmap_pmo(card_fd, h, PAGE);
		exp.handle = h;
		igt_assert_eq(do_ioctl(card_fd, DRM_IOCTL_PRIME_HANDLE_TO_FD, &exp), 0);
		q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, exp.fd, 0);
		igt_assert(q != MAP_FAILED);
		p[0] = 1;
		q[0] = 2;
		data_of(&m)[0] = 3;

		igt_assert_f(madvise(p, PAGE, MADV_DOFORK) == -1 && errno == EINVAL,
			     "MADV_DOFORK on the mmap: %s\n", strerror(errno));
		igt_assert_f(madvise((void *)(uintptr_t)m.address, PAGE,
				     MADV_DOFORK) == -1 && errno == EINVAL,
			     "MADV_DOFORK on PMO_MAP's mapping\n");
		igt_fork(child, 1) {
			unsigned char vec[1];

			igt_assert_f(mincore(p, PAGE, vec) == -1 && errno == ENOMEM,
				     "mmap of the GEM offset inherited\n");
			igt_assert_f(mincore(q, PAGE, vec) == -1 && errno == ENOMEM,
				     "mmap of the PRIME fd inherited\n");
			igt_assert_f(mincore((void *)(uintptr_t)m.address, PAGE,
					     vec) == -1 && errno == ENOMEM,
				     "PMO_MAP mapping inherited\n");
		}
		igt_waitchildren();
		igt_assert_eq(p[0], 3);
		igt_assert_eq(munmap(q, PAGE), 0);
		igt_assert_eq(munmap(p, PAGE), 0);
		close(exp.fd);
		unmap_pmo(card_fd, h, &m);
		gem_close(card_fd, h);
	}

	igt_describe("what a caller without CAP_SYS_ADMIN may create");
	igt_subtest("unprivileged-create-policy") {
		require_card();
		igt_fork(child, 1) {
			static const struct {
				const char *what;
				uint32_t type, flags;
				uint64_t low, high, skip;
			} refused[] = {
				{ "CONTIGUOUS", DRM_DXGKCOMPAT_PMO_CONTIGUOUS, 0, 0, MAX_PHYS, 0 },
				{ "MDL low 16 MiB", DRM_DXGKCOMPAT_PMO_MDL, 0, 16 << 20, MAX_PHYS, 0 },
				{ "MDL SkipBytes", DRM_DXGKCOMPAT_PMO_MDL, 0, 0, MAX_PHYS, 1 << 20 },
				{ "MDL high 16 MiB - 1", DRM_DXGKCOMPAT_PMO_MDL, 0, 0,
				  (16 << 20) - 1, 0 },
				{ "MDL high 1 page", DRM_DXGKCOMPAT_PMO_MDL, 0, 0, PAGE - 1, 0 },
				{ "MDL chunks", DRM_DXGKCOMPAT_PMO_MDL,
				  MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, 0, MAX_PHYS, 0 },
				{ "MDL prefer contiguous", DRM_DXGKCOMPAT_PMO_MDL,
				  0x10, 0, MAX_PHYS, 0 },
				{ "MDL local node only", DRM_DXGKCOMPAT_PMO_MDL,
				  0x02, 0, MAX_PHYS, 0 },
			};
			struct drm_dxgkcompat_pmo_create c;

			become_nobody();
			for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
				c = create_args(refused[i].type, DRM_DXGKCOMPAT_CACHED, PAGE);
				c.mm_flags = refused[i].flags;
				c.low_address = refused[i].low;
				c.high_address = refused[i].high;
				c.skip_bytes = refused[i].skip;
				expect_create(card_fd, &c, EPERM, STATUS_ACCESS_DENIED,
					      refused[i].what);
			}
			c = create_args(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE);
			expect_create(card_fd, &c, 0, STATUS_SUCCESS, "MDL anywhere");
			c.high_address = ~0ull;
			expect_create(card_fd, &c, 0, STATUS_SUCCESS, "MDL high ~0");
			c = create_args(DRM_DXGKCOMPAT_PMO_SECTION, DRM_DXGKCOMPAT_WRITE_COMBINED,
					PAGE);
			expect_create(card_fd, &c, 0, STATUS_SUCCESS, "SECTION");
		}
		igt_waitchildren();
	}

	igt_describe("a memory cgroup's limit holds for PMOs");
	igt_subtest("memcg-limit") {
		const char *cg = "/sys/fs/cgroup/dxgk-memcg-test";
		char path[128], line[128];
		int status, pipefd[2];
		long long oom_kills = -1;
		struct { int n, ret; uint32_t st; } r = { 0 };
		pid_t pid;
		FILE *f;

		require_card();
		igt_assert(dxgk_as_root());	/* cgroup setup */
		if (access("/sys/fs/cgroup/cgroup.controllers", F_OK))
			mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL);
		f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");
		if (!f) {
			dxgk_as_user();
			igt_skip("no cgroup v2\n");
		}
		fputs("+memory", f);
		if (fclose(f)) {
			dxgk_as_user();
			igt_skip("no memory controller\n");
		}
		igt_assert(mkdir(cg, 0755) == 0 || errno == EEXIST);
		snprintf(path, sizeof(path), "%s/memory.max", cg);
		f = fopen(path, "w");
		igt_assert(f);
		fprintf(f, "%d\n", 64 << 20);
		igt_assert_eq(fclose(f), 0);
		igt_assert_eq(pipe(pipefd), 0);

		pid = fork();
		igt_assert(pid >= 0);
		if (pid == 0) {
			/* Its own file: handles on card_fd would outlive it. */
			int fd = open(card_path, O_RDWR | O_CLOEXEC);
			struct drm_dxgkcompat_pmo_create c;

			if (fd < 0)
				_exit(1);
			snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
			f = fopen(path, "w");
			if (!f || fprintf(f, "%d\n", getpid()) < 0 || fclose(f))
				_exit(2);
			if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
			    setresuid(65534, 65534, 65534))
				_exit(3);
			while (r.n < ALLOC_CAP) {
				c = create_args(DRM_DXGKCOMPAT_PMO_MDL,
						DRM_DXGKCOMPAT_CACHED, ALLOC_CHUNK);
				r.ret = pmo_create(fd, &c);
				r.st = c.ntstatus;
				if (r.ret)
					break;
				r.n++;
			}
			if (write(pipefd[1], &r, sizeof(r)) != sizeof(r))
				_exit(4);
			_exit(0);	/* exit frees every object */
		}
		close(pipefd[1]);
		igt_assert_eq(read(pipefd[0], &r, sizeof(r)), (ssize_t)sizeof(r));
		close(pipefd[0]);
		igt_assert_eq(waitpid(pid, &status, 0), pid);
		snprintf(path, sizeof(path), "%s/memory.events", cg);
		f = fopen(path, "r");
		igt_assert(f);
		while (fgets(line, sizeof(line), f))
			sscanf(line, "oom_kill %lld", &oom_kills);
		fclose(f);
		rmdir(cg);
		dxgk_as_user();

		igt_info("%d MiB created in a 64 MiB cgroup; then %d (%s), %#x\n",
			 r.n, r.ret, strerror(-r.ret), r.st);
		igt_assert_f(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			     "child status %#x\n", status);
		igt_assert_eq(oom_kills, 0);
		igt_assert_f(r.ret == -ENOMEM && r.st == STATUS_NO_MEMORY,
			     "create failed with %d (%s) ntstatus %#x\n", r.ret,
			     strerror(-r.ret), r.st);
		igt_assert_f(r.n > 0 && r.n <= 64, "%d MiB created in a 64 MiB cgroup\n",
			     r.n);
	}

	igt_describe("counters back to where they were at the start");
	igt_subtest("counters-baseline") {
		require_card();
		require_counters();
		assert_counters(&start_counters, "end of test");
	}

	igt_fixture {
		close_card(0);
	}
}
