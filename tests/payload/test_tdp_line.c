/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The line builder: exact text of every field kind, truncation, and the sink. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tdp_line.h"

struct capture {
    char text[1024];
    size_t len;
    unsigned lines;
};

static void capture_emit(void *ctx, const char *s, size_t n)
{
    struct capture *c = ctx;
    assert_true(c->len + n + 1 < sizeof c->text);
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
    c->lines++;
}

static void test_fields(void **state)
{
    (void)state;
    struct tdp_line l;
    tdp_line_start(&l, "e820 ");
    tdp_line_hex(&l, 0);
    tdp_line_chr(&l, ' ');
    tdp_line_hex(&l, 0xFFFFFFFFFFFFFFFFull);
    tdp_line_chr(&l, ' ');
    tdp_line_hex(&l, 0x1000000);
    tdp_line_chr(&l, ' ');
    tdp_line_dec(&l, 0);
    tdp_line_chr(&l, ' ');
    tdp_line_dec(&l, 18446744073709551615ull);
    tdp_line_chr(&l, ' ');
    const uint8_t b[] = {0x00, 0x0f, 0xa0, 0xff};
    tdp_line_bytes(&l, b, sizeof b);
    const char want[] = "tdpayload: e820 0x0 0xffffffffffffffff 0x1000000 0 18446744073709551615 "
                        "000fa0ff";
    assert_int_equal(l.len, strlen(want));
    assert_memory_equal(l.buf, want, l.len);
    assert_false(l.truncated);
}

static void test_truncation(void **state)
{
    (void)state;
    struct tdp_line l;
    uint8_t big[300];
    memset(big, 0xab, sizeof big);
    tdp_line_start(&l, "log 0x0 ");
    tdp_line_bytes(&l, big, sizeof big);
    assert_true(l.truncated);
    assert_int_equal(l.len, TDP_LINE_MAX);
    assert_memory_equal(l.buf + l.len - 4, "b...", 4);
    size_t before = l.len;
    tdp_line_str(&l, "more");
    assert_int_equal(l.len, before); /* nothing after the marker */
    /* Exactly filling: TDP_LINE_MAX - 3 characters fit without the marker. */
    tdp_line_start(&l, "");
    for (size_t i = strlen(TDP_PREFIX); i < TDP_LINE_MAX - 3; i++) {
        tdp_line_chr(&l, 'x');
    }
    assert_false(l.truncated);
    assert_int_equal(l.len, TDP_LINE_MAX - 3);
    tdp_line_chr(&l, 'y');
    assert_true(l.truncated);
}

static void test_sink(void **state)
{
    (void)state;
    struct capture c = {0};
    struct tdp_sink s = {.ctx = &c, .emit = capture_emit};
    struct tdp_line l;
    tdp_line_start(&l, "result pass");
    tdp_line_emit(&s, &l);
    tdp_line_start(&l, "x");
    tdp_line_emit(NULL, &l); /* dropped */
    assert_string_equal(c.text, "tdpayload: result pass\n");
    assert_int_equal(c.lines, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
