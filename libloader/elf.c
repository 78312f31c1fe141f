/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * ELF64 front end. Layouts: System V gABI (ELF header 64 bytes, program header 56 bytes,
 * Elf64_Dyn 16 bytes, Elf64_Rela 24 bytes) and the x86-64 psABI (EM_X86_64 = 62,
 * R_X86_64_NONE = 0, R_X86_64_RELATIVE = 8: B + A).
 */
#include "loader_int.h"
#include "exe_formats.h"

enum {
    /* ELF header field offsets */
    EH_CLASS = 4,
    EH_DATA = 5,
    EH_IDVERSION = 6,
    EH_TYPE = 16,
    EH_MACHINE = 18,
    EH_VERSION = 20,
    EH_ENTRY = 24,
    EH_PHOFF = 32,
    EH_EHSIZE = 52,
    EH_PHENTSIZE = 54,
    EH_PHNUM = 56,
    /* program header field offsets */
    PH_FLAGS = 4,
    PH_OFFSET = 8,
    PH_VADDR = 16,
    PH_FILESZ = 32,
    PH_MEMSZ = 40,
    PH_ALIGN = 48,
};

typedef struct elf_hdr {
    uint16_t type;
    uint64_t entry;
    uint64_t phoff;
    uint16_t phnum;
} elf_hdr;

typedef struct elf_phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
} elf_phdr;

static tds_status read_ehdr(tds_bytes img, elf_hdr *h, ldr_error *err)
{
    tds_cursor c = tds_cursor_make(img);
    tds_bytes ident;
    if (tds_cursor_take(&c, 16, &ident) != TDS_OK || img.len < ELF_EHDR_SIZE) {
        return ldr_fail(err, LDR_R_TRUNCATED, 0);
    }
    if (ident.ptr[0] != 0x7f || ident.ptr[1] != 'E' || ident.ptr[2] != 'L' || ident.ptr[3] != 'F') {
        return ldr_fail(err, LDR_R_UNKNOWN_FORMAT, 0);
    }
    if (ident.ptr[EH_CLASS] != 2) { /* ELFCLASS64 */
        return ldr_fail(err, LDR_R_ELF_CLASS, EH_CLASS);
    }
    if (ident.ptr[EH_DATA] != 1) { /* ELFDATA2LSB */
        return ldr_fail(err, LDR_R_ELF_DATA, EH_DATA);
    }
    if (ident.ptr[EH_IDVERSION] != 1) { /* EV_CURRENT */
        return ldr_fail(err, LDR_R_ELF_VERSION, EH_IDVERSION);
    }
    uint16_t type = 0, machine = 0, ehsize = 0, phentsize = 0, phnum = 0;
    uint32_t version = 0;
    uint64_t entry = 0, phoff = 0, shoff = 0;
    uint32_t flags = 0;
    if (tds_cursor_le16(&c, &type) != TDS_OK || tds_cursor_le16(&c, &machine) != TDS_OK ||
        tds_cursor_le32(&c, &version) != TDS_OK || tds_cursor_le64(&c, &entry) != TDS_OK ||
        tds_cursor_le64(&c, &phoff) != TDS_OK || tds_cursor_le64(&c, &shoff) != TDS_OK ||
        tds_cursor_le32(&c, &flags) != TDS_OK || tds_cursor_le16(&c, &ehsize) != TDS_OK ||
        tds_cursor_le16(&c, &phentsize) != TDS_OK || tds_cursor_le16(&c, &phnum) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, 0);
    }
    if (type != ET_EXEC && type != ET_DYN) {
        return ldr_fail(err, LDR_R_ELF_TYPE, EH_TYPE);
    }
    if (machine != EM_X86_64) {
        return ldr_fail(err, LDR_R_MACHINE, EH_MACHINE);
    }
    if (version != 1) {
        return ldr_fail(err, LDR_R_ELF_VERSION, EH_VERSION);
    }
    if (ehsize < ELF_EHDR_SIZE) {
        return ldr_fail(err, LDR_R_ELF_EHSIZE, EH_EHSIZE);
    }
    if (phentsize != ELF_PHDR_SIZE) {
        return ldr_fail(err, LDR_R_ELF_PHENTSIZE, EH_PHENTSIZE);
    }
    /* PN_XNUM means the real count is in section 0; a payload has no reason to need that. */
    if (phnum == 0 || phnum == PN_XNUM) {
        return ldr_fail(err, LDR_R_ELF_PHNUM, EH_PHNUM);
    }
    uint64_t table, end;
    if (tds_mul_u64(phnum, ELF_PHDR_SIZE, &table) != TDS_OK ||
        tds_add_u64(phoff, table, &end) != TDS_OK) {
        return ldr_fail(err, LDR_R_SEG_WRAPS, EH_PHOFF);
    }
    if (end > (uint64_t)img.len) {
        return ldr_fail(err, LDR_R_TRUNCATED, EH_PHOFF);
    }
    h->type = type;
    h->entry = entry;
    h->phoff = phoff;
    h->phnum = phnum;
    return TDS_OK;
}

static tds_status read_phdr(tds_bytes img, uint64_t off, elf_phdr *ph, ldr_error *err)
{
    tds_cursor c = tds_cursor_make(img);
    size_t pos;
    uint64_t paddr = 0;
    elf_phdr p;
    memset(&p, 0, sizeof p);
    if (tds_u64_to_size(off, &pos) != TDS_OK || tds_cursor_seek(&c, pos) != TDS_OK ||
        tds_cursor_le32(&c, &p.type) != TDS_OK || tds_cursor_le32(&c, &p.flags) != TDS_OK ||
        tds_cursor_le64(&c, &p.offset) != TDS_OK || tds_cursor_le64(&c, &p.vaddr) != TDS_OK ||
        tds_cursor_le64(&c, &paddr) != TDS_OK || tds_cursor_le64(&c, &p.filesz) != TDS_OK ||
        tds_cursor_le64(&c, &p.memsz) != TDS_OK || tds_cursor_le64(&c, &p.align) != TDS_OK) {
        return ldr_fail(err, LDR_R_TRUNCATED, off);
    }
    *ph = p;
    return TDS_OK;
}

static uint32_t seg_flags(uint32_t pf)
{
    return ((pf & PF_R) ? LDR_SEG_R : 0u) | ((pf & PF_W) ? LDR_SEG_W : 0u) |
           ((pf & PF_X) ? LDR_SEG_X : 0u);
}

/* Validated PT_LOAD, in link-time addresses (the plan holds dest offsets). */
typedef struct elf_load {
    uint64_t vaddr, memsz, offset, filesz;
    uint32_t flags;
} elf_load;

typedef struct elf_scan {
    elf_load load[LDR_MAX_SEGMENTS];
    uint32_t nload;
    uint64_t max_align;
    uint64_t end; /* end of the highest PT_LOAD (link-time) */
    bool has_dynamic;
    uint64_t dyn_off, dyn_size, dyn_ph;
} elf_scan;

static tds_status check_load(tds_bytes img, const elf_phdr *p, uint64_t ph, ldr_error *err)
{
    uint64_t fend, vend;
    if (p->align > 1 && !tds_is_pow2_u64(p->align)) {
        return ldr_fail(err, LDR_R_SEG_ALIGN, ph + PH_ALIGN);
    }
    /* gABI: p_vaddr and p_offset are congruent modulo p_align. */
    if (p->align > 1 && ((p->vaddr - p->offset) & (p->align - 1)) != 0) {
        return ldr_fail(err, LDR_R_SEG_ALIGN, ph + PH_VADDR);
    }
    if (tds_range_end(p->offset, p->filesz, &fend) != TDS_OK) {
        return ldr_fail(err, LDR_R_SEG_WRAPS, ph + PH_OFFSET);
    }
    if (fend > (uint64_t)img.len) {
        return ldr_fail(err, LDR_R_SEG_FILE_BOUNDS, ph + PH_OFFSET);
    }
    if (p->memsz < p->filesz) {
        return ldr_fail(err, LDR_R_SEG_SIZE, ph + PH_MEMSZ);
    }
    if (tds_range_end(p->vaddr, p->memsz, &vend) != TDS_OK) {
        return ldr_fail(err, LDR_R_SEG_WRAPS, ph + PH_VADDR);
    }
    return TDS_OK;
}

static tds_status scan_phdrs(tds_bytes img, const elf_hdr *h, elf_scan *s, ldr_error *err)
{
    uint64_t prev_vaddr = 0, prev_end = 0;
    memset(s, 0, sizeof *s);
    s->max_align = 1;
    for (uint32_t i = 0; i < h->phnum; i++) {
        uint64_t ph = h->phoff + (uint64_t)i * ELF_PHDR_SIZE; /* bounded by read_ehdr */
        elf_phdr p;
        memset(&p, 0, sizeof p);
        TDS_TRY(read_phdr(img, ph, &p, err));
        if (p.type == PT_INTERP) {
            return ldr_fail(err, LDR_R_ELF_INTERP, ph);
        }
        if (p.type == PT_DYNAMIC) {
            uint64_t end;
            if (s->has_dynamic || (p.filesz % ELF_DYN_SIZE) != 0 ||
                tds_range_end(p.offset, p.filesz, &end) != TDS_OK || end > (uint64_t)img.len) {
                return ldr_fail(err, LDR_R_ELF_DYNAMIC, ph);
            }
            s->has_dynamic = true;
            s->dyn_off = p.offset;
            s->dyn_size = p.filesz;
            s->dyn_ph = ph;
            continue;
        }
        if (p.type != PT_LOAD) {
            continue; /* PT_NOTE, PT_PHDR, PT_GNU_*: nothing to load */
        }
        TDS_TRY(check_load(img, &p, ph, err));
        if (p.memsz == 0) {
            continue;
        }
        /* gABI: loadable segments appear in ascending p_vaddr order. */
        if (s->nload > 0 && p.vaddr < prev_vaddr) {
            return ldr_fail(err, LDR_R_SEG_ORDER, ph + PH_VADDR);
        }
        if (s->nload > 0 && p.vaddr < prev_end) {
            return ldr_fail(err, LDR_R_SEG_OVERLAP, ph + PH_VADDR);
        }
        if (s->nload >= LDR_MAX_SEGMENTS) {
            return ldr_fail(err, LDR_R_TOO_MANY_SEGMENTS, ph);
        }
        elf_load l = {p.vaddr, p.memsz, p.offset, p.filesz, seg_flags(p.flags)};
        s->load[s->nload++] = l;
        if (p.align > s->max_align) {
            s->max_align = p.align;
        }
        prev_vaddr = p.vaddr;
        prev_end = p.vaddr + p.memsz; /* checked in check_load */
        s->end = prev_end;
    }
    if (s->nload == 0) {
        return ldr_fail(err, LDR_R_NO_SEGMENTS, EH_PHOFF);
    }
    return TDS_OK;
}

/* Map a link-time range that must lie in the file-backed part of a PT_LOAD to a file offset. */
static bool vaddr_to_file(const elf_scan *s, uint64_t vaddr, uint64_t len, uint64_t *off)
{
    for (uint32_t i = 0; i < s->nload && i < LDR_MAX_SEGMENTS; i++) {
        const elf_load *l = &s->load[i];
        if (tds_range_contains(l->vaddr, l->filesz, vaddr, len)) {
            *off = l->offset + (vaddr - l->vaddr);
            return true;
        }
    }
    return false;
}

typedef struct elf_dyn_info {
    uint64_t rela, relasz, relaent, pltrelsz;
    bool has_rela, has_relasz, has_relaent, has_jmprel;
    uint64_t rela_at; /* file offset of the DT_RELA entry (for errors) */
} elf_dyn_info;

static tds_status scan_dynamic(tds_bytes img, const elf_scan *s, elf_dyn_info *d, ldr_error *err)
{
    elf_dyn_info z = {0, 0, 0, 0, false, false, false, false, 0};
    *d = z;
    if (!s->has_dynamic) {
        return TDS_OK;
    }
    for (uint64_t pos = 0; pos < s->dyn_size; pos += ELF_DYN_SIZE) {
        uint64_t at = s->dyn_off + pos; /* in file: checked in scan_phdrs */
        uint64_t tag = 0, val = 0;
        if (ldr_rd64(img, at, &tag) != TDS_OK || ldr_rd64(img, at + 8, &val) != TDS_OK) {
            return ldr_fail(err, LDR_R_ELF_DYNAMIC, at);
        }
        if (tag == DT_NULL) {
            break;
        }
        switch (tag) {
        case DT_NEEDED:
        case DT_REL:
        case DT_RELR: return ldr_fail(err, LDR_R_ELF_DYN_TAG, at);
        case DT_JMPREL: d->has_jmprel = true; break;
        case DT_PLTRELSZ: d->pltrelsz = val; break;
        case DT_RELA:
            d->rela = val;
            d->has_rela = true;
            d->rela_at = at;
            break;
        case DT_RELASZ:
            d->relasz = val;
            d->has_relasz = true;
            break;
        case DT_RELAENT:
            d->relaent = val;
            d->has_relaent = true;
            break;
        default: break;
        }
    }
    /* PLT relocations (JUMP_SLOT) need symbol resolution: not for a self-contained payload. */
    if (d->has_jmprel && d->pltrelsz != 0) {
        return ldr_fail(err, LDR_R_ELF_DYN_TAG, s->dyn_off);
    }
    if (d->has_rela && (!d->has_relasz || !d->has_relaent || d->relaent != ELF_RELA_SIZE)) {
        return ldr_fail(err, LDR_R_ELF_RELAENT, d->rela_at);
    }
    return TDS_OK;
}

tds_status ldr_elf_plan(tds_bytes img, uint64_t dest_len, uint64_t dest_base, ldr_plan *p,
                        ldr_error *err)
{
    elf_hdr h = {0, 0, 0, 0};
    TDS_TRY(read_ehdr(img, &h, err));
    elf_scan s;
    TDS_TRY(scan_phdrs(img, &h, &s, err));

    uint64_t base_vaddr;
    TDS_TRY(tds_align_down_u64(s.load[0].vaddr, s.max_align, &base_vaddr));
    if (!tds_is_aligned_u64(dest_base, s.max_align)) {
        return ldr_fail(err, LDR_R_DEST_MISALIGNED, h.phoff);
    }
    if (h.type == ET_EXEC && dest_base != base_vaddr) {
        return ldr_fail(err, LDR_R_NOT_RELOCATABLE, EH_TYPE);
    }
    uint64_t span = s.end - base_vaddr; /* sorted, no overlap, no wrap */
    if (span > dest_len) {
        return ldr_fail(err, LDR_R_DEST_TOO_SMALL, h.phoff);
    }

    bool entry_ok = false;
    for (uint32_t i = 0; i < s.nload; i++) {
        const elf_load *l = &s.load[i];
        ldr_plan_seg seg = {l->vaddr - base_vaddr, l->memsz, l->offset, l->filesz, l->flags};
        p->seg[i] = seg;
        if ((l->flags & LDR_SEG_X) != 0 && tds_range_contains(l->vaddr, l->filesz, h.entry, 1)) {
            entry_ok = true;
        }
    }
    p->nseg = s.nload;
    if (!entry_ok) {
        return ldr_fail(err, LDR_R_ENTRY, EH_ENTRY);
    }
    p->entry_off = h.entry - base_vaddr;
    p->span = span;
    p->delta = dest_base - base_vaddr; /* mod 2^64: the psABI's B */
    p->link_base = base_vaddr;
    p->first_reloc_seg = 0;

    elf_dyn_info d;
    TDS_TRY(scan_dynamic(img, &s, &d, err));
    p->reloc_off = 0;
    p->reloc_size = 0;
    if (d.has_relasz && d.relasz != 0) {
        if (!d.has_rela || (d.relasz % ELF_RELA_SIZE) != 0 ||
            !vaddr_to_file(&s, d.rela, d.relasz, &p->reloc_off)) {
            return ldr_fail(err, LDR_R_RELOC_TABLE, d.has_rela ? d.rela_at : s.dyn_off);
        }
        p->reloc_size = d.relasz;
    }
    return ldr_elf_relocate(img, p, NULL, err);
}

tds_status ldr_elf_relocate(tds_bytes img, ldr_plan *p, uint8_t *mem, ldr_error *err)
{
    p->reloc_count = 0;
    for (uint64_t pos = 0; pos < p->reloc_size; pos += ELF_RELA_SIZE) {
        uint64_t at = p->reloc_off + pos; /* inside the file: vaddr_to_file */
        uint64_t r_offset = 0, r_info = 0, r_addend = 0;
        if (ldr_rd64(img, at, &r_offset) != TDS_OK || ldr_rd64(img, at + 8, &r_info) != TDS_OK ||
            ldr_rd64(img, at + 16, &r_addend) != TDS_OK) {
            return ldr_fail(err, LDR_R_RELOC_TABLE, at);
        }
        uint32_t type = (uint32_t)(r_info & 0xffffffffu);
        uint32_t sym = (uint32_t)(r_info >> 32);
        if (type == R_X86_64_NONE) {
            continue;
        }
        if (type != R_X86_64_RELATIVE) {
            return ldr_fail(err, LDR_R_RELOC_TYPE, at + 8);
        }
        if (sym != 0) {
            return ldr_fail(err, LDR_R_RELOC_SYMBOL, at + 8);
        }
        /* The 8 bytes written must lie in loaded memory (dest offsets). */
        uint64_t target;
        if (tds_sub_u64(r_offset, p->link_base, &target) != TDS_OK ||
            !ldr_plan_contains(p, p->first_reloc_seg, target, 8)) {
            return ldr_fail(err, LDR_R_RELOC_TARGET, at);
        }
        if (mem != NULL) {
            /* R_X86_64_RELATIVE: B + A (psABI 4.4), wrapping like the linker's arithmetic. */
            tds_store_le64(mem + target, r_addend + p->delta);
        }
        p->reloc_count++;
    }
    return TDS_OK;
}
