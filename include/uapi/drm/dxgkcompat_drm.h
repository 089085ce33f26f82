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
 * to the Linux errno. Once the device is unplugged (unbind, the miniport's
 * unload, PCI removal), every ioctl fails with -ENODEV: ntstatus is then
 * STATUS_DEVICE_REMOVED when the driver saw the call, and left as passed
 * when the DRM core refused it first.
 */
#ifndef _UAPI_DXGKCOMPAT_DRM_H_
#define _UAPI_DXGKCOMPAT_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_DXGKCOMPAT_GET_ADAPTER_INFO		0x00
#define DRM_DXGKCOMPAT_PMO_CREATE		0x01
#define DRM_DXGKCOMPAT_PMO_MAP			0x02
#define DRM_DXGKCOMPAT_PMO_UNMAP		0x03
#define DRM_DXGKCOMPAT_PMO_MMAP_OFFSET		0x04
#define DRM_DXGKCOMPAT_COPY			0x05
#define DRM_DXGKCOMPAT_TEST_PTE			0x20
#define DRM_DXGKCOMPAT_TEST_CB_MAP		0x21
#define DRM_DXGKCOMPAT_TEST_STALE_DMA		0x22

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
 * @dma_flags: DRM_DXGKCOMPAT_DMA_* flags: how the DMA API maps memory for
 *	the device
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
	__u32 dma_flags;
	char miniport_name[DRM_DXGKCOMPAT_MINIPORT_NAME_LEN];
};

/*
 * DRM_DXGKCOMPAT_DMA_BOUNCED: the DMA API bounces the device's streaming
 * mappings through swiotlb (swiotlb=force, as confidential guests do). The
 * device would see copies of an object's pages, not the pages, so ADLs of
 * RAM objects are refused: COPY fails with -ENOSPC and
 * STATUS_INSUFFICIENT_RESOURCES.
 */
#define DRM_DXGKCOMPAT_DMA_BOUNCED	(1u << 0)

#define DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_GET_ADAPTER_INFO, \
		 struct drm_dxgkcompat_adapter_info)

/*
 * Physical memory objects (PMOs) from user space.
 *
 * A PMO is a GEM object: DRM_IOCTL_GEM_CLOSE drops the handle, and the
 * object is destroyed when its last handle, mapping and dma-buf are gone.
 * The ioctls mirror the WDK callbacks DxgkCbCreatePhysicalMemoryObject,
 * DxgkCbMapPhysicalMemory (USER_MODE, in the calling process) and
 * DxgkCbUnmapPhysicalMemory, with the same in/out rules and the
 * callback's NTSTATUS in "ntstatus". IO_SPACE objects are kernel-only.
 * Physical addresses are never returned.
 *
 * Unprivileged callers. Render nodes are open to every local user, so what
 * needs no privilege is what cannot steer, pin or starve physical memory:
 *
 * - Without CAP_SYS_ADMIN, PMO_CREATE fails with -EPERM and
 *   STATUS_ACCESS_DENIED for a CONTIGUOUS object, and for an MDL with a
 *   non-zero low_address or skip_bytes, with
 *   MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS (0x20),
 *   MM_ALLOCATE_PREFER_CONTIGUOUS (0x10) or
 *   MM_ALLOCATE_FROM_LOCAL_NODE_ONLY (0x2), or with a high_address
 *   below what the adapter needs: all of physical memory when its IOMMU
 *   translates (DRM_DXGKCOMPAT_IOMMU_TRANSLATED), else its dma_mask
 *   (DRM_IOCTL_DXGKCOMPAT_GET_ADAPTER_INFO). Such a window is served from
 *   the page allocator's free lists only; with CAP_SYS_ADMIN (and for
 *   miniports) a window they do not serve is searched with page migration.
 * - Memory is counted four times: against the driver's cap for all
 *   objects (module parameter max_memory_percent of RAM, default 50),
 *   against the share all user-space objects together may hold
 *   (max_user_memory_percent, default 40, so that miniports keep room),
 *   against the cap of the DRM file that created it
 *   (max_file_memory_percent, default 25; it stays counted there until the
 *   object is freed, even after the file is closed), and in the creator's
 *   memory cgroup (pages, page arrays and the object itself are charged).
 *   Past any of them the create fails with -ENOMEM and STATUS_NO_MEMORY
 *   without waking the OOM killer.
 * - No device writes a PAGE_READONLY or PAGE_EXECUTE section: COPY into
 *   one fails with -EACCES and STATUS_ACCESS_DENIED, and a dma-buf
 *   importer may map one for DMA_TO_DEVICE only.
 * - The mappings of an object obey its page protection: MDL objects and
 *   PAGE_READWRITE sections map read/write, never executable;
 *   PAGE_READONLY sections read-only; PAGE_EXECUTE sections read/execute,
 *   never writable. mmap() asking for more, and mprotect() adding it, fail
 *   with -EACCES; PMO_MAP maps with exactly what is allowed. PAGE_WRITECOPY
 *   sections are not supported (-EOPNOTSUPP, STATUS_NOT_SUPPORTED).
 * - Mappings belong to the process that made them: fork() does not copy
 *   them, whichever way they were made (PMO_MAP, mmap() of the GEM offset
 *   or of a PRIME fd), and madvise(MADV_DOFORK) on one fails with -EINVAL.
 *   The child keeps the file and handles and may map the objects again.
 * - The test-only ioctls need CAP_SYS_ADMIN.
 */

/* enum DXGK_PHYSICAL_MEMORY_TYPE values */
#define DRM_DXGKCOMPAT_PMO_MDL			0
#define DRM_DXGKCOMPAT_PMO_CONTIGUOUS		1
#define DRM_DXGKCOMPAT_PMO_SECTION		2

/* enum DXGK_MEMORY_CACHING_TYPE values */
#define DRM_DXGKCOMPAT_NON_CACHED		0
#define DRM_DXGKCOMPAT_CACHED			1
#define DRM_DXGKCOMPAT_WRITE_COMBINED		2

/**
 * struct drm_dxgkcompat_pmo_create - DRM_IOCTL_DXGKCOMPAT_PMO_CREATE
 *
 * @size: bytes (in)
 * @low_address: MDL: LowAddress; CONTIGUOUS: LowestAcceptableAddress (in)
 * @high_address: MDL: HighAddress; CONTIGUOUS: HighestAcceptableAddress (in)
 * @skip_bytes: MDL: SkipBytes; CONTIGUOUS: BoundaryAddressMultiple (in)
 * @type: DRM_DXGKCOMPAT_PMO_* (in)
 * @cache_type: DRM_DXGKCOMPAT_NON_CACHED/CACHED/WRITE_COMBINED (in)
 * @mm_flags: MDL: MM_ALLOCATE_* flags; MM_DONT_ZERO_ALLOCATION (0x1) is
 *	refused from user space (in)
 * @page_protection: SECTION: PageProtection: PAGE_READONLY 0x02,
 *	PAGE_READWRITE 0x04 or PAGE_EXECUTE 0x10 (in)
 * @handle: GEM handle (out)
 * @ntstatus: the NTSTATUS of the create (out)
 * @reserved: zero
 *
 * Fields that do not apply to @type must be zero. See above for what needs
 * CAP_SYS_ADMIN.
 */
struct drm_dxgkcompat_pmo_create {
	__u64 size;
	__u64 low_address;
	__u64 high_address;
	__u64 skip_bytes;
	__u32 type;
	__u32 cache_type;
	__u32 mm_flags;
	__u32 page_protection;
	__u32 handle;
	__u32 ntstatus;
	__u64 reserved;
};

/**
 * struct drm_dxgkcompat_pmo_map - DRM_IOCTL_DXGKCOMPAT_PMO_MAP
 *
 * Maps the pages that hold [offset, offset + size) of the object into the
 * calling process, with the object's cache type.
 *
 * @handle: GEM handle (in)
 * @ntstatus: NTSTATUS (out)
 * @offset: in: byte offset of the data in the object; out: offset of the
 *	data from @address
 * @size: in: bytes wanted; out: size of the mapping (page multiple)
 * @address: start of the mapping (out); the data is at @address + @offset
 * @reserved: zero
 */
struct drm_dxgkcompat_pmo_map {
	__u32 handle;
	__u32 ntstatus;
	__u64 offset;
	__u64 size;
	__u64 address;
	__u64 reserved;
};

/**
 * struct drm_dxgkcompat_pmo_unmap - DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP
 *
 * @handle: GEM handle (in)
 * @ntstatus: NTSTATUS (out)
 * @address: the @address a map returned (in)
 * @size: the @size the map returned (in)
 * @reserved: zero
 */
struct drm_dxgkcompat_pmo_unmap {
	__u32 handle;
	__u32 ntstatus;
	__u64 address;
	__u64 size;
	__u64 reserved;
};

/**
 * struct drm_dxgkcompat_pmo_mmap_offset - DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET
 *
 * The fake offset to mmap() the whole object through the DRM file, as with
 * any GEM object; the mapping has the object's cache type and obeys its
 * page protection. Only MAP_SHARED mappings are allowed: mmap() with
 * MAP_PRIVATE fails with EINVAL (the mapping maps the object's own pages
 * and cannot be copy-on-write), here and on a PRIME fd of the object.
 *
 * @handle: GEM handle (in)
 * @ntstatus: NTSTATUS (out)
 * @offset: the offset to pass to mmap() (out)
 */
struct drm_dxgkcompat_pmo_mmap_offset {
	__u32 handle;
	__u32 ntstatus;
	__u64 offset;
};

/**
 * struct drm_dxgkcompat_copy - DRM_IOCTL_DXGKCOMPAT_COPY
 *
 * Copies @size bytes from @src_offset of one PMO to @dst_offset of another
 * (or the same, without overlap) with the adapter's engine. The port
 * obtains an ADL for each range and hands them to the miniport in paging
 * operations (DXGK_OPERATION_MAP_APERTURE_SEGMENT2, TRANSFER), as Dxgkrnl's
 * memory manager does; it returns when the device is done. Any sizes and
 * offsets are accepted. Errors: -EOPNOTSUPP/STATUS_NOT_SUPPORTED if the
 * miniport has no paging engine; -ENOSPC/STATUS_INSUFFICIENT_RESOURCES if
 * the device cannot reach the pages (no IOMMU translation and pages above
 * its DMA mask); -ETIMEDOUT/STATUS_IO_TIMEOUT if the device did not finish
 * in time (the engine was reset; after a failed reset every copy fails with
 * -EIO/STATUS_DEVICE_NOT_READY); the miniport's DMA_FAULTED status and its
 * errno (-EIO/STATUS_IO_DEVICE_ERROR from dxgk_edu) if the device faulted;
 * -ECANCELED/STATUS_CANCELLED on a fatal signal, which is noticed between
 * 64 KiB passes; -ENODEV/STATUS_DEVICE_REMOVED when the adapter is being
 * removed (a pass in flight is cut short by an engine reset). After a
 * failure some bytes may have been copied. Copies on one adapter take
 * turns pass by pass. -EINVAL/STATUS_INVALID_VIEW_SIZE for a
 * range outside an object, -EOVERFLOW/STATUS_INTEGER_OVERFLOW for one that
 * wraps, -EINVAL/STATUS_INVALID_PARAMETER for a zero size or overlapping
 * ranges of one object; -ENOENT/STATUS_INVALID_HANDLE for a bad handle.
 *
 * @src_handle: GEM handle of the source (in)
 * @dst_handle: GEM handle of the destination (in)
 * @src_offset: byte offset in the source (in)
 * @dst_offset: byte offset in the destination (in)
 * @size: bytes (in)
 * @ntstatus: NTSTATUS (out)
 * @pad: zero
 */
struct drm_dxgkcompat_copy {
	__u32 src_handle;
	__u32 dst_handle;
	__u64 src_offset;
	__u64 dst_offset;
	__u64 size;
	__u32 ntstatus;
	__u32 pad;
};

#define DRM_IOCTL_DXGKCOMPAT_COPY \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_COPY, struct drm_dxgkcompat_copy)

/*
 * Test-only ioctls: built with CONFIG_DRM_DXGKCOMPAT_TEST_IOCTLS in a kernel
 * tree, with make DXGK_TEST_IOCTLS=y out of it; for CAP_SYS_ADMIN only.
 * Without the option they fail with -EOPNOTSUPP and STATUS_NOT_SUPPORTED;
 * without the capability with -EPERM and STATUS_ACCESS_DENIED.
 */

/* Cache modes of a page-table entry (x86 PAT), for DRM_IOCTL_DXGKCOMPAT_TEST_PTE */
#define DRM_DXGKCOMPAT_PTE_WB			1
#define DRM_DXGKCOMPAT_PTE_WC			2
#define DRM_DXGKCOMPAT_PTE_UC_MINUS		3
#define DRM_DXGKCOMPAT_PTE_UC			4
#define DRM_DXGKCOMPAT_PTE_OTHER		5

/**
 * struct drm_dxgkcompat_test_pte - DRM_IOCTL_DXGKCOMPAT_TEST_PTE
 *
 * The cache mode of the caller's page-table entry for @address, read from
 * the page tables (the page must be present: touch it first).
 *
 * @address: a user address in a mapping of a PMO (in)
 * @cache_mode: DRM_DXGKCOMPAT_PTE_* (out)
 * @ntstatus: NTSTATUS (out)
 */
struct drm_dxgkcompat_test_pte {
	__u64 address;
	__u32 cache_mode;
	__u32 ntstatus;
};

/**
 * struct drm_dxgkcompat_test_cb_map - DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP
 *
 * Calls DxgkCbMapPhysicalMemory(USER_MODE) (@unmap == 0) or
 * DxgkCbUnmapPhysicalMemory (@unmap == 1) on the object's PMO, in the
 * calling process, as a miniport would from its Escape DDI.
 *
 * @handle: GEM handle (in)
 * @unmap: 0 map, 1 unmap (in)
 * @offset: as the callback's Offset (in/out)
 * @size: as the callback's Size (in/out)
 * @address: pMappedAddress (out of a map, in to an unmap)
 * @ntstatus: NTSTATUS of a map (out)
 * @pad: zero
 */
struct drm_dxgkcompat_test_cb_map {
	__u32 handle;
	__u32 unmap;
	__u64 offset;
	__u64 size;
	__u64 address;
	__u32 ntstatus;
	__u32 pad;
};

/* Modes of DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA */
#define DRM_DXGKCOMPAT_STALE_FREED_ADL		0
#define DRM_DXGKCOMPAT_STALE_NEVER_MAPPED	1

/**
 * struct drm_dxgkcompat_test_stale_dma - DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA
 *
 * The isolation proof: has the device write @size bytes from the source
 * object to device addresses of the destination page that no ADL covers,
 * either those of an ADL that was freed (@mode DRM_DXGKCOMPAT_STALE_FREED_ADL)
 * or the page's physical address, which was never mapped for the device
 * (DRM_DXGKCOMPAT_STALE_NEVER_MAPPED). The freed ADL is first used by the
 * device, which reads 16 bytes of the destination page through it into
 * the source page at offset 2048, so that an IOMMU that caches
 * translations has it cached when it is freed (with lazy invalidation,
 * only FreeAdl's own flush then stops the write). With IOMMU translation the write
 * faults in the IOMMU and the page is unchanged; the kernel logs the
 * address it expects the fault at ("dxgkcompat ... expecting an IOMMU
 * fault ...") before starting the DMA. Without translation the ioctl
 * refuses: -EOPNOTSUPP, STATUS_NOT_SUPPORTED. If the address turns out to
 * be mapped (a live ADL of this device has it), the ioctl refuses with
 * -EADDRINUSE, STATUS_CONFLICTING_ADDRESSES; it is checked just before the
 * DMA, so run the test on an otherwise idle adapter.
 *
 * @src_handle: GEM handle of the source (in)
 * @dst_handle: GEM handle of the destination (in)
 * @dst_offset: byte offset in the destination; the write stays in its page (in)
 * @size: bytes, 1 to the end of that page and at most 2048 (in); the source
 *	must be writable (-EACCES, STATUS_ACCESS_DENIED)
 * @mode: DRM_DXGKCOMPAT_STALE_* (in)
 * @ntstatus: NTSTATUS of the paging operation (out)
 */
struct drm_dxgkcompat_test_stale_dma {
	__u32 src_handle;
	__u32 dst_handle;
	__u64 dst_offset;
	__u64 size;
	__u32 mode;
	__u32 ntstatus;
};

#define DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_TEST_STALE_DMA, \
		 struct drm_dxgkcompat_test_stale_dma)
#define DRM_IOCTL_DXGKCOMPAT_TEST_PTE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_TEST_PTE, \
		 struct drm_dxgkcompat_test_pte)
#define DRM_IOCTL_DXGKCOMPAT_TEST_CB_MAP \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_TEST_CB_MAP, \
		 struct drm_dxgkcompat_test_cb_map)

#define DRM_IOCTL_DXGKCOMPAT_PMO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_PMO_CREATE, \
		 struct drm_dxgkcompat_pmo_create)
#define DRM_IOCTL_DXGKCOMPAT_PMO_MAP \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_PMO_MAP, \
		 struct drm_dxgkcompat_pmo_map)
#define DRM_IOCTL_DXGKCOMPAT_PMO_UNMAP \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_PMO_UNMAP, \
		 struct drm_dxgkcompat_pmo_unmap)
#define DRM_IOCTL_DXGKCOMPAT_PMO_MMAP_OFFSET \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_DXGKCOMPAT_PMO_MMAP_OFFSET, \
		 struct drm_dxgkcompat_pmo_mmap_offset)

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_DXGKCOMPAT_DRM_H_ */
