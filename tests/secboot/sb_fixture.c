/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#define _DEFAULT_SOURCE /* mkdtemp */
#include "sb_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_build.h"

static bool gen(const char *dir, const char *name, const char *opts)
{
    char cmd[512];
    (void)snprintf(cmd, sizeof cmd, "openssl genpkey %s -out %s/%s 2>/dev/null", opts, dir, name);
    /* NOLINTNEXTLINE(cert-env33-c): the test generates its keys with the openssl command */
    if (system(cmd) != 0) {
        fprintf(stderr, "fixture: '%s' failed\n", cmd);
        return false;
    }
    return true;
}

static bool load(const char *dir, const char *name, sb_key *key)
{
    char path[256];
    (void)snprintf(path, sizeof path, "%s/%s", dir, name);
    return sb_key_load("fixture", path, true, key);
}

bool sbt_keys_init(sbt_keys *k, bool with_rsa)
{
    memset(k, 0, sizeof *k);
    (void)snprintf(k->dir, sizeof k->dir, "/tmp/secboot-test-XXXXXX");
    if (mkdtemp(k->dir) == NULL) {
        return false;
    }
    const char *ec = "-algorithm EC -pkeyopt ec_paramgen_curve:P-384";
    bool ok = gen(k->dir, "ec.pem", ec) && gen(k->dir, "ec2.pem", ec) &&
              load(k->dir, "ec.pem", &k->ec) && load(k->dir, "ec2.pem", &k->ec2);
    if (ok && with_rsa) {
        ok = gen(k->dir, "rsa.pem", "-algorithm RSA -pkeyopt rsa_keygen_bits:3072") &&
             load(k->dir, "rsa.pem", &k->rsa);
    }
    return ok && sb_rng_init(&k->rng);
}

void sbt_keys_free(sbt_keys *k)
{
    char cmd[128];
    sb_key_free(&k->ec);
    sb_key_free(&k->ec2);
    sb_key_free(&k->rsa);
    sb_rng_free(&k->rng);
    (void)snprintf(cmd, sizeof cmd, "rm -rf %s", k->dir);
    (void)system(cmd); /* NOLINT(cert-env33-c): removes the test's own key directory */
}

secboot_policy sbt_policy(const sb_key *key, uint64_t min_svn)
{
    secboot_policy p;
    memset(&p, 0, sizeof p);
    (void)sb_key_hash(key, p.key_hash);
    p.min_svn = min_svn;
    p.has_min_svn = min_svn != 0;
    return p;
}

void sbt_resign_tdshim(sbt_keys *k, sb_key *key, uint8_t *img, size_t len)
{
    const uint32_t length = tds_load_le32(img + 20);
    uint8_t hash[SECBOOT_SHA384_LEN];
    size_t sig_len = 0;
    if (length > len || len - length < key->pub_len) {
        abort();
    }
    if (!sb_sha384_buf(img, length, hash) ||
        !sb_sign_hash(key, &k->rng, hash, img + length + key->pub_len, len - length - key->pub_len,
                      &sig_len)) {
        abort();
    }
}

size_t sbt_sign_tdshim(sbt_keys *k, sb_key *key, const uint8_t *payload, size_t len, uint64_t svn,
                       uint64_t version, uint8_t *out, size_t cap)
{
    const size_t block = key->kind == SB_KEY_ECDSA_P384 ? SECBOOT_ECDSA_BLOCK : SECBOOT_RSA_BLOCK;
    const size_t total = SECBOOT_HDR_LEN + len + block;
    if (total > cap) {
        abort();
    }
    memset(out, 0, total);
    memcpy(out, secboot_guid_payload.b, 16);
    tds_store_le32(out + 16, 1);
    tds_store_le32(out + 20, (uint32_t)(SECBOOT_HDR_LEN + len));
    tds_store_le64(out + 24, version);
    tds_store_le64(out + 32, svn);
    tds_store_le32(out + 40, (uint32_t)key->kind);
    if (len != 0) {
        memcpy(out + SECBOOT_HDR_LEN, payload, len);
    }
    memcpy(out + SECBOOT_HDR_LEN + len, key->pub, key->pub_len);
    sbt_resign_tdshim(k, key, out, total);
    return total;
}

/* ---- CBOR writer ---- */
void sbt_raw(sbt_cbor *w, const void *p, size_t n)
{
    if (n > w->cap - w->len) {
        abort();
    }
    if (n != 0) {
        memcpy(w->buf + w->len, p, n);
    }
    w->len += n;
}

void sbt_head(sbt_cbor *w, uint8_t major, uint64_t arg)
{
    uint8_t h[9];
    size_t n;
    const uint8_t m = (uint8_t)(major << 5);
    if (arg < 24) {
        h[0] = (uint8_t)(m | arg);
        n = 1;
    } else if (arg <= 0xFF) {
        h[0] = m | 24;
        h[1] = (uint8_t)arg;
        n = 2;
    } else if (arg <= 0xFFFF) {
        h[0] = m | 25;
        tds_store_be32(h + 1, 0);
        h[1] = (uint8_t)(arg >> 8);
        h[2] = (uint8_t)arg;
        n = 3;
    } else if (arg <= 0xFFFFFFFFu) {
        h[0] = m | 26;
        tds_store_be32(h + 1, (uint32_t)arg);
        n = 5;
    } else {
        h[0] = m | 27;
        tds_store_be64(h + 1, arg);
        n = 9;
    }
    sbt_raw(w, h, n);
}

void sbt_bytes(sbt_cbor *w, uint8_t major, const void *p, size_t n)
{
    sbt_head(w, major, n);
    sbt_raw(w, p, n);
}

void sbt_int(sbt_cbor *w, int64_t v)
{
    if (v >= 0) {
        sbt_head(w, 0, (uint64_t)v);
    } else {
        sbt_head(w, 1, (uint64_t)(-1 - v));
    }
}

sbt_cose_opts sbt_cose_default(void)
{
    sbt_cose_opts o;
    memset(&o, 0, sizeof o);
    o.tag = 18;
    o.with_alg = true;
    o.alg = -35;
    o.with_kid = true;
    o.with_svn = true;
    o.svn = 5;
    o.with_version = true;
    o.version = 7;
    o.sig_len = 96;
    return o;
}

size_t sbt_cose(sbt_keys *k, sb_key *key, const sbt_cose_opts *o, const uint8_t *payload,
                size_t len, uint8_t *out, size_t cap)
{
    uint8_t prot[512];
    sbt_cbor p = {prot, sizeof prot, 0};
    const uint64_t n = (uint64_t)o->with_alg + o->with_kid + o->with_svn + o->with_version +
                       o->extra_label + o->crit;
    sbt_head(&p, 5, n);
    if (o->with_alg) {
        sbt_int(&p, 1);
        sbt_int(&p, o->alg);
    }
    if (o->crit) {
        sbt_int(&p, 2);
        sbt_head(&p, 4, 1);
        sbt_int(&p, -65537);
    }
    if (o->extra_label) {
        sbt_int(&p, 3);
        sbt_int(&p, 42);
    }
    if (o->with_kid) {
        sbt_int(&p, 4);
        if (o->kid != NULL) {
            sbt_bytes(&p, 2, o->kid, o->kid_len);
        } else {
            sbt_bytes(&p, 2, key->pub, key->pub_len);
        }
    }
    if (o->with_svn) {
        sbt_int(&p, -65537);
        sbt_int(&p, (int64_t)o->svn);
    }
    if (o->with_version) {
        sbt_int(&p, -65538);
        sbt_int(&p, (int64_t)o->version);
    }
    /* Sig_structure, hashed as one buffer. */
    const size_t tbs_cap = len + p.len + 64;
    uint8_t *tbs = malloc(tbs_cap);
    if (tbs == NULL) {
        abort();
    }
    sbt_cbor t = {tbs, tbs_cap, 0};
    sbt_head(&t, 4, 4);
    sbt_bytes(&t, 3, "Signature1", 10);
    sbt_bytes(&t, 2, prot, p.len);
    sbt_bytes(&t, 2, NULL, 0);
    sbt_bytes(&t, 2, payload, len);
    uint8_t hash[SECBOOT_SHA384_LEN];
    uint8_t sig[128];
    size_t sig_len = 0;
    if (!sb_sha384_buf(tbs, t.len, hash) || !sb_sign_hash(key, &k->rng, hash, sig, 96, &sig_len)) {
        abort();
    }
    free(tbs);
    if (o->corrupt_sig) {
        sig[90] ^= 0x01;
    }
    memset(sig + 96, 0x11, sizeof sig - 96);
    sbt_cbor m = {out, cap, 0};
    if (o->tag >= 0) {
        sbt_head(&m, 6, (uint64_t)o->tag);
    }
    sbt_head(&m, 4, 4);
    sbt_bytes(&m, 2, prot, p.len);
    if (o->unprotected) {
        sbt_head(&m, 5, 1);
        sbt_int(&m, 4);
        sbt_bytes(&m, 2, "k", 1);
    } else {
        sbt_head(&m, 5, 0);
    }
    if (o->detached) {
        sbt_raw(&m, "\xF6", 1);
    } else {
        sbt_bytes(&m, 2, payload, len);
    }
    sbt_bytes(&m, 2, sig, o->sig_len);
    return m.len;
}

/* ---- CFV ---- */
void sbt_cfv_empty(uint8_t *cfv, size_t size)
{
    if (image_write_empty_fv(tds_mut_bytes_make(cfv, size)) != TDS_OK) {
        abort();
    }
}

void sbt_ffs(uint8_t *cfv, size_t size, size_t *at, const tds_guid *name, uint8_t type,
             const uint8_t *data, size_t len)
{
    const size_t start = (*at + 7u) & ~(size_t)7u;
    const size_t fsize = SECBOOT_FFS_HEADER + len;
    if (start + fsize > size) {
        abort();
    }
    uint8_t *h = cfv + start;
    memcpy(h, name->b, 16);
    h[16] = 0;
    h[17] = 0xAA;
    h[18] = type;
    h[19] = 0;
    h[20] = (uint8_t)fsize;
    h[21] = (uint8_t)(fsize >> 8);
    h[22] = (uint8_t)(fsize >> 16);
    h[23] = 0xF8;
    if (len != 0) {
        memcpy(h + SECBOOT_FFS_HEADER, data, len);
    }
    *at = start + fsize;
}

void sbt_key_data(uint8_t out[SECBOOT_CFV_KEY_DATA], const uint8_t hash[SECBOOT_SHA384_LEN])
{
    memset(out, 0, SECBOOT_CFV_KEY_DATA);
    memcpy(out, secboot_guid_cfv_key_header.b, 16);
    tds_store_le32(out + 16, 1);
    tds_store_le32(out + 20, SECBOOT_CFV_KEY_DATA);
    tds_store_le64(out + 24, 1);
    memcpy(out + 40, hash, SECBOOT_SHA384_LEN);
}

void sbt_svn_data(uint8_t out[SECBOOT_CFV_SVN_DATA], uint64_t min_svn)
{
    tds_store_le32(out, 1);
    tds_store_le32(out + 4, SECBOOT_CFV_SVN_DATA);
    tds_store_le64(out + 8, min_svn);
}
