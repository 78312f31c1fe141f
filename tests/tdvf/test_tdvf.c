/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libtdvf reader: locators, descriptor parser and the three rule sets, on hostile images. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "image_build.h"
#include "tdshim/tdvf.h"

#define FW_SIZE 0x4000u
#define IMG_SIZE 0x10000u /* 4 KiB CFV + the gap to 64 KiB + FW_SIZE */
#define FW_OFF (IMG_SIZE - FW_SIZE)

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

#define DESC (IMG_SIZE - FW_SIZE + 0x10u)
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
    assert_int_equal(m.sec[0].mem_addr, 0x100000000ull - FW_SIZE);
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

/* ---- One checker: tdvf_image_size_from_top, tdvf_check_image, tdvf_open ---- */

static void test_image_size_from_top(void **state)
{
    (void)state;
    tdvf_error err = {NULL, 0};
    uint64_t size = 7;
    build();
    /* The whole image, the BFV window the firmware runs from, and a file cut at the front (its
     * CFV gone): the locators at the end give the whole image's size every time. */
    assert_int_equal(tdvf_image_size_from_top(image(), UINT64_MAX, &size, &err), TDS_OK);
    assert_int_equal(size, IMG_SIZE);
    size = 7;
    const tds_bytes bfv = tds_bytes_make(img + FW_OFF, FW_SIZE);
    assert_int_equal(tdvf_image_size_from_top(bfv, 0x1000000, &size, &err), TDS_OK);
    assert_int_equal(size, IMG_SIZE);
    /* At the limit, and one byte under it. */
    assert_int_equal(tdvf_image_size_from_top(bfv, IMG_SIZE, &size, &err), TDS_OK);
    size = 7;
    err.what = NULL;
    assert_int_equal(tdvf_image_size_from_top(bfv, IMG_SIZE - 1, &size, &err), TDS_ERR_MISMATCH);
    assert_string_equal(err.what, "footer table and td-shim pointer disagree");
    assert_int_equal(err.section, UINT32_MAX);
    assert_int_equal(size, 7);
    /* A window that does not reach down to the descriptor: the entry points outside it. */
    const tds_bytes high = tds_bytes_make(img + FW_OFF + 0x1000, FW_SIZE - 0x1000);
    assert_int_equal(tdvf_image_size_from_top(high, UINT64_MAX, &size, &err), TDS_ERR_NOT_FOUND);
    assert_string_equal(err.what, "TDVF metadata not found through the OVMF footer table");
    /* A window starting at the descriptor: its GUID is below the window. */
    const tds_bytes at_desc = tds_bytes_make(img + DESC, IMG_SIZE - DESC);
    assert_int_equal(tdvf_image_size_from_top(at_desc, UINT64_MAX, &size, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "metadata GUID does not precede the descriptor");
    /* The td-shim pointer: 0 (an image smaller than the window), one less than the descriptor's
     * offset, at a 16 MiB limit, and past 4 GiB even without a limit. */
    tds_store_le32(img + IMG_SIZE - 0x20, 0);
    assert_int_equal(tdvf_image_size_from_top(bfv, UINT64_MAX, &size, &err), TDS_ERR_MISMATCH);
    tds_store_le32(img + IMG_SIZE - 0x20, DESC - 1);
    assert_int_equal(tdvf_image_size_from_top(image(), UINT64_MAX, &size, &err), TDS_ERR_MISMATCH);
    tds_store_le32(img + IMG_SIZE - 0x20, 0x1000000);
    assert_int_equal(tdvf_image_size_from_top(bfv, 0x1000000, &size, &err), TDS_ERR_MISMATCH);
    tds_store_le32(img + IMG_SIZE - 0x20, UINT32_MAX);
    assert_int_equal(tdvf_image_size_from_top(bfv, UINT64_MAX, &size, &err), TDS_ERR_MISMATCH);
    assert_int_equal(size, 7);
    /* The footer (0x1001 in the shim) and the GUID (0x1004). */
    build();
    img[IMG_SIZE - 0x30] ^= 1;
    assert_int_equal(tdvf_image_size_from_top(bfv, UINT64_MAX, &size, &err), TDS_ERR_NOT_FOUND);
    build();
    img[IMG_SIZE - 0x32] = 17;
    assert_int_equal(tdvf_image_size_from_top(bfv, UINT64_MAX, &size, &err), TDS_ERR_NOT_FOUND);
    build();
    tds_store_le32(img + IMG_SIZE - 0x48, UINT32_MAX);
    assert_int_equal(tdvf_image_size_from_top(bfv, UINT64_MAX, &size, &err), TDS_ERR_NOT_FOUND);
    build();
    img[DESC - 16] ^= 1;
    assert_int_equal(tdvf_image_size_from_top(bfv, UINT64_MAX, &size, &err), TDS_ERR_MALFORMED);
    assert_int_equal(size, 7);
    /* Too small for a footer, invalid arguments. */
    assert_int_equal(tdvf_image_size_from_top(tds_bytes_make(img, 0x2F), UINT64_MAX, &size, &err),
                     TDS_ERR_NOT_FOUND);
    assert_int_equal(tdvf_image_size_from_top(tds_bytes_make(NULL, 8), UINT64_MAX, &size, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_image_size_from_top(image(), UINT64_MAX, NULL, &err),
                     TDS_ERR_INVALID_ARG);
}

static tds_status check_image(tdvf_meta *m, tdvf_error *err)
{
    err->what = NULL;
    err->section = 77;
    TDS_TRY(tdvf_parse(image(), DESC, m, err));
    return tdvf_check_image(m, image(), err);
}

static void test_check_image(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    build();
    assert_int_equal(check_image(&m, &err), TDS_OK);
    assert_null(err.what);
    /* The CFV (section 1, file [0, 0x1000)) must be one firmware volume, named as the CFV. */
    img[40] = 'X';
    assert_int_equal(check_image(&m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "CFV is not a valid firmware volume: Signature is not '_FVH'");
    assert_int_equal(err.section, 1);
    build();
    img[50] ^= 1;
    assert_int_equal(check_image(&m, &err), TDS_ERR_MISMATCH);
    assert_string_equal(err.what,
                        "CFV is not a valid firmware volume: header Checksum does not sum to 0");
    assert_int_equal(err.section, 1);
    build();
    tds_store_le64(img + 32, 0x2000); /* FvLength past the section */
    assert_int_equal(check_image(&m, &err), TDS_ERR_MISMATCH);
    assert_string_equal(
        err.what, "CFV is not a valid firmware volume: FvLength is not the size of the volume");
    /* What the firmware sees when its image was cut at the front: the CFV's pages hold whatever
     * the VMM left there, nothing of the file: zeros, or 0xFF. */
    for (int fill = 0; fill <= 0xFF; fill += 0xFF) {
        build();
        memset(img, fill, 0x1000);
        assert_int_equal(check_image(&m, &err), TDS_ERR_MALFORMED);
        assert_string_equal(err.what,
                            "CFV is not a valid firmware volume: Signature is not '_FVH'");
        assert_int_equal(err.section, 1);
    }
    /* The section rules come first, with their own texts, before the CFV is looked at. */
    corrupt32(0, 28, 0);
    memset(img, 0, 0x1000);
    assert_int_equal(check_image(&m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "BFV needs raw data and attributes MR.EXTEND");
    corrupt64(3, 8, 0x801000);
    memset(img, 0, 0x1000);
    assert_int_equal(check_image(&m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "two sections overlap in guest memory");
    corrupt32(0, 0, IMG_SIZE - 0x1000);
    assert_int_equal(check_image(&m, &err), TDS_ERR_OUT_OF_BOUNDS);
    assert_string_equal(err.what, "raw data outside the image");
    /* The same metadata against an image without its first page (a file cut at the front). */
    build();
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_check_image(&m, tds_bytes_make(img + FW_OFF, FW_SIZE), &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_string_equal(err.what, "raw data outside the image");
    assert_int_equal(err.section, 0);
    /* No CFV at all is not an error of this rule (td-shim does not require one). */
    m.sec[1].type = TDVF_SEC_TEMP_MEM;
    m.sec[1].data_offset = 0;
    m.sec[1].raw_size = 0;
    m.sec[1].mem_addr = 0x2000000;
    assert_int_equal(tdvf_check_image(&m, image(), &err), TDS_OK);
    assert_int_equal(tdvf_check_image(NULL, image(), &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_check_image(&m, tds_bytes_make(NULL, 4), &err), TDS_ERR_INVALID_ARG);
    m.count = TDVF_MAX_SECTIONS + 1;
    assert_int_equal(tdvf_check_image(&m, image(), &err), TDS_ERR_INVALID_ARG);
}

/* Guest-memory bounds: nothing above 2^51, at most 64 GiB of added pages (one flipped byte in a
 * MemoryDataSize must not make the tools hash for hours or the VMM add terabytes). */
static void test_layout_bounds(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    build();
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_OK);
    uint32_t ram = 0; /* the TempMem section */
    bool found = false;
    for (uint32_t i = 0; i < m.count && i < TDVF_MAX_SECTIONS; i++) {
        if (m.sec[i].type == TDVF_SEC_TEMP_MEM) {
            ram = i;
            found = true;
        }
    }
    assert_true(found);
    const tdvf_meta good = m;
    /* Exactly 64 GiB added in all (TempMem grown, the others as they are) passes; a page more
     * does not. */
    uint64_t others = 0;
    for (uint32_t i = 0; i < m.count; i++) {
        if (i != ram && (m.sec[i].attributes & TDVF_ATTR_PAGE_AUG) == 0 &&
            m.sec[i].type != TDVF_SEC_TD_INFO && m.sec[i].type != TDVF_SEC_TD_PARAMS) {
            others += m.sec[i].mem_size;
        }
    }
    m.sec[ram].mem_addr = 0x100000000ull; /* above the image window: room to grow */
    m.sec[ram].mem_size = TDVF_MAX_ADDED_BYTES - others;
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_OK);
    m.sec[ram].mem_size += 0x1000;
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_ERR_OUT_OF_BOUNDS);
    assert_string_equal(
        err.what, "sections the VMM adds total more than 64 GiB (a corrupted MemoryDataSize?)");
    assert_int_equal(err.section, ram);
    /* The same size as PAGE.AUG memory is not added by the VMM: no limit but the GPA one. */
    m.sec[ram].attributes = TDVF_ATTR_PAGE_AUG;
    m.sec[ram].mem_size = 1ull << 40;
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_OK);
    /* A flipped high byte of the size or the address: past 2^51. */
    m = good;
    m.sec[ram].mem_size ^= 1ull << 56;
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_ERR_OUT_OF_BOUNDS);
    assert_string_equal(err.what, "memory range ends above 2^51, the largest private GPA");
    m = good;
    m.sec[ram].mem_addr = TDVF_MAX_GPA - 0x1000;
    m.sec[ram].mem_size = 0x1000; /* the last page below 2^51: fine */
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_OK);
    m.sec[ram].mem_size = 0x2000;
    assert_int_equal(tdvf_check_layout(&m, IMG_SIZE, &err), TDS_ERR_OUT_OF_BOUNDS);
}

static tds_status open_image(tds_bytes b, uint32_t flags, tdvf_meta *m, tdvf_error *err)
{
    m->count = 0xDEAD;
    err->what = NULL;
    err->section = 77;
    const tds_status st = tdvf_open(b, flags, m, err);
    if (st != TDS_OK) {
        assert_int_equal(m->count, 0xDEAD); /* untouched */
        assert_non_null(err->what);
    }
    return st;
}

static void test_open(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_meta want;
    tdvf_error err;
    build();
    memset(&want, 0, sizeof want);
    assert_int_equal(tdvf_parse(image(), DESC, &want, &err), TDS_OK);
    const uint32_t ways[] = {TDVF_OPEN_LOCATE_QEMU, TDVF_OPEN_LOCATE_TDSHIM, TDVF_OPEN_LOCATE_BOTH,
                             TDVF_OPEN_LOCATE_BOTH | TDVF_OPEN_QEMU_RULES};
    for (size_t i = 0; i < TDS_ARRAY_LEN(ways); i++) {
        assert_int_equal(open_image(image(), ways[i], &m, &err), TDS_OK);
        assert_int_equal(m.desc_offset, DESC);
        assert_int_equal(m.count, want.count);
        assert_memory_equal(m.sec, want.sec, sizeof m.sec[0] * want.count);
    }
    /* Cut at the front: both locators still agree, on a larger image than the bytes given. */
    const tds_bytes cut = tds_bytes_make(img + FW_OFF, FW_SIZE);
    assert_int_equal(open_image(cut, TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_ERR_MISMATCH);
    assert_string_equal(err.what, "footer table and td-shim pointer give an image size other than "
                                  "its length (truncated or padded image)");
    /* ... QEMU's locator alone finds a descriptor there, whose sections leave the file ... */
    assert_int_equal(open_image(cut, TDVF_OPEN_LOCATE_QEMU, &m, &err), TDS_ERR_OUT_OF_BOUNDS);
    assert_string_equal(err.what, "raw data outside the image");
    assert_int_equal(err.section, 0);
    /* ... and td-shim's pointer (an offset from the image start) points past the cut file. */
    assert_int_equal(open_image(cut, TDVF_OPEN_LOCATE_TDSHIM, &m, &err), TDS_ERR_OUT_OF_BOUNDS);
    assert_string_equal(err.what,
                        "TDVF metadata not found through the td-shim pointer and metadata GUID");
    /* Cut at the end, and padded in front (one more page than the metadata describes). */
    const tds_bytes head = tds_bytes_make(img, IMG_SIZE - 0x1000);
    assert_int_equal(open_image(head, TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_ERR_NOT_FOUND);
    assert_string_equal(err.what, "TDVF metadata not found through the OVMF footer table");
    assert_int_equal(open_image(head, TDVF_OPEN_LOCATE_QEMU, &m, &err), TDS_ERR_NOT_FOUND);
    assert_string_equal(err.what, "TDVF metadata not found through the OVMF footer table");
    static uint8_t padded[0x1000 + IMG_SIZE];
    memset(padded, 0, 0x1000);
    memcpy(padded + 0x1000, img, IMG_SIZE);
    assert_int_equal(
        open_image(tds_bytes_make(padded, sizeof padded), TDVF_OPEN_LOCATE_BOTH, &m, &err),
        TDS_ERR_MISMATCH);
    /* The locators disagree; the metadata GUID is wrong. */
    tds_store_le32(img + IMG_SIZE - 0x20, 0);
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_ERR_MISMATCH);
    assert_string_equal(err.what, "footer table and td-shim pointer disagree");
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_QEMU, &m, &err), TDS_OK);
    build();
    img[DESC - 1] ^= 1;
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "metadata GUID does not precede the descriptor");
    /* Parse errors and the image rules come through with their own texts. */
    build();
    img[DESC] = 'X';
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "descriptor signature is not 'TDVF'");
    build();
    memset(img, 0xFF, 0x1000);
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "CFV is not a valid firmware volume: Signature is not '_FVH'");
    assert_int_equal(err.section, 1);
    /* QEMU's rules only on request: a TD_HOB size that is not a page multiple (QEMU refuses it,
     * td-shim's and the layout rules do not). */
    corrupt64(2, 16, 0x20800);
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH, &m, &err), TDS_OK);
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH | TDVF_OPEN_QEMU_RULES, &m, &err),
                     TDS_ERR_ALIGNMENT);
    assert_string_equal(err.what, "memory address or size not 4 KiB aligned");
    assert_int_equal(err.section, 2);
    /* Invalid arguments. */
    build();
    assert_int_equal(open_image(image(), 0, &m, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(open_image(image(), TDVF_OPEN_QEMU_RULES, &m, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(open_image(image(), TDVF_OPEN_LOCATE_BOTH | 0x8u, &m, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(open_image(tds_bytes_make(NULL, 4), TDVF_OPEN_LOCATE_BOTH, &m, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_open(image(), TDVF_OPEN_LOCATE_BOTH, NULL, &err), TDS_ERR_INVALID_ARG);
}

/*
 * An image [CFV 4K][payload 8K][gap][fw 16K] with the payload as `type`; sections BFV CFV HOB Temp
 * P. The 0x9000-byte gap (in no section) makes the image 64 KiB (QEMU's -bios granule).
 */
#define P_IMG_SIZE 0x10000u
#define P_OFF 0x1000u       /* payload */
#define P_FW 0xC000u        /* firmware (shim BFV) */
#define P_DESC (P_FW + 16u) /* descriptor */
static uint8_t pimg[P_IMG_SIZE];
static uint8_t pfile[0x1801];

static void build_payload(uint32_t type, tdvf_meta *m)
{
    image_config cfg;
    tdvf_error err;
    memset(fw, 0, sizeof fw);
    memset(fw + FW_SIZE - 16, 0xF4, 16);
    memset(pfile, 0x5A, sizeof pfile);
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1000;
    cfg.has_payload = true;
    cfg.payload = tds_bytes_make(pfile, sizeof pfile);
    cfg.payload_type = type;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(pimg, sizeof pimg), m, &err), TDS_OK);
}

/* The kind of the last successful find() (0 = none yet): out-params are written only on OK. */
static tdvf_payload_kind last_kind;

static tds_status find(const tdvf_meta *m, const tdvf_section **p, tdvf_error *err)
{
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    err->what = NULL;
    err->section = 77;
    tds_status st = tdvf_find_payload(m, P_IMG_SIZE, p, &kind, err);
    if (st != TDS_OK && st != TDS_ERR_NOT_FOUND) {
        assert_non_null(err->what);
    }
    if (st != TDS_OK) {
        assert_int_equal(kind, 0);
    }
    last_kind = kind;
    return st;
}

/* The shim's BFV: section 0 here, found by its end at 4 GiB; none, or two, is refused. */
static void test_find_shim_bfv(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err = {NULL, 0};
    const tdvf_section *bfv = NULL;
    build();
    assert_int_equal(tdvf_parse(image(), DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_find_shim_bfv(&m, &bfv, &err), TDS_OK);
    assert_ptr_equal(bfv, &m.sec[0]);
    assert_int_equal(bfv->mem_addr, 0x100000000ull - FW_SIZE);
    m.sec[1].type = TDVF_SEC_BFV; /* the CFV made a BFV: it does not end at 4 GiB */
    assert_int_equal(tdvf_find_shim_bfv(&m, &bfv, &err), TDS_OK);
    assert_ptr_equal(bfv, &m.sec[0]);
    m.sec[1].mem_addr = 0x100000000ull - m.sec[1].mem_size; /* now it does: two */
    bfv = NULL;
    assert_int_equal(tdvf_find_shim_bfv(&m, &bfv, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "two BFV sections end at 4 GiB");
    assert_int_equal(err.section, 1);
    assert_null(bfv);
    m.sec[0].mem_size -= 0x1000; /* the first one ends a page short: one again */
    assert_int_equal(tdvf_find_shim_bfv(&m, &bfv, &err), TDS_OK);
    assert_ptr_equal(bfv, &m.sec[1]);
    m.sec[1].mem_addr = UINT64_MAX - 0xFFF; /* wraps: not "ending at 4 GiB" */
    assert_int_equal(tdvf_find_shim_bfv(&m, &bfv, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "no BFV section ends at 4 GiB (reset vector)");
    assert_int_equal(tdvf_find_shim_bfv(NULL, &bfv, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_find_shim_bfv(&m, NULL, &err), TDS_ERR_INVALID_ARG);
}

static void test_find_payload(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    const tdvf_section *p = NULL;
    /* No payload: a distinct status, nothing written. */
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    build();
    assert_int_equal(parse_checked(&m, &err), TDS_OK);
    assert_int_equal(tdvf_find_payload(&m, IMG_SIZE, &p, &kind, &err), TDS_ERR_NOT_FOUND);
    assert_null(p);
    assert_int_equal(kind, 0);
    /* Second BFV: the section after the RAM ones, at file P_OFF = GPA base + P_OFF. */
    const uint64_t base = 0x100000000ull - P_IMG_SIZE;
    for (uint32_t t = 0; t < 2; t++) {
        const uint32_t type = t == 0 ? TDVF_SEC_BFV : TDVF_SEC_PAYLOAD;
        build_payload(type, &m);
        assert_int_equal(m.count, 5);
        assert_int_equal(m.desc_offset, P_DESC);
        assert_int_equal(find(&m, &p, &err), TDS_OK);
        assert_ptr_equal(p, &m.sec[4]);
        assert_int_equal(last_kind, TDVF_PAYLOAD_IMAGE);
        assert_int_equal(p->type, type);
        assert_int_equal(p->attributes, type == TDVF_SEC_BFV ? TDVF_ATTR_MR_EXTEND : 0);
        assert_int_equal(p->data_offset, P_OFF);
        assert_int_equal(p->raw_size, 0x2000);
        assert_int_equal(p->mem_size, 0x2000);
        assert_int_equal(p->mem_addr, base + P_OFF);
        /* The shim's BFV is still section 0 and still ends at 4 GiB. */
        assert_int_equal(m.sec[0].mem_addr + m.sec[0].mem_size, 0x100000000ull);
        assert_int_equal(tdvf_check_tdshim(&m, P_IMG_SIZE, &err), TDS_OK);
        assert_int_equal(tdvf_check_layout(&m, P_IMG_SIZE, &err), TDS_OK);
        /* QEMU >= 10.1 takes the second BFV, refuses the type-5 section. */
        assert_int_equal(tdvf_check_qemu(&m, P_IMG_SIZE, &err),
                         type == TDVF_SEC_BFV ? TDS_OK : TDS_ERR_UNSUPPORTED);
        /* A type-5 payload may also carry MR.EXTEND. */
        m.sec[4].attributes = TDVF_ATTR_MR_EXTEND;
        assert_int_equal(find(&m, &p, &err), TDS_OK);
    }
    /* The payload may come first in metadata order; the shim BFV is found by its end. */
    build_payload(TDVF_SEC_BFV, &m);
    const tdvf_section shim = m.sec[0];
    m.sec[0] = m.sec[4];
    m.sec[4] = shim;
    assert_int_equal(find(&m, &p, &err), TDS_OK);
    assert_ptr_equal(p, &m.sec[0]);
    assert_int_equal(tdvf_check_layout(&m, P_IMG_SIZE, &err), TDS_OK);
}

/* Apply one corruption to a good payload image's decoded metadata; expect status, section, why. */
static void expect_bad(tdvf_meta *m, tds_status want, uint32_t section)
{
    tdvf_error err;
    const tdvf_section *p = NULL;
    assert_int_equal(find(m, &p, &err), want);
    assert_null(p);
    assert_int_equal(err.section, section);
    /* The project's layout rules refuse it too. */
    assert_int_not_equal(tdvf_check_layout(m, P_IMG_SIZE, &err), TDS_OK);
}

static void test_find_payload_hostile(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    const tdvf_section *p = NULL;
    /* Two payloads: a BFV and a Payload, two Payloads, two extra BFVs. */
    for (uint32_t i = 0; i < 3; i++) {
        build_payload(i == 1 ? TDVF_SEC_PAYLOAD : TDVF_SEC_BFV, &m);
        m.sec[5] = m.sec[4];
        m.sec[5].type = i == 2 ? TDVF_SEC_BFV : TDVF_SEC_PAYLOAD;
        m.count = 6;
        expect_bad(&m, TDS_ERR_MALFORMED, 5);
    }
    build_payload(TDVF_SEC_BFV, &m);
    m.sec[5] = m.sec[4];
    m.sec[5].type = TDVF_SEC_PAYLOAD;
    m.count = 6;
    assert_int_equal(find(&m, &p, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what,
                        "two payload sections: a second BFV and a Payload (type 5) section");
    /* Overlapping the shim's BFV (memory and data), the CFV, the descriptor. */
    build_payload(TDVF_SEC_BFV, &m);
    m.sec[4].data_offset = P_FW + 0x2000; /* inside the firmware */
    m.sec[4].mem_addr += P_FW + 0x2000 - P_OFF;
    expect_bad(&m, TDS_ERR_MALFORMED, 4);
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[4].data_offset = 0; /* over the CFV */
    m.sec[4].mem_addr -= P_OFF;
    expect_bad(&m, TDS_ERR_MALFORMED, 4);
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[4].data_offset = P_FW; /* the metadata page */
    m.sec[4].raw_size = 0x1000;
    m.sec[4].mem_size = 0x1000;
    m.sec[4].mem_addr += P_FW - P_OFF;
    m.sec[0].data_offset = P_FW + 0x1000; /* pretend the BFV starts after it */
    m.sec[0].raw_size = FW_SIZE - 0x1000;
    m.sec[0].mem_size = FW_SIZE - 0x1000;
    m.sec[0].mem_addr += 0x1000;
    assert_int_equal(find(&m, &p, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "payload data overlaps the metadata descriptor");
    /* Memory over the TD_HOB while the data stays in place: not where the image is mapped. */
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[4].mem_addr = 0x800000;
    expect_bad(&m, TDS_ERR_MISMATCH, 4);
    /* Wrong attributes. */
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[4].attributes = TDVF_ATTR_PAGE_AUG;
    expect_bad(&m, TDS_ERR_MALFORMED, 4);
    build_payload(TDVF_SEC_BFV, &m);
    m.sec[4].attributes = 0;
    expect_bad(&m, TDS_ERR_MALFORMED, 4);
    /* Misaligned offset/address, size; MemoryDataSize != RawDataSize; no data. */
    build_payload(TDVF_SEC_BFV, &m);
    m.sec[4].data_offset += 0x800;
    m.sec[4].mem_addr += 0x800;
    m.sec[4].raw_size = 0x1000;
    m.sec[4].mem_size = 0x1000;
    expect_bad(&m, TDS_ERR_ALIGNMENT, 4);
    build_payload(TDVF_SEC_BFV, &m);
    m.sec[4].raw_size = 0x1800;
    m.sec[4].mem_size = 0x1800;
    expect_bad(&m, TDS_ERR_ALIGNMENT, 4);
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[4].mem_size = 0x3000;
    expect_bad(&m, TDS_ERR_MALFORMED, 4);
    build_payload(TDVF_SEC_BFV, &m);
    m.sec[4].raw_size = 0;
    m.sec[4].data_offset = 0;
    expect_bad(&m, TDS_ERR_MALFORMED, 4);
    /* A type 5 without data is a VMM-placed payload now: refused here for lying in the image. */
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[4].raw_size = 0;
    m.sec[4].data_offset = 0;
    expect_bad(&m, TDS_ERR_OUT_OF_BOUNDS, 4);
    /* Data past the image end (for a smaller image size). */
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    build_payload(TDVF_SEC_BFV, &m);
    assert_int_equal(tdvf_find_payload(&m, 0x2000, &p, &kind, &err), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tdvf_find_payload(&m, 0x100000001ull, &p, &kind, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_find_payload(&m, 0, &p, &kind, &err), TDS_ERR_INVALID_ARG);
    m.sec[4].data_offset = UINT32_MAX & ~0xFFFu;
    expect_bad(&m, TDS_ERR_OUT_OF_BOUNDS, 4);
    /* No BFV ends at 4 GiB; two do. */
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[0].mem_size -= 0x1000;
    m.sec[0].raw_size -= 0x1000;
    expect_bad(&m, TDS_ERR_MALFORMED, UINT32_MAX);
    build_payload(TDVF_SEC_PAYLOAD, &m);
    m.sec[5] = m.sec[0];
    m.count = 6;
    expect_bad(&m, TDS_ERR_MALFORMED, 5);
    /* Bad arguments. */
    assert_int_equal(tdvf_find_payload(NULL, P_IMG_SIZE, &p, &kind, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_find_payload(&m, P_IMG_SIZE, NULL, &kind, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_find_payload(&m, P_IMG_SIZE, &p, NULL, &err), TDS_ERR_INVALID_ARG);
    m.count = TDVF_MAX_SECTIONS + 1;
    assert_int_equal(tdvf_find_payload(&m, P_IMG_SIZE, &p, &kind, &err), TDS_ERR_INVALID_ARG);
    assert_null(p);
    assert_int_equal(kind, 0);
}

/* The same hostile payloads written into the image bytes: the full read path refuses them. */
static void test_payload_bytes_hostile(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    const uint32_t sec4 = P_DESC + 16u + 32u * 4u;
    build_payload(TDVF_SEC_BFV, &m);
    tds_store_le32(pimg + sec4 + 0, P_FW); /* data in the shim BFV */
    tds_store_le64(pimg + sec4 + 8, 0x100000000ull - P_IMG_SIZE + P_FW);
    assert_int_equal(tdvf_parse(tds_bytes_make(pimg, sizeof pimg), P_DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_check_tdshim(&m, P_IMG_SIZE, &err), TDS_OK);
    assert_int_equal(tdvf_check_layout(&m, P_IMG_SIZE, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.section, 4);
    build_payload(TDVF_SEC_PAYLOAD, &m);
    tds_store_le32(pimg + sec4 + 28, TDVF_ATTR_PAGE_AUG);
    assert_int_equal(tdvf_parse(tds_bytes_make(pimg, sizeof pimg), P_DESC, &m, &err), TDS_OK);
    assert_int_equal(tdvf_check_tdshim(&m, P_IMG_SIZE, &err), TDS_ERR_MALFORMED);
    assert_int_equal(tdvf_check_layout(&m, P_IMG_SIZE, &err), TDS_ERR_MALFORMED);
}

/*
 * A VMM-placed payload: [CFV 4K][fw 16K] = 0x5000 at 0xFFFFB000 (no bytes added, no CFV growth);
 * sections BFV CFV HOB Temp, then Payload (type 5, no data, attributes 0) at V_GPA/V_SIZE.
 */
#define V_IMG_SIZE IMG_SIZE
#define V_BASE (0x100000000ull - V_IMG_SIZE)
#define V_GPA 0x4000000ull
#define V_SIZE 0x200000ull
#define V_SEC4 (SEC(4))

static void build_vmm(tdvf_meta *m)
{
    image_config cfg;
    tdvf_error err;
    memset(fw, 0, sizeof fw);
    memset(fw + FW_SIZE - 16, 0xF4, 16);
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1000;
    cfg.has_payload_region = true;
    cfg.region_addr = V_GPA;
    cfg.region_size = V_SIZE;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, sizeof img), m, &err), TDS_OK);
}

static tds_status find_vmm(const tdvf_meta *m, const tdvf_section **p, tdvf_payload_kind *kind,
                           tdvf_error *err)
{
    *p = NULL;
    *kind = (tdvf_payload_kind)0;
    err->what = NULL;
    err->section = 77;
    return tdvf_find_payload(m, V_IMG_SIZE, p, kind, err);
}

/* One hostile VMM-placed variant: status, section and reason; nothing written; layout refuses. */
static void expect_bad_vmm(const tdvf_meta *m, tds_status want, uint32_t section, const char *what)
{
    tdvf_error err;
    const tdvf_section *p = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    assert_int_equal(find_vmm(m, &p, &kind, &err), want);
    assert_null(p);
    assert_int_equal(kind, 0);
    assert_int_equal(err.section, section);
    assert_string_equal(err.what, what);
    /* tdvf_check_layout applies the payload rule first: the same status and reason. */
    err.what = NULL;
    assert_int_equal(tdvf_check_layout(m, V_IMG_SIZE, &err), want);
    assert_string_equal(err.what, what);
}

static void test_vmm_payload(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    const tdvf_section *p = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    build_vmm(&m);
    /* The bytes as written (td-shim td-shim-interface/src/metadata.rs): DataOffset 0, raw 0, GPA,
     * size, 5, 0. */
    assert_int_equal(tds_load_le32(img + DESC + 4), 16 + 32 * 5);
    assert_int_equal(tds_load_le32(img + DESC + 12), 5);
    assert_int_equal(tds_load_le32(img + V_SEC4 + 0), 0);
    assert_int_equal(tds_load_le32(img + V_SEC4 + 4), 0);
    assert_int_equal(tds_load_le64(img + V_SEC4 + 8), V_GPA);
    assert_int_equal(tds_load_le64(img + V_SEC4 + 16), V_SIZE);
    assert_int_equal(tds_load_le32(img + V_SEC4 + 24), TDVF_SEC_PAYLOAD);
    assert_int_equal(tds_load_le32(img + V_SEC4 + 28), 0);
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_OK);
    assert_ptr_equal(p, &m.sec[4]);
    assert_int_equal(kind, TDVF_PAYLOAD_VMM);
    assert_string_equal(tdvf_payload_kind_name(kind), "vmm");
    assert_string_equal(tdvf_payload_kind_name(TDVF_PAYLOAD_IMAGE), "image");
    assert_string_equal(tdvf_payload_kind_name((tdvf_payload_kind)0), "invalid");
    assert_int_equal(tdvf_check_tdshim(&m, V_IMG_SIZE, &err), TDS_OK);
    assert_int_equal(tdvf_check_layout(&m, V_IMG_SIZE, &err), TDS_OK);
    /* QEMU refuses type 5 whatever it describes. */
    assert_int_equal(tdvf_check_qemu(&m, V_IMG_SIZE, &err), TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.section, 4);
    /* Boundaries: the region may end exactly where the image starts, and may start at 0. */
    m.sec[4].mem_addr = V_BASE - 0x3000;
    m.sec[4].mem_size = 0x3000;
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_OK);
    assert_int_equal(tdvf_check_layout(&m, V_IMG_SIZE, &err), TDS_OK);
    m.sec[4].mem_addr = 0;
    m.sec[4].mem_size = 0x1000;
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_OK);
    assert_int_equal(kind, TDVF_PAYLOAD_VMM);
    /* The region right below TempMem and right after TD_HOB: touching is not overlapping. */
    m.sec[4].mem_addr = 0x820000;
    m.sec[4].mem_size = 0x1000;
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_OK);
    m.sec[4].mem_addr = 0xFF000;
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_OK);
    /* It may come anywhere in metadata order (tdshim-image puts it last). */
    build_vmm(&m);
    const tdvf_section t = m.sec[2];
    m.sec[2] = m.sec[4];
    m.sec[4] = t;
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_OK);
    assert_ptr_equal(p, &m.sec[2]);
    assert_int_equal(tdvf_check_layout(&m, V_IMG_SIZE, &err), TDS_OK);
}

static void test_vmm_payload_hostile(void **state)
{
    (void)state;
    tdvf_meta m;
    const char *align = "VMM-placed payload region address or size not 4 KiB aligned";
    build_vmm(&m);
    m.sec[4].mem_addr = V_GPA + 0x800; /* misaligned address */
    expect_bad_vmm(&m, TDS_ERR_ALIGNMENT, 4, align);
    build_vmm(&m);
    m.sec[4].mem_size = V_SIZE + 0x800; /* misaligned size */
    expect_bad_vmm(&m, TDS_ERR_ALIGNMENT, 4, align);
    build_vmm(&m);
    m.sec[4].mem_size = 1;
    expect_bad_vmm(&m, TDS_ERR_ALIGNMENT, 4, align);
    build_vmm(&m);
    m.sec[4].mem_size = 0; /* empty */
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4,
                   "VMM-placed payload region is empty (MemoryDataSize 0)");
    /* Wraps: the top page plus one more; and the last page of the address space exactly (its
     * end, 2^64, is not representable: refused as wrapping too). */
    build_vmm(&m);
    m.sec[4].mem_addr = 0xFFFFFFFFFFFFF000ull;
    m.sec[4].mem_size = 0x2000;
    expect_bad_vmm(&m, TDS_ERR_OVERFLOW, 4, "VMM-placed payload region wraps");
    m.sec[4].mem_size = 0x1000;
    expect_bad_vmm(&m, TDS_ERR_OVERFLOW, 4, "VMM-placed payload region wraps");
    m.sec[4].mem_addr = 0x1000;
    m.sec[4].mem_size = 0xFFFFFFFFFFFFF000ull;
    expect_bad_vmm(&m, TDS_ERR_OVERFLOW, 4, "VMM-placed payload region wraps");
    /* Not below the image: above 4 GiB (no overlap with anything), one page into the window. */
    const char *below = "VMM-placed payload region not below the image (4 GiB - image size)";
    build_vmm(&m);
    m.sec[4].mem_addr = 0x100000000ull;
    m.sec[4].mem_size = 0x1000;
    expect_bad_vmm(&m, TDS_ERR_OUT_OF_BOUNDS, 4, below);
    m.sec[4].mem_addr = 0x200000000ull; /* far above, 2 MiB */
    m.sec[4].mem_size = V_SIZE;
    expect_bad_vmm(&m, TDS_ERR_OUT_OF_BOUNDS, 4, below);
    /* A gap in the image window that no section covers: still not below the image. */
    build_vmm(&m);
    m.sec[1].raw_size = 0; /* pretend the CFV is elsewhere: drop it */
    m.sec[1].type = TDVF_SEC_TD_INFO;
    m.sec[1].mem_addr = 0;
    m.sec[1].mem_size = 0;
    m.sec[4].mem_addr = V_BASE;
    m.sec[4].mem_size = 0x1000;
    expect_bad_vmm(&m, TDS_ERR_OUT_OF_BOUNDS, 4, below);
    /* Overlaps, each named: TempMem, TD_HOB, the shim's BFV, the CFV (crossing into the image). */
    build_vmm(&m);
    m.sec[4].mem_addr = 0x7FF000;
    m.sec[4].mem_size = 0x1000;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4,
                   "VMM-placed payload region overlaps a TempMem section");
    m.sec[4].mem_addr = 0x81F000;
    m.sec[4].mem_size = 0x2000;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4,
                   "VMM-placed payload region overlaps the TD_HOB section");
    m.sec[4].mem_addr = 0; /* [0, 2 MiB): over the start of TempMem */
    m.sec[4].mem_size = 0x200000;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4,
                   "VMM-placed payload region overlaps a TempMem section");
    m.sec[4].mem_size = V_BASE + 0x1000; /* everything below the image and the CFV's page */
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4, "VMM-placed payload region overlaps the CFV section");
    m.sec[4].mem_addr = m.sec[0].mem_addr;
    m.sec[4].mem_size = m.sec[0].mem_size;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4, "VMM-placed payload region overlaps a BFV section");
    m.sec[4].mem_addr = V_BASE - 0x1000;
    m.sec[4].mem_size = 0x2000;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4, "VMM-placed payload region overlaps the CFV section");
    /* A PermMem (PAGE.AUG) section is memory too. */
    build_vmm(&m);
    m.sec[5] = m.sec[4];
    m.sec[5].type = TDVF_SEC_PERM_MEM;
    m.sec[5].attributes = TDVF_ATTR_PAGE_AUG;
    m.sec[5].mem_addr = V_GPA + V_SIZE - 0x1000;
    m.sec[5].mem_size = 0x100000;
    m.count = 6;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4,
                   "VMM-placed payload region overlaps a PermMem section");
    /* Another section that wraps is refused by the payload rule, naming that section. */
    build_vmm(&m);
    m.sec[3].mem_addr = 0xFFFFFFFFFFF00000ull;
    expect_bad_vmm(&m, TDS_ERR_OVERFLOW, 3, "memory range empty or wrapping");
    /* Attributes: MR.EXTEND (would need bytes in the image to extend), PAGE.AUG, reserved. */
    const char *attr = "VMM-placed payload (RawDataSize 0) with attributes != 0 (MR.EXTEND needs "
                       "data in the image)";
    for (uint32_t a = 1; a <= 4; a <<= 1) {
        build_vmm(&m);
        m.sec[4].attributes = a;
        expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4, attr);
    }
    /* RawDataSize 0 but a DataOffset. */
    build_vmm(&m);
    m.sec[4].data_offset = 0x1000;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 4,
                   "VMM-placed payload (RawDataSize 0) with DataOffset != 0");
    /* Two payloads: two VMM-placed; a VMM-placed one and a second BFV / a type 5 with data. */
    build_vmm(&m);
    m.sec[5] = m.sec[4];
    m.sec[5].mem_addr = V_GPA + V_SIZE;
    m.count = 6;
    expect_bad_vmm(&m, TDS_ERR_MALFORMED, 5,
                   "two payload sections: two VMM-placed Payload (type 5, no data) sections");
    for (uint32_t i = 0; i < 2; i++) {
        tdvf_error err;
        const tdvf_section *p = NULL;
        tdvf_payload_kind kind = (tdvf_payload_kind)0;
        build_payload(i == 0 ? TDVF_SEC_BFV : TDVF_SEC_PAYLOAD, &m);
        m.sec[5] = m.sec[4];
        m.sec[5].type = TDVF_SEC_PAYLOAD;
        m.sec[5].data_offset = 0;
        m.sec[5].raw_size = 0;
        m.sec[5].attributes = 0;
        m.sec[5].mem_addr = V_GPA;
        m.sec[5].mem_size = V_SIZE;
        m.count = 6;
        assert_int_equal(tdvf_find_payload(&m, P_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
        assert_null(p);
        assert_int_equal(err.section, 5);
        assert_string_equal(
            err.what,
            i == 0 ? "two payload sections: a second BFV and a VMM-placed Payload (type 5, no data)"
                     " section"
                   : "two payload sections: a Payload (type 5) with data and a VMM-placed one");
        /* And the other way round in metadata order: the second candidate is named. */
        const tdvf_section t = m.sec[4];
        m.sec[4] = m.sec[5];
        m.sec[5] = t;
        assert_int_equal(tdvf_find_payload(&m, P_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
        assert_int_equal(err.section, 5);
        assert_int_equal(kind, 0);
    }
}

/* Hostile VMM-placed sections written into the image bytes: the whole read path refuses them. */
static tds_status read_vmm(tdvf_meta *m, tdvf_error *err)
{
    uint32_t off = 0;
    TDS_TRY(tdvf_locate_qemu(tds_bytes_make(img, V_IMG_SIZE), &off));
    TDS_TRY(tdvf_parse(tds_bytes_make(img, V_IMG_SIZE), off, m, err));
    TDS_TRY(tdvf_check_tdshim(m, V_IMG_SIZE, err));
    return tdvf_check_layout(m, V_IMG_SIZE, err);
}

static void test_vmm_payload_bytes_hostile(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err = {"", UINT32_MAX};
    build_vmm(&m);
    assert_int_equal(read_vmm(&m, &err), TDS_OK);
    /* MR.EXTEND: td-shim's rules allow it on a Payload, ours refuse it without data. */
    tds_store_le32(img + V_SEC4 + 28, TDVF_ATTR_MR_EXTEND);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.section, 4);
    assert_non_null(strstr(err.what, "attributes != 0"));
    /* DataOffset without data: td-shim's own rule refuses it first. */
    build_vmm(&m);
    tds_store_le32(img + V_SEC4 + 0, 0x1000);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "RawDataSize 0 with DataOffset != 0");
    assert_int_equal(err.section, 4);
    /* Misaligned address (td-shim's rule), misaligned size (ours), over the TD_HOB, wrapping. */
    build_vmm(&m);
    tds_store_le64(img + V_SEC4 + 8, V_GPA + 0x10);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_ALIGNMENT);
    assert_int_equal(err.section, 4);
    build_vmm(&m);
    tds_store_le64(img + V_SEC4 + 16, V_SIZE - 0x10);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_ALIGNMENT);
    build_vmm(&m);
    tds_store_le64(img + V_SEC4 + 8, 0x800000);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "VMM-placed payload region overlaps the TD_HOB section");
    build_vmm(&m);
    tds_store_le64(img + V_SEC4 + 8, 0xFFFFFFFFFFE00000ull);
    tds_store_le64(img + V_SEC4 + 16, 0x400000);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_OVERFLOW);
    /* A second VMM-placed Payload (count and Length patched; the metadata page has room):
     * td-shim's single-instance rule refuses it before ours. */
    build_vmm(&m);
    tds_store_le32(img + DESC + 4, 16 + 32 * 6);
    tds_store_le32(img + DESC + 12, 6);
    memcpy(img + SEC(5), img + V_SEC4, 32);
    tds_store_le64(img + SEC(5) + 8, V_GPA + V_SIZE);
    assert_int_equal(read_vmm(&m, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "a single-instance section type repeats");
    const tdvf_section *p = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    assert_int_equal(find_vmm(&m, &p, &kind, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.section, 5);
}

/* PayloadParam sections (tdvf_find_payload_param), built by the image builder: a VMM-filled
 * region, data in the image (attributes 0 or MR.EXTEND), and every rule refused with its reason. */
static uint8_t parimg[0x20000];
static void test_payload_param(void **state)
{
    (void)state;
    tdvf_meta m;
    tdvf_error err;
    const tdvf_section *p = NULL;
    tdvf_payload_kind kind = (tdvf_payload_kind)0;
    image_config cfg;
    memset(fw, 0, sizeof fw);
    memset(fw + FW_SIZE - 16, 0xF4, 16);
    /* None: NOT_FOUND, nothing written. */
    build_vmm(&m);
    assert_int_equal(tdvf_find_payload_param(&m, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_NOT_FOUND);
    assert_null(p);
    /* A VMM-filled region. */
    image_config_default(&cfg, tds_bytes_make(fw, sizeof fw));
    cfg.cfv_size = 0x1000;
    cfg.has_payload_region = true;
    cfg.region_addr = V_GPA;
    cfg.region_size = V_SIZE;
    cfg.has_param_region = true;
    cfg.param_addr = V_GPA - 0x1000;
    cfg.param_size = 0x1000;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, sizeof img), &m, &err), TDS_OK);
    assert_int_equal(m.count, 6);
    assert_int_equal(tdvf_find_payload_param(&m, V_IMG_SIZE, &p, &kind, &err), TDS_OK);
    assert_ptr_equal(p, &m.sec[5]);
    assert_int_equal(kind, TDVF_PAYLOAD_VMM);
    assert_int_equal(p->type, TDVF_SEC_PAYLOAD_PARAM);
    assert_int_equal(p->attributes, 0);
    tdvf_meta bad = m;
    bad.sec[5].attributes = TDVF_ATTR_MR_EXTEND; /* MR.EXTEND needs data */
    assert_int_equal(tdvf_check_tdshim(&bad, V_IMG_SIZE, &err), TDS_ERR_MALFORMED);
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
    bad = m;
    bad.sec[5].mem_addr = V_GPA; /* overlaps the payload region */
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "PayloadParam memory overlaps another section");
    assert_int_equal(tdvf_check_layout(&bad, V_IMG_SIZE, &err), TDS_ERR_MALFORMED);
    bad = m;
    bad.sec[5].mem_addr = V_BASE; /* in the image window */
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    bad = m;
    bad.sec[5].mem_size = 0x800;
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_ALIGNMENT);
    bad = m;
    bad.sec[5].mem_size = 0;
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
    bad = m;
    bad.sec[5].mem_addr = 0xFFFFFFFFFFFFF000ull;
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_OVERFLOW);
    bad = m;
    bad.sec[4].type = TDVF_SEC_PAYLOAD_PARAM; /* two, and no payload */
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
    bad.count = 5;
    assert_int_equal(tdvf_find_payload_param(&bad, V_IMG_SIZE, &p, &kind, &err), TDS_ERR_MALFORMED);
    assert_string_equal(err.what, "PayloadParam without a Payload (type 5) section");
    assert_int_equal(tdvf_find_payload_param(NULL, V_IMG_SIZE, &p, &kind, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvf_find_payload_param(&m, 0, &p, &kind, &err), TDS_ERR_INVALID_ARG);

    /* Data in the image, with and without MR.EXTEND: image-mapped, after the CFV. */
    static const char cmd[] = "console=ttyS0";
    for (int ext = 0; ext < 2; ext++) {
        cfg.has_param_region = false;
        cfg.has_param_data = true;
        cfg.param = tds_bytes_make(cmd, sizeof cmd);
        cfg.param_mr_extend = ext != 0;
        size_t total = 0;
        assert_int_equal(image_total_size(&cfg, &total), TDS_OK);
        assert_true(total <= sizeof parimg);
        assert_int_equal(image_build(&cfg, tds_mut_bytes_make(parimg, total), &m, &err), TDS_OK);
        assert_int_equal(tdvf_find_payload_param(&m, total, &p, &kind, &err), TDS_OK);
        assert_int_equal(kind, TDVF_PAYLOAD_IMAGE);
        assert_int_equal(p->attributes, ext != 0 ? TDVF_ATTR_MR_EXTEND : 0u);
        assert_int_equal(p->raw_size, 0x1000);
        assert_memory_equal(parimg + p->data_offset, cmd, sizeof cmd);
        assert_int_equal(p->mem_addr, 0x100000000ull - total + p->data_offset);
        assert_int_equal(tdvf_check_image(&m, tds_bytes_make(parimg, total), &err), TDS_OK);
        bad = m;
        bad.sec[5].mem_addr += 0x1000; /* not where the image is mapped */
        assert_int_equal(tdvf_find_payload_param(&bad, total, &p, &kind, &err), TDS_ERR_MISMATCH);
        bad = m;
        bad.sec[5].mem_size = 0x2000;
        assert_int_equal(tdvf_find_payload_param(&bad, total, &p, &kind, &err), TDS_ERR_MALFORMED);
        bad = m;
        bad.sec[5].attributes = TDVF_ATTR_PAGE_AUG;
        assert_int_equal(tdvf_check_tdshim(&bad, total, &err), TDS_ERR_MALFORMED);
    }
    /* The builder's own refusals. */
    cfg.has_param_region = true;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(parimg, sizeof parimg), &m, &err),
                     TDS_ERR_INVALID_ARG);
    cfg.has_param_data = false;
    cfg.has_payload_region = false;
    assert_int_equal(image_build(&cfg, tds_mut_bytes_make(img, sizeof img), &m, &err),
                     TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locate_both_ways),
        cmocka_unit_test(test_footer_hostile),
        cmocka_unit_test(test_tdshim_pointer_hostile),
        cmocka_unit_test(test_descriptor_hostile),
        cmocka_unit_test(test_section_rules),
        cmocka_unit_test(test_tdshim_only_types),
        cmocka_unit_test(test_image_size_from_top),
        cmocka_unit_test(test_check_image),
        cmocka_unit_test(test_layout_bounds),
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_find_shim_bfv),
        cmocka_unit_test(test_find_payload),
        cmocka_unit_test(test_find_payload_hostile),
        cmocka_unit_test(test_payload_bytes_hostile),
        cmocka_unit_test(test_vmm_payload),
        cmocka_unit_test(test_payload_param),
        cmocka_unit_test(test_vmm_payload_hostile),
        cmocka_unit_test(test_vmm_payload_bytes_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
