/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libaccept's accept op over libtdcall's TDG.MEM.PAGE.ACCEPT wrapper (docs/libaccept.md). */
#include "tdshim/accept_tdcall.h"

void accept_tdcall_init(accept_tdcall_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
}

accept_ops accept_tdcall_ops(accept_tdcall_ctx *ctx)
{
    accept_tdcall_init(ctx);
    accept_ops ops = {accept_tdcall_page, ctx, NULL, NULL};
    return ops;
}

accept_result accept_tdcall_result(tdcall_status hw)
{
    accept_result r = {ACCEPT_OUTCOME_ERROR, hw.raw};
    switch (hw.code) {
    case TDCALL_SUCCESS: r.outcome = ACCEPT_OUTCOME_OK; break;
    case TDCALL_ALREADY_ACCEPTED: r.outcome = ACCEPT_OUTCOME_ALREADY_ACCEPTED; break;
    case TDCALL_SIZE_MISMATCH: r.outcome = ACCEPT_OUTCOME_SIZE_MISMATCH; break;
    case TDCALL_BUSY: r.outcome = ACCEPT_OUTCOME_BUSY; break;
    case TDCALL_INVALID_OPERAND:
    case TDCALL_NO_VE_INFO:
    case TDCALL_OTHER: break;
    }
    return r; /* a code outside tdcall_code stays ERROR */
}

/* accept_level -> RCX bits 2:0 of TDG.MEM.PAGE.ACCEPT; false for a level outside the enum. */
static bool tdcall_level(accept_level level, tdcall_page_level *out)
{
    switch (level) {
    case ACCEPT_LEVEL_4K: *out = TDCALL_PAGE_4K; return true;
    case ACCEPT_LEVEL_2M: *out = TDCALL_PAGE_2M; return true;
    case ACCEPT_LEVEL_1G: *out = TDCALL_PAGE_1G; return true;
    }
    return false;
}

accept_result accept_tdcall_page(void *ctx, uint64_t gpa, accept_level level)
{
    accept_tdcall_ctx *c = ctx;
    tdcall_page_level tl = TDCALL_PAGE_4K;
    tdcall_status hw = {TDCALL_OTHER, 0, 0};
    tds_status s = TDS_ERR_INVALID_ARG;
    if (tdcall_level(level, &tl)) {
        s = tdcall_mem_page_accept(gpa, tl, &hw);
    }
    /* Input-check failures (and only they) execute nothing and leave hw untouched
     * (include/tdshim/tdcall.h); every executed call reports through hw. */
    if (s == TDS_ERR_INVALID_ARG || s == TDS_ERR_ALIGNMENT) {
        if (c != NULL) {
            __atomic_fetch_add(&c->s.refused, 1u, __ATOMIC_RELAXED);
        }
        const accept_result refused = {ACCEPT_OUTCOME_ERROR, 0};
        return refused;
    }
    if (c != NULL) {
        const size_t slot =
            (size_t)hw.code < ACCEPT_TDCALL_CODES ? (size_t)hw.code : (size_t)TDCALL_OTHER;
        __atomic_fetch_add(&c->s.codes[slot], 1u, __ATOMIC_RELAXED);
        __atomic_store_n(&c->s.last_raw, hw.raw, __ATOMIC_RELAXED);
    }
    return accept_tdcall_result(hw);
}

void accept_tdcall_get_stats(const accept_tdcall_ctx *ctx, accept_tdcall_stats *out)
{
    for (size_t i = 0; i < ACCEPT_TDCALL_CODES; i++) {
        out->codes[i] = __atomic_load_n(&ctx->s.codes[i], __ATOMIC_RELAXED);
    }
    out->refused = __atomic_load_n(&ctx->s.refused, __ATOMIC_RELAXED);
    out->last_raw = __atomic_load_n(&ctx->s.last_raw, __ATOMIC_RELAXED);
}
