/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * ELF64 executable payloads (issue 9 "Payload"): validate an x86-64 ELF (ET_EXEC or ET_DYN/PIE)
 * once, then load its PT_LOAD segments into caller-owned memory and apply its relocations.
 * The file bytes are untrusted (a payload the VMM placed, or one from the image that is only
 * trusted once verified): every read goes through tds_cursor, every number through checked
 * arithmetic, and relocations may only be R_X86_64_RELATIVE, each inside the loaded image.
 * Builds hosted and freestanding; no allocation.
 */
#ifndef TDSHIM_SHIM_LOADER_ELF_H
#define TDSHIM_SHIM_LOADER_ELF_H

#include "tdshim/base.h"

#define SHIM_ELF_MAX_LOADS 16u
#define SHIM_ELF_MAX_SPAN 0x10000000ull /* 256 MiB of address space at most */

typedef struct shim_elf_segment {
    uint64_t offset; /* in the file */
    uint64_t filesz;
    uint64_t rel;   /* vaddr - span base */
    uint64_t memsz; /* >= filesz; the rest is zeroed */
    uint32_t flags; /* PF_X 1, PF_W 2, PF_R 4 */
} shim_elf_segment;

/* The checked view shim_elf_parse produces. */
typedef struct shim_elf_image {
    bool pie;            /* ET_DYN: may be loaded anywhere (4 KiB aligned) */
    uint64_t base_vaddr; /* lowest PT_LOAD vaddr, rounded down to 4 KiB */
    uint64_t span;       /* bytes from base_vaddr to the end of the highest segment, 4 KiB up */
    uint64_t entry_rel;  /* e_entry - base_vaddr, inside an executable segment */
    uint32_t load_count;
    shim_elf_segment load[SHIM_ELF_MAX_LOADS];
    uint64_t rela_rel;   /* DT_RELA - base_vaddr (0 with rela_count 0) */
    uint64_t rela_count; /* DT_RELASZ / 24 */
} shim_elf_image;

/* Why parsing failed (a fixed message). */
typedef struct shim_elf_error {
    const char *what;
} shim_elf_error;

/*
 * Validate `file`: ELF magic, 64-bit, little-endian, version 1, EM_X86_64, ET_EXEC or ET_DYN,
 * program headers of 56 bytes inside the file, 1..16 PT_LOADs in ascending, non-overlapping
 * vaddr order with their file bytes inside the file, filesz <= memsz, no wrap, span <= 256 MiB,
 * the entry inside an executable segment, no PT_INTERP, and a PT_DYNAMIC (if any) whose RELA
 * table (entry size 24) lies inside the span. *out is written only on success.
 */
TDS_MUST_USE tds_status shim_elf_parse(tds_bytes file, shim_elf_image *out, shim_elf_error *err);

/*
 * Load a parsed image to guest address `load_addr`, whose memory is `dest` (exactly img->span
 * bytes): copy each segment's file bytes, zero the rest (gaps and bss), then apply every
 * relocation (R_X86_64_NONE / R_X86_64_RELATIVE only, 8-byte target inside the image). ET_EXEC
 * images must be loaded at their base_vaddr. On failure dest may be partly written and MUST NOT
 * be run.
 */
TDS_MUST_USE tds_status shim_elf_load(tds_bytes file, const shim_elf_image *img, tds_mut_bytes dest,
                                      uint64_t load_addr, shim_elf_error *err);

#endif
