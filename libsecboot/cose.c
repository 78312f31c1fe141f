/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * COSE_Sign1 (RFC 9052 4.2) with ES384 in this project's profile (docs/libsecboot.md 4):
 * [protected: bstr .cbor {1: -35, 4: kid, -65537: svn, ? -65538: version}, unprotected: {},
 *  payload: bstr / nil, signature: bstr .size 96], optionally under tag 18.
 */
#include "secboot_int.h"

static size_t offset_in(tds_bytes outer, tds_bytes inner)
{
    return (size_t)(inner.ptr - outer.ptr);
}

/* A label from a key item: only integers are labels in this profile. */
static bool label_of(const secboot_cbor_item *k, int64_t *out)
{
    if (k->arg > (uint64_t)INT64_MAX) {
        return false;
    }
    if (k->major == SECBOOT_CBOR_UINT) {
        *out = (int64_t)k->arg;
        return true;
    }
    if (k->major == SECBOOT_CBOR_NEGINT) {
        *out = -1 - (int64_t)k->arg;
        return true;
    }
    return false;
}

static tds_status parse_protected(tds_bytes msg, tds_bytes prot, secboot_cose *c,
                                  secboot_error *err)
{
    const size_t base = offset_in(msg, prot);
    if (prot.len == 0) {
        return sb_fail(err, SECBOOT_R_COSE_ALG, base); /* an empty map: no alg */
    }
    secboot_error inner;
    if (secboot_cbor_check(prot, &inner) != TDS_OK) {
        return sb_fail(err, inner.reason, base + inner.offset);
    }
    secboot_cbor_reader r = secboot_cbor_reader_make(prot);
    secboot_cbor_item m = {0};
    if (secboot_cbor_next(&r, &m, NULL) != TDS_OK || m.major != SECBOOT_CBOR_MAP) {
        return sb_fail(err, SECBOOT_R_COSE_PROTECTED, base);
    }
    bool have_alg = false;
    bool have_kid = false;
    bool have_svn = false;
    for (uint64_t i = 0; i < m.arg; i++) {
        secboot_cbor_item k = {0};
        secboot_cbor_item v = {0};
        int64_t label = 0;
        if (secboot_cbor_next(&r, &k, NULL) != TDS_OK) {
            return sb_fail(err, SECBOOT_R_COSE_PROTECTED, base);
        }
        if (!label_of(&k, &label)) {
            return sb_fail(err, SECBOOT_R_COSE_LABEL, base + k.offset);
        }
        if (secboot_cbor_next(&r, &v, NULL) != TDS_OK) {
            return sb_fail(err, SECBOOT_R_COSE_PROTECTED, base);
        }
        const size_t at = base + v.offset;
        switch (label) {
        case SECBOOT_COSE_LABEL_ALG:
            if (v.major != SECBOOT_CBOR_NEGINT ||
                v.arg != (uint64_t)(-1 - SECBOOT_COSE_ALG_ES384)) {
                return sb_fail(err, SECBOOT_R_COSE_ALG, at);
            }
            have_alg = true;
            break;
        case SECBOOT_COSE_LABEL_KID:
            if (v.major != SECBOOT_CBOR_BSTR || v.str.len != SECBOOT_ECDSA_KEY) {
                return sb_fail(err, SECBOOT_R_COSE_KID, at);
            }
            c->kid = v.str;
            have_kid = true;
            break;
        case SECBOOT_COSE_LABEL_SVN:
            if (v.major != SECBOOT_CBOR_UINT) {
                return sb_fail(err, SECBOOT_R_COSE_SVN, at);
            }
            c->svn = v.arg;
            have_svn = true;
            break;
        case SECBOOT_COSE_LABEL_VERSION:
            if (v.major != SECBOOT_CBOR_UINT) {
                return sb_fail(err, SECBOOT_R_COSE_VERSION, at);
            }
            c->version = v.arg;
            c->has_version = true;
            break;
        default: return sb_fail(err, SECBOOT_R_COSE_LABEL, base + k.offset);
        }
    }
    if (!have_alg) {
        return sb_fail(err, SECBOOT_R_COSE_ALG, base);
    }
    if (!have_kid) {
        return sb_fail(err, SECBOOT_R_COSE_KID, base);
    }
    if (!have_svn) {
        return sb_fail(err, SECBOOT_R_COSE_SVN, base);
    }
    return TDS_OK;
}

tds_status secboot_cose_parse(tds_bytes msg, secboot_cose *out, secboot_error *err)
{
    if (!tds_bytes_valid(msg) || out == NULL) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    TDS_TRY(secboot_cbor_check(msg, err));
    secboot_cose c = {0};
    memset(&c, 0, sizeof c);
    secboot_cbor_reader r = secboot_cbor_reader_make(msg);
    secboot_cbor_item it = {0};
    /* Every head below was read once by secboot_cbor_check: these reads cannot fail. */
    TDS_TRY(secboot_cbor_next(&r, &it, err));
    if (it.major == SECBOOT_CBOR_TAG) {
        if (it.arg != SECBOOT_COSE_TAG_SIGN1) {
            return sb_fail(err, SECBOOT_R_COSE_STRUCTURE, it.offset);
        }
        TDS_TRY(secboot_cbor_next(&r, &it, err));
    }
    if (it.major != SECBOOT_CBOR_ARRAY || it.arg != 4) {
        return sb_fail(err, SECBOOT_R_COSE_STRUCTURE, it.offset);
    }
    TDS_TRY(secboot_cbor_next(&r, &it, err));
    if (it.major != SECBOOT_CBOR_BSTR) {
        return sb_fail(err, SECBOOT_R_COSE_STRUCTURE, it.offset);
    }
    c.protected_bstr = it.str;
    TDS_TRY(parse_protected(msg, it.str, &c, err));
    TDS_TRY(secboot_cbor_next(&r, &it, err));
    if (it.major != SECBOOT_CBOR_MAP) {
        return sb_fail(err, SECBOOT_R_COSE_STRUCTURE, it.offset);
    }
    if (it.arg != 0) {
        return sb_fail(err, SECBOOT_R_COSE_UNPROTECTED, it.offset);
    }
    TDS_TRY(secboot_cbor_next(&r, &it, err));
    if (it.major == SECBOOT_CBOR_BSTR) {
        c.payload = it.str;
    } else if (it.major == SECBOOT_CBOR_SIMPLE && it.arg == 22) {
        c.detached = true;
    } else {
        return sb_fail(err, SECBOOT_R_COSE_STRUCTURE, it.offset);
    }
    TDS_TRY(secboot_cbor_next(&r, &it, err));
    if (it.major != SECBOOT_CBOR_BSTR) {
        return sb_fail(err, SECBOOT_R_COSE_STRUCTURE, it.offset);
    }
    if (it.str.len != SECBOOT_COSE_SIG) {
        return sb_fail(err, SECBOOT_R_COSE_SIG_LENGTH, it.offset);
    }
    c.signature = it.str;
    *out = c;
    return TDS_OK;
}

/* The shortest head for a byte string of `len` bytes (RFC 8949 4.2.1). */
static size_t bstr_head(uint64_t len, uint8_t out[9])
{
    if (len < 24) {
        out[0] = (uint8_t)(0x40u | len);
        return 1;
    }
    size_t n = 8;
    uint8_t ai = 27;
    if (len <= 0xFFu) {
        n = 1;
        ai = 24;
    } else if (len <= 0xFFFFu) {
        n = 2;
        ai = 25;
    } else if (len <= 0xFFFFFFFFu) {
        n = 4;
        ai = 26;
    }
    out[0] = (uint8_t)(0x40u | ai);
    for (size_t i = 0; i < n; i++) {
        out[1 + i] = (uint8_t)(len >> (8 * (n - 1 - i)));
    }
    return 1 + n;
}

tds_status secboot_verify_cose(tds_bytes msg, const tds_bytes *detached,
                               const secboot_policy *policy, secboot_result *out,
                               secboot_error *err)
{
    if (policy == NULL || out == NULL || (detached != NULL && !tds_bytes_valid(*detached))) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    secboot_cose c = {0};
    TDS_TRY(secboot_cose_parse(msg, &c, err));
    if (c.detached != (detached != NULL)) {
        return sb_fail(err, SECBOOT_R_COSE_PAYLOAD_MODE, 0);
    }
    const tds_bytes payload = c.detached ? *detached : c.payload;
    /* Sig_structure = ["Signature1", body_protected, external_aad = h'', payload] (RFC 9052 4.4),
     * hashed in pieces: the payload is never copied. */
    static const uint8_t prefix[] = {0x84, 0x6A, 'S', 'i', 'g', 'n', 'a', 't', 'u', 'r', 'e', '1'};
    static const uint8_t empty_aad[] = {0x40};
    uint8_t prot_head[9];
    uint8_t payload_head[9];
    const tds_bytes parts[6] = {
        tds_bytes_make(prefix, sizeof prefix),
        tds_bytes_make(prot_head, bstr_head(c.protected_bstr.len, prot_head)),
        c.protected_bstr,
        tds_bytes_make(empty_aad, sizeof empty_aad),
        tds_bytes_make(payload_head, bstr_head(payload.len, payload_head)),
        payload,
    };
    uint8_t hash[SECBOOT_SHA384_LEN];
    if (sb_sha384(parts, 6, hash) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CRYPTO, 0);
    }
    TDS_TRY(sb_ecdsa_verify(c.kid.ptr, c.signature.ptr, hash, policy, offset_in(msg, c.kid),
                            offset_in(msg, c.signature), err));
    if (c.svn < policy->min_svn) {
        return sb_fail(err, SECBOOT_R_SVN_ROLLBACK, 0);
    }
    secboot_result res;
    memset(&res, 0, sizeof res);
    res.format = SECBOOT_FORMAT_COSE;
    res.algorithm = SECBOOT_ALG_ECDSA_P384_SHA384;
    res.svn = c.svn;
    res.version = c.version;
    res.payload = payload;
    memcpy(res.key_hash, policy->key_hash, SECBOOT_SHA384_LEN);
    *out = res;
    return TDS_OK;
}
