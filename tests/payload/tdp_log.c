/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_log.h"

#include "tdp_hob.h"

static void line_status(struct tdp_line *l, tds_status s)
{
    tdp_line_str(l, s == TDS_OK ? " ok" : " FAIL ");
    if (s != TDS_OK) {
        tdp_line_str(l, tds_status_str(s));
    }
}

tds_status tdp_ccel_table_check(const struct tdp_sink *sink, tds_bytes table,
                                const tdhob_e820_entry *e820, size_t n, ccel_acpi *out)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    ccel_acpi t;
    struct tdp_line l;
    tds_status s = ccel_acpi_parse(table, &t, NULL);
    tdp_line_start(&l, "ccel");
    if (s == TDS_OK) {
        tdp_line_str(&l, " cc_type=");
        tdp_line_dec(&l, t.cc_type);
        tdp_line_str(&l, " subtype=");
        tdp_line_dec(&l, t.cc_subtype);
        tdp_line_str(&l, " laml=");
        tdp_line_hex(&l, t.laml);
        tdp_line_str(&l, " lasa=");
        tdp_line_hex(&l, t.lasa);
        if (t.cc_type != CCEL_CC_TYPE_TDX || t.cc_subtype != 0) {
            s = TDS_ERR_UNSUPPORTED;
        } else if (t.laml != TDP_LOG_AREA_SIZE) {
            s = TDS_ERR_MISMATCH;
        } else if (!tdp_e820_covers(e820, n, t.lasa, t.laml, TDHOB_E820_NVS)) {
            s = TDS_ERR_OUT_OF_BOUNDS;
            tdp_line_str(&l, " e820=NOT_NVS");
        } else {
            tdp_line_str(&l, " e820=nvs");
        }
    }
    line_status(&l, s);
    tdp_line_emit(sink, &l);
    TDS_TRY(s);
    *out = t;
    return TDS_OK;
}

typedef struct tdp_want_event {
    uint32_t mr;
    uint32_t type;
} tdp_want_event;

tds_status tdp_log_order_check(const ccel_view *view, uint32_t *bad)
{
    /* The executable-payload plan (td_hob, payload, separators), and under secure boot the same
     * with secure_policy_db, secure_authority (MR 1) and td_payload_svn (MR 2) after td_hob. */
    static const tdp_want_event plain[] = {
        {1, CCEL_EV_PLATFORM_CONFIG_FLAGS},
        {2, CCEL_EV_EFI_PLATFORM_FIRMWARE_BLOB2},
        {1, CCEL_EV_SEPARATOR},
        {2, CCEL_EV_SEPARATOR},
    };
    static const tdp_want_event secure[] = {
        {1, CCEL_EV_PLATFORM_CONFIG_FLAGS},
        {1, CCEL_EV_PLATFORM_CONFIG_FLAGS},
        {1, CCEL_EV_PLATFORM_CONFIG_FLAGS},
        {2, CCEL_EV_PLATFORM_CONFIG_FLAGS},
        {2, CCEL_EV_EFI_PLATFORM_FIRMWARE_BLOB2},
        {1, CCEL_EV_SEPARATOR},
        {2, CCEL_EV_SEPARATOR},
    };
    if (view == NULL || bad == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    *bad = 0;
    const tdp_want_event *want = NULL;
    uint32_t n = 0;
    if (view->event_count == TDS_ARRAY_LEN(plain)) {
        want = plain;
        n = TDS_ARRAY_LEN(plain);
    } else if (view->event_count == TDS_ARRAY_LEN(secure)) {
        want = secure;
        n = TDS_ARRAY_LEN(secure);
    } else {
        return TDS_ERR_MISMATCH;
    }
    ccel_iter it = ccel_iter_make(view);
    for (uint32_t i = 0; i < n; i++) {
        ccel_event ev;
        TDS_TRY(ccel_iter_next(&it, &ev));
        *bad = ev.event_no;
        if (ev.mr_index != want[i].mr || ev.event_type != want[i].type) {
            return TDS_ERR_MISMATCH;
        }
        if (ev.event_type == CCEL_EV_SEPARATOR &&
            (ev.data.len != 4 || tds_load_le32(ev.data.ptr) != 0)) {
            return TDS_ERR_MISMATCH;
        }
    }
    *bad = 0;
    return TDS_OK;
}

static void log_dump(const struct tdp_sink *sink, tds_bytes log, size_t dump_max)
{
    struct tdp_line l;
    const size_t n = log.len < dump_max ? log.len : dump_max;
    for (size_t off = 0; off < n; off += TDP_LOG_DUMP_LINE) {
        const size_t k = n - off < TDP_LOG_DUMP_LINE ? n - off : TDP_LOG_DUMP_LINE;
        tdp_line_start(&l, "log ");
        tdp_line_hex(&l, off);
        tdp_line_chr(&l, ' ');
        tdp_line_bytes(&l, log.ptr + off, k);
        tdp_line_emit(sink, &l);
    }
    tdp_line_start(&l, "log end size=");
    tdp_line_hex(&l, log.len);
    tdp_line_str(&l, n == log.len ? " complete" : " TRUNCATED");
    tdp_line_emit(sink, &l);
}

static tds_status log_events(const struct tdp_sink *sink, const ccel_view *view)
{
    struct tdp_line l;
    ccel_iter it = ccel_iter_make(view);
    ccel_event ev;
    tds_status s;
    while ((s = ccel_iter_next(&it, &ev)) == TDS_OK) {
        tdp_line_start(&l, "event ");
        tdp_line_dec(&l, ev.event_no);
        tdp_line_str(&l, " mr=");
        tdp_line_dec(&l, ev.mr_index);
        tdp_line_str(&l, " type=");
        tdp_line_hex(&l, ev.event_type);
        tdp_line_str(&l, " digest=");
        tdp_line_bytes(&l, ev.digest.b, sizeof ev.digest.b);
        tdp_line_str(&l, " size=");
        tdp_line_dec(&l, ev.data.len);
        tdp_line_emit(sink, &l);
    }
    return s == TDS_ERR_NOT_FOUND ? TDS_OK : s;
}

tds_status tdp_log_check(const struct tdp_sink *sink, tds_bytes area, const rtmr_bank *tdreport,
                         size_t dump_max, tdp_log_result *out)
{
    if (tdreport == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdp_line l;
    ccel_view view;
    ccel_parse_error perr = {0};
    tds_status s = ccel_parse(area, CCEL_PARSE_AREA, &view, &perr);
    tdp_line_start(&l, "eventlog");
    if (s == TDS_OK) {
        tdp_line_str(&l, " events=");
        tdp_line_dec(&l, view.event_count);
        tdp_line_str(&l, " used=");
        tdp_line_hex(&l, view.events_end);
        tdp_line_str(&l, " vendor=");
        tdp_line_bytes(&l, view.spec.vendor_info.ptr, view.spec.vendor_info.len);
    } else {
        tdp_line_str(&l, " invalid=");
        tdp_line_str(&l, perr.reason != NULL ? perr.reason : "?");
        tdp_line_str(&l, " at=");
        tdp_line_hex(&l, perr.offset);
        tdp_line_str(&l, " event=");
        tdp_line_dec(&l, perr.event_no);
    }
    line_status(&l, s);
    tdp_line_emit(sink, &l);
    TDS_TRY(s);

    tdp_log_result r = {.used = view.events_end, .events = view.event_count};
    TDS_TRY(log_events(sink, &view));
    uint32_t bad = 0;
    const tds_status order = tdp_log_order_check(&view, &bad);
    tdp_line_start(&l, "events order=");
    tdp_line_str(&l, order == TDS_OK ? "ok" : "BAD");
    if (order != TDS_OK) {
        tdp_line_str(&l, " at_event=");
        tdp_line_dec(&l, bad);
    }
    tdp_line_emit(sink, &l);

    log_dump(sink, tds_bytes_make(area.ptr, view.events_end), dump_max);

    ccel_verify_result vr;
    const tds_status vs = ccel_verify(&view, tdreport, &vr);
    if (vs != TDS_OK && vs != TDS_ERR_MISMATCH) {
        return vs;
    }
    r.replayed = vr.replayed;
    for (uint32_t i = 0; i < RTMR_COUNT; i++) {
        tdp_line_start(&l, "rtmr");
        tdp_line_dec(&l, i);
        tdp_line_chr(&l, ' ');
        tdp_line_bytes(&l, tdreport->r[i].b, sizeof tdreport->r[i].b);
        tdp_line_str(&l, vr.match[i] ? " replay=ok" : " replay=MISMATCH");
        tdp_line_emit(sink, &l);
    }
    if (vs == TDS_ERR_MISMATCH) {
        tdp_line_start(&l, "rtmr diverge rtmr=");
        tdp_line_dec(&l, vr.rtmr);
        tdp_line_str(&l, " event=");
        tdp_line_dec(&l, vr.first_event);
        tdp_line_str(&l, vr.kind == CCEL_DIVERGE_EXTRA ? " kind=extra" : " kind=unknown");
        tdp_line_emit(sink, &l);
    }
    *out = r;
    if (order != TDS_OK) {
        return order;
    }
    return vs;
}
