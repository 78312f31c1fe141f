/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Boot plans and the sequencer over them (ccel_boot.h). */
#include "tdshim/ccel_boot.h"

#include "tdshim/mem.h"

const ccel_boot_plan ccel_boot_plan_exec = {
    "exec-payload", 3, {CCEL_BOOT_TD_HOB, CCEL_BOOT_PAYLOAD, CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_no_payload = {
    "no-payload", 2, {CCEL_BOOT_TD_HOB, CCEL_BOOT_SEPARATORS}};
const ccel_boot_plan ccel_boot_plan_linux = {"linux",
                                             5,
                                             {CCEL_BOOT_TD_HOB, CCEL_BOOT_KERNEL, CCEL_BOOT_INITRD,
                                              CCEL_BOOT_CMDLINE, CCEL_BOOT_SEPARATORS}};

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
    memset(s, 0, sizeof *s);
    s->plan = plan;
    s->log = log;
    s->ops = *ops;
    s->err = TDS_OK;
    return TDS_OK;
}

ccel_boot_step ccel_boot_next(const ccel_boot_seq *s)
{
    if (s == NULL || s->plan == NULL || s->err != TDS_OK || s->next >= s->plan->n) {
        return CCEL_BOOT_DONE;
    }
    return s->plan->step[s->next];
}

bool ccel_boot_complete(const ccel_boot_seq *s)
{
    return s != NULL && s->plan != NULL && s->err == TDS_OK && s->next == s->plan->n;
}

/* Is `step` the next one? Records a refusal (sticky) if not. */
static tds_status expect(ccel_boot_seq *s, ccel_boot_step step)
{
    if (s == NULL || s->plan == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (s->err != TDS_OK) {
        return s->err;
    }
    if (ccel_boot_next(s) != step) {
        s->err = TDS_ERR_STATE;
        return s->err;
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
    tds_status st = ccel_event_separator(s->log, &s->ops, 1, 0);
    if (st == TDS_OK) {
        st = ccel_event_separator(s->log, &s->ops, 2, 0);
    }
    return done(s, st);
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
