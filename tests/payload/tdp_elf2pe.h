/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * ELF64 static PIE -> PE32+ image (docs/test-payload.md, "The PE32+ build"): the converter behind
 * the host tool tdp_elf2pe, so that the same payload can be booted through the shim's PE entry path
 * (libloader ldr_load_pe, Microsoft x64 entry).
 *
 * Input shape (anything else is refused with a precise reason, never guessed at):
 *  - ELF64, little endian, EM_X86_64, ET_DYN; program headers PT_LOAD, PT_DYNAMIC, PT_NOTE,
 *    PT_PHDR, PT_NULL and PT_GNU_{EH_FRAME,STACK,RELRO,PROPERTY} only (no PT_INTERP, PT_TLS);
 *  - PT_LOADs ascending, p_align <= 4 KiB, none writable and executable, the first one at a
 *    4 KiB-aligned p_vaddr (the link base), file offset 0, read-only, without BSS: the segment that
 *    holds the ELF header (GNU ld's -z separate-code layout); no two PT_LOADs share a 4 KiB page;
 *  - dynamic relocations: DT_RELA only, R_X86_64_RELATIVE (symbol 0) and R_X86_64_NONE, sorted by
 *    r_offset without overlapping fields, each field in the file-backed bytes of a PT_LOAD other
 *    than the first; no DT_NEEDED, DT_REL, DT_RELR, DT_JMPREL.
 *
 * Output (PE/COFF specification): a 64-byte MS-DOS header ("MZ", e_lfanew), "PE\0\0", the COFF
 * header (AMD64, EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE), a PE32+ optional header (magic 0x20B,
 * SectionAlignment = FileAlignment = 4 KiB, subsystem EFI application, DYNAMIC_BASE | NX_COMPAT,
 * 16 data directories, BASERELOC filled), then one section per PT_LOAD but the first, and .reloc
 * with one IMAGE_REL_BASED_DIR64 per R_X86_64_RELATIVE (one block per 4 KiB page, padded to 4
 * bytes with an IMAGE_REL_BASED_ABSOLUTE entry).
 *  - The first PT_LOAD (ELF header, program headers, .dynsym, .rela.dyn) cannot be a section: PE
 *    sections start after the headers. Its bytes are kept at the same RVAs inside the header page,
 *    except its first 64 bytes (the ELF header), which become the MS-DOS header; the PE headers
 *    follow it at e_lfanew.
 *  - A section starts at its PT_LOAD's page (align down); the bytes before p_vaddr are zero, as
 *    they are in the ELF loader's image (no other segment may use that page).
 *  - Each relocated field holds ImageBase + (A - link base), so the PE loader's
 *    field + (load address - ImageBase) is the ELF loader's B + A: loaded at the same address, both
 *    images hold the same bytes wherever the ELF segments are, but for those 64 header bytes.
 *
 * Ownership: the caller owns the input and the output buffer; no allocation, no globals. The plan
 * is the checked handle: tdp_elf2pe_write MUST get the bytes the plan was made from.
 */
#ifndef TDP_ELF2PE_H
#define TDP_ELF2PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/base.h"

#define TDP_ELF2PE_MAX_SEGMENTS 16u          /* PT_LOADs with p_memsz > 0 */
#define TDP_ELF2PE_PAGE 4096u                /* SectionAlignment and FileAlignment */
#define TDP_ELF2PE_IMAGE_BASE_ALIGN 0x10000u /* PE/COFF: ImageBase is a multiple of 64 KiB */
#define TDP_ELF2PE_DOS_SIZE 64u              /* the MS-DOS header that replaces the ELF header */

typedef struct tdp_elf2pe_opts {
    const char *entry_symbol; /* AddressOfEntryPoint = this symbol's RVA; NULL: e_entry */
    uint64_t image_base;      /* ImageBase, a multiple of 64 KiB */
} tdp_elf2pe_opts;

typedef enum tdp_elf2pe_reason {
    TDP_E2P_NONE = 0,
    TDP_E2P_BAD_ARG,       /* NULL pointer, ill-formed slice, bad option (INVALID_ARG) */
    TDP_E2P_IMAGE_BASE,    /* ImageBase not 64 KiB aligned, or ImageBase + SizeOfImage wraps */
    TDP_E2P_TRUNCATED,     /* a header or table ends past the end of the file */
    TDP_E2P_NOT_ELF64,     /* magic, class, data encoding or version */
    TDP_E2P_ELF_TYPE,      /* e_type is not ET_DYN (value: e_type) */
    TDP_E2P_MACHINE,       /* e_machine is not EM_X86_64 (value: e_machine) */
    TDP_E2P_ELF_HEADER,    /* e_ehsize, e_phentsize, e_phnum, e_shentsize out of range */
    TDP_E2P_INTERP,        /* PT_INTERP: needs a dynamic linker */
    TDP_E2P_PHDR_TYPE,     /* a program header type not listed above (value: p_type) */
    TDP_E2P_SEG_ALIGN,     /* p_align > 4 KiB / not a power of 2, incongruent, link base */
    TDP_E2P_SEG_SIZE,      /* p_memsz < p_filesz, file bytes outside the file */
    TDP_E2P_SEG_WRAPS,     /* address or offset arithmetic overflows */
    TDP_E2P_SEG_ORDER,     /* PT_LOADs not in ascending p_vaddr order */
    TDP_E2P_SEG_OVERLAP,   /* two PT_LOADs overlap or share a 4 KiB page */
    TDP_E2P_SEG_FLAGS,     /* a PT_LOAD both writable and executable (value: p_flags) */
    TDP_E2P_SEG_TOO_LARGE, /* an RVA or size past 32 bits */
    TDP_E2P_TOO_MANY_SEGMENTS,
    TDP_E2P_NO_SEGMENTS,    /* no PT_LOAD besides the header segment */
    TDP_E2P_HEADER_SEGMENT, /* first PT_LOAD not the read-only header segment, or no room */
    TDP_E2P_DYNAMIC,        /* two PT_DYNAMIC, or one outside the file / not whole entries */
    TDP_E2P_DYN_TAG,        /* DT_NEEDED, DT_REL*, DT_RELR*, DT_JMPREL (value: d_tag) */
    TDP_E2P_RELAENT,        /* DT_RELAENT != 24, or DT_RELA without DT_RELASZ / DT_RELAENT */
    TDP_E2P_RELA_TABLE,     /* the RELA table outside the file-backed bytes, or not whole */
    TDP_E2P_RELOC_TYPE,     /* not R_X86_64_RELATIVE / NONE (value: the type) */
    TDP_E2P_RELOC_SYMBOL,   /* R_X86_64_RELATIVE with a symbol index (value: the index) */
    TDP_E2P_RELOC_TARGET,   /* field outside the file-backed bytes of a section (value: r_offset) */
    TDP_E2P_RELOC_ORDER,    /* r_offset not ascending, or two fields overlap (value: r_offset) */
    TDP_E2P_SYMTAB,         /* no usable .symtab / its string table (needed for entry_symbol) */
    TDP_E2P_SYMBOL_NOT_FOUND,
    TDP_E2P_SYMBOL_AMBIGUOUS, /* two defined symbols of that name with different values */
    TDP_E2P_ENTRY,            /* entry not in the file-backed bytes of an executable section */
    TDP_E2P_NO_SPACE,         /* the output buffer is smaller than plan.out_len */
    TDP_E2P_COUNT_
} tdp_elf2pe_reason;

typedef struct tdp_elf2pe_error {
    tdp_elf2pe_reason reason;
    uint64_t offset; /* ELF file offset of the offending structure or field */
    uint64_t value;  /* the offending value, where the reason says which */
} tdp_elf2pe_error;

/* One PT_LOAD, as an RVA range (link-time address - link base). */
typedef struct tdp_elf2pe_seg {
    uint64_t rva, memsz, elf_off, filesz;
    uint32_t pflags; /* ELF PF_R | PF_W | PF_X */
} tdp_elf2pe_seg;

/* One PE section (seg[i] for sect[i - 1], then .reloc). */
typedef struct tdp_elf2pe_sect {
    char name[8];
    uint32_t va, vsize, raw_off, raw_size, chars;
} tdp_elf2pe_sect;

/* The validated conversion (everything checked; tdp_elf2pe_write only copies and encodes). */
typedef struct tdp_elf2pe_plan {
    size_t elf_len;
    uint64_t image_base;
    uint64_t link_base; /* p_vaddr of the first PT_LOAD: RVA 0 */
    uint32_t nseg;
    tdp_elf2pe_seg seg[TDP_ELF2PE_MAX_SEGMENTS]; /* seg[0]: the header segment */
    uint32_t nsect;
    tdp_elf2pe_sect sect[TDP_ELF2PE_MAX_SEGMENTS]; /* nseg - 1 sections, then .reloc if any */
    uint32_t lfanew, size_of_headers, size_of_image, entry_rva;
    uint64_t rela_off, rela_size; /* the RELA table in the file (size 0: none) */
    uint32_t reloc_count;         /* DIR64 entries = R_X86_64_RELATIVE relocations */
    uint32_t reloc_blocks;
    uint32_t reloc_dir_size; /* bytes of .reloc data (BASERELOC directory size) */
    size_t out_len;          /* bytes of the PE file */
} tdp_elf2pe_plan;

/* Validate `elf` and lay out the PE. `err` MUST NOT be NULL; *plan is written only on success. */
TDS_MUST_USE tds_status tdp_elf2pe_plan_make(tds_bytes elf, const tdp_elf2pe_opts *opts,
                                             tdp_elf2pe_plan *plan, tdp_elf2pe_error *err);

/*
 * Write the PE file (plan->out_len bytes) into out. `elf` MUST be the bytes the plan was made from
 * (checked: the length; every access stays bounds-checked regardless). Nothing is written when
 * out is too small (NO_SPACE).
 */
TDS_MUST_USE tds_status tdp_elf2pe_write(tds_bytes elf, const tdp_elf2pe_plan *plan,
                                         tds_mut_bytes out, tdp_elf2pe_error *err);

tds_status tdp_elf2pe_reason_status(tdp_elf2pe_reason r);
const char *tdp_elf2pe_reason_str(tdp_elf2pe_reason r); /* never NULL */
/* psABI name of an x86-64 relocation type ("R_X86_64_64"), "unknown" for others. Never NULL. */
const char *tdp_elf2pe_reloc_name(uint64_t type);

#endif /* TDP_ELF2PE_H */
