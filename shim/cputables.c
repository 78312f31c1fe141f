/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* RAM GDT + TSS with IST1 (cputables.h). */
#include "cputables.h"

#include "arch/cpu.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"

#define IST_STACK_SIZE 16384u

static uint8_t shim_gdt[7 * 8] TDS_ALIGNED(16);
static uint8_t shim_tss[SHIM_TSS_SIZE] TDS_ALIGNED(16);
static uint8_t shim_ist1[IST_STACK_SIZE] TDS_ALIGNED(16);

void shim_tss_desc_encode(uint8_t d[16], uint64_t base, uint32_t limit)
{
    tds_store_le16(d + 0, (uint16_t)limit);
    tds_store_le16(d + 2, (uint16_t)base);
    d[4] = (uint8_t)(base >> 16);
    d[5] = 0x89; /* present, DPL 0, type 9: available 64-bit TSS */
    d[6] = (uint8_t)((limit >> 16) & 0x0Fu);
    d[7] = (uint8_t)(base >> 24);
    tds_store_le32(d + 8, (uint32_t)(base >> 32));
    tds_store_le32(d + 12, 0);
}

void shim_cputables_install(void)
{
    /* Same selectors as reset.nasm's ROM GDT: 0x08 code32, 0x10 data, 0x18 code64. */
    tds_store_le64(shim_gdt + 0x00, 0);
    tds_store_le64(shim_gdt + 0x08, 0x00CF9B000000FFFFull);
    tds_store_le64(shim_gdt + 0x10, 0x00CF93000000FFFFull);
    tds_store_le64(shim_gdt + 0x18, 0x00AF9B000000FFFFull);
    shim_tss_desc_encode(shim_gdt + SHIM_SEL_TSS, (uint64_t)(uintptr_t)shim_tss, SHIM_TSS_SIZE - 1);
    memset(shim_tss, 0, sizeof shim_tss);
    tds_store_le64(shim_tss + SHIM_TSS_IST1, (uint64_t)(uintptr_t)(shim_ist1 + sizeof shim_ist1));
    tds_store_le16(shim_tss + 0x66, SHIM_TSS_SIZE); /* no I/O permission bitmap */
    uint8_t desc[10];
    tds_store_le16(desc, (uint16_t)(sizeof shim_gdt - 1));
    tds_store_le64(desc + 2, (uint64_t)(uintptr_t)shim_gdt);
    cpu_lgdt_ltr(desc, SHIM_SEL_TSS);
}
