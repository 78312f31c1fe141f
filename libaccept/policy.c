/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Policy "accept up to a limit" (issue 6; td-shim's lazy-accept keeps all but the first 256 MiB
 * unaccepted, td-shim td-shim/src/bin/td-shim/memory.rs). Both limits reduce to one address cut
 * because the map is sorted: the accepted part is map ∩ [0, cut), the rest is returned as ranges.
 */
#include "tdshim/accept.h"

#include "engine_internal.h"

/* The address at which the first max_bytes of the map end (ACCEPT_GPA_LIMIT if never). */
static uint64_t cut_for_bytes(const accept_range *ranges, size_t n, uint64_t max_bytes)
{
    uint64_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        if (max_bytes - acc <= ranges[i].len) {
            return ranges[i].base + (max_bytes - acc);
        }
        acc += ranges[i].len; /* sum < 2^52: ranges are checked, sorted and disjoint */
    }
    return ACCEPT_GPA_LIMIT;
}

tds_status accept_up_to(accept_ctx *ctx, const accept_range *ranges, size_t n,
                        const accept_limit *limit, accept_range *rest, size_t rest_cap,
                        size_t *rest_count)
{
    if (!accept_ctx_usable(ctx) || limit == NULL || rest_count == NULL ||
        (rest == NULL && rest_cap != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if ((limit->max_bytes != ACCEPT_NO_LIMIT &&
         !tds_is_aligned_u64(limit->max_bytes, ACCEPT_PAGE_4K)) ||
        (limit->below_gpa != ACCEPT_NO_LIMIT &&
         !tds_is_aligned_u64(limit->below_gpa, ACCEPT_PAGE_4K))) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(accept_check_map(ranges, n));

    uint64_t cut = ACCEPT_GPA_LIMIT;
    if (limit->max_bytes != ACCEPT_NO_LIMIT) {
        cut = cut_for_bytes(ranges, n, limit->max_bytes);
    }
    if (limit->below_gpa < cut) {
        cut = limit->below_gpa;
    }

    /* Reserve: count the rest before anything irreversible happens (safe-C rule 10,
     * docs/safe-c.md). */
    size_t need = 0;
    for (size_t i = 0; i < n; i++) {
        if (ranges[i].base + ranges[i].len > cut) {
            need++;
        }
    }
    if (need > rest_cap) {
        return TDS_ERR_NO_SPACE;
    }

    TDS_TRY(accept_run_map(ctx, ranges, n, cut));

    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t s = ranges[i].base;
        uint64_t e = s + ranges[i].len;
        if (e <= cut) {
            continue;
        }
        if (s < cut) {
            s = cut;
        }
        rest[k].base = s;
        rest[k].len = e - s;
        k++;
    }
    *rest_count = k;
    return TDS_OK;
}
