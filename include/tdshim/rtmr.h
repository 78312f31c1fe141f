/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * librtmr: SHA-384 measurement, RTMR extend through an injected op, and the CC measurement-register
 * (MR) index table. The event log (writer, reader, replay) and the CCEL ACPI table are in
 * tdshim/ccel.h; the event helpers in tdshim/ccel_events.h. Contract: docs/librtmr.md.
 *
 * Facts: the Intel TDX Module ABI specification (TDG.MR.RTMR.EXTEND and its extend semantics);
 * UEFI 2.10 EFI_CC_MEASUREMENT_PROTOCOL (the MR index mapping).
 */
#ifndef TDSHIM_RTMR_H
#define TDSHIM_RTMR_H

/*
 * Thread safety: librtmr's only mutable globals are the SHA-384 dispatch state (atomic:
 * rtmr_sha384_cpu_detect and rtmr_sha384_impl_limit are thread-safe). A hash context, an rtmr_bank
 * and an extend op's context are state of one user: one thread at a time per object; different
 * objects concurrently. rtmr_sha384(), rtmr_mr_lookup/from_pcr/to_rtmr and the version are safe
 * from any thread. Two threads extending one real RTMR concurrently are serialized by the TDX
 * module (BUSY, retried by the op).
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library interface version; bumped on any incompatible change. */
#define RTMR_API_VERSION 3u

uint32_t rtmr_api_version(void);

/* ---- SHA-384 through a small hash interface ------------------------------------------------ */

#define RTMR_SHA384_SIZE 48u
#define RTMR_COUNT 4u /* RTMR[0..3] */

typedef struct rtmr_digest {
    uint8_t b[RTMR_SHA384_SIZE];
} rtmr_digest;

/*
 * The built-in backend's state (librtmr/sha384_builtin.c). Public only so that contexts can be
 * caller-owned; callers never touch it.
 */
typedef struct rtmr_sha512_state {
    uint64_t h[8]; /* chaining value, FIPS 180-4 6.4 */
    uint64_t n_lo; /* bytes hashed so far, 128-bit (n_hi:n_lo) */
    uint64_t n_hi;
    uint8_t buf[128]; /* a partial block */
    uint32_t used;    /* bytes in buf, 0..127 */
    uint32_t impl;    /* RTMR_SHA384_IMPL_* fixed at init */
} rtmr_sha512_state;

/* Room for any backend's state: 256 bytes, 8-byte aligned (docs/librtmr.md, "Plugging in"). */
#define RTMR_HASH_STATE_SIZE 256u
typedef union rtmr_hash_state {
    rtmr_sha512_state builtin;
    uint64_t u64[RTMR_HASH_STATE_SIZE / 8u];
    uint8_t bytes[RTMR_HASH_STATE_SIZE];
    void *ptr;
} rtmr_hash_state;
TDS_ASSERT_SIZE(rtmr_hash_state, RTMR_HASH_STATE_SIZE);

/*
 * A SHA-384 backend. init() starts a hash in *st (the caller's storage, zeroed before the call);
 * update() adds bytes (data may be NULL only when len is 0); final() writes the 48-byte digest.
 * Any status other than TDS_OK makes the context fail (sticky TDS_ERR_STATE afterwards, the
 * status itself returned once). After final() (either result) the state is never used again
 * and is wiped by librtmr. `arg` is the backend's own (configuration); librtmr never reads it.
 */
typedef struct rtmr_hash_ops {
    const char *name;
    const void *arg;
    tds_status (*init)(const struct rtmr_hash_ops *self, rtmr_hash_state *st);
    tds_status (*update)(rtmr_hash_state *st, const uint8_t *data, size_t len);
    tds_status (*final)(rtmr_hash_state *st, uint8_t out[RTMR_SHA384_SIZE]);
} rtmr_hash_ops;

/*
 * The backend rtmr_sha384_init(), rtmr_sha384() and every librtmr helper use. librtmr defines it
 * alone in one object (librtmr/hash_default.c, returning rtmr_hash_builtin(RTMR_SHA384_IMPL_AUTO));
 * a firmware with its own SHA-384 defines this function itself and the archive's definition (and
 * the built-in code) is then not linked. Defining it twice is a link error, never a silent choice.
 */
const rtmr_hash_ops *rtmr_hash_default(void);

/*
 * Streaming SHA-384. Caller-owned; init -> update* -> final. A context that saw an error (or was
 * finalised) reports TDS_ERR_STATE until rtmr_sha384_init() is called again (safe-C rule 11,
 * docs/safe-c.md). A zero-initialised context is valid and not started (TDS_ERR_STATE until init).
 */
typedef struct rtmr_sha384_ctx {
    const rtmr_hash_ops *ops;
    rtmr_hash_state st;
    tds_status error; /* sticky */
    bool started;
} rtmr_sha384_ctx;

TDS_MUST_USE tds_status rtmr_sha384_init(rtmr_sha384_ctx *ctx);
/* Start with a given backend (NULL or an incomplete ops: TDS_ERR_INVALID_ARG). */
TDS_MUST_USE tds_status rtmr_sha384_init_ops(rtmr_sha384_ctx *ctx, const rtmr_hash_ops *ops);
TDS_MUST_USE tds_status rtmr_sha384_update(rtmr_sha384_ctx *ctx, tds_bytes data);
/* Writes *out only on success; the context is then spent (TDS_ERR_STATE until re-init). */
TDS_MUST_USE tds_status rtmr_sha384_final(rtmr_sha384_ctx *ctx, rtmr_digest *out);
/* One-shot (the default backend). */
TDS_MUST_USE tds_status rtmr_sha384(tds_bytes data, rtmr_digest *out);

/* ---- The built-in backend: OpenSSL's SHA-512 block function, runtime dispatch --------------- */

/*
 * Implementations of the SHA-512 block function (OpenSSL's sha512-x86_64.pl, generated at build
 * time from Debian's openssl source package; docs/librtmr.md "Where the code comes from").
 */
enum {
    RTMR_SHA384_IMPL_AUTO = 0,   /* the best this CPU may run, within rtmr_sha384_impl_limit() */
    RTMR_SHA384_IMPL_SCALAR = 1, /* general-purpose registers only: runs everywhere */
    RTMR_SHA384_IMPL_AVX = 2,    /* AVX (+SSSE3 forms), YMM state enabled in XCR0 */
    RTMR_SHA384_IMPL_AVX2 = 3,   /* AVX2 + BMI1 + BMI2, YMM state enabled in XCR0 */
    RTMR_SHA384_IMPL_COUNT = 4
};
#define RTMR_SHA384_IMPL_BIT(i) (1u << (i))

/*
 * The built-in backend for one implementation: AUTO dispatches at each init, the others force
 * that path (init fails with TDS_ERR_UNSUPPORTED when this CPU cannot run it). NULL for an
 * unknown impl. The returned objects are const and static.
 */
const rtmr_hash_ops *rtmr_hash_builtin(uint32_t impl);

/*
 * Bit mask (RTMR_SHA384_IMPL_BIT) of the paths this CPU can run, from CPUID and XGETBV (scalar is
 * always in it). Hosted builds detect on first use; the freestanding build detects only after
 * rtmr_sha384_cpu_detect() (until then: scalar only), so a firmware runs no CPUID and no SIMD
 * code unless it asks, after enabling CR4.OSXSAVE and XCR0 itself.
 */
uint32_t rtmr_sha384_impl_mask(void);
/* Run the detection now (idempotent, thread-safe); returns the mask. */
uint32_t rtmr_sha384_cpu_detect(void);
/*
 * Restrict what AUTO may pick to `allowed` (scalar is always allowed) for the whole program, e.g.
 * to force AVX2 off in a test or a benchmark; ~0u lifts the restriction. Thread-safe; contexts
 * already started keep their path.
 */
void rtmr_sha384_impl_limit(uint32_t allowed);
/* What AUTO picks now (RTMR_SHA384_IMPL_SCALAR/AVX/AVX2). */
uint32_t rtmr_sha384_impl_auto(void);
/* "auto", "scalar", "avx", "avx2"; "?" for an unknown value. Never NULL. */
const char *rtmr_sha384_impl_name(uint32_t impl);

/* ---- Extend ---------------------------------------------------------------------------------- */
/* Source: the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND. */

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

/* ---- Register and MR indexes: two types -------------------------------------------------------
 * Two numberings name the same four registers: the TDX register index RTMR 0..3 (what
 * TDG.MR.RTMR.EXTEND takes) and the CC measurement-register (MR) index 0..4 of the event log's
 * MrIndex field (0 = MRTD, 1..4 = RTMR0..3; UEFI 2.10 EFI_CC_MEASUREMENT_PROTOCOL). Passing one
 * for the other would extend the wrong register and succeed, so each has its own single-member
 * struct type: a wrong argument does not compile (ctest rtmr_index_types_compile_fail). Make
 * them with RTMR_REG(i) / RTMR_MR(i) (or the functions below); read them with .value.
 */
typedef struct rtmr_reg_index {
    uint32_t value; /* 0..3 */
} rtmr_reg_index;

typedef struct rtmr_mr_index {
    uint32_t value; /* 0..4; 0 = MRTD */
} rtmr_mr_index;

static inline rtmr_reg_index rtmr_reg_index_make(uint32_t value)
{
    rtmr_reg_index r;
    r.value = value;
    return r;
}

static inline rtmr_mr_index rtmr_mr_index_make(uint32_t value)
{
    rtmr_mr_index m;
    m.value = value;
    return m;
}

#define RTMR_REG(i) rtmr_reg_index_make(i)
#define RTMR_MR(i) rtmr_mr_index_make(i)

/*
 * The injected extend operation. extend() MUST extend RTMR[rtmr.value] (0..3, the TDX register
 * index, not the MR index) with buf->digest and return TDS_OK, or return an error having extended
 * nothing. Retrying TDX_OPERAND_BUSY is the op's job. The shim wires libtdcall's
 * tdcall_mr_rtmr_extend; tests wire the TDX-module emulator or a software model.
 */
typedef struct rtmr_extend_ops {
    void *ctx;
    tds_status (*extend)(void *ctx, rtmr_reg_index rtmr, const rtmr_extend_buf *buf);
} rtmr_extend_ops;

/* Extend RTMR[rtmr] through ops with digest (copied into an aligned rtmr_extend_buf first). */
TDS_MUST_USE tds_status rtmr_extend(const rtmr_extend_ops *ops, rtmr_reg_index rtmr,
                                    const rtmr_digest *digest);

/* Software model of the four registers: what a verifier replays (the Intel TDX Module ABI
 * specification, TDG.MR.RTMR.EXTEND; TCG PFP log replay). */
typedef struct rtmr_bank {
    rtmr_digest r[RTMR_COUNT];
} rtmr_bank;

/* All four registers to 48 zero bytes (their value at TD start). */
void rtmr_bank_reset(rtmr_bank *bank);
/* bank->r[rtmr] = SHA-384(bank->r[rtmr] || digest). */
TDS_MUST_USE tds_status rtmr_bank_extend(rtmr_bank *bank, rtmr_reg_index rtmr,
                                         const rtmr_digest *digest);
/* An rtmr_extend_ops whose op extends *bank (a host-side model of the TDX module). */
rtmr_extend_ops rtmr_bank_ops(rtmr_bank *bank);

/* ---- MR index table -------------------------------------------------------------------------- */
/* Source: UEFI 2.10 EFI_CC_MEASUREMENT_PROTOCOL, TDX MR index mapping. */

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
    const char *name;       /* "MRTD", "RTMR0", ... */
    rtmr_mr_index mr_index; /* 0..4 */
    rtmr_reg_index rtmr;    /* TDX RTMR register index (mr_index - 1); meaningless for MRTD */
    uint32_t pcr_mask;      /* bit p set: TPM PCR p maps to this MR */
    bool extendable;        /* false for MRTD: fixed at build time, never extended at runtime */
} rtmr_mr_info;

/* The one table: row i describes MR index i. Returns NULL for mr_index >= RTMR_MR_COUNT. */
const rtmr_mr_info *rtmr_mr_lookup(rtmr_mr_index mr_index);
/* TPM PCR -> MR index (0..15 only; others TDS_ERR_INVALID_ARG). */
TDS_MUST_USE tds_status rtmr_mr_from_pcr(uint32_t pcr, rtmr_mr_index *mr_index);
/* MR index 1..4 -> RTMR register 0..3; MRTD and out-of-range indexes are TDS_ERR_INVALID_ARG. */
TDS_MUST_USE tds_status rtmr_mr_to_rtmr(rtmr_mr_index mr_index, rtmr_reg_index *rtmr);

#ifdef __cplusplus
}
#endif

#endif
