// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: x64 layouts of the WDK structures the port shares with miniport
 * code. The headers also static_assert them at build time; this suite
 * reports each row, so a header change that moved a field shows up by name
 * in the test results even in a build that dropped the assertions.
 */

#include <kunit/test.h>
#include <linux/stddef.h>

#include "../dxgk_drv.h"

struct dxgk_layout_row {
	const char *what;
	size_t actual;
	size_t expected;
};

#define OFF(type, member, off) { #type "." #member, offsetof(type, member), off }
#define SIZE(type, size) { "sizeof(" #type ")", sizeof(type), size }

static const struct dxgk_layout_row dxgk_layout_rows[] = {
	/* Windows widths */
	SIZE(ULONG, 4), SIZE(LONG, 4), SIZE(USHORT, 2), SIZE(UCHAR, 1),
	SIZE(BOOLEAN, 1), SIZE(HANDLE, 8), SIZE(SIZE_T, 8), SIZE(ULONG_PTR, 8),
	SIZE(NTSTATUS, 4), SIZE(PHYSICAL_ADDRESS, 8), SIZE(LARGE_INTEGER, 8),
	SIZE(DXGK_MEMORY_CACHING_TYPE, 4), SIZE(DXGK_PHYSICAL_MEMORY_TYPE, 4),
	SIZE(DXGK_ACCESS_MODE, 4), SIZE(MEMORY_CACHING_TYPE, 4),
	SIZE(DXGK_PAGE_NUMBER, 8),

	/* DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT */
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, hAdapter, 0x00),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Size, 0x08),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Context, 0x10),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Type, 0x18),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, CacheType, 0x1C),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Mdl.LowAddress, 0x20),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Mdl.HighAddress, 0x28),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Mdl.SkipBytes, 0x30),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Mdl.Flags, 0x38),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT,
	    ContiguousMemory.LowestAcceptableAddress, 0x20),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT,
	    ContiguousMemory.HighestAcceptableAddress, 0x28),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT,
	    ContiguousMemory.BoundaryAddressMultiple, 0x30),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Section.DesiredAccess, 0x20),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Section.ObjectAttributes, 0x28),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, Section.PageProtection, 0x30),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT,
	    Section.AllocationAttributes, 0x34),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, IOSpace.BaseAddress, 0x20),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, hPhysicalMemoryObject, 0x40),
	OFF(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, hAdapterMemoryObject, 0x48),
	SIZE(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT, 0x50),

	/* Destroy, Map, Unmap */
	OFF(DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT, hPhysicalMemoryObject, 0x00),
	OFF(DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT, hAdapterMemoryObject, 0x08),
	SIZE(DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT, 0x10),
	OFF(DXGKARGCB_MAP_PHYSICAL_MEMORY, hPhysicalMemoryObject, 0x00),
	OFF(DXGKARGCB_MAP_PHYSICAL_MEMORY, AccessMode, 0x08),
	OFF(DXGKARGCB_MAP_PHYSICAL_MEMORY, Offset, 0x10),
	OFF(DXGKARGCB_MAP_PHYSICAL_MEMORY, Size, 0x18),
	OFF(DXGKARGCB_MAP_PHYSICAL_MEMORY, pMappedAddress, 0x20),
	SIZE(DXGKARGCB_MAP_PHYSICAL_MEMORY, 0x28),
	OFF(DXGKARGCB_UNMAP_PHYSICAL_MEMORY, hPhysicalMemoryObject, 0x00),
	OFF(DXGKARGCB_UNMAP_PHYSICAL_MEMORY, pBaseAddress, 0x08),
	OFF(DXGKARGCB_UNMAP_PHYSICAL_MEMORY, Size, 0x10),
	SIZE(DXGKARGCB_UNMAP_PHYSICAL_MEMORY, 0x18),

	/* Open, Close, AllocateAdl, FreeAdl, DXGK_ADL */
	OFF(DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT, hPhysicalMemoryObject, 0x00),
	OFF(DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT, hAdapter, 0x08),
	OFF(DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT, hAdapterMemoryObject, 0x10),
	SIZE(DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT, 0x18),
	SIZE(DXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT, 0x08),
	OFF(DXGKARGCB_ALLOCATE_ADL, hAdapterMemoryObject, 0x00),
	OFF(DXGKARGCB_ALLOCATE_ADL, Offset, 0x08),
	OFF(DXGKARGCB_ALLOCATE_ADL, Size, 0x10),
	OFF(DXGKARGCB_ALLOCATE_ADL, Flags, 0x18),
	OFF(DXGKARGCB_ALLOCATE_ADL, pAdl, 0x20),
	SIZE(DXGKARGCB_ALLOCATE_ADL, 0x28),
	OFF(DXGKARGCB_FREE_ADL, hAdapterMemoryObject, 0x00),
	OFF(DXGKARGCB_FREE_ADL, pAdl, 0x08),
	SIZE(DXGKARGCB_FREE_ADL, 0x10),
	OFF(DXGK_ADL, PageCount, 0x00),
	OFF(DXGK_ADL, Flags, 0x04),
	OFF(DXGK_ADL, BasePageNumber, 0x08),
	OFF(DXGK_ADL, Pages, 0x08),
	SIZE(DXGK_ADL, 0x10),
	SIZE(DXGK_ADL_FLAGS, 4),
	SIZE(DXGK_IOMMU_CAPS, 4),
	SIZE(DXGK_PHYSICAL_MEMORY_CAPS, 8),

	/* WDDM 2.4 isolation family */
	OFF(DXGKARGCB_ALLOCATEPAGESFORMDL, LowAddress, 0x00),
	OFF(DXGKARGCB_ALLOCATEPAGESFORMDL, TotalBytes, 0x18),
	OFF(DXGKARGCB_ALLOCATEPAGESFORMDL, CacheType, 0x20),
	OFF(DXGKARGCB_ALLOCATEPAGESFORMDL, Flags, 0x24),
	OFF(DXGKARGCB_ALLOCATEPAGESFORMDL, hMemoryHandle, 0x28),
	OFF(DXGKARGCB_ALLOCATEPAGESFORMDL, pMdl, 0x30),
	SIZE(DXGKARGCB_ALLOCATEPAGESFORMDL, 0x38),
	OFF(DXGKARGCB_ALLOCATECONTIGUOUSMEMORY, NumberOfBytes, 0x00),
	OFF(DXGKARGCB_ALLOCATECONTIGUOUSMEMORY, BoundaryAddressMultiple, 0x18),
	OFF(DXGKARGCB_ALLOCATECONTIGUOUSMEMORY, CacheType, 0x20),
	OFF(DXGKARGCB_ALLOCATECONTIGUOUSMEMORY, hMemoryHandle, 0x28),
	OFF(DXGKARGCB_ALLOCATECONTIGUOUSMEMORY, pMemory, 0x30),
	SIZE(DXGKARGCB_ALLOCATECONTIGUOUSMEMORY, 0x38),
	SIZE(DXGKARGCB_MAPMDLTOIOMMU, 0x10),

	/* DXGKRNL_INTERFACE: header, first, Vista-last, 2.4, 2.9, last */
	OFF(DXGKRNL_INTERFACE, Size, 0x000),
	OFF(DXGKRNL_INTERFACE, Version, 0x004),
	OFF(DXGKRNL_INTERFACE, DeviceHandle, 0x008),
	OFF(DXGKRNL_INTERFACE, DxgkCbEvalAcpiMethod, 0x010),
	OFF(DXGKRNL_INTERFACE, DxgkCbMapMemory, 0x028),
	OFF(DXGKRNL_INTERFACE, DxgkCbExcludeAdapterAccess, 0x0B0),
	OFF(DXGKRNL_INTERFACE, DxgkCbAcquirePostDisplayOwnership, 0x0D8),
	OFF(DXGKRNL_INTERFACE, DxgkCbAcquirePostDisplayOwnership2, 0x160),
	OFF(DXGKRNL_INTERFACE, DxgkCbAllocateContiguousMemory, 0x170),
	OFF(DXGKRNL_INTERFACE, DxgkCbReportDiagnostic, 0x1C0),
	OFF(DXGKRNL_INTERFACE, DxgkCbCreatePhysicalMemoryObject, 0x1F0),
	OFF(DXGKRNL_INTERFACE, DxgkCbAllocateAdl, 0x210),
	OFF(DXGKRNL_INTERFACE, DxgkCbPinFrameBufferForSave2, 0x230),
	OFF(DXGKRNL_INTERFACE, DxgkCbDisconnectDoorbell, 0x238),
	SIZE(DXGKRNL_INTERFACE, 0x240),

	/* Resource lists: pack(4) descriptors */
	OFF(CM_PARTIAL_RESOURCE_DESCRIPTOR, u, 0x04),
	SIZE(CM_PARTIAL_RESOURCE_DESCRIPTOR, 20),
	OFF(CM_PARTIAL_RESOURCE_LIST, PartialDescriptors, 0x08),
	OFF(CM_FULL_RESOURCE_DESCRIPTOR, PartialResourceList, 0x08),
	OFF(CM_RESOURCE_LIST, List, 0x04),
	SIZE(UNICODE_STRING, 16),
};

static void dxgk_layout_row_desc(const struct dxgk_layout_row *row, char *desc)
{
	strscpy(desc, row->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(dxgk_layout, dxgk_layout_rows, dxgk_layout_row_desc);

static void dxgk_layout_check(struct kunit *test)
{
	const struct dxgk_layout_row *row = test->param_value;

	KUNIT_EXPECT_EQ_MSG(test, row->actual, row->expected, "%s", row->what);
}

static void dxgk_layout_adl_flags_bits(struct kunit *test)
{
	DXGKARGCB_ALLOCATE_ADL adl = { 0 };
	DXGK_ADL_FLAGS flags = { .Value = 0 };
	DXGK_IOMMU_CAPS caps = { .Value = 0 };

	adl.Flags.PreferContiguous = 1;
	KUNIT_EXPECT_EQ(test, adl.Flags.Value, 2U);
	adl.Flags.Value = 0;
	adl.Flags.RequireContiguous = 1;
	KUNIT_EXPECT_EQ(test, adl.Flags.Value, 1U);
	flags.Contiguous = 1;
	KUNIT_EXPECT_EQ(test, flags.Value, 1U);
	caps.DmaRemappingSupported = 1;
	KUNIT_EXPECT_EQ(test, caps.Value, 4U);
	caps.Value = 0;
	caps.IommuIsolationRequired = 1;
	KUNIT_EXPECT_EQ(test, caps.Value, 2U);
}

static struct kunit_case dxgk_layout_cases[] = {
	KUNIT_CASE_PARAM(dxgk_layout_check, dxgk_layout_gen_params),
	KUNIT_CASE(dxgk_layout_adl_flags_bits),
	{}
};

static struct kunit_suite dxgk_layout_suite = {
	.name = "dxgkcompat_layout",
	.test_cases = dxgk_layout_cases,
};

kunit_test_suite(dxgk_layout_suite);
