// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - physical memory objects (PMOs) and adapter memory objects
 * (AMOs): their handles and lifetime, the memory cap and quotas, and
 * DxgkCbCreate/Destroy/Open/ClosePhysicalMemoryObject. The backing store
 * is in dxgk_backing.c, the cache types in dxgk_caching.c, CPU mappings in
 * dxgk_map.c.
 */

#include <linux/file.h>
#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "dxgk_caching.h"
#include "dxgk_drv.h"
#include "dxgk_pmo.h"
#include "dxgk_trace.h"

/**
 * DOC: Physical memory objects
 *
 * A PMO is memory a miniport allocates (or, for IO_SPACE, describes) through
 * DxgkCbCreatePhysicalMemoryObject. It owns its backing store and has one
 * cache type, fixed at creation, which every CPU mapping of it uses.
 */

/* Global counters (debugfs): live objects, backing pages by cache type. */
atomic_t dxgk_pmo_objects = ATOMIC_INIT(0);
atomic_long_t dxgk_pmo_pages[3];

/*
 * All RAM-backed objects together may use this share of RAM: past it,
 * creation fails with STATUS_NO_MEMORY while the rest of the system still
 * has memory, instead of draining it until the OOM killer runs.
 */
static unsigned int dxgk_max_memory_percent = 50;
module_param_named(max_memory_percent, dxgk_max_memory_percent, uint, 0644);
MODULE_PARM_DESC(max_memory_percent,
		 "Share of RAM all physical memory objects may use (default: 50)");
atomic_long_t dxgk_pmo_reserved;

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

DEFINE_XARRAY_ALLOC1(dxgk_pmos);
DEFINE_XARRAY_ALLOC1(dxgk_amos);
static u32 dxgk_pmo_next, dxgk_amo_next;

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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_quota_new, DXGK_NS);

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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_quota_put, DXGK_NS);

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
bool dxgk_pmo_charge(struct dxgk_pmo_quota *q, unsigned long n)
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

void dxgk_pmo_uncharge(struct dxgk_pmo_quota *q, unsigned long n)
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
gfp_t dxgk_pmo_gfp(const struct dxgk_pmo *pmo, gfp_t gfp)
{
	return pmo->user ? gfp | __GFP_ACCOUNT | __GFP_RETRY_MAYFAIL : gfp;
}

/*
 * Count the object against the cap and allocate its page array; after its
 * arguments are checked. The array comes after the cap, so its size is
 * bounded by the cap and not by what the caller asked for.
 */
bool dxgk_pmo_reserve(struct dxgk_pmo *pmo, gfp_t gfp)
{
	if (!dxgk_pmo_charge(pmo->quota, pmo->npages))
		return false;
	pmo->reserved = true;
	pmo->pages = kvcalloc(pmo->npages, sizeof(*pmo->pages),
			      dxgk_pmo_gfp(pmo, gfp | __GFP_NOWARN));
	return pmo->pages;	/* the caller's error path unreserves */
}

HANDLE dxgk_make_handle(u32 id, unsigned long kind)
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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_count, DXGK_NS);

static void dxgk_pmo_release(struct kref *ref)
{
	struct dxgk_pmo *pmo = container_of(ref, struct dxgk_pmo, ref);

	switch (pmo->type) {
	case DXGK_PHYSICAL_MEMORY_TYPE_MDL:
	case DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY:
		dxgk_pages_free_cached(pmo->pages, pmo->npages, pmo->cache,
				       pmo->poolable);
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
		trace_dxgk_pmo_destroy(pmo, 0);
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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_get, DXGK_NS);

/* dxgk_pmo_get() for a callback: an unknown handle is the caller's misuse. */
struct dxgk_pmo *dxgk_pmo_get_checked(HANDLE h, const char *caller)
{
	struct dxgk_pmo *pmo = dxgk_pmo_get(h);

	if (!pmo)
		dxgk_misuse("%s: invalid handle %p\n", caller, h);
	return pmo;
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
		unsigned long fresh = pmo->npages - pmo->pooled;

		/* Pages from the pool have the attribute already. */
		if (dxgk_pages_set_caching(pmo->pages + pmo->pooled, fresh, pmo->cache)) {
			dxgk_free_pages(pmo->pages + pmo->pooled, fresh);
			dxgk_pages_free_cached(pmo->pages, pmo->pooled, pmo->cache, true);
			status = STATUS_INSUFFICIENT_RESOURCES;
			goto err_free;
		}
		dxgk_pool_count_fresh(pmo->cache, fresh);
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
	trace_dxgk_pmo_create(pmo, (u32)(uintptr_t)pArgs->hAdapter);

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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_create, DXGK_NS);

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
EXPORT_SYMBOL_NS_GPL(dxgk_pmo_orphan, DXGK_NS);

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
