/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Freestanding link test for libsecboot: a static x86-64 Linux executable with no libc (its own
 * _start and two raw syscalls in fs_harness.c), linking libsecboot, libtdvf and the freestanding
 * mbedTLS as firmware would, with the shim's C runtime heap behind mbedTLS. It reads the two CFVs
 * and verifies the td-shim (ECDSA, RSA-PSS) and COSE (attached, detached) known answers in
 * secboot_vector.h, then refuses a flipped byte and a raised SVN floor. Its link map gives the
 * firmware cost of secure boot (docs/libsecboot.md, "Firmware size"). Exit status 0 = all passed.
 */
#include <stddef.h>
#include <stdint.h>

#include "fs_harness.h"
#include "secboot_vector.h"
#include "tdshim/secboot.h"

static void say_dec(uint64_t v)
{
    char buf[21];
    size_t i = sizeof buf - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0 && i > 0);
    fs_say(buf + i);
}

static int g_failures;
static uint8_t g_cfv[K_SB_CFV_SIZE];
static uint8_t g_buf[1024];

static void expect(const char *what, tds_status st, const secboot_error *err, secboot_reason want)
{
    const bool ok = want == SECBOOT_R_NONE ? st == TDS_OK : (st != TDS_OK && err->reason == want);
    fs_say(ok ? "ok   " : "FAIL ");
    fs_say(what);
    if (st != TDS_OK) {
        fs_say(": ");
        fs_say(secboot_reason_str(err->reason));
    }
    fs_say("\n");
    g_failures += ok ? 0 : 1;
}

static bool load_cfv(const uint8_t *head, size_t n, secboot_policy *pol)
{
    for (size_t i = 0; i < sizeof g_cfv; i++) {
        g_cfv[i] = i < n ? head[i] : 0xFFu;
    }
    secboot_error err = {SECBOOT_R_NONE, 0};
    const tds_status st = secboot_cfv_parse(tds_bytes_make(g_cfv, sizeof g_cfv), pol, &err);
    expect("CFV parsed", st, &err, SECBOOT_R_NONE);
    return st == TDS_OK;
}

static void copy(const uint8_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        g_buf[i] = src[i];
    }
}

_Noreturn void fs_main(void)
{
    secboot_policy ec;
    secboot_policy rsa;
    secboot_result res;
    secboot_error err = {SECBOOT_R_NONE, 0};
    if (!load_cfv(k_sb_cfv_ec_head, sizeof k_sb_cfv_ec_head, &ec) ||
        !load_cfv(k_sb_cfv_rsa_head, sizeof k_sb_cfv_rsa_head, &rsa)) {
        fs_quit(1);
    }
    copy(k_sb_ecdsa, sizeof k_sb_ecdsa);
    const tds_bytes ecdsa = tds_bytes_make(g_buf, sizeof k_sb_ecdsa);
    expect("td-shim ECDSA P-384", secboot_verify_tdshim(ecdsa, &ec, &res, &err), &err,
           SECBOOT_R_NONE);
    g_buf[60] ^= 1;
    expect("td-shim ECDSA, flipped payload byte", secboot_verify_tdshim(ecdsa, &ec, &res, &err),
           &err, SECBOOT_R_SIGNATURE);
    g_buf[60] ^= 1;
    secboot_policy raised = ec;
    raised.min_svn = 4;
    expect("td-shim ECDSA, SVN 3 under floor 4", secboot_verify_tdshim(ecdsa, &raised, &res, &err),
           &err, SECBOOT_R_SVN_ROLLBACK);
    expect("td-shim ECDSA against the RSA anchor", secboot_verify_tdshim(ecdsa, &rsa, &res, &err),
           &err, SECBOOT_R_KEY_UNTRUSTED);

    copy(k_sb_rsa, sizeof k_sb_rsa);
    const tds_bytes rsa_img = tds_bytes_make(g_buf, sizeof k_sb_rsa);
    expect("td-shim RSA-PSS-3072", secboot_verify_tdshim(rsa_img, &rsa, &res, &err), &err,
           SECBOOT_R_NONE);
    g_buf[sizeof k_sb_rsa - 1] ^= 1;
    expect("td-shim RSA-PSS, flipped signature byte",
           secboot_verify_tdshim(rsa_img, &rsa, &res, &err), &err, SECBOOT_R_SIGNATURE);

    copy(k_sb_cose, sizeof k_sb_cose);
    expect("COSE_Sign1 ES384 attached",
           secboot_verify_cose(tds_bytes_make(g_buf, sizeof k_sb_cose), NULL, &ec, &res, &err),
           &err, SECBOOT_R_NONE);
    copy(k_sb_cose_detached, sizeof k_sb_cose_detached);
    const tds_bytes det = tds_bytes_make(k_sb_payload, sizeof k_sb_payload);
    expect("COSE_Sign1 ES384 detached",
           secboot_verify_cose(tds_bytes_make(g_buf, sizeof k_sb_cose_detached), &det, &ec, &res,
                               &err),
           &err, SECBOOT_R_NONE);
    if (fs_heap.live != 0) {
        fs_say("FAIL mbedTLS leaked heap blocks\n");
        g_failures++;
    }
    fs_say("mbedTLS heap high-water bytes: ");
    say_dec(fs_heap.high_water);
    fs_say("\n");
    fs_say(g_failures == 0 ? "freestanding secboot: all passed\n"
                           : "freestanding secboot: FAILED\n");
    fs_quit(g_failures == 0 ? 0 : 1);
}
