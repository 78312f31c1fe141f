/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Runtime page tables (paging.h). SDM vol. 3 4.5 (4-level paging). */
#include "paging.h"

#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define SZ_1G 0x40000000ull
#define FOUR_GIB 0x100000000ull

static uint64_t table_entry(const shim_pt_page *p)
{
    return (uint64_t)(uintptr_t)p | PT_P | PT_RW; /* permissions live in the leaves */
}

static tds_status check_layout(const shim_pt_layout *l)
{
    if (!tds_is_aligned_u64(l->window, SZ_2M) || l->window >= FOUR_GIB ||
        !tds_is_aligned_u64(l->rom_base, SZ_2M) || l->rom_base >= FOUR_GIB ||
        l->region_count > PT_MAX_REGIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t prev_end = l->window;
    for (uint32_t i = 0; i < l->region_count; i++) {
        const shim_pt_region *r = &l->region[i];
        if (!tds_is_aligned_u64(r->start, SZ_4K) || !tds_is_aligned_u64(r->end, SZ_4K)) {
            return TDS_ERR_ALIGNMENT;
        }
        if (r->end <= r->start || r->start < prev_end || r->end > l->window + SZ_2M) {
            return TDS_ERR_OUT_OF_BOUNDS;
        }
        if ((r->flags & PT_ADDR_MASK) != 0 || (r->flags & PT_PS) != 0) {
            return TDS_ERR_INVALID_ARG;
        }
        prev_end = r->end;
    }
    return TDS_OK;
}

static uint64_t window_flags(const shim_pt_layout *l, uint64_t va)
{
    for (uint32_t i = 0; i < l->region_count; i++) {
        if (va >= l->region[i].start && va < l->region[i].end) {
            return l->region[i].flags;
        }
    }
    return l->window_default_flags;
}

tds_status shim_pt_build(shim_pt_page *pool, uint32_t pool_pages, const shim_pt_layout *layout,
                         uint64_t *root)
{
    if (pool == NULL || layout == NULL || root == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (pool_pages < PT_PAGES_NEEDED) {
        return TDS_ERR_NO_SPACE;
    }
    if (!tds_is_aligned_u64((uint64_t)(uintptr_t)pool, SZ_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(check_layout(layout));
    shim_pt_page *pml4 = &pool[0];
    shim_pt_page *pdpt = &pool[1];
    shim_pt_page *pd = &pool[2]; /* 4 consecutive pages */
    shim_pt_page *pt = &pool[6];
    memset(pool, 0, sizeof(shim_pt_page) * PT_PAGES_NEEDED);
    (*pml4)[0] = table_entry(pdpt);
    for (uint32_t g = 0; g < 4; g++) {
        (*pdpt)[g] = table_entry(&pd[g]);
        for (uint32_t e = 0; e < 512; e++) {
            const uint64_t va = (uint64_t)g * SZ_1G + (uint64_t)e * SZ_2M;
            uint64_t flags = va >= layout->rom_base ? layout->rom_flags : layout->default_flags;
            pd[g][e] = (flags & PT_P) != 0 ? (va | flags | PT_PS) : 0;
        }
    }
    const uint64_t w = layout->window;
    pd[w / SZ_1G][(w % SZ_1G) / SZ_2M] = table_entry(pt);
    for (uint32_t e = 0; e < 512; e++) {
        const uint64_t va = w + (uint64_t)e * SZ_4K;
        const uint64_t flags = window_flags(layout, va);
        (*pt)[e] = (flags & PT_P) != 0 ? (va | flags) : 0;
    }
    *root = (uint64_t)(uintptr_t)pml4;
    return TDS_OK;
}

uint64_t shim_pt_lookup(uint64_t root, uint64_t va)
{
    const uint64_t *t = (const uint64_t *)(uintptr_t)(root & PT_ADDR_MASK);
    for (int level = 3; level >= 0; level--) {
        const uint64_t e = t[(va >> (12 + 9 * level)) & 511u];
        if ((e & PT_P) == 0) {
            return 0;
        }
        if (level == 0 || (level <= 2 && (e & PT_PS) != 0)) {
            return e;
        }
        t = (const uint64_t *)(uintptr_t)(e & PT_ADDR_MASK);
    }
    return 0;
}
