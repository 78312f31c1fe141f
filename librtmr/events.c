/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The events the shim records: td-shim's descriptors (td-shim cc-measurement and
 * td-shim/src/event_log.rs, the TCG PC Client Platform Firmware Profile, event types) and OVMF's
 * Linux direct-boot blobs (EDK2 OvmfPkg BlobMeasurementLibTdx: PCR 4 -> MR 2,
 * EV_PLATFORM_CONFIG_FLAGS, event data = UTF-16 blob name) and QEMU's ACPI data (EDK2 OvmfPkg
 * QemuFwCfgAcpi.c: PCR 1 -> MR 1, EV_PLATFORM_CONFIG_FLAGS, event data "ACPI DATA").
 */
#include "tdshim/ccel_events.h"

#define DESC_SIZE 16u

static size_t cstr_len(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

tds_status ccel_event_config(ccel_log *log, const rtmr_extend_ops *ops, rtmr_mr_index mr_index,
                             tds_bytes descriptor, tds_bytes info)
{
    if (!tds_bytes_valid(descriptor) || !tds_bytes_valid(info) || descriptor.len > DESC_SIZE ||
        info.len > UINT32_MAX) {
        return TDS_ERR_INVALID_ARG;
    }
    /* TD_SHIM_PLATFORM_CONFIG_INFO: Descriptor[16] NUL padded, u32 InfoLength, then the info. */
    uint8_t hdr[CCEL_CONFIG_INFO_HDR_SIZE];
    memset(hdr, 0, sizeof hdr);
    if (descriptor.len != 0) {
        memcpy(hdr, descriptor.ptr, descriptor.len);
    }
    tds_store_le32(hdr + DESC_SIZE, (uint32_t)info.len);
    tds_bytes parts[2] = {tds_bytes_make(hdr, sizeof hdr), info};
    return ccel_log_hash_measure(log, ops, mr_index, CCEL_EV_PLATFORM_CONFIG_FLAGS, info, parts, 2);
}

static tds_status config_str(ccel_log *log, const rtmr_extend_ops *ops, rtmr_mr_index mr_index,
                             const char *desc, tds_bytes info)
{
    return ccel_event_config(log, ops, mr_index, tds_bytes_make(desc, cstr_len(desc)), info);
}

tds_status ccel_event_td_hob(ccel_log *log, const rtmr_extend_ops *ops, tds_bytes hob)
{
    return config_str(log, ops, RTMR_MR(RTMR_MR_RTMR0), CCEL_DESC_TD_HOB, hob);
}

tds_status ccel_event_payload_param(ccel_log *log, const rtmr_extend_ops *ops, tds_bytes param)
{
    return config_str(log, ops, RTMR_MR(RTMR_MR_RTMR1), CCEL_DESC_PAYLOAD_INFO, param);
}

tds_status ccel_event_secure_policy_db(ccel_log *log, const rtmr_extend_ops *ops,
                                       tds_bytes trust_anchor)
{
    return config_str(log, ops, RTMR_MR(RTMR_MR_RTMR0), CCEL_DESC_SECURE_POLICY_DB, trust_anchor);
}

tds_status ccel_event_secure_authority(ccel_log *log, const rtmr_extend_ops *ops,
                                       tds_bytes trust_anchor)
{
    return config_str(log, ops, RTMR_MR(RTMR_MR_RTMR0), CCEL_DESC_SECURE_AUTHORITY, trust_anchor);
}

tds_status ccel_event_payload_svn(ccel_log *log, const rtmr_extend_ops *ops, uint64_t svn)
{
    uint8_t le[8];
    tds_store_le64(le, svn);
    return config_str(log, ops, RTMR_MR(RTMR_MR_RTMR1), CCEL_DESC_PAYLOAD_SVN,
                      tds_bytes_make(le, 8));
}

tds_status ccel_event_payload(ccel_log *log, const rtmr_extend_ops *ops, tds_bytes image,
                              uint64_t base, uint64_t length)
{
    /* UEFI_PLATFORM_FIRMWARE_BLOB2: u8 size, description (with NUL), u64 base, u64 length. */
    static const char desc[] = CCEL_BLOB_DESC_PAYLOAD;
    uint8_t blob[1 + sizeof desc + 16];
    blob[0] = (uint8_t)sizeof desc;
    memcpy(blob + 1, desc, sizeof desc);
    tds_store_le64(blob + 1 + sizeof desc, base);
    tds_store_le64(blob + 1 + sizeof desc + 8, length);
    tds_bytes part = tds_bytes_make(blob, sizeof blob);
    return ccel_log_hash_measure(log, ops, RTMR_MR(RTMR_MR_RTMR1),
                                 CCEL_EV_EFI_PLATFORM_FIRMWARE_BLOB2, image, &part, 1);
}

tds_status ccel_event_separator(ccel_log *log, const rtmr_extend_ops *ops, rtmr_mr_index mr_index,
                                uint32_t value)
{
    uint8_t le[4];
    tds_store_le32(le, value);
    tds_bytes data = tds_bytes_make(le, sizeof le);
    return ccel_log_hash_measure(log, ops, mr_index, CCEL_EV_SEPARATOR, data, &data, 1);
}

/* The event data of a Linux blob: its name in UTF-16LE with the terminating NUL (EDK2 StrSize of
 * the CHAR16 name): L"kernel" and L"initrd" 14 bytes, L"cmdline" 16. */
static tds_status linux_blob_name(ccel_linux_blob which, uint8_t utf16[16], size_t *len)
{
    const char *name;
    switch (which) {
    case CCEL_LINUX_KERNEL: name = "kernel"; break;
    case CCEL_LINUX_INITRD: name = "initrd"; break;
    case CCEL_LINUX_CMDLINE: name = "cmdline"; break;
    default: return TDS_ERR_INVALID_ARG;
    }
    const size_t n = cstr_len(name);
    for (size_t i = 0; i <= n; i++) {
        utf16[2 * i] = (uint8_t)name[i];
        utf16[2 * i + 1] = 0;
    }
    *len = 2 * (n + 1);
    return TDS_OK;
}

tds_status ccel_event_linux_blob(ccel_log *log, const rtmr_extend_ops *ops, ccel_linux_blob which,
                                 tds_bytes blob)
{
    uint8_t utf16[16];
    size_t len = 0;
    TDS_TRY(linux_blob_name(which, utf16, &len));
    tds_bytes data = tds_bytes_make(utf16, len);
    return ccel_log_hash_measure(log, ops, RTMR_MR(RTMR_MR_RTMR1), CCEL_EV_PLATFORM_CONFIG_FLAGS,
                                 blob, &data, 1);
}

tds_status ccel_event_linux_blob_digest(ccel_log *log, const rtmr_extend_ops *ops,
                                        ccel_linux_blob which, const rtmr_digest *digest)
{
    uint8_t utf16[16];
    size_t len = 0;
    if (digest == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(linux_blob_name(which, utf16, &len));
    tds_bytes data = tds_bytes_make(utf16, len);
    return ccel_log_measure(log, ops, RTMR_MR(RTMR_MR_RTMR1), CCEL_EV_PLATFORM_CONFIG_FLAGS, digest,
                            &data, 1);
}

/* The event data of an ACPI event: the 9 ASCII bytes "ACPI DATA", no NUL (EDK2 passes
 * sizeof ("ACPI DATA") - 1). */
static tds_bytes acpi_data_event(void)
{
    static const char data[] = CCEL_ACPI_DATA_EVENT;
    TDS_STATIC_ASSERT(sizeof data - 1u == CCEL_ACPI_DATA_EVENT_SIZE, "ACPI DATA is 9 bytes");
    return tds_bytes_make(data, CCEL_ACPI_DATA_EVENT_SIZE);
}

tds_status ccel_event_acpi_data(ccel_log *log, const rtmr_extend_ops *ops, tds_bytes data)
{
    const tds_bytes ev = acpi_data_event();
    return ccel_log_hash_measure(log, ops, RTMR_MR(RTMR_MR_RTMR0), CCEL_EV_PLATFORM_CONFIG_FLAGS,
                                 data, &ev, 1);
}

tds_status ccel_event_acpi_data_digest(ccel_log *log, const rtmr_extend_ops *ops,
                                       const rtmr_digest *digest)
{
    if (digest == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    const tds_bytes ev = acpi_data_event();
    return ccel_log_measure(log, ops, RTMR_MR(RTMR_MR_RTMR0), CCEL_EV_PLATFORM_CONFIG_FLAGS, digest,
                            &ev, 1);
}
