// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the WDDM 2.4 IOMMU-isolation callbacks:
 * DxgkCbAllocatePagesForMdl / DxgkCbFreePagesFromMdl,
 * DxgkCbAllocateContiguousMemory / DxgkCbFreeContiguousMemory,
 * DxgkCbMapMdlToIoMmu / DxgkCbUnmapMdlFromIoMmu.
 *
 * Each allocation is built from the PMO family: an MDL or CONTIGUOUS_MEMORY
 * object on the adapter (placement, cache type, the pool, the memory cap),
 * with one ADL over all of it that keeps it mapped for the device for the
 * allocation's whole life. A miniport's own MDL is mapped with
 * dma_map_sgtable() until it is unmapped.
 *
 * The 1:1 rule of WDDM 2.4 (the device sees memory at its physical
 * address): without IOMMU translation (no IOMMU, passthrough) the device
 * address Linux's DMA API gives is the physical address, and the port
 * checks it is, so a miniport that programs physical addresses works
 * unchanged. Under translation the DMA API chooses the IOVA and no kernel
 * interface lets a driver map at an address of its choice in a DMA domain,
 * so 1:1 cannot be kept: the pages are mapped all the same, and the
 * miniport reads the device address with DxgkLinuxQueryDeviceAddress().
 *
 * Every handle is in its adapter's table; what is left at StopDevice or
 * RemoveDevice is misuse, counted and freed while the device is stopped.
 */

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "dxgk_drv.h"
#include "dxgk_pmo.h"
#include "dxgkcompat_drm.h"
#include "dxgk_wdk.h"

enum dxgk_24_kind {
	DXGK_24_PAGES = 1,	/* DxgkCbAllocatePagesForMdl */
	DXGK_24_CONTIG = 2,	/* DxgkCbAllocateContiguousMemory */
	DXGK_24_MDL_MAP = 3,	/* DxgkCbMapMdlToIoMmu */
};

static const char *const dxgk_24_names[] = {
	[DXGK_24_PAGES] = "DxgkCbAllocatePagesForMdl",
	[DXGK_24_CONTIG] = "DxgkCbAllocateContiguousMemory",
	[DXGK_24_MDL_MAP] = "DxgkCbMapMdlToIoMmu",
};

/**
 * struct dxgk_iommu24 - one WDDM 2.4 allocation or mapping
 * @kind: enum dxgk_24_kind
 * @adapter: the adapter it is mapped for
 * @pmo: PAGES, CONTIG: the object behind it
 * @amo: its handle on the adapter
 * @adl: the ADL that keeps it mapped for the device
 * @size: bytes (PAGES, CONTIG: a page multiple)
 * @kva: CONTIG: pMemory; PAGES: MmGetSystemAddressForMdlSafe's mapping
 * @kva_size: the Size of that mapping, for its unmap
 * @mdl: PAGES: the MDL handed out
 * @umdl: MDL_MAP: the miniport's MDL
 * @um: MDL_MAP: the port's record of @umdl, if the port allocated it
 * @sgt: MDL_MAP: its pages, mapped for the device
 * @held: MDL_MAP: folio references taken (NULL where none was)
 * @npages: MDL_MAP: pages of @umdl
 * @guard: MDL_MAP: keeps ExFreePoolWithTag off the pool @umdl describes
 * @guarded: @guard is in use
 */
struct dxgk_iommu24 {
	enum dxgk_24_kind kind;
	struct dxgk_adapter *adapter;
	HANDLE pmo, amo;
	DXGK_ADL *adl;
	u64 size;
	void *kva;
	SIZE_T kva_size;
	struct dxgk_mdl *mdl;
	PMDL umdl;
	struct dxgk_mdl *um;
	struct sg_table sgt;
	struct folio **held;
	unsigned long npages;
	struct dxgk_pool_guard guard;
	bool guarded;
};

#define DXGK_24_SHIFT	2

/*
 * As the ADLs' (dxgk_adl.c): no CPU cache maintenance, DMA is coherent on
 * x86 and the memory is shared with the device for its whole mapping; and
 * a page may be mapped again (an AllocatePagesForMdl MDL is, by its ADL).
 */
#define DXGK_24_DMA_ATTRS	DMA_ATTR_SKIP_CPU_SYNC

/*
 * Serialises MmGetSystemAddressForMdlSafe on a DxgkCbAllocatePagesForMdl
 * MDL with the allocation's free: its owner stays while this is held.
 */
static DEFINE_MUTEX(dxgk_24_mutex);

/*
 * A reference on the folio of @page, where one can be held: not on the
 * slab's, nor (where the kernel types them) a large kmalloc()'s, which
 * get_page() refuses, nor on a page no one holds (a free page, the tail of
 * a high-order allocation that is not a compound page). NULL otherwise.
 */
static struct folio *dxgk_page_hold(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (folio_test_slab(folio))
		return NULL;
#ifdef DXGK_HAVE_FOLIO_TEST_LARGE_KMALLOC
	if (folio_test_large_kmalloc(folio))
		return NULL;
#endif
	return folio_try_get(folio) ? folio : NULL;
}

static HANDLE dxgk_24_handle(u32 id, enum dxgk_24_kind kind)
{
	return (HANDLE)(((uintptr_t)id << DXGK_24_SHIFT) | kind);
}

/**
 * dxgk_iommu24_adapter_init - set up an adapter's table of 2.4 handles
 * @adapter: the adapter
 */
void dxgk_iommu24_adapter_init(struct dxgk_adapter *adapter)
{
	xa_init_flags(&adapter->iommu24, XA_FLAGS_ALLOC1);
	mutex_init(&adapter->iommu24_lock);
	adapter->iommu24_gone = false;
}

/*
 * Look up @h of @kind on @adapter and take it off the table (NULL: misuse).
 * A DxgkCbAllocatePagesForMdl allocation also leaves the MDL registry, or,
 * if its MDL is mapped, stays: ERR_PTR(-EBUSY), misuse.
 */
static struct dxgk_iommu24 *dxgk_24_take(struct dxgk_adapter *adapter, HANDLE h,
					 enum dxgk_24_kind kind, const char *caller)
{
	uintptr_t v = (uintptr_t)h;
	struct dxgk_iommu24 *a = NULL;

	mutex_lock(&adapter->iommu24_lock);
	if ((v & ((1U << DXGK_24_SHIFT) - 1)) == kind && v >> DXGK_24_SHIFT &&
	    v >> DXGK_24_SHIFT <= U32_MAX) {
		a = xa_load(&adapter->iommu24, v >> DXGK_24_SHIFT);
		if (a && a->kind != kind)
			a = NULL;
		/* An MDL still mapped by DxgkCbMapMdlToIoMmu stays, with its handle. */
		if (a && a->kind == DXGK_24_PAGES && !dxgk_mdl_retire(a->mdl)) {
			mutex_unlock(&adapter->iommu24_lock);
			dxgk_misuse("%s: MDL %p is still mapped by DxgkCbMapMdlToIoMmu\n",
				    caller, &a->mdl->mdl);
			return ERR_PTR(-EBUSY);
		}
		if (a)
			xa_erase(&adapter->iommu24, v >> DXGK_24_SHIFT);
	}
	mutex_unlock(&adapter->iommu24_lock);
	if (!a)
		dxgk_misuse("%s: unknown or already freed handle %p\n", caller, h);
	return a;
}

/* Enter @a in @adapter's table; fails once the adapter is going. */
static NTSTATUS dxgk_24_insert(struct dxgk_adapter *adapter,
			       struct dxgk_iommu24 *a, HANDLE *h)
{
	NTSTATUS status = STATUS_SUCCESS;
	u32 id;

	/* Cyclic: a handle freed twice names nothing, not a newer allocation. */
	mutex_lock(&adapter->iommu24_lock);
	if (adapter->iommu24_gone)
		status = STATUS_DEVICE_REMOVED;
	else if (xa_alloc_cyclic(&adapter->iommu24, &id, a,
				 XA_LIMIT(1, U32_MAX >> DXGK_24_SHIFT),
				 &adapter->iommu24_next, GFP_KERNEL) < 0)
		status = STATUS_NO_MEMORY;
	else
		*h = dxgk_24_handle(id, a->kind);
	mutex_unlock(&adapter->iommu24_lock);
	return status;
}

/* PAGES, CONTIG: the object, its kernel mapping and its ADL go. */
static void dxgk_24_release_object(struct dxgk_iommu24 *a)
{
	if (a->kva) {
		DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {
			.hPhysicalMemoryObject = a->pmo,
			.pBaseAddress = a->kva,
			.Size = a->kva_size,
		};

		dxgk_cb_unmap_physical_memory(&u);
		a->kva = NULL;
	}
	if (a->adl) {
		DXGKARGCB_FREE_ADL f = {
			.hAdapterMemoryObject = a->amo,
			.pAdl = a->adl,
		};

		dxgk_cb_free_adl(&f);
		a->adl = NULL;
	}
	if (a->pmo) {
		DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
			.hPhysicalMemoryObject = a->pmo,
			.hAdapterMemoryObject = a->amo,
		};

		dxgk_cb_destroy_physical_memory_object(&d);
		a->pmo = NULL;
	}
}

/* Create the object on the adapter and keep it mapped for the device. */
static NTSTATUS
dxgk_24_create_object(struct dxgk_iommu24 *a,
		      DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *c, bool contiguous)
{
	DXGKARGCB_ALLOCATE_ADL l = { .Size = c->Size };
	NTSTATUS status;

	c->hAdapter = dxgk_adapter_handle(a->adapter);
	status = dxgk_cb_create_physical_memory_object(c);
	if (!NT_SUCCESS(status))
		return status;
	a->pmo = c->hPhysicalMemoryObject;
	a->amo = c->hAdapterMemoryObject;
	a->size = c->Size;
	l.hAdapterMemoryObject = a->amo;
	l.Flags.RequireContiguous = contiguous;
	status = dxgk_cb_allocate_adl(&l);
	if (!NT_SUCCESS(status))
		return status;
	a->adl = l.pAdl;
	return STATUS_SUCCESS;
}

static DXGK_PAGE_NUMBER dxgk_24_adl_page(const DXGK_ADL *adl, unsigned long i)
{
	return adl->Flags.Contiguous ? adl->BasePageNumber + i : adl->Pages[i];
}

/*
 * Without translation the device must see each page at its physical
 * address (the 1:1 rule): a bounce or an offset would break it.
 */
static bool dxgk_24_identity(const struct dxgk_adapter *adapter,
			     struct page *const *pages, const DXGK_ADL *adl,
			     unsigned long n)
{
	unsigned long i;

	if (adapter->iommu_mode == DRM_DXGKCOMPAT_IOMMU_TRANSLATED)
		return true;
	for (i = 0; i < n; i++)
		if (dxgk_24_adl_page(adl, i) != page_to_pfn(pages[i]))
			return false;
	return true;
}

static struct dxgk_adapter *dxgk_24_adapter(HANDLE hAdapter, const char *caller)
{
	might_sleep();
	return dxgk_adapter_get(hAdapter, caller);
}

/**
 * dxgk_cb_allocate_pages_for_mdl - DxgkCbAllocatePagesForMdl
 * @hAdapter: the adapter's DeviceHandle
 * @pArgs: LowAddress, HighAddress, SkipBytes, TotalBytes, CacheType, Flags
 *	in; hMemoryHandle and pMdl out
 *
 * As MmAllocatePagesForMdlEx with MM_ALLOCATE_FULLY_REQUIRED always added:
 * all of TotalBytes (rounded up to pages, at most 4 GiB - PAGE_SIZE) or
 * nothing, in [LowAddress, HighAddress], with the cache type applied as for
 * a PMO. The MDL's PFN array holds the physical page numbers; the pages are
 * mapped for the adapter's device until DxgkCbFreePagesFromMdl.
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER, STATUS_INVALID_HANDLE,
 * STATUS_NO_MEMORY or STATUS_INSUFFICIENT_RESOURCES (no such pages), or the
 * status of the device mapping.
 */
NTSTATUS dxgk_cb_allocate_pages_for_mdl(IN_CONST_HANDLE hAdapter,
					INOUT_PDXGKARGCB_ALLOCATEPAGESFORMDL pArgs)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT c = {
		.Type = DXGK_PHYSICAL_MEMORY_TYPE_MDL,
	};
	struct dxgk_adapter *adapter;
	struct dxgk_iommu24 *a;
	struct dxgk_pmo *pmo;
	NTSTATUS status;
	unsigned long i, n;

	adapter = dxgk_24_adapter(hAdapter, "DxgkCbAllocatePagesForMdl");
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->hMemoryHandle = NULL;
	pArgs->pMdl = NULL;
	if (!adapter)
		return STATUS_INVALID_HANDLE;
	if (!pArgs->TotalBytes || pArgs->TotalBytes > DXGK_MDL_MAX_BYTES)
		return STATUS_INVALID_PARAMETER;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return STATUS_NO_MEMORY;
	a->kind = DXGK_24_PAGES;
	a->adapter = adapter;
	c.Size = PAGE_ALIGN(pArgs->TotalBytes);
	c.CacheType = pArgs->CacheType;
	c.Mdl.LowAddress = pArgs->LowAddress;
	c.Mdl.HighAddress = pArgs->HighAddress;
	c.Mdl.SkipBytes = pArgs->SkipBytes;
	c.Mdl.Flags = pArgs->Flags | MM_ALLOCATE_FULLY_REQUIRED;
	status = dxgk_24_create_object(a, &c, false);
	if (!NT_SUCCESS(status))
		goto err;

	n = c.Size >> PAGE_SHIFT;
	a->mdl = dxgk_mdl_alloc(n, GFP_KERNEL);
	pmo = dxgk_pmo_get(a->pmo);
	if (!a->mdl || !pmo) {
		status = STATUS_NO_MEMORY;
		goto err_pmo;
	}
	if (!dxgk_24_identity(adapter, pmo->pages, a->adl, n)) {
		/* The device would not see the pages where the MDL says. */
		status = STATUS_NOT_SUPPORTED;
		goto err_pmo;
	}
	for (i = 0; i < n; i++)
		a->mdl->pfn[i] = page_to_pfn(pmo->pages[i]);
	dxgk_pmo_put(pmo);
	pmo = NULL;
	a->mdl->owner = a;
	a->mdl->mdl.Size = (CSHORT)min_t(size_t, MmSizeOfMdl(NULL, c.Size), S16_MAX);
	a->mdl->mdl.MdlFlags = MDL_PAGES_LOCKED | MDL_ALLOCATED_FIXED_SIZE;
	a->mdl->mdl.ByteCount = c.Size;

	status = dxgk_24_insert(adapter, a, &pArgs->hMemoryHandle);
	if (!NT_SUCCESS(status))
		goto err_pmo;
	pArgs->pMdl = &a->mdl->mdl;
	return STATUS_SUCCESS;

err_pmo:
	if (pmo)
		dxgk_pmo_put(pmo);
	if (a->mdl)
		dxgk_mdl_discard(a->mdl);
err:
	dxgk_24_release_object(a);
	kfree(a);
	return status;
}

/*
 * MmGetSystemAddressForMdlSafe on a DxgkCbAllocatePagesForMdl MDL: one
 * kernel mapping with the allocation's cache type, kept until the free.
 * NULL for any other MDL.
 */
PVOID dxgk_iommu24_mdl_va(const MDL *mdl)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY m = {
		.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
	};
	struct dxgk_iommu24 *a;
	PVOID va = NULL;

	mutex_lock(&dxgk_24_mutex);
	a = dxgk_mdl_owner(mdl);
	if (!a)
		goto out;
	mutex_lock(&a->adapter->iommu24_lock);
	if (!a->kva) {
		m.hPhysicalMemoryObject = a->pmo;
		m.Size = a->size;
		if (NT_SUCCESS(dxgk_cb_map_physical_memory(&m))) {
			a->kva = m.pMappedAddress;
			a->kva_size = m.Size;
			a->mdl->mdl.MappedSystemVa = a->kva;
			a->mdl->mdl.MdlFlags |= MDL_MAPPED_TO_SYSTEM_VA;
		}
	}
	va = a->kva;
	mutex_unlock(&a->adapter->iommu24_lock);
out:
	mutex_unlock(&dxgk_24_mutex);
	return va;
}

/**
 * dxgk_cb_free_pages_from_mdl - DxgkCbFreePagesFromMdl
 * @hAdapter: the adapter's DeviceHandle
 * @pArgs: hMemoryHandle from DxgkCbAllocatePagesForMdl
 *
 * Unmaps the pages from the device and the kernel and frees them and the
 * MDL. An unknown handle, or an MDL still mapped by DxgkCbMapMdlToIoMmu, is
 * misuse and refused.
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_HANDLE or STATUS_INVALID_PARAMETER.
 */
NTSTATUS dxgk_cb_free_pages_from_mdl(IN_CONST_HANDLE hAdapter,
				     IN_CONST_PDXGKARGCB_FREEPAGESFROMMDL pArgs)
{
	struct dxgk_adapter *adapter;
	struct dxgk_iommu24 *a;

	adapter = dxgk_24_adapter(hAdapter, "DxgkCbFreePagesFromMdl");
	if (!adapter || !pArgs)
		return STATUS_INVALID_PARAMETER;
	/* No MmGetSystemAddressForMdlSafe is mapping it while it goes. */
	mutex_lock(&dxgk_24_mutex);
	a = dxgk_24_take(adapter, pArgs->hMemoryHandle, DXGK_24_PAGES,
			 "DxgkCbFreePagesFromMdl");
	mutex_unlock(&dxgk_24_mutex);
	if (IS_ERR(a))
		return STATUS_INVALID_PARAMETER;
	if (!a)
		return STATUS_INVALID_HANDLE;
	/* Out of the registry: no one else can reach the MDL. */
	kfree(a->mdl);
	dxgk_24_release_object(a);
	kfree(a);
	return STATUS_SUCCESS;
}

/**
 * dxgk_cb_allocate_contiguous_memory - DxgkCbAllocateContiguousMemory
 * @hAdapter: the adapter's DeviceHandle
 * @pArgs: NumberOfBytes, LowestAcceptableAddress, HighestAcceptableAddress,
 *	BoundaryAddressMultiple, CacheType in; hMemoryHandle, pMemory out
 *
 * As MmAllocateContiguousMemorySpecifyCache: physically contiguous pages in
 * the window, not crossing a BoundaryAddressMultiple boundary, mapped into
 * the kernel with the cache type (pMemory) and for the device, contiguously,
 * until DxgkCbFreeContiguousMemory.
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER, STATUS_INVALID_HANDLE,
 * STATUS_NO_MEMORY or STATUS_INSUFFICIENT_RESOURCES, or the status of a
 * mapping.
 */
NTSTATUS
dxgk_cb_allocate_contiguous_memory(IN_CONST_HANDLE hAdapter,
				   INOUT_PDXGKARGCB_ALLOCATECONTIGUOUSMEMORY pArgs)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT c = {
		.Type = DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY,
	};
	DXGKARGCB_MAP_PHYSICAL_MEMORY m = {
		.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
	};
	struct dxgk_adapter *adapter;
	struct dxgk_iommu24 *a;
	struct dxgk_pmo *pmo;
	NTSTATUS status;

	adapter = dxgk_24_adapter(hAdapter, "DxgkCbAllocateContiguousMemory");
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->hMemoryHandle = NULL;
	pArgs->pMemory = NULL;
	if (!adapter)
		return STATUS_INVALID_HANDLE;
	if (!pArgs->NumberOfBytes || pArgs->NumberOfBytes > DXGK_MDL_MAX_BYTES)
		return STATUS_INVALID_PARAMETER;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return STATUS_NO_MEMORY;
	a->kind = DXGK_24_CONTIG;
	a->adapter = adapter;
	c.Size = PAGE_ALIGN(pArgs->NumberOfBytes);
	c.CacheType = pArgs->CacheType;
	c.ContiguousMemory.LowestAcceptableAddress = pArgs->LowestAcceptableAddress;
	c.ContiguousMemory.HighestAcceptableAddress = pArgs->HighestAcceptableAddress;
	c.ContiguousMemory.BoundaryAddressMultiple = pArgs->BoundaryAddressMultiple;
	status = dxgk_24_create_object(a, &c, true);
	if (!NT_SUCCESS(status))
		goto err;
	pmo = dxgk_pmo_get(a->pmo);
	if (!pmo) {
		status = STATUS_INVALID_HANDLE;
		goto err;
	}
	if (!dxgk_24_identity(adapter, pmo->pages, a->adl, c.Size >> PAGE_SHIFT))
		status = STATUS_NOT_SUPPORTED;
	dxgk_pmo_put(pmo);
	if (!NT_SUCCESS(status))
		goto err;
	m.hPhysicalMemoryObject = a->pmo;
	m.Size = c.Size;
	status = dxgk_cb_map_physical_memory(&m);
	if (!NT_SUCCESS(status))
		goto err;
	a->kva = m.pMappedAddress;
	a->kva_size = m.Size;
	status = dxgk_24_insert(adapter, a, &pArgs->hMemoryHandle);
	if (!NT_SUCCESS(status))
		goto err;
	pArgs->pMemory = a->kva;
	return STATUS_SUCCESS;

err:
	dxgk_24_release_object(a);
	kfree(a);
	return status;
}

/**
 * dxgk_cb_free_contiguous_memory - DxgkCbFreeContiguousMemory
 * @hAdapter: the adapter's DeviceHandle
 * @pArgs: hMemoryHandle from DxgkCbAllocateContiguousMemory
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, or STATUS_INVALID_HANDLE (misuse) for a handle
 * that is not a live one of DxgkCbAllocateContiguousMemory on the adapter.
 */
NTSTATUS dxgk_cb_free_contiguous_memory(IN_CONST_HANDLE hAdapter,
					IN_CONST_PDXGKARGCB_FREECONTIGUOUSMEMORY pArgs)
{
	struct dxgk_adapter *adapter;
	struct dxgk_iommu24 *a;

	adapter = dxgk_24_adapter(hAdapter, "DxgkCbFreeContiguousMemory");
	if (!adapter || !pArgs)
		return STATUS_INVALID_PARAMETER;
	a = dxgk_24_take(adapter, pArgs->hMemoryHandle, DXGK_24_CONTIG,
			 "DxgkCbFreeContiguousMemory");
	if (!a)
		return STATUS_INVALID_HANDLE;
	dxgk_24_release_object(a);
	kfree(a);
	return STATUS_SUCCESS;
}

/* MDL_MAP: unmap from the device, drop the page references. */
static void dxgk_24_mdl_unmap(struct dxgk_iommu24 *a)
{
	bool freed = false;
	unsigned long i;

	dma_unmap_sgtable(a->adapter->dev, &a->sgt, DMA_BIDIRECTIONAL,
			  DXGK_24_DMA_ATTRS);
	sg_free_table(&a->sgt);
	for (i = 0; i < a->npages; i++) {
		if (!a->held[i])
			continue;
		/* Ours is the last reference: the miniport freed the page. */
		if (folio_ref_count(a->held[i]) == 1)
			freed = true;
		folio_put(a->held[i]);
	}
	kvfree(a->held);
	if (freed)
		dxgk_misuse("DxgkCbUnmapMdlFromIoMmu: pages of MDL %p were freed while mapped\n",
			    a->umdl);
	if (a->guarded)
		dxgk_pool_guard_del(&a->guard);
	/* The last unmap frees an MDL whose free was refused while mapped. */
	if (a->um)
		dxgk_mdl_map_put(a->um);
}

/**
 * dxgk_cb_map_mdl_to_io_mmu - DxgkCbMapMdlToIoMmu
 * @hAdapter: the adapter's DeviceHandle
 * @pArgs: pMdl in (the miniport's MDL, its PFN array filled with RAM
 *	pages); hMemoryHandle out
 *
 * Maps the MDL's bytes for the adapter's device until
 * DxgkCbUnmapMdlFromIoMmu. The MDL stays the miniport's and must not change
 * meanwhile. The port holds a reference on each page (pages of kmalloc()
 * excepted), so that pages freed early are not reused while the
 * device reaches them, and refuses ExFreePoolWithTag and IoFreeMdl on what
 * the mapping covers until the unmap (misuse, counted).
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (no MDL, no bytes, a
 * page that is not RAM: misuse), STATUS_INVALID_HANDLE, STATUS_NO_MEMORY,
 * STATUS_NOT_SUPPORTED (DMA would bounce or not be 1:1 untranslated).
 */
NTSTATUS dxgk_cb_map_mdl_to_io_mmu(IN_CONST_HANDLE hAdapter,
				   INOUT_PDXGKARGCB_MAPMDLTOIOMMU pArgs)
{
	struct dxgk_adapter *adapter;
	struct page **pages = NULL;
	struct dxgk_iommu24 *a;
	struct scatterlist *sg;
	unsigned long i;
	PPFN_NUMBER pfn;
	NTSTATUS status;
	PMDL mdl;
	int ret;

	adapter = dxgk_24_adapter(hAdapter, "DxgkCbMapMdlToIoMmu");
	if (!pArgs)
		return STATUS_INVALID_PARAMETER;
	pArgs->hMemoryHandle = NULL;
	if (!adapter)
		return STATUS_INVALID_HANDLE;
	mdl = pArgs->pMdl;
	if (!mdl || !mdl->ByteCount || mdl->ByteOffset >= PAGE_SIZE) {
		dxgk_misuse("DxgkCbMapMdlToIoMmu: no MDL, or an empty one\n");
		return STATUS_INVALID_PARAMETER;
	}
	if (dxgk_adapter_dma_bounced(adapter))
		return STATUS_NOT_SUPPORTED;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return STATUS_NO_MEMORY;
	a->kind = DXGK_24_MDL_MAP;
	a->adapter = adapter;
	a->umdl = mdl;
	a->size = mdl->ByteCount;
	a->npages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(mdl->ByteOffset, mdl->ByteCount);
	pfn = MmGetMdlPfnArray(mdl);
	status = STATUS_NO_MEMORY;
	pages = kvmalloc_array(a->npages, sizeof(*pages), GFP_KERNEL);
	a->held = kvcalloc(a->npages, sizeof(*a->held), GFP_KERNEL);
	if (!pages || !a->held)
		goto err;
	/* Count the mapping on a port MDL: IoFreeMdl waits for the unmap. */
	a->um = dxgk_mdl_map_get(mdl, a->npages);
	if (IS_ERR(a->um)) {
		a->um = NULL;
		dxgk_misuse("DxgkCbMapMdlToIoMmu: MDL %p is being freed or outgrew its PFN array\n",
			    mdl);
		status = STATUS_INVALID_PARAMETER;
		goto err;
	}
	for (i = 0; i < a->npages; i++) {
		pages[i] = pfn_to_online_page(pfn[i]);
		if (!pages[i] || is_zone_device_page(pages[i])) {
			dxgk_misuse("DxgkCbMapMdlToIoMmu: MDL %p page %#lx is not RAM\n",
				    mdl, (unsigned long)pfn[i]);
			status = STATUS_INVALID_PARAMETER;
			goto err_um;
		}
	}
	for (i = 0; i < a->npages; i++)
		a->held[i] = dxgk_page_hold(pages[i]);
	if (mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL) {
		a->guard.start = (unsigned long)MmGetMdlVirtualAddress(mdl);
		a->guard.end = a->guard.start + mdl->ByteCount;
		dxgk_pool_guard_add(&a->guard);
		a->guarded = true;
	}

	ret = sg_alloc_table_from_pages(&a->sgt, pages, a->npages, mdl->ByteOffset,
					mdl->ByteCount, GFP_KERNEL);
	if (ret)
		goto err_unhold;
	ret = dma_map_sgtable(adapter->dev, &a->sgt, DMA_BIDIRECTIONAL,
			      DXGK_24_DMA_ATTRS);
	if (ret) {
		sg_free_table(&a->sgt);
		status = dxgk_errno_to_ntstatus(ret);
		goto err_unhold;
	}
	if (adapter->iommu_mode != DRM_DXGKCOMPAT_IOMMU_TRANSLATED) {
		for_each_sgtable_dma_sg(&a->sgt, sg, i)
			if (sg_dma_address(sg) != sg_phys(sg)) {
				dxgk_24_mdl_unmap(a);
				status = STATUS_NOT_SUPPORTED;
				goto err_free;
			}
	}
	kvfree(pages);
	status = dxgk_24_insert(adapter, a, &pArgs->hMemoryHandle);
	if (NT_SUCCESS(status))
		return STATUS_SUCCESS;
	dxgk_24_mdl_unmap(a);
	kfree(a);
	return status;

err_unhold:
	/* As an unmap, without the device mapping. */
	for (i = 0; i < a->npages; i++)
		if (a->held[i])
			folio_put(a->held[i]);
	if (a->guarded)
		dxgk_pool_guard_del(&a->guard);
	status = ret == -ENOMEM ? STATUS_NO_MEMORY : status;
err_um:
	if (a->um)
		dxgk_mdl_map_put(a->um);
err:
	kvfree(a->held);
err_free:
	kvfree(pages);
	kfree(a);
	return status;
}

/**
 * dxgk_cb_unmap_mdl_from_io_mmu - DxgkCbUnmapMdlFromIoMmu
 * @hAdapter: the adapter's DeviceHandle
 * @pArgs: hMemoryHandle from DxgkCbMapMdlToIoMmu
 *
 * The device can no longer reach the MDL's pages when this returns. An
 * unknown handle or a second unmap is misuse, and ignored.
 *
 * Context: PASSIVE_LEVEL.
 */
void dxgk_cb_unmap_mdl_from_io_mmu(IN_CONST_HANDLE hAdapter,
				   IN_CONST_PDXGKARGCB_UNMAPMDLFROMIOMMU pArgs)
{
	struct dxgk_adapter *adapter;
	struct dxgk_iommu24 *a;

	adapter = dxgk_24_adapter(hAdapter, "DxgkCbUnmapMdlFromIoMmu");
	if (!adapter || !pArgs)
		return;
	a = dxgk_24_take(adapter, pArgs->hMemoryHandle, DXGK_24_MDL_MAP,
			 "DxgkCbUnmapMdlFromIoMmu");
	if (!a)
		return;
	dxgk_24_mdl_unmap(a);
	kfree(a);
}

/**
 * DxgkLinuxQueryDeviceAddress - the device address of a 2.4 allocation
 * @hAdapter: the adapter's DeviceHandle
 * @hMemoryHandle: from DxgkCbAllocatePagesForMdl,
 *	DxgkCbAllocateContiguousMemory or DxgkCbMapMdlToIoMmu
 * @Offset: byte offset in it (from the MDL's first byte for a mapped MDL)
 * @DeviceAddress: receives the address the device reaches that byte at
 *
 * A dxgkcompat extension (ntddk.h): the physical address without IOMMU
 * translation (the 1:1 rule), the IOVA under translation.
 *
 * Context: PASSIVE_LEVEL.
 * Return: STATUS_SUCCESS, STATUS_INVALID_HANDLE or STATUS_INVALID_PARAMETER
 * (Offset beyond the end).
 */
NTSTATUS DxgkLinuxQueryDeviceAddress(HANDLE hAdapter, HANDLE hMemoryHandle,
				     SIZE_T Offset, PPHYSICAL_ADDRESS DeviceAddress)
{
	uintptr_t v = (uintptr_t)hMemoryHandle;
	struct dxgk_adapter *adapter;
	NTSTATUS status = STATUS_INVALID_PARAMETER;
	struct dxgk_iommu24 *a;

	adapter = dxgk_24_adapter(hAdapter, "DxgkLinuxQueryDeviceAddress");
	if (!adapter || !DeviceAddress)
		return STATUS_INVALID_PARAMETER;
	DeviceAddress->QuadPart = 0;
	mutex_lock(&adapter->iommu24_lock);
	a = v >> DXGK_24_SHIFT <= U32_MAX ?
	    xa_load(&adapter->iommu24, v >> DXGK_24_SHIFT) : NULL;
	if (!a || (v & ((1U << DXGK_24_SHIFT) - 1)) != a->kind) {
		status = STATUS_INVALID_HANDLE;
	} else if (Offset < a->size && a->kind != DXGK_24_MDL_MAP) {
		DeviceAddress->QuadPart =
			((u64)dxgk_24_adl_page(a->adl, Offset >> PAGE_SHIFT) << PAGE_SHIFT) +
			offset_in_page(Offset);
		status = STATUS_SUCCESS;
	} else if (Offset < a->size) {
		struct scatterlist *sg;
		unsigned int i;
		u64 left = Offset;

		for_each_sgtable_dma_sg(&a->sgt, sg, i) {
			if (left < sg_dma_len(sg)) {
				DeviceAddress->QuadPart = sg_dma_address(sg) + left;
				status = STATUS_SUCCESS;
				break;
			}
			left -= sg_dma_len(sg);
		}
	}
	mutex_unlock(&adapter->iommu24_lock);
	if (status == STATUS_INVALID_HANDLE)
		dxgk_misuse("%s: unknown handle %p\n", __func__, hMemoryHandle);
	return status;
}
EXPORT_SYMBOL_GPL(DxgkLinuxQueryDeviceAddress);

/**
 * dxgk_iommu24_adapter_gone - the adapter is stopped and going
 * @adapter: the adapter
 *
 * What the miniport left allocated or mapped is misuse: counted, unmapped
 * from the device while it is still there, and freed. New calls fail.
 */
void dxgk_iommu24_adapter_gone(struct dxgk_adapter *adapter)
{
	struct dxgk_iommu24 *a;
	unsigned long index;

	int pass;

	mutex_lock(&adapter->iommu24_lock);
	adapter->iommu24_gone = true;
	mutex_unlock(&adapter->iommu24_lock);
	/*
	 * One entry at a time, each off the table under the lock. Mappings of
	 * MDLs first: they may map a DxgkCbAllocatePagesForMdl MDL.
	 */
	for (pass = 0; pass < 2; pass++) {
		for (;;) {
			mutex_lock(&dxgk_24_mutex);
			mutex_lock(&adapter->iommu24_lock);
			xa_for_each(&adapter->iommu24, index, a)
				if (pass || a->kind == DXGK_24_MDL_MAP)
					break;
			if (a) {
				xa_erase(&adapter->iommu24, index);
				/* MmGetSystemAddressForMdlSafe finds it no more. */
				if (a->mdl)
					a->mdl->owner = NULL;
			}
			mutex_unlock(&adapter->iommu24_lock);
			mutex_unlock(&dxgk_24_mutex);
			if (!a)
				break;
			dxgk_misuse("%s: handle %#lx left at removal\n",
				    dxgk_24_names[a->kind], index);
			if (a->kind == DXGK_24_MDL_MAP) {
				dxgk_24_mdl_unmap(a);
			} else {
				/* Mapped by another adapter: freed at its unmap. */
				if (a->mdl)
					dxgk_mdl_orphan(a->mdl);
				dxgk_24_release_object(a);
			}
			kfree(a);
		}
	}
}

/**
 * dxgk_iommu24_count - live 2.4 allocations and mappings of an adapter
 * @device_handle: its DeviceHandle
 *
 * Return: their number (0 for an unknown handle).
 */
unsigned int dxgk_iommu24_count(HANDLE device_handle)
{
	struct dxgk_adapter *adapter = dxgk_adapter_get(device_handle, "dxgk_iommu24_count");
	struct dxgk_iommu24 *a;
	unsigned long index;
	unsigned int n = 0;

	if (!adapter)
		return 0;
	mutex_lock(&adapter->iommu24_lock);
	xa_for_each(&adapter->iommu24, index, a)
		n++;
	mutex_unlock(&adapter->iommu24_lock);
	return n;
}
EXPORT_SYMBOL_NS_GPL(dxgk_iommu24_count, DXGK_NS);
