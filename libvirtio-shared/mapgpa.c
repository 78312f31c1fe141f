/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The MapGPA retry rule (tdx-abi.md 3.4, the same rule Linux tdx_map_gpa and td-shim use): the
 * VMM may stop early and answer RETRY with R11 = the GPA to resume at. R11 is untrusted: it must
 * lie in [current start, end) and be page aligned, or the conversion fails; a resume address
 * equal to the current start is a retry without progress, allowed VSHARED_MAPGPA_MAX_STALLS
 * times in a row. Every answer moves start strictly up or counts a stall, so the loop ends.
 */
#include "vshared_internal.h"

tds_status vshared_mapgpa_range(vshared_pool *pool, uint64_t start, uint64_t end)
{
    if (start >= end) {
        return TDS_ERR_INVALID_ARG; /* never report an empty conversion as done */
    }
    uint64_t cur = start;
    uint32_t stalls = 0;
    for (;;) {
        uint64_t resume = 0;
        pool->mapgpa_calls++;
        tds_status s = pool->ops.map_gpa(pool->ops.ctx, cur, end - cur, &resume);
        if (s != TDS_ERR_BUSY) {
            return s;
        }
        pool->mapgpa_retries++;
        if (resume < cur || resume >= end || (resume & VSHARED_PAGE_MASK) != 0) {
            return TDS_ERR_VMM; /* nonsense resume address: never issue MapGPA outside */
        }
        if (resume == cur) {
            stalls++;
            if (stalls >= VSHARED_MAPGPA_MAX_STALLS) {
                return TDS_ERR_BUSY;
            }
            continue;
        }
        cur = resume;
        stalls = 0;
    }
}
