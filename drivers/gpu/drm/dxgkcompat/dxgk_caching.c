// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - cache types: the page protection of each, and the
 * linear-map attribute of the pages behind WRITE_COMBINED and NON_CACHED
 * objects. Its interface is page arrays, not objects.
 */

#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/shrinker.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include "dxgk_caching.h"
#include "dxgk_compat.h"

/**
 * DOC: Cache types
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

/* Pages kept forever because their linear map could not be made WB again. */
atomic_long_t dxgk_pmo_leaked;

pgprot_t dxgk_pgprot(DXGK_MEMORY_CACHING_TYPE cache, pgprot_t prot)
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
bool dxgk_pages_restore_caching(struct page **pages, unsigned long n,
				DXGK_MEMORY_CACHING_TYPE cache)
{
#ifdef CONFIG_X86
	/* (no pages: no call, which would still flush every CPU's TLB) */
	if (n && cache != DXGK_MEMORY_CACHING_TYPE_CACHED && set_pages_array_wb(pages, n))
		return false;
#endif
	return true;
}

/**
 * dxgk_pages_leaked_total - pages kept forever so far
 *
 * Returns: the number of pages whose linear map could not be made WB
 * again (debugfs counters: leaked_pages_total).
 */
long dxgk_pages_leaked_total(void)
{
	return atomic_long_read(&dxgk_pmo_leaked);
}
EXPORT_SYMBOL_NS_GPL(dxgk_pages_leaked_total, DXGK_NS);

/* Pages that must never be reused: keep a reference forever, count them. */
void dxgk_pages_leak(struct page **pages, unsigned long n)
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
int dxgk_pages_set_caching(struct page **pages, unsigned long n,
			   DXGK_MEMORY_CACHING_TYPE cache)
{
	int ret = 0;

#ifdef CONFIG_X86
	if (!n)
		return 0;	/* all from the pool: no TLB flush for nothing */
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

/**
 * dxgk_pages_free_cached - free pages that have a cache type's attribute
 * @pages: the pages, each with no other reference
 * @n: how many
 * @cache: the attribute their linear map has
 * @pool: they may go to the pool (a miniport's MDL object)
 *
 * What the pool keeps stays WC or UC; the rest goes back to the page
 * allocator WB, or is leaked if its attribute cannot be set back.
 */
void dxgk_pages_free_cached(struct page **pages, unsigned long n,
			    DXGK_MEMORY_CACHING_TYPE cache, bool pool)
{
	unsigned long kept = pool ? dxgk_pool_give(cache, pages, n) : 0, i;

	pages += kept;
	n -= kept;
	if (!dxgk_pages_restore_caching(pages, n, cache))
		dxgk_pages_leak(pages, n);
	for (i = 0; i < n; i++)
		__free_page(pages[i]);
}

/* ---- the page pool ---------------------------------------------------- */

/**
 * DOC: Page pool
 *
 * Changing the linear-map attribute of a page (set_pages_array_wc() or
 * _uc() when an object takes it, set_pages_array_wb() before it goes back)
 * rewrites kernel page tables and flushes every CPU's TLB: for a small
 * WRITE_COMBINED or NON_CACHED object that is most of its cost. So the
 * pages of such an MDL object do not go back to the page allocator when
 * the object goes, but to a pool of their cache type, with the attribute
 * still set, and the next object of that cache type takes them first.
 *
 * - A page is cleared before it enters the pool, so no page carries data
 *   from one owner to the next (MM_DONT_ZERO_ALLOCATION or not), and the
 *   pool holds nothing worth reading.
 * - Each pool is bounded (module parameter pool_max_kib, default 64 MiB,
 *   and never more than an eighth of RAM); what does not fit goes back to
 *   the allocator, WB again. A shrinker gives pooled pages back (WB first)
 *   under memory pressure, and module unload empties the pools.
 * - Only miniports' objects use the pool. Objects user space creates are
 *   charged page by page to its memory cgroup, and a pooled page would
 *   keep its first owner's charge: they allocate and free as before.
 *   Pooled pages count against neither the memory cap nor a cgroup; the
 *   pool's bound is the limit on them.
 * - A window (MDL LowAddress..HighAddress, SkipBytes) takes only pooled
 *   pages inside it; MM_ALLOCATE_FROM_LOCAL_NODE_ONLY only pages of the
 *   local node. CONTIGUOUS objects, REQUIRE_CONTIGUOUS_CHUNKS and
 *   PREFER_CONTIGUOUS MDLs do not use the pool (its pages are single
 *   pages), nor do SECTIONs (shmem owns their pages).
 * - debugfs counters shows the pools' sizes and how often they served.
 */

struct dxgk_pool {
	spinlock_t lock;		/* protects pages, count */
	struct list_head pages;		/* page->lru */
	unsigned long count;
};

/* Indexed by cache type; CACHED pages are never pooled. */
static struct dxgk_pool dxgk_pools[DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED + 1];
static atomic_long_t dxgk_pool_hits;		/* pages served from a pool */
static atomic_long_t dxgk_pool_fresh;		/* WC/UC pages that had to be set */
static atomic_long_t dxgk_pool_shrunk;		/* pages given back to the allocator */
static struct shrinker *dxgk_pool_shrinker;

static unsigned int dxgk_pool_max_kib = SZ_64K;
module_param_named(pool_max_kib, dxgk_pool_max_kib, uint, 0644);
MODULE_PARM_DESC(pool_max_kib,
		 "Most memory each of the WC and UC page pools keeps, in KiB (default 65536, at most 1/8 of RAM; 0 disables pooling)");

static unsigned long dxgk_pool_limit(void)
{
	if (!dxgk_pool_shrinker)
		return 0;
	return min_t(unsigned long, READ_ONCE(dxgk_pool_max_kib) >> (PAGE_SHIFT - 10),
		     totalram_pages() / 8);
}

static struct dxgk_pool *dxgk_pool_of(DXGK_MEMORY_CACHING_TYPE cache)
{
	if (cache != DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED &&
	    cache != DXGK_MEMORY_CACHING_TYPE_NON_CACHED)
		return NULL;
	return &dxgk_pools[cache];
}

/**
 * dxgk_pool_take - pages from the pool of a cache type
 * @cache: the object's cache type
 * @pages: where the pages go
 * @n: how many the object still needs
 * @fits: whether a pooled page may be used (its window, its node), or NULL
 * @ctx: for @fits
 *
 * The pages are zero and have @cache's linear-map attribute already.
 * Pages that do not fit stay in the pool (at most a few dozen are looked
 * at past the last one that fit).
 *
 * Returns: the number of pages taken, from 0 to @n.
 */
unsigned long dxgk_pool_take(DXGK_MEMORY_CACHING_TYPE cache, struct page **pages,
			     unsigned long n, bool (*fits)(struct page *, void *),
			     void *ctx)
{
	struct dxgk_pool *pool = dxgk_pool_of(cache);
	struct page *page, *tmp;
	unsigned long got = 0;
	unsigned int misses = 0;

	if (!pool || !n || !READ_ONCE(pool->count))
		return 0;
	spin_lock(&pool->lock);
	list_for_each_entry_safe(page, tmp, &pool->pages, lru) {
		if (fits && !fits(page, ctx)) {
			if (++misses > 32)
				break;
			continue;
		}
		list_del(&page->lru);
		pages[got] = page;
		if (++got == n)
			break;
	}
	WRITE_ONCE(pool->count, pool->count - got);
	spin_unlock(&pool->lock);
	atomic_long_add(got, &dxgk_pool_hits);
	return got;
}

/**
 * dxgk_pool_give - keep pages in the pool of their cache type
 * @cache: their cache type; their linear map has it
 * @pages: the pages, each with no other reference
 * @n: how many
 *
 * Clears and keeps as many of the first pages as the pool has room for.
 * The caller sets the others back to WB and frees them.
 *
 * Returns: how many pages (from the start of @pages) the pool kept.
 */
unsigned long dxgk_pool_give(DXGK_MEMORY_CACHING_TYPE cache, struct page **pages,
			     unsigned long n)
{
	struct dxgk_pool *pool = dxgk_pool_of(cache);
	unsigned long limit = dxgk_pool_limit(), room, i, kept;

	if (!pool)
		return 0;
	kept = READ_ONCE(pool->count);
	room = kept < limit ? limit - kept : 0;
	n = min(n, room);
	/*
	 * A page with another reference is not the object's to pool, and
	 * scarce ZONE_DMA pages go back to their zone.
	 */
	for (i = 0; i < n; i++) {
		if (page_ref_count(pages[i]) != 1 ||
		    page_zonenum(pages[i]) == ZONE_DMA)
			break;
		/* through the linear map, which has the pool's attribute */
		clear_page(page_address(pages[i]));
		if (!(i & 15))
			cond_resched();	/* UC clearing is slow */
	}
	n = i;
	spin_lock(&pool->lock);
	kept = pool->count < limit ? min(n, limit - pool->count) : 0;
	for (i = 0; i < kept; i++)
		list_add(&pages[i]->lru, &pool->pages);
	WRITE_ONCE(pool->count, pool->count + kept);
	spin_unlock(&pool->lock);
	return kept;
}

/**
 * dxgk_pool_count_fresh - count pages whose attribute had to be set
 * @cache: their cache type
 * @n: how many
 *
 * For debugfs: fresh WC or UC pages, against those the pool served.
 */
void dxgk_pool_count_fresh(DXGK_MEMORY_CACHING_TYPE cache, unsigned long n)
{
	if (dxgk_pool_of(cache))
		atomic_long_add(n, &dxgk_pool_fresh);
}

/**
 * dxgk_pool_shrink - give pooled pages back to the page allocator
 * @nr: at most this many
 *
 * WB first. The shrinker under memory pressure, module unload (all of
 * them), and the KUnit tests.
 *
 * Returns: the number of pages given back.
 */
unsigned long dxgk_pool_shrink(unsigned long nr)
{
	struct page *batch[64];
	unsigned long freed = 0;
	unsigned int c, i, n;

	for (c = 0; c < ARRAY_SIZE(dxgk_pools) && freed < nr; c++) {
		struct dxgk_pool *pool = dxgk_pool_of(c);

		if (!pool)
			continue;
		while (freed < nr) {
			n = 0;
			spin_lock(&pool->lock);
			while (n < ARRAY_SIZE(batch) && freed + n < nr &&
			       !list_empty(&pool->pages)) {
				batch[n] = list_first_entry(&pool->pages, struct page, lru);
				list_del(&batch[n]->lru);
				n++;
			}
			WRITE_ONCE(pool->count, pool->count - n);
			spin_unlock(&pool->lock);
			if (!n)
				break;
			if (!dxgk_pages_restore_caching(batch, n, c))
				dxgk_pages_leak(batch, n);
			for (i = 0; i < n; i++)
				__free_page(batch[i]);
			freed += n;
		}
	}
	atomic_long_add(freed, &dxgk_pool_shrunk);
	return freed;
}
EXPORT_SYMBOL_NS_GPL(dxgk_pool_shrink, DXGK_NS);

/**
 * dxgk_pool_set_max_kib - change the pools' bound (module parameter
 *	pool_max_kib)
 * @kib: the new bound of each pool, in KiB; 0 turns pooling off
 *
 * Pools above the new bound shrink as pages are taken or shrunk; for the
 * KUnit tests and the benchmarks, which compare with and without.
 *
 * Returns: the old bound.
 */
unsigned int dxgk_pool_set_max_kib(unsigned int kib)
{
	return xchg(&dxgk_pool_max_kib, kib);
}
EXPORT_SYMBOL_NS_GPL(dxgk_pool_set_max_kib, DXGK_NS);

/**
 * dxgk_pool_pages - pages in the pool of a cache type
 * @cache: the cache type
 *
 * Returns: the number of pages the pool holds (0 for CACHED).
 */
unsigned long dxgk_pool_pages(DXGK_MEMORY_CACHING_TYPE cache)
{
	struct dxgk_pool *pool = dxgk_pool_of(cache);

	return pool ? READ_ONCE(pool->count) : 0;
}
EXPORT_SYMBOL_NS_GPL(dxgk_pool_pages, DXGK_NS);

static unsigned long dxgk_pool_count_objects(struct shrinker *s,
					     struct shrink_control *sc)
{
	unsigned long n = dxgk_pool_pages(DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED) +
			  dxgk_pool_pages(DXGK_MEMORY_CACHING_TYPE_NON_CACHED);

	return n ? n : SHRINK_EMPTY;
}

static unsigned long dxgk_pool_scan_objects(struct shrinker *s,
					    struct shrink_control *sc)
{
	unsigned long freed = dxgk_pool_shrink(sc->nr_to_scan);

	return freed ? freed : SHRINK_STOP;
}

/**
 * dxgk_pool_show - the pools' lines of debugfs counters
 * @m: the file
 */
void dxgk_pool_show(struct seq_file *m)
{
	seq_printf(m, "pool_write_combined_pages %lu\n",
		   dxgk_pool_pages(DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED));
	seq_printf(m, "pool_non_cached_pages %lu\n",
		   dxgk_pool_pages(DXGK_MEMORY_CACHING_TYPE_NON_CACHED));
	seq_printf(m, "pool_limit_pages %lu\n", dxgk_pool_limit());
	seq_printf(m, "pool_hits_total %ld\n", atomic_long_read(&dxgk_pool_hits));
	seq_printf(m, "pool_fresh_total %ld\n", atomic_long_read(&dxgk_pool_fresh));
	seq_printf(m, "pool_shrunk_total %ld\n", atomic_long_read(&dxgk_pool_shrunk));
}

/**
 * dxgk_pool_init - set up the pools at module load
 *
 * Without a shrinker the pools stay empty (their limit is 0).
 */
void dxgk_pool_init(void)
{
	unsigned int c;

	for (c = 0; c < ARRAY_SIZE(dxgk_pools); c++) {
		spin_lock_init(&dxgk_pools[c].lock);
		INIT_LIST_HEAD(&dxgk_pools[c].pages);
	}
	dxgk_pool_shrinker = dxgk_shrinker_new("drm-dxgkcompat-pool",
					       dxgk_pool_count_objects,
					       dxgk_pool_scan_objects);
	if (!dxgk_pool_shrinker)
		pr_warn("dxgkcompat: no shrinker for the page pool: pooling off\n");
}

/**
 * dxgk_pool_fini - empty the pools at module unload
 *
 * Every pooled page goes back to the page allocator, WB again.
 */
void dxgk_pool_fini(void)
{
	if (dxgk_pool_shrinker)
		dxgk_shrinker_free(dxgk_pool_shrinker);
	/* the limit is 0 from here: nothing can be pooled any more */
	dxgk_pool_shrinker = NULL;
	dxgk_pool_shrink(ULONG_MAX);
}
