/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Runtime page tables (paging.h). SDM vol. 3 4.5 (4-level paging). */
#include "paging.h"

#include "arch/cpu.h"

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
    if (!tds_is_aligned_u64(l->window, SZ_2M) || l->window >= FOUR_GIB || l->window_count == 0 ||
        l->window_count > PT_WINDOW_MAX ||
        FOUR_GIB - l->window < (uint64_t)l->window_count * SZ_2M ||
        !tds_is_aligned_u64(l->rom_base, SZ_2M) || l->rom_base >= FOUR_GIB ||
        l->region_count > PT_MAX_REGIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    const uint64_t window_end = l->window + (uint64_t)l->window_count * SZ_2M;
    uint64_t prev_end = l->window;
    for (uint32_t i = 0; i < l->region_count; i++) {
        const shim_pt_region *r = &l->region[i];
        if (!tds_is_aligned_u64(r->start, SZ_4K) || !tds_is_aligned_u64(r->end, SZ_4K)) {
            return TDS_ERR_ALIGNMENT;
        }
        if (r->end <= r->start || r->start < prev_end || r->end > window_end) {
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
    shim_pt_page *pt = &pool[6]; /* window_count consecutive pages */
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
    for (uint32_t b = 0; b < layout->window_count; b++) {
        const uint64_t w = layout->window + (uint64_t)b * SZ_2M; /* below 4 GiB: checked */
        pd[w / SZ_1G][(w % SZ_1G) / SZ_2M] = table_entry(&pt[b]);
        for (uint32_t e = 0; e < 512; e++) {
            const uint64_t va = w + (uint64_t)e * SZ_4K;
            const uint64_t flags = window_flags(layout, va);
            pt[b][e] = (flags & PT_P) != 0 ? (va | flags) : 0;
        }
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

/* ---- Mapping after the build ---- */

#define PA_LIMIT (1ull << 52)

static shim_pt_page *pt_alloc_page(shim_pt_alloc *a)
{
    if (a->pages == NULL || a->used >= a->cap) {
        return NULL;
    }
    shim_pt_page *p = &a->pages[a->used];
    a->used++;
    memset(p, 0, sizeof *p);
    return p;
}

/* Bytes one entry of a table at `level` maps (0 = PT: 4 KiB, 1 = PD: 2 MiB, 2 = PDPT: 1 GiB). */
static uint64_t level_size(int level)
{
    return SZ_4K << (9u * (unsigned)level);
}

/*
 * The table that entry `*e` (at `level` >= 1) points to, creating it when the entry is empty and
 * splitting it when it is a large leaf. NULL when the pool is exhausted.
 */
static uint64_t *descend(uint64_t *e, int level, shim_pt_alloc *a)
{
    if ((*e & PT_P) != 0 && (level == 3 || (*e & PT_PS) == 0)) {
        return (uint64_t *)(uintptr_t)(*e & PT_ADDR_MASK);
    }
    shim_pt_page *t = pt_alloc_page(a);
    if (t == NULL) {
        return NULL;
    }
    if ((*e & PT_P) != 0) {
        /* Split a large leaf: same addresses and flags in 512 smaller leaves. */
        const uint64_t size = level_size(level);
        const uint64_t base = *e & PT_ADDR_MASK & ~(size - 1u);
        const uint64_t child = level_size(level - 1);
        const uint64_t flags = *e & ~PT_ADDR_MASK & ~PT_PS;
        for (uint32_t i = 0; i < 512; i++) {
            (*t)[i] = (base + i * child) | flags | (level - 1 > 0 ? PT_PS : 0);
        }
    }
    *e = table_entry(t);
    return *t;
}

static tds_status map_one(uint64_t root, shim_pt_alloc *a, uint64_t va, uint64_t pa, uint64_t flags,
                          int leaf_level)
{
    uint64_t *t = (uint64_t *)(uintptr_t)(root & PT_ADDR_MASK);
    for (int level = 3; level > leaf_level; level--) {
        uint64_t *e = &t[(va >> (12u + 9u * (unsigned)level)) & 511u];
        t = descend(e, level, a);
        if (t == NULL) {
            return TDS_ERR_NO_SPACE;
        }
    }
    uint64_t *e = &t[(va >> (12u + 9u * (unsigned)leaf_level)) & 511u];
    *e = (flags & PT_P) != 0 ? (pa | flags | (leaf_level > 0 ? PT_PS : 0)) : 0;
    return TDS_OK;
}

static tds_status check_map_args(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
    if (len == 0 || (flags & (PT_ADDR_MASK | PT_PS)) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(va, SZ_4K) || !tds_is_aligned_u64(pa, SZ_4K) ||
        !tds_is_aligned_u64(len, SZ_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    if (va >= PT_VA_LIMIT || len > PT_VA_LIMIT - va || pa >= PA_LIMIT || len > PA_LIMIT - pa) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    return TDS_OK;
}

tds_status shim_pt_map(uint64_t root, shim_pt_alloc *alloc, uint64_t va, uint64_t pa, uint64_t len,
                       uint64_t flags, bool allow_1g)
{
    if (alloc == NULL || root == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(check_map_args(va, pa, len, flags));
    while (len > 0) {
        int level = 0;
        if (allow_1g && len >= SZ_1G && tds_is_aligned_u64(va | pa, SZ_1G)) {
            level = 2;
        } else if (len >= SZ_2M && tds_is_aligned_u64(va | pa, SZ_2M)) {
            level = 1;
        }
        TDS_TRY(map_one(root, alloc, va, pa, flags, level));
        const uint64_t step = level_size(level);
        va += step;
        pa += step;
        len -= step;
    }
    return TDS_OK;
}

tds_status shim_pt_set_pa_bits(uint64_t root, shim_pt_alloc *alloc, uint64_t va, uint64_t len,
                               uint64_t pa_bits)
{
    if (alloc == NULL || root == 0 || (pa_bits & ~PT_ADDR_MASK) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(check_map_args(va, va, len, 0));
    for (uint64_t off = 0; off < len; off += SZ_4K) {
        const uint64_t e = shim_pt_lookup(root, va + off);
        if ((e & PT_P) == 0) {
            return TDS_ERR_NOT_FOUND;
        }
        const uint64_t flags = e & ~PT_ADDR_MASK & ~PT_PS;
        TDS_TRY(map_one(root, alloc, va + off, (va + off) | pa_bits, flags, 0));
    }
    return TDS_OK;
}

/* ---- The firmware's live tables ---- */

static shim_pt_page shim_pt_extra[PT_EXTRA_PAGES] TDS_ALIGNED(4096);
static shim_pt_alloc shim_pt_extra_alloc = {shim_pt_extra, PT_EXTRA_PAGES, 0};

static bool cpu_has_1g_pages(void)
{
    uint32_t r[4];
    cpu_cpuid(0x80000000u, 0, r);
    if (r[0] < 0x80000001u) {
        return false;
    }
    cpu_cpuid(0x80000001u, 0, r);
    return (r[3] & (1u << 26)) != 0; /* Page1GB */
}

static void flush_tlb(void)
{
    cpu_write_cr3(cpu_read_cr3());
}

tds_status shim_paging_map_ram(uint64_t top)
{
    if (top > PT_RAM_LIMIT) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    if (top <= FOUR_GIB) {
        return TDS_OK;
    }
    const uint64_t end = (top + SZ_2M - 1u) & ~(SZ_2M - 1u);
    TDS_TRY(shim_pt_map(cpu_read_cr3(), &shim_pt_extra_alloc, FOUR_GIB, FOUR_GIB, end - FOUR_GIB,
                        PT_P | PT_RW | PT_NX, cpu_has_1g_pages()));
    flush_tlb();
    return TDS_OK;
}

tds_status shim_paging_map(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
    TDS_TRY(shim_pt_map(cpu_read_cr3(), &shim_pt_extra_alloc, va, pa, len, flags, false));
    flush_tlb();
    return TDS_OK;
}

tds_status shim_paging_map_large(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags)
{
    TDS_TRY(
        shim_pt_map(cpu_read_cr3(), &shim_pt_extra_alloc, va, pa, len, flags, cpu_has_1g_pages()));
    flush_tlb();
    return TDS_OK;
}

tds_status shim_paging_protect(uint64_t va, uint64_t len, uint64_t flags)
{
    TDS_TRY(shim_pt_map(cpu_read_cr3(), &shim_pt_extra_alloc, va, va, len, flags, false));
    flush_tlb();
    return TDS_OK;
}

tds_status shim_paging_set_shared(uint64_t va, uint64_t gpa, uint64_t len, uint64_t shared_mask,
                                  bool shared)
{
    if (va != gpa || shared_mask == 0 || (shared_mask & (shared_mask - 1u)) != 0 ||
        (shared_mask & ~PT_ADDR_MASK) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(shim_pt_set_pa_bits(cpu_read_cr3(), &shim_pt_extra_alloc, va, len,
                                shared ? shared_mask : 0));
    flush_tlb();
    return TDS_OK;
}

uint32_t shim_paging_extra_used(void)
{
    return shim_pt_extra_alloc.used;
}
