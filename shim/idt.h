/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#ifndef TDSHIM_SHIM_IDT_H
#define TDSHIM_SHIM_IDT_H

#include <stdint.h>

#include "arch/cpu.h"

/* Write one 16-byte 64-bit interrupt gate (SDM vol. 3 6.14.1). Pure: host-tested. */
void shim_idt_encode(uint8_t gate[16], uint64_t handler, uint16_t selector, uint8_t ist);

/* Fill the IDT from the stub table (IST1 except #UD, see idt.c and cputables.h) and load it. */
void shim_idt_install(void);

/* Load the already-built IDT on this CPU (APs). */
void shim_idt_load(void);

#endif
