/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target: validate arbitrary bytes under two configurations, then call every accessor
 * on the view. Oracles:
 *  - the overlap verdict (which resource, or none before the reported HOB) is the O(n^2)
 *    reference's;
 *  - a scratch of TDHOB_SCRATCH_ENTRIES(size) never runs short; a smaller one (its size taken from
 *    the input, and one entry short) gives the same answer field for field, or SCRATCH_TOO_SMALL
 *    at exactly the resource descriptor that has no entry; a failed call leaves the view
 *    untouched;
 *  - the memory map and both E820 forms are sorted, disjoint and merged, every memory-space
 *    resource lies in one map range of its kind and the byte sums per kind are equal (so the
 *    ranges hold nothing else), the RAM summary is the sum; with few resources the maps equal the
 *    O(n^2) reference (ref_tdhob.c) exactly and the reference finds no overlap either;
 *  - a list without FV2/FV3 HOBs, rebuilt item by item with the builder, comes out byte-identical
 *    (builder output parses back to the same content).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ref_tdhob.h"
#include "tdshim/tdhob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT 65536u
#define MAX_RES TDHOB_SCRATCH_ENTRIES(MAX_INPUT)
#define REF_MAX_RES 128u     /* maps compared with the O(n^2) reference up to this many */
#define REF_MAX_VERDICT 512u /* overlap verdict compared with the reference up to this many */

static uint8_t g_rebuild[MAX_INPUT + 64];
static tdhob_scratch_entry g_scratch[MAX_RES];
static tdhob_scratch_entry g_small_scratch[MAX_RES];
static tdhob_scratch_entry g_rebuild_scratch[MAX_RES];
static ref_res g_res[MAX_RES];
static tdhob_mem_range g_map[MAX_RES];
static tdhob_e820_entry g_e820[MAX_RES];
static ref_range g_want[MAX_RES];

static void check(int cond)
{
    if (!cond) {
        abort();
    }
}

static void rebuild(const tdhob_view *v)
{
    if (tdhob_count(v, TDHOB_TYPE_FV2) != 0 || tdhob_count(v, TDHOB_TYPE_FV3) != 0) {
        return;
    }
    const size_t len = tdhob_length(v);
    if (len > sizeof g_rebuild) {
        return;
    }
    tdhob_phit p;
    check(tdhob_get_phit(v, &p) == TDS_OK);
    tdhob_phit_params pp = {p.boot_mode, p.memory_top, p.memory_bottom, p.free_memory_top,
                            p.free_memory_bottom};
    tdhob_builder b;
    check(tdhob_builder_init(&b, tds_mut_bytes_make(g_rebuild, len), tdhob_gpa(v), tdhob_gpaw(v),
                             &pp) == TDS_OK);
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    while (tdhob_next(v, &it, &item) == TDS_OK) {
        tds_status s = TDS_OK;
        switch (item.type) {
        case TDHOB_TYPE_CPU:
            s = tdhob_add_cpu(&b, item.u.cpu.memory_space_bits, item.u.cpu.io_space_bits);
            break;
        case TDHOB_TYPE_RESOURCE_DESCRIPTOR: s = tdhob_add_resource(&b, &item.u.resource); break;
        case TDHOB_TYPE_MEMORY_ALLOCATION: s = tdhob_add_memalloc(&b, &item.u.memalloc); break;
        case TDHOB_TYPE_FV: s = tdhob_add_fv(&b, item.u.fv.base, item.u.fv.length); break;
        case TDHOB_TYPE_GUID_EXTENSION:
            s = tdhob_add_guid(&b, &item.u.guid.name, item.u.guid.data);
            break;
        default: break;
        }
        check(s == TDS_OK);
    }
    tds_bytes out;
    check(tdhob_finish(&b, g_rebuild_scratch, MAX_RES, &out) == TDS_OK);
    check(out.len == len && memcmp(out.ptr, tdhob_bytes(v).ptr, len) == 0);
}

/* Index of the map range containing [base, base+len), or SIZE_MAX (binary search). */
static size_t find_range(uint64_t base, uint64_t len, size_t n)
{
    size_t lo = 0;
    size_t hi = n;
    while (lo < hi) { /* the first range starting above `base` */
        const size_t mid = lo + (hi - lo) / 2u;
        if (g_map[mid].base <= base) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return SIZE_MAX;
    }
    const tdhob_mem_range *m = &g_map[lo - 1u];
    const uint64_t off = base - m->base;
    return off < m->length && len <= m->length - off ? lo - 1u : SIZE_MAX;
}

/* The memory map, both E820 forms and the RAM summary against the list's resources. */
static void check_maps(const tdhob_view *v)
{
    const tds_bytes all = tdhob_bytes(v);
    const size_t nres = ref_resources(all.ptr, all.len, g_res, MAX_RES);
    check(nres == tdhob_count(v, TDHOB_TYPE_RESOURCE_DESCRIPTOR) && nres <= MAX_RES);
    const tdhob_convention conv = tdhob_get_convention(v);
    size_t n = 0;
    size_t got = 0;
    check(tdhob_memory_map_count(v, &n) == TDS_OK && n <= nres);
    if (n > 0) {
        check(tdhob_memory_map(v, g_map, n - 1, &got) == TDS_ERR_NO_SPACE);
    }
    check(tdhob_memory_map(v, g_map, MAX_RES, &got) == TDS_OK && got == n);
    uint64_t map_bytes[5] = {0};
    for (size_t i = 0; i < n; i++) {
        check(g_map[i].length != 0 && g_map[i].kind >= 1 && g_map[i].kind <= 4);
        check(g_map[i].base + g_map[i].length > g_map[i].base); /* no wrap */
        map_bytes[g_map[i].kind] += g_map[i].length;
        if (i > 0) { /* sorted, non-overlapping, merged */
            const uint64_t prev_end = g_map[i - 1].base + g_map[i - 1].length;
            check(prev_end <= g_map[i].base);
            check(!(prev_end == g_map[i].base && g_map[i - 1].kind == g_map[i].kind));
        }
    }
    uint64_t res_bytes[5] = {0};
    uint64_t ram_top = 0;
    for (size_t r = 0; r < nres; r++) {
        tdhob_mem_kind k;
        tdhob_mem_kind k2;
        const bool mem = tdhob_classify(conv, g_res[r].type, &k);
        check(mem == ref_classify(conv, g_res[r].type, &k2) && (!mem || k == k2));
        if (!mem) {
            continue;
        }
        res_bytes[k] += g_res[r].length;
        const size_t i = find_range(g_res[r].start, g_res[r].length, n);
        check(i != SIZE_MAX && g_map[i].kind == k);
        const uint64_t end = g_res[r].start + g_res[r].length;
        if ((k == TDHOB_MEM_ACCEPTED || k == TDHOB_MEM_UNACCEPTED) && end > ram_top) {
            ram_top = end;
        }
    }
    check(memcmp(map_bytes, res_bytes, sizeof map_bytes) == 0);
    tdhob_ram_summary rs;
    check(tdhob_ram_summary_get(v, &rs) == TDS_OK);
    check(rs.accepted_bytes == res_bytes[TDHOB_MEM_ACCEPTED]);
    check(rs.unaccepted_bytes == res_bytes[TDHOB_MEM_UNACCEPTED]);
    check(rs.ram_top == ram_top && rs.ram_top <= (1ull << (tdhob_gpaw(v) - 1u)));
    check(rs.ram_top_below_4g <= rs.ram_top && rs.ram_top_below_4g <= (1ull << 32));
    static const uint32_t unacc[] = {TDHOB_E820_UNACCEPTED, TDHOB_E820_RAM};
    for (size_t u = 0; u < 2; u++) {
        size_t ne = 0;
        check(tdhob_e820(v, unacc[u], g_e820, MAX_RES, &ne) == TDS_OK && ne <= n);
        uint64_t e_bytes = 0;
        for (size_t i = 0; i < ne; i++) {
            check(g_e820[i].size != 0 && g_e820[i].type != 0);
            e_bytes += g_e820[i].size;
            if (i > 0) {
                const uint64_t prev_end = g_e820[i - 1].addr + g_e820[i - 1].size;
                check(prev_end <= g_e820[i].addr);
                check(!(prev_end == g_e820[i].addr && g_e820[i - 1].type == g_e820[i].type));
            }
        }
        /* MMIO is left out, everything else is in. */
        check(e_bytes == map_bytes[TDHOB_MEM_ACCEPTED] + map_bytes[TDHOB_MEM_UNACCEPTED] +
                             map_bytes[TDHOB_MEM_RESERVED]);
        if (nres <= REF_MAX_RES) {
            const size_t nw = ref_merged(g_res, nres, conv, unacc[u], g_want, MAX_RES, NULL);
            check(nw == ne);
            for (size_t i = 0; i < ne; i++) {
                check(g_e820[i].addr == g_want[i].base && g_e820[i].size == g_want[i].length &&
                      g_e820[i].type == g_want[i].key);
            }
        }
    }
    if (nres <= REF_MAX_RES) {
        const size_t nw = ref_merged(g_res, nres, conv, 0, g_want, MAX_RES, NULL);
        check(nw == n);
        for (size_t i = 0; i < n; i++) {
            check(g_map[i].base == g_want[i].base && g_map[i].length == g_want[i].length &&
                  (uint32_t)g_map[i].kind == g_want[i].key);
        }
        check(ref_first_overlap(g_res, nres, NULL) == nres); /* the reference's verdict too */
    }
}

/* The Linux command-line GUID HOB (the shim parses it after the HOB validated): a slice of the
 * list through the first NUL of the one such HOB, only zeros after it; else a refusal. */
static void exercise_cmdline(const tdhob_view *v)
{
    tds_bytes c = tds_bytes_make(NULL, 0);
    tds_bytes d;
    const tds_status s = tdhob_get_linux_cmdline(v, &c);
    const bool one = tdhob_find_guid(v, &tdhob_guid_linux_cmdline, 0, &d) == TDS_OK;
    const bool two = tdhob_find_guid(v, &tdhob_guid_linux_cmdline, 1, &d) == TDS_OK;
    check(s == TDS_OK || s == TDS_ERR_NOT_FOUND || s == TDS_ERR_MALFORMED);
    check((s == TDS_ERR_NOT_FOUND) == !one);
    if (s == TDS_OK) {
        check(!two && tdhob_find_guid(v, &tdhob_guid_linux_cmdline, 0, &d) == TDS_OK);
        check(c.ptr == d.ptr && c.len >= 1 && c.len <= d.len && c.ptr[c.len - 1] == 0);
        for (size_t i = 0; i + 1 < c.len; i++) {
            check(c.ptr[i] != 0);
        }
        for (size_t i = c.len; i < d.len; i++) {
            check(d.ptr[i] == 0);
        }
    } else {
        check(c.ptr == NULL);
    }
}

static void exercise(const tdhob_view *v)
{
    exercise_cmdline(v);
    tdhob_phit p;
    check(tdhob_get_phit(v, &p) == TDS_OK);
    tdhob_cpu cpu;
    tds_status s = tdhob_get_cpu(v, &cpu);
    check(s == TDS_OK || s == TDS_ERR_NOT_FOUND);
    check((s == TDS_OK) == (tdhob_count(v, TDHOB_TYPE_CPU) == 1));
    check(tdhob_get_convention(v) != TDHOB_CONV_AUTO);
    size_t total = 0;
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    while (tdhob_next(v, &it, &item) == TDS_OK) {
        total++;
        check(item.offset + item.length <= tdhob_length(v));
    }
    size_t counted = 0;
    static const uint16_t types[] = {1, 2, 3, 4, 5, 6, 9, 12, 0xFFFF};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        counted += tdhob_count(v, types[i]);
    }
    check(counted == total);
    const tds_guid *guids[] = {&tdhob_guid_acpi_table, &tdhob_guid_e820_table,
                               &tdhob_guid_payload_info};
    for (size_t g = 0; g < 3; g++) {
        tds_bytes d;
        for (size_t i = 0; tdhob_find_guid(v, guids[g], i, &d) == TDS_OK; i++) {
            const tds_bytes all = tdhob_bytes(v);
            check(d.ptr >= all.ptr && d.ptr + d.len <= all.ptr + all.len);
            if (g == 1) {
                size_t n = tdhob_e820_hob_count(d);
                for (size_t k = 0; k < n; k++) {
                    tdhob_e820_entry e;
                    check(tdhob_e820_hob_entry(d, k, &e) == TDS_OK);
                    check(e.size != 0);
                }
            }
        }
    }
    tdhob_payload_info pi;
    s = tdhob_get_payload_info(v, &pi);
    check(s == TDS_OK || s == TDS_ERR_NOT_FOUND);
    tds_bytes t;
    for (size_t i = 0; tdhob_get_acpi_table(v, i, &t) == TDS_OK; i++) {
        check(t.len >= 36);
    }
    check_maps(v);
    rebuild(v);
}

/* Errors the validator finds after the walk; they are reported at offset 0. */
static bool after_walk(tdhob_reason r)
{
    return r == TDHOB_R_PHIT_END_MISMATCH || r == TDHOB_R_GPA_UNALIGNED ||
           r == TDHOB_R_HOB_BEYOND_GPAW || r == TDHOB_R_UNACCEPTED_IN_LEGACY;
}

/*
 * The verdict on overlaps is the O(n^2) reference's: a reported overlap is the reference's first
 * resource overlapping an earlier one (same HOB, same start); any other outcome means no overlap
 * among the resources before the reported HOB (all of them when the walk completed).
 */
static void check_verdict(const uint8_t *data, size_t size, tds_status s, const tdhob_error *err)
{
    const size_t n = ref_resources(data, size, g_res, MAX_RES);
    if (n > REF_MAX_VERDICT) {
        return;
    }
    if (s != TDS_OK && err->reason == TDHOB_R_RESOURCE_OVERLAP) {
        const size_t j = ref_first_overlap(g_res, n, NULL);
        check(j < n && g_res[j].offset == err->hob_offset && g_res[j].start == err->value);
        return;
    }
    size_t upto = n;
    if (s != TDS_OK && !after_walk(err->reason)) {
        upto = 0;
        while (upto < n && g_res[upto].offset < err->hob_offset) {
            upto++;
        }
    }
    check(ref_first_overlap(g_res, upto, NULL) == upto);
}

static bool same_error(const tdhob_error *a, const tdhob_error *b)
{
    return a->reason == b->reason && a->hob_offset == b->hob_offset &&
           a->field_offset == b->field_offset && a->hob_type == b->hob_type && a->value == b->value;
}

/* The same list with a scratch of `cap` entries: the full answer, or SCRATCH_TOO_SMALL at the
 * resource descriptor with ordinal `cap` (the first one without an entry). */
static void check_small_scratch(const uint8_t *data, size_t size, const tdhob_config *full,
                                tds_status full_status, const tdhob_error *full_err, size_t cap)
{
    tdhob_config cfg = *full;
    cfg.scratch = cap == 0 ? NULL : g_small_scratch;
    cfg.scratch_cap = cap;
    tdhob_view v;
    memset(&v, 0xA5, sizeof v);
    tdhob_error err;
    const tds_status s = tdhob_validate(tds_bytes_make(data, size), &cfg, &v, &err);
    if (s == TDS_ERR_NO_SPACE) {
        check(err.reason == TDHOB_R_SCRATCH_TOO_SMALL && err.value == cap);
        check(err.field_offset == err.hob_offset && err.hob_type == TDHOB_TYPE_RESOURCE_DESCRIPTOR);
        const size_t n = ref_resources(data, size, g_res, MAX_RES);
        check(n > cap && g_res[cap].offset == err.hob_offset);
        /* It is not after the full answer's error in the list (at the same resource when that
         * one overlaps an earlier one; errors found after the walk are reported at offset 0). */
        check(full_status == TDS_OK || full_err->hob_offset >= err.hob_offset ||
              after_walk(full_err->reason));
    } else {
        check(s == full_status && (s == TDS_OK || same_error(&err, full_err)));
    }
    if (s != TDS_OK) {
        const uint8_t *p = (const uint8_t *)&v;
        for (size_t i = 0; i < sizeof v; i++) {
            check(p[i] == 0xA5);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_INPUT) {
        return 0;
    }
    const size_t cap = TDHOB_SCRATCH_ENTRIES(size);
    const tdhob_config cfgs[] = {
        {0, true, 48, TDHOB_CONV_AUTO, cap == 0 ? NULL : g_scratch, cap},
        {0, true, 52, TDHOB_CONV_LEGACY, cap == 0 ? NULL : g_scratch, cap},
    };
    for (size_t i = 0; i < 2; i++) {
        tdhob_view v;
        tdhob_error err;
        tds_status s = tdhob_validate(tds_bytes_make(data, size), &cfgs[i], &v, &err);
        /* TDHOB_SCRATCH_ENTRIES(size) is always enough. */
        check(s != TDS_ERR_NO_SPACE && err.reason != TDHOB_R_SCRATCH_TOO_SMALL);
        /* Measure before parse: on any bytes the measured length is the whole input or a list
         * end inside it, and for every list the validator accepts it is exactly that list. */
        size_t measured = 0;
        const uint64_t gpa = s == TDS_OK ? v.hob_gpa : 0x800000u;
        if (size > 0) {
            check(tdhob_measured_length(tds_bytes_make(data, size), gpa, &measured) == TDS_OK);
            check(measured >= 64u || measured == size);
            check(measured <= size && (measured == size || measured % 8u == 0));
        }
        if (s == TDS_OK) {
            check(err.reason == TDHOB_R_NONE);
            check(measured == v.hob.len);
            exercise(&v);
        } else {
            check(err.reason != TDHOB_R_NONE && err.field_offset <= size + 64);
            check(tdhob_reason_str(err.reason)[0] != '\0');
        }
        check_verdict(data, size, s, &err);
        /* Short scratches: a size from the last input byte, and one entry short. */
        const size_t nres = ref_resources(data, size, g_res, MAX_RES);
        if (size > 0) {
            check_small_scratch(data, size, &cfgs[i], s, &err, data[size - 1] % (nres + 1u));
        }
        if (nres > 0) {
            check_small_scratch(data, size, &cfgs[i], s, &err, nres - 1u);
        }
    }
    return 0;
}
