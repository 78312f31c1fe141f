/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The relocatable OS-phase AP loop (ACPI MP wakeup), copied by the shim into reserved memory with
 * mbox_os_blob_install(). Contract: docs/libmailbox.md "The relocatable blob". Offsets come from
 * tdshim/mailbox_abi.h, the same numbers the C structures are asserted against.
 *
 * Position independent: only RIP-relative references inside the blob, no relocations.
 *
 * Entry (offset MBOX_BLOB_OFF_ENTRY), from the firmware: 64-bit mode, interrupts off, RDI =
 * mailbox address, ESI = own x2APIC ID, page tables identity-mapping the blob and the mailbox.
 * No stack is used.
 *
 * At the wake-up vector: RAX = vector, RDI = mailbox, ESI = x2APIC ID, everything else as the
 * firmware left it (64-bit, paging with the identity map, IF = 0).
 */
#include "tdshim/mailbox_abi.h"

    .section .text.mbox_os_blob, "ax", @progbits
    .balign 64
    .globl mbox_os_blob_start
    .globl mbox_os_blob_end
    .type mbox_os_blob_start, @object
mbox_os_blob_start:
.Lblob_base:

/* ---- offset MBOX_BLOB_OFF_ENTRY: the mailbox loop ---- */
mbox_os_blob_loop:
    pause
    /* ONE 8-byte load of command (bits 15:0) and apic_id (bits 63:32): a consistent snapshot
     * (two loads could pair a stale command with the next request's apic_id). x86 (TSO): the
     * later load of the vector is not reordered before it, which is the acquire the OS's
     * release store of command needs. */
    movq    MBOX_OS_OFF_COMMAND(%rdi), %rax
    testw   %ax, %ax
    jz      mbox_os_blob_loop
    movq    %rax, %rdx
    shrq    $32, %rdx
    cmpl    %edx, %esi
    jne     mbox_os_blob_loop
    movzwl  %ax, %eax
    cmpl    $MBOX_OS_CMD_WAKEUP, %eax
    je      mbox_os_blob_wakeup
    cmpl    $MBOX_OS_CMD_TEST, %eax
    jne     mbox_os_blob_loop              /* unknown command for us: ignore */
    movw    $MBOX_OS_CMD_NOOP, MBOX_OS_OFF_COMMAND(%rdi)   /* TEST: acknowledge, keep waiting */
    jmp     mbox_os_blob_loop
mbox_os_blob_wakeup:
    /* Read the vector BEFORE the acknowledgement (after it the OS may reuse the mailbox). A
     * store is not reordered with an older load on x86, so the ack is a release. */
    movq    MBOX_OS_OFF_WAKEUP_VECTOR(%rdi), %rax
    movw    $MBOX_OS_CMD_NOOP, MBOX_OS_OFF_COMMAND(%rdi)
    jmp     *%rax

/* ---- offset MBOX_BLOB_OFF_RESET_ENTRY: ACPI 6.6 ResetVector (version-1 mailbox) ----
 * The OS (Linux madt_playdead.S) jumps here in 64-bit mode with interrupts off, on its own
 * identity-mapping page tables. Reload the firmware CR3 (same paging depth required: see the
 * contract), learn our x2APIC ID again (TDVMCALL<CPUID 0xB>.EDX) and re-enter the loop. */
    .org MBOX_BLOB_OFF_RESET_ENTRY, 0xcc
mbox_os_blob_reset:
    leaq    .Lblob_base(%rip), %rbx        /* local label: no relocation */
    movq    MBOX_BLOB_OFF_FW_CR3(%rbx), %rax
    movq    %rax, %cr3
    xorl    %eax, %eax                     /* TDCALL leaf 0: TDG.VP.VMCALL */
    movl    $0xFC00, %ecx                  /* expose R10-R15 only */
    xorl    %r10d, %r10d                   /* GHCI standard */
    movl    $10, %r11d                     /* Instruction.CPUID */
    movl    $0xB, %r12d                    /* leaf 0xB */
    xorl    %r13d, %r13d                   /* sub-leaf 0 */
    xorl    %r14d, %r14d
    xorl    %r15d, %r15d
    .byte   0x66, 0x0f, 0x01, 0xcc         /* tdcall */
    testq   %rax, %rax
    jnz     mbox_os_blob_dead
    testq   %r10, %r10
    jnz     mbox_os_blob_dead
    movl    %r15d, %esi                    /* EDX of leaf 0xB: x2APIC ID */
    movq    MBOX_BLOB_OFF_MAILBOX(%rbx), %rdi
    jmp     mbox_os_blob_loop
mbox_os_blob_dead:
    pause                                  /* no way to report: park for good (never HLT) */
    jmp     mbox_os_blob_dead

/* ---- data slots, patched by mbox_os_blob_install() ---- */
    .org MBOX_BLOB_OFF_MAILBOX, 0xcc
    .quad   0                              /* MBOX_BLOB_OFF_MAILBOX */
    .quad   0                              /* MBOX_BLOB_OFF_FW_CR3 */
    .quad   MBOX_BLOB_MAGIC                /* MBOX_BLOB_OFF_MAGIC */
mbox_os_blob_end:
    .size mbox_os_blob_start, mbox_os_blob_end - mbox_os_blob_start

    .section .note.GNU-stack, "", @progbits
