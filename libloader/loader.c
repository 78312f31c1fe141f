/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Payload loader driver: argument checks, dispatch, and the only code that writes the
 * destination (zero the span, copy the planned segments, then relocate).
 */
#include "loader_int.h"

tds_status ldr_fail(ldr_error *err, ldr_reason r, uint64_t off)
{
    err->reason = r;
    err->offset = off;
    return ldr_reason_status(r);
}

static tds_status cursor_at(tds_bytes img, uint64_t off, tds_cursor *c)
{
    size_t pos;
    TDS_TRY(tds_u64_to_size(off, &pos));
    tds_cursor cur = tds_cursor_make(img);
    if (tds_cursor_seek(&cur, pos) != TDS_OK) {
        return TDS_ERR_TRUNCATED;
    }
    *c = cur;
    return TDS_OK;
}

tds_status ldr_rd16(tds_bytes img, uint64_t off, uint16_t *out)
{
    tds_cursor c;
    TDS_TRY(cursor_at(img, off, &c));
    return tds_cursor_le16(&c, out);
}

tds_status ldr_rd32(tds_bytes img, uint64_t off, uint32_t *out)
{
    tds_cursor c;
    TDS_TRY(cursor_at(img, off, &c));
    return tds_cursor_le32(&c, out);
}

tds_status ldr_rd64(tds_bytes img, uint64_t off, uint64_t *out)
{
    tds_cursor c;
    TDS_TRY(cursor_at(img, off, &c));
    return tds_cursor_le64(&c, out);
}

bool ldr_plan_contains(const ldr_plan *p, uint32_t first, uint64_t off, uint64_t len)
{
    for (uint32_t i = first; i < p->nseg && i < LDR_MAX_SEGMENTS; i++) {
        if (tds_range_contains(p->seg[i].mem_off, p->seg[i].mem_size, off, len)) {
            return true;
        }
    }
    return false;
}

ldr_image_type ldr_detect(tds_bytes image)
{
    if (!tds_bytes_valid(image)) {
        return LDR_IMAGE_UNKNOWN;
    }
    if (image.len >= 4 && image.ptr[0] == 0x7f && image.ptr[1] == 'E' && image.ptr[2] == 'L' &&
        image.ptr[3] == 'F') {
        return LDR_IMAGE_ELF64;
    }
    if (image.len >= 2 && image.ptr[0] == 'M' && image.ptr[1] == 'Z') {
        return LDR_IMAGE_PE32P;
    }
    return LDR_IMAGE_UNKNOWN;
}

static tds_status check_args(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base,
                             const ldr_result *out, ldr_error *err)
{
    if (out == NULL || !tds_bytes_valid(image) || !tds_bytes_valid(tds_bytes_const(dest)) ||
        dest.len == 0) {
        return ldr_fail(err, LDR_R_BAD_ARG, 0);
    }
    if (!tds_is_aligned_u64(dest_base, LDR_PAGE_SIZE)) {
        return ldr_fail(err, LDR_R_DEST_MISALIGNED, 0);
    }
    uint64_t last;
    if (tds_range_last(dest_base, (uint64_t)dest.len, &last) != TDS_OK) {
        return ldr_fail(err, LDR_R_DEST_WRAPS, 0);
    }
    /* The image must not be overwritten while it is being loaded (or after it was measured). */
    if (image.len != 0 && tds_ranges_overlap((uint64_t)(uintptr_t)image.ptr, (uint64_t)image.len,
                                             (uint64_t)(uintptr_t)dest.ptr, (uint64_t)dest.len)) {
        return ldr_fail(err, LDR_R_SRC_DST_OVERLAP, 0);
    }
    return TDS_OK;
}

/* Check that every copy of the plan stays inside `image` and `dest`, before any write. */
static tds_status check_copies(tds_bytes image, tds_mut_bytes dest, const ldr_plan *p,
                               ldr_error *err)
{
    for (uint32_t i = 0; i < p->nseg && i < LDR_MAX_SEGMENTS; i++) {
        const ldr_plan_seg *s = &p->seg[i];
        size_t moff, foff, n;
        tds_mut_bytes to;
        tds_bytes from;
        if (tds_u64_to_size(s->mem_off, &moff) != TDS_OK ||
            tds_u64_to_size(s->file_off, &foff) != TDS_OK ||
            tds_u64_to_size(s->file_size, &n) != TDS_OK ||
            tds_mut_bytes_sub(dest, moff, n, &to) != TDS_OK ||
            tds_bytes_sub(image, foff, n, &from) != TDS_OK) {
            return ldr_fail(err, LDR_R_SEG_FILE_BOUNDS, s->file_off);
        }
    }
    return TDS_OK;
}

/* Write dest from a validated plan. Cannot fail on an image that passed *_plan (immutable). */
static tds_status execute(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base, ldr_plan *p,
                          ldr_result *out, ldr_error *err)
{
    size_t span;
    if (p->span > (uint64_t)dest.len || tds_u64_to_size(p->span, &span) != TDS_OK) {
        return ldr_fail(err, LDR_R_DEST_TOO_SMALL, 0);
    }
    TDS_TRY(check_copies(image, dest, p, err));
    memset(dest.ptr, 0, span);
    for (uint32_t i = 0; i < p->nseg && i < LDR_MAX_SEGMENTS; i++) {
        const ldr_plan_seg *s = &p->seg[i];
        if (s->file_size != 0) {
            /* In bounds: check_copies. */
            memcpy(dest.ptr + (size_t)s->mem_off, image.ptr + (size_t)s->file_off,
                   (size_t)s->file_size);
        }
    }
    p->reloc_count = 0;
    if (p->type == LDR_IMAGE_ELF64) {
        TDS_TRY(ldr_elf_relocate(image, p, dest.ptr, err));
    } else {
        TDS_TRY(ldr_pe_relocate(image, p, dest.ptr, err));
    }

    out->type = p->type;
    out->entry = dest_base + p->entry_off;
    out->load_base = dest_base;
    out->load_size = p->span;
    out->measured = image;
    out->reloc_count = p->reloc_count;
    out->segment_count = p->nseg;
    for (uint32_t i = 0; i < LDR_MAX_SEGMENTS; i++) {
        ldr_segment s = {0, 0, 0};
        if (i < p->nseg) {
            s.addr = dest_base + p->seg[i].mem_off;
            s.size = p->seg[i].mem_size;
            s.flags = p->seg[i].flags;
        }
        out->segments[i] = s;
    }
    err->reason = LDR_R_NONE;
    err->offset = 0;
    return TDS_OK;
}

static tds_status load_as(ldr_image_type type, tds_bytes image, tds_mut_bytes dest,
                          uint64_t dest_base, ldr_result *out, ldr_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(check_args(image, dest, dest_base, out, err));
    ldr_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.type = type;
    if (type == LDR_IMAGE_ELF64) {
        TDS_TRY(ldr_elf_plan(image, (uint64_t)dest.len, dest_base, &plan, err));
    } else if (type == LDR_IMAGE_PE32P) {
        TDS_TRY(ldr_pe_plan(image, (uint64_t)dest.len, dest_base, &plan, err));
    } else {
        return ldr_fail(err, LDR_R_UNKNOWN_FORMAT, 0);
    }
    return execute(image, dest, dest_base, &plan, out, err);
}

tds_status ldr_load(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base, ldr_result *out,
                    ldr_error *err)
{
    return load_as(ldr_detect(image), image, dest, dest_base, out, err);
}

tds_status ldr_load_elf(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base, ldr_result *out,
                        ldr_error *err)
{
    return load_as(LDR_IMAGE_ELF64, image, dest, dest_base, out, err);
}

tds_status ldr_load_pe(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base, ldr_result *out,
                       ldr_error *err)
{
    return load_as(LDR_IMAGE_PE32P, image, dest, dest_base, out, err);
}

tds_status ldr_entry_abi_for(ldr_image_type type, ldr_entry_abi *out)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    ldr_entry_abi a;
    switch (type) {
    case LDR_IMAGE_ELF64:
        /* System V AMD64 ABI 3.2.3: first two integer arguments in RDI, RSI. */
        a.hob_reg = LDR_REG_RDI;
        a.payload_reg = LDR_REG_RSI;
        a.shadow_space = 0;
        a.stack_align = 16;
        break;
    case LDR_IMAGE_PE32P:
        /* Microsoft x64 calling convention: RCX, RDX, 32 bytes of caller home space. */
        a.hob_reg = LDR_REG_RCX;
        a.payload_reg = LDR_REG_RDX;
        a.shadow_space = 32;
        a.stack_align = 16;
        break;
    case LDR_IMAGE_UNKNOWN:
    default: return TDS_ERR_INVALID_ARG;
    }
    *out = a;
    return TDS_OK;
}

tds_status ldr_reason_status(ldr_reason r)
{
    switch (r) {
    case LDR_R_NONE: return TDS_OK;
    case LDR_R_BAD_ARG:
    case LDR_R_SRC_DST_OVERLAP: return TDS_ERR_INVALID_ARG;
    case LDR_R_DEST_MISALIGNED:
    case LDR_R_SEG_ALIGN: return TDS_ERR_ALIGNMENT;
    case LDR_R_DEST_WRAPS:
    case LDR_R_SEG_WRAPS: return TDS_ERR_OVERFLOW;
    case LDR_R_DEST_TOO_SMALL: return TDS_ERR_NO_SPACE;
    case LDR_R_TRUNCATED: return TDS_ERR_TRUNCATED;
    case LDR_R_SEG_FILE_BOUNDS:
    case LDR_R_RELOC_TARGET: return TDS_ERR_OUT_OF_BOUNDS;
    case LDR_R_NOT_RELOCATABLE:
    case LDR_R_UNKNOWN_FORMAT:
    case LDR_R_MACHINE:
    case LDR_R_TOO_MANY_SEGMENTS:
    case LDR_R_RELOC_TYPE:
    case LDR_R_ELF_CLASS:
    case LDR_R_ELF_DATA:
    case LDR_R_ELF_TYPE:
    case LDR_R_ELF_INTERP:
    case LDR_R_ELF_DYN_TAG:
    case LDR_R_PE_CHARACTERISTICS:
    case LDR_R_PE_OPT_MAGIC: return TDS_ERR_UNSUPPORTED;
    case LDR_R_NO_SEGMENTS:
    case LDR_R_SEG_ORDER:
    case LDR_R_SEG_OVERLAP:
    case LDR_R_SEG_SIZE:
    case LDR_R_ENTRY:
    case LDR_R_RELOC_TABLE:
    case LDR_R_ELF_VERSION:
    case LDR_R_ELF_EHSIZE:
    case LDR_R_ELF_PHENTSIZE:
    case LDR_R_ELF_PHNUM:
    case LDR_R_ELF_DYNAMIC:
    case LDR_R_ELF_RELAENT:
    case LDR_R_RELOC_SYMBOL:
    case LDR_R_PE_LFANEW:
    case LDR_R_PE_SIGNATURE:
    case LDR_R_PE_OPT_SIZE:
    case LDR_R_PE_SIZE_OF_IMAGE:
    case LDR_R_PE_SIZE_OF_HEADERS:
    case LDR_R_PE_SECTION: return TDS_ERR_MALFORMED;
    case LDR_R_COUNT_: break;
    }
    return TDS_ERR_INVALID_ARG;
}

const char *ldr_reason_str(ldr_reason r)
{
    switch (r) {
    case LDR_R_NONE: return "none";
    case LDR_R_BAD_ARG: return "bad-arg";
    case LDR_R_SRC_DST_OVERLAP: return "src-dst-overlap";
    case LDR_R_DEST_MISALIGNED: return "dest-misaligned";
    case LDR_R_DEST_WRAPS: return "dest-wraps";
    case LDR_R_DEST_TOO_SMALL: return "dest-too-small";
    case LDR_R_NOT_RELOCATABLE: return "not-relocatable";
    case LDR_R_UNKNOWN_FORMAT: return "unknown-format";
    case LDR_R_TRUNCATED: return "truncated";
    case LDR_R_MACHINE: return "machine";
    case LDR_R_NO_SEGMENTS: return "no-segments";
    case LDR_R_TOO_MANY_SEGMENTS: return "too-many-segments";
    case LDR_R_SEG_FILE_BOUNDS: return "seg-file-bounds";
    case LDR_R_SEG_WRAPS: return "seg-wraps";
    case LDR_R_SEG_ALIGN: return "seg-align";
    case LDR_R_SEG_ORDER: return "seg-order";
    case LDR_R_SEG_OVERLAP: return "seg-overlap";
    case LDR_R_SEG_SIZE: return "seg-size";
    case LDR_R_ENTRY: return "entry";
    case LDR_R_RELOC_TYPE: return "reloc-type";
    case LDR_R_RELOC_TARGET: return "reloc-target";
    case LDR_R_RELOC_TABLE: return "reloc-table";
    case LDR_R_ELF_CLASS: return "elf-class";
    case LDR_R_ELF_DATA: return "elf-data";
    case LDR_R_ELF_VERSION: return "elf-version";
    case LDR_R_ELF_TYPE: return "elf-type";
    case LDR_R_ELF_EHSIZE: return "elf-ehsize";
    case LDR_R_ELF_PHENTSIZE: return "elf-phentsize";
    case LDR_R_ELF_PHNUM: return "elf-phnum";
    case LDR_R_ELF_INTERP: return "elf-interp";
    case LDR_R_ELF_DYNAMIC: return "elf-dynamic";
    case LDR_R_ELF_DYN_TAG: return "elf-dyn-tag";
    case LDR_R_ELF_RELAENT: return "elf-relaent";
    case LDR_R_RELOC_SYMBOL: return "reloc-symbol";
    case LDR_R_PE_LFANEW: return "pe-lfanew";
    case LDR_R_PE_SIGNATURE: return "pe-signature";
    case LDR_R_PE_CHARACTERISTICS: return "pe-characteristics";
    case LDR_R_PE_OPT_MAGIC: return "pe-opt-magic";
    case LDR_R_PE_OPT_SIZE: return "pe-opt-size";
    case LDR_R_PE_SIZE_OF_IMAGE: return "pe-size-of-image";
    case LDR_R_PE_SIZE_OF_HEADERS: return "pe-size-of-headers";
    case LDR_R_PE_SECTION: return "pe-section";
    case LDR_R_COUNT_: break;
    }
    return "unknown";
}
