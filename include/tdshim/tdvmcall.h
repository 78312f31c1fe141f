/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libtdcall: GHCI TDG.VP.VMCALL sub-functions (the Intel TDX GHCI specification, TDG.VP.VMCALL).
 * The VMM is untrusted: every wrapper exposes only the registers its call needs (R10, R11 and its
 * arguments; never RBP), zeroes the rest, range-checks every value the VMM returns before
 * using it, and wipes its register block afterwards. Contract: docs/libtdcall.md.
 *
 * Results: TDS_OK when R10 = SUCCESS; TDS_ERR_VMM for any other GHCI status or a nonsensical
 * output; TDS_ERR_BUSY for RETRY where the call has no retry protocol (GetQuote); TDS_ERR_DEVICE
 * if the TDX module itself refused the TDVMCALL. Input-check failures (TDS_ERR_INVALID_ARG,
 * TDS_ERR_ALIGNMENT, TDS_ERR_OVERFLOW) execute nothing. `vs` (optional, may be NULL) receives
 * the decoded GHCI status whenever the call was executed.
 */
#ifndef TDSHIM_TDVMCALL_H
#define TDSHIM_TDVMCALL_H

/*
 * Thread safety: as tdshim/tdcall.h: no state in the library; each call is a TDG.VP.VMCALL on the
 * calling vCPU and writes only the caller's outputs, so calls may run concurrently on any vCPUs.
 * What the VMM does with concurrent requests (for example two MapGPA of one range) is the VMM's
 * business; the caller serializes what it needs ordered.
 */

#include "tdshim/tdcall.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sub-function numbers (R11, the Intel TDX GHCI specification, sub-functions). */
enum tdvmcall_subfn {
    TDVMCALL_CPUID = 0x0A,
    TDVMCALL_HLT = 0x0C,
    TDVMCALL_IO = 0x1E,
    TDVMCALL_RDMSR = 0x1F,
    TDVMCALL_WRMSR = 0x20,
    TDVMCALL_MMIO = 0x30,
    TDVMCALL_WBINVD = 0x36,
    TDVMCALL_GET_TD_VM_CALL_INFO = 0x10000,
    TDVMCALL_MAP_GPA = 0x10001,
    TDVMCALL_GET_QUOTE = 0x10002,
    TDVMCALL_REPORT_FATAL_ERROR = 0x10003,
    TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT = 0x10004,
    TDVMCALL_SERVICE = 0x10005
};

/* GHCI status values (R10 out, the Intel TDX GHCI specification, status codes; Linux
 * arch/x86/include/asm/shared/tdx.h). */
#define TDVMCALL_STATUS_SUCCESS 0x0000000000000000ull
#define TDVMCALL_STATUS_RETRY 0x0000000000000001ull
#define TDVMCALL_STATUS_INVALID_OPERAND 0x8000000000000000ull
#define TDVMCALL_STATUS_GPA_INUSE 0x8000000000000001ull
#define TDVMCALL_STATUS_ALIGN_ERROR 0x8000000000000002ull
#define TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED 0x8000000000000003ull

typedef enum tdvmcall_code {
    TDVMCALL_OK = 0,
    TDVMCALL_RETRY,
    TDVMCALL_INVALID_OPERAND,
    TDVMCALL_GPA_INUSE,
    TDVMCALL_ALIGN_ERROR,
    TDVMCALL_SUBFUNC_UNSUPPORTED,
    TDVMCALL_TDCALL_FAILED, /* the module refused the TDVMCALL: .raw is RAX, not R10 */
    TDVMCALL_OTHER          /* unknown R10 value; .raw keeps it */
} tdvmcall_code;

typedef struct tdvmcall_status {
    tdvmcall_code code;
    uint64_t raw; /* R10 as returned (or RAX for TDVMCALL_TDCALL_FAILED) */
} tdvmcall_status;

/* The one decoder for R10. Total over all 64-bit values. */
tdvmcall_status tdvmcall_status_decode(uint64_t r10);

/* ---- Instruction emulation sub-functions -------------------------------------------------- */

struct tdvmcall_cpuid_result {
    uint32_t eax, ebx, ecx, edx;
};
/* Instruction.CPUID: R12 = leaf, R13 = sub-leaf; R12..R15 out must fit in 32 bits, else
 * TDS_ERR_VMM. */
TDS_MUST_USE tds_status tdvmcall_cpuid(uint32_t leaf, uint32_t subleaf,
                                       struct tdvmcall_cpuid_result *out, tdvmcall_status *vs);

/* Instruction.HLT: R12 = 1 if interrupts were blocked at the HLT. */
TDS_MUST_USE tds_status tdvmcall_hlt(bool interrupts_blocked, tdvmcall_status *vs);

/* Instruction.IO: size 1, 2 or 4 (TDS_ERR_INVALID_ARG otherwise). Read: only the low `size`
 * bytes of R11 are used (GHCI defines the rest as meaningless). Write: value must fit in
 * `size` bytes (TDS_ERR_INVALID_ARG). */
TDS_MUST_USE tds_status tdvmcall_io_read(uint16_t port, uint32_t size, uint32_t *value,
                                         tdvmcall_status *vs);
TDS_MUST_USE tds_status tdvmcall_io_write(uint16_t port, uint32_t size, uint32_t value,
                                          tdvmcall_status *vs);

/* Instruction.RDMSR / WRMSR. */
TDS_MUST_USE tds_status tdvmcall_rdmsr(uint32_t msr, uint64_t *value, tdvmcall_status *vs);
TDS_MUST_USE tds_status tdvmcall_wrmsr(uint32_t msr, uint64_t value, tdvmcall_status *vs);

/* #VE.RequestMMIO: gpa is the shared GPA (shared bit set by the caller), size 1, 2, 4 or 8,
 * gpa naturally aligned to size and < 2^52. Read value masked to `size` bytes; write value must
 * fit. */
TDS_MUST_USE tds_status tdvmcall_mmio_read(uint64_t gpa, uint32_t size, uint64_t *value,
                                           tdvmcall_status *vs);
TDS_MUST_USE tds_status tdvmcall_mmio_write(uint64_t gpa, uint32_t size, uint64_t value,
                                            tdvmcall_status *vs);

/* Instruction.WBINVD: invalidate = false requests WBNOINVD (R12 = 1). */
TDS_MUST_USE tds_status tdvmcall_wbinvd(bool invalidate, tdvmcall_status *vs);

/* ---- GHCI services ------------------------------------------------------------------------- */

/*
 * MapGPA with the retry rule of the Intel TDX GHCI specification, MapGPA; Linux
 * arch/x86/coco/tdx/tdx.c tdx_map_gpa: gpa (shared bit set = to shared, clear = to private) and
 * size 4 KiB aligned and non-zero, gpa + size must not wrap and stay < 2^52. On RETRY the VMM's
 * resume address (R11) must be 4 KiB aligned and inside [start, end), else TDS_ERR_VMM; three
 * consecutive retries without progress -> TDS_ERR_VMM. `done` (optional) receives the GPA up to
 * which the VMM confirmed progress whenever the call was executed.
 */
#define TDVMCALL_MAP_GPA_MAX_STALLS 3u
TDS_MUST_USE tds_status tdvmcall_map_gpa(uint64_t gpa, uint64_t size, uint64_t *done,
                                         tdvmcall_status *vs);

/* GetQuote: shared GPA of a 4 KiB-aligned buffer, size a non-zero multiple of 4 KiB; the GPA
 * below 2^52 (else TDS_ERR_INVALID_ARG), gpa + size must not wrap (TDS_ERR_OVERFLOW) and must be
 * <= 2^52 (TDS_ERR_OUT_OF_BOUNDS), as for MapGPA.
 * RETRY -> TDS_ERR_BUSY. Completion is signalled in the buffer (the Intel TDX GHCI specification,
 * GetQuote). */
TDS_MUST_USE tds_status tdvmcall_get_quote(uint64_t shared_gpa, uint64_t size, tdvmcall_status *vs);

/*
 * ReportFatalError: error_code bits 15:0 MUST be 0 (QEMU rejects otherwise) and bit 63 is set
 * by the wrapper iff msg_gpa != 0 (msg_gpa must then be 4 KiB aligned). `msg` (up to 64 bytes,
 * may be empty) is sent in R14 R15 RBX RDI RSI R8 R9 RDX; only the registers it occupies are
 * exposed. Not expected to return; if it does, the result says why.
 */
#define TDVMCALL_FATAL_MSG_MAX 64u
TDS_MUST_USE tds_status tdvmcall_report_fatal_error(uint64_t error_code, uint64_t msg_gpa,
                                                    tds_bytes msg, tdvmcall_status *vs);

/* SetupEventNotifyInterrupt: vector 32..255. */
TDS_MUST_USE tds_status tdvmcall_setup_event_notify_interrupt(uint32_t vector, tdvmcall_status *vs);

struct tdvmcall_info {
    uint64_t r11, r12, r13, r14;
};
/* GetTdVmCallInfo: leaf 0 or 1 (TDS_ERR_INVALID_ARG otherwise); leaf 0 must return all zeros
 * (TDS_ERR_VMM otherwise). Leaf 1: R11 bit 1 = SetupEventNotifyInterrupt supported. */
#define TDVMCALL_INFO1_SETUP_EVENT_NOTIFY (1ull << 1)
TDS_MUST_USE tds_status tdvmcall_get_tdvmcall_info(uint32_t leaf, struct tdvmcall_info *out,
                                                   tdvmcall_status *vs);

/* Service (GHCI 1.5): command/response shared GPAs 4 KiB aligned; vector 0 or 32..255. */
TDS_MUST_USE tds_status tdvmcall_service(uint64_t cmd_gpa, uint64_t rsp_gpa, uint32_t vector,
                                         uint64_t timeout, tdvmcall_status *vs);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDVMCALL_H */
