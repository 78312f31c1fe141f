/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * ELF64 static PIE -> PE32+ (tdp_elf2pe.h). Layouts: System V gABI (ELF header 64 bytes, program
 * header 56, section header 64, Elf64_Sym 24, Elf64_Dyn 16, Elf64_Rela 24), x86-64 psABI
 * (R_X86_64_RELATIVE = 8: B + A), PE/COFF specification (COFF header 20 bytes, PE32+ optional
 * header 112 + 16 x 8, section header 40, base relocation blocks {PageRVA, BlockSize, u16[]}).
 * Every read of the input goes through a cursor; every size and offset through checked arithmetic.
 */
#include "tdp_elf2pe.h"
#include "exe_formats.h"

/* Signature, COFF header, PE32+ optional header. */
#define PE_HDRS_FIXED (4u + PE_COFF_SIZE + PE_OPT_SIZE)

#define PAGE_MASK ((uint64_t)TDP_ELF2PE_PAGE - 1u)

static tds_status fail(tdp_elf2pe_error *err, tdp_elf2pe_reason r, uint64_t off, uint64_t value)
{
    err->reason = r;
    err->offset = off;
    err->value = value;
    return tdp_elf2pe_reason_status(r);
}

/* A cursor on the input at an absolute offset (TRUNCATED past the end). */
static tds_status cursor_at(tds_bytes b, uint64_t off, tds_cursor *out)
{
    size_t pos;
    tds_cursor c = tds_cursor_make(b);
    if (tds_u64_to_size(off, &pos) != TDS_OK || tds_cursor_seek(&c, pos) != TDS_OK) {
        return TDS_ERR_TRUNCATED;
    }
    *out = c;
    return TDS_OK;
}

static tds_status rd16(tds_bytes b, uint64_t off, uint16_t *v)
{
    tds_cursor c;
    TDS_TRY(cursor_at(b, off, &c));
    return tds_cursor_le16(&c, v);
}

static tds_status rd32(tds_bytes b, uint64_t off, uint32_t *v)
{
    tds_cursor c;
    TDS_TRY(cursor_at(b, off, &c));
    return tds_cursor_le32(&c, v);
}

static tds_status rd64(tds_bytes b, uint64_t off, uint64_t *v)
{
    tds_cursor c;
    TDS_TRY(cursor_at(b, off, &c));
    return tds_cursor_le64(&c, v);
}

/* [off, off + len) inside the input. */
static bool in_file(tds_bytes b, uint64_t off, uint64_t len)
{
    return tds_range_contains(0, (uint64_t)b.len, off, len);
}

/* ---- ELF header and program headers ---- */

typedef struct e2p_ehdr {
    uint16_t shnum;
    uint16_t phnum;
    uint64_t entry, phoff, shoff;
} e2p_ehdr;

static tds_status read_ehdr(tds_bytes elf, e2p_ehdr *h, tdp_elf2pe_error *err)
{
    tds_cursor c = tds_cursor_make(elf);
    tds_bytes id;
    if (tds_cursor_take(&c, 16, &id) != TDS_OK) {
        return fail(err, TDP_E2P_TRUNCATED, 0, (uint64_t)elf.len);
    }
    if (id.ptr[0] != 0x7f || id.ptr[1] != 'E' || id.ptr[2] != 'L' || id.ptr[3] != 'F' ||
        id.ptr[4] != 2 /* ELFCLASS64 */ || id.ptr[5] != 1 /* ELFDATA2LSB */ ||
        id.ptr[6] != 1 /* EV_CURRENT */) {
        return fail(err, TDP_E2P_NOT_ELF64, 0, 0);
    }
    uint16_t type = 0, machine = 0, ehsize = 0, phentsize = 0, phnum = 0, shentsize = 0;
    uint16_t shnum = 0, shstrndx = 0;
    uint32_t version = 0, flags = 0;
    uint64_t entry = 0, phoff = 0, shoff = 0;
    if (tds_cursor_le16(&c, &type) != TDS_OK || tds_cursor_le16(&c, &machine) != TDS_OK ||
        tds_cursor_le32(&c, &version) != TDS_OK || tds_cursor_le64(&c, &entry) != TDS_OK ||
        tds_cursor_le64(&c, &phoff) != TDS_OK || tds_cursor_le64(&c, &shoff) != TDS_OK ||
        tds_cursor_le32(&c, &flags) != TDS_OK || tds_cursor_le16(&c, &ehsize) != TDS_OK ||
        tds_cursor_le16(&c, &phentsize) != TDS_OK || tds_cursor_le16(&c, &phnum) != TDS_OK ||
        tds_cursor_le16(&c, &shentsize) != TDS_OK || tds_cursor_le16(&c, &shnum) != TDS_OK ||
        tds_cursor_le16(&c, &shstrndx) != TDS_OK) {
        return fail(err, TDP_E2P_TRUNCATED, 0, (uint64_t)elf.len);
    }
    if (type != ET_DYN) {
        return fail(err, TDP_E2P_ELF_TYPE, 16, type);
    }
    if (machine != EM_X86_64) {
        return fail(err, TDP_E2P_MACHINE, 18, machine);
    }
    if (version != 1) {
        return fail(err, TDP_E2P_NOT_ELF64, 20, version);
    }
    if (ehsize < ELF_EHDR_SIZE) {
        return fail(err, TDP_E2P_ELF_HEADER, 52, ehsize);
    }
    if (phentsize != ELF_PHDR_SIZE) {
        return fail(err, TDP_E2P_ELF_HEADER, 54, phentsize);
    }
    if (phnum == 0 || phnum == 0xffffu) { /* PN_XNUM: the count would be in section 0 */
        return fail(err, TDP_E2P_ELF_HEADER, 56, phnum);
    }
    if (shnum != 0 && shentsize != ELF_SHDR_SIZE) {
        return fail(err, TDP_E2P_ELF_HEADER, 58, shentsize);
    }
    if (!in_file(elf, phoff, (uint64_t)phnum * ELF_PHDR_SIZE)) {
        return fail(err, TDP_E2P_TRUNCATED, 32, phoff);
    }
    h->shnum = shnum;
    h->phnum = phnum;
    h->entry = entry;
    h->phoff = phoff;
    h->shoff = shoff;
    return TDS_OK;
}

typedef struct e2p_scan {
    uint32_t nseg;
    tdp_elf2pe_seg seg[TDP_ELF2PE_MAX_SEGMENTS]; /* rva holds p_vaddr until rebased */
    uint64_t ph_at[TDP_ELF2PE_MAX_SEGMENTS];     /* program header offset, for errors */
    bool has_dynamic;
    uint64_t dyn_off, dyn_size;
} e2p_scan;

typedef struct e2p_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, filesz, memsz, align;
} e2p_phdr;

static tds_status read_phdr(tds_bytes elf, uint64_t ph, e2p_phdr *p, tdp_elf2pe_error *err)
{
    tds_cursor c;
    uint64_t paddr = 0;
    if (cursor_at(elf, ph, &c) != TDS_OK || tds_cursor_le32(&c, &p->type) != TDS_OK ||
        tds_cursor_le32(&c, &p->flags) != TDS_OK || tds_cursor_le64(&c, &p->offset) != TDS_OK ||
        tds_cursor_le64(&c, &p->vaddr) != TDS_OK || tds_cursor_le64(&c, &paddr) != TDS_OK ||
        tds_cursor_le64(&c, &p->filesz) != TDS_OK || tds_cursor_le64(&c, &p->memsz) != TDS_OK ||
        tds_cursor_le64(&c, &p->align) != TDS_OK) {
        return fail(err, TDP_E2P_TRUNCATED, ph, 0);
    }
    return TDS_OK;
}

static tds_status add_load(tds_bytes elf, const e2p_phdr *p, uint64_t ph, e2p_scan *s,
                           tdp_elf2pe_error *err)
{
    uint64_t fend, vend;
    if (p->align > 1 && !tds_is_pow2_u64(p->align)) {
        return fail(err, TDP_E2P_SEG_ALIGN, ph + 48, p->align);
    }
    /* 4 KiB is the PE SectionAlignment: a larger p_align is a promise the PE cannot keep. */
    if (p->align > TDP_ELF2PE_PAGE) {
        return fail(err, TDP_E2P_SEG_ALIGN, ph + 48, p->align);
    }
    if (p->align > 1 && ((p->vaddr - p->offset) & (p->align - 1)) != 0) {
        return fail(err, TDP_E2P_SEG_ALIGN, ph + 16, p->vaddr);
    }
    if (tds_range_end(p->offset, p->filesz, &fend) != TDS_OK ||
        tds_range_end(p->vaddr, p->memsz, &vend) != TDS_OK) {
        return fail(err, TDP_E2P_SEG_WRAPS, ph, p->vaddr);
    }
    if (fend > (uint64_t)elf.len) {
        return fail(err, TDP_E2P_SEG_SIZE, ph + 8, p->offset);
    }
    if (p->memsz < p->filesz) {
        return fail(err, TDP_E2P_SEG_SIZE, ph + 40, p->memsz);
    }
    if ((p->flags & (PF_W | PF_X)) == (PF_W | PF_X)) {
        return fail(err, TDP_E2P_SEG_FLAGS, ph + 4, p->flags);
    }
    if (p->memsz == 0) {
        return TDS_OK;
    }
    if (s->nseg > 0) {
        const tdp_elf2pe_seg *prev = &s->seg[s->nseg - 1];
        if (p->vaddr < prev->rva) {
            return fail(err, TDP_E2P_SEG_ORDER, ph + 16, p->vaddr);
        }
        if (p->vaddr < prev->rva + prev->memsz) { /* no wrap: checked when it was added */
            return fail(err, TDP_E2P_SEG_OVERLAP, ph + 16, p->vaddr);
        }
    }
    if (s->nseg >= TDP_ELF2PE_MAX_SEGMENTS) {
        return fail(err, TDP_E2P_TOO_MANY_SEGMENTS, ph, s->nseg);
    }
    tdp_elf2pe_seg seg = {p->vaddr, p->memsz, p->offset, p->filesz, p->flags};
    s->seg[s->nseg] = seg;
    s->ph_at[s->nseg] = ph;
    s->nseg++;
    return TDS_OK;
}

static tds_status scan_phdrs(tds_bytes elf, const e2p_ehdr *h, e2p_scan *s, tdp_elf2pe_error *err)
{
    memset(s, 0, sizeof *s);
    for (uint32_t i = 0; i < h->phnum; i++) {
        const uint64_t ph = h->phoff + (uint64_t)i * ELF_PHDR_SIZE; /* inside the file: read_ehdr */
        e2p_phdr p;
        memset(&p, 0, sizeof p);
        TDS_TRY(read_phdr(elf, ph, &p, err));
        switch (p.type) {
        case PT_NULL:
        case PT_NOTE:
        case PT_PHDR:
        case PT_GNU_EH_FRAME:
        case PT_GNU_STACK:
        case PT_GNU_RELRO:
        case PT_GNU_PROPERTY: break;
        case PT_INTERP: return fail(err, TDP_E2P_INTERP, ph, p.type);
        case PT_DYNAMIC:
            if (s->has_dynamic || (p.filesz % ELF_DYN_SIZE) != 0 ||
                !in_file(elf, p.offset, p.filesz)) {
                return fail(err, TDP_E2P_DYNAMIC, ph, p.offset);
            }
            s->has_dynamic = true;
            s->dyn_off = p.offset;
            s->dyn_size = p.filesz;
            break;
        case PT_LOAD: TDS_TRY(add_load(elf, &p, ph, s, err)); break;
        default: return fail(err, TDP_E2P_PHDR_TYPE, ph, p.type);
        }
    }
    if (s->nseg == 0) {
        return fail(err, TDP_E2P_NO_SEGMENTS, 32, 0);
    }
    return TDS_OK;
}

/* The first PT_LOAD is RVA 0 and becomes the PE header page: it must be the ELF header segment. */
static tds_status rebase(e2p_scan *s, uint64_t *link_base, tdp_elf2pe_error *err)
{
    const tdp_elf2pe_seg *h = &s->seg[0];
    if (!tds_is_aligned_u64(h->rva, TDP_ELF2PE_PAGE)) {
        return fail(err, TDP_E2P_SEG_ALIGN, s->ph_at[0] + 16, h->rva);
    }
    if (h->elf_off != 0 || h->filesz < ELF_EHDR_SIZE || h->memsz != h->filesz ||
        (h->pflags & (PF_W | PF_X)) != 0) {
        return fail(err, TDP_E2P_HEADER_SEGMENT, s->ph_at[0], h->pflags);
    }
    if (s->nseg < 2) {
        return fail(err, TDP_E2P_NO_SEGMENTS, s->ph_at[0], s->nseg);
    }
    const uint64_t base = h->rva;
    for (uint32_t i = 0; i < s->nseg; i++) {
        tdp_elf2pe_seg *g = &s->seg[i];
        g->rva -= base; /* ascending from base: no wrap */
        /* Every RVA and size of the image is a PE u32; keep a page of headroom for .reloc. */
        if (g->rva + g->memsz > (uint64_t)UINT32_MAX - (uint64_t)2 * TDP_ELF2PE_PAGE) {
            return fail(err, TDP_E2P_SEG_TOO_LARGE, s->ph_at[i], g->memsz);
        }
        /* A section starts at its segment's page: that page must belong to it alone. */
        if (i >= 2 && (g->rva & ~PAGE_MASK) < s->seg[i - 1].rva + s->seg[i - 1].memsz) {
            return fail(err, TDP_E2P_SEG_OVERLAP, s->ph_at[i] + 16, g->rva + base);
        }
    }
    *link_base = base;
    return TDS_OK;
}

/* A link-time range inside the file-backed bytes of a PT_LOAD (any, the header one included). */
static bool vaddr_to_file(const e2p_scan *s, uint64_t link_base, uint64_t vaddr, uint64_t len,
                          uint64_t *off)
{
    uint64_t rva;
    if (tds_sub_u64(vaddr, link_base, &rva) != TDS_OK) {
        return false;
    }
    for (uint32_t i = 0; i < s->nseg && i < TDP_ELF2PE_MAX_SEGMENTS; i++) {
        const tdp_elf2pe_seg *g = &s->seg[i];
        if (tds_range_contains(g->rva, g->filesz, rva, len)) {
            *off = g->elf_off + (rva - g->rva);
            return true;
        }
    }
    return false;
}

/* The section (seg index >= 1) whose file-backed bytes hold [rva, rva + len), or 0 if none. */
static uint32_t seg_of(const tdp_elf2pe_plan *p, uint64_t rva, uint64_t len)
{
    for (uint32_t i = 1; i < p->nseg && i < TDP_ELF2PE_MAX_SEGMENTS; i++) {
        if (tds_range_contains(p->seg[i].rva, p->seg[i].filesz, rva, len)) {
            return i;
        }
    }
    return 0;
}

/* ---- dynamic section ---- */

static tds_status scan_dynamic(tds_bytes elf, const e2p_scan *s, uint64_t link_base,
                               tdp_elf2pe_plan *p, tdp_elf2pe_error *err)
{
    uint64_t rela = 0, relasz = 0, relaent = 0, rela_at = 0;
    bool has_rela = false, has_relasz = false, has_relaent = false;
    p->rela_off = 0;
    p->rela_size = 0;
    if (!s->has_dynamic) {
        return TDS_OK;
    }
    for (uint64_t pos = 0; pos < s->dyn_size; pos += ELF_DYN_SIZE) {
        const uint64_t at = s->dyn_off + pos; /* inside the file: scan_phdrs */
        uint64_t tag = 0, val = 0;
        if (rd64(elf, at, &tag) != TDS_OK || rd64(elf, at + 8, &val) != TDS_OK) {
            return fail(err, TDP_E2P_TRUNCATED, at, 0);
        }
        if (tag == DT_NULL) {
            break;
        }
        switch (tag) {
        case DT_NEEDED:
        case DT_REL:
        case DT_RELSZ:
        case DT_RELENT:
        case DT_RELR:
        case DT_RELRSZ:
        case DT_RELRENT:
        case DT_JMPREL: return fail(err, TDP_E2P_DYN_TAG, at, tag);
        case DT_PLTRELSZ:
            if (val != 0) {
                return fail(err, TDP_E2P_DYN_TAG, at, tag);
            }
            break;
        case DT_RELA:
            rela = val;
            rela_at = at;
            has_rela = true;
            break;
        case DT_RELASZ:
            relasz = val;
            has_relasz = true;
            break;
        case DT_RELAENT:
            relaent = val;
            has_relaent = true;
            break;
        default: break;
        }
    }
    if ((has_rela && (!has_relasz || !has_relaent || relaent != ELF_RELA_SIZE)) ||
        (!has_rela && has_relasz && relasz != 0)) {
        return fail(err, TDP_E2P_RELAENT, has_rela ? rela_at : s->dyn_off, relaent);
    }
    if (!has_rela || relasz == 0) {
        return TDS_OK;
    }
    if ((relasz % ELF_RELA_SIZE) != 0 || !vaddr_to_file(s, link_base, rela, relasz, &p->rela_off)) {
        return fail(err, TDP_E2P_RELA_TABLE, rela_at, rela);
    }
    p->rela_size = relasz;
    return TDS_OK;
}

/* ---- entry symbol ---- */

typedef struct e2p_shdr {
    uint32_t type, link;
    uint64_t offset, size, entsize;
} e2p_shdr;

static tds_status read_shdr(tds_bytes elf, uint64_t at, e2p_shdr *sh)
{
    uint32_t name = 0, info = 0;
    uint64_t flags = 0, addr = 0, align = 0;
    tds_cursor c;
    TDS_TRY(cursor_at(elf, at, &c));
    if (tds_cursor_le32(&c, &name) != TDS_OK || tds_cursor_le32(&c, &sh->type) != TDS_OK ||
        tds_cursor_le64(&c, &flags) != TDS_OK || tds_cursor_le64(&c, &addr) != TDS_OK ||
        tds_cursor_le64(&c, &sh->offset) != TDS_OK || tds_cursor_le64(&c, &sh->size) != TDS_OK ||
        tds_cursor_le32(&c, &sh->link) != TDS_OK || tds_cursor_le32(&c, &info) != TDS_OK ||
        tds_cursor_le64(&c, &align) != TDS_OK || tds_cursor_le64(&c, &sh->entsize) != TDS_OK) {
        return TDS_ERR_TRUNCATED;
    }
    return TDS_OK;
}

/* Does the NUL-terminated string at strtab[off] equal `name` (no byte read outside strtab)? */
static bool name_is(tds_bytes strtab, uint32_t off, const char *name, size_t name_len)
{
    tds_bytes s;
    if (tds_bytes_sub(strtab, (size_t)off, name_len + 1u, &s) != TDS_OK) {
        return false;
    }
    return memcmp(s.ptr, name, name_len) == 0 && s.ptr[name_len] == 0;
}

static tds_status find_symbol(tds_bytes elf, const e2p_ehdr *h, const char *name, uint64_t *value,
                              uint64_t *sym_at, tdp_elf2pe_error *err)
{
    const uint64_t table = (uint64_t)h->shnum * ELF_SHDR_SIZE;
    if (h->shnum == 0 || !in_file(elf, h->shoff, table)) {
        return fail(err, TDP_E2P_SYMTAB, 40, h->shoff);
    }
    e2p_shdr sym;
    memset(&sym, 0, sizeof sym);
    uint64_t sym_sh = 0;
    bool have = false;
    for (uint32_t i = 0; i < h->shnum; i++) {
        e2p_shdr sh;
        const uint64_t at = h->shoff + (uint64_t)i * ELF_SHDR_SIZE;
        if (read_shdr(elf, at, &sh) != TDS_OK) {
            return fail(err, TDP_E2P_TRUNCATED, at, 0);
        }
        if (sh.type == SHT_SYMTAB) {
            if (have) {
                return fail(err, TDP_E2P_SYMTAB, at, i);
            }
            sym = sh;
            sym_sh = at;
            have = true;
        }
    }
    if (!have) {
        return fail(err, TDP_E2P_SYMTAB, h->shoff, 0);
    }
    e2p_shdr str;
    memset(&str, 0, sizeof str);
    const uint64_t str_sh =
        h->shoff + (uint64_t)sym.link * ELF_SHDR_SIZE; /* link < shnum: no wrap */
    if (sym.entsize != ELF_SYM_SIZE || (sym.size % ELF_SYM_SIZE) != 0 ||
        !in_file(elf, sym.offset, sym.size) || sym.link == 0 || sym.link >= h->shnum ||
        read_shdr(elf, str_sh, &str) != TDS_OK || str.type != SHT_STRTAB ||
        !in_file(elf, str.offset, str.size)) {
        return fail(err, TDP_E2P_SYMTAB, sym_sh, sym.link);
    }
    tds_bytes strtab;
    if (tds_bytes_sub(elf, (size_t)str.offset, (size_t)str.size, &strtab) != TDS_OK) {
        return fail(err, TDP_E2P_SYMTAB, str_sh, str.offset); /* in_file above: cannot happen */
    }
    const size_t name_len = strlen(name);
    bool found = false;
    uint64_t v = 0, v_at = 0;
    for (uint64_t pos = ELF_SYM_SIZE; pos < sym.size;
         pos += ELF_SYM_SIZE) { /* entry 0 is reserved */
        const uint64_t at = sym.offset + pos;
        uint32_t st_name = 0;
        uint16_t shndx = 0;
        uint64_t st_value = 0;
        if (rd32(elf, at, &st_name) != TDS_OK || rd16(elf, at + 6, &shndx) != TDS_OK ||
            rd64(elf, at + 8, &st_value) != TDS_OK) {
            return fail(err, TDP_E2P_TRUNCATED, at, 0);
        }
        /* Defined in a section of the image (not undefined, not absolute or common). */
        if (shndx == SHN_UNDEF || shndx >= SHN_LORESERVE ||
            !name_is(strtab, st_name, name, name_len)) {
            continue;
        }
        if (found && st_value != v) {
            return fail(err, TDP_E2P_SYMBOL_AMBIGUOUS, at, st_value);
        }
        found = true;
        v = st_value;
        v_at = at;
    }
    if (!found) {
        return fail(err, TDP_E2P_SYMBOL_NOT_FOUND, sym_sh, 0);
    }
    *value = v;
    *sym_at = v_at;
    return TDS_OK;
}

/* ---- relocations ---- */

typedef struct e2p_relocs {
    uint32_t count, blocks;
    uint64_t dir_size;
} e2p_relocs;

/* End the current block: pad to 4 bytes with an ABSOLUTE entry, then fill in BlockSize. */
static tds_status close_block(tds_writer *w, size_t block_at, uint32_t n, e2p_relocs *st)
{
    const uint32_t size = 8u + 2u * n + ((n & 1u) != 0 ? 2u : 0u); /* n <= 512 per page */
    if (w != NULL) {
        if ((n & 1u) != 0) {
            TDS_TRY(tds_writer_le16(w, (uint16_t)(PE_REL_BASED_ABSOLUTE << 12)));
        }
        tds_store_le32(w->buf.ptr + block_at + 4u, size); /* block_at + 8 <= pos <= len */
    }
    st->dir_size += size;
    return TDS_OK;
}

/*
 * Walk the RELA table. Validating (out == NULL): every entry checked and counted. Writing: the
 * DIR64 blocks go to .reloc, and each field gets ImageBase + (A - link base): the PE loader adds
 * (load address - ImageBase), so the loaded field is the psABI's B + A, wrapping like the ELF
 * loader's arithmetic (libloader/elf.c).
 */
static tds_status walk_relocs(tds_bytes elf, const tdp_elf2pe_plan *p, uint8_t *out, size_t out_len,
                              e2p_relocs *st, tdp_elf2pe_error *err)
{
    tds_writer wr;
    tds_writer *w = NULL;
    memset(st, 0, sizeof *st);
    if (out != NULL && p->reloc_count != 0) {
        const tdp_elf2pe_sect *r = &p->sect[p->nsect - 1];
        tds_mut_bytes dir;
        if (tds_mut_bytes_sub(tds_mut_bytes_make(out, out_len), r->raw_off, p->reloc_dir_size,
                              &dir) != TDS_OK) {
            return fail(err, TDP_E2P_BAD_ARG, 0, 0);
        }
        wr = tds_writer_make(dir);
        w = &wr;
    }
    uint64_t page = 0, next_free = 0;
    size_t block_at = 0;
    uint32_t in_block = 0;
    for (uint64_t pos = 0; pos < p->rela_size; pos += ELF_RELA_SIZE) {
        const uint64_t at = p->rela_off + pos; /* inside the file: scan_dynamic */
        uint64_t r_offset = 0, r_info = 0, r_addend = 0;
        if (rd64(elf, at, &r_offset) != TDS_OK || rd64(elf, at + 8, &r_info) != TDS_OK ||
            rd64(elf, at + 16, &r_addend) != TDS_OK) {
            return fail(err, TDP_E2P_TRUNCATED, at, 0);
        }
        const uint64_t type = r_info & 0xffffffffu;
        const uint64_t sym = r_info >> 32;
        if (type == R_X86_64_NONE) {
            continue;
        }
        if (type != R_X86_64_RELATIVE) {
            return fail(err, TDP_E2P_RELOC_TYPE, at + 8, type);
        }
        if (sym != 0) {
            return fail(err, TDP_E2P_RELOC_SYMBOL, at + 8, sym);
        }
        uint64_t rva;
        if (tds_sub_u64(r_offset, p->link_base, &rva) != TDS_OK) {
            return fail(err, TDP_E2P_RELOC_TARGET, at, r_offset);
        }
        if (st->count != 0 && rva < next_free) {
            return fail(err, TDP_E2P_RELOC_ORDER, at, r_offset);
        }
        const uint32_t i = seg_of(p, rva, 8);
        if (i == 0) {
            return fail(err, TDP_E2P_RELOC_TARGET, at, r_offset);
        }
        if (st->count == UINT32_MAX) {
            return fail(err, TDP_E2P_SEG_TOO_LARGE, at, st->count);
        }
        const uint64_t pg = rva & ~PAGE_MASK;
        if (st->count == 0 || pg != page) {
            if (st->count != 0) {
                TDS_TRY(close_block(w, block_at, in_block, st));
            }
            if (w != NULL) {
                block_at = tds_writer_pos(w);
                if (tds_writer_le32(w, (uint32_t)pg) != TDS_OK || tds_writer_le32(w, 0) != TDS_OK) {
                    return fail(err, TDP_E2P_BAD_ARG, at, 0); /* not the plan's input */
                }
            }
            page = pg;
            in_block = 0;
            st->blocks++;
        }
        if (w != NULL) {
            const uint16_t ent =
                (uint16_t)((PE_REL_BASED_DIR64 << 12) | (uint32_t)(rva & PAGE_MASK));
            const tdp_elf2pe_sect *s = &p->sect[i - 1];
            const uint64_t field = (uint64_t)s->raw_off + (rva - s->va); /* in the raw data */
            if (tds_writer_le16(w, ent) != TDS_OK || field > (uint64_t)out_len ||
                out_len - (size_t)field < 8u) {
                return fail(err, TDP_E2P_BAD_ARG, at, 0);
            }
            tds_store_le64(out + (size_t)field, p->image_base + (r_addend - p->link_base));
        }
        in_block++;
        st->count++;
        next_free = rva + 8; /* rva + 8 inside a segment: no wrap */
    }
    if (st->count != 0) {
        TDS_TRY(close_block(w, block_at, in_block, st));
    }
    return TDS_OK;
}

/* ---- layout ---- */

/* PE section names: 8 bytes, NUL-padded (not NUL-terminated when 8 characters long). */
typedef char e2p_name[8];
static const e2p_name k_text = ".text", k_bss = ".bss", k_data = ".data", k_rdata = ".rdata",
                      k_reloc = ".reloc";

static void sect_name(char name[8], const e2p_name *n)
{
    memcpy(name, *n, sizeof *n);
}

static void describe(const tdp_elf2pe_seg *g, tdp_elf2pe_sect *s)
{
    const uint32_t rw =
        ((g->pflags & PF_R) ? PE_SCN_MEM_READ : 0u) | ((g->pflags & PF_W) ? PE_SCN_MEM_WRITE : 0u);
    if ((g->pflags & PF_X) != 0) {
        sect_name(s->name, &k_text);
        s->chars = PE_SCN_CNT_CODE | PE_SCN_MEM_EXECUTE | rw;
    } else if (g->filesz == 0) {
        sect_name(s->name, &k_bss);
        s->chars = PE_SCN_CNT_UNINITIALIZED_DATA | rw;
    } else {
        sect_name(s->name, (g->pflags & PF_W) ? &k_data : &k_rdata);
        s->chars = PE_SCN_CNT_INITIALIZED_DATA | rw;
    }
}

static tds_status layout(tdp_elf2pe_plan *p, const e2p_scan *s, tdp_elf2pe_error *err)
{
    const uint32_t nsect = (p->nseg - 1u) + (p->reloc_count != 0 ? 1u : 0u);
    /* The header segment's bytes stay where they are; the PE headers follow them. */
    uint64_t lfanew, size_of_headers;
    if (tds_align_up_u64(p->seg[0].filesz, 8, &lfanew) != TDS_OK ||
        tds_align_up_u64(lfanew + PE_HDRS_FIXED + (uint64_t)nsect * PE_SECTION_SIZE,
                         TDP_ELF2PE_PAGE, &size_of_headers) != TDS_OK) {
        return fail(err, TDP_E2P_SEG_TOO_LARGE, s->ph_at[0], p->seg[0].filesz);
    }
    if ((p->seg[1].rva & ~PAGE_MASK) < size_of_headers) {
        return fail(err, TDP_E2P_HEADER_SEGMENT, s->ph_at[1] + 16, size_of_headers);
    }
    uint64_t file = size_of_headers; /* bounded below 2^33 by the checks of rebase */
    uint64_t end = 0;
    for (uint32_t i = 1; i < p->nseg; i++) {
        const tdp_elf2pe_seg *g = &p->seg[i];
        tdp_elf2pe_sect *t = &p->sect[i - 1];
        const uint64_t va = g->rva & ~PAGE_MASK;
        uint64_t raw = 0;
        if (g->filesz != 0 &&
            tds_align_up_u64(g->rva - va + g->filesz, TDP_ELF2PE_PAGE, &raw) != TDS_OK) {
            return fail(err, TDP_E2P_SEG_TOO_LARGE, s->ph_at[i], g->filesz);
        }
        describe(g, t);
        t->va = (uint32_t)va; /* < 2^32: rebase */
        t->vsize = (uint32_t)(g->rva + g->memsz - va);
        t->raw_off = raw != 0 ? (uint32_t)file : 0u;
        t->raw_size = (uint32_t)raw;
        file += raw;
        end = g->rva + g->memsz;
    }
    uint64_t image_end;
    if (tds_align_up_u64(end, TDP_ELF2PE_PAGE, &image_end) != TDS_OK) {
        return fail(err, TDP_E2P_SEG_TOO_LARGE, 0, end);
    }
    if (p->reloc_count != 0) {
        tdp_elf2pe_sect *r = &p->sect[nsect - 1];
        uint64_t raw, rend;
        if (tds_align_up_u64(p->reloc_dir_size, TDP_ELF2PE_PAGE, &raw) != TDS_OK ||
            tds_align_up_u64(image_end + p->reloc_dir_size, TDP_ELF2PE_PAGE, &rend) != TDS_OK ||
            rend > UINT32_MAX) {
            return fail(err, TDP_E2P_SEG_TOO_LARGE, p->rela_off, p->reloc_dir_size);
        }
        sect_name(r->name, &k_reloc);
        r->chars = PE_SCN_CNT_INITIALIZED_DATA | PE_SCN_MEM_DISCARDABLE | PE_SCN_MEM_READ;
        r->va = (uint32_t)image_end;
        r->vsize = p->reloc_dir_size;
        r->raw_off = (uint32_t)file;
        r->raw_size = (uint32_t)raw;
        file += raw;
        image_end = rend;
    }
    if (image_end > UINT32_MAX || file > UINT32_MAX || file > (uint64_t)SIZE_MAX) {
        return fail(err, TDP_E2P_SEG_TOO_LARGE, 0, file);
    }
    uint64_t last;
    if (tds_range_last(p->image_base, image_end, &last) != TDS_OK) {
        return fail(err, TDP_E2P_IMAGE_BASE, 0, p->image_base);
    }
    p->nsect = nsect;
    p->lfanew = (uint32_t)lfanew;
    p->size_of_headers = (uint32_t)size_of_headers;
    p->size_of_image = (uint32_t)image_end;
    p->out_len = (size_t)file;
    return TDS_OK;
}

tds_status tdp_elf2pe_plan_make(tds_bytes elf, const tdp_elf2pe_opts *opts, tdp_elf2pe_plan *plan,
                                tdp_elf2pe_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (opts == NULL || plan == NULL || !tds_bytes_valid(elf)) {
        return fail(err, TDP_E2P_BAD_ARG, 0, 0);
    }
    if (!tds_is_aligned_u64(opts->image_base, TDP_ELF2PE_IMAGE_BASE_ALIGN)) {
        return fail(err, TDP_E2P_IMAGE_BASE, 0, opts->image_base);
    }
    e2p_ehdr h;
    memset(&h, 0, sizeof h);
    TDS_TRY(read_ehdr(elf, &h, err));
    e2p_scan s;
    TDS_TRY(scan_phdrs(elf, &h, &s, err));
    tdp_elf2pe_plan p;
    memset(&p, 0, sizeof p);
    TDS_TRY(rebase(&s, &p.link_base, err));
    p.elf_len = elf.len;
    p.image_base = opts->image_base;
    p.nseg = s.nseg;
    memcpy(p.seg, s.seg, sizeof p.seg);

    uint64_t entry = h.entry, entry_at = 24;
    if (opts->entry_symbol != NULL) {
        if (opts->entry_symbol[0] == '\0') {
            return fail(err, TDP_E2P_BAD_ARG, 0, 0);
        }
        TDS_TRY(find_symbol(elf, &h, opts->entry_symbol, &entry, &entry_at, err));
    }
    uint64_t entry_rva;
    if (tds_sub_u64(entry, p.link_base, &entry_rva) != TDS_OK) {
        return fail(err, TDP_E2P_ENTRY, entry_at, entry);
    }
    const uint32_t es = seg_of(&p, entry_rva, 1);
    if (es == 0 || (p.seg[es].pflags & PF_X) == 0) {
        return fail(err, TDP_E2P_ENTRY, entry_at, entry);
    }
    p.entry_rva = (uint32_t)entry_rva; /* inside a segment: < 2^32 */

    TDS_TRY(scan_dynamic(elf, &s, p.link_base, &p, err));
    e2p_relocs st;
    TDS_TRY(walk_relocs(elf, &p, NULL, 0, &st, err));
    if (st.dir_size > UINT32_MAX) {
        return fail(err, TDP_E2P_SEG_TOO_LARGE, p.rela_off, st.dir_size);
    }
    p.reloc_count = st.count;
    p.reloc_blocks = st.blocks;
    p.reloc_dir_size = (uint32_t)st.dir_size;
    TDS_TRY(layout(&p, &s, err));
    *plan = p;
    err->reason = TDP_E2P_NONE;
    err->offset = 0;
    err->value = 0;
    return TDS_OK;
}

/* ---- writing ---- */

static tds_status copy_in(tds_bytes elf, uint64_t from, uint64_t len, tds_mut_bytes out,
                          uint64_t to)
{
    tds_bytes src;
    tds_mut_bytes dst;
    size_t f, t, n;
    TDS_TRY(tds_u64_to_size(from, &f));
    TDS_TRY(tds_u64_to_size(to, &t));
    TDS_TRY(tds_u64_to_size(len, &n));
    TDS_TRY(tds_bytes_sub(elf, f, n, &src));
    TDS_TRY(tds_mut_bytes_sub(out, t, n, &dst));
    if (n != 0) {
        memcpy(dst.ptr, src.ptr, n);
    }
    return TDS_OK;
}

static tds_status put_headers(tds_writer *w, const tdp_elf2pe_plan *p)
{
    uint32_t code = 0, init = 0, uninit = 0, base_of_code = 0;
    for (uint32_t i = 0; i < p->nsect && i < TDP_ELF2PE_MAX_SEGMENTS; i++) {
        const tdp_elf2pe_sect *s = &p->sect[i];
        if ((s->chars & PE_SCN_CNT_CODE) != 0) {
            base_of_code = (code == 0) ? s->va : base_of_code;
            code += s->raw_size; /* sums bounded by the file size (< 2^32): layout */
        } else if ((s->chars & PE_SCN_CNT_INITIALIZED_DATA) != 0) {
            init += s->raw_size;
        } else {
            uninit += s->vsize;
        }
    }
    /* "PE\0\0" and the COFF file header. */
    TDS_TRY(tds_writer_le32(w, 0x00004550u));
    TDS_TRY(tds_writer_le16(w, PE_MACHINE_AMD64));
    TDS_TRY(tds_writer_le16(w, (uint16_t)p->nsect));
    TDS_TRY(tds_writer_zero(w, 12)); /* TimeDateStamp 0 (reproducible), no COFF symbols */
    TDS_TRY(tds_writer_le16(w, PE_OPT_SIZE));
    TDS_TRY(tds_writer_le16(w, PE_FILE_EXECUTABLE_IMAGE | PE_FILE_LARGE_ADDRESS_AWARE));
    /* PE32+ optional header: standard fields. */
    TDS_TRY(tds_writer_le16(w, PE_OPT_MAGIC_PE32P));
    TDS_TRY(tds_writer_zero(w, 2)); /* linker version */
    TDS_TRY(tds_writer_le32(w, code));
    TDS_TRY(tds_writer_le32(w, init));
    TDS_TRY(tds_writer_le32(w, uninit));
    TDS_TRY(tds_writer_le32(w, p->entry_rva));
    TDS_TRY(tds_writer_le32(w, base_of_code));
    /* Windows-specific fields. */
    TDS_TRY(tds_writer_le64(w, p->image_base));
    TDS_TRY(tds_writer_le32(w, TDP_ELF2PE_PAGE)); /* SectionAlignment */
    TDS_TRY(tds_writer_le32(w, TDP_ELF2PE_PAGE)); /* FileAlignment */
    TDS_TRY(tds_writer_zero(w, 16)); /* OS, image, subsystem versions; Win32VersionValue */
    TDS_TRY(tds_writer_le32(w, p->size_of_image));
    TDS_TRY(tds_writer_le32(w, p->size_of_headers));
    TDS_TRY(tds_writer_le32(w, 0)); /* CheckSum: not checked for EFI images */
    TDS_TRY(tds_writer_le16(w, PE_SUBSYSTEM_EFI_APPLICATION));
    TDS_TRY(tds_writer_le16(w, PE_DLL_DYNAMIC_BASE | PE_DLL_NX_COMPAT));
    TDS_TRY(tds_writer_zero(w, 36)); /* stack/heap reserve and commit, LoaderFlags */
    TDS_TRY(tds_writer_le32(w, PE_NUM_DIRS));
    for (uint32_t d = 0; d < PE_NUM_DIRS; d++) {
        const bool reloc = d == PE_DIR_BASERELOC && p->reloc_count != 0;
        TDS_TRY(tds_writer_le32(w, reloc ? p->sect[p->nsect - 1].va : 0u));
        TDS_TRY(tds_writer_le32(w, reloc ? p->reloc_dir_size : 0u));
    }
    /* Section table. */
    for (uint32_t i = 0; i < p->nsect && i < TDP_ELF2PE_MAX_SEGMENTS; i++) {
        const tdp_elf2pe_sect *s = &p->sect[i];
        TDS_TRY(tds_writer_put(w, s->name, sizeof s->name));
        TDS_TRY(tds_writer_le32(w, s->vsize));
        TDS_TRY(tds_writer_le32(w, s->va));
        TDS_TRY(tds_writer_le32(w, s->raw_size));
        TDS_TRY(tds_writer_le32(w, s->raw_off));
        TDS_TRY(tds_writer_zero(w, 12)); /* no COFF relocations or line numbers */
        TDS_TRY(tds_writer_le32(w, s->chars));
    }
    return TDS_OK;
}

tds_status tdp_elf2pe_write(tds_bytes elf, const tdp_elf2pe_plan *p, tds_mut_bytes out,
                            tdp_elf2pe_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (p == NULL || !tds_bytes_valid(elf) || !tds_bytes_valid(tds_bytes_const(out)) ||
        elf.len != p->elf_len || p->nseg < 2 || p->nseg > TDP_ELF2PE_MAX_SEGMENTS ||
        p->nsect == 0 || p->nsect > TDP_ELF2PE_MAX_SEGMENTS || p->lfanew < TDP_ELF2PE_DOS_SIZE ||
        p->seg[0].filesz > p->lfanew || p->size_of_headers < p->lfanew ||
        p->size_of_headers > p->out_len) {
        return fail(err, TDP_E2P_BAD_ARG, 0, 0);
    }
    if (out.len < p->out_len) {
        return fail(err, TDP_E2P_NO_SPACE, 0, p->out_len);
    }
    memset(out.ptr, 0, p->out_len);
    /* The header segment's bytes, then the MS-DOS header over the ELF header. */
    if (copy_in(elf, 0, p->seg[0].filesz, out, 0) != TDS_OK) {
        return fail(err, TDP_E2P_BAD_ARG, 0, 0);
    }
    memset(out.ptr, 0, TDP_ELF2PE_DOS_SIZE);
    out.ptr[0] = 'M';
    out.ptr[1] = 'Z';
    tds_store_le32(out.ptr + PE_DOS_LFANEW, p->lfanew);
    tds_mut_bytes hdr;
    if (tds_mut_bytes_sub(out, p->lfanew, p->size_of_headers - p->lfanew, &hdr) != TDS_OK) {
        return fail(err, TDP_E2P_BAD_ARG, 0, 0);
    }
    tds_writer w = tds_writer_make(hdr);
    if (put_headers(&w, p) != TDS_OK) {
        return fail(err, TDP_E2P_BAD_ARG, 0, 0);
    }
    for (uint32_t i = 1; i < p->nseg; i++) {
        const tdp_elf2pe_seg *g = &p->seg[i];
        const tdp_elf2pe_sect *s = &p->sect[i - 1];
        if (g->filesz != 0 &&
            (g->rva < s->va ||
             copy_in(elf, g->elf_off, g->filesz, tds_mut_bytes_make(out.ptr, p->out_len),
                     (uint64_t)s->raw_off + (g->rva - s->va)) != TDS_OK)) {
            return fail(err, TDP_E2P_BAD_ARG, 0, i);
        }
    }
    e2p_relocs st;
    TDS_TRY(walk_relocs(elf, p, out.ptr, p->out_len, &st, err));
    if (st.count != p->reloc_count || st.dir_size != p->reloc_dir_size) {
        return fail(err, TDP_E2P_BAD_ARG, p->rela_off, st.count);
    }
    err->reason = TDP_E2P_NONE;
    err->offset = 0;
    err->value = 0;
    return TDS_OK;
}

/* ---- names ---- */

tds_status tdp_elf2pe_reason_status(tdp_elf2pe_reason r)
{
    switch (r) {
    case TDP_E2P_NONE: return TDS_OK;
    case TDP_E2P_BAD_ARG: return TDS_ERR_INVALID_ARG;
    case TDP_E2P_TRUNCATED: return TDS_ERR_TRUNCATED;
    case TDP_E2P_SEG_ALIGN: return TDS_ERR_ALIGNMENT;
    case TDP_E2P_IMAGE_BASE:
    case TDP_E2P_SEG_WRAPS: return TDS_ERR_OVERFLOW;
    case TDP_E2P_NO_SPACE: return TDS_ERR_NO_SPACE;
    case TDP_E2P_SYMBOL_NOT_FOUND: return TDS_ERR_NOT_FOUND;
    case TDP_E2P_RELOC_TARGET: return TDS_ERR_OUT_OF_BOUNDS;
    case TDP_E2P_NOT_ELF64:
    case TDP_E2P_ELF_TYPE:
    case TDP_E2P_MACHINE:
    case TDP_E2P_INTERP:
    case TDP_E2P_PHDR_TYPE:
    case TDP_E2P_SEG_FLAGS:
    case TDP_E2P_SEG_TOO_LARGE:
    case TDP_E2P_TOO_MANY_SEGMENTS:
    case TDP_E2P_HEADER_SEGMENT:
    case TDP_E2P_DYN_TAG:
    case TDP_E2P_RELOC_TYPE: return TDS_ERR_UNSUPPORTED;
    case TDP_E2P_ELF_HEADER:
    case TDP_E2P_SEG_SIZE:
    case TDP_E2P_SEG_ORDER:
    case TDP_E2P_SEG_OVERLAP:
    case TDP_E2P_NO_SEGMENTS:
    case TDP_E2P_DYNAMIC:
    case TDP_E2P_RELAENT:
    case TDP_E2P_RELA_TABLE:
    case TDP_E2P_RELOC_SYMBOL:
    case TDP_E2P_RELOC_ORDER:
    case TDP_E2P_SYMTAB:
    case TDP_E2P_SYMBOL_AMBIGUOUS:
    case TDP_E2P_ENTRY: return TDS_ERR_MALFORMED;
    case TDP_E2P_COUNT_: break;
    }
    return TDS_ERR_INVALID_ARG;
}

const char *tdp_elf2pe_reason_str(tdp_elf2pe_reason r)
{
    switch (r) {
    case TDP_E2P_NONE: return "none";
    case TDP_E2P_BAD_ARG: return "bad argument";
    case TDP_E2P_IMAGE_BASE: return "ImageBase not 64 KiB aligned or the image wraps";
    case TDP_E2P_TRUNCATED: return "truncated";
    case TDP_E2P_NOT_ELF64: return "not an ELF64 little-endian file";
    case TDP_E2P_ELF_TYPE: return "not ET_DYN (a static PIE)";
    case TDP_E2P_MACHINE: return "not x86-64";
    case TDP_E2P_ELF_HEADER: return "ELF header field out of range";
    case TDP_E2P_INTERP: return "PT_INTERP (needs a dynamic linker)";
    case TDP_E2P_PHDR_TYPE: return "unsupported program header type";
    case TDP_E2P_SEG_ALIGN: return "segment alignment";
    case TDP_E2P_SEG_SIZE: return "segment size or file bounds";
    case TDP_E2P_SEG_WRAPS: return "segment address wraps";
    case TDP_E2P_SEG_ORDER: return "PT_LOAD not in ascending order";
    case TDP_E2P_SEG_OVERLAP: return "PT_LOADs overlap or share a 4 KiB page";
    case TDP_E2P_SEG_FLAGS: return "PT_LOAD writable and executable";
    case TDP_E2P_SEG_TOO_LARGE: return "image too large for PE32+ fields";
    case TDP_E2P_TOO_MANY_SEGMENTS: return "too many PT_LOADs";
    case TDP_E2P_NO_SEGMENTS: return "no PT_LOAD besides the header segment";
    case TDP_E2P_HEADER_SEGMENT:
        return "first PT_LOAD is not a read-only header segment that "
               "leaves room for the PE headers";
    case TDP_E2P_DYNAMIC: return "bad PT_DYNAMIC";
    case TDP_E2P_DYN_TAG: return "unsupported dynamic tag";
    case TDP_E2P_RELAENT: return "DT_RELA/DT_RELASZ/DT_RELAENT inconsistent";
    case TDP_E2P_RELA_TABLE: return "RELA table outside the file-backed segments";
    case TDP_E2P_RELOC_TYPE: return "unsupported relocation type";
    case TDP_E2P_RELOC_SYMBOL: return "R_X86_64_RELATIVE with a symbol";
    case TDP_E2P_RELOC_TARGET: return "relocated field outside the file-backed sections";
    case TDP_E2P_RELOC_ORDER: return "relocations not sorted or overlapping";
    case TDP_E2P_SYMTAB: return "no usable .symtab";
    case TDP_E2P_SYMBOL_NOT_FOUND: return "entry symbol not found";
    case TDP_E2P_SYMBOL_AMBIGUOUS: return "entry symbol defined twice";
    case TDP_E2P_ENTRY: return "entry not in an executable segment";
    case TDP_E2P_NO_SPACE: return "output buffer too small";
    case TDP_E2P_COUNT_: break;
    }
    return "unknown";
}

const char *tdp_elf2pe_reloc_name(uint64_t type)
{
    switch (type) {
    case 0: return "R_X86_64_NONE";
    case 1: return "R_X86_64_64";
    case 2: return "R_X86_64_PC32";
    case 3: return "R_X86_64_GOT32";
    case 4: return "R_X86_64_PLT32";
    case 5: return "R_X86_64_COPY";
    case 6: return "R_X86_64_GLOB_DAT";
    case 7: return "R_X86_64_JUMP_SLOT";
    case 8: return "R_X86_64_RELATIVE";
    case 9: return "R_X86_64_GOTPCREL";
    case 10: return "R_X86_64_32";
    case 11: return "R_X86_64_32S";
    case 16: return "R_X86_64_DTPMOD64";
    case 17: return "R_X86_64_DTPOFF64";
    case 18: return "R_X86_64_TPOFF64";
    case 37: return "R_X86_64_IRELATIVE";
    default: break;
    }
    return "unknown";
}
