/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Slices, little-endian helpers, GUIDs, constant-time compare, layout-lock macros. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tdshim/base.h"

struct lock_example {
    uint32_t a;
    uint16_t b;
    uint16_t c;
    uint64_t d;
};
TDS_ASSERT_SIZE(struct lock_example, 16);
TDS_ASSERT_OFFSET(struct lock_example, d, 8);
TDS_ASSERT_ALIGN(struct lock_example, 8);

static void test_sub_slices(void **state)
{
    (void)state;
    uint8_t buf[8] = {0};
    tds_bytes s = tds_bytes_make(buf, sizeof buf);
    tds_bytes out = {NULL, 123};
    assert_int_equal(tds_bytes_sub(s, 8, 0, &out), TDS_OK);
    assert_int_equal(out.len, 0);
    out.len = 123;
    assert_int_equal(tds_bytes_sub(s, 9, 0, &out), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(out.len, 123);
    assert_int_equal(tds_bytes_sub(s, 4, 5, &out), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tds_bytes_sub(s, 1, SIZE_MAX, &out), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tds_bytes_sub(s, SIZE_MAX, 1, &out), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tds_bytes_sub(s, 3, 5, &out), TDS_OK);
    assert_ptr_equal(out.ptr, buf + 3);
    tds_mut_bytes m = tds_mut_bytes_make(buf, sizeof buf), mo;
    assert_int_equal(tds_mut_bytes_sub(m, 2, 7, &mo), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tds_mut_bytes_sub(m, 2, 6, &mo), TDS_OK);
    assert_int_equal(mo.len, 6);
    assert_true(tds_bytes_valid(tds_bytes_make(NULL, 0)));
    assert_false(tds_bytes_valid(tds_bytes_make(NULL, 1)));
    assert_false(tds_bytes_valid(tds_bytes_make((const void *)(UINTPTR_MAX - 3), 8)));
    assert_true(tds_bytes_valid(tds_bytes_make((const void *)(UINTPTR_MAX - 3), 4)));
    assert_int_equal(tds_bytes_const(m).len, 8);
}

static void test_endian(void **state)
{
    (void)state;
    uint8_t b[8];
    tds_store_le64(b, 0x8877665544332211ull);
    assert_int_equal(b[0], 0x11);
    assert_int_equal(b[7], 0x88);
    assert_true(tds_load_le64(b) == 0x8877665544332211ull);
    assert_int_equal(tds_load_le32(b + 4), 0x88776655u);
    assert_int_equal(tds_load_le16(b + 6), 0x8877);
    tds_store_le32(b, 0xFFFFFFFFu);
    tds_store_le16(b, 0x0001);
    assert_int_equal(tds_load_le32(b), 0xFFFF0001u);
    /* Loads from odd addresses are fine: no casts. */
    uint8_t odd[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    assert_true(tds_load_le64(odd + 1) == 0x0807060504030201ull);
}

/* Big-endian (fw_cfg): the byte order is the reverse of the little-endian one above. */
static void test_endian_big(void **state)
{
    (void)state;
    uint8_t b[8];
    tds_store_be64(b, 0x8877665544332211ull);
    assert_int_equal(b[0], 0x88);
    assert_int_equal(b[7], 0x11);
    assert_true(tds_load_be64(b) == 0x8877665544332211ull);
    assert_int_equal(tds_load_be32(b + 4), 0x44332211u);
    assert_int_equal(tds_load_be16(b + 6), 0x2211);
    tds_store_be32(b, 0x01020304u);
    tds_store_be16(b + 4, 0xA0B0);
    const uint8_t want[6] = {1, 2, 3, 4, 0xA0, 0xB0};
    assert_memory_equal(b, want, sizeof want);
    /* Top bits survive: no sign extension through int promotion. */
    const uint8_t ff[8] = {0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8};
    assert_true(tds_load_be64(ff) == 0xFFFEFDFCFBFAF9F8ull);
    assert_int_equal(tds_load_be32(ff), 0xFFFEFDFCu);
    assert_int_equal(tds_load_be16(ff), 0xFFFE);
    uint8_t odd[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    assert_true(tds_load_be64(odd + 1) == 0x0102030405060708ull);
}

static void test_guid(void **state)
{
    (void)state;
    /* EFI_HOB_LIST / gEfiHobMemoryAllocModuleGuid style: 7739F24C-93D7-11D4-9A3A-0090273FC14D */
    static const tds_guid g =
        TDS_GUID_INIT(0x7739F24C, 0x93D7, 0x11D4, 0x9A, 0x3A, 0x00, 0x90, 0x27, 0x3F, 0xC1, 0x4D);
    const uint8_t wire[16] = {0x4C, 0xF2, 0x39, 0x77, 0xD7, 0x93, 0xD4, 0x11,
                              0x9A, 0x3A, 0x00, 0x90, 0x27, 0x3F, 0xC1, 0x4D};
    assert_memory_equal(g.b, wire, 16);
    assert_true(tds_guid_equal_bytes(&g, wire));
    tds_guid h = g;
    h.b[15] ^= 1;
    assert_false(tds_guid_equal(&g, &h));
}

static void test_ct_equal_and_zero(void **state)
{
    (void)state;
    uint8_t a[48], b[48];
    memset(a, 0x5A, sizeof a);
    memset(b, 0x5A, sizeof b);
    assert_true(tds_ct_equal(a, b, sizeof a));
    b[47] = 0x5B;
    assert_false(tds_ct_equal(a, b, sizeof a));
    assert_true(tds_ct_equal(a, b, 47));
    tds_memzero_explicit(a, sizeof a);
    for (size_t i = 0; i < sizeof a; i++) {
        assert_int_equal(a[i], 0);
    }
    tds_memzero_explicit(NULL, 0);
}

static void test_array_len(void **state)
{
    (void)state;
    int arr[7];
    (void)arr;
    assert_int_equal(TDS_ARRAY_LEN(arr), 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sub_slices),        cmocka_unit_test(test_endian),
        cmocka_unit_test(test_endian_big),        cmocka_unit_test(test_guid),
        cmocka_unit_test(test_ct_equal_and_zero), cmocka_unit_test(test_array_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
