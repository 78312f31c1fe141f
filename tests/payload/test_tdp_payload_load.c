/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The real test payload ELF (from the firmware sub-build) through the shim's loader, as the shim
 * will load it (docs/handoff.md §2): at PAYLOAD_BASE 0x1000000 and at a second base. Checks the
 * entry (e_entry + base, in an executable segment), that relocations were applied (the image has
 * some: pointer tables), that every relocated 8-byte word moved by exactly the base difference,
 * and that the payload region (load size rounded to 2 MiB) stays within 32 MiB.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader.h"

#define PAYLOAD_BASE 0x1000000ull
#define OTHER_BASE 0x7fe00000ull
#define DEST_LEN (4u << 20)
#define MAX_REGION (32u << 20)

static uint8_t *g_file;
static size_t g_file_len;
static uint8_t *g_dest_a;
static uint8_t *g_dest_b;

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static int setup(void **state)
{
    (void)state;
    FILE *f = fopen(TDP_PAYLOAD_ELF, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", TDP_PAYLOAD_ELF);
        return -1;
    }
    g_file = malloc(DEST_LEN);
    g_dest_a = malloc(DEST_LEN);
    g_dest_b = malloc(DEST_LEN);
    if (g_file == NULL || g_dest_a == NULL || g_dest_b == NULL) {
        (void)fclose(f);
        return -1;
    }
    g_file_len = fread(g_file, 1, DEST_LEN, f);
    (void)fclose(f);
    return g_file_len > 64 && g_file_len < DEST_LEN ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(g_file);
    free(g_dest_a);
    free(g_dest_b);
    return 0;
}

static void load(uint8_t *dest, uint64_t base, ldr_result *r)
{
    ldr_error e;
    memset(dest, 0xcc, DEST_LEN);
    tds_status s = ldr_load(tds_bytes_make(g_file, g_file_len), tds_mut_bytes_make(dest, DEST_LEN),
                            base, r, &e);
    if (s != TDS_OK) {
        fail_msg("ldr_load: %s at file offset 0x%llx", ldr_reason_str(e.reason),
                 (unsigned long long)e.offset);
    }
}

static void test_load_at_payload_base(void **state)
{
    (void)state;
    ldr_result r;
    load(g_dest_a, PAYLOAD_BASE, &r);
    assert_int_equal(r.type, LDR_IMAGE_ELF64);
    assert_int_equal(r.load_base, PAYLOAD_BASE);
    /* The first PT_LOAD is at vaddr 0 (static PIE): entry = e_entry + base. */
    assert_int_equal(r.entry, PAYLOAD_BASE + rd64(g_file + 24));
    bool in_x = false;
    for (uint32_t i = 0; i < r.segment_count; i++) {
        const ldr_segment *sg = &r.segments[i];
        if (r.entry >= sg->addr && r.entry - sg->addr < sg->size) {
            in_x = (sg->flags & LDR_SEG_X) != 0;
        }
    }
    assert_true(in_x);
    assert_true(r.reloc_count > 0);
    uint64_t region = (r.load_size + (2u << 20) - 1) & ~(uint64_t)((2u << 20) - 1);
    assert_true(region <= MAX_REGION);
    /* What the shim measures is the whole file as given. */
    assert_ptr_equal(r.measured.ptr, g_file);
    assert_int_equal(r.measured.len, g_file_len);
}

static void test_relocations_follow_base(void **state)
{
    (void)state;
    ldr_result a;
    ldr_result b;
    load(g_dest_a, PAYLOAD_BASE, &a);
    load(g_dest_b, OTHER_BASE, &b);
    assert_int_equal(a.load_size, b.load_size);
    assert_int_equal(a.reloc_count, b.reloc_count);
    assert_int_equal(b.entry - OTHER_BASE, a.entry - PAYLOAD_BASE);
    /* Images differ only in relocated words, each by exactly the base difference. */
    size_t moved = 0;
    for (size_t off = 0; off < a.load_size;) {
        if (g_dest_a[off] == g_dest_b[off]) {
            off++;
            continue;
        }
        size_t w = off & ~(size_t)7;
        assert_true(w + 8 <= a.load_size);
        assert_int_equal(rd64(g_dest_b + w) - rd64(g_dest_a + w), OTHER_BASE - PAYLOAD_BASE);
        moved++;
        off = w + 8;
    }
    assert_true(moved > 0);
    assert_true(moved <= a.reloc_count);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_at_payload_base),
        cmocka_unit_test(test_relocations_follow_base),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
