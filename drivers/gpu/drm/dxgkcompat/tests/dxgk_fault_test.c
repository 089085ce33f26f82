// SPDX-License-Identifier: GPL-2.0-only
/**
 * DOC: dxgkcompat_fault - allocation-failure sweep of the port's paths
 *
 * Every callback path a miniport drives (Create of each type, with and
 * without hAdapter; Map in kernel and in user mode; AllocateAdl; Open) and
 * the miniport's own load, probe and StartDevice run once for each
 * allocation they make, with that allocation failed: n = 1, 2, 3, ... until
 * the call no longer reaches allocation n and succeeds untouched. The
 * failure comes from the task's fail_nth counter (lib/fault-inject.c,
 * should_fail_ex()): armed with n, every failslab and fail_page_alloc check
 * in this task counts it down, the one that reaches zero fails, and the
 * counter stays at zero; a call that made fewer checks leaves it above zero.
 * Both kernel allocators are counted, and so is what the debug kernel
 * allocates on their behalf (kmemleak's metadata): each such check is a
 * point, and a failure there is absorbed (the call succeeds).
 *
 * At each point an injected failure must give one of the statuses a
 * shortage is reported with (STATUS_NO_MEMORY, STATUS_INSUFFICIENT_RESOURCES)
 * and clean outputs, or success; undoing the call must bring the objects,
 * adapters, reserved pages, leaked pages (linear maps that could not be set
 * back to WB) and the misuse count back to where they were (an allocation
 * failure is never the miniport's misuse), and no WARN, oops or bad-page
 * report may taint the kernel. kmemleak is left to the box's log check.
 * Each case reports its number of points, and the suite their sum
 * ("fault: total points N").
 *
 * The reclaiming (GFP_KERNEL) allocations these paths make are only
 * counted when the box sets failslab/ignore-gfp-wait, fail_page_alloc/
 * ignore-gfp-wait and fail_page_alloc/ignore-gfp-highmem to N and
 * fail_page_alloc/min-order to 0 (and verbose to 0, for a quiet log): each
 * case first proves that a GFP_KERNEL kmalloc(), an order-0 GFP_KERNEL page
 * and a GFP_HIGHUSER page fail at fail_nth = 1, and skips, naming the knob,
 * if one does not. Without CONFIG_FAULT_INJECTION every case skips.
 *
 * The paging copy (dxgk_paging_copy()) is not swept here: it needs an
 * adapter with a paging engine and an interrupt, which only the ADL suite's
 * test miniport has; its only allocations are its AllocateAdl calls, swept
 * below, and the user-space sweep covers DRM_IOCTL_DXGKCOMPAT_COPY on edu.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/panic.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "../dxgk_caching.h"
#include "../dxgk_drv.h"

#define PSZ		((SIZE_T)PAGE_SIZE)
#define POISON		((HANDLE)(uintptr_t)0xdeadbeef)

#define MDL_T		DXGK_PHYSICAL_MEMORY_TYPE_MDL
#define CONT_T		DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY
#define SECT_T		DXGK_PHYSICAL_MEMORY_TYPE_SECTION
#define IO_T		DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE
#define NC		DXGK_MEMORY_CACHING_TYPE_NON_CACHED
#define CA		DXGK_MEMORY_CACHING_TYPE_CACHED
#define WC		DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED

#define ADL_REQUIRE	1U
#define ADL_PREFER	2U

#define EDU_VENDOR	0x1234
#define EDU_DEVICE	0x11e8

/* A sweep that has not converged after this many points fails. */
#define FAULT_MAX_POINTS	4096
/* The load sweep runs in slices, each well inside the hung-task timeout. */
#define FAULT_SLICE		64
#define FAULT_SLICES		16
/* Deferred releases (a kthread's fput()) get this long to land. */
#define FAULT_SETTLE_TRIES	100
#define FAULT_SETTLE_MS		20

#define FAULT_COUNTERS		"/sys/kernel/debug/dxgkcompat/counters"

/* ------------------------------------------------------------------ */
/* fail_nth                                                            */
/* ------------------------------------------------------------------ */

#ifdef CONFIG_FAULT_INJECTION
static void fault_arm(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

/* Disarm; true if the armed check was reached (and failed). */
static bool fault_disarm(void)
{
	unsigned int left = READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return !left;
}

/*
 * Skip unless fail_nth reaches the allocations the paths make: GFP_KERNEL
 * slab objects, order-0 GFP_KERNEL pages and GFP_HIGHUSER pages (shmem).
 */
static void fault_need_injection(struct kunit *test)
{
	char why[160] = "";
	size_t len = 0;
	struct page *page;
	bool failed;
	void *p;

	fault_arm(1);
	p = kmalloc(64, GFP_KERNEL);
	failed = fault_disarm() && !p;
	kfree(p);
	if (!failed)
		len += scnprintf(why + len, sizeof(why) - len,
				 " failslab/ignore-gfp-wait=N");

	fault_arm(1);
	page = alloc_page(GFP_KERNEL);
	failed = fault_disarm() && !page;
	if (page)
		__free_page(page);
	if (!failed) {
		fault_arm(1);
		page = alloc_pages(GFP_KERNEL, 1);
		failed = fault_disarm() && !page;
		if (page)
			__free_pages(page, 1);
		len += scnprintf(why + len, sizeof(why) - len, " %s",
				 failed ? "fail_page_alloc/min-order=0" :
				 "fail_page_alloc/ignore-gfp-wait=N");
	}

	fault_arm(1);
	page = alloc_page(GFP_HIGHUSER);
	failed = fault_disarm() && !page;
	if (page)
		__free_page(page);
	if (!failed)
		len += scnprintf(why + len, sizeof(why) - len,
				 " fail_page_alloc/ignore-gfp-highmem=N");

	if (len)
		kunit_skip(test, "fail_nth does not reach GFP_KERNEL allocations: set%s",
			   why);
}
#else
static void fault_arm(unsigned int n)
{
}

static bool fault_disarm(void)
{
	return false;
}

static void fault_need_injection(struct kunit *test)
{
	kunit_skip(test, "CONFIG_FAULT_INJECTION is not set");
}
#endif

/* ------------------------------------------------------------------ */
/* what must come back                                                 */
/* ------------------------------------------------------------------ */

struct fault_snap {
	unsigned int pmos;
	unsigned int misuse;
	unsigned int adapters;
	/* from debugfs, if it is there */
	long objects;
	long pages_cached, pages_wc, pages_nc;
	long reserved;
	long leaked;
};

static const struct {
	const char *key;
	size_t off;
} fault_keys[] = {
	{ "objects", offsetof(struct fault_snap, objects) },
	{ "pages_cached", offsetof(struct fault_snap, pages_cached) },
	{ "pages_write_combined", offsetof(struct fault_snap, pages_wc) },
	{ "pages_non_cached", offsetof(struct fault_snap, pages_nc) },
	{ "reserved_pages", offsetof(struct fault_snap, reserved) },
	{ "leaked_pages_total", offsetof(struct fault_snap, leaked) },
};

/* The port's debugfs counters, into @s; false if they cannot be read. */
static bool fault_read_counters(struct fault_snap *s)
{
	const size_t size = 1024;
	struct iov_iter iter;
	struct kiocb kiocb;
	char *buf, *p, *line;
	struct kvec kv;
	struct file *f;
	ssize_t n;

	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return false;
	f = filp_open(FAULT_COUNTERS, O_RDONLY, 0);
	if (IS_ERR(f)) {
		kfree(buf);
		return false;
	}
	/* A seq_file has no ->read_iter for kernel_read(): read it directly. */
	kv = (struct kvec){ .iov_base = buf, .iov_len = size - 1 };
	init_sync_kiocb(&kiocb, f);
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, size - 1);
	n = seq_read_iter(&kiocb, &iter);
	filp_close(f, NULL);
	p = buf;
	while (n > 0 && (line = strsep(&p, "\n"))) {
		char key[32];
		unsigned int i;
		long val;

		if (sscanf(line, "%31s %ld", key, &val) != 2)
			continue;
		for (i = 0; i < ARRAY_SIZE(fault_keys); i++)
			if (!strcmp(key, fault_keys[i].key))
				*(long *)((u8 *)s + fault_keys[i].off) = val;
	}
	kfree(buf);
	return n > 0;
}

static void fault_snapshot(struct fault_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->pmos = dxgk_pmo_count();
	s->misuse = dxgk_misuse_count();
	s->adapters = dxgk_port_adapter_count();
	fault_read_counters(s);
}

static bool fault_same(const struct fault_snap *a, const struct fault_snap *b)
{
	return a->pmos == b->pmos && a->misuse == b->misuse &&
	       a->adapters == b->adapters && a->objects == b->objects &&
	       a->pages_cached == b->pages_cached && a->pages_wc == b->pages_wc &&
	       a->pages_nc == b->pages_nc && a->reserved == b->reserved &&
	       a->leaked == b->leaked;
}

/* A WARN, an oops or a bad-page (or KASAN) report has tainted the kernel. */
static bool fault_tainted(void)
{
	return test_taint(TAINT_WARN) || test_taint(TAINT_DIE) ||
	       test_taint(TAINT_BAD_PAGE);
}

/* ------------------------------------------------------------------ */
/* the sweep                                                           */
/* ------------------------------------------------------------------ */

struct fault_row;

/* What one case sweeps, and its state. */
struct fault_ctx {
	struct kunit *test;
	char what[KUNIT_PARAM_DESC_SIZE + 32];
	const struct fault_row *row;
	struct fault_snap base;
	HANDLE hadapter;		/* for Create, Open, or NULL */
	HANDLE pmo, amo;		/* the object set up for the call */
	phys_addr_t io_base;		/* IO_SPACE objects */
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT create;
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	DXGKARGCB_ALLOCATE_ADL adl;
	DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT open;
	int load_ret;
};

/* The call under injection: NTSTATUS, as the callbacks return. */
typedef NTSTATUS fault_call_fn(struct fault_ctx *c);

/**
 * struct fault_ops - one path under injection
 * @setup: prepare the call without injection; 0 or a negative errno
 * @call: the call, with allocation n failing
 * @failed_clean: after a failed call: its outputs are cleared and it left
 *	nothing behind that undo would not see
 * @undo: release what the call and setup made (@injected: the call ran
 *	with a failure); false after a failure it reported
 * @any_failure: an injected failure may give any failure status, not only
 *	a shortage one: the driver core reports some failed allocations
 *	otherwise (platform_device_add() ignores a failed dev_set_name(),
 *	and device_add() then fails with -EINVAL)
 */
struct fault_ops {
	int (*setup)(struct fault_ctx *c);
	fault_call_fn *call;
	bool (*failed_clean)(struct fault_ctx *c);
	bool (*undo)(struct fault_ctx *c, NTSTATUS status, bool injected);
	bool any_failure;
};

/* What the whole suite covered. */
static unsigned int fault_total;

static bool fault_status_allowed(NTSTATUS status)
{
	return status == STATUS_NO_MEMORY ||
	       status == STATUS_INSUFFICIENT_RESOURCES;
}

/* Everything back where the sweep started? Waits for deferred releases. */
static bool fault_back(struct fault_ctx *c, unsigned int n)
{
	struct fault_snap now;
	unsigned int i;

	for (i = 0;; i++) {
		flush_delayed_fput();
		fault_snapshot(&now);
		if (fault_same(&now, &c->base) || i == FAULT_SETTLE_TRIES)
			break;
		msleep(FAULT_SETTLE_MS);
	}
	if (now.misuse != c->base.misuse)
		KUNIT_FAIL(c->test, "%s, point %u: counted as miniport misuse (%u -> %u)",
			   c->what, n, c->base.misuse, now.misuse);
	if (fault_same(&now, &c->base))
		return true;
	KUNIT_FAIL(c->test,
		   "%s, point %u: not back: PMOs %u -> %u, adapters %u -> %u, objects %ld -> %ld, reserved pages %ld -> %ld, pages WB/WC/UC %ld/%ld/%ld -> %ld/%ld/%ld, leaked pages %ld -> %ld",
		   c->what, n, c->base.pmos, now.pmos, c->base.adapters,
		   now.adapters, c->base.objects, now.objects, c->base.reserved,
		   now.reserved, c->base.pages_cached, c->base.pages_wc,
		   c->base.pages_nc, now.pages_cached, now.pages_wc, now.pages_nc,
		   c->base.leaked, now.leaked);
	return false;
}

/*
 * Sweep points @first..@last of a path: returns the number of points
 * injected; *@converged is set when a call got past every point it has.
 * The first failure of a point ends the sweep.
 */
static unsigned int fault_sweep_range(struct fault_ctx *c,
				      const struct fault_ops *ops,
				      unsigned int first, unsigned int last,
				      bool *converged)
{
	struct kunit *test = c->test;
	unsigned int n, points = 0, absorbed = 0;
	bool tainted = fault_tainted(), injected, ok;
	NTSTATUS ref, status;

	*converged = false;
	if (tainted)
		kunit_info(test, "%s: kernel tainted before the sweep: its WARNs are left to the log check",
			   c->what);
	fault_snapshot(&c->base);

	/* The reference: the call without injection. */
	KUNIT_ASSERT_EQ_MSG(test, ops->setup(c), 0, "%s: setup", c->what);
	ref = ops->call(c);
	if (!ops->undo(c, ref, false) || !fault_back(c, 0))
		return 0;
	KUNIT_ASSERT_EQ_MSG(test, (u32)ref, (u32)STATUS_SUCCESS,
			    "%s: fails without injection", c->what);

	for (n = first; n <= last; n++) {
		if (ops->setup(c)) {
			KUNIT_FAIL(test, "%s, point %u: setup failed", c->what, n);
			break;
		}
		fault_arm(n);
		status = ops->call(c);
		injected = fault_disarm();

		if (!injected) {
			/* Past its last allocation: it must not have noticed. */
			KUNIT_EXPECT_EQ_MSG(test, (u32)status, (u32)ref,
					    "%s: %u points, then %#x without injection",
					    c->what, n - 1, (u32)status);
			if (ops->undo(c, status, false))
				fault_back(c, n);
			*converged = true;
			break;
		}

		points++;
		ok = true;
		if (NT_SUCCESS(status)) {
			absorbed++;
			if (status != STATUS_SUCCESS) {
				KUNIT_FAIL(test, "%s, point %u: status %#x", c->what,
					   n, (u32)status);
				ok = false;
			}
		} else if (!ops->any_failure && !fault_status_allowed(status)) {
			KUNIT_FAIL(test, "%s, point %u: failed with %#x, not a shortage status",
				   c->what, n, (u32)status);
			ok = false;
		} else if (!ops->failed_clean(c)) {
			ok = false;
		}
		ok = ops->undo(c, status, true) && ok;
		ok = fault_back(c, n) && ok;
		if (!tainted && fault_tainted()) {
			KUNIT_FAIL(test, "%s, point %u: kernel tainted (WARN, oops or bad page)",
				   c->what, n);
			ok = false;
		}
		if (!ok) {
			kunit_info(test, "%s: stopped at point %u (status %#x)",
				   c->what, n, (u32)status);
			break;
		}
		cond_resched();
	}
	if (*converged && first == 1)
		kunit_info(test, "%s: %u fault points, %u absorbed", c->what,
			   points, absorbed);
	fault_total += points;
	return points;
}

/* A whole sweep, from point 1 to convergence. */
static void fault_sweep(struct fault_ctx *c, const struct fault_ops *ops)
{
	bool converged;

	fault_sweep_range(c, ops, 1, FAULT_MAX_POINTS, &converged);
	if (!converged && !c->test->status)
		KUNIT_FAIL(c->test, "%s: still failing after %u points", c->what,
			   FAULT_MAX_POINTS);
}

/* ------------------------------------------------------------------ */
/* test miniports: two adapters, edu's if it is free                   */
/* ------------------------------------------------------------------ */

/**
 * struct fault_adapter - an adapter of one of the suite's miniports
 * @drvobj: the miniport's DRIVER_OBJECT
 * @iface: the DXGKRNL_INTERFACE its StartDevice received
 * @started: StartDevice succeeded and StopDevice has not run
 * @registered: DxgkInitialize() succeeded
 */
struct fault_adapter {
	DRIVER_OBJECT drvobj;
	DXGKRNL_INTERFACE iface;
	bool started;
	bool registered;
};

static const struct pci_device_id fault_edu_ids[] = {
	{ PCI_DEVICE(EDU_VENDOR, EDU_DEVICE) },
	{ }
};

static struct fault_adapter fault_virt = {
	.drvobj = { .Owner = THIS_MODULE, .DriverName = "dxgk_kunit_fault" },
};

static struct fault_adapter fault_virt2 = {
	.drvobj = { .Owner = THIS_MODULE, .DriverName = "dxgk_kunit_fault2" },
};

static struct fault_adapter fault_edu = {
	.drvobj = {
		.Owner = THIS_MODULE,
		.DriverName = "dxgk_kunit_fault_pci",
		.PciIdTable = fault_edu_ids,
	},
};

static struct fault_adapter *const fault_adapters[] = {
	&fault_virt, &fault_virt2, &fault_edu,
};

/* The second adapter: edu's if this suite could bind it, else virt2. */
static struct fault_adapter *fault_second;
/* Callbacks that take no adapter. */
static DXGKRNL_INTERFACE fault_cb;
/* An IO_SPACE range: edu's BAR0, 0 without edu. */
static phys_addr_t fault_io_bar;

static NTSTATUS fault_add_device(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
				 PVOID *MiniportDeviceContext)
{
	const struct device_driver *drv = PhysicalDeviceObject->Device->driver;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fault_adapters); i++) {
		if (drv && !strcmp(drv->name, fault_adapters[i]->drvobj.DriverName)) {
			*MiniportDeviceContext = fault_adapters[i];
			return STATUS_SUCCESS;
		}
	}
	return STATUS_NO_SUCH_DEVICE;
}

static NTSTATUS fault_start_device(IN_CONST_PVOID MiniportDeviceContext,
				   IN_PDXGK_START_INFO DxgkStartInfo,
				   IN_PDXGKRNL_INTERFACE DxgkInterface,
				   PULONG NumberOfVideoPresentSources,
				   PULONG NumberOfChildren)
{
	struct fault_adapter *a = (struct fault_adapter *)MiniportDeviceContext;

	a->iface = *DxgkInterface;
	a->started = true;
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return STATUS_SUCCESS;
}

static NTSTATUS fault_stop_device(IN_CONST_PVOID MiniportDeviceContext)
{
	((struct fault_adapter *)MiniportDeviceContext)->started = false;
	return STATUS_SUCCESS;
}

static NTSTATUS fault_remove_device(IN_CONST_PVOID MiniportDeviceContext)
{
	return STATUS_SUCCESS;
}

static VOID fault_unload(VOID)
{
}

static void fault_register(struct fault_adapter *a)
{
	/* No QueryAdapterInfo: the whole address space, a 64-bit DMA mask. */
	DRIVER_INITIALIZATION_DATA init = {
		.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9,
		.DxgkDdiAddDevice = fault_add_device,
		.DxgkDdiStartDevice = fault_start_device,
		.DxgkDdiStopDevice = fault_stop_device,
		.DxgkDdiRemoveDevice = fault_remove_device,
		.DxgkDdiUnload = fault_unload,
	};

	a->registered = NT_SUCCESS(DxgkInitialize(&a->drvobj, NULL, &init));
}

static HANDLE fault_handle(const struct fault_adapter *a)
{
	return a->iface.DeviceHandle;
}

/* ------------------------------------------------------------------ */
/* objects                                                             */
/* ------------------------------------------------------------------ */

/**
 * struct fault_row - one object (and what to do with it) a case sweeps
 * @name: the parameter's description
 * @type: DXGK_PHYSICAL_MEMORY_TYPE
 * @cache: DXGK_MEMORY_CACHING_TYPE
 * @size: bytes
 * @amo: Create with hAdapter (the virtual adapter's): the AMO path
 * @adl_flags: AllocateAdl Flags
 * @adl_virt: AllocateAdl on the virtual adapter even when edu is bound
 * @pool: Create: the pool of @cache before each call (FAULT_POOL_ASIS,
 *	FAULT_POOL_EMPTY, or emptied and then holding this many pages)
 */
struct fault_row {
	const char *name;
	DXGK_PHYSICAL_MEMORY_TYPE type;
	DXGK_MEMORY_CACHING_TYPE cache;
	SIZE_T size;
	bool amo;
	u32 adl_flags;
	bool adl_virt;
	int pool;
};

/* fault_row.pool: before each call, the pool of the row's cache type... */
#define FAULT_POOL_ASIS		0	/* ...is left as it is */
#define FAULT_POOL_EMPTY	(-1)	/* ...is emptied */
/* (> 0: emptied, then holds that many pages) */

static void fault_args(struct fault_ctx *c, DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *a,
		       HANDLE hadapter)
{
	const struct fault_row *r = c->row;

	memset(a, 0, sizeof(*a));
	a->hAdapter = hadapter;
	a->Size = r->size;
	a->Context = 0x5a5a;
	a->Type = r->type;
	a->CacheType = r->cache;
	a->hPhysicalMemoryObject = POISON;
	a->hAdapterMemoryObject = POISON;
	switch (r->type) {
	case MDL_T:
		a->Mdl.HighAddress.QuadPart = S64_MAX;
		break;
	case CONT_T:
		a->ContiguousMemory.HighestAcceptableAddress.QuadPart = S64_MAX;
		break;
	case SECT_T:
		a->Section.DesiredAccess = SECTION_MAP_READ | SECTION_MAP_WRITE;
		a->Section.PageProtection = PAGE_READWRITE;
		a->Section.AllocationAttributes = SEC_COMMIT;
		break;
	default:
		a->IOSpace.BaseAddress.QuadPart = c->io_base;
		break;
	}
}

/* Create the row's object without injection (on @hadapter, if set). */
static int fault_new_obj(struct fault_ctx *c, HANDLE hadapter)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	NTSTATUS status;

	fault_args(c, &a, hadapter);
	status = fault_cb.DxgkCbCreatePhysicalMemoryObject(&a);
	if (!NT_SUCCESS(status)) {
		KUNIT_FAIL(c->test, "%s: create without injection: %#x", c->what,
			   (u32)status);
		return -ENOMEM;
	}
	c->pmo = a.hPhysicalMemoryObject;
	c->amo = a.hAdapterMemoryObject;
	return 0;
}

/* Destroy an object (and its AMO), which must not be misuse. */
static bool fault_destroy(struct fault_ctx *c, HANDLE pmo, HANDLE amo)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
		.hPhysicalMemoryObject = pmo,
		.hAdapterMemoryObject = amo,
	};
	unsigned int misuse = dxgk_misuse_count();

	fault_cb.DxgkCbDestroyPhysicalMemoryObject(&d);
	if (dxgk_misuse_count() == misuse)
		return true;
	KUNIT_FAIL(c->test, "%s: destroy refused as misuse", c->what);
	return false;
}

static bool fault_unmap(struct fault_ctx *c, HANDLE pmo,
			const DXGKARGCB_MAP_PHYSICAL_MEMORY *map)
{
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {
		.hPhysicalMemoryObject = pmo,
		.pBaseAddress = map->pMappedAddress,
		.Size = map->Size,
	};
	unsigned int misuse = dxgk_misuse_count();

	fault_cb.DxgkCbUnmapPhysicalMemory(&u);
	if (dxgk_misuse_count() == misuse)
		return true;
	KUNIT_FAIL(c->test, "%s: unmap refused as misuse", c->what);
	return false;
}

static bool fault_close(struct fault_ctx *c, HANDLE amo)
{
	DXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT close = { .hAdapterMemoryObject = amo };
	unsigned int misuse = dxgk_misuse_count();

	fault_cb.DxgkCbClosePhysicalMemoryObject(&close);
	if (dxgk_misuse_count() == misuse)
		return true;
	KUNIT_FAIL(c->test, "%s: close refused as misuse", c->what);
	return false;
}

static void fault_ctx_init(struct fault_ctx *c, struct kunit *test,
			   const char *what, const struct fault_row *row)
{
	memset(c, 0, sizeof(*c));
	c->test = test;
	c->row = row;
	snprintf(c->what, sizeof(c->what), "%s%s%s", what, c->row ? " " : "",
		 c->row ? c->row->name : "");
	if (c->row && c->row->type == IO_T) {
		if (!fault_io_bar)
			kunit_skip(test, "no QEMU edu device: no IO_SPACE range");
		c->io_base = fault_io_bar;
	}
}

static void fault_need_adapter(struct kunit *test, const struct fault_adapter *a)
{
	KUNIT_ASSERT_TRUE_MSG(test, a && a->started, "%s did not start",
			      a ? a->drvobj.DriverName : "the second adapter");
}

/* ------------------------------------------------------------------ */
/* Create                                                              */
/* ------------------------------------------------------------------ */

/*
 * The pool as the row asks: empty, or holding some of the pages the call
 * needs, so that a failure after the pooled pages were taken is swept.
 */
static int fault_pool_setup(struct fault_ctx *c)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {};
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;

	if (c->row->pool == FAULT_POOL_ASIS)
		return 0;
	dxgk_pool_shrink(ULONG_MAX);
	if (c->row->pool < 0)
		return 0;
	fault_args(c, &a, NULL);
	a.Size = c->row->pool * PSZ;
	if (!NT_SUCCESS(fault_cb.DxgkCbCreatePhysicalMemoryObject(&a)))
		return -ENOMEM;
	d.hPhysicalMemoryObject = a.hPhysicalMemoryObject;
	fault_cb.DxgkCbDestroyPhysicalMemoryObject(&d);
	return dxgk_pool_pages(c->row->cache) == c->row->pool ? 0 : -ENOSPC;
}

static int fault_create_setup(struct fault_ctx *c)
{
	fault_args(c, &c->create, c->hadapter);
	return fault_pool_setup(c);
}

static NTSTATUS fault_create_call(struct fault_ctx *c)
{
	return fault_cb.DxgkCbCreatePhysicalMemoryObject(&c->create);
}

static bool fault_create_failed_clean(struct fault_ctx *c)
{
	/* pages taken from the pool went back to it */
	if (c->row->pool > 0 && dxgk_pool_pages(c->row->cache) != c->row->pool) {
		KUNIT_FAIL(c->test, "%s: a failed create left %lu pages pooled, not %d",
			   c->what, dxgk_pool_pages(c->row->cache), c->row->pool);
		return false;
	}
	if (!c->create.hPhysicalMemoryObject && !c->create.hAdapterMemoryObject)
		return true;
	KUNIT_FAIL(c->test, "%s: a failed create left handles %p/%p", c->what,
		   c->create.hPhysicalMemoryObject, c->create.hAdapterMemoryObject);
	return false;
}

static bool fault_create_undo(struct fault_ctx *c, NTSTATUS status, bool injected)
{
	if (!NT_SUCCESS(status))
		return true;
	if (!c->create.hPhysicalMemoryObject ||
	    !c->create.hAdapterMemoryObject != !c->hadapter) {
		KUNIT_FAIL(c->test, "%s: created with handles %p/%p", c->what,
			   c->create.hPhysicalMemoryObject,
			   c->create.hAdapterMemoryObject);
		return false;
	}
	return fault_destroy(c, c->create.hPhysicalMemoryObject,
			     c->create.hAdapterMemoryObject);
}

static const struct fault_ops fault_create_ops = {
	.setup = fault_create_setup,
	.call = fault_create_call,
	.failed_clean = fault_create_failed_clean,
	.undo = fault_create_undo,
};

static const struct fault_row fault_create_rows[] = {
	{ "MDL cached, 1 page", MDL_T, CA, PSZ },
	{ "MDL cached, 1 page, AMO", MDL_T, CA, PSZ, true },
	{ "MDL write-combined, 1 page", MDL_T, WC, PSZ },
	{ "MDL write-combined, 1 page, AMO", MDL_T, WC, PSZ, true },
	{ "MDL non-cached, 1 page", MDL_T, NC, PSZ },
	{ "MDL non-cached, 1 page, AMO", MDL_T, NC, PSZ, true },
	{ "MDL cached, 64 pages", MDL_T, CA, 64 * PSZ },
	{ "MDL cached, 64 pages, AMO", MDL_T, CA, 64 * PSZ, true },
	{ "MDL write-combined, 64 pages", MDL_T, WC, 64 * PSZ },
	{ "MDL write-combined, 64 pages, AMO", MDL_T, WC, 64 * PSZ, true },
	{ "MDL non-cached, 64 pages", MDL_T, NC, 64 * PSZ },
	{ "MDL non-cached, 64 pages, AMO", MDL_T, NC, 64 * PSZ, true },
	{ "MDL write-combined, 64 pages, pool empty", MDL_T, WC, 64 * PSZ,
	  .pool = FAULT_POOL_EMPTY },
	{ "MDL write-combined, 64 pages, 16 pooled", MDL_T, WC, 64 * PSZ, .pool = 16 },
	{ "MDL non-cached, 64 pages, pool empty", MDL_T, NC, 64 * PSZ,
	  .pool = FAULT_POOL_EMPTY },
	{ "MDL non-cached, 64 pages, 16 pooled", MDL_T, NC, 64 * PSZ, .pool = 16 },
	{ "CONTIGUOUS cached", CONT_T, CA, 4 * PSZ },
	{ "CONTIGUOUS cached, AMO", CONT_T, CA, 4 * PSZ, true },
	{ "CONTIGUOUS write-combined", CONT_T, WC, 4 * PSZ },
	{ "CONTIGUOUS write-combined, AMO", CONT_T, WC, 4 * PSZ, true },
	{ "SECTION cached", SECT_T, CA, 4 * PSZ },
	{ "SECTION cached, AMO", SECT_T, CA, 4 * PSZ, true },
	{ "SECTION write-combined", SECT_T, WC, 4 * PSZ },
	{ "SECTION write-combined, AMO", SECT_T, WC, 4 * PSZ, true },
	{ "IO_SPACE", IO_T, NC, PSZ },
	{ "IO_SPACE, AMO", IO_T, NC, PSZ, true },
};

KUNIT_ARRAY_PARAM_DESC(fault_create, fault_create_rows, name);

/* DxgkCbCreatePhysicalMemoryObject, every type, with and without hAdapter. */
static void fault_create(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "create", test->param_value);
	if (c->row->amo) {
		fault_need_adapter(test, &fault_virt);
		c->hadapter = fault_handle(&fault_virt);
	}
	fault_sweep(c, &fault_create_ops);
}

/* ------------------------------------------------------------------ */
/* Map                                                                 */
/* ------------------------------------------------------------------ */

static int fault_map_setup(struct fault_ctx *c, DXGK_ACCESS_MODE mode)
{
	int ret = fault_new_obj(c, NULL);

	c->map = (DXGKARGCB_MAP_PHYSICAL_MEMORY){
		.hPhysicalMemoryObject = c->pmo,
		.AccessMode = mode,
		.Offset = 0,
		.Size = c->row->size,
		.pMappedAddress = POISON,
	};
	return ret;
}

static int fault_map_kernel_setup(struct fault_ctx *c)
{
	return fault_map_setup(c, DXGK_ACCESS_MODE_KERNEL_MODE);
}

static int fault_map_user_setup(struct fault_ctx *c)
{
	return fault_map_setup(c, DXGK_ACCESS_MODE_USER_MODE);
}

static NTSTATUS fault_map_call(struct fault_ctx *c)
{
	return fault_cb.DxgkCbMapPhysicalMemory(&c->map);
}

static bool fault_map_failed_clean(struct fault_ctx *c)
{
	if (!c->map.pMappedAddress)
		return true;
	KUNIT_FAIL(c->test, "%s: a failed map returned %p", c->what,
		   c->map.pMappedAddress);
	return false;
}

/*
 * Unmap a successful map; after a failed one, the object must still map
 * (no pin or mapping was left half made). Then destroy it.
 */
static bool fault_map_undo(struct fault_ctx *c, NTSTATUS status, bool injected)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY again;
	bool ok = true;
	NTSTATUS st;

	if (NT_SUCCESS(status)) {
		ok = fault_unmap(c, c->pmo, &c->map);
	} else if (injected) {
		again = c->map;
		again.Offset = 0;
		again.Size = c->row->size;
		st = fault_cb.DxgkCbMapPhysicalMemory(&again);
		if (NT_SUCCESS(st)) {
			ok = fault_unmap(c, c->pmo, &again);
		} else {
			KUNIT_FAIL(c->test, "%s: the object no longer maps: %#x",
				   c->what, (u32)st);
			ok = false;
		}
	}
	return fault_destroy(c, c->pmo, NULL) && ok;
}

static const struct fault_ops fault_map_kernel_ops = {
	.setup = fault_map_kernel_setup,
	.call = fault_map_call,
	.failed_clean = fault_map_failed_clean,
	.undo = fault_map_undo,
};

static const struct fault_ops fault_map_user_ops = {
	.setup = fault_map_user_setup,
	.call = fault_map_call,
	.failed_clean = fault_map_failed_clean,
	.undo = fault_map_undo,
};

static const struct fault_row fault_map_kernel_rows[] = {
	{ "MDL cached", MDL_T, CA, 4 * PSZ },
	{ "MDL write-combined", MDL_T, WC, 4 * PSZ },
	{ "MDL non-cached", MDL_T, NC, 4 * PSZ },
	{ "CONTIGUOUS cached", CONT_T, CA, 4 * PSZ },
	{ "SECTION cached", SECT_T, CA, 4 * PSZ },
	{ "SECTION write-combined", SECT_T, WC, 4 * PSZ },
	{ "IO_SPACE non-cached", IO_T, NC, PSZ },
	{ "IO_SPACE cached", IO_T, CA, PSZ },
	{ "IO_SPACE write-combined", IO_T, WC, PSZ },
};

KUNIT_ARRAY_PARAM_DESC(fault_map_kernel, fault_map_kernel_rows, name);

/* DxgkCbMapPhysicalMemory(KERNEL_MODE): vmap(), a SECTION's pin, ioremap. */
static void fault_map_kernel(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "map kernel", test->param_value);
	fault_sweep(c, &fault_map_kernel_ops);
}

static const struct fault_row fault_map_user_rows[] = {
	{ "MDL cached", MDL_T, CA, 4 * PSZ },
	{ "MDL write-combined", MDL_T, WC, 4 * PSZ },
	{ "MDL non-cached", MDL_T, NC, 4 * PSZ },
	{ "SECTION cached", SECT_T, CA, 4 * PSZ },
	{ "SECTION write-combined", SECT_T, WC, 4 * PSZ },
};

KUNIT_ARRAY_PARAM_DESC(fault_map_user, fault_map_user_rows, name);

/*
 * DxgkCbMapPhysicalMemory(USER_MODE): the mapping file and vm_mmap() in
 * the calling process. The test thread has no mm of its own: it gets one
 * (kunit_vm_mmap() attaches it), as a miniport's Escape runs in a process.
 * The object is released by the mapping file's deferred fput().
 */
static void fault_map_user(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned long addr;

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "map user", test->param_value);
	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_TRUE_MSG(test, addr && !IS_ERR_VALUE(addr) && current->mm,
			      "no user address space for the test thread");
	fault_sweep(c, &fault_map_user_ops);
}

/* ------------------------------------------------------------------ */
/* AllocateAdl                                                         */
/* ------------------------------------------------------------------ */

/* The adapter ADLs are swept on: edu's (through the IOMMU) if bound. */
static struct fault_adapter *fault_adl_adapter(const struct fault_row *r)
{
	if (!r->adl_virt && fault_second == &fault_edu)
		return &fault_edu;
	return &fault_virt;
}

static int fault_adl_setup(struct fault_ctx *c)
{
	int ret = fault_new_obj(c, c->hadapter);

	c->adl = (DXGKARGCB_ALLOCATE_ADL){
		.hAdapterMemoryObject = c->amo,
		.Offset = 0,
		.Size = c->row->size,
		.pAdl = (DXGK_ADL *)POISON,
	};
	c->adl.Flags.Value = c->row->adl_flags;
	return ret;
}

static NTSTATUS fault_adl_call(struct fault_ctx *c)
{
	return fault_cb.DxgkCbAllocateAdl(&c->adl);
}

static bool fault_adl_failed_clean(struct fault_ctx *c)
{
	if (!c->adl.pAdl)
		return true;
	KUNIT_FAIL(c->test, "%s: a failed AllocateAdl returned %p", c->what,
		   c->adl.pAdl);
	return false;
}

static bool fault_free_adl(struct fault_ctx *c, DXGK_ADL *adl)
{
	DXGKARGCB_FREE_ADL f = { .hAdapterMemoryObject = c->amo, .pAdl = adl };
	unsigned int misuse = dxgk_misuse_count();

	fault_cb.DxgkCbFreeAdl(&f);
	if (dxgk_misuse_count() == misuse)
		return true;
	KUNIT_FAIL(c->test, "%s: FreeAdl refused as misuse", c->what);
	return false;
}

/*
 * Free a successful ADL; after a failed one, the object must still give
 * one (nothing left pinned or mapped half way). Then destroy it with its
 * AMO, which is refused if an ADL was left on it.
 */
static bool fault_adl_undo(struct fault_ctx *c, NTSTATUS status, bool injected)
{
	DXGKARGCB_ALLOCATE_ADL again;
	bool ok = true;
	NTSTATUS st;

	if (NT_SUCCESS(status)) {
		ok = fault_free_adl(c, c->adl.pAdl);
	} else if (injected) {
		again = c->adl;
		st = fault_cb.DxgkCbAllocateAdl(&again);
		if (NT_SUCCESS(st)) {
			ok = fault_free_adl(c, again.pAdl);
		} else {
			KUNIT_FAIL(c->test, "%s: the object no longer gives an ADL: %#x",
				   c->what, (u32)st);
			ok = false;
		}
	}
	return fault_destroy(c, c->pmo, c->amo) && ok;
}

static const struct fault_ops fault_adl_ops = {
	.setup = fault_adl_setup,
	.call = fault_adl_call,
	.failed_clean = fault_adl_failed_clean,
	.undo = fault_adl_undo,
};

/*
 * IO_SPACE on the virtual adapter only: with an IOMMU, a failed
 * dma_map_resource() leaves a DMA-API debug entry behind (6.12's
 * debug_dma_map_resource() records DMA_MAPPING_ERROR too), which reports
 * "pending DMA allocations" with a WARN when the device unbinds.
 */
static const struct fault_row fault_adl_rows[] = {
	{ "MDL, page list", MDL_T, CA, 4 * PSZ, true, 0 },
	{ "MDL, prefer contiguous", MDL_T, CA, 4 * PSZ, true, ADL_PREFER },
	{ "CONTIGUOUS, require contiguous", CONT_T, CA, 4 * PSZ, true, ADL_REQUIRE },
	{ "SECTION, prefer contiguous", SECT_T, CA, 4 * PSZ, true, ADL_PREFER },
	{ "IO_SPACE, virtual adapter", IO_T, NC, PSZ, true, ADL_REQUIRE, true },
};

KUNIT_ARRAY_PARAM_DESC(fault_adl, fault_adl_rows, name);

/* DxgkCbAllocateAdl: scatterlist, DMA mapping, page array, SECTION pin. */
static void fault_allocate_adl(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct fault_adapter *a;

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "AllocateAdl", test->param_value);
	a = fault_adl_adapter(c->row);
	fault_need_adapter(test, a);
	c->hadapter = fault_handle(a);
	kunit_info(test, "%s: on %s", c->what, a->drvobj.DriverName);
	fault_sweep(c, &fault_adl_ops);
}

/* ------------------------------------------------------------------ */
/* WDDM 2.4: AllocatePagesForMdl, AllocateContiguousMemory, MapMdlToIoMmu */
/* ------------------------------------------------------------------ */

/* fault_row.adl_flags of the 2.4 rows: which call. */
#define F24_PAGES	1
#define F24_CONTIG	2
#define F24_MDL_MAP	3

struct fault_24 {
	DXGKARGCB_ALLOCATEPAGESFORMDL pages;
	DXGKARGCB_ALLOCATECONTIGUOUSMEMORY contig;
	DXGKARGCB_MAPMDLTOIOMMU map;
	void *buf;
};

static struct fault_24 f24;

/* Each call's arguments, outputs poisoned; MDL_MAP: the miniport's MDL. */
static int fault_24_setup(struct fault_ctx *c)
{
	memset(&f24, 0, sizeof(f24));
	f24.pages.HighAddress.QuadPart = 0xFFFFFFFFULL;
	f24.pages.TotalBytes = c->row->size;
	f24.pages.CacheType = c->row->cache;
	f24.pages.hMemoryHandle = POISON;
	f24.pages.pMdl = POISON;
	f24.contig.NumberOfBytes = c->row->size;
	f24.contig.HighestAcceptableAddress.QuadPart = 0xFFFFFFFFULL;
	f24.contig.CacheType = c->row->cache;
	f24.contig.hMemoryHandle = POISON;
	f24.contig.pMemory = POISON;
	if (c->row->adl_flags != F24_MDL_MAP)
		return 0;
	f24.buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, c->row->size, 0x34326b64);
	if (!f24.buf)
		return -ENOMEM;
	f24.map.pMdl = IoAllocateMdl(f24.buf, c->row->size, FALSE, FALSE, NULL);
	if (!f24.map.pMdl) {
		ExFreePool(f24.buf);
		return -ENOMEM;
	}
	MmBuildMdlForNonPagedPool(f24.map.pMdl);
	f24.map.hMemoryHandle = POISON;
	return 0;
}

static NTSTATUS fault_24_call(struct fault_ctx *c)
{
	switch (c->row->adl_flags) {
	case F24_PAGES:
		return fault_cb.DxgkCbAllocatePagesForMdl(c->hadapter, &f24.pages);
	case F24_CONTIG:
		return fault_cb.DxgkCbAllocateContiguousMemory(c->hadapter, &f24.contig);
	default:
		return fault_cb.DxgkCbMapMdlToIoMmu(c->hadapter, &f24.map);
	}
}

static bool fault_24_failed_clean(struct fault_ctx *c)
{
	/* The calls not made keep their poison: only the one made must be clear. */
	switch (c->row->adl_flags) {
	case F24_PAGES:
		if (!f24.pages.hMemoryHandle && !f24.pages.pMdl)
			return true;
		break;
	case F24_CONTIG:
		if (!f24.contig.hMemoryHandle && !f24.contig.pMemory)
			return true;
		break;
	default:
		if (!f24.map.hMemoryHandle)
			return true;
	}
	KUNIT_FAIL(c->test, "%s: a failed call left its outputs set", c->what);
	return false;
}

static bool fault_24_undo(struct fault_ctx *c, NTSTATUS status, bool injected)
{
	DXGKARGCB_FREEPAGESFROMMDL fp = { .hMemoryHandle = f24.pages.hMemoryHandle };
	DXGKARGCB_FREECONTIGUOUSMEMORY fc = { .hMemoryHandle = f24.contig.hMemoryHandle };
	DXGKARGCB_UNMAPMDLFROMIOMMU um = { .hMemoryHandle = f24.map.hMemoryHandle };
	NTSTATUS st = STATUS_SUCCESS;

	if (NT_SUCCESS(status)) {
		switch (c->row->adl_flags) {
		case F24_PAGES:
			st = fault_cb.DxgkCbFreePagesFromMdl(c->hadapter, &fp);
			break;
		case F24_CONTIG:
			st = fault_cb.DxgkCbFreeContiguousMemory(c->hadapter, &fc);
			break;
		default:
			fault_cb.DxgkCbUnmapMdlFromIoMmu(c->hadapter, &um);
		}
	}
	if (f24.map.pMdl) {
		IoFreeMdl(f24.map.pMdl);
		ExFreePool(f24.buf);
	}
	if (st != STATUS_SUCCESS)
		KUNIT_FAIL(c->test, "%s: the free failed: %#x", c->what, (u32)st);
	return st == STATUS_SUCCESS;
}

static const struct fault_ops fault_24_ops = {
	.setup = fault_24_setup,
	.call = fault_24_call,
	.failed_clean = fault_24_failed_clean,
	.undo = fault_24_undo,
};

static const struct fault_row fault_24_rows[] = {
	{ "pages-for-mdl", MDL_T, CA, 4 * PSZ, .adl_flags = F24_PAGES },
	{ "pages-for-mdl-wc", MDL_T, WC, 4 * PSZ, .adl_flags = F24_PAGES },
	{ "contiguous", CONT_T, CA, 4 * PSZ, .adl_flags = F24_CONTIG },
	{ "mdl-to-iommu", MDL_T, CA, 3 * PSZ, .adl_flags = F24_MDL_MAP },
	/*
	 * Not on the virtual adapter: there dma_map_sgtable() of RAM is
	 * dma-direct, whose DMA-API debug tracking makes a GFP_ATOMIC
	 * allocation of its own, and a failure injected there turns DMA-API
	 * debugging off for the rest of the run. Its no-IOMMU paths are
	 * KUnit's iommu24_identity_no_iommu.
	 */
};

KUNIT_ARRAY_PARAM_DESC(fault_24, fault_24_rows, name);

/* The 2.4 callbacks: page array, MDL, PMO, ADL, kernel map, handle table. */
static void fault_iommu24(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct fault_adapter *a;

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "2.4", test->param_value);
	a = fault_adl_adapter(c->row);
	fault_need_adapter(test, a);
	c->hadapter = fault_handle(a);
	kunit_info(test, "%s: on %s", c->what, a->drvobj.DriverName);
	fault_sweep(c, &fault_24_ops);
}

/* ------------------------------------------------------------------ */
/* Open                                                                */
/* ------------------------------------------------------------------ */

/* An object created on the virtual adapter and closed there. */
static int fault_open_setup(struct fault_ctx *c)
{
	int ret = fault_new_obj(c, fault_handle(&fault_virt));

	if (ret)
		return ret;
	if (!fault_close(c, c->amo))
		return -EINVAL;
	c->amo = NULL;
	c->open = (DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT){
		.hPhysicalMemoryObject = c->pmo,
		.hAdapter = c->hadapter,
		.hAdapterMemoryObject = POISON,
	};
	return 0;
}

static NTSTATUS fault_open_call(struct fault_ctx *c)
{
	return fault_cb.DxgkCbOpenPhysicalMemoryObject(&c->open);
}

static bool fault_open_failed_clean(struct fault_ctx *c)
{
	if (!c->open.hAdapterMemoryObject)
		return true;
	KUNIT_FAIL(c->test, "%s: a failed open returned %p", c->what,
		   c->open.hAdapterMemoryObject);
	return false;
}

/*
 * Close what the open made; after a failed open the object must open (it
 * was not left half open). Then destroy it.
 */
static bool fault_open_undo(struct fault_ctx *c, NTSTATUS status, bool injected)
{
	DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT again = c->open;
	HANDLE amo = NULL;
	bool ok = true;
	NTSTATUS st;

	if (NT_SUCCESS(status)) {
		amo = c->open.hAdapterMemoryObject;
	} else if (injected) {
		st = fault_cb.DxgkCbOpenPhysicalMemoryObject(&again);
		if (NT_SUCCESS(st)) {
			amo = again.hAdapterMemoryObject;
		} else {
			KUNIT_FAIL(c->test, "%s: the object no longer opens: %#x",
				   c->what, (u32)st);
			ok = false;
		}
	}
	if (amo)
		ok = fault_close(c, amo) && ok;
	return fault_destroy(c, c->pmo, NULL) && ok;
}

static const struct fault_ops fault_open_ops = {
	.setup = fault_open_setup,
	.call = fault_open_call,
	.failed_clean = fault_open_failed_clean,
	.undo = fault_open_undo,
};

static const struct fault_row fault_open_row = { "MDL", MDL_T, CA, 4 * PSZ };

/* DxgkCbOpenPhysicalMemoryObject on a second adapter; Close undoes it. */
static void fault_open(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "open", &fault_open_row);
	fault_need_adapter(test, &fault_virt);
	fault_need_adapter(test, fault_second);
	c->hadapter = fault_handle(fault_second);
	kunit_info(test, "%s: on %s", c->what, fault_second->drvobj.DriverName);
	fault_sweep(c, &fault_open_ops);
}

/* ------------------------------------------------------------------ */
/* miniport load, probe, StartDevice                                   */
/* ------------------------------------------------------------------ */

#define FL_NAME "dxgk_kunit_fault_load"

/*
 * The load sweep's miniport: its StartDevice does what a real one does,
 * an object on its adapter, mapped, with an ADL, all released in
 * StopDevice; each DDI is counted so the port's pairing can be checked.
 */
static struct {
	unsigned int adds, removes, starts, stops, unloads;
	bool running;
	DXGKRNL_INTERFACE iface;
	HANDLE pmo, amo;
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	DXGK_ADL *adl;
} fl;

static DRIVER_OBJECT fl_drvobj = {
	.Owner = THIS_MODULE,
	.DriverName = FL_NAME,
};

static NTSTATUS fl_add_device(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			      PVOID *MiniportDeviceContext)
{
	fl.adds++;
	*MiniportDeviceContext = &fl;
	return STATUS_SUCCESS;
}

static void fl_release(void)
{
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {
		.hPhysicalMemoryObject = fl.pmo,
		.pBaseAddress = fl.map.pMappedAddress,
		.Size = fl.map.Size,
	};
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
		.hPhysicalMemoryObject = fl.pmo,
		.hAdapterMemoryObject = fl.amo,
	};
	DXGKARGCB_FREE_ADL f = { .hAdapterMemoryObject = fl.amo, .pAdl = fl.adl };

	if (fl.adl)
		fl.iface.DxgkCbFreeAdl(&f);
	if (fl.map.pMappedAddress)
		fl.iface.DxgkCbUnmapPhysicalMemory(&u);
	if (fl.pmo)
		fl.iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	fl.adl = NULL;
	fl.map.pMappedAddress = NULL;
	fl.pmo = NULL;
	fl.amo = NULL;
}

static NTSTATUS fl_start_device(IN_CONST_PVOID MiniportDeviceContext,
				IN_PDXGK_START_INFO DxgkStartInfo,
				IN_PDXGKRNL_INTERFACE DxgkInterface,
				PULONG NumberOfVideoPresentSources,
				PULONG NumberOfChildren)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT c = {
		.hAdapter = DxgkInterface->DeviceHandle,
		.Size = 2 * PSZ,
		.Type = MDL_T,
		.CacheType = CA,
		.Mdl.HighAddress.QuadPart = S64_MAX,
	};
	DXGKARGCB_ALLOCATE_ADL a = { .Size = 2 * PSZ };
	NTSTATUS status;

	fl.iface = *DxgkInterface;
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	status = fl.iface.DxgkCbCreatePhysicalMemoryObject(&c);
	if (!NT_SUCCESS(status))
		return status;
	fl.pmo = c.hPhysicalMemoryObject;
	fl.amo = c.hAdapterMemoryObject;
	fl.map = (DXGKARGCB_MAP_PHYSICAL_MEMORY){
		.hPhysicalMemoryObject = fl.pmo,
		.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
		.Size = 2 * PSZ,
	};
	status = fl.iface.DxgkCbMapPhysicalMemory(&fl.map);
	if (NT_SUCCESS(status)) {
		a.hAdapterMemoryObject = fl.amo;
		a.Flags.PreferContiguous = 1;
		status = fl.iface.DxgkCbAllocateAdl(&a);
		fl.adl = a.pAdl;
	}
	if (!NT_SUCCESS(status)) {
		fl_release();
		return status;
	}
	fl.starts++;
	fl.running = true;
	return STATUS_SUCCESS;
}

static NTSTATUS fl_stop_device(IN_CONST_PVOID MiniportDeviceContext)
{
	fl_release();
	fl.stops++;
	fl.running = false;
	return STATUS_SUCCESS;
}

static NTSTATUS fl_remove_device(IN_CONST_PVOID MiniportDeviceContext)
{
	fl.removes++;
	return STATUS_SUCCESS;
}

static VOID fl_unload(VOID)
{
	fl.unloads++;
}

static NTSTATUS fl_driver_entry(PDRIVER_OBJECT DriverObject,
				PUNICODE_STRING RegistryPath)
{
	DRIVER_INITIALIZATION_DATA init = {
		.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9,
		.DxgkDdiAddDevice = fl_add_device,
		.DxgkDdiStartDevice = fl_start_device,
		.DxgkDdiStopDevice = fl_stop_device,
		.DxgkDdiRemoveDevice = fl_remove_device,
		.DxgkDdiUnload = fl_unload,
	};

	return DxgkInitialize(DriverObject, RegistryPath, &init);
}

static bool fl_device_present(void)
{
	struct device *dev = bus_find_device_by_name(&platform_bus_type, NULL,
						     FL_NAME);
	bool present = dev;

	put_device(dev);
	return present;
}

static int fl_setup(struct fault_ctx *c)
{
	memset(&fl, 0, sizeof(fl));
	return fl_drvobj.PortPrivate ? -EBUSY : 0;
}

/* The module load: DriverEntry -> DxgkInitialize -> probe -> StartDevice. */
static NTSTATUS fl_call(struct fault_ctx *c)
{
	c->load_ret = dxgk_miniport_module_init(&fl_drvobj, fl_driver_entry);
	return dxgk_errno_to_ntstatus(c->load_ret);
}

/* A failed load leaves nothing registered and every DDI paired. */
static bool fl_failed_clean(struct fault_ctx *c)
{
	if (!fl_drvobj.PortPrivate && !fl_device_present() && !fl.running &&
	    fl.adds == fl.removes && dxgk_port_adapter_count() == c->base.adapters)
		return true;
	KUNIT_FAIL(c->test,
		   "%s: a failed load (%d) left: registered %d, device %d, adds %u removes %u, running %d, adapters %u -> %u",
		   c->what, c->load_ret, !!fl_drvobj.PortPrivate, fl_device_present(),
		   fl.adds, fl.removes, fl.running, c->base.adapters,
		   dxgk_port_adapter_count());
	return false;
}

/* Unload; every AddDevice had its RemoveDevice, every StartDevice its Stop. */
static bool fl_unload_check(struct fault_ctx *c, const char *when)
{
	bool loaded = !c->load_ret;

	dxgk_miniport_module_exit(&fl_drvobj);
	if (!fl_drvobj.PortPrivate && !fl_device_present() && !fl.running &&
	    fl.adds == fl.removes && fl.starts == fl.stops &&
	    fl.unloads == (loaded ? 1U : 0U))
		return true;
	KUNIT_FAIL(c->test,
		   "%s: %s: after unload: registered %d, device %d, adds %u removes %u, starts %u stops %u, unloads %u (load %d)",
		   c->what, when, !!fl_drvobj.PortPrivate, fl_device_present(),
		   fl.adds, fl.removes, fl.starts, fl.stops, fl.unloads,
		   c->load_ret);
	return false;
}

/*
 * Unload; after an injected run, a clean load must bring the adapter up
 * (started, a handle) and unload again.
 */
static bool fl_undo(struct fault_ctx *c, NTSTATUS status, bool injected)
{
	unsigned int adapters;

	if (!fl_unload_check(c, injected ? "injected load" : "load"))
		return false;
	if (!injected)
		return true;
	memset(&fl, 0, sizeof(fl));
	c->load_ret = dxgk_miniport_module_init(&fl_drvobj, fl_driver_entry);
	adapters = dxgk_port_adapter_count();
	if (c->load_ret || !fl.running || adapters != c->base.adapters + 1) {
		KUNIT_FAIL(c->test,
			   "%s: the load after an injected failure: %d, running %d, adapters %u -> %u",
			   c->what, c->load_ret, fl.running, c->base.adapters,
			   adapters);
		fl_unload_check(c, "clean load");
		return false;
	}
	return fl_unload_check(c, "clean load");
}

static const struct fault_ops fl_ops = {
	.setup = fl_setup,
	.call = fl_call,
	.failed_clean = fl_failed_clean,
	.undo = fl_undo,
	.any_failure = true,
};

static const unsigned int fault_slices[FAULT_SLICES] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
};

static void fault_slice_desc(const unsigned int *slice, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "points %u-%u",
		 *slice * FAULT_SLICE + 1, (*slice + 1) * FAULT_SLICE);
}

KUNIT_ARRAY_PARAM(fault_slice, fault_slices, fault_slice_desc);

/*
 * Miniport load (DriverEntry, DxgkInitialize), the synchronous probe of
 * its virtual adapter (DRM device, paging state, handle, DDIs) and its
 * StartDevice's callbacks: registration and probe run in this task, so
 * fail_nth reaches the driver core, DRM and the port alike. Each
 * parameter sweeps FAULT_SLICE points of the one sweep (two loads and two
 * unloads a point: too long for one case, whose wait the hung-task check
 * watches), and passes once the sweep converged before it.
 */
static void fault_miniport_load(struct kunit *test)
{
	struct fault_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned int slice = *(const unsigned int *)test->param_value;
	unsigned int first = slice * FAULT_SLICE + 1;
	unsigned int last = first + FAULT_SLICE - 1, points;
	bool converged;

	fault_need_injection(test);
	KUNIT_ASSERT_NOT_NULL(test, c);
	fault_ctx_init(c, test, "miniport load", NULL);
	points = fault_sweep_range(c, &fl_ops, first, last, &converged);
	if (test->status)
		return;
	if (converged)
		kunit_info(test, "%s: points %u-%u: %u injected, converged after %u points",
			   c->what, first, last, points, first + points - 1);
	else if (slice == FAULT_SLICES - 1)
		KUNIT_FAIL(test, "%s: still failing after %u points", c->what, last);
	else
		kunit_info(test, "%s: points %u-%u all injected; the sweep goes on",
			   c->what, first, last);
}

/* ------------------------------------------------------------------ */
/* suite                                                               */
/* ------------------------------------------------------------------ */

static int fault_suite_init(struct kunit_suite *suite)
{
	struct pci_dev *edu;

	fault_total = 0;
	dxgk_iface_init(&fault_cb, NULL);
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION))
		return 0;
	dxgk_misuse_set_warn(false);

	edu = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	if (edu) {
		if (pci_resource_len(edu, 0) >= PAGE_SIZE)
			fault_io_bar = pci_resource_start(edu, 0);
		pci_dev_put(edu);
	}
	fault_register(&fault_virt);
	/* Binds edu only if no other driver has it. */
	fault_register(&fault_edu);
	if (fault_edu.started) {
		fault_second = &fault_edu;
	} else {
		fault_register(&fault_virt2);
		fault_second = &fault_virt2;
	}
	return 0;
}

static void fault_suite_exit(struct kunit_suite *suite)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fault_adapters); i++)
		if (fault_adapters[i]->registered)
			dxgk_miniport_module_exit(&fault_adapters[i]->drvobj);
	dxgk_misuse_set_warn(true);
	kunit_log(KERN_INFO, suite, KUNIT_SUBTEST_INDENT "# %s: fault: total points %u\n",
		  suite->name, fault_total);
}

static struct kunit_case dxgk_fault_cases[] = {
	KUNIT_CASE_PARAM(fault_create, fault_create_gen_params),
	KUNIT_CASE_PARAM(fault_map_kernel, fault_map_kernel_gen_params),
	KUNIT_CASE_PARAM(fault_map_user, fault_map_user_gen_params),
	KUNIT_CASE_PARAM(fault_allocate_adl, fault_adl_gen_params),
	KUNIT_CASE_PARAM(fault_iommu24, fault_24_gen_params),
	KUNIT_CASE(fault_open),
	KUNIT_CASE_PARAM(fault_miniport_load, fault_slice_gen_params),
	{}
};

static struct kunit_suite dxgk_fault_suite = {
	.name = "dxgkcompat_fault",
	.suite_init = fault_suite_init,
	.suite_exit = fault_suite_exit,
	.test_cases = dxgk_fault_cases,
};

kunit_test_suite(dxgk_fault_suite);
