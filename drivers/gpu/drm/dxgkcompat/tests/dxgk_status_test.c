// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: NTSTATUS <-> errno mapping. The expected NTSTATUS values are
 * written as numbers, so the suite also checks the WDK header's constants.
 */

#include <kunit/test.h>

#include "../dxgk_drv.h"

static const struct {
	u32 status;
	int err;
	bool canonical;	/* errno_to_ntstatus(err) gives status back */
} dxgk_status_cases[] = {
	{ 0xC000000D, -EINVAL, true },		/* STATUS_INVALID_PARAMETER */
	{ 0xC0000017, -ENOMEM, true },		/* STATUS_NO_MEMORY */
	{ 0xC00000BB, -EOPNOTSUPP, true },	/* STATUS_NOT_SUPPORTED */
	{ 0xC0000008, -EBADF, true },		/* STATUS_INVALID_HANDLE */
	{ 0xC0000225, -ENOENT, true },		/* STATUS_NOT_FOUND */
	{ 0xC0000022, -EACCES, true },		/* STATUS_ACCESS_DENIED */
	{ 0xC0000095, -EOVERFLOW, true },	/* STATUS_INTEGER_OVERFLOW */
	{ 0xC000009A, -ENOSPC, true },		/* STATUS_INSUFFICIENT_RESOURCES */
	{ 0xC0000023, -ENOBUFS, true },		/* STATUS_BUFFER_TOO_SMALL */
	{ 0xC0000035, -EEXIST, true },		/* STATUS_OBJECT_NAME_COLLISION */
	{ 0x80000011, -EBUSY, true },		/* STATUS_DEVICE_BUSY */
	{ 0xC000000E, -ENODEV, true },		/* STATUS_NO_SUCH_DEVICE */
	{ 0xC00000C0, -ENXIO, true },		/* STATUS_DEVICE_DOES_NOT_EXIST */
	{ 0xC0000185, -EIO, true },		/* STATUS_IO_DEVICE_ERROR */
	{ 0x00000102, -ETIMEDOUT, true },	/* STATUS_TIMEOUT */
	{ 0xC0000120, -ECANCELED, true },	/* STATUS_CANCELLED */
	{ 0xC0000059, -EPROTO, true },		/* STATUS_REVISION_MISMATCH */
	{ 0xC0000018, -EADDRINUSE, true },	/* STATUS_CONFLICTING_ADDRESSES */
	{ 0xC0000141, -EFAULT, true },		/* STATUS_INVALID_ADDRESS */
	{ 0xC000010A, -ESRCH, true },		/* STATUS_PROCESS_IS_TERMINATING */
	{ 0x80000005, -EMSGSIZE, true },	/* STATUS_BUFFER_OVERFLOW */
	{ 0x00000103, -EINPROGRESS, true },	/* STATUS_PENDING */
	{ 0xC00000EF, -EINVAL, false },		/* STATUS_INVALID_PARAMETER_1 */
	{ 0xC00000F0, -EINVAL, false },		/* STATUS_INVALID_PARAMETER_2 */
	{ 0xC00000F1, -EINVAL, false },		/* STATUS_INVALID_PARAMETER_3 */
	{ 0xC0000010, -EINVAL, false },		/* STATUS_INVALID_DEVICE_REQUEST */
	{ 0xC000001F, -EINVAL, false },		/* STATUS_INVALID_VIEW_SIZE */
	{ 0xC0000019, -EINVAL, false },		/* STATUS_NOT_MAPPED_VIEW */
	{ 0xC0000002, -EOPNOTSUPP, false },	/* STATUS_NOT_IMPLEMENTED */
	{ 0xC0000184, -EBUSY, false },		/* STATUS_INVALID_DEVICE_STATE */
	{ 0xC0000001, -EIO, false },		/* STATUS_UNSUCCESSFUL */
	{ 0xC0000021, -EBUSY, false },		/* STATUS_ALREADY_COMMITTED */
};

static void dxgk_status_to_errno(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dxgk_status_cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    dxgk_ntstatus_to_errno(dxgk_status_cases[i].status),
				    dxgk_status_cases[i].err, "NTSTATUS %#x",
				    dxgk_status_cases[i].status);
}

static void dxgk_status_from_errno(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dxgk_status_cases); i++) {
		if (!dxgk_status_cases[i].canonical)
			continue;
		KUNIT_EXPECT_EQ_MSG(test,
				    (u32)dxgk_errno_to_ntstatus(dxgk_status_cases[i].err),
				    dxgk_status_cases[i].status, "errno %d",
				    dxgk_status_cases[i].err);
	}
}

static void dxgk_status_round_trip(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dxgk_status_cases); i++) {
		int err = dxgk_status_cases[i].err;

		KUNIT_EXPECT_EQ(test,
				dxgk_ntstatus_to_errno(dxgk_errno_to_ntstatus(err)),
				err);
	}
}

static void dxgk_status_defaults(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, dxgk_ntstatus_to_errno(STATUS_SUCCESS), 0);
	KUNIT_EXPECT_EQ(test, (u32)STATUS_SUCCESS, 0U);
	/* A success or informational code with no meaning of its own. */
	KUNIT_EXPECT_EQ(test, dxgk_ntstatus_to_errno((NTSTATUS)0x00000001), 0);
	KUNIT_EXPECT_EQ(test, dxgk_ntstatus_to_errno((NTSTATUS)0x40000000), 0);
	/* Unknown error and warning codes. */
	KUNIT_EXPECT_EQ(test, dxgk_ntstatus_to_errno((NTSTATUS)0xC0001234), -EIO);
	KUNIT_EXPECT_EQ(test, dxgk_ntstatus_to_errno((NTSTATUS)0x8000FFFF), -EIO);
	KUNIT_EXPECT_EQ(test, (u32)dxgk_errno_to_ntstatus(0), 0U);
	KUNIT_EXPECT_EQ(test, (u32)dxgk_errno_to_ntstatus(-EDOM), 0xC0000001U);
	KUNIT_EXPECT_EQ(test, (u32)dxgk_errno_to_ntstatus(-EINTR), 0xC0000120U);
	KUNIT_EXPECT_EQ(test, (u32)dxgk_errno_to_ntstatus(-ERESTARTSYS),
			0xC0000120U);
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(STATUS_SUCCESS));
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(STATUS_TIMEOUT));
	KUNIT_EXPECT_FALSE(test, NT_SUCCESS(STATUS_INVALID_PARAMETER));
	KUNIT_EXPECT_FALSE(test, NT_SUCCESS(STATUS_BUFFER_OVERFLOW));
}

static struct kunit_case dxgk_status_cases_list[] = {
	KUNIT_CASE(dxgk_status_to_errno),
	KUNIT_CASE(dxgk_status_from_errno),
	KUNIT_CASE(dxgk_status_round_trip),
	KUNIT_CASE(dxgk_status_defaults),
	{}
};

static struct kunit_suite dxgk_status_suite = {
	.name = "dxgkcompat_status",
	.test_cases = dxgk_status_cases_list,
};

kunit_test_suite(dxgk_status_suite);

MODULE_IMPORT_NS(DXGK_NS);
MODULE_DESCRIPTION("KUnit tests for dxgkcompat");
MODULE_LICENSE("GPL");
