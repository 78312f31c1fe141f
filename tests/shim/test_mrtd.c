/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reference MRTD: the known answers of tdx-abi.md 6.4, ordering, PAGE.AUG, hostile sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha512.h>

#include "mrtd.h"

static void hex(const uint8_t *d, char *out)
{
    for (size_t i = 0; i < MRTD_SIZE; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

static void expect_mrtd(const tdvf_meta *m, tds_bytes image, const char *want)
{
    uint8_t d[MRTD_SIZE];
    char got[2 * MRTD_SIZE + 1];
    tdvf_error err;
    assert_int_equal(mrtd_compute(m, image, d, &err), TDS_OK);
    hex(d, got);
    assert_string_equal(got, want);
}

static void set_sec(tdvf_section *s, uint32_t off, uint32_t raw, uint64_t addr, uint64_t size,
                    uint32_t type, uint32_t attr)
{
    s->data_offset = off;
    s->raw_size = raw;
    s->mem_addr = addr;
    s->mem_size = size;
    s->type = type;
    s->attributes = attr;
}

static uint8_t page[0x4000];

static void test_known_answers(void **state)
{
    (void)state;
    tdvf_meta m;
    memset(&m, 0, sizeof m);
    memset(page, 0, sizeof page);
    /* No pages at all: SHA-384 of the empty string. */
    expect_mrtd(&m, tds_bytes_make(NULL, 0),
                "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd5"
                "1ad2f14898b95b");
    /* One PAGE.ADD at 0x800000. */
    m.count = 1;
    set_sec(&m.sec[0], 0, 0, 0x800000, 0x1000, TDVF_SEC_TEMP_MEM, 0);
    expect_mrtd(&m, tds_bytes_make(NULL, 0),
                "73e66eb2f63d5a2c92c756c54b86b24f1a3d87c07a191518580ba4b227f9edda1faeb4223ffb2dd70c"
                "789055f9af5e7c");
    /* One zero page at 0xFFFFF000 with PAGE.ADD + 16 MR.EXTEND. */
    set_sec(&m.sec[0], 0, 0x1000, 0xFFFFF000, 0x1000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    expect_mrtd(&m, tds_bytes_make(page, 0x1000),
                "07f08f558c5e2593b33452cf00c12a165c07b027a36424ecfa15ebf39b5415e0ed62418458e4bfd77f"
                "16fec0f1568dc9");
}

static void test_block_layout(void **state)
{
    (void)state;
    uint8_t b[MRTD_BLOCK];
    memset(b, 0xCC, sizeof b);
    mrtd_block(b, "MR.EXTEND", 0x0123456789ABCDEFull);
    assert_memory_equal(b, "MR.EXTEND\0\0\0\0\0\0\0", 16);
    assert_int_equal(b[16], 0xEF);
    assert_int_equal(b[23], 0x01);
    for (size_t i = 24; i < MRTD_BLOCK; i++) {
        assert_int_equal(b[i], 0);
    }
    mrtd_block(b, "MEM.PAGE.ADD", 0x1000);
    assert_memory_equal(b, "MEM.PAGE.ADD\0\0\0\0", 16);
    assert_int_equal(b[17], 0x10);
}

/* The same stream hashed in one shot, built independently of mrtd.c's loop. */
static void test_stream_and_order(void **state)
{
    (void)state;
    static uint8_t stream[2 * (128 + 16 * (128 + 256)) + 2 * 128];
    size_t n = 0;
    for (size_t i = 0; i < sizeof page; i++) {
        page[i] = (uint8_t)(i * 31u + 7u);
    }
    tdvf_meta m;
    memset(&m, 0, sizeof m);
    m.count = 2;
    /* BFV: two pages from image offset 0x1000, then a TempMem of two pages. */
    set_sec(&m.sec[0], 0x1000, 0x2000, 0xFFFFE000, 0x2000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    set_sec(&m.sec[1], 0, 0, 0x100000, 0x2000, TDVF_SEC_TEMP_MEM, 0);
    for (uint64_t p = 0; p < 2; p++) {
        uint64_t gpa = 0xFFFFE000 + p * 0x1000;
        memset(stream + n, 0, 128);
        memcpy(stream + n, "MEM.PAGE.ADD", 13); /* with its NUL: byte 12 is zero */
        tds_store_le64(stream + n + 16, gpa);
        n += 128;
        for (uint64_t c = 0; c < 16; c++) {
            memset(stream + n, 0, 128);
            memcpy(stream + n, "MR.EXTEND", 10);
            tds_store_le64(stream + n + 16, gpa + c * 256);
            n += 128;
            memcpy(stream + n, page + 0x1000 + p * 0x1000 + c * 256, 256);
            n += 256;
        }
    }
    for (uint64_t p = 0; p < 2; p++) {
        memset(stream + n, 0, 128);
        memcpy(stream + n, "MEM.PAGE.ADD", 13); /* with its NUL: byte 12 is zero */
        tds_store_le64(stream + n + 16, 0x100000 + p * 0x1000);
        n += 128;
    }
    assert_int_equal(n, sizeof stream);
    uint8_t want[64];
    assert_int_equal(mbedtls_sha512_ret(stream, n, want, 1), 0);
    uint8_t got[MRTD_SIZE];
    tdvf_error err;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), got, &err), TDS_OK);
    assert_memory_equal(got, want, MRTD_SIZE);

    /* Metadata order matters. */
    tdvf_meta swapped = m;
    swapped.sec[0] = m.sec[1];
    swapped.sec[1] = m.sec[0];
    uint8_t other[MRTD_SIZE];
    assert_int_equal(mrtd_compute(&swapped, tds_bytes_make(page, sizeof page), other, &err),
                     TDS_OK);
    assert_memory_not_equal(other, got, MRTD_SIZE);
    /* Content outside the measured bytes does not matter; inside it does. */
    page[0] ^= 1;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), other, &err), TDS_OK);
    assert_memory_equal(other, got, MRTD_SIZE);
    page[0x2FFF] ^= 1;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), other, &err), TDS_OK);
    assert_memory_not_equal(other, got, MRTD_SIZE);
    page[0x2FFF] ^= 1;
    /* PAGE.AUG sections contribute nothing, whatever their fields. */
    m.count = 3;
    set_sec(&m.sec[2], 0, 0, 0x12345, 0x1, TDVF_SEC_PERM_MEM, TDVF_ATTR_PAGE_AUG);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), other, &err), TDS_OK);
    assert_memory_equal(other, got, MRTD_SIZE);
}

static void test_hostile_sections(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    uint8_t out[MRTD_SIZE];
    memset(out, 0xA5, sizeof out);
    memset(&m, 0, sizeof m);
    m.count = 1;
    set_sec(&m.sec[0], 0, 0, 0x800800, 0x1000, TDVF_SEC_TEMP_MEM, 0);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_ALIGNMENT);
    set_sec(&m.sec[0], 0, 0, 0xFFFFFFFFFFFFF000ull, 0x2000, TDVF_SEC_TEMP_MEM, 0);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_OVERFLOW);
    set_sec(&m.sec[0], 0x3000, 0x2000, 0xFFFFE000, 0x2000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    set_sec(&m.sec[0], UINT32_MAX, 0x1000, 0xFFFFF000, 0x1000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    set_sec(&m.sec[0], 0, 0x1000, 0xFFFFE000, 0x2000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.section, 0);
    m.count = TDVF_MAX_SECTIONS + 1;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_INVALID_ARG);
    for (size_t i = 0; i < sizeof out; i++) {
        assert_int_equal(out[i], 0xA5); /* untouched on failure */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),
        cmocka_unit_test(test_block_layout),
        cmocka_unit_test(test_stream_and_order),
        cmocka_unit_test(test_hostile_sections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
