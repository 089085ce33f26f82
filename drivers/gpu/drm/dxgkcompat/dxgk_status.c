// SPDX-License-Identifier: GPL-2.0-only
/*
 * NTSTATUS <-> errno.
 *
 * Callbacks return NTSTATUS to miniport code; Linux paths (probe, ioctls,
 * module init) return errno. Each NTSTATUS the port uses has one errno;
 * each errno has one canonical NTSTATUS (the first row that names it).
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>

#include "dxgk_compat.h"
#include "dxgk_core.h"

static const struct {
	NTSTATUS status;
	int err;
} dxgk_status_map[] = {
	/* canonical NTSTATUS of each errno first */
	{ STATUS_INVALID_PARAMETER, -EINVAL },
	{ STATUS_NO_MEMORY, -ENOMEM },
	{ STATUS_NOT_SUPPORTED, -EOPNOTSUPP },
	{ STATUS_INVALID_HANDLE, -EBADF },
	{ STATUS_NOT_FOUND, -ENOENT },
	{ STATUS_ACCESS_DENIED, -EACCES },
	{ STATUS_INTEGER_OVERFLOW, -EOVERFLOW },
	{ STATUS_INSUFFICIENT_RESOURCES, -ENOSPC },
	{ STATUS_BUFFER_TOO_SMALL, -ENOBUFS },
	{ STATUS_OBJECT_NAME_COLLISION, -EEXIST },
	{ STATUS_DEVICE_BUSY, -EBUSY },
	{ STATUS_NO_SUCH_DEVICE, -ENODEV },
	{ STATUS_DEVICE_DOES_NOT_EXIST, -ENXIO },
	{ STATUS_IO_DEVICE_ERROR, -EIO },
	{ STATUS_TIMEOUT, -ETIMEDOUT },
	{ STATUS_CANCELLED, -ECANCELED },
	{ STATUS_REVISION_MISMATCH, -EPROTO },
	{ STATUS_CONFLICTING_ADDRESSES, -EADDRINUSE },
	{ STATUS_INVALID_ADDRESS, -EFAULT },
	{ STATUS_PROCESS_IS_TERMINATING, -ESRCH },
	{ STATUS_BUFFER_OVERFLOW, -EMSGSIZE },
	{ STATUS_PENDING, -EINPROGRESS },
	/* further NTSTATUS values sharing an errno */
	{ STATUS_INVALID_PARAMETER_1, -EINVAL },
	{ STATUS_INVALID_PARAMETER_2, -EINVAL },
	{ STATUS_INVALID_PARAMETER_3, -EINVAL },
	{ STATUS_INVALID_DEVICE_REQUEST, -EINVAL },
	{ STATUS_INVALID_VIEW_SIZE, -EINVAL },
	{ STATUS_NOT_MAPPED_VIEW, -EINVAL },
	{ STATUS_NOT_IMPLEMENTED, -EOPNOTSUPP },
	{ STATUS_INVALID_DEVICE_STATE, -EBUSY },
	{ STATUS_UNSUCCESSFUL, -EIO },
	{ STATUS_ALREADY_COMMITTED, -EBUSY },
	{ STATUS_IO_TIMEOUT, -ETIMEDOUT },
	{ STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER, -ENOBUFS },
	{ STATUS_DEVICE_REMOVED, -ENODEV },
	{ STATUS_DEVICE_NOT_READY, -EIO },
};

/**
 * dxgk_ntstatus_to_errno - the errno for an NTSTATUS
 * @status: an NTSTATUS
 *
 * Returns: 0 for STATUS_SUCCESS and the other success codes except the
 * informational ones with a meaning of their own (STATUS_TIMEOUT,
 * STATUS_PENDING); the mapped negative errno for a known code; -EIO for
 * any other error or warning code.
 */
int dxgk_ntstatus_to_errno(NTSTATUS status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dxgk_status_map); i++)
		if (dxgk_status_map[i].status == status)
			return dxgk_status_map[i].err;
	return NT_SUCCESS(status) ? 0 : -EIO;
}
EXPORT_SYMBOL_NS_GPL(dxgk_ntstatus_to_errno, DXGK_NS);

/**
 * dxgk_errno_to_ntstatus - the NTSTATUS for an errno
 * @err: 0 or a negative errno
 *
 * Returns: STATUS_SUCCESS for 0, the canonical NTSTATUS of a known errno
 * (-ERESTARTSYS and -EINTR give STATUS_CANCELLED), STATUS_UNSUCCESSFUL for
 * any other errno.
 */
NTSTATUS dxgk_errno_to_ntstatus(int err)
{
	unsigned int i;

	if (!err)
		return STATUS_SUCCESS;
	if (err == -ERESTARTSYS || err == -EINTR)
		return STATUS_CANCELLED;
	for (i = 0; i < ARRAY_SIZE(dxgk_status_map); i++)
		if (dxgk_status_map[i].err == err)
			return dxgk_status_map[i].status;
	return STATUS_UNSUCCESSFUL;
}
EXPORT_SYMBOL_NS_GPL(dxgk_errno_to_ntstatus, DXGK_NS);

atomic_t dxgk_misuse_events = ATOMIC_INIT(0);
bool dxgk_warn_on_misuse = true;
module_param_named(warn_on_misuse, dxgk_warn_on_misuse, bool, 0644);
MODULE_PARM_DESC(warn_on_misuse,
		 "Warn (once per kind) when miniport code misuses a callback (default: on)");

/**
 * dxgk_misuse_count - how many misuses the port has refused
 *
 * Returns: the number of refused misuses since the module was loaded.
 */
unsigned int dxgk_misuse_count(void)
{
	return atomic_read(&dxgk_misuse_events);
}
EXPORT_SYMBOL_NS_GPL(dxgk_misuse_count, DXGK_NS);

/**
 * dxgk_misuse_set_warn - turn the misuse warning on or off
 * @warn: warn (the default) or only count
 */
void dxgk_misuse_set_warn(bool warn)
{
	WRITE_ONCE(dxgk_warn_on_misuse, warn);
}
EXPORT_SYMBOL_NS_GPL(dxgk_misuse_set_warn, DXGK_NS);
