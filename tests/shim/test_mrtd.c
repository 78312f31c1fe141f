/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reference MRTD: the known answers of TDX module source tdh_mem_page_add.c and tdh_mr_extend.c
 * (MRTD), ordering, PAGE.AUG, hostile sections. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha512.h>

#include "image_build.h"
#include "measure_image.h"
#include "mrtd.h"

static void hex(const uint8_t *d, char *out)
{
    for (size_t i = 0; i < MRTD_SIZE; i++) {
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    }
}

static void expect_mrtd(const tdvf_meta *m, tds_bytes image, const char *want)
{
    uint8_t d[MRTD_SIZE];
    char got[2 * MRTD_SIZE + 1];
    tdvf_error err;
    assert_int_equal(mrtd_compute(m, image, d, &err), TDS_OK);
    hex(d, got);
    assert_string_equal(got, want);
}

static void set_sec(tdvf_section *s, uint32_t off, uint32_t raw, uint64_t addr, uint64_t size,
                    uint32_t type, uint32_t attr)
{
    s->data_offset = off;
    s->raw_size = raw;
    s->mem_addr = addr;
    s->mem_size = size;
    s->type = type;
    s->attributes = attr;
}

static uint8_t page[0x4000];

static void test_known_answers(void **state)
{
    (void)state;
    tdvf_meta m;
    memset(&m, 0, sizeof m);
    memset(page, 0, sizeof page);
    /* No pages at all: SHA-384 of the empty string. */
    expect_mrtd(&m, tds_bytes_make(NULL, 0),
                "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd5"
                "1ad2f14898b95b");
    /* One PAGE.ADD at 0x800000. */
    m.count = 1;
    set_sec(&m.sec[0], 0, 0, 0x800000, 0x1000, TDVF_SEC_TEMP_MEM, 0);
    expect_mrtd(&m, tds_bytes_make(NULL, 0),
                "73e66eb2f63d5a2c92c756c54b86b24f1a3d87c07a191518580ba4b227f9edda1faeb4223ffb2dd70c"
                "789055f9af5e7c");
    /* One zero page at 0xFFFFF000 with PAGE.ADD + 16 MR.EXTEND. */
    set_sec(&m.sec[0], 0, 0x1000, 0xFFFFF000, 0x1000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    expect_mrtd(&m, tds_bytes_make(page, 0x1000),
                "07f08f558c5e2593b33452cf00c12a165c07b027a36424ecfa15ebf39b5415e0ed62418458e4bfd77f"
                "16fec0f1568dc9");
}

static void test_block_layout(void **state)
{
    (void)state;
    uint8_t b[MRTD_BLOCK];
    memset(b, 0xCC, sizeof b);
    mrtd_block(b, "MR.EXTEND", 0x0123456789ABCDEFull);
    assert_memory_equal(b, "MR.EXTEND\0\0\0\0\0\0\0", 16);
    assert_int_equal(b[16], 0xEF);
    assert_int_equal(b[23], 0x01);
    for (size_t i = 24; i < MRTD_BLOCK; i++) {
        assert_int_equal(b[i], 0);
    }
    mrtd_block(b, "MEM.PAGE.ADD", 0x1000);
    assert_memory_equal(b, "MEM.PAGE.ADD\0\0\0\0", 16);
    assert_int_equal(b[17], 0x10);
}

/* The same stream hashed in one shot, built independently of mrtd.c's loop. */
static void test_stream_and_order(void **state)
{
    (void)state;
    static uint8_t stream[2 * (128 + 16 * (128 + 256)) + 2 * 128];
    size_t n = 0;
    for (size_t i = 0; i < sizeof page; i++) {
        page[i] = (uint8_t)(i * 31u + 7u);
    }
    tdvf_meta m;
    memset(&m, 0, sizeof m);
    m.count = 2;
    /* BFV: two pages from image offset 0x1000, then a TempMem of two pages. */
    set_sec(&m.sec[0], 0x1000, 0x2000, 0xFFFFE000, 0x2000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    set_sec(&m.sec[1], 0, 0, 0x100000, 0x2000, TDVF_SEC_TEMP_MEM, 0);
    for (uint64_t p = 0; p < 2; p++) {
        uint64_t gpa = 0xFFFFE000 + p * 0x1000;
        memset(stream + n, 0, 128);
        memcpy(stream + n, "MEM.PAGE.ADD", 13); /* with its NUL: byte 12 is zero */
        tds_store_le64(stream + n + 16, gpa);
        n += 128;
        for (uint64_t c = 0; c < 16; c++) {
            memset(stream + n, 0, 128);
            memcpy(stream + n, "MR.EXTEND", 10);
            tds_store_le64(stream + n + 16, gpa + c * 256);
            n += 128;
            memcpy(stream + n, page + 0x1000 + p * 0x1000 + c * 256, 256);
            n += 256;
        }
    }
    for (uint64_t p = 0; p < 2; p++) {
        memset(stream + n, 0, 128);
        memcpy(stream + n, "MEM.PAGE.ADD", 13); /* with its NUL: byte 12 is zero */
        tds_store_le64(stream + n + 16, 0x100000 + p * 0x1000);
        n += 128;
    }
    assert_int_equal(n, sizeof stream);
    uint8_t want[64];
    assert_int_equal(mbedtls_sha512_ret(stream, n, want, 1), 0);
    uint8_t got[MRTD_SIZE];
    tdvf_error err;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), got, &err), TDS_OK);
    assert_memory_equal(got, want, MRTD_SIZE);

    /* Metadata order matters. */
    tdvf_meta swapped = m;
    swapped.sec[0] = m.sec[1];
    swapped.sec[1] = m.sec[0];
    uint8_t other[MRTD_SIZE];
    assert_int_equal(mrtd_compute(&swapped, tds_bytes_make(page, sizeof page), other, &err),
                     TDS_OK);
    assert_memory_not_equal(other, got, MRTD_SIZE);
    /* Content outside the measured bytes does not matter; inside it does. */
    page[0] ^= 1;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), other, &err), TDS_OK);
    assert_memory_equal(other, got, MRTD_SIZE);
    page[0x2FFF] ^= 1;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), other, &err), TDS_OK);
    assert_memory_not_equal(other, got, MRTD_SIZE);
    page[0x2FFF] ^= 1;
    /* PAGE.AUG sections contribute nothing, whatever their fields. */
    m.count = 3;
    set_sec(&m.sec[2], 0, 0, 0x12345, 0x1, TDVF_SEC_PERM_MEM, TDVF_ATTR_PAGE_AUG);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), other, &err), TDS_OK);
    assert_memory_equal(other, got, MRTD_SIZE);
}

static void test_hostile_sections(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    uint8_t out[MRTD_SIZE];
    memset(out, 0xA5, sizeof out);
    memset(&m, 0, sizeof m);
    m.count = 1;
    set_sec(&m.sec[0], 0, 0, 0x800800, 0x1000, TDVF_SEC_TEMP_MEM, 0);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_ALIGNMENT);
    set_sec(&m.sec[0], 0, 0, 0xFFFFFFFFFFFFF000ull, 0x2000, TDVF_SEC_TEMP_MEM, 0);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_OVERFLOW);
    set_sec(&m.sec[0], 0x3000, 0x2000, 0xFFFFE000, 0x2000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    set_sec(&m.sec[0], UINT32_MAX, 0x1000, 0xFFFFF000, 0x1000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    set_sec(&m.sec[0], 0, 0x1000, 0xFFFFE000, 0x2000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.section, 0);
    m.count = TDVF_MAX_SECTIONS + 1;
    assert_int_equal(mrtd_compute(&m, tds_bytes_make(page, sizeof page), out, &err),
                     TDS_ERR_INVALID_ARG);
    for (size_t i = 0; i < sizeof out; i++) {
        assert_int_equal(out[i], 0xA5); /* untouched on failure */
    }
}

/* Feed `pages` pages at gpa to ctx: PAGE.ADD, and with content the 16 MR.EXTEND chunks. */
static void feed(mbedtls_sha512_context *ctx, uint64_t gpa, uint64_t pages, const uint8_t *content)
{
    uint8_t b[128];
    for (uint64_t p = 0; p < pages; p++) {
        memset(b, 0, sizeof b);
        memcpy(b, "MEM.PAGE.ADD", 13); /* with its NUL */
        tds_store_le64(b + 16, gpa + p * 0x1000);
        assert_int_equal(mbedtls_sha512_update_ret(ctx, b, sizeof b), 0);
        for (uint64_t c = 0; content != NULL && c < 16; c++) {
            memset(b, 0, sizeof b);
            memcpy(b, "MR.EXTEND", 10);
            tds_store_le64(b + 16, gpa + p * 0x1000 + c * 256);
            assert_int_equal(mbedtls_sha512_update_ret(ctx, b, sizeof b), 0);
            assert_int_equal(mbedtls_sha512_update_ret(ctx, content + p * 0x1000 + c * 256, 256),
                             0);
        }
    }
}

static uint8_t fw[0x2000];
static uint8_t payload[0x1801];
static uint8_t img[0x10000];

/*
 * An image with a payload: [CFV 4K][payload 0x2000][gap 0xB000, in no section][fw 0x2000] = 64 KiB
 * at 0xFFFF0000. Expected MRTD assembled from that layout by hand: shim BFV (MR.EXTEND), CFV,
 * TD_HOB, TempMem, then the payload: MR.EXTEND as a second BFV, PAGE.ADD only as type 5.
 */
static void test_payload_image(void **state)
{
    (void)state;
    uint8_t got[2][MRTD_SIZE];
    for (int t = 0; t < 2; t++) {
        const uint32_t type = t == 0 ? TDVF_SEC_BFV : TDVF_SEC_PAYLOAD;
        image_config cfg;
        tdvf_meta meta;
        tdvf_error err;
        memset(fw, 0, sizeof fw);
        memset(fw + 0x1000, 0x3C, 0x800);
        memset(fw + sizeof fw - 16, 0xF4, 16);
        for (size_t i = 0; i < sizeof payload; i++) {
            payload[i] = (uint8_t)(i * 5u + 1u);
        }
        image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
        cfg.cfv_size = 0x1000;
        cfg.has_payload = true;
        cfg.payload = tds_bytes_make(payload, sizeof payload);
        cfg.payload_type = type;
        assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, sizeof img), &meta, &err),
                         TDS_OK);
        assert_int_equal(mrtd_compute(&meta, tds_bytes_make(img, sizeof img), got[t], &err),
                         TDS_OK);

        mbedtls_sha512_context ctx;
        uint8_t want[64];
        mbedtls_sha512_init(&ctx);
        assert_int_equal(mbedtls_sha512_starts_ret(&ctx, 1), 0);
        feed(&ctx, 0xFFFFE000, 2, img + 0xE000);
        feed(&ctx, 0xFFFF0000, 1, NULL); /* the CFV; the gap is in no section: not added */
        feed(&ctx, 0x800000, 0x20, NULL);
        feed(&ctx, 0x100000, 0x700, NULL);
        feed(&ctx, 0xFFFF1000, 2, type == TDVF_SEC_BFV ? img + 0x1000 : NULL);
        assert_int_equal(mbedtls_sha512_finish_ret(&ctx, want), 0);
        mbedtls_sha512_free(&ctx);
        assert_memory_equal(got[t], want, MRTD_SIZE);

        /* The payload as the shim and rtmr --image see it: file + padding, at its GPA. */
        tdvf_meta m2;
        const tdvf_section *sec = NULL;
        tdvf_payload_kind kind = (tdvf_payload_kind)0;
        tds_bytes bytes;
        assert_int_equal(
            measure_image_payload(tds_bytes_make(img, sizeof img), &m2, &sec, &kind, &bytes, &err),
            TDS_OK);
        assert_int_equal(kind, TDVF_PAYLOAD_IMAGE);
        assert_ptr_equal(bytes.ptr, img + 0x1000);
        assert_int_equal(bytes.len, 0x2000);
        assert_memory_equal(bytes.ptr, payload, sizeof payload);
        assert_ptr_equal(sec, &m2.sec[4]);
        assert_int_equal(sec->mem_addr, 0xFFFF1000);
        assert_int_equal(sec->type, type);
    }
    assert_memory_not_equal(got[0], got[1], MRTD_SIZE);
}

static void test_image_payload_hostile(void **state)
{
    (void)state;
    image_config cfg;
    tdvf_meta meta;
    tdvf_error err;
    const tdvf_section *sec = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    tds_bytes bytes = {NULL, 0};
    /* No payload: its own status and message. */
    memset(fw, 0, sizeof fw);
    memset(fw + sizeof fw - 16, 0xF4, 16);
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1000;
    /* [CFV 4K][gap 0xD000][fw 8K] = 64 KiB: the descriptor at 0xE010. */
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, 0x10000), &meta, &err), TDS_OK);
    assert_int_equal(
        measure_image_payload(tds_bytes_make(img, 0x10000), &meta, &sec, &kind, &bytes, &err),
        TDS_ERR_NOT_FOUND);
    assert_string_equal(err.what, "the image has no payload section");
    /* No metadata at all; a footer and a pointer that disagree. */
    assert_int_equal(
        measure_image_payload(tds_bytes_make(img, 0x2000), &meta, &sec, &kind, &bytes, &err),
        TDS_ERR_MALFORMED); /* no footer (not TDS_ERR_NOT_FOUND: that is "no payload") */
    assert_string_equal(err.what, "TDVF metadata not found through the OVMF footer table");
    tds_store_le32(img + 0x10000 - 0x20, 0xE010 + 0x20); /* td-shim pointer off by 0x20 */
    memcpy(img + 0xE010 + 0x10, img + 0xE000, 16);       /* with a GUID in front of it */
    assert_int_equal(
        measure_image_payload(tds_bytes_make(img, 0x10000), &meta, &sec, &kind, &bytes, &err),
        TDS_ERR_MISMATCH);
    assert_null(sec);
    assert_null(bytes.ptr);
    assert_int_equal(
        measure_image_payload(tds_bytes_make(NULL, 1), &meta, &sec, &kind, &bytes, &err),
        TDS_ERR_INVALID_ARG);
}

/*
 * A VMM-placed payload: [CFV 4K][gap 0xD000][fw 8K] = 0x10000 at 0xFFFF0000, the region 2 MiB at
 * 64 MiB.
 * Its section adds what the reference algorithm says a section with attributes 0 adds
 * (TDX module source tdh_mem_page_add.c and tdh_mr_extend.c (MRTD)): one PAGE.ADD block per 4 KiB
 * page of MemoryDataSize, no MR.EXTEND, after the other sections (it is last). Nothing else about
 * the image changes but its metadata page.
 */
static uint8_t plain[0x10000];

static void test_vmm_region_image(void **state)
{
    (void)state;
    image_config cfg;
    tdvf_meta meta;
    tdvf_error err;
    uint8_t got[MRTD_SIZE];
    uint8_t got_plain[MRTD_SIZE];
    memset(fw, 0, sizeof fw);
    memset(fw + 0x1000, 0x3C, 0x800);
    memset(fw + sizeof fw - 16, 0xF4, 16);
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1000;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(plain, sizeof plain), &meta, &err),
                     TDS_OK);
    assert_int_equal(mrtd_compute(&meta, tds_bytes_make(plain, sizeof plain), got_plain, &err),
                     TDS_OK);
    cfg.has_payload_region = true;
    cfg.region_addr = 0x4000000;
    cfg.region_size = 0x200000;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, sizeof plain), &meta, &err), TDS_OK);
    assert_int_equal(meta.count, 5);
    assert_int_equal(mrtd_compute(&meta, tds_bytes_make(img, sizeof plain), got, &err), TDS_OK);
    /* The images differ only in the descriptor (Length, count, the fifth entry). */
    assert_memory_equal(img, plain, 0xE014);
    assert_memory_equal(img + 0xE018, plain + 0xE018, 4);
    assert_memory_equal(img + 0xE020, plain + 0xE020, (size_t)4 * 32);
    assert_memory_equal(img + 0xE0C0, plain + 0xE0C0, sizeof plain - 0xE0C0);

    /* By hand, from the layout: the four sections as without the region, then 512 PAGE.ADDs. */
    mbedtls_sha512_context ctx;
    uint8_t want[64] = {0};
    uint8_t want_plain[64] = {0};
    for (int with = 0; with < 2; with++) {
        const uint8_t *image = with ? img : plain;
        mbedtls_sha512_init(&ctx);
        assert_int_equal(mbedtls_sha512_starts_ret(&ctx, 1), 0);
        feed(&ctx, 0xFFFFE000, 2, image + 0xE000); /* shim BFV: content incl. the descriptor */
        feed(&ctx, 0xFFFF0000, 1, NULL);           /* CFV (the gap is in no section) */
        feed(&ctx, 0x800000, 0x20, NULL);          /* TD_HOB */
        feed(&ctx, 0x100000, 0x700, NULL);         /* TempMem */
        if (with) {
            feed(&ctx, 0x4000000, 0x200, NULL); /* the region: PAGE.ADD only */
        }
        assert_int_equal(mbedtls_sha512_finish_ret(&ctx, with ? want : want_plain), 0);
        mbedtls_sha512_free(&ctx);
    }
    assert_memory_equal(got_plain, want_plain, MRTD_SIZE);
    assert_memory_equal(got, want, MRTD_SIZE);
    assert_memory_not_equal(got, got_plain, MRTD_SIZE);
    /* The region's size and place are in MRTD (its PAGE.ADD GPAs), its content is not. */
    meta.sec[4].mem_size = 0x1FF000;
    assert_int_equal(mrtd_compute(&meta, tds_bytes_make(img, sizeof plain), want, &err), TDS_OK);
    assert_memory_not_equal(got, want, MRTD_SIZE);

    /* measure_image_payload: the section and its kind, no bytes (they are not in the image). */
    tdvf_meta m2;
    const tdvf_section *sec = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    tds_bytes bytes = {img, 1};
    assert_int_equal(
        measure_image_payload(tds_bytes_make(img, sizeof plain), &m2, &sec, &kind, &bytes, &err),
        TDS_OK);
    assert_int_equal(kind, TDVF_PAYLOAD_VMM);
    assert_ptr_equal(sec, &m2.sec[4]);
    assert_int_equal(sec->mem_addr, 0x4000000);
    assert_int_equal(sec->mem_size, 0x200000);
    assert_int_equal(bytes.len, 0);
    /* A broken region is refused with the payload rule's reason. */
    tds_store_le64(img + 0xE0B0 /* sec 4 MemoryDataSize */, 0x200800);
    sec = NULL;
    assert_int_equal(
        measure_image_payload(tds_bytes_make(img, sizeof plain), &m2, &sec, &kind, &bytes, &err),
        TDS_ERR_ALIGNMENT);
    assert_string_equal(err.what, "VMM-placed payload region address or size not 4 KiB aligned");
    assert_null(sec);
}

/* The region as the VMM leaves it: the file at its start, zeros up to its size. */
static void test_vmm_region_bytes(void **state)
{
    (void)state;
    static const uint8_t file[5] = {1, 2, 3, 4, 5};
    uint8_t region[0x2000];
    memset(region, 0xEE, sizeof region);
    assert_int_equal(
        measure_vmm_region(tds_bytes_make(file, sizeof file), tds_mut_bytes_make(region, 0x1000)),
        TDS_OK);
    assert_memory_equal(region, file, sizeof file);
    for (size_t i = sizeof file; i < 0x1000; i++) {
        assert_int_equal(region[i], 0);
    }
    assert_int_equal(region[0x1000], 0xEE); /* not one byte past it */
    /* Exactly the region's size fits; one byte more does not (nothing written). */
    memset(region, 0xEE, sizeof region);
    assert_int_equal(measure_vmm_region(tds_bytes_make(region + 0x1000, 0x1000),
                                        tds_mut_bytes_make(region, 0x1000)),
                     TDS_OK);
    assert_int_equal(region[0xFFF], 0xEE);
    memset(region, 0x11, 0x1000);
    assert_int_equal(measure_vmm_region(tds_bytes_make(file, sizeof file),
                                        tds_mut_bytes_make(region, sizeof file - 1)),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(region[0], 0x11);
    assert_int_equal(measure_vmm_region(tds_bytes_make(NULL, 1), tds_mut_bytes_make(region, 1)),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(measure_vmm_region(tds_bytes_make(file, 1), tds_mut_bytes_make(NULL, 1)),
                     TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_answers),    cmocka_unit_test(test_block_layout),
        cmocka_unit_test(test_stream_and_order), cmocka_unit_test(test_hostile_sections),
        cmocka_unit_test(test_payload_image),    cmocka_unit_test(test_image_payload_hostile),
        cmocka_unit_test(test_vmm_region_image), cmocka_unit_test(test_vmm_region_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
