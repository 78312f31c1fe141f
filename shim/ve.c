/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * #VE handler of the shim (ve.h) and its plain-VM test commands.
 *
 * No nesting: the TDX module keeps further #VEs blocked (a #VE would become #DF) until
 * TDG.VP.VEINFO.GET has been called, so the handler reads VEINFO before anything else, and
 * nothing before that can raise #VE (the stub only saves registers; the tdcall itself cannot
 * #VE). After VEINFO.GET the handler only issues TDCALLs, which never #VE. The gate uses IST 0
 * (the interrupted stack, like #UD): a #VE is only raised by specific instructions of the shim
 * running on a valid stack, and any exception inside the handler still gets a fresh IST1.
 */
#include "ve.h"

#include "fatal.h"
#include "log.h"
#include "tdshim/mem.h"
#if defined(SHIM_HAVE_TDCALL)
#include "tdshim/tdx_ve.h"
#endif
#if defined(SHIM_HAVE_TDX_EMU)
#include "tdshim/tdx_emu.h"
#include "tdxemu.h"
#endif

#if defined(SHIM_HAVE_TDCALL)

/* Last handled #VE (the test commands print it): exit reason and RIP advance. */
static struct {
    uint32_t exit_reason;
    uint32_t step;
    uint64_t count;
} shim_ve_last;

static uint64_t shim_ve_shared_mask;

static uint64_t shared_mask(void)
{
    if (shim_ve_shared_mask == 0) {
        struct tdcall_td_info info;
        if (tdcall_vp_info(&info, NULL) == TDS_OK) {
            shim_ve_shared_mask = info.shared_mask;
        }
    }
    return shim_ve_shared_mask;
}

/* The bytes at RIP, only inside the shim's own code (the only code that runs here). */
static tds_bytes code_at(uint64_t rip)
{
    const uint64_t lo = CPU_SYMBOL_ADDR(shim_text_start);
    const uint64_t hi = CPU_SYMBOL_ADDR(shim_text_end);
    if (rip < lo || rip >= hi) {
        return tds_bytes_make(NULL, 0);
    }
    const uint64_t n = hi - rip < TDX_VE_MAX_INSN ? hi - rip : TDX_VE_MAX_INSN;
    return tds_bytes_make((const void *)(uintptr_t)rip, (size_t)n);
}

static void frame_to_regs(const shim_exc_frame *f, struct tdx_ve_regs *r)
{
    const uint64_t g[TDX_VE_GPR_COUNT] = {f->rax, f->rcx, f->rdx, f->rbx, f->rsp, f->rbp,
                                          f->rsi, f->rdi, f->r8,  f->r9,  f->r10, f->r11,
                                          f->r12, f->r13, f->r14, f->r15};
    for (unsigned i = 0; i < TDX_VE_GPR_COUNT; i++) {
        r->gpr[i] = g[i];
    }
    r->rip = f->rip;
    r->rflags = f->rflags;
}

static void regs_to_frame(const struct tdx_ve_regs *r, shim_exc_frame *f)
{
    uint64_t *g[TDX_VE_GPR_COUNT] = {&f->rax, &f->rcx, &f->rdx, &f->rbx, &f->rsp, &f->rbp,
                                     &f->rsi, &f->rdi, &f->r8,  &f->r9,  &f->r10, &f->r11,
                                     &f->r12, &f->r13, &f->r14, &f->r15};
    for (unsigned i = 0; i < TDX_VE_GPR_COUNT; i++) {
        *g[i] = r->gpr[i];
    }
    f->rip = r->rip;
}

bool shim_ve_trap(shim_exc_frame *f)
{
    /* First: VEINFO.GET (re-enables #VE delivery; until then a #VE would be a #DF). */
    struct tdcall_ve_info ve;
    tdcall_status hw = {TDCALL_OTHER, 0, 0};
    if (tdcall_vp_veinfo_get(&ve, &hw) != TDS_OK) {
        shim_log("tdshim: FATAL: #VE without valid VE info (VEINFO.GET rax=0x%lx) rip=0x%016lx",
                 hw.raw, f->rip);
        return false;
    }
    struct tdx_ve_regs r;
    frame_to_regs(f, &r);
    /* CPUID: Linux's rule. Only the hypervisor range 0x40000000-0x4FFFFFFF is asked of the
     * (untrusted) VMM; any other leaf that raises #VE reads as zeros, so the VMM cannot invent
     * CPU features or a vendor for the shim. */
    const struct tdx_ve_config cfg = {shared_mask(), 0};
    struct tdx_ve_report rep;
    if (tdx_ve_handle(&r, &ve, code_at(f->rip), &cfg, &rep) != TDS_OK) {
        char vmm[40] = "";
        if (rep.vmcall_done) {
            (void)shim_format(vmm, sizeof vmm, " (vmm r10=0x%lx)", rep.vs.raw);
        }
        shim_log("tdshim: FATAL: #VE exit_reason=%u qual=0x%lx gla=0x%lx gpa=0x%lx "
                 "rip=0x%016lx: %s%s",
                 ve.exit_reason, ve.exit_qualification, ve.guest_linear_address,
                 ve.guest_physical_address, f->rip, tdx_ve_error_str(rep.error), vmm);
        return false;
    }
    if (r.gpr[TDX_VE_RSP] != f->rsp) {
        shim_log("tdshim: FATAL: #VE at rip=0x%016lx would load RSP from MMIO", f->rip);
        return false;
    }
    shim_ve_last.exit_reason = ve.exit_reason;
    shim_ve_last.step = (uint32_t)(r.rip - f->rip); /* the RIP advance actually applied */
    regs_to_frame(&r, f);
    shim_ve_last.count++;
    return true;
}

#else /* !SHIM_HAVE_TDCALL */

bool shim_ve_trap(shim_exc_frame *f)
{
    shim_log("tdshim: FATAL: #VE rip=0x%016lx: no #VE handler (built without libtdcall)", f->rip);
    return false;
}

#endif

/* ---- test commands (plain VM, emulator behind #UD) ---------------------------------------- */

static bool starts_with(const char *s, const char *p)
{
    while (*p != '\0') {
        if (*s++ != *p++) {
            return false;
        }
    }
    return true;
}

static bool same(const char *a, const char *b)
{
    while (*a != '\0' && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

#if defined(SHIM_HAVE_TDX_EMU)

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
    const uint32_t step = shim_ve_last.step;
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
             sig, upper_kept ? "yes" : "no", calls, shim_ve_last.step);
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
             shim_ve_last.step);
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
             r12, shim_ve_last.step);
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
             ver, cap, zx, sx, sw, vmcalls(TDVMCALL_MMIO) - m0, shim_ve_last.step);
}

/* Hostile: each must end on the fatal path with its reason. */
static void ve_hostile(const char *cmd)
{
    uint64_t p = VE_NOWHERE;
    if (same(cmd, "ve-io-string")) {
        prime(TDX_VE_EXIT_IO, 1, io_qual(0x511, 1, true) | TDX_VE_IO_STRING, 0, 0);
        __asm__ __volatile__("int $20\n\tinsb" : "+D"(p) : "d"(0x511u) : "memory");
    } else if (same(cmd, "ve-unknown")) {
        prime(55, 2, 0, 0, 0);
        __asm__ __volatile__("int $20\n\tnop" : : : "memory");
    } else if (same(cmd, "ve-mmio-bad")) {
        prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p, VE_SB | IOAPIC);
        __asm__ __volatile__("int $20\n\taddl %%eax, (%0)" : : "r"(p), "a"(0u) : "memory");
    } else if (same(cmd, "ve-mmio-private")) {
        prime(TDX_VE_EXIT_EPT_VIOLATION, 0, 0, p, IOAPIC);
        __asm__ __volatile__("int $20\n\tmovl (%0), %%eax" : : "r"(p) : "rax", "memory");
    } else if (same(cmd, "ve-vmm-error")) {
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
    } else if (same(cmd, "ve-noinfo")) {
        __asm__ __volatile__("int $20\n\tnop" : : : "memory");
    } else {
        shim_fatal(0x1FF, "test: unknown ve-* test command");
    }
    shim_fatal(0x6002, "test: a hostile #VE was resumed");
}

bool shim_ve_test_command(const char *cmd)
{
    if (!starts_with(cmd, "ve-")) {
        return false;
    }
    ve_emu = shim_tdxemu_instance();
    if (ve_emu == NULL) {
        shim_fatal(0x6000, "test: ve-* commands need the emulator");
    }
    if (same(cmd, "ve-cpuid")) {
        ve_cpuid();
    } else if (same(cmd, "ve-io")) {
        ve_io();
    } else if (same(cmd, "ve-msr")) {
        ve_msr();
    } else if (same(cmd, "ve-hlt")) {
        ve_hlt();
    } else if (same(cmd, "ve-mmio")) {
        ve_mmio();
    } else {
        ve_hostile(cmd);
    }
    shim_log("tdshim: ve: %lu #VE handled", shim_ve_last.count);
    return true;
}

#else /* !SHIM_HAVE_TDX_EMU */

bool shim_ve_test_command(const char *cmd)
{
    if (!starts_with(cmd, "ve-")) {
        return false;
    }
    shim_fatal(0x6000, "test: ve-* commands need the emulator");
}

#endif
