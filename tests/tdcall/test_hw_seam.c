/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The real assembly seam (tdcall_hw) on the host. Outside a TD, TDCALL raises #UD, i.e. SIGILL:
 * a SIGILL handler plays the TDX module by handing the trapped register file to the emulator,
 * writing the results back and stepping over the 4-byte instruction — the same thing the
 * shim's #UD handler will do in its test image. This checks the asm's register contract end to
 * end: which registers are loaded and stored, that callee-saved registers and RBP survive a
 * VMM that scribbles on every exposed register, and that the instruction bytes are 66 0F 01 CC.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#include <cmocka.h>

#include "emu_fixture.h"
#include "tdshim/tdvmcall.h"

static struct fixture fx;
static uint8_t *g_mem;
static volatile sig_atomic_t g_traps;
static volatile sig_atomic_t g_bad_bytes;
static volatile uint64_t g_rbp_at_trap;

static void on_sigill(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    const uint8_t *ip = (const uint8_t *)(uintptr_t)g[REG_RIP];
    static const uint8_t tdcall_bytes[4] = {0x66, 0x0F, 0x01, 0xCC};
    if (memcmp(ip, tdcall_bytes, 4) != 0) {
        g_bad_bytes = 1;
        abort();
    }
    g_rbp_at_trap = (uint64_t)g[REG_RBP];
    struct tdcall_regs r;
    r.rax = (uint64_t)g[REG_RAX];
    r.rcx = (uint64_t)g[REG_RCX];
    r.rdx = (uint64_t)g[REG_RDX];
    r.rbx = (uint64_t)g[REG_RBX];
    r.rsi = (uint64_t)g[REG_RSI];
    r.rdi = (uint64_t)g[REG_RDI];
    r.r8 = (uint64_t)g[REG_R8];
    r.r9 = (uint64_t)g[REG_R9];
    r.r10 = (uint64_t)g[REG_R10];
    r.r11 = (uint64_t)g[REG_R11];
    r.r12 = (uint64_t)g[REG_R12];
    r.r13 = (uint64_t)g[REG_R13];
    r.r14 = (uint64_t)g[REG_R14];
    r.r15 = (uint64_t)g[REG_R15];
    (void)tdx_emu_dispatch(&fx.emu, 1, &r);
    g[REG_RAX] = (greg_t)r.rax;
    g[REG_RCX] = (greg_t)r.rcx;
    g[REG_RDX] = (greg_t)r.rdx;
    g[REG_RBX] = (greg_t)r.rbx;
    g[REG_RSI] = (greg_t)r.rsi;
    g[REG_RDI] = (greg_t)r.rdi;
    g[REG_R8] = (greg_t)r.r8;
    g[REG_R9] = (greg_t)r.r9;
    g[REG_R10] = (greg_t)r.r10;
    g[REG_R11] = (greg_t)r.r11;
    g[REG_R12] = (greg_t)r.r12;
    g[REG_R13] = (greg_t)r.r13;
    g[REG_R14] = (greg_t)r.r14;
    g[REG_R15] = (greg_t)r.r15;
    g[REG_RIP] += 4;
    g_traps++;
}

/* cmocka installs its own SIGILL handler around every test body: take it over inside it. */
static void trap_tdcall(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGILL, &sa, NULL), 0);
}

static uint64_t hook_io(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                        uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    (void)size;
    if (!write) {
        *value = 0xABCD0000u | port;
    }
    return 0;
}

static int setup(void **state)
{
    (void)state;
    fixture_init(&fx, g_mem, 52);
    fx.cfg.hooks.io = hook_io;
    fx.cfg.scribble_vmcall_regs = true;
    if (tdx_emu_init(&fx.emu, &fx.cfg) != TDS_OK) {
        return -1;
    }
    g_traps = 0;
    return 0;
}

static void test_vp_info_through_asm(void **state)
{
    (void)state;
    trap_tdcall();
    struct tdcall_td_info info;
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_OK);
    assert_int_equal(g_traps, 1);
    assert_int_equal(info.gpaw, 52);
    assert_int_equal(info.vcpu_index, 1);
    assert_int_equal(info.num_vcpus, 4);
    assert_int_equal(info.max_vcpus, 8);
}

static void test_accept_and_rtmr_through_asm(void **state)
{
    (void)state;
    trap_tdcall();
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(0x3000, TDCALL_PAGE_4K, &hw), TDS_OK);
    assert_int_equal(g_mem[0x3000], 0);
    assert_int_equal(tdcall_mem_page_accept(0x3000, TDCALL_PAGE_4K, &hw), TDS_ERR_STATE);
    assert_true(hw.raw == 0x00000B0A00000000ull);
    static struct tdcall_digest48 d;
    memset(d.bytes, 1, 48);
    assert_int_equal(tdcall_mr_rtmr_extend(3, &d, NULL), TDS_OK);
    /* SHA-384(48 zero bytes || 48 x 01), from OpenSSL, not the emulator's mbedTLS:
     *   printf '00%.0s' $(seq 48) > /tmp/in; printf '01%.0s' $(seq 48) >> /tmp/in
     *   xxd -r -p /tmp/in | openssl dgst -sha384 */
    static const uint8_t expect[48] = {
        0xb2, 0xcd, 0xfa, 0x15, 0xc3, 0xfd, 0xc5, 0x77, 0x2b, 0x09, 0x9d, 0x6e,
        0x1a, 0x5a, 0xcb, 0x8a, 0x2e, 0xb8, 0xb9, 0x4a, 0xdb, 0x63, 0x39, 0x3a,
        0x7a, 0xe3, 0x06, 0x8c, 0x8b, 0x4b, 0xd8, 0xcd, 0xad, 0x83, 0xd6, 0xeb,
        0x64, 0x9d, 0x81, 0x78, 0xd0, 0xfe, 0x7a, 0x81, 0x35, 0xd0, 0xa0, 0x03,
    };
    uint8_t rtmr[48];
    assert_int_equal(tdx_emu_rtmr_get(&fx.emu, 3, rtmr), TDS_OK);
    assert_memory_equal(rtmr, expect, 48);
    /* The digest went to RTMR3 only (RDX = index reached the module unchanged). */
    uint8_t zero[48] = {0};
    for (uint32_t i = 0; i < 3; i++) {
        assert_int_equal(tdx_emu_rtmr_get(&fx.emu, i, rtmr), TDS_OK);
        assert_memory_equal(rtmr, zero, 48);
    }
    assert_int_equal(g_traps, 3);
}

/* A VMM writing garbage into every exposed register (RBX, RSI, RDI, R8-R15 included) must not
 * disturb the C caller: callee-saved registers are restored by the asm, RBP is never loaded. */
static uint64_t __attribute__((noinline)) io_with_live_registers(uint32_t *out)
{
    volatile uint64_t a = 0x1111, b = 0x2222, c = 0x3333, d = 0x4444, e = 0x5555, f = 0x6666;
    uint64_t sum = a + b + c + d + e + f;
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    r.r11 = TDVMCALL_IO;
    r.r12 = 2;
    r.r14 = 0x71;
    if (tdcall_vp_vmcall(&r, 0xFFCC, NULL) != TDS_OK || r.r10 != 0) {
        return 0;
    }
    *out = (uint32_t)(r.r11 & 0xFFFF);
    /* Every other exposed register came back with the VMM's garbage. */
    if (r.rbx != (0xBAD0BAD0BAD00000ull | 3u) || r.r15 != (0xBAD0BAD0BAD00000ull | 15u) ||
        r.rdi != (0xBAD0BAD0BAD00000ull | 7u)) {
        return 1;
    }
    return sum + a + b + c + d + e + f;
}

static void test_hostile_vmcall_through_asm(void **state)
{
    (void)state;
    trap_tdcall();
    uint32_t v = 0;
    uint64_t sum = io_with_live_registers(&v);
    assert_true(sum == 2ull * (0x1111 + 0x2222 + 0x3333 + 0x4444 + 0x5555 + 0x6666));
    assert_int_equal(v, 0x0071);
    uint32_t v2 = 0;
    assert_int_equal(tdvmcall_io_read(0x60, 1, &v2, NULL), TDS_OK);
    assert_int_equal(v2, 0x60);
    /* RBP is never loaded from the block: at the trap it is still the caller's, not garbage. */
    assert_true((g_rbp_at_trap >> 16) != 0xBAD0BAD0BAD0ull);
    assert_int_equal(g_bad_bytes, 0);
}

/* tests/tdcall/seam_probe.S: tdcall_raw(regs), then RCX RDX RSI RDI R8-R11 as it left them. */
uint64_t seam_probe_call(struct tdcall_regs *regs, uint64_t after[8]);

static const char *const scratch_name[8] = {"RCX", "RDX", "RSI", "RDI", "R8", "R9", "R10", "R11"};

static void assert_scratch_zero(const uint64_t after[8])
{
    for (unsigned i = 0; i < 8; i++) {
        if (after[i] != 0) {
            fail_msg("%s = %#llx after tdcall_raw returned", scratch_name[i],
                     (unsigned long long)after[i]);
        }
    }
}

/* The asm zeroes every caller-saved register that held module or VMM output once the block is
 * stored (tdcall_hw.S contract): nothing the VMM chose survives in a register. Each case first
 * shows the block really received non-zero output in those registers. */
static void test_scratch_registers_cleared_through_asm(void **state)
{
    (void)state;
    trap_tdcall();
    uint64_t after[8];

    /* VP.INFO: the module answers in RCX RDX R8 R9 R10. */
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    r.rax = TDCALL_LEAF_VP_INFO;
    memset(after, 0xA5, sizeof(after));
    assert_true(seam_probe_call(&r, after) == 0);
    assert_true(r.rcx == 52 && r.r8 == ((8ull << 32) | 4u) && r.r9 == 1 && r.r10 == 1);
    assert_scratch_zero(after);

    /* A VMCALL exposing everything to a scribbling VMM: RCX (the mask) and RDX RSI RDI R8-R11
     * come back non-zero (R10 = 0 is the status, R11 the IN data). */
    memset(&r, 0, sizeof(r));
    r.rax = TDCALL_LEAF_VP_VMCALL;
    r.rcx = TDVMCALL_EXPOSE_ALLOWED;
    r.r11 = TDVMCALL_IO;
    r.r12 = 2;
    r.r14 = 0x71;
    memset(after, 0xA5, sizeof(after));
    assert_true(seam_probe_call(&r, after) == 0);
    assert_true(r.rcx == TDVMCALL_EXPOSE_ALLOWED && r.r10 == 0 && r.r11 == 0xABCD0071u);
    assert_true(r.rdx == (0xBAD0BAD0BAD00000ull | 2u) && r.rsi == (0xBAD0BAD0BAD00000ull | 6u) &&
                r.rdi == (0xBAD0BAD0BAD00000ull | 7u) && r.r8 == (0xBAD0BAD0BAD00000ull | 8u) &&
                r.r9 == (0xBAD0BAD0BAD00000ull | 9u));
    assert_scratch_zero(after);

    /* A failing call (the module refuses the mask) takes the same exit path. */
    memset(&r, 0, sizeof(r));
    r.rax = TDCALL_LEAF_VP_VMCALL;
    r.rcx = 1u << 5; /* RBP */
    r.rdx = 0x1234;
    r.r9 = 0x5678;
    memset(after, 0xA5, sizeof(after));
    assert_true(seam_probe_call(&r, after) == (TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX));
    assert_true(r.rdx == 0x1234 && r.r9 == 0x5678);
    assert_scratch_zero(after);
    assert_int_equal(g_traps, 3);
    assert_int_equal(g_bad_bytes, 0);
}

int main(void)
{
    g_mem = malloc(6 * MIB);
    if (g_mem == NULL) {
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_vp_info_through_asm, setup),
        cmocka_unit_test_setup(test_accept_and_rtmr_through_asm, setup),
        cmocka_unit_test_setup(test_hostile_vmcall_through_asm, setup),
        cmocka_unit_test_setup(test_scratch_registers_cleared_through_asm, setup),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_mem);
    return rc;
}
