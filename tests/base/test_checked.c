/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Checked arithmetic at the edges: SIZE_MAX, UINT64_MAX, address-space wrap, zero lengths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tdshim/checked.h"

static void test_add_u64(void **state)
{
    (void)state;
    uint64_t r = 77;
    assert_int_equal(tds_add_u64(UINT64_MAX - 1, 1, &r), TDS_OK);
    assert_true(r == UINT64_MAX);
    r = 77;
    assert_int_equal(tds_add_u64(UINT64_MAX, 1, &r), TDS_ERR_OVERFLOW);
    assert_true(r == 77); /* not written on failure */
    assert_int_equal(tds_add_u64(0x8000000000000000ull, 0x8000000000000000ull, &r),
                     TDS_ERR_OVERFLOW);
    assert_int_equal(tds_add_u64(0, 0, &r), TDS_OK);
    assert_true(r == 0);
}

static void test_sub_mul_u64(void **state)
{
    (void)state;
    uint64_t r = 5;
    assert_int_equal(tds_sub_u64(0, 1, &r), TDS_ERR_OVERFLOW);
    assert_true(r == 5);
    assert_int_equal(tds_sub_u64(10, 10, &r), TDS_OK);
    assert_true(r == 0);
    assert_int_equal(tds_mul_u64(0x100000000ull, 0x100000000ull, &r), TDS_ERR_OVERFLOW);
    assert_int_equal(tds_mul_u64(0xFFFFFFFFull, 0x100000001ull, &r), TDS_OK);
    assert_true(r == UINT64_MAX);
    assert_int_equal(tds_mul_u64(UINT64_MAX, 0, &r), TDS_OK);
    assert_true(r == 0);
}

static void test_size_ops(void **state)
{
    (void)state;
    size_t r = 9;
    assert_int_equal(tds_add_size(SIZE_MAX, 1, &r), TDS_ERR_OVERFLOW);
    assert_true(r == 9);
    assert_int_equal(tds_add_size(SIZE_MAX - 5, 5, &r), TDS_OK);
    assert_true(r == SIZE_MAX);
    assert_int_equal(tds_mul_size(SIZE_MAX / 2 + 1, 2, &r), TDS_ERR_OVERFLOW);
    assert_int_equal(tds_mul_size(SIZE_MAX / 3, 3, &r), TDS_OK);
    assert_true(r == SIZE_MAX / 3 * 3);
    assert_int_equal(tds_u64_to_size(UINT64_MAX, &r),
                     (SIZE_MAX == UINT64_MAX) ? TDS_OK : TDS_ERR_OVERFLOW);
}

static void test_align(void **state)
{
    (void)state;
    uint64_t r = 1;
    assert_int_equal(tds_align_up_u64(0, 4096, &r), TDS_OK);
    assert_true(r == 0);
    assert_int_equal(tds_align_up_u64(1, 4096, &r), TDS_OK);
    assert_true(r == 4096);
    assert_int_equal(tds_align_up_u64(4096, 4096, &r), TDS_OK);
    assert_true(r == 4096);
    assert_int_equal(tds_align_up_u64(4097, 4096, &r), TDS_OK);
    assert_true(r == 8192);
    /* The last aligned value is reachable; one past it wraps. */
    assert_int_equal(tds_align_up_u64(UINT64_MAX - 4095, 4096, &r), TDS_OK);
    assert_true(r == UINT64_MAX - 4095);
    r = 3;
    assert_int_equal(tds_align_up_u64(UINT64_MAX - 4094, 4096, &r), TDS_ERR_OVERFLOW);
    assert_true(r == 3);
    assert_int_equal(tds_align_up_u64(5, 0, &r), TDS_ERR_INVALID_ARG);
    assert_int_equal(tds_align_up_u64(5, 3, &r), TDS_ERR_INVALID_ARG);
    assert_int_equal(tds_align_up_u64(5, 1, &r), TDS_OK);
    assert_true(r == 5);
    assert_int_equal(tds_align_down_u64(UINT64_MAX, 0x200000, &r), TDS_OK);
    assert_true(r == 0xFFFFFFFFFFE00000ull);
    assert_int_equal(tds_align_down_u64(7, 6, &r), TDS_ERR_INVALID_ARG);
    size_t s = 0;
    assert_int_equal(tds_align_up_size(SIZE_MAX, 8, &s), TDS_ERR_OVERFLOW);
    assert_int_equal(tds_align_up_size(9, 8, &s), TDS_OK);
    assert_int_equal(s, 16);
    assert_true(tds_is_aligned_u64(0x200000, 0x200000));
    assert_false(tds_is_aligned_u64(0x201000, 0x200000));
    assert_false(tds_is_aligned_u64(0, 0)); /* alignment 0 is never valid */
    assert_false(tds_is_pow2_u64(0));
    assert_true(tds_is_pow2_u64(0x8000000000000000ull));
    assert_false(tds_is_pow2_u64(0x8000000000000001ull));
}

static void test_range_end_and_last(void **state)
{
    (void)state;
    uint64_t e = 0;
    assert_int_equal(tds_range_end(0x1000, 0x1000, &e), TDS_OK);
    assert_true(e == 0x2000);
    /* A range ending exactly at 2^64 has no representable exclusive end... */
    assert_int_equal(tds_range_end(UINT64_MAX - 0xFFF, 0x1000, &e), TDS_ERR_OVERFLOW);
    /* ...but its last byte is fine. */
    assert_int_equal(tds_range_last(UINT64_MAX - 0xFFF, 0x1000, &e), TDS_OK);
    assert_true(e == UINT64_MAX);
    assert_int_equal(tds_range_last(UINT64_MAX - 0xFFF, 0x1001, &e), TDS_ERR_OVERFLOW);
    assert_int_equal(tds_range_last(5, 0, &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(tds_range_end(UINT64_MAX, 0, &e), TDS_OK); /* empty range at the top */
    assert_true(e == UINT64_MAX);
}

static void test_overlap_contains(void **state)
{
    (void)state;
    assert_true(tds_ranges_overlap(0, 10, 9, 1));
    assert_false(tds_ranges_overlap(0, 10, 10, 1)); /* touching is not overlapping */
    assert_false(tds_ranges_overlap(0, 0, 0, 10));  /* empty never overlaps */
    assert_true(tds_ranges_overlap(UINT64_MAX - 9, 10, UINT64_MAX, 1)); /* at the very top */
    assert_false(tds_ranges_overlap(UINT64_MAX - 9, 9, UINT64_MAX, 1));
    assert_true(tds_ranges_overlap(0, UINT64_MAX, UINT64_MAX - 1, 1));
    assert_true(tds_range_contains(0x1000, 0x1000, 0x1000, 0x1000));
    assert_false(tds_range_contains(0x1000, 0x1000, 0x1000, 0x1001));
    assert_false(tds_range_contains(0x1000, 0x1000, 0xFFF, 1));
    assert_true(tds_range_contains(0x1000, 0x1000, 0x2000, 0)); /* empty at the end */
    assert_false(tds_range_contains(0x1000, 0x1000, 0x2001, 0));
    /* inner + ilen would wrap: must not be called inside. */
    assert_false(tds_range_contains(0, UINT64_MAX, UINT64_MAX - 1, 5));
}

static void test_status_str(void **state)
{
    (void)state;
    assert_string_equal(tds_status_str(TDS_OK), "ok");
    assert_string_equal(tds_status_str(TDS_ERR_OVERFLOW), "arithmetic overflow or address wrap");
    for (int i = 0; i < (int)TDS_ERR_COUNT_; i++) {
        assert_string_not_equal(tds_status_str((tds_status)i), "unknown status");
    }
    assert_string_equal(tds_status_str(TDS_ERR_COUNT_), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_u64),
        cmocka_unit_test(test_sub_mul_u64),
        cmocka_unit_test(test_size_ops),
        cmocka_unit_test(test_align),
        cmocka_unit_test(test_range_end_and_last),
        cmocka_unit_test(test_overlap_contains),
        cmocka_unit_test(test_status_str),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
