/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The order of a boot's measurements, defined once (docs/librtmr.md "Boot plans"): which event,
 * into which RTMR, in which order. The firmware records its events through a sequencer over the
 * plan its image calls for, and the reference tool (tdshim-measure) replays the same plan, so
 * the log a verifier predicts and the log the firmware writes cannot disagree on order.
 *
 * A sequencer is caller-owned, single-threaded state. Its rules:
 *  - Each step is recorded by its call (ccel_boot_td_hob for CCEL_BOOT_TD_HOB, ...); a call that
 *    is not for the plan's next step is refused with TDS_ERR_STATE before the log or a register
 *    changes.
 *  - Every step but one records a fixed set of events and then moves on. The exception is
 *    CCEL_BOOT_ACPI, which has one or more events: while it is the next step, each
 *    ccel_boot_acpi_data(_digest) call records one event and the sequencer stays on the step. The
 *    step is left by the call for the plan's following step, and only once at least one ACPI event
 *    was recorded: with none, that call is refused (TDS_ERR_STATE). An ACPI call after the step
 *    was left is out of order like any other. A plan may not have two ACPI steps in a row (the
 *    calls could not say which one they are for): ccel_boot_begin refuses it.
 *  - Every refusal and every event's own error sticks: every later call returns it, and
 *    ccel_boot_complete stays false.
 */
#ifndef TDSHIM_CCEL_BOOT_H
#define TDSHIM_CCEL_BOOT_H

/*
 * Thread safety: see above: a sequencer (and the log and op it holds) is used from one thread at a
 * time; the plans are read-only data, safe from any thread.
 */

#include "tdshim/ccel_events.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ccel_boot_step {
    CCEL_BOOT_DONE = 0,          /* no step left */
    CCEL_BOOT_TD_HOB = 1,        /* MR 1 (RTMR0): the TD HOB, ccel_event_td_hob */
    CCEL_BOOT_PAYLOAD = 2,       /* MR 2 (RTMR1): the payload image, ccel_event_payload */
    CCEL_BOOT_PAYLOAD_PARAM = 3, /* MR 2: the payload parameter page, ccel_event_payload_param */
    CCEL_BOOT_SEPARATORS = 4,    /* EV_SEPARATOR (u32 0) into MR 1, then into MR 2 */
    CCEL_BOOT_KERNEL = 5,        /* MR 2: the Linux kernel file (setup + kernel), a linux blob */
    CCEL_BOOT_INITRD = 6,        /* MR 2: the initrd (empty when the VMM gives none) */
    CCEL_BOOT_CMDLINE = 7,       /* MR 2: the command line with its terminating NUL */
    CCEL_BOOT_ACPI = 8,          /* MR 1: QEMU's ACPI data, one or more ccel_event_acpi_data: the
                                  * table-loader script first, then each ALLOCATEd blob in script
                                  * order */
    CCEL_BOOT_SECURE_POLICY = 9, /* MR 1: the CFV's policy files, "secure_policy_db" */
    CCEL_BOOT_SECURE_AUTHORITY = 10, /* MR 1: the trust-anchor file data, "secure_authority" */
    CCEL_BOOT_PAYLOAD_SVN = 11,      /* MR 2: the verified payload's SVN, "td_payload_svn" */
} ccel_boot_step;

#define CCEL_BOOT_MAX_STEPS 10u

typedef struct ccel_boot_plan {
    const char *name;
    uint32_t n;
    ccel_boot_step step[CCEL_BOOT_MAX_STEPS];
} ccel_boot_plan;

/* The shim handing off to an executable payload (docs/handoff.md §3): td_hob, payload,
 * separators (td-shim's order for its built-in payload). */
extern const ccel_boot_plan ccel_boot_plan_exec;
/* An image without a payload section (the test image ends its boot there): td_hob, separators. */
extern const ccel_boot_plan ccel_boot_plan_no_payload;
/* A Linux kernel from the VMM (QEMU fw_cfg): td_hob, acpi, kernel, initrd, cmdline, separators.
 * The ACPI step is QEMU's table-loader script and the blobs it ALLOCATEs, as OVMF measures them
 * (ccel_event_acpi_data: MR 1, "ACPI DATA") before the kernel; the three blobs use the event of
 * the proposed OVMF TDX blob measurement (ccel_event_linux_blob: EV_PLATFORM_CONFIG_FLAGS into
 * MR 2, data = the UTF-16 name), each measured before use. */
extern const ccel_boot_plan ccel_boot_plan_linux;
/* A Linux kernel the VMM placed in a payload region, on a VMM without fw_cfg (so without QEMU's
 * ACPI tables: the shim builds its own, from nothing the VMM gave, and measures none): td_hob,
 * kernel, initrd (empty), cmdline, separators (docs/linux-boot.md). */
extern const ccel_boot_plan ccel_boot_plan_linux_no_acpi;

/* Secure boot (docs/secure-boot.md 5): the CFV's policy measured after the TD HOB, and after a good
 * verification the trust anchor and the payload's SVN, then the payload as before:
 * td_hob, secure_policy, secure_authority, payload_svn, payload, separators. */
extern const ccel_boot_plan ccel_boot_plan_exec_secure;
/* A fw_cfg Linux boot under secure boot: the three blobs are verified (one detached COSE_Sign1
 * over their digests) once read, before their events: td_hob, secure_policy, acpi,
 * secure_authority, payload_svn, kernel, initrd, cmdline, separators. */
extern const ccel_boot_plan ccel_boot_plan_linux_secure;
/* A signed Linux kernel in a VMM-placed region (secure boot): the region is verified before it is
 * known to hold a kernel, so the two secure-boot events come first, then the region's Linux plan:
 * td_hob, secure_policy, secure_authority, payload_svn, acpi, kernel, initrd, cmdline, separators;
 * the _no_acpi variant without the acpi step (no fw_cfg). */
extern const ccel_boot_plan ccel_boot_plan_linux_region_secure;
extern const ccel_boot_plan ccel_boot_plan_linux_region_secure_no_acpi;

/* Stable name of a step ("td_hob", "payload", "payload_param", "separators", "kernel", "initrd",
 * "cmdline", "acpi", "secure_policy", "secure_authority", "payload_svn", "done"; "unknown" for any
 * other value). */
const char *ccel_boot_step_name(ccel_boot_step step);

typedef struct ccel_boot_seq {
    const ccel_boot_plan *plan;
    ccel_log *log;
    rtmr_extend_ops ops;
    uint32_t next;        /* index of the plan's next step */
    uint32_t acpi_events; /* ACPI events recorded on the current ACPI step */
    tds_status err;
} ccel_boot_seq;

/* Start a sequence over `plan` recording into `log` (initialised, owned by the caller) through
 * `ops`. TDS_ERR_INVALID_ARG for NULL arguments, a plan with no steps or too many, or a plan with
 * two ACPI steps in a row. */
TDS_MUST_USE tds_status ccel_boot_begin(ccel_boot_seq *s, const ccel_boot_plan *plan, ccel_log *log,
                                        const rtmr_extend_ops *ops);

/*
 * Switch a running sequence to another plan once the firmware knows which boot it is doing (the
 * shim learns that a VMM-placed payload region holds a Linux kernel only after the TD HOB, the
 * first event of every plan, is measured and validated). Allowed when every step recorded so far
 * is also the start of `plan` (same steps, same order), no ACPI step has events, and no error
 * stuck; the sequence then continues on `plan` from the same position. Otherwise TDS_ERR_STATE,
 * which sticks like any refusal (TDS_ERR_INVALID_ARG for a NULL or unstarted sequence).
 */
TDS_MUST_USE tds_status ccel_boot_replan(ccel_boot_seq *s, const ccel_boot_plan *plan);

/* Record the plan's next event: each is refused with TDS_ERR_STATE unless it is the next step.
 * The event itself is ccel_events.h's (reserve -> extend -> commit); its error sticks too. */
TDS_MUST_USE tds_status ccel_boot_td_hob(ccel_boot_seq *s, tds_bytes hob);
TDS_MUST_USE tds_status ccel_boot_payload(ccel_boot_seq *s, tds_bytes image, uint64_t base,
                                          uint64_t length);
TDS_MUST_USE tds_status ccel_boot_payload_param(ccel_boot_seq *s, tds_bytes param);
TDS_MUST_USE tds_status ccel_boot_separators(ccel_boot_seq *s);
/* Secure boot's three events (ccel_events.h): the CFV's policy files (secboot_policy_db) as
 * "secure_policy_db", the
 * trust-anchor file's data as "secure_authority", the SVN as "td_payload_svn". */
TDS_MUST_USE tds_status ccel_boot_secure_policy(ccel_boot_seq *s, tds_bytes policy_db);
TDS_MUST_USE tds_status ccel_boot_secure_authority(ccel_boot_seq *s, tds_bytes trust_anchor);
TDS_MUST_USE tds_status ccel_boot_payload_svn(ccel_boot_seq *s, uint64_t svn);
/* One Linux blob (its step: CCEL_BOOT_KERNEL, _INITRD or _CMDLINE for which), digest computed by
 * the caller. */
TDS_MUST_USE tds_status ccel_boot_linux_blob(ccel_boot_seq *s, ccel_linux_blob which,
                                             const rtmr_digest *digest);
/* One ACPI event (CCEL_BOOT_ACPI: the table-loader script, then each ALLOCATEd blob in script
 * order, as downloaded); the sequencer stays on the step (rules above). The _digest variant takes
 * a digest the caller computed. TDS_ERR_OVERFLOW (sticky) at 2^32 - 1 events on one step. */
TDS_MUST_USE tds_status ccel_boot_acpi_data(ccel_boot_seq *s, tds_bytes data);
TDS_MUST_USE tds_status ccel_boot_acpi_data_digest(ccel_boot_seq *s, const rtmr_digest *digest);

/* The step the plan expects next (CCEL_BOOT_DONE when every step is recorded or after an error:
 * check ccel_boot_complete). On an ACPI step it stays CCEL_BOOT_ACPI after ACPI events were
 * recorded (more may follow; the caller knows when its ACPI data ends and then makes the
 * following step's call). */
ccel_boot_step ccel_boot_next(const ccel_boot_seq *s);

/* True when every step of the plan was recorded without an error. A plan's last step, if it is
 * ACPI, counts as recorded once it has one event (it still takes more); an ACPI step without an
 * event never does. */
bool ccel_boot_complete(const ccel_boot_seq *s);

#ifdef __cplusplus
}
#endif

#endif
