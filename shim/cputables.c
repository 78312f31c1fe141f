/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* RAM GDT + TSS with IST1 (cputables.h). */
#include "cputables.h"

#include "arch/cpu.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"

#define IST_STACK_SIZE 16384u

static uint8_t shim_gdt[SHIM_GDT_SIZE] TDS_ALIGNED(16);
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

void shim_cputables_load(uint8_t gdt[SHIM_GDT_SIZE], uint8_t tss[SHIM_TSS_SIZE], uint64_t ist1_top)
{
    tds_store_le64(gdt + 0x00, 0);
    tds_store_le64(gdt + SHIM_ABI_SEL_CODE32, 0x00CF9B000000FFFFull); /* flat 32-bit code */
    tds_store_le64(gdt + SHIM_ABI_SEL_DATA, 0x00CF93000000FFFFull);   /* flat data */
    tds_store_le64(gdt + SHIM_ABI_SEL_CODE64, 0x00AF9B000000FFFFull); /* 64-bit code */
    shim_tss_desc_encode(gdt + SHIM_ABI_SEL_TSS, (uint64_t)(uintptr_t)tss, SHIM_TSS_SIZE - 1);
    memset(tss, 0, SHIM_TSS_SIZE);
    tds_store_le64(tss + SHIM_TSS_IST1, ist1_top);
    tds_store_le16(tss + 0x66, SHIM_TSS_SIZE); /* no I/O permission bitmap */
    uint8_t desc[10];
    tds_store_le16(desc, (uint16_t)(SHIM_GDT_SIZE - 1));
    tds_store_le64(desc + 2, (uint64_t)(uintptr_t)gdt);
    cpu_lgdt_ltr(desc, SHIM_SEL_TSS);
}

void shim_cputables_install(void)
{
    shim_cputables_load(shim_gdt, shim_tss, (uint64_t)(uintptr_t)(shim_ist1 + sizeof shim_ist1));
}
