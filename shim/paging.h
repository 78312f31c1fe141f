/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's runtime page tables (4-level, identity): 0-4 GiB in 2 MiB pages with default
 * attributes, except one 2 MiB window mapped with 4 KiB pages whose attributes come from a list
 * of regions (the shim's code read-only and executable, everything else NX, the stack guard not
 * present). Pure code over a caller-owned pool of pages: built and checked on the host too.
 * Tables are referenced by their address, so the pool MUST be identity-mapped when they are used.
 */
#ifndef TDSHIM_SHIM_PAGING_H
#define TDSHIM_SHIM_PAGING_H

#include <stdint.h>

#include "tdshim/base.h"

#define PT_P 0x1ull
#define PT_RW 0x2ull
#define PT_PS 0x80ull
#define PT_NX 0x8000000000000000ull
#define PT_ADDR_MASK 0x000FFFFFFFFFF000ull
#define PT_PAGES_NEEDED 7u /* PML4, PDPT, 4 PDs, 1 PT */
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
    uint64_t window; /* 2 MiB-aligned base of the 4 KiB-mapped window */
    uint64_t window_default_flags;
    shim_pt_region region[PT_MAX_REGIONS];
    uint32_t region_count;
} shim_pt_layout;

/*
 * Build the tables into pool[0 .. PT_PAGES_NEEDED) and return the PML4 address in *root.
 * Checks: enough pool pages, pool pages 4 KiB aligned, window and rom_base 2 MiB aligned and below
 * 4 GiB, regions 4 KiB aligned, non-empty, inside the window, ascending and not overlapping.
 */
TDS_MUST_USE tds_status shim_pt_build(shim_pt_page *pool, uint32_t pool_pages,
                                      const shim_pt_layout *layout, uint64_t *root);

/* Walk tables rooted at `root` (identity) and return the leaf entry for `va`, or 0. */
uint64_t shim_pt_lookup(uint64_t root, uint64_t va);

#endif
