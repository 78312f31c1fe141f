/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdvf_fv_check: PI firmware volume headers (UEFI PI spec vol. 3, 3.2.1), each rule broken alone,
 * lengths at their limits, block maps that wrap. The volumes are assembled here field by field
 * from the spec's layout, independently of the image builder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/tdvf.h"

#define VOL_MAX 0x10000u

static uint8_t vol[VOL_MAX];

/* Offsets in EFI_FIRMWARE_VOLUME_HEADER. */
#define O_GUID 16u
#define O_LENGTH 32u
#define O_SIG 40u
#define O_ATTR 44u
#define O_HLEN 48u
#define O_SUM 50u
#define O_EXT 52u
#define O_RSVD 54u
#define O_REV 55u
#define O_MAP 56u

/* Set Checksum so the 16-bit sum of the header's words is 0. */
static void fix_sum(void)
{
    const uint16_t hlen = tds_load_le16(vol + O_HLEN);
    uint16_t sum = 0;
    tds_store_le16(vol + O_SUM, 0);
    for (uint32_t i = 0; i + 1 < hlen && i + 1 < VOL_MAX; i += 2) {
        sum = (uint16_t)(sum + tds_load_le16(vol + i));
    }
    tds_store_le16(vol + O_SUM, (uint16_t)(0x10000u - sum));
}

/*
 * A volume of `len` bytes: FFS3, erase polarity, the block map {len / block, block} then {0,0},
 * HeaderLength 72, no extended header, the rest 0xFF (erased).
 */
static tds_bytes make(uint32_t len, uint32_t block)
{
    memset(vol, 0xFF, sizeof vol);
    memset(vol, 0, 72);
    memcpy(vol + O_GUID, tdvf_guid_ffs3.b, 16);
    tds_store_le64(vol + O_LENGTH, len);
    tds_store_le32(vol + O_SIG, TDVF_FV_SIGNATURE);
    tds_store_le32(vol + O_ATTR, TDVF_FVB2_ERASE_POLARITY);
    tds_store_le16(vol + O_HLEN, 72);
    vol[O_REV] = 2;
    tds_store_le32(vol + O_MAP, len / block);
    tds_store_le32(vol + O_MAP + 4, block);
    fix_sum();
    return tds_bytes_make(vol, len);
}

static void expect(tds_bytes fv, tds_status want, const char *what)
{
    tdvf_error err = {NULL, 77};
    assert_int_equal(tdvf_fv_check(fv, &err), want);
    if (want == TDS_OK) {
        assert_null(err.what); /* untouched on success */
        assert_int_equal(err.section, 77);
    } else {
        assert_non_null(err.what);
        assert_string_equal(err.what, what);
        assert_int_equal(err.section, UINT32_MAX);
    }
}

static void test_fv_good(void **state)
{
    (void)state;
    expect(make(0x1000, 0x1000), TDS_OK, NULL);
    expect(make(0x10000, 0x1000), TDS_OK, NULL);
    /* FFS2 as well as FFS3. */
    tds_bytes fv = make(0x2000, 0x1000);
    memcpy(vol + O_GUID, tdvf_guid_ffs2.b, 16);
    fix_sum();
    expect(fv, TDS_OK, NULL);
    /* Two block-map entries, a longer header (padding after the terminator), other attributes. */
    fv = make(0x3000, 0x1000);
    tds_store_le32(vol + O_MAP, 2);
    tds_store_le32(vol + O_MAP + 4, 0x800);
    tds_store_le32(vol + O_MAP + 8, 2);
    tds_store_le32(vol + O_MAP + 12, 0x1000);
    memset(vol + O_MAP + 16, 0, 8 + 16);
    tds_store_le16(vol + O_HLEN, 96);
    tds_store_le32(vol + O_ATTR, 0x0004f6ffu);
    fix_sum();
    expect(fv, TDS_OK, NULL);
    /* Limits: a volume that is only its header (HeaderLength == FvLength == 72, one 72-byte
     * block), and one whose header ends exactly at the block map's terminator. */
    fv = make(72, 72);
    expect(fv, TDS_OK, NULL);
    /* An extended header right after the header, and one ending exactly at the volume's end. */
    fv = make(0x1000, 0x1000);
    tds_store_le16(vol + O_EXT, 72);
    tds_store_le32(vol + 72 + 16, TDVF_FV_EXT_HEADER);
    fix_sum();
    expect(fv, TDS_OK, NULL);
    tds_store_le16(vol + O_EXT, 0x1000 - 24);
    tds_store_le32(vol + 0x1000 - 24 + 16, 24);
    fix_sum();
    expect(fv, TDS_OK, NULL);
}

static void test_fv_header_hostile(void **state)
{
    (void)state;
    tds_bytes fv = make(0x1000, 0x1000);
    expect(tds_bytes_make(vol, TDVF_FV_FIXED_HEADER - 1), TDS_ERR_TRUNCATED,
           "firmware volume: shorter than the 56-byte EFI_FIRMWARE_VOLUME_HEADER");
    expect(tds_bytes_make(vol, 0), TDS_ERR_TRUNCATED,
           "firmware volume: shorter than the 56-byte EFI_FIRMWARE_VOLUME_HEADER");
    assert_int_equal(tdvf_fv_check(tds_bytes_make(NULL, 8), NULL), TDS_ERR_INVALID_ARG);
    /* Each rule alone: the checksum is fixed after every change. */
    make(0x1000, 0x1000);
    vol[O_SIG + 3] = 'X';
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: Signature is not '_FVH'");
    make(0x1000, 0x1000);
    vol[15] = 1;
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: ZeroVector is not zero");
    make(0x1000, 0x1000);
    memcpy(vol + O_GUID, tdvf_guid_metadata_hdr.b, 16);
    fix_sum();
    expect(fv, TDS_ERR_UNSUPPORTED,
           "firmware volume: FileSystemGuid is neither FIRMWARE_FILE_SYSTEM2 nor 3");
    make(0x1000, 0x1000);
    vol[O_REV] = 1;
    fix_sum();
    expect(fv, TDS_ERR_UNSUPPORTED, "firmware volume: Revision is not 2");
    make(0x1000, 0x1000);
    vol[O_RSVD] = 1;
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: Reserved byte is not 0");
    /* FvLength one off either way, and the slice one off against a right FvLength. */
    make(0x1000, 0x1000);
    tds_store_le64(vol + O_LENGTH, 0xFFF);
    fix_sum();
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: FvLength is not the size of the volume");
    tds_store_le64(vol + O_LENGTH, 0x1001);
    fix_sum();
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: FvLength is not the size of the volume");
    tds_store_le64(vol + O_LENGTH, 0x1000 + (1ull << 32)); /* only the low half right */
    fix_sum();
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: FvLength is not the size of the volume");
    make(0x1000, 0x1000);
    expect(tds_bytes_make(vol, 0xFFF), TDS_ERR_MISMATCH,
           "firmware volume: FvLength is not the size of the volume");
    expect(tds_bytes_make(vol, 0x1001), TDS_ERR_MISMATCH,
           "firmware volume: FvLength is not the size of the volume");
    /* HeaderLength: odd, one word short of the minimum, past the volume. */
    make(0x1000, 0x1000);
    tds_store_le16(vol + O_HLEN, 73);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: HeaderLength is odd");
    tds_store_le16(vol + O_HLEN, 70);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED,
           "firmware volume: HeaderLength below the header, one block and the terminator");
    tds_store_le16(vol + O_HLEN, 0);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED,
           "firmware volume: HeaderLength below the header, one block and the terminator");
    fv = make(72, 72);
    tds_store_le16(vol + O_HLEN, 74); /* one word past a volume that is only its header */
    fix_sum();
    expect(fv, TDS_ERR_OUT_OF_BOUNDS, "firmware volume: HeaderLength is past the volume");
    /* Checksum one off. */
    fv = make(0x1000, 0x1000);
    tds_store_le16(vol + O_SUM, (uint16_t)(tds_load_le16(vol + O_SUM) + 1));
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: header Checksum does not sum to 0");
    /* A byte of the header outside the fixed part (padding after the terminator) is summed. */
    make(0x1000, 0x1000);
    tds_store_le16(vol + O_HLEN, 80);
    memset(vol + 72, 0, 8);
    fix_sum();
    expect(fv, TDS_OK, NULL);
    vol[79] = 1;
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: header Checksum does not sum to 0");
}

static void test_fv_ext_header_hostile(void **state)
{
    (void)state;
    tds_bytes fv = make(0x1000, 0x1000);
    tds_store_le16(vol + O_EXT, 70); /* inside the 72-byte header */
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: ExtHeaderOffset points into the header");
    /* No room for the 20 bytes: FvName + ExtHeaderSize end one byte past the volume. */
    make(0x1000, 0x1000);
    tds_store_le16(vol + O_EXT, 0x1000 - 19);
    fix_sum();
    expect(fv, TDS_ERR_OUT_OF_BOUNDS,
           "firmware volume: no room for the extended header at ExtHeaderOffset");
    tds_store_le16(vol + O_EXT, 0xFFFF);
    fix_sum();
    expect(fv, TDS_ERR_OUT_OF_BOUNDS,
           "firmware volume: no room for the extended header at ExtHeaderOffset");
    /* ExtHeaderSize below its own fixed part, one byte past the end, and huge. */
    make(0x1000, 0x1000);
    tds_store_le16(vol + O_EXT, 0x100);
    fix_sum();
    tds_store_le32(vol + 0x100 + 16, 19);
    expect(fv, TDS_ERR_OUT_OF_BOUNDS,
           "firmware volume: ExtHeaderSize below 20 or past the end of the volume");
    tds_store_le32(vol + 0x100 + 16, 0x1000 - 0x100 + 1);
    expect(fv, TDS_ERR_OUT_OF_BOUNDS,
           "firmware volume: ExtHeaderSize below 20 or past the end of the volume");
    tds_store_le32(vol + 0x100 + 16, UINT32_MAX);
    expect(fv, TDS_ERR_OUT_OF_BOUNDS,
           "firmware volume: ExtHeaderSize below 20 or past the end of the volume");
    tds_store_le32(vol + 0x100 + 16, 0x1000 - 0x100); /* exactly to the end */
    expect(fv, TDS_OK, NULL);
}

static void test_fv_block_map_hostile(void **state)
{
    (void)state;
    /* No terminator: HeaderLength 72 leaves room for two entries, both non-zero. */
    tds_bytes fv = make(0x1000, 0x1000);
    tds_store_le32(vol + O_MAP, 1);
    tds_store_le32(vol + O_MAP + 4, 0x800);
    tds_store_le32(vol + O_MAP + 8, 1);
    tds_store_le32(vol + O_MAP + 12, 0x800);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED,
           "firmware volume: block map has no {0,0} terminator inside HeaderLength");
    /* ... and the same map is fine once the header has room for the terminator. */
    tds_store_le16(vol + O_HLEN, 80);
    memset(vol + 72, 0, 8);
    fix_sum();
    expect(fv, TDS_OK, NULL);
    /* Half-zero entries. */
    make(0x1000, 0x1000);
    tds_store_le32(vol + O_MAP, 0);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: block map entry with NumBlocks or Length 0");
    make(0x1000, 0x1000);
    tds_store_le32(vol + O_MAP + 4, 0);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED, "firmware volume: block map entry with NumBlocks or Length 0");
    /* Empty map. */
    make(0x1000, 0x1000);
    tds_store_le32(vol + O_MAP, 0);
    tds_store_le32(vol + O_MAP + 4, 0);
    fix_sum();
    expect(fv, TDS_ERR_MALFORMED,
           "firmware volume: block map is empty (its first entry is the terminator)");
    /* One block short, one block over. */
    make(0x2000, 0x1000);
    tds_store_le32(vol + O_MAP, 1);
    fix_sum();
    expect(tds_bytes_make(vol, 0x2000), TDS_ERR_MISMATCH,
           "firmware volume: block map does not add up to FvLength");
    tds_store_le32(vol + O_MAP, 3);
    fix_sum();
    expect(tds_bytes_make(vol, 0x2000), TDS_ERR_MISMATCH,
           "firmware volume: block map does not add up to FvLength");
    /* NumBlocks * Length that wraps to FvLength in 32 bits (0x10001 * 0x10000 = 0x1_0001_0000),
     * and a full 32 x 32-bit product. */
    fv = make(0x10000, 0x10000);
    tds_store_le32(vol + O_MAP, 0x10001);
    tds_store_le32(vol + O_MAP + 4, 0x10000);
    fix_sum();
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: block map does not add up to FvLength");
    tds_store_le32(vol + O_MAP, UINT32_MAX);
    tds_store_le32(vol + O_MAP + 4, UINT32_MAX);
    fix_sum();
    expect(fv, TDS_ERR_MISMATCH, "firmware volume: block map does not add up to FvLength");
    /* Two maximal entries: their sum does not fit in 64 bits. */
    fv = make(0x1000, 0x1000);
    for (size_t i = 0; i < 2; i++) {
        tds_store_le32(vol + O_MAP + 8u * i, UINT32_MAX);
        tds_store_le32(vol + O_MAP + 8u * i + 4u, UINT32_MAX);
    }
    memset(vol + O_MAP + 16, 0, 8);
    tds_store_le16(vol + O_HLEN, 80);
    fix_sum();
    expect(fv, TDS_ERR_OVERFLOW, "firmware volume: block map total overflows 64 bits");
    /* Entries that add up only through a later one: {1, 0x800}, {1, 0x800} = 0x1000. */
    make(0x1000, 0x1000);
    tds_store_le32(vol + O_MAP, 1);
    tds_store_le32(vol + O_MAP + 4, 0x800);
    tds_store_le32(vol + O_MAP + 8, 1);
    tds_store_le32(vol + O_MAP + 12, 0x800);
    memset(vol + O_MAP + 16, 0, 8);
    tds_store_le16(vol + O_HLEN, 80);
    fix_sum();
    expect(fv, TDS_OK, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fv_good),
        cmocka_unit_test(test_fv_header_hostile),
        cmocka_unit_test(test_fv_ext_header_hostile),
        cmocka_unit_test(test_fv_block_map_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
