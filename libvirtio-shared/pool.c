/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Pool life cycle: private -> shared at init, shared -> private at release (the Intel TDX GHCI
 * specification, MapGPA; Linux arch/x86/coco/tdx/tdx.c tdx_map_gpa, 4). Ordering follows Linux: to
 * shared = scrub, PTEs shared + TLB flush, MapGPA(shared); to private = MapGPA(private), ACCEPT,
 * PTEs private + TLB flush, scrub. MapGPA's retry rule and the check of the VMM's resume addresses
 * belong to the map_gpa op (libtdcall's tdvmcall_map_gpa); the library only decides what to do when
 * a conversion fails. Any failure of a conversion to shared is rolled back by the conversion to
 * private; when that fails too, the pool is BROKEN and keeps its pages out of use until a release
 * succeeds.
 */
#include "vshared_internal.h"

uint32_t vshared_api_version(void)
{
    return VSHARED_API_VERSION;
}

#define VSHARED_MASK_GPAW48 ((uint64_t)1u << 47)
#define VSHARED_MASK_GPAW52 ((uint64_t)1u << 51)

tds_status vshared_shared_mask_from_gpaw(uint32_t gpaw, uint64_t *mask)
{
    if (mask == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (gpaw == 48) {
        *mask = VSHARED_MASK_GPAW48;
        return TDS_OK;
    }
    if (gpaw == 52) {
        *mask = VSHARED_MASK_GPAW52;
        return TDS_OK;
    }
    return TDS_ERR_UNSUPPORTED;
}

static bool ops_valid(const vshared_ops *ops)
{
    return ops->set_shared != NULL && ops->clear_shared != NULL && ops->map_gpa != NULL &&
           ops->accept != NULL &&
           (ops->shared_mask == VSHARED_MASK_GPAW48 || ops->shared_mask == VSHARED_MASK_GPAW52);
}

static tds_status check_range(const vshared_ops *ops, const void *va, uint64_t gpa, size_t npages)
{
    if (npages == 0 || npages > VSHARED_MAX_PAGES) {
        return TDS_ERR_INVALID_ARG;
    }
    if (((uintptr_t)va & VSHARED_PAGE_MASK) != 0 || (gpa & VSHARED_PAGE_MASK) != 0) {
        return TDS_ERR_ALIGNMENT;
    }
    size_t len = vshared_pages_bytes(npages);
    if ((uintptr_t)va > UINTPTR_MAX - (len - 1u)) {
        return TDS_ERR_OVERFLOW;
    }
    uint64_t end;
    TDS_TRY(tds_range_end(gpa, (uint64_t)len, &end));
    /* The whole range must be private GPAs: below the shared bit (4). This also keeps every
     * device address (a pool page's private GPA) and the end of every mapping below it. */
    if ((gpa & ops->shared_mask) != 0 || end > ops->shared_mask) {
        return TDS_ERR_INVALID_ARG;
    }
    return TDS_OK;
}

/* The pool's conversion back to private; used by release and by the rollback of init. */
static tds_status to_private(vshared_pool *pool)
{
    uint64_t len = (uint64_t)vshared_pages_bytes(pool->npages);
    /* Range checked at init: gpa + len <= shared_mask, no wrap. */
    TDS_TRY(pool->ops.map_gpa(pool->ops.ctx, pool->gpa, len));
    TDS_TRY(pool->ops.accept(pool->ops.ctx, pool->gpa, len));
    TDS_TRY(pool->ops.clear_shared(pool->ops.ctx, pool->va, pool->gpa, len));
    /* ACCEPT zeroes a converted page; a page the VMM never really converted (ALREADY_ACCEPTED)
     * would keep old bytes, so scrub through the private mapping regardless. */
    tds_memzero_explicit(pool->va, vshared_pages_bytes(pool->npages));
    return TDS_OK;
}

static tds_status to_shared(vshared_pool *pool)
{
    uint64_t len = (uint64_t)vshared_pages_bytes(pool->npages);
    uint64_t start = pool->gpa | pool->ops.shared_mask;
    TDS_TRY(pool->ops.set_shared(pool->ops.ctx, pool->va, pool->gpa, len));
    return pool->ops.map_gpa(pool->ops.ctx, start, len);
}

static void reset(vshared_pool *pool)
{
    if (pool->used != NULL) {
        memset(pool->used, 0, pool->words * sizeof(uint64_t));
    }
    if (pool->head != NULL) {
        memset(pool->head, 0, pool->words * sizeof(uint64_t));
    }
    memset(pool, 0, sizeof(*pool));
}

static void mark_broken(vshared_pool *pool, tds_status err)
{
    if (pool->state != VSHARED_POOL_BROKEN) {
        pool->last_error = err;
    }
    pool->state = VSHARED_POOL_BROKEN;
}

tds_status vshared_pool_init(vshared_pool *pool, const vshared_ops *ops, void *va, uint64_t gpa,
                             size_t npages, uint64_t *bitmap, size_t bitmap_words)
{
    if (pool == NULL || ops == NULL || va == NULL || bitmap == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool->state == VSHARED_POOL_READY || pool->state == VSHARED_POOL_BROKEN) {
        return TDS_ERR_STATE; /* would lose track of converted pages */
    }
    if (!ops_valid(ops)) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(check_range(ops, va, gpa, npages));
    size_t words = VSHARED_BITMAP_WORDS(npages) / 2u;
    if (bitmap_words < 2u * words) {
        return TDS_ERR_NO_SPACE;
    }
    /* The allocator's own state must stay private: a bitmap or pool struct inside the pages about
     * to be shared would be VMM-writable. */
    uint64_t pool_lo = (uint64_t)(uintptr_t)va;
    uint64_t pool_len = (uint64_t)vshared_pages_bytes(npages);
    if (tds_ranges_overlap((uint64_t)(uintptr_t)bitmap, (uint64_t)(2u * words * sizeof(uint64_t)),
                           pool_lo, pool_len) ||
        tds_ranges_overlap((uint64_t)(uintptr_t)pool, (uint64_t)sizeof(*pool), pool_lo, pool_len)) {
        return TDS_ERR_INVALID_ARG;
    }

    memset(pool, 0, sizeof(*pool));
    pool->ops = *ops;
    pool->va = (uint8_t *)va;
    pool->gpa = gpa;
    pool->npages = npages;
    pool->used = bitmap;
    pool->head = bitmap + words;
    pool->words = words;
    memset(bitmap, 0, 2u * words * sizeof(uint64_t));

    /* Private data must never reach shared memory: scrub while the pages are still private. */
    tds_memzero_explicit(pool->va, vshared_pages_bytes(npages));

    tds_status err = to_shared(pool);
    if (err != TDS_OK) {
        if (to_private(pool) == TDS_OK) {
            reset(pool);
        } else {
            mark_broken(pool, err);
        }
        return err;
    }
    pool->free_pages = npages;
    pool->state = VSHARED_POOL_READY;
    return TDS_OK;
}

tds_status vshared_pool_release(vshared_pool *pool)
{
    if (pool == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool->state == VSHARED_POOL_READY) {
        if (pool->free_pages != pool->npages) {
            return TDS_ERR_STATE; /* a device may still own an allocation */
        }
    } else if (pool->state != VSHARED_POOL_BROKEN) {
        return TDS_ERR_STATE;
    }
    tds_status s = to_private(pool);
    if (s != TDS_OK) {
        mark_broken(pool, s);
        return s;
    }
    reset(pool);
    return TDS_OK;
}

vshared_pool_state vshared_pool_get_state(const vshared_pool *pool)
{
    return pool == NULL ? VSHARED_POOL_UNINIT : pool->state;
}

tds_status vshared_pool_last_error(const vshared_pool *pool)
{
    return pool == NULL ? TDS_ERR_INVALID_ARG : pool->last_error;
}

size_t vshared_pool_free_pages(const vshared_pool *pool)
{
    return (pool == NULL || pool->state != VSHARED_POOL_READY) ? 0 : pool->free_pages;
}
