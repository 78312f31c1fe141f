/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's RAM GDT with a 64-bit TSS whose IST1 is a separate exception stack, so a fault on
 * a broken stack (the guard page) still reaches the fatal reporter instead of a triple fault.
 */
#ifndef TDSHIM_SHIM_CPUTABLES_H
#define TDSHIM_SHIM_CPUTABLES_H

#include <stdint.h>

#include "abi.h"

#define SHIM_SEL_TSS ((uint16_t)SHIM_ABI_SEL_TSS)
#define SHIM_TSS_SIZE 104u
#define SHIM_TSS_IST1 0x24u
#define SHIM_GDT_SIZE (SHIM_ABI_SEL_TSS + 16u) /* null, code32, data, code64, 16-byte TSS */

/* 16-byte available 64-bit TSS descriptor (SDM vol. 3 7.2.3). Pure: host-tested. */
void shim_tss_desc_encode(uint8_t d[16], uint64_t base, uint32_t limit);

/* Fill one vCPU's GDT (the reset GDT's selectors, abi.h, plus its TSS descriptor) and TSS (IST1 =
 * ist1_top, no I/O bitmap), then load both (lgdt, ltr). A TSS descriptor turns busy on ltr, so
 * every vCPU has its own gdt and tss. */
void shim_cputables_load(uint8_t gdt[SHIM_GDT_SIZE], uint8_t tss[SHIM_TSS_SIZE], uint64_t ist1_top);

/* The BSP's: load the RAM GDT and the TSS with its 16 KiB IST1 stack. */
void shim_cputables_install(void);

#endif
