/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * COSE_Sign1 with ES384: attached and detached payloads, the profile's header rules, hostile
 * structures, wrong keys, flipped bytes and the SVN floor. Messages are assembled here with a
 * small CBOR writer and signed over a Sig_structure built here; keys come from openssl.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sb_fixture.h"

#define PAYLOAD 300u

static sbt_keys keys;
static uint8_t payload[PAYLOAD];
static uint8_t msg[4096];

static int setup(void **state)
{
    (void)state;
    for (size_t i = 0; i < PAYLOAD; i++) {
        payload[i] = (uint8_t)(i ^ 0x5C);
    }
    return sbt_keys_init(&keys, false) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sbt_keys_free(&keys);
    return 0;
}

static size_t make(const sbt_cose_opts *o)
{
    return sbt_cose(&keys, &keys.ec, o, payload, PAYLOAD, msg, sizeof msg);
}

static void expect(size_t n, const tds_bytes *det, const secboot_policy *pol, secboot_reason want)
{
    secboot_result r;
    memset(&r, 0x5A, sizeof r);
    secboot_error err = {SECBOOT_R_NONE, 0};
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, n), det, pol, &r, &err),
                     secboot_reason_status(want));
    assert_int_equal(err.reason, want);
    if (want != SECBOOT_R_NONE) {
        assert_int_equal(r.svn, 0x5A5A5A5A5A5A5A5Aull);
    }
}

static void test_attached(void **state)
{
    (void)state;
    sbt_cose_opts o = sbt_cose_default();
    const secboot_policy pol = sbt_policy(&keys.ec, 5);
    const size_t n = make(&o);
    secboot_result r;
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, n), NULL, &pol, &r, NULL), TDS_OK);
    assert_int_equal(r.format, SECBOOT_FORMAT_COSE);
    assert_int_equal(r.algorithm, SECBOOT_ALG_ECDSA_P384_SHA384);
    assert_int_equal(r.svn, 5);
    assert_int_equal(r.version, 7);
    assert_int_equal(r.payload.len, PAYLOAD);
    assert_memory_equal(r.payload.ptr, payload, PAYLOAD);
    assert_true(r.payload.ptr >= msg && r.payload.ptr < msg + n);
    /* Without the tag and without the version label. */
    o.tag = -1;
    o.with_version = false;
    const size_t m = make(&o);
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, m), NULL, &pol, &r, NULL), TDS_OK);
    assert_int_equal(r.version, 0);
}

static void test_detached(void **state)
{
    (void)state;
    sbt_cose_opts o = sbt_cose_default();
    o.detached = true;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    const size_t n = make(&o);
    const tds_bytes det = tds_bytes_make(payload, PAYLOAD);
    secboot_result r;
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, n), &det, &pol, &r, NULL), TDS_OK);
    assert_ptr_equal(r.payload.ptr, payload);
    /* Mode mismatches. */
    expect(n, NULL, &pol, SECBOOT_R_COSE_PAYLOAD_MODE);
    o.detached = false;
    const size_t m = make(&o);
    expect(m, &det, &pol, SECBOOT_R_COSE_PAYLOAD_MODE);
    /* The detached payload changed by one byte, or cut short. */
    o.detached = true;
    const size_t d = make(&o);
    payload[100] ^= 1;
    expect(d, &det, &pol, SECBOOT_R_SIGNATURE);
    payload[100] ^= 1;
    const tds_bytes cut = tds_bytes_make(payload, PAYLOAD - 1);
    expect(d, &cut, &pol, SECBOOT_R_SIGNATURE);
    expect(d, &det, &pol, SECBOOT_R_NONE);
}

static void test_profile_rules(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    sbt_cose_opts o = sbt_cose_default();
    o.tag = 17; /* COSE_Mac0's tag */
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_STRUCTURE);
    o = sbt_cose_default();
    o.alg = -7; /* ES256 */
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_ALG);
    o.alg = -36; /* ES512 */
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_ALG);
    o.alg = 35;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_ALG);
    o = sbt_cose_default();
    o.with_alg = false;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_ALG);
    o = sbt_cose_default();
    o.crit = true;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_LABEL);
    o = sbt_cose_default();
    o.extra_label = true;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_LABEL);
    o = sbt_cose_default();
    o.unprotected = true;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_UNPROTECTED);
    o = sbt_cose_default();
    o.with_kid = false;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_KID);
    o = sbt_cose_default();
    o.svn = (uint64_t)-5; /* written as the integer -5: not an SVN */
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_SVN);
    o.with_svn = false;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_SVN);
}

static void test_key_lengths(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    uint8_t kid[98];
    memcpy(kid, keys.ec.pub, 96);
    kid[96] = 0;
    kid[97] = 0;
    sbt_cose_opts o = sbt_cose_default();
    o.kid = kid;
    const size_t lens[] = {0, 64 /* a P-256 key's size */, 95, 97, 98};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        o.kid_len = lens[i];
        expect(make(&o), NULL, &pol, SECBOOT_R_COSE_KID);
    }
    /* A 96-byte kid that is not a point. */
    kid[95] ^= 1;
    o.kid_len = 96;
    expect(make(&o), NULL, &pol, SECBOOT_R_ECDSA_KEY);
}

static void test_signature_lengths(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    sbt_cose_opts o = sbt_cose_default();
    const size_t lens[] = {0, 64, 95, 97, 104, 128};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        o.sig_len = lens[i];
        expect(make(&o), NULL, &pol, SECBOOT_R_COSE_SIG_LENGTH);
    }
}

/* Find the signature (the last 96 bytes) and set r or s. */
static void test_signature_ranges(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    sbt_cose_opts o = sbt_cose_default();
    size_t n = make(&o);
    memset(msg + n - 96, 0, 48);
    expect(n, NULL, &pol, SECBOOT_R_ECDSA_SIG_RANGE);
    n = make(&o);
    memset(msg + n - 48, 0xFF, 48);
    expect(n, NULL, &pol, SECBOOT_R_ECDSA_SIG_RANGE);
    o.corrupt_sig = true;
    expect(make(&o), NULL, &pol, SECBOOT_R_SIGNATURE);
}

static void test_trust_and_flips(void **state)
{
    (void)state;
    const secboot_policy other = sbt_policy(&keys.ec2, 0);
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    sbt_cose_opts o = sbt_cose_default();
    const size_t n = make(&o);
    expect(n, NULL, &other, SECBOOT_R_KEY_UNTRUSTED);
    /* Signed by ec2 but naming ec's key. */
    o.kid = keys.ec.pub;
    o.kid_len = 96;
    const size_t m = sbt_cose(&keys, &keys.ec2, &o, payload, PAYLOAD, msg, sizeof msg);
    expect(m, NULL, &pol, SECBOOT_R_SIGNATURE);
    /* Every byte of the payload region and of the protected header's values, flipped alone. */
    o = sbt_cose_default();
    const size_t k = make(&o);
    size_t pay_at = 0;
    for (size_t i = 0; i + PAYLOAD <= k; i++) {
        if (memcmp(msg + i, payload, PAYLOAD) == 0) {
            pay_at = i;
            break;
        }
    }
    assert_int_not_equal(pay_at, 0);
    for (size_t i = 0; i < PAYLOAD; i += 13) {
        msg[pay_at + i] ^= 0x80;
        expect(k, NULL, &pol, SECBOOT_R_SIGNATURE);
        msg[pay_at + i] ^= 0x80;
    }
    secboot_result r;
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, k), NULL, &pol, &r, NULL), TDS_OK);
}

static void test_svn_floor(void **state)
{
    (void)state;
    sbt_cose_opts o = sbt_cose_default();
    o.svn = 3;
    const size_t n = make(&o);
    secboot_policy pol = sbt_policy(&keys.ec, 4);
    expect(n, NULL, &pol, SECBOOT_R_SVN_ROLLBACK);
    pol.min_svn = 3;
    expect(n, NULL, &pol, SECBOOT_R_NONE);
    o.svn = (uint64_t)-5; /* written as the integer -5: not an SVN */
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_SVN);
    o.with_svn = false;
    expect(make(&o), NULL, &pol, SECBOOT_R_COSE_SVN);
}

static void test_hostile_structures(void **state)
{
    (void)state;
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    static const struct {
        uint8_t b[16];
        size_t n;
        secboot_reason want;
    } cases[] = {
        {{0x80}, 1, SECBOOT_R_COSE_STRUCTURE},                               /* [] */
        {{0x83, 0x40, 0xA0, 0xF6}, 4, SECBOOT_R_COSE_STRUCTURE},             /* 3 items */
        {{0x84, 0xA0, 0xA0, 0xF6, 0x40}, 5, SECBOOT_R_COSE_STRUCTURE},       /* map, not bstr */
        {{0x84, 0x40, 0xA0, 0xF6, 0x40}, 5, SECBOOT_R_COSE_ALG},             /* empty protected */
        {{0x84, 0x41, 0xA0, 0xA0, 0xF6, 0x40}, 6, SECBOOT_R_COSE_ALG},       /* {} protected */
        {{0x84, 0x41, 0x80, 0xA0, 0xF6, 0x40}, 6, SECBOOT_R_COSE_PROTECTED}, /* [] protected */
        {{0x84, 0x41, 0xA1, 0xA0, 0xF6, 0x40}, 6, SECBOOT_R_CBOR_TRUNCATED},
        {{0x84, 0x42, 0xA0, 0x00, 0xA0, 0xF6, 0x40}, 7, SECBOOT_R_CBOR_TRAILING},
        {{0x84, 0x43, 0xA1, 0x61, 0x61, 0xA0, 0xF6, 0x40}, 8, SECBOOT_R_CBOR_TRUNCATED},
        {{0x84, 0x44, 0xA1, 0x61, 0x61, 0x00, 0xA0, 0xF6, 0x40}, 9, SECBOOT_R_COSE_LABEL},
        {{0x84, 0x45, 0xA2, 0x01, 0x00, 0x01, 0x00, 0xA0, 0xF6, 0x40},
         10,
         SECBOOT_R_CBOR_DUPLICATE},
        {{0x84, 0x43, 0xA1, 0x01, 0x38, 0xA0, 0xF6, 0x40}, 8, SECBOOT_R_CBOR_TRUNCATED},
        {{0x84, 0x44, 0xA1, 0x01, 0x38, 0x22, 0xA0, 0xF6, 0x40}, 9, SECBOOT_R_COSE_KID},
        {{0x84, 0x44, 0xA1, 0x01, 0x38, 0x22, 0x80, 0xF6, 0x40}, 9, SECBOOT_R_COSE_KID},
        {{0x9F, 0xFF}, 2, SECBOOT_R_CBOR_INDEFINITE},
        {{0x84, 0x5F, 0xFF, 0xA0, 0xF6, 0x40}, 6, SECBOOT_R_CBOR_INDEFINITE},
        {{0xD2, 0xD2, 0x80}, 3, SECBOOT_R_COSE_STRUCTURE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(msg, cases[i].b, cases[i].n);
        expect(cases[i].n, NULL, &pol, cases[i].want);
    }
    /* A valid message with one byte more, and every prefix of it. */
    sbt_cose_opts o = sbt_cose_default();
    const size_t n = make(&o);
    msg[n] = 0x00;
    expect(n + 1, NULL, &pol, SECBOOT_R_CBOR_TRAILING);
    for (size_t cut = 0; cut < n; cut++) {
        secboot_result r;
        assert_int_not_equal(secboot_verify_cose(tds_bytes_make(msg, cut), NULL, &pol, &r, NULL),
                             TDS_OK);
    }
}

static void test_parse_and_args(void **state)
{
    (void)state;
    sbt_cose_opts o = sbt_cose_default();
    const size_t n = make(&o);
    secboot_cose c;
    assert_int_equal(secboot_cose_parse(tds_bytes_make(msg, n), &c, NULL), TDS_OK);
    assert_int_equal(c.kid.len, 96);
    assert_memory_equal(c.kid.ptr, keys.ec.pub, 96);
    assert_int_equal(c.svn, 5);
    assert_true(c.has_version);
    assert_false(c.detached);
    assert_int_equal(c.signature.len, 96);
    const secboot_policy pol = sbt_policy(&keys.ec, 0);
    secboot_result r;
    secboot_error err;
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, n), NULL, NULL, &r, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, n), NULL, &pol, NULL, &err),
                     TDS_ERR_INVALID_ARG);
    const tds_bytes bad = tds_bytes_make(NULL, 4);
    assert_int_equal(secboot_verify_cose(tds_bytes_make(msg, n), &bad, &pol, &r, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_cose_parse(tds_bytes_make(msg, n), NULL, &err), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attached),           cmocka_unit_test(test_detached),
        cmocka_unit_test(test_profile_rules),      cmocka_unit_test(test_key_lengths),
        cmocka_unit_test(test_signature_lengths),  cmocka_unit_test(test_signature_ranges),
        cmocka_unit_test(test_trust_and_flips),    cmocka_unit_test(test_svn_floor),
        cmocka_unit_test(test_hostile_structures), cmocka_unit_test(test_parse_and_args),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
