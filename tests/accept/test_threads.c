/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libaccept with real threads (1..64 workers): the final page state, the statistics and the
 * reported error are identical for every worker count. Label `concurrency` (also run under TSan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_tdx.h"
#include "tdshim/accept.h"

#define K4 ACCEPT_PAGE_4K
#define M2 ACCEPT_PAGE_2M
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static const uint32_t worker_counts[] = {1, 2, 3, 4, 7, 8, 16, 33, 64};
/* (workers, chunk) pairs for the state comparison: small and large chunks, up to 64 workers. */
static const struct {
    uint32_t n;
    uint64_t chunk;
} runs[] = {{2, 2u << 20},  {3, 32u << 20}, {4, 2u << 20},  {7, 4u << 20},  {8, 32u << 20},
            {16, 2u << 20}, {33, 2u << 20}, {64, 2u << 20}, {64, 32u << 20}};

/* A ragged map across 4 GiB with 4K islands, already-accepted islands and busy faults. */
static const uint64_t W = 4 * GiB - 24 * MiB;
#define WLEN (48 * MiB)

static const accept_range ragged[] = {
    {4 * GiB - 24 * MiB + 3 * K4, 5 * MiB + 5 * K4},
    {4 * GiB - 18 * MiB + 7 * K4, K4},
    {4 * GiB - 17 * MiB, 4 * MiB + K4},
    {4 * GiB - 13 * MiB + K4, 20 * MiB}, /* crosses 4 GiB; adjacent to the previous one */
    {4 * GiB + 8 * MiB, 2 * MiB - K4},
    {4 * GiB + 10 * MiB - K4, 12 * MiB + 2 * K4}, /* adjacent to the previous one */
};

static void setup_world(fake_tdx *f)
{
    fake_init(f, W, WLEN, true);
    fake_map_4k(f, 4 * GiB - 10 * MiB, M2);
    fake_map_4k(f, 4 * GiB + 2 * MiB, M2);
    fake_preaccept(f, 4 * GiB - 8 * MiB, M2, 0x5A);
    fake_map_4k(f, 4 * GiB + 14 * MiB, M2);
    fake_preaccept(f, 4 * GiB + 14 * MiB + 8 * K4, 2 * K4, 0x6B);
    fake_add_fault(f,
                   (fake_fault){.gpa = 4 * GiB + 18 * MiB, .level = 1, .busy = 3, .outcome = -1});
    fake_add_fault(
        f, (fake_fault){.gpa = 4 * GiB + 2 * MiB + 5 * K4, .level = 0, .busy = 1, .outcome = -1});
}

static void run_with(fake_tdx *f, uint32_t n, uint64_t chunk, accept_stats *st, tds_status *res,
                     accept_error *err)
{
    thread_pool pool = {.n = n, .fail_to_start = false, .runs = 0};
    accept_config cfg = accept_config_default();
    cfg.chunk_size = chunk;
    accept_ops o = {fake_accept, f, threads_parallel, &pool};
    accept_ctx ctx;
    assert_int_equal(accept_init(&ctx, &cfg, &o), TDS_OK);
    *res = accept_all(&ctx, ragged, TDS_ARRAY_LEN(ragged));
    accept_get_stats(&ctx, st);
    if (*res != TDS_OK) {
        assert_int_equal(accept_last_error(&ctx, err), TDS_OK);
    }
    assert_int_equal(pool.runs, 1);
}

static void test_identical_state(void **state)
{
    (void)state;
    fake_tdx ref;
    setup_world(&ref);
    accept_stats ref_st;
    tds_status res;
    accept_error err;
    memset(&err, 0, sizeof(err));
    run_with(&ref, 1, 2 * MiB, &ref_st, &res, &err);
    assert_int_equal(res, TDS_OK);
    for (size_t k = 0; k < TDS_ARRAY_LEN(ragged); k++) {
        /* pre-accepted pages are accepted but were not zeroed by us: check per page */
        for (uint64_t a = ragged[k].base; a < ragged[k].base + ragged[k].len; a += K4) {
            assert_int_equal(ref.state[fake_page_index(&ref, a)], FAKE_ACCEPTED);
        }
    }
    assert_int_equal(ref.outside, 0);
    assert_int_equal(ref.bad, 0);
    assert_int_equal(ref_st.busy_retries, 4);
    assert_int_equal(ref_st.already[1], 1);
    assert_int_equal(ref_st.already[0], 2);
    assert_int_equal(ref_st.mismatches[1], 3);
    assert_int_equal(ref.mem[4 * GiB - 8 * MiB + 5 - W], 0x5A);

    for (size_t i = 0; i < TDS_ARRAY_LEN(runs); i++) {
        {
            fake_tdx f;
            setup_world(&f);
            accept_stats st;
            run_with(&f, runs[i].n, runs[i].chunk, &st, &res, &err);
            assert_int_equal(res, TDS_OK);
            assert_memory_equal(f.state, ref.state, (size_t)f.npages);
            assert_memory_equal(f.zeroed, ref.zeroed, (size_t)f.npages);
            assert_memory_equal(f.mem, ref.mem, (size_t)WLEN);
            assert_memory_equal(f.calls, ref.calls, sizeof(f.calls));
            assert_memory_equal(st.calls, ref_st.calls, sizeof(st.calls));
            assert_memory_equal(st.mismatches, ref_st.mismatches, sizeof(st.mismatches));
            assert_int_equal(st.busy_retries, ref_st.busy_retries);
            assert_int_equal(st.bytes_accepted, ref_st.bytes_accepted);
            assert_int_equal(st.bytes_already, ref_st.bytes_already);
            fake_free(&f);
        }
    }
    fake_free(&ref);
}

/* Two failing pages: the lower GPA is always the one reported, and everything below it is
 * accepted, whatever the worker count. */
static void test_identical_error(void **state)
{
    (void)state;
    const uint64_t bad_lo = 4 * GiB - 2 * MiB; /* a 2M page inside the crossing range */
    const uint64_t bad_hi = 4 * GiB + 20 * MiB;
    for (size_t i = 0; i < TDS_ARRAY_LEN(worker_counts); i++) {
        fake_tdx f;
        setup_world(&f);
        fake_add_fault(
            &f,
            (fake_fault){.gpa = bad_hi, .level = 1, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
        fake_add_fault(
            &f, (fake_fault){
                    .gpa = bad_lo, .level = 1, .err_raw = 0xC0000B0C00000000ull, .outcome = -1});
        accept_stats st;
        tds_status res;
        accept_error err;
        memset(&err, 0, sizeof(err));
        run_with(&f, worker_counts[i], 2 * MiB, &st, &res, &err);
        assert_int_equal(res, TDS_ERR_DEVICE);
        assert_int_equal(err.gpa, bad_lo);
        assert_int_equal(err.raw, 0xC0000B0C00000000ull);
        assert_int_equal(err.level, ACCEPT_LEVEL_2M);
        for (size_t k = 0; k < TDS_ARRAY_LEN(ragged); k++) {
            for (uint64_t a = ragged[k].base; a < ragged[k].base + ragged[k].len && a < bad_lo;
                 a += K4) {
                assert_int_equal(f.state[fake_page_index(&f, a)], FAKE_ACCEPTED);
            }
        }
        assert_int_equal(f.state[fake_page_index(&f, bad_lo)], FAKE_PENDING);
        fake_free(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_state),
        cmocka_unit_test(test_identical_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
