/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Boot plans and their sequencer (tdshim/ccel_boot.h): the plans' exact steps, a sequence in
 * plan order writes exactly the log the event helpers write in that order, and anything out of
 * order is refused before it touches the log or the registers, with the error sticking.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/ccel_boot.h"

static uint8_t area_a[1u << 14];
static uint8_t area_b[1u << 14];
static const uint8_t hob[] = "a HOB list, as the shim would measure it";
static const uint8_t payload[] = "payload bytes";

static tds_bytes b(const void *p, size_t n)
{
    return tds_bytes_make(p, n);
}

static void start(ccel_log *log, uint8_t *area, size_t len)
{
    assert_int_equal(ccel_log_init(log, tds_mut_bytes_make(area, len), b("td-shim", 7)), TDS_OK);
}

static void test_plans_exact(void **state)
{
    (void)state;
    assert_int_equal(ccel_boot_plan_exec.n, 3);
    assert_int_equal(ccel_boot_plan_exec.step[0], CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_plan_exec.step[1], CCEL_BOOT_PAYLOAD);
    assert_int_equal(ccel_boot_plan_exec.step[2], CCEL_BOOT_SEPARATORS);
    assert_int_equal(ccel_boot_plan_no_payload.n, 2);
    assert_int_equal(ccel_boot_plan_no_payload.step[0], CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_plan_no_payload.step[1], CCEL_BOOT_SEPARATORS);
    assert_int_equal(ccel_boot_plan_linux.n, 5);
    assert_int_equal(ccel_boot_plan_linux.step[0], CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_plan_linux.step[1], CCEL_BOOT_KERNEL);
    assert_int_equal(ccel_boot_plan_linux.step[2], CCEL_BOOT_INITRD);
    assert_int_equal(ccel_boot_plan_linux.step[3], CCEL_BOOT_CMDLINE);
    assert_int_equal(ccel_boot_plan_linux.step[4], CCEL_BOOT_SEPARATORS);
    assert_string_equal(ccel_boot_step_name(CCEL_BOOT_PAYLOAD_PARAM), "payload_param");
    assert_string_equal(ccel_boot_step_name(CCEL_BOOT_CMDLINE), "cmdline");
    assert_string_equal(ccel_boot_step_name((ccel_boot_step)99), "unknown");
}

/* The exec plan through the sequencer == the helpers called directly in that order. */
static void test_exec_plan_same_log_as_helpers(void **state)
{
    (void)state;
    rtmr_bank bank_a;
    rtmr_bank bank_b;
    rtmr_bank_reset(&bank_a);
    rtmr_bank_reset(&bank_b);
    const rtmr_extend_ops ops_a = rtmr_bank_ops(&bank_a);
    const rtmr_extend_ops ops_b = rtmr_bank_ops(&bank_b);
    ccel_log la;
    ccel_log lb;
    start(&la, area_a, sizeof area_a);
    start(&lb, area_b, sizeof area_b);
    ccel_boot_seq s;
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &la, &ops_a), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_PAYLOAD);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_payload(&s, b(payload, sizeof payload), 0xFFDF1000u, 0xF000u),
                     TDS_OK);
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_DONE);
    assert_true(ccel_boot_complete(&s));

    assert_int_equal(ccel_event_td_hob(&lb, &ops_b, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(
        ccel_event_payload(&lb, &ops_b, b(payload, sizeof payload), 0xFFDF1000u, 0xF000u), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, 1, 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, 2, 0), TDS_OK);
    const tds_bytes ga = ccel_log_bytes(&la);
    const tds_bytes gb = ccel_log_bytes(&lb);
    assert_int_equal(ga.len, gb.len);
    assert_memory_equal(ga.ptr, gb.ptr, ga.len);
    assert_int_equal(la.events, 5); /* the Spec ID event and four measured events */
    assert_memory_equal(&bank_a, &bank_b, sizeof bank_a);
    /* Nothing after the last step. */
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_STATE);
    assert_false(ccel_boot_complete(&s));
}

/* The Linux plan with digests computed by the caller == the blob helpers on the bytes. */
static void test_linux_plan_digests(void **state)
{
    (void)state;
    static const uint8_t kernel[] = "setup bytes then kernel bytes";
    static const uint8_t initrd[] = "";
    static const uint8_t cmdline[] = "console=ttyS0"; /* with its NUL, as QEMU passes it */
    rtmr_bank bank_a;
    rtmr_bank bank_b;
    rtmr_bank_reset(&bank_a);
    rtmr_bank_reset(&bank_b);
    const rtmr_extend_ops ops_a = rtmr_bank_ops(&bank_a);
    const rtmr_extend_ops ops_b = rtmr_bank_ops(&bank_b);
    ccel_log la;
    ccel_log lb;
    start(&la, area_a, sizeof area_a);
    start(&lb, area_b, sizeof area_b);
    ccel_boot_seq s;
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_linux, &la, &ops_a), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    /* The kernel hashed in two parts, as the firmware does (setup, then the rest). */
    rtmr_sha384_ctx h;
    rtmr_digest dk;
    rtmr_digest di;
    rtmr_digest dc;
    assert_int_equal(rtmr_sha384_init(&h), TDS_OK);
    assert_int_equal(rtmr_sha384_update(&h, b(kernel, 12)), TDS_OK);
    assert_int_equal(rtmr_sha384_update(&h, b(kernel + 12, sizeof kernel - 12)), TDS_OK);
    assert_int_equal(rtmr_sha384_final(&h, &dk), TDS_OK);
    assert_int_equal(rtmr_sha384(b(initrd, 0), &di), TDS_OK);
    assert_int_equal(rtmr_sha384(b(cmdline, sizeof cmdline), &dc), TDS_OK);
    /* Out of order inside the Linux steps. */
    ccel_boot_seq wrong = s;
    assert_int_equal(ccel_boot_linux_blob(&wrong, CCEL_LINUX_INITRD, &di), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &dk), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &di), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_CMDLINE, &dc), TDS_OK);
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_true(ccel_boot_complete(&s));

    assert_int_equal(ccel_event_td_hob(&lb, &ops_b, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(&lb, &ops_b, CCEL_LINUX_KERNEL, b(kernel, sizeof kernel)), TDS_OK);
    assert_int_equal(ccel_event_linux_blob(&lb, &ops_b, CCEL_LINUX_INITRD, b(initrd, 0)), TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(&lb, &ops_b, CCEL_LINUX_CMDLINE, b(cmdline, sizeof cmdline)), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, 1, 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, 2, 0), TDS_OK);
    const tds_bytes ga = ccel_log_bytes(&la);
    const tds_bytes gb = ccel_log_bytes(&lb);
    assert_int_equal(ga.len, gb.len);
    assert_memory_equal(ga.ptr, gb.ptr, ga.len);
    assert_memory_equal(&bank_a, &bank_b, sizeof bank_a);
    assert_int_equal(ccel_event_linux_blob_digest(&lb, &ops_b, CCEL_LINUX_KERNEL, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_linux_blob(&s, (ccel_linux_blob)9, &dk), TDS_ERR_INVALID_ARG);
}

/* Out of order: refused before the log or a register changes, and every later call too. */
static void test_out_of_order_refused_and_sticky(void **state)
{
    (void)state;
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    start(&log, area_a, sizeof area_a);
    const size_t len0 = ccel_log_bytes(&log).len;
    ccel_boot_seq s;
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &log, &ops), TDS_OK);
    rtmr_bank zero;
    rtmr_bank_reset(&zero);
    assert_int_equal(ccel_boot_payload(&s, b(payload, sizeof payload), 0, 0), TDS_ERR_STATE);
    assert_int_equal(ccel_log_bytes(&log).len, len0);
    assert_memory_equal(&bank, &zero, sizeof bank);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_DONE);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_ERR_STATE);
    assert_int_equal(ccel_log_bytes(&log).len, len0);
    assert_false(ccel_boot_complete(&s));

    /* The no-payload plan has no payload step at all. */
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_no_payload, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_payload(&s, b(payload, sizeof payload), 0, 0), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_STATE);
    assert_int_equal(log.events, 2); /* the Spec ID event and td_hob */
}

/* An event that fails (a log too small for the HOB) makes its error stick. */
static void test_event_error_sticks(void **state)
{
    (void)state;
    static uint8_t small[200];
    static uint8_t big_hob[512];
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    start(&log, small, sizeof small);
    ccel_boot_seq s;
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_no_payload, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(big_hob, sizeof big_hob)), TDS_ERR_NO_SPACE);
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_NO_SPACE);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_DONE);
}

static void test_begin_refuses_bad_arguments(void **state)
{
    (void)state;
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    start(&log, area_a, sizeof area_a);
    ccel_boot_seq s;
    const ccel_boot_plan empty = {"empty", 0, {CCEL_BOOT_DONE}};
    const ccel_boot_plan too_long = {"long", CCEL_BOOT_MAX_STEPS + 1u, {CCEL_BOOT_DONE}};
    assert_int_equal(ccel_boot_begin(NULL, &ccel_boot_plan_exec, &log, &ops), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_begin(&s, NULL, &log, &ops), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, NULL, &ops), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &log, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_begin(&s, &empty, &log, &ops), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_begin(&s, &too_long, &log, &ops), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_td_hob(NULL, b(hob, sizeof hob)), TDS_ERR_INVALID_ARG);
    assert_false(ccel_boot_complete(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plans_exact),
        cmocka_unit_test(test_exec_plan_same_log_as_helpers),
        cmocka_unit_test(test_linux_plan_digests),
        cmocka_unit_test(test_out_of_order_refused_and_sticky),
        cmocka_unit_test(test_event_error_sticks),
        cmocka_unit_test(test_begin_refuses_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
