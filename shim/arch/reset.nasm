; SPDX-License-Identifier: BSD-2-Clause-Patent
;
; Reset vector to long mode (docs/shim.md "Boot flow"; numbers from shim/abi.h via shim_abi.inc).
;
; Two ways in:
;  * TD: the TDX module starts every vCPU at 0xFFFFFFF0 in flat 32-bit protected mode with
;    EBX = GPAW, ESI = vCPU index, ECX = R8 = TD HOB GPA (chosen by the VMM: only reported),
;    EDX = CPUID(1).EAX, EFER = LME|NXE|SCE (Intel TDX Module ABI spec, TDH.VP.INIT initial
;    state). vCPU index 0 is the BSP; every other vCPU is an AP, whatever order the VMM runs
;    them in.
;  * Plain VM: the BSP alone starts in 16-bit real mode. real16_entry switches to flat 32-bit and
;    goes straight to the BSP path; the firmware never starts the APs of a plain VM (the OS does).
;
; Trust (docs/threat-model.md "TempMem"): TempMem is added by the VMM without TDH.MR.EXTEND, so
; its first bytes are the VMM's. Before the BSP has written TempMem, a vCPU acts only on its own
; registers and on the BFV (measured into MRTD): the GDT below, the early mailbox page
; (SHIM_ABI_EARLY_MBOX, zero in the image) and fixed link-time addresses. The BSP copies the
; 64-bit shim from the BFV into TempMem, zeroes .bss and builds the page tables there before it
; writes the mailbox's `go`; only then does an AP load a CR3 or jump into TempMem.

%include "shim_abi.inc"

%define CR0_PE   0x00000001
%define CR0_MP   0x00000002
%define CR0_NE   0x00000020
%define CR0_WP   0x00010000
%define CR0_NW   0x20000000
%define CR0_CD   0x40000000
%define CR0_PG   0x80000000
%define CR4_PAE  0x00000020
%define CR4_MCE  0x00000040
%define CR4_OSFXSR 0x00000200
%define CR4_OSXMMEXCPT 0x00000400
%define PTE_P_RW 0x003
%define PDE_2M   0x083                ; P | RW | PS

extern __shim_lma, __shim_ram_start, __shim_load_size, __bss_start, __bss_end
extern shim_ap_entry64, __boot_regs, shim_pml4, shim_pdpt, shim_pd
extern shim_entry64

; Long mode from flat 32-bit code: PAE (+MCE kept, SSE state enabled), CR3 = the early identity
; tables, then paging. EFER.LME is already set at a TD entry (the module sets it; the plain-VM
; path sets it first). No stack exists yet, so this is a macro, not a call. Clobbers EAX.
%macro ENTER_LONG_MODE 0
    mov eax, cr4
    or eax, CR4_PAE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT
    mov cr4, eax
    mov eax, shim_pml4
    mov cr3, eax
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE
    mov cr0, eax
%endmacro

section .rv32 progbits alloc exec nowrite align=16

; ---- GDT (accessed bits preset: the ROM cannot take the CPU's write) ----
align 16
global shim_reset_gdt_desc
gdt:
    dq 0
    dq 0x00CF9B000000FFFF             ; SHIM_ABI_SEL_CODE32: flat 32-bit code
    dq 0x00CF93000000FFFF             ; SHIM_ABI_SEL_DATA: flat data
    dq 0x00AF9B000000FFFF             ; SHIM_ABI_SEL_CODE64: 64-bit code
gdt_end:
shim_reset_gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt

; ---- 16-bit real-mode entry (plain VM, the BSP only) ----
BITS 16
global real16_entry
real16_entry:
    cli
    cld
    mov ebx, shim_reset_gdt_desc
    sub ebx, 0xFFFF0000               ; CS base is 0xFFFF0000 after reset
    o32 lgdt [cs:bx]
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PE | CR0_NE
    mov cr0, eax
    jmp dword SHIM_ABI_SEL_CODE32:flat32_from16

BITS 32
flat32_from16:
    mov ax, SHIM_ABI_SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov ecx, 0xC0000080               ; IA32_EFER: LME|NXE|SCE, what a TD starts with
    rdmsr
    or eax, SHIM_ABI_EFER_TD_INIT
    wrmsr
    ; A plain VM has no TDX-module registers: GPAW and the HOB address are unknown (0).
    mov eax, 1
    cpuid
    mov edx, eax                      ; EDX = CPUID(1).EAX, as a TD entry has it
    xor ebx, ebx
    xor ecx, ecx
    xor esi, esi
    mov ebp, SHIM_ABI_ENTRY_REAL16
    jmp bsp32

; ---- 32-bit TD entry: every vCPU of a TD ----
global flat32_td_entry
flat32_td_entry:
    ; GDTR is base 0 / limit 0xFFFF at TD entry: load ours before touching segments.
    lgdt [shim_reset_gdt_desc]
    jmp SHIM_ABI_SEL_CODE32:.reload
.reload:
    mov ax, SHIM_ABI_SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    xor ebp, ebp                      ; SHIM_ABI_ENTRY_TD (the module gives RBP = 0 anyway)
    test esi, esi                     ; the vCPU index the TDX module gave: 0 = BSP
    jnz ap_park32

; BSP (TD or plain VM). Everything it writes below is TempMem; it reads none of it before.
bsp32:
    mov [__boot_regs + SHIM_ABI_BR_GPAW], ebx
    mov [__boot_regs + SHIM_ABI_BR_INDEX], esi
    mov [__boot_regs + SHIM_ABI_BR_HOB], ecx
    mov [__boot_regs + SHIM_ABI_BR_CPUID1], edx
    mov [__boot_regs + SHIM_ABI_BR_ENTRY], ebp
    ; Copy the 64-bit shim (text, rodata, data) from the measured BFV to RAM.
    mov esi, __shim_lma
    mov edi, __shim_ram_start
    mov ecx, __shim_load_size
    rep movsb
    ; Zero .bss (page tables included).
    mov edi, __bss_start
    mov ecx, __bss_end
    sub ecx, edi
    xor eax, eax
    rep stosb
    ; Identity map 0-4 GiB with 2 MiB pages: PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs.
    mov eax, shim_pdpt
    or eax, PTE_P_RW
    mov [shim_pml4], eax
    mov edi, shim_pdpt
    mov eax, shim_pd
    or eax, PTE_P_RW
    mov ecx, 4
.pdpt:
    mov [edi], eax
    add edi, 8
    add eax, 0x1000
    loop .pdpt
    mov edi, shim_pd
    mov eax, PDE_2M
    mov ecx, 2048
.pd:
    mov [edi], eax
    add edi, 8
    add eax, 0x200000
    loop .pd
    ENTER_LONG_MODE
    jmp SHIM_ABI_SEL_CODE64:shim_entry64

; APs of a TD: counted in the early mailbox (BFV), then wait there until the BSP publishes the CR3
; of its runtime page tables. Nothing in TempMem is read before `go` is set: by then the BSP has
; written shim_pml4/pdpt/pd (the early tables loaded here, executable, unlike the runtime tables
; that map this ROM page NX; shim_ap_main switches to `go`) and the code at shim_ap_entry64.
ap_park32:
    cli
    lock inc dword [shim_early_mbox + SHIM_ABI_EM_ARRIVED]
.wait:
    pause
    mov eax, [shim_early_mbox + SHIM_ABI_EM_GO]
    test eax, eax
    jz .wait
    ENTER_LONG_MODE
    jmp SHIM_ABI_SEL_CODE64:shim_ap_entry64

; ---- Reset trampolines: within rel8 reach of the reset vector ----
; The 16-bit target is a link-time symbol: the production link resolves shim_real16_target to
; real16_entry (shim.ld.S); the test image's link points it at its TD-entry emulation
; (tests/fw), which is how that image differs without a byte of this object changing.
extern shim_real16_target
section .rvtramp progbits alloc exec nowrite align=1
BITS 16
real16_tramp:
    jmp near shim_real16_target       ; E9 rel16, 3 bytes (CS base 0xFFFF0000)
    nop
    nop
    nop
    nop
    nop
BITS 32
flat32_tramp:
    jmp near flat32_td_entry          ; E9 rel32, 5 bytes

; ---- The early mailbox (boot.h struct shim_early_mbox): one page of the BFV, zero in the image
; (so its first bytes are in MRTD). Writable private memory in a TD; a plain VM never uses it.
section .earlymbox progbits alloc noexec write align=4096
global shim_early_mbox
shim_early_mbox:
    times 4096 db 0

; ---- The reset vector at 0xFFFFFFF0: the same bytes decode identically in 16 and 32-bit mode ----
section .resetvector progbits alloc exec nowrite align=1
global tdshim_reset_vector
tdshim_reset_vector:
    mov eax, cr0                      ; 0F 20 C0
    test al, CR0_PE                   ; A8 01
    jz short real16_tramp             ; 74 rel8: real mode -> plain VM
    jmp short flat32_tramp            ; EB rel8: protected mode -> TD
    times 16 - ($ - tdshim_reset_vector) db 0xF4   ; hlt padding
