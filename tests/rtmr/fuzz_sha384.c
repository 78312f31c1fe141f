/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target: librtmr's streaming SHA-384 against mbedTLS's on arbitrary input, on every
 * path this CPU can run, with update() split at points taken from the input.
 * Input: byte 0 = path (mod RTMR_SHA384_IMPL_COUNT; a path this CPU cannot run must refuse to
 * start), bytes 1..8 = eight piece lengths (each 0..255, reused in turn; a 0 is an empty update
 * followed by a 1-byte one), the rest = the message.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <mbedtls/sha512.h>

#include "tdshim/rtmr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9) {
        return 0;
    }
    uint32_t impl = data[0] % RTMR_SHA384_IMPL_COUNT;
    const uint8_t *piece = data + 1;
    const uint8_t *msg = data + 9;
    size_t len = size - 9;

    uint8_t want[64];
    if (mbedtls_sha512_ret(msg, len, want, 1) != 0) {
        __builtin_trap();
    }
    rtmr_sha384_ctx ctx;
    tds_status s = rtmr_sha384_init_ops(&ctx, rtmr_hash_builtin(impl));
    if (impl != RTMR_SHA384_IMPL_AUTO &&
        (rtmr_sha384_impl_mask() & RTMR_SHA384_IMPL_BIT(impl)) == 0) {
        if (s != TDS_ERR_UNSUPPORTED) {
            __builtin_trap();
        }
        return 0;
    }
    if (s != TDS_OK) {
        __builtin_trap();
    }
    size_t at = 0;
    for (size_t k = 0; at < len; k++) {
        size_t n = piece[k % 8];
        if (n > len - at) {
            n = len - at;
        }
        if (rtmr_sha384_update(&ctx, tds_bytes_make(msg + at, n)) != TDS_OK) {
            __builtin_trap();
        }
        at += n;
        if (n == 0 && at < len) { /* an empty update, then one byte: always progress */
            if (rtmr_sha384_update(&ctx, tds_bytes_make(msg + at, 1)) != TDS_OK) {
                __builtin_trap();
            }
            at++;
        }
    }
    rtmr_digest d;
    if (rtmr_sha384_final(&ctx, &d) != TDS_OK || memcmp(d.b, want, 48) != 0) {
        __builtin_trap();
    }
    /* Spent: refused, output untouched. */
    rtmr_digest d2 = d;
    if (rtmr_sha384_final(&ctx, &d2) != TDS_ERR_STATE || memcmp(d2.b, d.b, 48) != 0) {
        __builtin_trap();
    }
    return 0;
}
