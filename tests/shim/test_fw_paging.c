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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_attributes_by_walk),
        cmocka_unit_test(test_window_elsewhere),
        cmocka_unit_test(test_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
