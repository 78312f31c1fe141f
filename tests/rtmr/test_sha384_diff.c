/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * librtmr's SHA-384 (OpenSSL's SHA-512 block function under librtmr's streaming layer) against
 * two independent implementations, mbedTLS (Debian's libmbedcrypto) and OpenSSL's libcrypto
 * (EVP), on every dispatch path this machine can run: FIPS 180-4 known answers, random lengths up
 * to 5 MiB, every split point of streaming updates near the block and padding boundaries, and
 * three-way splits. Paths the CPU cannot run must refuse to start (TDS_ERR_UNSUPPORTED); AUTO with
 * paths forced off must fall back and give the same digests. Also the hash interface: a plug-in
 * backend (mbedTLS behind rtmr_hash_ops), a failing backend (sticky errors), the 2^128-bit length
 * limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha512.h>
#include <openssl/evp.h>

#include "tdshim/rtmr.h"

#define MIB ((size_t)1024 * 1024)
#define BIG ((size_t)5 * MIB + 77)

static uint8_t *g_data; /* BIG pseudo-random bytes */

static uint64_t g_rng = 0x243F6A8885A308D3ull;
static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static int setup(void **state)
{
    (void)state;
    g_data = malloc(BIG);
    if (g_data == NULL) {
        return -1;
    }
    for (size_t i = 0; i < BIG; i++) {
        g_data[i] = (uint8_t)rnd();
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(g_data);
    rtmr_sha384_impl_limit(~0u);
    return 0;
}

static void mbed384(const uint8_t *p, size_t n, uint8_t out[48])
{
    uint8_t full[64];
    assert_int_equal(mbedtls_sha512_ret(p, n, full, 1), 0);
    memcpy(out, full, 48);
}

static void ossl384(const uint8_t *p, size_t n, uint8_t out[48])
{
    unsigned int len = 0;
    assert_int_equal(EVP_Digest(p, n, out, &len, EVP_sha384(), NULL), 1);
    assert_int_equal(len, 48);
}

/* The paths under test: every explicit one this machine can run, and AUTO. */
static size_t runnable(uint32_t impls[RTMR_SHA384_IMPL_COUNT])
{
    size_t n = 0;
    uint32_t mask = rtmr_sha384_impl_mask();
    impls[n++] = RTMR_SHA384_IMPL_AUTO;
    for (uint32_t i = RTMR_SHA384_IMPL_SCALAR; i < RTMR_SHA384_IMPL_COUNT; i++) {
        if ((mask & RTMR_SHA384_IMPL_BIT(i)) != 0) {
            impls[n++] = i;
        }
    }
    return n;
}

/* Hash p[0..n) with one path, split at the given offsets (ascending, each <= n). */
static void ours(uint32_t impl, const uint8_t *p, size_t n, const size_t *cuts, size_t ncuts,
                 uint8_t out[48])
{
    rtmr_sha384_ctx ctx;
    assert_int_equal(rtmr_sha384_init_ops(&ctx, rtmr_hash_builtin(impl)), TDS_OK);
    size_t at = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = cuts != NULL && i < ncuts ? cuts[i] : n;
        assert_true(end >= at && end <= n);
        assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make(p + at, end - at)), TDS_OK);
        at = end;
    }
    rtmr_digest d;
    assert_int_equal(rtmr_sha384_final(&ctx, &d), TDS_OK);
    memcpy(out, d.b, 48);
}

static void check_hex(const uint8_t *d, const char *hex)
{
    char got[97];
    for (size_t i = 0; i < 48; i++) {
        snprintf(got + 2 * i, 3, "%02x", d[i]);
    }
    assert_string_equal(got, hex);
}

static void test_paths_reported(void **state)
{
    (void)state;
    uint32_t mask = rtmr_sha384_impl_mask();
    assert_true((mask & RTMR_SHA384_IMPL_BIT(RTMR_SHA384_IMPL_SCALAR)) != 0);
    print_message("sha384 paths on this CPU:%s%s%s; auto: %s\n",
                  (mask & RTMR_SHA384_IMPL_BIT(RTMR_SHA384_IMPL_SCALAR)) ? " scalar" : "",
                  (mask & RTMR_SHA384_IMPL_BIT(RTMR_SHA384_IMPL_AVX)) ? " avx" : "",
                  (mask & RTMR_SHA384_IMPL_BIT(RTMR_SHA384_IMPL_AVX2)) ? " avx2" : "",
                  rtmr_sha384_impl_name(rtmr_sha384_impl_auto()));
    assert_int_equal(rtmr_sha384_cpu_detect(), mask);
    assert_null(rtmr_hash_builtin(RTMR_SHA384_IMPL_COUNT));
    assert_string_equal(rtmr_sha384_impl_name(99), "?");
    assert_ptr_equal(rtmr_hash_default(), rtmr_hash_builtin(RTMR_SHA384_IMPL_AUTO));
    /* A path this CPU cannot run refuses to start; the context is then failed (sticky). */
    for (uint32_t i = RTMR_SHA384_IMPL_SCALAR; i < RTMR_SHA384_IMPL_COUNT; i++) {
        if ((mask & RTMR_SHA384_IMPL_BIT(i)) == 0) {
            rtmr_sha384_ctx ctx;
            assert_int_equal(rtmr_sha384_init_ops(&ctx, rtmr_hash_builtin(i)), TDS_ERR_UNSUPPORTED);
            assert_int_equal(rtmr_sha384_update(&ctx, tds_bytes_make("a", 1)), TDS_ERR_STATE);
            print_message("path %s not runnable here: refused (tested)\n",
                          rtmr_sha384_impl_name(i));
        }
    }
}

/* FIPS 180-4 examples (NIST CSRC "Cryptographic Standards and Guidelines: Examples with
 * Intermediate Values", SHA-384) and the empty message, on every path, one-shot and byte-wise. */
static void test_kat_every_path(void **state)
{
    (void)state;
    static const char two[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                              "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    static const struct {
        const char *msg;
        size_t repeat;
        const char *hex;
    } kat[] = {
        {"", 1,
         "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14"
         "898b95b"},
        {"abc", 1,
         "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca13"
         "4c825a7"},
        {two, 1,
         "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa9"
         "1746039"},
        {"a", 1000000,
         "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87"
         "f3d8985"},
    };
    uint32_t impls[RTMR_SHA384_IMPL_COUNT];
    size_t n = runnable(impls);
    static uint8_t msg[1000000];
    for (size_t k = 0; k < TDS_ARRAY_LEN(kat); k++) {
        size_t ml = strlen(kat[k].msg);
        size_t len = ml * kat[k].repeat;
        assert_true(len <= sizeof msg);
        for (size_t r = 0; r < kat[k].repeat; r++) {
            memcpy(msg + r * ml, kat[k].msg, ml);
        }
        for (size_t i = 0; i < n; i++) {
            uint8_t d[48];
            ours(impls[i], msg, len, NULL, 0, d);
            check_hex(d, kat[k].hex);
            if (len <= 200) {
                size_t cuts[200];
                for (size_t c = 0; c < len; c++) {
                    cuts[c] = c;
                }
                ours(impls[i], msg, len, cuts, len, d);
                check_hex(d, kat[k].hex);
            }
        }
    }
}

/* Random lengths 0..5 MiB (and the lengths around the padding boundaries), one-shot, every path,
 * against mbedTLS and libcrypto. */
static void test_random_lengths(void **state)
{
    (void)state;
    uint32_t impls[RTMR_SHA384_IMPL_COUNT];
    size_t n = runnable(impls);
    size_t lens[96];
    size_t nl = 0;
    for (size_t l = 0; l <= 260 && nl < 40; l += (l >= 100 && l < 140) || l > 230 ? 1 : 37) {
        lens[nl++] = l;
    }
    lens[nl++] = BIG;
    lens[nl++] = (size_t)4 * MIB;
    lens[nl++] = MIB - 1;
    while (nl < TDS_ARRAY_LEN(lens)) {
        uint64_t r = rnd();
        /* Mostly small and medium, some multi-MiB. */
        size_t cap = (r & 7u) == 0 ? BIG : (r & 7u) < 4 ? 4096u : 65536u;
        lens[nl++] = (size_t)((r >> 8) % (cap + 1));
    }
    for (size_t li = 0; li < nl; li++) {
        size_t len = lens[li];
        size_t off = (size_t)(rnd() % 16); /* unaligned starts too */
        if (len > BIG - off) {
            off = 0;
        }
        const uint8_t *p = g_data + off;
        uint8_t want[48];
        uint8_t want2[48];
        mbed384(p, len, want);
        ossl384(p, len, want2);
        assert_memory_equal(want, want2, 48);
        for (size_t i = 0; i < n; i++) {
            uint8_t got[48];
            ours(impls[i], p, len, NULL, 0, got);
            if (memcmp(got, want, 48) != 0) {
                fail_msg("path %s, length %zu, offset %zu: digest differs",
                         rtmr_sha384_impl_name(impls[i]), len, off);
            }
        }
    }
}

/* Every split point of a two-part update near the boundaries (n = 111..113, 127..129, 239..241,
 * 255..257, 1000, 4096 + a few; every cut 0..n), and random three-way splits, every path. */
static void test_every_split(void **state)
{
    (void)state;
    uint32_t impls[RTMR_SHA384_IMPL_COUNT];
    size_t n = runnable(impls);
    static const size_t lens[] = {0,   1,   111, 112, 113, 127, 128,  129,  239,  240, 241,
                                  255, 256, 257, 383, 384, 385, 1000, 4095, 4096, 4097};
    for (size_t li = 0; li < TDS_ARRAY_LEN(lens); li++) {
        size_t len = lens[li];
        uint8_t want[48];
        mbed384(g_data + 3, len, want);
        for (size_t i = 0; i < n; i++) {
            for (size_t cut = 0; cut <= len; cut++) {
                uint8_t got[48];
                ours(impls[i], g_data + 3, len, &cut, 1, got);
                if (memcmp(got, want, 48) != 0) {
                    fail_msg("path %s, length %zu, split %zu", rtmr_sha384_impl_name(impls[i]), len,
                             cut);
                }
            }
            for (int k = 0; k < 200; k++) {
                size_t c[2] = {len != 0 ? (size_t)(rnd() % (len + 1)) : 0,
                               len != 0 ? (size_t)(rnd() % (len + 1)) : 0};
                if (c[0] > c[1]) {
                    size_t t = c[0];
                    c[0] = c[1];
                    c[1] = t;
                }
                uint8_t got[48];
                ours(impls[i], g_data + 3, len, c, 2, got);
                assert_memory_equal(got, want, 48);
            }
        }
    }
    /* Long streams in uneven pieces (block-straddling chunks of 1..300 bytes), 1 MiB. */
    uint8_t want[48];
    mbed384(g_data, MIB, want);
    for (size_t i = 0; i < n; i++) {
        size_t cuts[20000];
        size_t nc = 0;
        size_t at = 0;
        while (nc < TDS_ARRAY_LEN(cuts)) {
            at += 1 + (size_t)(rnd() % 300);
            if (at >= MIB) {
                break;
            }
            cuts[nc++] = at;
        }
        uint8_t got[48];
        ours(impls[i], g_data, MIB, cuts, nc, got);
        assert_memory_equal(got, want, 48);
    }
}

/* AUTO with paths forced off falls back, and still agrees (both program-wide limits). */
static void test_forced_off_fallback(void **state)
{
    (void)state;
    uint32_t mask = rtmr_sha384_impl_mask();
    const uint32_t avx2 = RTMR_SHA384_IMPL_BIT(RTMR_SHA384_IMPL_AVX2);
    const uint32_t avx = RTMR_SHA384_IMPL_BIT(RTMR_SHA384_IMPL_AVX);
    static const size_t lens[] = {0, 127, 128, 129, 65536 + 5};
    uint32_t limits[] = {~0u, ~avx2, ~(avx2 | avx), 0u};
    for (size_t l = 0; l < TDS_ARRAY_LEN(limits); l++) {
        rtmr_sha384_impl_limit(limits[l]);
        uint32_t pick = rtmr_sha384_impl_auto();
        assert_true((mask & limits[l] & RTMR_SHA384_IMPL_BIT(pick)) != 0 ||
                    pick == RTMR_SHA384_IMPL_SCALAR);
        if ((limits[l] & avx2) == 0) {
            assert_int_not_equal(pick, RTMR_SHA384_IMPL_AVX2);
        }
        if ((limits[l] & (avx | avx2)) == 0) {
            assert_int_equal(pick, RTMR_SHA384_IMPL_SCALAR);
        }
        print_message("limit %08x: auto picks %s\n", limits[l], rtmr_sha384_impl_name(pick));
        for (size_t i = 0; i < TDS_ARRAY_LEN(lens); i++) {
            uint8_t want[48];
            ossl384(g_data, lens[i], want);
            rtmr_digest d;
            assert_int_equal(rtmr_sha384(tds_bytes_make(g_data, lens[i]), &d), TDS_OK);
            assert_memory_equal(d.b, want, 48);
        }
        /* A forced path is unaffected by the limit (it only restricts AUTO). */
        if ((mask & avx2) != 0) {
            uint8_t got[48];
            uint8_t want[48];
            ours(RTMR_SHA384_IMPL_AVX2, g_data, 1000, NULL, 0, got);
            mbed384(g_data, 1000, want);
            assert_memory_equal(got, want, 48);
        }
    }
    rtmr_sha384_impl_limit(~0u);
}

/* ---- The hash interface ------------------------------------------------------------------- */

/* A plug-in backend: mbedTLS's SHA-384 behind rtmr_hash_ops, its context in the state union. */
_Static_assert(sizeof(mbedtls_sha512_context) <= RTMR_HASH_STATE_SIZE, "state too small");

static mbedtls_sha512_context *mctx(rtmr_hash_state *st)
{
    return (mbedtls_sha512_context *)(void *)st->u64;
}

static tds_status m_init(const rtmr_hash_ops *self, rtmr_hash_state *st)
{
    (void)self;
    mbedtls_sha512_init(mctx(st));
    return mbedtls_sha512_starts_ret(mctx(st), 1) == 0 ? TDS_OK : TDS_ERR_DEVICE;
}

static tds_status m_update(rtmr_hash_state *st, const uint8_t *p, size_t n)
{
    return mbedtls_sha512_update_ret(mctx(st), p, n) == 0 ? TDS_OK : TDS_ERR_DEVICE;
}

static tds_status m_final(rtmr_hash_state *st, uint8_t out[48])
{
    uint8_t full[64];
    int rc = mbedtls_sha512_finish_ret(mctx(st), full);
    mbedtls_sha512_free(mctx(st));
    memcpy(out, full, 48);
    return rc == 0 ? TDS_OK : TDS_ERR_DEVICE;
}

static const rtmr_hash_ops mbed_ops = {"mbedtls", NULL, m_init, m_update, m_final};

/* A backend whose update fails after `budget` calls. */
static int g_budget;
static tds_status f_init(const rtmr_hash_ops *self, rtmr_hash_state *st)
{
    (void)self;
    st->u64[0] = 0;
    return TDS_OK;
}
static tds_status f_update(rtmr_hash_state *st, const uint8_t *p, size_t n)
{
    (void)p;
    st->u64[0] += n;
    return g_budget-- > 0 ? TDS_OK : TDS_ERR_DEVICE;
}
static tds_status f_final(rtmr_hash_state *st, uint8_t out[48])
{
    memset(out, (int)(st->u64[0] & 0xFF), 48);
    return TDS_OK;
}
static const rtmr_hash_ops failing_ops = {"failing", NULL, f_init, f_update, f_final};

static void test_plugin_backend(void **state)
{
    (void)state;
    for (size_t len = 0; len < 300; len += 13) {
        rtmr_sha384_ctx a;
        rtmr_sha384_ctx b;
        rtmr_digest da;
        rtmr_digest db;
        assert_int_equal(rtmr_sha384_init_ops(&a, &mbed_ops), TDS_OK);
        assert_int_equal(rtmr_sha384_init(&b), TDS_OK);
        assert_int_equal(rtmr_sha384_update(&a, tds_bytes_make(g_data, len)), TDS_OK);
        assert_int_equal(rtmr_sha384_update(&b, tds_bytes_make(g_data, len)), TDS_OK);
        assert_int_equal(rtmr_sha384_final(&a, &da), TDS_OK);
        assert_int_equal(rtmr_sha384_final(&b, &db), TDS_OK);
        assert_memory_equal(da.b, db.b, 48);
    }
    /* Incomplete ops are refused; the context is failed. */
    rtmr_hash_ops bad = mbed_ops;
    bad.final = NULL;
    rtmr_sha384_ctx c;
    assert_int_equal(rtmr_sha384_init_ops(&c, &bad), TDS_ERR_INVALID_ARG);
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make("x", 1)), TDS_ERR_STATE);
    assert_int_equal(rtmr_sha384_init_ops(&c, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rtmr_sha384_init_ops(NULL, &mbed_ops), TDS_ERR_INVALID_ARG);
    /* A backend error is returned once, then the context is sticky-failed; out untouched. */
    g_budget = 1;
    assert_int_equal(rtmr_sha384_init_ops(&c, &failing_ops), TDS_OK);
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make("ab", 2)), TDS_OK);
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make("cd", 2)), TDS_ERR_DEVICE);
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make("ef", 2)), TDS_ERR_STATE);
    rtmr_digest d;
    memset(&d, 0x5A, sizeof d);
    assert_int_equal(rtmr_sha384_final(&c, &d), TDS_ERR_STATE);
    assert_int_equal(d.b[0], 0x5A);
    /* Re-init recovers. */
    assert_int_equal(rtmr_sha384_init(&c), TDS_OK);
    assert_int_equal(rtmr_sha384_final(&c, &d), TDS_OK);
    check_hex(d.b, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65f"
                   "bd51ad2f14898b95b");
}

/* The 128-bit length: a message may not reach 2^128 bits (FIPS 180-4 1); the built-in backend
 * refuses the update that would, and the context stays failed. The state is set by hand (a real
 * stream of 2^125 bytes cannot be hashed in a test). */
static void test_length_limit(void **state)
{
    (void)state;
    rtmr_sha384_ctx c;
    assert_int_equal(rtmr_sha384_init_ops(&c, rtmr_hash_builtin(RTMR_SHA384_IMPL_SCALAR)), TDS_OK);
    c.st.builtin.n_hi = (1ull << 61) - 1;
    c.st.builtin.n_lo = ~0ull - 5;
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make(g_data, 5)), TDS_OK);
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make(g_data, 1)), TDS_ERR_OVERFLOW);
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make(g_data, 1)), TDS_ERR_STATE);
    /* A corrupted state is refused, never used to index. */
    assert_int_equal(rtmr_sha384_init(&c), TDS_OK);
    c.st.builtin.used = 128;
    assert_int_equal(rtmr_sha384_update(&c, tds_bytes_make(g_data, 1)), TDS_ERR_STATE);
    assert_int_equal(rtmr_sha384_init(&c), TDS_OK);
    c.st.builtin.impl = 77;
    rtmr_digest d;
    assert_int_equal(rtmr_sha384_final(&c, &d), TDS_ERR_STATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_paths_reported),      cmocka_unit_test(test_kat_every_path),
        cmocka_unit_test(test_random_lengths),      cmocka_unit_test(test_every_split),
        cmocka_unit_test(test_forced_off_fallback), cmocka_unit_test(test_plugin_backend),
        cmocka_unit_test(test_length_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
