/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's RAM GDT with a 64-bit TSS whose IST1 is a separate exception stack, so a fault on
 * a broken stack (the guard page) still reaches the fatal reporter instead of a triple fault.
 */
#ifndef TDSHIM_SHIM_CPUTABLES_H
#define TDSHIM_SHIM_CPUTABLES_H

#include <stdint.h>

#define SHIM_SEL_TSS 0x20u
#define SHIM_TSS_SIZE 104u
#define SHIM_TSS_IST1 0x24u

/* 16-byte available 64-bit TSS descriptor (SDM vol. 3 7.2.3). Pure: host-tested. */
void shim_tss_desc_encode(uint8_t d[16], uint64_t base, uint32_t limit);

/* Load the RAM GDT (same code/data selectors as the reset GDT) and the TSS with IST1. */
void shim_cputables_install(void);

#endif
