/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Linux x86-64 boot protocol (liblinux, prefix lnx_): validate a bzImage's setup header, plan
 * where the kernel, initrd, boot_params, command line and the SETUP_E820_EXT node go, build the
 * 4 KiB boot_params ("zero page"), and report the 64-bit entry. Contract: docs/liblinux.md.
 *
 * Sources: Linux Documentation/arch/x86/boot.rst (setup header, 64-bit boot protocol, init_size),
 * Documentation/arch/x86/zero-page.rst, arch/x86/include/uapi/asm/bootparam.h and setup_data.h
 * (layouts), QEMU hw/i386/x86-common.c x86_load_linux (how fw_cfg splits the file).
 *
 * Ownership and trust:
 *  - The setup bytes (fw_cfg SETUP_DATA = file bytes [0, (setup_sects + 1) * 512)) and the kernel
 *    size (fw_cfg KERNEL_DATA = the rest of the file) come from the VMM: untrusted. They MUST be in
 *    private memory; lnx_parse_header reads them once and keeps a copy of the header bytes in
 *    lnx_header, so nothing later reads the setup bytes again.
 *  - The command line bytes (fw_cfg CMDLINE_DATA) are untrusted; lnx_check_cmdline validates them
 *    in place (private memory, read once).
 *  - The memory map, the plan request and the output buffers are the caller's (trusted, but still
 *    checked: a plan handed to the builder is re-checked against the header and the map).
 *  - No allocation, no globals except const tables. Out-parameters are written only on success;
 *    `err` (MUST NOT be NULL) always says why (LNX_R_NONE on success). A failed build leaves both
 *    output buffers untouched.
 */
#ifndef TDSHIM_LINUX_BOOT_H
#define TDSHIM_LINUX_BOOT_H

/*
 * Thread safety: no state; each call reads its inputs and writes only the caller's outputs
 * (boot_params, command line, the plan). Concurrent calls need distinct outputs.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- numbers of the protocol (boot.rst, bootparam.h) ------------------------------------- */

#define LNX_SECTOR_SIZE 512u
#define LNX_PAGE_SIZE 4096u
#define LNX_BOOT_PARAMS_SIZE 4096u /* struct boot_params */
/* Oldest protocol accepted: 2.12 added xloadflags (XLF_KERNEL_64 is the only way to know that
 * the 64-bit entry exists) and ext_ramdisk_* / ext_cmd_line_ptr; init_size and pref_address (2.10),
 * cmdline_size (2.06) and relocatable_kernel / kernel_alignment (2.05) come with it. */
#define LNX_MIN_VERSION 0x020Cu
#define LNX_ENTRY64_OFFSET                                                                         \
    0x200u /* startup_64: load address of the protected-mode kernel + 0x200 */
#define LNX_LOW_MEMORY_END 0x100000u /* nothing is planned below 1 MiB */
#define LNX_4G 0x100000000ull

/* The setup header: file offset = boot_params offset. It ends at 0x202 + byte[0x201]. */
#define LNX_HDR_OFFSET 0x1F1u
#define LNX_HDR_MIN_END 0x264u /* through init_size (0x260/4): every field this library reads */
#define LNX_HDR_MAX_END 0x290u /* boot_params.edd_mbr_sig_buffer starts here (bootparam.h) */
#define LNX_HDR_MAX_LEN (LNX_HDR_MAX_END - LNX_HDR_OFFSET)

/* Setup-header field offsets (file and boot_params). */
#define LNX_OFF_SETUP_SECTS 0x1F1u
#define LNX_OFF_SYSSIZE 0x1F4u
#define LNX_OFF_VID_MODE 0x1FAu
#define LNX_OFF_BOOT_FLAG 0x1FEu
#define LNX_OFF_JUMP 0x200u
#define LNX_OFF_HEADER 0x202u
#define LNX_OFF_VERSION 0x206u
#define LNX_OFF_TYPE_OF_LOADER 0x210u
#define LNX_OFF_LOADFLAGS 0x211u
#define LNX_OFF_CODE32_START 0x214u
#define LNX_OFF_RAMDISK_IMAGE 0x218u
#define LNX_OFF_RAMDISK_SIZE 0x21Cu
#define LNX_OFF_HEAP_END_PTR 0x224u
#define LNX_OFF_EXT_LOADER_VER 0x226u
#define LNX_OFF_EXT_LOADER_TYPE 0x227u
#define LNX_OFF_CMD_LINE_PTR 0x228u
#define LNX_OFF_INITRD_ADDR_MAX 0x22Cu
#define LNX_OFF_KERNEL_ALIGNMENT 0x230u
#define LNX_OFF_RELOCATABLE 0x234u
#define LNX_OFF_MIN_ALIGNMENT 0x235u
#define LNX_OFF_XLOADFLAGS 0x236u
#define LNX_OFF_CMDLINE_SIZE 0x238u
#define LNX_OFF_HARDWARE_SUBARCH 0x23Cu
#define LNX_OFF_HARDWARE_SUBARCH_DATA 0x240u
#define LNX_OFF_SETUP_DATA 0x250u
#define LNX_OFF_PREF_ADDRESS 0x258u
#define LNX_OFF_INIT_SIZE 0x260u

/* boot_params fields outside the setup header. */
#define LNX_BP_ACPI_RSDP_ADDR 0x070u
#define LNX_BP_EXT_RAMDISK_IMAGE 0x0C0u
#define LNX_BP_EXT_RAMDISK_SIZE 0x0C4u
#define LNX_BP_EXT_CMD_LINE_PTR 0x0C8u
#define LNX_BP_E820_ENTRIES 0x1E8u
#define LNX_BP_SENTINEL 0x1EFu
#define LNX_BP_E820_TABLE 0x2D0u

#define LNX_BOOT_FLAG 0xAA55u
#define LNX_HDRS_MAGIC 0x53726448u /* "HdrS" */
#define LNX_JUMP_OPCODE 0xEBu      /* jmp rel8: the header ends at 0x202 + rel8 */
#define LNX_LOADER_UNDEFINED 0xFFu /* type_of_loader for a loader without an assigned id */
#define LNX_VID_MODE_NORMAL 0xFFFFu

/* loadflags (0x211) and xloadflags (0x236). */
#define LNX_LF_LOADED_HIGH 0x01u
#define LNX_LF_CAN_USE_HEAP 0x80u
#define LNX_XLF_KERNEL_64 0x0001u
#define LNX_XLF_CAN_BE_LOADED_ABOVE_4G 0x0002u
#define LNX_XLF_5LEVEL 0x0020u

/* kernel_alignment accepted: a power of two in [4 KiB, 1 GiB] (x86-64 Kconfig PHYSICAL_ALIGN is
 * 2 MiB .. 16 MiB). */
#define LNX_KERNEL_ALIGN_MIN 0x1000u
#define LNX_KERNEL_ALIGN_MAX 0x40000000u

/* E820 (boot_params.e820_table, struct boot_e820_entry: packed {u64 addr, u64 size, u32 type}). */
#define LNX_E820_RAM 1u
#define LNX_E820_RESERVED 2u
#define LNX_E820_ACPI 3u
#define LNX_E820_NVS 4u
#define LNX_E820_ENTRY_SIZE 20u
#define LNX_E820_MAX_BOOT_PARAMS 128u /* E820_MAX_ENTRIES_ZEROPAGE */
/* The largest table any x86-64 Linux keeps: E820_MAX_ENTRIES = 128 + 3 * MAX_NUMNODES, with
 * MAX_NUMNODES at its Kconfig maximum of 1024 (NODES_SHIFT 10). Longer maps are refused. */
#define LNX_E820_MAX_ENTRIES 3200u

/* setup_data (setup_data.h): {u64 next; u32 type; u32 len; u8 data[len]}. */
#define LNX_SETUP_DATA_HDR_SIZE 16u
#define LNX_SETUP_E820_EXT 1u

/* The protocol's GDT for the 64-bit entry (boot.rst "64-bit Boot Protocol"). */
#define LNX_BOOT_CS 0x10u
#define LNX_BOOT_DS 0x18u
/* Flat descriptors that satisfy it: 64-bit code, execute/read (L=1, G=1, P=1, DPL 0) and
 * read/write data (D/B=1, G=1, P=1, DPL 0), base 0, limit 4 GiB. */
#define LNX_GDT_CODE64 0x00AF9A000000FFFFull
#define LNX_GDT_DATA 0x00CF92000000FFFFull

/* ---- errors ------------------------------------------------------------------------------ */

/*
 * Precise reasons. Each maps to one tds_status (lnx_reason_status). lnx_error.offset is:
 * header reasons: the file offset of the field; command-line reasons: the byte index; E820
 * reasons: the map index; placement reasons: the guest address concerned, or for NO_ROOM the
 * number of bytes that found no room; BUFFER_TOO_SMALL: the bytes needed.
 */
typedef enum lnx_reason {
    LNX_R_NONE = 0,
    LNX_R_BAD_ARG, /* NULL pointer, ill-formed slice, inconsistent lnx_header (INVALID_ARG) */
    /* bzImage setup header (file offset of the field). */
    LNX_R_SETUP_TRUNCATED,  /* setup bytes end before the header does (TRUNCATED) */
    LNX_R_BOOT_FLAG,        /* 0x1FE != 0xAA55 (MALFORMED) */
    LNX_R_MAGIC,            /* no "HdrS" at 0x202: no boot protocol 2.00+ header (UNSUPPORTED) */
    LNX_R_VERSION,          /* protocol < 2.12 (UNSUPPORTED) */
    LNX_R_HDR_JUMP,         /* 0x200 is not a short jmp (0xEB) (MALFORMED) */
    LNX_R_HDR_LENGTH,       /* header end 0x202 + byte[0x201] outside [0x264, 0x290] (MALFORMED) */
    LNX_R_SETUP_SECTS,      /* setup bytes != (setup_sects + 1) * 512 (MALFORMED) */
    LNX_R_NOT_BZIMAGE,      /* loadflags LOADED_HIGH clear: a zImage (UNSUPPORTED) */
    LNX_R_NO_KERNEL_64,     /* xloadflags XLF_KERNEL_64 clear: no 64-bit entry (UNSUPPORTED) */
    LNX_R_KERNEL_ALIGNMENT, /* not a power of two in [4 KiB, 1 GiB] (MALFORMED) */
    LNX_R_MIN_ALIGNMENT,    /* 1 << min_alignment > kernel_alignment (MALFORMED) */
    LNX_R_PREF_ADDRESS,     /* not a multiple of kernel_alignment, or + init_size wraps */
    LNX_R_INIT_SIZE,        /* init_size == 0 (MALFORMED) */
    LNX_R_KERNEL_TOO_SMALL, /* kernel bytes end at or before the 64-bit entry (TRUNCATED) */
    LNX_R_KERNEL_TRUNCATED, /* kernel bytes < syssize * 16 (TRUNCATED) */
    LNX_R_KERNEL_TOO_BIG,   /* kernel bytes > init_size (MALFORMED) */
    /* Command line (byte index). */
    LNX_R_CMDLINE_NO_NUL,       /* empty, or the last byte is not NUL (MALFORMED) */
    LNX_R_CMDLINE_EMBEDDED_NUL, /* a NUL before the last byte (MALFORMED) */
    LNX_R_CMDLINE_TOO_LONG,     /* length without the NUL > cmdline_size (UNSUPPORTED) */
    /* Memory map (entry index). */
    LNX_R_E820_ENTRY,    /* size 0, or addr + size wraps past 2^64 (MALFORMED) */
    LNX_R_E820_TYPE,     /* type not 1 (RAM), 2, 3 or 4 (UNSUPPORTED) */
    LNX_R_E820_ORDER,    /* not ascending, or overlaps the previous entry (MALFORMED) */
    LNX_R_E820_TOO_MANY, /* more than LNX_E820_MAX_ENTRIES (UNSUPPORTED) */
    /* Placement (guest address, or bytes for NO_ROOM). */
    LNX_R_RANGE_WRAPS,         /* a range wraps past 2^64 (OVERFLOW) */
    LNX_R_MISALIGNED,          /* boot_params not 4 KiB aligned, setup_data not 8 (ALIGNMENT) */
    LNX_R_OUT_OF_REACH,        /* past mapped_last, or above 4 GiB without the XLF flag */
    LNX_R_OVERLAP,             /* two placed ranges overlap (INVALID_ARG) */
    LNX_R_NO_ROOM_KERNEL,      /* no usable RAM for [runtime_start, + init_size) (NO_SPACE) */
    LNX_R_NO_ROOM_INITRD,      /* no usable RAM for the initrd (NO_SPACE) */
    LNX_R_INITRD_ABOVE_LIMIT,  /* fits only above initrd_addr_max; no XLF_CAN_BE_LOADED_ABOVE_4G */
    LNX_R_NO_ROOM_BOOT_PARAMS, /* no usable RAM for boot_params (NO_SPACE) */
    LNX_R_NO_ROOM_CMDLINE,     /* no usable RAM for the command line (NO_SPACE) */
    LNX_R_NO_ROOM_SETUP_DATA,  /* no usable RAM for the SETUP_E820_EXT node (NO_SPACE) */
    LNX_R_PLAN,                /* plan inconsistent with the header or the map (INVALID_ARG) */
    /* Builder. */
    LNX_R_BUFFER_TOO_SMALL,
    /* A kernel in a VMM-placed region, a command line from a PayloadParam section (lnx_region_*).
     */
    LNX_R_PAST_REGION, /* setup + syssize * 16 bytes run past the region (OUT_OF_BOUNDS) */
    LNX_R_PARAM_NO_NUL,
    /* no NUL inside the section / before the copy limit (MALFORMED) */ /* boot_params < 4096 bytes
                                                                           or setup_data buffer
                                                                           short (NO_SPACE) */
    LNX_R_COUNT_
} lnx_reason;

typedef struct lnx_error {
    lnx_reason reason;
    uint64_t offset; /* see lnx_reason */
} lnx_error;

/* The tds_status that goes with a reason (TDS_OK for LNX_R_NONE). */
tds_status lnx_reason_status(lnx_reason r);
/* Stable short name ("version", "no-kernel-64", ...). Never NULL. */
const char *lnx_reason_str(lnx_reason r);
/* One-line explanation for a fatal message. Never NULL. */
const char *lnx_reason_text(lnx_reason r);

/* ---- 1. the setup header ------------------------------------------------------------------- */

/*
 * The validated header: the values the planner and builder use, and a copy of the header bytes
 * [0x1F1, hdr_end) (raw[i] = file byte 0x1F1 + i; the rest of raw is zero).
 */
typedef struct lnx_header {
    uint16_t version;          /* 0x206 */
    uint8_t loadflags;         /* 0x211 as in the file */
    uint8_t min_alignment;     /* 0x235 (log2; 0 = none) */
    uint16_t xloadflags;       /* 0x236 */
    bool relocatable;          /* 0x234 != 0 */
    uint32_t setup_sects;      /* effective: byte 0x1F1, 0 meaning 4 */
    uint32_t setup_size;       /* (setup_sects + 1) * 512 = bytes of SETUP_DATA */
    uint32_t hdr_end;          /* 0x202 + byte[0x201], in [LNX_HDR_MIN_END, LNX_HDR_MAX_END] */
    uint32_t syssize;          /* 0x1F4, 16-byte paragraphs */
    uint32_t initrd_addr_max;  /* 0x22C: highest byte the initrd may occupy */
    uint32_t kernel_alignment; /* 0x230 */
    uint32_t cmdline_size;     /* 0x238: longest command line, NUL excluded */
    uint32_t init_size;        /* 0x260 */
    uint64_t pref_address;     /* 0x258 */
    uint64_t kernel_size;      /* bytes of KERNEL_DATA (the protected-mode kernel) */
    uint8_t raw[LNX_HDR_MAX_LEN];
} lnx_header;

/*
 * Validate the setup header. `setup` = fw_cfg SETUP_DATA (exactly (setup_sects + 1) * 512 bytes),
 * `kernel_size` = bytes of KERNEL_DATA. Checks, in order: enough bytes for the header, boot_flag,
 * "HdrS", version >= 2.12, the jump at 0x200 and the header length, setup_sects against
 * setup.len, LOADED_HIGH, XLF_KERNEL_64, kernel_alignment, min_alignment, pref_address, init_size,
 * the kernel size against the 64-bit entry, syssize and init_size.
 */
TDS_MUST_USE tds_status lnx_parse_header(tds_bytes setup, uint64_t kernel_size, lnx_header *out,
                                         lnx_error *err);

/*
 * Split a whole bzImage file the way QEMU's fw_cfg does: setup = [0, (setup_sects + 1) * 512),
 * kernel = the rest. Reads only byte 0x1F1; fails (SETUP_TRUNCATED) when the file is not longer
 * than the setup part. For tools and tests; validation is lnx_parse_header's.
 */
TDS_MUST_USE tds_status lnx_split_bzimage(tds_bytes file, tds_bytes *setup, tds_bytes *kernel,
                                          lnx_error *err);

/*
 * The measured form of the setup bytes (in place): the header fields a boot loader writes are
 * zeroed, so the digest of a kernel does not depend on the VMM's loader. QEMU fills some of them
 * in fw_cfg SETUP_DATA (hw/i386/x86-common.c x86_load_linux: type_of_loader, loadflags'
 * CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr, ramdisk_image/size, setup_data, vid_mode for
 * "vga="), and lnx_build_boot_params writes its own values into all of them: vid_mode (0x1FA, 2
 * bytes), type_of_loader and loadflags (0x210, 2), code32_start (0x214, 4), ramdisk_image and
 * ramdisk_size (0x218, 8), heap_end_ptr, ext_loader_ver and ext_loader_type (0x224, 4),
 * cmd_line_ptr (0x228, 4), setup_data (0x250, 8). Every other byte is the file's, so the
 * measurement covers everything the kernel takes from its header. The shim hashes this form of
 * SETUP_DATA followed by KERNEL_DATA; a verifier applies it to the setup part of the bzImage file
 * (lnx_split_bzimage). Needs setup.len >= 0x258 (LNX_R_SETUP_TRUNCATED); nothing is written on
 * failure.
 */
TDS_MUST_USE tds_status lnx_measured_form(tds_mut_bytes setup, lnx_error *err);

/* ---- 4. the command line ------------------------------------------------------------------ */

/*
 * Validate fw_cfg CMDLINE_DATA (CMDLINE_SIZE bytes, QEMU's string with its NUL): exactly one NUL,
 * the last byte, and at most h->cmdline_size bytes before it.
 */
TDS_MUST_USE tds_status lnx_check_cmdline(const lnx_header *h, tds_bytes cmdline, lnx_error *err);

/* ---- 6. a kernel placed by the VMM in a payload region (docs/linux-boot.md) ---------------- */

/* Bytes of a region's start that lnx_region_kernel reads (through the setup header's syssize and
 * the "HdrS" magic): a caller copies this much of the region into private memory first. */
#define LNX_REGION_HEAD 0x206u

/*
 * Is `head` (a private copy of a payload region's first bytes) a bzImage, and how long is it?
 * A bzImage has the boot-sector signature 0xAA55 at 0x1FE and "HdrS" at 0x202; otherwise
 * LNX_R_BOOT_FLAG or LNX_R_MAGIC (offset 0x1FE / 0x202): not a kernel, the caller tries the region
 * as an executable payload. A bzImage's bytes are its setup, ((setup_sects or 4 when 0) + 1) *
 * 512, then syssize * 16 bytes of protected-mode kernel (arch/x86/boot/tools/build.c), then, for a
 * signed kernel, the Authenticode signature sbsign appends: when the EFI stub's PE32+ header is
 * inside `head` and its Certificate Table (data directory 4) starts exactly at setup + syssize *
 * 16, the file ends at the table's end. That is the file's size, so the split is the one QEMU's
 * fw_cfg makes of the same file (SETUP_SIZE, KERNEL_SIZE = the rest) and the measurement is the
 * same. *setup_size and *kernel_size get the two parts (syssize 0: LNX_R_KERNEL_TOO_SMALL); their
 * sum must be at most region_size, else
 * LNX_R_PAST_REGION (offset = the sum, saturated). head.len < LNX_REGION_HEAD:
 * LNX_R_SETUP_TRUNCATED. Everything else about the header is lnx_parse_header's, on the whole
 * setup once the caller has copied it.
 */
TDS_MUST_USE tds_status lnx_region_kernel(tds_bytes head, uint64_t region_size,
                                          uint32_t *setup_size, uint64_t *kernel_size,
                                          lnx_error *err);

/*
 * The command line from a PayloadParam section (untrusted, VMM-written memory): copy src into
 * dst byte by byte, each byte read once, up to and including the first NUL; *len = the bytes
 * copied (the NUL included). No NUL among the first min(src.len, dst.len) bytes:
 * LNX_R_PARAM_NO_NUL (offset = the bytes scanned), and dst holds a partial copy the caller must
 * discard. The length check against the kernel's cmdline_size is lnx_check_cmdline's, on dst.
 */
TDS_MUST_USE tds_status lnx_region_cmdline(tds_bytes src, tds_mut_bytes dst, size_t *len,
                                           lnx_error *err);

/* ---- 2. placement ------------------------------------------------------------------------- */

typedef struct lnx_e820_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type; /* LNX_E820_RAM .. LNX_E820_NVS */
} lnx_e820_entry;

/*
 * What to place. `map` is the E820 map the kernel will get (and the only description of memory
 * the planner uses): ascending, non-overlapping, at most LNX_E820_MAX_ENTRIES entries of types
 * 1..4. Type 1 is usable (accepted) RAM; everything the firmware keeps for itself MUST be a
 * non-RAM entry. A *_addr of 0 asks the planner to choose; a non-zero one is the caller's fixed
 * choice (it need not be RAM, but must not overlap anything else placed).
 */
typedef struct lnx_plan_request {
    const lnx_e820_entry *map;
    size_t map_count;
    uint64_t initrd_size;      /* 0: no initrd */
    uint64_t cmdline_size;     /* bytes including the NUL (fw_cfg CMDLINE_SIZE), >= 1 */
    uint64_t boot_params_addr; /* 0 = plan it (4 KiB); else 4 KiB aligned */
    uint64_t cmdline_addr;     /* 0 = plan it */
    uint64_t setup_data_addr;  /* 0 = plan it; else 8-byte aligned; used only if map_count > 128 */
    uint64_t mapped_last;      /* last address (inclusive) the entry-time page tables map */
} lnx_plan_request;

/*
 * Where everything goes. The kernel's KERNEL_DATA bytes are loaded at kernel_addr, which is also
 * its runtime start (boot.rst init_size): [kernel_addr, kernel_addr + init_size) is the window
 * the kernel uses before it reads the memory map. Sizes of 0 mean "absent".
 */
typedef struct lnx_plan {
    uint64_t kernel_addr; /* load address = runtime start; 64-bit entry at + 0x200 */
    uint64_t kernel_size; /* bytes of KERNEL_DATA */
    uint64_t init_size;   /* window size */
    uint64_t initrd_addr; /* page aligned */
    uint64_t initrd_size;
    uint64_t boot_params_addr; /* LNX_BOOT_PARAMS_SIZE bytes */
    uint64_t cmdline_addr;
    uint64_t cmdline_size;    /* including the NUL */
    uint64_t setup_data_addr; /* the SETUP_E820_EXT node */
    uint64_t setup_data_size; /* 16 + 20 * (e820_count - 128), or 0 */
    uint32_t e820_count;      /* entries of the map (boot_params takes up to 128) */
} lnx_plan;

/*
 * Plan placement. Kernel: the lowest address >= max(pref_address, 1 MiB), aligned to
 * kernel_alignment, whose whole window is RAM (relocatable), or exactly pref_address (not
 * relocatable). Initrd: the highest page-aligned RAM with its last byte <= initrd_addr_max; when
 * nothing fits there and the kernel has XLF_CAN_BE_LOADED_ABOVE_4G, the highest anywhere.
 * boot_params, command line, setup_data node (unless fixed): the highest page-aligned RAM below
 * 4 GiB, then (XLF_CAN_BE_LOADED_ABOVE_4G only) anywhere. Never below 1 MiB, never past
 * mapped_last, never overlapping each other, the kernel's window or a non-RAM entry.
 */
TDS_MUST_USE tds_status lnx_plan_placement(const lnx_header *h, const lnx_plan_request *req,
                                           lnx_plan *out, lnx_error *err);

/* ---- 3. boot_params --------------------------------------------------------------------- */

/*
 * Build boot_params into `boot_params` (>= 4096 bytes; it will live at p->boot_params_addr) and,
 * when the map has more than 128 entries, the SETUP_E820_EXT node into `setup_data` (>=
 * p->setup_data_size bytes; it will live at p->setup_data_addr). `map`/`map_count` MUST be the
 * map the plan was made from (re-validated; the plan is re-checked). Zeroed page; header bytes
 * [0x1F1, hdr_end) from the copy in `h`; then vid_mode 0xFFFF, type_of_loader 0xFF, loadflags =
 * LOADED_HIGH, code32_start (below 4 GiB), heap_end_ptr 0, ext_loader_* 0, cmd_line_ptr +
 * ext_cmd_line_ptr, ramdisk_* + ext_ramdisk_*, hardware_subarch(_data) 0, setup_data, acpi_rsdp,
 * e820_entries and the table. Sentinel (0x1EF) stays 0. Nothing is written on failure.
 */
TDS_MUST_USE tds_status lnx_build_boot_params(const lnx_header *h, const lnx_plan *p,
                                              const lnx_e820_entry *map, size_t map_count,
                                              uint64_t acpi_rsdp_addr, tds_mut_bytes boot_params,
                                              tds_mut_bytes setup_data, lnx_error *err);

/* ---- 5. entry ------------------------------------------------------------------------------ */

/*
 * The 64-bit entry (boot.rst "64-bit Boot Protocol"). The firmware's assembly MUST enter with:
 * 64-bit mode, paging on, 4-level paging (5-level only if xloadflags has LNX_XLF_5LEVEL), an
 * identity map covering at least the kernel window, boot_params, the command line, the initrd
 * and the setup_data node; a GDT whose selector 0x10 is flat 64-bit execute/read code and 0x18
 * flat read/write data (LNX_GDT_CODE64 / LNX_GDT_DATA), CS = 0x10, DS = ES = SS = 0x18;
 * interrupts disabled (IF = 0); RSI = boot_params; RIP = rip. The kernel sets up its own stack.
 */
typedef struct lnx_entry {
    uint64_t rip;    /* kernel_addr + 0x200 */
    uint64_t rsi;    /* boot_params_addr */
    uint16_t cs;     /* LNX_BOOT_CS */
    uint16_t ds;     /* LNX_BOOT_DS, also ES and SS */
    uint64_t gdt_cs; /* LNX_GDT_CODE64: the descriptor at selector cs */
    uint64_t gdt_ds; /* LNX_GDT_DATA: the descriptor at selector ds */
} lnx_entry;

/* Fails (INVALID_ARG) on NULL or a plan whose entry would wrap or with no boot_params. */
TDS_MUST_USE tds_status lnx_entry_for(const lnx_plan *p, lnx_entry *out);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_LINUX_BOOT_H */
