/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The loader on a payload produced by the host toolchain (pie_payload.c, gcc -static-pie), loaded
 * at two bases. The anchor's relocated pointers are predicted from where the anchor lands: self ==
 * its own address, start == the ELF entry, data_word points at 0x5a5a1234, bss_word at zeroed RW.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/loader.h"

#define DEST_LEN 0x10000u
#define MAGIC 0x524f48434e415444ull

static uint8_t g_file[0x10000];
static uint8_t g_dest[DEST_LEN];

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static size_t read_payload(void)
{
    FILE *f = fopen(PIE_PAYLOAD, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", PIE_PAYLOAD);
        return 0;
    }
    size_t n = fread(g_file, 1, sizeof g_file, f);
    assert_int_equal(fclose(f), 0);
    assert_true(n > 64 && n < sizeof g_file);
    return n;
}

static const ldr_segment *segment_of(const ldr_result *r, uint64_t addr)
{
    for (uint32_t i = 0; i < r->segment_count; i++) {
        if (addr >= r->segments[i].addr && addr - r->segments[i].addr < r->segments[i].size) {
            return &r->segments[i];
        }
    }
    return NULL;
}

static void load_at(size_t n, uint64_t base)
{
    ldr_result r;
    ldr_error e;
    memset(g_dest, 0xcc, sizeof g_dest);
    tds_status s =
        ldr_load(tds_bytes_make(g_file, n), tds_mut_bytes_make(g_dest, DEST_LEN), base, &r, &e);
    if (s != TDS_OK) {
        fail_msg("load failed: %s at 0x%llx", ldr_reason_str(e.reason),
                 (unsigned long long)e.offset);
    }
    assert_int_equal(r.type, LDR_IMAGE_ELF64);
    assert_true(r.reloc_count >= 4);
    /* Entry is e_entry (the file's own header) plus the base: the first PT_LOAD is at vaddr 0. */
    assert_int_equal(r.entry, base + rd64(g_file + 24));
    size_t at = SIZE_MAX;
    for (size_t off = 0; off + 40 <= r.load_size; off += 8) {
        if (rd64(g_dest + off) == MAGIC) {
            at = off;
            break;
        }
    }
    assert_true(at != SIZE_MAX);
    assert_int_equal(rd64(g_dest + at + 8), base + at); /* self */
    assert_int_equal(rd64(g_dest + at + 16), r.entry);  /* _start */
    uint64_t bss = rd64(g_dest + at + 24);
    uint64_t data = rd64(g_dest + at + 32);
    const ldr_segment *sb = segment_of(&r, bss);
    const ldr_segment *sd = segment_of(&r, data);
    if (sb == NULL || sd == NULL) {
        fail_msg("anchor pointers outside the loaded segments");
        return;
    }
    assert_int_equal(sb->flags, LDR_SEG_R | LDR_SEG_W);
    assert_int_equal(sd->flags, LDR_SEG_R | LDR_SEG_W);
    uint32_t dv = 0, bv = 1;
    memcpy(&dv, g_dest + (data - base), 4);
    memcpy(&bv, g_dest + (bss - base), 4);
    assert_int_equal(dv, 0x5a5a1234);
    assert_int_equal(bv, 0);
    const ldr_segment *se = segment_of(&r, r.entry);
    if (se == NULL) {
        fail_msg("entry outside the loaded segments");
        return;
    }
    assert_true((se->flags & LDR_SEG_X) != 0);
}

static void gcc_static_pie_two_bases(void **state)
{
    (void)state;
    size_t n = read_payload();
    load_at(n, 0x400000);
    load_at(n, 0xfffffffffff00000ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gcc_static_pie_two_bases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
