/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * GHCI TDG.VP.VMCALL sub-functions (the Intel TDX GHCI specification, TDG.VP.VMCALL). The VMM is
 * hostile: each call exposes only R10, R11 and its own argument registers, every output is
 * range-checked before use, and the register block is wiped afterwards.
 */
#include "tdcall_internal.h"

#define EXPOSE_R10_R12 (TDVMCALL_EXPOSE_R10 | TDVMCALL_EXPOSE_R11 | TDVMCALL_EXPOSE_R12)
#define EXPOSE_R10_R13 (EXPOSE_R10_R12 | TDVMCALL_EXPOSE_R13)
#define EXPOSE_R10_R14 (EXPOSE_R10_R13 | TDVMCALL_EXPOSE_R14)
#define EXPOSE_R10_R15 (EXPOSE_R10_R14 | TDVMCALL_EXPOSE_R15)

/* Issue one GHCI call with R10 = 0 (standard) and decode R10. */
static tds_status ghci_call(struct tdcall_regs *r, uint32_t expose, tdvmcall_status *vs,
                            tdvmcall_status *v_out)
{
    tdcall_status st = {TDCALL_OTHER, 0, 0};
    r->r10 = 0;
    tds_status s = tdcall_vp_vmcall(r, expose, &st);
    tdvmcall_status v;
    if (s == TDS_ERR_INVALID_ARG) {
        return s; /* mask bug in this file: nothing executed */
    }
    if (s != TDS_OK) {
        v.code = TDVMCALL_TDCALL_FAILED;
        v.raw = st.raw;
        s = TDS_ERR_DEVICE;
    } else {
        v = tdvmcall_status_decode(r->r10);
        s = (v.code == TDVMCALL_OK) ? TDS_OK : TDS_ERR_VMM;
    }
    if (vs != NULL) {
        *vs = v;
    }
    if (v_out != NULL) {
        *v_out = v;
    }
    return s;
}

static bool io_size_ok(uint32_t size)
{
    return size == 1 || size == 2 || size == 4;
}

static uint64_t size_mask(uint32_t size)
{
    return (size >= 8) ? UINT64_MAX : ((1ull << (8u * size)) - 1u);
}

/* ---- instructions --------------------------------------------------------------------------- */

tds_status tdvmcall_cpuid(uint32_t leaf, uint32_t subleaf, struct tdvmcall_cpuid_result *out,
                          tdvmcall_status *vs)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_CPUID;
    r.r12 = leaf;
    r.r13 = subleaf;
    tds_status s = ghci_call(&r, EXPOSE_R10_R15, vs, NULL);
    if (s == TDS_OK) {
        /* Each output is a 32-bit register value; anything above is VMM nonsense. */
        if (((r.r12 | r.r13 | r.r14 | r.r15) >> 32) != 0) {
            s = TDS_ERR_VMM;
        } else {
            struct tdvmcall_cpuid_result c;
            c.eax = (uint32_t)r.r12;
            c.ebx = (uint32_t)r.r13;
            c.ecx = (uint32_t)r.r14;
            c.edx = (uint32_t)r.r15;
            *out = c;
        }
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_hlt(bool interrupts_blocked, tdvmcall_status *vs)
{
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_HLT;
    r.r12 = interrupts_blocked ? 1u : 0u;
    tds_status s = ghci_call(&r, EXPOSE_R10_R12, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_io_read(uint16_t port, uint32_t size, uint32_t *value, tdvmcall_status *vs)
{
    if (!io_size_ok(size) || value == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_IO;
    r.r12 = size;
    r.r13 = 0; /* IN */
    r.r14 = port;
    tds_status s = ghci_call(&r, EXPOSE_R10_R14, vs, NULL);
    if (s == TDS_OK) {
        *value = (uint32_t)(r.r11 & size_mask(size)); /* GHCI: only `size` bytes are defined */
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_io_write(uint16_t port, uint32_t size, uint32_t value, tdvmcall_status *vs)
{
    if (!io_size_ok(size) || ((uint64_t)value & ~size_mask(size)) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_IO;
    r.r12 = size;
    r.r13 = 1; /* OUT */
    r.r14 = port;
    r.r15 = value;
    tds_status s = ghci_call(&r, EXPOSE_R10_R15, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_rdmsr(uint32_t msr, uint64_t *value, tdvmcall_status *vs)
{
    if (value == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_RDMSR;
    r.r12 = msr;
    tds_status s = ghci_call(&r, EXPOSE_R10_R12, vs, NULL);
    if (s == TDS_OK) {
        *value = r.r11;
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_wrmsr(uint32_t msr, uint64_t value, tdvmcall_status *vs)
{
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_WRMSR;
    r.r12 = msr;
    r.r13 = value;
    tds_status s = ghci_call(&r, EXPOSE_R10_R13, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

static tds_status mmio_check(uint64_t gpa, uint32_t size)
{
    if (!(io_size_ok(size) || size == 8) || gpa >= TDCALL_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(gpa, size)) {
        return TDS_ERR_ALIGNMENT;
    }
    return TDS_OK;
}

tds_status tdvmcall_mmio_read(uint64_t gpa, uint32_t size, uint64_t *value, tdvmcall_status *vs)
{
    if (value == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(mmio_check(gpa, size));
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_MMIO;
    r.r12 = size;
    r.r13 = 0; /* read */
    r.r14 = gpa;
    tds_status s = ghci_call(&r, EXPOSE_R10_R14, vs, NULL);
    if (s == TDS_OK) {
        *value = r.r11 & size_mask(size);
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_mmio_write(uint64_t gpa, uint32_t size, uint64_t value, tdvmcall_status *vs)
{
    TDS_TRY(mmio_check(gpa, size));
    if ((value & ~size_mask(size)) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_MMIO;
    r.r12 = size;
    r.r13 = 1; /* write */
    r.r14 = gpa;
    r.r15 = value;
    tds_status s = ghci_call(&r, EXPOSE_R10_R15, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_wbinvd(bool invalidate, tdvmcall_status *vs)
{
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_WBINVD;
    r.r12 = invalidate ? 0u : 1u;
    tds_status s = ghci_call(&r, EXPOSE_R10_R12, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

/* ---- services ------------------------------------------------------------------------------- */

tds_status tdvmcall_map_gpa(uint64_t gpa, uint64_t size, uint64_t *done, tdvmcall_status *vs)
{
    uint64_t end;
    if (size == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(gpa, TDCALL_PAGE_SIZE_4K) ||
        !tds_is_aligned_u64(size, TDCALL_PAGE_SIZE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(tds_range_end(gpa, size, &end));
    if (end > TDCALL_GPA_LIMIT) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    uint64_t start = gpa;
    uint32_t stalls = 0;
    tds_status s;
    /* Terminates: every RETRY either moves start forward by >= 4 KiB (bounded by size) or
     * counts a stall (bounded by TDVMCALL_MAP_GPA_MAX_STALLS per position). */
    for (;;) {
        struct tdcall_regs r = {0};
        tdvmcall_status v;
        r.r11 = TDVMCALL_MAP_GPA;
        r.r12 = start;
        r.r13 = end - start;
        s = ghci_call(&r, EXPOSE_R10_R13, vs, &v);
        uint64_t resume = r.r11;
        tdcall_regs_wipe(&r);
        if (s != TDS_ERR_VMM || v.code != TDVMCALL_RETRY) {
            if (s == TDS_OK) {
                start = end;
            }
            break;
        }
        /* R11 is untrusted: it must lie inside what is still to do (the Intel TDX GHCI
         * specification, MapGPA; Linux arch/x86/coco/tdx/tdx.c tdx_map_gpa). */
        if (resume < start || resume >= end || !tds_is_aligned_u64(resume, TDCALL_PAGE_SIZE_4K)) {
            s = TDS_ERR_VMM;
            break;
        }
        if (resume == start) {
            stalls++;
            if (stalls >= TDVMCALL_MAP_GPA_MAX_STALLS) {
                s = TDS_ERR_VMM;
                break;
            }
        } else {
            start = resume;
            stalls = 0;
        }
    }
    if (done != NULL) {
        *done = start;
    }
    return s;
}

tds_status tdvmcall_get_quote(uint64_t shared_gpa, uint64_t size, tdvmcall_status *vs)
{
    uint64_t end;
    if (size == 0 || shared_gpa >= TDCALL_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(shared_gpa, TDCALL_PAGE_SIZE_4K) ||
        !tds_is_aligned_u64(size, TDCALL_PAGE_SIZE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(tds_range_end(shared_gpa, size, &end));
    if (end > TDCALL_GPA_LIMIT) {
        return TDS_ERR_OUT_OF_BOUNDS; /* as MapGPA: the whole buffer is a GPA */
    }
    struct tdcall_regs r = {0};
    tdvmcall_status v;
    r.r11 = TDVMCALL_GET_QUOTE;
    r.r12 = shared_gpa;
    r.r13 = size;
    tds_status s = ghci_call(&r, EXPOSE_R10_R13, vs, &v);
    if (s == TDS_ERR_VMM && v.code == TDVMCALL_RETRY) {
        s = TDS_ERR_BUSY;
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_report_fatal_error(uint64_t error_code, uint64_t msg_gpa, tds_bytes msg,
                                       tdvmcall_status *vs)
{
    const uint64_t gpa_valid = 1ull << 63;
    if ((error_code & (gpa_valid | 0xFFFFu)) != 0 || msg.len > TDVMCALL_FATAL_MSG_MAX ||
        !tds_bytes_valid(msg) || msg_gpa >= TDCALL_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(msg_gpa, TDCALL_PAGE_SIZE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_REPORT_FATAL_ERROR;
    r.r12 = error_code | (msg_gpa != 0 ? gpa_valid : 0);
    r.r13 = msg_gpa;
    /* Message bytes go into R14 R15 RBX RDI RSI R8 R9 RDX, in that order (GHCI). */
    uint64_t *dst[8] = {&r.r14, &r.r15, &r.rbx, &r.rdi, &r.rsi, &r.r8, &r.r9, &r.rdx};
    static const uint32_t bit[8] = {TDVMCALL_EXPOSE_R14, TDVMCALL_EXPOSE_R15, TDVMCALL_EXPOSE_RBX,
                                    TDVMCALL_EXPOSE_RDI, TDVMCALL_EXPOSE_RSI, TDVMCALL_EXPOSE_R8,
                                    TDVMCALL_EXPOSE_R9,  TDVMCALL_EXPOSE_RDX};
    uint32_t expose = EXPOSE_R10_R13;
    for (size_t i = 0; i < 8 && i * 8u < msg.len; i++) {
        uint8_t chunk[8] = {0};
        size_t n = msg.len - i * 8u;
        memcpy(chunk, msg.ptr + i * 8u, n < 8u ? n : 8u);
        *dst[i] = tds_load_le64(chunk);
        expose |= bit[i];
    }
    tds_status s = ghci_call(&r, expose, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_setup_event_notify_interrupt(uint32_t vector, tdvmcall_status *vs)
{
    if (vector < 32 || vector > 255) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT;
    r.r12 = vector;
    tds_status s = ghci_call(&r, EXPOSE_R10_R12, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_get_tdvmcall_info(uint32_t leaf, struct tdvmcall_info *out, tdvmcall_status *vs)
{
    if (leaf > 1 || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_GET_TD_VM_CALL_INFO;
    r.r12 = leaf;
    tds_status s = ghci_call(&r, EXPOSE_R10_R14, vs, NULL);
    if (s == TDS_OK) {
        struct tdvmcall_info info = {r.r11, r.r12, r.r13, r.r14};
        if (leaf == 0 && (info.r11 | info.r12 | info.r13 | info.r14) != 0) {
            s = TDS_ERR_VMM; /* GHCI: leaf 0 returns all zeros */
        } else {
            *out = info;
        }
    }
    tdcall_regs_wipe(&r);
    return s;
}

tds_status tdvmcall_service(uint64_t cmd_gpa, uint64_t rsp_gpa, uint32_t vector, uint64_t timeout,
                            tdvmcall_status *vs)
{
    if ((vector != 0 && (vector < 32 || vector > 255)) || cmd_gpa >= TDCALL_GPA_LIMIT ||
        rsp_gpa >= TDCALL_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(cmd_gpa, TDCALL_PAGE_SIZE_4K) ||
        !tds_is_aligned_u64(rsp_gpa, TDCALL_PAGE_SIZE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    struct tdcall_regs r = {0};
    r.r11 = TDVMCALL_SERVICE;
    r.r12 = cmd_gpa;
    r.r13 = rsp_gpa;
    r.r14 = vector;
    r.r15 = timeout;
    tds_status s = ghci_call(&r, EXPOSE_R10_R15, vs, NULL);
    tdcall_regs_wipe(&r);
    return s;
}
