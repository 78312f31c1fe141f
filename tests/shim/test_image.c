/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdshim-image builder: the produced image is parsed back here with byte offsets written from the
 * references (edk2 OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.nasm.inc; QEMU
 * hw/i386/pc_sysfw_ovmf.c-6.3, td-shim td-shim-tools/src/linker.rs, image tail), not with libtdvf,
 * so a shared misreading cannot hide. Then every builder input check gets a hostile case.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image_build.h"
#include "tdshim/secboot.h"

#define FW_SIZE 0x10000u

static uint8_t fw[FW_SIZE];
static uint8_t img[IMAGE_MAX_SIZE];

static void make_fw(void)
{
    memset(fw, 0, sizeof fw);
    for (size_t i = 0x1000; i < FW_SIZE - 0x60; i++) {
        fw[i] = (uint8_t)(i * 13u + 1u);
    }
    memset(fw + FW_SIZE - 16, 0x90, 16);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}
static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static const uint8_t footer_guid[16] = {0xDE, 0x82, 0xB5, 0x96, 0xB2, 0x1F, 0xF7, 0x45,
                                        0xBA, 0xEA, 0xA3, 0x66, 0xC5, 0x5A, 0x08, 0x2D};
static const uint8_t offset_guid[16] = {0x35, 0x65, 0x7A, 0xE4, 0x4A, 0x98, 0x98, 0x47,
                                        0x86, 0x5E, 0x46, 0x85, 0xA7, 0xBF, 0x8E, 0xC2};
static const uint8_t meta_guid[16] = {0xF3, 0xF9, 0xEA, 0xE9, 0x8E, 0x16, 0xD5, 0x44,
                                      0xA8, 0xEB, 0x7F, 0x4D, 0x87, 0x38, 0xF6, 0xAE};

/* EFI_FIRMWARE_FILE_SYSTEM3_GUID 5473c07a-3dcb-4dca-bd6f-1e9689e7349a, wire bytes. */
static const uint8_t ffs3_guid[16] = {0x7A, 0xC0, 0x73, 0x54, 0xCB, 0x3D, 0xCA, 0x4D,
                                      0xBD, 0x6F, 0x1E, 0x96, 0x89, 0xE7, 0x34, 0x9A};

/*
 * An empty firmware volume of len bytes, every header field at its offset in the UEFI PI spec's
 * EFI_FIRMWARE_VOLUME_HEADER (vol. 3, 3.2.1), then erased (0xFF) to the end.
 */
static void expect_empty_fv(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < 16; i++) {
        assert_int_equal(p[i], 0); /* ZeroVector */
    }
    assert_memory_equal(p + 16, ffs3_guid, 16);
    assert_int_equal(le64(p + 32), len);    /* FvLength */
    assert_memory_equal(p + 40, "_FVH", 4); /* Signature */
    assert_int_equal(le32(p + 44), 0xC06);  /* Attributes: read enabled, mapped, erase pol. */
    assert_int_equal(le16(p + 48), 72);     /* HeaderLength: 56 + one entry + terminator */
    uint32_t sum = 0;
    for (size_t i = 0; i < 72; i += 2) {
        sum += le16(p + i);
    }
    assert_int_equal(sum & 0xFFFF, 0);            /* Checksum */
    assert_int_equal(le16(p + 52), 0);            /* ExtHeaderOffset */
    assert_int_equal(p[54], 0);                   /* Reserved */
    assert_int_equal(p[55], 2);                   /* Revision */
    assert_int_equal(le32(p + 56), len / 0x1000); /* NumBlocks */
    assert_int_equal(le32(p + 60), 0x1000);       /* Length */
    assert_int_equal(le64(p + 64), 0);            /* {0,0} */
    for (size_t i = 72; i < len; i++) {
        assert_int_equal(p[i], 0xFF);
    }
}

static size_t build_default(image_config *cfg)
{
    size_t total = 0;
    tdvf_meta meta;
    tdvf_error err = {"", 0};
    make_fw();
    image_config_default(cfg, tds_bytes_make(fw, sizeof fw));
    assert_int_equal(image_total_size(cfg, &total), TDS_OK);
    memset(img, 0xEE, sizeof img);
    assert_int_equal(image_build(cfg, tds_mut_bytes_make(img, total), &meta, &err), TDS_OK);
    return total;
}

/* One section as QEMU's tdvf.c reads it. */
static void expect_section(const uint8_t *s, uint32_t off, uint32_t raw, uint64_t addr,
                           uint64_t size, uint32_t type, uint32_t attr)
{
    assert_int_equal(le32(s + 0), off);
    assert_int_equal(le32(s + 4), raw);
    assert_int_equal(le64(s + 8), addr);
    assert_int_equal(le64(s + 16), size);
    assert_int_equal(le32(s + 24), type);
    assert_int_equal(le32(s + 28), attr);
}

static void test_default_layout_every_field(void **state)
{
    (void)state;
    image_config cfg;
    const size_t E = build_default(&cfg);
    assert_int_equal(E, 0x10000 + FW_SIZE);
    const uint8_t *end = img + E;

    /* Tail: reset vector untouched, 'VTF\0', td-shim pointer, footer GUID and table length. */
    assert_memory_equal(end - 0x10, fw + FW_SIZE - 16, 16);
    assert_memory_equal(end - 0x14, "VTF", 4);
    assert_memory_equal(end - 0x30, footer_guid, 16);
    assert_int_equal(le16(end - 0x32), 40); /* one 22-byte entry + u16 + footer GUID */
    /* The single entry: GUID right below the table length, its u16 length, then the u32. */
    assert_memory_equal(end - 0x42, offset_guid, 16);
    assert_int_equal(le16(end - 0x44), 22);
    const uint32_t from_end = le32(end - 0x48);
    /* Unused reserve below the table stays zero. */
    for (size_t i = 0x60; i > 0x48; i--) {
        assert_int_equal(end[-(ptrdiff_t)i], 0);
    }

    /* QEMU: descriptor = E - value; td-shim: descriptor = u32 at end-0x20; they agree. */
    const uint32_t desc = (uint32_t)(E - from_end);
    assert_int_equal(le32(end - 0x20), desc);
    assert_int_equal(desc, 0x10000 + 16); /* first page of the BFV, after the GUID */
    assert_memory_equal(img + desc - 16, meta_guid, 16);

    const uint8_t *d = img + desc;
    assert_int_equal(le32(d), 0x46564454);
    assert_int_equal(le32(d + 4), 16 + 32 * 4);
    assert_int_equal(le32(d + 8), 1);
    assert_int_equal(le32(d + 12), 4);
    const uint64_t base = 0x100000000ull - E;
    assert_int_equal(base, 0xFFFE0000ull);
    expect_section(d + 16, 0x10000, FW_SIZE, base + 0x10000, FW_SIZE, 0, 1);
    expect_section(d + 48, 0, 0x10000, base, 0x10000, 1, 0);
    expect_section(d + 80, 0, 0, 0x800000, 0x20000, 2, 0);
    expect_section(d + 112, 0, 0, 0x100000, 0x700000, 3, 0);
    /* Nothing after the descriptor in the metadata page. */
    for (size_t i = desc + 144; i < 0x11000; i++) {
        assert_int_equal(img[i], 0);
    }
    /* Firmware bytes copied verbatim outside the two owned areas; the CFV an empty FV. */
    assert_memory_equal(img + 0x11000, fw + 0x1000, FW_SIZE - 0x1000 - 0x60);
    expect_empty_fv(img, 0x10000);
    /* Not one byte past the image written. */
    assert_int_equal(img[E], 0xEE);
}

static void test_custom_cfv_and_ram(void **state)
{
    (void)state;
    /* A firmware volume of the section's size with something in it, copied byte for byte. */
    static uint8_t cfv[0x2000];
    image_config cfg;
    tdvf_meta meta;
    tdvf_error err;
    size_t total;
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(cfv, sizeof cfv)), TDS_OK);
    static const uint8_t file[5] = {1, 2, 3, 4, 5};
    memcpy(cfv + 72, file, sizeof file);
    make_fw();
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv = tds_bytes_make(cfv, sizeof cfv);
    cfg.cfv_size = 0x2000;
    cfg.ram[0].addr = 0x7000000;
    cfg.ram[0].size = 0x1000;
    cfg.ram[2].type = TDVF_SEC_TEMP_MEM;
    cfg.ram[2].addr = 0x1000000;
    cfg.ram[2].size = 0x3000;
    cfg.ram_count = 3;
    /* 8 KiB CFV + 64 KiB firmware: a 0xE000-byte gap (zeros, no section) makes it 128 KiB. */
    assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
    assert_int_equal(total, 0x20000);
    size_t gap = 0;
    assert_int_equal(image_gap_size(&cfg, &gap), TDS_OK);
    assert_int_equal(gap, 0xE000);
    memset(img, 0xEE, sizeof img);
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, total), &meta, &err), TDS_OK);
    assert_memory_equal(img, cfv, sizeof cfv);
    for (size_t i = 0x2000; i < 0x10000; i++) {
        assert_int_equal(img[i], 0);
    }
    const uint8_t *d = img + 0x10000 + 16;
    assert_int_equal(le32(d + 12), 5);
    const uint64_t base = 0x100000000ull - total;
    expect_section(d + 16, 0x10000, FW_SIZE, base + 0x10000, FW_SIZE, 0, 1);
    expect_section(d + 48, 0, 0x2000, base, 0x2000, 1, 0);
    expect_section(d + 80, 0, 0, 0x7000000, 0x1000, 2, 0);
    expect_section(d + 144, 0, 0, 0x1000000, 0x3000, 3, 0);
    assert_int_equal(le32(img + total - 0x48), total - (0x10000 + 16));
    /* The returned view matches the bytes. */
    assert_int_equal(meta.count, 5);
    assert_int_equal(meta.desc_offset, 0x10010);
    assert_int_equal(meta.sec[4].mem_addr, 0x1000000);
}

/* Each hostile configuration is refused with a specific status. */
static tds_status build_with(image_config *cfg)
{
    size_t total;
    tdvf_meta meta;
    tdvf_error err = {NULL, 0};
    if (image_total_size(cfg, &total) != TDS_OK) {
        return TDS_ERR_NO_SPACE;
    }
    tds_status st = image_build(cfg, tds_mut_bytes_make(img, total), &meta, &err);
    if (st != TDS_OK) {
        assert_non_null(err.what);
    }
    return st;
}

/* The empty volume: any non-zero 4 KiB multiple; nothing written for anything else. */
/* --require-secure-boot: the 32-byte record at 0xFE0 of the metadata page, which libsecboot
 * reads back as "required"; without it the same bytes are zero (and read as no flags). */
static void test_secure_boot_record(void **state)
{
    (void)state;
    image_config cfg;
    size_t total = build_default(&cfg);
    const size_t page = total - sizeof fw; /* the firmware's first page */
    uint32_t flags = 0xFF;
    secboot_error e = {SECBOOT_R_NONE, 0};
    for (size_t i = 0; i < SECBOOT_IMAGE_REC_SIZE; i++) {
        assert_int_equal(img[page + SECBOOT_IMAGE_REC_OFFSET + i], 0);
    }
    assert_int_equal(secboot_image_flags(tds_bytes_make(img + page + SECBOOT_IMAGE_REC_OFFSET,
                                                        SECBOOT_IMAGE_REC_SIZE),
                                         &flags, &e),
                     TDS_OK);
    assert_int_equal(flags, 0);
    cfg.require_secure_boot = true;
    tdvf_meta meta;
    tdvf_error err = {"", 0};
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, total), &meta, &err), TDS_OK);
    const uint8_t *rec = img + page + SECBOOT_IMAGE_REC_OFFSET;
    assert_memory_equal(rec, secboot_guid_image_rec.b, 16);
    assert_int_equal(secboot_image_flags(tds_bytes_make(rec, SECBOOT_IMAGE_REC_SIZE), &flags, &e),
                     TDS_OK);
    assert_int_equal(flags, SECBOOT_IMAGE_REQUIRED);
    assert_int_equal(le32(img + page + 0x14), 16u + 4u * 32u); /* the descriptor, 4 sections */
}

static void test_empty_fv(void **state)
{
    (void)state;
    static uint8_t fv[0x3000];
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(fv, 0x1000)), TDS_OK);
    expect_empty_fv(fv, 0x1000);
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(fv, sizeof fv)), TDS_OK);
    expect_empty_fv(fv, sizeof fv);
    tdvf_error err = {NULL, 0};
    assert_int_equal(tdvf_fv_check(tds_bytes_make(fv, sizeof fv), &err), TDS_OK);
    memset(fv, 0x5A, sizeof fv);
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(fv, 0)), TDS_ERR_ALIGNMENT);
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(fv, 0x1800)), TDS_ERR_ALIGNMENT);
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(NULL, 0x1000)), TDS_ERR_INVALID_ARG);
    for (size_t i = 0; i < sizeof fv; i++) {
        assert_int_equal(fv[i], 0x5A);
    }
}

static void test_rejects_bad_firmware(void **state)
{
    (void)state;
    image_config cfg;
    make_fw();
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    fw[0x10] = 1; /* metadata page not free */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    make_fw();
    fw[FW_SIZE - 0x30] = 1; /* tail reserve not free */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    make_fw();
    fw[FW_SIZE - 0x11] = 1; /* last byte of the reserve */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    make_fw();
    memset(fw + FW_SIZE - 16, 0, 16); /* no reset vector */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    make_fw();
    cfg.firmware.len = FW_SIZE - 16; /* not a page multiple */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.firmware.len = 0x1000; /* too small */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.firmware = tds_bytes_make(NULL, 0x2000); /* invalid slice */
    assert_int_equal(build_with(&cfg), TDS_ERR_INVALID_ARG);
}

static void test_rejects_bad_sections(void **state)
{
    (void)state;
    image_config cfg;
    make_fw();
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1800;
    assert_int_equal(build_with(&cfg), TDS_ERR_ALIGNMENT);
    cfg.cfv_size = 0;
    assert_int_equal(build_with(&cfg), TDS_ERR_ALIGNMENT);
    cfg.cfv_size = 0x1000;
    /* CFV content must be a firmware volume of exactly the section's size. */
    static uint8_t fv[0x2000];
    assert_int_equal(image_write_empty_fv(tds_mut_bytes_make(fv, sizeof fv)), TDS_OK);
    cfg.cfv = tds_bytes_make(fv, sizeof fv); /* a valid volume, larger than the section */
    assert_int_equal(build_with(&cfg), TDS_ERR_MISMATCH);
    cfg.cfv = tds_bytes_make(fv, 0x1000); /* the section's size, but FvLength says 0x2000 */
    assert_int_equal(build_with(&cfg), TDS_ERR_MISMATCH);
    cfg.cfv_size = 0x2000; /* a volume of the section's size */
    cfg.cfv = tds_bytes_make(fv, sizeof fv);
    assert_int_equal(build_with(&cfg), TDS_OK);
    fv[40] = 'X'; /* not a volume: tdvf_fv_check's reason */
    size_t total = 0;
    tdvf_meta meta;
    tdvf_error err = {NULL, 0};
    assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, total), &meta, &err),
                     TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "firmware volume: Signature is not '_FVH'");
    cfg.cfv = tds_bytes_make(NULL, 0);

    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.ram[1].addr = 0x100800; /* misaligned */
    assert_int_equal(build_with(&cfg), TDS_ERR_ALIGNMENT);
    cfg.ram[1].addr = 0x100000;
    cfg.ram[1].size = 0;
    assert_int_equal(build_with(&cfg), TDS_ERR_ALIGNMENT);
    cfg.ram[1].size = 0x700000;
    cfg.ram[1].type = TDVF_SEC_PERM_MEM; /* QEMU would refuse it */
    assert_int_equal(build_with(&cfg), TDS_ERR_UNSUPPORTED);
    cfg.ram[1].type = TDVF_SEC_TEMP_MEM;
    cfg.ram[1].addr = 0x810000; /* overlaps the TD_HOB */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.ram[1].addr = 0xFFFF0000; /* inside the image window */
    cfg.ram[1].size = 0x1000;
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.ram[1].addr = 0xFFFFFFFFFFFFF000ull; /* wraps past 2^64 */
    cfg.ram[1].size = 0x2000;
    assert_int_equal(build_with(&cfg), TDS_ERR_OVERFLOW);
    cfg.ram[1].addr = 0x100000;
    cfg.ram[1].size = 0x700000;
    cfg.ram[1].type = TDVF_SEC_TD_HOB; /* two TD_HOBs: td-shim refuses */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.ram[1].type = TDVF_SEC_TEMP_MEM;
    cfg.ram[0].type = TDVF_SEC_TEMP_MEM; /* no TD_HOB: QEMU refuses */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.ram[0].type = TDVF_SEC_TD_HOB;
    cfg.ram_count = IMAGE_MAX_RAM_SECTIONS + 1;
    assert_int_equal(build_with(&cfg), TDS_ERR_INVALID_ARG);
    cfg.ram_count = 2;
    assert_int_equal(build_with(&cfg), TDS_OK);
}

static void test_size_limits(void **state)
{
    (void)state;
    image_config cfg;
    size_t total = 0;
    make_fw();
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = IMAGE_MAX_SIZE - FW_SIZE;
    assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
    assert_int_equal(total, IMAGE_MAX_SIZE);
    cfg.cfv_size += 0x1000;
    assert_int_equal(image_total_size(&cfg, &total), TDS_ERR_NO_SPACE);
    cfg.cfv_size = UINT64_MAX;
    assert_int_not_equal(image_total_size(&cfg, &total), TDS_OK);
    /* Output buffer of the wrong size. */
    tdvf_meta meta;
    tdvf_error err;
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, 0x20000 - 1), &meta, &err),
                     TDS_ERR_INVALID_ARG);
}

static uint8_t payload[0x1801];

/*
 * [CFV 64K][payload 0x1801 -> 0x2000][gap][fw 64K]: every byte and field from the references. A
 * gap of 0xE000 zero bytes (in no section) makes the image (0x22000 -> 0x30000) a 64 KiB multiple
 * for QEMU -bios; the CFV keeps its 64 KiB.
 */
static void check_payload_image(uint32_t type)
{
    image_config cfg;
    tdvf_meta meta;
    tdvf_error err = {"", 0};
    size_t E = 0;
    make_fw();
    for (size_t i = 0; i < sizeof payload; i++) {
        payload[i] = (uint8_t)(i * 7u + 3u);
    }
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.has_payload = true;
    cfg.payload = tds_bytes_make(payload, sizeof payload);
    cfg.payload_type = type;
    assert_int_equal(image_total_size(&cfg, &E), TDS_OK);
    assert_int_equal(E, 0x30000);
    size_t cfv = 0;
    assert_int_equal(image_cfv_size(&cfg, &cfv), TDS_OK);
    assert_int_equal(cfv, 0x10000);
    size_t gap = 0;
    assert_int_equal(image_gap_size(&cfg, &gap), TDS_OK);
    assert_int_equal(gap, 0xE000);
    memset(img, 0xEE, sizeof img);
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, E), &meta, &err), TDS_OK);
    const uint8_t *end = img + E;
    const uint64_t base = 0x100000000ull - E;
    /* The CFV an empty 64 KiB FV; payload bytes at file 0x10000 (GPA base + 0x10000), zero
     * padding to 0x12000, then the gap's zeros to 0x20000. */
    expect_empty_fv(img, 0x10000);
    assert_memory_equal(img + 0x10000, payload, sizeof payload);
    for (size_t i = 0x10000 + sizeof payload; i < 0x20000; i++) {
        assert_int_equal(img[i], 0);
    }
    /* Firmware moved up; reset vector still the last 16 bytes. */
    assert_memory_equal(img + 0x21000, fw + 0x1000, FW_SIZE - 0x1000 - 0x60);
    assert_memory_equal(end - 0x10, fw + FW_SIZE - 16, 16);
    /* Both locators: QEMU's (end - u32 at end-0x48) and td-shim's (u32 at end-0x20). */
    const uint32_t desc = (uint32_t)(E - le32(end - 0x48));
    assert_int_equal(desc, 0x20010);
    assert_int_equal(le32(end - 0x20), desc);
    assert_memory_equal(img + desc - 16, meta_guid, 16);
    uint32_t a = 0;
    uint32_t b = 0;
    assert_int_equal(tdvf_locate_qemu(tds_bytes_make(img, E), &a), TDS_OK);
    assert_int_equal(tdvf_locate_tdshim(tds_bytes_make(img, E), &b), TDS_OK);
    assert_int_equal(a, desc);
    assert_int_equal(b, desc);
    const uint8_t *d = img + desc;
    assert_int_equal(le32(d + 4), 16 + 32 * 5);
    assert_int_equal(le32(d + 12), 5);
    assert_int_equal(base, 0xFFFD0000ull);
    expect_section(d + 16, 0x20000, FW_SIZE, base + 0x20000, FW_SIZE, 0, 1);
    expect_section(d + 48, 0, 0x10000, base, 0x10000, 1, 0);
    expect_section(d + 80, 0, 0, 0x800000, 0x20000, 2, 0);
    expect_section(d + 112, 0, 0, 0x100000, 0x700000, 3, 0);
    expect_section(d + 144, 0x10000, 0x2000, base + 0x10000, 0x2000, type,
                   type == TDVF_SEC_BFV ? 1 : 0);
    /* The returned view: the reader's payload rule names the last section, in the image. */
    const tdvf_section *p = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    assert_int_equal(tdvf_find_payload(&meta, E, &p, &kind, &err), TDS_OK);
    assert_ptr_equal(p, &meta.sec[4]);
    assert_int_equal(kind, TDVF_PAYLOAD_IMAGE);
    assert_int_equal(img[E], 0xEE);
}

static void test_payload_image(void **state)
{
    (void)state;
    check_payload_image(TDVF_SEC_BFV);
    check_payload_image(TDVF_SEC_PAYLOAD);
}

static void test_payload_refused(void **state)
{
    (void)state;
    image_config cfg;
    size_t total = 0;
    make_fw();
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.has_payload = true;
    cfg.payload_type = TDVF_SEC_BFV;
    cfg.payload = tds_bytes_make(payload, 0); /* empty */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.payload = tds_bytes_make(NULL, 0x1000); /* invalid slice */
    assert_int_equal(build_with(&cfg), TDS_ERR_MALFORMED);
    cfg.payload = tds_bytes_make(payload, sizeof payload);
    cfg.payload_type = TDVF_SEC_TEMP_MEM; /* not a payload type */
    assert_int_equal(build_with(&cfg), TDS_ERR_UNSUPPORTED);
    cfg.payload_type = TDVF_SEC_PAYLOAD;
    /* Exactly the 16 MiB limit fits, one byte more (one more page) does not. */
    cfg.payload = tds_bytes_make(img, IMAGE_MAX_SIZE - 0x10000 - FW_SIZE);
    assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
    assert_int_equal(total, IMAGE_MAX_SIZE);
    cfg.payload.len++;
    assert_int_equal(image_total_size(&cfg, &total), TDS_ERR_NO_SPACE);
    assert_int_equal(build_with(&cfg), TDS_ERR_NO_SPACE);
    /* Already a 64 KiB multiple: no gap. The CFV never grows. */
    size_t psize = 1;
    cfg.payload.len = 0x10000 - 0x1000;
    cfg.cfv_size = 0x1000;
    assert_int_equal(image_gap_size(&cfg, &psize), TDS_OK);
    assert_int_equal(psize, 0);
    cfg.payload.len = 1; /* 4 + 4 + 64 KiB -> 128 KiB: a 56 KiB gap */
    assert_int_equal(image_gap_size(&cfg, &psize), TDS_OK);
    assert_int_equal(psize, 0xE000);
    assert_int_equal(image_cfv_size(&cfg, &psize), TDS_OK);
    assert_int_equal(psize, 0x1000);
    cfg.has_payload = false; /* 4 + 64 KiB -> 128 KiB: a 60 KiB gap */
    assert_int_equal(image_gap_size(&cfg, &psize), TDS_OK);
    assert_int_equal(psize, 0xF000);
    assert_int_equal(image_gap_size(NULL, &psize), TDS_ERR_INVALID_ARG);
    assert_int_equal(image_payload_size(&cfg, &psize), TDS_OK);
    assert_int_equal(psize, 0);
    assert_int_equal(image_payload_size(NULL, &psize), TDS_ERR_INVALID_ARG);
    assert_int_equal(image_cfv_size(NULL, &psize), TDS_ERR_INVALID_ARG);
}

/*
 * A VMM-placed payload region: no bytes added (the image is byte for byte the one without it
 * except the metadata page), one more section, last: DataOffset 0, RawDataSize 0, the region,
 * type 5, attributes 0.
 */
static uint8_t plain[0x20000];

static const uint8_t *end_of(size_t e)
{
    return img + e;
}

static void test_payload_region_image(void **state)
{
    (void)state;
    image_config cfg;
    tdvf_meta meta;
    tdvf_error err = {"", 0};
    size_t E = 0;
    const size_t E0 = build_default(&cfg); /* the same image without the region */
    memcpy(plain, img, E0);
    cfg.has_payload_region = true;
    cfg.region_addr = 0x4000000;
    cfg.region_size = 0x600000;
    assert_int_equal(image_total_size(&cfg, &E), TDS_OK);
    assert_int_equal(E, E0); /* no growth: no bytes, and no CFV fill */
    size_t cfv = 0;
    assert_int_equal(image_cfv_size(&cfg, &cfv), TDS_OK);
    assert_int_equal(cfv, 0x10000);
    memset(img, 0xEE, sizeof img);
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, E), &meta, &err), TDS_OK);
    const uint32_t desc = 0x10010;
    const uint8_t *d = img + desc;
    assert_int_equal(le32(end_of(E) - 0x20), desc);
    assert_int_equal(le32(d + 4), 16 + 32 * 5);
    assert_int_equal(le32(d + 12), 5);
    /* Sections 0-3 exactly as without the region, then the region. */
    assert_memory_equal(d + 16, plain + desc + 16, (size_t)4 * 32);
    expect_section(d + 144, 0, 0, 0x4000000, 0x600000, 5, 0);
    /* Everything else identical: outside [desc + 4, desc + 16) and the new entry. */
    assert_memory_equal(img, plain, desc + 4);
    assert_memory_equal(img + desc + 8, plain + desc + 8, 4); /* Version */
    assert_memory_equal(img + desc + 176, plain + desc + 176, E - desc - 176);
    assert_int_equal(img[E], 0xEE);
    const tdvf_section *p = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    assert_int_equal(tdvf_find_payload(&meta, E, &p, &kind, &err), TDS_OK);
    assert_ptr_equal(p, &meta.sec[4]);
    assert_int_equal(kind, TDVF_PAYLOAD_VMM);
}

static void test_payload_region_refused(void **state)
{
    (void)state;
    image_config cfg;
    tdvf_meta meta;
    make_fw();
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.has_payload_region = true;
    cfg.region_addr = 0x4000000;
    cfg.region_size = 0x200000;
    assert_int_equal(build_with(&cfg), TDS_OK);
    /* Exclusive with a payload in the image. */
    cfg.has_payload = true;
    cfg.payload = tds_bytes_make(payload, sizeof payload);
    cfg.payload_type = TDVF_SEC_PAYLOAD;
    tdvf_error err = {NULL, 0};
    size_t total = 0;
    assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, total), &meta, &err),
                     TDS_ERR_INVALID_ARG);
    assert_string_equal(err.what,
                        "a payload in the image and a VMM-placed payload region are exclusive");
    cfg.has_payload = false;
    /* The read-back holds the region to tdvf_find_payload's rules, with their reasons. */
    struct {
        uint64_t addr, size;
        tds_status st;
        const char *what;
    } bad[] = {
        {0x4000000, 0x200800, TDS_ERR_ALIGNMENT,
         "VMM-placed payload region address or size not 4 KiB aligned"},
        {0x4000800, 0x200000, TDS_ERR_ALIGNMENT, "MemoryAddress not 4 KiB aligned"},
        {0x4000000, 0, TDS_ERR_MALFORMED, "VMM-placed payload region is empty (MemoryDataSize 0)"},
        {0xFFFFFFFFFFE00000ull, 0x400000, TDS_ERR_OVERFLOW, "VMM-placed payload region wraps"},
        {0x100000000ull, 0x200000, TDS_ERR_OUT_OF_BOUNDS,
         "VMM-placed payload region not below the image (4 GiB - image size)"},
        {0x800000, 0x1000, TDS_ERR_MALFORMED,
         "VMM-placed payload region overlaps the TD_HOB section"},
        {0x400000, 0x1000, TDS_ERR_MALFORMED,
         "VMM-placed payload region overlaps a TempMem section"},
        {0xFFFFF000, 0x1000, TDS_ERR_MALFORMED, "VMM-placed payload region overlaps a BFV section"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg.region_addr = bad[i].addr;
        cfg.region_size = bad[i].size;
        assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
        err.what = NULL;
        assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, total), &meta, &err), bad[i].st);
        assert_string_equal(err.what, bad[i].what);
        assert_int_equal(err.section, 4);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_layout_every_field),
        cmocka_unit_test(test_custom_cfv_and_ram),
        cmocka_unit_test(test_empty_fv),
        cmocka_unit_test(test_secure_boot_record),
        cmocka_unit_test(test_rejects_bad_firmware),
        cmocka_unit_test(test_rejects_bad_sections),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_payload_image),
        cmocka_unit_test(test_payload_refused),
        cmocka_unit_test(test_payload_region_image),
        cmocka_unit_test(test_payload_region_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
