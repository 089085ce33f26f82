// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - CPU mappings of physical memory objects: kernel mappings
 * (vmap, ioremap_*), user VMAs and every rule they obey, and
 * DxgkCbMap/UnmapPhysicalMemory.
 */

#include <linux/anon_inodes.h>
#include <linux/mount.h>
#include <linux/file.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "dxgk_caching.h"
#include "dxgk_compat.h"
#include "dxgk_drv.h"
#include "dxgk_pmo.h"
#include "dxgk_trace.h"

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

/* Undo a kernel mapping; pmo->lock held, @map off the list. */
void dxgk_cpu_map_release(struct dxgk_pmo *pmo, struct dxgk_cpu_map *map)
{
	trace_dxgk_pmo_unmap(pmo, false, (unsigned long)map->base, map->size);
	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE) {
		iounmap((void __iomem __force *)map->base);
	} else {
		vunmap(map->base);
		if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION)
			dxgk_section_unpin(pmo);
	}
	kfree(map);
}

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

/* Pages mapped per fault: the faulting one and those after it (as TTM). */
#define DXGK_FAULT_PAGES	16

/**
 * dxgk_pmo_fault - fault handler of a user VMA of the object
 * @pmo: the object
 * @vmf: the fault
 * @first: the object's page at vma->vm_start
 *
 * Maps the faulting page and up to DXGK_FAULT_PAGES - 1 pages after it
 * in the same VMA, so touching a large mapping takes a sixteenth of the
 * faults. Only the faulting page's insert decides the result.
 *
 * Returns: a vm_fault_t.
 */
vm_fault_t dxgk_pmo_fault(struct dxgk_pmo *pmo, struct vm_fault *vmf,
			  unsigned long first)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long addr = vmf->address & PAGE_MASK;
	unsigned long idx = first + ((addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned int i;
	vm_fault_t ret;

	/* The VMA pins the pages: they cannot change under it. */
	if (idx >= pmo->npages || !pmo->pages[idx])
		return VM_FAULT_SIGBUS;
	ret = vmf_insert_pfn(vma, addr, page_to_pfn(pmo->pages[idx]));
	if (ret != VM_FAULT_NOPAGE)
		return ret;
	for (i = 1; i < DXGK_FAULT_PAGES; i++) {
		addr += PAGE_SIZE;
		idx++;
		if (addr >= vma->vm_end || idx >= pmo->npages || !pmo->pages[idx])
			break;
		/* a page mapped already is left as it is */
		if (vmf_insert_pfn(vma, addr, page_to_pfn(pmo->pages[idx])) &
		    VM_FAULT_ERROR)
			break;
	}
	return ret;
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
	unsigned long prot = dxgk_pmo_user_prot(pmo);
	long addr;

	/*
	 * Newer kernels (7.2) make anonymous inodes noexec, and the core then
	 * refuses PROT_EXEC on them: the callback's USER_MODE mapping (an
	 * anon inode file) is made without execute permission there. A GEM
	 * mmap of the object, through the DRM node, keeps it.
	 */
	if ((file->f_path.mnt->mnt_flags & MNT_NOEXEC) ||
	    (file->f_path.mnt->mnt_sb->s_iflags & SB_I_NOEXEC))
		prot &= ~PROT_EXEC;
	addr = (long)vm_mmap(file, 0, size, prot, MAP_SHARED, pgoff << PAGE_SHIFT);

	if (!IS_ERR_VALUE(addr))
		trace_dxgk_pmo_map(pmo, true, addr, size);
	return addr;
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
	trace_dxgk_pmo_map(pmo, false, (unsigned long)va, size_out);
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
	if (NT_SUCCESS(status))
		trace_dxgk_pmo_unmap(pmo, true, (unsigned long)pArgs->pBaseAddress,
				     pArgs->Size);
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
