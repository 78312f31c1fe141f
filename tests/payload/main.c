/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test payload (issue 9, docs/test-payload.md): entered by the shim as entry(hob, base),
 * runs every check on the shim's stack, IDT and page tables, prints one parseable line per
 * check and leaves QEMU through isa-debug-exit with 0x20 (pass) or 0x21 (fail).
 *
 * The checks are the pure functions of tdpayload_checks (host-tested); this file only wires them
 * to the hardware: libtdcall for the TDX module and the VMM, identity-mapped memory for the
 * addresses the HOB and the ACPI tables give.
 */
#include <stdint.h>

#include "tdp_accept.h"
#include "tdp_acpi.h"
#include "tdp_ap.h"
#include "tdp_console.h"
#include "tdp_entry_abi.h"
#include "tdp_hob.h"
#include "tdp_line.h"
#include "tdp_log.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdvmcall.h"

/* Linker-defined: the ELF header (lowest address, link base 0) and the end of the image. */
extern const uint8_t __ehdr_start[]; // NOLINT(bugprone-reserved-identifier): the linker's name
extern const uint8_t _end[];         // NOLINT(bugprone-reserved-identifier): the linker's name
void tdp_entry(void);
void tdp_entry_ms(void);

#define TDP_PAYLOAD_BASE 0x1000000u  /* docs/handoff.md §2 */
#define TDP_LOG_DUMP_MAX (16u << 10) /* at most 256 "log" lines */
#define TDP_MAP_MAX 256u
#define TDP_AP_SPIN_LIMIT 50000000u /* pauses per mailbox wait (several seconds under TCG) */

/* Large state lives here, not on the shim's 64 KiB stack. */
static struct {
    tdp_hob hob;
    tdhob_mem_range map[TDP_MAP_MAX];
    tdp_madt madt;
    tdp_ap_slot slots[TDP_MADT_MAX_CPUS];
    struct tdcall_tdreport report;
    struct tdcall_reportdata reportdata;
} g;

struct tdp_run {
    struct tdp_sink out;
    uint64_t hob;
    uint64_t base;
    uint64_t entry;     /* the entry the shim jumped to: tdp_entry or tdp_entry_ms */
    uint64_t entry_rsp; /* RSP at that entry */
    bool ms_abi;        /* entered through tdp_entry_ms (the PE32+ build) */
    uint32_t gpaw;
    uint32_t vcpus; /* TDG.VP.INFO NUM_VCPU */
    bool have_hob;
    bool have_madt;
};

static void say(struct tdp_run *r, const char *what, tds_status s)
{
    struct tdp_line l;
    tdp_line_start(&l, what);
    tdp_line_str(&l, s == TDS_OK ? " ok" : " FAIL ");
    if (s != TDS_OK) {
        tdp_line_str(&l, tds_status_str(s));
    }
    tdp_line_emit(&r->out, &l);
}

/*
 * docs/handoff.md §7: HOB 8-byte aligned, base = PAYLOAD_BASE, IF = 0 (DF = 0 after cld), and
 * RSP % 16 == 8 at the entry (the shim's call left a 16-byte aligned stack, for both ABIs).
 */
static tds_status step_entry(struct tdp_run *r)
{
    uint64_t rflags;
    __asm__ __volatile__("pushfq; popq %0" : "=r"(rflags));
    const bool hob_ok = r->hob != 0 && (r->hob & 7u) == 0;
    const bool base_ok = r->base == TDP_PAYLOAD_BASE;
    const bool if_ok = (rflags & (1u << 9)) == 0;
    const bool rsp_ok = (r->entry_rsp & 15u) == 8u;
    struct tdcall_td_info info;
    tdcall_status hw;
    tds_status s = tdcall_vp_info(&info, &hw);
    struct tdp_line l;
    tdp_line_start(&l, "entry rflags=");
    tdp_line_hex(&l, rflags);
    tdp_line_str(&l, hob_ok ? " hob=ok" : " hob=BAD");
    tdp_line_str(&l, base_ok ? " base=ok" : " base=BAD");
    tdp_line_str(&l, if_ok ? " if=0" : " if=1");
    tdp_line_str(&l, rsp_ok ? " rsp=ok" : " rsp=BAD");
    if (s == TDS_OK) {
        r->gpaw = info.gpaw;
        r->vcpus = info.num_vcpus;
        tdp_line_str(&l, " gpaw=");
        tdp_line_dec(&l, info.gpaw);
        tdp_line_str(&l, " vcpus=");
        tdp_line_dec(&l, info.num_vcpus);
        tdp_line_str(&l, " index=");
        tdp_line_dec(&l, info.vcpu_index);
    } else {
        tdp_line_str(&l, " vp_info=FAIL");
    }
    tdp_line_emit(&r->out, &l);
    TDS_TRY(s);
    return hob_ok && base_ok && if_ok && rsp_ok ? TDS_OK : TDS_ERR_STATE;
}

/*
 * The base the shim passes must be where this image runs, and the image the shim loaded must be
 * of the format that goes with the entry it used: the first bytes of the image (RVA 0) are the
 * ELF header in the ELF build and the MS-DOS header ("MZ") in the PE build (tdp_elf2pe.h).
 */
static tds_status step_image(struct tdp_run *r)
{
    struct tdp_line l;
    const uint64_t ehdr = (uint64_t)(uintptr_t)__ehdr_start;
    const bool is_elf = __ehdr_start[0] == 0x7f && __ehdr_start[1] == 'E' &&
                        __ehdr_start[2] == 'L' && __ehdr_start[3] == 'F';
    const bool is_pe = __ehdr_start[0] == 'M' && __ehdr_start[1] == 'Z';
    const bool format_ok = r->ms_abi ? is_pe : is_elf;
    tdp_line_start(&l, "image ehdr=");
    tdp_line_hex(&l, ehdr);
    tdp_line_str(&l, " end=");
    tdp_line_hex(&l, (uint64_t)(uintptr_t)_end);
    tdp_line_str(&l, " entry=");
    tdp_line_hex(&l, r->entry);
    tdp_line_str(&l, is_elf ? " format=elf" : (is_pe ? " format=pe" : " format=UNKNOWN"));
    tdp_line_str(&l, format_ok ? " abi=ok" : " abi=MISMATCH");
    tdp_line_str(&l, ehdr == r->base ? " base=ok" : " base=MISMATCH");
    tdp_line_emit(&r->out, &l);
    return ehdr == r->base && format_ok ? TDS_OK : TDS_ERR_MISMATCH;
}

static tds_status step_hob(struct tdp_run *r)
{
    if (r->gpaw == 0 || r->hob == 0 || (r->hob & 7u) != 0) {
        return TDS_ERR_STATE;
    }
    const uint8_t *p = (const uint8_t *)(uintptr_t)r->hob;
    size_t len = 0;
    tds_status s = tdp_hob_list_len(tds_bytes_make(p, 56), r->hob, TDP_HOB_MAX, &len);
    if (s != TDS_OK) {
        say(r, "hob length", s);
        return s;
    }
    /* The payload-info HOB names the entry the shim actually jumped to (ELF or PE entry). */
    TDS_TRY(tdp_hob_check(&r->out, tds_bytes_make(p, len), r->hob, r->gpaw, r->base, r->entry,
                          (uint64_t)(uintptr_t)_end, g.map, TDP_MAP_MAX, &g.hob));
    r->have_hob = true;
    /* docs/handoff.md §4: the payload HOB lives in the ACPI area (E820 type 3). */
    const bool in_acpi =
        tdp_e820_covers(g.hob.e820, g.hob.e820_count, r->hob, len, TDHOB_E820_ACPI);
    say(r, in_acpi ? "hob e820=acpi" : "hob e820=NOT_ACPI", in_acpi ? TDS_OK : TDS_ERR_MISMATCH);
    return in_acpi ? TDS_OK : TDS_ERR_MISMATCH;
}

static tds_status step_madt(struct tdp_run *r)
{
    if (!r->have_hob) {
        return TDS_ERR_STATE;
    }
    tds_bytes t;
    tds_status s = tdp_acpi_find(&g.hob.view, "APIC", &t);
    if (s != TDS_OK) {
        say(r, "madt find", s);
        return s;
    }
    tdp_madt_error err = {0};
    s = tdp_madt_parse(t, &g.madt, &err);
    if (s != TDS_OK) {
        struct tdp_line l;
        tdp_line_start(&l, "madt invalid=");
        tdp_line_str(&l, tdp_madt_reason_str(err.reason));
        tdp_line_str(&l, " at=");
        tdp_line_hex(&l, err.offset);
        tdp_line_emit(&r->out, &l);
        return s;
    }
    tdp_madt_print(&r->out, &g.madt);
    /* The mailbox page and the blob's page are ACPI NVS (docs/handoff.md §4). */
    const bool mb =
        tdp_e820_covers(g.hob.e820, g.hob.e820_count, g.madt.mailbox, 4096, TDHOB_E820_NVS);
    const bool rv = tdp_e820_covers(g.hob.e820, g.hob.e820_count, g.madt.reset_vector & ~0xFFFull,
                                    4096, TDHOB_E820_NVS);
    struct tdp_line l;
    tdp_line_start(&l, "madt mailbox e820=");
    tdp_line_str(&l, mb ? "nvs" : "NOT_NVS");
    tdp_line_str(&l, " reset e820=");
    tdp_line_str(&l, rv ? "nvs" : "NOT_NVS");
    tdp_line_emit(&r->out, &l);
    r->have_madt = mb && rv;
    return r->have_madt ? TDS_OK : TDS_ERR_MISMATCH;
}

static tds_status step_eventlog(struct tdp_run *r)
{
    if (!r->have_hob) {
        return TDS_ERR_STATE;
    }
    tds_bytes t;
    tds_status s = tdp_acpi_find(&g.hob.view, "CCEL", &t);
    if (s != TDS_OK) {
        say(r, "ccel find", s);
        return s;
    }
    ccel_acpi ccel;
    TDS_TRY(tdp_ccel_table_check(&r->out, t, g.hob.e820, g.hob.e820_count, &ccel));
    tdcall_status hw;
    s = tdcall_mr_report(&g.report, &g.reportdata, &hw);
    if (s != TDS_OK) {
        say(r, "tdreport", s);
        return s;
    }
    rtmr_bank bank;
    for (uint32_t i = 0; i < RTMR_COUNT; i++) {
        memcpy(bank.r[i].b, g.report.tdinfo.rtmr[i], sizeof bank.r[i].b);
    }
    const tds_bytes area = tds_bytes_make((const uint8_t *)(uintptr_t)ccel.lasa, (size_t)ccel.laml);
    tdp_log_result res;
    return tdp_log_check(&r->out, area, &bank, TDP_LOG_DUMP_MAX, &res);
}

static tds_status op_accept(void *ctx, uint64_t gpa, bool level_2m)
{
    (void)ctx;
    tdcall_status hw;
    return tdcall_mem_page_accept(gpa, level_2m ? TDCALL_PAGE_2M : TDCALL_PAGE_4K, &hw);
}

static tds_status op_pending(void *ctx, uint64_t gpa, bool *pending)
{
    (void)ctx;
    struct tdcall_page_attr a;
    tdcall_status hw;
    TDS_TRY(tdcall_mem_page_attr_rd(gpa, &a, &hw));
    *pending = a.pending;
    return TDS_OK;
}

static tds_status step_accept(struct tdp_run *r)
{
    if (!r->have_hob) {
        return TDS_ERR_STATE;
    }
    const tdp_accept_ops ops = {.ctx = NULL, .accept = op_accept, .pending = op_pending};
    tdp_accept_stats st;
    return tdp_accept_check(&r->out, g.hob.e820, g.hob.e820_count, &ops, &st);
}

static bool op_pause(void *ctx)
{
    (void)ctx;
    __asm__ __volatile__("pause" ::: "memory");
    return true;
}

static tds_status step_aps(struct tdp_run *r)
{
    if (!r->have_madt) {
        return TDS_ERR_STATE;
    }
    /* Every vCPU the module counts must be in the MADT, or an AP could be missed unnoticed. */
    struct tdp_line l;
    tdp_line_start(&l, "aps madt_cpus=");
    tdp_line_dec(&l, g.madt.cpu_count);
    tdp_line_str(&l, " vcpus=");
    tdp_line_dec(&l, r->vcpus);
    tdp_line_str(&l, g.madt.cpu_count == r->vcpus ? " ok" : " FAIL mismatch");
    tdp_line_emit(&r->out, &l);
    struct tdvmcall_cpuid_result c;
    tdvmcall_status vs;
    tds_status s = tdvmcall_cpuid(0xB, 0, &c, &vs);
    if (s != TDS_OK) {
        say(r, "aps cpuid", s);
        return s;
    }
    const tdp_ap_env env = {
        .mailbox = (mbox_os_mailbox *)(uintptr_t)g.madt.mailbox,
        .mailbox_addr = g.madt.mailbox,
        .reset_vector = g.madt.reset_vector,
        .vector1 = (uint64_t)(uintptr_t)tdp_ap_vector_reset,
        .vector2 = (uint64_t)(uintptr_t)tdp_ap_vector_park,
        .bsp_apic_id = c.edx,
        .slots = g.slots,
        .slot_count = TDP_MADT_MAX_CPUS,
        .ctx = NULL,
        .pause = op_pause,
        .spin_limit = TDP_AP_SPIN_LIMIT,
    };
    tdp_ap_summary sum;
    TDS_TRY(tdp_ap_check(&r->out, &g.madt, &env, &sum));
    return g.madt.cpu_count == r->vcpus ? TDS_OK : TDS_ERR_MISMATCH;
}

struct tdp_step {
    const char *name;
    tds_status (*run)(struct tdp_run *r);
};

/* In order; a failed step is reported and the next ones still run (those that need an earlier
 * result answer "wrong state"). */
static const struct tdp_step tdp_steps[] = {
    {"entry", step_entry},       {"image", step_image},   {"hob", step_hob}, {"madt", step_madt},
    {"eventlog", step_eventlog}, {"accept", step_accept}, {"aps", step_aps},
};

/* Called by entry.S: abi is TDP_ENTRY_ABI_SYSV or TDP_ENTRY_ABI_MS, entry_rsp RSP at the entry. */
_Noreturn void tdp_main(uint64_t hob, uint64_t base, uint32_t abi, uint64_t entry_rsp);

_Noreturn void tdp_main(uint64_t hob, uint64_t base, uint32_t abi, uint64_t entry_rsp)
{
    const bool ms = abi == TDP_ENTRY_ABI_MS;
    struct tdp_run r = {
        .out = tdp_console_sink(),
        .hob = hob,
        .base = base,
        .entry = ms ? (uint64_t)(uintptr_t)tdp_entry_ms : (uint64_t)(uintptr_t)tdp_entry,
        .entry_rsp = entry_rsp,
        .ms_abi = ms,
    };
    struct tdp_line l;
    bool pass = true;

    tdp_line_start(&l, "entered hob=");
    tdp_line_hex(&l, hob);
    tdp_line_str(&l, " base=");
    tdp_line_hex(&l, base);
    tdp_line_str(&l, ms ? " abi=ms" : " abi=sysv");
    tdp_line_emit(&r.out, &l);

    for (size_t i = 0; i < sizeof tdp_steps / sizeof tdp_steps[0]; i++) {
        tds_status s = tdp_steps[i].run(&r);
        tdp_line_start(&l, "check ");
        tdp_line_str(&l, tdp_steps[i].name);
        tdp_line_str(&l, s == TDS_OK ? " ok" : " FAIL ");
        if (s != TDS_OK) {
            tdp_line_str(&l, tds_status_str(s));
            pass = false;
        }
        tdp_line_emit(&r.out, &l);
    }

    tdp_line_start(&l, "result ");
    tdp_line_str(&l, pass ? "pass" : "fail");
    tdp_line_emit(&r.out, &l);
    tdp_console_exit(pass ? TDP_EXIT_PASS : TDP_EXIT_FAIL);
}
