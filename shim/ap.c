/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* INIT-SIPI-SIPI for the plain-VM test entry (ap.h). SDM vol. 3 10.6 / 8.4.4.1. */
#include "ap.h"

#include "arch/cpu.h"
#include "idt.h"
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
    uint32_t n = 0;
    for (uint32_t i = 0; i < SPIN_ARRIVAL; i++) {
        n = shim_ap_counters[1];
        if (n >= expected) {
            break;
        }
        cpu_pause();
    }
    *arrived = n;
    return n == expected ? TDS_OK : TDS_ERR_BUSY;
}

/* Firmware mailbox: one slot per vCPU (slot 0 unused) and one loop stack per AP, both in .bss
 * (zeroed by the BSP's 32-bit entry before any AP is released). */
mbox_fw_slot shim_ap_slots[SHIM_MAX_VCPUS];
uint8_t shim_ap_stacks[(SHIM_MAX_VCPUS - 1u) * SHIM_AP_STACK_SIZE] TDS_ALIGNED(16);
static mbox_fw shim_ap_fw;

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
    cpu_write_cr3(__atomic_load_n(&shim_ap_counters[2], __ATOMIC_ACQUIRE)); /* runtime tables */
    cpu_wrmsr(MSR_GS_BASE, index); /* the vCPU index the tdcall emulator sees */
    shim_idt_load(); /* #UD (IST 0) works on APs; other vectors need a TSS (not loaded yet) */
    if (index > 0 && index < SHIM_MAX_VCPUS) {
        mbox_fw_exit ex;
        /* Returns only on EXIT (the OS hand-off is not wired yet) or a missing op: halt. */
        if (mbox_fw_ap_loop(&shim_ap_slots[index], &shim_ap_ops, &ex) != TDS_OK) {
            cpu_halt_forever();
        }
    }
    cpu_halt_forever();
}

tds_status shim_ap_release(uint32_t cpus, uint32_t *parked, mbox_fw **fw)
{
    *parked = 0;
    if (cpus == 0 || cpus > SHIM_MAX_VCPUS) {
        return TDS_ERR_OUT_OF_BOUNDS;
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
