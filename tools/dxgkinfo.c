// SPDX-License-Identifier: MIT
/*
 * dxgkinfo - list the dxgkcompat adapters and what the port driver knows
 * about each: the miniport, the interface version, the IOMMU mode, the DMA
 * limit and the IOMMU capabilities the miniport reported; then, from the
 * driver's debugfs (root only), each adapter's interrupt and paging
 * counters, the driver's counters and its live objects.
 *
 *   dxgkinfo [/dev/dri/cardN ...]
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm.h>
#include "dxgkcompat_drm.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define DEBUGFS		"/sys/kernel/debug/dxgkcompat/"

/* What each line of debugfs counters means; others are shown bare. */
static const struct {
	const char *name, *meaning;
} counter_meaning[] = {
	{ "objects", "live physical memory objects (PMOs)" },
	{ "pages_cached", "pages of live cached PMOs" },
	{ "pages_write_combined", "pages of live write-combined PMOs" },
	{ "pages_non_cached", "pages of live non-cached PMOs" },
	{ "misuse", "callback misuses refused" },
	{ "reserved_pages", "pages counted against max_memory_percent" },
	{ "rejected_pages_total", "pages set aside outside a window (cumulative)" },
	{ "range_searches_total", "windows searched with page migration (cumulative)" },
	{ "leaked_pages_total", "pages kept: linear map not WB again (cumulative)" },
	{ "pool_write_combined_pages", "write-combined pages in the page pool" },
	{ "pool_non_cached_pages", "non-cached pages in the page pool" },
	{ "pool_limit_pages", "the page pool's limit" },
	{ "pool_hits_total", "pages taken from the pool (cumulative)" },
	{ "pool_fresh_total", "pages not found in the pool (cumulative)" },
	{ "pool_shrunk_total", "pool pages given back (cumulative)" },
};

static const char *const iommu_modes[] = {
	[DRM_DXGKCOMPAT_IOMMU_NONE] = "none (device addresses are physical)",
	[DRM_DXGKCOMPAT_IOMMU_IDENTITY] = "identity (IOMMU pass-through)",
	[DRM_DXGKCOMPAT_IOMMU_TRANSLATED] = "translated (DMA remapping)",
};

static int is_dxgkcompat(int fd)
{
	char name[32] = "";
	struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

	return !ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "dxgkcompat");
}

/*
 * The interrupt and paging counters debugfs adapters has for the adapter
 * of @path: the line of its device (the DRM node's parent), else the only
 * line of its miniport.
 */
static void show_paging(const char *path, const char *miniport)
{
	char sys[PATH_MAX], dev[PATH_MAX] = "", line[512], best[512] = "";
	char d[128], mp[64];
	const char *node = strrchr(path, '/');
	int by_miniport = 0;
	ssize_t n;
	FILE *f;
	char *s;

	snprintf(sys, sizeof(sys), "/sys/class/drm/%s/device", node ? node + 1 : path);
	n = readlink(sys, dev, sizeof(dev) - 1);
	dev[n > 0 ? n : 0] = '\0';
	f = fopen(DEBUGFS "adapters", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %127s %63s", d, mp) != 2)
			continue;
		if (*dev && !strcmp(d, basename(dev))) {
			snprintf(best, sizeof(best), "%s", line);
			by_miniport = -1;
			break;
		}
		if (!strcmp(mp, miniport) && by_miniport >= 0 && !by_miniport++)
			snprintf(best, sizeof(best), "%s", line);
	}
	fclose(f);
	s = strstr(best, " irq ");
	if (!s || by_miniport > 1)
		return;
	s[strcspn(s, "\n")] = '\0';
	printf("  paging (debugfs)   %s\n", s + 1);
}

static int show(const char *path)
{
	struct drm_dxgkcompat_adapter_info info;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0 || !is_dxgkcompat(fd)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, &info)) {
		fprintf(stderr, "%s: adapter info: %s (NTSTATUS 0x%08x)\n", path,
			strerror(errno), info.ntstatus);
		close(fd);
		return -1;
	}
	printf("%s: miniport %s\n", path, info.miniport_name);
	printf("  interface version   0x%x (miniport declared 0x%x)\n",
	       info.interface_version, info.miniport_version);
	if (info.pci_vendor_id)
		printf("  PCI device          %04x:%04x\n", info.pci_vendor_id,
		       info.pci_device_id);
	else
		printf("  PCI device          none (virtual adapter)\n");
	printf("  IOMMU mode          %s\n",
	       info.iommu_mode < 3 ? iommu_modes[info.iommu_mode] : "?");
	printf("  IOMMU caps          0x%x%s%s\n", info.iommu_caps,
	       info.iommu_caps & 1 ? " IsolationSupported" : "",
	       info.iommu_caps & 4 ? " DmaRemappingSupported" : "");
	printf("  HighestVisibleAddr  0x%llx\n",
	       (unsigned long long)info.highest_visible_address);
	printf("  DMA mask            0x%llx\n", (unsigned long long)info.dma_mask);
	show_paging(path, info.miniport_name);
	close(fd);
	return 1;
}

static void show_counters(void)
{
	char name[64];
	long long v;
	size_t i;
	FILE *f = fopen(DEBUGFS "counters", "r");

	if (!f) {
		printf("driver counters: %scounters not readable (run as root)\n", DEBUGFS);
		return;
	}
	printf("driver counters (%scounters)\n", DEBUGFS);
	printf("  %-26s %10s  %s\n", "counter", "value", "meaning");
	while (fscanf(f, "%63s %lld", name, &v) == 2) {
		const char *meaning = "";

		for (i = 0; i < ARRAY_SIZE(counter_meaning); i++)
			if (!strcmp(name, counter_meaning[i].name))
				meaning = counter_meaning[i].meaning;
		printf("  %-26s %10lld  %s\n", name, v, meaning);
	}
	fclose(f);
}

/* One line of debugfs pmos: the object and its mappings, counted. */
static void show_pmo(const char *line)
{
	char handle[32], type[32], cache[32], owner[64], amo[8];
	unsigned int kmaps = 0, vmas = 0, adls = 0;
	unsigned long long size;
	unsigned long pages;
	const char *s;

	if (sscanf(line, "%31s %31s %31s %llu %lu %63s %*s %7s", handle, type, cache,
		   &size, &pages, owner, amo) != 7)
		return;
	for (s = strstr(line, " kmap:"); s; s = strstr(s + 1, " kmap:"))
		kmaps++;
	s = strstr(line, " user-vmas:");
	if (s)
		sscanf(s, " user-vmas:%u", &vmas);
	s = strstr(line, " adls:");
	if (s)
		sscanf(s, " adls:%u", &adls);
	printf("  %-18s %-17s %-14s %10llu %6lu  %-20s %-3s %5u %5u %4u\n", handle, type,
	       cache, size, pages, owner, amo, kmaps, vmas, adls);
}

static void show_pmos(void)
{
	char line[1024];
	int n = 0;
	FILE *f = fopen(DEBUGFS "pmos", "r");

	if (!f) {
		printf("live objects: %spmos not readable (run as root)\n", DEBUGFS);
		return;
	}
	if (!fgets(line, sizeof(line), f))	/* the header */
		line[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (!n++) {
			printf("live objects (%spmos)\n", DEBUGFS);
			printf("  %-18s %-17s %-14s %10s %6s  %-20s %-3s %5s %5s %4s\n", "handle",
			       "type", "cache", "bytes", "pages", "owner", "amo", "kmaps",
			       "vmas", "adls");
		}
		if (line[0] == ' ')	/* an ADL of the object above */
			printf("  %s", line);
		else
			show_pmo(line);
	}
	fclose(f);
	if (!n)
		printf("live objects (%spmos): none\n", DEBUGFS);
}

int main(int argc, char **argv)
{
	int i, n = 0, ret;
	glob_t g;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (show(argv[i]) < 0)
				return 1;
		show_counters();
		show_pmos();
		return 0;
	}
	if (glob("/dev/dri/card*", 0, NULL, &g))
		g.gl_pathc = 0;
	for (i = 0; i < (int)g.gl_pathc; i++) {
		ret = show(g.gl_pathv[i]);
		if (ret < 0)
			return 1;
		n += ret;
	}
	if (g.gl_pathc)
		globfree(&g);
	if (!n) {
		fprintf(stderr, "no dxgkcompat adapter\n");
		return 1;
	}
	show_counters();
	show_pmos();
	return 0;
}
