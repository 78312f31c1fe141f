/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* SHA-384 (one-shot, streaming), extend through the op, the register model, the MR table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ref.h"
#include "tdshim/rtmr.h"

static void check_hex(const uint8_t *d, const char *hex)
{
    uint8_t want[48];
    assert_true(ref_unhex(hex, want, 48));
    assert_memory_equal(d, want, 48);
}

static void test_sha384_kat(void **state)
{
    (void)state;
    rtmr_digest d;
    assert_int_equal(rtmr_sha384(tds_bytes_make(NULL, 0), &d), TDS_OK);
    check_hex(d.b, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
                   "274edebfe76f65fbd51ad2f14898b95b");
    assert_int_equal(rtmr_sha384(tds_bytes_make("abc", 3), &d), TDS_OK);
    check_hex(d.b, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                   "8086072ba1e7cc2358baeca134c825a7");
    static const char two_blocks[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    assert_int_equal(rtmr_sha384(tds_bytes_make(two_blocks, strlen(two_blocks)), &d), TDS_OK);
    check_hex(d.b, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
                   "fcc7c71a557e2db966c3e9fa91746039");
    /* the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND; TCG PFP log replay known answer:
     * the 4-byte separator 00000000. */
    static const uint8_t sep[4] = {0};
    assert_int_equal(rtmr_sha384(tds_bytes_make(sep, 4), &d), TDS_OK);
    check_hex(d.b, "394341b7182cd227c5c6b07ef8000cdfd86136c4292b8e576573ad7ed9ae4101"
                   "9f5818b4b971c9effc60e1ad9f1289f0");
}

/* The test's own SHA-384 (ref.c) against published answers, and against mbedTLS at every length
 * around the padding boundaries (111/112 and 239/240 bytes). */
static void test_reference_sha384(void **state)
{
    (void)state;
    uint8_t d[48];
    ref_sha384("", 0, d);
    check_hex(d, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
                 "274edebfe76f65fbd51ad2f14898b95b");
    ref_sha384("abc", 3, d);
    check_hex(d, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
                 "8086072ba1e7cc2358baeca134c825a7");
    static const char two_blocks[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    ref_sha384(two_blocks, strlen(two_blocks), d);
    check_hex(d, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
                 "fcc7c71a557e2db966c3e9fa91746039");
    uint8_t msg[300];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(i * 11 + 5);
    }
    for (size_t len = 0; len <= sizeof msg; len++) {
        rtmr_digest m;
        ref_sha384(msg, len, d);
        assert_int_equal(rtmr_sha384(tds_bytes_make(msg, len), &m), TDS_OK);
        assert_memory_equal(m.b, d, 48);
    }
}

static void test_sha384_streaming_every_split(void **state)
{
    (void)state;
    uint8_t msg[300];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)(i * 7 + 3);
    }
    uint8_t want[48];
    ref_sha384(msg, sizeof msg, want);
    for (size_t split = 0; split <= sizeof msg; split++) {
        rtmr_sha384_ctx ctx;
        rtmr_digest d;
        assert_int_equal(rtmr_sha384_init(&ctx), TDS_OK);
        assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make(msg, split)), TDS_OK);
        assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make(msg + split, sizeof msg - split)),
                         TDS_OK);
        assert_int_equal(rtmr_sha384_final(&ctx, &d), TDS_OK);
        assert_memory_equal(d.b, want, 48);
    }
    /* Byte by byte. */
    rtmr_sha384_ctx ctx;
    rtmr_digest d;
    assert_int_equal(rtmr_sha384_init(&ctx), TDS_OK);
    for (size_t i = 0; i < sizeof msg; i++) {
        assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make(msg + i, 1)), TDS_OK);
    }
    assert_int_equal(rtmr_sha384_final(&ctx, &d), TDS_OK);
    assert_memory_equal(d.b, want, 48);
}

static void test_sha384_states(void **state)
{
    (void)state;
    rtmr_sha384_ctx ctx;
    rtmr_digest d;
    memset(&d, 0xAB, sizeof d);
    assert_int_equal(rtmr_sha384_init(&ctx), TDS_OK);
    assert_int_equal(rtmr_sha384_final(&ctx, &d), TDS_OK);
    /* Spent: further use is a state error and does not touch the output. */
    rtmr_digest d2;
    memset(&d2, 0x5A, sizeof d2);
    assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make("x", 1)), TDS_ERR_STATE);
    assert_int_equal(rtmr_sha384_final(&ctx, &d2), TDS_ERR_STATE);
    assert_int_equal(d2.b[0], 0x5A);
    /* A slice with len > 0 and NULL ptr is refused. */
    assert_int_equal(rtmr_sha384_init(&ctx), TDS_OK);
    assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make(NULL, 4)), TDS_ERR_INVALID_ARG);
    assert_int_equal(rtmr_sha384_final(&ctx, &d2), TDS_OK);
    assert_int_equal(rtmr_sha384_init(NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rtmr_sha384(tds_bytes_make(NULL, 1), &d2), TDS_ERR_INVALID_ARG);
}

static void test_extend_op_and_bank(void **state)
{
    (void)state;
    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    rtmr_digest sep;
    static const uint8_t zero4[4] = {0};
    assert_int_equal(rtmr_sha384(tds_bytes_make(zero4, 4), &sep), TDS_OK);
    assert_int_equal(rtmr_extend(&ops, RTMR_REG(2), &sep), TDS_OK);
    assert_int_equal(c.calls, 1);
    assert_false(c.misaligned_seen);
    assert_false(c.pad_nonzero_seen);
    /* the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND; TCG PFP log replay known answer:
     * zero register extended once with the separator digest. */
    check_hex(c.bank.r[2].b, "518923b0f955d08da077c96aaba522b9decede61c599cea6c41889cfbea4ae4d"
                             "50529d96fe4d1afdafb65e7f95bf23c4");
    static const uint8_t zero48[48] = {0};
    assert_memory_equal(c.bank.r[0].b, zero48, 48);
    /* Our bank model agrees with the independent one. */
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    rtmr_extend_ops bops = rtmr_bank_ops(&bank);
    assert_int_equal(rtmr_extend(&bops, RTMR_REG(2), &sep), TDS_OK);
    assert_int_equal(rtmr_extend(&bops, RTMR_REG(2), &sep), TDS_OK);
    assert_int_equal(rtmr_extend(&ops, RTMR_REG(2), &sep), TDS_OK);
    assert_memory_equal(bank.r[2].b, c.bank.r[2].b, 48);
    /* Bad register index never reaches the op. */
    assert_int_equal(rtmr_extend(&ops, RTMR_REG(4), &sep), TDS_ERR_INVALID_ARG);
    assert_int_equal(c.calls, 2);
    assert_int_equal(rtmr_bank_extend(&bank, RTMR_REG(4), &sep), TDS_ERR_INVALID_ARG);
    rtmr_extend_ops none = {NULL, NULL};
    assert_int_equal(rtmr_extend(&none, RTMR_REG(0), &sep), TDS_ERR_INVALID_ARG);
    /* An op error is passed through unchanged. */
    c.fail_at = 3;
    c.fail_status = TDS_ERR_BUSY;
    assert_int_equal(rtmr_extend(&ops, RTMR_REG(0), &sep), TDS_ERR_BUSY);
}

static void test_mr_table(void **state)
{
    (void)state;
    /* UEFI 2.10 EFI_CC_MEASUREMENT_PROTOCOL, TDX MR index mapping: PCR 0 -> MRTD; 1,7 ->
     * RTMR0; 2..6 -> RTMR1; 8..15 -> RTMR2. */
    static const uint32_t want[16] = {0, 1, 2, 2, 2, 2, 2, 1, 3, 3, 3, 3, 3, 3, 3, 3};
    for (uint32_t pcr = 0; pcr < 16; pcr++) {
        rtmr_mr_index mr = RTMR_MR(99);
        assert_int_equal(rtmr_mr_from_pcr(pcr, &mr), TDS_OK);
        assert_int_equal(mr.value, want[pcr]);
    }
    rtmr_mr_index mr = RTMR_MR(99);
    assert_int_equal(rtmr_mr_from_pcr(16, &mr), TDS_ERR_INVALID_ARG);
    assert_int_equal(rtmr_mr_from_pcr(UINT32_MAX, &mr), TDS_ERR_INVALID_ARG);
    assert_int_equal(mr.value, 99);
    rtmr_reg_index r = RTMR_REG(99);
    assert_int_equal(rtmr_mr_to_rtmr(RTMR_MR(RTMR_MR_MRTD), &r), TDS_ERR_INVALID_ARG);
    assert_int_equal(r.value, 99);
    for (uint32_t i = 1; i <= 4; i++) {
        assert_int_equal(rtmr_mr_to_rtmr(RTMR_MR(i), &r), TDS_OK);
        assert_int_equal(r.value, i - 1);
        assert_int_equal(rtmr_mr_lookup(RTMR_MR(i))->mr_index.value, i);
        assert_int_equal(rtmr_mr_lookup(RTMR_MR(i))->rtmr.value, i - 1);
    }
    assert_int_equal(rtmr_mr_to_rtmr(RTMR_MR(5), &r), TDS_ERR_INVALID_ARG);
    assert_string_equal(rtmr_mr_lookup(RTMR_MR(RTMR_MR_MRTD))->name, "MRTD");
    assert_string_equal(rtmr_mr_lookup(RTMR_MR(RTMR_MR_RTMR3))->name, "RTMR3");
    assert_int_equal(rtmr_mr_lookup(RTMR_MR(4))->pcr_mask, 0);
    assert_null(rtmr_mr_lookup(RTMR_MR(5)));
    assert_int_equal(rtmr_api_version(), RTMR_API_VERSION);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha384_kat),
        cmocka_unit_test(test_reference_sha384),
        cmocka_unit_test(test_sha384_streaming_every_split),
        cmocka_unit_test(test_sha384_states),
        cmocka_unit_test(test_extend_op_and_bank),
        cmocka_unit_test(test_mr_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
