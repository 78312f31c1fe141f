/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libFuzzer: refvalues_decode on arbitrary bytes. Invariants: a document it accepts re-encodes
 * (shortest form) and decodes to the same values; nothing else may crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "refvalues.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    refvalues v;
    if (refvalues_decode(tds_bytes_make(data, size), &v) != TDS_OK) {
        return 0;
    }
    uint8_t *buf = NULL;
    size_t len = 0;
    if (refvalues_encode(&v, &buf, &len) != TDS_OK) {
        abort();
    }
    refvalues again;
    if (refvalues_decode(tds_bytes_make(buf, len), &again) != TDS_OK ||
        again.has_mrtd != v.has_mrtd || again.ccel_events != v.ccel_events ||
        memcmp(&again.rtmr, &v.rtmr, sizeof v.rtmr) != 0 ||
        memcmp(again.ccel_sha384.b, v.ccel_sha384.b, sizeof v.ccel_sha384.b) != 0 ||
        (v.has_mrtd && memcmp(again.mrtd, v.mrtd, sizeof v.mrtd) != 0)) {
        abort();
    }
    free(buf);
    return 0;
}
