/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The built-in SHA-384 backend: the streaming layer (FIPS 180-4: the SHA-384 initial value 5.3.4,
 * a 128-byte block buffer, a 128-bit length, padding 5.1.2, truncation 6.5) over OpenSSL's
 * SHA-512 block function (sha512_x86.h), and the runtime choice among its scalar, AVX and AVX2
 * paths from CPUID and XGETBV (docs/librtmr.md, "Dispatch").
 */
#include "sha512_x86.h"
#include "tdshim/endian.h"
#include "tdshim/rtmr.h"
#include "x86_cpu.h"

/* OpenSSL's capability vector as the generated entry reads it: all zero, so that entry never
 * leaves the scalar path; the SIMD paths are called directly below. Read-only. */
const uint32_t tdshim_sha512_ia32cap[4] = {0, 0, 0, 0};

/*
 * The dispatch's state, the only mutable globals of librtmr (both accessed with __atomic
 * builtins only, so concurrent use is well defined):
 *  g_caps:    0 until detected; then DETECTED | the runnable paths (RTMR_SHA384_IMPL_BIT) |
 *             INTEL (OpenSSL takes its AVX path on Intel CPUs only; we do the same for AUTO).
 *  g_allowed: the paths AUTO may take (rtmr_sha384_impl_limit), all by default.
 * Both are caches of facts about the CPU and a policy; no hash state lives here.
 */
#define CAPS_DETECTED (1u << 31)
#define CAPS_INTEL (1u << 30)
static uint32_t g_caps;
static uint32_t g_allowed = ~0u;

#define BIT(i) RTMR_SHA384_IMPL_BIT(i)

/* FIPS 180-4 5.3.4: the SHA-384 initial hash value. */
static const uint64_t sha384_iv[8] = {
    0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull, 0x152fecd8f70e5939ull,
    0x67332667ffc00b31ull, 0x8eb44a8768581511ull, 0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull,
};

static uint32_t detect(void)
{
    uint32_t caps = CAPS_DETECTED | BIT(RTMR_SHA384_IMPL_SCALAR);
    uint32_t r[4];
    rtmr_x86_cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    /* "GenuineIntel" in EBX, EDX, ECX (Intel SDM Vol. 2A, CPUID leaf 0). */
    if (r[1] == 0x756e6547u && r[3] == 0x49656e69u && r[2] == 0x6c65746eu) {
        caps |= CAPS_INTEL;
    }
    if (max_leaf < 1) {
        return caps;
    }
    rtmr_x86_cpuid(1, 0, r);
    uint32_t ecx1 = r[2];
    bool ssse3 = (ecx1 >> 9 & 1u) != 0;
    bool osxsave = (ecx1 >> 27 & 1u) != 0;
    bool avx = (ecx1 >> 28 & 1u) != 0;
    /* AVX needs the OS to have enabled XMM and YMM state in XCR0 (SDM Vol. 1, 14.3); without
     * OSXSAVE, XGETBV would fault and no AVX instruction may run. As OpenSSL's x86_64cpuid.pl. */
    if (!osxsave || !avx) {
        return caps;
    }
    if ((rtmr_x86_xgetbv0() & 6u) != 6u) {
        return caps;
    }
    if (ssse3) {
        caps |= BIT(RTMR_SHA384_IMPL_AVX);
    }
    if (max_leaf >= 7) {
        rtmr_x86_cpuid(7, 0, r);
        uint32_t need = (1u << 3) | (1u << 5) | (1u << 8); /* BMI1, AVX2, BMI2 */
        if ((r[1] & need) == need) {
            caps |= BIT(RTMR_SHA384_IMPL_AVX2);
        }
    }
    return caps;
}

uint32_t rtmr_sha384_cpu_detect(void)
{
    uint32_t caps = __atomic_load_n(&g_caps, __ATOMIC_RELAXED);
    if (caps == 0) {
        caps = detect(); /* every thread computes the same value; the race is benign */
        __atomic_store_n(&g_caps, caps, __ATOMIC_RELAXED);
    }
    return caps & ~(CAPS_DETECTED | CAPS_INTEL);
}

static uint32_t caps_now(void)
{
    uint32_t caps = __atomic_load_n(&g_caps, __ATOMIC_RELAXED);
#if !defined(TDSHIM_FREESTANDING)
    if (caps == 0) {
        (void)rtmr_sha384_cpu_detect();
        caps = __atomic_load_n(&g_caps, __ATOMIC_RELAXED);
    }
#endif
    if (caps == 0) {
        caps = BIT(RTMR_SHA384_IMPL_SCALAR); /* firmware before rtmr_sha384_cpu_detect() */
    }
    return caps;
}

uint32_t rtmr_sha384_impl_mask(void)
{
    return caps_now() & ~(CAPS_DETECTED | CAPS_INTEL);
}

void rtmr_sha384_impl_limit(uint32_t allowed)
{
    __atomic_store_n(&g_allowed, allowed, __ATOMIC_RELAXED);
}

uint32_t rtmr_sha384_impl_auto(void)
{
    uint32_t caps = caps_now();
    uint32_t can = caps & __atomic_load_n(&g_allowed, __ATOMIC_RELAXED);
    if ((can & BIT(RTMR_SHA384_IMPL_AVX2)) != 0) {
        return RTMR_SHA384_IMPL_AVX2;
    }
    if ((can & BIT(RTMR_SHA384_IMPL_AVX)) != 0 && (caps & CAPS_INTEL) != 0) {
        return RTMR_SHA384_IMPL_AVX;
    }
    return RTMR_SHA384_IMPL_SCALAR;
}

const char *rtmr_sha384_impl_name(uint32_t impl)
{
    switch (impl) {
    case RTMR_SHA384_IMPL_AUTO: return "auto";
    case RTMR_SHA384_IMPL_SCALAR: return "scalar";
    case RTMR_SHA384_IMPL_AVX: return "avx";
    case RTMR_SHA384_IMPL_AVX2: return "avx2";
    default: return "?";
    }
}

/* Direct calls only (no function pointers into the assembly). blocks >= 1. */
static void compress(uint32_t impl, uint64_t h[8], const uint8_t *in, size_t blocks)
{
    switch (impl) {
    case RTMR_SHA384_IMPL_AVX2: tdshim_sha512_block_data_order_avx2(h, in, blocks); break;
    case RTMR_SHA384_IMPL_AVX: tdshim_sha512_block_data_order_avx(h, in, blocks); break;
    default: tdshim_sha512_block_data_order(h, in, blocks); break;
    }
}

static tds_status builtin_init(const rtmr_hash_ops *self, rtmr_hash_state *u)
{
    if (self == NULL || self->arg == NULL || u == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint32_t impl = *(const uint32_t *)self->arg;
    if (impl == RTMR_SHA384_IMPL_AUTO) {
        impl = rtmr_sha384_impl_auto();
    } else if (impl >= RTMR_SHA384_IMPL_COUNT) {
        return TDS_ERR_INVALID_ARG;
    } else if ((rtmr_sha384_impl_mask() & BIT(impl)) == 0) {
        return TDS_ERR_UNSUPPORTED; /* this CPU (or OS) cannot run that path */
    }
    rtmr_sha512_state *s = &u->builtin;
    memset(s, 0, sizeof *s);
    memcpy(s->h, sha384_iv, sizeof s->h);
    s->impl = impl;
    return TDS_OK;
}

static bool state_ok(const rtmr_sha512_state *s)
{
    return s->used < sizeof s->buf && s->impl > RTMR_SHA384_IMPL_AUTO &&
           s->impl < RTMR_SHA384_IMPL_COUNT;
}

static tds_status builtin_update(rtmr_hash_state *u, const uint8_t *data, size_t len)
{
    if (u == NULL || (data == NULL && len != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    rtmr_sha512_state *s = &u->builtin;
    if (!state_ok(s)) {
        return TDS_ERR_STATE;
    }
    if (len == 0) {
        return TDS_OK;
    }
    /* 128-bit byte count. FIPS 180-4 allows messages below 2^128 bits: n_hi < 2^61. */
    _Static_assert(SIZE_MAX <= UINT64_MAX, "size_t wider than 64 bits");
    uint64_t lo = s->n_lo + (uint64_t)len;
    uint64_t hi = s->n_hi + (lo < s->n_lo ? 1u : 0u);
    if (hi >= (1ull << 61)) {
        return TDS_ERR_OVERFLOW;
    }
    s->n_lo = lo;
    s->n_hi = hi;

    if (s->used != 0) {
        size_t room = sizeof s->buf - s->used;
        size_t take = len < room ? len : room;
        memcpy(s->buf + s->used, data, take);
        s->used += (uint32_t)take;
        data += take;
        len -= take;
        if (s->used < sizeof s->buf) {
            return TDS_OK;
        }
        compress(s->impl, s->h, s->buf, 1);
        s->used = 0;
    }
    size_t blocks = len / sizeof s->buf;
    if (blocks != 0) {
        compress(s->impl, s->h, data, blocks);
        data += blocks * sizeof s->buf;
        len -= blocks * sizeof s->buf;
    }
    if (len != 0) {
        memcpy(s->buf, data, len);
        s->used = (uint32_t)len;
    }
    return TDS_OK;
}

static tds_status builtin_final(rtmr_hash_state *u, uint8_t out[RTMR_SHA384_SIZE])
{
    if (u == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    rtmr_sha512_state *s = &u->builtin;
    if (!state_ok(s)) {
        return TDS_ERR_STATE;
    }
    /* FIPS 180-4 5.1.2: 0x80, zeros to 112 mod 128, the length in bits as 128-bit big endian. */
    size_t used = s->used;
    s->buf[used++] = 0x80;
    if (used > 112) {
        memset(s->buf + used, 0, sizeof s->buf - used);
        compress(s->impl, s->h, s->buf, 1);
        used = 0;
    }
    memset(s->buf + used, 0, 112 - used);
    tds_store_be64(s->buf + 112, s->n_hi << 3 | s->n_lo >> 61);
    tds_store_be64(s->buf + 120, s->n_lo << 3);
    compress(s->impl, s->h, s->buf, 1);
    /* 6.5: SHA-384 is the leftmost 384 bits of the final SHA-512-style value. */
    for (size_t i = 0; i < RTMR_SHA384_SIZE / 8; i++) {
        tds_store_be64(out + 8 * i, s->h[i]);
    }
    return TDS_OK;
}

static const uint32_t impl_ids[RTMR_SHA384_IMPL_COUNT] = {
    RTMR_SHA384_IMPL_AUTO, RTMR_SHA384_IMPL_SCALAR, RTMR_SHA384_IMPL_AVX, RTMR_SHA384_IMPL_AVX2};

static const rtmr_hash_ops builtin_ops[RTMR_SHA384_IMPL_COUNT] = {
    {"builtin-auto", &impl_ids[0], builtin_init, builtin_update, builtin_final},
    {"builtin-scalar", &impl_ids[1], builtin_init, builtin_update, builtin_final},
    {"builtin-avx", &impl_ids[2], builtin_init, builtin_update, builtin_final},
    {"builtin-avx2", &impl_ids[3], builtin_init, builtin_update, builtin_final},
};

const rtmr_hash_ops *rtmr_hash_builtin(uint32_t impl)
{
    return impl < RTMR_SHA384_IMPL_COUNT ? &builtin_ops[impl] : NULL;
}
