/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libaccept accept-on-demand: the Linux unaccepted-memory table and the tracker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_tdx.h"
#include "tdshim/accept_bitmap.h"

#define K4 ACCEPT_PAGE_4K
#define M2 ACCEPT_PAGE_2M
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void init_ctx(accept_ctx *ctx, fake_tdx *f)
{
    accept_config cfg = accept_config_default();
    cfg.mode_1g = ACCEPT_1G_OFF;
    accept_ops o;
    memset(&o, 0, sizeof(o));
    o.accept = fake_accept;
    o.accept_ctx = f;
    assert_int_equal(accept_init(ctx, &cfg, &o), TDS_OK);
}

static bool bit(const uint8_t *table, uint64_t i)
{
    return (((unsigned)table[ACCEPT_TABLE_HEADER_SIZE + i / 8] >> (i % 8)) & 1u) != 0;
}

static void test_guid_and_size(void **state)
{
    (void)state;
    const uint8_t guid[16] = ACCEPT_TABLE_GUID_BYTES;
    assert_int_equal(guid[0], 0x3C);
    assert_int_equal(guid[3], 0xD5);
    assert_int_equal(guid[15], 0x31);
    size_t sz;
    assert_int_equal(accept_table_size(NULL, 0, &sz), TDS_OK);
    assert_int_equal(sz, 24);
    /* 64 GiB span = 32768 units = 4096 bytes ("one 4 KiB bitmap covers 64 GiB"). */
    accept_range big[] = {{4 * GiB, 64 * GiB}};
    assert_int_equal(accept_table_size(big, 1, &sz), TDS_OK);
    assert_int_equal(sz, 24 + 4096);
    /* Span rounded out to units: [3M, 21M+4K) -> [2M, 22M) = 10 units = 2 bytes. */
    accept_range r[] = {{3 * MiB, 18 * MiB + K4}};
    assert_int_equal(accept_table_size(r, 1, &sz), TDS_OK);
    assert_int_equal(sz, 24 + 2);
    assert_int_equal(accept_table_size(r, 1, NULL), TDS_ERR_INVALID_ARG);
    accept_range bad[] = {{3, K4}};
    assert_int_equal(accept_table_size(bad, 1, &sz), TDS_ERR_ALIGNMENT);
}

static void test_build(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 64 * MiB, true);
    accept_ctx ctx;
    init_ctx(&ctx, &f);
    /* A: ragged head and tail; B: shorter than two units (accepted whole); C: aligned. */
    accept_range lazy[] = {
        {3 * MiB, 9 * MiB + 3 * K4}, /* [3M, 12M+12K): eager [3M,4M) and [12M,12M+12K) */
        {14 * MiB + K4, 3 * MiB},    /* < 4 MiB: all eager */
        {20 * MiB, 8 * MiB},         /* all lazy */
    };
    uint8_t table[64];
    memset(table, 0xEE, sizeof(table));
    size_t len = 0;
    /* Too small: nothing accepted, nothing written. */
    assert_int_equal(accept_table_build(&ctx, lazy, 3, tds_mut_bytes_make(table, 24), &len),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(fake_total_calls(&f), 0);
    assert_int_equal(table[0], 0xEE);
    assert_int_equal(
        accept_table_build(&ctx, lazy, 3, tds_mut_bytes_make(table, sizeof(table)), &len), TDS_OK);
    /* span [2M, 28M) = 13 units = 2 bytes */
    assert_int_equal(len, 24 + 2);
    assert_int_equal(tds_load_le32(table + 0), 1);
    assert_int_equal(tds_load_le32(table + 4), 2 * MiB);
    assert_int_equal(tds_load_le64(table + 8), 2 * MiB);
    assert_int_equal(tds_load_le64(table + 16), 2);
    assert_int_equal(table[26], 0xEE); /* nothing written past the table */
    /* Units: bit i = [2M + 2M*i). A's middle [4M,12M) -> bits 1..4; C [20M,28M) -> bits 9..12. */
    for (uint64_t i = 0; i < 16; i++) {
        bool want = (i >= 1 && i <= 4) || (i >= 9 && i <= 12);
        assert_int_equal(bit(table, i), want);
    }
    /* Eager parts accepted exactly once; lazy parts untouched. */
    assert_true(fake_range_accepted_once(&f, 3 * MiB, 1 * MiB));
    assert_true(fake_range_accepted_once(&f, 12 * MiB, 3 * K4));
    assert_true(fake_range_accepted_once(&f, 14 * MiB + K4, 3 * MiB));
    assert_int_equal(fake_accepted_pages(&f), (1 * MiB + 3 * K4 + 3 * MiB) / K4);
    assert_int_equal(f.state[fake_page_index(&f, 4 * MiB)], FAKE_PENDING);

    /* Tracker over the built table. */
    accept_tracker t;
    assert_int_equal(accept_tracker_init(&t, tds_mut_bytes_make(table, len)), TDS_OK);
    uint64_t pending;
    assert_int_equal(accept_tracker_pending(&t, &pending), TDS_OK);
    assert_int_equal(pending, 16 * MiB);
    bool p;
    assert_int_equal(accept_tracker_query(&t, 14 * MiB, 4 * MiB, &p), TDS_OK);
    assert_false(p);
    assert_int_equal(accept_tracker_query(&t, 11 * MiB, 2 * MiB, &p), TDS_OK);
    assert_true(p);
    /* Accept [7M, 7M+4K): touches unit [6M, 8M) only. */
    assert_int_equal(accept_tracker_accept(&t, &ctx, 7 * MiB, K4), TDS_OK);
    assert_true(fake_range_accepted_once(&f, 6 * MiB, 2 * MiB));
    assert_int_equal(f.state[fake_page_index(&f, 8 * MiB)], FAKE_PENDING);
    assert_false(bit(table, 2));
    assert_true(bit(table, 1));
    assert_true(bit(table, 3));
    assert_int_equal(accept_tracker_pending(&t, &pending), TDS_OK);
    assert_int_equal(pending, 14 * MiB);
    /* Accept a span crossing accepted and unaccepted units and beyond the bitmap. */
    assert_int_equal(accept_tracker_accept(&t, &ctx, 0, 40 * MiB), TDS_OK);
    assert_int_equal(accept_tracker_pending(&t, &pending), TDS_OK);
    assert_int_equal(pending, 0);
    assert_true(fake_range_accepted_once(&f, 3 * MiB, 12 * MiB + 3 * K4 - 3 * MiB));
    assert_true(fake_range_accepted_once(&f, 20 * MiB, 8 * MiB));
    assert_int_equal(f.state[fake_page_index(&f, 2 * MiB)], FAKE_PENDING); /* not in the map */
    assert_int_equal(f.outside, 0);
    assert_int_equal(accept_tracker_accept(&t, &ctx, 0xFFFFFFFFFFFFF000ull, 2 * K4),
                     TDS_ERR_OVERFLOW);
    assert_int_equal(accept_tracker_accept(&t, &ctx, 5 * MiB, 0), TDS_OK);
    fake_free(&f);
}

static void test_build_failure_writes_nothing(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 16 * MiB, false);
    fake_add_fault(
        &f,
        (fake_fault){.gpa = 3 * MiB, .level = -1, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    accept_ctx ctx;
    init_ctx(&ctx, &f);
    accept_range lazy[] = {{3 * MiB, 8 * MiB}};
    uint8_t table[32];
    memset(table, 0xEE, sizeof(table));
    size_t len = 7;
    assert_int_equal(
        accept_table_build(&ctx, lazy, 1, tds_mut_bytes_make(table, sizeof(table)), &len),
        TDS_ERR_DEVICE);
    assert_int_equal(table[0], 0xEE);
    assert_int_equal(len, 7);
    fake_free(&f);
}

/* Limit policy then lazy table: the first 8 MiB now, the rest left to the payload. */
static void test_limit_then_table(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 320 * MiB, false);
    accept_ctx ctx;
    init_ctx(&ctx, &f);
    accept_range map[] = {{1 * MiB, 5 * MiB}, {10 * MiB + K4, 300 * MiB}};
    accept_limit lim = {.max_bytes = 8 * MiB, .below_gpa = ACCEPT_NO_LIMIT};
    accept_range rest[2];
    size_t nrest = 0;
    assert_int_equal(accept_up_to(&ctx, map, 2, &lim, rest, 2, &nrest), TDS_OK);
    assert_int_equal(nrest, 1);
    assert_int_equal(rest[0].base, 13 * MiB + K4);
    uint8_t table[24 + 32];
    size_t len = 0;
    assert_int_equal(
        accept_table_build(&ctx, rest, nrest, tds_mut_bytes_make(table, sizeof(table)), &len),
        TDS_OK);
    /* [13M+4K, 310M+4K): eager head to 14M and tail [310M, 310M+4K); 148 units marked. */
    accept_tracker t;
    assert_int_equal(accept_tracker_init(&t, tds_mut_bytes_make(table, len)), TDS_OK);
    uint64_t pending = 0;
    assert_int_equal(accept_tracker_pending(&t, &pending), TDS_OK);
    assert_int_equal(pending, 296 * MiB);
    assert_int_equal(fake_accepted_pages(&f), (8 * MiB + 1 * MiB - K4 + K4) / K4);
    /* Everything accepted on demand: more than 32 runs would need several engine batches, here
     * one run of 148 units. */
    assert_int_equal(accept_tracker_accept(&t, &ctx, 0, 400 * MiB), TDS_OK);
    assert_int_equal(fake_accepted_pages(&f), (5 * MiB + 300 * MiB) / K4);
    assert_true(fake_range_accepted_once(&f, 10 * MiB + K4, 300 * MiB));
    fake_free(&f);
}

/* Many runs and many eager pieces: the batches of 32 ranges flush correctly. */
static void test_many_runs(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 512 * MiB, false);
    accept_ctx ctx;
    init_ctx(&ctx, &f);
    /* 40 ranges of 6 MiB + 32 KiB each, 12 MiB apart: each has an eager head and tail. */
    accept_range lazy[40];
    for (size_t i = 0; i < 40; i++) {
        lazy[i].base = (uint64_t)i * 12 * MiB + K4;
        lazy[i].len = 6 * MiB + 8 * K4;
    }
    uint8_t table[24 + 64];
    size_t len = 0;
    assert_int_equal(
        accept_table_build(&ctx, lazy, 40, tds_mut_bytes_make(table, sizeof(table)), &len), TDS_OK);
    /* eager per range: head [base, next 2M) = 2M-4K, tail [6M, 6M+36K) = 9 pages */
    assert_int_equal(fake_accepted_pages(&f), 40 * ((2 * MiB - K4) + 9 * K4) / K4);
    accept_tracker t;
    assert_int_equal(accept_tracker_init(&t, tds_mut_bytes_make(table, len)), TDS_OK);
    uint64_t pending = 0;
    assert_int_equal(accept_tracker_pending(&t, &pending), TDS_OK);
    assert_int_equal(pending, 160 * MiB);
    assert_int_equal(accept_tracker_accept(&t, &ctx, 0, 480 * MiB), TDS_OK); /* 40 runs */
    assert_int_equal(accept_tracker_pending(&t, &pending), TDS_OK);
    assert_int_equal(pending, 0);
    for (size_t i = 0; i < 40; i++) {
        assert_true(fake_range_accepted_once(&f, lazy[i].base, lazy[i].len));
    }
    assert_int_equal(fake_accepted_pages(&f), 40 * lazy[0].len / K4);
    fake_free(&f);
}

static void put_header(uint8_t *t, uint32_t ver, uint32_t unit, uint64_t base, uint64_t size)
{
    tds_store_le32(t, ver);
    tds_store_le32(t + 4, unit);
    tds_store_le64(t + 8, base);
    tds_store_le64(t + 16, size);
}

static void test_tracker_hostile(void **state)
{
    (void)state;
    uint8_t t[40];
    memset(t, 0, sizeof(t));
    accept_tracker tr;
    put_header(t, 1, 2 * MiB, 4 * GiB, 16);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_OK);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 39)), TDS_ERR_TRUNCATED);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 23)), TDS_ERR_TRUNCATED);
    assert_int_equal(accept_tracker_init(NULL, tds_mut_bytes_make(t, 40)), TDS_ERR_INVALID_ARG);
    put_header(t, 2, 2 * MiB, 4 * GiB, 16);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_ERR_UNSUPPORTED);
    put_header(t, 1, 4096, 4 * GiB, 16);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_ERR_UNSUPPORTED);
    put_header(t, 1, 2 * MiB, 4 * GiB + K4, 16);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_ERR_MALFORMED);
    /* Span past 2^52. */
    put_header(t, 1, 2 * MiB, ACCEPT_GPA_LIMIT - 2 * M2, 1);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_ERR_OUT_OF_BOUNDS);
    /* Size field that overflows when turned into a span. */
    put_header(t, 1, 2 * MiB, 0, UINT64_MAX);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_ERR_TRUNCATED);
    /* Exactly up to the limit is fine. */
    put_header(t, 1, 2 * MiB, ACCEPT_GPA_LIMIT - 8 * M2, 1);
    assert_int_equal(accept_tracker_init(&tr, tds_mut_bytes_make(t, 40)), TDS_OK);
    t[24] = 0x80; /* the very top unit */
    bool p;
    assert_int_equal(accept_tracker_query(&tr, ACCEPT_GPA_LIMIT - K4, K4, &p), TDS_OK);
    assert_true(p);
    assert_int_equal(accept_tracker_query(&tr, ACCEPT_GPA_LIMIT - 8 * M2, K4, &p), TDS_OK);
    assert_false(p);
    accept_tracker unbound;
    memset(&unbound, 0, sizeof(unbound));
    assert_int_equal(accept_tracker_query(&unbound, 0, K4, &p), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_guid_and_size),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_build_failure_writes_nothing),
        cmocka_unit_test(test_tracker_hostile),
        cmocka_unit_test(test_limit_then_table),
        cmocka_unit_test(test_many_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
