/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Writes the fuzz_acpi seeds (format: fuzz_acpi.h) to <seed-dir>:
 *   q35.bin           the q35-like script and blobs of acpi_test_util.c
 *   q35-xsdt.bin      the same with a revision-2 RSDP, an XSDT (8-byte pointers) and the RSDT
 *   qemu-7.2-q35.bin  QEMU 7.2's own files (the fixture; tables cut after the RSDT)
 *   write-pointer.bin a vmgenid-like ALLOCATE + WRITE_POINTER, with the op present
 *   low-pointers.bin  1-, 2-, 4- and 8-byte pointers into a blob placed at 0x10
 * Run by hand when the inputs change:
 *   build/debug/tests/acpi/acpi_gen_seeds tests/acpi/seeds tests/acpi/fixtures/qemu-7.2-q35
 */
#include <stdio.h>
#include <string.h>

#include "acpi_test_util.h"
#include "fuzz_acpi.h"

static uint8_t g_out[0x20000];
static size_t g_len;

static void put(const void *p, size_t n)
{
    if (n > sizeof g_out - g_len) {
        n = sizeof g_out - g_len;
    }
    memcpy(g_out + g_len, p, n);
    g_len += n;
}

static void begin(uint8_t knobs, const script *sc)
{
    g_len = 0;
    uint8_t h[3] = {knobs, (uint8_t)sc_len(sc), (uint8_t)(sc_len(sc) >> 8)};
    put(h, 3);
    put(sc->b, sc_len(sc));
}

static void file(const char *name, const uint8_t *data, uint32_t size)
{
    uint8_t nl = (uint8_t)strlen(name);
    uint8_t sz[4];
    put_le32(sz, size);
    put(&nl, 1);
    put(name, nl);
    put(sz, 4);
    put(data, size);
}

static int dump(const char *dir, const char *name)
{
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        return 1;
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return 1;
    }
    size_t w = fwrite(g_out, 1, g_len, f);
    return (fclose(f) != 0 || w != g_len) ? 1 : 0;
}

static size_t slurp(const char *dir, const char *name, uint8_t *buf, size_t cap)
{
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        return 0;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

static q35_input g_in;
static script g_sc;

/* The q35 input with an XSDT after the RSDT and a 36-byte RSDP naming both. */
static void q35_xsdt(void)
{
    q35_build(&g_in);
    g_sc = g_in.sc;
    g_sc.n = 15; /* up to the RSDT's checksum; the RSDP part is redone below */
    uint32_t x = g_in.end + 4;
    uint8_t *xs = g_in.tables + x;
    put_sdt(xs, "XSDT", 36 + 8 * 4, 1);
    for (uint32_t i = 0; i < 4; i++) {
        put_le64(xs + 36 + (size_t)8 * i, get_le32(g_in.tables + g_in.rsdt + 36 + (size_t)4 * i));
        sc_ptr(&g_sc, Q35_TABLES, Q35_TABLES, x + 36 + 8 * i, 8);
    }
    sc_cksum(&g_sc, Q35_TABLES, x + 9, x, 36 + 8 * 4);
    static uint8_t rsdp[36];
    put_str(rsdp, "RSD PTR ");
    put_str(rsdp + 9, "BOCHS ");
    rsdp[15] = 2;
    put_le32(rsdp + 16, g_in.rsdt);
    put_le32(rsdp + 20, 36);
    put_le64(rsdp + 24, x);
    sc_ptr(&g_sc, Q35_RSDP, Q35_TABLES, 16, 4);
    sc_ptr(&g_sc, Q35_RSDP, Q35_TABLES, 24, 8);
    sc_cksum(&g_sc, Q35_RSDP, 8, 0, 20);
    sc_cksum(&g_sc, Q35_RSDP, 32, 0, 36);
    begin(0, &g_sc);
    file(Q35_RSDP, rsdp, sizeof rsdp);
    file(Q35_TABLES, g_in.tables, Q35_TABLES_SIZE);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <seed-dir> <fixture-dir>\n", argv[0]);
        return 2;
    }
    const char *out = argv[1];
    int rc = 0;

    q35_build(&g_in);
    begin(0, &g_in.sc);
    file(Q35_RSDP, g_in.rsdp, ACPI_RSDP_V1_SIZE);
    file(Q35_TABLES, g_in.tables, Q35_TABLES_SIZE);
    rc |= dump(out, "q35.bin");

    q35_xsdt();
    rc |= dump(out, "q35-xsdt.bin");

    static uint8_t loader[0x2000];
    static uint8_t tables[0x4000];
    static uint8_t rsdp[64];
    size_t nl = slurp(argv[2], "table-loader", loader, sizeof loader);
    size_t nt = slurp(argv[2], "tables", tables, sizeof tables);
    size_t nr = slurp(argv[2], "rsdp", rsdp, sizeof rsdp);
    if (nl == 0 || nt == 0 || nr == 0) {
        fprintf(stderr, "cannot read the fixture in %s\n", argv[2]);
        return 1;
    }
    g_len = 0;
    uint8_t h[3] = {0, (uint8_t)nl, (uint8_t)(nl >> 8)};
    put(h, 3);
    put(loader, nl);
    file("etc/acpi/rsdp", rsdp, (uint32_t)nr);
    file("etc/acpi/tables", tables, (uint32_t)nt);
    rc |= dump(out, "qemu-7.2-q35.bin");

    static uint8_t guid[64];
    static uint8_t addr[8];
    sc_init(&g_sc);
    sc_alloc(&g_sc, "etc/vmgenid_guid", 4096, ACPI_LOADER_ZONE_HIGH);
    sc_cksum(&g_sc, "etc/vmgenid_guid", 0, 0, 8);
    sc_wptr(&g_sc, "etc/vmgenid_addr", "etc/vmgenid_guid", 0, 40, 8);
    begin(FUZZ_KNOB_WP, &g_sc);
    file("etc/vmgenid_guid", guid, sizeof guid);
    file("etc/vmgenid_addr", addr, sizeof addr);
    rc |= dump(out, "write-pointer.bin");

    static uint8_t dst[16];
    static uint8_t src[32];
    dst[0] = 1;
    put_le16(dst + 2, 2);
    put_le32(dst + 4, 3);
    put_le64(dst + 8, 4);
    sc_init(&g_sc);
    sc_alloc(&g_sc, "src", 1, ACPI_LOADER_ZONE_HIGH);
    sc_alloc(&g_sc, "dst", 8, ACPI_LOADER_ZONE_FSEG);
    sc_ptr(&g_sc, "dst", "src", 0, 1);
    sc_ptr(&g_sc, "dst", "src", 2, 2);
    sc_ptr(&g_sc, "dst", "src", 4, 4);
    sc_ptr(&g_sc, "dst", "src", 8, 8);
    begin(3u << FUZZ_KNOB_PLACE_SHIFT, &g_sc);
    file("src", src, sizeof src);
    file("dst", dst, sizeof dst);
    rc |= dump(out, "low-pointers.bin");
    return rc;
}
