/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Firmware-phase BSP side (docs/libmailbox.md "Firmware mailbox"). */
#include "mbox_atomic.h"
#include "tdshim/mailbox.h"

void mbox_fw_slots_reset(mbox_fw_slot *slots, uint32_t n)
{
    if (slots == NULL || n == 0) {
        return;
    }
    memset(slots, 0, (size_t)n * sizeof(*slots));
}

tds_status mbox_fw_init(mbox_fw *fw, mbox_fw_slot *slots, uint32_t n_vcpus, uint64_t stack_base,
                        uint64_t stack_size, uint64_t spin_limit, const mbox_arch_ops *ops)
{
    if (fw == NULL || slots == NULL || n_vcpus == 0 || ops == NULL || ops->pause == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (((uintptr_t)slots % MBOX_FW_SLOT_ALIGN) != 0) {
        return TDS_ERR_ALIGNMENT;
    }
    if (stack_size != 0) {
        if (!tds_is_aligned_u64(stack_base, 16) || !tds_is_aligned_u64(stack_size, 16)) {
            return TDS_ERR_ALIGNMENT;
        }
        /* The highest top handed out is base + (n_vcpus - 1) * size (AP n_vcpus-1). */
        uint64_t span;
        uint64_t top;
        TDS_TRY(tds_mul_u64((uint64_t)n_vcpus - 1u, stack_size, &span));
        TDS_TRY(tds_add_u64(stack_base, span, &top));
    }
    fw->slots = slots;
    fw->n_vcpus = n_vcpus;
    fw->stack_base = stack_base;
    fw->stack_size = stack_size;
    fw->spin_limit = spin_limit;
    fw->ops = ops;
    fw->error = TDS_OK;
    return TDS_OK;
}

static tds_status fw_usable(const mbox_fw *fw)
{
    if (fw == NULL || fw->slots == NULL || fw->ops == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    return fw->error;
}

static tds_status fw_check_ap(const mbox_fw *fw, uint32_t ap)
{
    if (ap == 0 || ap >= fw->n_vcpus) {
        return TDS_ERR_INVALID_ARG;
    }
    return TDS_OK;
}

/* One pause; BUSY once the spin budget is used up. An unresponsive AP leaves its slot in an
 * unknown state, so the error sticks (safe-C rule 11, docs/safe-c.md). */
static tds_status fw_spin(mbox_fw *fw, uint64_t *spins)
{
    if (fw->spin_limit != 0 && ++*spins > fw->spin_limit) {
        fw->error = TDS_ERR_BUSY;
        return TDS_ERR_BUSY;
    }
    (void)fw->ops->pause(fw->ops->ctx);
    return TDS_OK;
}

/* Wait until the AP has completed what was last posted (done == seq). */
static tds_status fw_wait_idle(mbox_fw *fw, const mbox_fw_slot *slot)
{
    /* seq is written only by us (the BSP), so a relaxed load returns our own last store. */
    uint32_t seq = MBOX_LOAD_RLX(&slot->seq);
    uint64_t spins = 0;
    while (MBOX_LOAD_ACQ(&slot->done) != seq) {
        TDS_TRY(fw_spin(fw, &spins));
    }
    return TDS_OK;
}

tds_status mbox_fw_wait_arrival(mbox_fw *fw, uint32_t n)
{
    TDS_TRY(fw_usable(fw));
    if (n > fw->n_vcpus) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t spins = 0;
    for (uint32_t ap = 1; ap < n; ap++) {
        while (MBOX_LOAD_ACQ(&fw->slots[ap].state) == (uint32_t)MBOX_FW_STATE_ABSENT) {
            TDS_TRY(fw_spin(fw, &spins));
        }
    }
    return TDS_OK;
}

tds_status mbox_fw_apic_id(mbox_fw *fw, uint32_t ap, uint32_t *apic_id)
{
    TDS_TRY(fw_usable(fw));
    TDS_TRY(fw_check_ap(fw, ap));
    if (apic_id == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (MBOX_LOAD_ACQ(&fw->slots[ap].state) == (uint32_t)MBOX_FW_STATE_ABSENT) {
        return TDS_ERR_STATE;
    }
    *apic_id = MBOX_LOAD_RLX(&fw->slots[ap].apic_id);
    return TDS_OK;
}

tds_status mbox_fw_post(mbox_fw *fw, uint32_t ap, const mbox_fw_command *cmd)
{
    TDS_TRY(fw_usable(fw));
    TDS_TRY(fw_check_ap(fw, ap));
    if (cmd == NULL || (uint32_t)cmd->cmd >= (uint32_t)MBOX_FW_CMD_COUNT_) {
        return TDS_ERR_INVALID_ARG;
    }
    if (cmd->cmd == MBOX_FW_CMD_RUN && cmd->fn == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    mbox_fw_slot *slot = &fw->slots[ap];
    TDS_TRY(fw_wait_idle(fw, slot));
    MBOX_STORE_RLX(&slot->cmd, (uint32_t)cmd->cmd);
    MBOX_STORE_RLX(&slot->fn, cmd->fn);
    MBOX_STORE_RLX(&slot->arg, cmd->arg);
    MBOX_STORE_RLX(&slot->a0, cmd->a0);
    MBOX_STORE_RLX(&slot->a1, cmd->a1);
    MBOX_STORE_RLX(&slot->worker, cmd->worker);
    /* Release: every field above is visible to the AP before the new seq. */
    MBOX_STORE_REL(&slot->seq, MBOX_LOAD_RLX(&slot->seq) + 1u);
    return TDS_OK;
}

tds_status mbox_fw_wait(mbox_fw *fw, uint32_t ap, uint32_t *result)
{
    TDS_TRY(fw_usable(fw));
    TDS_TRY(fw_check_ap(fw, ap));
    const mbox_fw_slot *slot = &fw->slots[ap];
    TDS_TRY(fw_wait_idle(fw, slot));
    if (result != NULL) {
        *result = MBOX_LOAD_RLX(&slot->result);
    }
    return TDS_OK;
}

tds_status mbox_fw_send(mbox_fw *fw, uint32_t ap, const mbox_fw_command *cmd, uint32_t *result)
{
    TDS_TRY(mbox_fw_post(fw, ap, cmd));
    return mbox_fw_wait(fw, ap, result);
}

/* Wait for APs [first, end) and fold their status results (unless the command is CHECK). */
static tds_status fw_wait_range(mbox_fw *fw, uint32_t first, uint32_t end, bool results_are_status)
{
    tds_status first_err = TDS_OK;
    for (uint32_t ap = first; ap < end; ap++) {
        uint32_t result;
        TDS_TRY(mbox_fw_wait(fw, ap, &result));
        if (results_are_status && result != (uint32_t)TDS_OK && first_err == TDS_OK) {
            first_err = result < (uint32_t)TDS_ERR_COUNT_ ? (tds_status)result : TDS_ERR_STATE;
        }
    }
    return first_err;
}

tds_status mbox_fw_broadcast(mbox_fw *fw, const mbox_fw_command *cmd)
{
    TDS_TRY(fw_usable(fw));
    if (cmd == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    for (uint32_t ap = 1; ap < fw->n_vcpus; ap++) {
        TDS_TRY(mbox_fw_post(fw, ap, cmd));
    }
    return fw_wait_range(fw, 1, fw->n_vcpus, cmd->cmd != MBOX_FW_CMD_CHECK);
}

tds_status mbox_fw_run(void *ctx, mbox_work_fn *fn, void *arg, uint32_t n_workers)
{
    mbox_fw *fw = (mbox_fw *)ctx;
    TDS_TRY(fw_usable(fw));
    if (fn == NULL || n_workers == 0 || n_workers > fw->n_vcpus) {
        return TDS_ERR_INVALID_ARG;
    }
    for (uint32_t w = 1; w < n_workers; w++) {
        uint64_t top = 0;
        if (fw->stack_size != 0) {
            /* Checked at init: base + (n_vcpus-1)*size does not wrap, and w <= n_vcpus-1. */
            top = fw->stack_base + (uint64_t)w * fw->stack_size;
        }
        mbox_fw_command c = mbox_fw_cmd_run(fn, arg, w, top);
        tds_status s = mbox_fw_post(fw, w, &c);
        if (s != TDS_OK) {
            /* Do not return while posted work may still be running: wait for it first. */
            (void)fw_wait_range(fw, 1, w, true);
            return s;
        }
    }
    fn(arg, 0);
    return fw_wait_range(fw, 1, n_workers, true);
}
