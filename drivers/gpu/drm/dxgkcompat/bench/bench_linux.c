// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgk_bench - what the callbacks are compared with: the raw primitives a
 * PMO is made of (the page allocator, set_pages_array_*(), vmap()), TTM's
 * page pool and the GEM shmem helper, each doing the same work as the
 * callbacks' row it stands next to.
 *
 * TTM and the shmem helper need a DRM device with GEM (for its anon inode
 * and its mmap-offset manager); it lives on a platform device of its own
 * and is never registered. The ttm_device exists only while a step that
 * uses the pool runs: TTM's global WC and UC pools are freed when the last
 * ttm_device goes, so nothing the pool cached outlives the step (unless
 * another TTM driver is loaded, which then keeps the pools alive).
 */

#include <linux/dma-mapping.h>
#include <linux/dma-resv.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/iosys-map.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <asm/set_memory.h>

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_gem.h>
#include <drm/drm_gem_shmem_helper.h>
/*
 * struct ttm_buffer_object and struct ttm_operation_ctx are in
 * ttm_bo_api.h up to 6.3 and in ttm_bo.h since; this header includes
 * whichever the kernel has.
 */
#include <drm/drm_gem_ttm_helper.h>
#include <drm/ttm/ttm_device.h>
#include <drm/ttm/ttm_pool.h>
#include <drm/ttm/ttm_tt.h>

#include "bench.h"

static struct platform_device *bench_pdev;
static struct drm_device *bench_drm;
static struct ttm_device bench_ttm;
static bool bench_ttm_up;
/* ttm_tt_init() takes the size from a buffer object: this mock (runs are serialised). */
static struct ttm_buffer_object bench_bo;

/* Nothing here creates buffer objects: TTM calls none of these. */
static struct ttm_device_funcs bench_ttm_funcs;

static const struct drm_driver bench_drm_driver = {
	.driver_features = DRIVER_GEM,
	.name = "dxgk_bench",
	.desc = "dxgkcompat benchmarks (never registered)",
};

/* The PTE caching of every kernel mapping, as the port chooses it. */
static pgprot_t bench_prot(enum bench_cache cache)
{
	switch (cache) {
	case BENCH_WC:
		return pgprot_writecombine(PAGE_KERNEL);
	case BENCH_UC:
		return pgprot_noncached(PAGE_KERNEL);
	default:
		return PAGE_KERNEL;
	}
}

static const enum ttm_caching bench_ttm_caching[BENCH_NCACHES] = {
	[BENCH_WB] = ttm_cached,
	[BENCH_WC] = ttm_write_combined,
	[BENCH_UC] = ttm_uncached,
};

/**
 * bench_linux_init - the platform device and the DRM device
 *
 * Returns: 0 or a negative errno.
 */
int bench_linux_init(void)
{
	bench_pdev = platform_device_register_simple("dxgk_bench_linux",
						     PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(bench_pdev))
		return PTR_ERR(bench_pdev);
	/* drm_dev_init() sets up GEM (drm_gem_init()) for DRIVER_GEM. */
	bench_drm = drm_dev_alloc(&bench_drm_driver, &bench_pdev->dev);
	if (IS_ERR(bench_drm)) {
		platform_device_unregister(bench_pdev);
		return PTR_ERR(bench_drm);
	}
	return 0;
}

/**
 * bench_linux_fini - undo bench_linux_init()
 */
void bench_linux_fini(void)
{
	bench_ttm_end();
	drm_dev_put(bench_drm);
	platform_device_unregister(bench_pdev);
}

/**
 * bench_ttm_begin - create the ttm_device of a step
 *
 * Its pool is the one a driver's ttm_tt_populate() uses: no DMA API
 * allocations, no DMA32, so on x86 TTM's global WC and UC pools. The
 * first ttm_device_init() sets those up.
 *
 * Returns: 0 or a negative errno.
 */
int bench_ttm_begin(void)
{
	int ret;

	if (bench_ttm_up)
		return 0;
	ret = ttm_device_init(&bench_ttm, &bench_ttm_funcs, &bench_pdev->dev,
			      bench_drm->anon_inode->i_mapping,
			      bench_drm->vma_offset_manager, false, false);
	if (!ret)
		bench_ttm_up = true;
	return ret;
}

/**
 * bench_ttm_end - free the ttm_device of a step, and with the last
 *	ttm_device TTM's global pools
 */
void bench_ttm_end(void)
{
	if (!bench_ttm_up)
		return;
	ttm_device_fini(&bench_ttm);
	memset(&bench_ttm, 0, sizeof(bench_ttm));
	bench_ttm_up = false;
}

/* The linear-map attribute of @pages, as the PMO's backing store does it. */
static int bench_set_caching(struct page **pages, unsigned long n,
			     enum bench_cache cache)
{
	int ret = 0;

	if (cache == BENCH_WC)
		ret = set_pages_array_wc(pages, n);
	else if (cache == BENCH_UC)
		ret = set_pages_array_uc(pages, n);
	/* A partial change may have left some pages WC or UC. */
	if (ret && set_pages_array_wb(pages, n))
		return -EBUSY;	/* the caller must not free the pages */
	return ret;
}

/* Free @n raw pages, unless their linear map could not be set back to WB. */
static void bench_free_raw(struct page **pages, unsigned long n, bool leak)
{
	unsigned long i;

	if (leak)
		pr_err("dxgk_bench: %lu pages leaked: their linear map could not be set back to WB\n",
		       n);
	for (i = 0; !leak && i < n; i++)
		__free_page(pages[i]);
	kvfree(pages);
}

/* Order-0 zeroed pages with the cache attribute @cache; NULL on failure. */
static struct page **bench_alloc_raw(unsigned long n, enum bench_cache cache,
				     int *err)
{
	struct page **pages;
	unsigned long i;
	int ret;

	pages = kvmalloc_array(n, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		*err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < n; i++) {
		/* As an MDL PMO: zeroed, failing rather than OOM-killing. */
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_RETRY_MAYFAIL |
				      __GFP_NOWARN);
		if (!pages[i]) {
			bench_free_raw(pages, i, false);
			*err = -ENOMEM;
			return NULL;
		}
	}
	ret = bench_set_caching(pages, n, cache);
	if (ret) {
		bench_free_raw(pages, n, ret == -EBUSY);
		*err = ret;
		return NULL;
	}
	return pages;
}

/* Set @pages back to WB and free them. Returns 0 or -EBUSY (leaked). */
static int bench_release_raw(struct page **pages, unsigned long n,
			     enum bench_cache cache)
{
	bool leak = cache != BENCH_WB && set_pages_array_wb(pages, n);

	bench_free_raw(pages, n, leak);
	return leak ? -EBUSY : 0;
}

/**
 * bench_raw_map - the raw primitives' cycle
 * @size: bytes, a page multiple
 * @cache: the cache type
 * @ns: the cycle's time
 *
 * alloc_page(__GFP_ZERO) per page, set_pages_array_wc/uc, vmap() with the
 * matching pgprot, one write per page, vunmap(), set_pages_array_wb(),
 * __free_page().
 *
 * Returns: 0 or a negative errno.
 */
int bench_raw_map(size_t size, enum bench_cache cache, u64 *ns)
{
	unsigned long n = size >> PAGE_SHIFT;
	u64 t0 = ktime_get_ns();
	struct page **pages;
	int ret = 0;
	void *va;

	pages = bench_alloc_raw(n, cache, &ret);
	if (!pages)
		return ret;
	va = vmap(pages, n, VM_MAP, bench_prot(cache));
	if (va) {
		bench_touch(va, size);
		vunmap(va);
	} else {
		ret = -ENOMEM;
	}
	if (bench_release_raw(pages, n, cache))
		ret = -EBUSY;
	*ns = ktime_get_ns() - t0;
	return ret;
}

/* A ttm_tt of @size bytes with @cache and zeroed pages, from the pool. */
static int bench_ttm_get(struct ttm_tt *tt, size_t size, enum bench_cache cache)
{
	struct ttm_operation_ctx ctx = {
		.interruptible = true,
		.gfp_retry_mayfail = true,	/* fail, as the PMO does */
	};
	int ret;

	bench_bo.base.size = size;
	ret = ttm_tt_init(tt, &bench_bo, TTM_TT_FLAG_ZERO_ALLOC, bench_ttm_caching[cache], 0);
	if (ret)
		return ret;
	ret = ttm_pool_alloc(&bench_ttm.pool, tt, &ctx);
	if (ret)
		ttm_tt_fini(tt);
	return ret;
}

static void bench_ttm_put(struct ttm_tt *tt)
{
	ttm_pool_free(&bench_ttm.pool, tt);
	ttm_tt_fini(tt);
}

/**
 * bench_ttm_map - TTM's pool cycle
 * @size: bytes, a page multiple
 * @cache: the cache type
 * @ns: the cycle's time
 *
 * ttm_tt_init() + ttm_pool_alloc() with TTM_TT_FLAG_ZERO_ALLOC, vmap() with
 * the matching pgprot, one write per page, vunmap(), ttm_pool_free() +
 * ttm_tt_fini(). Between bench_ttm_begin() and bench_ttm_end().
 *
 * Returns: 0 or a negative errno.
 */
int bench_ttm_map(size_t size, enum bench_cache cache, u64 *ns)
{
	struct ttm_tt tt = { };
	u64 t0 = ktime_get_ns();
	int ret;
	void *va;

	if (!bench_ttm_up)
		return -ENODEV;
	ret = bench_ttm_get(&tt, size, cache);
	if (ret)
		return ret;
	va = vmap(tt.pages, tt.num_pages, VM_MAP, bench_prot(cache));
	if (va) {
		bench_touch(va, size);
		vunmap(va);
	} else {
		ret = -ENOMEM;
	}
	bench_ttm_put(&tt);
	*ns = ktime_get_ns() - t0;
	return ret;
}

/**
 * bench_shmem_map - the GEM shmem helper's cycle (write-back only)
 * @size: bytes, a page multiple
 * @ns: the cycle's time
 *
 * drm_gem_shmem_create(), drm_gem_shmem_vmap() (which gets the pages),
 * one write per page, drm_gem_shmem_vunmap(), the last reference put.
 * The vmap calls hold the object's reservation, as 6.12 requires (6.1
 * does not need it, and takes its own vmap lock inside).
 *
 * Returns: 0 or a negative errno.
 */
int bench_shmem_map(size_t size, u64 *ns)
{
	struct drm_gem_shmem_object *shmem;
	struct iosys_map map;
	u64 t0 = ktime_get_ns();
	int ret;

	shmem = drm_gem_shmem_create(bench_drm, size);
	if (IS_ERR(shmem))
		return PTR_ERR(shmem);
	dma_resv_lock(shmem->base.resv, NULL);
	ret = drm_gem_shmem_vmap(shmem, &map);
	dma_resv_unlock(shmem->base.resv);
	if (!ret) {
		bench_touch(map.vaddr, size);
		dma_resv_lock(shmem->base.resv, NULL);
		drm_gem_shmem_vunmap(shmem, &map);
		dma_resv_unlock(shmem->base.resv);
	}
	drm_gem_object_put(&shmem->base);
	bench_settle();
	*ns = ktime_get_ns() - t0;
	return ret;
}

/**
 * bench_raw_churn - @count allocate/free cycles of raw pages
 * @cache: the cache type
 * @count: cycles, of bench_churn_size() bytes each
 * @ns: the time of all of them
 *
 * Each cycle: the pages, their linear-map attribute, back to WB, freed.
 *
 * Returns: 0 or a negative errno.
 */
int bench_raw_churn(enum bench_cache cache, unsigned int count, u64 *ns)
{
	u64 t0 = ktime_get_ns();
	struct page **pages;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < count; i++) {
		unsigned long n = bench_churn_size(i) >> PAGE_SHIFT;

		pages = bench_alloc_raw(n, cache, &ret);
		if (!pages)
			return ret;
		ret = bench_release_raw(pages, n, cache);
		if (ret)
			return ret;
		if (bench_should_stop())
			return -EINTR;
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

/**
 * bench_ttm_churn - @count allocate/free cycles through TTM's pool
 * @cache: the cache type
 * @count: cycles, of bench_churn_size() bytes each
 * @ns: the time of all of them
 *
 * Returns: 0 or a negative errno.
 */
int bench_ttm_churn(enum bench_cache cache, unsigned int count, u64 *ns)
{
	struct ttm_tt tt;
	u64 t0 = ktime_get_ns();
	unsigned int i;
	int ret;

	if (!bench_ttm_up)
		return -ENODEV;
	for (i = 0; i < count; i++) {
		memset(&tt, 0, sizeof(tt));
		ret = bench_ttm_get(&tt, bench_churn_size(i), cache);
		if (ret)
			return ret;
		bench_ttm_put(&tt);
		if (bench_should_stop())
			return -EINTR;
	}
	*ns = ktime_get_ns() - t0;
	return 0;
}

/**
 * bench_raw_dma - map and unmap pages for a device with the DMA API
 * @dev: the device
 * @pages: the pages
 * @n: their number
 * @ns: the time of sg_alloc_table_from_pages() + dma_map_sgtable() +
 *	dma_unmap_sgtable() + sg_free_table()
 * @segments: the DMA segments of the mapping
 * @cpu_segments: the physically contiguous runs of the table
 *
 * The same calls and attributes as DxgkCbAllocateAdl/FreeAdl make, without
 * the port around them.
 *
 * Returns: 0 or a negative errno.
 */
int bench_raw_dma(struct device *dev, struct page **pages, unsigned long n,
		  u64 *ns, unsigned int *segments, unsigned int *cpu_segments)
{
	struct sg_table sgt;
	u64 t0 = ktime_get_ns();
	int ret;

	ret = sg_alloc_table_from_pages(&sgt, pages, n, 0, n << PAGE_SHIFT,
					GFP_KERNEL);
	if (ret)
		return ret;
	ret = dma_map_sgtable(dev, &sgt, DMA_BIDIRECTIONAL, DMA_ATTR_SKIP_CPU_SYNC);
	if (!ret) {
		*segments = sgt.nents;
		*cpu_segments = sgt.orig_nents;
		dma_unmap_sgtable(dev, &sgt, DMA_BIDIRECTIONAL,
				  DMA_ATTR_SKIP_CPU_SYNC);
	}
	sg_free_table(&sgt);
	*ns = ktime_get_ns() - t0;
	return ret;
}

/**
 * bench_iommu_mode - how the DMA API maps for a device
 * @dev: the device
 *
 * Returns: "no IOMMU", "IOMMU identity", "IOMMU strict" or "IOMMU lazy".
 */
const char *bench_iommu_mode(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain)
		return "no IOMMU";
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return "IOMMU identity";
	return domain->type == IOMMU_DOMAIN_DMA_FQ ? "IOMMU lazy" : "IOMMU strict";
}
