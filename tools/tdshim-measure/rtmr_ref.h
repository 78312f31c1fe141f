/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Reference RTMR values (docs/tools/tdshim-measure.md): validates a TD HOB with libtdhob as the
 * shim does, then builds the CC event log with librtmr's event helpers (the shim's helpers) over a
 * software register bank, so the log and the registers cannot drift from the firmware's scheme.
 */
#ifndef TDSHIM_TOOLS_RTMR_REF_H
#define TDSHIM_TOOLS_RTMR_REF_H

#include "tdshim/ccel.h"
#include "tdshim/ccel_boot.h"
#include "tdshim/tdhob.h"

typedef struct rtmr_ref_input {
    tds_bytes hob;      /* the TD_HOB section bytes as loaded (trailing bytes ignored) */
    bool hob_gpa_known; /* false: derive the GPA from the PHIT (the file alone) */
    uint64_t hob_gpa;   /* the metadata TD_HOB section's GPA when known */
    uint32_t gpaw;      /* 48 or 52 */
    bool separators;    /* planned: td-shim's EV_SEPARATOR into MR 1 and MR 2 */
    bool has_payload;   /* planned: payload image -> RTMR1 */
    tds_bytes payload;
    uint64_t payload_base; /* event data only (not hashed) */
    bool has_param;        /* planned: payload parameter -> RTMR1 */
    tds_bytes param;
    /* A Linux boot (ccel_boot_plan_linux): the kernel file, the initrd (empty when none) and the
     * command line bytes as the VMM gives them (QEMU's CMDLINE_DATA: the string and its NUL). */
    bool has_linux;
    tds_bytes kernel;
    tds_bytes initrd;
    tds_bytes cmdline;
    /* A kernel from a VMM-placed region without a PayloadParam section: the command line is the
     * TD HOB's Linux-cmdline GUID HOB (tdhob_get_linux_cmdline), else the empty string; `cmdline`
     * is then ignored. */
    bool cmdline_from_hob;
    bool secure;
    /* The plan's ACPI step (ccel_boot_plan_linux): QEMU's fw_cfg "etc/table-loader" script, then
     * each blob it ALLOCATEs in script order, as downloaded; one ACPI DATA event each. */
    const tds_bytes *acpi;
    size_t acpi_count;
    /* Secure boot (the plans' secure_policy, secure_authority and payload_svn steps; `secure`
     * says they have inputs): the CFV's policy files (secboot_policy_db), the trust-anchor file's
     * 88 data bytes, the verified SVN. */
    tds_bytes policy_db;
    tds_bytes trust_anchor;
    uint64_t svn;
    /*
     * The firmware's boot plan (tdshim/ccel_boot.h, the one the shim follows): every step's
     * input must be given (has_payload for a payload step, has_param for a parameter step,
     * has_linux for the kernel, initrd and cmdline steps, acpi_count >= 1 for the ACPI step; the
     * separators need none). NULL: the flags above in td-shim's Linux-boot order (td_hob,
     * separators, payload, param), each present or not.
     */
    const ccel_boot_plan *plan;
} rtmr_ref_input;

/*
 * Validates in->hob and writes the expected log into area (ccel_log_bytes(log) on success) and
 * the four registers into bank; the log is re-parsed and replayed and must give the same bank.
 * On an invalid HOB, TDS_ERR_* from tdhob_validate with *herr filled. TDS_ERR_NO_SPACE if area
 * is too small (rtmr_ref_area_size gives a size that fits).
 */
TDS_MUST_USE tds_status rtmr_ref_compute(const rtmr_ref_input *in, ccel_log *log,
                                         tds_mut_bytes area, rtmr_bank *bank, tdhob_error *herr);

/* A log area size that holds every event rtmr_ref_compute can write for in. */
TDS_MUST_USE tds_status rtmr_ref_area_size(const rtmr_ref_input *in, size_t *out);

#endif
