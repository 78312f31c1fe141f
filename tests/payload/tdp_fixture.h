/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Host-test support: a payload HOB laid out as docs/handoff.md §4/§5 describes, built with
 * libtdhob's builder (independently of the checks), with knobs for hostile variants, and a sink
 * that captures lines.
 */
#ifndef TDP_FIXTURE_H
#define TDP_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdp_line.h"
#include "tdshim/tdhob.h"

#define FX_HOB_GPA 0x1E0000ull
#define FX_PAYLOAD_BASE 0x1000000ull
#define FX_ENTRY 0x1001000ull
#define FX_IMAGE_END 0x1010000ull
#define FX_LOG_BASE 0x1A0000ull
#define FX_MAILBOX 0x1B0000ull
#define FX_BLOB 0x1B1000ull
#define FX_MAX_TABLES 4u

struct fx_spec {
    tdhob_e820_entry e820[32];
    size_t n;
    tdhob_e820_entry res[32]; /* resources, by E820 type (1 -> 0, 8 -> 7, else 5) */
    size_t nres;
    bool no_e820;
    bool two_e820;
    uint64_t fv_base;
    uint64_t fv_len;
    bool no_fv;
    bool two_fv;
    tdhob_payload_info info;
    bool no_info;
    uint8_t cpu_bits;
    const uint8_t *tables[FX_MAX_TABLES];
    size_t table_len[FX_MAX_TABLES];
    size_t ntables;
};

/* The default map (docs/test-payload.md "Host tests"), FV = 2 MiB at 0x1000000, payload info
 * {0, FX_ENTRY}, CPU 48 bits, resources = the E820, no tables. */
void fx_default(struct fx_spec *s);
/* Build the HOB at FX_HOB_GPA into buf. */
tds_status fx_build(const struct fx_spec *s, uint8_t *buf, size_t cap, tds_bytes *out);

struct fx_capture {
    char text[1u << 17];
    size_t len;
    unsigned lines;
};
struct tdp_sink fx_sink(struct fx_capture *c);
/* The captured text contains this exact line. */
bool fx_has_line(const struct fx_capture *c, const char *line);
/* Number of lines starting with prefix. */
unsigned fx_count_prefix(const struct fx_capture *c, const char *prefix);

#endif /* TDP_FIXTURE_H */
