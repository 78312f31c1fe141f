/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Map / unmap in the style of the EDK2 IOMMU protocol. READ and WRITE bounce through a fresh
 * zeroed allocation; COMMON hands out the shared allocation itself. The copy back of a WRITE is
 * bounded by the mapped length recorded at map time and reads the shared bounce exactly once;
 * whatever length the device claims is never consulted here.
 */
#include "vshared_internal.h"

static bool overlaps_pool(const vshared_pool *pool, const void *host, size_t len)
{
    return tds_ranges_overlap((uint64_t)(uintptr_t)host, (uint64_t)len,
                              (uint64_t)(uintptr_t)pool->va,
                              (uint64_t)vshared_pages_bytes(pool->npages));
}

/* Is [host, host+len) inside one live allocation? On success *offset = host - pool base. */
static bool inside_allocation(const vshared_pool *pool, const void *host, size_t len,
                              size_t *offset)
{
    size_t index = 0;
    size_t off = 0;
    if (!vshared_page_of(pool, host, &index, &off) || !vshared_bit_get(pool->used, index)) {
        return false;
    }
    size_t head = index;
    while (head > 0 && !vshared_bit_get(pool->head, head)) {
        head--; /* a used page has its head at or below it */
    }
    if (!vshared_bit_get(pool->head, head)) {
        return false; /* bitmap corrupted: refuse rather than guess */
    }
    size_t start = vshared_pages_bytes(head);
    size_t size = vshared_pages_bytes(vshared_extent(pool, head));
    if (!tds_range_contains((uint64_t)start, (uint64_t)size, (uint64_t)off, (uint64_t)len)) {
        return false;
    }
    *offset = off;
    return true;
}

tds_status vshared_map(vshared_pool *pool, vshared_op op, void *host, size_t len,
                       vshared_mapping *out)
{
    if (pool == NULL || host == NULL || out == NULL || len == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool->state != VSHARED_POOL_READY) {
        return TDS_ERR_STATE;
    }
    if ((uintptr_t)host > UINTPTR_MAX - (len - 1u)) {
        return TDS_ERR_OVERFLOW;
    }
    vshared_mapping m = {0};
    m.op = op;
    m.host = (uint8_t *)host;
    m.len = len;
    switch (op) {
    case VSHARED_BUS_MASTER_READ:
    case VSHARED_BUS_MASTER_WRITE: {
        if (overlaps_pool(pool, host, len)) {
            return TDS_ERR_INVALID_ARG;
        }
        size_t bytes = 0;
        TDS_TRY(tds_align_up_size(len, VSHARED_PAGE_SIZE, &bytes));
        vshared_buffer b;
        TDS_TRY(vshared_alloc(pool, bytes / VSHARED_PAGE_SIZE, &b));
        if (op == VSHARED_BUS_MASTER_READ) {
            memcpy(b.host, host, len);
        }
        m.bounce = (uint8_t *)b.host;
        m.bounce_pages = b.pages;
        m.device_addr = b.device_addr;
        break;
    }
    case VSHARED_BUS_MASTER_COMMON: {
        size_t offset = 0;
        if (!inside_allocation(pool, host, len, &offset)) {
            return TDS_ERR_INVALID_ARG;
        }
        m.device_addr = vshared_device_addr(pool, offset); /* no shared bit */
        break;
    }
    default: return TDS_ERR_INVALID_ARG;
    }
    *out = m;
    return TDS_OK;
}

/* Is m a live READ/WRITE mapping of this pool? */
static bool bounce_valid(const vshared_pool *pool, const vshared_mapping *m)
{
    size_t index = 0;
    size_t offset = 0;
    if (m->host == NULL || m->len == 0 || m->bounce == NULL ||
        !vshared_page_of(pool, m->bounce, &index, &offset)) {
        return false;
    }
    if ((offset & VSHARED_PAGE_MASK) != 0 || !vshared_bit_get(pool->head, index)) {
        return false;
    }
    /* The device address map handed out for this bounce (e.g. not one with the shared bit). */
    if (m->device_addr != vshared_device_addr(pool, offset)) {
        return false;
    }
    size_t pages = vshared_extent(pool, index);
    if (m->bounce_pages != pages || m->len > vshared_pages_bytes(pages)) {
        return false;
    }
    if ((uintptr_t)m->host > UINTPTR_MAX - (m->len - 1u) || overlaps_pool(pool, m->host, m->len)) {
        return false;
    }
    return true;
}

tds_status vshared_unmap(vshared_pool *pool, vshared_mapping *m)
{
    if (pool == NULL || m == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool->state != VSHARED_POOL_READY) {
        return TDS_ERR_STATE;
    }
    switch (m->op) {
    case VSHARED_BUS_MASTER_READ:
    case VSHARED_BUS_MASTER_WRITE:
        if (!bounce_valid(pool, m)) {
            return TDS_ERR_INVALID_ARG;
        }
        if (m->op == VSHARED_BUS_MASTER_WRITE) {
            /* One copy out of shared memory, bounded by the mapped length. */
            memcpy(m->host, m->bounce, m->len);
        }
        TDS_TRY(vshared_free(pool, m->bounce)); /* zeroes the bounce */
        break;
    case VSHARED_BUS_MASTER_COMMON: {
        size_t offset = 0;
        if (m->host == NULL || m->len == 0 || m->bounce != NULL ||
            (uintptr_t)m->host > UINTPTR_MAX - (m->len - 1u) ||
            !inside_allocation(pool, m->host, m->len, &offset) ||
            m->device_addr != vshared_device_addr(pool, offset)) {
            return TDS_ERR_INVALID_ARG;
        }
        break;
    }
    default: return TDS_ERR_INVALID_ARG;
    }
    memset(m, 0, sizeof(*m));
    return TDS_OK;
}
