/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libvirtio-shared private helpers: the page bitmaps and pool address arithmetic. */
#ifndef VSHARED_INTERNAL_H
#define VSHARED_INTERNAL_H

#include "tdshim/virtio_shared.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

#define VSHARED_PAGE_MASK ((uint64_t)VSHARED_PAGE_SIZE - 1u)

static inline bool vshared_bit_get(const uint64_t *words, size_t i)
{
    return ((words[i / 64u] >> (i % 64u)) & 1u) != 0;
}

static inline void vshared_bit_set(uint64_t *words, size_t i)
{
    words[i / 64u] |= (uint64_t)1u << (i % 64u);
}

static inline void vshared_bit_clear(uint64_t *words, size_t i)
{
    words[i / 64u] &= ~((uint64_t)1u << (i % 64u));
}

/* Bytes in n pool pages; n <= VSHARED_MAX_PAGES, so this cannot overflow. */
static inline size_t vshared_pages_bytes(size_t n)
{
    return n * (size_t)VSHARED_PAGE_SIZE;
}

/*
 * Page index of a CPU address inside the pool, or false when p is outside it. *offset gets the
 * byte offset of p from the pool base.
 */
static inline bool vshared_page_of(const vshared_pool *pool, const void *p, size_t *index,
                                   size_t *offset)
{
    uintptr_t a = (uintptr_t)p;
    uintptr_t base = (uintptr_t)pool->va;
    if (a < base || a - base >= vshared_pages_bytes(pool->npages)) {
        return false;
    }
    *offset = (size_t)(a - base);
    *index = *offset / VSHARED_PAGE_SIZE;
    return true;
}

/*
 * Device address of the pool byte at `offset` (< pool bytes): its private GPA, shared bit clear.
 * On TDX the shared bit lives only in the guest's PTEs and in MapGPA; the VMM's device models
 * address guest memory by the GPA without it (docs/libvirtio-shared.md, "Device addresses").
 * gpa + pool bytes <= shared_mask (checked at init), so the result is always below the shared
 * bit, and so is the end of any range inside the pool.
 */
static inline uint64_t vshared_device_addr(const vshared_pool *pool, size_t offset)
{
    return pool->gpa + (uint64_t)offset;
}

/* Pages of the allocation whose first page is head_index (that bit MUST be a head). */
size_t vshared_extent(const vshared_pool *pool, size_t head_index);

#pragma GCC visibility pop

#endif
