/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Firmware link layout (docs/shim.md, docs/image-layout.md). Run through the C preprocessor with
 * shim/abi.h (the numbers the C code and the assembly share) before ld reads it.
 *
 * ROM window (the BFV, ending at 4 GiB, only as large as its contents: docs/image-layout.md):
 * page 0 reserved for the TDVF metadata that tdshim-image writes; then the load image of the
 * 64-bit shim (LMA), placed so that it ends right below the test page; the test image's TD-entry
 * emulation page (SHIM_ABI_TEST_PAGE, empty in production); the early mailbox page
 * (SHIM_ABI_EARLY_MBOX); the 16/32-bit reset code in the last page; the 0x50-byte tail reserve for
 * the image builder; the reset vector at 0xFFFFFFF0. ROM_BASE (shim_bfv_start) is where the
 * metadata page lands: SHIM_ABI_TEST_PAGE - 4 KiB - the load image rounded up to 4 KiB. The
 * firmware blob (objcopy -O binary) is exactly [ROM_BASE, 4 GiB): every page of it is measured
 * into MRTD, so none is padding.
 * RAM (inside the default TempMem section 0x100000-0x7FFFFF): the 64-bit shim runs at 0x100000
 * after the 32-bit code copies it there; .bss, page tables and the boot stack follow, all below
 * SHIM_ABI_RAM_LIMIT (inside the 4 KiB-mapped window [0, SHIM_ABI_WINDOW_END) of paging.c).
 */
#include "abi.h"

OUTPUT_FORMAT("elf64-x86-64")
OUTPUT_ARCH(i386:x86-64)
ENTRY(tdshim_reset_vector)

RAM_BASE    = 0x00100000;
RAM_LIMIT   = 0x00800000; /* end of the default TempMem section */
RV_PAGE     = 0xFFFFF000;
/* The plain-VM 16-bit entry; the test image's link defines it as its TD-entry emulation. */
PROVIDE(shim_real16_target = real16_entry);

SECTIONS
{
  . = RAM_BASE;
  __shim_ram_start = .;
  /* The load image ends at the test page (its size is known once .data is laid out). */
  .text : AT(SHIM_ABI_TEST_PAGE - ALIGN(__shim_load_end - RAM_BASE, 0x1000)) {
    shim_text_start = .;
    *(.text.entry64)
    *(.text .text.*)
    . = ALIGN(4096);
    shim_text_end = .;
  }
  .rodata : ALIGN(4096) {
    shim_rodata_start = .;
    *(.rodata .rodata.*)
    . = ALIGN(4096);
    shim_rodata_end = .;
  }
  .data : ALIGN(4096) { shim_data_start = .; *(.data .data.*) *(.got .got.plt) }
  __shim_load_end = .;
  .bss (NOLOAD) : ALIGN(4096) {
    __bss_start = .;
    *(.bss.pagetables)
    *(.bss .bss.* COMMON)
    . = ALIGN(4096);
    __bss_end = .;
  }
  .noinit (NOLOAD) : ALIGN(4096) {
    shim_noinit_start = .;
    __boot_regs = .;
    . += SHIM_ABI_BR_SIZE;
    . = ALIGN(4096);
    shim_stack_guard = .;
    . += 0x1000;
    shim_stack_bottom = .;
    . += 0x10000;
    __stack_top = .;
    shim_stack_top = .;
  }
  __shim_ram_end = .;
  __shim_lma = LOADADDR(.text);
  __shim_load_size = __shim_load_end - __shim_ram_start;
  ROM_BASE = LOADADDR(.text) - 0x1000;
  shim_bfv_start = ROM_BASE;

  .tdvf_meta ROM_BASE : AT(ROM_BASE) { BYTE(0); . = 0x1000; }

  .tdtest SHIM_ABI_TEST_PAGE : AT(SHIM_ABI_TEST_PAGE) { KEEP(*(.tdtest)) }
  .earlymbox SHIM_ABI_EARLY_MBOX : AT(SHIM_ABI_EARLY_MBOX) { KEEP(*(.earlymbox)) }
  .rv32 RV_PAGE : AT(RV_PAGE) { *(.rv32) }
  .rvtramp 0xFFFFFF90 : AT(0xFFFFFF90) { *(.rvtramp) }
  .resetvector 0xFFFFFFF0 : AT(0xFFFFFFF0) { *(.resetvector) }

  /DISCARD/ : { *(.comment) *(.note*) *(.eh_frame*) *(.rela*) *(.dynamic) *(.interp) }
}


ASSERT(__shim_ram_end <= RAM_LIMIT, "shim RAM image does not fit the TempMem section")
ASSERT(__shim_ram_end <= SHIM_ABI_RAM_LIMIT, "shim RAM image past SHIM_ABI_RAM_LIMIT (abi.h; the test harness's emulator state starts there)")
ASSERT(SHIM_ABI_RAM_LIMIT <= SHIM_ABI_WINDOW_END, "shim RAM image limit outside the 4 KiB-mapped paging window (paging.c)")
ASSERT(SHIM_ABI_RAM_LIMIT <= SHIM_ABI_AP_AREA, "shim RAM image limit overlaps the AP stack area")
ASSERT(__shim_ram_end <= SHIM_ABI_AP_AREA, "shim RAM image overlaps the AP stack area")
ASSERT(LOADADDR(.text) + __shim_load_size <= SHIM_ABI_TEST_PAGE,
       "shim load image overlaps the test page / early mailbox / reset page")
ASSERT(SIZEOF(.tdtest) <= 0x1000, "test TD-entry page larger than one page")
ASSERT(shim_early_mbox == SHIM_ABI_EARLY_MBOX && SIZEOF(.earlymbox) == 0x1000,
       "early mailbox is not the one page abi.h names")
ASSERT(SHIM_ABI_EARLY_MBOX + 0x1000 == RV_PAGE && SHIM_ABI_TEST_PAGE + 0x1000 == SHIM_ABI_EARLY_MBOX,
       "test page, early mailbox and reset page must be the last three pages of the BFV")
ASSERT(SIZEOF(.rv32) <= 0xF90, "16/32-bit reset code too large for the last page")
ASSERT(SIZEOF(.rvtramp) <= 0x10, "reset trampolines too large")
ASSERT(SIZEOF(.resetvector) == 0x10, "reset vector must be exactly 16 bytes")
ASSERT((ROM_BASE & 0xFFF) == 0 && ROM_BASE >= SHIM_ABI_BFV_LOWEST,
       "the BFV must be whole pages and fit the 2 MiB window below 4 GiB (abi.h)")
ASSERT(LOADADDR(.text) + __shim_load_size <= SHIM_ABI_TEST_PAGE &&
       LOADADDR(.text) + __shim_load_size + 0x1000 > SHIM_ABI_TEST_PAGE,
       "the load image must end in the page below the test page (no padding in the BFV)")
