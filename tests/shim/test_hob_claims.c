/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * shim_hob_accepted_in_sections: RAM the TD HOB calls accepted must lie in sections of the
 * image's metadata that the VMM adds (PAGE.ADD), never elsewhere.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hob.h"

/* The default layout: CFV, BFV, TD_HOB 0x800000+128K, TempMem 0x100000+7M. */
static tdvf_meta layout(void)
{
    tdvf_meta m;
    memset(&m, 0, sizeof m);
    const tdvf_section s[] = {
        {0x10000, 0x200000, 0xFFE00000, 0x200000, TDVF_SEC_BFV, TDVF_ATTR_MR_EXTEND},
        {0, 0x10000, 0xFFDF0000, 0x10000, TDVF_SEC_CFV, 0},
        {0, 0, 0x800000, 0x20000, TDVF_SEC_TD_HOB, 0},
        {0, 0, 0x100000, 0x700000, TDVF_SEC_TEMP_MEM, 0},
    };
    memcpy(m.sec, s, sizeof s);
    m.count = 4;
    return m;
}

static bool check(const tdhob_mem_range *map, size_t n, const tdvf_meta *m, uint64_t *b,
                  uint64_t *e)
{
    *b = 7;
    *e = 7;
    return shim_hob_accepted_in_sections(map, n, m, b, e);
}

static void test_tempmem_and_hob_section(void **state)
{
    (void)state;
    const tdvf_meta m = layout();
    uint64_t b = 0;
    uint64_t e = 0;
    /* QEMU's HOB: [1M, 8M+128K) accepted, spanning TempMem and the TD_HOB section. */
    const tdhob_mem_range ok[] = {{0, 0x100000, TDHOB_MEM_UNACCEPTED},
                                  {0x100000, 0x720000, TDHOB_MEM_ACCEPTED},
                                  {0x820000, 0xF7E0000, TDHOB_MEM_UNACCEPTED}};
    assert_true(check(ok, 3, &m, &b, &e));
    assert_true(b == 7 && e == 7);
    /* Reserved and MMIO ranges are no claim of acceptance. */
    const tdhob_mem_range other[] = {{0x40000000, 0x1000, TDHOB_MEM_RESERVED},
                                     {0xC0000000, 0x1000, TDHOB_MEM_MMIO}};
    assert_true(check(other, 2, &m, &b, &e));
}

static void test_outside_every_section(void **state)
{
    (void)state;
    const tdvf_meta m = layout();
    uint64_t b = 0;
    uint64_t e = 0;
    const tdhob_mem_range lie[] = {{0x40000000, 0x200000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(lie, 1, &m, &b, &e));
    assert_true(b == 0x40000000 && e == 0x40200000);
    /* One page past the TD_HOB section. */
    const tdhob_mem_range past[] = {{0x100000, 0x721000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(past, 1, &m, &b, &e));
    assert_true(b == 0x820000 && e == 0x821000);
    /* A page below TempMem, up to where TempMem starts. */
    const tdhob_mem_range below[] = {{0xFF000, 0x2000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(below, 1, &m, &b, &e));
    assert_true(b == 0xFF000 && e == 0x100000);
    /* A hole between two sections. */
    tdvf_meta holey = layout();
    holey.sec[3].mem_size = 0x600000; /* TempMem ends at 7M: [7M, 8M) is in no section */
    const tdhob_mem_range span[] = {{0x100000, 0x720000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(span, 1, &holey, &b, &e));
    assert_true(b == 0x700000 && e == 0x800000);
}

static void test_page_aug_sections_are_not_added(void **state)
{
    (void)state;
    tdvf_meta m = layout();
    /* PermMem with PAGE.AUG: the VMM does not add it, the TD accepts it. */
    const tdvf_section perm = {0, 0, 0x10000000, 0x1000000, TDVF_SEC_PERM_MEM, TDVF_ATTR_PAGE_AUG};
    m.sec[m.count++] = perm;
    uint64_t b = 0;
    uint64_t e = 0;
    const tdhob_mem_range claim[] = {{0x10000000, 0x1000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(claim, 1, &m, &b, &e));
    m.sec[m.count - 1].attributes = 0; /* added by the VMM: then the claim can be true */
    assert_true(check(claim, 1, &m, &b, &e));
    /* TD_INFO / TD_PARAMS are not guest RAM the VMM adds as memory. */
    const tdvf_section info = {0, 0, 0x20000000, 0x1000, TDVF_SEC_TD_INFO, 0};
    m.sec[m.count++] = info;
    const tdhob_mem_range at_info[] = {{0x20000000, 0x1000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(at_info, 1, &m, &b, &e));
}

static void test_top_of_address_space(void **state)
{
    (void)state;
    tdvf_meta m = layout();
    /* A section whose range would wrap is no cover; a range at the top that does not wrap is. */
    const tdvf_section top = {0, 0, UINT64_MAX - 0xFFF, 0x1000, TDVF_SEC_TEMP_MEM, 0};
    m.sec[m.count++] = top;
    uint64_t b = 0;
    uint64_t e = 0;
    const tdhob_mem_range claim[] = {{UINT64_MAX - 0xFFF, 0x1000, TDHOB_MEM_ACCEPTED}};
    assert_false(check(claim, 1, &m, &b, &e)); /* the section's end wraps: not a cover */
    const tdvf_section near = {0, 0, UINT64_MAX - 0x1FFF, 0x1000, TDVF_SEC_TEMP_MEM, 0};
    m.sec[m.count - 1] = near;
    const tdhob_mem_range claim2[] = {{UINT64_MAX - 0x1FFF, 0x1000, TDHOB_MEM_ACCEPTED}};
    assert_true(check(claim2, 1, &m, &b, &e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tempmem_and_hob_section),
        cmocka_unit_test(test_outside_every_section),
        cmocka_unit_test(test_page_aug_sections_are_not_added),
        cmocka_unit_test(test_top_of_address_space),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
