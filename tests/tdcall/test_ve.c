/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The #VE handler core (tdx_ve.h) driven end to end on the emulator: each test arms a pending
 * #VE in the emulator, reads it back with the real TDG.VP.VEINFO.GET wrapper (as the shim's
 * handler does first), runs tdcall_ve_handle and checks the registers, RIP and exactly what reached
 * the VMM (emulator observer + hooks). Hostile VMM answers, every refusal and every decoder
 * error have their own cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/tdx_emu_backend.h"
#include "tdshim/tdx_ve.h"

static const uint64_t SB = 1ull << 47;
static const uint64_t GARBAGE = 0xA5A5A5A5A5A5A5A5ull;

static struct tdx_emu emu;
static struct tdx_emu_range ranges[1];
static uint8_t page_state[16];

/* The VMM: what it answers and what it saw. */
static struct {
    uint64_t status;   /* R10 answered by every hook */
    uint64_t value;    /* IN / RDMSR / MMIO read answer */
    uint64_t cpuid[4]; /* CPUID answer */
    uint32_t calls;    /* observer: VMCALLs that reached the VMM */
    struct tdcall_regs in, out;
    uint16_t io_port;
    uint32_t io_size;
    bool io_write;
    uint64_t io_value;
    uint64_t mmio_gpa;
    uint32_t mmio_size;
    bool mmio_write;
    uint64_t mmio_value;
    uint32_t msr;
    uint64_t msr_value;
    bool hlt_blocked;
} vmm;

static uint64_t h_io(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                     uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    vmm.io_port = port;
    vmm.io_size = size;
    vmm.io_write = write;
    if (write) {
        vmm.io_value = *value;
    } else {
        *value = vmm.value;
    }
    return vmm.status;
}

static uint64_t h_mmio(void *ctx, uint32_t vcpu, uint64_t gpa, uint32_t size, bool write,
                       uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    vmm.mmio_gpa = gpa;
    vmm.mmio_size = size;
    vmm.mmio_write = write;
    if (write) {
        vmm.mmio_value = *value;
    } else {
        *value = vmm.value;
    }
    return vmm.status;
}

static uint64_t h_rdmsr(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    vmm.msr = msr;
    *value = vmm.value;
    return vmm.status;
}

static uint64_t h_wrmsr(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t value)
{
    (void)ctx;
    (void)vcpu;
    vmm.msr = msr;
    vmm.msr_value = value;
    return vmm.status;
}

static uint64_t h_cpuid(void *ctx, uint32_t vcpu, uint32_t leaf, uint32_t subleaf, uint64_t out[4])
{
    (void)ctx;
    (void)vcpu;
    (void)leaf;
    (void)subleaf;
    memcpy(out, vmm.cpuid, sizeof vmm.cpuid);
    return vmm.status;
}

static uint64_t h_hlt(void *ctx, uint32_t vcpu, bool blocked)
{
    (void)ctx;
    (void)vcpu;
    vmm.hlt_blocked = blocked;
    return vmm.status;
}

static void observe(void *ctx, uint32_t vcpu, const struct tdcall_regs *in,
                    const struct tdcall_regs *out)
{
    (void)ctx;
    (void)vcpu;
    vmm.calls++;
    vmm.in = *in;
    vmm.out = *out;
}

static int setup(void **state)
{
    (void)state;
    memset(&vmm, 0, sizeof vmm);
    ranges[0] = (struct tdx_emu_range){
        0, 16 * 4096ull, TDX_EMU_PAGE_ACCEPTED, TDCALL_PAGE_4K, page_state, NULL};
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.gpaw = 48;
    cfg.num_vcpus = 2;
    cfg.ranges = ranges;
    cfg.range_count = 1;
    cfg.hooks.io = h_io;
    cfg.hooks.mmio = h_mmio;
    cfg.hooks.rdmsr = h_rdmsr;
    cfg.hooks.wrmsr = h_wrmsr;
    cfg.hooks.cpuid = h_cpuid;
    cfg.hooks.hlt = h_hlt;
    if (tdx_emu_init(&emu, &cfg) != TDS_OK) {
        abort();
    }
    tdx_emu_set_observer(&emu, observe, NULL);
    tdx_emu_backend_install(&emu);
    tdx_emu_backend_set_vcpu(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    return 0;
}

static struct tdx_ve_regs regs_garbage(void)
{
    struct tdx_ve_regs r;
    for (unsigned i = 0; i < TDX_VE_GPR_COUNT; i++) {
        r.gpr[i] = GARBAGE + i;
    }
    r.rip = 0x100000;
    r.rflags = 0x2;
    return r;
}

static const struct tdx_ve_config CFG = {1ull << 47, 0};

/* Arm the #VE in the emulator, read it with VEINFO.GET (like the shim), handle it. */
static tds_status run_cfg(const struct tdcall_ve_info *ve, struct tdx_ve_regs *r, tds_bytes code,
                          const struct tdx_ve_config *cfg, struct tdx_ve_report *rep)
{
    assert_int_equal(tdx_emu_inject_ve(&emu, 0, ve), TDS_OK);
    struct tdcall_ve_info got;
    tdcall_status hw;
    assert_int_equal(tdcall_vp_veinfo_get(&got, &hw), TDS_OK);
    assert_memory_equal(&got, ve, sizeof got);
    return tdcall_ve_handle(r, &got, code, cfg, rep);
}

static tds_status run(const struct tdcall_ve_info *ve, struct tdx_ve_regs *r, tds_bytes code,
                      struct tdx_ve_report *rep)
{
    return run_cfg(ve, r, code, &CFG, rep);
}

static struct tdcall_ve_info insn_ve(uint32_t reason, uint32_t len, uint64_t qual)
{
    struct tdcall_ve_info ve;
    memset(&ve, 0, sizeof ve);
    ve.exit_reason = reason;
    ve.instr_length = len;
    ve.exit_qualification = qual;
    return ve;
}

static uint64_t io_qual(uint16_t port, uint32_t size, bool in)
{
    return ((uint64_t)port << 16) | (size - 1u) | (in ? TDX_VE_IO_IN : 0);
}

/* ---- VEINFO in the emulator --------------------------------------------------------------- */

static void test_veinfo_pending_slot(void **state)
{
    (void)state;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_HLT, 1, 0), got;
    tdcall_status hw;
    assert_int_equal(tdcall_vp_veinfo_get(&got, &hw), TDS_ERR_NOT_FOUND);
    assert_int_equal(hw.code, TDCALL_NO_VE_INFO);
    assert_int_equal(tdx_emu_inject_ve(&emu, 1, &ve), TDS_OK);
    assert_int_equal(tdx_emu_inject_ve(&emu, 1, &ve), TDS_ERR_STATE);     /* would be #DF */
    assert_int_equal(tdcall_vp_veinfo_get(&got, &hw), TDS_ERR_NOT_FOUND); /* vCPU 0: not its */
    tdx_emu_backend_set_vcpu(1);
    assert_int_equal(tdcall_vp_veinfo_get(&got, &hw), TDS_OK);
    assert_int_equal(got.exit_reason, TDX_VE_EXIT_HLT);
    assert_int_equal(tdcall_vp_veinfo_get(&got, &hw), TDS_ERR_NOT_FOUND); /* read once */
    assert_int_equal(tdx_emu_inject_ve(&emu, 2, &ve), TDS_ERR_INVALID_ARG);
}

/* ---- HLT ---------------------------------------------------------------------------------- */

static void test_hlt_if_flag(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    const struct tdx_ve_regs before = r;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_HLT, 1, 0);
    vmm.hlt_blocked = false;
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_true(vmm.hlt_blocked); /* IF = 0 */
    assert_int_equal(vmm.in.r11, TDVMCALL_HLT);
    assert_int_equal(vmm.in.r12, 1);
    assert_int_equal(r.rip, before.rip + 1);
    assert_memory_equal(r.gpr, before.gpr, sizeof r.gpr);
    r.rflags |= TDX_VE_RFLAGS_IF;
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_false(vmm.hlt_blocked);
    assert_int_equal(vmm.in.r12, 0);
    assert_int_equal(r.rip, before.rip + 2);
    assert_int_equal(vmm.calls, 2);
}

/* ---- I/O ---------------------------------------------------------------------------------- */

static void test_io_in_sizes_hostile_value(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    vmm.value = 0xDEADBEEFCAFEBA42ull; /* the VMM answers more bits than asked for */
    struct tdx_ve_regs r = regs_garbage();
    r.gpr[TDX_VE_RAX] = 0x1122334455667788ull;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_IO, 1, io_qual(0x511, 1, true));
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(r.gpr[TDX_VE_RAX], 0x1122334455667742ull); /* only AL */
    assert_int_equal(vmm.io_port, 0x511);
    assert_int_equal(vmm.io_size, 1);
    assert_false(vmm.io_write);
    assert_int_equal(vmm.in.r13, 0); /* direction read */
    assert_int_equal(r.rip, 0x100001);

    ve = insn_ve(TDX_VE_EXIT_IO, 2, io_qual(0x71, 2, true) | TDX_VE_IO_IMM);
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(r.gpr[TDX_VE_RAX], 0x112233445566BA42ull); /* only AX */
    assert_int_equal(vmm.io_port, 0x71);
    assert_int_equal(r.rip, 0x100003);

    ve = insn_ve(TDX_VE_EXIT_IO, 1, io_qual(0xCFC, 4, true));
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(r.gpr[TDX_VE_RAX], 0xCAFEBA42ull); /* EAX, zero-extended */
    assert_int_equal(rep.length, 1);
}

static void test_io_out_masks_rax(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    r.gpr[TDX_VE_RAX] = 0xFFFFFFFFFFFF1234ull;
    const struct tdx_ve_regs before = r;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_IO, 2, io_qual(0x510, 2, false));
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_true(vmm.io_write);
    assert_int_equal(vmm.io_value, 0x1234); /* upper RAX bits never reach the VMM */
    assert_int_equal(vmm.in.r15, 0x1234);
    assert_int_equal(vmm.io_size, 2);
    assert_memory_equal(r.gpr, before.gpr, sizeof r.gpr);
    assert_int_equal(r.rip, before.rip + 2);
}

static void test_io_refused(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    const struct tdx_ve_regs before = r;
    struct {
        uint64_t qual;
        tdx_ve_error err;
    } cases[] = {
        {io_qual(0x60, 1, true) | TDX_VE_IO_STRING, TDX_VE_ERR_IO_STRING},
        {io_qual(0x60, 1, false) | TDX_VE_IO_STRING | TDX_VE_IO_REP, TDX_VE_ERR_IO_STRING},
        {io_qual(0x60, 1, false) | TDX_VE_IO_REP, TDX_VE_ERR_IO_REP},
        {io_qual(0x60, 3, true), TDX_VE_ERR_IO_SIZE},
        {io_qual(0x60, 8, true), TDX_VE_ERR_IO_SIZE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_IO, 2, cases[i].qual);
        assert_int_not_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
        assert_int_equal(rep.error, cases[i].err);
        assert_false(rep.vmcall_done);
        assert_memory_equal(&r, &before, sizeof r);
    }
    assert_int_equal(vmm.calls, 0);
}

static void test_vmm_errors_are_reported(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    const struct tdx_ve_regs before = r;
    vmm.status = TDVMCALL_STATUS_INVALID_OPERAND;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_IO, 1, io_qual(0x511, 1, true));
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_ERR_VMM);
    assert_int_equal(rep.error, TDX_VE_ERR_VMM);
    assert_true(rep.vmcall_done);
    assert_int_equal(rep.vs.code, TDVMCALL_INVALID_OPERAND);
    assert_memory_equal(&r, &before, sizeof r); /* no silent resume */
    ve = insn_ve(TDX_VE_EXIT_HLT, 1, 0);
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_ERR_VMM);
    vmm.status = 0;

    /* Injected RETRY on RDMSR: still an error for an instruction exit. */
    struct tdx_emu_faults f;
    memset(&f, 0, sizeof f);
    f.vmcall_subfn = TDVMCALL_RDMSR;
    f.vmcall_count = 1;
    f.vmcall_status = TDVMCALL_STATUS_RETRY;
    tdx_emu_faults_set(&emu, &f);
    ve = insn_ve(TDX_VE_EXIT_RDMSR, 2, 0);
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_ERR_VMM);
    assert_int_equal(rep.vs.code, TDVMCALL_RETRY);
    assert_memory_equal(&r, &before, sizeof r);

    /* A TDVMCALL the module itself refuses: test_ve_module.c (the emulator never does). */
}

/* ---- MSR ---------------------------------------------------------------------------------- */

static void test_msr(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    r.gpr[TDX_VE_RCX] = 0xFFFFFFFF0000001Bull; /* ECX only */
    vmm.value = 0x123456789ABCDEF0ull;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_RDMSR, 2, 0);
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(vmm.msr, 0x1B);
    assert_int_equal(r.gpr[TDX_VE_RAX], 0x9ABCDEF0ull);
    assert_int_equal(r.gpr[TDX_VE_RDX], 0x12345678ull);
    assert_int_equal(r.rip, 0x100002);

    r.gpr[TDX_VE_RCX] = 0xC0000101ull;
    r.gpr[TDX_VE_RAX] = 0xFFFFFFFF11111111ull; /* upper halves ignored */
    r.gpr[TDX_VE_RDX] = 0xEEEEEEEE22222222ull;
    const struct tdx_ve_regs before = r;
    ve = insn_ve(TDX_VE_EXIT_WRMSR, 2, 0);
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(vmm.msr, 0xC0000101u);
    assert_int_equal(vmm.msr_value, 0x2222222211111111ull);
    assert_int_equal(vmm.in.r11, TDVMCALL_WRMSR);
    assert_memory_equal(r.gpr, before.gpr, sizeof r.gpr);
}

/* ---- CPUID -------------------------------------------------------------------------------- */

static void test_cpuid_policy(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    vmm.cpuid[0] = 0x40000001;
    vmm.cpuid[1] = 0x54474354; /* "TCGT" */
    vmm.cpuid[2] = 0x43544743;
    vmm.cpuid[3] = 0x47435447;
    r.gpr[TDX_VE_RAX] = 0xFFFFFFFF40000000ull;
    r.gpr[TDX_VE_RCX] = 0x7;
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_CPUID, 2, 0);
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(vmm.in.r12, 0x40000000); /* EAX only */
    assert_int_equal(vmm.in.r13, 7);
    assert_int_equal(r.gpr[TDX_VE_RAX], 0x40000001);
    assert_int_equal(r.gpr[TDX_VE_RBX], 0x54474354);
    assert_int_equal(r.gpr[TDX_VE_RCX], 0x43544743);
    assert_int_equal(r.gpr[TDX_VE_RDX], 0x47435447);
    assert_int_equal(r.gpr[TDX_VE_RSI], GARBAGE + TDX_VE_RSI);
    assert_int_equal(r.rip, 0x100002);
    assert_int_equal(vmm.calls, 1);

    /* Default policy: leaf 0 never reaches the VMM and reads as zeros. */
    r.gpr[TDX_VE_RAX] = 0;
    assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_OK);
    assert_int_equal(vmm.calls, 1);
    assert_false(rep.vmcall_done);
    assert_int_equal(r.gpr[TDX_VE_RAX] | r.gpr[TDX_VE_RBX] | r.gpr[TDX_VE_RCX] | r.gpr[TDX_VE_RDX],
                     0);
    assert_int_equal(r.rip, 0x100004);

    /* ALL_TO_VMM: it does. */
    const struct tdx_ve_config all = {SB, TDX_VE_CPUID_ALL_TO_VMM};
    assert_int_equal(run_cfg(&ve, &r, tds_bytes_make(NULL, 0), &all, &rep), TDS_OK);
    assert_int_equal(vmm.calls, 2);
    assert_int_equal(r.gpr[TDX_VE_RBX], 0x54474354);

    /* Hostile: a 64-bit "EBX". */
    vmm.cpuid[1] = 0x100000000ull;
    const struct tdx_ve_regs before = r;
    assert_int_equal(run_cfg(&ve, &r, tds_bytes_make(NULL, 0), &all, &rep), TDS_ERR_VMM);
    assert_int_equal(rep.error, TDX_VE_ERR_VMM);
    assert_memory_equal(&r, &before, sizeof r);
}

/* ---- Generic refusals --------------------------------------------------------------------- */

static void test_unknown_exit_and_bad_length(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = regs_garbage();
    const struct tdx_ve_regs before = r;
    const uint32_t reasons[] = {0, 1, 9, 11, 13, 29, 33, 47, 49, 54, 0xFFFFFFFFu};
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++) {
        struct tdcall_ve_info ve = insn_ve(reasons[i], 2, 0);
        assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_ERR_UNSUPPORTED);
        assert_int_equal(rep.error, TDX_VE_ERR_EXIT_REASON);
        assert_int_equal(rep.exit_reason, reasons[i]);
    }
    const uint32_t lens[] = {0, 16, 0xFFFFFFFFu};
    for (size_t i = 0; i < 3; i++) {
        struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_CPUID, lens[i], 0);
        assert_int_equal(run(&ve, &r, tds_bytes_make(NULL, 0), &rep), TDS_ERR_MALFORMED);
        assert_int_equal(rep.error, TDX_VE_ERR_INSTR_LENGTH);
    }
    assert_memory_equal(&r, &before, sizeof r);
    assert_int_equal(vmm.calls, 0);
    /* Arguments. */
    struct tdcall_ve_info ve = insn_ve(TDX_VE_EXIT_HLT, 1, 0);
    const struct tdx_ve_config bad = {1ull << 46, 0};
    assert_int_equal(tdcall_ve_handle(&r, &ve, tds_bytes_make(NULL, 0), &bad, &rep),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(rep.error, TDX_VE_ERR_ARGUMENT);
    assert_int_equal(tdcall_ve_handle(NULL, &ve, tds_bytes_make(NULL, 0), &CFG, &rep),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_ve_handle(&r, &ve, tds_bytes_make(NULL, 0), &CFG, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_string_equal(tdcall_ve_error_str(TDX_VE_ERR_IO_STRING), "string I/O (INS/OUTS) refused");
    assert_string_equal(tdcall_ve_error_str(TDX_VE_ERR_COUNT_), "unknown #VE error");
}

/* ---- MMIO --------------------------------------------------------------------------------- */

#define GLA 0x7000ull /* RDI in the MMIO tests */
#define DEV 0xFEC00000ull

static struct tdcall_ve_info mmio_ve(uint64_t gla, uint64_t gpa)
{
    struct tdcall_ve_info ve;
    memset(&ve, 0, sizeof ve);
    ve.exit_reason = TDX_VE_EXIT_EPT_VIOLATION;
    ve.instr_length = 0x55; /* meaningless for EPT violations: must not be used */
    ve.guest_linear_address = gla;
    ve.guest_physical_address = gpa;
    return ve;
}

static struct tdx_ve_regs mmio_regs(void)
{
    struct tdx_ve_regs r = regs_garbage();
    r.gpr[TDX_VE_RDI] = GLA;
    return r;
}

static void test_mmio_read_extends(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    vmm.value = 0xFFFFFFFF00170020ull; /* hostile upper half */
    struct tdx_ve_regs r = mmio_regs();
    const uint8_t mov_eax[] = {0x8B, 0x47, 0x10}; /* mov eax, [rdi+0x10] */
    struct tdcall_ve_info ve = mmio_ve(GLA + 0x10, SB | (DEV + 0x10));
    assert_int_equal(run(&ve, &r, tds_bytes_make(mov_eax, sizeof mov_eax), &rep), TDS_OK);
    assert_int_equal(r.gpr[TDX_VE_RAX], 0x00170020ull); /* 32-bit: zero-extended */
    assert_int_equal(vmm.mmio_gpa, SB | (DEV + 0x10));
    assert_int_equal(vmm.mmio_size, 4);
    assert_false(vmm.mmio_write);
    assert_int_equal(vmm.in.r11, TDVMCALL_MMIO);
    assert_int_equal(r.rip, 0x100003);
    assert_int_equal(rep.length, 3);

    struct {
        uint8_t code[8];
        size_t len;
        uint64_t answer;
        uint64_t expect;
        uint32_t size;
        uint8_t reg;
    } cases[] = {
        /* mov ah, [rdi]: only bits 15:8 */
        {{0x8A, 0x27}, 2, 0x99, (GARBAGE & ~0xFF00ull) | 0x9900, 1, TDX_VE_RAX},
        /* REX: mov spl, [rdi] (reg 4 is SPL, not AH) */
        {{0x40, 0x8A, 0x27}, 3, 0x99, ((GARBAGE + 4) & ~0xFFull) | 0x99, 1, TDX_VE_RSP},
        /* mov bh, [rdi] */
        {{0x8A, 0x3F}, 2, 0x7F, ((GARBAGE + 3) & ~0xFF00ull) | 0x7F00, 1, TDX_VE_RBX},
        /* mov ax, [rdi] keeps bits 63:16 */
        {{0x66, 0x8B, 0x07}, 3, 0xBEEF, (GARBAGE & ~0xFFFFull) | 0xBEEF, 2, TDX_VE_RAX},
        /* mov rax, [rdi] */
        {{0x48, 0x8B, 0x07}, 3, 0x0123456789ABCDEFull, 0x0123456789ABCDEFull, 8, TDX_VE_RAX},
        /* mov r9, [rdi] (REX.W|R) */
        {{0x4C, 0x8B, 0x0F}, 3, 0x8000000000000001ull, 0x8000000000000001ull, 8, 9},
        /* 66 and REX.W: REX.W wins */
        {{0x66, 0x48, 0x8B, 0x07}, 4, 0xFFFFFFFFFFFFFFFFull, UINT64_MAX, 8, TDX_VE_RAX},
        /* movzx eax, byte [rdi] */
        {{0x0F, 0xB6, 0x07}, 3, 0x80, 0x80, 1, TDX_VE_RAX},
        /* movzx ax, byte [rdi] keeps bits 63:16 */
        {{0x66, 0x0F, 0xB6, 0x07}, 4, 0x80, (GARBAGE & ~0xFFFFull) | 0x80, 1, TDX_VE_RAX},
        /* movzx eax, word [rdi] */
        {{0x0F, 0xB7, 0x07}, 3, 0x8001, 0x8001, 2, TDX_VE_RAX},
        /* movsx rax, byte [rdi] */
        {{0x48, 0x0F, 0xBE, 0x07}, 4, 0x80, 0xFFFFFFFFFFFFFF80ull, 1, TDX_VE_RAX},
        /* movsx eax, word [rdi]: sign to 32, then zero-extended */
        {{0x0F, 0xBF, 0x07}, 3, 0x8000, 0xFFFF8000ull, 2, TDX_VE_RAX},
        /* movsx r10d, byte [rdi] positive */
        {{0x44, 0x0F, 0xBE, 0x17}, 4, 0x7F, 0x7F, 1, 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = mmio_regs();
        vmm.value = cases[i].answer | 0xAB00000000000000ull * (cases[i].size < 8);
        ve = mmio_ve(GLA, SB | DEV);
        assert_int_equal(run(&ve, &r, tds_bytes_make(cases[i].code, cases[i].len), &rep), TDS_OK);
        assert_int_equal(r.gpr[cases[i].reg], cases[i].expect);
        assert_int_equal(vmm.mmio_size, cases[i].size);
        assert_int_equal(r.rip, 0x100000 + cases[i].len);
    }
}

static void test_mmio_write_forms(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    struct {
        uint8_t code[12];
        uint32_t size;
        size_t len;
        uint64_t value;
    } cases[] = {
        {{0x89, 0x37}, 4, 2, (GARBAGE + 6) & 0xFFFFFFFFull},      /* mov [rdi], esi */
        {{0x48, 0x89, 0x37}, 8, 3, GARBAGE + 6},                  /* mov [rdi], rsi */
        {{0x66, 0x89, 0x37}, 2, 3, (GARBAGE + 6) & 0xFFFF},       /* mov [rdi], si */
        {{0x88, 0x3F}, 1, 2, ((GARBAGE + 3) >> 8) & 0xFF},        /* mov [rdi], bh */
        {{0x40, 0x88, 0x3F}, 1, 3, GLA & 0xFF},                   /* mov [rdi], dil */
        {{0x44, 0x88, 0x07}, 1, 3, (GARBAGE + 8) & 0xFF},         /* mov [rdi], r8b */
        {{0xC6, 0x07, 0xAB}, 1, 3, 0xAB},                         /* mov byte [rdi], 0xab */
        {{0x66, 0xC7, 0x07, 0x34, 0x12}, 2, 5, 0x1234},           /* mov word [rdi], ... */
        {{0xC7, 0x07, 0x78, 0x56, 0x34, 0x12}, 4, 6, 0x12345678}, /* mov dword [rdi], ... */
        {{0x48, 0xC7, 0x07, 0x00, 0x00, 0x00, 0x80}, 8, 7, 0xFFFFFFFF80000000ull}, /* sign-ext */
        /* mov dword [rdi+0], imm: disp8 then imm */
        {{0xC7, 0x47, 0x00, 0x01, 0x00, 0x00, 0x00}, 4, 7, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tdx_ve_regs r = mmio_regs();
        const struct tdx_ve_regs before = r;
        struct tdcall_ve_info ve = mmio_ve(GLA, SB | DEV);
        assert_int_equal(run(&ve, &r, tds_bytes_make(cases[i].code, cases[i].len), &rep), TDS_OK);
        assert_true(vmm.mmio_write);
        assert_int_equal(vmm.mmio_value, cases[i].value);
        assert_int_equal(vmm.mmio_size, cases[i].size);
        assert_memory_equal(r.gpr, before.gpr, sizeof r.gpr); /* a store changes no register */
        assert_int_equal(r.rip, 0x100000 + cases[i].len);
    }
}

static void test_mmio_addressing(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    vmm.value = 5;
    struct tdx_ve_regs r = mmio_regs();
    r.gpr[TDX_VE_RCX] = 3;
    /* mov eax, [rdi + rcx*4 + 0x100] (SIB, disp32) */
    const uint8_t sib[] = {0x8B, 0x84, 0x8F, 0x00, 0x01, 0x00, 0x00};
    struct tdcall_ve_info ve = mmio_ve(GLA + 12 + 0x100, SB | (DEV + 0x10C));
    assert_int_equal(run(&ve, &r, tds_bytes_make(sib, sizeof sib), &rep), TDS_OK);
    assert_int_equal(r.gpr[TDX_VE_RAX], 5);
    /* mov eax, [rip + 0x12]: relative to the next instruction (0x100006) */
    r = mmio_regs();
    const uint8_t riprel[] = {0x8B, 0x05, 0x12, 0x00, 0x00, 0x00};
    ve = mmio_ve(0x100000 + 6 + 0x12, SB | (DEV + 0x18));
    assert_int_equal(run(&ve, &r, tds_bytes_make(riprel, sizeof riprel), &rep), TDS_OK);
    /* mov eax, [r12] needs a SIB (rm=100 + REX.B); mov eax, [r13] needs disp8 */
    r = mmio_regs();
    r.gpr[12] = GLA + 4;
    const uint8_t r12[] = {0x41, 0x8B, 0x04, 0x24};
    ve = mmio_ve(GLA + 4, SB | (DEV + 4));
    assert_int_equal(run(&ve, &r, tds_bytes_make(r12, sizeof r12), &rep), TDS_OK);
    assert_int_equal(r.rip, 0x100004);
    /* [disp32] absolute (SIB base 101, mod 0), index r9 (REX.X) scale 8 */
    r = mmio_regs();
    r.gpr[9] = 2;
    const uint8_t abs_idx[] = {0x42, 0x8B, 0x04, 0xCD, 0x00, 0x70, 0x00, 0x00};
    ve = mmio_ve(0x7000 + 16, SB | (DEV + 16));
    assert_int_equal(run(&ve, &r, tds_bytes_make(abs_idx, sizeof abs_idx), &rep), TDS_OK);
    assert_int_equal(r.rip, 0x100008);
}

static void test_mmio_refused(void **state)
{
    (void)state;
    struct tdx_ve_report rep;
    const uint8_t mov_eax[] = {0x8B, 0x07};
    struct {
        struct tdcall_ve_info ve;
        tdx_ve_error err;
        tds_status s;
    } cases[] = {
        {mmio_ve(GLA, DEV), TDX_VE_ERR_MMIO_PRIVATE, TDS_ERR_UNSUPPORTED},
        {mmio_ve(GLA, (SB << 1) | SB | DEV), TDX_VE_ERR_MMIO_GPA, TDS_ERR_OUT_OF_BOUNDS},
        {mmio_ve(GLA + 8, SB | DEV), TDX_VE_ERR_MMIO_ADDRESS, TDS_ERR_MISMATCH},   /* GLA */
        {mmio_ve(GLA, SB | (DEV + 8)), TDX_VE_ERR_MMIO_ADDRESS, TDS_ERR_MISMATCH}, /* offset */
    };
    struct tdx_ve_regs r = mmio_regs();
    const struct tdx_ve_regs before = r;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(run(&cases[i].ve, &r, tds_bytes_make(mov_eax, sizeof mov_eax), &rep),
                         cases[i].s);
        assert_int_equal(rep.error, cases[i].err);
    }
    /* unaligned 4-byte access */
    r.gpr[TDX_VE_RDI] = GLA + 2;
    struct tdcall_ve_info ve = mmio_ve(GLA + 2, SB | (DEV + 2));
    assert_int_equal(run(&ve, &r, tds_bytes_make(mov_eax, sizeof mov_eax), &rep),
                     TDS_ERR_ALIGNMENT);
    assert_int_equal(rep.error, TDX_VE_ERR_MMIO_ALIGN);
    r.gpr[TDX_VE_RDI] = GLA;
    assert_memory_equal(&r, &before, sizeof r);
    assert_int_equal(vmm.calls, 0);
    /* the VMM fails the read: reported, nothing written */
    vmm.status = TDVMCALL_STATUS_INVALID_OPERAND;
    ve = mmio_ve(GLA, SB | DEV);
    assert_int_equal(run(&ve, &r, tds_bytes_make(mov_eax, sizeof mov_eax), &rep), TDS_ERR_VMM);
    assert_int_equal(rep.error, TDX_VE_ERR_VMM);
    assert_memory_equal(&r, &before, sizeof r);
}

static void test_mmio_decode_errors(void **state)
{
    (void)state;
    struct {
        uint8_t code[16];
        size_t len;
        tdx_ve_error err;
    } cases[] = {
        {{0}, 0, TDX_VE_ERR_DECODE_TRUNCATED},
        {{0x8B}, 1, TDX_VE_ERR_DECODE_TRUNCATED},
        {{0x8B, 0x04}, 2, TDX_VE_ERR_DECODE_TRUNCATED},          /* SIB missing */
        {{0x8B, 0x47}, 2, TDX_VE_ERR_DECODE_TRUNCATED},          /* disp8 missing */
        {{0x8B, 0x87, 0, 0, 0}, 5, TDX_VE_ERR_DECODE_TRUNCATED}, /* disp32 short */
        {{0xC7, 0x07, 1, 2, 3}, 5, TDX_VE_ERR_DECODE_TRUNCATED}, /* imm32 short */
        {{0x66}, 1, TDX_VE_ERR_DECODE_TRUNCATED},
        {{0x0F}, 1, TDX_VE_ERR_DECODE_TRUNCATED},
        {{0xF3, 0x8B, 0x07}, 3, TDX_VE_ERR_DECODE_PREFIX},       /* REP */
        {{0xF0, 0x89, 0x07}, 3, TDX_VE_ERR_DECODE_PREFIX},       /* LOCK */
        {{0x64, 0x8B, 0x07}, 3, TDX_VE_ERR_DECODE_PREFIX},       /* FS */
        {{0x67, 0x8B, 0x07}, 3, TDX_VE_ERR_DECODE_PREFIX},       /* addr size */
        {{0x48, 0x66, 0x8B, 0x07}, 4, TDX_VE_ERR_DECODE_PREFIX}, /* prefix after REX */
        {{0x48, 0x48, 0x8B, 0x07}, 4, TDX_VE_ERR_DECODE_PREFIX}, /* two REX */
        {{0x01, 0x07}, 2, TDX_VE_ERR_DECODE_OPCODE},             /* add [rdi], eax */
        {{0xA5}, 1, TDX_VE_ERR_DECODE_OPCODE},                   /* movs: refused */
        {{0x0F, 0xB8, 0x07}, 3, TDX_VE_ERR_DECODE_OPCODE},
        {{0x8B, 0xC0}, 2, TDX_VE_ERR_DECODE_MODRM},             /* register operand */
        {{0xC7, 0x0F, 1, 0, 0, 0}, 6, TDX_VE_ERR_DECODE_MODRM}, /* C7 /1 */
        {{0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x8B,
          0x07},
         16,
         TDX_VE_ERR_DECODE_TOO_LONG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct tdx_mmio_insn insn;
        memset(&insn, 0x5A, sizeof insn);
        tdx_ve_error err = TDX_VE_OK;
        assert_int_not_equal(
            tdcall_ve_mmio_decode(tds_bytes_make(cases[i].code, cases[i].len), &insn, &err),
            TDS_OK);
        assert_int_equal(err, cases[i].err);
        assert_int_equal(insn.length, 0x5A); /* untouched */
    }
    /* 13 x 0x66 + mov = 15 bytes: still fine. */
    uint8_t max15[15];
    memset(max15, 0x66, 13);
    max15[13] = 0x8B;
    max15[14] = 0x07;
    struct tdx_mmio_insn insn;
    assert_int_equal(tdcall_ve_mmio_decode(tds_bytes_make(max15, 15), &insn, NULL), TDS_OK);
    assert_int_equal(insn.length, 15);
    assert_int_equal(insn.mem_size, 2);
    /* An undecodable instruction through the handler: refused, no VMCALL. */
    struct tdx_ve_report rep;
    struct tdx_ve_regs r = mmio_regs();
    const uint8_t add[] = {0x01, 0x07};
    struct tdcall_ve_info ve = mmio_ve(GLA, SB | DEV);
    assert_int_equal(run(&ve, &r, tds_bytes_make(add, sizeof add), &rep), TDS_ERR_UNSUPPORTED);
    assert_int_equal(rep.error, TDX_VE_ERR_DECODE_OPCODE);
    assert_int_equal(vmm.calls, 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_veinfo_pending_slot),
        T(test_hlt_if_flag),
        T(test_io_in_sizes_hostile_value),
        T(test_io_out_masks_rax),
        T(test_io_refused),
        T(test_vmm_errors_are_reported),
        T(test_msr),
        T(test_cpuid_policy),
        T(test_unknown_exit_and_bad_length),
        T(test_mmio_read_extends),
        T(test_mmio_write_forms),
        T(test_mmio_addressing),
        T(test_mmio_refused),
        T(test_mmio_decode_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
