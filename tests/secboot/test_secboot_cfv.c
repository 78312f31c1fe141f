/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * secboot_cfv_parse: the trust-anchor and minimum-SVN files in a PI firmware volume, each rule
 * broken alone; the reason table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sb_fixture.h"
#include "tdshim/tdvf.h"

#define CFV 0x2000u

static uint8_t cfv[CFV];
static uint8_t hash[SECBOOT_SHA384_LEN];

static const tds_guid other_name =
    TDS_GUID_INIT(0x01234567u, 0x89ABu, 0xCDEFu, 0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF);

/* A CFV with the trust anchor and, if svn != UINT64_MAX, the minimum SVN. Returns the offset
 * where the next file would go. */
static size_t make(uint64_t svn)
{
    uint8_t key[SECBOOT_CFV_KEY_DATA];
    size_t at = TDVF_FV_MIN_HEADER;
    for (size_t i = 0; i < sizeof hash; i++) {
        hash[i] = (uint8_t)(0xA0 + i);
    }
    sbt_cfv_empty(cfv, CFV);
    sbt_key_data(key, hash);
    sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_key_file, SECBOOT_FFS_TYPE_RAW, key, sizeof key);
    if (svn != UINT64_MAX) {
        uint8_t s[SECBOOT_CFV_SVN_DATA];
        sbt_svn_data(s, svn);
        sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_min_svn_file, SECBOOT_FFS_TYPE_RAW, s, sizeof s);
    }
    return at;
}

static void expect(secboot_reason want, uint64_t off)
{
    secboot_policy p;
    memset(&p, 0x5A, sizeof p);
    secboot_error err = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, CFV), &p, &err),
                     secboot_reason_status(want));
    assert_int_equal(err.reason, want);
    assert_int_equal(err.offset, off);
    assert_int_equal(p.min_svn, 0x5A5A5A5A5A5A5A5Aull); /* untouched on failure */
}

static void test_good(void **state)
{
    (void)state;
    secboot_policy p;
    secboot_error err = {SECBOOT_R_NONE, 99};
    (void)make(UINT64_MAX);
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, CFV), &p, &err), TDS_OK);
    assert_memory_equal(p.key_hash, hash, sizeof hash);
    assert_false(p.has_min_svn);
    assert_int_equal(p.min_svn, 0);
    assert_int_equal(p.key_file_offset, TDVF_FV_MIN_HEADER + SECBOOT_FFS_HEADER);
    assert_int_equal(err.offset, 99); /* untouched on success */

    (void)make(12345);
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, CFV), &p, &err), TDS_OK);
    assert_true(p.has_min_svn);
    assert_int_equal(p.min_svn, 12345);
}

static void test_other_files_skipped(void **state)
{
    (void)state;
    uint8_t junk[37];
    memset(junk, 0x33, sizeof junk);
    size_t at = TDVF_FV_MIN_HEADER;
    sbt_cfv_empty(cfv, CFV);
    sbt_ffs(cfv, CFV, &at, &other_name, 0x02, junk, sizeof junk); /* odd size: next aligned */
    uint8_t key[SECBOOT_CFV_KEY_DATA];
    sbt_key_data(key, hash);
    sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_key_file, SECBOOT_FFS_TYPE_RAW, key, sizeof key);
    sbt_ffs(cfv, CFV, &at, &other_name, SECBOOT_FFS_TYPE_RAW, junk, 5);
    secboot_policy p;
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, CFV), &p, NULL), TDS_OK);
    assert_memory_equal(p.key_hash, hash, sizeof hash);
}

static void test_not_a_volume(void **state)
{
    (void)state;
    (void)make(1);
    cfv[40] ^= 1; /* '_FVH' */
    expect(SECBOOT_R_CFV_FV, 0);
    (void)make(1);
    cfv[50] ^= 1; /* header checksum */
    expect(SECBOOT_R_CFV_FV, 0);
}

static void test_no_key(void **state)
{
    (void)state;
    sbt_cfv_empty(cfv, CFV);
    expect(SECBOOT_R_CFV_NO_KEY, 0);
    uint8_t s[SECBOOT_CFV_SVN_DATA];
    size_t at = TDVF_FV_MIN_HEADER;
    sbt_svn_data(s, 3);
    sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_min_svn_file, SECBOOT_FFS_TYPE_RAW, s, sizeof s);
    expect(SECBOOT_R_CFV_NO_KEY, 0);
}

static void test_duplicates(void **state)
{
    (void)state;
    uint8_t key[SECBOOT_CFV_KEY_DATA];
    sbt_key_data(key, hash);
    size_t at = make(UINT64_MAX);
    const size_t second = at;
    sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_key_file, SECBOOT_FFS_TYPE_RAW, key, sizeof key);
    expect(SECBOOT_R_CFV_DUPLICATE, second);
    uint8_t s[SECBOOT_CFV_SVN_DATA];
    sbt_svn_data(s, 3);
    at = make(3);
    const size_t third = at;
    sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_min_svn_file, SECBOOT_FFS_TYPE_RAW, s, sizeof s);
    expect(SECBOOT_R_CFV_DUPLICATE, third);
}

#define KEY_AT (TDVF_FV_MIN_HEADER + SECBOOT_FFS_HEADER)

static void test_key_file_rules(void **state)
{
    (void)state;
    (void)make(UINT64_MAX);
    cfv[TDVF_FV_MIN_HEADER + 18] = 0x02; /* not RAW */
    expect(SECBOOT_R_CFV_FILE_TYPE, TDVF_FV_MIN_HEADER + 18);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 3] ^= 1; /* header GUID */
    expect(SECBOOT_R_CFV_KEY_HEADER, KEY_AT);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 16] = 2; /* version */
    expect(SECBOOT_R_CFV_KEY_HEADER, KEY_AT);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 20] = 87; /* Length */
    expect(SECBOOT_R_CFV_KEY_LENGTH, KEY_AT + 20);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 24] = 2; /* HashAlgorithm: not SHA-384 */
    expect(SECBOOT_R_CFV_HASH_ALG, KEY_AT + 24);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 31] = 1; /* HashAlgorithm is a u64: high bits count */
    expect(SECBOOT_R_CFV_HASH_ALG, KEY_AT + 24);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 33] = 1; /* Reserved */
    expect(SECBOOT_R_CFV_KEY_HEADER, KEY_AT + 32);
    (void)make(UINT64_MAX);
    cfv[KEY_AT + 39] = 1; /* Pad */
    expect(SECBOOT_R_CFV_KEY_HEADER, KEY_AT + 32);
    /* File data one byte short / long (the FFS Size says so). */
    (void)make(UINT64_MAX);
    cfv[TDVF_FV_MIN_HEADER + 20] = SECBOOT_FFS_HEADER + SECBOOT_CFV_KEY_DATA - 1;
    expect(SECBOOT_R_CFV_KEY_LENGTH, KEY_AT);
    (void)make(UINT64_MAX);
    cfv[TDVF_FV_MIN_HEADER + 20] = SECBOOT_FFS_HEADER + SECBOOT_CFV_KEY_DATA + 1;
    expect(SECBOOT_R_CFV_KEY_LENGTH, KEY_AT);
}

static void test_svn_file_rules(void **state)
{
    (void)state;
    const size_t svn_hdr = TDVF_FV_MIN_HEADER + SECBOOT_FFS_HEADER + SECBOOT_CFV_KEY_DATA;
    const size_t svn_at = svn_hdr + SECBOOT_FFS_HEADER;
    (void)make(9);
    cfv[svn_at] = 2;
    expect(SECBOOT_R_CFV_SVN_FILE, svn_at);
    (void)make(9);
    cfv[svn_at + 4] = 24;
    expect(SECBOOT_R_CFV_SVN_FILE, svn_at);
    (void)make(9);
    cfv[svn_hdr + 20] = SECBOOT_FFS_HEADER + 15;
    expect(SECBOOT_R_CFV_SVN_FILE, svn_at);
    (void)make(9);
    cfv[svn_hdr + 18] = 0x07;
    expect(SECBOOT_R_CFV_FILE_TYPE, svn_hdr + 18);
}

static void test_ffs_bounds(void **state)
{
    (void)state;
    /* Size below the header. */
    (void)make(UINT64_MAX);
    cfv[TDVF_FV_MIN_HEADER + 20] = 23;
    expect(SECBOOT_R_CFV_FILE_SIZE, TDVF_FV_MIN_HEADER + 20);
    /* Size past the volume (24-bit maximum). */
    (void)make(UINT64_MAX);
    cfv[TDVF_FV_MIN_HEADER + 20] = 0xFF;
    cfv[TDVF_FV_MIN_HEADER + 21] = 0xFF;
    cfv[TDVF_FV_MIN_HEADER + 22] = 0xFF;
    expect(SECBOOT_R_CFV_FILE_SIZE, TDVF_FV_MIN_HEADER + 20);
    /* Exactly to the end is fine when the file is not one of ours. */
    sbt_cfv_empty(cfv, CFV);
    size_t at = TDVF_FV_MIN_HEADER;
    static uint8_t fill[CFV];
    sbt_ffs(cfv, CFV, &at, &other_name, 0x02, fill, CFV - TDVF_FV_MIN_HEADER - SECBOOT_FFS_HEADER);
    expect(SECBOOT_R_CFV_NO_KEY, 0);
    /* Large-file attribute. */
    (void)make(UINT64_MAX);
    cfv[TDVF_FV_MIN_HEADER + 19] = SECBOOT_FFS_ATTR_LARGE;
    expect(SECBOOT_R_CFV_LARGE_FILE, TDVF_FV_MIN_HEADER + 19);
    /* A non-erased tail shorter than a header. */
    sbt_cfv_empty(cfv, CFV);
    at = TDVF_FV_MIN_HEADER;
    sbt_ffs(cfv, CFV, &at, &other_name, 0x02, fill,
            CFV - TDVF_FV_MIN_HEADER - SECBOOT_FFS_HEADER - 16);
    cfv[CFV - 3] = 0;
    expect(SECBOOT_R_CFV_FILE_HEADER, CFV - 16);
    /* An erased tail shorter than a header ends the walk. */
    cfv[CFV - 3] = 0xFF;
    expect(SECBOOT_R_CFV_NO_KEY, 0);
}

static void test_free_space_ends_walk(void **state)
{
    (void)state;
    /* A key file after free space is not seen. */
    uint8_t key[SECBOOT_CFV_KEY_DATA];
    sbt_key_data(key, hash);
    sbt_cfv_empty(cfv, CFV);
    size_t at = 0x100;
    sbt_ffs(cfv, CFV, &at, &secboot_guid_cfv_key_file, SECBOOT_FFS_TYPE_RAW, key, sizeof key);
    expect(SECBOOT_R_CFV_NO_KEY, 0);
}

static void test_args(void **state)
{
    (void)state;
    secboot_policy p;
    secboot_error err;
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, CFV), NULL, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, SECBOOT_R_BAD_ARG);
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(NULL, 5), &p, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, 10), &p, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, SECBOOT_R_CFV_FV);
}

static void test_every_prefix_refused(void **state)
{
    (void)state;
    (void)make(4);
    for (size_t n = 0; n < CFV; n += 7) {
        secboot_policy p;
        assert_int_not_equal(secboot_cfv_parse(tds_bytes_make(cfv, n), &p, NULL), TDS_OK);
    }
}

static void test_reasons(void **state)
{
    (void)state;
    assert_int_equal(secboot_reason_status(SECBOOT_R_NONE), TDS_OK);
    assert_string_equal(secboot_reason_str(SECBOOT_R_SVN_ROLLBACK), "svn-rollback");
    assert_int_equal(secboot_reason_status(SECBOOT_R_SVN_ROLLBACK), TDS_ERR_POLICY);
    for (int i = 1; i < (int)SECBOOT_R_COUNT_; i++) {
        const secboot_reason r = (secboot_reason)i;
        assert_int_not_equal(secboot_reason_status(r), TDS_OK);
        assert_string_not_equal(secboot_reason_str(r), "unknown");
        assert_string_not_equal(secboot_reason_text(r), "unknown reason");
        for (int j = 1; j < i; j++) {
            assert_string_not_equal(secboot_reason_str((secboot_reason)j), secboot_reason_str(r));
        }
    }
    assert_string_equal(secboot_reason_str(SECBOOT_R_COUNT_), "unknown");
    assert_string_equal(secboot_reason_text((secboot_reason)-1), "unknown reason");
    assert_int_equal(secboot_reason_status(SECBOOT_R_COUNT_), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_other_files_skipped),
        cmocka_unit_test(test_not_a_volume),
        cmocka_unit_test(test_no_key),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_key_file_rules),
        cmocka_unit_test(test_svn_file_rules),
        cmocka_unit_test(test_ffs_bounds),
        cmocka_unit_test(test_free_space_ends_walk),
        cmocka_unit_test(test_args),
        cmocka_unit_test(test_every_prefix_refused),
        cmocka_unit_test(test_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
