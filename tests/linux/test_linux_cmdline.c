/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * liblinux command-line check: fw_cfg CMDLINE_DATA as QEMU sends it (the string and its NUL),
 * and every way it can be wrong: no NUL, a NUL inside, longer than the header's cmdline_size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "tdshim/linux_boot.h"

static uint8_t g_setup[FX_SETUP_MAX];

static lnx_header header_with_cmdline_size(uint32_t cmdline_size)
{
    fx_kernel k = fx_default();
    k.cmdline_size = cmdline_size;
    size_t len = fx_setup(&k, g_setup);
    lnx_header h;
    lnx_error e;
    assert_int_equal(lnx_parse_header(tds_bytes_make(g_setup, len), FX_KERNEL_SIZE, &h, &e),
                     TDS_OK);
    return h;
}

static void expect(const lnx_header *h, const void *bytes, size_t len, lnx_reason reason,
                   uint64_t off)
{
    lnx_error e = {LNX_R_BAD_ARG, 99};
    tds_status s = lnx_check_cmdline(h, tds_bytes_make(bytes, len), &e);
    if (e.reason != reason) {
        fail_msg("reason %s, expected %s", lnx_reason_str(e.reason), lnx_reason_str(reason));
    }
    assert_int_equal(s, lnx_reason_status(reason));
    assert_int_equal(e.offset, off);
}

static void test_valid(void **state)
{
    (void)state;
    lnx_header h = header_with_cmdline_size(0x7FF);
    static const char cl[] = "console=ttyS0 earlyprintk=serial root=/dev/vda1 rw";
    expect(&h, cl, sizeof cl, LNX_R_NONE, 0);
    /* No -append: QEMU sends just the NUL (CMDLINE_SIZE 1). */
    expect(&h, "", 1, LNX_R_NONE, 0);
}

static void test_no_nul(void **state)
{
    (void)state;
    lnx_header h = header_with_cmdline_size(0x7FF);
    expect(&h, "console=ttyS0", 13, LNX_R_CMDLINE_NO_NUL, 13);
    expect(&h, "", 0, LNX_R_CMDLINE_NO_NUL, 0); /* CMDLINE_SIZE 0 */
    assert_int_equal(lnx_reason_status(LNX_R_CMDLINE_NO_NUL), TDS_ERR_MALFORMED);
}

static void test_embedded_nul(void **state)
{
    (void)state;
    lnx_header h = header_with_cmdline_size(0x7FF);
    static const char cl[] = "quiet\0init=/bin/sh"; /* a second string the kernel would not see */
    expect(&h, cl, sizeof cl, LNX_R_CMDLINE_EMBEDDED_NUL, 5);
    expect(&h, "\0\0", 2, LNX_R_CMDLINE_EMBEDDED_NUL, 0);
    /* A NUL inside and none at the end. */
    expect(&h, "ab\0cd", 5, LNX_R_CMDLINE_EMBEDDED_NUL, 2);
}

static void test_too_long(void **state)
{
    (void)state;
    lnx_header h = header_with_cmdline_size(8);
    expect(&h, "12345678", 9, LNX_R_NONE, 0); /* exactly cmdline_size characters */
    expect(&h, "123456789", 10, LNX_R_CMDLINE_TOO_LONG, 8);
    assert_int_equal(lnx_reason_status(LNX_R_CMDLINE_TOO_LONG), TDS_ERR_UNSUPPORTED);
    /* cmdline_size 0: only the empty string. */
    lnx_header z = header_with_cmdline_size(0);
    expect(&z, "", 1, LNX_R_NONE, 0);
    expect(&z, "a", 2, LNX_R_CMDLINE_TOO_LONG, 0);
}

/* A command line of 1 MiB against the largest cmdline_size: long strings are linear, and fit. */
static uint8_t g_big[0x100001];

static void test_long_strings(void **state)
{
    (void)state;
    lnx_header h = header_with_cmdline_size(0x100000);
    memset(g_big, 'x', sizeof g_big - 1);
    g_big[sizeof g_big - 1] = 0;
    expect(&h, g_big, sizeof g_big, LNX_R_NONE, 0);
    h = header_with_cmdline_size(0xFFFFF);
    expect(&h, g_big, sizeof g_big, LNX_R_CMDLINE_TOO_LONG, 0xFFFFF);
}

static void test_bad_args(void **state)
{
    (void)state;
    lnx_header h = header_with_cmdline_size(0x7FF);
    lnx_error e;
    assert_int_equal(lnx_check_cmdline(&h, tds_bytes_make("", 1), NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(lnx_check_cmdline(NULL, tds_bytes_make("", 1), &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LNX_R_BAD_ARG);
    assert_int_equal(lnx_check_cmdline(&h, tds_bytes_make(NULL, 1), &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LNX_R_BAD_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),        cmocka_unit_test(test_no_nul),
        cmocka_unit_test(test_embedded_nul), cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_long_strings), cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
