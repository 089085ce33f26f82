// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - cache types: the page protection of each, and the
 * linear-map attribute of the pages behind WRITE_COMBINED and NON_CACHED
 * objects. Its interface is page arrays, not objects.
 */

#include <linux/mm.h>
#include <linux/printk.h>

#ifdef CONFIG_X86
#include <asm/set_memory.h>
#endif

#include "dxgk_caching.h"

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
	if (cache != DXGK_MEMORY_CACHING_TYPE_CACHED && set_pages_array_wb(pages, n))
		return false;
#endif
	return true;
}

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
