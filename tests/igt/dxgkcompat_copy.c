// SPDX-License-Identifier: MIT
/**
 * TEST: dxgkcompat copy
 * Category: Core
 * Mega feature: dxgkcompat
 * Sub-category: DMA
 * Functionality: device copies through ADLs and the IOMMU
 * Description: DRM_IOCTL_DXGKCOMPAT_COPY on the dxgk_edu adapter: the port
 *	obtains ADLs for both objects and passes them to the miniport in
 *	paging operations (MAP_APERTURE_SEGMENT2, TRANSFER); QEMU's edu device
 *	copies through its 4 KiB buffer with DMA, one transfer per 100 ms of
 *	virtual time, completing by MSI through DxgkDdiInterruptRoutine,
 *	DxgkCbQueueDpc and DxgkDdiDpcRoutine. Data is checked with the CPU
 *	through user mappings. Also: the timeout path, and the isolation proof
 *	(a DMA to device addresses no ADL covers faults in the IOMMU).
 *
 * SUBTEST: copy-invalid
 * Description: COPY argument validation: bad handles (ENOENT,
 *	STATUS_INVALID_HANDLE), a non-zero pad and size 0 (EINVAL,
 *	STATUS_INVALID_PARAMETER), offset + size wrapping (EOVERFLOW,
 *	STATUS_INTEGER_OVERFLOW), a range past an object (EINVAL,
 *	STATUS_INVALID_VIEW_SIZE), overlapping ranges of one object (EINVAL).
 *
 * SUBTEST: copy-unsupported-virt
 * Description: The dxgk_virt miniport has no paging engine: EOPNOTSUPP,
 *	STATUS_NOT_SUPPORTED.
 *
 * SUBTEST: copy-sizes
 * Description: Copies of 1 byte to 64 KiB at unaligned source and
 *	destination offsets; the bytes copied match and the bytes around the
 *	destination range are unchanged. Without IOMMU translation, objects
 *	are allocated below the device's DMA mask (as Dxgkrnl does for a device
 *	without remapping) here and in the tests below, and SECTIONs (whose
 *	pages cannot be placed) are replaced by MDLs.
 *
 * SUBTEST: copy-cache-%s-%s
 * Description: A 5000-byte unaligned copy from an object of the first
 *	cache type to one of the second, each written and checked through a
 *	PMO_MAP mapping of its own cache type.
 *
 * SUBTEST: copy-sampled-windows
 * Description: Two 64 MiB objects (16 MiB without translation, where they
 *	must fit below 256 MiB): sampled 4 KiB windows (first, last, spread,
 *	unaligned) are copied and checked, not the whole objects.
 *
 * SUBTEST: copy-above-dma-limit
 * Description: Objects whose pages lie above edu's 28-bit (256 MiB) DMA
 *	limit. With IOMMU translation they are copied correctly (the IOMMU
 *	remaps); without (intel_iommu=off, iommu=pt) the copy is refused with
 *	ENOSPC and STATUS_INSUFFICIENT_RESOURCES rather than truncated.
 *
 * SUBTEST: copy-timeout
 * Description: edu's test hook drops a submission, so the fence never
 *	completes: the copy fails with ETIMEDOUT and STATUS_IO_TIMEOUT after
 *	tdr_delay_ms, the engine is reset, the timeout is counted in debugfs,
 *	and the next copy works.
 *
 * SUBTEST: isolation-freed-adl
 * Description: With IOMMU translation: the device writes to the device
 *	address of an ADL that was freed (test-only TEST_STALE_DMA ioctl); the
 *	IOMMU reports a DMAR fault at exactly that address (read from the
 *	kernel log) and the page is unchanged. Without translation the ioctl
 *	refuses (EOPNOTSUPP, STATUS_NOT_SUPPORTED).
 *
 * SUBTEST: isolation-never-mapped
 * Description: As isolation-freed-adl, with the page's physical address,
 *	which no ADL ever mapped for the device.
 *
 * SUBTEST: copy-fairness
 * Description: Two processes copy on the adapter at once: a 128 KiB copy
 *	(two 64 KiB passes, seconds on edu), then, once it runs, a 100-byte
 *	one. The port takes its paging lock per pass, so the short copy waits
 *	for at most the pass in flight and ends before the long one; both
 *	copies are right.
 *
 * SUBTEST: copy-bounced
 * Description: Under swiotlb=force (the DXGK_IOMMU=swiotlb test box) the
 *	adapter reports DRM_DXGKCOMPAT_DMA_BOUNCED and a copy is refused with
 *	ENOSPC and STATUS_INSUFFICIENT_RESOURCES, the destination untouched
 *	(the device would have written a bounce buffer); everywhere else the
 *	flag is clear and the copy lands.
 *
 * SUBTEST: objects-released
 * Description: At the end, the debugfs object counter is back to its start.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xf86drm.h>

#include "igt.h"
#include "dxgkcompat_drm.h"
#include "dxgk_user.h"

#define MAX_NODES			64
#define PAGE				4096ull
#define MAX_PHYS			0x7fffffffffffffffull
#define EDU_LIMIT			(1ull << 28)

#define STATUS_SUCCESS			0x00000000u
#define STATUS_INVALID_HANDLE		0xC0000008u
#define STATUS_INVALID_PARAMETER	0xC000000Du
#define STATUS_INVALID_VIEW_SIZE	0xC000001Fu
#define STATUS_INTEGER_OVERFLOW		0xC0000095u
#define STATUS_INSUFFICIENT_RESOURCES	0xC000009Au
#define STATUS_IO_TIMEOUT		0xC00000B5u
#define STATUS_NOT_SUPPORTED		0xC00000BBu

#define EDU_HANG_PARAM	"/sys/module/dxgk_edu/parameters/hang_submissions"
#define TDR_PARAM	"/sys/module/dxgkcompat/parameters/tdr_delay_ms"
#define ADAPTERS_PATH	"/sys/kernel/debug/dxgkcompat/adapters"
#define COUNTERS_PATH	"/sys/kernel/debug/dxgkcompat/counters"

static int edu_fd = -1;
static struct drm_dxgkcompat_adapter_info edu_info;
static long long start_objects = -1;

static const char *const cache_name[] = {
	"non-cached", "cached", "write-combined"
};

/* As root only for what needs CAP_SYS_ADMIN (dxgk_user.h). */
static int do_ioctl(int fd, unsigned long cmd, void *arg)
{
	return dxgk_ioctl(fd, cmd, arg);
}

static bool is_dxgkcompat(int fd)
{
	drmVersionPtr v = drmGetVersion(fd);
	bool ok;

	if (!v)
		return false;
	ok = v->name_len == 10 && !strncmp(v->name, "dxgkcompat", 10);
	drmFreeVersion(v);
	return ok;
}

/* The card of our driver whose miniport is @miniport, or -1. */
static int open_adapter(const char *miniport,
			struct drm_dxgkcompat_adapter_info *info)
{
	for (int i = 0; i < MAX_NODES; i++) {
		char p[64];
		int fd;

		snprintf(p, sizeof(p), "/dev/dri/card%d", i);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(info, 0, sizeof(*info));
		if (is_dxgkcompat(fd) &&
		    !do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, info) &&
		    !strncmp(info->miniport_name, miniport,
			     sizeof(info->miniport_name)))
			return fd;
		close(fd);
	}
	return -1;
}

static long long read_objects(void)
{
	char line[128];
	long long v = -1;
	FILE *f = dxgk_fopen_root(COUNTERS_PATH, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "objects %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

/* An object of @type/@cache, @size bytes, pages in [low, high]. */
static uint32_t create_pmo(int fd, uint32_t type, uint32_t cache,
			   uint64_t size, uint64_t low, uint64_t high)
{
	struct drm_dxgkcompat_pmo_create c = {
		.size = size, .type = type, .cache_type = cache,
	};

	if (type == DRM_DXGKCOMPAT_PMO_SECTION) {
		c.page_protection = 0x04;	/* PAGE_READWRITE */
	} else {
		c.low_address = low;
		c.high_address = high;
	}
	igt_assert_f(do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_CREATE, &c) == 0,
		     "create type %u cache %u size %llu: status %#x\n", type,
		     cache, (unsigned long long)size, c.ntstatus);
	return c.handle;
}

static uint8_t *map_pmo(int fd, uint32_t handle, uint64_t size)
{
	struct drm_dxgkcompat_pmo_map m = {
		.handle = handle, .offset = 0, .size = size,
	};

	igt_assert_eq(do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_MAP, &m), 0);
	return (uint8_t *)(uintptr_t)m.address;
}

static void unmap_pmo(int fd, uint32_t handle, uint8_t *p, uint64_t size)
{
	struct drm_dxgkcompat_pmo_unmap u = {
		.handle = handle, .address = (uintptr_t)p,
		.size = (size + PAGE - 1) & ~(PAGE - 1),
	};

	igt_assert_eq(do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP, &u), 0);
}

static void close_gem(int fd, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	igt_assert_eq(do_ioctl(fd, DRM_IOCTL_GEM_CLOSE, &c), 0);
}

/* An object on the edu adapter and its PMO_MAP mapping. */
struct obj {
	uint32_t handle;
	uint8_t *map;
	uint64_t size;
};

static struct obj obj_new(uint32_t type, uint32_t cache, uint64_t size,
			  uint64_t low, uint64_t high)
{
	struct obj o = {
		.handle = create_pmo(edu_fd, type, cache, size, low, high),
		.size = size,
	};

	o.map = map_pmo(edu_fd, o.handle, size);
	return o;
}

static void obj_free(struct obj *o)
{
	unmap_pmo(edu_fd, o->handle, o->map, o->size);
	close_gem(edu_fd, o->handle);
}

static int copy(int fd, uint32_t src, uint64_t src_off, uint32_t dst,
		uint64_t dst_off, uint64_t size, uint32_t *status)
{
	struct drm_dxgkcompat_copy c = {
		.src_handle = src, .dst_handle = dst, .src_offset = src_off,
		.dst_offset = dst_off, .size = size,
	};
	int ret = do_ioctl(fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c);

	*status = c.ntstatus;
	return ret;
}

static void fill_random(uint8_t *p, uint64_t n, unsigned int seed)
{
	for (uint64_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = seed >> 16;
	}
}

/*
 * Copies [so, so + n) of @src to [doff, doff + n) of @dst and checks the
 * destination through its mapping: the copied bytes and a guard of up to
 * 64 bytes on each side.
 */
static void copy_and_check(const struct obj *src, uint64_t so,
			   const struct obj *dst, uint64_t doff, uint64_t n)
{
	const uint8_t *s = src->map;
	uint8_t *d = dst->map;
	uint64_t size = dst->size;
	uint64_t lo = doff > 64 ? doff - 64 : 0;
	uint64_t hi = doff + n + 64 < size ? doff + n + 64 : size;
	uint8_t *before = malloc(hi - lo);
	uint32_t status;
	int ret;

	igt_assert(before);
	memcpy(before, d + lo, hi - lo);
	ret = copy(edu_fd, src->handle, so, dst->handle, doff, n, &status);
	igt_assert_f(ret == 0 && status == STATUS_SUCCESS,
		     "copy %llu bytes %llu -> %llu: %d, status %#x\n",
		     (unsigned long long)n, (unsigned long long)so,
		     (unsigned long long)doff, ret, status);
	for (uint64_t i = lo; i < hi; i++) {
		uint8_t want = i >= doff && i < doff + n ? s[so + i - doff] :
			       before[i - lo];

		igt_assert_f(d[i] == want,
			     "copy of %llu bytes %llu -> %llu: byte %llu is %#x, expected %#x\n",
			     (unsigned long long)n, (unsigned long long)so,
			     (unsigned long long)doff, (unsigned long long)i,
			     d[i], want);
	}
	free(before);
}

static void require_edu(void)
{
	igt_require_f(edu_fd >= 0, "no dxgk_edu adapter\n");
}

static bool bounced(void)
{
	return edu_info.dma_flags & DRM_DXGKCOMPAT_DMA_BOUNCED;
}

/* A subtest whose copies must reach the device: not under swiotlb=force. */
static void require_copies(void)
{
	require_edu();
	igt_require_f(!bounced(),
		      "DMA is bounced through swiotlb: copies are refused (copy-bounced)\n");
}

static bool translated(void)
{
	return edu_info.iommu_mode == DRM_DXGKCOMPAT_IOMMU_TRANSLATED;
}

/*
 * The highest address objects may use: anywhere with translation, else
 * what the device reaches (its DMA mask), as Dxgkrnl allocates for a
 * device without remapping.
 */
static uint64_t reach(void)
{
	return translated() ? MAX_PHYS : edu_info.dma_mask;
}

/* SECTION pages cannot be placed: without translation, use MDL. */
static uint32_t placeable(uint32_t type)
{
	return type == DRM_DXGKCOMPAT_PMO_SECTION && !translated() ?
	       DRM_DXGKCOMPAT_PMO_MDL : type;
}

static void write_param(const char *path, const char *value)
{
	FILE *f = dxgk_fopen_root(path, "w");

	igt_assert_f(f, "cannot open %s\n", path);
	igt_assert(fputs(value, f) >= 0);
	igt_assert_eq(fclose(f), 0);
}

static long long adapter_timeouts(void)
{
	char line[512];
	long long v = -1;
	FILE *f = dxgk_fopen_root(ADAPTERS_PATH, "r");
	char *p;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " dxgk_edu ") && (p = strstr(line, " timeouts ")))
			v = atoll(p + 10);
	fclose(f);
	return v;
}

/*
 * Reads /dev/kmsg from @fd (opened before the DMA) until the kernel's
 * expectation line and a DMAR fault line at the same address are seen, or
 * 10 s pass. Returns true if both were found.
 */
static bool wait_dmar_fault(int fd)
{
	char rec[2048], expect[64] = "";
	time_t end = time(NULL) + 10;

	while (time(NULL) < end) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		char *p;

		if (n < 0) {
			if (errno == EAGAIN) {
				usleep(50000);
				continue;
			}
			if (errno == EPIPE)
				continue;
			return false;
		}
		rec[n] = '\0';
		p = strstr(rec, "expecting an IOMMU fault: DMA write to ");
		if (p) {
			sscanf(p + strlen("expecting an IOMMU fault: DMA write to "),
			       "%63s", expect);
			igt_info("kernel expects a fault at %s\n", expect);
			continue;
		}
		p = strstr(rec, "fault addr ");
		if (p && expect[0] && strstr(rec, "DMAR") &&
		    !strncmp(p + strlen("fault addr "), expect, strlen(expect))) {
			igt_info("IOMMU fault seen: %s", strchr(rec, ';') ?
				 strchr(rec, ';') + 1 : rec);
			return true;
		}
	}
	return false;
}

static void isolation(uint32_t mode)
{
	const uint64_t off = 100, n = 512;
	struct drm_dxgkcompat_test_stale_dma t = {
		.dst_offset = off, .size = n, .mode = mode,
	};
	struct obj src, dst;
	int kmsg, ret;

	require_edu();
	src = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0,
		      reach());
	/* never-mapped: below edu's limit, an address edu can emit */
	dst = obj_new(DRM_DXGKCOMPAT_PMO_CONTIGUOUS, DRM_DXGKCOMPAT_CACHED, PAGE,
		      0, mode == DRM_DXGKCOMPAT_STALE_NEVER_MAPPED ?
		      EDU_LIMIT / 2 - 1 : MAX_PHYS);
	memset(src.map, 0xc3, PAGE);
	memset(dst.map, 0x5a, PAGE);
	t.src_handle = src.handle;
	t.dst_handle = dst.handle;

	kmsg = dxgk_open_root("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	igt_assert(kmsg >= 0);
	lseek(kmsg, 0, SEEK_END);

	ret = do_ioctl(edu_fd, DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA, &t);
	igt_skip_on_f(ret == -EOPNOTSUPP && t.ntstatus == STATUS_NOT_SUPPORTED &&
		      translated(),
		      "module built without CONFIG_DRM_DXGKCOMPAT_TEST_IOCTLS\n");
	if (!translated()) {
		/* Nothing would stop the DMA: the port must refuse. */
		igt_assert_eq(ret, -EOPNOTSUPP);
		igt_assert_eq_u32(t.ntstatus, STATUS_NOT_SUPPORTED);
	} else {
		igt_assert_f(ret == 0 && t.ntstatus == STATUS_SUCCESS,
			     "stale DMA: %d, status %#x\n", ret, t.ntstatus);
		igt_assert_f(wait_dmar_fault(kmsg),
			     "no DMAR fault at the expected address in the kernel log\n");
	}
	for (uint64_t i = 0; i < PAGE; i++)
		igt_assert_f(dst.map[i] == 0x5a, "byte %llu changed to %#x\n",
			     (unsigned long long)i, dst.map[i]);
	close(kmsg);
	obj_free(&src);
	obj_free(&dst);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* What the long copy of copy-fairness reports from its process. */
struct fair_report {
	double start, end;
	int ret;
	uint32_t status;
};

static void fairness(void)
{
	const uint64_t big = 128 * 1024, small = 100;
	struct fair_report r = { 0 };
	struct obj a, b, c, d;
	double start, end;
	uint32_t status;
	int fds[2], ret, wstatus;
	pid_t pid;

	require_copies();
	a = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, big, 0, reach());
	b = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, big, 0, reach());
	c = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0, reach());
	d = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0, reach());
	fill_random(a.map, big, 21);
	memset(b.map, 0, big);
	fill_random(c.map, PAGE, 22);
	memset(d.map, 0, PAGE);
	igt_assert(pipe(fds) == 0);

	pid = fork();
	igt_assert(pid >= 0);
	if (pid == 0) {
		/* The other process: the long copy, on the inherited file. */
		close(fds[0]);
		r.start = now_s();
		r.ret = copy(edu_fd, a.handle, 0, b.handle, 0, big, &r.status);
		r.end = now_s();
		_exit(write(fds[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fds[1]);
	/* Well inside the long copy's first pass (about 3 s on edu). */
	usleep(500 * 1000);
	start = now_s();
	ret = copy(edu_fd, c.handle, 0, d.handle, 0, small, &status);
	end = now_s();
	igt_assert_eq(read(fds[0], &r, sizeof(r)), (int)sizeof(r));
	close(fds[0]);
	igt_assert_eq(waitpid(pid, &wstatus, 0), pid);
	igt_assert(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);

	igt_info("long copy: 0 .. %.2f s; short copy: %.2f .. %.2f s (waited %.2f s)\n",
		 r.end - r.start, start - r.start, end - r.start, end - start);
	igt_assert_f(ret == 0 && status == STATUS_SUCCESS,
		     "short copy: %d, status %#x\n", ret, status);
	igt_assert_f(r.ret == 0 && r.status == STATUS_SUCCESS,
		     "long copy: %d, status %#x\n", r.ret, r.status);
	igt_assert_f(start < r.end, "the long copy ended before the short one started\n");
	igt_assert_f(end < r.end,
		     "the short copy waited %.2f s, until after the whole long copy (%.2f s)\n",
		     end - start, r.end - r.start);
	igt_assert(memcmp(b.map, a.map, big) == 0);
	igt_assert(memcmp(d.map, c.map, small) == 0);
	obj_free(&a);
	obj_free(&b);
	obj_free(&c);
	obj_free(&d);
}

static void close_edu(int sig)
{
	(void)sig;
	if (edu_fd >= 0)
		close(edu_fd);
}

igt_main
{
	igt_fixture {
		dxgk_igt_unprivileged();
		edu_fd = open_adapter("dxgk_edu", &edu_info);
		igt_install_exit_handler(close_edu);
		start_objects = read_objects();
		if (edu_fd >= 0)
			igt_info("dxgk_edu: IOMMU mode %u, DMA mask %#llx\n",
				 edu_info.iommu_mode,
				 (unsigned long long)edu_info.dma_mask);
	}

	igt_describe("COPY argument validation");
	igt_subtest("copy-invalid") {
		struct drm_dxgkcompat_copy c = { 0 };
		uint32_t a, b, status;

		require_edu();
		a = create_pmo(edu_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, 3 * PAGE, 0, MAX_PHYS);
		b = create_pmo(edu_fd, DRM_DXGKCOMPAT_PMO_MDL,
			       DRM_DXGKCOMPAT_CACHED, 1000, 0, MAX_PHYS);

		igt_assert_eq(copy(edu_fd, a, 0, 0xdead, 0, 1, &status), -ENOENT);
		igt_assert_eq_u32(status, STATUS_INVALID_HANDLE);
		igt_assert_eq(copy(edu_fd, 0xdead, 0, b, 0, 1, &status), -ENOENT);
		igt_assert_eq_u32(status, STATUS_INVALID_HANDLE);
		igt_assert_eq(copy(edu_fd, a, 0, b, 0, 0, &status), -EINVAL);
		igt_assert_eq_u32(status, STATUS_INVALID_PARAMETER);
		igt_assert_eq(copy(edu_fd, a, ~0ull, b, 0, 2, &status), -EOVERFLOW);
		igt_assert_eq_u32(status, STATUS_INTEGER_OVERFLOW);
		/* b is 1000 bytes: its size, not its pages, bounds the range */
		igt_assert_eq(copy(edu_fd, a, 0, b, 1, 1000, &status), -EINVAL);
		igt_assert_eq_u32(status, STATUS_INVALID_VIEW_SIZE);
		igt_assert_eq(copy(edu_fd, a, 100, a, 200, 200, &status), -EINVAL);
		igt_assert_eq_u32(status, STATUS_INVALID_PARAMETER);

		c.src_handle = a;
		c.dst_handle = b;
		c.size = 1;
		c.pad = 1;
		igt_assert_eq(do_ioctl(edu_fd, DRM_IOCTL_DXGKCOMPAT_COPY, &c), -EINVAL);
		igt_assert_eq_u32(c.ntstatus, STATUS_INVALID_PARAMETER);

		close_gem(edu_fd, a);
		close_gem(edu_fd, b);
	}

	igt_describe("the virt miniport has no paging engine");
	igt_subtest("copy-unsupported-virt") {
		struct drm_dxgkcompat_adapter_info info;
		int fd = open_adapter("dxgk_virt", &info);
		uint32_t a, b, status;

		igt_require_f(fd >= 0, "no dxgk_virt adapter\n");
		a = create_pmo(fd, DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
			       PAGE, 0, MAX_PHYS);
		b = create_pmo(fd, DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED,
			       PAGE, 0, MAX_PHYS);
		igt_assert_eq(copy(fd, a, 0, b, 0, 16, &status), -EOPNOTSUPP);
		igt_assert_eq_u32(status, STATUS_NOT_SUPPORTED);
		close_gem(fd, a);
		close_gem(fd, b);
		close(fd);
	}

	igt_describe("1 byte to 64 KiB at unaligned offsets");
	igt_subtest("copy-sizes") {
		static const uint64_t sizes[] = {
			1, 3, 64, 4095, 4096, 4097, 12289, 65536
		};
		const uint64_t size = 128 * 1024;
		struct obj src, dst;

		require_copies();
		src = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size,
			      0, reach());
		dst = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size,
			      0, reach());
		fill_random(src.map, size, 1);
		memset(dst.map, 0xa5, size);
		for (unsigned int i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			copy_and_check(&src, 4093 + 5 * i, &dst, 7 + 3 * i,
				       sizes[i]);
		obj_free(&src);
		obj_free(&dst);
	}

	for (volatile uint32_t sc = 0; sc < 3; sc++) {
		for (volatile uint32_t dc = 0; dc < 3; dc++) {
			igt_describe("copy between two cache types, checked through their own mappings");
			igt_subtest_f("copy-cache-%s-%s", cache_name[sc],
				      cache_name[dc]) {
				/* SECTION cannot be non-cached: vary the types */
				const uint32_t st = sc == DRM_DXGKCOMPAT_NON_CACHED ?
					DRM_DXGKCOMPAT_PMO_CONTIGUOUS :
					DRM_DXGKCOMPAT_PMO_SECTION;
				const uint32_t dt = dc == DRM_DXGKCOMPAT_NON_CACHED ?
					DRM_DXGKCOMPAT_PMO_MDL :
					(dc + sc) % 2 ? DRM_DXGKCOMPAT_PMO_MDL :
					DRM_DXGKCOMPAT_PMO_SECTION;
				const uint64_t size = 4 * PAGE;
				struct obj src, dst;

				require_copies();
				src = obj_new(placeable(st), sc, size, 0, reach());
				dst = obj_new(placeable(dt), dc, size, 0, reach());
				fill_random(src.map, size, 7 + 3 * sc + dc);
				memset(dst.map, 0x3c, size);
				copy_and_check(&src, 100, &dst, 3000, 5000);
				obj_free(&src);
				obj_free(&dst);
			}
		}
	}

	igt_describe("sampled windows of two 64 MiB objects");
	igt_subtest("copy-sampled-windows") {
		/* below the DMA mask without translation: leave room there */
		const uint64_t size = translated() ? 64ull << 20 : 16ull << 20;
		const uint64_t win[][2] = {	/* source, destination */
			{ 0, 0 },
			{ size - PAGE, size - PAGE },
			{ size / 4 + 123, size / 8 * 5 + 4001 },
			{ size - PAGE / 2 - PAGE, size / 16 + 1 },
		};
		struct obj src, dst;

		require_copies();
		src = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size,
			      0, reach());
		dst = obj_new(DRM_DXGKCOMPAT_PMO_MDL,
			      DRM_DXGKCOMPAT_WRITE_COMBINED, size, 0, reach());
		for (unsigned int i = 0; i < 4; i++)
			fill_random(src.map + win[i][0], PAGE, 100 + i);
		for (unsigned int i = 0; i < 4; i++) {
			uint64_t n = PAGE;

			if (win[i][0] + n > size)
				n = size - win[i][0];
			if (win[i][1] + n > size)
				n = size - win[i][1];
			copy_and_check(&src, win[i][0], &dst, win[i][1], n);
		}
		obj_free(&src);
		obj_free(&dst);
	}

	igt_describe("pages above edu's 256 MiB limit: remapped, or refused");
	igt_subtest("copy-above-dma-limit") {
		const uint64_t size = 8 * PAGE;
		struct obj hi, lo;
		uint32_t status;
		int ret;

		require_edu();
		hi = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size,
			     2 * EDU_LIMIT, MAX_PHYS);
		lo = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, size,
			     0, EDU_LIMIT - 1);
		fill_random(hi.map, size, 42);
		memset(lo.map, 0x77, size);
		if (translated()) {
			copy_and_check(&hi, 10, &lo, 4000, 6 * PAGE);
			fill_random(lo.map, size, 43);
			copy_and_check(&lo, 0, &hi, 1, size - 1);
		} else {
			ret = copy(edu_fd, hi.handle, 0, lo.handle, 0, PAGE, &status);
			igt_assert_eq(ret, -ENOSPC);
			igt_assert_eq_u32(status, STATUS_INSUFFICIENT_RESOURCES);
			ret = copy(edu_fd, lo.handle, 0, hi.handle, 0, PAGE, &status);
			igt_assert_eq(ret, -ENOSPC);
			igt_assert_eq_u32(status, STATUS_INSUFFICIENT_RESOURCES);
			for (uint64_t i = 0; i < size; i++)
				igt_assert_eq(lo.map[i], 0x77);
			/* pages below the limit still copy, unless DMA is bounced */
			if (!bounced())
				copy_and_check(&lo, 5, &lo, 2 * PAGE + 9, PAGE);
		}
		obj_free(&hi);
		obj_free(&lo);
	}

	igt_describe("a device that never answers: timeout, reset, recovery");
	igt_subtest("copy-timeout") {
		struct obj a, b;
		uint32_t status;
		long long before;
		char tdr[32] = "";
		FILE *f;
		int ret;

		require_copies();
		igt_require_f(access(EDU_HANG_PARAM, F_OK) == 0,
			      "no %s\n", EDU_HANG_PARAM);
		f = fopen(TDR_PARAM, "r");
		igt_assert(f && fgets(tdr, sizeof(tdr), f));
		fclose(f);
		before = adapter_timeouts();
		igt_require_f(before >= 0, "no %s\n", ADAPTERS_PATH);

		a = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0,
			    reach());
		b = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0,
			    reach());
		fill_random(a.map, PAGE, 5);
		memset(b.map, 0, PAGE);

		write_param(TDR_PARAM, "1000");
		write_param(EDU_HANG_PARAM, "1");
		ret = copy(edu_fd, a.handle, 0, b.handle, 0, 100, &status);
		write_param(EDU_HANG_PARAM, "0");
		write_param(TDR_PARAM, tdr);
		igt_assert_eq(ret, -ETIMEDOUT);
		igt_assert_eq_u32(status, STATUS_IO_TIMEOUT);
		igt_assert_eq(adapter_timeouts(), before + 1);

		copy_and_check(&a, 0, &b, 0, 100);
		obj_free(&a);
		obj_free(&b);
	}

	igt_describe("a DMA to the device address of a freed ADL faults in the IOMMU");
	igt_subtest("isolation-freed-adl")
		isolation(DRM_DXGKCOMPAT_STALE_FREED_ADL);

	igt_describe("a DMA to a physical address never mapped faults in the IOMMU");
	igt_subtest("isolation-never-mapped")
		isolation(DRM_DXGKCOMPAT_STALE_NEVER_MAPPED);

	igt_describe("two processes copying take turns pass by pass");
	igt_subtest("copy-fairness")
		fairness();

	igt_describe("a device that would see bounce buffers gets no ADLs");
	igt_subtest("copy-bounced") {
		const char *box = getenv("DXGK_IOMMU");
		bool want = box && strcmp(box, "swiotlb") == 0;
		struct obj a, b;
		uint32_t status;
		int ret;

		require_edu();
		igt_assert_f(bounced() == want, "DMA_BOUNCED is %d in box %s\n",
			     bounced(), box ? box : "(unknown)");
		a = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0,
			    reach());
		b = obj_new(DRM_DXGKCOMPAT_PMO_MDL, DRM_DXGKCOMPAT_CACHED, PAGE, 0,
			    reach());
		fill_random(a.map, PAGE, 31);
		memset(b.map, 0x5a, PAGE);
		if (want) {
			ret = copy(edu_fd, a.handle, 0, b.handle, 0, 100, &status);
			igt_assert_eq(ret, -ENOSPC);
			igt_assert_eq_u32(status, STATUS_INSUFFICIENT_RESOURCES);
			for (int i = 0; i < 100; i++)
				igt_assert_eq(b.map[i], 0x5a);
		} else {
			copy_and_check(&a, 0, &b, 0, 100);
		}
		obj_free(&a);
		obj_free(&b);
	}

	igt_describe("no object left behind");
	igt_subtest("objects-released") {
		long long now = -1;

		igt_require_f(start_objects >= 0, "no %s\n", COUNTERS_PATH);
		for (int i = 0; i < 50; i++) {
			now = read_objects();
			if (now == start_objects)
				break;
			usleep(20000);
		}
		igt_assert_eq(now, start_objects);
	}
}
