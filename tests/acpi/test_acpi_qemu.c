/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libacpi on QEMU's own q35 files: the fixture tests/acpi/fixtures/qemu-7.2-q35 (captured by
 * tests/acpi/capture/capture.py from QEMU 7.2 after PMBASE 0x600 + ACPI_EN and PCIEXBAR
 * 0xB0000000 were programmed), or, when ACPI_FIXTURE_DIR is set, a capture made at test time from
 * the installed QEMU (ctest acpi_qemu_live). The script is run and the blobs compared byte for
 * byte with a plain reference executor written here; the tables are walked and their FADT and
 * MCFG must say what the capture BIOS programmed; the TD edit (MADT with MP wakeup + CCEL) is
 * applied and re-read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha256.h>

#include "acpi_test_util.h"
#include "tdshim/acpi.h"
#include "tdshim/ccel.h"
#include "tdshim/madt.h"

#define MAX_FILE 0x30000u
#define MEM_ADDR 0x7f000000ull
#define MEM_LEN 0x2000u

typedef struct fixture_file {
    char name[ACPI_LOADER_NAME_SIZE];
    uint32_t size;
    uint8_t data[MAX_FILE];
} fixture_file;

static fixture_file g_files[3]; /* table-loader, tables, rsdp (MANIFEST order) */
static size_t g_nfiles;
static bool g_live;
static fake_fw g_fw;
static acpi_loader_blob g_blobs[FW_MAX_FILES];
static uint8_t g_mem[MEM_LEN];

static const fixture_file *file(const char *name)
{
    for (size_t i = 0; i < g_nfiles; i++) {
        if (strcmp(g_files[i].name, name) == 0) {
            return &g_files[i];
        }
    }
    fail_msg("fixture has no %s", name);
    abort(); /* fail_msg does not return */
}

/* MANIFEST: "<fw_cfg name> <full size> <sha256 of the full file> <file>" per line; the file may
 * be shorter than the full size (QEMU's zero padding cut off) and is padded back here. */
static int load_fixture(void **state)
{
    (void)state;
    const char *dir = getenv("ACPI_FIXTURE_DIR");
    g_live = dir != NULL && dir[0] != '\0';
    if (!g_live) {
        dir = ACPI_FIXTURE_DIR;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/MANIFEST", dir);
    FILE *m = fopen(path, "r");
    if (m == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return -1;
    }
    char line[512];
    while (g_nfiles < 3 && fgets(line, sizeof line, m) != NULL) {
        char *name = strtok(line, " \n");
        char *sz = strtok(NULL, " \n");
        char *hex = strtok(NULL, " \n");
        char *fname = strtok(NULL, " \n");
        if (name == NULL || sz == NULL || hex == NULL || fname == NULL ||
            strlen(name) >= ACPI_LOADER_NAME_SIZE) {
            fclose(m);
            return -1;
        }
        char *end = NULL;
        unsigned long size = strtoul(sz, &end, 10);
        if (end == sz || *end != '\0') {
            fclose(m);
            return -1;
        }
        fixture_file *f = &g_files[g_nfiles++];
        memset(f, 0, sizeof *f);
        memcpy(f->name, name, strlen(name));
        if (size > MAX_FILE) {
            fclose(m);
            return -1;
        }
        f->size = (uint32_t)size;
        snprintf(path, sizeof path, "%s/%s", dir, fname);
        FILE *d = fopen(path, "rb");
        if (d == NULL) {
            fclose(m);
            return -1;
        }
        size_t got = fread(f->data, 1, size, d);
        fclose(d);
        (void)got; /* the rest stays zero */
        uint8_t sum[32];
        char sumhex[65];
        if (mbedtls_sha256_ret(f->data, size, sum, 0) != 0) {
            fclose(m);
            return -1;
        }
        for (size_t i = 0; i < 32; i++) {
            snprintf(sumhex + 2 * i, 3, "%02x", sum[i]);
        }
        if (strcmp(sumhex, hex) != 0) {
            fprintf(stderr, "%s: sha256 %s, MANIFEST says %s\n", path, sumhex, hex);
            fclose(m);
            return -1;
        }
    }
    fclose(m);
    return g_nfiles == 3 ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    fw_init(&g_fw);
    for (size_t i = 0; i < g_nfiles; i++) {
        fw_add(&g_fw, g_files[i].name, g_files[i].data, g_files[i].size);
    }
    memset(g_mem, 0, sizeof g_mem);
    return 0;
}

static tds_status run(acpi_loader_result *res, acpi_error *err)
{
    const fixture_file *sc = file("etc/table-loader");
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    return acpi_loader_run(tds_bytes_make(sc->data, sc->size), &ops, 0, g_blobs, FW_MAX_FILES, res,
                           err);
}

/* ---- a reference executor: no checks, QEMU's semantics, for the comparison ------------------ */

typedef struct ref_blob {
    const char *name;
    uint8_t *data;
    uint64_t addr;
} ref_blob;

static ref_blob *ref_find(ref_blob *b, size_t n, const uint8_t *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strncmp(b[i].name, (const char *)name, 56) == 0) {
            return &b[i];
        }
    }
    fail_msg("reference: unknown file %.56s", (const char *)name);
    abort();
}

static void ref_execute(const uint8_t *sc, size_t len, ref_blob *b, size_t n)
{
    for (size_t off = 0; off < len; off += 128) {
        const uint8_t *e = sc + off;
        uint32_t cmd = get_le32(e);
        if (cmd == 2) {
            ref_blob *dst = ref_find(b, n, e + 4);
            ref_blob *src = ref_find(b, n, e + 60);
            uint32_t at = get_le32(e + 116);
            uint8_t size = e[120];
            uint64_t v = 0;
            for (uint8_t k = 0; k < size; k++) {
                v |= (uint64_t)dst->data[at + k] << (8 * k);
            }
            v += src->addr;
            for (uint8_t k = 0; k < size; k++) {
                dst->data[at + k] = (uint8_t)(v >> (8 * k));
            }
        } else if (cmd == 3) {
            ref_blob *f = ref_find(b, n, e + 4);
            uint32_t res = get_le32(e + 60);
            uint32_t start = get_le32(e + 64);
            uint32_t length = get_le32(e + 68);
            uint8_t sum = 0;
            for (uint32_t k = 0; k < length; k++) {
                sum = (uint8_t)(sum + f->data[start + k]);
            }
            f->data[res] = (uint8_t)(f->data[res] - sum);
        }
    }
}

/* ---- tests ------------------------------------------------------------------------------------
 */

static void test_run_byte_exact(void **state)
{
    (void)state;
    acpi_loader_result res;
    acpi_error err;
    tds_status s = run(&res, &err);
    if (s != TDS_OK) {
        fail_msg("run: %s at command %u", acpi_reason_str(err.reason), err.index);
    }
    assert_int_equal(res.blobs, 2);
    const acpi_loader_blob *tb;
    const acpi_loader_blob *rs;
    assert_int_equal(acpi_loader_find(g_blobs, res.blobs, "etc/acpi/tables", &tb), TDS_OK);
    assert_int_equal(acpi_loader_find(g_blobs, res.blobs, "etc/acpi/rsdp", &rs), TDS_OK);
    assert_int_equal(tb->align, 64);
    assert_int_equal(tb->zone, ACPI_LOADER_ZONE_HIGH);
    assert_int_equal(rs->align, 16);
    assert_int_equal(rs->zone, ACPI_LOADER_ZONE_FSEG);
    if (!g_live) {
        /* QEMU 7.2 q35: 2 ALLOCATEs, 9 ADD_POINTERs, 8 ADD_CHECKSUMs, padded to 4 KiB. */
        assert_int_equal(res.commands, 32);
        assert_int_equal(res.pointers, 9);
        assert_int_equal(res.checksums, 8);
        assert_int_equal(res.padding, 13);
        assert_int_equal(tb->size, 0x20000);
        assert_int_equal(rs->size, 20);
    }
    static uint8_t want_tables[MAX_FILE];
    static uint8_t want_rsdp[64];
    const fixture_file *ft = file("etc/acpi/tables");
    const fixture_file *fr = file("etc/acpi/rsdp");
    memcpy(want_tables, ft->data, ft->size);
    memcpy(want_rsdp, fr->data, fr->size);
    ref_blob rb[2] = {{"etc/acpi/tables", want_tables, tb->addr},
                      {"etc/acpi/rsdp", want_rsdp, rs->addr}};
    const fixture_file *sc = file("etc/table-loader");
    ref_execute(sc->data, sc->size, rb, 2);
    assert_memory_equal(tb->mem.ptr, want_tables, ft->size);
    assert_memory_equal(rs->mem.ptr, want_rsdp, fr->size);
}

static void load(acpi_space *space, acpi_region *regions, uint64_t *rsdp)
{
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run(&res, &err), TDS_OK);
    for (size_t i = 0; i < res.blobs; i++) {
        regions[i] = acpi_loader_blob_region(&g_blobs[i]);
    }
    regions[res.blobs] = (acpi_region){MEM_ADDR, tds_mut_bytes_make(g_mem, sizeof g_mem)};
    space->regions = regions;
    space->count = res.blobs + 1;
    const acpi_loader_blob *rs;
    assert_int_equal(acpi_loader_find(g_blobs, res.blobs, "etc/acpi/rsdp", &rs), TDS_OK);
    *rsdp = rs->addr;
}

static void test_tables(void **state)
{
    (void)state;
    acpi_region regions[4];
    acpi_space space;
    uint64_t rsdp;
    load(&space, regions, &rsdp);
    uint64_t found = 0;
    assert_int_equal(acpi_rsdp_scan(&space, &found), TDS_OK);
    assert_int_equal(found, rsdp);
    acpi_tables t;
    acpi_error err;
    tds_status s = acpi_tables_open(&space, rsdp, &t, &err);
    if (s != TDS_OK) {
        fail_msg("open: %s entry %u at 0x%llx", acpi_reason_str(err.reason), err.index,
                 (unsigned long long)err.addr);
    }
    assert_int_equal(t.rsdp_revision, 0); /* QEMU's pc/q35: ACPI 1.0 RSDP -> RSDT */
    assert_int_not_equal(t.rsdt_addr, 0);
    assert_int_not_equal(t.fadt_addr, 0);
    assert_int_not_equal(t.dsdt_addr, 0);
    assert_int_not_equal(t.facs_addr, 0);
    acpi_table_ref r;
    assert_int_equal(acpi_tables_find(&t, "APIC", &r, NULL), TDS_OK);
    if (!g_live) {
        static const char *sigs[] = {"FACP", "APIC", "HPET", "MCFG", "WAET"};
        assert_int_equal(t.count, 5);
        for (uint32_t i = 0; i < 5; i++) {
            assert_int_equal(acpi_tables_entry(&t, i, &r), TDS_OK);
            assert_memory_equal(r.signature, sigs[i], 4);
        }
    }
    /* What the capture BIOS programmed before the first select: PMBASE 0x600 + ACPI_EN ... */
    acpi_fadt_info f;
    assert_int_equal(acpi_fadt_read(&t, &f, &err), TDS_OK);
    assert_int_equal(f.pm_base, 0x600);
    assert_int_equal(f.pm1a_cnt.address, 0x604);
    assert_int_equal(f.pm1a_cnt.space_id, ACPI_GAS_IO);
    assert_int_equal(acpi_fadt_check_pm_base(&f, 0x600), TDS_OK);
    assert_int_equal(f.reset_reg.address, 0xcf9);
    assert_int_equal(f.reset_value, 0x0f);
    /* ... and PCIEXBAR 0xB0000000, 256 MiB: buses 0..255. */
    acpi_mcfg_entry mc;
    uint32_t n = 0;
    assert_int_equal(acpi_mcfg_read(&t, 0, &mc, &n, &err), TDS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(mc.base, 0xb0000000ull);
    assert_int_equal(mc.segment, 0);
    assert_int_equal(mc.start_bus, 0);
    assert_int_equal(mc.end_bus, 255);
}

/* With ACPI_DUMP_DIR set, write the root table, DSDT, FACS and every listed table, one per
 * file as iasl -d reads them, for acpi_iasl (iasl 20200925 does not decode an RSDP file). */
static void dump_one(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.dat", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void dump_sdt(const acpi_space *s, const char *dir, const char *name, uint64_t addr)
{
    tds_mut_bytes h;
    assert_int_equal(acpi_space_map(s, addr, 8, &h), TDS_OK);
    uint32_t len = get_le32(h.ptr + 4);
    assert_int_equal(acpi_space_map(s, addr, len, &h), TDS_OK);
    dump_one(dir, name, h.ptr, len);
}

static void dump_tables(const acpi_tables *t, const char *root_name, uint64_t root)
{
    const char *dir = getenv("ACPI_DUMP_DIR");
    if (dir == NULL || dir[0] == '\0') {
        return;
    }
    dump_sdt(&t->space, dir, root_name, root);
    dump_sdt(&t->space, dir, "dsdt", t->dsdt_addr);
    dump_sdt(&t->space, dir, "facs", t->facs_addr);
    for (uint32_t i = 0; i < t->count; i++) {
        acpi_table_ref r;
        assert_int_equal(acpi_tables_entry(t, i, &r), TDS_OK);
        char name[5];
        for (int k = 0; k < 4; k++) {
            char c = (char)r.signature[k];
            name[k] = (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
        }
        name[4] = '\0';
        dump_one(dir, name, r.bytes.ptr, r.length);
    }
}

static void test_td_edit(void **state)
{
    (void)state;
    acpi_region regions[4];
    acpi_space space;
    uint64_t rsdp;
    load(&space, regions, &rsdp);
    acpi_tables t;
    assert_int_equal(acpi_tables_open(&space, rsdp, &t, NULL), TDS_OK);
    uint32_t before = t.count;
    acpi_table_ref apic;
    uint32_t apic_index = 0;
    assert_int_equal(acpi_tables_find(&t, "APIC", &apic, &apic_index), TDS_OK);
    madt_wakeup wk = {1, 0x7f100000ull, 0x7f101040ull};
    size_t len = 0;
    assert_int_equal(mbox_madt_append_wakeup(tds_mut_bytes_make(g_mem, 0x800),
                                             tds_bytes_const(apic.bytes), &wk, &len),
                     TDS_OK);
    ccel_acpi c;
    memset(&c, 0, sizeof c);
    c.cc_type = CCEL_CC_TYPE_TDX;
    c.laml = 0x30000;
    c.lasa = 0x7e000000;
    assert_int_equal(ccel_acpi_build(&c, tds_mut_bytes_make(g_mem + 0x800, CCEL_ACPI_SIZE)),
                     TDS_OK);
    const uint64_t add[] = {MEM_ADDR + 0x800};
    acpi_edit e = {MEM_ADDR, add, 1, MEM_ADDR + 0x1000, 0x400, 0, 0};
    acpi_error err;
    tds_status s = acpi_tables_edit(&t, &e, &err);
    if (s != TDS_OK) {
        fail_msg("edit: %s entry %u at 0x%llx", acpi_reason_str(err.reason), err.index,
                 (unsigned long long)err.addr);
    }
    assert_int_equal(t.count, before + 1);
    acpi_table_ref r;
    assert_int_equal(acpi_tables_entry(&t, apic_index, &r), TDS_OK);
    assert_int_equal(r.addr, MEM_ADDR);
    assert_int_equal(r.length, len);
    assert_int_equal(r.bytes.ptr[len - MADT_WAKEUP_V1_SIZE], MADT_TYPE_MP_WAKEUP);
    assert_int_equal(acpi_tables_entry(&t, before, &r), TDS_OK);
    assert_memory_equal(r.signature, "CCEL", 4);
    /* A reader that starts from the RSDP again sees the same. */
    acpi_tables again;
    assert_int_equal(acpi_tables_open(&space, rsdp, &again, NULL), TDS_OK);
    assert_true(tables_eq(&again, &t));
    dump_tables(&t, "rsdt", t.rsdt_addr);

    /* The same list under a fresh RSDP 2 + XSDT. */
    uint64_t list[16];
    assert_true(t.count <= 16);
    for (uint32_t i = 0; i < t.count; i++) {
        assert_int_equal(acpi_tables_entry(&t, i, &r), TDS_OK);
        list[i] = r.addr;
    }
    acpi_ids ids;
    memcpy(ids.oem_id, "TDSHIM", 6);
    memcpy(ids.oem_table_id, "TDSHXSDT", 8);
    ids.oem_revision = 1;
    memcpy(ids.creator_id, "TDSH", 4);
    ids.creator_revision = 1;
    assert_int_equal(
        acpi_build_root(&space, list, t.count, &ids, MEM_ADDR + 0x1800, MEM_ADDR + 0x1840, &err),
        TDS_OK);
    acpi_tables rebuilt;
    assert_int_equal(acpi_tables_open(&space, MEM_ADDR + 0x1800, &rebuilt, &err), TDS_OK);
    assert_int_equal(rebuilt.count, t.count);
    assert_int_equal(rebuilt.xsdt_addr, MEM_ADDR + 0x1840);
    assert_int_equal(rebuilt.fadt_addr, t.fadt_addr);
    dump_tables(&rebuilt, "xsdt", rebuilt.xsdt_addr);
}

/* Hostile changes to the real script: refused, nothing patched. */
static void test_hostile_real(void **state)
{
    (void)state;
    fixture_file *sc = &g_files[0];
    assert_string_equal(sc->name, "etc/table-loader");
    static uint8_t keep[MAX_FILE];
    memcpy(keep, sc->data, sc->size);
    /* The first ADD_POINTER of size 4: make it size 3. */
    size_t at = 0;
    for (at = 0; at < sc->size; at += 128) {
        if (get_le32(sc->data + at) == 2 && sc->data[at + 120] == 4) {
            break;
        }
    }
    assert_true(at < sc->size);
    sc->data[at + 120] = 3;
    acpi_loader_result res;
    acpi_error err;
    assert_int_equal(run(&res, &err), TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_POINTER_SIZE);
    assert_int_equal(err.index, at / 128);
    assert_int_equal(g_fw.allocs, 0);
    memcpy(sc->data, keep, sc->size);
    /* The tables placed at 4 GiB: every 4-byte pointer overflows; found before any write. */
    g_fw.high_addr = 0x100000000ull;
    assert_int_equal(run(&res, &err), TDS_ERR_OVERFLOW);
    assert_int_equal(err.reason, ACPI_R_RELOC_OVERFLOW);
    assert_true(fw_unchanged(&g_fw));
    /* The script's size one byte short. */
    acpi_loader_ops ops = fw_ops(&g_fw, false);
    assert_int_equal(acpi_loader_run(tds_bytes_make(sc->data, sc->size - 1), &ops, 0, g_blobs,
                                     FW_MAX_FILES, &res, &err),
                     TDS_ERR_MALFORMED);
    assert_int_equal(err.reason, ACPI_R_SCRIPT_SIZE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_run_byte_exact, setup),
        cmocka_unit_test_setup(test_tables, setup),
        cmocka_unit_test_setup(test_td_edit, setup),
        cmocka_unit_test_setup(test_hostile_real, setup),
    };
    return cmocka_run_group_tests(tests, load_fixture, NULL);
}
