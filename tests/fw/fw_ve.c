/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The `ve-*` test commands (fw_test.h): each arms the emulator's pending VEINFO, then executes
 * `int $20` right before the real instruction (RIP then points at it, as for a real #VE; the
 * registers point at unmapped memory, so an instruction that was not stepped over would fault),
 * and checks what the production #VE handler (shim/ve.c) did.
 */
#include "fw_test.h"

#include "fatal.h"
#include "log.h"
#include "tdshim/mem.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/tdx_ve.h"
#include "ve.h"

static bool starts_with(const char *s, const char *p)
{
    while (*p != '\0') {
        if (*s++ != *p++) {
            return false;
        }
    }
    return true;
}

#define VE_SB (1ull << 47)           /* shared bit of the emulated TD (GPAW 48) */
#define VE_NOWHERE 0x100000000000ull /* 16 TiB: unmapped, so a not-emulated access faults */
#define IOAPIC 0xFEC00000ull
#define HPET 0xFED00000ull

static struct tdx_emu *ve_emu;
static struct {
    uint64_t r11, r12;
    uint64_t calls;
} ve_seen; /* the VMM's view of the last TDVMCALL */

static void ve_observe(void *ctx, uint32_t vcpu, const struct tdcall_regs *in,
                       const struct tdcall_regs *out)
{
    (void)ctx;
    (void)vcpu;
    (void)out;
    ve_seen.r11 = in->r11;
    ve_seen.r12 = in->r12;
    ve_seen.calls++;
}

static uint64_t vmcalls(uint32_t subfn)
{
    struct tdx_emu_counters c;
    tdx_emu_counters_get(ve_emu, &c);
    return c.vmcall_subfn[tdx_emu_vmcall_slot(subfn)];
}

/* Arm the next VEINFO.GET. */
static void prime(uint32_t reason, uint32_t len, uint64_t qual, uint64_t gla, uint64_t gpa)
{
    struct tdcall_ve_info ve;
    memset(&ve, 0, sizeof ve);
    ve.exit_reason = reason;
    ve.instr_length = len;
    ve.exit_qualification = qual;
    ve.guest_linear_address = gla;
    ve.guest_physical_address = gpa;
    if (tdx_emu_inject_ve(ve_emu, 0, &ve) != TDS_OK) {
        shim_fatal(0x6001, "test: could not arm the emulator's pending #VE");
    }
}

static uint64_t io_qual(uint16_t port, uint32_t size, bool in)
{
    return ((uint64_t)port << TDX_VE_IO_PORT_SHIFT) | (size - 1u) | (in ? TDX_VE_IO_IN : 0);
}

static void ve_cpuid(void)
{
    const uint64_t c0 = vmcalls(TDVMCALL_CPUID);
    uint32_t a = 0, b = 0, c = 0, d = 0;
    prime(TDX_VE_EXIT_CPUID, 2, 0, 0, 0);
    __asm__ __volatile__("int $20\n\tcpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
    const uint32_t step = shim_ve_last_handled().step;
    char vendor[13];
    const uint32_t v[3] = {b, d, c};
    for (unsigned i = 0; i < 12; i++) {
        const uint8_t ch = (uint8_t)(v[i / 4] >> (8u * (i % 4)));
        vendor[i] = '?';
        if (ch >= 0x20 && ch < 0x7F) {
            vendor[i] = (char)ch;
        }
    }
    vendor[12] = '\0';
    shim_log("tdshim: ve-cpuid: leaf=0 max=0x%x vendor='%s' tdvmcall<cpuid>=+%lu step=%u "
             "(not the VMM's to answer: zeros)",
             a, vendor, vmcalls(TDVMCALL_CPUID) - c0, step);
    a = 0x40000000u;
    c = 0;
    prime(TDX_VE_EXIT_CPUID, 2, 0, 0, 0);
    __asm__ __volatile__("int $20\n\tcpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d) : : "memory");
    shim_log("tdshim: ve-cpuid: leaf=0x40000000 eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x "
             "tdvmcall<cpuid>=+%lu",
             a, b, c, d, vmcalls(TDVMCALL_CPUID) - c0);
}

static void ve_io(void)
{
    const uint64_t c0 = vmcalls(TDVMCALL_IO); /* no console line until the count is taken */
    /* OUT: select fw_cfg key 0 (signature) through the selector port 0x510. */
    prime(TDX_VE_EXIT_IO, 2, io_qual(0x510, 2, false), 0, 0);
    __asm__ __volatile__("int $20\n\toutw %%ax, %%dx" : : "a"(0u), "d"(0x510u) : "memory");
    /* IN: four bytes of the data port; the upper bits of RAX must survive each. */
    char sig[5];
    bool upper_kept = true;
    for (unsigned i = 0; i < 4; i++) {
        uint64_t rax = 0x1122334455667700ull;
        prime(TDX_VE_EXIT_IO, 1, io_qual(0x511, 1, true), 0, 0);
        __asm__ __volatile__("int $20\n\tinb %%dx, %%al" : "+a"(rax) : "d"(0x511u) : "memory");
        upper_kept = upper_kept && (rax >> 8) == 0x11223344556677ull;
        sig[i] = (char)rax;
    }
    sig[4] = '\0';
    const uint64_t calls = vmcalls(TDVMCALL_IO) - c0;
    shim_log("tdshim: ve-io: fw_cfg signature='%s' upper-rax-kept=%s tdvmcall<io>=+%lu step=%u",
             sig, upper_kept ? "yes" : "no", calls, shim_ve_last_handled().step);
}

static void ve_msr(void)
{
    const uint64_t r0 = vmcalls(TDVMCALL_RDMSR);
    const uint64_t w0 = vmcalls(TDVMCALL_WRMSR);
    uint32_t lo = 0, hi = 0;
    prime(TDX_VE_EXIT_RDMSR, 2, 0, 0, 0);
    __asm__ __volatile__("int $20\n\trdmsr" : "=a"(lo), "=d"(hi) : "c"(0x1Bu) : "memory");
    const uint64_t apic_base = ((uint64_t)hi << 32) | lo;
    prime(TDX_VE_EXIT_WRMSR, 2, 0, 0, 0);
    __asm__ __volatile__("int $20\n\twrmsr" : : "a"(lo), "d"(hi), "c"(0x1Bu) : "memory");
    shim_log("tdshim: ve-msr: IA32_APIC_BASE=0x%lx tdvmcall<rdmsr>=+%lu tdvmcall<wrmsr>=+%lu "
             "step=%u",
             apic_base, vmcalls(TDVMCALL_RDMSR) - r0, vmcalls(TDVMCALL_WRMSR) - w0,
             shim_ve_last_handled().step);
}

static void ve_hlt(void)
{
    ve_seen.calls = 0;
    tdx_emu_set_observer(ve_emu, ve_observe, NULL);
    prime(TDX_VE_EXIT_HLT, 1, 0, 0, 0);
    /* Interrupts are off: a HLT that really executed would never return. */
    __asm__ __volatile__("int $20\n\thlt" : : : "memory");
    const uint64_t r11 = ve_seen.r11;
    const uint64_t r12 = ve_seen.r12;
    tdx_emu_set_observer(ve_emu, NULL, NULL);
    shim_log("tdshim: ve-hlt: resumed; vmm saw r11=0x%lx r12=%lu (interrupts blocked) step=%u", r11,
             r12, shim_ve_last_handled().step);
}

static void ve_mmio(void)
{
    const uint64_t m0 = vmcalls(TDVMCALL_MMIO);
    /* The registers point at unmapped memory: an access that really executed would #PF. */
    uint64_t p = VE_NOWHERE;
    uint32_t ver = 0;
    prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p, VE_SB | IOAPIC); /* IOREGSEL = 1 (version) */
    __asm__ __volatile__("int $20\n\tmovl $1, (%0)" : : "r"(p) : "memory");
    prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p + 0x10, VE_SB | (IOAPIC + 0x10)); /* IOWIN */
    __asm__ __volatile__("int $20\n\tmovl 0x10(%1), %0" : "=r"(ver) : "r"(p) : "memory");
    uint64_t cap = 0;
    prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p, VE_SB | HPET);
    __asm__ __volatile__("int $20\n\tmovq (%1), %0" : "=r"(cap) : "r"(p) : "memory");
    /* Byte/word loads: HPET and IOAPIC take only 4/8-byte accesses, so the "device" is a
     * pattern in the shim's rodata, reached through its shared alias like any MMIO GPA. */
    static const uint8_t pattern[8] TDS_ALIGNED(8) = {0x11, 0x22, 0x80, 0x7F, 0x00, 0x80, 0, 0};
    const uint64_t pat = (uint64_t)(uintptr_t)pattern;
    const uint64_t q = VE_NOWHERE + (pat & 0xFFFu); /* same page offset as the GPA */
    uint32_t zx = 0xFFFFFFFFu;
    prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, q + 2, VE_SB | (pat + 2));
    __asm__ __volatile__("int $20\n\tmovzbl 2(%1), %0" : "=r"(zx) : "r"(q) : "memory");
    uint64_t sx = 0;
    prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, q + 2, VE_SB | (pat + 2));
    __asm__ __volatile__("int $20\n\tmovsbq 2(%1), %0" : "=r"(sx) : "r"(q) : "memory");
    uint64_t sw = 0xFFFFFFFFFFFFFFFFull;
    prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, q + 4, VE_SB | (pat + 4));
    __asm__ __volatile__("int $20\n\tmovswl 4(%1), %k0" : "+r"(sw) : "r"(q) : "memory");
    shim_log("tdshim: ve-mmio: ioapic version=0x%x hpet cap=0x%lx movzx=0x%x movsx=0x%lx "
             "movsxw32=0x%lx tdvmcall<mmio>=+%lu step=%u",
             ver, cap, zx, sx, sw, vmcalls(TDVMCALL_MMIO) - m0, shim_ve_last_handled().step);
}

/* Hostile: each must end on the fatal path with its reason. */
static void ve_hostile(const char *cmd)
{
    uint64_t p = VE_NOWHERE;
    if (tdtest_str_eq(cmd, "ve-io-string")) {
        prime(TDX_VE_EXIT_IO, 1, io_qual(0x511, 1, true) | TDX_VE_IO_STRING, 0, 0);
        __asm__ __volatile__("int $20\n\tinsb" : "+D"(p) : "d"(0x511u) : "memory");
    } else if (tdtest_str_eq(cmd, "ve-unknown")) {
        prime(55, 2, 0, 0, 0);
        __asm__ __volatile__("int $20\n\tnop" : : : "memory");
    } else if (tdtest_str_eq(cmd, "ve-mmio-bad")) {
        prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p, VE_SB | IOAPIC);
        __asm__ __volatile__("int $20\n\taddl %%eax, (%0)" : : "r"(p), "a"(0u) : "memory");
    } else if (tdtest_str_eq(cmd, "ve-mmio-private")) {
        prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p, IOAPIC);
        __asm__ __volatile__("int $20\n\tmovl (%0), %%eax" : : "r"(p) : "rax", "memory");
    } else if (tdtest_str_eq(cmd, "ve-vmm-error")) {
        /* The VMM fails the TDVMCALL<CPUID>: no silent resume with stale registers. */
        struct tdx_emu_faults fl;
        memset(&fl, 0, sizeof fl);
        fl.vmcall_subfn = TDVMCALL_CPUID;
        fl.vmcall_count = 1;
        fl.vmcall_status = TDVMCALL_STATUS_INVALID_OPERAND;
        tdx_emu_faults_set(ve_emu, &fl);
        prime(TDX_VE_EXIT_CPUID, 2, 0, 0, 0);
        __asm__ __volatile__("int $20\n\tcpuid"
                             :
                             : "a"(0x40000000u), "c"(0u)
                             : "rbx", "rdx", "memory");
    } else if (tdtest_str_eq(cmd, "ve-noinfo")) {
        __asm__ __volatile__("int $20\n\tnop" : : : "memory");
    } else {
        shim_fatal(0x1FF, "test: unknown ve-* test command");
    }
    shim_fatal(0x6002, "test: a hostile #VE was resumed");
}

bool tdtest_ve_command(const char *cmd)
{
    if (!starts_with(cmd, "ve-")) {
        return false;
    }
    ve_emu = tdtest_emu();
    if (tdtest_str_eq(cmd, "ve-cpuid")) {
        ve_cpuid();
    } else if (tdtest_str_eq(cmd, "ve-io")) {
        ve_io();
    } else if (tdtest_str_eq(cmd, "ve-msr")) {
        ve_msr();
    } else if (tdtest_str_eq(cmd, "ve-hlt")) {
        ve_hlt();
    } else if (tdtest_str_eq(cmd, "ve-mmio")) {
        ve_mmio();
    } else {
        ve_hostile(cmd);
    }
    shim_log("tdshim: ve: %lu #VE handled", shim_ve_last_handled().count);
    return true;
}
