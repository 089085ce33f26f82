/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - what the WDK runtime (dxgk_wdk.c) and the WDDM 2.4
 * callbacks (dxgk_iommu24.c) share: the MDLs the port allocates, and the
 * pool memory a live IOMMU mapping covers.
 */
#ifndef _DXGK_WDK_H_
#define _DXGK_WDK_H_

#include <linux/list.h>
#include <linux/spinlock.h>

#include <ntddk.h>

struct dxgk_iommu24;

/**
 * struct dxgk_mdl - an MDL the port allocated (IoAllocateMdl,
 *	DxgkCbAllocatePagesForMdl), in the registry of port MDLs
 * @iommu_maps: live DxgkCbMapMdlToIoMmu mappings of it
 * @free_pending: freed while it was mapped: it goes with the last unmap
 * @owner: the DxgkCbAllocatePagesForMdl allocation it describes, or NULL
 *	(set and cleared under dxgk_24_mutex)
 * @npages: entries of @pfn
 * @mdl: the MDL the miniport sees, followed by its PFN array
 *
 * The registry's lock protects @iommu_maps and @free_pending; an MDL leaves
 * the registry, and is freed, in the same critical section that finds it
 * unmapped.
 */
struct dxgk_mdl {
	unsigned int iommu_maps;
	bool free_pending;
	struct dxgk_iommu24 *owner;
	ULONG npages;
	MDL mdl;
	PFN_NUMBER pfn[];
};

/**
 * struct dxgk_pool_guard - pool memory a live IOMMU mapping reaches
 * @node: in dxgk_pool_guards (dxgk_mdl_lock)
 * @start: first byte (the MDL's virtual address)
 * @end: one past the last
 * @deferred: ExFreePoolWithTag calls refused while mapped: freed at unmap
 */
struct dxgk_pool_guard {
	struct list_head node;
	unsigned long start, end;
	struct list_head deferred;
};

extern spinlock_t dxgk_mdl_lock;	/* the pool guards */
struct dxgk_mdl *dxgk_mdl_alloc(ULONG npages, gfp_t gfp);
void dxgk_mdl_discard(struct dxgk_mdl *m);
struct dxgk_mdl *dxgk_mdl_map_get(const MDL *mdl, ULONG npages);
void dxgk_mdl_map_put(struct dxgk_mdl *m);
bool dxgk_mdl_retire(struct dxgk_mdl *m);
void dxgk_mdl_orphan(struct dxgk_mdl *m);
struct dxgk_iommu24 *dxgk_mdl_owner(const MDL *mdl);
void dxgk_pool_guard_add(struct dxgk_pool_guard *g);
void dxgk_pool_guard_del(struct dxgk_pool_guard *g);

/* dxgk_iommu24.c: MmGetSystemAddressForMdlSafe of a 2.4 MDL */
PVOID dxgk_iommu24_mdl_va(const MDL *mdl);

#endif /* _DXGK_WDK_H_ */
