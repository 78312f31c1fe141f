; SPDX-License-Identifier: BSD-2-Clause-Patent
;
; 64-bit entry and exception stubs (docs/shim.md). The stubs build one frame layout,
; struct shim_exc_frame in shim/arch/cpu.h, and call shim_trap: it either handles the trap (a
; `tdcall` under #UD given to the TDX-module emulator) and returns, or ends in the fatal path.

BITS 64
default rel

extern __stack_top, __boot_regs, shim_main, shim_trap, shim_ap_main, shim_payload_returned

; Numbers shared with C (shim/abi.h). AP i's 16 KiB slot at SHIM_ABI_AP_AREA + (i-1)*slot =
; guard 4K | stack 8K | IST1 4K, so its stack top is SHIM_ABI_AP_AREA + i*slot - 4K.
%include "shim_abi.inc"

section .text.entry64 progbits alloc exec nowrite align=16
global shim_entry64
shim_entry64:
    mov ax, SHIM_ABI_SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov rsp, __stack_top
    xor ebp, ebp
    lea rdi, [__boot_regs]
    call shim_main                    ; does not return
.hang:
    cli
    hlt
    jmp .hang

; APs (from ap_park32, ESI = vCPU index 1 .. SHIM_MAX_VCPUS-1): own stack, then C.
global shim_ap_entry64
shim_ap_entry64:
    mov ax, SHIM_ABI_SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    mov edi, esi
    test edi, edi
    jz .hang
    cmp edi, SHIM_ABI_MAX_VCPUS
    jae .hang                         ; no stack for it: stays halted (the BSP reports it missing)
    mov eax, edi
    imul eax, eax, SHIM_ABI_AP_SLOT_SIZE
    lea rsp, [rax + SHIM_ABI_AP_AREA - SHIM_ABI_AP_IST_SIZE] ; top of AP i's stack
    xor ebp, ebp
    call shim_ap_main                 ; does not return
.hang:
    cli
    hlt
    jmp .hang

; The jump to the payload (shim/handoff.h, docs/handoff.md 7):
; shim_enter_payload(entry RDI, hob RSI, base RDX, stack_top RCX, ms_abi R8D). Never returns: if
; the payload returns, shim_payload_returned reports it through the fatal path.
global shim_enter_payload
shim_enter_payload:
    cli
    cld
    mov rsp, rcx
    and rsp, -16                      ; RSP % 16 == 0 at the call, == 8 at the entry
    mov rax, rdi
    test r8d, r8d
    jnz .ms_abi
    mov rdi, rsi                      ; System V: entry(hob = RDI, base = RSI)
    mov rsi, rdx
    xor ecx, ecx
    xor edx, edx
    jmp .go
.ms_abi:
    mov rcx, rsi                      ; Microsoft x64: entry(hob = RCX, base = RDX)
    xor esi, esi
    xor edi, edi
    sub rsp, 32                       ; the caller's shadow space
.go:
    xor ebx, ebx
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    call rax
    and rsp, -16
    call shim_payload_returned        ; does not return
.hang:
    cli
    hlt
    jmp .hang

; The jump to a Linux kernel (shim/linux.c; Linux Documentation/arch/x86/boot.rst, "64-bit Boot
; Protocol"): shim_enter_linux(entry RDI, boot_params RSI, gdt_desc RDX). Loads the protocol's GDT
; (__BOOT_CS 0x10 flat execute/read, __BOOT_DS 0x18 flat read/write), CS = 0x10, DS = ES = SS =
; 0x18, interrupts off, RSI = boot_params, every other GPR 0 but RSP, and jumps to the 64-bit
; entry. Never returns.
global shim_enter_linux
shim_enter_linux:
    cli
    cld
    lgdt [rdx]
    lea rax, [rel .cs]
    push 0x10
    push rax
    retfq
.cs:
    mov ax, 0x18
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov rax, rdi
    xor ebx, ebx
    xor ecx, ecx
    xor edx, edx
    xor edi, edi
    xor ebp, ebp
    xor r8d, r8d
    xor r9d, r9d
    xor r10d, r10d
    xor r11d, r11d
    xor r12d, r12d
    xor r13d, r13d
    xor r14d, r14d
    xor r15d, r15d
    jmp rax

; Vectors whose exception pushes an error code (SDM vol. 3 table 6-1).
%define HAS_ERR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text progbits alloc exec nowrite align=16
%assign v 0
%rep 32
align 16
isr_ %+ v:
%if !HAS_ERR(v)
    push 0                            ; uniform frame: dummy error code
%endif
    push v
    jmp isr_common
%assign v v + 1
%endrep

isr_common:
    push rax
    push rbx
    push rcx
    push rdx
    push rsi
    push rdi
    push rbp
    push r8
    push r9
    push r10
    push r11
    push r12
    push r13
    push r14
    push r15
    mov rbx, rsp                      ; struct shim_exc_frame * (rbx is saved in the frame)
    mov rdi, rsp
    and rsp, -16                      ; SysV call alignment
    cld
    call shim_trap                    ; returns only when the trap was handled (#UD tdcall)
    mov rsp, rbx
    pop r15
    pop r14
    pop r13
    pop r12
    pop r11
    pop r10
    pop r9
    pop r8
    pop rbp
    pop rdi
    pop rsi
    pop rdx
    pop rcx
    pop rbx
    pop rax
    add rsp, 16                       ; vector, error code
    iretq

section .rodata
align 8
global shim_isr_table
shim_isr_table:
%assign v 0
%rep 32
    dq isr_ %+ v
%assign v v + 1
%endrep
