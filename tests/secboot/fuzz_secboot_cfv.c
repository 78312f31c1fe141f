/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: arbitrary bytes as a CFV (secboot_cfv_parse). Checks: a refusal names a reason whose
 * status it returned and leaves the policy untouched; an accepted CFV is a firmware volume whose
 * trust-anchor file data sits at key_file_offset with the digest the policy holds.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tdshim/secboot.h"
#include "tdshim/tdvf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond) {
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    secboot_policy p;
    memset(&p, 0xA5, sizeof p);
    secboot_error err = {SECBOOT_R_NONE, 0};
    const tds_status st = secboot_cfv_parse(tds_bytes_make(data, size), &p, &err);
    if (st != TDS_OK) {
        check(err.reason != SECBOOT_R_NONE && secboot_reason_status(err.reason) == st);
        check(err.offset <= size);
        check(p.min_svn == 0xA5A5A5A5A5A5A5A5ull);
        return 0;
    }
    check(err.reason == SECBOOT_R_NONE);
    tdvf_error fe;
    check(tdvf_fv_check(tds_bytes_make(data, size), &fe) == TDS_OK);
    check(p.key_file_offset >= TDVF_FV_MIN_HEADER + SECBOOT_FFS_HEADER);
    check(p.key_file_offset + SECBOOT_CFV_KEY_DATA <= size);
    const uint8_t *k = data + p.key_file_offset;
    check(tds_guid_equal_bytes(&secboot_guid_cfv_key_header, k));
    check(tds_load_le32(k + 20) == SECBOOT_CFV_KEY_DATA && tds_load_le64(k + 24) == 1);
    check(memcmp(k + SECBOOT_CFV_KEY_HEADER, p.key_hash, SECBOOT_SHA384_LEN) == 0);
    check(tds_guid_equal_bytes(&secboot_guid_cfv_key_file, k - SECBOOT_FFS_HEADER));
    check(p.has_min_svn || p.min_svn == 0);
    return 0;
}
