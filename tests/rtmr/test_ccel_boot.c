/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Boot plans and their sequencer (tdshim/ccel_boot.h): the plans' exact steps, a sequence in
 * plan order writes exactly the log the event helpers write in that order, and anything out of
 * order is refused before it touches the log or the registers, with the error sticking; the
 * ACPI step's one-or-more events and how the step is left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ref.h"
#include "tdshim/ccel_boot.h"

static uint8_t area_a[1u << 14];
static uint8_t area_b[1u << 14];
static const uint8_t hob[] = "a HOB list, as the shim would measure it";
static const uint8_t payload[] = "payload bytes";
/* QEMU's ACPI data as the Linux plan's ACPI step takes it: the script, then the ALLOCATEd blobs. */
static const char acpi_script[] =
    "etc/table-loader: ALLOCATE etc/acpi/rsdp, ALLOCATE etc/acpi/tables, ADD_POINTER ...";
static const char acpi_rsdp[] = "RSD PTR (as QEMU serves it, unpatched)";
static const char acpi_tables[] = "DSDT FACP APIC ... (etc/acpi/tables, unpatched)";

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
    assert_int_equal(ccel_boot_plan_linux.n, 6);
    assert_int_equal(ccel_boot_plan_linux.step[0], CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_plan_linux.step[1], CCEL_BOOT_ACPI);
    assert_int_equal(ccel_boot_plan_linux.step[2], CCEL_BOOT_KERNEL);
    assert_int_equal(ccel_boot_plan_linux.step[3], CCEL_BOOT_INITRD);
    assert_int_equal(ccel_boot_plan_linux.step[4], CCEL_BOOT_CMDLINE);
    assert_int_equal(ccel_boot_plan_linux.step[5], CCEL_BOOT_SEPARATORS);
    assert_int_equal(CCEL_BOOT_ACPI, 8);
    assert_string_equal(ccel_boot_step_name(CCEL_BOOT_PAYLOAD_PARAM), "payload_param");
    assert_string_equal(ccel_boot_step_name(CCEL_BOOT_CMDLINE), "cmdline");
    assert_string_equal(ccel_boot_step_name(CCEL_BOOT_ACPI), "acpi");
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
    assert_int_equal(ccel_event_separator(&lb, &ops_b, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, RTMR_MR(2), 0), TDS_OK);
    const tds_bytes ga = ccel_log_bytes(&la);
    const tds_bytes gb = ccel_log_bytes(&lb);
    assert_int_equal(ga.len, gb.len);
    assert_memory_equal(ga.ptr, gb.ptr, ga.len);
    assert_int_equal(la.event_count, 4); /* four measured events (the Spec ID event is not one) */
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
    /* ACPI: the script's bytes, then one blob with the caller's digest. */
    rtmr_digest drsdp;
    assert_int_equal(rtmr_sha384(b(acpi_rsdp, sizeof acpi_rsdp - 1), &drsdp), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, sizeof acpi_script - 1)), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data_digest(&s, &drsdp), TDS_OK);
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
    assert_int_equal(ccel_event_acpi_data(&lb, &ops_b, b(acpi_script, sizeof acpi_script - 1)),
                     TDS_OK);
    assert_int_equal(ccel_event_acpi_data(&lb, &ops_b, b(acpi_rsdp, sizeof acpi_rsdp - 1)), TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(&lb, &ops_b, CCEL_LINUX_KERNEL, b(kernel, sizeof kernel)), TDS_OK);
    assert_int_equal(ccel_event_linux_blob(&lb, &ops_b, CCEL_LINUX_INITRD, b(initrd, 0)), TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(&lb, &ops_b, CCEL_LINUX_CMDLINE, b(cmdline, sizeof cmdline)), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&lb, &ops_b, RTMR_MR(2), 0), TDS_OK);
    const tds_bytes ga = ccel_log_bytes(&la);
    const tds_bytes gb = ccel_log_bytes(&lb);
    assert_int_equal(ga.len, gb.len);
    assert_memory_equal(ga.ptr, gb.ptr, ga.len);
    assert_memory_equal(&bank_a, &bank_b, sizeof bank_a);
    assert_int_equal(ccel_event_linux_blob_digest(&lb, &ops_b, CCEL_LINUX_KERNEL, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_linux_blob(&s, (ccel_linux_blob)9, &dk), TDS_ERR_INVALID_ARG);
}

/* Everything of the Linux plan's log before the kernel: Spec ID, td_hob, then the ACPI events. */
static void linux_to_acpi(ccel_boot_seq *s, ccel_log *log, const rtmr_extend_ops *ops)
{
    start(log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(s, &ccel_boot_plan_linux, log, ops), TDS_OK);
    assert_int_equal(ccel_boot_next(s), CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_td_hob(s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_next(s), CCEL_BOOT_ACPI);
}

static void kernel_digest(rtmr_digest *d)
{
    static const uint8_t kernel[] = "setup bytes then kernel bytes";
    assert_int_equal(rtmr_sha384(b(kernel, sizeof kernel), d), TDS_OK);
}

/* Several ACPI events, then the kernel: the step holds any number of events and the kernel's call
 * leaves it; complete only once every step is recorded. */
static void test_linux_acpi_events_then_kernel(void **state)
{
    (void)state;
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    ccel_boot_seq s;
    linux_to_acpi(&s, &log, &ops);
    assert_false(ccel_boot_complete(&s));
    static const char *const blobs[] = {acpi_script, acpi_rsdp, acpi_tables};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(ccel_boot_acpi_data(&s, b(blobs[i], strlen(blobs[i]))), TDS_OK);
        /* Still on the step (more may follow), and not complete. */
        assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_ACPI);
        assert_int_equal(s.acpi_events, i + 1u);
        assert_false(ccel_boot_complete(&s));
    }
    assert_int_equal(log.event_count, 4); /* td_hob, three ACPI events */
    rtmr_digest d;
    kernel_digest(&d);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_INITRD);
    assert_int_equal(s.acpi_events, 0);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &d), TDS_OK);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_CMDLINE, &d), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_SEPARATORS);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_DONE);
    assert_true(ccel_boot_complete(&s));
    assert_int_equal(log.event_count, 9);
    /* The step was left: an ACPI event now is out of order, and sticks. */
    const size_t len = ccel_log_bytes(&log).len;
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 1)), TDS_ERR_STATE);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_log_bytes(&log).len, len);

    /* ACPI right after the kernel (the step already left): refused, sticky. */
    linux_to_acpi(&s, &log, &ops);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, sizeof acpi_script - 1)), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_OK);
    const size_t len2 = ccel_log_bytes(&log).len;
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, sizeof acpi_rsdp - 1)), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &d), TDS_ERR_STATE);
    assert_int_equal(ccel_log_bytes(&log).len, len2);
    assert_false(ccel_boot_complete(&s));
}

/* The kernel without an ACPI event: refused before the log or a register changes, and sticky. */
static void test_linux_kernel_without_acpi_refused(void **state)
{
    (void)state;
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    ccel_boot_seq s;
    linux_to_acpi(&s, &log, &ops);
    const size_t len = ccel_log_bytes(&log).len;
    const rtmr_bank before = bank;
    rtmr_digest d;
    kernel_digest(&d);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_ERR_STATE);
    assert_int_equal(ccel_log_bytes(&log).len, len);
    assert_memory_equal(&bank, &before, sizeof bank);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_DONE);
    assert_false(ccel_boot_complete(&s));
    /* Sticky: even the ACPI event that was due now is refused, and the kernel again. */
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, sizeof acpi_script - 1)),
                     TDS_ERR_STATE);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_STATE);
    assert_int_equal(ccel_log_bytes(&log).len, len);
    assert_memory_equal(&bank, &before, sizeof bank);
    assert_false(ccel_boot_complete(&s));

    /* A step other than the following one after ACPI events (separators, initrd): refused,
     * sticky, and the ACPI step is not left by the refusal. */
    linux_to_acpi(&s, &log, &ops);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, sizeof acpi_script - 1)), TDS_OK);
    const size_t len2 = ccel_log_bytes(&log).len;
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &d), TDS_ERR_STATE);
    assert_int_equal(s.plan->step[s.next], CCEL_BOOT_ACPI);
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_ERR_STATE);
    assert_int_equal(ccel_log_bytes(&log).len, len2);
    assert_false(ccel_boot_complete(&s));

    /* ACPI before the TD HOB: out of order. */
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_linux, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_ERR_STATE);
    assert_int_equal(log.event_count, 0);

    /* Plans without an ACPI step refuse ACPI events. */
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_ERR_STATE);
    assert_int_equal(log.event_count, 1);
}

/* ACPI event errors stick: a NULL digest, a full log, the event counter at its limit. */
static void test_linux_acpi_errors_stick(void **state)
{
    (void)state;
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    ccel_boot_seq s;
    linux_to_acpi(&s, &log, &ops);
    assert_int_equal(ccel_boot_acpi_data_digest(&s, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_ERR_INVALID_ARG);
    assert_int_equal(log.event_count, 1);
    assert_false(ccel_boot_complete(&s));

    /* Counter at UINT32_MAX: refused before the event, sticky. */
    linux_to_acpi(&s, &log, &ops);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_OK);
    s.acpi_events = UINT32_MAX;
    const size_t len = ccel_log_bytes(&log).len;
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_ERR_OVERFLOW);
    assert_int_equal(ccel_log_bytes(&log).len, len);
    rtmr_digest d;
    kernel_digest(&d);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_ERR_OVERFLOW);

    /* A log with room for td_hob only: the ACPI event does not fit, nothing extended, sticky. */
    static uint8_t small[72 + 66 + 20 + sizeof hob + 10];
    start(&log, small, sizeof small);
    rtmr_bank_reset(&bank);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_linux, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    const rtmr_bank before = bank;
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 3)), TDS_ERR_NO_SPACE);
    assert_memory_equal(&bank, &before, sizeof bank);
    assert_int_equal(s.acpi_events, 0);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_ERR_NO_SPACE);
    assert_false(ccel_boot_complete(&s));
}

/* A plan ending with ACPI is complete once the step has one event, and takes more; an ACPI step
 * that is not adjacent to another may appear twice; two in a row are refused. */
static void test_acpi_plan_shapes(void **state)
{
    (void)state;
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    ccel_boot_seq s;
    const ccel_boot_plan ends_acpi = {"ends-acpi", 2, {CCEL_BOOT_TD_HOB, CCEL_BOOT_ACPI}};
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &ends_acpi, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_ACPI);
    assert_false(ccel_boot_complete(&s)); /* zero ACPI events: not complete */
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, 4)), TDS_OK);
    assert_true(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_ACPI);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, 4)), TDS_OK);
    assert_true(ccel_boot_complete(&s));
    /* Nothing follows ACPI in this plan: any other call is refused and sticks. */
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_STATE);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(log.event_count, 3);

    const ccel_boot_plan twice = {
        "acpi-twice", 4, {CCEL_BOOT_ACPI, CCEL_BOOT_TD_HOB, CCEL_BOOT_ACPI, CCEL_BOOT_SEPARATORS}};
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &twice, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_ERR_STATE);
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &twice, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, 4)), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, 5)), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_ACPI);
    assert_int_equal(s.acpi_events, 0); /* the second ACPI step starts empty */
    assert_int_equal(ccel_boot_separators(&s), TDS_ERR_STATE);
    start(&log, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &twice, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, 4)), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, 6)), TDS_OK);
    assert_false(ccel_boot_complete(&s));
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_true(ccel_boot_complete(&s));

    const ccel_boot_plan adjacent = {
        "acpi-acpi", 3, {CCEL_BOOT_TD_HOB, CCEL_BOOT_ACPI, CCEL_BOOT_ACPI}};
    assert_int_equal(ccel_boot_begin(&s, &adjacent, &log, &ops), TDS_ERR_INVALID_ARG);
}

/*
 * A whole Linux-plan log replays to the registers, and those equal values computed outside the
 * project (Python hashlib over the same bytes: RTMR0 = fold of H(hob), H(script), H(rsdp),
 * H(tables), H(0^4); RTMR1 = fold of H(kernel), H(""), H(cmdline), H(0^4)); the test's own
 * SHA-384 (ref.c) folds to the same values too.
 */
static void test_linux_plan_log_replays(void **state)
{
    (void)state;
    static const char rtmr0_hex[] = "286324464e820924f77435bd83b214e5b6e27fb8ea4c7681524540647acb6"
                                    "0b4ce357e25df2c1808600094a938ad0878";
    static const char rtmr1_hex[] = "3060e467114195e20ad6f10259d9d57ebcffe84757472372183a401c3963d"
                                    "95a01ff2e3ffaa99d99a655d87812a970c0";
    static const uint8_t kernel[] = "setup bytes then kernel bytes";
    static const uint8_t cmdline[] = "console=ttyS0";
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    ccel_boot_seq s;
    linux_to_acpi(&s, &log, &ops);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, sizeof acpi_script - 1)), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_rsdp, sizeof acpi_rsdp - 1)), TDS_OK);
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_tables, sizeof acpi_tables - 1)), TDS_OK);
    rtmr_digest dk;
    rtmr_digest di;
    rtmr_digest dc;
    assert_int_equal(rtmr_sha384(b(kernel, sizeof kernel), &dk), TDS_OK);
    assert_int_equal(rtmr_sha384(b(NULL, 0), &di), TDS_OK);
    assert_int_equal(rtmr_sha384(b(cmdline, sizeof cmdline), &dc), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &dk), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &di), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_CMDLINE, &dc), TDS_OK);
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_true(ccel_boot_complete(&s));

    ccel_view v;
    rtmr_bank replayed;
    assert_int_equal(ccel_parse(ccel_log_bytes(&log), CCEL_PARSE_EXACT, &v, NULL), TDS_OK);
    assert_int_equal(v.event_count, 9);
    assert_int_equal(ccel_replay(&v, &replayed), TDS_OK);
    assert_memory_equal(&replayed, &bank, sizeof bank);

    uint8_t want0[48];
    uint8_t want1[48];
    assert_true(ref_unhex(rtmr0_hex, want0, sizeof want0));
    assert_true(ref_unhex(rtmr1_hex, want1, sizeof want1));
    assert_memory_equal(replayed.r[0].b, want0, 48);
    assert_memory_equal(replayed.r[1].b, want1, 48);
    static const uint8_t zero48[48] = {0};
    assert_memory_equal(replayed.r[2].b, zero48, 48);
    assert_memory_equal(replayed.r[3].b, zero48, 48);

    /* The same fold with the test's own SHA-384. */
    uint8_t r0[48] = {0};
    uint8_t r1[48] = {0};
    uint8_t d[48];
    static const uint8_t sep[4] = {0};
    ref_sha384(hob, sizeof hob, d);
    ref_extend(r0, d);
    ref_sha384(acpi_script, sizeof acpi_script - 1, d);
    ref_extend(r0, d);
    ref_sha384(acpi_rsdp, sizeof acpi_rsdp - 1, d);
    ref_extend(r0, d);
    ref_sha384(acpi_tables, sizeof acpi_tables - 1, d);
    ref_extend(r0, d);
    ref_sha384(sep, sizeof sep, d);
    ref_extend(r0, d);
    ref_sha384(kernel, sizeof kernel, d);
    ref_extend(r1, d);
    ref_sha384("", 0, d);
    ref_extend(r1, d);
    ref_sha384(cmdline, sizeof cmdline, d);
    ref_extend(r1, d);
    ref_sha384(sep, sizeof sep, d);
    ref_extend(r1, d);
    assert_memory_equal(r0, want0, 48);
    assert_memory_equal(r1, want1, 48);
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
    assert_int_equal(log.event_count, 1); /* td_hob */
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

/* The no-ACPI Linux plan: td_hob, kernel, initrd, cmdline, separators; no ACPI event accepted. */
static void test_linux_no_acpi_plan(void **state)
{
    (void)state;
    assert_string_equal(ccel_boot_plan_linux_no_acpi.name, "linux-no-acpi");
    assert_int_equal(ccel_boot_plan_linux_no_acpi.n, 5);
    assert_int_equal(ccel_boot_plan_linux_no_acpi.step[0], CCEL_BOOT_TD_HOB);
    assert_int_equal(ccel_boot_plan_linux_no_acpi.step[1], CCEL_BOOT_KERNEL);
    assert_int_equal(ccel_boot_plan_linux_no_acpi.step[2], CCEL_BOOT_INITRD);
    assert_int_equal(ccel_boot_plan_linux_no_acpi.step[3], CCEL_BOOT_CMDLINE);
    assert_int_equal(ccel_boot_plan_linux_no_acpi.step[4], CCEL_BOOT_SEPARATORS);
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    start(&log, area_a, sizeof area_a);
    ccel_boot_seq s;
    rtmr_digest d;
    kernel_digest(&d);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_linux_no_acpi, &log, &ops), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    ccel_boot_seq acpi = s;
    assert_int_equal(ccel_boot_acpi_data(&acpi, b(acpi_script, sizeof acpi_script - 1)),
                     TDS_ERR_STATE);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_CMDLINE, &d), TDS_OK);
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_true(ccel_boot_complete(&s));
    assert_int_equal(log.event_count, 6); /* td_hob, three blobs, two separators */
}

/* A sequence started on the executable-payload plan switches, after td_hob, to either Linux plan
 * and writes the log that plan writes from the start; a switch that would rewrite recorded steps,
 * one inside an ACPI step with events, and one after an error are refused (and stick). */
static void test_replan(void **state)
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
    rtmr_digest d;
    kernel_digest(&d);
    ccel_boot_seq s;
    ccel_boot_seq r;
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &la, &ops_a), TDS_OK);
    assert_int_equal(ccel_boot_begin(&r, &ccel_boot_plan_linux_no_acpi, &lb, &ops_b), TDS_OK);
    /* Before any event: any plan. */
    ccel_boot_seq fresh = s;
    assert_int_equal(ccel_boot_replan(&fresh, &ccel_boot_plan_no_payload), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_replan(&s, &ccel_boot_plan_linux_no_acpi), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_KERNEL);
    assert_int_equal(ccel_boot_td_hob(&r, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_KERNEL, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&r, CCEL_LINUX_KERNEL, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_INITRD, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&r, CCEL_LINUX_INITRD, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&s, CCEL_LINUX_CMDLINE, &d), TDS_OK);
    assert_int_equal(ccel_boot_linux_blob(&r, CCEL_LINUX_CMDLINE, &d), TDS_OK);
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_int_equal(ccel_boot_separators(&r), TDS_OK);
    assert_true(ccel_boot_complete(&s));
    assert_int_equal(ccel_log_bytes(&la).len, ccel_log_bytes(&lb).len);
    assert_memory_equal(ccel_log_bytes(&la).ptr, ccel_log_bytes(&lb).ptr, ccel_log_bytes(&la).len);
    assert_memory_equal(&bank_a, &bank_b, sizeof bank_a);

    /* To the Linux plan with ACPI after td_hob: fine. */
    start(&la, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &la, &ops_a), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_replan(&s, &ccel_boot_plan_linux), TDS_OK);
    assert_int_equal(ccel_boot_next(&s), CCEL_BOOT_ACPI);
    /* Inside an ACPI step with events: refused, and the refusal sticks. */
    assert_int_equal(ccel_boot_acpi_data(&s, b(acpi_script, sizeof acpi_script - 1)), TDS_OK);
    ccel_boot_seq mid = s;
    assert_int_equal(ccel_boot_replan(&mid, &ccel_boot_plan_linux), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_linux_blob(&mid, CCEL_LINUX_KERNEL, &d), TDS_ERR_STATE);
    /* A plan whose start differs from what was recorded (the payload was recorded). */
    start(&la, area_a, sizeof area_a);
    assert_int_equal(ccel_boot_begin(&s, &ccel_boot_plan_exec, &la, &ops_a), TDS_OK);
    assert_int_equal(ccel_boot_td_hob(&s, b(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_boot_payload(&s, b(payload, sizeof payload), 0, 0), TDS_OK);
    ccel_boot_seq other = s;
    assert_int_equal(ccel_boot_replan(&other, &ccel_boot_plan_linux_no_acpi), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_separators(&other), TDS_ERR_STATE);
    assert_false(ccel_boot_complete(&other));
    /* Shorter than what was recorded, NULL, bad plans. */
    other = s;
    const ccel_boot_plan one = {"one", 1, {CCEL_BOOT_TD_HOB}};
    assert_int_equal(ccel_boot_replan(&other, &one), TDS_ERR_STATE);
    other = s;
    assert_int_equal(ccel_boot_replan(&other, NULL), TDS_ERR_STATE);
    const ccel_boot_plan twice = {
        "acpi-twice", 3, {CCEL_BOOT_TD_HOB, CCEL_BOOT_ACPI, CCEL_BOOT_ACPI}};
    fresh = s;
    fresh.next = 1;
    assert_int_equal(ccel_boot_replan(&fresh, &twice), TDS_ERR_STATE);
    assert_int_equal(ccel_boot_replan(NULL, &one), TDS_ERR_INVALID_ARG);
    /* The same plan again: a no-op. */
    assert_int_equal(ccel_boot_replan(&s, &ccel_boot_plan_exec), TDS_OK);
    assert_int_equal(ccel_boot_separators(&s), TDS_OK);
    assert_true(ccel_boot_complete(&s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plans_exact),
        cmocka_unit_test(test_exec_plan_same_log_as_helpers),
        cmocka_unit_test(test_linux_plan_digests),
        cmocka_unit_test(test_linux_acpi_events_then_kernel),
        cmocka_unit_test(test_linux_kernel_without_acpi_refused),
        cmocka_unit_test(test_linux_acpi_errors_stick),
        cmocka_unit_test(test_acpi_plan_shapes),
        cmocka_unit_test(test_linux_plan_log_replays),
        cmocka_unit_test(test_out_of_order_refused_and_sticky),
        cmocka_unit_test(test_event_error_sticks),
        cmocka_unit_test(test_begin_refuses_bad_arguments),
        cmocka_unit_test(test_linux_no_acpi_plan),
        cmocka_unit_test(test_replan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
