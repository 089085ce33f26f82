/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * the part of the Windows kernel-mode driver model that display
 * miniports see through dispmprt.h: caching types, allocation flags, page
 * protections, bus/resource descriptors, PCI configuration header, power
 * states, IRQLs and a few callback types.
 *
 * Written from Microsoft Learn (wdm, ntddk and miniport header pages):
 * _MEMORY_CACHING_TYPE, MmAllocatePagesForMdlEx, ZwCreateSection,
 * _CM_RESOURCE_LIST, _CM_FULL_RESOURCE_DESCRIPTOR,
 * _CM_PARTIAL_RESOURCE_LIST, _CM_PARTIAL_RESOURCE_DESCRIPTOR,
 * _INTERFACE_TYPE, _PCI_COMMON_CONFIG, _DEVICE_POWER_STATE,
 * _POWER_ACTION, _INTERFACE, KSYNCHRONIZE_ROUTINE.
 */
#ifndef _DXGKCOMPAT_WDK_WDM_H_
#define _DXGKCOMPAT_WDK_WDM_H_

#include "ntdef.h"
#include "ntstatus.h"
#include <linux/compiler.h>

/* IRQLs (x64 values). */
#define PASSIVE_LEVEL	0
#define LOW_LEVEL	0
#define APC_LEVEL	1
#define DISPATCH_LEVEL	2
#define CMCI_LEVEL	5
#define CLOCK_LEVEL	13
#define IPI_LEVEL	14
#define POWER_LEVEL	14
#define PROFILE_LEVEL	15
#define HIGH_LEVEL	15

/*
 * PAGED_CODE() checks IRQL <= APC_LEVEL on checked Windows builds; the
 * Linux kernel has no pageable kernel code, so it is a no-op here.
 */
#ifndef PAGED_CODE
#define PAGED_CODE()	do { } while (0)
#endif

/* CPU caching of a mapping. */
typedef enum _MEMORY_CACHING_TYPE_ORIG {
	MmFrameBufferCached = 2
} MEMORY_CACHING_TYPE_ORIG;

typedef enum _MEMORY_CACHING_TYPE {
	MmNonCached = 0,
	MmCached = 1,
	MmWriteCombined = MmFrameBufferCached,
	MmHardwareCoherentCached = 3,
	MmNonCachedUnordered = 4,
	MmUSWCCached = 5,
	MmMaximumCacheType = 6,
	MmNotMapped = -1
} MEMORY_CACHING_TYPE;

/* MmAllocatePagesForMdlEx flags. */
#define MM_DONT_ZERO_ALLOCATION			0x00000001
#define MM_ALLOCATE_FROM_LOCAL_NODE_ONLY	0x00000002
#define MM_ALLOCATE_FULLY_REQUIRED		0x00000004
#define MM_ALLOCATE_NO_WAIT			0x00000008
#define MM_ALLOCATE_PREFER_CONTIGUOUS		0x00000010
#define MM_ALLOCATE_REQUIRE_CONTIGUOUS_CHUNKS	0x00000020
#define MM_ALLOCATE_FAST_LARGE_PAGES		0x00000040
#define MM_ALLOCATE_AND_HOT_REMOVE		0x00000100

/*
 * Page protections (ZwCreateSection PageProtection and friends).
 *
 * PAGE_READONLY is also a Linux pgprot_t macro on x86 and arm64 and is
 * never redefined here: WDK code that wants the Windows value in a
 * Linux translation unit uses WDK_PAGE_READONLY. Every protection also
 * has a WDK_-prefixed twin so the port driver can use them unambiguously.
 */
#define WDK_PAGE_NOACCESS		0x01
#define WDK_PAGE_READONLY		0x02
#define WDK_PAGE_READWRITE		0x04
#define WDK_PAGE_WRITECOPY		0x08
#define WDK_PAGE_EXECUTE		0x10
#define WDK_PAGE_EXECUTE_READ		0x20
#define WDK_PAGE_EXECUTE_READWRITE	0x40
#define WDK_PAGE_EXECUTE_WRITECOPY	0x80
#define WDK_PAGE_GUARD			0x100
#define WDK_PAGE_NOCACHE		0x200
#define WDK_PAGE_WRITECOMBINE		0x400

#define PAGE_NOACCESS		WDK_PAGE_NOACCESS
#define PAGE_READWRITE		WDK_PAGE_READWRITE
#define PAGE_WRITECOPY		WDK_PAGE_WRITECOPY
#define PAGE_EXECUTE		WDK_PAGE_EXECUTE
#define PAGE_EXECUTE_READ	WDK_PAGE_EXECUTE_READ
#define PAGE_EXECUTE_READWRITE	WDK_PAGE_EXECUTE_READWRITE
#define PAGE_EXECUTE_WRITECOPY	WDK_PAGE_EXECUTE_WRITECOPY
#define PAGE_GUARD		WDK_PAGE_GUARD
#define PAGE_NOCACHE		WDK_PAGE_NOCACHE
#define PAGE_WRITECOMBINE	WDK_PAGE_WRITECOMBINE

/* Section allocation attributes. */
#define SEC_FILE		0x00800000
#define SEC_IMAGE		0x01000000
#define SEC_RESERVE		0x04000000
#define SEC_COMMIT		0x08000000
#define SEC_NOCACHE		0x10000000
#define SEC_WRITECOMBINE	0x40000000
#define SEC_LARGE_PAGES		0x80000000

/* Section access rights. */
#define SECTION_QUERY			0x0001
#define SECTION_MAP_WRITE		0x0002
#define SECTION_MAP_READ		0x0004
#define SECTION_MAP_EXECUTE		0x0008
#define SECTION_EXTEND_SIZE		0x0010
#define SECTION_MAP_EXECUTE_EXPLICIT	0x0020

/* Buses. */
typedef enum _INTERFACE_TYPE {
	InterfaceTypeUndefined = -1,
	Internal = 0,
	Isa = 1,
	Eisa = 2,
	MicroChannel = 3,
	TurboChannel = 4,
	PCIBus = 5,
	VMEBus = 6,
	NuBus = 7,
	PCMCIABus = 8,
	CBus = 9,
	MPIBus = 10,
	MPSABus = 11,
	ProcessorInternal = 12,
	InternalPowerBus = 13,
	PNPISABus = 14,
	PNPBus = 15,
	Vmcs = 16,
	ACPIBus = 17,
	MaximumInterfaceType
} INTERFACE_TYPE, *PINTERFACE_TYPE;

/* Hardware resources (CM_PARTIAL_RESOURCE_DESCRIPTOR.Type). */
#define CmResourceTypeNull		0
#define CmResourceTypePort		1
#define CmResourceTypeInterrupt		2
#define CmResourceTypeMemory		3
#define CmResourceTypeDma		4
#define CmResourceTypeDeviceSpecific	5
#define CmResourceTypeBusNumber		6
#define CmResourceTypeMemoryLarge	7
#define CmResourceTypeNonArbitrated	128
#define CmResourceTypeConfigData	128
#define CmResourceTypeDevicePrivate	129
#define CmResourceTypePcCardConfig	130
#define CmResourceTypeMfCardConfig	131
#define CmResourceTypeConnection	132

/* ShareDisposition. */
typedef enum _CM_SHARE_DISPOSITION {
	CmResourceShareUndetermined = 0,
	CmResourceShareDeviceExclusive = 1,
	CmResourceShareDriverExclusive = 2,
	CmResourceShareShared = 3
} CM_SHARE_DISPOSITION;

/* Flags of CmResourceTypeInterrupt. */
#define CM_RESOURCE_INTERRUPT_LEVEL_SENSITIVE		0x0000
#define CM_RESOURCE_INTERRUPT_LATCHED			0x0001
#define CM_RESOURCE_INTERRUPT_MESSAGE			0x0002
#define CM_RESOURCE_INTERRUPT_POLICY_INCLUDED		0x0004
#define CM_RESOURCE_INTERRUPT_SECONDARY_INTERRUPT	0x0010
#define CM_RESOURCE_INTERRUPT_WAKE_HINT			0x0020
#define CM_RESOURCE_INTERRUPT_LEVEL_LATCHED_BITS	0x0001
#define CM_RESOURCE_INTERRUPT_MESSAGE_TOKEN		((ULONG)0xFFFFFFFE)

/* Flags of CmResourceTypeMemory / CmResourceTypeMemoryLarge. */
#define CM_RESOURCE_MEMORY_READ_WRITE			0x0000
#define CM_RESOURCE_MEMORY_READ_ONLY			0x0001
#define CM_RESOURCE_MEMORY_WRITE_ONLY			0x0002
#define CM_RESOURCE_MEMORY_WRITEABILITY_MASK		0x0003
#define CM_RESOURCE_MEMORY_PREFETCHABLE			0x0004
#define CM_RESOURCE_MEMORY_COMBINEDWRITE		0x0008
#define CM_RESOURCE_MEMORY_24				0x0010
#define CM_RESOURCE_MEMORY_CACHEABLE			0x0020
#define CM_RESOURCE_MEMORY_WINDOW_DECODE		0x0040
#define CM_RESOURCE_MEMORY_BAR				0x0080
#define CM_RESOURCE_MEMORY_COMPAT_FOR_INACCESSIBLE_RANGE 0x0100
#define CM_RESOURCE_MEMORY_LARGE			0x0E00
#define CM_RESOURCE_MEMORY_LARGE_40			0x0200
#define CM_RESOURCE_MEMORY_LARGE_48			0x0400
#define CM_RESOURCE_MEMORY_LARGE_64			0x0800
#define CM_RESOURCE_MEMORY_LARGE_40_MAXLEN		0x000000FFFFFFFF00ULL
#define CM_RESOURCE_MEMORY_LARGE_48_MAXLEN		0x0000FFFFFFFF0000ULL
#define CM_RESOURCE_MEMORY_LARGE_64_MAXLEN		0xFFFFFFFF00000000ULL

/* Flags of CmResourceTypePort. */
#define CM_RESOURCE_PORT_MEMORY				0x0000
#define CM_RESOURCE_PORT_IO				0x0001
#define CM_RESOURCE_PORT_10_BIT_DECODE			0x0004
#define CM_RESOURCE_PORT_12_BIT_DECODE			0x0008
#define CM_RESOURCE_PORT_16_BIT_DECODE			0x0010
#define CM_RESOURCE_PORT_POSITIVE_DECODE		0x0020
#define CM_RESOURCE_PORT_PASSIVE_DECODE			0x0040
#define CM_RESOURCE_PORT_WINDOW_DECODE			0x0080
#define CM_RESOURCE_PORT_BAR				0x0100

/*
 * The WDK declares the resource descriptors inside pack(4): the 8-byte
 * PHYSICAL_ADDRESS members are only 4-aligned, so a partial descriptor is
 * 20 bytes on x64 (4 header bytes + a 16-byte union) and the arrays of
 * them are dense. The same layout is obtained here by marking each member
 * struct that holds an 8-byte field packed and 4-aligned (none has inner
 * padding); attributes rather than #pragma pack, which sparse ignores.
 */

typedef struct _CM_PARTIAL_RESOURCE_DESCRIPTOR {
	UCHAR Type;		/* CmResourceType* */
	UCHAR ShareDisposition;	/* CM_SHARE_DISPOSITION */
	USHORT Flags;
	union {
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} __packed __aligned(4) Generic;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} __packed __aligned(4) Port;
		struct {
			USHORT Level;
			USHORT Group;
			ULONG Vector;
			KAFFINITY Affinity;
		} __packed __aligned(4) Interrupt;
		struct {
			union {
				struct {
					USHORT Group;
					USHORT MessageCount;
					ULONG Vector;
					KAFFINITY Affinity;
				} __packed __aligned(4) Raw;
				struct {
					USHORT Level;
					USHORT Group;
					ULONG Vector;
					KAFFINITY Affinity;
				} __packed __aligned(4) Translated;
			} __packed __aligned(4);
		} __packed __aligned(4) MessageInterrupt;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length;
		} __packed __aligned(4) Memory;
		struct {
			ULONG Channel;
			ULONG Port;
			ULONG Reserved1;
		} Dma;
		struct {
			ULONG Channel;
			ULONG RequestLine;
			UCHAR TransferWidth;
			UCHAR Reserved1;
			UCHAR Reserved2;
			UCHAR Reserved3;
		} DmaV3;
		struct {
			ULONG Data[3];
		} DevicePrivate;
		struct {
			ULONG Start;
			ULONG Length;
			ULONG Reserved;
		} BusNumber;
		struct {
			ULONG DataSize;
			ULONG Reserved1;
			ULONG Reserved2;
		} DeviceSpecificData;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length40;	/* bytes >> 8 */
		} __packed __aligned(4) Memory40;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length48;	/* bytes >> 16 */
		} __packed __aligned(4) Memory48;
		struct {
			PHYSICAL_ADDRESS Start;
			ULONG Length64;	/* bytes >> 32 */
		} __packed __aligned(4) Memory64;
		struct {
			UCHAR Class;
			UCHAR Type;
			UCHAR Reserved1;
			UCHAR Reserved2;
			ULONG IdLowPart;
			ULONG IdHighPart;
		} Connection;
	} u;
} CM_PARTIAL_RESOURCE_DESCRIPTOR, *PCM_PARTIAL_RESOURCE_DESCRIPTOR;

typedef struct _CM_PARTIAL_RESOURCE_LIST {
	USHORT Version;
	USHORT Revision;
	ULONG Count;
	CM_PARTIAL_RESOURCE_DESCRIPTOR PartialDescriptors[ANYSIZE_ARRAY];
} CM_PARTIAL_RESOURCE_LIST, *PCM_PARTIAL_RESOURCE_LIST;

typedef struct _CM_FULL_RESOURCE_DESCRIPTOR {
	INTERFACE_TYPE InterfaceType;
	ULONG BusNumber;
	CM_PARTIAL_RESOURCE_LIST PartialResourceList;
} CM_FULL_RESOURCE_DESCRIPTOR, *PCM_FULL_RESOURCE_DESCRIPTOR;

typedef struct _CM_RESOURCE_LIST {
	ULONG Count;
	CM_FULL_RESOURCE_DESCRIPTOR List[ANYSIZE_ARRAY];
} CM_RESOURCE_LIST, *PCM_RESOURCE_LIST;

/* PCI configuration space. */
#define PCI_TYPE0_ADDRESSES		6
#define PCI_TYPE1_ADDRESSES		2
#define PCI_TYPE2_ADDRESSES		5
#define PCI_INVALID_VENDORID		0xFFFF
#define PCI_WHICHSPACE_CONFIG		0x0
#define PCI_WHICHSPACE_ROM		0x52696350

#define PCI_DEVICE_TYPE			0x00
#define PCI_BRIDGE_TYPE			0x01
#define PCI_CARDBUS_BRIDGE_TYPE		0x02
#define PCI_MULTIFUNCTION		0x80

/* Fields of the type-0 (device) header after the common part. */
struct _PCI_HEADER_TYPE_0 {
	ULONG BaseAddresses[PCI_TYPE0_ADDRESSES];
	ULONG CIS;
	USHORT SubVendorID;
	USHORT SubSystemID;
	ULONG ROMBaseAddress;
	UCHAR CapabilitiesPtr;
	UCHAR Reserved1[3];
	ULONG Reserved2;
	UCHAR InterruptLine;
	UCHAR InterruptPin;
	UCHAR MinimumGrant;
	UCHAR MaximumLatency;
};

/* Fields of the type-1 (PCI-to-PCI bridge) header. */
struct _PCI_HEADER_TYPE_1 {
	ULONG BaseAddresses[PCI_TYPE1_ADDRESSES];
	UCHAR PrimaryBus;
	UCHAR SecondaryBus;
	UCHAR SubordinateBus;
	UCHAR SecondaryLatency;
	UCHAR IOBase;
	UCHAR IOLimit;
	USHORT SecondaryStatus;
	USHORT MemoryBase;
	USHORT MemoryLimit;
	USHORT PrefetchBase;
	USHORT PrefetchLimit;
	ULONG PrefetchBaseUpper32;
	ULONG PrefetchLimitUpper32;
	USHORT IOBaseUpper16;
	USHORT IOLimitUpper16;
	UCHAR CapabilitiesPtr;
	UCHAR Reserved1[3];
	ULONG ROMBaseAddress;
	UCHAR InterruptLine;
	UCHAR InterruptPin;
	USHORT BridgeControl;
};

/*
 * The 64-byte common header. (The type-2 CardBus layout is not declared.)
 * PCI_COMMON_CONFIG repeats the header fields in an anonymous struct, as
 * the WDK's anonymous PCI_COMMON_HEADER member needs -fms-extensions,
 * which the kernels we build for do not use.
 */
typedef struct _PCI_COMMON_HEADER {
	USHORT VendorID;
	USHORT DeviceID;
	USHORT Command;
	USHORT Status;
	UCHAR RevisionID;
	UCHAR ProgIf;
	UCHAR SubClass;
	UCHAR BaseClass;
	UCHAR CacheLineSize;
	UCHAR LatencyTimer;
	UCHAR HeaderType;
	UCHAR BIST;
	union {
		struct _PCI_HEADER_TYPE_0 type0;
		struct _PCI_HEADER_TYPE_1 type1;
	} u;
} PCI_COMMON_HEADER, *PPCI_COMMON_HEADER;

typedef struct _PCI_COMMON_CONFIG {
	struct {
		USHORT VendorID;
		USHORT DeviceID;
		USHORT Command;
		USHORT Status;
		UCHAR RevisionID;
		UCHAR ProgIf;
		UCHAR SubClass;
		UCHAR BaseClass;
		UCHAR CacheLineSize;
		UCHAR LatencyTimer;
		UCHAR HeaderType;
		UCHAR BIST;
		union {
			struct _PCI_HEADER_TYPE_0 type0;
			struct _PCI_HEADER_TYPE_1 type1;
		} u;
	};
	UCHAR DeviceSpecific[192];
} PCI_COMMON_CONFIG, *PPCI_COMMON_CONFIG;

#define PCI_COMMON_HDR_LENGTH	(offsetof(PCI_COMMON_CONFIG, DeviceSpecific))
#define PCI_EXTENDED_CONFIG_LENGTH	0x1000

/* Opaque: only passed by pointer to DxgkCbIsDevicePresent. */
typedef struct _PCI_DEVICE_PRESENCE_PARAMETERS PCI_DEVICE_PRESENCE_PARAMETERS,
	*PPCI_DEVICE_PRESENCE_PARAMETERS;

/* Power. */
typedef enum _DEVICE_POWER_STATE {
	PowerDeviceUnspecified = 0,
	PowerDeviceD0 = 1,
	PowerDeviceD1 = 2,
	PowerDeviceD2 = 3,
	PowerDeviceD3 = 4,
	PowerDeviceMaximum = 5
} DEVICE_POWER_STATE, *PDEVICE_POWER_STATE;

typedef enum _SYSTEM_POWER_STATE {
	PowerSystemUnspecified = 0,
	PowerSystemWorking = 1,
	PowerSystemSleeping1 = 2,
	PowerSystemSleeping2 = 3,
	PowerSystemSleeping3 = 4,
	PowerSystemHibernate = 5,
	PowerSystemShutdown = 6,
	PowerSystemMaximum = 7
} SYSTEM_POWER_STATE, *PSYSTEM_POWER_STATE;

typedef enum _POWER_ACTION {
	PowerActionNone = 0,
	PowerActionReserved = 1,
	PowerActionSleep = 2,
	PowerActionHibernate = 3,
	PowerActionShutdown = 4,
	PowerActionShutdownReset = 5,
	PowerActionShutdownOff = 6,
	PowerActionWarmEject = 7,
	PowerActionDisplayOff = 8
} POWER_ACTION, *PPOWER_ACTION;

/* Generic driver-to-driver interface header (DxgkCbQueryServices). */
typedef void (*PINTERFACE_REFERENCE)(PVOID Context);
typedef void (*PINTERFACE_DEREFERENCE)(PVOID Context);

typedef struct _INTERFACE {
	USHORT Size;
	USHORT Version;
	PVOID Context;
	PINTERFACE_REFERENCE InterfaceReference;
	PINTERFACE_DEREFERENCE InterfaceDereference;
} INTERFACE, *PINTERFACE;

/* Routine run with the device interrupt held off. */
typedef BOOLEAN KSYNCHRONIZE_ROUTINE(_In_opt_ PVOID SynchronizeContext);
typedef KSYNCHRONIZE_ROUTINE *PKSYNCHRONIZE_ROUTINE;

#if defined(__x86_64__) || defined(__aarch64__)
static_assert(sizeof(MEMORY_CACHING_TYPE) == 4);
static_assert(sizeof(CM_PARTIAL_RESOURCE_DESCRIPTOR) == 20);
static_assert(offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u) == 4);
static_assert(offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Memory.Length) == 12);
static_assert(offsetof(CM_PARTIAL_RESOURCE_DESCRIPTOR, u.Interrupt.Affinity) == 12);
static_assert(sizeof(CM_PARTIAL_RESOURCE_LIST) == 28);
static_assert(offsetof(CM_PARTIAL_RESOURCE_LIST, PartialDescriptors) == 8);
static_assert(sizeof(CM_FULL_RESOURCE_DESCRIPTOR) == 36);
static_assert(sizeof(CM_RESOURCE_LIST) == 40);
static_assert(offsetof(CM_RESOURCE_LIST, List) == 4);
static_assert(sizeof(PCI_COMMON_HEADER) == 64);
static_assert(sizeof(PCI_COMMON_CONFIG) == 256);
static_assert(offsetof(PCI_COMMON_CONFIG, DeviceSpecific) == 64);
static_assert(offsetof(PCI_COMMON_CONFIG, u.type0.SubVendorID) == 0x2C);
static_assert(offsetof(PCI_COMMON_CONFIG, u.type0.CapabilitiesPtr) == 0x34);
static_assert(offsetof(PCI_COMMON_CONFIG, u.type1.BridgeControl) == 0x3E);
static_assert(sizeof(INTERFACE) == 32);
#endif

#endif /* _DXGKCOMPAT_WDK_WDM_H_ */
