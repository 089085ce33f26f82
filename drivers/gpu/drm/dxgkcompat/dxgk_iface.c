// SPDX-License-Identifier: GPL-2.0-only
/*
 * dxgkcompat - DXGKRNL_INTERFACE: every callback slot, and its version.
 */

#include <linux/bug.h>
#include <linux/kernel.h>

#include "dxgk_drv.h"

/*
 * Stubs for the callbacks the port does not implement: each has the WDK
 * prototype of its slot and returns STATUS_NOT_SUPPORTED. A callback with
 * no status to return warns once. The ones the WDK allows above
 * PASSIVE_LEVEL (IsDevicePresent) do not call might_sleep().
 */

static NTSTATUS dxgk_stub_eval_acpi_method(HANDLE DeviceHandle, ULONG DeviceUid,
					   PACPI_EVAL_INPUT_BUFFER_COMPLEX AcpiInputBuffer,
					   ULONG AcpiInputSize,
					   PACPI_EVAL_OUTPUT_BUFFER AcpiOutputBuffer,
					   ULONG AcpiOutputSize)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_indicate_child_status(HANDLE DeviceHandle, PDXGK_CHILD_STATUS ChildStatus)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_query_services(HANDLE DeviceHandle, DXGK_SERVICES ServicesType,
					 PINTERFACE Interface)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_is_device_present(HANDLE DeviceHandle,
			    PPCI_DEVICE_PRESENCE_PARAMETERS DevicePresenceParameters,
			    PBOOLEAN DevicePresent)
{
	return STATUS_NOT_SUPPORTED;
}

static VOID *dxgk_stub_get_handle_data(IN_CONST_PDXGKARGCB_GETHANDLEDATA pArgs)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbGetHandleData is not supported\n");
	return NULL;
}

static D3DKMT_HANDLE dxgk_stub_get_handle_parent(IN_D3DKMT_HANDLE hAllocation)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbGetHandleParent is not supported\n");
	return 0;
}

static D3DKMT_HANDLE dxgk_stub_enum_handle_children(IN_CONST_PDXGKARGCB_ENUMHANDLECHILDREN pArgs)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbEnumHandleChildren is not supported\n");
	return 0;
}

static NTSTATUS
dxgk_stub_query_vid_pn_interface(IN_CONST_D3DKMDT_HVIDPN hVidPn,
				 const DXGK_VIDPN_INTERFACE_VERSION VidPnInterfaceVersion,
				 const DXGK_VIDPN_INTERFACE **ppVidPnInterface)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_query_monitor_interface(IN_CONST_HANDLE hAdapter,
				  const DXGK_MONITOR_INTERFACE_VERSION MonitorInterfaceVersion,
				  const DXGK_MONITOR_INTERFACE **ppMonitorInterface)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_get_capture_address(INOUT_PDXGKARGCB_GETCAPTUREADDRESS pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static VOID dxgk_stub_log_etw_event(const LPCGUID EventGuid, UCHAR Type, USHORT EventBufferSize,
				    PVOID EventBuffer)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbLogEtwEvent is not supported\n");
}

static NTSTATUS dxgk_stub_exclude_adapter_access(HANDLE DeviceHandle, ULONG Attributes,
						 DXGKDDI_PROTECTED_CALLBACK DxgkProtectedCallback,
						 PVOID ProtectedCallbackContext)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_create_context_allocation(INOUT_PDXGKARGCB_CREATECONTEXTALLOCATION pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_destroy_context_allocation(IN_CONST_HANDLE hAdapter,
						     IN_CONST_HANDLE hAllocation)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_set_power_component_active(IN_CONST_HANDLE hAdapter, UINT ComponentIndex)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_set_power_component_idle(IN_CONST_HANDLE hAdapter, UINT ComponentIndex)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_acquire_post_display_ownership(HANDLE DeviceHandle,
							 PDXGK_DISPLAY_INFORMATION DisplayInfo)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_power_runtime_control_request(IN_CONST_HANDLE hAdapter,
							LPCGUID PowerControlCode, PVOID InBuffer,
							SIZE_T InBufferSize, PVOID OutBuffer,
							SIZE_T OutBufferSize, PSIZE_T BytesReturned)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static VOID dxgk_stub_set_power_component_latency(IN_CONST_HANDLE hAdapter, UINT ComponentIndex,
						  ULONGLONG Latency)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbSetPowerComponentLatency is not supported\n");
}

static VOID dxgk_stub_set_power_component_residency(IN_CONST_HANDLE hAdapter, UINT ComponentIndex,
						    ULONGLONG Residency)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbSetPowerComponentResidency is not supported\n");
}

static VOID dxgk_stub_complete_f_state_transition(IN_CONST_HANDLE hAdapter, UINT ComponentIndex)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbCompleteFStateTransition is not supported\n");
}

static VOID dxgk_stub_complete_p_state_transition(IN_CONST_HANDLE hAdapter, UINT ComponentIndex,
						  UINT CompletedPState)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbCompletePStateTransition is not supported\n");
}

static D3DGPU_VIRTUAL_ADDRESS
dxgk_stub_map_context_allocation(IN_CONST_HANDLE hAdapter,
				 IN_CONST_PDXGKARGCB_MAPCONTEXTALLOCATION pArgs)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbMapContextAllocation is not supported\n");
	return 0;
}

static NTSTATUS
dxgk_stub_update_context_allocation(IN_CONST_HANDLE hAdapter,
				    IN_CONST_PDXGKARGCB_UPDATECONTEXTALLOCATION pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_reserve_gpu_virtual_address_range(IN_CONST_HANDLE hAdapter,
					    INOUT_PDXGKARGCB_RESERVEGPUVIRTUALADDRESSRANGE pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static VOID *dxgk_stub_acquire_handle_data(IN_CONST_PDXGKARGCB_GETHANDLEDATA pArgs,
					   PDXGKARG_RELEASE_HANDLE pReleaseHandle)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbAcquireHandleData is not supported\n");
	return NULL;
}

static VOID dxgk_stub_release_handle_data(IN_CONST_DXGKARGCB_RELEASEHANDLEDATA ReleaseHandleData)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbReleaseHandleData is not supported\n");
}

static VOID dxgk_stub_hardware_content_protection_teardown(IN_CONST_HANDLE hAdapter, UINT Flags)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbHardwareContentProtectionTeardown is not supported\n");
}

static VOID dxgk_stub_multi_plane_overlay_disabled(IN_CONST_HANDLE hAdapter, UINT VidPnSourceId)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbMultiPlaneOverlayDisabled is not supported\n");
}

static VOID dxgk_stub_mitigated_range_update(IN_CONST_HANDLE hAdapter, ULONG VirtualFunctionIndex)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbMitigatedRangeUpdate is not supported\n");
}

static VOID dxgk_stub_invalidate_hw_context(IN_CONST_PDXGKARGCB_INVALIDATEHWCONTEXT pArgs)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbInvalidateHwContext is not supported\n");
}

static NTSTATUS dxgk_stub_indicate_connector_change(IN_CONST_HANDLE hAdapter)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static VOID
dxgk_stub_unblock_uefi_frame_buffer_ranges(IN_CONST_HANDLE hAdapter,
					   IN_CONST_PDXGK_SEGMENTMEMORYSTATE pSegmentMemoryState)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbUnblockUEFIFrameBufferRanges is not supported\n");
}

static NTSTATUS dxgk_stub_acquire_post_display_ownership2(HANDLE DeviceHandle,
							  PDXGK_DISPLAY_INFORMATION DisplayInfo,
							  PDXGK_DISPLAY_OWNERSHIP_FLAGS Flags)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static VOID dxgk_stub_set_protected_session_status(IN_CONST_PDXGKARGCB_PROTECTEDSESSIONSTATUS pArgs)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbSetProtectedSessionStatus is not supported\n");
}

static NTSTATUS
dxgk_stub_pin_frame_buffer_for_save(IN_CONST_HANDLE hAdapter,
				    INOUT_PDXGKARGCB_PINFRAMEBUFFERFORSAVE pPinFrameBufferForSave)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_unpin_frame_buffer_for_save(IN_CONST_HANDLE hAdapter,
				      IN_CONST_PDXGKARGCB_UNPINFRAMEBUFFERFORSAVE pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_map_frame_buffer_pointer(IN_CONST_HANDLE hAdapter,
				   INOUT_PDXGKARGCB_MAPFRAMEBUFFERPOINTER pMapFrameBufferPointer)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_unmap_frame_buffer_pointer(IN_CONST_HANDLE hAdapter,
				     IN_CONST_PDXGKARGCB_UNMAPFRAMEBUFFERPOINTER pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_report_diagnostic(IN_CONST_HANDLE hAdapter,
					    IN_PDXGK_DIAGNOSTIC_HEADER pDiagnostic)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_signal_event(IN_CONST_PDXGKARGCB_SIGNALEVENT pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_is_feature_enabled(INOUT_PDXGKARGCB_ISFEATUREENABLED pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_save_memory_for_hot_update(IN_CONST_HANDLE hAdapter,
				     IN_CONST_PDXGKARGCB_SAVEMEMORYFORHOTUPDATE pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS
dxgk_stub_notify_cursor_support_change(IN_CONST_PDXGKARGCB_NOTIFYCURSORSUPPORTCHANGE pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_query_feature_support(INOUT_PDXGKARGCB_QUERYFEATURESUPPORT pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static NTSTATUS dxgk_stub_pin_frame_buffer_for_save2(IN_CONST_HANDLE hAdapter,
						     INOUT_PDXGKARGCB_PINFRAMEBUFFERFORSAVE2 pArgs)
{
	might_sleep();
	return STATUS_NOT_SUPPORTED;
}

static VOID dxgk_stub_disconnect_doorbell(IN_CONST_PDXGKARGCB_DISCONNECTDOORBELL pArgs)
{
	might_sleep();
	WARN_ONCE(1, "dxgkcompat: DxgkCbDisconnectDoorbell is not supported\n");
}

#define DXGK_SLOT(_name, _version, _implemented) {			\
	.name = #_name,							\
	.offset = offsetof(DXGKRNL_INTERFACE, _name),			\
	.version = DXGKDDI_INTERFACE_VERSION_##_version,		\
	.implemented = _implemented,					\
}

/*
 * The callback slots of DXGKRNL_INTERFACE in WDK order, each with the
 * interface version that introduced it (the WDK header's gate) and whether
 * the port implements it.
 */
const struct dxgk_iface_slot dxgk_iface_slots[] = {
	DXGK_SLOT(DxgkCbEvalAcpiMethod, VISTA, false),
	DXGK_SLOT(DxgkCbGetDeviceInformation, VISTA, true),
	DXGK_SLOT(DxgkCbIndicateChildStatus, VISTA, false),
	DXGK_SLOT(DxgkCbMapMemory, VISTA, true),
	DXGK_SLOT(DxgkCbQueueDpc, VISTA, true),
	DXGK_SLOT(DxgkCbQueryServices, VISTA, false),
	DXGK_SLOT(DxgkCbReadDeviceSpace, VISTA, true),
	DXGK_SLOT(DxgkCbSynchronizeExecution, VISTA, true),
	DXGK_SLOT(DxgkCbUnmapMemory, VISTA, true),
	DXGK_SLOT(DxgkCbWriteDeviceSpace, VISTA, true),
	DXGK_SLOT(DxgkCbIsDevicePresent, VISTA, false),
	DXGK_SLOT(DxgkCbGetHandleData, VISTA, false),
	DXGK_SLOT(DxgkCbGetHandleParent, VISTA, false),
	DXGK_SLOT(DxgkCbEnumHandleChildren, VISTA, false),
	DXGK_SLOT(DxgkCbNotifyInterrupt, VISTA, true),
	DXGK_SLOT(DxgkCbNotifyDpc, VISTA, true),
	DXGK_SLOT(DxgkCbQueryVidPnInterface, VISTA, false),
	DXGK_SLOT(DxgkCbQueryMonitorInterface, VISTA, false),
	DXGK_SLOT(DxgkCbGetCaptureAddress, VISTA, false),
	DXGK_SLOT(DxgkCbLogEtwEvent, VISTA, false),
	DXGK_SLOT(DxgkCbExcludeAdapterAccess, VISTA, false),
	DXGK_SLOT(DxgkCbCreateContextAllocation, WIN8, false),
	DXGK_SLOT(DxgkCbDestroyContextAllocation, WIN8, false),
	DXGK_SLOT(DxgkCbSetPowerComponentActive, WIN8, false),
	DXGK_SLOT(DxgkCbSetPowerComponentIdle, WIN8, false),
	DXGK_SLOT(DxgkCbAcquirePostDisplayOwnership, WIN8, false),
	DXGK_SLOT(DxgkCbPowerRuntimeControlRequest, WIN8, false),
	DXGK_SLOT(DxgkCbSetPowerComponentLatency, WIN8, false),
	DXGK_SLOT(DxgkCbSetPowerComponentResidency, WIN8, false),
	DXGK_SLOT(DxgkCbCompleteFStateTransition, WIN8, false),
	DXGK_SLOT(DxgkCbCompletePStateTransition, WDDM1_3, false),
	DXGK_SLOT(DxgkCbMapContextAllocation, WDDM2_0, false),
	DXGK_SLOT(DxgkCbUpdateContextAllocation, WDDM2_0, false),
	DXGK_SLOT(DxgkCbReserveGpuVirtualAddressRange, WDDM2_0, false),
	DXGK_SLOT(DxgkCbAcquireHandleData, WDDM2_0, false),
	DXGK_SLOT(DxgkCbReleaseHandleData, WDDM2_0, false),
	DXGK_SLOT(DxgkCbHardwareContentProtectionTeardown, WDDM2_0, false),
	DXGK_SLOT(DxgkCbMultiPlaneOverlayDisabled, WDDM2_1, false),
	DXGK_SLOT(DxgkCbMitigatedRangeUpdate, WDDM2_1, false),
	DXGK_SLOT(DxgkCbInvalidateHwContext, WDDM2_2, false),
	DXGK_SLOT(DxgkCbIndicateConnectorChange, WDDM2_2, false),
	DXGK_SLOT(DxgkCbUnblockUEFIFrameBufferRanges, WDDM2_2, false),
	DXGK_SLOT(DxgkCbAcquirePostDisplayOwnership2, WDDM2_2, false),
	DXGK_SLOT(DxgkCbSetProtectedSessionStatus, WDDM2_3, false),
	DXGK_SLOT(DxgkCbAllocateContiguousMemory, WDDM2_4, true),
	DXGK_SLOT(DxgkCbFreeContiguousMemory, WDDM2_4, true),
	DXGK_SLOT(DxgkCbAllocatePagesForMdl, WDDM2_4, true),
	DXGK_SLOT(DxgkCbFreePagesFromMdl, WDDM2_4, true),
	DXGK_SLOT(DxgkCbPinFrameBufferForSave, WDDM2_4, false),
	DXGK_SLOT(DxgkCbUnpinFrameBufferForSave, WDDM2_4, false),
	DXGK_SLOT(DxgkCbMapFrameBufferPointer, WDDM2_4, false),
	DXGK_SLOT(DxgkCbUnmapFrameBufferPointer, WDDM2_4, false),
	DXGK_SLOT(DxgkCbMapMdlToIoMmu, WDDM2_4, true),
	DXGK_SLOT(DxgkCbUnmapMdlFromIoMmu, WDDM2_4, true),
	DXGK_SLOT(DxgkCbReportDiagnostic, WDDM2_4, false),
	DXGK_SLOT(DxgkCbSignalEvent, WDDM2_5, false),
	DXGK_SLOT(DxgkCbIsFeatureEnabled, WDDM2_6, false),
	DXGK_SLOT(DxgkCbSaveMemoryForHotUpdate, WDDM2_6, false),
	DXGK_SLOT(DxgkCbNotifyCursorSupportChange, WDDM2_8, false),
	DXGK_SLOT(DxgkCbQueryFeatureSupport, WDDM2_9, false),
	DXGK_SLOT(DxgkCbCreatePhysicalMemoryObject, WDDM2_9, true),
	DXGK_SLOT(DxgkCbDestroyPhysicalMemoryObject, WDDM2_9, true),
	DXGK_SLOT(DxgkCbMapPhysicalMemory, WDDM2_9, true),
	DXGK_SLOT(DxgkCbUnmapPhysicalMemory, WDDM2_9, true),
	DXGK_SLOT(DxgkCbAllocateAdl, WDDM2_9, true),
	DXGK_SLOT(DxgkCbFreeAdl, WDDM2_9, true),
	DXGK_SLOT(DxgkCbOpenPhysicalMemoryObject, WDDM2_9, true),
	DXGK_SLOT(DxgkCbClosePhysicalMemoryObject, WDDM2_9, true),
	DXGK_SLOT(DxgkCbPinFrameBufferForSave2, WDDM2_9, false),
	DXGK_SLOT(DxgkCbDisconnectDoorbell, WDDM3_1, false),
};
EXPORT_SYMBOL_NS_GPL(dxgk_iface_slots, DXGK_NS);

const unsigned int dxgk_iface_nslots = ARRAY_SIZE(dxgk_iface_slots);
EXPORT_SYMBOL_NS_GPL(dxgk_iface_nslots, DXGK_NS);

/* Every DXGKDDI_INTERFACE_VERSION the port knows, ascending. */
static const ULONG dxgk_iface_versions[] = {
	DXGKDDI_INTERFACE_VERSION_VISTA,
	DXGKDDI_INTERFACE_VERSION_VISTA_SP1,
	DXGKDDI_INTERFACE_VERSION_WIN7,
	DXGKDDI_INTERFACE_VERSION_WIN8,
	DXGKDDI_INTERFACE_VERSION_WDDM1_3,
	DXGKDDI_INTERFACE_VERSION_WDDM1_3_PATH_INDEPENDENT_ROTATION,
	DXGKDDI_INTERFACE_VERSION_WDDM2_0,
	DXGKDDI_INTERFACE_VERSION_WDDM2_1,
	DXGKDDI_INTERFACE_VERSION_WDDM2_1_5,
	DXGKDDI_INTERFACE_VERSION_WDDM2_1_6,
	DXGKDDI_INTERFACE_VERSION_WDDM2_2,
	DXGKDDI_INTERFACE_VERSION_WDDM2_3,
	DXGKDDI_INTERFACE_VERSION_WDDM2_4,
	DXGKDDI_INTERFACE_VERSION_WDDM2_5,
	DXGKDDI_INTERFACE_VERSION_WDDM2_6,
	DXGKDDI_INTERFACE_VERSION_WDDM2_7,
	DXGKDDI_INTERFACE_VERSION_WDDM2_8,
	DXGKDDI_INTERFACE_VERSION_WDDM2_9,
	DXGKDDI_INTERFACE_VERSION_WDDM3_0,
	DXGKDDI_INTERFACE_VERSION_WDDM3_1,
};

/**
 * dxgk_iface_version - the version a callback table can claim
 * @iface: a filled DXGKRNL_INTERFACE
 *
 * Returns: the highest DXGKDDI_INTERFACE_VERSION for which every slot
 * introduced at or below it is filled, or 0 if a Vista slot is empty.
 */
ULONG dxgk_iface_version(const DXGKRNL_INTERFACE *iface)
{
	ULONG first_missing = U32_MAX, version = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dxgk_iface_slots); i++) {
		const void *const *slot = (const void *)iface +
					  dxgk_iface_slots[i].offset;

		if (!*slot)
			first_missing = min(first_missing, dxgk_iface_slots[i].version);
	}
	for (i = 0; i < ARRAY_SIZE(dxgk_iface_versions); i++)
		if (dxgk_iface_versions[i] < first_missing)
			version = dxgk_iface_versions[i];
	return version;
}
EXPORT_SYMBOL_NS_GPL(dxgk_iface_version, DXGK_NS);

/**
 * dxgk_iface_init - fill the DXGKRNL_INTERFACE given to a miniport
 * @iface: the table to fill
 * @device_handle: the adapter's DeviceHandle
 *
 * Every slot is filled, implemented or stub; Version is computed from the
 * table by dxgk_iface_version().
 */
void dxgk_iface_init(DXGKRNL_INTERFACE *iface, HANDLE device_handle)
{
	*iface = (DXGKRNL_INTERFACE) {
		.Size = sizeof(DXGKRNL_INTERFACE),
		.DeviceHandle = device_handle,
		.DxgkCbEvalAcpiMethod = dxgk_stub_eval_acpi_method,
		.DxgkCbGetDeviceInformation = dxgk_cb_get_device_information,
		.DxgkCbIndicateChildStatus = dxgk_stub_indicate_child_status,
		.DxgkCbMapMemory = dxgk_cb_map_memory,
		.DxgkCbQueueDpc = dxgk_cb_queue_dpc,
		.DxgkCbQueryServices = dxgk_stub_query_services,
		.DxgkCbReadDeviceSpace = dxgk_cb_read_device_space,
		.DxgkCbSynchronizeExecution = dxgk_cb_synchronize_execution,
		.DxgkCbUnmapMemory = dxgk_cb_unmap_memory,
		.DxgkCbWriteDeviceSpace = dxgk_cb_write_device_space,
		.DxgkCbIsDevicePresent = dxgk_stub_is_device_present,
		.DxgkCbGetHandleData = dxgk_stub_get_handle_data,
		.DxgkCbGetHandleParent = dxgk_stub_get_handle_parent,
		.DxgkCbEnumHandleChildren = dxgk_stub_enum_handle_children,
		.DxgkCbNotifyInterrupt = dxgk_cb_notify_interrupt,
		.DxgkCbNotifyDpc = dxgk_cb_notify_dpc,
		.DxgkCbQueryVidPnInterface = dxgk_stub_query_vid_pn_interface,
		.DxgkCbQueryMonitorInterface = dxgk_stub_query_monitor_interface,
		.DxgkCbGetCaptureAddress = dxgk_stub_get_capture_address,
		.DxgkCbLogEtwEvent = dxgk_stub_log_etw_event,
		.DxgkCbExcludeAdapterAccess = dxgk_stub_exclude_adapter_access,
		.DxgkCbCreateContextAllocation = dxgk_stub_create_context_allocation,
		.DxgkCbDestroyContextAllocation = dxgk_stub_destroy_context_allocation,
		.DxgkCbSetPowerComponentActive = dxgk_stub_set_power_component_active,
		.DxgkCbSetPowerComponentIdle = dxgk_stub_set_power_component_idle,
		.DxgkCbAcquirePostDisplayOwnership = dxgk_stub_acquire_post_display_ownership,
		.DxgkCbPowerRuntimeControlRequest = dxgk_stub_power_runtime_control_request,
		.DxgkCbSetPowerComponentLatency = dxgk_stub_set_power_component_latency,
		.DxgkCbSetPowerComponentResidency = dxgk_stub_set_power_component_residency,
		.DxgkCbCompleteFStateTransition = dxgk_stub_complete_f_state_transition,
		.DxgkCbCompletePStateTransition = dxgk_stub_complete_p_state_transition,
		.DxgkCbMapContextAllocation = dxgk_stub_map_context_allocation,
		.DxgkCbUpdateContextAllocation = dxgk_stub_update_context_allocation,
		.DxgkCbReserveGpuVirtualAddressRange = dxgk_stub_reserve_gpu_virtual_address_range,
		.DxgkCbAcquireHandleData = dxgk_stub_acquire_handle_data,
		.DxgkCbReleaseHandleData = dxgk_stub_release_handle_data,
		.DxgkCbHardwareContentProtectionTeardown =
			dxgk_stub_hardware_content_protection_teardown,
		.DxgkCbMultiPlaneOverlayDisabled = dxgk_stub_multi_plane_overlay_disabled,
		.DxgkCbMitigatedRangeUpdate = dxgk_stub_mitigated_range_update,
		.DxgkCbInvalidateHwContext = dxgk_stub_invalidate_hw_context,
		.DxgkCbIndicateConnectorChange = dxgk_stub_indicate_connector_change,
		.DxgkCbUnblockUEFIFrameBufferRanges = dxgk_stub_unblock_uefi_frame_buffer_ranges,
		.DxgkCbAcquirePostDisplayOwnership2 = dxgk_stub_acquire_post_display_ownership2,
		.DxgkCbSetProtectedSessionStatus = dxgk_stub_set_protected_session_status,
		.DxgkCbAllocateContiguousMemory = dxgk_cb_allocate_contiguous_memory,
		.DxgkCbFreeContiguousMemory = dxgk_cb_free_contiguous_memory,
		.DxgkCbAllocatePagesForMdl = dxgk_cb_allocate_pages_for_mdl,
		.DxgkCbFreePagesFromMdl = dxgk_cb_free_pages_from_mdl,
		.DxgkCbPinFrameBufferForSave = dxgk_stub_pin_frame_buffer_for_save,
		.DxgkCbUnpinFrameBufferForSave = dxgk_stub_unpin_frame_buffer_for_save,
		.DxgkCbMapFrameBufferPointer = dxgk_stub_map_frame_buffer_pointer,
		.DxgkCbUnmapFrameBufferPointer = dxgk_stub_unmap_frame_buffer_pointer,
		.DxgkCbMapMdlToIoMmu = dxgk_cb_map_mdl_to_io_mmu,
		.DxgkCbUnmapMdlFromIoMmu = dxgk_cb_unmap_mdl_from_io_mmu,
		.DxgkCbReportDiagnostic = dxgk_stub_report_diagnostic,
		.DxgkCbSignalEvent = dxgk_stub_signal_event,
		.DxgkCbIsFeatureEnabled = dxgk_stub_is_feature_enabled,
		.DxgkCbSaveMemoryForHotUpdate = dxgk_stub_save_memory_for_hot_update,
		.DxgkCbNotifyCursorSupportChange = dxgk_stub_notify_cursor_support_change,
		.DxgkCbQueryFeatureSupport = dxgk_stub_query_feature_support,
		.DxgkCbCreatePhysicalMemoryObject = dxgk_cb_create_physical_memory_object,
		.DxgkCbDestroyPhysicalMemoryObject = dxgk_cb_destroy_physical_memory_object,
		.DxgkCbMapPhysicalMemory = dxgk_cb_map_physical_memory,
		.DxgkCbUnmapPhysicalMemory = dxgk_cb_unmap_physical_memory,
		.DxgkCbAllocateAdl = dxgk_cb_allocate_adl,
		.DxgkCbFreeAdl = dxgk_cb_free_adl,
		.DxgkCbOpenPhysicalMemoryObject = dxgk_cb_open_physical_memory_object,
		.DxgkCbClosePhysicalMemoryObject = dxgk_cb_close_physical_memory_object,
		.DxgkCbPinFrameBufferForSave2 = dxgk_stub_pin_frame_buffer_for_save2,
		.DxgkCbDisconnectDoorbell = dxgk_stub_disconnect_doorbell,
	};
	iface->Version = dxgk_iface_version(iface);
}
EXPORT_SYMBOL_NS_GPL(dxgk_iface_init, DXGK_NS);
