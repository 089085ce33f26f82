// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dxgk_edu - a WDK-style sample display miniport for QEMU's edu device.
 *
 * QEMU's "edu" PCI device (1234:11e8, docs/specs/edu.rst in QEMU) has one
 * memory BAR with an identification register, a liveness register that
 * returns the inverse of what was written, and a DMA engine whose addresses
 * are 28 bits wide. StartDevice finds BAR0 through
 * DxgkCbGetDeviceInformation, maps it with DxgkCbMapMemory, and checks the
 * PCI ids (DxgkCbReadDeviceSpace), the identification register and the
 * liveness register.
 *
 * As in virt.c, only the DXGK_DRIVER_OBJECT / DXGK_MINIPORT_MODULE lines at
 * the end are Linux: the rest is WDK code.
 */

#include <dispmprt.h>

#define EDU_POOL_TAG		0x20756445 /* 'Edu ' */
#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

#define EDU_REG_ID		0x00	/* 0xRRrr00ed: major, minor, 0xed */
#define EDU_REG_LIVENESS	0x04	/* reads back ~written value */
#define EDU_ID_MAGIC		0xed
#define EDU_BAR_MIN_SIZE	0x1000

/* The DMA engine drives 28 address bits. */
#define EDU_HIGHEST_VISIBLE_ADDRESS	0x0FFFFFFFULL

typedef struct _EDU_ADAPTER {
	PDEVICE_OBJECT PhysicalDeviceObject;
	DXGKRNL_INTERFACE DxgkInterface;
	PHYSICAL_ADDRESS RegistersPhysical;
	ULONG RegistersLength;
	PUCHAR Registers;
	ULONG Revision;
} EDU_ADAPTER, *PEDU_ADAPTER;

static DXGKDDI_ADD_DEVICE EduAddDevice;
static DXGKDDI_START_DEVICE EduStartDevice;
static DXGKDDI_STOP_DEVICE EduStopDevice;
static DXGKDDI_REMOVE_DEVICE EduRemoveDevice;
static DXGKDDI_QUERYADAPTERINFO EduQueryAdapterInfo;
static DXGKDDI_UNLOAD EduUnload;

static ULONG EduReadRegister(PEDU_ADAPTER Adapter, ULONG Offset)
{
	return READ_REGISTER_ULONG((PULONG)(Adapter->Registers + Offset));
}

static VOID EduWriteRegister(PEDU_ADAPTER Adapter, ULONG Offset, ULONG Value)
{
	WRITE_REGISTER_ULONG((PULONG)(Adapter->Registers + Offset), Value);
}

static NTSTATUS EduAddDevice(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			     PVOID *MiniportDeviceContext)
{
	PEDU_ADAPTER Adapter;

	Adapter = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Adapter),
				  EDU_POOL_TAG);
	if (!Adapter)
		return STATUS_NO_MEMORY;
	Adapter->PhysicalDeviceObject = PhysicalDeviceObject;
	*MiniportDeviceContext = Adapter;
	return STATUS_SUCCESS;
}

/* Check the PCI ids in configuration space. */
static NTSTATUS EduCheckPciIds(PEDU_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	PCI_COMMON_HEADER Header;
	ULONG BytesRead = 0;
	NTSTATUS Status;

	Status = Dxgk->DxgkCbReadDeviceSpace(Dxgk->DeviceHandle,
					     DXGK_WHICHSPACE_CONFIG, &Header, 0,
					     sizeof(Header), &BytesRead);
	if (!NT_SUCCESS(Status))
		return Status;
	if (BytesRead != sizeof(Header) || Header.VendorID != EDU_VENDOR_ID ||
	    Header.DeviceID != EDU_DEVICE_ID)
		return STATUS_DEVICE_DOES_NOT_EXIST;
	return STATUS_SUCCESS;
}

/* Find the register BAR: the first memory range of the resource list. */
static NTSTATUS EduFindRegisters(PEDU_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR Desc;
	PCM_RESOURCE_LIST Resources;
	DXGK_DEVICE_INFO DeviceInfo;
	NTSTATUS Status;
	ULONG i;

	Status = Dxgk->DxgkCbGetDeviceInformation(Dxgk->DeviceHandle, &DeviceInfo);
	if (!NT_SUCCESS(Status))
		return Status;

	Resources = DeviceInfo.TranslatedResourceList;
	if (!Resources || Resources->Count < 1)
		return STATUS_DEVICE_DOES_NOT_EXIST;

	Desc = Resources->List[0].PartialResourceList.PartialDescriptors;
	for (i = 0; i < Resources->List[0].PartialResourceList.Count; i++, Desc++) {
		if (Desc->Type != CmResourceTypeMemory)
			continue;
		if (Desc->u.Memory.Length < EDU_BAR_MIN_SIZE)
			continue;
		Adapter->RegistersPhysical = Desc->u.Memory.Start;
		Adapter->RegistersLength = Desc->u.Memory.Length;
		return STATUS_SUCCESS;
	}
	return STATUS_DEVICE_DOES_NOT_EXIST;
}

static NTSTATUS EduStartDevice(IN_CONST_PVOID MiniportDeviceContext,
			       IN_PDXGK_START_INFO DxgkStartInfo,
			       IN_PDXGKRNL_INTERFACE DxgkInterface,
			       PULONG NumberOfVideoPresentSources,
			       PULONG NumberOfChildren)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	const ULONG Pattern = 0x5a5aa5c3;
	PVOID Registers = NULL;
	ULONG Id, Liveness;
	NTSTATUS Status;

	RtlCopyMemory(&Adapter->DxgkInterface, DxgkInterface,
		      sizeof(Adapter->DxgkInterface));

	Status = EduCheckPciIds(Adapter);
	if (!NT_SUCCESS(Status))
		return Status;

	Status = EduFindRegisters(Adapter);
	if (!NT_SUCCESS(Status))
		return Status;

	Status = Dxgk->DxgkCbMapMemory(Dxgk->DeviceHandle,
				       Adapter->RegistersPhysical,
				       Adapter->RegistersLength, FALSE, FALSE,
				       MmNonCached, &Registers);
	if (!NT_SUCCESS(Status))
		return Status;
	Adapter->Registers = Registers;

	Id = EduReadRegister(Adapter, EDU_REG_ID);
	if ((Id & 0xff) != EDU_ID_MAGIC) {
		DbgPrint("dxgk_edu: identification register 0x%08x is not edu's\n",
			 Id);
		Status = STATUS_DEVICE_DOES_NOT_EXIST;
		goto err_unmap;
	}
	Adapter->Revision = Id >> 16;

	EduWriteRegister(Adapter, EDU_REG_LIVENESS, Pattern);
	Liveness = EduReadRegister(Adapter, EDU_REG_LIVENESS);
	if (Liveness != ~Pattern) {
		DbgPrint("dxgk_edu: liveness check failed: wrote 0x%08x, read 0x%08x\n",
			 Pattern, Liveness);
		Status = STATUS_IO_DEVICE_ERROR;
		goto err_unmap;
	}

	DbgPrint("dxgk_edu: edu %u.%u at 0x%llx, liveness check passed (0x%08x -> 0x%08x)\n",
		 (Id >> 24) & 0xff, (Id >> 16) & 0xff,
		 (ULONGLONG)Adapter->RegistersPhysical.QuadPart, Pattern,
		 Liveness);
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return STATUS_SUCCESS;

err_unmap:
	Dxgk->DxgkCbUnmapMemory(Dxgk->DeviceHandle, Registers);
	Adapter->Registers = NULL;
	return Status;
}

static NTSTATUS EduStopDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;

	if (Adapter->Registers) {
		Dxgk->DxgkCbUnmapMemory(Dxgk->DeviceHandle, Adapter->Registers);
		Adapter->Registers = NULL;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS EduRemoveDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	ExFreePoolWithTag((PVOID)MiniportDeviceContext, EDU_POOL_TAG);
	return STATUS_SUCCESS;
}

static NTSTATUS
EduQueryAdapterInfo(IN_CONST_HANDLE hAdapter,
		    IN_CONST_PDXGKARG_QUERYADAPTERINFO pQueryAdapterInfo)
{
	switch (pQueryAdapterInfo->Type) {
	case DXGKQAITYPE_PHYSICAL_MEMORY_CAPS: {
		DXGK_PHYSICAL_MEMORY_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->HighestVisibleAddress.QuadPart = EDU_HIGHEST_VISIBLE_ADDRESS;
		return STATUS_SUCCESS;
	}
	case DXGKQAITYPE_IOMMU_CAPS: {
		DXGK_IOMMU_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->Value = 0;
		Caps->IommuIsolationSupported = 1;
		Caps->DmaRemappingSupported = 1;
		return STATUS_SUCCESS;
	}
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

static VOID EduUnload(VOID)
{
}

static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
			    PUNICODE_STRING RegistryPath)
{
	DRIVER_INITIALIZATION_DATA InitData;

	RtlZeroMemory(&InitData, sizeof(InitData));
	InitData.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9;
	InitData.DxgkDdiAddDevice = EduAddDevice;
	InitData.DxgkDdiStartDevice = EduStartDevice;
	InitData.DxgkDdiStopDevice = EduStopDevice;
	InitData.DxgkDdiRemoveDevice = EduRemoveDevice;
	InitData.DxgkDdiQueryAdapterInfo = EduQueryAdapterInfo;
	InitData.DxgkDdiUnload = EduUnload;

	return DxgkInitialize(DriverObject, RegistryPath, &InitData);
}

/* Linux: the INF's part. */
static const struct pci_device_id EduPciIds[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, EduPciIds);

DXGK_DRIVER_OBJECT(EduDriverObject, "dxgk_edu", EduPciIds);
DXGK_MINIPORT_MODULE(EduDriverObject, DriverEntry);

MODULE_DESCRIPTION("dxgkcompat sample miniport for QEMU's edu device");
MODULE_LICENSE("Dual MIT/GPL");
