/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* SHA-384 through mbedTLS (hosted: the system libmbedcrypto; firmware: built from source). */
#include "tdshim/rtmr.h"

tds_status rtmr_sha384_init(rtmr_sha384_ctx *ctx)
{
    if (ctx == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    mbedtls_sha512_init(&ctx->mbed);
    ctx->error = TDS_OK;
    ctx->started = false;
    if (mbedtls_sha512_starts_ret(&ctx->mbed, 1) != 0) {
        ctx->error = TDS_ERR_STATE;
        return TDS_ERR_STATE;
    }
    ctx->started = true;
    return TDS_OK;
}

tds_status rtmr_sha384_update(rtmr_sha384_ctx *ctx, tds_bytes data)
{
    if (ctx == NULL || !tds_bytes_valid(data)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (ctx->error != TDS_OK || !ctx->started) {
        return TDS_ERR_STATE;
    }
    if (data.len == 0) {
        return TDS_OK;
    }
    if (mbedtls_sha512_update_ret(&ctx->mbed, data.ptr, data.len) != 0) {
        ctx->error = TDS_ERR_STATE;
        return TDS_ERR_STATE;
    }
    return TDS_OK;
}

tds_status rtmr_sha384_final(rtmr_sha384_ctx *ctx, rtmr_digest *out)
{
    if (ctx == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (ctx->error != TDS_OK || !ctx->started) {
        return TDS_ERR_STATE;
    }
    /* mbedTLS writes 64 bytes in SHA-512 mode; in 384 mode it writes 48, but give it 64. */
    uint8_t full[64];
    int rc = mbedtls_sha512_finish_ret(&ctx->mbed, full);
    mbedtls_sha512_free(&ctx->mbed);
    ctx->started = false;
    if (rc != 0) {
        ctx->error = TDS_ERR_STATE;
        return TDS_ERR_STATE;
    }
    memcpy(out->b, full, RTMR_SHA384_SIZE);
    return TDS_OK;
}

tds_status rtmr_sha384(tds_bytes data, rtmr_digest *out)
{
    rtmr_sha384_ctx ctx;
    TDS_TRY(rtmr_sha384_init(&ctx));
    tds_status s = rtmr_sha384_update(&ctx, data);
    if (s != TDS_OK) {
        mbedtls_sha512_free(&ctx.mbed);
        return s;
    }
    return rtmr_sha384_final(&ctx, out);
}
