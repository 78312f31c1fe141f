/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload's real entry stubs (entry.S) on the host, called the two ways docs/handoff.md §7
 * says the shim calls them: tdp_entry as a System V function (RDI, RSI) and tdp_entry_ms as a
 * Microsoft x64 function (ms_abi: RCX, RDX, 32 bytes of shadow space), both by a compiler
 * that leaves RSP % 16 == 8 at the entry. This file's tdp_main stands in for the payload's: it
 * records what the stub passed on (HOB, base, which ABI, RSP at the entry, its own alignment) and
 * longjmps back, since the real one never returns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tdp_entry_abi.h"

/* The stubs' real prototypes: what the shim calls (docs/handoff.md §7). */
void tdp_entry(uint64_t hob, uint64_t base);
__attribute__((ms_abi)) void tdp_entry_ms(uint64_t hob, uint64_t base);
_Noreturn void tdp_main(uint64_t hob, uint64_t base, uint32_t abi, uint64_t entry_rsp);

static jmp_buf g_back;
static struct {
    uint64_t hob, base, entry_rsp, main_frame;
    uint32_t abi;
    unsigned calls;
} g_seen;

_Noreturn void tdp_main(uint64_t hob, uint64_t base, uint32_t abi, uint64_t entry_rsp)
{
    g_seen.hob = hob;
    g_seen.base = base;
    g_seen.abi = abi;
    g_seen.entry_rsp = entry_rsp;
    /* With frame pointers (the sanitizer build): RBP = RSP at entry - 8, so 16-aligned. */
    g_seen.main_frame = (uint64_t)(uintptr_t)__builtin_frame_address(0);
    g_seen.calls++;
    longjmp(g_back, 1);
}

static void check(uint64_t hob, uint64_t base, uint32_t abi)
{
    assert_int_equal(g_seen.calls, 1);
    assert_int_equal(g_seen.hob, hob);
    assert_int_equal(g_seen.base, base);
    assert_int_equal(g_seen.abi, abi);
    assert_int_equal(g_seen.entry_rsp % 16, 8);
    assert_int_equal(g_seen.main_frame % 16, 0);
}

static void test_sysv_entry(void **state)
{
    (void)state;
    g_seen.calls = 0;
    if (setjmp(g_back) == 0) {
        tdp_entry(0x7ff00008ull, 0x1000000ull);
        fail_msg("tdp_entry returned");
    }
    check(0x7ff00008ull, 0x1000000ull, TDP_ENTRY_ABI_SYSV);
}

static void test_ms_entry(void **state)
{
    (void)state;
    g_seen.calls = 0;
    if (setjmp(g_back) == 0) {
        tdp_entry_ms(0x7ff00010ull, 0x1000000ull);
        fail_msg("tdp_entry_ms returned");
    }
    check(0x7ff00010ull, 0x1000000ull, TDP_ENTRY_ABI_MS);
}

/*
 * The MS stub reads RCX/RDX, not RDI/RSI: called with different markers in the two pairs, it must
 * pass on the RCX/RDX ones. The call is made from assembly (a real function, so no red zone or
 * alignment assumptions about the caller), because calling through a mismatched C function type
 * would be undefined behaviour.
 */
void tdp_test_call_ms_with_markers(void);
__asm__(".text\n"
        ".globl tdp_test_call_ms_with_markers\n"
        ".type tdp_test_call_ms_with_markers, @function\n"
        "tdp_test_call_ms_with_markers:\n"
        "    sub $40, %rsp\n" /* RSP % 16 == 0 at the call; 32 bytes of shadow space */
        "    movabs $0x1111111111111110, %rdi\n"
        "    movabs $0x2222222222222220, %rsi\n"
        "    movabs $0x3333333333333330, %rcx\n"
        "    movabs $0x4444444444444440, %rdx\n"
        "    call tdp_entry_ms@PLT\n" /* longjmps out through tdp_main */
        "    add $40, %rsp\n"
        "    ret\n"
        ".size tdp_test_call_ms_with_markers, . - tdp_test_call_ms_with_markers\n");

static void test_ms_entry_reads_rcx_rdx(void **state)
{
    (void)state;
    g_seen.calls = 0;
    if (setjmp(g_back) == 0) {
        tdp_test_call_ms_with_markers();
        fail_msg("tdp_entry_ms returned");
    }
    check(0x3333333333333330ull, 0x4444444444444440ull, TDP_ENTRY_ABI_MS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sysv_entry),
        cmocka_unit_test(test_ms_entry),
        cmocka_unit_test(test_ms_entry_reads_rcx_rdx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
