/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The confidential-computing event log (TCG2 crypto-agile format, SHA-384 only, PCR field read as
 * CC MR index) and the CCEL ACPI table. Part of librtmr; contract: docs/librtmr.md.
 *
 * Facts: ACPI 6.5 (the CCEL table); the TCG PC Client Platform Firmware Profile (log format,
 * replay, event types); td-shim cc-measurement and td-shim/src/event_log.rs (what td-shim writes).
 *
 * Writer: the caller owns the log buffer; ccel_log_* only write inside it. Every measured event
 * goes reserve -> extend -> commit (safe-C rule 10, docs/safe-c.md): an event that does not fit is
 * refused with TDS_ERR_NO_SPACE before anything is extended, so the log always replays to the
 * registers.
 *
 * Reader: ccel_parse() validates untrusted bytes once and yields a ccel_view; the iterator and the
 * replay take only that view (safe-C rule 8, docs/safe-c.md).
 */
#ifndef TDSHIM_CCEL_H
#define TDSHIM_CCEL_H

/*
 * Thread safety: a ccel_log is state of one writer: every ccel_log_* call on one log (and the
 * extend op it calls) from one thread at a time. ccel_parse writes only its outputs; a ccel_view
 * may be read (iterators, replay, verify, diff) from any number of threads while its bytes do not
 * change; each ccel_iter is one thread's. The CCEL table functions read and write only their
 * arguments.
 */

#include "tdshim/base.h"
#include "tdshim/rtmr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Wire format ----------------------------------------------------------------------------- */

#define CCEL_EV_PREBOOT_CERT 0x00000000u
#define CCEL_EV_POST_CODE 0x00000001u
#define CCEL_EV_NO_ACTION 0x00000003u
#define CCEL_EV_SEPARATOR 0x00000004u
#define CCEL_EV_ACTION 0x00000005u
#define CCEL_EV_EVENT_TAG 0x00000006u
#define CCEL_EV_PLATFORM_CONFIG_FLAGS 0x0000000Au
#define CCEL_EV_IPL 0x0000000Du
#define CCEL_EV_EFI_EVENT_BASE 0x80000000u
#define CCEL_EV_EFI_BOOT_SERVICES_APPLICATION 0x80000003u
#define CCEL_EV_EFI_ACTION 0x80000007u
#define CCEL_EV_EFI_PLATFORM_FIRMWARE_BLOB2 0x8000000Au
#define CCEL_EV_EFI_HANDOFF_TABLES2 0x8000000Bu

#define CCEL_ALG_SHA384 0x000Cu

/* First entry: TCG_PCR_EVENT (SHA-1 style) header. */
#define CCEL_PCR_EVENT_HDR_SIZE 32u
/* TCG_EfiSpecIDEvent with one algorithm, before vendorInfo: 16+4+4*1+4+4+1. */
#define CCEL_SPEC_ID_FIXED_SIZE 33u
#define CCEL_SPEC_ID_SIGNATURE "Spec ID Event03" /* + NUL = 16 bytes */
/* CC_EVENT header with one SHA-384 digest: MrIndex, EventType, count, alg, digest, EventSize. */
#define CCEL_EVENT_HDR_SIZE 66u

/* td-shim's Spec ID vendorInfo (cc-measurement); OVMF writes none. */
#define CCEL_VENDOR_INFO_TDSHIM "td-shim"

/* ---- Writer ---------------------------------------------------------------------------------- */

/* Byte the unused part of the log area is filled with (OVMF SetupCcEventLog does the same). */
#define CCEL_LOG_FILL 0xFFu

typedef struct ccel_log {
    tds_mut_bytes area;   /* caller-owned log area */
    size_t used;          /* committed bytes: [0, used) always parses and replays */
    size_t pending;       /* size of the open reservation (0 = none) */
    uint32_t event_count; /* committed CC events after the Spec ID event (as ccel_view) */
    tds_status error;     /* sticky: set when the registers may no longer match the log */
} ccel_log;

/*
 * Start a log in area: fills it with CCEL_LOG_FILL and writes the Spec ID event (index 0, spec
 * 2.0 errata 105, uintnSize 2, one algorithm SHA-384/48, vendor_info of at most 255 bytes).
 * TDS_ERR_NO_SPACE if even that does not fit (log untouched).
 */
TDS_MUST_USE tds_status ccel_log_init(ccel_log *log, tds_mut_bytes area, tds_bytes vendor_info);

/* The committed log bytes (what a reader gets). */
tds_bytes ccel_log_bytes(const ccel_log *log);

/* Total size of one CC event with data_len bytes of event data (overflow-checked). */
TDS_MUST_USE tds_status ccel_event_size(size_t data_len, size_t *out);

/*
 * Low-level three-step API. reserve: checks that an event with data_len bytes of data fits and
 * holds the space (one reservation at a time). commit: writes the event into the reserved space
 * and makes it part of the log. cancel: drops the reservation. Use reserve -> extend -> commit;
 * ccel_log_measure() below does exactly that.
 */
typedef struct ccel_reservation {
    size_t offset;
    size_t data_len;
} ccel_reservation;

TDS_MUST_USE tds_status ccel_log_reserve(ccel_log *log, size_t data_len, ccel_reservation *r);
/* data is given as parts that are concatenated (total length MUST equal r->data_len). */
TDS_MUST_USE tds_status ccel_log_commit(ccel_log *log, const ccel_reservation *r,
                                        rtmr_mr_index mr_index, uint32_t event_type,
                                        const rtmr_digest *digest, const tds_bytes *parts,
                                        size_t nparts);
void ccel_log_cancel(ccel_log *log, const ccel_reservation *r);

/*
 * Record one measured event: reserve, extend RTMR[mr_index-1] with digest through ops, commit.
 * mr_index MUST be 1..4. On TDS_ERR_NO_SPACE nothing was extended and nothing logged. If the
 * extend op fails, nothing is logged and the log's sticky error is set (the TD's registers can
 * no longer be assumed to match). Event data = concatenation of parts.
 */
TDS_MUST_USE tds_status ccel_log_measure(ccel_log *log, const rtmr_extend_ops *ops,
                                         rtmr_mr_index mr_index, uint32_t event_type,
                                         const rtmr_digest *digest, const tds_bytes *parts,
                                         size_t nparts);

/* Same, with digest = SHA-384(measured). */
TDS_MUST_USE tds_status ccel_log_hash_measure(ccel_log *log, const rtmr_extend_ops *ops,
                                              rtmr_mr_index mr_index, uint32_t event_type,
                                              tds_bytes measured, const tds_bytes *parts,
                                              size_t nparts);

/* An EV_NO_ACTION event (zero digest, never extended), e.g. an SP800-155 event; mr_index 0..4. */
TDS_MUST_USE tds_status ccel_log_no_action(ccel_log *log, rtmr_mr_index mr_index, tds_bytes data);

/* ---- Reader ---------------------------------------------------------------------------------- */

/* Parse flags. */
#define CCEL_PARSE_EXACT 0u /* the bytes end exactly after the last event */
#define CCEL_PARSE_AREA 1u  /* a log area: after the last event only 0xFF.. or 0x00.. padding */

/* Upper bound on numberOfAlgorithms we even try to walk (TCG defines far fewer). */
#define CCEL_MAX_ALGORITHMS 16u

typedef struct ccel_spec_id {
    uint32_t header_index; /* index field of the first entry (0 td-shim, 1 OVMF); not used */
    uint32_t platform_class;
    uint8_t spec_version_minor;
    uint8_t spec_version_major;
    uint8_t spec_errata;
    uint8_t uintn_size;
    tds_bytes vendor_info;
} ccel_spec_id;

/* Checked view of a validated log (borrows the bytes; valid while they are unchanged). */
typedef struct ccel_view {
    tds_bytes log;        /* the whole input */
    size_t events_start;  /* offset of the first CC event */
    size_t events_end;    /* end of the last CC event (== log.len in EXACT mode) */
    uint32_t event_count; /* CC events after the Spec ID event: event_no runs 1..event_count */
    ccel_spec_id spec;
} ccel_view;

/* Where and why parsing failed. */
typedef struct ccel_parse_error {
    tds_status status;
    size_t offset;      /* byte offset of the offending field */
    uint32_t event_no;  /* 0 = Spec ID event, 1.. = CC events */
    const char *reason; /* short static text */
} ccel_parse_error;

/* Validate untrusted log bytes (every check is listed in docs/librtmr.md). err may be NULL. */
TDS_MUST_USE tds_status ccel_parse(tds_bytes log, uint32_t flags, ccel_view *out,
                                   ccel_parse_error *err);

typedef struct ccel_event {
    uint32_t event_no; /* 1.. in log order */
    size_t offset;     /* offset of the event header in the log */
    uint32_t mr_index; /* the wire MrIndex as logged (any value ccel_parse accepts); RTMR_MR() it */
    uint32_t event_type;
    rtmr_digest digest;
    tds_bytes data;
} ccel_event;

typedef struct ccel_iter {
    const ccel_view *view;
    size_t pos;
    uint32_t next_no;
} ccel_iter;

ccel_iter ccel_iter_make(const ccel_view *view);
/* Next CC event; TDS_ERR_NOT_FOUND after the last one. */
TDS_MUST_USE tds_status ccel_iter_next(ccel_iter *it, ccel_event *ev);

/* ---- Replay and verify ----------------------------------------------------------------------- */
/* Source: the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND; TCG PFP log replay. */

/* Fold every non-EV_NO_ACTION event with MR 1..4 into a zeroed bank. */
TDS_MUST_USE tds_status ccel_replay(const ccel_view *view, rtmr_bank *out);

typedef enum ccel_divergence {
    CCEL_DIVERGE_NONE = 0, /* all four registers match */
    CCEL_DIVERGE_EXTRA,    /* expected == the register after event k: events after k diverge */
    CCEL_DIVERGE_UNKNOWN   /* no prefix of the log reproduces the expected value */
} ccel_divergence;

typedef struct ccel_verify_result {
    rtmr_bank replayed;
    bool match[RTMR_COUNT];
    ccel_divergence kind; /* for the mismatch reported below */
    uint32_t rtmr;        /* register of the reported mismatch */
    uint32_t first_event; /* first diverging event number (0 = none / after the last event) */
    size_t first_offset;  /* its byte offset in the log */
} ccel_verify_result;

/*
 * Replay and compare with expected (e.g. TDREPORT RTMR0..3). TDS_OK when all match,
 * TDS_ERR_MISMATCH otherwise, with res saying which event first diverges: for each mismatching
 * register, if the expected value equals the register's value after some earlier event k, the
 * next event into that register after k is where the log diverges (EXTRA, exact); otherwise the
 * first event into that register is reported (UNKNOWN: the digests alone cannot place the
 * divergence; compare with a reference log via ccel_diff for an exact answer). Of the
 * mismatching registers, the one whose reported event comes first in the log is reported.
 */
TDS_MUST_USE tds_status ccel_verify(const ccel_view *view, const rtmr_bank *expected,
                                    ccel_verify_result *res);

/*
 * First event (1-based) where two logs differ in MR index, type, digest or data; 0 with
 * TDS_OK when they are equal. TDS_ERR_MISMATCH when they differ (*first set).
 */
TDS_MUST_USE tds_status ccel_diff(const ccel_view *a, const ccel_view *b, uint32_t *first);

/* ---- CCEL ACPI table ------------------------------------------------------------------------- */
/* Source: ACPI 6.5 CCEL table; td-shim doc/tdshim_spec.md. */

#define CCEL_ACPI_SIZE 56u
#define CCEL_ACPI_REVISION 1u
#define CCEL_CC_TYPE_TDX 2u

typedef struct ccel_acpi {
    uint8_t oem_id[6];
    uint8_t oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
    uint8_t cc_type;
    uint8_t cc_subtype;
    uint64_t laml; /* log area minimum length */
    uint64_t lasa; /* log area start address */
} ccel_acpi;

/* Write the 56-byte table (signature, length, revision 1, checksum) into out[0..56). */
TDS_MUST_USE tds_status ccel_acpi_build(const ccel_acpi *t, tds_mut_bytes out);
/* Why ccel_acpi_parse refused a table: the rule broken (a static string naming the field) and the
 * byte offset of that field in the table. Cleared (what = "", offset 0) on success. */
typedef struct ccel_acpi_error {
    const char *what;
    uint32_t offset;
} ccel_acpi_error;

/* Validate an untrusted CCEL table: signature, length 56, revision 1, checksum, reserved 0, LAML
 * non-zero, and LASA+LAML not wrapping. *out is written only on success; err (may be NULL) says
 * which rule failed: "Signature is not 'CCEL'" (offset 0), "Length is not 56" (4), "Revision is
 * not 1" (8), "Checksum does not make the table sum to 0" (9), "Reserved bytes are not zero"
 * (38), "LAML (log area minimum length) is 0" (40), "LASA + LAML wraps past 2^64" (48,
 * TDS_ERR_OVERFLOW), or "table shorter than 56 bytes" (at the input's end, TDS_ERR_TRUNCATED). */
TDS_MUST_USE tds_status ccel_acpi_parse(tds_bytes in, ccel_acpi *out, ccel_acpi_error *err);

#ifdef __cplusplus
}
#endif

#endif
