/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* INIT-SIPI-SIPI for the plain-VM test entry (ap.h). SDM vol. 3 10.6 / 8.4.4.1. */
#include "ap.h"

#include "arch/cpu.h"
#include "cputables.h"
#include "idt.h"
#include "paging.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"
#include "tdshim/mailbox_os.h"

#define MSR_APIC_BASE 0x1Bu
#define APIC_BASE_EXTD (1u << 10) /* x2APIC mode */
#define APIC_BASE_EN (1u << 11)
#define APIC_BASE_MASK 0xFFFFFF000ull
#define APIC_SVR 0xF0u
#define APIC_SVR_ENABLE 0x100u
#define APIC_ICR_LO 0x300u
#define APIC_ICR_HI 0x310u
#define ICR_PENDING (1u << 12)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_ASSERT (1u << 14)
#define SIPI_VECTOR 0xFFu /* 0xFF000: alias of the reset page 0xFFFFF000 */

#define SPIN_DELAY 200000u      /* pause loops standing in for 10 ms / 200 us */
#define SPIN_ARRIVAL 200000000u /* bound on waiting for the APs */

static void spin(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        cpu_pause();
    }
}

static tds_status send_ipi(uint64_t apic, uint32_t icr)
{
    cpu_mmio_write32(apic + APIC_ICR_HI, 0);
    cpu_mmio_write32(apic + APIC_ICR_LO, icr);
    for (uint32_t i = 0; i < SPIN_DELAY; i++) {
        if ((cpu_mmio_read32(apic + APIC_ICR_LO) & ICR_PENDING) == 0) {
            return TDS_OK;
        }
        cpu_pause();
    }
    return TDS_ERR_BUSY;
}

tds_status shim_ap_start_all(uint32_t expected, uint32_t *arrived)
{
    const uint64_t base = cpu_rdmsr(MSR_APIC_BASE);
    if ((base & APIC_BASE_EN) == 0 || (base & APIC_BASE_EXTD) != 0) {
        return TDS_ERR_UNSUPPORTED;
    }
    const uint64_t apic = base & APIC_BASE_MASK;
    cpu_mmio_write32(apic + APIC_SVR, cpu_mmio_read32(apic + APIC_SVR) | APIC_SVR_ENABLE);
    TDS_TRY(send_ipi(apic, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT));
    spin(SPIN_DELAY);
    for (int i = 0; i < 2; i++) {
        TDS_TRY(send_ipi(apic, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | SIPI_VECTOR));
        spin(SPIN_DELAY / 50u);
    }
    return shim_ap_wait_arrival(expected, arrived);
}

tds_status shim_ap_wait_arrival(uint32_t expected, uint32_t *arrived)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < SPIN_ARRIVAL; i++) {
        n = __atomic_load_n(&shim_ap_counters[1], __ATOMIC_ACQUIRE);
        if (n >= expected) {
            break;
        }
        cpu_pause();
    }
    *arrived = n;
    return n == expected ? TDS_OK : TDS_ERR_BUSY;
}

/* Firmware mailbox: one slot per vCPU (slot 0 unused), in .bss (zeroed by the BSP's 32-bit entry
 * before any AP is released). Loop stacks: the AP stack area (ap.h). */
mbox_fw_slot shim_ap_slots[SHIM_MAX_VCPUS];
static mbox_fw shim_ap_fw;

/* Per-AP GDT (same selectors as the BSP's, cputables.c) and 64-bit TSS; a TSS descriptor turns
 * busy on ltr, so every vCPU needs its own. Index 0 unused (the BSP has cputables.c's). */
#define AP_GDT_SIZE (7u * 8u)
static uint8_t shim_ap_gdt[SHIM_MAX_VCPUS][AP_GDT_SIZE] TDS_ALIGNED(16);
static uint8_t shim_ap_tss[SHIM_MAX_VCPUS][SHIM_TSS_SIZE] TDS_ALIGNED(16);

static void ap_load_tss(uint32_t index)
{
    uint8_t *gdt = shim_ap_gdt[index];
    uint8_t *tss = shim_ap_tss[index];
    tds_store_le64(gdt + 0x00, 0);
    tds_store_le64(gdt + 0x08, 0x00CF9B000000FFFFull);
    tds_store_le64(gdt + 0x10, 0x00CF93000000FFFFull);
    tds_store_le64(gdt + 0x18, 0x00AF9B000000FFFFull);
    shim_tss_desc_encode(gdt + SHIM_SEL_TSS, (uint64_t)(uintptr_t)tss, SHIM_TSS_SIZE - 1);
    memset(tss, 0, SHIM_TSS_SIZE);
    const uint64_t ist_top = shim_ap_guard(index) + SHIM_AP_SLOT_SIZE;
    tds_store_le64(tss + SHIM_TSS_IST1, ist_top);
    tds_store_le16(tss + 0x66, SHIM_TSS_SIZE); /* no I/O permission bitmap */
    uint8_t desc[10];
    tds_store_le16(desc, (uint16_t)(AP_GDT_SIZE - 1));
    tds_store_le64(desc + 2, (uint64_t)(uintptr_t)gdt);
    cpu_lgdt_ltr(desc, SHIM_SEL_TSS);
}

#define SPIN_MBOX 400000000u /* pause() calls before a mailbox wait gives up */

static bool op_pause(void *ctx)
{
    (void)ctx;
    mbox_x86_pause();
    return true;
}

/* Plain VM: the x2APIC ID from CPUID 0xB EDX (in a TD this would be TDVMCALL<CPUID>). */
static uint32_t op_apic_id(void *ctx)
{
    (void)ctx;
    uint32_t r[4];
    cpu_cpuid(0xB, 0, r);
    return r[3];
}

static void op_run_on_stack(void *ctx, mbox_work_fn *fn, void *arg, uint32_t worker,
                            uint64_t stack_top)
{
    (void)ctx;
    mbox_x86_call_on_stack(fn, arg, worker, stack_top);
}

static void op_set_cr3(void *ctx, uint64_t cr3)
{
    (void)ctx;
    mbox_x86_write_cr3(cr3);
}

static void op_load_idt(void *ctx, uint64_t base, uint16_t limit)
{
    (void)ctx;
    mbox_x86_lidt(base, limit);
}

static const mbox_arch_ops shim_ap_ops = {
    .ctx = NULL,
    .pause = op_pause,
    .read_apic_id = op_apic_id,
    .halt = NULL, /* SLEEP unsupported: no TDVMCALL<HLT> from APs yet */
    .run_on_stack = op_run_on_stack,
    .set_cr3 = op_set_cr3,
    .load_idt = op_load_idt,
    .jump_to_vector = NULL,
};

void shim_ap_main(uint32_t index)
{
    /* entry64.nasm never calls with an index outside 1 .. SHIM_MAX_VCPUS-1. */
    if (index > 0 && index < SHIM_MAX_VCPUS) {
        cpu_write_cr3(__atomic_load_n(&shim_ap_counters[2], __ATOMIC_ACQUIRE)); /* runtime tables */
        ap_load_tss(index);            /* before the IDT: every vector but #UD runs on IST1 */
        cpu_wrmsr(MSR_GS_BASE, index); /* the vCPU index the tdcall emulator sees */
        shim_idt_load();
        mbox_fw_exit ex;
        /* Returns on EXIT (the hand-off, docs/handoff.md §7: a0 = the OS-loop entry of the
         * installed blob, a1 = the ACPI mailbox) or on a missing op (halt). */
        if (mbox_fw_ap_loop(&shim_ap_slots[index], &shim_ap_ops, &ex) == TDS_OK && ex.a0 != 0) {
            mbox_x86_enter_os_loop(ex.a0, ex.a1, ex.apic_id); /* a jump: never returns */
        }
    }
    cpu_halt_forever();
}

/* Test workers run on an AP (shim_ap_fault_test): each must end in the fatal path. */
static void ap_test_pf(void *arg, uint32_t worker)
{
    (void)arg;
    (void)worker;
    (void)*(volatile uint64_t *)(uintptr_t)0x100000000000ull; /* 16 TiB: not mapped */
}

static void ap_test_overflow(void *arg, uint32_t worker)
{
    (void)arg;
    /* Run this AP's stack into its guard page: the #PF must still be reported (IST1). */
    const uint64_t bottom = shim_ap_guard(worker) + 0x1000;
    __asm__ __volatile__("mov %0, %%rsp\n\tpush %%rax" : : "r"(bottom) : "memory");
}

tds_status shim_ap_fault_test(mbox_fw *fw, uint32_t ap, const char *what)
{
    mbox_work_fn *fn = NULL;
    if (what[0] == 'p' && what[1] == 'f' && what[2] == '\0') {
        fn = ap_test_pf;
    } else if (what[0] == 'o' && what[1] == 'v' && what[2] == 'e' && what[3] == 'r') {
        fn = ap_test_overflow;
    } else {
        return TDS_ERR_INVALID_ARG;
    }
    const mbox_fw_command run = mbox_fw_cmd_run(fn, NULL, ap, 0);
    uint32_t result = 0;
    TDS_TRY(mbox_fw_send(fw, ap, &run, &result));
    return TDS_ERR_STATE; /* the worker returned: the fault was not taken */
}

tds_status shim_ap_release(uint32_t cpus, uint32_t *parked, mbox_fw **fw)
{
    *parked = 0;
    if (cpus == 0 || cpus > SHIM_MAX_VCPUS) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    /* Guard pages below every present AP's stack (the area is 2 MiB-mapped until now). */
    for (uint32_t ap = 1; ap < cpus; ap++) {
        TDS_TRY(shim_paging_protect(shim_ap_guard(ap), 0x1000, 0));
    }
    TDS_TRY(mbox_fw_init(&shim_ap_fw, shim_ap_slots, cpus, 0, 0, SPIN_MBOX, &shim_ap_ops));
    const uint64_t cr3 = cpu_read_cr3();
    if (cr3 == 0 || cr3 > 0xFFFFF000ull) {
        return TDS_ERR_OUT_OF_BOUNDS;
    }
    __atomic_store_n(&shim_ap_counters[2], (uint32_t)cr3, __ATOMIC_RELEASE);
    TDS_TRY(mbox_fw_wait_arrival(&shim_ap_fw, cpus));
    uint32_t n = 0;
    for (uint32_t ap = 1; ap < cpus; ap++) {
        uint32_t id = 0;
        if (mbox_fw_apic_id(&shim_ap_fw, ap, &id) == TDS_OK) {
            n++;
        }
    }
    *parked = n;
    if (n != cpus - 1u) {
        return TDS_ERR_BUSY;
    }
    *fw = &shim_ap_fw;
    return TDS_OK;
}
