/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libaccept with real threads (1..64 workers): the final page state, the contents, the module
 * calls, every statistic and the reported error are identical for every worker count, on success
 * and on failure. Label `concurrency` (also run under TSan).
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

static void populate(fake_tdx *f)
{
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

static void setup_world(fake_tdx *f)
{
    fake_init(f, W, WLEN, true);
    populate(f);
}

/* The same world again in f's storage (no reallocation: cheap under TSan). */
static void reset_world(fake_tdx *f)
{
    fake_reset(f);
    populate(f);
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

    fake_tdx f;
    setup_world(&f);
    for (size_t i = 0; i < TDS_ARRAY_LEN(runs); i++) {
        {
            reset_world(&f);
            accept_stats st;
            run_with(&f, runs[i].n, runs[i].chunk, &st, &res, &err);
            assert_int_equal(res, TDS_OK);
            assert_memory_equal(f.state, ref.state, (size_t)f.npages);
            assert_memory_equal(f.zeroed, ref.zeroed, (size_t)f.npages);
            assert_memory_equal(f.mem, ref.mem, (size_t)WLEN);
            assert_memory_equal(f.calls, ref.calls, sizeof(f.calls));
            /* Every statistic; the chunk count is the plan's for this chunk size. */
            accept_chunk_plan p;
            assert_int_equal(accept_chunk_plan_init(&p, ragged, TDS_ARRAY_LEN(ragged),
                                                    ACCEPT_GPA_LIMIT, runs[i].chunk, false),
                             TDS_OK);
            assert_int_equal(st.chunks, p.chunks);
            st.chunks = ref_st.chunks;
            assert_memory_equal(&st, &ref_st, sizeof(st));
        }
    }
    fake_free(&f);
    fake_free(&ref);
}

/* Failing pages for the error runs (every one of them stops the chunk it is in). */
static const uint64_t bad_lo = 4 * GiB - 2 * MiB; /* 2M page in an interior chunk: reported */
static const uint64_t bad_4k = 4 * GiB + 2 * MiB + 300 * K4;  /* 4K page of a split 2M block */
static const uint64_t bad_busy = 4 * GiB + 4 * MiB;           /* BUSY more often than the retries */
static const uint64_t bad_edge = 4 * GiB + 6 * MiB + 20 * K4; /* in an edge chunk (handed first) */
static const uint64_t bad_hi = 4 * GiB + 20 * MiB;

static void add_error_faults(fake_tdx *f)
{
    fake_add_fault(
        f, (fake_fault){.gpa = bad_hi, .level = 1, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    fake_add_fault(
        f,
        (fake_fault){.gpa = bad_edge, .level = 0, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    fake_add_fault(f, (fake_fault){.gpa = bad_busy, .level = 1, .busy = 100, .outcome = -1});
    fake_add_fault(
        f, (fake_fault){.gpa = bad_4k, .level = 0, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    fake_add_fault(
        f,
        (fake_fault){.gpa = bad_lo, .level = 1, .err_raw = 0xC0000B0C00000000ull, .outcome = -1});
}

static bool in_map(uint64_t a)
{
    for (size_t k = 0; k < TDS_ARRAY_LEN(ragged); k++) {
        if (a >= ragged[k].base && a < ragged[k].base + ragged[k].len) {
            return true;
        }
    }
    return false;
}

/*
 * The state the contract promises after the error run, built from the engine's chunk plan: every
 * page of the map is accepted except, in each chunk holding failing pages, the pages from its
 * lowest failing page to the chunk's end (pages accepted before the run stay accepted).
 */
static void expected_state(const fake_tdx *world, uint64_t chunk, uint8_t *want)
{
    static const uint64_t bad[] = {bad_lo, bad_4k, bad_busy, bad_edge, bad_hi};
    for (uint64_t i = 0; i < world->npages; i++) {
        uint64_t a = world->base + i * K4;
        want[i] = in_map(a) || world->state[i] == FAKE_ACCEPTED ? FAKE_ACCEPTED : FAKE_PENDING;
    }
    accept_chunk_plan p;
    assert_int_equal(
        accept_chunk_plan_init(&p, ragged, TDS_ARRAY_LEN(ragged), ACCEPT_GPA_LIMIT, chunk, false),
        TDS_OK);
    accept_chunk_cursor cur;
    accept_chunk_cursor_init(&cur);
    for (uint64_t slot = 0; slot < p.slots; slot++) {
        accept_range c;
        if (!accept_chunk_at(&p, &cur, slot, &c)) {
            continue;
        }
        uint64_t stop = UINT64_MAX;
        for (size_t b = 0; b < TDS_ARRAY_LEN(bad); b++) {
            if (bad[b] >= c.base && bad[b] < c.base + c.len && bad[b] < stop) {
                stop = bad[b];
            }
        }
        for (uint64_t a = stop; stop != UINT64_MAX && a < c.base + c.len; a += K4) {
            uint64_t i = fake_page_index(world, a);
            want[i] = world->state[i]; /* untouched by the run */
        }
    }
}

/*
 * Five failing pages (one in an edge chunk, handed out first; one a BUSY that outlasts the
 * retries): whatever the worker count (1..64) and the timing, the lowest GPA is reported, each
 * failure stops only its own chunk, and the final page state, contents, module calls and every
 * statistic are identical, and equal what the contract says.
 */
static void test_identical_error(void **state)
{
    (void)state;
    static const uint64_t chunks[] = {2 * MiB, 4 * MiB, 32 * MiB};
    for (size_t c = 0; c < TDS_ARRAY_LEN(chunks); c++) {
        fake_tdx ref;
        setup_world(&ref);
        uint8_t *want = calloc((size_t)ref.npages, 1);
        assert_non_null(want);
        expected_state(&ref, chunks[c], want);
        add_error_faults(&ref);
        accept_stats ref_st;
        tds_status res;
        accept_error err;
        memset(&err, 0, sizeof(err));
        run_with(&ref, 1, chunks[c], &ref_st, &res, &err);
        assert_int_equal(res, TDS_ERR_DEVICE);
        assert_int_equal(err.status, TDS_ERR_DEVICE);
        assert_int_equal(err.gpa, bad_lo);
        assert_int_equal(err.raw, 0xC0000B0C00000000ull);
        assert_int_equal(err.level, ACCEPT_LEVEL_2M);
        assert_int_equal(err.outcome, ACCEPT_OUTCOME_ERROR);
        assert_memory_equal(ref.state, want, (size_t)ref.npages);
        for (uint64_t i = 0; i < ref.npages; i++) {
            /* accepted now = zeroed exactly once; everything else never zeroed */
            uint64_t a = ref.base + i * K4;
            bool pre = a >= 4 * GiB - 8 * MiB && a < 4 * GiB - 6 * MiB;
            pre = pre || (a >= 4 * GiB + 14 * MiB + 8 * K4 && a < 4 * GiB + 14 * MiB + 10 * K4);
            assert_int_equal(ref.zeroed[i], want[i] == FAKE_ACCEPTED && !pre ? 1 : 0);
        }
        assert_int_equal(ref.outside, 0);
        assert_int_equal(ref.bad, 0);
        accept_chunk_plan p;
        assert_int_equal(accept_chunk_plan_init(&p, ragged, TDS_ARRAY_LEN(ragged), ACCEPT_GPA_LIMIT,
                                                chunks[c], false),
                         TDS_OK);
        assert_int_equal(ref_st.chunks, p.chunks); /* no chunk skipped */
        assert_int_equal(ref_st.bytes_accepted,
                         fake_accepted_pages(&ref) * K4 - ref_st.bytes_already);
        if (chunks[c] == 2 * MiB) {
            /* 3 + 1 retried BUSY answers, and 5 more at bad_busy before it gives up */
            assert_int_equal(ref_st.busy_retries, 3 + 1 + ACCEPT_DEFAULT_BUSY_RETRIES);
        }

        fake_tdx f;
        setup_world(&f);
        for (uint32_t n = 1; n <= 64; n++) {
            if (chunks[c] != 2 * MiB && n % 7 != 1 && n != 64) {
                continue; /* every count with 2 MiB chunks; a spread with the larger ones */
            }
            reset_world(&f);
            add_error_faults(&f);
            accept_stats st;
            accept_error e;
            memset(&e, 0, sizeof(e));
            run_with(&f, n, chunks[c], &st, &res, &e);
            assert_int_equal(res, TDS_ERR_DEVICE);
            assert_int_equal(e.status, err.status);
            assert_int_equal(e.outcome, err.outcome);
            assert_int_equal(e.level, err.level);
            assert_int_equal(e.gpa, err.gpa);
            assert_int_equal(e.raw, err.raw);
            assert_memory_equal(f.state, ref.state, (size_t)f.npages);
            assert_memory_equal(f.zeroed, ref.zeroed, (size_t)f.npages);
            assert_memory_equal(f.map4k, ref.map4k, (size_t)(f.npages / 512 + 1));
            assert_memory_equal(f.mem, ref.mem, (size_t)WLEN);
            assert_memory_equal(f.calls, ref.calls, sizeof(f.calls));
            assert_memory_equal(&st, &ref_st, sizeof(st)); /* every statistic */
        }
        fake_free(&f);
        free(want);
        fake_free(&ref);
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
