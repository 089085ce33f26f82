// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgk_bench - the benchmark's miniport: it measures the port's memory
 * callbacks by calling them through its DXGKRNL_INTERFACE, as a real
 * miniport does.
 *
 * Two DRIVER_OBJECTs: "dxgk_bench", a virtual adapter on the platform
 * device the port makes for it (no IOMMU), where every row but the VT-d
 * ADL row runs; and "dxgk_bench_edu", which binds QEMU's edu device when no
 * other driver has it (dxgk_edu not loaded), so that the ADL row also runs
 * through the test box's IOMMU. Neither adapter ever makes its device DMA:
 * they only create, map and describe memory, so both report that they see
 * every address.
 *
 * The rest is WDK code, except the timing (ktime_get_ns()), the fatal-signal
 * checks and the page array of the ADL row's raw comparison.
 */

#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/vmalloc.h>

#include <dispmprt.h>

#include "bench.h"

typedef struct _BENCH_ADAPTER {
	PDEVICE_OBJECT PhysicalDeviceObject;
	DXGKRNL_INTERFACE DxgkInterface;
	BOOLEAN InUse;
	BOOLEAN Started;
} BENCH_ADAPTER, *PBENCH_ADAPTER;

static BENCH_ADAPTER BenchAdapters[BENCH_NADAPTERS];

static const DXGK_MEMORY_CACHING_TYPE BenchCacheTypes[BENCH_NCACHES] = {
	[BENCH_WB] = DXGK_MEMORY_CACHING_TYPE_CACHED,
	[BENCH_WC] = DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED,
	[BENCH_UC] = DXGK_MEMORY_CACHING_TYPE_NON_CACHED,
};

static const DXGK_PHYSICAL_MEMORY_TYPE BenchTypes[BENCH_NTYPES] = {
	[BENCH_MDL] = DXGK_PHYSICAL_MEMORY_TYPE_MDL,
	[BENCH_CONTIGUOUS] = DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY,
	[BENCH_SECTION] = DXGK_PHYSICAL_MEMORY_TYPE_SECTION,
};

static DXGKDDI_ADD_DEVICE BenchAddDevice;
static DXGKDDI_START_DEVICE BenchStartDevice;
static DXGKDDI_STOP_DEVICE BenchStopDevice;
static DXGKDDI_REMOVE_DEVICE BenchRemoveDevice;
static DXGKDDI_QUERYADAPTERINFO BenchQueryAdapterInfo;
static DXGKDDI_UNLOAD BenchUnload;

static NTSTATUS BenchAddDevice(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			       PVOID *MiniportDeviceContext)
{
	PBENCH_ADAPTER Adapter;

	/* The PCI driver binds edu, the platform driver its own device. */
	Adapter = &BenchAdapters[dev_is_pci(PhysicalDeviceObject->Device) ?
				 BENCH_ADAPTER_EDU : BENCH_ADAPTER_VIRT];
	if (Adapter->InUse)	/* a second edu device: one is enough */
		return STATUS_DEVICE_BUSY;
	Adapter->InUse = TRUE;
	Adapter->PhysicalDeviceObject = PhysicalDeviceObject;
	*MiniportDeviceContext = Adapter;
	return STATUS_SUCCESS;
}

static NTSTATUS BenchStartDevice(IN_CONST_PVOID MiniportDeviceContext,
				 IN_PDXGK_START_INFO DxgkStartInfo,
				 IN_PDXGKRNL_INTERFACE DxgkInterface,
				 PULONG NumberOfVideoPresentSources,
				 PULONG NumberOfChildren)
{
	PBENCH_ADAPTER Adapter = (PBENCH_ADAPTER)MiniportDeviceContext;

	mutex_lock(&bench_lock);
	RtlCopyMemory(&Adapter->DxgkInterface, DxgkInterface,
		      sizeof(Adapter->DxgkInterface));
	Adapter->Started = TRUE;
	mutex_unlock(&bench_lock);
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return STATUS_SUCCESS;
}

/* Waits for a run that uses the adapter: its objects go first. */
static NTSTATUS BenchStopDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	PBENCH_ADAPTER Adapter = (PBENCH_ADAPTER)MiniportDeviceContext;

	mutex_lock(&bench_lock);
	Adapter->Started = FALSE;
	mutex_unlock(&bench_lock);
	return STATUS_SUCCESS;
}

static NTSTATUS BenchRemoveDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	((PBENCH_ADAPTER)MiniportDeviceContext)->InUse = FALSE;
	return STATUS_SUCCESS;
}

static NTSTATUS
BenchQueryAdapterInfo(IN_CONST_HANDLE hAdapter,
		      IN_CONST_PDXGKARG_QUERYADAPTERINFO pQueryAdapterInfo)
{
	switch (pQueryAdapterInfo->Type) {
	case DXGKQAITYPE_PHYSICAL_MEMORY_CAPS: {
		DXGK_PHYSICAL_MEMORY_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		/*
		 * Never DMAs (edu's 28 address bits would not even hold the
		 * 256 MiB ADL): the port maps for every address.
		 */
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

static VOID BenchUnload(VOID)
{
}

static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
			    PUNICODE_STRING RegistryPath)
{
	DRIVER_INITIALIZATION_DATA InitData;

	RtlZeroMemory(&InitData, sizeof(InitData));
	InitData.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9;
	InitData.DxgkDdiAddDevice = BenchAddDevice;
	InitData.DxgkDdiStartDevice = BenchStartDevice;
	InitData.DxgkDdiStopDevice = BenchStopDevice;
	InitData.DxgkDdiRemoveDevice = BenchRemoveDevice;
	InitData.DxgkDdiQueryAdapterInfo = BenchQueryAdapterInfo;
	InitData.DxgkDdiUnload = BenchUnload;

	return DxgkInitialize(DriverObject, RegistryPath, &InitData);
}

/* Linux: the INF's part. A virtual adapter, and edu when it is free. */
static const struct pci_device_id BenchEduIds[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },	/* QEMU's edu */
	{ }
};

DXGK_DRIVER_OBJECT(BenchVirtDriverObject, "dxgk_bench", NULL);
DXGK_DRIVER_OBJECT(BenchEduDriverObject, "dxgk_bench_edu", BenchEduIds);

static bool bench_edu_registered;

/**
 * bench_mp_register - run DriverEntry for both DRIVER_OBJECTs
 * @edu: also bind edu (when no other driver has it)
 *
 * Returns: 0 or a negative errno.
 */
int bench_mp_register(bool edu)
{
	int ret;

	ret = dxgk_miniport_module_init(&BenchVirtDriverObject, DriverEntry);
	if (ret || !edu)
		return ret;
	ret = dxgk_miniport_module_init(&BenchEduDriverObject, DriverEntry);
	if (ret) {
		dxgk_miniport_module_exit(&BenchVirtDriverObject);
		return ret;
	}
	bench_edu_registered = true;
	return 0;
}

/**
 * bench_mp_unregister - stop and remove the adapters, unload
 */
void bench_mp_unregister(void)
{
	if (bench_edu_registered)
		dxgk_miniport_module_exit(&BenchEduDriverObject);
	bench_edu_registered = false;
	dxgk_miniport_module_exit(&BenchVirtDriverObject);
}

/**
 * bench_mp_started - whether an adapter is started
 * @a: the adapter
 *
 * Context: bench_lock held.
 * Returns: true between DxgkDdiStartDevice and DxgkDdiStopDevice.
 */
bool bench_mp_started(enum bench_adapter a)
{
	return BenchAdapters[a].Started;
}

/**
 * bench_mp_device - the Linux device of a started adapter
 * @a: the adapter
 *
 * Returns: the device the port maps the adapter's ADLs for.
 */
struct device *bench_mp_device(enum bench_adapter a)
{
	return BenchAdapters[a].PhysicalDeviceObject->Device;
}

/* Create an object of the virtual adapter (opened on it if OnAdapter). */
static NTSTATUS BenchCreate(PBENCH_ADAPTER Adapter, enum bench_type Type,
			    SIZE_T Size, enum bench_cache Cache,
			    BOOLEAN OnAdapter, ULONG MdlFlags,
			    DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *Args)
{
	RtlZeroMemory(Args, sizeof(*Args));
	Args->hAdapter = OnAdapter ? Adapter->DxgkInterface.DeviceHandle : NULL;
	Args->Size = Size;
	Args->Type = BenchTypes[Type];
	Args->CacheType = BenchCacheTypes[Cache];
	switch (Type) {
	case BENCH_MDL:
		Args->Mdl.HighAddress.QuadPart = -1LL;
		Args->Mdl.Flags = MdlFlags;
		break;
	case BENCH_CONTIGUOUS:
		Args->ContiguousMemory.HighestAcceptableAddress.QuadPart = -1LL;
		break;
	default:
		Args->Section.DesiredAccess = SECTION_MAP_READ | SECTION_MAP_WRITE;
		Args->Section.PageProtection = PAGE_READWRITE;
		Args->Section.AllocationAttributes = SEC_COMMIT;
		break;
	}
	return Adapter->DxgkInterface.DxgkCbCreatePhysicalMemoryObject(Args);
}

static VOID BenchDestroy(PBENCH_ADAPTER Adapter, HANDLE hPhysicalMemoryObject,
			 HANDLE hAdapterMemoryObject)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT Args = {
		.hPhysicalMemoryObject = hPhysicalMemoryObject,
		.hAdapterMemoryObject = hAdapterMemoryObject,
	};

	Adapter->DxgkInterface.DxgkCbDestroyPhysicalMemoryObject(&Args);
	bench_settle();
}

/**
 * bench_cb_map - the callbacks' cycle
 * @type: MDL, CONTIGUOUS or SECTION
 * @size: bytes, a page multiple
 * @cache: the cache type
 * @ns: the cycle's time
 *
 * DxgkCbCreatePhysicalMemoryObject (opened on the adapter, zeroed pages),
 * DxgkCbMapPhysicalMemory(KERNEL_MODE) of the whole object, one write per
 * page, DxgkCbUnmapPhysicalMemory, DxgkCbDestroyPhysicalMemoryObject.
 *
 * Returns: STATUS_SUCCESS or the failing callback's NTSTATUS.
 */
int bench_cb_map(enum bench_type type, size_t size, enum bench_cache cache,
		 u64 *ns)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[BENCH_ADAPTER_VIRT];
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT Create;
	DXGKARGCB_MAP_PHYSICAL_MEMORY Map;
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY Unmap;
	u64 t0 = ktime_get_ns();
	NTSTATUS Status;

	Status = BenchCreate(Adapter, type, size, cache, TRUE, 0, &Create);
	if (!NT_SUCCESS(Status))
		return Status;
	RtlZeroMemory(&Map, sizeof(Map));
	Map.hPhysicalMemoryObject = Create.hPhysicalMemoryObject;
	Map.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE;
	Map.Offset = 0;
	Map.Size = size;
	Status = Dxgk->DxgkCbMapPhysicalMemory(&Map);
	if (NT_SUCCESS(Status)) {
		bench_touch((PUCHAR)Map.pMappedAddress + Map.Offset, size);
		Unmap.hPhysicalMemoryObject = Create.hPhysicalMemoryObject;
		Unmap.pBaseAddress = Map.pMappedAddress;
		Unmap.Size = Map.Size;
		Dxgk->DxgkCbUnmapPhysicalMemory(&Unmap);
	}
	BenchDestroy(Adapter, Create.hPhysicalMemoryObject,
		     Create.hAdapterMemoryObject);
	*ns = ktime_get_ns() - t0;
	return Status;
}

/**
 * bench_cb_churn - @count Create/Destroy cycles of MDL objects
 * @cache: the cache type
 * @count: cycles, of bench_churn_size() bytes each
 * @ns: the time of all of them
 *
 * Returns: STATUS_SUCCESS, the failing NTSTATUS, or STATUS_CANCELLED for a
 * fatal signal.
 */
int bench_cb_churn(enum bench_cache cache, unsigned int count, u64 *ns)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[BENCH_ADAPTER_VIRT];
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT Create;
	u64 t0 = ktime_get_ns();
	NTSTATUS Status;
	unsigned int i;

	for (i = 0; i < count; i++) {
		Status = BenchCreate(Adapter, BENCH_MDL, bench_churn_size(i), cache,
				     TRUE, 0, &Create);
		if (!NT_SUCCESS(Status))
			return Status;
		BenchDestroy(Adapter, Create.hPhysicalMemoryObject,
			     Create.hAdapterMemoryObject);
		if (bench_should_stop())
			return STATUS_CANCELLED;
	}
	*ns = ktime_get_ns() - t0;
	return STATUS_SUCCESS;
}

/**
 * bench_cb_adl_prepare - the ADL row's object
 * @a: the adapter whose device the ADLs are for
 * @size: bytes, a page multiple
 * @obj: filled in
 *
 * A write-back MDL object created with MM_ALLOCATE_PREFER_CONTIGUOUS on
 * adapter @a. Its pages are taken from its kernel mapping (the miniport
 * has no other view of them), for the raw dma_map_sgtable() of the same
 * pages.
 *
 * Returns: STATUS_SUCCESS or a failure NTSTATUS.
 */
int bench_cb_adl_prepare(enum bench_adapter a, size_t size,
			 struct bench_adl_obj *obj)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[a];
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT Create;
	DXGKARGCB_MAP_PHYSICAL_MEMORY Map;
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY Unmap;
	unsigned long i;
	NTSTATUS Status;

	RtlZeroMemory(obj, sizeof(*obj));
	Status = BenchCreate(Adapter, BENCH_MDL, size, BENCH_WB, TRUE,
			     MM_ALLOCATE_PREFER_CONTIGUOUS, &Create);
	if (!NT_SUCCESS(Status))
		return Status;
	obj->adapter = a;
	obj->hpmo = Create.hPhysicalMemoryObject;
	obj->hamo = Create.hAdapterMemoryObject;
	obj->dev = Adapter->PhysicalDeviceObject->Device;
	obj->npages = size >> PAGE_SHIFT;
	obj->pages = kvmalloc_array(obj->npages, sizeof(*obj->pages), GFP_KERNEL);
	if (!obj->pages) {
		Status = STATUS_NO_MEMORY;
		goto err_destroy;
	}

	RtlZeroMemory(&Map, sizeof(Map));
	Map.hPhysicalMemoryObject = obj->hpmo;
	Map.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE;
	Map.Size = size;
	Status = Dxgk->DxgkCbMapPhysicalMemory(&Map);
	if (!NT_SUCCESS(Status))
		goto err_free;
	for (i = 0; i < obj->npages; i++)
		obj->pages[i] = vmalloc_to_page((PUCHAR)Map.pMappedAddress +
						(i << PAGE_SHIFT));
	Unmap.hPhysicalMemoryObject = obj->hpmo;
	Unmap.pBaseAddress = Map.pMappedAddress;
	Unmap.Size = Map.Size;
	Dxgk->DxgkCbUnmapPhysicalMemory(&Unmap);
	return STATUS_SUCCESS;

err_free:
	kvfree(obj->pages);
err_destroy:
	BenchDestroy(Adapter, obj->hpmo, obj->hamo);
	RtlZeroMemory(obj, sizeof(*obj));
	return Status;
}

/**
 * bench_cb_adl_release - destroy the ADL row's object
 * @obj: from bench_cb_adl_prepare(), or zeroed
 */
void bench_cb_adl_release(struct bench_adl_obj *obj)
{
	if (!obj->hpmo)
		return;
	kvfree(obj->pages);
	BenchDestroy(&BenchAdapters[obj->adapter], obj->hpmo, obj->hamo);
	RtlZeroMemory(obj, sizeof(*obj));
}

/* Runs of consecutive device page numbers in an ADL. */
static unsigned int BenchAdlSegments(const DXGK_ADL *Adl)
{
	unsigned int Segments = 1;
	UINT32 i;

	if (Adl->Flags.Contiguous)
		return 1;
	for (i = 1; i < Adl->PageCount; i++)
		if (Adl->Pages[i] != Adl->Pages[i - 1] + 1)
			Segments++;
	return Segments;
}

/**
 * bench_cb_adl - DxgkCbAllocateAdl + DxgkCbFreeAdl of a whole object
 * @obj: from bench_cb_adl_prepare()
 * @ns: the time of the two calls (not of counting the segments)
 * @segments: runs of consecutive device page numbers in the ADL
 *
 * With PreferContiguous, as a GPU that can use one base page number would.
 *
 * Returns: STATUS_SUCCESS or the NTSTATUS of DxgkCbAllocateAdl.
 */
int bench_cb_adl(struct bench_adl_obj *obj, u64 *ns, unsigned int *segments)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[obj->adapter];
	DXGKARGCB_ALLOCATE_ADL Alloc;
	DXGKARGCB_FREE_ADL Free;
	NTSTATUS Status;
	u64 t0, t1, t2;

	RtlZeroMemory(&Alloc, sizeof(Alloc));
	Alloc.hAdapterMemoryObject = obj->hamo;
	Alloc.Offset = 0;
	Alloc.Size = obj->npages << PAGE_SHIFT;
	Alloc.Flags.PreferContiguous = 1;
	t0 = ktime_get_ns();
	Status = Adapter->DxgkInterface.DxgkCbAllocateAdl(&Alloc);
	t1 = ktime_get_ns();
	if (!NT_SUCCESS(Status))
		return Status;
	*segments = BenchAdlSegments(Alloc.pAdl);
	Free.hAdapterMemoryObject = obj->hamo;
	Free.pAdl = Alloc.pAdl;
	t2 = ktime_get_ns();
	Adapter->DxgkInterface.DxgkCbFreeAdl(&Free);
	*ns = t1 - t0 + ktime_get_ns() - t2;
	return STATUS_SUCCESS;
}

/**
 * bench_cb_live_create - the handle rows' live objects
 * @handles: receives the PMO handles
 * @n: how many to create
 * @made: how many were created (also on failure)
 *
 * 4 KiB write-back MDL objects, not opened on an adapter: they fill the
 * port's PMO handle table.
 *
 * Returns: STATUS_SUCCESS, the failing NTSTATUS, or STATUS_CANCELLED.
 */
int bench_cb_live_create(void **handles, unsigned long n, unsigned long *made)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[BENCH_ADAPTER_VIRT];
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT Create;
	NTSTATUS Status = STATUS_SUCCESS;
	unsigned long i;

	for (i = 0; i < n; i++) {
		Status = BenchCreate(Adapter, BENCH_MDL, PAGE_SIZE, BENCH_WB, FALSE,
				     0, &Create);
		if (!NT_SUCCESS(Status))
			break;
		handles[i] = Create.hPhysicalMemoryObject;
		if (i % 1024 == 1023) {
			cond_resched();
			if (bench_should_stop()) {
				i++;
				Status = STATUS_CANCELLED;
				break;
			}
		}
	}
	*made = i;
	return Status;
}

/**
 * bench_cb_live_destroy - destroy what bench_cb_live_create() made
 * @handles: the PMO handles
 * @n: their number
 */
void bench_cb_live_destroy(void **handles, unsigned long n)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[BENCH_ADAPTER_VIRT];
	unsigned long i;

	for (i = 0; i < n; i++) {
		BenchDestroy(Adapter, handles[i], NULL);
		if (i % 1024 == 1023)
			cond_resched();
	}
}

/**
 * bench_cb_create_destroy - @count Create+Destroy of a 4 KiB WB MDL object
 * @count: cycles
 * @ns: the time of all of them
 *
 * Returns: STATUS_SUCCESS or the failing NTSTATUS.
 */
int bench_cb_create_destroy(unsigned int count, u64 *ns)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[BENCH_ADAPTER_VIRT];
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT Create;
	u64 t0 = ktime_get_ns();
	NTSTATUS Status;
	unsigned int i;

	for (i = 0; i < count; i++) {
		Status = BenchCreate(Adapter, BENCH_MDL, PAGE_SIZE, BENCH_WB, FALSE,
				     0, &Create);
		if (!NT_SUCCESS(Status))
			return Status;
		BenchDestroy(Adapter, Create.hPhysicalMemoryObject, NULL);
	}
	*ns = ktime_get_ns() - t0;
	return STATUS_SUCCESS;
}

/**
 * bench_cb_open_close - @count Open+Close of a live object on the adapter
 * @hpmo: a live object, not open on any adapter
 * @count: cycles
 * @ns: the time of all of them
 *
 * The handle lookups: the PMO's in Open, the new AMO's in Close.
 *
 * Returns: STATUS_SUCCESS or the NTSTATUS of the failing Open.
 */
int bench_cb_open_close(void *hpmo, unsigned int count, u64 *ns)
{
	PBENCH_ADAPTER Adapter = &BenchAdapters[BENCH_ADAPTER_VIRT];
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT Open;
	DXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT Close;
	u64 t0 = ktime_get_ns();
	NTSTATUS Status;
	unsigned int i;

	for (i = 0; i < count; i++) {
		Open.hPhysicalMemoryObject = hpmo;
		Open.hAdapter = Dxgk->DeviceHandle;
		Open.hAdapterMemoryObject = NULL;
		Status = Dxgk->DxgkCbOpenPhysicalMemoryObject(&Open);
		if (!NT_SUCCESS(Status))
			return Status;
		Close.hAdapterMemoryObject = Open.hAdapterMemoryObject;
		Dxgk->DxgkCbClosePhysicalMemoryObject(&Close);
	}
	*ns = ktime_get_ns() - t0;
	return STATUS_SUCCESS;
}
