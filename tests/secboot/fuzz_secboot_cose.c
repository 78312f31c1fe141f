/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: arbitrary bytes as a COSE_Sign1 message: the parser, then the verifier (attached,
 * and with the last quarter of the input as a detached payload) against a policy no key
 * satisfies. Checks: statuses match reasons, failures write nothing, an accepted message's slices
 * lie inside the input with the profile's sizes.
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

static int inside(tds_bytes outer, tds_bytes s)
{
    return s.len == 0 || (s.ptr >= outer.ptr && s.len <= outer.len &&
                          (size_t)(s.ptr - outer.ptr) <= outer.len - s.len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const tds_bytes in = tds_bytes_make(data, size);
    secboot_cose c;
    memset(&c, 0xA5, sizeof c);
    secboot_error err = {SECBOOT_R_NONE, 0};
    const tds_status st = secboot_cose_parse(in, &c, &err);
    if (st != TDS_OK) {
        check(err.reason != SECBOOT_R_NONE && secboot_reason_status(err.reason) == st);
        check(err.offset <= size);
        check(c.svn == 0xA5A5A5A5A5A5A5A5ull);
    } else {
        check(secboot_cbor_check(in, NULL) == TDS_OK);
        check(c.kid.len == 96 && inside(in, c.kid));
        check(c.signature.len == 96 && inside(in, c.signature));
        check(inside(in, c.protected_bstr) && c.protected_bstr.len != 0);
        check(secboot_cbor_check(c.protected_bstr, NULL) == TDS_OK);
        check(c.detached ? c.payload.len == 0 : inside(in, c.payload));
        check(c.has_version || c.version == 0);
    }
    secboot_policy pol;
    memset(&pol, 0, sizeof pol);
    secboot_result r;
    const tds_bytes det = tds_bytes_make(data + size - size / 4, size / 4);
    for (int mode = 0; mode < 2; mode++) {
        memset(&r, 0xA5, sizeof r);
        secboot_error verr = {SECBOOT_R_NONE, 0};
        const tds_status vs = secboot_verify_cose(in, mode ? &det : NULL, &pol, &r, &verr);
        check(vs != TDS_OK && secboot_reason_status(verr.reason) == vs);
        check(r.svn == 0xA5A5A5A5A5A5A5A5ull);
        if (st != TDS_OK) {
            check(verr.reason == err.reason);
        }
    }
    return 0;
}
