/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libacpi test kit: a fake fw_cfg with a firmware-style allocator (the loader's ops), a script
 * writer, and a q35-like input built the way QEMU's hw/i386/acpi-build.c lays it out (FACS,
 * DSDT, FACP, APIC, MCFG, WAET, RSDT in one blob; a revision-0 RSDP in another), with the list of
 * patches it asks for so a test can compute the expected result on its own.
 */
#ifndef TDSHIM_TESTS_ACPI_UTIL_H
#define TDSHIM_TESTS_ACPI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/acpi.h"

/* ---- script writer ------------------------------------------------------------------------- */

#define SC_MAX 1100u
typedef struct script {
    uint8_t b[SC_MAX * ACPI_LOADER_ENTRY_SIZE];
    uint32_t n; /* entries written */
} script;

void sc_init(script *s);
uint8_t *sc_next(script *s); /* a zeroed entry */
void sc_alloc(script *s, const char *file, uint32_t align, uint8_t zone);
void sc_ptr(script *s, const char *dst, const char *src, uint32_t off, uint8_t size);
void sc_cksum(script *s, const char *file, uint32_t result, uint32_t start, uint32_t len);
void sc_wptr(script *s, const char *dst, const char *src, uint32_t dst_off, uint32_t src_off,
             uint8_t size);
void sc_pad(script *s, uint32_t entries); /* zero entries up to `entries` */
size_t sc_len(const script *s);

/* ---- fake fw_cfg + allocator --------------------------------------------------------------- */

#define FW_MAX_FILES 8u
#define FW_FILL 0xA5u
#define FW_HIGH_LEN 0x40000u
#define FW_HIGH_ADDR 0x7ffc0000ull
#define FW_FSEG_LEN 0x20000u
#define FW_FSEG_ADDR 0xe0000ull

typedef struct fw_file {
    char name[ACPI_LOADER_NAME_SIZE];
    const uint8_t *data;
    uint32_t size;
} fw_file;

typedef struct fw_wp {
    char file[ACPI_LOADER_NAME_SIZE];
    uint32_t offset;
    uint8_t size;
    uint64_t value;
} fw_wp;

typedef struct fake_fw {
    fw_file files[FW_MAX_FILES];
    size_t nfiles;
    uint8_t *high; /* FW_HIGH_LEN bytes "at" high_addr */
    uint64_t high_addr;
    size_t high_used;
    uint8_t *fseg; /* FW_FSEG_LEN bytes "at" FW_FSEG_ADDR */
    size_t fseg_used;
    uint8_t *shadow_high; /* what the arenas must hold: FILL plus the downloads */
    uint8_t *shadow_fseg;
    /* knobs */
    int fail_at;          /* allocate call (0-based) that fails with NO_SPACE; -1 none */
    uint64_t addr_add;    /* added to every reported address */
    bool short_mem;       /* report one byte less memory than the file */
    bool same_mem;        /* every blob gets the first blob's memory */
    uint64_t force_addr;  /* non-zero: report this address for every blob */
    tds_status wp_status; /* what write_pointer answers */
    /* records */
    uint8_t *first_mem; /* the first blob's memory */
    uint32_t allocs;
    acpi_loader_alloc reqs[FW_MAX_FILES];
    uint32_t n_wp;
    fw_wp wps[8];
} fake_fw;

/* Arenas are the test's static buffers; both are filled with FW_FILL. */
void fw_init(fake_fw *fw);
void fw_add(fake_fw *fw, const char *name, const uint8_t *data, uint32_t size);
acpi_loader_ops fw_ops(fake_fw *fw, bool with_write_pointer);
/* No byte of either arena differs from the downloads (nothing patched). */
bool fw_unchanged(const fake_fw *fw);
/* Guest address -> arena pointer (NULL outside). */
uint8_t *fw_ptr(const fake_fw *fw, uint64_t addr);

/* ---- q35-like input ------------------------------------------------------------------------- */

#define Q35_TABLES "etc/acpi/tables"
#define Q35_RSDP "etc/acpi/rsdp"
#define Q35_TABLES_SIZE 0x1000u
#define Q35_PMBASE 0x600u
#define Q35_MCFG_BASE 0xb0000000ull

typedef struct q35_patch {
    bool rsdp_dst; /* dest / checksummed file: rsdp (else tables) */
    bool rsdp_src; /* ADD_POINTER source: rsdp */
    bool pointer;  /* ADD_POINTER (else ADD_CHECKSUM) */
    uint32_t a;    /* pointer offset / checksum result */
    uint32_t b;    /* pointer size / checksum start */
    uint32_t c;    /* checksum length */
} q35_patch;

typedef struct q35_input {
    uint8_t tables[Q35_TABLES_SIZE];
    uint8_t rsdp[ACPI_RSDP_V1_SIZE];
    script sc;
    uint32_t facs, dsdt, facp, apic, mcfg, waet, rsdt, end; /* offsets in the tables blob */
    q35_patch patches[32];
    uint32_t n_patches;
} q35_input;

void q35_build(q35_input *in);
/* The patched blobs, computed from in->patches without the library. */
void q35_expected(const q35_input *in, uint64_t tables_addr, uint64_t rsdp_addr,
                  uint8_t *tables_out, uint8_t *rsdp_out);
/* Register both files with fw. */
void q35_files(const q35_input *in, fake_fw *fw);

/* ---- table helpers ------------------------------------------------------------------------- */

void put_le16(uint8_t *p, uint16_t v);
void put_le32(uint8_t *p, uint32_t v);
void put_le64(uint8_t *p, uint64_t v);
uint32_t get_le32(const uint8_t *p);
uint64_t get_le64(const uint8_t *p);
/* Copy the characters of s (not its NUL) to p. */
void put_str(uint8_t *p, const char *s);
/* Make p[0 .. len) sum to zero by setting p[at]. */
void fix_sum(uint8_t *p, size_t len, size_t at);
/* Field-wise equality of two table views (no memcmp over padding). */
bool tables_eq(const acpi_tables *a, const acpi_tables *b);
/* A header with checksum fixed later: signature, length, revision, "BOCHS " / "BXPC    ". */
void put_sdt(uint8_t *p, const char *sig, uint32_t len, uint8_t rev);

#endif /* TDSHIM_TESTS_ACPI_UTIL_H */
