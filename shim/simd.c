/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Enable the AVX state for librtmr's SHA-384 (simd.h). */
#include "simd.h"

#include <stdbool.h>

#include "arch/cpu.h"
#include "log.h"
#include "tdshim/rtmr.h"

/* XCR0 / XFAM bits 0 (x87), 1 (SSE), 2 (AVX: the upper halves of YMM). Intel SDM Vol. 1, 13.1. */
#define XSTATE_X87_SSE_AVX 0x7u

/* The XCR0 bits the BSP enabled (0: scalar): what an AP that hashes must enable too. */
static uint64_t shim_simd_xcr0;

void shim_simd_enable(uint64_t xfam)
{
    /* CPUID leaf 1 in a TD is answered by the TDX module, its AVX bit from XFAM[2] (TDX module
     * CPUID virtualization); a VMM-answered lie could only make XSETBV fault (#GP: fatal). */
    uint32_t r[4];
    cpu_cpuid(1, 0, r);
    const bool xsave = (r[2] >> 26 & 1u) != 0;
    const bool avx = (r[2] >> 28 & 1u) != 0;
    const char *why = NULL;
    if (!xsave || !avx) {
        why = "the vCPU has no XSAVE/AVX";
    } else if ((xfam & XSTATE_X87_SSE_AVX) != XSTATE_X87_SSE_AVX) {
        why = "XFAM does not allow the AVX state";
    }
    if (why != NULL) {
        shim_log("tdshim: sha384: scalar: %s (xfam=0x%lx)", why, xfam);
        return;
    }
    /* CR4.OSXSAVE is not in the TD's CR4 guest/host mask: the TD owns it (intel/tdx-module
     * src/common/data_structures/td_vmcs_init.c); XSETBV with bits outside XFAM is #GP(0)
     * (td_xsetbv.c), and we set only x87|SSE|AVX, all in XFAM. */
    cpu_write_cr4(cpu_read_cr4() | CPU_CR4_OSXSAVE);
    cpu_xsetbv0(cpu_xgetbv0() | XSTATE_X87_SSE_AVX);
    shim_simd_xcr0 = XSTATE_X87_SSE_AVX;
    const uint32_t paths = rtmr_sha384_cpu_detect();
    shim_log("tdshim: sha384: %s (paths=0x%x xcr0=0x%lx xfam=0x%lx)",
             rtmr_sha384_impl_name(rtmr_sha384_impl_auto()), paths, cpu_xgetbv0(), xfam);
}

void shim_simd_enable_ap(void)
{
    if (shim_simd_xcr0 != 0) {
        cpu_write_cr4(cpu_read_cr4() | CPU_CR4_OSXSAVE);
        cpu_xsetbv0(cpu_xgetbv0() | shim_simd_xcr0);
    }
}
