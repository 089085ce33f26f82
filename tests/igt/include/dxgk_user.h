/* SPDX-License-Identifier: MIT */
/*
 * The dxgkcompat IGT binaries test the render and primary nodes as an
 * ordinary user: uid and gid 65534, with no capabilities, as on a desktop
 * where every user may open the DRM nodes. They start as root (run-igt.sh
 * runs them so), and dxgk_igt_unprivileged() drops to 65534 at once, keeping
 * root only as the saved set-user-ID. What a test needs root for (debugfs,
 * module parameters, /dev/kmsg, cgroups, the test-only ioctls, placement
 * that needs CAP_SYS_ADMIN) it does between dxgk_as_root() and
 * dxgk_as_user(); dxgk_ioctl() does so for the ioctls that need it. A child
 * that drops the saved ID too (setresuid(65534, 65534, 65534)) can never
 * become root again, which the tests of the unprivileged policy rely on.
 *
 * DXGK_IGT_AS_ROOT=1 in the environment keeps the binaries root (for
 * debugging a test, not for the suite).
 */
#ifndef DXGK_USER_H
#define DXGK_USER_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <grp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "dxgkcompat_drm.h"

#define DXGK_NOBODY		65534
/* highest PHYSICAL_ADDRESS (a LONGLONG): "anywhere" for windows */
#define DXGK_ANYWHERE		0x7fffffffffffffffull

/* Did this process drop to DXGK_NOBODY with root as its saved uid? */
static bool dxgk_dropped;

static inline void dxgk_igt_unprivileged(void)
{
	const char *keep = getenv("DXGK_IGT_AS_ROOT");

	if (getuid() != 0 || (keep && !strcmp(keep, "1")))
		return;
	if (setgroups(0, NULL) || setresgid(DXGK_NOBODY, DXGK_NOBODY, 0) ||
	    setresuid(DXGK_NOBODY, DXGK_NOBODY, 0))
		abort();
	/*
	 * A changed uid makes the process undumpable, and its /proc/self
	 * files root's: libigt's igt_fork() writes /proc/self/oom_score_adj.
	 */
	if (prctl(PR_SET_DUMPABLE, 1))
		abort();
	dxgk_dropped = true;
}

/* Root for a moment; false if this process cannot be root (any more). */
static inline bool dxgk_as_root(void)
{
	if (geteuid() == 0)
		return true;
	if (!dxgk_dropped)
		return false;
	return seteuid(0) == 0 && setegid(0) == 0;
}

/* Back to DXGK_NOBODY after dxgk_as_root(). */
static inline void dxgk_as_user(void)
{
	int saved = errno;

	if (dxgk_dropped && geteuid() == 0 && getuid() == DXGK_NOBODY) {
		/* (each uid change makes it undumpable again) */
		if (setegid(DXGK_NOBODY) || seteuid(DXGK_NOBODY) ||
		    prctl(PR_SET_DUMPABLE, 1))
			abort();
	}
	errno = saved;
}

/* An ioctl that only CAP_SYS_ADMIN may make (see the uAPI header). */
static inline bool dxgk_ioctl_needs_root(unsigned long cmd, const void *arg)
{
	const struct drm_dxgkcompat_pmo_create *c = arg;

	if (cmd == DRM_IOCTL_DXGKCOMPAT_TEST_PTE ||
	    cmd == DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP ||
	    cmd == DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA)
		return true;
	if (cmd != DRM_IOCTL_DXGKCOMPAT_PMO_CREATE)
		return false;
	return c->type == DRM_DXGKCOMPAT_PMO_CONTIGUOUS ||
	       (c->type == DRM_DXGKCOMPAT_PMO_MDL &&
		/* REQUIRE_CONTIGUOUS_CHUNKS, PREFER_CONTIGUOUS, LOCAL_NODE_ONLY */
		(c->low_address || c->skip_bytes || c->mm_flags & 0x32 ||
		 c->high_address < DXGK_ANYWHERE));
}

/* ioctl(): 0 or -errno; as root for what needs it, if this process may. */
static inline int dxgk_ioctl(int fd, unsigned long cmd, void *arg)
{
	bool root = dxgk_ioctl_needs_root(cmd, arg) && geteuid() != 0 &&
		    dxgk_as_root();
	int ret = ioctl(fd, cmd, arg) ? -errno : 0;

	if (root)
		dxgk_as_user();
	return ret;
}

/* fopen() and open() as root: debugfs, module parameters, /dev/kmsg. */
static inline FILE *dxgk_fopen_root(const char *path, const char *mode)
{
	bool root = geteuid() != 0 && dxgk_as_root();
	FILE *f = fopen(path, mode);

	if (root)
		dxgk_as_user();
	return f;
}

static inline int dxgk_open_root(const char *path, int flags)
{
	bool root = geteuid() != 0 && dxgk_as_root();
	int fd = open(path, flags);

	if (root)
		dxgk_as_user();
	return fd;
}

#endif /* DXGK_USER_H */
