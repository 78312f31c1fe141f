/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libaccept: accept-on-demand. Builds and maintains a bitmap in the Linux unaccepted-memory
 * table format (Linux include/linux/efi.h, efi_unaccepted_memory; Linux include/linux/efi.h struct
 * efi_unaccepted_memory):
 *
 *   off 0  u32 version = 1      off 4  u32 unit_size = 2 MiB
 *   off 8  u64 phys_base        off 16 u64 size (bitmap bytes)     off 24 bitmap
 *
 * Bit i set <=> [phys_base + i*unit, +unit) is still unaccepted. Bit i lives in byte i/8, bit
 * i%8 (the same as Linux's little-endian unsigned-long words). Contract: docs/libaccept.md.
 *
 * The table is caller-owned memory. The tracker keeps a pointer to it (it is the live state the
 * payload will inherit); the caller MUST keep it alive and MUST NOT change it behind the
 * tracker's back. Trackers are not thread-safe (one caller at a time); each accept they issue
 * runs through the engine, in parallel.
 */
#ifndef TDSHIM_ACCEPT_BITMAP_H
#define TDSHIM_ACCEPT_BITMAP_H

/*
 * Thread safety: see above (one caller at a time per tracker; different trackers concurrently).
 */

#include "tdshim/accept.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACCEPT_TABLE_VERSION 1u
#define ACCEPT_TABLE_UNIT ACCEPT_PAGE_2M /* EFI_UNACCEPTED_UNIT_SIZE = PMD_SIZE */
#define ACCEPT_TABLE_HEADER_SIZE 24u
#define ACCEPT_TABLE_OFF_VERSION 0u
#define ACCEPT_TABLE_OFF_UNIT 4u
#define ACCEPT_TABLE_OFF_PHYS_BASE 8u
#define ACCEPT_TABLE_OFF_SIZE 16u
/* LINUX_EFI_UNACCEPTED_MEM_TABLE_GUID d5d1de3c-105c-44f9-9ea9-bcef98120031, in EFI byte order. */
#define ACCEPT_TABLE_GUID_BYTES                                                                    \
    {                                                                                              \
        0x3C, 0xDE, 0xD1, 0xD5, 0x5C, 0x10, 0xF9, 0x44, 0x9E, 0xA9, 0xBC, 0xEF, 0x98, 0x12, 0x00,  \
            0x31                                                                                   \
    }

/*
 * Bytes a table needs for these lazily accepted ranges (a checked map): header plus
 * ceil((round_up(end, unit) - round_down(base, unit)) / (unit * 8)) bitmap bytes, the size the
 * Linux EFI stub would allocate. An empty map needs the header only (size 0).
 */
TDS_MUST_USE tds_status accept_table_size(const accept_range *lazy, size_t n, size_t *out);

/*
 * Build the table for memory left to the payload. What the bitmap cannot describe is accepted
 * now through ctx, as the Linux stub does (§10.1): every range shorter than two units, and the
 * unaligned head and tail of the others; the aligned middle is marked unaccepted. Order: the
 * capacity is checked first (TDS_ERR_NO_SPACE, nothing accepted), then the eager parts are
 * accepted, then the table is written; on an accept failure the table is not written.
 * On success *table_len = accept_table_size().
 */
TDS_MUST_USE tds_status accept_table_build(accept_ctx *ctx, const accept_range *lazy, size_t n,
                                           tds_mut_bytes table, size_t *table_len);

typedef struct accept_tracker {
    uint32_t magic;
    uint8_t *bitmap;    /* inside the caller's table */
    uint64_t phys_base; /* address of bit 0 */
    uint64_t nbits;     /* bits in the bitmap */
} accept_tracker;

/*
 * Validate a table (version 1, unit 2 MiB, phys_base unit-aligned, size within the buffer,
 * covered span below ACCEPT_GPA_LIMIT) and bind a tracker to it. Errors: TDS_ERR_TRUNCATED
 * (buffer shorter than the header or the bitmap), TDS_ERR_UNSUPPORTED (version, unit),
 * TDS_ERR_MALFORMED (phys_base alignment), TDS_ERR_OUT_OF_BOUNDS (span beyond the GPA limit).
 */
TDS_MUST_USE tds_status accept_tracker_init(accept_tracker *t, tds_mut_bytes table);

/*
 * Make sure [gpa, gpa+len) is accepted: every still-unaccepted unit touching it is accepted
 * through ctx and its bit cleared (bits are cleared only after the engine succeeded for them).
 * Memory outside the bitmap is treated as accepted. len 0 is a no-op; a wrapping range is
 * TDS_ERR_OVERFLOW.
 */
TDS_MUST_USE tds_status accept_tracker_accept(accept_tracker *t, accept_ctx *ctx, uint64_t gpa,
                                              uint64_t len);

/* *pending = some unit touching [gpa, gpa+len) is still unaccepted. */
TDS_MUST_USE tds_status accept_tracker_query(const accept_tracker *t, uint64_t gpa, uint64_t len,
                                             bool *pending);

/* Bytes still marked unaccepted. */
TDS_MUST_USE tds_status accept_tracker_pending(const accept_tracker *t, uint64_t *bytes);

#ifdef __cplusplus
}
#endif

#endif
