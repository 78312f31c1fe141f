/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Internal to libloader: the validated load plan shared by the ELF and PE front ends and the
 * common copy/relocate driver (loader.c). Habit 8: the front ends validate everything into a
 * plan; the driver writes memory only from a plan.
 */
#ifndef TDSHIM_LOADER_INT_H
#define TDSHIM_LOADER_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/loader.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

typedef struct ldr_plan_seg {
    uint64_t mem_off;   /* offset from dest_base */
    uint64_t mem_size;  /* > 0 */
    uint64_t file_off;  /* offset in the image */
    uint64_t file_size; /* bytes copied, <= mem_size; the rest is zeroed */
    uint32_t flags;     /* LDR_SEG_* */
} ldr_plan_seg;

typedef struct ldr_plan {
    ldr_image_type type;
    uint64_t span;       /* bytes of dest used: [0, span) is zeroed, then segments copied */
    uint64_t entry_off;  /* entry point, offset from dest_base */
    uint64_t link_base;  /* link-time address of dest offset 0 (ELF lowest p_vaddr, PE ImageBase) */
    uint64_t delta;      /* run-time minus link-time address (mod 2^64) */
    uint64_t reloc_off;  /* relocation table: file offset ... */
    uint64_t reloc_size; /* ... and size in bytes (0: none) */
    uint32_t reloc_count;
    uint32_t first_reloc_seg; /* relocation targets must be in seg[first_reloc_seg..] */
    uint32_t nseg;
    ldr_plan_seg seg[LDR_MAX_SEGMENTS];
} ldr_plan;

/* Record the reason and return its status. */
TDS_MUST_USE tds_status ldr_fail(ldr_error *err, ldr_reason r, uint64_t off);

/* Little-endian reads of the image at an absolute offset, through a cursor (TRUNCATED). */
TDS_MUST_USE tds_status ldr_rd16(tds_bytes img, uint64_t off, uint16_t *out);
TDS_MUST_USE tds_status ldr_rd32(tds_bytes img, uint64_t off, uint32_t *out);
TDS_MUST_USE tds_status ldr_rd64(tds_bytes img, uint64_t off, uint64_t *out);

/* Is [off, off+len) inside one of the plan's segments from index `first` on? */
bool ldr_plan_contains(const ldr_plan *p, uint32_t first, uint64_t off, uint64_t len);

/*
 * Front ends. *_plan validates the whole image (including every relocation) for a destination of
 * dest_len bytes at dest_base. *_relocate walks the same relocation table and, when `mem` is not
 * NULL, applies it to the loaded image in mem (which holds at least plan->span bytes); with a NULL
 * `mem` it only validates (and counts into plan->reloc_count).
 */
TDS_MUST_USE tds_status ldr_elf_plan(tds_bytes img, uint64_t dest_len, uint64_t dest_base,
                                     ldr_plan *p, ldr_error *err);
TDS_MUST_USE tds_status ldr_elf_relocate(tds_bytes img, ldr_plan *p, uint8_t *mem, ldr_error *err);
TDS_MUST_USE tds_status ldr_pe_plan(tds_bytes img, uint64_t dest_len, uint64_t dest_base,
                                    ldr_plan *p, ldr_error *err);
TDS_MUST_USE tds_status ldr_pe_relocate(tds_bytes img, ldr_plan *p, uint8_t *mem, ldr_error *err);

#pragma GCC visibility pop

#endif /* TDSHIM_LOADER_INT_H */
