// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the DRM driver: one DRM device per adapter.
 */

#include <linux/module.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_prime.h>
#include <drm/drm_vma_manager.h>

#include "dxgkcompat_drm.h"
#include "dxgk_compat.h"
#include "dxgk_caching.h"
#include "dxgk_drv.h"

/**
 * DOC: dxgkcompat
 *
 * dxgkcompat is the Linux counterpart of the Windows display port driver
 * (Dxgkrnl) for WDDM display miniport drivers. A miniport written against
 * the WDK's names is built as a Linux module, calls DxgkInitialize() from
 * its DriverEntry and receives, in DxgkDdiStartDevice, a DXGKRNL_INTERFACE
 * whose callbacks are implemented on the kernel's PCI, DMA, IOMMU and vmap
 * APIs. Each adapter is a DRM device with a primary and a render node; its
 * ioctls give user space the adapter's state.
 */

#define DRIVER_DESC	"WDDM miniport callback model on DRM"
#define DRIVER_DATE	"20261124"
#define DRIVER_MAJOR	0
#define DRIVER_MINOR	1

static int dxgk_ioctl_get_adapter_info(struct drm_device *drm, void *data,
				       struct drm_file *file)
{
	struct drm_dxgkcompat_adapter_info *args = data;
	struct dxgk_adapter *adapter = to_dxgk_adapter(drm);
	int idx;

	if (memchr_inv(args, 0, sizeof(*args))) {
		memset(args, 0, sizeof(*args));
		args->ntstatus = STATUS_INVALID_PARAMETER;
		return -EINVAL;
	}
	/* The miniport's data is gone once the adapter is unplugged. */
	if (!drm_dev_enter(drm, &idx)) {
		args->ntstatus = STATUS_DEVICE_REMOVED;
		return -ENODEV;
	}

	args->interface_version = adapter->iface.Version;
	args->miniport_version = adapter->mp->init.Version;
	args->iommu_mode = adapter->iommu_mode;
	args->iommu_caps = adapter->iommu_caps.Value;
	args->highest_visible_address =
		(u64)adapter->mem_caps.HighestVisibleAddress.QuadPart;
	args->dma_mask = adapter->dma_mask;
	if (adapter->pci) {
		args->pci_vendor_id = adapter->pci->vendor;
		args->pci_device_id = adapter->pci->device;
	}
	if (dxgk_adapter_dma_bounced(adapter))
		args->dma_flags |= DRM_DXGKCOMPAT_DMA_BOUNCED;
	strscpy(args->miniport_name, adapter->mp->drvobj->DriverName,
		sizeof(args->miniport_name));
	drm_dev_exit(idx);
	args->ntstatus = STATUS_SUCCESS;
	return 0;
}

static const struct drm_ioctl_desc dxgk_ioctls[] = {
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_GET_ADAPTER_INFO, dxgk_ioctl_get_adapter_info,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_PMO_CREATE, dxgk_ioctl_pmo_create,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_PMO_MAP, dxgk_ioctl_pmo_map, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_PMO_UNMAP, dxgk_ioctl_pmo_unmap,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_PMO_MMAP_OFFSET, dxgk_ioctl_pmo_mmap_offset,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_COPY, dxgk_ioctl_copy, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_TEST_PTE, dxgk_ioctl_test_pte, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_TEST_CB_MAP, dxgk_ioctl_test_cb_map,
			  DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(DXGKCOMPAT_TEST_STALE_DMA, dxgk_ioctl_test_stale_dma,
			  DRM_RENDER_ALLOW),
};

/*
 * The DRM core zero-extends or truncates an ioctl whose encoded size differs
 * from the driver's. This uAPI is new and reserves fields for extensions, so
 * it demands the exact command: size, direction and all.
 */
static bool dxgk_ioctl_cmd_ok(unsigned int cmd)
{
	unsigned int nr = DRM_IOCTL_NR(cmd);

	/* Other types and the core's numbers are drm_ioctl()'s business. */
	if (DRM_IOCTL_TYPE(cmd) != DRM_IOCTL_BASE ||
	    nr < DRM_COMMAND_BASE || nr >= DRM_COMMAND_END)
		return true;
	nr -= DRM_COMMAND_BASE;
	return nr >= ARRAY_SIZE(dxgk_ioctls) || dxgk_ioctls[nr].cmd == cmd;
}

static long dxgk_unlocked_ioctl(struct file *filp, unsigned int cmd,
				unsigned long arg)
{
	if (!dxgk_ioctl_cmd_ok(cmd))
		return -EINVAL;
	return drm_ioctl(filp, cmd, arg);
}

#ifdef CONFIG_COMPAT
static long dxgk_compat_ioctl(struct file *filp, unsigned int cmd,
			      unsigned long arg)
{
	if (!dxgk_ioctl_cmd_ok(cmd))
		return -EINVAL;
	return drm_compat_ioctl(filp, cmd, arg);
}
#else
#define dxgk_compat_ioctl NULL
#endif

/*
 * drm_gem_mmap() maps whole objects only. DxgkCbMapPhysicalMemory maps the
 * pages that hold the data, so this accepts any page range inside an
 * object, with the same checks: the object's fake offset, a caller that
 * holds a handle to it, a device that is still there.
 */
static int dxgk_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct drm_file *priv = filp->private_data;
	struct drm_device *dev = priv->minor->dev;
	struct drm_gem_object *obj = NULL;
	struct drm_vma_offset_node *node;
	int idx, ret;

	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;
	drm_vma_offset_lock_lookup(dev->vma_offset_manager);
	node = drm_vma_offset_lookup_locked(dev->vma_offset_manager,
					    vma->vm_pgoff, vma_pages(vma));
	if (node) {
		obj = container_of(node, struct drm_gem_object, vma_node);
		if (!kref_get_unless_zero(&obj->refcount))
			obj = NULL;
	}
	drm_vma_offset_unlock_lookup(dev->vma_offset_manager);

	if (!obj) {
		ret = -EINVAL;
	} else if (!drm_vma_node_is_allowed(node, priv)) {
		ret = -EACCES;
	} else {
		/* The range check was done by the lookup above. */
		ret = drm_gem_mmap_obj(obj, drm_vma_node_size(node) << PAGE_SHIFT,
				       vma);
	}
	if (obj)
		drm_gem_object_put(obj);
	drm_dev_exit(idx);
	return ret;
}

static const struct file_operations dxgk_fops = {
	.owner = THIS_MODULE,
	.open = drm_open,
	.release = drm_release,
	.unlocked_ioctl = dxgk_unlocked_ioctl,
	.compat_ioctl = dxgk_compat_ioctl,
	.poll = drm_poll,
	.read = drm_read,
	.llseek = noop_llseek,
	.mmap = dxgk_mmap,
#ifdef FOP_UNSIGNED_OFFSET
	/* 6.12: the DRM core refuses to open a file without it. */
	.fop_flags = FOP_UNSIGNED_OFFSET,
#endif
};

/* Each open file gets the budget its objects are counted in. */
static int dxgk_drm_open(struct drm_device *dev, struct drm_file *file)
{
	file->driver_priv = dxgk_pmo_quota_new();
	return file->driver_priv ? 0 : -ENOMEM;
}

static void dxgk_drm_postclose(struct drm_device *dev, struct drm_file *file)
{
	dxgk_pmo_quota_put(file->driver_priv);
}

static const struct drm_driver dxgk_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER,
	.open = dxgk_drm_open,
	.postclose = dxgk_drm_postclose,
	.ioctls = dxgk_ioctls,
	.num_ioctls = ARRAY_SIZE(dxgk_ioctls),
	.fops = &dxgk_fops,
	/* 6.1 needs these for PRIME; later kernels default to them. */
	.prime_handle_to_fd = drm_gem_prime_handle_to_fd,
	.prime_fd_to_handle = drm_gem_prime_fd_to_handle,
	.gem_prime_import = dxgk_gem_prime_import,
	DXGK_DRM_GEM_PRIME_MMAP
	.name = DXGK_DRIVER_NAME,
	.desc = DRIVER_DESC,
#ifdef DXGK_HAVE_DRM_DRIVER_DATE
	.date = DRIVER_DATE,
#endif
	.major = DRIVER_MAJOR,
	.minor = DRIVER_MINOR,
};

/**
 * dxgk_drm_alloc - allocate an adapter with its DRM device
 * @dev: the adapter's device
 *
 * The adapter is device-managed: it is released with the last reference
 * to the DRM device after the device is unbound.
 *
 * Returns: the adapter or an ERR_PTR.
 */
struct dxgk_adapter *dxgk_drm_alloc(struct device *dev)
{
	struct dxgk_adapter *adapter;

	adapter = devm_drm_dev_alloc(dev, &dxgk_drm_driver, struct dxgk_adapter,
				     drm);
	if (IS_ERR(adapter))
		return adapter;
	mutex_init(&adapter->lock);
	INIT_LIST_HEAD(&adapter->io_maps);
	dxgk_iommu24_adapter_init(adapter);
	return adapter;
}

/**
 * dxgk_drm_register - make an adapter visible to user space
 * @adapter: a started adapter
 *
 * Returns: 0 or a negative errno.
 */
int dxgk_drm_register(struct dxgk_adapter *adapter)
{
	return drm_dev_register(&adapter->drm, 0);
}

/**
 * dxgk_drm_unregister - hide an adapter from user space
 * @adapter: the adapter
 *
 * Open files keep the DRM device, but every ioctl fails with -ENODEV from
 * now on.
 */
void dxgk_drm_unregister(struct dxgk_adapter *adapter)
{
	drm_dev_unplug(&adapter->drm);
}

static int __init dxgk_init(void)
{
	dxgk_pool_init();
	dxgk_debugfs_init();
	return 0;
}
module_init(dxgk_init);

static void __exit dxgk_exit(void)
{
	dxgk_debugfs_fini();
	dxgk_pmo_fini();
	/* after the objects miniports left behind gave their pages back */
	dxgk_pool_fini();
}
module_exit(dxgk_exit);

MODULE_DESCRIPTION("dxgkcompat: " DRIVER_DESC);
MODULE_AUTHOR("dxgkcompat developers");
MODULE_LICENSE("GPL");
