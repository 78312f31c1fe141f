/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The payload's page permissions (shim/payload_map.c): W^X, one set per page, inside the region. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "paging.h"
#include "payload_map.h"

#define BASE 0x1000000ull
#define LEN 0x200000ull

static void test_text_rodata_data(void **state)
{
    (void)state;
    /* A typical static PIE: text RX, rodata R, data+bss RW ending mid-page. */
    const ldr_segment s[] = {{BASE, 0x3100, LDR_SEG_R | LDR_SEG_X},
                             {BASE + 0x4000, 0x800, LDR_SEG_R},
                             {BASE + 0x5000, 0x1234, LDR_SEG_R | LDR_SEG_W}};
    shim_page_run r[4];
    size_t n = 99;
    assert_int_equal(shim_payload_page_runs(s, 3, BASE, LEN, r, 4, &n, NULL), TDS_OK);
    assert_int_equal(n, 3);
    assert_true(r[0].start == BASE && r[0].len == 0x4000 && r[0].flags == PT_P);
    assert_true(r[1].start == BASE + 0x4000 && r[1].len == 0x1000 && r[1].flags == (PT_P | PT_NX));
    assert_true(r[2].start == BASE + 0x5000 && r[2].len == 0x2000 &&
                r[2].flags == (PT_P | PT_RW | PT_NX));
}

static void test_wx_refused(void **state)
{
    (void)state;
    const ldr_segment s[] = {{BASE, 0x1000, LDR_SEG_R | LDR_SEG_X},
                             {BASE + 0x1000, 0x1000, LDR_SEG_R | LDR_SEG_W | LDR_SEG_X}};
    shim_page_run r[2] = {{7, 7, 7}, {7, 7, 7}};
    size_t n = 99;
    size_t bad = 99;
    assert_int_equal(shim_payload_page_runs(s, 2, BASE, LEN, r, 2, &n, &bad), TDS_ERR_UNSUPPORTED);
    assert_int_equal(bad, 1);
    assert_int_equal(n, 99); /* nothing written */
    assert_true(r[0].start == 7 && r[0].flags == 7);
}

static void test_shared_page(void **state)
{
    (void)state;
    /* text ends at +0x1800 and rodata starts at +0x1800: one page, two permission sets. */
    const ldr_segment mixed[] = {{BASE, 0x1800, LDR_SEG_R | LDR_SEG_X},
                                 {BASE + 0x1800, 0x800, LDR_SEG_R}};
    shim_page_run r[2];
    size_t n = 0;
    size_t bad = 0;
    assert_int_equal(shim_payload_page_runs(mixed, 2, BASE, LEN, r, 2, &n, &bad), TDS_ERR_MISMATCH);
    assert_int_equal(bad, 1);
    /* The same permissions may share a page. */
    const ldr_segment same[] = {{BASE, 0x1800, LDR_SEG_R}, {BASE + 0x1800, 0x800, LDR_SEG_R}};
    assert_int_equal(shim_payload_page_runs(same, 2, BASE, LEN, r, 2, &n, NULL), TDS_OK);
    assert_int_equal(n, 2);
}

static void test_bounds(void **state)
{
    (void)state;
    shim_page_run r[1];
    size_t n = 0;
    const ldr_segment below[] = {{BASE - 0x1000, 0x1000, LDR_SEG_R}};
    const ldr_segment past[] = {{BASE + LEN - 0x1000, 0x1001, LDR_SEG_R}};
    const ldr_segment last[] = {{BASE + LEN - 0x1000, 0x1000, LDR_SEG_R}};
    const ldr_segment wrap[] = {{UINT64_MAX - 0x10, 0x100, LDR_SEG_R}};
    const ldr_segment empty[] = {{BASE, 0, LDR_SEG_R}};
    assert_int_equal(shim_payload_page_runs(below, 1, BASE, LEN, r, 1, &n, NULL),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(shim_payload_page_runs(past, 1, BASE, LEN, r, 1, &n, NULL),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(shim_payload_page_runs(last, 1, BASE, LEN, r, 1, &n, NULL), TDS_OK);
    assert_int_equal(shim_payload_page_runs(wrap, 1, 0, 0x1000, r, 1, &n, NULL),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(shim_payload_page_runs(empty, 1, BASE, LEN, r, 1, &n, NULL),
                     TDS_ERR_OUT_OF_BOUNDS);
    /* A region at the very top of the address space: its end wraps. */
    assert_int_equal(shim_payload_page_runs(last, 1, UINT64_MAX - 0xFFF, 0x2000, r, 1, &n, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_payload_page_runs(last, 1, BASE + 1, LEN, r, 1, &n, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_payload_page_runs(last, 1, BASE, LEN, r, 0, &n, NULL), TDS_ERR_NO_SPACE);
    assert_int_equal(shim_payload_page_runs(NULL, 1, BASE, LEN, r, 1, &n, NULL),
                     TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_rodata_data),
        cmocka_unit_test(test_wx_refused),
        cmocka_unit_test(test_shared_page),
        cmocka_unit_test(test_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
