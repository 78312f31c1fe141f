/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_line.h"

static const char tdp_hex_digits[] = "0123456789abcdef";

static void line_put(struct tdp_line *l, char c)
{
    /* Keep 3 bytes for the "..." that marks a truncated line. */
    if (l->truncated) {
        return;
    }
    if (l->len + 3u >= TDP_LINE_MAX) {
        l->buf[l->len++] = '.';
        l->buf[l->len++] = '.';
        l->buf[l->len++] = '.';
        l->truncated = true;
        return;
    }
    l->buf[l->len++] = c;
}

void tdp_line_chr(struct tdp_line *l, char c)
{
    line_put(l, c);
}

void tdp_line_str(struct tdp_line *l, const char *s)
{
    for (const char *p = s; *p != '\0' && !l->truncated; p++) {
        line_put(l, *p);
    }
}

void tdp_line_start(struct tdp_line *l, const char *word)
{
    l->len = 0;
    l->truncated = false;
    tdp_line_str(l, TDP_PREFIX);
    tdp_line_str(l, word);
}

void tdp_line_hex(struct tdp_line *l, uint64_t v)
{
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = tdp_hex_digits[v & 0xFu];
        v >>= 4;
    } while (v != 0 && n < sizeof tmp);
    line_put(l, '0');
    line_put(l, 'x');
    while (n > 0) {
        line_put(l, tmp[--n]);
    }
}

void tdp_line_dec(struct tdp_line *l, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0 && n < sizeof tmp);
    while (n > 0) {
        line_put(l, tmp[--n]);
    }
}

void tdp_line_bytes(struct tdp_line *l, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        line_put(l, tdp_hex_digits[p[i] >> 4]);
        line_put(l, tdp_hex_digits[p[i] & 0xFu]);
    }
}

void tdp_line_emit(const struct tdp_sink *sink, const struct tdp_line *l)
{
    if (sink != NULL && sink->emit != NULL) {
        sink->emit(sink->ctx, l->buf, l->len);
    }
}
