/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgk_bench - what the three parts of the benchmark module share: the
 * run loop and its table (bench_main.c), the WDK-style miniport that
 * measures the port's callbacks (bench_mp.c) and the Linux primitives it
 * is compared with (bench_linux.c). Only Linux types here, so that the
 * Linux side never sees the WDK headers.
 *
 * Every measurement function runs one whole cycle (allocate, map, touch,
 * unmap, free, or what its row says), stores its time in nanoseconds in
 * *ns and returns 0, or returns its failure: an NTSTATUS for the
 * callbacks, a negative errno for the Linux primitives. Everything it
 * allocated is freed before it returns.
 */
#ifndef _DXGK_BENCH_H_
#define _DXGK_BENCH_H_

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct device;
struct page;

/* Cache types, in the order of the table's rows. */
enum bench_cache {
	BENCH_WB,
	BENCH_WC,
	BENCH_UC,
	BENCH_NCACHES
};

/* Backing-store types of the callbacks' rows. */
enum bench_type {
	BENCH_MDL,
	BENCH_CONTIGUOUS,
	BENCH_SECTION,
	BENCH_NTYPES
};

/* The two adapters of the miniport. */
enum bench_adapter {
	BENCH_ADAPTER_VIRT,	/* its own platform device, no IOMMU */
	BENCH_ADAPTER_EDU,	/* QEMU's edu, when no other driver has it */
	BENCH_NADAPTERS
};

/**
 * struct bench_adl_obj - the object of the ADL rows
 * @dev: the adapter's device, which the port maps ADLs for
 * @pages: the object's pages (as its kernel mapping shows them)
 * @npages: their number
 * @hpmo: the object's handle
 * @hamo: its handle on the adapter
 * @adapter: the adapter
 */
struct bench_adl_obj {
	enum bench_adapter adapter;
	struct device *dev;
	struct page **pages;
	unsigned long npages;
	void *hpmo;
	void *hamo;
};

/* Serialises runs with each other and with the adapters' start and stop. */
extern struct mutex bench_lock;

/* bench_mp.c: the miniport and the callbacks' measurements. */
int bench_mp_register(bool edu);
void bench_mp_unregister(void);
bool bench_mp_started(enum bench_adapter a);
struct device *bench_mp_device(enum bench_adapter a);
int bench_cb_map(enum bench_type type, size_t size, enum bench_cache cache,
		 u64 *ns);
int bench_cb_churn(enum bench_cache cache, unsigned int count, u64 *ns);
int bench_cb_adl_prepare(enum bench_adapter a, size_t size,
			 struct bench_adl_obj *obj);
void bench_cb_adl_release(struct bench_adl_obj *obj);
int bench_cb_adl(struct bench_adl_obj *obj, u64 *ns, unsigned int *segments);
int bench_cb_live_create(void **handles, unsigned long n, unsigned long *made);
void bench_cb_live_destroy(void **handles, unsigned long n);
int bench_cb_create_destroy(unsigned int count, u64 *ns);
int bench_cb_open_close(void *hpmo, unsigned int count, u64 *ns);

/* bench_linux.c: the Linux primitives, TTM's pool, the GEM shmem helper. */
int bench_linux_init(void);
void bench_linux_fini(void);
int bench_ttm_begin(void);
void bench_ttm_end(void);
int bench_raw_map(size_t size, enum bench_cache cache, u64 *ns);
int bench_ttm_map(size_t size, enum bench_cache cache, u64 *ns);
int bench_shmem_map(size_t size, u64 *ns);
int bench_raw_churn(enum bench_cache cache, unsigned int count, u64 *ns);
int bench_ttm_churn(enum bench_cache cache, unsigned int count, u64 *ns);
int bench_raw_dma(struct device *dev, struct page **pages, unsigned long n,
		  u64 *ns, unsigned int *segments, unsigned int *cpu_segments);
const char *bench_iommu_mode(struct device *dev);

/* The churn rows' object sizes: 4 KiB to 64 KiB, the same sequence for all. */
static inline size_t bench_churn_size(unsigned int i)
{
	return (size_t)SZ_4K << (i % 5);
}

/* Touch every page: one u32 write per page, then a store fence (WC). */
void bench_touch(void *va, size_t size);

/* Whether a run should stop: a fatal signal to the writer of "run". */
bool bench_should_stop(void);
void bench_settle(void);

#endif /* _DXGK_BENCH_H_ */
