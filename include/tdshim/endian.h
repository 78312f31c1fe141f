/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Little-endian loads and stores through byte pointers: no casts of wire bytes to wider types, so
 * no alignment or aliasing UB. Big-endian loads too, for the formats that use them (QEMU fw_cfg's
 * directory and DMA descriptors). Callers MUST have bounds-checked the bytes (use tds_cursor for
 * untrusted input).
 */
#ifndef TDSHIM_ENDIAN_H
#define TDSHIM_ENDIAN_H

/*
 * Thread safety: header-only; every function reads only its arguments and writes only what they
 * point to, so calls on different objects may run concurrently on any threads or vCPUs.
 */

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline uint16_t tds_load_le16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)p[0] | (uint16_t)((uint16_t)p[1] << 8));
}

static inline uint32_t tds_load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t tds_load_le64(const uint8_t *p)
{
    return (uint64_t)tds_load_le32(p) | ((uint64_t)tds_load_le32(p + 4) << 32);
}

static inline void tds_store_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void tds_store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void tds_store_le64(uint8_t *p, uint64_t v)
{
    tds_store_le32(p, (uint32_t)v);
    tds_store_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t tds_load_be16(const uint8_t *p)
{
    return (uint16_t)((uint16_t)((uint16_t)p[0] << 8) | (uint16_t)p[1]);
}

static inline uint32_t tds_load_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint64_t tds_load_be64(const uint8_t *p)
{
    return ((uint64_t)tds_load_be32(p) << 32) | (uint64_t)tds_load_be32(p + 4);
}

static inline void tds_store_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void tds_store_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void tds_store_be64(uint8_t *p, uint64_t v)
{
    tds_store_be32(p, (uint32_t)(v >> 32));
    tds_store_be32(p + 4, (uint32_t)v);
}

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_ENDIAN_H */
