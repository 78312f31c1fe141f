/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Bounded formatter for the debug console (log.h). Pure C: also unit-tested on the host. */
#include "log.h"

typedef struct out_buf {
    char *buf;
    size_t cap; /* > 0 */
    size_t len; /* < cap */
} out_buf;

static void put(out_buf *o, char c)
{
    if (o->len + 1 < o->cap) {
        o->buf[o->len++] = c;
    }
}

static void put_u64(out_buf *o, uint64_t v, unsigned base, unsigned width)
{
    char tmp[24];
    unsigned n = 0;
    do {
        unsigned d = (unsigned)(v % base);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + (d - 10));
        v /= base;
    } while (v != 0 && n < sizeof tmp);
    while (width > n && width > 0) {
        put(o, '0');
        width--;
    }
    while (n > 0) {
        put(o, tmp[--n]);
    }
}

size_t shim_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    if (buf == NULL || cap == 0) {
        return 0;
    }
    out_buf o = {buf, cap, 0};
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            put(&o, *p);
            continue;
        }
        p++;
        unsigned width = 0;
        while (*p >= '0' && *p <= '9') {
            width = width * 10 + (unsigned)(*p - '0');
            width = width > 64 ? 64 : width; /* bounded: no overflow, output is capped anyway */
            p++;
        }
        bool is_long = false;
        if (*p == 'l') {
            is_long = true;
            p++;
        }
        switch (*p) {
        case 's': {
            /* clang-analyzer 14 loses va_start across the call (valist false positive). */
            const char *s = va_arg(ap, const char *); // NOLINT(clang-analyzer-valist.Uninitialized)
            for (s = (s == NULL) ? "(null)" : s; *s != '\0'; s++) {
                put(&o, *s);
            }
            break;
        }
        case 'c': {
            int ch = va_arg(ap, int); // NOLINT(clang-analyzer-valist.Uninitialized)
            put(&o, (char)ch);
            break;
        }
        case 'u':
        case 'x': {
            uint64_t v;
            if (is_long) {
                v = va_arg(ap, uint64_t); // NOLINT(clang-analyzer-valist.Uninitialized)
            } else {
                v = va_arg(ap, uint32_t); // NOLINT(clang-analyzer-valist.Uninitialized)
            }
            put_u64(&o, v, *p == 'x' ? 16u : 10u, width);
            break;
        }
        case '%': put(&o, '%'); break;
        case '\0': p--; break; /* a lone trailing '%' */
        default:
            put(&o, '%');
            put(&o, *p);
            break;
        }
    }
    o.buf[o.len] = '\0';
    return o.len;
}

size_t shim_format(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = shim_vformat(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}

bool shim_hex(char *out, size_t cap, const uint8_t *b, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    if (out == NULL || cap == 0) {
        return false;
    }
    if (n > (cap - 1) / 2) {
        out[0] = '\0';
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 0xFu];
    }
    out[2 * n] = '\0';
    return true;
}
