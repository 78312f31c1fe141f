/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The hand-off to an executable payload (docs/handoff.md, the contract): find the payload section
 * of the shim's own image, measure it into RTMR1, load it (ELF64 / PE32+, libloader) at
 * SHIM_PAYLOAD_BASE, close the firmware's measurements with the separators, build the E820 map,
 * the MADT (MP wakeup v1), the CCEL table and the payload HOB, move every AP into the ACPI OS
 * mailbox, and jump. Every failure on the way is fatal (a named line on the console).
 */
#ifndef TDSHIM_SHIM_HANDOFF_H
#define TDSHIM_SHIM_HANDOFF_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/ccel.h"
#include "tdshim/mailbox_fw.h"
#include "tdshim/tdvf.h"

#define SHIM_PAYLOAD_BASE ((uint64_t)0x1000000u) /* docs/handoff.md §2 */
#define SHIM_PAYLOAD_MAX ((uint64_t)0x2000000u)  /* the payload region is at most 32 MiB */
#define SHIM_ACPI_AREA_SIZE 0x10000u             /* payload HOB with the MADT and CCEL tables */

typedef struct shim_handoff_in {
    const tdvf_meta *meta; /* the shim's own metadata, already checked (tdvf_check_layout) */
    uint64_t image_size;
    mbox_fw *fw;          /* parked APs (NULL with one vCPU) */
    uint32_t cpus;        /* vCPUs, the BSP included */
    uint32_t gpaw;        /* 48 or 52 */
    uint32_t bsp_apic_id; /* the BSP's x2APIC ID */
} shim_handoff_in;

/*
 * Hand off to the payload of the image. Returns only if the image has no payload section (the
 * caller then ends the boot as before); otherwise it enters the payload or ends in the fatal
 * path. Needs the TD HOB taken (hob.h) and acceptance done (shim_accept.h).
 */
void shim_handoff(const shim_handoff_in *in);

/* ---- Building blocks the Linux boot (linux.c) shares ---- */

struct shim_e820;
/* The TD's memory map for the OS (§4): the validated TD HOB's map as E820, what the acceptance
 * policy left as type 8, the shim's RAM image and the present APs' stack slots reserved, the
 * event log, the OS mailbox and the AP-loop blob as NVS, the ACPI area as ACPI. Fatal on error. */
void shim_handoff_memory_map(struct shim_e820 *m, const shim_handoff_in *in);

/* The MADT (§6): one entry per vCPU, BSP first, with the MP wakeup structure version 1 (the OS
 * mailbox and the AP loop's ResetVector). In the shim's own buffer. Fatal on error. */
tds_bytes shim_handoff_madt(const shim_handoff_in *in);

/* Is [base, base + len) inside RAM the validated TD HOB reports as added by the VMM (accepted
 * private RAM, §1)? false without a HOB or for a wrapping range. */
bool shim_handoff_hob_added_ram(uint64_t base, uint64_t len);

/* The CCEL table (§6) for the event-log area. Fatal on error. */
void shim_handoff_ccel(uint8_t out[CCEL_ACPI_SIZE]);

/* Install the OS mailbox and libmailbox's AP loop and move every AP there (§7). Fatal on error. */
void shim_handoff_move_aps(const shim_handoff_in *in);

/* The OS mailbox (MP wakeup MailBoxAddress) and the version-1 ResetVector of the AP loop. */
uint64_t shim_handoff_os_mailbox(void);
uint64_t shim_handoff_os_reset_vector(void);

/* Where the payload returns to (entry64.nasm): the fatal path. */
TDS_NORETURN void shim_payload_returned(void);

/*
 * entry64.nasm: cli, cld, RSP = stack_top (16-byte aligned), GPRs cleared, then call entry with
 * (hob, base) in RDI, RSI (ms_abi = 0, System V) or RCX, RDX and 32 bytes of shadow space
 * (ms_abi = 1, Microsoft x64). If the payload returns: shim_payload_returned.
 */
TDS_NORETURN void shim_enter_payload(uint64_t entry, uint64_t hob, uint64_t base,
                                     uint64_t stack_top, uint32_t ms_abi);

#endif
