/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Firmware-phase mailbox: the BSP gives commands to parked APs.
 *
 * Memory: one mbox_fw_slot per vCPU (index = VCPU_INDEX, the TDVF design guide, BSP and APs), in
 * caller-owned private TD memory, 64-byte aligned, ZERO before any AP enters mbox_fw_ap_loop (fresh
 * TD memory is; or the BSP calls mbox_fw_slots_reset before releasing the APs). Slot 0 belongs to
 * the BSP and is unused. There is no AP limit below UINT32_MAX: the caller sizes the array for the
 * TD's vCPUs.
 *
 * Protocol and ordering (docs/libmailbox.md "Firmware mailbox"): per slot, the BSP writes the
 * command fields (relaxed atomic stores), then release-stores seq+1. The AP acquire-loads seq;
 * when it differs from the last seq it served it reads every command field exactly once
 * (relaxed atomic loads into locals), acts, stores result, then release-stores done = seq. The
 * BSP acquire-loads done and only then reads result. Exactly one command is in flight per slot;
 * posting to a busy slot first waits for it.
 */
#ifndef TDSHIM_MAILBOX_FW_H
#define TDSHIM_MAILBOX_FW_H

/*
 * Thread safety: the BSP-side functions (mbox_fw_init, _post, _send, _broadcast, _wait, _run,
 * _slots_reset, ...) use one mbox_fw_ctx from one vCPU (the BSP) at a time. mbox_fw_ap_loop runs
 * once on each AP, on that AP's own slot. The slots are the only memory both sides touch, through
 * __atomic operations in the order described above; nothing else is shared.
 */

#include "tdshim/base.h"
#include "tdshim/mailbox_abi.h"
#include "tdshim/mailbox_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mbox_fw_cmd {
    MBOX_FW_CMD_NOOP = 0,    /* acknowledge only */
    MBOX_FW_CMD_CHECK = 1,   /* acknowledge; result = the AP's x2APIC ID */
    MBOX_FW_CMD_RUN = 2,     /* fn(arg, worker) on stack a0 (0 = the loop's own stack) */
    MBOX_FW_CMD_SET_CR3 = 3, /* CR3 = a0 */
    MBOX_FW_CMD_SET_IDT = 4, /* IDTR = {limit a1, base a0} */
    MBOX_FW_CMD_SLEEP = 5,   /* acknowledge, then halt once; back to polling on wake */
    MBOX_FW_CMD_EXIT = 6,    /* acknowledge; mbox_fw_ap_loop returns OK with {a0, a1} (hand-off) */
    MBOX_FW_CMD_COUNT_
} mbox_fw_cmd;

typedef enum mbox_fw_state {
    MBOX_FW_STATE_ABSENT = 0, /* slot still zero: the AP has not arrived */
    MBOX_FW_STATE_PARKED = 1, /* AP is in its loop; apic_id is valid */
    MBOX_FW_STATE_EXITED = 2, /* AP left the loop (EXIT, or the host pause hook gave up) */
} mbox_fw_state;

/* One vCPU's slot: the single definition of the layout (numbers in mailbox_abi.h). Fields are
 * accessed only through __atomic builtins by the library; callers never touch them. */
typedef struct TDS_ALIGNED(MBOX_FW_SLOT_ALIGN) mbox_fw_slot {
    /* cache line 0: BSP writes, AP reads */
    uint32_t seq;
    uint32_t cmd;
    mbox_work_fn *fn;
    void *arg;
    uint64_t a0;
    uint64_t a1;
    uint32_t worker;
    uint8_t bsp_reserved[20];
    /* cache line 1: AP writes, BSP reads */
    uint32_t done;
    uint32_t state;
    uint32_t apic_id;
    uint32_t result;
    uint8_t ap_reserved[48];
} mbox_fw_slot;

TDS_ASSERT_SIZE(mbox_fw_slot, MBOX_FW_SLOT_SIZE);
TDS_ASSERT_ALIGN(mbox_fw_slot, MBOX_FW_SLOT_ALIGN);
TDS_ASSERT_OFFSET(mbox_fw_slot, seq, MBOX_FW_OFF_SEQ);
TDS_ASSERT_OFFSET(mbox_fw_slot, cmd, MBOX_FW_OFF_CMD);
TDS_ASSERT_OFFSET(mbox_fw_slot, fn, MBOX_FW_OFF_FN);
TDS_ASSERT_OFFSET(mbox_fw_slot, arg, MBOX_FW_OFF_ARG);
TDS_ASSERT_OFFSET(mbox_fw_slot, a0, MBOX_FW_OFF_A0);
TDS_ASSERT_OFFSET(mbox_fw_slot, a1, MBOX_FW_OFF_A1);
TDS_ASSERT_OFFSET(mbox_fw_slot, worker, MBOX_FW_OFF_WORKER);
TDS_ASSERT_OFFSET(mbox_fw_slot, done, MBOX_FW_OFF_DONE);
TDS_ASSERT_OFFSET(mbox_fw_slot, state, MBOX_FW_OFF_STATE);
TDS_ASSERT_OFFSET(mbox_fw_slot, apic_id, MBOX_FW_OFF_APIC_ID);
TDS_ASSERT_OFFSET(mbox_fw_slot, result, MBOX_FW_OFF_RESULT);

/* A command as the BSP describes it (private, never shared). Build with the helpers below. */
typedef struct mbox_fw_command {
    mbox_fw_cmd cmd;
    mbox_work_fn *fn;
    void *arg;
    uint64_t a0;
    uint64_t a1;
    uint32_t worker;
} mbox_fw_command;

static inline mbox_fw_command mbox_fw_cmd_simple(mbox_fw_cmd cmd)
{
    mbox_fw_command c = {cmd, NULL, NULL, 0, 0, 0};
    return c;
}
/* stack_top: 16-byte aligned top of a caller-owned stack, or 0 to run on the loop's stack. */
static inline mbox_fw_command mbox_fw_cmd_run(mbox_work_fn *fn, void *arg, uint32_t worker,
                                              uint64_t stack_top)
{
    mbox_fw_command c = {MBOX_FW_CMD_RUN, fn, arg, stack_top, 0, worker};
    return c;
}
static inline mbox_fw_command mbox_fw_cmd_set_cr3(uint64_t cr3)
{
    mbox_fw_command c = {MBOX_FW_CMD_SET_CR3, NULL, NULL, cr3, 0, 0};
    return c;
}
static inline mbox_fw_command mbox_fw_cmd_set_idt(uint64_t base, uint16_t limit)
{
    mbox_fw_command c = {MBOX_FW_CMD_SET_IDT, NULL, NULL, base, limit, 0};
    return c;
}

/* EXIT, as the hand-off to the OS-phase loop: a0 = address of the installed blob's entry, a1 =
 * the ACPI mailbox address (any meaning works; the loop only hands them back). */
static inline mbox_fw_command mbox_fw_cmd_exit(uint64_t os_entry, uint64_t os_mailbox)
{
    mbox_fw_command c = {MBOX_FW_CMD_EXIT, NULL, NULL, os_entry, os_mailbox, 0};
    return c;
}

/* What the AP loop hands back on EXIT. */
typedef struct mbox_fw_exit {
    uint64_t a0;      /* EXIT a0 (the OS-loop entry) */
    uint64_t a1;      /* EXIT a1 (the ACPI mailbox) */
    uint32_t apic_id; /* this AP's x2APIC ID, as read at arrival */
} mbox_fw_exit;

/* BSP-side context (BSP-private memory). */
typedef struct mbox_fw {
    mbox_fw_slot *slots; /* n_vcpus slots, caller-owned */
    uint32_t n_vcpus;    /* vCPUs in the TD, BSP (index 0) included */
    uint64_t stack_base; /* per-AP stacks for mbox_fw_run: AP i uses [base+(i-1)*size, +size) */
    uint64_t stack_size; /* 0: mbox_fw_run runs work on the APs' loop stacks */
    uint64_t spin_limit; /* pause() calls before a wait gives up with BUSY; 0 = never */
    const mbox_arch_ops *ops; /* the BSP's pause hook */
    tds_status error;         /* sticky: once set, every call returns it */
} mbox_fw;

/* Zero n slots (only while no AP is in its loop). */
void mbox_fw_slots_reset(mbox_fw_slot *slots, uint32_t n);

/*
 * Set up the BSP context over slots[0 .. n_vcpus). slots MUST be MBOX_FW_SLOT_ALIGN-aligned
 * (ALIGNMENT). stack_size 0 disables per-AP stacks; otherwise stack_base and stack_size MUST be
 * 16-byte multiples (ALIGNMENT) and base + (n_vcpus-1)*size MUST NOT wrap (OVERFLOW).
 * ops->pause is required (INVALID_ARG). Does not touch the slots.
 */
TDS_MUST_USE tds_status mbox_fw_init(mbox_fw *fw, mbox_fw_slot *slots, uint32_t n_vcpus,
                                     uint64_t stack_base, uint64_t stack_size, uint64_t spin_limit,
                                     const mbox_arch_ops *ops);

/* Wait until APs 1 .. n-1 have arrived (state != ABSENT). BUSY after spin_limit pauses. */
TDS_MUST_USE tds_status mbox_fw_wait_arrival(mbox_fw *fw, uint32_t n);

/* The x2APIC ID AP ap reported at arrival. STATE if it has not arrived. */
TDS_MUST_USE tds_status mbox_fw_apic_id(mbox_fw *fw, uint32_t ap, uint32_t *apic_id);

/* Post cmd to AP ap (1 .. n_vcpus-1), waiting first for its previous command to complete. Does
 * not wait for this one. INVALID_ARG for ap 0 / out of range / unknown command. */
TDS_MUST_USE tds_status mbox_fw_post(mbox_fw *fw, uint32_t ap, const mbox_fw_command *cmd);

/* Wait until AP ap has completed its last posted command; *result (may be NULL) gets the AP's
 * result: CHECK the x2APIC ID, otherwise a tds_status value (OK, UNSUPPORTED, INVALID_ARG). */
TDS_MUST_USE tds_status mbox_fw_wait(mbox_fw *fw, uint32_t ap, uint32_t *result);

/* Post and wait. */
TDS_MUST_USE tds_status mbox_fw_send(mbox_fw *fw, uint32_t ap, const mbox_fw_command *cmd,
                                     uint32_t *result);

/* Post cmd to every AP, then wait for all. Fails with the first AP's non-OK status result
 * (not for CHECK, whose result is an APIC ID). */
TDS_MUST_USE tds_status mbox_fw_broadcast(mbox_fw *fw, const mbox_fw_command *cmd);

/*
 * Run fn(arg, w) for w = 0 .. n_workers-1 and return when all have returned. Worker 0 runs on
 * the calling BSP, worker w >= 1 on AP w (on its own stack when the context has stacks). ctx is
 * an mbox_fw *, so this fits an ops-struct callback run(ctx, fn, arg, n_workers) (libaccept).
 * n_workers MUST be 1 .. n_vcpus (INVALID_ARG). Fails if an AP refuses the command.
 */
TDS_MUST_USE tds_status mbox_fw_run(void *ctx, mbox_work_fn *fn, void *arg, uint32_t n_workers);

/*
 * The AP side: park in slot (this vCPU's own slot) and serve commands until EXIT (returns OK
 * after acknowledging, with *exit filled when exit is not NULL) or until ops->pause returns false
 * (returns STATE; host tests only). Required ops: pause, read_apic_id (INVALID_ARG without them;
 * the slot is not touched). The shim then enters the OS loop:
 *     mbox_x86_enter_os_loop(exit.a0, exit.a1, exit.apic_id);
 */
TDS_MUST_USE tds_status mbox_fw_ap_loop(mbox_fw_slot *slot, const mbox_arch_ops *ops,
                                        mbox_fw_exit *exit);

#ifdef __cplusplus
}
#endif

#endif
