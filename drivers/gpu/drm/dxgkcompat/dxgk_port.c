// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - miniport registration and the adapter lifecycle.
 */

#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include <drm/drm_print.h>

#include "dxgkcompat_drm.h"
#include "dxgk_drv.h"

/**
 * DOC: Miniport lifecycle
 *
 * A miniport module's DriverEntry calls DxgkInitialize() with its
 * DRIVER_INITIALIZATION_DATA. The port driver then registers a Linux bus
 * driver for the devices named in the miniport's DRIVER_OBJECT (a PCI id
 * table, or one platform device for a virtual adapter) and, for each device
 * the driver core binds, drives the WDDM start sequence:
 *
 * 1. DxgkDdiAddDevice(PhysicalDeviceObject) -> MiniportDeviceContext
 * 2. DxgkDdiQueryAdapterInfo(DXGKQAITYPE_PHYSICAL_MEMORY_CAPS) and
 *    DxgkDdiQueryAdapterInfo(DXGKQAITYPE_IOMMU_CAPS); the port sets the
 *    device's DMA mask from HighestVisibleAddress and refuses to start an
 *    adapter that requires IOMMU isolation when no IOMMU translates for it
 * 3. DxgkDdiStartDevice(DXGK_START_INFO, DXGKRNL_INTERFACE)
 * 4. the DRM device is registered
 *
 * Unbinding the device (sysfs unbind, PCI removal or the miniport module's
 * unload) stops paging (a copy in flight resets the engine and fails with
 * STATUS_DEVICE_REMOVED), unplugs the DRM device, which waits for the
 * ioctls that use the adapter (PMO_CREATE, COPY), then calls
 * DxgkDdiStopDevice and DxgkDdiRemoveDevice. A failure at any step undoes the steps before it
 * (RemoveDevice follows a successful AddDevice). After the last adapter is
 * gone, module unload calls DxgkDdiUnload.
 */

/*
 * Adapter handles: DXGKRNL_INTERFACE.DeviceHandle is an index here,
 * allocated cyclically so that the handle of a removed adapter (which an AMO
 * may still name) does not come back for another device soon.
 */
DEFINE_XARRAY_ALLOC1(dxgk_adapters);
static u32 dxgk_adapter_next;

/**
 * dxgk_adapter_handle - the DeviceHandle of an adapter
 * @adapter: the adapter
 *
 * Returns: the opaque handle given to the miniport as DeviceHandle.
 */
HANDLE dxgk_adapter_handle(const struct dxgk_adapter *adapter)
{
	return (HANDLE)(uintptr_t)adapter->handle;
}

/**
 * dxgk_adapter_get - look up the adapter behind a DeviceHandle
 * @handle: a DeviceHandle from a miniport
 * @caller: callback name, for the warning
 *
 * A handle the port never gave out, or one of a removed adapter, is a
 * miniport bug that bug-checks Windows: warn once and let the caller
 * refuse the call.
 *
 * Returns: the adapter, or NULL.
 */
struct dxgk_adapter *dxgk_adapter_get(HANDLE handle, const char *caller)
{
	uintptr_t id = (uintptr_t)handle;
	struct dxgk_adapter *adapter = NULL;

	if (id && id <= U32_MAX)
		adapter = xa_load(&dxgk_adapters, id);
	if (!adapter)
		dxgk_misuse("%s: invalid DeviceHandle %p\n", caller, handle);
	return adapter;
}

/**
 * dxgk_port_adapter_count - number of adapters with a live handle
 *
 * Returns: the number of adapters between AddDevice and RemoveDevice.
 */
unsigned int dxgk_port_adapter_count(void)
{
	unsigned long index;
	unsigned int n = 0;
	void *entry;

	xa_for_each(&dxgk_adapters, index, entry)
		n++;
	return n;
}
EXPORT_SYMBOL_NS_GPL(dxgk_port_adapter_count, DXGK_NS);

static NTSTATUS dxgk_query_adapter_info(struct dxgk_adapter *adapter,
					DXGK_QUERYADAPTERINFOTYPE type,
					void *out, UINT size)
{
	DXGKARG_QUERYADAPTERINFO qai = {
		.Type = type,
		.pOutputData = out,
		.OutputDataSize = size,
	};

	if (!adapter->mp->init.DxgkDdiQueryAdapterInfo)
		return STATUS_NOT_SUPPORTED;
	return adapter->mp->init.DxgkDdiQueryAdapterInfo(adapter->ctx, &qai);
}

static int dxgk_adapter_caps(struct dxgk_adapter *adapter)
{
	DXGK_PHYSICAL_MEMORY_CAPS mem = { .HighestVisibleAddress.QuadPart = -1 };
	DXGK_IOMMU_CAPS iommu = { .Value = 0 };
	u64 hva;
	NTSTATUS status;

	status = dxgk_query_adapter_info(adapter, DXGKQAITYPE_PHYSICAL_MEMORY_CAPS,
					 &mem, sizeof(mem));
	if (!NT_SUCCESS(status))
		mem.HighestVisibleAddress.QuadPart = -1;
	status = dxgk_query_adapter_info(adapter, DXGKQAITYPE_IOMMU_CAPS,
					 &iommu, sizeof(iommu));
	if (!NT_SUCCESS(status))
		iommu.Value = 0;
	adapter->mem_caps = mem;
	adapter->iommu_caps = iommu;

	hva = (u64)mem.HighestVisibleAddress.QuadPart;
	if (hva < PAGE_SIZE - 1) {
		dev_err(adapter->dev, "miniport reports HighestVisibleAddress %#llx\n",
			hva);
		return -EINVAL;
	}
	/* The largest 2^n - 1 mask that does not exceed what the device sees. */
	if (hva & (hva + 1))
		hva = DMA_BIT_MASK(fls64(hva + 1) - 1);
	adapter->dma_mask = hva;
	/*
	 * An ADL hands out page numbers, not segments: let the DMA API merge
	 * as far as the IOMMU can, so PreferContiguous holds beyond the 64 KiB
	 * default, and DMA-API debugging sees the limit the device really has.
	 */
	if (adapter->dev->dma_parms)
		dma_set_max_seg_size(adapter->dev, UINT_MAX);
	if (adapter->pci)
		return dma_set_mask_and_coherent(adapter->dev, hva);
	return dma_coerce_mask_and_coherent(adapter->dev, hva);
}

static u32 dxgk_iommu_mode(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);

	if (!domain)
		return DRM_DXGKCOMPAT_IOMMU_NONE;
	if (domain->type == IOMMU_DOMAIN_IDENTITY)
		return DRM_DXGKCOMPAT_IOMMU_IDENTITY;
	if (domain->type & __IOMMU_DOMAIN_PAGING)
		return DRM_DXGKCOMPAT_IOMMU_TRANSLATED;
	return DRM_DXGKCOMPAT_IOMMU_NONE;
}

const char *const dxgk_iommu_mode_names[] = {
	[DRM_DXGKCOMPAT_IOMMU_NONE] = "none",
	[DRM_DXGKCOMPAT_IOMMU_IDENTITY] = "identity",
	[DRM_DXGKCOMPAT_IOMMU_TRANSLATED] = "translated",
};

static int dxgk_adapter_start(struct dxgk_adapter *adapter)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	DXGK_START_INFO start = { 0 };
	ULONG sources = 0, children = 0;
	NTSTATUS status;
	int ret;

	status = init->DxgkDdiAddDevice(&adapter->pdo, &adapter->ctx);
	if (!NT_SUCCESS(status)) {
		dev_err(adapter->dev, "DxgkDdiAddDevice failed: %#x\n", status);
		return dxgk_ntstatus_to_errno(status);
	}
	adapter->state = DXGK_ADAPTER_ADDED;

	ret = dxgk_adapter_caps(adapter);
	if (ret)
		goto err_remove;

	adapter->iommu_mode = dxgk_iommu_mode(adapter->dev);
	if (adapter->iommu_caps.IommuIsolationRequired &&
	    adapter->iommu_mode != DRM_DXGKCOMPAT_IOMMU_TRANSLATED) {
		dev_err(adapter->dev,
			"miniport requires IOMMU isolation, but the IOMMU mode is %s\n",
			dxgk_iommu_mode_names[adapter->iommu_mode]);
		ret = -ENODEV;
		goto err_remove;
	}

	start.AdapterLuid.LowPart = adapter->handle;
	status = init->DxgkDdiStartDevice(adapter->ctx, &start, &adapter->iface,
					  &sources, &children);
	if (!NT_SUCCESS(status)) {
		dev_err(adapter->dev, "DxgkDdiStartDevice failed: %#x\n", status);
		ret = dxgk_ntstatus_to_errno(status);
		goto err_remove;
	}
	adapter->state = DXGK_ADAPTER_STARTED;

	ret = dxgk_sched_start(adapter);
	if (ret) {
		init->DxgkDdiStopDevice(adapter->ctx);
		goto err_remove;
	}
	return 0;

err_remove:
	init->DxgkDdiRemoveDevice(adapter->ctx);
	adapter->state = DXGK_ADAPTER_NEW;
	return ret;
}

static void dxgk_adapter_stop(struct dxgk_adapter *adapter)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;

	dxgk_sched_stop(adapter);
	init->DxgkDdiStopDevice(adapter->ctx);
	adapter->state = DXGK_ADAPTER_STOPPED;
	init->DxgkDdiRemoveDevice(adapter->ctx);
	adapter->state = DXGK_ADAPTER_NEW;
}

static int dxgk_adapter_probe(struct dxgk_miniport *mp, struct device *dev,
			      struct pci_dev *pci)
{
	struct dxgk_adapter *adapter;
	bool lazy;
	int ret;

	adapter = dxgk_drm_alloc(dev);
	if (IS_ERR(adapter))
		return PTR_ERR(adapter);
	adapter->mp = mp;
	adapter->dev = dev;
	adapter->pci = pci;
	adapter->pdo.Device = dev;
	adapter->mem_caps.HighestVisibleAddress.QuadPart = -1;
	dev_set_drvdata(dev, adapter);

	ret = dxgk_sched_init(adapter);
	if (ret)
		return ret;
	ret = dxgk_devcb_adapter_init(adapter);
	if (ret)
		goto err_sched;

	ret = xa_alloc_cyclic(&dxgk_adapters, &adapter->handle, adapter,
			      xa_limit_31b, &dxgk_adapter_next, GFP_KERNEL);
	if (ret < 0)
		goto err_devcb;
	dxgk_iface_init(&adapter->iface, dxgk_adapter_handle(adapter));

	ret = dxgk_adapter_start(adapter);
	if (ret)
		goto err_handle;

	ret = dxgk_drm_register(adapter);
	if (ret)
		goto err_stop;

	lazy = adapter->iommu_mode == DRM_DXGKCOMPAT_IOMMU_TRANSLATED &&
	       dxgk_adl_iotlb_is_lazy(dev);
	drm_info(&adapter->drm,
		 "%s: interface version %#x, IOMMU %s%s, DMA mask %#llx\n",
		 mp->drvobj->DriverName, adapter->iface.Version,
		 dxgk_iommu_mode_names[adapter->iommu_mode],
		 lazy ? " (lazy invalidation: FreeAdl flushes the IOTLB)" : "",
		 adapter->dma_mask);
	return 0;

err_stop:
	dxgk_adapter_stop(adapter);
	/* As at removal: what the miniport left mapped goes with the device. */
	dxgk_paging_release_held(adapter);
	dxgk_iommu24_adapter_gone(adapter);
	xa_erase(&dxgk_adapters, adapter->handle);
	dxgk_pmo_adapter_gone(dxgk_adapter_handle(adapter));
	goto err_devcb;
err_handle:
	/* What a failed StartDevice left: misuse, freed with the device still here. */
	dxgk_iommu24_adapter_gone(adapter);
	xa_erase(&dxgk_adapters, adapter->handle);
err_devcb:
	dxgk_devcb_adapter_fini(adapter);
err_sched:
	dxgk_sched_fini(adapter);
	return ret;
}

static void dxgk_adapter_remove(struct device *dev)
{
	struct dxgk_adapter *adapter = dev_get_drvdata(dev);

	/* Copies stop first; the unplug then waits for their ioctls. */
	dxgk_sched_removing(adapter);
	dxgk_drm_unregister(adapter);
	dxgk_adapter_stop(adapter);
	/* The device is stopped: what a failed reset kept mapped can go. */
	dxgk_paging_release_held(adapter);
	/* The 2.4 allocations the miniport left: their ADLs go first. */
	dxgk_iommu24_adapter_gone(adapter);
	/* No AllocateAdl finds the adapter once its ADLs are released. */
	xa_erase(&dxgk_adapters, adapter->handle);
	dxgk_pmo_adapter_gone(dxgk_adapter_handle(adapter));
	dxgk_devcb_adapter_fini(adapter);
	dxgk_sched_fini(adapter);
}

static int dxgk_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct pci_driver *pdrv = to_pci_driver(pdev->dev.driver);

	return dxgk_adapter_probe(container_of(pdrv, struct dxgk_miniport, pci),
				  &pdev->dev, pdev);
}

static void dxgk_pci_remove(struct pci_dev *pdev)
{
	dxgk_adapter_remove(&pdev->dev);
}

static int dxgk_platform_probe(struct platform_device *pdev)
{
	struct platform_driver *pdrv = to_platform_driver(pdev->dev.driver);

	return dxgk_adapter_probe(container_of(pdrv, struct dxgk_miniport, plat),
				  &pdev->dev, NULL);
}

static void dxgk_platform_remove(struct platform_device *pdev)
{
	dxgk_adapter_remove(&pdev->dev);
}

static int dxgk_miniport_register(struct dxgk_miniport *mp)
{
	PDRIVER_OBJECT drvobj = mp->drvobj;
	int ret;

	if (drvobj->PciIdTable) {
		mp->pci.name = drvobj->DriverName;
		mp->pci.id_table = drvobj->PciIdTable;
		mp->pci.probe = dxgk_pci_probe;
		mp->pci.remove = dxgk_pci_remove;
		return __pci_register_driver(&mp->pci, drvobj->Owner,
					     drvobj->DriverName);
	}

	mp->plat.driver.name = drvobj->DriverName;
	mp->plat.probe = dxgk_platform_probe;
	dxgk_platform_set_remove(&mp->plat, dxgk_platform_remove);
	ret = dxgk_platform_driver_register(&mp->plat, drvobj->Owner,
					    drvobj->DriverName);
	if (ret)
		return ret;
	mp->pdev = platform_device_register_simple(drvobj->DriverName,
						   PLATFORM_DEVID_NONE, NULL, 0);
	if (IS_ERR(mp->pdev)) {
		platform_driver_unregister(&mp->plat);
		return PTR_ERR(mp->pdev);
	}
	return 0;
}

static void dxgk_miniport_unregister(struct dxgk_miniport *mp)
{
	if (mp->drvobj->PciIdTable) {
		pci_unregister_driver(&mp->pci);
		return;
	}
	platform_device_unregister(mp->pdev);
	platform_driver_unregister(&mp->plat);
}

/**
 * DxgkInitialize - register a display miniport driver with the port driver
 * @DriverObject: the miniport's DRIVER_OBJECT
 * @RegistryPath: the miniport's registry path (unused; may be NULL)
 * @DriverInitializationData: the miniport's DDI entry points
 *
 * Called from the miniport's DriverEntry, as on Windows. The port driver
 * keeps a copy of @DriverInitializationData and binds the miniport's
 * devices; their lifecycle runs before this function returns for devices
 * already present.
 *
 * Context: process context (PASSIVE_LEVEL).
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a NULL argument, a
 * DRIVER_OBJECT with no name, a second call for the same DRIVER_OBJECT or a
 * missing mandatory DDI (AddDevice, StartDevice, StopDevice, RemoveDevice,
 * Unload); STATUS_REVISION_MISMATCH for a Version below
 * DXGKDDI_INTERFACE_VERSION_VISTA or above the highest version the port
 * implements; STATUS_NO_MEMORY; otherwise the NTSTATUS of the bus driver
 * registration's errno.
 */
NTSTATUS DxgkInitialize(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath,
			PDRIVER_INITIALIZATION_DATA DriverInitializationData)
{
	const DRIVER_INITIALIZATION_DATA *init = DriverInitializationData;
	struct dxgk_miniport *mp;
	int ret;

	might_sleep();
	if (!DriverObject || !DriverObject->DriverName || !init)
		return STATUS_INVALID_PARAMETER;
	if (DriverObject->PortPrivate) {
		pr_err("dxgkcompat: %s: %s called twice\n",
		       DriverObject->DriverName, __func__);
		return STATUS_INVALID_PARAMETER;
	}
	if (init->Version < DXGKDDI_INTERFACE_VERSION_VISTA ||
	    init->Version > DXGKDDI_INTERFACE_VERSION_WDDM3_1) {
		pr_err("dxgkcompat: %s: unsupported DDI version %#x\n",
		       DriverObject->DriverName, init->Version);
		return STATUS_REVISION_MISMATCH;
	}
	if (!init->DxgkDdiAddDevice || !init->DxgkDdiStartDevice ||
	    !init->DxgkDdiStopDevice || !init->DxgkDdiRemoveDevice ||
	    !init->DxgkDdiUnload) {
		pr_err("dxgkcompat: %s: a mandatory DDI is missing\n",
		       DriverObject->DriverName);
		return STATUS_INVALID_PARAMETER;
	}

	mp = kzalloc(sizeof(*mp), GFP_KERNEL);
	if (!mp)
		return STATUS_NO_MEMORY;
	mp->drvobj = DriverObject;
	mp->init = *init;
	DriverObject->PortPrivate = mp;

	ret = dxgk_miniport_register(mp);
	if (ret) {
		DriverObject->PortPrivate = NULL;
		kfree(mp);
		return dxgk_errno_to_ntstatus(ret);
	}
	return STATUS_SUCCESS;
}
EXPORT_SYMBOL_GPL(DxgkInitialize);

static void dxgk_miniport_release(PDRIVER_OBJECT drvobj, bool unload)
{
	struct dxgk_miniport *mp = drvobj->PortPrivate;

	if (!mp)
		return;
	dxgk_miniport_unregister(mp);
	if (unload)
		mp->init.DxgkDdiUnload();
	drvobj->PortPrivate = NULL;
	kfree(mp);
}

/**
 * dxgk_miniport_module_init - run a miniport's DriverEntry at module load
 * @DriverObject: the miniport's DRIVER_OBJECT
 * @DriverEntry: the miniport's DriverEntry
 *
 * Used by DXGK_MINIPORT_MODULE(). A DriverEntry that fails, or that
 * returns success without having called DxgkInitialize(), fails the module
 * load; in the first case the port undoes a DxgkInitialize() that
 * DriverEntry made before failing, without calling DxgkDdiUnload (as
 * Windows does not call DriverUnload after a failed DriverEntry).
 *
 * Returns: 0 or a negative errno.
 */
int dxgk_miniport_module_init(PDRIVER_OBJECT DriverObject,
			      PDRIVER_INITIALIZE DriverEntry)
{
	static const char prefix[] =
		"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\";
	size_t plen = strlen(prefix), nlen = strlen(DriverObject->DriverName);
	UNICODE_STRING path;
	NTSTATUS status;
	size_t i;

	path.Length = (plen + nlen) * sizeof(WCHAR);
	path.MaximumLength = path.Length + sizeof(WCHAR);
	path.Buffer = kcalloc(plen + nlen + 1, sizeof(WCHAR), GFP_KERNEL);
	if (!path.Buffer)
		return -ENOMEM;
	for (i = 0; i < plen; i++)
		path.Buffer[i] = prefix[i];
	for (i = 0; i < nlen; i++)
		path.Buffer[plen + i] = DriverObject->DriverName[i];

	status = DriverEntry(DriverObject, &path);
	kfree(path.Buffer);
	if (!NT_SUCCESS(status)) {
		pr_err("dxgkcompat: %s: DriverEntry failed: %#x\n",
		       DriverObject->DriverName, status);
		dxgk_miniport_release(DriverObject, false);
		return dxgk_ntstatus_to_errno(status);
	}
	if (!DriverObject->PortPrivate) {
		pr_err("dxgkcompat: %s: DriverEntry did not call DxgkInitialize\n",
		       DriverObject->DriverName);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(dxgk_miniport_module_init);

/**
 * dxgk_miniport_module_exit - unload a miniport
 * @DriverObject: the miniport's DRIVER_OBJECT
 *
 * Used by DXGK_MINIPORT_MODULE(): stops and removes every adapter of the
 * miniport, then calls its DxgkDdiUnload.
 */
void dxgk_miniport_module_exit(PDRIVER_OBJECT DriverObject)
{
	dxgk_miniport_release(DriverObject, true);
}
EXPORT_SYMBOL_GPL(dxgk_miniport_module_exit);
