// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - physical memory objects as GEM objects, and their ioctls.
 */

#include <linux/capability.h>
#include <linux/dma-buf.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>

#include "dxgkcompat_drm.h"
#include "dxgk_compat.h"
#include "dxgk_drv.h"
#include "dxgk_trace.h"

/**
 * DOC: Physical memory objects from user space
 *
 * Each PMO user space creates is a GEM object. It is made by
 * DxgkCbCreatePhysicalMemoryObject on the adapter (hAdapter set), so it has
 * an AMO. Its mappings, whether made by DRM_IOCTL_DXGKCOMPAT_PMO_MAP or by
 * mmap() of the GEM fake offset, are PFN maps with the object's cache type,
 * filled at fault time. Each mapping holds a reference on the GEM object,
 * so DRM_IOCTL_GEM_CLOSE with live mappings leaves them working, and the
 * object (with its PMO) is destroyed when the last handle, mapping and
 * dma-buf are gone. A process that exits loses its handles and mappings,
 * and with them its objects. Only shared mappings exist: mmap() with
 * MAP_PRIVATE (of the GEM offset or of a PRIME fd) fails with -EINVAL,
 * since a PFN map of the object's own pages cannot be copy-on-write.
 * Mappings obey the object's page protection and are not inherited across
 * fork. A mapping a miniport made with DxgkCbMapPhysicalMemory(USER_MODE)
 * does not hold the GEM object: when the GEM object goes first, the PMO is
 * destroyed with the last such mapping.
 *
 * The memory of these objects is charged to the creator's memory cgroup
 * and counted against a per-file cap as well as the driver's; placement
 * that steers physical memory needs CAP_SYS_ADMIN (see the uAPI header).
 *
 * PRIME export gives a dma-buf whose importers see the object's pages
 * (pinned while attached), in a scatterlist built for each importer's
 * device: no segment longer than its dma_get_max_seg_size(). Importers
 * may map a PAGE_READONLY or PAGE_EXECUTE section for DMA_TO_DEVICE only
 * (else -EACCES), and COPY into one fails with -EACCES and
 * STATUS_ACCESS_DENIED: no device writes what no mapping may. Import of
 * foreign dma-bufs is not supported: DRM_IOCTL_PRIME_FD_TO_HANDLE fails
 * with -EINVAL.
 */

struct dxgk_gem {
	struct drm_gem_object base;
	HANDLE hpmo;
	HANDLE hamo;
	struct dxgk_pmo *pmo;
};

static struct dxgk_gem *to_dxgk_gem(struct drm_gem_object *obj)
{
	return container_of(obj, struct dxgk_gem, base);
}

static void dxgk_gem_free(struct drm_gem_object *obj)
{
	struct dxgk_gem *gem = to_dxgk_gem(obj);

	/* Destroyed now, or when a miniport's last mapping of it goes. */
	dxgk_pmo_orphan(gem->pmo);
	drm_gem_object_release(obj);
	kfree(gem);
}

static vm_fault_t dxgk_gem_fault(struct vm_fault *vmf)
{
	struct drm_gem_object *obj = vmf->vma->vm_private_data;

	return dxgk_pmo_fault(to_dxgk_gem(obj)->pmo, vmf, vmf->vma->vm_pgoff);
}

static void dxgk_gem_vm_open(struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = vma->vm_private_data;

	/* A copy or split of a live, pinned mapping: cannot fail. */
	WARN_ON(dxgk_pmo_umap_get(to_dxgk_gem(obj)->pmo));
	drm_gem_vm_open(vma);
}

static void dxgk_gem_vm_close(struct vm_area_struct *vma)
{
	struct drm_gem_object *obj = vma->vm_private_data;

	dxgk_pmo_umap_put(to_dxgk_gem(obj)->pmo);
	drm_gem_vm_close(vma);
}

static const struct vm_operations_struct dxgk_gem_vm_ops = {
	.fault = dxgk_gem_fault,
	.open = dxgk_gem_vm_open,
	.close = dxgk_gem_vm_close,
};

static int dxgk_gem_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	/* Remove the fake offset: vm_pgoff is the object's first page. */
	vma->vm_pgoff -= drm_vma_node_start(&obj->vma_node);
	return dxgk_pmo_vma_setup(to_dxgk_gem(obj)->pmo, vma, vma->vm_pgoff);
}

static int dxgk_gem_pin(struct drm_gem_object *obj)
{
	return dxgk_pmo_umap_get(to_dxgk_gem(obj)->pmo);
}

static void dxgk_gem_unpin(struct drm_gem_object *obj)
{
	dxgk_pmo_umap_put(to_dxgk_gem(obj)->pmo);
}

static struct sg_table *dxgk_gem_get_sg_table(struct drm_gem_object *obj)
{
	return dxgk_pmo_sg_table(to_dxgk_gem(obj)->pmo,
				 dma_get_max_seg_size(obj->dev->dev));
}

/*
 * An importer maps the pages for its own device, which may take shorter
 * segments than ours (vgem's: 64 KiB): the scatterlist is built for it.
 */
static struct sg_table *dxgk_gem_map_dma_buf(struct dma_buf_attachment *attach,
					     enum dma_data_direction dir)
{
	struct drm_gem_object *obj = attach->dmabuf->priv;
	struct sg_table *sgt;
	int ret;

	/* An importer's device may write only what a mapping may. */
	if (dir != DMA_TO_DEVICE && !dxgk_pmo_writable(to_dxgk_gem(obj)->pmo))
		return ERR_PTR(-EACCES);
	sgt = dxgk_pmo_sg_table(to_dxgk_gem(obj)->pmo,
				dma_get_max_seg_size(attach->dev));
	if (IS_ERR(sgt))
		return sgt;
	ret = dma_map_sgtable(attach->dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (ret) {
		sg_free_table(sgt);
		kfree(sgt);
		return ERR_PTR(ret);
	}
	return sgt;
}

/* DRM's PRIME helpers, but for the scatterlist. */
static const struct dma_buf_ops dxgk_dmabuf_ops = {
	DXGK_DMA_BUF_CACHE_SGT
	.attach = drm_gem_map_attach,
	.detach = drm_gem_map_detach,
	.map_dma_buf = dxgk_gem_map_dma_buf,
	.unmap_dma_buf = drm_gem_unmap_dma_buf,
	.release = drm_gem_dmabuf_release,
	.mmap = drm_gem_dmabuf_mmap,
	.vmap = drm_gem_dmabuf_vmap,
	.vunmap = drm_gem_dmabuf_vunmap,
};

static struct dma_buf *dxgk_gem_export(struct drm_gem_object *obj, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);

	exp_info.ops = &dxgk_dmabuf_ops;
	exp_info.size = obj->size;
	exp_info.flags = flags;
	exp_info.priv = obj;
	exp_info.resv = obj->resv;
	return drm_gem_dmabuf_export(obj->dev, &exp_info);
}

/**
 * dxgk_gem_prime_import - &drm_driver.gem_prime_import
 * @dev: the importing DRM device
 * @dma_buf: the dma-buf
 *
 * Only our own exports of this device come back, as the same object;
 * foreign dma-bufs are refused.
 *
 * Returns: the object with a reference, or ERR_PTR(-EINVAL).
 */
struct drm_gem_object *dxgk_gem_prime_import(struct drm_device *dev,
					     struct dma_buf *dma_buf)
{
	struct drm_gem_object *obj = dma_buf->priv;

	if (dma_buf->ops != &dxgk_dmabuf_ops || obj->dev != dev)
		return ERR_PTR(-EINVAL);
	drm_gem_object_get(obj);
	return obj;
}

static const struct drm_gem_object_funcs dxgk_gem_funcs = {
	.free = dxgk_gem_free,
	.export = dxgk_gem_export,
	.mmap = dxgk_gem_mmap,
	.pin = dxgk_gem_pin,
	.unpin = dxgk_gem_unpin,
	.get_sg_table = dxgk_gem_get_sg_table,
	.vm_ops = &dxgk_gem_vm_ops,
};

/*
 * The highest address a window given by a caller without CAP_SYS_ADMIN
 * must reach: all of memory when the IOMMU translates (the device needs no
 * placement then), else at least what the device's DMA mask covers.
 */
static u64 dxgk_user_window_high(const struct dxgk_adapter *adapter)
{
	u64 top = U64_MAX;

#ifdef CONFIG_X86
	top = BIT_ULL(boot_cpu_data.x86_phys_bits) - 1;
#endif
	if (adapter->iommu_mode == DRM_DXGKCOMPAT_IOMMU_TRANSLATED)
		return top;
	return min(top, adapter->dma_mask);
}

/*
 * Placement is for privileged callers: contiguous memory, windows that
 * pick physical pages or drain a zone, chunked or high-order MDLs and
 * node-bound ones all steer, fragment or pin physical memory, or migrate
 * other users' pages to make room. Without translation an unprivileged
 * caller may still ask for the window its device needs (the DMA mask):
 * what it takes there is bounded by the caps and its memory cgroup.
 */
static bool dxgk_pmo_create_needs_admin(const struct drm_dxgkcompat_pmo_create *args,
					const struct dxgk_adapter *adapter)
{
	switch (args->type) {
	case DRM_DXGKCOMPAT_PMO_CONTIGUOUS:
		return true;
	case DRM_DXGKCOMPAT_PMO_MDL:
		return args->low_address || args->skip_bytes ||
		       args->mm_flags & (MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS |
					 MM_ALLOCATE_PREFER_CONTIGUOUS |
					 MM_ALLOCATE_FROM_LOCAL_NODE_ONLY) ||
		       args->high_address < dxgk_user_window_high(adapter);
	default:
		return false;
	}
}

static int dxgk_status_errno(NTSTATUS status, u32 *out)
{
	*out = status;
	/* An unknown GEM handle is -ENOENT, as everywhere in DRM. */
	if (status == STATUS_INVALID_HANDLE)
		return -ENOENT;
	return dxgk_ntstatus_to_errno(status);
}

/**
 * dxgk_ioctl_pmo_create - DRM_IOCTL_DXGKCOMPAT_PMO_CREATE
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_pmo_create
 * @file: the caller
 *
 * Returns: 0 or a negative errno; the NTSTATUS is in the struct.
 */
int dxgk_ioctl_pmo_create(struct drm_device *drm, void *data,
			  struct drm_file *file)
{
	struct drm_dxgkcompat_pmo_create *args = data;
	struct dxgk_adapter *adapter = to_dxgk_adapter(drm);
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT c = { 0 };
	struct dxgk_gem *gem;
	NTSTATUS status;
	bool bad, privileged;
	int ret, idx;

	args->handle = 0;
	switch (args->type) {
	case DRM_DXGKCOMPAT_PMO_MDL:
		bad = args->page_protection;
		break;
	case DRM_DXGKCOMPAT_PMO_CONTIGUOUS:
		bad = args->mm_flags || args->page_protection;
		break;
	case DRM_DXGKCOMPAT_PMO_SECTION:
		bad = args->low_address || args->high_address ||
		      args->skip_bytes || args->mm_flags;
		break;
	default:
		bad = true;	/* IO_SPACE objects are kernel-only */
		break;
	}
	if (bad || args->reserved || args->cache_type > DRM_DXGKCOMPAT_WRITE_COMBINED ||
	    !args->size)
		return dxgk_status_errno(STATUS_INVALID_PARAMETER, &args->ntstatus);
	/* Uninitialised pages would show user space other people's data. */
	if (args->mm_flags & MM_DONT_ZERO_ALLOCATION)
		return dxgk_status_errno(STATUS_ACCESS_DENIED, &args->ntstatus);
	/* Audited only when it decides; else it only allows a window search. */
	if (dxgk_pmo_create_needs_admin(args, adapter)) {
		if (!capable(CAP_SYS_ADMIN)) {
			args->ntstatus = STATUS_ACCESS_DENIED;
			return -EPERM;
		}
		privileged = true;
	} else {
		privileged = ns_capable_noaudit(&init_user_ns, CAP_SYS_ADMIN);
	}

	/* The adapter handle stays valid while the object is made. */
	if (!drm_dev_enter(drm, &idx))
		return dxgk_status_errno(STATUS_DEVICE_REMOVED, &args->ntstatus);
	c.hAdapter = dxgk_adapter_handle(adapter);
	c.Size = args->size;
	c.Type = args->type;
	c.CacheType = args->cache_type;
	switch (args->type) {
	case DRM_DXGKCOMPAT_PMO_MDL:
		c.Mdl.LowAddress.QuadPart = args->low_address;
		c.Mdl.HighAddress.QuadPart = args->high_address;
		c.Mdl.SkipBytes.QuadPart = args->skip_bytes;
		c.Mdl.Flags = args->mm_flags;
		break;
	case DRM_DXGKCOMPAT_PMO_CONTIGUOUS:
		c.ContiguousMemory.LowestAcceptableAddress.QuadPart = args->low_address;
		c.ContiguousMemory.HighestAcceptableAddress.QuadPart = args->high_address;
		c.ContiguousMemory.BoundaryAddressMultiple.QuadPart = args->skip_bytes;
		break;
	default:
		c.Section.PageProtection = args->page_protection;
		c.Section.AllocationAttributes = SEC_COMMIT;
		break;
	}
	status = dxgk_pmo_create(&c, file->driver_priv, privileged);
	drm_dev_exit(idx);
	if (!NT_SUCCESS(status))
		return dxgk_status_errno(status, &args->ntstatus);

	gem = kzalloc(sizeof(*gem), GFP_KERNEL);
	if (!gem) {
		ret = -ENOMEM;
		goto err_destroy;
	}
	gem->hpmo = c.hPhysicalMemoryObject;
	gem->hamo = c.hAdapterMemoryObject;
	gem->pmo = dxgk_pmo_get(gem->hpmo);
	gem->base.funcs = &dxgk_gem_funcs;
	drm_gem_private_object_init(drm, &gem->base, PAGE_ALIGN(args->size));
	ret = drm_gem_create_mmap_offset(&gem->base);
	if (!ret)
		ret = drm_gem_handle_create(file, &gem->base, &args->handle);
	/* The handle holds the object now; on error this frees it. */
	drm_gem_object_put(&gem->base);
	return dxgk_status_errno(dxgk_errno_to_ntstatus(ret), &args->ntstatus);

err_destroy:
	{
		DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
			.hPhysicalMemoryObject = c.hPhysicalMemoryObject,
			.hAdapterMemoryObject = c.hAdapterMemoryObject,
		};

		dxgk_cb_destroy_physical_memory_object(&d);
	}
	return dxgk_status_errno(dxgk_errno_to_ntstatus(ret), &args->ntstatus);
}

static struct drm_gem_object *dxgk_gem_lookup(struct drm_file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file, handle);

	if (obj && obj->funcs != &dxgk_gem_funcs) {
		drm_gem_object_put(obj);
		return NULL;
	}
	return obj;
}

/**
 * dxgk_ioctl_pmo_map - DRM_IOCTL_DXGKCOMPAT_PMO_MAP
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_pmo_map
 * @file: the caller
 *
 * DxgkCbMapPhysicalMemory(USER_MODE) in the calling process, through the
 * GEM object's mmap: the same pages, the same cache type. The mapping is
 * not inherited across fork.
 *
 * Returns: 0 or a negative errno; the NTSTATUS is in the struct.
 */
int dxgk_ioctl_pmo_map(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_dxgkcompat_pmo_map *args = data;
	struct drm_gem_object *obj;
	unsigned long first;
	size_t size_out;
	NTSTATUS status;
	long addr;

	args->address = 0;
	if (args->reserved)
		return dxgk_status_errno(STATUS_INVALID_PARAMETER, &args->ntstatus);
	obj = dxgk_gem_lookup(file, args->handle);
	if (!obj)
		return dxgk_status_errno(STATUS_INVALID_HANDLE, &args->ntstatus);

	status = dxgk_pmo_view(to_dxgk_gem(obj)->pmo, args->offset, args->size,
			       &first, &size_out);
	if (NT_SUCCESS(status)) {
		addr = dxgk_pmo_vm_mmap(to_dxgk_gem(obj)->pmo, file->filp,
					drm_vma_node_start(&obj->vma_node) + first,
					size_out);
		if (addr == -EACCES && !drm_vma_node_is_allowed(&obj->vma_node, file)) {
			/* GEM_CLOSE of this handle ran meanwhile. */
			status = STATUS_INVALID_HANDLE;
		} else if (addr < 0) {
			status = dxgk_errno_to_ntstatus(addr);
		} else {
			args->address = addr;
			args->offset &= ~PAGE_MASK;
			args->size = size_out;
		}
	}
	drm_gem_object_put(obj);
	return dxgk_status_errno(status, &args->ntstatus);
}

/**
 * dxgk_ioctl_pmo_unmap - DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_pmo_unmap
 * @file: the caller
 *
 * Returns: 0; -ENOENT (STATUS_INVALID_HANDLE) for an unknown handle;
 * -EINVAL with STATUS_NOT_MAPPED_VIEW when @address is not the start of a
 * mapping of the object in this process, or STATUS_INVALID_VIEW_SIZE when
 * the size differs (nothing is unmapped then).
 */
int dxgk_ioctl_pmo_unmap(struct drm_device *drm, void *data,
			 struct drm_file *file)
{
	struct drm_dxgkcompat_pmo_unmap *args = data;
	struct mm_struct *mm = current->mm;
	struct drm_gem_object *obj;
	NTSTATUS status;

	if (args->reserved)
		return dxgk_status_errno(STATUS_INVALID_PARAMETER, &args->ntstatus);
	obj = dxgk_gem_lookup(file, args->handle);
	if (!obj)
		return dxgk_status_errno(STATUS_INVALID_HANDLE, &args->ntstatus);

	mmap_read_lock(mm);
	status = dxgk_vma_owner_ok(vma_lookup(mm, args->address), &dxgk_gem_vm_ops,
				   obj, args->address, args->size);
	mmap_read_unlock(mm);
	/* munmap can fail for memory (the VMA tree): the mapping stays. */
	if (NT_SUCCESS(status))
		status = dxgk_errno_to_ntstatus(vm_munmap(args->address, args->size));
	if (NT_SUCCESS(status))
		trace_dxgk_pmo_unmap(to_dxgk_gem(obj)->pmo, true, args->address,
				     args->size);
	drm_gem_object_put(obj);
	if (status == STATUS_NOT_MAPPED_VIEW || status == STATUS_INVALID_VIEW_SIZE) {
		args->ntstatus = status;
		return -EINVAL;
	}
	return dxgk_status_errno(status, &args->ntstatus);
}

/**
 * dxgk_ioctl_pmo_mmap_offset - DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_pmo_mmap_offset
 * @file: the caller
 *
 * Returns: 0, or -ENOENT (STATUS_INVALID_HANDLE) for an unknown handle.
 */
int dxgk_ioctl_pmo_mmap_offset(struct drm_device *drm, void *data,
			       struct drm_file *file)
{
	struct drm_dxgkcompat_pmo_mmap_offset *args = data;
	struct drm_gem_object *obj;

	args->offset = 0;
	obj = dxgk_gem_lookup(file, args->handle);
	if (!obj)
		return dxgk_status_errno(STATUS_INVALID_HANDLE, &args->ntstatus);
	args->offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	args->ntstatus = STATUS_SUCCESS;
	return 0;
}

/*
 * The two objects of a device copy, each with its byte range checked as a
 * view: *src and *dst are references to drop (set even on failure).
 */
static NTSTATUS dxgk_gem_lookup_pair(struct drm_file *file, u32 src_handle,
				     u64 src_off, u32 dst_handle, u64 dst_off,
				     u64 size, struct drm_gem_object **src,
				     struct drm_gem_object **dst)
{
	unsigned long first;
	size_t size_out;
	NTSTATUS status;

	*src = dxgk_gem_lookup(file, src_handle);
	*dst = dxgk_gem_lookup(file, dst_handle);
	if (!*src || !*dst)
		return STATUS_INVALID_HANDLE;
	status = dxgk_pmo_view(to_dxgk_gem(*src)->pmo, src_off, size, &first,
			       &size_out);
	if (NT_SUCCESS(status))
		status = dxgk_pmo_view(to_dxgk_gem(*dst)->pmo, dst_off, size,
				       &first, &size_out);
	return status;
}

static void dxgk_gem_put_pair(struct drm_gem_object *src,
			      struct drm_gem_object *dst)
{
	if (src)
		drm_gem_object_put(src);
	if (dst)
		drm_gem_object_put(dst);
}

/**
 * dxgk_ioctl_copy - DRM_IOCTL_DXGKCOMPAT_COPY
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_copy
 * @file: the caller
 *
 * Copies between two PMOs with the adapter's engine: the port's paging
 * path obtains the ADLs and passes them to the miniport.
 *
 * Returns: 0 or a negative errno; the NTSTATUS is in the struct.
 */
int dxgk_ioctl_copy(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_dxgkcompat_copy *args = data;
	struct drm_gem_object *src, *dst;
	NTSTATUS status;
	int idx;

	if (args->pad)
		return dxgk_status_errno(STATUS_INVALID_PARAMETER, &args->ntstatus);
	/*
	 * The adapter's IRQ, registers, miniport and the copy's ADLs stay
	 * until the copy is done: unplugging waits for it, after stopping
	 * paging (dxgk_sched_removing()).
	 */
	if (!drm_dev_enter(drm, &idx))
		return dxgk_status_errno(STATUS_DEVICE_REMOVED, &args->ntstatus);
	status = dxgk_gem_lookup_pair(file, args->src_handle, args->src_offset,
				      args->dst_handle, args->dst_offset,
				      args->size, &src, &dst);
	if (NT_SUCCESS(status) && src == dst &&
	    args->src_offset < args->dst_offset + args->size &&
	    args->dst_offset < args->src_offset + args->size)
		status = STATUS_INVALID_PARAMETER;
	/* The device may not write what no mapping may (page protection). */
	if (NT_SUCCESS(status) && !dxgk_pmo_writable(to_dxgk_gem(dst)->pmo))
		status = STATUS_ACCESS_DENIED;
	if (NT_SUCCESS(status))
		status = dxgk_paging_copy(to_dxgk_adapter(drm),
					  to_dxgk_gem(src)->hamo, args->src_offset,
					  to_dxgk_gem(dst)->hamo, args->dst_offset,
					  args->size);
	dxgk_gem_put_pair(src, dst);
	drm_dev_exit(idx);
	return dxgk_status_errno(status, &args->ntstatus);
}

#ifdef DXGK_TEST_IOCTLS

static u32 dxgk_pte_cache_mode(pgprot_t prot)
{
#ifdef CONFIG_X86
	unsigned long bits = pgprot_val(prot) & _PAGE_CACHE_MASK;

	if (bits == cachemode2protval(_PAGE_CACHE_MODE_WB))
		return DRM_DXGKCOMPAT_PTE_WB;
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_WC))
		return DRM_DXGKCOMPAT_PTE_WC;
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_UC_MINUS))
		return DRM_DXGKCOMPAT_PTE_UC_MINUS;
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_UC))
		return DRM_DXGKCOMPAT_PTE_UC;
#endif
	return DRM_DXGKCOMPAT_PTE_OTHER;
}

/* The protection of the caller's PTE at @addr, which must be a PFN map. */
static int dxgk_user_pte_prot(unsigned long addr, pgprot_t *prot)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	int ret = -EFAULT;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma && vma->vm_flags & VM_PFNMAP)
		ret = dxgk_follow_pfnmap_prot(vma, addr, prot);
	mmap_read_unlock(mm);
	return ret;
}

/**
 * dxgk_ioctl_test_pte - DRM_IOCTL_DXGKCOMPAT_TEST_PTE (test builds only)
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_test_pte
 * @file: the caller
 *
 * Returns: 0; -EPERM without CAP_SYS_ADMIN; -EFAULT (STATUS_NOT_MAPPED_VIEW)
 * for an address with no present PFN-map entry.
 */
int dxgk_ioctl_test_pte(struct drm_device *drm, void *data, struct drm_file *file)
{
	struct drm_dxgkcompat_test_pte *args = data;
	pgprot_t prot;

	args->cache_mode = 0;
	if (!capable(CAP_SYS_ADMIN)) {
		args->ntstatus = STATUS_ACCESS_DENIED;
		return -EPERM;
	}
	if (dxgk_user_pte_prot(args->address, &prot)) {
		args->ntstatus = STATUS_NOT_MAPPED_VIEW;
		return -EFAULT;
	}
	args->cache_mode = dxgk_pte_cache_mode(prot);
	args->ntstatus = STATUS_SUCCESS;
	return 0;
}

/**
 * dxgk_ioctl_test_cb_map - DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP (test builds only)
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_test_cb_map
 * @file: the caller
 *
 * Runs the USER_MODE map callback, or the unmap callback, in the calling
 * process, as a miniport does from its Escape DDI.
 *
 * Returns: 0 or a negative errno; the map's NTSTATUS is in the struct.
 */
int dxgk_ioctl_test_cb_map(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	struct drm_dxgkcompat_test_cb_map *args = data;
	struct drm_gem_object *obj;
	NTSTATUS status = STATUS_SUCCESS;

	if (!capable(CAP_SYS_ADMIN)) {
		args->ntstatus = STATUS_ACCESS_DENIED;
		return -EPERM;
	}
	if (args->pad || args->unmap > 1)
		return dxgk_status_errno(STATUS_INVALID_PARAMETER, &args->ntstatus);
	obj = dxgk_gem_lookup(file, args->handle);
	if (!obj)
		return dxgk_status_errno(STATUS_INVALID_HANDLE, &args->ntstatus);

	if (args->unmap) {
		DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {
			.hPhysicalMemoryObject = to_dxgk_gem(obj)->hpmo,
			.pBaseAddress = (PVOID)(uintptr_t)args->address,
			.Size = args->size,
		};

		dxgk_cb_unmap_physical_memory(&u);
	} else {
		DXGKARGCB_MAP_PHYSICAL_MEMORY m = {
			.hPhysicalMemoryObject = to_dxgk_gem(obj)->hpmo,
			.AccessMode = DXGK_ACCESS_MODE_USER_MODE,
			.Offset = args->offset,
			.Size = args->size,
		};

		status = dxgk_cb_map_physical_memory(&m);
		if (NT_SUCCESS(status)) {
			args->address = (uintptr_t)m.pMappedAddress;
			args->offset = m.Offset;
			args->size = m.Size;
		}
	}
	drm_gem_object_put(obj);
	return dxgk_status_errno(status, &args->ntstatus);
}

/* The stale-DMA test's destination and how to make its device page. */
struct dxgk_stale {
	struct dxgk_adapter *adapter;
	struct dxgk_gem *gem;
	u64 offset;
	u32 mode;
	struct iommu_domain *domain;
};

/* Where the device writes what it read in dxgk_stale_page(): clear of the test's bytes. */
#define DXGK_STALE_READ_OFF	(PAGE_SIZE / 2)
#define DXGK_STALE_READ_LEN	16

/*
 * The destination page: a freed ADL's, or one never mapped. Called under
 * the paging lock (dxgk_paging_copy_to_adl()), just before the DMA. The
 * freed ADL is used by the device first (it reads the page's first bytes
 * into the source's second half), so that an IOMMU that caches
 * translations has this one cached when FreeAdl runs: with lazy
 * invalidation only FreeAdl's own IOTLB flush stops the write that follows.
 */
static NTSTATUS dxgk_stale_page(void *ctx, const DXGK_ADL *src, DXGK_ADL *dst)
{
	struct dxgk_stale *st = ctx;
	DXGKARGCB_ALLOCATE_ADL a = {
		.hAdapterMemoryObject = st->gem->hamo,
		.Offset = round_down(st->offset, PAGE_SIZE),
		.Size = PAGE_SIZE,
	};
	unsigned long pfn;
	NTSTATUS status;

	if (st->mode == DRM_DXGKCOMPAT_STALE_NEVER_MAPPED) {
		if (dxgk_pmo_test_pfn(st->gem->pmo, st->offset, &pfn))
			return STATUS_INVALID_PARAMETER;
		dst->BasePageNumber = pfn;
	} else {
		status = dxgk_cb_allocate_adl(&a);
		if (!NT_SUCCESS(status))
			return status;
		dst->BasePageNumber = a.pAdl->Flags.Contiguous ? a.pAdl->BasePageNumber :
								  a.pAdl->Pages[0];
		status = dxgk_paging_read_adl(st->adapter, a.pAdl, src,
					      DXGK_STALE_READ_OFF, DXGK_STALE_READ_LEN);
		/* Kept mapped if that pass left the device wedged. */
		dxgk_paging_put_adl(st->adapter, st->gem->hamo, a.pAdl);
		if (!NT_SUCCESS(status))
			return status;
	}
	/* The proof needs an address the IOMMU does not translate. */
	if (iommu_iova_to_phys(st->domain, (dma_addr_t)dst->BasePageNumber << PAGE_SHIFT))
		return STATUS_CONFLICTING_ADDRESSES;
	return STATUS_SUCCESS;
}

/**
 * dxgk_ioctl_test_stale_dma - DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA (test builds only)
 * @drm: the adapter's DRM device
 * @data: struct drm_dxgkcompat_test_stale_dma
 * @file: the caller
 *
 * Has the device write to a device address of the destination page that
 * no live ADL covers; see the uAPI header. The address is checked to be
 * unmapped just before the DMA, under the paging lock, so no copy gets it
 * in between; an ADL a miniport allocates for this device meanwhile still
 * could: run the test on an idle adapter (the test box does).
 *
 * Returns: 0 or a negative errno; the NTSTATUS is in the struct.
 */
int dxgk_ioctl_test_stale_dma(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	struct drm_dxgkcompat_test_stale_dma *args = data;
	struct dxgk_adapter *adapter = to_dxgk_adapter(drm);
	struct drm_gem_object *src, *dst;
	struct dxgk_stale st = {
		.adapter = adapter, .mode = args->mode, .offset = args->dst_offset,
	};
	NTSTATUS status;
	int idx;

	if (!capable(CAP_SYS_ADMIN)) {
		args->ntstatus = STATUS_ACCESS_DENIED;
		return -EPERM;
	}
	if (args->mode > DRM_DXGKCOMPAT_STALE_NEVER_MAPPED || !args->size ||
	    args->size > PAGE_SIZE - offset_in_page(args->dst_offset) ||
	    args->size > DXGK_STALE_READ_OFF)
		return dxgk_status_errno(STATUS_INVALID_PARAMETER, &args->ntstatus);
	/* The device, its miniport and its IRQ stay until the test is done. */
	if (!drm_dev_enter(drm, &idx))
		return dxgk_status_errno(STATUS_DEVICE_REMOVED, &args->ntstatus);
	st.domain = iommu_get_domain_for_dev(adapter->dev);
	if (adapter->iommu_mode != DRM_DXGKCOMPAT_IOMMU_TRANSLATED || !st.domain) {
		status = STATUS_NOT_SUPPORTED;
		goto out_exit;
	}

	status = dxgk_gem_lookup_pair(file, args->src_handle, 0, args->dst_handle,
				      args->dst_offset, args->size, &src, &dst);
	/* The device writes into the source too (dxgk_stale_page()). */
	if (NT_SUCCESS(status) && !dxgk_pmo_writable(to_dxgk_gem(src)->pmo))
		status = STATUS_ACCESS_DENIED;
	if (NT_SUCCESS(status)) {
		st.gem = to_dxgk_gem(dst);
		status = dxgk_paging_copy_to_adl(adapter, to_dxgk_gem(src)->hamo,
						 dxgk_stale_page, &st,
						 offset_in_page(args->dst_offset),
						 args->size);
	}
	dxgk_gem_put_pair(src, dst);
out_exit:
	drm_dev_exit(idx);
	return dxgk_status_errno(status, &args->ntstatus);
}

#else

int dxgk_ioctl_test_pte(struct drm_device *drm, void *data, struct drm_file *file)
{
	((struct drm_dxgkcompat_test_pte *)data)->ntstatus = STATUS_NOT_SUPPORTED;
	return -EOPNOTSUPP;
}

int dxgk_ioctl_test_cb_map(struct drm_device *drm, void *data,
			   struct drm_file *file)
{
	((struct drm_dxgkcompat_test_cb_map *)data)->ntstatus = STATUS_NOT_SUPPORTED;
	return -EOPNOTSUPP;
}

int dxgk_ioctl_test_stale_dma(struct drm_device *drm, void *data,
			      struct drm_file *file)
{
	((struct drm_dxgkcompat_test_stale_dma *)data)->ntstatus = STATUS_NOT_SUPPORTED;
	return -EOPNOTSUPP;
}

#endif
