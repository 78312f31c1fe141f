/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * ELF64 payload loader (shim/loader/elf.c) on real gcc-built payloads (elf/fixture.c as a static
 * PIE and as ET_EXEC), then on hostile edits of them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "loader/elf.h"

static uint8_t pie[65536];
static size_t pie_len;
static uint8_t exe[65536];
static size_t exe_len;
static uint8_t work[65536];
static uint8_t dest1[0x10000];
static uint8_t dest2[0x10000];

static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap, f);
    assert_int_equal(fclose(f), 0);
    assert_true(n > 64 && n < cap);
    return n;
}

static int setup(void **state)
{
    (void)state;
    pie_len = slurp(TEST_PIE_ELF, pie, sizeof pie);
    exe_len = slurp(TEST_EXEC_ELF, exe, sizeof exe);
    return 0;
}

static void test_pie_relocates(void **state)
{
    (void)state;
    shim_elf_image img;
    shim_elf_error err = {NULL};
    assert_int_equal(shim_elf_parse(tds_bytes_make(pie, pie_len), &img, &err), TDS_OK);
    assert_true(img.pie);
    assert_int_equal(img.base_vaddr, 0);
    assert_int_equal(img.load_count, 4);
    assert_int_equal(img.rela_count, 3); /* table[0..2] */
    assert_true(img.span <= sizeof dest1);
    assert_int_equal(img.entry_rel, tds_load_le64(pie + 24)); /* e_entry, base 0 */
    memset(dest1, 0xAA, sizeof dest1);
    memset(dest2, 0x55, sizeof dest2);
    tds_mut_bytes d1 = tds_mut_bytes_make(dest1, (size_t)img.span);
    tds_mut_bytes d2 = tds_mut_bytes_make(dest2, (size_t)img.span);
    const uint64_t l1 = 0x1000000;
    const uint64_t l2 = 0x7ffff000000ull;
    assert_int_equal(shim_elf_load(tds_bytes_make(pie, pie_len), &img, d1, l1, &err), TDS_OK);
    assert_int_equal(shim_elf_load(tds_bytes_make(pie, pie_len), &img, d2, l2, &err), TDS_OK);
    /* The two loads differ exactly in the relocated words, each by l2 - l1; every relocated
     * word points into the image at the first load address. */
    size_t diffs = 0;
    for (size_t i = 0; i + 8 <= img.span; i += 8) {
        uint64_t a = tds_load_le64(dest1 + i);
        uint64_t b = tds_load_le64(dest2 + i);
        if (a != b) {
            diffs++;
            assert_int_equal(b - a, l2 - l1);
            assert_true(a >= l1 && a < l1 + img.span);
        }
    }
    assert_int_equal(diffs, 3);
    /* Segment bytes copied, bss and gaps zero: no fill pattern survives. */
    for (size_t i = 0; i < img.span; i++) {
        assert_int_not_equal(dest1[i], 0xAA);
    }
    const shim_elf_segment *data = &img.load[3];
    assert_true(data->memsz > data->filesz); /* the bss part */
    for (uint64_t i = data->filesz; i < data->memsz; i++) {
        assert_int_equal(dest1[data->rel + i], 0);
    }
    assert_memory_equal(dest1 + img.load[1].rel, pie + img.load[1].offset, img.load[1].filesz);
    /* Past the span: untouched. */
    assert_int_equal(dest1[img.span], 0xAA);
}

static void test_exec_fixed_address(void **state)
{
    (void)state;
    shim_elf_image img;
    shim_elf_error err = {NULL};
    assert_int_equal(shim_elf_parse(tds_bytes_make(exe, exe_len), &img, &err), TDS_OK);
    assert_false(img.pie);
    assert_int_equal(img.base_vaddr, 0x400000);
    assert_int_equal(img.entry_rel, tds_load_le64(exe + 24) - 0x400000);
    assert_int_equal(img.rela_count, 0);
    tds_mut_bytes d = tds_mut_bytes_make(dest1, (size_t)img.span);
    assert_int_equal(shim_elf_load(tds_bytes_make(exe, exe_len), &img, d, 0x500000, &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_elf_load(tds_bytes_make(exe, exe_len), &img, d, 0x400000, &err), TDS_OK);
    /* Wrong destination size. */
    d.len -= 1;
    assert_int_equal(shim_elf_load(tds_bytes_make(exe, exe_len), &img, d, 0x400000, &err),
                     TDS_ERR_INVALID_ARG);
}

/* Parse an edited copy of the PIE; return the status. */
static tds_status parse_edit(size_t off, const void *bytes, size_t n)
{
    shim_elf_image img;
    shim_elf_error err = {NULL};
    memcpy(work, pie, pie_len);
    memcpy(work + off, bytes, n);
    tds_status st = shim_elf_parse(tds_bytes_make(work, pie_len), &img, &err);
    if (st != TDS_OK) {
        assert_non_null(err.what);
    }
    return st;
}

#define PH(i, field) (64u + 56u * (i) + (field))

static void test_hostile_headers(void **state)
{
    (void)state;
    const uint8_t z8[8] = {0};
    const uint8_t ff8[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    uint8_t b[8];
    assert_int_equal(parse_edit(0,
                                "\x7f"
                                "ELG",
                                4),
                     TDS_ERR_MALFORMED);
    assert_int_equal(parse_edit(4, "\x01", 1), TDS_ERR_MALFORMED);        /* 32-bit */
    assert_int_equal(parse_edit(5, "\x02", 1), TDS_ERR_MALFORMED);        /* big-endian */
    assert_int_equal(parse_edit(18, "\x03\x00", 2), TDS_ERR_UNSUPPORTED); /* EM_386 */
    assert_int_equal(parse_edit(16, "\x01\x00", 2), TDS_ERR_UNSUPPORTED); /* ET_REL */
    assert_int_equal(parse_edit(54, "\x38\x01", 2), TDS_ERR_MALFORMED);   /* phentsize */
    assert_int_equal(parse_edit(56, "\x00\x00", 2), TDS_ERR_MALFORMED);   /* phnum 0 */
    assert_int_equal(parse_edit(56, "\xff\xff", 2), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(parse_edit(32, ff8, 8), TDS_ERR_OUT_OF_BOUNDS); /* phoff wraps */
    assert_int_equal(parse_edit(24, z8, 8), TDS_ERR_MALFORMED);      /* entry not executable */
    /* Segment 1 (text): file bytes past the end, filesz > memsz, address wrap. */
    tds_store_le64(b, pie_len);
    assert_int_equal(parse_edit(PH(1, 8), b, 8), TDS_ERR_OUT_OF_BOUNDS);
    tds_store_le64(b, 1); /* memsz below filesz (2) */
    assert_int_equal(parse_edit(PH(1, 40), b, 8), TDS_ERR_MALFORMED);
    tds_store_le64(b, 0xFFFFFFFFFFFFF000ull);
    assert_int_equal(parse_edit(PH(1, 16), b, 8), TDS_ERR_MALFORMED); /* also breaks order */
    tds_store_le64(b, 0x3000);
    assert_int_equal(parse_edit(PH(3, 40), ff8, 8), TDS_ERR_OVERFLOW); /* memsz wraps */
    assert_int_equal(parse_edit(PH(1, 16), z8, 8), TDS_ERR_MALFORMED); /* overlaps segment 0 */
    tds_store_le64(b, 0x400000);
    assert_int_equal(parse_edit(PH(1, 48), b, 8), TDS_ERR_UNSUPPORTED); /* align 4 MiB */
    tds_store_le64(b, 0x3000);
    assert_int_equal(parse_edit(PH(1, 48), b, 8), TDS_ERR_UNSUPPORTED); /* align not pow2 */
    tds_store_le64(b, 0x20000000);
    assert_int_equal(parse_edit(PH(3, 40), b, 8), TDS_ERR_NO_SPACE); /* span > 256 MiB */
    assert_int_equal(parse_edit(PH(2, 0), "\x03\x00\x00\x00", 4), TDS_ERR_UNSUPPORTED); /* INTERP */
    /* Truncated files. */
    shim_elf_image img;
    shim_elf_error err;
    assert_int_equal(shim_elf_parse(tds_bytes_make(pie, 63), &img, &err), TDS_ERR_TRUNCATED);
    assert_int_equal(shim_elf_parse(tds_bytes_make(pie, 64 + 56 * 2), &img, &err),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(shim_elf_parse(tds_bytes_make(NULL, 10), &img, &err), TDS_ERR_INVALID_ARG);
}

/* Find the DT_RELASZ entry in the PIE's dynamic segment (segment 4 in the fixture). */
static size_t dyn_entry(uint64_t tag)
{
    const size_t dyn = (size_t)tds_load_le64(pie + PH(4, 8));
    for (size_t o = dyn; o + 16 <= pie_len; o += 16) {
        if (tds_load_le64(pie + o) == tag) {
            return o;
        }
    }
    fail_msg("dynamic tag %llu not found", (unsigned long long)tag);
    return 0;
}

static void test_hostile_relocations(void **state)
{
    (void)state;
    uint8_t b[8];
    assert_int_equal(tds_load_le32(pie + PH(4, 0)), 2); /* PT_DYNAMIC */
    const size_t relasz = dyn_entry(8);
    tds_store_le64(b, 25);
    assert_int_equal(parse_edit(relasz + 8, b, 8), TDS_ERR_MALFORMED);
    tds_store_le64(b, (uint64_t)24 * 0x10000); /* whole entries, but far past the image */
    assert_int_equal(parse_edit(relasz + 8, b, 8), TDS_ERR_OUT_OF_BOUNDS);
    const size_t relaent = dyn_entry(9);
    tds_store_le64(b, 32);
    assert_int_equal(parse_edit(relaent + 8, b, 8), TDS_ERR_MALFORMED);
    tds_store_le64(b, 17); /* DT_REL */
    assert_int_equal(parse_edit(relaent, b, 8), TDS_ERR_UNSUPPORTED);

    /* Relocation entries themselves: read at load time from the loaded image. */
    const size_t rela = (size_t)tds_load_le64(pie + dyn_entry(7) + 8);
    shim_elf_image img;
    shim_elf_error err;
    struct {
        size_t field;
        uint64_t value;
        tds_status want;
    } cases[] = {
        {8, 1, TDS_ERR_UNSUPPORTED},                       /* R_X86_64_64 */
        {8, (1ull << 32) | 8, TDS_ERR_UNSUPPORTED},        /* RELATIVE with a symbol */
        {0, 0x100000, TDS_ERR_OUT_OF_BOUNDS},              /* target past the image */
        {0, 0xFFFFFFFFFFFFFFFCull, TDS_ERR_OUT_OF_BOUNDS}, /* target wraps */
        {0, 0, TDS_OK},                                    /* target at the start: allowed */
        {8, 0, TDS_OK},                                    /* R_X86_64_NONE */
    };
    for (size_t i = 0; i < TDS_ARRAY_LEN(cases); i++) {
        memcpy(work, pie, pie_len);
        tds_store_le64(work + rela + cases[i].field, cases[i].value);
        assert_int_equal(shim_elf_parse(tds_bytes_make(work, pie_len), &img, &err), TDS_OK);
        tds_mut_bytes d = tds_mut_bytes_make(dest1, (size_t)img.span);
        assert_int_equal(shim_elf_load(tds_bytes_make(work, pie_len), &img, d, 0x200000, &err),
                         cases[i].want);
    }
    /* Misaligned load address for a PIE. */
    assert_int_equal(shim_elf_parse(tds_bytes_make(pie, pie_len), &img, &err), TDS_OK);
    tds_mut_bytes d = tds_mut_bytes_make(dest1, (size_t)img.span);
    assert_int_equal(shim_elf_load(tds_bytes_make(pie, pie_len), &img, d, 0x200800, &err),
                     TDS_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pie_relocates),
        cmocka_unit_test(test_exec_fixed_address),
        cmocka_unit_test(test_hostile_headers),
        cmocka_unit_test(test_hostile_relocations),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
