/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* What the reset code hands to C (shim/arch/reset.nasm); numbers from abi.h. */
#ifndef TDSHIM_SHIM_BOOT_H
#define TDSHIM_SHIM_BOOT_H

#include <stdint.h>

#include "abi.h"
#include "tdshim/compiler.h"

#define SHIM_ENTRY_TD SHIM_ABI_ENTRY_TD         /* started by the TDX module in 32-bit mode */
#define SHIM_ENTRY_REAL16 SHIM_ABI_ENTRY_REAL16 /* plain VM: the BSP's 16-bit reset path */

/* Entry registers saved by the BSP's 32-bit code (in .noinit: written before they are read). */
typedef struct shim_boot_regs {
    uint32_t gpaw;       /* EBX at a TD entry: set by the TDX module (0 on a plain VM) */
    uint32_t vcpu_index; /* ESI: set by the TDX module (0 on a plain VM) */
    uint32_t hob;        /* ECX/R8: TD HOB GPA from the VMM, untrusted and only reported */
    uint32_t cpuid1;     /* EDX: CPUID(1).EAX */
    uint32_t entry;      /* SHIM_ENTRY_* (EBP: 0 from the TDX module) */
    uint32_t reserved[3];
} shim_boot_regs;

TDS_ASSERT_OFFSET(shim_boot_regs, gpaw, SHIM_ABI_BR_GPAW);
TDS_ASSERT_OFFSET(shim_boot_regs, vcpu_index, SHIM_ABI_BR_INDEX);
TDS_ASSERT_OFFSET(shim_boot_regs, hob, SHIM_ABI_BR_HOB);
TDS_ASSERT_OFFSET(shim_boot_regs, cpuid1, SHIM_ABI_BR_CPUID1);
TDS_ASSERT_OFFSET(shim_boot_regs, entry, SHIM_ABI_BR_ENTRY);
TDS_ASSERT_SIZE(shim_boot_regs, SHIM_ABI_BR_SIZE);

/*
 * The early mailbox (abi.h SHIM_ABI_EARLY_MBOX): a page of the BFV, so in a TD its initial bytes
 * (zero) are in MRTD and only the TD can write it. APs count themselves in and wait on `go`
 * before they touch anything in TempMem; the BSP writes `go` (release) after it has copied the
 * shim into TempMem, zeroed .bss and built the page tables the APs load.
 */
typedef struct shim_early_mbox {
    uint32_t arrived; /* APs that reached the 32-bit TD entry */
    uint32_t go;      /* 0 = wait; else the CR3 of the BSP's runtime page tables */
} shim_early_mbox;

TDS_ASSERT_OFFSET(shim_early_mbox, arrived, SHIM_ABI_EM_ARRIVED);
TDS_ASSERT_OFFSET(shim_early_mbox, go, SHIM_ABI_EM_GO);

/* The early mailbox as the C code sees it (identity-mapped; the runtime tables map its page
 * read-write, the rest of the BFV read-only). */
#define SHIM_EARLY_MBOX ((volatile shim_early_mbox *)(uintptr_t)SHIM_ABI_EARLY_MBOX)

TDS_NORETURN void shim_main(const shim_boot_regs *regs);

#endif
