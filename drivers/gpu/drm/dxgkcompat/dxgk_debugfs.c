// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the port's debugfs: /sys/kernel/debug/dxgkcompat/counters,
 * pmos and adapters. It reads the tables and counters of the layers below
 * it; none of them knows about it.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>
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
 * with its CPU mappings and ADLs) and /sys/kernel/debug/dxgkcompat/adapters.
 */
void dxgk_debugfs_init(void)
{
	dxgk_debugfs = debugfs_create_dir("dxgkcompat", NULL);
	debugfs_create_file("counters", 0444, dxgk_debugfs, NULL,
			    &dxgk_counters_fops);
	debugfs_create_file("pmos", 0444, dxgk_debugfs, NULL, &dxgk_pmos_fops);
	dxgk_port_debugfs_init(dxgk_debugfs);
}

/**
 * dxgk_debugfs_fini - remove the port's debugfs files
 */
void dxgk_debugfs_fini(void)
{
	debugfs_remove_recursive(dxgk_debugfs);
}
