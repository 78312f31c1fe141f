/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Firmware-phase AP loop (docs/libmailbox.md "Firmware mailbox"). */
#include "mbox_atomic.h"
#include "tdshim/mailbox.h"

/* One command, read once from the slot into private memory. */
typedef struct fw_req {
    uint32_t cmd;
    mbox_work_fn *fn;
    void *arg;
    uint64_t a0;
    uint64_t a1;
    uint32_t worker;
} fw_req;

static fw_req fw_read_req(const mbox_fw_slot *slot)
{
    /* Each field read exactly once; ordered after the acquire load of seq by the caller. */
    fw_req r;
    r.cmd = MBOX_LOAD_RLX(&slot->cmd);
    r.fn = MBOX_LOAD_RLX(&slot->fn);
    r.arg = MBOX_LOAD_RLX(&slot->arg);
    r.a0 = MBOX_LOAD_RLX(&slot->a0);
    r.a1 = MBOX_LOAD_RLX(&slot->a1);
    r.worker = MBOX_LOAD_RLX(&slot->worker);
    return r;
}

static uint32_t fw_status(tds_status s)
{
    return (uint32_t)s;
}

static void fw_complete(mbox_fw_slot *slot, uint32_t seq, uint32_t result)
{
    MBOX_STORE_RLX(&slot->result, result);
    /* Release: result (and every effect of the command) is visible before done. */
    MBOX_STORE_REL(&slot->done, seq);
}

static uint32_t fw_run(const fw_req *r, const mbox_arch_ops *ops)
{
    if (r->fn == NULL) {
        return fw_status(TDS_ERR_INVALID_ARG);
    }
    if (r->a0 == 0) {
        r->fn(r->arg, r->worker);
        return fw_status(TDS_OK);
    }
    if (ops->run_on_stack == NULL) {
        return fw_status(TDS_ERR_UNSUPPORTED);
    }
    if ((r->a0 & 15u) != 0) {
        return fw_status(TDS_ERR_ALIGNMENT);
    }
    ops->run_on_stack(ops->ctx, r->fn, r->arg, r->worker, r->a0);
    return fw_status(TDS_OK);
}

tds_status mbox_fw_ap_loop(mbox_fw_slot *slot, const mbox_arch_ops *ops, mbox_fw_exit *exit)
{
    if (slot == NULL || ops == NULL || ops->pause == NULL || ops->read_apic_id == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    /* Arrival: the APIC ID is visible before state says PARKED. */
    uint32_t my_apic_id = ops->read_apic_id(ops->ctx);
    MBOX_STORE_RLX(&slot->apic_id, my_apic_id);
    MBOX_STORE_REL(&slot->state, (uint32_t)MBOX_FW_STATE_PARKED);

    /* done is ours; anything posted before we arrived (seq != done) is served now. */
    uint32_t last = MBOX_LOAD_RLX(&slot->done);
    for (;;) {
        uint32_t seq = MBOX_LOAD_ACQ(&slot->seq);
        if (seq == last) {
            if (!ops->pause(ops->ctx)) {
                MBOX_STORE_REL(&slot->state, (uint32_t)MBOX_FW_STATE_EXITED);
                return TDS_ERR_STATE;
            }
            continue;
        }
        last = seq;
        fw_req r = fw_read_req(slot);
        switch (r.cmd) {
        case MBOX_FW_CMD_NOOP: fw_complete(slot, seq, fw_status(TDS_OK)); break;
        case MBOX_FW_CMD_CHECK: fw_complete(slot, seq, MBOX_LOAD_RLX(&slot->apic_id)); break;
        case MBOX_FW_CMD_RUN: fw_complete(slot, seq, fw_run(&r, ops)); break;
        case MBOX_FW_CMD_SET_CR3:
            if (ops->set_cr3 == NULL) {
                fw_complete(slot, seq, fw_status(TDS_ERR_UNSUPPORTED));
                break;
            }
            ops->set_cr3(ops->ctx, r.a0);
            fw_complete(slot, seq, fw_status(TDS_OK));
            break;
        case MBOX_FW_CMD_SET_IDT:
            if (ops->load_idt == NULL) {
                fw_complete(slot, seq, fw_status(TDS_ERR_UNSUPPORTED));
                break;
            }
            if (r.a1 > UINT16_MAX) {
                fw_complete(slot, seq, fw_status(TDS_ERR_INVALID_ARG));
                break;
            }
            ops->load_idt(ops->ctx, r.a0, (uint16_t)r.a1);
            fw_complete(slot, seq, fw_status(TDS_OK));
            break;
        case MBOX_FW_CMD_SLEEP:
            /* Acknowledge first: the BSP must not wait for a sleeping AP. */
            fw_complete(slot, seq, fw_status(TDS_OK));
            if (ops->halt != NULL) {
                ops->halt(ops->ctx);
            }
            break;
        case MBOX_FW_CMD_EXIT:
            /* state before done: once the BSP sees the ack it also sees EXITED. */
            MBOX_STORE_RLX(&slot->state, (uint32_t)MBOX_FW_STATE_EXITED);
            fw_complete(slot, seq, fw_status(TDS_OK));
            if (exit != NULL) {
                exit->a0 = r.a0;
                exit->a1 = r.a1;
                exit->apic_id = my_apic_id;
            }
            return TDS_OK;
        default: fw_complete(slot, seq, fw_status(TDS_ERR_UNSUPPORTED)); break;
        }
    }
}
