/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Writes the fuzz seeds deterministically: the three vectors, the all-types list, a list of
 * shuffled resource descriptors filling 4 KiB, and every hostile case. Usage: gen_seeds DIR. The
 * committed tests/tdhob/seeds/ is this program's output (a ctest regenerates it and compares).
 */
#include <stdio.h>
#include <string.h>

#include "fixtures.h"
#include "ref_tdhob.h"

static int write_file(const char *dir, const char *name, const uint8_t *b, size_t n)
{
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s.hob", dir, name) >= (int)sizeof path) {
        return -1;
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    size_t w = n == 0 ? 0 : fwrite(b, 1, n, f);
    if (fclose(f) != 0 || w != n) {
        perror(path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    const char *dir = argv[1];
    static uint8_t buf[4096];
    const hob_vector *vecs[] = {&k_vec_qemu_2g, &k_vec_qemu_8g, &k_vec_legacy_2g};
    for (size_t i = 0; i < 3; i++) {
        if (write_file(dir, vecs[i]->name, vecs[i]->bytes, vecs[i]->len) != 0) {
            return 1;
        }
    }
    size_t n = fixture_all_types(buf, sizeof buf, 0x900000);
    if (write_file(dir, "all_types", buf, n) != 0) {
        return 1;
    }
    /* A Linux command-line GUID HOB (tdhob_get_linux_cmdline's input). */
    {
        hb h;
        hb_init(&h, buf, sizeof buf);
        hb_phit(&h);
        hb_res(&h, 0, 0x7, 0x0, 0x800000);
        hb_guid(&h, &tdhob_guid_linux_cmdline, "console=ttyS0 panic=-1", 23);
        hb_end(&h);
        hb_patch_end(&h, 0x900000);
        if (write_file(dir, "linux_cmdline", buf, h.len) != 0) {
            return 1;
        }
    }
    /* Many resource descriptors in shuffled order (the sorted overlap check's input). */
    static big_res res[TDHOB_SCRATCH_ENTRIES(sizeof buf)];
    big_make(res, TDS_ARRAY_LEN(res), 8, 0x5EED);
    n = big_write(buf, sizeof buf, HOSTILE_GPA, res, TDS_ARRAY_LEN(res));
    if (n == 0 || write_file(dir, "many_resources", buf, n) != 0) {
        return 1;
    }
    for (size_t i = 0; i < k_hostile_count; i++) {
        char name[128];
        static tdhob_scratch_entry scratch[FX_SCRATCH_CAP];
        tdhob_config cfg = {HOSTILE_GPA, false, 48, TDHOB_CONV_AUTO, scratch, FX_SCRATCH_CAP};
        n = k_hostile[i].build(buf, sizeof buf, &cfg);
        (void)snprintf(name, sizeof name, "hostile_%s", k_hostile[i].name);
        if (write_file(dir, name, buf, n) != 0) {
            return 1;
        }
    }
    return 0;
}
