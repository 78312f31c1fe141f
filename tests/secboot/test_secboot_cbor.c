/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The bounded CBOR reader: well-formed items of every major type, and each refusal (indefinite
 * lengths, breaks, reserved additional information, floats and other simple values, depth, map
 * size, key types, duplicate keys by value, trailing bytes, truncation, absurd counts).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/secboot.h"

static void check(const uint8_t *p, size_t n, secboot_reason want, uint64_t off)
{
    secboot_error err = {SECBOOT_R_NONE, 12345};
    const tds_status st = secboot_cbor_check(tds_bytes_make(p, n), &err);
    assert_int_equal(st, secboot_reason_status(want));
    assert_int_equal(err.reason, want);
    if (want != SECBOOT_R_NONE) {
        assert_int_equal(err.offset, off);
    } else {
        assert_int_equal(err.offset, 12345);
    }
}

#define OK(...)                                                                                    \
    do {                                                                                           \
        static const uint8_t b_[] = {__VA_ARGS__};                                                 \
        check(b_, sizeof b_, SECBOOT_R_NONE, 0);                                                   \
    } while (0)
#define BAD(reason, off, ...)                                                                      \
    do {                                                                                           \
        static const uint8_t b_[] = {__VA_ARGS__};                                                 \
        check(b_, sizeof b_, reason, off);                                                         \
    } while (0)

static void test_well_formed(void **state)
{
    (void)state;
    OK(0x00);
    OK(0x17);
    OK(0x18, 0x18);
    OK(0x18, 0x01); /* not the shortest form: accepted, as RFC 8949 well-formedness allows */
    OK(0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF);
    OK(0x3B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF); /* -2^64 */
    OK(0x40);
    OK(0x43, 1, 2, 3);
    OK(0x62, 'h', 'i');
    OK(0x80);
    OK(0x83, 0x01, 0x02, 0x03);
    OK(0xA0);
    OK(0xA2, 0x01, 0x02, 0x20, 0x03);             /* {1: 2, -1: 3} */
    OK(0xA2, 0x01, 0x00, 0x21, 0x00);             /* 1 and -2 differ */
    OK(0xA2, 0x41, 0x01, 0x00, 0x61, 0x01, 0x00); /* h'01' and "\x01" differ */
    OK(0xA2, 0x00, 0x00, 0x20, 0x00);             /* 0 and -1 differ */
    OK(0xD2, 0x80);                               /* tag 18 */
    OK(0xDB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
    OK(0xF4);
    OK(0xF5);
    OK(0xF6);
    OK(0xF7);
    /* Depth 8: seven arrays around an integer. */
    OK(0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x00);
    OK(0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0x00);
}

static void test_indefinite(void **state)
{
    (void)state;
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0x5F, 0x41, 0x00, 0xFF);
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0x7F, 0x61, 0x61, 0xFF);
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0x9F, 0xFF);
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0xBF, 0xFF);
    BAD(SECBOOT_R_CBOR_INDEFINITE, 1, 0x81, 0x9F, 0xFF);
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0xFF); /* a lone break */
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0x1F); /* not well-formed for integers either */
    BAD(SECBOOT_R_CBOR_INDEFINITE, 0, 0xDF, 0x00);
}

static void test_reserved_and_simple(void **state)
{
    (void)state;
    BAD(SECBOOT_R_CBOR_RESERVED, 0, 0x1C);
    BAD(SECBOOT_R_CBOR_RESERVED, 0, 0x5D);
    BAD(SECBOOT_R_CBOR_RESERVED, 0, 0xFE);
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xE0);
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xF3);
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xF8, 0x20);
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xF8, 0x14); /* two-byte false: not well-formed */
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xF9, 0x3C, 0x00);
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xFA, 0, 0, 0, 0);
    BAD(SECBOOT_R_CBOR_SIMPLE, 0, 0xFB, 0, 0, 0, 0, 0, 0, 0, 0);
}

static void test_truncated(void **state)
{
    (void)state;
    check(NULL, 0, SECBOOT_R_CBOR_TRUNCATED, 0);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x18);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x19, 0x01);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x1B, 0, 0, 0, 0, 0, 0, 0);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x42, 0x00);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x82, 0x00);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0xA1, 0x00);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0xC1);
    /* Lengths and counts that cannot fit: refused before any loop runs. */
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0x9A, 0x00, 0x10, 0x00, 0x00, 0x00);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 0, 0xA2, 0x00, 0x00, 0x01);
    BAD(SECBOOT_R_CBOR_TRUNCATED, 2, 0x82, 0x00, 0x81);
}

static void test_utf8(void **state)
{
    (void)state;
    OK(0x62, 0xC3, 0xA9);                                      /* U+00E9 */
    OK(0x63, 0xE2, 0x82, 0xAC);                                /* U+20AC */
    OK(0x64, 0xF0, 0x9F, 0x98, 0x80);                          /* U+1F600 */
    OK(0x64, 0xF4, 0x8F, 0xBF, 0xBF);                          /* U+10FFFF */
    OK(0x63, 0xED, 0x9F, 0xBF);                                /* U+D7FF */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x61, 0x80);                   /* lone continuation */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x62, 0xC0, 0x80);             /* overlong NUL */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x62, 0xC1, 0xBF);             /* overlong */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x63, 0xE0, 0x9F, 0xBF);       /* overlong 3-byte */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x63, 0xED, 0xA0, 0x80);       /* surrogate U+D800 */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x64, 0xF0, 0x8F, 0xBF, 0xBF); /* overlong 4-byte */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x64, 0xF4, 0x90, 0x80, 0x80); /* above U+10FFFF */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x61, 0xF5);
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x61, 0xFF);
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x62, 0xE2, 0x82);       /* cut short */
    BAD(SECBOOT_R_CBOR_UTF8, 0, 0x63, 0xE2, 0x28, 0xA1); /* bad continuation */
    BAD(SECBOOT_R_CBOR_UTF8, 1, 0xA1, 0x61, 0xFF, 0x00); /* as a map key */
    OK(0x41, 0xFF);                                      /* byte strings are bytes */
}

static void test_trailing(void **state)
{
    (void)state;
    BAD(SECBOOT_R_CBOR_TRAILING, 1, 0x00, 0x00);
    BAD(SECBOOT_R_CBOR_TRAILING, 2, 0x81, 0x00, 0xFF);
    BAD(SECBOOT_R_CBOR_TRAILING, 1, 0xA0, 0xA0);
}

static void test_depth(void **state)
{
    (void)state;
    BAD(SECBOOT_R_CBOR_DEPTH, 8, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x00);
    BAD(SECBOOT_R_CBOR_DEPTH, 8, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0xC1, 0x00);
    /* A map key at depth 9 and a value at depth 9. */
    BAD(SECBOOT_R_CBOR_DEPTH, 8, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xA1, 0x00, 0x00);
    BAD(SECBOOT_R_CBOR_DEPTH, 9, 0x81, 0x81, 0x81, 0x81, 0x81, 0x81, 0xA1, 0x00, 0x81, 0x00);
    /* Deep nesting in a long input stops at the limit, whatever follows. */
    uint8_t deep[4096];
    memset(deep, 0x81, sizeof deep);
    check(deep, sizeof deep, SECBOOT_R_CBOR_DEPTH, 8);
}

static void test_maps(void **state)
{
    (void)state;
    BAD(SECBOOT_R_CBOR_DUPLICATE, 3, 0xA2, 0x01, 0x02, 0x01, 0x03);
    BAD(SECBOOT_R_CBOR_DUPLICATE, 3, 0xA2, 0x01, 0x02, 0x18, 0x01, 0x03); /* 1 twice */
    BAD(SECBOOT_R_CBOR_DUPLICATE, 3, 0xA2, 0x20, 0x02, 0x38, 0x00, 0x03); /* -1 twice */
    BAD(SECBOOT_R_CBOR_DUPLICATE, 5, 0xA2, 0x62, 'a', 'b', 0x00, 0x62, 'a', 'b', 0x00);
    BAD(SECBOOT_R_CBOR_DUPLICATE, 3, 0xA2, 0x40, 0x00, 0x40, 0x00);
    BAD(SECBOOT_R_CBOR_DUPLICATE, 7, 0xA4, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x02, 0x00);
    /* Duplicates in a nested map. */
    BAD(SECBOOT_R_CBOR_DUPLICATE, 4, 0x81, 0xA2, 0x00, 0x00, 0x00, 0x00);
    BAD(SECBOOT_R_CBOR_KEY_TYPE, 1, 0xA1, 0x80, 0x00);
    BAD(SECBOOT_R_CBOR_KEY_TYPE, 1, 0xA1, 0xA0, 0x00);
    BAD(SECBOOT_R_CBOR_KEY_TYPE, 1, 0xA1, 0xF6, 0x00);
    BAD(SECBOOT_R_CBOR_KEY_TYPE, 1, 0xA1, 0xC1, 0x00, 0x00);
    /* Map size: 32 pairs fine, 33 refused. */
    uint8_t m[1 + 2 + 33 * 3];
    size_t n = 0;
    m[n++] = 0xB8;
    m[n++] = 32;
    for (unsigned i = 0; i < 32; i++) {
        m[n++] = 0x18;
        m[n++] = (uint8_t)(100 + i);
        m[n++] = 0xF6;
    }
    check(m, n, SECBOOT_R_NONE, 0);
    m[1] = 33;
    m[n++] = 0x18;
    m[n++] = 200;
    m[n++] = 0xF6;
    check(m, n, SECBOOT_R_CBOR_MAP_SIZE, 0);
}

static void test_reader(void **state)
{
    (void)state;
    static const uint8_t doc[] = {0xD2, 0x84, 0x43, 1, 2, 3, 0xA0, 0xF6, 0x39, 0x01, 0x00};
    secboot_cbor_reader r = secboot_cbor_reader_make(tds_bytes_make(doc, sizeof doc));
    secboot_cbor_item it;
    assert_int_equal(secboot_cbor_next(&r, &it, NULL), TDS_OK);
    assert_int_equal(it.major, SECBOOT_CBOR_TAG);
    assert_int_equal(it.arg, 18);
    assert_int_equal(secboot_cbor_next(&r, &it, NULL), TDS_OK);
    assert_int_equal(it.major, SECBOOT_CBOR_ARRAY);
    assert_int_equal(it.arg, 4);
    assert_int_equal(it.offset, 1);
    assert_int_equal(secboot_cbor_next(&r, &it, NULL), TDS_OK);
    assert_int_equal(it.major, SECBOOT_CBOR_BSTR);
    assert_int_equal(it.str.len, 3);
    assert_ptr_equal(it.str.ptr, doc + 3);
    assert_int_equal(secboot_cbor_next(&r, &it, NULL), TDS_OK);
    assert_int_equal(it.major, SECBOOT_CBOR_MAP);
    assert_int_equal(it.arg, 0);
    assert_int_equal(secboot_cbor_next(&r, &it, NULL), TDS_OK);
    assert_int_equal(it.major, SECBOOT_CBOR_SIMPLE);
    assert_int_equal(it.arg, 22);
    assert_int_equal(secboot_cbor_next(&r, &it, NULL), TDS_OK);
    assert_int_equal(it.major, SECBOOT_CBOR_NEGINT);
    assert_int_equal(it.arg, 256); /* -257 */
    secboot_error err;
    const secboot_cbor_item before = it;
    assert_int_equal(secboot_cbor_next(&r, &it, &err), TDS_ERR_TRUNCATED);
    assert_int_equal(err.offset, sizeof doc);
    assert_int_equal(it.arg, before.arg); /* untouched */
    assert_int_equal(secboot_cbor_next(NULL, &it, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(secboot_cbor_next(&r, NULL, &err), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_well_formed),
        cmocka_unit_test(test_indefinite),
        cmocka_unit_test(test_reserved_and_simple),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_trailing),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
