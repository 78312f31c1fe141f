/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * librtmr: SHA-384 measurement, RTMR extend through an injected op, and the CC measurement-register
 * (MR) index table. The event log (writer, reader, replay) and the CCEL ACPI table are in
 * tdshim/ccel.h; the event helpers in tdshim/ccel_events.h. Contract: docs/librtmr.md.
 *
 * Facts: tdx-abi.md 1.3 (TDG.MR.RTMR.EXTEND), 9.3 (MR index mapping), 9.4 (extend semantics).
 */
#ifndef TDSHIM_RTMR_H
#define TDSHIM_RTMR_H

#include <mbedtls/sha512.h>

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define RTMR_API_VERSION 1u

uint32_t rtmr_api_version(void);

/* ---- SHA-384 (mbedTLS SHA-512 family in 384-bit mode) --------------------------------------- */

#define RTMR_SHA384_SIZE 48u
#define RTMR_COUNT 4u /* RTMR[0..3] */

typedef struct rtmr_digest {
    uint8_t b[RTMR_SHA384_SIZE];
} rtmr_digest;

/*
 * Streaming SHA-384. Caller-owned; init -> update* -> final. A context that saw an error (or was
 * finalised) reports TDS_ERR_STATE until rtmr_sha384_init() is called again (habit 11).
 */
typedef struct rtmr_sha384_ctx {
    mbedtls_sha512_context mbed;
    tds_status error; /* sticky */
    bool started;
} rtmr_sha384_ctx;

TDS_MUST_USE tds_status rtmr_sha384_init(rtmr_sha384_ctx *ctx);
TDS_MUST_USE tds_status rtmr_sha384_update(rtmr_sha384_ctx *ctx, tds_bytes data);
/* Writes *out only on success; the context is then spent (TDS_ERR_STATE until re-init). */
TDS_MUST_USE tds_status rtmr_sha384_final(rtmr_sha384_ctx *ctx, rtmr_digest *out);
/* One-shot. */
TDS_MUST_USE tds_status rtmr_sha384(tds_bytes data, rtmr_digest *out);

/* ---- Extend (TDG.MR.RTMR.EXTEND, tdx-abi.md 1.3) -------------------------------------------- */

/*
 * The 48-byte extension data, in a 64-byte-aligned, 64-byte buffer: the TDX module rejects a GPA
 * that is not 64-byte aligned (TDX_OPERAND_INVALID, RCX). Bytes 48..63 are zero.
 */
typedef struct rtmr_extend_buf {
    TDS_ALIGNED(64) uint8_t digest[RTMR_SHA384_SIZE];
    uint8_t pad[16];
} rtmr_extend_buf;
TDS_ASSERT_SIZE(rtmr_extend_buf, 64);
TDS_ASSERT_ALIGN(rtmr_extend_buf, 64);
TDS_ASSERT_OFFSET(rtmr_extend_buf, digest, 0);

/*
 * The injected extend operation. extend() MUST extend RTMR[rtmr] (0..3, the TDX register index,
 * not the MR index) with buf->digest and return TDS_OK, or return an error having extended
 * nothing. Retrying TDX_OPERAND_BUSY is the op's job. The shim wires libtdcall's
 * tdcall_mr_rtmr_extend; tests wire the TDX-module emulator or a software model.
 */
typedef struct rtmr_extend_ops {
    void *ctx;
    tds_status (*extend)(void *ctx, uint32_t rtmr, const rtmr_extend_buf *buf);
} rtmr_extend_ops;

/* Extend RTMR[rtmr] through ops with digest (copied into an aligned rtmr_extend_buf first). */
TDS_MUST_USE tds_status rtmr_extend(const rtmr_extend_ops *ops, uint32_t rtmr,
                                    const rtmr_digest *digest);

/* Software model of the four registers: what a verifier replays (tdx-abi.md 9.4). */
typedef struct rtmr_bank {
    rtmr_digest r[RTMR_COUNT];
} rtmr_bank;

/* All four registers to 48 zero bytes (their value at TD start). */
void rtmr_bank_reset(rtmr_bank *bank);
/* bank->r[rtmr] = SHA-384(bank->r[rtmr] || digest). */
TDS_MUST_USE tds_status rtmr_bank_extend(rtmr_bank *bank, uint32_t rtmr, const rtmr_digest *digest);
/* An rtmr_extend_ops whose op extends *bank (a host-side model of the TDX module). */
rtmr_extend_ops rtmr_bank_ops(rtmr_bank *bank);

/* ---- MR index table (tdx-abi.md 9.3) --------------------------------------------------------- */

/* CC MR indexes as used in the event log's MrIndex field. */
enum {
    RTMR_MR_MRTD = 0,
    RTMR_MR_RTMR0 = 1,
    RTMR_MR_RTMR1 = 2,
    RTMR_MR_RTMR2 = 3,
    RTMR_MR_RTMR3 = 4,
    RTMR_MR_COUNT = 5
};

#define RTMR_PCR_COUNT 16u /* TPM PCRs 0..15 have an MR; higher PCRs are invalid */

typedef struct rtmr_mr_info {
    const char *name;  /* "MRTD", "RTMR0", ... */
    uint32_t mr_index; /* 0..4 */
    uint32_t rtmr;     /* TDX RTMR register index (mr_index - 1); meaningless for MRTD */
    uint32_t pcr_mask; /* bit p set: TPM PCR p maps to this MR */
    bool extendable;   /* false for MRTD: fixed at build time, never extended at runtime */
} rtmr_mr_info;

/* The one table: row i describes MR index i. Returns NULL for mr_index >= RTMR_MR_COUNT. */
const rtmr_mr_info *rtmr_mr_lookup(uint32_t mr_index);
/* TPM PCR -> MR index (0..15 only; others TDS_ERR_INVALID_ARG). */
TDS_MUST_USE tds_status rtmr_mr_from_pcr(uint32_t pcr, uint32_t *mr_index);
/* MR index 1..4 -> RTMR register 0..3; MRTD and out-of-range indexes are TDS_ERR_INVALID_ARG. */
TDS_MUST_USE tds_status rtmr_mr_to_rtmr(uint32_t mr_index, uint32_t *rtmr);

#endif
