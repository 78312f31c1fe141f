/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The APs of a TD: counted in through the early mailbox, released into libmailbox (ap.h). */
#include "ap.h"

#include "arch/cpu.h"
#include "boot.h"
#include "cputables.h"
#include "idt.h"
#include "paging.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"
#include "tdshim/mailbox_os.h"

#define SPIN_ARRIVAL 200000000u /* bound on waiting for the APs */

tds_status shim_ap_wait_arrival(uint32_t expected, uint32_t *arrived)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < SPIN_ARRIVAL; i++) {
        n = __atomic_load_n(&SHIM_EARLY_MBOX->arrived, __ATOMIC_ACQUIRE);
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
static uint8_t shim_ap_gdt[SHIM_MAX_VCPUS][SHIM_GDT_SIZE] TDS_ALIGNED(16);
static uint8_t shim_ap_tss[SHIM_MAX_VCPUS][SHIM_TSS_SIZE] TDS_ALIGNED(16);

static void ap_load_tss(uint32_t index)
{
    shim_cputables_load(shim_ap_gdt[index], shim_ap_tss[index],
                        shim_ap_guard(index) + SHIM_AP_SLOT_SIZE);
}

#define SPIN_MBOX 400000000u /* pause() calls before a mailbox wait gives up */

static bool op_pause(void *ctx)
{
    (void)ctx;
    mbox_x86_pause();
    return true;
}

/* The x2APIC ID from CPUID 0xB EDX (a leaf the TDX module virtualizes itself). */
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
        /* The runtime tables the BSP published in the early mailbox (read after `go`). */
        cpu_write_cr3(__atomic_load_n(&SHIM_EARLY_MBOX->go, __ATOMIC_ACQUIRE));
        ap_load_tss(index);            /* before the IDT: every vector but #UD runs on IST1 */
        cpu_wrmsr(MSR_GS_BASE, index); /* this vCPU's index (per-vCPU counts, shim/accept.c) */
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
    /* Everything an AP reads from TempMem from now on was written by this vCPU before this
     * release store: the shim's code and data, .bss, the early and the runtime page tables. */
    __atomic_store_n(&SHIM_EARLY_MBOX->go, (uint32_t)cr3, __ATOMIC_RELEASE);
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
