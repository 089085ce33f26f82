// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dxgk_sample - the porting guide's worked example
 * (Documentation/gpu/dxgkcompat-porting.rst).
 *
 * A display miniport with no hardware, written from Microsoft's
 * documentation of the display miniport DDIs (dispmprt.h, d3dkmddi.h) and
 * nothing else: DriverEntry fills a DRIVER_INITIALIZATION_DATA and calls
 * DxgkInitialize; DxgkDdiStartDevice keeps the DXGKRNL_INTERFACE it is
 * given and checks, with the port's callbacks, what a WDDM 2.9 driver
 * relies on before it touches a device:
 *
 *  - DxgkCbGetDeviceInformation answers (a virtual adapter has no
 *    resources);
 *  - a physical memory object (DxgkCbCreatePhysicalMemoryObject, MDL,
 *    cached, inside the window the adapter reports as visible) comes back
 *    zeroed, takes a pattern through one kernel mapping
 *    (DxgkCbMapPhysicalMemory) and gives it back through a second mapping
 *    at an unaligned offset (the Offset in/out contract);
 *  - an address descriptor list of it (DxgkCbAllocateAdl) describes every
 *    page, below HighestVisibleAddress, and is freed (DxgkCbFreeAdl).
 *
 * The object stays for the adapter's lifetime, as a driver's scratch or
 * ring buffer would, and DxgkDdiStopDevice destroys it. Only the
 * DXGK_DRIVER_OBJECT / DXGK_MINIPORT_MODULE lines at the end are Linux:
 * they stand in for the INF and the I/O manager.
 */

#include <dispmprt.h>

#define SAMPLE_POOL_TAG			0x706d6153 /* 'Samp' */
#define SAMPLE_SCRATCH_PAGES		4
#define SAMPLE_SCRATCH_SIZE		(SAMPLE_SCRATCH_PAGES * PAGE_SIZE)
/* The device the sample pretends to drive reaches the low 4 GiB only. */
#define SAMPLE_HIGHEST_VISIBLE_ADDRESS	0xFFFFFFFFULL
#define SAMPLE_PATTERN(i)		((ULONG)(0xC0DE0000U ^ (ULONG)(i)))
/* The second view: unaligned, inside the second page. */
#define SAMPLE_VIEW_OFFSET		(PAGE_SIZE + 3 * sizeof(ULONG))
#define SAMPLE_VIEW_SIZE		(16 * sizeof(ULONG))

typedef struct _SAMPLE_ADAPTER {
	PDEVICE_OBJECT PhysicalDeviceObject;
	DXGKRNL_INTERFACE DxgkInterface;
	HANDLE hScratch;		/* physical memory object */
	HANDLE hScratchAdapter;		/* its adapter memory object */
} SAMPLE_ADAPTER, *PSAMPLE_ADAPTER;

static DXGKDDI_ADD_DEVICE SampleAddDevice;
static DXGKDDI_START_DEVICE SampleStartDevice;
static DXGKDDI_STOP_DEVICE SampleStopDevice;
static DXGKDDI_REMOVE_DEVICE SampleRemoveDevice;
static DXGKDDI_QUERYADAPTERINFO SampleQueryAdapterInfo;
static DXGKDDI_UNLOAD SampleUnload;

static NTSTATUS SampleAddDevice(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
				PVOID *MiniportDeviceContext)
{
	PSAMPLE_ADAPTER Adapter;

	PAGED_CODE();

	if (!ARGUMENT_PRESENT(PhysicalDeviceObject) ||
	    !ARGUMENT_PRESENT(MiniportDeviceContext))
		return STATUS_INVALID_PARAMETER;

	Adapter = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Adapter),
				  SAMPLE_POOL_TAG);
	if (!Adapter)
		return STATUS_NO_MEMORY;
	Adapter->PhysicalDeviceObject = PhysicalDeviceObject;
	*MiniportDeviceContext = Adapter;
	return STATUS_SUCCESS;
}

static VOID SampleDestroyScratch(PSAMPLE_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT Destroy;

	if (!Adapter->hScratch)
		return;
	/* Closes the adapter memory object too: no ClosePhysicalMemoryObject. */
	RtlZeroMemory(&Destroy, sizeof(Destroy));
	Destroy.hPhysicalMemoryObject = Adapter->hScratch;
	Destroy.hAdapterMemoryObject = Adapter->hScratchAdapter;
	Dxgk->DxgkCbDestroyPhysicalMemoryObject(&Destroy);
	Adapter->hScratch = NULL;
	Adapter->hScratchAdapter = NULL;
}

static NTSTATUS SampleCreateScratch(PSAMPLE_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT Create;
	NTSTATUS Status;

	RtlZeroMemory(&Create, sizeof(Create));
	Create.hAdapter = Dxgk->DeviceHandle;	/* opened on us: an AMO too */
	Create.Size = SAMPLE_SCRATCH_SIZE;
	Create.Context = (ULONG_PTR)Adapter;	/* for debuggers only */
	Create.Type = DXGK_PHYSICAL_MEMORY_TYPE_MDL;
	Create.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED;
	Create.Mdl.LowAddress.QuadPart = 0;
	Create.Mdl.HighAddress.QuadPart = SAMPLE_HIGHEST_VISIBLE_ADDRESS;
	Create.Mdl.SkipBytes.QuadPart = 0;
	Create.Mdl.Flags = MM_ALLOCATE_FULLY_REQUIRED;

	Status = Dxgk->DxgkCbCreatePhysicalMemoryObject(&Create);
	if (!NT_SUCCESS(Status))
		return Status;
	Adapter->hScratch = Create.hPhysicalMemoryObject;
	Adapter->hScratchAdapter = Create.hAdapterMemoryObject;
	return STATUS_SUCCESS;
}

static VOID SampleUnmapScratch(PSAMPLE_ADAPTER Adapter, PVOID Base,
			       SIZE_T MappedSize)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY Unmap;

	RtlZeroMemory(&Unmap, sizeof(Unmap));
	Unmap.hPhysicalMemoryObject = Adapter->hScratch;
	Unmap.pBaseAddress = Base;	/* pMappedAddress, not the data */
	Unmap.Size = MappedSize;	/* the Size Map returned */
	Dxgk->DxgkCbUnmapPhysicalMemory(&Unmap);
}

/*
 * Map [Offset, Offset + Size) of the scratch object for the CPU. The data
 * is at *Data; *Base and *MappedSize are what the unmap needs.
 */
static NTSTATUS SampleMapScratch(PSAMPLE_ADAPTER Adapter, SIZE_T Offset,
				 SIZE_T Size, PVOID *Base, SIZE_T *MappedSize,
				 PULONG *Data)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_MAP_PHYSICAL_MEMORY Map;
	NTSTATUS Status;

	RtlZeroMemory(&Map, sizeof(Map));
	Map.hPhysicalMemoryObject = Adapter->hScratch;
	Map.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE;
	Map.Offset = Offset;
	Map.Size = Size;
	Status = Dxgk->DxgkCbMapPhysicalMemory(&Map);
	if (!NT_SUCCESS(Status))
		return Status;
	/* On return Offset is relative to pMappedAddress; Size may be larger. */
	if (Map.Offset > Map.Size || Size > Map.Size - Map.Offset) {
		DbgPrint("dxgk_sample: map returned offset %zu size %zu for %zu bytes\n",
			 Map.Offset, Map.Size, Size);
		SampleUnmapScratch(Adapter, Map.pMappedAddress, Map.Size);
		return STATUS_UNSUCCESSFUL;
	}
	*Base = Map.pMappedAddress;
	*MappedSize = Map.Size;
	*Data = (PULONG)((PUCHAR)Map.pMappedAddress + Map.Offset);
	return STATUS_SUCCESS;
}

/* Zeroed pages, a pattern in, the pattern back through another view. */
static NTSTATUS SampleCheckCpuAccess(PSAMPLE_ADAPTER Adapter)
{
	const ULONG First = SAMPLE_VIEW_OFFSET / sizeof(ULONG);
	SIZE_T MappedSize, i;
	NTSTATUS Status;
	PULONG Data;
	PVOID Base;

	Status = SampleMapScratch(Adapter, 0, SAMPLE_SCRATCH_SIZE, &Base,
				  &MappedSize, &Data);
	if (!NT_SUCCESS(Status))
		return Status;
	for (i = 0; i < SAMPLE_SCRATCH_SIZE / sizeof(ULONG); i++) {
		if (Data[i] != 0) {
			DbgPrint("dxgk_sample: byte %zu of a new object is not zero\n",
				 i * sizeof(ULONG));
			Status = STATUS_UNSUCCESSFUL;
			break;
		}
		Data[i] = SAMPLE_PATTERN(i);
	}
	SampleUnmapScratch(Adapter, Base, MappedSize);
	if (!NT_SUCCESS(Status))
		return Status;

	Status = SampleMapScratch(Adapter, SAMPLE_VIEW_OFFSET, SAMPLE_VIEW_SIZE,
				  &Base, &MappedSize, &Data);
	if (!NT_SUCCESS(Status))
		return Status;
	for (i = 0; i < SAMPLE_VIEW_SIZE / sizeof(ULONG); i++) {
		if (Data[i] != SAMPLE_PATTERN(First + i)) {
			DbgPrint("dxgk_sample: read 0x%08x at byte %zu, wrote 0x%08x\n",
				 Data[i], SAMPLE_VIEW_OFFSET + i * sizeof(ULONG),
				 SAMPLE_PATTERN(First + i));
			Status = STATUS_UNSUCCESSFUL;
			break;
		}
	}
	SampleUnmapScratch(Adapter, Base, MappedSize);
	return Status;
}

/*
 * Device addresses for the whole object. STATUS_INSUFFICIENT_RESOURCES
 * means the port has no address the device could use for the pages
 * (e.g. when all DMA is bounced): said, and not a failure.
 */
static NTSTATUS SampleCheckDeviceAccess(PSAMPLE_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	const DXGK_PAGE_NUMBER Highest =
		SAMPLE_HIGHEST_VISIBLE_ADDRESS >> PAGE_SHIFT;
	DXGKARGCB_ALLOCATE_ADL Allocate;
	DXGKARGCB_FREE_ADL Free;
	NTSTATUS Status;
	DXGK_ADL *Adl;
	UINT32 i;

	RtlZeroMemory(&Allocate, sizeof(Allocate));
	Allocate.hAdapterMemoryObject = Adapter->hScratchAdapter;
	Allocate.Offset = 0;
	Allocate.Size = SAMPLE_SCRATCH_SIZE;
	Allocate.Flags.PreferContiguous = 1;
	Status = Dxgk->DxgkCbAllocateAdl(&Allocate);
	if (Status == STATUS_INSUFFICIENT_RESOURCES) {
		DbgPrint("dxgk_sample: no ADL: no device addresses for the pages\n");
		return STATUS_SUCCESS;
	}
	if (!NT_SUCCESS(Status))
		return Status;

	/* PreferContiguous is a wish: read Flags.Contiguous. */
	Adl = Allocate.pAdl;
	Status = STATUS_SUCCESS;
	if (Adl->PageCount != SAMPLE_SCRATCH_PAGES) {
		Status = STATUS_UNSUCCESSFUL;
	} else if (Adl->Flags.Contiguous) {
		if (Adl->BasePageNumber + Adl->PageCount - 1 > Highest)
			Status = STATUS_UNSUCCESSFUL;
	} else {
		for (i = 0; i < Adl->PageCount; i++)
			if (Adl->Pages[i] > Highest)
				Status = STATUS_UNSUCCESSFUL;
	}
	if (NT_SUCCESS(Status))
		DbgPrint("dxgk_sample: ADL of %u pages, %s\n", Adl->PageCount,
			 Adl->Flags.Contiguous ? "contiguous" : "scattered");
	else
		DbgPrint("dxgk_sample: the ADL does not describe the object (%u pages)\n",
			 Adl->PageCount);

	/* Before the object goes: destroying it under a live ADL is misuse. */
	RtlZeroMemory(&Free, sizeof(Free));
	Free.hAdapterMemoryObject = Adapter->hScratchAdapter;
	Free.pAdl = Adl;
	Dxgk->DxgkCbFreeAdl(&Free);
	return Status;
}

static NTSTATUS SampleStartDevice(IN_CONST_PVOID MiniportDeviceContext,
				  IN_PDXGK_START_INFO DxgkStartInfo,
				  IN_PDXGKRNL_INTERFACE DxgkInterface,
				  PULONG NumberOfVideoPresentSources,
				  PULONG NumberOfChildren)
{
	PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGK_DEVICE_INFO DeviceInfo;
	NTSTATUS Status;

	PAGED_CODE();

	RtlCopyMemory(Dxgk, DxgkInterface, sizeof(*Dxgk));
	/* The PMO and ADL callbacks are there from WDDM 2.9 on. */
	if (Dxgk->Version < DXGKDDI_INTERFACE_VERSION_WDDM2_9)
		return STATUS_NOT_SUPPORTED;

	Status = Dxgk->DxgkCbGetDeviceInformation(Dxgk->DeviceHandle, &DeviceInfo);
	if (!NT_SUCCESS(Status))
		return Status;

	Status = SampleCreateScratch(Adapter);
	if (!NT_SUCCESS(Status))
		return Status;
	Status = SampleCheckCpuAccess(Adapter);
	if (NT_SUCCESS(Status))
		Status = SampleCheckDeviceAccess(Adapter);
	if (!NT_SUCCESS(Status)) {
		DbgPrint("dxgk_sample: self-check failed: 0x%08x\n", Status);
		SampleDestroyScratch(Adapter);
		return Status;
	}

	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	DbgPrint("dxgk_sample: self-check passed (interface 0x%x, %u resources, %llu MiB)\n",
		 Dxgk->Version,
		 DeviceInfo.TranslatedResourceList ?
			DeviceInfo.TranslatedResourceList->Count : 0,
		 (ULONGLONG)DeviceInfo.SystemMemorySize.QuadPart >> 20);
	return STATUS_SUCCESS;
}

static NTSTATUS SampleStopDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	PSAMPLE_ADAPTER Adapter = (PSAMPLE_ADAPTER)MiniportDeviceContext;

	PAGED_CODE();

	SampleDestroyScratch(Adapter);
	return STATUS_SUCCESS;
}

static NTSTATUS SampleRemoveDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	PAGED_CODE();

	ExFreePoolWithTag((PVOID)MiniportDeviceContext, SAMPLE_POOL_TAG);
	return STATUS_SUCCESS;
}

static NTSTATUS
SampleQueryAdapterInfo(IN_CONST_HANDLE hAdapter,
		       IN_CONST_PDXGKARG_QUERYADAPTERINFO pQueryAdapterInfo)
{
	switch (pQueryAdapterInfo->Type) {
	case DXGKQAITYPE_PHYSICAL_MEMORY_CAPS: {
		DXGK_PHYSICAL_MEMORY_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->HighestVisibleAddress.QuadPart = SAMPLE_HIGHEST_VISIBLE_ADDRESS;
		return STATUS_SUCCESS;
	}
	case DXGKQAITYPE_IOMMU_CAPS: {
		DXGK_IOMMU_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->Value = 0;	/* no IOMMU isolation required */
		return STATUS_SUCCESS;
	}
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

static VOID SampleUnload(VOID)
{
	PAGED_CODE();
}

static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
			    PUNICODE_STRING RegistryPath)
{
	DRIVER_INITIALIZATION_DATA DriverInitializationData;

	PAGED_CODE();

	if (!ARGUMENT_PRESENT(DriverObject) || !ARGUMENT_PRESENT(RegistryPath))
		return STATUS_INVALID_PARAMETER;

	RtlZeroMemory(&DriverInitializationData, sizeof(DriverInitializationData));
	DriverInitializationData.Version = DXGKDDI_INTERFACE_VERSION;
	DriverInitializationData.DxgkDdiAddDevice = SampleAddDevice;
	DriverInitializationData.DxgkDdiStartDevice = SampleStartDevice;
	DriverInitializationData.DxgkDdiStopDevice = SampleStopDevice;
	DriverInitializationData.DxgkDdiRemoveDevice = SampleRemoveDevice;
	DriverInitializationData.DxgkDdiQueryAdapterInfo = SampleQueryAdapterInfo;
	DriverInitializationData.DxgkDdiUnload = SampleUnload;

	return DxgkInitialize(DriverObject, RegistryPath, &DriverInitializationData);
}

/* Linux: the INF's part. One virtual adapter, no hardware ids. */
DXGK_DRIVER_OBJECT(SampleDriverObject, "dxgk_sample", NULL);
DXGK_MINIPORT_MODULE(SampleDriverObject, DriverEntry);

MODULE_DESCRIPTION("dxgkcompat sample miniport: the porting guide's worked example");
MODULE_LICENSE("Dual MIT/GPL");
