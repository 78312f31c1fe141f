/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Boot plans and the sequencer over them (ccel_boot.h). */
#include "tdshim/ccel_boot.h"

#include "tdshim/mem.h"

const ccel_boot_plan ccel_boot_plan_exec = {
    "exec-payload", 3, {CCEL_BOOT_TD_HOB, CCEL_BOOT_PAYLOAD, CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_no_payload = {
    "no-payload", 2, {CCEL_BOOT_TD_HOB, CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_linux = {"linux",
                                             6,
                                             {CCEL_BOOT_TD_HOB, CCEL_BOOT_ACPI, CCEL_BOOT_KERNEL,
                                              CCEL_BOOT_INITRD, CCEL_BOOT_CMDLINE,
                                              CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_linux_no_acpi = {"linux-no-acpi",
                                                     5,
                                                     {CCEL_BOOT_TD_HOB, CCEL_BOOT_KERNEL,
                                                      CCEL_BOOT_INITRD, CCEL_BOOT_CMDLINE,
                                                      CCEL_BOOT_SEPARATORS}};

const ccel_boot_plan ccel_boot_plan_exec_secure = {
    "exec-payload-secure",
    6,
    {CCEL_BOOT_TD_HOB, CCEL_BOOT_SECURE_POLICY, CCEL_BOOT_SECURE_AUTHORITY, CCEL_BOOT_PAYLOAD_SVN,
     CCEL_BOOT_PAYLOAD, CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_linux_secure = {
    "linux-secure",
    9,
    {CCEL_BOOT_TD_HOB, CCEL_BOOT_SECURE_POLICY, CCEL_BOOT_ACPI, CCEL_BOOT_SECURE_AUTHORITY,
     CCEL_BOOT_PAYLOAD_SVN, CCEL_BOOT_KERNEL, CCEL_BOOT_INITRD, CCEL_BOOT_CMDLINE,
     CCEL_BOOT_SEPARATORS}};

const ccel_boot_plan ccel_boot_plan_linux_region_secure = {
    "linux-region-secure",
    9,
    {CCEL_BOOT_TD_HOB, CCEL_BOOT_SECURE_POLICY, CCEL_BOOT_SECURE_AUTHORITY, CCEL_BOOT_PAYLOAD_SVN,
     CCEL_BOOT_ACPI, CCEL_BOOT_KERNEL, CCEL_BOOT_INITRD, CCEL_BOOT_CMDLINE, CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_linux_region_secure_no_acpi = {
    "linux-region-secure-no-acpi",
    8,
    {CCEL_BOOT_TD_HOB, CCEL_BOOT_SECURE_POLICY, CCEL_BOOT_SECURE_AUTHORITY, CCEL_BOOT_PAYLOAD_SVN,
     CCEL_BOOT_KERNEL, CCEL_BOOT_INITRD, CCEL_BOOT_CMDLINE, CCEL_BOOT_SEPARATORS}};

const char *ccel_boot_step_name(ccel_boot_step step)
{
    switch (step) {
    case CCEL_BOOT_DONE: return "done";
    case CCEL_BOOT_TD_HOB: return "td_hob";
    case CCEL_BOOT_PAYLOAD: return "payload";
    case CCEL_BOOT_PAYLOAD_PARAM: return "payload_param";
    case CCEL_BOOT_SEPARATORS: return "separators";
    case CCEL_BOOT_KERNEL: return "kernel";
    case CCEL_BOOT_INITRD: return "initrd";
    case CCEL_BOOT_CMDLINE: return "cmdline";
    case CCEL_BOOT_ACPI: return "acpi";
    case CCEL_BOOT_SECURE_POLICY: return "secure_policy";
    case CCEL_BOOT_SECURE_AUTHORITY: return "secure_authority";
    case CCEL_BOOT_PAYLOAD_SVN: return "payload_svn";
    }
    return "unknown";
}

tds_status ccel_boot_begin(ccel_boot_seq *s, const ccel_boot_plan *plan, ccel_log *log,
                           const rtmr_extend_ops *ops)
{
    if (s == NULL || plan == NULL || log == NULL || ops == NULL || plan->n == 0 ||
        plan->n > CCEL_BOOT_MAX_STEPS) {
        return TDS_ERR_INVALID_ARG;
    }
    for (uint32_t i = 1; i < plan->n; i++) {
        if (plan->step[i] == CCEL_BOOT_ACPI && plan->step[i - 1u] == CCEL_BOOT_ACPI) {
            return TDS_ERR_INVALID_ARG; /* ACPI calls could not say which step they are for */
        }
    }
    memset(s, 0, sizeof *s);
    s->plan = plan;
    s->log = log;
    s->ops = *ops;
    s->err = TDS_OK;
    return TDS_OK;
}

tds_status ccel_boot_replan(ccel_boot_seq *s, const ccel_boot_plan *plan)
{
    if (s == NULL || s->plan == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (s->err != TDS_OK) {
        return s->err;
    }
    bool ok = plan != NULL && plan->n > 0 && plan->n <= CCEL_BOOT_MAX_STEPS && s->next <= plan->n &&
              s->acpi_events == 0;
    for (uint32_t i = 1; ok && i < plan->n; i++) {
        ok = !(plan->step[i] == CCEL_BOOT_ACPI && plan->step[i - 1u] == CCEL_BOOT_ACPI);
    }
    for (uint32_t i = 0; ok && i < s->next; i++) {
        ok = plan->step[i] == s->plan->step[i];
    }
    if (!ok) {
        s->err = TDS_ERR_STATE;
        return s->err;
    }
    s->plan = plan;
    return TDS_OK;
}

ccel_boot_step ccel_boot_next(const ccel_boot_seq *s)
{
    if (s == NULL || s->plan == NULL || s->err != TDS_OK || s->next >= s->plan->n) {
        return CCEL_BOOT_DONE;
    }
    return s->plan->step[s->next];
}

/* On an ACPI step that has at least one event (so the next call may leave it)? */
static bool acpi_step_recorded(const ccel_boot_seq *s)
{
    return ccel_boot_next(s) == CCEL_BOOT_ACPI && s->acpi_events > 0;
}

bool ccel_boot_complete(const ccel_boot_seq *s)
{
    if (s == NULL || s->plan == NULL || s->err != TDS_OK || s->next > s->plan->n) {
        return false;
    }
    if (s->next == s->plan->n) {
        return true;
    }
    /* A plan ending with ACPI: the step stays open for more events, and counts once it has one. */
    return s->plan->n - s->next == 1u && acpi_step_recorded(s);
}

/*
 * May the call for `step` record now? A call for another step than ACPI first leaves an ACPI
 * step that has its events. Records a refusal (sticky) if not; nothing changes on a refusal.
 */
static tds_status expect(ccel_boot_seq *s, ccel_boot_step step)
{
    if (s == NULL || s->plan == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (s->err != TDS_OK) {
        return s->err;
    }
    const uint32_t skip = step != CCEL_BOOT_ACPI && acpi_step_recorded(s) ? 1u : 0u;
    /* s->next < plan->n <= CCEL_BOOT_MAX_STEPS whenever skip is 1: no wrap. */
    const uint32_t at = s->next + skip;
    if (at >= s->plan->n || s->plan->step[at] != step) {
        s->err = TDS_ERR_STATE;
        return s->err;
    }
    if (skip != 0u) {
        s->next = at;
        s->acpi_events = 0;
    }
    return TDS_OK;
}

/* After the event: advance, or make its error stick. */
static tds_status done(ccel_boot_seq *s, tds_status st)
{
    if (st != TDS_OK) {
        s->err = st;
        return st;
    }
    s->next++;
    return TDS_OK;
}

tds_status ccel_boot_td_hob(ccel_boot_seq *s, tds_bytes hob)
{
    TDS_TRY(expect(s, CCEL_BOOT_TD_HOB));
    return done(s, ccel_event_td_hob(s->log, &s->ops, hob));
}

tds_status ccel_boot_payload(ccel_boot_seq *s, tds_bytes image, uint64_t base, uint64_t length)
{
    TDS_TRY(expect(s, CCEL_BOOT_PAYLOAD));
    return done(s, ccel_event_payload(s->log, &s->ops, image, base, length));
}

tds_status ccel_boot_payload_param(ccel_boot_seq *s, tds_bytes param)
{
    TDS_TRY(expect(s, CCEL_BOOT_PAYLOAD_PARAM));
    return done(s, ccel_event_payload_param(s->log, &s->ops, param));
}

tds_status ccel_boot_separators(ccel_boot_seq *s)
{
    TDS_TRY(expect(s, CCEL_BOOT_SEPARATORS));
    tds_status st = ccel_event_separator(s->log, &s->ops, RTMR_MR(RTMR_MR_RTMR0), 0);
    if (st == TDS_OK) {
        st = ccel_event_separator(s->log, &s->ops, RTMR_MR(RTMR_MR_RTMR1), 0);
    }
    return done(s, st);
}

tds_status ccel_boot_secure_policy(ccel_boot_seq *s, tds_bytes policy_db)
{
    TDS_TRY(expect(s, CCEL_BOOT_SECURE_POLICY));
    return done(s, ccel_event_secure_policy_db(s->log, &s->ops, policy_db));
}

tds_status ccel_boot_secure_authority(ccel_boot_seq *s, tds_bytes trust_anchor)
{
    TDS_TRY(expect(s, CCEL_BOOT_SECURE_AUTHORITY));
    return done(s, ccel_event_secure_authority(s->log, &s->ops, trust_anchor));
}

tds_status ccel_boot_payload_svn(ccel_boot_seq *s, uint64_t svn)
{
    TDS_TRY(expect(s, CCEL_BOOT_PAYLOAD_SVN));
    return done(s, ccel_event_payload_svn(s->log, &s->ops, svn));
}

tds_status ccel_boot_linux_blob(ccel_boot_seq *s, ccel_linux_blob which, const rtmr_digest *digest)
{
    ccel_boot_step step = CCEL_BOOT_DONE;
    switch (which) {
    case CCEL_LINUX_KERNEL: step = CCEL_BOOT_KERNEL; break;
    case CCEL_LINUX_INITRD: step = CCEL_BOOT_INITRD; break;
    case CCEL_LINUX_CMDLINE: step = CCEL_BOOT_CMDLINE; break;
    }
    if (step == CCEL_BOOT_DONE) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(expect(s, step));
    return done(s, ccel_event_linux_blob_digest(s->log, &s->ops, which, digest));
}

/* After an ACPI event: stay on the step, or make its error stick. */
static tds_status acpi_done(ccel_boot_seq *s, tds_status st)
{
    if (st != TDS_OK) {
        s->err = st;
        return st;
    }
    s->acpi_events++; /* below UINT32_MAX: checked before the event */
    return TDS_OK;
}

/* The ACPI step is next and can count one more event? Records a refusal (sticky) if not. */
static tds_status expect_acpi(ccel_boot_seq *s)
{
    TDS_TRY(expect(s, CCEL_BOOT_ACPI));
    if (s->acpi_events == UINT32_MAX) {
        s->err = TDS_ERR_OVERFLOW;
        return s->err;
    }
    return TDS_OK;
}

tds_status ccel_boot_acpi_data(ccel_boot_seq *s, tds_bytes data)
{
    TDS_TRY(expect_acpi(s));
    return acpi_done(s, ccel_event_acpi_data(s->log, &s->ops, data));
}

tds_status ccel_boot_acpi_data_digest(ccel_boot_seq *s, const rtmr_digest *digest)
{
    TDS_TRY(expect_acpi(s));
    return acpi_done(s, ccel_event_acpi_data_digest(s->log, &s->ops, digest));
}
