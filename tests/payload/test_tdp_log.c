/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The event-log checks on a CC event log made as the shim makes it (librtmr's event helpers over
 * the software register bank rtmr_bank_ops, docs/handoff.md §3), the CCEL table, and hostile
 * variants: a wrong TDREPORT value, a wrong event order, a corrupted event, a short dump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tdp_fixture.h"
#include "tdp_log.h"
#include "tdshim/ccel_events.h"

static uint8_t g_area[TDP_LOG_AREA_SIZE];
static uint8_t g_hob[512];
static uint8_t g_image[8192];
static struct fx_capture g_cap;
static rtmr_bank g_bank;

enum order { ORDER_CONTRACT, ORDER_SEPARATORS_FIRST };

static void make_log(enum order o)
{
    for (size_t i = 0; i < sizeof g_hob; i++) {
        g_hob[i] = (uint8_t)(i * 7u);
    }
    for (size_t i = 0; i < sizeof g_image; i++) {
        g_image[i] = (uint8_t)(i ^ 0x5Au);
    }
    memset(&g_bank, 0, sizeof g_bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&g_bank);
    ccel_log log;
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(g_area, sizeof g_area),
                                   tds_bytes_make(CCEL_VENDOR_INFO_TDSHIM, 7)),
                     TDS_OK);
    assert_int_equal(ccel_event_td_hob(&log, &ops, tds_bytes_make(g_hob, sizeof g_hob)), TDS_OK);
    if (o == ORDER_SEPARATORS_FIRST) {
        assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    }
    assert_int_equal(ccel_event_payload(&log, &ops, tds_bytes_make(g_image, sizeof g_image),
                                        0xFFC00000, sizeof g_image),
                     TDS_OK);
    if (o == ORDER_CONTRACT) {
        assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    }
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_OK);
}

static tds_status check(size_t dump_max, tdp_log_result *r)
{
    const struct tdp_sink sink = fx_sink(&g_cap);
    return tdp_log_check(&sink, tds_bytes_make(g_area, sizeof g_area), &g_bank, dump_max, r);
}

static void hexline(char *out, size_t cap, const char *prefix, const uint8_t *b, size_t n,
                    const char *suffix)
{
    size_t k = (size_t)snprintf(out, cap, "%s", prefix);
    for (size_t i = 0; i < n && k + 3 < cap; i++) {
        k += (size_t)snprintf(out + k, cap - k, "%02x", b[i]);
    }
    (void)snprintf(out + k, cap - k, "%s", suffix);
}

static void test_good(void **state)
{
    (void)state;
    make_log(ORDER_CONTRACT);
    tdp_log_result r;
    assert_int_equal(check(TDP_LOG_AREA_SIZE, &r), TDS_OK);
    assert_int_equal(r.events, 4);
    /* Spec ID event 32 + 40 ("td-shim"), td_hob 66 + 16 + 4 + 512, payload 66 + 28, two
     * separators 66 + 4 each. */
    const size_t used = 72 + 598 + 94 + 70 + 70;
    assert_int_equal(r.used, used);
    assert_memory_equal(&r.replayed, &g_bank, sizeof g_bank);
    char want[256];
    (void)snprintf(want, sizeof want,
                   "tdpayload: eventlog events=4 used=0x%zx vendor=74642d7368696d ok", used);
    assert_true(fx_has_line(&g_cap, want));
    /* Event lines: number, MR, type, digest = SHA-384 of what was measured, data size. */
    rtmr_digest d;
    assert_int_equal(rtmr_sha384(tds_bytes_make(g_hob, sizeof g_hob), &d), TDS_OK);
    char line[512];
    hexline(line, sizeof line, "tdpayload: event 1 mr=1 type=0xa digest=", d.b, 48, " size=532");
    assert_true(fx_has_line(&g_cap, line));
    assert_int_equal(rtmr_sha384(tds_bytes_make(g_image, sizeof g_image), &d), TDS_OK);
    hexline(line, sizeof line, "tdpayload: event 2 mr=2 type=0x8000000a digest=", d.b, 48,
            " size=28");
    assert_true(fx_has_line(&g_cap, line));
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: event 4 mr=2 type=0x4 digest=394341b7"),
                     1);
    assert_true(fx_has_line(&g_cap, "tdpayload: events order=ok"));
    /* The dump: ceil(used / 64) lines that rebuild the log byte for byte. */
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: log 0x"), (used + 63) / 64);
    hexline(line, sizeof line, "tdpayload: log 0x0 ", g_area, 64, "");
    assert_true(fx_has_line(&g_cap, line));
    hexline(line, sizeof line, "tdpayload: log 0x380 ", g_area + 0x380, used - 0x380, "");
    assert_true(fx_has_line(&g_cap, line));
    (void)snprintf(want, sizeof want, "tdpayload: log end size=0x%zx complete", used);
    assert_true(fx_has_line(&g_cap, want));
    for (uint32_t i = 0; i < 4; i++) {
        char pre[32];
        (void)snprintf(pre, sizeof pre, "tdpayload: rtmr%u ", i);
        hexline(line, sizeof line, pre, g_bank.r[i].b, 48, " replay=ok");
        assert_true(fx_has_line(&g_cap, line));
    }
}

static void test_wrong_tdreport(void **state)
{
    (void)state;
    make_log(ORDER_CONTRACT);
    g_bank.r[1].b[47] ^= 1;
    tdp_log_result r;
    assert_int_equal(check(TDP_LOG_AREA_SIZE, &r), TDS_ERR_MISMATCH);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: rtmr0 "), 1);
    char line[256];
    hexline(line, sizeof line, "tdpayload: rtmr1 ", g_bank.r[1].b, 48, " replay=MISMATCH");
    assert_true(fx_has_line(&g_cap, line));
    assert_true(fx_has_line(&g_cap, "tdpayload: rtmr diverge rtmr=1 event=2 kind=unknown"));
    /* RTMR1 still at its value before the last separator: the log has an event too many. */
    make_log(ORDER_CONTRACT);
    rtmr_bank before = {0};
    rtmr_digest d;
    assert_int_equal(rtmr_sha384(tds_bytes_make(g_image, sizeof g_image), &d), TDS_OK);
    assert_int_equal(rtmr_bank_extend(&before, RTMR_REG(1), &d), TDS_OK);
    g_bank.r[1] = before.r[1];
    assert_int_equal(check(TDP_LOG_AREA_SIZE, &r), TDS_ERR_MISMATCH);
    assert_true(fx_has_line(&g_cap, "tdpayload: rtmr diverge rtmr=1 event=4 kind=extra"));
}

static void test_wrong_order(void **state)
{
    (void)state;
    make_log(ORDER_SEPARATORS_FIRST);
    tdp_log_result r;
    /* The replay matches (same events, different order), the contract's order does not. */
    assert_int_equal(check(TDP_LOG_AREA_SIZE, &r), TDS_ERR_MISMATCH);
    assert_true(fx_has_line(&g_cap, "tdpayload: events order=BAD at_event=2"));
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: rtmr0 "), 1);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: rtmr diverge"), 0);
    /* Order checker directly: a separator with value 1 is not the contract's. */
    make_log(ORDER_CONTRACT);
    ccel_view v;
    assert_int_equal(ccel_parse(tds_bytes_make(g_area, sizeof g_area), CCEL_PARSE_AREA, &v, NULL),
                     TDS_OK);
    uint32_t bad = 99;
    assert_int_equal(tdp_log_order_check(&v, &bad), TDS_OK);
    assert_int_equal(bad, 0);
    const size_t sep2 = 72 + 598 + 94 + 70;
    g_area[sep2 + 66] =
        1; /* data u32 1; the digest no longer matches it, the reader does not care */
    assert_int_equal(ccel_parse(tds_bytes_make(g_area, sizeof g_area), CCEL_PARSE_AREA, &v, NULL),
                     TDS_OK);
    assert_int_equal(tdp_log_order_check(&v, &bad), TDS_ERR_MISMATCH);
    assert_int_equal(bad, 4);
}

static void test_corrupt_event(void **state)
{
    (void)state;
    make_log(ORDER_CONTRACT);
    g_area[72] = 9; /* MR index 9 in event 1 */
    tdp_log_result r;
    memset(&r, 0x5A, sizeof r);
    assert_int_equal(check(TDP_LOG_AREA_SIZE, &r), TDS_ERR_MALFORMED);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: eventlog invalid="), 1);
    assert_true(strstr(g_cap.text, " at=0x48 event=1 FAIL malformed input") != NULL);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: log "), 0);
    assert_int_equal(((const uint8_t *)&r)[0], 0x5A);
    /* Garbage after the last event (neither 0xFF nor 0x00 fill). */
    make_log(ORDER_CONTRACT);
    g_area[72 + 598 + 94 + 70 + 70 + 10] = 0x00;
    assert_int_not_equal(check(TDP_LOG_AREA_SIZE, &r), TDS_OK);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: eventlog invalid="), 1);
    assert_true(strstr(g_cap.text, " event=5 FAIL ") != NULL);
}

static void test_dump_bounded(void **state)
{
    (void)state;
    make_log(ORDER_CONTRACT);
    tdp_log_result r;
    assert_int_equal(check(100, &r), TDS_OK);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: log 0x"), 2);
    char line[256];
    hexline(line, sizeof line, "tdpayload: log 0x40 ", g_area + 64, 36, "");
    assert_true(fx_has_line(&g_cap, line));
    assert_true(fx_has_line(&g_cap, "tdpayload: log end size=0x388 TRUNCATED"));
}

static void test_ccel_table(void **state)
{
    (void)state;
    const tdhob_e820_entry e820[] = {{0x100000, 0xA0000, 2}, {0x1A0000, 0x32000, 4}};
    uint8_t t[CCEL_ACPI_SIZE];
    ccel_acpi c = {.cc_type = 2, .laml = 0x30000, .lasa = FX_LOG_BASE};
    ccel_acpi out;
    struct tdp_sink sink = fx_sink(&g_cap);
    assert_int_equal(ccel_acpi_build(&c, tds_mut_bytes_make(t, sizeof t)), TDS_OK);
    assert_int_equal(tdp_ccel_table_check(&sink, tds_bytes_make(t, sizeof t), e820, 2, &out),
                     TDS_OK);
    assert_true(fx_has_line(
        &g_cap, "tdpayload: ccel cc_type=2 subtype=0 laml=0x30000 lasa=0x1a0000 e820=nvs ok"));
    assert_int_equal(out.lasa, FX_LOG_BASE);
    /* Hostile: each with its own status. */
    struct {
        ccel_acpi t;
        tds_status s;
    } cases[] = {
        {{.cc_type = 1, .laml = 0x30000, .lasa = FX_LOG_BASE}, TDS_ERR_UNSUPPORTED},
        {{.cc_type = 2, .cc_subtype = 1, .laml = 0x30000, .lasa = FX_LOG_BASE},
         TDS_ERR_UNSUPPORTED},
        {{.cc_type = 2, .laml = 0x8000, .lasa = FX_LOG_BASE}, TDS_ERR_MISMATCH},
        {{.cc_type = 2, .laml = 0x30000, .lasa = 0x100000}, TDS_ERR_OUT_OF_BOUNDS},
        {{.cc_type = 2, .laml = 0x30000, .lasa = FX_LOG_BASE + 0x3000}, TDS_ERR_OUT_OF_BOUNDS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(ccel_acpi_build(&cases[i].t, tds_mut_bytes_make(t, sizeof t)), TDS_OK);
        sink = fx_sink(&g_cap);
        assert_int_equal(tdp_ccel_table_check(&sink, tds_bytes_make(t, sizeof t), e820, 2, &out),
                         cases[i].s);
        assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: ccel cc_type="), 1);
    }
    assert_true(fx_has_line(&g_cap, "tdpayload: ccel cc_type=2 subtype=0 laml=0x30000 "
                                    "lasa=0x1a3000 e820=NOT_NVS FAIL out of bounds"));
    /* Bad checksum: librtmr's parser refuses it before any field is believed. */
    assert_int_equal(ccel_acpi_build(&c, tds_mut_bytes_make(t, sizeof t)), TDS_OK);
    t[9] ^= 1;
    sink = fx_sink(&g_cap);
    assert_int_not_equal(tdp_ccel_table_check(&sink, tds_bytes_make(t, sizeof t), e820, 2, &out),
                         TDS_OK);
    assert_true(fx_has_line(&g_cap, "tdpayload: ccel FAIL mismatch") ||
                fx_has_line(&g_cap, "tdpayload: ccel FAIL malformed input"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),         cmocka_unit_test(test_wrong_tdreport),
        cmocka_unit_test(test_wrong_order),  cmocka_unit_test(test_corrupt_event),
        cmocka_unit_test(test_dump_bounded), cmocka_unit_test(test_ccel_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
