/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * PE32+ front end. Layouts from the PE/COFF specification: MS-DOS stub with e_lfanew at 0x3C,
 * "PE\0\0", COFF file header (20 bytes), PE32+ optional header (magic 0x20B, 112 fixed bytes then
 * NumberOfRvaAndSizes data directories of 8 bytes), section headers (40 bytes), and the base
 * relocation directory (index 5): blocks {PageRVA u32, BlockSize u32, u16 entries} with
 * IMAGE_REL_BASED_ABSOLUTE (0, padding) and IMAGE_REL_BASED_DIR64 (10).
 */
#include "loader_int.h"
#include "exe_formats.h"

enum {
    DOS_MIN = 0x40,
    /* COFF header, from the signature */
    COFF_MACHINE = 4,
    COFF_NSECT = 6,
    COFF_OPTSIZE = 20,
    COFF_CHARS = 22,
    /* optional header */
    OPT_ENTRY = 16,
    OPT_IMAGEBASE = 24,
    OPT_SECTALIGN = 32,
    OPT_FILEALIGN = 36,
    OPT_SIZEOFIMAGE = 56,
    OPT_SIZEOFHEADERS = 60,
    OPT_NRVA = 108,
    OPT_DIRS = 112,
    /* section header */
    SH_VSIZE = 8,
    SH_VA = 12,
    SH_RAWSIZE = 16,
    SH_RAWPTR = 20,
    SH_CHARS = 36,
};

typedef struct pe_opt {
    uint32_t entry;
    uint64_t image_base;
    uint32_t sect_align, file_align, size_of_image, size_of_headers, nrva;
} pe_opt;

static tds_status read_opt(tds_bytes img, uint64_t oh, uint16_t opt_size, pe_opt *o, ldr_error *err)
{
    uint16_t magic = 0;
    if (opt_size < PE_OPT_FIXED_SIZE) {
        return ldr_fail(err, LDR_R_PE_OPT_SIZE, oh - 4 - PE_COFF_SIZE + COFF_OPTSIZE);
    }
    if ((uint64_t)img.len < oh || (uint64_t)img.len - oh < opt_size) {
        return ldr_fail(err, LDR_R_TRUNCATED, oh);
    }
    if (ldr_rd16(img, oh, &magic) != TDS_OK || ldr_rd32(img, oh + OPT_ENTRY, &o->entry) != TDS_OK ||
        ldr_rd64(img, oh + OPT_IMAGEBASE, &o->image_base) != TDS_OK ||
        ldr_rd32(img, oh + OPT_SECTALIGN, &o->sect_align) != TDS_OK ||
        ldr_rd32(img, oh + OPT_FILEALIGN, &o->file_align) != TDS_OK ||
        ldr_rd32(img, oh + OPT_SIZEOFIMAGE, &o->size_of_image) != TDS_OK ||
        ldr_rd32(img, oh + OPT_SIZEOFHEADERS, &o->size_of_headers) != TDS_OK ||
        ldr_rd32(img, oh + OPT_NRVA, &o->nrva) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, oh);
    }
    if (magic != PE_OPT_MAGIC_PE32P) {
        return ldr_fail(err, LDR_R_PE_OPT_MAGIC, oh);
    }
    /* 16 directories at most; all of them inside SizeOfOptionalHeader. */
    if (o->nrva > 16 || PE_OPT_FIXED_SIZE + (uint64_t)o->nrva * 8 > opt_size) {
        return ldr_fail(err, LDR_R_PE_OPT_SIZE, oh + OPT_NRVA);
    }
    if (!tds_is_pow2_u64(o->sect_align)) {
        return ldr_fail(err, LDR_R_SEG_ALIGN, oh + OPT_SECTALIGN);
    }
    if (!tds_is_pow2_u64(o->file_align) || o->file_align > o->sect_align) {
        return ldr_fail(err, LDR_R_SEG_ALIGN, oh + OPT_FILEALIGN);
    }
    if (o->size_of_image == 0 || !tds_is_aligned_u64(o->size_of_image, o->sect_align)) {
        return ldr_fail(err, LDR_R_PE_SIZE_OF_IMAGE, oh + OPT_SIZEOFIMAGE);
    }
    return TDS_OK;
}

static uint32_t scn_flags(uint32_t c)
{
    return ((c & PE_SCN_MEM_READ) ? LDR_SEG_R : 0u) | ((c & PE_SCN_MEM_WRITE) ? LDR_SEG_W : 0u) |
           ((c & PE_SCN_MEM_EXECUTE) ? LDR_SEG_X : 0u);
}

/* Validate section i (header at sh) and append it to the plan. */
static tds_status add_section(tds_bytes img, const pe_opt *o, uint64_t sh, ldr_plan *p,
                              uint64_t *prev_va, uint64_t *prev_end, ldr_error *err)
{
    uint32_t vsize = 0, va = 0, rawsize = 0, rawptr = 0, chars = 0;
    if (ldr_rd32(img, sh + SH_VSIZE, &vsize) != TDS_OK ||
        ldr_rd32(img, sh + SH_VA, &va) != TDS_OK ||
        ldr_rd32(img, sh + SH_RAWSIZE, &rawsize) != TDS_OK ||
        ldr_rd32(img, sh + SH_RAWPTR, &rawptr) != TDS_OK ||
        ldr_rd32(img, sh + SH_CHARS, &chars) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, sh);
    }
    /* VirtualSize 0: some linkers leave it out; the raw size is then the memory size. */
    uint64_t msize = (vsize != 0) ? vsize : rawsize;
    uint64_t copy = (rawsize < msize) ? rawsize : msize;
    if (msize == 0) {
        return TDS_OK;
    }
    if (!tds_is_aligned_u64(va, o->sect_align)) {
        return ldr_fail(err, LDR_R_SEG_ALIGN, sh + SH_VA);
    }
    if (va < o->size_of_headers) {
        return ldr_fail(err, LDR_R_PE_SECTION, sh + SH_VA);
    }
    if ((uint64_t)va + msize > o->size_of_image) { /* u32 + u32: no u64 overflow */
        return ldr_fail(err, LDR_R_PE_SECTION, sh + SH_VSIZE);
    }
    if (p->nseg > 1 && va < *prev_va) {
        return ldr_fail(err, LDR_R_SEG_ORDER, sh + SH_VA);
    }
    if (p->nseg > 1 && va < *prev_end) {
        return ldr_fail(err, LDR_R_SEG_OVERLAP, sh + SH_VA);
    }
    if (rawsize != 0 && (uint64_t)rawptr + rawsize > (uint64_t)img.len) {
        return ldr_fail(err, LDR_R_SEG_FILE_BOUNDS, sh + SH_RAWPTR);
    }
    if (p->nseg >= LDR_MAX_SEGMENTS) {
        return ldr_fail(err, LDR_R_TOO_MANY_SEGMENTS, sh);
    }
    /* Nothing copied (uninitialized data): PointerToRawData is meaningless, do not keep it. */
    ldr_plan_seg s = {va, msize, (copy != 0) ? rawptr : 0u, copy, scn_flags(chars)};
    p->seg[p->nseg++] = s;
    *prev_va = va;
    *prev_end = (uint64_t)va + msize;
    return TDS_OK;
}

/* Map an RVA range inside the file-backed part of a section to a file offset. */
static bool rva_to_file(const ldr_plan *p, uint64_t rva, uint64_t len, uint64_t *off)
{
    for (uint32_t i = p->first_reloc_seg; i < p->nseg && i < LDR_MAX_SEGMENTS; i++) {
        const ldr_plan_seg *s = &p->seg[i];
        if (tds_range_contains(s->mem_off, s->file_size, rva, len)) {
            *off = s->file_off + (rva - s->mem_off);
            return true;
        }
    }
    return false;
}

tds_status ldr_pe_plan(tds_bytes img, uint64_t dest_len, uint64_t dest_base, ldr_plan *p,
                       ldr_error *err)
{
    uint16_t mz = 0;
    uint32_t lfanew = 0, sig = 0;
    if (ldr_rd16(img, 0, &mz) != TDS_OK || mz != 0x5a4d) { /* "MZ" */
        return ldr_fail(err, LDR_R_UNKNOWN_FORMAT, 0);
    }
    if (ldr_rd32(img, PE_DOS_LFANEW, &lfanew) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, 0);
    }
    uint64_t pe = lfanew;
    if (pe < DOS_MIN || pe > (uint64_t)img.len) {
        return ldr_fail(err, LDR_R_PE_LFANEW, PE_DOS_LFANEW);
    }
    if (ldr_rd32(img, pe, &sig) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, pe);
    }
    if (sig != 0x00004550u) { /* "PE\0\0" */
        return ldr_fail(err, LDR_R_PE_SIGNATURE, pe);
    }
    uint16_t machine = 0, nsect = 0, opt_size = 0, chars = 0;
    if (ldr_rd16(img, pe + COFF_MACHINE, &machine) != TDS_OK ||
        ldr_rd16(img, pe + COFF_NSECT, &nsect) != TDS_OK ||
        ldr_rd16(img, pe + COFF_OPTSIZE, &opt_size) != TDS_OK ||
        ldr_rd16(img, pe + COFF_CHARS, &chars) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, pe);
    }
    if (machine != PE_MACHINE_AMD64) {
        return ldr_fail(err, LDR_R_MACHINE, pe + COFF_MACHINE);
    }
    if ((chars & PE_FILE_EXECUTABLE_IMAGE) == 0) {
        return ldr_fail(err, LDR_R_PE_CHARACTERISTICS, pe + COFF_CHARS);
    }
    if (nsect == 0) {
        return ldr_fail(err, LDR_R_NO_SEGMENTS, pe + COFF_NSECT);
    }
    if (nsect > LDR_MAX_SEGMENTS - 1) { /* one plan slot holds the headers */
        return ldr_fail(err, LDR_R_TOO_MANY_SEGMENTS, pe + COFF_NSECT);
    }
    uint64_t oh = pe + 4 + PE_COFF_SIZE;
    pe_opt o;
    memset(&o, 0, sizeof o);
    TDS_TRY(read_opt(img, oh, opt_size, &o, err));

    uint64_t st = oh + opt_size;
    uint64_t st_end = st + (uint64_t)nsect * PE_SECTION_SIZE; /* small numbers: no overflow */
    if (st_end > (uint64_t)img.len) {
        return ldr_fail(err, LDR_R_TRUNCATED, st);
    }
    if (o.size_of_headers < st_end || o.size_of_headers > (uint64_t)img.len ||
        o.size_of_headers > o.size_of_image) {
        return ldr_fail(err, LDR_R_PE_SIZE_OF_HEADERS, oh + OPT_SIZEOFHEADERS);
    }
    if (!tds_is_aligned_u64(dest_base, o.sect_align)) {
        return ldr_fail(err, LDR_R_DEST_MISALIGNED, oh + OPT_SECTALIGN);
    }
    if ((chars & PE_FILE_RELOCS_STRIPPED) != 0 && dest_base != o.image_base) {
        return ldr_fail(err, LDR_R_NOT_RELOCATABLE, pe + COFF_CHARS);
    }
    if (o.size_of_image > dest_len) {
        return ldr_fail(err, LDR_R_DEST_TOO_SMALL, oh + OPT_SIZEOFIMAGE);
    }

    /* Slot 0: the headers, loaded at offset 0 as PE loaders do; not a relocation target. */
    ldr_plan_seg hdr = {0, o.size_of_headers, 0, o.size_of_headers, LDR_SEG_R};
    p->seg[0] = hdr;
    p->nseg = 1;
    p->first_reloc_seg = 1;
    uint64_t prev_va = 0, prev_end = 0;
    for (uint32_t i = 0; i < nsect; i++) {
        TDS_TRY(
            add_section(img, &o, st + (uint64_t)i * PE_SECTION_SIZE, p, &prev_va, &prev_end, err));
    }
    if (p->nseg < 2) {
        return ldr_fail(err, LDR_R_NO_SEGMENTS, pe + COFF_NSECT);
    }

    bool entry_ok = false;
    for (uint32_t i = 1; i < p->nseg; i++) {
        const ldr_plan_seg *s = &p->seg[i];
        if ((s->flags & LDR_SEG_X) != 0 &&
            tds_range_contains(s->mem_off, s->file_size, o.entry, 1)) {
            entry_ok = true;
        }
    }
    if (!entry_ok) {
        return ldr_fail(err, LDR_R_ENTRY, oh + OPT_ENTRY);
    }
    p->entry_off = o.entry;
    p->span = o.size_of_image;
    p->link_base = o.image_base;
    p->delta = dest_base - o.image_base; /* mod 2^64 */

    p->reloc_off = 0;
    p->reloc_size = 0;
    if (o.nrva > PE_DIR_BASERELOC) {
        uint64_t d = oh + OPT_DIRS + (uint64_t)PE_DIR_BASERELOC * 8u;
        uint32_t rva = 0, size = 0;
        if (ldr_rd32(img, d, &rva) != TDS_OK || ldr_rd32(img, d + 4, &size) != TDS_OK) {
            return ldr_fail(err, LDR_R_TRUNCATED, d);
        }
        if (size != 0) {
            if (!rva_to_file(p, rva, size, &p->reloc_off)) {
                return ldr_fail(err, LDR_R_RELOC_TABLE, d);
            }
            p->reloc_size = size;
        }
    }
    return ldr_pe_relocate(img, p, NULL, err);
}

tds_status ldr_pe_relocate(tds_bytes img, ldr_plan *p, uint8_t *mem, ldr_error *err)
{
    p->reloc_count = 0;
    uint64_t pos = 0;
    while (pos < p->reloc_size) {
        uint64_t blk = p->reloc_off + pos; /* inside the file: rva_to_file */
        uint32_t page = 0, bsize = 0;
        if (p->reloc_size - pos < 8 || ldr_rd32(img, blk, &page) != TDS_OK ||
            ldr_rd32(img, blk + 4, &bsize) != TDS_OK) {
            return ldr_fail(err, LDR_R_RELOC_TABLE, blk);
        }
        /* Blocks start on a 32-bit boundary and hold whole entries. */
        if (bsize < 8 || (bsize % 4) != 0 || bsize > p->reloc_size - pos) {
            return ldr_fail(err, LDR_R_RELOC_TABLE, blk + 4);
        }
        for (uint64_t e = 8; e < bsize; e += 2) {
            uint16_t ent = 0;
            if (ldr_rd16(img, blk + e, &ent) != TDS_OK) {
                return ldr_fail(err, LDR_R_RELOC_TABLE, blk + e);
            }
            uint32_t type = (uint32_t)ent >> 12;
            uint64_t target = (uint64_t)page + (ent & 0xfffu);
            if (type == PE_REL_BASED_ABSOLUTE) {
                continue;
            }
            if (type != PE_REL_BASED_DIR64) {
                return ldr_fail(err, LDR_R_RELOC_TYPE, blk + e);
            }
            if (!ldr_plan_contains(p, p->first_reloc_seg, target, 8)) {
                return ldr_fail(err, LDR_R_RELOC_TARGET, blk + e);
            }
            if (mem != NULL) {
                /* DIR64: add the load delta to the 64-bit field (wrapping). */
                tds_store_le64(mem + target, tds_load_le64(mem + target) + p->delta);
            }
            p->reloc_count++;
        }
        pos += bsize;
    }
    return TDS_OK;
}
