/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - cache types (dxgk_caching.c): the page protection of each
 * cache type and the linear-map attribute of page arrays. The interface is
 * page arrays, not objects.
 */
#ifndef _DXGK_CACHING_H_
#define _DXGK_CACHING_H_

#include <linux/atomic.h>
#include <linux/mm_types.h>
#include <linux/pgtable.h>

#include <dispmprt.h>

/* Pages kept forever because their linear map could not be made WB again. */
extern atomic_long_t dxgk_pmo_leaked;

pgprot_t dxgk_pgprot(DXGK_MEMORY_CACHING_TYPE cache, pgprot_t prot);
int dxgk_pages_set_caching(struct page **pages, unsigned long n,
			   DXGK_MEMORY_CACHING_TYPE cache);
bool dxgk_pages_restore_caching(struct page **pages, unsigned long n,
				DXGK_MEMORY_CACHING_TYPE cache);
void dxgk_pages_leak(struct page **pages, unsigned long n);
long dxgk_pages_leaked_total(void);
void dxgk_pages_free_cached(struct page **pages, unsigned long n,
			    DXGK_MEMORY_CACHING_TYPE cache, bool pool);

/* The page pool of WC and UC pages (dxgk_caching.c, DOC: Page pool). */
struct seq_file;
unsigned long dxgk_pool_take(DXGK_MEMORY_CACHING_TYPE cache, struct page **pages,
			     unsigned long n, bool (*fits)(struct page *, void *),
			     void *ctx);
unsigned long dxgk_pool_give(DXGK_MEMORY_CACHING_TYPE cache, struct page **pages,
			     unsigned long n);
void dxgk_pool_count_fresh(DXGK_MEMORY_CACHING_TYPE cache, unsigned long n);
unsigned long dxgk_pool_shrink(unsigned long nr);
unsigned long dxgk_pool_pages(DXGK_MEMORY_CACHING_TYPE cache);
unsigned int dxgk_pool_set_max_kib(unsigned int kib);
void dxgk_pool_show(struct seq_file *m);
void dxgk_pool_init(void);
void dxgk_pool_fini(void);

#endif /* _DXGK_CACHING_H_ */
