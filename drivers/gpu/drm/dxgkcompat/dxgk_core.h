/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - the core layer (dxgk_status.c): NTSTATUS <-> errno and the
 * accounting of miniport misuse, which every layer above uses.
 */
#ifndef _DXGK_CORE_H_
#define _DXGK_CORE_H_

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/types.h>

#include <ntstatus.h>

/*
 * Misuse by miniport code that would bug-check Windows: counted, warned about
 * once per call site (unless the warn_on_misuse parameter is off, which the
 * KUnit suites use to count misuse without tainting the log), and refused.
 */
extern atomic_t dxgk_misuse_events;
extern bool dxgk_warn_on_misuse;
#define dxgk_misuse(fmt, ...) ({					\
	atomic_inc(&dxgk_misuse_events);				\
	WARN_ONCE(dxgk_warn_on_misuse, "dxgkcompat: " fmt, ##__VA_ARGS__); \
})
unsigned int dxgk_misuse_count(void);
void dxgk_misuse_set_warn(bool warn);

/* dxgk_status.c */
int dxgk_ntstatus_to_errno(NTSTATUS status);
NTSTATUS dxgk_errno_to_ntstatus(int err);

#endif /* _DXGK_CORE_H_ */
