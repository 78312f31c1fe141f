/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* TDVF metadata reader and checkers. Contract: tdvf.h, docs/image-layout.md. */
#include "tdshim/tdvf.h"

const tds_guid tdvf_guid_ovmf_footer =
    TDS_GUID_INIT(0x96b582deu, 0x1fb2u, 0x45f7u, 0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d);
const tds_guid tdvf_guid_metadata_off =
    TDS_GUID_INIT(0xe47a6535u, 0x984au, 0x4798u, 0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2);
const tds_guid tdvf_guid_metadata_hdr =
    TDS_GUID_INIT(0xe9eaf9f3u, 0x168eu, 0x44d5u, 0xa8, 0xeb, 0x7f, 0x4d, 0x87, 0x38, 0xf6, 0xae);

#define FOUR_GIB 0x100000000ull

static tds_status fail(tdvf_error *err, tds_status s, const char *what, uint32_t section)
{
    if (err != NULL) {
        err->what = what;
        err->section = section;
    }
    return s;
}

const char *tdvf_section_type_name(uint32_t type)
{
    switch (type) {
    case TDVF_SEC_BFV: return "BFV";
    case TDVF_SEC_CFV: return "CFV";
    case TDVF_SEC_TD_HOB: return "TD_HOB";
    case TDVF_SEC_TEMP_MEM: return "TempMem";
    case TDVF_SEC_PERM_MEM: return "PermMem";
    case TDVF_SEC_PAYLOAD: return "Payload";
    case TDVF_SEC_PAYLOAD_PARAM: return "PayloadParam";
    case TDVF_SEC_TD_INFO: return "TD_INFO";
    case TDVF_SEC_TD_PARAMS: return "TD_PARAMS";
    default: return "reserved";
    }
}

tds_status tdvf_footer_find(tds_bytes image, const tds_guid *guid, tds_bytes *data)
{
    if (!tds_bytes_valid(image) || guid == NULL || data == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (image.len < TDVF_TAIL_FOOTER_GUID) {
        return TDS_ERR_NOT_FOUND;
    }
    tds_cursor c = tds_cursor_make(image);
    tds_bytes footer;
    uint16_t table_len;
    TDS_TRY(tds_cursor_seek(&c, image.len - TDVF_TAIL_FOOTER_GUID));
    TDS_TRY(tds_cursor_take(&c, 16, &footer));
    if (!tds_guid_equal_bytes(&tdvf_guid_ovmf_footer, footer.ptr)) {
        return TDS_ERR_NOT_FOUND;
    }
    TDS_TRY(tds_cursor_seek(&c, image.len - TDVF_TAIL_TABLE_LEN));
    TDS_TRY(tds_cursor_le16(&c, &table_len));
    /* The table (body, u16, footer GUID) ends at E-0x20 and must fit in the image. */
    if (table_len < TDVF_GUID_ENTRY_HDR || table_len > image.len - TDVF_TAIL_TDSHIM_PTR) {
        return TDS_ERR_MALFORMED;
    }
    size_t remaining = (size_t)table_len - TDVF_GUID_ENTRY_HDR; /* body bytes */
    size_t end = image.len - TDVF_TAIL_TABLE_LEN;               /* body ends here */
    while (remaining >= TDVF_GUID_ENTRY_HDR) {
        tds_bytes g;
        uint16_t len;
        TDS_TRY(tds_cursor_seek(&c, end - 16));
        TDS_TRY(tds_cursor_take(&c, 16, &g));
        TDS_TRY(tds_cursor_seek(&c, end - TDVF_GUID_ENTRY_HDR));
        TDS_TRY(tds_cursor_le16(&c, &len));
        if (len < TDVF_GUID_ENTRY_HDR || len > remaining) {
            return TDS_ERR_MALFORMED;
        }
        if (tds_guid_equal_bytes(guid, g.ptr)) {
            size_t dlen = (size_t)len - TDVF_GUID_ENTRY_HDR;
            return tds_bytes_sub(image, end - len, dlen, data);
        }
        end -= len;
        remaining -= len;
    }
    return TDS_ERR_NOT_FOUND;
}

tds_status tdvf_locate_qemu(tds_bytes image, uint32_t *desc_offset)
{
    if (desc_offset == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tds_bytes data;
    TDS_TRY(tdvf_footer_find(image, &tdvf_guid_metadata_off, &data));
    if (data.len < 4) {
        return TDS_ERR_MALFORMED;
    }
    uint32_t from_end = tds_load_le32(data.ptr);
    if (from_end < TDVF_DESC_HDR_SIZE || from_end > image.len) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    *desc_offset = (uint32_t)(image.len - from_end);
    return TDS_OK;
}

tds_status tdvf_locate_tdshim(tds_bytes image, uint32_t *desc_offset)
{
    if (!tds_bytes_valid(image) || desc_offset == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (image.len < TDVF_TAIL_TDSHIM_PTR) {
        return TDS_ERR_NOT_FOUND;
    }
    tds_cursor c = tds_cursor_make(image);
    uint32_t off;
    tds_bytes g;
    TDS_TRY(tds_cursor_seek(&c, image.len - TDVF_TAIL_TDSHIM_PTR));
    TDS_TRY(tds_cursor_le32(&c, &off));
    if (off < 16 || (uint64_t)off + TDVF_DESC_HDR_SIZE > image.len) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    TDS_TRY(tds_cursor_seek(&c, (size_t)off - 16));
    TDS_TRY(tds_cursor_take(&c, 16, &g));
    if (!tds_guid_equal_bytes(&tdvf_guid_metadata_hdr, g.ptr)) {
        return TDS_ERR_MALFORMED;
    }
    *desc_offset = off;
    return TDS_OK;
}

tds_status tdvf_parse(tds_bytes image, uint32_t desc_offset, tdvf_meta *out, tdvf_error *err)
{
    if (!tds_bytes_valid(image) || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tds_cursor c = tds_cursor_make(image);
    uint32_t sig;
    uint32_t length;
    uint32_t version;
    uint32_t count;
    if (tds_cursor_seek(&c, desc_offset) != TDS_OK || tds_cursor_le32(&c, &sig) != TDS_OK ||
        tds_cursor_le32(&c, &length) != TDS_OK || tds_cursor_le32(&c, &version) != TDS_OK ||
        tds_cursor_le32(&c, &count) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, "descriptor header outside the image", UINT32_MAX);
    }
    if (sig != TDVF_SIGNATURE) {
        return fail(err, TDS_ERR_MALFORMED, "descriptor signature is not 'TDVF'", UINT32_MAX);
    }
    if (version != TDVF_VERSION) {
        return fail(err, TDS_ERR_UNSUPPORTED, "descriptor version is not 1", UINT32_MAX);
    }
    if (count == 0 || count > TDVF_MAX_SECTIONS) {
        return fail(err, TDS_ERR_MALFORMED, "section count is 0 or above the maximum", UINT32_MAX);
    }
    if (length != TDVF_DESC_HDR_SIZE + TDVF_SECTION_SIZE * count) {
        return fail(err, TDS_ERR_MALFORMED, "descriptor Length != 16 + 32 * count", UINT32_MAX);
    }
    tdvf_meta m;
    memset(&m, 0, sizeof m);
    m.desc_offset = desc_offset;
    m.length = length;
    m.version = version;
    m.count = count;
    for (uint32_t i = 0; i < count; i++) {
        tdvf_section *s = &m.sec[i];
        if (tds_cursor_le32(&c, &s->data_offset) != TDS_OK ||
            tds_cursor_le32(&c, &s->raw_size) != TDS_OK ||
            tds_cursor_le64(&c, &s->mem_addr) != TDS_OK ||
            tds_cursor_le64(&c, &s->mem_size) != TDS_OK ||
            tds_cursor_le32(&c, &s->type) != TDS_OK ||
            tds_cursor_le32(&c, &s->attributes) != TDS_OK) {
            return fail(err, TDS_ERR_TRUNCATED, "section table runs past the image end", i);
        }
    }
    *out = m;
    return TDS_OK;
}

static bool has_image_bytes(const tdvf_section *s, uint64_t image_size, uint64_t len)
{
    return tds_range_contains(0, image_size, s->data_offset, len);
}

tds_status tdvf_check_qemu(const tdvf_meta *m, uint64_t image_size, tdvf_error *err)
{
    if (m == NULL || m->count > TDVF_MAX_SECTIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    if (m->count < 2) {
        return fail(err, TDS_ERR_MALFORMED, "fewer than 2 sections", UINT32_MAX);
    }
    bool hob = false;
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        if (s->mem_size < s->raw_size) {
            return fail(err, TDS_ERR_MALFORMED, "MemoryDataSize < RawDataSize", i);
        }
        if (!tds_is_aligned_u64(s->mem_addr, TDVF_PAGE) ||
            !tds_is_aligned_u64(s->mem_size, TDVF_PAGE)) {
            return fail(err, TDS_ERR_ALIGNMENT, "memory address or size not 4 KiB aligned", i);
        }
        if ((s->attributes & ~TDVF_ATTR_KNOWN) != 0) {
            return fail(err, TDS_ERR_MALFORMED, "reserved attribute bits set", i);
        }
        switch (s->type) {
        case TDVF_SEC_BFV:
        case TDVF_SEC_CFV:
            if (s->raw_size == 0) {
                return fail(err, TDS_ERR_MALFORMED, "BFV/CFV with RawDataSize 0", i);
            }
            if (!has_image_bytes(s, image_size, s->mem_size)) {
                return fail(err, TDS_ERR_OUT_OF_BOUNDS, "BFV/CFV data outside the image", i);
            }
            break;
        case TDVF_SEC_TD_HOB:
        case TDVF_SEC_TEMP_MEM:
            hob = hob || s->type == TDVF_SEC_TD_HOB;
            if (s->raw_size != 0) {
                return fail(err, TDS_ERR_MALFORMED, "TD_HOB/TempMem with RawDataSize != 0", i);
            }
            break;
        default: return fail(err, TDS_ERR_UNSUPPORTED, "section type QEMU does not accept", i);
        }
    }
    if (!hob) {
        return fail(err, TDS_ERR_MALFORMED, "no TD_HOB section", UINT32_MAX);
    }
    return TDS_OK;
}

static tds_status check_tdshim_one(const tdvf_meta *m, uint32_t i, uint64_t image_size,
                                   uint32_t *counts, tdvf_error *err)
{
    const tdvf_section *s = &m->sec[i];
    if (s->type >= TDVF_SEC_TYPE_COUNT) {
        return fail(err, TDS_ERR_UNSUPPORTED, "reserved section type", i);
    }
    counts[s->type]++;
    if (!tds_is_aligned_u64(s->mem_addr, TDVF_PAGE)) {
        return fail(err, TDS_ERR_ALIGNMENT, "MemoryAddress not 4 KiB aligned", i);
    }
    if (s->mem_size < s->raw_size) {
        return fail(err, TDS_ERR_MALFORMED, "MemoryDataSize < RawDataSize", i);
    }
    if (s->raw_size == 0 && s->data_offset != 0) {
        return fail(err, TDS_ERR_MALFORMED, "RawDataSize 0 with DataOffset != 0", i);
    }
    if (!has_image_bytes(s, image_size, s->raw_size)) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "raw data outside the image", i);
    }
    uint32_t a = s->attributes;
    switch (s->type) {
    case TDVF_SEC_BFV:
        if (s->raw_size == 0 || a != TDVF_ATTR_MR_EXTEND) {
            return fail(err, TDS_ERR_MALFORMED, "BFV needs raw data and attributes MR.EXTEND", i);
        }
        break;
    case TDVF_SEC_CFV:
        if (s->raw_size == 0 || a != 0) {
            return fail(err, TDS_ERR_MALFORMED, "CFV needs raw data and attributes 0", i);
        }
        break;
    case TDVF_SEC_TD_HOB:
    case TDVF_SEC_TEMP_MEM:
        if (s->raw_size != 0 || a != 0) {
            return fail(err, TDS_ERR_MALFORMED, "TD_HOB/TempMem need raw size 0, attributes 0", i);
        }
        break;
    case TDVF_SEC_PERM_MEM:
        if (s->raw_size != 0 || a != TDVF_ATTR_PAGE_AUG) {
            return fail(err, TDS_ERR_MALFORMED, "PermMem needs raw size 0, attributes AUG", i);
        }
        break;
    case TDVF_SEC_PAYLOAD:
        if ((a & ~TDVF_ATTR_MR_EXTEND) != 0) {
            return fail(err, TDS_ERR_MALFORMED, "Payload attributes beyond MR.EXTEND", i);
        }
        break;
    case TDVF_SEC_PAYLOAD_PARAM:
        /* td-shim: attributes 0. This project also takes MR.EXTEND for one with data in the
         * image (its bytes then go into MRTD), as it does for a Payload. */
        if (a != 0 && (a != TDVF_ATTR_MR_EXTEND || s->raw_size == 0)) {
            return fail(err, TDS_ERR_MALFORMED,
                        "PayloadParam attributes not 0 (or MR.EXTEND with data in the image)", i);
        }
        break;
    default: /* TD_INFO, TD_PARAMS */
        if (s->mem_addr != 0 || s->mem_size != 0) {
            return fail(err, TDS_ERR_MALFORMED, "TD_INFO/TD_PARAMS with guest memory", i);
        }
        break;
    }
    return TDS_OK;
}

tds_status tdvf_check_tdshim(const tdvf_meta *m, uint64_t image_size, tdvf_error *err)
{
    if (m == NULL || m->count > TDVF_MAX_SECTIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    uint32_t counts[TDVF_SEC_TYPE_COUNT] = {0};
    for (uint32_t i = 0; i < m->count; i++) {
        TDS_TRY(check_tdshim_one(m, i, image_size, counts, err));
    }
    if (counts[TDVF_SEC_BFV] == 0) {
        return fail(err, TDS_ERR_MALFORMED, "no BFV section", UINT32_MAX);
    }
    if (counts[TDVF_SEC_TD_HOB] > 1 || counts[TDVF_SEC_PAYLOAD] > 1 ||
        counts[TDVF_SEC_PAYLOAD_PARAM] > 1 || counts[TDVF_SEC_TD_INFO] > 1 ||
        counts[TDVF_SEC_TD_PARAMS] > 1) {
        return fail(err, TDS_ERR_MALFORMED, "a single-instance section type repeats", UINT32_MAX);
    }
    if (counts[TDVF_SEC_PAYLOAD_PARAM] != 0 && counts[TDVF_SEC_PAYLOAD] == 0) {
        return fail(err, TDS_ERR_MALFORMED, "PayloadParam without Payload", UINT32_MAX);
    }
    if (counts[TDVF_SEC_TD_HOB] == 0 && counts[TDVF_SEC_PERM_MEM] == 0) {
        return fail(err, TDS_ERR_MALFORMED, "neither TD_HOB nor PermMem", UINT32_MAX);
    }
    return TDS_OK;
}

static bool has_memory(const tdvf_section *s)
{
    return s->type != TDVF_SEC_TD_INFO && s->type != TDVF_SEC_TD_PARAMS;
}

/* Sections whose memory is the image itself, mapped below 4 GiB. */
static bool image_mapped(const tdvf_section *s)
{
    return s->type == TDVF_SEC_BFV || s->type == TDVF_SEC_CFV ||
           ((s->type == TDVF_SEC_PAYLOAD || s->type == TDVF_SEC_PAYLOAD_PARAM) && s->raw_size != 0);
}

tds_status tdvf_check_layout(const tdvf_meta *m, uint64_t image_size, tdvf_error *err)
{
    if (m == NULL || m->count > TDVF_MAX_SECTIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    if (image_size == 0 || image_size > FOUR_GIB) {
        return fail(err, TDS_ERR_INVALID_ARG, "image size is 0 or above 4 GiB", UINT32_MAX);
    }
    /* Section roles first, so a bad payload (either kind) is reported by the payload rule. */
    const tdvf_section *payload;
    tdvf_payload_kind kind;
    const tds_status st = tdvf_find_payload(m, image_size, &payload, &kind, err);
    if (st != TDS_OK && st != TDS_ERR_NOT_FOUND) {
        return st;
    }
    const tdvf_section *param;
    const tds_status pst = tdvf_find_payload_param(m, image_size, &param, &kind, err);
    if (pst != TDS_OK && pst != TDS_ERR_NOT_FOUND) {
        return pst;
    }
    uint64_t image_base = FOUR_GIB - image_size;
    uint64_t added = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        uint64_t last;
        if (s->type == TDVF_SEC_TD_INFO || s->type == TDVF_SEC_TD_PARAMS) {
            continue;
        }
        if (tds_range_last(s->mem_addr, s->mem_size, &last) != TDS_OK) {
            return fail(err, TDS_ERR_OVERFLOW, "memory range empty or wrapping", i);
        }
        if (last >= TDVF_MAX_GPA) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                        "memory range ends above 2^51, the largest private GPA", i);
        }
        if ((s->attributes & TDVF_ATTR_PAGE_AUG) == 0) {
            /* No overflow: each size is below 2^51 here, and at most 32 sections. */
            added += s->mem_size;
            if (added > TDVF_MAX_ADDED_BYTES) {
                return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                            "sections the VMM adds total more than 64 GiB (a corrupted "
                            "MemoryDataSize?)",
                            i);
            }
        }
        if (image_mapped(s)) {
            if (s->mem_addr != image_base + s->data_offset) {
                return fail(err, TDS_ERR_MISMATCH,
                            "BFV/CFV/Payload address is not where the image is mapped", i);
            }
        } else if (tds_ranges_overlap(s->mem_addr, s->mem_size, image_base, image_size)) {
            return fail(err, TDS_ERR_MALFORMED, "RAM section overlaps the image window", i);
        }
    }
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        for (uint32_t j = 0; j < i && has_memory(s); j++) {
            const tdvf_section *o = &m->sec[j];
            if (has_memory(o) &&
                tds_ranges_overlap(s->mem_addr, s->mem_size, o->mem_addr, o->mem_size)) {
                return fail(err, TDS_ERR_MALFORMED, "two sections overlap in guest memory", i);
            }
        }
    }
    return TDS_OK;
}

/* Payload geometry (tdvf.h): image-mapped, page-granular, disjoint from everything else. */
static tds_status check_payload(const tdvf_meta *m, uint32_t p, uint64_t image_size,
                                tdvf_error *err)
{
    const tdvf_section *s = &m->sec[p];
    const uint64_t image_base = FOUR_GIB - image_size;
    if (s->type == TDVF_SEC_BFV ? s->attributes != TDVF_ATTR_MR_EXTEND
                                : (s->attributes & ~TDVF_ATTR_MR_EXTEND) != 0) {
        return fail(err, TDS_ERR_MALFORMED,
                    s->type == TDVF_SEC_BFV ? "payload BFV attributes are not MR.EXTEND"
                                            : "Payload section attributes not 0 or MR.EXTEND",
                    p);
    }
    if (s->raw_size == 0) {
        return fail(err, TDS_ERR_MALFORMED, "payload section has no data (RawDataSize 0)", p);
    }
    if (s->mem_size != s->raw_size) {
        return fail(err, TDS_ERR_MALFORMED, "payload MemoryDataSize != RawDataSize", p);
    }
    if (!tds_is_aligned_u64(s->data_offset, TDVF_PAGE) ||
        !tds_is_aligned_u64(s->raw_size, TDVF_PAGE) ||
        !tds_is_aligned_u64(s->mem_addr, TDVF_PAGE)) {
        return fail(err, TDS_ERR_ALIGNMENT, "payload offset, size or address not 4 KiB aligned", p);
    }
    if (!has_image_bytes(s, image_size, s->raw_size)) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "payload data outside the image", p);
    }
    if (s->mem_addr != image_base + s->data_offset) {
        return fail(err, TDS_ERR_MISMATCH, "payload address is not where the image is mapped", p);
    }
    if (tds_ranges_overlap(s->data_offset, s->raw_size, m->desc_offset, m->length)) {
        return fail(err, TDS_ERR_MALFORMED, "payload data overlaps the metadata descriptor", p);
    }
    for (uint32_t j = 0; j < m->count; j++) {
        const tdvf_section *o = &m->sec[j];
        if (j == p) {
            continue;
        }
        if (o->raw_size != 0 &&
            tds_ranges_overlap(s->data_offset, s->raw_size, o->data_offset, o->raw_size)) {
            return fail(err, TDS_ERR_MALFORMED, "payload data overlaps another section's data", p);
        }
        if (has_memory(o) && o->mem_size != 0 &&
            tds_ranges_overlap(s->mem_addr, s->mem_size, o->mem_addr, o->mem_size)) {
            return fail(err, TDS_ERR_MALFORMED, "payload memory overlaps another section", p);
        }
    }
    return TDS_OK;
}

/* What a VMM-placed region overlaps, named by the other section's type. */
static const char *vmm_overlap_what(uint32_t type)
{
    switch (type) {
    case TDVF_SEC_BFV: return "VMM-placed payload region overlaps a BFV section";
    case TDVF_SEC_CFV: return "VMM-placed payload region overlaps the CFV section";
    case TDVF_SEC_TD_HOB: return "VMM-placed payload region overlaps the TD_HOB section";
    case TDVF_SEC_TEMP_MEM: return "VMM-placed payload region overlaps a TempMem section";
    case TDVF_SEC_PERM_MEM: return "VMM-placed payload region overlaps a PermMem section";
    default: return "VMM-placed payload region overlaps another section";
    }
}

/*
 * A VMM-placed payload (tdvf.h TDVF_PAYLOAD_VMM): a type-5 section without data whose region is
 * page-granular, does not wrap, overlaps no other section and lies below the image window. The
 * other sections' ranges are not trusted to have been checked: one that wraps is refused here.
 */
static tds_status check_vmm_payload(const tdvf_meta *m, uint32_t p, uint64_t image_size,
                                    tdvf_error *err)
{
    const tdvf_section *s = &m->sec[p];
    const uint64_t image_base = FOUR_GIB - image_size;
    uint64_t end;
    if (s->attributes != 0) {
        return fail(err, TDS_ERR_MALFORMED,
                    "VMM-placed payload (RawDataSize 0) with attributes != 0 (MR.EXTEND needs data "
                    "in the image)",
                    p);
    }
    if (s->data_offset != 0) {
        return fail(err, TDS_ERR_MALFORMED,
                    "VMM-placed payload (RawDataSize 0) with DataOffset != 0", p);
    }
    if (s->mem_size == 0) {
        return fail(err, TDS_ERR_MALFORMED, "VMM-placed payload region is empty (MemoryDataSize 0)",
                    p);
    }
    if (!tds_is_aligned_u64(s->mem_addr, TDVF_PAGE) ||
        !tds_is_aligned_u64(s->mem_size, TDVF_PAGE)) {
        return fail(err, TDS_ERR_ALIGNMENT,
                    "VMM-placed payload region address or size not 4 KiB aligned", p);
    }
    if (tds_range_end(s->mem_addr, s->mem_size, &end) != TDS_OK) {
        return fail(err, TDS_ERR_OVERFLOW, "VMM-placed payload region wraps", p);
    }
    for (uint32_t j = 0; j < m->count; j++) {
        const tdvf_section *o = &m->sec[j];
        uint64_t last;
        if (j == p || !has_memory(o) || o->mem_size == 0) {
            continue;
        }
        if (tds_range_last(o->mem_addr, o->mem_size, &last) != TDS_OK) {
            return fail(err, TDS_ERR_OVERFLOW, "memory range empty or wrapping", j);
        }
        if (tds_ranges_overlap(s->mem_addr, s->mem_size, o->mem_addr, o->mem_size)) {
            return fail(err, TDS_ERR_MALFORMED, vmm_overlap_what(o->type), p);
        }
    }
    if (end > image_base) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                    "VMM-placed payload region not below the image (4 GiB - image size)", p);
    }
    return TDS_OK;
}

/* A type-5 section without data is a VMM-placed payload; any other candidate is in the image. */
static bool is_vmm_payload(const tdvf_section *s)
{
    return s->type == TDVF_SEC_PAYLOAD && s->raw_size == 0;
}

static const char *two_payloads(const tdvf_section *first, const tdvf_section *second)
{
    const bool bfv1 = first->type == TDVF_SEC_BFV;
    const bool bfv2 = second->type == TDVF_SEC_BFV;
    const bool vmm1 = is_vmm_payload(first);
    const bool vmm2 = is_vmm_payload(second);
    if (bfv1 && bfv2) {
        return "two payload sections: more than one BFV besides the shim's";
    }
    if (vmm1 && vmm2) {
        return "two payload sections: two VMM-placed Payload (type 5, no data) sections";
    }
    if (vmm1 || vmm2) {
        return bfv1 || bfv2
                   ? "two payload sections: a second BFV and a VMM-placed Payload (type 5, no data)"
                     " section"
                   : "two payload sections: a Payload (type 5) with data and a VMM-placed one";
    }
    if (!bfv1 && !bfv2) {
        return "two payload sections: two Payload (type 5) sections";
    }
    return "two payload sections: a second BFV and a Payload (type 5) section";
}

const char *tdvf_payload_kind_name(tdvf_payload_kind kind)
{
    switch (kind) {
    case TDVF_PAYLOAD_IMAGE: return "image";
    case TDVF_PAYLOAD_VMM: return "vmm";
    default: return "invalid";
    }
}

/* The index of the shim's BFV (the one BFV section ending at 4 GiB), or a failure. */
static tds_status shim_bfv_index(const tdvf_meta *m, uint32_t *out, tdvf_error *err)
{
    uint32_t shim = UINT32_MAX;
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        uint64_t end;
        if (s->type == TDVF_SEC_BFV && tds_range_end(s->mem_addr, s->mem_size, &end) == TDS_OK &&
            end == FOUR_GIB) {
            if (shim != UINT32_MAX) {
                return fail(err, TDS_ERR_MALFORMED, "two BFV sections end at 4 GiB", i);
            }
            shim = i;
        }
    }
    if (shim == UINT32_MAX) {
        return fail(err, TDS_ERR_MALFORMED, "no BFV section ends at 4 GiB (reset vector)",
                    UINT32_MAX);
    }
    *out = shim;
    return TDS_OK;
}

tds_status tdvf_find_shim_bfv(const tdvf_meta *m, const tdvf_section **out, tdvf_error *err)
{
    if (m == NULL || out == NULL || m->count > TDVF_MAX_SECTIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    uint32_t shim = UINT32_MAX;
    TDS_TRY(shim_bfv_index(m, &shim, err));
    *out = &m->sec[shim];
    return TDS_OK;
}

tds_status tdvf_find_payload(const tdvf_meta *m, uint64_t image_size, const tdvf_section **out,
                             tdvf_payload_kind *kind, tdvf_error *err)
{
    if (m == NULL || out == NULL || kind == NULL || m->count > TDVF_MAX_SECTIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    if (image_size == 0 || image_size > FOUR_GIB) {
        return fail(err, TDS_ERR_INVALID_ARG, "image size is 0 or above 4 GiB", UINT32_MAX);
    }
    uint32_t shim = UINT32_MAX;
    uint32_t payload = UINT32_MAX;
    TDS_TRY(shim_bfv_index(m, &shim, err));
    for (uint32_t i = 0; i < m->count; i++) {
        const uint32_t t = m->sec[i].type;
        if (i == shim || (t != TDVF_SEC_BFV && t != TDVF_SEC_PAYLOAD)) {
            continue;
        }
        if (payload != UINT32_MAX) {
            return fail(err, TDS_ERR_MALFORMED, two_payloads(&m->sec[payload], &m->sec[i]), i);
        }
        payload = i;
    }
    if (payload == UINT32_MAX) {
        return TDS_ERR_NOT_FOUND;
    }
    const bool vmm = is_vmm_payload(&m->sec[payload]);
    if (vmm) {
        TDS_TRY(check_vmm_payload(m, payload, image_size, err));
    } else {
        TDS_TRY(check_payload(m, payload, image_size, err));
    }
    *out = &m->sec[payload];
    *kind = vmm ? TDVF_PAYLOAD_VMM : TDVF_PAYLOAD_IMAGE;
    return TDS_OK;
}

/* The PayloadParam section's own geometry (tdvf.h tdvf_find_payload_param). */
static tds_status check_param(const tdvf_meta *m, uint32_t p, uint64_t image_size, tdvf_error *err)
{
    const tdvf_section *s = &m->sec[p];
    const uint64_t image_base = FOUR_GIB - image_size;
    const bool vmm = s->raw_size == 0;
    uint64_t end;
    if (vmm && (s->attributes != 0 || s->data_offset != 0)) {
        return fail(err, TDS_ERR_MALFORMED,
                    "VMM-filled PayloadParam (RawDataSize 0) with attributes or DataOffset != 0",
                    p);
    }
    if (!vmm && s->mem_size != s->raw_size) {
        return fail(err, TDS_ERR_MALFORMED, "PayloadParam MemoryDataSize != RawDataSize", p);
    }
    if (s->mem_size == 0) {
        return fail(err, TDS_ERR_MALFORMED, "PayloadParam region is empty (MemoryDataSize 0)", p);
    }
    if (!tds_is_aligned_u64(s->mem_addr, TDVF_PAGE) ||
        !tds_is_aligned_u64(s->mem_size, TDVF_PAGE) ||
        !tds_is_aligned_u64(s->data_offset, TDVF_PAGE)) {
        return fail(err, TDS_ERR_ALIGNMENT,
                    "PayloadParam address, size or offset not 4 KiB aligned", p);
    }
    if (tds_range_end(s->mem_addr, s->mem_size, &end) != TDS_OK) {
        return fail(err, TDS_ERR_OVERFLOW, "PayloadParam region wraps", p);
    }
    if (vmm && end > image_base) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                    "VMM-filled PayloadParam region not below the image (4 GiB - image size)", p);
    }
    if (!vmm) {
        if (!has_image_bytes(s, image_size, s->raw_size)) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS, "PayloadParam data outside the image", p);
        }
        if (s->mem_addr != image_base + s->data_offset) {
            return fail(err, TDS_ERR_MISMATCH,
                        "PayloadParam address is not where the image is mapped", p);
        }
        if (tds_ranges_overlap(s->data_offset, s->raw_size, m->desc_offset, m->length)) {
            return fail(err, TDS_ERR_MALFORMED,
                        "PayloadParam data overlaps the metadata descriptor", p);
        }
    }
    for (uint32_t j = 0; j < m->count; j++) {
        const tdvf_section *o = &m->sec[j];
        if (j == p || !has_memory(o) || o->mem_size == 0) {
            continue;
        }
        if (!vmm && o->raw_size != 0 &&
            tds_ranges_overlap(s->data_offset, s->raw_size, o->data_offset, o->raw_size)) {
            return fail(err, TDS_ERR_MALFORMED, "PayloadParam data overlaps another section's data",
                        p);
        }
        if (tds_ranges_overlap(s->mem_addr, s->mem_size, o->mem_addr, o->mem_size)) {
            return fail(err, TDS_ERR_MALFORMED, "PayloadParam memory overlaps another section", p);
        }
    }
    return TDS_OK;
}

tds_status tdvf_find_payload_param(const tdvf_meta *m, uint64_t image_size,
                                   const tdvf_section **out, tdvf_payload_kind *kind,
                                   tdvf_error *err)
{
    if (m == NULL || out == NULL || kind == NULL || m->count > TDVF_MAX_SECTIONS) {
        return TDS_ERR_INVALID_ARG;
    }
    if (image_size == 0 || image_size > FOUR_GIB) {
        return fail(err, TDS_ERR_INVALID_ARG, "image size is 0 or above 4 GiB", UINT32_MAX);
    }
    uint32_t param = UINT32_MAX;
    bool payload = false;
    for (uint32_t i = 0; i < m->count; i++) {
        payload = payload || m->sec[i].type == TDVF_SEC_PAYLOAD;
        if (m->sec[i].type != TDVF_SEC_PAYLOAD_PARAM) {
            continue;
        }
        if (param != UINT32_MAX) {
            return fail(err, TDS_ERR_MALFORMED, "two PayloadParam sections", i);
        }
        param = i;
    }
    if (param == UINT32_MAX) {
        return TDS_ERR_NOT_FOUND;
    }
    if (!payload) {
        return fail(err, TDS_ERR_MALFORMED, "PayloadParam without a Payload (type 5) section",
                    param);
    }
    TDS_TRY(check_param(m, param, image_size, err));
    *out = &m->sec[param];
    *kind = m->sec[param].raw_size == 0 ? TDVF_PAYLOAD_VMM : TDVF_PAYLOAD_IMAGE;
    return TDS_OK;
}

/* ---- PI firmware volumes (tdvf.h; UEFI PI spec vol. 3, 3.2.1) ---- */

const tds_guid tdvf_guid_ffs2 =
    TDS_GUID_INIT(0x8c8ce578u, 0x8a3du, 0x4f1cu, 0x99, 0x35, 0x89, 0x61, 0x85, 0xc3, 0x2d, 0xd3);
const tds_guid tdvf_guid_ffs3 =
    TDS_GUID_INIT(0x5473c07au, 0x3dcbu, 0x4dcau, 0xbd, 0x6f, 0x1e, 0x96, 0x89, 0xe7, 0x34, 0x9a);

/* One rule's text, for a volume on its own or for an image's CFV section (tdvf_check_image). */
#define FV_WHAT(cfv, rule)                                                                         \
    ((cfv) ? "CFV is not a valid firmware volume: " rule : "firmware volume: " rule)

static bool all_zero(tds_bytes b)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < b.len; i++) {
        acc |= b.ptr[i];
    }
    return acc == 0;
}

/* The 16-bit sum of the first hlen (even, <= fv.len) bytes, read as little-endian words. */
static tds_status fv_header_sum(tds_bytes fv, uint16_t hlen, uint16_t *sum)
{
    tds_cursor c = tds_cursor_make(fv);
    uint16_t acc = 0;
    for (uint32_t i = 0; i < hlen / 2u; i++) {
        uint16_t w;
        TDS_TRY(tds_cursor_le16(&c, &w));
        acc = (uint16_t)(acc + w);
    }
    *sum = acc;
    return TDS_OK;
}

/* ExtHeaderOffset (non-zero): at or past the header, with the whole extended header inside. */
static tds_status fv_check_ext(tds_bytes fv, uint16_t hlen, uint16_t ext, bool cfv,
                               uint32_t section, tdvf_error *err)
{
    tds_cursor c = tds_cursor_make(fv);
    uint32_t size;
    if (ext < hlen) {
        return fail(err, TDS_ERR_MALFORMED, FV_WHAT(cfv, "ExtHeaderOffset points into the header"),
                    section);
    }
    if (tds_cursor_seek(&c, ext) != TDS_OK || tds_cursor_skip(&c, 16) != TDS_OK ||
        tds_cursor_le32(&c, &size) != TDS_OK) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                    FV_WHAT(cfv, "no room for the extended header at ExtHeaderOffset"), section);
    }
    if (size < TDVF_FV_EXT_HEADER || !tds_range_contains(0, fv.len, ext, size)) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                    FV_WHAT(cfv, "ExtHeaderSize below 20 or past the end of the volume"), section);
    }
    return TDS_OK;
}

/* The block map: entries up to {0,0} inside the header, multiplying out to FvLength exactly. */
static tds_status fv_check_block_map(tds_bytes fv, uint16_t hlen, uint64_t fv_length, bool cfv,
                                     uint32_t section, tdvf_error *err)
{
    tds_bytes header;
    TDS_TRY(tds_bytes_sub(fv, 0, hlen, &header));
    tds_cursor c = tds_cursor_make(header);
    uint64_t total = 0;
    uint32_t entries = 0;
    TDS_TRY(tds_cursor_seek(&c, TDVF_FV_FIXED_HEADER));
    for (;;) {
        uint32_t num;
        uint32_t len;
        uint64_t bytes;
        if (tds_cursor_le32(&c, &num) != TDS_OK || tds_cursor_le32(&c, &len) != TDS_OK) {
            return fail(err, TDS_ERR_MALFORMED,
                        FV_WHAT(cfv, "block map has no {0,0} terminator inside HeaderLength"),
                        section);
        }
        if (num == 0 && len == 0) {
            break;
        }
        if (num == 0 || len == 0) {
            return fail(err, TDS_ERR_MALFORMED,
                        FV_WHAT(cfv, "block map entry with NumBlocks or Length 0"), section);
        }
        if (tds_mul_u64(num, len, &bytes) != TDS_OK ||
            tds_add_u64(total, bytes, &total) != TDS_OK) {
            return fail(err, TDS_ERR_OVERFLOW, FV_WHAT(cfv, "block map total overflows 64 bits"),
                        section);
        }
        entries++;
    }
    if (entries == 0) {
        return fail(err, TDS_ERR_MALFORMED,
                    FV_WHAT(cfv, "block map is empty (its first entry is the terminator)"),
                    section);
    }
    if (total != fv_length) {
        return fail(err, TDS_ERR_MISMATCH, FV_WHAT(cfv, "block map does not add up to FvLength"),
                    section);
    }
    return TDS_OK;
}

static tds_status fv_check(tds_bytes fv, bool cfv, uint32_t section, tdvf_error *err)
{
    tds_cursor c = tds_cursor_make(fv);
    tds_bytes zero;
    tds_bytes guid;
    uint64_t fv_length;
    uint32_t signature;
    uint32_t attributes;
    uint16_t hlen;
    uint16_t checksum;
    uint16_t ext;
    uint8_t reserved;
    uint8_t revision;
    if (tds_cursor_take(&c, 16, &zero) != TDS_OK || tds_cursor_take(&c, 16, &guid) != TDS_OK ||
        tds_cursor_le64(&c, &fv_length) != TDS_OK || tds_cursor_le32(&c, &signature) != TDS_OK ||
        tds_cursor_le32(&c, &attributes) != TDS_OK || tds_cursor_le16(&c, &hlen) != TDS_OK ||
        tds_cursor_le16(&c, &checksum) != TDS_OK || tds_cursor_le16(&c, &ext) != TDS_OK ||
        tds_cursor_u8(&c, &reserved) != TDS_OK || tds_cursor_u8(&c, &revision) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED,
                    FV_WHAT(cfv, "shorter than the 56-byte EFI_FIRMWARE_VOLUME_HEADER"), section);
    }
    (void)attributes;
    (void)checksum; /* judged through the sum over the whole header */
    if (signature != TDVF_FV_SIGNATURE) {
        return fail(err, TDS_ERR_MALFORMED, FV_WHAT(cfv, "Signature is not '_FVH'"), section);
    }
    if (!all_zero(zero)) {
        return fail(err, TDS_ERR_MALFORMED, FV_WHAT(cfv, "ZeroVector is not zero"), section);
    }
    if (!tds_guid_equal_bytes(&tdvf_guid_ffs2, guid.ptr) &&
        !tds_guid_equal_bytes(&tdvf_guid_ffs3, guid.ptr)) {
        return fail(err, TDS_ERR_UNSUPPORTED,
                    FV_WHAT(cfv, "FileSystemGuid is neither FIRMWARE_FILE_SYSTEM2 nor 3"), section);
    }
    if (revision != TDVF_FV_REVISION) {
        return fail(err, TDS_ERR_UNSUPPORTED, FV_WHAT(cfv, "Revision is not 2"), section);
    }
    if (reserved != 0) {
        return fail(err, TDS_ERR_MALFORMED, FV_WHAT(cfv, "Reserved byte is not 0"), section);
    }
    if (fv_length != (uint64_t)fv.len) {
        return fail(err, TDS_ERR_MISMATCH, FV_WHAT(cfv, "FvLength is not the size of the volume"),
                    section);
    }
    if ((hlen & 1u) != 0) {
        return fail(err, TDS_ERR_MALFORMED, FV_WHAT(cfv, "HeaderLength is odd"), section);
    }
    if (hlen < TDVF_FV_MIN_HEADER) {
        return fail(err, TDS_ERR_MALFORMED,
                    FV_WHAT(cfv, "HeaderLength below the header, one block and the terminator"),
                    section);
    }
    if (hlen > fv.len) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, FV_WHAT(cfv, "HeaderLength is past the volume"),
                    section);
    }
    uint16_t sum;
    TDS_TRY(fv_header_sum(fv, hlen, &sum));
    if (sum != 0) {
        return fail(err, TDS_ERR_MISMATCH, FV_WHAT(cfv, "header Checksum does not sum to 0"),
                    section);
    }
    if (ext != 0) {
        TDS_TRY(fv_check_ext(fv, hlen, ext, cfv, section, err));
    }
    return fv_check_block_map(fv, hlen, fv_length, cfv, section, err);
}

tds_status tdvf_fv_check(tds_bytes fv, tdvf_error *err)
{
    if (!tds_bytes_valid(fv)) {
        return TDS_ERR_INVALID_ARG;
    }
    return fv_check(fv, false, UINT32_MAX, err);
}

/* ---- One checker (tdvf.h) ---- */

tds_status tdvf_image_size_from_top(tds_bytes top, uint64_t max_size, uint64_t *size,
                                    tdvf_error *err)
{
    if (!tds_bytes_valid(top) || size == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint32_t desc;
    if (tdvf_locate_qemu(top, &desc) != TDS_OK) {
        return fail(err, TDS_ERR_NOT_FOUND, "TDVF metadata not found through the OVMF footer table",
                    UINT32_MAX);
    }
    /* The footer table was found, so `top` holds the tail and the pointer at end-0x20. */
    tds_cursor c = tds_cursor_make(top);
    uint32_t from_start;
    uint64_t total;
    tds_bytes guid;
    if (tds_cursor_seek(&c, top.len - TDVF_TAIL_TDSHIM_PTR) != TDS_OK ||
        tds_cursor_le32(&c, &from_start) != TDS_OK ||
        tds_add_u64(from_start, (uint64_t)(top.len - desc), &total) != TDS_OK || total < top.len ||
        total > max_size || total > FOUR_GIB) {
        return fail(err, TDS_ERR_MISMATCH, "footer table and td-shim pointer disagree", UINT32_MAX);
    }
    if (desc < 16 || tds_cursor_seek(&c, (size_t)desc - 16) != TDS_OK ||
        tds_cursor_take(&c, 16, &guid) != TDS_OK ||
        !tds_guid_equal_bytes(&tdvf_guid_metadata_hdr, guid.ptr)) {
        return fail(err, TDS_ERR_MALFORMED, "metadata GUID does not precede the descriptor",
                    UINT32_MAX);
    }
    *size = total;
    return TDS_OK;
}

tds_status tdvf_check_image(const tdvf_meta *m, tds_bytes image, tdvf_error *err)
{
    if (m == NULL || m->count > TDVF_MAX_SECTIONS || !tds_bytes_valid(image)) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(tdvf_check_tdshim(m, image.len, err));
    TDS_TRY(tdvf_check_layout(m, image.len, err));
    for (uint32_t i = 0; i < m->count; i++) {
        const tdvf_section *s = &m->sec[i];
        tds_bytes cfv;
        if (s->type != TDVF_SEC_CFV) {
            continue;
        }
        if (tds_bytes_sub(image, s->data_offset, s->raw_size, &cfv) != TDS_OK) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS, "raw data outside the image", i);
        }
        TDS_TRY(fv_check(cfv, true, i, err));
    }
    return TDS_OK;
}

static bool has_type5(const tdvf_meta *m)
{
    for (uint32_t i = 0; i < m->count; i++) {
        if (m->sec[i].type == TDVF_SEC_PAYLOAD) {
            return true;
        }
    }
    return false;
}

#define TDVF_OPEN_KNOWN (TDVF_OPEN_LOCATE_BOTH | TDVF_OPEN_QEMU_RULES)

static tds_status open_locate(tds_bytes image, uint32_t flags, uint32_t *off, tdvf_error *err)
{
    tds_status st;
    if ((flags & TDVF_OPEN_LOCATE_BOTH) == TDVF_OPEN_LOCATE_BOTH) {
        uint64_t size;
        TDS_TRY(tdvf_image_size_from_top(image, FOUR_GIB, &size, err));
        if (size != image.len) {
            return fail(err, TDS_ERR_MISMATCH,
                        "footer table and td-shim pointer give an image size other than its "
                        "length (truncated or padded image)",
                        UINT32_MAX);
        }
    }
    if ((flags & TDVF_OPEN_LOCATE_QEMU) != 0) {
        st = tdvf_locate_qemu(image, off);
        return st == TDS_OK ? TDS_OK
                            : fail(err, st, "TDVF metadata not found through the OVMF footer table",
                                   UINT32_MAX);
    }
    st = tdvf_locate_tdshim(image, off);
    return st == TDS_OK ? TDS_OK
                        : fail(err, st,
                               "TDVF metadata not found through the td-shim pointer and metadata "
                               "GUID",
                               UINT32_MAX);
}

tds_status tdvf_open(tds_bytes image, uint32_t flags, tdvf_meta *out, tdvf_error *err)
{
    if (!tds_bytes_valid(image) || out == NULL || (flags & ~TDVF_OPEN_KNOWN) != 0 ||
        (flags & TDVF_OPEN_LOCATE_BOTH) == 0) {
        return fail(err, TDS_ERR_INVALID_ARG, "invalid argument", UINT32_MAX);
    }
    uint32_t off;
    tdvf_meta m;
    TDS_TRY(open_locate(image, flags, &off, err));
    TDS_TRY(tdvf_parse(image, off, &m, err));
    if ((flags & TDVF_OPEN_QEMU_RULES) != 0 && !has_type5(&m)) {
        TDS_TRY(tdvf_check_qemu(&m, image.len, err));
    }
    TDS_TRY(tdvf_check_image(&m, image, err));
    *out = m;
    return TDS_OK;
}
