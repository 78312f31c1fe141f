/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * liblinux setup-header parser: a hand-made modern header accepted with every value read back,
 * and every refusal with a hostile header of its own (reason, status, file offset, and an out
 * struct left untouched). Every strict prefix of the setup bytes is refused.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "tdshim/linux_boot.h"

static uint8_t g_setup[FX_SETUP_MAX];

static tds_status parse_k(const fx_kernel *k, uint64_t ksize, lnx_header *h, lnx_error *e)
{
    size_t len = fx_setup(k, g_setup);
    return lnx_parse_header(tds_bytes_make(g_setup, len), ksize, h, e);
}

static void expect_refused_bytes(size_t len, uint64_t ksize, lnx_reason reason, tds_status st,
                                 uint64_t off)
{
    lnx_header h;
    memset(&h, 0x5a, sizeof h);
    lnx_error e = {LNX_R_NONE, 0};
    tds_status s = lnx_parse_header(tds_bytes_make(g_setup, len), ksize, &h, &e);
    if (e.reason != reason) {
        fail_msg("reason %s, expected %s", lnx_reason_str(e.reason), lnx_reason_str(reason));
    }
    assert_int_equal(s, st);
    assert_int_equal(lnx_reason_status(reason), st);
    assert_int_equal(e.offset, off);
    assert_int_equal(h.version, 0x5a5a); /* out not written */
    assert_int_equal(h.init_size, 0x5a5a5a5a);
}

static void expect_refused(const fx_kernel *k, uint64_t ksize, lnx_reason reason, tds_status st,
                           uint64_t off)
{
    size_t len = fx_setup(k, g_setup);
    expect_refused_bytes(len, ksize, reason, st, off);
}

/* ---- accepted ------------------------------------------------------------------------ */

static void test_default_header(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h;
    lnx_error e;
    assert_int_equal(parse_k(&k, FX_KERNEL_SIZE, &h, &e), TDS_OK);
    assert_int_equal(e.reason, LNX_R_NONE);
    assert_int_equal(e.offset, 0);
    assert_int_equal(h.version, 0x020F);
    assert_int_equal(h.setup_sects, 27);
    assert_int_equal(h.setup_size, 28 * 512);
    assert_int_equal(h.hdr_end, 0x26C);
    assert_int_equal(h.loadflags, 0x01);
    assert_int_equal(h.xloadflags, 0x0003);
    assert_true(h.relocatable);
    assert_int_equal(h.min_alignment, 21);
    assert_int_equal(h.kernel_alignment, 0x200000);
    assert_int_equal(h.pref_address, 0x1000000);
    assert_int_equal(h.init_size, 0x3000000);
    assert_int_equal(h.cmdline_size, 0x7FF);
    assert_int_equal(h.initrd_addr_max, 0x7FFFFFFF);
    assert_int_equal(h.syssize, FX_KERNEL_SIZE / 16);
    assert_int_equal(h.kernel_size, FX_KERNEL_SIZE);
    /* The copy: exactly the bytes [0x1F1, 0x26C), zero after. */
    assert_memory_equal(h.raw, g_setup + 0x1F1, 0x26C - 0x1F1);
    for (size_t i = 0x26C - 0x1F1; i < sizeof h.raw; i++) {
        assert_int_equal(h.raw[i], 0);
    }
}

/* Values of a real Debian 6.1 x86-64 bzImage header (protocol 2.15), typed from its bytes. */
static void test_distro_values(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.setup_sects_byte = 39;
    k.syssize = 0x7d820;
    k.init_size = 0x3f98000;
    k.xloadflags = 0x7f;
    lnx_header h;
    lnx_error e;
    /* A signed image carries its signature after syssize * 16 bytes: longer is fine. */
    assert_int_equal(parse_k(&k, 8226752, &h, &e), TDS_OK);
    assert_int_equal(h.setup_size, 20480);
    assert_int_equal(h.kernel_size, 8226752);
}

static void test_setup_sects_zero_means_four(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.setup_sects_byte = 0;
    lnx_header h;
    lnx_error e;
    size_t len = fx_setup(&k, g_setup);
    assert_int_equal(len, 5 * 512);
    assert_int_equal(lnx_parse_header(tds_bytes_make(g_setup, len), FX_KERNEL_SIZE, &h, &e),
                     TDS_OK);
    assert_int_equal(h.setup_sects, 4);
    assert_int_equal(h.setup_size, 2560);
}

/* Protocol 2.12 (the oldest accepted) with the shortest header that holds init_size. */
static void test_oldest_protocol_shortest_header(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.version = 0x020C;
    k.jump_len = 0x62; /* ends at 0x264 */
    lnx_header h;
    lnx_error e;
    assert_int_equal(parse_k(&k, FX_KERNEL_SIZE, &h, &e), TDS_OK);
    assert_int_equal(h.hdr_end, 0x264);
    assert_int_equal(h.raw[0x264 - 0x1F1], 0); /* not copied past the header */
}

static void test_longest_header(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.jump_len = 0x8E; /* ends at 0x290, where edd_mbr_sig_buffer starts */
    lnx_header h;
    lnx_error e;
    assert_int_equal(parse_k(&k, FX_KERNEL_SIZE, &h, &e), TDS_OK);
    assert_int_equal(h.hdr_end, 0x290);
    assert_memory_equal(h.raw, g_setup + 0x1F1, 0x290 - 0x1F1);
}

static void test_not_relocatable(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.relocatable = 0;
    k.min_alignment = 0;
    lnx_header h;
    lnx_error e;
    assert_int_equal(parse_k(&k, FX_KERNEL_SIZE, &h, &e), TDS_OK);
    assert_false(h.relocatable);
    assert_int_equal(h.min_alignment, 0);
}

/* Kernel of exactly init_size, and the smallest kernel holding the entry (0x201 bytes). */
static void test_kernel_size_bounds(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h;
    lnx_error e;
    assert_int_equal(parse_k(&k, 0x3000000, &h, &e), TDS_OK);
    k.syssize = 0x20;
    assert_int_equal(parse_k(&k, 0x201, &h, &e), TDS_OK);
}

/* pref_address whose window ends exactly at 2^64. */
static void test_pref_at_top(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.pref_address = 0xFFFFFFFFFD000000ull;
    lnx_header h;
    lnx_error e;
    assert_int_equal(parse_k(&k, FX_KERNEL_SIZE, &h, &e), TDS_OK);
    assert_int_equal(h.pref_address, 0xFFFFFFFFFD000000ull);
}

/* ---- refused ------------------------------------------------------------------------- */

static void test_bad_boot_flag(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.boot_flag = 0x55AA;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_BOOT_FLAG, TDS_ERR_MALFORMED, 0x1FE);
}

static void test_bad_magic(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.magic = 0x53726449; /* "IdrS" */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_MAGIC, TDS_ERR_UNSUPPORTED, 0x202);
}

static void test_old_protocol(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.version = 0x020B; /* 2.11: no xloadflags */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_VERSION, TDS_ERR_UNSUPPORTED, 0x206);
    k.version = 0x0200;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_VERSION, TDS_ERR_UNSUPPORTED, 0x206);
    assert_string_equal(lnx_reason_str(LNX_R_VERSION), "version");
    assert_non_null(strstr(lnx_reason_text(LNX_R_VERSION), "2.12"));
}

static void test_no_short_jump(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.jump_op = 0xE9;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_HDR_JUMP, TDS_ERR_MALFORMED, 0x200);
}

static void test_header_too_short(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.jump_len = 0x61; /* 0x263: init_size cut */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_HDR_LENGTH, TDS_ERR_MALFORMED, 0x201);
}

static void test_header_too_long(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.jump_len = 0x8F; /* 0x291: into edd_mbr_sig_buffer */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_HDR_LENGTH, TDS_ERR_MALFORMED, 0x201);
    k.jump_len = 0xFF; /* signed -1 as an offset: still "past 0x290" read as unsigned */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_HDR_LENGTH, TDS_ERR_MALFORMED, 0x201);
}

/* setup_sects says more sectors than the VMM gave (and fewer). */
static void test_setup_sects_beyond_bytes(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    size_t len = fx_setup(&k, g_setup); /* 28 sectors */
    expect_refused_bytes(len - 512, FX_KERNEL_SIZE, LNX_R_SETUP_SECTS, TDS_ERR_MALFORMED, 0x1F1);
    g_setup[0x1F1] = 26; /* says 27 sectors, 28 given */
    expect_refused_bytes(len, FX_KERNEL_SIZE, LNX_R_SETUP_SECTS, TDS_ERR_MALFORMED, 0x1F1);
    g_setup[0x1F1] = 255;
    expect_refused_bytes(len, FX_KERNEL_SIZE, LNX_R_SETUP_SECTS, TDS_ERR_MALFORMED, 0x1F1);
}

static void test_not_bzimage(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.loadflags = 0x80; /* CAN_USE_HEAP only */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_NOT_BZIMAGE, TDS_ERR_UNSUPPORTED, 0x211);
}

static void test_no_xlf_kernel_64(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.xloadflags = 0x0002;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_NO_KERNEL_64, TDS_ERR_UNSUPPORTED, 0x236);
}

static void test_kernel_alignment_bad(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.min_alignment = 0;
    k.kernel_alignment = 0x300000; /* not a power of two */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_KERNEL_ALIGNMENT, TDS_ERR_MALFORMED, 0x230);
    k.kernel_alignment = 0;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_KERNEL_ALIGNMENT, TDS_ERR_MALFORMED, 0x230);
    k.kernel_alignment = 0x800; /* below a page */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_KERNEL_ALIGNMENT, TDS_ERR_MALFORMED, 0x230);
    k.kernel_alignment = 0x80000000u; /* 2 GiB */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_KERNEL_ALIGNMENT, TDS_ERR_MALFORMED, 0x230);
}

static void test_min_alignment_bad(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.min_alignment = 22; /* 4 MiB > kernel_alignment 2 MiB */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_MIN_ALIGNMENT, TDS_ERR_MALFORMED, 0x235);
    k.min_alignment = 64; /* a shift that would be undefined */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_MIN_ALIGNMENT, TDS_ERR_MALFORMED, 0x235);
}

static void test_pref_address_bad(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.pref_address = 0x1001000; /* not 2 MiB aligned */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_PREF_ADDRESS, TDS_ERR_MALFORMED, 0x258);
    k.pref_address = 0xFFFFFFFFFFE00000ull; /* + 48 MiB wraps past 2^64 */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_PREF_ADDRESS, TDS_ERR_MALFORMED, 0x258);
}

static void test_init_size_zero(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.init_size = 0;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_INIT_SIZE, TDS_ERR_MALFORMED, 0x260);
}

static void test_kernel_too_small(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.syssize = 0;
    expect_refused(&k, 0x200, LNX_R_KERNEL_TOO_SMALL, TDS_ERR_TRUNCATED, 28 * 512 + 0x200);
    expect_refused(&k, 0, LNX_R_KERNEL_TOO_SMALL, TDS_ERR_TRUNCATED, 28 * 512 + 0x200);
}

static void test_kernel_truncated(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    expect_refused(&k, FX_KERNEL_SIZE - 1, LNX_R_KERNEL_TRUNCATED, TDS_ERR_TRUNCATED, 0x1F4);
    k.syssize = 0xFFFFFFFFu; /* 64 GiB of paragraphs: no 32-bit overflow in the check */
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_KERNEL_TRUNCATED, TDS_ERR_TRUNCATED, 0x1F4);
}

static void test_init_size_smaller_than_kernel(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.init_size = (uint32_t)FX_KERNEL_SIZE - 1;
    expect_refused(&k, FX_KERNEL_SIZE, LNX_R_KERNEL_TOO_BIG, TDS_ERR_MALFORMED, 0x260);
    /* Hundreds of MiB of kernel bytes, larger than any init_size. */
    k = fx_default();
    expect_refused(&k, 0x100000000ull, LNX_R_KERNEL_TOO_BIG, TDS_ERR_MALFORMED, 0x260);
}

/* Every strict prefix of the setup bytes is refused (truncated or setup_sects). */
static void test_every_prefix(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    size_t len = fx_setup(&k, g_setup);
    for (size_t n = 0; n < len; n++) {
        lnx_header h;
        lnx_error e;
        tds_status s = lnx_parse_header(tds_bytes_make(g_setup, n), FX_KERNEL_SIZE, &h, &e);
        assert_int_not_equal(s, TDS_OK);
        if (n < 0x26C) {
            assert_int_equal(e.reason, LNX_R_SETUP_TRUNCATED);
            assert_int_equal(e.offset, n);
        } else {
            assert_int_equal(e.reason, LNX_R_SETUP_SECTS);
        }
    }
}

static void test_bad_args(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    size_t len = fx_setup(&k, g_setup);
    lnx_header h;
    lnx_error e;
    assert_int_equal(lnx_parse_header(tds_bytes_make(g_setup, len), FX_KERNEL_SIZE, &h, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(lnx_parse_header(tds_bytes_make(g_setup, len), FX_KERNEL_SIZE, NULL, &e),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LNX_R_BAD_ARG);
    assert_int_equal(lnx_parse_header(tds_bytes_make(NULL, 5), FX_KERNEL_SIZE, &h, &e),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LNX_R_BAD_ARG);
}

/* ---- split ---------------------------------------------------------------------------- */

#define SETUP_BYTES ((size_t)28 * 512)

static uint8_t g_file[SETUP_BYTES + 0x1000];

static void test_split(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    size_t len = fx_setup(&k, g_file);
    for (size_t i = len; i < sizeof g_file; i++) {
        g_file[i] = (uint8_t)i;
    }
    tds_bytes s, kb;
    lnx_error e;
    assert_int_equal(lnx_split_bzimage(tds_bytes_make(g_file, sizeof g_file), &s, &kb, &e), TDS_OK);
    assert_ptr_equal(s.ptr, g_file);
    assert_int_equal(s.len, SETUP_BYTES);
    assert_ptr_equal(kb.ptr, g_file + SETUP_BYTES);
    assert_int_equal(kb.len, 0x1000);
    /* The file ends with the setup: no kernel. */
    memset(&s, 0, sizeof s);
    assert_int_equal(lnx_split_bzimage(tds_bytes_make(g_file, SETUP_BYTES), &s, &kb, &e),
                     TDS_ERR_TRUNCATED);
    assert_int_equal(e.reason, LNX_R_KERNEL_TOO_SMALL);
    assert_int_equal(e.offset, SETUP_BYTES);
    assert_null(s.ptr);
    /* The file ends inside the setup sectors, or before setup_sects. */
    assert_int_equal(lnx_split_bzimage(tds_bytes_make(g_file, SETUP_BYTES - 1), &s, &kb, &e),
                     TDS_ERR_TRUNCATED);
    assert_int_equal(e.reason, LNX_R_SETUP_TRUNCATED);
    assert_int_equal(e.offset, SETUP_BYTES - 1);
    assert_int_equal(lnx_split_bzimage(tds_bytes_make(g_file, 0x1F1), &s, &kb, &e),
                     TDS_ERR_TRUNCATED);
    assert_int_equal(e.reason, LNX_R_SETUP_TRUNCATED);
    assert_int_equal(e.offset, 0x1F1);
}

/* ---- reasons -------------------------------------------------------------------------- */

static void test_reason_table(void **state)
{
    (void)state;
    assert_int_equal(lnx_reason_status(LNX_R_NONE), TDS_OK);
    for (int r = 1; r < (int)LNX_R_COUNT_; r++) {
        const char *name = lnx_reason_str((lnx_reason)r);
        assert_string_not_equal(name, "unknown");
        assert_string_not_equal(lnx_reason_text((lnx_reason)r), "unknown reason");
        assert_int_not_equal(lnx_reason_status((lnx_reason)r), TDS_OK);
        for (int q = 1; q < r; q++) {
            assert_string_not_equal(name, lnx_reason_str((lnx_reason)q));
        }
    }
    assert_string_equal(lnx_reason_str(LNX_R_COUNT_), "unknown");
    assert_int_equal(lnx_reason_status(LNX_R_COUNT_), TDS_ERR_INVALID_ARG);
}

/* The measured form zeroes exactly the loader-owned fields (offsets from boot.rst's table, not
 * from the library's macros) and keeps every other byte; short setups are refused untouched. */
static void test_measured_form(void **state)
{
    (void)state;
    static uint8_t a[0x400];
    static uint8_t b[0x400];
    for (size_t i = 0; i < sizeof a; i++) {
        a[i] = (uint8_t)(0x80u | (i * 7u));
    }
    memcpy(b, a, sizeof b);
    lnx_error e;
    assert_int_equal(lnx_measured_form(tds_mut_bytes_make(b, sizeof b), &e), TDS_OK);
    assert_int_equal(e.reason, LNX_R_NONE);
    static const struct {
        size_t off, len;
    } zeroed[] = {{0x1FA, 2}, {0x210, 2}, {0x214, 4}, {0x218, 4}, {0x21C, 4},
                  {0x224, 2}, {0x226, 1}, {0x227, 1}, {0x228, 4}, {0x250, 8}};
    size_t n_zero = 0;
    for (size_t i = 0; i < sizeof a; i++) {
        bool z = false;
        for (size_t k = 0; k < sizeof zeroed / sizeof zeroed[0]; k++) {
            z = z || (i >= zeroed[k].off && i < zeroed[k].off + zeroed[k].len);
        }
        if (z) {
            assert_int_equal(b[i], 0);
            n_zero++;
        } else {
            assert_int_equal(b[i], a[i]);
        }
    }
    assert_int_equal(n_zero, 32);
    /* Too short for setup_data (0x250 + 8): refused, nothing written. */
    memcpy(b, a, sizeof b);
    assert_int_equal(lnx_measured_form(tds_mut_bytes_make(b, 0x257), &e), TDS_ERR_TRUNCATED);
    assert_int_equal(e.reason, LNX_R_SETUP_TRUNCATED);
    assert_int_equal(e.offset, 0x257);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(lnx_measured_form(tds_mut_bytes_make(b, 0x258), &e), TDS_OK);
    assert_int_equal(lnx_measured_form(tds_mut_bytes_make(NULL, 8), &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LNX_R_BAD_ARG);
    assert_int_equal(lnx_measured_form(tds_mut_bytes_make(b, 0x400), NULL), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_header),
        cmocka_unit_test(test_distro_values),
        cmocka_unit_test(test_setup_sects_zero_means_four),
        cmocka_unit_test(test_oldest_protocol_shortest_header),
        cmocka_unit_test(test_longest_header),
        cmocka_unit_test(test_not_relocatable),
        cmocka_unit_test(test_kernel_size_bounds),
        cmocka_unit_test(test_pref_at_top),
        cmocka_unit_test(test_bad_boot_flag),
        cmocka_unit_test(test_bad_magic),
        cmocka_unit_test(test_old_protocol),
        cmocka_unit_test(test_no_short_jump),
        cmocka_unit_test(test_header_too_short),
        cmocka_unit_test(test_header_too_long),
        cmocka_unit_test(test_setup_sects_beyond_bytes),
        cmocka_unit_test(test_not_bzimage),
        cmocka_unit_test(test_no_xlf_kernel_64),
        cmocka_unit_test(test_kernel_alignment_bad),
        cmocka_unit_test(test_min_alignment_bad),
        cmocka_unit_test(test_pref_address_bad),
        cmocka_unit_test(test_init_size_zero),
        cmocka_unit_test(test_kernel_too_small),
        cmocka_unit_test(test_kernel_truncated),
        cmocka_unit_test(test_init_size_smaller_than_kernel),
        cmocka_unit_test(test_every_prefix),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_measured_form),
        cmocka_unit_test(test_reason_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
