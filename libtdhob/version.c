/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/tdhob.h"

uint32_t tdhob_api_version(void)
{
    return TDHOB_API_VERSION;
}

const char *tdhob_reason_str(tdhob_reason r)
{
    switch (r) {
    case TDHOB_R_NONE: return "ok";
    case TDHOB_R_BAD_ARG: return "bad argument";
    case TDHOB_R_BAD_GPAW: return "GPAW is not 48 or 52";
    case TDHOB_R_GPA_UNALIGNED: return "HOB GPA not 8-byte aligned";
    case TDHOB_R_END_MISSING: return "end-of-HOB-list missing";
    case TDHOB_R_HEADER_TRUNCATED: return "HOB header truncated";
    case TDHOB_R_LENGTH_ZERO: return "HOB length is zero";
    case TDHOB_R_LENGTH_TOO_SMALL: return "HOB length below header size";
    case TDHOB_R_LENGTH_UNALIGNED: return "HOB length not a multiple of 8";
    case TDHOB_R_LENGTH_PAST_END: return "HOB runs past the end of the buffer";
    case TDHOB_R_HEADER_RESERVED: return "HOB header reserved field not zero";
    case TDHOB_R_FIRST_NOT_PHIT: return "first HOB is not the PHIT";
    case TDHOB_R_PHIT_DUPLICATE: return "duplicated PHIT";
    case TDHOB_R_PHIT_SIZE: return "PHIT length is not 56";
    case TDHOB_R_PHIT_VERSION: return "PHIT version is not 9";
    case TDHOB_R_PHIT_BOOT_MODE: return "PHIT boot mode unknown";
    case TDHOB_R_PHIT_MEMORY_TOP_ALIGN: return "PHIT EfiMemoryTop not 4 KiB aligned";
    case TDHOB_R_PHIT_FREE_TOP_ALIGN: return "PHIT EfiFreeMemoryTop not 4 KiB aligned";
    case TDHOB_R_PHIT_MEMORY_ORDER: return "PHIT memory bottom above top";
    case TDHOB_R_PHIT_END_MISMATCH: return "PHIT EfiEndOfHobList does not match the list";
    case TDHOB_R_HOB_BEYOND_GPAW: return "HOB list lies above the GPAW limit";
    case TDHOB_R_UNKNOWN_TYPE: return "unknown HOB type";
    case TDHOB_R_TYPE_NOT_ALLOWED: return "HOB type not allowed in a TD HOB";
    case TDHOB_R_RESOURCE_SIZE: return "resource descriptor length is not 48";
    case TDHOB_R_RESOURCE_TYPE: return "resource type unknown";
    case TDHOB_R_RESOURCE_ATTR: return "resource attribute has unknown bits";
    case TDHOB_R_RANGE_LENGTH_ZERO: return "range length is zero";
    case TDHOB_R_RANGE_WRAP: return "range wraps the address space";
    case TDHOB_R_RANGE_UNALIGNED: return "range not 4 KiB aligned";
    case TDHOB_R_RANGE_BEYOND_GPAW: return "range above the GPAW limit";
    case TDHOB_R_RANGE_BEYOND_IO: return "I/O range above 64 KiB";
    case TDHOB_R_RESOURCE_OVERLAP: return "resources overlap";
    case TDHOB_R_UNACCEPTED_IN_LEGACY: return "unaccepted type in a legacy HOB";
    case TDHOB_R_MEMALLOC_SIZE: return "memory allocation length is not 48";
    case TDHOB_R_MEMALLOC_RESERVED: return "memory allocation reserved bytes not zero";
    case TDHOB_R_MEMALLOC_TYPE: return "memory allocation type invalid";
    case TDHOB_R_GUID_TRUNCATED: return "GUID HOB truncated";
    case TDHOB_R_PAYLOAD_INFO_SIZE: return "payload info HOB too short";
    case TDHOB_R_PAYLOAD_INFO_RESERVED: return "payload info reserved not zero";
    case TDHOB_R_PAYLOAD_INFO_TYPE: return "payload info image type unknown";
    case TDHOB_R_ACPI_TABLE_SIZE: return "ACPI table HOB length mismatch";
    case TDHOB_R_E820_SIZE: return "E820 HOB not whole entries";
    case TDHOB_R_E820_ENTRY: return "E820 HOB entry empty or wrapping";
    case TDHOB_R_FV_SIZE: return "FV HOB length wrong";
    case TDHOB_R_FV_RESERVED: return "FV3 reserved bytes not zero";
    case TDHOB_R_CPU_SIZE: return "CPU HOB length is not 16";
    case TDHOB_R_CPU_RESERVED: return "CPU HOB reserved bytes not zero";
    case TDHOB_R_CPU_SPACE: return "CPU HOB address-space size invalid";
    case TDHOB_R_CPU_DUPLICATE: return "duplicated CPU HOB";
    case TDHOB_R_END_SIZE: return "end-of-list length is not 8";
    case TDHOB_R_SCRATCH_TOO_SMALL: return "sort scratch too small for the resources";
    case TDHOB_R_COUNT_: break;
    }
    return "unknown reason";
}
