/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The acceptance check against libtdcall's TDX-module emulator (real wrappers, emulated module):
 * a 4 KiB-mapped range (2 MiB accepts answer SIZE_MISMATCH and are re-asked as 4 KiB), a 2 MiB
 * mapped range and a pending range; then a pending page hidden in RAM, a pending 2 MiB block, an
 * "unaccepted" range that is accepted, RAM outside the module's map and an unaligned entry.
 * The emulator's counters confirm the calls the check reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tdp_accept.h"
#include "tdp_fixture.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/tdx_emu_backend.h"

#define R0 0x0ull       /* [0, 4M) 4 KiB mapped, accepted */
#define R1 0x400000ull  /* [4M, 16M) 2 MiB mapped, accepted */
#define R2 0x1000000ull /* [16M, 20M) 2 MiB mapped, pending */

static uint8_t g_st0[0x400000 / 4096];
static uint8_t g_st1[0xC00000 / 4096];
static uint8_t g_st2[0x400000 / 4096];
static struct tdx_emu g_emu;
static struct fx_capture g_cap;

static tds_status op_accept(void *ctx, uint64_t gpa, bool level_2m)
{
    (void)ctx;
    tdcall_status hw;
    return tdcall_mem_page_accept(gpa, level_2m ? TDCALL_PAGE_2M : TDCALL_PAGE_4K, &hw);
}

static tds_status op_pending(void *ctx, uint64_t gpa, bool *pending)
{
    (void)ctx;
    struct tdcall_page_attr a;
    tdcall_status hw;
    TDS_TRY(tdcall_mem_page_attr_rd(gpa, &a, &hw));
    *pending = a.pending;
    return TDS_OK;
}

static const tdp_accept_ops g_ops = {.ctx = NULL, .accept = op_accept, .pending = op_pending};

static int setup(void **state)
{
    (void)state;
    static struct tdx_emu_range ranges[3];
    ranges[0] =
        (struct tdx_emu_range){R0, 0x400000, TDX_EMU_PAGE_ACCEPTED, TDCALL_PAGE_4K, g_st0, NULL};
    ranges[1] =
        (struct tdx_emu_range){R1, 0xC00000, TDX_EMU_PAGE_ACCEPTED, TDCALL_PAGE_2M, g_st1, NULL};
    ranges[2] =
        (struct tdx_emu_range){R2, 0x400000, TDX_EMU_PAGE_PENDING, TDCALL_PAGE_2M, g_st2, NULL};
    struct tdx_emu_config cfg = {.gpaw = 48, .num_vcpus = 1, .ranges = ranges, .range_count = 3};
    if (tdx_emu_init(&g_emu, &cfg) != TDS_OK) {
        return -1;
    }
    tdx_emu_backend_install(&g_emu);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    return 0;
}

static const tdhob_e820_entry g_good[] = {
    {0x1000, 0x3FF000, 1}, /* 511 x 4K, then 2M at 0x200000 -> SIZE_MISMATCH -> 512 x 4K */
    {R1, 0xC00000, 1},     /* 6 x 2M */
    {R2, 0x400000, 8},     /* sampled: first, middle, last page */
};

static void test_good(void **state)
{
    (void)state;
    assert_int_equal(setup(NULL), 0);
    struct tdx_emu_counters before;
    struct tdx_emu_counters after;
    tdx_emu_counters_get(&g_emu, &before);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_accept_stats st;
    assert_int_equal(tdp_accept_check(&sink, g_good, 3, &g_ops, &st), TDS_OK);
    tdx_emu_counters_get(&g_emu, &after);
    assert_int_equal(st.ram_bytes, 0xFFF000);
    assert_int_equal(st.calls_2m, 7);
    assert_int_equal(st.calls_4k, 511 + 512);
    assert_int_equal(st.split_2m, 1);
    assert_int_equal(st.samples, 3);
    assert_int_equal(st.samples_pending, 3);
    assert_int_equal(after.accept_calls[0] - before.accept_calls[0], 1023);
    assert_int_equal(after.accept_calls[1] - before.accept_calls[1], 7);
    assert_int_equal(after.accepted_bytes, before.accepted_bytes); /* nothing was accepted */
    assert_true(fx_has_line(&g_cap, "tdpayload: accept ram bytes=0xfff000 calls 2m=7 4k=1023 "
                                    "split=1 not_accepted=0x0 ok"));
    assert_true(
        fx_has_line(&g_cap, "tdpayload: accept unaccepted bytes=0x400000 samples=3 pending=3 ok"));
    teardown(NULL);
}

static void test_pending_page_in_ram(void **state)
{
    (void)state;
    assert_int_equal(setup(NULL), 0);
    assert_int_equal(tdx_emu_page_set(&g_emu, 0x5000, 0x1000, TDX_EMU_PAGE_PENDING), TDS_OK);
    assert_int_equal(tdx_emu_page_set(&g_emu, 0x600000, 0x200000, TDX_EMU_PAGE_PENDING), TDS_OK);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_accept_stats st;
    assert_int_equal(tdp_accept_check(&sink, g_good, 3, &g_ops, &st), TDS_ERR_MISMATCH);
    assert_int_equal(st.not_accepted, 0x201000);
    assert_int_equal(st.first_bad, 0x5000);
    assert_int_equal(st.ram_bytes, 0xFFF000); /* kept going: every byte was asked */
    assert_true(fx_has_line(&g_cap, "tdpayload: accept ram bytes=0xfff000 calls 2m=7 4k=1023 "
                                    "split=1 not_accepted=0x201000 FAIL mismatch first=0x5000"));
    teardown(NULL);
}

static void test_unaccepted_already_accepted(void **state)
{
    (void)state;
    assert_int_equal(setup(NULL), 0);
    /* Middle page of the type-8 range accepted behind the map's back. */
    assert_int_equal(tdx_emu_page_set(&g_emu, R2 + 0x200000, 0x1000, TDX_EMU_PAGE_ACCEPTED),
                     TDS_OK);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_accept_stats st;
    assert_int_equal(tdp_accept_check(&sink, g_good, 3, &g_ops, &st), TDS_ERR_MISMATCH);
    assert_int_equal(st.samples, 3);
    assert_int_equal(st.samples_pending, 2);
    assert_true(fx_has_line(&g_cap, "tdpayload: accept unaccepted bytes=0x400000 samples=3 "
                                    "pending=2 FAIL mismatch at=0x1200000"));
    teardown(NULL);
}

static void test_ram_outside_module_map(void **state)
{
    (void)state;
    assert_int_equal(setup(NULL), 0);
    const tdhob_e820_entry e[] = {{R1, 0xC00000 + 0x1000000, 1}};
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_accept_stats st;
    /* R2 is pending: its 2M accepts succeed (MISMATCH, counted); then 0x1400000 is unmapped. */
    assert_int_equal(tdp_accept_check(&sink, e, 1, &g_ops, &st), TDS_ERR_DEVICE);
    assert_int_equal(st.not_accepted, 0x400000);
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: accept ram bytes=0x1000000 "), 1);
    teardown(NULL);
}

/* A module that refuses a 2 MiB page outright (seen with the shim's emulator where two of its
 * ranges meet inside one 2 MiB block): the block is re-asked page by page. */
static void test_2m_refused_is_split(void **state)
{
    (void)state;
    assert_int_equal(setup(NULL), 0);
    const struct tdx_emu_faults f = {.leaf = TDCALL_LEAF_MEM_PAGE_ACCEPT,
                                     .leaf_count = 1,
                                     .leaf_status = TDX_EPT_ENTRY_NOT_PRESENT | 1u};
    tdx_emu_faults_set(&g_emu, &f);
    const tdhob_e820_entry e[] = {{R1, 0x400000, 1}};
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_accept_stats st;
    assert_int_equal(tdp_accept_check(&sink, e, 1, &g_ops, &st), TDS_OK);
    assert_int_equal(st.calls_2m, 2);
    assert_int_equal(st.calls_4k, 512);
    assert_int_equal(st.split_2m, 1);
    assert_int_equal(st.not_accepted, 0);
    assert_true(fx_has_line(&g_cap, "tdpayload: accept ram bytes=0x400000 calls 2m=2 4k=512 "
                                    "split=1 not_accepted=0x0 ok"));
    teardown(NULL);
}

static void test_unaligned_and_args(void **state)
{
    (void)state;
    assert_int_equal(setup(NULL), 0);
    const tdhob_e820_entry e[] = {{0x1800, 0x1000, 1}};
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_accept_stats st;
    assert_int_equal(tdp_accept_check(&sink, e, 1, &g_ops, &st), TDS_ERR_ALIGNMENT);
    assert_int_equal(st.first_bad, 0x1800);
    const tdhob_e820_entry u[] = {{R2, 0x1800, 8}};
    assert_int_equal(tdp_accept_check(&sink, u, 1, &g_ops, &st), TDS_ERR_ALIGNMENT);
    const tdp_accept_ops none = {0};
    assert_int_equal(tdp_accept_check(&sink, e, 1, &none, &st), TDS_ERR_INVALID_ARG);
    /* A one-page unaccepted entry is sampled once. */
    const tdhob_e820_entry one[] = {{R2, 0x1000, 8}};
    assert_int_equal(tdp_accept_check(&sink, one, 1, &g_ops, &st), TDS_OK);
    assert_int_equal(st.samples, 1);
    teardown(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_pending_page_in_ram),
        cmocka_unit_test(test_unaccepted_already_accepted),
        cmocka_unit_test(test_ram_outside_module_map),
        cmocka_unit_test(test_2m_refused_is_split),
        cmocka_unit_test(test_unaligned_and_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
