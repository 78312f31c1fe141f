; SPDX-License-Identifier: BSD-2-Clause-Patent
;
; Reset vector to long mode (docs/shim.md "Boot flow").
;
; Two ways in, one way on:
;  * TD: the TDX module starts every vCPU at 0xFFFFFFF0 in flat 32-bit protected mode with
;    EBX = GPAW, ESI = vCPU index, ECX = R8 = TD HOB GPA (untrusted), EDX = CPUID(1).EAX,
;    EFER = LME|NXE|SCE (tdx-abi.md 7.1).
;  * Plain VM (tests under QEMU TCG): the CPU starts in 16-bit real mode. real16_entry switches to
;    flat 32-bit and recreates the TD entry state, then joins the same 32-bit path.
; The 32-bit path loads its own GDT, parks APs, copies the 64-bit shim from ROM to RAM, zeroes
; .bss, builds identity page tables for 0-4 GiB, enables paging and jumps to 64-bit code.

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
%define MSR_EFER 0xC0000080
%define EFER_TD_INIT 0x901            ; SCE | LME | NXE, as the TDX module sets it
%define PTE_P_RW 0x003
%define PDE_2M   0x083                ; P | RW | PS
%define ENTRY_REAL16 0x16             ; EBP marker: came through the 16-bit test entry

%define RV_PAGE  0xFFFFF000
%define AP_NEXT_INDEX 0   ; shim_ap_counters[0]: last vCPU index handed out
%define AP_ARRIVED 4      ; shim_ap_counters[1]: APs that reached the 32-bit TD entry
%define AP_GO_CR3 8       ; shim_ap_counters[2]: CR3 the BSP publishes to release the APs

%define SEL_CODE32 0x08
%define SEL_DATA   0x10
%define SEL_CODE64 0x18

; Offsets of the saved entry registers (must match struct shim_boot_regs in shim/boot.h).
%define BR_GPAW   0
%define BR_INDEX  4
%define BR_HOB    8
%define BR_CPUID1 12
%define BR_ENTRY  16

extern __shim_lma, __shim_ram_start, __shim_load_size, __bss_start, __bss_end
extern shim_ap_entry64, __boot_regs, shim_ap_counters, __stack_top, shim_pml4, shim_pdpt, shim_pd, TD_HOB_BASE
extern shim_entry64

section .rv32 progbits alloc exec nowrite align=16

; ---- AP 16-bit entry (plain VM only): first byte of the reset page ----
; The BSP starts APs with INIT-SIPI-SIPI, vector 0xFF: CS = 0xFF00, IP = 0, i.e. linear 0xFF000,
; which the chipset aliases to this page (the last 128 KiB of the BIOS appear below 1 MiB).
BITS 16
ap16_entry:
    cli
    cld
    mov ebx, gdt_desc
    sub ebx, RV_PAGE                  ; CS base 0xFF000 = this page's alias
    o32 lgdt [cs:bx]
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PE | CR0_NE
    mov cr0, eax
    jmp dword SEL_CODE32:flat32_ap_from16

; ---- GDT (accessed bits preset: the ROM cannot take the CPU's write) ----
align 16
gdt:
    dq 0
    dq 0x00CF9B000000FFFF             ; 0x08 flat 32-bit code
    dq 0x00CF93000000FFFF             ; 0x10 flat data
    dq 0x00AF9B000000FFFF             ; 0x18 64-bit code
gdt_end:
gdt_desc:
    dw gdt_end - gdt - 1
    dd gdt

; ---- 16-bit real-mode entry (plain VM) ----
BITS 16
real16_entry:
    cli
    cld
    mov ebx, gdt_desc
    sub ebx, 0xFFFF0000               ; CS base is 0xFFFF0000 after reset
    o32 lgdt [cs:bx]
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PE | CR0_NE
    mov cr0, eax
    jmp dword SEL_CODE32:flat32_from16

BITS 32
flat32_from16:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    xor esi, esi                      ; vCPU index 0: only the BSP runs the reset vector here
    jmp emulate_td_entry

; APs started by the BSP (plain VM): take the next vCPU index, then the same TD entry state.
flat32_ap_from16:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov esi, 1
    lock xadd [shim_ap_counters + AP_NEXT_INDEX], esi
    inc esi                           ; indices 1, 2, ... in arrival order

; Recreate what the TDX module would have set (tdx-abi.md 7.1); ESI holds the vCPU index.
emulate_td_entry:
    mov ecx, MSR_EFER
    rdmsr
    or eax, EFER_TD_INIT
    wrmsr
    mov eax, cr4
    or eax, CR4_MCE
    mov cr4, eax
    mov eax, 1
    cpuid
    mov edx, eax                      ; EDX = CPUID(1).EAX
    mov ebx, 48                       ; GPAW
    mov ecx, TD_HOB_BASE              ; the HOB address a VMM would pass
    mov ebp, ENTRY_REAL16
    xor eax, eax
    xor edi, edi
    jmp flat32_td_entry

; ---- 32-bit TD entry ----
flat32_td_entry:
    ; GDTR is base 0 / limit 0xFFFF at TD entry: load ours before touching segments.
    lgdt [gdt_desc]
    jmp SEL_CODE32:.reload
.reload:
    mov ax, SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    test esi, esi
    jnz ap_park32
    ; BSP: keep the entry registers in RAM (.noinit, not cleared below).
    mov [__boot_regs + BR_GPAW], ebx
    mov [__boot_regs + BR_INDEX], esi
    mov [__boot_regs + BR_HOB], ecx
    mov [__boot_regs + BR_CPUID1], edx
    mov [__boot_regs + BR_ENTRY], ebp
    ; Copy the 64-bit shim (text, rodata, data) from the measured ROM image to RAM.
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
    ; Long mode: PAE (+MCE kept, SSE state enabled), CR3, then paging. EFER.LME is already set.
    mov eax, cr4
    or eax, CR4_PAE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT
    mov cr4, eax
    mov eax, shim_pml4
    mov cr3, eax
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE
    mov cr0, eax
    jmp SEL_CODE64:shim_entry64

; APs: counted, then wait in 32-bit mode until the BSP publishes the CR3 of its runtime page
; tables, then enter long mode and go on to libmailbox's loop (shim_ap_entry64,
; ESI = vCPU index). The counters live in .noinit: zero at power-on and in a TD's TempMem.
ap_park32:
    cli
    lock inc dword [shim_ap_counters + AP_ARRIVED]
.wait:
    pause
    mov eax, [shim_ap_counters + AP_GO_CR3]
    test eax, eax
    jz .wait
    mov eax, shim_pml4                ; the early identity tables (executable; the runtime ones
    mov cr3, eax                      ; map this ROM page NX): shim_ap_main switches to CR3 above
    mov eax, cr4
    or eax, CR4_PAE | CR4_MCE | CR4_OSFXSR | CR4_OSXMMEXCPT
    mov cr4, eax
    mov eax, cr0
    and eax, ~(CR0_CD | CR0_NW)
    or eax, CR0_PG | CR0_WP | CR0_NE | CR0_MP | CR0_PE
    mov cr0, eax
    jmp SEL_CODE64:shim_ap_entry64

; ---- Reset trampolines: within rel8 reach of the reset vector ----
section .rvtramp progbits alloc exec nowrite align=1
BITS 16
real16_tramp:
    jmp near real16_entry             ; E9 rel16, 3 bytes (CS base 0xFFFF0000)
    nop
    nop
    nop
    nop
    nop
BITS 32
flat32_tramp:
    jmp near flat32_td_entry          ; E9 rel32, 5 bytes

; ---- The reset vector at 0xFFFFFFF0: the same bytes decode identically in 16 and 32-bit mode ----
section .resetvector progbits alloc exec nowrite align=1
global tdshim_reset_vector
tdshim_reset_vector:
    mov eax, cr0                      ; 0F 20 C0
    test al, CR0_PE                   ; A8 01
    jz short real16_tramp             ; 74 rel8: real mode -> plain VM
    jmp short flat32_tramp            ; EB rel8: protected mode -> TD
    times 16 - ($ - tdshim_reset_vector) db 0xF4   ; hlt padding
