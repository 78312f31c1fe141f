/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libacpi: QEMU's ACPI tables through fw_cfg, for a firmware that has no ACPI of its own.
 * Contract: docs/libacpi.md.
 *
 *  1. The table-loader ("etc/table-loader"): validate the untrusted script, have the caller
 *     download every file it ALLOCATEs, check every value, then run ADD_POINTER, ADD_CHECKSUM
 *     and WRITE_POINTER. Format: QEMU hw/acpi/bios-linker-loader.c, edk2
 *     OvmfPkg/Include/IndustryStandard/QemuLoader.h. Nothing in the blobs is changed unless the
 *     whole script passed every check.
 *  2. The loaded tables (ACPI 6.5 section 5.2): find and check the RSDP, the RSDT / XSDT and
 *     every table they list, against the memory the caller says the tables live in; read the
 *     FADT's power-management registers and the MCFG's ECAM windows; replace the MADT and append
 *     tables (CCEL) through a new RSDT / XSDT in caller memory, fixing every checksum touched.
 *  3. Or build a fresh RSDP (revision 2) + XSDT from a list of checked tables.
 *
 * Rules: no allocation, no globals, caller-owned memory; fallible calls return tds_status and
 * write their out-parameters only on success; every refusal names a reason (acpi_reason) in the
 * caller's acpi_error, which is written on failure and on success (reason ACPI_R_NONE).
 * Untrusted bytes: the script and the blobs. The caller MUST hand over private copies that
 * nothing else changes during a call (the firmware downloads fw_cfg files into private memory).
 */
#ifndef TDSHIM_ACPI_H
#define TDSHIM_ACPI_H

/*
 * Thread safety: no state; each call reads its inputs and writes only the caller's outputs and
 * buffers (the table space it edits or builds). One thread at a time per acpi_tables / buffer
 * being edited; read-only walks may run concurrently.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Reasons ------------------------------------------------------------------------------- */

typedef enum acpi_reason {
    ACPI_R_NONE = 0,
    ACPI_R_BAD_ARG, /* NULL pointer, ill-formed slice, bad flag (INVALID_ARG) */
    /* Table-loader script, structure (checked before anything is allocated). */
    ACPI_R_SCRIPT_SIZE,        /* size not a multiple of 128 (MALFORMED) */
    ACPI_R_SCRIPT_TOO_LONG,    /* more than ACPI_LOADER_MAX_COMMANDS entries (UNSUPPORTED) */
    ACPI_R_UNKNOWN_COMMAND,    /* command not 1..4 in a non-zero entry (UNSUPPORTED) */
    ACPI_R_NAME,               /* a file name empty or not NUL-terminated in 56 bytes (MALFORMED) */
    ACPI_R_ALIGN_NOT_POW2,     /* ALLOCATE alignment 0 or not a power of two (MALFORMED) */
    ACPI_R_ALIGN_TOO_LARGE,    /* ALLOCATE alignment above 4096 (UNSUPPORTED) */
    ACPI_R_ZONE,               /* ALLOCATE zone not HIGH (1) or FSEG (2) (MALFORMED) */
    ACPI_R_DUPLICATE_ALLOCATE, /* a second ALLOCATE of one file (MALFORMED) */
    ACPI_R_TOO_MANY_FILES,     /* more ALLOCATEs than the caller's blob array holds (NO_SPACE) */
    ACPI_R_FILE_NOT_FOUND,     /* the file_size op does not know the file (NOT_FOUND) */
    ACPI_R_FILE_EMPTY,         /* an ALLOCATEd file of size 0 (MALFORMED) */
    ACPI_R_NOT_ALLOCATED,      /* a command names a file no earlier ALLOCATE loaded (MALFORMED) */
    ACPI_R_POINTER_SIZE,       /* pointer size not 1, 2, 4 or 8 (MALFORMED) */
    ACPI_R_POINTER_RANGE,   /* [offset, offset+size) not inside the destination (OUT_OF_BOUNDS) */
    ACPI_R_POINTER_OVERLAP, /* ADD_POINTER field overlaps another one or a checksum byte */
    ACPI_R_CHECKSUM_RESULT, /* checksum result_offset not inside the file (OUT_OF_BOUNDS) */
    ACPI_R_CHECKSUM_RANGE,  /* [start, start+length) not inside the file (OUT_OF_BOUNDS) */
    ACPI_R_WRITE_POINTER_REFUSED, /* WRITE_POINTER but the caller has no write_pointer op */
    ACPI_R_WRITE_POINTER_SOURCE,  /* WRITE_POINTER src_offset not inside the source file */
    /* Table-loader: the caller's allocations and the downloaded values. */
    ACPI_R_ALLOCATE_FAILED, /* the allocate op failed (its status is returned) */
    ACPI_R_BLOB_MEMORY,     /* the op's memory is ill-formed or smaller than the file */
    ACPI_R_BLOB_ALIGN,      /* the op's address is not aligned as the ALLOCATE asked (ALIGNMENT) */
    ACPI_R_BLOB_WRAPS,      /* the op's address + file size wraps (OVERFLOW) */
    ACPI_R_BLOB_OVERLAP,    /* two blobs (addresses or memory) or a blob and the script overlap */
    ACPI_R_POINTEE_RANGE,   /* the stored pointer value is not below the source's size */
    ACPI_R_RELOC_OVERFLOW,  /* the relocated value does not fit the pointer size (OVERFLOW) */
    ACPI_R_WRITE_POINTER_FAILED, /* the write_pointer op failed (its status is returned) */
    ACPI_R_INPUT_CHANGED,        /* script, blobs or tables changed during the call (STATE) */
    /* Tables. */
    ACPI_R_NOT_FOUND,         /* the table asked for is not listed (NOT_FOUND) */
    ACPI_R_UNMAPPED,          /* a structure's first bytes are not in any caller region */
    ACPI_R_PAST_END,          /* a structure's length runs past the end of its region */
    ACPI_R_RSDP_SIGNATURE,    /* no "RSD PTR " (MALFORMED) */
    ACPI_R_RSDP_CHECKSUM,     /* the 20-byte checksum is not zero (MALFORMED) */
    ACPI_R_RSDP_REVISION,     /* revision 1 (neither ACPI 1.0's 0 nor 2+) (UNSUPPORTED) */
    ACPI_R_RSDP_LENGTH,       /* revision 2+ Length below 36 (MALFORMED) */
    ACPI_R_RSDP_EXT_CHECKSUM, /* the extended checksum is not zero (MALFORMED) */
    ACPI_R_RSDP_NO_ROOT,      /* neither an RSDT nor an XSDT address (MALFORMED) */
    ACPI_R_TABLE_SIGNATURE,   /* a table does not carry the signature its pointer implies */
    ACPI_R_TABLE_LENGTH,      /* header Length below what the table needs (MALFORMED) */
    ACPI_R_TABLE_CHECKSUM,    /* a table's bytes do not sum to zero (MALFORMED) */
    ACPI_R_ROOT_ENTRIES,      /* RSDT/XSDT body not a whole number of entries (MALFORMED) */
    ACPI_R_TOO_MANY_TABLES,   /* more than ACPI_MAX_TABLES entries (UNSUPPORTED) */
    ACPI_R_ROOT_MISMATCH,     /* RSDT and XSDT list different tables (MALFORMED) */
    ACPI_R_ENTRY_ZERO,        /* a root-table entry is 0 (MALFORMED) */
    ACPI_R_ENTRY_ROOT,        /* a root table lists an RSDT or XSDT (MALFORMED) */
    ACPI_R_ENTRY_DUPLICATE,   /* a table listed twice, or a second FADT (MALFORMED) */
    ACPI_R_OVERLAP,           /* two structures (RSDP, root tables, tables) overlap */
    ACPI_R_FADT_DSDT,         /* no DSDT, or DSDT and X_DSDT both set and different */
    ACPI_R_FADT_FACS,         /* FIRMWARE_CTRL and X_FIRMWARE_CTRL both set and different */
    ACPI_R_FACS,              /* the FACS: signature, Length below 64 (MALFORMED) */
    ACPI_R_FADT_PM,           /* a PM register block's legacy and X_ forms disagree */
    ACPI_R_MCFG_ENTRY,        /* an MCFG allocation: start bus > end bus, or the window wraps */
    /* Editing and building. */
    ACPI_R_ROOM,             /* the room for a new root table is not given or too small */
    ACPI_R_ROOM_OVERLAP,     /* a new structure would overlap the RSDP, a table or another */
    ACPI_R_ABOVE_4G,         /* a 32-bit field (RSDT entry, RsdtAddress) cannot hold the address */
    ACPI_R_SIGNATURE_EXISTS, /* an appended table's signature is already listed */
    ACPI_R_COUNT_
} acpi_reason;

/* Index meaning "no command / no entry" in acpi_error.index. */
#define ACPI_NO_INDEX 0xFFFFFFFFu

typedef struct acpi_error {
    acpi_reason reason;
    tds_status status;  /* what the call returned */
    uint32_t index;     /* loader: the command (entry number, from 0); tables: the root-table
                           entry; ACPI_NO_INDEX when no single one is at fault */
    uint64_t addr;      /* tables: address of the offending structure (0 if none) */
    uint32_t allocated; /* loader: blobs the allocate op handed out before the failure; the
                           caller releases them (they hold the file bytes, unchanged) */
} acpi_error;

/* The status that goes with a reason (TDS_OK for NONE; the op's own status for ALLOCATE_FAILED
 * and WRITE_POINTER_FAILED is reported in acpi_error.status, this returns TDS_ERR_VMM for
 * them). */
tds_status acpi_reason_status(acpi_reason r);
/* Stable short name ("pointer-range", ...). Never NULL. */
const char *acpi_reason_str(acpi_reason r);

/* ---- Table-loader --------------------------------------------------------------------------- */

#define ACPI_LOADER_ENTRY_SIZE 128u
#define ACPI_LOADER_NAME_SIZE 56u /* FW_CFG_MAX_FILE_PATH, the NUL included */
#define ACPI_LOADER_MAX_ALIGN 4096u
/* The longest script accepted: 1024 entries = 128 KiB (QEMU 7.2 q35 uses 19 in a 4 KiB file). */
#define ACPI_LOADER_MAX_COMMANDS 1024u

#define ACPI_LOADER_CMD_ALLOCATE 1u
#define ACPI_LOADER_CMD_ADD_POINTER 2u
#define ACPI_LOADER_CMD_ADD_CHECKSUM 3u
#define ACPI_LOADER_CMD_WRITE_POINTER 4u

#define ACPI_LOADER_ZONE_HIGH 1u
#define ACPI_LOADER_ZONE_FSEG 2u /* 0xE0000-0xFFFFF in a legacy BIOS; a hint here */

/* Entry layout (offsets from the start of the 128-byte entry; all numbers little-endian). */
#define ACPI_LOADER_OFF_COMMAND 0u
#define ACPI_LOADER_OFF_NAME1                                                                      \
    4u                                  /* ALLOCATE file, ADD_POINTER / WRITE_POINTER dest,        \
                                           ADD_CHECKSUM file */
#define ACPI_LOADER_OFF_NAME2 60u       /* ADD_POINTER / WRITE_POINTER src */
#define ACPI_LOADER_OFF_ALLOC_ALIGN 60u /* u32 */
#define ACPI_LOADER_OFF_ALLOC_ZONE 64u  /* u8 */
#define ACPI_LOADER_OFF_PTR_OFFSET 116u /* u32 */
#define ACPI_LOADER_OFF_PTR_SIZE 120u   /* u8 */
#define ACPI_LOADER_OFF_CKSUM_RESULT 60u
#define ACPI_LOADER_OFF_CKSUM_START 64u
#define ACPI_LOADER_OFF_CKSUM_LENGTH 68u
#define ACPI_LOADER_OFF_WPTR_DST_OFFSET 116u /* u32 */
#define ACPI_LOADER_OFF_WPTR_SRC_OFFSET 120u /* u32 */
#define ACPI_LOADER_OFF_WPTR_SIZE 124u       /* u8 */

/* Flags. */
#define ACPI_LOADER_SKIP_UNKNOWN                                                                   \
    1u /* skip non-zero entries with an unknown command (as OVMF and                               \
          SeaBIOS do) instead of refusing the script */

/* What the allocate op is asked for. */
typedef struct acpi_loader_alloc {
    const char *name; /* NUL-terminated, at most 55 characters */
    uint32_t size;    /* the fw_cfg file's size (from file_size), > 0 */
    uint32_t align;   /* power of two, <= 4096 */
    uint8_t zone;     /* ACPI_LOADER_ZONE_HIGH or _FSEG */
    /* The highest address the blob's last byte may have so that every 1/2/4-byte pointer the
     * script stores to it fits (UINT64_MAX: no limit). Pass 2 checks the real values anyway. */
    uint64_t max_last;
} acpi_loader_alloc;

typedef struct acpi_loader_ops {
    void *ctx;
    /* Size of fw_cfg file `name`; TDS_ERR_NOT_FOUND (or any error) if there is none. Required. */
    tds_status (*file_size)(void *ctx, const char *name, uint32_t *size);
    /*
     * Place the file: allocate at least req->size bytes aligned to req->align (the zone is a
     * hint), download the whole fw_cfg file into them, and return the memory (*mem, mem->len >=
     * size) and the guest-physical address of mem->ptr[0] (*addr). Required. The library never
     * frees: on failure the caller releases what acpi_error.allocated says was handed out.
     */
    tds_status (*allocate)(void *ctx, const acpi_loader_alloc *req, tds_mut_bytes *mem,
                           uint64_t *addr);
    /*
     * WRITE_POINTER: write the low `size` bytes of `value`, little-endian, at `offset` in the
     * (writable) fw_cfg file `file`. May refuse by returning an error. NULL: every script with a
     * WRITE_POINTER is refused before anything is allocated (ACPI_R_WRITE_POINTER_REFUSED).
     */
    tds_status (*write_pointer)(void *ctx, const char *file, uint32_t offset, uint8_t size,
                                uint64_t value);
} acpi_loader_ops;

/*
 * One ALLOCATEd file. The caller's array is the library's working memory: pass 1 fills name,
 * size, align, zone, max_last and command; the allocate op's answer fills addr and mem. After a
 * failure the first acpi_error.allocated entries hold what the op handed out (to release).
 */
typedef struct acpi_loader_blob {
    char name[ACPI_LOADER_NAME_SIZE]; /* NUL-terminated */
    uint64_t max_last;
    uint64_t addr;     /* from the allocate op */
    tds_mut_bytes mem; /* from the allocate op; the file is mem.ptr[0 .. size) */
    uint32_t size;
    uint32_t align;
    uint32_t command; /* the ALLOCATE's entry number */
    uint8_t zone;
} acpi_loader_blob;

typedef struct acpi_loader_result {
    size_t blobs;            /* blobs[0 .. blobs), in ALLOCATE order */
    uint32_t commands;       /* entries in the script */
    uint32_t pointers;       /* ADD_POINTERs done */
    uint32_t checksums;      /* ADD_CHECKSUMs done */
    uint32_t write_pointers; /* WRITE_POINTERs done */
    uint32_t padding;        /* all-zero entries (QEMU pads the script to 4 KiB) */
    uint32_t skipped;        /* unknown commands skipped (ACPI_LOADER_SKIP_UNKNOWN) */
} acpi_loader_result;

/*
 * Pass 1 alone: check the script's structure (every rule in docs/libacpi.md "Pass 1") with the
 * file_size op, and fill blobs[0 .. res->blobs) with name, size, align, zone and max_last.
 * Nothing is allocated (the allocate and write_pointer ops are not called).
 */
TDS_MUST_USE tds_status acpi_loader_check(tds_bytes script, const acpi_loader_ops *ops,
                                          uint32_t flags, acpi_loader_blob *blobs, size_t max_blobs,
                                          acpi_loader_result *res, acpi_error *err);

/*
 * Run the script: pass 1 (acpi_loader_check); the allocate op for every ALLOCATE in order; pass
 * 2 (the allocations and every value the commands will read and write); pass 3 (ADD_POINTER and
 * ADD_CHECKSUM in script order, into the blobs' memory); pass 4 (WRITE_POINTERs in script order
 * through the op). A failure before pass 3 changed no byte of any blob. Pass 3 cannot fail
 * unless the caller broke the private-copy rule (ACPI_R_INPUT_CHANGED). If the write_pointer
 * op fails in pass 4, the blobs are fully patched, err->index names the WRITE_POINTER, and the
 * earlier ones were written (the caller may revoke them, as OVMF does, by writing zeros).
 */
TDS_MUST_USE tds_status acpi_loader_run(tds_bytes script, const acpi_loader_ops *ops,
                                        uint32_t flags, acpi_loader_blob *blobs, size_t max_blobs,
                                        acpi_loader_result *res, acpi_error *err);

/* The blob named `name` among blobs[0 .. n); TDS_ERR_NOT_FOUND. */
TDS_MUST_USE tds_status acpi_loader_find(const acpi_loader_blob *blobs, size_t n, const char *name,
                                         const acpi_loader_blob **out);

/* ---- The memory the tables live in -------------------------------------------------------- */

/* Guest-physical [addr, addr + mem.len) is held by mem. */
typedef struct acpi_region {
    uint64_t addr;
    tds_mut_bytes mem;
} acpi_region;

/* Every address read from a table must fall, with its whole structure, inside one region. */
typedef struct acpi_space {
    const acpi_region *regions;
    size_t count;
} acpi_space;

/* The region of a loaded blob: {addr, mem[0 .. size)}. */
static inline acpi_region acpi_loader_blob_region(const acpi_loader_blob *b)
{
    acpi_region r = {b->addr, {b->mem.ptr, b->size}};
    return r;
}

/* Map guest [addr, addr + len) (len > 0) to caller memory inside one region. UNMAPPED /
 * PAST_END as reasons: TDS_ERR_OUT_OF_BOUNDS. */
TDS_MUST_USE tds_status acpi_space_map(const acpi_space *s, uint64_t addr, uint64_t len,
                                       tds_mut_bytes *out);

/* ---- Tables (ACPI 6.5 5.2) ------------------------------------------------------------------ */

#define ACPI_SDT_HEADER_SIZE 36u
#define ACPI_RSDP_V1_SIZE 20u
#define ACPI_RSDP_V2_SIZE 36u
#define ACPI_FACS_MIN_SIZE 64u
#define ACPI_FADT_MIN_SIZE 116u /* the ACPI 1.0 FADT: everything up to and including Flags */
#define ACPI_MCFG_HEADER_SIZE 44u
#define ACPI_MCFG_ENTRY_SIZE 16u
/* The most entries a root table may list (OVMF installs at most 128 of QEMU's tables). */
#define ACPI_MAX_TABLES 256u

/* Header offsets. */
#define ACPI_SDT_OFF_LENGTH 4u
#define ACPI_SDT_OFF_REVISION 8u
#define ACPI_SDT_OFF_CHECKSUM 9u
#define ACPI_SDT_OFF_OEM_ID 10u
#define ACPI_RSDP_OFF_CHECKSUM 8u
#define ACPI_RSDP_OFF_OEM_ID 9u
#define ACPI_RSDP_OFF_REVISION 15u
#define ACPI_RSDP_OFF_RSDT 16u
#define ACPI_RSDP_OFF_LENGTH 20u
#define ACPI_RSDP_OFF_XSDT 24u
#define ACPI_RSDP_OFF_EXT_CHECKSUM 32u

/* Generic Address Structure (ACPI 6.5 5.2.3.2). */
#define ACPI_GAS_MEMORY 0u
#define ACPI_GAS_IO 1u
typedef struct acpi_gas {
    uint8_t space_id;
    uint8_t bit_width;
    uint8_t bit_offset;
    uint8_t access_size;
    uint64_t address;
} acpi_gas;

/* One table, checked (header inside the space, Length >= 36, whole table inside one region,
 * checksum zero). */
typedef struct acpi_table_ref {
    uint64_t addr;
    uint32_t length;
    uint8_t signature[4];
    uint8_t revision;
    tds_mut_bytes bytes; /* the table: [0, length) */
} acpi_table_ref;

/* What acpi_tables_open found; valid while the space's memory is unchanged. */
typedef struct acpi_tables {
    acpi_space space;
    uint64_t rsdp_addr;
    uint8_t rsdp_revision; /* 0, or >= 2 */
    uint32_t rsdp_length;  /* 20 for revision 0, the Length field otherwise */
    uint64_t rsdt_addr;    /* 0: none */
    uint64_t xsdt_addr;    /* 0: none (always 0 for revision 0) */
    uint32_t count;        /* tables listed (the same list in both when both exist) */
    uint64_t fadt_addr;    /* 0: no FADT ("FACP") listed */
    uint64_t dsdt_addr;    /* from the FADT (X_DSDT if non-zero, else DSDT) */
    uint64_t facs_addr;    /* from the FADT (X_FIRMWARE_CTRL if non-zero, else FIRMWARE_CTRL);
                              0 if none */
} acpi_tables;

/*
 * Find an RSDP: every 16-byte aligned guest address of every region, first match (signature,
 * 20-byte checksum, revision, and for revision 2+ Length and extended checksum). NOT_FOUND.
 */
TDS_MUST_USE tds_status acpi_rsdp_scan(const acpi_space *s, uint64_t *rsdp_addr);

/*
 * Check the RSDP at rsdp_addr, its RSDT and/or XSDT, every table they list, the FADT's DSDT and
 * FACS, that no two of these overlap, and that no table is listed twice (docs/libacpi.md
 * "Tables"). The space (the array and the memory) must outlive *out.
 */
TDS_MUST_USE tds_status acpi_tables_open(const acpi_space *s, uint64_t rsdp_addr, acpi_tables *out,
                                         acpi_error *err);

/* Entry `index` (< t->count) of the root table, re-checked. */
TDS_MUST_USE tds_status acpi_tables_entry(const acpi_tables *t, uint32_t index,
                                          acpi_table_ref *out);

/* First listed table with signature sig (4 characters); NOT_FOUND. *index may be NULL. */
TDS_MUST_USE tds_status acpi_tables_find(const acpi_tables *t, const char *sig, acpi_table_ref *out,
                                         uint32_t *index);

/* The 8-bit sum of the bytes (0 for a good ACPI table). */
uint8_t acpi_sum8(tds_bytes b);

/* ---- FADT and MCFG ------------------------------------------------------------------------- */

#define ACPI_FADT_RESET_REG_SUP (1u << 10)
#define ACPI_FADT_HW_REDUCED (1u << 20)

/*
 * The FADT's power-management view. Each register block is the X_ GAS when the table is long
 * enough to hold it and its address is non-zero, else the legacy 32-bit block as a System I/O
 * GAS of width 8 * its _LEN byte. On q35 QEMU writes PM1a_EVT = PMBASE, PM1a_CNT = PMBASE + 4,
 * PM_TMR = PMBASE + 8 (hw/i386/acpi-build.c); pm_base reports PM1a_EVT.
 */
typedef struct acpi_fadt_info {
    uint64_t addr;
    uint32_t length;
    uint8_t revision;
    uint32_t flags;
    uint16_t sci_int;
    uint32_t smi_cmd;
    uint8_t acpi_enable;
    uint8_t acpi_disable;
    acpi_gas pm1a_evt;
    acpi_gas pm1a_cnt;
    acpi_gas pm_tmr;
    uint64_t pm_base;    /* == pm1a_evt.address */
    acpi_gas reset_reg;  /* zero unless the table holds it (length >= 129) */
    uint8_t reset_value; /* valid when flags has ACPI_FADT_RESET_REG_SUP */
    uint64_t dsdt;
    uint64_t facs;
} acpi_fadt_info;

/* Read the FADT (NOT_FOUND if none is listed). A block given in both forms must agree
 * (ACPI_R_FADT_PM). */
TDS_MUST_USE tds_status acpi_fadt_read(const acpi_tables *t, acpi_fadt_info *out, acpi_error *err);

/*
 * QEMU's ICH9 / PIIX4 layout: PM1a_EVT at pm_base (4 bytes), PM1a_CNT at pm_base + 4 (2 bytes),
 * PM_TMR at pm_base + 8 (4 bytes), all System I/O. TDS_ERR_MISMATCH otherwise. The firmware
 * calls it with the PMBASE it programmed (ICH9 LPC D31:F0 0x40) to know the tables match.
 */
TDS_MUST_USE tds_status acpi_fadt_check_pm_base(const acpi_fadt_info *f, uint16_t pm_base);

/* One MCFG allocation (PCI Firmware Specification 3.x, table 4-3). */
typedef struct acpi_mcfg_entry {
    uint64_t base; /* ECAM base: the address of bus 0 of the segment */
    uint16_t segment;
    uint8_t start_bus;
    uint8_t end_bus;
} acpi_mcfg_entry;

/* Allocation `index` of the MCFG, and how many there are. NOT_FOUND if there is no MCFG or no
 * such entry. */
TDS_MUST_USE tds_status acpi_mcfg_read(const acpi_tables *t, uint32_t index, acpi_mcfg_entry *out,
                                       uint32_t *count, acpi_error *err);

/* ---- Editing ------------------------------------------------------------------------------ */

typedef struct acpi_edit {
    /* 0: keep the listed MADT. Else this table ("APIC") replaces the listed one (it is appended
     * when none is listed; more than one listed is refused). */
    uint64_t madt;
    /* Tables appended after the existing entries, in this order (e.g. CCEL). */
    const uint64_t *add;
    size_t n_add;
    /* Where the new RSDT / XSDT go: guest addresses inside the space, with their room. Needed
     * for each root table the RSDP names, when anything changes. */
    uint64_t rsdt_room;
    uint32_t rsdt_room_len;
    uint64_t xsdt_room;
    uint32_t xsdt_room_len;
} acpi_edit;

/*
 * Apply an edit: check every new table (as acpi_tables_open checks a listed one; the MADT's
 * signature must be "APIC"; an appended signature must not be listed already, except "SSDT";
 * no RSDT/XSDT/FACS/DSDT), the rooms (inside the space, large enough, overlapping nothing), and
 * that every RSDT entry and the RSDT's own address fit in 32 bits. Then write the new RSDT /
 * XSDT (the old header's identity, new Length and checksum), point the RSDP at them and redo
 * its checksum (and extended checksum). Nothing is written unless every check passed. On
 * success *t describes the edited tables. Nothing to change (madt 0, n_add 0): TDS_OK, no write.
 */
TDS_MUST_USE tds_status acpi_tables_edit(acpi_tables *t, const acpi_edit *e, acpi_error *err);

/* OEM identity written into a table header. */
typedef struct acpi_ids {
    uint8_t oem_id[6];
    uint8_t oem_table_id[8];
    uint32_t oem_revision;
    uint8_t creator_id[4];
    uint32_t creator_revision;
} acpi_ids;

/*
 * Build a fresh root: a revision-2 RSDP (36 bytes, RsdtAddress 0) at rsdp_addr and an XSDT
 * listing tables[0 .. n) at xsdt_addr (36 + 8n bytes), both inside the space. The tables are
 * checked as acpi_tables_open checks listed ones (and n <= ACPI_MAX_TABLES); neither new
 * structure may overlap a listed table (or its DSDT / FACS) or the other. Nothing is written
 * unless all checks pass; the result opens with acpi_tables_open(s, rsdp_addr).
 */
TDS_MUST_USE tds_status acpi_build_root(const acpi_space *s, const uint64_t *tables, size_t n,
                                        const acpi_ids *ids, uint64_t rsdp_addr, uint64_t xsdt_addr,
                                        acpi_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_ACPI_H */
