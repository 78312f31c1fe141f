/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Private: the only x86 instructions librtmr executes outside the generated SHA-512 assembly
 * (safe-C rule 13, docs/safe-c.md): CPUID and XGETBV, for the SHA-384 dispatch (sha384_builtin.c).
 * XGETBV raises #UD unless CR4.OSXSAVE is set, so callers run it only when CPUID.1:ECX.OSXSAVE[27]
 * says so (Intel SDM Vol. 2B, XGETBV).
 */
#ifndef LIBRTMR_X86_CPU_H
#define LIBRTMR_X86_CPU_H

#include <stdint.h>

static inline void rtmr_x86_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

/* XCR0 (ECX = 0). */
static inline uint64_t rtmr_x86_xgetbv0(void)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0u));
    return (uint64_t)hi << 32 | lo;
}

#endif
