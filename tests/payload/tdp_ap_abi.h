/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Layout shared by the C side (tdp_ap.c) and the wake-up vectors (ap_vectors.S): numbers only,
 * so the assembly can include it; tdp_ap.h locks the C struct to them.
 */
#ifndef TDP_AP_ABI_H
#define TDP_AP_ABI_H

#include "tdshim/mailbox_abi.h"

/* Per-AP record, written by the AP's vectors (no stack), read by the BSP. */
#define TDP_AP_SLOT_RAX1 0   /* u64: RAX at vector 1 (must be the vector) */
#define TDP_AP_SLOT_RDI1 8   /* u64: RDI at vector 1 (must be the mailbox) */
#define TDP_AP_SLOT_APIC1 16 /* u32: ESI at vector 1 (must be the AP's APIC ID) */
#define TDP_AP_SLOT_DONE1 20 /* u32: incremented (lock) after the three above */
#define TDP_AP_SLOT_RAX2 24  /* the same for vector 2 */
#define TDP_AP_SLOT_RDI2 32
#define TDP_AP_SLOT_APIC2 40
#define TDP_AP_SLOT_DONE2 44
#define TDP_AP_SLOT_RESET 48   /* u64, BSP writes: where vector 1 jumps (the MADT ResetVector) */
#define TDP_AP_SLOT_RELEASE 56 /* u32, BSP writes: vector 2's park loop returns (host tests) */
#define TDP_AP_SLOT_SIZE 64

/* The BSP passes the slot's address to the AP it wakes in the first 8 bytes of the mailbox's
 * OS area (ACPI: the OS owns it); the AP reads it before its record. */
#define TDP_AP_MAILBOX_SLOT_PTR MBOX_OS_OFF_OS_AREA

#endif /* TDP_AP_ABI_H */
