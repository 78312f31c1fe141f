/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Checks of the payload HOB the shim hands over (docs/handoff.md §4, §5): the list validates
 * with libtdhob, the E820 GUID HOB is sorted, non-overlapping, merged and agrees exactly with
 * the resource descriptors, the payload-info HOB names this payload, and the FV HOB is the
 * payload region. Pure: the HOB bytes come from the caller, output goes to a sink.
 */
#ifndef TDP_HOB_H
#define TDP_HOB_H

#include "tdp_line.h"
#include "tdshim/base.h"
#include "tdshim/tdhob.h"

#define TDP_E820_MAX 128u                  /* docs/handoff.md §4: at most 128 entries */
#define TDP_PAYLOAD_REGION_MAX (32u << 20) /* docs/handoff.md §2 */
#define TDP_HOB_MAX (64u << 10)            /* the payload HOB lives in the 64 KiB ACPI area */

typedef struct tdp_hob {
    tdhob_view view;
    size_t e820_count;
    tdhob_e820_entry e820[TDP_E820_MAX];
    uint64_t fv_base;
    uint64_t fv_len;
    tdhob_payload_info info;
} tdp_hob;

/* Length of the HOB list from its PHIT (the first 56 bytes): EfiEndOfHobList - hob_gpa (libtdhob:
 * the end of the END HOB), which must be >= 64 and <= max (OUT_OF_BOUNDS otherwise; TRUNCATED if
 * phit.len < 56). */
TDS_MUST_USE tds_status tdp_hob_list_len(tds_bytes phit, uint64_t hob_gpa, size_t max, size_t *len);

/* E820 shape: non-empty entries, no wrap (OVERFLOW), types 1, 2, 3, 4 or 8 (UNSUPPORTED),
 * sorted and non-overlapping, adjacent entries of one type merged (MALFORMED). *bad = index of
 * the offending entry. */
TDS_MUST_USE tds_status tdp_e820_check(const tdhob_e820_entry *e, size_t n, size_t *bad);

/* The E820 (types 1 -> accepted, 8 -> unaccepted, 2/3/4 -> reserved, merged) equals the memory
 * map of the resource descriptors (MMIO left out) range for range: TDS_OK or TDS_ERR_MISMATCH,
 * *bad = index in the memory map of the first difference. */
TDS_MUST_USE tds_status tdp_e820_matches_map(const tdhob_e820_entry *e, size_t n,
                                             const tdhob_mem_range *map, size_t nmap, size_t *bad);

/* [base, base + len) lies in one E820 entry of `type`. */
bool tdp_e820_covers(const tdhob_e820_entry *e, size_t n, uint64_t base, uint64_t len,
                     uint32_t type);

/*
 * Everything above on the payload HOB at hob_gpa (hob = its bytes, at least the list), printing
 * "hob", "e820", "payload_info" and "fv" lines. entry = this payload's entry address,
 * image_end = the end of its loaded image (both must be in the FV region, which must start at
 * payload_base, be a 2 MiB multiple <= 32 MiB and be E820 reserved). `map` is scratch for the
 * memory map (map_cap ranges). Returns the first failure; *out is written only on TDS_OK.
 */
TDS_MUST_USE tds_status tdp_hob_check(const struct tdp_sink *sink, tds_bytes hob, uint64_t hob_gpa,
                                      uint32_t gpaw, uint64_t payload_base, uint64_t entry,
                                      uint64_t image_end, tdhob_mem_range *map, size_t map_cap,
                                      tdp_hob *out);

#endif /* TDP_HOB_H */
