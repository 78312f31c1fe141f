/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: arbitrary bytes as a payload section under secure boot (secboot_verify_payload, what
 * the shim runs on the image payload and on a VMM-placed region): the format detection, the
 * signed object's extent (td-shim Length and algorithm, or the first CBOR item walked head by
 * head), the zeros after it, then the verifier, against a policy no input satisfies. Also the
 * image's secure-boot record on the first 32 bytes. Checks: never OK, statuses match reasons,
 * failures write nothing, offsets inside the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tdshim/secboot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
    if (!cond) {
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const tds_bytes in = tds_bytes_make(data, size);
    secboot_policy pol;
    memset(&pol, 0, sizeof pol); /* no key hashes to all-zero */
    secboot_result r;
    memset(&r, 0xA5, sizeof r);
    secboot_error e = {SECBOOT_R_NONE, 0};
    const tds_status st = secboot_verify_payload(in, &pol, &r, &e);
    check(st != TDS_OK);
    check(e.reason != SECBOOT_R_NONE && secboot_reason_status(e.reason) == st);
    check(e.offset <= size);
    check(r.svn == 0xA5A5A5A5A5A5A5A5ull);
    check(e.reason != SECBOOT_R_SIGNATURE && e.reason != SECBOOT_R_SVN_ROLLBACK);
    if (size >= SECBOOT_IMAGE_REC_SIZE) {
        uint32_t f = 0xA5A5A5A5u;
        secboot_error fe = {SECBOOT_R_NONE, 0};
        const tds_status fs =
            secboot_image_flags(tds_bytes_make(data, SECBOOT_IMAGE_REC_SIZE), &f, &fe);
        check(fs == TDS_OK ? (f & ~SECBOOT_IMAGE_REQUIRED) == 0
                           : f == 0xA5A5A5A5u && fe.reason == SECBOOT_R_IMAGE_FLAGS);
    }
    return 0;
}
