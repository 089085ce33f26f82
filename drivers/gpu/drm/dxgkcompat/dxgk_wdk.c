// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the WDK runtime subset (ntddk.h) that is not inline: pool,
 * events, time and MDLs.
 *
 * MDLs the port allocates are registered by address, so that IoFreeMdl,
 * MmGetSystemAddressForMdlSafe and DxgkCbMapMdlToIoMmu know them whatever
 * the miniport did to their flags. Pool memory a live DxgkCbMapMdlToIoMmu
 * mapping reaches is guarded: freeing it before the unmap is misuse,
 * refused, and the memory goes at the unmap instead.
 */

#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "dxgk_drv.h"
#include "dxgk_pmo.h"
#include "dxgk_wdk.h"

/* 100 ns intervals between 1601-01-01 and 1970-01-01 (UTC). */
#define DXGK_EPOCH_1601	116444736000000000LL
#define DXGK_QPC_HZ	10000000LL

/* The port's MDLs by address; its lock (IRQ-safe) guards their state. */
static DEFINE_XARRAY_FLAGS(dxgk_mdls, XA_FLAGS_LOCK_IRQ);
DEFINE_SPINLOCK(dxgk_mdl_lock);
static LIST_HEAD(dxgk_pool_guards);

struct dxgk_deferred_free {
	struct list_head node;
	void *p;
};

/**
 * ExAllocatePool2 - allocate pool memory
 * @Flags: POOL_FLAG_*: exactly one of NON_PAGED and PAGED; UNINITIALIZED,
 *	CACHE_ALIGNED and USE_QUOTA may be added
 * @NumberOfBytes: nonzero size
 * @Tag: nonzero pool tag
 *
 * NON_PAGED memory is kmalloc()ed (physically contiguous, in the linear
 * map: MmBuildMdlForNonPagedPool and MmGetPhysicalAddress work on it),
 * PAGED memory kvmalloc()ed. Zeroed unless POOL_FLAG_UNINITIALIZED.
 * Linux cannot raise an exception, so POOL_FLAG_RAISE_ON_FAILURE is misuse
 * and refused; executable and session pool are not provided.
 *
 * Context: PASSIVE_LEVEL for PAGED; NON_PAGED also at DISPATCH_LEVEL.
 * Return: the memory, or NULL (no memory, Tag 0, invalid flags).
 */
PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag)
{
	const POOL_FLAGS known = POOL_FLAG_USE_QUOTA | POOL_FLAG_UNINITIALIZED |
				 POOL_FLAG_CACHE_ALIGNED | POOL_FLAG_NON_PAGED |
				 POOL_FLAG_PAGED;
	POOL_FLAGS type = Flags & (POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED);
	bool atomic = KeGetCurrentIrql() != PASSIVE_LEVEL;
	gfp_t gfp = atomic ? GFP_ATOMIC : GFP_KERNEL;
	size_t size = NumberOfBytes;

	if (Flags & POOL_FLAG_RAISE_ON_FAILURE) {
		dxgk_misuse("%s: POOL_FLAG_RAISE_ON_FAILURE cannot raise on Linux\n", __func__);
		return NULL;
	}
	/* Unknown required flags (the low 32 bits) fail, optional ones do not. */
	if (!Tag || !NumberOfBytes || (Flags & lower_32_bits(~known)) ||
	    (type != POOL_FLAG_NON_PAGED && type != POOL_FLAG_PAGED))
		return NULL;
	if (atomic && type == POOL_FLAG_PAGED) {
		dxgk_misuse("%s: paged pool above PASSIVE_LEVEL\n", __func__);
		return NULL;
	}
	if (!(Flags & POOL_FLAG_UNINITIALIZED))
		gfp |= __GFP_ZERO;
	if (Flags & POOL_FLAG_USE_QUOTA)
		gfp |= __GFP_ACCOUNT;
	/* kmalloc() aligns power-of-two sizes to their size. */
	if (Flags & POOL_FLAG_CACHE_ALIGNED) {
		if (size > SIZE_MAX / 2)
			return NULL;
		size = max_t(size_t, roundup_pow_of_two(size),
			     cache_line_size());
	}
	if (type == POOL_FLAG_NON_PAGED)
		return kmalloc(size, gfp | __GFP_NOWARN);
	return kvmalloc(size, gfp | __GFP_NOWARN);
}
EXPORT_SYMBOL_GPL(ExAllocatePool2);

/* Under dxgk_mdl_lock: the guard of a live mapping that reaches @p. */
static struct dxgk_pool_guard *dxgk_pool_guard_find(const void *p)
{
	unsigned long start = (unsigned long)p, end = start + 1;
	struct dxgk_pool_guard *g;

	if (!is_vmalloc_addr(p))
		end = start + ksize(p);
	list_for_each_entry(g, &dxgk_pool_guards, node)
		if (start < g->end && g->start < end)
			return g;
	return NULL;
}

/**
 * ExFreePoolWithTag - free pool memory
 * @P: memory from ExAllocatePool2, or NULL
 * @Tag: its tag (not checked: Linux keeps no tag)
 *
 * Memory a live DxgkCbMapMdlToIoMmu mapping reaches is misuse (Windows
 * leaves the device reaching reused memory): refused, and freed by the
 * unmap.
 */
VOID ExFreePoolWithTag(PVOID P, ULONG Tag)
{
	struct dxgk_deferred_free *d;
	struct dxgk_pool_guard *g;
	unsigned long flags;

	if (!P)
		return;
	spin_lock_irqsave(&dxgk_mdl_lock, flags);
	g = dxgk_pool_guard_find(P);
	if (g) {
		dxgk_misuse("%s: %p is still mapped by DxgkCbMapMdlToIoMmu\n", __func__, P);
		d = kmalloc(sizeof(*d), GFP_ATOMIC);
		if (d) {
			d->p = P;
			list_add_tail(&d->node, &g->deferred);
		}
		/* Without memory for the note, the block leaks: never reused. */
		spin_unlock_irqrestore(&dxgk_mdl_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&dxgk_mdl_lock, flags);
	/* vfree() may sleep outside interrupts: paged pool is PASSIVE_LEVEL's. */
	if (is_vmalloc_addr(P) && !in_interrupt() && KeGetCurrentIrql() != PASSIVE_LEVEL) {
		dxgk_misuse("%s: paged pool %p freed above PASSIVE_LEVEL\n", __func__, P);
		return;
	}
	kvfree(P);
}
EXPORT_SYMBOL_GPL(ExFreePoolWithTag);

/**
 * ExFreePool - free pool memory, as ExFreePoolWithTag()
 * @P: memory from ExAllocatePool2, or NULL
 */
VOID ExFreePool(PVOID P)
{
	ExFreePoolWithTag(P, 0);
}
EXPORT_SYMBOL_GPL(ExFreePool);

void dxgk_pool_guard_add(struct dxgk_pool_guard *g)
{
	unsigned long flags;

	INIT_LIST_HEAD(&g->deferred);
	spin_lock_irqsave(&dxgk_mdl_lock, flags);
	list_add(&g->node, &dxgk_pool_guards);
	spin_unlock_irqrestore(&dxgk_mdl_lock, flags);
}

/* The mapping is gone: the frees it held back run now. */
void dxgk_pool_guard_del(struct dxgk_pool_guard *g)
{
	struct dxgk_deferred_free *d, *n;
	struct dxgk_pool_guard *other;
	unsigned long flags;
	LIST_HEAD(now);

	spin_lock_irqsave(&dxgk_mdl_lock, flags);
	list_del(&g->node);
	/* A block another live mapping still reaches waits for that one. */
	list_for_each_entry_safe(d, n, &g->deferred, node) {
		other = dxgk_pool_guard_find(d->p);
		list_move_tail(&d->node, other ? &other->deferred : &now);
	}
	spin_unlock_irqrestore(&dxgk_mdl_lock, flags);
	list_for_each_entry_safe(d, n, &now, node) {
		kvfree(d->p);
		kfree(d);
	}
}

/* Events */

/**
 * KeSetEvent - signal an event
 * @Event: the event
 * @Increment: priority boost (ignored)
 * @Wait: TRUE if a wait follows at once (ignored: no IRQL is held)
 *
 * A NotificationEvent releases every waiter and stays signaled; a
 * SynchronizationEvent releases one waiter, which resets it.
 *
 * Context: at or below DISPATCH_LEVEL.
 * Return: the previous state, nonzero if it was signaled.
 */
LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait)
{
	unsigned long flags;
	LONG old;

	/* Woken under the lock: once a waiter sees the state, we are done. */
	spin_lock_irqsave(&Event->Wait.lock, flags);
	old = Event->State;
	Event->State = 1;
	if (!old)
		wake_up_all_locked(&Event->Wait);
	spin_unlock_irqrestore(&Event->Wait.lock, flags);
	return old;
}
EXPORT_SYMBOL_GPL(KeSetEvent);

/**
 * KeResetEvent - set an event to not signaled
 * @Event: the event
 *
 * Return: the previous state.
 */
LONG KeResetEvent(PRKEVENT Event)
{
	unsigned long flags;
	LONG old;

	spin_lock_irqsave(&Event->Wait.lock, flags);
	old = Event->State;
	Event->State = 0;
	spin_unlock_irqrestore(&Event->Wait.lock, flags);
	return old;
}
EXPORT_SYMBOL_GPL(KeResetEvent);

/**
 * KeClearEvent - set an event to not signaled
 * @Event: the event
 */
VOID KeClearEvent(PRKEVENT Event)
{
	KeResetEvent(Event);
}
EXPORT_SYMBOL_GPL(KeClearEvent);

/**
 * KeReadStateEvent - the state of an event
 * @Event: the event
 *
 * Return: nonzero if signaled.
 */
LONG KeReadStateEvent(PRKEVENT Event)
{
	return READ_ONCE(Event->State);
}
EXPORT_SYMBOL_GPL(KeReadStateEvent);

/* Satisfy a wait: a synchronization event resets as it releases one. */
static bool dxgk_event_take(PRKEVENT e)
{
	unsigned long flags;
	bool got;

	spin_lock_irqsave(&e->Wait.lock, flags);
	got = e->State;
	if (got && e->Type == SynchronizationEvent)
		e->State = 0;
	spin_unlock_irqrestore(&e->Wait.lock, flags);
	return got;
}

/**
 * KeWaitForSingleObject - wait for an event to be signaled
 * @Object: a KEVENT (the only dispatcher object provided)
 * @WaitReason: Executive (ignored)
 * @WaitMode: KernelMode or UserMode (both wait the same way)
 * @Alertable: ignored: the wait is never alerted
 * @Timeout: NULL to wait for ever; else in 100 ns units, negative for a
 *	time relative to now, positive for an absolute system time (as
 *	KeQuerySystemTimePrecise() counts it), zero to test the state
 *
 * A wait that may block above PASSIVE_LEVEL would bug-check Windows: misuse,
 * refused.
 *
 * Return: STATUS_SUCCESS when the event was signaled, STATUS_TIMEOUT when
 * the timeout expired first, STATUS_INVALID_PARAMETER on misuse.
 */
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
			       KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
			       PLARGE_INTEGER Timeout)
{
	PRKEVENT e = Object;
	LONGLONG t;
	long ret;

	if (dxgk_event_take(e))
		return STATUS_SUCCESS;
	if (Timeout && !Timeout->QuadPart)
		return STATUS_TIMEOUT;
	if (KeGetCurrentIrql() != PASSIVE_LEVEL) {
		dxgk_misuse("%s: blocking wait above PASSIVE_LEVEL\n", __func__);
		return STATUS_INVALID_PARAMETER;
	}
	if (!Timeout) {
		wait_event(e->Wait, dxgk_event_take(e));
		return STATUS_SUCCESS;
	}
	t = max_t(LONGLONG, Timeout->QuadPart, -LLONG_MAX);
	if (t > 0) {
		LARGE_INTEGER now;

		KeQuerySystemTimePrecise(&now);
		if (t <= now.QuadPart)
			return dxgk_event_take(e) ? STATUS_SUCCESS : STATUS_TIMEOUT;
		t = now.QuadPart - t;
	}
	/* t < 0: -t hundreds of nanoseconds from now. */
	ret = wait_event_hrtimeout(e->Wait, dxgk_event_take(e),
				   ns_to_ktime(-t > KTIME_MAX / 100 ? KTIME_MAX :
					       -t * 100));
	return ret ? STATUS_TIMEOUT : STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(KeWaitForSingleObject);

/* Time */

/**
 * KeQueryPerformanceCounter - a monotonic counter
 * @PerformanceFrequency: if not NULL, receives its frequency (10 MHz)
 *
 * Return: ticks of CLOCK_MONOTONIC, in 100 ns units.
 */
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency)
{
	LARGE_INTEGER c;

	if (PerformanceFrequency)
		PerformanceFrequency->QuadPart = DXGK_QPC_HZ;
	c.QuadPart = div_u64(ktime_get_ns(), 100);
	return c;
}
EXPORT_SYMBOL_GPL(KeQueryPerformanceCounter);

/**
 * KeQuerySystemTimePrecise - the system time
 * @CurrentTime: receives 100 ns intervals since 1601-01-01 UTC
 */
VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime)
{
	CurrentTime->QuadPart = div_u64(ktime_get_real_ns(), 100) + DXGK_EPOCH_1601;
}
EXPORT_SYMBOL_GPL(KeQuerySystemTimePrecise);

/* MDLs */

/* A new MDL with room for @npages PFNs, in the registry. */
struct dxgk_mdl *dxgk_mdl_alloc(ULONG npages, gfp_t gfp)
{
	struct dxgk_mdl *m;

	if (irqs_disabled())	/* xa_insert_irq() would turn them on */
		return NULL;
	m = kzalloc(struct_size(m, pfn, npages), gfp);
	if (!m)
		return NULL;
	m->npages = npages;
	if (xa_insert_irq(&dxgk_mdls, (unsigned long)&m->mdl, m, gfp)) {
		kfree(m);
		return NULL;
	}
	return m;
}

/* An MDL no one else has seen yet: out of the registry, freed. */
void dxgk_mdl_discard(struct dxgk_mdl *m)
{
	xa_erase_irq(&dxgk_mdls, (unsigned long)&m->mdl);
	kfree(m);
}

/*
 * DxgkCbMapMdlToIoMmu of @mdl, which spans @npages: the port's record of
 * it, counted as mapped; NULL if the port did not allocate it; an
 * ERR_PTR if it is being freed or its PFN array is smaller than @npages.
 */
struct dxgk_mdl *dxgk_mdl_map_get(const MDL *mdl, ULONG npages)
{
	struct dxgk_mdl *m;
	unsigned long flags;

	xa_lock_irqsave(&dxgk_mdls, flags);
	m = xa_load(&dxgk_mdls, (unsigned long)mdl);
	if (m && (m->free_pending || npages > m->npages))
		m = ERR_PTR(-EINVAL);
	else if (m)
		m->iommu_maps++;
	xa_unlock_irqrestore(&dxgk_mdls, flags);
	return m;
}

/* Its mapping is gone; the last one frees an MDL freed meanwhile. */
void dxgk_mdl_map_put(struct dxgk_mdl *m)
{
	unsigned long flags;
	bool free;

	xa_lock_irqsave(&dxgk_mdls, flags);
	free = !--m->iommu_maps && m->free_pending;
	if (free)
		__xa_erase(&dxgk_mdls, (unsigned long)&m->mdl);
	xa_unlock_irqrestore(&dxgk_mdls, flags);
	if (free)
		kfree(m);
}

/*
 * DxgkCbFreePagesFromMdl: if @m is not mapped, it leaves the registry (no
 * mapping can start on it) and the caller frees it. False if it is mapped.
 */
bool dxgk_mdl_retire(struct dxgk_mdl *m)
{
	unsigned long flags;
	bool unmapped;

	xa_lock_irqsave(&dxgk_mdls, flags);
	unmapped = !m->iommu_maps;
	if (unmapped)
		__xa_erase(&dxgk_mdls, (unsigned long)&m->mdl);
	xa_unlock_irqrestore(&dxgk_mdls, flags);
	return unmapped;
}

/* Its owner goes regardless (adapter removal): freed now or at the last unmap. */
void dxgk_mdl_orphan(struct dxgk_mdl *m)
{
	unsigned long flags;
	bool free;

	xa_lock_irqsave(&dxgk_mdls, flags);
	free = !m->iommu_maps;
	if (free)
		__xa_erase(&dxgk_mdls, (unsigned long)&m->mdl);
	else
		m->free_pending = true;
	xa_unlock_irqrestore(&dxgk_mdls, flags);
	if (free)
		kfree(m);
}

/* The DxgkCbAllocatePagesForMdl allocation @mdl describes; dxgk_24_mutex held. */
struct dxgk_iommu24 *dxgk_mdl_owner(const MDL *mdl)
{
	struct dxgk_iommu24 *owner = NULL;
	struct dxgk_mdl *m;
	unsigned long flags;

	xa_lock_irqsave(&dxgk_mdls, flags);
	m = xa_load(&dxgk_mdls, (unsigned long)mdl);
	if (m && !m->free_pending)
		owner = m->owner;
	xa_unlock_irqrestore(&dxgk_mdls, flags);
	return owner;
}

/**
 * IoAllocateMdl - allocate an MDL for a buffer
 * @VirtualAddress: start of the buffer
 * @Length: its length, nonzero and at most 4 GiB - PAGE_SIZE
 * @SecondaryBuffer: must be FALSE (no IRP chains)
 * @ChargeQuota: ignored
 * @Irp: must be NULL (no IRPs)
 *
 * The MDL is initialised (MmInitializeMdl) but its PFN array is not filled:
 * MmBuildMdlForNonPagedPool does that.
 *
 * Return: the MDL, or NULL.
 */
PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
		   BOOLEAN ChargeQuota, struct _IRP *Irp)
{
	struct dxgk_mdl *m;
	gfp_t gfp = KeGetCurrentIrql() == PASSIVE_LEVEL ? GFP_KERNEL : GFP_ATOMIC;

	if (SecondaryBuffer || Irp) {
		dxgk_misuse("%s: IRPs are not supported\n", __func__);
		return NULL;
	}
	if (!Length || Length > DXGK_MDL_MAX_BYTES)
		return NULL;
	m = dxgk_mdl_alloc(ADDRESS_AND_SIZE_TO_SPAN_PAGES(VirtualAddress, Length), gfp);
	if (!m)
		return NULL;
	MmInitializeMdl(&m->mdl, VirtualAddress, Length);
	m->mdl.MdlFlags = MDL_ALLOCATED_FIXED_SIZE;
	return &m->mdl;
}
EXPORT_SYMBOL_GPL(IoAllocateMdl);

/**
 * IoFreeMdl - free an MDL from IoAllocateMdl
 * @Mdl: the MDL
 *
 * Misuse, refused: an MDL the port did not allocate, the MDL of a
 * DxgkCbAllocatePagesForMdl allocation (DxgkCbFreePagesFromMdl frees it),
 * and an MDL still mapped by DxgkCbMapMdlToIoMmu (freed at the unmap).
 */
VOID IoFreeMdl(PMDL Mdl)
{
	struct dxgk_mdl *m;
	unsigned long flags;
	bool owned, mapped = false;

	xa_lock_irqsave(&dxgk_mdls, flags);
	m = xa_load(&dxgk_mdls, (unsigned long)Mdl);
	if (m && m->free_pending)
		m = NULL;	/* freed once already */
	owned = m && m->owner;
	if (m && !owned) {
		mapped = m->iommu_maps;
		if (mapped)
			m->free_pending = true;
		else	/* off the registry: no mapping can start on it now */
			__xa_erase(&dxgk_mdls, (unsigned long)Mdl);
	}
	xa_unlock_irqrestore(&dxgk_mdls, flags);
	if (!m)
		dxgk_misuse("%s: %p is not a live MDL from IoAllocateMdl\n", __func__, Mdl);
	else if (owned)
		dxgk_misuse("%s: %p belongs to DxgkCbAllocatePagesForMdl\n", __func__, Mdl);
	else if (mapped)
		dxgk_misuse("%s: %p is still mapped by DxgkCbMapMdlToIoMmu\n", __func__, Mdl);
	else
		kfree(m);
}
EXPORT_SYMBOL_GPL(IoFreeMdl);

/**
 * MmBuildMdlForNonPagedPool - fill an MDL's PFN array for resident memory
 * @MemoryDescriptorList: an MDL describing non-paged pool (or any memory in
 *	the kernel's linear map or in vmalloc space: both are resident)
 *
 * Sets MappedSystemVa to the buffer and MDL_SOURCE_IS_NONPAGED_POOL.
 * Other addresses are misuse, and the MDL is left as it was.
 */
VOID MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList)
{
	PMDL mdl = MemoryDescriptorList;
	u8 *va = MmGetMdlVirtualAddress(mdl);
	ULONG n = ADDRESS_AND_SIZE_TO_SPAN_PAGES(va, mdl->ByteCount), i;
	PPFN_NUMBER pfn = MmGetMdlPfnArray(mdl);
	u8 *page = WDK_PAGE_ALIGN(va);
	struct dxgk_mdl *m = xa_load(&dxgk_mdls, (unsigned long)mdl);

	if (m && n > m->npages) {
		dxgk_misuse("%s: MDL %p grew past its PFN array\n", __func__, mdl);
		return;
	}
	for (i = 0; i < n; i++) {
		const void *p = page + (size_t)i * PAGE_SIZE;

		if (is_vmalloc_addr(p) ? !vmalloc_to_page(p) : !virt_addr_valid(p)) {
			dxgk_misuse("%s: %p is not resident kernel memory\n", __func__, p);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		const void *p = page + (size_t)i * PAGE_SIZE;

		pfn[i] = is_vmalloc_addr(p) ? vmalloc_to_pfn(p) :
			 PHYS_PFN(virt_to_phys((void *)p));
	}
	mdl->MappedSystemVa = va;
	mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}
EXPORT_SYMBOL_GPL(MmBuildMdlForNonPagedPool);

/**
 * MmGetSystemAddressForMdlSafe - a kernel address for an MDL's memory
 * @Mdl: the MDL
 * @Priority: MM_PAGE_PRIORITY and MdlMapping* flags (ignored)
 *
 * An MDL already mapped (MDL_MAPPED_TO_SYSTEM_VA) or built for non-paged
 * pool returns MappedSystemVa. The MDL of a DxgkCbAllocatePagesForMdl
 * allocation is mapped once, with the allocation's cache type, and stays
 * mapped until DxgkCbFreePagesFromMdl. Other MDLs (their pages are not the
 * port's to map) get NULL, as does a first mapping above PASSIVE_LEVEL.
 *
 * Return: the address of the MDL's first byte, or NULL.
 */
PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority)
{
	if (Mdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_SOURCE_IS_NONPAGED_POOL))
		return Mdl->MappedSystemVa;
	if (KeGetCurrentIrql() != PASSIVE_LEVEL)
		return NULL;
	return dxgk_iommu24_mdl_va(Mdl);
}
EXPORT_SYMBOL_GPL(MmGetSystemAddressForMdlSafe);

/**
 * MmGetPhysicalAddress - the physical address behind a kernel address
 * @BaseAddress: an address in the linear map (non-paged pool, contiguous
 *	memory) or in vmalloc space
 *
 * Honest only for resident kernel memory, which is all it answers for: a
 * user address or an ioremap()ed one returns 0. It is a physical address,
 * not a device address: under IOMMU translation a device reaches memory
 * only through a mapping (DxgkLinuxQueryDeviceAddress()).
 *
 * Return: the physical address, or 0.
 */
PHYSICAL_ADDRESS MmGetPhysicalAddress(PVOID BaseAddress)
{
	PHYSICAL_ADDRESS pa = { .QuadPart = 0 };
	unsigned long off = offset_in_page(BaseAddress);

	if (is_vmalloc_addr(BaseAddress)) {
		struct page *page = vmalloc_to_page(BaseAddress);

		if (page)
			pa.QuadPart = page_to_phys(page) + off;
	} else if (virt_addr_valid(BaseAddress)) {
		pa.QuadPart = virt_to_phys(BaseAddress);
	}
	return pa;
}
EXPORT_SYMBOL_GPL(MmGetPhysicalAddress);
