/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Payload loader: tiny ELF64 and PE32+ images laid out from the specs (images.c), loaded at two
 * bases with relocated values checked byte-exact, and hostile images, one test each, with the
 * exact reason, status and file offset. Every failure must leave the destination untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "images.h"
#include "tdshim/loader.h"

#define DEST_LEN 0x5000u
#define FILL 0xccu
#define BASE_LOW 0x200000ull
#define BASE_HIGH 0xffffffffffff0000ull /* top 64 KiB of the address space */

static uint8_t g_dest[DEST_LEN];

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void assert_all(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            fail_msg("byte %zu is 0x%02x, expected 0x%02x", i, p[i], v);
        }
    }
}

typedef tds_status (*load_fn)(tds_bytes, tds_mut_bytes, uint64_t, ldr_result *, ldr_error *);

static void expect_fail(load_fn fn, const uint8_t *img, size_t len, uint8_t *dest, size_t dlen,
                        uint64_t base, ldr_reason reason, tds_status st, uint64_t off)
{
    ldr_result r;
    memset(&r, 0x5a, sizeof r);
    ldr_error e = {LDR_R_NONE, 0};
    if (dest == g_dest) {
        memset(g_dest, FILL, sizeof g_dest);
    }
    tds_status s = fn(tds_bytes_make(img, len), tds_mut_bytes_make(dest, dlen), base, &r, &e);
    if (e.reason != reason) {
        fail_msg("reason %s, expected %s", ldr_reason_str(e.reason), ldr_reason_str(reason));
    }
    assert_int_equal(s, st);
    assert_int_equal(ldr_reason_status(reason), st);
    assert_int_equal(e.offset, off);
    if (dest == g_dest) {
        assert_all(g_dest, sizeof g_dest, FILL); /* nothing written on failure */
    }
    assert_int_equal(r.entry, 0x5a5a5a5a5a5a5a5aull); /* out not written */
}

/* ---- valid images ---------------------------------------------------------------------- */

static void check_elf_at(uint64_t base)
{
    uint8_t b[ELF_BUF];
    size_t len = img_elf(b);
    memset(g_dest, FILL, sizeof g_dest);
    ldr_result r;
    ldr_error e;
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), base, &r, &e),
        TDS_OK);
    assert_int_equal(e.reason, LDR_R_NONE);
    assert_int_equal(r.type, LDR_IMAGE_ELF64);
    /* Link base 0x1000 maps to `base`: entry 0x1010 -> base + 0x10. */
    assert_int_equal(r.entry, base + 0x10);
    assert_int_equal(r.load_base, base);
    assert_int_equal(r.load_size, ELF_SPAN);
    assert_ptr_equal(r.measured.ptr, b);
    assert_int_equal(r.measured.len, ELF_LEN);
    assert_int_equal(r.reloc_count, 2); /* NONE is not counted */
    assert_int_equal(r.segment_count, 2);
    assert_int_equal(r.segments[0].addr, base);
    assert_int_equal(r.segments[0].size, 0x100);
    assert_int_equal(r.segments[0].flags, LDR_SEG_R | LDR_SEG_X);
    assert_int_equal(r.segments[1].addr, base + 0x1000);
    assert_int_equal(r.segments[1].size, 0x1000);
    assert_int_equal(r.segments[1].flags, LDR_SEG_R | LDR_SEG_W);
    assert_int_equal(r.segments[2].size, 0);
    /* Text copied byte-exact (including the RELA table, which stays as in the file). */
    assert_memory_equal(g_dest, b + 0x1000, 0x100);
    assert_all(g_dest + 0x100, 0xf00, 0); /* gap between segments zeroed */
    /* B + A: slot 0 = base - 0x1000 + 0x1010, slot 1 = base - 0x1000 + 0x2100. */
    assert_int_equal(rd64(g_dest + 0x1000), base + 0x10);
    assert_int_equal(rd64(g_dest + 0x1008), base + 0x1100);
    assert_memory_equal(g_dest + 0x1010, b + 0x2010, 0x70);   /* dynamic + pattern */
    assert_all(g_dest + 0x1080, 0xf80, 0);                    /* BSS zeroed */
    assert_all(g_dest + ELF_SPAN, DEST_LEN - ELF_SPAN, FILL); /* nothing past the span */
}

static void elf_loads_at_two_bases(void **state)
{
    (void)state;
    check_elf_at(BASE_LOW);
    check_elf_at(BASE_HIGH);
    check_elf_at(0); /* address 0 is a valid (identity-mapped) base too */
}

static void check_pe_at(uint64_t base)
{
    uint8_t b[PE_BUF];
    size_t len = img_pe(b);
    memset(g_dest, FILL, sizeof g_dest);
    ldr_result r;
    ldr_error e;
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), base, &r, &e),
        TDS_OK);
    assert_int_equal(r.type, LDR_IMAGE_PE32P);
    assert_int_equal(r.entry, base + 0x1010);
    assert_int_equal(r.load_base, base);
    assert_int_equal(r.load_size, PE_SPAN);
    assert_ptr_equal(r.measured.ptr, b);
    assert_int_equal(r.measured.len, PE_LEN);
    assert_int_equal(r.reloc_count, 2); /* ABSOLUTE padding is not counted */
    assert_int_equal(r.segment_count, 4);
    assert_int_equal(r.segments[0].addr, base);
    assert_int_equal(r.segments[0].size, 0x200);
    assert_int_equal(r.segments[0].flags, LDR_SEG_R);
    assert_int_equal(r.segments[1].addr, base + 0x1000);
    assert_int_equal(r.segments[1].size, 0x100);
    assert_int_equal(r.segments[1].flags, LDR_SEG_R | LDR_SEG_X);
    assert_int_equal(r.segments[2].addr, base + 0x2000);
    assert_int_equal(r.segments[2].size, 0x800);
    assert_int_equal(r.segments[2].flags, LDR_SEG_R | LDR_SEG_W);
    assert_int_equal(r.segments[3].addr, base + 0x3000);
    assert_int_equal(r.segments[3].size, 0x10);
    assert_memory_equal(g_dest, b, 0x200); /* headers */
    assert_all(g_dest + 0x200, 0xe00, 0);  /* up to .text */
    assert_memory_equal(g_dest + 0x1000, b + 0x200, 0x100);
    assert_all(g_dest + 0x1100, 0xf00, 0); /* raw past VirtualSize is NOT copied */
    /* DIR64: value + (base - ImageBase). */
    assert_int_equal(rd64(g_dest + 0x2000), base + 0x1010);
    assert_int_equal(rd64(g_dest + 0x2008), base + 0x2100);
    assert_memory_equal(g_dest + 0x2010, b + 0x410, 0x1f0);
    assert_all(g_dest + 0x2200, 0xe00, 0); /* BSS tail of .data and the gap */
    assert_memory_equal(g_dest + 0x3000, b + 0x600, 0x10);
    assert_all(g_dest + 0x3010, 0xff0, 0);
    assert_all(g_dest + PE_SPAN, DEST_LEN - PE_SPAN, FILL);
}

static void pe_loads_at_two_bases(void **state)
{
    (void)state;
    check_pe_at(BASE_LOW);
    check_pe_at(BASE_HIGH);
    check_pe_at(PE_IMAGE_BASE); /* delta 0: values unchanged */
}

static void elf_exec_at_link_address(void **state)
{
    (void)state;
    uint8_t b[ELF_BUF];
    size_t len = img_elf(b);
    put16(b, 16, 2); /* ET_EXEC */
    ldr_result r;
    ldr_error e;
    memset(g_dest, FILL, sizeof g_dest);
    assert_int_equal(
        ldr_load_elf(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), 0x1000, &r, &e),
        TDS_OK);
    assert_int_equal(r.entry, 0x1010);
    assert_int_equal(rd64(g_dest + 0x1000), 0x1010); /* delta 0 */
}

static void pe_relocs_stripped_at_image_base(void **state)
{
    (void)state;
    uint8_t b[PE_BUF];
    size_t len = img_pe(b);
    put16(b, PE_COFF + 18, 0x0023);
    ldr_result r;
    ldr_error e;
    assert_int_equal(ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN),
                              PE_IMAGE_BASE, &r, &e),
                     TDS_OK);
    assert_int_equal(r.entry, PE_IMAGE_BASE + 0x1010);
}

/* A destination of exactly the span is enough; the byte after it is never written. */
static void elf_dest_exactly_span(void **state)
{
    (void)state;
    uint8_t b[ELF_BUF];
    size_t len = img_elf(b);
    ldr_result r;
    ldr_error e;
    memset(g_dest, FILL, sizeof g_dest);
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, ELF_SPAN), BASE_LOW, &r, &e),
        TDS_OK);
    assert_int_equal(r.load_size, ELF_SPAN);
    assert_int_equal(g_dest[ELF_SPAN], FILL);
}

/* VirtualSize 0 falls back to SizeOfRawData; no relocation directory loads anywhere unchanged. */
static void pe_virtual_size_zero_and_no_relocs(void **state)
{
    (void)state;
    uint8_t b[PE_BUF];
    size_t len = img_pe(b);
    put32(b, PE_SH(0) + 8, 0); /* .text memory size = raw 0x200 */
    put32(b, PE_DIR5 + 4, 0);  /* no base relocations */
    ldr_result r;
    ldr_error e;
    memset(g_dest, FILL, sizeof g_dest);
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, &e),
        TDS_OK);
    assert_int_equal(r.reloc_count, 0);
    assert_int_equal(r.segments[1].size, 0x200);
    assert_memory_equal(g_dest + 0x1000, b + 0x200, 0x200);
    assert_int_equal(rd64(g_dest + 0x2000), PE_IMAGE_BASE + 0x1010); /* not relocated */
}

/* Regression (fuzz): a section with no raw data may carry any PointerToRawData. */
static void pe_bss_section_with_stray_raw_pointer(void **state)
{
    (void)state;
    uint8_t b[PE_BUF];
    size_t len = img_pe(b);
    put32(b, PE_SH(1) + 16, 0);       /* .data: SizeOfRawData 0 -> all zero */
    put32(b, PE_SH(1) + 20, 0x80100); /* far past the file, never read */
    ldr_result r;
    ldr_error e;
    memset(g_dest, FILL, sizeof g_dest);
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, &e),
        TDS_OK);
    assert_int_equal(r.segments[2].size, 0x800);
    /* DIR64 on a zeroed field: 0 + (base - ImageBase), mod 2^64. */
    assert_int_equal(rd64(g_dest + 0x2000), BASE_LOW - PE_IMAGE_BASE);
    assert_all(g_dest + 0x2010, 0x7f0, 0);
}

static void detect_and_abi(void **state)
{
    (void)state;
    uint8_t b[ELF_BUF];
    size_t len = img_elf(b);
    assert_int_equal(ldr_detect(tds_bytes_make(b, len)), LDR_IMAGE_ELF64);
    assert_int_equal(ldr_detect(tds_bytes_make(b, 3)), LDR_IMAGE_UNKNOWN);
    len = img_pe(b);
    assert_int_equal(ldr_detect(tds_bytes_make(b, len)), LDR_IMAGE_PE32P);
    assert_int_equal(ldr_detect(tds_bytes_make(NULL, 0)), LDR_IMAGE_UNKNOWN);

    ldr_entry_abi a;
    assert_int_equal(ldr_entry_abi_for(LDR_IMAGE_ELF64, &a), TDS_OK);
    assert_int_equal(a.hob_reg, LDR_REG_RDI);
    assert_int_equal(a.payload_reg, LDR_REG_RSI);
    assert_int_equal(a.shadow_space, 0);
    assert_int_equal(a.stack_align, 16);
    assert_int_equal(ldr_entry_abi_for(LDR_IMAGE_PE32P, &a), TDS_OK);
    assert_int_equal(a.hob_reg, LDR_REG_RCX);
    assert_int_equal(a.payload_reg, LDR_REG_RDX);
    assert_int_equal(a.shadow_space, 32);
    assert_int_equal(ldr_entry_abi_for(LDR_IMAGE_UNKNOWN, &a), TDS_ERR_INVALID_ARG);
    assert_int_equal(ldr_entry_abi_for(LDR_IMAGE_ELF64, NULL), TDS_ERR_INVALID_ARG);
}

static void reason_names_are_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < (int)LDR_R_COUNT_; i++) {
        const char *a = ldr_reason_str((ldr_reason)i);
        assert_string_not_equal(a, "unknown");
        for (int j = i + 1; j < (int)LDR_R_COUNT_; j++) {
            assert_string_not_equal(a, ldr_reason_str((ldr_reason)j));
        }
        tds_status s = ldr_reason_status((ldr_reason)i);
        assert_true(i == 0 ? s == TDS_OK : s != TDS_OK);
    }
}

/* Every strict prefix of either image is rejected without touching the destination. */
static void truncated_at_every_length(void **state)
{
    (void)state;
    uint8_t b[ELF_BUF];
    ldr_result r;
    ldr_error e;
    memset(g_dest, FILL, sizeof g_dest);
    size_t len = img_elf(b);
    for (size_t n = 0; n < len; n++) {
        assert_int_not_equal(
            ldr_load(tds_bytes_make(b, n), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, &e),
            TDS_OK);
    }
    len = img_pe(b);
    for (size_t n = 0; n < len; n++) {
        assert_int_not_equal(
            ldr_load(tds_bytes_make(b, n), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, &e),
            TDS_OK);
    }
    assert_all(g_dest, sizeof g_dest, FILL);
}

/* ---- hostile ELF ------------------------------------------------------------------------ */

#define ELF_CASE(name, reason, st, off, ...)                                                       \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        uint8_t b[ELF_BUF];                                                                        \
        size_t len = img_elf(b);                                                                   \
        uint64_t base = BASE_LOW;                                                                  \
        size_t dlen = DEST_LEN;                                                                    \
        uint8_t *dest = g_dest;                                                                    \
        __VA_ARGS__;                                                                               \
        expect_fail(ldr_load_elf, b, len, dest, dlen, base, reason, st, off);                      \
    }

ELF_CASE(elf_truncated_header, LDR_R_TRUNCATED, TDS_ERR_TRUNCATED, 0, len = 40)
ELF_CASE(elf_bad_magic, LDR_R_UNKNOWN_FORMAT, TDS_ERR_UNSUPPORTED, 0, b[1] = 'X')
ELF_CASE(elf_class32, LDR_R_ELF_CLASS, TDS_ERR_UNSUPPORTED, 4, b[4] = 1)
ELF_CASE(elf_big_endian, LDR_R_ELF_DATA, TDS_ERR_UNSUPPORTED, 5, b[5] = 2)
ELF_CASE(elf_ident_version, LDR_R_ELF_VERSION, TDS_ERR_MALFORMED, 6, b[6] = 0)
ELF_CASE(elf_type_rel, LDR_R_ELF_TYPE, TDS_ERR_UNSUPPORTED, 16, put16(b, 16, 1))
ELF_CASE(elf_machine_i386, LDR_R_MACHINE, TDS_ERR_UNSUPPORTED, 18, put16(b, 18, 3))
ELF_CASE(elf_e_version, LDR_R_ELF_VERSION, TDS_ERR_MALFORMED, 20, put32(b, 20, 2))
ELF_CASE(elf_ehsize_short, LDR_R_ELF_EHSIZE, TDS_ERR_MALFORMED, 52, put16(b, 52, 52))
ELF_CASE(elf_phentsize, LDR_R_ELF_PHENTSIZE, TDS_ERR_MALFORMED, 54, put16(b, 54, 32))
ELF_CASE(elf_phnum_zero, LDR_R_ELF_PHNUM, TDS_ERR_MALFORMED, 56, put16(b, 56, 0))
ELF_CASE(elf_phnum_xnum, LDR_R_ELF_PHNUM, TDS_ERR_MALFORMED, 56, put16(b, 56, 0xffff))
ELF_CASE(elf_phoff_past_file, LDR_R_TRUNCATED, TDS_ERR_TRUNCATED, 32, put64(b, 32, ELF_LEN - 100))
ELF_CASE(elf_phoff_wraps, LDR_R_SEG_WRAPS, TDS_ERR_OVERFLOW, 32, put64(b, 32, UINT64_MAX - 8))
ELF_CASE(elf_seg_past_file, LDR_R_SEG_FILE_BOUNDS, TDS_ERR_OUT_OF_BOUNDS, ELF_PH1 + 8,
         put64(b, ELF_PH1 + 32, 0x81))
ELF_CASE(elf_seg_offset_wraps, LDR_R_SEG_WRAPS, TDS_ERR_OVERFLOW, ELF_PH1 + 8,
         put64(b, ELF_PH1 + 8, 0xfffffffffffff000ull);
         put64(b, ELF_PH1 + 32, 0x1000))
ELF_CASE(elf_memsz_lt_filesz, LDR_R_SEG_SIZE, TDS_ERR_MALFORMED, ELF_PH1 + 40,
         put64(b, ELF_PH1 + 40, 0x40))
ELF_CASE(elf_align_not_pow2, LDR_R_SEG_ALIGN, TDS_ERR_ALIGNMENT, ELF_PH0 + 48,
         put64(b, ELF_PH0 + 48, 0x1800))
ELF_CASE(elf_align_incongruent, LDR_R_SEG_ALIGN, TDS_ERR_ALIGNMENT, ELF_PH0 + 16,
         put64(b, ELF_PH0 + 8, 0x1008))
ELF_CASE(elf_vaddr_wraps, LDR_R_SEG_WRAPS, TDS_ERR_OVERFLOW, ELF_PH1 + 16,
         put64(b, ELF_PH1 + 16, 0xfffffffffffff000ull))
ELF_CASE(elf_seg_overlap, LDR_R_SEG_OVERLAP, TDS_ERR_MALFORMED, ELF_PH1 + 16,
         put64(b, ELF_PH0 + 40, 0x1100))
ELF_CASE(elf_seg_order, LDR_R_SEG_ORDER, TDS_ERR_MALFORMED, ELF_PH1 + 16, put64(b, ELF_PH1 + 16, 0))
ELF_CASE(elf_no_load, LDR_R_NO_SEGMENTS, TDS_ERR_MALFORMED, 32, put32(b, ELF_PH0, 4);
         put32(b, ELF_PH1, 4))
ELF_CASE(elf_interp, LDR_R_ELF_INTERP, TDS_ERR_UNSUPPORTED, ELF_PH2, put32(b, ELF_PH2, 3))
ELF_CASE(elf_dest_too_small, LDR_R_DEST_TOO_SMALL, TDS_ERR_NO_SPACE, 64, dlen = 0x1fff)
ELF_CASE(elf_dest_below_seg_align, LDR_R_DEST_MISALIGNED, TDS_ERR_ALIGNMENT, 64,
         put64(b, ELF_PH1 + 48, 0x200000);
         base = 0x201000)
ELF_CASE(elf_dest_not_page_aligned, LDR_R_DEST_MISALIGNED, TDS_ERR_ALIGNMENT, 0, base = 0x200800)
ELF_CASE(elf_dest_wraps, LDR_R_DEST_WRAPS, TDS_ERR_OVERFLOW, 0, base = 0xfffffffffffff000ull)
ELF_CASE(elf_src_dst_overlap, LDR_R_SRC_DST_OVERLAP, TDS_ERR_INVALID_ARG, 0, dest = b;
         dlen = ELF_BUF)
ELF_CASE(elf_entry_in_data, LDR_R_ENTRY, TDS_ERR_MALFORMED, 24, put64(b, 24, 0x2020))
ELF_CASE(elf_entry_outside, LDR_R_ENTRY, TDS_ERR_MALFORMED, 24, put64(b, 24, 0x5000))
ELF_CASE(elf_entry_below_base, LDR_R_ENTRY, TDS_ERR_MALFORMED, 24, put64(b, 24, 0x10))
ELF_CASE(elf_exec_elsewhere, LDR_R_NOT_RELOCATABLE, TDS_ERR_UNSUPPORTED, 16, put16(b, 16, 2))
ELF_CASE(elf_dynamic_partial_entry, LDR_R_ELF_DYNAMIC, TDS_ERR_MALFORMED, ELF_PH2,
         put64(b, ELF_PH2 + 32, 0x38))
ELF_CASE(elf_dynamic_past_file, LDR_R_ELF_DYNAMIC, TDS_ERR_MALFORMED, ELF_PH2,
         put64(b, ELF_PH2 + 8, 0x2050))
ELF_CASE(elf_two_dynamic, LDR_R_ELF_DYNAMIC, TDS_ERR_MALFORMED, ELF_PH2, put32(b, ELF_PH1, 2))
ELF_CASE(elf_dt_rel, LDR_R_ELF_DYN_TAG, TDS_ERR_UNSUPPORTED, ELF_DYN + 32,
         put64(b, ELF_DYN + 32, 17))
ELF_CASE(elf_dt_needed, LDR_R_ELF_DYN_TAG, TDS_ERR_UNSUPPORTED, ELF_DYN + 32,
         put64(b, ELF_DYN + 32, 1))
ELF_CASE(elf_dt_relr, LDR_R_ELF_DYN_TAG, TDS_ERR_UNSUPPORTED, ELF_DYN + 32,
         put64(b, ELF_DYN + 32, 36))
ELF_CASE(elf_plt_relocs, LDR_R_ELF_DYN_TAG, TDS_ERR_UNSUPPORTED, ELF_DYN,
         put64(b, ELF_DYN, 23); /* DT_JMPREL */
         put64(b, ELF_DYN + 16, 2);
         /* DT_PLTRELSZ 72 */)
ELF_CASE(elf_relaent_16, LDR_R_ELF_RELAENT, TDS_ERR_MALFORMED, ELF_DYN, put64(b, ELF_DYN + 40, 16))
ELF_CASE(elf_rela_without_relaent, LDR_R_ELF_RELAENT, TDS_ERR_MALFORMED, ELF_DYN,
         put64(b, ELF_DYN + 32, 0x6ffffef5)) /* DT_GNU_HASH instead of DT_RELAENT */
ELF_CASE(elf_relasz_partial, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, ELF_DYN,
         put64(b, ELF_DYN + 24, 70))
ELF_CASE(elf_rela_past_segment, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, ELF_DYN,
         put64(b, ELF_DYN + 8, 0x10f0))
ELF_CASE(elf_rela_in_bss, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, ELF_DYN,
         put64(b, ELF_DYN + 8, 0x2100))
ELF_CASE(elf_relasz_without_rela, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, ELF_DYN,
         put64(b, ELF_DYN, 0x6ffffef5))
ELF_CASE(elf_reloc_type_64, LDR_R_RELOC_TYPE, TDS_ERR_UNSUPPORTED, ELF_RELA + 8,
         put64(b, ELF_RELA + 8, 1))
ELF_CASE(elf_reloc_type_irelative, LDR_R_RELOC_TYPE, TDS_ERR_UNSUPPORTED, ELF_RELA + 48 + 8,
         put64(b, ELF_RELA + 56, 37))
ELF_CASE(elf_reloc_with_symbol, LDR_R_RELOC_SYMBOL, TDS_ERR_MALFORMED, ELF_RELA + 8,
         put64(b, ELF_RELA + 8, (1ull << 32) | 8u))
ELF_CASE(elf_reloc_target_outside, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, ELF_RELA + 48,
         put64(b, ELF_RELA + 48, 0x5000))
ELF_CASE(elf_reloc_target_straddles, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, ELF_RELA + 48,
         put64(b, ELF_RELA + 48, 0x2ffc))
ELF_CASE(elf_reloc_target_in_gap, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, ELF_RELA + 48,
         put64(b, ELF_RELA + 48, 0x1800))
ELF_CASE(elf_reloc_target_below_base, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, ELF_RELA,
         put64(b, ELF_RELA, 0x10))
ELF_CASE(elf_reloc_target_wraps, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, ELF_RELA,
         put64(b, ELF_RELA, UINT64_MAX - 3))

/* 33 tiny PT_LOADs: one more than LDR_MAX_SEGMENTS. */
static void elf_too_many_segments(void **state)
{
    (void)state;
    uint8_t b[ELF_BUF];
    size_t len = img_elf(b);
    put16(b, 56, 33);
    for (uint32_t i = 0; i < 33; i++) {
        size_t ph = 64 + 56 * (size_t)i;
        memset(b + ph, 0, 56);
        put32(b, ph, 1);
        put32(b, ph + 4, 5);
        put64(b, ph + 8, 0x1000);
        put64(b, ph + 16, 0x1000 + 0x100 * (uint64_t)i);
        put64(b, ph + 32, 0x10);
        put64(b, ph + 40, 0x10);
        put64(b, ph + 48, 1);
    }
    expect_fail(ldr_load_elf, b, len, g_dest, DEST_LEN, BASE_LOW, LDR_R_TOO_MANY_SEGMENTS,
                TDS_ERR_UNSUPPORTED, 64 + 56 * 32);
}

static void bad_args(void **state)
{
    (void)state;
    uint8_t b[ELF_BUF];
    size_t len = img_elf(b);
    ldr_result r;
    ldr_error e;
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, NULL, &e),
        TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LDR_R_BAD_ARG);
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, NULL),
        TDS_ERR_INVALID_ARG);
    assert_int_equal(
        ldr_load(tds_bytes_make(NULL, 5), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, &e),
        TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LDR_R_BAD_ARG);
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, 0), BASE_LOW, &r, &e),
        TDS_ERR_INVALID_ARG);
    b[0] = 0;
    assert_int_equal(
        ldr_load(tds_bytes_make(b, len), tds_mut_bytes_make(g_dest, DEST_LEN), BASE_LOW, &r, &e),
        TDS_ERR_UNSUPPORTED);
    assert_int_equal(e.reason, LDR_R_UNKNOWN_FORMAT);
}

/* ---- hostile PE ------------------------------------------------------------------------- */

#define PE_CASE(name, reason, st, off, ...)                                                        \
    static void name(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        uint8_t b[PE_BUF];                                                                         \
        size_t len = img_pe(b);                                                                    \
        uint64_t base = BASE_LOW;                                                                  \
        size_t dlen = DEST_LEN;                                                                    \
        __VA_ARGS__;                                                                               \
        expect_fail(ldr_load_pe, b, len, g_dest, dlen, base, reason, st, off);                     \
    }

PE_CASE(pe_truncated_dos, LDR_R_TRUNCATED, TDS_ERR_TRUNCATED, 0, len = 0x30)
PE_CASE(pe_bad_mz, LDR_R_UNKNOWN_FORMAT, TDS_ERR_UNSUPPORTED, 0, b[1] = 'X')
PE_CASE(pe_lfanew_small, LDR_R_PE_LFANEW, TDS_ERR_MALFORMED, 0x3c, put32(b, 0x3c, 0x20))
PE_CASE(pe_lfanew_past_file, LDR_R_PE_LFANEW, TDS_ERR_MALFORMED, 0x3c, put32(b, 0x3c, 0xfffffff0u))
PE_CASE(pe_bad_signature, LDR_R_PE_SIGNATURE, TDS_ERR_MALFORMED, PE_SIG, b[PE_SIG + 1] = 'X')
PE_CASE(pe_machine_i386, LDR_R_MACHINE, TDS_ERR_UNSUPPORTED, PE_COFF, put16(b, PE_COFF, 0x14c))
PE_CASE(pe_not_executable, LDR_R_PE_CHARACTERISTICS, TDS_ERR_UNSUPPORTED, PE_COFF + 18,
        put16(b, PE_COFF + 18, 0x0020))
PE_CASE(pe_no_sections, LDR_R_NO_SEGMENTS, TDS_ERR_MALFORMED, PE_COFF + 2, put16(b, PE_COFF + 2, 0))
PE_CASE(pe_too_many_sections, LDR_R_TOO_MANY_SEGMENTS, TDS_ERR_UNSUPPORTED, PE_COFF + 2,
        put16(b, PE_COFF + 2, 32))
PE_CASE(pe_opt_magic_pe32, LDR_R_PE_OPT_MAGIC, TDS_ERR_UNSUPPORTED, PE_OH, put16(b, PE_OH, 0x10b))
PE_CASE(pe_opt_size_small, LDR_R_PE_OPT_SIZE, TDS_ERR_MALFORMED, PE_COFF + 16,
        put16(b, PE_COFF + 16, 100))
PE_CASE(pe_nrva_17, LDR_R_PE_OPT_SIZE, TDS_ERR_MALFORMED, PE_OH + 108, put32(b, PE_OH + 108, 17))
PE_CASE(pe_nrva_past_opt_header, LDR_R_PE_OPT_SIZE, TDS_ERR_MALFORMED, PE_OH + 108,
        put16(b, PE_COFF + 16, 144))
PE_CASE(pe_opt_header_past_file, LDR_R_TRUNCATED, TDS_ERR_TRUNCATED, PE_OH,
        put16(b, PE_COFF + 16, 0xff00))
PE_CASE(pe_section_table_past_file, LDR_R_TRUNCATED, TDS_ERR_TRUNCATED, PE_OH + 0x780,
        put16(b, PE_COFF + 16, 0x780))
PE_CASE(pe_section_align_not_pow2, LDR_R_SEG_ALIGN, TDS_ERR_ALIGNMENT, PE_OH + 32,
        put32(b, PE_OH + 32, 0x1800))
PE_CASE(pe_file_align_gt_section, LDR_R_SEG_ALIGN, TDS_ERR_ALIGNMENT, PE_OH + 36,
        put32(b, PE_OH + 36, 0x2000))
PE_CASE(pe_size_of_image_unaligned, LDR_R_PE_SIZE_OF_IMAGE, TDS_ERR_MALFORMED, PE_OH + 56,
        put32(b, PE_OH + 56, 0x4100))
PE_CASE(pe_size_of_image_zero, LDR_R_PE_SIZE_OF_IMAGE, TDS_ERR_MALFORMED, PE_OH + 56,
        put32(b, PE_OH + 56, 0))
PE_CASE(pe_headers_past_file, LDR_R_PE_SIZE_OF_HEADERS, TDS_ERR_MALFORMED, PE_OH + 60,
        put32(b, PE_OH + 60, 0x1000))
PE_CASE(pe_headers_miss_section_table, LDR_R_PE_SIZE_OF_HEADERS, TDS_ERR_MALFORMED, PE_OH + 60,
        put32(b, PE_OH + 60, 0x100))
PE_CASE(pe_dest_too_small, LDR_R_DEST_TOO_SMALL, TDS_ERR_NO_SPACE, PE_OH + 56, dlen = 0x3fff)
PE_CASE(pe_dest_below_section_align, LDR_R_DEST_MISALIGNED, TDS_ERR_ALIGNMENT, PE_OH + 32,
        put32(b, PE_OH + 32, 0x2000);
        base = 0x201000)
PE_CASE(pe_relocs_stripped_elsewhere, LDR_R_NOT_RELOCATABLE, TDS_ERR_UNSUPPORTED, PE_COFF + 18,
        put16(b, PE_COFF + 18, 0x0023))
PE_CASE(pe_section_raw_past_file, LDR_R_SEG_FILE_BOUNDS, TDS_ERR_OUT_OF_BOUNDS, PE_SH(1) + 20,
        put32(b, PE_SH(1) + 20, 0x700))
PE_CASE(pe_section_raw_ptr_wraps, LDR_R_SEG_FILE_BOUNDS, TDS_ERR_OUT_OF_BOUNDS, PE_SH(1) + 20,
        put32(b, PE_SH(1) + 20, 0xfffffe00u))
PE_CASE(pe_section_past_image, LDR_R_PE_SECTION, TDS_ERR_MALFORMED, PE_SH(2) + 8,
        put32(b, PE_SH(2) + 8, 0x1010))
PE_CASE(pe_section_va_huge, LDR_R_PE_SECTION, TDS_ERR_MALFORMED, PE_SH(2) + 8,
        put32(b, PE_SH(2) + 12, 0xfffff000u))
PE_CASE(pe_section_overlap, LDR_R_SEG_OVERLAP, TDS_ERR_MALFORMED, PE_SH(2) + 12,
        put32(b, PE_SH(1) + 8, 0x1800))
PE_CASE(pe_section_order, LDR_R_SEG_ORDER, TDS_ERR_MALFORMED, PE_SH(1) + 12,
        put32(b, PE_SH(0) + 12, 0x3000))
PE_CASE(pe_section_in_headers, LDR_R_PE_SECTION, TDS_ERR_MALFORMED, PE_SH(0) + 12,
        put32(b, PE_SH(0) + 12, 0))
PE_CASE(pe_section_va_unaligned, LDR_R_SEG_ALIGN, TDS_ERR_ALIGNMENT, PE_SH(1) + 12,
        put32(b, PE_SH(1) + 12, 0x2100))
PE_CASE(pe_entry_in_data, LDR_R_ENTRY, TDS_ERR_MALFORMED, PE_OH + 16, put32(b, PE_OH + 16, 0x2010))
PE_CASE(pe_entry_zero, LDR_R_ENTRY, TDS_ERR_MALFORMED, PE_OH + 16, put32(b, PE_OH + 16, 0))
PE_CASE(pe_entry_past_virtual_size, LDR_R_ENTRY, TDS_ERR_MALFORMED, PE_OH + 16,
        put32(b, PE_OH + 16, 0x1100))
PE_CASE(pe_reloc_dir_outside, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, PE_DIR5,
        put32(b, PE_DIR5, 0x5000))
PE_CASE(pe_reloc_dir_too_long, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, PE_DIR5,
        put32(b, PE_DIR5 + 4, 0x20))
PE_CASE(pe_reloc_type_highlow, LDR_R_RELOC_TYPE, TDS_ERR_UNSUPPORTED, PE_RELOC + 8,
        put16(b, PE_RELOC + 8, 0x3000))
PE_CASE(pe_reloc_block_small, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, PE_RELOC + 4,
        put32(b, PE_RELOC + 4, 4))
PE_CASE(pe_reloc_block_unaligned, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, PE_RELOC + 4,
        put32(b, PE_RELOC + 4, 14))
PE_CASE(pe_reloc_block_past_dir, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, PE_RELOC + 4,
        put32(b, PE_RELOC + 4, 24))
PE_CASE(pe_reloc_block_header_cut, LDR_R_RELOC_TABLE, TDS_ERR_MALFORMED, PE_RELOC + 12,
        put32(b, PE_RELOC + 4, 12);
        put32(b, PE_DIR5 + 4, 16)) /* 4 bytes left after the block: not a header */
PE_CASE(pe_reloc_target_outside, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, PE_RELOC + 8,
        put32(b, PE_RELOC, 0x3000);
        put16(b, PE_RELOC + 8, 0xaffc))
PE_CASE(pe_reloc_target_headers, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, PE_RELOC + 8,
        put32(b, PE_RELOC, 0))
PE_CASE(pe_reloc_target_straddles, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, PE_RELOC + 8,
        put16(b, PE_RELOC + 8, 0xa7fc))
PE_CASE(pe_reloc_page_huge, LDR_R_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS, PE_RELOC + 8,
        put32(b, PE_RELOC, 0xfffff000u))

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(elf_loads_at_two_bases),
        cmocka_unit_test(pe_loads_at_two_bases),
        cmocka_unit_test(elf_exec_at_link_address),
        cmocka_unit_test(pe_relocs_stripped_at_image_base),
        cmocka_unit_test(elf_dest_exactly_span),
        cmocka_unit_test(pe_virtual_size_zero_and_no_relocs),
        cmocka_unit_test(pe_bss_section_with_stray_raw_pointer),
        cmocka_unit_test(detect_and_abi),
        cmocka_unit_test(reason_names_are_distinct),
        cmocka_unit_test(truncated_at_every_length),
        cmocka_unit_test(bad_args),
        cmocka_unit_test(elf_truncated_header),
        cmocka_unit_test(elf_bad_magic),
        cmocka_unit_test(elf_class32),
        cmocka_unit_test(elf_big_endian),
        cmocka_unit_test(elf_ident_version),
        cmocka_unit_test(elf_type_rel),
        cmocka_unit_test(elf_machine_i386),
        cmocka_unit_test(elf_e_version),
        cmocka_unit_test(elf_ehsize_short),
        cmocka_unit_test(elf_phentsize),
        cmocka_unit_test(elf_phnum_zero),
        cmocka_unit_test(elf_phnum_xnum),
        cmocka_unit_test(elf_phoff_past_file),
        cmocka_unit_test(elf_phoff_wraps),
        cmocka_unit_test(elf_seg_past_file),
        cmocka_unit_test(elf_seg_offset_wraps),
        cmocka_unit_test(elf_memsz_lt_filesz),
        cmocka_unit_test(elf_align_not_pow2),
        cmocka_unit_test(elf_align_incongruent),
        cmocka_unit_test(elf_vaddr_wraps),
        cmocka_unit_test(elf_seg_overlap),
        cmocka_unit_test(elf_seg_order),
        cmocka_unit_test(elf_no_load),
        cmocka_unit_test(elf_interp),
        cmocka_unit_test(elf_dest_too_small),
        cmocka_unit_test(elf_dest_below_seg_align),
        cmocka_unit_test(elf_dest_not_page_aligned),
        cmocka_unit_test(elf_dest_wraps),
        cmocka_unit_test(elf_src_dst_overlap),
        cmocka_unit_test(elf_entry_in_data),
        cmocka_unit_test(elf_entry_outside),
        cmocka_unit_test(elf_entry_below_base),
        cmocka_unit_test(elf_exec_elsewhere),
        cmocka_unit_test(elf_dynamic_partial_entry),
        cmocka_unit_test(elf_dynamic_past_file),
        cmocka_unit_test(elf_two_dynamic),
        cmocka_unit_test(elf_dt_rel),
        cmocka_unit_test(elf_dt_needed),
        cmocka_unit_test(elf_dt_relr),
        cmocka_unit_test(elf_plt_relocs),
        cmocka_unit_test(elf_relaent_16),
        cmocka_unit_test(elf_rela_without_relaent),
        cmocka_unit_test(elf_relasz_partial),
        cmocka_unit_test(elf_rela_past_segment),
        cmocka_unit_test(elf_rela_in_bss),
        cmocka_unit_test(elf_relasz_without_rela),
        cmocka_unit_test(elf_reloc_type_64),
        cmocka_unit_test(elf_reloc_type_irelative),
        cmocka_unit_test(elf_reloc_with_symbol),
        cmocka_unit_test(elf_reloc_target_outside),
        cmocka_unit_test(elf_reloc_target_straddles),
        cmocka_unit_test(elf_reloc_target_in_gap),
        cmocka_unit_test(elf_reloc_target_below_base),
        cmocka_unit_test(elf_reloc_target_wraps),
        cmocka_unit_test(elf_too_many_segments),
        cmocka_unit_test(pe_truncated_dos),
        cmocka_unit_test(pe_bad_mz),
        cmocka_unit_test(pe_lfanew_small),
        cmocka_unit_test(pe_lfanew_past_file),
        cmocka_unit_test(pe_bad_signature),
        cmocka_unit_test(pe_machine_i386),
        cmocka_unit_test(pe_not_executable),
        cmocka_unit_test(pe_no_sections),
        cmocka_unit_test(pe_too_many_sections),
        cmocka_unit_test(pe_opt_magic_pe32),
        cmocka_unit_test(pe_opt_size_small),
        cmocka_unit_test(pe_nrva_17),
        cmocka_unit_test(pe_nrva_past_opt_header),
        cmocka_unit_test(pe_opt_header_past_file),
        cmocka_unit_test(pe_section_table_past_file),
        cmocka_unit_test(pe_section_align_not_pow2),
        cmocka_unit_test(pe_file_align_gt_section),
        cmocka_unit_test(pe_size_of_image_unaligned),
        cmocka_unit_test(pe_size_of_image_zero),
        cmocka_unit_test(pe_headers_past_file),
        cmocka_unit_test(pe_headers_miss_section_table),
        cmocka_unit_test(pe_dest_too_small),
        cmocka_unit_test(pe_dest_below_section_align),
        cmocka_unit_test(pe_relocs_stripped_elsewhere),
        cmocka_unit_test(pe_section_raw_past_file),
        cmocka_unit_test(pe_section_raw_ptr_wraps),
        cmocka_unit_test(pe_section_past_image),
        cmocka_unit_test(pe_section_va_huge),
        cmocka_unit_test(pe_section_overlap),
        cmocka_unit_test(pe_section_order),
        cmocka_unit_test(pe_section_in_headers),
        cmocka_unit_test(pe_section_va_unaligned),
        cmocka_unit_test(pe_entry_in_data),
        cmocka_unit_test(pe_entry_zero),
        cmocka_unit_test(pe_entry_past_virtual_size),
        cmocka_unit_test(pe_reloc_dir_outside),
        cmocka_unit_test(pe_reloc_dir_too_long),
        cmocka_unit_test(pe_reloc_type_highlow),
        cmocka_unit_test(pe_reloc_block_small),
        cmocka_unit_test(pe_reloc_block_unaligned),
        cmocka_unit_test(pe_reloc_block_past_dir),
        cmocka_unit_test(pe_reloc_block_header_cut),
        cmocka_unit_test(pe_reloc_target_outside),
        cmocka_unit_test(pe_reloc_target_headers),
        cmocka_unit_test(pe_reloc_target_straddles),
        cmocka_unit_test(pe_reloc_page_huge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
