// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dxgk_virt - a WDK-style sample display miniport with no hardware.
 *
 * Everything below is written as a Windows WDDM miniport would be: WDK
 * names, WDK types, DriverEntry + DxgkInitialize. The only Linux line is
 * the DXGK_DRIVER_OBJECT / DXGK_MINIPORT_MODULE pair at the end, which
 * stands in for the INF and the I/O manager.
 */

#include <dispmprt.h>

#define VIRT_POOL_TAG 0x74726956 /* 'Virt' */

typedef struct _VIRT_ADAPTER {
	PDEVICE_OBJECT PhysicalDeviceObject;
	DXGKRNL_INTERFACE DxgkInterface;
	BOOLEAN Started;
} VIRT_ADAPTER, *PVIRT_ADAPTER;

static DXGKDDI_ADD_DEVICE VirtAddDevice;
static DXGKDDI_START_DEVICE VirtStartDevice;
static DXGKDDI_STOP_DEVICE VirtStopDevice;
static DXGKDDI_REMOVE_DEVICE VirtRemoveDevice;
static DXGKDDI_QUERYADAPTERINFO VirtQueryAdapterInfo;
static DXGKDDI_UNLOAD VirtUnload;

static NTSTATUS VirtAddDevice(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			      PVOID *MiniportDeviceContext)
{
	PVIRT_ADAPTER Adapter;

	Adapter = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Adapter),
				  VIRT_POOL_TAG);
	if (!Adapter)
		return STATUS_NO_MEMORY;
	Adapter->PhysicalDeviceObject = PhysicalDeviceObject;
	*MiniportDeviceContext = Adapter;
	return STATUS_SUCCESS;
}

static NTSTATUS VirtStartDevice(IN_CONST_PVOID MiniportDeviceContext,
				IN_PDXGK_START_INFO DxgkStartInfo,
				IN_PDXGKRNL_INTERFACE DxgkInterface,
				PULONG NumberOfVideoPresentSources,
				PULONG NumberOfChildren)
{
	PVIRT_ADAPTER Adapter = (PVIRT_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGK_DEVICE_INFO DeviceInfo;
	NTSTATUS Status;

	RtlCopyMemory(Dxgk, DxgkInterface, sizeof(*Dxgk));

	Status = Dxgk->DxgkCbGetDeviceInformation(Dxgk->DeviceHandle, &DeviceInfo);
	if (!NT_SUCCESS(Status))
		return Status;

	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	Adapter->Started = TRUE;
	DbgPrint("dxgk_virt: started, interface version 0x%x, %llu MiB of RAM\n",
		 Adapter->DxgkInterface.Version,
		 (ULONGLONG)DeviceInfo.SystemMemorySize.QuadPart >> 20);
	return STATUS_SUCCESS;
}

static NTSTATUS VirtStopDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	PVIRT_ADAPTER Adapter = (PVIRT_ADAPTER)MiniportDeviceContext;

	Adapter->Started = FALSE;
	return STATUS_SUCCESS;
}

static NTSTATUS VirtRemoveDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	ExFreePoolWithTag((PVOID)MiniportDeviceContext, VIRT_POOL_TAG);
	return STATUS_SUCCESS;
}

static NTSTATUS
VirtQueryAdapterInfo(IN_CONST_HANDLE hAdapter,
		     IN_CONST_PDXGKARG_QUERYADAPTERINFO pQueryAdapterInfo)
{
	switch (pQueryAdapterInfo->Type) {
	case DXGKQAITYPE_PHYSICAL_MEMORY_CAPS: {
		DXGK_PHYSICAL_MEMORY_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		/* No device: every address is visible. */
		Caps->HighestVisibleAddress.QuadPart = -1LL;
		return STATUS_SUCCESS;
	}
	case DXGKQAITYPE_IOMMU_CAPS: {
		DXGK_IOMMU_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->Value = 0;
		return STATUS_SUCCESS;
	}
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

static VOID VirtUnload(VOID)
{
}

static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
			    PUNICODE_STRING RegistryPath)
{
	DRIVER_INITIALIZATION_DATA InitData;

	RtlZeroMemory(&InitData, sizeof(InitData));
	InitData.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9;
	InitData.DxgkDdiAddDevice = VirtAddDevice;
	InitData.DxgkDdiStartDevice = VirtStartDevice;
	InitData.DxgkDdiStopDevice = VirtStopDevice;
	InitData.DxgkDdiRemoveDevice = VirtRemoveDevice;
	InitData.DxgkDdiQueryAdapterInfo = VirtQueryAdapterInfo;
	InitData.DxgkDdiUnload = VirtUnload;

	return DxgkInitialize(DriverObject, RegistryPath, &InitData);
}

/* Linux: the INF's part. One virtual adapter, no hardware ids. */
DXGK_DRIVER_OBJECT(VirtDriverObject, "dxgk_virt", NULL);
DXGK_MINIPORT_MODULE(VirtDriverObject, DriverEntry);

MODULE_DESCRIPTION("dxgkcompat sample miniport with no hardware");
MODULE_LICENSE("Dual MIT/GPL");
