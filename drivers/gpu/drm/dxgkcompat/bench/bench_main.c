// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgk_bench - measures dxgkcompat's memory callbacks side by side with
 * what a Linux driver would use instead, and prints one table per run.
 *
 * Nothing runs at load. Writing to /sys/kernel/debug/dxgk_bench/run starts
 * a run in the writer's context: "all", or any of "map churn adl handles".
 * A fatal signal to the writer stops the run between two measurements.
 * The table goes to the kernel log and to .../dxgk_bench/results.
 *
 * Every row of a step is measured in the same run, interleaved: repetition
 * r measures every row of the step once before repetition r + 1 starts, so
 * that drift (page-cache state, host load, an emulator's warm-up) spreads
 * over all rows instead of favouring one. Each row reports the median and
 * the 10th..90th percentiles of its repetitions, and its median's ratio to
 * the raw primitives' and TTM pool's rows of the same size and cache type.
 *
 * Steps (rows):
 *  map      create + kernel map + one write per page + unmap + destroy:
 *           the callbacks (MDL, CONTIGUOUS up to 4 MiB, SECTION but not
 *           NON_CACHED), the raw primitives, TTM's pool, GEM shmem (WB)
 *  churn    create/destroy of 4..64 KiB WC and UC objects: callbacks, raw,
 *           TTM's pool
 *  adl      DxgkCbAllocateAdl + DxgkCbFreeAdl of a whole PREFER_CONTIGUOUS
 *           MDL object, against dma_map_sgtable() of its pages, per adapter
 *  handles  Create+Destroy and Open+Close with 1, 1,000 and live_max live
 *           objects
 */

#include <linux/debugfs.h>
#include <linux/completion.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#include "bench.h"

static unsigned int bench_reps = 15;
module_param_named(reps, bench_reps, uint, 0644);
MODULE_PARM_DESC(reps, "Repetitions of every row (default: 15, at most 1000)");

static unsigned int bench_max_mib = 64;
module_param_named(max_mib, bench_max_mib, uint, 0644);
MODULE_PARM_DESC(max_mib, "Largest object of the map step, MiB (default: 64)");

static unsigned int bench_churn = 500;
module_param_named(churn, bench_churn, uint, 0644);
MODULE_PARM_DESC(churn, "Objects per repetition of the churn rows (default: 500)");

static unsigned int bench_adl_mib = 256;
module_param_named(adl_mib, bench_adl_mib, uint, 0644);
MODULE_PARM_DESC(adl_mib, "Size of the ADL rows' object, MiB (default: 256)");

static unsigned int bench_live_max = 100000;
module_param_named(live_max, bench_live_max, uint, 0644);
MODULE_PARM_DESC(live_max,
		 "Most live 4 KiB objects of the handle rows (default: 100000; fewer if memory is short)");

static unsigned int bench_handle_ops = 100;
module_param_named(handle_ops, bench_handle_ops, uint, 0644);
MODULE_PARM_DESC(handle_ops, "Operations per repetition of the handle rows (default: 100)");

static bool bench_edu = true;
module_param_named(edu, bench_edu, bool, 0444);
MODULE_PARM_DESC(edu, "Bind QEMU's edu device when no other driver has it, for the ADL row through the IOMMU (default: Y)");

static char *bench_accel = "@ACCEL@";
module_param_named(accel, bench_accel, charp, 0444);
MODULE_PARM_DESC(accel, "Accelerator, for the table's header line (default: a placeholder)");

/* Held by a run, and by the adapters' StartDevice and StopDevice. */
DEFINE_MUTEX(bench_lock);

/* The last run's table, for debugfs. */
static DEFINE_MUTEX(bench_results_lock);
static char *bench_results;
static size_t bench_results_len;

static struct dentry *bench_dir;

#define BENCH_STEP_MAP		BIT(0)
#define BENCH_STEP_CHURN	BIT(1)
#define BENCH_STEP_ADL		BIT(2)
#define BENCH_STEP_HANDLES	BIT(3)
#define BENCH_STEP_ALL		GENMASK(3, 0)

#define BENCH_MAX_ROWS		160
#define BENCH_TEXT_SIZE		SZ_64K

static const char *const bench_cache_names[BENCH_NCACHES] = {
	[BENCH_WB] = "WB", [BENCH_WC] = "WC", [BENCH_UC] = "UC",
};

static const char *const bench_type_names[BENCH_NTYPES] = {
	[BENCH_MDL] = "MDL",
	[BENCH_CONTIGUOUS] = "CONTIGUOUS",
	[BENCH_SECTION] = "SECTION",
};

enum bench_variant {
	BENCH_V_CB,		/* bench_cb_map() of row->type */
	BENCH_V_RAW,
	BENCH_V_TTM,
	BENCH_V_SHMEM,
	BENCH_V_CHURN_CB,
	BENCH_V_CHURN_RAW,
	BENCH_V_CHURN_TTM,
	BENCH_V_ADL_CB,
	BENCH_V_ADL_RAW,
	BENCH_V_LIVE_CREATE,
	BENCH_V_LIVE_OPEN,
	BENCH_V_NONE,		/* not measured: row->na says why */
};

/**
 * struct bench_row - one line of the table
 * @label: the "row" column
 * @size: object size in bytes (0: @size_label)
 * @size_label: the "size" column when @size is 0
 * @cache: cache type, or -1
 * @variant: what is measured
 * @type: the callbacks' type (BENCH_V_CB)
 * @per: operations per sample (churn and handle rows), else 1
 * @rate: print objects per second instead of microseconds
 * @raw: index of the raw row to compare with, or -1
 * @ttm: index of the TTM row to compare with, or -1
 * @nt: failures are NTSTATUS values (else negative errnos)
 * @fail: the first failure
 * @nfail: repetitions that failed
 * @n: samples
 * @ns: the samples, in ns per repetition
 * @na: why the row is not measured (BENCH_V_NONE)
 * @adl: the ADL rows' object
 * @hpmo: the live object of the Open+Close rows
 * @segs: the ADL rows' segment count (last repetition)
 * @cpu_segs: the raw ADL row's physically contiguous runs
 */
struct bench_row {
	char label[80];
	size_t size;
	const char *size_label;
	int cache;
	enum bench_variant variant;
	enum bench_type type;
	unsigned int per;
	bool rate;
	int raw, ttm;
	bool nt;
	int fail;
	unsigned int nfail;
	unsigned int n;
	u64 *ns;
	const char *na;
	struct bench_adl_obj *adl;
	void *hpmo;
	unsigned int segs, cpu_segs;
};

/**
 * struct bench_run - one run
 * @rows: the table's rows, in order
 * @nrows: their number
 * @reps: repetitions of this run
 * @samples: the rows' samples, @reps per row
 * @stopped: a fatal signal stopped the run
 * @notes: lines printed under the table
 * @nnotes: their number
 */
struct bench_run {
	struct bench_row rows[BENCH_MAX_ROWS];
	unsigned int nrows;
	unsigned int reps;
	u64 *samples;
	bool stopped;
	char notes[8][160];
	unsigned int nnotes;
};

/**
 * bench_touch - write every page of a mapping
 * @va: the mapping
 * @size: its size
 *
 * One u32 write per page (not the whole page: the baseline's "one write",
 * done once per page so that sizes compare), then a store fence so that
 * write-combined stores have left the CPU.
 */
void bench_touch(void *va, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += PAGE_SIZE)
		WRITE_ONCE(*(u32 *)((u8 *)va + off), (u32)off);
	/* sfence: the WC buffers drain inside the timed cycle, for every row. */
	wmb();
}

/* Set when the task that started the run got a fatal signal. */
static bool bench_stop;

/**
 * bench_should_stop - whether the run should stop
 *
 * Returns: true if the task that started the run has a fatal signal.
 */
bool bench_should_stop(void)
{
	return READ_ONCE(bench_stop);
}

/**
 * bench_settle - finish the releases a destroy left to later
 *
 * The run is a kthread, so the last fput() of a shmem file (a SECTION,
 * a GEM shmem object) goes to the delayed-fput list: release it here,
 * inside the timed cycle, and before the next cycle allocates again.
 * (In the writer's own context the files would wait for its return to
 * user space, which a whole run inside one write() never reaches.)
 */
void bench_settle(void)
{
	flush_delayed_fput();
}

static __printf(2, 3) void bench_note(struct bench_run *run, const char *fmt, ...)
{
	va_list args;

	if (run->nnotes == ARRAY_SIZE(run->notes))
		return;
	va_start(args, fmt);
	vscnprintf(run->notes[run->nnotes++], sizeof(run->notes[0]), fmt, args);
	va_end(args);
}

/* A new row; NULL (and a note) once the table is full. */
static __printf(5, 6) struct bench_row *bench_row_add(struct bench_run *run,
				       enum bench_variant v, size_t size,
				       int cache, const char *fmt, ...)
{
	struct bench_row *row;
	va_list args;

	if (run->nrows == BENCH_MAX_ROWS) {
		if (run->nnotes < ARRAY_SIZE(run->notes))
			bench_note(run, "rows past %u left out", BENCH_MAX_ROWS);
		return NULL;
	}
	row = &run->rows[run->nrows];
	memset(row, 0, sizeof(*row));
	row->ns = run->samples + (size_t)run->nrows * run->reps;
	run->nrows++;
	row->variant = v;
	row->size = size;
	row->cache = cache;
	row->per = 1;
	row->raw = -1;
	row->ttm = -1;
	va_start(args, fmt);
	vscnprintf(row->label, sizeof(row->label), fmt, args);
	va_end(args);
	return row;
}

/* Measure @row once; its failure, if any, is kept in the row. */
static void bench_measure(struct bench_row *row)
{
	unsigned int segs = 0, cpu_segs = 0;
	u64 ns = 0;
	int ret;

	switch (row->variant) {
	case BENCH_V_CB:
		ret = bench_cb_map(row->type, row->size, row->cache, &ns);
		break;
	case BENCH_V_RAW:
		ret = bench_raw_map(row->size, row->cache, &ns);
		break;
	case BENCH_V_TTM:
		ret = bench_ttm_map(row->size, row->cache, &ns);
		break;
	case BENCH_V_SHMEM:
		ret = bench_shmem_map(row->size, &ns);
		break;
	case BENCH_V_CHURN_CB:
		ret = bench_cb_churn(row->cache, row->per, &ns);
		break;
	case BENCH_V_CHURN_RAW:
		ret = bench_raw_churn(row->cache, row->per, &ns);
		break;
	case BENCH_V_CHURN_TTM:
		ret = bench_ttm_churn(row->cache, row->per, &ns);
		break;
	case BENCH_V_ADL_CB:
		ret = bench_cb_adl(row->adl, &ns, &segs);
		break;
	case BENCH_V_ADL_RAW:
		ret = bench_raw_dma(row->adl->dev, row->adl->pages,
				    row->adl->npages, &ns, &segs, &cpu_segs);
		break;
	case BENCH_V_LIVE_CREATE:
		ret = bench_cb_create_destroy(row->per, &ns);
		break;
	case BENCH_V_LIVE_OPEN:
		ret = bench_cb_open_close(row->hpmo, row->per, &ns);
		break;
	default:
		return;
	}
	/* A fatal signal ends the run: that is no failure of the row. */
	if (ret && bench_should_stop())
		return;
	if (ret) {
		if (!row->nfail++)
			row->fail = ret;
		return;
	}
	row->ns[row->n++] = ns;
	row->segs = segs;
	row->cpu_segs = cpu_segs;
}

/*
 * Repetition after repetition, every row of [first, nrows) once each.
 * Returns false if a fatal signal stopped the run.
 */
/*
 * Rows [first, nrows) interleaved: repetition r measures each once before
 * r + 1, starting one row later each time, so that no row always follows
 * the same one (a large free just before a small row costs it the lazy
 * vmap purge and the TLB flushes).
 */
static bool bench_measure_rows(struct bench_run *run, unsigned int first)
{
	unsigned int r, i, n = run->nrows - first;

	for (r = 0; r < run->reps; r++) {
		for (i = 0; i < n; i++) {
			bench_measure(&run->rows[first + (i + r) % n]);
			cond_resched();
			if (bench_should_stop()) {
				run->stopped = true;
				return false;
			}
		}
	}
	return true;
}

static const size_t bench_sizes[] = { SZ_4K, SZ_64K, SZ_1M, SZ_16M, SZ_64M };

/* Rows 1-4: create + map + touch + unmap + destroy. */
static void bench_step_map(struct bench_run *run)
{
	unsigned int first = run->nrows, s, t;
	int ttm_ret = bench_ttm_begin();
	int c;

	if (ttm_ret)
		bench_note(run, "ttm_device_init failed (%d): no TTM rows", ttm_ret);
	for (s = 0; s < ARRAY_SIZE(bench_sizes); s++) {
		size_t size = bench_sizes[s];

		if (size > (size_t)bench_max_mib * SZ_1M)
			break;
		/* each size on its own: 64 MiB frees never precede 4 KiB rows */
		if (!bench_measure_rows(run, first))
			break;
		first = run->nrows;
		for (c = 0; c < BENCH_NCACHES; c++) {
			unsigned int base = run->nrows;
			struct bench_row *row, *raw, *ttm;

			for (t = 0; t < BENCH_NTYPES; t++) {
				row = bench_row_add(run, BENCH_V_CB, size, c,
						    "map cb %s", bench_type_names[t]);
				if (!row)
					goto measure;
				row->type = t;
				row->nt = true;
				if (t == BENCH_CONTIGUOUS && size > SZ_4M) {
					row->variant = BENCH_V_NONE;
					row->na = "n/a: CONTIGUOUS is limited to 4 MiB";
				} else if (t == BENCH_SECTION && c == BENCH_UC) {
					row->variant = BENCH_V_NONE;
					row->na = "n/a: no NON_CACHED sections (WDK)";
				}
			}
			raw = bench_row_add(run, BENCH_V_RAW, size, c, "map raw");
			ttm = bench_row_add(run, BENCH_V_TTM, size, c, "map TTM pool");
			if (!raw || !ttm)
				goto measure;
			if (ttm_ret) {
				ttm->variant = BENCH_V_NONE;
				ttm->na = "n/a: no ttm_device";
			}
			if (c == BENCH_WB && !bench_row_add(run, BENCH_V_SHMEM, size, c,
							    "map GEM shmem"))
				goto measure;
			for (t = base; t < run->nrows; t++) {
				run->rows[t].raw = raw - run->rows;
				run->rows[t].ttm = ttm - run->rows;
			}
		}
	}
measure:
	bench_measure_rows(run, first);
	bench_ttm_end();
}

/* Row 5: churn of small WC and UC objects. */
static void bench_step_churn(struct bench_run *run)
{
	static const enum bench_variant v[] = {
		BENCH_V_CHURN_CB, BENCH_V_CHURN_RAW, BENCH_V_CHURN_TTM,
	};
	static const char *const names[] = {
		"churn cb MDL", "churn raw", "churn TTM pool",
	};
	unsigned int first = run->nrows, i, per = max(bench_churn, 1U);
	int ttm_ret = bench_ttm_begin();
	int c;

	if (ttm_ret)
		bench_note(run, "ttm_device_init failed (%d): no TTM rows", ttm_ret);
	for (c = BENCH_WC; c <= BENCH_UC; c++) {
		unsigned int base = run->nrows;

		for (i = 0; i < ARRAY_SIZE(v); i++) {
			struct bench_row *row = bench_row_add(run, v[i], 0, c, "%s",
							      names[i]);

			if (!row)
				goto measure;
			row->size_label = "4..64 KiB";
			row->per = per;
			row->rate = true;
			row->nt = v[i] == BENCH_V_CHURN_CB;
			row->raw = base + 1;
			row->ttm = base + 2;
			if (v[i] == BENCH_V_CHURN_TTM && ttm_ret) {
				row->variant = BENCH_V_NONE;
				row->na = "n/a: no ttm_device";
			}
		}
	}
measure:
	bench_measure_rows(run, first);
	bench_ttm_end();
}

/* Row 6: AllocateAdl/FreeAdl against dma_map_sgtable(), per adapter. */
static void bench_step_adl(struct bench_run *run)
{
	static const char *const names[BENCH_NADAPTERS] = {
		[BENCH_ADAPTER_VIRT] = "virt", [BENCH_ADAPTER_EDU] = "edu",
	};
	struct bench_adl_obj *objs;
	size_t size = (size_t)max(bench_adl_mib, 1U) * SZ_1M;
	unsigned int first = run->nrows, i;
	const char *mode;
	int a, ret;

	objs = kcalloc(BENCH_NADAPTERS, sizeof(*objs), GFP_KERNEL);
	if (!objs) {
		bench_note(run, "adl: no memory");
		return;
	}
	for (a = 0; a < BENCH_NADAPTERS; a++) {
		struct bench_row *cb, *raw;

		if (!bench_mp_started(a)) {
			cb = bench_row_add(run, BENCH_V_NONE, size, BENCH_WB,
					   "adl AllocateAdl+FreeAdl, %s", names[a]);
			if (cb && a == BENCH_ADAPTER_EDU)
				cb->na = "n/a: no free edu (absent, or dxgk_edu has it)";
			else if (cb)
				cb->na = "n/a: adapter not started";
			continue;
		}
		mode = bench_iommu_mode(bench_mp_device(a));
		ret = bench_cb_adl_prepare(a, size, &objs[a]);
		cb = bench_row_add(run, BENCH_V_ADL_CB, size, BENCH_WB,
				   "adl AllocateAdl+FreeAdl, %s (%s)", names[a], mode);
		raw = bench_row_add(run, BENCH_V_ADL_RAW, size, BENCH_WB,
				    "adl dma_map_sgtable+unmap, %s (%s)", names[a], mode);
		if (!raw) {
			if (cb)
				cb->variant = BENCH_V_NONE;
			break;
		}
		cb->nt = true;
		cb->adl = &objs[a];
		raw->adl = &objs[a];
		cb->raw = raw - run->rows;
		raw->raw = cb->raw;
		if (ret) {
			cb->variant = BENCH_V_NONE;
			raw->variant = BENCH_V_NONE;
			cb->fail = ret;
			cb->nfail = 1;
			raw->na = "n/a: no object";
		}
	}
	bench_measure_rows(run, first);
	for (i = first; i < run->nrows; i++) {
		struct bench_row *row = &run->rows[i];
		size_t n = strlen(row->label);

		if (row->variant == BENCH_V_ADL_CB && row->n)
			scnprintf(row->label + n, sizeof(row->label) - n,
				  ", %u segment%s", row->segs, row->segs == 1 ? "" : "s");
		if (row->variant == BENCH_V_ADL_RAW && row->n)
			scnprintf(row->label + n, sizeof(row->label) - n,
				  ", %u segment%s (%u CPU)", row->segs,
				  row->segs == 1 ? "" : "s", row->cpu_segs);
	}
	for (a = 0; a < BENCH_NADAPTERS; a++)
		bench_cb_adl_release(&objs[a]);
	kfree(objs);
}

/* Row 7: handle cost with 1, 1,000 and live_max live objects. */
static void bench_step_handles(struct bench_run *run)
{
	unsigned long want[3] = { 1, 1000, bench_live_max }, limit, made = 0;
	unsigned int per = max(bench_handle_ops, 1U), k, first;
	void **handles;
	int ret = 0;

	/* 4 KiB each, plus the port's bookkeeping: keep half of what is free. */
	limit = si_mem_available() / 2;
	if (want[2] > limit) {
		bench_note(run, "handles: live_max %u lowered to %lu (MemAvailable)",
			   bench_live_max, limit);
		want[2] = limit;
	}
	want[1] = min(want[1], want[2]);
	handles = kvmalloc_array(max(want[2], 1UL), sizeof(*handles), GFP_KERNEL);
	if (!handles) {
		bench_note(run, "handles: no memory for the handle array");
		return;
	}
	for (k = 0; k < ARRAY_SIZE(want); k++) {
		struct bench_row *cd, *oc;
		unsigned long got = 0;

		if (k && want[k] <= made)
			continue;
		ret = bench_cb_live_create(handles + made, want[k] - made, &got);
		made += got;
		first = run->nrows;
		cd = bench_row_add(run, BENCH_V_LIVE_CREATE, SZ_4K, BENCH_WB,
				   "handles Create+Destroy, %lu live", made);
		oc = bench_row_add(run, BENCH_V_LIVE_OPEN, SZ_4K, BENCH_WB,
				   "handles Open+Close, %lu live", made);
		if (!cd || !oc)
			break;
		cd->nt = true;
		oc->nt = true;
		cd->per = per;
		oc->per = per;
		if (ret || !made) {
			run->stopped = bench_should_stop();
			cd->variant = BENCH_V_NONE;
			oc->variant = BENCH_V_NONE;
			cd->fail = ret;
			cd->nfail = !!ret;
			oc->na = "n/a: live objects not created";
			break;
		}
		oc->hpmo = handles[made / 2];
		if (!bench_measure_rows(run, first))
			break;
	}
	bench_cb_live_destroy(handles, made);
	kvfree(handles);
}

static int bench_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Median and the 10th and 90th percentiles (nearest rank) of sorted @s. */
static void bench_stats(const u64 *s, unsigned int n, u64 *med, u64 *p10,
			u64 *p90)
{
	*med = n & 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	*p10 = s[(n - 1) * 10 / 100];
	*p90 = s[DIV_ROUND_UP((n - 1) * 90, 100)];
}

/* A row's value: microseconds per object, or objects per second. */
static int bench_fmt_val(char *buf, size_t len, const struct bench_row *row,
			 u64 ns)
{
	u64 per_op;

	if (row->rate)
		return scnprintf(buf, len, "%llu/s",
				 ns ? (u64)row->per * NSEC_PER_SEC / ns : 0);
	per_op = ns / row->per;
	return scnprintf(buf, len, "%llu.%llu", per_op / 1000, per_op % 1000 / 100);
}

static u64 bench_row_median(struct bench_row *row)
{
	u64 med, p10, p90;

	bench_stats(row->ns, row->n, &med, &p10, &p90);
	return med;
}

/* Time ratio of @row to @ref: ">1" means @row is slower. */
static void bench_fmt_ratio(char *buf, size_t len, struct bench_run *run,
			    struct bench_row *row, int ref)
{
	struct bench_row *r = ref >= 0 && ref < run->nrows ? &run->rows[ref] : NULL;
	u64 a, b, q;

	if (!r || r == row || !row->n || !r->n || row->nfail || r->nfail) {
		strscpy(buf, "-", len);
		return;
	}
	a = bench_row_median(row);
	b = bench_row_median(r);
	if (!b) {
		strscpy(buf, "-", len);
		return;
	}
	q = a * 100 / b;
	scnprintf(buf, len, "%llu.%02llu", q / 100, q % 100);
}

static void bench_fmt_size(char *buf, size_t len, const struct bench_row *row)
{
	if (!row->size)
		strscpy(buf, row->size_label ? row->size_label : "-", len);
	else if (row->size >= SZ_1M)
		scnprintf(buf, len, "%zu MiB", row->size / SZ_1M);
	else
		scnprintf(buf, len, "%zu KiB", row->size / SZ_1K);
}

static void bench_fmt_fail(char *buf, size_t len, const struct bench_row *row)
{
	int n;

	if (row->nt)
		n = scnprintf(buf, len, "fail(0x%08x)", (u32)row->fail);
	else
		n = scnprintf(buf, len, "fail(%d)", row->fail);
	if (row->n)
		scnprintf(buf + n, len - n, " %u/%u", row->nfail, row->nfail + row->n);
}

/* Append a line to @text, and print it. */
static __printf(3, 4) void bench_line(char *text, size_t *len, const char *fmt, ...)
{
	va_list args;
	size_t start = *len;

	if (*len + 2 >= BENCH_TEXT_SIZE)
		return;
	va_start(args, fmt);
	*len += vscnprintf(text + *len, BENCH_TEXT_SIZE - *len - 1, fmt, args);
	va_end(args);
	pr_info("dxgk_bench: %s\n", text + start);
	text[(*len)++] = '\n';
	text[*len] = '\0';
}

static void bench_report(struct bench_run *run, char *text, size_t *len)
{
	unsigned int i;

	bench_line(text, len,
		   "Kernel benchmarks (dxgk_bench): kernel %s, accelerator %s, %u repetitions interleaved; touch = one u32 write per page; median and p10..p90 in us per object or operation (churn: objects/s); ratios are of median times (>1: slower)",
		   utsname()->release, bench_accel, run->reps);
	bench_line(text, len, "%s", "");
	bench_line(text, len, "| row | size | cache | median | p10..p90 | vs raw | vs TTM |");
	bench_line(text, len, "|---|---|---|---:|---:|---:|---:|");
	/* Sorted first: a row's ratio reads the median of a later row. */
	for (i = 0; i < run->nrows; i++)
		sort(run->rows[i].ns, run->rows[i].n, sizeof(u64), bench_cmp_u64, NULL);
	for (i = 0; i < run->nrows; i++) {
		struct bench_row *row = &run->rows[i];
		char size[16], med[32], spread[48], vraw[16], vttm[16];
		u64 m, p10, p90;
		int n;

		bench_fmt_size(size, sizeof(size), row);
		if (row->nfail) {
			bench_fmt_fail(med, sizeof(med), row);
			strscpy(spread, "-", sizeof(spread));
		} else if (row->variant == BENCH_V_NONE) {
			strscpy(med, "n/a", sizeof(med));
			strscpy(spread, row->na ? row->na : "-", sizeof(spread));
		} else if (!row->n) {
			strscpy(med, "-", sizeof(med));
			strscpy(spread, run->stopped ? "stopped" : "-", sizeof(spread));
		}
		if (row->n) {
			bench_stats(row->ns, row->n, &m, &p10, &p90);
			if (!row->nfail)
				bench_fmt_val(med, sizeof(med), row, m);
			/* Rates run the other way: the slow end first. */
			n = bench_fmt_val(spread, sizeof(spread), row,
					  row->rate ? p90 : p10);
			n += scnprintf(spread + n, sizeof(spread) - n, "..");
			bench_fmt_val(spread + n, sizeof(spread) - n, row,
				      row->rate ? p10 : p90);
		}
		bench_fmt_ratio(vraw, sizeof(vraw), run, row, row->raw);
		bench_fmt_ratio(vttm, sizeof(vttm), run, row, row->ttm);
		bench_line(text, len, "| %s | %s | %s | %s | %s | %s | %s |",
			   row->label, size,
			   row->cache >= 0 ? bench_cache_names[row->cache] : "-",
			   med, spread, vraw, vttm);
	}
	bench_line(text, len, "%s", "");
	if (run->stopped)
		bench_line(text, len, "- %s",
			   "stopped by a fatal signal: rows without samples say so");
	for (i = 0; i < run->nnotes; i++)
		bench_line(text, len, "- %s", run->notes[i]);
}

static int bench_run(unsigned int steps)
{
	struct bench_run *run;
	size_t len = 0;
	char *text;
	int ret = 0;

	run = kvzalloc(sizeof(*run), GFP_KERNEL);
	text = kvzalloc(BENCH_TEXT_SIZE, GFP_KERNEL);
	if (!run || !text) {
		ret = -ENOMEM;
		goto out;
	}
	run->reps = clamp(bench_reps, 1U, 1000U);
	run->samples = kvcalloc((size_t)BENCH_MAX_ROWS * run->reps,
				sizeof(*run->samples), GFP_KERNEL);
	if (!run->samples) {
		ret = -ENOMEM;
		goto out;
	}
	if (!bench_mp_started(BENCH_ADAPTER_VIRT)) {
		ret = -ENODEV;
		goto out;
	}

	if (steps & BENCH_STEP_MAP && !run->stopped)
		bench_step_map(run);
	if (steps & BENCH_STEP_CHURN && !run->stopped)
		bench_step_churn(run);
	if (steps & BENCH_STEP_ADL && !run->stopped)
		bench_step_adl(run);
	if (steps & BENCH_STEP_HANDLES && !run->stopped)
		bench_step_handles(run);
	bench_report(run, text, &len);

	mutex_lock(&bench_results_lock);
	swap(text, bench_results);
	bench_results_len = len;
	mutex_unlock(&bench_results_lock);
	if (run->stopped)
		ret = -EINTR;
out:
	kvfree(text);
	if (run)
		kvfree(run->samples);
	kvfree(run);
	return ret;
}

struct bench_job {
	unsigned int steps;
	int ret;
	struct completion done;
};

static int bench_thread(void *data)
{
	struct bench_job *job = data;

	job->ret = bench_run(job->steps);
	/* no return into module text the writer's rmmod may free */
	kthread_complete_and_exit(&job->done, 0);
}

/*
 * The run in a kthread of its own (see bench_settle()); the writer waits,
 * and a fatal signal to it stops the run at the next check.
 */
static int bench_run_in_kthread(unsigned int steps)
{
	struct bench_job job = { .steps = steps };
	struct task_struct *t;

	init_completion(&job.done);
	WRITE_ONCE(bench_stop, false);
	t = kthread_run(bench_thread, &job, "dxgk_bench");
	if (IS_ERR(t))
		return PTR_ERR(t);
	if (wait_for_completion_killable(&job.done)) {
		WRITE_ONCE(bench_stop, true);
		wait_for_completion(&job.done);
	}
	return job.ret;
}

static ssize_t bench_run_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	static const struct {
		const char *name;
		unsigned int steps;
	} words[] = {
		{ "all", BENCH_STEP_ALL },
		{ "map", BENCH_STEP_MAP },
		{ "churn", BENCH_STEP_CHURN },
		{ "adl", BENCH_STEP_ADL },
		{ "handles", BENCH_STEP_HANDLES },
	};
	unsigned int steps = 0, i;
	char buf[64], *p = buf, *w;
	int ret;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	while ((w = strsep(&p, " ,\t\n"))) {
		if (!*w)
			continue;
		for (i = 0; i < ARRAY_SIZE(words); i++)
			if (!strcmp(w, words[i].name))
				break;
		if (i == ARRAY_SIZE(words))
			return -EINVAL;
		steps |= words[i].steps;
	}
	if (!steps)
		return -EINVAL;

	ret = mutex_lock_interruptible(&bench_lock);
	if (ret)
		return ret;
	ret = bench_run_in_kthread(steps);
	mutex_unlock(&bench_lock);
	return ret ? ret : count;
}

static const struct file_operations bench_run_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = bench_run_write,
};

/* Each open reads the table of the last run as it was when opened. */
static int bench_results_open(struct inode *inode, struct file *file)
{
	char *copy = NULL;

	mutex_lock(&bench_results_lock);
	if (bench_results) {
		copy = kvmalloc(bench_results_len + 1, GFP_KERNEL);
		if (copy)
			memcpy(copy, bench_results, bench_results_len + 1);
	}
	mutex_unlock(&bench_results_lock);
	if (bench_results && !copy)
		return -ENOMEM;
	file->private_data = copy;
	return 0;
}

static ssize_t bench_results_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	const char *text = file->private_data;

	if (!text)
		return 0;
	return simple_read_from_buffer(ubuf, count, ppos, text, strlen(text));
}

static int bench_results_release(struct inode *inode, struct file *file)
{
	kvfree(file->private_data);
	return 0;
}

static const struct file_operations bench_results_fops = {
	.owner = THIS_MODULE,
	.open = bench_results_open,
	.read = bench_results_read,
	.release = bench_results_release,
	.llseek = default_llseek,
};

static int __init bench_init(void)
{
	int ret;

	ret = bench_linux_init();
	if (ret)
		return ret;
	ret = bench_mp_register(bench_edu);
	if (ret) {
		bench_linux_fini();
		return ret;
	}
	bench_dir = debugfs_create_dir("dxgk_bench", NULL);
	debugfs_create_file("run", 0200, bench_dir, NULL, &bench_run_fops);
	debugfs_create_file("results", 0444, bench_dir, NULL, &bench_results_fops);
	return 0;
}
module_init(bench_init);

static void __exit bench_exit(void)
{
	debugfs_remove_recursive(bench_dir);
	bench_mp_unregister();
	bench_linux_fini();
	kvfree(bench_results);
}
module_exit(bench_exit);

MODULE_DESCRIPTION("dxgkcompat benchmarks: the memory callbacks against raw primitives, TTM's pool and GEM shmem");
MODULE_LICENSE("GPL");
