/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - tracepoints (system "dxgkcompat"): physical memory objects,
 * their CPU mappings, ADLs, paging submissions and misuse. Defined once, in
 * dxgk_trace.c. Only integers and fixed-size arrays go into the ring
 * buffer, never a pointer to a string: the module may be gone when the
 * trace is read.
 */

#undef TRACE_SYSTEM
#define TRACE_SYSTEM dxgkcompat

#if !defined(_DXGK_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _DXGK_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

#include "dxgk_drv.h"

/*
 * Opaque here: only dxgk_trace.c, which includes dxgk_pmo.h first, looks
 * inside them (TP_fast_assign), so the DRM layer may trace too.
 */
struct dxgk_amo;
struct dxgk_pmo;

/* Bytes of the misuse reason and of the function name kept per event. */
#define DXGK_TRACE_REASON_LEN	96
#define DXGK_TRACE_FUNC_LEN	40

#define dxgk_trace_pmo_type(t)						\
	__print_symbolic(t,						\
			 { DXGK_PHYSICAL_MEMORY_TYPE_MDL, "MDL" },	\
			 { DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY, "CONTIGUOUS" }, \
			 { DXGK_PHYSICAL_MEMORY_TYPE_SECTION, "SECTION" }, \
			 { DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE, "IO_SPACE" })

#define dxgk_trace_cache(c)						\
	__print_symbolic(c,						\
			 { DXGK_MEMORY_CACHING_TYPE_NON_CACHED, "NON_CACHED" }, \
			 { DXGK_MEMORY_CACHING_TYPE_CACHED, "CACHED" },	\
			 { DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED, "WRITE_COMBINED" })

/* The paging operations built into one submission, one bit each. */
#define dxgk_trace_paging_ops(ops)					\
	__print_flags(ops, "|",						\
		      { BIT(DXGK_OPERATION_TRANSFER), "TRANSFER" },	\
		      { BIT(DXGK_OPERATION_FILL), "FILL" },		\
		      { BIT(DXGK_OPERATION_DISCARD_CONTENT), "DISCARD_CONTENT" }, \
		      { BIT(DXGK_OPERATION_MAP_APERTURE_SEGMENT), "MAP_APERTURE_SEGMENT" }, \
		      { BIT(DXGK_OPERATION_UNMAP_APERTURE_SEGMENT), "UNMAP_APERTURE_SEGMENT" }, \
		      { BIT(DXGK_OPERATION_MAP_APERTURE_SEGMENT2), "MAP_APERTURE_SEGMENT2" })

/**
 * DOC: dxgk_pmo_create, dxgk_pmo_destroy
 *
 * A physical memory object is created (it got its handle; a later failure
 * to open it on hAdapter is traced as its destroy) or freed (its last
 * reference went: its handle, GEM object, mappings and ADLs are gone).
 */
DECLARE_EVENT_CLASS(dxgk_pmo_class,
		    TP_PROTO(const struct dxgk_pmo *pmo, u32 adapter),
		    TP_ARGS(pmo, adapter),
		    TP_STRUCT__entry(__field(u32, id)
				     __field(u64, handle)
				     __field(u64, size)
				     __field(u64, pages)
				     __field(u32, type)
				     __field(u32, cache)
				     __field(u32, adapter)
				     __field(bool, user)),
		    TP_fast_assign(__entry->id = pmo->id;
				   __entry->handle = ((u64)pmo->id << DXGK_HANDLE_SHIFT) |
						     DXGK_HANDLE_PMO;
				   __entry->size = pmo->size;
				   __entry->pages = pmo->npages;
				   __entry->type = pmo->type;
				   __entry->cache = pmo->cache;
				   __entry->adapter = adapter;
				   __entry->user = pmo->user;),
		    TP_printk("pmo=%u handle=%#llx size=%#llx pages=%llu type=%s cache=%s adapter=%u owner=%s",
			      __entry->id, __entry->handle, __entry->size,
			      __entry->pages, dxgk_trace_pmo_type(__entry->type),
			      dxgk_trace_cache(__entry->cache), __entry->adapter,
			      __entry->user ? "user" : "kernel")
);

DEFINE_EVENT(dxgk_pmo_class, dxgk_pmo_create,
	     TP_PROTO(const struct dxgk_pmo *pmo, u32 adapter),
	     TP_ARGS(pmo, adapter)
);

DEFINE_EVENT(dxgk_pmo_class, dxgk_pmo_destroy,
	     TP_PROTO(const struct dxgk_pmo *pmo, u32 adapter),
	     TP_ARGS(pmo, adapter)
);

/**
 * DOC: dxgk_pmo_map, dxgk_pmo_unmap
 *
 * A CPU mapping of an object is made or removed: a kernel mapping
 * (DxgkCbMapPhysicalMemory(KERNEL_MODE), removed by
 * DxgkCbUnmapPhysicalMemory or at module unload), or a user mapping the
 * port makes in the calling process (DxgkCbMapPhysicalMemory(USER_MODE),
 * DRM_IOCTL_DXGKCOMPAT_PMO_MAP) and removes (DxgkCbUnmapPhysicalMemory,
 * DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP). va is printed with %p: hashed unless
 * the trace option hash-ptr is off.
 */
DECLARE_EVENT_CLASS(dxgk_pmo_map_class,
		    TP_PROTO(const struct dxgk_pmo *pmo, bool user,
			     unsigned long va, u64 size),
		    TP_ARGS(pmo, user, va, size),
		    TP_STRUCT__entry(__field(u32, id)
				     __field(bool, user)
				     __field(unsigned long, va)
				     __field(u64, size)
				     __field(u32, cache)),
		    TP_fast_assign(__entry->id = pmo->id;
				   __entry->user = user;
				   __entry->va = va;
				   __entry->size = size;
				   __entry->cache = pmo->cache;),
		    TP_printk("pmo=%u mode=%s va=%p size=%#llx cache=%s",
			      __entry->id, __entry->user ? "user" : "kernel",
			      (void *)__entry->va, __entry->size,
			      dxgk_trace_cache(__entry->cache))
);

DEFINE_EVENT(dxgk_pmo_map_class, dxgk_pmo_map,
	     TP_PROTO(const struct dxgk_pmo *pmo, bool user, unsigned long va,
		      u64 size),
	     TP_ARGS(pmo, user, va, size)
);

DEFINE_EVENT(dxgk_pmo_map_class, dxgk_pmo_unmap,
	     TP_PROTO(const struct dxgk_pmo *pmo, bool user, unsigned long va,
		      u64 size),
	     TP_ARGS(pmo, user, va, size)
);

/**
 * DOC: dxgk_adl_alloc, dxgk_adl_free
 *
 * An ADL is allocated (DxgkCbAllocateAdl) or freed (DxgkCbFreeAdl, or by
 * the port when its adapter or the module goes). dma is the device
 * address of its first DMA segment, segs their number: root-only, as
 * tracefs is, and in no other interface but the test-only ioctls.
 */
DECLARE_EVENT_CLASS(dxgk_adl_class,
		    TP_PROTO(const struct dxgk_amo *amo, const struct _DXGK_ADL *adl,
			     unsigned long first, unsigned int segs, u64 dma),
		    TP_ARGS(amo, adl, first, segs, dma),
		    TP_STRUCT__entry(__field(u32, pmo)
				     __field(u32, amo)
				     __field(u32, adapter)
				     __field(u64, first)
				     __field(u64, pages)
				     __field(u32, segs)
				     __field(bool, contiguous)
				     __field(u64, dma)),
		    TP_fast_assign(__entry->pmo = amo->pmo->id;
				   __entry->amo = amo->id;
				   __entry->adapter = (u32)(uintptr_t)amo->adapter_handle;
				   __entry->first = first;
				   __entry->pages = adl->PageCount;
				   __entry->segs = segs;
				   __entry->contiguous = adl->Flags.Contiguous;
				   __entry->dma = dma;),
		    TP_printk("pmo=%u amo=%u adapter=%u first=%llu pages=%llu segs=%u contiguous=%d dma=%#llx",
			      __entry->pmo, __entry->amo, __entry->adapter,
			      __entry->first, __entry->pages, __entry->segs,
			      __entry->contiguous, __entry->dma)
);

DEFINE_EVENT(dxgk_adl_class, dxgk_adl_alloc,
	     TP_PROTO(const struct dxgk_amo *amo, const struct _DXGK_ADL *adl,
		      unsigned long first, unsigned int segs, u64 dma),
	     TP_ARGS(amo, adl, first, segs, dma)
);

DEFINE_EVENT(dxgk_adl_class, dxgk_adl_free,
	     TP_PROTO(const struct dxgk_amo *amo, const struct _DXGK_ADL *adl,
		      unsigned long first, unsigned int segs, u64 dma),
	     TP_ARGS(amo, adl, first, segs, dma)
);

/**
 * DOC: dxgk_paging_submit, dxgk_paging_complete, dxgk_paging_timeout
 *
 * A paging buffer goes to DxgkDdiSubmitCommand (status is what it
 * returned), its fence is seen done (status: STATUS_SUCCESS, or the
 * DMA_FAULTED status), or it timed out (status: STATUS_IO_TIMEOUT, or
 * STATUS_DEVICE_REMOVED when the adapter is going) and the engine is
 * reset. ops are the operations built into the buffer.
 */
DECLARE_EVENT_CLASS(dxgk_paging_class,
		    TP_PROTO(const struct dxgk_adapter *adapter, u32 fence,
			     u32 ops, NTSTATUS status),
		    TP_ARGS(adapter, fence, ops, status),
		    TP_STRUCT__entry(__field(u32, adapter)
				     __field(u32, fence)
				     __field(u32, ops)
				     __field(u32, status)),
		    TP_fast_assign(__entry->adapter = adapter->handle;
				   __entry->fence = fence;
				   __entry->ops = ops;
				   __entry->status = (u32)status;),
		    TP_printk("adapter=%u fence=%u ops=%s status=0x%08x",
			      __entry->adapter, __entry->fence,
			      dxgk_trace_paging_ops(__entry->ops), __entry->status)
);

DEFINE_EVENT(dxgk_paging_class, dxgk_paging_submit,
	     TP_PROTO(const struct dxgk_adapter *adapter, u32 fence, u32 ops,
		      NTSTATUS status),
	     TP_ARGS(adapter, fence, ops, status)
);

DEFINE_EVENT(dxgk_paging_class, dxgk_paging_complete,
	     TP_PROTO(const struct dxgk_adapter *adapter, u32 fence, u32 ops,
		      NTSTATUS status),
	     TP_ARGS(adapter, fence, ops, status)
);

DEFINE_EVENT(dxgk_paging_class, dxgk_paging_timeout,
	     TP_PROTO(const struct dxgk_adapter *adapter, u32 fence, u32 ops,
		      NTSTATUS status),
	     TP_ARGS(adapter, fence, ops, status)
);

/**
 * DOC: dxgk_misuse
 *
 * A misuse was counted (dxgk_misuse()): reason is its message, func the
 * port function that refused it, caller the return address of that
 * function (the miniport code that called the callback), count the
 * misuse counter after it.
 */
TRACE_EVENT(dxgk_misuse,
	    TP_PROTO(const char *func, unsigned long caller, const char *reason,
		     unsigned int count),
	    TP_ARGS(func, caller, reason, count),
	    TP_STRUCT__entry(__array(char, func, DXGK_TRACE_FUNC_LEN)
			     __array(char, reason, DXGK_TRACE_REASON_LEN)
			     __field(unsigned long, caller)
			     __field(unsigned int, count)),
	    TP_fast_assign(strscpy(__entry->func, func, DXGK_TRACE_FUNC_LEN);
			   strscpy(__entry->reason, reason, DXGK_TRACE_REASON_LEN);
			   __entry->caller = caller;
			   __entry->count = count;),
	    TP_printk("func=%s caller=%pS count=%u reason=\"%s\"",
		      __entry->func, (void *)__entry->caller, __entry->count,
		      __entry->reason)
);

#endif /* _DXGK_TRACE_H_ */

/* This part must be outside protection: dxgk_trace.o is built with -I$(src). */
#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE dxgk_trace
#include <trace/define_trace.h>
