/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "host_ap.h"

#include <stdio.h>

_Thread_local int host_ap_self = -1;

bool host_pause(void *ctx)
{
    const host_ap *ap = (const host_ap *)ctx;
    if (ap != NULL && __atomic_load_n(ap->stop, __ATOMIC_ACQUIRE) != 0) {
        return false;
    }
    mbox_x86_pause(); /* the shim's pause hook, then let the other threads run */
    sched_yield();
    return true;
}

static bool bsp_pause(void *ctx)
{
    (void)ctx;
    sched_yield();
    return true;
}

const mbox_arch_ops host_bsp_ops = {.ctx = NULL, .pause = bsp_pause};

void host_ap_log(host_ap *ap, uint64_t v)
{
    if (ap->log_len >= ap->log_cap) {
        ap->bad++;
        return;
    }
    ap->log[ap->log_len++] = v;
}

static uint32_t h_read_apic_id(void *ctx)
{
    return ((host_ap *)ctx)->apic_id;
}

static void h_halt(void *ctx)
{
    host_ap *ap = (host_ap *)ctx;
    ap->halts++;
    sched_yield();
}

static void h_set_cr3(void *ctx, uint64_t cr3)
{
    host_ap_log((host_ap *)ctx, LOG_CR3 | cr3);
}

static void h_load_idt(void *ctx, uint64_t base, uint16_t limit)
{
    host_ap *ap = (host_ap *)ctx;
    if (limit != (uint16_t)(base & 0xFFFFu)) {
        ap->bad++;
    }
    host_ap_log(ap, LOG_IDT | base);
}

static void h_run_on_stack(void *ctx, mbox_work_fn *fn, void *arg, uint32_t worker,
                           uint64_t stack_top)
{
    host_ap *ap = (host_ap *)ctx;
    uint64_t lo = (uint64_t)(uintptr_t)ap->stack;
    /* With its own stack the AP checks the range; otherwise the work function checks. */
    if (ap->stack != NULL && (stack_top <= lo || stack_top > lo + ap->stack_size)) {
        ap->bad++;
        return;
    }
    mbox_x86_call_on_stack(fn, arg, worker, stack_top);
}

static void *fw_thread(void *p)
{
    host_ap *ap = (host_ap *)p;
    host_ap_self = (int)ap->index;
    ap->loop_status = mbox_fw_ap_loop(ap->slot, &ap->ops, &ap->exit);
    return NULL;
}

void host_ap_setup(host_ap *ap, uint32_t index, uint32_t apic_id, const int *stop, size_t log_cap,
                   size_t stack_size)
{
    memset(ap, 0, sizeof(*ap));
    ap->index = index;
    ap->apic_id = apic_id;
    ap->stop = stop;
    ap->log_cap = log_cap;
    ap->log = log_cap ? calloc(log_cap, sizeof(uint64_t)) : NULL;
    ap->stack_size = stack_size;
    ap->stack = stack_size ? aligned_alloc(64, stack_size) : NULL;
    ap->loop_status = TDS_ERR_COUNT_;
    ap->ops.ctx = ap;
    ap->ops.pause = host_pause;
    ap->ops.read_apic_id = h_read_apic_id;
    ap->ops.halt = h_halt;
    ap->ops.set_cr3 = h_set_cr3;
    ap->ops.load_idt = h_load_idt;
    ap->ops.run_on_stack = h_run_on_stack;
    if ((log_cap && ap->log == NULL) || (stack_size && ap->stack == NULL)) {
        fprintf(stderr, "host_ap_setup: out of memory\n");
        abort();
    }
}

void host_ap_free(host_ap *ap)
{
    free(ap->log);
    free(ap->stack);
    ap->log = NULL;
    ap->stack = NULL;
}

void host_ap_start_fw(host_ap *ap, mbox_fw_slot *slot)
{
    ap->slot = slot;
    if (pthread_create(&ap->thread, NULL, fw_thread, ap) != 0) {
        fprintf(stderr, "pthread_create failed\n");
        abort();
    }
}

void host_ap_join(host_ap *ap)
{
    (void)pthread_join(ap->thread, NULL);
}
