/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The firmware's pure parts on the host: the console formatter and the IDT gate encoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cputables.h"
#include "idt.h"
#include "log.h"

/* idt.c's stub table lives in entry64.nasm in the firmware; a stand-in for the host. */
const uint64_t shim_isr_table[32];

/* Formats the compiler's printf checker would reject, on purpose. */
static size_t fmt_raw(char *b, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = shim_vformat(b, cap, fmt, ap);
    va_end(ap);
    return n;
}

static void test_format_conversions(void **state)
{
    (void)state;
    char b[SHIM_LOG_LINE];
    assert_int_equal(shim_format(b, sizeof b, "a=%u b=%x c=%lx d=%lu", 42u, 0xBEEFu,
                                 (uint64_t)UINT64_MAX, (uint64_t)UINT64_MAX),
                     strlen("a=42 b=beef c=ffffffffffffffff d=18446744073709551615"));
    assert_string_equal(b, "a=42 b=beef c=ffffffffffffffff d=18446744073709551615");
    shim_format(b, sizeof b, "%016lx|%4x|%x|%u", (uint64_t)0x1234, 0xAu, 0u, 0u);
    assert_string_equal(b, "0000000000001234|000a|0|0");
    fmt_raw(b, sizeof b, "%s %s %c %% %q", "x", (const char *)NULL, 'Z');
    assert_string_equal(b, "x (null) Z % %q");
    fmt_raw(b, sizeof b, "end%");
    assert_string_equal(b, "end");
}

static void test_format_truncates(void **state)
{
    (void)state;
    char b[8];
    memset(b, 'Q', sizeof b);
    assert_int_equal(shim_format(b, 6, "%s", "abcdefghij"), 5);
    assert_string_equal(b, "abcde");
    assert_int_equal(b[6], 'Q'); /* nothing past cap */
    assert_int_equal(shim_format(b, 1, "%lx", (uint64_t)0xFFFF), 0);
    assert_int_equal(b[0], '\0');
    assert_int_equal(shim_format(NULL, 8, "x"), 0);
    assert_int_equal(shim_format(b, 0, "x"), 0);
    /* A huge width is bounded by the buffer. */
    assert_int_equal(fmt_raw(b, sizeof b, "%99999x", 1u), 7);
}

static void test_hex(void **state)
{
    (void)state;
    static const uint8_t b[3] = {0x00, 0xAB, 0x7F};
    char out[7];
    memset(out, 'Q', sizeof out);
    assert_true(shim_hex(out, sizeof out, b, 3));
    assert_string_equal(out, "00ab7f");
    assert_false(shim_hex(out, 6, b, 3)); /* no room for the NUL */
    assert_string_equal(out, "");
    assert_true(shim_hex(out, 1, b, 0));
    assert_string_equal(out, "");
    assert_false(shim_hex(NULL, 8, b, 1));
}

static void test_idt_gate(void **state)
{
    (void)state;
    uint8_t g[16];
    memset(g, 0xCC, sizeof g);
    shim_idt_encode(g, 0xFEDCBA9876543210ull, 0x18, 1);
    static const uint8_t want[16] = {0x10, 0x32, 0x18, 0x00, 0x01, 0x8E, 0x54, 0x76,
                                     0x98, 0xBA, 0xDC, 0xFE, 0x00, 0x00, 0x00, 0x00};
    assert_memory_equal(g, want, 16);
}

static void test_tss_descriptor(void **state)
{
    (void)state;
    uint8_t d[16];
    memset(d, 0xCC, sizeof d);
    shim_tss_desc_encode(d, 0x123456789ABCDEF0ull, 0x67);
    static const uint8_t want[16] = {0x67, 0x00, 0xF0, 0xDE, 0xBC, 0x89, 0x00, 0x9A,
                                     0x78, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00};
    assert_memory_equal(d, want, 16);
    shim_tss_desc_encode(d, 0, 0xFFFFF);
    assert_int_equal(d[0], 0xFF);
    assert_int_equal(d[1], 0xFF);
    assert_int_equal(d[6], 0x0F); /* limit 19:16, G = 0 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_conversions),
        cmocka_unit_test(test_format_truncates),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_idt_gate),
        cmocka_unit_test(test_tss_descriptor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
