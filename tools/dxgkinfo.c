// SPDX-License-Identifier: MIT
/*
 * dxgkinfo - list the dxgkcompat adapters and what the port driver knows
 * about each: the miniport, the interface version, the IOMMU mode, the DMA
 * limit and the IOMMU capabilities the miniport reported.
 *
 *   dxgkinfo [/dev/dri/cardN ...]
 */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm.h>
#include "dxgkcompat_drm.h"

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
	close(fd);
	return 1;
}

int main(int argc, char **argv)
{
	int i, n = 0, ret;
	glob_t g;

	if (argc > 1) {
		for (i = 1; i < argc; i++)
			if (show(argv[i]) < 0)
				return 1;
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
	return 0;
}
