/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reader cursor and writer: bounds, no movement on failure, split reads at every offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tdshim/cursor.h"

static const uint8_t k_bytes[15] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                    0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F};

static void test_reads_le(void **state)
{
    (void)state;
    tds_cursor c = tds_cursor_make(tds_bytes_make(k_bytes, sizeof k_bytes));
    uint8_t b = 0;
    uint16_t h = 0;
    uint32_t w = 0;
    uint64_t q = 0;
    assert_int_equal(tds_cursor_u8(&c, &b), TDS_OK);
    assert_int_equal(b, 0x01);
    assert_int_equal(tds_cursor_le16(&c, &h), TDS_OK);
    assert_int_equal(h, 0x0302);
    assert_int_equal(tds_cursor_le32(&c, &w), TDS_OK);
    assert_int_equal(w, 0x07060504u);
    assert_int_equal(tds_cursor_le64(&c, &q), TDS_OK);
    assert_true(q == 0x0F0E0D0C0B0A0908ull);
    assert_true(tds_cursor_at_end(&c));
    assert_int_equal(tds_cursor_u8(&c, &b), TDS_ERR_TRUNCATED);
    assert_int_equal(b, 0x01); /* untouched */
}

static void test_truncated_does_not_move(void **state)
{
    (void)state;
    tds_cursor c = tds_cursor_make(tds_bytes_make(k_bytes, 7));
    uint64_t q = 0xAA;
    assert_int_equal(tds_cursor_le64(&c, &q), TDS_ERR_TRUNCATED);
    assert_true(q == 0xAA);
    assert_int_equal(tds_cursor_pos(&c), 0);
    assert_int_equal(tds_cursor_skip(&c, 8), TDS_ERR_TRUNCATED);
    assert_int_equal(tds_cursor_skip(&c, 7), TDS_OK);
    assert_int_equal(tds_cursor_remaining(&c), 0);
    assert_int_equal(tds_cursor_skip(&c, SIZE_MAX), TDS_ERR_TRUNCATED);
    assert_int_equal(tds_cursor_seek(&c, 8), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tds_cursor_seek(&c, 7), TDS_OK);
    assert_int_equal(tds_cursor_seek(&c, 0), TDS_OK);
    tds_bytes t = {NULL, 99};
    assert_int_equal(tds_cursor_take(&c, SIZE_MAX, &t), TDS_ERR_TRUNCATED);
    assert_int_equal(t.len, 99);
}

static void test_empty_buffer(void **state)
{
    (void)state;
    tds_cursor c = tds_cursor_make(tds_bytes_make(NULL, 0));
    tds_bytes t;
    assert_int_equal(tds_cursor_take(&c, 0, &t), TDS_OK);
    assert_int_equal(t.len, 0);
    uint8_t b;
    assert_int_equal(tds_cursor_u8(&c, &b), TDS_ERR_TRUNCATED);
}

/* A u32 split across any two takes reads the same as one read. */
static void test_split_at_every_offset(void **state)
{
    (void)state;
    for (size_t split = 0; split <= sizeof k_bytes; split++) {
        tds_cursor c = tds_cursor_make(tds_bytes_make(k_bytes, sizeof k_bytes));
        tds_bytes a, b;
        assert_int_equal(tds_cursor_take(&c, split, &a), TDS_OK);
        assert_int_equal(tds_cursor_take(&c, sizeof k_bytes - split, &b), TDS_OK);
        assert_int_equal(a.len + b.len, sizeof k_bytes);
        assert_ptr_equal(b.ptr, k_bytes + split);
        assert_true(tds_cursor_at_end(&c));
    }
}

static void test_writer(void **state)
{
    (void)state;
    uint8_t buf[10];
    memset(buf, 0xEE, sizeof buf);
    tds_writer w = tds_writer_make(tds_mut_bytes_make(buf, 9));
    assert_int_equal(tds_writer_le32(&w, 0x11223344u), TDS_OK);
    assert_int_equal(tds_writer_le16(&w, 0xA1B2), TDS_OK);
    assert_int_equal(tds_writer_u8(&w, 0x7F), TDS_OK);
    assert_int_equal(tds_writer_le32(&w, 1), TDS_ERR_NO_SPACE); /* 2 left: nothing written */
    assert_int_equal(tds_writer_pos(&w), 7);
    assert_int_equal(buf[7], 0xEE);
    assert_int_equal(tds_writer_zero(&w, 2), TDS_OK);
    assert_int_equal(tds_writer_remaining(&w), 0);
    assert_int_equal(buf[9], 0xEE); /* never past the slice */
    const uint8_t want[9] = {0x44, 0x33, 0x22, 0x11, 0xB2, 0xA1, 0x7F, 0, 0};
    assert_memory_equal(buf, want, sizeof want);
    uint8_t *p = NULL;
    assert_int_equal(tds_writer_reserve(&w, 1, &p), TDS_ERR_NO_SPACE);
    assert_null(p);
    uint8_t big[16];
    tds_writer w2 = tds_writer_make(tds_mut_bytes_make(big, sizeof big));
    assert_int_equal(tds_writer_le64(&w2, 0x0102030405060708ull), TDS_OK);
    assert_int_equal(big[0], 0x08);
    assert_int_equal(big[7], 0x01);
    assert_int_equal(tds_writer_put(&w2, k_bytes, 9), TDS_ERR_NO_SPACE);
    assert_int_equal(tds_writer_put(&w2, k_bytes, 8), TDS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_le),     cmocka_unit_test(test_truncated_does_not_move),
        cmocka_unit_test(test_empty_buffer), cmocka_unit_test(test_split_at_every_offset),
        cmocka_unit_test(test_writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
