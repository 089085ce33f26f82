// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the miniport lifecycle, driven by a virtual test miniport that
 * records every DDI the port calls ("A"dd, "Q"ueryAdapterInfo, "S"tart,
 * s"T"op, "R"emove, "U"nload) and fails on request.
 */

#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>

#include "../dxgk_drv.h"

#define LC_NAME "dxgk_kunit"

static struct {
	char log[32];
	NTSTATUS add_status;
	NTSTATUS start_status;
	LONGLONG hva;
	ULONG iommu_caps;
	/* what the miniport saw in StartDevice */
	ULONG iface_version;
	ULONG iface_size;
	NTSTATUS devinfo_status;
	PCM_RESOURCE_LIST devinfo_resources;
	NTSTATUS readspace_status;
	NTSTATUS mapmem_status;
	bool entry_calls_initialize;
	NTSTATUS entry_status;
	bool registry_path_ok;
	DXGKRNL_INTERFACE iface;	/* as StartDevice received it */
} lc;

static DRIVER_OBJECT lc_drvobj = {
	.Owner = THIS_MODULE,
	.DriverName = LC_NAME,
};

static void lc_log(char c)
{
	size_t n = strlen(lc.log);

	if (n < sizeof(lc.log) - 1)
		lc.log[n] = c;
}

static NTSTATUS lc_add_device(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			      PVOID *MiniportDeviceContext)
{
	lc_log('A');
	*MiniportDeviceContext = &lc;
	return lc.add_status;
}

static NTSTATUS lc_start_device(IN_CONST_PVOID MiniportDeviceContext,
				IN_PDXGK_START_INFO DxgkStartInfo,
				IN_PDXGKRNL_INTERFACE DxgkInterface,
				PULONG NumberOfVideoPresentSources,
				PULONG NumberOfChildren)
{
	const DXGKRNL_INTERFACE *cb = DxgkInterface;
	DXGK_DEVICE_INFO info;
	PHYSICAL_ADDRESS pa = { .QuadPart = 0xfe000000 };
	PVOID va = NULL;
	ULONG bytes = 0;
	UCHAR buf[4];

	lc_log('S');
	lc.iface = *DxgkInterface;
	lc.iface_version = DxgkInterface->Version;
	lc.iface_size = DxgkInterface->Size;
	lc.devinfo_status = cb->DxgkCbGetDeviceInformation(cb->DeviceHandle, &info);
	lc.devinfo_resources = info.TranslatedResourceList;
	lc.readspace_status = cb->DxgkCbReadDeviceSpace(cb->DeviceHandle,
							DXGK_WHICHSPACE_CONFIG,
							buf, 0, sizeof(buf), &bytes);
	lc.mapmem_status = cb->DxgkCbMapMemory(cb->DeviceHandle, pa, PAGE_SIZE,
					       FALSE, FALSE, MmNonCached, &va);
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return lc.start_status;
}

static NTSTATUS lc_stop_device(IN_CONST_PVOID MiniportDeviceContext)
{
	lc_log('T');
	return STATUS_SUCCESS;
}

static NTSTATUS lc_remove_device(IN_CONST_PVOID MiniportDeviceContext)
{
	lc_log('R');
	return STATUS_SUCCESS;
}

static NTSTATUS lc_query_adapter_info(IN_CONST_HANDLE hAdapter,
				      IN_CONST_PDXGKARG_QUERYADAPTERINFO qai)
{
	lc_log('Q');
	switch (qai->Type) {
	case DXGKQAITYPE_PHYSICAL_MEMORY_CAPS:
		((DXGK_PHYSICAL_MEMORY_CAPS *)qai->pOutputData)->HighestVisibleAddress.QuadPart =
			lc.hva;
		return STATUS_SUCCESS;
	case DXGKQAITYPE_IOMMU_CAPS:
		((DXGK_IOMMU_CAPS *)qai->pOutputData)->Value = lc.iommu_caps;
		return STATUS_SUCCESS;
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

static VOID lc_unload(VOID)
{
	lc_log('U');
}

static DRIVER_INITIALIZATION_DATA lc_init_data(void)
{
	DRIVER_INITIALIZATION_DATA init = {
		.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9,
		.DxgkDdiAddDevice = lc_add_device,
		.DxgkDdiStartDevice = lc_start_device,
		.DxgkDdiStopDevice = lc_stop_device,
		.DxgkDdiRemoveDevice = lc_remove_device,
		.DxgkDdiQueryAdapterInfo = lc_query_adapter_info,
		.DxgkDdiUnload = lc_unload,
	};
	return init;
}

static NTSTATUS lc_initialize(void)
{
	DRIVER_INITIALIZATION_DATA init = lc_init_data();

	return DxgkInitialize(&lc_drvobj, NULL, &init);
}

static unsigned int lc_base_adapters;

static int lc_test_init(struct kunit *test)
{
	memset(&lc, 0, sizeof(lc));
	lc.hva = -1;
	lc_drvobj.PortPrivate = NULL;
	lc_base_adapters = dxgk_port_adapter_count();
	return 0;
}

static void lc_test_exit(struct kunit *test)
{
	dxgk_miniport_module_exit(&lc_drvobj);
}

/* The DMA mask the port set on the test miniport's platform device. */
static u64 lc_dma_mask(struct kunit *test)
{
	struct device *dev;
	u64 mask;

	dev = bus_find_device_by_name(&platform_bus_type, NULL, LC_NAME);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	mask = dma_get_mask(dev);
	put_device(dev);
	return mask;
}

static void lc_start_stop(struct kunit *test)
{
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQS");
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters + 1);
	KUNIT_EXPECT_EQ(test, lc.iface_version,
			(ULONG)DXGKDDI_INTERFACE_VERSION_WDDM3_1);
	KUNIT_EXPECT_EQ(test, lc.iface_size, (ULONG)sizeof(DXGKRNL_INTERFACE));
	/* A virtual adapter: no resources, no config space, no BARs. */
	KUNIT_EXPECT_EQ(test, (u32)lc.devinfo_status, (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_NULL(test, lc.devinfo_resources);
	KUNIT_EXPECT_EQ(test, (u32)lc.readspace_status, (u32)STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, (u32)lc.mapmem_status, (u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, lc_dma_mask(test), DMA_BIT_MASK(64));

	dxgk_miniport_module_exit(&lc_drvobj);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQSTRU");
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters);
	KUNIT_EXPECT_NULL(test, lc_drvobj.PortPrivate);
}

/*
 * A miniport that keeps its DeviceHandle past RemoveDevice: every callback
 * refuses the stale handle as misuse, and nothing is created for it.
 */
static void lc_stale_device_handle(struct kunit *test)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT c = {
		.Size = PAGE_SIZE,
		.Type = DXGK_PHYSICAL_MEMORY_TYPE_MDL,
		.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED,
	};
	const DXGKRNL_INTERFACE *cb = &lc.iface;
	PHYSICAL_ADDRESS pa = { .QuadPart = 0xfe000000 };
	unsigned int misuse, pmos = dxgk_pmo_count();
	DXGK_DEVICE_INFO info;
	PVOID va = NULL;
	ULONG bytes = 5;
	NTSTATUS status;
	UCHAR buf[4];
	BOOLEAN ret;

	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, cb->DeviceHandle);
	dxgk_miniport_module_exit(&lc_drvobj);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQSTRU");

	dxgk_misuse_set_warn(false);
	misuse = dxgk_misuse_count();
	KUNIT_EXPECT_EQ(test, (u32)cb->DxgkCbGetDeviceInformation(cb->DeviceHandle, &info),
			(u32)STATUS_INVALID_PARAMETER);
	status = cb->DxgkCbReadDeviceSpace(cb->DeviceHandle, DXGK_WHICHSPACE_CONFIG,
					   buf, 0, 4, &bytes);
	KUNIT_EXPECT_EQ(test, (u32)status, (u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, (u32)cb->DxgkCbMapMemory(cb->DeviceHandle, pa, PAGE_SIZE,
						       FALSE, FALSE, MmNonCached, &va),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, va);
	c.hAdapter = cb->DeviceHandle;
	KUNIT_EXPECT_EQ(test, (u32)cb->DxgkCbCreatePhysicalMemoryObject(&c),
			(u32)STATUS_INVALID_HANDLE);
	status = cb->DxgkCbSynchronizeExecution(cb->DeviceHandle, NULL, NULL, 0, &ret);
	KUNIT_EXPECT_NE(test, (u32)status, (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, cb->DxgkCbQueueDpc(cb->DeviceHandle));
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 6);
	dxgk_misuse_set_warn(true);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), pmos);
}

static void lc_add_device_fails(struct kunit *test)
{
	lc.add_status = STATUS_NO_MEMORY;
	/* DxgkInitialize succeeds: the device, not the driver, fails. */
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_STREQ(test, lc.log, "A");
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters);
	dxgk_miniport_module_exit(&lc_drvobj);
	KUNIT_EXPECT_STREQ(test, lc.log, "AU");
}

static void lc_start_device_fails(struct kunit *test)
{
	lc.start_status = STATUS_DEVICE_DOES_NOT_EXIST;
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQSR");
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters);
	dxgk_miniport_module_exit(&lc_drvobj);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQSRU");
}

static void lc_isolation_required(struct kunit *test)
{
	DXGK_IOMMU_CAPS caps = { .Value = 0 };

	/* A virtual adapter has no IOMMU: an isolation-only miniport fails. */
	caps.IommuIsolationSupported = 1;
	caps.IommuIsolationRequired = 1;
	lc.iommu_caps = caps.Value;
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQR");
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters);
}

static void lc_bad_highest_visible_address(struct kunit *test)
{
	lc.hva = 0;
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQR");
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters);
}

static void lc_dma_mask_from_caps(struct kunit *test)
{
	lc.hva = 0x0FFFFFFF;
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, lc_dma_mask(test), DMA_BIT_MASK(28));
	dxgk_miniport_module_exit(&lc_drvobj);

	/* Not 2^n - 1: the largest such mask below it. */
	lc.hva = 0x17FFFFFFFLL;
	memset(lc.log, 0, sizeof(lc.log));
	KUNIT_ASSERT_EQ(test, (u32)lc_initialize(), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, lc_dma_mask(test), DMA_BIT_MASK(32));
}

static void lc_no_query_adapter_info(struct kunit *test)
{
	DRIVER_INITIALIZATION_DATA init = lc_init_data();

	init.DxgkDdiQueryAdapterInfo = NULL;
	KUNIT_ASSERT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_STREQ(test, lc.log, "AS");
	KUNIT_EXPECT_EQ(test, lc_dma_mask(test), DMA_BIT_MASK(64));
}

static void lc_initialize_rejects(struct kunit *test)
{
	DRIVER_INITIALIZATION_DATA init = lc_init_data();

	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(NULL, NULL, &init),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, NULL),
			(u32)STATUS_INVALID_PARAMETER);

	init.Version = 0x1000;
	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_REVISION_MISMATCH);
	init.Version = DXGKDDI_INTERFACE_VERSION_WDDM3_1 + 1;
	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_REVISION_MISMATCH);

	init = lc_init_data();
	init.DxgkDdiStartDevice = NULL;
	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_INVALID_PARAMETER);
	init = lc_init_data();
	init.DxgkDdiUnload = NULL;
	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_STREQ(test, lc.log, "");
	KUNIT_EXPECT_NULL(test, lc_drvobj.PortPrivate);

	/* The oldest version is accepted; a second call is not. */
	init = lc_init_data();
	init.Version = DXGKDDI_INTERFACE_VERSION_VISTA;
	KUNIT_ASSERT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, (u32)DxgkInitialize(&lc_drvobj, NULL, &init),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQS");
}

static NTSTATUS lc_driver_entry(PDRIVER_OBJECT DriverObject,
				PUNICODE_STRING RegistryPath)
{
	static const char expect[] =
		"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\" LC_NAME;
	NTSTATUS status = STATUS_SUCCESS;
	size_t i, n = strlen(expect);

	lc.registry_path_ok = RegistryPath->Length == n * sizeof(WCHAR);
	for (i = 0; lc.registry_path_ok && i < n; i++)
		lc.registry_path_ok = RegistryPath->Buffer[i] == (WCHAR)expect[i];

	if (lc.entry_calls_initialize)
		status = lc_initialize();
	if (!NT_SUCCESS(status))
		return status;
	return lc.entry_status;
}

static void lc_module_init(struct kunit *test)
{
	/* DriverEntry with DxgkInitialize: the module loads. */
	lc.entry_calls_initialize = true;
	KUNIT_EXPECT_EQ(test, dxgk_miniport_module_init(&lc_drvobj, lc_driver_entry),
			0);
	KUNIT_EXPECT_TRUE(test, lc.registry_path_ok);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQS");
	dxgk_miniport_module_exit(&lc_drvobj);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQSTRU");

	/* DriverEntry that forgot DxgkInitialize: refused. */
	memset(lc.log, 0, sizeof(lc.log));
	lc.entry_calls_initialize = false;
	KUNIT_EXPECT_EQ(test, dxgk_miniport_module_init(&lc_drvobj, lc_driver_entry),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, lc.log, "");

	/*
	 * DriverEntry that fails after DxgkInitialize: the port undoes the
	 * registration and, as Windows, does not call DxgkDdiUnload.
	 */
	lc.entry_calls_initialize = true;
	lc.entry_status = STATUS_INSUFFICIENT_RESOURCES;
	KUNIT_EXPECT_EQ(test, dxgk_miniport_module_init(&lc_drvobj, lc_driver_entry),
			-ENOSPC);
	KUNIT_EXPECT_STREQ(test, lc.log, "AQQSTR");
	KUNIT_EXPECT_NULL(test, lc_drvobj.PortPrivate);
	KUNIT_EXPECT_EQ(test, dxgk_port_adapter_count(), lc_base_adapters);

	/* DriverEntry that fails without DxgkInitialize: nothing to undo. */
	memset(lc.log, 0, sizeof(lc.log));
	lc.entry_calls_initialize = false;
	KUNIT_EXPECT_EQ(test, dxgk_miniport_module_init(&lc_drvobj, lc_driver_entry),
			-ENOSPC);
	KUNIT_EXPECT_STREQ(test, lc.log, "");
}

static struct kunit_case dxgk_lifecycle_cases[] = {
	KUNIT_CASE(lc_start_stop),
	KUNIT_CASE(lc_stale_device_handle),
	KUNIT_CASE(lc_add_device_fails),
	KUNIT_CASE(lc_start_device_fails),
	KUNIT_CASE(lc_isolation_required),
	KUNIT_CASE(lc_bad_highest_visible_address),
	KUNIT_CASE(lc_dma_mask_from_caps),
	KUNIT_CASE(lc_no_query_adapter_info),
	KUNIT_CASE(lc_initialize_rejects),
	KUNIT_CASE(lc_module_init),
	{}
};

static struct kunit_suite dxgk_lifecycle_suite = {
	.name = "dxgkcompat_lifecycle",
	.init = lc_test_init,
	.exit = lc_test_exit,
	.test_cases = dxgk_lifecycle_cases,
};

kunit_test_suite(dxgk_lifecycle_suite);
