// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - address descriptor lists: DxgkCbAllocateAdl, DxgkCbFreeAdl.
 */

#include <linux/dma-mapping.h>
#include <linux/file.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>

#include "dxgkcompat_drm.h"
#include "dxgk_drv.h"
#include "dxgk_pmo.h"
#include "dxgk_trace.h"

/**
 * DOC: Address descriptor lists
 *
 * Device addresses come from ADLs only. DxgkCbAllocateAdl maps the pages of
 * [Offset, Offset + Size) of an object for the adapter's struct device with
 * the DMA API: dma_map_sgtable() for RAM, dma_map_resource() for IO_SPACE.
 * With an IOMMU translating for the device, the page numbers are IOVAs in
 * the device's DMA domain, allocated below the DMA mask the port set from
 * HighestVisibleAddress, and mapped for exactly as long as the ADL lives:
 * when DxgkCbFreeAdl returns, the device can no longer reach the pages.
 * With strict invalidation the DMA API guarantees that; with lazy
 * invalidation (iommu.strict=0, a DMA_FQ domain, the x86 default) the
 * unmap only queues the IOTLB flush, and stale IOTLB entries would let
 * the device reach freed pages for milliseconds, so FreeAdl flushes the
 * domain's IOTLB itself (iommu_flush_iotlb_all()). Without
 * translation (no IOMMU, or identity) they are physical page numbers, and
 * an ADL of a page the device cannot reach fails with
 * STATUS_INSUFFICIENT_RESOURCES rather than handing out a number the
 * device would truncate. A SECTION's pages are pinned while an ADL covers
 * them.
 *
 * The ADL is contiguous (Flags.Contiguous, BasePageNumber) when the caller
 * sets PreferContiguous or RequireContiguous and the DMA mapping is one
 * segment, which it always is through an IOMMU; otherwise Pages[] holds
 * PageCount page numbers, owned by the port until DxgkCbFreeAdl.
 * RequireContiguous is valid for CONTIGUOUS_MEMORY and IO_SPACE only.
 *
 * The mappings skip CPU cache maintenance (DMA_ATTR_SKIP_CPU_SYNC): the
 * object's cache type already decides how the CPU sees its pages, and DMA
 * is coherent on x86. The pages of a PAGE_READONLY or PAGE_EXECUTE
 * section are mapped DMA_TO_DEVICE, so the IOMMU refuses the device's
 * writes to them, as no CPU mapping may write them. A mapping that would
 * need syncs anyway, because the
 * DMA API bounces it through swiotlb (swiotlb=force, as in confidential
 * guests), is refused with STATUS_INSUFFICIENT_RESOURCES: the device would
 * see a copy of the pages, and its writes would never reach them. Several
 * ADLs may cover the same pages, as the WDK allows.
 */

#define DXGK_ADL_DMA_ATTRS	DMA_ATTR_SKIP_CPU_SYNC

/**
 * struct dxgk_adl - an ADL and what the port keeps for it
 * @adl: what the miniport sees (pAdl points here)
 * @node: in dxgk_amo.adls
 * @dev: the device it is mapped for
 * @sgt: the DMA mapping of RAM pages
 * @io_dma: the DMA address of an IO_SPACE range
 * @io_size: its size (0 for RAM)
 * @pages: the Pages array of a non-contiguous ADL
 * @section_pin: whether it holds a pin of a SECTION's pages
 * @dir: DMA_TO_DEVICE for an object no mapping may write (PAGE_READONLY,
 *	PAGE_EXECUTE sections), so the IOMMU refuses device writes, else
 *	DMA_BIDIRECTIONAL
 * @first: the object's first page it covers
 */
struct dxgk_adl {
	DXGK_ADL adl;
	struct list_head node;
	unsigned long first;
	struct device *dev;
	struct sg_table sgt;
	dma_addr_t io_dma;
	size_t io_size;
	DXGK_PAGE_NUMBER *pages;
	bool section_pin;
	enum dma_data_direction dir;
};

/*
 * The device address of the ADL's first DMA segment and, in *@segs, their
 * number: for its trace events.
 */
static u64 dxgk_adl_dma0(const struct dxgk_adl *adl, unsigned int *segs)
{
	if (adl->io_size) {
		*segs = 1;
		return adl->io_dma;
	}
	*segs = adl->sgt.nents;
	return sg_dma_address(adl->sgt.sgl);
}

static void dxgk_adl_trace_free(const struct dxgk_amo *amo,
				const struct dxgk_adl *adl)
{
	unsigned int segs;
	u64 dma;

	if (trace_dxgk_adl_free_enabled()) {
		dma = dxgk_adl_dma0(adl, &segs);
		trace_dxgk_adl_free(amo, &adl->adl, adl->first, segs, dma);
	}
}

/* @dev's DMA domain if it has a flush queue (lazy invalidation), else NULL. */
static struct iommu_domain *dxgk_adl_lazy_domain(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	return domain && domain->type == IOMMU_DOMAIN_DMA_FQ ? domain : NULL;
}

/**
 * dxgk_adl_iotlb_is_lazy - whether unmapping for @dev leaves IOTLB entries
 * @dev: a device
 *
 * Returns: true for a DMA domain with a flush queue (lazy invalidation),
 * whose IOTLB FreeAdl flushes itself.
 */
bool dxgk_adl_iotlb_is_lazy(struct device *dev)
{
	return dxgk_adl_lazy_domain(dev);
}

/**
 * dxgk_adapter_dma_bounced - whether the DMA API bounces the device's DMA
 * @adapter: the adapter
 *
 * Forced bouncing (swiotlb=force) without translation: the device would
 * see swiotlb copies of an object's pages, so ADLs of RAM are refused.
 * Through an IOMMU whole pages of a trusted device are never bounced.
 *
 * Returns: true if ADLs of RAM are refused for this reason.
 */
bool dxgk_adapter_dma_bounced(const struct dxgk_adapter *adapter)
{
	return adapter->iommu_mode != DRM_DXGKCOMPAT_IOMMU_TRANSLATED &&
	       is_swiotlb_force_bounce(adapter->dev);
}

static void dxgk_adl_unmap(struct dxgk_pmo *pmo, struct dxgk_adl *adl)
{
	struct iommu_domain *domain;

	if (adl->io_size) {
		dma_unmap_resource(adl->dev, adl->io_dma, adl->io_size,
				   adl->dir, DXGK_ADL_DMA_ATTRS);
	} else {
		dma_unmap_sgtable(adl->dev, &adl->sgt, adl->dir,
				  DXGK_ADL_DMA_ATTRS);
		sg_free_table(&adl->sgt);
	}
	/*
	 * Lazy invalidation only queued the IOTLB flush: do it now, so that
	 * the device cannot reach the pages once FreeAdl returns.
	 */
	domain = dxgk_adl_lazy_domain(adl->dev);
	if (domain)
		iommu_flush_iotlb_all(domain);
	if (adl->section_pin)
		dxgk_section_unpin(pmo);
	kvfree(adl->pages);
	kfree(adl);
}

/**
 * dxgk_adl_release_all - free every ADL of an AMO
 * @amo: the AMO, its PMO's lock held
 *
 * For teardown: the adapter or the module is going and the miniport did not
 * free its ADLs (counted as misuse).
 */
void dxgk_adl_release_all(struct dxgk_amo *amo)
{
	struct dxgk_adl *adl, *tmp;

	if (amo->nadls)
		dxgk_misuse("%u ADLs left when their adapter went\n", amo->nadls);
	list_for_each_entry_safe(adl, tmp, &amo->adls, node) {
		list_del(&adl->node);
		dxgk_adl_trace_free(amo, adl);
		dxgk_adl_unmap(amo->pmo, adl);
	}
	amo->nadls = 0;
}

/* Map RAM pages [first, first + n) of @pmo for @dev; fill adl->sgt. */
static NTSTATUS dxgk_adl_map_pages(struct dxgk_adapter *adapter,
				   struct dxgk_pmo *pmo, struct dxgk_adl *adl,
				   unsigned long first, unsigned long n)
{
	struct scatterlist *sg;
	unsigned int i;

	/*
	 * Refused before anything is mapped: mapping would hand the device
	 * swiotlb copies (and, with the pool above its mask, make the DMA API
	 * warn). Otherwise, without translation, pages below the mask map
	 * directly and never bounce.
	 */
	if (dxgk_adapter_dma_bounced(adapter))
		return STATUS_INSUFFICIENT_RESOURCES;
	/* Without translation the device sees physical addresses. */
	if (adapter->iommu_mode != DRM_DXGKCOMPAT_IOMMU_TRANSLATED) {
		for (i = 0; i < n; i++)
			if (page_to_phys(pmo->pages[first + i]) + PAGE_SIZE - 1 >
			    adapter->dma_mask)
				return STATUS_INSUFFICIENT_RESOURCES;
	}
	if (sg_alloc_table_from_pages(&adl->sgt, pmo->pages + first, n, 0,
				      n << PAGE_SHIFT, GFP_KERNEL))
		return STATUS_NO_MEMORY;
	if (dma_map_sgtable(adapter->dev, &adl->sgt, adl->dir,
			    DXGK_ADL_DMA_ATTRS)) {
		sg_free_table(&adl->sgt);
		return STATUS_INSUFFICIENT_RESOURCES;
	}
	/* Belt and braces: no address the device would truncate. */
	for_each_sgtable_dma_sg(&adl->sgt, sg, i) {
		if (sg_dma_address(sg) + sg_dma_len(sg) - 1 > adapter->dma_mask) {
			dma_unmap_sgtable(adapter->dev, &adl->sgt, adl->dir,
					  DXGK_ADL_DMA_ATTRS);
			sg_free_table(&adl->sgt);
			return STATUS_INSUFFICIENT_RESOURCES;
		}
	}
	return STATUS_SUCCESS;
}

/* Fill the miniport's view: contiguous, or one page number per page. */
static NTSTATUS dxgk_adl_describe(struct dxgk_adl *adl, unsigned long n,
				  bool want_contiguous)
{
	struct scatterlist *sg;
	unsigned long k = 0;
	unsigned int i;

	adl->adl.PageCount = n;
	if (adl->io_size) {
		adl->adl.Flags.Contiguous = want_contiguous;
		if (want_contiguous) {
			adl->adl.BasePageNumber = adl->io_dma >> PAGE_SHIFT;
			return STATUS_SUCCESS;
		}
	} else if (want_contiguous && adl->sgt.nents == 1) {
		adl->adl.Flags.Contiguous = 1;
		adl->adl.BasePageNumber = sg_dma_address(adl->sgt.sgl) >> PAGE_SHIFT;
		return STATUS_SUCCESS;
	}

	adl->pages = kvmalloc_array(n, sizeof(*adl->pages), GFP_KERNEL);
	if (!adl->pages)
		return STATUS_NO_MEMORY;
	if (adl->io_size) {
		for (k = 0; k < n; k++)
			adl->pages[k] = (adl->io_dma >> PAGE_SHIFT) + k;
	} else {
		for_each_sgtable_dma_sg(&adl->sgt, sg, i) {
			dma_addr_t a;

			for (a = sg_dma_address(sg);
			     a < sg_dma_address(sg) + sg_dma_len(sg) && k < n;
			     a += PAGE_SIZE)
				adl->pages[k++] = a >> PAGE_SHIFT;
		}
	}
	adl->adl.Flags.Contiguous = 0;
	adl->adl.Pages = adl->pages;
	return k == n ? STATUS_SUCCESS : STATUS_UNSUCCESSFUL;
}

/**
 * dxgk_cb_allocate_adl - DxgkCbAllocateAdl
 * @pArgs: the AMO, Offset and Size (page multiples), Flags; pAdl out
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a NULL @pArgs, a
 * reserved flag bit, Offset or Size not page multiples, a zero Size, a range
 * past the object, or RequireContiguous on an MDL or SECTION object;
 * STATUS_INVALID_HANDLE (misuse) for an unknown AMO;
 * STATUS_INVALID_DEVICE_STATE when the AMO's adapter is gone;
 * STATUS_INSUFFICIENT_RESOURCES when the pages cannot be given addresses the
 * device reaches (no IOVA space below the DMA mask, or, without
 * translation, a page above it); STATUS_NO_MEMORY.
 */
NTSTATUS dxgk_cb_allocate_adl(IN_OUT_PDXGKARGCB_ALLOCATE_ADL pArgs)
{
	struct dxgk_adapter *adapter;
	struct dxgk_amo *amo;
	struct dxgk_pmo *pmo;
	struct dxgk_adl *adl;
	unsigned long first, n;
	bool contiguous;
	NTSTATUS status;
	u32 id;

	might_sleep();
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->pAdl = NULL;
	pmo = dxgk_amo_pmo_get(pArgs->hAdapterMemoryObject, &id);
	if (!pmo) {
		dxgk_misuse("DxgkCbAllocateAdl: invalid handle %p\n",
			    pArgs->hAdapterMemoryObject);
		return STATUS_INVALID_HANDLE;
	}
	contiguous = pArgs->Flags.RequireContiguous || pArgs->Flags.PreferContiguous;
	if (pArgs->Flags.Value & ~3U || !pArgs->Size ||
	    (pArgs->Offset | pArgs->Size) & ~PAGE_MASK ||
	    pArgs->Offset >> PAGE_SHIFT > pmo->npages ||
	    pArgs->Size >> PAGE_SHIFT > pmo->npages - (pArgs->Offset >> PAGE_SHIFT) ||
	    (pArgs->Flags.RequireContiguous &&
	     pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY &&
	     pmo->type != DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE)) {
		status = STATUS_INVALID_PARAMETER;
		goto out_put;
	}
	first = pArgs->Offset >> PAGE_SHIFT;
	n = pArgs->Size >> PAGE_SHIFT;
	if (n > U32_MAX) {
		status = STATUS_INVALID_PARAMETER;
		goto out_put;
	}
	adl = kzalloc(sizeof(*adl), GFP_KERNEL);
	if (!adl) {
		status = STATUS_NO_MEMORY;
		goto out_put;
	}

	mutex_lock(&pmo->lock);
	amo = dxgk_amo_locked(pmo, id);
	if (!amo) {	/* closed meanwhile */
		status = STATUS_INVALID_HANDLE;
		goto out_unlock;
	}
	adapter = dxgk_adapter_get(amo->adapter_handle, "DxgkCbAllocateAdl");
	if (!adapter) {
		status = STATUS_INVALID_DEVICE_STATE;
		goto out_unlock;
	}
	adl->dev = adapter->dev;
	adl->first = first;
	/* What no CPU mapping may write, no device may write either. */
	adl->dir = dxgk_pmo_writable(pmo) ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE;
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE) {
		adl->io_size = n << PAGE_SHIFT;
		adl->io_dma = dma_map_resource(adapter->dev,
					       pmo->io_base + (first << PAGE_SHIFT),
					       adl->io_size, adl->dir,
					       DXGK_ADL_DMA_ATTRS);
		if (dma_mapping_error(adapter->dev, adl->io_dma) ||
		    adl->io_dma + adl->io_size - 1 > adapter->dma_mask) {
			if (!dma_mapping_error(adapter->dev, adl->io_dma))
				dma_unmap_resource(adapter->dev, adl->io_dma,
						   adl->io_size, adl->dir,
						   DXGK_ADL_DMA_ATTRS);
			status = STATUS_INSUFFICIENT_RESOURCES;
			goto out_unlock;
		}
	} else {
		if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION) {
			if (dxgk_section_pin(pmo)) {
				status = STATUS_NO_MEMORY;
				goto out_unlock;
			}
			adl->section_pin = true;
		}
		status = dxgk_adl_map_pages(adapter, pmo, adl, first, n);
		if (!NT_SUCCESS(status)) {
			if (adl->section_pin)
				dxgk_section_unpin(pmo);
			goto out_unlock;
		}
	}

	status = dxgk_adl_describe(adl, n, contiguous);
	if (NT_SUCCESS(status) && pArgs->Flags.RequireContiguous &&
	    !adl->adl.Flags.Contiguous)
		status = STATUS_INSUFFICIENT_RESOURCES;
	if (!NT_SUCCESS(status)) {
		dxgk_adl_unmap(pmo, adl);
		mutex_unlock(&pmo->lock);
		goto out_put;
	}
	list_add(&adl->node, &amo->adls);
	amo->nadls++;
	if (trace_dxgk_adl_alloc_enabled()) {
		unsigned int segs;
		u64 dma = dxgk_adl_dma0(adl, &segs);

		trace_dxgk_adl_alloc(amo, &adl->adl, first, segs, dma);
	}
	mutex_unlock(&pmo->lock);
	pArgs->pAdl = &adl->adl;
	dxgk_pmo_put(pmo);
	return STATUS_SUCCESS;

out_unlock:
	mutex_unlock(&pmo->lock);
	kfree(adl);
out_put:
	dxgk_pmo_put(pmo);
	return status;
}

/**
 * dxgk_adl_live_locked - is @adl a live ADL of the AMO @amo_id of @pmo?
 * @pmo: the object, its lock held
 * @amo_id: the AMO's id
 * @adl: an ADL handed out by DxgkCbAllocateAdl
 *
 * For the port's own users of an ADL it handed out (the test-only debugfs
 * probe): the ADL may have been freed meanwhile, by the miniport or by the
 * adapter's removal, and must not be read then.
 *
 * Returns: true if @adl is on the AMO's list.
 */
bool dxgk_adl_live_locked(struct dxgk_pmo *pmo, u32 amo_id, const DXGK_ADL *adl)
{
	struct dxgk_amo *amo = dxgk_amo_locked(pmo, amo_id);
	struct dxgk_adl *e;

	lockdep_assert_held(&pmo->lock);
	if (!amo)
		return false;
	list_for_each_entry(e, &amo->adls, node)
		if (&e->adl == adl)
			return true;
	return false;
}

/**
 * dxgk_cb_free_adl - DxgkCbFreeAdl
 * @pArgs: the AMO the ADL was built from, and the ADL
 *
 * Unmaps the pages for the device (the device can no longer reach them
 * when this returns, with strict or lazy IOMMU invalidation) and unpins a
 * SECTION's pages. An unknown AMO, or an ADL that is not a live ADL of
 * that AMO (freed twice, or another AMO's), is misuse: warned about once
 * and refused.
 *
 * Context: PASSIVE_LEVEL.
 */
void dxgk_cb_free_adl(IN_CONST_PDXGKARGCB_FREE_ADL pArgs)
{
	struct dxgk_adl *adl, *found = NULL;
	struct dxgk_amo *amo;
	struct dxgk_pmo *pmo;
	u32 id = 0;

	might_sleep();
	pmo = pArgs ? dxgk_amo_pmo_get(pArgs->hAdapterMemoryObject, &id) : NULL;
	if (!pmo) {
		dxgk_misuse("DxgkCbFreeAdl: invalid handle %p\n",
			    pArgs ? pArgs->hAdapterMemoryObject : NULL);
		return;
	}
	mutex_lock(&pmo->lock);
	amo = dxgk_amo_locked(pmo, id);
	if (amo) {
		list_for_each_entry(adl, &amo->adls, node) {
			if (&adl->adl == pArgs->pAdl) {
				found = adl;
				break;
			}
		}
	}
	if (found) {
		list_del(&found->node);
		amo->nadls--;
		dxgk_adl_trace_free(amo, found);
		dxgk_adl_unmap(pmo, found);
	} else {
		dxgk_misuse("DxgkCbFreeAdl: %p is not a live ADL of %p\n",
			    pArgs->pAdl, pArgs->hAdapterMemoryObject);
	}
	/* The last ADL of an object whose GEM object went destroys it. */
	dxgk_pmo_unlock_reap(pmo);
	dxgk_pmo_put(pmo);
}

/**
 * dxgk_adl_show - list an AMO's ADLs in debugfs
 * @m: the seq_file
 * @amo: the AMO, its PMO's lock held
 *
 * One line per ADL: the object's byte range it covers, its DMA segments
 * and whether it is contiguous. Device page numbers are not shown.
 */
void dxgk_adl_show(struct seq_file *m, struct dxgk_amo *amo)
{
	struct dxgk_adl *adl;

	list_for_each_entry(adl, &amo->adls, node)
		seq_printf(m, "    adl: %#lx+%#lx segments:%u contiguous:%u\n",
			   adl->first << PAGE_SHIFT,
			   (unsigned long)adl->adl.PageCount << PAGE_SHIFT,
			   adl->io_size ? 1 : adl->sgt.nents,
			   adl->adl.Flags.Contiguous);
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
