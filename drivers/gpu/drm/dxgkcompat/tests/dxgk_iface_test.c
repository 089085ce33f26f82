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

/* The slots the port implements, and stubs that refuse. */
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
	};
	DXGKRNL_INTERFACE *iface = kunit_kzalloc(test, sizeof(*iface), GFP_KERNEL);
	DXGKARGCB_ALLOCATEPAGESFORMDL mdl = { 0 };
	unsigned int i, j, n = 0;
	NTSTATUS status;

	KUNIT_ASSERT_NOT_NULL(test, iface);
	for (i = 0; i < dxgk_iface_nslots; i++) {
		bool expect = false;

		for (j = 0; j < ARRAY_SIZE(implemented); j++)
			expect |= !strcmp(dxgk_iface_slots[i].name, implemented[j]);
		KUNIT_EXPECT_EQ_MSG(test, dxgk_iface_slots[i].implemented, expect,
				    "%s", dxgk_iface_slots[i].name);
		n += dxgk_iface_slots[i].implemented;
	}
	KUNIT_EXPECT_EQ(test, n, (unsigned int)ARRAY_SIZE(implemented));

	dxgk_iface_init(iface, TEST_HANDLE);
	KUNIT_EXPECT_EQ(test, (u32)iface->DxgkCbAllocatePagesForMdl(TEST_HANDLE, &mdl),
			(u32)STATUS_NOT_SUPPORTED);
	status = iface->DxgkCbEvalAcpiMethod(TEST_HANDLE, 0, NULL, 0, NULL, 0);
	KUNIT_EXPECT_EQ(test, (u32)status, (u32)STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, (u32)iface->DxgkCbSetPowerComponentActive(TEST_HANDLE, 0),
			(u32)STATUS_NOT_SUPPORTED);
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
