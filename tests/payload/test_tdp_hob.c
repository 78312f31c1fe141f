/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The payload-HOB checks on HOBs built with libtdhob's builder (tdp_fixture.c), good and hostile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tdp_fixture.h"
#include "tdp_hob.h"
#include "tdshim/endian.h"

#define MAP_CAP 64u

static uint8_t g_buf[0x10000];
static struct fx_capture g_cap;
static tdhob_mem_range g_map[MAP_CAP];
static tdp_hob g_hob;

static tds_status run(const struct fx_spec *s)
{
    tds_bytes hob;
    assert_int_equal(fx_build(s, g_buf, sizeof g_buf, &hob), TDS_OK);
    const struct tdp_sink sink = fx_sink(&g_cap);
    memset(&g_hob, 0xA5, sizeof g_hob);
    return tdp_hob_check(&sink, hob, FX_HOB_GPA, 48, FX_PAYLOAD_BASE, FX_ENTRY, FX_IMAGE_END, g_map,
                         MAP_CAP, &g_hob);
}

static void test_good(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    assert_int_equal(run(&s), TDS_OK);
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 0x0 0x100000 1"));
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 0x1a0000 0x1d2000 4"));
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 0x1000000 0x1200000 2"));
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 0x8000000 0x10000000 8"));
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: e820 0x"), 10);
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 entries=10 shape=ok resources=ok"));
    assert_true(fx_has_line(&g_cap, "tdpayload: payload_info type=0 entry=0x1001000 ok"));
    assert_true(fx_has_line(
        &g_cap,
        "tdpayload: fv base=0x1000000 len=0x200000 region=ok image=inside e820=reserved ok"));
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: hob gpa=0x1e0000 len=0x"), 1);
    /* Written on success: the decoded E820 and FV. */
    assert_int_equal(g_hob.e820_count, 10);
    assert_int_equal(g_hob.e820[9].addr, 0x8000000);
    assert_int_equal(g_hob.e820[9].type, 8);
    assert_int_equal(g_hob.fv_base, FX_PAYLOAD_BASE);
    assert_int_equal(g_hob.info.entry_point, FX_ENTRY);
}

/* Failure leaves *out untouched. */
static void assert_out_untouched(void)
{
    const uint8_t *p = (const uint8_t *)&g_hob;
    for (size_t i = 0; i < sizeof g_hob; i++) {
        assert_int_equal(p[i], 0xA5);
    }
}

static void test_e820_unsorted(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    tdhob_e820_entry t = s.e820[6];
    s.e820[6] = s.e820[7];
    s.e820[7] = t;
    assert_int_equal(run(&s), TDS_ERR_MALFORMED);
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 entries=10 shape=malformed input at=7 "
                                    "resources=malformed input"));
    assert_out_untouched();
}

static void test_e820_overlap(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.e820[0].size = 0x101000; /* into the shim's reserved range */
    assert_int_equal(run(&s), TDS_ERR_MALFORMED);
    assert_int_equal(
        fx_count_prefix(&g_cap, "tdpayload: e820 entries=10 shape=malformed input at=1 "), 1);
}

static void test_e820_unmerged(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.e820[3].type = 4; /* 0x1d2000 follows an NVS entry with the same type */
    s.res[3].type = 4;
    assert_int_equal(run(&s), TDS_ERR_MALFORMED);
    assert_int_equal(
        fx_count_prefix(&g_cap, "tdpayload: e820 entries=10 shape=malformed input at=3 "), 1);
}

static void test_e820_unknown_type(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.e820[3].type = 5;
    assert_int_equal(run(&s), TDS_ERR_UNSUPPORTED);
}

static void test_e820_vs_resources(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.res[8].type = 8; /* a resource says unaccepted where the E820 says RAM */
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
    assert_true(
        fx_has_line(&g_cap, "tdpayload: e820 entries=10 shape=ok resources=mismatch at_range=4"));
    /* And a resource range missing altogether. */
    fx_default(&s);
    s.nres = 9;
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
}

static void test_e820_missing_or_twice(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.no_e820 = true;
    assert_int_equal(run(&s), TDS_ERR_NOT_FOUND);
    assert_true(fx_has_line(&g_cap, "tdpayload: e820 hob FAIL not found"));
    fx_default(&s);
    s.two_e820 = true;
    assert_int_equal(run(&s), TDS_ERR_MALFORMED);
}

static void test_payload_info(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.info.entry_point = FX_ENTRY + 16;
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
    assert_true(
        fx_has_line(&g_cap, "tdpayload: payload_info type=0 entry=0x1001010 FAIL mismatch"));
    fx_default(&s);
    s.info.image_type = TDHOB_PAYLOAD_BZIMAGE;
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
    fx_default(&s);
    s.no_info = true;
    assert_int_equal(run(&s), TDS_ERR_NOT_FOUND);
}

static void test_fv(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.fv_base = 0x1200000; /* RAM, not the payload region */
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
    assert_true(fx_has_line(&g_cap, "tdpayload: fv base=0x1200000 len=0x200000 region=BAD "
                                    "image=OUTSIDE e820=NOT_RESERVED FAIL mismatch"));
    fx_default(&s);
    s.fv_len = 0x1000; /* not a 2 MiB multiple, and the image does not fit */
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
    assert_true(fx_has_line(&g_cap, "tdpayload: fv base=0x1000000 len=0x1000 region=BAD "
                                    "image=OUTSIDE e820=reserved FAIL mismatch"));
    fx_default(&s);
    s.no_fv = true;
    assert_int_equal(run(&s), TDS_ERR_NOT_FOUND);
    fx_default(&s);
    s.two_fv = true;
    assert_int_equal(run(&s), TDS_ERR_MALFORMED);
}

static void test_cpu_bits(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    s.cpu_bits = 52;
    assert_int_equal(run(&s), TDS_ERR_MISMATCH);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: hob gpa=0x1e0000 len=0x"), 1);
    assert_true(strstr(g_cap.text, "cpu_bits=52 FAIL mismatch") != NULL);
}

static void test_invalid_hob(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    tds_bytes hob;
    assert_int_equal(fx_build(&s, g_buf, sizeof g_buf, &hob), TDS_OK);
    g_buf[8] = 8; /* PHIT version 8 */
    const struct tdp_sink sink = fx_sink(&g_cap);
    memset(&g_hob, 0xA5, sizeof g_hob);
    assert_int_equal(tdp_hob_check(&sink, hob, FX_HOB_GPA, 48, FX_PAYLOAD_BASE, FX_ENTRY,
                                   FX_IMAGE_END, g_map, MAP_CAP, &g_hob),
                     TDS_ERR_UNSUPPORTED);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: hob gpa=0x1e0000 invalid="), 1);
    assert_true(strstr(g_cap.text, " at=0x8 FAIL unsupported") != NULL);
    assert_out_untouched();
    /* Wrong GPA: the PHIT's EfiEndOfHobList no longer matches. */
    g_buf[8] = 9;
    assert_int_equal(tdp_hob_check(&sink, hob, FX_HOB_GPA + 8, 48, FX_PAYLOAD_BASE, FX_ENTRY,
                                   FX_IMAGE_END, g_map, MAP_CAP, &g_hob),
                     TDS_ERR_MALFORMED);
}

static void test_list_len(void **state)
{
    (void)state;
    struct fx_spec s;
    fx_default(&s);
    tds_bytes hob;
    assert_int_equal(fx_build(&s, g_buf, sizeof g_buf, &hob), TDS_OK);
    size_t len = 0;
    assert_int_equal(tdp_hob_list_len(tds_bytes_make(g_buf, 56), FX_HOB_GPA, TDP_HOB_MAX, &len),
                     TDS_OK);
    assert_int_equal(len, hob.len);
    assert_int_equal(tdp_hob_list_len(tds_bytes_make(g_buf, 55), FX_HOB_GPA, TDP_HOB_MAX, &len),
                     TDS_ERR_TRUNCATED);
    assert_int_equal(tdp_hob_list_len(tds_bytes_make(g_buf, 56), FX_HOB_GPA, hob.len - 1, &len),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(
        tdp_hob_list_len(tds_bytes_make(g_buf, 56), FX_HOB_GPA + 0x100000, TDP_HOB_MAX, &len),
        TDS_ERR_OUT_OF_BOUNDS);
    tds_store_le64(g_buf + 48, FX_HOB_GPA + 56); /* no room for END after the PHIT */
    assert_int_equal(tdp_hob_list_len(tds_bytes_make(g_buf, 56), FX_HOB_GPA, TDP_HOB_MAX, &len),
                     TDS_ERR_OUT_OF_BOUNDS);
    tds_store_le64(g_buf + 48, UINT64_MAX); /* top of the address space */
    assert_int_equal(tdp_hob_list_len(tds_bytes_make(g_buf, 56), 0, TDP_HOB_MAX, &len),
                     TDS_ERR_OUT_OF_BOUNDS);
}

static void test_e820_helpers(void **state)
{
    (void)state;
    const tdhob_e820_entry e[] = {{0x1000, 0x1000, 1}, {0x2000, 0x2000, 4}};
    assert_true(tdp_e820_covers(e, 2, 0x2000, 0x2000, 4));
    assert_false(tdp_e820_covers(e, 2, 0x2000, 0x2001, 4));
    assert_false(tdp_e820_covers(e, 2, 0x1000, 0x2000, 1)); /* spans two entries */
    assert_false(tdp_e820_covers(e, 2, 0x1000, 0x1000, 4));
    assert_false(tdp_e820_covers(e, 2, 0x2000, 0, 4));
    assert_false(tdp_e820_covers(e, 2, UINT64_MAX, 2, 4));
    size_t bad = 99;
    const tdhob_e820_entry wrap[] = {{UINT64_MAX - 0xFFF, 0x1000, 1}};
    assert_int_equal(tdp_e820_check(wrap, 1, &bad), TDS_ERR_OVERFLOW);
    assert_int_equal(bad, 0);
    const tdhob_e820_entry empty[] = {{0x1000, 0, 1}};
    assert_int_equal(tdp_e820_check(empty, 1, &bad), TDS_ERR_MALFORMED);
    assert_int_equal(tdp_e820_check(e, 2, &bad), TDS_OK);
    /* Top of the address space, exactly. */
    const tdhob_e820_entry top[] = {{0, 0x1000, 1}, {UINT64_MAX - 0xFFF, 0xFFF, 2}};
    assert_int_equal(tdp_e820_check(top, 2, &bad), TDS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_e820_unsorted),
        cmocka_unit_test(test_e820_overlap),
        cmocka_unit_test(test_e820_unmerged),
        cmocka_unit_test(test_e820_unknown_type),
        cmocka_unit_test(test_e820_vs_resources),
        cmocka_unit_test(test_e820_missing_or_twice),
        cmocka_unit_test(test_payload_info),
        cmocka_unit_test(test_fv),
        cmocka_unit_test(test_cpu_bits),
        cmocka_unit_test(test_invalid_hob),
        cmocka_unit_test(test_list_len),
        cmocka_unit_test(test_e820_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
