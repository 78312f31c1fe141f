/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* What the reset code hands to C (shim/arch/reset.nasm). */
#ifndef TDSHIM_SHIM_BOOT_H
#define TDSHIM_SHIM_BOOT_H

#include <stdint.h>

#include "tdshim/compiler.h"

#define SHIM_ENTRY_TD 0u        /* started by the TDX module in 32-bit mode */
#define SHIM_ENTRY_REAL16 0x16u /* plain VM: the 16-bit entry recreated the TD state */

/* Entry registers saved by the BSP's 32-bit code; offsets are used by reset.nasm (BR_*). */
typedef struct shim_boot_regs {
    uint32_t gpaw;       /* EBX at entry (tdx-abi.md 7.1); untrusted until TDG.VP.INFO agrees */
    uint32_t vcpu_index; /* ESI */
    uint32_t hob;        /* ECX/R8: TD HOB GPA from the VMM, untrusted and not used */
    uint32_t cpuid1;     /* EDX: CPUID(1).EAX */
    uint32_t entry;      /* SHIM_ENTRY_* (EBP: 0 from the TDX module) */
} shim_boot_regs;

TDS_ASSERT_OFFSET(shim_boot_regs, gpaw, 0);
TDS_ASSERT_OFFSET(shim_boot_regs, vcpu_index, 4);
TDS_ASSERT_OFFSET(shim_boot_regs, hob, 8);
TDS_ASSERT_OFFSET(shim_boot_regs, cpuid1, 12);
TDS_ASSERT_OFFSET(shim_boot_regs, entry, 16);

TDS_NORETURN void shim_main(const shim_boot_regs *regs);

#endif
