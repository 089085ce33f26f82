/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * dxgk_linux.h - the part of the miniport model that has no WDK equivalent.
 *
 * On Windows the I/O manager creates a DRIVER_OBJECT, reads the INF to know
 * which devices the miniport drives, and calls DriverEntry. On Linux the
 * miniport is a kernel module: it declares its DRIVER_OBJECT (name and the
 * devices it binds, the INF's job) with DXGK_DRIVER_OBJECT() and names its
 * DriverEntry with DXGK_MINIPORT_MODULE(). Everything else a miniport writes
 * is WDK code: DriverEntry fills DRIVER_INITIALIZATION_DATA and calls
 * DxgkInitialize() exactly as on Windows.
 */
#ifndef _DXGKCOMPAT_WDK_DXGK_LINUX_H_
#define _DXGKCOMPAT_WDK_DXGK_LINUX_H_

#include <linux/delay.h>
#include <linux/init.h>
#include <linux/io.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/pci.h>

struct device;
struct dxgk_miniport;

/**
 * struct _DRIVER_OBJECT - a miniport driver, as the port driver sees it
 * @Owner: the miniport's module (THIS_MODULE)
 * @DriverName: Linux driver name, also the platform device name of a
 *	virtual adapter
 * @PciIdTable: PCI devices the miniport drives (the INF's job); NULL for a
 *	miniport that drives one virtual adapter with no hardware
 * @PortPrivate: owned by the port driver, NULL until DxgkInitialize()
 */
typedef struct _DRIVER_OBJECT {
	struct module *Owner;
	const char *DriverName;
	const struct pci_device_id *PciIdTable;
	struct dxgk_miniport *PortPrivate;
} DRIVER_OBJECT, *PDRIVER_OBJECT;

/**
 * struct _DEVICE_OBJECT - the physical device object handed to AddDevice
 * @Device: the Linux device (a PCI device, or the platform device of a
 *	virtual adapter). Miniports treat it as opaque, as on Windows.
 */
typedef struct _DEVICE_OBJECT {
	struct device *Device;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef NTSTATUS DRIVER_INITIALIZE(PDRIVER_OBJECT DriverObject,
				   PUNICODE_STRING RegistryPath);
typedef DRIVER_INITIALIZE *PDRIVER_INITIALIZE;

int dxgk_miniport_module_init(PDRIVER_OBJECT DriverObject,
			      PDRIVER_INITIALIZE DriverEntry);
void dxgk_miniport_module_exit(PDRIVER_OBJECT DriverObject);

/**
 * DXGK_DRIVER_OBJECT - declare a miniport's DRIVER_OBJECT
 * @_var: variable name
 * @_name: driver name (string)
 * @_pci_ids: PCI id table, or NULL for a virtual adapter
 */
#define DXGK_DRIVER_OBJECT(_var, _name, _pci_ids)			\
	static DRIVER_OBJECT _var = {					\
		.Owner = THIS_MODULE,					\
		.DriverName = _name,					\
		.PciIdTable = _pci_ids,					\
	}

/**
 * DXGK_MINIPORT_MODULE - make a miniport a Linux module
 * @_drvobj: the DRIVER_OBJECT declared with DXGK_DRIVER_OBJECT()
 * @_entry: the miniport's DriverEntry
 *
 * Module load calls DriverEntry(&_drvobj, RegistryPath); module unload
 * stops and removes the miniport's adapters and calls its DxgkDdiUnload.
 */
#define DXGK_MINIPORT_MODULE(_drvobj, _entry)				\
	static int __init dxgk_miniport_init(void)			\
	{								\
		return dxgk_miniport_module_init(&(_drvobj), _entry);	\
	}								\
	module_init(dxgk_miniport_init);				\
	static void __exit dxgk_miniport_exit(void)			\
	{								\
		dxgk_miniport_module_exit(&(_drvobj));			\
	}								\
	module_exit(dxgk_miniport_exit)

#define DbgPrint(...) pr_info(__VA_ARGS__)

/*
 * The port's paging contract, in place of DXGKQAITYPE_QUERYSEGMENT (not
 * implemented): a miniport that implements DxgkDdiBuildPagingBuffer and
 * DxgkDdiSubmitCommand gets DXGK_OPERATION_MAP_APERTURE_SEGMENT2 and
 * UNMAP_APERTURE_SEGMENT for segment DXGK_PAGING_APERTURE_SEGMENT, pages
 * [0, DXGK_PAGING_APERTURE_PAGES), and DXGK_OPERATION_TRANSFER between
 * addresses of that segment.
 */
#define DXGK_PAGING_APERTURE_SEGMENT	1
#define DXGK_PAGING_APERTURE_PAGES	512

/* Register access on an address DxgkCbMapMemory returned. */
static inline UCHAR READ_REGISTER_UCHAR(volatile UCHAR *Register)
{
	return readb((const void __iomem __force *)Register);
}

static inline ULONG READ_REGISTER_ULONG(volatile ULONG *Register)
{
	return readl((const void __iomem __force *)Register);
}

static inline ULONG64 READ_REGISTER_ULONG64(volatile ULONG64 *Register)
{
	return readq((const void __iomem __force *)Register);
}

static inline VOID WRITE_REGISTER_UCHAR(volatile UCHAR *Register, UCHAR Value)
{
	writeb(Value, (void __iomem __force *)Register);
}

static inline VOID WRITE_REGISTER_ULONG(volatile ULONG *Register, ULONG Value)
{
	writel(Value, (void __iomem __force *)Register);
}

static inline VOID WRITE_REGISTER_ULONG64(volatile ULONG64 *Register,
					  ULONG64 Value)
{
	writeq(Value, (void __iomem __force *)Register);
}

#endif /* _DXGKCOMPAT_WDK_DXGK_LINUX_H_ */
