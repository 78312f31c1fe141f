/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Payload loader (issue 9, "ELF64 and PE32+ executable payloads"): validates an untrusted
 * executable image, copies it into a caller-given destination region, zeroes BSS, applies the
 * base relocations for the chosen load address and reports the entry point, the loaded range,
 * the segments (for page permissions) and the bytes the shim MUST measure into RTMR1.
 *
 * Formats: ELF64 (System V gABI, x86-64 psABI: only R_X86_64_RELATIVE and R_X86_64_NONE) and
 * PE32+ (PE/COFF: optional-header magic 0x20B, base relocations IMAGE_REL_BASED_DIR64 and
 * IMAGE_REL_BASED_ABSOLUTE). Facts: td-shim doc/tdshim_spec.md, payload hand-off.
 *
 * Ownership and trust:
 *  - `image` is untrusted (the VMM may have placed it). It MUST be private memory the VMM can no
 *    longer change: the loader reads it more than once (validate, then copy) and the caller
 *    measures the same bytes. The loader never writes it.
 *  - `dest` is caller-owned private memory, mapped writable; `dest_base` is the guest address at
 *    which the payload will run (in the identity-mapped shim: (uintptr_t)dest.ptr). Tests use a
 *    different dest_base to load one buffer "at" any address.
 *  - Everything is validated before the first write: on any error `dest` is untouched and the
 *    out-parameters are not written (except `err`, which always says why).
 *  - No allocation, no globals; the stack use is bounded by LDR_MAX_SEGMENTS.
 */
#ifndef TDSHIM_LOADER_H
#define TDSHIM_LOADER_H

/*
 * Thread safety: no state; each call reads the image and writes only the caller's destination and
 * outputs. Concurrent calls need distinct destinations.
 */

#include <stddef.h>
#include <stdint.h>

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many loadable segments (ELF PT_LOAD with p_memsz > 0, PE sections). */
#define LDR_MAX_SEGMENTS 32u
/* The destination base MUST be aligned to at least a 4 KiB page. */
#define LDR_PAGE_SIZE 4096u

typedef enum ldr_image_type {
    LDR_IMAGE_UNKNOWN = 0,
    LDR_IMAGE_ELF64 = 1, /* "\x7f" "ELF" at offset 0 */
    LDR_IMAGE_PE32P = 2, /* "MZ" at offset 0 */
} ldr_image_type;

/* Segment permission bits (from ELF p_flags / PE section characteristics). */
#define LDR_SEG_R 0x4u
#define LDR_SEG_W 0x2u
#define LDR_SEG_X 0x1u

/*
 * Precise reasons. Each maps to one tds_status (ldr_reason_status); `offset` in ldr_error is the
 * file offset of the offending structure or field (0 for caller-argument errors).
 */
typedef enum ldr_reason {
    LDR_R_NONE = 0,
    /* Caller arguments. */
    LDR_R_BAD_ARG,         /* NULL pointer or ill-formed slice (INVALID_ARG) */
    LDR_R_SRC_DST_OVERLAP, /* image bytes and destination memory overlap (INVALID_ARG) */
    LDR_R_DEST_MISALIGNED, /* dest_base not aligned to the page or the image alignment */
    LDR_R_DEST_WRAPS,      /* [dest_base, dest_base + size) wraps the address space */
    LDR_R_DEST_TOO_SMALL,  /* the loaded image does not fit in the destination (NO_SPACE) */
    LDR_R_NOT_RELOCATABLE, /* fixed-address image (ET_EXEC / RELOCS_STRIPPED) elsewhere */
    /* Common to both formats. */
    LDR_R_UNKNOWN_FORMAT,    /* neither ELF nor MZ magic (UNSUPPORTED) */
    LDR_R_TRUNCATED,         /* a header or table ends past the end of the image (TRUNCATED) */
    LDR_R_MACHINE,           /* not x86-64 (UNSUPPORTED) */
    LDR_R_NO_SEGMENTS,       /* nothing to load (MALFORMED) */
    LDR_R_TOO_MANY_SEGMENTS, /* more than LDR_MAX_SEGMENTS (UNSUPPORTED) */
    LDR_R_SEG_FILE_BOUNDS,   /* segment / section file bytes outside the image (OUT_OF_BOUNDS) */
    LDR_R_SEG_WRAPS,         /* address or offset arithmetic overflows (OVERFLOW) */
    LDR_R_SEG_ALIGN,         /* bad alignment value or misaligned address (ALIGNMENT) */
    LDR_R_SEG_ORDER,         /* segments not in ascending address order (MALFORMED) */
    LDR_R_SEG_OVERLAP,       /* two segments overlap in memory (MALFORMED) */
    LDR_R_SEG_SIZE,          /* p_memsz < p_filesz, or a section outside SizeOfImage (MALFORMED) */
    LDR_R_ENTRY,             /* entry not inside an executable loaded segment (MALFORMED) */
    LDR_R_RELOC_TYPE,        /* relocation type other than the supported ones (UNSUPPORTED) */
    LDR_R_RELOC_TARGET,      /* relocation target not inside loaded memory (OUT_OF_BOUNDS) */
    LDR_R_RELOC_TABLE,       /* relocation table outside the file or ill-sized (MALFORMED) */
    /* ELF only. */
    LDR_R_ELF_CLASS,     /* EI_CLASS != ELFCLASS64 (UNSUPPORTED) */
    LDR_R_ELF_DATA,      /* EI_DATA != ELFDATA2LSB (UNSUPPORTED) */
    LDR_R_ELF_VERSION,   /* EI_VERSION / e_version != EV_CURRENT (MALFORMED) */
    LDR_R_ELF_TYPE,      /* e_type not ET_EXEC / ET_DYN (UNSUPPORTED) */
    LDR_R_ELF_EHSIZE,    /* e_ehsize < 64 (MALFORMED) */
    LDR_R_ELF_PHENTSIZE, /* e_phentsize != 56 (MALFORMED) */
    LDR_R_ELF_PHNUM,     /* e_phnum == 0 or PN_XNUM (MALFORMED) */
    LDR_R_ELF_INTERP,    /* PT_INTERP: needs a dynamic linker (UNSUPPORTED) */
    LDR_R_ELF_DYNAMIC,   /* PT_DYNAMIC outside the file or not a whole number of entries */
    LDR_R_ELF_DYN_TAG,   /* DT_NEEDED / DT_REL / DT_RELR / DT_JMPREL: unsupported */
    LDR_R_ELF_RELAENT,   /* DT_RELAENT != 24 or DT_RELA without DT_RELASZ (MALFORMED) */
    LDR_R_RELOC_SYMBOL,  /* R_X86_64_RELATIVE with a symbol index (MALFORMED) */
    /* PE only. */
    LDR_R_PE_LFANEW,          /* e_lfanew < 0x40 or past the image (MALFORMED) */
    LDR_R_PE_SIGNATURE,       /* no "PE\0\0" (MALFORMED) */
    LDR_R_PE_CHARACTERISTICS, /* not IMAGE_FILE_EXECUTABLE_IMAGE (UNSUPPORTED) */
    LDR_R_PE_OPT_MAGIC,       /* optional header magic != 0x20B (UNSUPPORTED) */
    LDR_R_PE_OPT_SIZE,        /* SizeOfOptionalHeader / NumberOfRvaAndSizes inconsistent */
    LDR_R_PE_SIZE_OF_IMAGE,   /* zero or not a multiple of SectionAlignment (MALFORMED) */
    LDR_R_PE_SIZE_OF_HEADERS, /* past the file / image or not covering the section table */
    LDR_R_PE_SECTION,         /* section before SizeOfHeaders or past SizeOfImage (MALFORMED) */
    LDR_R_COUNT_
} ldr_reason;

typedef struct ldr_error {
    ldr_reason reason;
    uint64_t offset; /* file offset of the offending structure or field */
} ldr_error;

/* One loaded segment, in run-time addresses (for the shim's page permissions). */
typedef struct ldr_segment {
    uint64_t addr;
    uint64_t size;  /* bytes in memory (includes zeroed BSS) */
    uint32_t flags; /* LDR_SEG_R | LDR_SEG_W | LDR_SEG_X */
} ldr_segment;

typedef struct ldr_result {
    ldr_image_type type;
    uint64_t entry;     /* absolute run-time entry address, inside an X segment */
    uint64_t load_base; /* == dest_base: first byte of the loaded image */
    uint64_t load_size; /* bytes of dest written (zeroed, then copied): the image span */
    /*
     * What the shim MUST extend into RTMR1 before the jump: the whole payload file as given (as
     * td-shim measures the payload binary, not the relocated memory). Borrowed from `image`.
     */
    tds_bytes measured;
    uint32_t reloc_count; /* relocations applied (NONE / ABSOLUTE entries are not counted) */
    uint32_t segment_count;
    ldr_segment segments[LDR_MAX_SEGMENTS];
} ldr_result;

/* Sniff the magic only (no validation). */
ldr_image_type ldr_detect(tds_bytes image);

/*
 * Validate `image`, load it at `dest_base` into `dest` (dest.len bytes available), relocate, and
 * fill *out. `err` (MUST NOT be NULL) always receives the reason (LDR_R_NONE on success).
 * ldr_load dispatches on the magic; ldr_load_elf / ldr_load_pe force one format.
 */
TDS_MUST_USE tds_status ldr_load(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base,
                                 ldr_result *out, ldr_error *err);
TDS_MUST_USE tds_status ldr_load_elf(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base,
                                     ldr_result *out, ldr_error *err);
TDS_MUST_USE tds_status ldr_load_pe(tds_bytes image, tds_mut_bytes dest, uint64_t dest_base,
                                    ldr_result *out, ldr_error *err);

/* The tds_status that goes with a reason (TDS_OK for LDR_R_NONE). */
tds_status ldr_reason_status(ldr_reason r);
/* Stable short name ("elf-phentsize", ...). Never NULL. */
const char *ldr_reason_str(ldr_reason r);

/*
 * Entry ABI as td-shim uses it (td-shim doc/tdshim_spec.md, payload hand-off): the payload is
 * called as entry(hob, payload_base). ELF: System V AMD64 (RDI, RSI). PE: Microsoft x64 (RCX, RDX,
 * and the caller reserves 32 bytes of shadow space above the return address). Both: RSP % 16 == 0
 * at the call instruction (so RSP % 16 == 8 at entry), direction flag clear, interrupts off. The
 * jump itself is the shim's (assembly); this struct tells it which registers to load.
 */
typedef enum ldr_reg {
    LDR_REG_RDI = 0,
    LDR_REG_RSI,
    LDR_REG_RCX,
    LDR_REG_RDX,
} ldr_reg;

typedef struct ldr_entry_abi {
    ldr_reg hob_reg;       /* receives the payload HOB address */
    ldr_reg payload_reg;   /* receives ldr_result.load_base */
    uint32_t shadow_space; /* bytes the caller reserves below the return address: 0 or 32 */
    uint32_t stack_align;  /* RSP alignment at the call instruction: 16 */
} ldr_entry_abi;

/* Fails (INVALID_ARG) for LDR_IMAGE_UNKNOWN or a NULL out. */
TDS_MUST_USE tds_status ldr_entry_abi_for(ldr_image_type type, ldr_entry_abi *out);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_LOADER_H */
