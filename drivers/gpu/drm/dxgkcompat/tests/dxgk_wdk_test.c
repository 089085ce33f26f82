// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: the WDK runtime subset (ntddk.h), routine by routine, against the
 * behaviour Microsoft Learn documents. This file is built as a miniport's
 * would be: PAGE_ALIGN is the WDK's here.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/vmalloc.h>

#include <dispmprt.h>

#include "../dxgk_core.h"

#define TAG	0x206b6478	/* 'xdk ' */

static void wdk_page_macros(struct kunit *test)
{
	u8 *va = (u8 *)0x12345678UL;
	struct rec { int a; LIST_ENTRY link; } r;
	int arr[7];

	KUNIT_EXPECT_EQ(test, BYTE_OFFSET(va), 0x678U);
	KUNIT_EXPECT_PTR_EQ(test, PAGE_ALIGN(va), (PVOID)0x12345000UL);
	KUNIT_EXPECT_PTR_EQ(test, PAGE_ALIGN((u8 *)0x12345000UL), (PVOID)0x12345000UL);
	KUNIT_EXPECT_EQ(test, ROUND_TO_PAGES(1), (ULONG_PTR)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, ROUND_TO_PAGES(PAGE_SIZE), (ULONG_PTR)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, BYTES_TO_PAGES(0), 0UL);
	KUNIT_EXPECT_EQ(test, BYTES_TO_PAGES(PAGE_SIZE + 1), 2UL);
	/* 0x678 + 0x1000 bytes touch two pages; 0x988 bytes fit in one. */
	KUNIT_EXPECT_EQ(test, ADDRESS_AND_SIZE_TO_SPAN_PAGES(va, PAGE_SIZE), 2U);
	KUNIT_EXPECT_EQ(test, ADDRESS_AND_SIZE_TO_SPAN_PAGES(va, 0x988), 1U);
	KUNIT_EXPECT_EQ(test, ADDRESS_AND_SIZE_TO_SPAN_PAGES(va, 0x989), 2U);
	KUNIT_EXPECT_EQ(test, (unsigned long)ARRAYSIZE(arr), 7UL);
	KUNIT_EXPECT_EQ(test, (unsigned long)RTL_NUMBER_OF(arr), 7UL);
	KUNIT_EXPECT_EQ(test, FIELD_OFFSET(struct rec, link), (LONG)offsetof(struct rec, link));
	KUNIT_EXPECT_PTR_EQ(test, CONTAINING_RECORD(&r.link, struct rec, link), &r);
}

static void wdk_nt_assert(struct kunit *test)
{
	int n = 0;

	/* DBG is 0: the expression is not even evaluated, as on a free build. */
	NT_ASSERT(++n == 5);
	KUNIT_EXPECT_EQ(test, n, 0);
	KUNIT_EXPECT_TRUE(test, NT_VERIFY(1 + 1 == 2));
}

static void wdk_lists(struct kunit *test)
{
	LIST_ENTRY head, e[3];

	InitializeListHead(&head);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	InsertTailList(&head, &e[1]);
	InsertTailList(&head, &e[2]);
	InsertHeadList(&head, &e[0]);
	KUNIT_EXPECT_FALSE(test, IsListEmpty(&head));
	KUNIT_EXPECT_PTR_EQ(test, head.Flink, &e[0]);
	KUNIT_EXPECT_PTR_EQ(test, e[0].Flink, &e[1]);
	KUNIT_EXPECT_PTR_EQ(test, e[1].Flink, &e[2]);
	KUNIT_EXPECT_PTR_EQ(test, e[2].Flink, &head);
	KUNIT_EXPECT_PTR_EQ(test, head.Blink, &e[2]);
	KUNIT_EXPECT_PTR_EQ(test, e[2].Blink, &e[1]);
	/* RemoveEntryList: TRUE only when the list is empty afterwards. */
	KUNIT_EXPECT_FALSE(test, RemoveEntryList(&e[1]));
	KUNIT_EXPECT_PTR_EQ(test, e[0].Flink, &e[2]);
	KUNIT_EXPECT_PTR_EQ(test, RemoveHeadList(&head), &e[0]);
	KUNIT_EXPECT_PTR_EQ(test, RemoveTailList(&head), &e[2]);
	KUNIT_EXPECT_TRUE(test, IsListEmpty(&head));
	InsertTailList(&head, &e[0]);
	KUNIT_EXPECT_TRUE(test, RemoveEntryList(&e[0]));
}

static void wdk_rtl(struct kunit *test)
{
	u8 a[16], b[16];

	RtlFillMemory(a, sizeof(a), 0x5a);
	RtlCopyMemory(b, a, sizeof(b));
	KUNIT_EXPECT_TRUE(test, RtlEqualMemory(a, b, sizeof(a)));
	KUNIT_EXPECT_EQ(test, RtlCompareMemory(a, b, sizeof(a)), (SIZE_T)16);
	b[11] = 0;
	/* The number of bytes that match before the first difference. */
	KUNIT_EXPECT_EQ(test, RtlCompareMemory(a, b, sizeof(a)), (SIZE_T)11);
	KUNIT_EXPECT_EQ(test, RtlCompareMemory(a, b, 0), (SIZE_T)0);
	KUNIT_EXPECT_FALSE(test, RtlEqualMemory(a, b, sizeof(a)));
	RtlZeroMemory(a, 8);
	KUNIT_EXPECT_EQ(test, a[7], 0);
	KUNIT_EXPECT_EQ(test, a[8], 0x5a);
	RtlMoveMemory(a + 1, a, 8);	/* overlapping */
	KUNIT_EXPECT_EQ(test, a[8], 0);
	KUNIT_EXPECT_EQ(test, a[9], 0x5a);
}

static LONG wdk_counter;
static LONG64 wdk_counter64;

static int wdk_incr_thread(void *arg)
{
	int i;

	for (i = 0; i < 100000; i++) {
		InterlockedIncrement(&wdk_counter);
		InterlockedExchangeAdd64(&wdk_counter64, 3);
	}
	complete(arg);
	return 0;
}

static void wdk_interlocked(struct kunit *test)
{
	DECLARE_COMPLETION_ONSTACK(d0);
	DECLARE_COMPLETION_ONSTACK(d1);
	struct task_struct *t0, *t1;
	LONG v = 5;
	LONG64 w = 1LL << 40;
	int x, y;
	PVOID p = &x;

	KUNIT_EXPECT_EQ(test, InterlockedIncrement(&v), 6);	/* the new value */
	KUNIT_EXPECT_EQ(test, InterlockedDecrement(&v), 5);
	KUNIT_EXPECT_EQ(test, InterlockedExchangeAdd(&v, 10), 5);	/* the old one */
	KUNIT_EXPECT_EQ(test, InterlockedAdd(&v, 10), 25);
	KUNIT_EXPECT_EQ(test, InterlockedExchange(&v, 7), 25);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 9, 8), 7);
	KUNIT_EXPECT_EQ(test, v, 7);	/* 7 != 8: unchanged */
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange(&v, 9, 7), 7);
	KUNIT_EXPECT_EQ(test, v, 9);
	KUNIT_EXPECT_EQ(test, InterlockedOr(&v, 6), 9);
	KUNIT_EXPECT_EQ(test, v, 15);
	KUNIT_EXPECT_EQ(test, InterlockedAnd(&v, 3), 15);
	KUNIT_EXPECT_EQ(test, InterlockedXor(&v, 1), 3);
	KUNIT_EXPECT_EQ(test, v, 2);
	v = S32_MAX;	/* wraps like the hardware, no undefined overflow */
	KUNIT_EXPECT_EQ(test, InterlockedIncrement(&v), S32_MIN);
	KUNIT_EXPECT_EQ(test, InterlockedIncrement64(&w), (1LL << 40) + 1);
	KUNIT_EXPECT_EQ(test, InterlockedCompareExchange64(&w, 0, (1LL << 40) + 1),
			(1LL << 40) + 1);
	KUNIT_EXPECT_EQ(test, w, 0LL);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedExchangePointer(&p, &y), (PVOID)&x);
	KUNIT_EXPECT_PTR_EQ(test, InterlockedCompareExchangePointer(&p, NULL, &x),
			    (PVOID)&y);
	KUNIT_EXPECT_PTR_EQ(test, p, (PVOID)&y);

	/* Atomic under contention: two threads, no lost update. */
	wdk_counter = 0;
	wdk_counter64 = 0;
	t0 = kthread_run(wdk_incr_thread, &d0, "wdk-incr0");
	t1 = kthread_run(wdk_incr_thread, &d1, "wdk-incr1");
	/* Wait for each that started: they signal completions on this stack. */
	if (!IS_ERR(t0))
		wait_for_completion(&d0);
	if (!IS_ERR(t1))
		wait_for_completion(&d1);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t0) || IS_ERR(t1));
	KUNIT_EXPECT_EQ(test, wdk_counter, 200000);
	KUNIT_EXPECT_EQ(test, wdk_counter64, 600000LL);
}

static void wdk_pool(struct kunit *test)
{
	unsigned int misuse = dxgk_misuse_count();
	u8 *p, *q;
	size_t i;

	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 3 * PAGE_SIZE, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	for (i = 0; i < 3 * PAGE_SIZE && !p[i]; i++)
		;
	KUNIT_EXPECT_EQ(test, i, 3 * PAGE_SIZE);	/* zeroed */
	/* Non-paged pool is in the linear map: its physical address is honest. */
	KUNIT_EXPECT_TRUE(test, virt_addr_valid(p));
	KUNIT_EXPECT_EQ(test, (u64)MmGetPhysicalAddress(p + 100).QuadPart,
			(u64)virt_to_phys(p + 100));
	memset(p, 0xa5, 3 * PAGE_SIZE);
	ExFreePoolWithTag(p, TAG);

	p = ExAllocatePool2(POOL_FLAG_PAGED, SZ_4M, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p[SZ_4M - 1], 0);
	KUNIT_EXPECT_EQ(test, (u64)MmGetPhysicalAddress(p + SZ_2M).QuadPart,
			(u64)page_to_phys(is_vmalloc_addr(p + SZ_2M) ?
					  vmalloc_to_page(p + SZ_2M) :
					  virt_to_page(p + SZ_2M)));
	ExFreePool(p);

	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_CACHE_ALIGNED, 72, TAG);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, (unsigned long)p % cache_line_size(), 0UL);
	ExFreePoolWithTag(p, TAG);
	/* Unknown optional flags (the high 32 bits) are ignored. */
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | BIT_ULL(40), 16, TAG);
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePool(p);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_UNINITIALIZED, 16, TAG);
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePool(p);
	ExFreePool(NULL);

	/* NULL, as documented: Tag 0, size 0, invalid or unknown required flags. */
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, 0));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED, 0, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(0, 16, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED | POOL_FLAG_PAGED,
						16, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED | 0x10, 16, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED_EXECUTE, 16, TAG));
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_SESSION | POOL_FLAG_PAGED,
						16, TAG));
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	/* Linux cannot raise: refused, as misuse. */
	KUNIT_EXPECT_NULL(test, ExAllocatePool2(POOL_FLAG_NON_PAGED |
						POOL_FLAG_RAISE_ON_FAILURE, 16, TAG));
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	/* Paged pool at DISPATCH_LEVEL: misuse; non-paged works there. */
	preempt_disable();
	q = ExAllocatePool2(POOL_FLAG_PAGED, 16, TAG);
	p = ExAllocatePool2(POOL_FLAG_NON_PAGED, 16, TAG);
	preempt_enable();
	KUNIT_EXPECT_NULL(test, q);
	KUNIT_EXPECT_NOT_NULL(test, p);
	ExFreePool(p);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
}

static void wdk_mdl(struct kunit *test)
{
	unsigned int misuse = dxgk_misuse_count();
	u8 *buf, *va;
	ULONG n, i;
	PMDL mdl;
	struct {
		MDL mdl;
		PFN_NUMBER pfn[4];
	} stack_mdl;

	buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4 * PAGE_SIZE, TAG);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	va = buf + 100;
	mdl = IoAllocateMdl(va, 2 * PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, mdl);
	n = ADDRESS_AND_SIZE_TO_SPAN_PAGES(va, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_PTR_EQ(test, mdl->StartVa, PAGE_ALIGN(va));
	KUNIT_EXPECT_EQ(test, MmGetMdlByteOffset(mdl), BYTE_OFFSET(va));
	KUNIT_EXPECT_EQ(test, MmGetMdlByteCount(mdl), (ULONG)(2 * PAGE_SIZE));
	KUNIT_EXPECT_PTR_EQ(test, MmGetMdlVirtualAddress(mdl), (PVOID)va);
	KUNIT_EXPECT_EQ(test, (SIZE_T)mdl->Size, MmSizeOfMdl(va, 2 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, (SIZE_T)mdl->Size, sizeof(MDL) + 3 * sizeof(PFN_NUMBER));
	/* Not built yet: nothing to map. */
	KUNIT_EXPECT_NULL(test, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority));
	MmBuildMdlForNonPagedPool(mdl);
	KUNIT_EXPECT_TRUE(test, mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, MmGetMdlPfnArray(mdl)[i],
				    (PFN_NUMBER)(virt_to_phys(PAGE_ALIGN(va)) >> PAGE_SHIFT) + i,
				    "page %u", i);
	KUNIT_EXPECT_PTR_EQ(test, MmGetSystemAddressForMdlSafe(mdl, NormalPagePriority),
			    (PVOID)va);
	IoFreeMdl(mdl);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);

	/* A caller-owned MDL, vmalloc memory. */
	ExFreePool(buf);
	buf = vmalloc(3 * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	MmInitializeMdl(&stack_mdl.mdl, buf + 8, 3 * PAGE_SIZE - 8);
	KUNIT_EXPECT_EQ(test, stack_mdl.mdl.MdlFlags, (CSHORT)0);
	KUNIT_EXPECT_EQ(test, stack_mdl.mdl.ByteOffset, 8U);
	MmBuildMdlForNonPagedPool(&stack_mdl.mdl);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ_MSG(test, stack_mdl.pfn[i],
				    (PFN_NUMBER)vmalloc_to_pfn(buf + i * PAGE_SIZE),
				    "page %u", i);
	vfree(buf);

	/* Misuse: refused, counted. */
	KUNIT_EXPECT_NULL(test, IoAllocateMdl(va, PAGE_SIZE, TRUE, FALSE, NULL));
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	KUNIT_EXPECT_NULL(test, IoAllocateMdl(va, 0, FALSE, FALSE, NULL));
	MmInitializeMdl(&stack_mdl.mdl, (PVOID)0x10000UL, PAGE_SIZE);	/* user space */
	MmBuildMdlForNonPagedPool(&stack_mdl.mdl);
	KUNIT_EXPECT_EQ(test, stack_mdl.mdl.MdlFlags, (CSHORT)0);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	IoFreeMdl(&stack_mdl.mdl);	/* not from IoAllocateMdl */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 3);
	KUNIT_EXPECT_EQ(test, MmGetPhysicalAddress((PVOID)0x10000UL).QuadPart, 0LL);
}

static void wdk_locks(struct kunit *test)
{
	KSPIN_LOCK lock;
	FAST_MUTEX fm;
	KIRQL old = 0xff;

	KeInitializeSpinLock(&lock);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)PASSIVE_LEVEL);
	KeAcquireSpinLock(&lock, &old);
	KUNIT_EXPECT_EQ(test, old, (KIRQL)PASSIVE_LEVEL);
	/* DISPATCH_LEVEL: no preemption, no DPC (softirq) on this CPU. */
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)DISPATCH_LEVEL);
	KUNIT_EXPECT_TRUE(test, softirq_count() != 0);
	KeReleaseSpinLock(&lock, old);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)PASSIVE_LEVEL);
	local_bh_disable();
	KeAcquireSpinLockAtDpcLevel(&lock);
	KUNIT_EXPECT_EQ(test, KeGetCurrentIrql(), (KIRQL)DISPATCH_LEVEL);
	KeReleaseSpinLockFromDpcLevel(&lock);
	local_bh_enable();

	ExInitializeFastMutex(&fm);
	ExAcquireFastMutex(&fm);
	KUNIT_EXPECT_FALSE(test, ExTryToAcquireFastMutex(&fm));
	ExReleaseFastMutex(&fm);
	KUNIT_EXPECT_TRUE(test, ExTryToAcquireFastMutex(&fm));
	ExReleaseFastMutex(&fm);
}

/* KeWaitForSingleObject as a miniport calls it, its status as a u32. */
static u32 ke_wait(PRKEVENT ev, PLARGE_INTEGER timeout)
{
	return (u32)KeWaitForSingleObject(ev, Executive, KernelMode, FALSE, timeout);
}

/* 100 ns units, negative: relative. */
#define REL_MS(ms)	{ .QuadPart = -(LONGLONG)(ms) * 10000 }

static KEVENT wdk_ev;

static int wdk_setter(void *arg)
{
	msleep(30);
	KeSetEvent(&wdk_ev, 0, FALSE);
	return 0;
}

struct wdk_stack_wait {
	PRKEVENT ev;
	struct completion started;
};

static int wdk_stack_setter(void *arg)
{
	struct wdk_stack_wait *w = arg;
	PRKEVENT ev = w->ev;

	complete(&w->started);	/* w is gone once the waiter returns */
	usleep_range(1000, 2000);
	KeSetEvent(ev, 0, FALSE);	/* the waiter's frame may go at once */
	return 0;
}

/*
 * The WDK pattern: an event on the waiter's stack, set by another thread;
 * the waiter returns as soon as it sees it. KASAN sees a KeSetEvent that
 * touched the event after waking it.
 */
static noinline void wdk_stack_event_once(struct kunit *test)
{
	struct wdk_stack_wait w;
	KEVENT ev;

	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	w.ev = &ev;
	init_completion(&w.started);
	if (IS_ERR(kthread_run(wdk_stack_setter, &w, "wdk-stack"))) {
		KUNIT_FAIL(test, "no thread");
		return;
	}
	wait_for_completion(&w.started);
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, NULL), (u32)STATUS_SUCCESS);
}

static void wdk_stack_event(struct kunit *test)
{
	int i;

	for (i = 0; i < 50; i++) {
		wdk_stack_event_once(test);
		/* Reuse the frame at once, as a caller would. */
		usleep_range(3000, 4000);
	}
}

static void wdk_events(struct kunit *test)
{
	LARGE_INTEGER zero = { .QuadPart = 0 }, rel = REL_MS(20), abs;
	unsigned int misuse = dxgk_misuse_count();
	KEVENT ev;
	ktime_t t0;
	s64 ms;

	/* Notification: stays signaled, releases every wait. */
	KeInitializeEvent(&ev, NotificationEvent, FALSE);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&ev), 0);
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &zero), (u32)STATUS_TIMEOUT);
	KUNIT_EXPECT_EQ(test, KeSetEvent(&ev, 0, FALSE), 0);
	KUNIT_EXPECT_NE(test, KeSetEvent(&ev, 0, FALSE), 0);	/* was signaled */
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, NULL), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &zero), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_NE(test, KeResetEvent(&ev), 0);
	KUNIT_EXPECT_EQ(test, KeResetEvent(&ev), 0);
	KeSetEvent(&ev, 0, FALSE);
	KeClearEvent(&ev);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&ev), 0);

	/* A relative timeout waits at least that long, then times out. */
	t0 = ktime_get();
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &rel), (u32)STATUS_TIMEOUT);
	KUNIT_EXPECT_GE(test, ktime_ms_delta(ktime_get(), t0), 20LL);
	/* An absolute one: system time 20 ms from now; and one in the past. */
	KeQuerySystemTimePrecise(&abs);
	abs.QuadPart += 20 * 10000;
	t0 = ktime_get();
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &abs), (u32)STATUS_TIMEOUT);
	ms = ktime_ms_delta(ktime_get(), t0);
	KUNIT_EXPECT_GE(test, ms, 19LL);
	abs.QuadPart -= 1000 * 10000;
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &abs), (u32)STATUS_TIMEOUT);

	/* Synchronization: one wait consumes the signal. */
	KeInitializeEvent(&ev, SynchronizationEvent, TRUE);
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &zero), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&ev), 0);
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &zero), (u32)STATUS_TIMEOUT);

	/* Signaled from another thread while this one waits, for ever. */
	KeInitializeEvent(&wdk_ev, SynchronizationEvent, FALSE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(wdk_setter, NULL, "wdk-setter")));
	KUNIT_EXPECT_EQ(test, ke_wait(&wdk_ev, NULL), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, KeReadStateEvent(&wdk_ev), 0);

	/* A blocking wait at DISPATCH_LEVEL: misuse, refused; a poll is fine. */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	preempt_disable();
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &rel), (u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, ke_wait(&ev, &zero), (u32)STATUS_TIMEOUT);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
}

static void wdk_time(struct kunit *test)
{
	LARGE_INTEGER f, c0, c1, now;
	s64 secs;

	c0 = KeQueryPerformanceCounter(&f);
	KUNIT_EXPECT_EQ(test, f.QuadPart, 10000000LL);
	msleep(20);
	c1 = KeQueryPerformanceCounter(NULL);
	/* 20 ms at 10 MHz: at least 200000 ticks. */
	KUNIT_EXPECT_GE(test, c1.QuadPart - c0.QuadPart, 200000LL);
	/* 100 ns intervals since 1601-01-01: the Unix epoch is 11644473600 s on. */
	KeQuerySystemTimePrecise(&now);
	secs = div_s64(now.QuadPart, 10000000) - 11644473600LL;
	KUNIT_EXPECT_LE(test, abs(secs - ktime_get_real_seconds()), 1LL);
	/* KeStallExecutionProcessor busy-waits (microseconds). */
	c0 = KeQueryPerformanceCounter(NULL);
	KeStallExecutionProcessor(500);
	c1 = KeQueryPerformanceCounter(NULL);
	KUNIT_EXPECT_GE(test, c1.QuadPart - c0.QuadPart, 5000LL);
}

static int wdk_suite_init(struct kunit_suite *suite)
{
	dxgk_misuse_set_warn(false);
	return 0;
}

static void wdk_suite_exit(struct kunit_suite *suite)
{
	dxgk_misuse_set_warn(true);
}

static struct kunit_case dxgk_wdk_cases[] = {
	KUNIT_CASE(wdk_page_macros),
	KUNIT_CASE(wdk_nt_assert),
	KUNIT_CASE(wdk_lists),
	KUNIT_CASE(wdk_rtl),
	KUNIT_CASE(wdk_interlocked),
	KUNIT_CASE(wdk_pool),
	KUNIT_CASE(wdk_mdl),
	KUNIT_CASE(wdk_locks),
	KUNIT_CASE(wdk_events),
	KUNIT_CASE(wdk_stack_event),
	KUNIT_CASE(wdk_time),
	{}
};

static struct kunit_suite dxgk_wdk_suite = {
	.name = "dxgkcompat_wdk",
	.suite_init = wdk_suite_init,
	.suite_exit = wdk_suite_exit,
	.test_cases = dxgk_wdk_cases,
};

kunit_test_suite(dxgk_wdk_suite);
