/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * liblinux boot_params builder and entry: the whole 4 KiB page compared byte for byte with one
 * built here from bootparam.h's offsets (typed as numbers, not the library's macros), the
 * SETUP_E820_EXT node of a 200-entry map, the ext_* halves above 4 GiB, the sentinel, the VMM's
 * setup_data pointer dropped; every refusal leaves both buffers untouched. Entry values and the
 * GDT descriptors decoded bit by bit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fixtures.h"
#include "tdshim/linux_boot.h"

#define MiB 0x100000ull
#define GiB 0x40000000ull
#define RAM 1u
#define RSV 2u
#define FILL 0xC3u
#define RSDP 0x7F000040ull

static uint8_t g_setup[FX_SETUP_MAX];
static uint8_t g_bp[8192];
static uint8_t g_node[4096];
static uint8_t g_expect[4096];
static lnx_e820_entry g_map[256];

static lnx_header header_of(const fx_kernel *k)
{
    size_t len = fx_setup(k, g_setup);
    lnx_header h;
    lnx_error e;
    assert_int_equal(lnx_parse_header(tds_bytes_make(g_setup, len), FX_KERNEL_SIZE, &h, &e),
                     TDS_OK);
    return h;
}

static const lnx_e820_entry k_td_map[] = {
    {0, 0x80000, RAM},         {0x80000, 0x80000, RSV},   {0x100000, 0x7F000000 - 0x100000, RAM},
    {0x7F000000, 0x100000, 3}, {0x7F100000, 0x100000, 4}, {0x7F200000, 0xE00000, RSV},
};

static lnx_plan plan_for(const lnx_header *h, const lnx_e820_entry *map, size_t n, uint64_t initrd,
                         uint64_t cmdline)
{
    lnx_plan_request r;
    memset(&r, 0, sizeof r);
    r.map = map;
    r.map_count = n;
    r.initrd_size = initrd;
    r.cmdline_size = cmdline;
    r.mapped_last = UINT64_MAX;
    lnx_plan p;
    lnx_error e;
    assert_int_equal(lnx_plan_placement(h, &r, &p, &e), TDS_OK);
    return p;
}

static tds_status build(const lnx_header *h, const lnx_plan *p, const lnx_e820_entry *map, size_t n,
                        size_t bp_len, size_t node_len, lnx_error *e)
{
    memset(g_bp, FILL, sizeof g_bp);
    memset(g_node, FILL, sizeof g_node);
    return lnx_build_boot_params(h, p, map, n, RSDP, tds_mut_bytes_make(g_bp, bp_len),
                                 tds_mut_bytes_make(g_node, node_len), e);
}

static void assert_fill(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != FILL) {
            fail_msg("byte %zu written (0x%02x)", i, p[i]);
        }
    }
}

/* The expected page, from the documented layout (zero-page.rst, boot.rst). */
static void expect_page(const lnx_plan *p, const lnx_e820_entry *map, size_t n, size_t hdr_end)
{
    memset(g_expect, 0, sizeof g_expect);
    memcpy(g_expect + 0x1F1, g_setup + 0x1F1, hdr_end - 0x1F1);
    fx_le64(g_expect + 0x070, RSDP);
    fx_le32(g_expect + 0x0C0, (uint32_t)(p->initrd_addr >> 32));
    fx_le32(g_expect + 0x0C4, (uint32_t)(p->initrd_size >> 32));
    fx_le32(g_expect + 0x0C8, (uint32_t)(p->cmdline_addr >> 32));
    size_t in_bp = n < 128 ? n : 128;
    g_expect[0x1E8] = (uint8_t)in_bp;
    fx_le16(g_expect + 0x1FA, 0xFFFF);
    g_expect[0x210] = 0xFF;
    g_expect[0x211] = 0x01;
    if (p->kernel_addr < 0x100000000ull) {
        fx_le32(g_expect + 0x214, (uint32_t)p->kernel_addr);
    }
    fx_le32(g_expect + 0x218, (uint32_t)p->initrd_addr);
    fx_le32(g_expect + 0x21C, (uint32_t)p->initrd_size);
    fx_le16(g_expect + 0x224, 0);
    g_expect[0x226] = 0;
    g_expect[0x227] = 0;
    fx_le32(g_expect + 0x228, (uint32_t)p->cmdline_addr);
    fx_le32(g_expect + 0x23C, 0);
    fx_le64(g_expect + 0x240, 0);
    fx_le64(g_expect + 0x250, p->setup_data_addr);
    for (size_t i = 0; i < in_bp; i++) {
        fx_le64(g_expect + 0x2D0 + 20 * i, map[i].addr);
        fx_le64(g_expect + 0x2D0 + 20 * i + 8, map[i].size);
        fx_le32(g_expect + 0x2D0 + 20 * i + 16, map[i].type);
    }
}

/* ---- built ------------------------------------------------------------------------------ */

static void test_small_td_exact(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.loadflags = 0xA1;              /* file: LOADED_HIGH | QUIET | CAN_USE_HEAP */
    k.setup_data = 0xDEADBEEF000ull; /* a VMM-patched pointer */
    lnx_header h = header_of(&k);
    lnx_plan p = plan_for(&h, k_td_map, 6, 32 * MiB, 52);
    lnx_error e;
    assert_int_equal(build(&h, &p, k_td_map, 6, sizeof g_bp, 0, &e), TDS_OK);
    assert_int_equal(e.reason, LNX_R_NONE);
    expect_page(&p, k_td_map, 6, 0x26C);
    assert_memory_equal(g_bp, g_expect, 4096);
    assert_fill(g_bp + 4096, sizeof g_bp - 4096); /* nothing past the page */
    assert_fill(g_node, sizeof g_node);           /* no node needed */
    /* Spot checks with the literal values. */
    assert_int_equal(g_bp[0x1EF], 0); /* sentinel: 0xFF in the file, 0 here */
    assert_int_equal(g_setup[0x1EF], 0xFF);
    assert_int_equal(g_bp[0x211], 0x01);
    assert_int_equal(g_bp[0x210], 0xFF);
    assert_int_equal(fx_rd32(g_bp + 0x214), 0x1000000);
    assert_int_equal(fx_rd32(g_bp + 0x218), 0x7D000000);
    assert_int_equal(fx_rd32(g_bp + 0x21C), 0x2000000);
    assert_int_equal(fx_rd32(g_bp + 0x228), 0x7CFFE000);
    assert_int_equal(fx_rd32(g_bp + 0x0C0), 0);
    assert_int_equal(fx_rd32(g_bp + 0x0C8), 0);
    assert_int_equal(fx_rd64(g_bp + 0x250), 0); /* the VMM's pointer is gone */
    assert_int_equal(fx_rd64(g_bp + 0x070), RSDP);
    assert_int_equal(g_bp[0x1E8], 6);
    assert_int_equal(fx_rd64(g_bp + 0x2D0 + 40), 0x100000);
    assert_int_equal(fx_rd32(g_bp + 0x2D0 + 76), 3);
    /* The header's own fields are copied: version, xloadflags, init_size, kernel_alignment. */
    assert_int_equal(fx_rd16(g_bp + 0x206), 0x020F);
    assert_int_equal(fx_rd16(g_bp + 0x236), 0x0003);
    assert_int_equal(fx_rd32(g_bp + 0x260), 0x3000000);
    assert_int_equal(fx_rd32(g_bp + 0x230), 0x200000);
    /* Past the header's end (0x26C) nothing of the file is copied. */
    for (size_t i = 0x26C; i < 0x2D0; i++) {
        assert_int_equal(g_bp[i], 0);
    }
}

/* 200 entries: 128 in the page, 72 in the SETUP_E820_EXT node, linked at 0x250. */
static void test_e820_ext(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h = header_of(&k);
    g_map[0] = (lnx_e820_entry){MiB, GiB - MiB, RAM};
    for (size_t i = 1; i < 200; i++) {
        g_map[i] = (lnx_e820_entry){4 * GiB + i * 0x1000, 0x1000, (uint32_t)(i % 3) + 2u};
    }
    lnx_plan p = plan_for(&h, g_map, 200, 0, 1);
    assert_int_equal(p.setup_data_size, 1456);
    lnx_error e;
    assert_int_equal(build(&h, &p, g_map, 200, 4096, 1456, &e), TDS_OK);
    expect_page(&p, g_map, 200, 0x26C);
    assert_memory_equal(g_bp, g_expect, 4096);
    assert_int_equal(g_bp[0x1E8], 128);
    assert_int_equal(fx_rd64(g_bp + 0x250), p.setup_data_addr);
    assert_int_not_equal(p.setup_data_addr, 0);
    /* The node: next 0, type SETUP_E820_EXT (1), len 72 * 20, then the entries. */
    assert_int_equal(fx_rd64(g_node), 0);
    assert_int_equal(fx_rd32(g_node + 8), 1);
    assert_int_equal(fx_rd32(g_node + 12), 1440);
    for (size_t i = 0; i < 72; i++) {
        const uint8_t *q = g_node + 16 + 20 * i;
        assert_int_equal(fx_rd64(q), g_map[128 + i].addr);
        assert_int_equal(fx_rd64(q + 8), g_map[128 + i].size);
        assert_int_equal(fx_rd32(q + 16), g_map[128 + i].type);
    }
    assert_fill(g_node + 1456, sizeof g_node - 1456);
    /* The node lies outside the kernel's window. */
    assert_true(p.setup_data_addr + 1456 <= p.kernel_addr ||
                p.setup_data_addr >= p.kernel_addr + h.init_size);
}

/* A 5 GiB initrd at the top of 12 GiB, a command line above 4 GiB: the ext_* halves. */
static void test_ext_fields_above_4g(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h = header_of(&k);
    static const lnx_e820_entry map[] = {{MiB, 2 * GiB - MiB, RAM}, {4 * GiB, 8 * GiB, RAM}};
    lnx_plan_request r;
    memset(&r, 0, sizeof r);
    r.map = map;
    r.map_count = 2;
    r.initrd_size = 5 * GiB + 0x1234;
    r.cmdline_size = 10;
    r.cmdline_addr = 0x100002000ull;
    r.mapped_last = UINT64_MAX;
    lnx_plan p;
    lnx_error e;
    assert_int_equal(lnx_plan_placement(&h, &r, &p, &e), TDS_OK);
    assert_int_equal(build(&h, &p, map, 2, 4096, 0, &e), TDS_OK);
    expect_page(&p, map, 2, 0x26C);
    assert_memory_equal(g_bp, g_expect, 4096);
    uint64_t img = fx_rd32(g_bp + 0x218) | ((uint64_t)fx_rd32(g_bp + 0x0C0) << 32);
    uint64_t sz = fx_rd32(g_bp + 0x21C) | ((uint64_t)fx_rd32(g_bp + 0x0C4) << 32);
    assert_int_equal(img, p.initrd_addr);
    assert_true(img >= 4 * GiB);
    assert_int_equal(sz, 5 * GiB + 0x1234);
    assert_int_equal(fx_rd32(g_bp + 0x0C4), 1);
    assert_int_equal(fx_rd32(g_bp + 0x228), 0x2000);
    assert_int_equal(fx_rd32(g_bp + 0x0C8), 1);
}

/* Everything at the top of the address space: code32_start cannot say where the kernel is. */
static void test_top_of_address_space(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h = header_of(&k);
    static const lnx_e820_entry map[] = {{0xFFFFFFFF00000000ull, 0x100000000ull, RAM}};
    lnx_plan p = plan_for(&h, map, 1, 16 * MiB, 100);
    lnx_error e;
    assert_int_equal(build(&h, &p, map, 1, 4096, 0, &e), TDS_OK);
    expect_page(&p, map, 1, 0x26C);
    fx_le32(g_expect + 0x214, fx_rd32(g_setup + 0x214)); /* the file's value stays */
    assert_memory_equal(g_bp, g_expect, 4096);
    assert_int_equal(fx_rd32(g_bp + 0x214), 0x100000);
    assert_int_equal(fx_rd32(g_bp + 0x0C0), 0xFFFFFFFF);
    assert_int_equal(fx_rd32(g_bp + 0x218), 0xFF000000);
    assert_int_equal(fx_rd64(g_bp + 0x2D0 + 8), 0x100000000ull);
}

/* The longest header (end 0x290) is copied whole; the shortest (0x264) no further. */
static void test_header_lengths(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.jump_len = 0x8E;
    lnx_header h = header_of(&k);
    lnx_plan p = plan_for(&h, k_td_map, 6, 0, 1);
    lnx_error e;
    assert_int_equal(build(&h, &p, k_td_map, 6, 4096, 0, &e), TDS_OK);
    expect_page(&p, k_td_map, 6, 0x290);
    assert_memory_equal(g_bp, g_expect, 4096);
    assert_int_equal(g_bp[0x28F], fx_pattern(0x28F));
    k.jump_len = 0x62;
    k.version = 0x020C;
    h = header_of(&k);
    assert_int_equal(build(&h, &p, k_td_map, 6, 4096, 0, &e), TDS_OK);
    expect_page(&p, k_td_map, 6, 0x264);
    assert_memory_equal(g_bp, g_expect, 4096);
    assert_int_equal(g_bp[0x264], 0);
}

/* ---- refused: nothing written ------------------------------------------------------------ */

static void refused(const lnx_header *h, const lnx_plan *p, const lnx_e820_entry *map, size_t n,
                    size_t bp_len, size_t node_len, lnx_reason reason, uint64_t off)
{
    lnx_error e = {LNX_R_NONE, 0};
    tds_status s = build(h, p, map, n, bp_len, node_len, &e);
    if (e.reason != reason) {
        fail_msg("reason %s, expected %s", lnx_reason_str(e.reason), lnx_reason_str(reason));
    }
    assert_int_equal(s, lnx_reason_status(reason));
    assert_int_equal(e.offset, off);
    assert_fill(g_bp, sizeof g_bp);
    assert_fill(g_node, sizeof g_node);
}

static void test_buffers_too_small(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h = header_of(&k);
    lnx_plan p = plan_for(&h, k_td_map, 6, 0, 1);
    refused(&h, &p, k_td_map, 6, 4095, 0, LNX_R_BUFFER_TOO_SMALL, 4096);
    refused(&h, &p, k_td_map, 6, 0, 0, LNX_R_BUFFER_TOO_SMALL, 4096);
    g_map[0] = (lnx_e820_entry){MiB, GiB - MiB, RAM};
    for (size_t i = 1; i < 200; i++) {
        g_map[i] = (lnx_e820_entry){4 * GiB + i * 0x1000, 0x1000, (i & 1) ? RSV : RAM};
    }
    p = plan_for(&h, g_map, 200, 0, 1);
    refused(&h, &p, g_map, 200, 4096, 1455, LNX_R_BUFFER_TOO_SMALL, 1456);
    /* The two buffers overlap. */
    lnx_error e;
    memset(g_bp, FILL, sizeof g_bp);
    assert_int_equal(lnx_build_boot_params(&h, &p, g_map, 200, 0, tds_mut_bytes_make(g_bp, 4096),
                                           tds_mut_bytes_make(g_bp + 4000, 2000), &e),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, LNX_R_BAD_ARG);
    assert_fill(g_bp, sizeof g_bp);
}

/* Plans the planner would never make, handed to the builder. */
static void test_tampered_plans(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.xloadflags = 0x0001; /* no XLF_CAN_BE_LOADED_ABOVE_4G */
    lnx_header h = header_of(&k);
    static const lnx_e820_entry map[] = {{MiB, 3 * GiB, RAM}, {4 * GiB, 4 * GiB, RAM}};
    lnx_plan good = plan_for(&h, map, 2, 16 * MiB, 20);
    lnx_plan p = good;
    p.initrd_addr = 0x80000000; /* last byte above initrd_addr_max 0x7FFFFFFF */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_INITRD_ABOVE_LIMIT, 0x80000000);
    p = good;
    p.initrd_addr = 5 * GiB; /* above 4 GiB without the flag */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_INITRD_ABOVE_LIMIT, 5 * GiB);
    p = good;
    p.initrd_addr = 0xFFFFFFFFFFFFF000ull; /* wraps */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_RANGE_WRAPS, 0xFFFFFFFFFFFFF000ull);
    p = good;
    p.initrd_addr = 3 * GiB + MiB; /* a hole */
    h.initrd_addr_max = 0xFFFFFFFF;
    refused(&h, &p, map, 2, 4096, 0, LNX_R_PLAN, 3 * GiB + MiB);
    h = header_of(&k);
    p = good;
    p.kernel_addr += 0x1000; /* not at an aligned runtime start */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_PLAN, good.kernel_addr + 0x1000);
    p = good;
    p.kernel_addr = 14 * MiB; /* below pref_address: the kernel would run elsewhere */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_PLAN, 14 * MiB);
    p = good;
    p.boot_params_addr = good.kernel_addr + MiB; /* inside the window */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_OVERLAP, good.kernel_addr + MiB);
    p = good;
    p.cmdline_addr = good.initrd_addr + 8; /* inside the initrd */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_OVERLAP, good.initrd_addr + 8);
    p = good;
    p.boot_params_addr = 0x2000800;
    refused(&h, &p, map, 2, 4096, 0, LNX_R_MISALIGNED, 0x2000800);
    p = good;
    p.cmdline_addr = 0xFFFFFFF8; /* 20 bytes across 4 GiB, no flag */
    refused(&h, &p, map, 2, 4096, 0, LNX_R_OUT_OF_REACH, 0xFFFFFFF8);
    p = good;
    p.cmdline_size = 0x801;
    refused(&h, &p, map, 2, 4096, 0, LNX_R_CMDLINE_TOO_LONG, 0x7FF);
    p = good;
    p.cmdline_addr = 0;
    refused(&h, &p, map, 2, 4096, 0, LNX_R_PLAN, 0);
    p = good;
    p.kernel_size = good.kernel_size + 1;
    refused(&h, &p, map, 2, 4096, 0, LNX_R_PLAN, good.kernel_addr);
    p = good;
    p.setup_data_size = 36; /* no node for 2 entries */
    refused(&h, &p, map, 2, 4096, 100, LNX_R_PLAN, 0);
    /* Another map than the plan's. */
    refused(&h, &good, map, 1, 4096, 0, LNX_R_PLAN, 0);
    static const lnx_e820_entry bad[] = {{MiB, 3 * GiB, RAM}, {4 * GiB, 4 * GiB, 7}};
    refused(&h, &good, bad, 2, 4096, 0, LNX_R_E820_TYPE, 1);
    /* A header struct that was not parsed, or was damaged. */
    lnx_header z = h;
    z.hdr_end = 0x300;
    refused(&z, &good, map, 2, 4096, 0, LNX_R_BAD_ARG, 0);
    refused(NULL, &good, map, 2, 4096, 0, LNX_R_BAD_ARG, 0);
    refused(&h, NULL, map, 2, 4096, 0, LNX_R_BAD_ARG, 0);
    lnx_error e;
    assert_int_equal(lnx_build_boot_params(&h, &good, map, 2, 0, tds_mut_bytes_make(g_bp, 4096),
                                           tds_mut_bytes_make(NULL, 0), NULL),
                     TDS_ERR_INVALID_ARG);
    (void)e;
}

/* ---- entry ------------------------------------------------------------------------------ */

static void test_entry(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    lnx_header h = header_of(&k);
    lnx_plan p = plan_for(&h, k_td_map, 6, 0, 1);
    lnx_entry en;
    assert_int_equal(lnx_entry_for(&p, &en), TDS_OK);
    assert_int_equal(en.rip, 0x1000200);
    assert_int_equal(en.rsi, p.boot_params_addr);
    assert_int_equal(en.cs, 0x10);
    assert_int_equal(en.ds, 0x18);
    assert_int_equal(en.gdt_cs, 0x00AF9A000000FFFFull);
    assert_int_equal(en.gdt_ds, 0x00CF92000000FFFFull);
    lnx_plan w = p;
    w.kernel_addr = UINT64_MAX - 0x100;
    memset(&en, 0x5a, sizeof en);
    assert_int_equal(lnx_entry_for(&w, &en), TDS_ERR_INVALID_ARG);
    assert_int_equal(en.rip, 0x5a5a5a5a5a5a5a5aull);
    w = p;
    w.boot_params_addr = 0;
    assert_int_equal(lnx_entry_for(&w, &en), TDS_ERR_INVALID_ARG);
    assert_int_equal(lnx_entry_for(NULL, &en), TDS_ERR_INVALID_ARG);
    assert_int_equal(lnx_entry_for(&p, NULL), TDS_ERR_INVALID_ARG);
}

/* The descriptors, field by field (Intel SDM vol. 3 3.4.5: segment descriptors). */
static void test_gdt_descriptors(void **state)
{
    (void)state;
    uint64_t cs = LNX_GDT_CODE64, ds = LNX_GDT_DATA;
    for (int i = 0; i < 2; i++) {
        uint64_t d = i == 0 ? cs : ds;
        uint64_t limit = (d & 0xFFFF) | ((d >> 32) & 0xF0000);
        uint64_t base = ((d >> 16) & 0xFFFFFF) | ((d >> 32) & 0xFF000000);
        assert_int_equal(limit, 0xFFFFF);
        assert_int_equal(base, 0);
        assert_int_equal((d >> 55) & 1, 1); /* G: 4 KiB units, 4 GiB */
        assert_int_equal((d >> 47) & 1, 1); /* P */
        assert_int_equal((d >> 45) & 3, 0); /* DPL 0 */
        assert_int_equal((d >> 44) & 1, 1); /* S: code/data */
    }
    assert_int_equal((cs >> 40) & 0xF, 0xA); /* execute/read */
    assert_int_equal((cs >> 53) & 1, 1);     /* L: 64-bit code */
    assert_int_equal((cs >> 54) & 1, 0);     /* D must be 0 with L */
    assert_int_equal((ds >> 40) & 0xF, 0x2); /* read/write */
    assert_int_equal((ds >> 54) & 1, 1);     /* D/B */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_td_exact),      cmocka_unit_test(test_e820_ext),
        cmocka_unit_test(test_ext_fields_above_4g), cmocka_unit_test(test_top_of_address_space),
        cmocka_unit_test(test_header_lengths),      cmocka_unit_test(test_buffers_too_small),
        cmocka_unit_test(test_tampered_plans),      cmocka_unit_test(test_entry),
        cmocka_unit_test(test_gdt_descriptors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
