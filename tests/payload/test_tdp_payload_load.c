/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The real test payload ELF (from the firmware sub-build) through the shim's loader, as the shim
 * will load it (docs/handoff.md §2): at PAYLOAD_BASE 0x1000000 and at a second base. Checks the
 * entry (e_entry + base, in an executable segment), that relocations were applied (the image has
 * some: pointer tables), that every relocated 8-byte word moved by exactly the base difference,
 * and that the payload region (load size rounded to 2 MiB) stays within 32 MiB.
 *
 * The PE32+ build of the same payload (tdp_elf2pe) through the same loader at the same two bases:
 * type, entry = base + RVA of tdp_entry_ms (read from the ELF's .symtab by the test's own probe),
 * as many relocations as the ELF has R_X86_64_RELATIVE, the Microsoft x64 entry ABI, and the same
 * memory as the ELF load: every byte of the ELF image identical but the 64-byte ELF header (the
 * MS-DOS header in the PE) and the PE headers in the rest of the header page, segment permissions
 * identical.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/loader.h"
#include "tdp_elf_probe.h"

#define PAYLOAD_BASE 0x1000000ull
#define OTHER_BASE 0x7fe00000ull
#define DEST_LEN (4u << 20)
#define MAX_REGION (32u << 20)

static uint8_t *g_file;
static size_t g_file_len;
static uint8_t *g_pe;
static size_t g_pe_len;
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

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return NULL;
    }
    uint8_t *b = malloc(DEST_LEN);
    size_t n = b != NULL ? fread(b, 1, DEST_LEN, f) : 0;
    (void)fclose(f);
    if (n <= 64 || n >= DEST_LEN) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

static int setup(void **state)
{
    (void)state;
    g_file = slurp(TDP_PAYLOAD_ELF, &g_file_len);
    g_pe = slurp(TDP_PAYLOAD_PE, &g_pe_len);
    g_dest_a = malloc(DEST_LEN);
    g_dest_b = malloc(DEST_LEN);
    return g_file != NULL && g_pe != NULL && g_dest_a != NULL && g_dest_b != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(g_file);
    free(g_pe);
    free(g_dest_a);
    free(g_dest_b);
    return 0;
}

static void load_image(const uint8_t *img, size_t len, uint8_t *dest, uint64_t base, ldr_result *r)
{
    ldr_error e;
    memset(dest, 0xcc, DEST_LEN);
    tds_status s =
        ldr_load(tds_bytes_make(img, len), tds_mut_bytes_make(dest, DEST_LEN), base, r, &e);
    if (s != TDS_OK) {
        fail_msg("ldr_load: %s at file offset 0x%llx", ldr_reason_str(e.reason),
                 (unsigned long long)e.offset);
    }
}

static void load(uint8_t *dest, uint64_t base, ldr_result *r)
{
    load_image(g_file, g_file_len, dest, base, r);
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

/* ---- the PE32+ build ---- */

static const uint64_t g_bases[] = {PAYLOAD_BASE, OTHER_BASE};

static uint64_t entry_ms_rva(void)
{
    uint64_t v = 0;
    assert_true(tdp_probe_symbol(g_file, g_file_len, "tdp_entry_ms", &v));
    return v; /* static PIE linked at 0: the link-time address is the RVA */
}

static size_t relative_count(void)
{
    static tdp_probe_rela rel[4096];
    const size_t n = tdp_probe_relas(g_file, g_file_len, rel, 4096);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k += (rel[i].info & 0xffffffffu) == 8u; /* R_X86_64_RELATIVE */
    }
    assert_int_equal(k, n); /* check-elf.sh: RELATIVE only */
    return k;
}

static void test_pe_load_at_both_bases(void **state)
{
    (void)state;
    const uint64_t rva = entry_ms_rva();
    const size_t nrel = relative_count();
    assert_true(nrel > 0);
    for (size_t b = 0; b < 2; b++) {
        ldr_result r;
        load_image(g_pe, g_pe_len, g_dest_a, g_bases[b], &r);
        assert_int_equal(r.type, LDR_IMAGE_PE32P);
        assert_int_equal(r.load_base, g_bases[b]);
        assert_int_equal(r.entry, g_bases[b] + rva);
        assert_int_equal(r.reloc_count, nrel);
        bool in_x = false;
        for (uint32_t i = 0; i < r.segment_count; i++) {
            const ldr_segment *sg = &r.segments[i];
            if (r.entry >= sg->addr && r.entry - sg->addr < sg->size) {
                in_x = (sg->flags & LDR_SEG_X) != 0;
            }
        }
        assert_true(in_x);
        uint64_t region = (r.load_size + (2u << 20) - 1) & ~(uint64_t)((2u << 20) - 1);
        assert_true(region <= MAX_REGION);
        assert_ptr_equal(r.measured.ptr, g_pe);
        assert_int_equal(r.measured.len, g_pe_len);

        /* ldr_load_pe (forced format) gives the same result and the same bytes. */
        ldr_result f;
        ldr_error e;
        memset(g_dest_b, 0x33, DEST_LEN);
        assert_int_equal(ldr_load_pe(tds_bytes_make(g_pe, g_pe_len),
                                     tds_mut_bytes_make(g_dest_b, DEST_LEN), g_bases[b], &f, &e),
                         TDS_OK);
        assert_int_equal(f.entry, r.entry);
        assert_int_equal(f.load_size, r.load_size);
        assert_int_equal(f.reloc_count, r.reloc_count);
        assert_memory_equal(g_dest_a, g_dest_b, r.load_size);
        /* Forcing the other format fails. */
        assert_int_not_equal(ldr_load_elf(tds_bytes_make(g_pe, g_pe_len),
                                          tds_mut_bytes_make(g_dest_b, DEST_LEN), g_bases[b], &f,
                                          &e),
                             TDS_OK);
    }
}

/* Is [addr, addr + len) inside one segment of r? Its flags in *flags. */
static bool seg_holding(const ldr_result *r, uint64_t addr, uint64_t len, uint32_t *flags)
{
    for (uint32_t i = 0; i < r->segment_count; i++) {
        const ldr_segment *s = &r->segments[i];
        if (addr >= s->addr && addr - s->addr <= s->size && len <= s->size - (addr - s->addr)) {
            *flags = s->flags;
            return true;
        }
    }
    return false;
}

static void test_pe_same_memory_as_elf(void **state)
{
    (void)state;
    for (size_t b = 0; b < 2; b++) {
        ldr_result e;
        ldr_result p;
        load(g_dest_a, g_bases[b], &e);
        load_image(g_pe, g_pe_len, g_dest_b, g_bases[b], &p);
        assert_int_equal(p.reloc_count, e.reloc_count);
        assert_true(p.load_size >= e.load_size);
        /* The first ELF segment holds the ELF header and stays inside the PE's header page. */
        const uint64_t hdr_end = e.segments[0].size;
        assert_int_equal(e.segments[0].addr, g_bases[b]);
        assert_true(hdr_end < 4096);
        size_t in_elf = 0;
        for (uint32_t i = 0; i < e.segment_count; i++) {
            const ldr_segment *s = &e.segments[i];
            const uint64_t off = s->addr - g_bases[b];
            for (uint64_t k = off; k < off + s->size; k++) {
                if (k < 64) {
                    continue; /* the ELF header, compared below */
                }
                if (g_dest_a[k] != g_dest_b[k]) {
                    fail_msg("base 0x%llx: ELF segment %u byte at +0x%llx: ELF 0x%02x, PE 0x%02x",
                             (unsigned long long)g_bases[b], i, (unsigned long long)k, g_dest_a[k],
                             g_dest_b[k]);
                }
                in_elf++;
            }
            /* Same permissions for the same bytes. */
            uint32_t flags = 0xffffffffu;
            assert_true(seg_holding(&p, s->addr, s->size, &flags));
            assert_int_equal(flags, s->flags);
        }
        assert_true(in_elf > 0x8000);
        /* Outside the segments the ELF image is zero; so is the PE's but for its header page. */
        for (uint64_t k = hdr_end; k < e.load_size; k++) {
            uint32_t flags;
            if (k < 4096 || seg_holding(&e, g_bases[b] + k, 1, &flags)) {
                continue;
            }
            assert_int_equal(g_dest_a[k], 0);
            assert_int_equal(g_dest_b[k], 0);
        }
        /* The 64 bytes that differ: the ELF header vs the MS-DOS header pointing at "PE\0\0". */
        assert_memory_equal(g_dest_a,
                            "\x7f"
                            "ELF",
                            4);
        assert_memory_equal(g_dest_b, "MZ", 2);
        const uint64_t lfanew = rd64(g_dest_b + 0x3c) & 0xffffffffu;
        assert_true(lfanew >= hdr_end && lfanew + 4 <= 4096);
        assert_memory_equal(g_dest_b + lfanew, "PE\0\0", 4);
    }
}

static void test_pe_entry_abi(void **state)
{
    (void)state;
    ldr_entry_abi a;
    assert_int_equal(ldr_entry_abi_for(LDR_IMAGE_PE32P, &a), TDS_OK);
    assert_int_equal(a.hob_reg, LDR_REG_RCX);
    assert_int_equal(a.payload_reg, LDR_REG_RDX);
    assert_int_equal(a.shadow_space, 32);
    assert_int_equal(a.stack_align, 16);
    assert_int_equal(ldr_entry_abi_for(LDR_IMAGE_ELF64, &a), TDS_OK);
    assert_int_equal(a.hob_reg, LDR_REG_RDI);
    assert_int_equal(a.payload_reg, LDR_REG_RSI);
    assert_int_equal(a.shadow_space, 0);
    /* What the shim dispatches on: the files' magic. */
    assert_int_equal(ldr_detect(tds_bytes_make(g_pe, g_pe_len)), LDR_IMAGE_PE32P);
    assert_int_equal(ldr_detect(tds_bytes_make(g_file, g_file_len)), LDR_IMAGE_ELF64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_at_payload_base),
        cmocka_unit_test(test_relocations_follow_base),
        cmocka_unit_test(test_pe_load_at_both_bases),
        cmocka_unit_test(test_pe_same_memory_as_elf),
        cmocka_unit_test(test_pe_entry_abi),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
