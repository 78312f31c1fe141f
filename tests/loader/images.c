/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "images.h"

#include <string.h>

void put16(uint8_t *b, size_t off, uint16_t v)
{
    b[off] = (uint8_t)v;
    b[off + 1] = (uint8_t)(v >> 8);
}

void put32(uint8_t *b, size_t off, uint32_t v)
{
    put16(b, off, (uint16_t)v);
    put16(b, off + 2, (uint16_t)(v >> 16));
}

void put64(uint8_t *b, size_t off, uint64_t v)
{
    put32(b, off, (uint32_t)v);
    put32(b, off + 4, (uint32_t)(v >> 32));
}

static void phdr(uint8_t *b, size_t at, uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr,
                 uint64_t filesz, uint64_t memsz, uint64_t align)
{
    put32(b, at, type);
    put32(b, at + 4, flags);
    put64(b, at + 8, off);
    put64(b, at + 16, vaddr);
    put64(b, at + 24, vaddr); /* p_paddr */
    put64(b, at + 32, filesz);
    put64(b, at + 40, memsz);
    put64(b, at + 48, align);
}

size_t img_elf(uint8_t *b)
{
    memset(b, 0, ELF_BUF);
    static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};
    memcpy(b, ident, sizeof ident);
    put16(b, 16, 3);      /* ET_DYN */
    put16(b, 18, 62);     /* EM_X86_64 */
    put32(b, 20, 1);      /* EV_CURRENT */
    put64(b, 24, 0x1010); /* e_entry */
    put64(b, 32, 64);     /* e_phoff */
    put16(b, 52, 64);     /* e_ehsize */
    put16(b, 54, 56);     /* e_phentsize */
    put16(b, 56, 3);      /* e_phnum */
    put16(b, 58, 64);     /* e_shentsize */
    phdr(b, ELF_PH0, 1, 5, 0x1000, 0x1000, 0x100, 0x100, 0x1000);
    phdr(b, ELF_PH1, 1, 6, 0x2000, 0x2000, 0x80, 0x1000, 0x1000);
    phdr(b, ELF_PH2, 2, 6, 0x2010, 0x2010, 0x40, 0x40, 8);
    for (size_t i = 0; i < 0x80; i++) {
        b[0x1000 + i] = (uint8_t)(i * 7u + 1u);
    }
    put64(b, ELF_RELA + 0, 0x2000);
    put64(b, ELF_RELA + 8, 8); /* R_X86_64_RELATIVE, sym 0 */
    put64(b, ELF_RELA + 16, 0x1010);
    /* entry 1: R_X86_64_NONE, all zero */
    put64(b, ELF_RELA + 48, 0x2008);
    put64(b, ELF_RELA + 56, 8);
    put64(b, ELF_RELA + 64, 0x2100);
    memset(b + 0x10c8, 0x90, 0x1100 - 0x10c8);
    put64(b, ELF_DYN + 0, 7); /* DT_RELA */
    put64(b, ELF_DYN + 8, ELF_RELA);
    put64(b, ELF_DYN + 16, 8); /* DT_RELASZ */
    put64(b, ELF_DYN + 24, 72);
    put64(b, ELF_DYN + 32, 9); /* DT_RELAENT */
    put64(b, ELF_DYN + 40, 24);
    /* DT_NULL at ELF_DYN + 48 */
    memset(b + 0x2050, 0xab, 0x30);
    return ELF_LEN;
}

static void shdr(uint8_t *b, size_t at, const char name[8], uint32_t vsize, uint32_t va,
                 uint32_t rawsize, uint32_t rawptr, uint32_t chars)
{
    memcpy(b + at, name, 8); /* Name[8], NUL-padded */
    put32(b, at + 8, vsize);
    put32(b, at + 12, va);
    put32(b, at + 16, rawsize);
    put32(b, at + 20, rawptr);
    put32(b, at + 36, chars);
}

size_t img_pe(uint8_t *b)
{
    memset(b, 0, PE_BUF);
    b[0] = 'M';
    b[1] = 'Z';
    put32(b, 0x3c, PE_SIG);
    b[PE_SIG] = 'P';
    b[PE_SIG + 1] = 'E';
    put16(b, PE_COFF + 0, 0x8664);  /* Machine */
    put16(b, PE_COFF + 2, 3);       /* NumberOfSections */
    put16(b, PE_COFF + 16, 0xf0);   /* SizeOfOptionalHeader */
    put16(b, PE_COFF + 18, 0x0022); /* EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE */
    put16(b, PE_OH + 0, 0x20b);
    put32(b, PE_OH + 16, 0x1010); /* AddressOfEntryPoint */
    put64(b, PE_OH + 24, PE_IMAGE_BASE);
    put32(b, PE_OH + 32, 0x1000);  /* SectionAlignment */
    put32(b, PE_OH + 36, 0x200);   /* FileAlignment */
    put32(b, PE_OH + 56, PE_SPAN); /* SizeOfImage */
    put32(b, PE_OH + 60, 0x200);   /* SizeOfHeaders */
    put16(b, PE_OH + 68, 10);      /* EFI application */
    put32(b, PE_OH + 108, 16);     /* NumberOfRvaAndSizes */
    put32(b, PE_DIR5, 0x3000);
    put32(b, PE_DIR5 + 4, 16);
    shdr(b, PE_SH(0), (const char[8]){".text"}, 0x100, 0x1000, 0x200, 0x200, 0x60000020u);
    shdr(b, PE_SH(1), (const char[8]){".data"}, 0x800, 0x2000, 0x200, 0x400, 0xc0000040u);
    shdr(b, PE_SH(2), (const char[8]){".reloc"}, 0x10, 0x3000, 0x200, 0x600, 0x42000040u);
    for (size_t i = 0; i < 0x200; i++) {
        b[0x200 + i] = (uint8_t)(i * 5u + 3u);
    }
    put64(b, 0x400, PE_IMAGE_BASE + 0x1010);
    put64(b, 0x408, PE_IMAGE_BASE + 0x2100);
    memset(b + 0x410, 0xab, 0x1f0);
    put32(b, PE_RELOC, 0x2000);
    put32(b, PE_RELOC + 4, 16);
    put16(b, PE_RELOC + 8, 0xa000);  /* DIR64 +0 */
    put16(b, PE_RELOC + 10, 0x0000); /* ABSOLUTE */
    put16(b, PE_RELOC + 12, 0xa008); /* DIR64 +8 */
    put16(b, PE_RELOC + 14, 0x0000); /* ABSOLUTE */
    return PE_LEN;
}
