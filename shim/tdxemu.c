/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libtdcall's emulator behind the #UD trap (tdxemu.h). The whole file is compiled only when the
 * build has libtdcall's emulator (shim/CMakeLists.txt defines SHIM_HAVE_TDX_EMU); otherwise it is
 * an empty unit, so the linters still see it.
 */
#if defined(SHIM_HAVE_TDX_EMU)
#include "tdxemu.h"

#include "fatal.h"
#include "log.h"
#include "tdshim/tdx_emu.h"

#define MB 0x100000ull
#define TEMPMEM_BASE 0x100000ull /* default TempMem + TD_HOB sections: VMM-added, accepted */
#define TEMPMEM_END 0x820000ull
#define HIGH_2M_BASE 0xA00000ull /* first 2 MiB boundary above TEMPMEM_END */

static struct tdx_emu shim_emu;
static struct tdx_emu_range shim_emu_ranges[4];
static bool shim_emu_ready;

static uint64_t hook_io(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                        uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    if (write) {
        switch (size) {
        case 1: cpu_outb(port, (uint8_t)*value); break;
        case 2: cpu_outw(port, (uint16_t)*value); break;
        default: cpu_outl(port, (uint32_t)*value); break;
        }
    } else {
        switch (size) {
        case 1: *value = cpu_inb(port); break;
        case 2: *value = cpu_inw(port); break;
        default: *value = cpu_inl(port); break;
        }
    }
    return 0; /* TDVMCALL_SUCCESS */
}

static uint64_t hook_cpuid(void *ctx, uint32_t vcpu, uint32_t leaf, uint32_t subleaf,
                           uint64_t out[4])
{
    uint32_t r[4];
    (void)ctx;
    (void)vcpu;
    cpu_cpuid(leaf, subleaf, r);
    for (int i = 0; i < 4; i++) {
        out[i] = r[i];
    }
    return 0;
}

static uint64_t hook_hlt(void *ctx, uint32_t vcpu, bool interrupts_blocked)
{
    (void)ctx;
    (void)vcpu;
    (void)interrupts_blocked;
    return 0; /* a single plain-VM vCPU with no interrupts: halting would never end */
}

/* #VE support (shim/ve.c): this plain VM's real MSRs and MMIO. The VMM side of MMIO maps a
 * shared GPA to the device at the same address without the shared bit (bit 47, GPAW 48). */
static uint64_t hook_rdmsr(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    *value = cpu_rdmsr(msr);
    return 0;
}

static uint64_t hook_wrmsr(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t value)
{
    (void)ctx;
    (void)vcpu;
    cpu_wrmsr(msr, value);
    return 0;
}

static uint64_t hook_mmio(void *ctx, uint32_t vcpu, uint64_t gpa, uint32_t size, bool write,
                          uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    const uintptr_t a = (uintptr_t)(gpa & ~(1ull << 47));
    if (write) {
        switch (size) {
        case 1: *(volatile uint8_t *)a = (uint8_t)*value; break;
        case 2: *(volatile uint16_t *)a = (uint16_t)*value; break;
        case 4: *(volatile uint32_t *)a = (uint32_t)*value; break;
        default: *(volatile uint64_t *)a = *value; break;
        }
    } else {
        switch (size) {
        case 1: *value = *(volatile const uint8_t *)a; break;
        case 2: *value = *(volatile const uint16_t *)a; break;
        case 4: *value = *(volatile const uint32_t *)a; break;
        default: *value = *(volatile const uint64_t *)a; break;
        }
    }
    return 0;
}

static uint64_t hook_fatal(void *ctx, uint32_t vcpu, uint64_t code, uint64_t msg_gpa,
                           const uint8_t msg[64])
{
    char text[65];
    (void)ctx;
    (void)msg_gpa;
    for (size_t i = 0; i < 64; i++) {
        const uint8_t c = msg[i];
        char out = '?';
        if (c == 0) {
            out = '\0';
        } else if (c >= 0x20 && c < 0x7F) {
            out = (char)c;
        }
        text[i] = out;
    }
    text[64] = '\0';
    shim_log("tdshim: vmm: ReportFatalError vcpu=%u code=0x%lx msg='%s'", vcpu, code, text);
    shim_debug_exit(SHIM_EXIT_FATAL);
    cpu_halt_forever();
}

static bool emu_trap(shim_exc_frame *f)
{
    struct tdcall_regs r = {
        .rax = f->rax,
        .rcx = f->rcx,
        .rdx = f->rdx,
        .rbx = f->rbx,
        .rsi = f->rsi,
        .rdi = f->rdi,
        .r8 = f->r8,
        .r9 = f->r9,
        .r10 = f->r10,
        .r11 = f->r11,
        .r12 = f->r12,
        .r13 = f->r13,
        .r14 = f->r14,
        .r15 = f->r15,
    };
    /* Each vCPU keeps its index in IA32_GS_BASE (0 on the BSP, set by shim_ap_main on APs). */
    (void)tdx_emu_dispatch(&shim_emu, (uint32_t)cpu_rdmsr(MSR_GS_BASE), &r);
    f->rax = r.rax;
    f->rcx = r.rcx;
    f->rdx = r.rdx;
    f->rbx = r.rbx;
    f->rsi = r.rsi;
    f->rdi = r.rdi;
    f->r8 = r.r8;
    f->r9 = r.r9;
    f->r10 = r.r10;
    f->r11 = r.r11;
    f->r12 = r.r12;
    f->r13 = r.r13;
    f->r14 = r.r14;
    f->r15 = r.r15;
    return true;
}

tds_status shim_tdxemu_setup(uint32_t num_vcpus, uint64_t low_ram_size)
{
    /* Page-state bytes (1 per 4 KiB) live in TempMem after the shim (shim.ld). */
    const uint64_t state = CPU_SYMBOL_ADDR(shim_emu_state);
    const uint64_t state_end = CPU_SYMBOL_ADDR(shim_emu_state_end);
    if (low_ram_size < HIGH_2M_BASE + 2 * MB || (low_ram_size % 4096) != 0 ||
        low_ram_size / 4096 > state_end - state) {
        return TDS_ERR_UNSUPPORTED;
    }
    uint8_t *ps = (uint8_t *)(uintptr_t)state;
    /* The VMM maps RAM from 0xA00000 with 2 MiB leaves when its size allows (so 2 MiB accepts
     * succeed), everything else with 4 KiB leaves. */
    cpu_wrmsr(MSR_GS_BASE, 0); /* the BSP is vCPU 0 */
    const uint64_t bounds[5] = {0, TEMPMEM_BASE, TEMPMEM_END, HIGH_2M_BASE, low_ram_size};
    const tdx_emu_page_state init[4] = {TDX_EMU_PAGE_PENDING, TDX_EMU_PAGE_ACCEPTED,
                                        TDX_EMU_PAGE_PENDING, TDX_EMU_PAGE_PENDING};
    const bool big = (low_ram_size % (2 * MB)) == 0;
    for (int i = 0; i < 4; i++) {
        shim_emu_ranges[i].base = bounds[i];
        shim_emu_ranges[i].size = bounds[i + 1] - bounds[i];
        shim_emu_ranges[i].initial = init[i];
        shim_emu_ranges[i].map_level = (i == 3 && big) ? TDCALL_PAGE_2M : TDCALL_PAGE_4K;
        shim_emu_ranges[i].page_state = ps + bounds[i] / 4096;
        shim_emu_ranges[i].backing = NULL;
    }
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.gpaw = 48;
    cfg.num_vcpus = num_vcpus;
    cfg.max_vcpus = num_vcpus;
    cfg.ranges = shim_emu_ranges;
    cfg.range_count = 4;
    cfg.hooks.io = hook_io;
    cfg.hooks.cpuid = hook_cpuid;
    cfg.hooks.hlt = hook_hlt;
    cfg.hooks.report_fatal_error = hook_fatal;
    cfg.hooks.rdmsr = hook_rdmsr;
    cfg.hooks.wrmsr = hook_wrmsr;
    cfg.hooks.mmio = hook_mmio;
    TDS_TRY(tdx_emu_init(&shim_emu, &cfg));
    shim_trap_set_tdcall_handler(emu_trap);
    shim_emu_ready = true;
    return TDS_OK;
}

uint64_t shim_tdxemu_io_calls(void)
{
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&shim_emu, &c);
    return c.vmcall_subfn[tdx_emu_vmcall_slot(TDVMCALL_IO)];
}

void shim_tdxemu_counters(struct tdx_emu_counters *out)
{
    tdx_emu_counters_get(&shim_emu, out);
}

tds_status shim_tdxemu_count_pending(uint64_t base, uint64_t len, uint64_t *pending)
{
    *pending = 0;
    for (uint64_t a = base; a < base + len; a += 4096) {
        uint8_t st = 0;
        TDS_TRY(tdx_emu_page_get(&shim_emu, a, &st));
        if (st != TDX_EMU_PAGE_ACCEPTED) {
            *pending += 4096;
        }
    }
    return TDS_OK;
}

bool shim_tdxemu_active(void)
{
    return shim_emu_ready;
}

struct tdx_emu *shim_tdxemu_instance(void)
{
    return shim_emu_ready ? &shim_emu : NULL;
}

#endif /* SHIM_HAVE_TDX_EMU */
