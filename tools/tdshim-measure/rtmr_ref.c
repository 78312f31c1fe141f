/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reference RTMRs through librtmr's event helpers (rtmr_ref.h). */
#include "rtmr_ref.h"

#include <stdlib.h>

#include "tdshim/ccel_events.h"
#include "tdshim/checked.h"
#include "tdshim/mem.h"

tds_status rtmr_ref_area_size(const rtmr_ref_input *in, size_t *out)
{
    if (in == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    /* Spec ID event (< 128 bytes), each event header (< 128), its data: HOB + 20-byte config
     * header, 28-byte blob, param + 20, two 4-byte separators, the Linux blob names (<= 16);
     * then each ACPI event (66-byte header + 9 bytes of data < 128). */
    size_t n = 4096;
    size_t acpi = 0;
    TDS_TRY(tds_add_size(n, in->hob.len, &n));
    TDS_TRY(tds_add_size(n, in->param.len, &n));
    TDS_TRY(tds_add_size(n, in->policy_db.len, &n)); /* secure_policy_db; the others are small */
    TDS_TRY(tds_mul_size(in->acpi_count, 128u, &acpi));
    TDS_TRY(tds_add_size(n, acpi, &n));
    *out = n;
    return TDS_OK;
}

/* Planned (td-shim's Linux-boot order, td-shim cc-measurement and td-shim/src/event_log.rs):
 * separators, payload, param. */
static tds_status log_linux_order(const rtmr_ref_input *in, ccel_log *log,
                                  const rtmr_extend_ops *ops)
{
    if (in->separators) {
        TDS_TRY(ccel_event_separator(log, ops, RTMR_MR(RTMR_MR_RTMR0), 0));
        TDS_TRY(ccel_event_separator(log, ops, RTMR_MR(RTMR_MR_RTMR1), 0));
    }
    if (in->has_payload) {
        TDS_TRY(
            ccel_event_payload(log, ops, in->payload, in->payload_base, (uint64_t)in->payload.len));
    }
    if (in->has_param) {
        TDS_TRY(ccel_event_payload_param(log, ops, in->param));
    }
    return TDS_OK;
}

/* The firmware's plan, step by step, through the same sequencer the shim records with (which
 * refuses anything out of order: the plan's steps are walked here, since an ACPI step stays the
 * sequencer's next step until the following step's call leaves it). */
static tds_status log_plan(const rtmr_ref_input *in, ccel_log *log, const rtmr_extend_ops *ops,
                           tds_bytes hob)
{
    ccel_boot_seq seq;
    TDS_TRY(ccel_boot_begin(&seq, in->plan, log, ops));
    for (uint32_t i = 0; i < in->plan->n; i++) {
        const ccel_boot_step st = in->plan->step[i];
        switch (st) {
        case CCEL_BOOT_TD_HOB: TDS_TRY(ccel_boot_td_hob(&seq, hob)); break;
        case CCEL_BOOT_PAYLOAD:
            if (!in->has_payload) {
                return TDS_ERR_INVALID_ARG;
            }
            TDS_TRY(
                ccel_boot_payload(&seq, in->payload, in->payload_base, (uint64_t)in->payload.len));
            break;
        case CCEL_BOOT_PAYLOAD_PARAM:
            if (!in->has_param) {
                return TDS_ERR_INVALID_ARG;
            }
            TDS_TRY(ccel_boot_payload_param(&seq, in->param));
            break;
        case CCEL_BOOT_SEPARATORS: TDS_TRY(ccel_boot_separators(&seq)); break;
        case CCEL_BOOT_KERNEL:
        case CCEL_BOOT_INITRD:
        case CCEL_BOOT_CMDLINE: {
            if (!in->has_linux) {
                return TDS_ERR_INVALID_ARG;
            }
            const ccel_linux_blob which = st == CCEL_BOOT_KERNEL   ? CCEL_LINUX_KERNEL
                                          : st == CCEL_BOOT_INITRD ? CCEL_LINUX_INITRD
                                                                   : CCEL_LINUX_CMDLINE;
            const tds_bytes blob = st == CCEL_BOOT_KERNEL   ? in->kernel
                                   : st == CCEL_BOOT_INITRD ? in->initrd
                                                            : in->cmdline;
            rtmr_digest d;
            TDS_TRY(rtmr_sha384(blob, &d));
            TDS_TRY(ccel_boot_linux_blob(&seq, which, &d));
            break;
        }
        case CCEL_BOOT_ACPI:
            if (in->acpi_count == 0 || in->acpi == NULL) {
                return TDS_ERR_INVALID_ARG;
            }
            for (size_t k = 0; k < in->acpi_count; k++) {
                TDS_TRY(ccel_boot_acpi_data(&seq, in->acpi[k]));
            }
            break;
        case CCEL_BOOT_SECURE_POLICY:
        case CCEL_BOOT_SECURE_AUTHORITY:
        case CCEL_BOOT_PAYLOAD_SVN:
            if (!in->secure) {
                return TDS_ERR_INVALID_ARG;
            }
            TDS_TRY(st == CCEL_BOOT_SECURE_POLICY ? ccel_boot_secure_policy(&seq, in->policy_db)
                    : st == CCEL_BOOT_SECURE_AUTHORITY
                        ? ccel_boot_secure_authority(&seq, in->trust_anchor)
                        : ccel_boot_payload_svn(&seq, in->svn));
            break;
        case CCEL_BOOT_DONE: return TDS_ERR_INVALID_ARG; /* not a step (begin took the plan) */
        }
    }
    return ccel_boot_complete(&seq) ? TDS_OK : TDS_ERR_STATE;
}

tds_status rtmr_ref_compute(const rtmr_ref_input *in, ccel_log *log, tds_mut_bytes area,
                            rtmr_bank *bank, tdhob_error *herr)
{
    if (in == NULL || log == NULL || bank == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tdhob_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.hob_gpa = in->hob_gpa;
    cfg.gpa_from_phit = !in->hob_gpa_known;
    cfg.gpaw = in->gpaw;
    cfg.convention = TDHOB_CONV_AUTO; /* as shim/hob.c */
    cfg.scratch_cap = TDHOB_SCRATCH_ENTRIES(in->hob.len);
    cfg.scratch = calloc(cfg.scratch_cap + 1u, sizeof *cfg.scratch);
    if (cfg.scratch == NULL) {
        return TDS_ERR_NO_SPACE;
    }
    tdhob_view view;
    const tds_status vs = tdhob_validate(in->hob, &cfg, &view, herr);
    /* As the shim: the command line HOB is parsed only after the HOB validated (and in the
     * shim, after it was measured). */
    rtmr_ref_input eff = *in;
    tds_status cs = TDS_OK;
    if (vs == TDS_OK && in->has_linux && in->cmdline_from_hob) {
        cs = tdhob_get_linux_cmdline(&view, &eff.cmdline);
        if (cs == TDS_ERR_NOT_FOUND) {
            eff.cmdline = tds_bytes_make("", 1);
            cs = TDS_OK;
        }
    }
    free(cfg.scratch); /* below only the list bytes (view.hob) are read, not the memory map */
    TDS_TRY(vs);
    TDS_TRY(cs);
    in = &eff;

    /* The bytes the firmware measures before it parses the section (tdhob_measured_length):
     * for the valid list just checked, exactly PHIT .. END. */
    size_t measured = 0;
    TDS_TRY(tdhob_measured_length(in->hob, view.hob_gpa, &measured));
    if (measured != view.hob.len) {
        return TDS_ERR_MISMATCH;
    }
    rtmr_bank_reset(bank);
    const rtmr_extend_ops ops = rtmr_bank_ops(bank);
    TDS_TRY(ccel_log_init(
        log, area, tds_bytes_make(CCEL_VENDOR_INFO_TDSHIM, sizeof CCEL_VENDOR_INFO_TDSHIM - 1u)));
    if (in->plan != NULL) {
        TDS_TRY(log_plan(in, log, &ops, tds_bytes_make(in->hob.ptr, measured)));
    } else {
        TDS_TRY(ccel_event_td_hob(log, &ops, tds_bytes_make(in->hob.ptr, measured)));
        TDS_TRY(log_linux_order(in, log, &ops));
    }
    /* The log must replay to the bank (what a verifier will do with it). */
    ccel_view v;
    rtmr_bank replayed;
    TDS_TRY(ccel_parse(ccel_log_bytes(log), CCEL_PARSE_EXACT, &v, NULL));
    TDS_TRY(ccel_replay(&v, &replayed));
    for (size_t i = 0; i < RTMR_COUNT; i++) {
        if (memcmp(replayed.r[i].b, bank->r[i].b, sizeof replayed.r[i].b) != 0) {
            return TDS_ERR_MISMATCH;
        }
    }
    return TDS_OK;
}
