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
#include "tdshim/ccel_boot.h"
#include "tdshim/rtmr_tdcall.h"
#include "tdshim/tdcall.h"

/* The td_hob event carries the whole list as its data (td-shim's event): the log must hold the
 * largest HOB the shim takes, with room for everything else. */
_Static_assert(SHIM_LOG_AREA_SIZE >= SHIM_HOB_MAX + 0x10000u,
               "event log area too small for the largest TD HOB");

static ccel_log shim_ccel;
static rtmr_tdcall_ctx shim_log_tctx;
static ccel_boot_seq shim_seq; /* the boot plan's sequencer (ccel_boot.h) */

void shim_measure_init(const ccel_boot_plan *plan)
{
    const char vendor[] = CCEL_VENDOR_INFO_TDSHIM;
    const rtmr_extend_ops ops = rtmr_tdcall_ops(&shim_log_tctx);
    if (ccel_log_init(&shim_ccel, tds_mut_bytes_make(shim_log_area, sizeof shim_log_area),
                      tds_bytes_make(vendor, sizeof vendor - 1)) != TDS_OK ||
        ccel_boot_begin(&shim_seq, plan, &shim_ccel, &ops) != TDS_OK) {
        shim_fatal(0x6001, "event log: cannot start the log");
    }
    shim_log("tdshim: eventlog: area=0x%lx size=0x%x recording, plan %s", shim_measure_area(),
             SHIM_LOG_AREA_SIZE, plan->name);
}

void shim_measure_replan(const ccel_boot_plan *plan)
{
    if (ccel_boot_replan(&shim_seq, plan) != TDS_OK) {
        shim_log("tdshim: eventlog: cannot switch from plan %s to %s", shim_seq.plan->name,
                 plan->name);
        shim_fatal(0x6004, "event log: a measurement out of the boot plan's order");
    }
    shim_log("tdshim: eventlog: plan %s from here (the recorded events are its start)", plan->name);
}

/* After a step: fatal on failure, else print the events it committed (the boot report). */
static void logged(const char *what, uint64_t measured, uint32_t events_before, tds_status st)
{
    if (st != TDS_OK) {
        shim_log("tdshim: eventlog: %s: %s (tdx status 0x%lx)", what, tds_status_str(st),
                 shim_log_tctx.last.raw);
        shim_fatal(st == TDS_ERR_STATE ? 0x6004 : 0x6002,
                   st == TDS_ERR_STATE ? "event log: a measurement out of the boot plan's order"
                                       : "event log: a measurement could not be logged and "
                                         "extended");
    }
    ccel_view v;
    if (ccel_parse(ccel_log_bytes(&shim_ccel), CCEL_PARSE_EXACT, &v, NULL) != TDS_OK) {
        shim_fatal(0x6003, "event log: own log does not parse");
    }
    ccel_iter it = ccel_iter_make(&v);
    ccel_event ev;
    while (ccel_iter_next(&it, &ev) == TDS_OK) {
        if (ev.event_no <= events_before) {
            continue;
        }
        char hex[2 * RTMR_SHA384_SIZE + 1];
        (void)shim_hex(hex, sizeof hex, ev.digest.b, sizeof ev.digest.b);
        shim_log("tdshim: eventlog: event %u mr=%u (rtmr%u) type=0x%x %s measured=%lu bytes "
                 "sha384=%s",
                 ev.event_no, ev.mr_index, ev.mr_index - 1u, ev.event_type, what, measured, hex);
    }
}

void shim_measure_td_hob(tds_bytes hob)
{
    const uint32_t before = shim_ccel.event_count; /* measured events so far */
    logged("td_hob", hob.len, before, ccel_boot_td_hob(&shim_seq, hob));
}

void shim_measure_payload(tds_bytes payload, uint64_t base, uint64_t length)
{
    const uint32_t before = shim_ccel.event_count; /* measured events so far */
    logged("td_payload", payload.len, before, ccel_boot_payload(&shim_seq, payload, base, length));
}

void shim_measure_secure_policy(tds_bytes cfv)
{
    const uint32_t before = shim_ccel.event_count;
    logged("secure_policy_db", cfv.len, before, ccel_boot_secure_policy(&shim_seq, cfv));
}

void shim_measure_secure_authority(tds_bytes trust_anchor)
{
    const uint32_t before = shim_ccel.event_count;
    logged("secure_authority", trust_anchor.len, before,
           ccel_boot_secure_authority(&shim_seq, trust_anchor));
}

void shim_measure_payload_svn(uint64_t svn)
{
    const uint32_t before = shim_ccel.event_count;
    logged("td_payload_svn", 8, before, ccel_boot_payload_svn(&shim_seq, svn));
}

void shim_measure_separators(void)
{
    const uint32_t before = shim_ccel.event_count; /* measured events so far */
    logged("separator", 4, before, ccel_boot_separators(&shim_seq));
}

void shim_measure_linux_blob(ccel_linux_blob which, uint64_t measured, const rtmr_digest *digest)
{
    const uint32_t before = shim_ccel.event_count;
    const char *what = which == CCEL_LINUX_KERNEL   ? "kernel"
                       : which == CCEL_LINUX_INITRD ? "initrd"
                                                    : "cmdline";
    logged(what, measured, before, ccel_boot_linux_blob(&shim_seq, which, digest));
}

void shim_measure_acpi_data(tds_bytes data)
{
    const uint32_t before = shim_ccel.event_count;
    logged("acpi", data.len, before, ccel_boot_acpi_data(&shim_seq, data));
}

void shim_measure_report_rtmrs(void)
{
    static struct tdcall_tdreport report;
    static struct tdcall_reportdata reportdata;
    tdcall_status hw;
    if (tdcall_mr_report(&report, &reportdata, &hw) != TDS_OK) {
        shim_fatal(0x3004, "TDG.MR.REPORT failed");
    }
    for (uint32_t i = 0; i < TDCALL_RTMR_COUNT; i++) {
        char hex[2 * RTMR_SHA384_SIZE + 1];
        (void)shim_hex(hex, sizeof hex, report.tdinfo.rtmr[i], sizeof report.tdinfo.rtmr[i]);
        shim_log("tdshim: tdreport rtmr%u=%s", i, hex);
    }
}

void shim_measure_require_complete(void)
{
    if (!ccel_boot_complete(&shim_seq)) {
        shim_log("tdshim: eventlog: plan %s stopped before %s", shim_seq.plan->name,
                 ccel_boot_step_name(ccel_boot_next(&shim_seq)));
        shim_fatal(0x6005, "event log: the boot plan's measurements are not all recorded");
    }
}

tds_bytes shim_measure_log(void)
{
    return ccel_log_bytes(&shim_ccel);
}

uint32_t shim_measure_events(void)
{
    return shim_ccel.event_count;
}
