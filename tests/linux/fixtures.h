/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Hand-made bzImage setup bytes for the liblinux tests, laid out from boot.rst's header table
 * and bootparam.h (independent of the library's own offset macros). The defaults follow a
 * current x86-64 distribution kernel: protocol 2.15, header end 0x26C, 2 MiB alignment,
 * relocatable, pref_address 16 MiB, 64-bit entry, loadable above 4 GiB.
 */
#ifndef TDSHIM_TESTS_LINUX_FIXTURES_H
#define TDSHIM_TESTS_LINUX_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#define FX_SETUP_MAX (256u * 512u) /* setup_sects 255 */

typedef struct fx_kernel {
    uint8_t setup_sects_byte; /* 0x1F1 (0 means 4) */
    uint16_t boot_flag;       /* 0x1FE */
    uint8_t jump_op;          /* 0x200 */
    uint8_t jump_len;         /* 0x201: header ends at 0x202 + jump_len */
    uint32_t magic;           /* 0x202 */
    uint16_t version;         /* 0x206 */
    uint8_t loadflags;        /* 0x211 */
    uint32_t syssize;         /* 0x1F4 */
    uint32_t initrd_addr_max; /* 0x22C */
    uint32_t kernel_alignment;
    uint8_t relocatable;
    uint8_t min_alignment;
    uint16_t xloadflags;
    uint32_t cmdline_size;
    uint64_t pref_address;
    uint32_t init_size;
    uint64_t setup_data; /* 0x250: what a VMM may have patched in */
} fx_kernel;

#define FX_KERNEL_SIZE 0x800000ull /* 8 MiB of protected-mode kernel */

/* The defaults described above (init_size 48 MiB, syssize = FX_KERNEL_SIZE / 16). */
fx_kernel fx_default(void);

/*
 * Write the setup bytes for `k` into buf: (effective setup_sects + 1) * 512 bytes, returned.
 * Every byte not named in fx_kernel is a pattern (fx_pattern) so copies can be checked: bytes
 * before 0x1F1 and at/after the header end are 0xEE-based, the sentinel 0x1EF is 0xFF as in a
 * real image, and header fields the loader must overwrite hold non-zero junk.
 */
size_t fx_setup(const fx_kernel *k, uint8_t *buf);
uint8_t fx_pattern(size_t off);

/* Little-endian writes for tests. */
void fx_le16(uint8_t *p, uint16_t v);
void fx_le32(uint8_t *p, uint32_t v);
void fx_le64(uint8_t *p, uint64_t v);
uint16_t fx_rd16(const uint8_t *p);
uint32_t fx_rd32(const uint8_t *p);
uint64_t fx_rd64(const uint8_t *p);

#endif /* TDSHIM_TESTS_LINUX_FIXTURES_H */
