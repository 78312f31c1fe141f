/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Tiny valid test images laid out byte by byte from the specs (ELF: gABI/psABI; PE: PE/COFF), so
 * that expected values do not come from the loader under test. Offsets of every field the hostile
 * tests corrupt are named here.
 */
#ifndef TDSHIM_TEST_LOADER_IMAGES_H
#define TDSHIM_TEST_LOADER_IMAGES_H

#include <stddef.h>
#include <stdint.h>

/*
 * ELF64 ET_DYN, 3 program headers:
 *   PH0 PT_LOAD R+X  offset 0x1000 vaddr 0x1000 filesz 0x100 memsz 0x100  align 0x1000
 *   PH1 PT_LOAD R+W  offset 0x2000 vaddr 0x2000 filesz 0x80  memsz 0x1000 align 0x1000
 *   PH2 PT_DYNAMIC   offset 0x2010 vaddr 0x2010 filesz 0x40  (RELA 0x1080, RELASZ 72, RELAENT 24)
 * RELA: [0] RELATIVE @0x2000 addend 0x1010; [1] NONE; [2] RELATIVE @0x2008 addend 0x2100.
 * Entry 0x1010. Loaded span 0x2000 (link base 0x1000).
 */
#define ELF_LEN 0x2080u
#define ELF_BUF 0x3000u
#define ELF_PH0 64u
#define ELF_PH1 120u
#define ELF_PH2 176u
#define ELF_RELA 0x1080u
#define ELF_DYN 0x2010u
#define ELF_SPAN 0x2000u
size_t img_elf(uint8_t *b); /* b: ELF_BUF bytes; returns ELF_LEN */

/*
 * PE32+ image, ImageBase 0x140000000, SectionAlignment 0x1000, FileAlignment 0x200,
 * SizeOfImage 0x4000, SizeOfHeaders 0x200, entry RVA 0x1010, 3 sections:
 *   .text  VA 0x1000 VirtualSize 0x100 raw 0x200 @0x200  (code, execute, read)
 *   .data  VA 0x2000 VirtualSize 0x800 raw 0x200 @0x400  (u64 0x140001010 @RVA 0x2000,
 *                                                         u64 0x140002100 @RVA 0x2008)
 *   .reloc VA 0x3000 VirtualSize 0x10  raw 0x200 @0x600  (one block: DIR64 0x2000, ABSOLUTE,
 *                                                         DIR64 0x2008, ABSOLUTE)
 */
#define PE_LEN 0x800u
#define PE_BUF 0x1000u
#define PE_SIG 0x40u
#define PE_COFF 0x44u
#define PE_OH 0x58u
#define PE_DIR5 (PE_OH + 112u + 5u * 8u)
#define PE_ST (PE_OH + 0xf0u)
#define PE_SH(i) (PE_ST + 40u * (i))
#define PE_RELOC 0x600u
#define PE_IMAGE_BASE 0x140000000ull
#define PE_SPAN 0x4000u
size_t img_pe(uint8_t *b); /* b: PE_BUF bytes; returns PE_LEN */

void put16(uint8_t *b, size_t off, uint16_t v);
void put32(uint8_t *b, size_t off, uint32_t v);
void put64(uint8_t *b, size_t off, uint64_t v);

#endif
