/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * MADT ("APIC") builder with the ACPI Multiprocessor Wakeup structure (type 0x10; ACPI 6.4+
 * 5.2.12.19; td-shim td-shim/src/bin/td-shim/acpi.rs). Output goes to a caller buffer; nothing is
 * written unless the whole table fits (reserve, then write).
 */
#ifndef TDSHIM_MADT_H
#define TDSHIM_MADT_H

/*
 * Thread safety: no state; the functions read their inputs and write only the caller's output
 * buffer, so they may run from any thread on distinct buffers.
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ACPI SDT header (36) + Local Interrupt Controller Address (4) + Flags (4). */
#define MADT_HEADER_SIZE 44u
#define MADT_OFF_LENGTH 4u
#define MADT_OFF_REVISION 8u
#define MADT_OFF_CHECKSUM 9u
#define MADT_OFF_LAPIC_ADDR 36u
#define MADT_OFF_FLAGS 40u
#define MADT_REVISION 5u /* ACPI 6.4: first revision with the MP Wakeup structure */
#define MADT_LAPIC_ADDR 0xFEE00000u
#define MADT_FLAG_PCAT_COMPAT 1u

#define MADT_TYPE_LAPIC 0x00u
#define MADT_TYPE_X2APIC 0x09u
#define MADT_TYPE_MP_WAKEUP 0x10u
#define MADT_LAPIC_SIZE 8u      /* u8 type, u8 len, u8 uid, u8 apic id, u32 flags */
#define MADT_X2APIC_SIZE 16u    /* u8, u8, u16 rsvd, u32 x2apic id, u32 flags, u32 uid */
#define MADT_WAKEUP_V0_SIZE 16u /* u8, u8, u16 version, u32 rsvd, u64 mailbox */
#define MADT_WAKEUP_V1_SIZE 24u /* + u64 reset vector (ACPI 6.6) */
#define MADT_LAPIC_ENABLED 1u

/* Largest MADT we build or accept: the ACPI length field is u32 but a firmware table is small. */
#define MADT_MAX_SIZE 0x1000000u /* 16 MiB */

/* What the Multiprocessor Wakeup structure says. */
typedef struct madt_wakeup {
    uint16_t version;      /* 0 (16 bytes) or 1 (24 bytes, with reset_vector) */
    uint64_t mailbox_addr; /* 4 KiB-aligned physical address of the mbox_os_mailbox */
    uint64_t reset_vector; /* version 1: physical address of the blob's reset entry */
} madt_wakeup;

/* Header identity written into a default MADT (td-shim uses "INTEL " / "SHIM    " / "SHIM"). */
typedef struct madt_ids {
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    char creator_id[4];
    uint32_t creator_revision;
} madt_ids;

/* Default identity: "TDSHIM", "TDSHMADT", 1, "TDSH", 1. */
madt_ids mbox_madt_default_ids(void);

/* Entry choice for mbox_madt_build_default. */
#define MADT_BUILD_FORCE_X2APIC 1u /* x2APIC entries for every CPU */

/*
 * Build a default MADT: header (ids, revision 5, LAPIC 0xFEE00000, PCAT_COMPAT), one entry per
 * CPU i with ACPI processor UID i and APIC ID apic_ids[i] - a Local APIC entry (type 0) when
 * both the UID and the APIC ID are < 255, else an x2APIC entry (type 9), so any count up to
 * UINT32_MAX works - then the wakeup structure. *out_len gets the table length.
 * Errors: n_cpus 0 or NULL pointers (INVALID_ARG), a bad wakeup (see mbox_madt_check_wakeup), too
 * big for out or MADT_MAX_SIZE (NO_SPACE). Flags: MADT_BUILD_FORCE_X2APIC.
 */
TDS_MUST_USE tds_status mbox_madt_build_default(tds_mut_bytes out, const madt_ids *ids,
                                                const uint32_t *apic_ids, uint32_t n_cpus,
                                                uint32_t flags, const madt_wakeup *wk,
                                                size_t *out_len);

/*
 * Copy the VMM's MADT (untrusted) to out and append the wakeup structure. The input is validated
 * first: signature "APIC", header length field >= 44 and <= vmm.len and <= MADT_MAX_SIZE (bytes
 * past it are ignored), every sub-structure length >= 2 and inside the table (MALFORMED /
 * TRUNCATED). Any wakeup structure the VMM put there is dropped: the OS must only see ours. The
 * VMM's checksum is not trusted; length and checksum are recomputed.
 */
TDS_MUST_USE tds_status mbox_madt_append_wakeup(tds_mut_bytes out, tds_bytes vmm,
                                                const madt_wakeup *wk, size_t *out_len);

/* Validate a wakeup description: version 0 or 1 (UNSUPPORTED), mailbox 4 KiB-aligned and not 0
 * (ALIGNMENT / INVALID_ARG). */
TDS_MUST_USE tds_status mbox_madt_check_wakeup(const madt_wakeup *wk);

/* ACPI checksum: the byte that makes the table sum to 0 (mod 256) when stored at offset 9. */
uint8_t mbox_madt_checksum(tds_bytes table);

#ifdef __cplusplus
}
#endif

#endif
