/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test-side reference model, independent of librtmr: its own small SHA-384 (FIPS 180-4, not
 * mbedTLS), and a plain byte appender that lays logs out from the spec tables (the TCG PC Client
 * Platform Firmware Profile, crypto-agile event log), without the library's writer.
 */
#ifndef TESTS_RTMR_REF_H
#define TESTS_RTMR_REF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/ccel.h"

void ref_sha384(const void *data, size_t len, uint8_t out[48]);
/* reg = SHA-384(reg || d) */
void ref_extend(uint8_t reg[48], const uint8_t d[48]);

typedef struct ref_buf {
    uint8_t b[1u << 16];
    size_t n;
} ref_buf;

void ref_put(ref_buf *r, const void *p, size_t n);
void ref_u8(ref_buf *r, uint8_t v);
void ref_le16(ref_buf *r, uint16_t v);
void ref_le32(ref_buf *r, uint32_t v);
void ref_le64(ref_buf *r, uint64_t v);
/* The first entry as td-shim writes it (index 0, errata 105, uintn 2, SHA-384, vendor). */
void ref_spec_id(ref_buf *r, const char *vendor);
/* A CC_EVENT with one SHA-384 digest. */
void ref_event(ref_buf *r, uint32_t mr, uint32_t type, const uint8_t digest[48], const void *data,
               size_t len);

/* Extend ops over an rtmr_bank that count calls, check the buffer's alignment, and can fail. */
typedef struct counting_ops {
    rtmr_bank bank;
    unsigned calls;
    unsigned fail_at; /* 1-based call number that fails with fail_status; 0 = never */
    tds_status fail_status;
    bool misaligned_seen;
    bool pad_nonzero_seen;
} counting_ops;

rtmr_extend_ops counting_ops_make(counting_ops *c);

/* Run argv[0] with argv (no shell); stdout+stderr land in ref_out (NUL-terminated). Returns the
 * exit status. */
extern char ref_out[1u << 20];
int ref_run(char *const argv[]);
void ref_write_file(const char *path, tds_bytes b);

/* Hex helpers. */
void ref_hex(const uint8_t *p, size_t n, char *out /* 2n+1 */);
bool ref_unhex(const char *hex, uint8_t *out, size_t n);

#endif
