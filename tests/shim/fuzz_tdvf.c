/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libFuzzer: arbitrary bytes as a TDVF image through both locators, the parser and every check. */
#include <stddef.h>
#include <stdint.h>

#include "tdvf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tds_bytes img = tds_bytes_make(data, size);
    uint32_t offs[2];
    tds_status found[2] = {tdvf_locate_qemu(img, &offs[0]), tdvf_locate_tdshim(img, &offs[1])};
    for (int i = 0; i < 2; i++) {
        tdvf_meta m;
        tdvf_error err;
        if (found[i] != TDS_OK || tdvf_parse(img, offs[i], &m, &err) != TDS_OK) {
            continue;
        }
        if (m.count == 0 || m.count > TDVF_MAX_SECTIONS) {
            __builtin_trap(); /* the parser promised a bounded count */
        }
        (void)tdvf_check_qemu(&m, size, &err);
        (void)tdvf_check_tdshim(&m, size, &err);
        (void)tdvf_check_layout(&m, size, &err);
    }
    return 0;
}
