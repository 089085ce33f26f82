// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - interrupts, DPCs, and the paging queue that hands ADLs to
 * the miniport.
 */

#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "dxgk_compat.h"
#include "dxgk_drv.h"

/**
 * DOC: Interrupts and DPCs
 *
 * A PCI adapter whose miniport has a DxgkDdiInterruptRoutine gets one
 * interrupt vector (MSI if the device has it, else its INTx line), connected
 * after DxgkDdiStartDevice succeeds and disconnected before
 * DxgkDdiStopDevice, so a miniport must not depend on interrupts inside
 * either. The handler takes the adapter's interrupt spinlock and calls
 * DxgkDdiInterruptRoutine(MiniportDeviceContext, 0); that lock, taken with
 * interrupts off, is what DxgkCbSynchronizeExecution runs its routine under,
 * as Windows runs it at the interrupt's DIRQL under the interrupt spin lock.
 *
 * DxgkCbQueueDpc queues the adapter's DPC, which calls DxgkDdiDpcRoutine.
 * The DPC is a work item on a BH (softirq) workqueue on kernels that have
 * them (6.9 and later), so it runs atomically, as a DPC at DISPATCH_LEVEL
 * does; on older kernels it is a high-priority process-context work item.
 * Queueing a DPC that is already queued returns FALSE, as on Windows.
 *
 * DxgkCbNotifyInterrupt records DMA_COMPLETED and DMA_FAULTED for node 0,
 * engine 0 (the only ones the port schedules on); it must be called from
 * the interrupt routine or a synchronized routine. DxgkCbNotifyDpc, from
 * the DPC, publishes what the interrupt recorded and wakes the waiters.
 */

/**
 * DOC: Paging operations
 *
 * The port copies between physical memory objects the way Dxgkrnl's video
 * memory manager moves allocations under IOMMU DMA remapping: it obtains
 * an ADL for each side (DxgkCbAllocateAdl), maps each ADL into the
 * adapter's aperture segment with DXGK_OPERATION_MAP_APERTURE_SEGMENT2,
 * asks for a DXGK_OPERATION_TRANSFER between the two aperture ranges,
 * unmaps them with DXGK_OPERATION_UNMAP_APERTURE_SEGMENT, and frees the
 * ADLs once the GPU is done. Each operation is built by
 * DxgkDdiBuildPagingBuffer into a paging buffer of %DXGK_PAGING_DMA_SIZE
 * bytes (with %DXGK_PAGING_PRIVATE_SIZE bytes of private data); when the
 * miniport answers STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER, the port submits
 * what was built (DxgkDdiSubmitCommand with Flags.Paging and a new
 * SubmissionFenceId), waits for the fence, and calls again with the
 * MultipassOffset the miniport left. The paging buffer is system memory the
 * port allocates: DmaBufferSegmentId and DmaBufferPhysicalAddress are 0
 * (no physical address reaches the miniport); it finds its commands through
 * the private data, which it fills at build time.
 *
 * The aperture is segment %DXGK_PAGING_APERTURE_SEGMENT of
 * %DXGK_PAGING_APERTURE_PAGES pages; the source is mapped at page 0 and the
 * destination at page %DXGK_PAGING_APERTURE_PAGES / 2, so one pass moves at
 * most half the aperture less a page. Without DXGKQAITYPE_QUERYSEGMENT
 * support this is a fixed contract of the port (see dxgk_linux.h).
 *
 * A fence that does not complete within the tdr_delay_ms module parameter
 * is a timeout: the port disables the interrupt, flushes the DPC, calls
 * DxgkDdiResetFromTimeout and DxgkDdiRestartFromTimeout, treats every
 * submitted fence as done, and fails the copy with STATUS_IO_TIMEOUT. An
 * adapter whose miniport cannot reset refuses further paging.
 */

static unsigned int dxgk_tdr_delay_ms = 5000;
module_param_named(tdr_delay_ms, dxgk_tdr_delay_ms, uint, 0644);
MODULE_PARM_DESC(tdr_delay_ms,
		 "Paging fence timeout in ms before the adapter is reset (default 5000)");

/**
 * dxgk_sched_set_tdr_delay - set the paging timeout (for KUnit)
 * @ms: the new timeout in milliseconds
 *
 * Returns: the previous one.
 */
unsigned int dxgk_sched_set_tdr_delay(unsigned int ms)
{
	return xchg(&dxgk_tdr_delay_ms, ms);
}
EXPORT_SYMBOL_NS_GPL(dxgk_sched_set_tdr_delay, DXGKCOMPAT_INTERNAL);

static void dxgk_dpc_work(struct work_struct *work)
{
	struct dxgk_adapter *adapter = container_of(work, struct dxgk_adapter, dpc);

	atomic64_inc(&adapter->n_dpc);
	adapter->mp->init.DxgkDdiDpcRoutine(adapter->ctx);
}

static irqreturn_t dxgk_isr(int irq, void *arg)
{
	struct dxgk_adapter *adapter = arg;
	BOOLEAN claimed;

	spin_lock(&adapter->irq_lock);
	claimed = adapter->mp->init.DxgkDdiInterruptRoutine(adapter->ctx, 0);
	spin_unlock(&adapter->irq_lock);
	if (!claimed)
		return IRQ_NONE;
	atomic64_inc(&adapter->n_irq);
	return IRQ_HANDLED;
}

/**
 * dxgk_sched_init - set up an adapter's interrupt and paging state
 * @adapter: a new adapter
 *
 * Returns: 0 or -ENOMEM.
 */
int dxgk_sched_init(struct dxgk_adapter *adapter)
{
	spin_lock_init(&adapter->irq_lock);
	INIT_WORK(&adapter->dpc, dxgk_dpc_work);
	init_waitqueue_head(&adapter->fence_wq);
	mutex_init(&adapter->paging_lock);
	adapter->pb_dma = kzalloc(DXGK_PAGING_DMA_SIZE, GFP_KERNEL);
	adapter->pb_priv = kzalloc(DXGK_PAGING_PRIVATE_SIZE, GFP_KERNEL);
	if (!adapter->pb_dma || !adapter->pb_priv) {
		dxgk_sched_fini(adapter);
		return -ENOMEM;
	}
	return 0;
}

/**
 * dxgk_sched_fini - free what dxgk_sched_init() allocated
 * @adapter: the adapter
 */
void dxgk_sched_fini(struct dxgk_adapter *adapter)
{
	kfree(adapter->pb_dma);
	kfree(adapter->pb_priv);
	adapter->pb_dma = NULL;
	adapter->pb_priv = NULL;
	mutex_destroy(&adapter->paging_lock);
}

/**
 * dxgk_sched_start - connect the adapter's interrupt, enable its DPC
 * @adapter: an adapter whose DxgkDdiStartDevice succeeded
 *
 * Returns: 0 or a negative errno.
 */
int dxgk_sched_start(struct dxgk_adapter *adapter)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	struct pci_dev *pdev = adapter->pci;
	int ret, irq;

	WRITE_ONCE(adapter->dpc_enabled, !!init->DxgkDdiDpcRoutine);
	if (!pdev || !init->DxgkDdiInterruptRoutine)
		return 0;

	ret = pci_alloc_irq_vectors(pdev, 1, 1, PCI_IRQ_MSI | PCI_IRQ_MSIX |
				    DXGK_PCI_IRQ_INTX);
	if (ret < 0)
		goto err_dpc;
	irq = pci_irq_vector(pdev, 0);
	ret = request_irq(irq, dxgk_isr, pdev->msi_enabled || pdev->msix_enabled ?
			  0 : IRQF_SHARED, dev_name(adapter->dev), adapter);
	if (ret) {
		pci_free_irq_vectors(pdev);
		goto err_dpc;
	}
	adapter->irq = irq;
	return 0;

err_dpc:
	dev_err(adapter->dev, "cannot connect the interrupt: %d\n", ret);
	WRITE_ONCE(adapter->dpc_enabled, false);
	return ret;
}

/**
 * dxgk_sched_stop - disconnect the interrupt and drain the DPC
 * @adapter: an adapter about to get DxgkDdiStopDevice
 *
 * Waiters on paging fences are gone by then: the DRM device was unplugged,
 * which waits for ioctls in progress.
 */
void dxgk_sched_stop(struct dxgk_adapter *adapter)
{
	if (adapter->irq) {
		free_irq(adapter->irq, adapter);
		pci_free_irq_vectors(adapter->pci);
		adapter->irq = 0;
	}
	WRITE_ONCE(adapter->dpc_enabled, false);
	flush_work(&adapter->dpc);
}

/**
 * dxgk_cb_queue_dpc - DxgkCbQueueDpc: queue the adapter's DPC
 * @DeviceHandle: the adapter's DeviceHandle
 *
 * Context: any, including the interrupt routine.
 * Returns: TRUE if the DPC was queued, FALSE if it was already queued, or
 * the adapter has no DPC routine or is stopping.
 */
BOOLEAN dxgk_cb_queue_dpc(HANDLE DeviceHandle)
{
	struct dxgk_adapter *adapter = dxgk_adapter_get(DeviceHandle, __func__);

	if (!adapter || !READ_ONCE(adapter->dpc_enabled))
		return FALSE;
	return queue_work(dxgk_dpc_wq, &adapter->dpc);
}

/**
 * dxgk_cb_synchronize_execution - DxgkCbSynchronizeExecution
 * @DeviceHandle: the adapter's DeviceHandle
 * @SynchronizeRoutine: called with the interrupt spinlock held, IRQs off
 * @Context: its argument
 * @MessageNumber: the interrupt message to synchronize with; only 0
 * @ReturnValue: receives the routine's return value
 *
 * Context: any context at or below the interrupt's level, not from the
 * interrupt routine itself (the lock is not recursive, as on Windows).
 * Returns: STATUS_SUCCESS, or STATUS_INVALID_PARAMETER for a NULL routine
 * or ReturnValue, a MessageNumber other than 0, or an invalid handle.
 */
NTSTATUS dxgk_cb_synchronize_execution(HANDLE DeviceHandle,
				       PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
				       PVOID Context, ULONG MessageNumber,
				       PBOOLEAN ReturnValue)
{
	struct dxgk_adapter *adapter = dxgk_adapter_get(DeviceHandle, __func__);
	unsigned long flags;
	BOOLEAN ret;

	if (!adapter || !SynchronizeRoutine || !ReturnValue || MessageNumber)
		return STATUS_INVALID_PARAMETER;
	spin_lock_irqsave(&adapter->irq_lock, flags);
	ret = SynchronizeRoutine(Context);
	spin_unlock_irqrestore(&adapter->irq_lock, flags);
	*ReturnValue = ret;
	return STATUS_SUCCESS;
}

/**
 * dxgk_cb_notify_interrupt - DxgkCbNotifyInterrupt
 * @hAdapter: the adapter's DeviceHandle
 * @pNotifyInterruptData: what happened
 *
 * DMA_COMPLETED advances the completed fence of node 0; DMA_FAULTED
 * records the faulted fence and its status. A fence that was never
 * submitted, a node or engine other than 0 and other interrupt types are
 * misuse, and ignored.
 *
 * Context: the interrupt routine or a routine run by
 * DxgkCbSynchronizeExecution (the interrupt spinlock held).
 */
void dxgk_cb_notify_interrupt(IN_CONST_HANDLE hAdapter,
			      IN_CONST_PDXGKARGCB_NOTIFY_INTERRUPT_DATA pNotifyInterruptData)
{
	struct dxgk_adapter *adapter = dxgk_adapter_get(hAdapter, __func__);
	const DXGKARGCB_NOTIFY_INTERRUPT_DATA *d = pNotifyInterruptData;
	u32 fence;

	if (!adapter || !d)
		return;
	lockdep_assert_held(&adapter->irq_lock);

	switch (d->InterruptType) {
	case DXGK_INTERRUPT_DMA_COMPLETED:
		fence = d->DmaCompleted.SubmissionFenceId;
		if (d->DmaCompleted.NodeOrdinal || d->DmaCompleted.EngineOrdinal ||
		    (s32)(fence - READ_ONCE(adapter->fence_submitted)) > 0) {
			dxgk_misuse("%s: DMA_COMPLETED fence %u node %u engine %u not submitted\n",
				    __func__, fence, d->DmaCompleted.NodeOrdinal,
				    d->DmaCompleted.EngineOrdinal);
			return;
		}
		if ((s32)(fence - adapter->fence_isr) > 0)
			adapter->fence_isr = fence;
		return;
	case DXGK_INTERRUPT_DMA_FAULTED:
		fence = d->DmaFaulted.FaultedFenceId;
		if (d->DmaFaulted.NodeOrdinal || d->DmaFaulted.EngineOrdinal ||
		    (s32)(fence - READ_ONCE(adapter->fence_submitted)) > 0 ||
		    NT_SUCCESS(d->DmaFaulted.Status)) {
			dxgk_misuse("%s: bad DMA_FAULTED report for fence %u\n",
				    __func__, fence);
			return;
		}
		adapter->fault_fence_isr = fence;
		adapter->fault_status_isr = d->DmaFaulted.Status;
		if ((s32)(fence - adapter->fence_isr) > 0)
			adapter->fence_isr = fence;
		return;
	default:
		dxgk_misuse("%s: interrupt type %d is not supported\n", __func__,
			    d->InterruptType);
		return;
	}
}

/**
 * dxgk_cb_notify_dpc - DxgkCbNotifyDpc
 * @hAdapter: the adapter's DeviceHandle
 *
 * Publishes the fences DxgkCbNotifyInterrupt recorded and wakes the paging
 * queue.
 *
 * Context: the miniport's DPC routine.
 */
void dxgk_cb_notify_dpc(IN_CONST_HANDLE hAdapter)
{
	struct dxgk_adapter *adapter = dxgk_adapter_get(hAdapter, __func__);
	unsigned long flags;

	if (!adapter)
		return;
	spin_lock_irqsave(&adapter->irq_lock, flags);
	adapter->fence_done = adapter->fence_isr;
	adapter->fault_fence = adapter->fault_fence_isr;
	adapter->fault_status = adapter->fault_status_isr;
	spin_unlock_irqrestore(&adapter->irq_lock, flags);
	wake_up_all(&adapter->fence_wq);
}

static bool dxgk_fence_passed(struct dxgk_adapter *adapter, u32 fence)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&adapter->irq_lock, flags);
	done = (s32)(adapter->fence_done - fence) >= 0;
	spin_unlock_irqrestore(&adapter->irq_lock, flags);
	return done;
}

/* A fence timed out: reset the engine, as a TDR does. */
static void dxgk_tdr(struct dxgk_adapter *adapter, u32 fence)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	NTSTATUS status = STATUS_NOT_SUPPORTED;

	atomic64_inc(&adapter->n_tdr);
	dev_warn(adapter->dev, "paging fence %u not done after %u ms: resetting the engine\n",
		 fence, dxgk_tdr_delay_ms);
	if (adapter->irq)
		disable_irq(adapter->irq);
	flush_work(&adapter->dpc);
	if (init->DxgkDdiResetFromTimeout)
		status = init->DxgkDdiResetFromTimeout(adapter->ctx);
	spin_lock_irq(&adapter->irq_lock);
	adapter->fence_isr = adapter->fence_submitted;
	adapter->fence_done = adapter->fence_submitted;
	spin_unlock_irq(&adapter->irq_lock);
	if (adapter->irq)
		enable_irq(adapter->irq);
	if (NT_SUCCESS(status) && init->DxgkDdiRestartFromTimeout)
		status = init->DxgkDdiRestartFromTimeout(adapter->ctx);
	if (!NT_SUCCESS(status)) {
		dev_err(adapter->dev, "engine reset failed (%#x): paging disabled\n",
			status);
		adapter->wedged = true;
	}
}

/* Submit the paging buffer built so far and wait for it. */
static NTSTATUS dxgk_paging_flush(struct dxgk_adapter *adapter)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	DXGKARG_SUBMITCOMMAND submit = { 0 };
	NTSTATUS status;
	long left;
	u32 fence;

	if (!adapter->pb_used && !adapter->pb_priv_used)
		return STATUS_SUCCESS;

	fence = adapter->fence_submitted + 1;
	submit.DmaBufferSize = DXGK_PAGING_DMA_SIZE;
	submit.DmaBufferSubmissionEndOffset = adapter->pb_used;
	submit.pDmaBufferPrivateData = adapter->pb_priv;
	submit.DmaBufferPrivateDataSize = DXGK_PAGING_PRIVATE_SIZE;
	submit.DmaBufferPrivateDataSubmissionEndOffset = adapter->pb_priv_used;
	submit.SubmissionFenceId = fence;
	submit.Flags.Paging = 1;
	WRITE_ONCE(adapter->fence_submitted, fence);
	adapter->pb_used = 0;
	adapter->pb_priv_used = 0;

	status = init->DxgkDdiSubmitCommand(adapter->ctx, &submit);
	if (!NT_SUCCESS(status)) {
		/* Nothing runs: the fence is done. */
		spin_lock_irq(&adapter->irq_lock);
		adapter->fence_isr = fence;
		adapter->fence_done = fence;
		spin_unlock_irq(&adapter->irq_lock);
		return status;
	}
	atomic64_inc(&adapter->n_submit);

	left = wait_event_timeout(adapter->fence_wq,
				  dxgk_fence_passed(adapter, fence),
				  msecs_to_jiffies(READ_ONCE(dxgk_tdr_delay_ms)));
	if (!left && !dxgk_fence_passed(adapter, fence)) {
		dxgk_tdr(adapter, fence);
		return STATUS_IO_TIMEOUT;
	}
	if (adapter->fault_fence == fence && !NT_SUCCESS(adapter->fault_status))
		return adapter->fault_status;
	return STATUS_SUCCESS;
}

/*
 * Have the miniport build one paging operation, submitting whenever the
 * paging buffer is full.
 */
static NTSTATUS dxgk_paging_op(struct dxgk_adapter *adapter,
			       DXGKARG_BUILDPAGINGBUFFER *op)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	u8 *dma = adapter->pb_dma, *priv = adapter->pb_priv;
	NTSTATUS status;
	size_t used, priv_used;

	op->MultipassOffset = 0;
	for (;;) {
		op->pDmaBuffer = dma + adapter->pb_used;
		op->DmaSize = DXGK_PAGING_DMA_SIZE - adapter->pb_used;
		op->pDmaBufferPrivateData = priv + adapter->pb_priv_used;
		op->DmaBufferPrivateDataSize = DXGK_PAGING_PRIVATE_SIZE -
					       adapter->pb_priv_used;
		status = init->DxgkDdiBuildPagingBuffer(adapter->ctx, op);

		used = (u8 *)op->pDmaBuffer - dma;
		priv_used = (u8 *)op->pDmaBufferPrivateData - priv;
		if ((u8 *)op->pDmaBuffer < dma + adapter->pb_used ||
		    used > DXGK_PAGING_DMA_SIZE ||
		    (u8 *)op->pDmaBufferPrivateData < priv + adapter->pb_priv_used ||
		    priv_used > DXGK_PAGING_PRIVATE_SIZE) {
			dxgk_misuse("DxgkDdiBuildPagingBuffer: buffer pointers out of range\n");
			adapter->pb_used = 0;
			adapter->pb_priv_used = 0;
			return STATUS_INVALID_PARAMETER;
		}
		if (status != STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER) {
			adapter->pb_used = used;
			adapter->pb_priv_used = priv_used;
			return status;
		}
		if (!used && !priv_used) {
			/* Does not fit in an empty buffer either. */
			return STATUS_INSUFFICIENT_RESOURCES;
		}
		adapter->pb_used = used;
		adapter->pb_priv_used = priv_used;
		status = dxgk_paging_flush(adapter);
		if (!NT_SUCCESS(status))
			return status;
	}
}

static NTSTATUS dxgk_paging_map(struct dxgk_adapter *adapter, SIZE_T first,
				const DXGK_ADL *adl)
{
	DXGKARG_BUILDPAGINGBUFFER op = {
		.Operation = DXGK_OPERATION_MAP_APERTURE_SEGMENT2,
		.MapApertureSegment2 = {
			.SegmentId = DXGK_PAGING_APERTURE_SEGMENT,
			.OffsetInPages = first,
			.NumberOfPages = adl->PageCount,
			.Adl = *adl,
		},
	};

	return dxgk_paging_op(adapter, &op);
}

static NTSTATUS dxgk_paging_unmap(struct dxgk_adapter *adapter, SIZE_T first,
				  SIZE_T npages)
{
	DXGKARG_BUILDPAGINGBUFFER op = {
		.Operation = DXGK_OPERATION_UNMAP_APERTURE_SEGMENT,
		.UnmapApertureSegment = {
			.SegmentId = DXGK_PAGING_APERTURE_SEGMENT,
			.OffsetInPages = first,
			.NumberOfPages = npages,
		},
	};

	return dxgk_paging_op(adapter, &op);
}

/*
 * One pass: both ranges fit in their half of the aperture. @dst_adl, if
 * not NULL, replaces the destination's ADL (the isolation test passes a
 * stale one).
 */
static NTSTATUS dxgk_paging_pass(struct dxgk_adapter *adapter,
				 const DXGK_ADL *src, u64 src_off,
				 const DXGK_ADL *dst, u64 dst_off, u64 size)
{
	const SIZE_T half = DXGK_PAGING_APERTURE_PAGES / 2;
	DXGKARG_BUILDPAGINGBUFFER op = {
		.Operation = DXGK_OPERATION_TRANSFER,
		.Transfer = {
			.TransferSize = size,
			.Source = {
				.SegmentId = DXGK_PAGING_APERTURE_SEGMENT,
				.SegmentAddress.QuadPart = offset_in_page(src_off),
			},
			.Destination = {
				.SegmentId = DXGK_PAGING_APERTURE_SEGMENT,
				.SegmentAddress.QuadPart = half * PAGE_SIZE +
							   offset_in_page(dst_off),
			},
			.Flags.TransferStart = 1,
			.Flags.TransferEnd = 1,
		},
	};
	NTSTATUS status, status2;

	status = dxgk_paging_map(adapter, 0, src);
	if (!NT_SUCCESS(status))
		return status;
	status = dxgk_paging_map(adapter, half, dst);
	if (NT_SUCCESS(status)) {
		status = dxgk_paging_op(adapter, &op);
		status2 = dxgk_paging_unmap(adapter, half, dst->PageCount);
		if (NT_SUCCESS(status))
			status = status2;
	}
	status2 = dxgk_paging_unmap(adapter, 0, src->PageCount);
	if (NT_SUCCESS(status))
		status = status2;
	/* The ADLs must outlive the GPU's use of them. */
	status2 = dxgk_paging_flush(adapter);
	return NT_SUCCESS(status) ? status2 : status;
}

/* An ADL of the pages holding [off, off + size); *adl is the port's. */
static NTSTATUS dxgk_paging_adl(HANDLE hamo, u64 off, u64 size, DXGK_ADL **adl)
{
	DXGKARGCB_ALLOCATE_ADL args = {
		.hAdapterMemoryObject = hamo,
		.Offset = round_down(off, PAGE_SIZE),
		.Size = round_up(off + size, PAGE_SIZE) - round_down(off, PAGE_SIZE),
		.Flags.PreferContiguous = 1,
	};
	NTSTATUS status = dxgk_cb_allocate_adl(&args);

	*adl = args.pAdl;
	return status;
}

static void dxgk_paging_free_adl(HANDLE hamo, DXGK_ADL *adl)
{
	DXGKARGCB_FREE_ADL args = { .hAdapterMemoryObject = hamo, .pAdl = adl };

	dxgk_cb_free_adl(&args);
}

static NTSTATUS dxgk_paging_begin(struct dxgk_adapter *adapter)
{
	if (!adapter->mp->init.DxgkDdiBuildPagingBuffer ||
	    !adapter->mp->init.DxgkDdiSubmitCommand || !adapter->irq)
		return STATUS_NOT_SUPPORTED;
	if (adapter->wedged)
		return STATUS_DEVICE_NOT_READY;
	return STATUS_SUCCESS;
}

/**
 * dxgk_paging_copy - copy bytes between two PMOs with the adapter's engine
 * @adapter: the adapter
 * @src_amo: source AMO (opened on @adapter)
 * @src_off: byte offset in the source
 * @dst_amo: destination AMO (opened on @adapter)
 * @dst_off: byte offset in the destination
 * @size: bytes to copy, within both objects (checked by the caller)
 *
 * Context: process context; sleeps. A fatal signal is noticed while
 * waiting for another copy and between passes of 64 KiB.
 * Returns: STATUS_SUCCESS; STATUS_NOT_SUPPORTED if the miniport has no
 * paging DDIs or no interrupt; STATUS_DEVICE_NOT_READY after a failed
 * reset; STATUS_IO_TIMEOUT after a reset; STATUS_CANCELLED on a fatal
 * signal; the AllocateAdl, BuildPagingBuffer, SubmitCommand or DMA_FAULTED
 * status.
 */
NTSTATUS dxgk_paging_copy(struct dxgk_adapter *adapter, HANDLE src_amo,
			  u64 src_off, HANDLE dst_amo, u64 dst_off, u64 size)
{
	/* At most 64 KiB a pass: a fatal signal is seen between passes. */
	const u64 chunk = min(DXGK_PAGING_APERTURE_PAGES / 2 - 1, 16) * PAGE_SIZE;
	NTSTATUS status;

	might_sleep();
	if (mutex_lock_killable(&adapter->paging_lock))
		return STATUS_CANCELLED;
	status = dxgk_paging_begin(adapter);
	while (NT_SUCCESS(status) && size) {
		u64 n = min(size, chunk);
		DXGK_ADL *src, *dst;

		if (fatal_signal_pending(current)) {
			status = STATUS_CANCELLED;
			break;
		}
		status = dxgk_paging_adl(src_amo, src_off, n, &src);
		if (!NT_SUCCESS(status))
			break;
		status = dxgk_paging_adl(dst_amo, dst_off, n, &dst);
		if (NT_SUCCESS(status)) {
			status = dxgk_paging_pass(adapter, src, src_off, dst,
						  dst_off, n);
			dxgk_paging_free_adl(dst_amo, dst);
		}
		dxgk_paging_free_adl(src_amo, src);
		src_off += n;
		dst_off += n;
		size -= n;
	}
	mutex_unlock(&adapter->paging_lock);
	return status;
}
EXPORT_SYMBOL_NS_GPL(dxgk_paging_copy, DXGKCOMPAT_INTERNAL);

/**
 * dxgk_paging_copy_to_adl - the isolation test: copy into a forged ADL
 * @adapter: the adapter
 * @src: a live ADL of the source pages
 * @src_off: byte offset of the data in @src's first page
 * @dst: the destination ADL, one the port no longer (or never) mapped
 * @dst_off: byte offset in its first page
 * @size: bytes, within both ADLs' pages
 *
 * Only for DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA: the device writes to
 * device addresses no ADL covers, which the IOMMU must refuse. The caller
 * allocates @src before it makes @dst stale, so that no IOVA is handed out
 * between its check that @dst is unmapped and the DMA.
 *
 * Returns: as dxgk_paging_copy().
 */
NTSTATUS dxgk_paging_copy_to_adl(struct dxgk_adapter *adapter,
				 const DXGK_ADL *src, u64 src_off,
				 const DXGK_ADL *dst, u64 dst_off, u64 size)
{
	NTSTATUS status;

	might_sleep();
	if (mutex_lock_killable(&adapter->paging_lock))
		return STATUS_CANCELLED;
	status = dxgk_paging_begin(adapter);
	if (NT_SUCCESS(status))
		status = dxgk_paging_pass(adapter, src, src_off, dst, dst_off,
					  size);
	mutex_unlock(&adapter->paging_lock);
	return status;
}

/**
 * dxgk_sched_show - the adapter's interrupt and paging counters
 * @m: the debugfs file
 * @adapter: the adapter
 */
void dxgk_sched_show(struct seq_file *m, struct dxgk_adapter *adapter)
{
	seq_printf(m, " irq %d interrupts %lld dpcs %lld submissions %lld timeouts %lld fence %u/%u%s",
		   adapter->irq, (long long)atomic64_read(&adapter->n_irq),
		   (long long)atomic64_read(&adapter->n_dpc),
		   (long long)atomic64_read(&adapter->n_submit),
		   (long long)atomic64_read(&adapter->n_tdr),
		   READ_ONCE(adapter->fence_done),
		   READ_ONCE(adapter->fence_submitted),
		   adapter->wedged ? " wedged" : "");
}
