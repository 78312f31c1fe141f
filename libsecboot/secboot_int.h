/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libsecboot's private helpers (not installed). */
#ifndef TDSHIM_SECBOOT_INT_H
#define TDSHIM_SECBOOT_INT_H

#include "tdshim/secboot.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

/* Record a reason (if err is non-NULL) and return its status, which is never TDS_OK (a reason
 * without an error status, which no caller passes, gives TDS_ERR_INVALID_ARG). Inline so that
 * static analysis sees that a failure path never returns TDS_OK. */
static inline tds_status sb_fail(secboot_error *err, secboot_reason r, uint64_t offset)
{
    if (err != NULL) {
        err->reason = r;
        err->offset = offset;
    }
    const tds_status s = secboot_reason_status(r);
    return s != TDS_OK ? s : TDS_ERR_INVALID_ARG;
}

/* SHA-384 of the concatenation of up to four slices (NULL-terminated use: len 0 entries). */
TDS_MUST_USE tds_status sb_sha384(const tds_bytes *parts, size_t n,
                                  uint8_t out[SECBOOT_SHA384_LEN]);

/* Key and signature checks and verification (crypto.c). `off_*` are offsets for err. */
TDS_MUST_USE tds_status sb_ecdsa_verify(const uint8_t key_xy[SECBOOT_ECDSA_KEY],
                                        const uint8_t sig_rs[2 * SECBOOT_ECDSA_COORD],
                                        const uint8_t hash[SECBOOT_SHA384_LEN],
                                        const secboot_policy *policy, uint64_t off_key,
                                        uint64_t off_sig, secboot_error *err);
TDS_MUST_USE tds_status sb_rsa_verify(const uint8_t key_ne[SECBOOT_RSA_KEY],
                                      const uint8_t sig[SECBOOT_RSA_MOD],
                                      const uint8_t hash[SECBOOT_SHA384_LEN],
                                      const secboot_policy *policy, uint64_t off_key,
                                      uint64_t off_sig, secboot_error *err);

#pragma GCC visibility pop

#endif /* TDSHIM_SECBOOT_INT_H */
