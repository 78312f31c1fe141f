/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The only place in the project that executes TDCALL (66 0F 01 CC). Target tdcall_hw.
 *
 *   uint64_t tdcall_raw(struct tdcall_regs *regs);     SysV x86-64, regs in RDI
 *
 * Register contract (the Intel TDX Module ABI specification, TDCALL; the GHCI specification):
 *   - Loads RAX RCX RDX RBX RSI RDI R8..R15 from *regs (offsets from tdcall_regs_offsets.h,
 *     asserted against offsetof() in tdshim/tdcall.h), executes TDCALL, stores the same 14
 *     registers back into *regs and returns RAX.
 *   - RBP and RSP are never loaded from the block: they keep the caller's values, and the
 *     wrappers never put RBP in a TDVMCALL GPR_SELECT mask, so the VMM never sees them.
 *   - Callee-saved RBX, R12-R15 are saved on the stack and restored (TDVMCALL may return VMM
 *     values in any exposed register). RBP is untouched.
 *   - After the block is written, every caller-saved register that held module or VMM output
 *     (RCX RDX RSI RDI R8-R11) is zeroed, so no VMM-chosen value survives in a register.
 *   - No stack memory below RSP is used (works with or without a red zone); 16-byte stack
 *     alignment is irrelevant (no calls).
 */
#include "tdshim/tdcall_regs_offsets.h"

    .text
    .globl tdcall_raw
    .type tdcall_raw, @function
    .p2align 4
tdcall_raw:
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    pushq %rdi                      /* the block pointer survives TDCALL on the stack */

    movq TDCALL_REGS_RAX(%rdi), %rax
    movq TDCALL_REGS_RCX(%rdi), %rcx
    movq TDCALL_REGS_RDX(%rdi), %rdx
    movq TDCALL_REGS_RBX(%rdi), %rbx
    movq TDCALL_REGS_RSI(%rdi), %rsi
    movq TDCALL_REGS_R8(%rdi), %r8
    movq TDCALL_REGS_R9(%rdi), %r9
    movq TDCALL_REGS_R10(%rdi), %r10
    movq TDCALL_REGS_R11(%rdi), %r11
    movq TDCALL_REGS_R12(%rdi), %r12
    movq TDCALL_REGS_R13(%rdi), %r13
    movq TDCALL_REGS_R14(%rdi), %r14
    movq TDCALL_REGS_R15(%rdi), %r15
    movq TDCALL_REGS_RDI(%rdi), %rdi        /* last: RDI was the pointer */

    .byte 0x66, 0x0f, 0x01, 0xcc    /* tdcall */

    pushq %rdi                      /* output RDI; reload the block pointer under it */
    movq 8(%rsp), %rdi
    movq %rax, TDCALL_REGS_RAX(%rdi)
    movq %rcx, TDCALL_REGS_RCX(%rdi)
    movq %rdx, TDCALL_REGS_RDX(%rdi)
    movq %rbx, TDCALL_REGS_RBX(%rdi)
    movq %rsi, TDCALL_REGS_RSI(%rdi)
    movq %r8, TDCALL_REGS_R8(%rdi)
    movq %r9, TDCALL_REGS_R9(%rdi)
    movq %r10, TDCALL_REGS_R10(%rdi)
    movq %r11, TDCALL_REGS_R11(%rdi)
    movq %r12, TDCALL_REGS_R12(%rdi)
    movq %r13, TDCALL_REGS_R13(%rdi)
    movq %r14, TDCALL_REGS_R14(%rdi)
    movq %r15, TDCALL_REGS_R15(%rdi)
    popq %rcx                       /* output RDI */
    movq %rcx, TDCALL_REGS_RDI(%rdi)

    xorl %ecx, %ecx
    xorl %edx, %edx
    xorl %esi, %esi
    xorl %r8d, %r8d
    xorl %r9d, %r9d
    xorl %r10d, %r10d
    xorl %r11d, %r11d
    addq $8, %rsp                   /* drop the saved block pointer */
    xorl %edi, %edi
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    ret
    .size tdcall_raw, .-tdcall_raw

    .section .note.GNU-stack, "", @progbits
