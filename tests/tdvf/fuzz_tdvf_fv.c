/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: arbitrary bytes as a PI firmware volume (tdvf_fv_check). An accepted volume is
 * re-checked here, field by field, against what the contract promises (tdvf.h).
 */
#include <stddef.h>
#include <stdint.h>

#include "tdshim/tdvf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tdvf_error err = {NULL, 7};
    const tds_status st = tdvf_fv_check(tds_bytes_make(data, size), &err);
    if (st != TDS_OK) {
        if (err.what == NULL || err.section != UINT32_MAX) {
            __builtin_trap(); /* every refusal names its rule */
        }
        return 0;
    }
    if (err.what != NULL || err.section != 7) {
        __builtin_trap(); /* err untouched on success */
    }
    if (size < TDVF_FV_MIN_HEADER || tds_load_le64(data + 32) != size ||
        tds_load_le32(data + 40) != TDVF_FV_SIGNATURE || data[55] != TDVF_FV_REVISION) {
        __builtin_trap();
    }
    const size_t hlen = tds_load_le16(data + 48);
    if ((hlen & 1u) != 0 || hlen < TDVF_FV_MIN_HEADER || hlen > size) {
        __builtin_trap();
    }
    uint32_t sum = 0;
    for (size_t i = 0; i < hlen; i += 2) {
        sum += tds_load_le16(data + i);
    }
    if ((sum & 0xFFFFu) != 0) {
        __builtin_trap();
    }
    /* The block map multiplies out to the size (128-bit sum: no wrap possible here). */
    unsigned __int128 total = 0;
    size_t at = TDVF_FV_FIXED_HEADER;
    for (;; at += TDVF_FV_BLOCK_ENTRY) {
        if (at + TDVF_FV_BLOCK_ENTRY > hlen) {
            __builtin_trap(); /* the terminator must be inside the header */
        }
        const uint32_t n = tds_load_le32(data + at);
        const uint32_t l = tds_load_le32(data + at + 4);
        if (n == 0 && l == 0) {
            break;
        }
        total += (unsigned __int128)n * l;
    }
    if (total != size) {
        __builtin_trap();
    }
    const size_t ext = tds_load_le16(data + 52);
    if (ext != 0 && (ext < hlen || ext + TDVF_FV_EXT_HEADER > size ||
                     ext + (size_t)tds_load_le32(data + ext + 16) > size)) {
        __builtin_trap();
    }
    return 0;
}
