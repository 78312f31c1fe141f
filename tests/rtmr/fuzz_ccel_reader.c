/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libFuzzer target: the event-log reader (both modes), iterator, replay, verify, diff, and the
 * CCEL ACPI table parser, on untrusted bytes. Seeds: tests/rtmr/seeds/. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tdshim/ccel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const ccel_view *v)
{
    ccel_iter it = ccel_iter_make(v);
    ccel_event ev;
    uint32_t n = 0;
    size_t last = 0;
    while (ccel_iter_next(&it, &ev) == TDS_OK) {
        /* Invariants of a validated view. */
        if (ev.offset < v->events_start || ev.offset < last ||
            ev.data.ptr + ev.data.len > v->log.ptr + v->events_end || ev.mr_index > 4) {
            __builtin_trap();
        }
        last = ev.offset;
        n++;
    }
    if (n != v->event_count) {
        __builtin_trap();
    }
    rtmr_bank b, zero;
    memset(&zero, 0, sizeof zero);
    if (ccel_replay(v, &b) != TDS_OK) {
        __builtin_trap();
    }
    ccel_verify_result r;
    tds_status s = ccel_verify(v, &zero, &r);
    if (s != TDS_OK && s != TDS_ERR_MISMATCH) {
        __builtin_trap();
    }
    uint32_t first;
    if (ccel_diff(v, v, &first) != TDS_OK || first != 0) {
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tds_bytes in = tds_bytes_make(data, size);
    ccel_view v;
    ccel_parse_error e;
    if (ccel_parse(in, CCEL_PARSE_EXACT, &v, &e) == TDS_OK) {
        walk(&v);
    } else if (e.status == TDS_OK || e.reason == NULL || e.offset > size) {
        __builtin_trap();
    }
    if (ccel_parse(in, CCEL_PARSE_AREA, &v, NULL) == TDS_OK) {
        walk(&v);
    }
    ccel_acpi t;
    ccel_acpi_error ae = {NULL, 0};
    if (ccel_acpi_parse(in, &t, &ae) != TDS_OK && (ae.what == NULL || ae.what[0] == '\0')) {
        __builtin_trap(); /* every refusal names its rule */
    }
    return 0;
}
