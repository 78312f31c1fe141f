/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The CFV (docs/libsecboot.md 2): a PI firmware volume whose FFS files hold td-shim's trust anchor
 * (CfvPubKeyFileHeader + SHA-384 of the public key) and this project's minimum SVN.
 */
#include "secboot_int.h"
#include "tdshim/tdvf.h"

/* 77A2742E-9340-4AC9-8F85-B7B978580021 */
const tds_guid secboot_guid_cfv_key_file =
    TDS_GUID_INIT(0x77A2742Eu, 0x9340u, 0x4AC9u, 0x8F, 0x85, 0xB7, 0xB9, 0x78, 0x58, 0x00, 0x21);
/* BE8F65A3-A83B-415C-A1FB-F78E105E824E */
const tds_guid secboot_guid_cfv_key_header =
    TDS_GUID_INIT(0xBE8F65A3u, 0xA83Bu, 0x415Cu, 0xA1, 0xFB, 0xF7, 0x8E, 0x10, 0x5E, 0x82, 0x4E);
/* 9DC914E9-DC11-4A29-8820-D081A51A828B */
const tds_guid secboot_guid_cfv_min_svn_file =
    TDS_GUID_INIT(0x9DC914E9u, 0xDC11u, 0x4A29u, 0x88, 0x20, 0xD0, 0x81, 0xA5, 0x1A, 0x82, 0x8B);

#define FV_OFF_ATTRIBUTES 44u
#define FV_OFF_HEADER_LENGTH 48u
#define FV_OFF_EXT_OFFSET 52u
#define FV_EXT_OFF_SIZE 16u /* ExtHeaderSize after the FvName GUID */

static bool all_bytes(tds_bytes b, uint8_t v)
{
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] != v) {
            return false;
        }
    }
    return true;
}

/* Where the first file starts: after the header, or after the extended header if there is one.
 * tdvf_fv_check has proved both inside the volume. */
static tds_status first_file(tds_bytes fv, size_t *out)
{
    size_t start = tds_load_le16(fv.ptr + FV_OFF_HEADER_LENGTH);
    const size_t ext = tds_load_le16(fv.ptr + FV_OFF_EXT_OFFSET);
    if (ext != 0) {
        tds_bytes sz;
        TDS_TRY(tds_bytes_sub(fv, ext + FV_EXT_OFF_SIZE, 4, &sz));
        TDS_TRY(tds_add_size(ext, tds_load_le32(sz.ptr), &start));
    }
    return tds_align_up_size(start, SECBOOT_FFS_ALIGN, out);
}

static tds_status parse_key(tds_bytes data, size_t off, secboot_policy *p, secboot_error *err)
{
    if (data.len != SECBOOT_CFV_KEY_DATA) {
        return sb_fail(err, SECBOOT_R_CFV_KEY_LENGTH, off);
    }
    if (!tds_guid_equal_bytes(&secboot_guid_cfv_key_header, data.ptr) ||
        tds_load_le32(data.ptr + 16) != SECBOOT_CFV_KEY_VERSION) {
        return sb_fail(err, SECBOOT_R_CFV_KEY_HEADER, off);
    }
    if (tds_load_le32(data.ptr + 20) != SECBOOT_CFV_KEY_DATA) {
        return sb_fail(err, SECBOOT_R_CFV_KEY_LENGTH, off + 20);
    }
    if (tds_load_le64(data.ptr + 24) != SECBOOT_CFV_HASH_SHA384) {
        return sb_fail(err, SECBOOT_R_CFV_HASH_ALG, off + 24);
    }
    if (tds_load_le32(data.ptr + 32) != 0 || tds_load_le32(data.ptr + 36) != 0) {
        return sb_fail(err, SECBOOT_R_CFV_KEY_HEADER, off + 32);
    }
    memcpy(p->key_hash, data.ptr + SECBOOT_CFV_KEY_HEADER, SECBOOT_SHA384_LEN);
    p->key_file_offset = off;
    return TDS_OK;
}

static tds_status parse_svn(tds_bytes data, size_t off, secboot_policy *p, secboot_error *err)
{
    if (data.len != SECBOOT_CFV_SVN_DATA || tds_load_le32(data.ptr) != SECBOOT_CFV_SVN_VERSION ||
        tds_load_le32(data.ptr + 4) != SECBOOT_CFV_SVN_DATA) {
        return sb_fail(err, SECBOOT_R_CFV_SVN_FILE, off);
    }
    p->min_svn = tds_load_le64(data.ptr + 8);
    p->has_min_svn = true;
    p->svn_file_offset = off;
    return TDS_OK;
}

tds_status secboot_cfv_parse(tds_bytes cfv, secboot_policy *out, secboot_error *err)
{
    if (!tds_bytes_valid(cfv) || out == NULL) {
        return sb_fail(err, SECBOOT_R_BAD_ARG, 0);
    }
    tdvf_error fv_err = {NULL, 0};
    if (tdvf_fv_check(cfv, &fv_err) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CFV_FV, 0);
    }
    const uint8_t erased =
        (tds_load_le32(cfv.ptr + FV_OFF_ATTRIBUTES) & TDVF_FVB2_ERASE_POLARITY) != 0 ? 0xFFu : 0u;
    size_t at;
    if (first_file(cfv, &at) != TDS_OK) {
        return sb_fail(err, SECBOOT_R_CFV_FV, FV_OFF_EXT_OFFSET);
    }
    secboot_policy p;
    memset(&p, 0, sizeof p);
    bool have_key = false;
    while (at < cfv.len) {
        tds_bytes rest;
        if (tds_bytes_sub(cfv, at, cfv.len - at, &rest) != TDS_OK) {
            return sb_fail(err, SECBOOT_R_CFV_FILE_HEADER, at);
        }
        if (rest.len < SECBOOT_FFS_HEADER) {
            if (all_bytes(rest, erased)) {
                break; /* erased tail shorter than a header */
            }
            return sb_fail(err, SECBOOT_R_CFV_FILE_HEADER, at);
        }
        const tds_bytes hdr = {rest.ptr, SECBOOT_FFS_HEADER};
        if (all_bytes(hdr, erased)) {
            break; /* free space: the end of the files */
        }
        if ((hdr.ptr[19] & SECBOOT_FFS_ATTR_LARGE) != 0) {
            return sb_fail(err, SECBOOT_R_CFV_LARGE_FILE, at + 19);
        }
        const size_t size =
            (size_t)hdr.ptr[20] | (size_t)hdr.ptr[21] << 8 | (size_t)hdr.ptr[22] << 16;
        if (size < SECBOOT_FFS_HEADER || size > rest.len) {
            return sb_fail(err, SECBOOT_R_CFV_FILE_SIZE, at + 20);
        }
        const tds_bytes data = {rest.ptr + SECBOOT_FFS_HEADER, size - SECBOOT_FFS_HEADER};
        const size_t data_off = at + SECBOOT_FFS_HEADER;
        const bool is_key = tds_guid_equal_bytes(&secboot_guid_cfv_key_file, hdr.ptr);
        const bool is_svn = tds_guid_equal_bytes(&secboot_guid_cfv_min_svn_file, hdr.ptr);
        if (is_key || is_svn) {
            if ((is_key && have_key) || (is_svn && p.has_min_svn)) {
                return sb_fail(err, SECBOOT_R_CFV_DUPLICATE, at);
            }
            if (hdr.ptr[18] != SECBOOT_FFS_TYPE_RAW) {
                return sb_fail(err, SECBOOT_R_CFV_FILE_TYPE, at + 18);
            }
            if (is_key) {
                TDS_TRY(parse_key(data, data_off, &p, err));
                have_key = true;
            } else {
                TDS_TRY(parse_svn(data, data_off, &p, err));
            }
        }
        size_t next;
        if (tds_add_size(at, size, &next) != TDS_OK ||
            tds_align_up_size(next, SECBOOT_FFS_ALIGN, &next) != TDS_OK) {
            return sb_fail(err, SECBOOT_R_CFV_FILE_SIZE, at + 20);
        }
        at = next;
    }
    if (!have_key) {
        return sb_fail(err, SECBOOT_R_CFV_NO_KEY, 0);
    }
    *out = p;
    return TDS_OK;
}
