/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * EFI_GUID as 16 wire bytes (u32, u16, u16, u8[8], little-endian), compared bytewise. Kept as a
 * byte array so no structure is ever overlaid on untrusted memory.
 */
#ifndef TDSHIM_GUID_H
#define TDSHIM_GUID_H

/*
 * Thread safety: header-only; every function reads only its arguments and writes only what they
 * point to, so calls on different objects may run concurrently on any threads or vCPUs.
 */

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/mem.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tds_guid {
    uint8_t b[16];
} tds_guid;

/* Build the wire bytes of a GUID written in the usual text form's numbers. */
#define TDS_GUID_INIT(d1, d2, d3, b0, b1, b2, b3, b4, b5, b6, b7)                                  \
    {                                                                                              \
        {                                                                                          \
            (uint8_t)(d1), (uint8_t)((d1) >> 8), (uint8_t)((d1) >> 16), (uint8_t)((d1) >> 24),     \
                (uint8_t)(d2), (uint8_t)((d2) >> 8), (uint8_t)(d3), (uint8_t)((d3) >> 8), (b0),    \
                (b1), (b2), (b3), (b4), (b5), (b6), (b7)                                           \
        }                                                                                          \
    }

static inline bool tds_guid_equal(const tds_guid *a, const tds_guid *b)
{
    return memcmp(a->b, b->b, sizeof a->b) == 0;
}

static inline bool tds_guid_equal_bytes(const tds_guid *a, const uint8_t *wire16)
{
    return memcmp(a->b, wire16, sizeof a->b) == 0;
}

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_GUID_H */
