// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - the tracepoints of dxgk_trace.h, and the misuse event's
 * helper, which dxgk_misuse() calls.
 */

#include <linux/kernel.h>
#include <linux/string.h>

#include "dxgk_core.h"
#include "dxgk_pmo.h"

#define CREATE_TRACE_POINTS
#include "dxgk_trace.h"

/**
 * dxgk_misuse_trace - emit the dxgk_misuse trace event
 * @func: the port function that refused the misuse
 * @caller: its return address
 * @fmt: the misuse message, printf-style
 * @...: its arguments
 *
 * Formats the message only while the event is enabled. Called by
 * dxgk_misuse() after counting, from any context.
 */
void dxgk_misuse_trace(const char *func, unsigned long caller, const char *fmt, ...)
{
	char reason[DXGK_TRACE_REASON_LEN];
	va_list args;
	size_t len;

	if (!trace_dxgk_misuse_enabled())
		return;
	va_start(args, fmt);
	vsnprintf(reason, sizeof(reason), fmt, args);
	va_end(args);
	len = strlen(reason);
	if (len && reason[len - 1] == '\n')
		reason[len - 1] = '\0';
	trace_dxgk_misuse(func, caller, reason, dxgk_misuse_count());
}
