// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * dxgk_edu - a WDK-style sample display miniport for QEMU's edu device.
 *
 * QEMU's "edu" PCI device (1234:11e8, docs/specs/edu.rst in QEMU) has one
 * memory BAR with an identification register, a liveness register that
 * returns the inverse of what was written, and a DMA engine whose addresses
 * are 28 bits wide. StartDevice finds BAR0 through
 * DxgkCbGetDeviceInformation, maps it with DxgkCbMapMemory, and checks the
 * PCI ids (DxgkCbReadDeviceSpace), the identification register and the
 * liveness register.
 *
 * It also drives edu's DMA engine as a tiny paging engine. The port maps
 * ADLs into an aperture segment with DXGK_OPERATION_MAP_APERTURE_SEGMENT2;
 * edu has no MMU, so the aperture is a software GART here, and mapping is
 * a GART command carrying the ADL's page numbers in the paging buffer,
 * executed in order with the transfers (as a GPU writes its page tables
 * from its command stream). A DXGK_OPERATION_TRANSFER becomes, per chunk
 * of up to 4095 bytes, a READ command (memory to edu's buffer at 0x40000)
 * and a WRITE command (buffer to memory), with aperture addresses. The
 * engine runs at interrupt time: each DMA piece is one range contiguous in
 * device addresses, resolved through the GART (one or more pages); edu
 * raises an MSI when it is done,
 * the interrupt routine programs the next piece, and the last command of a
 * submission is a fence whose interrupt (raised through edu's interrupt
 * raise register) is reported with DxgkCbNotifyInterrupt(DMA_COMPLETED),
 * followed by DxgkCbQueueDpc and, in the DPC, DxgkCbNotifyDpc.
 * DxgkDdiSubmitCommand hands commands to the engine through
 * DxgkCbSynchronizeExecution. Device addresses never come from anywhere
 * but an ADL.
 *
 * WDDM 2.4 mode (module parameter wddm24=1): each piece of a transfer also
 * passes through memory of the miniport's own, as a 2.4 driver's DMA
 * buffers would: a page from DxgkCbAllocatePagesForMdl for reads, one from
 * DxgkCbAllocateContiguousMemory for writes (buffer -> page -> buffer,
 * then on). The device addresses of those pages come from
 * DxgkLinuxQueryDeviceAddress, the one Linux line of that mode: it is the
 * physical address (the 2.4 1:1 rule) when the IOMMU does not translate.
 *
 * As in virt.c, only the DXGK_DRIVER_OBJECT / DXGK_MINIPORT_MODULE lines at
 * the end are Linux: the rest is WDK code.
 */

#include <dispmprt.h>

#define EDU_POOL_TAG		0x20756445 /* 'Edu ' */
#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8

#define EDU_REG_ID		0x00	/* 0xRRrr00ed: major, minor, 0xed */
#define EDU_REG_LIVENESS	0x04	/* reads back ~written value */
#define EDU_REG_INTR_STATUS	0x24
#define EDU_REG_INTR_RAISE	0x60
#define EDU_REG_INTR_ACK	0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_ID_MAGIC		0xed
#define EDU_BAR_MIN_SIZE	0x1000

#define EDU_DMA_RUN		0x1
#define EDU_DMA_TO_RAM		0x2	/* direction: buffer -> memory */
#define EDU_DMA_IRQ		0x4	/* raise EDU_INTR_DMA when done */
#define EDU_INTR_DMA		0x100
#define EDU_INTR_FENCE		0x200	/* ours, raised through INTR_RAISE */
#define EDU_BUFFER_ADDRESS	0x40000
#define EDU_BUFFER_SIZE		0x1000
/*
 * QEMU's edu (7.2) checks that a transfer ends strictly before the end of
 * its buffer and aborts the whole machine otherwise: use one byte less.
 */
#define EDU_BUFFER_USABLE	(EDU_BUFFER_SIZE - 1)
#define EDU_RESET_POLL_MS	300

#define EDU_APERTURE_SEGMENT	DXGK_PAGING_APERTURE_SEGMENT
#define EDU_APERTURE_PAGES	DXGK_PAGING_APERTURE_PAGES
#define EDU_GART_INVALID	(~(DXGK_PAGE_NUMBER)0)
#define EDU_RING_SIZE		64

typedef enum _EDU_OPCODE {
	EDU_CMD_READ = 1,	/* aperture -> buffer */
	EDU_CMD_WRITE = 2,	/* buffer -> aperture */
	EDU_CMD_FENCE = 3,	/* end of a submission */
	EDU_CMD_GART_SET = 4,	/* Length page numbers follow the command */
	EDU_CMD_GART_CLEAR = 5,
} EDU_OPCODE;

/*
 * A command in a paging buffer: aperture addresses only. For the GART
 * commands, Length is a page count and ApertureAddress the first page.
 */
typedef struct _EDU_COMMAND {
	ULONG Opcode;
	ULONG Length;
	ULONG BufferOffset;
	ULONG FenceId;
	ULONGLONG ApertureAddress;
} EDU_COMMAND;

/* Private data of a paging buffer: one record per command, in order. */
typedef struct _EDU_PAGING_RECORD {
	EDU_COMMAND *Command;
} EDU_PAGING_RECORD;

/* The DMA engine drives 28 address bits. */
#define EDU_HIGHEST_VISIBLE_ADDRESS	0x0FFFFFFFULL

typedef struct _EDU_ADAPTER {
	PDEVICE_OBJECT PhysicalDeviceObject;
	DXGKRNL_INTERFACE DxgkInterface;
	PHYSICAL_ADDRESS RegistersPhysical;
	ULONG RegistersLength;
	PUCHAR Registers;
	ULONG Revision;

	/* The engine, under the interrupt spinlock (SynchronizeExecution). */
	DXGK_PAGE_NUMBER Gart[EDU_APERTURE_PAGES];
	/* Commands in the port's paging buffers, live until their fence. */
	const EDU_COMMAND *Ring[EDU_RING_SIZE];
	EDU_COMMAND Fences[EDU_RING_SIZE];
	ULONG Head;		/* next command to run */
	ULONG Tail;		/* next free slot */
	ULONG Progress;		/* bytes of Ring[Head] done */
	ULONG PieceLength;	/* bytes of the DMA in flight */
	BOOLEAN Busy;		/* a DMA or a fence interrupt is outstanding */
	BOOLEAN Faulted;	/* the current submission hit an invalid address */
	ULONG Stage;		/* 2.4 mode: DMA of the piece in flight, 0..2 */

	/* WDDM 2.4 mode: the staging pages and their device addresses. */
	BOOLEAN Wddm24;
	HANDLE ContiguousHandle;
	PVOID ContiguousVa;
	HANDLE MdlHandle;
	PMDL Mdl;
	ULONGLONG StagingDevice[2];	/* [0] contiguous (writes), [1] MDL (reads) */
} EDU_ADAPTER, *PEDU_ADAPTER;

/* Test hook (module parameter hang_submissions): drop this many submissions. */
static ULONG EduHangSubmissions;
/* Module parameter wddm24: stage every piece through 2.4 memory. */
static bool EduWddm24;

static DXGKDDI_ADD_DEVICE EduAddDevice;
static DXGKDDI_START_DEVICE EduStartDevice;
static DXGKDDI_STOP_DEVICE EduStopDevice;
static DXGKDDI_REMOVE_DEVICE EduRemoveDevice;
static DXGKDDI_QUERYADAPTERINFO EduQueryAdapterInfo;
static DXGKDDI_UNLOAD EduUnload;
static DXGKDDI_INTERRUPT_ROUTINE EduInterruptRoutine;
static DXGKDDI_DPC_ROUTINE EduDpcRoutine;
static DXGKDDI_BUILDPAGINGBUFFER EduBuildPagingBuffer;
static DXGKDDI_SUBMITCOMMAND EduSubmitCommand;
static DXGKDDI_RESETFROMTIMEOUT EduResetFromTimeout;
static DXGKDDI_RESTARTFROMTIMEOUT EduRestartFromTimeout;

static ULONG EduReadRegister(PEDU_ADAPTER Adapter, ULONG Offset)
{
	return READ_REGISTER_ULONG((PULONG)(Adapter->Registers + Offset));
}

static VOID EduWriteRegister(PEDU_ADAPTER Adapter, ULONG Offset, ULONG Value)
{
	WRITE_REGISTER_ULONG((PULONG)(Adapter->Registers + Offset), Value);
}

static NTSTATUS EduAddDevice(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
			     PVOID *MiniportDeviceContext)
{
	PEDU_ADAPTER Adapter;

	Adapter = ExAllocatePool2(POOL_FLAG_NON_PAGED, sizeof(*Adapter),
				  EDU_POOL_TAG);
	if (!Adapter)
		return STATUS_NO_MEMORY;
	Adapter->PhysicalDeviceObject = PhysicalDeviceObject;
	for (ULONG i = 0; i < EDU_APERTURE_PAGES; i++)
		Adapter->Gart[i] = EDU_GART_INVALID;
	*MiniportDeviceContext = Adapter;
	return STATUS_SUCCESS;
}

/* Check the PCI ids in configuration space. */
static NTSTATUS EduCheckPciIds(PEDU_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	PCI_COMMON_HEADER Header;
	ULONG BytesRead = 0;
	NTSTATUS Status;

	Status = Dxgk->DxgkCbReadDeviceSpace(Dxgk->DeviceHandle,
					     DXGK_WHICHSPACE_CONFIG, &Header, 0,
					     sizeof(Header), &BytesRead);
	if (!NT_SUCCESS(Status))
		return Status;
	if (BytesRead != sizeof(Header) || Header.VendorID != EDU_VENDOR_ID ||
	    Header.DeviceID != EDU_DEVICE_ID)
		return STATUS_DEVICE_DOES_NOT_EXIST;
	return STATUS_SUCCESS;
}

/* Find the register BAR: the first memory range of the resource list. */
static NTSTATUS EduFindRegisters(PEDU_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	PCM_PARTIAL_RESOURCE_DESCRIPTOR Desc;
	PCM_RESOURCE_LIST Resources;
	DXGK_DEVICE_INFO DeviceInfo;
	NTSTATUS Status;
	ULONG i;

	Status = Dxgk->DxgkCbGetDeviceInformation(Dxgk->DeviceHandle, &DeviceInfo);
	if (!NT_SUCCESS(Status))
		return Status;

	Resources = DeviceInfo.TranslatedResourceList;
	if (!Resources || Resources->Count < 1)
		return STATUS_DEVICE_DOES_NOT_EXIST;

	Desc = Resources->List[0].PartialResourceList.PartialDescriptors;
	for (i = 0; i < Resources->List[0].PartialResourceList.Count; i++, Desc++) {
		if (Desc->Type != CmResourceTypeMemory)
			continue;
		if (Desc->u.Memory.Length < EDU_BAR_MIN_SIZE)
			continue;
		Adapter->RegistersPhysical = Desc->u.Memory.Start;
		Adapter->RegistersLength = Desc->u.Memory.Length;
		return STATUS_SUCCESS;
	}
	return STATUS_DEVICE_DOES_NOT_EXIST;
}

/* ------------------------------------------------------------------ */
/* The paging engine                                                   */
/* ------------------------------------------------------------------ */

static ULONG EduRingCount(PEDU_ADAPTER Adapter)
{
	return Adapter->Tail - Adapter->Head;
}

/*
 * Resolve the next piece of the current command through the GART: as many
 * bytes as are contiguous in device address space. FALSE if the aperture
 * address is not mapped or the device cannot reach the address.
 */
/* Run a GART command. FALSE if it names pages outside the aperture. */
static BOOLEAN EduGart(PEDU_ADAPTER Adapter, const EDU_COMMAND *Cmd)
{
	const DXGK_PAGE_NUMBER *Pages = (const DXGK_PAGE_NUMBER *)(Cmd + 1);
	ULONGLONG First = Cmd->ApertureAddress;
	ULONG i;

	if (First > EDU_APERTURE_PAGES || Cmd->Length > EDU_APERTURE_PAGES - First)
		return FALSE;
	for (i = 0; i < Cmd->Length; i++)
		Adapter->Gart[First + i] = Cmd->Opcode == EDU_CMD_GART_SET ?
					   Pages[i] : EDU_GART_INVALID;
	return TRUE;
}

static BOOLEAN EduResolve(PEDU_ADAPTER Adapter, const EDU_COMMAND *Cmd,
			  ULONGLONG *DeviceAddress, ULONG *Length)
{
	ULONGLONG Aperture = Cmd->ApertureAddress + Adapter->Progress;
	ULONG Left = Cmd->Length - Adapter->Progress;
	ULONGLONG Index = Aperture / PAGE_SIZE;
	ULONG Offset = Aperture % PAGE_SIZE;
	ULONG Bytes;

	if (Index >= EDU_APERTURE_PAGES || Adapter->Gart[Index] == EDU_GART_INVALID)
		return FALSE;
	*DeviceAddress = (ULONGLONG)Adapter->Gart[Index] * PAGE_SIZE + Offset;
	Bytes = min_t(ULONG, Left, PAGE_SIZE - Offset);
	while (Bytes < Left && Index + 1 < EDU_APERTURE_PAGES &&
	       Adapter->Gart[Index + 1] == Adapter->Gart[Index] + 1) {
		Index++;
		Bytes = min_t(ULONG, Left, Bytes + PAGE_SIZE);
	}
	if (*DeviceAddress + Bytes - 1 > EDU_HIGHEST_VISIBLE_ADDRESS)
		return FALSE;
	*Length = Bytes;
	return TRUE;
}

/*
 * One DMA of the piece: to or from the aperture's device address, or, in
 * 2.4 mode, through a staging page: a read's piece goes device -> buffer,
 * buffer -> MDL page, MDL page -> buffer; a write's buffer -> contiguous
 * page, contiguous page -> buffer, buffer -> device.
 */
static VOID EduStartDma(PEDU_ADAPTER Adapter, ULONG Opcode, ULONGLONG Device,
			ULONGLONG Buffer, ULONG Length)
{
	BOOLEAN ToRam = Opcode == EDU_CMD_WRITE;
	ULONG Stage = Adapter->Wddm24 ? Adapter->Stage : (ToRam ? 2 : 0);

	if (Opcode == EDU_CMD_READ && Stage) {
		Device = Adapter->StagingDevice[1];
		ToRam = Stage == 1;
	} else if (Opcode == EDU_CMD_WRITE && Stage < 2) {
		Device = Adapter->StagingDevice[0];
		ToRam = Stage == 0;
	}
	EduWriteRegister(Adapter, EDU_REG_DMA_SRC, (ULONG)(ToRam ? Buffer : Device));
	EduWriteRegister(Adapter, EDU_REG_DMA_DST, (ULONG)(ToRam ? Device : Buffer));
	EduWriteRegister(Adapter, EDU_REG_DMA_COUNT, Length);
	EduWriteRegister(Adapter, EDU_REG_DMA_CMD, EDU_DMA_RUN | EDU_DMA_IRQ |
			 (ToRam ? EDU_DMA_TO_RAM : 0));
}

/* Start the next piece of work. Interrupt spinlock held, engine idle. */
static VOID EduKick(PEDU_ADAPTER Adapter)
{
	while (EduRingCount(Adapter)) {
		const EDU_COMMAND *Cmd = Adapter->Ring[Adapter->Head % EDU_RING_SIZE];
		ULONGLONG Device, Buffer;
		ULONG Length;

		if (Cmd->Opcode == EDU_CMD_FENCE) {
			Adapter->Busy = TRUE;
			EduWriteRegister(Adapter, EDU_REG_INTR_RAISE, EDU_INTR_FENCE);
			return;
		}
		if (Cmd->Opcode == EDU_CMD_GART_SET ||
		    Cmd->Opcode == EDU_CMD_GART_CLEAR) {
			/* Even after a fault: unmapping must happen. */
			if (!EduGart(Adapter, Cmd))
				Adapter->Faulted = TRUE;
			Adapter->Head++;
			continue;
		}
		if (Adapter->Faulted || !EduResolve(Adapter, Cmd, &Device, &Length)) {
			/* Skip the rest of the submission; its fence reports it. */
			Adapter->Faulted = TRUE;
			Adapter->Progress = 0;
			Adapter->Stage = 0;
			Adapter->Head++;
			continue;
		}
		Buffer = Cmd->BufferOffset + Adapter->Progress;
		if (Buffer + Length > EDU_BUFFER_USABLE) {
			Adapter->Faulted = TRUE;	/* a bad command */
			Adapter->Progress = 0;
			Adapter->Stage = 0;
			Adapter->Head++;
			continue;
		}
		Buffer += EDU_BUFFER_ADDRESS;
		Adapter->PieceLength = Length;
		Adapter->Busy = TRUE;
		EduStartDma(Adapter, Cmd->Opcode, Device, Buffer, Length);
		return;
	}
	Adapter->Busy = FALSE;
}

static BOOLEAN EduInterruptRoutine(IN_CONST_PVOID MiniportDeviceContext,
				   IN_ULONG MessageNumber)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_NOTIFY_INTERRUPT_DATA Notify;
	const EDU_COMMAND *Cmd;
	ULONG Status;

	Status = EduReadRegister(Adapter, EDU_REG_INTR_STATUS);
	if (!Status)
		return FALSE;
	EduWriteRegister(Adapter, EDU_REG_INTR_ACK, Status);
	if (!Adapter->Busy || !EduRingCount(Adapter))
		return TRUE;

	Cmd = Adapter->Ring[Adapter->Head % EDU_RING_SIZE];
	if ((Status & EDU_INTR_DMA) && Cmd->Opcode != EDU_CMD_FENCE) {
		Adapter->Busy = FALSE;
		/* 2.4 mode: three DMAs a piece. */
		if (Adapter->Wddm24 && ++Adapter->Stage < 3)
			goto kick;
		Adapter->Stage = 0;
		Adapter->Progress += Adapter->PieceLength;
		if (Adapter->Progress == Cmd->Length) {
			Adapter->Progress = 0;
			Adapter->Head++;
		}
	} else if ((Status & EDU_INTR_FENCE) && Cmd->Opcode == EDU_CMD_FENCE) {
		RtlZeroMemory(&Notify, sizeof(Notify));
		if (Adapter->Faulted) {
			Notify.InterruptType = DXGK_INTERRUPT_DMA_FAULTED;
			Notify.DmaFaulted.FaultedFenceId = Cmd->FenceId;
			Notify.DmaFaulted.Status = STATUS_IO_DEVICE_ERROR;
		} else {
			Notify.InterruptType = DXGK_INTERRUPT_DMA_COMPLETED;
			Notify.DmaCompleted.SubmissionFenceId = Cmd->FenceId;
		}
		Dxgk->DxgkCbNotifyInterrupt(Dxgk->DeviceHandle, &Notify);
		Dxgk->DxgkCbQueueDpc(Dxgk->DeviceHandle);
		Adapter->Faulted = FALSE;
		Adapter->Busy = FALSE;
		Adapter->Head++;
	}
kick:
	if (!Adapter->Busy)
		EduKick(Adapter);
	return TRUE;
}

static VOID EduDpcRoutine(IN_CONST_PVOID MiniportDeviceContext)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;

	Dxgk->DxgkCbNotifyDpc(Dxgk->DeviceHandle);
}

/* Append a command and its payload to the paging buffer, and its record. */
static NTSTATUS EduEmit(IN_PDXGKARG_BUILDPAGINGBUFFER Args,
			const EDU_COMMAND *Command, const VOID *Payload,
			ULONG PayloadSize)
{
	EDU_PAGING_RECORD *Record = Args->pDmaBufferPrivateData;
	EDU_COMMAND *Out = Args->pDmaBuffer;

	if (Args->DmaSize < sizeof(*Out) + PayloadSize ||
	    Args->DmaBufferPrivateDataSize < sizeof(*Record))
		return STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER;
	*Out = *Command;
	if (PayloadSize)
		RtlCopyMemory(Out + 1, Payload, PayloadSize);
	Record->Command = Out;
	Args->pDmaBuffer = (PUCHAR)(Out + 1) + PayloadSize;
	Args->DmaSize -= sizeof(*Out) + PayloadSize;
	Args->pDmaBufferPrivateData = Record + 1;
	Args->DmaBufferPrivateDataSize -= sizeof(*Record);
	return STATUS_SUCCESS;
}

static NTSTATUS EduBuildTransfer(IN_PDXGKARG_BUILDPAGINGBUFFER Args)
{
	ULONGLONG Source = Args->Transfer.Source.SegmentAddress.QuadPart;
	ULONGLONG Destination = Args->Transfer.Destination.SegmentAddress.QuadPart;
	SIZE_T Size = Args->Transfer.TransferSize;
	EDU_COMMAND Read, Write;
	NTSTATUS Status;

	if (Args->Transfer.Source.SegmentId != EDU_APERTURE_SEGMENT ||
	    Args->Transfer.Destination.SegmentId != EDU_APERTURE_SEGMENT)
		return STATUS_NOT_SUPPORTED;	/* no MDL transfers, no VRAM */

	/* MultipassOffset: bytes already built by earlier calls. */
	while (Args->MultipassOffset < Size) {
		ULONG Done = Args->MultipassOffset;
		ULONG Length = min_t(SIZE_T, Size - Done, EDU_BUFFER_USABLE);

		/* Both commands of a chunk, or neither. */
		if (Args->DmaSize < 2 * sizeof(EDU_COMMAND) ||
		    Args->DmaBufferPrivateDataSize < 2 * sizeof(EDU_PAGING_RECORD))
			return STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER;
		RtlZeroMemory(&Read, sizeof(Read));
		Read.Opcode = EDU_CMD_READ;
		Read.Length = Length;
		Read.ApertureAddress = Source + Done;
		Write = Read;
		Write.Opcode = EDU_CMD_WRITE;
		Write.ApertureAddress = Destination + Done;
		Status = EduEmit(Args, &Read, NULL, 0);
		if (NT_SUCCESS(Status))
			Status = EduEmit(Args, &Write, NULL, 0);
		if (!NT_SUCCESS(Status))
			return Status;
		Args->MultipassOffset += Length;
	}
	return STATUS_SUCCESS;
}

/* MAP_APERTURE_SEGMENT2: GART_SET commands with the ADL's page numbers. */
static NTSTATUS EduBuildMap(IN_PDXGKARG_BUILDPAGINGBUFFER Args)
{
	const DXGK_ADL *Adl = &Args->MapApertureSegment2.Adl;
	SIZE_T First = Args->MapApertureSegment2.OffsetInPages;
	SIZE_T Count = Args->MapApertureSegment2.NumberOfPages;
	SIZE_T AdlOffset = Args->MapApertureSegment2.AdlOffset;
	DXGK_PAGE_NUMBER Pages[16];
	EDU_COMMAND Cmd;
	NTSTATUS Status;
	SIZE_T i;

	if (Args->MapApertureSegment2.SegmentId != EDU_APERTURE_SEGMENT ||
	    First > EDU_APERTURE_PAGES || Count > EDU_APERTURE_PAGES - First ||
	    AdlOffset > Adl->PageCount || Count > Adl->PageCount - AdlOffset)
		return STATUS_INVALID_PARAMETER;

	/* MultipassOffset: pages already mapped by earlier calls. */
	while (Args->MultipassOffset < Count) {
		SIZE_T Done = Args->MultipassOffset;
		SIZE_T n = min_t(SIZE_T, Count - Done, ARRAY_SIZE(Pages));

		if (Args->DmaSize < sizeof(Cmd) + sizeof(Pages[0]))
			return STATUS_GRAPHICS_INSUFFICIENT_DMA_BUFFER;
		n = min_t(SIZE_T, n, (Args->DmaSize - sizeof(Cmd)) / sizeof(Pages[0]));
		for (i = 0; i < n; i++) {
			SIZE_T Page = AdlOffset + Done + i;

			Pages[i] = Adl->Flags.Contiguous ? Adl->BasePageNumber + Page :
							   Adl->Pages[Page];
		}
		RtlZeroMemory(&Cmd, sizeof(Cmd));
		Cmd.Opcode = EDU_CMD_GART_SET;
		Cmd.Length = n;
		Cmd.ApertureAddress = First + Done;
		Status = EduEmit(Args, &Cmd, Pages, n * sizeof(Pages[0]));
		if (!NT_SUCCESS(Status))
			return Status;
		Args->MultipassOffset += n;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS EduBuildPagingBuffer(IN_CONST_HANDLE hAdapter,
				     IN_PDXGKARG_BUILDPAGINGBUFFER Args)
{
	SIZE_T First, Count;
	EDU_COMMAND Cmd;

	switch (Args->Operation) {
	case DXGK_OPERATION_MAP_APERTURE_SEGMENT2:
		return EduBuildMap(Args);
	case DXGK_OPERATION_UNMAP_APERTURE_SEGMENT:
		First = Args->UnmapApertureSegment.OffsetInPages;
		Count = Args->UnmapApertureSegment.NumberOfPages;
		if (Args->UnmapApertureSegment.SegmentId != EDU_APERTURE_SEGMENT ||
		    First > EDU_APERTURE_PAGES || Count > EDU_APERTURE_PAGES - First)
			return STATUS_INVALID_PARAMETER;
		RtlZeroMemory(&Cmd, sizeof(Cmd));
		Cmd.Opcode = EDU_CMD_GART_CLEAR;
		Cmd.Length = Count;
		Cmd.ApertureAddress = First;
		return EduEmit(Args, &Cmd, NULL, 0);
	case DXGK_OPERATION_TRANSFER:
		return EduBuildTransfer(Args);
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

typedef struct _EDU_SUBMIT_CONTEXT {
	PEDU_ADAPTER Adapter;
	IN_CONST_PDXGKARG_SUBMITCOMMAND Args;
} EDU_SUBMIT_CONTEXT;

/* Synchronized with the interrupt routine: queue the commands, start them. */
static BOOLEAN EduSubmitSynchronized(PVOID Context)
{
	EDU_SUBMIT_CONTEXT *Submit = Context;
	PEDU_ADAPTER Adapter = Submit->Adapter;
	IN_CONST_PDXGKARG_SUBMITCOMMAND Args = Submit->Args;
	PUCHAR Private = Args->pDmaBufferPrivateData;
	ULONG Start = Args->DmaBufferPrivateDataSubmissionStartOffset;
	ULONG End = Args->DmaBufferPrivateDataSubmissionEndOffset;
	ULONG Offset, Slot;

	if ((End - Start) / sizeof(EDU_PAGING_RECORD) + 1 >
	    EDU_RING_SIZE - EduRingCount(Adapter))
		return FALSE;
	for (Offset = Start; Offset + sizeof(EDU_PAGING_RECORD) <= End;
	     Offset += sizeof(EDU_PAGING_RECORD))
		Adapter->Ring[Adapter->Tail++ % EDU_RING_SIZE] =
			((EDU_PAGING_RECORD *)(Private + Offset))->Command;
	Slot = Adapter->Tail++ % EDU_RING_SIZE;
	RtlZeroMemory(&Adapter->Fences[Slot], sizeof(Adapter->Fences[Slot]));
	Adapter->Fences[Slot].Opcode = EDU_CMD_FENCE;
	Adapter->Fences[Slot].FenceId = Args->SubmissionFenceId;
	Adapter->Ring[Slot] = &Adapter->Fences[Slot];
	if (!Adapter->Busy)
		EduKick(Adapter);
	return TRUE;
}

static NTSTATUS EduSubmitCommand(IN_CONST_HANDLE hAdapter,
				 IN_CONST_PDXGKARG_SUBMITCOMMAND Args)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)hAdapter;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	EDU_SUBMIT_CONTEXT Submit = { Adapter, Args };
	BOOLEAN Queued = FALSE;
	NTSTATUS Status;

	if (EduHangSubmissions) {
		/* Test hook: the device "never answers" this submission. */
		EduHangSubmissions--;
		return STATUS_SUCCESS;
	}
	Status = Dxgk->DxgkCbSynchronizeExecution(Dxgk->DeviceHandle,
						  EduSubmitSynchronized, &Submit,
						  0, &Queued);
	if (!NT_SUCCESS(Status))
		return Status;
	return Queued ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

static BOOLEAN EduResetSynchronized(PVOID Context)
{
	PEDU_ADAPTER Adapter = Context;
	ULONG i;

	/* Nothing the port unmapped by resetting may be reached again. */
	for (i = 0; i < EDU_APERTURE_PAGES; i++)
		Adapter->Gart[i] = EDU_GART_INVALID;
	Adapter->Head = 0;
	Adapter->Tail = 0;
	Adapter->Progress = 0;
	Adapter->Stage = 0;
	Adapter->Busy = FALSE;
	Adapter->Faulted = FALSE;
	EduWriteRegister(Adapter, EDU_REG_INTR_ACK,
			 EduReadRegister(Adapter, EDU_REG_INTR_STATUS));
	return TRUE;
}

static NTSTATUS EduResetFromTimeout(IN_CONST_HANDLE hAdapter)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)hAdapter;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	BOOLEAN Done;
	ULONG i;

	/* edu cannot abort a transfer: let one in flight finish. */
	for (i = 0; i < EDU_RESET_POLL_MS; i++) {
		if (!(EduReadRegister(Adapter, EDU_REG_DMA_CMD) & EDU_DMA_RUN))
			break;
		KeStallExecutionProcessor(1000);
	}
	if (i == EDU_RESET_POLL_MS)
		return STATUS_IO_DEVICE_ERROR;
	return Dxgk->DxgkCbSynchronizeExecution(Dxgk->DeviceHandle,
						EduResetSynchronized, Adapter, 0,
						&Done);
}

static NTSTATUS EduRestartFromTimeout(IN_CONST_HANDLE hAdapter)
{
	return STATUS_SUCCESS;
}

/* 2.4 mode: free the staging pages. */
static VOID EduFreeStaging(PEDU_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;

	if (Adapter->ContiguousHandle) {
		DXGKARGCB_FREECONTIGUOUSMEMORY Free = {
			.hMemoryHandle = Adapter->ContiguousHandle,
		};

		Dxgk->DxgkCbFreeContiguousMemory(Dxgk->DeviceHandle, &Free);
		Adapter->ContiguousHandle = NULL;
		Adapter->ContiguousVa = NULL;
	}
	if (Adapter->MdlHandle) {
		DXGKARGCB_FREEPAGESFROMMDL Free = { .hMemoryHandle = Adapter->MdlHandle };

		Dxgk->DxgkCbFreePagesFromMdl(Dxgk->DeviceHandle, &Free);
		Adapter->MdlHandle = NULL;
		Adapter->Mdl = NULL;
	}
	Adapter->Wddm24 = FALSE;
}

/*
 * 2.4 mode: one page of each kind, below the engine's 28 bits where the
 * device sees physical addresses, mapped for it until StopDevice.
 */
static NTSTATUS EduAllocateStaging(PEDU_ADAPTER Adapter)
{
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	DXGKARGCB_ALLOCATECONTIGUOUSMEMORY Contiguous;
	DXGKARGCB_ALLOCATEPAGESFORMDL Pages;
	PHYSICAL_ADDRESS Device[2];
	NTSTATUS Status;
	ULONG i;

	RtlZeroMemory(&Contiguous, sizeof(Contiguous));
	Contiguous.NumberOfBytes = PAGE_SIZE;
	Contiguous.HighestAcceptableAddress.QuadPart = EDU_HIGHEST_VISIBLE_ADDRESS;
	Contiguous.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED;
	Status = Dxgk->DxgkCbAllocateContiguousMemory(Dxgk->DeviceHandle, &Contiguous);
	if (!NT_SUCCESS(Status))
		return Status;
	Adapter->ContiguousHandle = Contiguous.hMemoryHandle;
	Adapter->ContiguousVa = Contiguous.pMemory;

	RtlZeroMemory(&Pages, sizeof(Pages));
	Pages.HighAddress.QuadPart = EDU_HIGHEST_VISIBLE_ADDRESS;
	Pages.TotalBytes = PAGE_SIZE;
	Pages.CacheType = DXGK_MEMORY_CACHING_TYPE_CACHED;
	Status = Dxgk->DxgkCbAllocatePagesForMdl(Dxgk->DeviceHandle, &Pages);
	if (!NT_SUCCESS(Status))
		goto err;
	Adapter->MdlHandle = Pages.hMemoryHandle;
	Adapter->Mdl = Pages.pMdl;

	/* Linux: the device address (the physical one when 1:1 holds). */
	Status = DxgkLinuxQueryDeviceAddress(Dxgk->DeviceHandle, Adapter->ContiguousHandle,
					     0, &Device[0]);
	if (NT_SUCCESS(Status))
		Status = DxgkLinuxQueryDeviceAddress(Dxgk->DeviceHandle, Adapter->MdlHandle,
						     0, &Device[1]);
	if (!NT_SUCCESS(Status))
		goto err;
	for (i = 0; i < 2; i++) {
		if ((ULONGLONG)Device[i].QuadPart + PAGE_SIZE - 1 > EDU_HIGHEST_VISIBLE_ADDRESS) {
			Status = STATUS_INSUFFICIENT_RESOURCES;
			goto err;
		}
		Adapter->StagingDevice[i] = Device[i].QuadPart;
	}
	Adapter->Wddm24 = TRUE;
	DbgPrint("dxgk_edu: WDDM 2.4 mode: contiguous page at device 0x%llx (physical 0x%llx)\n",
		 Adapter->StagingDevice[0],
		 (ULONGLONG)MmGetPhysicalAddress(Adapter->ContiguousVa).QuadPart);
	DbgPrint("dxgk_edu: WDDM 2.4 mode: MDL page 0x%lx at device 0x%llx\n",
		 (unsigned long)MmGetMdlPfnArray(Adapter->Mdl)[0], Adapter->StagingDevice[1]);
	return STATUS_SUCCESS;

err:
	EduFreeStaging(Adapter);
	return Status;
}

static NTSTATUS EduStartDevice(IN_CONST_PVOID MiniportDeviceContext,
			       IN_PDXGK_START_INFO DxgkStartInfo,
			       IN_PDXGKRNL_INTERFACE DxgkInterface,
			       PULONG NumberOfVideoPresentSources,
			       PULONG NumberOfChildren)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;
	const ULONG Pattern = 0x5a5aa5c3;
	PVOID Registers = NULL;
	ULONG Id, Liveness;
	NTSTATUS Status;

	RtlCopyMemory(&Adapter->DxgkInterface, DxgkInterface,
		      sizeof(Adapter->DxgkInterface));

	Status = EduCheckPciIds(Adapter);
	if (!NT_SUCCESS(Status))
		return Status;

	Status = EduFindRegisters(Adapter);
	if (!NT_SUCCESS(Status))
		return Status;

	Status = Dxgk->DxgkCbMapMemory(Dxgk->DeviceHandle,
				       Adapter->RegistersPhysical,
				       Adapter->RegistersLength, FALSE, FALSE,
				       MmNonCached, &Registers);
	if (!NT_SUCCESS(Status))
		return Status;
	Adapter->Registers = Registers;

	Id = EduReadRegister(Adapter, EDU_REG_ID);
	if ((Id & 0xff) != EDU_ID_MAGIC) {
		DbgPrint("dxgk_edu: identification register 0x%08x is not edu's\n",
			 Id);
		Status = STATUS_DEVICE_DOES_NOT_EXIST;
		goto err_unmap;
	}
	Adapter->Revision = Id >> 16;

	EduWriteRegister(Adapter, EDU_REG_LIVENESS, Pattern);
	Liveness = EduReadRegister(Adapter, EDU_REG_LIVENESS);
	if (Liveness != ~Pattern) {
		DbgPrint("dxgk_edu: liveness check failed: wrote 0x%08x, read 0x%08x\n",
			 Pattern, Liveness);
		Status = STATUS_IO_DEVICE_ERROR;
		goto err_unmap;
	}

	DbgPrint("dxgk_edu: edu %u.%u at 0x%llx, liveness check passed (0x%08x -> 0x%08x)\n",
		 (Id >> 24) & 0xff, (Id >> 16) & 0xff,
		 (ULONGLONG)Adapter->RegistersPhysical.QuadPart, Pattern,
		 Liveness);
	if (EduWddm24) {
		Status = EduAllocateStaging(Adapter);
		if (!NT_SUCCESS(Status)) {
			DbgPrint("dxgk_edu: WDDM 2.4 mode: no staging pages (0x%08x)\n",
				 Status);
			goto err_unmap;
		}
	}
	*NumberOfVideoPresentSources = 0;
	*NumberOfChildren = 0;
	return STATUS_SUCCESS;

err_unmap:
	Dxgk->DxgkCbUnmapMemory(Dxgk->DeviceHandle, Registers);
	Adapter->Registers = NULL;
	return Status;
}

static NTSTATUS EduStopDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	PEDU_ADAPTER Adapter = (PEDU_ADAPTER)MiniportDeviceContext;
	PDXGKRNL_INTERFACE Dxgk = &Adapter->DxgkInterface;

	EduFreeStaging(Adapter);
	if (Adapter->Registers) {
		Dxgk->DxgkCbUnmapMemory(Dxgk->DeviceHandle, Adapter->Registers);
		Adapter->Registers = NULL;
	}
	return STATUS_SUCCESS;
}

static NTSTATUS EduRemoveDevice(IN_CONST_PVOID MiniportDeviceContext)
{
	ExFreePoolWithTag((PVOID)MiniportDeviceContext, EDU_POOL_TAG);
	return STATUS_SUCCESS;
}

static NTSTATUS
EduQueryAdapterInfo(IN_CONST_HANDLE hAdapter,
		    IN_CONST_PDXGKARG_QUERYADAPTERINFO pQueryAdapterInfo)
{
	switch (pQueryAdapterInfo->Type) {
	case DXGKQAITYPE_PHYSICAL_MEMORY_CAPS: {
		DXGK_PHYSICAL_MEMORY_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->HighestVisibleAddress.QuadPart = EDU_HIGHEST_VISIBLE_ADDRESS;
		return STATUS_SUCCESS;
	}
	case DXGKQAITYPE_IOMMU_CAPS: {
		DXGK_IOMMU_CAPS *Caps = pQueryAdapterInfo->pOutputData;

		if (pQueryAdapterInfo->OutputDataSize < sizeof(*Caps))
			return STATUS_BUFFER_TOO_SMALL;
		Caps->Value = 0;
		Caps->IommuIsolationSupported = 1;
		Caps->DmaRemappingSupported = 1;
		return STATUS_SUCCESS;
	}
	default:
		return STATUS_NOT_SUPPORTED;
	}
}

static VOID EduUnload(VOID)
{
}

static NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject,
			    PUNICODE_STRING RegistryPath)
{
	DRIVER_INITIALIZATION_DATA InitData;

	RtlZeroMemory(&InitData, sizeof(InitData));
	InitData.Version = DXGKDDI_INTERFACE_VERSION_WDDM2_9;
	InitData.DxgkDdiAddDevice = EduAddDevice;
	InitData.DxgkDdiStartDevice = EduStartDevice;
	InitData.DxgkDdiStopDevice = EduStopDevice;
	InitData.DxgkDdiRemoveDevice = EduRemoveDevice;
	InitData.DxgkDdiQueryAdapterInfo = EduQueryAdapterInfo;
	InitData.DxgkDdiUnload = EduUnload;
	InitData.DxgkDdiInterruptRoutine = EduInterruptRoutine;
	InitData.DxgkDdiDpcRoutine = EduDpcRoutine;
	InitData.DxgkDdiBuildPagingBuffer = EduBuildPagingBuffer;
	InitData.DxgkDdiSubmitCommand = EduSubmitCommand;
	InitData.DxgkDdiResetFromTimeout = EduResetFromTimeout;
	InitData.DxgkDdiRestartFromTimeout = EduRestartFromTimeout;

	return DxgkInitialize(DriverObject, RegistryPath, &InitData);
}

/* Linux: the INF's part. */
static const struct pci_device_id EduPciIds[] = {
	{ PCI_DEVICE(EDU_VENDOR_ID, EDU_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, EduPciIds);

DXGK_DRIVER_OBJECT(EduDriverObject, "dxgk_edu", EduPciIds);

module_param_named(hang_submissions, EduHangSubmissions, uint, 0644);
MODULE_PARM_DESC(hang_submissions,
		 "Test hook: accept this many paging submissions without running them");
module_param_named(wddm24, EduWddm24, bool, 0444);
MODULE_PARM_DESC(wddm24,
		 "WDDM 2.4 mode: stage transfers through DxgkCbAllocateContiguousMemory and DxgkCbAllocatePagesForMdl pages");
DXGK_MINIPORT_MODULE(EduDriverObject, DriverEntry);

MODULE_DESCRIPTION("dxgkcompat sample miniport for QEMU's edu device");
MODULE_LICENSE("Dual MIT/GPL");
