/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dxgkcompat - port-driver internals shared by the shim and the DRM side.
 */
#ifndef _DXGK_DRV_H_
#define _DXGK_DRV_H_

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>

#include <dispmprt.h>

#include "dxgk_compat.h"
#include "dxgk_core.h"

#define DXGK_DRIVER_NAME	"dxgkcompat"

/*
 * Symbols for dxgkcompat_test.ko are exported in namespace
 * DXGKCOMPAT_INTERNAL (DXGK_NS, dxgk_compat.h).
 */

/**
 * struct dxgk_miniport - a miniport driver registered with DxgkInitialize()
 * @drvobj: the miniport's DRIVER_OBJECT
 * @init: copy of the miniport's DRIVER_INITIALIZATION_DATA
 * @pci: the PCI driver binding the miniport's devices (PCI miniports)
 * @plat: the platform driver of a virtual adapter
 * @pdev: the platform device of a virtual adapter
 */
struct dxgk_miniport {
	PDRIVER_OBJECT drvobj;
	DRIVER_INITIALIZATION_DATA init;
	union {
		struct pci_driver pci;
		struct platform_driver plat;
	};
	struct platform_device *pdev;
};

/**
 * enum dxgk_adapter_state - where an adapter is in its lifecycle
 * @DXGK_ADAPTER_NEW: allocated, no DDI called yet
 * @DXGK_ADAPTER_ADDED: DxgkDdiAddDevice succeeded
 * @DXGK_ADAPTER_STARTED: DxgkDdiStartDevice succeeded
 * @DXGK_ADAPTER_STOPPED: DxgkDdiStopDevice called
 */
enum dxgk_adapter_state {
	DXGK_ADAPTER_NEW,
	DXGK_ADAPTER_ADDED,
	DXGK_ADAPTER_STARTED,
	DXGK_ADAPTER_STOPPED,
};

/* A pass holds two ADLs, the isolation test one more. */
#define DXGK_PAGING_HELD_ADLS	3

/**
 * struct dxgk_adapter - one adapter: a device driven by a miniport
 * @drm: the DRM device (one per adapter)
 * @mp: the miniport driving it
 * @dev: the Linux device (PCI or platform)
 * @pci: the PCI device, NULL for a virtual adapter
 * @pdo: the DEVICE_OBJECT given to DxgkDdiAddDevice
 * @handle: DXGKRNL_INTERFACE.DeviceHandle, an index in the adapter table
 * @ctx: the miniport's MiniportDeviceContext
 * @iface: the DXGKRNL_INTERFACE given to DxgkDdiStartDevice
 * @state: lifecycle state, under @lock
 * @lock: protects @state and @io_maps
 * @io_maps: live DxgkCbMapMemory mappings
 * @resources: translated resource list (BARs, interrupt) of a PCI adapter
 * @mem_caps: DXGK_PHYSICAL_MEMORY_CAPS from the miniport
 * @iommu_caps: DXGK_IOMMU_CAPS from the miniport
 * @dma_mask: DMA mask set from @mem_caps
 * @iommu_mode: enum drm_dxgkcompat_iommu_mode in effect
 * @irq_lock: the interrupt spinlock: the interrupt routine, synchronized
 *	routines and the fence state below
 * @irq: Linux IRQ of the connected interrupt, 0 if none
 * @dpc_lock: makes DxgkCbQueueDpc's check of @dpc_enabled and its queueing
 *	one step against dxgk_sched_stop()
 * @dpc_enabled: DxgkCbQueueDpc may queue @dpc (@dpc_lock)
 * @dpc: the DPC, runs DxgkDdiDpcRoutine
 * @fence_submitted: last paging fence submitted (paging_lock)
 * @fence_isr: last fence completed, as DxgkCbNotifyInterrupt reported it
 * @fence_done: last fence completed, as of the last DxgkCbNotifyDpc
 * @fault_fence_isr: last fence reported DMA_FAULTED
 * @fault_status_isr: its status
 * @fault_fence: @fault_fence_isr as of the last DxgkCbNotifyDpc
 * @fault_status: its status
 * @fence_wq: waiters for @fence_done
 * @paging_lock: one paging operation at a time; protects the paging buffer
 * @paging_waiters: copies waiting for @paging_lock
 * @paging_turns: passes started (@paging_lock)
 * @paging_wq: a copy that yields between passes waits here for a waiter
 *	to take its turn
 * @pb_dma: the paging DMA buffer (DXGK_PAGING_DMA_SIZE bytes)
 * @pb_priv: its private data (DXGK_PAGING_PRIVATE_SIZE bytes)
 * @pb_used: bytes of @pb_dma built and not yet submitted
 * @pb_priv_used: bytes of @pb_priv built and not yet submitted
 * @pb_ops: BIT() of each DXGK_OPERATION_* built into the paging buffer
 *	since its last submission, for the trace events
 * @wedged: a reset failed; paging is refused, bus mastering and the
 *	interrupt are off
 * @removing: the adapter is being removed: paging stops at once
 * @held: the ADLs of the pass a failed reset interrupted, kept mapped
 *	until the device is stopped (it may still be using them)
 * @n_held: entries of @held in use
 * @n_irq: interrupts the miniport claimed
 * @n_dpc: DPCs run
 * @n_submit: paging buffers submitted
 * @n_tdr: fence timeouts
 * @iommu24: the WDDM 2.4 allocations and IOMMU mappings of the miniport
 *	(dxgk_iommu24.c), by handle
 * @iommu24_lock: protects @iommu24_gone and the kernel mappings of
 *	@iommu24's MDLs; serialises @iommu24's lookups
 * @iommu24_next: the next handle id to try (handles are not reused soon)
 * @iommu24_gone: the adapter is going: no new 2.4 allocations
 */
struct dxgk_adapter {
	struct drm_device drm;
	struct dxgk_miniport *mp;
	struct device *dev;
	struct pci_dev *pci;
	DEVICE_OBJECT pdo;
	u32 handle;
	PVOID ctx;
	DXGKRNL_INTERFACE iface;
	enum dxgk_adapter_state state;
	struct mutex lock;	/* protects state and io_maps */
	struct list_head io_maps;
	PCM_RESOURCE_LIST resources;
	DXGK_PHYSICAL_MEMORY_CAPS mem_caps;
	DXGK_IOMMU_CAPS iommu_caps;
	u64 dma_mask;
	u32 iommu_mode;

	spinlock_t irq_lock;	/* see above */
	int irq;
	spinlock_t dpc_lock;	/* see above */
	bool dpc_enabled;
	struct work_struct dpc;
	u32 fence_submitted;
	u32 fence_isr;
	u32 fence_done;
	u32 fault_fence_isr;
	NTSTATUS fault_status_isr;
	u32 fault_fence;
	NTSTATUS fault_status;
	wait_queue_head_t fence_wq;
	struct mutex paging_lock;	/* see above */
	atomic_t paging_waiters;
	unsigned long paging_turns;
	wait_queue_head_t paging_wq;
	void *pb_dma;
	void *pb_priv;
	size_t pb_used;
	size_t pb_priv_used;
	u32 pb_ops;
	bool wedged;
	bool removing;
	struct dxgk_held_adl {
		HANDLE hamo;
		DXGK_ADL *adl;
	} held[DXGK_PAGING_HELD_ADLS];
	unsigned int n_held;
	atomic64_t n_irq;
	atomic64_t n_dpc;
	atomic64_t n_submit;
	atomic64_t n_tdr;
	struct xarray iommu24;
	struct mutex iommu24_lock;	/* see above */
	u32 iommu24_next;
	bool iommu24_gone;
};

static inline struct dxgk_adapter *to_dxgk_adapter(struct drm_device *drm)
{
	return container_of(drm, struct dxgk_adapter, drm);
}

/* dxgk_port.c */
extern struct xarray dxgk_adapters;
extern const char *const dxgk_iommu_mode_names[];
struct dxgk_adapter *dxgk_adapter_get(HANDLE handle, const char *caller);
unsigned int dxgk_port_adapter_count(void);
HANDLE dxgk_adapter_handle(const struct dxgk_adapter *adapter);

/* dxgk_debugfs.c */
void dxgk_debugfs_init(void);
void dxgk_debugfs_fini(void);

/* dxgk_iface.c */

/**
 * struct dxgk_iface_slot - one callback slot of DXGKRNL_INTERFACE
 * @name: the WDK member name
 * @offset: its offset in DXGKRNL_INTERFACE
 * @version: the DXGKDDI_INTERFACE_VERSION that introduced it
 * @implemented: true if the port implements it, false for a stub that
 *	returns STATUS_NOT_SUPPORTED
 */
struct dxgk_iface_slot {
	const char *name;
	size_t offset;
	ULONG version;
	bool implemented;
};

extern const struct dxgk_iface_slot dxgk_iface_slots[];
extern const unsigned int dxgk_iface_nslots;
void dxgk_iface_init(DXGKRNL_INTERFACE *iface, HANDLE device_handle);
ULONG dxgk_iface_version(const DXGKRNL_INTERFACE *iface);

/* dxgk_devcb.c: callbacks of the base device family */
NTSTATUS dxgk_cb_get_device_information(HANDLE DeviceHandle,
					PDXGK_DEVICE_INFO DeviceInfo);
NTSTATUS dxgk_cb_map_memory(HANDLE DeviceHandle,
			    PHYSICAL_ADDRESS TranslatedAddress, ULONG Length,
			    BOOLEAN InIoSpace, BOOLEAN MapToUserMode,
			    MEMORY_CACHING_TYPE CacheType, PVOID *VirtualAddress);
NTSTATUS dxgk_cb_unmap_memory(HANDLE DeviceHandle, PVOID VirtualAddress);
NTSTATUS dxgk_cb_read_device_space(HANDLE DeviceHandle, ULONG DataType,
				   PVOID Buffer, ULONG Offset, ULONG Length,
				   PULONG BytesRead);
NTSTATUS dxgk_cb_write_device_space(HANDLE DeviceHandle, ULONG DataType,
				    PVOID Buffer, ULONG Offset, ULONG Length,
				    PULONG BytesWritten);
int dxgk_devcb_adapter_init(struct dxgk_adapter *adapter);

/*
 * The memory callbacks: dxgk_pmo.c (Create, Destroy, Open, Close),
 * dxgk_map.c (Map, Unmap), dxgk_adl.c (ADLs)
 */
NTSTATUS
dxgk_cb_create_physical_memory_object(IN_OUT_PDXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT pArgs);
void
dxgk_cb_destroy_physical_memory_object(IN_CONST_PDXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT pArgs);
NTSTATUS dxgk_cb_map_physical_memory(IN_OUT_PDXGKARGCB_MAP_PHYSICAL_MEMORY pArgs);
void dxgk_cb_unmap_physical_memory(IN_CONST_PDXGKARGCB_UNMAP_PHYSICAL_MEMORY pArgs);
NTSTATUS dxgk_cb_open_physical_memory_object(IN_OUT_PDXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT pArgs);
void dxgk_cb_close_physical_memory_object(IN_CONST_PDXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT pArgs);
NTSTATUS dxgk_cb_allocate_adl(IN_OUT_PDXGKARGCB_ALLOCATE_ADL pArgs);
void dxgk_cb_free_adl(IN_CONST_PDXGKARGCB_FREE_ADL pArgs);
bool dxgk_adl_iotlb_is_lazy(struct device *dev);
bool dxgk_adapter_dma_bounced(const struct dxgk_adapter *adapter);
unsigned int dxgk_pmo_count(void);
void dxgk_pmo_adapter_gone(HANDLE adapter);
void dxgk_pmo_fini(void);

/*
 * The memory core (dxgk_pmo.c, dxgk_backing.c, dxgk_map.c): what the DRM
 * side uses
 */
struct dxgk_pmo;

/**
 * struct dxgk_pmo_quota - what the objects of one DRM file may hold
 * @ref: the file and each of its objects
 * @pages: pages its live objects hold
 */
struct dxgk_pmo_quota {
	struct kref ref;
	atomic_long_t pages;
};

struct dxgk_pmo_quota *dxgk_pmo_quota_new(void);
void dxgk_pmo_quota_put(struct dxgk_pmo_quota *q);
NTSTATUS dxgk_pmo_create(DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT *pArgs,
			 struct dxgk_pmo_quota *quota, bool search);
void dxgk_pmo_orphan(struct dxgk_pmo *pmo);
bool dxgk_pmo_writable(const struct dxgk_pmo *pmo);
void dxgk_pmo_stats(long *rejected, long *range_searches);
struct sg_table;
struct vm_area_struct;
struct vm_fault;
struct dxgk_pmo *dxgk_pmo_get(HANDLE h);
void dxgk_pmo_put(struct dxgk_pmo *pmo);
NTSTATUS dxgk_pmo_view(const struct dxgk_pmo *pmo, u64 offset, u64 size,
		       unsigned long *first, size_t *size_out);
int dxgk_pmo_test_pfn(struct dxgk_pmo *pmo, u64 offset, unsigned long *pfn);
int dxgk_pmo_umap_get(struct dxgk_pmo *pmo);
void dxgk_pmo_umap_put(struct dxgk_pmo *pmo);
int dxgk_pmo_vma_setup(struct dxgk_pmo *pmo, struct vm_area_struct *vma,
		       unsigned long first);
vm_fault_t dxgk_pmo_fault(struct dxgk_pmo *pmo, struct vm_fault *vmf,
			  unsigned long first);
NTSTATUS dxgk_vma_owner_ok(struct vm_area_struct *vma,
			   const struct vm_operations_struct *vm_ops,
			   void *private, unsigned long addr, u64 size);
long dxgk_pmo_vm_mmap(struct dxgk_pmo *pmo, struct file *file,
		      unsigned long pgoff, size_t size);
struct sg_table *dxgk_pmo_sg_table(struct dxgk_pmo *pmo, unsigned int max_seg);
pgprot_t dxgk_pmo_pgprot(const struct dxgk_pmo *pmo, pgprot_t prot);
void dxgk_devcb_adapter_fini(struct dxgk_adapter *adapter);

/* dxgk_gem.c: the PMO ioctls */
int dxgk_ioctl_pmo_create(struct drm_device *drm, void *data,
			  struct drm_file *file);
int dxgk_ioctl_pmo_map(struct drm_device *drm, void *data, struct drm_file *file);
int dxgk_ioctl_pmo_unmap(struct drm_device *drm, void *data,
			 struct drm_file *file);
int dxgk_ioctl_pmo_mmap_offset(struct drm_device *drm, void *data,
			       struct drm_file *file);
int dxgk_ioctl_copy(struct drm_device *drm, void *data, struct drm_file *file);
struct dma_buf;
struct drm_gem_object *dxgk_gem_prime_import(struct drm_device *dev,
					     struct dma_buf *dma_buf);
int dxgk_ioctl_test_pte(struct drm_device *drm, void *data, struct drm_file *file);
int dxgk_ioctl_test_cb_map(struct drm_device *drm, void *data,
			   struct drm_file *file);
int dxgk_ioctl_test_stale_dma(struct drm_device *drm, void *data,
			      struct drm_file *file);

/* dxgk_iommu24.c: the WDDM 2.4 IOMMU-isolation callbacks */
NTSTATUS dxgk_cb_allocate_pages_for_mdl(IN_CONST_HANDLE hAdapter,
					INOUT_PDXGKARGCB_ALLOCATEPAGESFORMDL pArgs);
NTSTATUS dxgk_cb_free_pages_from_mdl(IN_CONST_HANDLE hAdapter,
				     IN_CONST_PDXGKARGCB_FREEPAGESFROMMDL pArgs);
NTSTATUS
dxgk_cb_allocate_contiguous_memory(IN_CONST_HANDLE hAdapter,
				   INOUT_PDXGKARGCB_ALLOCATECONTIGUOUSMEMORY pArgs);
NTSTATUS dxgk_cb_free_contiguous_memory(IN_CONST_HANDLE hAdapter,
					IN_CONST_PDXGKARGCB_FREECONTIGUOUSMEMORY pArgs);
NTSTATUS dxgk_cb_map_mdl_to_io_mmu(IN_CONST_HANDLE hAdapter,
				   INOUT_PDXGKARGCB_MAPMDLTOIOMMU pArgs);
void dxgk_cb_unmap_mdl_from_io_mmu(IN_CONST_HANDLE hAdapter,
				   IN_CONST_PDXGKARGCB_UNMAPMDLFROMIOMMU pArgs);
void dxgk_iommu24_adapter_init(struct dxgk_adapter *adapter);
void dxgk_iommu24_adapter_gone(struct dxgk_adapter *adapter);
unsigned int dxgk_iommu24_count(HANDLE device_handle);

/* dxgk_sched.c: interrupts, DPCs, paging */
#define DXGK_PAGING_DMA_SIZE		256
#define DXGK_PAGING_PRIVATE_SIZE	256
unsigned int dxgk_sched_set_tdr_delay(unsigned int ms);
int dxgk_sched_init(struct dxgk_adapter *adapter);
void dxgk_sched_fini(struct dxgk_adapter *adapter);
int dxgk_sched_start(struct dxgk_adapter *adapter);
void dxgk_sched_stop(struct dxgk_adapter *adapter);
void dxgk_sched_removing(struct dxgk_adapter *adapter);
void dxgk_paging_release_held(struct dxgk_adapter *adapter);
BOOLEAN dxgk_cb_queue_dpc(HANDLE DeviceHandle);
NTSTATUS dxgk_cb_synchronize_execution(HANDLE DeviceHandle,
				       PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
				       PVOID Context, ULONG MessageNumber,
				       PBOOLEAN ReturnValue);
void dxgk_cb_notify_interrupt(IN_CONST_HANDLE hAdapter,
			      IN_CONST_PDXGKARGCB_NOTIFY_INTERRUPT_DATA pNotifyInterruptData);
void dxgk_cb_notify_dpc(IN_CONST_HANDLE hAdapter);
NTSTATUS dxgk_paging_copy(struct dxgk_adapter *adapter, HANDLE src_amo,
			  u64 src_off, HANDLE dst_amo, u64 dst_off, u64 size);
NTSTATUS dxgk_paging_copy_to_adl(struct dxgk_adapter *adapter, HANDLE src_amo,
				 NTSTATUS (*dst_page)(void *ctx, const DXGK_ADL *src,
						      DXGK_ADL *dst),
				 void *ctx, u64 dst_off, u64 size);
void dxgk_paging_put_adl(struct dxgk_adapter *adapter, HANDLE hamo, DXGK_ADL *adl);
NTSTATUS dxgk_paging_read_adl(struct dxgk_adapter *adapter, const DXGK_ADL *from,
			      const DXGK_ADL *into, u64 into_off, u64 size);
struct seq_file;
void dxgk_sched_show(struct seq_file *m, struct dxgk_adapter *adapter);

/* dxgk_drv.c */
int dxgk_drm_register(struct dxgk_adapter *adapter);
void dxgk_drm_unregister(struct dxgk_adapter *adapter);
struct dxgk_adapter *dxgk_drm_alloc(struct device *dev);

#endif /* _DXGK_DRV_H_ */
