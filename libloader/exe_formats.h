/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The numbers of the executable formats the loader reads and the project's tools write, defined
 * once: System V gABI (ELF64), the x86-64 psABI, and the PE/COFF specification (PE32+). Sizes are
 * of the on-disk records; field offsets stay with the code that reads each record.
 */
#ifndef TDSHIM_LOADER_EXE_FORMATS_H
#define TDSHIM_LOADER_EXE_FORMATS_H

/* ---- ELF64 (gABI), x86-64 psABI ------------------------------------------------------------ */
#define ELF_EHDR_SIZE 64u /* Elf64_Ehdr */
#define ELF_PHDR_SIZE 56u /* Elf64_Phdr */
#define ELF_SHDR_SIZE 64u /* Elf64_Shdr */
#define ELF_SYM_SIZE 24u  /* Elf64_Sym */
#define ELF_DYN_SIZE 16u  /* Elf64_Dyn */
#define ELF_RELA_SIZE 24u /* Elf64_Rela */

#define ET_EXEC 2u
#define ET_DYN 3u
#define EM_X86_64 62u
#define PN_XNUM 0xffffu
#define PT_NULL 0u
#define PT_LOAD 1u
#define PT_DYNAMIC 2u
#define PT_INTERP 3u
#define PT_NOTE 4u
#define PT_PHDR 6u
#define PT_GNU_EH_FRAME 0x6474e550u
#define PT_GNU_STACK 0x6474e551u
#define PT_GNU_RELRO 0x6474e552u
#define PT_GNU_PROPERTY 0x6474e553u
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define SHT_SYMTAB 2u
#define SHT_STRTAB 3u
#define SHN_UNDEF 0u
#define SHN_LORESERVE 0xff00u
#define DT_NULL 0u
#define DT_NEEDED 1u
#define DT_PLTRELSZ 2u
#define DT_RELA 7u
#define DT_RELASZ 8u
#define DT_RELAENT 9u
#define DT_REL 17u
#define DT_RELSZ 18u
#define DT_RELENT 19u
#define DT_JMPREL 23u
#define DT_RELRSZ 35u
#define DT_RELR 36u
#define DT_RELRENT 37u
#define R_X86_64_NONE 0u
#define R_X86_64_RELATIVE 8u /* B + A */

/* ---- PE32+ (PE/COFF specification) --------------------------------------------------------- */
#define PE_DOS_LFANEW 0x3cu    /* e_lfanew in the MS-DOS header */
#define PE_COFF_SIZE 20u       /* COFF file header */
#define PE_OPT_FIXED_SIZE 112u /* PE32+ optional header before the data directories */
#define PE_OPT_SIZE 240u       /* ... with 16 data directories of 8 bytes */
#define PE_SECTION_SIZE 40u    /* section header */
#define PE_NUM_DIRS 16u
#define PE_DIR_BASERELOC 5u

#define PE_MACHINE_AMD64 0x8664u
#define PE_OPT_MAGIC_PE32P 0x20bu
#define PE_FILE_RELOCS_STRIPPED 0x0001u
#define PE_FILE_EXECUTABLE_IMAGE 0x0002u
#define PE_FILE_LARGE_ADDRESS_AWARE 0x0020u
#define PE_SUBSYSTEM_EFI_APPLICATION 10u
#define PE_DLL_DYNAMIC_BASE 0x0040u
#define PE_DLL_NX_COMPAT 0x0100u
#define PE_SCN_CNT_CODE 0x00000020u
#define PE_SCN_CNT_INITIALIZED_DATA 0x00000040u
#define PE_SCN_CNT_UNINITIALIZED_DATA 0x00000080u
#define PE_SCN_MEM_DISCARDABLE 0x02000000u
#define PE_SCN_MEM_EXECUTE 0x20000000u
#define PE_SCN_MEM_READ 0x40000000u
#define PE_SCN_MEM_WRITE 0x80000000u
#define PE_REL_BASED_ABSOLUTE 0u
#define PE_REL_BASED_DIR64 10u

#endif
