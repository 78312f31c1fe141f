/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test-side reading of an ELF64 file, written independently of tdp_elf2pe.c and libloader (it
 * reads the section headers where they read the program headers and PT_DYNAMIC), so the tests of
 * the PE build compare two independent views. Host tests only; every read is bounds-checked.
 */
#ifndef TDP_ELF_PROBE_H
#define TDP_ELF_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct tdp_probe_load {
    uint64_t ph_at; /* file offset of the program header */
    uint64_t vaddr, memsz, offset, filesz;
    uint32_t flags;
} tdp_probe_load;

typedef struct tdp_probe_rela {
    uint64_t at; /* file offset of the Elf64_Rela */
    uint64_t offset, info, addend;
} tdp_probe_rela;

uint64_t tdp_probe_le(const uint8_t *f, size_t n, uint64_t off, unsigned bytes, bool *ok);
/* st_value of the defined symbol `name` in .symtab. */
bool tdp_probe_symbol(const uint8_t *f, size_t n, const char *name, uint64_t *value);
/* The PT_LOADs with p_memsz > 0, in file order. Returns the count (0 on a read error). */
size_t tdp_probe_loads(const uint8_t *f, size_t n, tdp_probe_load *out, size_t max);
/* Every entry of the allocated SHT_RELA sections. Returns the count. */
size_t tdp_probe_relas(const uint8_t *f, size_t n, tdp_probe_rela *out, size_t max);
/* File offset of the first dynamic entry (in the SHT_DYNAMIC section) with this tag. */
bool tdp_probe_dyn(const uint8_t *f, size_t n, uint64_t tag, uint64_t *at);

#endif /* TDP_ELF_PROBE_H */
