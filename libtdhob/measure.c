/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Which bytes of a TD_HOB section to measure before anything parses them (tdhob.h). */
#include "tdshim/tdhob.h"
#include "tdshim/tdhob_wire.h"

tds_status tdhob_measured_length(tds_bytes section, uint64_t gpa, size_t *len)
{
    if (len == NULL || !tds_bytes_valid(section) || section.len == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t n = section.len;
    /* Read exactly three fields, each bounds-checked; nothing else of the list is looked at. */
    if (section.len >= sizeof(tdhob_wire_phit) &&
        tds_load_le16(section.ptr) == TDHOB_TYPE_HANDOFF &&
        tds_load_le16(section.ptr + 2) == sizeof(tdhob_wire_phit)) {
        const uint64_t end =
            tds_load_le64(section.ptr + offsetof(tdhob_wire_phit, efi_end_of_hob_list));
        const uint64_t min = sizeof(tdhob_wire_phit) + sizeof(tdhob_wire_header);
        if (end > gpa && end - gpa >= min && end - gpa <= section.len && (end - gpa) % 8 == 0) {
            n = (size_t)(end - gpa);
        }
    }
    *len = n;
    return TDS_OK;
}
