// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - physical memory objects (PMOs) and adapter memory objects
 * (AMOs): DxgkCbCreate/Destroy/Open/ClosePhysicalMemoryObject and
 * DxgkCbMap/UnmapPhysicalMemory.
 */

#include <linux/anon_inodes.h>
#include <linux/debugfs.h>
#include <linux/file.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kref.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/scatterlist.h>
#include <linux/sched/mm.h>
#include <linux/seq_file.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include "dxgk_compat.h"
#include "dxgk_drv.h"
#include "dxgk_pmo.h"

/**
 * DOC: Physical memory objects
 *
 * A PMO is memory a miniport allocates (or, for IO_SPACE, describes) through
 * DxgkCbCreatePhysicalMemoryObject. It owns its backing store and has one
 * cache type, fixed at creation, which every CPU mapping of it uses.
 *
 * Backing store by type:
 *
 * - MDL: order-0 pages from the page allocator. Every page lies inside
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
 *
 * Cache types: CACHED maps with PAGE_KERNEL, WRITE_COMBINED with
 * pgprot_writecombine() and NON_CACHED with pgprot_noncached() (UC- for RAM,
 * ioremap_uc() for IO space). On x86 the linear-map attribute of the pages
 * is changed to match with set_pages_array_wc()/_uc() while the object owns
 * them, and set back to WB before they are freed. PAT forbids conflicting
 * aliases; without this, user mappings would silently get WB. A failed
 * attribute change may have changed some of the pages (the page-table
 * split it needs can run out of memory): they are set back to WB, and
 * pages whose linear map cannot be set back are never freed (a page with
 * a WC or UC linear map must not reach another user), but leaked and
 * counted (debugfs counters: leaked_pages_total).
 */

/* The page allocator's largest block: MAX_PAGE_ORDER (6.8+) or MAX_ORDER - 1. */
#ifdef MAX_PAGE_ORDER
#define DXGK_MAX_ORDER MAX_PAGE_ORDER
#else
#define DXGK_MAX_ORDER (MAX_ORDER - 1)
#endif

/* Handles: PMOs and AMOs are indices in two tables, tagged by kind. */
#define DXGK_HANDLE_PMO		1UL
#define DXGK_HANDLE_AMO		2UL
#define DXGK_HANDLE_SHIFT	2

/* Mm's limit for one MDL allocation: 4 GiB - PAGE_SIZE. */
#define DXGK_MDL_MAX_BYTES	(SZ_4G - PAGE_SIZE)

#define DXGK_MM_FLAGS_KNOWN	(MM_DONT_ZERO_ALLOCATION |		\
				 MM_ALLOCATE_FROM_LOCAL_NODE_ONLY |	\
				 MM_ALLOCATE_FULLY_REQUIRED |		\
				 MM_ALLOCATE_NO_WAIT |			\
				 MM_ALLOCATE_PREFER_CONTIGUOUS |	\
				 MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS |	\
				 MM_ALLOCATE_FAST_LARGE_PAGES |		\
				 MM_ALLOCATE_AND_HOT_REMOVE)

static DEFINE_XARRAY_ALLOC1(dxgk_pmos);
static DEFINE_XARRAY_ALLOC1(dxgk_amos);
static u32 dxgk_pmo_next, dxgk_amo_next;

/* Global counters (debugfs): live objects, backing pages by cache type. */
static atomic_t dxgk_pmo_objects = ATOMIC_INIT(0);
static atomic_long_t dxgk_pmo_pages[3];
/* Pages kept forever because their linear map could not be made WB again. */
static atomic_long_t dxgk_pmo_leaked;
static struct dentry *dxgk_debugfs;

/*
 * All RAM-backed objects together may use this share of RAM: past it,
 * creation fails with STATUS_NO_MEMORY while the rest of the system still
 * has memory, instead of draining it until the OOM killer runs.
 */
static unsigned int dxgk_max_memory_percent = 50;
module_param_named(max_memory_percent, dxgk_max_memory_percent, uint, 0644);
MODULE_PARM_DESC(max_memory_percent,
		 "Share of RAM all physical memory objects may use (default: 50)");
static atomic_long_t dxgk_pmo_reserved;

/*
 * The objects one DRM file creates may use this share of RAM together (and
 * all of them count against max_memory_percent too); their memory is also
 * charged to the creator's memory cgroup.
 */
static unsigned int dxgk_max_file_percent = 25;
module_param_named(max_file_memory_percent, dxgk_max_file_percent, uint, 0644);
MODULE_PARM_DESC(max_file_memory_percent,
		 "Share of RAM the objects created through one DRM file may use (default: 25)");

/*
 * The objects user space creates together may use this share of RAM (it
 * counts against max_memory_percent too): the rest of that cap stays for
 * the miniports' own objects, whoever opens and closes render nodes.
 */
static unsigned int dxgk_max_user_percent = 40;
module_param_named(max_user_memory_percent, dxgk_max_user_percent, uint, 0644);
MODULE_PARM_DESC(max_user_memory_percent,
		 "Share of RAM all objects created from user space may use (default: 40)");
static atomic_long_t dxgk_user_reserved;

/* How often allocation set pages aside and searched a window (debugfs). */
static atomic_long_t dxgk_pmo_rejected;
static atomic_long_t dxgk_pmo_range_searches;

static unsigned long dxgk_percent_of_ram(unsigned int percent)
{
	return totalram_pages() / 100 * min(percent, 100U);
}

/* Pages all physical memory objects together may hold. */
static unsigned long dxgk_pmo_limit(void)
{
	return dxgk_percent_of_ram(READ_ONCE(dxgk_max_memory_percent));
}

/**
 * dxgk_pmo_quota_new - the budget of one DRM file's objects
 *
 * Returns: a quota with one reference, or NULL.
 */
struct dxgk_pmo_quota *dxgk_pmo_quota_new(void)
{
	struct dxgk_pmo_quota *q = kzalloc(sizeof(*q), GFP_KERNEL_ACCOUNT);

	if (q)
		kref_init(&q->ref);
	return q;
}

static void dxgk_pmo_quota_free(struct kref *ref)
{
	kfree(container_of(ref, struct dxgk_pmo_quota, ref));
}

/**
 * dxgk_pmo_quota_put - drop a reference on a quota
 * @q: the quota, or NULL
 */
void dxgk_pmo_quota_put(struct dxgk_pmo_quota *q)
{
	if (q)
		kref_put(&q->ref, dxgk_pmo_quota_free);
}

/* Add @n to @counter unless that passes @limit. */
static bool dxgk_counter_add(atomic_long_t *counter, unsigned long n,
			     unsigned long limit)
{
	if (atomic_long_add_return(n, counter) > limit) {
		atomic_long_sub(n, counter);
		return false;
	}
	return true;
}

/*
 * Count @n pages against the cap and, for user space (@q set), against
 * the share of all user objects and @q's file; false if over any.
 */
static bool dxgk_pmo_charge(struct dxgk_pmo_quota *q, unsigned long n)
{
	if (!dxgk_counter_add(&dxgk_pmo_reserved, n, dxgk_pmo_limit()))
		return false;
	if (!q)
		return true;
	if (!dxgk_counter_add(&dxgk_user_reserved, n,
			      dxgk_percent_of_ram(READ_ONCE(dxgk_max_user_percent))))
		goto err_user;
	if (!dxgk_counter_add(&q->pages, n,
			      dxgk_percent_of_ram(READ_ONCE(dxgk_max_file_percent))))
		goto err_file;
	return true;
err_file:
	atomic_long_sub(n, &dxgk_user_reserved);
err_user:
	atomic_long_sub(n, &dxgk_pmo_reserved);
	return false;
}

static void dxgk_pmo_uncharge(struct dxgk_pmo_quota *q, unsigned long n)
{
	if (q) {
		atomic_long_sub(n, &q->pages);
		atomic_long_sub(n, &dxgk_user_reserved);
	}
	atomic_long_sub(n, &dxgk_pmo_reserved);
}

/*
 * Allocation flags of the object's own memory: charged for user space, and
 * then failing at the memory cgroup's limit rather than OOM-killing in it.
 */
static gfp_t dxgk_pmo_gfp(const struct dxgk_pmo *pmo, gfp_t gfp)
{
	return pmo->user ? gfp | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL : gfp;
}

/*
 * Count the object against the cap and allocate its page array; after its
 * arguments are checked. The array comes after the cap, so its size is
 * bounded by the cap and not by what the caller asked for.
 */
static bool dxgk_pmo_reserve(struct dxgk_pmo *pmo, gfp_t gfp)
{
	if (!dxgk_pmo_charge(pmo->quota, pmo->npages))
		return false;
	pmo->reserved = true;
	pmo->pages = kvcalloc(pmo->npages, sizeof(*pmo->pages),
			      dxgk_pmo_gfp(pmo, gfp | __GFP_NOWARN));
	return pmo->pages;	/* the caller's error path unreserves */
}

static HANDLE dxgk_make_handle(u32 id, unsigned long kind)
{
	return (HANDLE)(((uintptr_t)id << DXGK_HANDLE_SHIFT) | kind);
}

static u32 dxgk_handle_id(HANDLE h, unsigned long kind)
{
	uintptr_t v = (uintptr_t)h;

	if ((v & ((1UL << DXGK_HANDLE_SHIFT) - 1)) != kind)
		return 0;
	v >>= DXGK_HANDLE_SHIFT;
	return v <= U32_MAX ? v : 0;
}

/**
 * dxgk_pmo_count - number of live physical memory objects
 *
 * Returns: the number of PMOs whose handle is still valid.
 */
unsigned int dxgk_pmo_count(void)
{
	unsigned long index;
	unsigned int n = 0;
	void *entry;

	xa_for_each(&dxgk_pmos, index, entry)
		n++;
	return n;
}
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_count, DXGKCOMPAT_INTERNAL);

/* ---- caching ---------------------------------------------------------- */

static pgprot_t dxgk_pgprot(DXGK_MEMORY_CACHING_TYPE cache, pgprot_t prot)
{
	switch (cache) {
	case DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED:
		return pgprot_writecombine(prot);
	case DXGK_MEMORY_CACHING_TYPE_NON_CACHED:
		return pgprot_noncached(prot);
	default:
		return prot;
	}
}

/*
 * Back to write-back before the pages leave the object. Returns false if
 * the linear map may still be WC or UC for some of them: the caller must
 * then never free them (dxgk_pages_leak()).
 */
static bool dxgk_pages_restore_caching(struct page **pages, unsigned long n,
				       DXGK_MEMORY_CACHING_TYPE cache)
{
#ifdef CONFIG_X86
	if (cache != DXGK_MEMORY_CACHING_TYPE_CACHED && set_pages_array_wb(pages, n))
		return false;
#endif
	return true;
}

/* Pages that must never be reused: keep a reference forever, count them. */
static void dxgk_pages_leak(struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		get_page(pages[i]);
	atomic_long_add(n, &dxgk_pmo_leaked);
	pr_err("dxgkcompat: %lu pages leaked: their linear map could not be set back to write-back\n",
	       n);
}

/*
 * Set the linear-map attribute of pages the object now owns. On failure
 * the pages are WB again, or (if even that failed) leaked: either way the
 * caller frees them as usual (a leaked page keeps its extra reference).
 */
static int dxgk_pages_set_caching(struct page **pages, unsigned long n,
				  DXGK_MEMORY_CACHING_TYPE cache)
{
	int ret = 0;

#ifdef CONFIG_X86
	if (cache == DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED)
		ret = set_pages_array_wc(pages, n);
	else if (cache == DXGK_MEMORY_CACHING_TYPE_NON_CACHED)
		ret = set_pages_array_uc(pages, n);
	/* A partial change leaves some pages WC or UC: set them all back. */
	if (ret && !dxgk_pages_restore_caching(pages, n, cache))
		dxgk_pages_leak(pages, n);
#endif
	return ret;
}

/* ---- allocation ------------------------------------------------------- */

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
		if (alloc_contig_range(pfn, pfn + rs->npages, MIGRATE_MOVABLE,
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

/*
 * Does [@low, @high] hold @want pages of System RAM at all? An impossible
 * window fails at once instead of after the zone was searched.
 */
static bool dxgk_window_has_ram(u64 low, u64 high, unsigned long want)
{
	unsigned long n = 0;

	if (low > high || (high - low) >> PAGE_SHIFT < want - 1)
		return false;
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, low, high,
			    &n, dxgk_count_ram);
	return n >= want;
}

static void dxgk_free_pages(struct page **pages, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		__free_page(pages[i]);
}

static NTSTATUS dxgk_alloc_mdl(struct dxgk_pmo *pmo,
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

	if (flags & MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS) {
		unsigned long chunk = skip ? skip >> PAGE_SHIFT : pmo->npages;
		unsigned int order = get_order(chunk << PAGE_SHIFT);

		for (done = 0; done < pmo->npages && !ret; done += chunk)
			ret = dxgk_alloc_block_window(pmo->pages + done, chunk, order,
						      gfp, nid, low, high, &rej,
						      search);
		if (ret)
			done -= chunk;
		goto out;
	}

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
		dxgk_free_pages(pmo->pages, done);
		return ret == -EINTR ? STATUS_CANCELLED : STATUS_NO_MEMORY;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS
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

static NTSTATUS dxgk_alloc_section(struct dxgk_pmo *pmo,
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

	file = shmem_file_setup("dxgk-section", pmo->npages << PAGE_SHIFT,
				VM_NORESERVE);
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

static NTSTATUS dxgk_io_space(struct dxgk_pmo *pmo,
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

static void dxgk_pmo_release(struct kref *ref)
{
	struct dxgk_pmo *pmo = container_of(ref, struct dxgk_pmo, ref);

	switch (pmo->type) {
	case DXGK_PHYSICAL_MEMORY_TYPE_MDL:
	case DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY:
		if (!dxgk_pages_restore_caching(pmo->pages, pmo->npages, pmo->cache))
			dxgk_pages_leak(pmo->pages, pmo->npages);
		dxgk_free_pages(pmo->pages, pmo->npages);
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_SECTION:
		if (pmo->pins) {
			pmo->pins = 1;
			dxgk_section_unpin(pmo);
		}
		fput(pmo->shmem);
		break;
	default:
		break;
	}
	/* The callback's file holds a reference: it went at Destroy. */
	WARN_ON_ONCE(pmo->ufile);
	if (pmo->reserved)
		dxgk_pmo_uncharge(pmo->quota, pmo->npages);
	dxgk_pmo_quota_put(pmo->quota);
	if (pmo->id) {
		atomic_dec(&dxgk_pmo_objects);
		if (pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE)
			atomic_long_sub(pmo->npages, &dxgk_pmo_pages[pmo->cache]);
	}
	kvfree(pmo->pages);
	mutex_destroy(&pmo->lock);
	kfree(pmo);
}

/**
 * dxgk_pmo_put - drop a reference taken by dxgk_pmo_get()
 * @pmo: the object
 */
void dxgk_pmo_put(struct dxgk_pmo *pmo)
{
	kref_put(&pmo->ref, dxgk_pmo_release);
}

/**
 * dxgk_pmo_get - a reference on the live object behind a handle
 * @h: an hPhysicalMemoryObject
 *
 * Returns: the object, or NULL for an unknown or destroyed handle.
 */
struct dxgk_pmo *dxgk_pmo_get(HANDLE h)
{
	u32 id = dxgk_handle_id(h, DXGK_HANDLE_PMO);
	struct dxgk_pmo *pmo = NULL;

	if (!id)
		return NULL;
	xa_lock(&dxgk_pmos);
	pmo = xa_load(&dxgk_pmos, id);
	if (pmo && !kref_get_unless_zero(&pmo->ref))
		pmo = NULL;
	xa_unlock(&dxgk_pmos);
	return pmo;
}
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_get, DXGKCOMPAT_INTERNAL);

/* dxgk_pmo_get() for a callback: an unknown handle is the caller's misuse. */
static struct dxgk_pmo *dxgk_pmo_get_checked(HANDLE h, const char *caller)
{
	struct dxgk_pmo *pmo = dxgk_pmo_get(h);

	if (!pmo)
		dxgk_misuse("%s: invalid handle %p\n", caller, h);
	return pmo;
}

/* Undo a kernel mapping; pmo->lock held, @map off the list. */
static void dxgk_cpu_map_release(struct dxgk_pmo *pmo, struct dxgk_cpu_map *map)
{
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE) {
		iounmap((void __iomem __force *)map->base);
	} else {
		vunmap(map->base);
		if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION)
			dxgk_section_unpin(pmo);
	}
	kfree(map);
}

static struct dxgk_amo *dxgk_amo_new(struct dxgk_pmo *pmo, HANDLE adapter,
				     HANDLE *out)
{
	struct dxgk_amo *amo = kzalloc(sizeof(*amo), GFP_KERNEL);

	if (!amo)
		return NULL;
	if (xa_alloc_cyclic(&dxgk_amos, &amo->id, amo, xa_limit_31b,
			    &dxgk_amo_next, GFP_KERNEL) < 0) {
		kfree(amo);
		return NULL;
	}
	kref_get(&pmo->ref);
	amo->pmo = pmo;
	amo->adapter_handle = adapter;
	INIT_LIST_HEAD(&amo->adls);
	pmo->amo = amo;
	*out = dxgk_make_handle(amo->id, DXGK_HANDLE_AMO);
	return amo;
}

/**
 * dxgk_amo_pmo_get - the PMO of the live AMO behind a handle
 * @h: an hAdapterMemoryObject
 * @id: receives the AMO's id
 *
 * The AMO itself may be closed at any time: find it again under the PMO's
 * lock with dxgk_amo_locked().
 *
 * Returns: the PMO with a reference (dxgk_pmo_put() it), or NULL.
 */
struct dxgk_pmo *dxgk_amo_pmo_get(HANDLE h, u32 *id)
{
	struct dxgk_pmo *pmo = NULL;
	struct dxgk_amo *amo;

	*id = dxgk_handle_id(h, DXGK_HANDLE_AMO);
	if (!*id)
		return NULL;
	xa_lock(&dxgk_amos);
	amo = xa_load(&dxgk_amos, *id);
	if (amo) {
		pmo = amo->pmo;
		kref_get(&pmo->ref);
	}
	xa_unlock(&dxgk_amos);
	return pmo;
}

/**
 * dxgk_amo_locked - the PMO's AMO if it is still the one with @id
 * @pmo: the object, lock held
 * @id: an AMO id from dxgk_amo_pmo_get()
 *
 * Returns: the AMO, or NULL if it was closed.
 */
struct dxgk_amo *dxgk_amo_locked(struct dxgk_pmo *pmo, u32 id)
{
	return pmo->amo && pmo->amo->id == id ? pmo->amo : NULL;
}

/* Close an AMO. Called with amo->pmo->lock held; drops the AMO's reference. */
static void dxgk_amo_close_locked(struct dxgk_amo *amo)
{
	struct dxgk_pmo *pmo = amo->pmo;

	xa_erase(&dxgk_amos, amo->id);
	pmo->amo = NULL;
	kfree(amo);
	/* The caller holds its own reference, so this is never the last. */
	kref_put(&pmo->ref, dxgk_pmo_release);
}

/**
 * dxgk_cb_create_physical_memory_object - DxgkCbCreatePhysicalMemoryObject
 * @pArgs: the WDK arguments
 *
 * See the "Physical memory objects" section of the documentation for the
 * backing store of each type. hAdapter may be NULL; otherwise the object is
 * opened on that adapter and hAdapterMemoryObject is its AMO.
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a NULL @pArgs, a
 * zero Size, an unknown Type or CacheType, or type-specific arguments the
 * documentation rules out; STATUS_INVALID_HANDLE for an unknown hAdapter;
 * STATUS_NOT_SUPPORTED for refused MM_ALLOCATE_* flags and named sections;
 * STATUS_CONFLICTING_ADDRESSES for an IO_SPACE range overlapping RAM;
 * STATUS_INTEGER_OVERFLOW for an IO_SPACE range past the address space;
 * STATUS_INSUFFICIENT_RESOURCES for a contiguous request beyond the page
 * allocator's largest block; STATUS_NO_MEMORY when memory is short.
 */
NTSTATUS
dxgk_cb_create_physical_memory_object(IN_OUT_PDXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT pArgs)
{
	return dxgk_pmo_create(pArgs, NULL, true);
}

/**
 * dxgk_pmo_create - create a physical memory object
 * @pArgs: the WDK arguments
 * @quota: for an object user space asks for: the budget of its DRM file,
 *	which it holds a reference on; its memory is then charged to the
 *	caller's memory cgroup. NULL for a miniport's object.
 * @search: the allocation may search a window with alloc_contig_range()
 *
 * DxgkCbCreatePhysicalMemoryObject, for the port's own callers.
 *
 * Context: PASSIVE_LEVEL.
 * Returns: as dxgk_cb_create_physical_memory_object(); STATUS_CANCELLED if
 * a fatal signal ended the allocation.
 */
NTSTATUS dxgk_pmo_create(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *pArgs,
			 struct dxgk_pmo_quota *quota, bool search)
{
	struct dxgk_pmo *pmo;
	NTSTATUS status;
	gfp_t gfp = GFP_KERNEL;

	might_sleep();
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->hPhysicalMemoryObject = NULL;
	pArgs->hAdapterMemoryObject = NULL;
	if (!pArgs->Size || pArgs->Type > DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE ||
	    pArgs->CacheType > DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED)
		return STATUS_INVALID_PARAMETER;
	if (pArgs->Type != DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE &&
	    pArgs->Size > (SIZE_T)LONG_MAX - PAGE_SIZE)
		return STATUS_INVALID_PARAMETER;
	if (pArgs->hAdapter &&
	    !dxgk_adapter_get(pArgs->hAdapter, "DxgkCbCreatePhysicalMemoryObject"))
		return STATUS_INVALID_HANDLE;

	if (pArgs->Type == DXGK_PHYSICAL_MEMORY_TYPE_MDL &&
	    pArgs->Mdl.Flags & MM_ALLOCATE_NO_WAIT)
		gfp = GFP_NOWAIT;
	if (quota)
		gfp |= __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL;

	pmo = kzalloc(sizeof(*pmo), gfp);
	if (!pmo)
		return STATUS_NO_MEMORY;
	kref_init(&pmo->ref);
	mutex_init(&pmo->lock);
	INIT_LIST_HEAD(&pmo->maps);
	pmo->type = pArgs->Type;
	pmo->cache = pArgs->CacheType;
	pmo->size = pArgs->Size;
	pmo->npages = DIV_ROUND_UP_ULL(pmo->size, PAGE_SIZE);
	pmo->context = pArgs->Context;
	pmo->prot = PAGE_READWRITE;
	if (quota) {
		pmo->user = true;
		kref_get(&quota->ref);
		pmo->quota = quota;
	}

	switch (pmo->type) {
	case DXGK_PHYSICAL_MEMORY_TYPE_MDL:
		status = dxgk_alloc_mdl(pmo, pArgs, search);
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY:
		status = dxgk_alloc_contiguous(pmo, pArgs, search);
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_SECTION:
		status = dxgk_alloc_section(pmo, pArgs);
		break;
	default:
		status = dxgk_io_space(pmo, pArgs);
		break;
	}
	if (!NT_SUCCESS(status))
		goto err_free;

	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_MDL ||
	    pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY) {
		if (dxgk_pages_set_caching(pmo->pages, pmo->npages, pmo->cache)) {
			dxgk_free_pages(pmo->pages, pmo->npages);
			status = STATUS_INSUFFICIENT_RESOURCES;
			goto err_free;
		}
	}

	if (current->mm)
		snprintf(pmo->owner, sizeof(pmo->owner), "%s[%d]", current->comm,
			 task_tgid_nr(current));
	else
		strscpy(pmo->owner, "kernel", sizeof(pmo->owner));
	if (xa_alloc_cyclic(&dxgk_pmos, &pmo->id, pmo, xa_limit_31b,
			    &dxgk_pmo_next, gfp & ~(__GFP_ACCOUNT | __GFP_RETRY_MAYFAIL)) < 0) {
		pmo->id = 0;
		dxgk_pmo_put(pmo);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	atomic_inc(&dxgk_pmo_objects);
	if (pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE)
		atomic_long_add(pmo->npages, &dxgk_pmo_pages[pmo->cache]);

	if (pArgs->hAdapter) {
		mutex_lock(&pmo->lock);
		if (!dxgk_amo_new(pmo, pArgs->hAdapter, &pArgs->hAdapterMemoryObject)) {
			mutex_unlock(&pmo->lock);
			xa_erase(&dxgk_pmos, pmo->id);
			dxgk_pmo_put(pmo);
			return STATUS_NO_MEMORY;
		}
		mutex_unlock(&pmo->lock);
	}
	pArgs->hPhysicalMemoryObject = dxgk_make_handle(pmo->id, DXGK_HANDLE_PMO);
	return STATUS_SUCCESS;

err_free:
	if (pmo->reserved)
		dxgk_pmo_uncharge(pmo->quota, pmo->npages);
	dxgk_pmo_quota_put(pmo->quota);
	kvfree(pmo->pages);
	mutex_destroy(&pmo->lock);
	kfree(pmo);
	return status;
}

/*
 * Take the object's handle (and, with @close_amo, its AMO) away; lock held.
 * Returns the callback's mapping file, whose reference on the object the
 * caller drops with fput() after unlocking.
 */
static struct file *dxgk_pmo_unpublish_locked(struct dxgk_pmo *pmo, bool close_amo)
{
	struct file *ufile = pmo->ufile;

	if (close_amo && pmo->amo)
		dxgk_amo_close_locked(pmo->amo);
	pmo->destroyed = true;
	pmo->ufile = NULL;
	xa_erase(&dxgk_pmos, pmo->id);
	return ufile;
}

/**
 * dxgk_cb_destroy_physical_memory_object - DxgkCbDestroyPhysicalMemoryObject
 * @pArgs: the PMO and, optionally, its AMO to close with it
 *
 * Misuse, warned about once and refused with the object left intact: an
 * unknown or destroyed handle (destroy twice), an object with live CPU
 * mappings, an hAdapterMemoryObject that is not this object's AMO.
 *
 * Context: PASSIVE_LEVEL.
 */
void
dxgk_cb_destroy_physical_memory_object(IN_CONST_PDXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT pArgs)
{
	struct file *ufile;
	struct dxgk_pmo *pmo;

	might_sleep();
	if (!pArgs) {
		dxgk_misuse("DxgkCbDestroyPhysicalMemoryObject(NULL)\n");
		return;
	}
	pmo = dxgk_pmo_get_checked(pArgs->hPhysicalMemoryObject,
				   "DxgkCbDestroyPhysicalMemoryObject");
	if (!pmo)
		return;

	mutex_lock(&pmo->lock);
	if (pmo->destroyed) {
		dxgk_misuse("DxgkCbDestroyPhysicalMemoryObject: destroyed twice\n");
		goto out;
	}
	if (!list_empty(&pmo->maps) || pmo->nvmas) {
		dxgk_misuse("DxgkCbDestroyPhysicalMemoryObject with live CPU mappings\n");
		goto out;
	}
	if (pmo->amo && pmo->amo->nadls) {
		dxgk_misuse("DxgkCbDestroyPhysicalMemoryObject with live ADLs\n");
		goto out;
	}
	if (pArgs->hAdapterMemoryObject &&
	    (!pmo->amo || pArgs->hAdapterMemoryObject !=
			  dxgk_make_handle(pmo->amo->id, DXGK_HANDLE_AMO))) {
		dxgk_misuse("DxgkCbDestroyPhysicalMemoryObject: %p is not its AMO\n",
			    pArgs->hAdapterMemoryObject);
		goto out;
	}
	ufile = dxgk_pmo_unpublish_locked(pmo, !!pArgs->hAdapterMemoryObject);
	mutex_unlock(&pmo->lock);
	if (ufile)
		fput(ufile);
	dxgk_pmo_put(pmo);	/* the handle's reference */
	dxgk_pmo_put(pmo);	/* ours */
	return;
out:
	mutex_unlock(&pmo->lock);
	dxgk_pmo_put(pmo);
}

/* No CPU mapping or ADL is live: the object may go. Lock held. */
static bool dxgk_pmo_idle_locked(const struct dxgk_pmo *pmo)
{
	return list_empty(&pmo->maps) && !pmo->nvmas &&
	       !(pmo->amo && pmo->amo->nadls);
}

/**
 * dxgk_pmo_reap_locked - destroy an orphan whose last mapping or ADL went
 * @pmo: the object, lock held
 * @ufile: receives the callback's mapping file to fput() after unlocking,
 *	or NULL
 *
 * Destroys the object as its GEM object asked (dxgk_pmo_orphan()) once
 * nothing uses it any more.
 *
 * Returns: true if the caller must drop the handle's reference after
 * unlocking.
 */
static bool dxgk_pmo_reap_locked(struct dxgk_pmo *pmo, struct file **ufile)
{
	*ufile = NULL;
	if (!pmo->orphan || pmo->destroyed || !dxgk_pmo_idle_locked(pmo))
		return false;
	*ufile = dxgk_pmo_unpublish_locked(pmo, true);
	return true;
}

/**
 * dxgk_pmo_unlock_reap - unlock the object; destroy it if an unused orphan
 * @pmo: the object, lock held; the caller's reference stays its own
 */
void dxgk_pmo_unlock_reap(struct dxgk_pmo *pmo)
{
	struct file *ufile;
	bool reaped = dxgk_pmo_reap_locked(pmo, &ufile);

	mutex_unlock(&pmo->lock);
	if (ufile)
		fput(ufile);
	if (reaped)
		dxgk_pmo_put(pmo);	/* the handle's reference */
}

/**
 * dxgk_pmo_orphan - the GEM object of a PMO is freed
 * @pmo: the object, with the reference the GEM object held
 *
 * DxgkCbDestroyPhysicalMemoryObject with its AMO, except that CPU
 * mappings or ADLs a miniport made of it (USER_MODE maps from an Escape)
 * may still be live: a user closing its last handle is no misuse. The
 * object is destroyed when the last of them goes. Drops @pmo's reference.
 */
void dxgk_pmo_orphan(struct dxgk_pmo *pmo)
{
	/* Decided and done under one hold of the lock: no map can slip in. */
	mutex_lock(&pmo->lock);
	pmo->orphan = true;
	dxgk_pmo_unlock_reap(pmo);
	dxgk_pmo_put(pmo);		/* the GEM object's */
}
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_orphan, DXGKCOMPAT_INTERNAL);

/**
 * dxgk_pmo_view - the pages a map of [@offset, @offset + @size) covers
 * @pmo: the object
 * @offset: byte offset of the data in the object
 * @size: bytes wanted
 * @first: first page of the mapping (out)
 * @size_out: size of the mapping, a page multiple (out)
 *
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a zero @size;
 * STATUS_INTEGER_OVERFLOW when @offset + @size overflows;
 * STATUS_INVALID_VIEW_SIZE when it passes the object's size.
 */
NTSTATUS dxgk_pmo_view(const struct dxgk_pmo *pmo, u64 offset, u64 size,
		       unsigned long *first, size_t *size_out)
{
	u64 end;

	if (!size)
		return STATUS_INVALID_PARAMETER;
	if (check_add_overflow(offset, size, &end))
		return STATUS_INTEGER_OVERFLOW;
	if (end > pmo->size)
		return STATUS_INVALID_VIEW_SIZE;
	*first = offset >> PAGE_SHIFT;
	*size_out = PAGE_ALIGN(end) - (*first << PAGE_SHIFT);
	return STATUS_SUCCESS;
}

/**
 * dxgk_pmo_test_pfn - the page frame behind a byte of an MDL or CONTIGUOUS PMO
 * @pmo: the object
 * @offset: a byte offset inside it
 * @pfn: receives the page frame number
 *
 * For the isolation test only: the physical address, which no ADL hands
 * out, as a device address.
 *
 * Returns: 0, or -EINVAL for another type or an offset outside the object.
 */
int dxgk_pmo_test_pfn(struct dxgk_pmo *pmo, u64 offset, unsigned long *pfn)
{
	if ((pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_MDL &&
	     pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY) ||
	    offset >= pmo->size)
		return -EINVAL;
	*pfn = page_to_pfn(pmo->pages[offset >> PAGE_SHIFT]);
	return 0;
}

/* ---- user mappings ---------------------------------------------------- */

/* Take a VMA's reference and pin; lock held. */
static int dxgk_pmo_umap_get_locked(struct dxgk_pmo *pmo)
{
	int ret = 0;

	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION)
		ret = dxgk_section_pin(pmo);
	if (!ret) {
		pmo->nvmas++;
		kref_get(&pmo->ref);
	}
	return ret;
}

/**
 * dxgk_pmo_umap_get - a user VMA starts mapping the object
 * @pmo: the object
 *
 * Takes a reference and, for a SECTION, pins its pages for the VMA.
 *
 * Returns: 0 or a negative errno.
 */
int dxgk_pmo_umap_get(struct dxgk_pmo *pmo)
{
	int ret;

	mutex_lock(&pmo->lock);
	ret = dxgk_pmo_umap_get_locked(pmo);
	mutex_unlock(&pmo->lock);
	return ret;
}

/**
 * dxgk_pmo_umap_put - a user VMA of the object goes away
 * @pmo: the object
 *
 * The last mapping of an orphaned object destroys it (dxgk_pmo_orphan()).
 */
void dxgk_pmo_umap_put(struct dxgk_pmo *pmo)
{
	mutex_lock(&pmo->lock);
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION)
		dxgk_section_unpin(pmo);
	pmo->nvmas--;
	dxgk_pmo_unlock_reap(pmo);
	dxgk_pmo_put(pmo);
}

/*
 * What user mappings of the object may do, from its WDK page protection:
 * PAGE_READWRITE read and write, PAGE_READONLY read, PAGE_EXECUTE read and
 * execute (x86 has no execute-only pages). Nothing else executes.
 */
static vm_flags_t dxgk_pmo_vm_allowed(const struct dxgk_pmo *pmo)
{
	switch (pmo->prot) {
	case WDK_PAGE_READONLY:
		return VM_READ;
	case PAGE_EXECUTE:
		return VM_READ | VM_EXEC;
	default:
		return VM_READ | VM_WRITE;
	}
}

/**
 * dxgk_pmo_user_prot - the PROT_* of a mapping made for the object
 * @pmo: the object
 *
 * Returns: every protection its page protection allows.
 */
static unsigned long dxgk_pmo_user_prot(const struct dxgk_pmo *pmo)
{
	vm_flags_t allowed = dxgk_pmo_vm_allowed(pmo);

	return PROT_READ | (allowed & VM_WRITE ? PROT_WRITE : 0) |
	       (allowed & VM_EXEC ? PROT_EXEC : 0);
}

/**
 * dxgk_pmo_writable - may the object be written through mappings or DMA?
 * @pmo: the object
 *
 * Returns: false for PAGE_READONLY and PAGE_EXECUTE sections.
 */
bool dxgk_pmo_writable(const struct dxgk_pmo *pmo)
{
	return dxgk_pmo_vm_allowed(pmo) & VM_WRITE;
}

/**
 * dxgk_pmo_vma_setup - make @vma map the object from page @first
 * @pmo: the object
 * @vma: a new VMA; its vm_ops are the caller's
 * @first: the object's page at vma->vm_start
 *
 * The VMA is a PFN map filled at fault time with the object's pages and
 * its cache type. It obeys the object's page protection, now and under
 * mprotect(). It belongs to the process that made it: fork() does not copy
 * it (VM_DONTCOPY), and madvise(MADV_DOFORK) cannot change that (VM_IO).
 * Its open() must call dxgk_pmo_umap_get() and its close()
 * dxgk_pmo_umap_put(); this function makes the first dxgk_pmo_umap_get().
 *
 * Returns: 0 or a negative errno: -EINVAL for IO_SPACE, a range past the
 * object, or a private mapping that could be made writable; -EACCES for a
 * protection the object does not allow; -ENODEV for a destroyed object.
 */
int dxgk_pmo_vma_setup(struct dxgk_pmo *pmo, struct vm_area_struct *vma,
		       unsigned long first)
{
	vm_flags_t allowed = dxgk_pmo_vm_allowed(pmo), clear = 0;
	int ret;

	/*
	 * A private writable mapping would be copy-on-write, which a PFN map
	 * cannot be (vmf_insert_pfn() BUGs on it): refuse it, as TTM does.
	 */
	if (is_cow_mapping(vma->vm_flags))
		return -EINVAL;
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE ||
	    first > pmo->npages || vma_pages(vma) > pmo->npages - first)
		return -EINVAL;
	if (vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC) & ~allowed)
		return -EACCES;
	/* mprotect() may not add what the object does not allow. */
	if (!(allowed & VM_WRITE))
		clear |= VM_MAYWRITE;
	if (!(allowed & VM_EXEC))
		clear |= VM_MAYEXEC;
	dxgk_vm_flags_mod(vma, VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP |
			  VM_DONTCOPY, clear);
	vma->vm_page_prot = dxgk_pgprot(pmo->cache, vm_get_page_prot(vma->vm_flags));

	mutex_lock(&pmo->lock);
	ret = pmo->destroyed ? -ENODEV : dxgk_pmo_umap_get_locked(pmo);
	mutex_unlock(&pmo->lock);
	return ret;
}

/**
 * dxgk_pmo_fault - fault handler of a user VMA of the object
 * @pmo: the object
 * @vmf: the fault
 * @first: the object's page at vma->vm_start
 *
 * Returns: a vm_fault_t.
 */
vm_fault_t dxgk_pmo_fault(struct dxgk_pmo *pmo, struct vm_fault *vmf,
			  unsigned long first)
{
	unsigned long idx = first + ((vmf->address - vmf->vma->vm_start) >> PAGE_SHIFT);

	/* The VMA pins the pages: they cannot change under it. */
	if (idx >= pmo->npages || !pmo->pages[idx])
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address, page_to_pfn(pmo->pages[idx]));
}

static vm_fault_t dxgk_pmo_vm_fault(struct vm_fault *vmf)
{
	return dxgk_pmo_fault(vmf->vma->vm_private_data, vmf, vmf->vma->vm_pgoff);
}

static void dxgk_pmo_vm_open(struct vm_area_struct *vma)
{
	/* A VMA split or move of a live mapping: cannot fail for a pinned object. */
	WARN_ON(dxgk_pmo_umap_get(vma->vm_private_data));
}

static void dxgk_pmo_vm_close(struct vm_area_struct *vma)
{
	dxgk_pmo_umap_put(vma->vm_private_data);
}

/* User mappings made by DxgkCbMapPhysicalMemory(USER_MODE). */
static const struct vm_operations_struct dxgk_pmo_vm_ops = {
	.fault = dxgk_pmo_vm_fault,
	.open = dxgk_pmo_vm_open,
	.close = dxgk_pmo_vm_close,
};

static int dxgk_pmo_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	int ret = dxgk_pmo_vma_setup(file->private_data, vma, vma->vm_pgoff);

	if (ret)
		return ret;
	vma->vm_private_data = file->private_data;
	vma->vm_ops = &dxgk_pmo_vm_ops;
	return 0;
}

/* The file holds a reference on the object: the object may go first. */
static int dxgk_pmo_file_release(struct inode *inode, struct file *file)
{
	dxgk_pmo_put(file->private_data);
	return 0;
}

static const struct file_operations dxgk_pmo_fops = {
	.owner = THIS_MODULE,
	.mmap = dxgk_pmo_file_mmap,
	.release = dxgk_pmo_file_release,
};

/**
 * dxgk_vma_owner_ok - is @vma exactly a user mapping of [@addr, +@size)?
 * @vma: the VMA at @addr, or NULL
 * @vm_ops: the vm_ops such mappings have
 * @private: their vm_private_data
 * @addr: the mapping's start
 * @size: its size
 *
 * Returns: STATUS_SUCCESS; STATUS_NOT_MAPPED_VIEW if @vma is not such a
 * mapping starting at @addr; STATUS_INVALID_VIEW_SIZE if its size differs.
 */
NTSTATUS dxgk_vma_owner_ok(struct vm_area_struct *vma,
			   const struct vm_operations_struct *vm_ops,
			   void *private, unsigned long addr, u64 size)
{
	if (!vma || vma->vm_ops != vm_ops || vma->vm_private_data != private ||
	    vma->vm_start != addr)
		return STATUS_NOT_MAPPED_VIEW;
	if (vma->vm_end - vma->vm_start != size)
		return STATUS_INVALID_VIEW_SIZE;
	return STATUS_SUCCESS;
}

/**
 * dxgk_pmo_vm_mmap - map @file, a file whose mmap() maps @pmo, here
 * @pmo: the object
 * @file: the file
 * @pgoff: the file offset in pages
 * @size: bytes
 *
 * A shared mapping in the current process with every protection the
 * object allows; like every mapping of it, not inherited across fork.
 *
 * Returns: the address or a negative errno.
 */
long dxgk_pmo_vm_mmap(struct dxgk_pmo *pmo, struct file *file,
		      unsigned long pgoff, size_t size)
{
	return (long)vm_mmap(file, 0, size, dxgk_pmo_user_prot(pmo), MAP_SHARED,
			     pgoff << PAGE_SHIFT);
}

static NTSTATUS dxgk_map_user(struct dxgk_pmo *pmo, unsigned long first,
			      size_t size_out, void **base)
{
	struct file *file;
	long addr;

	if (!current->mm)
		return STATUS_ACCESS_DENIED;
	mutex_lock(&pmo->lock);
	if (pmo->destroyed) {
		mutex_unlock(&pmo->lock);
		return STATUS_INVALID_HANDLE;
	}
	if (!pmo->ufile) {
		file = anon_inode_getfile("dxgk-pmo", &dxgk_pmo_fops, pmo, O_RDWR);
		if (IS_ERR(file)) {
			mutex_unlock(&pmo->lock);
			return dxgk_errno_to_ntstatus(PTR_ERR(file));
		}
		kref_get(&pmo->ref);	/* the file's; see dxgk_pmo_file_release() */
		pmo->ufile = file;
	}
	file = get_file(pmo->ufile);
	mutex_unlock(&pmo->lock);

	/* A Destroy in between is refused by dxgk_pmo_vma_setup(). */
	addr = dxgk_pmo_vm_mmap(pmo, file, first, size_out);
	fput(file);
	if (addr == -ENODEV)
		return STATUS_INVALID_HANDLE;
	if (addr < 0)
		return dxgk_errno_to_ntstatus(addr);
	*base = (void *)addr;
	return STATUS_SUCCESS;
}

static NTSTATUS dxgk_unmap_user(struct dxgk_pmo *pmo, void *base, u64 size)
{
	unsigned long addr = (unsigned long)base;
	struct mm_struct *mm = current->mm;
	NTSTATUS status;
	int i, ret = 0;

	if (!mm)
		return STATUS_NOT_MAPPED_VIEW;
	mmap_read_lock(mm);
	status = dxgk_vma_owner_ok(vma_lookup(mm, addr), &dxgk_pmo_vm_ops, pmo,
				   addr, size);
	mmap_read_unlock(mm);
	if (!NT_SUCCESS(status))
		return status;
	/*
	 * DxgkCbUnmapPhysicalMemory cannot fail, but munmap can (-ENOMEM
	 * from the VMA tree): try again, and if memory stays short leave the
	 * mapping to the process's exit, which holds the object until then.
	 */
	for (i = 0; i < 3; i++) {
		ret = vm_munmap(addr, size);
		if (!ret)
			return STATUS_SUCCESS;
		cond_resched();
	}
	pr_warn_ratelimited("dxgkcompat: cannot unmap a user mapping (%d): it stays until its process exits\n",
			    ret);
	return STATUS_SUCCESS;
}

/**
 * dxgk_cb_map_physical_memory - DxgkCbMapPhysicalMemory
 * @pArgs: the WDK arguments; Offset and Size are in/out
 *
 * Maps the pages that hold [Offset, Offset + Size) with the object's cache
 * type. KERNEL_MODE: vmap() of the pages, or ioremap_uc/_wc/_cache() for
 * IO_SPACE. USER_MODE: a shared mapping in the calling process (not
 * inherited across fork), filled at fault time. On success pMappedAddress
 * is the page-aligned start of the mapping, Offset is the data's offset from
 * it (Offset % PAGE_SIZE) and Size is the mapping's size (the whole pages
 * covering the data). Several mappings of one object may be live at once.
 *
 * Context: PASSIVE_LEVEL; USER_MODE in the process that will use it.
 * Returns: STATUS_SUCCESS; STATUS_INVALID_HANDLE (misuse) for an unknown
 * object; STATUS_INVALID_PARAMETER for a NULL @pArgs, a zero Size, an
 * unknown AccessMode, or USER_MODE on IO_SPACE; STATUS_ACCESS_DENIED for
 * USER_MODE from a thread with no user address space;
 * STATUS_INTEGER_OVERFLOW when Offset + Size overflows;
 * STATUS_INVALID_VIEW_SIZE when it passes the object's Size;
 * STATUS_INSUFFICIENT_RESOURCES when no mapping can be made.
 */
NTSTATUS dxgk_cb_map_physical_memory(IN_OUT_PDXGKARGCB_MAP_PHYSICAL_MEMORY pArgs)
{
	struct dxgk_cpu_map *map;
	struct dxgk_pmo *pmo;
	unsigned long first;
	size_t size_out;
	NTSTATUS status;
	void *va = NULL;

	might_sleep();
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->pMappedAddress = NULL;

	pmo = dxgk_pmo_get_checked(pArgs->hPhysicalMemoryObject,
				   "DxgkCbMapPhysicalMemory");
	if (!pmo)
		return STATUS_INVALID_HANDLE;
	if (pArgs->AccessMode > DXGK_ACCESS_MODE_USER_MODE ||
	    (pArgs->AccessMode == DXGK_ACCESS_MODE_USER_MODE &&
	     pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE)) {
		status = STATUS_INVALID_PARAMETER;
		goto out_put;
	}
	status = dxgk_pmo_view(pmo, pArgs->Offset, pArgs->Size, &first, &size_out);
	if (!NT_SUCCESS(status))
		goto out_put;

	if (pArgs->AccessMode == DXGK_ACCESS_MODE_USER_MODE) {
		status = dxgk_map_user(pmo, first, size_out, &va);
		if (!NT_SUCCESS(status))
			goto out_put;
		goto out_done;
	}

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map) {
		status = STATUS_NO_MEMORY;
		goto out_put;
	}
	mutex_lock(&pmo->lock);
	if (pmo->destroyed) {
		mutex_unlock(&pmo->lock);
		kfree(map);
		status = STATUS_INVALID_HANDLE;
		goto out_put;
	}
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE) {
		phys_addr_t pa = pmo->io_base + (first << PAGE_SHIFT);

		if (pmo->cache == DXGK_MEMORY_CACHING_TYPE_CACHED)
			va = (__force void *)ioremap_cache(pa, size_out);
		else if (pmo->cache == DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED)
			va = (__force void *)ioremap_wc(pa, size_out);
		else
			va = (__force void *)ioremap_uc(pa, size_out);
	} else {
		bool pinned = pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_SECTION ||
			      !dxgk_section_pin(pmo);

		/* Read-only and execute sections: a read-only kernel view. */
		pgprot_t prot = pmo->prot == PAGE_READWRITE ? PAGE_KERNEL : PAGE_KERNEL_RO;

		if (pinned)
			va = vmap(pmo->pages + first, size_out >> PAGE_SHIFT, VM_MAP,
				  dxgk_pgprot(pmo->cache, prot));
		if (pinned && !va && pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION)
			dxgk_section_unpin(pmo);
	}
	if (!va) {
		mutex_unlock(&pmo->lock);
		kfree(map);
		status = STATUS_INSUFFICIENT_RESOURCES;
		goto out_put;
	}
	map->base = va;
	map->size = size_out;
	map->first = first;
	list_add(&map->node, &pmo->maps);
	mutex_unlock(&pmo->lock);

out_done:
	pArgs->pMappedAddress = va;
	pArgs->Offset &= ~PAGE_MASK;
	pArgs->Size = size_out;
	status = STATUS_SUCCESS;
out_put:
	dxgk_pmo_put(pmo);
	return status;
}

/**
 * dxgk_cb_unmap_physical_memory - DxgkCbUnmapPhysicalMemory
 * @pArgs: the object, the pMappedAddress and the Size output of the map
 *
 * A kernel mapping is found among the object's kernel mappings; a user
 * mapping must be in the calling process. Misuse, warned about once and
 * refused with nothing changed: an unknown object, an address that is not
 * the base of a live mapping of it (double unmap, base + Offset, another
 * process's mapping), a Size other than the map's Size output.
 *
 * Context: PASSIVE_LEVEL; a user mapping in the process that made it.
 */
void dxgk_cb_unmap_physical_memory(IN_CONST_PDXGKARGCB_UNMAP_PHYSICAL_MEMORY pArgs)
{
	struct dxgk_cpu_map *map, *found = NULL;
	struct dxgk_pmo *pmo;
	NTSTATUS status;

	might_sleep();
	if (!pArgs) {
		dxgk_misuse("DxgkCbUnmapPhysicalMemory(NULL)\n");
		return;
	}
	pmo = dxgk_pmo_get_checked(pArgs->hPhysicalMemoryObject,
				   "DxgkCbUnmapPhysicalMemory");
	if (!pmo)
		return;

	mutex_lock(&pmo->lock);
	list_for_each_entry(map, &pmo->maps, node) {
		if (map->base == pArgs->pBaseAddress) {
			found = map;
			break;
		}
	}
	if (found && found->size != pArgs->Size) {
		dxgk_misuse("DxgkCbUnmapPhysicalMemory: size %#zx, mapped %#zx\n",
			    (size_t)pArgs->Size, found->size);
		mutex_unlock(&pmo->lock);
		goto out;
	}
	if (found) {
		list_del(&found->node);
		dxgk_cpu_map_release(pmo, found);
		dxgk_pmo_unlock_reap(pmo);
		goto out;
	}
	mutex_unlock(&pmo->lock);

	status = dxgk_unmap_user(pmo, pArgs->pBaseAddress, pArgs->Size);
	if (status == STATUS_INVALID_VIEW_SIZE)
		dxgk_misuse("DxgkCbUnmapPhysicalMemory: wrong size %#zx\n",
			    (size_t)pArgs->Size);
	else if (!NT_SUCCESS(status))
		dxgk_misuse("DxgkCbUnmapPhysicalMemory: %p is not a mapping of %p\n",
			    pArgs->pBaseAddress, pArgs->hPhysicalMemoryObject);
out:
	dxgk_pmo_put(pmo);
}

/**
 * dxgk_cb_open_physical_memory_object - DxgkCbOpenPhysicalMemoryObject
 * @pArgs: the PMO, the adapter; hAdapterMemoryObject out
 *
 * A PMO is opened on one adapter at most.
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for NULL @pArgs;
 * STATUS_INVALID_HANDLE (misuse) for an unknown PMO or adapter;
 * STATUS_OBJECT_NAME_COLLISION if the PMO is already open on this adapter
 * (also when it was created with this hAdapter); STATUS_NOT_SUPPORTED if it
 * is open on another adapter; STATUS_NO_MEMORY.
 */
NTSTATUS dxgk_cb_open_physical_memory_object(IN_OUT_PDXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT pArgs)
{
	struct dxgk_pmo *pmo;
	NTSTATUS status = STATUS_SUCCESS;

	might_sleep();
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->hAdapterMemoryObject = NULL;
	pmo = dxgk_pmo_get_checked(pArgs->hPhysicalMemoryObject,
				   "DxgkCbOpenPhysicalMemoryObject");
	if (!pmo)
		return STATUS_INVALID_HANDLE;
	if (!dxgk_adapter_get(pArgs->hAdapter, "DxgkCbOpenPhysicalMemoryObject")) {
		dxgk_pmo_put(pmo);
		return STATUS_INVALID_HANDLE;
	}

	mutex_lock(&pmo->lock);
	if (pmo->destroyed)
		status = STATUS_INVALID_HANDLE;
	else if (pmo->amo && pmo->amo->adapter_handle == pArgs->hAdapter)
		status = STATUS_OBJECT_NAME_COLLISION;
	else if (pmo->amo)
		status = STATUS_NOT_SUPPORTED;
	else if (!dxgk_amo_new(pmo, pArgs->hAdapter, &pArgs->hAdapterMemoryObject))
		status = STATUS_NO_MEMORY;
	mutex_unlock(&pmo->lock);
	dxgk_pmo_put(pmo);
	return status;
}

/**
 * dxgk_cb_close_physical_memory_object - DxgkCbClosePhysicalMemoryObject
 * @pArgs: the AMO to close
 *
 * An unknown or closed AMO is misuse: warned about once and ignored.
 *
 * Context: PASSIVE_LEVEL.
 */
void dxgk_cb_close_physical_memory_object(IN_CONST_PDXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT pArgs)
{
	struct dxgk_pmo *pmo = NULL;
	struct dxgk_amo *amo;
	u32 id = 0;

	might_sleep();
	if (pArgs)
		pmo = dxgk_amo_pmo_get(pArgs->hAdapterMemoryObject, &id);
	if (!pmo) {
		dxgk_misuse("DxgkCbClosePhysicalMemoryObject: invalid handle %p\n",
			    pArgs ? pArgs->hAdapterMemoryObject : NULL);
		return;
	}
	mutex_lock(&pmo->lock);
	amo = dxgk_amo_locked(pmo, id);
	if (!amo)
		dxgk_misuse("DxgkCbClosePhysicalMemoryObject: closed twice\n");
	else if (amo->nadls)
		dxgk_misuse("DxgkCbClosePhysicalMemoryObject with live ADLs\n");
	else
		dxgk_amo_close_locked(amo);
	mutex_unlock(&pmo->lock);
	dxgk_pmo_put(pmo);
}

/**
 * dxgk_pmo_adapter_gone - an adapter is being removed
 * @adapter: its DeviceHandle
 *
 * ADLs still mapped for its device are misuse of the miniport: unmap them
 * while the device is still there. Its AMOs stay, refusing new ADLs.
 */
void dxgk_pmo_adapter_gone(HANDLE adapter)
{
	struct dxgk_amo *amo;
	unsigned long index;

	xa_for_each(&dxgk_amos, index, amo) {
		struct dxgk_pmo *pmo;
		u32 id;

		pmo = dxgk_amo_pmo_get(dxgk_make_handle(index, DXGK_HANDLE_AMO), &id);
		if (!pmo)
			continue;
		mutex_lock(&pmo->lock);
		amo = dxgk_amo_locked(pmo, id);
		if (amo && amo->adapter_handle == adapter && amo->nadls)
			dxgk_adl_release_all(amo);
		dxgk_pmo_unlock_reap(pmo);
		dxgk_pmo_put(pmo);
	}
}

/**
 * dxgk_pmo_fini - release what miniports left behind at module unload
 *
 * Objects still alive when the port driver goes are leaks in a miniport:
 * warn once, unmap and free them.
 */
void dxgk_pmo_fini(void)
{
	struct dxgk_cpu_map *map, *tmp;
	struct dxgk_pmo *pmo;
	struct dxgk_amo *amo;
	unsigned long index;

	debugfs_remove_recursive(dxgk_debugfs);
	if (!xa_empty(&dxgk_pmos) || !xa_empty(&dxgk_amos))
		dxgk_misuse("physical memory objects leaked by miniports\n");
	xa_for_each(&dxgk_amos, index, amo) {
		mutex_lock(&amo->pmo->lock);
		kref_get(&amo->pmo->ref);
		pmo = amo->pmo;
		dxgk_adl_release_all(amo);
		dxgk_amo_close_locked(amo);
		mutex_unlock(&pmo->lock);
		dxgk_pmo_put(pmo);
	}
	xa_for_each(&dxgk_pmos, index, pmo) {
		struct file *ufile;

		xa_erase(&dxgk_pmos, index);
		list_for_each_entry_safe(map, tmp, &pmo->maps, node) {
			list_del(&map->node);
			dxgk_cpu_map_release(pmo, map);
		}
		ufile = pmo->ufile;
		pmo->ufile = NULL;
		pmo->destroyed = true;
		dxgk_pmo_put(pmo);
		if (ufile)
			fput(ufile);
	}
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
 * dxgk_pmo_pgprot - the page protection of the object's mappings
 * @pmo: the object
 * @prot: the protection without caching
 *
 * Returns: @prot with the object's cache type.
 */
pgprot_t dxgk_pmo_pgprot(const struct dxgk_pmo *pmo, pgprot_t prot)
{
	return dxgk_pgprot(pmo->cache, prot);
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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_stats, DXGKCOMPAT_INTERNAL);

/* ---- debugfs ---------------------------------------------------------- */

static const char *const dxgk_type_names[] = {
	"MDL", "CONTIGUOUS_MEMORY", "SECTION", "IO_SPACE",
};

static const char *const dxgk_cache_names[] = {
	"NON_CACHED", "CACHED", "WRITE_COMBINED",
};

static const char *const dxgk_cache_modes[] = {
	"UC", "WB", "WC",
};

static int dxgk_counters_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "objects %d\n", atomic_read(&dxgk_pmo_objects));
	seq_printf(m, "pages_cached %ld\n",
		   atomic_long_read(&dxgk_pmo_pages[DXGK_MEMORY_CACHING_TYPE_CACHED]));
	seq_printf(m, "pages_write_combined %ld\n",
		   atomic_long_read(&dxgk_pmo_pages[DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED]));
	seq_printf(m, "pages_non_cached %ld\n",
		   atomic_long_read(&dxgk_pmo_pages[DXGK_MEMORY_CACHING_TYPE_NON_CACHED]));
	seq_printf(m, "misuse %u\n", dxgk_misuse_count());
	seq_printf(m, "reserved_pages %ld\n", atomic_long_read(&dxgk_pmo_reserved));
	seq_printf(m, "rejected_pages_total %ld\n", atomic_long_read(&dxgk_pmo_rejected));
	seq_printf(m, "range_searches_total %ld\n",
		   atomic_long_read(&dxgk_pmo_range_searches));
	seq_printf(m, "leaked_pages_total %ld\n", atomic_long_read(&dxgk_pmo_leaked));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dxgk_counters);

static int dxgk_pmos_show(struct seq_file *m, void *unused)
{
	struct dxgk_cpu_map *map;
	struct dxgk_pmo *pmo;
	unsigned long index;

	seq_puts(m, "handle type cache size pages owner context amo cpu-maps (kernel base+size mode) user-vmas adls\n");
	xa_lock(&dxgk_pmos);
	xa_for_each(&dxgk_pmos, index, pmo) {
		if (!kref_get_unless_zero(&pmo->ref))
			continue;
		xa_unlock(&dxgk_pmos);
		mutex_lock(&pmo->lock);
		/* Context is the miniport's pointer: hashed, like every %p. */
		seq_printf(m, "%p %s %s %llu %lu %s %p %s",
			   dxgk_make_handle(pmo->id, DXGK_HANDLE_PMO),
			   dxgk_type_names[pmo->type], dxgk_cache_names[pmo->cache],
			   pmo->size, pmo->npages, pmo->owner,
			   (void *)pmo->context, pmo->amo ? "yes" : "no");
		list_for_each_entry(map, &pmo->maps, node)
			seq_printf(m, " kmap:%lx+%zx:%s", map->first << PAGE_SHIFT,
				   map->size, dxgk_cache_modes[pmo->cache]);
		seq_printf(m, " user-vmas:%u:%s adls:%u\n", pmo->nvmas,
			   dxgk_cache_modes[pmo->cache],
			   pmo->amo ? pmo->amo->nadls : 0);
		if (pmo->amo)
			dxgk_adl_show(m, pmo->amo);
		mutex_unlock(&pmo->lock);
		dxgk_pmo_put(pmo);
		xa_lock(&dxgk_pmos);
	}
	xa_unlock(&dxgk_pmos);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dxgk_pmos);

/**
 * dxgk_pmo_init - create the port's debugfs files
 *
 * /sys/kernel/debug/dxgkcompat/counters (live objects, pages by cache type,
 * refused misuses), /sys/kernel/debug/dxgkcompat/pmos (every live object
 * with its CPU mappings and ADLs) and /sys/kernel/debug/dxgkcompat/adapters.
 */
void dxgk_pmo_init(void)
{
	dxgk_debugfs = debugfs_create_dir("dxgkcompat", NULL);
	debugfs_create_file("counters", 0444, dxgk_debugfs, NULL,
			    &dxgk_counters_fops);
	debugfs_create_file("pmos", 0444, dxgk_debugfs, NULL, &dxgk_pmos_fops);
	dxgk_port_debugfs_init(dxgk_debugfs);
}
