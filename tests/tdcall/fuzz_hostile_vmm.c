/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: the GHCI wrappers against a VMM whose every output register comes from the fuzzer
 * (tdcall_raw() is defined here). Checks that MapGPA's retry loop terminates within its bound
 * and never reports progress outside the requested range, and that the other wrappers only
 * return in-contract values, whatever the VMM answers.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/tdvmcall.h"

static const uint8_t *g_data;
static size_t g_left;
static size_t g_calls;

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

uint64_t tdcall_raw(struct tdcall_regs *regs)
{
    g_calls++;
    uint64_t mask = regs->rcx;
    if (regs->rax != 0 || (mask & ~0xFFCCull) != 0) {
        abort(); /* the wrappers only issue VMCALLs with legal masks here */
    }
    uint8_t sel = (uint8_t)take64();
    /* Mostly RETRY / SUCCESS so the loops get exercised, sometimes anything. */
    regs->r10 = (sel & 3u) == 0 ? take64() : (sel & 3u) == 1 ? 0 : 1;
    regs->r11 = (sel & 4u) ? regs->r12 + (take64() & 0x3FFFFFull) : take64();
    regs->r12 = take64();
    regs->r13 = take64();
    regs->r14 = take64();
    regs->r15 = take64();
    regs->rax = (sel == 0xFF) ? 0xC000010000000001ull : 0;
    return regs->rax;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 24) {
        return 0;
    }
    uint64_t start = (data[0] | ((uint64_t)data[1] << 8)) * 0x1000u;
    uint64_t len = (1u + (data[2] | ((uint64_t)(data[3] & 0x3Fu) << 8))) * 0x1000u;
    uint8_t which = data[4];
    g_data = data + 8;
    g_left = size - 8;
    g_calls = 0;

    switch (which % 5u) {
    case 0: {
        uint64_t done = 0xDEAD;
        tds_status s = tdvmcall_map_gpa(start, len, &done, NULL);
        size_t bound = (size_t)(len / 0x1000u + 1u) * TDVMCALL_MAP_GPA_MAX_STALLS;
        if (g_calls > bound || done < start || done > start + len ||
            (s == TDS_OK && done != start + len) || (done & 0xFFFu) != 0) {
            abort();
        }
        break;
    }
    case 1: {
        struct tdvmcall_cpuid_result c;
        (void)tdvmcall_cpuid(1, 0, &c, NULL);
        break;
    }
    case 2: {
        uint32_t v = 0;
        uint32_t sz = (which & 8u) ? 1u : 2u;
        if (tdvmcall_io_read(0x70, sz, &v, NULL) == TDS_OK && (v >> (8u * sz)) != 0) {
            abort();
        }
        break;
    }
    case 3: {
        uint64_t v = 0;
        if (tdvmcall_mmio_read(0x800000000000ull | 0xFEC00000u, 2, &v, NULL) == TDS_OK &&
            v > 0xFFFFu) {
            abort();
        }
        break;
    }
    default: {
        struct tdvmcall_info info;
        tds_status s = tdvmcall_get_tdvmcall_info(0, &info, NULL);
        if (s == TDS_OK && (info.r11 | info.r12 | info.r13 | info.r14) != 0) {
            abort();
        }
        break;
    }
    }
    if (g_calls == 0) {
        abort(); /* every case above is a valid request */
    }
    return 0;
}
