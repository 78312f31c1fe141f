/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Memory-map and E820 views of a checked HOB. tdhob_validate left the resource ranges sorted in
 * the caller's scratch (memory space first, by start; ranges of one space never overlap), so
 * every function here is one O(n) pass over ranges[0 .. mem_count): the same ranges, in the same
 * address order, as selecting the lowest remaining start each time (the O(n^2) method this
 * replaces).
 */
#include "tdhob_internal.h"

const char *tdhob_mem_kind_str(tdhob_mem_kind kind)
{
    switch (kind) {
    case TDHOB_MEM_ACCEPTED: return "accepted";
    case TDHOB_MEM_UNACCEPTED: return "unaccepted";
    case TDHOB_MEM_RESERVED: return "reserved";
    case TDHOB_MEM_MMIO: return "mmio";
    }
    return "invalid";
}

bool tdhob_classify(tdhob_convention conv, uint32_t resource_type, tdhob_mem_kind *kind)
{
    tdhob_mem_kind k;
    switch (resource_type) {
    case TDHOB_RES_SYSTEM_MEMORY:
        k = conv == TDHOB_CONV_LEGACY ? TDHOB_MEM_UNACCEPTED : TDHOB_MEM_ACCEPTED;
        break;
    case TDHOB_RES_MEMORY_UNACCEPTED: k = TDHOB_MEM_UNACCEPTED; break;
    case TDHOB_RES_MEMORY_RESERVED:
        /* Legacy VMMs reported the pages they already added as reserved (td-shim memory.rs). */
        k = conv == TDHOB_CONV_LEGACY ? TDHOB_MEM_ACCEPTED : TDHOB_MEM_RESERVED;
        break;
    case TDHOB_RES_FIRMWARE_DEVICE: k = TDHOB_MEM_RESERVED; break;
    case TDHOB_RES_MEMORY_MAPPED_IO:
    case TDHOB_RES_MEMORY_MAPPED_IO_PORT: k = TDHOB_MEM_MMIO; break;
    default: return false;
    }
    if (kind != NULL) {
        *kind = k;
    }
    return true;
}

/*
 * The i-th memory-space range of the view, in address order. The scratch belongs to the caller:
 * fail closed (TDS_ERR_STATE) on an entry that is empty or not above the previous one, which a
 * validated view never has.
 */
static tds_status range_at(const tdhob_view *v, size_t i, uint64_t prev_end, tdhob_mem_range *out,
                           uint64_t *end, bool *mem)
{
    const tdhob_scratch_entry *e = &v->ranges[i];
    TDHOB_COUNT_COMPARISON();
    if (e->start >= e->end || (i > 0 && e->start < prev_end)) {
        return TDS_ERR_STATE;
    }
    out->base = e->start;
    out->length = e->end - e->start;
    *end = e->end;
    *mem = tdhob_classify(v->convention, tdhob_tag_type(e->tag), &out->kind);
    return TDS_OK;
}

typedef uint32_t (*key_fn)(tdhob_mem_kind k, uint32_t arg); /* 0 = skip */

static uint32_t key_kind(tdhob_mem_kind k, uint32_t arg)
{
    (void)arg;
    return (uint32_t)k;
}

static uint32_t key_e820(tdhob_mem_kind k, uint32_t unaccepted_type)
{
    switch (k) {
    case TDHOB_MEM_ACCEPTED: return TDHOB_E820_RAM;
    case TDHOB_MEM_UNACCEPTED: return unaccepted_type;
    case TDHOB_MEM_RESERVED: return TDHOB_E820_RESERVED;
    case TDHOB_MEM_MMIO: break;
    }
    return 0;
}

/*
 * Sorted, merged walk. With out == NULL only counts. Ranges whose key is 0 are skipped; a skipped
 * range also breaks adjacency. Writes out[i] only for i < cap.
 */
static tds_status merged_walk(const tdhob_view *v, key_fn key, uint32_t arg,
                              void (*emit)(void *out, size_t i, uint64_t base, uint64_t len,
                                           uint32_t key),
                              void *out, size_t cap, size_t *count)
{
    size_t n = 0;
    bool have = false;
    uint64_t cur_base = 0;
    uint64_t cur_end = 0;
    uint32_t cur_key = 0;
    uint64_t prev_end = 0;
    for (size_t i = 0; i < v->mem_count; i++) {
        tdhob_mem_range r;
        uint64_t end;
        bool mem;
        TDS_TRY(range_at(v, i, prev_end, &r, &end, &mem));
        prev_end = end;
        if (!mem) {
            return TDS_ERR_STATE; /* an I/O range among the memory ones: not a validated view */
        }
        uint32_t k = key(r.kind, arg);
        if (have && k != 0 && k == cur_key && cur_end == r.base) {
            cur_end = end;
            continue;
        }
        if (have) {
            if (out != NULL && n < cap) {
                emit(out, n, cur_base, cur_end - cur_base, cur_key);
            }
            n++;
        }
        have = k != 0;
        cur_base = r.base;
        cur_end = end;
        cur_key = k;
    }
    if (have) {
        if (out != NULL && n < cap) {
            emit(out, n, cur_base, cur_end - cur_base, cur_key);
        }
        n++;
    }
    *count = n;
    return TDS_OK;
}

static void emit_range(void *out, size_t i, uint64_t base, uint64_t len, uint32_t key)
{
    tdhob_mem_range *a = out;
    a[i].base = base;
    a[i].length = len;
    a[i].kind = (tdhob_mem_kind)key;
}

static void emit_e820(void *out, size_t i, uint64_t base, uint64_t len, uint32_t key)
{
    tdhob_e820_entry *a = out;
    a[i].addr = base;
    a[i].size = len;
    a[i].type = key;
}

tds_status tdhob_memory_map_count(const tdhob_view *v, size_t *count)
{
    if (!tdhob_view_ok(v) || count == NULL) {
        return TDS_ERR_STATE;
    }
    return merged_walk(v, key_kind, 0, emit_range, NULL, 0, count);
}

tds_status tdhob_memory_map(const tdhob_view *v, tdhob_mem_range *out, size_t cap, size_t *count)
{
    size_t n;
    if (!tdhob_view_ok(v) || count == NULL || (out == NULL && cap != 0)) {
        return TDS_ERR_STATE;
    }
    TDS_TRY(merged_walk(v, key_kind, 0, emit_range, NULL, 0, &n));
    if (n > cap) {
        return TDS_ERR_NO_SPACE;
    }
    TDS_TRY(merged_walk(v, key_kind, 0, emit_range, out, cap, &n));
    *count = n;
    return TDS_OK;
}

tds_status tdhob_e820(const tdhob_view *v, uint32_t unaccepted_type, tdhob_e820_entry *out,
                      size_t cap, size_t *count)
{
    size_t n;
    if (!tdhob_view_ok(v) || count == NULL || (out == NULL && cap != 0)) {
        return TDS_ERR_STATE;
    }
    if (unaccepted_type == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(merged_walk(v, key_e820, unaccepted_type, emit_e820, NULL, 0, &n));
    if (n > cap) {
        return TDS_ERR_NO_SPACE;
    }
    TDS_TRY(merged_walk(v, key_e820, unaccepted_type, emit_e820, out, cap, &n));
    *count = n;
    return TDS_OK;
}

tds_status tdhob_ram_summary_get(const tdhob_view *v, tdhob_ram_summary *out)
{
    if (!tdhob_view_ok(v) || out == NULL) {
        return TDS_ERR_STATE;
    }
    tdhob_ram_summary s;
    memset(&s, 0, sizeof s);
    uint64_t prev_end = 0;
    for (size_t i = 0; i < v->mem_count; i++) {
        tdhob_mem_range r;
        uint64_t end;
        bool mem;
        TDS_TRY(range_at(v, i, prev_end, &r, &end, &mem));
        prev_end = end;
        if (!mem) {
            return TDS_ERR_STATE;
        }
        if (r.kind != TDHOB_MEM_ACCEPTED && r.kind != TDHOB_MEM_UNACCEPTED) {
            continue;
        }
        uint64_t *acc = r.kind == TDHOB_MEM_ACCEPTED ? &s.accepted_bytes : &s.unaccepted_bytes;
        TDS_TRY(tds_add_u64(*acc, r.length, acc));
        if (end > s.ram_top) {
            s.ram_top = end;
        }
        const uint64_t four_g = 1ull << 32;
        uint64_t low_end = end < four_g ? end : four_g;
        if (r.base < four_g && low_end > s.ram_top_below_4g) {
            s.ram_top_below_4g = low_end;
        }
    }
    *out = s;
    return TDS_OK;
}
