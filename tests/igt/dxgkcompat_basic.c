// SPDX-License-Identifier: MIT
/**
 * TEST: dxgkcompat basic
 * Category: Core
 * Mega feature: dxgkcompat
 * Sub-category: uAPI
 * Functionality: device open, version, adapter-info ioctl
 * Description: Basic checks of the dxgkcompat DRM driver: device open, the
 *	DRM version, the DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO ioctl on the
 *	dxgk_virt and dxgk_edu adapters and its argument validation.
 *
 * SUBTEST: open
 * Description: drm_open_driver(DRIVER_ANY) opens a card of the dxgkcompat
 *	driver (when a dxgkcompat card exists but is not the first card, an
 *	IGT device filter selecting it is installed first).
 *
 * SUBTEST: version
 * Description: DRM_IOCTL_VERSION reports name "dxgkcompat", a non-empty
 *	date and description and a sane version number.
 *
 * SUBTEST: adapter-info-virt
 * Description: Adapter info of the dxgk_virt miniport: WDDM 2.9+ versions,
 *	no PCI ids, no IOMMU, full 64-bit DMA.
 *
 * SUBTEST: adapter-info-edu
 * Description: Adapter info of the dxgk_edu miniport (QEMU edu device):
 *	PCI 1234:11e8, 28-bit DMA limit, IOMMU caps and the IOMMU mode the
 *	guest booted with (environment variable DXGK_IOMMU).
 *
 * SUBTEST: render-node
 * Description: The render node of a dxgkcompat device accepts the
 *	adapter-info ioctl (DRM_RENDER_ALLOW).
 *
 * SUBTEST: bad-ioctl-nr
 * Description: A driver ioctl number past the driver's table fails with
 *	EINVAL, an ioctl of a non-DRM type with ENOTTY.
 *
 * SUBTEST: bad-size
 * Description: The adapter-info ioctl with a wrong encoded size or
 *	direction fails with EINVAL.
 *
 * SUBTEST: reserved-nonzero
 * Description: A non-zero byte anywhere in the (output-only) adapter-info
 *	struct on input fails with EINVAL and STATUS_INVALID_PARAMETER.
 *
 * SUBTEST: adapter-info-concurrent
 * Description: Forked children query the adapter info concurrently and
 *	all get the same answer.
 */

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <xf86drm.h>

#include "igt.h"
#include "dxgkcompat_drm.h"
#include "dxgk_user.h"

#define DXGK_DRIVER_NAME		"dxgkcompat"
#define STATUS_SUCCESS			0x00000000u
#define STATUS_INVALID_PARAMETER	0xC000000Du
#define DXGKDDI_INTERFACE_VERSION_WDDM2_9 0xE003u
#define IOMMU_CAPS_ISOLATION_SUPPORTED	(1u << 0)
#define IOMMU_CAPS_DMA_REMAPPING	(1u << 2)
#define MAX_NODES			64

/* Fixture state: globals, because subtests are left with siglongjmp(). */
static int card_fd = -1;
static char card_path[64];	/* first card of our driver */
static char first_path[64];	/* first card drm_open_driver(DRIVER_ANY) takes */
static char first_name[64];

static bool get_driver_name(int fd, char *name, size_t len)
{
	drmVersionPtr v = drmGetVersion(fd);

	if (!v)
		return false;
	snprintf(name, len, "%.*s", v->name_len, v->name);
	drmFreeVersion(v);
	return true;
}

static bool is_dxgkcompat(int fd)
{
	char name[64];

	return get_driver_name(fd, name, sizeof(name)) &&
	       strcmp(name, DXGK_DRIVER_NAME) == 0;
}

static int adapter_info(int fd, struct drm_dxgkcompat_adapter_info *info)
{
	memset(info, 0, sizeof(*info));
	if (ioctl(fd, DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO, info))
		return -errno;
	return 0;
}

/*
 * Opens the first node /dev/dri/<prefix>N (N from @first) of our driver
 * whose miniport is @miniport (any if NULL). Returns the fd or -1.
 */
static int open_dxgk_node(const char *prefix, int first, const char *miniport,
			  char *path, size_t len)
{
	for (int i = first; i < first + MAX_NODES; i++) {
		struct drm_dxgkcompat_adapter_info info;
		char p[64];
		int fd;

		snprintf(p, sizeof(p), "/dev/dri/%s%d", prefix, i);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (is_dxgkcompat(fd) &&
		    (!miniport ||
		     (adapter_info(fd, &info) == 0 &&
		      strncmp(info.miniport_name, miniport,
			      sizeof(info.miniport_name)) == 0))) {
			if (path)
				snprintf(path, len, "%s", p);
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* The first card that drm_open_driver(DRIVER_ANY) would take (not vgem). */
static void find_first_any_card(void)
{
	for (int i = 0; i < MAX_NODES; i++) {
		char p[64], name[64];
		int fd;

		snprintf(p, sizeof(p), "/dev/dri/card%d", i);
		fd = open(p, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (get_driver_name(fd, name, sizeof(name)) &&
		    strcmp(name, "vgem") != 0) {
			snprintf(first_path, sizeof(first_path), "%s", p);
			snprintf(first_name, sizeof(first_name), "%s", name);
			close(fd);
			return;
		}
		close(fd);
	}
}

static int open_adapter(const char *miniport,
			struct drm_dxgkcompat_adapter_info *info)
{
	char path[64];
	int fd = open_dxgk_node("card", 0, miniport, path, sizeof(path));

	igt_require_f(fd >= 0, "no dxgkcompat card with miniport %s\n",
		      miniport);
	igt_assert_eq(adapter_info(fd, info), 0);
	igt_info("%s: miniport %s\n", path, info->miniport_name);
	return fd;
}

static void check_common(const struct drm_dxgkcompat_adapter_info *info)
{
	igt_assert_eq_u32(info->ntstatus, STATUS_SUCCESS);
	igt_assert_lte_u32(DXGKDDI_INTERFACE_VERSION_WDDM2_9,
			   info->interface_version);
	igt_assert_lte_u32(DXGKDDI_INTERFACE_VERSION_WDDM2_9,
			   info->miniport_version);
	igt_assert_eq_u32(info->pad, 0);
	/* Bounced DMA in the swiotlb=force test box only. */
	igt_assert_eq_u32(info->dma_flags,
			  getenv("DXGK_IOMMU") && !strcmp(getenv("DXGK_IOMMU"), "swiotlb") ?
			  DRM_DXGKCOMPAT_DMA_BOUNCED : 0);
	igt_assert(memchr(info->miniport_name, '\0',
			  sizeof(info->miniport_name)) != NULL);
	igt_assert_lte_u32(info->iommu_mode, DRM_DXGKCOMPAT_IOMMU_TRANSLATED);
}

static void close_card(int sig)
{
	(void)sig;
	if (card_fd >= 0)
		close(card_fd);
	card_fd = -1;
}

/* Name of the adapter-info field at byte @off, for failure messages. */
static const char *field_at(size_t off)
{
	static const struct { const char *name; size_t off, size; } f[] = {
#define F(m) { #m, offsetof(struct drm_dxgkcompat_adapter_info, m), \
	       sizeof(((struct drm_dxgkcompat_adapter_info *)0)->m) }
		F(interface_version), F(miniport_version), F(iommu_mode),
		F(iommu_caps), F(highest_visible_address), F(dma_mask),
		F(pci_vendor_id), F(pci_device_id), F(ntstatus), F(pad),
		F(dma_flags), F(miniport_name),
#undef F
	};

	for (size_t i = 0; i < ARRAY_SIZE(f); i++)
		if (off >= f[i].off && off < f[i].off + f[i].size)
			return f[i].name;
	return "(hole)";
}

igt_main
{
	igt_fixture {
		dxgk_igt_unprivileged();
		find_first_any_card();
		card_fd = open_dxgk_node("card", 0, NULL, card_path,
					 sizeof(card_path));
		igt_install_exit_handler(close_card);

		/*
		 * drm_open_driver(DRIVER_ANY) takes the first non-vgem card.
		 * If that one is not ours and no device was chosen with
		 * --device/IGT_DEVICE, select our first card through IGT's
		 * device filter so drm_open_driver() finds it.
		 */
		if (card_fd >= 0 && strcmp(card_path, first_path) != 0 &&
		    igt_device_filter_count() == 0) {
			char filter[80];

			snprintf(filter, sizeof(filter), "drm:%s", card_path);
			igt_info("first card %s is %s, selecting %s\n",
				 first_path, first_name, filter);
			igt_device_filter_add(filter);
		}
	}

	igt_describe("drm_open_driver(DRIVER_ANY) opens a dxgkcompat card");
	igt_subtest("open") {
		char name[64] = "";
		int fd;

		/*
		 * With no DRM card but vgem, IGT 1.27's drm_open_driver()
		 * modprobes every driver it knows (i915, amdgpu, ...) before
		 * skipping; skip without polluting the test kernel instead.
		 */
		igt_require_f(card_fd >= 0 || first_path[0],
			      "no DRM card (other than vgem)\n");
		fd = drm_open_driver(DRIVER_ANY);

		igt_assert(get_driver_name(fd, name, sizeof(name)));
		igt_info("drm_open_driver(DRIVER_ANY): driver %s\n", name);
		igt_require_f(strcmp(name, DXGK_DRIVER_NAME) == 0 ||
			      card_fd >= 0,
			      "no dxgkcompat card; DRIVER_ANY opened %s\n",
			      name);
		igt_assert_f(strcmp(name, DXGK_DRIVER_NAME) == 0,
			     "drm_open_driver opened %s, not %s\n", name,
			     DXGK_DRIVER_NAME);
		close(fd);
	}

	igt_describe("DRM_IOCTL_VERSION of a dxgkcompat card");
	igt_subtest("version") {
		drmVersionPtr v;

		igt_require_f(card_fd >= 0, "no dxgkcompat card\n");
		v = drmGetVersion(card_fd);
		igt_assert(v);
		igt_info("%.*s %d.%d.%d %.*s (%.*s)\n", v->name_len, v->name,
			 v->version_major, v->version_minor,
			 v->version_patchlevel, v->date_len, v->date,
			 v->desc_len, v->desc);
		igt_assert_eq(v->name_len, (int)strlen(DXGK_DRIVER_NAME));
		igt_assert(strncmp(v->name, DXGK_DRIVER_NAME,
				   v->name_len) == 0);
		igt_assert_lt(0, v->date_len);
		igt_assert(v->date[0] != '\0');
		igt_assert_lt(0, v->desc_len);
		igt_assert(v->desc[0] != '\0');
		igt_assert(v->version_major >= 0 && v->version_major < 100);
		igt_assert(v->version_minor >= 0 && v->version_minor < 1000);
		igt_assert(v->version_patchlevel >= 0 &&
			   v->version_patchlevel < 1000);
		igt_assert(v->version_major > 0 || v->version_minor > 0 ||
			   v->version_patchlevel > 0);
		drmFreeVersion(v);
	}

	igt_describe("adapter info of the dxgk_virt miniport");
	igt_subtest("adapter-info-virt") {
		struct drm_dxgkcompat_adapter_info info;
		int fd = open_adapter("dxgk_virt", &info);

		check_common(&info);
		igt_assert_eq_u32(info.pci_vendor_id, 0);
		igt_assert_eq_u32(info.pci_device_id, 0);
		igt_assert_eq_u32(info.iommu_mode, DRM_DXGKCOMPAT_IOMMU_NONE);
		igt_assert_eq_u64(info.highest_visible_address, ~0ull);
		igt_assert_eq_u64(info.dma_mask, ~0ull);
		close(fd);
	}

	igt_describe("adapter info of the dxgk_edu miniport (QEMU edu)");
	igt_subtest("adapter-info-edu") {
		struct drm_dxgkcompat_adapter_info info;
		const char *mode = getenv("DXGK_IOMMU");
		int fd = open_adapter("dxgk_edu", &info);

		check_common(&info);
		igt_assert_eq_u32(info.pci_vendor_id, 0x1234);
		igt_assert_eq_u32(info.pci_device_id, 0x11e8);
		igt_assert_eq_u64(info.highest_visible_address, 0x0FFFFFFFull);
		igt_assert_eq_u64(info.dma_mask, 0x0FFFFFFFull);
		igt_assert_f(info.iommu_caps & IOMMU_CAPS_ISOLATION_SUPPORTED,
			     "iommu_caps %#x\n", info.iommu_caps);
		igt_assert_f(info.iommu_caps & IOMMU_CAPS_DMA_REMAPPING,
			     "iommu_caps %#x\n", info.iommu_caps);
		igt_info("DXGK_IOMMU=%s iommu_mode=%u\n", mode ? mode : "(unset)",
			 info.iommu_mode);
		if (mode && (strcmp(mode, "strict") == 0 || strcmp(mode, "lazy") == 0))
			igt_assert_eq_u32(info.iommu_mode,
					  DRM_DXGKCOMPAT_IOMMU_TRANSLATED);
		else if (mode && strcmp(mode, "pt") == 0)
			igt_assert_eq_u32(info.iommu_mode,
					  DRM_DXGKCOMPAT_IOMMU_IDENTITY);
		else if (mode && (strcmp(mode, "off") == 0 || strcmp(mode, "swiotlb") == 0))
			igt_assert_eq_u32(info.iommu_mode,
					  DRM_DXGKCOMPAT_IOMMU_NONE);
		else
			igt_assert_f(!mode || !*mode,
				     "unknown DXGK_IOMMU=%s\n", mode);
		close(fd);
	}

	igt_describe("the render node accepts the adapter-info ioctl");
	igt_subtest("render-node") {
		struct drm_dxgkcompat_adapter_info info;
		struct stat st;
		int fd;

		igt_require_f(card_fd >= 0, "no dxgkcompat card\n");
		/*
		 * drm_open_driver_render() falls back to a card node when
		 * there is no render node: only use it if it gave us a
		 * render node of our driver, else look for one ourselves.
		 */
		/* libigt mounts debugfs on the way: root for the open only. */
		igt_assert(dxgk_as_root());
		fd = drm_open_driver_render(DRIVER_ANY);
		dxgk_as_user();
		if (fstat(fd, &st) || !S_ISCHR(st.st_mode) ||
		    minor(st.st_rdev) < 128 || !is_dxgkcompat(fd)) {
			close(fd);
			fd = open_dxgk_node("renderD", 128, NULL, NULL, 0);
		}
		igt_require_f(fd >= 0, "no dxgkcompat render node\n");
		igt_assert_eq(adapter_info(fd, &info), 0);
		check_common(&info);
		igt_assert(info.miniport_name[0] != '\0');
		close(fd);
	}

	igt_describe("unknown driver ioctl nr: EINVAL, non-DRM type: ENOTTY");
	igt_subtest("bad-ioctl-nr") {
		struct drm_dxgkcompat_adapter_info info;

		igt_require_f(card_fd >= 0, "no dxgkcompat card\n");

		memset(&info, 0, sizeof(info));
		igt_assert_eq(ioctl(card_fd,
				    DRM_IOWR(DRM_COMMAND_BASE + 0x3f,
					     struct drm_dxgkcompat_adapter_info),
				    &info), -1);
		igt_assert_eq(errno, EINVAL);

		/* drm_ioctl() rejects a type other than 'd' with -ENOTTY. */
		memset(&info, 0, sizeof(info));
		igt_assert_eq(ioctl(card_fd,
				    _IOWR('x', DRM_COMMAND_BASE +
					  DRM_DXGKCOMPAT_GET_ADAPTER_INFO,
					  struct drm_dxgkcompat_adapter_info),
				    &info), -1);
		igt_assert_eq(errno, ENOTTY);
	}

	igt_describe("adapter-info with a wrong encoded size or direction");
	igt_subtest("bad-size") {
		const unsigned int nr = DRM_COMMAND_BASE +
					DRM_DXGKCOMPAT_GET_ADAPTER_INFO;
		const size_t sz = sizeof(struct drm_dxgkcompat_adapter_info);
		const struct { const char *what; unsigned long cmd; } bad[] = {
			{ "size - 1", _IOC(_IOC_READ | _IOC_WRITE,
					   DRM_IOCTL_BASE, nr, sz - 1) },
			{ "size + 8", _IOC(_IOC_READ | _IOC_WRITE,
					   DRM_IOCTL_BASE, nr, sz + 8) },
			{ "DRM_IOR", DRM_IOR(nr,
				struct drm_dxgkcompat_adapter_info) },
			{ "DRM_IOW", DRM_IOW(nr,
				struct drm_dxgkcompat_adapter_info) },
			{ "DRM_IO", DRM_IO(nr) },
		};
		/* room for the "+ 8" variant */
		union {
			struct drm_dxgkcompat_adapter_info info;
			char bytes[sizeof(struct drm_dxgkcompat_adapter_info) + 64];
		} buf;

		igt_require_f(card_fd >= 0, "no dxgkcompat card\n");

		/* the correctly encoded call works */
		igt_assert_eq(adapter_info(card_fd, &buf.info), 0);

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			int ret;

			memset(&buf, 0, sizeof(buf));
			ret = ioctl(card_fd, bad[i].cmd, &buf);
			igt_assert_f(ret == -1 && errno == EINVAL,
				     "%s (cmd %#lx): ret %d errno %d (%s)\n",
				     bad[i].what, bad[i].cmd, ret, errno,
				     strerror(errno));
		}
	}

	igt_describe("non-zero input bytes: EINVAL + STATUS_INVALID_PARAMETER");
	igt_subtest("reserved-nonzero") {
		struct drm_dxgkcompat_adapter_info info;

		igt_require_f(card_fd >= 0, "no dxgkcompat card\n");

		for (size_t off = 0; off < sizeof(info); off++) {
			int ret;

			memset(&info, 0, sizeof(info));
			((unsigned char *)&info)[off] = 0x5a;
			ret = ioctl(card_fd,
				    DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO,
				    &info);
			igt_assert_f(ret == -1 && errno == EINVAL,
				     "byte %zu (%s): ret %d errno %d (%s)\n",
				     off, field_at(off), ret, errno,
				     strerror(errno));
			igt_assert_f(info.ntstatus == STATUS_INVALID_PARAMETER,
				     "byte %zu (%s): ntstatus %#x\n", off,
				     field_at(off), info.ntstatus);
		}

		/* and a zeroed struct still works afterwards */
		igt_assert_eq(adapter_info(card_fd, &info), 0);
		igt_assert_eq_u32(info.ntstatus, STATUS_SUCCESS);
	}

	igt_describe("concurrent adapter-info queries from forked children");
	igt_subtest("adapter-info-concurrent") {
		struct drm_dxgkcompat_adapter_info ref;

		igt_require_f(card_fd >= 0, "no dxgkcompat card\n");
		igt_assert_eq(adapter_info(card_fd, &ref), 0);

		igt_fork(child, 4) {
			struct drm_dxgkcompat_adapter_info info;
			int fd = open(card_path, O_RDWR | O_CLOEXEC);

			igt_assert(fd >= 0);
			for (int i = 0; i < 2000; i++) {
				igt_assert_eq(adapter_info(i & 1 ? fd : card_fd,
							   &info), 0);
				igt_assert(memcmp(&info, &ref,
						  sizeof(info)) == 0);
			}
			close(fd);
		}
		igt_waitchildren();
	}

	igt_fixture {
		close_card(0);
	}
}
