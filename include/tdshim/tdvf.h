/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * TDVF image metadata: the OVMF GUIDed footer table, the td-shim metadata pointer, the
 * TDVF_DESCRIPTOR and its TDVF_SECTIONs (the TDVF design guide; edk2 ResetVectorVtf0.nasm.inc; QEMU
 * hw/i386/pc_sysfw_ovmf.c and hw/i386/tdvf.c; td-shim td-shim-tools/src/linker.rs and
 * td-shim-interface/src/metadata.rs).
 *
 * One reader and one checker for three users: the image builder's self-check, the reference-MRTD
 * and RTMR tool, and the shim reading its own metadata (tdvf_image_size_from_top, tdvf_open,
 * tdvf_check_image). Builds hosted and freestanding. The image bytes are
 * untrusted: every read goes through tds_cursor, every number through checked arithmetic, and
 * nothing is written to an out-parameter unless the call returns TDS_OK.
 */
#ifndef TDSHIM_TDVF_H
#define TDSHIM_TDVF_H

/*
 * Thread safety: no state; parsing reads the image bytes and writes only the caller's outputs, so
 * any number of threads may parse one image while its bytes do not change.
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Fixed tail of the image, counted back from its end (edk2
 * OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.nasm.inc; QEMU hw/i386/pc_sysfw_ovmf.c, td-shim
 * td-shim-tools/src/linker.rs, image tail). */
#define TDVF_TAIL_RESET_VECTOR 0x10u /* 16 bytes of code at 0xFFFFFFF0 */
#define TDVF_TAIL_VTF_SIG 0x14u      /* 'V','T','F',0 */
#define TDVF_TAIL_TDSHIM_PTR 0x20u   /* u32: descriptor offset from the image start (td-shim) */
#define TDVF_TAIL_FOOTER_GUID 0x30u  /* OVMF table footer GUID */
#define TDVF_TAIL_TABLE_LEN 0x32u    /* u16: table length incl. this u16 and the footer GUID */
#define TDVF_GUID_ENTRY_HDR 18u      /* u16 length + 16-byte GUID at the top of each entry */

#define TDVF_SIGNATURE 0x46564454u /* 'TDVF' */
#define TDVF_VERSION 1u
#define TDVF_DESC_HDR_SIZE 16u
#define TDVF_SECTION_SIZE 32u
#define TDVF_MAX_SECTIONS 32u
#define TDVF_PAGE 4096u

enum tdvf_section_type {
    TDVF_SEC_BFV = 0,
    TDVF_SEC_CFV = 1,
    TDVF_SEC_TD_HOB = 2,
    TDVF_SEC_TEMP_MEM = 3,
    TDVF_SEC_PERM_MEM = 4,
    TDVF_SEC_PAYLOAD = 5,
    TDVF_SEC_PAYLOAD_PARAM = 6,
    TDVF_SEC_TD_INFO = 7,
    TDVF_SEC_TD_PARAMS = 8,
    TDVF_SEC_TYPE_COUNT = 9
};

#define TDVF_ATTR_MR_EXTEND 0x1u
#define TDVF_ATTR_PAGE_AUG 0x2u
#define TDVF_ATTR_KNOWN (TDVF_ATTR_MR_EXTEND | TDVF_ATTR_PAGE_AUG)

/*
 * Bounds on the guest memory the sections describe (tdvf_check_layout, and the MRTD prediction):
 * every range ends at or below TDVF_MAX_GPA, 2^51 (private GPAs lie below the shared bit, which is
 * bit 51 at the largest GPA width, 52: Intel TDX Module ABI specification, GPAW); and the pages
 * the VMM adds before the TD runs (every section without PAGE_AUG) total at most
 * TDVF_MAX_ADDED_BYTES, 64 GiB: the VMM backs each with memory of its own and the module measures
 * each into MRTD. Real images add a few MiB; the bound turns a corrupted MemoryDataSize (one
 * flipped byte can make it terabytes) into a clear error instead of hours of hashing.
 */
#define TDVF_MAX_GPA (1ull << 51)
#define TDVF_MAX_ADDED_BYTES (64ull << 30)

/* The GUIDs, as wire bytes. */
extern const tds_guid tdvf_guid_ovmf_footer;  /* 96b582de-1fb2-45f7-baea-a366c55a082d */
extern const tds_guid tdvf_guid_metadata_off; /* e47a6535-984a-4798-865e-4685a7bf8ec2 */
extern const tds_guid tdvf_guid_metadata_hdr; /* e9eaf9f3-168e-44d5-a8eb-7f4d8738f6ae */

/* One TDVF_SECTION, decoded (the wire layout is 32 bytes, see the TDVF design guide,
 * TDVF_DESCRIPTOR and TDVF_SECTION; QEMU hw/i386/tdvf.c). */
typedef struct tdvf_section {
    uint32_t data_offset;
    uint32_t raw_size;
    uint64_t mem_addr;
    uint64_t mem_size;
    uint32_t type;
    uint32_t attributes;
} tdvf_section;

/* A decoded descriptor. Only the first `count` entries of `sec` are meaningful. */
typedef struct tdvf_meta {
    uint32_t desc_offset; /* file offset of the TDVF_DESCRIPTOR */
    uint32_t length;      /* descriptor Length field */
    uint32_t version;
    uint32_t count;
    tdvf_section sec[TDVF_MAX_SECTIONS];
} tdvf_meta;

/* Why a check failed: a fixed message and the section it concerns (UINT32_MAX if none). */
typedef struct tdvf_error {
    const char *what;
    uint32_t section;
} tdvf_error;

/* Short name of a section type ("BFV", ..., "reserved"). Never NULL. */
const char *tdvf_section_type_name(uint32_t type);

/*
 * Walk the OVMF GUIDed footer table the way QEMU's pc_system_ovmf_table_find does and return the
 * data of the entry with `guid` as a sub-slice of `image`. TDS_ERR_NOT_FOUND when there is no
 * footer or no such entry; TDS_ERR_MALFORMED for a broken table.
 */
TDS_MUST_USE tds_status tdvf_footer_find(tds_bytes image, const tds_guid *guid, tds_bytes *data);

/* QEMU's way: descriptor offset = image size - the u32 of the metadata-offset footer entry. */
TDS_MUST_USE tds_status tdvf_locate_qemu(tds_bytes image, uint32_t *desc_offset);

/*
 * td-shim / cloud-hypervisor's way: the u32 at end-0x20 is the descriptor's offset from the image
 * start; the 16 bytes before it must hold the metadata GUID (td-shim checks it, so do we).
 */
TDS_MUST_USE tds_status tdvf_locate_tdshim(tds_bytes image, uint32_t *desc_offset);

/*
 * Decode the descriptor at desc_offset: signature, Version == 1, 1 <= count <= TDVF_MAX_SECTIONS,
 * Length == 16 + 32 * count, and the whole descriptor inside the image. Sections are decoded but
 * not judged; use the tdvf_check_* profiles for that.
 */
TDS_MUST_USE tds_status tdvf_parse(tds_bytes image, uint32_t desc_offset, tdvf_meta *out,
                                   tdvf_error *err);

/*
 * What upstream QEMU (>= 10.1, hw/i386/tdvf.c) accepts: >= 2 sections; only BFV, CFV, TD_HOB and
 * TempMem; MemoryAddress/MemoryDataSize 4 KiB aligned; MemoryDataSize >= RawDataSize; BFV/CFV
 * RawDataSize != 0 with their bytes inside the image (QEMU copies MemoryDataSize bytes, so those
 * must be inside too); TD_HOB/TempMem RawDataSize == 0; a TD_HOB section present. Plus reserved
 * attribute bits clear.
 */
TDS_MUST_USE tds_status tdvf_check_qemu(const tdvf_meta *m, uint64_t image_size, tdvf_error *err);

/* td-shim's validate_sections rules (td-shim td-shim-interface/src/metadata.rs). */
TDS_MUST_USE tds_status tdvf_check_tdshim(const tdvf_meta *m, uint64_t image_size, tdvf_error *err);

/*
 * This project's own rules on top: no memory range wraps, none is empty, none ends above
 * TDVF_MAX_GPA, the added (non-PAGE_AUG) sections total at most TDVF_MAX_ADDED_BYTES, and no two
 * sections with guest memory overlap; BFV/CFV memory, and the memory of a Payload section with
 * data, is exactly the image mapped at the top of 4 GiB; and the section roles tdvf_find_payload
 * checks hold (one shim BFV ending at 4 GiB, at most one well-formed payload section of either
 * kind). The payload rule is applied first, so a bad payload is reported with its own reason.
 */
TDS_MUST_USE tds_status tdvf_check_layout(const tdvf_meta *m, uint64_t image_size, tdvf_error *err);

/* Where the payload's bytes come from (docs/handoff.md 1). Zero is deliberately not a kind. */
typedef enum tdvf_payload_kind {
    /* In the image file: a second BFV, or a type-5 Payload section with data. */
    TDVF_PAYLOAD_IMAGE = 1,
    /*
     * Placed by the VMM: a type-5 Payload section without data (RawDataSize 0, DataOffset 0,
     * attributes 0) describing guest memory below the image into which the VMM loads the payload
     * before the TD starts (td-shim's model; cloud-hypervisor). Not in MRTD beyond its PAGE.ADDs;
     * the firmware measures the whole region into RTMR1 and MUST first check that the region is
     * accepted private RAM in the TD HOB.
     */
    TDVF_PAYLOAD_VMM = 2
} tdvf_payload_kind;

/* "image", "vmm", or "invalid". Never NULL. */
const char *tdvf_payload_kind_name(tdvf_payload_kind kind);

/*
 * The shim's own BFV: the one BFV section whose memory range ends at 4 GiB (it holds the reset
 * vector; its first page is the metadata page). TDS_ERR_MALFORMED with err naming it when there
 * is none ("no BFV section ends at 4 GiB (reset vector)") or two ("two BFV sections end at
 * 4 GiB"); TDS_ERR_INVALID_ARG for NULL arguments or a count above TDVF_MAX_SECTIONS.
 */
TDS_MUST_USE tds_status tdvf_find_shim_bfv(const tdvf_meta *m, const tdvf_section **out,
                                           tdvf_error *err);

/*
 * The payload section of an image (docs/handoff.md 1, docs/image-layout.md). The shim's own BFV
 * is the one BFV section whose memory range ends at 4 GiB (it holds the reset vector); the payload
 * is the one other BFV section (attributes MR.EXTEND) or the one type-5 Payload section. At most
 * one payload in all, of either kind.
 *
 * TDVF_PAYLOAD_IMAGE (a BFV, or a type 5 with RawDataSize != 0; attributes 0 or MR.EXTEND for
 * type 5): image-mapped like a BFV: MemoryDataSize == RawDataSize, DataOffset and both sizes 4 KiB
 * multiples, the data inside the image, MemoryAddress == (4 GiB - image_size) + DataOffset, and
 * neither its data nor its memory overlapping another section's or the descriptor.
 *
 * TDVF_PAYLOAD_VMM (a type 5 with RawDataSize == 0): DataOffset 0, attributes 0 (MR.EXTEND would
 * need bytes in the image), MemoryAddress and MemoryDataSize non-zero 4 KiB multiples, the range
 * not wrapping, not overlapping any other section's memory, and ending at or below
 * 4 GiB - image_size (the image window).
 *
 * TDS_OK: *out points into m->sec (index = *out - m->sec) and *kind says which kind. Both MUST
 * be non-NULL. TDS_ERR_NOT_FOUND: no payload section (the image is otherwise fine for this rule;
 * *out and *kind untouched). Any other status is an image error and err says which rule and which
 * section: TDS_ERR_MALFORMED (no/two shim BFVs, two or more payload candidates, attributes, no
 * data, DataOffset without data, an empty region, overlap), TDS_ERR_ALIGNMENT,
 * TDS_ERR_OUT_OF_BOUNDS (data outside the image, a region not below the image), TDS_ERR_OVERFLOW
 * (a wrapping region), TDS_ERR_MISMATCH (not where the image is mapped), TDS_ERR_INVALID_ARG (bad
 * m, out, kind or image size).
 */
TDS_MUST_USE tds_status tdvf_find_payload(const tdvf_meta *m, uint64_t image_size,
                                          const tdvf_section **out, tdvf_payload_kind *kind,
                                          tdvf_error *err);

/*
 * The PayloadParam section (type 6; td-shim: at most one, only with a Payload), whose bytes the
 * payload takes as its parameter (docs/linux-boot.md "From a VMM-placed region": a Linux kernel's
 * command line, a NUL-terminated string inside the section). Two kinds, as for the payload:
 *
 * TDVF_PAYLOAD_VMM (RawDataSize 0): guest memory the VMM fills before the TD starts; DataOffset 0,
 * attributes 0, MemoryAddress and MemoryDataSize non-zero 4 KiB multiples, not wrapping, below
 * 4 GiB - image_size, overlapping no other section's memory. The firmware MUST check that it is
 * accepted private RAM in the TD HOB before it reads a byte.
 *
 * TDVF_PAYLOAD_IMAGE (RawDataSize != 0): data in the image, image-mapped like a Payload with data
 * (MemoryDataSize == RawDataSize, 4 KiB multiples, MemoryAddress == 4 GiB - image_size +
 * DataOffset, overlapping neither the descriptor nor another section); attributes 0 (td-shim) or
 * MR.EXTEND (this project: its bytes are then in MRTD).
 *
 * TDS_OK: *out points into m->sec, *kind says which kind. TDS_ERR_NOT_FOUND: none. Any other
 * status is an image error with err naming the rule and the section (tdvf_check_layout applies
 * these rules too). TDS_ERR_INVALID_ARG for bad arguments.
 */
TDS_MUST_USE tds_status tdvf_find_payload_param(const tdvf_meta *m, uint64_t image_size,
                                                const tdvf_section **out, tdvf_payload_kind *kind,
                                                tdvf_error *err);

/*
 * ---- PI firmware volumes (UEFI PI spec vol. 3, 3.2.1 EFI_FIRMWARE_VOLUME_HEADER) ---------------
 * Wire layout (little-endian): ZeroVector[16] at 0, FileSystemGuid at 16, FvLength u64 at 32,
 * Signature u32 at 40, Attributes u32 at 44, HeaderLength u16 at 48, Checksum u16 at 50,
 * ExtHeaderOffset u16 at 52, Reserved u8 at 54, Revision u8 at 55, then the block map: {NumBlocks
 * u32, Length u32} entries ending with {0, 0}. The optional EFI_FIRMWARE_VOLUME_EXT_HEADER at
 * ExtHeaderOffset is FvName (GUID) then ExtHeaderSize u32.
 */
#define TDVF_FV_FIXED_HEADER 56u /* the header up to BlockMap[] */
#define TDVF_FV_BLOCK_ENTRY 8u   /* one EFI_FV_BLOCK_MAP_ENTRY */
#define TDVF_FV_MIN_HEADER 72u   /* fixed header + one block-map entry + the {0,0} terminator */
#define TDVF_FV_EXT_HEADER 20u   /* EFI_FIRMWARE_VOLUME_EXT_HEADER without entries */
#define TDVF_FV_SIGNATURE 0x4856465Fu   /* '_FVH' */
#define TDVF_FV_REVISION 2u             /* EFI_FVH_REVISION */
#define TDVF_FVB2_ERASE_POLARITY 0x800u /* erased bytes read as 0xFF */

extern const tds_guid
    tdvf_guid_ffs2; /* EFI_FIRMWARE_FILE_SYSTEM2_GUID 8c8ce578-8a3d-4f1c-9935-896185c32dd3 */
extern const tds_guid
    tdvf_guid_ffs3; /* EFI_FIRMWARE_FILE_SYSTEM3_GUID 5473c07a-3dcb-4dca-bd6f-1e9689e7349a */

/*
 * Is `fv` exactly one well-formed firmware volume header's volume? Rules, each with its own
 * err->what ("firmware volume: ..."; err->section is UINT32_MAX): the fixed header fits; Signature
 * '_FVH'; ZeroVector all zero; FileSystemGuid EFI_FIRMWARE_FILE_SYSTEM2_GUID or _3_GUID; Revision
 * 2; Reserved 0; FvLength == fv.len; HeaderLength even, >= TDVF_FV_MIN_HEADER and <= fv.len; the
 * 16-bit sum of the HeaderLength header bytes is 0 (Checksum); ExtHeaderOffset 0, or at or past
 * HeaderLength with the extended header (ExtHeaderSize >= 20) inside the volume; the block map,
 * read up to its {0,0} terminator inside HeaderLength, has at least one entry, no entry with
 * NumBlocks or Length 0, and its sum of NumBlocks * Length (64-bit, checked) equals FvLength.
 * Only the header is judged, not the files in the volume; Attributes are not judged.
 *
 * TDS_OK: the volume is well formed. TDS_ERR_TRUNCATED: shorter than the fixed header.
 * TDS_ERR_UNSUPPORTED: another file system or revision. TDS_ERR_MISMATCH: FvLength, Checksum or
 * the block-map total disagree. TDS_ERR_OUT_OF_BOUNDS: HeaderLength or the extended header past
 * the volume. TDS_ERR_OVERFLOW: the block-map total overflows 64 bits. TDS_ERR_MALFORMED: any
 * other rule. TDS_ERR_INVALID_ARG: an invalid slice.
 */
TDS_MUST_USE tds_status tdvf_fv_check(tds_bytes fv, tdvf_error *err);

/*
 * ---- One checker for the firmware and the tools -----------------------------------------------
 * The shim holds its own image to these (shim/main.c read_own_metadata), and tdshim-image (its
 * self-check) and tdshim-measure (mrtd, rtmr --image) hold image files to the same functions, so
 * an image one refuses the other refuses too (docs/image-layout.md "One checker").
 */

/*
 * The size of the image that ends where `top` ends, the way the firmware finds its own image from
 * the bytes below 4 GiB it runs from (its BFV window), or the size an image file's metadata claims
 * (`top` = the whole file). The OVMF footer table gives the descriptor's distance from the end
 * (QEMU's way, tdvf_locate_qemu on `top`), the td-shim pointer at end-0x20 its offset from the
 * image start (td-shim's way): the image size is their sum. Both locators live in the last bytes,
 * so a file cut at the front still gives the size of the whole image; the caller compares it with
 * what it has (tdvf_open) or maps [4 GiB - size, 4 GiB) and checks that (tdvf_check_image).
 *
 * TDS_OK: *size is the image size, top.len <= *size <= max_size and <= 4 GiB (the image ends
 * at 4 GiB), and the 16 bytes before the descriptor (inside `top`) are the metadata GUID.
 * TDS_ERR_NOT_FOUND: no footer table, no metadata-offset entry, a broken table, or an entry
 * pointing outside `top`. TDS_ERR_MISMATCH: the two locators disagree (the sum is below top.len, or
 * above max_size or 4 GiB). TDS_ERR_MALFORMED: the metadata GUID does not precede the descriptor
 * inside `top`. TDS_ERR_INVALID_ARG: an invalid slice or size == NULL. err says which (section
 * UINT32_MAX); *size is written only on success.
 */
TDS_MUST_USE tds_status tdvf_image_size_from_top(tds_bytes top, uint64_t max_size, uint64_t *size,
                                                 tdvf_error *err);

/*
 * Every rule an image is held to by the firmware and by the tools, with `image` the whole image
 * (image.len its size, mapped at 4 GiB - image.len), in this order: tdvf_check_tdshim (which
 * includes every section's raw data inside `image`), tdvf_check_layout (with the payload rule),
 * then every CFV section's RawDataSize bytes at DataOffset must be one firmware volume
 * (tdvf_fv_check's rules; err->what "CFV is not a valid firmware volume: <rule>", err->section the
 * CFV's index). A CFV that is not in the loaded file (an image cut at the front, whose CFV pages
 * the VMM never filled) fails the last rule. TDS_ERR_INVALID_ARG for m == NULL, a count above
 * TDVF_MAX_SECTIONS or an invalid slice; otherwise the failing rule's status.
 */
TDS_MUST_USE tds_status tdvf_check_image(const tdvf_meta *m, tds_bytes image, tdvf_error *err);

/* tdvf_open flags. At least one locator. */
#define TDVF_OPEN_LOCATE_QEMU 0x1u   /* the descriptor through the OVMF footer table */
#define TDVF_OPEN_LOCATE_TDSHIM 0x2u /* through the td-shim pointer at end-0x20 and the GUID */
/* Both, as the shim does: tdvf_image_size_from_top on `image` must give exactly image.len. */
#define TDVF_OPEN_LOCATE_BOTH (TDVF_OPEN_LOCATE_QEMU | TDVF_OPEN_LOCATE_TDSHIM)
/*
 * Also QEMU's rules (tdvf_check_qemu), before the others, unless the image has a Payload (type 5)
 * section: QEMU refuses the type, so such an image is for VMMs that implement the td-shim metadata.
 */
#define TDVF_OPEN_QEMU_RULES 0x4u

/*
 * Locate (flags), parse and check (tdvf_check_image, after tdvf_check_qemu with
 * TDVF_OPEN_QEMU_RULES) the image `image`, and return its metadata. With TDVF_OPEN_LOCATE_BOTH an
 * image whose locators describe an image of another size than image.len (a file cut at the front
 * or padded) is refused with TDS_ERR_MISMATCH. Locator failures: the locator's status (see
 * tdvf_image_size_from_top for both) and "TDVF metadata not found through the OVMF footer table" /
 * "... through the td-shim pointer and metadata GUID". TDS_ERR_INVALID_ARG for an invalid slice,
 * out == NULL, unknown flags or no locator. *out is written only on success; err says why not.
 */
TDS_MUST_USE tds_status tdvf_open(tds_bytes image, uint32_t flags, tdvf_meta *out, tdvf_error *err);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDVF_H */
