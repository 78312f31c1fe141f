/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* ELF64 payload validation and loading (elf.h). Field offsets: System V gABI, x86-64 psABI. */
#include "elf.h"

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define RELA_SIZE 24u
#define DYN_SIZE 16u
#define ET_EXEC 2u
#define ET_DYN 3u
#define EM_X86_64 62u
#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define PF_X 1u
#define DT_NULL 0u
#define DT_PLTRELSZ 2u
#define DT_RELA 7u
#define DT_RELASZ 8u
#define DT_RELAENT 9u
#define DT_REL 17u
#define DT_RELSZ 18u
#define R_X86_64_NONE 0u
#define R_X86_64_RELATIVE 8u
#define PAGE 0x1000ull
#define MAX_ALIGN 0x200000ull

static tds_status fail(shim_elf_error *err, tds_status s, const char *what)
{
    if (err != NULL) {
        err->what = what;
    }
    return s;
}

typedef struct phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} phdr;

static tds_status read_phdr(tds_bytes file, uint64_t at, phdr *p)
{
    tds_cursor c = tds_cursor_make(file);
    uint64_t paddr;
    size_t pos;
    TDS_TRY(tds_u64_to_size(at, &pos));
    TDS_TRY(tds_cursor_seek(&c, pos));
    TDS_TRY(tds_cursor_le32(&c, &p->type));
    TDS_TRY(tds_cursor_le32(&c, &p->flags));
    TDS_TRY(tds_cursor_le64(&c, &p->offset));
    TDS_TRY(tds_cursor_le64(&c, &p->vaddr));
    TDS_TRY(tds_cursor_le64(&c, &paddr));
    TDS_TRY(tds_cursor_le64(&c, &p->filesz));
    TDS_TRY(tds_cursor_le64(&c, &p->memsz));
    return tds_cursor_le64(&c, &p->align);
}

/* DT_RELA / DT_RELASZ from the dynamic segment's file bytes. */
static tds_status read_dynamic(tds_bytes file, const phdr *p, uint64_t *rela, uint64_t *relasz,
                               shim_elf_error *err)
{
    tds_bytes dyn;
    size_t off;
    size_t len;
    if (tds_u64_to_size(p->offset, &off) != TDS_OK || tds_u64_to_size(p->filesz, &len) != TDS_OK ||
        tds_bytes_sub(file, off, len, &dyn) != TDS_OK) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "PT_DYNAMIC outside the file");
    }
    tds_cursor c = tds_cursor_make(dyn);
    uint64_t relaent = RELA_SIZE;
    *rela = 0;
    *relasz = 0;
    while (tds_cursor_remaining(&c) >= DYN_SIZE) {
        uint64_t tag;
        uint64_t val;
        TDS_TRY(tds_cursor_le64(&c, &tag));
        TDS_TRY(tds_cursor_le64(&c, &val));
        if (tag == DT_NULL) {
            break;
        }
        switch (tag) {
        case DT_RELA: *rela = val; break;
        case DT_RELASZ: *relasz = val; break;
        case DT_RELAENT: relaent = val; break;
        case DT_REL:
        case DT_RELSZ:
            return fail(err, TDS_ERR_UNSUPPORTED, "REL relocations (only RELA is supported)");
        case DT_PLTRELSZ:
            if (val != 0) {
                return fail(err, TDS_ERR_UNSUPPORTED, "PLT relocations (needs a dynamic linker)");
            }
            break;
        default: break;
        }
    }
    if (relaent != RELA_SIZE || (*relasz % RELA_SIZE) != 0) {
        return fail(err, TDS_ERR_MALFORMED, "RELA entry size is not 24");
    }
    return TDS_OK;
}

static tds_status check_header(tds_bytes file, uint16_t *type, uint64_t *entry, uint64_t *phoff,
                               uint16_t *phnum, shim_elf_error *err)
{
    static const uint8_t magic[7] = {0x7F, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1};
    tds_cursor c = tds_cursor_make(file);
    tds_bytes ident;
    uint16_t machine;
    uint32_t version;
    uint16_t phentsize;
    if (file.len < EHDR_SIZE || tds_cursor_take(&c, 16, &ident) != TDS_OK ||
        tds_cursor_le16(&c, type) != TDS_OK || tds_cursor_le16(&c, &machine) != TDS_OK ||
        tds_cursor_le32(&c, &version) != TDS_OK || tds_cursor_le64(&c, entry) != TDS_OK ||
        tds_cursor_le64(&c, phoff) != TDS_OK || tds_cursor_skip(&c, 8 + 4 + 2) != TDS_OK ||
        tds_cursor_le16(&c, &phentsize) != TDS_OK || tds_cursor_le16(&c, phnum) != TDS_OK) {
        return fail(err, TDS_ERR_TRUNCATED, "file shorter than the ELF header");
    }
    if (memcmp(ident.ptr, magic, sizeof magic) != 0 || version != 1) {
        return fail(err, TDS_ERR_MALFORMED, "not a 64-bit little-endian ELF version 1");
    }
    if (machine != EM_X86_64 || (*type != ET_EXEC && *type != ET_DYN)) {
        return fail(err, TDS_ERR_UNSUPPORTED, "not an x86-64 executable (ET_EXEC or ET_DYN)");
    }
    if (phentsize != PHDR_SIZE || *phnum == 0) {
        return fail(err, TDS_ERR_MALFORMED, "program header size is not 56 or there are none");
    }
    uint64_t ph_end;
    if (tds_add_u64(*phoff, (uint64_t)*phnum * PHDR_SIZE, &ph_end) != TDS_OK || ph_end > file.len) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "program headers outside the file");
    }
    return TDS_OK;
}

static tds_status add_load(shim_elf_image *m, const phdr *p, uint64_t file_len, uint64_t *prev_end,
                           shim_elf_error *err)
{
    uint64_t fend;
    uint64_t vend;
    if (m->load_count >= SHIM_ELF_MAX_LOADS) {
        return fail(err, TDS_ERR_UNSUPPORTED, "more than 16 PT_LOAD segments");
    }
    if (p->filesz > p->memsz || p->memsz == 0) {
        return fail(err, TDS_ERR_MALFORMED, "PT_LOAD with filesz > memsz or memsz 0");
    }
    if (tds_add_u64(p->offset, p->filesz, &fend) != TDS_OK || fend > file_len) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "PT_LOAD file bytes outside the file");
    }
    if (tds_add_u64(p->vaddr, p->memsz, &vend) != TDS_OK) {
        return fail(err, TDS_ERR_OVERFLOW, "PT_LOAD address range wraps");
    }
    if (p->align > MAX_ALIGN || (p->align > 1 && !tds_is_pow2_u64(p->align))) {
        return fail(err, TDS_ERR_UNSUPPORTED, "PT_LOAD alignment not a power of two <= 2 MiB");
    }
    if (m->load_count != 0 && p->vaddr < *prev_end) {
        return fail(err, TDS_ERR_MALFORMED, "PT_LOAD segments overlap or are not ascending");
    }
    shim_elf_segment *s = &m->load[m->load_count++];
    s->offset = p->offset;
    s->filesz = p->filesz;
    s->rel = p->vaddr; /* made relative once the base is known */
    s->memsz = p->memsz;
    s->flags = p->flags;
    *prev_end = vend;
    return TDS_OK;
}

tds_status shim_elf_parse(tds_bytes file, shim_elf_image *out, shim_elf_error *err)
{
    if (!tds_bytes_valid(file) || out == NULL) {
        return fail(err, TDS_ERR_INVALID_ARG, "invalid argument");
    }
    uint16_t type;
    uint64_t entry;
    uint64_t phoff;
    uint16_t phnum;
    TDS_TRY(check_header(file, &type, &entry, &phoff, &phnum, err));
    shim_elf_image m;
    memset(&m, 0, sizeof m);
    m.pie = type == ET_DYN;
    uint64_t prev_end = 0;
    uint64_t rela = 0;
    uint64_t relasz = 0;
    for (uint16_t i = 0; i < phnum; i++) {
        phdr p;
        if (read_phdr(file, phoff + (uint64_t)i * PHDR_SIZE, &p) != TDS_OK) {
            return fail(err, TDS_ERR_TRUNCATED, "program header outside the file");
        }
        if (p.type == PT_INTERP) {
            return fail(err, TDS_ERR_UNSUPPORTED, "PT_INTERP: needs a dynamic linker");
        }
        if (p.type == PT_LOAD) {
            TDS_TRY(add_load(&m, &p, file.len, &prev_end, err));
        } else if (p.type == PT_DYNAMIC) {
            TDS_TRY(read_dynamic(file, &p, &rela, &relasz, err));
        }
    }
    if (m.load_count == 0) {
        return fail(err, TDS_ERR_MALFORMED, "no PT_LOAD segment");
    }
    m.base_vaddr = m.load[0].rel & ~(PAGE - 1);
    uint64_t span;
    if (tds_align_up_u64(prev_end - m.base_vaddr, PAGE, &span) != TDS_OK ||
        span > SHIM_ELF_MAX_SPAN) {
        return fail(err, TDS_ERR_NO_SPACE, "image spans more than 256 MiB");
    }
    m.span = span;
    bool entry_ok = false;
    for (uint32_t i = 0; i < m.load_count; i++) {
        shim_elf_segment *s = &m.load[i];
        s->rel -= m.base_vaddr;
        if ((s->flags & PF_X) != 0 && entry >= m.base_vaddr + s->rel &&
            entry - (m.base_vaddr + s->rel) < s->memsz) {
            entry_ok = true;
        }
    }
    if (!entry_ok) {
        return fail(err, TDS_ERR_MALFORMED, "entry point not in an executable segment");
    }
    m.entry_rel = entry - m.base_vaddr;
    if (relasz != 0) {
        if (rela < m.base_vaddr || !tds_range_contains(0, m.span, rela - m.base_vaddr, relasz)) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS, "RELA table outside the image");
        }
        m.rela_rel = rela - m.base_vaddr;
        m.rela_count = relasz / RELA_SIZE;
    }
    *out = m;
    return TDS_OK;
}

static tds_status apply_relocations(const shim_elf_image *img, tds_mut_bytes dest,
                                    uint64_t load_addr, shim_elf_error *err)
{
    const tds_bytes view = tds_bytes_const(dest);
    tds_cursor c = tds_cursor_make(view);
    size_t pos;
    TDS_TRY(tds_u64_to_size(img->rela_rel, &pos));
    TDS_TRY(tds_cursor_seek(&c, pos));
    for (uint64_t i = 0; i < img->rela_count; i++) {
        uint64_t off;
        uint64_t info;
        uint64_t addend;
        if (tds_cursor_le64(&c, &off) != TDS_OK || tds_cursor_le64(&c, &info) != TDS_OK ||
            tds_cursor_le64(&c, &addend) != TDS_OK) {
            return fail(err, TDS_ERR_TRUNCATED, "RELA table runs past the image");
        }
        const uint32_t rtype = (uint32_t)info;
        if (rtype == R_X86_64_NONE) {
            continue;
        }
        if (rtype != R_X86_64_RELATIVE || (info >> 32) != 0) {
            return fail(err, TDS_ERR_UNSUPPORTED, "relocation other than R_X86_64_RELATIVE");
        }
        if (off < img->base_vaddr || !tds_range_contains(0, img->span, off - img->base_vaddr, 8)) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS, "relocation target outside the image");
        }
        /* B + A with B = load_addr - base_vaddr (psABI), modulo 2^64 by definition. */
        tds_store_le64(dest.ptr + (off - img->base_vaddr), load_addr - img->base_vaddr + addend);
    }
    return TDS_OK;
}

tds_status shim_elf_load(tds_bytes file, const shim_elf_image *img, tds_mut_bytes dest,
                         uint64_t load_addr, shim_elf_error *err)
{
    if (!tds_bytes_valid(file) || img == NULL || img->load_count == 0 ||
        img->load_count > SHIM_ELF_MAX_LOADS || !tds_bytes_valid(tds_bytes_const(dest))) {
        return fail(err, TDS_ERR_INVALID_ARG, "invalid argument");
    }
    if (dest.len != img->span) {
        return fail(err, TDS_ERR_INVALID_ARG, "destination is not the image span");
    }
    if (img->pie ? !tds_is_aligned_u64(load_addr, PAGE) : load_addr != img->base_vaddr) {
        return fail(err, TDS_ERR_INVALID_ARG, "load address not allowed for this image");
    }
    memset(dest.ptr, 0, dest.len);
    for (uint32_t i = 0; i < img->load_count; i++) {
        const shim_elf_segment *s = &img->load[i];
        tds_bytes src;
        tds_mut_bytes dst;
        if (tds_bytes_sub(file, (size_t)s->offset, (size_t)s->filesz, &src) != TDS_OK ||
            tds_mut_bytes_sub(dest, (size_t)s->rel, (size_t)s->memsz, &dst) != TDS_OK) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS, "segment does not match the parsed view");
        }
        if (src.len != 0) {
            memcpy(dst.ptr, src.ptr, src.len);
        }
    }
    return apply_relocations(img, dest, load_addr, err);
}
