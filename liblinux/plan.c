/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Placement (boot.rst "init_size", "pref_address", "initrd_addr_max", xloadflags
 * XLF_CAN_BE_LOADED_ABOVE_4G; bootparam.h). The usable memory is the runs of adjacent RAM
 * entries of the checked map; the obstacles are the ranges already placed. The highest (or
 * lowest) fit inside a run ends (starts) at the run's edge, at a ceiling (floor), or next to an
 * obstacle, so those are the only candidates tried: O(entries * objects).
 */
#include "linux_int.h"

enum { OBJ_KERNEL, OBJ_INITRD, OBJ_BOOT_PARAMS, OBJ_CMDLINE, OBJ_SETUP_DATA, OBJ_COUNT };

typedef struct placed {
    lnx_range r[OBJ_COUNT];
    bool used[OBJ_COUNT];
} placed;

typedef struct fit_args {
    const lnx_e820_entry *map;
    size_t count;
    const placed *obst;
    uint64_t size;  /* > 0 */
    uint64_t align; /* power of two */
    uint64_t floor; /* lowest first byte */
    uint64_t ceil;  /* highest last byte */
} fit_args;

static bool hits(const placed *p, lnx_range r)
{
    for (size_t i = 0; i < OBJ_COUNT; i++) {
        if (p->used[i] && tds_ranges_overlap(p->r[i].addr, p->r[i].size, r.addr, r.size)) {
            return true;
        }
    }
    return false;
}

static void put(placed *p, size_t obj, lnx_range r)
{
    p->r[obj] = r;
    p->used[obj] = true;
}

/* The run of adjacent RAM entries starting at or after index *i, clipped to [floor, ceil]. */
static bool next_run(const fit_args *a, size_t *i, uint64_t *lo, uint64_t *hi)
{
    while (*i < a->count) {
        const lnx_e820_entry *e = &a->map[*i];
        (*i)++;
        if (e->type != LNX_E820_RAM) {
            continue;
        }
        uint64_t first = e->addr;
        uint64_t last = e->addr + (e->size - 1);
        while (*i < a->count && a->map[*i].type == LNX_E820_RAM && last != UINT64_MAX &&
               a->map[*i].addr == last + 1) {
            last = a->map[*i].addr + (a->map[*i].size - 1);
            (*i)++;
        }
        first = first > a->floor ? first : a->floor;
        last = last < a->ceil ? last : a->ceil;
        if (first <= last && last - first >= a->size - 1) {
            *lo = first;
            *hi = last;
            return true;
        }
    }
    return false;
}

/* A candidate whose last byte is at or below `end`, inside [lo, hi], aligned down. */
static void try_high(const fit_args *a, uint64_t lo, uint64_t end, bool *found, uint64_t *best)
{
    if (end < lo || end - lo < a->size - 1) {
        return;
    }
    uint64_t start = (end - (a->size - 1)) & ~(a->align - 1);
    lnx_range r = {start, a->size};
    if (start < lo || hits(a->obst, r)) {
        return;
    }
    if (!*found || start > *best) {
        *found = true;
        *best = start;
    }
}

static bool fit_highest(const fit_args *a, uint64_t *out)
{
    bool found = false;
    uint64_t best = 0, lo, hi;
    size_t i = 0;
    while (next_run(a, &i, &lo, &hi)) {
        try_high(a, lo, hi, &found, &best);
        for (size_t k = 0; k < OBJ_COUNT; k++) {
            const lnx_range *o = &a->obst->r[k];
            if (a->obst->used[k] && o->addr > lo && o->addr - 1 <= hi) {
                try_high(a, lo, o->addr - 1, &found, &best);
            }
        }
    }
    if (found) {
        *out = best;
    }
    return found;
}

/* A candidate starting at `start` rounded up, inside [lo, hi]. */
static void try_low(const fit_args *a, uint64_t lo, uint64_t hi, uint64_t start, bool *found,
                    uint64_t *best)
{
    uint64_t s;
    if (tds_align_up_u64(start, a->align, &s) != TDS_OK || s < lo || s > hi ||
        hi - s < a->size - 1) {
        return;
    }
    lnx_range r = {s, a->size};
    if (hits(a->obst, r)) {
        return;
    }
    if (!*found || s < *best) {
        *found = true;
        *best = s;
    }
}

static bool fit_lowest(const fit_args *a, uint64_t *out)
{
    bool found = false;
    uint64_t best = 0, lo, hi;
    size_t i = 0;
    while (next_run(a, &i, &lo, &hi)) {
        try_low(a, lo, hi, lo, &found, &best);
        for (size_t k = 0; k < OBJ_COUNT; k++) {
            if (!a->obst->used[k]) {
                continue;
            }
            uint64_t olast = lnx_range_last(a->obst->r[k]);
            if (olast >= lo && olast < hi) {
                try_low(a, lo, hi, olast + 1, &found, &best);
            }
        }
    }
    if (found) {
        *out = best;
    }
    return found;
}

static bool above_4g_ok(const lnx_header *h)
{
    return (h->xloadflags & LNX_XLF_CAN_BE_LOADED_ABOVE_4G) != 0;
}

/* Highest last byte an object other than the initrd may use (kernel, boot_params, ...). */
static uint64_t reach_last(const lnx_header *h)
{
    return above_4g_ok(h) ? UINT64_MAX : LNX_4G - 1;
}

static tds_status check_fixed(const lnx_header *h, const lnx_plan_request *req, placed *p,
                              size_t obj, uint64_t addr, uint64_t size, uint64_t align,
                              lnx_error *err)
{
    uint64_t last;
    if (!tds_is_aligned_u64(addr, align)) {
        return lnx_fail(err, LNX_R_MISALIGNED, addr);
    }
    if (tds_range_last(addr, size, &last) != TDS_OK) {
        return lnx_fail(err, LNX_R_RANGE_WRAPS, addr);
    }
    if (last > req->mapped_last || last > reach_last(h)) {
        return lnx_fail(err, LNX_R_OUT_OF_REACH, addr);
    }
    lnx_range r = {addr, size};
    if (hits(p, r)) {
        return lnx_fail(err, LNX_R_OVERLAP, addr);
    }
    put(p, obj, r);
    return TDS_OK;
}

static tds_status place_kernel(const lnx_header *h, const lnx_plan_request *req, placed *p,
                               uint64_t *addr, lnx_error *err)
{
    uint64_t ceil = reach_last(h) < req->mapped_last ? reach_last(h) : req->mapped_last;
    if (!h->relocatable) {
        /* boot.rst: a non-relocatable kernel runs at pref_address, wherever it is loaded. */
        lnx_range r = {h->pref_address, h->init_size}; /* no wrap: lnx_header_sane */
        if (r.addr < LNX_LOW_MEMORY_END || lnx_range_last(r) > ceil ||
            !lnx_map_is_ram(req->map, req->map_count, r) || hits(p, r)) {
            return lnx_fail(err, LNX_R_NO_ROOM_KERNEL, h->init_size);
        }
        *addr = r.addr;
        put(p, OBJ_KERNEL, r);
        return TDS_OK;
    }
    /* Relocatable: runtime_start = align_up(max(load, pref_address), kernel_alignment); loading
     * at an aligned address >= pref_address makes the load address the runtime start. */
    fit_args a = {req->map,
                  req->map_count,
                  p,
                  h->init_size,
                  h->kernel_alignment,
                  h->pref_address > LNX_LOW_MEMORY_END ? h->pref_address : LNX_LOW_MEMORY_END,
                  ceil};
    uint64_t at;
    if (!fit_lowest(&a, &at)) {
        return lnx_fail(err, LNX_R_NO_ROOM_KERNEL, h->init_size);
    }
    *addr = at;
    lnx_range r = {at, h->init_size};
    put(p, OBJ_KERNEL, r);
    return TDS_OK;
}

static tds_status place_initrd(const lnx_header *h, const lnx_plan_request *req, placed *p,
                               uint64_t *addr, lnx_error *err)
{
    uint64_t limit = h->initrd_addr_max < req->mapped_last ? h->initrd_addr_max : req->mapped_last;
    fit_args a = {req->map,      req->map_count,     p,    req->initrd_size,
                  LNX_PAGE_SIZE, LNX_LOW_MEMORY_END, limit};
    uint64_t at;
    if (!fit_highest(&a, &at)) {
        /* Beyond initrd_addr_max only with XLF_CAN_BE_LOADED_ABOVE_4G (ext_ramdisk_*). */
        a.ceil = req->mapped_last;
        if (!fit_highest(&a, &at)) {
            return lnx_fail(err, LNX_R_NO_ROOM_INITRD, req->initrd_size);
        }
        if (!above_4g_ok(h)) {
            return lnx_fail(err, LNX_R_INITRD_ABOVE_LIMIT, at);
        }
    }
    *addr = at;
    lnx_range r = {at, req->initrd_size};
    put(p, OBJ_INITRD, r);
    return TDS_OK;
}

/* boot_params, command line, setup_data node: below 4 GiB first, above only with the flag. */
static tds_status place_small(const lnx_header *h, const lnx_plan_request *req, placed *p,
                              size_t obj, uint64_t size, lnx_reason no_room, uint64_t *addr,
                              lnx_error *err)
{
    uint64_t below = LNX_4G - 1 < req->mapped_last ? LNX_4G - 1 : req->mapped_last;
    fit_args a = {req->map, req->map_count, p, size, LNX_PAGE_SIZE, LNX_LOW_MEMORY_END, below};
    uint64_t at;
    bool found = fit_highest(&a, &at);
    if (!found && above_4g_ok(h)) {
        a.ceil = req->mapped_last;
        found = fit_highest(&a, &at);
    }
    if (!found) {
        return lnx_fail(err, no_room, size);
    }
    *addr = at;
    lnx_range r = {at, size};
    put(p, obj, r);
    return TDS_OK;
}

static tds_status plan(const lnx_header *h, const lnx_plan_request *req, lnx_plan *o,
                       lnx_error *err)
{
    TDS_TRY(lnx_map_check(req->map, req->map_count, err));
    if (req->cmdline_size - 1 > h->cmdline_size) {
        return lnx_fail(err, LNX_R_CMDLINE_TOO_LONG, h->cmdline_size);
    }
    placed p;
    memset(&p, 0, sizeof p);
    o->kernel_size = h->kernel_size;
    o->init_size = h->init_size;
    o->cmdline_size = req->cmdline_size;
    o->initrd_size = req->initrd_size;
    o->e820_count = (uint32_t)req->map_count; /* <= LNX_E820_MAX_ENTRIES */
    o->setup_data_size = lnx_ext_node_size(req->map_count);

    /* The caller's fixed choices first: they are obstacles for everything planned. */
    if (req->boot_params_addr != 0) {
        TDS_TRY(check_fixed(h, req, &p, OBJ_BOOT_PARAMS, req->boot_params_addr,
                            LNX_BOOT_PARAMS_SIZE, LNX_PAGE_SIZE, err));
        o->boot_params_addr = req->boot_params_addr;
    }
    if (req->cmdline_addr != 0) {
        TDS_TRY(check_fixed(h, req, &p, OBJ_CMDLINE, req->cmdline_addr, req->cmdline_size, 1, err));
        o->cmdline_addr = req->cmdline_addr;
    }
    if (o->setup_data_size != 0 && req->setup_data_addr != 0) {
        TDS_TRY(check_fixed(h, req, &p, OBJ_SETUP_DATA, req->setup_data_addr, o->setup_data_size, 8,
                            err));
        o->setup_data_addr = req->setup_data_addr;
    }

    TDS_TRY(place_kernel(h, req, &p, &o->kernel_addr, err));
    if (req->initrd_size != 0) {
        TDS_TRY(place_initrd(h, req, &p, &o->initrd_addr, err));
    }
    if (o->boot_params_addr == 0) {
        TDS_TRY(place_small(h, req, &p, OBJ_BOOT_PARAMS, LNX_BOOT_PARAMS_SIZE,
                            LNX_R_NO_ROOM_BOOT_PARAMS, &o->boot_params_addr, err));
    }
    if (o->cmdline_addr == 0) {
        TDS_TRY(place_small(h, req, &p, OBJ_CMDLINE, req->cmdline_size, LNX_R_NO_ROOM_CMDLINE,
                            &o->cmdline_addr, err));
    }
    if (o->setup_data_size != 0 && o->setup_data_addr == 0) {
        TDS_TRY(place_small(h, req, &p, OBJ_SETUP_DATA, o->setup_data_size,
                            LNX_R_NO_ROOM_SETUP_DATA, &o->setup_data_addr, err));
    }
    /* The same check the builder makes. */
    return lnx_plan_check(h, req->map, req->map_count, o, err);
}

tds_status lnx_plan_placement(const lnx_header *h, const lnx_plan_request *req, lnx_plan *out,
                              lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (h == NULL || req == NULL || out == NULL || !lnx_header_sane(h) || req->cmdline_size == 0) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    lnx_plan o;
    memset(&o, 0, sizeof o);
    TDS_TRY(plan(h, req, &o, err));
    *out = o;
    return lnx_ok(err);
}

/* ---- the plan check (planner and builder) ------------------------------------------------ */

static tds_status check_range(const lnx_header *h, lnx_range r, uint64_t align, lnx_error *err)
{
    uint64_t last;
    if (!tds_is_aligned_u64(r.addr, align)) {
        return lnx_fail(err, LNX_R_MISALIGNED, r.addr);
    }
    if (tds_range_last(r.addr, r.size, &last) != TDS_OK) {
        return lnx_fail(err, LNX_R_RANGE_WRAPS, r.addr);
    }
    if (last > reach_last(h)) {
        return lnx_fail(err, LNX_R_OUT_OF_REACH, r.addr);
    }
    return TDS_OK;
}

static tds_status check_kernel(const lnx_header *h, const lnx_e820_entry *map, size_t count,
                               const lnx_plan *p, lnx_error *err)
{
    lnx_range k = {p->kernel_addr, p->init_size};
    if (p->kernel_size != h->kernel_size || p->init_size != h->init_size) {
        return lnx_fail(err, LNX_R_PLAN, p->kernel_addr);
    }
    bool at_runtime_start = h->relocatable
                                ? (p->kernel_addr >= h->pref_address &&
                                   tds_is_aligned_u64(p->kernel_addr, h->kernel_alignment))
                                : p->kernel_addr == h->pref_address;
    if (!at_runtime_start) {
        return lnx_fail(err, LNX_R_PLAN, p->kernel_addr);
    }
    TDS_TRY(check_range(h, k, 1, err));
    if (!lnx_map_is_ram(map, count, k)) {
        return lnx_fail(err, LNX_R_PLAN, p->kernel_addr);
    }
    return TDS_OK;
}

static tds_status check_initrd(const lnx_header *h, const lnx_e820_entry *map, size_t count,
                               const lnx_plan *p, lnx_error *err)
{
    if (p->initrd_size == 0) {
        return p->initrd_addr == 0 ? TDS_OK : lnx_fail(err, LNX_R_PLAN, p->initrd_addr);
    }
    lnx_range r = {p->initrd_addr, p->initrd_size};
    uint64_t last;
    if (tds_range_last(r.addr, r.size, &last) != TDS_OK) {
        return lnx_fail(err, LNX_R_RANGE_WRAPS, r.addr);
    }
    if (last > h->initrd_addr_max && !above_4g_ok(h)) {
        return lnx_fail(err, LNX_R_INITRD_ABOVE_LIMIT, r.addr);
    }
    if (!lnx_map_is_ram(map, count, r)) {
        return lnx_fail(err, LNX_R_PLAN, r.addr);
    }
    return TDS_OK;
}

tds_status lnx_plan_check(const lnx_header *h, const lnx_e820_entry *map, size_t count,
                          const lnx_plan *p, lnx_error *err)
{
    if (p->e820_count != count || p->setup_data_size != lnx_ext_node_size(count)) {
        return lnx_fail(err, LNX_R_PLAN, 0);
    }
    TDS_TRY(check_kernel(h, map, count, p, err));
    TDS_TRY(check_initrd(h, map, count, p, err));
    if (p->boot_params_addr == 0 || p->cmdline_addr == 0 || p->cmdline_size == 0) {
        return lnx_fail(err, LNX_R_PLAN, 0);
    }
    if (p->cmdline_size - 1 > h->cmdline_size) {
        return lnx_fail(err, LNX_R_CMDLINE_TOO_LONG, h->cmdline_size);
    }
    lnx_range bp = {p->boot_params_addr, LNX_BOOT_PARAMS_SIZE};
    lnx_range cl = {p->cmdline_addr, p->cmdline_size};
    TDS_TRY(check_range(h, bp, LNX_PAGE_SIZE, err));
    TDS_TRY(check_range(h, cl, 1, err));
    if (p->setup_data_size != 0) {
        lnx_range sd = {p->setup_data_addr, p->setup_data_size};
        if (p->setup_data_addr == 0) {
            return lnx_fail(err, LNX_R_PLAN, 0);
        }
        TDS_TRY(check_range(h, sd, 8, err));
    } else if (p->setup_data_addr != 0) {
        return lnx_fail(err, LNX_R_PLAN, p->setup_data_addr);
    }
    /* No two placed ranges overlap (each was checked not to wrap above). */
    lnx_range all[OBJ_COUNT] = {{p->kernel_addr, p->init_size},
                                {p->initrd_addr, p->initrd_size},
                                bp,
                                cl,
                                {p->setup_data_addr, p->setup_data_size}};
    for (size_t i = 0; i < OBJ_COUNT; i++) {
        for (size_t j = i + 1; j < OBJ_COUNT; j++) {
            if (tds_ranges_overlap(all[i].addr, all[i].size, all[j].addr, all[j].size)) {
                return lnx_fail(err, LNX_R_OVERLAP, all[j].addr);
            }
        }
    }
    return TDS_OK;
}
