/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libaccept engine and limit policy, on the per-4K fake (single worker). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_tdx.h"
#include "tdshim/accept.h"

#define K4 ACCEPT_PAGE_4K
#define M2 ACCEPT_PAGE_2M
#define G1 ACCEPT_PAGE_1G
#define MiB (1ull << 20)
#define GiB (1ull << 30)

static accept_ops ops_for(fake_tdx *f)
{
    accept_ops o;
    memset(&o, 0, sizeof(o));
    o.accept = fake_accept;
    o.accept_ctx = f;
    return o;
}

static void init_ctx(accept_ctx *ctx, fake_tdx *f, accept_1g_mode mode)
{
    accept_config cfg = accept_config_default();
    cfg.mode_1g = mode;
    accept_ops o = ops_for(f);
    assert_int_equal(accept_init(ctx, &cfg, &o), TDS_OK);
}

/* Every page outside the given ranges is untouched: pending and never zeroed. */
static void assert_outside_untouched(const fake_tdx *f, const accept_range *r, size_t n)
{
    for (uint64_t i = 0; i < f->npages; i++) {
        uint64_t a = f->base + i * K4;
        bool inside = false;
        for (size_t k = 0; k < n; k++) {
            inside = inside || (a >= r[k].base && a < r[k].base + r[k].len);
        }
        if (!inside) {
            assert_int_equal(f->state[i], FAKE_PENDING);
            assert_int_equal(f->zeroed[i], 0);
            if (f->mem != NULL) {
                assert_int_equal(f->mem[i * K4], FAKE_GARBAGE);
            }
        }
    }
    assert_int_equal(f->outside, 0);
    assert_int_equal(f->bad, 0);
}

static void test_init_args(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 4 * MiB, false);
    accept_ctx ctx;
    accept_ops o = ops_for(&f);
    accept_config cfg = accept_config_default();
    assert_int_equal(accept_init(NULL, &cfg, &o), TDS_ERR_INVALID_ARG);
    assert_int_equal(accept_init(&ctx, &cfg, NULL), TDS_ERR_INVALID_ARG);
    accept_ops none = o;
    none.accept = NULL;
    assert_int_equal(accept_init(&ctx, &cfg, &none), TDS_ERR_INVALID_ARG);
    cfg.chunk_size = 3 * M2;
    assert_int_equal(accept_init(&ctx, &cfg, &o), TDS_ERR_INVALID_ARG);
    cfg.chunk_size = M2 / 2; /* power of two but below 2 MiB */
    assert_int_equal(accept_init(&ctx, &cfg, &o), TDS_ERR_INVALID_ARG);
    cfg = accept_config_default();
    cfg.mode_1g = (accept_1g_mode)7;
    assert_int_equal(accept_init(&ctx, &cfg, &o), TDS_ERR_INVALID_ARG);
    assert_int_equal(accept_init(&ctx, NULL, &o), TDS_OK);
    assert_int_equal(ctx.cfg.chunk_size, 2 * MiB);
    assert_int_equal(ctx.cfg.busy_retries, 5);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_ERR_NOT_FOUND);
    accept_ctx raw;
    memset(&raw, 0, sizeof(raw));
    accept_range r = {0, K4};
    assert_int_equal(accept_all(&raw, &r, 1), TDS_ERR_INVALID_ARG); /* never initialised */
    assert_int_equal(accept_api_version(), ACCEPT_API_VERSION);
    fake_free(&f);
}

static void test_check_map(void **state)
{
    (void)state;
    accept_range ok[] = {{0, K4}, {K4, M2}, {4 * GiB, 3 * K4}};
    assert_int_equal(accept_check_map(ok, 3), TDS_OK); /* adjacent is fine */
    assert_int_equal(accept_check_map(NULL, 0), TDS_OK);
    assert_int_equal(accept_check_map(NULL, 1), TDS_ERR_INVALID_ARG);
    accept_range zero[] = {{0, 0}};
    assert_int_equal(accept_check_map(zero, 1), TDS_ERR_INVALID_ARG);
    accept_range mis_base[] = {{0x800, K4}};
    assert_int_equal(accept_check_map(mis_base, 1), TDS_ERR_ALIGNMENT);
    accept_range mis_len[] = {{0, K4 + 1}};
    assert_int_equal(accept_check_map(mis_len, 1), TDS_ERR_ALIGNMENT);
    accept_range wrap[] = {{0xFFFFFFFFFFFFF000ull, 2 * K4}};
    assert_int_equal(accept_check_map(wrap, 1), TDS_ERR_OVERFLOW);
    accept_range top[] = {{0xFFFFFFFFFFFFF000ull, K4}}; /* ends exactly at 2^64 */
    assert_int_equal(accept_check_map(top, 1), TDS_ERR_OVERFLOW);
    accept_range high[] = {{ACCEPT_GPA_LIMIT - K4, 2 * K4}};
    assert_int_equal(accept_check_map(high, 1), TDS_ERR_OUT_OF_BOUNDS);
    accept_range last[] = {{ACCEPT_GPA_LIMIT - K4, K4}};
    assert_int_equal(accept_check_map(last, 1), TDS_OK);
    accept_range overlap[] = {{0, 2 * K4}, {K4, K4}};
    assert_int_equal(accept_check_map(overlap, 2), TDS_ERR_INVALID_ARG);
    accept_range unsorted[] = {{M2, K4}, {0, K4}};
    assert_int_equal(accept_check_map(unsorted, 2), TDS_ERR_INVALID_ARG);
}

static void test_plan(void **state)
{
    (void)state;
    accept_plan_counts c;
    /* [4K, 6M+20K): 511 head pages to 2M, 2M pages at 2M and 4M, then 5 tail pages. */
    accept_range r[] = {{K4, 6 * MiB + 4 * K4}};
    assert_int_equal(accept_plan(r, 1, false, &c), TDS_OK);
    assert_int_equal(c.pages[0], 511 + 5);
    assert_int_equal(c.pages[1], 2);
    assert_int_equal(c.pages[2], 0);
    assert_int_equal(c.total, 518);
    assert_int_equal(c.bytes, 6 * MiB + 4 * K4);
    /* [1G-2M, 3G+2M) with 1G: one 2M, two 1G, one 2M. Without: 1026 2M pages. */
    accept_range g[] = {{G1 - M2, 2 * G1 + 2 * M2}};
    assert_int_equal(accept_plan(g, 1, true, &c), TDS_OK);
    assert_int_equal(c.pages[1], 2);
    assert_int_equal(c.pages[2], 2);
    assert_int_equal(accept_plan(g, 1, false, &c), TDS_OK);
    assert_int_equal(c.pages[1], 1026);
    assert_int_equal(c.pages[2], 0);
    /* tiny: three 4K pages, none 2M aligned reachable */
    accept_range t[] = {{M2 - K4, 3 * K4}};
    assert_int_equal(accept_plan(t, 1, false, &c), TDS_OK);
    assert_int_equal(c.pages[0], 3);
    assert_int_equal(c.pages[1], 0);
    assert_int_equal(accept_plan(t, 1, false, NULL), TDS_ERR_INVALID_ARG);
}

/* ---- the chunk plan (accept_chunk_plan_init / accept_chunk_at) ---- */

typedef struct want_chunk {
    uint64_t slot, base, len;
} want_chunk;

/* The plan's non-empty slots are exactly `want` (in slot order), every other slot is empty. */
static void assert_plan(const accept_chunk_plan *p, const want_chunk *want, size_t nwant)
{
    accept_chunk_cursor cur;
    accept_chunk_cursor_init(&cur);
    size_t k = 0;
    for (uint64_t slot = 0; slot < p->slots + 2; slot++) {
        accept_range c = {0, 0};
        bool got = accept_chunk_at(p, &cur, slot, &c);
        if (k < nwant && want[k].slot == slot) {
            assert_true(got);
            assert_int_equal(c.base, want[k].base);
            assert_int_equal(c.len, want[k].len);
            k++;
        } else {
            assert_false(got);
        }
    }
    assert_int_equal(k, nwant);
    assert_int_equal(p->chunks, nwant);
}

static const accept_range plan_map[] = {
    {K4, 10 * MiB},                /* 6 chunks: 2 edges + 4 interior */
    {16 * MiB + K4, 2 * K4},       /* one chunk: no separate last chunk */
    {20 * MiB, 4 * MiB},           /* two chunks, no interior */
    {30 * MiB - K4, 6 * MiB + K4}, /* 4 chunks: 2 edges + 2 interior */
};

static void test_chunk_plan(void **state)
{
    (void)state;
    accept_chunk_plan p;
    /* Edges of every range first (slot 2i, 2i+1), then interiors in address order. */
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, ACCEPT_GPA_LIMIT, 2 * MiB, false),
                     TDS_OK);
    assert_int_equal(p.chunk_shift, 21);
    assert_int_equal(p.edge_slots, 8);
    assert_int_equal(p.slots, 14);
    static const want_chunk all[] = {
        {0, K4, 2 * MiB - K4},   {1, 10 * MiB, K4},      {2, 16 * MiB + K4, 2 * K4},
        {4, 20 * MiB, 2 * MiB},  {5, 22 * MiB, 2 * MiB}, {6, 30 * MiB - K4, K4},
        {7, 34 * MiB, 2 * MiB},  {8, 2 * MiB, 2 * MiB},  {9, 4 * MiB, 2 * MiB},
        {10, 6 * MiB, 2 * MiB},  {11, 8 * MiB, 2 * MiB}, {12, 30 * MiB, 2 * MiB},
        {13, 32 * MiB, 2 * MiB},
    };
    assert_plan(&p, all, TDS_ARRAY_LEN(all));
    /* Asked backwards with one cursor: still right. */
    accept_chunk_cursor cur;
    accept_chunk_cursor_init(&cur);
    accept_range c;
    assert_true(accept_chunk_at(&p, &cur, 13, &c));
    assert_int_equal(c.base, 32 * MiB);
    assert_true(accept_chunk_at(&p, &cur, 8, &c));
    assert_int_equal(c.base, 2 * MiB);
    assert_false(accept_chunk_at(&p, &cur, 14, &c));
    assert_false(accept_chunk_at(NULL, &cur, 0, &c));
    assert_false(accept_chunk_at(&p, NULL, 0, &c));
    assert_false(accept_chunk_at(&p, &cur, 0, NULL));

    /* A cut inside the last range: it ends at the cut, its interior is gone. */
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, 31 * MiB, 2 * MiB, false), TDS_OK);
    assert_int_equal(p.slots, 12);
    static const want_chunk cut31[] = {
        {0, K4, 2 * MiB - K4},  {1, 10 * MiB, K4},      {2, 16 * MiB + K4, 2 * K4},
        {4, 20 * MiB, 2 * MiB}, {5, 22 * MiB, 2 * MiB}, {6, 30 * MiB - K4, K4},
        {7, 30 * MiB, MiB},     {8, 2 * MiB, 2 * MiB},  {9, 4 * MiB, 2 * MiB},
        {10, 6 * MiB, 2 * MiB}, {11, 8 * MiB, 2 * MiB},
    };
    assert_plan(&p, cut31, TDS_ARRAY_LEN(cut31));
    /* A cut below whole ranges: their slots are empty. */
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, 18 * MiB, 2 * MiB, false), TDS_OK);
    assert_int_equal(p.slots, 12);
    static const want_chunk cut18[] = {
        {0, K4, 2 * MiB - K4},  {1, 10 * MiB, K4},     {2, 16 * MiB + K4, 2 * K4},
        {8, 2 * MiB, 2 * MiB},  {9, 4 * MiB, 2 * MiB}, {10, 6 * MiB, 2 * MiB},
        {11, 8 * MiB, 2 * MiB},
    };
    assert_plan(&p, cut18, TDS_ARRAY_LEN(cut18));
    /* 1 GiB pages in use: chunks are at least 1 GiB (all four ranges are one chunk each). */
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, ACCEPT_GPA_LIMIT, 2 * MiB, true),
                     TDS_OK);
    assert_int_equal(p.chunk_shift, 30);
    static const want_chunk g1[] = {
        {0, K4, 10 * MiB},
        {2, 16 * MiB + K4, 2 * K4},
        {4, 20 * MiB, 4 * MiB},
        {6, 30 * MiB - K4, 6 * MiB + K4},
    };
    assert_plan(&p, g1, TDS_ARRAY_LEN(g1));
    /* A larger configured chunk is kept: 8 MiB windows. */
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 1, ACCEPT_GPA_LIMIT, 8 * MiB, false),
                     TDS_OK);
    static const want_chunk m8[] = {{0, K4, 8 * MiB - K4}, {1, 8 * MiB, 2 * MiB + K4}};
    assert_plan(&p, m8, TDS_ARRAY_LEN(m8));
    /* The empty map, and refusals. */
    assert_int_equal(accept_chunk_plan_init(&p, NULL, 0, ACCEPT_GPA_LIMIT, 2 * MiB, false), TDS_OK);
    assert_int_equal(p.slots, 0);
    assert_int_equal(p.chunks, 0);
    assert_int_equal(accept_chunk_plan_init(NULL, plan_map, 4, ACCEPT_GPA_LIMIT, 2 * MiB, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, ACCEPT_GPA_LIMIT, 3 * MiB, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, ACCEPT_GPA_LIMIT, MiB, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, ACCEPT_GPA_LIMIT + K4, 2 * MiB, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(accept_chunk_plan_init(&p, plan_map, 4, 18 * MiB + 1, 2 * MiB, false),
                     TDS_ERR_ALIGNMENT);
    accept_range unsorted[] = {plan_map[1], plan_map[0]};
    assert_int_equal(accept_chunk_plan_init(&p, unsorted, 2, ACCEPT_GPA_LIMIT, 2 * MiB, false),
                     TDS_ERR_INVALID_ARG);
}

/* An accept op that logs the GPA of every call, in order (single worker). */
typedef struct call_log {
    fake_tdx *f;
    uint64_t gpa[4096];
    size_t n;
} call_log;

static accept_result logging_accept(void *ctx, uint64_t gpa, accept_level level)
{
    call_log *log = ctx;
    if (log->n < TDS_ARRAY_LEN(log->gpa)) {
        log->gpa[log->n] = gpa;
    }
    log->n++;
    return fake_accept(log->f, gpa, level);
}

/* The engine hands chunks out in plan slot order: on one worker the calls visit the plan's
 * chunks one after the other, each exactly once, in slot order. */
static void test_handout_follows_plan(void **state)
{
    (void)state;
    static const struct {
        uint64_t chunk;
        uint64_t cut;
    } cases[] = {{2 * MiB, ACCEPT_GPA_LIMIT}, {2 * MiB, 31 * MiB}, {4 * MiB, ACCEPT_GPA_LIMIT}};
    for (size_t i = 0; i < TDS_ARRAY_LEN(cases); i++) {
        fake_tdx f;
        fake_init(&f, 0, 40 * MiB, false);
        fake_map_4k(&f, 6 * MiB, M2); /* a split block: many calls inside one chunk */
        call_log log;
        memset(&log, 0, sizeof(log));
        log.f = &f;
        accept_config cfg = accept_config_default();
        cfg.mode_1g = ACCEPT_1G_OFF;
        cfg.chunk_size = cases[i].chunk;
        accept_ops o = {logging_accept, &log, NULL, NULL};
        accept_ctx ctx;
        assert_int_equal(accept_init(&ctx, &cfg, &o), TDS_OK);
        accept_range rest[4];
        size_t nrest = 0;
        accept_limit lim = {.max_bytes = ACCEPT_NO_LIMIT, .below_gpa = cases[i].cut};
        assert_int_equal(accept_up_to(&ctx, plan_map, 4, &lim, rest, 4, &nrest), TDS_OK);
        assert_true(log.n <= TDS_ARRAY_LEN(log.gpa));
        accept_chunk_plan p;
        assert_int_equal(
            accept_chunk_plan_init(&p, plan_map, 4, cases[i].cut, cases[i].chunk, false), TDS_OK);
        accept_chunk_cursor cur;
        accept_chunk_cursor_init(&cur);
        size_t at = 0;
        uint64_t seen = 0;
        for (uint64_t slot = 0; slot < p.slots; slot++) {
            accept_range c;
            if (!accept_chunk_at(&p, &cur, slot, &c)) {
                continue;
            }
            seen++;
            assert_true(at < log.n);
            assert_int_equal(log.gpa[at], c.base); /* the chunk starts with its first page */
            while (at < log.n && log.gpa[at] >= c.base && log.gpa[at] < c.base + c.len) {
                at++;
            }
        }
        assert_int_equal(at, log.n); /* no call outside the plan's chunks */
        assert_int_equal(seen, p.chunks);
        accept_stats st;
        accept_get_stats(&ctx, &st);
        assert_int_equal(st.chunks, p.chunks);
        fake_free(&f);
    }
}

/* One run on a 2M-mapped, untouched window: calls equal the plan, all accepted exactly once. */
static void run_and_check_minimal(const accept_range *r, size_t n, uint64_t wbase, uint64_t wlen)
{
    fake_tdx f;
    fake_init(&f, wbase, wlen, true);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    assert_int_equal(accept_all(&ctx, r, n), TDS_OK);
    accept_plan_counts plan;
    assert_int_equal(accept_plan(r, n, false, &plan), TDS_OK);
    assert_int_equal(f.calls[0], plan.pages[0]);
    assert_int_equal(f.calls[1], plan.pages[1]);
    assert_int_equal(f.calls[2], 0);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.calls[0], plan.pages[0]);
    assert_int_equal(st.calls[1], plan.pages[1]);
    assert_int_equal(st.bytes_accepted, plan.bytes);
    assert_int_equal(st.bytes_already, 0);
    assert_int_equal(st.mismatches[1], 0);
    uint64_t pages = 0;
    for (size_t k = 0; k < n; k++) {
        assert_true(fake_range_accepted_once(&f, r[k].base, r[k].len));
        pages += r[k].len / K4;
    }
    assert_int_equal(fake_accepted_pages(&f), pages);
    assert_outside_untouched(&f, r, n);
    fake_free(&f);
}

static void test_aligned_map(void **state)
{
    (void)state;
    accept_range r[] = {{2 * M2, 8 * M2}};
    run_and_check_minimal(r, 1, 0, 16 * MiB + 64 * MiB);
}

static void test_ragged_map(void **state)
{
    (void)state;
    /* Window straddling 4 GiB: unaligned starts/ends, a single 4K range, adjacent ranges, a
     * range that crosses 4 GiB, a range wholly above 4 GiB. */
    const uint64_t w = 4 * GiB - 32 * MiB;
    accept_range r[] = {
        {w + K4, 3 * M2 + 5 * K4},           /* ragged head and tail */
        {w + 9 * M2 + 7 * K4, K4},           /* tiny */
        {w + 10 * M2, M2 + K4},              /* adjacent ... */
        {w + 11 * M2 + K4, 2 * M2},          /* ... to this one, sharing a 2M block */
        {4 * GiB - 2 * M2 - 3 * K4, 7 * M2}, /* crosses 4 GiB */
        {4 * GiB + 12 * MiB + 3 * K4, 5 * M2 - 6 * K4},
    };
    run_and_check_minimal(r, TDS_ARRAY_LEN(r), w, 64 * MiB);
}

static void test_4k_islands(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 32 * MiB, true);
    fake_map_4k(&f, 4 * M2, M2);
    fake_map_4k(&f, 7 * M2, M2);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{3 * M2 - 2 * K4, 6 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    assert_true(fake_range_accepted_once(&f, r[0].base, r[0].len));
    assert_outside_untouched(&f, r, 1);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.mismatches[1], 2);
    /* 2 head pages, 5 2M tries (3..7), 2 of them split into 512, tail 510 pages. */
    assert_int_equal(st.calls[1], 5);
    assert_int_equal(st.calls[0], 2 + 2 * 512 + 510);
    assert_int_equal(st.bytes_accepted, r[0].len);
    fake_free(&f);
}

static void test_already_islands(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 32 * MiB, true);
    fake_preaccept(&f, 5 * M2, M2, 0x11); /* a whole 2M leaf already accepted */
    fake_map_4k(&f, 8 * M2, M2);          /* 4K-mapped block with 3 pages already accepted */
    fake_preaccept(&f, 8 * M2 + 10 * K4, 3 * K4, 0x22);
    fake_preaccept(&f, 2 * M2 + 3 * K4, K4, 0x33); /* inside the 4K head */
    fake_map_4k(&f, 2 * M2, M2);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{2 * M2 + K4, 8 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.already[1], 1);
    assert_int_equal(st.already[0], 3 + 1);
    assert_int_equal(st.bytes_already, M2 + 4 * K4);
    assert_int_equal(st.bytes_accepted, r[0].len - M2 - 4 * K4);
    /* Already-accepted memory kept its contents: the engine did not re-accept it. */
    assert_int_equal(f.mem[5 * M2 + 100], 0x11);
    assert_int_equal(f.mem[8 * M2 + 11 * K4], 0x22);
    assert_int_equal(f.mem[2 * M2 + 3 * K4 + 7], 0x33);
    assert_int_equal(f.zeroed[fake_page_index(&f, 5 * M2)], 0);
    assert_true(fake_range_accepted_once(&f, 2 * M2 + K4, 2 * K4));
    assert_true(fake_range_accepted_once(&f, 6 * M2, 2 * M2));
    assert_int_equal(fake_accepted_pages(&f), r[0].len / K4);
    /* A second run finds everything accepted and changes nothing. */
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    accept_stats st2;
    accept_get_stats(&ctx, &st2);
    assert_int_equal(st2.bytes_accepted, st.bytes_accepted);
    assert_int_equal(st2.bytes_already - st.bytes_already, r[0].len);
    fake_free(&f);
}

/* The 1.5 module refuses level 2 with OPERAND_INVALID: probe once, then never again. */
static void test_1g_refused_once(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 3 * GiB, false);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_PROBE);
    accept_range r[] = {{G1 - M2, G1 + 4 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    assert_int_equal(accept_1g_state(&ctx), ACCEPT_1G_UNSUPPORTED);
    assert_int_equal(f.calls[2], 1);
    assert_int_equal(f.calls[1], 516);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.refused_1g, 1);
    assert_true(fake_range_accepted_once(&f, r[0].base, r[0].len));
    accept_range r2[] = {{2 * GiB, G1}};
    assert_int_equal(accept_all(&ctx, r2, 1), TDS_OK);
    assert_int_equal(f.calls[2], 1); /* not retried on the next run either */
    assert_int_equal(f.calls[1], 516 + 512);
    /* Mode OFF: the minimum, no probe at all. */
    fake_tdx g;
    fake_init(&g, 0, 3 * GiB, false);
    accept_ctx c2;
    init_ctx(&c2, &g, ACCEPT_1G_OFF);
    assert_int_equal(accept_all(&c2, r, 1), TDS_OK);
    assert_int_equal(g.calls[2], 0);
    assert_int_equal(g.calls[1], 516);
    fake_free(&g);
    fake_free(&f);
}

/* A module that takes 1G: 1G pages where possible, mismatch splits to 2M, then 4K. */
static void test_1g_supported(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 4 * GiB, false);
    f.support_1g = true;
    fake_map_4k(&f, 2 * G1 + 6 * M2, M2); /* one 4K block inside the second 1G page */
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_PROBE);
    accept_range r[] = {{G1 - K4, 2 * G1 + 2 * K4 + M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    assert_int_equal(accept_1g_state(&ctx), ACCEPT_1G_SUPPORTED);
    assert_true(fake_range_accepted_once(&f, r[0].base, r[0].len));
    assert_outside_untouched(&f, r, 1);
    assert_int_equal(f.state[fake_page_index(&f, G1 - 2 * K4)], FAKE_PENDING);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(f.calls[2], 2); /* probe page (skipped later) + the mismatching one */
    assert_int_equal(st.accepted[2], 1);
    assert_int_equal(st.mismatches[2], 1);
    assert_int_equal(st.mismatches[1], 1);
    assert_int_equal(f.calls[1], 512 + 1); /* 512 after the 1G split, one 2M after 3G */
    assert_int_equal(f.calls[0], 1 + 512 + 1);
    fake_free(&f);
}

static void test_busy_retry(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 16 * MiB, true);
    fake_add_fault(&f, (fake_fault){.gpa = 2 * M2, .level = 1, .busy = 5, .outcome = -1});
    fake_add_fault(&f, (fake_fault){.gpa = K4, .level = 0, .busy = 2, .outcome = -1});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{K4, 4 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.busy_retries, 7);
    assert_true(fake_range_accepted_once(&f, r[0].base, r[0].len));
    fake_free(&f);
}

static void test_busy_exhausted(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 16 * MiB, true);
    fake_add_fault(&f, (fake_fault){.gpa = 3 * M2, .level = 1, .busy = 6, .outcome = -1});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{0, 6 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_BUSY);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.status, TDS_ERR_BUSY);
    assert_int_equal(e.gpa, 3 * M2);
    assert_int_equal(e.level, ACCEPT_LEVEL_2M);
    assert_int_equal(e.outcome, ACCEPT_OUTCOME_BUSY);
    assert_int_equal(e.raw, RAW_BUSY);
    /* Six 2M chunks, each one 2M page: five accepted once, and 1 + 5 tries at 6M (not one
     * more). The failure stops only its own chunk: [8M, 10M) is still accepted. */
    assert_int_equal(f.calls[1], 5 + 6);
    assert_int_equal(f.calls[0], 0);
    assert_int_equal(f.state[fake_page_index(&f, 3 * M2)], FAKE_PENDING);
    assert_int_equal(f.zeroed[fake_page_index(&f, 3 * M2)], 0);
    assert_true(fake_range_accepted_once(&f, 0, 3 * M2));      /* everything below is accepted */
    assert_true(fake_range_accepted_once(&f, 4 * M2, 2 * M2)); /* and the other chunks above */
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.chunks, 6);
    assert_int_equal(st.busy_retries, 5);
    assert_int_equal(st.bytes_accepted, 5 * M2);
    /* Errors stick until re-initialised: nothing more is attempted. */
    uint64_t before = fake_total_calls(&f);
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_BUSY);
    assert_int_equal(fake_total_calls(&f), before);
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK); /* fault spent; re-run is safe */
    assert_true(fake_range_accepted_once(&f, 0, 6 * M2));
    fake_free(&f);
}

static void test_device_error_names_gpa(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 16 * MiB, true);
    fake_map_4k(&f, 2 * M2, M2);
    fake_add_fault(&f, (fake_fault){.gpa = 2 * M2 + 17 * K4,
                                    .level = 0,
                                    .err_raw = 0xC0000B0C00000000ull,
                                    .outcome = -1});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{K4, 6 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_DEVICE);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, 2 * M2 + 17 * K4);
    assert_int_equal(e.level, ACCEPT_LEVEL_4K);
    assert_int_equal(e.raw, 0xC0000B0C00000000ull);
    assert_int_equal(e.outcome, ACCEPT_OUTCOME_ERROR);
    assert_true(fake_range_accepted_once(&f, K4, 2 * M2 + 17 * K4 - K4));
    /* The failing chunk [4M, 6M) stops at its failing page; every other chunk is done. */
    for (uint64_t a = 2 * M2 + 17 * K4; a < 3 * M2; a += K4) {
        assert_int_equal(f.state[fake_page_index(&f, a)], FAKE_PENDING);
        assert_int_equal(f.zeroed[fake_page_index(&f, a)], 0);
    }
    assert_true(fake_range_accepted_once(&f, 3 * M2, 3 * M2 + K4));
    assert_int_equal(fake_accepted_pages(&f), 6 * 512 - (512 - 17));
    assert_int_equal(f.calls[0], 511 + 18 + 1); /* head, the split block up to the fault, tail */
    assert_int_equal(f.calls[1], 1 + 1 + 3);    /* 2M, the mismatch at 4M, 6M 8M 10M */
    assert_outside_untouched(&f, r, 1);
    fake_free(&f);
}

/* A failure in an edge chunk (handed out early) still leaves everything below it accepted. */
static void test_error_in_edge_chunk(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 16 * MiB, true);
    fake_add_fault(
        &f,
        (fake_fault){.gpa = 12 * MiB, .level = 0, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{K4, 12 * MiB + K4}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_DEVICE);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, 12 * MiB);
    assert_true(fake_range_accepted_once(&f, K4, 12 * MiB - K4));
    assert_int_equal(f.state[fake_page_index(&f, 12 * MiB)], FAKE_PENDING);
    assert_int_equal(f.state[fake_page_index(&f, 12 * MiB + K4)], FAKE_PENDING); /* same chunk */
    assert_int_equal(f.calls[0], 511 + 1);
    fake_free(&f);
}

static void test_mismatch_at_4k_is_error(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 8 * MiB, false);
    fake_add_fault(&f, (fake_fault){.gpa = 3 * K4,
                                    .level = 0,
                                    .err_raw = RAW_MISMATCH(0),
                                    .outcome = ACCEPT_OUTCOME_SIZE_MISMATCH});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{0, 8 * K4}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_DEVICE);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, 3 * K4);
    assert_int_equal(e.outcome, ACCEPT_OUTCOME_SIZE_MISMATCH);
    assert_int_equal(e.raw, RAW_MISMATCH(0));
    fake_free(&f);
}

static void test_nonsense_outcome(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 8 * MiB, false);
    fake_add_fault(&f, (fake_fault){.gpa = M2, .level = -1, .outcome = 77});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{0, 2 * M2}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_DEVICE);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, M2);
    assert_int_equal(e.outcome, ACCEPT_OUTCOME_ERROR);
    fake_free(&f);
}

/* A 1G error other than a refusal falls back to 2M, where the genuine fault is reported. */
static void test_1g_error_falls_back(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 3 * GiB, false);
    f.support_1g = true;
    fake_add_fault(
        &f, (fake_fault){.gpa = 2 * G1, .level = 2, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    fake_add_fault(
        &f, (fake_fault){
                .gpa = 2 * G1 + M2, .level = 1, .err_raw = RAW_EPT_WALK_FAILED, .outcome = -1});
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_PROBE);
    accept_range r[] = {{G1, 2 * G1}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_ERR_DEVICE);
    assert_int_equal(accept_1g_state(&ctx), ACCEPT_1G_SUPPORTED);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, 2 * G1 + M2);
    assert_int_equal(e.level, ACCEPT_LEVEL_2M);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.refused_1g, 1);
    assert_true(fake_range_accepted_once(&f, G1, G1 + M2));
    fake_free(&f);
}

static void test_parallel_op_failure_drains(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 128 * MiB, false);
    thread_pool pool = {.n = 4, .fail_to_start = true, .runs = 0};
    accept_config cfg = accept_config_default();
    cfg.mode_1g = ACCEPT_1G_OFF;
    cfg.chunk_size = 4 * MiB;
    accept_ops o = ops_for(&f);
    o.parallel = threads_parallel;
    o.parallel_ctx = &pool;
    accept_ctx ctx;
    assert_int_equal(accept_init(&ctx, &cfg, &o), TDS_OK);
    accept_range r[] = {{K4, 100 * MiB}};
    assert_int_equal(accept_all(&ctx, r, 1), TDS_OK);
    assert_int_equal(pool.runs, 1);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.parallel_failures, 1);
    assert_int_equal(st.chunks, 26); /* [4K, 100M+4K) touches windows 0..25 of 4 MiB */
    assert_true(fake_range_accepted_once(&f, r[0].base, r[0].len));
    fake_free(&f);
}

static void test_empty_map(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 4 * MiB, false);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_PROBE);
    assert_int_equal(accept_all(&ctx, NULL, 0), TDS_OK);
    assert_int_equal(fake_total_calls(&f), 0);
    accept_range bad[] = {{K4 / 2, K4}};
    assert_int_equal(accept_all(&ctx, bad, 1), TDS_ERR_ALIGNMENT);
    assert_int_equal(fake_total_calls(&f), 0);
    fake_free(&f);
}

/* ---- policy: accept up to a limit ---- */

static void test_up_to_bytes(void **state)
{
    (void)state;
    fake_tdx f;
    fake_init(&f, 0, 64 * MiB, true);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{K4, 3 * MiB}, {8 * MiB, 8 * MiB}, {20 * MiB, 4 * MiB}};
    accept_limit lim = {.max_bytes = 5 * MiB, .below_gpa = ACCEPT_NO_LIMIT};
    accept_range rest[3];
    size_t nrest = 99;
    assert_int_equal(accept_up_to(&ctx, r, 3, &lim, rest, 3, &nrest), TDS_OK);
    assert_int_equal(nrest, 2);
    assert_int_equal(rest[0].base, 10 * MiB); /* 3 MiB + 2 MiB of the second range */
    assert_int_equal(rest[0].len, 6 * MiB);
    assert_int_equal(rest[1].base, 20 * MiB);
    assert_int_equal(rest[1].len, 4 * MiB);
    assert_true(fake_range_accepted_once(&f, K4, 3 * MiB));
    assert_true(fake_range_accepted_once(&f, 8 * MiB, 2 * MiB));
    assert_int_equal(fake_accepted_pages(&f), 5 * MiB / K4);
    fake_free(&f);
}

static void test_up_to_below(void **state)
{
    (void)state;
    const uint64_t w = 4 * GiB - 16 * MiB;
    fake_tdx f;
    fake_init(&f, w, 32 * MiB, false);
    accept_ctx ctx;
    init_ctx(&ctx, &f, ACCEPT_1G_OFF);
    accept_range r[] = {{w, 4 * MiB}, {4 * GiB - 2 * MiB - K4, 6 * MiB}, {4 * GiB + 8 * MiB, K4}};
    accept_limit lim = {.max_bytes = ACCEPT_NO_LIMIT, .below_gpa = 4 * GiB};
    accept_range rest[2];
    size_t nrest = 0;
    /* Capacity is checked before anything is accepted. */
    assert_int_equal(accept_up_to(&ctx, r, 3, &lim, rest, 1, &nrest), TDS_ERR_NO_SPACE);
    assert_int_equal(fake_total_calls(&f), 0);
    assert_int_equal(nrest, 0);
    assert_int_equal(accept_up_to(&ctx, r, 3, &lim, rest, 2, &nrest), TDS_OK);
    assert_int_equal(nrest, 2);
    assert_int_equal(rest[0].base, 4 * GiB);
    assert_int_equal(rest[0].len, 4 * MiB - K4);
    assert_int_equal(rest[1].base, 4 * GiB + 8 * MiB);
    assert_true(fake_range_accepted_once(&f, 4 * GiB - 2 * MiB - K4, 2 * MiB + K4));
    assert_int_equal(f.state[fake_page_index(&f, 4 * GiB)], FAKE_PENDING);
    assert_int_equal(fake_accepted_pages(&f), (4 * MiB + 2 * MiB + K4) / K4);
    /* Both limits: the tighter one wins. */
    fake_tdx g;
    fake_init(&g, w, 32 * MiB, false);
    accept_ctx c2;
    init_ctx(&c2, &g, ACCEPT_1G_OFF);
    accept_limit both = {.max_bytes = 1 * MiB, .below_gpa = 4 * GiB};
    accept_range rest3[3];
    assert_int_equal(accept_up_to(&c2, r, 3, &both, rest3, 3, &nrest), TDS_OK);
    assert_int_equal(nrest, 3);
    assert_int_equal(rest3[0].base, w + 1 * MiB);
    assert_int_equal(fake_accepted_pages(&g), MiB / K4);
    accept_limit odd = {.max_bytes = 100, .below_gpa = ACCEPT_NO_LIMIT};
    assert_int_equal(accept_up_to(&c2, r, 3, &odd, rest3, 3, &nrest), TDS_ERR_ALIGNMENT);
    accept_limit odd2 = {.max_bytes = ACCEPT_NO_LIMIT, .below_gpa = 4 * GiB + 1};
    assert_int_equal(accept_up_to(&c2, r, 3, &odd2, rest3, 3, &nrest), TDS_ERR_ALIGNMENT);
    assert_int_equal(accept_up_to(&c2, r, 3, &both, NULL, 3, &nrest), TDS_ERR_INVALID_ARG);
    /* A zero byte budget accepts nothing and returns the whole map. */
    accept_limit none = {.max_bytes = 0, .below_gpa = ACCEPT_NO_LIMIT};
    uint64_t calls = fake_total_calls(&g);
    assert_int_equal(accept_up_to(&c2, r, 3, &none, rest3, 3, &nrest), TDS_OK);
    assert_int_equal(nrest, 3);
    assert_int_equal(rest3[0].base, w);
    assert_int_equal(rest3[0].len, 4 * MiB);
    assert_int_equal(fake_total_calls(&g), calls);
    fake_free(&g);
    fake_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_args),
        cmocka_unit_test(test_check_map),
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_chunk_plan),
        cmocka_unit_test(test_handout_follows_plan),
        cmocka_unit_test(test_aligned_map),
        cmocka_unit_test(test_ragged_map),
        cmocka_unit_test(test_4k_islands),
        cmocka_unit_test(test_already_islands),
        cmocka_unit_test(test_1g_refused_once),
        cmocka_unit_test(test_1g_supported),
        cmocka_unit_test(test_busy_retry),
        cmocka_unit_test(test_busy_exhausted),
        cmocka_unit_test(test_device_error_names_gpa),
        cmocka_unit_test(test_error_in_edge_chunk),
        cmocka_unit_test(test_mismatch_at_4k_is_error),
        cmocka_unit_test(test_nonsense_outcome),
        cmocka_unit_test(test_1g_error_falls_back),
        cmocka_unit_test(test_parallel_op_failure_drains),
        cmocka_unit_test(test_empty_map),
        cmocka_unit_test(test_up_to_bytes),
        cmocka_unit_test(test_up_to_below),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
