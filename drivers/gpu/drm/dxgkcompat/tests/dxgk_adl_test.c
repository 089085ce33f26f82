// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit: address descriptor lists, against a real IOMMU domain.
 *
 * A test miniport binds QEMU's edu device (when no other driver has it), so
 * ADLs are mapped through the test box's VT-d, with a 28-bit DMA mask like
 * edu's. Every page number is checked with iommu_iova_to_phys() against the
 * object's pages, and after FreeAdl the IOVA must no longer translate. A
 * second, virtual adapter (no IOMMU) with the same mask checks the
 * no-translation rules.
 *
 * The same edu-bound test miniport checks the interrupt path (edu's
 * interrupt-raise register -> DxgkDdiInterruptRoutine -> DxgkCbQueueDpc ->
 * DxgkDdiDpcRoutine), DxgkCbSynchronizeExecution, and the port's paging
 * queue: fences completed through DxgkCbNotifyInterrupt/NotifyDpc, and the
 * timeout path when the "device" never completes a submission.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/highmem.h>
#include <linux/sizes.h>
#include <linux/vmalloc.h>
#ifdef CONFIG_X86
#include <asm/memtype.h>
#include <asm/pgtable.h>
#endif

#include "../dxgk_compat.h"
#include "../dxgk_drv.h"

#define ADL_MASK	0x0FFFFFFFULL	/* edu's 28 DMA address bits */

struct adl_adapter {
	DXGKRNL_INTERFACE iface;
	bool started;
};

static struct adl_adapter adl_pci_adapter, adl_virt_adapter;

/* What the interrupt routine, the DPC and the paging DDIs saw. */
static struct {
	void __iomem *regs;		/* edu's BAR0, for the raise register */
	u32 status;			/* interrupt status the ISR acked */
	bool isr_irqs_off;
	BOOLEAN queued;
	bool dpc_in_softirq;
	bool dpc_after_isr;
	bool isr_ran;
	struct completion dpc_done;
	bool hang;			/* SubmitCommand drops submissions */
	bool reset_fails;		/* ResetFromTimeout fails */
	bool bad_build;			/* BuildPagingBuffer overruns the buffer */
	UINT last_fence;		/* the last submission's fence */
	DXGK_PAGE_NUMBER last_map;	/* first device page of the last MAP */
	unsigned int submits, transfers, maps, resets, restarts;
} sched;

static NTSTATUS adl_add_device(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			       PVOID *MiniportDeviceContext)
{
	/* The PCI test driver binds only edu; the platform one only virt. */
	*MiniportDeviceContext = dev_is_pci(PhysicalDeviceObject->Device) ?
				 &adl_pci_adapter : &adl_virt_adapter;
	return STATUS_SUCCESS;
}

static NTSTATUS adl_start_device(IN_CONST_PVOID MiniportDeviceContext,
				 IN_PDXGK_START_INFO DxgkStartInfo,
				 IN_PDXGKRNL_INTERFACE DxgkInterface,
				 PULONG NumberOfVideoPresentSources,
				 PULONG NumberOfChildren)
{
	struct adl_adapter *a = (struct adl_adapter *)MiniportDeviceContext;

	a->iface = *DxgkInterface;
	a->started = true;
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return STATUS_SUCCESS;
}

static NTSTATUS adl_stop_device(IN_CONST_PVOID MiniportDeviceContext)
{
	((struct adl_adapter *)MiniportDeviceContext)->started = false;
	return STATUS_SUCCESS;
}

static NTSTATUS adl_remove_device(IN_CONST_PVOID MiniportDeviceContext)
{
	return STATUS_SUCCESS;
}

#define EDU_INTR_STATUS		0x24
#define EDU_INTR_RAISE		0x60
#define EDU_INTR_ACK		0x64
#define SCHED_TEST_BIT		0x10000

static BOOLEAN adl_isr(IN_CONST_PVOID MiniportDeviceContext, IN_ULONG MessageNumber)
{
	struct adl_adapter *a = (struct adl_adapter *)MiniportDeviceContext;
	u32 status;

	if (!sched.regs)
		return FALSE;
	status = readl(sched.regs + EDU_INTR_STATUS);
	if (!status)
		return FALSE;
	writel(status, sched.regs + EDU_INTR_ACK);
	sched.status = status;
	sched.isr_irqs_off = irqs_disabled();
	sched.isr_ran = true;
	sched.queued = a->iface.DxgkCbQueueDpc(a->iface.DeviceHandle);
	return TRUE;
}

static VOID adl_dpc(IN_CONST_PVOID MiniportDeviceContext)
{
	struct adl_adapter *a = (struct adl_adapter *)MiniportDeviceContext;

	sched.dpc_in_softirq = in_softirq();
	sched.dpc_after_isr = sched.isr_ran;
	a->iface.DxgkCbNotifyDpc(a->iface.DeviceHandle);
	complete(&sched.dpc_done);
}

static DXGK_PAGE_NUMBER adl_page(const DXGK_ADL *adl, unsigned int i)
{
	return adl->Flags.Contiguous ? adl->BasePageNumber + i : adl->Pages[i];
}

/*
 * The test miniport's "engine" runs its paging buffers on the CPU, the
 * way a GPU would: MAP_APERTURE_SEGMENT2 fills a GART with the ADL's page
 * numbers, TRANSFER copies through it, UNMAP clears it. Device addresses
 * are turned into pages through the device's IOMMU domain (or taken as
 * physical without one), so a copy lands right only if the port handed
 * the miniport the right ADLs, offsets and sizes.
 */
#define TM_CMD_BYTES	4		/* DMA buffer space one command takes */
#define TM_MAX_CMDS	(DXGK_PAGING_DMA_SIZE / TM_CMD_BYTES)
#define TM_MAX_MAP	DXGK_PAGING_APERTURE_PAGES
#define TM_UNMAPPED	(~0ULL)

struct tm_cmd {
	DXGK_BUILDPAGINGBUFFER_OPERATION op;
	SIZE_T first, count;		/* aperture pages (MAP, UNMAP) */
	u64 src, dst, size;		/* aperture bytes (TRANSFER) */
};

static struct {
	struct tm_cmd cmds[TM_MAX_CMDS];
	unsigned int ncmds;		/* built, not yet submitted */
	DXGK_PAGE_NUMBER pending[TM_MAX_CMDS][32];	/* MAP payloads */
	u64 gart[TM_MAX_MAP];
	struct device *dev;
	u64 copied;			/* bytes the engine moved */
	bool fault_next;		/* report the next submission faulted */
	unsigned int faults;		/* transfers through an unmapped page */
	unsigned int bad_submits;	/* submissions not matching the build */
} tm;

static NTSTATUS tm_emit(IN_PDXGKARG_BUILDPAGINGBUFFER Args,
			const struct tm_cmd *cmd)
{
	if (Args->DmaSize < TM_CMD_BYTES || tm.ncmds == TM_MAX_CMDS)
		return STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER;
	tm.cmds[tm.ncmds++] = *cmd;
	Args->pDmaBuffer = (u8 *)Args->pDmaBuffer + TM_CMD_BYTES;
	Args->DmaSize -= TM_CMD_BYTES;
	return STATUS_SUCCESS;
}

static NTSTATUS adl_build_paging(IN_CONST_HANDLE hAdapter,
				 IN_PDXGKARG_BUILDPAGINGBUFFER Args)
{
	struct tm_cmd cmd = { .op = Args->Operation };
	const DXGK_ADL *adl;
	NTSTATUS status;
	SIZE_T i;

	if (sched.bad_build) {
		/* Nonsense: claims to have written past the buffer's end. */
		Args->pDmaBuffer = (u8 *)Args->pDmaBuffer + Args->DmaSize + 64;
		return STATUS_SUCCESS;
	}
	switch (Args->Operation) {
	case DXGK_OPERATION_MAP_APERTURE_SEGMENT2:
		adl = &Args->MapApertureSegment2.Adl;
		cmd.first = Args->MapApertureSegment2.OffsetInPages;
		cmd.count = Args->MapApertureSegment2.NumberOfPages;
		if (Args->MapApertureSegment2.SegmentId != DXGK_PAGING_APERTURE_SEGMENT ||
		    !cmd.count || cmd.count > ARRAY_SIZE(tm.pending[0]) ||
		    cmd.first + cmd.count > TM_MAX_MAP ||
		    Args->MapApertureSegment2.AdlOffset + cmd.count > adl->PageCount)
			return STATUS_INVALID_PARAMETER;
		for (i = 0; i < cmd.count && tm.ncmds < TM_MAX_CMDS; i++)
			tm.pending[tm.ncmds][i] =
				adl_page(adl, Args->MapApertureSegment2.AdlOffset + i);
		status = tm_emit(Args, &cmd);
		if (NT_SUCCESS(status)) {
			sched.maps++;
			sched.last_map = adl_page(adl, Args->MapApertureSegment2.AdlOffset);
		}
		return status;
	case DXGK_OPERATION_UNMAP_APERTURE_SEGMENT:
		cmd.first = Args->UnmapApertureSegment.OffsetInPages;
		cmd.count = Args->UnmapApertureSegment.NumberOfPages;
		if (cmd.first + cmd.count > TM_MAX_MAP)
			return STATUS_INVALID_PARAMETER;
		return tm_emit(Args, &cmd);
	case DXGK_OPERATION_TRANSFER:
		if (Args->Transfer.Source.SegmentId != DXGK_PAGING_APERTURE_SEGMENT ||
		    Args->Transfer.Destination.SegmentId != DXGK_PAGING_APERTURE_SEGMENT)
			return STATUS_NOT_SUPPORTED;
		cmd.src = Args->Transfer.Source.SegmentAddress.QuadPart;
		cmd.dst = Args->Transfer.Destination.SegmentAddress.QuadPart;
		cmd.size = Args->Transfer.TransferSize;
		status = tm_emit(Args, &cmd);
		if (NT_SUCCESS(status))
			sched.transfers++;
		return status;
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

/* The page behind aperture byte @ap, or NULL if unmapped or untranslated. */
static struct page *tm_page(u64 ap)
{
	struct iommu_domain *domain;
	u64 pn = ap >> PAGE_SHIFT;
	phys_addr_t phys;

	if (pn >= TM_MAX_MAP || tm.gart[pn] == TM_UNMAPPED)
		return NULL;
	phys = (phys_addr_t)tm.gart[pn] << PAGE_SHIFT;
	domain = tm.dev ? iommu_get_domain_for_dev(tm.dev) : NULL;
	if (domain && domain->type != IOMMU_DOMAIN_IDENTITY)
		phys = iommu_iova_to_phys(domain, phys);
	return phys && pfn_valid(PHYS_PFN(phys)) ? pfn_to_page(PHYS_PFN(phys)) : NULL;
}

static void tm_transfer(const struct tm_cmd *c)
{
	u64 done = 0;

	while (done < c->size) {
		u64 s = c->src + done, d = c->dst + done;
		size_t n = min3(c->size - done, PAGE_SIZE - offset_in_page(s),
				PAGE_SIZE - offset_in_page(d));
		struct page *sp = tm_page(s), *dp = tm_page(d);
		u8 *sv, *dv;

		if (!sp || !dp) {
			tm.faults++;
			return;
		}
		sv = kmap_local_page(sp);
		dv = kmap_local_page(dp);
		memcpy(dv + offset_in_page(d), sv + offset_in_page(s), n);
		kunmap_local(dv);
		kunmap_local(sv);
		done += n;
		tm.copied += n;
	}
}

/* Run what was built since the last submission, in order. */
static void tm_execute(void)
{
	unsigned int i;
	SIZE_T j;

	for (i = 0; i < tm.ncmds; i++) {
		const struct tm_cmd *c = &tm.cmds[i];

		switch (c->op) {
		case DXGK_OPERATION_MAP_APERTURE_SEGMENT2:
			for (j = 0; j < c->count; j++)
				tm.gart[c->first + j] = tm.pending[i][j];
			break;
		case DXGK_OPERATION_UNMAP_APERTURE_SEGMENT:
			for (j = 0; j < c->count; j++)
				tm.gart[c->first + j] = TM_UNMAPPED;
			break;
		case DXGK_OPERATION_TRANSFER:
			tm_transfer(c);
			break;
		default:
			break;
		}
	}
	tm.ncmds = 0;
}

static void tm_reset(struct device *dev)
{
	unsigned int i;

	memset(&tm, 0, sizeof(tm));
	for (i = 0; i < TM_MAX_MAP; i++)
		tm.gart[i] = TM_UNMAPPED;
	tm.dev = dev;
}

struct adl_fence {
	struct adl_adapter *a;
	UINT fence;
	DXGK_INTERRUPT_TYPE type;
};

/* Completes a fence as an interrupt routine would. */
static BOOLEAN adl_complete_sync(PVOID Context)
{
	struct adl_fence *f = Context;
	DXGKARGCB_NOTIFY_INTERRUPT_DATA n = { .InterruptType = f->type };

	if (f->type == DXGK_INTERRUPT_DMA_FAULTED) {
		n.DmaFaulted.FaultedFenceId = f->fence;
		n.DmaFaulted.Status = STATUS_IO_DEVICE_ERROR;
	} else {
		n.DmaCompleted.SubmissionFenceId = f->fence;
	}
	f->a->iface.DxgkCbNotifyInterrupt(f->a->iface.DeviceHandle, &n);
	return f->a->iface.DxgkCbQueueDpc(f->a->iface.DeviceHandle);
}

static NTSTATUS adl_submit(IN_CONST_HANDLE hAdapter,
			   IN_CONST_PDXGKARG_SUBMITCOMMAND Args)
{
	struct adl_adapter *a = (struct adl_adapter *)hAdapter;
	struct adl_fence f = {
		.a = a, .fence = Args->SubmissionFenceId,
		.type = DXGK_INTERRUPT_DMA_COMPLETED,
	};
	BOOLEAN ret;

	sched.submits++;
	sched.last_fence = Args->SubmissionFenceId;
	if (!Args->Flags.Paging || Args->DmaBufferPhysicalAddress.QuadPart)
		return STATUS_INVALID_PARAMETER;
	/* The port submits exactly what it had built since the last one. */
	if (Args->DmaBufferSubmissionEndOffset - Args->DmaBufferSubmissionStartOffset !=
	    tm.ncmds * TM_CMD_BYTES)
		tm.bad_submits++;
	if (sched.hang) {
		tm.ncmds = 0;
		return STATUS_SUCCESS;
	}
	tm_execute();
	if (tm.fault_next) {
		tm.fault_next = false;
		f.type = DXGK_INTERRUPT_DMA_FAULTED;
	}
	return a->iface.DxgkCbSynchronizeExecution(a->iface.DeviceHandle,
						   adl_complete_sync, &f, 0, &ret);
}

static NTSTATUS adl_reset(IN_CONST_HANDLE hAdapter)
{
	sched.resets++;
	return sched.reset_fails ? STATUS_IO_DEVICE_ERROR : STATUS_SUCCESS;
}

static NTSTATUS adl_restart(IN_CONST_HANDLE hAdapter)
{
	sched.restarts++;
	return STATUS_SUCCESS;
}

static NTSTATUS adl_query_adapter_info(IN_CONST_HANDLE hAdapter,
				       IN_CONST_PDXGKARG_QUERYADAPTERINFO qai)
{
	if (qai->Type == DXGKQAITYPE_PHYSICAL_MEMORY_CAPS) {
		((DXGK_PHYSICAL_MEMORY_CAPS *)qai->pOutputData)->HighestVisibleAddress.QuadPart =
			ADL_MASK;
		return STATUS_SUCCESS;
	}
	return STATUS_NOT_SUPPORTED;
}

static VOID adl_unload(VOID)
{
}

static const struct pci_device_id adl_pci_ids[] = {
	{ PCI_DEVICE(0x1234, 0x11e8) },
	{ }
};

static DRIVER_OBJECT adl_pci_drvobj = {
	.Owner = THIS_MODULE,
	.DriverName = "dxgk_kunit_adl_pci",
	.PciIdTable = adl_pci_ids,
};

static DRIVER_OBJECT adl_virt_drvobj = {
	.Owner = THIS_MODULE,
	.DriverName = "dxgk_kunit_adl",
};

static NTSTATUS adl_register(PDRIVER_OBJECT drvobj)
{
	DRIVER_INITIALIZATION_DATA init = {
		.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9,
		.DxgkDdiAddDevice = adl_add_device,
		.DxgkDdiStartDevice = adl_start_device,
		.DxgkDdiStopDevice = adl_stop_device,
		.DxgkDdiRemoveDevice = adl_remove_device,
		.DxgkDdiQueryAdapterInfo = adl_query_adapter_info,
		.DxgkDdiUnload = adl_unload,
	};

	if (drvobj->PciIdTable) {
		init.DxgkDdiInterruptRoutine = adl_isr;
		init.DxgkDdiDpcRoutine = adl_dpc;
		init.DxgkDdiBuildPagingBuffer = adl_build_paging;
		init.DxgkDdiSubmitCommand = adl_submit;
		init.DxgkDdiResetFromTimeout = adl_reset;
		init.DxgkDdiRestartFromTimeout = adl_restart;
	}
	return DxgkInitialize(drvobj, NULL, &init);
}

static int adl_suite_init(struct kunit_suite *suite)
{
	init_completion(&sched.dpc_done);
	dxgk_misuse_set_warn(false);
	adl_register(&adl_pci_drvobj);
	adl_register(&adl_virt_drvobj);
	return 0;
}

static void adl_suite_exit(struct kunit_suite *suite)
{
	dxgk_miniport_module_exit(&adl_pci_drvobj);
	dxgk_miniport_module_exit(&adl_virt_drvobj);
	dxgk_misuse_set_warn(true);
}

static struct adl_adapter *adl_need_iommu(struct kunit *test)
{
	if (!adl_pci_adapter.started)
		kunit_skip(test, "edu is absent or bound to another driver");
	return &adl_pci_adapter;
}

static struct device *adl_dev(struct adl_adapter *a)
{
	struct pci_dev *pdev = pci_get_device(0x1234, 0x11e8, NULL);
	struct device *dev = &pdev->dev;

	pci_dev_put(pdev);	/* the bound driver keeps it */
	return a == &adl_pci_adapter ? dev : NULL;
}

/* Create a PMO on @a; return its handles. */
static void adl_create(struct kunit *test, struct adl_adapter *a,
		       DXGK_PHYSICAL_MEMORY_TYPE type, size_t size, u64 low,
		       u64 high, HANDLE *pmo, HANDLE *amo)
{
	DXGKARGCB_CREATE_PHYSICAL_MEMORY_OBJECT c = {
		.hAdapter = a->iface.DeviceHandle,
		.Size = size,
		.Type = type,
		.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED,
	};

	if (type == DXGK_PHYSICAL_MEMORY_TYPE_MDL) {
		c.Mdl.LowAddress.QuadPart = low;
		c.Mdl.HighAddress.QuadPart = high;
	} else if (type == DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY) {
		c.ContiguousMemory.LowestAcceptableAddress.QuadPart = low;
		c.ContiguousMemory.HighestAcceptableAddress.QuadPart = high;
	} else if (type == DXGK_PHYSICAL_MEMORY_TYPE_SECTION) {
		c.Section.PageProtection = PAGE_READWRITE;
	} else {
		c.IOSpace.BaseAddress.QuadPart = low;
	}
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbCreatePhysicalMemoryObject(&c),
			(u32)STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, c.hAdapterMemoryObject);
	*pmo = c.hPhysicalMemoryObject;
	*amo = c.hAdapterMemoryObject;
}

static void adl_destroy(struct adl_adapter *a, HANDLE pmo, HANDLE amo)
{
	DXGKARGCB_DESTROY_PHYSICAL_MEMORY_OBJECT d = {
		.hPhysicalMemoryObject = pmo,
		.hAdapterMemoryObject = amo,
	};

	a->iface.DxgkCbDestroyPhysicalMemoryObject(&d);
}

/* Physical address of each page of the object, through a kernel map. */
static void adl_object_pages(struct kunit *test, struct adl_adapter *a,
			     HANDLE pmo, size_t size, phys_addr_t *phys)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY m = {
		.hPhysicalMemoryObject = pmo,
		.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
		.Size = size,
	};
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = { .hPhysicalMemoryObject = pmo };
	size_t i;

	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbMapPhysicalMemory(&m),
			(u32)STATUS_SUCCESS);
	for (i = 0; i < size >> PAGE_SHIFT; i++)
		phys[i] = page_to_phys(vmalloc_to_page((u8 *)m.pMappedAddress +
						       i * PAGE_SIZE));
	u.pBaseAddress = m.pMappedAddress;
	u.Size = m.Size;
	a->iface.DxgkCbUnmapPhysicalMemory(&u);
}

/* Every page number is below the mask and translates to its page. */
static void adl_check_translation(struct kunit *test, struct device *dev,
				  const DXGK_ADL *adl, const phys_addr_t *phys)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, domain);
	for (i = 0; i < adl->PageCount; i++) {
		dma_addr_t iova = (dma_addr_t)adl_page(adl, i) << PAGE_SHIFT;

		KUNIT_EXPECT_LE_MSG(test, iova + PAGE_SIZE - 1, ADL_MASK,
				    "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(domain, iova), phys[i],
				    "page %u", i);
	}
}

static void adl_free(struct adl_adapter *a, HANDLE amo, DXGK_ADL *adl)
{
	DXGKARGCB_FREE_ADL f = { .hAdapterMemoryObject = amo, .pAdl = adl };

	a->iface.DxgkCbFreeAdl(&f);
}

/* Planted in pAdl before each AllocateAdl: a failed one must clear it. */
static DXGK_ADL adl_poison;

static NTSTATUS adl_alloc(struct adl_adapter *a, HANDLE amo, size_t offset,
			  size_t size, u32 flags, DXGK_ADL **adl)
{
	DXGKARGCB_ALLOCATE_ADL args = {
		.hAdapterMemoryObject = amo,
		.Offset = offset,
		.Size = size,
		.pAdl = &adl_poison,
	};
	NTSTATUS status;

	args.Flags.Value = flags;
	status = a->iface.DxgkCbAllocateAdl(&args);
	*adl = args.pAdl;
	return status;
}

#define PREFER	2U
#define REQUIRE	1U

/* MDL pages anywhere (above 256 MiB too) reach the 28-bit device: remapped. */
static void adl_mdl_translated(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct iommu_domain *domain;
	const size_t size = 16 * PAGE_SIZE;
	phys_addr_t phys[16];
	HANDLE pmo, amo;
	DXGK_ADL *adl;
	dma_addr_t base;
	unsigned int i;

	/* Pages above edu's 256 MiB limit: only the IOMMU makes them reachable. */
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0x10000000ULL,
		   U64_MAX >> 1, &pmo, &amo);
	adl_object_pages(test, a, pmo, size, phys);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_GT(test, phys[i], (phys_addr_t)ADL_MASK);

	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, adl->PageCount, 16U);
	KUNIT_EXPECT_TRUE(test, adl->Flags.Contiguous);
	adl_check_translation(test, adl_dev(a), adl, phys);

	/* After FreeAdl the device can no longer reach the pages. */
	base = (dma_addr_t)adl->BasePageNumber << PAGE_SHIFT;
	adl_free(a, amo, adl);
	domain = iommu_get_domain_for_dev(adl_dev(a));
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, base + i * PAGE_SIZE),
				(phys_addr_t)0);
	adl_destroy(a, pmo, amo);
}

/* Without PreferContiguous: a Pages array, each entry translating right. */
static void adl_mdl_pages_array(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	const size_t size = 8 * PAGE_SIZE;
	phys_addr_t phys[8];
	HANDLE pmo, amo;
	DXGK_ADL *adl;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX,
		   &pmo, &amo);
	adl_object_pages(test, a, pmo, size, phys);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 2 * PAGE_SIZE, 3 * PAGE_SIZE,
					     0, &adl),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, adl->PageCount, 3U);
	KUNIT_EXPECT_FALSE(test, adl->Flags.Contiguous);
	KUNIT_ASSERT_NOT_NULL(test, adl->Pages);
	adl_check_translation(test, adl_dev(a), adl, phys + 2);
	adl_free(a, amo, adl);
	adl_destroy(a, pmo, amo);
}

/* RequireContiguous: CONTIGUOUS_MEMORY and IO_SPACE only (not MDL, not SECTION). */
static void adl_require_contiguous(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	const size_t size = 4 * PAGE_SIZE;
	struct pci_dev *pdev;
	phys_addr_t phys[4];
	HANDLE pmo, amo;
	DXGK_ADL *adl;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX,
		   &pmo, &amo);
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, amo, 0, size, REQUIRE, &adl),
			(u32)STATUS_INVALID_PARAMETER);
	adl_destroy(a, pmo, amo);

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_CONTIGUOUS_MEMORY, size, 0,
		   U64_MAX, &pmo, &amo);
	adl_object_pages(test, a, pmo, size, phys);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, REQUIRE, &adl),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, adl->Flags.Contiguous);
	adl_check_translation(test, adl_dev(a), adl, phys);
	adl_free(a, amo, adl);
	adl_destroy(a, pmo, amo);

	/* SECTION pages are not contiguous either. */
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_SECTION, size, 0, 0,
		   &pmo, &amo);
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, amo, 0, size, REQUIRE, &adl),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, adl);
	adl_destroy(a, pmo, amo);

	/* IO_SPACE: edu's own BAR, remapped like memory (peer access). */
	pdev = pci_get_device(0x1234, 0x11e8, NULL);
	KUNIT_ASSERT_NOT_NULL(test, pdev);
	phys[0] = pci_resource_start(pdev, 0);
	pci_dev_put(pdev);
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_IO_SPACE, PAGE_SIZE, phys[0],
		   0, &pmo, &amo);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, PAGE_SIZE, REQUIRE, &adl),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, adl->Flags.Contiguous);
	adl_check_translation(test, adl_dev(a), adl, phys);
	adl_free(a, amo, adl);
	adl_destroy(a, pmo, amo);
}

/* A cached SECTION's pages are pinned by the ADL and translate right. */
static void adl_section(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	const size_t size = 4 * PAGE_SIZE;
	phys_addr_t phys[4];
	HANDLE pmo, amo;
	DXGK_ADL *adl;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_SECTION, size, 0, 0, &pmo,
		   &amo);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl),
			(u32)STATUS_SUCCESS);
	/* The ADL's pin keeps the pages: a kernel map sees the same ones. */
	adl_object_pages(test, a, pmo, size, phys);
	adl_check_translation(test, adl_dev(a), adl, phys);
	adl_free(a, amo, adl);
	adl_destroy(a, pmo, amo);
}

/* Two ADLs over the same pages, as the WDK allows. */
static void adl_overlapping(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	const size_t size = 4 * PAGE_SIZE;
	DXGK_ADL *adl1, *adl2;
	phys_addr_t phys[4];
	HANDLE pmo, amo;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX,
		   &pmo, &amo);
	adl_object_pages(test, a, pmo, size, phys);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl1),
			(u32)STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, PAGE_SIZE, 2 * PAGE_SIZE, 0,
					     &adl2),
			(u32)STATUS_SUCCESS);
	adl_check_translation(test, adl_dev(a), adl1, phys);
	adl_check_translation(test, adl_dev(a), adl2, phys + 1);
	adl_free(a, amo, adl1);
	adl_check_translation(test, adl_dev(a), adl2, phys + 1);
	adl_free(a, amo, adl2);
	adl_destroy(a, pmo, amo);
}

/* Bad arguments: refused, not misuse. */
static void adl_bad_args(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	unsigned int misuse = dxgk_misuse_count();
	static const struct { size_t off, size; u32 flags; } rows[] = {
		{ 0, PAGE_SIZE, 4 },			/* reserved flag bit */
		{ 0, PAGE_SIZE, 0x80000000 },
		{ 100, PAGE_SIZE, 0 },			/* not a page multiple */
		{ 0, PAGE_SIZE + 1, 0 },
		{ 0, 0, 0 },				/* empty */
		{ 0, 5 * PAGE_SIZE, 0 },		/* past the object */
		{ 4 * PAGE_SIZE, PAGE_SIZE, 0 },
		{ PAGE_SIZE, SIZE_MAX & PAGE_MASK, 0 },	/* wraps */
	};
	HANDLE pmo, amo;
	DXGK_ADL *adl;
	unsigned int i;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, 4 * PAGE_SIZE, 0,
		   U64_MAX, &pmo, &amo);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		KUNIT_EXPECT_EQ_MSG(test, (u32)adl_alloc(a, amo, rows[i].off,
							 rows[i].size,
							 rows[i].flags, &adl),
				    (u32)STATUS_INVALID_PARAMETER, "row %u", i);
		KUNIT_EXPECT_NULL(test, adl);
	}
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	adl_destroy(a, pmo, amo);
}

/* Misuse: refused, counted, everything left intact. */
static void adl_lifetime(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	DXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT close = { 0 };
	const size_t size = 2 * PAGE_SIZE;
	HANDLE pmo, amo, pmo2, amo2;
	phys_addr_t phys[2];
	unsigned int misuse;
	DXGK_ADL *adl, *none;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX,
		   &pmo, &amo);
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX,
		   &pmo2, &amo2);
	adl_object_pages(test, a, pmo, size, phys);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl),
			(u32)STATUS_SUCCESS);

	misuse = dxgk_misuse_count();
	adl_destroy(a, pmo, amo);			/* live ADL */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	close.hAdapterMemoryObject = amo;
	a->iface.DxgkCbClosePhysicalMemoryObject(&close);	/* live ADL */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	adl_free(a, amo2, adl);				/* another AMO's ADL */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 3);
	adl_free(a, (HANDLE)(uintptr_t)0x7ffffff2, adl);	/* unknown AMO */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 4);
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, pmo, 0, size, 0, &none),
			(u32)STATUS_INVALID_HANDLE);	/* a PMO handle, not an AMO */
	KUNIT_EXPECT_NULL(test, none);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 5);
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, (HANDLE)(uintptr_t)0x7ffffff2, 0,
					     size, 0, &none),
			(u32)STATUS_INVALID_HANDLE);	/* unknown AMO */
	KUNIT_EXPECT_NULL(test, none);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 6);

	/* Nothing changed: the ADL still translates, then frees. */
	adl_check_translation(test, adl_dev(a), adl, phys);
	adl_free(a, amo, adl);
	adl_free(a, amo, adl);				/* freed twice */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 7);
	adl_destroy(a, pmo, amo);
	adl_destroy(a, pmo2, amo2);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 7);
}

/*
 * No IOMMU, 28-bit device: pages below the limit get physical numbers,
 * pages above it are refused instead of being truncated.
 */
static void adl_no_iommu_mask(struct kunit *test)
{
	struct adl_adapter *a = &adl_virt_adapter;
	const size_t size = 4 * PAGE_SIZE;
	phys_addr_t phys[4];
	HANDLE pmo, amo;
	DXGK_ADL *adl;
	unsigned int i;

	KUNIT_ASSERT_TRUE(test, a->started);
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, ADL_MASK,
		   &pmo, &amo);
	adl_object_pages(test, a, pmo, size, phys);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, 0, &adl),
			(u32)STATUS_SUCCESS);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, (phys_addr_t)adl->Pages[i] << PAGE_SHIFT,
				phys[i]);
	adl_free(a, amo, adl);
	adl_destroy(a, pmo, amo);

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0x10000000ULL,
		   U64_MAX >> 1, &pmo, &amo);
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl),
			(u32)STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_NULL(test, adl);
	adl_destroy(a, pmo, amo);
}

/* edu's raise register -> ISR (IRQs off) -> QueueDpc -> DPC. */
static void sched_interrupt_to_dpc(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct pci_dev *pdev = to_pci_dev(adl_dev(a));

	sched.regs = pci_iomap(pdev, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, (__force void *)sched.regs);
	reinit_completion(&sched.dpc_done);
	sched.isr_ran = false;
	writel(SCHED_TEST_BIT, sched.regs + EDU_INTR_RAISE);
	KUNIT_EXPECT_NE(test, wait_for_completion_timeout(&sched.dpc_done, 5 * HZ), 0UL);
	KUNIT_EXPECT_EQ(test, sched.status, (u32)SCHED_TEST_BIT);
	KUNIT_EXPECT_TRUE(test, sched.isr_irqs_off);
	KUNIT_EXPECT_TRUE(test, sched.queued);
	KUNIT_EXPECT_TRUE(test, sched.dpc_after_isr);
	if (DXGK_DPC_IN_SOFTIRQ)	/* a BH work item */
		KUNIT_EXPECT_TRUE(test, sched.dpc_in_softirq);
	pci_iounmap(pdev, sched.regs);
	sched.regs = NULL;
}

static BOOLEAN sched_sync_true(PVOID Context)
{
	*(bool *)Context = irqs_disabled();
	return TRUE;
}

static BOOLEAN sched_sync_false(PVOID Context)
{
	return FALSE;
}

static void sched_synchronize(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	DXGKCB_SYNCHRONIZE_EXECUTION sync = a->iface.DxgkCbSynchronizeExecution;
	HANDLE h = a->iface.DeviceHandle;
	bool irqs_off = false;
	BOOLEAN ret = FALSE;

	KUNIT_EXPECT_EQ(test, (u32)sync(h, sched_sync_true, &irqs_off, 0, &ret),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_TRUE(test, ret);
	KUNIT_EXPECT_TRUE(test, irqs_off);
	KUNIT_EXPECT_EQ(test, (u32)sync(h, sched_sync_false, NULL, 0, &ret),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_FALSE(test, ret);
	KUNIT_EXPECT_EQ(test, (u32)sync(h, sched_sync_true, &irqs_off, 1, &ret),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, (u32)sync(h, NULL, NULL, 0, &ret),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, (u32)sync(h, sched_sync_true, &irqs_off, 0, NULL),
			(u32)STATUS_INVALID_PARAMETER);
}

static void sched_reset_counts(void)
{
	sched.submits = 0;
	sched.transfers = 0;
	sched.maps = 0;
	sched.resets = 0;
	sched.restarts = 0;
}

static u8 sched_pattern(size_t i)
{
	return (u8)(i * 7 + (i >> 12) * 13 + 1);
}

/* Fill (or, with @check, compare) an object's bytes through a kernel map. */
static size_t sched_bytes(struct kunit *test, struct adl_adapter *a, HANDLE pmo,
			  size_t size, bool check, size_t from, size_t to,
			  size_t src_from)
{
	DXGKARGCB_MAP_PHYSICAL_MEMORY m = {
		.hPhysicalMemoryObject = pmo,
		.AccessMode = DXGK_ACCESS_MODE_KERNEL_MODE,
		.Size = size,
	};
	DXGKARGCB_UNMAP_PHYSICAL_MEMORY u = { .hPhysicalMemoryObject = pmo };
	size_t i, bad = 0;
	u8 *va;

	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbMapPhysicalMemory(&m),
			(u32)STATUS_SUCCESS);
	va = m.pMappedAddress;
	for (i = 0; i < size; i++) {
		u8 want = (i >= from && i < to) ? sched_pattern(i - from + src_from) : 0;

		if (!check)
			va[i] = sched_pattern(i);
		else if (va[i] != want && !bad++)
			kunit_info(test, "byte %zu: %#x, want %#x", i, va[i], want);
	}
	u.pBaseAddress = m.pMappedAddress;
	u.Size = m.Size;
	a->iface.DxgkCbUnmapPhysicalMemory(&u);
	return bad;
}

/*
 * The paging queue moves the right bytes: the test engine copies through
 * the ADLs it was handed (translated by the IOMMU), so a wrong page, offset
 * or size shows up in the destination. Also one pass per 64 KiB, each
 * mapping both sides once, and each submission exactly what was built.
 */
static void sched_paging_copy(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct dxgk_adapter *adapter = dev_get_drvdata(adl_dev(a));
	const size_t size = 200 * 1024, len = size - 4095;
	HANDLE p1, a1, p2, a2;
	unsigned int i;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX >> 1,
		   &p1, &a1);
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX >> 1,
		   &p2, &a2);
	sched_bytes(test, a, p1, size, false, 0, 0, 0);
	sched_reset_counts();
	tm_reset(adl_dev(a));
	sched.hang = false;
	/* source bytes [1, 1 + len) to destination bytes [4095, size) */
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 1, a2, 4095, len),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tm.copied, (u64)len);
	KUNIT_EXPECT_EQ(test, tm.faults, 0U);
	KUNIT_EXPECT_EQ(test, tm.bad_submits, 0U);
	/* every aperture page the copy mapped was unmapped again */
	for (i = 0; i < TM_MAX_MAP; i++)
		KUNIT_EXPECT_EQ_MSG(test, tm.gart[i], TM_UNMAPPED, "aperture page %u", i);
	KUNIT_EXPECT_EQ(test, sched_bytes(test, a, p2, size, true, 4095, size, 1),
			(size_t)0);
	/* the source is left as it was */
	KUNIT_EXPECT_EQ(test, sched_bytes(test, a, p1, size, true, 0, size, 0),
			(size_t)0);
	/* 16-page passes: 4 of them, each maps both sides once */
	KUNIT_EXPECT_EQ(test, sched.transfers, 4U);
	KUNIT_EXPECT_EQ(test, sched.maps, 8U);
	KUNIT_EXPECT_EQ(test, sched.submits, 4U);
	KUNIT_EXPECT_EQ(test, sched.resets, 0U);
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
}

/* Two one-page objects for a copy, with fresh counts and a fresh engine. */
static void sched_page_pair(struct kunit *test, struct adl_adapter *a,
			    HANDLE *p1, HANDLE *a1, HANDLE *p2, HANDLE *a2)
{
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, PAGE_SIZE, 0,
		   U64_MAX >> 1, p1, a1);
	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, PAGE_SIZE, 0,
		   U64_MAX >> 1, p2, a2);
	sched_reset_counts();
	tm_reset(adl_dev(a));
}

/*
 * The device reports DMA_FAULTED for a submission: the copy fails with the
 * device's status, without a reset, and the next copy works.
 */
static void sched_paging_faulted(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct dxgk_adapter *adapter = dev_get_drvdata(adl_dev(a));
	unsigned int misuse = dxgk_misuse_count();
	HANDLE p1, a1, p2, a2;

	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	sched.hang = false;
	tm.fault_next = true;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_IO_DEVICE_ERROR);
	KUNIT_EXPECT_EQ(test, sched.resets, 0U);
	KUNIT_EXPECT_FALSE(test, tm.fault_next);
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tm.copied, 128ULL);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
}

/* A submission that never completes: timeout, reset, then recovery. */
static void sched_paging_timeout(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct dxgk_adapter *adapter = dev_get_drvdata(adl_dev(a));
	unsigned int old = dxgk_sched_set_tdr_delay(200);
	HANDLE p1, a1, p2, a2;

	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	sched.hang = true;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_IO_TIMEOUT);
	KUNIT_EXPECT_EQ(test, sched.resets, 1U);
	KUNIT_EXPECT_EQ(test, sched.restarts, 1U);
	sched.hang = false;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, sched.resets, 1U);
	dxgk_sched_set_tdr_delay(old);
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
}

/*
 * The reset fails: the device may still be running the pass, so its
 * interrupt stays disabled, bus mastering goes off, the pass's ADLs stay
 * mapped (the IOVA still translates) and paging is refused without a
 * submission. Rebinding the adapter frees those ADLs, without misuse.
 */
static void sched_paging_reset_fails(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct device *dev = adl_dev(a);
	struct dxgk_adapter *adapter = dev_get_drvdata(dev);
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	unsigned int old = dxgk_sched_set_tdr_delay(200);
	unsigned int misuse = dxgk_misuse_count(), submits;
	HANDLE p1, a1, p2, a2;
	int irq = adapter->irq;
	dma_addr_t iova;

	KUNIT_ASSERT_NOT_NULL(test, domain);
	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	sched.hang = true;
	sched.reset_fails = true;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_IO_TIMEOUT);
	sched.hang = false;
	sched.reset_fails = false;
	KUNIT_EXPECT_EQ(test, sched.resets, 1U);
	KUNIT_EXPECT_TRUE(test, adapter->wedged);
	KUNIT_EXPECT_TRUE(test, irqd_irq_disabled(irq_get_irq_data(irq)));
	KUNIT_EXPECT_FALSE(test, to_pci_dev(dev)->is_busmaster);
	iova = (dma_addr_t)sched.last_map << PAGE_SHIFT;
	KUNIT_EXPECT_NE_MSG(test, iommu_iova_to_phys(domain, iova), 0,
			    "the pass's ADL was unmapped while the device may use it");

	submits = sched.submits;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_DEVICE_NOT_READY);
	KUNIT_EXPECT_EQ(test, sched.submits, submits);

	/* A new adapter on the same device: the old one's ADLs are freed. */
	dxgk_miniport_module_exit(&adl_pci_drvobj);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, iova), 0);
	adl_register(&adl_pci_drvobj);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	dxgk_sched_set_tdr_delay(old);
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
	KUNIT_ASSERT_TRUE(test, adl_pci_adapter.started);
	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	adapter = dev_get_drvdata(adl_dev(a));
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tm.copied, 64ULL);
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
}

/*
 * The device completes a submission after its timeout and reset: the
 * late completion changes nothing, is not misuse, and the next copy works.
 */
static void sched_paging_late_completion(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct dxgk_adapter *adapter = dev_get_drvdata(adl_dev(a));
	unsigned int old = dxgk_sched_set_tdr_delay(200);
	unsigned int misuse = dxgk_misuse_count();
	struct adl_fence f = { .a = a, .type = DXGK_INTERRUPT_DMA_COMPLETED };
	HANDLE p1, a1, p2, a2;
	BOOLEAN ret;
	u32 done;

	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	sched.hang = true;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_IO_TIMEOUT);
	sched.hang = false;
	done = READ_ONCE(adapter->fence_done);
	f.fence = sched.last_fence;
	a->iface.DxgkCbSynchronizeExecution(a->iface.DeviceHandle,
					    adl_complete_sync, &f, 0, &ret);
	flush_work(&adapter->dpc);
	KUNIT_EXPECT_EQ(test, READ_ONCE(adapter->fence_done), done);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	tm_reset(adl_dev(a));
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tm.copied, 64ULL);
	KUNIT_EXPECT_FALSE(test, adapter->wedged);
	dxgk_sched_set_tdr_delay(old);
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
}

/*
 * An interrupt storm: the device raises interrupts as fast as it can
 * while the ISR claims them and copies run; queued DPCs coalesce, the
 * copies work and nothing counts as misuse.
 */
static void sched_interrupt_storm(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct pci_dev *pdev = to_pci_dev(adl_dev(a));
	struct dxgk_adapter *adapter = dev_get_drvdata(&pdev->dev);
	unsigned int misuse = dxgk_misuse_count(), i;
	s64 irqs, dpcs;
	HANDLE p1, a1, p2, a2;

	sched.regs = pci_iomap(pdev, 0, 0);
	KUNIT_ASSERT_NOT_NULL(test, (__force void *)sched.regs);
	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	irqs = atomic64_read(&adapter->n_irq);
	dpcs = atomic64_read(&adapter->n_dpc);
	for (i = 0; i < 20000; i++) {
		writel(SCHED_TEST_BIT, sched.regs + EDU_INTR_RAISE);
		if (i % 1000 == 0)
			KUNIT_EXPECT_EQ(test,
					(u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
					(u32)STATUS_SUCCESS);
	}
	flush_work(&adapter->dpc);
	irqs = atomic64_read(&adapter->n_irq) - irqs;
	dpcs = atomic64_read(&adapter->n_dpc) - dpcs;
	kunit_info(test, "20000 raises, %u submissions: %lld interrupts, %lld DPCs",
		   sched.submits, irqs, dpcs);
	KUNIT_EXPECT_GT(test, irqs, 0LL);
	/* one DPC at most per interrupt and per completed submission */
	KUNIT_EXPECT_LE(test, dpcs, irqs + sched.submits);
	KUNIT_EXPECT_EQ(test, tm.copied, 20ULL * 64);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	pci_iounmap(pdev, sched.regs);
	sched.regs = NULL;
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
}

/*
 * DxgkDdiBuildPagingBuffer returns nonsense (a buffer pointer past the
 * end): misuse, refused with STATUS_INVALID_PARAMETER before anything is
 * submitted, the ADLs freed, and the next copy works.
 */
static void sched_paging_bad_build(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct dxgk_adapter *adapter = dev_get_drvdata(adl_dev(a));
	unsigned int misuse = dxgk_misuse_count();
	HANDLE p1, a1, p2, a2;

	sched_page_pair(test, a, &p1, &a1, &p2, &a2);
	sched.bad_build = true;
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_INVALID_PARAMETER);
	sched.bad_build = false;
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	KUNIT_EXPECT_EQ(test, sched.submits, 0U);
	tm_reset(adl_dev(a));
	KUNIT_EXPECT_EQ(test, (u32)dxgk_paging_copy(adapter, a1, 0, a2, 0, 64),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, tm.copied, 64ULL);
	/* the ADLs of the refused pass are gone: Destroy is not misuse */
	adl_destroy(a, p1, a1);
	adl_destroy(a, p2, a2);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
}

/* DxgkCbNotifyInterrupt misuse: an unsubmitted fence, an unsupported type. */
static void sched_notify_misuse(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct dxgk_adapter *adapter = dev_get_drvdata(adl_dev(a));
	struct adl_fence f = { .a = a, .type = DXGK_INTERRUPT_DMA_COMPLETED };
	unsigned int before = dxgk_misuse_count();
	BOOLEAN ret;

	f.fence = READ_ONCE(adapter->fence_submitted) + 5;
	a->iface.DxgkCbSynchronizeExecution(a->iface.DeviceHandle,
					    adl_complete_sync, &f, 0, &ret);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), before + 1);
	f.fence = READ_ONCE(adapter->fence_submitted);
	f.type = DXGK_INTERRUPT_CRTC_VSYNC;
	a->iface.DxgkCbSynchronizeExecution(a->iface.DeviceHandle,
					    adl_complete_sync, &f, 0, &ret);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), before + 2);
	flush_work(&adapter->dpc);
}

/*
 * IOVA space runs out: edu's 28-bit mask gives 256 MiB of device
 * addresses. Whole-object ADLs of 32 MiB fit at most seven times (page 0 is
 * never handed out); the next is refused with STATUS_INSUFFICIENT_RESOURCES
 * and no ADL, not truncated or wrapped, and after FreeAdl the space is back.
 */
#define ADL_EXHAUST_SIZE	SZ_32M
#define ADL_EXHAUST_MAX		(((ADL_MASK + 1) / ADL_EXHAUST_SIZE) + 1)
static void adl_iova_exhausted(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	unsigned int misuse = dxgk_misuse_count(), n, i;
	DXGK_ADL *adls[ADL_EXHAUST_MAX], *adl;
	NTSTATUS status = STATUS_SUCCESS;
	HANDLE pmo, amo;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, ADL_EXHAUST_SIZE, 0,
		   U64_MAX >> 1, &pmo, &amo);
	for (n = 0; n < ADL_EXHAUST_MAX; n++) {
		status = adl_alloc(a, amo, 0, ADL_EXHAUST_SIZE, PREFER, &adls[n]);
		if (!NT_SUCCESS(status))
			break;
		KUNIT_EXPECT_LE(test, ((u64)adl_page(adls[n], adls[n]->PageCount - 1)
				       << PAGE_SHIFT) + PAGE_SIZE - 1, ADL_MASK);
	}
	kunit_info(test, "%u ADLs of 32 MiB before the IOVA space ran out", n);
	KUNIT_EXPECT_GE(test, n, 1U);
	KUNIT_EXPECT_LT(test, n, (unsigned int)((ADL_MASK + 1) / ADL_EXHAUST_SIZE));
	KUNIT_EXPECT_EQ(test, (u32)status, (u32)STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_TRUE(test, n < ADL_EXHAUST_MAX && !adls[n]);
	for (i = 0; i < n; i++)
		adl_free(a, amo, adls[i]);
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, amo, 0, ADL_EXHAUST_SIZE, PREFER, &adl),
			(u32)STATUS_SUCCESS);
	adl_free(a, amo, adl);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	adl_destroy(a, pmo, amo);
}

/*
 * DxgkCbOpenPhysicalMemoryObject / DxgkCbClosePhysicalMemoryObject: a PMO
 * created on the virtual adapter, closed there and opened on edu's, whose
 * ADLs then translate through edu's IOMMU domain; open twice, open on a
 * second adapter, close twice and close of an unknown AMO are refused.
 */
static void adl_open_close(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test), *v = &adl_virt_adapter;
	DXGKARGCB_OPEN_PHYSICAL_MEMORY_OBJECT o = { 0 };
	DXGKARGCB_CLOSE_PHYSICAL_MEMORY_OBJECT c = { 0 };
	const size_t size = 2 * PAGE_SIZE;
	unsigned int misuse = dxgk_misuse_count();
	HANDLE pmo, vamo, amo;
	phys_addr_t phys[2];
	DXGK_ADL *adl;

	KUNIT_ASSERT_TRUE(test, v->started);
	adl_create(test, v, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX >> 1,
		   &pmo, &vamo);
	adl_object_pages(test, v, pmo, size, phys);

	/* open where it is open already, and on a second adapter */
	o.hPhysicalMemoryObject = pmo;
	o.hAdapter = v->iface.DeviceHandle;
	KUNIT_EXPECT_EQ(test, (u32)v->iface.DxgkCbOpenPhysicalMemoryObject(&o),
			(u32)STATUS_OBJECT_NAME_COLLISION);
	KUNIT_EXPECT_NULL(test, o.hAdapterMemoryObject);
	o.hAdapter = a->iface.DeviceHandle;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbOpenPhysicalMemoryObject(&o),
			(u32)STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_NULL(test, o.hAdapterMemoryObject);

	/* close on the virtual adapter, open on edu's */
	c.hAdapterMemoryObject = vamo;
	v->iface.DxgkCbClosePhysicalMemoryObject(&c);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbOpenPhysicalMemoryObject(&o),
			(u32)STATUS_SUCCESS);
	amo = o.hAdapterMemoryObject;
	KUNIT_ASSERT_NOT_NULL(test, amo);
	KUNIT_EXPECT_PTR_NE(test, amo, vamo);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl),
			(u32)STATUS_SUCCESS);
	adl_check_translation(test, adl_dev(a), adl, phys);
	adl_free(a, amo, adl);

	/* the closed AMO is gone: no ADLs, a second close is misuse */
	KUNIT_EXPECT_EQ(test, (u32)adl_alloc(a, vamo, 0, size, 0, &adl),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	v->iface.DxgkCbClosePhysicalMemoryObject(&c);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	c.hAdapterMemoryObject = (HANDLE)(uintptr_t)0x7ffffff1;
	v->iface.DxgkCbClosePhysicalMemoryObject(&c);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 3);
	v->iface.DxgkCbClosePhysicalMemoryObject(NULL);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 4);

	/* unknown PMO, unknown adapter, NULL */
	o.hPhysicalMemoryObject = (HANDLE)(uintptr_t)0x7ffffff1;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbOpenPhysicalMemoryObject(&o),
			(u32)STATUS_INVALID_HANDLE);
	o.hPhysicalMemoryObject = pmo;
	o.hAdapter = (HANDLE)(uintptr_t)0x7ffffff1;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbOpenPhysicalMemoryObject(&o),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 6);
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbOpenPhysicalMemoryObject(NULL),
			(u32)STATUS_INVALID_PARAMETER);

	adl_destroy(a, pmo, amo);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 6);
}

/*
 * DxgkCbWriteDeviceSpace: a byte of edu's configuration space that no one
 * uses (Interrupt Line, read/write scratch for software), written and read
 * back both through the callbacks and through the PCI core; the bounds and
 * the virtual adapter are refused.
 */
static u32 adl_cfg(struct adl_adapter *a, bool write, void *buf, ULONG off,
		   ULONG len, ULONG space, ULONG *n)
{
	HANDLE h = a->iface.DeviceHandle;

	if (write)
		return a->iface.DxgkCbWriteDeviceSpace(h, space, buf, off, len, n);
	return a->iface.DxgkCbReadDeviceSpace(h, space, buf, off, len, n);
}

static void adl_write_device_space(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test), *v = &adl_virt_adapter;
	struct pci_dev *pdev = to_pci_dev(adl_dev(a));
	const ULONG cfg = DXGK_WHICHSPACE_CONFIG, line = PCI_INTERRUPT_LINE;
	u8 old, val, back = 0, *big;
	__le32 word = 0;
	ULONG n = 0;

	KUNIT_ASSERT_EQ(test, pci_read_config_byte(pdev, line, &old), 0);
	val = old ^ 0x5a;
	KUNIT_EXPECT_EQ(test, adl_cfg(a, true, &val, line, 1, cfg, &n),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(pdev, line, &back), 0);
	KUNIT_EXPECT_EQ(test, back, val);
	back = 0;
	KUNIT_EXPECT_EQ(test, adl_cfg(a, false, &back, line, 1, cfg, &n),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, back, val);
	KUNIT_EXPECT_EQ(test, adl_cfg(a, true, &old, line, 1, cfg, &n),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(pdev, line, &back), 0);
	KUNIT_EXPECT_EQ(test, back, old);
	/* the vendor and device ID, read as one dword */
	KUNIT_EXPECT_EQ(test, adl_cfg(a, false, &word, 0, 4, cfg, &n),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(word), 0x11e81234U);

	/*
	 * Past the end, another space, a virtual adapter: refused, nothing
	 * written. The buffer is as large as the lengths asked for, so that a
	 * port that let one through would not read past it.
	 */
	big = kunit_kzalloc(test, 2 * pdev->cfg_size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	big[0] = val;
	n = 7;
	KUNIT_EXPECT_EQ(test, adl_cfg(a, true, big, pdev->cfg_size, 1, cfg, &n),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, n, 0U);
	KUNIT_EXPECT_EQ(test, adl_cfg(a, true, big, line, pdev->cfg_size, cfg, &n),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, adl_cfg(a, true, &val, 0, 1, DXGK_WHICHSPACE_MCH, &n),
			(u32)STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, adl_cfg(v, true, &val, 0, 1, cfg, &n),
			(u32)STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_EQ(test, pci_read_config_byte(pdev, line, &back), 0);
	KUNIT_EXPECT_EQ(test, back, old);
}

/*
 * An object whose GEM object went while a miniport still holds one of its
 * ADLs is destroyed when that ADL is freed, not leaked until unload.
 */
static void adl_orphan_reaped(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	unsigned int misuse = dxgk_misuse_count(), n;
	const size_t size = 2 * PAGE_SIZE;
	struct dxgk_pmo *obj;
	HANDLE pmo, amo;
	DXGK_ADL *adl;

	adl_create(test, a, DXGK_PHYSICAL_MEMORY_TYPE_MDL, size, 0, U64_MAX,
		   &pmo, &amo);
	KUNIT_ASSERT_EQ(test, (u32)adl_alloc(a, amo, 0, size, PREFER, &adl),
			(u32)STATUS_SUCCESS);
	n = dxgk_pmo_count();
	obj = dxgk_pmo_get(pmo);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	dxgk_pmo_orphan(obj);		/* what dxgk_gem_free() does */
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n);
	adl_free(a, amo, adl);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), n - 1);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
}

/* WDDM 2.4: DxgkCbAllocatePagesForMdl and friends. */

static HANDLE adl_h(struct adl_adapter *a)
{
	return a->iface.DeviceHandle;
}

static void adl24_unmap(struct adl_adapter *a, HANDLE h)
{
	DXGKARGCB_UNMAPMDLFROMIOMMU u = { .hMemoryHandle = h };

	a->iface.DxgkCbUnmapMdlFromIoMmu(adl_h(a), &u);
}

static NTSTATUS adl24_free_pages(struct adl_adapter *a, HANDLE h)
{
	DXGKARGCB_FREEPAGESFROMMDL f = { .hMemoryHandle = h };

	return a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &f);
}

static NTSTATUS adl24_free_contig(struct adl_adapter *a, HANDLE h)
{
	DXGKARGCB_FREECONTIGUOUSMEMORY f = { .hMemoryHandle = h };

	return a->iface.DxgkCbFreeContiguousMemory(adl_h(a), &f);
}

static u64 adl_devaddr(struct kunit *test, struct adl_adapter *a, HANDLE h,
		       size_t off)
{
	PHYSICAL_ADDRESS pa;

	KUNIT_EXPECT_EQ(test, (u32)DxgkLinuxQueryDeviceAddress(adl_h(a), h, off, &pa),
			(u32)STATUS_SUCCESS);
	return pa.QuadPart;
}

/*
 * Pages above edu's 256 MiB reach: the MDL has their physical numbers in
 * the window, the device reaches each through VT-d at the address
 * DxgkLinuxQueryDeviceAddress gives, and after the free no longer.
 */
static void iommu24_pages_translated(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	unsigned int misuse = dxgk_misuse_count(), i;
	DXGKARGCB_ALLOCATEPAGESFORMDL p = {
		.LowAddress.QuadPart = 0x10000000ULL,
		.HighAddress.QuadPart = S64_MAX,
		.TotalBytes = 16 * PAGE_SIZE - 100,	/* rounded up to pages */
		.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED,
	};
	DXGKARGCB_FREEPAGESFROMMDL f = { };
	struct iommu_domain *domain = iommu_get_domain_for_dev(adl_dev(a));
	PHYSICAL_ADDRESS end;
	NTSTATUS status;
	u64 iova[16];
	PPFN_NUMBER pfn;
	u32 *va;

	KUNIT_ASSERT_NOT_NULL(test, domain);
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, p.pMdl);
	KUNIT_ASSERT_NOT_NULL(test, p.hMemoryHandle);
	KUNIT_EXPECT_EQ(test, MmGetMdlByteCount(p.pMdl), (ULONG)(16 * PAGE_SIZE));
	KUNIT_EXPECT_EQ(test, MmGetMdlByteOffset(p.pMdl), 0U);
	pfn = MmGetMdlPfnArray(p.pMdl);
	for (i = 0; i < 16; i++) {
		phys_addr_t phys = (phys_addr_t)pfn[i] << PAGE_SHIFT;

		KUNIT_EXPECT_GE_MSG(test, phys, (phys_addr_t)0x10000000ULL, "page %u", i);
		iova[i] = adl_devaddr(test, a, p.hMemoryHandle, i * PAGE_SIZE + 8);
		KUNIT_EXPECT_LE_MSG(test, iova[i], ADL_MASK, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(domain, iova[i]), phys + 8,
				    "page %u", i);
	}
	/* Past the end: refused. */
	status = DxgkLinuxQueryDeviceAddress(adl_h(a), p.hMemoryHandle, 16 * PAGE_SIZE, &end);
	KUNIT_EXPECT_EQ(test, (u32)status, (u32)STATUS_INVALID_PARAMETER);

	/* The kernel mapping shows the pages the PFN array names. */
	va = MmGetSystemAddressForMdlSafe(p.pMdl, NormalPagePriority);
	KUNIT_ASSERT_NOT_NULL(test, va);
	KUNIT_EXPECT_PTR_EQ(test, MmGetSystemAddressForMdlSafe(p.pMdl, NormalPagePriority),
			    (PVOID)va);
	va[PAGE_SIZE / 4 * 5] = 0xfeedf00d;
	KUNIT_EXPECT_EQ(test, *(u32 *)pfn_to_kaddr(pfn[5]), 0xfeedf00dU);
	/* An MDL of DxgkCbAllocatePagesForMdl is not IoFreeMdl's. */
	IoFreeMdl(p.pMdl);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);

	f.hMemoryHandle = p.hMemoryHandle;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &f),
			(u32)STATUS_SUCCESS);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(domain, iova[i]), (phys_addr_t)0,
				    "page %u", i);
	/* Twice, or the wrong kind: misuse. */
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &f),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	KUNIT_EXPECT_EQ(test, dxgk_iommu24_count(adl_h(a)), 0U);
}

/* Bad arguments: a clear status, nothing allocated. */
static void iommu24_bad_args(struct kunit *test)
{
	struct adl_adapter *a = &adl_virt_adapter;
	DXGKARGCB_ALLOCATEPAGESFORMDL p = {
		.HighAddress.QuadPart = ADL_MASK,
		.TotalBytes = SZ_4G,	/* over the MDL limit */
	};
	DXGKARGCB_ALLOCATECONTIGUOUSMEMORY c = {
		.HighestAcceptableAddress.QuadPart = ADL_MASK,
	};
	DXGKARGCB_MAPMDLTOIOMMU m = { };
	unsigned int misuse = dxgk_misuse_count();

	KUNIT_ASSERT_TRUE(test, a->started);
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_INVALID_PARAMETER);
	p.TotalBytes = 0;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, p.pMdl);
	/* High below Low: no such pages. */
	p.TotalBytes = PAGE_SIZE;
	p.LowAddress.QuadPart = ADL_MASK;
	p.HighAddress.QuadPart = 0x1000000;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_NULL(test, p.hMemoryHandle);
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbAllocateContiguousMemory(adl_h(a), &c),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse);
	/* No MDL; an unknown adapter; unknown handles. */
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbMapMdlToIoMmu(adl_h(a), &m),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl((HANDLE)0x7777, &p),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	adl24_unmap(a, (HANDLE)0x1233);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 3);
	KUNIT_EXPECT_EQ(test, (u32)adl24_free_contig(a, (HANDLE)0x5),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 4);
}

/* Contiguous memory: window, boundary, one device range, the kernel VA. */
static void iommu24_contiguous(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct iommu_domain *domain = iommu_get_domain_for_dev(adl_dev(a));
	DXGKARGCB_ALLOCATECONTIGUOUSMEMORY c = {
		.NumberOfBytes = 8 * PAGE_SIZE,
		.LowestAcceptableAddress.QuadPart = 0x1000000ULL,
		.HighestAcceptableAddress.QuadPart = 0xFFFFFFFFULL,
		.BoundaryAddressMultiple.QuadPart = SZ_64K,
		.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED,
	};
	DXGKARGCB_FREEPAGESFROMMDL wrong = { };
	DXGKARGCB_FREECONTIGUOUSMEMORY f = { };
	unsigned int misuse = dxgk_misuse_count(), i;
	u64 phys, dev;
	u8 *va;

	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbAllocateContiguousMemory(adl_h(a), &c),
			(u32)STATUS_SUCCESS);
	va = c.pMemory;
	KUNIT_ASSERT_NOT_NULL(test, va);
	phys = MmGetPhysicalAddress(va).QuadPart;
	KUNIT_EXPECT_GE(test, phys, 0x1000000ULL);
	KUNIT_EXPECT_LE(test, phys + 8 * PAGE_SIZE - 1, 0xFFFFFFFFULL);
	KUNIT_EXPECT_EQ(test, phys / SZ_64K, (phys + 8 * PAGE_SIZE - 1) / SZ_64K);
	dev = adl_devaddr(test, a, c.hMemoryHandle, 0);
	for (i = 0; i < 8; i++) {
		KUNIT_EXPECT_EQ_MSG(test, (u64)MmGetPhysicalAddress(va + i * PAGE_SIZE).QuadPart,
				    phys + i * PAGE_SIZE, "page %u", i);
		/* Contiguous for the device too. */
		KUNIT_EXPECT_EQ_MSG(test, adl_devaddr(test, a, c.hMemoryHandle, i * PAGE_SIZE),
				    dev + i * PAGE_SIZE, "page %u", i);
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(domain, dev + i * PAGE_SIZE),
				    (phys_addr_t)(phys + i * PAGE_SIZE), "page %u", i);
	}
	memset(va, 0x3c, 8 * PAGE_SIZE);
	/* A contiguous-memory handle is not FreePagesFromMdl's. */
	wrong.hMemoryHandle = c.hMemoryHandle;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &wrong),
			(u32)STATUS_INVALID_HANDLE);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	f.hMemoryHandle = c.hMemoryHandle;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreeContiguousMemory(adl_h(a), &f),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, dev), (phys_addr_t)0);
}

/*
 * The miniport's own MDL (non-paged pool, not page aligned): mapped for the
 * device; the pool and the MDL cannot be freed under the mapping (misuse,
 * refused, freed at the unmap); a second unmap is misuse.
 */
static void iommu24_mdl_map(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	struct iommu_domain *domain = iommu_get_domain_for_dev(adl_dev(a));
	unsigned int misuse = dxgk_misuse_count();
	DXGKARGCB_MAPMDLTOIOMMU m = { };
	DXGKARGCB_UNMAPMDLFROMIOMMU u = { };
	const size_t len = 3 * PAGE_SIZE;
	size_t off;
	u8 *buf;

	buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4 * PAGE_SIZE, 0x34326b64);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	m.pMdl = IoAllocateMdl(buf + 300, len, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, m.pMdl);
	MmBuildMdlForNonPagedPool(m.pMdl);
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbMapMdlToIoMmu(adl_h(a), &m),
			(u32)STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, m.hMemoryHandle);
	for (off = 0; off < len; off += PAGE_SIZE / 2) {
		u64 iova = adl_devaddr(test, a, m.hMemoryHandle, off);

		KUNIT_EXPECT_LE(test, iova, ADL_MASK);
		KUNIT_EXPECT_EQ_MSG(test, iommu_iova_to_phys(domain, iova),
				    (phys_addr_t)virt_to_phys(buf + 300 + off),
				    "offset %zu", off);
	}
	off = adl_devaddr(test, a, m.hMemoryHandle, 0);

	ExFreePoolWithTag(buf, 0x34326b64);	/* refused: still mapped */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	IoFreeMdl(m.pMdl);			/* refused: freed at the unmap */
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	buf[300] = 1;	/* still ours: KASAN would see a use after free */
	u.hMemoryHandle = m.hMemoryHandle;
	a->iface.DxgkCbUnmapMdlFromIoMmu(adl_h(a), &u);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(domain, off), (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 2);
	a->iface.DxgkCbUnmapMdlFromIoMmu(adl_h(a), &u);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 3);
	/* buf and the MDL went with the unmap: kmemleak sees no leak. */
}

/* A DxgkCbAllocatePagesForMdl MDL mapped again: not freed under the mapping. */
static void iommu24_pages_then_map(struct kunit *test)
{
	struct adl_adapter *a = adl_need_iommu(test);
	unsigned int misuse = dxgk_misuse_count();
	DXGKARGCB_ALLOCATEPAGESFORMDL p = {
		.HighAddress.QuadPart = S64_MAX,
		.TotalBytes = 2 * PAGE_SIZE,
	};
	DXGKARGCB_MAPMDLTOIOMMU m = { };
	DXGKARGCB_FREEPAGESFROMMDL f = { };

	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_SUCCESS);
	m.pMdl = p.pMdl;
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbMapMdlToIoMmu(adl_h(a), &m),
			(u32)STATUS_SUCCESS);
	f.hMemoryHandle = p.hMemoryHandle;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &f),
			(u32)STATUS_INVALID_PARAMETER);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
	adl24_unmap(a, m.hMemoryHandle);
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &f),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 1);
}

/* Write-combined pages: the linear map of each carries WC (x86 PAT). */
static void iommu24_pages_wc(struct kunit *test)
{
	struct adl_adapter *a = &adl_virt_adapter;
	DXGKARGCB_ALLOCATEPAGESFORMDL p = {
		.HighAddress.QuadPart = ADL_MASK,
		.TotalBytes = 4 * PAGE_SIZE,
		.CacheType = DXGK_MEMORY_CACHING_TYPE_WRITE_COMBINED,
	};
	DXGKARGCB_FREEPAGESFROMMDL f = { };
	unsigned int i;

	KUNIT_ASSERT_TRUE(test, a->started);
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_SUCCESS);
#ifdef CONFIG_X86
	for (i = 0; i < 4; i++) {
		unsigned long pfn = MmGetMdlPfnArray(p.pMdl)[i];
		unsigned int level;
		pte_t *pte = lookup_address((unsigned long)pfn_to_kaddr(pfn), &level);
		pgprot_t prot;

		KUNIT_ASSERT_NOT_NULL(test, pte);
		prot = pte_pgprot(*pte);
		if (level != PG_LEVEL_4K)
			prot = pgprot_large_2_4k(prot);
		KUNIT_EXPECT_EQ_MSG(test, pgprot_val(prot) & _PAGE_CACHE_MASK,
				    cachemode2protval(_PAGE_CACHE_MODE_WC), "page %u", i);
	}
#endif
	f.hMemoryHandle = p.hMemoryHandle;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbFreePagesFromMdl(adl_h(a), &f),
			(u32)STATUS_SUCCESS);
}

/*
 * Without an IOMMU, the 1:1 rule holds: the device address of every byte
 * is its physical address; memory the device cannot reach that way is
 * refused, never bounced.
 */
static void iommu24_identity_no_iommu(struct kunit *test)
{
	struct adl_adapter *a = &adl_virt_adapter;
	DXGKARGCB_ALLOCATEPAGESFORMDL p = {
		.HighAddress.QuadPart = ADL_MASK,
		.TotalBytes = 4 * PAGE_SIZE,
	};
	DXGKARGCB_ALLOCATECONTIGUOUSMEMORY c = {
		.NumberOfBytes = 2 * PAGE_SIZE,
		.HighestAcceptableAddress.QuadPart = ADL_MASK,
	};
	DXGKARGCB_MAPMDLTOIOMMU m = { };
	unsigned int i;
	NTSTATUS status;
	u8 *buf;

	KUNIT_ASSERT_TRUE(test, a->started);
	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_SUCCESS);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ_MSG(test, adl_devaddr(test, a, p.hMemoryHandle, i * PAGE_SIZE),
				    (u64)MmGetMdlPfnArray(p.pMdl)[i] << PAGE_SHIFT,
				    "page %u", i);
	KUNIT_EXPECT_EQ(test, (u32)adl24_free_pages(a, p.hMemoryHandle),
			(u32)STATUS_SUCCESS);

	KUNIT_ASSERT_EQ(test, (u32)a->iface.DxgkCbAllocateContiguousMemory(adl_h(a), &c),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, adl_devaddr(test, a, c.hMemoryHandle, 5),
			(u64)MmGetPhysicalAddress((u8 *)c.pMemory + 5).QuadPart);
	KUNIT_EXPECT_EQ(test, (u32)adl24_free_contig(a, c.hMemoryHandle),
			(u32)STATUS_SUCCESS);

	/*
	 * Pages above the 28-bit mask (the box has RAM there: adl_mdl_translated
	 * places pages so): the device cannot reach them, refused.
	 */
	p.LowAddress.QuadPart = 0x10000000ULL;
	p.HighAddress.QuadPart = S64_MAX;
	KUNIT_EXPECT_EQ(test, (u32)a->iface.DxgkCbAllocatePagesForMdl(adl_h(a), &p),
			(u32)STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_NULL(test, p.pMdl);

	buf = ExAllocatePool2(POOL_FLAG_NON_PAGED, PAGE_SIZE, 0x34326b64);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	m.pMdl = IoAllocateMdl(buf, PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, m.pMdl);
	MmBuildMdlForNonPagedPool(m.pMdl);
	status = a->iface.DxgkCbMapMdlToIoMmu(adl_h(a), &m);
	if (virt_to_phys(buf) + PAGE_SIZE - 1 > ADL_MASK) {
		KUNIT_EXPECT_EQ(test, (u32)status, (u32)STATUS_NOT_SUPPORTED);
	} else {
		KUNIT_EXPECT_EQ(test, (u32)status, (u32)STATUS_SUCCESS);
		KUNIT_EXPECT_EQ(test, adl_devaddr(test, a, m.hMemoryHandle, 0),
				(u64)virt_to_phys(buf));
		adl24_unmap(a, m.hMemoryHandle);
	}
	IoFreeMdl(m.pMdl);
	ExFreePool(buf);
}

/* A miniport of its own, so that its adapter can go with allocations left. */
static DXGKRNL_INTERFACE leftover_iface;

static NTSTATUS leftover_add(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			     PVOID *MiniportDeviceContext)
{
	*MiniportDeviceContext = &leftover_iface;
	return STATUS_SUCCESS;
}

static NTSTATUS leftover_start(IN_CONST_PVOID MiniportDeviceContext,
			       IN_PDXGK_START_INFO DxgkStartInfo,
			       IN_PDXGKRNL_INTERFACE DxgkInterface,
			       PULONG NumberOfVideoPresentSources,
			       PULONG NumberOfChildren)
{
	leftover_iface = *DxgkInterface;
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return STATUS_SUCCESS;
}

static NTSTATUS leftover_stop(IN_CONST_PVOID MiniportDeviceContext)
{
	return STATUS_SUCCESS;
}

static DRIVER_OBJECT leftover_drvobj = {
	.Owner = THIS_MODULE,
	.DriverName = "dxgk_kunit_24",
};

/* What the miniport left at RemoveDevice: misuse, counted and freed. */
static void iommu24_leftovers(struct kunit *test)
{
	DRIVER_INITIALIZATION_DATA init = {
		.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_4,
		.DxgkDdiAddDevice = leftover_add,
		.DxgkDdiStartDevice = leftover_start,
		.DxgkDdiStopDevice = leftover_stop,
		.DxgkDdiRemoveDevice = adl_remove_device,
		.DxgkDdiQueryAdapterInfo = adl_query_adapter_info,
		.DxgkDdiUnload = adl_unload,
	};
	DXGKARGCB_ALLOCATEPAGESFORMDL p = {
		.HighAddress.QuadPart = ADL_MASK,
		.TotalBytes = 3 * PAGE_SIZE,
	};
	DXGKARGCB_ALLOCATECONTIGUOUSMEMORY c = {
		.NumberOfBytes = PAGE_SIZE,
		.HighestAcceptableAddress.QuadPart = ADL_MASK,
	};
	DXGKARGCB_MAPMDLTOIOMMU m = { };
	unsigned int misuse, objects;
	HANDLE h;

	objects = dxgk_pmo_count();
	memset(&leftover_iface, 0, sizeof(leftover_iface));
	KUNIT_ASSERT_EQ(test, (u32)DxgkInitialize(&leftover_drvobj, NULL, &init),
			(u32)STATUS_SUCCESS);
	KUNIT_ASSERT_NOT_NULL(test, leftover_iface.DeviceHandle);
	KUNIT_EXPECT_GE(test, leftover_iface.Version, (ULONG)DXGKDDI_INTERFACE_VERSION_WDDM2_4);
	h = leftover_iface.DeviceHandle;
	KUNIT_EXPECT_EQ(test, (u32)leftover_iface.DxgkCbAllocatePagesForMdl(h, &p),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, (u32)leftover_iface.DxgkCbAllocateContiguousMemory(h, &c),
			(u32)STATUS_SUCCESS);
	m.pMdl = p.pMdl;
	KUNIT_EXPECT_EQ(test, (u32)leftover_iface.DxgkCbMapMdlToIoMmu(h, &m),
			(u32)STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), objects + 2);
	misuse = dxgk_misuse_count();
	dxgk_miniport_module_exit(&leftover_drvobj);
	KUNIT_EXPECT_EQ(test, dxgk_misuse_count(), misuse + 3);
	KUNIT_EXPECT_EQ(test, dxgk_pmo_count(), objects);
	/* The adapter is gone: its handle is refused. */
	KUNIT_EXPECT_EQ(test, (u32)leftover_iface.DxgkCbAllocatePagesForMdl(h, &p),
			(u32)STATUS_INVALID_HANDLE);
}

static struct kunit_case dxgk_adl_cases[] = {
	KUNIT_CASE(adl_mdl_translated),
	KUNIT_CASE(adl_mdl_pages_array),
	KUNIT_CASE(adl_require_contiguous),
	KUNIT_CASE(adl_section),
	KUNIT_CASE(adl_overlapping),
	KUNIT_CASE(adl_bad_args),
	KUNIT_CASE(adl_lifetime),
	KUNIT_CASE(adl_no_iommu_mask),
	KUNIT_CASE(adl_iova_exhausted),
	KUNIT_CASE(adl_open_close),
	KUNIT_CASE(adl_orphan_reaped),
	KUNIT_CASE(adl_write_device_space),
	KUNIT_CASE(sched_interrupt_to_dpc),
	KUNIT_CASE(sched_synchronize),
	KUNIT_CASE(sched_paging_copy),
	KUNIT_CASE(sched_paging_faulted),
	KUNIT_CASE(sched_paging_timeout),
	KUNIT_CASE(sched_paging_reset_fails),
	KUNIT_CASE(sched_paging_late_completion),
	KUNIT_CASE(sched_interrupt_storm),
	KUNIT_CASE(sched_paging_bad_build),
	KUNIT_CASE(sched_notify_misuse),
	KUNIT_CASE(iommu24_pages_translated),
	KUNIT_CASE(iommu24_bad_args),
	KUNIT_CASE(iommu24_contiguous),
	KUNIT_CASE(iommu24_mdl_map),
	KUNIT_CASE(iommu24_pages_then_map),
	KUNIT_CASE(iommu24_pages_wc),
	KUNIT_CASE(iommu24_identity_no_iommu),
	KUNIT_CASE(iommu24_leftovers),
	{}
};

static struct kunit_suite dxgk_adl_suite = {
	.name = "dxgkcompat_adl",
	.suite_init = adl_suite_init,
	.suite_exit = adl_suite_exit,
	.test_cases = dxgk_adl_cases,
};

kunit_test_suite(dxgk_adl_suite);
