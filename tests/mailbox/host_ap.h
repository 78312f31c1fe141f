/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Test support: host threads playing APs over libmailbox's arch ops. */
#ifndef TESTS_MAILBOX_HOST_AP_H
#define TESTS_MAILBOX_HOST_AP_H

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "tdshim/mailbox.h"

#define LOG_CR3 (1ull << 56)
#define LOG_IDT (2ull << 56)
#define LOG_RUN (3ull << 56)
#define LOG_RUN_STACK (4ull << 56)

/* One host AP: its identity, what its hooks saw, and how its loop ended. */
typedef struct host_ap {
    uint32_t index;
    uint32_t apic_id;
    const int *stop; /* pause() returns false once *stop != 0 (atomic load) */
    uint64_t *log;   /* hook trace, written by the AP thread only */
    size_t log_len;
    size_t log_cap;
    uint64_t halts;
    uint64_t bad;   /* hook-detected errors (wrong thread, wrong stack, overflow) */
    uint8_t *stack; /* this AP's RUN stack [stack, stack + stack_size) */
    size_t stack_size;
    mbox_arch_ops ops;
    tds_status loop_status;
    mbox_fw_exit exit; /* what EXIT handed back */
    mbox_fw_slot *slot;
    pthread_t thread;
} host_ap;

/* Which AP this thread plays (set by the thread at start); -1 on the BSP. */
extern _Thread_local int host_ap_self;

void host_ap_setup(host_ap *ap, uint32_t index, uint32_t apic_id, const int *stop, size_t log_cap,
                   size_t stack_size);
void host_ap_free(host_ap *ap);
void host_ap_log(host_ap *ap, uint64_t v);
/* Start a thread running mbox_fw_ap_loop(ap->slot, &ap->ops). */
void host_ap_start_fw(host_ap *ap, mbox_fw_slot *slot);
void host_ap_join(host_ap *ap);
bool host_pause(void *ctx);
/* A BSP-side ops with only pause. */
extern const mbox_arch_ops host_bsp_ops;

#endif
