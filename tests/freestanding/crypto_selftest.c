/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Freestanding link test for the firmware crypto: a static x86-64 Linux executable with no libc
 * (its own _start and two raw syscalls), linking the freestanding mbedTLS build exactly as the
 * shim does, plus the shim's C runtime (shim/rt). It proves that SHA-384 and ECDSA-P384 verify
 * work without libc: known answers from FIPS 180-2 and one signature made with OpenSSL.
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
#include "tdshim_mbedtls_libc.h"
#include "rt/heap.h"

void tdshim_selftest_start(void);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* ---- the two syscalls this program needs (host Linux only; not part of any library) ---- */
static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c)
                         : "rcx", "r11", "memory");
    return ret;
}

static void say(const char *s)
{
    (void)sys3(1 /* write */, 1, (long)s, (long)strlen(s));
}

static _Noreturn void quit(int code)
{
    for (;;) {
        (void)sys3(231 /* exit_group */, code, 0, 0);
    }
}

/* ---- mbedTLS's heap: the shim's runtime heap over a static arena ---- */
static uint8_t g_arena[64 * 1024] __attribute__((aligned(16)));
static struct rt_heap g_heap;

void *tdshim_mbedtls_calloc(size_t n, size_t size)
{
    return rt_heap_calloc(&g_heap, n, size);
}

void tdshim_mbedtls_free(void *p)
{
    if (!rt_heap_free(&g_heap, p)) {
        say("FAIL mbedTLS freed a pointer the heap did not hand out\n");
        quit(3);
    }
}

int tdshim_mbedtls_snprintf_unused(char *s, size_t n, const char *fmt, ...)
{
    (void)s;
    (void)n;
    (void)fmt;
    return -1;
}
int tdshim_mbedtls_printf_unused(const char *fmt, ...)
{
    (void)fmt;
    return -1;
}
int tdshim_mbedtls_fprintf_unused(void *f, const char *fmt, ...)
{
    (void)f;
    (void)fmt;
    return -1;
}
void tdshim_mbedtls_exit_unused(int code)
{
    quit(100 + code);
}

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
        say("FAIL ");
        g_failures++;
    } else {
        say("ok   ");
    }
    say(name);
    say("\n");
}

static void sha384_kat(void)
{
    uint8_t out[64]; /* mbedTLS writes through a 64-byte parameter */
    static const char abc[] = "abc";
    static const char two_block[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                                    "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

    if (mbedtls_sha512_ret((const unsigned char *)"", 0, out, 1) != 0) {
        g_failures++;
    }
    check_digest("sha384 empty", out,
                 "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f"
                 "65fbd51ad2f14898b95b");
    if (mbedtls_sha512_ret((const unsigned char *)abc, 3, out, 1) != 0) {
        g_failures++;
    }
    check_digest("sha384 abc", out,
                 "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7"
                 "cc2358baeca134c825a7");
    if (mbedtls_sha512_ret((const unsigned char *)two_block, sizeof two_block - 1, out, 1) != 0) {
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
    int rc = mbedtls_sha512_starts_ret(&ctx, 1);
    size_t done = 0;
    size_t step = 1;
    while (rc == 0 && done < 1000000u) {
        size_t n = step;
        if (n > 1000000u - done) {
            n = 1000000u - done;
        }
        rc = mbedtls_sha512_update_ret(&ctx, chunk, n);
        done += n;
        step = step % 997u + 1u;
    }
    if (rc == 0) {
        rc = mbedtls_sha512_finish_ret(&ctx, out);
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

    if (mbedtls_sha512_ret(msg, msg_len, hash, 1) != 0) {
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
    say(buf);
}

static void ecdsa_kat(void)
{
    uint8_t msg[sizeof k_ecdsa_msg - 1];
    for (size_t i = 0; i < sizeof msg; i++) {
        msg[i] = (uint8_t)k_ecdsa_msg[i];
    }
    int rc = ecdsa_verify(msg, sizeof msg);
    if (rc == 0) {
        say("ok   ecdsa-p384 verify (good signature)\n");
    } else {
        say("FAIL ecdsa-p384 verify (good signature): mbedTLS error -");
        say_hex((uint64_t) - (int64_t)rc);
        say("\n");
        g_failures++;
    }
    msg[0] ^= 1; /* one flipped bit must be rejected */
    if (ecdsa_verify(msg, sizeof msg) != 0) {
        say("ok   ecdsa-p384 verify rejects a modified message\n");
    } else {
        say("FAIL ecdsa-p384 verify accepted a modified message\n");
        g_failures++;
    }
}

/* td-shim's RSA block: RSASSA-PSS, SHA-384, MGF1-SHA-384, salt length = 48 (the digest size). */
static int rsa_pss_verify(const uint8_t *msg, size_t msg_len, const uint8_t *sig)
{
    uint8_t hash[64];
    mbedtls_rsa_context rsa;
    int rc;

    if (mbedtls_sha512_ret(msg, msg_len, hash, 1) != 0) {
        return -1;
    }
    mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA384);
    rc = mbedtls_rsa_import_raw(&rsa, k_rsa_n, sizeof k_rsa_n, NULL, 0, NULL, 0, NULL, 0, k_rsa_e,
                                sizeof k_rsa_e);
    if (rc == 0) {
        rc = mbedtls_rsa_complete(&rsa);
    }
    if (rc == 0) {
        rc = mbedtls_rsa_rsassa_pss_verify_ext(&rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                               MBEDTLS_MD_SHA384, 48, hash, MBEDTLS_MD_SHA384, 48,
                                               sig);
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
        say("ok   rsa-pss-3072 sha384 verify (good signature)\n");
    } else {
        say("FAIL rsa-pss-3072 sha384 verify (good signature): mbedTLS error -");
        say_hex((uint64_t) - (int64_t)rc);
        say("\n");
        g_failures++;
    }
    sig[100] ^= 0x10; /* one flipped signature bit must be rejected */
    if (rsa_pss_verify(msg, sizeof msg, sig) != 0) {
        say("ok   rsa-pss-3072 verify rejects a modified signature\n");
    } else {
        say("FAIL rsa-pss-3072 verify accepted a modified signature\n");
        g_failures++;
    }
}

void tdshim_selftest_start(void)
{
    if (!rt_heap_init(&g_heap, g_arena, sizeof g_arena)) {
        quit(2);
    }
    sha384_kat();
    ecdsa_kat();
    rsa_kat();
    if (g_heap.live != 0) {
        say("FAIL mbedTLS leaked heap blocks\n");
        g_failures++;
    }
    say("mbedTLS heap high-water bytes: ");
    say_hex(g_heap.high_water);
    say("\n");
    say(g_failures == 0 ? "freestanding crypto: all passed\n" : "freestanding crypto: FAILED\n");
    quit(g_failures == 0 ? 0 : 1);
}

/* Entry: align the stack as the ABI expects at a call, then run. */
__asm__(".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  and $-16, %rsp\n"
        "  call tdshim_selftest_start\n"
        "  hlt\n");
