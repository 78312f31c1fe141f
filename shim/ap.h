/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The APs of a TD (docs/shim.md "Boot flow"). The TDX module starts every vCPU at the reset vector
 * with its vCPU index; the APs count themselves into the early mailbox (boot.h, a page of the BFV)
 * and wait there. The BSP, once it owns TempMem, releases them into long mode and libmailbox's
 * parking loop on their own stacks.
 */
#ifndef TDSHIM_SHIM_AP_H
#define TDSHIM_SHIM_AP_H

#include <stdint.h>

#include "abi.h"
#include "tdshim/mailbox_fw.h"
#include "tdshim/status.h"

/*
 * vCPUs the shim supports (abi.h, shared with entry64.nasm): mailbox slots, per-AP GDT/TSS in
 * .bss and one 16 KiB AP stack slot each in the AP stack area [SHIM_AP_AREA, SHIM_AP_AREA_END)
 * of TempMem (VMM-added memory, written by each AP before it reads it). AP i
 * (1 .. SHIM_MAX_VCPUS-1) owns [SHIM_AP_AREA + (i-1)*16K, +16K): a guard page (not present), its
 * 8 KiB stack (RSP starts at the top) and a 4 KiB IST1 exception stack above it, so a stack
 * overflow on an AP is reported, not a triple fault. Only the slots of the vCPUs present get a
 * guard page mapped; the rest of the area stays as it was.
 */
#define SHIM_MAX_VCPUS ((uint32_t)SHIM_ABI_MAX_VCPUS)
#define SHIM_AP_AREA ((uint64_t)SHIM_ABI_AP_AREA)
#define SHIM_AP_AREA_END ((uint64_t)SHIM_ABI_AP_AREA_END)
#define SHIM_AP_SLOT_SIZE ((uint32_t)SHIM_ABI_AP_SLOT_SIZE)
#define SHIM_AP_STACK_SIZE ((uint32_t)SHIM_ABI_AP_STACK_SIZE)
#define SHIM_AP_IST_SIZE ((uint32_t)SHIM_ABI_AP_IST_SIZE)
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

/* AP C entry (entry64.nasm, on its own stack): park in the mailbox loop until EXIT, then enter
 * the OS mailbox loop (docs/handoff.md §7); never returns. */
TDS_NORETURN void shim_ap_main(uint32_t index);

#endif
