/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The hand-off's E820 map builder (shim/e820.c): overlays, splits, merges, edges, capacity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "e820.h"

static void expect_map(const shim_e820 *m, const tdhob_e820_entry *want, size_t n)
{
    assert_int_equal(m->n, n);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(m->e[i].addr, want[i].addr);
        assert_int_equal(m->e[i].size, want[i].size);
        assert_int_equal(m->e[i].type, want[i].type);
    }
}

/* The shape the shim builds for a 256 MiB guest (docs/handoff.md §4), step by step. */
static void test_handoff_shape(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    /* TD HOB: [0, 1M) unaccepted -> accepted by the shim (1), TempMem + TD_HOB added (1), the
     * rest unaccepted -> accepted (1): adjacent type-1 ranges merge into one. */
    assert_int_equal(shim_e820_set(&m, 0, 0x100000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x100000, 0x720000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x820000, 0xF7E0000, 1), TDS_OK);
    const tdhob_e820_entry one[] = {{0, 0x10000000, 1}};
    expect_map(&m, one, 1);
    /* TempMem reserved, then the log (NVS), mailbox + blob (NVS), ACPI area and payload region. */
    assert_int_equal(shim_e820_set(&m, 0x100000, 0x700000, 2), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x166000, 0x10000, 4), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x179000, 0x1000, 4), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x178000, 0x1000, 4), TDS_OK); /* merges with 0x179000 */
    assert_int_equal(shim_e820_set(&m, 0x17A000, 0x10000, 3), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x1000000, 0x200000, 2), TDS_OK);
    const tdhob_e820_entry want[] = {
        {0x0, 0x100000, 1},        {0x100000, 0x66000, 2},  {0x166000, 0x10000, 4},
        {0x176000, 0x2000, 2},     {0x178000, 0x2000, 4},   {0x17A000, 0x10000, 3},
        {0x18A000, 0x676000, 2},   {0x800000, 0x800000, 1}, {0x1000000, 0x200000, 2},
        {0x1200000, 0xEE00000, 1},
    };
    expect_map(&m, want, sizeof want / sizeof want[0]);
    assert_int_equal(shim_e820_bytes(&m, 1), 0x100000 + 0x800000 + 0xEE00000);
    assert_int_equal(shim_e820_bytes(&m, 4), 0x12000);
    assert_true(shim_e820_covers(&m, 0x166000, 0x10000, 4));
    assert_false(shim_e820_covers(&m, 0x166000, 0x10001, 4)); /* one byte into type 2 */
    assert_int_equal(shim_e820_run_end(&m, 0x800000, 1), 0x1000000);
    assert_int_equal(shim_e820_run_end(&m, 0xFFFFFFF, 1), 0x10000000);
    assert_int_equal(shim_e820_run_end(&m, 0x1000000, 1), 0);  /* reserved there */
    assert_int_equal(shim_e820_run_end(&m, 0x10000000, 1), 0); /* past the end */
}

/* A range over several entries and holes replaces all of them; outer parts survive. */
static void test_overlay_spans_entries_and_holes(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    assert_int_equal(shim_e820_set(&m, 0x1000, 0x1000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x4000, 0x2000, 2), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x8000, 0x3000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x1800, 0x7000, 8), TDS_OK);
    const tdhob_e820_entry want[] = {{0x1000, 0x800, 1}, {0x1800, 0x7000, 8}, {0x8800, 0x2800, 1}};
    expect_map(&m, want, 3);
    /* Filling a hole before everything, and one after. */
    assert_int_equal(shim_e820_set(&m, 0, 0x1000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0xB000, 0x1000, 1), TDS_OK);
    const tdhob_e820_entry want2[] = {{0, 0x1800, 1}, {0x1800, 0x7000, 8}, {0x8800, 0x3800, 1}};
    expect_map(&m, want2, 3);
    /* Restoring the middle to type 1 merges everything. */
    assert_int_equal(shim_e820_set(&m, 0x1800, 0x7000, 1), TDS_OK);
    const tdhob_e820_entry want3[] = {{0, 0xC000, 1}};
    expect_map(&m, want3, 1);
    /* A hole is not covered. */
    assert_int_equal(shim_e820_set(&m, 0x20000, 0x1000, 1), TDS_OK);
    assert_false(shim_e820_covers(&m, 0xB000, 0x16000, 1));
    assert_true(shim_e820_covers(&m, 0xB000, 0x1000, 1));
}

/* Exact boundaries: a range equal to an entry, touching its start or its end. */
static void test_exact_edges(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    assert_int_equal(shim_e820_set(&m, 0x10000, 0x10000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x10000, 0x10000, 2), TDS_OK);
    const tdhob_e820_entry a[] = {{0x10000, 0x10000, 2}};
    expect_map(&m, a, 1);
    assert_int_equal(shim_e820_set(&m, 0x10000, 0x1000, 3), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x1F000, 0x1000, 4), TDS_OK);
    const tdhob_e820_entry b[] = {{0x10000, 0x1000, 3}, {0x11000, 0xE000, 2}, {0x1F000, 0x1000, 4}};
    expect_map(&m, b, 3);
    /* Touching ranges of another type stay separate. */
    assert_int_equal(shim_e820_set(&m, 0x20000, 0x1000, 1), TDS_OK);
    assert_int_equal(m.n, 4);
    assert_int_equal(m.e[3].addr, 0x20000);
}

/* The top of the address space: a range ending exactly at 2^64 works; one past it wraps. */
static void test_top_of_address_space(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    assert_int_equal(shim_e820_set(&m, UINT64_MAX - 0xFFF, 0x1000, 2), TDS_ERR_OVERFLOW);
    assert_int_equal(shim_e820_set(&m, 0xFFFFFFFFFFFFF000ull, 0x1000, 2), TDS_ERR_OVERFLOW);
    assert_int_equal(shim_e820_set(&m, 0xFFFFFFFFFFFFE000ull, 0x1000, 2), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x1000, UINT64_MAX, 1), TDS_ERR_OVERFLOW);
    assert_int_equal(m.n, 1);
    assert_false(shim_e820_covers(&m, 0xFFFFFFFFFFFFE000ull, UINT64_MAX, 2));
    assert_true(shim_e820_covers(&m, 0xFFFFFFFFFFFFE000ull, 0x1000, 2));
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    assert_int_equal(shim_e820_set(&m, 0x1000, 0, 1), TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_e820_set(&m, 0x1000, 0x1000, 0), TDS_ERR_INVALID_ARG);
    assert_int_equal(m.n, 0);
    assert_false(shim_e820_covers(&m, 0x1000, 0, 1));
    assert_false(shim_e820_covers(&m, 0x1000, 0x1000, 1));
}

/* SHIM_E820_MAX entries fit; one more is refused and leaves the map exactly as it was. */
static void test_capacity(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    for (uint64_t i = 0; i < SHIM_E820_MAX; i++) {
        assert_int_equal(shim_e820_set(&m, i * 0x2000, 0x1000, 1), TDS_OK); /* with holes */
    }
    assert_int_equal(m.n, SHIM_E820_MAX);
    shim_e820 before = m;
    assert_int_equal(shim_e820_set(&m, (uint64_t)SHIM_E820_MAX * 0x2000, 0x1000, 1),
                     TDS_ERR_NO_SPACE);
    /* Splitting an entry in three (two more entries) is refused too. */
    assert_int_equal(shim_e820_set(&m, 0x400, 0x400, 7), TDS_ERR_NO_SPACE);
    expect_map(&m, before.e, before.n); /* field by field: entries have padding */
    /* Filling the hole between two type-1 entries with type 1 merges three into one. */
    assert_int_equal(shim_e820_set(&m, 0x1000, 0x1000, 1), TDS_OK);
    assert_int_equal(m.n, SHIM_E820_MAX - 1u);
    assert_int_equal(m.e[0].addr, 0);
    assert_int_equal(m.e[0].size, 0x3000);
    assert_int_equal(m.e[1].addr, 0x4000);
}

/* Firmware allocations: top-down inside one RAM entry, below a limit, aligned; refusals change
 * nothing. */
static void test_alloc(void **state)
{
    (void)state;
    shim_e820 m;
    shim_e820_init(&m);
    assert_int_equal(shim_e820_set(&m, 0, 0xA0000, 1), TDS_OK);
    assert_int_equal(shim_e820_set(&m, 0x100000, 0x7FF00000, 1), TDS_OK);       /* to 2 GiB */
    assert_int_equal(shim_e820_set(&m, 0x100000000ull, 0x40000000, 1), TDS_OK); /* above 4 GiB */
    uint64_t a = 0;
    /* Below 4 GiB: the top of the 2 GiB entry. */
    assert_int_equal(shim_e820_alloc(&m, 0x3000, 0x1000, 1ull << 32, 3, &a), TDS_OK);
    assert_true(a == 0x80000000ull - 0x3000);
    assert_true(shim_e820_covers(&m, a, 0x3000, 3));
    /* The next one just below it, aligned down. */
    assert_int_equal(shim_e820_alloc(&m, 0x1800, 0x10000, 1ull << 32, 2, &a), TDS_OK);
    assert_true(a == 0x7FFF0000ull);
    /* A limit inside an entry: the block ends at or below it. */
    assert_int_equal(shim_e820_alloc(&m, 0x1000, 0x1000, 0x200000, 4, &a), TDS_OK);
    assert_true(a == 0x1FF000);
    /* Only the low entry fits under 1 MiB. */
    assert_int_equal(shim_e820_alloc(&m, 0x1000, 0x1000, 0x100000, 2, &a), TDS_OK);
    assert_true(a == 0x9F000);
    /* Nothing is large enough: the map is unchanged. */
    shim_e820 before = m;
    assert_int_equal(shim_e820_alloc(&m, 0x90000000ull, 0x1000, 1ull << 32, 2, &a),
                     TDS_ERR_NO_SPACE);
    assert_memory_equal(&before, &m, sizeof m);
    /* Above 4 GiB when allowed. */
    assert_int_equal(shim_e820_alloc(&m, 0x1000, 0x1000, UINT64_MAX, 2, &a), TDS_OK);
    assert_true(a == 0x140000000ull - 0x1000);
    /* Bad arguments. */
    assert_int_equal(shim_e820_alloc(&m, 0, 0x1000, UINT64_MAX, 2, &a), TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_e820_alloc(&m, 0x1000, 0x3000, UINT64_MAX, 2, &a), TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_e820_alloc(&m, 0x1000, 0x1000, UINT64_MAX, 1, &a), TDS_ERR_INVALID_ARG);
    /* Alignment that leaves no room in the entry it is tried in: the next entry down. */
    shim_e820 small;
    shim_e820_init(&small);
    assert_int_equal(shim_e820_set(&small, 0x1000, 0x2000, 1), TDS_OK);   /* [4K, 12K) */
    assert_int_equal(shim_e820_set(&small, 0x101000, 0x2000, 1), TDS_OK); /* [1M+4K, 1M+12K) */
    assert_int_equal(shim_e820_alloc(&small, 0x1000, 0x4000, UINT64_MAX, 2, &a), TDS_ERR_NO_SPACE);
    assert_int_equal(shim_e820_alloc(&small, 0x1000, 0x2000, UINT64_MAX, 2, &a), TDS_OK);
    assert_true(a == 0x102000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handoff_shape),
        cmocka_unit_test(test_overlay_spans_entries_and_holes),
        cmocka_unit_test(test_exact_edges),
        cmocka_unit_test(test_top_of_address_space),
        cmocka_unit_test(test_invalid_arguments),
        cmocka_unit_test(test_capacity),
        cmocka_unit_test(test_alloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
