/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The x86 instructions the shim's C code needs, in one place (safe-C rule 13, docs/safe-c.md). Port
 * I/O here runs natively in a plain VM; in a TD it raises #VE, which the #VE handler will turn into
 * TDG.VP.VMCALL<IO> (docs/shim.md, not yet done).
 */
#ifndef TDSHIM_SHIM_ARCH_CPU_H
#define TDSHIM_SHIM_ARCH_CPU_H

#include <stdint.h>

#include "tdshim/compiler.h"

/* The frame the exception stubs build (entry64.nasm isr_common): pushed GPRs, then the vector
 * and error code the stub pushed, then what the CPU pushed. */
typedef struct shim_exc_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error;
    uint64_t rip, cs, rflags, rsp, ss;
} shim_exc_frame;

TDS_ASSERT_SIZE(shim_exc_frame, (size_t)22 * 8);
TDS_ASSERT_OFFSET(shim_exc_frame, vector, (size_t)15 * 8);
TDS_ASSERT_OFFSET(shim_exc_frame, rip, (size_t)17 * 8);

static inline void cpu_outb(uint16_t port, uint8_t v)
{
    __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void cpu_outw(uint16_t port, uint16_t v)
{
    __asm__ __volatile__("outw %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline void cpu_outl(uint16_t port, uint32_t v)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port) : "memory");
}

static inline uint8_t cpu_inb(uint16_t port)
{
    uint8_t v;
    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint16_t cpu_inw(uint16_t port)
{
    uint16_t v;
    __asm__ __volatile__("inw %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline uint32_t cpu_inl(uint16_t port)
{
    uint32_t v;
    __asm__ __volatile__("inl %1, %0" : "=a"(v) : "Nd"(port) : "memory");
    return v;
}

static inline void cpu_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ __volatile__("cpuid"
                         : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                         : "a"(leaf), "c"(sub));
}

static inline uint64_t cpu_read_cr2(void)
{
    uint64_t v;
    __asm__ __volatile__("mov %%cr2, %0" : "=r"(v));
    return v;
}

static inline uint64_t cpu_rdtsc(void)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpu_wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ __volatile__("wrmsr" : : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32)));
}

/* IA32_GS_BASE holds this vCPU's index (0 on the BSP; shim_ap_main sets it on each AP), so the
 * #UD tdcall trap can tell the emulator which vCPU is calling. */
#define MSR_GS_BASE 0xC0000101u

static inline uint64_t cpu_rdmsr(uint32_t msr)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpu_pause(void)
{
    __asm__ __volatile__("pause" : : : "memory");
}

/* 32-bit MMIO (the local APIC). */
static inline uint32_t cpu_mmio_read32(uint64_t addr)
{
    return *(volatile const uint32_t *)(uintptr_t)addr;
}

static inline void cpu_mmio_write32(uint64_t addr, uint32_t v)
{
    *(volatile uint32_t *)(uintptr_t)addr = v;
}

/* Load the GDT register (CS/DS selectors keep their meaning) and the task register. */
static inline void cpu_lgdt_ltr(const void *desc, uint16_t tss_sel)
{
    __asm__ __volatile__("lgdt (%0)\n\tltr %w1" : : "r"(desc), "r"(tss_sel) : "memory");
}

static inline void cpu_write_cr3(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint64_t cpu_read_cr3(void)
{
    uint64_t v;
    __asm__ __volatile__("mov %%cr3, %0" : "=r"(v));
    return v;
}

#define CPU_CR4_OSXSAVE (1ull << 18)

static inline uint64_t cpu_read_cr4(void)
{
    uint64_t v;
    __asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
    return v;
}

static inline void cpu_write_cr4(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr4" : : "r"(v) : "memory");
}

/* XCR0, the OS-enabled XSAVE state components (#UD unless CR4.OSXSAVE; in a TD, XSETBV of a bit
 * outside XFAM is #GP(0): intel/tdx-module src/td_dispatcher/vm_exits/td_xsetbv.c). */
static inline uint64_t cpu_xgetbv0(void)
{
    uint32_t lo;
    uint32_t hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0u));
    return (uint64_t)hi << 32 | lo;
}

static inline void cpu_xsetbv0(uint64_t v)
{
    __asm__ __volatile__("xsetbv"
                         :
                         : "c"(0u), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
                         : "memory");
}

/* Load the IDT register from a 10-byte pseudo-descriptor. */
static inline void cpu_lidt(const void *desc)
{
    __asm__ __volatile__("lidt (%0)" : : "r"(desc) : "memory");
}

/* Absolute address of a link-time symbol above 2 GiB (the ROM window), whatever the code model:
 * movabs carries a 64-bit relocation. */
#define CPU_SYMBOL_ADDR(sym)                                                                       \
    ({                                                                                             \
        uint64_t a_;                                                                               \
        __asm__("movabs $" #sym ", %0" : "=r"(a_));                                                \
        a_;                                                                                        \
    })

TDS_NORETURN static inline void cpu_halt_forever(void)
{
    for (;;) {
        __asm__ __volatile__("cli; hlt" : : : "memory");
    }
}

#endif
