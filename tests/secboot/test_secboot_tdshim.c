/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * td-shim signed payloads: the header rules, the signature-block sizes, hostile keys and
 * signatures (ECDSA r/s at 0 and at the group order, points off the curve, RSA moduli and
 * exponents), the trust check, flipped bytes, the SVN floor. Keys: openssl at test time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sb_fixture.h"

#define PAYLOAD 1000u
#define BUF (SECBOOT_HDR_LEN + PAYLOAD + SECBOOT_RSA_BLOCK + 64u)

static sbt_keys keys;
static uint8_t payload[PAYLOAD];
static uint8_t img[BUF];

/* The order n of P-384 (FIPS 186-5 / SP 800-186, big-endian). */
static const uint8_t p384_n[48] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xC7, 0x63, 0x4D, 0x81, 0xF4, 0x37, 0x2D, 0xDF,
    0x58, 0x1A, 0x0D, 0xB2, 0x48, 0xB0, 0xA7, 0x7A, 0xEC, 0xEC, 0x19, 0x6A, 0xCC, 0xC5, 0x29, 0x73};

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < PAYLOAD; i++) {
        payload[i] = (uint8_t)(i * 7 + 3);
    }
    return sbt_keys_init(&keys, true) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sbt_keys_free(&keys);
    return 0;
}

static size_t make(sb_key *key, uint64_t svn)
{
    return sbt_sign_tdshim(&keys, key, payload, PAYLOAD, svn, 77, img, sizeof img);
}

static void expect_verify(size_t len, const secboot_policy *pol, secboot_reason want, uint64_t off)
{
    secboot_result r;
    memset(&r, 0x5A, sizeof r);
    secboot_error err = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, len), pol, &r, &err),
                     secboot_reason_status(want));
    assert_int_equal(err.reason, want);
    assert_int_equal(err.offset, off);
    assert_int_equal(r.svn, 0x5A5A5A5A5A5A5A5Aull);
}

static void good(sb_key *key)
{
    const size_t n = make(key, 5);
    const secboot_policy pol = sbt_policy(key, 5);
    secboot_result r;
    secboot_error err = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, n), &pol, &r, &err), TDS_OK);
    assert_int_equal(r.format, SECBOOT_FORMAT_TDSHIM);
    assert_int_equal(r.algorithm, key->kind);
    assert_int_equal(r.svn, 5);
    assert_int_equal(r.version, 77);
    assert_ptr_equal(r.payload.ptr, img + SECBOOT_HDR_LEN);
    assert_int_equal(r.payload.len, PAYLOAD);
    assert_memory_equal(r.key_hash, pol.key_hash, SECBOOT_SHA384_LEN);
    assert_int_equal(err.reason, SECBOOT_R_NONE);
}

static void test_good_ecdsa(void **state)
{
    (void)state;
    good(&keys.ec);
}

static void test_good_rsa(void **state)
{
    (void)state;
    good(&keys.rsa);
}

static void test_header_rules(void **state)
{
    (void)state;
    const size_t n = make(&keys.ec, 1);
    secboot_payload_header h;
    secboot_error err;
    assert_int_equal(secboot_header_parse(tds_bytes_make(img, n), &h, &err), TDS_OK);
    assert_int_equal(h.length, SECBOOT_HDR_LEN + PAYLOAD);
    assert_int_equal(h.algorithm, SECBOOT_ALG_ECDSA_P384_SHA384);
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    struct {
        size_t off;
        uint8_t val;
        secboot_reason want;
        uint64_t at;
    } cases[] = {
        {0, 0x00, SECBOOT_R_HDR_GUID, 0},
        {15, 0x67, SECBOOT_R_HDR_GUID, 0},
        {16, 2, SECBOOT_R_HDR_VERSION, 16},
        {19, 1, SECBOOT_R_HDR_VERSION, 16},
        {44, 1, SECBOOT_R_HDR_RESERVED, 44},
        {47, 0x80, SECBOOT_R_HDR_RESERVED, 44},
        {40, 0, SECBOOT_R_HDR_ALGORITHM, 40},
        {40, 3, SECBOOT_R_HDR_ALGORITHM, 40},
        {43, 1, SECBOOT_R_HDR_ALGORITHM, 40},
        /* RSA claimed with an ECDSA block: the sizes disagree. */
        {40, 2, SECBOOT_R_SIG_BLOCK_SIZE, SECBOOT_HDR_LEN + PAYLOAD},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        (void)make(&keys.ec, 1);
        img[cases[i].off] = cases[i].val;
        expect_verify(n, &pol, cases[i].want, cases[i].at);
    }
}

static void test_length_field(void **state)
{
    (void)state;
    const size_t n = make(&keys.ec, 1);
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    const uint32_t lens[] = {0, 47, (uint32_t)n + 1, UINT32_MAX};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        (void)make(&keys.ec, 1);
        tds_store_le32(img + 20, lens[i]);
        expect_verify(n, &pol, SECBOOT_R_HDR_LENGTH, 20);
    }
    /* Length inside but the remainder not the block: one short, one long, everything. */
    const uint32_t bad[] = {SECBOOT_HDR_LEN + PAYLOAD - 1, SECBOOT_HDR_LEN + PAYLOAD + 1,
                            (uint32_t)n, SECBOOT_HDR_LEN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        (void)make(&keys.ec, 1);
        tds_store_le32(img + 20, bad[i]);
        expect_verify(n, &pol, SECBOOT_R_SIG_BLOCK_SIZE, bad[i]);
    }
    /* Empty payload is allowed: the header alone is signed. */
    const size_t e = sbt_sign_tdshim(&keys, &keys.ec, NULL, 0, 1, 0, img, sizeof img);
    secboot_result r;
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, e), &pol, &r, NULL), TDS_OK);
    assert_int_equal(r.payload.len, 0);
}

static void test_truncated_and_extended(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    const size_t n = make(&keys.ec, 1);
    for (size_t cut = 0; cut < n; cut++) {
        secboot_result r;
        secboot_error err;
        const tds_status st = secboot_verify_tdshim(tds_bytes_make(img, cut), &pol, &r, &err);
        assert_int_not_equal(st, TDS_OK);
        if (cut < SECBOOT_HDR_LEN) {
            assert_int_equal(err.reason, SECBOOT_R_HDR_TRUNCATED);
        } else if (cut < SECBOOT_HDR_LEN + PAYLOAD) {
            assert_int_equal(err.reason, SECBOOT_R_HDR_LENGTH);
        } else {
            assert_int_equal(err.reason, SECBOOT_R_SIG_BLOCK_SIZE);
        }
    }
    img[n] = 0;
    expect_verify(n + 1, &pol, SECBOOT_R_SIG_BLOCK_SIZE, SECBOOT_HDR_LEN + PAYLOAD);
}

#define BLOCK (SECBOOT_HDR_LEN + PAYLOAD)

static void test_ecdsa_ranges(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    const size_t r_at = BLOCK + SECBOOT_ECDSA_KEY;
    const size_t s_at = r_at + SECBOOT_ECDSA_COORD;
    size_t n = make(&keys.ec, 1);
    memset(img + r_at, 0, 48); /* r = 0 */
    expect_verify(n, &pol, SECBOOT_R_ECDSA_SIG_RANGE, r_at);
    n = make(&keys.ec, 1);
    memcpy(img + r_at, p384_n, 48); /* r = n */
    expect_verify(n, &pol, SECBOOT_R_ECDSA_SIG_RANGE, r_at);
    n = make(&keys.ec, 1);
    memset(img + r_at, 0xFF, 48); /* r > n */
    expect_verify(n, &pol, SECBOOT_R_ECDSA_SIG_RANGE, r_at);
    n = make(&keys.ec, 1);
    memset(img + s_at, 0, 48);
    expect_verify(n, &pol, SECBOOT_R_ECDSA_SIG_RANGE, s_at);
    n = make(&keys.ec, 1);
    memcpy(img + s_at, p384_n, 48);
    expect_verify(n, &pol, SECBOOT_R_ECDSA_SIG_RANGE, s_at);
    /* n - 1 is in range: it fails as a signature, not as a range. */
    n = make(&keys.ec, 1);
    memcpy(img + s_at, p384_n, 48);
    img[s_at + 47]--;
    expect_verify(n, &pol, SECBOOT_R_SIGNATURE, s_at - SECBOOT_ECDSA_COORD);
}

static void test_ecdsa_key_off_curve(void **state)
{
    (void)state;
    size_t n = make(&keys.ec, 1);
    img[BLOCK + 95] ^= 1; /* Y's last bit: no longer on the curve */
    secboot_policy pol = sbt_policy(&keys.ec, 0);
    expect_verify(n, &pol, SECBOOT_R_ECDSA_KEY, BLOCK);
    n = make(&keys.ec, 1);
    memset(img + BLOCK, 0, SECBOOT_ECDSA_KEY); /* (0, 0) */
    expect_verify(n, &pol, SECBOOT_R_ECDSA_KEY, BLOCK);
    n = make(&keys.ec, 1);
    memset(img + BLOCK, 0xFF, 48); /* X >= p */
    expect_verify(n, &pol, SECBOOT_R_ECDSA_KEY, BLOCK);
}

static void test_rsa_key_rules(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.rsa, 0);
    const size_t e_at = BLOCK + SECBOOT_RSA_MOD;
    const size_t s_at = BLOCK + SECBOOT_RSA_KEY;
    size_t n = make(&keys.rsa, 1);
    img[BLOCK] &= 0x7F; /* a 3071-bit modulus */
    expect_verify(n, &pol, SECBOOT_R_RSA_KEY_SIZE, BLOCK);
    n = make(&keys.rsa, 1);
    img[BLOCK + SECBOOT_RSA_MOD - 1] &= 0xFE; /* even modulus */
    expect_verify(n, &pol, SECBOOT_R_RSA_KEY_SIZE, BLOCK);
    const uint64_t exps[] = {0, 1, 2, 65536, 0x100000001ull, UINT64_MAX};
    for (size_t i = 0; i < sizeof exps / sizeof exps[0]; i++) {
        n = make(&keys.rsa, 1);
        tds_store_be64(img + e_at, exps[i]);
        expect_verify(n, &pol, SECBOOT_R_RSA_EXPONENT, e_at);
    }
    n = make(&keys.rsa, 1);
    memcpy(img + s_at, img + BLOCK, SECBOOT_RSA_MOD); /* S = N */
    expect_verify(n, &pol, SECBOOT_R_RSA_SIG_RANGE, s_at);
    n = make(&keys.rsa, 1);
    memset(img + s_at, 0xFF, SECBOOT_RSA_MOD); /* S > N */
    expect_verify(n, &pol, SECBOOT_R_RSA_SIG_RANGE, s_at);
    n = make(&keys.rsa, 1);
    memset(img + s_at, 0, SECBOOT_RSA_MOD); /* S = 0: in range, not a signature */
    expect_verify(n, &pol, SECBOOT_R_SIGNATURE, s_at);
    /* A different (valid) exponent: the key is no longer the trusted one. */
    n = make(&keys.rsa, 1);
    tds_store_be64(img + e_at, 3);
    expect_verify(n, &pol, SECBOOT_R_KEY_UNTRUSTED, BLOCK);
}

static void test_trust(void **state)
{
    (void)state;
    /* Correctly signed by a key that is not the anchor. */
    size_t n = make(&keys.ec2, 1);
    secboot_policy pol = sbt_policy(&keys.ec, 0);
    expect_verify(n, &pol, SECBOOT_R_KEY_UNTRUSTED, BLOCK);
    n = make(&keys.rsa, 1);
    expect_verify(n, &pol, SECBOOT_R_KEY_UNTRUSTED, BLOCK);
    /* The trusted key's bytes with another key's signature. */
    n = make(&keys.ec2, 1);
    memcpy(img + BLOCK, keys.ec.pub, SECBOOT_ECDSA_KEY);
    expect_verify(n, &pol, SECBOOT_R_SIGNATURE, BLOCK + SECBOOT_ECDSA_KEY);
}

static void flips(sb_key *key, size_t sig_at)
{
    const secboot_policy pol = sbt_policy(key, 0);
    const size_t n = make(key, 1);
    const size_t where[] = {0 + 20 + 4, 24, 32, SECBOOT_HDR_LEN, SECBOOT_HDR_LEN + PAYLOAD / 2,
                            BLOCK - 1};
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        img[where[i]] ^= 0x10;
        expect_verify(n, &pol, SECBOOT_R_SIGNATURE, sig_at);
        img[where[i]] ^= 0x10;
    }
    img[n - 1] ^= 0x01; /* the signature's last byte */
    secboot_result r;
    secboot_error err;
    assert_int_not_equal(secboot_verify_tdshim(tds_bytes_make(img, n), &pol, &r, &err), TDS_OK);
    assert_true(err.reason == SECBOOT_R_SIGNATURE || err.reason == SECBOOT_R_ECDSA_SIG_RANGE ||
                err.reason == SECBOOT_R_RSA_SIG_RANGE);
    img[n - 1] ^= 0x01;
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, n), &pol, &r, &err), TDS_OK);
}

static void test_flipped_bytes(void **state)
{
    (void)state;
    flips(&keys.ec, BLOCK + SECBOOT_ECDSA_KEY);
    flips(&keys.rsa, BLOCK + SECBOOT_RSA_KEY);
}

static void test_svn_floor(void **state)
{
    (void)state;
    secboot_policy pol = sbt_policy(&keys.ec, 10);
    size_t n = make(&keys.ec, 9);
    expect_verify(n, &pol, SECBOOT_R_SVN_ROLLBACK, 32);
    assert_int_equal(secboot_reason_status(SECBOOT_R_SVN_ROLLBACK), TDS_ERR_POLICY);
    n = make(&keys.ec, 0);
    expect_verify(n, &pol, SECBOOT_R_SVN_ROLLBACK, 32);
    secboot_result r;
    n = make(&keys.ec, 10);
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, n), &pol, &r, NULL), TDS_OK);
    n = make(&keys.ec, UINT64_MAX);
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, n), &pol, &r, NULL), TDS_OK);
    /* A raised SVN that is not signed is a signature failure, not a pass of the floor. */
    n = make(&keys.ec, 9);
    tds_store_le64(img + 32, 10);
    expect_verify(n, &pol, SECBOOT_R_SIGNATURE, BLOCK + SECBOOT_ECDSA_KEY);
    n = make(&keys.rsa, UINT64_MAX - 1);
    pol = sbt_policy(&keys.rsa, UINT64_MAX);
    expect_verify(n, &pol, SECBOOT_R_SVN_ROLLBACK, 32);
}

static void test_args(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    secboot_result r;
    secboot_error err;
    const size_t n = make(&keys.ec, 1);
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, n), NULL, &r, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(img, n), &pol, NULL, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_verify_tdshim(tds_bytes_make(NULL, 3), &pol, &r, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_header_parse(tds_bytes_make(img, n), NULL, &err), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_ecdsa),
        cmocka_unit_test(test_good_rsa),
        cmocka_unit_test(test_header_rules),
        cmocka_unit_test(test_length_field),
        cmocka_unit_test(test_truncated_and_extended),
        cmocka_unit_test(test_ecdsa_ranges),
        cmocka_unit_test(test_ecdsa_key_off_curve),
        cmocka_unit_test(test_rsa_key_rules),
        cmocka_unit_test(test_trust),
        cmocka_unit_test(test_flipped_bytes),
        cmocka_unit_test(test_svn_floor),
        cmocka_unit_test(test_args),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
