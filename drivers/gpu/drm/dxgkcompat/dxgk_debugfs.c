// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the port's debugfs: /sys/kernel/debug/dxgkcompat/counters,
 * pmos and adapters. It reads the tables and counters of the layers below
 * it; none of them knows about it.
 */

#include <linux/debugfs.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "dxgkcompat_drm.h"
#include "dxgk_caching.h"
#include "dxgk_drv.h"
#include "dxgk_pmo.h"

static struct dentry *dxgk_debugfs;

static const char *const dxgk_type_names[] = {
	"MDL", "CONTIGUOUS_MEMORY", "SECTION", "IO_SPACE",
};

static const char *const dxgk_cache_names[] = {
	"NON_CACHED", "CACHED", "WRITE_COMBINED",
};

static const char *const dxgk_cache_modes[] = {
	"UC", "WB", "WC",
};

static int dxgk_counters_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "objects %d\n", atomic_read(&dxgk_pmo_objects));
	seq_printf(m, "pages_cached %ld\n",
		   atomic_long_read(&dxgk_pmo_pages[DXGK_MEMORY_CACHING_TYPE_CACHED]));
	seq_printf(m, "pages_write_combined %ld\n",
		   atomic_long_read(&dxgk_pmo_pages[DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED]));
	seq_printf(m, "pages_non_cached %ld\n",
		   atomic_long_read(&dxgk_pmo_pages[DXGK_MEMORY_CACHING_TYPE_NON_CACHED]));
	seq_printf(m, "misuse %u\n", dxgk_misuse_count());
	seq_printf(m, "reserved_pages %ld\n", atomic_long_read(&dxgk_pmo_reserved));
	seq_printf(m, "rejected_pages_total %ld\n", atomic_long_read(&dxgk_pmo_rejected));
	seq_printf(m, "range_searches_total %ld\n",
		   atomic_long_read(&dxgk_pmo_range_searches));
	seq_printf(m, "leaked_pages_total %ld\n", atomic_long_read(&dxgk_pmo_leaked));
	dxgk_pool_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dxgk_counters);

static int dxgk_pmos_show(struct seq_file *m, void *unused)
{
	struct dxgk_cpu_map *map;
	struct dxgk_pmo *pmo;
	unsigned long index;

	seq_puts(m, "handle type cache size pages owner context amo cpu-maps (kernel base+size mode) user-vmas adls\n");
	xa_lock(&dxgk_pmos);
	xa_for_each(&dxgk_pmos, index, pmo) {
		if (!kref_get_unless_zero(&pmo->ref))
			continue;
		xa_unlock(&dxgk_pmos);
		mutex_lock(&pmo->lock);
		/* Context is the miniport's pointer: hashed, like every %p. */
		seq_printf(m, "%p %s %s %llu %lu %s %p %s",
			   dxgk_make_handle(pmo->id, DXGK_HANDLE_PMO),
			   dxgk_type_names[pmo->type], dxgk_cache_names[pmo->cache],
			   pmo->size, pmo->npages, pmo->owner,
			   (void *)pmo->context, pmo->amo ? "yes" : "no");
		list_for_each_entry(map, &pmo->maps, node)
			seq_printf(m, " kmap:%lx+%zx:%s", map->first << PAGE_SHIFT,
				   map->size, dxgk_cache_modes[pmo->cache]);
		seq_printf(m, " user-vmas:%u:%s adls:%u\n", pmo->nvmas,
			   dxgk_cache_modes[pmo->cache],
			   pmo->amo ? pmo->amo->nadls : 0);
		if (pmo->amo)
			dxgk_adl_show(m, pmo->amo);
		mutex_unlock(&pmo->lock);
		dxgk_pmo_put(pmo);
		xa_lock(&dxgk_pmos);
	}
	xa_unlock(&dxgk_pmos);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dxgk_pmos);

static int dxgk_adapters_show(struct seq_file *m, void *unused)
{
	struct dxgk_adapter *adapter;
	unsigned long index;

	seq_puts(m, "handle device miniport iommu dma-mask state, then interrupt and paging counters\n");
	xa_lock(&dxgk_adapters);
	xa_for_each(&dxgk_adapters, index, adapter) {
		seq_printf(m, "%lu %s %s %s %#llx %d", index,
			   dev_name(adapter->dev), adapter->mp->drvobj->DriverName,
			   dxgk_iommu_mode_names[adapter->iommu_mode],
			   adapter->dma_mask, adapter->state);
		dxgk_sched_show(m, adapter);
		if (adapter->iommu_mode == DRM_DXGKCOMPAT_IOMMU_TRANSLATED)
			seq_printf(m, " iotlb %s", dxgk_adl_iotlb_is_lazy(adapter->dev) ?
				   "lazy (flushed at FreeAdl)" : "strict");
		seq_putc(m, '\n');
	}
	xa_unlock(&dxgk_adapters);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dxgk_adapters);

#ifdef DXGK_TEST_IOCTLS

/*
 * probe (test builds only, root): write "kmap HANDLE" or "adl HANDLE",
 * HANDLE as in the first column of pmos, then read one line back.
 *
 * kmap maps the whole object for the kernel (DxgkCbMapPhysicalMemory,
 * KERNEL_MODE) and reports the cache mode of the mapping's PTEs and of the
 * linear map's PTEs of its pages, read from the page tables ("mixed" if
 * the pages differ), and its first 8 bytes read through the mapping:
 *	kmap pages N pte WC linear WC head 0011223344556677
 * adl builds an ADL of the whole object (DxgkCbAllocateAdl,
 * PreferContiguous) and reports its first device address, the IOMMU mode,
 * and "iova yes" if the IOMMU translates the device address of every page
 * to that page, at another address than the page's physical one:
 *	adl pages N contiguous 1 device 0xffff000 iommu translated iova yes
 * Both undo what they did before the write returns.
 */
struct dxgk_probe {
	struct mutex lock;	/* protects buf and len */
	char buf[128];
	int len;
};

static const char *dxgk_probe_pte_mode(const void *va)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)va, &level);
	unsigned long bits;
	pgprot_t prot;

	if (!pte || !pte_present(*pte))
		return "none";
	prot = pte_pgprot(*pte);
	if (level != PG_LEVEL_4K)
		prot = pgprot_large_2_4k(prot);
	bits = pgprot_val(prot) & _PAGE_CACHE_MASK;
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_WB))
		return "WB";
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_WC))
		return "WC";
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_UC_MINUS))
		return "UC-";
	if (bits == cachemode2protval(_PAGE_CACHE_MODE_UC))
		return "UC";
	return "other";
}

static const char *dxgk_probe_merge(const char *all, const char *one)
{
	return !all || !strcmp(all, one) ? one : "mixed";
}

static int dxgk_probe_kmap(struct dxgk_pmo *pmo, char *buf, size_t len)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY m = {
		.hPhysicalMemoryObject = dxgk_make_handle(pmo->id, DXGK_HANDLE_PMO),
		.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
		.Size = pmo->size,
	};
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {
		.hPhysicalMemoryObject = m.hPhysicalMemoryObject,
	};
	const char *pte = NULL, *linear = NULL;
	unsigned long i, n;
	NTSTATUS status;
	u8 head[8];

	if (pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE)
		return -EOPNOTSUPP;
	status = dxgk_cb_map_physical_memory(&m);
	if (!NT_SUCCESS(status))
		return dxgk_ntstatus_to_errno(status);
	n = m.Size >> PAGE_SHIFT;
	for (i = 0; i < n; i++) {
		void *va = m.pMappedAddress + (i << PAGE_SHIFT);

		pte = dxgk_probe_merge(pte, dxgk_probe_pte_mode(va));
		linear = dxgk_probe_merge(linear,
					  dxgk_probe_pte_mode(pfn_to_kaddr(vmalloc_to_pfn(va))));
	}
	memcpy(head, m.pMappedAddress, sizeof(head));
	u.pBaseAddress = m.pMappedAddress;
	u.Size = m.Size;
	dxgk_cb_unmap_physical_memory(&u);
	return scnprintf(buf, len, "kmap pages %lu pte %s linear %s head %8phN\n",
			 n, pte, linear, head);
}

static int dxgk_probe_adl(struct dxgk_pmo *pmo, char *buf, size_t len)
{
	DXGKARGCB_ALLOCATE_ADL a = { .Size = pmo->npages << PAGE_SHIFT };
	DXGKARGCB_FREE_ADL f = { };
	struct iommu_domain *domain = NULL;
	struct dxgk_adapter *adapter;
	bool translated = true, moved = false, live;
	const char *mode = "gone";
	dma_addr_t dma, first = 0;
	u32 i, amo_id = 0, count = 0, contiguous = 0;
	NTSTATUS status;
	phys_addr_t pa;
	uintptr_t aid;

	mutex_lock(&pmo->lock);
	if (pmo->amo) {
		amo_id = pmo->amo->id;
		a.hAdapterMemoryObject = dxgk_make_handle(amo_id, DXGK_HANDLE_AMO);
	}
	mutex_unlock(&pmo->lock);
	if (!a.hAdapterMemoryObject)
		return -ENODEV;
	a.Flags.PreferContiguous = 1;
	status = dxgk_cb_allocate_adl(&a);
	if (!NT_SUCCESS(status))
		return dxgk_ntstatus_to_errno(status);

	/*
	 * The ADL may be gone again already: the adapter's removal frees the
	 * ADLs of its AMOs (dxgk_adl_release_all()). Under the object's lock
	 * it is read only while it is still on the AMO's list, and its adapter
	 * is looked up without counting a misuse (the probe is not the
	 * miniport). The ADL pins a SECTION's pages.
	 */
	mutex_lock(&pmo->lock);
	live = dxgk_adl_live_locked(pmo, amo_id, a.pAdl);
	if (live) {
		aid = (uintptr_t)pmo->amo->adapter_handle;
		adapter = aid && aid <= U32_MAX ? xa_load(&dxgk_adapters, aid) : NULL;
		if (adapter) {
			mode = dxgk_iommu_mode_names[adapter->iommu_mode];
			domain = iommu_get_domain_for_dev(adapter->dev);
		}
		count = a.pAdl->PageCount;
		contiguous = a.pAdl->Flags.Contiguous;
		for (i = 0; i < count; i++) {
			dma = (dma_addr_t)(contiguous ? a.pAdl->BasePageNumber + i :
					   a.pAdl->Pages[i]) << PAGE_SHIFT;
			pa = pmo->type == DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE ?
			     pmo->io_base + ((phys_addr_t)i << PAGE_SHIFT) :
			     page_to_phys(pmo->pages[i]);
			if (!i)
				first = dma;
			if (!domain || iommu_iova_to_phys(domain, dma) != pa)
				translated = false;
			if (dma != pa)
				moved = true;
		}
	}
	mutex_unlock(&pmo->lock);
	if (!live)
		return -ENODEV;
	/* FreeAdl finds it again under the lock; gone by then, it warns. */
	f.hAdapterMemoryObject = a.hAdapterMemoryObject;
	f.pAdl = a.pAdl;
	dxgk_cb_free_adl(&f);
	return scnprintf(buf, len, "adl pages %u contiguous %u device %#llx iommu %s iova %s\n",
			 count, contiguous, (u64)first, mode,
			 translated && moved ? "yes" : "no");
}

/*
 * The live object whose handle prints as @name in pmos, with a reference;
 * NULL if none or several do (hashing not ready: "(____ptrval____)").
 */
static struct dxgk_pmo *dxgk_probe_find(const char *name)
{
	struct dxgk_pmo *pmo, *found = NULL;
	unsigned long index;
	unsigned int n = 0;
	char h[24];

	xa_lock(&dxgk_pmos);
	xa_for_each(&dxgk_pmos, index, pmo) {
		snprintf(h, sizeof(h), "%p", dxgk_make_handle(pmo->id, DXGK_HANDLE_PMO));
		if (!strcmp(h, name) && !n++)
			found = pmo;
	}
	if (n != 1 || !kref_get_unless_zero(&found->ref))
		found = NULL;
	xa_unlock(&dxgk_pmos);
	return found;
}

static int dxgk_probe_open(struct inode *inode, struct file *file)
{
	struct dxgk_probe *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	mutex_init(&p->lock);
	file->private_data = p;
	return 0;
}

static ssize_t dxgk_probe_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct dxgk_probe *p = file->private_data;
	char cmd[48], op[8], name[24];
	struct dxgk_pmo *pmo;
	int ret;

	if (!count || count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	if (sscanf(cmd, "%7s %23s", op, name) != 2)
		return -EINVAL;
	pmo = dxgk_probe_find(name);
	if (!pmo)
		return -ENOENT;
	mutex_lock(&p->lock);
	if (!strcmp(op, "kmap"))
		ret = dxgk_probe_kmap(pmo, p->buf, sizeof(p->buf));
	else if (!strcmp(op, "adl"))
		ret = dxgk_probe_adl(pmo, p->buf, sizeof(p->buf));
	else
		ret = -EINVAL;
	p->len = ret < 0 ? 0 : ret;
	mutex_unlock(&p->lock);
	dxgk_pmo_put(pmo);
	return ret < 0 ? ret : count;
}

static ssize_t dxgk_probe_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct dxgk_probe *p = file->private_data;
	ssize_t ret;

	mutex_lock(&p->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, p->buf, p->len);
	mutex_unlock(&p->lock);
	return ret;
}

static int dxgk_probe_release(struct inode *inode, struct file *file)
{
	struct dxgk_probe *p = file->private_data;

	mutex_destroy(&p->lock);
	kfree(p);
	return 0;
}

static const struct file_operations dxgk_probe_fops = {
	.owner = THIS_MODULE,
	.open = dxgk_probe_open,
	.read = dxgk_probe_read,
	.write = dxgk_probe_write,
	.release = dxgk_probe_release,
	.llseek = default_llseek,
};

#endif

/**
 * dxgk_port_debugfs_init - /sys/kernel/debug/dxgkcompat/adapters
 * @dir: the port's debugfs directory
 *
 * Every adapter: its handle, device, miniport, IOMMU mode, DMA mask and
 * lifecycle state.
 */
static void dxgk_port_debugfs_init(struct dentry *dir)
{
	debugfs_create_file("adapters", 0444, dir, NULL, &dxgk_adapters_fops);
}

/**
 * dxgk_debugfs_init - create the port's debugfs files
 *
 * /sys/kernel/debug/dxgkcompat/counters (live objects, pages by cache type,
 * refused misuses), /sys/kernel/debug/dxgkcompat/pmos (every live object
 * with its CPU mappings and ADLs), /sys/kernel/debug/dxgkcompat/adapters
 * and, in test builds, /sys/kernel/debug/dxgkcompat/probe.
 */
void dxgk_debugfs_init(void)
{
	dxgk_debugfs = debugfs_create_dir("dxgkcompat", NULL);
	debugfs_create_file("counters", 0444, dxgk_debugfs, NULL,
			    &dxgk_counters_fops);
	debugfs_create_file("pmos", 0444, dxgk_debugfs, NULL, &dxgk_pmos_fops);
#ifdef DXGK_TEST_IOCTLS
	debugfs_create_file("probe", 0600, dxgk_debugfs, NULL, &dxgk_probe_fops);
#endif
	dxgk_port_debugfs_init(dxgk_debugfs);
}

/**
 * dxgk_debugfs_fini - remove the port's debugfs files
 */
void dxgk_debugfs_fini(void)
{
	debugfs_remove_recursive(dxgk_debugfs);
}
