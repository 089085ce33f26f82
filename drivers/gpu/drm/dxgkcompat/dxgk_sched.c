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
#include "dxgk_trace.h"

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
 * A copy takes the adapter's paging lock for one pass at a time and, when
 * other copies wait for it, lets one of them go before its next pass, so
 * copies on one adapter take turns pass by pass: none waits for another's
 * whole copy.
 *
 * A fence that does not complete within the tdr_delay_ms module parameter
 * is a timeout: the port disables the interrupt, flushes the DPC, calls
 * DxgkDdiResetFromTimeout and DxgkDdiRestartFromTimeout, treats every
 * submitted fence as done, enables the interrupt again and fails the copy
 * with STATUS_IO_TIMEOUT. When the reset or the restart fails, the device
 * may still be running what it was given: the port leaves its interrupt
 * disabled, turns bus mastering off (PCI), keeps the ADLs of the
 * interrupted pass mapped until the adapter is stopped, and refuses
 * further paging with STATUS_DEVICE_NOT_READY.
 *
 * Removing the adapter (unbind, the miniport's unload, PCI removal) first
 * stops paging: a copy waiting for a fence resets the engine at once, as
 * for a timeout, and fails with STATUS_DEVICE_REMOVED; passes not yet
 * started fail the same way. The DRM device is unplugged after that, and
 * waits for the copy ioctls still inside, so no copy outlives its
 * adapter's interrupt, registers, ADLs or miniport.
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
EXPORT_SYMBOL_NS_GPL(dxgk_sched_set_tdr_delay, DXGK_NS);

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

	/* A device that failed to reset is masked: not ours any more. */
	if (READ_ONCE(adapter->wedged))
		return IRQ_NONE;
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
	spin_lock_init(&adapter->dpc_lock);
	INIT_WORK(&adapter->dpc, dxgk_dpc_work);
	init_waitqueue_head(&adapter->fence_wq);
	mutex_init(&adapter->paging_lock);
	init_waitqueue_head(&adapter->paging_wq);
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

	spin_lock_irq(&adapter->dpc_lock);
	adapter->dpc_enabled = !!init->DxgkDdiDpcRoutine;
	spin_unlock_irq(&adapter->dpc_lock);
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
	spin_lock_irq(&adapter->dpc_lock);
	adapter->dpc_enabled = false;
	spin_unlock_irq(&adapter->dpc_lock);
	return ret;
}

/**
 * dxgk_sched_removing - stop paging on an adapter that is being removed
 * @adapter: the adapter
 *
 * A copy waiting for a fence resets the engine and fails with
 * STATUS_DEVICE_REMOVED; no new pass starts. Called before the DRM device
 * is unplugged, which then waits for the copy ioctls still running.
 */
void dxgk_sched_removing(struct dxgk_adapter *adapter)
{
	WRITE_ONCE(adapter->removing, true);
	wake_up_all(&adapter->fence_wq);
}

/**
 * dxgk_sched_stop - disconnect the interrupt and drain the DPC
 * @adapter: an adapter about to get DxgkDdiStopDevice
 *
 * No copy is running by then (dxgk_sched_removing(), then the DRM device's
 * unplug). After this returns no DPC runs or is queued, whoever calls
 * DxgkCbQueueDpc.
 */
void dxgk_sched_stop(struct dxgk_adapter *adapter)
{
	if (adapter->irq) {
		free_irq(adapter->irq, adapter);
		pci_free_irq_vectors(adapter->pci);
		adapter->irq = 0;
	}
	spin_lock_irq(&adapter->dpc_lock);
	adapter->dpc_enabled = false;
	spin_unlock_irq(&adapter->dpc_lock);
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
	unsigned long flags;
	bool queued = false;

	if (!adapter)
		return FALSE;
	/* Checked and queued in one step: dxgk_sched_stop() flushes after. */
	spin_lock_irqsave(&adapter->dpc_lock, flags);
	if (adapter->dpc_enabled)
		queued = queue_work(dxgk_dpc_wq, &adapter->dpc);
	spin_unlock_irqrestore(&adapter->dpc_lock, flags);
	return queued;
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

/*
 * A fence timed out, or the adapter is going with one pending: reset the
 * engine, as a TDR does. A device that failed to reset may still be
 * running: it keeps its interrupt disabled and loses bus mastering.
 */
static void dxgk_tdr(struct dxgk_adapter *adapter, u32 fence)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	NTSTATUS status = STATUS_NOT_SUPPORTED;

	if (READ_ONCE(adapter->removing)) {
		dev_info(adapter->dev, "removed with paging fence %u pending: resetting the engine\n",
			 fence);
	} else {
		atomic64_inc(&adapter->n_tdr);
		dev_warn(adapter->dev, "paging fence %u not done after %u ms: resetting the engine\n",
			 fence, dxgk_tdr_delay_ms);
	}
	if (adapter->irq)
		disable_irq(adapter->irq);
	flush_work(&adapter->dpc);
	if (init->DxgkDdiResetFromTimeout)
		status = init->DxgkDdiResetFromTimeout(adapter->ctx);
	spin_lock_irq(&adapter->irq_lock);
	adapter->fence_isr = adapter->fence_submitted;
	adapter->fence_done = adapter->fence_submitted;
	spin_unlock_irq(&adapter->irq_lock);
	if (NT_SUCCESS(status) && init->DxgkDdiRestartFromTimeout)
		status = init->DxgkDdiRestartFromTimeout(adapter->ctx);
	if (NT_SUCCESS(status)) {
		if (adapter->irq)
			enable_irq(adapter->irq);
		return;
	}
	dev_err(adapter->dev, "engine reset failed (%#x): paging disabled, bus mastering off\n",
		status);
	WRITE_ONCE(adapter->wedged, true);
	if (!adapter->pci)
		return;
	pci_clear_master(adapter->pci);
	/*
	 * An MSI is the device's own: it stays disabled. A shared INTx line
	 * is masked at the device instead, and given back to the others.
	 */
	if (adapter->irq && !adapter->pci->msi_enabled && !adapter->pci->msix_enabled) {
		pci_intx(adapter->pci, 0);
		enable_irq(adapter->irq);
	}
}

/* Whether a paging operation may go to the device now. */
static NTSTATUS dxgk_paging_state(struct dxgk_adapter *adapter)
{
	if (READ_ONCE(adapter->removing))
		return STATUS_DEVICE_REMOVED;
	if (adapter->wedged)
		return STATUS_DEVICE_NOT_READY;
	return STATUS_SUCCESS;
}

/* Submit the paging buffer built so far and wait for it. */
static NTSTATUS dxgk_paging_flush(struct dxgk_adapter *adapter)
{
	const DRIVER_INITIALIZATION_DATA *init = &adapter->mp->init;
	DXGKARG_SUBMITCOMMAND submit = { 0 };
	NTSTATUS status;
	u32 fence, ops;

	if (!adapter->pb_used && !adapter->pb_priv_used)
		return STATUS_SUCCESS;
	status = dxgk_paging_state(adapter);
	if (!NT_SUCCESS(status)) {
		/* What was built is dropped: it never reaches the device. */
		adapter->pb_used = 0;
		adapter->pb_priv_used = 0;
		adapter->pb_ops = 0;
		return status;
	}

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
	ops = adapter->pb_ops;
	adapter->pb_ops = 0;

	status = init->DxgkDdiSubmitCommand(adapter->ctx, &submit);
	trace_dxgk_paging_submit(adapter, fence, ops, status);
	if (!NT_SUCCESS(status)) {
		/* Nothing runs: the fence is done. */
		spin_lock_irq(&adapter->irq_lock);
		adapter->fence_isr = fence;
		adapter->fence_done = fence;
		spin_unlock_irq(&adapter->irq_lock);
		return status;
	}
	atomic64_inc(&adapter->n_submit);

	wait_event_timeout(adapter->fence_wq,
			   dxgk_fence_passed(adapter, fence) ||
			   READ_ONCE(adapter->removing),
			   msecs_to_jiffies(READ_ONCE(dxgk_tdr_delay_ms)));
	if (!dxgk_fence_passed(adapter, fence)) {
		trace_dxgk_paging_timeout(adapter, fence, ops,
					  READ_ONCE(adapter->removing) ?
					  STATUS_DEVICE_REMOVED : STATUS_IO_TIMEOUT);
		dxgk_tdr(adapter, fence);
		return READ_ONCE(adapter->removing) ? STATUS_DEVICE_REMOVED :
						      STATUS_IO_TIMEOUT;
	}
	trace_dxgk_paging_complete(adapter, fence, ops,
				   adapter->fault_fence == fence ?
				   adapter->fault_status : STATUS_SUCCESS);
	if (adapter->fault_fence == fence && !NT_SUCCESS(adapter->fault_status))
		return adapter->fault_status;
	return STATUS_SUCCESS;
}

/*
 * Have the miniport build one paging operation, submitting whenever the
 * paging buffer is full.
 */
/* @op went (in part) into the paging buffer: its bit for the trace events. */
static void dxgk_paging_op_built(struct dxgk_adapter *adapter,
				 const DXGKARG_BUILDPAGINGBUFFER *op)
{
	if (op->Operation < 32)
		adapter->pb_ops |= BIT(op->Operation);
}

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
			adapter->pb_ops = 0;
			return STATUS_INVALID_PARAMETER;
		}
		if (status != STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER) {
			/* A failed operation leaves nothing for the next pass. */
			if (NT_SUCCESS(status)) {
				adapter->pb_used = used;
				adapter->pb_priv_used = priv_used;
				dxgk_paging_op_built(adapter, op);
			}
			return status;
		}
		if (!used && !priv_used) {
			/* Does not fit in an empty buffer either. */
			return STATUS_INSUFFICIENT_RESOURCES;
		}
		adapter->pb_used = used;
		adapter->pb_priv_used = priv_used;
		/* this pass's part of the operation goes with this flush */
		dxgk_paging_op_built(adapter, op);
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

/* One pass: both ranges fit in their half of the aperture. */
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

/**
 * dxgk_paging_put_adl - done with an ADL the port used in a pass
 * @adapter: the adapter, paging lock held
 * @hamo: the ADL's AMO
 * @adl: the ADL
 *
 * Freed, unless a reset failed during the pass and the device may still
 * reach the pages; then it stays mapped until dxgk_paging_release_held()
 * after StopDevice.
 */
void dxgk_paging_put_adl(struct dxgk_adapter *adapter, HANDLE hamo, DXGK_ADL *adl)
{
	lockdep_assert_held(&adapter->paging_lock);
	if (!adapter->wedged) {
		dxgk_paging_free_adl(hamo, adl);
		return;
	}
	/*
	 * Once wedged no pass starts, so one pass's ADLs are all there are;
	 * one more stays with its AMO, released at adapter removal.
	 */
	if (WARN_ON_ONCE(adapter->n_held == ARRAY_SIZE(adapter->held)))
		return;
	adapter->held[adapter->n_held].hamo = hamo;
	adapter->held[adapter->n_held].adl = adl;
	adapter->n_held++;
}

/**
 * dxgk_paging_release_held - free the ADLs a failed reset kept
 * @adapter: an adapter whose device was stopped (DxgkDdiStopDevice), its
 *	device lock held (removal or a failed probe)
 *
 * A PCI device that failed its reset is reset by the PCI core first (a
 * function or bus reset, when it has one), so that a rebind, which turns
 * bus mastering on again, does not let it resume a DMA into freed pages.
 */
void dxgk_paging_release_held(struct dxgk_adapter *adapter)
{
	int ret;

	if (READ_ONCE(adapter->wedged) && adapter->pci) {
		ret = pci_reset_function_locked(adapter->pci);
		if (ret)
			dev_warn(adapter->dev, "no PCI reset for a device that failed its engine reset (%d): bus mastering stays off until it is bound again\n",
				 ret);
	}
	mutex_lock(&adapter->paging_lock);
	while (adapter->n_held) {
		struct dxgk_held_adl *h = &adapter->held[--adapter->n_held];

		dxgk_paging_free_adl(h->hamo, h->adl);
	}
	mutex_unlock(&adapter->paging_lock);
}

static NTSTATUS dxgk_paging_begin(struct dxgk_adapter *adapter)
{
	if (!adapter->mp->init.DxgkDdiBuildPagingBuffer ||
	    !adapter->mp->init.DxgkDdiSubmitCommand || !adapter->irq)
		return STATUS_NOT_SUPPORTED;
	return dxgk_paging_state(adapter);
}

/* Take the paging lock for one pass and check that paging may go on. */
static NTSTATUS dxgk_paging_lock(struct dxgk_adapter *adapter)
{
	NTSTATUS status;
	int ret;

	atomic_inc(&adapter->paging_waiters);
	ret = mutex_lock_killable(&adapter->paging_lock);
	atomic_dec(&adapter->paging_waiters);
	if (ret)
		return STATUS_CANCELLED;
	/* A copy that yielded its turn goes on once this one has started. */
	WRITE_ONCE(adapter->paging_turns, adapter->paging_turns + 1);
	wake_up_all(&adapter->paging_wq);
	/* Every pass ends with a flush or a refused one: the buffer is empty. */
	if (WARN_ON_ONCE(adapter->pb_used || adapter->pb_priv_used)) {
		adapter->pb_used = 0;
		adapter->pb_priv_used = 0;
	}
	adapter->pb_ops = 0;
	status = dxgk_paging_begin(adapter);
	if (!NT_SUCCESS(status))
		mutex_unlock(&adapter->paging_lock);
	return status;
}

/* One pass of a copy, paging lock held: its ADLs, the pass, their release. */
static NTSTATUS dxgk_paging_copy_pass(struct dxgk_adapter *adapter,
				      HANDLE src_amo, u64 src_off,
				      HANDLE dst_amo, u64 dst_off, u64 n)
{
	DXGK_ADL *src, *dst;
	NTSTATUS status;

	status = dxgk_paging_adl(src_amo, src_off, n, &src);
	if (!NT_SUCCESS(status))
		return status;
	status = dxgk_paging_adl(dst_amo, dst_off, n, &dst);
	if (NT_SUCCESS(status)) {
		status = dxgk_paging_pass(adapter, src, src_off, dst, dst_off, n);
		dxgk_paging_put_adl(adapter, dst_amo, dst);
	}
	dxgk_paging_put_adl(adapter, src_amo, src);
	return status;
}

/*
 * Between two passes of a copy: if other copies wait for the paging lock,
 * let one of them take it first. A mutex alone would not: the copy that
 * just unlocked takes it again before the woken waiter runs. Bounded, in
 * case the waiter is slow to be scheduled or gives up.
 */
static void dxgk_paging_yield(struct dxgk_adapter *adapter)
{
	unsigned long turn = READ_ONCE(adapter->paging_turns);

	if (!atomic_read(&adapter->paging_waiters))
		return;
	wait_event_timeout(adapter->paging_wq,
			   READ_ONCE(adapter->paging_turns) != turn ||
			   !atomic_read(&adapter->paging_waiters),
			   msecs_to_jiffies(100));
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
 * The copy runs in passes of at most 64 KiB, each under the adapter's
 * paging lock, so other copies on the adapter run between them.
 *
 * Context: process context; sleeps. A fatal signal is noticed while
 * waiting for the paging lock and between passes.
 * Returns: STATUS_SUCCESS; STATUS_NOT_SUPPORTED if the miniport has no
 * paging DDIs or no interrupt; STATUS_DEVICE_NOT_READY after a failed
 * reset; STATUS_DEVICE_REMOVED when the adapter is being removed;
 * STATUS_IO_TIMEOUT after a reset; STATUS_CANCELLED on a fatal signal; the
 * AllocateAdl, BuildPagingBuffer, SubmitCommand or DMA_FAULTED status.
 * On failure, some of the bytes may have been copied.
 */
NTSTATUS dxgk_paging_copy(struct dxgk_adapter *adapter, HANDLE src_amo,
			  u64 src_off, HANDLE dst_amo, u64 dst_off, u64 size)
{
	/* At most 64 KiB a pass: a fatal signal is seen between passes. */
	const u64 chunk = min(DXGK_PAGING_APERTURE_PAGES / 2 - 1, 16) * PAGE_SIZE;
	NTSTATUS status = STATUS_SUCCESS;

	might_sleep();
	while (NT_SUCCESS(status) && size) {
		u64 n = min(size, chunk);

		if (fatal_signal_pending(current))
			return STATUS_CANCELLED;
		status = dxgk_paging_lock(adapter);
		if (!NT_SUCCESS(status))
			break;
		status = dxgk_paging_copy_pass(adapter, src_amo, src_off, dst_amo,
					       dst_off, n);
		mutex_unlock(&adapter->paging_lock);
		src_off += n;
		dst_off += n;
		size -= n;
		if (NT_SUCCESS(status) && size)
			dxgk_paging_yield(adapter);
	}
	return status;
}
EXPORT_SYMBOL_NS_GPL(dxgk_paging_copy, DXGK_NS);

/**
 * dxgk_paging_copy_to_adl - the isolation test: copy into a forged ADL
 * @adapter: the adapter
 * @src_amo: the source AMO: its first page is the source
 * @dst_page: makes the destination ADL, one the port no longer (or never)
 *	mapped; it gets the source's ADL too, and may run passes of its own
 *	(dxgk_paging_read_adl())
 * @ctx: its argument
 * @dst_off: byte offset in the destination's page
 * @size: bytes, within one page from @dst_off
 *
 * Only for DRM_IOCTL_DXGKCOMPAT_TEST_STALE_DMA: the device writes to
 * device addresses no ADL covers, which the IOMMU must refuse. The source's
 * ADL, @dst_page's check that its address is unmapped and the DMA all run
 * under the paging lock, so no copy allocates an IOVA in between.
 *
 * Returns: as dxgk_paging_copy(), or what @dst_page returned.
 */
NTSTATUS dxgk_paging_copy_to_adl(struct dxgk_adapter *adapter, HANDLE src_amo,
				 NTSTATUS (*dst_page)(void *ctx, const DXGK_ADL *src,
						      DXGK_ADL *dst),
				 void *ctx, u64 dst_off, u64 size)
{
	DXGK_ADL dst = { .PageCount = 1, .Flags.Contiguous = 1 };
	DXGK_ADL *src;
	NTSTATUS status;

	might_sleep();
	status = dxgk_paging_lock(adapter);
	if (!NT_SUCCESS(status))
		return status;
	/* The source's IOVA first: none is allocated after the check. */
	status = dxgk_paging_adl(src_amo, 0, PAGE_SIZE, &src);
	if (NT_SUCCESS(status)) {
		status = dst_page(ctx, src, &dst);
		if (NT_SUCCESS(status)) {
			dev_info(adapter->dev,
				 "test: expecting an IOMMU fault: DMA write to %#llx\n",
				 (u64)dst.BasePageNumber << PAGE_SHIFT);
			status = dxgk_paging_pass(adapter, src, 0, &dst, dst_off,
						  size);
		}
		dxgk_paging_put_adl(adapter, src_amo, src);
	}
	mutex_unlock(&adapter->paging_lock);
	return status;
}

/**
 * dxgk_paging_read_adl - the isolation test: the device reads an ADL
 * @adapter: the adapter, paging lock held (from a dxgk_paging_copy_to_adl()
 *	callback)
 * @from: the ADL the device reads, from its first byte
 * @into: where it writes what it read
 * @into_off: byte offset in @into's first page
 * @size: bytes
 *
 * Makes the device use @from's device addresses, so that an IOMMU that
 * caches translations (an IOTLB) has them cached when @from is freed.
 *
 * Returns: as dxgk_paging_copy().
 */
NTSTATUS dxgk_paging_read_adl(struct dxgk_adapter *adapter, const DXGK_ADL *from,
			      const DXGK_ADL *into, u64 into_off, u64 size)
{
	lockdep_assert_held(&adapter->paging_lock);
	return dxgk_paging_pass(adapter, from, 0, into, into_off, size);
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
