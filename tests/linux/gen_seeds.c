/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Writes the fuzz_linux seeds (tests/linux/seeds/) from the fixtures: linux_gen_seeds <dir>.
 * Setup bytes with setup_sects 1 keep the seeds small (1 KiB of setup).
 */
#include <stdio.h>
#include <string.h>

#include "fixtures.h"
#include "fuzz_input.h"

static uint8_t g_buf[FZ_PARAMS + 255 * FZ_ENTRY + FX_SETUP_MAX];

typedef struct seed_entry {
    uint64_t addr, size;
    uint8_t type;
} seed_entry;

static int write_seed(const char *dir, const char *name, const fx_kernel *k, uint32_t ksize,
                      uint64_t initrd, uint16_t cmdline, const seed_entry *map, size_t n,
                      uint8_t flags, uint64_t base, uint64_t mapped_last)
{
    memset(g_buf, 0, sizeof g_buf);
    fx_le32(g_buf, ksize);
    fx_le64(g_buf + 4, initrd);
    fx_le16(g_buf + 12, cmdline);
    g_buf[14] = (uint8_t)n;
    g_buf[15] = flags;
    fx_le64(g_buf + 16, base);
    fx_le64(g_buf + 24, mapped_last);
    for (size_t i = 0; i < n; i++) {
        uint8_t *q = g_buf + FZ_PARAMS + i * FZ_ENTRY;
        fx_le64(q, map[i].addr);
        fx_le64(q + 8, map[i].size);
        q[16] = map[i].type;
    }
    size_t off = FZ_PARAMS + n * FZ_ENTRY;
    size_t len = off + fx_setup(k, g_buf + off);
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    size_t put = fwrite(g_buf, 1, len, f);
    if (fclose(f) != 0 || put != len) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <seed dir>\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    int rc = 0;
    fx_kernel k = fx_default();
    k.setup_sects_byte = 1;
    k.init_size = 0x400000;
    k.syssize = 0x1000;
    static const seed_entry td[] = {
        {0, 0x80000, 1},           {0x80000, 0x80000, 2},     {0x100000, 0x7EF00000, 1},
        {0x7F000000, 0x100000, 3}, {0x7F100000, 0x100000, 4}, {0x7F200000, 0xE00000, 2},
    };
    rc |= write_seed(dir, "td-small.bin", &k, 0x10000, 0x200000, 32, td, 6, 0, 0, UINT64_MAX);
    rc |= write_seed(dir, "td-fixed.bin", &k, 0x10000, 0x1000, 8, td, 6,
                     FZ_FIXED_BOOT_PARAMS | FZ_FIXED_CMDLINE, 0x1000000, 0xFFFFFFFF);
    /* 200 entries: a SETUP_E820_EXT node. */
    static seed_entry many[200];
    many[0] = (seed_entry){0x100000, 0x3FF00000, 1};
    for (size_t i = 1; i < 200; i++) {
        many[i] = (seed_entry){0x100000000ull + i * 0x1000, 0x1000, (uint8_t)((i & 1) ? 2 : 1)};
    }
    rc |= write_seed(dir, "e820-200.bin", &k, 0x10000, 0, 1, many, 200, 0, 0, UINT64_MAX);
    /* Not relocatable, RAM at the top of the address space. */
    fx_kernel top = k;
    top.relocatable = 0;
    top.pref_address = 0xFFFFFFFF00000000ull;
    static const seed_entry hi[] = {{0xFFFFFFFF00000000ull, 0x100000000ull, 1}};
    rc |= write_seed(dir, "top.bin", &top, 0x10000, 0x100000, 16, hi, 1, 0, 0, UINT64_MAX);
    /* Protocol 2.11: refused at once. */
    fx_kernel old = k;
    old.version = 0x020B;
    rc |= write_seed(dir, "old-protocol.bin", &old, 0x10000, 0, 1, td, 6, 0, 0, UINT64_MAX);
    return rc;
}
