/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload's ACPI MP-wakeup vectors (docs/test-payload.md "APs"). Entered by an AP from the
 * firmware's OS mailbox loop (libmailbox's blob): 64-bit, IF = 0, RAX = vector, RDI = mailbox,
 * ESI = own APIC ID, no stack. Each records what it was given in the slot whose address the BSP
 * left in the mailbox's OS area, with a locked increment as the publishing store.
 * Position independent, no relocations.
 */
#include "tdp_ap_abi.h"

    .text

/* Vector 1: record, then jump to the ResetVector the BSP put in the slot (the MADT's, ACPI 6.6:
 * the AP goes back to the firmware's mailbox loop). RDI and ESI are left as they came, so a
 * reset target that is the loop's own entry also works (host tests). */
    .globl tdp_ap_vector_reset
    .type tdp_ap_vector_reset, @function
    .balign 16
tdp_ap_vector_reset:
    movq    TDP_AP_MAILBOX_SLOT_PTR(%rdi), %rdx
    movq    %rax, TDP_AP_SLOT_RAX1(%rdx)
    movq    %rdi, TDP_AP_SLOT_RDI1(%rdx)
    movl    %esi, TDP_AP_SLOT_APIC1(%rdx)
    movq    TDP_AP_SLOT_RESET(%rdx), %rcx
    lock incl TDP_AP_SLOT_DONE1(%rdx)
    jmp     *%rcx
    .size tdp_ap_vector_reset, . - tdp_ap_vector_reset

/* Vector 2: record, then park with PAUSE (never HLT: #VE in a TD). The park ends only if the BSP
 * sets RELEASE, which the firmware payload never does; the host tests do, and the RET then
 * returns to the caller of mbox_x86_enter_os_loop on the test thread's stack. */
    .globl tdp_ap_vector_park
    .type tdp_ap_vector_park, @function
    .balign 16
tdp_ap_vector_park:
    movq    TDP_AP_MAILBOX_SLOT_PTR(%rdi), %rdx
    movq    %rax, TDP_AP_SLOT_RAX2(%rdx)
    movq    %rdi, TDP_AP_SLOT_RDI2(%rdx)
    movl    %esi, TDP_AP_SLOT_APIC2(%rdx)
    lock incl TDP_AP_SLOT_DONE2(%rdx)
1:  pause
    cmpl    $0, TDP_AP_SLOT_RELEASE(%rdx)
    je      1b
    ret
    .size tdp_ap_vector_park, . - tdp_ap_vector_park

    .section .note.GNU-stack, "", @progbits
