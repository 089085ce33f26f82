// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: WDDM 2.9 physical memory objects (DxgkCbCreatePhysicalMemoryObject,
 * DxgkCbMapPhysicalMemory, DxgkCbUnmapPhysicalMemory,
 * DxgkCbDestroyPhysicalMemoryObject), reached through DXGKRNL_INTERFACE as a
 * miniport reaches them. Physical placement and cache attributes are proven
 * from the page tables, never taken from the implementation's word.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/uio.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <linux/pgtable.h>
#include <linux/uaccess.h>

#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#include <asm/msr.h>
#include <asm/mtrr.h>
#endif

#include "../dxgk_caching.h"
#include "../dxgk_drv.h"

#define PSZ			((SIZE_T)PAGE_SIZE)
#define PMO_BAD_HANDLE		((HANDLE)(uintptr_t)0x7fffffff)
#define PMO_POISON		((HANDLE)(uintptr_t)0xdeadbeef)
#define PMO_MAX_OBJS		80
#define PMO_MAX_MAPS		16

#define EDU_VENDOR		0x1234
#define EDU_DEVICE		0x11e8
#define EDU_REG_ID		0x00	/* 0x010000ed */
#define EDU_REG_LIVENESS	0x04	/* reads back the inverse */
#define EDU_REG_DMA_SRC		0x80	/* plain read/write register */

#define MDL_T	DXGK_PHYSICAL_MEMORY_TYPE_MDL
#define CONT_T	DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY
#define SECT_T	DXGK_PHYSICAL_MEMORY_TYPE_SECTION
#define IO_T	DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE
#define NC	DXGK_MEMORY_CACHING_TYPE_NON_CACHED
#define CA	DXGK_MEMORY_CACHING_TYPE_CACHED
#define WC	DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED

struct pmo_map_rec {
	HANDLE h;
	PVOID base;
	SIZE_T size;
};

/* Per-test state: every object and mapping is tracked so exit can clean up. */
struct pmo_test {
	DXGKRNL_INTERFACE iface;
	unsigned int pmo_base;
	HANDLE objs[PMO_MAX_OBJS];
	struct pmo_map_rec maps[PMO_MAX_MAPS];
	struct pci_dev *edu;
	bool edu_enabled;
};

static struct pmo_test *pmo(struct kunit *test)
{
	return test->priv;
}

/* ------------------------------------------------------------------ */
/* helpers                                                             */
/* ------------------------------------------------------------------ */

static void pmo_track_obj(struct kunit *test, HANDLE h, bool add)
{
	struct pmo_test *t = pmo(test);
	unsigned int i;

	for (i = 0; i < PMO_MAX_OBJS; i++) {
		if (add && !t->objs[i]) {
			t->objs[i] = h;
			return;
		}
		if (!add && t->objs[i] == h) {
			t->objs[i] = NULL;
			return;
		}
	}
	KUNIT_FAIL(test, "object tracking: %s %p", add ? "full" : "unknown", h);
}

static void pmo_track_map(struct kunit *test, HANDLE h, PVOID base,
			  SIZE_T size, bool add)
{
	struct pmo_test *t = pmo(test);
	unsigned int i;

	for (i = 0; i < PMO_MAX_MAPS; i++) {
		struct pmo_map_rec *m = &t->maps[i];

		if (add && !m->base) {
			*m = (struct pmo_map_rec){ h, base, size };
			return;
		}
		if (!add && m->base == base && m->h == h) {
			*m = (struct pmo_map_rec){};
			return;
		}
	}
	KUNIT_FAIL(test, "mapping tracking: %s %p", add ? "full" : "unknown", base);
}

static void pmo_args(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *a,
		     DXGK_PHYSICAL_MEMORY_TYPE type,
		     DXGK_MEMORY_CACHING_TYPE cache, SIZE_T size)
{
	memset(a, 0, sizeof(*a));
	a->Size = size;
	a->Context = 0x5a5a;
	a->Type = type;
	a->CacheType = cache;
	a->hPhysicalMemoryObject = PMO_POISON;
	a->hAdapterMemoryObject = PMO_POISON;
	switch (type) {
	case DXGK_PHYSICAL_MEMORY_TYPE_MDL:
		a->Mdl.LowAddress.QuadPart = 0;
		a->Mdl.HighAddress.QuadPart = S64_MAX;
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY:
		a->ContiguousMemory.LowestAcceptableAddress.QuadPart = 0;
		a->ContiguousMemory.HighestAcceptableAddress.QuadPart = S64_MAX;
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_SECTION:
		a->Section.DesiredAccess = SECTION_MAP_READ | SECTION_MAP_WRITE;
		a->Section.PageProtection = PAGE_READWRITE;
		a->Section.AllocationAttributes = SEC_COMMIT;
		break;
	default:
		break;
	}
}

/* Create; on success check the outputs and track the object. */
static NTSTATUS pmo_create(struct kunit *test,
			   DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *a)
{
	NTSTATUS st = pmo(test)->iface.DxgkCbCreatePhysicalMemoryObject(a);

	if (NT_SUCCESS(st)) {
		KUNIT_EXPECT_EQ(test, (u32)st, (u32)STATUS_SUCCESS);
		KUNIT_EXPECT_NOT_NULL(test, a->hPhysicalMemoryObject);
		KUNIT_EXPECT_PTR_NE(test, a->hPhysicalMemoryObject, PMO_POISON);
		KUNIT_EXPECT_NULL(test, a->hAdapterMemoryObject);
		if (a->hPhysicalMemoryObject &&
		    a->hPhysicalMemoryObject != PMO_POISON)
			pmo_track_obj(test, a->hPhysicalMemoryObject, true);
	}
	return st;
}

/* Create that must succeed; returns the PMO handle. */
static HANDLE pmo_new(struct kunit *test, DXGK_PHYSICAL_MEMORY_TYPE type,
		      DXGK_MEMORY_CACHING_TYPE cache, SIZE_T size)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	NTSTATUS st;

	pmo_args(&a, type, cache, size);
	st = pmo_create(test, &a);
	KUNIT_ASSERT_EQ_MSG(test, (u32)st, (u32)STATUS_SUCCESS,
			    "create type %d cache %d size %#lx", type, cache, size);
	return a.hPhysicalMemoryObject;
}

static void pmo_destroy(struct kunit *test, HANDLE h)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
		.hPhysicalMemoryObject = h,
	};
	unsigned int m = dxgk_misuse_count();
	unsigned int n = dxgk_pmo_count();

	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ_MSG(test, dxgk_misuse_count(), m, "destroy %p", h);
	KUNIT_EXPECT_EQ_MSG(test, dxgk_pmo_count(), n - 1, "destroy %p", h);
	pmo_track_obj(test, h, false);
}

static NTSTATUS pmo_map_raw(struct kunit *test, HANDLE h,
			    DXGK_ACCESS_MODE mode, SIZE_T off, SIZE_T size,
			    DXGKARGCB_MAP_PHYSICAL_MEMORY *a)
{
	NTSTATUS st;

	*a = (DXGKARGCB_MAP_PHYSICAL_MEMORY){
		.hPhysicalMemoryObject = h,
		.AccessMode = mode,
		.Offset = off,
		.Size = size,
	};
	st = pmo(test)->iface.DxgkCbMapPhysicalMemory(a);
	if (NT_SUCCESS(st))
		pmo_track_map(test, h, a->pMappedAddress, a->Size, true);
	return st;
}

/* Status of a map expected to fail; a wrong success is unmapped at exit. */
static u32 pmo_map_st(struct kunit *test, HANDLE h, DXGK_ACCESS_MODE mode,
		      SIZE_T off, SIZE_T size)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;

	return (u32)pmo_map_raw(test, h, mode, off, size, &map);
}

/*
 * Kernel-mode map that must succeed; checks the Offset/Size contract and
 * returns the address of object byte @off.
 */
static u8 *pmo_map(struct kunit *test, HANDLE h, SIZE_T off, SIZE_T size,
		   DXGKARGCB_MAP_PHYSICAL_MEMORY *a)
{
	NTSTATUS st = pmo_map_raw(test, h, DXGK_ACCESS_MODE_KERNEL_MODE, off,
				  size, a);

	KUNIT_ASSERT_EQ_MSG(test, (u32)st, (u32)STATUS_SUCCESS,
			    "map %p off %#lx size %#lx", h, off, size);
	KUNIT_ASSERT_NOT_NULL(test, a->pMappedAddress);
	KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(a->pMappedAddress));
	KUNIT_EXPECT_EQ(test, a->Offset, off % PSZ);
	KUNIT_EXPECT_EQ(test, a->Size, round_up(off % PSZ + size, PSZ));
	return (u8 *)a->pMappedAddress + a->Offset;
}

static void pmo_unmap_raw(struct kunit *test, HANDLE h, PVOID base, SIZE_T size)
{
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {
		.hPhysicalMemoryObject = h,
		.pBaseAddress = base,
		.Size = size,
	};

	pmo(test)->iface.DxgkCbUnmapPhysicalMemory(&u);
}

/* Unmap of a live mapping: no misuse. */
static void pmo_unmap(struct kunit *test, HANDLE h,
		      const DXGKARGCB_MAP_PHYSICAL_MEMORY *a)
{
	unsigned int m = dxgk_misuse_count();

	pmo_unmap_raw(test, h, a->pMappedAddress, a->Size);
	KUNIT_EXPECT_EQ_MSG(test, dxgk_misuse_count(), m, "unmap %p",
			    a->pMappedAddress);
	pmo_track_map(test, h, a->pMappedAddress, a->Size, false);
}

static u8 pmo_pattern(SIZE_T i)
{
	return (u8)(i * 7 + 3 + (i >> 8));
}

/*
 * Read one byte of a mapping that a refused call must have left alone;
 * a wrongly torn-down mapping fails the test instead of oopsing.
 */
static u8 pmo_peek(struct kunit *test, const void *va)
{
	u8 v = 0;

	KUNIT_ASSERT_EQ_MSG(test, copy_from_kernel_nofault(&v, va, 1), 0L,
			    "%p is no longer mapped", va);
	return v;
}

/* The test ends clean: nothing tracked, no PMO left. */
static void pmo_expect_clean(struct kunit *test)
{
	struct pmo_test *t = pmo(test);
	unsigned int i;

	for (i = 0; i < PMO_MAX_OBJS; i++)
		KUNIT_EXPECT_NULL(test, t->objs[i]);
	for (i = 0; i < PMO_MAX_MAPS; i++)
		KUNIT_EXPECT_NULL(test, t->maps[i].base);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), t->pmo_base);
}

/* The struct page behind a kernel mapping of RAM. */
static struct page *pmo_va_page(const void *va)
{
	if (is_vmalloc_addr(va))
		return vmalloc_to_page(va);
	return virt_to_page(va);
}

static phys_addr_t pmo_va_phys(const void *va)
{
	struct page *pg = pmo_va_page(va);

	return pg ? page_to_phys(pg) : (phys_addr_t)-1;
}

/* The QEMU edu device's BAR0, or skip. */
static phys_addr_t pmo_edu_bar(struct kunit *test)
{
	struct pmo_test *t = pmo(test);
	u16 cmd;

	if (!t->edu) {
		t->edu = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
		if (!t->edu)
			kunit_skip(test, "no QEMU edu device");
		pci_read_config_word(t->edu, PCI_COMMAND, &cmd);
		if (!(cmd & PCI_COMMAND_MEMORY)) {
			KUNIT_ASSERT_EQ(test, pci_enable_device_mem(t->edu), 0);
			t->edu_enabled = true;
		}
	}
	KUNIT_ASSERT_GE(test, pci_resource_len(t->edu, 0), (resource_size_t)PSZ);
	return pci_resource_start(t->edu, 0);
}

static HANDLE pmo_new_io(struct kunit *test, DXGK_MEMORY_CACHING_TYPE cache)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	phys_addr_t bar = pmo_edu_bar(test);

	pmo_args(&a, IO_T, cache, 0x1000);
	a.IOSpace.BaseAddress.QuadPart = bar;
	KUNIT_ASSERT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_SUCCESS);
	return a.hPhysicalMemoryObject;
}

static int pmo_init(struct kunit *test)
{
	struct pmo_test *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t)
		return -ENOMEM;
	dxgk_iface_init(&t->iface, NULL);
	t->pmo_base = dxgk_pmo_count();
	test->priv = t;
	dxgk_misuse_set_warn(false);
	return 0;
}

/* Release whatever an aborted test left behind, then re-arm the warning. */
static void pmo_exit(struct kunit *test)
{
	struct pmo_test *t = pmo(test);
	unsigned int i;

	for (i = 0; i < PMO_MAX_MAPS; i++)
		if (t->maps[i].base)
			pmo_unmap_raw(test, t->maps[i].h, t->maps[i].base,
				      t->maps[i].size);
	for (i = 0; i < PMO_MAX_OBJS; i++) {
		DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
			.hPhysicalMemoryObject = t->objs[i],
		};

		if (t->objs[i])
			t->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	}
	if (t->edu) {
		if (t->edu_enabled)
			pci_disable_device(t->edu);
		pci_dev_put(t->edu);
	}
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), t->pmo_base);
	dxgk_misuse_set_warn(true);
}

/* ------------------------------------------------------------------ */
/* Create: argument validation                                         */
/* ------------------------------------------------------------------ */

struct pmo_create_row {
	const char *what;
	DXGK_PHYSICAL_MEMORY_TYPE type;
	DXGK_MEMORY_CACHING_TYPE cache;
	SIZE_T size;
	u64 a, b, c;	/* the union's first three fields */
	u32 flags;	/* Mdl.Flags, or Section.PageProtection */
	u32 attr;	/* Section.AllocationAttributes */
	NTSTATUS expect;
};

static const struct pmo_create_row pmo_create_rows[] = {
	{ "size 0 MDL", MDL_T, CA, 0, 0, S64_MAX, 0, 0, 0, STATUS_INVALID_PARAMETER },
	{ "size 0 CONTIGUOUS", CONT_T, CA, 0, 0, S64_MAX, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "size 0 SECTION", SECT_T, CA, 0, 0, 0, 0, PAGE_READWRITE, SEC_COMMIT,
	  STATUS_INVALID_PARAMETER },
	{ "type 4", 4, CA, PSZ, 0, S64_MAX, 0, 0, 0, STATUS_INVALID_PARAMETER },
	{ "type -1", (DXGK_PHYSICAL_MEMORY_TYPE)-1, CA, PSZ, 0, S64_MAX, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "cache 3", MDL_T, 3, PSZ, 0, S64_MAX, 0, 0, 0, STATUS_INVALID_PARAMETER },
	{ "cache -1", MDL_T, (DXGK_MEMORY_CACHING_TYPE)-1, PSZ, 0, S64_MAX, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	/* MDL */
	{ "MDL low > high", MDL_T, CA, PSZ, 0x2000, 0x1000, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL skip 0x800", MDL_T, CA, PSZ, 0, S64_MAX, 0x800, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL skip page+1", MDL_T, CA, PSZ, 0, S64_MAX, PAGE_SIZE + 1, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL flag 0x80", MDL_T, CA, PSZ, 0, S64_MAX, 0, 0x80, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL flag 0x200", MDL_T, CA, PSZ, 0, S64_MAX, 0, 0x200, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL flag 0x80000000", MDL_T, CA, PSZ, 0, S64_MAX, 0, 0x80000000, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL FAST_LARGE_PAGES", MDL_T, CA, PSZ, 0, S64_MAX, 0,
	  MM_ALLOCATE_FAST_LARGE_PAGES, 0, STATUS_NOT_SUPPORTED },
	{ "MDL AND_HOT_REMOVE", MDL_T, CA, PSZ, 0, S64_MAX, 0,
	  MM_ALLOCATE_AND_HOT_REMOVE, 0, STATUS_NOT_SUPPORTED },
	{ "MDL size 4G-page+1", MDL_T, CA, SZ_4G - PAGE_SIZE + 1, 0, S64_MAX, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL size SIZE_MAX", MDL_T, CA, SIZE_MAX, 0, S64_MAX, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "MDL window 0x1000..0x1000", MDL_T, CA, PSZ, 0x1000, 0x1000, 0, 0, 0,
	  STATUS_NO_MEMORY },
	{ "MDL window at 1 TiB", MDL_T, CA, PSZ, SZ_1T, SZ_1T + SZ_1G, 0, 0, 0,
	  STATUS_NO_MEMORY },
	{ "MDL chunks skip 3P", MDL_T, CA, 3 * PAGE_SIZE, 0, S64_MAX, 3 * PAGE_SIZE,
	  MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, 0, STATUS_INVALID_PARAMETER },
	{ "MDL chunks size not multiple", MDL_T, CA, SZ_64K + PAGE_SIZE, 0, S64_MAX,
	  SZ_64K, MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, 0, STATUS_INVALID_PARAMETER },
	{ "MDL chunks size unaligned", MDL_T, CA, 3 * PAGE_SIZE + 100, 0, S64_MAX,
	  PAGE_SIZE, MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, 0,
	  STATUS_INVALID_PARAMETER },
	/* CONTIGUOUS_MEMORY */
	{ "CONT lowest > highest", CONT_T, CA, PSZ, 0x200000, 0x100000, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "CONT boundary 0x3000", CONT_T, CA, PSZ, 0, S64_MAX, 0x3000, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "CONT boundary 0x800 < size", CONT_T, CA, PSZ, 0, S64_MAX, 0x800, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "CONT size > boundary", CONT_T, CA, SZ_128K, 0, S64_MAX, SZ_64K, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "CONT size 4M+1", CONT_T, CA, SZ_4M + 1, 0, S64_MAX, 0, 0, 0,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "CONT size 4M+PSZ", CONT_T, CA, SZ_4M + PAGE_SIZE, 0, S64_MAX, 0, 0, 0,
	  STATUS_INSUFFICIENT_RESOURCES },
	{ "CONT window at 1 TiB", CONT_T, CA, PSZ, SZ_1T, SZ_1T + SZ_1G, 0, 0, 0,
	  STATUS_NO_MEMORY },
	{ "CONT window 0x1000..0x1fff", CONT_T, CA, PSZ, 0x1000, 0x1fff, 0, 0, 0,
	  STATUS_NO_MEMORY },
	/* SECTION */
	{ "SECTION non-cached", SECT_T, NC, PSZ, 0, 0, 0, PAGE_READWRITE, SEC_COMMIT,
	  STATUS_INVALID_PARAMETER },
	{ "SECTION prot 0", SECT_T, CA, PSZ, 0, 0, 0, 0, SEC_COMMIT,
	  STATUS_INVALID_PARAMETER },
	{ "SECTION prot NOACCESS", SECT_T, CA, PSZ, 0, 0, 0, WDK_PAGE_NOACCESS,
	  SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot EXECUTE_READ", SECT_T, CA, PSZ, 0, 0, 0, PAGE_EXECUTE_READ,
	  SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot EXECUTE_READWRITE", SECT_T, CA, PSZ, 0, 0, 0,
	  PAGE_EXECUTE_READWRITE, SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot RO|RW", SECT_T, CA, PSZ, 0, 0, 0,
	  WDK_PAGE_READONLY | PAGE_READWRITE, SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot RW|NOCACHE", SECT_T, CA, PSZ, 0, 0, 0,
	  PAGE_READWRITE | PAGE_NOCACHE, SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot RW|WRITECOMBINE", SECT_T, WC, PSZ, 0, 0, 0,
	  PAGE_READWRITE | PAGE_WRITECOMBINE, SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot RW|GUARD", SECT_T, CA, PSZ, 0, 0, 0,
	  PAGE_READWRITE | PAGE_GUARD, SEC_COMMIT, STATUS_INVALID_PARAMETER },
	{ "SECTION prot WRITECOPY", SECT_T, CA, PSZ, 0, 0, 0, PAGE_WRITECOPY,
	  SEC_COMMIT, STATUS_NOT_SUPPORTED },
	{ "SECTION attr SEC_RESERVE", SECT_T, CA, PSZ, 0, 0, 0, PAGE_READWRITE,
	  SEC_RESERVE, STATUS_INVALID_PARAMETER },
	{ "SECTION attr SEC_COMMIT|SEC_NOCACHE", SECT_T, CA, PSZ, 0, 0, 0,
	  PAGE_READWRITE, SEC_COMMIT | SEC_NOCACHE, STATUS_INVALID_PARAMETER },
	{ "SECTION attr SEC_WRITECOMBINE", SECT_T, WC, PSZ, 0, 0, 0, PAGE_READWRITE,
	  SEC_COMMIT | SEC_WRITECOMBINE, STATUS_INVALID_PARAMETER },
	{ "SECTION attr SEC_IMAGE", SECT_T, CA, PSZ, 0, 0, 0, PAGE_READWRITE,
	  SEC_IMAGE, STATUS_INVALID_PARAMETER },
	/* IO_SPACE */
	{ "IO base unaligned", IO_T, NC, PSZ, 0xfebf0010, 0, 0, 0, 0,
	  STATUS_INVALID_PARAMETER },
	{ "IO over System RAM", IO_T, NC, PSZ, 0x100000, 0, 0, 0, 0,
	  STATUS_CONFLICTING_ADDRESSES },
	{ "IO over System RAM, 2 pages", IO_T, CA, 2 * PAGE_SIZE, 0x200000, 0, 0, 0, 0,
	  STATUS_CONFLICTING_ADDRESSES },
	{ "IO base+size wraps", IO_T, NC, SIZE_MAX - PAGE_SIZE + 1, 0x2000, 0, 0, 0, 0,
	  STATUS_INTEGER_OVERFLOW },
	{ "IO base+size wraps (top page)", IO_T, NC, 2 * PAGE_SIZE,
	  0xfffffffffffff000ULL, 0, 0, 0, 0, STATUS_INTEGER_OVERFLOW },
	{ "IO base+size past LONGLONG max", IO_T, NC, 2 * PAGE_SIZE,
	  0x7ffffffffffff000ULL, 0, 0, 0, 0, STATUS_INTEGER_OVERFLOW },
};

static void pmo_row_args(const struct pmo_create_row *r,
			 DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *a)
{
	pmo_args(a, r->type, r->cache, r->size);
	switch (r->type) {
	case DXGK_PHYSICAL_MEMORY_TYPE_MDL:
		a->Mdl.LowAddress.QuadPart = r->a;
		a->Mdl.HighAddress.QuadPart = r->b;
		a->Mdl.SkipBytes.QuadPart = r->c;
		a->Mdl.Flags = r->flags;
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY:
		a->ContiguousMemory.LowestAcceptableAddress.QuadPart = r->a;
		a->ContiguousMemory.HighestAcceptableAddress.QuadPart = r->b;
		a->ContiguousMemory.BoundaryAddressMultiple.QuadPart = r->c;
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_SECTION:
		a->Section.PageProtection = r->flags;
		a->Section.AllocationAttributes = r->attr;
		break;
	case DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE:
		a->IOSpace.BaseAddress.QuadPart = r->a;
		break;
	default:
		a->Mdl.LowAddress.QuadPart = r->a;
		a->Mdl.HighAddress.QuadPart = r->b;
		break;
	}
}

KUNIT_ARRAY_PARAM_DESC(pmo_create_bad, pmo_create_rows, what);

/* Invalid Create arguments fail with the contract's status, not as misuse. */
static void pmo_create_rejects(struct kunit *test)
{
	const struct pmo_create_row *r = test->param_value;
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	unsigned int m = dxgk_misuse_count();
	NTSTATUS st;

	pmo_row_args(r, &a);
	st = pmo_create(test, &a);
	KUNIT_EXPECT_EQ_MSG(test, (u32)st, (u32)r->expect, "%s", r->what);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	/* pmo_create tracked a wrongly created object: exit destroys it. */
	if (NT_SUCCESS(st))
		pmo_destroy(test, a.hPhysicalMemoryObject);
	pmo_expect_clean(test);
}

static void pmo_create_null_args(struct kunit *test)
{
	unsigned int m = dxgk_misuse_count();

	KUNIT_EXPECT_EQ(test,
			(u32)pmo(test)->iface.DxgkCbCreatePhysicalMemoryObject(NULL),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_expect_clean(test);
}

/* A dead adapter handle is misuse, counted once. */
static void pmo_create_bad_adapter(struct kunit *test)
{
	static const DXGK_PHYSICAL_MEMORY_TYPE types[] = { MDL_T, CONT_T, SECT_T };
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	unsigned int i, m;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		pmo_args(&a, types[i], CA, PSZ);
		a.hAdapter = PMO_BAD_HANDLE;
		m = dxgk_misuse_count();
		KUNIT_EXPECT_EQ_MSG(test, (u32)pmo_create(test, &a),
				    (u32)STATUS_INVALID_HANDLE, "type %d", types[i]);
		KUNIT_EXPECT_EQ_MSG(test, dxgk_misuse_count(), m + 1, "type %d",
				    types[i]);
	}
	pmo_expect_clean(test);
}

/* A named section is not supported. */
static void pmo_create_section_named(struct kunit *test)
{
	static u64 fake_oa[8];
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	unsigned int m = dxgk_misuse_count();

	pmo_args(&a, SECT_T, CA, PSZ);
	a.Section.ObjectAttributes = (POBJECT_ATTRIBUTES)fake_oa;
	KUNIT_EXPECT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_expect_clean(test);
}

/* Create must succeed; the object is destroyed again. */
static void pmo_expect_create(struct kunit *test,
			      DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *a,
			      const char *what, u32 val)
{
	NTSTATUS st = pmo_create(test, a);

	KUNIT_EXPECT_EQ_MSG(test, (u32)st, (u32)STATUS_SUCCESS, "%s %#x", what, val);
	if (NT_SUCCESS(st))
		pmo_destroy(test, a->hPhysicalMemoryObject);
}

/* Every valid argument combination short of placement succeeds. */
static void pmo_create_accepts(struct kunit *test)
{
	static const u32 protections[] = {
		WDK_PAGE_READONLY, PAGE_READWRITE, PAGE_EXECUTE,
	};
	static const u32 mdl_flags[] = {
		0, MM_DONT_ZERO_ALLOCATION, MM_ALLOCATE_FROM_LOCAL_NODE_ONLY,
		MM_ALLOCATE_FULLY_REQUIRED, MM_ALLOCATE_NO_WAIT,
		MM_ALLOCATE_PREFER_CONTIGUOUS, MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS,
		0x3f,
	};
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	unsigned int i, m = dxgk_misuse_count();

	for (i = 0; i < ARRAY_SIZE(protections); i++) {
		pmo_args(&a, SECT_T, CA, 2 * PSZ + 1);
		a.Section.PageProtection = protections[i];
		a.Section.AllocationAttributes = 0;
		pmo_expect_create(test, &a, "attr 0, prot", protections[i]);
		pmo_args(&a, SECT_T, WC, 2 * PSZ + 1);
		a.Section.PageProtection = protections[i];
		pmo_expect_create(test, &a, "SEC_COMMIT, WC, prot", protections[i]);
	}
	for (i = 0; i < ARRAY_SIZE(mdl_flags); i++) {
		pmo_args(&a, MDL_T, CA, 5 * PSZ - 3);
		a.Mdl.Flags = mdl_flags[i];
		pmo_expect_create(test, &a, "MDL flags", mdl_flags[i]);
	}
	for (i = 0; i <= WC; i++) {
		pmo_args(&a, CONT_T, i, 3 * PSZ);
		pmo_expect_create(test, &a, "CONTIGUOUS cache", i);
	}
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_expect_clean(test);
}

/*
 * Miniports commonly pass all ones (MAXULONG64) as the highest acceptable
 * address; it means "no upper limit", not a negative address.
 */
static void pmo_create_all_ones_high(struct kunit *test)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	unsigned int m = dxgk_misuse_count();

	pmo_args(&a, MDL_T, CA, PSZ);
	a.Mdl.HighAddress.QuadPart = -1;
	pmo_expect_create(test, &a, "MDL high", 0);
	pmo_args(&a, CONT_T, CA, PSZ);
	a.ContiguousMemory.HighestAcceptableAddress.QuadPart = -1;
	pmo_expect_create(test, &a, "CONTIGUOUS highest", 0);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_expect_clean(test);
}

/* ------------------------------------------------------------------ */
/* Create: contents and physical placement                             */
/* ------------------------------------------------------------------ */

/* Fresh objects read as zero, even over pages that were just dirtied. */
static void pmo_create_zeroed(struct kunit *test)
{
	static const DXGK_PHYSICAL_MEMORY_TYPE types[] = { MDL_T, CONT_T, SECT_T };
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	const SIZE_T size = 8 * PSZ;
	unsigned int i, round;
	HANDLE h;
	u8 *va;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		for (round = 0; round < 2; round++) {
			h = pmo_new(test, types[i], CA, size);
			va = pmo_map(test, h, 0, size, &map);
			KUNIT_EXPECT_NULL_MSG(test, memchr_inv(va, 0, size),
					      "type %d round %u", types[i], round);
			memset(va, 0xa5, size);
			pmo_unmap(test, h, &map);
			pmo_destroy(test, h);
		}
	}
	pmo_expect_clean(test);
}

/*
 * Physical address of every page of a whole-object kernel mapping, into
 * @pa (DIV_ROUND_UP(size, PSZ) entries).
 */
static void pmo_phys_pages(struct kunit *test, HANDLE h, SIZE_T size,
			   phys_addr_t *pa)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	SIZE_T i, n = DIV_ROUND_UP(size, PSZ);
	u8 *va = pmo_map(test, h, 0, size, &map);

	for (i = 0; i < n; i++) {
		pa[i] = pmo_va_phys(va + i * PSZ);
		KUNIT_EXPECT_NE_MSG(test, pa[i], (phys_addr_t)-1, "page %lu", i);
		KUNIT_EXPECT_TRUE(test, PAGE_ALIGNED(pa[i]));
	}
	pmo_unmap(test, h, &map);
}

/* Every page inside [low, high] or one of its copies shifted by @skip. */
static bool pmo_in_windows(phys_addr_t pa, u64 low, u64 high, u64 skip)
{
	u64 k;

	if (pa < low)
		return false;
	if (pa + PSZ - 1 <= high)
		return true;
	if (!skip)
		return false;
	k = div64_u64(pa - low, skip);
	return pa + PSZ - 1 <= high + k * skip;
}

struct pmo_mdl_case {
	const char *what;
	SIZE_T size;
	u64 low, high, skip;
	u32 flags;
	SIZE_T chunk;	/* expected contiguous, aligned chunk; 0 = none */
};

static const struct pmo_mdl_case pmo_mdl_cases[] = {
	{ "anywhere", 64 * PAGE_SIZE + 100, 0, S64_MAX, 0, 0, 0 },
	{ "below 256 MiB (edu)", SZ_1M + 100, 0, 0x0fffffff, 0, 0, 0 },
	{ "below 256 MiB, fully required", SZ_1M, 0, 0x0fffffff, 0,
	  MM_ALLOCATE_FULLY_REQUIRED, 0 },
	{ "below 4 GiB", SZ_2M, 0, 0xffffffff, 0, 0, 0 },
	{ "16..512 MiB", SZ_1M, SZ_16M, SZ_512M - 1, 0, 0, 0 },
	{ "skip: 0..16 MiB + k GiB", 32 * PAGE_SIZE, 0, SZ_16M - 1, SZ_1G, 0, 0 },
	{ "one contiguous chunk", SZ_64K + 100, 0, S64_MAX, 0,
	  MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, SZ_64K + PAGE_SIZE },
	{ "64 KiB chunks", SZ_256K, 0, S64_MAX, SZ_64K,
	  MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, SZ_64K },
	{ "page chunks", 4 * PAGE_SIZE, 0, S64_MAX, PAGE_SIZE,
	  MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, PAGE_SIZE },
	{ "64 KiB chunks below 256 MiB", SZ_128K, 0, 0x0fffffff, SZ_64K,
	  MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS, SZ_64K },
};

KUNIT_ARRAY_PARAM_DESC(pmo_mdl_place, pmo_mdl_cases, what);

/* MDL pages honour the window, the skip windows and the chunk rules. */
static void pmo_mdl_placement(struct kunit *test)
{
	const struct pmo_mdl_case *c = test->param_value;
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	SIZE_T i, n = DIV_ROUND_UP(c->size, PSZ);
	phys_addr_t *pa;

	pa = kunit_kcalloc(test, n, sizeof(*pa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pa);
	pmo_args(&a, MDL_T, CA, c->size);
	a.Mdl.LowAddress.QuadPart = c->low;
	a.Mdl.HighAddress.QuadPart = c->high;
	a.Mdl.SkipBytes.QuadPart = c->skip;
	a.Mdl.Flags = c->flags;
	KUNIT_ASSERT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_SUCCESS);
	pmo_phys_pages(test, a.hPhysicalMemoryObject, c->size, pa);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_TRUE_MSG(test,
				      pmo_in_windows(pa[i], c->low, c->high, c->skip),
				      "page %lu at %pa", i, &pa[i]);
		if (!c->chunk)
			continue;
		if (!(i % (c->chunk / PSZ)))
			KUNIT_EXPECT_TRUE_MSG(test,
					      c->chunk & (c->chunk - 1) ||
					      IS_ALIGNED(pa[i], c->chunk),
					      "chunk at page %lu: %pa", i, &pa[i]);
		else
			KUNIT_EXPECT_EQ_MSG(test, pa[i], pa[i - 1] + PSZ,
					    "page %lu not contiguous", i);
	}
	pmo_destroy(test, a.hPhysicalMemoryObject);
	pmo_expect_clean(test);
}

struct pmo_cont_case {
	const char *what;
	SIZE_T size;
	u64 lowest, highest, boundary;
};

static const struct pmo_cont_case pmo_cont_cases[] = {
	{ "one page", PAGE_SIZE, 0, S64_MAX, 0 },
	{ "unaligned size", 5 * PAGE_SIZE + 7, 0, S64_MAX, 0 },
	{ "below 256 MiB", SZ_64K + 100, 0, 0x0fffffff, 0 },
	{ "below 16 MiB", SZ_32K, 0, SZ_16M - 1, 0 },
	{ "256 MiB..1 GiB", SZ_256K, SZ_256M, SZ_1G - 1, 0 },
	{ "boundary 64 KiB", SZ_32K + 1, 0, S64_MAX, SZ_64K },
	{ "boundary == size", SZ_64K, 0, S64_MAX, SZ_64K },
	{ "boundary 1 MiB below 4 GiB", 3 * SZ_64K, 0, 0xffffffff, SZ_1M },
	{ "4 MiB", SZ_4M, 0, S64_MAX, 0 },
};

KUNIT_ARRAY_PARAM_DESC(pmo_cont_place, pmo_cont_cases, what);

/* CONTIGUOUS_MEMORY is one block, inside the window, not crossing a boundary. */
static void pmo_cont_placement(struct kunit *test)
{
	const struct pmo_cont_case *c = test->param_value;
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	SIZE_T i, n = DIV_ROUND_UP(c->size, PSZ);
	phys_addr_t *pa, last;

	pa = kunit_kcalloc(test, n, sizeof(*pa), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pa);
	pmo_args(&a, CONT_T, CA, c->size);
	a.ContiguousMemory.LowestAcceptableAddress.QuadPart = c->lowest;
	a.ContiguousMemory.HighestAcceptableAddress.QuadPart = c->highest;
	a.ContiguousMemory.BoundaryAddressMultiple.QuadPart = c->boundary;
	KUNIT_ASSERT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_SUCCESS);
	pmo_phys_pages(test, a.hPhysicalMemoryObject, c->size, pa);
	for (i = 1; i < n; i++)
		KUNIT_EXPECT_EQ_MSG(test, pa[i], pa[0] + i * PSZ,
				    "page %lu not contiguous", i);
	last = pa[0] + c->size - 1;
	KUNIT_EXPECT_GE(test, (u64)pa[0], c->lowest);
	KUNIT_EXPECT_LE(test, (u64)pa[0] + n * PSZ - 1, c->highest);
	if (c->boundary)
		KUNIT_EXPECT_EQ_MSG(test, pa[0] & ~(c->boundary - 1),
				    last & ~(c->boundary - 1),
				    "%pa..%pa crosses %#llx", &pa[0], &last,
				    c->boundary);
	pmo_destroy(test, a.hPhysicalMemoryObject);
	pmo_expect_clean(test);
}

/* ------------------------------------------------------------------ */
/* IO_SPACE                                                            */
/* ------------------------------------------------------------------ */

/* The edu BAR maps; its identification register reads 0x......ed. */
static void pmo_io_space_edu(struct kunit *test)
{
	static const DXGK_MEMORY_CACHING_TYPE caches[] = { NC, CA, WC };
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	unsigned int i;
	HANDLE h;
	u8 *va;

	for (i = 0; i < ARRAY_SIZE(caches); i++) {
		h = pmo_new_io(test, caches[i]);
		va = pmo_map(test, h, 0, 0x1000, &map);
		KUNIT_EXPECT_EQ_MSG(test, readl((void __force __iomem *)va) & 0xff,
				    0xedU, "cache %d", caches[i]);
		pmo_unmap(test, h, &map);
		/* A partial view at an offset: the base still maps byte 0. */
		pmo_map(test, h, 0x80, 4, &map);
		va = (u8 *)map.pMappedAddress;
		KUNIT_EXPECT_EQ(test, readl((void __force __iomem *)va) & 0xff, 0xedU);
		pmo_unmap(test, h, &map);
		pmo_destroy(test, h);
	}
	pmo_expect_clean(test);
}

/* IO_SPACE objects are kernel-mapped only. */
static void pmo_io_space_user_mode(struct kunit *test)
{
	HANDLE h = pmo_new_io(test, NC);
	unsigned int m = dxgk_misuse_count();

	KUNIT_EXPECT_EQ(test, pmo_map_st(test, h, DXGK_ACCESS_MODE_USER_MODE, 0, 0x1000),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* ------------------------------------------------------------------ */
/* Map: Offset/Size contract                                           */
/* ------------------------------------------------------------------ */

#define OBJ_SIZE	(3 * PAGE_SIZE + 100)

struct pmo_view_row {
	SIZE_T off, size;
	NTSTATUS expect;
	SIZE_T off_out, size_out;
};

static const struct pmo_view_row pmo_view_rows[] = {
	{ 0, 1, STATUS_SUCCESS, 0, PAGE_SIZE },
	{ 1, 1, STATUS_SUCCESS, 1, PAGE_SIZE },
	{ PAGE_SIZE - 1, 1, STATUS_SUCCESS, PAGE_SIZE - 1, PAGE_SIZE },
	{ PAGE_SIZE - 1, 2, STATUS_SUCCESS, PAGE_SIZE - 1, 2 * PAGE_SIZE },
	{ PAGE_SIZE, PAGE_SIZE, STATUS_SUCCESS, 0, PAGE_SIZE },
	{ PAGE_SIZE, PAGE_SIZE + 1, STATUS_SUCCESS, 0, 2 * PAGE_SIZE },
	{ 0, OBJ_SIZE, STATUS_SUCCESS, 0, 4 * PAGE_SIZE },
	{ 0, 3 * PAGE_SIZE, STATUS_SUCCESS, 0, 3 * PAGE_SIZE },
	{ 3 * PAGE_SIZE, 100, STATUS_SUCCESS, 0, PAGE_SIZE },
	{ 3 * PAGE_SIZE + 99, 1, STATUS_SUCCESS, 99, PAGE_SIZE },
	{ PAGE_SIZE + 5, 2 * PAGE_SIZE + 95, STATUS_SUCCESS, 5, 3 * PAGE_SIZE },
	{ 2 * PAGE_SIZE + 17, PAGE_SIZE + 83, STATUS_SUCCESS, 17, 2 * PAGE_SIZE },
	{ 3 * PAGE_SIZE, 101, STATUS_INVALID_VIEW_SIZE },
	{ 3 * PAGE_SIZE + 100, 1, STATUS_INVALID_VIEW_SIZE },
	{ 0, OBJ_SIZE + 1, STATUS_INVALID_VIEW_SIZE },
	{ 0, 4 * PAGE_SIZE, STATUS_INVALID_VIEW_SIZE },
	{ 4 * PAGE_SIZE, 1, STATUS_INVALID_VIEW_SIZE },
	{ PAGE_SIZE + 5, 2 * PAGE_SIZE + 96, STATUS_INVALID_VIEW_SIZE },
	{ SIZE_MAX, 2, STATUS_INTEGER_OVERFLOW },
	{ 2, SIZE_MAX, STATUS_INTEGER_OVERFLOW },
	{ SIZE_MAX - PAGE_SIZE + 1, PAGE_SIZE, STATUS_INTEGER_OVERFLOW },
	{ 0, 0, STATUS_INVALID_PARAMETER },
	{ PAGE_SIZE, 0, STATUS_INVALID_PARAMETER },
};

static const DXGK_PHYSICAL_MEMORY_TYPE pmo_ram_types[] = { MDL_T, CONT_T, SECT_T };

static void pmo_ram_type_desc(const DXGK_PHYSICAL_MEMORY_TYPE *t, char *desc)
{
	static const char *const names[] = { "MDL", "CONTIGUOUS", "SECTION" };

	strscpy(desc, names[*t], KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pmo_ram_type, pmo_ram_types, pmo_ram_type_desc);

/* Offset/Size in -> Offset/Size out, status, and the data at the offset. */
static void pmo_map_view_table(struct kunit *test)
{
	DXGK_PHYSICAL_MEMORY_TYPE type = *(const DXGK_PHYSICAL_MEMORY_TYPE *)
					 test->param_value;
	DXGKARGCB_MAP_PHYSICAL_MEMORY all, map;
	unsigned int i, m = dxgk_misuse_count();
	HANDLE h = pmo_new(test, type, CA, OBJ_SIZE);
	SIZE_T j;
	u8 *obj;

	obj = pmo_map(test, h, 0, OBJ_SIZE, &all);
	for (j = 0; j < OBJ_SIZE; j++)
		obj[j] = pmo_pattern(j);

	for (i = 0; i < ARRAY_SIZE(pmo_view_rows); i++) {
		const struct pmo_view_row *r = &pmo_view_rows[i];
		NTSTATUS st;
		u8 *va;

		st = pmo_map_raw(test, h, DXGK_ACCESS_MODE_KERNEL_MODE, r->off,
				 r->size, &map);
		KUNIT_EXPECT_EQ_MSG(test, (u32)st, (u32)r->expect,
				    "row %u: off %#lx size %#lx", i, r->off, r->size);
		if (!NT_SUCCESS(st))
			continue;
		if (r->expect != STATUS_SUCCESS) {
			pmo_unmap(test, h, &map);
			continue;
		}
		KUNIT_EXPECT_TRUE_MSG(test, PAGE_ALIGNED(map.pMappedAddress),
				      "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test, map.Offset, r->off_out, "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test, map.Size, r->size_out, "row %u", i);
		va = (u8 *)map.pMappedAddress + map.Offset;
		KUNIT_EXPECT_EQ_MSG(test, va[0], pmo_pattern(r->off), "row %u", i);
		KUNIT_EXPECT_EQ_MSG(test, va[r->size - 1],
				    pmo_pattern(r->off + r->size - 1), "row %u", i);
		pmo_unmap(test, h, &map);
	}
	pmo_unmap(test, h, &all);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* Overlapping views see the same bytes; several views may be live at once. */
static void pmo_map_overlapping_views(struct kunit *test)
{
	DXGK_PHYSICAL_MEMORY_TYPE type = *(const DXGK_PHYSICAL_MEMORY_TYPE *)
					 test->param_value;
	DXGKARGCB_MAP_PHYSICAL_MEMORY a, b, c;
	HANDLE h = pmo_new(test, type, CA, OBJ_SIZE);
	u8 *va, *vb, *vc;
	unsigned int i;

	va = pmo_map(test, h, 0, OBJ_SIZE, &a);
	vb = pmo_map(test, h, PSZ + 10, 50, &b);
	vc = pmo_map(test, h, 2 * PSZ - 3, 10, &c);
	for (i = 0; i < 50; i++)
		vb[i] = 0x40 + i;
	for (i = 0; i < 50; i++)
		KUNIT_EXPECT_EQ_MSG(test, va[PSZ + 10 + i], (u8)(0x40 + i), "byte %u", i);
	for (i = 0; i < 10; i++)
		va[2 * PSZ - 3 + i] = 0x90 + i;
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ_MSG(test, vc[i], (u8)(0x90 + i), "byte %u", i);
	/* Two maps of the same range are distinct views. */
	KUNIT_EXPECT_PTR_NE(test, a.pMappedAddress, b.pMappedAddress);
	pmo_unmap(test, h, &b);
	KUNIT_EXPECT_EQ(test, va[PSZ + 10], (u8)0x40);
	KUNIT_EXPECT_EQ(test, vc[0], (u8)0x90);
	pmo_unmap(test, h, &a);
	KUNIT_EXPECT_EQ(test, vc[9], (u8)0x99);
	pmo_unmap(test, h, &c);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* Bad AccessMode. */
static void pmo_map_bad_access_mode(struct kunit *test)
{
	HANDLE h = pmo_new(test, MDL_T, CA, PSZ);
	unsigned int m = dxgk_misuse_count();

	KUNIT_EXPECT_EQ(test, pmo_map_st(test, h, (DXGK_ACCESS_MODE)2, 0, 1),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, pmo_map_st(test, h, (DXGK_ACCESS_MODE)-1, 0, 1),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* ------------------------------------------------------------------ */
/* Concurrency and lifetime                                            */
/* ------------------------------------------------------------------ */

#define PMO_THREAD_LOOPS	200

struct pmo_thread {
	DXGKRNL_INTERFACE *iface;
	HANDLE h;
	SIZE_T off;
	u8 seed;
	int errors;
	struct completion done;
};

static int pmo_thread_fn(void *data)
{
	struct pmo_thread *t = data;
	unsigned int i;

	for (i = 0; i < PMO_THREAD_LOOPS; i++) {
		SIZE_T off = t->off + i % 97, len = 64 + i % 300;
		DXGKARGCB_MAP_PHYSICAL_MEMORY map = {
			.hPhysicalMemoryObject = t->h,
			.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
			.Offset = off,
			.Size = len,
		};
		DXGKARGCB_UNMAP_PHYSICAL_MEMORY unmap;
		u8 *va;

		if (t->iface->DxgkCbMapPhysicalMemory(&map) != STATUS_SUCCESS) {
			t->errors++;
			continue;
		}
		if (map.Offset != off % PSZ ||
		    map.Size != round_up(off % PSZ + len, PSZ))
			t->errors++;
		va = (u8 *)map.pMappedAddress + map.Offset;
		memset(va, t->seed ^ (u8)i, len);
		if (memchr_inv(va, t->seed ^ (u8)i, len))
			t->errors++;
		unmap = (DXGKARGCB_UNMAP_PHYSICAL_MEMORY){
			.hPhysicalMemoryObject = t->h,
			.pBaseAddress = map.pMappedAddress,
			.Size = map.Size,
		};
		t->iface->DxgkCbUnmapPhysicalMemory(&unmap);
		cond_resched();
	}
	kthread_complete_and_exit(&t->done, 0);
}

/* Two threads map, write, read and unmap one object concurrently. */
static void pmo_concurrent_maps(struct kunit *test)
{
	struct pmo_thread *th;
	struct task_struct *task;
	DXGKARGCB_MAP_PHYSICAL_MEMORY all;
	unsigned int i, started = 0, m = dxgk_misuse_count();
	HANDLE h = pmo_new(test, MDL_T, CA, 4 * PSZ);
	u8 *va;

	th = kunit_kcalloc(test, 2, sizeof(*th), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, th);
	for (i = 0; i < 2; i++) {
		th[i] = (struct pmo_thread){
			.iface = &pmo(test)->iface,
			.h = h,
			.off = i * 2 * PSZ,
			.seed = 0x11 * (i + 1),
		};
		init_completion(&th[i].done);
		task = kthread_run(pmo_thread_fn, &th[i], "pmo_test/%u", i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(task));
		if (IS_ERR(task))
			break;
		started++;
	}
	for (i = 0; i < started; i++)
		wait_for_completion(&th[i].done);
	KUNIT_ASSERT_EQ(test, started, 2U);
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ_MSG(test, th[i].errors, 0, "thread %u", i);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);

	/* The last loop's bytes landed where each thread put them. */
	va = pmo_map(test, h, 0, 4 * PSZ, &all);
	for (i = 0; i < 2; i++) {
		unsigned int last = PMO_THREAD_LOOPS - 1;

		KUNIT_EXPECT_NULL_MSG(test,
				      memchr_inv(va + th[i].off + last % 97,
						 th[i].seed ^ (u8)last,
						 64 + last % 300),
				      "thread %u", i);
	}
	pmo_unmap(test, h, &all);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

#define PMO_LIFETIME_N	64

static HANDLE pmo_lifetime_new(struct kunit *test, unsigned int i)
{
	static const DXGK_MEMORY_CACHING_TYPE caches[] = { CA, WC, NC };
	DXGK_PHYSICAL_MEMORY_TYPE type = pmo_ram_types[i % 3];
	DXGK_MEMORY_CACHING_TYPE cache = caches[(i / 3) % 3];

	if (type == SECT_T && cache == NC)
		cache = CA;
	return pmo_new(test, type, cache, (i % 5 + 1) * PSZ - i);
}

/* 64 objects of mixed types, destroyed shuffled, then in reverse order. */
static void pmo_lifetime(struct kunit *test)
{
	struct pmo_test *t = pmo(test);
	unsigned int i, m = dxgk_misuse_count();
	HANDLE *h;

	h = kunit_kcalloc(test, PMO_LIFETIME_N, sizeof(*h), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, h);

	for (i = 0; i < PMO_LIFETIME_N; i++)
		h[i] = pmo_lifetime_new(test, i);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), t->pmo_base + PMO_LIFETIME_N);
	for (i = 0; i < PMO_LIFETIME_N; i++)
		for (unsigned int j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, h[i], h[j]);
	for (i = 0; i < PMO_LIFETIME_N; i++)
		pmo_destroy(test, h[(i * 37 + 11) % PMO_LIFETIME_N]);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), t->pmo_base);

	for (i = 0; i < PMO_LIFETIME_N; i++)
		h[i] = pmo_lifetime_new(test, i + 1);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), t->pmo_base + PMO_LIFETIME_N);
	for (i = PMO_LIFETIME_N; i-- > 0;)
		pmo_destroy(test, h[i]);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m);
	pmo_expect_clean(test);
}

/* ------------------------------------------------------------------ */
/* Bounded searches, hostile windows                                   */
/* ------------------------------------------------------------------ */

struct pmo_search {
	long rejected, searches;
};

static struct pmo_search pmo_search_now(void)
{
	struct pmo_search s;

	dxgk_pmo_stats(&s.rejected, &s.searches);
	return s;
}

/* An MDL in [@low, @high], whatever the outcome; returns the status. */
static NTSTATUS pmo_try_mdl(struct kunit *test, SIZE_T size, u64 low, u64 high,
			    u64 skip, u32 flags)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	NTSTATUS st;

	pmo_args(&a, MDL_T, CA, size);
	a.Mdl.LowAddress.QuadPart = low;
	a.Mdl.HighAddress.QuadPart = high;
	a.Mdl.SkipBytes.QuadPart = skip;
	a.Mdl.Flags = flags;
	st = pmo_create(test, &a);
	if (NT_SUCCESS(st))
		pmo_destroy(test, a.hPhysicalMemoryObject);
	return st;
}

/*
 * Pages set aside outside a window stay within the budget (256 + the
 * object's pages) for the whole create, however many chunks it has: an
 * unsigned budget that wrapped after the first chunk let one create pull
 * all free memory aside.
 */
static void pmo_reject_budget(struct kunit *test)
{
	const unsigned long npages = 8;
	struct pmo_search a = pmo_search_now(), b;

	pmo_try_mdl(test, npages * PSZ, SZ_1G, SZ_1G + SZ_64K - 1, PSZ,
		    MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS);
	b = pmo_search_now();
	KUNIT_EXPECT_LE_MSG(test, b.rejected - a.rejected, 256 + 2 * npages,
			    "pages set aside by one create");
	pmo_expect_clean(test);
}

/*
 * A window with too little RAM for the object fails at once: nothing set
 * aside, nothing searched.
 */
static void pmo_impossible_window(struct kunit *test)
{
	struct pmo_search a = pmo_search_now(), b;

	KUNIT_EXPECT_EQ(test, (u32)pmo_try_mdl(test, SZ_16M, SZ_1G,
					       SZ_1G + SZ_1M - 1, 0, 0),
			(u32)STATUS_NO_MEMORY);
	b = pmo_search_now();
	KUNIT_EXPECT_EQ(test, b.rejected, a.rejected);
	KUNIT_EXPECT_EQ(test, b.searches, a.searches);
	pmo_expect_clean(test);
}

/*
 * MM_ALLOCATE_NO_WAIT fails rather than wait: no range search (which
 * migrates pages) for a window the free lists do not serve. The same
 * request without it does search, so the test can tell.
 */
static void pmo_no_wait_no_search(struct kunit *test)
{
	const u64 low = SZ_1G, high = SZ_1G + SZ_64K - 1;
	struct pmo_search a, b;

	if (!IS_ENABLED(CONFIG_CONTIG_ALLOC))
		kunit_skip(test, "no CONFIG_CONTIG_ALLOC");
	a = pmo_search_now();
	pmo_try_mdl(test, PSZ, low, high, 0, MM_ALLOCATE_NO_WAIT);
	b = pmo_search_now();
	KUNIT_EXPECT_EQ_MSG(test, b.searches, a.searches, "searched with NO_WAIT");

	a = pmo_search_now();
	pmo_try_mdl(test, PSZ, low, high, 0, 0);
	b = pmo_search_now();
	KUNIT_EXPECT_GT_MSG(test, b.searches, a.searches,
			    "the window needed no search: the test proves nothing");
	pmo_expect_clean(test);
}

/*
 * A fatal signal ends a window search: the caller is being killed, so the
 * create gives up with STATUS_CANCELLED instead of searching on.
 */
static void pmo_fatal_signal_cancels(struct kunit *test)
{
	NTSTATUS st;

	allow_signal(SIGKILL);
	send_sig(SIGKILL, current, 1);
	KUNIT_ASSERT_TRUE(test, fatal_signal_pending(current));
	st = pmo_try_mdl(test, PSZ, SZ_1G, SZ_1G + SZ_64K - 1, 0, 0);
	flush_signals(current);
	disallow_signal(SIGKILL);
	KUNIT_EXPECT_EQ(test, (u32)st, (u32)STATUS_CANCELLED);
	pmo_expect_clean(test);
}

/* debugfs shows no miniport pointers: Context is hashed. */
static void pmo_debugfs_no_context(struct kunit *test)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	const size_t len = SZ_64K;
	struct iov_iter iter;
	struct kiocb kiocb;
	struct kvec kv;
	struct file *f;
	char *buf, raw[24];
	ssize_t n;

	pmo_args(&a, MDL_T, CA, PSZ);
	a.Context = 0xfeedc0de12345678ULL;
	KUNIT_ASSERT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_SUCCESS);
	buf = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kv = (struct kvec){ .iov_base = buf, .iov_len = len - 1 };
	f = filp_open("/sys/kernel/debug/dxgkcompat/pmos", O_RDONLY, 0);
	if (IS_ERR(f)) {
		pmo_destroy(test, a.hPhysicalMemoryObject);
		kunit_skip(test, "no debugfs");
	}
	/* A seq_file has no ->read_iter for kernel_read(): read it directly. */
	init_sync_kiocb(&kiocb, f);
	iov_iter_kvec(&iter, ITER_DEST, &kv, 1, len - 1);
	n = seq_read_iter(&kiocb, &iter);
	filp_close(f, NULL);
	pmo_destroy(test, a.hPhysicalMemoryObject);
	KUNIT_ASSERT_GT(test, n, 0);
	snprintf(raw, sizeof(raw), "%llx", 0xfeedc0de12345678ULL);
	KUNIT_EXPECT_NULL_MSG(test, strstr(buf, raw), "Context printed raw");
	snprintf(raw, sizeof(raw), "%s", "12345678");
	KUNIT_EXPECT_NULL_MSG(test, strstr(buf, raw), "Context printed raw");
}

/* Kernel mappings of read-only and execute sections are read-only. */
static void pmo_kernel_map_protection(struct kunit *test)
{
#ifdef CONFIG_X86
	static const u32 prots[] = { WDK_PAGE_READONLY, PAGE_EXECUTE, PAGE_READWRITE };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(prots); i++) {
		DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
		DXGKARGCB_MAP_PHYSICAL_MEMORY m;
		unsigned int level;
		pte_t *pte;
		u8 *va;

		pmo_args(&a, SECT_T, CA, PSZ);
		a.Section.PageProtection = prots[i];
		KUNIT_ASSERT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_SUCCESS);
		va = pmo_map(test, a.hPhysicalMemoryObject, 0, PSZ, &m);
		pte = lookup_address((unsigned long)va, &level);
		KUNIT_ASSERT_NOT_NULL(test, pte);
		KUNIT_EXPECT_EQ_MSG(test, !!pte_write(*pte), prots[i] == PAGE_READWRITE,
				    "protection %#x", prots[i]);
		KUNIT_EXPECT_FALSE(test, pte_exec(*pte));
		pmo_unmap(test, a.hPhysicalMemoryObject, &m);
		pmo_destroy(test, a.hPhysicalMemoryObject);
	}
	pmo_expect_clean(test);
#else
	kunit_skip(test, "x86 page tables only");
#endif
}

static struct kunit_case dxgk_pmo_cases[] = {
	KUNIT_CASE(pmo_reject_budget),
	KUNIT_CASE(pmo_impossible_window),
	KUNIT_CASE(pmo_no_wait_no_search),
	KUNIT_CASE(pmo_fatal_signal_cancels),
	KUNIT_CASE(pmo_debugfs_no_context),
	KUNIT_CASE(pmo_kernel_map_protection),
	KUNIT_CASE(pmo_create_null_args),
	KUNIT_CASE_PARAM(pmo_create_rejects, pmo_create_bad_gen_params),
	KUNIT_CASE(pmo_create_section_named),
	KUNIT_CASE(pmo_create_accepts),
	KUNIT_CASE(pmo_create_all_ones_high),
	KUNIT_CASE(pmo_create_zeroed),
	KUNIT_CASE_PARAM(pmo_mdl_placement, pmo_mdl_place_gen_params),
	KUNIT_CASE_PARAM(pmo_cont_placement, pmo_cont_place_gen_params),
	KUNIT_CASE(pmo_io_space_edu),
	KUNIT_CASE(pmo_io_space_user_mode),
	KUNIT_CASE_PARAM(pmo_map_view_table, pmo_ram_type_gen_params),
	KUNIT_CASE_PARAM(pmo_map_overlapping_views, pmo_ram_type_gen_params),
	KUNIT_CASE(pmo_map_bad_access_mode),
	KUNIT_CASE(pmo_concurrent_maps),
	KUNIT_CASE(pmo_lifetime),
	{}
};

static struct kunit_suite dxgk_pmo_suite = {
	.name = "dxgkcompat_pmo",
	.init = pmo_init,
	.exit = pmo_exit,
	.test_cases = dxgk_pmo_cases,
};

/* ------------------------------------------------------------------ */
/* Cache attributes, from the page tables                              */
/* ------------------------------------------------------------------ */

struct pmo_cache_case {
	const char *what;
	DXGK_PHYSICAL_MEMORY_TYPE type;
	DXGK_MEMORY_CACHING_TYPE cache;
};

static const struct pmo_cache_case pmo_cache_cases[] = {
	{ "MDL non-cached", MDL_T, NC },
	{ "MDL cached", MDL_T, CA },
	{ "MDL write-combined", MDL_T, WC },
	{ "CONTIGUOUS non-cached", CONT_T, NC },
	{ "CONTIGUOUS cached", CONT_T, CA },
	{ "CONTIGUOUS write-combined", CONT_T, WC },
	{ "SECTION cached", SECT_T, CA },
	{ "SECTION write-combined", SECT_T, WC },
	{ "IO_SPACE non-cached", IO_T, NC },
	{ "IO_SPACE cached", IO_T, CA },
	{ "IO_SPACE write-combined", IO_T, WC },
};

KUNIT_ARRAY_PARAM_DESC(pmo_cache, pmo_cache_cases, what);

#ifdef CONFIG_X86
/*
 * Whether the MTRRs make @phys write-back, read from the MSRs themselves
 * (not from the kernel's PAT code under test): the default type, unless a
 * valid variable range covers @phys; UC in any covering range wins. Only
 * for addresses above 1 MiB (no fixed ranges).
 */
static bool pmo_mtrr_is_wb(u64 phys)
{
	bool covered = false, all_wb = true;
	u64 cap, def, base, mask;
	unsigned int i;

	if (!boot_cpu_has(X86_FEATURE_MTRR))
		return false;		/* no MTRRs: PAT makes a WB request UC- */
	rdmsrq(MSR_MTRRcap, cap);
	rdmsrq(MSR_MTRRdefType, def);
	if (!(def & BIT(11)))
		return false;		/* MTRRs disabled: everything UC */
	/* Overlapping ranges: UC wins, WT beats WB; WB only if all say WB. */
	for (i = 0; i < (cap & 0xff); i++) {
		rdmsrq(MTRRphysBase_MSR(i), base);
		rdmsrq(MTRRphysMask_MSR(i), mask);
		if (!(mask & BIT(11)))
			continue;
		mask &= ~0xfffULL;
		if ((phys & mask) != (base & mask))
			continue;
		covered = true;
		all_wb &= (base & 0xff) == MTRR_TYPE_WRBACK;
	}
	return covered ? all_wb : (def & 0xff) == MTRR_TYPE_WRBACK;
}

static enum page_cache_mode pmo_expected_mode(const struct pmo_cache_case *c,
					      u64 phys)
{
	switch (c->cache) {
	case DXGK_MEMORY_CACHING_TYPE_CACHED:
		/*
		 * A cached mapping of IO space is WB only where the MTRRs
		 * say WB; elsewhere (the PCI hole, where edu's BAR is) x86
		 * PAT makes the same request UC- (pat_x_mtrr_type()). WC or
		 * strict UC would be wrong either way.
		 */
		if (c->type == IO_T && !pmo_mtrr_is_wb(phys))
			return _PAGE_CACHE_MODE_UC_MINUS;
		return _PAGE_CACHE_MODE_WB;
	case DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED:
		return _PAGE_CACHE_MODE_WC;
	default:
		return c->type == IO_T ? _PAGE_CACHE_MODE_UC :
					 _PAGE_CACHE_MODE_UC_MINUS;
	}
}

/*
 * The PAT/PCD/PWT bits of the kernel PTE mapping @va, as 4K-format
 * protection bits, or -1 if @va is not mapped.
 */
static long pmo_pte_cache_bits(const void *va)
{
	unsigned int level;
	pte_t *pte = lookup_address((unsigned long)va, &level);
	pgprot_t prot;

	if (!pte || !pte_present(*pte))
		return -1;
	prot = pte_pgprot(*pte);
	if (level != PG_LEVEL_4K)
		prot = pgprot_large_2_4k(prot);
	return pgprot_val(prot) & _PAGE_CACHE_MASK;
}

static void pmo_expect_mode(struct kunit *test, const void *va,
			    enum page_cache_mode pcm, const char *what,
			    unsigned long i)
{
	KUNIT_EXPECT_EQ_MSG(test, pmo_pte_cache_bits(va),
			    (long)cachemode2protval(pcm),
			    "%s page %lu (%p): want cache mode %d", what, i, va,
			    pcm);
}
#endif

/*
 * Write a pattern, read it back, and prove the cache attribute of the
 * mapping and of the linear map of every RAM page from the page tables.
 */
static void pmo_cache_mode(struct kunit *test)
{
	const struct pmo_cache_case *c = test->param_value;
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	const SIZE_T size = c->type == IO_T ? 0x1000 : 3 * PSZ + 100;
	SIZE_T i, n = DIV_ROUND_UP(size, PSZ);
	unsigned long *pfn;
	HANDLE h;
	u8 *va;

	pfn = kunit_kcalloc(test, n, sizeof(*pfn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pfn);
	h = c->type == IO_T ? pmo_new_io(test, c->cache) :
			      pmo_new(test, c->type, c->cache, size);
	va = pmo_map(test, h, 0, size, &map);

	if (c->type == IO_T) {
		void __iomem *io = (void __force __iomem *)va;

		KUNIT_EXPECT_EQ(test, readl(io + EDU_REG_ID) & 0xff, 0xedU);
		writel(0x5aa5c33c, io + EDU_REG_LIVENESS);
		wmb();	/* drain write combining */
		KUNIT_EXPECT_EQ(test, readl(io + EDU_REG_LIVENESS), ~0x5aa5c33cU);
		writel(0x12345678, io + EDU_REG_DMA_SRC);
		wmb();	/* drain write combining */
		KUNIT_EXPECT_EQ(test, readl(io + EDU_REG_DMA_SRC), 0x12345678U);
		writel(0, io + EDU_REG_DMA_SRC);
	} else {
		for (i = 0; i < size; i++)
			va[i] = pmo_pattern(i);
		wmb();	/* drain write combining */
		for (i = 0; i < size; i++)
			if (va[i] != pmo_pattern(i))
				break;
		KUNIT_EXPECT_EQ_MSG(test, i, size, "pattern mismatch at %lu", i);
		for (i = 0; i < n; i++) {
			struct page *pg = pmo_va_page(va + i * PSZ);

			KUNIT_ASSERT_NOT_NULL(test, pg);
			pfn[i] = page_to_pfn(pg);
		}
	}

#ifdef CONFIG_X86
	for (i = 0; i < n; i++) {
		const void *mva = (u8 *)map.pMappedAddress + i * PSZ;

		u64 phys = c->type == IO_T ? pmo_edu_bar(test) + i * PSZ :
					     PFN_PHYS(pfn[i]);

		pmo_expect_mode(test, mva, pmo_expected_mode(c, phys), "mapping", i);
		if (c->type != IO_T)
			pmo_expect_mode(test, page_address(pfn_to_page(pfn[i])),
					pmo_expected_mode(c, phys), "linear map", i);
	}
#endif
	pmo_unmap(test, h, &map);
	pmo_destroy(test, h);

#ifdef CONFIG_X86
	/*
	 * A miniport's WC or UC MDL pages wait in the page pool with their
	 * attribute (DOC: Page pool); every page the pool gives back, and
	 * every other page, goes to the allocator write-back.
	 */
	if (c->type == MDL_T && c->cache != CA && dxgk_pool_pages(c->cache)) {
		for (i = 0; i < n; i++)
			pmo_expect_mode(test, page_address(pfn_to_page(pfn[i])),
					pmo_expected_mode(c, PFN_PHYS(pfn[i])),
					"pooled page linear map", i);
		dxgk_pool_shrink(ULONG_MAX);
	}
	for (i = 0; c->type != IO_T && i < n; i++)
		pmo_expect_mode(test, page_address(pfn_to_page(pfn[i])),
				_PAGE_CACHE_MODE_WB, "freed page linear map", i);
#endif
	pmo_expect_clean(test);
#ifndef CONFIG_X86
	kunit_skip(test, "page-table cache attributes are checked on x86 only");
#endif
}

static struct kunit_case dxgk_pmo_cache_cases[] = {
	KUNIT_CASE_PARAM(pmo_cache_mode, pmo_cache_gen_params),
	{}
};

static struct kunit_suite dxgk_pmo_cache_suite = {
	.name = "dxgkcompat_pmo_cache",
	.init = pmo_init,
	.exit = pmo_exit,
	.test_cases = dxgk_pmo_cache_cases,
};

/* ------------------------------------------------------------------ */
/* Misuse: counted once, refused, nothing changes                      */
/* ------------------------------------------------------------------ */

/* Map with an unknown or destroyed handle. */
static void pmo_misuse_map_bad_handle(struct kunit *test)
{
	unsigned int m = dxgk_misuse_count();
	HANDLE h;

	KUNIT_EXPECT_EQ(test, pmo_map_st(test, PMO_BAD_HANDLE, DXGK_ACCESS_MODE_KERNEL_MODE, 0, 1),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	KUNIT_EXPECT_EQ(test, pmo_map_st(test, NULL, DXGK_ACCESS_MODE_KERNEL_MODE, 0, 1),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 2);

	h = pmo_new(test, MDL_T, CA, PSZ);
	pmo_destroy(test, h);
	m = dxgk_misuse_count();
	KUNIT_EXPECT_EQ(test, pmo_map_st(test, h, DXGK_ACCESS_MODE_KERNEL_MODE, 0, 1),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	pmo_expect_clean(test);
}

/* Checks that @va still maps object byte 0, then unmaps properly. */
static void pmo_expect_live(struct kunit *test, HANDLE h,
			    DXGKARGCB_MAP_PHYSICAL_MEMORY *map, u8 byte0)
{
	KUNIT_EXPECT_EQ(test, pmo_peek(test, (u8 *)map->pMappedAddress + map->Offset),
			byte0);
	pmo_unmap(test, h, map);
}

/* Unmap with an unknown handle, or another object's handle. */
static void pmo_misuse_unmap_bad_handle(struct kunit *test)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	HANDLE h = pmo_new(test, MDL_T, CA, 2 * PSZ);
	HANDLE other = pmo_new(test, MDL_T, CA, 2 * PSZ);
	unsigned int m;
	u8 *va;

	va = pmo_map(test, h, 0, 2 * PSZ, &map);
	*va = 0x3c;
	m = dxgk_misuse_count();
	pmo_unmap_raw(test, PMO_BAD_HANDLE, map.pMappedAddress, map.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	pmo_unmap_raw(test, other, map.pMappedAddress, map.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 2);
	pmo_unmap_raw(test, NULL, map.pMappedAddress, map.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 3);
	pmo_expect_live(test, h, &map, 0x3c);
	pmo_destroy(test, other);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* Unmap of an address that is not a live mapping of the object. */
static void pmo_misuse_unmap_bad_address(struct kunit *test)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY map, map2;
	HANDLE h = pmo_new(test, MDL_T, CA, 3 * PSZ);
	unsigned int m;
	u8 *va;

	va = pmo_map(test, h, 10, 100, &map);
	*va = 0x77;
	m = dxgk_misuse_count();
	/* The data address, not the base. */
	pmo_unmap_raw(test, h, va, map.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	pmo_unmap_raw(test, h, (u8 *)map.pMappedAddress + PSZ, PSZ);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 2);
	pmo_unmap_raw(test, h, NULL, map.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 3);
	/* Some other kernel address. */
	pmo_unmap_raw(test, h, pmo(test), PSZ);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 4);
	pmo_expect_live(test, h, &map, 0x77);

	/* A second unmap of the same base. */
	va = pmo_map(test, h, 0, PSZ, &map);
	pmo_map(test, h, 0, PSZ, &map2);
	pmo_unmap(test, h, &map);
	m = dxgk_misuse_count();
	pmo_unmap_raw(test, h, map.pMappedAddress, map.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	pmo_unmap(test, h, &map2);
	m = dxgk_misuse_count();
	pmo_unmap_raw(test, h, map2.pMappedAddress, map2.Size);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);

	/* Nothing left mapped: destroy is not refused. */
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* Unmap with the wrong Size: refused, the mapping stays live. */
static void pmo_misuse_unmap_wrong_size(struct kunit *test)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	HANDLE h = pmo_new(test, CONT_T, CA, 3 * PSZ);
	unsigned int m;
	u8 *va;

	va = pmo_map(test, h, 5, PSZ + 100, &map);
	KUNIT_ASSERT_EQ(test, map.Size, 2 * PSZ);
	*va = 0xc1;
	m = dxgk_misuse_count();
	pmo_unmap_raw(test, h, map.pMappedAddress, map.Size + PSZ);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	pmo_unmap_raw(test, h, map.pMappedAddress, map.Size - PSZ);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 2);
	/* The requested size, not Size_out. */
	pmo_unmap_raw(test, h, map.pMappedAddress, PSZ + 100);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 3);
	pmo_unmap_raw(test, h, map.pMappedAddress, 0);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 4);
	/* Still live: readable through the last page, then unmaps cleanly. */
	KUNIT_EXPECT_EQ(test, pmo_peek(test, va + PSZ + 99), (u8)0);
	pmo_expect_live(test, h, &map, 0xc1);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* Destroy of an unknown handle, and a second destroy. */
static void pmo_misuse_destroy_bad_handle(struct kunit *test)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
		.hPhysicalMemoryObject = PMO_BAD_HANDLE,
	};
	unsigned int m = dxgk_misuse_count();
	unsigned int n = dxgk_pmo_count();
	HANDLE keep = pmo_new(test, MDL_T, CA, PSZ);
	HANDLE h;

	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	d.hPhysicalMemoryObject = NULL;
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 2);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n + 1);

	h = pmo_new(test, SECT_T, CA, PSZ);
	pmo_destroy(test, h);
	m = dxgk_misuse_count();
	d.hPhysicalMemoryObject = h;
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n + 1);
	pmo_destroy(test, keep);
	pmo_expect_clean(test);
}

/* Destroy with live CPU mappings: refused, the object stays usable. */
static void pmo_misuse_destroy_mapped(struct kunit *test)
{
	DXGK_PHYSICAL_MEMORY_TYPE type = *(const DXGK_PHYSICAL_MEMORY_TYPE *)
					 test->param_value;
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d;
	DXGKARGCB_MAP_PHYSICAL_MEMORY map, map2;
	HANDLE h = pmo_new(test, type, CA, 2 * PSZ);
	unsigned int m, n = dxgk_pmo_count();
	u8 *va, *vb;

	va = pmo_map(test, h, 0, 2 * PSZ, &map);
	va[PSZ + 1] = 0xab;
	d = (DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT){
		.hPhysicalMemoryObject = h,
	};
	m = dxgk_misuse_count();
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n);
	KUNIT_ASSERT_EQ(test, dxgk_pmo_count(), n);
	/* Fully usable: read through the old view and a new one. */
	KUNIT_EXPECT_EQ(test, pmo_peek(test, va + PSZ + 1), (u8)0xab);
	vb = pmo_map(test, h, PSZ + 1, 1, &map2);
	KUNIT_EXPECT_EQ(test, *vb, (u8)0xab);
	pmo_unmap(test, h, &map2);
	/* Still refused with one mapping left. */
	m = dxgk_misuse_count();
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	KUNIT_ASSERT_EQ(test, dxgk_pmo_count(), n);
	KUNIT_EXPECT_EQ(test, pmo_peek(test, va + PSZ + 1), (u8)0xab);
	pmo_unmap(test, h, &map);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* Destroy naming an adapter memory object that is not the object's. */
static void pmo_misuse_destroy_foreign_amo(struct kunit *test)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d;
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	HANDLE h = pmo_new(test, MDL_T, CA, PSZ);
	HANDLE other = pmo_new(test, CONT_T, CA, PSZ);
	unsigned int m, n = dxgk_pmo_count();
	u8 *va;

	va = pmo_map(test, h, 0, PSZ, &map);
	*va = 0x5e;
	pmo_unmap(test, h, &map);

	d = (DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT){
		.hPhysicalMemoryObject = h,
		.hAdapterMemoryObject = PMO_BAD_HANDLE,
	};
	m = dxgk_misuse_count();
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 1);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n);
	/* Another object's PMO handle is no AMO of this one either. */
	d.hAdapterMemoryObject = other;
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 2);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n);
	/* Nor its own PMO handle. */
	d.hAdapterMemoryObject = h;
	pmo(test)->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), m + 3);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n);

	va = pmo_map(test, h, 0, 1, &map);
	KUNIT_EXPECT_EQ(test, *va, (u8)0x5e);
	pmo_unmap(test, h, &map);
	va = pmo_map(test, other, 0, 1, &map);
	KUNIT_EXPECT_EQ(test, *va, (u8)0);
	pmo_unmap(test, other, &map);
	pmo_destroy(test, h);
	pmo_destroy(test, other);
	pmo_expect_clean(test);
}

static struct kunit_case dxgk_pmo_misuse_cases[] = {
	KUNIT_CASE(pmo_create_bad_adapter),
	KUNIT_CASE(pmo_misuse_map_bad_handle),
	KUNIT_CASE(pmo_misuse_unmap_bad_handle),
	KUNIT_CASE(pmo_misuse_unmap_bad_address),
	KUNIT_CASE(pmo_misuse_unmap_wrong_size),
	KUNIT_CASE(pmo_misuse_destroy_bad_handle),
	KUNIT_CASE_PARAM(pmo_misuse_destroy_mapped, pmo_ram_type_gen_params),
	KUNIT_CASE(pmo_misuse_destroy_foreign_amo),
	{}
};

static struct kunit_suite dxgk_pmo_misuse_suite = {
	.name = "dxgkcompat_pmo_misuse",
	.init = pmo_init,
	.exit = pmo_exit,
	.test_cases = dxgk_pmo_misuse_cases,
};

/* ------------------------------------------------------------------ */
/* The page pool of WC and UC pages                                    */
/* ------------------------------------------------------------------ */

static const DXGK_MEMORY_CACHING_TYPE pool_caches[] = { WC, NC };

static void pool_cache_desc(const DXGK_MEMORY_CACHING_TYPE *c, char *desc)
{
	strscpy(desc, *c == WC ? "write-combined" : "non-cached", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pool_cache, pool_caches, pool_cache_desc);

/* The bound the module had before the suite: every case gets it back. */
static unsigned int pool_max_kib;

static int pool_init(struct kunit *test)
{
	int ret = pmo_init(test);

	/* every case starts with empty pools */
	dxgk_pool_shrink(ULONG_MAX);
	pool_max_kib = dxgk_pool_set_max_kib(SZ_64K);
	dxgk_pool_set_max_kib(pool_max_kib);
	return ret;
}

static void pool_exit(struct kunit *test)
{
	pmo_exit(test);
	dxgk_pool_set_max_kib(pool_max_kib);	/* even after an aborted case */
	dxgk_pool_shrink(ULONG_MAX);
}

/* A miniport's MDL object of @n pages and cache @c, with @flags. */
static HANDLE pool_new(struct kunit *test, DXGK_MEMORY_CACHING_TYPE c,
		       unsigned long n, UINT flags, u64 low, u64 high)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;

	pmo_args(&a, MDL_T, c, n * PSZ);
	a.Mdl.Flags = flags;
	a.Mdl.LowAddress.QuadPart = low;
	a.Mdl.HighAddress.QuadPart = high;
	KUNIT_ASSERT_EQ(test, (u32)pmo_create(test, &a), (u32)STATUS_SUCCESS);
	return a.hPhysicalMemoryObject;
}

/* The pfns of an object's pages, read through a kernel mapping. */
static void pool_pfns(struct kunit *test, HANDLE h, unsigned long n,
		      unsigned long *pfn, bool fill, bool *zero)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY map;
	u8 *va = pmo_map(test, h, 0, n * PSZ, &map);
	unsigned long i;

	if (zero)
		*zero = !memchr_inv(va, 0, n * PSZ);
	for (i = 0; i < n; i++) {
		pfn[i] = page_to_pfn(pmo_va_page(va + i * PSZ));
		if (fill)
			memset(va + i * PSZ, 0xa5, PSZ);
	}
	wmb();	/* drain write combining */
	pmo_unmap(test, h, &map);
}

static void pool_expect_modes(struct kunit *test, const unsigned long *pfn,
			      unsigned long n, enum page_cache_mode pcm,
			      const char *what)
{
#ifdef CONFIG_X86
	unsigned long i;

	for (i = 0; i < n; i++)
		pmo_expect_mode(test, pfn_to_kaddr(pfn[i]), pcm, what, i);
#endif
}

static enum page_cache_mode pool_mode(DXGK_MEMORY_CACHING_TYPE c)
{
	return c == WC ? _PAGE_CACHE_MODE_WC : _PAGE_CACHE_MODE_UC_MINUS;
}

/*
 * A destroyed object's pages wait in the pool with their attribute and
 * no data; the next object of the cache type gets exactly those pages,
 * zero even with MM_DONT_ZERO_ALLOCATION, and nothing else changes.
 */
static void pool_reuse_zeroed(struct kunit *test)
{
	const DXGK_MEMORY_CACHING_TYPE c = *(const DXGK_MEMORY_CACHING_TYPE *)test->param_value;
	unsigned long pfn[4], again[4], i;
	long leaked = dxgk_pages_leaked_total();
	bool zero;
	HANDLE h;

	h = pool_new(test, c, 4, 0, 0, S64_MAX);
	pool_pfns(test, h, 4, pfn, true, NULL);
	pmo_destroy(test, h);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 4UL);
	pool_expect_modes(test, pfn, 4, pool_mode(c), "pooled page");

	h = pool_new(test, c, 4, MM_DONT_ZERO_ALLOCATION, 0, S64_MAX);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 0UL);
	pool_pfns(test, h, 4, again, false, &zero);
	KUNIT_EXPECT_TRUE_MSG(test, zero, "a pooled page carried its last owner's data");
	for (i = 0; i < 4; i++) {
		bool found = false;
		unsigned long j;

		for (j = 0; j < 4; j++)
			found |= again[i] == pfn[j];
		KUNIT_EXPECT_TRUE_MSG(test, found, "page %lu (pfn %#lx) not from the pool", i,
				      again[i]);
	}
	pool_expect_modes(test, again, 4, pool_mode(c), "reused page");
	pmo_destroy(test, h);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 4UL);
	/* the other cache type's pool never saw them */
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c == WC ? NC : WC), 0UL);
	KUNIT_EXPECT_EQ(test, dxgk_pool_shrink(ULONG_MAX), 4UL);
	pool_expect_modes(test, pfn, 4, _PAGE_CACHE_MODE_WB, "shrunk page");
	KUNIT_EXPECT_EQ(test, dxgk_pages_leaked_total(), leaked);
	pmo_expect_clean(test);
}

/* The shrinker gives pages back, WB, as many as it is asked for. */
static void pool_shrinker(struct kunit *test)
{
	const DXGK_MEMORY_CACHING_TYPE c = *(const DXGK_MEMORY_CACHING_TYPE *)test->param_value;
	unsigned long pfn[8];
	HANDLE h;

	h = pool_new(test, c, 8, 0, 0, S64_MAX);
	pool_pfns(test, h, 8, pfn, false, NULL);
	pmo_destroy(test, h);
	KUNIT_ASSERT_EQ(test, dxgk_pool_pages(c), 8UL);
	KUNIT_EXPECT_EQ(test, dxgk_pool_shrink(3), 3UL);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 5UL);
	KUNIT_EXPECT_EQ(test, dxgk_pool_shrink(ULONG_MAX), 5UL);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 0UL);
	KUNIT_EXPECT_EQ(test, dxgk_pool_shrink(ULONG_MAX), 0UL);
	pool_expect_modes(test, pfn, 8, _PAGE_CACHE_MODE_WB, "shrunk page");
	pmo_expect_clean(test);
}

/* The bound holds: what does not fit goes back WB; 0 turns pooling off. */
static void pool_bound(struct kunit *test)
{
	const DXGK_MEMORY_CACHING_TYPE c = *(const DXGK_MEMORY_CACHING_TYPE *)test->param_value;
	unsigned int old = dxgk_pool_set_max_kib(2 * PSZ / SZ_1K);
	unsigned long pfn[5], i, pooled = 0;
	HANDLE h;

	h = pool_new(test, c, 5, 0, 0, S64_MAX);
	pool_pfns(test, h, 5, pfn, false, NULL);
	pmo_destroy(test, h);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 2UL);
#ifdef CONFIG_X86
	/* two pages kept their attribute, three went back WB */
	for (i = 0; i < 5; i++)
		pooled += pmo_pte_cache_bits(pfn_to_kaddr(pfn[i])) ==
			  (long)cachemode2protval(pool_mode(c));
	KUNIT_EXPECT_EQ(test, pooled, 2UL);
#endif
	dxgk_pool_shrink(ULONG_MAX);
	dxgk_pool_set_max_kib(0);
	h = pool_new(test, c, 2, 0, 0, S64_MAX);
	pmo_destroy(test, h);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 0UL);
	dxgk_pool_set_max_kib(old);
	pmo_expect_clean(test);
}

/*
 * User space's objects neither take pooled pages nor give theirs: their
 * pages are charged to its memory cgroup.
 */
static void pool_user_objects_bypass(struct kunit *test)
{
	const DXGK_MEMORY_CACHING_TYPE c = *(const DXGK_MEMORY_CACHING_TYPE *)test->param_value;
	struct dxgk_pmo_quota *q = dxgk_pmo_quota_new();
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
	HANDLE h;

	KUNIT_ASSERT_NOT_NULL(test, q);
	h = pool_new(test, c, 2, 0, 0, S64_MAX);
	pmo_destroy(test, h);
	KUNIT_ASSERT_EQ(test, dxgk_pool_pages(c), 2UL);

	pmo_args(&a, MDL_T, c, 3 * PSZ);
	KUNIT_EXPECT_EQ(test, (u32)dxgk_pmo_create(&a, q, false), (u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 2UL);
	if (a.hPhysicalMemoryObject) {
		pmo_track_obj(test, a.hPhysicalMemoryObject, true);
		pmo_destroy(test, a.hPhysicalMemoryObject);
	}
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 2UL);
	dxgk_pmo_quota_put(q);
	pmo_expect_clean(test);
}

/* A window takes only pooled pages inside it; contiguity never pools. */
static void pool_window(struct kunit *test)
{
	const DXGK_MEMORY_CACHING_TYPE c = *(const DXGK_MEMORY_CACHING_TYPE *)test->param_value;
	unsigned long pfn, got, n;
	u64 phys, low, high;
	HANDLE h;

	h = pool_new(test, c, 1, 0, 0, S64_MAX);
	pool_pfns(test, h, 1, &pfn, false, NULL);
	pmo_destroy(test, h);
	KUNIT_ASSERT_EQ(test, dxgk_pool_pages(c), 1UL);
	phys = PFN_PHYS(pfn);

	/* a window that leaves the pooled page out */
	if (phys >= SZ_32M) {
		low = 0;
		high = SZ_32M - 1;
	} else {
		low = SZ_32M;
		high = S64_MAX;
	}
	h = pool_new(test, c, 1, 0, low, high);
	pool_pfns(test, h, 1, &got, false, NULL);
	KUNIT_EXPECT_NE(test, got, pfn);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 1UL);
	pmo_destroy(test, h);
	/* a window's pages are pooled like any other, but for ZONE_DMA's */
	n = page_zonenum(pfn_to_page(got)) == ZONE_DMA ? 1 : 2;
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), n);

	/* PREFER_CONTIGUOUS neither takes pooled pages nor gives its own */
	h = pool_new(test, c, 1, MM_ALLOCATE_PREFER_CONTIGUOUS, 0, S64_MAX);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), n);
	pmo_destroy(test, h);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), n);

	/* and a window with the page in it takes it */
	h = pool_new(test, c, 1, 0, phys, phys + PSZ - 1);
	pool_pfns(test, h, 1, &got, false, NULL);
	KUNIT_EXPECT_EQ(test, got, pfn);
	pmo_destroy(test, h);
	pmo_expect_clean(test);
}

/* pool_race: what each thread does, and what it saw */
struct pool_racer {
	const DXGKRNL_INTERFACE *iface;
	DXGK_MEMORY_CACHING_TYPE cache;
	unsigned int seed, rounds;
	unsigned int failures;		/* a create, map or unmap that failed */
	unsigned int dirty;		/* a new object with non-zero bytes */
	struct completion done;
};

static int pool_racer_fn(void *data)
{
	struct pool_racer *r = data;
	unsigned int i;

	for (i = 0; i < r->rounds; i++) {
		DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT a;
		DXGKARGCB_MAP_PHYSICAL_MEMORY m = {};
		DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = {};
		DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {};
		SIZE_T size = (1 + (r->seed + i * 7) % 8) * PSZ;

		pmo_args(&a, MDL_T, r->cache, size);
		if (!NT_SUCCESS(r->iface->DxgkCbCreatePhysicalMemoryObject(&a))) {
			r->failures++;
			continue;
		}
		m.hPhysicalMemoryObject = a.hPhysicalMemoryObject;
		m.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE;
		m.Size = size;
		if (NT_SUCCESS(r->iface->DxgkCbMapPhysicalMemory(&m))) {
			u8 *va = m.pMappedAddress;

			/* the last owner's bytes must be gone, then leave some */
			if (memchr_inv(va, 0, size))
				r->dirty++;
			memset(va, 0x5a, size);
			wmb();	/* drain write combining */
			u.hPhysicalMemoryObject = a.hPhysicalMemoryObject;
			u.pBaseAddress = m.pMappedAddress;
			u.Size = m.Size;
			r->iface->DxgkCbUnmapPhysicalMemory(&u);
		} else {
			r->failures++;
		}
		d.hPhysicalMemoryObject = a.hPhysicalMemoryObject;
		r->iface->DxgkCbDestroyPhysicalMemoryObject(&d);
		cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * Four threads create, fill and destroy objects of one cache type while
 * the shrinker runs and the bound changes under them: no object sees
 * another's data, nothing leaks, the pool ends within its bound and
 * empties completely.
 */
static void pool_race(struct kunit *test)
{
	const DXGK_MEMORY_CACHING_TYPE c = *(const DXGK_MEMORY_CACHING_TYPE *)test->param_value;
	static const unsigned int bounds[] = { 0, 8, 32, SZ_64K };
	long leaked = dxgk_pages_leaked_total();
	struct pool_racer *r;
	unsigned int i, n = 4, running, k = 0;

	r = kunit_kcalloc(test, n, sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < n; i++) {
		struct task_struct *t;

		r[i] = (struct pool_racer){
			.iface = &pmo(test)->iface, .cache = c, .seed = i,
			.rounds = 200,
		};
		init_completion(&r[i].done);
		t = kthread_run(pool_racer_fn, &r[i], "dxgk_pool_race/%u", i);
		if (IS_ERR(t)) {
			complete(&r[i].done);
			KUNIT_FAIL(test, "thread %u: %ld", i, PTR_ERR(t));
		}
	}
	do {
		/* shrink a little, move the bound (KiB), let them run */
		dxgk_pool_shrink(1 + k % 5);
		dxgk_pool_set_max_kib(bounds[k++ % ARRAY_SIZE(bounds)]);
		usleep_range(200, 400);
		for (i = 0, running = 0; i < n; i++)
			running += !completion_done(&r[i].done);
	} while (running);
	dxgk_pool_set_max_kib(pool_max_kib);

	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ_MSG(test, r[i].failures, 0U, "thread %u", i);
		KUNIT_EXPECT_EQ_MSG(test, r[i].dirty, 0U, "thread %u saw data", i);
	}
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), pmo(test)->pmo_base);
	KUNIT_EXPECT_LE(test, dxgk_pool_pages(c),
			(unsigned long)SZ_64K >> (PAGE_SHIFT - 10));
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c == WC ? NC : WC), 0UL);
	dxgk_pool_shrink(ULONG_MAX);
	KUNIT_EXPECT_EQ(test, dxgk_pool_pages(c), 0UL);
	KUNIT_EXPECT_EQ(test, dxgk_pages_leaked_total(), leaked);
	kunit_info(test, "%u threads x %u rounds, %u bound changes", n, r[0].rounds, k);
}

static struct kunit_case dxgk_pool_cases[] = {
	KUNIT_CASE_PARAM(pool_reuse_zeroed, pool_cache_gen_params),
	KUNIT_CASE_PARAM(pool_shrinker, pool_cache_gen_params),
	KUNIT_CASE_PARAM(pool_bound, pool_cache_gen_params),
	KUNIT_CASE_PARAM(pool_user_objects_bypass, pool_cache_gen_params),
	KUNIT_CASE_PARAM(pool_window, pool_cache_gen_params),
	KUNIT_CASE_PARAM(pool_race, pool_cache_gen_params),
	{}
};

static struct kunit_suite dxgk_pool_suite = {
	.name = "dxgkcompat_pool",
	.init = pool_init,
	.exit = pool_exit,
	.test_cases = dxgk_pool_cases,
};

kunit_test_suites(&dxgk_pmo_suite, &dxgk_pmo_cache_suite, &dxgk_pmo_misuse_suite,
		  &dxgk_pool_suite);
