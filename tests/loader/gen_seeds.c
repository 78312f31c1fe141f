/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Writes the fuzz seeds (the valid test images and a few variants) to <dir>/elf and <dir>/pe.
 * Run by hand when images.c changes: build/debug/tests/loader/loader_gen_seeds tests/loader/seeds
 */
#include <stdio.h>
#include <string.h>

#include "images.h"

static int dump(const char *dir, const char *name, const uint8_t *b, size_t n)
{
    char path[512];
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        return 1;
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return 1;
    }
    size_t w = fwrite(b, 1, n, f);
    return (fclose(f) != 0 || w != n) ? 1 : 0;
}

int main(int argc, char **argv)
{
    static uint8_t b[ELF_BUF];
    char elf[400], pe[400];
    if (argc != 2 || snprintf(elf, sizeof elf, "%s/elf", argv[1]) >= (int)sizeof elf ||
        snprintf(pe, sizeof pe, "%s/pe", argv[1]) >= (int)sizeof pe) {
        fprintf(stderr, "usage: %s <seed-dir>\n", argv[0]);
        return 2;
    }
    int rc = 0;
    size_t n = img_elf(b);
    rc |= dump(elf, "valid.elf", b, n);
    put16(b, 16, 2); /* ET_EXEC */
    rc |= dump(elf, "exec.elf", b, n);
    n = img_elf(b);
    put64(b, ELF_RELA + 56, 1); /* R_X86_64_64 */
    rc |= dump(elf, "reloc64.elf", b, n);
    n = img_pe(b);
    rc |= dump(pe, "valid.pe", b, n);
    put16(b, PE_COFF + 18, 0x0023); /* RELOCS_STRIPPED */
    rc |= dump(pe, "stripped.pe", b, n);
    n = img_pe(b);
    put32(b, PE_DIR5 + 4, 0); /* no relocations */
    rc |= dump(pe, "norelocs.pe", b, n);
    return rc;
}
