/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - the differences between the kernels it builds for (6.1,
 * 6.12, 7.2). Every one of them is here. Each is decided by the API the
 * kernel has, not by its version: conftest.sh compiles a small check per
 * API against the kernel being built for and writes dxgk_conftest.h
 * (DXGK_HAVE_*), so a backport, a distribution kernel or the next release
 * takes the path its headers support.
 */
#ifndef _DXGK_COMPAT_H_
#define _DXGK_COMPAT_H_

#include <linux/dma-buf.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/shmem_fs.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include <asm/msr.h>

#include "dxgk_conftest.h"

/*
 * The DPC's workqueue: BH workqueues (softirq context, like a DPC at
 * DISPATCH_LEVEL) exist since 6.9; before, a high-priority process-context
 * workqueue.
 */
#ifdef DXGK_HAVE_SYSTEM_BH_HIGHPRI_WQ
#define dxgk_dpc_wq system_bh_highpri_wq
#define DXGK_DPC_IN_SOFTIRQ true
#else
#define dxgk_dpc_wq system_highpri_wq
#define DXGK_DPC_IN_SOFTIRQ false
#endif

/* PCI_IRQ_LEGACY was renamed PCI_IRQ_INTX in 6.8. */
#ifdef PCI_IRQ_INTX
#define DXGK_PCI_IRQ_INTX PCI_IRQ_INTX
#else
#define DXGK_PCI_IRQ_INTX PCI_IRQ_LEGACY
#endif

/*
 * PRIME mmap of a dma-buf goes through drm_driver.gem_prime_mmap before
 * 6.6 (drm_gem_dmabuf_mmap() fails with -ENOSYS without it); since 6.6 the
 * core calls drm_gem_prime_mmap() itself and the member is gone.
 */
#ifdef DXGK_HAVE_DRM_DRIVER_GEM_PRIME_MMAP
#define DXGK_DRM_GEM_PRIME_MMAP	.gem_prime_mmap = drm_gem_prime_mmap,
#else
#define DXGK_DRM_GEM_PRIME_MMAP
#endif

/* Set @set and clear @clear in vm_flags: vm_flags_mod() since 6.3. */
static inline void dxgk_vm_flags_mod(struct vm_area_struct *vma, vm_flags_t set,
				     vm_flags_t clear)
{
#ifdef DXGK_HAVE_VM_FLAGS_MOD
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/*
 * The protection of the present PTE at @addr of a PFN-map @vma, mmap lock
 * held: follow_pfnmap_start() since 6.12, follow_pte() before.
 */
static inline int dxgk_follow_pfnmap_prot(struct vm_area_struct *vma,
					  unsigned long addr, pgprot_t *prot)
{
#ifdef DXGK_HAVE_FOLLOW_PFNMAP
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };
	int ret = follow_pfnmap_start(&args);

	if (!ret) {
		*prot = args.pgprot;
		follow_pfnmap_end(&args);
	}
	return ret;
#else
	spinlock_t *ptl;	/* the PTE's lock, held by follow_pte() */
	pte_t *ptep;
	int ret = follow_pte(vma->vm_mm, addr, &ptep, &ptl);

	if (!ret) {
		__acquire(ptl);	/* for sparse: follow_pte() took it */
		*prot = pte_pgprot(*ptep);
		pte_unmap_unlock(ptep, ptl);
	}
	return ret;
#endif
}

/*
 * A shrinker: shrinker_alloc()/shrinker_register() from 6.7, a
 * caller-allocated struct shrinker and register_shrinker() before.
 */
static inline struct shrinker *
dxgk_shrinker_new(const char *name,
		  unsigned long (*count)(struct shrinker *, struct shrink_control *),
		  unsigned long (*scan)(struct shrinker *, struct shrink_control *))
{
#ifdef DXGK_HAVE_SHRINKER_ALLOC
	struct shrinker *s = shrinker_alloc(0, "%s", name);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	shrinker_register(s);
	return s;
#else
	struct shrinker *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	s->count_objects = count;
	s->scan_objects = scan;
	s->seeks = DEFAULT_SEEKS;
	if (register_shrinker(s, "%s", name)) {
		kfree(s);
		return NULL;
	}
	return s;
#endif
}

static inline void dxgk_shrinker_free(struct shrinker *s)
{
#ifdef DXGK_HAVE_SHRINKER_ALLOC
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(s);
#endif
}

/*
 * Symbol namespaces (the port's exports to its KUnit module): a bare token
 * before 6.13, a string literal since. Both macros stringify an expanded
 * argument before 6.13, so the token form goes through this macro too.
 */
#ifdef DXGK_HAVE_SYMBOL_NS_TOKEN
#define DXGK_NS DXGKCOMPAT_INTERNAL
#else
#define DXGK_NS "DXGKCOMPAT_INTERNAL"
#endif

/*
 * drm_driver.date is gone in newer kernels (7.2): dxgk_drv.c sets it under
 * DXGK_HAVE_DRM_DRIVER_DATE.
 */

/*
 * A platform driver's void-returning remove: .remove_new until 6.12,
 * .remove itself since (it returns void from 6.11 on).
 */
static inline void dxgk_platform_set_remove(struct platform_driver *drv,
					    void (*remove)(struct platform_device *))
{
#ifdef DXGK_HAVE_PLATFORM_DRIVER_REMOVE_NEW
	drv->remove_new = remove;
#else
	drv->remove = remove;
#endif
}

/*
 * Register a platform driver for module @owner: the registration takes the
 * module's name too in newer kernels (7.2), as PCI's does.
 */
static inline int dxgk_platform_driver_register(struct platform_driver *drv,
						struct module *owner,
						const char *mod_name)
{
#ifdef DXGK_HAVE_PLATFORM_DRIVER_REGISTER_MOD_NAME
	return __platform_driver_register(drv, owner, mod_name);
#else
	return __platform_driver_register(drv, owner);
#endif
}

/*
 * dma_buf_ops.cache_sgt_mapping: the core kept one mapping per attachment
 * in older kernels; by 7.2 exporters map on each call, as ours can.
 */
#ifdef DXGK_HAVE_DMA_BUF_OPS_CACHE_SGT_MAPPING
#define DXGK_DMA_BUF_CACHE_SGT	.cache_sgt_mapping = true,
#else
#define DXGK_DMA_BUF_CACHE_SGT
#endif

/* A shmem file whose pages are not charged to overcommit (VM_NORESERVE). */
static inline struct file *dxgk_shmem_file_noreserve(const char *name,
						     loff_t size)
{
#ifdef DXGK_HAVE_SHMEM_SETUP_VMA_FLAGS
	return shmem_file_setup(name, size, mk_vma_flags(VMA_NORESERVE_BIT));
#else
	return shmem_file_setup(name, size, VM_NORESERVE);
#endif
}

/*
 * alloc_contig_range() of ordinary (movable) memory. Newer kernels (7.2)
 * replaced its migratetype argument by acr_flags_t flags; MIGRATE_MOVABLE
 * is 1 there, which is ACR_FLAGS_CMA, an allocation for CMA: a plain int
 * compiles and means something else, so the argument comes from here.
 */
#ifdef DXGK_HAVE_ACR_FLAGS
#define DXGK_CONTIG_RANGE_MOVABLE ACR_FLAGS_NONE
#else
#define DXGK_CONTIG_RANGE_MOVABLE MIGRATE_MOVABLE
#endif

/* rdmsrl() was renamed rdmsrq() in 6.16. */
#ifndef rdmsrq
#define rdmsrq(msr, val) rdmsrl(msr, val)
#endif

#endif /* _DXGK_COMPAT_H_ */
