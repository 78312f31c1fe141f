/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "ref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

char ref_out[1u << 20];

int ref_run(char *const argv[])
{
    int fds[2];
    if (pipe(fds) != 0) {
        abort();
    }
    pid_t pid = fork();
    if (pid < 0) {
        abort();
    }
    if (pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(fds[1]);
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fds[0], ref_out + len, sizeof ref_out - 1 - len);
        if (n <= 0) {
            break;
        }
        len += (size_t)n;
    }
    ref_out[len] = '\0';
    close(fds[0]);
    int st = 0;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
        return -1;
    }
    return WEXITSTATUS(st);
}

void ref_write_file(const char *path, tds_bytes b)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(b.ptr, 1, b.len, f) != b.len) {
        abort();
    }
    if (fclose(f) != 0) {
        abort();
    }
}

/*
 * A small SHA-384 written for the tests from FIPS 180-4 (section 6.4), independent of mbedTLS.
 * The constants were derived from their definition (fractional parts of cube / square roots of
 * primes) and the routine is checked against published known answers in test_rtmr_core.c.
 */
static const uint64_t sha512_k[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
    0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
    0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
    0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
    0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
    0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
    0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
    0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
    0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
    0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
    0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
    0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
    0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
    0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull};

static const uint64_t sha384_iv[8] = {
    0xcbbb9d5dc1059ed8ull, 0x629a292a367cd507ull, 0x9159015a3070dd17ull, 0x152fecd8f70e5939ull,
    0x67332667ffc00b31ull, 0x8eb44a8768581511ull, 0xdb0c2e0d64f98fa7ull, 0x47b5481dbefa4fa4ull};

static uint64_t rotr64(uint64_t x, unsigned n)
{
    return (x >> n) | (x << (64u - n));
}

static void sha512_block(uint64_t h[8], const uint8_t blk[128])
{
    uint64_t w[80];
    for (unsigned t = 0; t < 16; t++) {
        uint64_t v = 0;
        for (unsigned j = 0; j < 8; j++) {
            v = (v << 8) | blk[8 * t + j];
        }
        w[t] = v;
    }
    for (unsigned t = 16; t < 80; t++) {
        uint64_t s0 = rotr64(w[t - 15], 1) ^ rotr64(w[t - 15], 8) ^ (w[t - 15] >> 7);
        uint64_t s1 = rotr64(w[t - 2], 19) ^ rotr64(w[t - 2], 61) ^ (w[t - 2] >> 6);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint64_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
    for (unsigned t = 0; t < 80; t++) {
        uint64_t t1 = hh + (rotr64(e, 14) ^ rotr64(e, 18) ^ rotr64(e, 41)) + ((e & f) ^ (~e & g)) +
                      sha512_k[t] + w[t];
        uint64_t t2 =
            (rotr64(a, 28) ^ rotr64(a, 34) ^ rotr64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

void ref_sha384(const void *data, size_t len, uint8_t out[48])
{
    const uint8_t *p = data;
    uint64_t h[8];
    memcpy(h, sha384_iv, sizeof h);
    size_t left = len;
    for (; left >= 128; left -= 128, p += 128) {
        sha512_block(h, p);
    }
    /* Padding: 0x80, zeros, the 128-bit big-endian bit length (len < 2^61 here). */
    uint8_t tail[256];
    memset(tail, 0, sizeof tail);
    if (left != 0) {
        memcpy(tail, p, left);
    }
    tail[left] = 0x80;
    size_t tlen = left < 112 ? 128 : 256;
    uint64_t bits = (uint64_t)len * 8u;
    for (unsigned j = 0; j < 8; j++) {
        tail[tlen - 1 - j] = (uint8_t)(bits >> (8 * j));
    }
    sha512_block(h, tail);
    if (tlen == 256) {
        sha512_block(h, tail + 128);
    }
    for (unsigned i = 0; i < 6; i++) {
        for (unsigned j = 0; j < 8; j++) {
            out[8 * i + j] = (uint8_t)(h[i] >> (56 - 8 * j));
        }
    }
}

void ref_extend(uint8_t reg[48], const uint8_t d[48])
{
    uint8_t cat[96];
    memcpy(cat, reg, 48);
    memcpy(cat + 48, d, 48);
    ref_sha384(cat, sizeof cat, reg);
}

void ref_put(ref_buf *r, const void *p, size_t n)
{
    if (n > sizeof r->b - r->n) {
        abort();
    }
    if (n != 0) {
        memcpy(r->b + r->n, p, n);
    }
    r->n += n;
}

void ref_u8(ref_buf *r, uint8_t v)
{
    ref_put(r, &v, 1);
}

void ref_le16(ref_buf *r, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    ref_put(r, b, 2);
}

void ref_le32(ref_buf *r, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    ref_put(r, b, 4);
}

void ref_le64(ref_buf *r, uint64_t v)
{
    ref_le32(r, (uint32_t)v);
    ref_le32(r, (uint32_t)(v >> 32));
}

void ref_spec_id(ref_buf *r, const char *vendor)
{
    size_t vlen = strlen(vendor);
    static const uint8_t zero20[20] = {0};
    ref_le32(r, 0);         /* PCRIndex */
    ref_le32(r, 3);         /* EV_NO_ACTION */
    ref_put(r, zero20, 20); /* SHA-1 digest */
    ref_le32(r, (uint32_t)(33 + vlen));
    ref_put(r, "Spec ID Event03", 16); /* with its NUL */
    ref_le32(r, 0);                    /* platformClass */
    ref_u8(r, 0);                      /* minor */
    ref_u8(r, 2);                      /* major */
    ref_u8(r, 105);                    /* errata */
    ref_u8(r, 2);                      /* uintnSize */
    ref_le32(r, 1);                    /* numberOfAlgorithms */
    ref_le16(r, 0x000C);
    ref_le16(r, 48);
    ref_u8(r, (uint8_t)vlen);
    ref_put(r, vendor, vlen);
}

void ref_event(ref_buf *r, uint32_t mr, uint32_t type, const uint8_t digest[48], const void *data,
               size_t len)
{
    ref_le32(r, mr);
    ref_le32(r, type);
    ref_le32(r, 1);
    ref_le16(r, 0x000C);
    ref_put(r, digest, 48);
    ref_le32(r, (uint32_t)len);
    ref_put(r, data, len);
}

static tds_status counting_extend(void *ctx, rtmr_reg_index rtmr, const rtmr_extend_buf *buf)
{
    counting_ops *c = ctx;
    c->calls++;
    if (((uintptr_t)buf & 63u) != 0) {
        c->misaligned_seen = true;
    }
    for (size_t i = 0; i < sizeof buf->pad; i++) {
        if (buf->pad[i] != 0) {
            c->pad_nonzero_seen = true;
        }
    }
    if (c->fail_at != 0 && c->calls == c->fail_at) {
        return c->fail_status;
    }
    if (rtmr.value >= 4) {
        return TDS_ERR_INVALID_ARG;
    }
    ref_extend(c->bank.r[rtmr.value].b, buf->digest);
    return TDS_OK;
}

rtmr_extend_ops counting_ops_make(counting_ops *c)
{
    memset(c, 0, sizeof *c);
    rtmr_extend_ops ops = {c, counting_extend};
    return ops;
}

void ref_hex(const uint8_t *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int nib(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

bool ref_unhex(const char *hex, uint8_t *out, size_t n)
{
    if (strlen(hex) != 2 * n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        int h = nib(hex[2 * i]), l = nib(hex[2 * i + 1]);
        if (h < 0 || l < 0) {
            return false;
        }
        out[i] = (uint8_t)(h * 16 + l);
    }
    return true;
}
