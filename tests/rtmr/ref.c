/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "ref.h"

#include <openssl/sha.h>
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

void ref_sha384(const void *data, size_t len, uint8_t out[48])
{
    SHA384((const unsigned char *)data, len, out);
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

static tds_status counting_extend(void *ctx, uint32_t rtmr, const rtmr_extend_buf *buf)
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
    if (rtmr >= 4) {
        return TDS_ERR_INVALID_ARG;
    }
    ref_extend(c->bank.r[rtmr].b, buf->digest);
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
