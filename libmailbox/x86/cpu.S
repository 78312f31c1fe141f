/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The instructions behind the firmware mailbox's arch ops (safe-C rule 13, docs/safe-c.md). System V
 * calling convention. mbox_x86_write_cr3 and mbox_x86_lidt are privileged (firmware only);
 * mbox_x86_call_on_stack and mbox_x86_pause also run on the host (tested there).
 */
    .text

/* void mbox_x86_call_on_stack(mbox_work_fn *fn, void *arg, uint32_t worker, uint64_t stack_top)
 * Calls fn(arg, worker) with RSP = stack_top (16-byte aligned), then returns on the old stack. */
    .globl mbox_x86_call_on_stack
    .type mbox_x86_call_on_stack, @function
mbox_x86_call_on_stack:
    pushq   %rbp
    movq    %rsp, %rbp
    movq    %rcx, %rsp
    movq    %rdi, %rax
    movq    %rsi, %rdi
    movl    %edx, %esi
    call    *%rax
    movq    %rbp, %rsp
    popq    %rbp
    ret
    .size mbox_x86_call_on_stack, . - mbox_x86_call_on_stack

/* void mbox_x86_write_cr3(uint64_t cr3) */
    .globl mbox_x86_write_cr3
    .type mbox_x86_write_cr3, @function
mbox_x86_write_cr3:
    movq    %rdi, %cr3
    ret
    .size mbox_x86_write_cr3, . - mbox_x86_write_cr3

/* void mbox_x86_lidt(uint64_t base, uint16_t limit) */
    .globl mbox_x86_lidt
    .type mbox_x86_lidt, @function
mbox_x86_lidt:
    subq    $16, %rsp
    movw    %si, (%rsp)
    movq    %rdi, 2(%rsp)
    lidt    (%rsp)
    addq    $16, %rsp
    ret
    .size mbox_x86_lidt, . - mbox_x86_lidt

/* void mbox_x86_pause(void) */
    .globl mbox_x86_pause
    .type mbox_x86_pause, @function
mbox_x86_pause:
    pause
    ret
    .size mbox_x86_pause, . - mbox_x86_pause

/* void mbox_x86_enter_os_loop(uint64_t entry, uint64_t mailbox, uint32_t apic_id)
 * A jump, not a call: the blob inherits this frame's return address, so on the host the wake-up
 * vector's RET returns to our caller. */
    .globl mbox_x86_enter_os_loop
    .type mbox_x86_enter_os_loop, @function
mbox_x86_enter_os_loop:
    movq    %rdi, %rax
    movq    %rsi, %rdi
    movl    %edx, %esi
    jmp     *%rax
    .size mbox_x86_enter_os_loop, . - mbox_x86_enter_os_loop

    .section .note.GNU-stack, "", @progbits
