/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libFuzzer: arbitrary bytes as an ELF payload through the parser and, if accepted, the loader. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "loader/elf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    shim_elf_image img;
    shim_elf_error err;
    if (shim_elf_parse(tds_bytes_make(data, size), &img, &err) != TDS_OK) {
        return 0;
    }
    if (img.span == 0 || img.span > (1u << 22)) {
        return 0; /* keep the fuzzer's memory small; the parser allows up to 256 MiB */
    }
    uint8_t *dest = malloc((size_t)img.span);
    if (dest == NULL) {
        return 0;
    }
    const uint64_t at = img.pie ? 0x40000000ull : img.base_vaddr;
    if (shim_elf_load(tds_bytes_make(data, size), &img, tds_mut_bytes_make(dest, (size_t)img.span),
                      at, &err) != TDS_OK &&
        err.what == NULL) {
        __builtin_trap(); /* every failure names its reason */
    }
    free(dest);
    return 0;
}
