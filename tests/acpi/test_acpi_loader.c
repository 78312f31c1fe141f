/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libacpi table-loader: a q35-like script as QEMU's acpi-build.c writes it, executed and compared
 * byte for byte with a result computed without the library; the documented corner cases; and
 * every hostile script and hostile allocation on its own, each checked for its reason, status
 * and command index, and that no byte of any blob changed (and, for pass-1 refusals, that
 * nothing was even allocated).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "acpi_test_util.h"
#include "tdshim/acpi.h"

static q35_input g_in;
static fake_fw g_fw;
static acpi_loader_blob g_blobs[FW_MAX_FILES];

static int setup(void **state)
{
    (void)state;
    q35_build(&g_in);
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    memset(g_blobs, 0x5a, sizeof g_blobs);
    return 0;
}

static tds_status run_sc(const script *sc, uint32_t flags, bool wp, acpi_loader_result *res,
                         acpi_error *err)
{
    acpi_loader_ops ops = fw_ops(&g_fw, wp);
    return acpi_loader_run(tds_bytes_make(sc->b, sc_len(sc)), &ops, flags, g_blobs, FW_MAX_FILES,
                           res, err);
}

/* A refusal: reason, status, command; nothing patched; res untouched; `allocs` allocations. */
static void expect_refused(const script *sc, uint32_t flags, bool wp, acpi_reason reason,
                           uint32_t index, uint32_t allocs)
{
    acpi_loader_result res;
    memset(&res, 0x77, sizeof res);
    acpi_error err;
    tds_status s = run_sc(sc, flags, wp, &res, &err);
    if (err.reason != reason) {
        fail_msg("reason %s, expected %s", acpi_reason_str(err.reason), acpi_reason_str(reason));
    }
    assert_int_equal(s, acpi_reason_status(reason));
    assert_int_equal(err.status, s);
    assert_int_equal(err.index, index);
    assert_int_equal(g_fw.allocs, allocs);
    assert_int_equal(err.allocated, allocs);
    assert_true(fw_unchanged(&g_fw));
    assert_int_equal(res.commands, 0x77777777u);
    assert_int_equal(g_fw.n_wp, 0);
}

/* ---- the q35-like script --------------------------------------------------------------------- */

static void test_q35_byte_exact(void **state)
{
    (void)state;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&g_in.sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(err.reason, ACPI_R_NONE);
    assert_int_equal(res.blobs, 2);
    assert_int_equal(res.commands, 32);
    assert_int_equal(res.pointers, 8);
    assert_int_equal(res.checksums, 7);
    assert_int_equal(res.write_pointers, 0);
    assert_int_equal(res.padding, 32 - 17);
    assert_int_equal(res.skipped, 0);

    /* ALLOCATE order, alignment, zone, where the firmware put them. */
    assert_string_equal(g_blobs[0].name, Q35_RSDP);
    assert_int_equal(g_blobs[0].zone, ACPI_LOADER_ZONE_FSEG);
    assert_int_equal(g_blobs[0].align, 16);
    assert_int_equal(g_blobs[0].addr, FW_FSEG_ADDR);
    assert_int_equal(g_blobs[0].command, 0);
    assert_string_equal(g_blobs[1].name, Q35_TABLES);
    assert_int_equal(g_blobs[1].zone, ACPI_LOADER_ZONE_HIGH);
    assert_int_equal(g_blobs[1].align, 64);
    assert_int_equal(g_blobs[1].addr, FW_HIGH_ADDR);
    assert_int_equal(g_blobs[1].size, Q35_TABLES_SIZE);
    /* The tables blob is the target of 4-byte pointers: it must end below 4 GiB. */
    assert_int_equal(g_fw.reqs[1].max_last, 0xffffffffull);
    assert_int_equal(g_fw.reqs[0].max_last, UINT64_MAX);
    assert_int_equal(g_fw.reqs[1].align, 64);
    assert_int_equal(g_fw.reqs[0].zone, ACPI_LOADER_ZONE_FSEG);

    static uint8_t want_tables[Q35_TABLES_SIZE];
    uint8_t want_rsdp[ACPI_RSDP_V1_SIZE];
    q35_expected(&g_in, FW_HIGH_ADDR, FW_FSEG_ADDR, want_tables, want_rsdp);
    assert_memory_equal(g_fw.high, want_tables, Q35_TABLES_SIZE);
    assert_memory_equal(g_fw.fseg, want_rsdp, ACPI_RSDP_V1_SIZE);
    /* Nothing outside the blobs was touched. */
    for (size_t i = Q35_TABLES_SIZE; i < FW_HIGH_LEN; i++) {
        assert_int_equal(g_fw.high[i], FW_FILL);
    }
    for (size_t i = ACPI_RSDP_V1_SIZE; i < FW_FSEG_LEN; i++) {
        assert_int_equal(g_fw.fseg[i], FW_FILL);
    }
    /* A few values spelled out. */
    assert_int_equal(get_le32(g_fw.fseg + 16), FW_HIGH_ADDR + g_in.rsdt);
    assert_int_equal(get_le32(g_fw.high + g_in.facp + 40), FW_HIGH_ADDR + g_in.dsdt);
    assert_int_equal(get_le64(g_fw.high + g_in.facp + 140), FW_HIGH_ADDR + g_in.dsdt);
    assert_int_equal(get_le32(g_fw.high + g_in.facp + 36), FW_HIGH_ADDR + g_in.facs);
    assert_int_equal(get_le32(g_fw.high + g_in.rsdt + 36), FW_HIGH_ADDR + g_in.facp);
}

/* The RSDP blob after the run, written out by hand: tables at 0x7ffc0000, RSDT at 0x258. */
static void test_rsdp_golden(void **state)
{
    (void)state;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(g_in.rsdt, 0x258);
    assert_int_equal(run_sc(&g_in.sc, 0, false, &res, &err), TDS_OK);
    static const uint8_t want[20] = {'R', 'S', 'D', ' ', 'P', 'T',  'R',  ' ',  0x7d, 'B',
                                     'O', 'C', 'H', 'S', ' ', 0x00, 0x58, 0x02, 0xfc, 0x7f};
    assert_memory_equal(g_fw.fseg, want, sizeof want);
}

/* ADD_CHECKSUM subtracts: a non-zero byte at result_offset is kept in the sum (OVMF would
 * overwrite it); and a result byte outside the range is still "value minus sum". */
static void test_checksum_subtracts(void **state)
{
    (void)state;
    static uint8_t blob[32];
    for (size_t i = 0; i < sizeof blob; i++) {
        blob[i] = (uint8_t)(i * 7u + 1u);
    }
    fw_init(&g_fw);
    fw_add(&g_fw, "f", blob, sizeof blob);
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, "f", 1, ACPI_LOADER_ZONE_HIGH);
    sc_cksum(&sc, "f", 3, 0, 16);  /* inside the range: the range then sums to 0 */
    sc_cksum(&sc, "f", 20, 0, 16); /* outside: byte 20 -= sum of [0, 16) (now 0) */
    sc_cksum(&sc, "f", 31, 4, 8);  /* outside: byte 31 -= sum of [4, 12) */
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    uint8_t want[32];
    memcpy(want, blob, sizeof want);
    unsigned sum = 0;
    for (size_t i = 0; i < 16; i++) {
        sum += want[i];
    }
    want[3] = (uint8_t)(want[3] - sum);
    unsigned sum2 = 0;
    for (size_t i = 4; i < 12; i++) {
        sum2 += want[i];
    }
    want[31] = (uint8_t)(want[31] - sum2);
    assert_memory_equal(g_fw.high, want, sizeof want);
    unsigned check = 0;
    for (size_t i = 0; i < 16; i++) {
        check += g_fw.high[i];
    }
    assert_int_equal(check & 0xffu, 0);
}

/* Pointers of every size, a non-zero stored offset, and an 8-byte pointer above 4 GiB. */
static void test_pointer_sizes(void **state)
{
    (void)state;
    static uint8_t dst[24];
    static uint8_t src[0x300];
    memset(dst, 0, sizeof dst);
    dst[0] = 0x10;            /* 1-byte: src + 0x10 */
    put_le16(dst + 2, 0x120); /* 2-byte */
    put_le32(dst + 4, 0x2ff); /* 4-byte: the last byte of src */
    put_le64(dst + 8, 0x44);  /* 8-byte */
    fw_init(&g_fw);
    g_fw.high_addr = 0x20; /* so that 1- and 2-byte pointers can reach src */
    fw_add(&g_fw, "dst", dst, sizeof dst);
    fw_add(&g_fw, "src", src, sizeof src);
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, "src", 1, ACPI_LOADER_ZONE_HIGH);
    sc_alloc(&sc, "dst", 8, ACPI_LOADER_ZONE_HIGH);
    sc_ptr(&sc, "dst", "src", 0, 1);
    sc_ptr(&sc, "dst", "src", 2, 2);
    sc_ptr(&sc, "dst", "src", 4, 4);
    sc_ptr(&sc, "dst", "src", 8, 8);
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(g_fw.reqs[0].max_last, 0xff); /* the 1-byte pointer's limit */
    const uint8_t *d = g_fw.high + 0x300;          /* dst after src, 8-aligned */
    assert_int_equal(g_blobs[1].addr, 0x20 + 0x300);
    assert_int_equal(d[0], 0x30);
    assert_int_equal(d[2] | d[3] << 8, 0x140);
    assert_int_equal(get_le32(d + 4), 0x31f);
    assert_int_equal(get_le64(d + 8), 0x64);
    assert_int_equal(d[16], 0); /* untouched */

    /* The same 8-byte pointer with the source far above 4 GiB. */
    fw_init(&g_fw);
    g_fw.high_addr = 0x123400000000ull;
    fw_add(&g_fw, "dst", dst, sizeof dst);
    fw_add(&g_fw, "src", src, sizeof src);
    sc_init(&sc);
    sc_alloc(&sc, "src", 1, ACPI_LOADER_ZONE_HIGH);
    sc_alloc(&sc, "dst", 8, ACPI_LOADER_ZONE_HIGH);
    sc_ptr(&sc, "dst", "src", 8, 8);
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(get_le64(g_fw.high + 0x300 + 8), 0x123400000044ull);
}

static void test_check_only(void **state)
{
    (void)state;
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    ops.allocate = NULL; /* not needed, not called */
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(acpi_loader_check(tds_bytes_make(g_in.sc.b, sc_len(&g_in.sc)), &ops, 0,
                                       g_blobs, FW_MAX_FILES, &res, &err),
                     TDS_OK);
    assert_int_equal(res.blobs, 2);
    assert_int_equal(res.pointers, 0);
    assert_int_equal(g_blobs[1].size, Q35_TABLES_SIZE);
    assert_int_equal(g_blobs[1].max_last, 0xffffffffull);
    assert_int_equal(g_fw.allocs, 0);
    assert_true(fw_unchanged(&g_fw));
    const acpi_loader_blob *b;
    assert_int_equal(acpi_loader_find(g_blobs, res.blobs, Q35_RSDP, &b), TDS_OK);
    assert_ptr_equal(b, &g_blobs[0]);
    assert_int_equal(acpi_loader_find(g_blobs, res.blobs, "etc/acpi", &b), TDS_ERR_NOT_FOUND);
    /* run needs allocate */
    assert_int_equal(acpi_loader_run(tds_bytes_make(g_in.sc.b, sc_len(&g_in.sc)), &ops, 0, g_blobs,
                                     FW_MAX_FILES, &res, &err),
                     TDS_ERR_INVALID_ARG);
}

static void test_empty_script(void **state)
{
    (void)state;
    script sc;
    sc_init(&sc);
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(res.blobs, 0);
    assert_int_equal(res.commands, 0);
}

/* ---- WRITE_POINTER --------------------------------------------------------------------------- */

static uint8_t g_vmgenid[4096];
static uint8_t g_vmgenid_addr[8];

static void wp_script(script *sc)
{
    fw_add(&g_fw, "etc/vmgenid_guid", g_vmgenid, sizeof g_vmgenid);
    fw_add(&g_fw, "etc/vmgenid_addr", g_vmgenid_addr, sizeof g_vmgenid_addr);
    sc_init(sc);
    sc_alloc(sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_wptr(sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 0, 40, 8);
}

static void test_write_pointer(void **state)
{
    (void)state;
    script sc;
    wp_script(&sc);
    sc_cksum(&sc, "etc/vmgenid_guid", 0, 0, 8); /* after the WRITE_POINTER in the script */
    acpi_loader_result res;
    acpi_error err;
    g_vmgenid[0] = 1;
    assert_int_equal(run_sc(&sc, 0, true, &res, &err), TDS_OK);
    g_vmgenid[0] = 0;
    assert_int_equal(res.write_pointers, 1);
    assert_int_equal(g_fw.n_wp, 1);
    assert_string_equal(g_fw.wps[0].file, "etc/vmgenid_addr");
    assert_int_equal(g_fw.wps[0].offset, 0);
    assert_int_equal(g_fw.wps[0].size, 8);
    assert_int_equal(g_fw.wps[0].value, FW_HIGH_ADDR + 40);
    assert_int_equal(g_fw.high[0], 0); /* the checksum ran (1 - 1) */
}

static void test_write_pointer_no_op(void **state)
{
    (void)state;
    script sc;
    wp_script(&sc);
    expect_refused(&sc, 0, false, ACPI_R_WRITE_POINTER_REFUSED, 1, 0);
}

static void test_write_pointer_op_fails(void **state)
{
    (void)state;
    script sc;
    wp_script(&sc);
    sc_cksum(&sc, "etc/vmgenid_guid", 0, 0, 8);
    g_fw.wp_status = TDS_ERR_UNSUPPORTED;
    g_vmgenid[0] = 1;
    acpi_loader_result res;
    memset(&res, 0x77, sizeof res);
    acpi_error err;
    tds_status s = run_sc(&sc, 0, true, &res, &err);
    g_vmgenid[0] = 0;
    assert_int_equal(s, TDS_ERR_UNSUPPORTED); /* the op's own status */
    assert_int_equal(err.reason, ACPI_R_WRITE_POINTER_FAILED);
    assert_int_equal(err.status, TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.index, 1);
    assert_int_equal(err.allocated, 1);
    assert_int_equal(g_fw.high[0], 0); /* documented: the blobs are fully patched */
    assert_int_equal(res.commands, 0x77777777u);
}

static void test_write_pointer_hostile(void **state)
{
    (void)state;
    script sc;
    /* The fw_cfg file that receives it does not exist. */
    fw_add(&g_fw, "etc/vmgenid_guid", g_vmgenid, sizeof g_vmgenid);
    sc_init(&sc);
    sc_alloc(&sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_wptr(&sc, "etc/nowhere", "etc/vmgenid_guid", 0, 0, 8);
    expect_refused(&sc, 0, true, ACPI_R_FILE_NOT_FOUND, 1, 0);
    /* The pointer does not fit in it. */
    fw_add(&g_fw, "etc/vmgenid_addr", g_vmgenid_addr, sizeof g_vmgenid_addr);
    sc_init(&sc);
    sc_alloc(&sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_wptr(&sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 4, 0, 8);
    expect_refused(&sc, 0, true, ACPI_R_POINTER_RANGE, 1, 0);
    /* src_offset outside the source. */
    sc_init(&sc);
    sc_alloc(&sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_wptr(&sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 0, 4096, 8);
    expect_refused(&sc, 0, true, ACPI_R_WRITE_POINTER_SOURCE, 1, 0);
    /* Pointer size 3, and a source never allocated. */
    sc_init(&sc);
    sc_alloc(&sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_wptr(&sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 0, 0, 3);
    expect_refused(&sc, 0, true, ACPI_R_POINTER_SIZE, 1, 0);
    sc_init(&sc);
    sc_wptr(&sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 0, 0, 8);
    expect_refused(&sc, 0, true, ACPI_R_NOT_ALLOCATED, 0, 0);
    /* A 4-byte pointer to a blob above 4 GiB: refused after allocation, before any write. */
    g_fw.high_addr = 0x100000000ull;
    sc_init(&sc);
    sc_alloc(&sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_wptr(&sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 0, 0, 4);
    expect_refused(&sc, 0, true, ACPI_R_RELOC_OVERFLOW, 1, 1);
}

/* ---- unknown commands and padding ------------------------------------------------------------ */

static void test_unknown_command(void **state)
{
    (void)state;
    script sc = g_in.sc;
    uint8_t *e = sc.b + (size_t)20 * ACPI_LOADER_ENTRY_SIZE; /* a padding entry */
    put_le32(e, 7);
    expect_refused(&sc, 0, false, ACPI_R_UNKNOWN_COMMAND, 20, 0);
    /* Command 0 with a non-zero body is not padding either. */
    put_le32(e, 0);
    e[100] = 1;
    expect_refused(&sc, 0, false, ACPI_R_UNKNOWN_COMMAND, 20, 0);
    /* With ACPI_LOADER_SKIP_UNKNOWN (OVMF / SeaBIOS behaviour) it is skipped. */
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, ACPI_LOADER_SKIP_UNKNOWN, false, &res, &err), TDS_OK);
    assert_int_equal(res.skipped, 1);
    assert_int_equal(res.padding, 14);
    assert_int_equal(res.pointers, 8);
}

/* ---- hostile scripts: pass 1 (nothing allocated) -------------------------------------------- */

static void test_script_size(void **state)
{
    (void)state;
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(acpi_loader_run(tds_bytes_make(g_in.sc.b, sc_len(&g_in.sc) - 1), &ops, 0,
                                     g_blobs, FW_MAX_FILES, &res, &err),
                     TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_SCRIPT_SIZE);
    assert_int_equal(err.index, ACPI_NO_INDEX);
    assert_int_equal(
        acpi_loader_run(tds_bytes_make(g_in.sc.b, 100), &ops, 0, g_blobs, FW_MAX_FILES, &res, &err),
        TDS_ERR_MALFORMED);
    assert_int_equal(g_fw.allocs, 0);
    assert_true(fw_unchanged(&g_fw));
}

static void test_script_too_long(void **state)
{
    (void)state;
    static script sc;
    sc = g_in.sc;
    sc_pad(&sc, ACPI_LOADER_MAX_COMMANDS);
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(res.padding, ACPI_LOADER_MAX_COMMANDS - 17);
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    sc_pad(&sc, ACPI_LOADER_MAX_COMMANDS + 1);
    expect_refused(&sc, 0, false, ACPI_R_SCRIPT_TOO_LONG, ACPI_NO_INDEX, 0);
}

static void test_name_unterminated(void **state)
{
    (void)state;
    script sc = g_in.sc;
    memset(sc.b + (size_t)1 * ACPI_LOADER_ENTRY_SIZE + 4, 'x', 56); /* ALLOCATE's file */
    expect_refused(&sc, 0, false, ACPI_R_NAME, 1, 0);
    sc = g_in.sc;
    memset(sc.b + (size_t)3 * ACPI_LOADER_ENTRY_SIZE + 60, 'y', 56); /* an ADD_POINTER's src */
    expect_refused(&sc, 0, false, ACPI_R_NAME, 3, 0);
    sc = g_in.sc;
    /* 55 characters and a NUL is the longest name: accepted by the format, unknown here. */
    memset(sc.b + (size_t)1 * ACPI_LOADER_ENTRY_SIZE + 4, 'z', 55);
    expect_refused(&sc, 0, false, ACPI_R_FILE_NOT_FOUND, 1, 0);
}

static void test_name_empty(void **state)
{
    (void)state;
    script sc = g_in.sc;
    memset(sc.b + (size_t)2 * ACPI_LOADER_ENTRY_SIZE + 4, 0,
           56); /* the first ADD_CHECKSUM's file */
    expect_refused(&sc, 0, false, ACPI_R_NAME, 2, 0);
}

static void test_unknown_file(void **state)
{
    (void)state;
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, Q35_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    sc_alloc(&sc, "etc/acpi/missing", 64, ACPI_LOADER_ZONE_HIGH);
    expect_refused(&sc, 0, false, ACPI_R_FILE_NOT_FOUND, 1, 0);
}

static void test_file_empty(void **state)
{
    (void)state;
    fw_add(&g_fw, "etc/empty", g_vmgenid, 0);
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, "etc/empty", 64, ACPI_LOADER_ZONE_HIGH);
    expect_refused(&sc, 0, false, ACPI_R_FILE_EMPTY, 0, 0);
}

static void test_duplicate_allocate(void **state)
{
    (void)state;
    script sc = g_in.sc;
    uint8_t *e = sc.b + (size_t)20 * ACPI_LOADER_ENTRY_SIZE;
    memcpy(e, sc.b, ACPI_LOADER_ENTRY_SIZE); /* ALLOCATE rsdp again, after everything */
    expect_refused(&sc, 0, false, ACPI_R_DUPLICATE_ALLOCATE, 20, 0);
}

static void test_alignment(void **state)
{
    (void)state;
    script sc = g_in.sc;
    uint8_t *align = sc.b + (size_t)1 * ACPI_LOADER_ENTRY_SIZE + 60;
    put_le32(align, 3);
    expect_refused(&sc, 0, false, ACPI_R_ALIGN_NOT_POW2, 1, 0);
    put_le32(align, 0);
    expect_refused(&sc, 0, false, ACPI_R_ALIGN_NOT_POW2, 1, 0);
    put_le32(align, 8192);
    expect_refused(&sc, 0, false, ACPI_R_ALIGN_TOO_LARGE, 1, 0);
    put_le32(align, 0x80000000u);
    expect_refused(&sc, 0, false, ACPI_R_ALIGN_TOO_LARGE, 1, 0);
    put_le32(align, 4096); /* the largest accepted */
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
}

static void test_zone(void **state)
{
    (void)state;
    script sc = g_in.sc;
    sc.b[0 * ACPI_LOADER_ENTRY_SIZE + 64] = 3;
    expect_refused(&sc, 0, false, ACPI_R_ZONE, 0, 0);
    sc.b[0 * ACPI_LOADER_ENTRY_SIZE + 64] = 0;
    expect_refused(&sc, 0, false, ACPI_R_ZONE, 0, 0);
}

static void test_too_many_files(void **state)
{
    (void)state;
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(acpi_loader_run(tds_bytes_make(g_in.sc.b, sc_len(&g_in.sc)), &ops, 0, g_blobs,
                                     1, &res, &err),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(err.reason, ACPI_R_TOO_MANY_FILES);
    assert_int_equal(err.index, 1);
    assert_int_equal(g_fw.allocs, 0);
}

static void test_not_allocated(void **state)
{
    (void)state;
    /* The source is allocated, but only after the command that uses it. */
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, Q35_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    sc_ptr(&sc, Q35_RSDP, Q35_TABLES, 16, 4);
    sc_alloc(&sc, Q35_TABLES, 64, ACPI_LOADER_ZONE_HIGH);
    expect_refused(&sc, 0, false, ACPI_R_NOT_ALLOCATED, 1, 0);
    sc_init(&sc);
    sc_cksum(&sc, Q35_RSDP, 8, 0, 20);
    expect_refused(&sc, 0, false, ACPI_R_NOT_ALLOCATED, 0, 0);
}

static void test_pointer_size(void **state)
{
    (void)state;
    script sc = g_in.sc;
    sc.b[3 * ACPI_LOADER_ENTRY_SIZE + 120] = 3;
    expect_refused(&sc, 0, false, ACPI_R_POINTER_SIZE, 3, 0);
    sc.b[3 * ACPI_LOADER_ENTRY_SIZE + 120] = 0;
    expect_refused(&sc, 0, false, ACPI_R_POINTER_SIZE, 3, 0);
    sc.b[3 * ACPI_LOADER_ENTRY_SIZE + 120] = 16;
    expect_refused(&sc, 0, false, ACPI_R_POINTER_SIZE, 3, 0);
}

static void test_pointer_offset(void **state)
{
    (void)state;
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, Q35_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    sc_alloc(&sc, Q35_TABLES, 64, ACPI_LOADER_ZONE_HIGH);
    sc_ptr(&sc, Q35_RSDP, Q35_TABLES, 17, 4); /* 17 + 4 > 20 */
    expect_refused(&sc, 0, false, ACPI_R_POINTER_RANGE, 2, 0);
    sc.n = 2;
    sc_ptr(&sc, Q35_RSDP, Q35_TABLES, 0xfffffffeu, 4); /* would wrap 32 bits */
    expect_refused(&sc, 0, false, ACPI_R_POINTER_RANGE, 2, 0);
    sc.n = 2;
    sc_ptr(&sc, Q35_RSDP, Q35_TABLES, 12, 8); /* exactly to the end: fine */
    sc_ptr(&sc, Q35_RSDP, Q35_TABLES, 20, 1); /* one past */
    expect_refused(&sc, 0, false, ACPI_R_POINTER_RANGE, 3, 0);
}

static void test_pointer_overlap(void **state)
{
    (void)state;
    script sc = g_in.sc;
    sc.n = 17;
    sc_ptr(&sc, Q35_TABLES, Q35_TABLES, g_in.facp + 38, 4); /* over the FACS/DSDT pointers */
    expect_refused(&sc, 0, false, ACPI_R_POINTER_OVERLAP, 17, 0);
    sc.n = 17;
    sc_ptr(&sc, Q35_TABLES, Q35_TABLES, g_in.facp + 6, 4); /* over the FACP checksum byte */
    expect_refused(&sc, 0, false, ACPI_R_POINTER_OVERLAP, 17, 0);
    sc.n = 17;
    sc_cksum(&sc, Q35_TABLES, g_in.rsdt + 37, 0, 0); /* a checksum byte inside a pointer */
    expect_refused(&sc, 0, false, ACPI_R_POINTER_OVERLAP, 17, 0);
}

static void test_checksum_range(void **state)
{
    (void)state;
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, Q35_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    sc_cksum(&sc, Q35_RSDP, 20, 0, 20); /* result one past the end */
    expect_refused(&sc, 0, false, ACPI_R_CHECKSUM_RESULT, 1, 0);
    sc.n = 1;
    sc_cksum(&sc, Q35_RSDP, 8, 1, 20); /* range one past the end */
    expect_refused(&sc, 0, false, ACPI_R_CHECKSUM_RANGE, 1, 0);
    sc.n = 1;
    sc_cksum(&sc, Q35_RSDP, 8, 0xffffffffu, 2); /* start + length wraps 32 bits */
    expect_refused(&sc, 0, false, ACPI_R_CHECKSUM_RANGE, 1, 0);
    sc.n = 1;
    sc_cksum(&sc, Q35_RSDP, 8, 4, 0xffffffffu);
    expect_refused(&sc, 0, false, ACPI_R_CHECKSUM_RANGE, 1, 0);
    sc.n = 1;
    sc_cksum(&sc, Q35_RSDP, 8, 20, 0); /* an empty range at the end is fine */
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
}

static void test_bad_args(void **state)
{
    (void)state;
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    acpi_loader_result res;
    acpi_error err;
    tds_bytes sb = tds_bytes_make(g_in.sc.b, sc_len(&g_in.sc));
    assert_int_equal(acpi_loader_run(sb, NULL, 0, g_blobs, FW_MAX_FILES, &res, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, ACPI_R_BAD_ARG);
    assert_int_equal(acpi_loader_run(sb, &ops, 2, g_blobs, FW_MAX_FILES, &res, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(acpi_loader_run(sb, &ops, 0, g_blobs, FW_MAX_FILES, NULL, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(acpi_loader_run(sb, &ops, 0, NULL, 3, &res, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(acpi_loader_run(tds_bytes_make(NULL, 128), &ops, 0, g_blobs, 3, &res, &err),
                     TDS_ERR_INVALID_ARG);
    ops.file_size = NULL;
    assert_int_equal(acpi_loader_run(sb, &ops, 0, g_blobs, FW_MAX_FILES, &res, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(g_fw.allocs, 0);
    /* err may be NULL */
    ops = fw_ops(&g_fw, false);
    assert_int_equal(acpi_loader_run(sb, &ops, 0, g_blobs, FW_MAX_FILES, &res, NULL), TDS_OK);
}

/* ---- hostile values: pass 2 (allocated, nothing patched) ----------------------------------- */

static void test_pointee_beyond_src(void **state)
{
    (void)state;
    /* The RSDT pointer says the RSDT starts at the very end of the tables blob. */
    put_le32(g_in.rsdp + 16, Q35_TABLES_SIZE);
    expect_refused(&g_in.sc, 0, false, ACPI_R_POINTEE_RANGE, 15, 2);
    put_le32(g_in.rsdp + 16, Q35_TABLES_SIZE - 1); /* the last byte: accepted */
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&g_in.sc, 0, false, &res, &err), TDS_OK);
}

static void test_reloc_overflow_4(void **state)
{
    (void)state;
    /* 4-byte pointers into a blob placed at 4 GiB (the firmware ignored max_last). */
    g_fw.high_addr = 0x100000000ull;
    expect_refused(&g_in.sc, 0, false, ACPI_R_RELOC_OVERFLOW, 3, 2);
    /* Just below: the last byte the RSDT's pointers reach is still < 2^32 ... */
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    g_fw.high_addr = 0x100000000ull - 0x2000;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&g_in.sc, 0, false, &res, &err), TDS_OK);
    /* ... and one stored offset that crosses 2^32 is caught. */
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    g_fw.high_addr = 0x100000000ull - 0x200; /* MCFG at 0x1f4 fits, WAET at 0x230 not */
    expect_refused(&g_in.sc, 0, false, ACPI_R_RELOC_OVERFLOW, 13, 2); /* RSDT -> WAET */
}

static uint8_t g_small_dst[8];
static uint8_t g_small_src[16];

static void small_script(script *sc, uint8_t size)
{
    fw_add(&g_fw, "dst", g_small_dst, sizeof g_small_dst);
    fw_add(&g_fw, "src", g_small_src, sizeof g_small_src);
    sc_init(sc);
    sc_alloc(sc, "src", 1, ACPI_LOADER_ZONE_HIGH);
    sc_alloc(sc, "dst", 1, ACPI_LOADER_ZONE_HIGH);
    sc_ptr(sc, "dst", "src", 0, size);
}

static void test_reloc_overflow_1(void **state)
{
    (void)state;
    script sc;
    memset(g_small_dst, 0, sizeof g_small_dst);
    g_small_dst[0] = 15;
    small_script(&sc, 1);
    g_fw.high_addr = 0xf0; /* 0xf0 + 15 = 0xff fits ... */
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(g_fw.high[16], 0xff);
    fw_init(&g_fw);
    small_script(&sc, 1);
    g_fw.high_addr = 0xf1; /* ... 0x100 does not */
    expect_refused(&sc, 0, false, ACPI_R_RELOC_OVERFLOW, 2, 2);
}

static void test_reloc_overflow_2(void **state)
{
    (void)state;
    script sc;
    memset(g_small_dst, 0, sizeof g_small_dst);
    g_small_dst[0] = 15;
    small_script(&sc, 2);
    g_fw.high_addr = 0xfff0;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&sc, 0, false, &res, &err), TDS_OK);
    assert_int_equal(get_le32(g_fw.high + 16) & 0xffff, 0xffff);
    fw_init(&g_fw);
    small_script(&sc, 2);
    g_fw.high_addr = 0xfff1;
    expect_refused(&sc, 0, false, ACPI_R_RELOC_OVERFLOW, 2, 2);
    memset(g_small_dst, 0, sizeof g_small_dst);
}

/* ---- hostile allocations ----------------------------------------------------------------------
 */

static void test_alloc_fails(void **state)
{
    (void)state;
    g_fw.fail_at = 1;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run_sc(&g_in.sc, 0, false, &res, &err), TDS_ERR_NO_SPACE);
    assert_int_equal(err.reason, ACPI_R_ALLOCATE_FAILED);
    assert_int_equal(err.status, TDS_ERR_NO_SPACE);
    assert_int_equal(err.index, 1);
    assert_int_equal(err.allocated, 1); /* the RSDP blob: the caller releases it */
    assert_true(fw_unchanged(&g_fw));
}

static void test_alloc_misaligned(void **state)
{
    (void)state;
    g_fw.addr_add = 16; /* the tables want 64 */
    expect_refused(&g_in.sc, 0, false, ACPI_R_BLOB_ALIGN, 1, 2);
}

static void test_alloc_short(void **state)
{
    (void)state;
    g_fw.short_mem = true;
    expect_refused(&g_in.sc, 0, false, ACPI_R_BLOB_MEMORY, 0, 1);
}

static void test_alloc_overlap(void **state)
{
    (void)state;
    g_fw.force_addr = 0x100000; /* the same address for both */
    expect_refused(&g_in.sc, 0, false, ACPI_R_BLOB_OVERLAP, 1, 2);
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    g_fw.same_mem = true; /* the same memory for both */
    expect_refused(&g_in.sc, 0, false, ACPI_R_BLOB_OVERLAP, 1, 2);
}

static void test_alloc_wraps(void **state)
{
    (void)state;
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, Q35_TABLES, 64, ACPI_LOADER_ZONE_HIGH);
    g_fw.force_addr = 0xfffffffffffffc00ull; /* 4 KiB of tables from here wrap */
    expect_refused(&sc, 0, false, ACPI_R_BLOB_WRAPS, 0, 1);
}

/* The script's own bytes handed out as blob memory. */
static uint8_t g_script_buf[2 * ACPI_LOADER_ENTRY_SIZE];
static tds_status alloc_script(void *ctx, const acpi_loader_alloc *req, tds_mut_bytes *mem,
                               uint64_t *addr)
{
    (void)ctx;
    (void)req;
    *mem = tds_mut_bytes_make(g_script_buf, 20);
    *addr = 0x1000;
    return TDS_OK;
}

static void test_alloc_over_script(void **state)
{
    (void)state;
    script sc;
    sc_init(&sc);
    sc_alloc(&sc, Q35_RSDP, 16, ACPI_LOADER_ZONE_FSEG);
    memcpy(g_script_buf, sc.b, ACPI_LOADER_ENTRY_SIZE);
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    ops.allocate = alloc_script;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(acpi_loader_run(tds_bytes_make(g_script_buf, ACPI_LOADER_ENTRY_SIZE), &ops, 0,
                                     g_blobs, FW_MAX_FILES, &res, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, ACPI_R_BLOB_OVERLAP);
}

static void test_reason_strings(void **state)
{
    (void)state;
    for (int r = 0; r < (int)ACPI_R_COUNT_; r++) {
        const char *s = acpi_reason_str((acpi_reason)r);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown-reason");
        for (int q = 0; q < r; q++) {
            assert_string_not_equal(s, acpi_reason_str((acpi_reason)q));
        }
        assert_true((acpi_reason_status((acpi_reason)r) == TDS_OK) == (r == ACPI_R_NONE));
    }
    assert_string_equal(acpi_reason_str(ACPI_R_COUNT_), "unknown-reason");
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_q35_byte_exact),
        T(test_rsdp_golden),
        T(test_checksum_subtracts),
        T(test_pointer_sizes),
        T(test_check_only),
        T(test_empty_script),
        T(test_write_pointer),
        T(test_write_pointer_no_op),
        T(test_write_pointer_op_fails),
        T(test_write_pointer_hostile),
        T(test_unknown_command),
        T(test_script_size),
        T(test_script_too_long),
        T(test_name_unterminated),
        T(test_name_empty),
        T(test_unknown_file),
        T(test_file_empty),
        T(test_duplicate_allocate),
        T(test_alignment),
        T(test_zone),
        T(test_too_many_files),
        T(test_not_allocated),
        T(test_pointer_size),
        T(test_pointer_offset),
        T(test_pointer_overlap),
        T(test_checksum_range),
        T(test_bad_args),
        T(test_pointee_beyond_src),
        T(test_reloc_overflow_4),
        T(test_reloc_overflow_1),
        T(test_reloc_overflow_2),
        T(test_alloc_fails),
        T(test_alloc_misaligned),
        T(test_alloc_short),
        T(test_alloc_overlap),
        T(test_alloc_wraps),
        T(test_alloc_over_script),
        T(test_reason_strings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
