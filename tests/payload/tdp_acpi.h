/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * ACPI tables the shim hands over in the payload HOB (docs/handoff.md §5 item 6, §6): finding a
 * table by signature, its checksum, and a validating walk of the MADT (ACPI 6.5 5.2.12; the
 * Multiprocessor Wakeup structure version 1 of ACPI 6.6, 24 bytes). The bytes are untrusted
 * input to these functions (fuzzed: fuzz_tdp_madt); nothing is cast onto them.
 */
#ifndef TDP_ACPI_H
#define TDP_ACPI_H

#include "tdp_line.h"
#include "tdshim/base.h"
#include "tdshim/tdhob.h"

#define TDP_ACPI_HDR_SIZE 36u
#define TDP_MADT_MAX_CPUS 256u

/* The byte sum of the whole table is 0 mod 256: TDS_OK, else TDS_ERR_MISMATCH. */
TDS_MUST_USE tds_status tdp_acpi_checksum(tds_bytes table);

/*
 * The one ACPI table GUID HOB whose signature is `sig` (4 characters). Checks: the header's
 * Length equals the bytes the HOB gives (MALFORMED), the checksum (MISMATCH); absent: NOT_FOUND;
 * two tables with that signature: MALFORMED. *table is written on success only.
 */
TDS_MUST_USE tds_status tdp_acpi_find(const tdhob_view *v, const char *sig, tds_bytes *table);

typedef enum tdp_madt_reason {
    TDP_MADT_OK = 0,
    TDP_MADT_SHORT,          /* fewer than 44 bytes (TRUNCATED) */
    TDP_MADT_SIGNATURE,      /* not "APIC" (MALFORMED) */
    TDP_MADT_LENGTH,         /* header Length != the table's bytes (MALFORMED) */
    TDP_MADT_CHECKSUM,       /* sum != 0 (MISMATCH) */
    TDP_MADT_SUB_TRUNCATED,  /* sub-structure header or body past the end (TRUNCATED) */
    TDP_MADT_SUB_LENGTH,     /* sub-structure Length < 2 or wrong for its type (MALFORMED) */
    TDP_MADT_TOO_MANY_CPUS,  /* more enabled CPUs than TDP_MADT_MAX_CPUS (NO_SPACE) */
    TDP_MADT_DUPLICATE_APIC, /* an APIC ID listed twice (MALFORMED) */
    TDP_MADT_NO_CPUS,        /* no enabled Local APIC / x2APIC entry (NOT_FOUND) */
    TDP_MADT_WAKEUP_MISSING, /* no Multiprocessor Wakeup structure (NOT_FOUND) */
    TDP_MADT_WAKEUP_DUP,     /* two of them (MALFORMED) */
    TDP_MADT_WAKEUP_VERSION, /* version != 1 (UNSUPPORTED): the ResetVector is required */
    TDP_MADT_WAKEUP_MAILBOX, /* mailbox 0 (INVALID_ARG) or not 4 KiB aligned (ALIGNMENT) */
    TDP_MADT_WAKEUP_RESET,   /* ResetVector 0 (INVALID_ARG) */
} tdp_madt_reason;

const char *tdp_madt_reason_str(tdp_madt_reason r);

typedef struct tdp_madt_error {
    tdp_madt_reason reason;
    size_t offset; /* byte offset of the offending field or sub-structure */
} tdp_madt_error;

typedef struct tdp_madt_cpu {
    uint32_t apic_id;
    uint32_t uid;
    uint8_t type; /* 0 Local APIC, 9 x2APIC */
} tdp_madt_cpu;

typedef struct tdp_madt {
    uint32_t cpu_count;
    tdp_madt_cpu cpus[TDP_MADT_MAX_CPUS]; /* in table order (BSP first by the shim's contract) */
    uint32_t disabled;                    /* entries without the Enabled flag (not listed) */
    uint16_t wakeup_version;
    uint64_t mailbox;
    uint64_t reset_vector;
} tdp_madt;

/* Validate and decode a MADT. On failure *out is untouched and *err (optional) says why. */
TDS_MUST_USE tds_status tdp_madt_parse(tds_bytes table, tdp_madt *out, tdp_madt_error *err);

/* Print "madt ..." and one "cpu ..." line per CPU. */
void tdp_madt_print(const struct tdp_sink *sink, const tdp_madt *m);

#endif /* TDP_ACPI_H */
