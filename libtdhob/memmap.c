/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Memory-map and E820 views of a checked HOB. No scratch storage: ranges are produced in address
 * order by repeatedly selecting the lowest start above the previous one (memory-space resources
 * never overlap after validation, so starts are unique). O(n^2) in the number of resources, with
 * n bounded by the HOB size / 48.
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

/* The memory-space resource with the lowest start strictly above `after` (or >= 0 when first). */
static tds_status next_range(const tdhob_view *v, bool first, uint64_t after, tdhob_mem_range *out,
                             bool *found)
{
    size_t off = 0;
    *found = false;
    while (off < v->hob.len) {
        tdhob_item it;
        TDS_TRY(tdhob_decode_at(v->hob, off, &it));
        off += it.length;
        tdhob_mem_kind k;
        if (it.type != TDHOB_TYPE_RESOURCE_DESCRIPTOR ||
            !tdhob_classify(v->convention, it.u.resource.type, &k)) {
            continue;
        }
        const uint64_t s = it.u.resource.start;
        if (!first && s <= after) {
            continue;
        }
        if (!*found || s < out->base) {
            out->base = s;
            out->length = it.u.resource.length;
            out->kind = k;
            *found = true;
        }
    }
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
    bool first = true;
    uint64_t after = 0;
    bool have = false;
    uint64_t cur_base = 0;
    uint64_t cur_end = 0;
    uint32_t cur_key = 0;
    for (;;) {
        tdhob_mem_range r;
        bool found;
        TDS_TRY(next_range(v, first, after, &r, &found));
        if (!found) {
            break;
        }
        first = false;
        after = r.base;
        uint32_t k = key(r.kind, arg);
        uint64_t end;
        TDS_TRY(tds_range_end(r.base, r.length, &end)); /* validated: cannot wrap */
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
    size_t off = 0;
    while (off < v->hob.len) {
        tdhob_item it;
        TDS_TRY(tdhob_decode_at(v->hob, off, &it));
        off += it.length;
        tdhob_mem_kind k;
        if (it.type != TDHOB_TYPE_RESOURCE_DESCRIPTOR ||
            !tdhob_classify(v->convention, it.u.resource.type, &k) ||
            (k != TDHOB_MEM_ACCEPTED && k != TDHOB_MEM_UNACCEPTED)) {
            continue;
        }
        uint64_t end;
        TDS_TRY(tds_range_end(it.u.resource.start, it.u.resource.length, &end));
        uint64_t *acc = k == TDHOB_MEM_ACCEPTED ? &s.accepted_bytes : &s.unaccepted_bytes;
        TDS_TRY(tds_add_u64(*acc, it.u.resource.length, acc));
        if (end > s.ram_top) {
            s.ram_top = end;
        }
        const uint64_t four_g = 1ull << 32;
        uint64_t low_end = end < four_g ? end : four_g;
        if (it.u.resource.start < four_g && low_end > s.ram_top_below_4g) {
            s.ram_top_below_4g = low_end;
        }
    }
    *out = s;
    return TDS_OK;
}
