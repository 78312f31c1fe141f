/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Freestanding link test for the firmware crypto: a static x86-64 Linux executable with no libc
 * (fs_harness.c: its own _start and two raw syscalls), linking the freestanding mbedTLS build as
 * the shim does (mbedTLS 3.6, its symbols prefixed tdshim_; this file is compiled into an archive
 * that gets the same prefix, TdShimMbedtls.cmake), plus the shim's C runtime (shim/rt). It proves
 * that SHA-384, ECDSA-P384 and RSA-PSS-3072 verify work without libc: known answers from
 * FIPS 180-2 and signatures made with OpenSSL.
 * Exit status 0 = all passed.
 */
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/ecdsa.h"
#include "mbedtls/rsa.h"
#include "mbedtls/pk.h"
#include "mbedtls/sha512.h"

#include "ecdsa_vector.h"
#include "rsa_vector.h"
#include "fs_harness.h"

void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

/* ---- checks ---- */
static int g_failures;

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    return c - 'a' + 10;
}

static void check_digest(const char *name, const uint8_t got[48], const char *hex)
{
    uint8_t want[48];
    for (size_t i = 0; i < 48; i++) {
        want[i] = (uint8_t)(hexval(hex[2 * i]) << 4 | hexval(hex[2 * i + 1]));
    }
    if (memcmp(got, want, 48) != 0) {
        fs_say("FAIL ");
        g_failures++;
    } else {
        fs_say("ok   ");
    }
    fs_say(name);
    fs_say("\n");
}

static void sha384_kat(void)
{
    uint8_t out[64]; /* mbedTLS writes through a 64-byte parameter */
    static const char abc[] = "abc";
    static const char two_block[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    if (mbedtls_sha512((const unsigned char *)"", 0, out, 1) != 0) {
        g_failures++;
    }
    check_digest("sha384 empty", out,
                 "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f"
                 "65fbd51ad2f14898b95b");
    if (mbedtls_sha512((const unsigned char *)abc, 3, out, 1) != 0) {
        g_failures++;
    }
    check_digest("sha384 abc", out,
                 "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7"
                 "cc2358baeca134c825a7");
    if (mbedtls_sha512((const unsigned char *)two_block, sizeof two_block - 1, out, 1) != 0) {
        g_failures++;
    }
    check_digest("sha384 896-bit message", out,
                 "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e"
                 "2db966c3e9fa91746039");

    /* One million 'a' through the streaming interface, in uneven pieces. */
    static uint8_t chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    mbedtls_sha512_context ctx;
    mbedtls_sha512_init(&ctx);
    int rc = mbedtls_sha512_starts(&ctx, 1);
    size_t done = 0;
    size_t step = 1;
    while (rc == 0 && done < 1000000u) {
        size_t n = step;
        if (n > 1000000u - done) {
            n = 1000000u - done;
        }
        rc = mbedtls_sha512_update(&ctx, chunk, n);
        done += n;
        step = step % 997u + 1u;
    }
    if (rc == 0) {
        rc = mbedtls_sha512_finish(&ctx, out);
    }
    mbedtls_sha512_free(&ctx);
    if (rc != 0) {
        g_failures++;
    }
    check_digest("sha384 million a (streamed)", out,
                 "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ec"
                 "c4ebae97ddd87f3d8985");
}

static int ecdsa_verify(const uint8_t *msg, size_t msg_len)
{
    uint8_t hash[64]; /* mbedTLS writes through a 64-byte parameter */
    mbedtls_pk_context pk;
    int rc;

    if (mbedtls_sha512(msg, msg_len, hash, 1) != 0) {
        return -1;
    }
    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_parse_public_key(&pk, k_ecdsa_pub_der, sizeof k_ecdsa_pub_der);
    if (rc == 0) {
        rc = mbedtls_pk_verify(&pk, MBEDTLS_MD_SHA384, hash, 48, k_ecdsa_sig_der,
                               sizeof k_ecdsa_sig_der);
    }
    mbedtls_pk_free(&pk);
    return rc;
}

static void say_hex(uint64_t v)
{
    char buf[19] = "0x";
    for (int i = 0; i < 16; i++) {
        unsigned d = (unsigned)(v >> (60 - 4 * i)) & 0xFu;
        buf[2 + i] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    }
    buf[18] = '\0';
    fs_say(buf);
}

static void ecdsa_kat(void)
{
    uint8_t msg[sizeof k_ecdsa_msg - 1];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)k_ecdsa_msg[i];
    }
    int rc = ecdsa_verify(msg, sizeof msg);
    if (rc == 0) {
        fs_say("ok   ecdsa-p384 verify (good signature)\n");
    } else {
        fs_say("FAIL ecdsa-p384 verify (good signature): mbedTLS error -");
        say_hex((uint64_t) - (int64_t)rc);
        fs_say("\n");
        g_failures++;
    }
    msg[0] ^= 1; /* one flipped bit must be rejected */
    if (ecdsa_verify(msg, sizeof msg) != 0) {
        fs_say("ok   ecdsa-p384 verify rejects a modified message\n");
    } else {
        fs_say("FAIL ecdsa-p384 verify accepted a modified message\n");
        g_failures++;
    }
}

/* td-shim's RSA block: RSASSA-PSS, SHA-384, MGF1-SHA-384, salt length = 48 (the digest size). */
static int rsa_pss_verify(const uint8_t *msg, size_t msg_len, const uint8_t *sig)
{
    uint8_t hash[64];
    mbedtls_rsa_context rsa;
    int rc;

    if (mbedtls_sha512(msg, msg_len, hash, 1) != 0) {
        return -1;
    }
    mbedtls_rsa_init(&rsa);
    rc = mbedtls_rsa_set_padding(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA384);
    if (rc == 0) {
        rc = mbedtls_rsa_import_raw(&rsa, k_rsa_n, sizeof k_rsa_n, NULL, 0, NULL, 0, NULL, 0,
                                    k_rsa_e, sizeof k_rsa_e);
    }
    if (rc == 0) {
        rc = mbedtls_rsa_complete(&rsa);
    }
    if (rc == 0) {
        rc = mbedtls_rsa_rsassa_pss_verify_ext(&rsa, MBEDTLS_MD_SHA384, 48, hash, MBEDTLS_MD_SHA384,
                                               48, sig);
    }
    mbedtls_rsa_free(&rsa);
    return rc;
}

static void rsa_kat(void)
{
    uint8_t msg[sizeof k_rsa_msg - 1];
    uint8_t sig[sizeof k_rsa_sig];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)k_rsa_msg[i];
    }
    for (size_t i = 0; i < sizeof sig; i++) {
        sig[i] = k_rsa_sig[i];
    }
    int rc = rsa_pss_verify(msg, sizeof msg, sig);
    if (rc == 0) {
        fs_say("ok   rsa-pss-3072 sha384 verify (good signature)\n");
    } else {
        fs_say("FAIL rsa-pss-3072 sha384 verify (good signature): mbedTLS error -");
        say_hex((uint64_t) - (int64_t)rc);
        fs_say("\n");
        g_failures++;
    }
    sig[100] ^= 0x10; /* one flipped signature bit must be rejected */
    if (rsa_pss_verify(msg, sizeof msg, sig) != 0) {
        fs_say("ok   rsa-pss-3072 verify rejects a modified signature\n");
    } else {
        fs_say("FAIL rsa-pss-3072 verify accepted a modified signature\n");
        g_failures++;
    }
}

_Noreturn void fs_main(void)
{
    sha384_kat();
    ecdsa_kat();
    rsa_kat();
    if (fs_heap.live != 0) {
        fs_say("FAIL mbedTLS leaked heap blocks\n");
        g_failures++;
    }
    fs_say("mbedTLS heap high-water bytes: ");
    say_hex(fs_heap.high_water);
    fs_say("\n");
    fs_say(g_failures == 0 ? "freestanding crypto: all passed\n" : "freestanding crypto: FAILED\n");
    fs_quit(g_failures == 0 ? 0 : 1);
}
