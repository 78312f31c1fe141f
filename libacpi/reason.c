/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libacpi: reason names and statuses, error recording, small shared helpers. */
#include "acpi_int.h"

typedef struct reason_info {
    const char *name;
    tds_status status;
} reason_info;

static const reason_info k_reasons[ACPI_R_COUNT_] = {
    [ACPI_R_NONE] = {"none", TDS_OK},
    [ACPI_R_BAD_ARG] = {"bad-argument", TDS_ERR_INVALID_ARG},
    [ACPI_R_SCRIPT_SIZE] = {"script-size", TDS_ERR_MALFORMED},
    [ACPI_R_SCRIPT_TOO_LONG] = {"script-too-long", TDS_ERR_UNSUPPORTED},
    [ACPI_R_UNKNOWN_COMMAND] = {"unknown-command", TDS_ERR_UNSUPPORTED},
    [ACPI_R_NAME] = {"file-name", TDS_ERR_MALFORMED},
    [ACPI_R_ALIGN_NOT_POW2] = {"align-not-power-of-two", TDS_ERR_MALFORMED},
    [ACPI_R_ALIGN_TOO_LARGE] = {"align-too-large", TDS_ERR_UNSUPPORTED},
    [ACPI_R_ZONE] = {"zone", TDS_ERR_MALFORMED},
    [ACPI_R_DUPLICATE_ALLOCATE] = {"duplicate-allocate", TDS_ERR_MALFORMED},
    [ACPI_R_TOO_MANY_FILES] = {"too-many-files", TDS_ERR_NO_SPACE},
    [ACPI_R_FILE_NOT_FOUND] = {"file-not-found", TDS_ERR_NOT_FOUND},
    [ACPI_R_FILE_EMPTY] = {"file-empty", TDS_ERR_MALFORMED},
    [ACPI_R_NOT_ALLOCATED] = {"file-not-allocated", TDS_ERR_MALFORMED},
    [ACPI_R_POINTER_SIZE] = {"pointer-size", TDS_ERR_MALFORMED},
    [ACPI_R_POINTER_RANGE] = {"pointer-range", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_POINTER_OVERLAP] = {"pointer-overlap", TDS_ERR_MALFORMED},
    [ACPI_R_CHECKSUM_RESULT] = {"checksum-result-offset", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_CHECKSUM_RANGE] = {"checksum-range", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_WRITE_POINTER_REFUSED] = {"write-pointer-refused", TDS_ERR_UNSUPPORTED},
    [ACPI_R_WRITE_POINTER_SOURCE] = {"write-pointer-source-offset", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_ALLOCATE_FAILED] = {"allocate-failed", TDS_ERR_VMM},
    [ACPI_R_BLOB_MEMORY] = {"blob-memory", TDS_ERR_INVALID_ARG},
    [ACPI_R_BLOB_ALIGN] = {"blob-misaligned", TDS_ERR_ALIGNMENT},
    [ACPI_R_BLOB_WRAPS] = {"blob-wraps", TDS_ERR_OVERFLOW},
    [ACPI_R_BLOB_OVERLAP] = {"blob-overlap", TDS_ERR_INVALID_ARG},
    [ACPI_R_POINTEE_RANGE] = {"pointee-range", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_RELOC_OVERFLOW] = {"relocation-overflow", TDS_ERR_OVERFLOW},
    [ACPI_R_WRITE_POINTER_FAILED] = {"write-pointer-failed", TDS_ERR_VMM},
    [ACPI_R_INPUT_CHANGED] = {"input-changed", TDS_ERR_STATE},
    [ACPI_R_NOT_FOUND] = {"table-not-found", TDS_ERR_NOT_FOUND},
    [ACPI_R_UNMAPPED] = {"unmapped", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_PAST_END] = {"past-region-end", TDS_ERR_OUT_OF_BOUNDS},
    [ACPI_R_RSDP_SIGNATURE] = {"rsdp-signature", TDS_ERR_MALFORMED},
    [ACPI_R_RSDP_CHECKSUM] = {"rsdp-checksum", TDS_ERR_MALFORMED},
    [ACPI_R_RSDP_REVISION] = {"rsdp-revision", TDS_ERR_UNSUPPORTED},
    [ACPI_R_RSDP_LENGTH] = {"rsdp-length", TDS_ERR_MALFORMED},
    [ACPI_R_RSDP_EXT_CHECKSUM] = {"rsdp-extended-checksum", TDS_ERR_MALFORMED},
    [ACPI_R_RSDP_NO_ROOT] = {"rsdp-no-root", TDS_ERR_MALFORMED},
    [ACPI_R_TABLE_SIGNATURE] = {"table-signature", TDS_ERR_MALFORMED},
    [ACPI_R_TABLE_LENGTH] = {"table-length", TDS_ERR_MALFORMED},
    [ACPI_R_TABLE_CHECKSUM] = {"table-checksum", TDS_ERR_MALFORMED},
    [ACPI_R_ROOT_ENTRIES] = {"root-entries", TDS_ERR_MALFORMED},
    [ACPI_R_TOO_MANY_TABLES] = {"too-many-tables", TDS_ERR_UNSUPPORTED},
    [ACPI_R_ROOT_MISMATCH] = {"rsdt-xsdt-mismatch", TDS_ERR_MALFORMED},
    [ACPI_R_ENTRY_ZERO] = {"entry-zero", TDS_ERR_MALFORMED},
    [ACPI_R_ENTRY_ROOT] = {"entry-is-root", TDS_ERR_MALFORMED},
    [ACPI_R_ENTRY_DUPLICATE] = {"entry-duplicate", TDS_ERR_MALFORMED},
    [ACPI_R_OVERLAP] = {"overlap", TDS_ERR_MALFORMED},
    [ACPI_R_FADT_DSDT] = {"fadt-dsdt", TDS_ERR_MALFORMED},
    [ACPI_R_FADT_FACS] = {"fadt-facs", TDS_ERR_MALFORMED},
    [ACPI_R_FACS] = {"facs", TDS_ERR_MALFORMED},
    [ACPI_R_FADT_PM] = {"fadt-pm-block", TDS_ERR_MALFORMED},
    [ACPI_R_MCFG_ENTRY] = {"mcfg-entry", TDS_ERR_MALFORMED},
    [ACPI_R_ROOM] = {"room", TDS_ERR_NO_SPACE},
    [ACPI_R_ROOM_OVERLAP] = {"room-overlap", TDS_ERR_INVALID_ARG},
    [ACPI_R_ABOVE_4G] = {"above-4g", TDS_ERR_UNSUPPORTED},
    [ACPI_R_SIGNATURE_EXISTS] = {"signature-exists", TDS_ERR_INVALID_ARG},
};

tds_status acpi_reason_status(acpi_reason r)
{
    if ((unsigned)r >= (unsigned)ACPI_R_COUNT_) {
        return TDS_ERR_INVALID_ARG;
    }
    return k_reasons[r].status;
}

const char *acpi_reason_str(acpi_reason r)
{
    if ((unsigned)r >= (unsigned)ACPI_R_COUNT_ || k_reasons[r].name == NULL) {
        return "unknown-reason";
    }
    return k_reasons[r].name;
}

void acpi_record(acpi_error *err, acpi_reason r, tds_status s, uint32_t index, uint64_t addr)
{
    if (err != NULL) {
        err->reason = r;
        err->status = s;
        err->index = index;
        err->addr = addr;
    }
}

void acpi_ok(acpi_error *err)
{
    if (err != NULL) {
        err->reason = ACPI_R_NONE;
        err->status = TDS_OK;
        err->index = ACPI_NO_INDEX;
        err->addr = 0;
        err->allocated = 0;
    }
}

bool acpi_sig_eq(const uint8_t *p, const char *sig)
{
    for (size_t i = 0; i < 4; i++) {
        if (p[i] != (uint8_t)sig[i]) {
            return false;
        }
    }
    return true;
}

uint8_t acpi_sum8(tds_bytes b)
{
    uint8_t s = 0;
    for (size_t i = 0; i < b.len; i++) {
        s = (uint8_t)(s + b.ptr[i]);
    }
    return s;
}
