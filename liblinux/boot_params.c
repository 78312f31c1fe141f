/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * boot_params, the "zero page" (bootparam.h struct boot_params, zero-page.rst, boot.rst "Loading
 * the rest of the kernel" and "64-bit Boot Protocol"), the SETUP_E820_EXT node (setup_data.h),
 * and the entry values. Everything is checked before the first byte is written.
 */
#include "linux_int.h"

/* The layout this file writes (bootparam.h): the e820 table fits before eddbuf (0xD00). */
TDS_STATIC_ASSERT(LNX_BP_E820_TABLE + LNX_E820_MAX_BOOT_PARAMS * LNX_E820_ENTRY_SIZE <= 0xD00u,
                  "e820_table overruns eddbuf");
TDS_STATIC_ASSERT(LNX_HDR_MAX_END <= LNX_BP_E820_TABLE, "setup header reaches the e820 table");
TDS_STATIC_ASSERT(LNX_BP_SENTINEL < LNX_HDR_OFFSET, "sentinel lies before the setup header");

static void put_e820(uint8_t *p, const lnx_e820_entry *e)
{
    tds_store_le64(p, e->addr);
    tds_store_le64(p + 8, e->size);
    tds_store_le32(p + 16, e->type);
}

static bool mem_overlap(tds_mut_bytes a, tds_mut_bytes b)
{
    return a.len != 0 && b.len != 0 &&
           tds_ranges_overlap((uint64_t)(uintptr_t)a.ptr, (uint64_t)a.len,
                              (uint64_t)(uintptr_t)b.ptr, (uint64_t)b.len);
}

/* Write the zero page and the node. Cannot fail: everything was checked by the caller. */
static void write_all(const lnx_header *h, const lnx_plan *p, const lnx_e820_entry *map,
                      size_t count, uint64_t rsdp, uint8_t *bp, uint8_t *node)
{
    memset(bp, 0, LNX_BOOT_PARAMS_SIZE);
    /* boot.rst: copy the setup header, 0x1F1 up to 0x202 + byte[0x201], into the zeroed page.
     * The sentinel (0x1EF) is before it and stays 0, so the kernel keeps every field. */
    memcpy(bp + LNX_HDR_OFFSET, h->raw, h->hdr_end - LNX_HDR_OFFSET);

    tds_store_le16(bp + LNX_OFF_VID_MODE, LNX_VID_MODE_NORMAL);
    bp[LNX_OFF_TYPE_OF_LOADER] = LNX_LOADER_UNDEFINED;
    bp[LNX_OFF_EXT_LOADER_VER] = 0;
    bp[LNX_OFF_EXT_LOADER_TYPE] = 0;
    /* LOADED_HIGH only: no heap (CAN_USE_HEAP, 16-bit setup only), no QUIET, no KEEP_SEGMENTS. */
    bp[LNX_OFF_LOADFLAGS] = LNX_LF_LOADED_HIGH;
    tds_store_le16(bp + LNX_OFF_HEAP_END_PTR, 0);
    /* code32_start: the protected-mode load address, when it can say so. */
    if (p->kernel_addr < LNX_4G) {
        tds_store_le32(bp + LNX_OFF_CODE32_START, (uint32_t)p->kernel_addr);
    }
    tds_store_le32(bp + LNX_OFF_CMD_LINE_PTR, (uint32_t)p->cmdline_addr);
    tds_store_le32(bp + LNX_BP_EXT_CMD_LINE_PTR, (uint32_t)(p->cmdline_addr >> 32));
    tds_store_le32(bp + LNX_OFF_RAMDISK_IMAGE, (uint32_t)p->initrd_addr);
    tds_store_le32(bp + LNX_OFF_RAMDISK_SIZE, (uint32_t)p->initrd_size);
    tds_store_le32(bp + LNX_BP_EXT_RAMDISK_IMAGE, (uint32_t)(p->initrd_addr >> 32));
    tds_store_le32(bp + LNX_BP_EXT_RAMDISK_SIZE, (uint32_t)(p->initrd_size >> 32));
    tds_store_le32(bp + LNX_OFF_HARDWARE_SUBARCH, 0);
    tds_store_le64(bp + LNX_OFF_HARDWARE_SUBARCH_DATA, 0);
    /* The file's setup_data pointer is the VMM's (QEMU writes one for -dtb): never kept. */
    tds_store_le64(bp + LNX_OFF_SETUP_DATA, p->setup_data_size != 0 ? p->setup_data_addr : 0);
    tds_store_le64(bp + LNX_BP_ACPI_RSDP_ADDR, rsdp);

    size_t in_bp = count < LNX_E820_MAX_BOOT_PARAMS ? count : LNX_E820_MAX_BOOT_PARAMS;
    bp[LNX_BP_E820_ENTRIES] = (uint8_t)in_bp;
    for (size_t i = 0; i < in_bp; i++) {
        put_e820(bp + LNX_BP_E820_TABLE + i * LNX_E820_ENTRY_SIZE, &map[i]);
    }
    if (node != NULL) {
        /* setup_data.h: {u64 next; u32 type; u32 len; data}; Linux reads len / 20 entries. */
        size_t rest = count - in_bp;
        tds_store_le64(node, 0);
        tds_store_le32(node + 8, LNX_SETUP_E820_EXT);
        tds_store_le32(node + 12, (uint32_t)(rest * LNX_E820_ENTRY_SIZE));
        for (size_t i = 0; i < rest; i++) {
            put_e820(node + LNX_SETUP_DATA_HDR_SIZE + i * LNX_E820_ENTRY_SIZE, &map[in_bp + i]);
        }
    }
}

tds_status lnx_build_boot_params(const lnx_header *h, const lnx_plan *p, const lnx_e820_entry *map,
                                 size_t map_count, uint64_t acpi_rsdp_addr,
                                 tds_mut_bytes boot_params, tds_mut_bytes setup_data,
                                 lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (h == NULL || p == NULL || !lnx_header_sane(h) ||
        !tds_bytes_valid(tds_bytes_const(boot_params)) ||
        !tds_bytes_valid(tds_bytes_const(setup_data))) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    TDS_TRY(lnx_map_check(map, map_count, err));
    TDS_TRY(lnx_plan_check(h, map, map_count, p, err));
    if (boot_params.len < LNX_BOOT_PARAMS_SIZE) {
        return lnx_fail(err, LNX_R_BUFFER_TOO_SMALL, LNX_BOOT_PARAMS_SIZE);
    }
    uint8_t *node = NULL;
    if (p->setup_data_size != 0) {
        if ((uint64_t)setup_data.len < p->setup_data_size) {
            return lnx_fail(err, LNX_R_BUFFER_TOO_SMALL, p->setup_data_size);
        }
        tds_mut_bytes used_bp = {boot_params.ptr, LNX_BOOT_PARAMS_SIZE};
        tds_mut_bytes used_sd = {setup_data.ptr, (size_t)p->setup_data_size};
        if (mem_overlap(used_bp, used_sd)) {
            return lnx_fail(err, LNX_R_BAD_ARG, 0);
        }
        node = setup_data.ptr;
    }
    write_all(h, p, map, map_count, acpi_rsdp_addr, boot_params.ptr, node);
    return lnx_ok(err);
}

tds_status lnx_entry_for(const lnx_plan *p, lnx_entry *out)
{
    uint64_t rip;
    if (p == NULL || out == NULL || p->boot_params_addr == 0 ||
        p->kernel_size <= LNX_ENTRY64_OFFSET ||
        tds_add_u64(p->kernel_addr, LNX_ENTRY64_OFFSET, &rip) != TDS_OK) {
        return TDS_ERR_INVALID_ARG;
    }
    lnx_entry e = {rip,         p->boot_params_addr, LNX_BOOT_CS,
                   LNX_BOOT_DS, LNX_GDT_CODE64,      LNX_GDT_DATA};
    *out = e;
    return TDS_OK;
}
