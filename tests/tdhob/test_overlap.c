/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The overlap rule and the sort scratch under hostile input: the largest TD HOB a 128 KiB TD_HOB
 * section holds (2729 resource descriptors, shuffled), one overlap planted first / in the middle
 * / last in list order and in address order, touching, identical and nested ranges, memory vs
 * I/O space, the top of the address spaces, and every way the scratch can be wrong. Each failure
 * checks status, reason, hob_offset, field_offset, hob_type and value, and that the view is left
 * untouched; the answers are also compared with the O(n^2) reference (ref_tdhob.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "ref_tdhob.h"

#define GPA 0x800000ull
#define N BIG_MAX_RESOURCES
#define N_IO 129u

static uint8_t g_buf[BIG_HOB_BYTES];
static tdhob_scratch_entry g_scratch[TDHOB_SCRATCH_ENTRIES(BIG_HOB_BYTES)];
static big_res g_res[N];
static ref_res g_ref[N];

static tdhob_config big_cfg(size_t scratch_cap)
{
    tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, g_scratch, scratch_cap};
    return cfg;
}

/* Validate g_buf[0..len) and expect the overlap reported at resource `idx` (list order). */
static void expect_overlap(size_t len, tdhob_config cfg, size_t idx)
{
    tdhob_view v;
    memset(&v, 0xC3, sizeof v);
    tdhob_error err;
    const tds_status s = tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err);
    const size_t n = ref_resources(g_buf, len, g_ref, N);
    const size_t want = ref_first_overlap(g_ref, n, NULL);
    if (s != TDS_ERR_MALFORMED || err.hob_offset != big_offset(idx)) {
        print_error("got %s (%s) at %zu, want overlap at resource %zu (offset %zu); ref %zu\n",
                    tds_status_str(s), tdhob_reason_str(err.reason), err.hob_offset, idx,
                    big_offset(idx), want);
    }
    assert_int_equal(want, idx); /* the reference agrees on the planted answer */
    assert_int_equal(s, TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, TDHOB_R_RESOURCE_OVERLAP);
    assert_int_equal(err.hob_offset, big_offset(idx));
    assert_int_equal(err.field_offset, big_offset(idx) + 32u);
    assert_int_equal(err.hob_type, TDHOB_TYPE_RESOURCE_DESCRIPTOR);
    assert_true(err.value == g_res[idx].start);
    for (size_t i = 0; i < sizeof v; i++) {
        assert_int_equal(((const uint8_t *)&v)[i], 0xC3);
    }
}

/* The memory map, both E820 forms and the RAM summary of v equal the O(n^2) reference. */
static void check_maps_against_ref(const tdhob_view *v, const uint8_t *buf, size_t len)
{
    static ref_res res[N];
    static ref_range want[N];
    static tdhob_mem_range map[N];
    static tdhob_e820_entry e820[N];
    const size_t n = ref_resources(buf, len, res, N);
    assert_true(n <= N);
    const tdhob_convention conv = tdhob_get_convention(v);
    size_t got = 0;
    size_t nw = ref_merged(res, n, conv, 0, want, N, NULL);
    assert_int_equal(tdhob_memory_map_count(v, &got), TDS_OK);
    assert_int_equal(got, nw);
    assert_int_equal(tdhob_memory_map(v, map, N, &got), TDS_OK);
    assert_int_equal(got, nw);
    for (size_t i = 0; i < nw; i++) {
        assert_true(map[i].base == want[i].base);
        assert_true(map[i].length == want[i].length);
        assert_int_equal(map[i].kind, want[i].key);
    }
    static const uint32_t unacc[] = {TDHOB_E820_UNACCEPTED, TDHOB_E820_RAM};
    for (size_t u = 0; u < 2; u++) {
        nw = ref_merged(res, n, conv, unacc[u], want, N, NULL);
        assert_int_equal(tdhob_e820(v, unacc[u], e820, N, &got), TDS_OK);
        assert_int_equal(got, nw);
        for (size_t i = 0; i < nw; i++) {
            assert_true(e820[i].addr == want[i].base);
            assert_true(e820[i].size == want[i].length);
            assert_int_equal(e820[i].type, want[i].key);
        }
    }
    tdhob_ram_summary rs;
    tdhob_ram_summary rw;
    assert_int_equal(tdhob_ram_summary_get(v, &rs), TDS_OK);
    ref_ram_summary(res, n, conv, &rw);
    assert_true(rs.accepted_bytes == rw.accepted_bytes);
    assert_true(rs.unaccepted_bytes == rw.unaccepted_bytes);
    assert_true(rs.ram_top == rw.ram_top);
    assert_true(rs.ram_top_below_4g == rw.ram_top_below_4g);
}

static size_t make_big(uint64_t seed)
{
    big_make(g_res, N, N_IO, seed);
    const size_t len = big_write(g_buf, sizeof g_buf, GPA, g_res, N);
    assert_int_equal(len, 56u + 48u * N + 8u);
    return len;
}

static int cmp_start(const void *a, const void *b)
{
    const uint64_t x = g_res[*(const size_t *)a].start;
    const uint64_t y = g_res[*(const size_t *)b].start;
    return x < y ? -1 : x > y;
}

/* List index of the memory range with the k-th lowest start (address order). */
static size_t by_address(size_t k)
{
    static size_t idx[N];
    size_t m = 0;
    for (size_t i = 0; i < N; i++) {
        if (g_res[i].type != 2 && g_res[i].type != 6) {
            idx[m++] = i;
        }
    }
    assert_true(k < m);
    qsort(idx, m, sizeof idx[0], cmp_start);
    return idx[k];
}

static void rewrite(size_t idx, uint32_t type, uint64_t start, uint64_t length)
{
    g_res[idx].type = type;
    g_res[idx].start = start;
    g_res[idx].length = length;
    (void)big_write(g_buf, sizeof g_buf, GPA, g_res, N);
}

/* Move resource `moved` inside resource `onto` (same space, smallest length): it then overlaps
 * `onto` and nothing else, since the generated ranges of a space are disjoint. */
static void plant(size_t moved, size_t onto)
{
    const big_res o = g_res[onto];
    rewrite(moved, o.type, o.start, o.type == 2 || o.type == 6 ? 1u : 0x1000u);
}

/* The largest HOB a 128 KiB section holds validates with exactly TDHOB_SCRATCH_ENTRIES(128 KiB)
 * entries, in any order, and its maps are the reference's. */
static void test_max_hob_valid(void **state)
{
    (void)state;
    assert_int_equal(TDHOB_SCRATCH_ENTRIES(BIG_HOB_BYTES), N);
    assert_int_equal(TDHOB_SCRATCH_ENTRIES(0x10000), 1364);
    assert_int_equal(TDHOB_SCRATCH_ENTRIES(104), 1);
    assert_int_equal(TDHOB_SCRATCH_ENTRIES(103), 0);
    assert_int_equal(TDHOB_SCRATCH_ENTRIES(0), 0);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        const size_t len = make_big(seed);
        assert_true(len + 16u == BIG_HOB_BYTES); /* no room for one more resource */
        tdhob_config cfg = big_cfg(TDS_ARRAY_LEN(g_scratch));
        tdhob_view v;
        tdhob_error err;
        /* The whole section, as the firmware passes it: bytes after END are ignored. */
        assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, sizeof g_buf), &cfg, &v, &err),
                         TDS_OK);
        assert_int_equal(err.reason, TDHOB_R_NONE);
        assert_int_equal(tdhob_length(&v), len);
        assert_int_equal(tdhob_count(&v, TDHOB_TYPE_RESOURCE_DESCRIPTOR), N);
        assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_CURRENT);
        check_maps_against_ref(&v, g_buf, len);
        tdhob_ram_summary rs;
        assert_int_equal(tdhob_ram_summary_get(&v, &rs), TDS_OK);
        assert_true(rs.ram_top > (1ull << 32)); /* the generator crosses 4 GiB */
    }
}

/* One overlap planted by list position: the later HOB of the pair is reported, whichever of the
 * two was moved. */
static void test_overlap_list_order(void **state)
{
    (void)state;
    const size_t mid = N / 2u;
    struct {
        size_t moved;
        size_t onto;
        size_t reported;
    } cases[] = {
        {1, 0, 1},           /* first: the second HOB overlaps the first */
        {0, 1, 1},           /* the first HOB moved onto the second: still the second */
        {mid, 7, mid},       /* middle */
        {7, mid, mid},       /* middle, the earlier one moved */
        {N - 1u, 0, N - 1u}, /* last */
        {0, N - 1u, N - 1u}, /* last, the first one moved onto it */
        {N - 1u, N - 2u, N - 1u},
    };
    for (size_t c = 0; c < TDS_ARRAY_LEN(cases); c++) {
        const size_t len = make_big(11);
        plant(cases[c].moved, cases[c].onto);
        expect_overlap(len, big_cfg(TDS_ARRAY_LEN(g_scratch)), cases[c].reported);
    }
}

/* One overlap planted by address: the lowest, a middle and the highest two neighbours in memory
 * space, and the highest two in I/O space; the upper one is stretched down into the lower. */
static void test_overlap_address_order(void **state)
{
    (void)state;
    const size_t n_mem = N - N_IO;
    const size_t ks[] = {0, n_mem / 2u, n_mem - 2u};
    for (size_t c = 0; c < TDS_ARRAY_LEN(ks); c++) {
        const size_t len = make_big(23);
        const size_t lo = by_address(ks[c]);
        const size_t hi = by_address(ks[c] + 1u);
        const uint64_t lo_end = g_res[lo].start + g_res[lo].length;
        const uint64_t hi_end = g_res[hi].start + g_res[hi].length;
        rewrite(hi, g_res[hi].type, lo_end - 0x1000u, hi_end - (lo_end - 0x1000u));
        expect_overlap(len, big_cfg(TDS_ARRAY_LEN(g_scratch)), lo > hi ? lo : hi);
    }
    /* I/O space: the two highest I/O ranges. */
    const size_t len = make_big(29);
    size_t a = N;
    size_t b = N;
    for (size_t i = 0; i < N; i++) {
        if (g_res[i].type != 2 && g_res[i].type != 6) {
            continue;
        }
        if (a == N || g_res[i].start > g_res[a].start) {
            b = a;
            a = i;
        } else if (b == N || g_res[i].start > g_res[b].start) {
            b = i;
        }
    }
    rewrite(a, g_res[a].type, g_res[b].start + g_res[b].length - 1u,
            g_res[a].start + g_res[a].length - (g_res[b].start + g_res[b].length - 1u));
    expect_overlap(len, big_cfg(TDS_ARRAY_LEN(g_scratch)), a > b ? a : b);
}

/* Several overlapping pairs: the one whose later HOB comes first in the list is reported. */
static void test_overlap_earliest_pair_wins(void **state)
{
    (void)state;
    const size_t len = make_big(31);
    plant(2000, 5);    /* pair (5, 2000) */
    plant(1500, 100);  /* pair (100, 1500): reported */
    plant(1600, 1700); /* pair (1600, 1700) */
    expect_overlap(len, big_cfg(TDS_ARRAY_LEN(g_scratch)), 1500);
}

/* Small hand-made lists. Returns the length; resources at 56, 104, 152, ... */
static size_t small_list(const big_res *r, size_t n)
{
    memcpy(g_res, r, n * sizeof *r);
    return big_write(g_buf, sizeof g_buf, GPA, g_res, n);
}

static void expect_valid(size_t len, size_t nmap)
{
    tdhob_config cfg = big_cfg(TDS_ARRAY_LEN(g_scratch));
    tdhob_view v;
    tdhob_error err;
    const tds_status s = tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err);
    if (s != TDS_OK) {
        print_error("%s at %zu\n", tdhob_reason_str(err.reason), err.hob_offset);
    }
    assert_int_equal(s, TDS_OK);
    size_t n;
    assert_int_equal(tdhob_memory_map_count(&v, &n), TDS_OK);
    assert_int_equal(n, nmap);
    check_maps_against_ref(&v, g_buf, len);
}

static void test_touching_is_not_overlap(void **state)
{
    (void)state;
    const big_res r[] = {
        {0, 0x3000, 0x1000}, {0, 0x1000, 0x1000}, {0, 0x2000, 0x1000}, /* merge into one */
        {7, 0x4000, 0x1000},                                           /* touches, other kind */
        {2, 0x10, 0x10},     {6, 0x0, 0x10},      {2, 0x20, 0x10},     /* I/O touching */
    };
    expect_valid(small_list(r, TDS_ARRAY_LEN(r)), 2);
}

static void test_identical_and_nested(void **state)
{
    (void)state;
    const big_res identical[] = {{0, 0x1000, 0x2000}, {7, 0x9000, 0x1000}, {5, 0x1000, 0x2000}};
    expect_overlap(small_list(identical, 3), big_cfg(TDS_ARRAY_LEN(g_scratch)), 2);
    const big_res io_identical[] = {{2, 0x60, 0x8}, {6, 0x60, 0x8}};
    expect_overlap(small_list(io_identical, 2), big_cfg(TDS_ARRAY_LEN(g_scratch)), 1);
    /* Small inside big (reported: the small one, value its start) ... */
    const big_res nested[] = {{0, 0x100000, 0x100000}, {0, 0x1000, 0x1000}, {7, 0x180000, 0x1000}};
    expect_overlap(small_list(nested, 3), big_cfg(TDS_ARRAY_LEN(g_scratch)), 2);
    /* ... and big around small (reported: the big one, value its start). */
    const big_res around[] = {{7, 0x180000, 0x1000}, {0, 0x1000, 0x1000}, {0, 0x100000, 0x100000}};
    expect_overlap(small_list(around, 3), big_cfg(TDS_ARRAY_LEN(g_scratch)), 2);
    /* Same start, different lengths. */
    const big_res same_start[] = {{0, 0x1000, 0x1000}, {1, 0x1000, 0x3000}};
    expect_overlap(small_list(same_start, 2), big_cfg(TDS_ARRAY_LEN(g_scratch)), 1);
}

/* The same numbers in memory and I/O space are no conflict; the memory map leaves I/O out. */
static void test_io_and_memory_spaces(void **state)
{
    (void)state;
    const big_res r[] = {{0, 0x0, 0x1000},    {2, 0x0, 0x1000},    {6, 0x1000, 0x1000},
                         {7, 0x1000, 0x1000}, {2, 0x2000, 0xE000}, {5, 0x2000, 0xE000}};
    expect_valid(small_list(r, TDS_ARRAY_LEN(r)), 3);
}

/* Ranges ending exactly at the top of each space validate, touching there is fine, overlapping
 * there is found, and a range whose end would be 2^64 is a wrap, not a small number. */
static void test_top_of_address_space(void **state)
{
    (void)state;
    const uint64_t top52 = 1ull << 51;
    const big_res touch[] = {{7, top52 - 0x1000, 0x1000},
                             {7, top52 - 0x3000, 0x2000},
                             {2, 0xFFF0, 0x10},
                             {6, 0xFF00, 0xF0}};
    size_t len = small_list(touch, 4);
    tdhob_config cfg = big_cfg(TDS_ARRAY_LEN(g_scratch));
    cfg.gpaw = 52;
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, NULL), TDS_OK);
    tdhob_mem_range m[2];
    size_t n;
    assert_int_equal(tdhob_memory_map(&v, m, 2, &n), TDS_OK);
    assert_int_equal(n, 1);
    assert_true(m[0].base == top52 - 0x3000 && m[0].length == 0x3000);
    tdhob_ram_summary rs;
    assert_int_equal(tdhob_ram_summary_get(&v, &rs), TDS_OK);
    assert_true(rs.ram_top == top52);

    const big_res over[] = {{7, top52 - 0x2000, 0x2000}, {0, top52 - 0x1000, 0x1000}};
    len = small_list(over, 2);
    expect_overlap(len, cfg, 1);
    const big_res io_over[] = {{2, 0xFFF0, 0x10}, {6, 0xFFFF, 0x1}};
    len = small_list(io_over, 2);
    expect_overlap(len, cfg, 1);

    /* End = 2^64: RANGE_WRAP for memory and I/O types, even next to an overlapping twin. */
    const uint32_t types[] = {0, 2};
    for (size_t t = 0; t < 2; t++) {
        const big_res wrap[] = {{types[t], 0xFFFFFFFFFFFFF000ull, 0x1000},
                                {types[t], 0xFFFFFFFFFFFFF000ull, 0x1000}};
        len = small_list(wrap, 2);
        memset(&v, 0xC3, sizeof v);
        tdhob_error err;
        assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err),
                         TDS_ERR_OVERFLOW);
        assert_int_equal(err.reason, TDHOB_R_RANGE_WRAP);
        assert_int_equal(err.hob_offset, big_offset(0));
        assert_int_equal(err.field_offset, big_offset(0) + 40u);
        assert_int_equal(((const uint8_t *)&v)[0], 0xC3);
    }
}

static void expect_scratch_too_small(size_t len, size_t cap, size_t idx)
{
    tdhob_config cfg = big_cfg(cap);
    if (cap == 0) {
        cfg.scratch = NULL;
    }
    tdhob_view v;
    memset(&v, 0xC3, sizeof v);
    tdhob_error err;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err), TDS_ERR_NO_SPACE);
    assert_int_equal(err.reason, TDHOB_R_SCRATCH_TOO_SMALL);
    assert_int_equal(err.hob_offset, big_offset(idx));
    assert_int_equal(err.field_offset, big_offset(idx));
    assert_int_equal(err.hob_type, TDHOB_TYPE_RESOURCE_DESCRIPTOR);
    assert_true(err.value == cap);
    assert_string_equal(tdhob_reason_str(err.reason), "sort scratch too small for the resources");
    for (size_t i = 0; i < sizeof v; i++) {
        assert_int_equal(((const uint8_t *)&v)[i], 0xC3);
    }
}

/* A scratch one entry short fails at the first resource without one, never skips the check. */
static void test_scratch_too_small(void **state)
{
    (void)state;
    size_t len = make_big(41);
    expect_scratch_too_small(len, N - 1u, N - 1u);
    expect_scratch_too_small(len, 1000, 1000);
    expect_scratch_too_small(len, 0, 0); /* NULL scratch: only lists without resources */
    /* An overlap among the resources already recorded comes first (it is earlier in the list)... */
    plant(3, 1);
    expect_overlap(len, big_cfg(10), 3);
    /* ... one among the resources not recorded does not: the scratch error is reported. */
    len = make_big(41);
    plant(20, 1);
    expect_scratch_too_small(len, 10, 10);
    /* A list without resource descriptors needs no scratch. */
    len = big_write(g_buf, sizeof g_buf, GPA, g_res, 0);
    tdhob_config cfg = big_cfg(0);
    cfg.scratch = NULL;
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, NULL), TDS_OK);
    size_t n = 1;
    assert_int_equal(tdhob_memory_map_count(&v, &n), TDS_OK);
    assert_int_equal(n, 0);
}

/* TDHOB_SCRATCH_ENTRIES(B) is exact: a B-byte buffer of PHIT + resources without END fills it and
 * reports END_MISSING, not a scratch error; one entry less is too small. */
static void test_scratch_bound_exact(void **state)
{
    (void)state;
    const size_t k = 50;
    big_make(g_res, k, 5, 43);
    (void)big_write(g_buf, sizeof g_buf, GPA, g_res, k);
    const size_t len = 56u + 48u * k; /* cut before END */
    assert_int_equal(TDHOB_SCRATCH_ENTRIES(len), k);
    tdhob_config cfg = big_cfg(TDHOB_SCRATCH_ENTRIES(len));
    tdhob_error err;
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err), TDS_ERR_TRUNCATED);
    assert_int_equal(err.reason, TDHOB_R_END_MISSING);
    expect_scratch_too_small(len, k - 1u, k - 1u);
}

/* Scratch arguments the validator refuses: NULL with a capacity, a size that overflows, and a
 * scratch inside the HOB bytes (it would be written over them while they are read). */
static void test_scratch_bad_args(void **state)
{
    (void)state;
    const big_res r[] = {{0, 0x1000, 0x1000}};
    const size_t len = small_list(r, 1);
    const tdhob_config base = big_cfg(TDS_ARRAY_LEN(g_scratch));
    tdhob_view v;
    tdhob_error err;
    tdhob_config cfg = base;
    cfg.scratch = NULL;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, TDHOB_R_BAD_ARG);
    cfg = base;
    cfg.scratch_cap = SIZE_MAX / 8u;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, TDHOB_R_BAD_ARG);
    /* A scratch carved out of the HOB's own buffer (after END, then across it). */
    static tdhob_scratch_entry inside[64];
    uint8_t *hob = (uint8_t *)inside;
    memcpy(hob, g_buf, len);
    const tds_bytes hobs = tds_bytes_make(hob, len);
    cfg = base;
    cfg.scratch = &inside[(len + sizeof *inside - 1u) / sizeof *inside]; /* just past the list */
    cfg.scratch_cap = 4;
    assert_int_equal(tdhob_validate(hobs, &cfg, &v, &err), TDS_OK);
    cfg.scratch = &inside[0];
    assert_int_equal(tdhob_validate(hobs, &cfg, &v, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, TDHOB_R_BAD_ARG);
    cfg.scratch = &inside[len / sizeof *inside - 1u]; /* overlaps the tail of the list */
    assert_int_equal(tdhob_validate(hobs, &cfg, &v, &err), TDS_ERR_INVALID_ARG);
}

/* The view borrows the scratch: the accessors fail closed when it was changed under them. */
static void test_view_borrows_scratch(void **state)
{
    (void)state;
    const big_res r[] = {{0, 0x5000, 0x1000}, {7, 0x1000, 0x1000}, {7, 0x3000, 0x1000}};
    const size_t len = small_list(r, 3);
    tdhob_config cfg = big_cfg(TDS_ARRAY_LEN(g_scratch));
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_buf, len), &cfg, &v, NULL), TDS_OK);
    tdhob_mem_range m[4];
    size_t n;
    assert_int_equal(tdhob_memory_map(&v, m, 4, &n), TDS_OK);
    assert_int_equal(n, 3);
    assert_true(m[0].base == 0x1000 && m[1].base == 0x3000 && m[2].base == 0x5000);
    const tdhob_scratch_entry t = g_scratch[0];
    g_scratch[0] = g_scratch[2];
    g_scratch[2] = t;
    assert_int_equal(tdhob_memory_map(&v, m, 4, &n), TDS_ERR_STATE);
    tdhob_ram_summary rs;
    assert_int_equal(tdhob_ram_summary_get(&v, &rs), TDS_ERR_STATE);
    tdhob_e820_entry e[4];
    assert_int_equal(tdhob_e820(&v, TDHOB_E820_RAM, e, 4, &n), TDS_ERR_STATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_max_hob_valid),
        cmocka_unit_test(test_overlap_list_order),
        cmocka_unit_test(test_overlap_address_order),
        cmocka_unit_test(test_overlap_earliest_pair_wins),
        cmocka_unit_test(test_touching_is_not_overlap),
        cmocka_unit_test(test_identical_and_nested),
        cmocka_unit_test(test_io_and_memory_spaces),
        cmocka_unit_test(test_top_of_address_space),
        cmocka_unit_test(test_scratch_too_small),
        cmocka_unit_test(test_scratch_bound_exact),
        cmocka_unit_test(test_scratch_bad_args),
        cmocka_unit_test(test_view_borrows_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
