/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libmailbox: the work-function type and the architecture ops both AP loops run over. */
#ifndef TDSHIM_MAILBOX_OPS_H
#define TDSHIM_MAILBOX_OPS_H

/*
 * Thread safety: the hooks are called on the vCPU that runs the loop or the worker (see below); a
 * hook context shared by several vCPUs must be safe for that.
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A unit of work run on a vCPU. worker is 0 .. n_workers-1 (mbox_fw_run) or whatever the BSP put
 * in the RUN command. The function runs with interrupts as the AP has them (off in the shim).
 */
typedef void mbox_work_fn(void *arg, uint32_t worker);

/*
 * The few architecture operations the AP loops need. The loops are plain C over these, so they
 * run on the host (tests wire threads; the shim wires the instructions, see libmailbox/x86/ (.S)
 * and libtdcall). ctx is passed back unchanged to every hook.
 *
 * The hooks run on the AP that is executing the loop.
 */
typedef struct mbox_arch_ops {
    void *ctx;
    /* REQUIRED. One spin-wait step (PAUSE). Returns true to keep waiting. Firmware MUST always
     * return true; host tests return false to make a parked loop give up (TDS_ERR_STATE). */
    bool (*pause)(void *ctx);
    /* Firmware loop, REQUIRED: this vCPU's x2APIC ID (TDVMCALL<CPUID 0xB>.EDX in a TD). */
    uint32_t (*read_apic_id)(void *ctx);
    /* SLEEP: wait for a wake event (TDVMCALL<HLT>; never a bare HLT in a TD, it #VEs). May
     * return spuriously. NULL: SLEEP is acknowledged and does nothing. */
    void (*halt)(void *ctx);
    /* RUN with a non-zero stack: call fn(arg, worker) with RSP = stack_top, then return here
     * (mbox_x86_call_on_stack in the shim). NULL: RUN with a stack fails with UNSUPPORTED. */
    void (*run_on_stack)(void *ctx, mbox_work_fn *fn, void *arg, uint32_t worker,
                         uint64_t stack_top);
    /* SET_CR3 (mbox_x86_write_cr3). NULL: SET_CR3 fails with UNSUPPORTED. */
    void (*set_cr3)(void *ctx, uint64_t cr3);
    /* SET_IDT: load IDTR = {limit, base} (mbox_x86_lidt). NULL: SET_IDT fails with UNSUPPORTED. */
    void (*load_idt)(void *ctx, uint64_t base, uint16_t limit);
    /* OS loop, REQUIRED there: jump to the ACPI wake-up vector. In firmware it never returns;
     * host tests return, and the loop then returns TDS_OK. */
    void (*jump_to_vector)(void *ctx, uint64_t vector, uint64_t mailbox, uint32_t apic_id);
} mbox_arch_ops;

#ifdef __cplusplus
}
#endif

#endif
