/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Changing the tables: a new RSDT / XSDT with the MADT replaced and tables appended
 * (acpi_tables_edit), or a fresh RSDP + XSDT (acpi_build_root). Both check everything first and
 * then write; both finish by opening the result as a reader would.
 */
#include "acpi_int.h"

void acpi_put_header(uint8_t *p, const char *sig, uint32_t length, uint8_t revision,
                     const acpi_ids *ids)
{
    memcpy(p, sig, 4);
    tds_store_le32(p + ACPI_SDT_OFF_LENGTH, length);
    p[ACPI_SDT_OFF_REVISION] = revision;
    p[ACPI_SDT_OFF_CHECKSUM] = 0;
    memcpy(p + 10, ids->oem_id, 6);
    memcpy(p + 16, ids->oem_table_id, 8);
    tds_store_le32(p + 24, ids->oem_revision);
    memcpy(p + 28, ids->creator_id, 4);
    tds_store_le32(p + 32, ids->creator_revision);
}

void acpi_fix_checksum(uint8_t *p, size_t len, size_t at)
{
    p[at] = 0;
    p[at] = (uint8_t)(0u - acpi_sum8(tds_bytes_make(p, len)));
}

/* A table that is never listed in a root table. */
static bool unlisted_signature(const uint8_t *sig)
{
    return acpi_sig_eq(sig, "RSDT") || acpi_sig_eq(sig, "XSDT") || acpi_sig_eq(sig, "FACS") ||
           acpi_sig_eq(sig, "DSDT") || acpi_sig_eq(sig, "RSD ");
}

/* ---- the edited list ------------------------------------------------------------------------ */

typedef struct edit_list {
    const acpi_tables *t;
    const acpi_edit *e;
    uint32_t apic;   /* index of the listed MADT, or ACPI_NO_INDEX */
    uint32_t n_base; /* entries before the appended ones */
} edit_list;

static tds_status edit_entry(const void *ctx, uint32_t i, uint64_t *addr)
{
    const edit_list *l = ctx;
    if (i < l->t->count) {
        if (l->e->madt != 0 && i == l->apic) {
            *addr = l->e->madt;
            return TDS_OK;
        }
        return acpi_root_entry(l->t, i, addr);
    }
    if (i < l->n_base) { /* the MADT, appended because none was listed */
        *addr = l->e->madt;
        return TDS_OK;
    }
    if (i - l->n_base >= l->e->n_add) {
        return TDS_ERR_INVALID_ARG;
    }
    *addr = l->e->add[i - l->n_base];
    return TDS_OK;
}

/* Signature of entry i of a checked list. */
static tds_status list_sig(const acpi_list *l, uint32_t i, uint8_t sig[4])
{
    uint64_t addr;
    TDS_TRY(l->get(l->ctx, i, &addr));
    tds_mut_bytes h;
    TDS_TRY(acpi_space_map(l->s, addr, 4, &h));
    memcpy(sig, h.ptr, 4);
    return TDS_OK;
}

/* Appended tables [first, n): not a table that is never listed, and a signature not yet in the
 * list (SSDTs may repeat). The list was checked (every entry maps). */
static tds_status check_appended(const acpi_list *l, uint32_t first, acpi_error *err)
{
    for (uint32_t i = first; i < l->n; i++) {
        uint8_t sig[4];
        uint64_t addr = 0;
        if (list_sig(l, i, sig) != TDS_OK || l->get(l->ctx, i, &addr) != TDS_OK) {
            return acpi_fail(err, ACPI_R_INPUT_CHANGED, i, 0);
        }
        if (unlisted_signature(sig)) {
            return acpi_fail(err, ACPI_R_TABLE_SIGNATURE, i, addr);
        }
        if (acpi_sig_eq(sig, "SSDT")) {
            continue;
        }
        for (uint32_t j = 0; j < i; j++) {
            uint8_t o[4];
            if (list_sig(l, j, o) != TDS_OK) {
                return acpi_fail(err, ACPI_R_INPUT_CHANGED, j, 0);
            }
            if (memcmp(o, sig, 4) == 0) {
                return acpi_fail(err, ACPI_R_SIGNATURE_EXISTS, i, addr);
            }
        }
    }
    return TDS_OK;
}

/* A new structure [addr, addr + len) must not overlap any range of the list (entries, DSDT,
 * FACS) nor the `others`. */
static tds_status check_room(const acpi_list *l, const acpi_tables *links, uint64_t addr,
                             uint64_t len, const acpi_range *others, size_t n_others,
                             acpi_error *err)
{
    for (uint32_t k = 0; k < l->n + 2; k++) {
        acpi_range r;
        if (acpi_list_range(l, links, k, &r) != TDS_OK) {
            return acpi_fail(err, ACPI_R_INPUT_CHANGED, k, 0);
        }
        if (tds_ranges_overlap(addr, len, r.addr, r.len)) {
            return acpi_fail(err, ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX, addr);
        }
    }
    for (size_t k = 0; k < n_others; k++) {
        if (tds_ranges_overlap(addr, len, others[k].addr, others[k].len)) {
            return acpi_fail(err, ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX, addr);
        }
    }
    return TDS_OK;
}

/* Map a room of `need` bytes at addr given `have` (ROOM if not given, too small or unmapped). */
static tds_status map_room(const acpi_space *s, uint64_t addr, uint64_t have, uint64_t need,
                           tds_mut_bytes *out, acpi_error *err)
{
    tds_mut_bytes m = {NULL, 0};
    if (addr == 0 || have < need || acpi_space_map(s, addr, need, &m) != TDS_OK || m.ptr == NULL ||
        m.len < need) {
        return acpi_fail(err, ACPI_R_ROOM, ACPI_NO_INDEX, addr);
    }
    *out = m;
    return TDS_OK;
}

/* Write a root table at out: the old header's identity (old_hdr), the list's entries. */
static tds_status write_root(tds_mut_bytes out, tds_mut_bytes old_hdr, bool xsdt,
                             const acpi_list *l)
{
    uint32_t esz = xsdt ? 8u : 4u;
    if (old_hdr.ptr == NULL || old_hdr.len < ACPI_SDT_HEADER_SIZE || out.ptr == NULL ||
        out.len < ACPI_SDT_HEADER_SIZE + (size_t)l->n * esz) {
        return TDS_ERR_STATE;
    }
    memcpy(out.ptr, old_hdr.ptr, ACPI_SDT_HEADER_SIZE);
    tds_store_le32(out.ptr + ACPI_SDT_OFF_LENGTH, (uint32_t)out.len);
    for (uint32_t i = 0; i < l->n; i++) {
        uint64_t addr;
        TDS_TRY(l->get(l->ctx, i, &addr));
        uint8_t *p = out.ptr + ACPI_SDT_HEADER_SIZE + (size_t)i * esz;
        if (xsdt) {
            tds_store_le64(p, addr);
        } else {
            tds_store_le32(p, (uint32_t)addr); /* checked < 2^32 */
        }
    }
    acpi_fix_checksum(out.ptr, out.len, ACPI_SDT_OFF_CHECKSUM);
    return TDS_OK;
}

tds_status acpi_tables_edit(acpi_tables *t, const acpi_edit *e, acpi_error *err)
{
    acpi_ok(err);
    if (t == NULL || e == NULL || (e->add == NULL && e->n_add != 0) || e->n_add > ACPI_MAX_TABLES ||
        !acpi_space_valid(&t->space)) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    if (e->madt == 0 && e->n_add == 0) {
        return TDS_OK;
    }
    const acpi_space *s = &t->space;
    edit_list el = {t, e, ACPI_NO_INDEX, t->count};
    if (e->madt != 0) {
        acpi_table_ref m;
        TDS_TRY(acpi_table_at(s, e->madt, "APIC", 44, &m, err, ACPI_NO_INDEX));
        for (uint32_t i = 0; i < t->count; i++) {
            acpi_table_ref r;
            if (acpi_tables_entry(t, i, &r) != TDS_OK) {
                return acpi_fail(err, ACPI_R_INPUT_CHANGED, i, 0);
            }
            if (acpi_sig_eq(r.signature, "APIC")) {
                if (el.apic != ACPI_NO_INDEX) {
                    return acpi_fail(err, ACPI_R_ENTRY_DUPLICATE, i, r.addr);
                }
                el.apic = i;
            }
        }
        if (el.apic == ACPI_NO_INDEX) {
            el.n_base = t->count + 1;
        }
    }
    uint64_t n = (uint64_t)el.n_base + e->n_add;
    if (n > ACPI_MAX_TABLES) {
        return acpi_fail(err, ACPI_R_TOO_MANY_TABLES, ACPI_NO_INDEX, 0);
    }
    acpi_list l = {s, edit_entry, &el, (uint32_t)n};

    /* The new list, checked as a reader would check it, next to the RSDP and the old roots. */
    acpi_tables links;
    memset(&links, 0, sizeof links);
    acpi_range fixed[3] = {{t->rsdp_addr, t->rsdp_length}, {0, 0}, {0, 0}};
    tds_mut_bytes old_rsdt = {NULL, 0};
    tds_mut_bytes old_xsdt = {NULL, 0};
    if (t->rsdt_addr != 0) {
        acpi_table_ref r;
        TDS_TRY(acpi_table_at(s, t->rsdt_addr, "RSDT", 0, &r, err, ACPI_NO_INDEX));
        fixed[1].addr = r.addr;
        fixed[1].len = r.length;
        old_rsdt = r.bytes;
    }
    if (t->xsdt_addr != 0) {
        acpi_table_ref r;
        TDS_TRY(acpi_table_at(s, t->xsdt_addr, "XSDT", 0, &r, err, ACPI_NO_INDEX));
        fixed[2].addr = r.addr;
        fixed[2].len = r.length;
        old_xsdt = r.bytes;
    }
    TDS_TRY(acpi_check_entries(&l, fixed, TDS_ARRAY_LEN(fixed), &links, err));
    TDS_TRY(check_appended(&l, t->count, err));

    /* The rooms: given, large enough, 32-bit where the RSDT needs it, overlapping nothing. */
    tds_mut_bytes rsdt = {NULL, 0};
    tds_mut_bytes xsdt = {NULL, 0};
    acpi_range others[5] = {fixed[0], fixed[1], fixed[2], {0, 0}, {0, 0}};
    if (t->rsdt_addr != 0) {
        uint64_t need = ACPI_SDT_HEADER_SIZE + 4u * n;
        TDS_TRY(map_room(s, e->rsdt_room, e->rsdt_room_len, need, &rsdt, err));
        if (e->rsdt_room > UINT32_MAX) {
            return acpi_fail(err, ACPI_R_ABOVE_4G, ACPI_NO_INDEX, e->rsdt_room);
        }
        for (uint32_t i = 0; i < l.n; i++) {
            uint64_t addr = 0;
            if (edit_entry(&el, i, &addr) != TDS_OK) {
                return acpi_fail(err, ACPI_R_INPUT_CHANGED, i, 0);
            }
            if (addr > UINT32_MAX) {
                return acpi_fail(err, ACPI_R_ABOVE_4G, i, addr);
            }
        }
        others[3].addr = e->rsdt_room;
        others[3].len = need;
        TDS_TRY(check_room(&l, &links, e->rsdt_room, need, others, 3, err));
    }
    if (t->xsdt_addr != 0) {
        uint64_t need = ACPI_SDT_HEADER_SIZE + 8u * n;
        TDS_TRY(map_room(s, e->xsdt_room, e->xsdt_room_len, need, &xsdt, err));
        others[4].addr = e->xsdt_room;
        others[4].len = need;
        TDS_TRY(check_room(&l, &links, e->xsdt_room, need, others, 4, err));
    }

    /* Write: the new roots, then the RSDP that points at them. */
    tds_mut_bytes rsdp = {NULL, 0};
    if (acpi_space_map(s, t->rsdp_addr, t->rsdp_length, &rsdp) != TDS_OK || rsdp.ptr == NULL ||
        rsdp.len < t->rsdp_length || rsdp.len < ACPI_RSDP_V1_SIZE ||
        (rsdt.len != 0 && write_root(rsdt, old_rsdt, false, &l) != TDS_OK) ||
        (xsdt.len != 0 && write_root(xsdt, old_xsdt, true, &l) != TDS_OK)) {
        return acpi_fail(err, ACPI_R_INPUT_CHANGED, ACPI_NO_INDEX, 0);
    }
    if (rsdt.len != 0) {
        tds_store_le32(rsdp.ptr + ACPI_RSDP_OFF_RSDT, (uint32_t)e->rsdt_room);
    }
    if (xsdt.len != 0) {
        tds_store_le64(rsdp.ptr + ACPI_RSDP_OFF_XSDT, e->xsdt_room);
    }
    acpi_fix_checksum(rsdp.ptr, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
    if (t->rsdp_revision >= 2) {
        acpi_fix_checksum(rsdp.ptr, rsdp.len, ACPI_RSDP_OFF_EXT_CHECKSUM);
    }

    acpi_tables edited;
    TDS_TRY(acpi_tables_open(s, t->rsdp_addr, &edited, err));
    *t = edited;
    return TDS_OK;
}

/* ---- a fresh root -----------------------------------------------------------------------------
 */

static tds_status array_entry(const void *ctx, uint32_t i, uint64_t *addr)
{
    const uint64_t *tables = ctx;
    *addr = tables[i];
    return TDS_OK;
}

tds_status acpi_build_root(const acpi_space *s, const uint64_t *tables, size_t n,
                           const acpi_ids *ids, uint64_t rsdp_addr, uint64_t xsdt_addr,
                           acpi_error *err)
{
    acpi_ok(err);
    if (!acpi_space_valid(s) || ids == NULL || (tables == NULL && n != 0)) {
        return acpi_fail(err, ACPI_R_BAD_ARG, ACPI_NO_INDEX, 0);
    }
    if (n > ACPI_MAX_TABLES) {
        return acpi_fail(err, ACPI_R_TOO_MANY_TABLES, ACPI_NO_INDEX, 0);
    }
    static const uint64_t none[1] = {0};
    if (tables == NULL) { /* n == 0 */
        tables = none;
    }
    acpi_list l = {s, array_entry, tables, (uint32_t)n};
    acpi_tables links;
    memset(&links, 0, sizeof links);
    TDS_TRY(acpi_check_entries(&l, NULL, 0, &links, err));
    for (size_t i = 0; i < n; i++) {
        tds_mut_bytes h = {NULL, 0};
        if (acpi_space_map(s, tables[i], 4, &h) != TDS_OK || h.ptr == NULL) {
            return acpi_fail(err, ACPI_R_INPUT_CHANGED, (uint32_t)i, tables[i]);
        }
        if (unlisted_signature(h.ptr)) {
            return acpi_fail(err, ACPI_R_TABLE_SIGNATURE, (uint32_t)i, tables[i]);
        }
    }
    uint32_t xlen = ACPI_SDT_HEADER_SIZE + 8u * (uint32_t)n;
    tds_mut_bytes rsdp = {NULL, 0};
    tds_mut_bytes xsdt = {NULL, 0};
    TDS_TRY(map_room(s, rsdp_addr, ACPI_RSDP_V2_SIZE, ACPI_RSDP_V2_SIZE, &rsdp, err));
    TDS_TRY(map_room(s, xsdt_addr, xlen, xlen, &xsdt, err));
    acpi_range rr = {rsdp_addr, ACPI_RSDP_V2_SIZE};
    TDS_TRY(check_room(&l, &links, rsdp_addr, ACPI_RSDP_V2_SIZE, NULL, 0, err));
    TDS_TRY(check_room(&l, &links, xsdt_addr, xlen, &rr, 1, err));

    acpi_put_header(xsdt.ptr, "XSDT", xlen, 1, ids);
    for (size_t i = 0; i < n; i++) {
        tds_store_le64(xsdt.ptr + ACPI_SDT_HEADER_SIZE + i * 8u, tables[i]);
    }
    acpi_fix_checksum(xsdt.ptr, xlen, ACPI_SDT_OFF_CHECKSUM);

    memset(rsdp.ptr, 0, ACPI_RSDP_V2_SIZE);
    memcpy(rsdp.ptr, "RSD PTR ", 8);
    memcpy(rsdp.ptr + ACPI_RSDP_OFF_OEM_ID, ids->oem_id, 6);
    rsdp.ptr[ACPI_RSDP_OFF_REVISION] = 2;
    tds_store_le32(rsdp.ptr + ACPI_RSDP_OFF_LENGTH, ACPI_RSDP_V2_SIZE);
    tds_store_le64(rsdp.ptr + ACPI_RSDP_OFF_XSDT, xsdt_addr);
    acpi_fix_checksum(rsdp.ptr, ACPI_RSDP_V1_SIZE, ACPI_RSDP_OFF_CHECKSUM);
    acpi_fix_checksum(rsdp.ptr, ACPI_RSDP_V2_SIZE, ACPI_RSDP_OFF_EXT_CHECKSUM);

    acpi_tables built;
    return acpi_tables_open(s, rsdp_addr, &built, err);
}
