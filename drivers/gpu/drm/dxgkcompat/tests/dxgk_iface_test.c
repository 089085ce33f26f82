// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: DXGKRNL_INTERFACE completeness and version gating.
 */

#include <kunit/test.h>
#include <linux/slab.h>

#include "../dxgk_drv.h"

#define TEST_HANDLE ((HANDLE)(uintptr_t)0x1234)

static const void *slot_ptr(const DXGKRNL_INTERFACE *iface, unsigned int i)
{
	return *(const void *const *)((const void *)iface +
				      dxgk_iface_slots[i].offset);
}

static void slot_clear(DXGKRNL_INTERFACE *iface, size_t offset)
{
	*(void **)((void *)iface + offset) = NULL;
}

/* Every slot of the WDK table is described, in order, 8 bytes apart. */
static void iface_table_matches_struct(struct kunit *test)
{
	unsigned int i;

	KUNIT_EXPECT_EQ(test, dxgk_iface_nslots, 70U);
	KUNIT_EXPECT_EQ(test, (sizeof(DXGKRNL_INTERFACE) - 0x10) / sizeof(void *),
			(size_t)dxgk_iface_nslots);
	for (i = 0; i < dxgk_iface_nslots; i++) {
		KUNIT_EXPECT_EQ_MSG(test, dxgk_iface_slots[i].offset,
				    (size_t)0x10 + i * sizeof(void *), "%s",
				    dxgk_iface_slots[i].name);
		if (i)
			KUNIT_EXPECT_GE_MSG(test, dxgk_iface_slots[i].version,
					    dxgk_iface_slots[i - 1].version,
					    "%s: the WDK appends slots",
					    dxgk_iface_slots[i].name);
	}
	KUNIT_EXPECT_STREQ(test, dxgk_iface_slots[0].name, "DxgkCbEvalAcpiMethod");
	KUNIT_EXPECT_STREQ(test, dxgk_iface_slots[69].name, "DxgkCbDisconnectDoorbell");
	KUNIT_EXPECT_EQ(test, dxgk_iface_slots[60].version,
			(ULONG)DXGKDDI_INTERFACE_VERSION_WDDM2_9);
}

/* dxgk_iface_init() fills every slot and the header. */
static void iface_all_slots_filled(struct kunit *test)
{
	DXGKRNL_INTERFACE *iface = kunit_kzalloc(test, sizeof(*iface), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, iface);
	dxgk_iface_init(iface, TEST_HANDLE);
	KUNIT_EXPECT_EQ(test, iface->Size, (ULONG)sizeof(DXGKRNL_INTERFACE));
	KUNIT_EXPECT_EQ(test, iface->Size, 0x240U);
	KUNIT_EXPECT_PTR_EQ(test, iface->DeviceHandle, TEST_HANDLE);
	KUNIT_EXPECT_EQ(test, iface->Version, 0x10004U);	/* WDDM 3.1 */
	for (i = 0; i < dxgk_iface_nslots; i++)
		KUNIT_EXPECT_NOT_NULL_MSG(test, slot_ptr(iface, i), "%s",
					  dxgk_iface_slots[i].name);
}

/* Emptying a slot lowers Version to the last version before that slot. */
static void iface_version_gating(struct kunit *test)
{
	static const struct {
		size_t offset;
		ULONG expect;
	} cases[] = {
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbDisconnectDoorbell), 0xF003 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbCreatePhysicalMemoryObject), 0xD001 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbFreeAdl), 0xD001 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbNotifyCursorSupportChange), 0xC004 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbAllocateContiguousMemory), 0x8001 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbMapContextAllocation), 0x4003 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbCreateContextAllocation), 0x2005 },
		{ offsetof(DXGKRNL_INTERFACE, DxgkCbEvalAcpiMethod), 0 },
	};
	DXGKRNL_INTERFACE *iface = kunit_kzalloc(test, sizeof(*iface), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, iface);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		dxgk_iface_init(iface, TEST_HANDLE);
		slot_clear(iface, cases[i].offset);
		KUNIT_EXPECT_EQ_MSG(test, dxgk_iface_version(iface), cases[i].expect,
				    "slot at %#zx emptied", cases[i].offset);
	}

	/* Two holes: the older one decides. */
	dxgk_iface_init(iface, TEST_HANDLE);
	slot_clear(iface, offsetof(DXGKRNL_INTERFACE, DxgkCbAllocateAdl));
	slot_clear(iface, offsetof(DXGKRNL_INTERFACE, DxgkCbSignalEvent));
	KUNIT_EXPECT_EQ(test, dxgk_iface_version(iface), 0x9006U);
}

/*
 * Call the stub in the slot at @offset with empty arguments, the way a
 * miniport would call a callback the port does not implement. Only slots
 * that return an NTSTATUS are called: the others warn once by design.
 * Returns false for a slot it does not call.
 */
static bool iface_call_status_slot(const DXGKRNL_INTERFACE *f, size_t offset,
				   NTSTATUS *status)
{
	const HANDLE h = TEST_HANDLE;

	switch (offset) {
	case offsetof(DXGKRNL_INTERFACE, DxgkCbEvalAcpiMethod):
		*status = f->DxgkCbEvalAcpiMethod(h, 0, NULL, 0, NULL, 0);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbIndicateChildStatus):
		*status = f->DxgkCbIndicateChildStatus(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbQueryServices):
		*status = f->DxgkCbQueryServices(h, 0, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbIsDevicePresent):
		*status = f->DxgkCbIsDevicePresent(h, NULL, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbQueryVidPnInterface):
		*status = f->DxgkCbQueryVidPnInterface(NULL, 0, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbQueryMonitorInterface):
		*status = f->DxgkCbQueryMonitorInterface(h, 0, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbGetCaptureAddress):
		*status = f->DxgkCbGetCaptureAddress(NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbExcludeAdapterAccess):
		*status = f->DxgkCbExcludeAdapterAccess(h, 0, NULL, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbCreateContextAllocation):
		*status = f->DxgkCbCreateContextAllocation(NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbDestroyContextAllocation):
		*status = f->DxgkCbDestroyContextAllocation(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbSetPowerComponentActive):
		*status = f->DxgkCbSetPowerComponentActive(h, 0);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbSetPowerComponentIdle):
		*status = f->DxgkCbSetPowerComponentIdle(h, 0);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbAcquirePostDisplayOwnership):
		*status = f->DxgkCbAcquirePostDisplayOwnership(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbPowerRuntimeControlRequest):
		*status = f->DxgkCbPowerRuntimeControlRequest(h, NULL, NULL, 0,
							      NULL, 0, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbUpdateContextAllocation):
		*status = f->DxgkCbUpdateContextAllocation(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbReserveGpuVirtualAddressRange):
		*status = f->DxgkCbReserveGpuVirtualAddressRange(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbIndicateConnectorChange):
		*status = f->DxgkCbIndicateConnectorChange(h);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbAcquirePostDisplayOwnership2):
		*status = f->DxgkCbAcquirePostDisplayOwnership2(h, NULL, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbAllocateContiguousMemory):
		*status = f->DxgkCbAllocateContiguousMemory(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbFreeContiguousMemory):
		*status = f->DxgkCbFreeContiguousMemory(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbAllocatePagesForMdl):
		*status = f->DxgkCbAllocatePagesForMdl(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbFreePagesFromMdl):
		*status = f->DxgkCbFreePagesFromMdl(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbPinFrameBufferForSave):
		*status = f->DxgkCbPinFrameBufferForSave(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbUnpinFrameBufferForSave):
		*status = f->DxgkCbUnpinFrameBufferForSave(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbMapFrameBufferPointer):
		*status = f->DxgkCbMapFrameBufferPointer(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbUnmapFrameBufferPointer):
		*status = f->DxgkCbUnmapFrameBufferPointer(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbMapMdlToIoMmu):
		*status = f->DxgkCbMapMdlToIoMmu(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbReportDiagnostic):
		*status = f->DxgkCbReportDiagnostic(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbSignalEvent):
		*status = f->DxgkCbSignalEvent(NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbIsFeatureEnabled):
		*status = f->DxgkCbIsFeatureEnabled(NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbSaveMemoryForHotUpdate):
		*status = f->DxgkCbSaveMemoryForHotUpdate(h, NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbNotifyCursorSupportChange):
		*status = f->DxgkCbNotifyCursorSupportChange(NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbQueryFeatureSupport):
		*status = f->DxgkCbQueryFeatureSupport(NULL);
		break;
	case offsetof(DXGKRNL_INTERFACE, DxgkCbPinFrameBufferForSave2):
		*status = f->DxgkCbPinFrameBufferForSave2(h, NULL);
		break;
	default:
		return false;
	}
	return true;
}

/*
 * The slots the port implements, from a list kept here and not from the
 * table's own flag: the flag must agree with it, and every other slot that
 * returns an NTSTATUS is called and must refuse with STATUS_NOT_SUPPORTED
 * (a slot implemented without updating the list fails here). The slots
 * that return no status (void, a pointer or a handle) warn once when
 * called, so they are listed instead and not called.
 */
static void iface_stubs(struct kunit *test)
{
	static const char *const implemented[] = {
		"DxgkCbGetDeviceInformation", "DxgkCbMapMemory",
		"DxgkCbUnmapMemory", "DxgkCbReadDeviceSpace",
		"DxgkCbWriteDeviceSpace", "DxgkCbCreatePhysicalMemoryObject",
		"DxgkCbDestroyPhysicalMemoryObject", "DxgkCbMapPhysicalMemory",
		"DxgkCbUnmapPhysicalMemory", "DxgkCbOpenPhysicalMemoryObject",
		"DxgkCbClosePhysicalMemoryObject", "DxgkCbAllocateAdl",
		"DxgkCbFreeAdl", "DxgkCbQueueDpc", "DxgkCbSynchronizeExecution",
		"DxgkCbNotifyInterrupt", "DxgkCbNotifyDpc",
		"DxgkCbAllocateContiguousMemory", "DxgkCbFreeContiguousMemory",
		"DxgkCbAllocatePagesForMdl", "DxgkCbFreePagesFromMdl",
		"DxgkCbMapMdlToIoMmu", "DxgkCbUnmapMdlFromIoMmu",
	};
	static const char *const no_status[] = {
		"DxgkCbGetHandleData", "DxgkCbGetHandleParent",
		"DxgkCbEnumHandleChildren", "DxgkCbLogEtwEvent",
		"DxgkCbSetPowerComponentLatency", "DxgkCbSetPowerComponentResidency",
		"DxgkCbCompleteFStateTransition", "DxgkCbCompletePStateTransition",
		"DxgkCbMapContextAllocation", "DxgkCbAcquireHandleData",
		"DxgkCbReleaseHandleData", "DxgkCbHardwareContentProtectionTeardown",
		"DxgkCbMultiPlaneOverlayDisabled", "DxgkCbMitigatedRangeUpdate",
		"DxgkCbInvalidateHwContext", "DxgkCbUnblockUEFIFrameBufferRanges",
		"DxgkCbSetProtectedSessionStatus", "DxgkCbDisconnectDoorbell",
	};
	DXGKRNL_INTERFACE *iface = kunit_kzalloc(test, sizeof(*iface), GFP_KERNEL);
	unsigned int i, j, n = 0, called = 0, listed = 0;
	NTSTATUS status;

	KUNIT_ASSERT_NOT_NULL(test, iface);
	dxgk_iface_init(iface, TEST_HANDLE);
	for (i = 0; i < dxgk_iface_nslots; i++) {
		const struct dxgk_iface_slot *slot = &dxgk_iface_slots[i];
		bool impl = false, silent = false;

		for (j = 0; j < ARRAY_SIZE(implemented); j++)
			impl |= !strcmp(slot->name, implemented[j]);
		for (j = 0; j < ARRAY_SIZE(no_status); j++)
			silent |= !strcmp(slot->name, no_status[j]);
		KUNIT_EXPECT_EQ_MSG(test, slot->implemented, impl, "%s", slot->name);
		n += slot->implemented;
		if (impl)
			continue;
		if (iface_call_status_slot(iface, slot->offset, &status)) {
			KUNIT_EXPECT_EQ_MSG(test, (u32)status, (u32)STATUS_NOT_SUPPORTED,
					    "%s", slot->name);
			KUNIT_EXPECT_FALSE_MSG(test, silent, "%s", slot->name);
			called++;
		} else {
			KUNIT_EXPECT_TRUE_MSG(test, silent,
					      "%s: not implemented, neither called nor listed",
					      slot->name);
			listed++;
		}
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(implemented));
	KUNIT_EXPECT_EQ(test, listed, (unsigned int)ARRAY_SIZE(no_status));
	KUNIT_EXPECT_EQ(test, n + called + listed, dxgk_iface_nslots);
	KUNIT_EXPECT_EQ(test, called, 29U);
}

static struct kunit_case dxgk_iface_cases[] = {
	KUNIT_CASE(iface_table_matches_struct),
	KUNIT_CASE(iface_all_slots_filled),
	KUNIT_CASE(iface_version_gating),
	KUNIT_CASE(iface_stubs),
	{}
};

static struct kunit_suite dxgk_iface_suite = {
	.name = "dxgkcompat_iface",
	.test_cases = dxgk_iface_cases,
};

kunit_test_suite(dxgk_iface_suite);
