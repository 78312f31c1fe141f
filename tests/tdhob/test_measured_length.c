/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdhob_measured_length: which bytes of a TD_HOB section a firmware measures before it parses
 * them. The PHIT's list end when it names one inside the section, else the whole section; for
 * every valid list exactly the list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#define GPA 0x800000ull
#define SECTION 0x2000u

static uint8_t g_sec[SECTION];

/* A valid list (PHIT, one resource, END) at the start of a zero-filled section. */
static size_t good_list(void)
{
    memset(g_sec, 0, sizeof g_sec);
    hb h;
    hb_init(&h, g_sec, sizeof g_sec);
    hb_phit(&h);
    hb_res(&h, 7, 0x7, 0, 0x10000000);
    hb_end(&h);
    hb_patch_end(&h, GPA);
    return h.len;
}

static size_t measured(size_t len, uint64_t gpa)
{
    size_t n = 0;
    assert_int_equal(tdhob_measured_length(tds_bytes_make(g_sec, len), gpa, &n), TDS_OK);
    return n;
}

static void test_valid_list_is_the_list(void **state)
{
    (void)state;
    const size_t list = good_list();
    assert_int_equal(list, 56 + 48 + 8);
    assert_int_equal(measured(sizeof g_sec, GPA), list);
    /* The validator agrees: the measured bytes are the validated list. */
    static tdhob_scratch_entry scratch[8];
    tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, scratch, 8};
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(g_sec, sizeof g_sec), &cfg, &v, NULL), TDS_OK);
    assert_int_equal(v.hob.len, list);
    /* A section exactly as long as the list. */
    assert_int_equal(measured(list, GPA), list);
}

static void test_no_list_end_means_whole_section(void **state)
{
    (void)state;
    const size_t list = good_list();
    /* The end points past the section: everything. */
    hb h = {g_sec, sizeof g_sec, list};
    hb_put64(&h, 48, GPA + SECTION + 8);
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    /* Before the HOB, at it, or less than a PHIT and an END past it. */
    hb_put64(&h, 48, GPA - 8);
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    hb_put64(&h, 48, GPA);
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    hb_put64(&h, 48, GPA + 56);
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    hb_put64(&h, 48, GPA + 64); /* the shortest list: PHIT + END */
    assert_int_equal(measured(sizeof g_sec, GPA), 64);
    /* Not a multiple of 8. */
    hb_put64(&h, 48, GPA + list + 4);
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    /* A GPA the end cannot be measured from (wraps below zero). */
    hb_put64(&h, 48, 0x100);
    assert_int_equal(measured(sizeof g_sec, UINT64_MAX - 7), SECTION);
    /* At the top of the address space, no wrap: an end 0x1000 past the GPA is a list end... */
    hb_put64(&h, 48, UINT64_MAX);
    assert_int_equal(measured(sizeof g_sec, UINT64_MAX - 0x1000), 0x1000);
    /* ... and 0xFFF past it is not (not a multiple of 8). */
    assert_int_equal(measured(sizeof g_sec, UINT64_MAX - 0xFFF), SECTION);
}

static void test_first_hob_not_a_phit(void **state)
{
    (void)state;
    good_list();
    hb h = {g_sec, sizeof g_sec, 0};
    hb_put16(&h, 0, 3); /* type: resource descriptor */
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    good_list();
    hb_put16(&h, 2, 48); /* a PHIT with the wrong length */
    assert_int_equal(measured(sizeof g_sec, GPA), SECTION);
    /* A section shorter than a PHIT: all of it. */
    good_list();
    assert_int_equal(measured(40, GPA), 40);
    assert_int_equal(measured(1, GPA), 1);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    size_t n = 7;
    assert_int_equal(tdhob_measured_length(tds_bytes_make(g_sec, 0), GPA, &n), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_measured_length(tds_bytes_make(NULL, 8), GPA, &n), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_measured_length(tds_bytes_make(g_sec, 8), GPA, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(n, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_list_is_the_list),
        cmocka_unit_test(test_no_list_end_means_whole_section),
        cmocka_unit_test(test_first_hob_not_a_phit),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
