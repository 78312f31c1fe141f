/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * td-shim's signed payload (docs/libsecboot.md 3): Header (48 bytes) || Payload || SignatureBlock.
 * Header: GUID, u32 StructVersion, u32 Length (header + payload), u64 PayloadVersion,
 * u64 PayloadSvn, u32 SigningAlgorithm, u32 Reserved; little-endian.
 */
#include "secboot_int.h"

/* FCF2D558-9DF5-4F4D-B0D7-3E4B798AB066 */
const tds_guid secboot_guid_payload =
    TDS_GUID_INIT(0xFCF2D558u, 0x9DF5u, 0x4F4Du, 0xB0, 0xD7, 0x3E, 0x4B, 0x79, 0x8A, 0xB0, 0x66);

#define HDR_OFF_VERSION 16u
#define HDR_OFF_LENGTH 20u
#define HDR_OFF_PAYLOAD_VERSION 24u
#define HDR_OFF_SVN 32u
#define HDR_OFF_ALGORITHM 40u
#define HDR_OFF_RESERVED 44u

tds_status secboot_header_parse(tds_bytes signed_payload, secboot_payload_header *out,
                                secboot_error *err)
{
    if (!tds_bytes_valid(signed_payload) || out == NULL) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    const uint8_t *b = signed_payload.ptr;
    if (signed_payload.len < SECBOOT_HDR_LEN) {
        return sb_fail(err, SECBOOT_R_HDR_TRUNCATED, signed_payload.len);
    }
    if (!tds_guid_equal_bytes(&secboot_guid_payload, b)) {
        return sb_fail(err, SECBOOT_R_HDR_GUID, 0);
    }
    secboot_payload_header h;
    h.struct_version = tds_load_le32(b + HDR_OFF_VERSION);
    h.length = tds_load_le32(b + HDR_OFF_LENGTH);
    h.payload_version = tds_load_le64(b + HDR_OFF_PAYLOAD_VERSION);
    h.payload_svn = tds_load_le64(b + HDR_OFF_SVN);
    h.algorithm = tds_load_le32(b + HDR_OFF_ALGORITHM);
    if (h.struct_version != SECBOOT_HDR_VERSION) {
        return sb_fail(err, SECBOOT_R_HDR_VERSION, HDR_OFF_VERSION);
    }
    if (tds_load_le32(b + HDR_OFF_RESERVED) != 0) {
        return sb_fail(err, SECBOOT_R_HDR_RESERVED, HDR_OFF_RESERVED);
    }
    if (h.length < SECBOOT_HDR_LEN || h.length > signed_payload.len) {
        return sb_fail(err, SECBOOT_R_HDR_LENGTH, HDR_OFF_LENGTH);
    }
    size_t block;
    if (h.algorithm == SECBOOT_ALG_ECDSA_P384_SHA384) {
        block = SECBOOT_ECDSA_BLOCK;
    } else if (h.algorithm == SECBOOT_ALG_RSAPSS_3072_SHA384) {
        block = SECBOOT_RSA_BLOCK;
    } else {
        return sb_fail(err, SECBOOT_R_HDR_ALGORITHM, HDR_OFF_ALGORITHM);
    }
    if (signed_payload.len - h.length != block) {
        return sb_fail(err, SECBOOT_R_SIG_BLOCK_SIZE, h.length);
    }
    *out = h;
    return TDS_OK;
}

tds_status secboot_verify_tdshim(tds_bytes signed_payload, const secboot_policy *policy,
                                 secboot_result *out, secboot_error *err)
{
    if (policy == NULL || out == NULL) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    secboot_payload_header h;
    TDS_TRY(secboot_header_parse(signed_payload, &h, err));
    const uint8_t *block = signed_payload.ptr + h.length;
    uint8_t hash[SECBOOT_SHA384_LEN];
    const tds_bytes signed_part = {signed_payload.ptr, h.length};
    if (sb_sha384(&signed_part, 1, hash) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CRYPTO, 0);
    }
    if (h.algorithm == SECBOOT_ALG_ECDSA_P384_SHA384) {
        TDS_TRY(sb_ecdsa_verify(block, block + SECBOOT_ECDSA_KEY, hash, policy, h.length,
                                (uint64_t)h.length + SECBOOT_ECDSA_KEY, err));
    } else {
        TDS_TRY(sb_rsa_verify(block, block + SECBOOT_RSA_KEY, hash, policy, h.length,
                              (uint64_t)h.length + SECBOOT_RSA_KEY, err));
    }
    if (h.payload_svn < policy->min_svn) {
        return sb_fail(err, SECBOOT_R_SVN_ROLLBACK, 32);
    }
    secboot_result r;
    memset(&r, 0, sizeof r);
    r.format = SECBOOT_FORMAT_TDSHIM;
    r.algorithm = h.algorithm;
    r.svn = h.payload_svn;
    r.version = h.payload_version;
    r.payload = tds_bytes_make(signed_payload.ptr + SECBOOT_HDR_LEN, h.length - SECBOOT_HDR_LEN);
    memcpy(r.key_hash, policy->key_hash, SECBOOT_SHA384_LEN);
    *out = r;
    return TDS_OK;
}
