/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of ntoskrnl a ported display miniport leans on: MDLs, pool,
 * spin locks, fast mutexes, events, interlocked operations, time, lists and
 * the Rtl memory helpers, with WDK names and the semantics Microsoft Learn
 * documents. The table in README.md says, routine by routine, what is
 * covered, how, and what is not.
 *
 * Linux-only facts a porter must know:
 *  - KSPIN_LOCK, FAST_MUTEX and KEVENT are Linux objects (spinlock_t,
 *    struct mutex, a wait queue), not the WDK's layouts: they are
 *    source-compatible (declare them, pass their address), not
 *    binary-compatible, and must be initialised before use.
 *  - PAGE_ALIGN is the WDK's (rounds down to the page start, returns a
 *    PVOID) in every file that includes this header, except the port's own
 *    (DXGK_PORT_BUILD), where Linux's (rounds up) stays.
 *  - NT_ASSERT checks only when DBG is nonzero, as on a free build.
 */
#ifndef _DXGK_WDK_NTDDK_H_
#define _DXGK_WDK_NTDDK_H_

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "ntdef.h"
#include "ntstatus.h"
#include "wdm.h"

/* Sizes and page arithmetic (PAGE_SIZE, PAGE_SHIFT: the kernel's). */
#ifndef ARRAYSIZE
#define ARRAYSIZE(A)	RTL_NUMBER_OF(A)
#endif
#define BYTE_OFFSET(Va)	((ULONG)((LONG_PTR)(Va) & (PAGE_SIZE - 1)))
#define BYTES_TO_PAGES(Size) \
	(((Size) >> PAGE_SHIFT) + (((Size) & (PAGE_SIZE - 1)) != 0))
#define ROUND_TO_PAGES(Size) \
	(((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~(ULONG_PTR)(PAGE_SIZE - 1))
#define ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Size) \
	((ULONG)((BYTE_OFFSET(Va) + (ULONG_PTR)(Size) + (PAGE_SIZE - 1)) >> PAGE_SHIFT))
#define WDK_PAGE_ALIGN(Va) \
	((PVOID)((ULONG_PTR)(Va) & ~(ULONG_PTR)(PAGE_SIZE - 1)))
#ifndef DXGK_PORT_BUILD
/* <linux/mm.h> is included above: nothing redefines it after this. */
#undef PAGE_ALIGN
#define PAGE_ALIGN(Va)	WDK_PAGE_ALIGN(Va)
#endif

#ifndef DBG
#define DBG 0
#endif
#define NT_ASSERT(_exp) \
	((void)(DBG ? WARN_ONCE(!(_exp), "NT_ASSERT failed: %s\n", #_exp) : \
		((void)sizeof(!(_exp)), 0)))
#define NT_VERIFY(_exp)	(!WARN_ONCE(!(_exp), "NT_VERIFY failed: %s\n", #_exp))

/* Rtl memory helpers. */
#ifndef RtlZeroMemory
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))
#endif
#ifndef RtlCopyMemory
#define RtlCopyMemory(Destination, Source, Length) \
	memcpy((Destination), (Source), (Length))
#endif
#define RtlMoveMemory(Destination, Source, Length) \
	memmove((Destination), (Source), (Length))
#define RtlFillMemory(Destination, Length, Fill) \
	memset((Destination), (Fill), (Length))
#define RtlEqualMemory(Source1, Source2, Length) \
	(!memcmp((Source1), (Source2), (Length)))

/* The number of leading bytes that match. */
static inline SIZE_T RtlCompareMemory(const VOID *Source1, const VOID *Source2,
				      SIZE_T Length)
{
	const UCHAR *a = Source1, *b = Source2;
	SIZE_T i;

	for (i = 0; i < Length && a[i] == b[i]; i++)
		;
	return i;
}

/* Doubly linked lists, the WDK's layout (Flink, Blink). */
typedef struct _LIST_ENTRY {
	struct _LIST_ENTRY *Flink;
	struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

static inline VOID InitializeListHead(PLIST_ENTRY ListHead)
{
	ListHead->Flink = ListHead;
	ListHead->Blink = ListHead;
}

static inline BOOLEAN IsListEmpty(const LIST_ENTRY *ListHead)
{
	return ListHead->Flink == ListHead;
}

static inline VOID InsertTailList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
	PLIST_ENTRY Blink = ListHead->Blink;

	Entry->Flink = ListHead;
	Entry->Blink = Blink;
	Blink->Flink = Entry;
	ListHead->Blink = Entry;
}

static inline VOID InsertHeadList(PLIST_ENTRY ListHead, PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = ListHead->Flink;

	Entry->Flink = Flink;
	Entry->Blink = ListHead;
	Flink->Blink = Entry;
	ListHead->Flink = Entry;
}

/* Returns TRUE if the list is empty afterwards. */
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
	PLIST_ENTRY Flink = Entry->Flink, Blink = Entry->Blink;

	Blink->Flink = Flink;
	Flink->Blink = Blink;
	return Flink == Blink;
}

static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Flink;

	RemoveEntryList(Entry);
	return Entry;
}

static inline PLIST_ENTRY RemoveTailList(PLIST_ENTRY ListHead)
{
	PLIST_ENTRY Entry = ListHead->Blink;

	RemoveEntryList(Entry);
	return Entry;
}

/*
 * Interlocked operations on LONG and LONG64: full barriers, as on Windows.
 * Add/Or/And/Xor return the value before the operation (InterlockedAdd and
 * Increment/Decrement the one after), as the WDK documents.
 */
#define DXGK_INTERLOCKED_OP(_name, _type, _op, _new)			\
	static inline _type _name(_type volatile *Destination, _type Value) \
	{								\
		_type *p = (_type *)Destination;			\
		_type old = READ_ONCE(*p);				\
									\
		while (!try_cmpxchg(p, &old, (_type)(_op)))		\
			;						\
		return _new ? (_type)(_op) : old;			\
	}
DXGK_INTERLOCKED_OP(InterlockedExchangeAdd, LONG, (ULONG)old + (ULONG)Value, 0)
DXGK_INTERLOCKED_OP(InterlockedAdd, LONG, (ULONG)old + (ULONG)Value, 1)
DXGK_INTERLOCKED_OP(InterlockedOr, LONG, old | Value, 0)
DXGK_INTERLOCKED_OP(InterlockedAnd, LONG, old & Value, 0)
DXGK_INTERLOCKED_OP(InterlockedXor, LONG, old ^ Value, 0)
DXGK_INTERLOCKED_OP(InterlockedExchangeAdd64, LONG64, (ULONG64)old + (ULONG64)Value, 0)
DXGK_INTERLOCKED_OP(InterlockedAdd64, LONG64, (ULONG64)old + (ULONG64)Value, 1)
DXGK_INTERLOCKED_OP(InterlockedOr64, LONG64, old | Value, 0)
DXGK_INTERLOCKED_OP(InterlockedAnd64, LONG64, old & Value, 0)
#undef DXGK_INTERLOCKED_OP

#define InterlockedIncrement(Addend)	InterlockedAdd((Addend), 1)
#define InterlockedDecrement(Addend)	InterlockedAdd((Addend), -1)
#define InterlockedIncrement64(Addend)	InterlockedAdd64((Addend), 1)
#define InterlockedDecrement64(Addend)	InterlockedAdd64((Addend), -1)

static inline LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
	return xchg((LONG *)Target, Value);
}

static inline LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
	return xchg((LONG64 *)Target, Value);
}

/* Returns the initial value of *Destination. */
static inline LONG InterlockedCompareExchange(LONG volatile *Destination,
					      LONG ExChange, LONG Comperand)
{
	return cmpxchg((LONG *)Destination, Comperand, ExChange);
}

static inline LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination,
						  LONG64 ExChange, LONG64 Comperand)
{
	return cmpxchg((LONG64 *)Destination, Comperand, ExChange);
}

static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
	return xchg((PVOID *)Target, Value);
}

static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination,
						      PVOID ExChange, PVOID Comperand)
{
	return cmpxchg((PVOID *)Destination, Comperand, ExChange);
}

/*
 * IRQL, as far as Linux can tell it: HIGH_LEVEL in hard interrupt context
 * (a miniport's interrupt routine runs at its DIRQL, which Linux does not
 * number), DISPATCH_LEVEL in a softirq (the port's DPCs) or with preemption
 * or interrupts off, PASSIVE_LEVEL otherwise. APC_LEVEL is never reported.
 */
static inline KIRQL KeGetCurrentIrql(VOID)
{
	if (in_hardirq())
		return HIGH_LEVEL;
	if (in_softirq() || preempt_count() || irqs_disabled())
		return DISPATCH_LEVEL;
	return PASSIVE_LEVEL;
}

/*
 * Spin locks. KeAcquireSpinLock raises to DISPATCH_LEVEL: preemption and
 * softirqs (the port's DPCs) are off while the lock is held, so a DPC on
 * the same CPU cannot spin on a lock its thread holds. Not for interrupt
 * routines (DIRQL), as on Windows: they synchronise through
 * DxgkCbSynchronizeExecution.
 */
typedef spinlock_t KSPIN_LOCK, *PKSPIN_LOCK;

#define KeInitializeSpinLock(SpinLock)	spin_lock_init(SpinLock)
#define KeAcquireSpinLock(SpinLock, OldIrql) do {			\
		*(OldIrql) = KeGetCurrentIrql();			\
		spin_lock_bh(SpinLock);					\
	} while (0)
#define KeReleaseSpinLock(SpinLock, NewIrql) do {			\
		(void)(NewIrql);					\
		spin_unlock_bh(SpinLock);				\
	} while (0)
/* Already at DISPATCH_LEVEL: a DPC, or inside KeAcquireSpinLock. */
#define KeAcquireSpinLockAtDpcLevel(SpinLock)	spin_lock(SpinLock)
#define KeReleaseSpinLockFromDpcLevel(SpinLock)	spin_unlock(SpinLock)

/* Fast mutexes: a struct mutex (PASSIVE_LEVEL callers, not recursive). */
typedef struct mutex FAST_MUTEX, *PFAST_MUTEX;

#define ExInitializeFastMutex(FastMutex)	mutex_init(FastMutex)
#define ExAcquireFastMutex(FastMutex)		mutex_lock(FastMutex)
#define ExReleaseFastMutex(FastMutex)		mutex_unlock(FastMutex)
#define ExTryToAcquireFastMutex(FastMutex)	((BOOLEAN)mutex_trylock(FastMutex))

/* Events. */
typedef enum _EVENT_TYPE {
	NotificationEvent,
	SynchronizationEvent,
} EVENT_TYPE;

typedef enum _KWAIT_REASON {
	Executive = 0,
} KWAIT_REASON;

typedef enum _MODE {
	KernelMode,
	UserMode,
	MaximumMode,
} MODE, KPROCESSOR_MODE;

typedef LONG KPRIORITY;

/**
 * struct _KEVENT - a Windows event on a Linux wait queue
 * @Wait: the waiters; its lock protects @State (as a completion's does, so
 *	that KeSetEvent() is done with the event once a waiter can see it
 *	signaled: an event on the waiter's stack is safe)
 * @State: signaled (1) or not (0)
 * @Type: a NotificationEvent stays signaled until cleared; a
 *	SynchronizationEvent releases one waiter and resets itself
 */
typedef struct _KEVENT {
	wait_queue_head_t Wait;
	LONG State;
	EVENT_TYPE Type;
} KEVENT, *PKEVENT, *PRKEVENT;

#define KeInitializeEvent(Event, EventType, InitialState) do {		\
		init_waitqueue_head(&(Event)->Wait);			\
		(Event)->Type = (EventType);				\
		(Event)->State = !!(InitialState);			\
	} while (0)

LONG KeSetEvent(PRKEVENT Event, KPRIORITY Increment, BOOLEAN Wait);
VOID KeClearEvent(PRKEVENT Event);
LONG KeResetEvent(PRKEVENT Event);
LONG KeReadStateEvent(PRKEVENT Event);
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason,
			       KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
			       PLARGE_INTEGER Timeout);

/* Time: 100 ns units; system time counts from 1601-01-01 UTC. */
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency);
VOID KeQuerySystemTimePrecise(PLARGE_INTEGER CurrentTime);
/* Busy-wait, as at raised IRQL. */
#define KeStallExecutionProcessor(MicroSeconds) udelay(MicroSeconds)

/* Pool (ExAllocatePool2's POOL_FLAGS, Microsoft Learn "POOL_FLAGS"). */
typedef ULONG64 POOL_FLAGS;
#define POOL_FLAG_USE_QUOTA		0x0000000000000001ULL
#define POOL_FLAG_UNINITIALIZED		0x0000000000000002ULL
#define POOL_FLAG_SESSION		0x0000000000000004ULL
#define POOL_FLAG_CACHE_ALIGNED		0x0000000000000008ULL
#define POOL_FLAG_RAISE_ON_FAILURE	0x0000000000000020ULL
#define POOL_FLAG_NON_PAGED		0x0000000000000040ULL
#define POOL_FLAG_NON_PAGED_EXECUTE	0x0000000000000080ULL
#define POOL_FLAG_PAGED			0x0000000000000100ULL
#define POOL_FLAG_REQUIRED_END		0x0000000080000000ULL

PVOID ExAllocatePool2(POOL_FLAGS Flags, SIZE_T NumberOfBytes, ULONG Tag);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
VOID ExFreePool(PVOID P);

/* MDLs: the WDK's structure, followed by its PFN array. */
typedef SHORT CSHORT;
typedef ULONG_PTR PFN_NUMBER, *PPFN_NUMBER;
struct _EPROCESS;

struct _MDL {
	struct _MDL *Next;
	CSHORT Size;
	CSHORT MdlFlags;
	struct _EPROCESS *Process;
	PVOID MappedSystemVa;
	PVOID StartVa;
	ULONG ByteCount;
	ULONG ByteOffset;
};

#define MDL_MAPPED_TO_SYSTEM_VA		0x0001
#define MDL_PAGES_LOCKED		0x0002
#define MDL_SOURCE_IS_NONPAGED_POOL	0x0004
#define MDL_ALLOCATED_FIXED_SIZE	0x0008
#define MDL_PARTIAL			0x0010
#define MDL_PARTIAL_HAS_BEEN_MAPPED	0x0020
#define MDL_IO_PAGE_READ		0x0040
#define MDL_WRITE_OPERATION		0x0080
#define MDL_IO_SPACE			0x0800
#define MDL_MAPPING_CAN_FAIL		0x2000
#define MDL_INTERNAL			0x8000

typedef enum _MM_PAGE_PRIORITY {
	LowPagePriority = 0,
	NormalPagePriority = 16,
	HighPagePriority = 32,
} MM_PAGE_PRIORITY;
#define MdlMappingNoWrite	0x80000000U
#define MdlMappingNoExecute	0x40000000U

#define MmGetMdlPfnArray(Mdl)		((PPFN_NUMBER)((Mdl) + 1))
#define MmGetMdlByteCount(Mdl)		((Mdl)->ByteCount)
#define MmGetMdlByteOffset(Mdl)		((Mdl)->ByteOffset)
#define MmGetMdlVirtualAddress(Mdl) \
	((PVOID)((PCHAR)((Mdl)->StartVa) + (Mdl)->ByteOffset))
#define MmSizeOfMdl(Base, Length) \
	((SIZE_T)(sizeof(MDL) + sizeof(PFN_NUMBER) * \
		  ADDRESS_AND_SIZE_TO_SPAN_PAGES((Base), (Length))))

static inline VOID MmInitializeMdl(PMDL MemoryDescriptorList, PVOID BaseVa,
				   SIZE_T Length)
{
	MemoryDescriptorList->Next = NULL;
	MemoryDescriptorList->Size = (CSHORT)MmSizeOfMdl(BaseVa, Length);
	MemoryDescriptorList->MdlFlags = 0;
	MemoryDescriptorList->Process = NULL;
	MemoryDescriptorList->MappedSystemVa = NULL;
	MemoryDescriptorList->StartVa = WDK_PAGE_ALIGN(BaseVa);
	MemoryDescriptorList->ByteOffset = BYTE_OFFSET(BaseVa);
	MemoryDescriptorList->ByteCount = (ULONG)Length;
}

struct _IRP;
PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
		   BOOLEAN ChargeQuota, struct _IRP *Irp);
VOID IoFreeMdl(PMDL Mdl);
VOID MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList);
PVOID MmGetSystemAddressForMdlSafe(PMDL Mdl, ULONG Priority);
PHYSICAL_ADDRESS MmGetPhysicalAddress(PVOID BaseAddress);

/*
 * dxgkcompat extension (not in the WDK): the device address of byte
 * @Offset of a WDDM 2.4 allocation or IOMMU mapping (hMemoryHandle of
 * DxgkCbAllocatePagesForMdl, DxgkCbAllocateContiguousMemory or
 * DxgkCbMapMdlToIoMmu). Without IOMMU translation it is the physical
 * address, as in the WDDM 2.4 1:1 model; under translation it is the IOVA
 * Linux's DMA API chose, which a miniport must program instead.
 */
NTSTATUS DxgkLinuxQueryDeviceAddress(HANDLE hAdapter, HANDLE hMemoryHandle,
				     SIZE_T Offset, PPHYSICAL_ADDRESS DeviceAddress);

#ifndef __cplusplus
static_assert(offsetof(MDL, Size) == 0x08);
static_assert(offsetof(MDL, MdlFlags) == 0x0a);
static_assert(offsetof(MDL, Process) == 0x10);
static_assert(offsetof(MDL, MappedSystemVa) == 0x18);
static_assert(offsetof(MDL, StartVa) == 0x20);
static_assert(offsetof(MDL, ByteCount) == 0x28);
static_assert(offsetof(MDL, ByteOffset) == 0x2c);
static_assert(sizeof(MDL) == 0x30);
static_assert(sizeof(LIST_ENTRY) == 0x10);
#endif

#endif /* _DXGK_WDK_NTDDK_H_ */
