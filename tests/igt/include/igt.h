/* SPDX-License-Identifier: MIT */
/*
 * Minimal stand-in for IGT GPU Tools' umbrella header <igt.h>.
 *
 * ABI target: IGT 1.27 (Debian bookworm package intel-gpu-tools 1.27.1,
 * /usr/lib/x86_64-linux-gnu/libigt.so.0). Debian ships the library but no
 * headers, so this file declares exactly the libigt entry points the
 * dxgkcompat tests call, with their IGT 1.27 prototypes, and defines the
 * test macros (igt_main, igt_subtest, igt_fixture, igt_assert*, ...) on top
 * of them with the behaviour IGT documents: subtests and fixtures are
 * sigsetjmp() blocks that libigt's igt_skip()/igt_fail()/igt_success()
 * leave with siglongjmp(); igt_exit() turns the results into the exit code
 * (0 success, 77 skip, 98 failure).
 *
 * The macros are written for this project; they are not IGT's code.
 *
 * When the tests are built inside an upstream IGT tree, IGT's own
 * lib/igt.h is found first and replaces this file entirely.
 *
 * Every libigt symbol declared here carries the marker comment IGT_ABI on
 * the line that names it. tests/igt/check-libigt.sh extracts the symbols
 * from those markers and checks that the installed libigt.so.0 exports
 * them (functions as text symbols, variables as data of the same size),
 * and that no function is declared here without a marker.
 */
#ifndef DXGKCOMPAT_IGT_H
#define DXGKCOMPAT_IGT_H

#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef IGT_LOG_DOMAIN
#define IGT_LOG_DOMAIN (NULL)
#endif

#define __igt_noreturn __attribute__((noreturn))
#define __igt_printf(f, a) __attribute__((format(printf, f, a)))

/* Exit codes (IGT 1.27 igt_core.h). */
#define IGT_EXIT_SUCCESS	0
#define IGT_EXIT_SKIP		77
#define IGT_EXIT_INVALID	79
#define IGT_EXIT_FAILURE	98
#define IGT_EXIT_ABORT		112

/* Chipset flags of drm_open_driver() (IGT 1.27 drmtest.h). */
#define DRIVER_INTEL		(1 << 0)
#define DRIVER_VC4		(1 << 1)
#define DRIVER_VGEM		(1 << 2)
#define DRIVER_AMDGPU		(1 << 3)
#define DRIVER_V3D		(1 << 4)
#define DRIVER_PANFROST		(1 << 5)
#define DRIVER_MSM		(1 << 6)
/* IGT 1.27: every driver but vgem; unknown drivers (ours) match it. */
#define DRIVER_ANY		~(DRIVER_VGEM)

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#endif

/* ---- libigt 1.27 entry points ------------------------------------------ */

struct option;
typedef int (*igt_opt_handler_t)(int opt, int opt_index, void *data);
typedef void (*igt_exit_handler_t)(int sig);

enum igt_log_level {
	IGT_LOG_DEBUG,
	IGT_LOG_INFO,
	IGT_LOG_WARN,
	IGT_LOG_CRITICAL,
	IGT_LOG_NONE,
};

extern jmp_buf igt_subtest_jmpbuf; /* IGT_ABI */

int igt_subtest_init_parse_opts(int *argc, char **argv, /* IGT_ABI */
				const char *extra_short_opts,
				const struct option *extra_long_opts,
				const char *help_str,
				igt_opt_handler_t extra_opt_handler,
				void *handler_data);
bool __igt_run_subtest(const char *subtest_name, /* IGT_ABI */
		       const char *file, const int line);
bool __igt_fixture(void); /* IGT_ABI */
void __igt_fixture_complete(void); /* IGT_ABI */
void igt_describe_f(const char *fmt, ...) __igt_printf(1, 2); /* IGT_ABI */

void igt_success(void); /* IGT_ABI */
__igt_noreturn void igt_fail(int exitcode); /* IGT_ABI */
__igt_noreturn void igt_skip(const char *f, ...) __igt_printf(1, 2); /* IGT_ABI */
__igt_noreturn void igt_exit(void); /* IGT_ABI */
__igt_noreturn void __igt_skip_check(const char *file, /* IGT_ABI */
				     const int line, const char *func,
				     const char *check, const char *format,
				     ...) __igt_printf(5, 6);
__igt_noreturn void __igt_fail_assert(const char *domain, /* IGT_ABI */
				      const char *file, const int line,
				      const char *func, const char *assertion,
				      const char *format, ...)
	__igt_printf(6, 7);

void igt_log(const char *domain, enum igt_log_level level, /* IGT_ABI */
	     const char *format, ...) __igt_printf(3, 4);

void igt_install_exit_handler(igt_exit_handler_t fn); /* IGT_ABI */
bool __igt_fork(void); /* IGT_ABI */
void igt_waitchildren(void); /* IGT_ABI */

int igt_device_filter_count(void); /* IGT_ABI */
int igt_device_filter_add(const char *filter); /* IGT_ABI */

int __drm_open_driver(int chipset); /* IGT_ABI */
int drm_open_driver(int chipset); /* IGT_ABI */
int drm_open_driver_render(int chipset); /* IGT_ABI */

/* ---- our macros --------------------------------------------------------- */

#define __igt_cat2(a, b) a##b
#define __igt_cat(a, b) __igt_cat2(a, b)
#define __igt_uniq(p) __igt_cat(__igt_cat(__igt_u_, p), __LINE__)

/*
 * igt_main: replaces main(). Parses the IGT command line (--list-subtests,
 * --run-subtest, --device, ...), runs the body, and exits through
 * igt_exit(), which never returns.
 */
#define igt_main_args(short_opts, long_opts, help, handler, data)	\
	static void __igt_main_body(void);				\
	int main(int argc, char **argv)					\
	{								\
		igt_subtest_init_parse_opts(&argc, argv, short_opts,	\
					    long_opts, help, handler,	\
					    data);			\
		__igt_main_body();					\
		igt_exit();						\
	}								\
	static void __igt_main_body(void)

#define igt_main igt_main_args(NULL, NULL, NULL, NULL, NULL)

/*
 * igt_fixture: a block run once (not when only listing subtests). A skip
 * or failure inside it longjmps back here and marks every following
 * subtest as skipped/failed.
 */
#define igt_fixture							\
	for (volatile int __igt_uniq(fix) = 0;				\
	     __igt_uniq(fix) < 1 && __igt_fixture() &&			\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     __igt_uniq(fix)++, __igt_fixture_complete())

/*
 * igt_subtest: the block runs only when the subtest is selected. Leaving
 * it normally reports SUCCESS; igt_skip()/igt_fail() jump back to the
 * sigsetjmp() with the result already recorded, ending the loop.
 */
#define igt_subtest(name)						\
	for (; __igt_run_subtest((name), __FILE__, __LINE__) &&		\
	       sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     igt_success())

#define __igt_subtest_f(buf, ...)					\
	for (char buf[256];						\
	     snprintf(buf, sizeof(buf), __VA_ARGS__),			\
	     __igt_run_subtest(buf, __FILE__, __LINE__) &&		\
	     sigsetjmp(igt_subtest_jmpbuf, 1) == 0;			\
	     igt_success())
#define igt_subtest_f(...) __igt_subtest_f(__igt_uniq(name), __VA_ARGS__)

#define igt_describe(dsc) igt_describe_f("%s", (dsc))

/* igt_fork: run the block in @num forked children, @child = 0..num-1. */
#define igt_fork(child, num)						\
	for (int child = 0; child < (num); child++)			\
		for (; __igt_fork(); exit(0))

#define igt_debug(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_DEBUG, __VA_ARGS__)
#define igt_info(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_INFO, __VA_ARGS__)
#define igt_warn(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_WARN, __VA_ARGS__)
#define igt_critical(...) igt_log(IGT_LOG_DOMAIN, IGT_LOG_CRITICAL, __VA_ARGS__)

/* ---- assertions (failure: __igt_fail_assert, skip: __igt_skip_check) --- */

#define igt_assert(expr)						\
	do {								\
		if (!(expr))						\
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__,	\
					  __LINE__, __func__, #expr,	\
					  NULL);			\
	} while (0)

#define igt_assert_f(expr, ...)						\
	do {								\
		if (!(expr))						\
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__,	\
					  __LINE__, __func__, #expr,	\
					  __VA_ARGS__);			\
	} while (0)

/* Compare as @type, print both values with @fmt on failure. */
#define __igt_assert_cmp(type, fmt, a, op, b)				\
	do {								\
		type __igt_a = (a), __igt_b = (b);			\
		if (!(__igt_a op __igt_b))				\
			__igt_fail_assert(IGT_LOG_DOMAIN, __FILE__,	\
					  __LINE__, __func__,		\
					  #a " " #op " " #b,		\
					  "error: " fmt " vs " fmt "\n", \
					  __igt_a, __igt_b);		\
	} while (0)

#define igt_assert_eq(a, b)	__igt_assert_cmp(int, "%d", a, ==, b)
#define igt_assert_neq(a, b)	__igt_assert_cmp(int, "%d", a, !=, b)
#define igt_assert_lte(a, b)	__igt_assert_cmp(int, "%d", a, <=, b)
#define igt_assert_lt(a, b)	__igt_assert_cmp(int, "%d", a, <, b)
#define igt_assert_eq_u32(a, b)	__igt_assert_cmp(uint32_t, "%#" PRIx32, a, ==, b)
#define igt_assert_neq_u32(a, b) __igt_assert_cmp(uint32_t, "%#" PRIx32, a, !=, b)
#define igt_assert_lte_u32(a, b) __igt_assert_cmp(uint32_t, "%#" PRIx32, a, <=, b)
#define igt_assert_eq_u64(a, b)	__igt_assert_cmp(uint64_t, "%#" PRIx64, a, ==, b)
#define igt_assert_neq_u64(a, b) __igt_assert_cmp(uint64_t, "%#" PRIx64, a, !=, b)
#define igt_assert_lte_u64(a, b) __igt_assert_cmp(uint64_t, "%#" PRIx64, a, <=, b)

#define igt_require(expr)						\
	do {								\
		if (!(expr))						\
			__igt_skip_check(__FILE__, __LINE__, __func__,	\
					 #expr, NULL);			\
	} while (0)

#define igt_require_f(expr, ...)					\
	do {								\
		if (!(expr))						\
			__igt_skip_check(__FILE__, __LINE__, __func__,	\
					 #expr, __VA_ARGS__);		\
	} while (0)

#define igt_skip_on(expr)						\
	do {								\
		if ((expr))						\
			__igt_skip_check(__FILE__, __LINE__, __func__,	\
					 "!(" #expr ")", NULL);		\
	} while (0)

#define igt_skip_on_f(expr, ...)					\
	do {								\
		if ((expr))						\
			__igt_skip_check(__FILE__, __LINE__, __func__,	\
					 "!(" #expr ")", __VA_ARGS__);	\
	} while (0)

#endif /* DXGKCOMPAT_IGT_H */
