/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's #VE (vector 20) handler: reads TDG.VP.VEINFO.GET first, then lets libtdcall's
 * handler core (tdshim/tdx_ve.h) emulate HLT, I/O, MSR, CPUID and MMIO through TDVMCALLs and
 * resumes after the instruction. Anything it refuses is reported on the one fatal path as
 * `tdshim: FATAL: #VE ...`. docs/shim.md "Traps", docs/libtdcall.md "#VE handler".
 */
#ifndef TDSHIM_SHIM_VE_H
#define TDSHIM_SHIM_VE_H

#include <stdbool.h>

#include "arch/cpu.h"

#define SHIM_VECTOR_VE 20u

/* Vector 20, from shim_trap. true: emulated, *f holds the new registers and RIP (iretq resumes
 * there). false: the FATAL line was printed; the caller stops on the fatal path. */
bool shim_ve_trap(shim_exc_frame *f);

/* The last #VE the handler emulated (exit reason, RIP advance) and how many it has handled. */
typedef struct shim_ve_stats {
    uint32_t exit_reason;
    uint32_t step;
    uint64_t count;
} shim_ve_stats;
shim_ve_stats shim_ve_last_handled(void);

#endif
