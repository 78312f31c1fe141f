/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A real toolchain payload for test_loader_pie: built by the host gcc with
 * -nostdlib -static-pie (not with the project flags), so the loader sees what ld emits: a PT_LOAD
 * for headers and RELA, text, rodata, a RW segment whose file offset and vaddr differ, PT_DYNAMIC
 * with DT_GNU_HASH/DT_DEBUG, and R_X86_64_RELATIVE relocations. The anchor is found by its magic;
 * its pointers have values the test can predict from where it was found.
 */
#include <stdint.h>

struct anchor {
    uint64_t magic;
    const struct anchor *self;
    void (*start)(void);
    int *bss_word;
    int *data_word;
};

void _start(void);

static int bss_word;
int data_word = 0x5a5a1234;

const struct anchor tds_loader_anchor = {0x524f48434e415444ull, &tds_loader_anchor, _start,
                                         &bss_word, &data_word};

void _start(void)
{
    for (;;) {
        __asm__ volatile("hlt" ::"m"(tds_loader_anchor));
    }
}
