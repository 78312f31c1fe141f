/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* shim/rt/string.c on the host: every length 0..259 at every misalignment 0..8, both overlaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

void *rt_memcpy(void *dst, const void *src, size_t n);
void *rt_memmove(void *dst, const void *src, size_t n);
void *rt_memset(void *dst, int c, size_t n);
int rt_memcmp(const void *a, const void *b, size_t n);
size_t rt_strlen(const char *s);
int rt_strcmp(const char *a, const char *b);

enum { BUF = 300, MAXN = 260, MAXOFF = 9 }; /* a + 3 + MAXN - 1 < BUF */

static void fill(uint8_t *p, uint8_t base)
{
    for (size_t i = 0; i < BUF; i++) {
        p[i] = (uint8_t)(base + i);
    }
}

static void test_memcpy_memset(void **state)
{
    (void)state;
    uint8_t a[BUF], b[BUF];
    for (size_t n = 0; n < MAXN; n++) {
        for (size_t off = 0; off < MAXOFF; off++) {
            fill(a, 0);
            for (size_t i = 0; i < BUF; i++) {
                b[i] = 0xEE;
            }
            assert_ptr_equal(rt_memcpy(b + off, a, n), b + off);
            for (size_t i = 0; i < BUF; i++) {
                uint8_t want = (i >= off && i < off + n) ? (uint8_t)(i - off) : 0xEE;
                assert_int_equal(b[i], want);
            }
            assert_ptr_equal(rt_memset(b + off, 0x15A, n), b + off); /* only the low byte */
            for (size_t i = 0; i < BUF; i++) {
                uint8_t want = (i >= off && i < off + n) ? 0x5A : 0xEE; /* nothing outside */
                assert_int_equal(b[i], want);
            }
            /* Source and destination with different alignments (the byte path of memcpy). */
            for (size_t i = 0; i < BUF; i++) {
                b[i] = 0xEE;
            }
            assert_ptr_equal(rt_memcpy(b + off, a + 3, n), b + off);
            for (size_t i = 0; i < BUF; i++) {
                uint8_t want = (i >= off && i < off + n) ? (uint8_t)(i - off + 3) : 0xEE;
                assert_int_equal(b[i], want);
            }
        }
    }
}

static void test_memmove_overlaps(void **state)
{
    (void)state;
    uint8_t a[BUF];
    for (size_t n = 0; n < MAXN; n++) {
        for (size_t off = 0; off < MAXOFF; off++) {
            fill(a, 0);
            assert_ptr_equal(rt_memmove(a + off, a, n), a + off); /* dst above src */
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(a[off + i], (uint8_t)i);
            }
            for (size_t i = off + n; i < BUF; i++) {
                assert_int_equal(a[i], (uint8_t)i); /* untouched tail */
            }
            fill(a, 0);
            assert_ptr_equal(rt_memmove(a, a + off, n), a); /* dst below src */
            for (size_t i = 0; i < n; i++) {
                assert_int_equal(a[i], (uint8_t)(i + off));
            }
        }
    }
    /* The direction flag is clear again after a backward move: a forward copy still works. */
    uint8_t x[4] = {1, 2, 3, 4}, y[4] = {0};
    rt_memmove(x + 1, x, 3);
    rt_memcpy(y, x, 4);
    assert_int_equal(y[0], 1);
    assert_int_equal(y[3], 3);
}

static void test_compare(void **state)
{
    (void)state;
    assert_int_equal(rt_memcmp("abc", "abd", 2), 0);
    assert_true(rt_memcmp("abc", "abd", 3) < 0);
    assert_true(rt_memcmp("\xff", "\x01", 1) > 0); /* unsigned bytes */
    assert_int_equal(rt_memcmp(NULL, NULL, 0), 0);
    assert_int_equal(rt_strlen(""), 0);
    assert_int_equal(rt_strlen("td-shim"), 7);
    assert_int_equal(rt_strcmp("a", "a"), 0);
    assert_true(rt_strcmp("a", "b") < 0);
    assert_true(rt_strcmp("ab", "a") > 0);
    assert_true(rt_strcmp("\xff", "a") > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memcpy_memset),
        cmocka_unit_test(test_memmove_overlaps),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
