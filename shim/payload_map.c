/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The payload's page permissions (payload_map.h). */
#include "payload_map.h"

#include "paging.h"
#include "tdshim/checked.h"

#define PAGE 0x1000ull

static uint64_t leaf_flags(uint32_t seg_flags)
{
    uint64_t f = PT_P;
    if ((seg_flags & LDR_SEG_W) != 0) {
        f |= PT_RW;
    }
    if ((seg_flags & LDR_SEG_X) == 0) {
        f |= PT_NX;
    }
    return f;
}

tds_status shim_payload_page_runs(const ldr_segment *segs, size_t n, uint64_t base, uint64_t len,
                                  shim_page_run *out, size_t cap, size_t *count, size_t *bad)
{
    size_t bad_local = 0;
    size_t *const at = bad != NULL ? bad : &bad_local;
    uint64_t region_end = 0;
    if ((segs == NULL && n != 0) || out == NULL || count == NULL || (base % PAGE) != 0 ||
        (len % PAGE) != 0 || tds_range_end(base, len, &region_end) != TDS_OK) {
        return TDS_ERR_INVALID_ARG;
    }
    if (n > cap) {
        return TDS_ERR_NO_SPACE;
    }
    /* Check everything first: out is written only when every segment is acceptable. */
    uint64_t prev_end = 0; /* end of the previous segment's last page */
    uint64_t prev_flags = 0;
    for (size_t i = 0; i < n; i++) {
        *at = i;
        const uint32_t f = segs[i].flags;
        if ((f & LDR_SEG_W) != 0 && (f & LDR_SEG_X) != 0) {
            return TDS_ERR_UNSUPPORTED;
        }
        uint64_t end = 0;
        uint64_t lo = 0;
        uint64_t hi = 0;
        if (segs[i].size == 0 || tds_range_end(segs[i].addr, segs[i].size, &end) != TDS_OK ||
            tds_align_up_u64(end, PAGE, &hi) != TDS_OK) {
            return TDS_ERR_OUT_OF_BOUNDS;
        }
        lo = segs[i].addr & ~(PAGE - 1u);
        if (lo < base || hi > region_end) {
            return TDS_ERR_OUT_OF_BOUNDS;
        }
        if (i > 0 && lo < prev_end) {
            /* Sharing a page with the previous segment (the loader keeps them in address order
             * and not overlapping): only with the same permissions. */
            if (segs[i].addr < segs[i - 1].addr || leaf_flags(f) != prev_flags) {
                return TDS_ERR_MISMATCH;
            }
        }
        prev_end = hi;
        prev_flags = leaf_flags(f);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t end = segs[i].addr + segs[i].size; /* checked above */
        const uint64_t lo = segs[i].addr & ~(PAGE - 1u);
        const uint64_t hi = (end + PAGE - 1u) & ~(PAGE - 1u);
        out[i].start = lo;
        out[i].len = hi - lo;
        out[i].flags = leaf_flags(segs[i].flags);
    }
    *count = n;
    return TDS_OK;
}
