/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Differential test: libtdhob against the O(n^2) reference (ref_tdhob.c) on many random lists
 * from a fixed seed. Each list mixes memory- and I/O-space resources in a small address range (so
 * overlaps are frequent) with CPU, memory-allocation, FV and GUID HOBs that shift the offsets;
 * some carry one malformed HOB at a random place, some get a scratch that is too small. The
 * expected outcome is what checking each HOB in list order gives: the first of (a resource that
 * overlaps an earlier one of its space, the malformed HOB, the first resource without a scratch
 * entry). Status, reason, hob_offset, field_offset, hob_type and value must match exactly; on
 * success the memory map, both E820 forms and the RAM summary must equal the reference's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "ref_tdhob.h"

#define GPA 0x10000000ull
#define MAX_RES 64u
#define ITERATIONS 10000u
#define SEED 0x7D5EED5ull

static uint8_t g_buf[8192];
static tdhob_scratch_entry g_scratch[MAX_RES];

typedef struct expect {
    tds_status status;
    tdhob_reason reason;
    size_t hob_offset;
    size_t field_offset;
    uint64_t value;
} expect;

typedef struct gen {
    hb h;
    uint64_t rng;
    uint64_t spread; /* address range factor: 1 (dense, overlaps) .. 512 (sparse) */
    size_t nres;
    ref_res res[MAX_RES];
    size_t bad_offset; /* the malformed HOB, or SIZE_MAX */
} gen;

static uint64_t rnd(gen *g, uint64_t n)
{
    return ref_rand(&g->rng) % n;
}

static void add_resource(gen *g)
{
    static const uint32_t types[] = {0, 1, 2, 3, 4, 5, 6, 7};
    const uint32_t type = types[rnd(g, 8)];
    uint64_t start;
    uint64_t len;
    if (type == 2 || type == 6) {
        start = rnd(g, 96u * g->spread);
        len = 1 + rnd(g, 24);
    } else {
        start = 0x1000u * rnd(g, 48u * g->spread);
        len = 0x1000u * (1 + rnd(g, 6));
    }
    const size_t off = hb_res(&g->h, type, 0x7, start, len);
    g->res[g->nres] = (ref_res){off, type, start, len};
    g->nres++;
}

static void add_other(gen *g)
{
    switch (rnd(g, 4)) {
    case 0: (void)hb_memalloc(&g->h, 0x1000u * rnd(g, 64), 0x1000u * (1 + rnd(g, 4)), 4); break;
    case 1: (void)hb_fv(&g->h, 0x1000u * rnd(g, 64), 0x1000u * (1 + rnd(g, 4))); break;
    default: {
        static const tds_guid other =
            TDS_GUID_INIT(0x12345678u, 0x9abcu, 0xdef0u, 1, 2, 3, 4, 5, 6, 7, 8);
        uint8_t data[40];
        const size_t n = (size_t)rnd(g, sizeof data);
        memset(data, 0x5A, n);
        (void)hb_guid(&g->h, &other, data, n);
        break;
    }
    }
}

/* A resource with ResourceType 8: RESOURCE_TYPE at its type field. */
static void add_bad(gen *g, expect *bad)
{
    const size_t off = hb_res(&g->h, 8, 0x7, 0x1000, 0x1000);
    g->bad_offset = off;
    *bad = (expect){TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_TYPE, off, off + 24u, 8};
}

/* Build one random list into g_buf; returns its length and the expectation for its bad HOB. */
static size_t build(gen *g, size_t *n_items, expect *bad)
{
    hb_init(&g->h, g_buf, sizeof g_buf);
    g->nres = 0;
    g->bad_offset = SIZE_MAX;
    g->spread = 1ull << (3u * rnd(g, 4)); /* 1, 8, 64, 512: I/O stays below 96 * 512 + 24 */
    (void)hb_phit(&g->h);
    if (rnd(g, 2) == 0) {
        (void)hb_cpu(&g->h, 48, 16);
    }
    const size_t items = (size_t)rnd(g, MAX_RES);
    const bool with_bad = rnd(g, 4) == 0;
    const size_t bad_at = (size_t)rnd(g, items + 1);
    for (size_t i = 0; i < items; i++) {
        if (with_bad && i == bad_at) {
            add_bad(g, bad);
        }
        if (rnd(g, 4) == 0) {
            add_other(g);
        } else if (g->nres < MAX_RES) {
            add_resource(g);
        }
    }
    if (with_bad && bad_at == items) {
        add_bad(g, bad);
    }
    (void)hb_end(&g->h);
    hb_patch_end(&g->h, GPA);
    *n_items = items;
    assert_true(g->h.len <= sizeof g_buf);
    return g->h.len;
}

/* What checking each HOB in list order reports: only the resources before the bad HOB count. */
static bool expected_error(const gen *g, size_t cap, const expect *bad, expect *out)
{
    size_t n = 0;
    while (n < g->nres && g->res[n].offset < g->bad_offset) {
        n++;
    }
    const size_t j = ref_first_overlap(g->res, n, NULL);
    if (j < n && j < cap) {
        *out = (expect){TDS_ERR_MALFORMED, TDHOB_R_RESOURCE_OVERLAP, g->res[j].offset,
                        g->res[j].offset + 32u, g->res[j].start};
        return true;
    }
    if (n > cap) {
        *out = (expect){TDS_ERR_NO_SPACE, TDHOB_R_SCRATCH_TOO_SMALL, g->res[cap].offset,
                        g->res[cap].offset, (uint64_t)cap};
        return true;
    }
    if (g->bad_offset != SIZE_MAX) {
        *out = *bad;
        return true;
    }
    return false;
}

static void compare_maps(const tdhob_view *v, const gen *g)
{
    static ref_range want[MAX_RES];
    static tdhob_mem_range map[MAX_RES];
    static tdhob_e820_entry e820[MAX_RES];
    const tdhob_convention conv = tdhob_get_convention(v);
    size_t got = 0;
    size_t nw = ref_merged(g->res, g->nres, conv, 0, want, MAX_RES, NULL);
    assert_int_equal(tdhob_memory_map(v, map, MAX_RES, &got), TDS_OK);
    assert_int_equal(got, nw);
    for (size_t i = 0; i < nw; i++) {
        assert_true(map[i].base == want[i].base && map[i].length == want[i].length);
        assert_int_equal(map[i].kind, want[i].key);
    }
    if (nw > 0) {
        assert_int_equal(tdhob_memory_map(v, map, nw - 1u, &got), TDS_ERR_NO_SPACE);
    }
    static const uint32_t unacc[] = {TDHOB_E820_UNACCEPTED, TDHOB_E820_RAM};
    for (size_t u = 0; u < 2; u++) {
        nw = ref_merged(g->res, g->nres, conv, unacc[u], want, MAX_RES, NULL);
        assert_int_equal(tdhob_e820(v, unacc[u], e820, MAX_RES, &got), TDS_OK);
        assert_int_equal(got, nw);
        for (size_t i = 0; i < nw; i++) {
            assert_true(e820[i].addr == want[i].base && e820[i].size == want[i].length);
            assert_int_equal(e820[i].type, want[i].key);
        }
    }
    tdhob_ram_summary a;
    tdhob_ram_summary b;
    assert_int_equal(tdhob_ram_summary_get(v, &a), TDS_OK);
    ref_ram_summary(g->res, g->nres, conv, &b);
    assert_memory_equal(&a, &b, sizeof a);
}

static void test_random_lists(void **state)
{
    (void)state;
    static gen g;
    g.rng = SEED;
    size_t valid = 0;
    size_t overlaps = 0;
    size_t scratch_short = 0;
    size_t bad_first = 0;
    for (size_t it = 0; it < ITERATIONS; it++) {
        size_t items;
        expect bad = {TDS_OK, TDHOB_R_NONE, 0, 0, 0};
        const size_t len = build(&g, &items, &bad);
        /* A quarter of the runs get a random (often too small) scratch. */
        size_t cap = MAX_RES;
        if (rnd(&g, 4) == 0) {
            cap = (size_t)rnd(&g, g.nres + 1);
        }
        tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, cap == 0 ? NULL : g_scratch, cap};
        tdhob_view v;
        tdhob_error err;
        const tds_status s = tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err);
        expect want;
        if (!expected_error(&g, cap, &bad, &want)) {
            if (s != TDS_OK) {
                print_error("iteration %zu: unexpected %s at %zu\n", it,
                            tdhob_reason_str(err.reason), err.hob_offset);
            }
            assert_int_equal(s, TDS_OK);
            compare_maps(&v, &g);
            valid++;
            continue;
        }
        if (s != want.status || err.reason != want.reason || err.hob_offset != want.hob_offset) {
            print_error("iteration %zu (%zu items, cap %zu): got %s at %zu, want %s at %zu\n", it,
                        items, cap, tdhob_reason_str(err.reason), err.hob_offset,
                        tdhob_reason_str(want.reason), want.hob_offset);
        }
        assert_int_equal(s, want.status);
        assert_int_equal(err.reason, want.reason);
        assert_int_equal(err.hob_offset, want.hob_offset);
        assert_int_equal(err.field_offset, want.field_offset);
        assert_int_equal(err.hob_type, TDHOB_TYPE_RESOURCE_DESCRIPTOR);
        assert_true(err.value == want.value);
        overlaps += want.reason == TDHOB_R_RESOURCE_OVERLAP;
        scratch_short += want.reason == TDHOB_R_SCRATCH_TOO_SMALL;
        bad_first += want.reason == TDHOB_R_RESOURCE_TYPE;
    }
    /* The generator reaches every outcome often enough to mean something. */
    print_message("differential: %zu valid, %zu overlaps, %zu scratch too small, %zu bad HOB "
                  "first\n",
                  valid, overlaps, scratch_short, bad_first);
    assert_true(valid >= ITERATIONS / 10u);
    assert_true(overlaps >= ITERATIONS / 4u);
    assert_true(scratch_short >= ITERATIONS / 50u);
    assert_true(bad_first >= ITERATIONS / 50u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
