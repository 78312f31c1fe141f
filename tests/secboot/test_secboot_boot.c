/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The boot policy (libsecboot/boot.c, docs/libsecboot.md 9): the image's secure-boot record,
 * the enforcement decision, a signed object found at the start of a payload section (its extent,
 * the zeros after it), the secure_policy_db data and the fw_cfg Linux payload, with hostile
 * inputs. Keys come from openssl at test time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sb_fixture.h"
#include "tdshim/endian.h"
#include "tdshim/tdvf.h"

#define PAYLOAD 300u
#define CFV_SIZE 0x1000u

static sbt_keys keys;
static uint8_t payload[PAYLOAD];
static uint8_t buf[8192];
static uint8_t cfv[CFV_SIZE];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < PAYLOAD; i++) {
        payload[i] = (uint8_t)(i * 7u + 1u);
    }
    return sbt_keys_init(&keys, false) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sbt_keys_free(&keys);
    return 0;
}

static void record(uint8_t rec[SECBOOT_IMAGE_REC_SIZE], uint32_t version, uint32_t flags)
{
    memset(rec, 0, SECBOOT_IMAGE_REC_SIZE);
    memcpy(rec, secboot_guid_image_rec.b, 16);
    tds_store_le32(rec + 16, version);
    tds_store_le32(rec + 20, flags);
}

static void test_image_flags(void **state)
{
    (void)state;
    uint8_t rec[SECBOOT_IMAGE_REC_SIZE];
    uint32_t f = 0x77;
    secboot_error e = {SECBOOT_R_NONE, 0};
    memset(rec, 0, sizeof rec);
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e), TDS_OK);
    assert_int_equal(f, 0);
    record(rec, 1, SECBOOT_IMAGE_REQUIRED);
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e), TDS_OK);
    assert_int_equal(f, SECBOOT_IMAGE_REQUIRED);
    record(rec, 1, 0); /* the record with no flag set is valid too */
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e), TDS_OK);
    assert_int_equal(f, 0);
    /* Hostile: wrong GUID, version, unknown flag, reserved bytes, one stray byte, wrong size. */
    f = 0x77;
    record(rec, 1, 1);
    rec[3] ^= 1;
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(e.reason, SECBOOT_R_IMAGE_FLAGS);
    assert_int_equal(e.offset, 0);
    record(rec, 2, 1);
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 16);
    record(rec, 1, 3);
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 20);
    record(rec, 1, 1);
    rec[31] = 1;
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 31);
    memset(rec, 0, sizeof rec);
    rec[30] = 0xFF; /* not zero, not the record */
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), &f, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(f, 0x77); /* never written on a refusal */
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, 31), &f, &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, sizeof rec), NULL, &e),
                     TDS_ERR_INVALID_ARG);
}

/* A CFV with the owner's key (and a floor when svn != 0). */
static void make_cfv(const sb_key *key, uint64_t svn)
{
    sbt_cfv_empty(cfv, sizeof cfv);
    size_t at = TDVF_FV_MIN_HEADER;
    uint8_t hash[SECBOOT_SHA384_LEN];
    assert_true(sb_key_hash(key, hash));
    uint8_t kd[SECBOOT_CFV_KEY_DATA];
    sbt_key_data(kd, hash);
    sbt_ffs(cfv, sizeof cfv, &at, &secboot_guid_cfv_key_file, SECBOOT_FFS_TYPE_RAW, kd, sizeof kd);
    if (svn != 0) {
        uint8_t sd[SECBOOT_CFV_SVN_DATA];
        sbt_svn_data(sd, svn);
        sbt_ffs(cfv, sizeof cfv, &at, &secboot_guid_cfv_min_svn_file, SECBOOT_FFS_TYPE_RAW, sd,
                sizeof sd);
    }
}

static void test_decide(void **state)
{
    (void)state;
    bool on = true;
    secboot_policy p;
    secboot_error e = {SECBOOT_R_NONE, 0};
    /* No trust anchor: off, or refused when the image requires secure boot. */
    sbt_cfv_empty(cfv, sizeof cfv);
    assert_int_equal(secboot_decide(tds_bytes_make(cfv, sizeof cfv), false, &on, &p, &e), TDS_OK);
    assert_false(on);
    on = true;
    assert_int_equal(secboot_decide(tds_bytes_make(cfv, sizeof cfv), true, &on, &p, &e),
                     TDS_ERR_POLICY);
    assert_int_equal(e.reason, SECBOOT_R_REQUIRED);
    assert_true(on); /* untouched */
    /* An anchor: on, with the policy. */
    make_cfv(&keys.ec, 9);
    assert_int_equal(secboot_decide(tds_bytes_make(cfv, sizeof cfv), false, &on, &p, &e), TDS_OK);
    assert_true(on);
    assert_int_equal(p.min_svn, 9);
    /* A damaged anchor file never turns enforcement off (required or not). */
    uint8_t hash[SECBOOT_SHA384_LEN];
    assert_true(sb_key_hash(&keys.ec, hash));
    uint8_t kd[SECBOOT_CFV_KEY_DATA];
    sbt_key_data(kd, hash);
    kd[24] = 2; /* HashAlgorithm */
    sbt_cfv_empty(cfv, sizeof cfv);
    size_t at = TDVF_FV_MIN_HEADER;
    sbt_ffs(cfv, sizeof cfv, &at, &secboot_guid_cfv_key_file, SECBOOT_FFS_TYPE_RAW, kd, sizeof kd);
    on = false;
    assert_int_equal(secboot_decide(tds_bytes_make(cfv, sizeof cfv), false, &on, &p, &e),
                     TDS_ERR_UNSUPPORTED);
    assert_int_equal(e.reason, SECBOOT_R_CFV_HASH_ALG);
    /* Not a firmware volume at all. */
    memset(cfv, 0, sizeof cfv);
    assert_int_equal(secboot_decide(tds_bytes_make(cfv, sizeof cfv), false, &on, &p, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(e.reason, SECBOOT_R_CFV_FV);
    assert_int_equal(secboot_decide(tds_bytes_make(cfv, sizeof cfv), false, NULL, &p, &e),
                     TDS_ERR_INVALID_ARG);
}

static void test_policy_db(void **state)
{
    (void)state;
    secboot_policy p;
    secboot_error e = {SECBOOT_R_NONE, 0};
    uint8_t db[SECBOOT_POLICY_DB_MAX];
    size_t n = 0;
    make_cfv(&keys.ec, 0);
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, sizeof cfv), &p, &e), TDS_OK);
    assert_int_equal(secboot_policy_db(tds_bytes_make(cfv, sizeof cfv), &p, db, &n), TDS_OK);
    assert_int_equal(n, SECBOOT_CFV_KEY_DATA); /* td-shim's event: the trust-anchor file */
    assert_memory_equal(db, cfv + p.key_file_offset, SECBOOT_CFV_KEY_DATA);
    make_cfv(&keys.ec, 4);
    assert_int_equal(secboot_cfv_parse(tds_bytes_make(cfv, sizeof cfv), &p, &e), TDS_OK);
    assert_int_equal(secboot_policy_db(tds_bytes_make(cfv, sizeof cfv), &p, db, &n), TDS_OK);
    assert_int_equal(n, SECBOOT_POLICY_DB_MAX);
    assert_memory_equal(db + SECBOOT_CFV_KEY_DATA, cfv + p.svn_file_offset, SECBOOT_CFV_SVN_DATA);
    assert_int_equal(tds_load_le64(db + SECBOOT_CFV_KEY_DATA + 8), 4);
    /* Offsets that do not fit the CFV given (a policy from another CFV). */
    p.svn_file_offset = CFV_SIZE - 8u;
    assert_int_equal(secboot_policy_db(tds_bytes_make(cfv, sizeof cfv), &p, db, &n),
                     TDS_ERR_INVALID_ARG);
    p.key_file_offset = UINT64_MAX;
    assert_int_equal(secboot_policy_db(tds_bytes_make(cfv, sizeof cfv), &p, db, &n),
                     TDS_ERR_INVALID_ARG);
}

static void verify(size_t n, const secboot_policy *pol, secboot_reason want, uint64_t off)
{
    secboot_result r;
    memset(&r, 0x5A, sizeof r);
    secboot_error e = {SECBOOT_R_NONE, 0};
    const tds_status st = secboot_verify_payload(tds_bytes_make(buf, n), pol, &r, &e);
    assert_int_equal(e.reason, want);
    assert_int_equal(st, want == SECBOOT_R_NONE ? TDS_OK : secboot_reason_status(want));
    if (want == SECBOOT_R_NONE) {
        assert_int_equal(r.payload.len, PAYLOAD);
        assert_memory_equal(r.payload.ptr, payload, PAYLOAD);
        assert_true(r.payload.ptr >= buf && r.payload.ptr + r.payload.len <= buf + n);
    } else {
        assert_int_equal(e.offset, off);
        assert_int_equal(r.svn, 0x5A5A5A5A5A5A5A5Aull);
    }
}

static void test_verify_tdshim_section(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 3);
    memset(buf, 0, sizeof buf);
    const size_t n = sbt_sign_tdshim(&keys, &keys.ec, payload, PAYLOAD, 3, 1, buf, sizeof buf);
    verify(n, &pol, SECBOOT_R_NONE, 0);
    verify(n + 4096, &pol, SECBOOT_R_NONE, 0); /* the section's zero padding */
    buf[n + 100] = 1;                          /* not zero after the signed object */
    verify(n + 4096, &pol, SECBOOT_R_SIG_BLOCK_SIZE, n + 100);
    buf[n + 100] = 0;
    verify(n - 1, &pol, SECBOOT_R_HDR_LENGTH, 20); /* the block cut short */
    verify(47, &pol, SECBOOT_R_HDR_TRUNCATED, 0);  /* shorter than the header */
    tds_store_le32(buf + 20, 0xFFFFFFFFu);         /* Length past the end */
    verify(n + 4096, &pol, SECBOOT_R_HDR_LENGTH, 20);
    tds_store_le32(buf + 20, 10); /* Length below the header */
    verify(n + 4096, &pol, SECBOOT_R_HDR_LENGTH, 20);
    tds_store_le32(buf + 20, (uint32_t)(SECBOOT_HDR_LEN + PAYLOAD));
    tds_store_le32(buf + 40, 7); /* unknown algorithm */
    verify(n + 4096, &pol, SECBOOT_R_HDR_ALGORITHM, 40);
    /* The other algorithm: its larger block takes the padding as N, which is no 3072-bit key. */
    tds_store_le32(buf + 40, SECBOOT_ALG_RSAPSS_3072_SHA384);
    verify(n + 4096, &pol, SECBOOT_R_RSA_KEY_SIZE, SECBOOT_HDR_LEN + PAYLOAD);
    verify(n, &pol, SECBOOT_R_HDR_LENGTH, 20); /* and without padding it does not fit */
    tds_store_le32(buf + 40, SECBOOT_ALG_ECDSA_P384_SHA384);
    verify(n + 4096, &pol, SECBOOT_R_NONE, 0);
    /* Another key, a floor above the SVN. */
    const secboot_policy other = sbt_policy(&keys.ec2, 3);
    verify(n, &other, SECBOOT_R_KEY_UNTRUSTED, n - SECBOOT_ECDSA_BLOCK);
    const secboot_policy high = sbt_policy(&keys.ec, 4);
    verify(n, &high, SECBOOT_R_SVN_ROLLBACK, 32);
}

static void test_verify_cose_section(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    memset(buf, 0, sizeof buf);
    sbt_cose_opts o = sbt_cose_default();
    const size_t n = sbt_cose(&keys, &keys.ec, &o, payload, PAYLOAD, buf, sizeof buf);
    assert_true(buf[0] == 0xD2u || buf[0] == 0x84u);
    verify(n, &pol, SECBOOT_R_NONE, 0);
    verify(n + 4096, &pol, SECBOOT_R_NONE, 0);
    buf[n] = 0x01; /* a second item after the message */
    verify(n + 4096, &pol, SECBOOT_R_CBOR_TRAILING, n);
    buf[n] = 0;
    verify(n - 1, &pol, SECBOOT_R_CBOR_TRUNCATED, n - SECBOOT_COSE_SIG - 2u);
    /* An untagged array of 4 is also COSE; an indefinite-length array is refused. */
    memset(buf, 0, sizeof buf);
    o.tag = -1;
    const size_t m = sbt_cose(&keys, &keys.ec, &o, payload, PAYLOAD, buf, sizeof buf);
    assert_int_equal(buf[0], 0x84u);
    verify(m + 16, &pol, SECBOOT_R_NONE, 0);
    buf[0] = 0x9F; /* not a COSE start byte: unsigned */
    verify(m, &pol, SECBOOT_R_UNSIGNED, 0);
    /* The detached form has no payload to load: refused as a section. */
    memset(buf, 0, sizeof buf);
    o = sbt_cose_default();
    o.detached = true;
    const size_t d = sbt_cose(&keys, &keys.ec, &o, payload, PAYLOAD, buf, sizeof buf);
    secboot_result r;
    secboot_error e = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_verify_payload(tds_bytes_make(buf, d), &pol, &r, &e),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, SECBOOT_R_COSE_PAYLOAD_MODE);
}

static void test_unsigned_and_args(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    memset(buf, 0, sizeof buf);
    static const uint8_t elf[4] = {0x7F, 'E', 'L', 'F'};
    memcpy(buf, elf, sizeof elf);
    verify(4096, &pol, SECBOOT_R_UNSIGNED, 0);
    verify(0, &pol, SECBOOT_R_UNSIGNED, 0);
    memset(buf, 0, 16);
    verify(16, &pol, SECBOOT_R_UNSIGNED, 0);
    memcpy(buf, secboot_guid_payload.b, 16); /* the GUID alone */
    verify(16, &pol, SECBOOT_R_HDR_TRUNCATED, 0);
    secboot_result r;
    secboot_error e = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_verify_payload(tds_bytes_make(buf, 16), NULL, &r, &e),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_verify_payload(tds_bytes_make(NULL, 5), &pol, &r, &e),
                     TDS_ERR_INVALID_ARG);
}

static void test_linux_payload(void **state)
{
    (void)state;
    uint8_t k[SECBOOT_SHA384_LEN];
    uint8_t i[SECBOOT_SHA384_LEN];
    uint8_t c[SECBOOT_SHA384_LEN];
    memset(k, 0x11, sizeof k);
    memset(i, 0x22, sizeof i);
    memset(c, 0x33, sizeof c);
    uint8_t out[SECBOOT_LINUX_PAYLOAD];
    secboot_linux_payload(k, i, c, out);
    assert_memory_equal(out, "TDSHIM-LINUX-V1\0", 16);
    assert_memory_equal(out + 16, k, sizeof k);
    assert_memory_equal(out + 64, i, sizeof i);
    assert_memory_equal(out + 112, c, sizeof c);
    /* A detached COSE_Sign1 over it verifies; over another command line it does not. */
    sbt_cose_opts o = sbt_cose_default();
    o.detached = true;
    const size_t n = sbt_cose(&keys, &keys.ec, &o, out, sizeof out, buf, sizeof buf);
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    const tds_bytes det = tds_bytes_make(out, sizeof out);
    secboot_result r;
    secboot_error e = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_verify_cose(tds_bytes_make(buf, n), &det, &pol, &r, &e), TDS_OK);
    c[0] ^= 1;
    secboot_linux_payload(k, i, c, out);
    assert_int_equal(secboot_verify_cose(tds_bytes_make(buf, n), &det, &pol, &r, &e),
                     TDS_ERR_MISMATCH);
    assert_int_equal(e.reason, SECBOOT_R_SIGNATURE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image_flags),         cmocka_unit_test(test_decide),
        cmocka_unit_test(test_policy_db),           cmocka_unit_test(test_verify_tdshim_section),
        cmocka_unit_test(test_verify_cose_section), cmocka_unit_test(test_unsigned_and_args),
        cmocka_unit_test(test_linux_payload),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
