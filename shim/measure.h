/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's CC event log (docs/handoff.md §3): a TCG2 crypto-agile log (librtmr ccel_log,
 * vendor info "td-shim", SHA-384 only) in a 64 KiB area of the shim's RAM, with every measured
 * event extended into its RTMR through TDG.MR.RTMR.EXTEND as it is logged (reserve -> extend ->
 * commit: the log always replays to the registers). Any failure is fatal: a TD whose registers
 * and log disagree must not boot a payload.
 */
#ifndef TDSHIM_SHIM_MEASURE_H
#define TDSHIM_SHIM_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/base.h"
#include "tdshim/ccel_boot.h"

/* LAML of the CCEL table: 192 KiB, the largest TD HOB (SHIM_HOB_MAX, 128 KiB, which the td_hob
 * event carries whole) and 64 KiB for every other event (measure.c checks the relation). */
#define SHIM_LOG_AREA_SIZE 0x30000u

/* Start the log (Spec ID event only) and the boot plan its events follow (tdshim/ccel_boot.h,
 * shared with tdshim-measure): ccel_boot_plan_exec with a payload section, ccel_boot_plan_linux
 * for a kernel from fw_cfg, else ccel_boot_plan_no_payload. A TD entry only: TDG.MR.RTMR.EXTEND
 * must be answered. An event out of the plan's order is fatal (0x6004). */
void shim_measure_init(const ccel_boot_plan *plan);

/* Switch to another plan whose start is what was recorded (ccel_boot_replan): a VMM-placed
 * payload region turns out to hold a Linux kernel once the TD HOB is taken. Fatal (0x6004). */
void shim_measure_replan(const ccel_boot_plan *plan);

/* RTMR1 <- a Linux blob from fw_cfg whose SHA-384 the caller computed while copying it
 * (`measured` bytes: printed only). */
void shim_measure_linux_blob(ccel_linux_blob which, uint64_t measured, const rtmr_digest *digest);
/* One ACPI DATA event (RTMR0): the table-loader script, then each file it loads, in order. */
void shim_measure_acpi_data(tds_bytes data);

/* Print RTMR0..3 as the TDX module reports them in a TDREPORT (for the boot report). */
void shim_measure_report_rtmrs(void);

/* RTMR0 <- the TD HOB bytes (tdhob_measured_length of the copy, before validation), event
 * "td_hob" (td-shim's descriptor). */
void shim_measure_td_hob(tds_bytes hob);

/* RTMR1 <- the payload bytes, EV_EFI_PLATFORM_FIRMWARE_BLOB2 {"td_payload", base, length}. */
void shim_measure_payload(tds_bytes payload, uint64_t base, uint64_t length);

/* Secure boot (secboot.h): RTMR0 <- the CFV's policy files as "secure_policy_db"; RTMR0 <- the
 * trust-anchor file's 88 data bytes as "secure_authority"; RTMR1 <- the verified SVN (u64 LE) as
 * "td_payload_svn" (td-shim's descriptors, TD_SHIM_PLATFORM_CONFIG_INFO event data). */
void shim_measure_secure_policy(tds_bytes cfv);
void shim_measure_secure_authority(tds_bytes trust_anchor);
void shim_measure_payload_svn(uint64_t svn);

/* EV_SEPARATOR (u32 0) into RTMR0 then RTMR1: the end of the firmware's measurements. */
void shim_measure_separators(void);

/* Before anything runs that the firmware did not measure: every step of the plan must be
 * recorded, else fatal (0x6005). */
void shim_measure_require_complete(void);

/* The log area (LASA). */
uint64_t shim_measure_area(void);
/* Committed log bytes and event count (for the boot report). */
tds_bytes shim_measure_log(void);
uint32_t shim_measure_events(void);

#endif
