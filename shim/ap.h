/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Plain-VM stand-in for what the TDX module does for free: start every AP at the shim's reset
 * code with its own vCPU index (INIT-SIPI-SIPI through the xAPIC, SIPI vector 0xFF = the legacy
 * alias of the reset page). The APs then take the same 32-bit TD entry path as in a TD and park.
 */
#ifndef TDSHIM_SHIM_AP_H
#define TDSHIM_SHIM_AP_H

#include <stdint.h>

#include "tdshim/mailbox_fw.h"
#include "tdshim/status.h"

/*
 * vCPUs the shim supports (entry64.nasm has the same numbers): mailbox slots, per-AP GDT/TSS in
 * .bss and one 16 KiB AP stack slot each in the AP stack area [SHIM_AP_AREA, SHIM_AP_AREA_END)
 * of TempMem (VMM-added memory; the emulator's page-state bytes end below it, tdxemu.h). AP i
 * (1 .. SHIM_MAX_VCPUS-1) owns [SHIM_AP_AREA + (i-1)*16K, +16K): a guard page (not present), its
 * 8 KiB stack (RSP starts at the top) and a 4 KiB IST1 exception stack above it, so a stack
 * overflow on an AP is reported, not a triple fault. Only the slots of the vCPUs present get a
 * guard page mapped; the rest of the area stays as it was.
 */
#define SHIM_MAX_VCPUS 128u
#define SHIM_AP_AREA 0x600000ull
#define SHIM_AP_AREA_END 0x800000ull
#define SHIM_AP_SLOT_SIZE 0x4000u
#define SHIM_AP_STACK_SIZE 0x2000u
#define SHIM_AP_IST_SIZE 0x1000u
_Static_assert((uint64_t)(SHIM_MAX_VCPUS - 1u) * SHIM_AP_SLOT_SIZE <=
                   SHIM_AP_AREA_END - SHIM_AP_AREA,
               "AP stack area too small for SHIM_MAX_VCPUS");
_Static_assert(0x1000u + SHIM_AP_STACK_SIZE + SHIM_AP_IST_SIZE == SHIM_AP_SLOT_SIZE,
               "AP slot = guard + stack + IST1");

/* Guard page of AP `index`'s stack slot (1 <= index < SHIM_MAX_VCPUS). */
static inline uint64_t shim_ap_guard(uint32_t index)
{
    return SHIM_AP_AREA + (uint64_t)(index - 1u) * SHIM_AP_SLOT_SIZE;
}

/* [0] = last vCPU index handed out by the AP 16-bit entry, [1] = APs that reached the 32-bit TD
 * entry, [2] = CR3 the BSP publishes to let them into long mode (reset.nasm; .noinit). */
extern volatile uint32_t shim_ap_counters[8];

/*
 * Send INIT-SIPI-SIPI to all other CPUs and wait (bounded) until `expected` APs have parked.
 * TDS_ERR_UNSUPPORTED in x2APIC mode, TDS_ERR_BUSY if the IPI never left or APs are missing
 * (arrived says how many came).
 */
TDS_MUST_USE tds_status shim_ap_start_all(uint32_t expected, uint32_t *arrived);

/* Wait (bounded) until `expected` APs have reached the 32-bit TD entry and parked there (a TD
 * starts them itself). TDS_ERR_BUSY if some never came; *arrived says how many did. */
TDS_MUST_USE tds_status shim_ap_wait_arrival(uint32_t expected, uint32_t *arrived);

/*
 * Let the APs (cpus - 1 of them, cpus <= SHIM_MAX_VCPUS) into long mode on the current page tables
 * and wait (bounded) until each has parked in libmailbox's firmware loop. *parked gets the count.
 * First the guard page of every present AP's stack slot is made not-present in the current
 * tables. Each AP loads its own GDT and TSS (IST1 = its IST page) before its IDT. On success the
 * returned mailbox context can dispatch work (mbox_fw_run).
 */
TDS_MUST_USE tds_status shim_ap_release(uint32_t cpus, uint32_t *parked, mbox_fw **fw);

/*
 * Test image only: make AP `ap` fault on purpose ("pf": read of unmapped 16 TiB; "overflow": push
 * into its stack's guard page). Does not return when the fault is reported (fatal path);
 * otherwise an error.
 */
TDS_MUST_USE tds_status shim_ap_fault_test(mbox_fw *fw, uint32_t ap, const char *what);

/* AP C entry (entry64.nasm, on its own stack): park in the mailbox loop until EXIT, then enter
 * the OS mailbox loop (docs/handoff.md §7); never returns. */
TDS_NORETURN void shim_ap_main(uint32_t index);

#endif
