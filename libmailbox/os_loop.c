/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* OS-phase AP loop in C: the model of x86/os_blob.S (docs/libmailbox.md "OS mailbox"). */
#include "mbox_atomic.h"
#include "tdshim/mailbox.h"

void mbox_os_init(mbox_os_mailbox *mb)
{
    if (mb != NULL) {
        memset(mb, 0, sizeof(*mb));
    }
}

tds_status mbox_os_ap_loop(mbox_os_mailbox *mb, uint32_t apic_id, const mbox_arch_ops *ops)
{
    if (mb == NULL || ops == NULL || ops->pause == NULL || ops->jump_to_vector == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    for (;;) {
        /* One acquire load of command and apic_id together (see mbox_os_mailbox.head). Acquire
         * pairs with the OS's release store of command (Linux smp_store_release): the vector it
         * wrote before is visible after this load. */
        uint64_t head = MBOX_LOAD_ACQ(&mb->head);
        uint16_t cmd = (uint16_t)(head & 0xFFFFu);
        uint32_t target = (uint32_t)(head >> 32);
        if (cmd != MBOX_OS_CMD_NOOP) {
            /* While command != 0 only the target AP may clear it, so a snapshot with our APIC ID
             * names a request that is ours and still pending. */
            if (target == apic_id) {
                if (cmd == MBOX_OS_CMD_WAKEUP) {
                    /* Read the vector before the ack: after it the OS may reuse the mailbox. */
                    uint64_t vector = MBOX_LOAD_RLX(&mb->wakeup_vector);
                    MBOX_STORE_REL(&mb->command, (uint16_t)MBOX_OS_CMD_NOOP);
                    ops->jump_to_vector(ops->ctx, vector, (uint64_t)(uintptr_t)mb, apic_id);
                    return TDS_OK;
                }
                if (cmd == MBOX_OS_CMD_TEST) {
                    MBOX_STORE_REL(&mb->command, (uint16_t)MBOX_OS_CMD_NOOP);
                }
                /* Unknown commands for us are ignored (ACPI: reserved). */
            }
        }
        if (!ops->pause(ops->ctx)) {
            return TDS_ERR_STATE;
        }
    }
}
