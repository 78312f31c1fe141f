/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libacpi tables: the q35-like blobs loaded by the table-loader, then found (RSDP scan), walked,
 * read (FADT power management, MCFG), edited the way a TD firmware edits them (the MADT with the
 * MP wakeup structure from libmailbox, a CCEL table from librtmr) or kept (a plain VM), and
 * rebuilt (RSDP 2 + XSDT). Every hostile table on its own, with its reason, index and address;
 * a refused edit or build wrote nothing anywhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "acpi_test_util.h"
#include "tdshim/acpi.h"
#include "tdshim/ccel.h"
#include "tdshim/madt.h"

#define MEM_ADDR 0x7f000000ull /* the firmware's own memory */
#define MEM_LEN 0x4000u
#define HI_ADDR 0x100000000ull /* firmware memory above 4 GiB */
#define HI_LEN 0x1000u
#define MADT_OFF 0x0u
#define CCEL_OFF 0x400u
#define RSDT_ROOM 0x800u
#define XSDT_ROOM 0xa00u
#define SPARE 0x1000u

static q35_input g_in;
static fake_fw g_fw;
static acpi_loader_blob g_blobs[FW_MAX_FILES];
static uint8_t g_mem[MEM_LEN];
static uint8_t g_hi[HI_LEN];
static acpi_region g_regions[4];
static acpi_space g_space;
static uint8_t *g_tb; /* the loaded tables blob */
static uint8_t *g_rs; /* the loaded RSDP blob */

static uint8_t s_high[Q35_TABLES_SIZE];
static uint8_t s_rsdp[ACPI_RSDP_V1_SIZE];
static uint8_t s_mem[MEM_LEN];
static uint8_t s_hi[HI_LEN];

#define TB(off) (FW_HIGH_ADDR + (uint64_t)(off))
#define MEM(off) (MEM_ADDR + (uint64_t)(off))

static int setup(void **state)
{
    (void)state;
    q35_build(&g_in);
    fw_init(&g_fw);
    q35_files(&g_in, &g_fw);
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    acpi_loader_result res;
    acpi_error err;
    if (acpi_loader_run(tds_bytes_make(g_in.sc.b, sc_len(&g_in.sc)), &ops, 0, g_blobs, FW_MAX_FILES,
                        &res, &err) != TDS_OK) {
        return -1;
    }
    memset(g_mem, 0, sizeof g_mem);
    memset(g_hi, 0, sizeof g_hi);
    g_regions[0] = acpi_loader_blob_region(&g_blobs[1]);
    g_regions[1] = acpi_loader_blob_region(&g_blobs[0]);
    g_regions[2] = (acpi_region){MEM_ADDR, tds_mut_bytes_make(g_mem, sizeof g_mem)};
    g_regions[3] = (acpi_region){HI_ADDR, tds_mut_bytes_make(g_hi, sizeof g_hi)};
    g_space = (acpi_space){g_regions, 4};
    g_tb = g_fw.high;
    g_rs = g_fw.fseg;
    return 0;
}

static void snap(void)
{
    memcpy(s_high, g_tb, sizeof s_high);
    memcpy(s_rsdp, g_rs, sizeof s_rsdp);
    memcpy(s_mem, g_mem, sizeof s_mem);
    memcpy(s_hi, g_hi, sizeof s_hi);
}

static void assert_unchanged(void)
{
    assert_memory_equal(s_high, g_tb, sizeof s_high);
    assert_memory_equal(s_rsdp, g_rs, sizeof s_rsdp);
    assert_memory_equal(s_mem, g_mem, sizeof s_mem);
    assert_memory_equal(s_hi, g_hi, sizeof s_hi);
}

static void fix_table(uint8_t *t)
{
    fix_sum(t, get_le32(t + 4), 9);
}

static void fix_rsdp(void)
{
    fix_sum(g_rs, 20, 8);
}

static void set_rsdt_entry(uint32_t i, uint32_t v)
{
    put_le32(g_tb + g_in.rsdt + 36 + (size_t)4 * i, v);
    fix_table(g_tb + g_in.rsdt);
}

static void open_ok(acpi_tables *t)
{
    acpi_error err;
    tds_status s = acpi_tables_open(&g_space, FW_FSEG_ADDR, t, &err);
    if (s != TDS_OK) {
        fail_msg("open: %s index %u addr 0x%llx", acpi_reason_str(err.reason), err.index,
                 (unsigned long long)err.addr);
    }
}

static void expect_open(uint64_t rsdp, acpi_reason reason, uint32_t index, uint64_t addr)
{
    acpi_tables t;
    memset(&t, 0x5a, sizeof t);
    acpi_error err;
    tds_status s = acpi_tables_open(&g_space, rsdp, &t, &err);
    if (err.reason != reason) {
        fail_msg("reason %s, expected %s", acpi_reason_str(err.reason), acpi_reason_str(reason));
    }
    assert_int_equal(s, acpi_reason_status(reason));
    assert_int_equal(err.status, s);
    assert_int_equal(err.index, index);
    assert_int_equal(err.addr, addr);
    assert_int_equal(t.count, 0x5a5a5a5a); /* out not written */
}

/* ---- walking QEMU-style tables ----------------------------------------------------------------
 */

static void test_open_q35(void **state)
{
    (void)state;
    acpi_tables t;
    open_ok(&t);
    assert_int_equal(t.rsdp_addr, FW_FSEG_ADDR);
    assert_int_equal(t.rsdp_revision, 0);
    assert_int_equal(t.rsdp_length, 20);
    assert_int_equal(t.rsdt_addr, TB(g_in.rsdt));
    assert_int_equal(t.xsdt_addr, 0);
    assert_int_equal(t.count, 4);
    assert_int_equal(t.fadt_addr, TB(g_in.facp));
    assert_int_equal(t.dsdt_addr, TB(g_in.dsdt));
    assert_int_equal(t.facs_addr, TB(g_in.facs));
    static const char *sigs[] = {"FACP", "APIC", "MCFG", "WAET"};
    const uint32_t offs[] = {g_in.facp, g_in.apic, g_in.mcfg, g_in.waet};
    for (uint32_t i = 0; i < 4; i++) {
        acpi_table_ref r;
        assert_int_equal(acpi_tables_entry(&t, i, &r), TDS_OK);
        assert_memory_equal(r.signature, sigs[i], 4);
        assert_int_equal(r.addr, TB(offs[i]));
        assert_ptr_equal(r.bytes.ptr, g_tb + offs[i]);
        assert_int_equal(r.bytes.len, r.length);
    }
    acpi_table_ref r;
    assert_int_equal(acpi_tables_entry(&t, 4, &r), TDS_ERR_INVALID_ARG);
    uint32_t idx = 9;
    assert_int_equal(acpi_tables_find(&t, "MCFG", &r, &idx), TDS_OK);
    assert_int_equal(idx, 2);
    assert_int_equal(r.length, 60);
    assert_int_equal(acpi_tables_find(&t, "HPET", &r, NULL), TDS_ERR_NOT_FOUND);
    assert_int_equal(acpi_sum8(tds_bytes_const(r.bytes)), 0);
}

static void test_rsdp_scan(void **state)
{
    (void)state;
    /* A decoy with a bad checksum, earlier in the list of regions, is skipped. */
    acpi_region regs[3] = {g_regions[2], g_regions[0], g_regions[1]};
    acpi_space s = {regs, 3};
    put_str(g_mem + 0x30, "RSD PTR ");
    uint64_t at = 0;
    assert_int_equal(acpi_rsdp_scan(&s, &at), TDS_OK);
    assert_int_equal(at, FW_FSEG_ADDR);
    /* An RSDP off a 16-byte boundary is not found. */
    memcpy(g_mem + 0x108, g_rs, 20);
    acpi_region only[1] = {g_regions[2]};
    acpi_space s2 = {only, 1};
    assert_int_equal(acpi_rsdp_scan(&s2, &at), TDS_ERR_NOT_FOUND);
    memcpy(g_mem + 0x110, g_rs, 20);
    assert_int_equal(acpi_rsdp_scan(&s2, &at), TDS_OK);
    assert_int_equal(at, MEM(0x110));
    assert_int_equal(acpi_rsdp_scan(NULL, &at), TDS_ERR_INVALID_ARG);
}

static void test_space_map(void **state)
{
    (void)state;
    tds_mut_bytes m;
    assert_int_equal(acpi_space_map(&g_space, TB(0), Q35_TABLES_SIZE, &m), TDS_OK);
    assert_ptr_equal(m.ptr, g_tb);
    assert_int_equal(acpi_space_map(&g_space, TB(1), Q35_TABLES_SIZE, &m), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(acpi_space_map(&g_space, 0x1000, 1, &m), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(acpi_space_map(&g_space, TB(0), 0, &m), TDS_ERR_INVALID_ARG);
    /* A region that wraps the address space is ill-formed. */
    acpi_region bad = {0xfffffffffffff000ull, tds_mut_bytes_make(g_mem, 0x2000)};
    acpi_space sb = {&bad, 1};
    assert_int_equal(acpi_space_map(&sb, 0xfffffffffffff000ull, 1, &m), TDS_ERR_INVALID_ARG);
    acpi_tables t;
    acpi_error err;
    assert_int_equal(acpi_tables_open(&sb, 0xfffffffffffff000ull, &t, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, ACPI_R_BAD_ARG);
}

static void test_fadt(void **state)
{
    (void)state;
    acpi_tables t;
    open_ok(&t);
    acpi_fadt_info f;
    acpi_error err;
    assert_int_equal(acpi_fadt_read(&t, &f, &err), TDS_OK);
    assert_int_equal(f.addr, TB(g_in.facp));
    assert_int_equal(f.length, 244);
    assert_int_equal(f.revision, 3);
    assert_int_equal(f.pm_base, Q35_PMBASE);
    assert_int_equal(f.pm1a_evt.space_id, ACPI_GAS_IO);
    assert_int_equal(f.pm1a_evt.bit_width, 32);
    assert_int_equal(f.pm1a_cnt.space_id, ACPI_GAS_IO);
    assert_int_equal(f.pm1a_cnt.bit_width, 16);
    assert_int_equal(f.pm1a_cnt.address, Q35_PMBASE + 4);
    assert_int_equal(f.pm_tmr.address, Q35_PMBASE + 8);
    assert_int_equal(f.sci_int, 9);
    assert_int_equal(f.smi_cmd, 0xb2);
    assert_int_equal(f.acpi_enable, 2);
    assert_int_equal(f.acpi_disable, 3);
    assert_int_equal(f.flags, 0x84a5);
    assert_true((f.flags & ACPI_FADT_RESET_REG_SUP) != 0);
    assert_int_equal(f.reset_reg.space_id, ACPI_GAS_IO);
    assert_int_equal(f.reset_reg.address, 0xcf9);
    assert_int_equal(f.reset_value, 0x0f);
    assert_int_equal(f.dsdt, TB(g_in.dsdt));
    assert_int_equal(f.facs, TB(g_in.facs));
    assert_int_equal(acpi_fadt_check_pm_base(&f, Q35_PMBASE), TDS_OK);
    assert_int_equal(acpi_fadt_check_pm_base(&f, 0xb000), TDS_ERR_MISMATCH);
    assert_int_equal(acpi_fadt_check_pm_base(NULL, 0), TDS_ERR_INVALID_ARG);
}

/* Without the X_ blocks the legacy ones are reported, as System I/O of width 8 * _LEN. */
static void test_fadt_legacy(void **state)
{
    (void)state;
    uint8_t *f = g_tb + g_in.facp;
    memset(f + 148, 0, 244 - 148);
    fix_table(f);
    acpi_tables t;
    open_ok(&t);
    acpi_fadt_info i;
    assert_int_equal(acpi_fadt_read(&t, &i, NULL), TDS_OK);
    assert_int_equal(i.pm1a_cnt.space_id, ACPI_GAS_IO);
    assert_int_equal(i.pm1a_cnt.bit_width, 16);
    assert_int_equal(i.pm1a_cnt.address, Q35_PMBASE + 4);
    assert_int_equal(i.pm1a_evt.bit_width, 32);
    assert_int_equal(acpi_fadt_check_pm_base(&i, Q35_PMBASE), TDS_OK);
    /* An ACPI 1.0 FADT (116 bytes) too: no reset register. */
    put_le32(f + 4, 116);
    fix_table(f);
    open_ok(&t);
    assert_int_equal(acpi_fadt_read(&t, &i, NULL), TDS_OK);
    assert_int_equal(i.length, 116);
    assert_int_equal(i.reset_reg.address, 0);
    assert_int_equal(acpi_fadt_check_pm_base(&i, Q35_PMBASE), TDS_OK);
}

static void test_fadt_pm_disagree(void **state)
{
    (void)state;
    uint8_t *f = g_tb + g_in.facp;
    put_le64(f + 172 + 4, Q35_PMBASE + 0x104); /* X_PM1a_CNT says another port */
    fix_table(f);
    acpi_tables t;
    open_ok(&t);
    acpi_fadt_info i;
    acpi_error err;
    assert_int_equal(acpi_fadt_read(&t, &i, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_FADT_PM);
    assert_int_equal(err.addr, TB(g_in.facp));
    /* A memory-space X_ block next to a legacy I/O one disagrees too. */
    put_le64(f + 172 + 4, Q35_PMBASE + 4);
    f[172] = ACPI_GAS_MEMORY;
    fix_table(f);
    assert_int_equal(acpi_fadt_read(&t, &i, &err), TDS_ERR_MALFORMED);
    /* A legacy length byte whose width does not fit the GAS byte. */
    f[172] = ACPI_GAS_IO;
    memset(f + 172, 0, 12);
    f[89] = 32;
    fix_table(f);
    assert_int_equal(acpi_fadt_read(&t, &i, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_FADT_PM);
}

static void test_fadt_absent(void **state)
{
    (void)state;
    set_rsdt_entry(0, (uint32_t)TB(g_in.waet)); /* WAET, APIC, MCFG: no FACP */
    put_le32(g_tb + g_in.rsdt + 4, 48);
    fix_table(g_tb + g_in.rsdt);
    acpi_tables t;
    open_ok(&t);
    assert_int_equal(t.count, 3);
    assert_int_equal(t.fadt_addr, 0);
    assert_int_equal(t.dsdt_addr, 0);
    acpi_fadt_info i;
    acpi_error err;
    assert_int_equal(acpi_fadt_read(&t, &i, &err), TDS_ERR_NOT_FOUND);
    assert_int_equal(err.reason, ACPI_R_NOT_FOUND);
}

static void test_mcfg(void **state)
{
    (void)state;
    acpi_tables t;
    open_ok(&t);
    acpi_mcfg_entry e;
    uint32_t n = 0;
    acpi_error err;
    assert_int_equal(acpi_mcfg_read(&t, 0, &e, &n, &err), TDS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(e.base, Q35_MCFG_BASE);
    assert_int_equal(e.segment, 0);
    assert_int_equal(e.start_bus, 0);
    assert_int_equal(e.end_bus, 255);
    assert_int_equal(acpi_mcfg_read(&t, 1, &e, &n, &err), TDS_ERR_NOT_FOUND);
    assert_int_equal(err.reason, ACPI_R_NOT_FOUND);
}

static void test_mcfg_hostile(void **state)
{
    (void)state;
    uint8_t *m = g_tb + g_in.mcfg;
    acpi_tables t;
    acpi_mcfg_entry e;
    uint32_t n;
    acpi_error err;
    m[54] = 10; /* start bus 10 > end bus 9 */
    m[55] = 9;
    fix_table(m);
    open_ok(&t);
    assert_int_equal(acpi_mcfg_read(&t, 0, &e, &n, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_MCFG_ENTRY);
    assert_int_equal(err.index, 2);
    m[54] = 0;
    m[55] = 255;
    put_le64(m + 44, 0xfffffffff0000000ull + 0x100000); /* 256 MiB from here wraps */
    fix_table(m);
    assert_int_equal(acpi_mcfg_read(&t, 0, &e, &n, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_MCFG_ENTRY);
    put_le64(m + 44, Q35_MCFG_BASE);
    put_le32(m + 4, 52); /* not header + whole entries */
    fix_table(m);
    open_ok(&t);
    assert_int_equal(acpi_mcfg_read(&t, 0, &e, &n, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_TABLE_LENGTH);
    put_le32(m + 4, 44); /* no entries at all */
    fix_table(m);
    open_ok(&t);
    assert_int_equal(acpi_mcfg_read(&t, 0, &e, &n, &err), TDS_ERR_NOT_FOUND);
}

/* ---- hostile tables ----------------------------------------------------------------------------
 */

static void test_rsdt_outside(void **state)
{
    (void)state;
    put_le32(g_rs + 16, 0x1000); /* nobody said there is memory at 4 KiB */
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_UNMAPPED, ACPI_NO_INDEX, 0x1000);
    put_le32(g_rs + 16, (uint32_t)TB(Q35_TABLES_SIZE - 20)); /* header runs off the blob */
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_PAST_END, ACPI_NO_INDEX, TB(Q35_TABLES_SIZE - 20));
    expect_open(0x2000, ACPI_R_UNMAPPED, ACPI_NO_INDEX, 0x2000); /* the RSDP itself */
}

static void test_entry_outside(void **state)
{
    (void)state;
    set_rsdt_entry(1, 0x1000);
    expect_open(FW_FSEG_ADDR, ACPI_R_UNMAPPED, 1, 0x1000);
    set_rsdt_entry(1, (uint32_t)MEM(MEM_LEN - 8)); /* header not all inside */
    expect_open(FW_FSEG_ADDR, ACPI_R_PAST_END, 1, MEM(MEM_LEN - 8));
}

static void test_length_past_blob(void **state)
{
    (void)state;
    uint8_t *m = g_tb + g_in.mcfg;
    put_le32(m + 4, Q35_TABLES_SIZE - g_in.mcfg + 1); /* one byte past the blob */
    expect_open(FW_FSEG_ADDR, ACPI_R_PAST_END, 2, TB(g_in.mcfg));
    put_le32(m + 4, 0xffffffffu);
    expect_open(FW_FSEG_ADDR, ACPI_R_PAST_END, 2, TB(g_in.mcfg));
    put_le32(m + 4, 60);
    put_le32(g_tb + g_in.rsdt + 4, 0x10000); /* the RSDT's own length */
    expect_open(FW_FSEG_ADDR, ACPI_R_PAST_END, ACPI_NO_INDEX, TB(g_in.rsdt));
}

static void test_length_short(void **state)
{
    (void)state;
    uint8_t *w = g_tb + g_in.waet;
    put_le32(w + 4, 35);
    fix_table(w);
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_LENGTH, 3, TB(g_in.waet));
    put_le32(w + 4, 40);
    uint8_t *f = g_tb + g_in.facp;
    put_le32(f + 4, 115); /* shorter than an ACPI 1.0 FADT */
    fix_table(f);
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_LENGTH, 0, TB(g_in.facp));
}

static void test_bad_checksums(void **state)
{
    (void)state;
    g_tb[g_in.apic + 40] ^= 1;
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_CHECKSUM, 1, TB(g_in.apic));
    g_tb[g_in.apic + 40] ^= 1;
    g_tb[g_in.rsdt + 20] ^= 1;
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_CHECKSUM, ACPI_NO_INDEX, TB(g_in.rsdt));
    g_tb[g_in.rsdt + 20] ^= 1;
    g_tb[g_in.dsdt + 40] ^= 1;
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_CHECKSUM, ACPI_NO_INDEX, TB(g_in.dsdt));
    g_tb[g_in.dsdt + 40] ^= 1;
    g_rs[12] ^= 1;
    expect_open(FW_FSEG_ADDR, ACPI_R_RSDP_CHECKSUM, ACPI_NO_INDEX, FW_FSEG_ADDR);
    g_rs[12] ^= 1;
    acpi_tables t;
    open_ok(&t);
}

static void test_rsdp_fields(void **state)
{
    (void)state;
    g_rs[3] = '_';
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_RSDP_SIGNATURE, ACPI_NO_INDEX, FW_FSEG_ADDR);
    g_rs[3] = ' ';
    g_rs[15] = 1;
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_RSDP_REVISION, ACPI_NO_INDEX, FW_FSEG_ADDR);
    g_rs[15] = 2; /* revision 2 in a 20-byte blob: the 36-byte form is not there */
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_PAST_END, ACPI_NO_INDEX, FW_FSEG_ADDR);
    g_rs[15] = 0;
    put_le32(g_rs + 16, 0);
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_RSDP_NO_ROOT, ACPI_NO_INDEX, FW_FSEG_ADDR);
}

static void test_root_entries(void **state)
{
    (void)state;
    put_le32(g_tb + g_in.rsdt + 4, 53);
    fix_table(g_tb + g_in.rsdt);
    expect_open(FW_FSEG_ADDR, ACPI_R_ROOT_ENTRIES, ACPI_NO_INDEX, TB(g_in.rsdt));
    /* A root table with the wrong signature. */
    put_le32(g_tb + g_in.rsdt + 4, 52);
    put_str(g_tb + g_in.rsdt, "XSDT");
    fix_table(g_tb + g_in.rsdt);
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_SIGNATURE, ACPI_NO_INDEX, TB(g_in.rsdt));
}

static void test_entry_zero_dup_root(void **state)
{
    (void)state;
    set_rsdt_entry(2, 0);
    expect_open(FW_FSEG_ADDR, ACPI_R_ENTRY_ZERO, 2, 0);
    set_rsdt_entry(2, (uint32_t)TB(g_in.apic));
    expect_open(FW_FSEG_ADDR, ACPI_R_ENTRY_DUPLICATE, 2, TB(g_in.apic));
    set_rsdt_entry(2, (uint32_t)TB(g_in.rsdt)); /* the RSDT lists itself */
    expect_open(FW_FSEG_ADDR, ACPI_R_ENTRY_ROOT, 2, TB(g_in.rsdt));
}

static void test_two_fadts(void **state)
{
    (void)state;
    memcpy(g_mem + SPARE, g_tb + g_in.facp, 244);
    set_rsdt_entry(3, (uint32_t)MEM(SPARE));
    expect_open(FW_FSEG_ADDR, ACPI_R_ENTRY_DUPLICATE, 3, MEM(SPARE));
}

static void test_overlap(void **state)
{
    (void)state;
    /* T2 at SPARE + 40 (36 bytes), T1 at SPARE (48 bytes) covering T2's first 8 bytes. */
    uint8_t *t2 = g_mem + SPARE + 40;
    put_sdt(t2, "OEM2", 36, 1);
    fix_table(t2);
    uint8_t *t1 = g_mem + SPARE;
    put_sdt(t1, "OEM1", 48, 1);
    fix_table(t1);
    set_rsdt_entry(2, (uint32_t)MEM(SPARE));
    set_rsdt_entry(3, (uint32_t)MEM(SPARE + 40));
    expect_open(FW_FSEG_ADDR, ACPI_R_OVERLAP, 3, MEM(SPARE + 40));
    /* A table inside the RSDP's bytes: RSDP vs table. */
    set_rsdt_entry(3, (uint32_t)TB(g_in.waet));
    set_rsdt_entry(2, (uint32_t)TB(g_in.rsdt) + 36); /* inside the RSDT (an entry's bytes) */
    acpi_tables t;
    acpi_error err;
    assert_int_not_equal(acpi_tables_open(&g_space, FW_FSEG_ADDR, &t, &err), TDS_OK);
}

static void test_fadt_links(void **state)
{
    (void)state;
    uint8_t *f = g_tb + g_in.facp;
    put_le64(f + 140, TB(g_in.dsdt) + 64); /* X_DSDT and DSDT disagree */
    fix_table(f);
    expect_open(FW_FSEG_ADDR, ACPI_R_FADT_DSDT, 0, TB(g_in.facp));
    put_le64(f + 140, 0);
    put_le32(f + 40, 0); /* no DSDT at all */
    fix_table(f);
    expect_open(FW_FSEG_ADDR, ACPI_R_FADT_DSDT, 0, TB(g_in.facp));
    put_le32(f + 40, (uint32_t)TB(g_in.facs)); /* DSDT pointing at the FACS */
    fix_table(f);
    expect_open(FW_FSEG_ADDR, ACPI_R_TABLE_SIGNATURE, ACPI_NO_INDEX, TB(g_in.facs));
    put_le32(f + 40, (uint32_t)TB(g_in.dsdt));
    put_le64(f + 132, TB(g_in.facs) + 64); /* X_FIRMWARE_CTRL and FIRMWARE_CTRL disagree */
    fix_table(f);
    expect_open(FW_FSEG_ADDR, ACPI_R_FADT_FACS, 0, TB(g_in.facp));
    put_le64(f + 132, 0);
    fix_table(f);
    g_tb[g_in.facs] = 'X'; /* FACS signature */
    expect_open(FW_FSEG_ADDR, ACPI_R_FACS, ACPI_NO_INDEX, TB(g_in.facs));
    g_tb[g_in.facs] = 'F';
    put_le32(g_tb + g_in.facs + 4, 63);
    expect_open(FW_FSEG_ADDR, ACPI_R_FACS, ACPI_NO_INDEX, TB(g_in.facs));
    put_le32(g_tb + g_in.facs + 4, 64);
    put_le32(f + 36, 0); /* no FACS (hardware-reduced): fine */
    fix_table(f);
    acpi_tables t;
    open_ok(&t);
    assert_int_equal(t.facs_addr, 0);
}

static void test_too_many_tables(void **state)
{
    (void)state;
    /* 257 entries (all the WAET: the count is refused before any entry is looked at). */
    uint8_t *r = g_mem + SPARE;
    put_sdt(r, "RSDT", 36 + 4 * 257, 1);
    for (uint32_t i = 0; i < 257; i++) {
        put_le32(r + 36 + (size_t)4 * i, (uint32_t)TB(g_in.waet));
    }
    fix_table(r);
    put_le32(g_rs + 16, (uint32_t)MEM(SPARE));
    fix_rsdp();
    expect_open(FW_FSEG_ADDR, ACPI_R_TOO_MANY_TABLES, ACPI_NO_INDEX, MEM(SPARE));
}

/* ---- revision 2: XSDT + RSDT -------------------------------------------------------------------
 */

#define R2_RSDP 0x2000u
#define R2_XSDT 0x2040u
#define R2_RSDT 0x2100u

/* An RSDP revision 2 with an XSDT and an RSDT listing the q35 tables, in the firmware memory. */
static void make_rev2(void)
{
    uint8_t *x = g_mem + R2_XSDT;
    uint8_t *r = g_mem + R2_RSDT;
    put_sdt(x, "XSDT", 36 + 8 * 4, 1);
    put_sdt(r, "RSDT", 36 + 4 * 4, 1);
    for (uint32_t i = 0; i < 4; i++) {
        uint32_t e = get_le32(g_tb + g_in.rsdt + 36 + (size_t)4 * i);
        put_le64(x + 36 + (size_t)8 * i, e);
        put_le32(r + 36 + (size_t)4 * i, e);
    }
    fix_table(x);
    fix_table(r);
    uint8_t *p = g_mem + R2_RSDP;
    memcpy(p, "RSD PTR ", 8);
    put_str(p + 9, "TDSHIM");
    p[15] = 2;
    put_le32(p + 16, (uint32_t)MEM(R2_RSDT));
    put_le32(p + 20, 36);
    put_le64(p + 24, MEM(R2_XSDT));
    fix_sum(p, 20, 8);
    fix_sum(p, 36, 32);
}

static void test_rev2(void **state)
{
    (void)state;
    make_rev2();
    acpi_tables t;
    acpi_error err;
    assert_int_equal(acpi_tables_open(&g_space, MEM(R2_RSDP), &t, &err), TDS_OK);
    assert_int_equal(t.rsdp_revision, 2);
    assert_int_equal(t.rsdp_length, 36);
    assert_int_equal(t.xsdt_addr, MEM(R2_XSDT));
    assert_int_equal(t.rsdt_addr, MEM(R2_RSDT));
    assert_int_equal(t.count, 4);
    /* A later revision reads as 2. */
    g_mem[R2_RSDP + 15] = 6;
    fix_sum(g_mem + R2_RSDP, 20, 8);
    fix_sum(g_mem + R2_RSDP, 36, 32);
    assert_int_equal(acpi_tables_open(&g_space, MEM(R2_RSDP), &t, &err), TDS_OK);
    /* XSDT only. */
    put_le32(g_mem + R2_RSDP + 16, 0);
    fix_sum(g_mem + R2_RSDP, 20, 8);
    fix_sum(g_mem + R2_RSDP, 36, 32);
    assert_int_equal(acpi_tables_open(&g_space, MEM(R2_RSDP), &t, &err), TDS_OK);
    assert_int_equal(t.rsdt_addr, 0);
}

static void test_rev2_hostile(void **state)
{
    (void)state;
    make_rev2();
    uint8_t *p = g_mem + R2_RSDP;
    p[30] ^= 1; /* in XsdtAddress's high bytes: only the extended checksum covers it */
    fix_sum(p, 20, 8);
    expect_open(MEM(R2_RSDP), ACPI_R_RSDP_EXT_CHECKSUM, ACPI_NO_INDEX, MEM(R2_RSDP));
    p[30] ^= 1;
    put_le32(p + 20, 35);
    fix_sum(p, 20, 8);
    fix_sum(p, 36, 32);
    expect_open(MEM(R2_RSDP), ACPI_R_RSDP_LENGTH, ACPI_NO_INDEX, MEM(R2_RSDP));
    put_le32(p + 20, 36);
    fix_sum(p, 36, 32);
    /* RSDT and XSDT list different tables. */
    uint8_t *r = g_mem + R2_RSDT;
    put_le32(r + 36 + 4, get_le32(r + 36 + 8));
    fix_table(r);
    expect_open(MEM(R2_RSDP), ACPI_R_ROOT_MISMATCH, 1, MEM(R2_RSDT));
    put_le32(r + 4, 48); /* and a different number of them */
    fix_table(r);
    expect_open(MEM(R2_RSDP), ACPI_R_ROOT_MISMATCH, ACPI_NO_INDEX, MEM(R2_RSDT));
    /* XSDT body not whole 8-byte entries. */
    make_rev2();
    put_le32(g_mem + R2_XSDT + 4, 36 + 8 * 4 - 4);
    fix_table(g_mem + R2_XSDT);
    expect_open(MEM(R2_RSDP), ACPI_R_ROOT_ENTRIES, ACPI_NO_INDEX, MEM(R2_XSDT));
}

/* ---- editing -----------------------------------------------------------------------------------
 */

/* The firmware's MADT: QEMU's with the MP wakeup structure (libmailbox), and a CCEL (librtmr). */
static uint32_t make_td_tables(void)
{
    acpi_tables t;
    open_ok(&t);
    acpi_table_ref apic;
    assert_int_equal(acpi_tables_find(&t, "APIC", &apic, NULL), TDS_OK);
    madt_wakeup wk = {0, 0x7f100000ull, 0};
    size_t len = 0;
    assert_int_equal(mbox_madt_append_wakeup(tds_mut_bytes_make(g_mem + MADT_OFF, 0x400),
                                             tds_bytes_const(apic.bytes), &wk, &len),
                     TDS_OK);
    ccel_acpi c;
    memset(&c, 0, sizeof c);
    memcpy(c.oem_id, "TDSHIM", 6);
    memcpy(c.oem_table_id, "TDSHCCEL", 8);
    c.cc_type = CCEL_CC_TYPE_TDX;
    c.laml = 0x30000;
    c.lasa = 0x7e000000;
    assert_int_equal(ccel_acpi_build(&c, tds_mut_bytes_make(g_mem + CCEL_OFF, CCEL_ACPI_SIZE)),
                     TDS_OK);
    return (uint32_t)len;
}

static acpi_edit td_edit(const uint64_t *add, size_t n_add)
{
    acpi_edit e = {MEM(MADT_OFF), add, n_add, MEM(RSDT_ROOM), 0x100, MEM(XSDT_ROOM), 0x100};
    return e;
}

static void test_edit_td(void **state)
{
    (void)state;
    uint32_t madt_len = make_td_tables();
    assert_int_equal(madt_len, 144 + 16);
    acpi_tables t;
    open_ok(&t);
    snap();
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    acpi_error err;
    assert_int_equal(acpi_tables_edit(&t, &e, &err), TDS_OK);
    assert_int_equal(err.reason, ACPI_R_NONE);
    /* *t is the edited view. */
    assert_int_equal(t.count, 5);
    assert_int_equal(t.rsdt_addr, MEM(RSDT_ROOM));
    static const char *sigs[] = {"FACP", "APIC", "MCFG", "WAET", "CCEL"};
    const uint64_t addrs[] = {TB(g_in.facp), MEM(MADT_OFF), TB(g_in.mcfg), TB(g_in.waet),
                              MEM(CCEL_OFF)};
    for (uint32_t i = 0; i < 5; i++) {
        acpi_table_ref r;
        assert_int_equal(acpi_tables_entry(&t, i, &r), TDS_OK);
        assert_memory_equal(r.signature, sigs[i], 4);
        assert_int_equal(r.addr, addrs[i]);
    }
    /* The new RSDT, byte for byte: the old header's identity, length 56, the five entries. */
    uint8_t want[56];
    memcpy(want, s_high + g_in.rsdt, 36);
    put_le32(want + 4, 56);
    for (uint32_t i = 0; i < 5; i++) {
        put_le32(want + 36 + (size_t)4 * i, (uint32_t)addrs[i]);
    }
    fix_sum(want, 56, 9);
    assert_memory_equal(g_mem + RSDT_ROOM, want, 56);
    /* The RSDP: only RsdtAddress and the checksum changed. */
    uint8_t rs[20];
    memcpy(rs, s_rsdp, 20);
    put_le32(rs + 16, (uint32_t)MEM(RSDT_ROOM));
    fix_sum(rs, 20, 8);
    assert_memory_equal(g_rs, rs, 20);
    /* Nothing else changed: QEMU's blob (old RSDT, old MADT), the rest of our memory. */
    assert_memory_equal(g_tb, s_high, Q35_TABLES_SIZE);
    memcpy(s_mem + RSDT_ROOM, want, 56);
    assert_memory_equal(g_mem, s_mem, MEM_LEN);
    /* The MADT the OS finds ends with the wakeup structure. */
    acpi_table_ref m;
    assert_int_equal(acpi_tables_find(&t, "APIC", &m, NULL), TDS_OK);
    assert_int_equal(m.bytes.ptr[m.length - 16], MADT_TYPE_MP_WAKEUP);
    /* The FADT view still works on the edited tables. */
    acpi_fadt_info f;
    assert_int_equal(acpi_fadt_read(&t, &f, NULL), TDS_OK);
    assert_int_equal(acpi_fadt_check_pm_base(&f, Q35_PMBASE), TDS_OK);
}

static void test_edit_keep(void **state)
{
    (void)state;
    acpi_tables t;
    open_ok(&t);
    acpi_tables before = t;
    snap();
    acpi_edit e = {0, NULL, 0, 0, 0, 0, 0}; /* a plain VM keeps QEMU's tables */
    acpi_error err;
    assert_int_equal(acpi_tables_edit(&t, &e, &err), TDS_OK);
    assert_unchanged();
    assert_true(tables_eq(&t, &before));
}

static void test_edit_append_only(void **state)
{
    (void)state;
    make_td_tables();
    acpi_tables t;
    open_ok(&t);
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    e.madt = 0;
    assert_int_equal(acpi_tables_edit(&t, &e, NULL), TDS_OK);
    acpi_table_ref r;
    assert_int_equal(acpi_tables_find(&t, "APIC", &r, NULL), TDS_OK);
    assert_int_equal(r.addr, TB(g_in.apic));
    assert_int_equal(t.count, 5);
}

static void test_edit_madt_appended(void **state)
{
    (void)state;
    make_td_tables();
    /* QEMU's list without an APIC: FACP, MCFG, WAET. */
    set_rsdt_entry(1, (uint32_t)TB(g_in.waet));
    put_le32(g_tb + g_in.rsdt + 4, 48);
    fix_table(g_tb + g_in.rsdt);
    acpi_tables t;
    open_ok(&t);
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    assert_int_equal(acpi_tables_edit(&t, &e, NULL), TDS_OK);
    assert_int_equal(t.count, 5);
    acpi_table_ref r;
    assert_int_equal(acpi_tables_entry(&t, 3, &r), TDS_OK);
    assert_memory_equal(r.signature, "APIC", 4);
    assert_int_equal(acpi_tables_entry(&t, 4, &r), TDS_OK);
    assert_memory_equal(r.signature, "CCEL", 4);
}

static void test_edit_rev2(void **state)
{
    (void)state;
    make_td_tables();
    make_rev2();
    acpi_tables t;
    acpi_error err;
    assert_int_equal(acpi_tables_open(&g_space, MEM(R2_RSDP), &t, &err), TDS_OK);
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    assert_int_equal(acpi_tables_edit(&t, &e, &err), TDS_OK);
    assert_int_equal(t.xsdt_addr, MEM(XSDT_ROOM));
    assert_int_equal(t.rsdt_addr, MEM(RSDT_ROOM));
    assert_int_equal(t.count, 5);
    uint8_t *p = g_mem + R2_RSDP;
    assert_int_equal(get_le64(p + 24), MEM(XSDT_ROOM));
    assert_int_equal(get_le32(p + 16), MEM(RSDT_ROOM));
    uint8_t *x = g_mem + XSDT_ROOM;
    assert_int_equal(get_le32(x + 4), 36 + 8 * 5);
    assert_int_equal(get_le64(x + 36 + 8), MEM(MADT_OFF));
    assert_int_equal(get_le64(x + 36 + 32), MEM(CCEL_OFF));
    /* With a table above 4 GiB there can be no RSDT: refused, nothing written. */
    memcpy(g_hi, g_mem + CCEL_OFF, CCEL_ACPI_SIZE);
    memcpy(g_hi + 0x100, g_mem + CCEL_OFF, CCEL_ACPI_SIZE);
    put_str(g_hi + 0x100, "SSDT"); /* two SSDTs (allowed to repeat) above 4 GiB */
    put_str(g_hi, "SSDT");
    fix_table(g_hi);
    fix_table(g_hi + 0x100);
    acpi_tables t2;
    assert_int_equal(acpi_tables_open(&g_space, MEM(R2_RSDP), &t2, &err), TDS_OK);
    const uint64_t hi[] = {HI_ADDR, HI_ADDR + 0x100};
    acpi_edit e2 = {0, hi, 2, MEM(SPARE), 0x100, MEM(SPARE + 0x200), 0x100};
    snap();
    assert_int_equal(acpi_tables_edit(&t2, &e2, &err), TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.reason, ACPI_R_ABOVE_4G);
    assert_int_equal(err.index, 5);
    assert_int_equal(err.addr, HI_ADDR);
    assert_unchanged();
}

/* A refused edit: reason, index, and not one byte written anywhere. */
static void expect_edit(const acpi_edit *e, acpi_reason reason, uint32_t index, uint64_t addr)
{
    acpi_tables t;
    open_ok(&t);
    acpi_tables before = t;
    snap();
    acpi_error err;
    tds_status s = acpi_tables_edit(&t, e, &err);
    if (err.reason != reason) {
        fail_msg("reason %s, expected %s", acpi_reason_str(err.reason), acpi_reason_str(reason));
    }
    assert_int_equal(s, acpi_reason_status(reason));
    assert_int_equal(err.index, index);
    assert_int_equal(err.addr, addr);
    assert_unchanged();
    assert_true(tables_eq(&t, &before));
}

static void test_edit_room(void **state)
{
    (void)state;
    make_td_tables();
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    e.rsdt_room_len = 55; /* needs 56 */
    expect_edit(&e, ACPI_R_ROOM, ACPI_NO_INDEX, MEM(RSDT_ROOM));
    e.rsdt_room_len = 0x100;
    e.rsdt_room = 0; /* not given */
    expect_edit(&e, ACPI_R_ROOM, ACPI_NO_INDEX, 0);
    e.rsdt_room = MEM(MEM_LEN - 40); /* runs off the region */
    expect_edit(&e, ACPI_R_ROOM, ACPI_NO_INDEX, MEM(MEM_LEN - 40));
    e.rsdt_room = 0x1000; /* in no region */
    expect_edit(&e, ACPI_R_ROOM, ACPI_NO_INDEX, 0x1000);
    e.rsdt_room = HI_ADDR; /* RsdtAddress is 32 bits */
    expect_edit(&e, ACPI_R_ABOVE_4G, ACPI_NO_INDEX, HI_ADDR);
}

static void test_edit_room_overlap(void **state)
{
    (void)state;
    make_td_tables();
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    e.rsdt_room = MEM(CCEL_OFF + 8); /* over the new CCEL */
    expect_edit(&e, ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX, MEM(CCEL_OFF + 8));
    e.rsdt_room = TB(g_in.rsdt); /* over the old RSDT (rewriting in place is refused) */
    e.rsdt_room_len = 0x100;
    expect_edit(&e, ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX, TB(g_in.rsdt));
    e.rsdt_room = TB(g_in.dsdt); /* over the DSDT */
    expect_edit(&e, ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX, TB(g_in.dsdt));
    e.rsdt_room = TB(g_in.rsdt + 52); /* right after the old RSDT: free blob space, fine */
    acpi_tables t;
    open_ok(&t);
    assert_int_equal(acpi_tables_edit(&t, &e, NULL), TDS_OK);
}

static void test_edit_bad_tables(void **state)
{
    (void)state;
    make_td_tables();
    const uint64_t add[] = {MEM(CCEL_OFF)};
    acpi_edit e = td_edit(add, 1);
    g_mem[MADT_OFF + 50] ^= 1; /* the MADT's checksum */
    expect_edit(&e, ACPI_R_TABLE_CHECKSUM, ACPI_NO_INDEX, MEM(MADT_OFF));
    g_mem[MADT_OFF + 50] ^= 1;
    e.madt = MEM(CCEL_OFF); /* not an "APIC" */
    expect_edit(&e, ACPI_R_TABLE_SIGNATURE, ACPI_NO_INDEX, MEM(CCEL_OFF));
    e.madt = 0x1000; /* nowhere */
    expect_edit(&e, ACPI_R_UNMAPPED, ACPI_NO_INDEX, 0x1000);
    e.madt = MEM(MADT_OFF);
    g_mem[CCEL_OFF + 40] ^= 1;
    expect_edit(&e, ACPI_R_TABLE_CHECKSUM, 4, MEM(CCEL_OFF));
    g_mem[CCEL_OFF + 40] ^= 1;
}

static void test_edit_signatures(void **state)
{
    (void)state;
    make_td_tables();
    const uint64_t mcfg[] = {TB(g_in.mcfg)}; /* already listed: a duplicate address */
    acpi_edit e = td_edit(mcfg, 1);
    expect_edit(&e, ACPI_R_ENTRY_DUPLICATE, 4, TB(g_in.mcfg));
    /* A second MCFG elsewhere: signature already listed. */
    memcpy(g_mem + SPARE, g_tb + g_in.mcfg, 60);
    const uint64_t mcfg2[] = {MEM(SPARE)};
    e = td_edit(mcfg2, 1);
    expect_edit(&e, ACPI_R_SIGNATURE_EXISTS, 4, MEM(SPARE));
    /* The new CCEL twice. */
    const uint64_t twice[] = {MEM(CCEL_OFF), MEM(CCEL_OFF)};
    e = td_edit(twice, 2);
    expect_edit(&e, ACPI_R_ENTRY_DUPLICATE, 5, MEM(CCEL_OFF));
    /* A copy of the CCEL under another address: signature twice. */
    memcpy(g_mem + SPARE, g_mem + CCEL_OFF, CCEL_ACPI_SIZE);
    const uint64_t copies[] = {MEM(CCEL_OFF), MEM(SPARE)};
    e = td_edit(copies, 2);
    expect_edit(&e, ACPI_R_SIGNATURE_EXISTS, 5, MEM(SPARE));
    /* Tables that are never listed. */
    const uint64_t dsdt[] = {TB(g_in.dsdt)};
    e = td_edit(dsdt, 1);
    expect_edit(&e, ACPI_R_OVERLAP, ACPI_NO_INDEX, TB(g_in.dsdt)); /* the FADT's DSDT */
    memcpy(g_mem + SPARE, g_tb + g_in.dsdt, 48);
    const uint64_t dsdt2[] = {MEM(SPARE)};
    e = td_edit(dsdt2, 1);
    expect_edit(&e, ACPI_R_TABLE_SIGNATURE, 4, MEM(SPARE));
    const uint64_t rsdt[] = {TB(g_in.rsdt)};
    e = td_edit(rsdt, 1);
    expect_edit(&e, ACPI_R_ENTRY_ROOT, 4, TB(g_in.rsdt));
    /* Two SSDTs are fine. */
    memcpy(g_mem + SPARE, g_mem + CCEL_OFF, CCEL_ACPI_SIZE);
    memcpy(g_mem + SPARE + 0x100, g_mem + CCEL_OFF, CCEL_ACPI_SIZE);
    put_str(g_mem + SPARE, "SSDT");
    put_str(g_mem + SPARE + 0x100, "SSDT");
    fix_table(g_mem + SPARE);
    fix_table(g_mem + SPARE + 0x100);
    const uint64_t ssdts[] = {MEM(SPARE), MEM(SPARE + 0x100)};
    e = td_edit(ssdts, 2);
    acpi_tables t;
    open_ok(&t);
    assert_int_equal(acpi_tables_edit(&t, &e, NULL), TDS_OK);
    assert_int_equal(t.count, 6);
}

static void test_edit_two_madts(void **state)
{
    (void)state;
    make_td_tables();
    memcpy(g_mem + SPARE, g_tb + g_in.apic, 144);
    set_rsdt_entry(3, (uint32_t)MEM(SPARE)); /* QEMU's list with two APICs */
    acpi_edit e = td_edit(NULL, 0);
    expect_edit(&e, ACPI_R_ENTRY_DUPLICATE, 3, MEM(SPARE));
}

static void test_edit_above_4g(void **state)
{
    (void)state;
    make_td_tables();
    memcpy(g_hi, g_mem + CCEL_OFF, CCEL_ACPI_SIZE);
    const uint64_t hi[] = {HI_ADDR};
    acpi_edit e = td_edit(hi, 1);
    expect_edit(&e, ACPI_R_ABOVE_4G, 4, HI_ADDR);
}

static void test_edit_args(void **state)
{
    (void)state;
    acpi_tables t;
    open_ok(&t);
    acpi_edit e = td_edit(NULL, 1);
    acpi_error err;
    assert_int_equal(acpi_tables_edit(&t, &e, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(err.reason, ACPI_R_BAD_ARG);
    assert_int_equal(acpi_tables_edit(NULL, &e, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(acpi_tables_edit(&t, NULL, &err), TDS_ERR_INVALID_ARG);
}

/* ---- a fresh root ------------------------------------------------------------------------------
 */

static void test_build_root(void **state)
{
    (void)state;
    make_td_tables();
    const uint64_t list[] = {TB(g_in.facp), MEM(MADT_OFF), TB(g_in.mcfg), MEM(CCEL_OFF)};
    acpi_ids ids;
    memcpy(ids.oem_id, "TDSHIM", 6);
    memcpy(ids.oem_table_id, "TDSHXSDT", 8);
    ids.oem_revision = 1;
    memcpy(ids.creator_id, "TDSH", 4);
    ids.creator_revision = 2;
    acpi_error err;
    assert_int_equal(acpi_build_root(&g_space, list, 4, &ids, MEM(SPARE), MEM(SPARE + 0x40), &err),
                     TDS_OK);
    /* The RSDP, byte for byte. */
    uint8_t want[36] = {'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ', 0, 'T', 'D', 'S', 'H', 'I', 'M', 2};
    put_le32(want + 20, 36);
    put_le64(want + 24, MEM(SPARE + 0x40));
    fix_sum(want, 20, 8);
    fix_sum(want, 36, 32);
    assert_memory_equal(g_mem + SPARE, want, 36);
    uint8_t *x = g_mem + SPARE + 0x40;
    assert_memory_equal(x, "XSDT", 4);
    assert_int_equal(get_le32(x + 4), 36 + 32);
    assert_int_equal(x[8], 1);
    assert_memory_equal(x + 10, "TDSHIMTDSHXSDT", 14);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(get_le64(x + 36 + (size_t)8 * i), list[i]);
    }
    acpi_tables t;
    assert_int_equal(acpi_tables_open(&g_space, MEM(SPARE), &t, &err), TDS_OK);
    assert_int_equal(t.rsdp_revision, 2);
    assert_int_equal(t.rsdt_addr, 0);
    assert_int_equal(t.xsdt_addr, MEM(SPARE + 0x40));
    assert_int_equal(t.count, 4);
    assert_int_equal(t.dsdt_addr, TB(g_in.dsdt));
    /* An empty list is a valid (if useless) root. */
    assert_int_equal(acpi_build_root(&g_space, NULL, 0, &ids, MEM(SPARE), MEM(SPARE + 0x40), &err),
                     TDS_OK);
}

static void expect_build(const uint64_t *list, size_t n, uint64_t rsdp, uint64_t xsdt,
                         acpi_reason reason, uint32_t index, uint64_t addr)
{
    acpi_ids ids;
    memset(&ids, 'x', sizeof ids);
    snap();
    acpi_error err;
    tds_status s = acpi_build_root(&g_space, list, n, &ids, rsdp, xsdt, &err);
    if (err.reason != reason) {
        fail_msg("reason %s, expected %s", acpi_reason_str(err.reason), acpi_reason_str(reason));
    }
    assert_int_equal(s, acpi_reason_status(reason));
    assert_int_equal(err.index, index);
    assert_int_equal(err.addr, addr);
    assert_unchanged();
}

static void test_build_root_hostile(void **state)
{
    (void)state;
    make_td_tables();
    const uint64_t list[] = {TB(g_in.facp), MEM(MADT_OFF)};
    expect_build(list, 2, MEM(SPARE), MEM(SPARE + 0x10), ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX,
                 MEM(SPARE + 0x10));
    expect_build(list, 2, MEM(MADT_OFF + 4), MEM(SPARE), ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX,
                 MEM(MADT_OFF + 4));
    expect_build(list, 2, TB(g_in.dsdt + 8), MEM(SPARE), ACPI_R_ROOM_OVERLAP, ACPI_NO_INDEX,
                 TB(g_in.dsdt + 8));
    expect_build(list, 2, 0x1000, MEM(SPARE), ACPI_R_ROOM, ACPI_NO_INDEX, 0x1000);
    expect_build(list, 2, MEM(SPARE), MEM(MEM_LEN - 36), ACPI_R_ROOM, ACPI_NO_INDEX,
                 MEM(MEM_LEN - 36));
    const uint64_t root[] = {TB(g_in.rsdt)};
    expect_build(root, 1, MEM(SPARE), MEM(SPARE + 0x40), ACPI_R_ENTRY_ROOT, 0, TB(g_in.rsdt));
    memcpy(g_mem + SPARE + 0x200, g_tb + g_in.dsdt, 48);
    const uint64_t dsdt[] = {MEM(SPARE + 0x200)};
    expect_build(dsdt, 1, MEM(SPARE), MEM(SPARE + 0x40), ACPI_R_TABLE_SIGNATURE, 0,
                 MEM(SPARE + 0x200));
    const uint64_t dup[] = {MEM(MADT_OFF), MEM(MADT_OFF)};
    expect_build(dup, 2, MEM(SPARE), MEM(SPARE + 0x40), ACPI_R_ENTRY_DUPLICATE, 1, MEM(MADT_OFF));
    const uint64_t zero[] = {0};
    expect_build(zero, 1, MEM(SPARE), MEM(SPARE + 0x40), ACPI_R_ENTRY_ZERO, 0, 0);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_open_q35),
        T(test_rsdp_scan),
        T(test_space_map),
        T(test_fadt),
        T(test_fadt_legacy),
        T(test_fadt_pm_disagree),
        T(test_fadt_absent),
        T(test_mcfg),
        T(test_mcfg_hostile),
        T(test_rsdt_outside),
        T(test_entry_outside),
        T(test_length_past_blob),
        T(test_length_short),
        T(test_bad_checksums),
        T(test_rsdp_fields),
        T(test_root_entries),
        T(test_entry_zero_dup_root),
        T(test_two_fadts),
        T(test_overlap),
        T(test_fadt_links),
        T(test_too_many_tables),
        T(test_rev2),
        T(test_rev2_hostile),
        T(test_edit_td),
        T(test_edit_keep),
        T(test_edit_append_only),
        T(test_edit_madt_appended),
        T(test_edit_rev2),
        T(test_edit_room),
        T(test_edit_room_overlap),
        T(test_edit_bad_tables),
        T(test_edit_signatures),
        T(test_edit_two_madts),
        T(test_edit_above_4g),
        T(test_edit_args),
        T(test_build_root),
        T(test_build_root_hostile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
