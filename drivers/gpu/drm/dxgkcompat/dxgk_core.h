/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - the core layer (dxgk_status.c): NTSTATUS <-> errno and the
 * accounting of miniport misuse, which every layer above uses.
 */
#ifndef _DXGK_CORE_H_
#define _DXGK_CORE_H_

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler_attributes.h>
#include <linux/instruction_pointer.h>
#include <linux/types.h>

#include <ntstatus.h>

/*
 * Misuse by miniport code that would bug-check Windows: counted, traced (the
 * dxgkcompat:dxgk_misuse event, dxgk_trace.h), warned about once per call
 * site (unless the warn_on_misuse parameter is off, which the KUnit suites
 * use to count misuse without tainting the log), and refused. The
 * arguments are a format string literal and its arguments, which must have
 * no side effects.
 */
extern atomic_t dxgk_misuse_events;
extern bool dxgk_warn_on_misuse;
#define dxgk_misuse(...) ({						\
	atomic_inc(&dxgk_misuse_events);				\
	dxgk_misuse_trace(__func__, _RET_IP_, __VA_ARGS__);		\
	WARN_ONCE(dxgk_warn_on_misuse, "dxgkcompat: " __VA_ARGS__);	\
})
unsigned int dxgk_misuse_count(void);
/* dxgk_trace.c: the dxgk_misuse trace event */
__printf(3, 4)
void dxgk_misuse_trace(const char *func, unsigned long caller, const char *fmt, ...);
void dxgk_misuse_set_warn(bool warn);

/* dxgk_status.c */
int dxgk_ntstatus_to_errno(NTSTATUS status);
NTSTATUS dxgk_errno_to_ntstatus(int err);

#endif /* _DXGK_CORE_H_ */
