/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libFuzzer: mbox_madt_append_wakeup on an arbitrary (VMM-controlled) MADT. On success the output
 * must be a well-formed table: right length, zero checksum, sub-tables that tile it, one wakeup. */
#include <stdint.h>
#include <stdlib.h>

#include "tdshim/mailbox.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[70000];
    madt_wakeup wk = {(uint16_t)(size & 1u), 0x7F000, 0x7E040};
    size_t len = 0;
    if (mbox_madt_append_wakeup(tds_mut_bytes_make(out, sizeof(out)), tds_bytes_make(data, size),
                                &wk, &len) != TDS_OK) {
        return 0;
    }
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + out[i]);
    }
    if (len < MADT_HEADER_SIZE || tds_load_le32(out + 4) != len || sum != 0) {
        abort();
    }
    size_t off = MADT_HEADER_SIZE;
    int wakeups = 0;
    while (off < len) {
        if (len - off < 2 || out[off + 1] < 2 || out[off + 1] > len - off) {
            abort();
        }
        wakeups += out[off] == MADT_TYPE_MP_WAKEUP;
        off += out[off + 1];
    }
    if (wakeups != 1 || out[len - (wk.version ? 24u : 16u)] != MADT_TYPE_MP_WAKEUP) {
        abort();
    }
    return 0;
}
