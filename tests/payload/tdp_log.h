/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Checks of the CC event log the shim hands over (docs/handoff.md §3, §6): the CCEL ACPI table,
 * the log area parsed by librtmr (area mode), the event order of the contract, the replay
 * compared with the RTMRs of a TDREPORT, and a bounded hex dump of the log so that a harness can
 * rebuild the file (tests/payload/check-boot.sh). Pure: bytes in, lines out.
 */
#ifndef TDP_LOG_H
#define TDP_LOG_H

#include "tdp_line.h"
#include "tdshim/base.h"
#include "tdshim/ccel.h"
#include "tdshim/tdhob.h"

#define TDP_LOG_AREA_SIZE (192u << 10) /* docs/handoff.md §3: LAML = 192 KiB */
#define TDP_LOG_DUMP_LINE 64u          /* bytes per "log" line */

/* The CCEL table: ccel_acpi_parse (signature, length, revision, checksum, reserved, LAML, wrap),
 * CC type 2 and subtype 0 (UNSUPPORTED), LAML = 192 KiB (MISMATCH), [LASA, LASA + LAML) inside
 * one E820 NVS (type 4) entry (OUT_OF_BOUNDS). Prints one "ccel" line. */
TDS_MUST_USE tds_status tdp_ccel_table_check(const struct tdp_sink *sink, tds_bytes table,
                                             const tdhob_e820_entry *e820, size_t n,
                                             ccel_acpi *out);

/* The events the contract lists, in order: (MR 1, EV_PLATFORM_CONFIG_FLAGS), (MR 2,
 * EV_EFI_PLATFORM_FIRMWARE_BLOB2), (MR 1, EV_SEPARATOR), (MR 2, EV_SEPARATOR); the separators
 * carry u32 0. Under secure boot (seven events) three more after the first: (MR 1, CONFIG_FLAGS)
 * secure_policy_db, (MR 1, CONFIG_FLAGS) secure_authority, (MR 2, CONFIG_FLAGS) td_payload_svn.
 * TDS_OK or TDS_ERR_MISMATCH (*bad = first wrong event number, 0 for a wrong count). */
TDS_MUST_USE tds_status tdp_log_order_check(const ccel_view *view, uint32_t *bad);

typedef struct tdp_log_result {
    size_t used;     /* bytes of events (Spec ID event included) */
    uint32_t events; /* CC events */
    rtmr_bank replayed;
} tdp_log_result;

/*
 * Parse the log area (CCEL_PARSE_AREA), print every event ("event ..."), check the order, dump
 * at most dump_max bytes as "log <offset> <hex>" lines ("log end ..." closes the dump), replay
 * and compare with `tdreport` ("rtmr<i> <hex> replay=ok|MISMATCH"). Returns the first failure:
 * the parse status, MISMATCH for order or replay. *out is written when the log parsed.
 */
TDS_MUST_USE tds_status tdp_log_check(const struct tdp_sink *sink, tds_bytes area,
                                      const rtmr_bank *tdreport, size_t dump_max,
                                      tdp_log_result *out);

#endif /* TDP_LOG_H */
