/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The loaded tables (ACPI 6.5 5.2): the space, the RSDP, the RSDT / XSDT and what they list, the
 * FADT and the MCFG. Every address read from a table is mapped through the caller's regions
 * with its whole structure before a byte of it is read; every read goes through a cursor over
 * the mapped bytes.
 */
#include "acpi_int.h"

/* ---- the space ------------------------------------------------------------------------------ */

static bool region_valid(const acpi_region *r)
{
    uint64_t last;
    return tds_bytes_valid(tds_bytes_const(r->mem)) &&
           (r->mem.len == 0 || tds_range_last(r->addr, r->mem.len, &last) == TDS_OK);
}

bool acpi_space_valid(const acpi_space *s)
{
    if (s == NULL || (s->regions == NULL && s->count != 0)) {
        return false;
    }
    for (size_t i = 0; i < s->count; i++) {
        if (!region_valid(&s->regions[i])) {
            return false;
        }
    }
    return true;
}

/* ACPI_R_NONE and *out on success; UNMAPPED if no region holds addr; PAST_END if one holds addr
 * but none holds [addr, addr + len). */
static acpi_reason map(const acpi_space *s, uint64_t addr, uint64_t len, tds_mut_bytes *out)
{
    acpi_reason r = ACPI_R_UNMAPPED;
    for (size_t i = 0; i < s->count; i++) {
        const acpi_region *g = &s->regions[i];
        if (g->mem.len == 0 || !region_valid(g) ||
            !tds_range_contains(g->addr, g->mem.len, addr, 1)) {
            continue;
        }
        if (!tds_range_contains(g->addr, g->mem.len, addr, len)) {
            r = ACPI_R_PAST_END;
            continue;
        }
        size_t off = (size_t)(addr - g->addr); /* < mem.len, a size_t */
        out->ptr = g->mem.ptr + off;
        out->len = (size_t)len; /* <= mem.len - off */
        return ACPI_R_NONE;
    }
    return r;
}

tds_status acpi_space_map(const acpi_space *s, uint64_t addr, uint64_t len, tds_mut_bytes *out)
{
    if (!acpi_space_valid(s) || len == 0 || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tds_mut_bytes m;
    if (map(s, addr, len, &m) != ACPI_R_NONE) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    *out = m;
    return TDS_OK;
}

static tds_status map_or_fail(const acpi_space *s, uint64_t addr, uint64_t len, tds_mut_bytes *out,
                              acpi_error *err, uint32_t index)
{
    acpi_reason r = map(s, addr, len, out);
    if (r != ACPI_R_NONE) {
        return acpi_fail(err, r, index, addr);
    }
    return TDS_OK;
}

/* ---- little readers over mapped bytes ------------------------------------------------------ */

static uint8_t get8(tds_mut_bytes b, size_t off)
{
    tds_cursor c = tds_cursor_make(tds_bytes_const(b));
    uint8_t v = 0;
    if (tds_cursor_seek(&c, off) != TDS_OK || tds_cursor_u8(&c, &v) != TDS_OK) {
        return 0;
    }
    return v;
}

static uint16_t get16(tds_mut_bytes b, size_t off)
{
    tds_cursor c = tds_cursor_make(tds_bytes_const(b));
    uint16_t v = 0;
    if (tds_cursor_seek(&c, off) != TDS_OK || tds_cursor_le16(&c, &v) != TDS_OK) {
        return 0;
    }
    return v;
}

static uint32_t get32(tds_mut_bytes b, size_t off)
{
    tds_cursor c = tds_cursor_make(tds_bytes_const(b));
    uint32_t v = 0;
    if (tds_cursor_seek(&c, off) != TDS_OK || tds_cursor_le32(&c, &v) != TDS_OK) {
        return 0;
    }
    return v;
}

static uint64_t get64(tds_mut_bytes b, size_t off)
{
    tds_cursor c = tds_cursor_make(tds_bytes_const(b));
    uint64_t v = 0;
    if (tds_cursor_seek(&c, off) != TDS_OK || tds_cursor_le64(&c, &v) != TDS_OK) {
        return 0;
    }
    return v;
}

/* The getters above return 0 past the end; callers read only inside a length they checked. */

/* ---- one table ----------------------------------------------------------------------------- */

tds_status acpi_table_at(const acpi_space *s, uint64_t addr, const char *sig, uint32_t min_len,
                         acpi_table_ref *out, acpi_error *err, uint32_t index)
{
    tds_mut_bytes h;
    TDS_TRY(map_or_fail(s, addr, ACPI_SDT_HEADER_SIZE, &h, err, index));
    if (sig != NULL && !acpi_sig_eq(h.ptr, sig)) {
        return acpi_fail(err, ACPI_R_TABLE_SIGNATURE, index, addr);
    }
    uint32_t len = get32(h, ACPI_SDT_OFF_LENGTH);
    if (len < ACPI_SDT_HEADER_SIZE || len < min_len) {
        return acpi_fail(err, ACPI_R_TABLE_LENGTH, index, addr);
    }
    tds_mut_bytes t;
    TDS_TRY(map_or_fail(s, addr, len, &t, err, index));
    if (acpi_sum8(tds_bytes_const(t)) != 0) {
        return acpi_fail(err, ACPI_R_TABLE_CHECKSUM, index, addr);
    }
    out->addr = addr;
    out->length = len;
    memcpy(out->signature, t.ptr, 4);
    out->revision = get8(t, ACPI_SDT_OFF_REVISION);
    out->bytes = t;
    return TDS_OK;
}

/* The FACS (ACPI 6.5 5.2.10): its own header, no checksum. */
static tds_status facs_at(const acpi_space *s, uint64_t addr, acpi_range *out, acpi_error *err)
{
    tds_mut_bytes h;
    TDS_TRY(map_or_fail(s, addr, 8, &h, err, ACPI_NO_INDEX));
    uint32_t len = get32(h, 4);
    if (!acpi_sig_eq(h.ptr, "FACS") || len < ACPI_FACS_MIN_SIZE) {
        return acpi_fail(err, ACPI_R_FACS, ACPI_NO_INDEX, addr);
    }
    TDS_TRY(map_or_fail(s, addr, len, &h, err, ACPI_NO_INDEX));
    out->addr = addr;
    out->len = len;
    return TDS_OK;
}

/* ---- the RSDP (ACPI 6.5 5.2.5.3) ------------------------------------------------------------ */

static tds_status rsdp_at(const acpi_space *s, uint64_t addr, acpi_tables *t, acpi_error *err)
{
    tds_mut_bytes r;
    TDS_TRY(map_or_fail(s, addr, ACPI_RSDP_V1_SIZE, &r, err, ACPI_NO_INDEX));
    static const char sig[8] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' '};
    if (!acpi_sig_eq(r.ptr, sig) || !acpi_sig_eq(r.ptr + 4, sig + 4)) {
        return acpi_fail(err, ACPI_R_RSDP_SIGNATURE, ACPI_NO_INDEX, addr);
    }
    if (acpi_sum8(tds_bytes_const(r)) != 0) {
        return acpi_fail(err, ACPI_R_RSDP_CHECKSUM, ACPI_NO_INDEX, addr);
    }
    uint8_t rev = get8(r, ACPI_RSDP_OFF_REVISION);
    uint32_t length = ACPI_RSDP_V1_SIZE;
    uint64_t xsdt = 0;
    if (rev == 1) {
        return acpi_fail(err, ACPI_R_RSDP_REVISION, ACPI_NO_INDEX, addr);
    }
    if (rev >= 2) {
        /* "Larger revision numbers are backward compatible": read 2+ as the 36-byte form. */
        TDS_TRY(map_or_fail(s, addr, ACPI_RSDP_V2_SIZE, &r, err, ACPI_NO_INDEX));
        length = get32(r, ACPI_RSDP_OFF_LENGTH);
        if (length < ACPI_RSDP_V2_SIZE) {
            return acpi_fail(err, ACPI_R_RSDP_LENGTH, ACPI_NO_INDEX, addr);
        }
        tds_mut_bytes whole;
        TDS_TRY(map_or_fail(s, addr, length, &whole, err, ACPI_NO_INDEX));
        if (acpi_sum8(tds_bytes_const(whole)) != 0) {
            return acpi_fail(err, ACPI_R_RSDP_EXT_CHECKSUM, ACPI_NO_INDEX, addr);
        }
        xsdt = get64(r, ACPI_RSDP_OFF_XSDT);
    }
    uint32_t rsdt = get32(r, ACPI_RSDP_OFF_RSDT);
    if (rsdt == 0 && xsdt == 0) {
        return acpi_fail(err, ACPI_R_RSDP_NO_ROOT, ACPI_NO_INDEX, addr);
    }
    t->rsdp_addr = addr;
    t->rsdp_revision = rev;
    t->rsdp_length = length;
    t->rsdt_addr = rsdt;
    t->xsdt_addr = xsdt;
    return TDS_OK;
}

tds_status acpi_rsdp_scan(const acpi_space *s, uint64_t *rsdp_addr)
{
    if (!acpi_space_valid(s) || rsdp_addr == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < s->count; i++) {
        const acpi_region *g = &s->regions[i];
        /* First 16-byte aligned guest address in the region, then every 16 bytes. */
        uint64_t first;
        if (g->mem.len < ACPI_RSDP_V1_SIZE || tds_align_up_u64(g->addr, 16, &first) != TDS_OK) {
            continue;
        }
        for (uint64_t off = first - g->addr; off <= g->mem.len - ACPI_RSDP_V1_SIZE; off += 16) {
            acpi_tables t;
            if (g->mem.ptr[off] == 'R' && rsdp_at(s, g->addr + off, &t, NULL) == TDS_OK) {
                *rsdp_addr = g->addr + off;
                return TDS_OK;
            }
        }
    }
    return TDS_ERR_NOT_FOUND;
}

/* ---- root tables ---------------------------------------------------------------------------- */

/* The root table entries are read from: the XSDT when there is one (what an OS uses). */
static uint64_t root_addr(const acpi_tables *t)
{
    return t->xsdt_addr != 0 ? t->xsdt_addr : t->rsdt_addr;
}

static tds_status root_table(const acpi_space *s, uint64_t addr, bool xsdt, uint32_t *n,
                             acpi_error *err)
{
    acpi_table_ref r;
    TDS_TRY(acpi_table_at(s, addr, xsdt ? "XSDT" : "RSDT", 0, &r, err, ACPI_NO_INDEX));
    uint32_t esz = xsdt ? 8u : 4u;
    uint32_t body = r.length - ACPI_SDT_HEADER_SIZE;
    if (body % esz != 0) {
        return acpi_fail(err, ACPI_R_ROOT_ENTRIES, ACPI_NO_INDEX, addr);
    }
    if (body / esz > ACPI_MAX_TABLES) {
        return acpi_fail(err, ACPI_R_TOO_MANY_TABLES, ACPI_NO_INDEX, addr);
    }
    *n = body / esz;
    return TDS_OK;
}

/* Entry i of the RSDT (xsdt false) or XSDT at addr; the root table was checked. */
static tds_status entry_of(const acpi_space *s, uint64_t addr, bool xsdt, uint32_t i, uint64_t *out)
{
    tds_mut_bytes h;
    if (map(s, addr, ACPI_SDT_HEADER_SIZE, &h) != ACPI_R_NONE) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    tds_mut_bytes r;
    if (map(s, addr, get32(h, ACPI_SDT_OFF_LENGTH), &r) != ACPI_R_NONE) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    tds_cursor c = tds_cursor_make(tds_bytes_const(r));
    size_t off = ACPI_SDT_HEADER_SIZE + (size_t)i * (xsdt ? 8u : 4u);
    TDS_TRY(tds_cursor_seek(&c, off));
    if (xsdt) {
        return tds_cursor_le64(&c, out);
    }
    uint32_t v;
    TDS_TRY(tds_cursor_le32(&c, &v));
    *out = v;
    return TDS_OK;
}

tds_status acpi_root_entry(const void *ctx, uint32_t i, uint64_t *addr)
{
    const acpi_tables *t = ctx;
    return entry_of(&t->space, root_addr(t), t->xsdt_addr != 0, i, addr);
}

/* ---- the list of tables ------------------------------------------------------------------- */

static tds_status table_range(const acpi_space *s, uint64_t addr, acpi_range *out)
{
    tds_mut_bytes h;
    if (map(s, addr, 8, &h) != ACPI_R_NONE) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    out->addr = addr;
    out->len = get32(h, 4); /* SDT and FACS alike: signature, then u32 Length */
    return TDS_OK;
}

tds_status acpi_list_range(const acpi_list *l, const acpi_tables *t, uint32_t k, acpi_range *out)
{
    uint64_t addr = 0;
    if (k < l->n) {
        TDS_TRY(l->get(l->ctx, k, &addr));
    } else if (k == l->n) {
        addr = t->dsdt_addr;
    } else if (k == l->n + 1) {
        addr = t->facs_addr;
    } else {
        return TDS_ERR_INVALID_ARG;
    }
    if (addr == 0) {
        out->addr = 0;
        out->len = 0;
        return TDS_OK;
    }
    return table_range(l->s, addr, out);
}

/* The FADT's DSDT and FACS (ACPI 6.5 5.2.9: the X_ field wins when non-zero). */
static tds_status fadt_links(const acpi_space *s, uint64_t fadt, acpi_tables *t, acpi_error *err,
                             uint32_t index)
{
    acpi_table_ref f;
    TDS_TRY(acpi_table_at(s, fadt, "FACP", ACPI_FADT_MIN_SIZE, &f, err, index));
    uint64_t d32 = get32(f.bytes, 40);
    uint64_t d64 = f.length >= 148 ? get64(f.bytes, 140) : 0;
    if ((d32 != 0 && d64 != 0 && d32 != d64) || (d32 == 0 && d64 == 0)) {
        return acpi_fail(err, ACPI_R_FADT_DSDT, index, fadt);
    }
    uint64_t dsdt = d64 != 0 ? d64 : d32;
    acpi_table_ref d;
    TDS_TRY(acpi_table_at(s, dsdt, "DSDT", 0, &d, err, ACPI_NO_INDEX));
    uint64_t f32 = get32(f.bytes, 36);
    uint64_t f64 = f.length >= 140 ? get64(f.bytes, 132) : 0;
    if (f32 != 0 && f64 != 0 && f32 != f64) {
        return acpi_fail(err, ACPI_R_FADT_FACS, index, fadt);
    }
    uint64_t facs = f64 != 0 ? f64 : f32;
    if (facs != 0) {
        acpi_range fr;
        TDS_TRY(facs_at(s, facs, &fr, err));
    }
    t->fadt_addr = fadt;
    t->dsdt_addr = dsdt;
    t->facs_addr = facs;
    return TDS_OK;
}

/* Range k of the list, its DSDT / FACS, then the extras. */
static tds_status any_range(const acpi_list *l, const acpi_tables *t, const acpi_range *extra,
                            uint32_t k, acpi_range *out)
{
    if (k < l->n + 2) {
        return acpi_list_range(l, t, k, out);
    }
    *out = extra[k - (l->n + 2)];
    return TDS_OK;
}

tds_status acpi_check_entries(const acpi_list *l, const acpi_range *extra, size_t n_extra,
                              acpi_tables *t, acpi_error *err)
{
    acpi_tables links = {0};
    for (uint32_t i = 0; i < l->n; i++) {
        uint64_t addr;
        if (l->get(l->ctx, i, &addr) != TDS_OK) {
            return acpi_fail(err, ACPI_R_INPUT_CHANGED, i, 0);
        }
        if (addr == 0) {
            return acpi_fail(err, ACPI_R_ENTRY_ZERO, i, 0);
        }
        acpi_table_ref r;
        TDS_TRY(acpi_table_at(l->s, addr, NULL, 0, &r, err, i));
        if (acpi_sig_eq(r.signature, "RSDT") || acpi_sig_eq(r.signature, "XSDT")) {
            return acpi_fail(err, ACPI_R_ENTRY_ROOT, i, addr);
        }
        for (uint32_t j = 0; j < i; j++) {
            uint64_t other;
            if (l->get(l->ctx, j, &other) != TDS_OK) {
                return acpi_fail(err, ACPI_R_INPUT_CHANGED, j, 0);
            }
            if (other == addr) {
                return acpi_fail(err, ACPI_R_ENTRY_DUPLICATE, i, addr);
            }
        }
        if (acpi_sig_eq(r.signature, "FACP")) {
            if (links.fadt_addr != 0) {
                return acpi_fail(err, ACPI_R_ENTRY_DUPLICATE, i, addr);
            }
            TDS_TRY(fadt_links(l->s, addr, &links, err, i));
        }
    }
    /* No two structures overlap (each pair once; the lengths were all checked above). */
    uint32_t m = l->n + 2 + (uint32_t)n_extra;
    for (uint32_t a = 0; a < m; a++) {
        acpi_range ra;
        if (any_range(l, &links, extra, a, &ra) != TDS_OK) {
            return acpi_fail(err, ACPI_R_INPUT_CHANGED, a, 0);
        }
        for (uint32_t b = a + 1; b < m; b++) {
            acpi_range rb;
            if (any_range(l, &links, extra, b, &rb) != TDS_OK) {
                return acpi_fail(err, ACPI_R_INPUT_CHANGED, b, 0);
            }
            if (tds_ranges_overlap(ra.addr, ra.len, rb.addr, rb.len)) {
                return acpi_fail(err, ACPI_R_OVERLAP, b < l->n ? b : ACPI_NO_INDEX, rb.addr);
            }
        }
    }
    t->count = l->n;
    t->fadt_addr = links.fadt_addr;
    t->dsdt_addr = links.dsdt_addr;
    t->facs_addr = links.facs_addr;
    return TDS_OK;
}

/* ---- open ------------------------------------------------------------------------------------ */

tds_status acpi_tables_open(const acpi_space *s, uint64_t rsdp_addr, acpi_tables *out,
                            acpi_error *err)
{
    acpi_ok(err);
    if (!acpi_space_valid(s) || out == NULL) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    acpi_tables t;
    memset(&t, 0, sizeof t);
    t.space = *s;
    TDS_TRY(rsdp_at(s, rsdp_addr, &t, err));
    uint32_t n_rsdt = 0;
    uint32_t n_xsdt = 0;
    acpi_range extra[3] = {{rsdp_addr, t.rsdp_length}, {0, 0}, {0, 0}};
    if (t.rsdt_addr != 0) {
        TDS_TRY(root_table(s, t.rsdt_addr, false, &n_rsdt, err));
        TDS_TRY(table_range(s, t.rsdt_addr, &extra[1]));
    }
    if (t.xsdt_addr != 0) {
        TDS_TRY(root_table(s, t.xsdt_addr, true, &n_xsdt, err));
        TDS_TRY(table_range(s, t.xsdt_addr, &extra[2]));
    }
    uint32_t n = t.xsdt_addr != 0 ? n_xsdt : n_rsdt;
    if (t.rsdt_addr != 0 && t.xsdt_addr != 0) {
        /* An OS reads one of them: they must say the same. */
        if (n_rsdt != n_xsdt) {
            return acpi_fail(err, ACPI_R_ROOT_MISMATCH, ACPI_NO_INDEX, t.rsdt_addr);
        }
        for (uint32_t i = 0; i < n; i++) {
            uint64_t a;
            uint64_t b;
            if (entry_of(s, t.rsdt_addr, false, i, &a) != TDS_OK ||
                entry_of(s, t.xsdt_addr, true, i, &b) != TDS_OK) {
                return acpi_fail(err, ACPI_R_INPUT_CHANGED, i, 0);
            }
            if (a != b) {
                return acpi_fail(err, ACPI_R_ROOT_MISMATCH, i, t.rsdt_addr);
            }
        }
    }
    acpi_list l = {s, acpi_root_entry, &t, n};
    TDS_TRY(acpi_check_entries(&l, extra, TDS_ARRAY_LEN(extra), &t, err));
    *out = t;
    return TDS_OK;
}

tds_status acpi_tables_entry(const acpi_tables *t, uint32_t index, acpi_table_ref *out)
{
    if (t == NULL || out == NULL || index >= t->count) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t addr;
    TDS_TRY(acpi_root_entry(t, index, &addr));
    return acpi_table_at(&t->space, addr, NULL, 0, out, NULL, index);
}

tds_status acpi_tables_find(const acpi_tables *t, const char *sig, acpi_table_ref *out,
                            uint32_t *index)
{
    if (t == NULL || sig == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    for (uint32_t i = 0; i < t->count; i++) {
        acpi_table_ref r;
        TDS_TRY(acpi_tables_entry(t, i, &r));
        if (acpi_sig_eq(r.signature, sig)) {
            *out = r;
            if (index != NULL) {
                *index = i;
            }
            return TDS_OK;
        }
    }
    return TDS_ERR_NOT_FOUND;
}

/* ---- FADT (ACPI 6.5 5.2.9, Table 5.9) -------------------------------------------------------- */

static acpi_gas gas_at(tds_mut_bytes b, size_t off)
{
    acpi_gas g = {get8(b, off), get8(b, off + 1), get8(b, off + 2), get8(b, off + 3),
                  get64(b, off + 4)};
    return g;
}

/* One PM register block: the X_ GAS (at xoff, if the table holds it) when its address is
 * non-zero, else the legacy System I/O block (address at loff, length byte at lenoff). */
static tds_status pm_block(const acpi_table_ref *f, size_t loff, size_t lenoff, size_t xoff,
                           acpi_gas *out, acpi_error *err)
{
    uint32_t legacy = get32(f->bytes, loff);
    uint8_t len = get8(f->bytes, lenoff);
    if (f->length >= xoff + 12u) {
        acpi_gas x = gas_at(f->bytes, xoff);
        if (x.address != 0) {
            if (legacy != 0 && (x.space_id != ACPI_GAS_IO || x.address != legacy)) {
                return acpi_fail(err, ACPI_R_FADT_PM, ACPI_NO_INDEX, f->addr);
            }
            *out = x;
            return TDS_OK;
        }
    }
    if (len > 31) { /* bit_width is a byte */
        return acpi_fail(err, ACPI_R_FADT_PM, ACPI_NO_INDEX, f->addr);
    }
    acpi_gas g = {ACPI_GAS_IO, (uint8_t)(len * 8u), 0, 0, legacy};
    *out = g;
    return TDS_OK;
}

tds_status acpi_fadt_read(const acpi_tables *t, acpi_fadt_info *out, acpi_error *err)
{
    acpi_ok(err);
    if (t == NULL || out == NULL || !acpi_space_valid(&t->space)) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    if (t->fadt_addr == 0) {
        return acpi_fail(err, ACPI_R_NOT_FOUND, ACPI_NO_INDEX, 0);
    }
    acpi_table_ref f;
    TDS_TRY(
        acpi_table_at(&t->space, t->fadt_addr, "FACP", ACPI_FADT_MIN_SIZE, &f, err, ACPI_NO_INDEX));
    acpi_fadt_info i;
    memset(&i, 0, sizeof i);
    i.addr = f.addr;
    i.length = f.length;
    i.revision = f.revision;
    i.sci_int = get16(f.bytes, 46);
    i.smi_cmd = get32(f.bytes, 48);
    i.acpi_enable = get8(f.bytes, 52);
    i.acpi_disable = get8(f.bytes, 53);
    i.flags = get32(f.bytes, 112);
    TDS_TRY(pm_block(&f, 56, 88, 148, &i.pm1a_evt, err));
    TDS_TRY(pm_block(&f, 64, 89, 172, &i.pm1a_cnt, err));
    TDS_TRY(pm_block(&f, 76, 91, 208, &i.pm_tmr, err));
    i.pm_base = i.pm1a_evt.address;
    if (f.length >= 129) {
        i.reset_reg = gas_at(f.bytes, 116);
        i.reset_value = get8(f.bytes, 128);
    }
    i.dsdt = t->dsdt_addr;
    i.facs = t->facs_addr;
    *out = i;
    return TDS_OK;
}

tds_status acpi_fadt_check_pm_base(const acpi_fadt_info *f, uint16_t pm_base)
{
    if (f == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (f->pm1a_evt.space_id != ACPI_GAS_IO || f->pm1a_evt.address != pm_base ||
        f->pm1a_cnt.space_id != ACPI_GAS_IO || f->pm1a_cnt.address != (uint64_t)pm_base + 4u ||
        f->pm_tmr.space_id != ACPI_GAS_IO || f->pm_tmr.address != (uint64_t)pm_base + 8u) {
        return TDS_ERR_MISMATCH;
    }
    return TDS_OK;
}

/* ---- MCFG (PCI Firmware Specification 3.x 4.1.2) -------------------------------------------- */

tds_status acpi_mcfg_read(const acpi_tables *t, uint32_t index, acpi_mcfg_entry *out,
                          uint32_t *count, acpi_error *err)
{
    acpi_ok(err);
    if (t == NULL || out == NULL || count == NULL || !acpi_space_valid(&t->space)) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    acpi_table_ref m;
    uint32_t at = 0;
    if (acpi_tables_find(t, "MCFG", &m, &at) != TDS_OK) {
        return acpi_fail(err, ACPI_R_NOT_FOUND, ACPI_NO_INDEX, 0);
    }
    if (m.length < ACPI_MCFG_HEADER_SIZE ||
        (m.length - ACPI_MCFG_HEADER_SIZE) % ACPI_MCFG_ENTRY_SIZE != 0) {
        return acpi_fail(err, ACPI_R_TABLE_LENGTH, at, m.addr);
    }
    uint32_t n = (m.length - ACPI_MCFG_HEADER_SIZE) / ACPI_MCFG_ENTRY_SIZE;
    acpi_mcfg_entry found = {0, 0, 0, 0};
    for (uint32_t k = 0; k < n; k++) {
        size_t off = ACPI_MCFG_HEADER_SIZE + (size_t)k * ACPI_MCFG_ENTRY_SIZE;
        acpi_mcfg_entry e = {get64(m.bytes, off), get16(m.bytes, off + 8), get8(m.bytes, off + 10),
                             get8(m.bytes, off + 11)};
        /* Each bus has 1 MiB of ECAM space, counted from the base (bus 0). */
        uint64_t end;
        if (e.start_bus > e.end_bus ||
            tds_range_end(e.base, ((uint64_t)e.end_bus + 1u) << 20, &end) != TDS_OK) {
            return acpi_fail(err, ACPI_R_MCFG_ENTRY, at, m.addr);
        }
        if (k == index) {
            found = e;
        }
    }
    if (index >= n) {
        return acpi_fail(err, ACPI_R_NOT_FOUND, at, m.addr);
    }
    *out = found;
    *count = n;
    return TDS_OK;
}
