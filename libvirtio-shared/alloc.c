/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Page-granular first-fit allocation over two caller-owned bitmaps: "used" marks allocated
 * pages, "head" marks the first page of each allocation, so an allocation's extent is its head
 * plus the used, non-head pages after it and a free needs only the start pointer. Pages are
 * zeroed when handed out (the VMM can write shared memory at any time) and when freed (nothing
 * the driver put there outlives the allocation).
 */
#include "vshared_internal.h"

size_t vshared_extent(const vshared_pool *pool, size_t head_index)
{
    size_t n = 1;
    while (head_index + n < pool->npages && vshared_bit_get(pool->used, head_index + n) &&
           !vshared_bit_get(pool->head, head_index + n)) {
        n++;
    }
    return n;
}

/* First free run of want pages; false when none exists. */
static bool first_fit(const vshared_pool *pool, size_t want, size_t *first)
{
    size_t run = 0;
    for (size_t i = 0; i < pool->npages; i++) {
        if (vshared_bit_get(pool->used, i)) {
            run = 0;
            continue;
        }
        run++;
        if (run == want) {
            *first = i + 1u - want;
            return true;
        }
    }
    return false;
}

tds_status vshared_alloc(vshared_pool *pool, size_t pages, vshared_buffer *out)
{
    if (pool == NULL || out == NULL || pages == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool->state != VSHARED_POOL_READY) {
        return TDS_ERR_STATE;
    }
    size_t first = 0;
    if (pages > pool->free_pages || !first_fit(pool, pages, &first)) {
        return TDS_ERR_NO_SPACE;
    }
    for (size_t i = first; i < first + pages; i++) {
        vshared_bit_set(pool->used, i);
    }
    vshared_bit_set(pool->head, first);
    pool->free_pages -= pages;

    uint8_t *host = pool->va + vshared_pages_bytes(first);
    tds_memzero_explicit(host, vshared_pages_bytes(pages));
    out->host = host;
    out->device_addr = vshared_device_addr(pool, vshared_pages_bytes(first)); /* no shared bit */
    out->pages = pages;
    return TDS_OK;
}

tds_status vshared_free(vshared_pool *pool, void *host)
{
    if (pool == NULL || host == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool->state != VSHARED_POOL_READY) {
        return TDS_ERR_STATE;
    }
    size_t index = 0;
    size_t offset = 0;
    if (!vshared_page_of(pool, host, &index, &offset)) {
        return TDS_ERR_INVALID_ARG;
    }
    if ((offset & VSHARED_PAGE_MASK) != 0) {
        return TDS_ERR_ALIGNMENT;
    }
    if (!vshared_bit_get(pool->head, index)) {
        return TDS_ERR_INVALID_ARG; /* double free, or not the start of an allocation */
    }
    size_t n = vshared_extent(pool, index);
    tds_memzero_explicit(pool->va + offset, vshared_pages_bytes(n));
    vshared_bit_clear(pool->head, index);
    for (size_t i = index; i < index + n; i++) {
        vshared_bit_clear(pool->used, i);
    }
    pool->free_pages += n;
    return TDS_OK;
}
