/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Replay a validated log into the four RTMRs, verify against given values, diff two logs. */
#include "tdshim/ccel.h"

/* Does this event extend a register? (the Intel TDX Module ABI specification, TDG.MR.RTMR.EXTEND;
 * TCG PFP log replay: not EV_NO_ACTION, MR 1..4.) */
static bool extends(const ccel_event *ev, rtmr_reg_index *rtmr)
{
    return ev->event_type != CCEL_EV_NO_ACTION &&
           rtmr_mr_to_rtmr(RTMR_MR(ev->mr_index), rtmr) == TDS_OK;
}

tds_status ccel_replay(const ccel_view *view, rtmr_bank *out)
{
    if (view == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    ccel_iter it = ccel_iter_make(view);
    ccel_event ev;
    tds_status s;
    while ((s = ccel_iter_next(&it, &ev)) == TDS_OK) {
        rtmr_reg_index rtmr;
        if (extends(&ev, &rtmr)) {
            TDS_TRY(rtmr_bank_extend(&bank, rtmr, &ev.digest));
        }
    }
    if (s != TDS_ERR_NOT_FOUND) {
        return s;
    }
    *out = bank;
    return TDS_OK;
}

typedef struct divergence {
    ccel_divergence kind;
    uint32_t event_no; /* 0 = after the last event */
    size_t offset;
} divergence;

/* Where does register r part ways with expected? (See ccel_verify in ccel.h.) */
static tds_status locate(const ccel_view *view, uint32_t r, const rtmr_digest *expected,
                         divergence *out)
{
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    ccel_iter it = ccel_iter_make(view);
    ccel_event ev;
    tds_status s;
    bool have_first = false;
    divergence first = {CCEL_DIVERGE_UNKNOWN, 0, view->events_end};
    while ((s = ccel_iter_next(&it, &ev)) == TDS_OK) {
        rtmr_reg_index rtmr;
        if (!extends(&ev, &rtmr) || rtmr.value != r) {
            continue;
        }
        if (tds_ct_equal(bank.r[r].b, expected->b, RTMR_SHA384_SIZE)) {
            out->kind = CCEL_DIVERGE_EXTRA;
            out->event_no = ev.event_no;
            out->offset = ev.offset;
            return TDS_OK;
        }
        if (!have_first) {
            have_first = true;
            first.event_no = ev.event_no;
            first.offset = ev.offset;
        }
        TDS_TRY(rtmr_bank_extend(&bank, RTMR_REG(r), &ev.digest));
    }
    if (s != TDS_ERR_NOT_FOUND) {
        return s;
    }
    *out = first;
    return TDS_OK;
}

/* Order for "which comes first": event 0 means "after the last event". */
static uint64_t order_key(uint32_t event_no)
{
    return event_no == 0 ? UINT64_MAX : (uint64_t)event_no;
}

tds_status ccel_verify(const ccel_view *view, const rtmr_bank *expected, ccel_verify_result *res)
{
    if (view == NULL || expected == NULL || res == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    ccel_verify_result r;
    memset(&r, 0, sizeof r);
    TDS_TRY(ccel_replay(view, &r.replayed));
    bool all = true;
    bool reported = false;
    for (uint32_t i = 0; i < RTMR_COUNT; i++) {
        r.match[i] = tds_ct_equal(r.replayed.r[i].b, expected->r[i].b, RTMR_SHA384_SIZE) != 0;
        if (r.match[i]) {
            continue;
        }
        all = false;
        divergence d;
        TDS_TRY(locate(view, i, &expected->r[i], &d));
        if (!reported || order_key(d.event_no) < order_key(r.first_event)) {
            reported = true;
            r.kind = d.kind;
            r.rtmr = i;
            r.first_event = d.event_no;
            r.first_offset = d.offset;
        }
    }
    if (all) {
        r.kind = CCEL_DIVERGE_NONE;
    }
    *res = r;
    return all ? TDS_OK : TDS_ERR_MISMATCH;
}

static bool event_equal(const ccel_event *a, const ccel_event *b)
{
    return a->mr_index == b->mr_index && a->event_type == b->event_type &&
           memcmp(a->digest.b, b->digest.b, RTMR_SHA384_SIZE) == 0 && a->data.len == b->data.len &&
           (a->data.len == 0 || memcmp(a->data.ptr, b->data.ptr, a->data.len) == 0);
}

tds_status ccel_diff(const ccel_view *a, const ccel_view *b, uint32_t *first)
{
    if (a == NULL || b == NULL || first == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    ccel_iter ia = ccel_iter_make(a);
    ccel_iter ib = ccel_iter_make(b);
    for (uint32_t no = 1;; no++) {
        ccel_event ea, eb;
        tds_status sa = ccel_iter_next(&ia, &ea);
        tds_status sb = ccel_iter_next(&ib, &eb);
        if (sa != TDS_OK && sa != TDS_ERR_NOT_FOUND) {
            return sa;
        }
        if (sb != TDS_OK && sb != TDS_ERR_NOT_FOUND) {
            return sb;
        }
        if (sa == TDS_ERR_NOT_FOUND && sb == TDS_ERR_NOT_FOUND) {
            *first = 0;
            return TDS_OK;
        }
        if (sa != sb || !event_equal(&ea, &eb)) {
            *first = no;
            return TDS_ERR_MISMATCH;
        }
    }
}
