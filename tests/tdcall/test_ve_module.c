/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The #VE handler when the TDX module refuses the TDVMCALL (RAX != 0 from leaf 0): a fake
 * tdcall_raw() plays that module (the emulator only refuses illegal masks, which the wrappers
 * never build). The result must be TDX_VE_ERR_TDCALL / TDS_ERR_DEVICE with registers untouched. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/tdx_ve.h"

static unsigned g_calls;

uint64_t tdcall_raw(struct tdcall_regs *regs)
{
    g_calls++;
    regs->rax = 0xC000010000000001ull; /* OPERAND_INVALID (RCX) */
    return regs->rax;
}

static void test_module_refuses_vmcall(void **state)
{
    (void)state;
    static const uint32_t reasons[] = {TDX_VE_EXIT_HLT, TDX_VE_EXIT_IO, TDX_VE_EXIT_RDMSR,
                                       TDX_VE_EXIT_WRMSR, TDX_VE_EXIT_CPUID};
    const struct tdx_ve_config cfg = {1ull << 47, TDX_VE_CPUID_ALL_TO_VMM};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        struct tdx_ve_regs r;
        memset(&r, 0x11, sizeof r);
        const struct tdx_ve_regs before = r;
        struct tdcall_ve_info ve;
        memset(&ve, 0, sizeof ve);
        ve.exit_reason = reasons[i];
        ve.instr_length = 2;
        ve.exit_qualification = (0x80ull << 16) | 8u; /* IN AL, 0x80 */
        struct tdx_ve_report rep;
        const unsigned calls = g_calls;
        assert_int_equal(tdcall_ve_handle(&r, &ve, tds_bytes_make(NULL, 0), &cfg, &rep),
                         TDS_ERR_DEVICE);
        assert_int_equal(g_calls, calls + 1);
        assert_int_equal(rep.error, TDX_VE_ERR_TDCALL);
        assert_true(rep.vmcall_done);
        assert_int_equal(rep.vs.code, TDVMCALL_TDCALL_FAILED);
        assert_int_equal(rep.call, TDS_ERR_DEVICE);
        assert_memory_equal(&r, &before, sizeof r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_module_refuses_vmcall)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
