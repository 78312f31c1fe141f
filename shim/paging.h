/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's runtime page tables (4-level, identity): 0-4 GiB in 2 MiB pages with default
 * attributes, except a window of 1 to PT_WINDOW_MAX consecutive 2 MiB blocks mapped with 4 KiB
 * pages whose attributes come from a list of regions (the shim's code read-only and executable,
 * everything else NX, the stack guard not present). Pure code over a caller-owned pool of pages:
 * built and checked on the host too. Tables are referenced by their address, so the pool MUST be
 * identity-mapped when they are used.
 */
#ifndef TDSHIM_SHIM_PAGING_H
#define TDSHIM_SHIM_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/base.h"

#define PT_P 0x1ull
#define PT_RW 0x2ull
#define PT_PS 0x80ull
#define PT_NX 0x8000000000000000ull
#define PT_ADDR_MASK 0x000FFFFFFFFFF000ull
#define PT_WINDOW_MAX 2u /* 2 MiB blocks of the 4 KiB-mapped window: [0, 4 MiB) in the shim */
#define PT_PAGES_NEEDED (6u + PT_WINDOW_MAX) /* PML4, PDPT, 4 PDs, one PT per window block */
#define PT_MAX_REGIONS 16u

typedef uint64_t shim_pt_page[512];

/* A 4 KiB-granular range inside the split window and its leaf flags (0 = not present). */
typedef struct shim_pt_region {
    uint64_t start;
    uint64_t end; /* exclusive */
    uint64_t flags;
} shim_pt_region;

typedef struct shim_pt_layout {
    uint64_t default_flags; /* leaf flags for every 2 MiB page (PT_PS is added) */
    uint64_t rom_base;      /* 2 MiB page(s) from here to 4 GiB get rom_flags */
    uint64_t rom_flags;
    uint64_t window;       /* 2 MiB-aligned base of the 4 KiB-mapped window */
    uint32_t window_count; /* its 2 MiB blocks: 1 .. PT_WINDOW_MAX */
    uint64_t window_default_flags;
    shim_pt_region region[PT_MAX_REGIONS];
    uint32_t region_count;
} shim_pt_layout;

/*
 * Build the tables into pool[0 .. PT_PAGES_NEEDED) and return the PML4 address in *root.
 * Checks: enough pool pages, pool pages 4 KiB aligned, window and rom_base 2 MiB aligned, the
 * window's 1 .. PT_WINDOW_MAX blocks below 4 GiB, regions 4 KiB aligned, non-empty, inside the
 * window, ascending and not overlapping.
 */
TDS_MUST_USE tds_status shim_pt_build(shim_pt_page *pool, uint32_t pool_pages,
                                      const shim_pt_layout *layout, uint64_t *root);

/* Walk tables rooted at `root` (identity) and return the leaf entry for `va`, or 0. */
uint64_t shim_pt_lookup(uint64_t root, uint64_t va);

/*
 * ---- Mapping after the build (RAM above 4 GiB, AP stack guards, shared-bit aliases) ----
 *
 * Page-table pages for shim_pt_map come from a caller-owned bump allocator; a table replaced by
 * a larger leaf is not returned (the pool only grows). The firmware's pool has PT_EXTRA_PAGES.
 */
typedef struct shim_pt_alloc {
    shim_pt_page *pages; /* 4 KiB aligned, identity-mapped while the tables are in use */
    uint32_t cap;
    uint32_t used;
} shim_pt_alloc;

/*
 * Extra pool of the firmware's runtime tables. Worst cases it is sized for: RAM above 4 GiB up to
 * PT_RAM_LIMIT in 1 GiB pages = 1 PDPT (512 GiB - 1 TiB) + 1 PD (a top that is not 1 GiB
 * aligned); the AP stack area = 1 PT; each 2 MiB block holding a shared-bit page = 1 PT (+1 PD
 * above 4 GiB). Without 1 GiB pages (CPUID 0x80000001 EDX bit 26) RAM above 4 GiB takes one PD
 * per GiB, so only a few GiB fit: the map then fails with TDS_ERR_NO_SPACE.
 */
#define PT_EXTRA_PAGES 16u
#define PT_RAM_LIMIT (1ull << 40) /* highest RAM top the shim maps: 1 TiB */
#define PT_VA_LIMIT (1ull << 47)  /* lower canonical half: identity VAs must stay below */

/*
 * Map [va, va+len) to [pa, pa+len) with leaf `flags` (PT_P, PT_RW, PT_NX; 0 = not present) in
 * the tables rooted at `root`, with the largest pages that va, pa and the length allow (1 GiB
 * only if allow_1g, then 2 MiB, then 4 KiB). A larger existing leaf in the way is split into a
 * new table that keeps its addresses and flags; missing tables are allocated zeroed. Errors:
 * TDS_ERR_INVALID_ARG (NULL, len 0, flags with address or PS bits), TDS_ERR_ALIGNMENT (va, pa,
 * len not 4 KiB multiples), TDS_ERR_OUT_OF_BOUNDS (va range beyond PT_VA_LIMIT or pa range
 * beyond 2^52), TDS_ERR_NO_SPACE (pool exhausted: the tables may hold part of the range).
 * The caller flushes the TLB.
 */
TDS_MUST_USE tds_status shim_pt_map(uint64_t root, shim_pt_alloc *alloc, uint64_t va, uint64_t pa,
                                    uint64_t len, uint64_t flags, bool allow_1g);

/*
 * Point every 4 KiB page of [va, va+len) (identity-mapped now) at pa_bits | its identity
 * address (e.g. the shared bit), keeping each page's flags; pa_bits 0 restores the identity.
 * Splits larger leaves as shim_pt_map does. TDS_ERR_NOT_FOUND if a page is not mapped.
 */
TDS_MUST_USE tds_status shim_pt_set_pa_bits(uint64_t root, shim_pt_alloc *alloc, uint64_t va,
                                            uint64_t len, uint64_t pa_bits);

/* ---- The firmware's live tables (CR3; pool of PT_EXTRA_PAGES pages in .bss) ---- */

/*
 * Identity-map RAM from 4 GiB up to `top` (rounded up to 2 MiB) RW+NX on the live tables, in
 * 1 GiB pages where the CPU has them. TDS_ERR_OUT_OF_BOUNDS above PT_RAM_LIMIT; nothing to do
 * for top <= 4 GiB. The new entries only fill empty slots, so other vCPUs need no flush.
 */
TDS_MUST_USE tds_status shim_paging_map_ram(uint64_t top);

/* Map [va, va+len) to [pa, ...) on the live tables with 4 KiB or 2 MiB leaves, then flush. */
TDS_MUST_USE tds_status shim_paging_map(uint64_t va, uint64_t pa, uint64_t len, uint64_t flags);

/* The same with 1 GiB leaves too where the CPU has them (large RAM ranges: fewer table pages). */
TDS_MUST_USE tds_status shim_paging_map_large(uint64_t va, uint64_t pa, uint64_t len,
                                              uint64_t flags);

/* Change the leaf flags of [va, va+len) on the live tables (4 KiB pages), then flush. */
TDS_MUST_USE tds_status shim_paging_protect(uint64_t va, uint64_t len, uint64_t flags);

/*
 * The shared-bit op of libvirtio-shared (vshared_ops.set_shared / clear_shared): the pages of
 * [va, va+len) keep their identity VA but their PTEs point at gpa | shared_mask (shared) or gpa
 * (private), then the TLB of this vCPU is flushed. Requires va == gpa (identity). Other vCPUs
 * must not have the range in their TLBs (no shootdown).
 */
TDS_MUST_USE tds_status shim_paging_set_shared(uint64_t va, uint64_t gpa, uint64_t len,
                                               uint64_t shared_mask, bool shared);

/* Extra pool pages used so far (for the log). */
uint32_t shim_paging_extra_used(void);

#endif
