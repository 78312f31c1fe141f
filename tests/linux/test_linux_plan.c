/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * liblinux placement: a small TD's map with exact addresses for every object, hundreds of MiB of
 * kernel and initrd, reserved ranges and holes in the kernel's window, the caller's fixed
 * choices, the top of the address space, and every refusal (map, fixed ranges, no room, initrd
 * above initrd_addr_max without XLF_CAN_BE_LOADED_ABOVE_4G). Every accepted plan is checked
 * against the map by an independent checker.
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
#define RAM LNX_E820_RAM
#define RSV LNX_E820_RESERVED

static uint8_t g_setup[FX_SETUP_MAX];

static lnx_header header_of(const fx_kernel *k, uint64_t ksize)
{
    size_t len = fx_setup(k, g_setup);
    lnx_header h;
    lnx_error e;
    assert_int_equal(lnx_parse_header(tds_bytes_make(g_setup, len), ksize, &h, &e), TDS_OK);
    return h;
}

static lnx_header default_header(void)
{
    fx_kernel k = fx_default();
    return header_of(&k, FX_KERNEL_SIZE);
}

static lnx_header header_no_4g(void)
{
    fx_kernel k = fx_default();
    k.xloadflags = 0x0001;
    return header_of(&k, FX_KERNEL_SIZE);
}

/* A 2 GiB TD: low RAM, firmware below 1 MiB, RAM to 2 GiB less the firmware's top 16 MiB. */
static const lnx_e820_entry k_td_map[] = {
    {0, 0x80000, RAM},
    {0x80000, 0x80000, RSV},
    {0x100000, 0x7F000000 - 0x100000, RAM},
    {0x7F000000, 0x100000, LNX_E820_ACPI},
    {0x7F100000, 0x100000, LNX_E820_NVS},
    {0x7F200000, 0xE00000, RSV},
};

static lnx_plan_request request(const lnx_e820_entry *map, size_t n, uint64_t initrd,
                                uint64_t cmdline)
{
    lnx_plan_request r;
    memset(&r, 0, sizeof r);
    r.map = map;
    r.map_count = n;
    r.initrd_size = initrd;
    r.cmdline_size = cmdline;
    r.mapped_last = UINT64_MAX;
    return r;
}

/* Independent check: inside RAM (planned ones), no overlaps, alignment, reach, >= 1 MiB. */
static bool in_ram(const lnx_e820_entry *map, size_t n, uint64_t a, uint64_t len)
{
    uint64_t pos = a, last = a + (len - 1);
    for (size_t i = 0; i < n; i++) {
        uint64_t el = map[i].addr + (map[i].size - 1);
        if (map[i].type == RAM && pos >= map[i].addr && pos <= el) {
            if (last <= el) {
                return true;
            }
            pos = el + 1;
        }
    }
    return false;
}

static bool overlap(uint64_t a, uint64_t al, uint64_t b, uint64_t bl)
{
    return al != 0 && bl != 0 && a <= b + (bl - 1) && b <= a + (al - 1);
}

static void check_plan(const lnx_header *h, const lnx_plan_request *r, const lnx_plan *p)
{
    uint64_t a[5] = {p->kernel_addr, p->initrd_addr, p->boot_params_addr, p->cmdline_addr,
                     p->setup_data_addr};
    uint64_t l[5] = {h->init_size, p->initrd_size, 4096, p->cmdline_size, p->setup_data_size};
    uint64_t fixed[5] = {0, 0, r->boot_params_addr, r->cmdline_addr, r->setup_data_addr};
    for (int i = 0; i < 5; i++) {
        if (l[i] == 0) {
            assert_int_equal(a[i], 0);
            continue;
        }
        assert_true(a[i] + (l[i] - 1) >= a[i]); /* no wrap */
        assert_true(a[i] + (l[i] - 1) <= r->mapped_last);
        if (fixed[i] == 0) {
            assert_true(a[i] >= MiB);
            assert_true(in_ram(r->map, r->map_count, a[i], l[i]));
        }
        for (int j = 0; j < i; j++) {
            assert_false(overlap(a[i], l[i], a[j], l[j]));
        }
    }
    assert_int_equal(p->kernel_addr % h->kernel_alignment, 0);
    assert_true(p->kernel_addr >= h->pref_address);
    assert_int_equal(p->initrd_addr % 4096, 0);
    assert_int_equal(p->boot_params_addr % 4096, 0);
    assert_int_equal(p->kernel_size, h->kernel_size);
    assert_int_equal(p->init_size, h->init_size);
    assert_int_equal(p->e820_count, r->map_count);
    if ((h->xloadflags & LNX_XLF_CAN_BE_LOADED_ABOVE_4G) == 0) {
        assert_true(p->kernel_addr + h->init_size <= 0x100000000ull);
        assert_true(p->boot_params_addr + 4096 <= 0x100000000ull);
        if (p->initrd_size != 0) {
            assert_true(p->initrd_addr + p->initrd_size - 1 <= h->initrd_addr_max);
        }
    }
}

static lnx_plan plan_ok(const lnx_header *h, const lnx_plan_request *r)
{
    lnx_plan p;
    lnx_error e;
    tds_status s = lnx_plan_placement(h, r, &p, &e);
    if (s != TDS_OK) {
        fail_msg("plan refused: %s at 0x%llx", lnx_reason_str(e.reason),
                 (unsigned long long)e.offset);
    }
    assert_int_equal(e.reason, LNX_R_NONE);
    check_plan(h, r, &p);
    return p;
}

static void plan_refused(const lnx_header *h, const lnx_plan_request *r, lnx_reason reason,
                         uint64_t off)
{
    lnx_plan p;
    memset(&p, 0x5a, sizeof p);
    lnx_error e = {LNX_R_NONE, 0};
    tds_status s = lnx_plan_placement(h, r, &p, &e);
    if (e.reason != reason) {
        fail_msg("reason %s, expected %s", lnx_reason_str(e.reason), lnx_reason_str(reason));
    }
    assert_int_equal(s, lnx_reason_status(reason));
    assert_int_not_equal(s, TDS_OK);
    assert_int_equal(e.offset, off);
    assert_int_equal(p.kernel_addr, 0x5a5a5a5a5a5a5a5aull); /* out not written */
}

/* ---- accepted ------------------------------------------------------------------------ */

static void test_small_td(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 32 * MiB, 52);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 0x1000000);             /* pref_address */
    assert_int_equal(p.initrd_addr, 0x7F000000 - 32 * MiB); /* highest RAM below the firmware */
    assert_int_equal(p.initrd_size, 32 * MiB);
    assert_int_equal(p.boot_params_addr, 0x7D000000 - 0x1000); /* next page below */
    assert_int_equal(p.cmdline_addr, 0x7D000000 - 0x2000);
    assert_int_equal(p.cmdline_size, 52);
    assert_int_equal(p.setup_data_addr, 0);
    assert_int_equal(p.setup_data_size, 0);
    assert_int_equal(p.e820_count, 6);
}

static void test_no_initrd(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.initrd_addr, 0);
    assert_int_equal(p.initrd_size, 0);
    assert_int_equal(p.boot_params_addr, 0x7F000000 - 0x1000);
    assert_int_equal(p.cmdline_addr, 0x7F000000 - 0x2000);
}

/* 200 MiB of kernel in a 300 MiB window and a 700 MiB initrd in a 2 GiB + 6 GiB TD. */
static void test_hundreds_of_mib(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.init_size = 300 * MiB;
    k.syssize = (uint32_t)(200 * MiB / 16);
    lnx_header h = header_of(&k, 200 * MiB);
    static const lnx_e820_entry map[] = {
        {MiB, 2 * GiB - MiB, RAM},
        {0x100000000ull, 6 * GiB, RAM},
    };
    lnx_plan_request r = request(map, 2, 700 * MiB, 2048);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 16 * MiB);
    /* initrd_addr_max 0x7FFFFFFF: the highest page-aligned 700 MiB below 2 GiB. */
    assert_int_equal(p.initrd_addr, 2 * GiB - 700 * MiB);
    /* A 3 GiB initrd does not fit below 2 GiB: above 4 GiB with the flag, at the top. */
    r.initrd_size = 3 * GiB;
    p = plan_ok(&h, &r);
    assert_int_equal(p.initrd_addr, 0x100000000ull + 6 * GiB - 3 * GiB);
    /* ... and boot_params stays below 4 GiB (first choice). */
    assert_true(p.boot_params_addr < 0x100000000ull);
}

/* The initrd fits below initrd_addr_max: it stays there even when the flag allows more. */
static void test_initrd_prefers_below_limit(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry map[] = {
        {MiB, 4 * GiB - MiB, RAM},
        {4 * GiB, 4 * GiB, RAM},
    };
    lnx_plan_request r = request(map, 2, 64 * MiB, 100);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.initrd_addr, 0x80000000ull - 64 * MiB);
    /* boot_params: highest below 4 GiB. */
    assert_int_equal(p.boot_params_addr, 4 * GiB - 4096);
}

/* A reserved range at pref_address: the relocatable kernel moves to the next aligned spot. */
static void test_kernel_skips_reserved(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry map[] = {
        {MiB, 15 * MiB, RAM},
        {16 * MiB, MiB, RSV},
        {17 * MiB, 1 * GiB, RAM},
    };
    lnx_plan_request r = request(map, 3, 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 18 * MiB);
}

/* A hole in the window (not in the map at all) moves the kernel past it. */
static void test_kernel_skips_hole(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry map[] = {
        {MiB, 31 * MiB, RAM},
        {33 * MiB, 1 * GiB, RAM},
    };
    lnx_plan_request r = request(map, 2, 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 34 * MiB);
}

/* Adjacent RAM entries are one run: a window across their boundary is fine. */
static void test_kernel_across_adjacent_entries(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry map[] = {
        {MiB, 31 * MiB, RAM},
        {32 * MiB, 8 * MiB, RAM},
        {40 * MiB, 1 * GiB, RAM},
    };
    lnx_plan_request r = request(map, 3, 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 16 * MiB);
}

static void test_not_relocatable(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.relocatable = 0;
    k.pref_address = 64 * MiB;
    lnx_header h = header_of(&k, FX_KERNEL_SIZE);
    lnx_plan_request r = request(k_td_map, 6, 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 64 * MiB);
    /* pref_address blocked: no other choice. */
    static const lnx_e820_entry map[] = {
        {MiB, 63 * MiB, RAM},
        {64 * MiB, 4096, RSV},
        {64 * MiB + 4096, 1 * GiB, RAM},
    };
    r = request(map, 3, 0, 1);
    plan_refused(&h, &r, LNX_R_NO_ROOM_KERNEL, 0x3000000);
}

/* Relocatable with pref_address 0: never below 1 MiB. */
static void test_kernel_floor_1mib(void **state)
{
    (void)state;
    fx_kernel k = fx_default();
    k.pref_address = 0;
    lnx_header h = header_of(&k, FX_KERNEL_SIZE);
    static const lnx_e820_entry map[] = {{0, 1 * GiB, RAM}};
    lnx_plan_request r = request(map, 1, 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 2 * MiB); /* 1 MiB aligned up to 2 MiB */
}

/* The caller's fixed boot_params at pref_address pushes the kernel up; fixed cmdline in the
 * firmware's reserved memory is accepted as is. */
static void test_fixed_choices(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 0, 16);
    r.boot_params_addr = 16 * MiB;
    r.cmdline_addr = 0x80000;
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.boot_params_addr, 16 * MiB);
    assert_int_equal(p.cmdline_addr, 0x80000);
    assert_int_equal(p.kernel_addr, 18 * MiB);
}

/* RAM up to 2^64, a kernel that may live above 4 GiB: everything at the very top. */
static void test_top_of_address_space(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry map[] = {{0xFFFFFFFF00000000ull, 0x100000000ull, RAM}};
    lnx_plan_request r = request(map, 1, 16 * MiB, 2048);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 0xFFFFFFFF00000000ull);
    assert_int_equal(p.initrd_addr, 0xFFFFFFFFFF000000ull); /* ends exactly at 2^64 */
    assert_int_equal(p.boot_params_addr, 0xFFFFFFFFFEFFF000ull);
    assert_int_equal(p.cmdline_addr, 0xFFFFFFFFFEFFE000ull);
    /* The entry-time map ends lower: everything moves under it. */
    r.mapped_last = 0xFFFFFFFF7FFFFFFFull;
    p = plan_ok(&h, &r);
    assert_int_equal(p.initrd_addr, 0xFFFFFFFF7F000000ull);
}

static void test_mapped_last(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 32 * MiB, 1);
    r.mapped_last = GiB - 1;
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.initrd_addr, GiB - 32 * MiB);
    r.mapped_last = MiB - 1;
    plan_refused(&h, &r, LNX_R_NO_ROOM_KERNEL, 0x3000000);
}

/* 200 entries: 128 in boot_params, 72 in a planned SETUP_E820_EXT node. */
static lnx_e820_entry g_map[3300];

static size_t fragmented_map(size_t n)
{
    /* RAM 1 MiB .. 1 GiB, then n - 1 alternating 4 KiB ranges above 4 GiB. */
    g_map[0] = (lnx_e820_entry){MiB, GiB - MiB, RAM};
    for (size_t i = 1; i < n; i++) {
        g_map[i] = (lnx_e820_entry){4 * GiB + (uint64_t)i * 0x1000, 0x1000, (i & 1) ? RSV : RAM};
    }
    return n;
}

static void test_200_entries(void **state)
{
    (void)state;
    lnx_header h = header_no_4g();
    lnx_plan_request r = request(g_map, fragmented_map(200), 0, 1);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.e820_count, 200);
    assert_int_equal(p.setup_data_size, 16 + 72 * 20);
    assert_int_equal(p.boot_params_addr, GiB - 0x1000);
    assert_int_equal(p.cmdline_addr, GiB - 0x2000);
    assert_int_equal(p.setup_data_addr, GiB - 0x3000);
    /* Exactly 128: no node; 129: one entry in it. */
    r.map_count = 128;
    p = plan_ok(&h, &r);
    assert_int_equal(p.setup_data_size, 0);
    assert_int_equal(p.setup_data_addr, 0);
    r.map_count = 129;
    p = plan_ok(&h, &r);
    assert_int_equal(p.setup_data_size, 36);
    /* The caller's own node address. */
    r.map_count = 200;
    r.setup_data_addr = 0x80008;
    p = plan_ok(&h, &r);
    assert_int_equal(p.setup_data_addr, 0x80008);
    /* The largest map any Linux keeps. */
    r = request(g_map, fragmented_map(LNX_E820_MAX_ENTRIES), 0, 1);
    p = plan_ok(&h, &r);
    assert_int_equal(p.setup_data_size, 16 + (3200 - 128) * 20);
}

/* ---- refused: the map ------------------------------------------------------------------ */

static void test_map_refusals(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_e820_entry m[3] = {{MiB, GiB, RAM}, {2 * GiB, MiB, RSV}, {3 * GiB, MiB, RAM}};
    lnx_plan_request r = request(m, 3, 0, 1);
    plan_ok(&h, &r);
    m[1].size = 0;
    plan_refused(&h, &r, LNX_R_E820_ENTRY, 1);
    m[1] = (lnx_e820_entry){0xFFFFFFFFFFFFF000ull, 0x2000, RSV}; /* wraps */
    plan_refused(&h, &r, LNX_R_E820_ENTRY, 1);
    m[1] = (lnx_e820_entry){2 * GiB, MiB, 5}; /* unusable: not one of 1..4 */
    plan_refused(&h, &r, LNX_R_E820_TYPE, 1);
    m[1].type = 0;
    plan_refused(&h, &r, LNX_R_E820_TYPE, 1);
    m[1].type = 8; /* td-shim's private "unaccepted": the caller must decide */
    plan_refused(&h, &r, LNX_R_E820_TYPE, 1);
    m[1] = (lnx_e820_entry){MiB + GiB - 1, MiB, RSV}; /* overlaps entry 0 by one byte */
    plan_refused(&h, &r, LNX_R_E820_ORDER, 1);
    m[1] = (lnx_e820_entry){0, 4096, RSV}; /* descending */
    plan_refused(&h, &r, LNX_R_E820_ORDER, 1);
    r = request(g_map, fragmented_map(LNX_E820_MAX_ENTRIES + 1), 0, 1);
    plan_refused(&h, &r, LNX_R_E820_TOO_MANY, LNX_E820_MAX_ENTRIES + 1);
    r = request(NULL, 3, 0, 1);
    plan_refused(&h, &r, LNX_R_BAD_ARG, 0);
    r = request(m, 0, 0, 1);
    plan_refused(&h, &r, LNX_R_BAD_ARG, 0);
}

/* An entry that ends exactly at 2^64 is fine; so is touching its neighbour. */
static void test_map_edges(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry m[] = {
        {MiB, GiB, RAM},
        {MiB + GiB, MiB, RSV},
        {0xFFFFFFFFFFFFF000ull, 0x1000, RSV},
    };
    lnx_plan_request r = request(m, 3, 0, 1);
    plan_ok(&h, &r);
}

/* ---- refused: fixed choices ----------------------------------------------------------- */

static void test_fixed_refusals(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 0, 32);
    r.boot_params_addr = 0x7D000800;
    plan_refused(&h, &r, LNX_R_MISALIGNED, 0x7D000800);
    r.boot_params_addr = 0;
    r.cmdline_addr = 0xFFFFFFFFFFFFFFF0ull; /* 32 bytes wrap past 2^64 */
    plan_refused(&h, &r, LNX_R_RANGE_WRAPS, 0xFFFFFFFFFFFFFFF0ull);
    r.cmdline_addr = 0xFFFFFFFFFFFFFFE0ull; /* ends at 2^64: not mapped below */
    r.mapped_last = 0xFFFFFFFFFFFFFFFEull;
    plan_refused(&h, &r, LNX_R_OUT_OF_REACH, 0xFFFFFFFFFFFFFFE0ull);
    r.mapped_last = UINT64_MAX;
    r.cmdline_addr = 0x7D000010;
    r.boot_params_addr = 0x7D000000; /* the command line lies inside it */
    plan_refused(&h, &r, LNX_R_OVERLAP, 0x7D000010);
    /* Above 4 GiB: only with XLF_CAN_BE_LOADED_ABOVE_4G. */
    lnx_header n = header_no_4g();
    r.boot_params_addr = 0;
    r.cmdline_addr = 0x100000000ull;
    plan_refused(&n, &r, LNX_R_OUT_OF_REACH, 0x100000000ull);
    r.cmdline_addr = 0xFFFFFFF0ull; /* crosses 4 GiB */
    plan_refused(&n, &r, LNX_R_OUT_OF_REACH, 0xFFFFFFF0ull);
    r.cmdline_addr = 0x100000000ull;
    plan_ok(&h, &r);
    /* A fixed node for a map that needs one: 8-byte aligned. */
    r = request(g_map, fragmented_map(200), 0, 1);
    r.setup_data_addr = 0x80004;
    plan_refused(&n, &r, LNX_R_MISALIGNED, 0x80004);
}

/* ---- refused: no room ----------------------------------------------------------------- */

static void test_kernel_no_room(void **state)
{
    (void)state;
    lnx_header h = default_header();
    static const lnx_e820_entry small[] = {{MiB, 32 * MiB, RAM}}; /* 48 MiB window > RAM */
    lnx_plan_request r = request(small, 1, 0, 1);
    plan_refused(&h, &r, LNX_R_NO_ROOM_KERNEL, 48 * MiB);
    assert_int_equal(lnx_reason_status(LNX_R_NO_ROOM_KERNEL), TDS_ERR_NO_SPACE);
    /* RAM only above 4 GiB: a kernel without the flag has no room, one with it goes there. */
    static const lnx_e820_entry high[] = {{MiB, 8 * MiB, RAM}, {4 * GiB, GiB, RAM}};
    r = request(high, 2, 0, 1);
    lnx_header n = header_no_4g();
    plan_refused(&n, &r, LNX_R_NO_ROOM_KERNEL, 48 * MiB);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.kernel_addr, 4 * GiB);
}

static void test_initrd_larger_than_memory(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 2 * GiB, 1);
    plan_refused(&h, &r, LNX_R_NO_ROOM_INITRD, 2 * GiB);
    r.initrd_size = UINT64_MAX; /* absurd: no wrap, just no room */
    plan_refused(&h, &r, LNX_R_NO_ROOM_INITRD, UINT64_MAX);
}

/* The initrd fits only above 4 GiB and the kernel cannot take it there. */
static void test_initrd_above_4g_without_flag(void **state)
{
    (void)state;
    lnx_header n = header_no_4g();
    static const lnx_e820_entry map[] = {{MiB, 256 * MiB, RAM}, {4 * GiB, 4 * GiB, RAM}};
    lnx_plan_request r = request(map, 2, 1 * GiB, 1);
    plan_refused(&n, &r, LNX_R_INITRD_ABOVE_LIMIT, 8 * GiB - GiB);
    assert_int_equal(lnx_reason_status(LNX_R_INITRD_ABOVE_LIMIT), TDS_ERR_UNSUPPORTED);
    /* Between initrd_addr_max (2 GiB) and 4 GiB is "above the limit" too. */
    static const lnx_e820_entry mid[] = {{MiB, 100 * MiB, RAM}, {3 * GiB, 512 * MiB, RAM}};
    r = request(mid, 2, 128 * MiB, 1);
    plan_refused(&n, &r, LNX_R_INITRD_ABOVE_LIMIT, 3 * GiB + 512 * MiB - 128 * MiB);
    /* With the flag both plan. */
    lnx_header h = default_header();
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.initrd_addr, 3 * GiB + 512 * MiB - 128 * MiB);
}

static void test_small_objects_no_room(void **state)
{
    (void)state;
    lnx_header h = default_header();
    /* RAM = the kernel's window exactly. */
    static const lnx_e820_entry w[] = {{16 * MiB, 48 * MiB, RAM}};
    lnx_plan_request r = request(w, 1, 0, 100);
    plan_refused(&h, &r, LNX_R_NO_ROOM_BOOT_PARAMS, 4096);
    /* The window and one page: boot_params fits, the command line does not. */
    static const lnx_e820_entry w1[] = {{16 * MiB, 48 * MiB + 4096, RAM}};
    r = request(w1, 1, 0, 100);
    plan_refused(&h, &r, LNX_R_NO_ROOM_CMDLINE, 100);
    /* A node too: the window, two pages, and 199 reserved pages. */
    g_map[0] = (lnx_e820_entry){16 * MiB, 48 * MiB + 8192, RAM};
    for (size_t i = 1; i < 200; i++) {
        g_map[i] = (lnx_e820_entry){4 * GiB + (uint64_t)i * 0x2000, 0x1000, RSV};
    }
    r = request(g_map, 200, 0, 100);
    plan_refused(&h, &r, LNX_R_NO_ROOM_SETUP_DATA, 16 + 72 * 20);
    /* Without the flag, RAM above 4 GiB does not help boot_params. */
    lnx_header n = header_no_4g();
    static const lnx_e820_entry hi[] = {{16 * MiB, 48 * MiB, RAM}, {4 * GiB, GiB, RAM}};
    r = request(hi, 2, 0, 100);
    plan_refused(&n, &r, LNX_R_NO_ROOM_BOOT_PARAMS, 4096);
    lnx_plan p = plan_ok(&h, &r);
    assert_int_equal(p.boot_params_addr, 5 * GiB - 4096);
}

/* ---- refused: arguments ------------------------------------------------------------- */

static void test_bad_args(void **state)
{
    (void)state;
    lnx_header h = default_header();
    lnx_plan_request r = request(k_td_map, 6, 0, 1);
    lnx_plan p;
    lnx_error e;
    assert_int_equal(lnx_plan_placement(&h, &r, &p, NULL), TDS_ERR_INVALID_ARG);
    plan_refused(NULL, &r, LNX_R_BAD_ARG, 0);
    assert_int_equal(lnx_plan_placement(&h, NULL, &p, &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(lnx_plan_placement(&h, &r, NULL, &e), TDS_ERR_INVALID_ARG);
    r.cmdline_size = 0; /* no NUL: not a command line */
    plan_refused(&h, &r, LNX_R_BAD_ARG, 0);
    r.cmdline_size = 0x801; /* 0x800 characters, cmdline_size 0x7FF */
    plan_refused(&h, &r, LNX_R_CMDLINE_TOO_LONG, 0x7FF);
    r.cmdline_size = 0x800;
    plan_ok(&h, &r);
    lnx_header z;
    memset(&z, 0, sizeof z); /* never parsed */
    plan_refused(&z, &r, LNX_R_BAD_ARG, 0);
    z = h;
    z.relocatable = false;
    z.pref_address = 0xFFFFFFFFFE000000ull; /* damaged: its window would wrap */
    plan_refused(&z, &r, LNX_R_BAD_ARG, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_td),
        cmocka_unit_test(test_no_initrd),
        cmocka_unit_test(test_hundreds_of_mib),
        cmocka_unit_test(test_initrd_prefers_below_limit),
        cmocka_unit_test(test_kernel_skips_reserved),
        cmocka_unit_test(test_kernel_skips_hole),
        cmocka_unit_test(test_kernel_across_adjacent_entries),
        cmocka_unit_test(test_not_relocatable),
        cmocka_unit_test(test_kernel_floor_1mib),
        cmocka_unit_test(test_fixed_choices),
        cmocka_unit_test(test_top_of_address_space),
        cmocka_unit_test(test_mapped_last),
        cmocka_unit_test(test_200_entries),
        cmocka_unit_test(test_map_refusals),
        cmocka_unit_test(test_map_edges),
        cmocka_unit_test(test_fixed_refusals),
        cmocka_unit_test(test_kernel_no_room),
        cmocka_unit_test(test_initrd_larger_than_memory),
        cmocka_unit_test(test_initrd_above_4g_without_flag),
        cmocka_unit_test(test_small_objects_no_room),
        cmocka_unit_test(test_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
