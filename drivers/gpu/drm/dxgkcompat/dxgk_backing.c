// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the backing store of physical memory objects, by type: MDL
 * (pages inside a window), CONTIGUOUS_MEMORY, SECTION (shmem) and IO_SPACE.
 */

#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/scatterlist.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#ifdef CONFIG_X86
#include <asm/processor.h>
#endif

#include "dxgk_caching.h"
#include "dxgk_drv.h"
#include "dxgk_pmo.h"

/**
 * DOC: Backing store
 *
 * Backing store by type:
 *
 * - MDL: order-0 pages from the page allocator; a miniport's WRITE_COMBINED
 *   or NON_CACHED object takes pages from the page pool first (see Page
 *   pool). Without a window (all of memory, no SkipBytes) free blocks of
 *   up to 2 MiB that the allocator has at once are split into pages, as
 *   TTM's pool does: one call for many pages. Every page lies inside
 *   [Mdl.LowAddress, Mdl.HighAddress], or inside a window shifted from it by
 *   a multiple of SkipBytes. The zone comes from the window: ZONE_DMA below
 *   16 MiB, ZONE_DMA32 below 4 GiB. Pages outside the window are set aside
 *   and the allocation retried, within a budget (256 pages plus the
 *   object's, counted against the memory cap while held); then
 *   alloc_contig_range() is aimed at System RAM inside the window, in
 *   chunks of up to 64 pages, never in ZONE_MOVABLE; only if that fails
 *   too is it STATUS_NO_MEMORY. A window with less System RAM than the
 *   object fails at once. The search is for miniports and privileged
 *   callers (dxgk_pmo_create()); a fatal signal ends it (STATUS_CANCELLED).
 *   MM_ALLOCATE_FULLY_REQUIRED is always in effect, so there are no partial
 *   allocations. MM_DONT_ZERO_ALLOCATION skips zeroing.
 *   MM_ALLOCATE_NO_WAIT allocates without direct reclaim, the page array
 *   and the object too, and never searches a window.
 *   MM_ALLOCATE_FROM_LOCAL_NODE_ONLY allocates from the current node only.
 *   MM_ALLOCATE_PREFER_CONTIGUOUS takes pages from higher-order blocks when
 *   the allocator has them. MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS gives one
 *   contiguous block (SkipBytes 0) or blocks of exactly SkipBytes, aligned to
 *   SkipBytes. MM_ALLOCATE_FAST_LARGE_PAGES and MM_ALLOCATE_AND_HOT_REMOVE
 *   are refused with STATUS_NOT_SUPPORTED.
 * - CONTIGUOUS_MEMORY: one naturally aligned high-order block from the page
 *   allocator (or, when its free lists do not serve the window, from
 *   alloc_contig_range() on candidates inside it), trimmed to size. It lies
 *   inside the window and cannot cross BoundaryAddressMultiple (a block no
 *   larger than a power-of-two boundary never crosses it). Up to 4 MiB
 *   (MAX_PAGE_ORDER); larger requests fail with STATUS_INSUFFICIENT_RESOURCES.
 * - SECTION: a shmem file, so its pages are shareable and pageable. A CACHED
 *   section's pages are pinned only while a kernel mapping needs them. A
 *   WRITE_COMBINED section's pages are pinned for the object's lifetime,
 *   because their linear-map attribute must stay WC (see below).
 *   NON_CACHED sections are refused, as the WDK says. PageProtection holds
 *   for every mapping: PAGE_READONLY and PAGE_EXECUTE sections have
 *   read-only kernel mappings, and user mappings as the uAPI header says.
 *   PAGE_WRITECOPY (copy-on-write views) is not supported:
 *   STATUS_NOT_SUPPORTED.
 * - IO_SPACE: the miniport's range [BaseAddress, BaseAddress + Size). It is
 *   never freed by the port, and may not overlap System RAM.
 *
 * The DMA API's allocators are not used for the backing store: they map the
 * memory for the device at allocation time, so the device could reach it
 * with no ADL. Device addresses come from ADLs only.
 */

/* The page allocator's largest block: MAX_PAGE_ORDER (6.8+) or MAX_ORDER - 1. */
#ifdef MAX_PAGE_ORDER
#define DXGK_MAX_ORDER MAX_PAGE_ORDER
#else
#define DXGK_MAX_ORDER (MAX_ORDER - 1)
#endif

#define DXGK_MM_FLAGS_KNOWN	(MM_DONT_ZERO_ALLOCATION |		\
				 MM_ALLOCATE_FROM_LOCAL_NODE_ONLY |	\
				 MM_ALLOCATE_FULLY_REQUIRED |		\
				 MM_ALLOCATE_NO_WAIT |			\
				 MM_ALLOCATE_PREFER_CONTIGUOUS |	\
				 MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS |	\
				 MM_ALLOCATE_FAST_LARGE_PAGES |		\
				 MM_ALLOCATE_AND_HOT_REMOVE)

/* How often allocation set pages aside and searched a window (debugfs). */
atomic_long_t dxgk_pmo_rejected;
atomic_long_t dxgk_pmo_range_searches;

/* The zone that holds addresses up to @high. */
static gfp_t dxgk_gfp_zone(u64 high)
{
	if (IS_ENABLED(CONFIG_ZONE_DMA) && high < SZ_16M)
		return GFP_DMA;
	if (IS_ENABLED(CONFIG_ZONE_DMA32) && high < SZ_4G)
		return GFP_DMA32;
	return 0;
}

/* Is [phys, phys + len) inside [low, high] or a window shifted by @skip? */
static bool dxgk_in_window(u64 phys, u64 len, u64 low, u64 high, u64 skip)
{
	u64 end = phys + len - 1, shift = 0;

	if (phys < low)
		return false;
	if (skip)
		shift = (phys - low) / skip * skip;
	return end - shift <= high && phys - shift >= low;
}

/*
 * Pages outside the window are kept, chained through page->lru with their
 * order in page->private, until the allocation is over: handed back early,
 * the per-CPU free lists would return the same pages at once. While held
 * they count against the memory cap (and the caller's budget), and at most
 * @budget pages are set aside before the search moves on.
 */
struct dxgk_rejects {
	struct list_head pages;
	unsigned long budget;
	unsigned long held;
	struct dxgk_pmo_quota *quota;
};

/* Set @page aside; false (and @page still set aside) once that is enough. */
static bool dxgk_reject(struct dxgk_rejects *r, struct page *page,
			unsigned int order)
{
	unsigned long n = 1UL << order;
	bool charged = dxgk_pmo_charge(r->quota, n);

	if (!charged) {
		__free_pages(page, order);
		r->budget = 0;
		return false;
	}
	set_page_private(page, order);
	list_add(&page->lru, &r->pages);
	r->held += n;
	atomic_long_add(n, &dxgk_pmo_rejected);
	if (r->budget < n) {
		r->budget = 0;
		return false;
	}
	r->budget -= n;
	return true;
}

static void dxgk_rejects_free(struct dxgk_rejects *r)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &r->pages, lru) {
		list_del(&page->lru);
		__free_pages(page, page_private(page));
	}
	dxgk_pmo_uncharge(r->quota, r->held);
	r->held = 0;
}

/*
 * One naturally aligned block of 2^order pages inside the window, split into
 * order-0 pages; the first @npages go to @pages, the rest are freed.
 * Returns 0; -ENOMEM when the allocator has no block; -ENOSPC when it has
 * only blocks outside the window (the reject budget is spent); -EINTR on a
 * fatal signal.
 */
static int dxgk_alloc_block(struct page **pages, unsigned long npages,
			    unsigned int order, gfp_t gfp, int nid, u64 low,
			    u64 high, u64 skip, struct dxgk_rejects *rej)
{
	unsigned long i;
	struct page *page;

	for (;;) {
		if (fatal_signal_pending(current))
			return -EINTR;
		page = alloc_pages_node(nid, gfp | __GFP_NOWARN, order);
		if (!page)
			return -ENOMEM;
		if (dxgk_in_window(page_to_phys(page), (u64)npages << PAGE_SHIFT,
				   low, high, skip))
			break;
		if (!dxgk_reject(rej, page, order))
			return -ENOSPC;
	}
	if (order)
		split_page(page, order);
	for (i = 0; i < npages; i++)
		pages[i] = page + i;
	for (; i < (1UL << order); i++)
		__free_page(page + i);
	return 0;
}

/*
 * The page allocator cannot aim at an address range, so a window that its
 * free lists do not happen to serve (e.g. 256 MiB..1 GiB) is searched
 * directly: alloc_contig_range() on naturally aligned candidate blocks of
 * System RAM inside the window, migrating movable pages out of the way.
 * Only RAM ranges are walked; at most DXGK_RANGE_TRIES candidates are
 * tried with alloc_contig_range() and DXGK_RANGE_SKIPS unusable ones (holes,
 * reserved pages such as low memory's) skipped.
 */
#define DXGK_RANGE_TRIES	256
#define DXGK_RANGE_SKIPS	BIT(20)

struct dxgk_range_search {
	struct page **pages;
	unsigned long npages;
	unsigned int order;
	u64 low, high;
	unsigned int tries;
	unsigned int skips;
	bool found;
	bool interrupted;
};

static int dxgk_range_search_res(struct resource *res, void *arg)
{
	struct dxgk_range_search *rs = arg;
	u64 align = PAGE_SIZE << rs->order, size = rs->npages << PAGE_SHIFT;
	u64 start = max_t(u64, res->start, rs->low);
	u64 end = min_t(u64, res->end, rs->high);
	u64 pa;

#ifdef CONFIG_CONTIG_ALLOC
	if (end < start || end - start + 1 < size)
		return 0;
	/*
	 * From the top of the range down: low memory is where boot-time and
	 * unmovable allocations sit.
	 */
	for (pa = round_down(end - size + 1, align); pa >= start && pa <= end;
	     pa -= align) {
		unsigned long pfn = PHYS_PFN(pa), i;
		bool usable = true;

		if (rs->tries >= DXGK_RANGE_TRIES || rs->skips >= DXGK_RANGE_SKIPS)
			return 1;
		cond_resched();
		/*
		 * The block stays pinned for the object's lifetime: never in
		 * ZONE_MOVABLE, which must stay migratable. (CMA pageblocks
		 * refuse a MIGRATE_MOVABLE alloc_contig_range() themselves.)
		 */
		for (i = pfn; i < pfn + rs->npages && usable; i++)
			usable = pfn_valid(i) && !PageReserved(pfn_to_page(i)) &&
				 page_zone(pfn_to_page(i)) == page_zone(pfn_to_page(pfn)) &&
				 zone_idx(page_zone(pfn_to_page(i))) != ZONE_MOVABLE;
		if (usable && fatal_signal_pending(current)) {
			rs->interrupted = true;
			return 1;
		}
		if (!usable) {
			rs->skips++;
			continue;
		}
		rs->tries++;
		if (alloc_contig_range(pfn, pfn + rs->npages,
				       DXGK_CONTIG_RANGE_MOVABLE,
				       GFP_KERNEL | __GFP_NOWARN)) {
			/*
			 * Usually an unmovable page in the pageblock: go on
			 * below the pageblock rather than one candidate lower.
			 */
			u64 block = round_down(pa, PAGE_SIZE * pageblock_nr_pages);

			if (block < align)
				break;	/* nothing below it */
			pa = block;
			continue;
		}
		for (i = 0; i < rs->npages; i++) {
			rs->pages[i] = pfn_to_page(pfn + i);
			clear_highpage(rs->pages[i]);
		}
		rs->found = true;
		return 1;
	}
#endif
	return 0;
}

static int dxgk_alloc_block_in_range(struct page **pages, unsigned long npages,
				     unsigned int order, u64 low, u64 high)
{
	struct dxgk_range_search rs = {
		.pages = pages, .npages = npages, .order = order,
		.low = low, .high = high,
	};

	if (!IS_ENABLED(CONFIG_CONTIG_ALLOC))
		return -ENOMEM;
	atomic_long_inc(&dxgk_pmo_range_searches);
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, low, high,
			    &rs, dxgk_range_search_res);
	if (rs.interrupted)
		return -EINTR;
	return rs.found ? 0 : -ENOMEM;
}

/*
 * A block inside [low, high]: from the free lists, else (when they had
 * blocks, but outside the window) by range search, if @search allows.
 */
static int dxgk_alloc_block_window(struct page **pages, unsigned long npages,
				   unsigned int order, gfp_t gfp, int nid,
				   u64 low, u64 high, struct dxgk_rejects *rej,
				   bool search)
{
	int ret = dxgk_alloc_block(pages, npages, order, gfp, nid, low, high, 0, rej);

	if (ret != -ENOSPC || !search || gfp & __GFP_THISNODE)
		return ret;
	return dxgk_alloc_block_in_range(pages, npages, order, low, high);
}

/* Add the whole pages of a System RAM range (clipped to the window). */
static int dxgk_count_ram(struct resource *res, void *arg)
{
	unsigned long first = PFN_UP(res->start), end = PFN_DOWN(res->end + 1);

	if (end > first)
		*(unsigned long *)arg += end - first;
	return 0;
}

/* A window that every physical address lies in. */
static bool dxgk_window_is_all(u64 low, u64 high, u64 skip)
{
#ifdef CONFIG_X86
	return !low && !skip && high >= BIT_ULL(boot_cpu_data.x86_phys_bits) - 1;
#else
	return !low && !skip && high >= S64_MAX;
#endif
}

/* Pooled pages an MDL object may take: inside its window, on its node. */
struct dxgk_pool_window {
	u64 low, high, skip;
	int nid;
};

static bool dxgk_pool_fits(struct page *page, void *ctx)
{
	const struct dxgk_pool_window *w = ctx;

	return (w->nid == NUMA_NO_NODE || page_to_nid(page) == w->nid) &&
	       dxgk_in_window(page_to_phys(page), PAGE_SIZE, w->low, w->high,
			      w->skip);
}

/*
 * Does [@low, @high] hold @want pages of System RAM at all? An impossible
 * window fails at once instead of after the zone was searched.
 */
static bool dxgk_window_has_ram(u64 low, u64 high, unsigned long want)
{
	unsigned long n = 0;

	if (low > high || (high - low) >> PAGE_SHIFT < want - 1)
		return false;
	/* All of memory, and no more than the RAM the allocator manages. */
	if (dxgk_window_is_all(low, high, 0) && want <= totalram_pages())
		return true;
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, low, high,
			    &n, dxgk_count_ram);
	return n >= want;
}

void dxgk_free_pages(struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		__free_page(pages[i]);
}

NTSTATUS dxgk_alloc_mdl(struct dxgk_pmo *pmo,
			const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args,
			bool search)
{
	u64 low = args->Mdl.LowAddress.QuadPart, high = args->Mdl.HighAddress.QuadPart;
	u64 skip = args->Mdl.SkipBytes.QuadPart;
	UINT flags = args->Mdl.Flags;
	struct dxgk_rejects rej = {
		.pages = LIST_HEAD_INIT(rej.pages),
		.budget = 256 + pmo->npages,
		.quota = pmo->quota,
	};
	gfp_t gfp = GFP_KERNEL;
	unsigned long done = 0;
	int nid = NUMA_NO_NODE, ret = 0;
	bool all;

	if (low > high || skip & ~PAGE_MASK || flags & ~DXGK_MM_FLAGS_KNOWN ||
	    pmo->size > DXGK_MDL_MAX_BYTES)
		return STATUS_INVALID_PARAMETER;
	if (flags & (MM_ALLOCATE_FAST_LARGE_PAGES | MM_ALLOCATE_AND_HOT_REMOVE))
		return STATUS_NOT_SUPPORTED;
	if (flags & MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS && skip &&
	    (!is_power_of_2(skip) || pmo->size % skip))
		return STATUS_INVALID_PARAMETER;
	if (flags & MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS &&
	    get_order(skip ? skip : pmo->npages << PAGE_SHIFT) > DXGK_MAX_ORDER)
		return STATUS_INSUFFICIENT_RESOURCES;
	/* Only the first window counts: later ones (SkipBytes) lie higher. */
	if (!dxgk_window_has_ram(low, high, skip ? 1 : pmo->npages))
		return STATUS_NO_MEMORY;
	/* MM_ALLOCATE_NO_WAIT: nothing here may wait, not even the array. */
	if (flags & MM_ALLOCATE_NO_WAIT) {
		gfp = GFP_NOWAIT;
		search = false;
	}
	if (!dxgk_pmo_reserve(pmo, gfp))
		return STATUS_NO_MEMORY;

	/*
	 * Fail like Mm does rather than wake the OOM killer. Pages come from
	 * the zone of the first window; with SkipBytes, once that is spent,
	 * from any zone (the later windows lie higher).
	 */
	gfp = dxgk_pmo_gfp(pmo, gfp | __GFP_RETRY_MAYFAIL | dxgk_gfp_zone(high));
	if (!(flags & MM_DONT_ZERO_ALLOCATION))
		gfp |= __GFP_ZERO;
	if (flags & MM_ALLOCATE_FROM_LOCAL_NODE_ONLY) {
		nid = numa_node_id();
		gfp |= __GFP_THISNODE;
	}

	/*
	 * A miniport's WC or UC object takes pooled pages first: they have
	 * its attribute already (DOC: Page pool). Not user space's (memory
	 * cgroup charges) and not where contiguity was asked for.
	 */
	pmo->poolable = !pmo->user &&
		!(flags & (MM_ALLOCATE_PREFER_CONTIGUOUS |
			   MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS));
	if (pmo->poolable) {
		struct dxgk_pool_window w = { low, high, skip, nid };

		done = dxgk_pool_take(pmo->cache, pmo->pages, pmo->npages,
				      dxgk_pool_fits, &w);
		pmo->pooled = done;
	}

	if (flags & MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS) {
		unsigned long chunk = skip ? skip >> PAGE_SHIFT : pmo->npages;
		unsigned int order = get_order(chunk << PAGE_SHIFT);

		/* never pooled (poolable): chunks start at page 0 */
		if (WARN_ON_ONCE(pmo->pooled)) {
			ret = -ENOMEM;
			goto out;
		}
		for (done = 0; done < pmo->npages && !ret; done += chunk)
			ret = dxgk_alloc_block_window(pmo->pages + done, chunk, order,
						      gfp, nid, low, high, &rej,
						      search);
		if (ret)
			done -= chunk;
		goto out;
	}

	all = dxgk_window_is_all(low, high, skip) && !pmo->user &&
	      !(flags & MM_ALLOCATE_PREFER_CONTIGUOUS);
	while (done < pmo->npages && !ret) {
		unsigned long left = pmo->npages - done;
		unsigned int order = 0;

		/* Prefer blocks that leave the rest of memory less fragmented. */
		if (flags & MM_ALLOCATE_PREFER_CONTIGUOUS && left > 1)
			order = min_t(unsigned int, ilog2(left), 9);
		if (order &&
		    !dxgk_alloc_block(pmo->pages + done, 1UL << order, order,
				      gfp | __GFP_NORETRY, nid, low, high, skip,
				      &rej)) {
			done += 1UL << order;
			continue;
		}
		/*
		 * Without a window, split whatever free blocks of up to 2 MiB
		 * the allocator has, as TTM's pool does: one call for many
		 * pages. Only blocks it has at once: no reclaim, not even
		 * kswapd's, and for miniports only (user space's high-order
		 * allocations need CAP_SYS_ADMIN, dxgk_gem.c).
		 */
		if (all && left >= 16) {
			order = ilog2(min(left, 512UL));
			if (!dxgk_alloc_block(pmo->pages + done, 1UL << order, order,
					      (gfp & ~__GFP_RECLAIM) | __GFP_NORETRY |
					      __GFP_NOMEMALLOC,
					      nid, low, high, skip, &rej)) {
				done += 1UL << order;
				continue;
			}
			all = false;	/* none left: page by page from here */
		}
		ret = dxgk_alloc_block(pmo->pages + done, 1, 0, gfp, nid, low,
				       high, skip, &rej);
		if (!ret) {
			done++;
		} else if (ret == -ENOSPC && skip && (gfp & GFP_ZONEMASK)) {
			gfp &= ~GFP_ZONEMASK;
			rej.budget = 256 + pmo->npages - done;
			ret = 0;
		}
	}

	/*
	 * The free lists hand out neighbours of the pages just refused (early
	 * on, all from one high-order block): once the budget is spent, aim
	 * at the window itself, in chunks of up to 64 pages. Not when the
	 * allocator itself ran dry: memory is short, not misplaced.
	 */
	while (ret == -ENOSPC && search && !(flags & MM_ALLOCATE_FROM_LOCAL_NODE_ONLY) &&
	       done < pmo->npages) {
		unsigned long chunk = min(pmo->npages - done, 64UL);

		chunk = rounddown_pow_of_two(chunk);
		ret = dxgk_alloc_block_in_range(pmo->pages + done, chunk,
						ilog2(chunk), low, high);
		if (ret) {
			ret = ret == -EINTR ? ret : -ENOSPC;
			break;
		}
		ret = -ENOSPC;
		done += chunk;
		if (done == pmo->npages)
			ret = 0;
	}
out:
	dxgk_rejects_free(&rej);
	if (ret) {
		/* the pooled pages go back; the fresh ones are still WB */
		dxgk_pages_free_cached(pmo->pages, pmo->pooled, pmo->cache, true);
		dxgk_free_pages(pmo->pages + pmo->pooled, done - pmo->pooled);
		pmo->pooled = 0;
		return ret == -EINTR ? STATUS_CANCELLED : STATUS_NO_MEMORY;
	}
	return STATUS_SUCCESS;
}

NTSTATUS
dxgk_alloc_contiguous(struct dxgk_pmo *pmo,
		      const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args,
		      bool search)
{
	u64 low = args->ContiguousMemory.LowestAcceptableAddress.QuadPart;
	u64 high = args->ContiguousMemory.HighestAcceptableAddress.QuadPart;
	u64 boundary = args->ContiguousMemory.BoundaryAddressMultiple.QuadPart;
	struct dxgk_rejects rej = {
		.pages = LIST_HEAD_INIT(rej.pages),
		.budget = 64,
		.quota = pmo->quota,
	};
	unsigned int order = get_order(pmo->size);
	int ret;

	if (low > high ||
	    (boundary && (!is_power_of_2(boundary) || pmo->size > boundary)))
		return STATUS_INVALID_PARAMETER;
	if (order > DXGK_MAX_ORDER)
		return STATUS_INSUFFICIENT_RESOURCES;
	if (!dxgk_window_has_ram(low, high, pmo->npages))
		return STATUS_NO_MEMORY;
	if (!dxgk_pmo_reserve(pmo, GFP_KERNEL))
		return STATUS_NO_MEMORY;

	ret = dxgk_alloc_block_window(pmo->pages, pmo->npages, order,
				      dxgk_pmo_gfp(pmo, GFP_KERNEL | __GFP_RETRY_MAYFAIL |
						   __GFP_ZERO | dxgk_gfp_zone(high)),
				      NUMA_NO_NODE, low, high, &rej, search);
	dxgk_rejects_free(&rej);
	if (ret == -EINTR)
		return STATUS_CANCELLED;
	return ret ? STATUS_NO_MEMORY : STATUS_SUCCESS;
}

/**
 * dxgk_section_pin - pin a SECTION's pages into pmo->pages
 * @pmo: a SECTION object, lock held
 *
 * Counted: every pin needs a dxgk_section_unpin().
 *
 * Returns: 0 or a negative errno.
 */
int dxgk_section_pin(struct dxgk_pmo *pmo)
{
	struct address_space *mapping = pmo->shmem->f_mapping;
	unsigned long i;
	int ret;

	if (pmo->pins++)
		return 0;
	for (i = 0; i < pmo->npages; i++) {
		struct page *page;

		page = shmem_read_mapping_page_gfp(mapping, i,
						   mapping_gfp_mask(mapping));
		if (IS_ERR(page)) {
			ret = PTR_ERR(page);
			goto err;
		}
		pmo->pages[i] = page;
	}
	mapping_set_unevictable(mapping);
	ret = dxgk_pages_set_caching(pmo->pages, pmo->npages, pmo->cache);
	if (ret)
		goto err;
	return 0;
err:
	/* pages[] is non-NULL only while pinned (dxgk_pmo_fault(), ADLs). */
	while (i--) {
		put_page(pmo->pages[i]);
		pmo->pages[i] = NULL;
	}
	mapping_clear_unevictable(mapping);
	pmo->pins--;
	return ret;
}

/**
 * dxgk_section_unpin - drop a pin of a SECTION's pages
 * @pmo: a SECTION object, lock held
 */
void dxgk_section_unpin(struct dxgk_pmo *pmo)
{
	unsigned long i;

	if (--pmo->pins)
		return;
	/* shmem would hand them out again: an extra reference keeps them. */
	if (!dxgk_pages_restore_caching(pmo->pages, pmo->npages, pmo->cache))
		dxgk_pages_leak(pmo->pages, pmo->npages);
	for (i = 0; i < pmo->npages; i++) {
		set_page_dirty(pmo->pages[i]);
		mark_page_accessed(pmo->pages[i]);
		put_page(pmo->pages[i]);
		pmo->pages[i] = NULL;
	}
	mapping_clear_unevictable(pmo->shmem->f_mapping);
}

NTSTATUS dxgk_alloc_section(struct dxgk_pmo *pmo,
			    const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args)
{
	ULONG prot = args->Section.PageProtection;
	ULONG attrs = args->Section.AllocationAttributes;
	struct file *file;
	int ret = 0;

	if (pmo->cache == DXGK_MEMORY_CACHING_TYPE_NON_CACHED)
		return STATUS_INVALID_PARAMETER;
	if (prot != WDK_PAGE_READONLY && prot != PAGE_READWRITE &&
	    prot != PAGE_WRITECOPY && prot != PAGE_EXECUTE)
		return STATUS_INVALID_PARAMETER;
	if (attrs && attrs != SEC_COMMIT)
		return STATUS_INVALID_PARAMETER;
	/*
	 * Copy-on-write views need private copies of pages that every other
	 * mapping shares with the object's cache type: not implemented.
	 */
	if (args->Section.ObjectAttributes || prot == PAGE_WRITECOPY)
		return STATUS_NOT_SUPPORTED;
	if (!dxgk_pmo_reserve(pmo, GFP_KERNEL))
		return STATUS_NO_MEMORY;

	file = dxgk_shmem_file_noreserve("dxgk-section",
					 pmo->npages << PAGE_SHIFT);
	if (IS_ERR(file))
		return dxgk_errno_to_ntstatus(PTR_ERR(file));
	/* Pinned while mapped: keep the pages out of ZONE_MOVABLE and CMA. */
	mapping_set_gfp_mask(file->f_mapping, GFP_HIGHUSER | __GFP_RETRY_MAYFAIL);
	pmo->shmem = file;
	pmo->prot = prot;

	/* A WC section keeps its pages: their linear map must stay WC. */
	if (pmo->cache == DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED) {
		mutex_lock(&pmo->lock);
		ret = dxgk_section_pin(pmo);
		mutex_unlock(&pmo->lock);
	}
	if (ret) {
		fput(file);
		pmo->shmem = NULL;
		/* set_pages_array_wc() says -EINVAL for any failure. */
		return ret == -ENOMEM || ret == -EINVAL ? STATUS_NO_MEMORY :
			dxgk_errno_to_ntstatus(ret);
	}
	return STATUS_SUCCESS;
}

NTSTATUS dxgk_io_space(struct dxgk_pmo *pmo,
		       const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args)
{
	u64 base = args->IOSpace.BaseAddress.QuadPart, end;

	if (base & ~PAGE_MASK)
		return STATUS_INVALID_PARAMETER;
	/* PHYSICAL_ADDRESS is a LONGLONG: the range must stay below 2^63. */
	if (check_add_overflow(base, pmo->size - 1, &end) || end > S64_MAX)
		return STATUS_INTEGER_OVERFLOW;
#ifdef CONFIG_X86
	if (end >> boot_cpu_data.x86_phys_bits)
		return STATUS_INVALID_PARAMETER;
#endif
	if (region_intersects(base, pmo->size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return STATUS_CONFLICTING_ADDRESSES;
	pmo->io_base = base;
	return STATUS_SUCCESS;
}

/**
 * dxgk_pmo_sg_table - the object's pages as a scatterlist
 * @pmo: an MDL, CONTIGUOUS_MEMORY or pinned SECTION object
 * @max_seg: the longest segment the device it is for takes, in bytes
 *
 * Returns: a new sg_table (free with sg_free_table() and kfree()), or an
 * ERR_PTR.
 */
struct sg_table *dxgk_pmo_sg_table(struct dxgk_pmo *pmo, unsigned int max_seg)
{
	struct sg_table *sgt;
	int ret;

	/* A device that takes less than a page per segment cannot have it. */
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE || !pmo->pages[0] ||
	    max_seg < PAGE_SIZE)
		return ERR_PTR(-EINVAL);
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages_segment(sgt, pmo->pages, pmo->npages, 0,
						pmo->npages << PAGE_SHIFT,
						max_seg & PAGE_MASK, GFP_KERNEL);
	if (ret) {
		kfree(sgt);
		return ERR_PTR(ret);
	}
	return sgt;
}

/**
 * dxgk_pmo_stats - how the allocator has searched so far
 * @rejected: pages set aside outside a window, in all
 * @range_searches: windows searched with alloc_contig_range(), in all
 */
void dxgk_pmo_stats(long *rejected, long *range_searches)
{
	*rejected = atomic_long_read(&dxgk_pmo_rejected);
	*range_searches = atomic_long_read(&dxgk_pmo_range_searches);
}
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_stats, DXGK_NS);
