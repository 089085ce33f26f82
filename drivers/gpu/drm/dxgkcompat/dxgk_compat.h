/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - the differences between the kernels it builds for (6.1, 6.12).
 * Every LINUX_VERSION_CODE test of the driver is here.
 */
#ifndef _DXGK_COMPAT_H_
#define _DXGK_COMPAT_H_

#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/shrinker.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>

/*
 * The DPC's workqueue: BH workqueues (softirq context, like a DPC at
 * DISPATCH_LEVEL) exist since 6.9; before, a high-priority process-context
 * workqueue.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 9, 0)
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
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define DXGK_DRM_GEM_PRIME_MMAP	.gem_prime_mmap = drm_gem_prime_mmap,
#else
#define DXGK_DRM_GEM_PRIME_MMAP
#endif

/* Set @set and clear @clear in vm_flags: vm_flags_mod() since 6.3. */
static inline void dxgk_vm_flags_mod(struct vm_area_struct *vma, vm_flags_t set,
				     vm_flags_t clear)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
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
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
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
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
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
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	shrinker_free(s);
#else
	unregister_shrinker(s);
	kfree(s);
#endif
}

#endif /* _DXGK_COMPAT_H_ */
