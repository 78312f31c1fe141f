/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * QEMU fw_cfg (QEMU docs/specs/fw_cfg.rst): selector port 0x510, data port 0x511, DMA address
 * ports 0x514 (bits 63:32) and 0x518 (bits 31:0, the write that starts a transfer), each 32-bit
 * half big-endian. fw_cfg is VMM input: the directory and every size are untrusted, reads go into
 * caller buffers with a capacity, and a file that does not fit is an error, never a silent cut.
 *
 * Three ways to move bytes, chosen by the caller's context:
 *  - port I/O with IN/OUT (a plain VM; also the test image's emulated VMM side);
 *  - port I/O through TDG.VP.VMCALL<Instruction.IO> (a TD: IN/OUT would raise #VE), one call per
 *    byte, when the VMM offers no DMA;
 *  - DMA (FW_CFG_ID bit 1): a 16-byte big-endian descriptor {control, length, address}. In a TD
 *    the descriptor and the data travel through a bounce buffer in shared memory, and the address
 *    the VMM is given is the GPA *without* the shared bit (the VMM sees guest RAM without it); the
 *    data is then copied into the caller's private buffer. On a plain VM the data lands in place.
 */
#ifndef TDSHIM_SHIM_FWCFG_H
#define TDSHIM_SHIM_FWCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pio.h"
#include "tdshim/status.h"

/* The most directory entries looked at; a directory claiming more is refused (TDS_ERR_VMM). */
#define SHIM_FWCFG_MAX_FILES 1024u
#define SHIM_FWCFG_NAME 56u

/* Well-known selectors (QEMU include/standard-headers/linux/qemu_fw_cfg.h). */
#define SHIM_FWCFG_SIGNATURE 0x00u
#define SHIM_FWCFG_ID 0x01u
#define SHIM_FWCFG_RAM_SIZE 0x03u
#define SHIM_FWCFG_NB_CPUS 0x05u
#define SHIM_FWCFG_KERNEL_SIZE 0x08u
#define SHIM_FWCFG_INITRD_SIZE 0x0Bu
#define SHIM_FWCFG_KERNEL_DATA 0x11u
#define SHIM_FWCFG_INITRD_DATA 0x12u
#define SHIM_FWCFG_CMDLINE_SIZE 0x14u
#define SHIM_FWCFG_CMDLINE_DATA 0x15u
#define SHIM_FWCFG_SETUP_SIZE 0x17u
#define SHIM_FWCFG_SETUP_DATA 0x18u
#define SHIM_FWCFG_FILE_DIR 0x19u

/* One fw_cfg device as the caller reaches it (caller-owned; no globals). */
typedef struct shim_fwcfg {
    shim_pio io;
    bool present;       /* "QEMU" signature seen */
    bool dma_ok;        /* the device offers DMA (FW_CFG_ID bit 1) */
    uint8_t *dma;       /* descriptor (16 bytes) then the bounce area; NULL: no DMA */
    uint64_t dma_gpa;   /* the descriptor's GPA as the VMM is given it (no shared bit) */
    size_t bounce_len;  /* bytes after the descriptor; 0: DMA straight into the caller's buffer */
    uint64_t dma_calls; /* transfers made */
    uint64_t pio_bytes; /* bytes read one by one */
} shim_fwcfg;

/*
 * Set up `f` for the device reached through `io`: reads the signature and FW_CFG_ID.
 * TDS_ERR_NOT_FOUND: no fw_cfg ("QEMU" missing). No DMA is used until shim_fwcfg_use_dma.
 */
TDS_MUST_USE tds_status shim_fwcfg_open(shim_fwcfg *f, shim_pio io);

/*
 * Use DMA when the device offers it. `buf` (identity-mapped, at least 16 + bounce_len bytes, 16
 * byte aligned) holds the descriptor and, when bounce_len != 0, the bounce area; `gpa` is the
 * address the VMM is given for buf (in a TD: shared memory, the GPA without the shared bit).
 * bounce_len 0: the data is DMAed straight into the caller's buffer, whose address must then be
 * what the VMM sees too (a plain VM, identity-mapped). TDS_ERR_UNSUPPORTED if the device has no
 * DMA (the port path stays in use).
 */
TDS_MUST_USE tds_status shim_fwcfg_use_dma(shim_fwcfg *f, uint8_t *buf, uint64_t gpa,
                                           size_t bounce_len);

/* The selector and size of file `name`. TDS_ERR_NOT_FOUND, TDS_ERR_VMM (a directory larger than
 * SHIM_FWCFG_MAX_FILES), TDS_ERR_INVALID_ARG (a name of 56 characters or more). */
TDS_MUST_USE tds_status shim_fwcfg_find(shim_fwcfg *f, const char *name, uint16_t *sel,
                                        uint32_t *size);

/* Select `sel` and read its first n bytes into dst (private memory). A DMA error reported by the
 * device is TDS_ERR_DEVICE. */
TDS_MUST_USE tds_status shim_fwcfg_read(shim_fwcfg *f, uint16_t sel, void *dst, size_t n);

/* Part of a longer read: `first` selects `sel` and starts at its offset 0; later parts (first =
 * false) continue where the previous one stopped. Lets a caller hash each part as it arrives. */
TDS_MUST_USE tds_status shim_fwcfg_read_part(shim_fwcfg *f, uint16_t sel, bool first, void *dst,
                                             size_t n);

/* The whole file `name` into buf[0..cap), its size into *size. TDS_ERR_NO_SPACE: larger than cap
 * (nothing read; *size says how large). */
TDS_MUST_USE tds_status shim_fwcfg_read_file(shim_fwcfg *f, const char *name, uint8_t *buf,
                                             size_t cap, size_t *size);

/* A u32 / u16 little-endian item (sizes, the vCPU count). */
TDS_MUST_USE tds_status shim_fwcfg_read_u32(shim_fwcfg *f, uint16_t sel, uint32_t *v);

#endif
