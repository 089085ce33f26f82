/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * the display port/miniport interface: what a WDDM kernel
 * mode driver (KMD, "display miniport") exchanges with Dxgkrnl, here
 * played by the dxgkcompat port driver.
 *
 *  - DRIVER_INITIALIZATION_DATA: the miniport's entry points (DDIs),
 *    handed to DxgkInitialize() from DriverEntry;
 *  - DXGKRNL_INTERFACE: the port driver's callbacks (DXGKCB_*), handed to
 *    DxgkDdiStartDevice;
 *  - the structures those exchange (DXGK_DEVICE_INFO, DXGK_START_INFO,
 *    child descriptors, ...).
 *
 * Written from the Microsoft Learn dispmprt pages and the
 * DXGKRNL_INTERFACE table of /work/shared/reference/wddm-pmo.md (§7).
 * DRIVER_OBJECT, DEVICE_OBJECT and PDRIVER_INITIALIZE come from
 * dxgk_linux.h, which is included here.
 *
 * Version gating: unlike the WDK, no member of DXGKRNL_INTERFACE or
 * DRIVER_INITIALIZATION_DATA is conditional on DXGKDDI_INTERFACE_VERSION.
 * The port driver always fills all 70 callback slots (NULL or a stub
 * for the unimplemented ones), and one layout of the miniport table
 * serves every miniport; the Version members still tell each side what
 * the other implements.
 */
#ifndef _DXGKCOMPAT_WDK_DISPMPRT_H_
#define _DXGKCOMPAT_WDK_DISPMPRT_H_

#include "ntdef.h"
#include "ntstatus.h"
#include "wdm.h"
#include "d3dukmdt.h"
#include "d3dkmdt.h"
#include "d3dkmddi.h"
#include "dxgk_linux.h"
#include "ntddk.h"

/* DxgkCbReadDeviceSpace / DxgkCbWriteDeviceSpace DataType. */
#define DXGK_WHICHSPACE_CONFIG	PCI_WHICHSPACE_CONFIG
#define DXGK_WHICHSPACE_ROM	PCI_WHICHSPACE_ROM
#define DXGK_WHICHSPACE_MCH	0x80000000
#define DXGK_WHICHSPACE_BRIDGE	0x80000001

/* DxgkCbExcludeAdapterAccess Attributes. */
#define DXGK_EXCLUDE_EVICT_ALL			0x00000001
#define DXGK_EXCLUDE_CALL_SYNCHRONOUS		0x00000002
#define DXGK_EXCLUDE_BRIDGE_ACCESS		0x00000004
#define DXGK_EXCLUDE_EVICT_STANDBY		0x00000008
#define DXGK_EXCLUDE_EVICT_HIBERNATE		0x00000010
#define DXGK_EXCLUDE_EVICT_SHUTDOWN		0x00000020
#define DXGK_EXCLUDE_D3_STATE_TRANSITION	0x00000040

/* DxgkDdiNotifyAcpiEvent AcpiFlags. */
#define DXGK_ACPI_POLL_DISPLAY_CHILDREN		0x00000001
#define DXGK_ACPI_CHANGE_DISPLAY_MODE		0x00000002
#define DXGK_ACPI_CHANGE_DISPLAY_TOPOLOGY	0x00000004
#define DXGK_ACPI_CHAIN_NOT_HANDLED		0x00000008

#define DXGK_MAX_STRING_LEN	50
#define DXGK_MAX_REG_SZ_LEN	(DXGK_MAX_STRING_LEN + 1)

/* ------------------------------------------------------------------ */
/* Child devices                                                       */
/* ------------------------------------------------------------------ */

typedef struct _LINKED_DEVICE {
	ULONG ChainUid;
	ULONG NumberOfLinksInChain;
	BOOLEAN LeadLink;
} LINKED_DEVICE, *PLINKED_DEVICE;

typedef enum _DXGK_EVENT_TYPE {
	DxgkUndefinedEvent = 0,
	DxgkAcpiEvent = 1,
	DxgkPowerStateEvent = 2,
	DxgkDockingEvent = 3,
	DxgkChainedAcpiEvent = 4
} DXGK_EVENT_TYPE, *PDXGK_EVENT_TYPE;

typedef struct _DXGK_VIDEO_OUTPUT_CAPABILITIES {
	D3DKMDT_VIDEO_OUTPUT_TECHNOLOGY InterfaceTechnology;
	D3DKMDT_MONITOR_ORIENTATION_AWARENESS MonitorOrientationAwareness;
	BOOLEAN SupportsSdtvModes;
} DXGK_VIDEO_OUTPUT_CAPABILITIES, *PDXGK_VIDEO_OUTPUT_CAPABILITIES;

typedef struct _DXGK_INTEGRATED_DISPLAY_CHILD {
	D3DKMDT_VIDEO_OUTPUT_TECHNOLOGY InterfaceTechnology;
	USHORT DescriptorLength;
} DXGK_INTEGRATED_DISPLAY_CHILD, *PDXGK_INTEGRATED_DISPLAY_CHILD;

typedef struct _DXGK_CHILD_CAPABILITIES {
	union {
		DXGK_VIDEO_OUTPUT_CAPABILITIES VideoOutput;	/* TypeVideoOutput */
		struct {
			UINT MustBeZero;
		} Other;					/* TypeOther */
		DXGK_INTEGRATED_DISPLAY_CHILD IntegratedDisplayChild;
	} Type;
	DXGK_CHILD_DEVICE_HPD_AWARENESS HpdAwareness;
} DXGK_CHILD_CAPABILITIES, *PDXGK_CHILD_CAPABILITIES;

typedef enum _DXGK_CHILD_DEVICE_TYPE {
	TypeUninitialized = 0,
	TypeVideoOutput = 1,
	TypeOther = 2,
	TypeIntegratedDisplay = 3
} DXGK_CHILD_DEVICE_TYPE, *PDXGK_CHILD_DEVICE_TYPE;

/* For TypeVideoOutput, ChildUid is the video present target id. */
typedef struct _DXGK_CHILD_DESCRIPTOR {
	DXGK_CHILD_DEVICE_TYPE ChildDeviceType;
	DXGK_CHILD_CAPABILITIES ChildCapabilities;
	ULONG AcpiUid;
	ULONG ChildUid;
} DXGK_CHILD_DESCRIPTOR, *PDXGK_CHILD_DESCRIPTOR;

typedef struct _DXGK_DEVICE_DESCRIPTOR {
	ULONG DescriptorOffset;
	ULONG DescriptorLength;
	PVOID DescriptorBuffer;
} DXGK_DEVICE_DESCRIPTOR, *PDXGK_DEVICE_DESCRIPTOR;

typedef struct _DXGK_GENERIC_DESCRIPTOR {
	WCHAR HardwareId[DXGK_MAX_REG_SZ_LEN];
	WCHAR InstanceId[DXGK_MAX_REG_SZ_LEN];
	WCHAR CompatibleId[DXGK_MAX_REG_SZ_LEN];
	WCHAR DeviceText[DXGK_MAX_REG_SZ_LEN];
} DXGK_GENERIC_DESCRIPTOR, *PDXGK_GENERIC_DESCRIPTOR;

typedef enum _DXGK_CHILD_STATUS_TYPE {
	StatusUninitialized = 0,
	StatusConnection = 1,
	StatusRotation = 2,
	StatusMiracastConnection = 3
} DXGK_CHILD_STATUS_TYPE, *PDXGK_CHILD_STATUS_TYPE;

typedef struct _DXGK_CHILD_STATUS {
	DXGK_CHILD_STATUS_TYPE Type;
	ULONG ChildUid;
	union {
		struct {
			BOOLEAN Connected;
		} HotPlug;
		struct {
			UCHAR Angle;
		} Rotation;
		struct {
			BOOLEAN Connected;
			D3DKMDT_VIDEO_OUTPUT_TECHNOLOGY MiracastMonitorType;
		} Miracast;
	};
} DXGK_CHILD_STATUS, *PDXGK_CHILD_STATUS;

typedef struct _DXGK_CHILD_CONTAINER_ID {
	GUID ContainerId;
	struct {
		ULONG64 PortId;
		USHORT ManufacturerName;
		USHORT ProductCode;
	} EldInfo;
} DXGK_CHILD_CONTAINER_ID, *PDXGK_CHILD_CONTAINER_ID;

/* ------------------------------------------------------------------ */
/* Adapter information given to the miniport                           */
/* ------------------------------------------------------------------ */

typedef enum _DOCKING_STATE {
	DockStateUnsupported = 0,
	DockStateUnDocked = 1,
	DockStateDocked = 2,
	DockStateUnknown = 3
} DOCKING_STATE;

typedef struct _DXGK_DEVICE_INFO {
	PVOID MiniportDeviceContext;
	PDEVICE_OBJECT PhysicalDeviceObject;
	UNICODE_STRING DeviceRegistryPath;
	PCM_RESOURCE_LIST TranslatedResourceList;
	LARGE_INTEGER SystemMemorySize;
	PHYSICAL_ADDRESS HighestPhysicalAddress;
	PHYSICAL_ADDRESS AgpApertureBase;
	SIZE_T AgpApertureSize;
	DOCKING_STATE DockingState;
} DXGK_DEVICE_INFO, *PDXGK_DEVICE_INFO;

typedef struct _DXGK_START_INFO {
	ULONG RequiredDmaQueueEntry;
	GUID AdapterGuid;
	LUID AdapterLuid;	/* WIN8 and later */
} DXGK_START_INFO, *PDXGK_START_INFO;

/* Services obtainable with DxgkCbQueryServices. */
typedef enum {
	DxgkServicesAgp = 0,
	DxgkServicesDebugReport = 1,
	DxgkServicesTimedOperation = 2,
	DxgkServicesSPB = 3,
	DxgkServicesBDD = 4,
	DxgkServicesFirmwareTable = 5,
	DxgkServicesIDD = 6
} DXGK_SERVICES;

/* Boot/firmware frame buffer handed over by the port driver. */
typedef struct _DXGK_DISPLAY_INFORMATION {
	UINT Width;
	UINT Height;
	UINT Pitch;
	D3DDDIFORMAT ColorFormat;
	PHYSICAL_ADDRESS PhysicAddress;
	D3DDDI_VIDEO_PRESENT_TARGET_ID TargetId;
	ULONG AcpiId;
} DXGK_DISPLAY_INFORMATION, *PDXGK_DISPLAY_INFORMATION;

typedef enum _DXGK_FRAMEBUFFER_STATE {
	FrameBufferStateUnknown = 0,
	FrameBufferStateInitializedByFirmware = 1,
	FrameBufferStateInitializedByDriver = 2
} DXGK_FRAMEBUFFER_STATE;

typedef struct _DXGK_DISPLAY_OWNERSHIP_FLAGS {
	union {
		struct {
			UINT FrameBufferState : 4;	/* DXGK_FRAMEBUFFER_STATE */
			UINT Reserved : 28;
		};
		UINT Value;
	};
} DXGK_DISPLAY_OWNERSHIP_FLAGS, *PDXGK_DISPLAY_OWNERSHIP_FLAGS;

/* ACPI method buffers (acpiioct.h): opaque here. */
typedef struct _ACPI_EVAL_INPUT_BUFFER_COMPLEX ACPI_EVAL_INPUT_BUFFER_COMPLEX,
	*PACPI_EVAL_INPUT_BUFFER_COMPLEX;
typedef struct _ACPI_EVAL_OUTPUT_BUFFER ACPI_EVAL_OUTPUT_BUFFER,
	*PACPI_EVAL_OUTPUT_BUFFER;

/* ------------------------------------------------------------------ */
/* Port driver callbacks (pointer types, as in the WDK)                */
/* ------------------------------------------------------------------ */

typedef void (*DXGKDDI_PROTECTED_CALLBACK)(_In_ const PVOID MiniportDeviceContext,
					   _In_ PVOID ProtectedCallbackContext,
					   _In_ NTSTATUS ProtectionStatus);

typedef NTSTATUS (*DXGKCB_EVAL_ACPI_METHOD)(_In_ HANDLE DeviceHandle,
					    _In_ ULONG DeviceUid,
					    _In_ PACPI_EVAL_INPUT_BUFFER_COMPLEX AcpiInputBuffer,
					    _In_ ULONG AcpiInputSize,
					    _Out_ PACPI_EVAL_OUTPUT_BUFFER AcpiOutputBuffer,
					    _In_ ULONG AcpiOutputSize);

typedef NTSTATUS (*DXGKCB_GET_DEVICE_INFORMATION)(_In_ HANDLE DeviceHandle,
						  _Out_ PDXGK_DEVICE_INFO DeviceInfo);

typedef NTSTATUS (*DXGKCB_INDICATE_CHILD_STATUS)(_In_ HANDLE DeviceHandle,
						 _In_ PDXGK_CHILD_STATUS ChildStatus);

typedef NTSTATUS (*DXGKCB_MAP_MEMORY)(_In_ HANDLE DeviceHandle,
				      _In_ PHYSICAL_ADDRESS TranslatedAddress,
				      _In_ ULONG Length,
				      _In_ BOOLEAN InIoSpace,
				      _In_ BOOLEAN MapToUserMode,
				      _In_ MEMORY_CACHING_TYPE CacheType,
				      _Outptr_ PVOID *VirtualAddress);

typedef NTSTATUS (*DXGKCB_QUERY_SERVICES)(_In_ HANDLE DeviceHandle,
					  _In_ DXGK_SERVICES ServicesType,
					  _Inout_ PINTERFACE Interface);

typedef BOOLEAN (*DXGKCB_QUEUE_DPC)(_In_ HANDLE DeviceHandle);

typedef NTSTATUS (*DXGKCB_READ_DEVICE_SPACE)(_In_ HANDLE DeviceHandle,
					     _In_ ULONG DataType,	/* DXGK_WHICHSPACE_* */
					     _Out_ PVOID Buffer,
					     _In_ ULONG Offset,
					     _In_ ULONG Length,
					     _Out_ PULONG BytesRead);

typedef NTSTATUS (*DXGKCB_SYNCHRONIZE_EXECUTION)(_In_ HANDLE DeviceHandle,
						 _In_ PKSYNCHRONIZE_ROUTINE SynchronizeRoutine,
						 _In_ PVOID Context,
						 _In_ ULONG MessageNumber,
						 _Out_ PBOOLEAN ReturnValue);

typedef NTSTATUS (*DXGKCB_UNMAP_MEMORY)(_In_ HANDLE DeviceHandle,
					_In_ PVOID VirtualAddress);

typedef NTSTATUS (*DXGKCB_WRITE_DEVICE_SPACE)(_In_ HANDLE DeviceHandle,
					      _In_ ULONG DataType,	/* DXGK_WHICHSPACE_* */
					      _In_ PVOID Buffer,
					      _In_ ULONG Offset,
					      _In_ ULONG Length,
					      _Out_ PULONG BytesWritten);

typedef NTSTATUS (*DXGKCB_IS_DEVICE_PRESENT)
	(_In_ HANDLE DeviceHandle,
	 _In_ PPCI_DEVICE_PRESENCE_PARAMETERS DevicePresenceParameters,
	 _Out_ PBOOLEAN DevicePresent);

typedef void (*DXGKCB_LOG_ETW_EVENT)(_In_ const LPCGUID EventGuid,
				     _In_ UCHAR Type,
				     _In_ USHORT EventBufferSize,
				     _In_ PVOID EventBuffer);

typedef NTSTATUS (*DXGKCB_EXCLUDE_ADAPTER_ACCESS)
	(_In_ HANDLE DeviceHandle,
	 _In_ ULONG Attributes,
	 /* DXGK_EXCLUDE_* */ _In_ DXGKDDI_PROTECTED_CALLBACK DxgkProtectedCallback,
	 _In_ PVOID ProtectedCallbackContext);

typedef NTSTATUS (*DXGKCB_ACQUIRE_POST_DISPLAY_OWNERSHIP)
	(_In_ HANDLE DeviceHandle,
	 _Out_ PDXGK_DISPLAY_INFORMATION DisplayInfo);

typedef NTSTATUS (*DXGKCB_ACQUIRE_POST_DISPLAY_OWNERSHIP2)
	(_In_ HANDLE DeviceHandle,
	 _Out_ PDXGK_DISPLAY_INFORMATION DisplayInfo,
	 _Out_ PDXGK_DISPLAY_OWNERSHIP_FLAGS Flags);

/*
 * The callback table. Member order and x64 offsets: reference §7, which
 * keeps the four slots one public re-declaration comments out
 * (DxgkCbExcludeAdapterAccess, DxgkCbAcquirePostDisplayOwnership,
 * DxgkCbAcquirePostDisplayOwnership2, DxgkCbReportDiagnostic); the
 * offsets are asserted at the end of this file. Nothing after
 * DxgkCbDisconnectDoorbell (WDDM 3.1) is declared.
 */
typedef struct _DXGKRNL_INTERFACE {
	ULONG Size;
	ULONG Version;
	HANDLE DeviceHandle;

	DXGKCB_EVAL_ACPI_METHOD DxgkCbEvalAcpiMethod;
	DXGKCB_GET_DEVICE_INFORMATION DxgkCbGetDeviceInformation;
	DXGKCB_INDICATE_CHILD_STATUS DxgkCbIndicateChildStatus;
	DXGKCB_MAP_MEMORY DxgkCbMapMemory;
	DXGKCB_QUEUE_DPC DxgkCbQueueDpc;
	DXGKCB_QUERY_SERVICES DxgkCbQueryServices;
	DXGKCB_READ_DEVICE_SPACE DxgkCbReadDeviceSpace;
	DXGKCB_SYNCHRONIZE_EXECUTION DxgkCbSynchronizeExecution;
	DXGKCB_UNMAP_MEMORY DxgkCbUnmapMemory;
	DXGKCB_WRITE_DEVICE_SPACE DxgkCbWriteDeviceSpace;
	DXGKCB_IS_DEVICE_PRESENT DxgkCbIsDevicePresent;
	DXGKCB_GETHANDLEDATA DxgkCbGetHandleData;
	DXGKCB_GETHANDLEPARENT DxgkCbGetHandleParent;
	DXGKCB_ENUMHANDLECHILDREN DxgkCbEnumHandleChildren;
	DXGKCB_NOTIFY_INTERRUPT DxgkCbNotifyInterrupt;
	DXGKCB_NOTIFY_DPC DxgkCbNotifyDpc;
	DXGKCB_QUERYVIDPNINTERFACE DxgkCbQueryVidPnInterface;
	DXGKCB_QUERYMONITORINTERFACE DxgkCbQueryMonitorInterface;
	DXGKCB_GETCAPTUREADDRESS DxgkCbGetCaptureAddress;
	DXGKCB_LOG_ETW_EVENT DxgkCbLogEtwEvent;
	DXGKCB_EXCLUDE_ADAPTER_ACCESS DxgkCbExcludeAdapterAccess;
	DXGKCB_CREATECONTEXTALLOCATION DxgkCbCreateContextAllocation;
	DXGKCB_DESTROYCONTEXTALLOCATION DxgkCbDestroyContextAllocation;
	DXGKCB_SETPOWERCOMPONENTACTIVE DxgkCbSetPowerComponentActive;
	DXGKCB_SETPOWERCOMPONENTIDLE DxgkCbSetPowerComponentIdle;
	DXGKCB_ACQUIRE_POST_DISPLAY_OWNERSHIP DxgkCbAcquirePostDisplayOwnership;
	DXGKCB_POWERRUNTIMECONTROLREQUEST DxgkCbPowerRuntimeControlRequest;
	DXGKCB_SETPOWERCOMPONENTLATENCY DxgkCbSetPowerComponentLatency;
	DXGKCB_SETPOWERCOMPONENTRESIDENCY DxgkCbSetPowerComponentResidency;
	DXGKCB_COMPLETEFSTATETRANSITION DxgkCbCompleteFStateTransition;
	DXGKCB_COMPLETEPSTATETRANSITION DxgkCbCompletePStateTransition;
	DXGKCB_MAPCONTEXTALLOCATION DxgkCbMapContextAllocation;
	DXGKCB_UPDATECONTEXTALLOCATION DxgkCbUpdateContextAllocation;
	DXGKCB_RESERVEGPUVIRTUALADDRESSRANGE DxgkCbReserveGpuVirtualAddressRange;
	DXGKCB_ACQUIREHANDLEDATA DxgkCbAcquireHandleData;
	DXGKCB_RELEASEHANDLEDATA DxgkCbReleaseHandleData;
	DXGKCB_HARDWARECONTENTPROTECTIONTEARDOWN DxgkCbHardwareContentProtectionTeardown;
	DXGKCB_MULTIPLANEOVERLAYDISABLED DxgkCbMultiPlaneOverlayDisabled;
	DXGKCB_DXGKCB_MITIGATEDRANGEUPDATE DxgkCbMitigatedRangeUpdate;
	DXGKCB_INVALIDATEHWCONTEXT DxgkCbInvalidateHwContext;
	DXGKCB_INDICATE_CONNECTOR_CHANGE DxgkCbIndicateConnectorChange;
	DXGKCB_UNBLOCKUEFIFRAMEBUFFERRANGES DxgkCbUnblockUEFIFrameBufferRanges;
	DXGKCB_ACQUIRE_POST_DISPLAY_OWNERSHIP2 DxgkCbAcquirePostDisplayOwnership2;
	DXGKCB_SETPROTECTEDSESSIONSTATUS DxgkCbSetProtectedSessionStatus;
	DXGKCB_ALLOCATECONTIGUOUSMEMORY DxgkCbAllocateContiguousMemory;
	DXGKCB_FREECONTIGUOUSMEMORY DxgkCbFreeContiguousMemory;
	DXGKCB_ALLOCATEPAGESFORMDL DxgkCbAllocatePagesForMdl;
	DXGKCB_FREEPAGESFROMMDL DxgkCbFreePagesFromMdl;
	DXGKCB_PINFRAMEBUFFERFORSAVE DxgkCbPinFrameBufferForSave;
	DXGKCB_UNPINFRAMEBUFFERFORSAVE DxgkCbUnpinFrameBufferForSave;
	DXGKCB_MAPFRAMEBUFFERPOINTER DxgkCbMapFrameBufferPointer;
	DXGKCB_UNMAPFRAMEBUFFERPOINTER DxgkCbUnmapFrameBufferPointer;
	DXGKCB_MAPMDLTOIOMMU DxgkCbMapMdlToIoMmu;
	DXGKCB_UNMAPMDLFROMIOMMU DxgkCbUnmapMdlFromIoMmu;
	DXGKCB_REPORT_DIAGNOSTIC DxgkCbReportDiagnostic;
	DXGKCB_SIGNALEVENT DxgkCbSignalEvent;
	DXGKCB_ISFEATUREENABLED DxgkCbIsFeatureEnabled;
	DXGKCB_SAVEMEMORYFORHOTUPDATE DxgkCbSaveMemoryForHotUpdate;
	DXGKCB_NOTIFYCURSORSUPPORTCHANGE DxgkCbNotifyCursorSupportChange;
	DXGKCB_QUERYFEATURESUPPORT DxgkCbQueryFeatureSupport;
	DXGKCB_CREATEPHYSICALMEMORYOBJECT DxgkCbCreatePhysicalMemoryObject;
	DXGKCB_DESTROYPHYSICALMEMORYOBJECT DxgkCbDestroyPhysicalMemoryObject;
	DXGKCB_MAPPHYSICALMEMORY DxgkCbMapPhysicalMemory;
	DXGKCB_UNMAPPHYSICALMEMORY DxgkCbUnmapPhysicalMemory;
	DXGKCB_ALLOCATEADL DxgkCbAllocateAdl;
	DXGKCB_FREEADL DxgkCbFreeAdl;
	DXGKCB_OPENPHYSICALMEMORYOBJECT DxgkCbOpenPhysicalMemoryObject;
	DXGKCB_CLOSEPHYSICALMEMORYOBJECT DxgkCbClosePhysicalMemoryObject;
	DXGKCB_PINFRAMEBUFFERFORSAVE2 DxgkCbPinFrameBufferForSave2;
	DXGKCB_DISCONNECTDOORBELL DxgkCbDisconnectDoorbell;
} DXGKRNL_INTERFACE, *PDXGKRNL_INTERFACE;

/* ------------------------------------------------------------------ */
/* Miniport DDIs of the port/miniport interface proper              */
/* ------------------------------------------------------------------ */

/* Video port style request packet (DxgkDdiDispatchIoRequest): opaque. */
typedef struct _VIDEO_REQUEST_PACKET VIDEO_REQUEST_PACKET, *PVIDEO_REQUEST_PACKET;

/* Interface query (DxgkDdiQueryInterface). */
typedef struct _QUERY_INTERFACE {
	const GUID *InterfaceType;
	USHORT Size;
	USHORT Version;
	PINTERFACE Interface;
	PVOID InterfaceSpecificData;
} QUERY_INTERFACE, *PQUERY_INTERFACE;

/* Parameter typedefs used by the DDI prototypes. */
typedef const PDEVICE_OBJECT IN_CONST_PDEVICE_OBJECT;
typedef PLINKED_DEVICE INOUT_PLINKED_DEVICE;
typedef PDXGK_CHILD_DESCRIPTOR INOUT_PDXGK_CHILD_DESCRIPTOR;
typedef PDXGK_CHILD_STATUS IN_PDXGK_CHILD_STATUS;
typedef PDXGK_CHILD_STATUS INOUT_PDXGK_CHILD_STATUS;
typedef PDXGK_DEVICE_DESCRIPTOR INOUT_PDXGK_DEVICE_DESCRIPTOR;
typedef DXGK_EVENT_TYPE IN_DXGK_EVENT_TYPE;
typedef PDXGK_START_INFO IN_PDXGK_START_INFO;
typedef PDXGKRNL_INTERFACE IN_PDXGKRNL_INTERFACE;
typedef PQUERY_INTERFACE IN_PQUERY_INTERFACE;
typedef PVIDEO_REQUEST_PACKET IN_PVIDEO_REQUEST_PACKET;
typedef DEVICE_POWER_STATE IN_DEVICE_POWER_STATE;
typedef POWER_ACTION IN_POWER_ACTION;

/*
 * Lifecycle DDIs: function types, so that a miniport can declare
 * "DXGKDDI_ADD_DEVICE MyAddDevice;" (exact WDK prototypes).
 */
typedef NTSTATUS DXGKDDI_ADD_DEVICE(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
				    OUT_PPVOID MiniportDeviceContext);

typedef NTSTATUS DXGKDDI_START_DEVICE(IN_CONST_PVOID MiniportDeviceContext,
				      IN_PDXGK_START_INFO DxgkStartInfo,
				      IN_PDXGKRNL_INTERFACE DxgkInterface,
				      OUT_PULONG NumberOfVideoPresentSources,
				      OUT_PULONG NumberOfChildren);

typedef NTSTATUS DXGKDDI_STOP_DEVICE(IN_CONST_PVOID MiniportDeviceContext);

typedef NTSTATUS DXGKDDI_REMOVE_DEVICE(IN_CONST_PVOID MiniportDeviceContext);

typedef NTSTATUS DXGKDDI_DISPATCH_IO_REQUEST(IN_CONST_PVOID MiniportDeviceContext,
					     IN_ULONG VidPnSourceId,
					     IN_PVIDEO_REQUEST_PACKET VideoRequestPacket);

typedef NTSTATUS DXGKDDI_QUERY_CHILD_RELATIONS(_In_ const PVOID MiniportDeviceContext,
					       _Inout_ PDXGK_CHILD_DESCRIPTOR ChildRelations,
					       _In_ ULONG ChildRelationsSize);

typedef NTSTATUS DXGKDDI_QUERY_CHILD_STATUS(IN_CONST_PVOID MiniportDeviceContext,
					    INOUT_PDXGK_CHILD_STATUS ChildStatus,
					    IN_BOOLEAN NonDestructiveOnly);

typedef BOOLEAN DXGKDDI_INTERRUPT_ROUTINE(IN_CONST_PVOID MiniportDeviceContext,
					  IN_ULONG MessageNumber);

typedef VOID DXGKDDI_DPC_ROUTINE(IN_CONST_PVOID MiniportDeviceContext);

typedef NTSTATUS DXGKDDI_QUERY_DEVICE_DESCRIPTOR(IN_CONST_PVOID MiniportDeviceContext,
						 IN_ULONG ChildUid,
						 INOUT_PDXGK_DEVICE_DESCRIPTOR DeviceDescriptor);

typedef NTSTATUS DXGKDDI_SET_POWER_STATE(IN_CONST_PVOID MiniportDeviceContext,
					 IN_ULONG DeviceUid,
					 IN_DEVICE_POWER_STATE DevicePowerState,
					 IN_POWER_ACTION ActionType);

typedef NTSTATUS DXGKDDI_NOTIFY_ACPI_EVENT(IN_CONST_PVOID MiniportDeviceContext,
					   IN_DXGK_EVENT_TYPE EventType,
					   IN_ULONG Event,
					   IN_PVOID Argument,
					   OUT_PULONG AcpiFlags);

typedef VOID DXGKDDI_RESET_DEVICE(IN_CONST_PVOID MiniportDeviceContext);

typedef VOID DXGKDDI_UNLOAD(VOID);

typedef NTSTATUS DXGKDDI_QUERY_INTERFACE(IN_CONST_PVOID MiniportDeviceContext,
					 IN_PQUERY_INTERFACE QueryInterface);

typedef VOID DXGKDDI_CONTROL_ETW_LOGGING(IN_BOOLEAN Enable,
					 IN_ULONG Flags,
					 IN_UCHAR Level);

typedef NTSTATUS DXGKDDI_LINK_DEVICE(IN_CONST_PDEVICE_OBJECT PhysicalDeviceObject,
				     IN_CONST_PVOID MiniportDeviceContext,
				     INOUT_PLINKED_DEVICE LinkedDevice);

/* WDDM 2.2: pre-start information exchange. */
typedef struct _DXGK_PRE_START_INFO {
	union {
		struct {
			UINT ReservedIn;
		};
		UINT Input;
	};
	union {
		struct {
			UINT SupportPreserveBootDisplay : 1;
			UINT IsUEFIFrameBufferCpuAccessibleDuringStartup : 1;
			UINT ReservedOut : 30;
		};
		UINT Output;
	};
} DXGK_PRE_START_INFO, *PDXGK_PRE_START_INFO;
typedef PDXGK_PRE_START_INFO IN_OUT_PDXGK_PRE_START_INFO;

typedef NTSTATUS DXGKDDI_EXCHANGEPRESTARTINFO(IN_CONST_HANDLE hAdapter,
					      IN_OUT_PDXGK_PRE_START_INFO pPreStartInfo);

/* Passed by value; layout not declared yet. */
typedef struct _DXGK_COLORIMETRY DXGK_COLORIMETRY;

typedef NTSTATUS DXGKDDI_SETTARGETADJUSTEDCOLORIMETRY(IN_CONST_HANDLE hAdapter,
						      D3DDDI_VIDEO_PRESENT_TARGET_ID TargetId,
						      DXGK_COLORIMETRY AdjustedColorimetry);

/*
 * WDDM 2.4 diagnostics (miniport-context first, like the other dispmprt
 * DDIs) and 2.5 colorimetry; argument blocks incomplete.
 */
typedef struct _DXGKARG_QUERYDIAGNOSTICTYPESSUPPORT
	DXGKARG_QUERYDIAGNOSTICTYPESSUPPORT;
typedef struct _DXGKARG_QUERYDIAGNOSTICTYPESSUPPORT *INOUT_PDXGKARG_QUERYDIAGNOSTICTYPESSUPPORT;
typedef struct _DXGKARG_CONTROLDIAGNOSTICREPORTING
	DXGKARG_CONTROLDIAGNOSTICREPORTING;
typedef struct _DXGKARG_CONTROLDIAGNOSTICREPORTING *IN_PDXGKARG_CONTROLDIAGNOSTICREPORTING;
typedef struct _DXGKARG_SETTARGETADJUSTEDCOLORIMETRY2
	DXGKARG_SETTARGETADJUSTEDCOLORIMETRY2;
typedef const struct _DXGKARG_SETTARGETADJUSTEDCOLORIMETRY2 *IN_CONST_PDXGKARG_SETTARGETADJUSTEDCOLORIMETRY2;

typedef NTSTATUS DXGKDDI_QUERYDIAGNOSTICTYPESSUPPORT
	(IN_CONST_PVOID MiniportDeviceContext,
	 INOUT_PDXGKARG_QUERYDIAGNOSTICTYPESSUPPORT pArgQueryDiagnosticTypesSupport);

typedef NTSTATUS DXGKDDI_CONTROLDIAGNOSTICREPORTING
	(IN_CONST_PVOID MiniportDeviceContext,
	 IN_PDXGKARG_CONTROLDIAGNOSTICREPORTING pArgControlDiagnosticReporting);

typedef NTSTATUS DXGKDDI_SETTARGETADJUSTEDCOLORIMETRY2
	(IN_CONST_HANDLE hAdapter,
	 IN_CONST_PDXGKARG_SETTARGETADJUSTEDCOLORIMETRY2 pArgs);

/* WIN8 additions. */
typedef struct _DXGKARG_SYSTEM_DISPLAY_ENABLE_FLAGS {
	union {
		struct {
			UINT Reserved : 32;
		};
		UINT Value;
	};
} DXGKARG_SYSTEM_DISPLAY_ENABLE_FLAGS, *PDXGKARG_SYSTEM_DISPLAY_ENABLE_FLAGS;

typedef enum _DXGK_SURPRISE_REMOVAL_TYPE {
	DxgkRemovalHibernation = 0,
	DxgkRemovalPnPNotify = 1
} DXGK_SURPRISE_REMOVAL_TYPE;

typedef NTSTATUS DXGKDDI_STOP_DEVICE_AND_RELEASE_POST_DISPLAY_OWNERSHIP
	(_In_ PVOID MiniportDeviceContext,
	 _In_ D3DDDI_VIDEO_PRESENT_TARGET_ID TargetId,
	 _Out_ PDXGK_DISPLAY_INFORMATION DisplayInfo);

typedef NTSTATUS DXGKDDI_SYSTEM_DISPLAY_ENABLE(_In_ PVOID MiniportDeviceContext,
					       _In_ D3DDDI_VIDEO_PRESENT_TARGET_ID TargetId,
					       _In_ PDXGKARG_SYSTEM_DISPLAY_ENABLE_FLAGS Flags,
					       _Out_ UINT *Width,
					       _Out_ UINT *Height,
					       _Out_ D3DDDIFORMAT *ColorFormat);

typedef VOID DXGKDDI_SYSTEM_DISPLAY_WRITE(_In_ PVOID MiniportDeviceContext,
					  _In_ PVOID Source,
					  _In_ UINT SourceWidth,
					  _In_ UINT SourceHeight,
					  _In_ UINT SourceStride,
					  _In_ UINT PositionX,
					  _In_ UINT PositionY);

typedef NTSTATUS DXGKDDI_GET_CHILD_CONTAINER_ID(_In_ PVOID MiniportDeviceContext,
						_In_ ULONG ChildUid,
						_Inout_ PDXGK_CHILD_CONTAINER_ID ContainerId);

typedef NTSTATUS DXGKDDI_NOTIFY_SURPRISE_REMOVAL(_In_ PVOID MiniportDeviceContext,
						 _In_ DXGK_SURPRISE_REMOVAL_TYPE RemovalType);

typedef DXGKDDI_ADD_DEVICE *PDXGKDDI_ADD_DEVICE;
typedef DXGKDDI_START_DEVICE *PDXGKDDI_START_DEVICE;
typedef DXGKDDI_STOP_DEVICE *PDXGKDDI_STOP_DEVICE;
typedef DXGKDDI_REMOVE_DEVICE *PDXGKDDI_REMOVE_DEVICE;
typedef DXGKDDI_DISPATCH_IO_REQUEST *PDXGKDDI_DISPATCH_IO_REQUEST;
typedef DXGKDDI_QUERY_CHILD_RELATIONS *PDXGKDDI_QUERY_CHILD_RELATIONS;
typedef DXGKDDI_QUERY_CHILD_STATUS *PDXGKDDI_QUERY_CHILD_STATUS;
typedef DXGKDDI_INTERRUPT_ROUTINE *PDXGKDDI_INTERRUPT_ROUTINE;
typedef DXGKDDI_DPC_ROUTINE *PDXGKDDI_DPC_ROUTINE;
typedef DXGKDDI_QUERY_DEVICE_DESCRIPTOR *PDXGKDDI_QUERY_DEVICE_DESCRIPTOR;
typedef DXGKDDI_SET_POWER_STATE *PDXGKDDI_SET_POWER_STATE;
typedef DXGKDDI_NOTIFY_ACPI_EVENT *PDXGKDDI_NOTIFY_ACPI_EVENT;
typedef DXGKDDI_RESET_DEVICE *PDXGKDDI_RESET_DEVICE;
typedef DXGKDDI_UNLOAD *PDXGKDDI_UNLOAD;
typedef DXGKDDI_QUERY_INTERFACE *PDXGKDDI_QUERY_INTERFACE;
typedef DXGKDDI_CONTROL_ETW_LOGGING *PDXGKDDI_CONTROL_ETW_LOGGING;
typedef DXGKDDI_LINK_DEVICE *PDXGKDDI_LINK_DEVICE;
typedef DXGKDDI_EXCHANGEPRESTARTINFO *PDXGKDDI_EXCHANGEPRESTARTINFO;
typedef DXGKDDI_SETTARGETADJUSTEDCOLORIMETRY *PDXGKDDI_SETTARGETADJUSTEDCOLORIMETRY;
typedef DXGKDDI_QUERYDIAGNOSTICTYPESSUPPORT *PDXGKDDI_QUERYDIAGNOSTICTYPESSUPPORT;
typedef DXGKDDI_CONTROLDIAGNOSTICREPORTING *PDXGKDDI_CONTROLDIAGNOSTICREPORTING;
typedef DXGKDDI_SETTARGETADJUSTEDCOLORIMETRY2 *PDXGKDDI_SETTARGETADJUSTEDCOLORIMETRY2;
typedef DXGKDDI_STOP_DEVICE_AND_RELEASE_POST_DISPLAY_OWNERSHIP
	*PDXGKDDI_STOP_DEVICE_AND_RELEASE_POST_DISPLAY_OWNERSHIP;
typedef DXGKDDI_SYSTEM_DISPLAY_ENABLE *PDXGKDDI_SYSTEM_DISPLAY_ENABLE;
typedef DXGKDDI_SYSTEM_DISPLAY_WRITE *PDXGKDDI_SYSTEM_DISPLAY_WRITE;
typedef DXGKDDI_GET_CHILD_CONTAINER_ID *PDXGKDDI_GET_CHILD_CONTAINER_ID;
typedef DXGKDDI_NOTIFY_SURPRISE_REMOVAL *PDXGKDDI_NOTIFY_SURPRISE_REMOVAL;

/* ------------------------------------------------------------------ */
/* DRIVER_INITIALIZATION_DATA                                          */
/* ------------------------------------------------------------------ */

/*
 * Member order: Microsoft Learn ns-dispmprt-_driver_initialization_data,
 * up to DxgkDdiSetTrackedWorkloadPowerLevel (WDDM 2.6), the last member
 * that page lists; members of later WDKs are not declared. The
 * WIN7-reserved page-table slots are PVOID, as in the WDK. All members are
 * present whatever DXGKDDI_INTERFACE_VERSION is (see the top of this file).
 */
typedef struct _DRIVER_INITIALIZATION_DATA {
	ULONG Version;	/* DXGKDDI_INTERFACE_VERSION */
	PDXGKDDI_ADD_DEVICE DxgkDdiAddDevice;
	PDXGKDDI_START_DEVICE DxgkDdiStartDevice;
	PDXGKDDI_STOP_DEVICE DxgkDdiStopDevice;
	PDXGKDDI_REMOVE_DEVICE DxgkDdiRemoveDevice;
	PDXGKDDI_DISPATCH_IO_REQUEST DxgkDdiDispatchIoRequest;
	PDXGKDDI_INTERRUPT_ROUTINE DxgkDdiInterruptRoutine;
	PDXGKDDI_DPC_ROUTINE DxgkDdiDpcRoutine;
	PDXGKDDI_QUERY_CHILD_RELATIONS DxgkDdiQueryChildRelations;
	PDXGKDDI_QUERY_CHILD_STATUS DxgkDdiQueryChildStatus;
	PDXGKDDI_QUERY_DEVICE_DESCRIPTOR DxgkDdiQueryDeviceDescriptor;
	PDXGKDDI_SET_POWER_STATE DxgkDdiSetPowerState;
	PDXGKDDI_NOTIFY_ACPI_EVENT DxgkDdiNotifyAcpiEvent;
	PDXGKDDI_RESET_DEVICE DxgkDdiResetDevice;
	PDXGKDDI_UNLOAD DxgkDdiUnload;
	PDXGKDDI_QUERY_INTERFACE DxgkDdiQueryInterface;
	PDXGKDDI_CONTROL_ETW_LOGGING DxgkDdiControlEtwLogging;

	PDXGKDDI_QUERYADAPTERINFO DxgkDdiQueryAdapterInfo;
	PDXGKDDI_CREATEDEVICE DxgkDdiCreateDevice;
	PDXGKDDI_CREATEALLOCATION DxgkDdiCreateAllocation;
	PDXGKDDI_DESTROYALLOCATION DxgkDdiDestroyAllocation;
	PDXGKDDI_DESCRIBEALLOCATION DxgkDdiDescribeAllocation;
	PDXGKDDI_GETSTANDARDALLOCATIONDRIVERDATA DxgkDdiGetStandardAllocationDriverData;
	PDXGKDDI_ACQUIRESWIZZLINGRANGE DxgkDdiAcquireSwizzlingRange;
	PDXGKDDI_RELEASESWIZZLINGRANGE DxgkDdiReleaseSwizzlingRange;
	PDXGKDDI_PATCH DxgkDdiPatch;
	PDXGKDDI_SUBMITCOMMAND DxgkDdiSubmitCommand;
	PDXGKDDI_PREEMPTCOMMAND DxgkDdiPreemptCommand;
	PDXGKDDI_BUILDPAGINGBUFFER DxgkDdiBuildPagingBuffer;
	PDXGKDDI_SETPALETTE DxgkDdiSetPalette;
	PDXGKDDI_SETPOINTERPOSITION DxgkDdiSetPointerPosition;
	PDXGKDDI_SETPOINTERSHAPE DxgkDdiSetPointerShape;
	PDXGKDDI_RESETFROMTIMEOUT DxgkDdiResetFromTimeout;
	PDXGKDDI_RESTARTFROMTIMEOUT DxgkDdiRestartFromTimeout;
	PDXGKDDI_ESCAPE DxgkDdiEscape;
	PDXGKDDI_COLLECTDBGINFO DxgkDdiCollectDbgInfo;
	PDXGKDDI_QUERYCURRENTFENCE DxgkDdiQueryCurrentFence;
	PDXGKDDI_ISSUPPORTEDVIDPN DxgkDdiIsSupportedVidPn;
	PDXGKDDI_RECOMMENDFUNCTIONALVIDPN DxgkDdiRecommendFunctionalVidPn;
	PDXGKDDI_ENUMVIDPNCOFUNCMODALITY DxgkDdiEnumVidPnCofuncModality;
	PDXGKDDI_SETVIDPNSOURCEADDRESS DxgkDdiSetVidPnSourceAddress;
	PDXGKDDI_SETVIDPNSOURCEVISIBILITY DxgkDdiSetVidPnSourceVisibility;
	PDXGKDDI_COMMITVIDPN DxgkDdiCommitVidPn;
	PDXGKDDI_UPDATEACTIVEVIDPNPRESENTPATH DxgkDdiUpdateActiveVidPnPresentPath;
	PDXGKDDI_RECOMMENDMONITORMODES DxgkDdiRecommendMonitorModes;
	PDXGKDDI_RECOMMENDVIDPNTOPOLOGY DxgkDdiRecommendVidPnTopology;
	PDXGKDDI_GETSCANLINE DxgkDdiGetScanLine;
	PDXGKDDI_STOPCAPTURE DxgkDdiStopCapture;
	PDXGKDDI_CONTROLINTERRUPT DxgkDdiControlInterrupt;
	PDXGKDDI_CREATEOVERLAY DxgkDdiCreateOverlay;

	/* Device functions. */
	PDXGKDDI_DESTROYDEVICE DxgkDdiDestroyDevice;
	PDXGKDDI_OPENALLOCATIONINFO DxgkDdiOpenAllocation;
	PDXGKDDI_CLOSEALLOCATION DxgkDdiCloseAllocation;
	PDXGKDDI_RENDER DxgkDdiRender;
	PDXGKDDI_PRESENT DxgkDdiPresent;

	/* Overlay functions. */
	PDXGKDDI_UPDATEOVERLAY DxgkDdiUpdateOverlay;
	PDXGKDDI_FLIPOVERLAY DxgkDdiFlipOverlay;
	PDXGKDDI_DESTROYOVERLAY DxgkDdiDestroyOverlay;

	/* Contexts. */
	PDXGKDDI_CREATECONTEXT DxgkDdiCreateContext;
	PDXGKDDI_DESTROYCONTEXT DxgkDdiDestroyContext;

	/* Linked display adapters. */
	PDXGKDDI_LINK_DEVICE DxgkDdiLinkDevice;
	PDXGKDDI_SETDISPLAYPRIVATEDRIVERFORMAT DxgkDdiSetDisplayPrivateDriverFormat;

	/* WIN7 (the first six are reserved, set to NULL). */
	PVOID DxgkDdiDescribePageTable;
	PVOID DxgkDdiUpdatePageTable;
	PVOID DxgkDdiUpdatePageDirectory;
	PVOID DxgkDdiMovePageDirectory;
	PVOID DxgkDdiSubmitRender;
	PVOID DxgkDdiCreateAllocation2;
	PDXGKDDI_RENDER DxgkDdiRenderKm;
	VOID *Reserved;
	PDXGKDDI_QUERYVIDPNHWCAPABILITY DxgkDdiQueryVidPnHWCapability;

	/* WIN8 */
	PDXGKDDISETPOWERCOMPONENTFSTATE DxgkDdiSetPowerComponentFState;
	PDXGKDDI_QUERYDEPENDENTENGINEGROUP DxgkDdiQueryDependentEngineGroup;
	PDXGKDDI_QUERYENGINESTATUS DxgkDdiQueryEngineStatus;
	PDXGKDDI_RESETENGINE DxgkDdiResetEngine;
	PDXGKDDI_STOP_DEVICE_AND_RELEASE_POST_DISPLAY_OWNERSHIP DxgkDdiStopDeviceAndReleasePostDisplayOwnership;
	PDXGKDDI_SYSTEM_DISPLAY_ENABLE DxgkDdiSystemDisplayEnable;
	PDXGKDDI_SYSTEM_DISPLAY_WRITE DxgkDdiSystemDisplayWrite;
	PDXGKDDI_CANCELCOMMAND DxgkDdiCancelCommand;
	PDXGKDDI_GET_CHILD_CONTAINER_ID DxgkDdiGetChildContainerId;
	PDXGKDDIPOWERRUNTIMECONTROLREQUEST DxgkDdiPowerRuntimeControlRequest;
	PDXGKDDI_SETVIDPNSOURCEADDRESSWITHMULTIPLANEOVERLAY DxgkDdiSetVidPnSourceAddressWithMultiPlaneOverlay;
	PDXGKDDI_NOTIFY_SURPRISE_REMOVAL DxgkDdiNotifySurpriseRemoval;

	/* WDDM 1.3 */
	PDXGKDDI_GETNODEMETADATA DxgkDdiGetNodeMetadata;
	PDXGKDDISETPOWERPSTATE DxgkDdiSetPowerPState;	/* reserved */
	PDXGKDDI_CONTROLINTERRUPT2 DxgkDdiControlInterrupt2;
	PDXGKDDI_CHECKMULTIPLANEOVERLAYSUPPORT DxgkDdiCheckMultiPlaneOverlaySupport;
	PDXGKDDI_CALIBRATEGPUCLOCK DxgkDdiCalibrateGpuClock;
	PDXGKDDI_FORMATHISTORYBUFFER DxgkDdiFormatHistoryBuffer;

	/* WDDM 2.0 */
	PDXGKDDI_RENDERGDI DxgkDdiRenderGdi;
	PDXGKDDI_SUBMITCOMMANDVIRTUAL DxgkDdiSubmitCommandVirtual;
	PDXGKDDI_SETROOTPAGETABLE DxgkDdiSetRootPageTable;
	PDXGKDDI_GETROOTPAGETABLESIZE DxgkDdiGetRootPageTableSize;
	PDXGKDDI_MAPCPUHOSTAPERTURE DxgkDdiMapCpuHostAperture;
	PDXGKDDI_UNMAPCPUHOSTAPERTURE DxgkDdiUnmapCpuHostAperture;
	PDXGKDDI_CHECKMULTIPLANEOVERLAYSUPPORT2 DxgkDdiCheckMultiPlaneOverlaySupport2;
	PDXGKDDI_CREATEPROCESS DxgkDdiCreateProcess;
	PDXGKDDI_DESTROYPROCESS DxgkDdiDestroyProcess;
	PDXGKDDI_SETVIDPNSOURCEADDRESSWITHMULTIPLANEOVERLAY2 DxgkDdiSetVidPnSourceAddressWithMultiPlaneOverlay2;
	VOID *Reserved1;
	VOID *Reserved2;
	PDXGKDDI_POWERRUNTIMESETDEVICEHANDLE DxgkDdiPowerRuntimeSetDeviceHandle;
	PDXGKDDI_SETSTABLEPOWERSTATE DxgkDdiSetStablePowerState;
	PDXGKDDI_SETVIDEOPROTECTEDREGION DxgkDdiSetVideoProtectedRegion;

	/* WDDM 2.1 */
	PDXGKDDI_CHECKMULTIPLANEOVERLAYSUPPORT3 DxgkDdiCheckMultiPlaneOverlaySupport3;
	PDXGKDDI_SETVIDPNSOURCEADDRESSWITHMULTIPLANEOVERLAY3 DxgkDdiSetVidPnSourceAddressWithMultiPlaneOverlay3;
	PDXGKDDI_POSTMULTIPLANEOVERLAYPRESENT DxgkDdiPostMultiPlaneOverlayPresent;
	PDXGKDDI_VALIDATEUPDATEALLOCATIONPROPERTY DxgkDdiValidateUpdateAllocationProperty;
	PDXGKDDI_CONTROLMODEBEHAVIOR DxgkDdiControlModeBehavior;
	PDXGKDDI_UPDATEMONITORLINKINFO DxgkDdiUpdateMonitorLinkInfo;

	/* WDDM 2.2 */
	PDXGKDDI_CREATEHWCONTEXT DxgkDdiCreateHwContext;
	PDXGKDDI_DESTROYHWCONTEXT DxgkDdiDestroyHwContext;
	PDXGKDDI_CREATEHWQUEUE DxgkDdiCreateHwQueue;
	PDXGKDDI_DESTROYHWQUEUE DxgkDdiDestroyHwQueue;
	PDXGKDDI_SUBMITCOMMANDTOHWQUEUE DxgkDdiSubmitCommandToHwQueue;
	PDXGKDDI_SWITCHTOHWCONTEXTLIST DxgkDdiSwitchToHwContextList;
	PDXGKDDI_RESETHWENGINE DxgkDdiResetHwEngine;
	PDXGKDDI_CREATEPERIODICFRAMENOTIFICATION DxgkDdiCreatePeriodicFrameNotification;
	PDXGKDDI_DESTROYPERIODICFRAMENOTIFICATION DxgkDdiDestroyPeriodicFrameNotification;
	PDXGKDDI_SETTIMINGSFROMVIDPN DxgkDdiSetTimingsFromVidPn;
	PDXGKDDI_SETTARGETGAMMA DxgkDdiSetTargetGamma;
	PDXGKDDI_SETTARGETCONTENTTYPE DxgkDdiSetTargetContentType;
	PDXGKDDI_SETTARGETANALOGCOPYPROTECTION DxgkDdiSetTargetAnalogCopyProtection;
	PDXGKDDI_SETTARGETADJUSTEDCOLORIMETRY DxgkDdiSetTargetAdjustedColorimetry;
	PDXGKDDI_DISPLAYDETECTCONTROL DxgkDdiDisplayDetectControl;
	PDXGKDDI_QUERYCONNECTIONCHANGE DxgkDdiQueryConnectionChange;
	PDXGKDDI_EXCHANGEPRESTARTINFO DxgkDdiExchangePreStartInfo;
	PDXGKDDI_GETMULTIPLANEOVERLAYCAPS DxgkDdiGetMultiPlaneOverlayCaps;
	PDXGKDDI_GETPOSTCOMPOSITIONCAPS DxgkDdiGetPostCompositionCaps;

	/* WDDM 2.3 */
	PDXGKDDI_UPDATEHWCONTEXTSTATE DxgkDdiUpdateHwContextState;
	PDXGKDDI_CREATEPROTECTEDSESSION DxgkDdiCreateProtectedSession;
	PDXGKDDI_DESTROYPROTECTEDSESSION DxgkDdiDestroyProtectedSession;

	/* WDDM 2.4 */
	PDXGKDDI_SETSCHEDULINGLOGBUFFER DxgkDdiSetSchedulingLogBuffer;
	PDXGKDDI_SETUPPRIORITYBANDS DxgkDdiSetupPriorityBands;
	PDXGKDDI_NOTIFYFOCUSPRESENT DxgkDdiNotifyFocusPresent;
	PDXGKDDI_SETCONTEXTSCHEDULINGPROPERTIES DxgkDdiSetContextSchedulingProperties;
	PDXGKDDI_SUSPENDCONTEXT DxgkDdiSuspendContext;
	PDXGKDDI_RESUMECONTEXT DxgkDdiResumeContext;
	PDXGKDDI_SETVIRTUALMACHINEDATA DxgkDdiSetVirtualMachineData;
	PDXGKDDI_BEGINEXCLUSIVEACCESS DxgkDdiBeginExclusiveAccess;
	PDXGKDDI_ENDEXCLUSIVEACCESS DxgkDdiEndExclusiveAccess;
	PDXGKDDI_QUERYDIAGNOSTICTYPESSUPPORT DxgkDdiQueryDiagnosticTypesSupport;
	PDXGKDDI_CONTROLDIAGNOSTICREPORTING DxgkDdiControlDiagnosticReporting;
	PDXGKDDI_RESUMEHWENGINE DxgkDdiResumeHwEngine;

	/* WDDM 2.5 */
	PDXGKDDI_SIGNALMONITOREDFENCE DxgkDdiSignalMonitoredFence;
	PDXGKDDI_PRESENTTOHWQUEUE DxgkDdiPresentToHwQueue;
	PDXGKDDI_VALIDATESUBMITCOMMAND DxgkDdiValidateSubmitCommand;
	PDXGKDDI_SETTARGETADJUSTEDCOLORIMETRY2 DxgkDdiSetTargetAdjustedColorimetry2;

	/* WDDM 2.6 */
	PDXGKDDI_SETTRACKEDWORKLOADPOWERLEVEL DxgkDdiSetTrackedWorkloadPowerLevel;
} DRIVER_INITIALIZATION_DATA, *PDRIVER_INITIALIZATION_DATA;

/* Exported by the port driver; called from the miniport's DriverEntry. */
NTSTATUS DxgkInitialize(PDRIVER_OBJECT DriverObject,
			PUNICODE_STRING RegistryPath,
			PDRIVER_INITIALIZATION_DATA DriverInitializationData);

/* ------------------------------------------------------------------ */
/* Layout checks                                                       */
/* ------------------------------------------------------------------ */

#if defined(__x86_64__) || defined(__aarch64__)
static_assert(sizeof(DXGK_CHILD_CAPABILITIES) == 16);
static_assert(offsetof(DXGK_CHILD_CAPABILITIES, HpdAwareness) == 12);
static_assert(sizeof(DXGK_CHILD_DESCRIPTOR) == 28);
static_assert(sizeof(DXGK_CHILD_STATUS) == 16);

static_assert(offsetof(DXGK_DEVICE_INFO, MiniportDeviceContext) == 0x00);
static_assert(offsetof(DXGK_DEVICE_INFO, PhysicalDeviceObject) == 0x08);
static_assert(offsetof(DXGK_DEVICE_INFO, DeviceRegistryPath) == 0x10);
static_assert(offsetof(DXGK_DEVICE_INFO, TranslatedResourceList) == 0x20);
static_assert(offsetof(DXGK_DEVICE_INFO, SystemMemorySize) == 0x28);
static_assert(offsetof(DXGK_DEVICE_INFO, HighestPhysicalAddress) == 0x30);
static_assert(offsetof(DXGK_DEVICE_INFO, AgpApertureBase) == 0x38);
static_assert(offsetof(DXGK_DEVICE_INFO, AgpApertureSize) == 0x40);
static_assert(offsetof(DXGK_DEVICE_INFO, DockingState) == 0x48);
static_assert(sizeof(DXGK_DEVICE_INFO) == 0x50);

static_assert(offsetof(DXGK_DISPLAY_INFORMATION, ColorFormat) == 12);
static_assert(offsetof(DXGK_DISPLAY_INFORMATION, PhysicAddress) == 16);
static_assert(offsetof(DXGK_DISPLAY_INFORMATION, AcpiId) == 28);
static_assert(sizeof(DXGK_DISPLAY_INFORMATION) == 32);

static_assert(offsetof(DXGK_START_INFO, AdapterGuid) == 4);
static_assert(offsetof(DXGK_START_INFO, AdapterLuid) == 20);
static_assert(sizeof(DXGK_START_INFO) == 28);

static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, Type) == 0x00);
static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, pInputData) == 0x08);
static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, InputDataSize) == 0x10);
static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, pOutputData) == 0x18);
static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, OutputDataSize) == 0x20);
static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, Flags) == 0x24);
static_assert(offsetof(DXGKARG_QUERYADAPTERINFO, hKmdProcessHandle) == 0x28);
static_assert(sizeof(DXGKARG_QUERYADAPTERINFO) == 0x30);

static_assert(offsetof(DXGKRNL_INTERFACE, Size) == 0x000);
static_assert(offsetof(DXGKRNL_INTERFACE, Version) == 0x004);
static_assert(offsetof(DXGKRNL_INTERFACE, DeviceHandle) == 0x008);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbEvalAcpiMethod) == 0x010);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbGetDeviceInformation) == 0x018);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbIndicateChildStatus) == 0x020);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMapMemory) == 0x028);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbQueueDpc) == 0x030);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbQueryServices) == 0x038);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbReadDeviceSpace) == 0x040);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSynchronizeExecution) == 0x048);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUnmapMemory) == 0x050);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbWriteDeviceSpace) == 0x058);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbIsDevicePresent) == 0x060);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbGetHandleData) == 0x068);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbGetHandleParent) == 0x070);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbEnumHandleChildren) == 0x078);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbNotifyInterrupt) == 0x080);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbNotifyDpc) == 0x088);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbQueryVidPnInterface) == 0x090);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbQueryMonitorInterface) == 0x098);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbGetCaptureAddress) == 0x0A0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbLogEtwEvent) == 0x0A8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbExcludeAdapterAccess) == 0x0B0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbCreateContextAllocation) == 0x0B8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbDestroyContextAllocation) == 0x0C0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSetPowerComponentActive) == 0x0C8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSetPowerComponentIdle) == 0x0D0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbAcquirePostDisplayOwnership) == 0x0D8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbPowerRuntimeControlRequest) == 0x0E0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSetPowerComponentLatency) == 0x0E8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSetPowerComponentResidency) == 0x0F0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbCompleteFStateTransition) == 0x0F8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbCompletePStateTransition) == 0x100);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMapContextAllocation) == 0x108);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUpdateContextAllocation) == 0x110);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbReserveGpuVirtualAddressRange) == 0x118);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbAcquireHandleData) == 0x120);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbReleaseHandleData) == 0x128);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbHardwareContentProtectionTeardown) == 0x130);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMultiPlaneOverlayDisabled) == 0x138);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMitigatedRangeUpdate) == 0x140);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbInvalidateHwContext) == 0x148);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbIndicateConnectorChange) == 0x150);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUnblockUEFIFrameBufferRanges) == 0x158);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbAcquirePostDisplayOwnership2) == 0x160);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSetProtectedSessionStatus) == 0x168);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbAllocateContiguousMemory) == 0x170);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbFreeContiguousMemory) == 0x178);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbAllocatePagesForMdl) == 0x180);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbFreePagesFromMdl) == 0x188);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbPinFrameBufferForSave) == 0x190);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUnpinFrameBufferForSave) == 0x198);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMapFrameBufferPointer) == 0x1A0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUnmapFrameBufferPointer) == 0x1A8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMapMdlToIoMmu) == 0x1B0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUnmapMdlFromIoMmu) == 0x1B8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbReportDiagnostic) == 0x1C0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSignalEvent) == 0x1C8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbIsFeatureEnabled) == 0x1D0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbSaveMemoryForHotUpdate) == 0x1D8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbNotifyCursorSupportChange) == 0x1E0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbQueryFeatureSupport) == 0x1E8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbCreatePhysicalMemoryObject) == 0x1F0);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbDestroyPhysicalMemoryObject) == 0x1F8);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbMapPhysicalMemory) == 0x200);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbUnmapPhysicalMemory) == 0x208);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbAllocateAdl) == 0x210);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbFreeAdl) == 0x218);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbOpenPhysicalMemoryObject) == 0x220);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbClosePhysicalMemoryObject) == 0x228);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbPinFrameBufferForSave2) == 0x230);
static_assert(offsetof(DXGKRNL_INTERFACE, DxgkCbDisconnectDoorbell) == 0x238);
static_assert(sizeof(DXGKRNL_INTERFACE) == 0x240);

/* Miniport table: Version, then 148 pointers (counted from the docs list). */
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiAddDevice) == 0x008);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiQueryAdapterInfo) == 0x088);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiEscape) == 0x110);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiSetDisplayPrivateDriverFormat) == 0x1E8);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiQueryVidPnHWCapability) == 0x230);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiFormatHistoryBuffer) == 0x2C0);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiSetVideoProtectedRegion) == 0x338);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiDestroyProtectedSession) == 0x418);
static_assert(offsetof(DRIVER_INITIALIZATION_DATA, DxgkDdiSetTrackedWorkloadPowerLevel) == 0x4A0);
static_assert(sizeof(DRIVER_INITIALIZATION_DATA) == 0x4A8);
#endif

#endif /* _DXGKCOMPAT_WDK_DISPMPRT_H_ */
