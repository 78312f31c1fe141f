/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The only place in the project that executes TDCALL (66 0F 01 CC). Target tdcall_hw.
 *
 *   uint64_t tdcall_raw(struct tdcall_regs *regs);     SysV x86-64, regs in RDI
 *
 * Register contract (tdx-abi.md 1.1, 3.1):
 *   - Loads RAX RCX RDX RBX RSI RDI R8..R15 from *regs (offsets below are locked by
 *     TDS_ASSERT_OFFSET in include/tdshim/tdcall.h), executes TDCALL, stores the same 14
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
#define REG_RAX 0
#define REG_RCX 8
#define REG_RDX 16
#define REG_RBX 24
#define REG_RSI 32
#define REG_RDI 40
#define REG_R8 48
#define REG_R9 56
#define REG_R10 64
#define REG_R11 72
#define REG_R12 80
#define REG_R13 88
#define REG_R14 96
#define REG_R15 104

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

    movq REG_RAX(%rdi), %rax
    movq REG_RCX(%rdi), %rcx
    movq REG_RDX(%rdi), %rdx
    movq REG_RBX(%rdi), %rbx
    movq REG_RSI(%rdi), %rsi
    movq REG_R8(%rdi), %r8
    movq REG_R9(%rdi), %r9
    movq REG_R10(%rdi), %r10
    movq REG_R11(%rdi), %r11
    movq REG_R12(%rdi), %r12
    movq REG_R13(%rdi), %r13
    movq REG_R14(%rdi), %r14
    movq REG_R15(%rdi), %r15
    movq REG_RDI(%rdi), %rdi        /* last: RDI was the pointer */

    .byte 0x66, 0x0f, 0x01, 0xcc    /* tdcall */

    pushq %rdi                      /* output RDI; reload the block pointer under it */
    movq 8(%rsp), %rdi
    movq %rax, REG_RAX(%rdi)
    movq %rcx, REG_RCX(%rdi)
    movq %rdx, REG_RDX(%rdi)
    movq %rbx, REG_RBX(%rdi)
    movq %rsi, REG_RSI(%rdi)
    movq %r8, REG_R8(%rdi)
    movq %r9, REG_R9(%rdi)
    movq %r10, REG_R10(%rdi)
    movq %r11, REG_R11(%rdi)
    movq %r12, REG_R12(%rdi)
    movq %r13, REG_R13(%rdi)
    movq %r14, REG_R14(%rdi)
    movq %r15, REG_R15(%rdi)
    popq %rcx                       /* output RDI */
    movq %rcx, REG_RDI(%rdi)

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
