/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test helper for test_tdcall_hw_seam: what the caller-saved registers hold right after the real
 * tdcall_raw() (libtdcall/tdcall_hw.S) returns, which C cannot observe.
 *
 *   uint64_t seam_probe_call(struct tdcall_regs *regs, uint64_t after[8]);
 *
 * Calls tdcall_raw(regs), then stores RCX RDX RSI RDI R8 R9 R10 R11 (in that order) into after[]
 * before anything else touches them, and returns tdcall_raw's RAX.
 */
    .text
    .globl seam_probe_call
    .type seam_probe_call, @function
    .p2align 4
seam_probe_call:
    pushq %rbx                      /* callee-saved: keeps after[] across the call; aligns RSP */
    movq %rsi, %rbx
    call tdcall_raw@PLT
    movq %rcx, 0(%rbx)
    movq %rdx, 8(%rbx)
    movq %rsi, 16(%rbx)
    movq %rdi, 24(%rbx)
    movq %r8, 32(%rbx)
    movq %r9, 40(%rbx)
    movq %r10, 48(%rbx)
    movq %r11, 56(%rbx)
    popq %rbx
    ret
    .size seam_probe_call, .-seam_probe_call

    .section .note.GNU-stack, "", @progbits
