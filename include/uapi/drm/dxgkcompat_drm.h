/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * dxgkcompat user-space interface.
 *
 * Every ioctl of this driver takes a fixed-size struct whose size is part of
 * the ioctl number; a call whose encoded size or direction differs from the
 * one defined here fails with -EINVAL. Fields named "reserved" or "pad" must
 * be zero on input, otherwise the call fails with -EINVAL and
 * STATUS_INVALID_PARAMETER.
 *
 * Every struct has an "ntstatus" member. The driver always writes it: the
 * NTSTATUS the corresponding WDK callback returned (or would return), so that
 * a port of a Windows user-mode component sees the exact Windows status next
 * to the Linux errno.
 */
#ifndef _UAPI_DXGKCOMPAT_DRM_H_
#define _UAPI_DXGKCOMPAT_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_DXGKCOMPAT_GET_ADAPTER_INFO		0x00

/**
 * enum drm_dxgkcompat_iommu_mode - how device addresses reach memory
 * @DRM_DXGKCOMPAT_IOMMU_NONE: no IOMMU; device addresses are physical
 * @DRM_DXGKCOMPAT_IOMMU_IDENTITY: an IOMMU in pass-through (identity) mode
 * @DRM_DXGKCOMPAT_IOMMU_TRANSLATED: an IOMMU translates device addresses
 *	(DMA remapping in WDDM terms)
 */
enum drm_dxgkcompat_iommu_mode {
	DRM_DXGKCOMPAT_IOMMU_NONE = 0,
	DRM_DXGKCOMPAT_IOMMU_IDENTITY = 1,
	DRM_DXGKCOMPAT_IOMMU_TRANSLATED = 2,
};

#define DRM_DXGKCOMPAT_MINIPORT_NAME_LEN	32

/**
 * struct drm_dxgkcompat_adapter_info - DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO
 *
 * All fields are output only; the struct must be zeroed on input.
 *
 * @interface_version: DXGKRNL_INTERFACE.Version handed to the miniport
 * @miniport_version: DRIVER_INITIALIZATION_DATA.Version the miniport declared
 * @iommu_mode: enum drm_dxgkcompat_iommu_mode in effect for the adapter
 * @iommu_caps: DXGK_IOMMU_CAPS.Value reported by the miniport (0 if it did
 *	not answer DXGKQAITYPE_IOMMU_CAPS)
 * @highest_visible_address: DXGK_PHYSICAL_MEMORY_CAPS.HighestVisibleAddress
 *	reported by the miniport (all ones if it did not answer)
 * @dma_mask: the DMA mask the port driver set on the device from it
 * @pci_vendor_id: PCI vendor id, 0 for a virtual adapter
 * @pci_device_id: PCI device id, 0 for a virtual adapter
 * @ntstatus: NTSTATUS of the request (out)
 * @pad: zero
 * @miniport_name: NUL-terminated name of the miniport driver
 */
struct drm_dxgkcompat_adapter_info {
	__u32 interface_version;
	__u32 miniport_version;
	__u32 iommu_mode;
	__u32 iommu_caps;
	__u64 highest_visible_address;
	__u64 dma_mask;
	__u16 pci_vendor_id;
	__u16 pci_device_id;
	__u32 ntstatus;
	__u32 pad;
	__u32 reserved;
	char miniport_name[DRM_DXGKCOMPAT_MINIPORT_NAME_LEN];
};

#define DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_GET_ADAPTER_INFO, \
		 struct drm_dxgkcompat_adapter_info)

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_DXGKCOMPAT_DRM_H_ */
