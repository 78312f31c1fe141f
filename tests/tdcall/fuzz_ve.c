/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: the #VE handler core and its MMIO instruction decoder (tdx_ve.h) on fuzzer-chosen
 * VEINFO, registers, code bytes and VMM answers (tdcall_raw() here is a hostile VMM). Checks:
 * the decoder never reads past its input or 15 bytes and yields only legal sizes; a refused #VE
 * leaves every register untouched; a handled one advances RIP by 1..15 and changes only the
 * registers its instruction writes (an IN of size 1 only AL, a store none).
 *
 * Input: [0] exit-reason selector, [1] flags (bit 0: make GLA/GPA consistent with the decoded
 * operand), [2] code length (mod 17), code bytes, then VEINFO fields, registers and VMM answers
 * (8 bytes each, zero once the input is exhausted).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/tdx_ve.h"

static const uint8_t *g_data;
static size_t g_left;

static uint64_t take64(void)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8 && g_left > 0; i++) {
        v |= (uint64_t)*g_data << (8u * i);
        g_data++;
        g_left--;
    }
    return v;
}

static uint8_t take8(void)
{
    if (g_left == 0) {
        return 0;
    }
    g_left--;
    return *g_data++;
}

uint64_t tdcall_raw(struct tdcall_regs *regs)
{
    if (regs->rax != 0 || (regs->rcx & ~0xFFCCull) != 0) {
        abort(); /* the handler only issues TDVMCALLs with legal masks */
    }
    const uint8_t sel = take8();
    regs->r10 = (sel & 3u) == 0 ? take64() : 0;
    regs->r11 = take64();
    regs->r12 = (sel & 4u) ? take64() : (uint32_t)take64();
    regs->r13 = (sel & 4u) ? take64() : (uint32_t)take64();
    regs->r14 = (sel & 4u) ? take64() : (uint32_t)take64();
    regs->r15 = (sel & 4u) ? take64() : (uint32_t)take64();
    regs->rax = (sel == 0xFF) ? 0xC000010000000001ull : 0;
    return regs->rax;
}

static void check_decoder(tds_bytes code)
{
    struct tdx_mmio_insn d;
    tdx_ve_error err = TDX_VE_OK;
    if (tdcall_ve_mmio_decode(code, &d, &err) == TDS_OK) {
        if (err != TDX_VE_OK || d.length == 0 || d.length > code.len ||
            d.length > TDX_VE_MAX_INSN ||
            (d.mem_size != 1 && d.mem_size != 2 && d.mem_size != 4 && d.mem_size != 8)) {
            abort();
        }
        if (d.op != TDX_MMIO_OP_WRITE_IMM && d.reg >= TDX_VE_GPR_COUNT) {
            abort();
        }
    } else if (err == TDX_VE_OK) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t reasons[8] = {TDX_VE_EXIT_CPUID,
                                        TDX_VE_EXIT_HLT,
                                        TDX_VE_EXIT_IO,
                                        TDX_VE_EXIT_RDMSR,
                                        TDX_VE_EXIT_WRMSR,
                                        TDX_VE_EXIT_EPT_VIOLATION,
                                        TDX_VE_EXIT_EPT_VIOLATION,
                                        0};
    g_data = data;
    g_left = size;
    const uint8_t sel = take8();
    const uint8_t flags = take8();
    size_t clen = take8() % 17u;
    if (clen > g_left) {
        clen = g_left;
    }
    /* Copy the code so ASan sees an exact-size buffer. */
    uint8_t *code = malloc(clen == 0 ? 1 : clen);
    if (code == NULL) {
        return 0;
    }
    memcpy(code, g_data, clen);
    g_data += clen;
    g_left -= clen;
    const tds_bytes cb = tds_bytes_make(code, clen);
    check_decoder(cb);

    struct tdcall_ve_info ve;
    memset(&ve, 0, sizeof ve);
    ve.exit_reason = (sel & 7u) == 7 ? (uint32_t)take64() : reasons[sel & 7u];
    ve.exit_qualification = take64();
    ve.instr_length = (uint32_t)take64() & 0x1Fu;
    ve.guest_linear_address = take64();
    ve.guest_physical_address = take64();
    struct tdx_ve_regs r;
    for (unsigned i = 0; i < TDX_VE_GPR_COUNT; i++) {
        r.gpr[i] = take64();
    }
    r.rip = take64();
    r.rflags = take64();
    struct tdx_ve_config cfg = {(flags & 2u) ? (1ull << 51) : (1ull << 47),
                                (flags & 4u) ? TDX_VE_CPUID_ALL_TO_VMM : 0u};
    struct tdx_mmio_insn d;
    if ((flags & 1u) != 0 && tdcall_ve_mmio_decode(cb, &d, NULL) == TDS_OK) {
        ve.guest_linear_address = tdcall_ve_mmio_address(&d, &r);
        ve.guest_physical_address =
            cfg.shared_mask | (ve.guest_physical_address & (cfg.shared_mask - 1u) & ~0xFFFull) |
            (ve.guest_linear_address & 0xFFFu & ~(d.mem_size - 1ull));
        ve.guest_linear_address &= ~(uint64_t)(d.mem_size - 1u);
    }

    const struct tdx_ve_regs before = r;
    struct tdx_ve_report rep;
    const tds_status s = tdcall_ve_handle(&r, &ve, cb, &cfg, &rep);
    if (s != TDS_OK) {
        if (memcmp(&r, &before, sizeof r) != 0 || rep.error == TDX_VE_OK) {
            abort();
        }
    } else {
        if (rep.error != TDX_VE_OK || rep.length < 1 || rep.length > TDX_VE_MAX_INSN ||
            r.rip != before.rip + rep.length || r.rflags != before.rflags) {
            abort();
        }
        /* Registers an instruction exit never writes. */
        if (ve.exit_reason != TDX_VE_EXIT_EPT_VIOLATION) {
            for (unsigned i = TDX_VE_RSP; i < TDX_VE_GPR_COUNT; i++) {
                if (r.gpr[i] != before.gpr[i]) {
                    abort();
                }
            }
        }
        if (ve.exit_reason == TDX_VE_EXIT_IO && (ve.exit_qualification & 7u) == 0 &&
            (r.gpr[TDX_VE_RAX] & ~0xFFull) != (before.gpr[TDX_VE_RAX] & ~0xFFull)) {
            abort(); /* IN/OUT of one byte: only AL */
        }
        if (ve.exit_reason == TDX_VE_EXIT_EPT_VIOLATION) {
            if (rep.length > clen) {
                abort();
            }
            struct tdx_mmio_insn dd;
            if (tdcall_ve_mmio_decode(cb, &dd, NULL) != TDS_OK || dd.length != rep.length) {
                abort();
            }
            if ((dd.op == TDX_MMIO_OP_WRITE_REG || dd.op == TDX_MMIO_OP_WRITE_IMM) &&
                memcmp(r.gpr, before.gpr, sizeof r.gpr) != 0) {
                abort(); /* a store changes no register */
            }
        }
    }
    free(code);
    return 0;
}
