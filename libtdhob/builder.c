/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Payload HOB builder (td-shim doc/tdshim_spec.md, payload hand-off). Reserve-then-write (safe-C
 * rule 10, docs/safe-c.md): every add checks its whole size against the space left (minus the 8
 * bytes held back for END) before writing anything; errors stick (safe-C rule 11, docs/safe-c.md).
 */
#include "tdhob_internal.h"

#define END_SIZE sizeof(tdhob_wire_header)

static tds_status stick(tdhob_builder *b, tds_status s)
{
    if (s != TDS_OK && b->error == TDS_OK) {
        b->error = s;
    }
    return s;
}

/* Reserve `len` bytes (a multiple of 8) for one HOB and write its header. */
static tds_status reserve(tdhob_builder *b, uint16_t type, size_t len, uint8_t **out)
{
    if (b == NULL || b->buf.ptr == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (b->finished) {
        return TDS_ERR_STATE;
    }
    if (b->error != TDS_OK) {
        return b->error;
    }
    if (len > 0xFFF8u || (len & 7u) != 0) {
        return stick(b, TDS_ERR_INVALID_ARG);
    }
    /* Invariant: pos + END_SIZE <= buf.len. */
    if (len > b->buf.len - END_SIZE - b->pos) {
        return stick(b, TDS_ERR_NO_SPACE);
    }
    uint8_t *p = b->buf.ptr + b->pos;
    memset(p, 0, len);
    tds_store_le16(p + offsetof(tdhob_wire_header, hob_type), type);
    tds_store_le16(p + offsetof(tdhob_wire_header, hob_length), (uint16_t)len);
    b->pos += len;
    *out = p;
    return TDS_OK;
}

/* The same range rules the validator applies, checked before anything is written. */
static tds_status check_mem_range(const tdhob_builder *b, uint64_t start, uint64_t len)
{
    uint64_t end;
    if (len == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(tds_range_end(start, len, &end));
    if (!tds_is_aligned_u64(start, TDHOB_PAGE) || !tds_is_aligned_u64(len, TDHOB_PAGE)) {
        return TDS_ERR_ALIGNMENT;
    }
    if (end > (1ull << (b->gpaw - 1u))) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    return TDS_OK;
}

tds_status tdhob_builder_init(tdhob_builder *b, tds_mut_bytes buf, uint64_t gpa, uint32_t gpaw,
                              const tdhob_phit_params *phit)
{
    if (b == NULL || phit == NULL || buf.ptr == NULL || !tds_bytes_valid(tds_bytes_const(buf))) {
        return TDS_ERR_INVALID_ARG;
    }
    if ((gpaw != 48u && gpaw != 52u) || !tds_is_aligned_u64(gpa, 8)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (buf.len < sizeof(tdhob_wire_phit) + END_SIZE) {
        return TDS_ERR_NO_SPACE;
    }
    tdhob_builder nb;
    memset(&nb, 0, sizeof nb);
    nb.buf = buf;
    nb.gpa = gpa;
    nb.gpaw = gpaw;
    nb.error = TDS_OK;
    uint8_t *p;
    TDS_TRY(reserve(&nb, TDHOB_TYPE_HANDOFF, sizeof(tdhob_wire_phit), &p));
    tds_store_le32(p + offsetof(tdhob_wire_phit, version), TDHOB_PHIT_VERSION);
    tds_store_le32(p + offsetof(tdhob_wire_phit, boot_mode), phit->boot_mode);
    tds_store_le64(p + offsetof(tdhob_wire_phit, efi_memory_top), phit->memory_top);
    tds_store_le64(p + offsetof(tdhob_wire_phit, efi_memory_bottom), phit->memory_bottom);
    tds_store_le64(p + offsetof(tdhob_wire_phit, efi_free_memory_top), phit->free_memory_top);
    tds_store_le64(p + offsetof(tdhob_wire_phit, efi_free_memory_bottom), phit->free_memory_bottom);
    *b = nb;
    return TDS_OK;
}

tds_status tdhob_add_cpu(tdhob_builder *b, uint8_t memory_space_bits, uint8_t io_space_bits)
{
    uint8_t *p;
    TDS_TRY(reserve(b, TDHOB_TYPE_CPU, sizeof(tdhob_wire_cpu), &p));
    p[offsetof(tdhob_wire_cpu, size_of_memory_space)] = memory_space_bits;
    p[offsetof(tdhob_wire_cpu, size_of_io_space)] = io_space_bits;
    return TDS_OK;
}

tds_status tdhob_add_resource(tdhob_builder *b, const tdhob_resource *r)
{
    if (b == NULL || r == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (r->type >= TDHOB_RES_TYPE_COUNT || (r->attribute & ~TDHOB_ATTR_KNOWN_MASK) != 0) {
        return stick(b, TDS_ERR_INVALID_ARG);
    }
    if (!tdhob_is_io_type(r->type)) {
        TDS_TRY(stick(b, check_mem_range(b, r->start, r->length)));
    }
    uint8_t *p;
    TDS_TRY(reserve(b, TDHOB_TYPE_RESOURCE_DESCRIPTOR, sizeof(tdhob_wire_resource), &p));
    memcpy(p + offsetof(tdhob_wire_resource, owner), r->owner.b, sizeof r->owner.b);
    tds_store_le32(p + offsetof(tdhob_wire_resource, resource_type), r->type);
    tds_store_le32(p + offsetof(tdhob_wire_resource, resource_attribute), r->attribute);
    tds_store_le64(p + offsetof(tdhob_wire_resource, physical_start), r->start);
    tds_store_le64(p + offsetof(tdhob_wire_resource, resource_length), r->length);
    return TDS_OK;
}

tds_status tdhob_add_memalloc(tdhob_builder *b, const tdhob_memalloc *m)
{
    if (b == NULL || m == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(stick(b, check_mem_range(b, m->base, m->length)));
    uint8_t *p;
    TDS_TRY(reserve(b, TDHOB_TYPE_MEMORY_ALLOCATION, sizeof(tdhob_wire_memalloc), &p));
    memcpy(p + offsetof(tdhob_wire_memalloc, name), m->name.b, sizeof m->name.b);
    tds_store_le64(p + offsetof(tdhob_wire_memalloc, memory_base_address), m->base);
    tds_store_le64(p + offsetof(tdhob_wire_memalloc, memory_length), m->length);
    tds_store_le32(p + offsetof(tdhob_wire_memalloc, memory_type), m->memory_type);
    return TDS_OK;
}

tds_status tdhob_add_fv(tdhob_builder *b, uint64_t base, uint64_t length)
{
    if (b == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(stick(b, check_mem_range(b, base, length)));
    uint8_t *p;
    TDS_TRY(reserve(b, TDHOB_TYPE_FV, sizeof(tdhob_wire_fv), &p));
    tds_store_le64(p + offsetof(tdhob_wire_fv, base_address), base);
    tds_store_le64(p + offsetof(tdhob_wire_fv, length), length);
    return TDS_OK;
}

tds_status tdhob_add_guid(tdhob_builder *b, const tds_guid *name, tds_bytes data)
{
    if (b == NULL || name == NULL || !tds_bytes_valid(data)) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t len;
    TDS_TRY(stick(b, tds_add_size(sizeof(tdhob_wire_guid), data.len, &len)));
    TDS_TRY(stick(b, tds_align_up_size(len, 8, &len)));
    if (len > 0xFFF8u) {
        return stick(b, TDS_ERR_NO_SPACE); /* cannot be described by a 16-bit HobLength */
    }
    uint8_t *p;
    TDS_TRY(reserve(b, TDHOB_TYPE_GUID_EXTENSION, len, &p));
    memcpy(p + offsetof(tdhob_wire_guid, name), name->b, sizeof name->b);
    if (data.len != 0) {
        memcpy(p + sizeof(tdhob_wire_guid), data.ptr, data.len);
    }
    return TDS_OK;
}

tds_status tdhob_add_payload_info(tdhob_builder *b, const tdhob_payload_info *info)
{
    if (b == NULL || info == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (info->image_type > TDHOB_PAYLOAD_RAW_VMLINUX) {
        return stick(b, TDS_ERR_INVALID_ARG);
    }
    uint8_t d[sizeof(tdhob_wire_payload_info)] = {0};
    tds_store_le32(d + offsetof(tdhob_wire_payload_info, image_type), info->image_type);
    tds_store_le64(d + offsetof(tdhob_wire_payload_info, entry_point), info->entry_point);
    return tdhob_add_guid(b, &tdhob_guid_payload_info, tds_bytes_make(d, sizeof d));
}

tds_status tdhob_add_e820(tdhob_builder *b, const tdhob_e820_entry *entries, size_t n)
{
    if (b == NULL || (entries == NULL && n != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (n == 0) {
        return stick(b, TDS_ERR_INVALID_ARG);
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t end;
        if (entries[i].size == 0) {
            return stick(b, TDS_ERR_INVALID_ARG);
        }
        TDS_TRY(stick(b, tds_range_end(entries[i].addr, entries[i].size, &end)));
    }
    const size_t esz = sizeof(tdhob_wire_e820);
    size_t dlen;
    size_t len;
    TDS_TRY(stick(b, tds_mul_size(n, esz, &dlen)));
    TDS_TRY(stick(b, tds_add_size(dlen, sizeof(tdhob_wire_guid), &len)));
    TDS_TRY(stick(b, tds_align_up_size(len, 8, &len)));
    if (len > 0xFFF8u) {
        return stick(b, TDS_ERR_NO_SPACE);
    }
    uint8_t *p;
    TDS_TRY(reserve(b, TDHOB_TYPE_GUID_EXTENSION, len, &p));
    memcpy(p + offsetof(tdhob_wire_guid, name), tdhob_guid_e820_table.b, 16);
    uint8_t *d = p + sizeof(tdhob_wire_guid);
    for (size_t i = 0; i < n; i++) {
        uint8_t *e = d + i * esz;
        tds_store_le64(e + offsetof(tdhob_wire_e820, addr), entries[i].addr);
        tds_store_le64(e + offsetof(tdhob_wire_e820, size), entries[i].size);
        tds_store_le32(e + offsetof(tdhob_wire_e820, type), entries[i].type);
    }
    return TDS_OK;
}

tds_status tdhob_add_acpi_table(tdhob_builder *b, tds_bytes table)
{
    if (b == NULL || !tds_bytes_valid(table)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (table.len < TDHOB_ACPI_HEADER_SIZE ||
        tds_load_le32(table.ptr + TDHOB_ACPI_LENGTH_OFFSET) != table.len) {
        return stick(b, TDS_ERR_MALFORMED);
    }
    return tdhob_add_guid(b, &tdhob_guid_acpi_table, table);
}

tds_status tdhob_finish(tdhob_builder *b, tdhob_scratch_entry *scratch, size_t scratch_cap,
                        tds_bytes *out)
{
    if (b == NULL || out == NULL || b->buf.ptr == NULL || (scratch == NULL && scratch_cap != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (b->finished) {
        return TDS_ERR_STATE;
    }
    tds_status s = b->error;
    if (s == TDS_OK) {
        /* END always fits: reserve() held back END_SIZE bytes. */
        uint8_t *p = b->buf.ptr + b->pos;
        memset(p, 0, END_SIZE);
        tds_store_le16(p, TDHOB_TYPE_END_OF_HOB_LIST);
        tds_store_le16(p + 2, (uint16_t)END_SIZE);
        b->pos += END_SIZE;
        uint64_t end = 0;
        s = tds_add_u64(b->gpa, (uint64_t)b->pos, &end);
        if (s == TDS_OK) {
            tds_store_le64(b->buf.ptr + offsetof(tdhob_wire_phit, efi_end_of_hob_list), end);
            tdhob_config cfg = {b->gpa, false, b->gpaw, TDHOB_CONV_AUTO, scratch, scratch_cap};
            tdhob_view v; /* dropped: the scratch is the caller's again on return */
            tds_bytes res = tds_bytes_make(b->buf.ptr, b->pos);
            s = tdhob_validate(res, &cfg, &v, NULL);
            if (s == TDS_OK) {
                b->finished = true;
                *out = res;
                return TDS_OK;
            }
        }
    }
    /* Nothing half-built leaves this function: wipe what was written and stay failed. */
    memset(b->buf.ptr, 0, b->pos);
    b->pos = 0;
    b->error = s;
    b->finished = true;
    return s;
}
