/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test image's TDX module: libtdcall's emulator (tdx_emu) behind #UD, so the shim's real
 * `tdcall` instructions run under QEMU TCG. The production shim_trap reports a #UD as a fatal
 * exception; this image's link wraps shim_trap (--wrap), so a #UD on a TDCALL instruction comes
 * here first, from any code (the shim, the payload, the OS-mailbox blob). The emulator plays both
 * the module and the VMM: its GHCI hooks do this VM's real port I/O, CPUID, MSR and MMIO, and
 * ReportFatalError ends the run with the fatal status. It is set up on the first tdcall (the
 * BSP's first console byte), from fw_cfg: the vCPU count, the RAM map (etc/e820),
 * opt/tdshim/accept-zero = 1 (ACCEPT zeroes the page, as the module does), and
 * opt/tdshim/emu-vcpus = N (decimal: the module reports N vCPUs whatever QEMU runs, to test the
 * shim's limits without starting hundreds of TCG threads).
 */
#include "fw_test.h"

#include "fatal.h"
#include "fwcfg.h"
#include "pio.h"
#include "log.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"
#include "tdshim/tdx_emu.h"

#define MB 0x100000ull
#define TEMPMEM_BASE 0x100000ull /* default TempMem + TD_HOB sections: VMM-added, accepted */
#define TEMPMEM_END 0x820000ull
#define HIGH_2M_BASE 0xA00000ull /* first 2 MiB boundary above TEMPMEM_END */
#define TDCALL_INSN 0xCC010F66u  /* 66 0F 01 CC */

typedef struct ram_range {
    uint64_t base;
    uint64_t size;
} ram_range;

static struct tdx_emu tdtest_emu_state;
static struct tdx_emu_range tdtest_ranges[3 + TDTEST_EMU_MAX_RAM_RANGES];
static uint32_t tdtest_emu_ready; /* 0 = not yet, 1 = being set up, 2 = ready (atomics) */

TDS_NORETURN void tdtest_exit(uint32_t v)
{
    cpu_outl(0xF4, v);
    cpu_halt_forever();
}

void tdtest_log(const char *fmt, ...)
{
    char line[SHIM_LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    const size_t n = shim_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < n; i++) {
        cpu_outb(0x3F8, (uint8_t)line[i]);
    }
    cpu_outb(0x3F8, '\r');
    cpu_outb(0x3F8, '\n');
}

bool tdtest_str_eq(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

/* The emulated VMM's own view of fw_cfg: plain port I/O (it is the VMM, not the TD). */
shim_fwcfg *tdtest_fwcfg(void)
{
    static shim_fwcfg f;
    static bool opened;
    if (!opened) {
        if (shim_fwcfg_open(&f, SHIM_PIO_DIRECT) != TDS_OK) {
            tdtest_log("tdtest: no fw_cfg");
            tdtest_exit(TDTEST_EXIT_FATAL);
        }
        opened = true;
    }
    return &f;
}

tds_status tdtest_knob(const char *name, char *buf, size_t cap)
{
    size_t size = 0;
    if (cap == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(shim_fwcfg_read_file(tdtest_fwcfg(), name, (uint8_t *)buf, cap - 1, &size));
    buf[size] = '\0';
    if (size > 0 && buf[size - 1] == '\n') {
        buf[size - 1] = '\0';
    }
    return TDS_OK;
}

uint32_t tdtest_vcpus(void)
{
    return *(volatile const uint32_t *)(uintptr_t)CPU_SYMBOL_ADDR(tdtest_cpus);
}

/* The calling vCPU's index: its x2APIC ID looked up in the table td_entry.nasm filled. */
static uint32_t calling_vcpu(void)
{
    uint32_t r[4];
    cpu_cpuid(0xB, 0, r);
    const volatile uint32_t *ids =
        (const volatile uint32_t *)(uintptr_t)CPU_SYMBOL_ADDR(tdtest_apic_ids);
    const uint32_t n = tdtest_vcpus();
    for (uint32_t i = 0; i < n && i < TDTEST_APIC_SLOTS; i++) {
        if (ids[i] == r[3]) {
            return i;
        }
    }
    tdtest_log("tdtest: x2APIC ID %u issued a tdcall but took no vCPU index", r[3]);
    tdtest_exit(TDTEST_EXIT_FATAL);
}

static uint64_t hook_io(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                        uint64_t *value)
{
    (void)ctx;
    (void)vcpu;
    if (tdtest_vmm_io(port, size, write, value)) {
        return 0;
    }
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
    return 0; /* no interrupts in this VM: halting would never end */
}

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

/* MMIO: the VMM side maps a shared GPA to the device at the same address without the shared bit
 * (bit 47, GPAW 48). */
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
    tdtest_log("tdshim: vmm: ReportFatalError vcpu=%u code=0x%lx msg='%s'", vcpu, code, text);
    tdtest_exit(TDTEST_EXIT_FATAL);
}

/*
 * The VM's RAM from fw_cfg etc/e820 (20-byte entries: u64 base, u64 length, u32 type; type 1 =
 * RAM), in order; without the file, q35's rule from the RAM size (key 0x03).
 */
static size_t vm_ram(ram_range *out, size_t cap)
{
    uint8_t raw[20 * 32];
    size_t size = 0;
    size_t n = 0;
    const tds_status st = shim_fwcfg_read_file(tdtest_fwcfg(), "etc/e820", raw, sizeof raw, &size);
    if (st == TDS_OK) {
        for (size_t off = 0; off + 20 <= size; off += 20) {
            if (tds_load_le32(raw + off + 16) != 1) {
                continue;
            }
            if (n == cap) {
                tdtest_log("tdtest: emulator: more than %lu RAM entries in etc/e820",
                           (uint64_t)cap);
                tdtest_exit(TDTEST_EXIT_FATAL);
            }
            out[n].base = tds_load_le64(raw + off);
            out[n].size = tds_load_le64(raw + off + 8);
            n++;
        }
        return n;
    }
    if (st != TDS_ERR_NOT_FOUND) {
        tdtest_log("tdtest: emulator: etc/e820 unreadable or larger than %lu bytes",
                   (uint64_t)sizeof raw);
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    uint8_t le[8];
    if (shim_fwcfg_read(tdtest_fwcfg(), SHIM_FWCFG_RAM_SIZE, le, sizeof le) != TDS_OK) {
        tdtest_log("tdtest: emulator: no RAM size from fw_cfg");
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    const uint64_t ram = tds_load_le64(le);
    /* q35 keeps RAM below 4 GiB up to 2 GiB when the VM has 2.75 GiB or more, else all of it. */
    const uint64_t low = ram >= 0xB0000000ull ? 0x80000000ull : ram;
    out[n++] = (ram_range){0, low};
    if (ram > low && cap > 1) {
        out[n++] = (ram_range){1ull << 32, ram - low};
    }
    return n;
}

/*
 * The harness's shared alias (run-qemu.sh TDSHIM_SHARED_ALIAS=1): an ivshmem-plain device in slot
 * TDTEST_ALIAS_SLOT whose memory is the first MiB of the guest-RAM file. Its 64-bit BAR 2 goes at
 * the shared bit (GPAW 48), so GPA (shared bit | x) reaches the same bytes as private GPA x for
 * x below 1 MiB, as a TD's shared mapping of a page reaches the memory the VMM sees. No alias
 * device: nothing is mapped there (the negative control).
 */
static void map_shared_alias(void)
{
    uint32_t id = 0;
    if (shim_pci_read32(SHIM_PIO_DIRECT, TDTEST_ALIAS_SLOT, 0, 0, &id) != TDS_OK ||
        id != 0x11101AF4u) {
        return;
    }
    uint32_t cmd = 0;
    if (shim_pci_write32(SHIM_PIO_DIRECT, TDTEST_ALIAS_SLOT, 0, 0x18, 0) != TDS_OK ||
        shim_pci_write32(SHIM_PIO_DIRECT, TDTEST_ALIAS_SLOT, 0, 0x1C,
                         (uint32_t)(TDTEST_ALIAS_GPA >> 32)) != TDS_OK ||
        shim_pci_read32(SHIM_PIO_DIRECT, TDTEST_ALIAS_SLOT, 0, 0x04, &cmd) != TDS_OK ||
        shim_pci_write32(SHIM_PIO_DIRECT, TDTEST_ALIAS_SLOT, 0, 0x04, cmd | 0x2u) != TDS_OK) {
        tdtest_log("tdtest: emulator: cannot program the shared-alias device");
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    tdtest_log("tdshim: emulator shared alias: [0, 0x100000) again at 0x%lx", TDTEST_ALIAS_GPA);
}

/* Describe the VM to the emulator: low RAM 0-1 MiB pending, the TempMem and TD_HOB sections
 * accepted (the VMM added them), then pending (2 MiB leaves from 0xA00000 when the size allows);
 * every range above it pending with 2 MiB leaves where aligned. */
static void emu_setup(void)
{
    ram_range ram[TDTEST_EMU_MAX_RAM_RANGES];
    const size_t n = vm_ram(ram, TDS_ARRAY_LEN(ram));
    char zero[4];
    const bool zero_on_accept =
        tdtest_knob("opt/tdshim/accept-zero", zero, sizeof zero) == TDS_OK &&
        tdtest_str_eq(zero, "1");
    if (n == 0 || ram[0].base != 0 || ram[0].size < HIGH_2M_BASE + 2 * MB) {
        tdtest_log("tdtest: emulator: RAM must start at 0 and reach past 0xC00000");
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    uint64_t pages = 0;
    for (size_t i = 0; i < n; i++) {
        if ((ram[i].base % 4096) != 0 || (ram[i].size % 4096) != 0 || ram[i].size == 0 ||
            (i > 0 && ram[i].base < ram[i - 1].base + ram[i - 1].size)) {
            tdtest_log("tdtest: emulator: etc/e820 RAM unsorted or unaligned");
            tdtest_exit(TDTEST_EXIT_FATAL);
        }
        pages += ram[i].size / 4096;
    }
    if (pages > TDTEST_EMU_STATE_END - TDTEST_EMU_STATE) {
        tdtest_log("tdtest: emulator: more than 16 GiB of RAM");
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    uint8_t *ps = (uint8_t *)(uintptr_t)TDTEST_EMU_STATE;
    const uint64_t bounds[5] = {0, TEMPMEM_BASE, TEMPMEM_END, HIGH_2M_BASE, ram[0].size};
    const tdx_emu_page_state init[4] = {TDX_EMU_PAGE_PENDING, TDX_EMU_PAGE_ACCEPTED,
                                        TDX_EMU_PAGE_PENDING, TDX_EMU_PAGE_PENDING};
    size_t k = 0;
    for (int i = 0; i < 4; i++, k++) {
        tdtest_ranges[k].base = bounds[i];
        tdtest_ranges[k].size = bounds[i + 1] - bounds[i];
        tdtest_ranges[k].initial = init[i];
        tdtest_ranges[k].map_level =
            (i == 3 && (ram[0].size % (2 * MB)) == 0) ? TDCALL_PAGE_2M : TDCALL_PAGE_4K;
    }
    for (size_t i = 1; i < n; i++, k++) {
        tdtest_ranges[k].base = ram[i].base;
        tdtest_ranges[k].size = ram[i].size;
        tdtest_ranges[k].initial = TDX_EMU_PAGE_PENDING;
        tdtest_ranges[k].map_level =
            ((ram[i].base | ram[i].size) % (2 * MB)) == 0 ? TDCALL_PAGE_2M : TDCALL_PAGE_4K;
    }
    for (size_t i = 0; i < k; i++) {
        tdtest_ranges[i].page_state = ps;
        ps += tdtest_ranges[i].size / 4096;
        /* Identity-mapped RAM: ACCEPT zeroes the page as the module does (optional: cost). */
        tdtest_ranges[i].backing =
            zero_on_accept ? (uint8_t *)(uintptr_t)tdtest_ranges[i].base : NULL;
    }
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.gpaw = 48;
    cfg.num_vcpus = tdtest_vcpus();
    char vcpus[8];
    if (tdtest_knob("opt/tdshim/emu-vcpus", vcpus, sizeof vcpus) == TDS_OK) {
        uint32_t v = 0;
        for (const char *p = vcpus; *p >= '0' && *p <= '9' && v < 100000u; p++) {
            v = v * 10u + (uint32_t)(*p - '0');
        }
        cfg.num_vcpus = v;
    }
    cfg.max_vcpus = cfg.num_vcpus;
    /* XFAM (TDINFO): x87, SSE, AVX and the AVX-512 state, as a TD usually gets it (0xE7); the
     * knob opt/tdshim/emu-xfam (hex, e.g. 0x3) takes the AVX state away (the shim's SHA-384 then
     * stays scalar, simd.c). */
    cfg.xfam = 0xE7;
    char xfam[24];
    if (tdtest_knob("opt/tdshim/emu-xfam", xfam, sizeof xfam) == TDS_OK) {
        uint64_t x = 0;
        const char *p = xfam;
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
            p += 2;
        }
        for (int digits = 0; digits < 16; digits++, p++) {
            int d = *p >= '0' && *p <= '9'   ? *p - '0'
                    : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                    : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
                                             : -1;
            if (d < 0) {
                break;
            }
            x = x << 4 | (uint64_t)d;
        }
        cfg.xfam = x;
    }
    tdtest_vmm_setup();
    map_shared_alias();
    cfg.ranges = tdtest_ranges;
    cfg.range_count = (uint32_t)k;
    cfg.hooks.io = hook_io;
    cfg.hooks.cpuid = hook_cpuid;
    cfg.hooks.hlt = hook_hlt;
    cfg.hooks.report_fatal_error = hook_fatal;
    cfg.hooks.rdmsr = hook_rdmsr;
    cfg.hooks.wrmsr = hook_wrmsr;
    cfg.hooks.mmio = hook_mmio;
    if (tdx_emu_init(&tdtest_emu_state, &cfg) != TDS_OK) {
        tdtest_log("tdtest: emulator: tdx_emu_init refused this VM");
        tdtest_exit(TDTEST_EXIT_FATAL);
    }
    for (size_t i = 0; i < n; i++) {
        tdtest_log("tdshim: emulator ram [0x%lx, 0x%lx)%s", ram[i].base, ram[i].base + ram[i].size,
                   zero_on_accept ? " zeroed on accept" : "");
    }
}

struct tdx_emu *tdtest_emu(void)
{
    uint32_t expect = 0;
    if (__atomic_compare_exchange_n(&tdtest_emu_ready, &expect, 1u, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE)) {
        emu_setup();
        __atomic_store_n(&tdtest_emu_ready, 2u, __ATOMIC_RELEASE);
    }
    while (__atomic_load_n(&tdtest_emu_ready, __ATOMIC_ACQUIRE) != 2u) {
        cpu_pause();
    }
    return &tdtest_emu_state;
}

uint64_t tdtest_emu_io_calls(void)
{
    struct tdx_emu_counters c;
    tdx_emu_counters_get(tdtest_emu(), &c);
    return c.vmcall_subfn[tdx_emu_vmcall_slot(TDVMCALL_IO)];
}

void tdtest_emu_counters(struct tdx_emu_counters *out)
{
    tdx_emu_counters_get(tdtest_emu(), out);
}

tds_status tdtest_emu_count_pending(uint64_t base, uint64_t len, uint64_t *pending)
{
    *pending = 0;
    for (uint64_t a = base; a < base + len; a += 4096) {
        uint8_t st = 0;
        TDS_TRY(tdx_emu_page_get(tdtest_emu(), a, &st));
        if (st != TDX_EMU_PAGE_ACCEPTED) {
            *pending += 4096;
        }
    }
    return TDS_OK;
}

/* The exception stubs' C entry, ahead of the production one (--wrap=shim_trap). */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's name */
void __wrap_shim_trap(shim_exc_frame *f)
{
    /* A #UD was raised by a decoded instruction, so its bytes at RIP are mapped and readable. */
    if (f->vector == 6 && tds_load_le32((const uint8_t *)(uintptr_t)f->rip) == TDCALL_INSN) {
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
        struct tdx_emu *emu = tdtest_emu();
        (void)tdx_emu_dispatch(emu, calling_vcpu(), &r);
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
        f->rip += 4;
        return;
    }
    __real_shim_trap(f);
}
