/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Payload HOB builder: round trip through the validator, clean failure at every buffer size,
 * sticky errors, input checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

#define GPA 0x7E000000ull

static tdhob_scratch_entry g_scratch[FX_SCRATCH_CAP];

static uint8_t g_acpi[44];
static const tdhob_e820_entry k_e820[3] = {
    {0x0, 0x9F000, TDHOB_E820_RAM},
    {0x100000, 0x7FF00000, TDHOB_E820_RAM},
    {0xFF000000ull, 0x1000000, TDHOB_E820_RESERVED},
};

/* td-shim's payload HOB content (td-shim doc/tdshim_spec.md, payload hand-off) into buf; returns
 * the status. */
static tds_status build_payload_hob(uint8_t *buf, size_t cap, tds_bytes *out)
{
    memset(g_acpi, 0, sizeof g_acpi);
    g_acpi[0] = 'A';
    g_acpi[1] = 'P';
    g_acpi[2] = 'I';
    g_acpi[3] = 'C';
    g_acpi[4] = sizeof g_acpi;
    g_acpi[43] = 0x77;
    tdhob_builder b;
    tdhob_phit_params phit = {0, 0x80000000ull, 0x100000, 0x7F000000ull, 0x7E100000ull};
    TDS_TRY(tdhob_builder_init(&b, tds_mut_bytes_make(buf, cap), GPA, 48, &phit));
    tds_status s = tdhob_add_cpu(&b, 52, 16);
    tdhob_resource r = {{{0}}, TDHOB_RES_SYSTEM_MEMORY, TDHOB_ATTR_QEMU_RAM, 0, 0x80000000ull};
    if (s == TDS_OK) {
        s = tdhob_add_resource(&b, &r);
    }
    tdhob_memalloc m = {{{1, 2, 3}}, 0x7E000000ull, 0x100000, 4};
    if (s == TDS_OK) {
        s = tdhob_add_memalloc(&b, &m);
    }
    if (s == TDS_OK) {
        s = tdhob_add_fv(&b, 0xFF081000ull, 0xC2D000);
    }
    tdhob_payload_info pi = {TDHOB_PAYLOAD_BZIMAGE, 0x861000};
    if (s == TDS_OK) {
        s = tdhob_add_payload_info(&b, &pi);
    }
    if (s == TDS_OK) {
        s = tdhob_add_acpi_table(&b, tds_bytes_make(g_acpi, sizeof g_acpi));
    }
    if (s == TDS_OK) {
        s = tdhob_add_e820(&b, k_e820, 3);
    }
    (void)s; /* errors stick: finish reports the first one */
    return tdhob_finish(&b, g_scratch, FX_SCRATCH_CAP, out);
}

static void test_round_trip(void **state)
{
    (void)state;
    uint8_t buf[1024];
    tds_bytes out = {NULL, 0};
    assert_int_equal(build_payload_hob(buf, sizeof buf, &out), TDS_OK);
    /* 56 PHIT + 16 CPU + 48 res + 48 alloc + 24 FV + 40 payload + 24+48 ACPI + 24+64 E820 + 8 */
    assert_int_equal(out.len, 56 + 16 + 48 + 48 + 24 + 40 + 72 + 88 + 8);
    assert_ptr_equal(out.ptr, buf);
    tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    tdhob_view v;
    assert_int_equal(tdhob_validate(out, &cfg, &v, NULL), TDS_OK);
    tdhob_phit p;
    assert_int_equal(tdhob_get_phit(&v, &p), TDS_OK);
    assert_int_equal(p.version, 9);
    assert_true(p.memory_top == 0x80000000ull);
    assert_true(p.memory_bottom == 0x100000);
    assert_true(p.free_memory_top == 0x7F000000ull);
    assert_true(p.free_memory_bottom == 0x7E100000ull);
    assert_true(p.end_of_hob_list == GPA + out.len);
    tdhob_cpu cpu;
    assert_int_equal(tdhob_get_cpu(&v, &cpu), TDS_OK);
    assert_int_equal(cpu.memory_space_bits, 52);
    assert_int_equal(cpu.io_space_bits, 16);
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    int seen_res = 0;
    int seen_alloc = 0;
    int seen_fv = 0;
    while (tdhob_next(&v, &it, &item) == TDS_OK) {
        if (item.type == TDHOB_TYPE_RESOURCE_DESCRIPTOR) {
            seen_res++;
            assert_int_equal(item.u.resource.type, 0);
            assert_int_equal(item.u.resource.attribute, 7);
            assert_true(item.u.resource.start == 0);
            assert_true(item.u.resource.length == 0x80000000ull);
        } else if (item.type == TDHOB_TYPE_MEMORY_ALLOCATION) {
            seen_alloc++;
            assert_int_equal(item.u.memalloc.name.b[2], 3);
            assert_true(item.u.memalloc.base == 0x7E000000ull);
            assert_true(item.u.memalloc.length == 0x100000);
            assert_int_equal(item.u.memalloc.memory_type, 4);
        } else if (item.type == TDHOB_TYPE_FV) {
            seen_fv++;
            assert_true(item.u.fv.base == 0xFF081000ull);
            assert_true(item.u.fv.length == 0xC2D000);
        }
    }
    assert_int_equal(seen_res + seen_alloc + seen_fv, 3);
    tdhob_payload_info pi;
    assert_int_equal(tdhob_get_payload_info(&v, &pi), TDS_OK);
    assert_int_equal(pi.image_type, TDHOB_PAYLOAD_BZIMAGE);
    assert_true(pi.entry_point == 0x861000);
    tds_bytes t;
    assert_int_equal(tdhob_get_acpi_table(&v, 0, &t), TDS_OK);
    assert_int_equal(t.len, sizeof g_acpi);
    assert_memory_equal(t.ptr, g_acpi, sizeof g_acpi);
    assert_int_equal(tdhob_get_acpi_table(&v, 1, &t), TDS_ERR_NOT_FOUND);
    tds_bytes e;
    assert_int_equal(tdhob_find_guid(&v, &tdhob_guid_e820_table, 0, &e), TDS_OK);
    assert_int_equal(e.len, 64); /* 60 bytes of entries + 4 padding */
    assert_int_equal(tdhob_e820_hob_count(e), 3);
    for (size_t i = 0; i < 3; i++) {
        tdhob_e820_entry x;
        assert_int_equal(tdhob_e820_hob_entry(e, i, &x), TDS_OK);
        assert_true(x.addr == k_e820[i].addr);
        assert_true(x.size == k_e820[i].size);
        assert_int_equal(x.type, k_e820[i].type);
    }
    tdhob_e820_entry x;
    assert_int_equal(tdhob_e820_hob_entry(e, 3, &x), TDS_ERR_OUT_OF_BOUNDS);
}

/* Every buffer size below the need fails with NO_SPACE and leaves no HOB behind. */
static void test_every_short_buffer(void **state)
{
    (void)state;
    uint8_t ref[1024];
    tds_bytes out = {NULL, 0};
    assert_int_equal(build_payload_hob(ref, sizeof ref, &out), TDS_OK);
    const size_t need = out.len;
    for (size_t cap = 0; cap < need; cap++) {
        uint8_t buf[1024];
        memset(buf, 0xEE, sizeof buf);
        tds_bytes o = {NULL, 0};
        assert_int_equal(build_payload_hob(buf, cap, &o), TDS_ERR_NO_SPACE);
        assert_null(o.ptr);
        for (size_t i = 0; i < cap; i++) {
            if (buf[i] != 0 && buf[i] != 0xEE) {
                fail_msg("cap %zu: byte %zu left as 0x%02x", cap, i, buf[i]);
            }
        }
        for (size_t i = cap; i < sizeof buf; i++) {
            assert_int_equal(buf[i], 0xEE); /* never wrote past the buffer */
        }
    }
    uint8_t exact[1024];
    assert_int_equal(build_payload_hob(exact, need, &out), TDS_OK);
    assert_memory_equal(exact, ref, need);
}

static void test_errors_stick(void **state)
{
    (void)state;
    uint8_t buf[256];
    memset(buf, 0xEE, sizeof buf);
    tdhob_builder b;
    tdhob_phit_params phit = {0};
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0x1000, 48, &phit),
                     TDS_OK);
    tdhob_resource bad = {{{0}}, 9, 0, 0, 0x1000};
    assert_int_equal(tdhob_add_resource(&b, &bad), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_add_cpu(&b, 48, 16), TDS_ERR_INVALID_ARG); /* sticky */
    tds_bytes out = {NULL, 0};
    assert_int_equal(tdhob_finish(&b, g_scratch, FX_SCRATCH_CAP, &out), TDS_ERR_INVALID_ARG);
    assert_null(out.ptr);
    for (size_t i = 0; i < 56; i++) {
        assert_int_equal(buf[i], 0); /* the PHIT is wiped */
    }
    for (size_t i = 56; i < sizeof buf; i++) {
        assert_int_equal(buf[i], 0xEE); /* nothing else was touched */
    }
    assert_int_equal(tdhob_finish(&b, g_scratch, FX_SCRATCH_CAP, &out), TDS_ERR_STATE);
}

/* Inputs the validator would refuse are refused before anything is written. */
static void test_input_checks(void **state)
{
    (void)state;
    uint8_t buf[512];
    tdhob_phit_params phit = {0};
    tdhob_builder b;
    struct {
        tdhob_resource r;
        tds_status want;
    } cases[] = {
        {{{{0}}, 0, 0x7, 0x1000, 0}, TDS_ERR_INVALID_ARG},
        {{{{0}}, 0, 0x7, 0x800, 0x1000}, TDS_ERR_ALIGNMENT},
        {{{{0}}, 0, 0x7, 0xFFFFFFFFFFFFF000ull, 0x2000}, TDS_ERR_OVERFLOW},
        {{{{0}}, 0, 0x7, 1ull << 47, 0x1000}, TDS_ERR_OUT_OF_BOUNDS},
        {{{{0}}, 0, 0x80000000u, 0, 0x1000}, TDS_ERR_INVALID_ARG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(
            tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0x1000, 48, &phit), TDS_OK);
        size_t pos = b.pos;
        assert_int_equal(tdhob_add_resource(&b, &cases[i].r), cases[i].want);
        assert_int_equal(b.pos, pos);
    }
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, 63), 0x1000, 48, &phit),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, 64), 0x1004, 48, &phit),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, 64), 0x1000, 47, &phit),
                     TDS_ERR_INVALID_ARG);
    /* ACPI table whose header length disagrees with the slice. */
    uint8_t t[36] = {'A', 'B', 'C', 'D', 40};
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    assert_int_equal(tdhob_add_acpi_table(&b, tds_bytes_make(t, sizeof t)), TDS_ERR_MALFORMED);
    /* E820 entries: empty list, zero size, wrap. */
    tdhob_e820_entry e0 = {0, 0, 1};
    tdhob_e820_entry ew = {0xFFFFFFFFFFFFF000ull, 0x2000, 1};
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    assert_int_equal(tdhob_add_e820(&b, &e0, 0), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    assert_int_equal(tdhob_add_e820(&b, &e0, 1), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    assert_int_equal(tdhob_add_e820(&b, &ew, 1), TDS_ERR_OVERFLOW);
    /* A GUID HOB that a 16-bit length cannot describe. */
    static uint8_t big[70000];
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    assert_int_equal(tdhob_add_guid(&b, &tdhob_guid_acpi_table, tds_bytes_make(big, sizeof big)),
                     TDS_ERR_NO_SPACE);
    tdhob_payload_info pi = {4, 0};
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    assert_int_equal(tdhob_add_payload_info(&b, &pi), TDS_ERR_INVALID_ARG);
}

/* Overlapping resources pass the per-item checks but not the final validation: finish fails,
 * the buffer is wiped. */
static void test_finish_validates(void **state)
{
    (void)state;
    uint8_t buf[512];
    memset(buf, 0xEE, sizeof buf);
    tdhob_phit_params phit = {0};
    tdhob_builder b;
    assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                     TDS_OK);
    tdhob_resource r1 = {{{0}}, 0, 7, 0x0, 0x2000};
    tdhob_resource r2 = {{{0}}, 7, 7, 0x1000, 0x2000};
    assert_int_equal(tdhob_add_resource(&b, &r1), TDS_OK);
    assert_int_equal(tdhob_add_resource(&b, &r2), TDS_OK);
    tds_bytes out = {NULL, 0};
    assert_int_equal(tdhob_finish(&b, g_scratch, FX_SCRATCH_CAP, &out), TDS_ERR_MALFORMED);
    assert_null(out.ptr);
    for (size_t i = 0; i < 56 + 48 + 48 + 8; i++) {
        assert_int_equal(buf[i], 0); /* PHIT, both resources and END wiped */
    }
    for (size_t i = 56 + 48 + 48 + 8; i < sizeof buf; i++) {
        assert_int_equal(buf[i], 0xEE);
    }
}

/* tdhob_finish's sort scratch: NULL with a capacity is refused before anything changes; one
 * entry per resource is enough; one less is NO_SPACE and the list is wiped like any failure. */
static void test_finish_scratch(void **state)
{
    (void)state;
    uint8_t buf[512];
    tdhob_phit_params phit = {0};
    tdhob_builder b;
    const tdhob_resource rs[] = {
        {{{0}}, 7, 7, 0x0, 0x1000},
        {{{0}}, 0, 7, 0x1000, 0x1000},
        {{{0}}, 2, 1, 0x0, 0x1000},
    };
    tdhob_scratch_entry scratch[3];
    tds_bytes out = {NULL, 0};
    for (size_t cap = 0; cap <= 3; cap++) {
        memset(buf, 0xEE, sizeof buf);
        assert_int_equal(tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0, 48, &phit),
                         TDS_OK);
        for (size_t i = 0; i < 3; i++) {
            assert_int_equal(tdhob_add_resource(&b, &rs[i]), TDS_OK);
        }
        assert_int_equal(tdhob_finish(&b, NULL, 1, &out), TDS_ERR_INVALID_ARG);
        assert_int_equal(buf[0], 0x01); /* untouched: still the PHIT */
        const tds_status s = tdhob_finish(&b, cap == 0 ? NULL : scratch, cap, &out);
        if (cap < 3) {
            assert_int_equal(s, TDS_ERR_NO_SPACE);
            for (size_t i = 0; i < 56 + 3 * 48 + 8; i++) {
                assert_int_equal(buf[i], 0);
            }
            assert_int_equal(tdhob_finish(&b, scratch, 3, &out), TDS_ERR_STATE);
        } else {
            assert_int_equal(s, TDS_OK);
            assert_int_equal(out.len, 56 + 3 * 48 + 8);
        }
    }
}

/* The builder reproduces the QEMU 8 GiB vector byte for byte. */
static void test_builder_matches_vector(void **state)
{
    (void)state;
    uint8_t buf[512];
    tdhob_phit_params phit = {0};
    tdhob_builder b;
    assert_int_equal(
        tdhob_builder_init(&b, tds_mut_bytes_make(buf, sizeof buf), 0x800000, 48, &phit), TDS_OK);
    const tdhob_resource rs[] = {
        {{{0}}, 7, 7, 0x0, 0x800000},
        {{{0}}, 0, 7, 0x800000, 0x20000},
        {{{0}}, 7, 7, 0x820000, 0x7F7E0000},
        {{{0}}, 7, 7, 0x100000000ull, 0x180000000ull},
    };
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(tdhob_add_resource(&b, &rs[i]), TDS_OK);
    }
    tds_bytes out;
    assert_int_equal(tdhob_finish(&b, g_scratch, FX_SCRATCH_CAP, &out), TDS_OK);
    assert_int_equal(out.len, k_vec_qemu_8g.len);
    assert_memory_equal(out.ptr, k_vec_qemu_8g.bytes, out.len);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),       cmocka_unit_test(test_every_short_buffer),
        cmocka_unit_test(test_errors_stick),     cmocka_unit_test(test_input_checks),
        cmocka_unit_test(test_finish_validates), cmocka_unit_test(test_builder_matches_vector),
        cmocka_unit_test(test_finish_scratch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
