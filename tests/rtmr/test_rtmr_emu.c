/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * librtmr on libtdcall's TDX-module emulator: the extend op is rtmr_tdcall_ops()
 * (tdcall_mr_rtmr_extend -> tdcall_raw -> tdx_emu). The replayed log must equal the emulator's
 * RTMRs and the RTMRs in its TDREPORT after the same extends, also when the module reports BUSY
 * (retried) or an error (nothing logged), and when the log is full (nothing extended).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ref.h"
#include "tdshim/ccel_events.h"
#include "tdshim/rtmr_tdcall.h"
#include "tdshim/tdx_emu_backend.h"

static struct tdx_emu emu;
static struct tdx_emu_config cfg; /* kept outside emu: tdx_emu_init copies it in */
static uint8_t area[1u << 16];

static int setup(void **state)
{
    (void)state;
    memset(&cfg, 0, sizeof cfg);
    cfg.gpaw = 52;
    cfg.num_vcpus = 1;
    if (tdx_emu_init(&emu, &cfg) != TDS_OK) {
        return -1;
    }
    tdx_emu_backend_install(&emu);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    return 0;
}

static void emu_bank(rtmr_bank *b)
{
    memset(b, 0, sizeof *b);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(tdx_emu_rtmr_get(&emu, i, b->r[i].b), TDS_OK);
    }
}

static void report_bank(rtmr_bank *b)
{
    static struct tdcall_tdreport report;
    static struct tdcall_reportdata rd;
    tdcall_status hw;
    memset(&rd, 0x5C, sizeof rd);
    assert_int_equal(tdcall_mr_report(&report, &rd, &hw), TDS_OK);
    for (uint32_t i = 0; i < 4; i++) {
        memcpy(b->r[i].b, report.tdinfo.rtmr[i], 48);
    }
}

static void check_log_equals_emulator(const ccel_log *log)
{
    ccel_view v;
    assert_int_equal(ccel_parse(tds_bytes_make(area, sizeof area), CCEL_PARSE_AREA, &v, NULL),
                     TDS_OK);
    assert_int_equal(v.event_count, log->event_count);
    rtmr_bank replayed, regs, rep;
    rtmr_bank_reset(&regs); /* emu_bank and report_bank fill them; cppcheck cannot see that */
    rtmr_bank_reset(&rep);
    assert_int_equal(ccel_replay(&v, &replayed), TDS_OK);
    emu_bank(&regs);
    report_bank(&rep);
    assert_memory_equal(&replayed, &regs, sizeof regs);
    assert_memory_equal(&replayed, &rep, sizeof rep);
    ccel_verify_result res;
    assert_int_equal(ccel_verify(&v, &rep, &res), TDS_OK);
}

static void test_boot_sequence_replays_to_emulator(void **state)
{
    (void)state;
    assert_int_equal(tdx_emu_init(&emu, &cfg), TDS_OK);
    rtmr_tdcall_ctx tctx;
    rtmr_extend_ops ops = rtmr_tdcall_ops(&tctx);
    ccel_log log;
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), tds_bytes_make("td-shim", 7)),
        TDS_OK);
    static uint8_t hob[256], payload[8192], param[4096];
    for (size_t i = 0; i < sizeof hob; i++)
        hob[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 3);
    memcpy(param, "console=hvc0", 13);
    assert_int_equal(ccel_event_td_hob(&log, &ops, tds_bytes_make(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_OK);
    assert_int_equal(ccel_event_payload(&log, &ops, tds_bytes_make(payload, sizeof payload),
                                        0x1200000, sizeof payload),
                     TDS_OK);
    assert_int_equal(ccel_event_payload_param(&log, &ops, tds_bytes_make(param, sizeof param)),
                     TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(&log, &ops, CCEL_LINUX_INITRD, tds_bytes_make(payload, 100)), TDS_OK);
    tds_bytes p = tds_bytes_make("app", 3);
    assert_int_equal(ccel_log_hash_measure(&log, &ops, RTMR_MR(3), CCEL_EV_EVENT_TAG, p, &p, 1),
                     TDS_OK);
    assert_int_equal(ccel_log_hash_measure(&log, &ops, RTMR_MR(4), CCEL_EV_EVENT_TAG, p, &p, 1),
                     TDS_OK);
    assert_int_equal(tctx.last.raw, 0); /* TDX_SUCCESS */
    check_log_equals_emulator(&log);
    /* And the emulator agrees with the independent model on one known answer. */
    rtmr_bank regs;
    emu_bank(&regs);
    uint8_t r0[48] = {0}, d[48];
    ref_sha384(hob, sizeof hob, d);
    ref_extend(r0, d);
    static const uint8_t sep[4] = {0};
    ref_sha384(sep, 4, d);
    ref_extend(r0, d);
    assert_memory_equal(regs.r[0].b, r0, 48);

    /* End to end with the tool: the emulator's TDREPORT verifies the log; a report taken after
     * one more (unlogged) extend does not: no prefix of the log gives the new RTMR2. */
    static struct tdcall_tdreport report;
    static struct tdcall_reportdata rd;
    tdcall_status hw;
    assert_int_equal(tdcall_mr_report(&report, &rd, &hw), TDS_OK);
    char logpath[] = "/tmp/rtmr_emu_log_XXXXXX", reppath[] = "/tmp/rtmr_emu_rep_XXXXXX";
    int fd = mkstemp(logpath);
    assert_true(fd >= 0);
    close(fd);
    fd = mkstemp(reppath);
    assert_true(fd >= 0);
    close(fd);
    ref_write_file(logpath, tds_bytes_make(area, sizeof area));
    ref_write_file(reppath, tds_bytes_make(&report, sizeof report));
    char *verify[] = {
        (char *)TDSHIM_EVENTLOG_TOOL, "verify", "--area", "--tdreport", reppath, logpath, NULL};
    assert_int_equal(ref_run(verify), 0);
    rtmr_digest extra;
    memset(&extra, 0x33, sizeof extra);
    assert_int_equal(rtmr_extend(&ops, RTMR_REG(2), &extra), TDS_OK);
    assert_int_equal(tdcall_mr_report(&report, &rd, &hw), TDS_OK);
    ref_write_file(reppath, tds_bytes_make(&report, sizeof report));
    assert_int_equal(ref_run(verify), 1);
    assert_non_null(strstr(ref_out, "RTMR2 MISMATCH"));
    assert_non_null(strstr(ref_out, "no prefix of the log"));
    unlink(logpath);
    unlink(reppath);
}

static void test_busy_is_retried(void **state)
{
    (void)state;
    assert_int_equal(tdx_emu_init(&emu, &cfg), TDS_OK);
    struct tdx_emu_faults f;
    memset(&f, 0, sizeof f);
    f.leaf = TDCALL_LEAF_MR_RTMR_EXTEND;
    f.leaf_count = 5;
    f.leaf_status = TDX_OPERAND_BUSY | 0xA8u; /* RTMR operand busy */
    tdx_emu_faults_set(&emu, &f);
    rtmr_tdcall_ctx tctx;
    rtmr_extend_ops ops = rtmr_tdcall_ops(&tctx);
    ccel_log log;
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), tds_bytes_make("td-shim", 7)),
        TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(3), 0), TDS_OK);
    struct tdx_emu_counters cnt;
    tdx_emu_counters_get(&emu, &cnt);
    assert_int_equal(cnt.leaf[TDCALL_LEAF_MR_RTMR_EXTEND], 6); /* 5 busy + 1 success */
    check_log_equals_emulator(&log);
}

static void test_module_error_logs_nothing(void **state)
{
    (void)state;
    assert_int_equal(tdx_emu_init(&emu, &cfg), TDS_OK);
    rtmr_tdcall_ctx tctx;
    rtmr_extend_ops ops = rtmr_tdcall_ops(&tctx);
    ccel_log log;
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), tds_bytes_make("td-shim", 7)),
        TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    struct tdx_emu_faults f;
    memset(&f, 0, sizeof f);
    f.leaf = TDCALL_LEAF_MR_RTMR_EXTEND;
    f.leaf_count = 1;
    f.leaf_status = TDX_OPERAND_INVALID;
    tdx_emu_faults_set(&emu, &f);
    tds_status s = ccel_event_separator(&log, &ops, RTMR_MR(2), 0);
    assert_int_not_equal(s, TDS_OK);
    assert_int_equal(tctx.last.raw, TDX_OPERAND_INVALID);
    assert_int_equal(log.event_count, 1);
    check_log_equals_emulator(&log); /* the log still replays */
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), s); /* sticky */
}

static void test_full_log_extends_nothing(void **state)
{
    (void)state;
    assert_int_equal(tdx_emu_init(&emu, &cfg), TDS_OK);
    rtmr_tdcall_ctx tctx;
    rtmr_extend_ops ops = rtmr_tdcall_ops(&tctx);
    ccel_log log;
    memset(area, 0xFF, sizeof area);
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, 72 + 70 + 69), tds_bytes_make("td-shim", 7)),
        TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_ERR_NO_SPACE);
    struct tdx_emu_counters cnt;
    tdx_emu_counters_get(&emu, &cnt);
    assert_int_equal(cnt.leaf[TDCALL_LEAF_MR_RTMR_EXTEND], 1);
    check_log_equals_emulator(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_sequence_replays_to_emulator),
        cmocka_unit_test(test_busy_is_retried),
        cmocka_unit_test(test_module_error_logs_nothing),
        cmocka_unit_test(test_full_log_extends_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
