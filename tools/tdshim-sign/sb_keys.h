/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Keys for tdshim-sign and tdshim-enroll (hosted, Debian's mbedTLS): load a PKCS#8 private key or
 * a public key from PEM or DER, decide whether it is one of the two secure-boot key types, and
 * give the key bytes the signed formats carry (docs/libsecboot.md).
 */
#ifndef TDSHIM_TOOLS_SB_KEYS_H
#define TDSHIM_TOOLS_SB_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/pk.h>

#include "tdshim/secboot.h"

#define SB_KEY_MAX_FILE ((size_t)64 * 1024) /* larger files are not keys */

typedef enum sb_key_kind {
    SB_KEY_ECDSA_P384 = 1, /* = SECBOOT_ALG_ECDSA_P384_SHA384 */
    SB_KEY_RSA_3072 = 2    /* = SECBOOT_ALG_RSAPSS_3072_SHA384 */
} sb_key_kind;

typedef struct sb_key {
    mbedtls_pk_context pk;
    sb_key_kind kind;
    bool is_private;
    uint8_t pub[SECBOOT_RSA_KEY]; /* ECDSA: X || Y (96); RSA: N || E (384 + 8) */
    size_t pub_len;
} sb_key;

/*
 * Load `path`. want_private: a private key (PKCS#8; mbedTLS also reads SEC1 and PKCS#1), else a
 * public key (SubjectPublicKeyInfo) or a private key whose public half is used. On failure prints
 * "<tool>: ..." with the reason (missing file, too large, not a key, encrypted, wrong type or
 * size) and returns false. On success the caller calls sb_key_free.
 */
bool sb_key_load(const char *tool, const char *path, bool want_private, sb_key *k);
void sb_key_free(sb_key *k);

/* The key's trust anchor: SHA-384 of its key bytes. */
bool sb_key_hash(const sb_key *k, uint8_t out[SECBOOT_SHA384_LEN]);

/* A random generator for signing (blinding, PSS salt). */
typedef struct sb_rng {
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
} sb_rng;
bool sb_rng_init(sb_rng *r);
void sb_rng_free(sb_rng *r);

/* Sign a SHA-384 digest. ECDSA: r || s (96 bytes, RFC 6979 deterministic); RSA: RSASSA-PSS with
 * MGF1-SHA-384 and a 48-byte salt (384 bytes). *sig_len is set. */
bool sb_sign_hash(sb_key *k, sb_rng *rng, const uint8_t hash[SECBOOT_SHA384_LEN], uint8_t *sig,
                  size_t sig_cap, size_t *sig_len);

/* SHA-384 of a buffer. */
bool sb_sha384_buf(const uint8_t *p, size_t n, uint8_t out[SECBOOT_SHA384_LEN]);

#endif
