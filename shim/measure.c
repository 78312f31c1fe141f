/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The shim's CC event log (measure.h). */
#include "measure.h"

#include "fatal.h"
#include "log.h"
#include "tdshim/mem.h"

/* The log area: page-aligned so it is one E820 NVS range (docs/handoff.md §4). */
static uint8_t shim_log_area[SHIM_LOG_AREA_SIZE] TDS_ALIGNED(4096);

uint64_t shim_measure_area(void)
{
    return (uint64_t)(uintptr_t)shim_log_area;
}

#include "hob.h"
#include "tdshim/ccel.h"
#include "tdshim/ccel_events.h"
#include "tdshim/rtmr_tdcall.h"

/* The td_hob event carries the whole list as its data (td-shim's event): the log must hold the
 * largest HOB the shim takes, with room for everything else. */
_Static_assert(SHIM_LOG_AREA_SIZE >= SHIM_HOB_MAX + 0x10000u,
               "event log area too small for the largest TD HOB");

static ccel_log shim_ccel;
static rtmr_tdcall_ctx shim_log_tctx;

void shim_measure_init(void)
{
    const char vendor[] = CCEL_VENDOR_INFO_TDSHIM;
    if (ccel_log_init(&shim_ccel, tds_mut_bytes_make(shim_log_area, sizeof shim_log_area),
                      tds_bytes_make(vendor, sizeof vendor - 1)) != TDS_OK) {
        shim_fatal(0x6001, "event log: cannot start the log");
    }
    shim_log("tdshim: eventlog: area=0x%lx size=0x%x recording", shim_measure_area(),
             SHIM_LOG_AREA_SIZE);
}

static void logged(const char *what, uint64_t measured, tds_status st)
{
    if (st != TDS_OK) {
        shim_log("tdshim: eventlog: %s: %s (tdx status 0x%lx)", what, tds_status_str(st),
                 shim_log_tctx.last.raw);
        shim_fatal(0x6002, "event log: a measurement could not be logged and extended");
    }
    /* Print the event just committed (the last one of the log) for the boot report. */
    ccel_view v;
    if (ccel_parse(ccel_log_bytes(&shim_ccel), CCEL_PARSE_EXACT, &v, NULL) != TDS_OK) {
        shim_fatal(0x6003, "event log: own log does not parse");
    }
    ccel_iter it = ccel_iter_make(&v);
    ccel_event ev;
    ccel_event last;
    memset(&last, 0, sizeof last);
    while (ccel_iter_next(&it, &ev) == TDS_OK) {
        last = ev;
    }
    char hex[2 * RTMR_SHA384_SIZE + 1];
    (void)shim_hex(hex, sizeof hex, last.digest.b, sizeof last.digest.b);
    shim_log("tdshim: eventlog: event %u mr=%u (rtmr%u) type=0x%x %s measured=%lu bytes sha384=%s",
             last.event_no, last.mr_index, last.mr_index - 1u, last.event_type, what, measured,
             hex);
}

static rtmr_extend_ops ops(void)
{
    return rtmr_tdcall_ops(&shim_log_tctx);
}

void shim_measure_td_hob(tds_bytes hob)
{
    const rtmr_extend_ops o = ops();
    logged("td_hob", hob.len, ccel_event_td_hob(&shim_ccel, &o, hob));
}

void shim_measure_payload(tds_bytes payload, uint64_t base, uint64_t length)
{
    const rtmr_extend_ops o = ops();
    logged("td_payload", payload.len, ccel_event_payload(&shim_ccel, &o, payload, base, length));
}

void shim_measure_separators(void)
{
    const rtmr_extend_ops o = ops();
    logged("separator", 4, ccel_event_separator(&shim_ccel, &o, 1, 0));
    logged("separator", 4, ccel_event_separator(&shim_ccel, &o, 2, 0));
}

tds_bytes shim_measure_log(void)
{
    return ccel_log_bytes(&shim_ccel);
}

uint32_t shim_measure_events(void)
{
    return shim_ccel.events;
}
