/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: arbitrary bytes as a td-shim signed payload: the header parser, then the whole
 * verifier against a policy no input can satisfy (the key and signature checks run on hostile
 * bytes; the trust check then refuses). Checks: statuses match reasons, failures write nothing,
 * an accepted header describes the input exactly.
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
    secboot_payload_header h;
    memset(&h, 0xA5, sizeof h);
    secboot_error err = {SECBOOT_R_NONE, 0};
    const tds_status st = secboot_header_parse(in, &h, &err);
    if (st != TDS_OK) {
        check(err.reason != SECBOOT_R_NONE && secboot_reason_status(err.reason) == st);
        check(h.length == 0xA5A5A5A5u);
    } else {
        check(size >= SECBOOT_HDR_LEN && h.length >= SECBOOT_HDR_LEN && h.length <= size);
        check(h.struct_version == 1);
        const size_t block =
            h.algorithm == SECBOOT_ALG_ECDSA_P384_SHA384 ? SECBOOT_ECDSA_BLOCK : SECBOOT_RSA_BLOCK;
        check(h.algorithm == SECBOOT_ALG_ECDSA_P384_SHA384 ||
              h.algorithm == SECBOOT_ALG_RSAPSS_3072_SHA384);
        check(size - h.length == block);
        check(h.payload_svn == tds_load_le64(data + 32));
    }
    /* The verifier: never OK (no key hashes to all-0x00), and never a crash. */
    secboot_policy pol;
    memset(&pol, 0, sizeof pol);
    secboot_result r;
    memset(&r, 0xA5, sizeof r);
    secboot_error verr = {SECBOOT_R_NONE, 0};
    const tds_status vs = secboot_verify_tdshim(in, &pol, &r, &verr);
    check(vs != TDS_OK);
    check(secboot_reason_status(verr.reason) == vs);
    check(r.svn == 0xA5A5A5A5A5A5A5A5ull);
    if (st != TDS_OK) {
        check(verr.reason == err.reason && vs == st); /* the header is checked first */
    } else {
        check(verr.reason != SECBOOT_R_SIGNATURE && verr.reason != SECBOOT_R_SVN_ROLLBACK);
    }
    return 0;
}
