/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target: validate arbitrary bytes under two configurations, then call every accessor
 * on the view. Oracle: a list without FV2/FV3 HOBs, rebuilt item by item with the builder, must
 * come out byte-identical (builder output parses back to the same content).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/tdhob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t g_rebuild[65536 + 64];
static tdhob_scratch_entry g_scratch[TDHOB_SCRATCH_ENTRIES(65536)];
static tdhob_scratch_entry g_rebuild_scratch[TDHOB_SCRATCH_ENTRIES(65536)];

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
    check(tdhob_finish(&b, g_rebuild_scratch, TDHOB_SCRATCH_ENTRIES(65536), &out) == TDS_OK);
    check(out.len == len && memcmp(out.ptr, tdhob_bytes(v).ptr, len) == 0);
}

static void exercise(const tdhob_view *v)
{
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
    size_t n = 0;
    check(tdhob_memory_map_count(v, &n) == TDS_OK);
    static tdhob_mem_range map[1400];
    size_t got = 0;
    if (n > 0) {
        check(tdhob_memory_map(v, map, n - 1, &got) == TDS_ERR_NO_SPACE);
    }
    if (n <= 1400) {
        check(tdhob_memory_map(v, map, 1400, &got) == TDS_OK && got == n);
        for (size_t i = 1; i < got; i++) {
            /* sorted, non-overlapping, merged */
            check(map[i - 1].base + map[i - 1].length <= map[i].base);
            check(!(map[i - 1].base + map[i - 1].length == map[i].base &&
                    map[i - 1].kind == map[i].kind));
        }
    }
    static tdhob_e820_entry e820[1400];
    check(tdhob_e820(v, TDHOB_E820_UNACCEPTED, e820, 1400, &got) == TDS_OK);
    check(tdhob_e820(v, TDHOB_E820_RAM, e820, 1400, &got) == TDS_OK);
    tdhob_ram_summary rs;
    check(tdhob_ram_summary_get(v, &rs) == TDS_OK);
    /* Every memory-map kind is what tdhob_classify says for the first resource at that base. */
    it = tdhob_iter_begin();
    while (tdhob_next(v, &it, &item) == TDS_OK) {
        if (item.type == TDHOB_TYPE_RESOURCE_DESCRIPTOR) {
            tdhob_mem_kind k;
            bool mem = tdhob_classify(tdhob_get_convention(v), item.u.resource.type, &k);
            check(mem == (item.u.resource.type != TDHOB_RES_IO &&
                          item.u.resource.type != TDHOB_RES_IO_RESERVED));
        }
    }
    check(rs.ram_top <= (1ull << (tdhob_gpaw(v) - 1u)));
    rebuild(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536) {
        return 0;
    }
    const tdhob_config cfgs[] = {
        {0, true, 48, TDHOB_CONV_AUTO, g_scratch, TDHOB_SCRATCH_ENTRIES(65536)},
        {0, true, 52, TDHOB_CONV_LEGACY, g_scratch, TDHOB_SCRATCH_ENTRIES(65536)},
    };
    for (size_t i = 0; i < 2; i++) {
        tdhob_view v;
        tdhob_error err;
        tds_status s = tdhob_validate(tds_bytes_make(data, size), &cfgs[i], &v, &err);
        if (s == TDS_OK) {
            check(err.reason == TDHOB_R_NONE);
            exercise(&v);
        } else {
            check(err.reason != TDHOB_R_NONE && err.field_offset <= size + 64);
            check(tdhob_reason_str(err.reason)[0] != '\0');
        }
    }
    return 0;
}
