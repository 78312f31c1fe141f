/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test fixtures for libsecboot: keys generated with `openssl genpkey` at test time (never
 * committed), td-shim signed payloads and COSE_Sign1 messages assembled here field by field, and
 * CFVs built from the PI layout.
 */
#ifndef TDSHIM_TESTS_SB_FIXTURE_H
#define TDSHIM_TESTS_SB_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sb_keys.h"
#include "tdshim/secboot.h"

/* The keys of one test run: two P-384 keys and one RSA-3072 key. */
typedef struct sbt_keys {
    sb_key ec;
    sb_key ec2;
    sb_key rsa;
    sb_rng rng;
    char dir[64];
} sbt_keys;

/* Generate (openssl) and load the keys; false with a message on stderr when openssl fails. */
bool sbt_keys_init(sbt_keys *k, bool with_rsa);
void sbt_keys_free(sbt_keys *k);

/* A policy trusting `key` with floor min_svn. */
secboot_policy sbt_policy(const sb_key *key, uint64_t min_svn);

/* td-shim signed payload: Header || payload || block into out (cap bytes); returns the size. */
size_t sbt_sign_tdshim(sbt_keys *k, sb_key *key, const uint8_t *payload, size_t len, uint64_t svn,
                       uint64_t version, uint8_t *out, size_t cap);

/* Re-sign Header||Payload of a (possibly modified) td-shim image in place; keeps the key bytes. */
void sbt_resign_tdshim(sbt_keys *k, sb_key *key, uint8_t *img, size_t len);

/* ---- a tiny CBOR writer for the tests ---- */
typedef struct sbt_cbor {
    uint8_t *buf;
    size_t cap;
    size_t len;
} sbt_cbor;
void sbt_head(sbt_cbor *w, uint8_t major, uint64_t arg);
void sbt_bytes(sbt_cbor *w, uint8_t major, const void *p, size_t n); /* bstr or tstr */
void sbt_int(sbt_cbor *w, int64_t v);
void sbt_raw(sbt_cbor *w, const void *p, size_t n);

/* COSE_Sign1 options; sbt_cose_default gives a valid message's options. */
typedef struct sbt_cose_opts {
    int tag; /* -1: none */
    bool with_alg;
    int64_t alg;
    bool with_kid;
    const uint8_t *kid; /* NULL: the key's X||Y */
    size_t kid_len;
    bool with_svn;
    uint64_t svn;
    bool with_version;
    uint64_t version;
    bool extra_label; /* adds label 3 (content type) */
    bool crit;        /* adds label 2 (crit) */
    bool unprotected; /* a non-empty unprotected map */
    bool detached;
    size_t sig_len;   /* 96 normally */
    bool corrupt_sig; /* flip a bit of s */
} sbt_cose_opts;
sbt_cose_opts sbt_cose_default(void);
size_t sbt_cose(sbt_keys *k, sb_key *key, const sbt_cose_opts *o, const uint8_t *payload,
                size_t len, uint8_t *out, size_t cap);

/* A CFV of `size` bytes (erased) with no files; sbt_ffs appends a file at *at. */
void sbt_cfv_empty(uint8_t *cfv, size_t size);
void sbt_ffs(uint8_t *cfv, size_t size, size_t *at, const tds_guid *name, uint8_t type,
             const uint8_t *data, size_t len);
/* The trust-anchor file's 88 data bytes for a key hash. */
void sbt_key_data(uint8_t out[SECBOOT_CFV_KEY_DATA], const uint8_t hash[SECBOOT_SHA384_LEN]);
void sbt_svn_data(uint8_t out[SECBOOT_CFV_SVN_DATA], uint64_t min_svn);

#endif
