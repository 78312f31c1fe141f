/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target for libacpi: a table-loader script and the fw_cfg files it names (format in
 * fuzz_acpi.h), run through the loader; then, when it loads, the tables found, opened, read,
 * edited (the TD way: a new MADT and a CCEL) and rebuilt (RSDP 2 + XSDT). Oracles:
 *  - a refused script changed no byte of any blob; statuses match their reasons;
 *  - an accepted script changed the blobs exactly as a plain reference executor does;
 *  - opened tables list only entries that re-check; a refused edit or build wrote nothing; an
 *    accepted one opens again with the expected number of tables.
 * Seeds: tests/acpi/seeds (gen_seeds).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "acpi_test_util.h"
#include "fuzz_acpi.h"
#include "tdshim/acpi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OWN_ADDR 0x7e000000ull
#define OWN_LEN 0x4000u

static fake_fw g_fw;
static acpi_loader_blob g_blobs[FW_MAX_FILES];
static uint8_t g_own[OWN_LEN];
static uint8_t g_snap_high[FW_HIGH_LEN];
static uint8_t g_snap_fseg[FW_FSEG_LEN];
static uint8_t g_snap_own[OWN_LEN];

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            __builtin_trap();                                                                      \
        }                                                                                          \
    } while (0)

static void snapshot(void)
{
    memcpy(g_snap_high, g_fw.high, FW_HIGH_LEN);
    memcpy(g_snap_fseg, g_fw.fseg, FW_FSEG_LEN);
    memcpy(g_snap_own, g_own, OWN_LEN);
}

static bool unchanged(void)
{
    return memcmp(g_snap_high, g_fw.high, FW_HIGH_LEN) == 0 &&
           memcmp(g_snap_fseg, g_fw.fseg, FW_FSEG_LEN) == 0 &&
           memcmp(g_snap_own, g_own, OWN_LEN) == 0;
}

/* The shadow copy of a blob (what fw_unchanged compares against). */
static uint8_t *shadow_of(const acpi_loader_blob *b)
{
    if (b->mem.ptr >= g_fw.high && b->mem.ptr < g_fw.high + FW_HIGH_LEN) {
        return g_fw.shadow_high + (b->mem.ptr - g_fw.high);
    }
    CHECK(b->mem.ptr >= g_fw.fseg && b->mem.ptr < g_fw.fseg + FW_FSEG_LEN);
    return g_fw.shadow_fseg + (b->mem.ptr - g_fw.fseg);
}

static const acpi_loader_blob *blob_named(size_t n, const uint8_t *name)
{
    for (size_t i = 0; i < n; i++) {
        if (strncmp(g_blobs[i].name, (const char *)name, ACPI_LOADER_NAME_SIZE) == 0) {
            return &g_blobs[i];
        }
    }
    return NULL;
}

/* Apply the accepted script to the shadow copies with QEMU's semantics, checking only that the
 * library was right to accept it. Afterwards the arenas must equal the shadows. */
static void reference(const uint8_t *sc, size_t len, size_t n)
{
    for (size_t off = 0; off + 128 <= len; off += 128) {
        const uint8_t *e = sc + off;
        uint32_t cmd = get_le32(e);
        if (cmd == 2) {
            const acpi_loader_blob *d = blob_named(n, e + 4);
            const acpi_loader_blob *s = blob_named(n, e + 60);
            CHECK(d != NULL && s != NULL);
            uint32_t at = get_le32(e + 116);
            uint8_t w = e[120];
            CHECK(w == 1 || w == 2 || w == 4 || w == 8);
            CHECK((uint64_t)at + w <= d->size);
            uint8_t *p = shadow_of(d) + at;
            uint64_t v = 0;
            for (uint8_t k = 0; k < w; k++) {
                v |= (uint64_t)p[k] << (8 * k);
            }
            CHECK(v < s->size);
            v += s->addr;
            CHECK(w == 8 || (v >> (8 * w)) == 0);
            for (uint8_t k = 0; k < w; k++) {
                p[k] = (uint8_t)(v >> (8 * k));
            }
        } else if (cmd == 3) {
            const acpi_loader_blob *f = blob_named(n, e + 4);
            CHECK(f != NULL);
            uint32_t res = get_le32(e + 60);
            uint32_t start = get_le32(e + 64);
            uint32_t length = get_le32(e + 68);
            CHECK(res < f->size && (uint64_t)start + length <= f->size);
            uint8_t *p = shadow_of(f);
            uint8_t sum = 0;
            for (uint32_t k = 0; k < length; k++) {
                sum = (uint8_t)(sum + p[start + k]);
            }
            p[res] = (uint8_t)(p[res] - sum);
        }
    }
}

static void put_table(uint8_t *p, const char *sig, uint32_t len)
{
    memset(p, 0, len);
    put_sdt(p, sig, len, 1);
    fix_sum(p, len, 9);
}

static uint64_t g_list[ACPI_MAX_TABLES];

static void tables_phase(size_t nblobs)
{
    acpi_region regions[FW_MAX_FILES + 1];
    for (size_t i = 0; i < nblobs; i++) {
        regions[i] = acpi_loader_blob_region(&g_blobs[i]);
    }
    memset(g_own, 0, sizeof g_own);
    regions[nblobs] = (acpi_region){OWN_ADDR, tds_mut_bytes_make(g_own, sizeof g_own)};
    acpi_space space = {regions, nblobs + 1};
    uint64_t rsdp = 0;
    if (acpi_rsdp_scan(&space, &rsdp) != TDS_OK) {
        return;
    }
    acpi_tables t;
    acpi_error err;
    tds_status s = acpi_tables_open(&space, rsdp, &t, &err);
    CHECK(s == err.status && s == acpi_reason_status(err.reason));
    if (s != TDS_OK) {
        return;
    }
    CHECK(t.count <= ACPI_MAX_TABLES);
    bool has_apic = false;
    for (uint32_t i = 0; i < t.count; i++) {
        acpi_table_ref r;
        CHECK(acpi_tables_entry(&t, i, &r) == TDS_OK);
        CHECK(r.length >= ACPI_SDT_HEADER_SIZE && acpi_sum8(tds_bytes_const(r.bytes)) == 0);
        has_apic |= memcmp(r.signature, "APIC", 4) == 0;
    }
    acpi_fadt_info f;
    s = acpi_fadt_read(&t, &f, &err);
    CHECK(s == err.status && s == acpi_reason_status(err.reason));
    CHECK((s == TDS_ERR_NOT_FOUND) == (t.fadt_addr == 0));
    acpi_mcfg_entry m;
    uint32_t mn = 0;
    s = acpi_mcfg_read(&t, 0, &m, &mn, &err);
    CHECK(s == err.status && s == acpi_reason_status(err.reason));
    CHECK(s != TDS_OK || (m.start_bus <= m.end_bus && mn >= 1));

    /* The TD edit: our MADT (the listed one, re-checksummed, or a bare header) and a CCEL. */
    acpi_table_ref apic;
    if (acpi_tables_find(&t, "APIC", &apic, NULL) == TDS_OK && apic.length <= 0x800) {
        memcpy(g_own, apic.bytes.ptr, apic.length);
        g_own[40] ^= 0x80; /* make it ours */
        fix_sum(g_own, apic.length, 9);
    } else {
        put_table(g_own, "APIC", 44);
    }
    put_table(g_own + 0x800, "CCEL", 56);
    const uint64_t add[] = {OWN_ADDR + 0x800};
    acpi_edit e = {OWN_ADDR, add, 1, OWN_ADDR + 0x1000, 0x800, OWN_ADDR + 0x1800, 0x800};
    acpi_tables edited = t;
    snapshot();
    s = acpi_tables_edit(&edited, &e, &err);
    CHECK(s == err.status && s == acpi_reason_status(err.reason));
    if (s != TDS_OK) {
        CHECK(unchanged());
        CHECK(tables_eq(&edited, &t));
    } else {
        CHECK(edited.count == t.count + 1 + (has_apic ? 0 : 1));
        acpi_tables again;
        CHECK(acpi_tables_open(&space, rsdp, &again, NULL) == TDS_OK);
        CHECK(tables_eq(&again, &edited));
        t = edited;
    }

    /* A fresh root over whatever is listed now. */
    for (uint32_t i = 0; i < t.count; i++) {
        acpi_table_ref r;
        CHECK(acpi_tables_entry(&t, i, &r) == TDS_OK);
        g_list[i] = r.addr;
    }
    acpi_ids ids;
    memset(&ids, 'F', sizeof ids);
    snapshot();
    s = acpi_build_root(&space, g_list, t.count, &ids, OWN_ADDR + 0x2000, OWN_ADDR + 0x2040, &err);
    CHECK(s == err.status && s == acpi_reason_status(err.reason));
    if (s != TDS_OK) {
        CHECK(unchanged());
        return;
    }
    acpi_tables b;
    CHECK(acpi_tables_open(&space, OWN_ADDR + 0x2000, &b, NULL) == TDS_OK);
    CHECK(b.count == t.count && b.rsdp_revision == 2 && b.rsdt_addr == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3) {
        return 0;
    }
    uint8_t knobs = data[0];
    size_t slen = (size_t)data[1] | (size_t)data[2] << 8;
    size_t pos = 3;
    if (slen > size - pos) {
        slen = size - pos;
    }
    const uint8_t *sc = data + pos;
    pos += slen;

    fw_init(&g_fw);
    static const uint64_t place[4] = {FW_HIGH_ADDR, 0xfffc0000ull, 0x100000000ull, 0x10};
    g_fw.high_addr = place[(knobs >> FUZZ_KNOB_PLACE_SHIFT) & 3u];
    if ((knobs & FUZZ_KNOB_WP_REFUSE) != 0) {
        g_fw.wp_status = TDS_ERR_UNSUPPORTED;
    }
    static char names[FW_MAX_FILES][ACPI_LOADER_NAME_SIZE];
    while (pos < size && g_fw.nfiles < FW_MAX_FILES) {
        size_t nl = data[pos++];
        if (nl == 0 || nl >= ACPI_LOADER_NAME_SIZE || nl > size - pos) {
            break;
        }
        char *name = names[g_fw.nfiles];
        memset(name, 0, ACPI_LOADER_NAME_SIZE);
        memcpy(name, data + pos, nl);
        pos += nl;
        if (size - pos < 4) {
            break;
        }
        uint32_t fsz = get_le32(data + pos);
        pos += 4;
        if (fsz > size - pos) {
            fsz = (uint32_t)(size - pos);
        }
        if (strlen(name) == 0) {
            break;
        }
        fw_add(&g_fw, name, data + pos, fsz);
        pos += fsz;
    }

    acpi_loader_ops ops = fw_ops(&g_fw, (knobs & FUZZ_KNOB_WP) != 0);
    uint32_t flags = (knobs & FUZZ_KNOB_SKIP) != 0 ? ACPI_LOADER_SKIP_UNKNOWN : 0;
    acpi_loader_result res;
    memset(&res, 0x77, sizeof res);
    acpi_error err;
    tds_status s =
        acpi_loader_run(tds_bytes_make(sc, slen), &ops, flags, g_blobs, FW_MAX_FILES, &res, &err);
    CHECK(s == err.status);
    if (err.reason != ACPI_R_ALLOCATE_FAILED && err.reason != ACPI_R_WRITE_POINTER_FAILED) {
        CHECK(s == acpi_reason_status(err.reason));
    }
    CHECK(err.allocated <= g_fw.allocs);
    if (s != TDS_OK) {
        CHECK(res.commands == 0x77777777u);
        if (err.reason != ACPI_R_WRITE_POINTER_FAILED) {
            CHECK(fw_unchanged(&g_fw)); /* a refused script changed nothing */
            CHECK(g_fw.n_wp == 0);
        }
        return 0;
    }
    CHECK(res.blobs <= FW_MAX_FILES && res.blobs == g_fw.allocs && res.blobs == err.allocated);
    CHECK(res.write_pointers == g_fw.n_wp);
    for (size_t i = 0; i < res.blobs; i++) {
        const acpi_loader_blob *b = &g_blobs[i];
        CHECK((b->addr & (b->align - 1)) == 0 && b->mem.len >= b->size && b->size > 0);
    }
    reference(sc, slen, res.blobs);
    CHECK(fw_unchanged(&g_fw)); /* arenas == reference-patched shadows */
    tables_phase(res.blobs);
    return 0;
}
