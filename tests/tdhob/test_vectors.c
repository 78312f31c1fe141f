/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Byte-exact vectors (QEMU tdvf-hob.c 2 GiB / 8 GiB, td-shim legacy seed): every decoded field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"

static const tds_guid k_zero_guid = {{0}};
static tdhob_scratch_entry g_scratch[FX_SCRATCH_CAP];

static void validate_ok(const hob_vector *vec, tdhob_convention conv, tdhob_view *v)
{
    tdhob_config cfg = {vec->gpa, false, 48, conv, g_scratch, FX_SCRATCH_CAP};
    tdhob_error err;
    assert_int_equal(tdhob_validate(tds_bytes_make(vec->bytes, vec->len), &cfg, v, &err), TDS_OK);
    assert_int_equal(err.reason, TDHOB_R_NONE);
    assert_int_equal(tdhob_length(v), vec->len);
}

typedef struct exp_res {
    uint32_t type;
    uint32_t attr;
    uint64_t start;
    uint64_t len;
} exp_res;

/* Walk the list and check PHIT, each resource (all fields) and END, in order. */
static void check_list(const tdhob_view *v, uint64_t end_of_list, const exp_res *res, size_t n)
{
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    assert_int_equal(tdhob_next(v, &it, &item), TDS_OK);
    assert_int_equal(item.type, TDHOB_TYPE_HANDOFF);
    assert_int_equal(item.length, 56);
    assert_int_equal(item.offset, 0);
    assert_int_equal(item.u.phit.version, 9);
    assert_int_equal(item.u.phit.boot_mode, 0);
    assert_true(item.u.phit.memory_top == 0);
    assert_true(item.u.phit.memory_bottom == 0);
    assert_true(item.u.phit.free_memory_top == 0);
    assert_true(item.u.phit.free_memory_bottom == 0);
    assert_true(item.u.phit.end_of_hob_list == end_of_list);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(tdhob_next(v, &it, &item), TDS_OK);
        assert_int_equal(item.type, TDHOB_TYPE_RESOURCE_DESCRIPTOR);
        assert_int_equal(item.length, 48);
        assert_int_equal(item.offset, 56 + 48 * i);
        assert_true(tds_guid_equal(&item.u.resource.owner, &k_zero_guid));
        assert_int_equal(item.u.resource.type, res[i].type);
        assert_int_equal(item.u.resource.attribute, res[i].attr);
        assert_true(item.u.resource.start == res[i].start);
        assert_true(item.u.resource.length == res[i].len);
    }
    assert_int_equal(tdhob_next(v, &it, &item), TDS_OK);
    assert_int_equal(item.type, TDHOB_TYPE_END_OF_HOB_LIST);
    assert_int_equal(item.length, 8);
    assert_int_equal(item.offset, 56 + 48 * n);
    assert_int_equal(tdhob_next(v, &it, &item), TDS_ERR_NOT_FOUND);
    assert_int_equal(tdhob_count(v, TDHOB_TYPE_RESOURCE_DESCRIPTOR), n);
    assert_int_equal(tdhob_count(v, TDHOB_TYPE_HANDOFF), 1);
    assert_int_equal(tdhob_count(v, TDHOB_TYPE_END_OF_HOB_LIST), 1);
    assert_int_equal(tdhob_count(v, TDHOB_TYPE_GUID_EXTENSION), 0);
    tdhob_cpu cpu;
    assert_int_equal(tdhob_get_cpu(v, &cpu), TDS_ERR_NOT_FOUND);
    tdhob_payload_info pi;
    assert_int_equal(tdhob_get_payload_info(v, &pi), TDS_ERR_NOT_FOUND);
}

static void check_map(const tdhob_view *v, const tdhob_mem_range *want, size_t n)
{
    tdhob_mem_range got[16];
    size_t count = 0;
    assert_int_equal(tdhob_memory_map_count(v, &count), TDS_OK);
    assert_int_equal(count, n);
    assert_int_equal(tdhob_memory_map(v, got, 16, &count), TDS_OK);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(got[i].base == want[i].base);
        assert_true(got[i].length == want[i].length);
        assert_int_equal(got[i].kind, want[i].kind);
    }
}

static void check_e820(const tdhob_view *v, uint32_t unacc, const tdhob_e820_entry *want, size_t n)
{
    tdhob_e820_entry got[16];
    size_t count = 0;
    assert_int_equal(tdhob_e820(v, unacc, got, 16, &count), TDS_OK);
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(got[i].addr == want[i].addr);
        assert_true(got[i].size == want[i].size);
        assert_int_equal(got[i].type, want[i].type);
    }
}

static void test_qemu_2g(void **state)
{
    (void)state;
    tdhob_view v;
    validate_ok(&k_vec_qemu_2g, TDHOB_CONV_AUTO, &v);
    assert_int_equal(k_vec_qemu_2g.len, 352);
    assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_CURRENT);
    static const exp_res res[] = {
        {7, 7, 0x0, 0x800000},    {0, 7, 0x800000, 0x9000},  {0, 7, 0x809000, 0x2000},
        {7, 7, 0x80B000, 0x5000}, {0, 7, 0x810000, 0x10000}, {7, 7, 0x820000, 0x7F7E0000},
    };
    check_list(&v, 0x809160, res, 6);
    /* The two adjacent added ranges merge; the rest keeps its kind. */
    static const tdhob_mem_range map[] = {
        {0x0, 0x800000, TDHOB_MEM_UNACCEPTED},        {0x800000, 0xB000, TDHOB_MEM_ACCEPTED},
        {0x80B000, 0x5000, TDHOB_MEM_UNACCEPTED},     {0x810000, 0x10000, TDHOB_MEM_ACCEPTED},
        {0x820000, 0x7F7E0000, TDHOB_MEM_UNACCEPTED},
    };
    check_map(&v, map, 5);
    static const tdhob_e820_entry e8[] = {
        {0x0, 0x800000, 8},     {0x800000, 0xB000, 1},     {0x80B000, 0x5000, 8},
        {0x810000, 0x10000, 1}, {0x820000, 0x7F7E0000, 8},
    };
    check_e820(&v, TDHOB_E820_UNACCEPTED, e8, 5);
    static const tdhob_e820_entry e1[] = {{0x0, 0x80000000, 1}};
    check_e820(&v, TDHOB_E820_RAM, e1, 1);
    tdhob_ram_summary s;
    assert_int_equal(tdhob_ram_summary_get(&v, &s), TDS_OK);
    assert_true(s.accepted_bytes == 0x9000 + 0x2000 + 0x10000);
    assert_true(s.unaccepted_bytes == 0x80000000ull - 0x1B000);
    assert_true(s.ram_top == 0x80000000ull);
    assert_true(s.ram_top_below_4g == 0x80000000ull);
}

static void test_qemu_8g(void **state)
{
    (void)state;
    tdhob_view v;
    validate_ok(&k_vec_qemu_8g, TDHOB_CONV_AUTO, &v);
    assert_int_equal(k_vec_qemu_8g.len, 256);
    assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_CURRENT);
    static const exp_res res[] = {
        {7, 7, 0x0, 0x800000},
        {0, 7, 0x800000, 0x20000},
        {7, 7, 0x820000, 0x7F7E0000},
        {7, 7, 0x100000000ull, 0x180000000ull},
    };
    check_list(&v, 0x800100, res, 4);
    static const tdhob_mem_range map[] = {
        {0x0, 0x800000, TDHOB_MEM_UNACCEPTED},
        {0x800000, 0x20000, TDHOB_MEM_ACCEPTED},
        {0x820000, 0x7F7E0000, TDHOB_MEM_UNACCEPTED},
        {0x100000000ull, 0x180000000ull, TDHOB_MEM_UNACCEPTED},
    };
    check_map(&v, map, 4);
    /* As RAM: the low 2 GiB merge, the hole before 4 GiB keeps the high range separate. */
    static const tdhob_e820_entry e1[] = {{0x0, 0x80000000, 1},
                                          {0x100000000ull, 0x180000000ull, 1}};
    check_e820(&v, TDHOB_E820_RAM, e1, 2);
    tdhob_ram_summary s;
    assert_int_equal(tdhob_ram_summary_get(&v, &s), TDS_OK);
    assert_true(s.accepted_bytes == 0x20000);
    assert_true(s.unaccepted_bytes == 0x200000000ull - 0x20000);
    assert_true(s.ram_top == 0x280000000ull);
    assert_true(s.ram_top_below_4g == 0x80000000ull);
}

static void test_legacy_2g(void **state)
{
    (void)state;
    tdhob_view v;
    validate_ok(&k_vec_legacy_2g, TDHOB_CONV_AUTO, &v);
    assert_int_equal(k_vec_legacy_2g.len, 496);
    assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_LEGACY);
    static const exp_res res[] = {
        {0, 0x04000007, 0x0, 0x1000000},
        {0, 0x04000007, 0x1020000, 0x7EFE0000},
        {5, 0x04000007, 0x1000000, 0x20000},
        {5, 0x04000007, 0xFEFFC000, 0x4000},
        {5, 0x04000007, 0xFF040000, 0x1000},
        {5, 0x04000007, 0xFF042000, 0x20000},
        {5, 0x04000007, 0xFF062000, 0x20000},
        {1, 0x403, 0x80000000, 0x7EE00000},
        {1, 0x403, 0x100000000ull, 0x800000000ull},
    };
    check_list(&v, 0x10001F0, res, 9);
    /* Legacy: system memory is unaccepted, reserved is already added. */
    static const tdhob_mem_range map[] = {
        {0x0, 0x1000000, TDHOB_MEM_UNACCEPTED},
        {0x1000000, 0x20000, TDHOB_MEM_ACCEPTED},
        {0x1020000, 0x7EFE0000, TDHOB_MEM_UNACCEPTED},
        {0x80000000, 0x7EE00000, TDHOB_MEM_MMIO},
        {0xFEFFC000, 0x4000, TDHOB_MEM_ACCEPTED},
        {0xFF040000, 0x1000, TDHOB_MEM_ACCEPTED},
        {0xFF042000, 0x40000, TDHOB_MEM_ACCEPTED},
        {0x100000000ull, 0x800000000ull, TDHOB_MEM_MMIO},
    };
    check_map(&v, map, 8);
    static const tdhob_e820_entry e8[] = {
        {0x0, 0x1000000, 8},     {0x1000000, 0x20000, 1}, {0x1020000, 0x7EFE0000, 8},
        {0xFEFFC000, 0x4000, 1}, {0xFF040000, 0x1000, 1}, {0xFF042000, 0x40000, 1},
    };
    check_e820(&v, TDHOB_E820_UNACCEPTED, e8, 6);
    static const tdhob_e820_entry e1[] = {
        {0x0, 0x80000000, 1},
        {0xFEFFC000, 0x4000, 1},
        {0xFF040000, 0x1000, 1},
        {0xFF042000, 0x40000, 1},
    };
    check_e820(&v, TDHOB_E820_RAM, e1, 4);
    tdhob_ram_summary s;
    assert_int_equal(tdhob_ram_summary_get(&v, &s), TDS_OK);
    assert_true(s.accepted_bytes == 0x20000 + 0x4000 + 0x1000 + 0x40000);
    assert_true(s.unaccepted_bytes == 0x80000000ull - 0x20000);
    assert_true(s.ram_top == 0xFF082000ull);
    assert_true(s.ram_top_below_4g == 0xFF082000ull);
}

/* The same bytes read with the other convention forced. */
static void test_legacy_forced_current(void **state)
{
    (void)state;
    tdhob_view v;
    validate_ok(&k_vec_legacy_2g, TDHOB_CONV_CURRENT, &v);
    assert_int_equal(tdhob_get_convention(&v), TDHOB_CONV_CURRENT);
    tdhob_mem_range map[16];
    size_t n = 0;
    assert_int_equal(tdhob_memory_map(&v, map, 16, &n), TDS_OK);
    /* [0, 16M) added, [16M, +128K) reserved, [0x1020000, 2G) added. */
    assert_true(n == 8);
    assert_int_equal(map[0].kind, TDHOB_MEM_ACCEPTED);
    assert_int_equal(map[1].kind, TDHOB_MEM_RESERVED);
    assert_int_equal(map[2].kind, TDHOB_MEM_ACCEPTED);
}

static void test_gpa_from_phit(void **state)
{
    (void)state;
    const hob_vector *vecs[] = {&k_vec_qemu_2g, &k_vec_qemu_8g, &k_vec_legacy_2g};
    for (size_t i = 0; i < 3; i++) {
        tdhob_config cfg = {0, true, 52, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
        tdhob_view v;
        assert_int_equal(
            tdhob_validate(tds_bytes_make(vecs[i]->bytes, vecs[i]->len), &cfg, &v, NULL), TDS_OK);
        assert_true(tdhob_gpa(&v) == vecs[i]->gpa);
        assert_int_equal(tdhob_gpaw(&v), 52);
        assert_ptr_equal(tdhob_bytes(&v).ptr, vecs[i]->bytes);
        assert_int_equal(tdhob_bytes(&v).len, vecs[i]->len);
    }
}

/* The wrong GPA is exactly the PHIT end mismatch. */
static void test_wrong_gpa(void **state)
{
    (void)state;
    tdhob_config cfg = {0x800000, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    tdhob_view v;
    memset(&v, 0xA5, sizeof v);
    tdhob_error err;
    assert_int_equal(
        tdhob_validate(tds_bytes_make(k_vec_qemu_2g.bytes, k_vec_qemu_2g.len), &cfg, &v, &err),
        TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, TDHOB_R_PHIT_END_MISMATCH);
    assert_int_equal(err.field_offset, 48);
    assert_true(err.value == 0x809160);
    assert_int_equal(((uint8_t *)&v)[0], 0xA5); /* view untouched */
}

/* Every strict prefix fails (truncated) and trailing bytes after END are ignored. */
static void test_every_prefix_and_trailer(void **state)
{
    (void)state;
    const hob_vector *vec = &k_vec_qemu_8g;
    tdhob_config cfg = {vec->gpa, false, 48, TDHOB_CONV_AUTO, g_scratch, FX_SCRATCH_CAP};
    for (size_t n = 0; n < vec->len; n++) {
        tdhob_view v;
        tdhob_error err;
        tds_status s = tdhob_validate(tds_bytes_make(vec->bytes, n), &cfg, &v, &err);
        assert_int_equal(s, TDS_ERR_TRUNCATED);
        assert_true(err.reason == TDHOB_R_END_MISSING || err.reason == TDHOB_R_HEADER_TRUNCATED ||
                    err.reason == TDHOB_R_LENGTH_PAST_END);
    }
    uint8_t big[4096];
    memset(big, 0xEE, sizeof big);
    memcpy(big, vec->bytes, vec->len);
    tdhob_view v;
    assert_int_equal(tdhob_validate(tds_bytes_make(big, sizeof big), &cfg, &v, NULL), TDS_OK);
    assert_int_equal(tdhob_length(&v), vec->len);
}

/* Memory-map capacity: one short is NO_SPACE and writes nothing. */
static void test_map_no_space(void **state)
{
    (void)state;
    tdhob_view v;
    validate_ok(&k_vec_legacy_2g, TDHOB_CONV_AUTO, &v);
    tdhob_mem_range map[8];
    memset(map, 0x5A, sizeof map);
    size_t n = 77;
    assert_int_equal(tdhob_memory_map(&v, map, 7, &n), TDS_ERR_NO_SPACE);
    assert_int_equal(n, 77);
    for (size_t i = 0; i < sizeof map; i++) {
        assert_int_equal(((uint8_t *)map)[i], 0x5A);
    }
    tdhob_e820_entry e[6];
    memset(e, 0x5A, sizeof e);
    assert_int_equal(tdhob_e820(&v, TDHOB_E820_UNACCEPTED, e, 5, &n), TDS_ERR_NO_SPACE);
    assert_int_equal(((uint8_t *)e)[0], 0x5A);
    assert_int_equal(tdhob_e820(&v, TDHOB_E820_UNACCEPTED, e, 6, &n), TDS_OK);
    assert_int_equal(n, 6);
    assert_int_equal(tdhob_memory_map(&v, NULL, 0, &n), TDS_ERR_NO_SPACE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qemu_2g),
        cmocka_unit_test(test_qemu_8g),
        cmocka_unit_test(test_legacy_2g),
        cmocka_unit_test(test_legacy_forced_current),
        cmocka_unit_test(test_gpa_from_phit),
        cmocka_unit_test(test_wrong_gpa),
        cmocka_unit_test(test_every_prefix_and_trailer),
        cmocka_unit_test(test_map_no_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
