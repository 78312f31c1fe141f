/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * SHA-384 contexts over a backend (rtmr_hash_ops): the sticky-error state machine every librtmr
 * caller relies on. The default backend is rtmr_hash_default() (hash_default.c); the built-in one
 * is sha384_builtin.c.
 */
#include "tdshim/rtmr.h"

static void wipe_state(rtmr_sha384_ctx *ctx)
{
    tds_memzero_explicit(&ctx->st, sizeof ctx->st);
}

tds_status rtmr_sha384_init_ops(rtmr_sha384_ctx *ctx, const rtmr_hash_ops *ops)
{
    if (ctx == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tds_memzero_explicit(ctx, sizeof *ctx);
    ctx->ops = ops;
    ctx->started = false;
    if (ops == NULL || ops->init == NULL || ops->update == NULL || ops->final == NULL) {
        ctx->ops = NULL;
        ctx->error = TDS_ERR_INVALID_ARG;
        return TDS_ERR_INVALID_ARG;
    }
    tds_status s = ops->init(ops, &ctx->st);
    if (s != TDS_OK) {
        wipe_state(ctx);
        ctx->error = s;
        return s;
    }
    ctx->error = TDS_OK;
    ctx->started = true;
    return TDS_OK;
}

tds_status rtmr_sha384_init(rtmr_sha384_ctx *ctx)
{
    return rtmr_sha384_init_ops(ctx, rtmr_hash_default());
}

tds_status rtmr_sha384_update(rtmr_sha384_ctx *ctx, tds_bytes data)
{
    if (ctx == NULL || !tds_bytes_valid(data)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (ctx->error != TDS_OK || !ctx->started || ctx->ops == NULL) {
        return TDS_ERR_STATE;
    }
    if (data.len == 0) {
        return TDS_OK;
    }
    tds_status s = ctx->ops->update(&ctx->st, data.ptr, data.len);
    if (s != TDS_OK) {
        wipe_state(ctx);
        ctx->started = false;
        ctx->error = s;
        return s;
    }
    return TDS_OK;
}

tds_status rtmr_sha384_final(rtmr_sha384_ctx *ctx, rtmr_digest *out)
{
    if (ctx == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (ctx->error != TDS_OK || !ctx->started || ctx->ops == NULL) {
        return TDS_ERR_STATE;
    }
    uint8_t full[RTMR_SHA384_SIZE];
    tds_status s = ctx->ops->final(&ctx->st, full);
    wipe_state(ctx);
    ctx->started = false;
    if (s != TDS_OK) {
        ctx->error = s;
        tds_memzero_explicit(full, sizeof full);
        return s;
    }
    memcpy(out->b, full, RTMR_SHA384_SIZE);
    tds_memzero_explicit(full, sizeof full);
    return TDS_OK;
}

tds_status rtmr_sha384(tds_bytes data, rtmr_digest *out)
{
    if (!tds_bytes_valid(data) || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    rtmr_sha384_ctx ctx;
    TDS_TRY(rtmr_sha384_init(&ctx));
    tds_status s = rtmr_sha384_update(&ctx, data);
    if (s != TDS_OK) {
        wipe_state(&ctx);
        return s;
    }
    return rtmr_sha384_final(&ctx, out);
}
