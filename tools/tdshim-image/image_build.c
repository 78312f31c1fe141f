/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* TDVF image builder. Contract: image_build.h, docs/image-layout.md, docs/tools/tdshim-image.md. */
#include "image_build.h"

#include "tdshim/endian.h"
#include "tdshim/secboot.h"

#define FOUR_GIB 0x100000000ull

static tds_status fail(tdvf_error *err, tds_status s, const char *what)
{
    if (err != NULL) {
        err->what = what;
        err->section = UINT32_MAX;
    }
    return s;
}

void image_config_default(image_config *cfg, tds_bytes firmware)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->firmware = firmware;
    cfg->cfv_size = IMAGE_DEFAULT_CFV_SIZE;
    cfg->ram[0].type = TDVF_SEC_TD_HOB;
    cfg->ram[0].addr = IMAGE_DEFAULT_TD_HOB_ADDR;
    cfg->ram[0].size = IMAGE_DEFAULT_TD_HOB_SIZE;
    cfg->ram[1].type = TDVF_SEC_TEMP_MEM;
    cfg->ram[1].addr = IMAGE_DEFAULT_TEMP_ADDR;
    cfg->ram[1].size = IMAGE_DEFAULT_TEMP_SIZE;
    cfg->ram_count = 2;
}

static bool all_zero(tds_bytes b)
{
    for (size_t i = 0; i < b.len; i++) {
        if (b.ptr[i] != 0) {
            return false;
        }
    }
    return true;
}

static tds_status check_config(const image_config *cfg, tdvf_error *err)
{
    const tds_bytes fw = cfg->firmware;
    tds_bytes part;
    if (!tds_bytes_valid(fw) || !tds_bytes_valid(cfg->cfv)) {
        return fail(err, TDS_ERR_INVALID_ARG, "invalid input slice");
    }
    if (fw.len < (size_t)2 * TDVF_PAGE || (fw.len % TDVF_PAGE) != 0) {
        return fail(err, TDS_ERR_MALFORMED, "firmware size is not a 4 KiB multiple >= 8 KiB");
    }
    TDS_TRY(tds_bytes_sub(fw, 0, IMAGE_META_SIZE, &part));
    if (!all_zero(part)) {
        return fail(err, TDS_ERR_MALFORMED, "firmware page 0 (metadata page) is not zero");
    }
    TDS_TRY(tds_bytes_sub(fw, fw.len - IMAGE_TAIL_RESERVED,
                          IMAGE_TAIL_RESERVED - TDVF_TAIL_RESET_VECTOR, &part));
    if (!all_zero(part)) {
        return fail(err, TDS_ERR_MALFORMED, "firmware tail [end-0x60, end-0x10) is not zero");
    }
    TDS_TRY(tds_bytes_sub(fw, fw.len - TDVF_TAIL_RESET_VECTOR, TDVF_TAIL_RESET_VECTOR, &part));
    if (all_zero(part)) {
        return fail(err, TDS_ERR_MALFORMED, "firmware has no reset vector in its last 16 bytes");
    }
    if (cfg->cfv_size == 0 || !tds_is_aligned_u64(cfg->cfv_size, TDVF_PAGE)) {
        return fail(err, TDS_ERR_ALIGNMENT, "CFV size is not a non-zero 4 KiB multiple");
    }
    if (cfg->ram_count > IMAGE_MAX_RAM_SECTIONS) {
        return fail(err, TDS_ERR_INVALID_ARG, "too many RAM sections");
    }
    if (cfg->has_payload && cfg->has_payload_region) {
        return fail(err, TDS_ERR_INVALID_ARG,
                    "a payload in the image and a VMM-placed payload region are exclusive");
    }
    if (cfg->has_param_region && cfg->has_param_data) {
        return fail(err, TDS_ERR_INVALID_ARG,
                    "a PayloadParam region and PayloadParam data in the image are exclusive");
    }
    if ((cfg->has_param_region || cfg->has_param_data) &&
        !(cfg->has_payload || cfg->has_payload_region)) {
        return fail(err, TDS_ERR_INVALID_ARG, "a PayloadParam section needs a payload");
    }
    if (cfg->has_param_data && (!tds_bytes_valid(cfg->param) || cfg->param.len == 0)) {
        return fail(err, TDS_ERR_MALFORMED, "PayloadParam data is empty");
    }
    if (cfg->has_payload) {
        if (!tds_bytes_valid(cfg->payload) || cfg->payload.len == 0) {
            return fail(err, TDS_ERR_MALFORMED, "payload is empty");
        }
        if (cfg->payload_type != TDVF_SEC_BFV && cfg->payload_type != TDVF_SEC_PAYLOAD) {
            return fail(err, TDS_ERR_UNSUPPORTED, "payload section type is not BFV or Payload");
        }
    }
    for (uint32_t i = 0; i < cfg->ram_count; i++) {
        const image_ram_section *r = &cfg->ram[i];
        if (r->type != TDVF_SEC_TD_HOB && r->type != TDVF_SEC_TEMP_MEM) {
            return fail(err, TDS_ERR_UNSUPPORTED, "RAM section type is not TD_HOB or TempMem");
        }
        if (r->size == 0 || !tds_is_aligned_u64(r->addr, TDVF_PAGE) ||
            !tds_is_aligned_u64(r->size, TDVF_PAGE)) {
            return fail(err, TDS_ERR_ALIGNMENT, "RAM section not a non-empty 4 KiB-aligned range");
        }
    }
    return TDS_OK;
}

tds_status image_payload_size(const image_config *cfg, size_t *out)
{
    if (cfg == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!cfg->has_payload) {
        *out = 0;
        return TDS_OK;
    }
    return tds_align_up_size(cfg->payload.len, TDVF_PAGE, out);
}

tds_status image_param_size(const image_config *cfg, size_t *out)
{
    if (cfg == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!cfg->has_param_data) {
        *out = 0;
        return TDS_OK;
    }
    return tds_align_up_size(cfg->param.len, TDVF_PAGE, out);
}

tds_status image_cfv_size(const image_config *cfg, size_t *out)
{
    if (cfg == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    return tds_u64_to_size(cfg->cfv_size, out);
}

/* CFV + payload + param + firmware, unpadded (checked). */
static tds_status parts_size(const image_config *cfg, size_t *out)
{
    size_t total;
    size_t payload;
    size_t param;
    TDS_TRY(image_cfv_size(cfg, &total));
    TDS_TRY(image_payload_size(cfg, &payload));
    TDS_TRY(image_param_size(cfg, &param));
    TDS_TRY(tds_add_size(total, payload, &total));
    TDS_TRY(tds_add_size(total, param, &total));
    return tds_add_size(total, cfg->firmware.len, out);
}

tds_status image_total_size(const image_config *cfg, size_t *out)
{
    size_t total;
    if (cfg == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(parts_size(cfg, &total));
    TDS_TRY(tds_align_up_size(total, IMAGE_ROM_ALIGN, &total));
    if (total > IMAGE_MAX_SIZE) {
        return TDS_ERR_NO_SPACE;
    }
    *out = total;
    return TDS_OK;
}

tds_status image_gap_size(const image_config *cfg, size_t *out)
{
    size_t parts;
    size_t total;
    if (cfg == NULL || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(parts_size(cfg, &parts));
    TDS_TRY(image_total_size(cfg, &total));
    *out = total - parts;
    return TDS_OK;
}

tds_status image_write_empty_fv(tds_mut_bytes out)
{
    if (!tds_bytes_valid(tds_bytes_const(out))) {
        return TDS_ERR_INVALID_ARG;
    }
    if (out.len == 0 || !tds_is_aligned_u64(out.len, TDVF_PAGE) ||
        out.len / TDVF_PAGE > UINT32_MAX) {
        return TDS_ERR_ALIGNMENT;
    }
    uint8_t hdr[TDVF_FV_MIN_HEADER];
    tds_writer w = tds_writer_make(tds_mut_bytes_make(hdr, sizeof hdr));
    TDS_TRY(tds_writer_zero(&w, 16)); /* ZeroVector */
    TDS_TRY(tds_writer_put(&w, tdvf_guid_ffs3.b, 16));
    TDS_TRY(tds_writer_le64(&w, out.len));
    TDS_TRY(tds_writer_le32(&w, TDVF_FV_SIGNATURE));
    TDS_TRY(tds_writer_le32(&w, IMAGE_CFV_FV_ATTRIBUTES));
    TDS_TRY(tds_writer_le16(&w, TDVF_FV_MIN_HEADER));
    TDS_TRY(tds_writer_le16(&w, 0)); /* Checksum, set below */
    TDS_TRY(tds_writer_le16(&w, 0)); /* ExtHeaderOffset: none */
    TDS_TRY(tds_writer_u8(&w, 0));   /* Reserved */
    TDS_TRY(tds_writer_u8(&w, TDVF_FV_REVISION));
    TDS_TRY(tds_writer_le32(&w, (uint32_t)(out.len / TDVF_PAGE)));
    TDS_TRY(tds_writer_le32(&w, TDVF_PAGE));
    TDS_TRY(tds_writer_zero(&w, TDVF_FV_BLOCK_ENTRY)); /* the {0,0} terminator */
    uint16_t sum = 0;
    for (size_t i = 0; i < sizeof hdr; i += 2) {
        sum = (uint16_t)(sum + tds_load_le16(hdr + i));
    }
    tds_store_le16(hdr + 50, (uint16_t)(0u - sum));
    memset(out.ptr, 0xFF, out.len);
    memcpy(out.ptr, hdr, sizeof hdr);
    return TDS_OK;
}

static tds_status put_section(tds_writer *w, uint32_t data_offset, uint32_t raw, uint64_t addr,
                              uint64_t size, uint32_t type, uint32_t attr)
{
    TDS_TRY(tds_writer_le32(w, data_offset));
    TDS_TRY(tds_writer_le32(w, raw));
    TDS_TRY(tds_writer_le64(w, addr));
    TDS_TRY(tds_writer_le64(w, size));
    TDS_TRY(tds_writer_le32(w, type));
    return tds_writer_le32(w, attr);
}

/*
 * File offsets of the parts: [CFV at 0][payload at cfv_size][param][gap][firmware at fw_off]. The
 * gap (zeros, in no section: neither added to a TD nor measured) makes the image a multiple of
 * IMAGE_ROM_ALIGN.
 */
typedef struct image_parts {
    uint32_t cfv_size;
    uint32_t payload_size; /* padded; 0 without a payload */
    uint32_t param_size;   /* padded; 0 without PayloadParam data */
    uint32_t gap_size;     /* zeros before the firmware */
    uint32_t fw_off;
} image_parts;

static tds_status write_metadata(const image_config *cfg, tds_mut_bytes img, const image_parts *p)
{
    tds_mut_bytes page;
    const uint32_t count = 2u + cfg->ram_count +
                           (cfg->has_payload || cfg->has_payload_region ? 1u : 0u) +
                           (cfg->has_param_region || cfg->has_param_data ? 1u : 0u);
    const uint32_t fw_size = (uint32_t)cfg->firmware.len;
    const uint32_t cfv_size = p->cfv_size;
    const uint64_t base = FOUR_GIB - img.len;
    TDS_TRY(tds_mut_bytes_sub(img, p->fw_off, IMAGE_META_SIZE, &page));
    tds_writer w = tds_writer_make(page);
    TDS_TRY(tds_writer_put(&w, tdvf_guid_metadata_hdr.b, 16));
    TDS_TRY(tds_writer_le32(&w, TDVF_SIGNATURE));
    TDS_TRY(tds_writer_le32(&w, TDVF_DESC_HDR_SIZE + TDVF_SECTION_SIZE * count));
    TDS_TRY(tds_writer_le32(&w, TDVF_VERSION));
    TDS_TRY(tds_writer_le32(&w, count));
    /* BFV first: it is the code, measured into MRTD (PAGE.ADD + MR.EXTEND). */
    TDS_TRY(put_section(&w, p->fw_off, fw_size, base + p->fw_off, fw_size, TDVF_SEC_BFV,
                        TDVF_ATTR_MR_EXTEND));
    TDS_TRY(put_section(&w, 0, cfv_size, base, cfv_size, TDVF_SEC_CFV, 0));
    for (uint32_t i = 0; i < cfg->ram_count; i++) {
        const image_ram_section *r = &cfg->ram[i];
        TDS_TRY(put_section(&w, 0, 0, r->addr, r->size, r->type, 0));
    }
    /*
     * The payload last: the sections of an image without a payload keep their indices and their
     * MRTD prefix, and the payload's pages are measured after the shim's (docs/image-layout.md).
     */
    if (cfg->has_payload) {
        const uint32_t attr = cfg->payload_type == TDVF_SEC_BFV ? TDVF_ATTR_MR_EXTEND : 0u;
        TDS_TRY(put_section(&w, cfv_size, p->payload_size, base + cfv_size, p->payload_size,
                            cfg->payload_type, attr));
    }
    /* A VMM-placed payload: no data, attributes 0 (PAGE.ADD only), last for the same reasons. */
    if (cfg->has_payload_region) {
        TDS_TRY(put_section(&w, 0, 0, cfg->region_addr, cfg->region_size, TDVF_SEC_PAYLOAD, 0));
    }
    /* The PayloadParam after the payload it belongs to. */
    if (cfg->has_param_region) {
        TDS_TRY(put_section(&w, 0, 0, cfg->param_addr, cfg->param_size, TDVF_SEC_PAYLOAD_PARAM, 0));
    }
    if (cfg->require_secure_boot) {
        /* After the descriptor (at most 0x20 + 12 sections * 0x20 bytes), at its fixed place. */
        if (w.pos > SECBOOT_IMAGE_REC_OFFSET) {
            return TDS_ERR_NO_SPACE;
        }
        uint8_t *rec = page.ptr + SECBOOT_IMAGE_REC_OFFSET;
        memcpy(rec, secboot_guid_image_rec.b, 16);
        tds_store_le32(rec + 16, SECBOOT_IMAGE_REC_VERSION);
        tds_store_le32(rec + 20, SECBOOT_IMAGE_REQUIRED);
        memset(rec + 24, 0, SECBOOT_IMAGE_REC_SIZE - 24u);
    }
    if (cfg->has_param_data) {
        const uint32_t off = cfv_size + p->payload_size;
        TDS_TRY(put_section(&w, off, p->param_size, base + off, p->param_size,
                            TDVF_SEC_PAYLOAD_PARAM,
                            cfg->param_mr_extend ? TDVF_ATTR_MR_EXTEND : 0u));
    }
    return TDS_OK;
}

static tds_status write_tail(tds_mut_bytes img, uint32_t desc_offset)
{
    tds_mut_bytes tail;
    const uint32_t size = (uint32_t)img.len;
    TDS_TRY(tds_mut_bytes_sub(img, img.len - IMAGE_TAIL_RESERVED,
                              IMAGE_TAIL_RESERVED - TDVF_TAIL_RESET_VECTOR, &tail));
    /* Entries grow down from the footer: data, u16 length, GUID (edk2
     * OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.nasm.inc; QEMU hw/i386/pc_sysfw_ovmf.c). */
    const size_t t0 = IMAGE_TAIL_RESERVED; /* tail[x] is at end - (t0 - x) */
    const uint16_t entry_len = (uint16_t)(4u + TDVF_GUID_ENTRY_HDR);
    const uint16_t table_len = (uint16_t)(entry_len + TDVF_GUID_ENTRY_HDR);
    uint8_t *entry = tail.ptr + (t0 - TDVF_TAIL_TABLE_LEN - entry_len);
    tds_store_le32(entry, size - desc_offset);
    tds_store_le16(entry + 4, entry_len);
    memcpy(entry + 6, tdvf_guid_metadata_off.b, 16);
    tds_store_le16(tail.ptr + (t0 - TDVF_TAIL_TABLE_LEN), table_len);
    memcpy(tail.ptr + (t0 - TDVF_TAIL_FOOTER_GUID), tdvf_guid_ovmf_footer.b, 16);
    tds_store_le32(tail.ptr + (t0 - TDVF_TAIL_TDSHIM_PTR), desc_offset);
    memcpy(tail.ptr + (t0 - TDVF_TAIL_VTF_SIG), "VTF", 4);
    return TDS_OK;
}

tds_status image_build(const image_config *cfg, tds_mut_bytes out, tdvf_meta *meta, tdvf_error *err)
{
    size_t total;
    if (cfg == NULL || meta == NULL || !tds_bytes_valid(tds_bytes_const(out))) {
        return fail(err, TDS_ERR_INVALID_ARG, "invalid argument");
    }
    TDS_TRY(check_config(cfg, err));
    if (image_total_size(cfg, &total) != TDS_OK) {
        return fail(err, TDS_ERR_NO_SPACE, "image larger than 16 MiB");
    }
    if (out.len != total) {
        return fail(err, TDS_ERR_INVALID_ARG, "output buffer is not the image size");
    }
    size_t payload_size;
    size_t param_size;
    size_t cfv_size;
    size_t gap_size;
    TDS_TRY(image_payload_size(cfg, &payload_size));
    TDS_TRY(image_param_size(cfg, &param_size));
    TDS_TRY(image_cfv_size(cfg, &cfv_size));
    TDS_TRY(image_gap_size(cfg, &gap_size));
    /* All three parts fit in IMAGE_MAX_SIZE (checked above), so the casts are exact. */
    image_parts parts;
    parts.cfv_size = (uint32_t)cfv_size;
    parts.payload_size = (uint32_t)payload_size;
    parts.param_size = (uint32_t)param_size;
    parts.gap_size = (uint32_t)gap_size;
    parts.fw_off = parts.cfv_size + parts.payload_size + parts.param_size + parts.gap_size;
    /* The CFV: the caller's firmware volume, exactly the section's size, or an empty one. */
    if (cfg->cfv.len != 0 && cfg->cfv.len != cfv_size) {
        return fail(err, TDS_ERR_MISMATCH,
                    "CFV content is not exactly the CFV section's size (a whole firmware volume)");
    }
    if (cfg->cfv.len != 0) {
        TDS_TRY(tdvf_fv_check(cfg->cfv, err));
    }
    memset(out.ptr + parts.cfv_size, 0,
           (size_t)parts.payload_size + parts.param_size + parts.gap_size);
    if (cfg->cfv.len != 0) {
        memcpy(out.ptr, cfg->cfv.ptr, cfg->cfv.len);
    } else {
        TDS_TRY(image_write_empty_fv(tds_mut_bytes_make(out.ptr, parts.cfv_size)));
    }
    if (cfg->has_payload) {
        memcpy(out.ptr + parts.cfv_size, cfg->payload.ptr, cfg->payload.len);
    }
    if (cfg->has_param_data) {
        memcpy(out.ptr + parts.cfv_size + parts.payload_size, cfg->param.ptr, cfg->param.len);
    }
    memcpy(out.ptr + parts.fw_off, cfg->firmware.ptr, cfg->firmware.len);
    TDS_TRY(write_metadata(cfg, out, &parts));
    TDS_TRY(write_tail(out, parts.fw_off + 16u));

    /*
     * Read it back the way each VMM would (both locators, agreeing on this size) and hold it to
     * QEMU's rules (not for an image with a type-5 section, which QEMU refuses: it is for td-shim
     * metadata VMMs only) and to the one checker the shim applies to itself (tdvf_check_image).
     */
    const tds_bytes img = tds_bytes_const(out);
    tdvf_meta m;
    TDS_TRY(tdvf_open(img, TDVF_OPEN_LOCATE_BOTH | TDVF_OPEN_QEMU_RULES, &m, err));
    /* The shim's rule finds the payload where it was put, of the kind it was put as, or none. */
    const tdvf_section *found = NULL;
    tdvf_payload_kind kind = TDVF_PAYLOAD_IMAGE;
    tds_status st = tdvf_find_payload(&m, img.len, &found, &kind, err);
    bool placed;
    const uint32_t last = m.count - 1u - (cfg->has_param_region || cfg->has_param_data ? 1u : 0u);
    if (cfg->has_payload) {
        placed = st == TDS_OK && found == &m.sec[last] && kind == TDVF_PAYLOAD_IMAGE &&
                 found->data_offset == parts.cfv_size;
    } else if (cfg->has_payload_region) {
        placed = st == TDS_OK && found == &m.sec[last] && kind == TDVF_PAYLOAD_VMM &&
                 found->mem_addr == cfg->region_addr && found->mem_size == cfg->region_size;
    } else {
        placed = st == TDS_ERR_NOT_FOUND;
    }
    if (!placed) {
        return fail(err, TDS_ERR_MISMATCH, "payload section not found where it was placed");
    }
    if (cfg->has_param_region || cfg->has_param_data) {
        st = tdvf_find_payload_param(&m, img.len, &found, &kind, err);
        placed = st == TDS_OK && found == &m.sec[m.count - 1u] &&
                 kind == (cfg->has_param_region ? TDVF_PAYLOAD_VMM : TDVF_PAYLOAD_IMAGE) &&
                 (cfg->has_param_data ||
                  (found->mem_addr == cfg->param_addr && found->mem_size == cfg->param_size));
        if (!placed) {
            return st != TDS_OK ? st
                                : fail(err, TDS_ERR_MISMATCH,
                                       "PayloadParam section not found where it was placed");
        }
    }
    *meta = m;
    return TDS_OK;
}
