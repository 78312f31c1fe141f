/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-measure's CBOR reference values (tools/tdshim-measure/refvalues.c): exact encoding,
 * round trip, and hostile documents refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "refvalues.h"

static refvalues sample(bool mrtd)
{
    refvalues v;
    memset(&v, 0, sizeof v);
    v.has_mrtd = mrtd;
    for (unsigned i = 0; i < RTMR_SHA384_SIZE; i++) {
        v.mrtd[i] = (uint8_t)(0xA0u + i);
        for (unsigned r = 0; r < RTMR_COUNT; r++) {
            v.rtmr.r[r].b[i] = (uint8_t)(r * 0x10u + i);
        }
        v.ccel_sha384.b[i] = (uint8_t)(0xFFu - i);
    }
    v.ccel_events = 4;
    return v;
}

/* The bytes are fixed by RFC 8949 for this map: check them field by field, written by hand. */
static void test_exact_encoding(void **state)
{
    (void)state;
    const refvalues v = sample(true);
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(refvalues_encode(&v, &buf, &len), TDS_OK);
    /* a5 (map of 5), 67 "version" 01, 64 "mrtd" 58 30 <48>, 64 "rtmr" 84 (58 30 <48>) x4,
     * 6b "ccel-sha384" 58 30 <48>, 6b "ccel-events" 04 */
    const size_t want = 1 + (1 + 7 + 1) + (1 + 4 + 2 + 48) + (1 + 4 + 1 + 4 * 50) +
                        (1 + 11 + 2 + 48) + (1 + 11 + 1);
    assert_int_equal(len, want);
    size_t at = 0;
    assert_int_equal(buf[at++], 0xA5);
    assert_int_equal(buf[at++], 0x67);
    assert_memory_equal(buf + at, "version", 7);
    at += 7;
    assert_int_equal(buf[at++], 0x01);
    assert_int_equal(buf[at++], 0x64);
    assert_memory_equal(buf + at, "mrtd", 4);
    at += 4;
    assert_int_equal(buf[at++], 0x58);
    assert_int_equal(buf[at++], 0x30);
    assert_memory_equal(buf + at, v.mrtd, 48);
    at += 48;
    assert_int_equal(buf[at++], 0x64);
    assert_memory_equal(buf + at, "rtmr", 4);
    at += 4;
    assert_int_equal(buf[at++], 0x84);
    for (unsigned r = 0; r < RTMR_COUNT; r++) {
        assert_int_equal(buf[at++], 0x58);
        assert_int_equal(buf[at++], 0x30);
        assert_memory_equal(buf + at, v.rtmr.r[r].b, 48);
        at += 48;
    }
    assert_int_equal(buf[at++], 0x6B);
    assert_memory_equal(buf + at, "ccel-sha384", 11);
    at += 11;
    assert_int_equal(buf[at++], 0x58);
    assert_int_equal(buf[at++], 0x30);
    assert_memory_equal(buf + at, v.ccel_sha384.b, 48);
    at += 48;
    assert_int_equal(buf[at++], 0x6B);
    assert_memory_equal(buf + at, "ccel-events", 11);
    at += 11;
    assert_int_equal(buf[at++], 0x04);
    assert_int_equal(at, len);
    free(buf);
}

static void test_round_trip(void **state)
{
    (void)state;
    for (int m = 0; m < 2; m++) {
        refvalues v = sample(m == 1);
        v.ccel_events = 0x123456789ull;
        uint8_t *buf = NULL;
        size_t len = 0;
        assert_int_equal(refvalues_encode(&v, &buf, &len), TDS_OK);
        /* The count in its shortest form: 1b + 8 bytes (> 2^32) at the very end. */
        assert_int_equal(buf[len - 9], 0x1B);
        refvalues back;
        memset(&back, 0x5A, sizeof back);
        assert_int_equal(refvalues_decode(tds_bytes_make(buf, len), &back), TDS_OK);
        assert_int_equal(back.has_mrtd, m == 1);
        if (m == 1) {
            assert_memory_equal(back.mrtd, v.mrtd, 48);
        }
        assert_memory_equal(&back.rtmr, &v.rtmr, sizeof v.rtmr);
        assert_memory_equal(back.ccel_sha384.b, v.ccel_sha384.b, 48);
        assert_int_equal(back.ccel_events, 0x123456789ull);
        free(buf);
    }
}

/* Decode a hand-modified copy of the 4-key document; must be refused, *out untouched. */
static void refuse(const uint8_t *doc, size_t len)
{
    refvalues out;
    memset(&out, 0x77, sizeof out);
    refvalues before = out;
    assert_int_equal(refvalues_decode(tds_bytes_make(doc, len), &out), TDS_ERR_MALFORMED);
    assert_memory_equal(&out, &before, sizeof out);
}

/* Integers take their shortest form whatever their size. */
static void test_shortest_integers(void **state)
{
    (void)state;
    const struct {
        uint64_t v;
        uint8_t head;
        size_t extra;
    } cases[] = {{0, 0x00, 0},         {23, 0x17, 0},         {24, 0x18, 1},
                 {255, 0x18, 1},       {256, 0x19, 2},        {65535, 0x19, 2},
                 {65536, 0x1A, 4},     {UINT32_MAX, 0x1A, 4}, {UINT32_MAX + 1ull, 0x1B, 8},
                 {UINT64_MAX, 0x1B, 8}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        refvalues v = sample(false);
        v.ccel_events = cases[i].v;
        uint8_t *buf = NULL;
        size_t len = 0;
        assert_int_equal(refvalues_encode(&v, &buf, &len), TDS_OK);
        assert_int_equal(buf[len - 1 - cases[i].extra], cases[i].head);
        refvalues back;
        assert_int_equal(refvalues_decode(tds_bytes_make(buf, len), &back), TDS_OK);
        assert_int_equal(back.ccel_events, cases[i].v);
        free(buf);
    }
}

static void test_hostile(void **state)
{
    (void)state;
    const refvalues v = sample(false);
    uint8_t *buf = NULL;
    size_t len = 0;
    assert_int_equal(refvalues_encode(&v, &buf, &len), TDS_OK);
    uint8_t *m = malloc(len + 16);
    assert_non_null(m);
    /* Offsets in the 4-key document: a4, "version" at 1, its value at 9, "rtmr" key at 10, the
     * array head at 15, the first digest's byte-string head at 16. */
    assert_int_equal(buf[9], 0x01);
    assert_int_equal(buf[15], 0x84);
    assert_int_equal(buf[16], 0x58);

    refuse(buf, 0);       /* empty */
    refuse(buf, len - 1); /* truncated */
    memcpy(m, buf, len);
    m[len] = 0x00;
    refuse(m, len + 1); /* trailing byte */
    memcpy(m, buf, len);
    m[9] = 0x02;
    refuse(m, len); /* version 2 */
    memcpy(m, buf, len);
    m[15] = 0x83;
    refuse(m, len); /* three RTMRs (and a dangling item) */
    memcpy(m, buf, len);
    m[17] = 0x2F;
    refuse(m, len); /* a 47-byte digest */
    memcpy(m, buf, len);
    m[16] = 0x78;
    refuse(m, len); /* a text string where a digest belongs */
    memcpy(m, buf, len);
    m[11] = 'x';
    refuse(m, len); /* unknown key "xtmr" */
    memcpy(m, buf, len);
    m[0] = 0xA3;
    refuse(m, len); /* a map missing its last key (and trailing bytes) */
    memcpy(m, buf, len);
    m[0] = 0x84;
    refuse(m, len); /* an array, not a map */
    const uint8_t indefinite[] = {0xBF, 0xFF};
    refuse(indefinite, sizeof indefinite); /* indefinite-length map */
    /* Headers announcing more than the input could hold (libcbor's cbor_load would try to
     * allocate them; found by fuzz_refvalues): a map of 2^60 pairs, an array of 2^32 items in
     * place of the RTMRs, a 2^63-byte string. */
    const uint8_t huge_map[] = {0xBB, 0x00, 0x67, 0, 0, 0, 0, 0, 0x58, 0x02, 0x01};
    refuse(huge_map, sizeof huge_map);
    memcpy(m, buf, len);
    m[15] = 0x9A; /* array, 4-byte count follows: reuse the next bytes as 0x58 0x30 ... */
    refuse(m, len);
    const uint8_t huge_str[] = {0xA1, 0x7B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 'v'};
    refuse(huge_str, sizeof huge_str);
    const uint8_t nine[] = {0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0}; /* more than 8 entries */
    refuse(nine, sizeof nine);
    uint8_t big[2048];
    memset(big, 0, sizeof big);
    memcpy(big, buf, len);
    refuse(big, sizeof big); /* larger than any document: refused before parsing */
    /* A key repeated: the map header says 5, "version" twice. */
    memcpy(m, buf, len);
    m[0] = 0xA5;
    memcpy(m + len, buf + 1, 9);
    refuse(m, len + 9);
    free(m);
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_encoding),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_shortest_integers),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
