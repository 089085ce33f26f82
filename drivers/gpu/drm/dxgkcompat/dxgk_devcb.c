// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the base device callbacks: device information, IO-space
 * mappings and PCI configuration space.
 */

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "dxgk_drv.h"

/**
 * struct dxgk_io_map - a live DxgkCbMapMemory mapping
 * @node: in dxgk_adapter.io_maps
 * @va: the mapped address handed to the miniport
 * @phys: bus address of the first byte
 * @len: length in bytes
 * @port: true for an I/O-port range (ioport_map), false for MMIO (ioremap)
 */
struct dxgk_io_map {
	struct list_head node;
	void __iomem *va;
	u64 phys;
	u32 len;
	bool port;
};

static int dxgk_max_ram_cb(struct resource *res, void *arg)
{
	u64 *end = arg;

	*end = max_t(u64, *end, res->end);
	return 0;
}

static u64 dxgk_highest_ram_address(void)
{
	u64 end = 0;

	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0, U64_MAX,
			    &end, dxgk_max_ram_cb);
	return end;
}

/* A memory BAR as a CM_PARTIAL_RESOURCE_DESCRIPTOR (CmResourceTypeMemory). */
static void dxgk_fill_mem_desc(PCM_PARTIAL_RESOURCE_DESCRIPTOR d,
			       const struct resource *res)
{
	u64 len = resource_size(res);

	d->Type = CmResourceTypeMemory;
	d->ShareDisposition = CmResourceShareDeviceExclusive;
	d->Flags = CM_RESOURCE_MEMORY_READ_WRITE | CM_RESOURCE_MEMORY_BAR;
	if (res->flags & IORESOURCE_PREFETCH)
		d->Flags |= CM_RESOURCE_MEMORY_PREFETCHABLE;
	if (len <= U32_MAX) {
		d->u.Memory.Start.QuadPart = res->start;
		d->u.Memory.Length = len;
	} else if (!(len & 0xff) && len <= CM_RESOURCE_MEMORY_LARGE_40_MAXLEN) {
		d->Flags |= CM_RESOURCE_MEMORY_LARGE_40;
		d->u.Memory40.Start.QuadPart = res->start;
		d->u.Memory40.Length40 = len >> 8;
	} else if (!(len & 0xffff) && len <= CM_RESOURCE_MEMORY_LARGE_48_MAXLEN) {
		d->Flags |= CM_RESOURCE_MEMORY_LARGE_48;
		d->u.Memory48.Start.QuadPart = res->start;
		d->u.Memory48.Length48 = len >> 16;
	} else {
		d->Flags |= CM_RESOURCE_MEMORY_LARGE_64;
		d->u.Memory64.Start.QuadPart = res->start;
		d->u.Memory64.Length64 = len >> 32;
	}
}

/*
 * The translated resource list of a PCI adapter: one full descriptor for
 * the PCI bus, one partial descriptor per BAR in BAR order.
 */
static int dxgk_build_resources(struct dxgk_adapter *adapter)
{
	struct pci_dev *pdev = adapter->pci;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR d;
	PCM_FULL_RESOURCE_DESCRIPTOR full;
	unsigned int bar, n = 0;
	size_t size;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (pci_resource_len(pdev, bar))
			n++;

	size = sizeof(CM_RESOURCE_LIST) +
	       (max(n, 1U) - 1) * sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR);
	adapter->resources = kzalloc(size, GFP_KERNEL);
	if (!adapter->resources)
		return -ENOMEM;

	adapter->resources->Count = 1;
	full = &adapter->resources->List[0];
	full->InterfaceType = PCIBus;
	full->BusNumber = pdev->bus->number;
	full->PartialResourceList.Version = 1;
	full->PartialResourceList.Revision = 1;
	full->PartialResourceList.Count = n;
	d = full->PartialResourceList.PartialDescriptors;

	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = &pdev->resource[bar];

		if (!pci_resource_len(pdev, bar))
			continue;
		if (res->flags & IORESOURCE_IO) {
			d->Type = CmResourceTypePort;
			d->ShareDisposition = CmResourceShareDeviceExclusive;
			d->Flags = CM_RESOURCE_PORT_IO | CM_RESOURCE_PORT_BAR;
			d->u.Port.Start.QuadPart = res->start;
			d->u.Port.Length = resource_size(res);
		} else {
			dxgk_fill_mem_desc(d, res);
		}
		d++;
	}
	return 0;
}

/**
 * dxgk_devcb_adapter_init - prepare the device callbacks of an adapter
 * @adapter: a new adapter
 *
 * Enables a PCI device, claims its BARs for the miniport and builds the
 * translated resource list DxgkCbGetDeviceInformation returns.
 *
 * Returns: 0 or a negative errno.
 */
int dxgk_devcb_adapter_init(struct dxgk_adapter *adapter)
{
	struct pci_dev *pdev = adapter->pci;
	int ret;

	if (!pdev)
		return 0;
	ret = pci_enable_device(pdev);
	if (ret)
		return ret;
	ret = pci_request_regions(pdev, adapter->mp->drvobj->DriverName);
	if (ret)
		goto err_disable;
	pci_set_master(pdev);
	ret = dxgk_build_resources(adapter);
	if (ret)
		goto err_release;
	return 0;

err_release:
	pci_release_regions(pdev);
err_disable:
	pci_disable_device(pdev);
	return ret;
}

static void dxgk_io_map_release(struct dxgk_io_map *map)
{
	list_del(&map->node);
	if (map->port)
		ioport_unmap(map->va);
	else
		iounmap(map->va);
	kfree(map);
}

/**
 * dxgk_devcb_adapter_fini - release what the device callbacks hold
 * @adapter: an adapter after DxgkDdiRemoveDevice
 *
 * A DxgkCbMapMemory mapping the miniport did not unmap is a leak in the
 * miniport: warn once and unmap it.
 */
void dxgk_devcb_adapter_fini(struct dxgk_adapter *adapter)
{
	struct dxgk_io_map *map, *tmp;

	mutex_lock(&adapter->lock);
	if (!list_empty(&adapter->io_maps))
		dxgk_misuse("miniport left DxgkCbMapMemory mappings\n");
	list_for_each_entry_safe(map, tmp, &adapter->io_maps, node)
		dxgk_io_map_release(map);
	mutex_unlock(&adapter->lock);

	kfree(adapter->resources);
	adapter->resources = NULL;
	if (adapter->pci) {
		pci_clear_master(adapter->pci);
		pci_release_regions(adapter->pci);
		pci_disable_device(adapter->pci);
	}
}

/**
 * dxgk_cb_get_device_information - DxgkCbGetDeviceInformation
 * @DeviceHandle: DXGKRNL_INTERFACE.DeviceHandle
 * @DeviceInfo: filled on success
 *
 * TranslatedResourceList holds the adapter's BARs (memory BARs as
 * CmResourceTypeMemory, with the CM_RESOURCE_MEMORY_LARGE_* forms for BARs
 * of 4 GiB or more; I/O BARs as CmResourceTypePort); a virtual adapter has
 * an empty list (NULL). DeviceRegistryPath is empty and there is no AGP
 * aperture. PCI ids are read from configuration space with
 * DxgkCbReadDeviceSpace, as on Windows.
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for an unknown
 * handle or a NULL @DeviceInfo.
 */
NTSTATUS dxgk_cb_get_device_information(HANDLE DeviceHandle,
					PDXGK_DEVICE_INFO DeviceInfo)
{
	struct dxgk_adapter *adapter;

	might_sleep();
	adapter = dxgk_adapter_get(DeviceHandle, "DxgkCbGetDeviceInformation");
	if (!adapter || !DeviceInfo)
		return STATUS_INVALID_PARAMETER;

	memset(DeviceInfo, 0, sizeof(*DeviceInfo));
	DeviceInfo->MiniportDeviceContext = adapter->ctx;
	DeviceInfo->PhysicalDeviceObject = &adapter->pdo;
	DeviceInfo->TranslatedResourceList = adapter->resources;
	DeviceInfo->SystemMemorySize.QuadPart =
		(LONGLONG)totalram_pages() << PAGE_SHIFT;
	DeviceInfo->HighestPhysicalAddress.QuadPart = dxgk_highest_ram_address();
	return STATUS_SUCCESS;
}

/* The BAR of @adapter that holds [start, start + len), or NULL. */
static struct resource *dxgk_find_bar(struct dxgk_adapter *adapter, u64 start,
				      u64 len, bool port)
{
	unsigned long type = port ? IORESOURCE_IO : IORESOURCE_MEM;
	unsigned int bar;

	if (!adapter->pci)
		return NULL;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		struct resource *res = &adapter->pci->resource[bar];

		if (!(res->flags & type) || !resource_size(res))
			continue;
		if (start >= res->start && start + len - 1 <= res->end)
			return res;
	}
	return NULL;
}

/**
 * dxgk_cb_map_memory - DxgkCbMapMemory
 * @DeviceHandle: DXGKRNL_INTERFACE.DeviceHandle
 * @TranslatedAddress: start of the range, from the translated resource list
 * @Length: length in bytes
 * @InIoSpace: TRUE for an I/O-port range, FALSE for memory space
 * @MapToUserMode: must be FALSE: user-mode mappings are not supported
 * @CacheType: MmNonCached (ioremap_uc), MmWriteCombined (ioremap_wc) or
 *	MmCached (ioremap_cache); ignored for I/O ports
 * @VirtualAddress: receives the kernel address of the range
 *
 * The range must lie inside one of the adapter's BARs: a miniport maps its
 * own device's registers and apertures, nothing else.
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for an unknown handle,
 * a NULL @VirtualAddress, a zero @Length, another cache type, or a range
 * outside the adapter's BARs; STATUS_NOT_SUPPORTED for @MapToUserMode;
 * STATUS_INSUFFICIENT_RESOURCES when the mapping cannot be made.
 */
NTSTATUS dxgk_cb_map_memory(HANDLE DeviceHandle,
			    PHYSICAL_ADDRESS TranslatedAddress, ULONG Length,
			    BOOLEAN InIoSpace, BOOLEAN MapToUserMode,
			    MEMORY_CACHING_TYPE CacheType, PVOID *VirtualAddress)
{
	u64 start = (u64)TranslatedAddress.QuadPart;
	struct dxgk_adapter *adapter;
	struct dxgk_io_map *map;

	might_sleep();
	adapter = dxgk_adapter_get(DeviceHandle, "DxgkCbMapMemory");
	if (!adapter || !VirtualAddress || !Length)
		return STATUS_INVALID_PARAMETER;
	*VirtualAddress = NULL;
	if (MapToUserMode)
		return STATUS_NOT_SUPPORTED;
	if (!InIoSpace && CacheType != MmNonCached && CacheType != MmCached &&
	    CacheType != MmWriteCombined)
		return STATUS_INVALID_PARAMETER;
	if (!dxgk_find_bar(adapter, start, Length, InIoSpace))
		return STATUS_INVALID_PARAMETER;

	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return STATUS_NO_MEMORY;
	map->phys = start;
	map->len = Length;
	map->port = InIoSpace;
	if (InIoSpace)
		map->va = ioport_map(start, Length);
	else if (CacheType == MmCached)
		map->va = ioremap_cache(start, Length);
	else if (CacheType == MmWriteCombined)
		map->va = ioremap_wc(start, Length);
	else
		map->va = ioremap_uc(start, Length);
	if (!map->va) {
		kfree(map);
		return STATUS_INSUFFICIENT_RESOURCES;
	}

	mutex_lock(&adapter->lock);
	list_add(&map->node, &adapter->io_maps);
	mutex_unlock(&adapter->lock);
	*VirtualAddress = (__force PVOID)map->va;
	return STATUS_SUCCESS;
}

/**
 * dxgk_cb_unmap_memory - DxgkCbUnmapMemory
 * @DeviceHandle: DXGKRNL_INTERFACE.DeviceHandle
 * @VirtualAddress: an address DxgkCbMapMemory returned
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER (with a warning:
 * Windows would bug-check) for an address that is not a live mapping of
 * this adapter.
 */
NTSTATUS dxgk_cb_unmap_memory(HANDLE DeviceHandle, PVOID VirtualAddress)
{
	struct dxgk_adapter *adapter;
	struct dxgk_io_map *map;
	NTSTATUS status = STATUS_INVALID_PARAMETER;

	might_sleep();
	adapter = dxgk_adapter_get(DeviceHandle, "DxgkCbUnmapMemory");
	if (!adapter)
		return STATUS_INVALID_PARAMETER;

	mutex_lock(&adapter->lock);
	list_for_each_entry(map, &adapter->io_maps, node) {
		if ((__force PVOID)map->va == VirtualAddress) {
			dxgk_io_map_release(map);
			status = STATUS_SUCCESS;
			break;
		}
	}
	mutex_unlock(&adapter->lock);
	if (!NT_SUCCESS(status))
		dxgk_misuse("DxgkCbUnmapMemory of unknown address %p\n",
			    VirtualAddress);
	return status;
}

/* Access configuration space in the widest naturally aligned units. */
static int dxgk_config_access(struct pci_dev *pdev, u8 *buf, u32 offset,
			      u32 len, bool write)
{
	u32 done = 0;
	int ret = 0;

	while (done < len && !ret) {
		u32 pos = offset + done, left = len - done;

		if (!(pos & 3) && left >= 4) {
			__le32 le;
			u32 v;

			if (write) {
				memcpy(&le, buf + done, 4);
				ret = pci_write_config_dword(pdev, pos, le32_to_cpu(le));
			} else {
				ret = pci_read_config_dword(pdev, pos, &v);
				le = cpu_to_le32(v);
				memcpy(buf + done, &le, 4);
			}
			done += 4;
		} else if (!(pos & 1) && left >= 2) {
			__le16 le;
			u16 v;

			if (write) {
				memcpy(&le, buf + done, 2);
				ret = pci_write_config_word(pdev, pos, le16_to_cpu(le));
			} else {
				ret = pci_read_config_word(pdev, pos, &v);
				le = cpu_to_le16(v);
				memcpy(buf + done, &le, 2);
			}
			done += 2;
		} else {
			if (write)
				ret = pci_write_config_byte(pdev, pos, buf[done]);
			else
				ret = pci_read_config_byte(pdev, pos, buf + done);
			done += 1;
		}
	}
	return ret ? pcibios_err_to_errno(ret) : 0;
}

static NTSTATUS dxgk_device_space(HANDLE DeviceHandle, ULONG DataType,
				  PVOID Buffer, ULONG Offset, ULONG Length,
				  PULONG Bytes, bool write, const char *caller)
{
	struct dxgk_adapter *adapter;
	int ret;

	might_sleep();
	adapter = dxgk_adapter_get(DeviceHandle, caller);
	if (!adapter || !Buffer || !Bytes)
		return STATUS_INVALID_PARAMETER;
	*Bytes = 0;
	if (DataType != DXGK_WHICHSPACE_CONFIG || !adapter->pci)
		return STATUS_NOT_SUPPORTED;
	if (Offset >= adapter->pci->cfg_size ||
	    Length > adapter->pci->cfg_size - Offset)
		return STATUS_INVALID_PARAMETER;

	ret = dxgk_config_access(adapter->pci, Buffer, Offset, Length, write);
	if (ret)
		return STATUS_IO_DEVICE_ERROR;
	*Bytes = Length;
	return STATUS_SUCCESS;
}

/**
 * dxgk_cb_read_device_space - DxgkCbReadDeviceSpace
 * @DeviceHandle: DXGKRNL_INTERFACE.DeviceHandle
 * @DataType: DXGK_WHICHSPACE_CONFIG (the other spaces are not supported)
 * @Buffer: receives the data
 * @Offset: byte offset in configuration space
 * @Length: bytes to read
 * @BytesRead: receives the number of bytes read
 *
 * Context: PASSIVE_LEVEL.
 * Returns: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for an unknown handle,
 * NULL pointers or a range past the configuration space;
 * STATUS_NOT_SUPPORTED for another @DataType or a virtual adapter;
 * STATUS_IO_DEVICE_ERROR if the access failed.
 */
NTSTATUS dxgk_cb_read_device_space(HANDLE DeviceHandle, ULONG DataType,
				   PVOID Buffer, ULONG Offset, ULONG Length,
				   PULONG BytesRead)
{
	return dxgk_device_space(DeviceHandle, DataType, Buffer, Offset, Length,
				 BytesRead, false, "DxgkCbReadDeviceSpace");
}

/**
 * dxgk_cb_write_device_space - DxgkCbWriteDeviceSpace
 * @DeviceHandle: DXGKRNL_INTERFACE.DeviceHandle
 * @DataType: DXGK_WHICHSPACE_CONFIG (the other spaces are not supported)
 * @Buffer: the data
 * @Offset: byte offset in configuration space
 * @Length: bytes to write
 * @BytesWritten: receives the number of bytes written
 *
 * Context: PASSIVE_LEVEL.
 * Returns: as dxgk_cb_read_device_space().
 */
NTSTATUS dxgk_cb_write_device_space(HANDLE DeviceHandle, ULONG DataType,
				    PVOID Buffer, ULONG Offset, ULONG Length,
				    PULONG BytesWritten)
{
	return dxgk_device_space(DeviceHandle, DataType, Buffer, Offset, Length,
				 BytesWritten, true, "DxgkCbWriteDeviceSpace");
}
