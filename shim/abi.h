/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Every number the shim's C code and its assembly (shim/arch/reset.nasm, entry64.nasm, the test
 * image's TD start) must agree on, defined once. The build turns the SHIM_ABI_* macros of this
 * header into the NASM include shim_abi.inc (shim/gen_abi_inc.py runs the C preprocessor over this
 * file), so the two languages cannot drift; the C side locks each layout offset against offsetof()
 * below.
 *
 * The linker script (shim/shim.ld.S) is run through the C preprocessor with this header too. So
 * only integer constants here, in the one spelling C, NASM and GNU ld all read: decimal or hex
 * literals without suffixes, and + - * << between them.
 */
#ifndef TDSHIM_SHIM_ABI_H
#define TDSHIM_SHIM_ABI_H

/* ---- GDT selectors (the reset GDT in shim/arch/reset.nasm and the RAM GDT of cputables.c) --- */
#define SHIM_ABI_SEL_CODE32 0x08
#define SHIM_ABI_SEL_DATA 0x10
#define SHIM_ABI_SEL_CODE64 0x18
#define SHIM_ABI_SEL_TSS 0x20

/* ---- How the BSP was entered (struct shim_boot_regs.entry, EBP in the 32-bit path) ---------- */
#define SHIM_ABI_ENTRY_TD 0        /* started by the TDX module in 32-bit mode (every vCPU) */
#define SHIM_ABI_ENTRY_REAL16 0x16 /* plain VM: the BSP came through the 16-bit reset path */

/* ---- struct shim_boot_regs (boot.h): the entry registers the BSP's 32-bit code saves ------- */
#define SHIM_ABI_BR_GPAW 0
#define SHIM_ABI_BR_INDEX 4
#define SHIM_ABI_BR_HOB 8
#define SHIM_ABI_BR_CPUID1 12
#define SHIM_ABI_BR_ENTRY 16
#define SHIM_ABI_BR_SIZE 32

/*
 * ---- The BFV: the firmware volume holding the shim, ending at 4 GiB --------------------------
 * Only as large as its contents (shim.ld.S; docs/image-layout.md), at most the 2 MiB ROM window
 * [SHIM_ABI_BFV_LOWEST, 4 GiB): the window the shim maps read-only (main.c) and the test harness
 * overlays with a writable copy (tests/fw/td_entry.nasm, tests/e2e/run-qemu.sh).
 */
#define SHIM_ABI_BFV_LOWEST 0xFFE00000
#define SHIM_ABI_ROM_WINDOW_SIZE 0x200000

/*
 * ---- The early mailbox: one page of the BFV (measured memory) -----------------------------
 * The only memory a vCPU reads before the BSP has taken ownership of TempMem. In a TD the BFV is
 * private memory added with TDH.MEM.PAGE.ADD + TDH.MR.EXTEND: its first bytes (all zero) are in
 * MRTD and the VMM cannot change them afterwards. Layout: struct shim_early_mbox (boot.h).
 */
#define SHIM_ABI_EARLY_MBOX 0xFFFFE000
#define SHIM_ABI_EM_ARRIVED 0 /* u32: APs that reached the 32-bit TD entry (lock inc) */
#define SHIM_ABI_EM_GO 4      /* u32: 0 = wait; else the CR3 the BSP releases the APs with */

/* The test image's TD-entry emulation (tests/fw) lives in the page below; production leaves it
 * zero. Its first byte is the APs' INIT-SIPI entry, reached through the legacy alias of the
 * BIOS's top 128 KiB below 1 MiB: SIPI vector = (page >> 12) & 0xFF. */
#define SHIM_ABI_TEST_PAGE 0xFFFFD000

/* ---- RAM layout inside TempMem ------------------------------------------------------------- */
/* The shim's RAM image [0x100000, __shim_ram_end) ends at or below SHIM_ABI_RAM_LIMIT (shim.ld.S
 * asserts it). The runtime page tables map [0, SHIM_ABI_WINDOW_END) with 4 KiB pages (paging.c:
 * the code read-only, the stack guard not present), so the RAM image must stay inside it. The
 * test image's harness keeps [SHIM_ABI_RAM_LIMIT, SHIM_ABI_AP_AREA) for the emulator's page-state
 * bytes (tests/fw/fw_test.h) and reports it reserved in its TD HOB. */
#define SHIM_ABI_RAM_LIMIT 0x300000
#define SHIM_ABI_WINDOW_END 0x400000
/* AP stack area: AP i (1 .. SHIM_ABI_MAX_VCPUS-1) owns the 16 KiB slot at
 * AREA + (i-1) * SLOT = guard page | 8 KiB stack | 4 KiB IST1 stack (ap.h). */
#define SHIM_ABI_MAX_VCPUS 128
#define SHIM_ABI_AP_AREA 0x600000
#define SHIM_ABI_AP_AREA_END 0x800000
#define SHIM_ABI_AP_SLOT_SIZE 0x4000
#define SHIM_ABI_AP_STACK_SIZE 0x2000
#define SHIM_ABI_AP_IST_SIZE 0x1000

/* ---- The TDX module's initial vCPU state (Intel TDX Module ABI spec, TDH.VP.INIT) ----------- */
#define SHIM_ABI_EFER_TD_INIT 0x901      /* SCE | LME | NXE, as the module sets IA32_EFER */
#define SHIM_ABI_TD_HOB_DEFAULT 0x800000 /* TD_HOB section of tdshim-image's default layout */

#endif
