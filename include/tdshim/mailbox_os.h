/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * OS-phase mailbox: the ACPI Multiprocessor Wakeup mailbox (ACPI 6.4+ 5.2.12.19)
 * through which the OS (Linux arch/x86/kernel/acpi/madt_wakeup.c) starts the APs.
 *
 * Protocol (docs/libmailbox.md "OS mailbox"): the OS writes apic_id and wakeup_vector, then
 * release-stores command; the AP whose x2APIC ID matches reads the vector, then stores
 * command = 0 (the acknowledgement the OS waits for) and jumps to the vector in 64-bit mode with
 * the vector's page identity-mapped and interrupts off. TEST is acknowledged the same way and the
 * AP keeps waiting. Other commands and other APIC IDs are ignored.
 */
#ifndef TDSHIM_MAILBOX_OS_H
#define TDSHIM_MAILBOX_OS_H

/*
 * Thread safety: mbox_os_init and mbox_os_blob_install prepare memory from one vCPU before the
 * APs are released into the loop; mbox_os_ap_loop then runs once on each AP. The OS mailbox is
 * shared with the OS, which writes it under the ACPI Multiprocessor Wakeup protocol
 * (docs/libmailbox.md).
 */

#include "tdshim/base.h"
#include "tdshim/mailbox_abi.h"
#include "tdshim/mailbox_ops.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The 4 KiB mailbox: the single definition of its layout (numbers in mailbox_abi.h). */
typedef struct TDS_ALIGNED(MBOX_OS_ALIGN) mbox_os_mailbox {
    /* __extension__: anonymous structs are C11 and a GNU extension in C++ (g++, clang++). */
    __extension__ union {
        __extension__ struct {
            uint16_t command;
            uint16_t reserved;
            uint32_t apic_id;
        };
        /* The same 8 bytes as one value (x86, little endian: command in bits 15:0, apic_id in
         * bits 63:32). The AP reads command and apic_id in ONE load so the pair is a snapshot:
         * read separately, a stale command could be paired with the next request's apic_id. */
        uint64_t head;
    };
    uint64_t wakeup_vector;
    uint8_t os_area[MBOX_OS_OS_AREA_SIZE];
    uint8_t fw_area[MBOX_OS_FW_AREA_SIZE];
} mbox_os_mailbox;

TDS_ASSERT_SIZE(mbox_os_mailbox, MBOX_OS_SIZE);
TDS_ASSERT_ALIGN(mbox_os_mailbox, MBOX_OS_ALIGN);
TDS_ASSERT_OFFSET(mbox_os_mailbox, command, MBOX_OS_OFF_COMMAND);
TDS_ASSERT_OFFSET(mbox_os_mailbox, head, MBOX_OS_OFF_COMMAND);
TDS_ASSERT_OFFSET(mbox_os_mailbox, reserved, MBOX_OS_OFF_RESERVED);
TDS_ASSERT_OFFSET(mbox_os_mailbox, apic_id, MBOX_OS_OFF_APIC_ID);
TDS_ASSERT_OFFSET(mbox_os_mailbox, wakeup_vector, MBOX_OS_OFF_WAKEUP_VECTOR);
TDS_ASSERT_OFFSET(mbox_os_mailbox, os_area, MBOX_OS_OFF_OS_AREA);
TDS_ASSERT_OFFSET(mbox_os_mailbox, fw_area, MBOX_OS_OFF_FW_AREA);

/* Zero the whole mailbox (command NOOP). Call before any AP enters its OS loop. */
void mbox_os_init(mbox_os_mailbox *mb);

/*
 * The OS-phase AP loop in C over arch ops: the executable model of os_blob.S (both are driven by
 * the same handshake tests). Serves WAKEUP and TEST for apic_id. After WAKEUP it calls
 * ops->jump_to_vector (which does not return in firmware) and returns TDS_OK if it does. Returns
 * STATE when ops->pause returns false (host only), INVALID_ARG without pause / jump_to_vector.
 */
TDS_MUST_USE tds_status mbox_os_ap_loop(mbox_os_mailbox *mb, uint32_t apic_id,
                                        const mbox_arch_ops *ops);

/*
 * Copy the relocatable blob (mbox_os_blob_bytes() from the x86 target, or any bytes laid out as
 * os_blob.S) to dst (reserved memory the OS will not reuse) and patch its data slots with the
 * mailbox address and the firmware CR3 used by the reset-vector entry. Checks the blob's magic
 * and size (MALFORMED), dst.len >= blob.len (NO_SPACE), mailbox_addr 4 KiB-aligned (ALIGNMENT),
 * and that dst and blob do not overlap (INVALID_ARG). Nothing is written on failure.
 */
TDS_MUST_USE tds_status mbox_os_blob_install(tds_mut_bytes dst, tds_bytes blob,
                                             uint64_t mailbox_addr, uint64_t fw_cr3);

#if defined(__x86_64__)
/*
 * Provided by the TdShim::mailbox_x86 target (libmailbox/x86/ (.S)), not by libmailbox itself.
 * The blob runs from wherever it is copied; see docs/libmailbox.md "The relocatable blob".
 */
extern const uint8_t mbox_os_blob_start[];
extern const uint8_t mbox_os_blob_end[];
static inline tds_bytes mbox_os_blob_bytes(void)
{
    return tds_bytes_make(mbox_os_blob_start, (size_t)(mbox_os_blob_end - mbox_os_blob_start));
}
/* Firmware helpers for the arch ops. mbox_x86_write_cr3 and mbox_x86_lidt are privileged (never
 * on the host); mbox_x86_call_on_stack, mbox_x86_pause and mbox_x86_enter_os_loop also run on
 * the host and are tested there. */
void mbox_x86_call_on_stack(mbox_work_fn *fn, void *arg, uint32_t worker, uint64_t stack_top);
void mbox_x86_write_cr3(uint64_t cr3);
void mbox_x86_lidt(uint64_t base, uint16_t limit);
void mbox_x86_pause(void);
/* Enter the installed blob's loop: RDI = mailbox, ESI = apic_id, jump to entry. Never returns in
 * firmware; it does not use the stack. (On the host it "returns" when the wake-up vector
 * function returns, which the tests use.) */
void mbox_x86_enter_os_loop(uint64_t entry, uint64_t mailbox, uint32_t apic_id);
#endif

#ifdef __cplusplus
}
#endif

#endif
