/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* shim/tdvf reader: locators, descriptor parser and the three rule sets, on hostile images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image_build.h"
#include "tdvf.h"

#define FW_SIZE 0x4000u
#define IMG_SIZE (0x1000u + FW_SIZE)

static uint8_t fw[FW_SIZE];
static uint8_t img[IMG_SIZE];

static void build(void)
{
    image_config cfg;
    tdvf_meta meta;
    tdvf_error err;
    memset(fw, 0, sizeof fw);
    memset(fw + 0x1000, 0xAB, 0x100);
    memset(fw + FW_SIZE - 16, 0xF4, 16);
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1000;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, sizeof img), &meta, &err), TDS_OK);
}

static tds_bytes image(void)
{
    return tds_bytes_make(img, sizeof img);
}

#define DESC 0x1010u
#define SEC(i) (DESC + 16u + 32u * (i))

static void test_locate_both_ways(void **state)
{
    (void)state;
    uint32_t a = 0;
    uint32_t b = 0;
    build();
    assert_int_equal(tdvf_locate_qemu(image(), &a), TDS_OK);
    assert_int_equal(tdvf_locate_tdshim(image(), &b), TDS_OK);
    assert_int_equal(a, DESC);
    assert_int_equal(b, DESC);
    tds_bytes data;
    assert_int_equal(tdvf_footer_find(image(), &tdvf_guid_metadata_off, &data), TDS_OK);
    assert_int_equal(data.len, 4);
    assert_ptr_equal(data.ptr, img + IMG_SIZE - 0x48);
    /* A GUID that is not in the table. */
    assert_int_equal(tdvf_footer_find(image(), &tdvf_guid_metadata_hdr, &data), TDS_ERR_NOT_FOUND);
}

static void test_footer_hostile(void **state)
{
    (void)state;
    uint32_t off = 0x1234;
    tds_bytes data;
    build();
    img[IMG_SIZE - 0x30] ^= 1; /* footer GUID */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_NOT_FOUND);
    assert_int_equal(off, 0x1234);
    build();
    img[IMG_SIZE - 0x32] = 17; /* table shorter than a header */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_MALFORMED);
    build();
    img[IMG_SIZE - 0x32] = 0xFF; /* table longer than the image */
    img[IMG_SIZE - 0x31] = 0xFF;
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_MALFORMED);
    build();
    img[IMG_SIZE - 0x44] = 17; /* entry length below the header */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_MALFORMED);
    build();
    img[IMG_SIZE - 0x44] = 23; /* entry longer than the table body */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_MALFORMED);
    build();
    img[IMG_SIZE - 0x44] = 18; /* empty data: no room for the u32 */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_MALFORMED);
    build();
    tds_store_le32(img + IMG_SIZE - 0x48, IMG_SIZE + 1); /* offset before the image start */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_OUT_OF_BOUNDS);
    tds_store_le32(img + IMG_SIZE - 0x48, 15); /* descriptor header would pass the end */
    assert_int_equal(tdvf_locate_qemu(image(), &off), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(off, 0x1234);
    /* Images too small to hold a footer. */
    assert_int_equal(tdvf_footer_find(tds_bytes_make(img, 0x2F), &tdvf_guid_metadata_off, &data),
                     TDS_ERR_NOT_FOUND);
    assert_int_equal(tdvf_locate_tdshim(tds_bytes_make(img, 0x1F), &off), TDS_ERR_NOT_FOUND);
    assert_int_equal(tdvf_footer_find(tds_bytes_make(NULL, 64), &tdvf_guid_metadata_off, &data),
                     TDS_ERR_INVALID_ARG);
}

static void test_tdshim_pointer_hostile(void **state)
{
    (void)state;
    uint32_t off = 7;
    build();
    img[DESC - 1] ^= 0x80; /* metadata GUID */
    assert_int_equal(tdvf_locate_tdshim(image(), &off), TDS_ERR_MALFORMED);
    build();
    tds_store_le32(img + IMG_SIZE - 0x20, 8); /* no room for the GUID */
    assert_int_equal(tdvf_locate_tdshim(image(), &off), TDS_ERR_OUT_OF_BOUNDS);
    tds_store_le32(img + IMG_SIZE - 0x20, IMG_SIZE - 15);
    assert_int_equal(tdvf_locate_tdshim(image(), &off), TDS_ERR_OUT_OF_BOUNDS);
    tds_store_le32(img + IMG_SIZE - 0x20, UINT32_MAX); /* wrap */
    assert_int_equal(tdvf_locate_tdshim(image(), &off), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(off, 7);
}

static tds_status parse_checked(tdvf_meta *m, tdvf_error *err)
{
    TDS_TRY(tdvf_parse(image(), DESC, m, err));
    TDS_TRY(tdvf_check_qemu(m, IMG_SIZE, err));
    TDS_TRY(tdvf_check_tdshim(m, IMG_SIZE, err));
    return tdvf_check_layout(m, IMG_SIZE, err);
}

static void test_descriptor_hostile(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    build();
    assert_int_equal(parse_checked(&m, &err), TDS_OK);
    assert_int_equal(m.count, 4);
    assert_int_equal(m.sec[0].mem_addr, 0x100000000ull - IMG_SIZE + 0x1000);
    img[DESC] = 'X';
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_ERR_MALFORMED);
    build();
    img[DESC + 8] = 2; /* version */
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_ERR_UNSUPPORTED);
    build();
    tds_store_le32(img + DESC + 12, 0); /* count 0 */
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_ERR_MALFORMED);
    tds_store_le32(img + DESC + 12, TDVF_MAX_SECTIONS + 1);
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_ERR_MALFORMED);
    build();
    tds_store_le32(img + DESC + 4, 16 + 32 * 4 + 1); /* Length mismatch */
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_ERR_MALFORMED);
    build();
    /* A valid header whose sections run past the image end. */
    assert_int_equal(tdvf_parse(tds_bytes_make(img, DESC + 16 + 32 * 3 + 31), DESC, &m, &err),
                     TDS_ERR_TRUNCATED);
    assert_int_equal(err.section, 3);
    assert_int_equal(tdvf_parse(image(), IMG_SIZE - 8, &m, &err), TDS_ERR_TRUNCATED);
    assert_int_equal(tdvf_parse(image(), UINT32_MAX, &m, &err), TDS_ERR_TRUNCATED);
}

/* Corrupt one field of one section and expect a rule set to refuse it. */
static void corrupt32(uint32_t sec, uint32_t field, uint32_t v)
{
    build();
    tds_store_le32(img + SEC(sec) + field, v);
}
static void corrupt64(uint32_t sec, uint32_t field, uint64_t v)
{
    build();
    tds_store_le64(img + SEC(sec) + field, v);
}

static void test_section_rules(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    corrupt32(2, 24, TDVF_SEC_PAYLOAD); /* QEMU >= 10.1 rejects types above TempMem */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.section, 2);
    corrupt32(3, 24, 9); /* reserved type */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_UNSUPPORTED);
    corrupt32(0, 28, 0); /* BFV not MR.EXTEND: QEMU loads it, td-shim refuses */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.section, 0);
    corrupt32(1, 28, 4); /* reserved attribute bit */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    corrupt32(1, 4, 0); /* CFV without data */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    corrupt32(2, 4, 0x10); /* TD_HOB with raw data */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    corrupt32(3, 0, 0x1000); /* TempMem with a DataOffset */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    corrupt64(2, 8, 0x800800); /* misaligned address */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_ALIGNMENT);
    corrupt64(3, 16, 0x700001); /* misaligned size */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_ALIGNMENT);
    corrupt64(0, 16, 0x1000); /* MemoryDataSize < RawDataSize */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    corrupt32(0, 0, IMG_SIZE - 0x1000); /* BFV data past the end */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_OUT_OF_BOUNDS);
    corrupt32(0, 0, UINT32_MAX);
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_OUT_OF_BOUNDS);
    corrupt64(1, 8, 0xFFFFE000); /* CFV not where the image is mapped */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MISMATCH);
    corrupt64(3, 8, 0x801000); /* TempMem over the TD_HOB */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.section, 3);
    corrupt64(3, 8, 0xFFFFFFFFFFF00000ull); /* wraps */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_OVERFLOW);
    corrupt64(3, 16, 0); /* empty range */
    assert_int_equal(parse_checked(&m, &err), TDS_ERR_OVERFLOW);
    corrupt32(3, 24, TDVF_SEC_TD_HOB); /* two TD_HOBs */
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_check_qemu(&m, IMG_SIZE, &err), TDS_OK);
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    corrupt32(2, 24, TDVF_SEC_TEMP_MEM); /* no TD_HOB */
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_check_qemu(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    /* Fewer than two sections. */
    build();
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    m.count = 1;
    assert_int_equal(tdvf_check_qemu(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    m.count = TDVF_MAX_SECTIONS + 1;
    assert_int_equal(tdvf_check_qemu(&m, IMG_SIZE, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_ERR_INVALID_ARG);
}

static void test_tdshim_only_types(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    build();
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    m.sec[3].type = TDVF_SEC_PERM_MEM;
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    m.sec[3].attributes = TDVF_ATTR_PAGE_AUG;
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_OK);
    m.sec[3].type = TDVF_SEC_PAYLOAD_PARAM; /* without Payload */
    m.sec[3].attributes = 0;
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    m.sec[3].type = TDVF_SEC_TD_INFO; /* must have no guest memory */
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    m.sec[3].mem_addr = 0;
    m.sec[3].mem_size = 0;
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_OK);
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_OK);
    m.sec[3].type = TDVF_SEC_PAYLOAD;
    m.sec[3].attributes = TDVF_ATTR_PAGE_AUG;
    assert_int_equal(tdvf_check_tdshim(&m, IMG_SIZE, &err), TDS_ERR_MALFORMED);
    assert_string_equal(tdvf_section_type_name(TDVF_SEC_TEMP_MEM), "TempMem");
    assert_string_equal(tdvf_section_type_name(99), "reserved");
    assert_int_equal(tdvf_check_layout(&m, 0, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_check_layout(&m, 0x100000001ull, &err), TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locate_both_ways),       cmocka_unit_test(test_footer_hostile),
        cmocka_unit_test(test_tdshim_pointer_hostile), cmocka_unit_test(test_descriptor_hostile),
        cmocka_unit_test(test_section_rules),          cmocka_unit_test(test_tdshim_only_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
