/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Build a TDVF image (docs/image-layout.md): [CFV][payload, optional][BFV = firmware blob], mapped
 * so its last byte is at 0xFFFFFFFF. The builder writes the metadata page (GUID + TDVF_DESCRIPTOR +
 * sections) into the first page of the firmware blob and the tail (OVMF GUIDed footer table,
 * td-shim metadata pointer, 'VTF\0') into its last 0x60 bytes, then re-reads the result with the
 * independent reader in libtdvf (tdvf_open: both locators, QEMU's rules, and tdvf_check_image, the
 * checker the shim applies to its own image).
 */
#ifndef TDSHIM_TOOLS_IMAGE_BUILD_H
#define TDSHIM_TOOLS_IMAGE_BUILD_H

#include "tdshim/base.h"
#include "tdshim/tdvf.h"

#define IMAGE_MAX_RAM_SECTIONS 8u
#define IMAGE_MAX_SIZE 0x1000000u /* 16 MiB, td-shim's default image */
#define IMAGE_META_SIZE 0x1000u   /* first page of the firmware blob */
#define IMAGE_TAIL_RESERVED 0x60u /* [end-0x60, end-0x10) belongs to the builder */

/* Bytes of the firmware blob the builder owns and requires to be zero on input. */
typedef struct image_ram_section {
    uint32_t type; /* TDVF_SEC_TD_HOB or TDVF_SEC_TEMP_MEM */
    uint64_t addr;
    uint64_t size;
} image_ram_section;

typedef struct image_config {
    tds_bytes firmware; /* the BFV: 4 KiB multiple, page 0 and the tail reserve zero */
    /*
     * CFV content: empty for an empty firmware volume (image_write_empty_fv); otherwise a firmware
     * volume of exactly the CFV section's size (image_cfv_size) that passes tdvf_fv_check.
     */
    tds_bytes cfv;
    uint64_t cfv_size; /* > 0, 4 KiB multiple */
    image_ram_section ram[IMAGE_MAX_RAM_SECTIONS];
    uint32_t ram_count;
    /*
     * Optional payload (docs/handoff.md 1): placed between the CFV and the BFV, zero-padded to a
     * 4 KiB multiple, described by one more section after the RAM sections: TDVF_SEC_BFV
     * (attributes MR.EXTEND: in MRTD, accepted by QEMU >= 10.1) or TDVF_SEC_PAYLOAD (attributes 0:
     * PAGE.ADD only, td-shim metadata VMMs; QEMU refuses the type, so its rules are not applied).
     */
    bool has_payload;
    tds_bytes payload;     /* non-empty when has_payload */
    uint32_t payload_type; /* TDVF_SEC_BFV or TDVF_SEC_PAYLOAD */
    /*
     * Optional VMM-placed payload (docs/handoff.md 1), exclusive with has_payload: one more
     * section, the last, of type TDVF_SEC_PAYLOAD with no data (DataOffset 0, RawDataSize 0) and
     * attributes 0, describing [region_addr, region_addr + region_size) of guest memory that the
     * VMM loads before the TD starts. No bytes go into the image; the image size does not change.
     * The region is judged by tdvf_find_payload's rules on the read-back.
     */
    bool has_payload_region;
    uint64_t region_addr;
    uint64_t region_size;
    /*
     * Optional PayloadParam section (type 6; needs a payload of either kind), the last section:
     * has_param_region: VMM-filled guest memory [param_addr, + param_size) (no data, attributes
     * 0); has_param_data: `param` (a NUL-terminated command line, say) in the image after the
     * payload, zero-padded to 4 KiB and image-mapped, attributes 0 (td-shim) or, with
     * param_mr_extend, MR.EXTEND (then in MRTD). Exclusive.
     */
    bool has_param_region;
    uint64_t param_addr;
    uint64_t param_size;
    bool has_param_data;
    tds_bytes param;
    bool param_mr_extend;
    /*
     * The secure-boot record (tdshim/secboot.h SECBOOT_IMAGE_REC_*): 32 bytes at offset 0xFE0 of
     * the metadata page (the BFV's first page, in MRTD) saying that secure boot is required: the
     * shim then refuses a CFV without a trust anchor. Without it those bytes stay zero.
     */
    bool require_secure_boot;
} image_config;

/* The defaults the firmware's linker script (shim/shim.ld) relies on. */
#define IMAGE_DEFAULT_CFV_SIZE 0x10000u
#define IMAGE_DEFAULT_TD_HOB_ADDR 0x800000u
#define IMAGE_DEFAULT_TD_HOB_SIZE 0x20000u
#define IMAGE_DEFAULT_TEMP_ADDR 0x100000u
#define IMAGE_DEFAULT_TEMP_SIZE 0x700000u

/*
 * The CFV of an image built without CFV content: an empty PI firmware volume of exactly out.len
 * bytes (UEFI PI spec vol. 3, 3.2.1 EFI_FIRMWARE_VOLUME_HEADER), the way td-shim's tools lay out
 * a CFV header: ZeroVector 0; FileSystemGuid EFI_FIRMWARE_FILE_SYSTEM3_GUID; FvLength out.len;
 * Signature '_FVH'; Attributes IMAGE_CFV_FV_ATTRIBUTES; HeaderLength 72; Checksum making the
 * header's 16-bit sum 0; ExtHeaderOffset 0 (no extended header); Reserved 0; Revision 2; the
 * block map {out.len / 4 KiB, 4 KiB}, {0, 0}. Every byte after the header is 0xFF: an erased
 * volume with no files (erase polarity 1). It passes tdvf_fv_check. out.len MUST be a non-zero
 * 4 KiB multiple (TDS_ERR_ALIGNMENT), the slice valid (TDS_ERR_INVALID_ARG); nothing is written
 * on failure.
 */
#define IMAGE_CFV_FV_ATTRIBUTES                                                                    \
    0x00000C06u /* EFI_FVB2_READ_ENABLED_CAP | READ_STATUS | MEMORY_MAPPED | ERASE_POLARITY */
TDS_MUST_USE tds_status image_write_empty_fv(tds_mut_bytes out);

/* Fill cfg with the default layout for `firmware` (no CFV content, no payload). */
void image_config_default(image_config *cfg, tds_bytes firmware);

/*
 * Total image size for cfg (checked): CFV + padded payload + padded PayloadParam data + the gap
 * (image_gap_size) + firmware, at most IMAGE_MAX_SIZE.
 */
TDS_MUST_USE tds_status image_total_size(const image_config *cfg, size_t *out);

/* Payload size in the image: payload.len rounded up to 4 KiB (0 without a payload). */
TDS_MUST_USE tds_status image_payload_size(const image_config *cfg, size_t *out);
/* PayloadParam data size in the image: param.len rounded up to 4 KiB (0 without in-image data). */
TDS_MUST_USE tds_status image_param_size(const image_config *cfg, size_t *out);

/*
 * CFV size in the image: cfg->cfv_size. CFV content (cfg->cfv) must be a firmware volume of
 * exactly this size.
 */
TDS_MUST_USE tds_status image_cfv_size(const image_config *cfg, size_t *out);

/*
 * The gap: zero bytes between the CFV-side parts (CFV, payload, PayloadParam data) and the
 * firmware that make the image a multiple of IMAGE_ROM_ALIGN, which QEMU requires of -bios ("could
 * not load PC BIOS"; hw/i386/x86.c). They belong to no section: a VMM neither adds them to a TD
 * nor measures them, so the BFV (the firmware) stays exactly as large as the firmware blob.
 * image_total_size less the parts; fails as image_total_size does (TDS_ERR_NO_SPACE above
 * IMAGE_MAX_SIZE).
 */
#define IMAGE_ROM_ALIGN 0x10000u
TDS_MUST_USE tds_status image_gap_size(const image_config *cfg, size_t *out);

/*
 * Build the image into out (exactly image_total_size bytes) and return the decoded metadata the
 * reader found in it. The CFV is cfg->cfv, or an empty firmware volume (image_write_empty_fv)
 * without content; content of another size than image_cfv_size is refused (TDS_ERR_MISMATCH),
 * content that is not a valid firmware volume with tdvf_fv_check's reason (with a payload or a
 * payload region, tdvf_find_payload on it returns the last section, of kind TDVF_PAYLOAD_IMAGE or
 * TDVF_PAYLOAD_VMM respectively). On failure err says why; out may be partly written.
 */
TDS_MUST_USE tds_status image_build(const image_config *cfg, tds_mut_bytes out, tdvf_meta *meta,
                                    tdvf_error *err);

#endif /* TDSHIM_TOOLS_IMAGE_BUILD_H */
