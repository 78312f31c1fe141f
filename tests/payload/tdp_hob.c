/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_hob.h"

#include "tdshim/checked.h"
#include "tdshim/tdhob_wire.h"

#define PHIT_SIZE 56u
#define PHIT_OFF_END_OF_HOB_LIST 48u
#define END_HOB_SIZE 8u
#define REGION_ALIGN (2u << 20)

tds_status tdp_hob_list_len(tds_bytes phit, uint64_t hob_gpa, size_t max, size_t *len)
{
    if (!tds_bytes_valid(phit) || len == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (phit.len < PHIT_SIZE) {
        return TDS_ERR_TRUNCATED;
    }
    const uint64_t end = tds_load_le64(phit.ptr + PHIT_OFF_END_OF_HOB_LIST);
    if (end < hob_gpa) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    const uint64_t n = end - hob_gpa; /* libtdhob: EfiEndOfHobList = GPA + walked length */
    if (n < PHIT_SIZE + END_HOB_SIZE || n > max) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    *len = (size_t)n;
    return TDS_OK;
}

static bool e820_type_known(uint32_t t)
{
    return t == TDHOB_E820_RAM || t == TDHOB_E820_RESERVED || t == TDHOB_E820_ACPI ||
           t == TDHOB_E820_NVS || t == TDHOB_E820_UNACCEPTED;
}

tds_status tdp_e820_check(const tdhob_e820_entry *e, size_t n, size_t *bad)
{
    if ((e == NULL && n != 0) || bad == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        *bad = i;
        uint64_t end;
        if (e[i].size == 0) {
            return TDS_ERR_MALFORMED;
        }
        if (tds_add_u64(e[i].addr, e[i].size, &end) != TDS_OK) {
            return TDS_ERR_OVERFLOW;
        }
        if (!e820_type_known(e[i].type)) {
            return TDS_ERR_UNSUPPORTED;
        }
        if (i > 0) {
            if (e[i].addr < prev_end) {
                return TDS_ERR_MALFORMED; /* unsorted or overlapping */
            }
            if (e[i].addr == prev_end && e[i].type == e[i - 1].type) {
                return TDS_ERR_MALFORMED; /* adjacent, same type: should have been merged */
            }
        }
        prev_end = end;
    }
    return TDS_OK;
}

static tdhob_mem_kind e820_kind(uint32_t type)
{
    switch (type) {
    case TDHOB_E820_RAM: return TDHOB_MEM_ACCEPTED;
    case TDHOB_E820_UNACCEPTED: return TDHOB_MEM_UNACCEPTED;
    default: return TDHOB_MEM_RESERVED;
    }
}

/* The next merged range of the E820 in kind terms, from index *i. */
static bool e820_next_kind_range(const tdhob_e820_entry *e, size_t n, size_t *i,
                                 tdhob_mem_range *out)
{
    if (*i >= n) {
        return false;
    }
    out->base = e[*i].addr;
    out->length = e[*i].size;
    out->kind = e820_kind(e[*i].type);
    (*i)++;
    while (*i < n && e820_kind(e[*i].type) == out->kind && e[*i].addr == out->base + out->length) {
        out->length += e[*i].size; /* the caller checked the entries do not wrap */
        (*i)++;
    }
    return true;
}

tds_status tdp_e820_matches_map(const tdhob_e820_entry *e, size_t n, const tdhob_mem_range *map,
                                size_t nmap, size_t *bad)
{
    if ((e == NULL && n != 0) || (map == NULL && nmap != 0) || bad == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t ei = 0;
    size_t mi = 0;
    for (;;) {
        while (mi < nmap && map[mi].kind == TDHOB_MEM_MMIO) {
            mi++;
        }
        tdhob_mem_range r;
        const bool have_e = e820_next_kind_range(e, n, &ei, &r);
        *bad = mi;
        if (!have_e || mi >= nmap) {
            return !have_e && mi >= nmap ? TDS_OK : TDS_ERR_MISMATCH;
        }
        if (r.base != map[mi].base || r.length != map[mi].length || r.kind != map[mi].kind) {
            return TDS_ERR_MISMATCH;
        }
        mi++;
    }
}

bool tdp_e820_covers(const tdhob_e820_entry *e, size_t n, uint64_t base, uint64_t len,
                     uint32_t type)
{
    uint64_t end;
    if (e == NULL || len == 0 || tds_add_u64(base, len, &end) != TDS_OK) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (e[i].type == type && base >= e[i].addr && end - e[i].addr <= e[i].size) {
            return true;
        }
    }
    return false;
}

static void line_status(struct tdp_line *l, tds_status s)
{
    tdp_line_str(l, s == TDS_OK ? " ok" : " FAIL ");
    if (s != TDS_OK) {
        tdp_line_str(l, tds_status_str(s));
    }
}

static tds_status hob_e820(const struct tdp_sink *sink, const tdhob_view *v, tdp_hob *h,
                           tdhob_mem_range *map, size_t map_cap)
{
    struct tdp_line l;
    tds_bytes data;
    tds_status s = tdhob_find_guid(v, &tdhob_guid_e820_table, 0, &data);
    tds_bytes second;
    if (s == TDS_OK && tdhob_find_guid(v, &tdhob_guid_e820_table, 1, &second) == TDS_OK) {
        s = TDS_ERR_MALFORMED; /* exactly one E820 HOB */
    }
    size_t n = s == TDS_OK ? tdhob_e820_hob_count(data) : 0;
    if (s == TDS_OK && n > TDP_E820_MAX) {
        s = TDS_ERR_NO_SPACE;
    }
    for (size_t i = 0; s == TDS_OK && i < n; i++) {
        s = tdhob_e820_hob_entry(data, i, &h->e820[i]);
    }
    if (s != TDS_OK) {
        tdp_line_start(&l, "e820 hob");
        line_status(&l, s);
        tdp_line_emit(sink, &l);
        return s;
    }
    h->e820_count = n;
    for (size_t i = 0; i < n; i++) {
        tdp_line_start(&l, "e820 ");
        tdp_line_hex(&l, h->e820[i].addr);
        tdp_line_chr(&l, ' ');
        tdp_line_hex(&l, h->e820[i].addr + h->e820[i].size); /* may wrap: checked below */
        tdp_line_chr(&l, ' ');
        tdp_line_dec(&l, h->e820[i].type);
        tdp_line_emit(sink, &l);
    }
    size_t bad = 0;
    const tds_status shape = tdp_e820_check(h->e820, n, &bad);
    size_t nmap = 0;
    tds_status ms = shape;
    if (ms == TDS_OK) {
        ms = tdhob_memory_map(v, map, map_cap, &nmap);
    }
    size_t mbad = 0;
    if (ms == TDS_OK) {
        ms = tdp_e820_matches_map(h->e820, n, map, nmap, &mbad);
    }
    tdp_line_start(&l, "e820 entries=");
    tdp_line_dec(&l, n);
    tdp_line_str(&l, " shape=");
    tdp_line_str(&l, shape == TDS_OK ? "ok" : tds_status_str(shape));
    if (shape != TDS_OK) {
        tdp_line_str(&l, " at=");
        tdp_line_dec(&l, bad);
    }
    tdp_line_str(&l, " resources=");
    tdp_line_str(&l, ms == TDS_OK ? "ok" : tds_status_str(ms));
    if (shape == TDS_OK && ms == TDS_ERR_MISMATCH) {
        tdp_line_str(&l, " at_range=");
        tdp_line_dec(&l, mbad);
    }
    tdp_line_emit(sink, &l);
    return ms;
}

static tds_status hob_payload(const struct tdp_sink *sink, const tdhob_view *v, tdp_hob *h,
                              uint64_t payload_base, uint64_t entry, uint64_t image_end)
{
    struct tdp_line l;
    tds_status s = tdhob_get_payload_info(v, &h->info);
    tdp_line_start(&l, "payload_info");
    if (s == TDS_OK) {
        tdp_line_str(&l, " type=");
        tdp_line_dec(&l, h->info.image_type);
        tdp_line_str(&l, " entry=");
        tdp_line_hex(&l, h->info.entry_point);
        if (h->info.image_type != TDHOB_PAYLOAD_EXECUTABLE || h->info.entry_point != entry) {
            s = TDS_ERR_MISMATCH;
        }
    }
    line_status(&l, s);
    tdp_line_emit(sink, &l);
    TDS_TRY(s);

    /* Exactly one FV HOB: the payload region. */
    tdhob_iter it = tdhob_iter_begin();
    tdhob_item item;
    size_t fvs = 0;
    tds_status ws;
    while ((ws = tdhob_next(v, &it, &item)) == TDS_OK) {
        if (item.type == TDHOB_TYPE_FV || item.type == TDHOB_TYPE_FV2 ||
            item.type == TDHOB_TYPE_FV3) {
            h->fv_base = item.u.fv.base;
            h->fv_len = item.u.fv.length;
            fvs++;
        }
    }
    s = ws == TDS_ERR_NOT_FOUND ? TDS_OK : ws;
    if (s == TDS_OK && fvs != 1) {
        s = fvs == 0 ? TDS_ERR_NOT_FOUND : TDS_ERR_MALFORMED;
    }
    tdp_line_start(&l, "fv");
    if (s == TDS_OK) {
        tdp_line_str(&l, " base=");
        tdp_line_hex(&l, h->fv_base);
        tdp_line_str(&l, " len=");
        tdp_line_hex(&l, h->fv_len);
        const bool region_ok = h->fv_base == payload_base && h->fv_len % REGION_ALIGN == 0 &&
                               h->fv_len <= TDP_PAYLOAD_REGION_MAX;
        const bool holds_image = entry >= h->fv_base && image_end > h->fv_base &&
                                 image_end - h->fv_base <= h->fv_len && entry < image_end;
        const bool reserved =
            tdp_e820_covers(h->e820, h->e820_count, h->fv_base, h->fv_len, TDHOB_E820_RESERVED);
        tdp_line_str(&l, region_ok ? " region=ok" : " region=BAD");
        tdp_line_str(&l, holds_image ? " image=inside" : " image=OUTSIDE");
        tdp_line_str(&l, reserved ? " e820=reserved" : " e820=NOT_RESERVED");
        if (!region_ok || !holds_image || !reserved) {
            s = TDS_ERR_MISMATCH;
        }
    }
    line_status(&l, s);
    tdp_line_emit(sink, &l);
    return s;
}

tds_status tdp_hob_check(const struct tdp_sink *sink, tds_bytes hob, uint64_t hob_gpa,
                         uint32_t gpaw, uint64_t payload_base, uint64_t entry, uint64_t image_end,
                         tdhob_mem_range *map, size_t map_cap, tdp_hob *out)
{
    if (!tds_bytes_valid(hob) || map == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdp_line l;
    tdp_hob h = {0};
    /* The shim builds the payload HOB with QEMU's current convention (0 = accepted RAM,
     * 7 = unaccepted, 5 = reserved); AUTO would read a HOB without type 7 as legacy. */
    /* libtdhob's sort scratch; out->view borrows it until the next call. */
    static tdhob_scratch_entry scratch[TDHOB_SCRATCH_ENTRIES(TDP_HOB_MAX)];
    const tdhob_config cfg = {.hob_gpa = hob_gpa,
                              .gpaw = gpaw,
                              .convention = TDHOB_CONV_CURRENT,
                              .scratch = scratch,
                              .scratch_cap = TDS_ARRAY_LEN(scratch)};
    tdhob_error err = {0};
    tds_status s = tdhob_validate(hob, &cfg, &h.view, &err);
    tdp_line_start(&l, "hob gpa=");
    tdp_line_hex(&l, hob_gpa);
    if (s == TDS_OK) {
        tdp_line_str(&l, " len=");
        tdp_line_hex(&l, tdhob_length(&h.view));
        tdp_line_str(&l, " resources=");
        tdp_line_dec(&l, tdhob_count(&h.view, TDHOB_TYPE_RESOURCE_DESCRIPTOR));
        tdp_line_str(&l, " acpi_and_guid=");
        tdp_line_dec(&l, tdhob_count(&h.view, TDHOB_TYPE_GUID_EXTENSION));
        tdhob_cpu cpu;
        s = tdhob_get_cpu(&h.view, &cpu);
        if (s == TDS_OK) {
            tdp_line_str(&l, " cpu_bits=");
            tdp_line_dec(&l, cpu.memory_space_bits);
            if (cpu.memory_space_bits != gpaw) {
                s = TDS_ERR_MISMATCH;
            }
        }
    } else {
        tdp_line_str(&l, " invalid=");
        tdp_line_str(&l, tdhob_reason_str(err.reason));
        tdp_line_str(&l, " at=");
        tdp_line_hex(&l, err.field_offset);
    }
    line_status(&l, s);
    tdp_line_emit(sink, &l);
    TDS_TRY(s);
    TDS_TRY(hob_e820(sink, &h.view, &h, map, map_cap));
    TDS_TRY(hob_payload(sink, &h.view, &h, payload_base, entry, image_end));
    *out = h;
    return TDS_OK;
}
