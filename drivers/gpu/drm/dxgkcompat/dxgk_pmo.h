/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - physical memory objects: what the memory core (dxgk_pmo.c,
 * dxgk_backing.c, dxgk_map.c) shares with itself, with the ADLs
 * (dxgk_adl.c) and with debugfs (dxgk_debugfs.c).
 */
#ifndef _DXGK_PMO_H_
#define _DXGK_PMO_H_

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/xarray.h>

#include "dxgk_drv.h"

struct dxgk_amo;
struct page;
struct seq_file;

/* The biggest MDL the WDK describes (MDL PMOs, IoAllocateMdl, 2.4 calls). */
#define DXGK_MDL_MAX_BYTES	(SZ_4G - PAGE_SIZE)

/* Handles: PMOs and AMOs are indices in two tables, tagged by kind. */
#define DXGK_HANDLE_PMO		1UL
#define DXGK_HANDLE_AMO		2UL
#define DXGK_HANDLE_SHIFT	2

/**
 * struct dxgk_pmo - a physical memory object
 * @ref: references: the handle, each AMO, each lookup in progress
 * @id: index in the PMO table
 * @type: DXGK_PHYSICAL_MEMORY_TYPE
 * @cache: DXGK_MEMORY_CACHING_TYPE of every mapping
 * @size: bytes, as requested
 * @npages: pages of backing store
 * @context: the miniport's Context, kept for debugging
 * @pages: the pages (MDL, CONTIGUOUS_MEMORY; SECTION while pinned)
 * @io_base: start of an IO_SPACE range
 * @shmem: backing file of a SECTION
 * @lock: protects everything below
 * @pins: SECTION: users of @pages (kernel mappings; for WC, the object)
 * @maps: live CPU mappings
 * @amo: the adapter memory object, if opened on an adapter
 * @destroyed: DxgkCbDestroyPhysicalMemoryObject has run
 * @nvmas: user VMAs mapping the object (each holds a reference)
 * @ufile: file behind user mappings made by the callback (USER_MODE)
 * @owner: "comm[tgid]" of the creating process, or "kernel"
 * @reserved: @npages counted against max_memory_percent
 * @prot: the WDK page protection every mapping obeys (PAGE_READWRITE but
 *	for sections created otherwise)
 * @user: created for user space: its memory is charged to the creator's
 *	memory cgroup
 * @orphan: its GEM object is gone while CPU mappings live on: destroyed
 *	when the last one goes (dxgk_pmo_orphan())
 * @quota: the per-file budget its pages are counted in, or NULL
 * @pooled: at creation, pages[0..pooled) came from the page pool with
 *	the cache type's linear-map attribute already set
 * @poolable: its pages go to the page pool when it goes (a miniport's
 *	MDL object without contiguity flags)
 */
struct dxgk_pmo {
	struct kref ref;
	u32 id;
	DXGK_PHYSICAL_MEMORY_TYPE type;
	DXGK_MEMORY_CACHING_TYPE cache;
	u64 size;
	unsigned long npages;
	ULONG_PTR context;
	struct page **pages;
	phys_addr_t io_base;
	struct file *shmem;
	struct mutex lock;	/* see the members below */
	unsigned int pins;
	struct list_head maps;
	struct dxgk_amo *amo;
	bool destroyed;
	unsigned int nvmas;
	struct file *ufile;
	char owner[TASK_COMM_LEN + 16];
	bool reserved;
	ULONG prot;
	bool user;
	bool orphan;
	struct dxgk_pmo_quota *quota;
	unsigned long pooled;
	bool poolable;
};

/**
 * struct dxgk_amo - a PMO opened on an adapter
 * @id: index in the AMO table
 * @pmo: the object (holds a reference)
 * @adapter_handle: DeviceHandle of the adapter it was opened on
 * @adls: live ADLs built from it, under pmo->lock
 * @nadls: their number
 */
struct dxgk_amo {
	u32 id;
	struct dxgk_pmo *pmo;
	HANDLE adapter_handle;
	struct list_head adls;
	unsigned int nadls;
};

/**
 * struct dxgk_cpu_map - a live CPU mapping of a PMO
 * @node: in dxgk_pmo.maps
 * @base: the mapped address handed out (pMappedAddress)
 * @size: its size (the Size output of the map)
 * @first: first page of the object it maps
 */
struct dxgk_cpu_map {
	struct list_head node;
	void *base;
	size_t size;
	unsigned long first;
};

/* dxgk_pmo.c: handles, lifetime, the memory cap and quotas */
extern struct xarray dxgk_pmos;
extern struct xarray dxgk_amos;
extern atomic_t dxgk_pmo_objects;
extern atomic_long_t dxgk_pmo_pages[3];
extern atomic_long_t dxgk_pmo_reserved;
HANDLE dxgk_make_handle(u32 id, unsigned long kind);
bool dxgk_pmo_charge(struct dxgk_pmo_quota *q, unsigned long n);
void dxgk_pmo_uncharge(struct dxgk_pmo_quota *q, unsigned long n);
gfp_t dxgk_pmo_gfp(const struct dxgk_pmo *pmo, gfp_t gfp);
bool dxgk_pmo_reserve(struct dxgk_pmo *pmo, gfp_t gfp);
struct dxgk_pmo *dxgk_pmo_get_checked(HANDLE h, const char *caller);
struct dxgk_pmo *dxgk_amo_pmo_get(HANDLE h, u32 *id);
struct dxgk_amo *dxgk_amo_locked(struct dxgk_pmo *pmo, u32 id);
bool dxgk_adl_live_locked(struct dxgk_pmo *pmo, u32 amo_id, const DXGK_ADL *adl);
void dxgk_pmo_unlock_reap(struct dxgk_pmo *pmo);

/* dxgk_backing.c: the backing store by type */
extern atomic_long_t dxgk_pmo_rejected;
extern atomic_long_t dxgk_pmo_range_searches;
NTSTATUS dxgk_alloc_mdl(struct dxgk_pmo *pmo,
			const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args,
			bool search);
NTSTATUS
dxgk_alloc_contiguous(struct dxgk_pmo *pmo,
		      const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args,
		      bool search);
NTSTATUS dxgk_alloc_section(struct dxgk_pmo *pmo,
			    const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args);
NTSTATUS dxgk_io_space(struct dxgk_pmo *pmo,
		       const DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *args);
void dxgk_free_pages(struct page **pages, unsigned long n);
int dxgk_section_pin(struct dxgk_pmo *pmo);
void dxgk_section_unpin(struct dxgk_pmo *pmo);

/* dxgk_map.c: CPU mappings */
void dxgk_cpu_map_release(struct dxgk_pmo *pmo, struct dxgk_cpu_map *map);

/* dxgk_adl.c: ADLs */
void dxgk_adl_release_all(struct dxgk_amo *amo);
void dxgk_adl_show(struct seq_file *m, struct dxgk_amo *amo);

#endif /* _DXGK_PMO_H_ */
