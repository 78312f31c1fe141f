/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test payload's line builder and output sink (docs/test-payload.md, "Output grammar").
 * Pure: no I/O, no globals. A line is built into a caller-owned struct and handed to a sink,
 * which the payload points at the serial console and the host tests at a capture buffer.
 */
#ifndef TDP_LINE_H
#define TDP_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TDP_LINE_MAX 400u /* a `log` line carries 64 bytes = 128 hex digits; e820 ~ 60 chars */
#define TDP_PREFIX "tdpayload: "

struct tdp_line {
    char buf[TDP_LINE_MAX];
    size_t len;
    bool truncated; /* something did not fit; the line ends in "..." */
};

/* Where finished lines go. emit gets the line without a newline. */
struct tdp_sink {
    void *ctx;
    void (*emit)(void *ctx, const char *s, size_t n);
};

/* Start a line: "tdpayload: " + word. */
void tdp_line_start(struct tdp_line *l, const char *word);
/* Append a NUL-terminated string (bounded by TDP_LINE_MAX). */
void tdp_line_str(struct tdp_line *l, const char *s);
/* Append a character. */
void tdp_line_chr(struct tdp_line *l, char c);
/* " 0x<hex>" (lower case, no leading zeros, "0x0" for 0) without the leading space. */
void tdp_line_hex(struct tdp_line *l, uint64_t v);
/* Decimal. */
void tdp_line_dec(struct tdp_line *l, uint64_t v);
/* n bytes as 2n lower-case hex digits, no prefix. */
void tdp_line_bytes(struct tdp_line *l, const uint8_t *p, size_t n);
/* Hand the line to the sink (a NULL sink or emit drops it). */
void tdp_line_emit(const struct tdp_sink *sink, const struct tdp_line *l);

#endif /* TDP_LINE_H */
