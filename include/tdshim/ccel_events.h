/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The events the shim records, bit-compatible with td-shim (td-shim cc-measurement and
 * td-shim/src/event_log.rs) and with what OVMF records for a Linux direct boot (EDK2
 * BlobMeasurementLibTdx) and for QEMU's ACPI tables (EDK2 QemuFwCfgAcpi.c). Each helper hashes the
 * measured bytes with SHA-384, extends through ops and logs (reserve -> extend -> commit, see
 * ccel_log_measure). The exact digest input and event data of each is in docs/librtmr.md so a
 * verifier can compute reference values.
 */
#ifndef TDSHIM_CCEL_EVENTS_H
#define TDSHIM_CCEL_EVENTS_H

/*
 * Thread safety: each helper writes one event into the log it is given, as ccel_log_measure: one
 * thread at a time per log.
 */

#include "tdshim/ccel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* TD_SHIM_PLATFORM_CONFIG_INFO header: Descriptor[16] (NUL padded), u32 InfoLength. */
#define CCEL_CONFIG_INFO_HDR_SIZE 20u
/* td-shim descriptors (16 bytes each once NUL padded). */
#define CCEL_DESC_TD_HOB "td_hob"
#define CCEL_DESC_PAYLOAD_INFO "td_payload_info"
#define CCEL_DESC_SECURE_POLICY_DB "secure_policy_db" /* exactly 16 bytes, no NUL */
#define CCEL_DESC_SECURE_AUTHORITY "secure_authority" /* exactly 16 bytes, no NUL */
#define CCEL_DESC_PAYLOAD_SVN "td_payload_svn"
/* UEFI_PLATFORM_FIRMWARE_BLOB2 description of the td-shim payload (with its NUL: 11 bytes). */
#define CCEL_BLOB_DESC_PAYLOAD "td_payload"

/*
 * Generic td-shim config event: EV_PLATFORM_CONFIG_FLAGS, data = descriptor (<= 16 bytes, NUL
 * padded to 16) || u32 len(info) || info, digest = SHA-384(info).
 */
TDS_MUST_USE tds_status ccel_event_config(ccel_log *log, const rtmr_extend_ops *ops,
                                          rtmr_mr_index mr_index, tds_bytes descriptor,
                                          tds_bytes info);

/* TD HOB -> MR 1 (RTMR0), descriptor "td_hob"; hob = the HOB list as hashed by td-shim (from
 * the PHIT through the End-of-HOB-List HOB inclusive). */
TDS_MUST_USE tds_status ccel_event_td_hob(ccel_log *log, const rtmr_extend_ops *ops, tds_bytes hob);

/* Payload image -> MR 2 (RTMR1), EV_EFI_PLATFORM_FIRMWARE_BLOB2 {11, "td_payload\0", base,
 * length}; digest = SHA-384(image). */
TDS_MUST_USE tds_status ccel_event_payload(ccel_log *log, const rtmr_extend_ops *ops,
                                           tds_bytes image, uint64_t base, uint64_t length);

/* Payload parameter (the command-line page) -> MR 2, descriptor "td_payload_info". */
TDS_MUST_USE tds_status ccel_event_payload_param(ccel_log *log, const rtmr_extend_ops *ops,
                                                 tds_bytes param);

/* Secure boot: trust anchor (CFV file) -> MR 1 as "secure_policy_db"; after a good verify, the
 * same bytes -> MR 1 as "secure_authority"; payload SVN (u64 LE) -> MR 2 as "td_payload_svn". */
TDS_MUST_USE tds_status ccel_event_secure_policy_db(ccel_log *log, const rtmr_extend_ops *ops,
                                                    tds_bytes trust_anchor);
TDS_MUST_USE tds_status ccel_event_secure_authority(ccel_log *log, const rtmr_extend_ops *ops,
                                                    tds_bytes trust_anchor);
TDS_MUST_USE tds_status ccel_event_payload_svn(ccel_log *log, const rtmr_extend_ops *ops,
                                               uint64_t svn);

/* EV_SEPARATOR with 4-byte data u32 value (0; 1 on error) into mr_index; digest = SHA-384 of
 * the 4 bytes. td-shim writes one into MR 1 and one into MR 2 before hand-off. */
TDS_MUST_USE tds_status ccel_event_separator(ccel_log *log, const rtmr_extend_ops *ops,
                                             rtmr_mr_index mr_index, uint32_t value);

/* OVMF Linux direct boot (QEMU fw_cfg blobs): EV_PLATFORM_CONFIG_FLAGS into MR 2 (PCR 4 ->
 * RTMR1), data = the blob name in UTF-16LE with its terminating NUL (L"kernel" 14 bytes,
 * L"initrd" 14, L"cmdline" 16), digest = SHA-384(blob). */
typedef enum ccel_linux_blob {
    CCEL_LINUX_KERNEL = 0,
    CCEL_LINUX_INITRD,
    CCEL_LINUX_CMDLINE
} ccel_linux_blob;

TDS_MUST_USE tds_status ccel_event_linux_blob(ccel_log *log, const rtmr_extend_ops *ops,
                                              ccel_linux_blob which, tds_bytes blob);
/* The same event with the digest computed by the caller (e.g. while it copied the blob: a kernel
 * arrives as fw_cfg SETUP_DATA then KERNEL_DATA and is hashed as the one file they make). */
TDS_MUST_USE tds_status ccel_event_linux_blob_digest(ccel_log *log, const rtmr_extend_ops *ops,
                                                     ccel_linux_blob which,
                                                     const rtmr_digest *digest);

/*
 * QEMU's ACPI tables as OVMF measures them (EDK2 OvmfPkg/Library/AcpiPlatformLib/QemuFwCfgAcpi.c):
 * the fw_cfg "etc/table-loader" script and then every blob the script ALLOCATEs, each as
 * downloaded from fw_cfg (before any pointer or checksum is patched), one event each:
 * EV_PLATFORM_CONFIG_FLAGS into MR 1 (PCR 1 -> RTMR0), event data = the 9 ASCII bytes
 * "ACPI DATA" (no NUL), digest = SHA-384(data).
 */
#define CCEL_ACPI_DATA_EVENT "ACPI DATA"
#define CCEL_ACPI_DATA_EVENT_SIZE 9u

TDS_MUST_USE tds_status ccel_event_acpi_data(ccel_log *log, const rtmr_extend_ops *ops,
                                             tds_bytes data);
/* The same event with the digest computed by the caller (e.g. while it read the blob). */
TDS_MUST_USE tds_status ccel_event_acpi_data_digest(ccel_log *log, const rtmr_extend_ops *ops,
                                                    const rtmr_digest *digest);

#ifdef __cplusplus
}
#endif

#endif
