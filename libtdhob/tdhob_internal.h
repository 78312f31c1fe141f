/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libtdhob private helpers (not installed). */
#ifndef LIBTDHOB_INTERNAL_H
#define LIBTDHOB_INTERNAL_H

#include "tdshim/tdhob.h"

#define TDHOB_VIEW_MAGIC 0x54484F42u /* "THOB" */
#define TDHOB_PAGE 0x1000u
#define TDHOB_IO_LIMIT 0x10000u

/* Index into tdhob_view.count for a HOB type; -1 for types that are never accepted. */
static inline int tdhob_slot(uint16_t type)
{
    if (type == TDHOB_TYPE_END_OF_HOB_LIST) {
        return 15;
    }
    if (type <= TDHOB_TYPE_FV3) {
        return (int)type;
    }
    return -1;
}

static inline bool tdhob_view_ok(const tdhob_view *v)
{
    return v != NULL && v->magic == TDHOB_VIEW_MAGIC && v->hob.ptr != NULL && v->hob.len >= 64u;
}

static inline void tdhob_read_guid(const uint8_t *p, tds_guid *g)
{
    memcpy(g->b, p, sizeof g->b);
}

/* Decode the (already validated) HOB at `off`. Bounds are still checked through a cursor. */
TDS_MUST_USE tds_status tdhob_decode_at(tds_bytes hob, size_t off, tdhob_item *out);

/* Is the resource type an I/O-space type (2, 6)? */
static inline bool tdhob_is_io_type(uint32_t t)
{
    return t == TDHOB_RES_IO || t == TDHOB_RES_IO_RESERVED;
}

#endif
