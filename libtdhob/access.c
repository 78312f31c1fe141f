/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Accessors over a checked view. They re-read the validated bytes through a cursor. */
#include "tdhob_internal.h"

/* td-shim GUIDs (td-shim doc/tdshim_spec.md, GUID HOBs). */
const tds_guid tdhob_guid_acpi_table =
    TDS_GUID_INIT(0x6a0c5870u, 0xd4edu, 0x44f4u, 0xa1, 0x35, 0xdd, 0x23, 0x8b, 0x6f, 0x0c, 0x8d);
const tds_guid tdhob_guid_e820_table =
    TDS_GUID_INIT(0x8f8072eau, 0x3486u, 0x4b47u, 0x86, 0xa7, 0x23, 0x53, 0xb8, 0x8a, 0x87, 0x73);
const tds_guid tdhob_guid_payload_info =
    TDS_GUID_INIT(0xb96fa412u, 0x461fu, 0x4be3u, 0x8c, 0x0d, 0xad, 0x80, 0x5a, 0x49, 0x7a, 0xc0);

/* This project's own GUID (a fixed random value, docs/libtdhob.md "Linux command line"). */
const tds_guid tdhob_guid_linux_cmdline =
    TDS_GUID_INIT(0x9186f69au, 0xeae9u, 0x48aeu, 0x82, 0xf2, 0x47, 0x22, 0xa0, 0xcf, 0x56, 0x73);

static tds_status decode_body(tds_cursor *c, tdhob_item *it)
{
    switch (it->type) {
    case TDHOB_TYPE_HANDOFF: {
        tdhob_phit *p = &it->u.phit;
        TDS_TRY(tds_cursor_le32(c, &p->version));
        TDS_TRY(tds_cursor_le32(c, &p->boot_mode));
        TDS_TRY(tds_cursor_le64(c, &p->memory_top));
        TDS_TRY(tds_cursor_le64(c, &p->memory_bottom));
        TDS_TRY(tds_cursor_le64(c, &p->free_memory_top));
        TDS_TRY(tds_cursor_le64(c, &p->free_memory_bottom));
        return tds_cursor_le64(c, &p->end_of_hob_list);
    }
    case TDHOB_TYPE_RESOURCE_DESCRIPTOR: {
        tdhob_resource *r = &it->u.resource;
        TDS_TRY(tds_cursor_copy(c, r->owner.b, sizeof r->owner.b));
        TDS_TRY(tds_cursor_le32(c, &r->type));
        TDS_TRY(tds_cursor_le32(c, &r->attribute));
        TDS_TRY(tds_cursor_le64(c, &r->start));
        return tds_cursor_le64(c, &r->length);
    }
    case TDHOB_TYPE_MEMORY_ALLOCATION: {
        tdhob_memalloc *m = &it->u.memalloc;
        TDS_TRY(tds_cursor_copy(c, m->name.b, sizeof m->name.b));
        TDS_TRY(tds_cursor_le64(c, &m->base));
        TDS_TRY(tds_cursor_le64(c, &m->length));
        return tds_cursor_le32(c, &m->memory_type);
    }
    case TDHOB_TYPE_GUID_EXTENSION: {
        tdhob_guid_hob *g = &it->u.guid;
        TDS_TRY(tds_cursor_copy(c, g->name.b, sizeof g->name.b));
        return tds_cursor_take(c, tds_cursor_remaining(c), &g->data);
    }
    case TDHOB_TYPE_FV:
    case TDHOB_TYPE_FV2:
    case TDHOB_TYPE_FV3: {
        tdhob_fv *f = &it->u.fv;
        TDS_TRY(tds_cursor_le64(c, &f->base));
        TDS_TRY(tds_cursor_le64(c, &f->length));
        if (it->type == TDHOB_TYPE_FV3) {
            uint8_t extracted;
            TDS_TRY(tds_cursor_le32(c, &f->authentication_status));
            TDS_TRY(tds_cursor_u8(c, &extracted));
            TDS_TRY(tds_cursor_skip(c, 3));
            f->extracted = extracted != 0;
        }
        if (it->type != TDHOB_TYPE_FV) {
            TDS_TRY(tds_cursor_copy(c, f->fv_name.b, sizeof f->fv_name.b));
            TDS_TRY(tds_cursor_copy(c, f->file_name.b, sizeof f->file_name.b));
        }
        return TDS_OK;
    }
    case TDHOB_TYPE_CPU:
        TDS_TRY(tds_cursor_u8(c, &it->u.cpu.memory_space_bits));
        return tds_cursor_u8(c, &it->u.cpu.io_space_bits);
    default: return TDS_OK; /* END: header only */
    }
}

tds_status tdhob_decode_at(tds_bytes hob, size_t off, tdhob_item *out)
{
    tds_bytes rest;
    if (off > hob.len) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    TDS_TRY(tds_bytes_sub(hob, off, hob.len - off, &rest));
    tds_cursor c = tds_cursor_make(rest);
    tdhob_item it;
    memset(&it, 0, sizeof it);
    uint32_t reserved;
    TDS_TRY(tds_cursor_le16(&c, &it.type));
    TDS_TRY(tds_cursor_le16(&c, &it.length));
    TDS_TRY(tds_cursor_le32(&c, &reserved));
    if (it.length < sizeof(tdhob_wire_header) || it.length > rest.len) {
        return TDS_ERR_MALFORMED;
    }
    tds_bytes body;
    TDS_TRY(tds_bytes_sub(rest, 0, it.length, &body));
    tds_cursor bc = tds_cursor_make(body);
    TDS_TRY(tds_cursor_skip(&bc, sizeof(tdhob_wire_header)));
    it.offset = off;
    TDS_TRY(decode_body(&bc, &it));
    *out = it;
    return TDS_OK;
}

tds_status tdhob_next(const tdhob_view *v, tdhob_iter *it, tdhob_item *out)
{
    if (!tdhob_view_ok(v) || it == NULL || out == NULL) {
        return TDS_ERR_STATE;
    }
    if (it->next_offset >= v->hob.len) {
        return TDS_ERR_NOT_FOUND;
    }
    /* Iterators come from tdhob_iter_begin/tdhob_next; a forged offset is still read through a
     * bounds-checked cursor (never out of the view), it just decodes meaningless fields. */
    const size_t off = it->next_offset;
    if ((off & 7u) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    tdhob_item item;
    TDS_TRY(tdhob_decode_at(v->hob, off, &item));
    it->next_offset = off + item.length;
    *out = item;
    return TDS_OK;
}

tds_status tdhob_get_phit(const tdhob_view *v, tdhob_phit *out)
{
    if (!tdhob_view_ok(v) || out == NULL) {
        return TDS_ERR_STATE;
    }
    tdhob_item it;
    TDS_TRY(tdhob_decode_at(v->hob, 0, &it));
    if (it.type != TDHOB_TYPE_HANDOFF) {
        return TDS_ERR_STATE;
    }
    *out = it.u.phit;
    return TDS_OK;
}

/* Visit every HOB of `type`; stop at the index-th one. */
static tds_status find_nth(const tdhob_view *v, uint16_t type, const tds_guid *name, size_t index,
                           tdhob_item *out)
{
    size_t off = 0;
    size_t seen = 0;
    while (off < v->hob.len) {
        tdhob_item it;
        TDS_TRY(tdhob_decode_at(v->hob, off, &it));
        if (it.type == type && (name == NULL || tds_guid_equal(&it.u.guid.name, name))) {
            if (seen == index) {
                *out = it;
                return TDS_OK;
            }
            seen++;
        }
        off += it.length;
    }
    return TDS_ERR_NOT_FOUND;
}

tds_status tdhob_get_cpu(const tdhob_view *v, tdhob_cpu *out)
{
    if (!tdhob_view_ok(v) || out == NULL) {
        return TDS_ERR_STATE;
    }
    tdhob_item it;
    TDS_TRY(find_nth(v, TDHOB_TYPE_CPU, NULL, 0, &it));
    *out = it.u.cpu;
    return TDS_OK;
}

size_t tdhob_count(const tdhob_view *v, uint16_t type)
{
    int slot = tdhob_slot(type);
    if (!tdhob_view_ok(v) || slot < 0) {
        return 0;
    }
    return v->count[slot];
}

size_t tdhob_length(const tdhob_view *v)
{
    return tdhob_view_ok(v) ? v->hob.len : 0;
}

tdhob_convention tdhob_get_convention(const tdhob_view *v)
{
    return tdhob_view_ok(v) ? v->convention : TDHOB_CONV_AUTO;
}

tds_bytes tdhob_bytes(const tdhob_view *v)
{
    return tdhob_view_ok(v) ? v->hob : tds_bytes_make(NULL, 0);
}

uint64_t tdhob_gpa(const tdhob_view *v)
{
    return tdhob_view_ok(v) ? v->hob_gpa : 0;
}

uint32_t tdhob_gpaw(const tdhob_view *v)
{
    return tdhob_view_ok(v) ? v->gpaw : 0;
}

tds_status tdhob_find_guid(const tdhob_view *v, const tds_guid *name, size_t index, tds_bytes *data)
{
    if (!tdhob_view_ok(v) || name == NULL || data == NULL) {
        return TDS_ERR_STATE;
    }
    tdhob_item it;
    TDS_TRY(find_nth(v, TDHOB_TYPE_GUID_EXTENSION, name, index, &it));
    *data = it.u.guid.data;
    return TDS_OK;
}

tds_status tdhob_get_payload_info(const tdhob_view *v, tdhob_payload_info *out)
{
    if (out == NULL) {
        return TDS_ERR_STATE;
    }
    tds_bytes d;
    TDS_TRY(tdhob_find_guid(v, &tdhob_guid_payload_info, 0, &d));
    tds_cursor c = tds_cursor_make(d);
    tdhob_payload_info p;
    uint32_t reserved;
    TDS_TRY(tds_cursor_le32(&c, &p.image_type));
    TDS_TRY(tds_cursor_le32(&c, &reserved));
    TDS_TRY(tds_cursor_le64(&c, &p.entry_point));
    *out = p;
    return TDS_OK;
}

tds_status tdhob_get_acpi_table(const tdhob_view *v, size_t index, tds_bytes *table)
{
    if (table == NULL) {
        return TDS_ERR_STATE;
    }
    tds_bytes d;
    TDS_TRY(tdhob_find_guid(v, &tdhob_guid_acpi_table, index, &d));
    if (d.len < TDHOB_ACPI_HEADER_SIZE) {
        return TDS_ERR_MALFORMED;
    }
    uint32_t tlen = tds_load_le32(d.ptr + TDHOB_ACPI_LENGTH_OFFSET);
    return tds_bytes_sub(d, 0, tlen, table);
}

size_t tdhob_e820_hob_count(tds_bytes data)
{
    return data.len / sizeof(tdhob_wire_e820);
}

tds_status tdhob_e820_hob_entry(tds_bytes data, size_t index, tdhob_e820_entry *out)
{
    size_t off;
    tds_bytes e;
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(tds_mul_size(index, sizeof(tdhob_wire_e820), &off));
    TDS_TRY(tds_bytes_sub(data, off, sizeof(tdhob_wire_e820), &e));
    out->addr = tds_load_le64(e.ptr + offsetof(tdhob_wire_e820, addr));
    out->size = tds_load_le64(e.ptr + offsetof(tdhob_wire_e820, size));
    out->type = tds_load_le32(e.ptr + offsetof(tdhob_wire_e820, type));
    return TDS_OK;
}

tds_status tdhob_get_linux_cmdline(const tdhob_view *v, tds_bytes *cmdline)
{
    if (cmdline == NULL) {
        return TDS_ERR_STATE;
    }
    tds_bytes d;
    TDS_TRY(tdhob_find_guid(v, &tdhob_guid_linux_cmdline, 0, &d));
    tds_bytes second;
    if (tdhob_find_guid(v, &tdhob_guid_linux_cmdline, 1, &second) == TDS_OK) {
        return TDS_ERR_MALFORMED; /* two command lines: which one would the VMM mean? */
    }
    size_t n = 0;
    while (n < d.len && d.ptr[n] != 0) {
        n++;
    }
    if (n == d.len) {
        return TDS_ERR_MALFORMED; /* no NUL */
    }
    for (size_t i = n + 1u; i < d.len; i++) {
        if (d.ptr[i] != 0) {
            return TDS_ERR_MALFORMED; /* only zero padding after the NUL */
        }
    }
    return tds_bytes_sub(d, 0, n + 1u, cmdline);
}
