/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * tdp_elf2pe (the ELF -> PE32+ converter of the payload's PE build) on the real payload ELF, on
 * two fixtures linked from e2p_fixture.S, and on hostile variants of the real ELF. The PE output
 * is read back by this file's own PE reader and compared with the ELF as tdp_elf_probe reads it
 * (section headers; the converter reads program headers and PT_DYNAMIC), and loaded with
 * libloader.
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
#include "tdp_elf2pe.h"
#include "tdp_elf_probe.h"

#define FILE_MAX (4u << 20)
#define DEST_LEN (2u << 20)
#define LOAD_BASE 0x1000000ull
#define MAX_RELA 4096u

typedef struct blob {
    uint8_t *p;
    size_t n;
} blob;

static blob g_elf;   /* the payload ELF */
static blob g_pe;    /* the build's tdshim_test_payload.efi */
static blob g_fx;    /* e2p_fixture_pie.elf */
static blob g_abs64; /* e2p_fixture_abs64.so */
static blob g_based; /* e2p_fixture_based.elf: linked at 0x200000 */
static uint8_t *g_dest_a;
static uint8_t *g_dest_b;
static tdp_probe_rela g_rel[MAX_RELA];
static size_t g_nrel;
static tdp_probe_load g_load[16];
static size_t g_nload;

static blob slurp(const char *path)
{
    blob b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot open %s\n", path);
        return b;
    }
    uint8_t *buf = malloc(FILE_MAX);
    size_t n = buf != NULL ? fread(buf, 1, FILE_MAX, f) : 0;
    (void)fclose(f);
    if (n == 0 || n >= FILE_MAX) {
        free(buf);
        return b;
    }
    b.p = buf;
    b.n = n;
    return b;
}

static int setup(void **state)
{
    (void)state;
    g_elf = slurp(TDP_PAYLOAD_ELF);
    g_pe = slurp(TDP_PAYLOAD_PE);
    g_fx = slurp(E2P_FX_PIE);
    g_abs64 = slurp(E2P_FX_ABS64);
    g_based = slurp(E2P_FX_BASED);
    g_dest_a = malloc(DEST_LEN);
    g_dest_b = malloc(DEST_LEN);
    if (g_elf.p == NULL || g_pe.p == NULL || g_fx.p == NULL || g_abs64.p == NULL ||
        g_based.p == NULL || g_dest_a == NULL || g_dest_b == NULL) {
        return -1;
    }
    g_nrel = tdp_probe_relas(g_elf.p, g_elf.n, g_rel, MAX_RELA);
    g_nload = tdp_probe_loads(g_elf.p, g_elf.n, g_load, 16);
    return g_nrel >= 4 && g_nload >= 4 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(g_elf.p);
    free(g_pe.p);
    free(g_fx.p);
    free(g_abs64.p);
    free(g_based.p);
    free(g_dest_a);
    free(g_dest_b);
    return 0;
}

static uint64_t le(const uint8_t *p, size_t n, uint64_t off, unsigned bytes)
{
    bool ok = true;
    uint64_t v = tdp_probe_le(p, n, off, bytes, &ok);
    assert_true(ok);
    return v;
}

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        p[i] = (uint8_t)(v >> (8u * i));
    }
}

static uint64_t symbol(const blob *b, const char *name)
{
    uint64_t v = 0;
    assert_true(tdp_probe_symbol(b->p, b->n, name, &v));
    return v;
}

/* Convert; the output is malloc'ed at exactly plan.out_len bytes (ASan sees any overrun). */
static tds_status convert(const blob *in, const char *entry, uint64_t image_base, blob *out,
                          tdp_elf2pe_plan *plan, tdp_elf2pe_error *err)
{
    const tdp_elf2pe_opts o = {entry, image_base};
    tds_status s = tdp_elf2pe_plan_make(tds_bytes_make(in->p, in->n), &o, plan, err);
    if (s != TDS_OK) {
        return s;
    }
    out->p = malloc(plan->out_len);
    out->n = plan->out_len;
    assert_non_null(out->p);
    s = tdp_elf2pe_write(tds_bytes_make(in->p, in->n), plan, tds_mut_bytes_make(out->p, out->n),
                         err);
    assert_int_equal(s, TDS_OK);
    return s;
}

/* ---- an independent reader of the PE that comes out ---- */

typedef struct pe_view {
    uint64_t lfanew, opt, sect;
    uint32_t nsect;
} pe_view;

static pe_view pe_open(const blob *pe)
{
    pe_view v;
    assert_memory_equal(pe->p, "MZ", 2);
    v.lfanew = le(pe->p, pe->n, 0x3c, 4);
    assert_memory_equal(pe->p + v.lfanew, "PE\0\0", 4);
    v.nsect = (uint32_t)le(pe->p, pe->n, v.lfanew + 6, 2);
    v.opt = v.lfanew + 24;
    v.sect = v.opt + le(pe->p, pe->n, v.lfanew + 20, 2);
    return v;
}

/* File offset of an RVA inside a section's raw data (fails the test if none). */
static uint64_t pe_file_off(const blob *pe, const pe_view *v, uint64_t rva)
{
    for (uint32_t i = 0; i < v->nsect; i++) {
        const uint64_t s = v->sect + (uint64_t)40 * i;
        const uint64_t va = le(pe->p, pe->n, s + 12, 4);
        const uint64_t raw = le(pe->p, pe->n, s + 16, 4);
        if (rva >= va && rva - va + 8 <= raw) {
            return le(pe->p, pe->n, s + 20, 4) + (rva - va);
        }
    }
    fail_msg("RVA 0x%llx not in any section's raw data", (unsigned long long)rva);
    return 0;
}

typedef struct reloc_walk {
    uint32_t dir64, absolute, blocks;
    uint64_t rvas[MAX_RELA];
} reloc_walk;

/* Walk .reloc as the PE/COFF spec lays it out, asserting its shape; collect the DIR64 RVAs. */
static void pe_relocs(const blob *pe, const pe_view *v, reloc_walk *w)
{
    memset(w, 0, sizeof *w);
    const uint64_t dir_rva = le(pe->p, pe->n, v->opt + 112 + (uint64_t)5 * 8, 4);
    const uint64_t dir_size = le(pe->p, pe->n, v->opt + 112 + (uint64_t)5 * 8 + 4, 4);
    if (dir_size == 0) {
        return;
    }
    /* The directory is the whole of the last section, .reloc. */
    const uint64_t last = v->sect + (uint64_t)40 * (v->nsect - 1);
    assert_memory_equal(pe->p + last, ".reloc\0\0", 8);
    assert_int_equal(le(pe->p, pe->n, last + 12, 4), dir_rva);
    assert_int_equal(le(pe->p, pe->n, last + 8, 4), dir_size);
    const uint64_t base = le(pe->p, pe->n, last + 20, 4);
    uint64_t prev_page = 0;
    for (uint64_t pos = 0; pos < dir_size;) {
        const uint64_t page = le(pe->p, pe->n, base + pos, 4);
        const uint64_t size = le(pe->p, pe->n, base + pos + 4, 4);
        assert_int_equal(page % 4096, 0);
        assert_true(w->blocks == 0 || page > prev_page);
        assert_true(size >= 10 && size % 4 == 0 && pos + size <= dir_size);
        const uint64_t n = (size - 8) / 2;
        for (uint64_t k = 0; k < n; k++) {
            const uint64_t e = le(pe->p, pe->n, base + pos + 8 + (uint64_t)2 * k, 2);
            if ((e >> 12) == 0) {
                /* Padding: only the last entry, only to make an odd count whole, offset 0. */
                assert_int_equal(k, n - 1);
                assert_int_equal(n % 2, 0);
                assert_int_equal(e, 0);
                w->absolute++;
                continue;
            }
            assert_int_equal(e >> 12, 10); /* IMAGE_REL_BASED_DIR64 */
            assert_true(w->dir64 < MAX_RELA);
            w->rvas[w->dir64++] = page + (e & 0xfffu);
        }
        prev_page = page;
        w->blocks++;
        pos += size;
    }
}

/* ---- the real payload ---- */

static void test_payload_is_the_built_file(void **state)
{
    (void)state;
    blob out = {NULL, 0};
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    assert_int_equal(convert(&g_elf, "tdp_entry_ms", TDP_PE_IMAGE_BASE, &out, &plan, &err), TDS_OK);
    assert_int_equal(out.n, g_pe.n);
    assert_memory_equal(out.p, g_pe.p, out.n);
    free(out.p);
}

static void test_payload_headers(void **state)
{
    (void)state;
    const blob *pe = &g_pe;
    const pe_view v = pe_open(pe);
    /* COFF header. */
    assert_int_equal(le(pe->p, pe->n, v.lfanew + 4, 2), 0x8664);
    assert_int_equal(v.nsect, g_nload); /* one per PT_LOAD but the header one, and .reloc */
    assert_int_equal(le(pe->p, pe->n, v.lfanew + 20, 2), 240);
    assert_int_equal(le(pe->p, pe->n, v.lfanew + 22, 2), 0x0022); /* EXECUTABLE | LARGE_ADDR */
    /* PE32+ optional header. */
    assert_int_equal(le(pe->p, pe->n, v.opt, 2), 0x20b);
    assert_int_equal(le(pe->p, pe->n, v.opt + 16, 4), symbol(&g_elf, "tdp_entry_ms"));
    assert_int_equal(le(pe->p, pe->n, v.opt + 24, 8), TDP_PE_IMAGE_BASE);
    assert_int_equal(le(pe->p, pe->n, v.opt + 32, 4), 4096);
    assert_int_equal(le(pe->p, pe->n, v.opt + 36, 4), 4096);
    assert_int_equal(le(pe->p, pe->n, v.opt + 60, 4), 4096);   /* SizeOfHeaders */
    assert_int_equal(le(pe->p, pe->n, v.opt + 68, 2), 10);     /* EFI application */
    assert_int_equal(le(pe->p, pe->n, v.opt + 70, 2), 0x0140); /* DYNAMIC_BASE | NX_COMPAT */
    assert_int_equal(le(pe->p, pe->n, v.opt + 108, 4), 16);
    for (uint32_t d = 0; d < 16; d++) {
        if (d != 5) {
            assert_int_equal(le(pe->p, pe->n, v.opt + 112 + (uint64_t)8 * d, 8), 0);
        }
    }
    /* Sections against the ELF's PT_LOADs (the first one is the header page). */
    uint64_t end = 0;
    for (uint32_t i = 0; i < v.nsect; i++) {
        const uint64_t s = v.sect + (uint64_t)40 * i;
        const uint64_t vsize = le(pe->p, pe->n, s + 8, 4);
        const uint64_t va = le(pe->p, pe->n, s + 12, 4);
        const uint64_t raw = le(pe->p, pe->n, s + 16, 4);
        const uint64_t raw_off = le(pe->p, pe->n, s + 20, 4);
        const uint64_t chars = le(pe->p, pe->n, s + 36, 4);
        assert_true(va % 4096 == 0 && va >= end && raw % 4096 == 0 && raw_off % 4096 == 0);
        assert_true(raw_off + raw <= pe->n);
        end = va + vsize;
        if (i + 1 == v.nsect) {
            assert_int_equal(chars, 0x42000040u); /* .reloc: READ | DISCARDABLE | INIT_DATA */
            continue;
        }
        const tdp_probe_load *l = &g_load[i + 1];
        assert_int_equal(va, l->vaddr & ~4095ull);
        assert_int_equal(vsize, l->vaddr + l->memsz - va);
        assert_int_equal((chars & 0x20000000u) != 0, (l->flags & 1u) != 0); /* X */
        assert_int_equal((chars & 0x80000000u) != 0, (l->flags & 2u) != 0); /* W */
        assert_int_equal((chars & 0x40000000u) != 0, (l->flags & 4u) != 0); /* R */
        assert_memory_equal(pe->p + s,
                            (l->flags & 1u)   ? ".text"
                            : (l->flags & 2u) ? ".data"
                                              : ".rdata",
                            5);
        /* Before the segment's first byte its page is zero; then the ELF's file bytes. */
        for (uint64_t k = 0; k < l->vaddr - va; k++) {
            assert_int_equal(pe->p[raw_off + k], 0);
        }
        size_t relocated = 0;
        for (uint64_t k = 0; k < l->filesz; k++) {
            if (pe->p[raw_off + (l->vaddr - va) + k] != g_elf.p[l->offset + k]) {
                relocated++;
            }
        }
        if ((l->flags & 2u) == 0) {
            assert_int_equal(relocated, 0); /* the payload's relocations are all in RW data */
        }
    }
    assert_int_equal(le(pe->p, pe->n, v.opt + 56, 4), (end + 4095) & ~4095ull); /* SizeOfImage */
}

static void test_payload_relocations(void **state)
{
    (void)state;
    const blob *pe = &g_pe;
    const pe_view v = pe_open(pe);
    static reloc_walk w;
    pe_relocs(pe, &v, &w);
    /* One DIR64 per R_X86_64_RELATIVE, in order, each field = ImageBase + A (link base 0). */
    assert_int_equal(w.dir64, g_nrel);
    for (size_t i = 0; i < g_nrel; i++) {
        assert_int_equal(g_rel[i].info, 8); /* R_X86_64_RELATIVE, no symbol */
        assert_int_equal(w.rvas[i], g_rel[i].offset);
        assert_int_equal(le(pe->p, pe->n, pe_file_off(pe, &v, w.rvas[i]), 8),
                         TDP_PE_IMAGE_BASE + g_rel[i].addend);
    }
    /* Blocks: one per distinct page, padded where the count is odd. */
    uint32_t pages = 0, odd = 0, run = 0;
    for (size_t i = 0; i < g_nrel; i++) {
        const bool first = i == 0 || (g_rel[i].offset >> 12) != (g_rel[i - 1].offset >> 12);
        if (first && i != 0) {
            odd += run & 1u;
        }
        run = first ? 1 : run + 1;
        pages += first;
    }
    odd += run & 1u;
    assert_int_equal(w.blocks, pages);
    assert_int_equal(w.absolute, odd);
}

static void test_payload_entry_default(void **state)
{
    (void)state;
    blob out = {NULL, 0};
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    assert_int_equal(convert(&g_elf, NULL, 0, &out, &plan, &err), TDS_OK);
    assert_int_equal(plan.entry_rva, le(g_elf.p, g_elf.n, 24, 8)); /* e_entry: tdp_entry */
    assert_int_equal(plan.entry_rva, symbol(&g_elf, "tdp_entry"));
    assert_int_not_equal(plan.entry_rva, symbol(&g_elf, "tdp_entry_ms"));
    free(out.p);
}

/* ImageBase changes the file, not what the loader makes of it. */
static void test_image_base_does_not_change_the_load(void **state)
{
    (void)state;
    blob zero = {NULL, 0};
    blob high = {NULL, 0};
    tdp_elf2pe_plan p0;
    tdp_elf2pe_plan p1;
    tdp_elf2pe_error err;
    assert_int_equal(convert(&g_elf, "tdp_entry_ms", 0, &zero, &p0, &err), TDS_OK);
    assert_int_equal(convert(&g_elf, "tdp_entry_ms", 0xffff800000000000ull, &high, &p1, &err),
                     TDS_OK);
    assert_int_equal(zero.n, high.n);
    assert_memory_not_equal(zero.p, high.p, zero.n);
    ldr_result a;
    ldr_result b;
    ldr_error e;
    assert_int_equal(ldr_load(tds_bytes_make(zero.p, zero.n),
                              tds_mut_bytes_make(g_dest_a, DEST_LEN), LOAD_BASE, &a, &e),
                     TDS_OK);
    assert_int_equal(ldr_load(tds_bytes_make(high.p, high.n),
                              tds_mut_bytes_make(g_dest_b, DEST_LEN), LOAD_BASE, &b, &e),
                     TDS_OK);
    assert_int_equal(a.load_size, b.load_size);
    /* Only the ImageBase field of the (loaded) optional header differs. */
    const pe_view v = pe_open(&zero);
    const uint64_t ib = v.opt + 24;
    assert_memory_equal(g_dest_a, g_dest_b, ib);
    assert_memory_equal(g_dest_a + ib + 8, g_dest_b + ib + 8, a.load_size - ib - 8);
    free(zero.p);
    free(high.p);
}

/* ---- fixtures ---- */

static void test_fixture_pie_converts(void **state)
{
    (void)state;
    blob out = {NULL, 0};
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    assert_int_equal(convert(&g_fx, "fx_entry", 0x10000, &out, &plan, &err), TDS_OK);
    /* e2p_fixture.S: page 0 at 0x0, 0x10, 0xff8 (padded), page 1 at 0x0, 0x8. */
    assert_int_equal(plan.reloc_count, 5);
    assert_int_equal(plan.reloc_blocks, 2);
    assert_int_equal(plan.reloc_dir_size, (8 + 3 * 2 + 2) + (8 + 2 * 2));
    const pe_view v = pe_open(&out);
    static reloc_walk w;
    pe_relocs(&out, &v, &w);
    assert_int_equal(w.dir64, 5);
    assert_int_equal(w.absolute, 1);
    const uint64_t data = w.rvas[0];
    assert_int_equal(data % 4096, 0);
    const uint64_t want[5] = {data, data + 0x10, data + 0xff8, data + 0x1000, data + 0x1008};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(w.rvas[i], want[i]);
    }
    assert_int_equal(plan.entry_rva, symbol(&g_fx, "fx_entry"));
    /* Loaded: the same memory as the ELF but the ELF header. */
    ldr_result a;
    ldr_result b;
    ldr_error e;
    memset(g_dest_a, 0x11, DEST_LEN);
    memset(g_dest_b, 0x22, DEST_LEN);
    assert_int_equal(ldr_load(tds_bytes_make(g_fx.p, g_fx.n),
                              tds_mut_bytes_make(g_dest_a, DEST_LEN), LOAD_BASE, &a, &e),
                     TDS_OK);
    assert_int_equal(ldr_load(tds_bytes_make(out.p, out.n), tds_mut_bytes_make(g_dest_b, DEST_LEN),
                              LOAD_BASE, &b, &e),
                     TDS_OK);
    assert_int_equal(b.type, LDR_IMAGE_PE32P);
    assert_int_equal(a.reloc_count, 5);
    assert_int_equal(b.reloc_count, 5);
    assert_int_equal(b.entry, a.entry);
    for (uint32_t i = 0; i < a.segment_count; i++) {
        const uint64_t off = a.segments[i].addr - LOAD_BASE;
        const uint64_t from = off < 64 ? 64 : off;
        assert_memory_equal(g_dest_a + from, g_dest_b + from, off + a.segments[i].size - from);
    }
    /* The pointers hold the run-time addresses. */
    assert_int_equal(le(g_dest_b, DEST_LEN, data + 0x1000, 8), a.entry);
    free(out.p);
}

static void test_fixture_abs64_refused(void **state)
{
    (void)state;
    static tdp_probe_rela rel[16];
    const size_t n = tdp_probe_relas(g_abs64.p, g_abs64.n, rel, 16);
    size_t first = n;
    for (size_t i = 0; i < n && first == n; i++) {
        first = (rel[i].info & 0xffffffffu) != 8u ? i : n;
    }
    assert_true(first < n);
    assert_int_equal(rel[first].info & 0xffffffffu, 1); /* R_X86_64_64 */
    tdp_elf2pe_plan plan;
    memset(&plan, 0xa5, sizeof plan);
    tdp_elf2pe_plan before = plan;
    tdp_elf2pe_error err;
    const tdp_elf2pe_opts o = {"fx_entry", 0};
    assert_int_equal(tdp_elf2pe_plan_make(tds_bytes_make(g_abs64.p, g_abs64.n), &o, &plan, &err),
                     TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.reason, TDP_E2P_RELOC_TYPE);
    assert_int_equal(err.value, 1);
    assert_int_equal(err.offset, rel[first].at + 8);
    assert_string_equal(tdp_elf2pe_reloc_name(err.value), "R_X86_64_64");
    assert_memory_equal(&plan, &before, sizeof plan); /* untouched on failure */
}

/*
 * A link base other than 0: RVAs are p_vaddr - 0x200000 and each field is ImageBase + A - 0x200000,
 * so the PE loads to the same memory as the ELF. ld marks this static PIE ET_EXEC (refused as
 * such); re-marked ET_DYN, which its DF_1_PIE and RELATIVE relocations say it is.
 */
static void test_fixture_link_base(void **state)
{
    (void)state;
    const uint64_t lb = 0x200000, ib = 0x40000000;
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    const tdp_elf2pe_opts o = {"fx_entry", ib};
    assert_int_equal(le(g_based.p, g_based.n, 16, 2), 2); /* ET_EXEC */
    assert_int_equal(tdp_elf2pe_plan_make(tds_bytes_make(g_based.p, g_based.n), &o, &plan, &err),
                     TDS_ERR_UNSUPPORTED);
    assert_int_equal(err.reason, TDP_E2P_ELF_TYPE);

    blob in = {malloc(g_based.n), g_based.n};
    assert_non_null(in.p);
    memcpy(in.p, g_based.p, g_based.n);
    put_le(in.p + 16, 3, 2); /* ET_DYN */
    blob out = {NULL, 0};
    assert_int_equal(convert(&in, "fx_entry", ib, &out, &plan, &err), TDS_OK);
    assert_int_equal(plan.link_base, lb);
    assert_int_equal(plan.entry_rva, symbol(&in, "fx_entry") - lb);
    static tdp_probe_rela rel[16];
    const size_t n = tdp_probe_relas(in.p, in.n, rel, 16);
    assert_int_equal(n, 5);
    const pe_view v = pe_open(&out);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(le(out.p, out.n, pe_file_off(&out, &v, rel[i].offset - lb), 8),
                         ib + rel[i].addend - lb);
    }
    ldr_result a;
    ldr_result b;
    ldr_error e;
    assert_int_equal(ldr_load(tds_bytes_make(in.p, in.n), tds_mut_bytes_make(g_dest_a, DEST_LEN),
                              LOAD_BASE, &a, &e),
                     TDS_OK);
    assert_int_equal(ldr_load(tds_bytes_make(out.p, out.n), tds_mut_bytes_make(g_dest_b, DEST_LEN),
                              LOAD_BASE, &b, &e),
                     TDS_OK);
    assert_int_equal(b.entry, a.entry);
    assert_int_equal(b.reloc_count, 5);
    for (uint32_t i = 0; i < a.segment_count; i++) {
        const uint64_t off = a.segments[i].addr - LOAD_BASE;
        const uint64_t from = off < 64 ? 64 : off;
        assert_memory_equal(g_dest_a + from, g_dest_b + from, off + a.segments[i].size - from);
    }
    /* The pointer to fx_entry (data page 1, offset 0) holds its run-time address. */
    assert_int_equal(le(g_dest_b, DEST_LEN, rel[3].offset - lb, 8), a.entry);
    free(out.p);
    free(in.p);
}

/* ---- hostile variants of the payload ---- */

typedef void (*mutate_fn)(uint8_t *f);

static const tdp_probe_load *load_x(void)
{
    for (size_t i = 0; i < g_nload; i++) {
        if (g_load[i].flags & 1u) {
            return &g_load[i];
        }
    }
    fail_msg("no executable PT_LOAD");
    return &g_load[0]; /* not reached */
}

static const tdp_probe_load *load_w(void)
{
    return &g_load[g_nload - 1];
}

static void set_type(uint8_t *f, size_t i, uint64_t type, uint64_t sym)
{
    put_le(f + g_rel[i].at + 8, (sym << 32) | type, 8);
}

static void m_abs64(uint8_t *f)
{
    set_type(f, 3, 1, 0);
}
static void m_glob_dat(uint8_t *f)
{
    set_type(f, 3, 6, 1);
}
static void m_irelative(uint8_t *f)
{
    set_type(f, 3, 37, 0);
}
static void m_relative_sym(uint8_t *f)
{
    set_type(f, 3, 8, 1);
}
static void m_none(uint8_t *f)
{
    set_type(f, 3, 0, 0);
}
static void m_dup(uint8_t *f)
{
    put_le(f + g_rel[1].at, g_rel[0].offset, 8);
}
static void m_overlap(uint8_t *f)
{
    put_le(f + g_rel[1].at, g_rel[0].offset + 4, 8);
}
static void m_swap(uint8_t *f)
{
    put_le(f + g_rel[0].at, g_rel[1].offset, 8);
    put_le(f + g_rel[1].at, g_rel[0].offset, 8);
}
static void m_to_bss(uint8_t *f)
{
    put_le(f + g_rel[g_nrel - 1].at, load_w()->vaddr + load_w()->filesz + 64, 8);
}
static void m_straddle(uint8_t *f)
{
    put_le(f + g_rel[g_nrel - 1].at, load_w()->vaddr + load_w()->filesz - 4, 8);
}
static void m_to_header(uint8_t *f)
{
    put_le(f + g_rel[0].at, 0x100, 8);
}

/* The PT_GNU_STACK program header (present in the payload) changed into another type. */
static void set_gnu_stack(uint8_t *f, uint32_t type)
{
    const uint64_t phoff = le(f, g_elf.n, 32, 8);
    const uint64_t phnum = le(f, g_elf.n, 56, 2);
    for (uint64_t i = 0; i < phnum; i++) {
        if (le(f, g_elf.n, phoff + 56 * i, 4) == 0x6474e551u) {
            put_le(f + phoff + 56 * i, type, 4);
            return;
        }
    }
    fail();
}
static void m_interp(uint8_t *f)
{
    set_gnu_stack(f, 3);
}
static void m_tls(uint8_t *f)
{
    set_gnu_stack(f, 7);
}
static void m_second_dynamic(uint8_t *f)
{
    set_gnu_stack(f, 2);
}

static void m_text_overlaps(uint8_t *f)
{
    put_le(f + load_x()->ph_at + 40, 0x100000, 8);
}
static void m_rodata_shares_page(uint8_t *f)
{
    const tdp_probe_load *ro = &g_load[2];
    const tdp_probe_load *rw = load_w();
    assert_true(ro->vaddr + ro->memsz <= (rw->vaddr & ~4095ull) && (rw->vaddr & 4095u) != 0);
    put_le(f + ro->ph_at + 40, (rw->vaddr & ~4095ull) + 8 - ro->vaddr, 8); /* ends in rw's page */
}
static void m_order(uint8_t *f)
{
    put_le(f + load_w()->ph_at + 16, load_w()->vaddr - 0x4000, 8);
}
static void m_align_2m(uint8_t *f)
{
    put_le(f + load_x()->ph_at + 48, 0x200000, 8);
}
static void m_align_3(uint8_t *f)
{
    put_le(f + load_x()->ph_at + 48, 3, 8);
}
static void m_wx(uint8_t *f)
{
    put_le(f + load_x()->ph_at + 4, 7, 4);
}
static void m_header_x(uint8_t *f)
{
    put_le(f + g_load[0].ph_at + 4, 5, 4);
}
static void m_header_bss(uint8_t *f)
{
    put_le(f + g_load[0].ph_at + 40, g_load[0].memsz + 16, 8);
}
static void m_header_full(uint8_t *f)
{
    /* The header segment fills the page: no room left for the PE headers before .text. */
    put_le(f + g_load[0].ph_at + 32, 0xf80, 8);
    put_le(f + g_load[0].ph_at + 40, 0xf80, 8);
}
static void m_filesz_gt_memsz(uint8_t *f)
{
    put_le(f + load_w()->ph_at + 32, load_w()->memsz + 8, 8);
}
static void m_past_file(uint8_t *f)
{
    put_le(f + load_x()->ph_at + 32, 0x10000000, 8);
}

static void set_dyn(uint8_t *f, uint64_t tag, uint64_t new_tag, uint64_t new_val, bool val)
{
    uint64_t at = 0;
    assert_true(tdp_probe_dyn(f, g_elf.n, tag, &at));
    put_le(f + at, new_tag, 8);
    if (val) {
        put_le(f + at + 8, new_val, 8);
    }
}
static void m_needed(uint8_t *f)
{
    set_dyn(f, 0x15 /* DT_DEBUG */, 1, 0, false);
}
static void m_relr(uint8_t *f)
{
    set_dyn(f, 0x15, 36, 0, false);
}
static void m_jmprel(uint8_t *f)
{
    set_dyn(f, 0x15, 23, 0, false);
}
static void m_rel(uint8_t *f)
{
    set_dyn(f, 0x15, 17, 0, false);
}
static void m_relaent(uint8_t *f)
{
    set_dyn(f, 9, 9, 16, true);
}
static void m_relasz(uint8_t *f)
{
    set_dyn(f, 8, 8, 24 * g_nrel + 1, true);
}
static void m_rela_far(uint8_t *f)
{
    set_dyn(f, 7, 7, 0x7fff0000, true);
}
static void m_no_relasz(uint8_t *f)
{
    set_dyn(f, 8, 0x15, 0, false);
}

static void m_exec(uint8_t *f)
{
    put_le(f + 16, 2, 2);
}
static void m_machine(uint8_t *f)
{
    put_le(f + 18, 3, 2);
}
static void m_class32(uint8_t *f)
{
    f[4] = 1;
}
static void m_big_endian(uint8_t *f)
{
    f[5] = 2;
}
static void m_phentsize(uint8_t *f)
{
    put_le(f + 54, 32, 2);
}
static void m_phnum_xnum(uint8_t *f)
{
    put_le(f + 56, 0xffff, 2);
}
static void m_no_sections(uint8_t *f)
{
    put_le(f + 60, 0, 2);
}
static void m_entry_rodata(uint8_t *f)
{
    put_le(f + 24, g_load[2].vaddr, 8);
}
static void m_nothing(uint8_t *f)
{
    (void)f;
}

typedef struct hostile {
    const char *what;
    mutate_fn mutate;
    const char *entry; /* NULL: e_entry */
    uint64_t image_base;
    tdp_elf2pe_reason reason;
    tds_status status;
} hostile;

static const hostile g_hostile[] = {
    {"R_X86_64_64", m_abs64, "tdp_entry_ms", 0, TDP_E2P_RELOC_TYPE, TDS_ERR_UNSUPPORTED},
    {"GLOB_DAT", m_glob_dat, "tdp_entry_ms", 0, TDP_E2P_RELOC_TYPE, TDS_ERR_UNSUPPORTED},
    {"IRELATIVE", m_irelative, "tdp_entry_ms", 0, TDP_E2P_RELOC_TYPE, TDS_ERR_UNSUPPORTED},
    {"RELATIVE with a symbol", m_relative_sym, "tdp_entry_ms", 0, TDP_E2P_RELOC_SYMBOL,
     TDS_ERR_MALFORMED},
    {"duplicate r_offset", m_dup, "tdp_entry_ms", 0, TDP_E2P_RELOC_ORDER, TDS_ERR_MALFORMED},
    {"overlapping fields", m_overlap, "tdp_entry_ms", 0, TDP_E2P_RELOC_ORDER, TDS_ERR_MALFORMED},
    {"unsorted", m_swap, "tdp_entry_ms", 0, TDP_E2P_RELOC_ORDER, TDS_ERR_MALFORMED},
    {"field in BSS", m_to_bss, "tdp_entry_ms", 0, TDP_E2P_RELOC_TARGET, TDS_ERR_OUT_OF_BOUNDS},
    {"field across the file bytes' end", m_straddle, "tdp_entry_ms", 0, TDP_E2P_RELOC_TARGET,
     TDS_ERR_OUT_OF_BOUNDS},
    {"field in the header segment", m_to_header, "tdp_entry_ms", 0, TDP_E2P_RELOC_TARGET,
     TDS_ERR_OUT_OF_BOUNDS},
    {"PT_INTERP", m_interp, "tdp_entry_ms", 0, TDP_E2P_INTERP, TDS_ERR_UNSUPPORTED},
    {"PT_TLS", m_tls, "tdp_entry_ms", 0, TDP_E2P_PHDR_TYPE, TDS_ERR_UNSUPPORTED},
    {"two PT_DYNAMIC", m_second_dynamic, "tdp_entry_ms", 0, TDP_E2P_DYNAMIC, TDS_ERR_MALFORMED},
    {"overlapping segments", m_text_overlaps, "tdp_entry_ms", 0, TDP_E2P_SEG_OVERLAP,
     TDS_ERR_MALFORMED},
    {"segments sharing a page", m_rodata_shares_page, "tdp_entry_ms", 0, TDP_E2P_SEG_OVERLAP,
     TDS_ERR_MALFORMED},
    {"descending segments", m_order, "tdp_entry_ms", 0, TDP_E2P_SEG_ORDER, TDS_ERR_MALFORMED},
    {"p_align 2 MiB", m_align_2m, "tdp_entry_ms", 0, TDP_E2P_SEG_ALIGN, TDS_ERR_ALIGNMENT},
    {"p_align 3", m_align_3, "tdp_entry_ms", 0, TDP_E2P_SEG_ALIGN, TDS_ERR_ALIGNMENT},
    {"W+X segment", m_wx, "tdp_entry_ms", 0, TDP_E2P_SEG_FLAGS, TDS_ERR_UNSUPPORTED},
    {"executable header segment", m_header_x, "tdp_entry_ms", 0, TDP_E2P_HEADER_SEGMENT,
     TDS_ERR_UNSUPPORTED},
    {"header segment with BSS", m_header_bss, "tdp_entry_ms", 0, TDP_E2P_HEADER_SEGMENT,
     TDS_ERR_UNSUPPORTED},
    {"no room for the PE headers", m_header_full, "tdp_entry_ms", 0, TDP_E2P_HEADER_SEGMENT,
     TDS_ERR_UNSUPPORTED},
    {"p_filesz > p_memsz", m_filesz_gt_memsz, "tdp_entry_ms", 0, TDP_E2P_SEG_SIZE,
     TDS_ERR_MALFORMED},
    {"segment past the file", m_past_file, "tdp_entry_ms", 0, TDP_E2P_SEG_SIZE, TDS_ERR_MALFORMED},
    {"DT_NEEDED", m_needed, "tdp_entry_ms", 0, TDP_E2P_DYN_TAG, TDS_ERR_UNSUPPORTED},
    {"DT_RELR", m_relr, "tdp_entry_ms", 0, TDP_E2P_DYN_TAG, TDS_ERR_UNSUPPORTED},
    {"DT_JMPREL", m_jmprel, "tdp_entry_ms", 0, TDP_E2P_DYN_TAG, TDS_ERR_UNSUPPORTED},
    {"DT_REL", m_rel, "tdp_entry_ms", 0, TDP_E2P_DYN_TAG, TDS_ERR_UNSUPPORTED},
    {"DT_RELAENT 16", m_relaent, "tdp_entry_ms", 0, TDP_E2P_RELAENT, TDS_ERR_MALFORMED},
    {"DT_RELA without DT_RELASZ", m_no_relasz, "tdp_entry_ms", 0, TDP_E2P_RELAENT,
     TDS_ERR_MALFORMED},
    {"DT_RELASZ not whole", m_relasz, "tdp_entry_ms", 0, TDP_E2P_RELA_TABLE, TDS_ERR_MALFORMED},
    {"DT_RELA outside the file", m_rela_far, "tdp_entry_ms", 0, TDP_E2P_RELA_TABLE,
     TDS_ERR_MALFORMED},
    {"ET_EXEC", m_exec, "tdp_entry_ms", 0, TDP_E2P_ELF_TYPE, TDS_ERR_UNSUPPORTED},
    {"EM_386", m_machine, "tdp_entry_ms", 0, TDP_E2P_MACHINE, TDS_ERR_UNSUPPORTED},
    {"ELFCLASS32", m_class32, "tdp_entry_ms", 0, TDP_E2P_NOT_ELF64, TDS_ERR_UNSUPPORTED},
    {"big endian", m_big_endian, "tdp_entry_ms", 0, TDP_E2P_NOT_ELF64, TDS_ERR_UNSUPPORTED},
    {"e_phentsize 32", m_phentsize, "tdp_entry_ms", 0, TDP_E2P_ELF_HEADER, TDS_ERR_MALFORMED},
    {"e_phnum PN_XNUM", m_phnum_xnum, "tdp_entry_ms", 0, TDP_E2P_ELF_HEADER, TDS_ERR_MALFORMED},
    {"no section headers", m_no_sections, "tdp_entry_ms", 0, TDP_E2P_SYMTAB, TDS_ERR_MALFORMED},
    {"unknown entry symbol", m_nothing, "no_such_symbol", 0, TDP_E2P_SYMBOL_NOT_FOUND,
     TDS_ERR_NOT_FOUND},
    {"entry symbol in the header", m_nothing, "__ehdr_start", 0, TDP_E2P_ENTRY, TDS_ERR_MALFORMED},
    {"empty entry symbol", m_nothing, "", 0, TDP_E2P_BAD_ARG, TDS_ERR_INVALID_ARG},
    {"e_entry in .rodata", m_entry_rodata, NULL, 0, TDP_E2P_ENTRY, TDS_ERR_MALFORMED},
    {"ImageBase not 64 KiB aligned", m_nothing, "tdp_entry_ms", 0x1000, TDP_E2P_IMAGE_BASE,
     TDS_ERR_OVERFLOW},
    {"ImageBase + SizeOfImage wraps", m_nothing, "tdp_entry_ms", 0xffffffffffff0000ull,
     TDP_E2P_IMAGE_BASE, TDS_ERR_OVERFLOW},
};

static void test_hostile_variants(void **state)
{
    (void)state;
    uint8_t *f = malloc(g_elf.n);
    assert_non_null(f);
    for (size_t i = 0; i < sizeof g_hostile / sizeof g_hostile[0]; i++) {
        const hostile *h = &g_hostile[i];
        memcpy(f, g_elf.p, g_elf.n);
        h->mutate(f);
        tdp_elf2pe_plan plan;
        memset(&plan, 0x5a, sizeof plan);
        tdp_elf2pe_plan before = plan;
        tdp_elf2pe_error err;
        const tdp_elf2pe_opts o = {h->entry, h->image_base};
        const tds_status s = tdp_elf2pe_plan_make(tds_bytes_make(f, g_elf.n), &o, &plan, &err);
        if (s != h->status || err.reason != h->reason) {
            fail_msg("%s: got %s (%s), want %s", h->what, tdp_elf2pe_reason_str(err.reason),
                     tds_status_str(s), tdp_elf2pe_reason_str(h->reason));
        }
        assert_memory_equal(&plan, &before, sizeof plan);
    }
    free(f);
}

/* The precise spot: the relocation's r_info, the program header, the dynamic entry. */
static void test_hostile_offsets(void **state)
{
    (void)state;
    uint8_t *f = malloc(g_elf.n);
    assert_non_null(f);
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    const tdp_elf2pe_opts o = {"tdp_entry_ms", 0};
    const tds_bytes in = tds_bytes_make(f, g_elf.n);

    memcpy(f, g_elf.p, g_elf.n);
    m_abs64(f);
    assert_int_not_equal(tdp_elf2pe_plan_make(in, &o, &plan, &err), TDS_OK);
    assert_int_equal(err.offset, g_rel[3].at + 8);
    assert_int_equal(err.value, 1);

    memcpy(f, g_elf.p, g_elf.n);
    m_to_bss(f);
    assert_int_not_equal(tdp_elf2pe_plan_make(in, &o, &plan, &err), TDS_OK);
    assert_int_equal(err.offset, g_rel[g_nrel - 1].at);
    assert_int_equal(err.value, load_w()->vaddr + load_w()->filesz + 64);

    memcpy(f, g_elf.p, g_elf.n);
    m_wx(f);
    assert_int_not_equal(tdp_elf2pe_plan_make(in, &o, &plan, &err), TDS_OK);
    assert_int_equal(err.offset, load_x()->ph_at + 4);
    assert_int_equal(err.value, 7);

    memcpy(f, g_elf.p, g_elf.n);
    m_needed(f);
    uint64_t at = 0;
    assert_true(tdp_probe_dyn(f, g_elf.n, 1, &at));
    assert_int_not_equal(tdp_elf2pe_plan_make(in, &o, &plan, &err), TDS_OK);
    assert_int_equal(err.offset, at);
    assert_int_equal(err.value, 1);
    free(f);
}

/* R_X86_64_NONE is a no-op in both loaders: dropped, and the rest still converts. */
static void test_reloc_none_dropped(void **state)
{
    (void)state;
    blob in = {malloc(g_elf.n), g_elf.n};
    assert_non_null(in.p);
    memcpy(in.p, g_elf.p, g_elf.n);
    m_none(in.p);
    blob out = {NULL, 0};
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    assert_int_equal(convert(&in, "tdp_entry_ms", 0, &out, &plan, &err), TDS_OK);
    assert_int_equal(plan.reloc_count, g_nrel - 1);
    ldr_result r;
    ldr_error e;
    assert_int_equal(ldr_load(tds_bytes_make(out.p, out.n), tds_mut_bytes_make(g_dest_a, DEST_LEN),
                              LOAD_BASE, &r, &e),
                     TDS_OK);
    assert_int_equal(r.reloc_count, g_nrel - 1);
    free(out.p);
    free(in.p);
}

/* A relocation in .text (a text relocation) is carried like any other. */
static void test_reloc_in_text(void **state)
{
    (void)state;
    blob in = {malloc(g_elf.n), g_elf.n};
    assert_non_null(in.p);
    memcpy(in.p, g_elf.p, g_elf.n);
    /* Move the first relocation (the table stays sorted: .text is below the data). */
    put_le(in.p + g_rel[0].at, load_x()->vaddr, 8);
    blob out = {NULL, 0};
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    assert_int_equal(convert(&in, "tdp_entry_ms", TDP_PE_IMAGE_BASE, &out, &plan, &err), TDS_OK);
    ldr_result a;
    ldr_result b;
    ldr_error e;
    assert_int_equal(ldr_load(tds_bytes_make(in.p, in.n), tds_mut_bytes_make(g_dest_a, DEST_LEN),
                              LOAD_BASE, &a, &e),
                     TDS_OK);
    assert_int_equal(ldr_load(tds_bytes_make(out.p, out.n), tds_mut_bytes_make(g_dest_b, DEST_LEN),
                              LOAD_BASE, &b, &e),
                     TDS_OK);
    assert_int_equal(le(g_dest_b, DEST_LEN, load_x()->vaddr, 8), LOAD_BASE + g_rel[0].addend);
    assert_memory_equal(g_dest_a + 4096, g_dest_b + 4096, a.load_size - 4096);
    free(out.p);
    free(in.p);
}

/* Every prefix of the file is refused, with nothing read past it (ASan: exact allocations). */
static void test_truncated(void **state)
{
    (void)state;
    const tdp_elf2pe_opts o = {"tdp_entry_ms", 0};
    size_t tried = 0;
    for (size_t n = 0; n < g_elf.n; n = (n < 4096 || n + 64 >= g_elf.n) ? n + 1 : n + 97) {
        uint8_t *f = malloc(n == 0 ? 1 : n);
        assert_non_null(f);
        memcpy(f, g_elf.p, n);
        tdp_elf2pe_plan plan;
        tdp_elf2pe_error err;
        const tds_status s = tdp_elf2pe_plan_make(tds_bytes_make(f, n), &o, &plan, &err);
        if (s == TDS_OK) {
            fail_msg("prefix of %zu bytes accepted", n);
        }
        free(f);
        tried++;
    }
    assert_true(tried > 4096);
}

/*
 * Flip bytes of the headers, the relocation table and the dynamic section: never a crash or an
 * out-of-bounds access, and whatever the converter accepts, libloader loads, with the entry and
 * the relocation count the plan promised.
 */
static void test_mutation_sweep(void **state)
{
    (void)state;
    const tdp_elf2pe_opts o = {"tdp_entry_ms", TDP_PE_IMAGE_BASE};
    uint8_t *f = malloc(g_elf.n);
    assert_non_null(f);
    uint64_t dyn = 0;
    assert_true(tdp_probe_dyn(g_elf.p, g_elf.n, 7 /* DT_RELA */, &dyn));
    const uint64_t ranges[2][2] = {{0, g_load[0].filesz}, {dyn - 0x40, dyn + 0x80}};
    size_t ok = 0, refused = 0, big = 0;
    for (int r = 0; r < 2; r++) {
        for (uint64_t at = ranges[r][0]; at < ranges[r][1]; at++) {
            const uint8_t orig = g_elf.p[at];
            const uint8_t vals[4] = {0x00, 0xff, (uint8_t)(orig ^ 0x80), (uint8_t)(orig + 1)};
            for (int k = 0; k < 4; k++) {
                memcpy(f, g_elf.p, g_elf.n);
                f[at] = vals[k];
                tdp_elf2pe_plan plan;
                tdp_elf2pe_error err;
                if (tdp_elf2pe_plan_make(tds_bytes_make(f, g_elf.n), &o, &plan, &err) != TDS_OK) {
                    refused++;
                    continue;
                }
                if (plan.size_of_image > DEST_LEN) {
                    big++; /* e.g. a larger p_memsz: valid, but more than the test's buffer */
                    continue;
                }
                uint8_t *pe = malloc(plan.out_len);
                assert_non_null(pe);
                assert_int_equal(tdp_elf2pe_write(tds_bytes_make(f, g_elf.n), &plan,
                                                  tds_mut_bytes_make(pe, plan.out_len), &err),
                                 TDS_OK);
                ldr_result lr;
                ldr_error le_;
                if (ldr_load_pe(tds_bytes_make(pe, plan.out_len),
                                tds_mut_bytes_make(g_dest_a, DEST_LEN), LOAD_BASE, &lr,
                                &le_) != TDS_OK) {
                    fail_msg("byte 0x%llx = 0x%02x: converted, but ldr_load_pe says %s",
                             (unsigned long long)at, vals[k], ldr_reason_str(le_.reason));
                }
                assert_int_equal(lr.entry, LOAD_BASE + plan.entry_rva);
                assert_int_equal(lr.reloc_count, plan.reloc_count);
                free(pe);
                ok++;
            }
        }
    }
    free(f);
    assert_true(ok > 100);
    assert_true(refused > 100);
    assert_true(big < 50);
}

static void test_write_contract(void **state)
{
    (void)state;
    tdp_elf2pe_plan plan;
    tdp_elf2pe_error err;
    const tdp_elf2pe_opts o = {"tdp_entry_ms", 0};
    const tds_bytes in = tds_bytes_make(g_elf.p, g_elf.n);
    assert_int_equal(tdp_elf2pe_plan_make(in, &o, &plan, &err), TDS_OK);
    uint8_t *out = malloc(plan.out_len);
    assert_non_null(out);
    /* Too small: NO_SPACE, nothing written. */
    memset(out, 0x77, plan.out_len);
    assert_int_equal(tdp_elf2pe_write(in, &plan, tds_mut_bytes_make(out, plan.out_len - 1), &err),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(err.reason, TDP_E2P_NO_SPACE);
    for (size_t i = 0; i < plan.out_len; i++) {
        assert_int_equal(out[i], 0x77);
    }
    /* Not the bytes the plan was made from. */
    assert_int_equal(tdp_elf2pe_write(tds_bytes_make(g_elf.p, g_elf.n - 1), &plan,
                                      tds_mut_bytes_make(out, plan.out_len), &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdp_elf2pe_write(in, NULL, tds_mut_bytes_make(out, plan.out_len), &err),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdp_elf2pe_write(in, &plan, tds_mut_bytes_make(out, plan.out_len), NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdp_elf2pe_plan_make(in, NULL, &plan, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdp_elf2pe_plan_make(in, &o, NULL, &err), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdp_elf2pe_plan_make(in, &o, &plan, NULL), TDS_ERR_INVALID_ARG);
    free(out);
}

static void test_names(void **state)
{
    (void)state;
    for (int r = TDP_E2P_NONE; r < TDP_E2P_COUNT_; r++) {
        assert_string_not_equal(tdp_elf2pe_reason_str((tdp_elf2pe_reason)r), "unknown");
        assert_int_equal(tdp_elf2pe_reason_status((tdp_elf2pe_reason)r) == TDS_OK,
                         r == TDP_E2P_NONE);
    }
    assert_string_equal(tdp_elf2pe_reason_str(TDP_E2P_COUNT_), "unknown");
    assert_string_equal(tdp_elf2pe_reloc_name(8), "R_X86_64_RELATIVE");
    assert_string_equal(tdp_elf2pe_reloc_name(99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payload_is_the_built_file),
        cmocka_unit_test(test_payload_headers),
        cmocka_unit_test(test_payload_relocations),
        cmocka_unit_test(test_payload_entry_default),
        cmocka_unit_test(test_image_base_does_not_change_the_load),
        cmocka_unit_test(test_fixture_pie_converts),
        cmocka_unit_test(test_fixture_abs64_refused),
        cmocka_unit_test(test_fixture_link_base),
        cmocka_unit_test(test_hostile_variants),
        cmocka_unit_test(test_hostile_offsets),
        cmocka_unit_test(test_reloc_none_dropped),
        cmocka_unit_test(test_reloc_in_text),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_mutation_sweep),
        cmocka_unit_test(test_write_contract),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
