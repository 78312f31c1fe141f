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
#include "paging.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/tdvmcall.h"
#if defined(SHIM_HAVE_VSHARED)
#include "tdshim/virtio_shared.h"
#endif

#define MB 0x100000ull
#define TEMPMEM_BASE 0x100000ull /* default TempMem + TD_HOB sections: VMM-added, accepted */
#define TEMPMEM_END 0x820000ull
#define HIGH_2M_BASE 0xA00000ull /* first 2 MiB boundary above TEMPMEM_END */

static struct tdx_emu shim_emu;
static struct tdx_emu_range shim_emu_ranges[3 + SHIM_EMU_MAX_RAM_RANGES];
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

tds_status shim_tdxemu_setup(uint32_t num_vcpus, const shim_ram_range *ram, size_t n,
                             bool zero_on_accept)
{
    /* Page-state bytes (1 per 4 KiB of RAM, packed range after range) live in TempMem after the
     * shim (shim.ld), below the AP stack area (ap.h). */
    const uint64_t state = CPU_SYMBOL_ADDR(shim_emu_state);
    uint64_t state_end = CPU_SYMBOL_ADDR(shim_emu_state_end);
    if (state_end > SHIM_EMU_STATE_LIMIT) {
        state_end = SHIM_EMU_STATE_LIMIT;
    }
    if (ram == NULL || n == 0 || n > SHIM_EMU_MAX_RAM_RANGES || ram[0].base != 0 ||
        ram[0].size < HIGH_2M_BASE + 2 * MB) {
        return TDS_ERR_UNSUPPORTED;
    }
    uint64_t pages = 0;
    for (size_t i = 0; i < n; i++) {
        if ((ram[i].base % 4096) != 0 || (ram[i].size % 4096) != 0 || ram[i].size == 0 ||
            (i > 0 && ram[i].base < ram[i - 1].base + ram[i - 1].size)) {
            return TDS_ERR_UNSUPPORTED;
        }
        pages += ram[i].size / 4096;
    }
    if (pages > state_end - state) {
        return TDS_ERR_NO_SPACE;
    }
    uint8_t *ps = (uint8_t *)(uintptr_t)state;
    /* Low RAM: 0-1 MiB pending, the TempMem + TD_HOB sections accepted, then pending. The VMM maps
     * RAM from 0xA00000 with 2 MiB leaves when its size allows (so 2 MiB accepts succeed),
     * everything else with 4 KiB leaves; every range above it likewise. */
    cpu_wrmsr(MSR_GS_BASE, 0); /* the BSP is vCPU 0 */
    const uint64_t bounds[5] = {0, TEMPMEM_BASE, TEMPMEM_END, HIGH_2M_BASE, ram[0].size};
    const tdx_emu_page_state init[4] = {TDX_EMU_PAGE_PENDING, TDX_EMU_PAGE_ACCEPTED,
                                        TDX_EMU_PAGE_PENDING, TDX_EMU_PAGE_PENDING};
    size_t k = 0;
    for (int i = 0; i < 4; i++, k++) {
        shim_emu_ranges[k].base = bounds[i];
        shim_emu_ranges[k].size = bounds[i + 1] - bounds[i];
        shim_emu_ranges[k].initial = init[i];
        shim_emu_ranges[k].map_level =
            (i == 3 && (ram[0].size % (2 * MB)) == 0) ? TDCALL_PAGE_2M : TDCALL_PAGE_4K;
    }
    for (size_t i = 1; i < n; i++, k++) {
        shim_emu_ranges[k].base = ram[i].base;
        shim_emu_ranges[k].size = ram[i].size;
        shim_emu_ranges[k].initial = TDX_EMU_PAGE_PENDING;
        shim_emu_ranges[k].map_level =
            ((ram[i].base | ram[i].size) % (2 * MB)) == 0 ? TDCALL_PAGE_2M : TDCALL_PAGE_4K;
    }
    for (size_t i = 0; i < k; i++) {
        shim_emu_ranges[i].page_state = ps;
        ps += shim_emu_ranges[i].size / 4096;
        /* Identity-mapped RAM: ACCEPT zeroes the page as the module does (optional: cost). */
        shim_emu_ranges[i].backing =
            zero_on_accept ? (uint8_t *)(uintptr_t)shim_emu_ranges[i].base : NULL;
    }
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.gpaw = 48;
    cfg.num_vcpus = num_vcpus;
    cfg.max_vcpus = num_vcpus;
    cfg.ranges = shim_emu_ranges;
    cfg.range_count = (uint32_t)k;
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

#if defined(SHIM_HAVE_VSHARED)
static tds_status vs_set_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    const uint64_t mask = *(const uint64_t *)ctx;
    return shim_paging_set_shared((uint64_t)(uintptr_t)va, gpa, len, mask, true);
}

static tds_status vs_clear_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    const uint64_t mask = *(const uint64_t *)ctx;
    return shim_paging_set_shared((uint64_t)(uintptr_t)va, gpa, len, mask, false);
}

static tds_status vs_map_gpa(void *ctx, uint64_t gpa, uint64_t len)
{
    tdvmcall_status vs;
    (void)ctx;
    return tdvmcall_map_gpa(gpa, len, NULL, &vs);
}

static tds_status vs_accept(void *ctx, uint64_t gpa, uint64_t len)
{
    (void)ctx;
    for (uint64_t off = 0; off < len; off += 4096) {
        tdcall_status hw = {0};
        const tds_status st = tdcall_mem_page_accept(gpa + off, TDCALL_PAGE_4K, &hw);
        if (st != TDS_OK && hw.code != TDCALL_ALREADY_ACCEPTED) {
            return st;
        }
    }
    return TDS_OK;
}

tds_status shim_tdxemu_shared_alias_test(uint64_t page, bool *same)
{
    static vshared_pool pool;
    static uint64_t bitmap[VSHARED_BITMAP_WORDS(1)];
    static uint64_t mask;
    static const char pattern[] = "tdshim shared alias 0123456789";
    *same = false;
    struct tdcall_td_info info;
    tdcall_status hw;
    TDS_TRY(tdcall_vp_info(&info, &hw));
    TDS_TRY(vshared_shared_mask_from_gpaw(info.gpaw, &mask));
    const vshared_ops ops = {.ctx = &mask,
                             .set_shared = vs_set_shared,
                             .clear_shared = vs_clear_shared,
                             .map_gpa = vs_map_gpa,
                             .accept = vs_accept,
                             .shared_mask = mask};
    TDS_TRY(vshared_pool_init(&pool, &ops, (void *)(uintptr_t)page, page, 1, bitmap,
                              TDS_ARRAY_LEN(bitmap)));
    vshared_buffer buf;
    TDS_TRY(vshared_alloc(&pool, 1, &buf));
    uint8_t st = 0;
    TDS_TRY(tdx_emu_page_get(&shim_emu, page, &st));
    const uint64_t root = cpu_read_cr3();
    shim_log("tdshim: shared alias: page 0x%lx pte=0x%lx device_addr=0x%lx emulator state=0x%x",
             page, shim_pt_lookup(root, page), buf.device_addr, st);
    /* The private view of the same GPA at another VA. */
    TDS_TRY(shim_paging_map(SHIM_ALIAS_PRIVATE_VA, page, 4096, PT_P | PT_RW | PT_NX));
    volatile uint8_t *shared_view = buf.host;
    const volatile uint8_t *private_view =
        (const volatile uint8_t *)(uintptr_t)SHIM_ALIAS_PRIVATE_VA;
    for (size_t i = 0; i < sizeof pattern; i++) {
        shared_view[i] = (uint8_t)pattern[i];
    }
    bool eq = true;
    for (size_t i = 0; i < sizeof pattern; i++) {
        eq = eq && private_view[i] == (uint8_t)pattern[i];
    }
    *same = eq;
    shim_log("tdshim: shared alias: wrote through gpa|shared, private mapping reads %s",
             eq ? "the same bytes (one file behind both GPAs)" : "different bytes (no alias)");
    TDS_TRY(shim_paging_map(SHIM_ALIAS_PRIVATE_VA, page, 4096, 0));
    TDS_TRY(vshared_free(&pool, buf.host));
    TDS_TRY(vshared_pool_release(&pool));
    TDS_TRY(tdx_emu_page_get(&shim_emu, page, &st));
    shim_log("tdshim: shared alias: released, pte=0x%lx emulator state=0x%x",
             shim_pt_lookup(root, page), st);
    return TDS_OK;
}
#endif

bool shim_tdxemu_active(void)
{
    return shim_emu_ready;
}

struct tdx_emu *shim_tdxemu_instance(void)
{
    return shim_emu_ready ? &shim_emu : NULL;
}

#endif /* SHIM_HAVE_TDX_EMU */
