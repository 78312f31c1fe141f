/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* IDT for vectors 0-31, all routed to the fatal reporter (entry64.nasm stubs). */
#include "idt.h"

#include "abi.h"
#include "tdshim/endian.h"

#define IDT_ENTRIES 32u
#define IDT_GATE_INT64 0x8Eu /* present, DPL 0, 64-bit interrupt gate */
#define IDT_VECTOR_UD 6u
#define IDT_VECTOR_VE 20u /* #VE: IST 0 as well (shim/ve.c explains why) */

extern const uint64_t shim_isr_table[IDT_ENTRIES];

static uint8_t shim_idt[IDT_ENTRIES * 16u] TDS_ALIGNED(16);

void shim_idt_encode(uint8_t gate[16], uint64_t handler, uint16_t selector, uint8_t ist)
{
    tds_store_le16(gate + 0, (uint16_t)handler);
    tds_store_le16(gate + 2, selector);
    gate[4] = (uint8_t)(ist & 7u); /* IST index; 0 = the current stack */
    gate[5] = IDT_GATE_INT64;
    tds_store_le16(gate + 6, (uint16_t)(handler >> 16));
    tds_store_le32(gate + 8, (uint32_t)(handler >> 32));
    tds_store_le32(gate + 12, 0);
}

void shim_idt_install(void)
{
    for (uint32_t v = 0; v < IDT_ENTRIES; v++) {
        /* IST1 for everything (a fault on a broken stack is still reported) except #UD: a tdcall
         * trapping from inside a handler already on IST1 (the fatal path's ReportFatalError)
         * must push below that handler's frames, not restart IST1 over them. */
        shim_idt_encode(&shim_idt[(size_t)v * 16u], shim_isr_table[v], SHIM_ABI_SEL_CODE64,
                        (v == IDT_VECTOR_UD || v == IDT_VECTOR_VE) ? 0 : 1);
    }
    shim_idt_load();
}

void shim_idt_load(void)
{
    uint8_t desc[10];
    tds_store_le16(desc, (uint16_t)(sizeof shim_idt - 1));
    tds_store_le64(desc + 2, (uint64_t)(uintptr_t)shim_idt);
    cpu_lidt(desc);
}
