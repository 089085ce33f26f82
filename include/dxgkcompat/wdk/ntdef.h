/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Windows base types for WDK display miniports built as Linux
 * kernel modules (dxgkcompat).
 *
 * Widths follow the Windows LLP64 model on a Linux LP64 kernel: ULONG and
 * LONG are 32-bit (never Linux "unsigned long"), pointer-sized types are
 * the *_PTR / SIZE_T / HANDLE family. Declarations are written from the
 * type facts on Microsoft Learn (Windows Data Types and the ntdef header pages).
 */
#ifndef _DXGKCOMPAT_WDK_NTDEF_H_
#define _DXGKCOMPAT_WDK_NTDEF_H_

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/build_bug.h>

/* Calling conventions: miniport source is compiled as Linux code. */
#ifndef APIENTRY
#define APIENTRY
#endif
#ifndef CALLBACK
#define CALLBACK
#endif
#ifndef NTAPI
#define NTAPI
#endif
#ifndef WINAPI
#define WINAPI
#endif

/* Classic direction markers. */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif
#ifndef CONST
#define CONST const
#endif
#ifndef VOID
#define VOID void
#endif

/* SAL annotations: no meaning to gcc. */
#ifndef _In_
#define _In_
#define _In_opt_
#define _Out_
#define _Out_opt_
#define _Inout_
#define _Inout_opt_
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Deref_out_
#define _Reserved_
#define _Check_return_
#define _Must_inspect_result_
#define _Success_(expr)
#define _Use_decl_annotations_
#define _In_reads_(n)
#define _In_reads_opt_(n)
#define _In_reads_bytes_(n)
#define _In_reads_bytes_opt_(n)
#define _Out_writes_(n)
#define _Out_writes_opt_(n)
#define _Out_writes_bytes_(n)
#define _Out_writes_bytes_opt_(n)
#define _Out_writes_bytes_all_(n)
#define _Inout_updates_(n)
#define _Inout_updates_bytes_(n)
#define _Field_size_(n)
#define _Field_size_bytes_(n)
#define _Field_size_opt_(n)
#define _When_(expr, annos)
#define _Function_class_(name)
#define _IRQL_requires_(irql)
#define _IRQL_requires_max_(irql)
#define _IRQL_requires_min_(irql)
#define _IRQL_raises_(irql)
#define _IRQL_saves_
#define _IRQL_restores_
#define _IRQL_saves_global_(kind, param)
#define _IRQL_restores_global_(kind, param)
#define _Kernel_requires_resource_held_(res)
#define _Kernel_requires_resource_not_held_(res)
#define _Post_satisfies_(expr)
#define _Pre_satisfies_(expr)
#define _Analysis_assume_(expr)
#endif /* _In_ */

/* Common helper macros of the WDK. */
#ifndef UNREFERENCED_PARAMETER
#define UNREFERENCED_PARAMETER(P)	((void)(P))
#endif
#ifndef FIELD_OFFSET
#define FIELD_OFFSET(type, field)	((LONG)offsetof(type, field))
#endif
#ifndef ARGUMENT_PRESENT
#define ARGUMENT_PRESENT(ArgumentPointer)	((ArgumentPointer) != NULL)
#endif
#ifndef RTL_NUMBER_OF
#define RTL_NUMBER_OF(A)	(sizeof(A) / sizeof((A)[0]))
#endif
#ifndef C_ASSERT
#define C_ASSERT(e)	static_assert(e)
#endif
#ifndef CONTAINING_RECORD
#define CONTAINING_RECORD(address, type, field) \
	((type *)((char *)(address) - offsetof(type, field)))
#endif

#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1
#endif

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif

/* Integers (each type and its pointer). */
typedef char CHAR;
typedef char *PCHAR;
typedef u8 UCHAR;
typedef u8 *PUCHAR;
typedef s16 SHORT;
typedef s16 *PSHORT;
typedef u16 USHORT;
typedef u16 *PUSHORT;
typedef s32 LONG;
typedef s32 *PLONG;
typedef u32 ULONG;
typedef u32 *PULONG;
typedef int INT;
typedef int *PINT;
typedef unsigned int UINT;
typedef unsigned int *PUINT;
typedef s64 LONGLONG;
typedef s64 *PLONGLONG;
typedef u64 ULONGLONG;
typedef u64 *PULONGLONG;
typedef s8 INT8;
typedef s8 *PINT8;
typedef u8 UINT8;
typedef u8 *PUINT8;
typedef s16 INT16;
typedef s16 *PINT16;
typedef u16 UINT16;
typedef u16 *PUINT16;
typedef s32 INT32;
typedef s32 *PINT32;
typedef u32 UINT32;
typedef u32 *PUINT32;
typedef s64 INT64;
typedef s64 *PINT64;
typedef u64 UINT64;
typedef u64 *PUINT64;
typedef s32 LONG32;
typedef s32 *PLONG32;
typedef u32 ULONG32;
typedef u32 *PULONG32;
typedef s64 LONG64;
typedef s64 *PLONG64;
typedef u64 ULONG64;
typedef u64 *PULONG64;
typedef u32 DWORD;
typedef u32 *PDWORD;
typedef u16 WORD;
typedef u16 *PWORD;
typedef u8 BYTE;
typedef u8 *PBYTE;
typedef u8 BOOLEAN;
typedef u8 *PBOOLEAN;
typedef u16 WCHAR;
typedef u16 *PWCHAR;
typedef int BOOL;

/* Pointer-sized integers. */
typedef long INT_PTR;
typedef long *PINT_PTR;
typedef unsigned long UINT_PTR;
typedef unsigned long *PUINT_PTR;
typedef long LONG_PTR;
typedef long *PLONG_PTR;
typedef unsigned long ULONG_PTR;
typedef unsigned long *PULONG_PTR;
typedef unsigned long SIZE_T;
typedef unsigned long *PSIZE_T;
typedef long SSIZE_T;
typedef long *PSSIZE_T;
typedef unsigned long KAFFINITY;
typedef unsigned long *PKAFFINITY;

/* Pointers and handles. */
typedef void *PVOID;
typedef const void *PCVOID;
typedef void *HANDLE;
typedef void **PHANDLE;
typedef char *PSTR;
typedef char *LPSTR;
typedef const char *PCSTR;
typedef const char *LPCSTR;
typedef u16 *PWSTR;
typedef u16 *LPWSTR;
typedef const u16 *PCWSTR;
typedef const u16 *LPCWSTR;

typedef s32 NTSTATUS;
typedef s32 *PNTSTATUS;
typedef u32 ACCESS_MASK;
typedef u32 *PACCESS_MASK;
typedef u8 KIRQL;
typedef u8 *PKIRQL;

#define NT_SUCCESS(Status)	(((NTSTATUS)(Status)) >= 0)
#define NT_INFORMATION(Status)	((((ULONG)(Status)) >> 30) == 1)
#define NT_WARNING(Status)	((((ULONG)(Status)) >> 30) == 2)
#define NT_ERROR(Status)	((((ULONG)(Status)) >> 30) == 3)

/* 64-bit integers addressable by halves. */
typedef union _LARGE_INTEGER {
	struct {
		ULONG LowPart;
		LONG HighPart;
	};
	struct {
		ULONG LowPart;
		LONG HighPart;
	} u;
	LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
	struct {
		ULONG LowPart;
		ULONG HighPart;
	};
	struct {
		ULONG LowPart;
		ULONG HighPart;
	} u;
	ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

typedef struct _LUID {
	ULONG LowPart;
	LONG HighPart;
} LUID, *PLUID;

typedef struct _GUID {
	ULONG Data1;
	USHORT Data2;
	USHORT Data3;
	UCHAR Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const struct _GUID *LPCGUID;
typedef const struct _GUID *PCGUID;

typedef struct _UNICODE_STRING {
	USHORT Length;		/* bytes, without terminator */
	USHORT MaximumLength;	/* bytes */
	PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const struct _UNICODE_STRING *PCUNICODE_STRING;

/* Opaque kernel objects; the port driver owns their layout. */
typedef struct _OBJECT_ATTRIBUTES OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
typedef struct _MDL MDL, *PMDL;

#if defined(__x86_64__) || defined(__aarch64__)
static_assert(sizeof(ULONG) == 4);
static_assert(sizeof(LONG) == 4);
static_assert(sizeof(ULONG_PTR) == sizeof(void *));
static_assert(sizeof(LARGE_INTEGER) == 8);
static_assert(__alignof__(LARGE_INTEGER) == 8);
static_assert(sizeof(LUID) == 8);
static_assert(sizeof(GUID) == 16);
static_assert(sizeof(UNICODE_STRING) == 16);
static_assert(offsetof(UNICODE_STRING, Buffer) == 8);
#endif

#endif /* _DXGKCOMPAT_WDK_NTDEF_H_ */
