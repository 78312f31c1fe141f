/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Hostile TD HOBs: one test per rule, each checking status, reason, HOB and field offsets, and
 * that the view is left untouched. The cases live in fixtures.c (shared with the fuzz seeds). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

static tdhob_scratch_entry g_scratch[FX_SCRATCH_CAP];

static tdhob_config hostile_cfg(void)
{
    tdhob_config cfg = {HOSTILE_GPA, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    return cfg;
}

static void run_case(const char *name)
{
    const hostile_case *c = hostile_find(name);
    assert_non_null(c);
    uint8_t buf[4096];
    tdhob_config cfg = hostile_cfg();
    size_t len = c->build(buf, sizeof buf, &cfg);
    assert_true(len <= sizeof buf);
    tdhob_view v;
    memset(&v, 0xC3, sizeof v);
    tdhob_error err;
    tds_status s = tdhob_validate(tds_bytes_make(buf, len), &cfg, &v, &err);
    if (s != c->status || err.reason != c->reason || err.hob_offset != c->hob_offset ||
        err.field_offset != c->field_offset) {
        print_error("%s: got status %d reason %d (%s) hob %zu field %zu\n", name, (int)s,
                    (int)err.reason, tdhob_reason_str(err.reason), err.hob_offset,
                    err.field_offset);
    }
    assert_int_equal(s, c->status);
    assert_int_equal(err.reason, c->reason);
    assert_int_equal(err.hob_offset, c->hob_offset);
    assert_int_equal(err.field_offset, c->field_offset);
    assert_string_not_equal(tdhob_reason_str(err.reason), "unknown reason");
    for (size_t i = 0; i < sizeof v; i++) {
        assert_int_equal(((const uint8_t *)&v)[i], 0xC3);
    }
}
static void test_empty(void **state)
{
    (void)state;
    run_case("empty");
}
static void test_header_truncated(void **state)
{
    (void)state;
    run_case("header_truncated");
}
static void test_missing_end(void **state)
{
    (void)state;
    run_case("missing_end");
}
static void test_zero_length(void **state)
{
    (void)state;
    run_case("zero_length");
}
static void test_length_too_small(void **state)
{
    (void)state;
    run_case("length_too_small");
}
static void test_length_unaligned(void **state)
{
    (void)state;
    run_case("length_unaligned");
}
static void test_length_past_end(void **state)
{
    (void)state;
    run_case("length_past_end");
}
static void test_header_reserved(void **state)
{
    (void)state;
    run_case("header_reserved");
}
static void test_first_not_phit(void **state)
{
    (void)state;
    run_case("first_not_phit");
}
static void test_phit_duplicate(void **state)
{
    (void)state;
    run_case("phit_duplicate");
}
static void test_phit_size(void **state)
{
    (void)state;
    run_case("phit_size");
}
static void test_phit_version(void **state)
{
    (void)state;
    run_case("phit_version");
}
static void test_phit_boot_mode(void **state)
{
    (void)state;
    run_case("phit_boot_mode");
}
static void test_phit_memory_top_align(void **state)
{
    (void)state;
    run_case("phit_memory_top_align");
}
static void test_phit_free_top_align(void **state)
{
    (void)state;
    run_case("phit_free_top_align");
}
static void test_phit_memory_order(void **state)
{
    (void)state;
    run_case("phit_memory_order");
}
static void test_phit_end_mismatch(void **state)
{
    (void)state;
    run_case("phit_end_mismatch");
}
static void test_phit_end_wrap(void **state)
{
    (void)state;
    run_case("phit_end_wrap");
}
static void test_phit_end_below_length(void **state)
{
    (void)state;
    run_case("phit_end_below_length");
}
static void test_hob_beyond_gpaw(void **state)
{
    (void)state;
    run_case("hob_beyond_gpaw");
}
static void test_gpa_unaligned(void **state)
{
    (void)state;
    run_case("gpa_unaligned");
}
static void test_bad_gpaw(void **state)
{
    (void)state;
    run_case("bad_gpaw");
}
static void test_unknown_type(void **state)
{
    (void)state;
    run_case("unknown_type");
}
static void test_type_not_allowed(void **state)
{
    (void)state;
    run_case("type_not_allowed");
}
static void test_resource_size(void **state)
{
    (void)state;
    run_case("resource_size");
}
static void test_resource_type(void **state)
{
    (void)state;
    run_case("resource_type");
}
static void test_resource_attr(void **state)
{
    (void)state;
    run_case("resource_attr");
}
static void test_resource_length_zero(void **state)
{
    (void)state;
    run_case("resource_length_zero");
}
static void test_resource_wrap(void **state)
{
    (void)state;
    run_case("resource_wrap");
}
static void test_resource_start_unaligned(void **state)
{
    (void)state;
    run_case("resource_start_unaligned");
}
static void test_resource_length_unaligned(void **state)
{
    (void)state;
    run_case("resource_length_unaligned");
}
static void test_resource_beyond_gpaw(void **state)
{
    (void)state;
    run_case("resource_beyond_gpaw");
}
static void test_io_beyond_64k(void **state)
{
    (void)state;
    run_case("io_beyond_64k");
}
static void test_resource_overlap(void **state)
{
    (void)state;
    run_case("resource_overlap");
}
static void test_resource_overlap_contains(void **state)
{
    (void)state;
    run_case("resource_overlap_contains");
}
static void test_resource_overlap_identical(void **state)
{
    (void)state;
    run_case("resource_overlap_identical");
}
static void test_io_overlap(void **state)
{
    (void)state;
    run_case("io_overlap");
}
static void test_overlap_before_bad_hob(void **state)
{
    (void)state;
    run_case("overlap_before_bad_hob");
}
static void test_bad_hob_before_overlap(void **state)
{
    (void)state;
    run_case("bad_hob_before_overlap");
}
static void test_scratch_too_small(void **state)
{
    (void)state;
    run_case("scratch_too_small");
}
static void test_unaccepted_in_legacy(void **state)
{
    (void)state;
    run_case("unaccepted_in_legacy");
}
static void test_memalloc_size(void **state)
{
    (void)state;
    run_case("memalloc_size");
}
static void test_memalloc_reserved(void **state)
{
    (void)state;
    run_case("memalloc_reserved");
}
static void test_memalloc_type(void **state)
{
    (void)state;
    run_case("memalloc_type");
}
static void test_memalloc_wrap(void **state)
{
    (void)state;
    run_case("memalloc_wrap");
}
static void test_guid_truncated(void **state)
{
    (void)state;
    run_case("guid_truncated");
}
static void test_guid_past_end(void **state)
{
    (void)state;
    run_case("guid_past_end");
}
static void test_payload_info_size(void **state)
{
    (void)state;
    run_case("payload_info_size");
}
static void test_payload_info_reserved(void **state)
{
    (void)state;
    run_case("payload_info_reserved");
}
static void test_payload_info_type(void **state)
{
    (void)state;
    run_case("payload_info_type");
}
static void test_acpi_table_size(void **state)
{
    (void)state;
    run_case("acpi_table_size");
}
static void test_e820_size(void **state)
{
    (void)state;
    run_case("e820_size");
}
static void test_e820_entry(void **state)
{
    (void)state;
    run_case("e820_entry");
}
static void test_fv_size(void **state)
{
    (void)state;
    run_case("fv_size");
}
static void test_fv3_reserved(void **state)
{
    (void)state;
    run_case("fv3_reserved");
}
static void test_fv_beyond_gpaw(void **state)
{
    (void)state;
    run_case("fv_beyond_gpaw");
}
static void test_cpu_size(void **state)
{
    (void)state;
    run_case("cpu_size");
}
static void test_cpu_reserved(void **state)
{
    (void)state;
    run_case("cpu_reserved");
}
static void test_cpu_space(void **state)
{
    (void)state;
    run_case("cpu_space");
}
static void test_cpu_duplicate(void **state)
{
    (void)state;
    run_case("cpu_duplicate");
}
static void test_end_size(void **state)
{
    (void)state;
    run_case("end_size");
}

/* The fixed-up twin of some cases is valid, so the case really tests one rule. */
static void test_controls_valid(void **state)
{
    (void)state;
    uint8_t buf[4096];
    tdhob_config cfg = hostile_cfg();
    tdhob_view v;
    /* resource_beyond_gpaw is fine with GPAW 52. */
    size_t len = hostile_find("resource_beyond_gpaw")->build(buf, sizeof buf, &cfg);
    cfg.gpaw = 52;
    assert_int_equal(tdhob_validate(tds_bytes_make(buf, len), &cfg, &v, NULL), TDS_OK);
    /* hob_beyond_gpaw is fine with GPAW 52 too. */
    cfg = hostile_cfg();
    len = hostile_find("hob_beyond_gpaw")->build(buf, sizeof buf, &cfg);
    cfg.gpaw = 52;
    assert_int_equal(tdhob_validate(tds_bytes_make(buf, len), &cfg, &v, NULL), TDS_OK);
    /* unaccepted_in_legacy is fine under AUTO (and resolves to CURRENT). */
    cfg = hostile_cfg();
    len = hostile_find("unaccepted_in_legacy")->build(buf, sizeof buf, &cfg);
    cfg.convention = TDHOB_CONV_AUTO;
    assert_int_equal(tdhob_validate(tds_bytes_make(buf, len), &cfg, &v, NULL), TDS_OK);
    assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_CURRENT);
    /* The base of every case (PHIT + one resource + END) is valid. */
    cfg = hostile_cfg();
    len = hostile_find("missing_end")->build(buf, sizeof buf, &cfg);
    buf[len] = 0xFF;
    buf[len + 1] = 0xFF;
    buf[len + 2] = 8;
    buf[len + 3] = 0;
    memset(buf + len + 4, 0, 4);
    buf[48] = (uint8_t)(buf[48] + 8); /* EfiEndOfHobList covers the new END */
    assert_int_equal(tdhob_validate(tds_bytes_make(buf, len + 8), &cfg, &v, NULL), TDS_OK);
}

static void test_bad_args(void **state)
{
    (void)state;
    tdhob_config cfg = hostile_cfg();
    tdhob_view v;
    tdhob_error err;
    uint8_t b[8] = {0};
    assert_int_equal(tdhob_validate(tds_bytes_make(b, 8), NULL, &v, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, TDHOB_R_BAD_ARG);
    assert_int_equal(tdhob_validate(tds_bytes_make(b, 8), &cfg, NULL, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_validate(tds_bytes_make(NULL, 8), &cfg, &v, &err), TDS_ERR_INVALID_ARG);
    cfg.convention = (tdhob_convention)9;
    assert_int_equal(tdhob_validate(tds_bytes_make(b, 8), &cfg, &v, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, TDHOB_R_BAD_ARG);
    /* Accessors refuse a view that did not come from tdhob_validate. */
    tdhob_view fake;
    memset(&fake, 0, sizeof fake);
    tdhob_phit p;
    size_t n;
    assert_int_equal(tdhob_get_phit(&fake, &p), TDS_ERR_STATE);
    assert_int_equal(tdhob_memory_map_count(&fake, &n), TDS_ERR_STATE);
    assert_int_equal(tdhob_count(&fake, TDHOB_TYPE_HANDOFF), 0);
    assert_int_equal(tdhob_length(&fake), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_header_truncated),
        cmocka_unit_test(test_missing_end),
        cmocka_unit_test(test_zero_length),
        cmocka_unit_test(test_length_too_small),
        cmocka_unit_test(test_length_unaligned),
        cmocka_unit_test(test_length_past_end),
        cmocka_unit_test(test_header_reserved),
        cmocka_unit_test(test_first_not_phit),
        cmocka_unit_test(test_phit_duplicate),
        cmocka_unit_test(test_phit_size),
        cmocka_unit_test(test_phit_version),
        cmocka_unit_test(test_phit_boot_mode),
        cmocka_unit_test(test_phit_memory_top_align),
        cmocka_unit_test(test_phit_free_top_align),
        cmocka_unit_test(test_phit_memory_order),
        cmocka_unit_test(test_phit_end_mismatch),
        cmocka_unit_test(test_phit_end_wrap),
        cmocka_unit_test(test_phit_end_below_length),
        cmocka_unit_test(test_hob_beyond_gpaw),
        cmocka_unit_test(test_gpa_unaligned),
        cmocka_unit_test(test_bad_gpaw),
        cmocka_unit_test(test_unknown_type),
        cmocka_unit_test(test_type_not_allowed),
        cmocka_unit_test(test_resource_size),
        cmocka_unit_test(test_resource_type),
        cmocka_unit_test(test_resource_attr),
        cmocka_unit_test(test_resource_length_zero),
        cmocka_unit_test(test_resource_wrap),
        cmocka_unit_test(test_resource_start_unaligned),
        cmocka_unit_test(test_resource_length_unaligned),
        cmocka_unit_test(test_resource_beyond_gpaw),
        cmocka_unit_test(test_io_beyond_64k),
        cmocka_unit_test(test_resource_overlap),
        cmocka_unit_test(test_resource_overlap_contains),
        cmocka_unit_test(test_resource_overlap_identical),
        cmocka_unit_test(test_io_overlap),
        cmocka_unit_test(test_overlap_before_bad_hob),
        cmocka_unit_test(test_bad_hob_before_overlap),
        cmocka_unit_test(test_scratch_too_small),
        cmocka_unit_test(test_unaccepted_in_legacy),
        cmocka_unit_test(test_memalloc_size),
        cmocka_unit_test(test_memalloc_reserved),
        cmocka_unit_test(test_memalloc_type),
        cmocka_unit_test(test_memalloc_wrap),
        cmocka_unit_test(test_guid_truncated),
        cmocka_unit_test(test_guid_past_end),
        cmocka_unit_test(test_payload_info_size),
        cmocka_unit_test(test_payload_info_reserved),
        cmocka_unit_test(test_payload_info_type),
        cmocka_unit_test(test_acpi_table_size),
        cmocka_unit_test(test_e820_size),
        cmocka_unit_test(test_e820_entry),
        cmocka_unit_test(test_fv_size),
        cmocka_unit_test(test_fv3_reserved),
        cmocka_unit_test(test_fv_beyond_gpaw),
        cmocka_unit_test(test_cpu_size),
        cmocka_unit_test(test_cpu_reserved),
        cmocka_unit_test(test_cpu_space),
        cmocka_unit_test(test_cpu_duplicate),
        cmocka_unit_test(test_end_size),
        cmocka_unit_test(test_controls_valid),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
