/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Runtime page-table builder (shim/paging.c), checked by walking the tables it produces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "paging.h"

static shim_pt_page pool[PT_PAGES_NEEDED + 1] __attribute__((aligned(4096)));

#define DATA (PT_P | PT_RW | PT_NX)

static shim_pt_layout layout(void)
{
    shim_pt_layout l;
    memset(&l, 0, sizeof l);
    l.default_flags = DATA;
    l.rom_base = 0xFFE00000;
    l.rom_flags = PT_P | PT_NX;
    l.window = 0;
    l.window_count = 1;
    l.window_default_flags = DATA;
    l.region[0] = (shim_pt_region){0x100000, 0x102000, PT_P};
    l.region[1] = (shim_pt_region){0x102000, 0x103000, PT_P | PT_NX};
    l.region[2] = (shim_pt_region){0x110000, 0x111000, 0};
    l.region[3] = (shim_pt_region){0x111000, 0x121000, DATA};
    l.region_count = 4;
    return l;
}

static void test_attributes_by_walk(void **state)
{
    (void)state;
    shim_pt_layout l = layout();
    uint64_t root = 0;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_OK);
    assert_int_equal(root, (uint64_t)(uintptr_t)&pool[0]);
    /* Code: present, not writable, executable, 4 KiB leaf at the identity address. */
    assert_int_equal(shim_pt_lookup(root, 0x100000), 0x100000 | PT_P);
    assert_int_equal(shim_pt_lookup(root, 0x101FFF), 0x101000 | PT_P);
    assert_int_equal(shim_pt_lookup(root, 0x102123), 0x102000 | PT_P | PT_NX);
    /* Guard page not present; pages next to it as given. */
    assert_int_equal(shim_pt_lookup(root, 0x110000), 0);
    assert_int_equal(shim_pt_lookup(root, 0x110FFF), 0);
    assert_int_equal(shim_pt_lookup(root, 0x10F000), 0x10F000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x111000), 0x111000 | DATA);
    /* Outside the regions but inside the window: window default. */
    assert_int_equal(shim_pt_lookup(root, 0x0), 0x0 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x1FF000), 0x1FF000 | DATA);
    /* 2 MiB pages elsewhere, the ROM read-only, nothing above 4 GiB. */
    assert_int_equal(shim_pt_lookup(root, 0x200000), 0x200000 | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0xFEE00020), 0xFEE00000 | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0xFFDFFFFF), 0xFFC00000 | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0xFFFFFFF0), 0xFFE00000 | PT_P | PT_NX | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0x100000000ull), 0);
    assert_int_equal(shim_pt_lookup(root, 0x800000000000ull), 0);
}

static void test_window_elsewhere(void **state)
{
    (void)state;
    shim_pt_layout l = layout();
    uint64_t root = 0;
    l.window = 0x40000000; /* second GiB */
    l.region[0] = (shim_pt_region){0x40000000, 0x40001000, 0};
    l.region_count = 1;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_OK);
    assert_int_equal(shim_pt_lookup(root, 0x40000000), 0);
    assert_int_equal(shim_pt_lookup(root, 0x40001000), 0x40001000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x100000), 0x000000 | DATA | PT_PS);
}

/* A window of two 2 MiB blocks: regions may run across the block boundary; the block count is
 * checked (0, more than PT_WINDOW_MAX, or past 4 GiB). */
static void test_window_two_blocks(void **state)
{
    (void)state;
    shim_pt_layout l = layout();
    l.window_count = 2;
    l.region[3] = (shim_pt_region){0x111000, 0x2FF000, DATA};
    l.region[4] = (shim_pt_region){0x2FF000, 0x300000, 0};
    l.region_count = 5;
    uint64_t root = 0;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_OK);
    assert_int_equal(shim_pt_lookup(root, 0x1FF000), 0x1FF000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x200000), 0x200000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x2FF000), 0);
    assert_int_equal(shim_pt_lookup(root, 0x300000), 0x300000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x3FF000), 0x3FF000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x400000), 0x400000 | DATA | PT_PS);
    l.region[4].end = 0x401000; /* past the two blocks */
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_OUT_OF_BOUNDS);
    l.region_count = 4;
    l.window_count = 0;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    l.window_count = PT_WINDOW_MAX + 1u;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    l.region_count = 0;
    l.window = 0xFFE00000; /* the last block below 4 GiB: one fits, two do not */
    l.window_count = 2;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    l.window_count = 1;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_OK);
}

static void test_rejects(void **state)
{
    (void)state;
    uint64_t root = 0xAAAA;
    shim_pt_layout l = layout();
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED - 1, &l, &root), TDS_ERR_NO_SPACE);
    assert_int_equal(shim_pt_build((shim_pt_page *)&pool[0][1], PT_PAGES_NEEDED, &l, &root),
                     TDS_ERR_ALIGNMENT);
    l.region[1].start = 0x101000; /* overlaps region 0 */
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_OUT_OF_BOUNDS);
    l = layout();
    l.region[3].end = 0x201000; /* leaves the window */
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_OUT_OF_BOUNDS);
    l = layout();
    l.region[2].end = l.region[2].start; /* empty */
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_OUT_OF_BOUNDS);
    l = layout();
    l.region[0].end = 0x101800;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_ALIGNMENT);
    l = layout();
    l.region[0].flags |= 0x5000; /* an address in the flags */
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    l = layout();
    l.window = 0x100000; /* not 2 MiB aligned */
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    l = layout();
    l.rom_base = 0x100000000ull;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    l = layout();
    l.region_count = PT_MAX_REGIONS + 1;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_ERR_INVALID_ARG);
    assert_int_equal(root, 0xAAAA);
}

/* Tables built from the layout plus an extra pool for shim_pt_map. */
static shim_pt_page extra[4] __attribute__((aligned(4096)));

static uint64_t built(shim_pt_alloc *a, uint32_t extra_pages)
{
    shim_pt_layout l = layout();
    uint64_t root = 0;
    assert_int_equal(shim_pt_build(pool, PT_PAGES_NEEDED, &l, &root), TDS_OK);
    a->pages = extra;
    a->cap = extra_pages;
    a->used = 0;
    return root;
}

static void test_map_high_ram_1g(void **state)
{
    (void)state;
    shim_pt_alloc a;
    const uint64_t root = built(&a, 4);
    /* [4 GiB, 7 GiB + 6 MiB): three 1 GiB leaves in the existing PDPT, then 2 MiB leaves in one
     * new PD. */
    assert_int_equal(
        shim_pt_map(root, &a, 0x100000000ull, 0x100000000ull, 0xC0600000ull, DATA, true), TDS_OK);
    assert_int_equal(a.used, 1);
    assert_int_equal(shim_pt_lookup(root, 0x100000000ull), 0x100000000ull | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0x1BFFFFFFFull), 0x180000000ull | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0x1C0000000ull), 0x1C0000000ull | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0x1C05FFFFFull), 0x1C0400000ull | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0x1C0600000ull), 0);
    /* The low 4 GiB are untouched. */
    assert_int_equal(shim_pt_lookup(root, 0x100000), 0x100000 | PT_P);
    assert_int_equal(shim_pt_lookup(root, 0xFFFFFFF0), 0xFFE00000 | PT_P | PT_NX | PT_PS);
}

static void test_map_high_ram_2m_and_pool_limit(void **state)
{
    (void)state;
    shim_pt_alloc a;
    uint64_t root = built(&a, 4);
    /* Without 1 GiB pages each GiB takes a PD: 2 GiB fit in 2 pages. */
    assert_int_equal(
        shim_pt_map(root, &a, 0x100000000ull, 0x100000000ull, 0x80000000ull, DATA, false), TDS_OK);
    assert_int_equal(a.used, 2);
    assert_int_equal(shim_pt_lookup(root, 0x17FFFFFFFull), 0x17FE00000ull | DATA | PT_PS);
    /* Beyond 512 GiB a new PDPT is needed too: 3 more pages, only 2 left. */
    assert_int_equal(
        shim_pt_map(root, &a, 0x8000000000ull, 0x8000000000ull, 0x80000000ull, DATA, false),
        TDS_ERR_NO_SPACE);
    assert_int_equal(a.used, 4);
}

static void test_split_keeps_attributes(void **state)
{
    (void)state;
    shim_pt_alloc a;
    const uint64_t root = built(&a, 4);
    /* One 4 KiB page not present inside a 2 MiB data page: the rest keeps its flags. */
    assert_int_equal(shim_pt_map(root, &a, 0x601000, 0x601000, 0x1000, 0, false), TDS_OK);
    assert_int_equal(a.used, 1);
    assert_int_equal(shim_pt_lookup(root, 0x601000), 0);
    assert_int_equal(shim_pt_lookup(root, 0x600000), 0x600000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x602000), 0x602000 | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x7FF000), 0x7FF000 | DATA);
    /* Split a 1 GiB leaf down to 4 KiB: a PD and a PT. */
    assert_int_equal(
        shim_pt_map(root, &a, 0x100000000ull, 0x100000000ull, 0x40000000ull, DATA, true), TDS_OK);
    assert_int_equal(shim_pt_map(root, &a, 0x100203000ull, 0x100203000ull, 0x1000, PT_P, false),
                     TDS_OK);
    assert_int_equal(a.used, 3);
    assert_int_equal(shim_pt_lookup(root, 0x100203000ull), 0x100203000ull | PT_P);
    assert_int_equal(shim_pt_lookup(root, 0x100204000ull), 0x100204000ull | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x100000000ull), 0x100000000ull | DATA | PT_PS);
    assert_int_equal(shim_pt_lookup(root, 0x13FFFF000ull), 0x13FE00000ull | DATA | PT_PS);
}

static void test_shared_bit_alias(void **state)
{
    (void)state;
    shim_pt_alloc a;
    const uint64_t root = built(&a, 4);
    const uint64_t shared = 0x800000000000ull;
    assert_int_equal(shim_pt_set_pa_bits(root, &a, 0x1000000, 0x2000, shared), TDS_OK);
    /* Same VA, PTE address with bit 47, flags kept; neighbours unchanged. */
    assert_int_equal(shim_pt_lookup(root, 0x1000000), (0x1000000 | shared) | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x1001FFF), (0x1001000 | shared) | DATA);
    assert_int_equal(shim_pt_lookup(root, 0x1002000), 0x1002000 | DATA);
    /* Back to private: the identity address again; no new table. */
    assert_int_equal(shim_pt_set_pa_bits(root, &a, 0x1000000, 0x2000, 0), TDS_OK);
    assert_int_equal(shim_pt_lookup(root, 0x1000000), 0x1000000 | DATA);
    assert_int_equal(a.used, 1);
    /* Unmapped pages, bits outside the address field. */
    assert_int_equal(shim_pt_set_pa_bits(root, &a, 0x200000000000ull, 0x1000, shared),
                     TDS_ERR_NOT_FOUND);
    assert_int_equal(shim_pt_set_pa_bits(root, &a, 0x1000000, 0x1000, PT_NX), TDS_ERR_INVALID_ARG);
}

static void test_map_rejects(void **state)
{
    (void)state;
    shim_pt_alloc a;
    const uint64_t root = built(&a, 4);
    assert_int_equal(shim_pt_map(root, &a, 0x1000, 0x1000, 0, DATA, false), TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_pt_map(root, &a, 0x1000, 0x1000, 0x1000, DATA | PT_PS, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_pt_map(root, &a, 0x1000, 0x1000, 0x1000, DATA | 0x5000, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(shim_pt_map(root, &a, 0x1800, 0x1800, 0x1000, DATA, false), TDS_ERR_ALIGNMENT);
    assert_int_equal(shim_pt_map(root, &a, 0x1000, 0x1000, 0x1800, DATA, false), TDS_ERR_ALIGNMENT);
    /* VA into the upper half / wrapping, PA beyond 2^52. */
    assert_int_equal(shim_pt_map(root, &a, 0x7FFFFFFFF000ull, 0, 0x2000, DATA, false),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(shim_pt_map(root, &a, 0x1000, 0xFFFFFFFFFF000ull, 0x2000, DATA, false),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(shim_pt_map(root, NULL, 0x1000, 0x1000, 0x1000, DATA, false),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(a.used, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attributes_by_walk),
        cmocka_unit_test(test_window_elsewhere),
        cmocka_unit_test(test_window_two_blocks),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_map_high_ram_1g),
        cmocka_unit_test(test_map_high_ram_2m_and_pool_limit),
        cmocka_unit_test(test_split_keeps_attributes),
        cmocka_unit_test(test_shared_bit_alias),
        cmocka_unit_test(test_map_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
