/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The TD HOB's claims about accepted memory against the shim's own metadata (hob.h). Pure: no
 * I/O, no globals; host-tested in tests/shim/test_hob_claims.c. */
#include "hob.h"

#include "tdshim/checked.h"

/* Does some VMM-added section cover `at`? Then *end is the end of the one reaching furthest. */
static bool added_at(const tdvf_meta *meta, uint64_t at, uint64_t *end)
{
    bool found = false;
    for (uint32_t i = 0; i < meta->count && i < TDVF_MAX_SECTIONS; i++) {
        const tdvf_section *s = &meta->sec[i];
        const bool added = s->type == TDVF_SEC_BFV || s->type == TDVF_SEC_CFV ||
                           s->type == TDVF_SEC_TD_HOB || s->type == TDVF_SEC_TEMP_MEM ||
                           s->type == TDVF_SEC_PERM_MEM || s->type == TDVF_SEC_PAYLOAD ||
                           s->type == TDVF_SEC_PAYLOAD_PARAM;
        uint64_t s_end = 0;
        if (!added || (s->attributes & TDVF_ATTR_PAGE_AUG) != 0 || s->mem_size == 0 ||
            tds_range_end(s->mem_addr, s->mem_size, &s_end) != TDS_OK) {
            continue;
        }
        if (s->mem_addr <= at && at < s_end && (!found || s_end > *end)) {
            *end = s_end;
            found = true;
        }
    }
    return found;
}

bool shim_hob_accepted_in_sections(const tdhob_mem_range *map, size_t n, const tdvf_meta *meta,
                                   uint64_t *bad_base, uint64_t *bad_end)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t end = 0;
        if (map[i].kind != TDHOB_MEM_ACCEPTED) {
            continue;
        }
        if (tds_range_end(map[i].base, map[i].length, &end) != TDS_OK) {
            /* The validator refuses wrapping ranges; a claim that wraps is covered by nothing. */
            *bad_base = map[i].base;
            *bad_end = UINT64_MAX;
            return false;
        }
        uint64_t at = map[i].base;
        while (at < end) {
            uint64_t next = 0;
            if (!added_at(meta, at, &next)) {
                /* The uncovered stretch: up to the next section start inside the range. */
                uint64_t stop = end;
                for (uint32_t k = 0; k < meta->count && k < TDVF_MAX_SECTIONS; k++) {
                    const uint64_t a = meta->sec[k].mem_addr;
                    stop = a > at && a < stop ? a : stop;
                }
                *bad_base = at;
                *bad_end = stop;
                return false;
            }
            at = next;
        }
    }
    return true;
}
