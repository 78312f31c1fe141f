/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The boot policy (docs/libsecboot.md 9): the image's secure-boot record, when enforcement is on,
 * which format a payload is in, and the detached payload of a fw_cfg Linux boot.
 */
#include "secboot_int.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"

/* CFC5D638-98FE-4493-9341-343ED9982797 */
const tds_guid secboot_guid_image_rec =
    TDS_GUID_INIT(0xCFC5D638u, 0x98FEu, 0x4493u, 0x93, 0x41, 0x34, 0x3E, 0xD9, 0x98, 0x27, 0x97);

tds_status secboot_image_flags(tds_bytes rec, uint32_t *flags, secboot_error *err)
{
    if (flags == NULL || !tds_bytes_valid(rec) || rec.len != SECBOOT_IMAGE_REC_SIZE) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    bool zero = true;
    for (size_t i = 0; i < rec.len; i++) {
        zero = zero && rec.ptr[i] == 0;
    }
    if (zero) {
        *flags = 0;
        return TDS_OK;
    }
    if (!tds_guid_equal_bytes(&secboot_guid_image_rec, rec.ptr)) {
        return sb_fail(err, SECBOOT_R_IMAGE_FLAGS, 0);
    }
    if (tds_load_le32(rec.ptr + 16) != SECBOOT_IMAGE_REC_VERSION) {
        return sb_fail(err, SECBOOT_R_IMAGE_FLAGS, 16);
    }
    const uint32_t f = tds_load_le32(rec.ptr + 20);
    if ((f & ~SECBOOT_IMAGE_REQUIRED) != 0) {
        return sb_fail(err, SECBOOT_R_IMAGE_FLAGS, 20);
    }
    for (size_t i = 24; i < SECBOOT_IMAGE_REC_SIZE; i++) {
        if (rec.ptr[i] != 0) {
            return sb_fail(err, SECBOOT_R_IMAGE_FLAGS, i);
        }
    }
    *flags = f;
    return TDS_OK;
}

tds_status secboot_decide(tds_bytes cfv, bool required, bool *enforced, secboot_policy *policy,
                          secboot_error *err)
{
    if (enforced == NULL || policy == NULL) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    secboot_error e = {SECBOOT_R_NONE, 0};
    secboot_policy p;
    const tds_status st = secboot_cfv_parse(cfv, &p, &e);
    if (st == TDS_OK) {
        *policy = p;
        *enforced = true;
        return TDS_OK;
    }
    if (e.reason == SECBOOT_R_CFV_NO_KEY) {
        if (required) {
            return sb_fail(err, SECBOOT_R_REQUIRED, 0);
        }
        *enforced = false;
        return TDS_OK;
    }
    return sb_fail(err, e.reason, e.offset);
}

tds_status secboot_policy_db(tds_bytes cfv, const secboot_policy *policy,
                             uint8_t out[SECBOOT_POLICY_DB_MAX], size_t *len)
{
    if (policy == NULL || out == NULL || len == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    /* Read once: `out` may not alias `policy`, but nothing below depends on it. */
    const bool with_svn = policy->has_min_svn;
    const uint64_t key_off = policy->key_file_offset;
    const uint64_t svn_off = policy->svn_file_offset;
    tds_bytes key = tds_bytes_make(NULL, 0);
    tds_bytes svn = tds_bytes_make(NULL, 0);
    if (tds_bytes_sub(cfv, key_off, SECBOOT_CFV_KEY_DATA, &key) != TDS_OK ||
        (with_svn && tds_bytes_sub(cfv, svn_off, SECBOOT_CFV_SVN_DATA, &svn) != TDS_OK) ||
        key.ptr == NULL || (with_svn && svn.ptr == NULL)) {
        return TDS_ERR_INVALID_ARG;
    }
    memcpy(out, key.ptr, SECBOOT_CFV_KEY_DATA);
    size_t n = SECBOOT_CFV_KEY_DATA;
    if (with_svn) {
        memcpy(out + SECBOOT_CFV_KEY_DATA, svn.ptr, SECBOOT_CFV_SVN_DATA);
        n += SECBOOT_CFV_SVN_DATA;
    }
    *len = n;
    return TDS_OK;
}

/* The bytes after the signed object must be zero (the image's padding, the region's fill). */
static tds_status zero_tail(tds_bytes in, size_t end, secboot_reason r, secboot_error *err)
{
    for (size_t i = end; i < in.len; i++) {
        if (in.ptr[i] != 0) {
            return sb_fail(err, r, i);
        }
    }
    return TDS_OK;
}

/* td-shim's format: Length (u32 at 20) + the block of SigningAlgorithm (u32 at 40). */
static tds_status tdshim_extent(tds_bytes in, size_t *len, secboot_error *err)
{
    if (in.len < SECBOOT_HDR_LEN) {
        return sb_fail(err, SECBOOT_R_HDR_TRUNCATED, 0);
    }
    const uint32_t length = tds_load_le32(in.ptr + 20);
    const uint32_t alg = tds_load_le32(in.ptr + 40);
    const size_t block = alg == SECBOOT_ALG_ECDSA_P384_SHA384    ? SECBOOT_ECDSA_BLOCK
                         : alg == SECBOOT_ALG_RSAPSS_3072_SHA384 ? SECBOOT_RSA_BLOCK
                                                                 : 0;
    if (block == 0) {
        return sb_fail(err, SECBOOT_R_HDR_ALGORITHM, 40);
    }
    if (length < SECBOOT_HDR_LEN || length > in.len || in.len - length < block) {
        return sb_fail(err, SECBOOT_R_HDR_LENGTH, 20);
    }
    *len = (size_t)length + block;
    return TDS_OK;
}

/* COSE: the extent of the first CBOR item, walked iteratively (heads only; every count is
 * bounded by the input by secboot_cbor_next, so `pending` stays below 2 * in.len + 1). */
static tds_status cose_extent(tds_bytes in, size_t *len, secboot_error *err)
{
    secboot_cbor_reader r = secboot_cbor_reader_make(in);
    uint64_t pending = 1;
    while (pending > 0) {
        secboot_cbor_item it;
        TDS_TRY(secboot_cbor_next(&r, &it, err));
        pending--;
        uint64_t more = 0;
        if (it.major == SECBOOT_CBOR_ARRAY) {
            more = it.arg;
        } else if (it.major == SECBOOT_CBOR_MAP) {
            more = 2u * it.arg; /* arg <= in.len: no wrap */
        } else if (it.major == SECBOOT_CBOR_TAG) {
            more = 1;
        }
        if (more > UINT64_MAX - pending) {
            return sb_fail(err, SECBOOT_R_CBOR_TRUNCATED, it.offset);
        }
        pending += more;
    }
    *len = r.cur.pos;
    return TDS_OK;
}

tds_status secboot_verify_payload(tds_bytes in, const secboot_policy *policy, secboot_result *out,
                                  secboot_error *err)
{
    if (!tds_bytes_valid(in) || policy == NULL || out == NULL) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    size_t len = 0;
    if (in.len >= 16 && tds_guid_equal_bytes(&secboot_guid_payload, in.ptr)) {
        TDS_TRY(tdshim_extent(in, &len, err));
        TDS_TRY(zero_tail(in, len, SECBOOT_R_SIG_BLOCK_SIZE, err));
        return secboot_verify_tdshim(tds_bytes_make(in.ptr, len), policy, out, err);
    }
    if (in.len >= 1 && (in.ptr[0] == 0xD2u || in.ptr[0] == 0x84u)) {
        TDS_TRY(cose_extent(in, &len, err));
        TDS_TRY(zero_tail(in, len, SECBOOT_R_CBOR_TRAILING, err));
        return secboot_verify_cose(tds_bytes_make(in.ptr, len), NULL, policy, out, err);
    }
    return sb_fail(err, SECBOOT_R_UNSIGNED, 0);
}

void secboot_linux_payload(const uint8_t kernel[SECBOOT_SHA384_LEN],
                           const uint8_t initrd[SECBOOT_SHA384_LEN],
                           const uint8_t cmdline[SECBOOT_SHA384_LEN],
                           uint8_t out[SECBOOT_LINUX_PAYLOAD])
{
    static const char magic[16] = SECBOOT_LINUX_MAGIC;
    memcpy(out, magic, sizeof magic);
    const size_t d = SECBOOT_SHA384_LEN;
    memcpy(out + 16, kernel, d);
    memcpy(out + 16 + d, initrd, d);
    memcpy(out + 16 + (2 * d), cmdline, d);
}
