/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * liblinux's region helpers (linux_boot.h section 6): a bzImage recognised and sized from the
 * first bytes of a VMM-placed region (the signatures, setup_sects 0, syssize, a signed kernel's
 * Authenticode table, past the region), and the command line copied out of a PayloadParam
 * section (up to its first NUL, never past the section or the copy limit).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "tdshim/endian.h"
#include "tdshim/linux_boot.h"

static uint8_t g_setup[FX_SETUP_MAX];

static tds_bytes head_of(const fx_kernel *k)
{
    (void)fx_setup(k, g_setup);
    return tds_bytes_make(g_setup, LNX_REGION_HEAD);
}

static void expect_fail(tds_bytes head, uint64_t region, lnx_reason reason, uint64_t off)
{
    uint32_t setup = 7;
    uint64_t kernel = 7;
    lnx_error e = {LNX_R_NONE, 0};
    assert_int_equal(lnx_region_kernel(head, region, &setup, &kernel, &e),
                     lnx_reason_status(reason));
    assert_int_equal(e.reason, reason);
    assert_int_equal(e.offset, off);
    assert_int_equal(setup, 7); /* untouched */
    assert_int_equal(kernel, 7);
}

static void test_sizes(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    const tds_bytes head = head_of(&k);
    const uint32_t want_setup = ((k.setup_sects_byte == 0 ? 4u : k.setup_sects_byte) + 1u) * 512u;
    uint32_t setup = 0;
    uint64_t kernel = 0;
    lnx_error e;
    assert_int_equal(lnx_region_kernel(head, want_setup + FX_KERNEL_SIZE, &setup, &kernel, &e),
                     TDS_OK);
    assert_int_equal(setup, want_setup);
    assert_int_equal(kernel, (uint64_t)k.syssize * 16u);
    /* One byte short of the region: refused with the total. */
    expect_fail(head, want_setup + FX_KERNEL_SIZE - 1u, LNX_R_PAST_REGION,
                want_setup + FX_KERNEL_SIZE);
    /* setup_sects 0 means 4. */
    k.setup_sects_byte = 0;
    const tds_bytes h0 = head_of(&k);
    assert_int_equal(lnx_region_kernel(h0, UINT64_MAX, &setup, &kernel, &e), TDS_OK);
    assert_int_equal(setup, 5u * 512u);
    /* The largest syssize cannot wrap. */
    tds_store_le32(g_setup + LNX_OFF_SYSSIZE, UINT32_MAX);
    expect_fail(h0, 0x1000000, LNX_R_PAST_REGION, (uint64_t)5u * 512u + (uint64_t)UINT32_MAX * 16u);
    tds_store_le32(g_setup + LNX_OFF_SYSSIZE, 0);
    expect_fail(h0, UINT64_MAX, LNX_R_KERNEL_TOO_SMALL, LNX_OFF_SYSSIZE);
}

static void test_not_a_bzimage(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    tds_bytes head = head_of(&k);
    g_setup[LNX_OFF_BOOT_FLAG] = 0;
    expect_fail(head, UINT64_MAX, LNX_R_BOOT_FLAG, LNX_OFF_BOOT_FLAG);
    head = head_of(&k);
    g_setup[LNX_OFF_HEADER] = 'h';
    expect_fail(head, UINT64_MAX, LNX_R_MAGIC, LNX_OFF_HEADER);
    /* An ELF file's first bytes. */
    static uint8_t elf[LNX_REGION_HEAD] = {0x7f, 'E', 'L', 'F'};
    expect_fail(tds_bytes_make(elf, sizeof elf), UINT64_MAX, LNX_R_BOOT_FLAG, LNX_OFF_BOOT_FLAG);
    expect_fail(tds_bytes_make(elf, LNX_REGION_HEAD - 1u), UINT64_MAX, LNX_R_SETUP_TRUNCATED,
                LNX_REGION_HEAD - 1u);
    uint32_t s = 0;
    uint64_t kk = 0;
    lnx_error e;
    assert_int_equal(lnx_region_kernel(tds_bytes_make(elf, sizeof elf), 1, NULL, &kk, &e),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(lnx_region_kernel(tds_bytes_make(elf, sizeof elf), 1, &s, &kk, NULL),
                     TDS_ERR_INVALID_ARG);
}

/* A PE32+ header at 0x40 whose Certificate Table is (off, size). */
static void put_pe(uint32_t off, uint32_t size, uint16_t magic, uint32_t ndirs)
{
    g_setup[0] = 'M';
    g_setup[1] = 'Z';
    tds_store_le32(g_setup + 0x3C, 0x40);
    static const uint8_t pe_sig[4] = {'P', 'E', 0, 0};
    memcpy(g_setup + 0x40, pe_sig, sizeof pe_sig);
    tds_store_le16(g_setup + 0x40 + 24, magic);
    tds_store_le32(g_setup + 0x40 + 24 + 108, ndirs);
    tds_store_le32(g_setup + 0x40 + 24 + 112 + 32, off);
    tds_store_le32(g_setup + 0x40 + 24 + 112 + 36, size);
}

static void test_signed(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    const tds_bytes head = head_of(&k);
    const uint64_t setup_sz =
        (uint64_t)((k.setup_sects_byte == 0 ? 4u : k.setup_sects_byte) + 1u) * 512u;
    const uint64_t end = setup_sz + (uint64_t)k.syssize * 16u;
    uint32_t setup = 0;
    uint64_t kernel = 0;
    lnx_error e;
    put_pe((uint32_t)end, 0x5C0, 0x20B, 6);
    assert_int_equal(lnx_region_kernel(head, end + 0x5C0, &setup, &kernel, &e), TDS_OK);
    assert_int_equal(kernel, end + 0x5C0 - setup_sz);
    expect_fail(head, end + 0x5BF, LNX_R_PAST_REGION, end + 0x5C0);
    /* Not right after the kernel, empty, PE32, too few directories, bad signature: ignored. */
    const struct {
        uint32_t off, size;
        uint16_t magic;
        uint32_t ndirs;
    } ignored[] = {{(uint32_t)end + 8u, 0x5C0, 0x20B, 6},
                   {(uint32_t)end, 0, 0x20B, 6},
                   {(uint32_t)end, 0x5C0, 0x10B, 6},
                   {(uint32_t)end, 0x5C0, 0x20B, 4}};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        put_pe(ignored[i].off, ignored[i].size, ignored[i].magic, ignored[i].ndirs);
        assert_int_equal(lnx_region_kernel(head, end, &setup, &kernel, &e), TDS_OK);
        assert_int_equal(kernel, end - setup_sz);
    }
    put_pe((uint32_t)end, 0x5C0, 0x20B, 6);
    g_setup[0x41] = 'Q';
    assert_int_equal(lnx_region_kernel(head, end, &setup, &kernel, &e), TDS_OK);
    /* e_lfanew pointing past the head. */
    put_pe((uint32_t)end, 0x5C0, 0x20B, 6);
    tds_store_le32(g_setup + 0x3C, 0xFFFFFFFFu);
    assert_int_equal(lnx_region_kernel(head, end, &setup, &kernel, &e), TDS_OK);
    assert_int_equal(kernel, end - setup_sz);
}

static void test_cmdline(void **state)
{
    (void)state;
    uint8_t dst[16];
    size_t len = 99;
    lnx_error e;
    static const char s1[] = "console=ttyS0\0garbage";
    assert_int_equal(
        lnx_region_cmdline(tds_bytes_make(s1, sizeof s1), tds_mut_bytes_make(dst, 16), &len, &e),
        TDS_OK);
    assert_int_equal(len, 14);
    assert_string_equal((const char *)dst, "console=ttyS0");
    /* Just the NUL: the empty command line. */
    assert_int_equal(
        lnx_region_cmdline(tds_bytes_make("", 1), tds_mut_bytes_make(dst, 16), &len, &e), TDS_OK);
    assert_int_equal(len, 1);
    /* No NUL in the section, and a NUL only past the copy limit. */
    static const char nonul[4] = {'a', 'b', 'c', 'd'};
    len = 99;
    assert_int_equal(
        lnx_region_cmdline(tds_bytes_make(nonul, 4), tds_mut_bytes_make(dst, 16), &len, &e),
        TDS_ERR_MALFORMED);
    assert_int_equal(e.reason, LNX_R_PARAM_NO_NUL);
    assert_int_equal(e.offset, 4);
    assert_int_equal(len, 99);
    static const char late[] = "0123456789abcdefXYZ";
    assert_int_equal(lnx_region_cmdline(tds_bytes_make(late, sizeof late),
                                        tds_mut_bytes_make(dst, 16), &len, &e),
                     TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 16);
    assert_int_equal(
        lnx_region_cmdline(tds_bytes_make(late, 0), tds_mut_bytes_make(dst, 16), &len, &e),
        TDS_ERR_MALFORMED);
    assert_int_equal(
        lnx_region_cmdline(tds_bytes_make(s1, sizeof s1), tds_mut_bytes_make(dst, 16), NULL, &e),
        TDS_ERR_INVALID_ARG);
    assert_int_equal(
        lnx_region_cmdline(tds_bytes_make(s1, sizeof s1), tds_mut_bytes_make(dst, 16), &len, NULL),
        TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_not_a_bzimage),
        cmocka_unit_test(test_signed),
        cmocka_unit_test(test_cmdline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
