; SPDX-License-Identifier: BSD-2-Clause-Patent
;
; The test image's TD start (tests/fw, docs/shim.md "The test image"). NOT in the production image:
; the production link resolves the reset trampoline's 16-bit target to real16_entry; this image's
; link points it here (--defsym shim_real16_target=tdtest_real16_entry).
;
; QEMU TCG has no TDX module, and a plain VM starts only its BSP, in real mode. This code plays
; the module's part of a TD start, then hands every vCPU to the production 32-bit TD entry
; (flat32_td_entry) with the registers the TDX module gives (Intel TDX Module ABI spec,
; TDH.VP.INIT: flat 32-bit protected mode, paging off, EFER = LME|NXE|SCE, CR4.MCE, EBX = GPAW,
; ESI = vCPU index, ECX = the HOB GPA the VMM chose, EDX = CPUID(1).EAX, others 0):
;  1. The BFV becomes writable RAM, as it is in a TD (TDH.MEM.PAGE.ADD gives private pages): the
;     harness passes an ivshmem-plain device whose 2 MiB shared-memory BAR holds a copy of the
;     BFV, and the BSP maps that BAR over the BFV's ROM (a PCI BAR has priority over the BIOS ROM
;     in QEMU's PCI address space). The production code's early mailbox lives there.
;  2. The BSP starts every AP (INIT-SIPI-SIPI; the SIPI vector is this page's alias below 1 MiB).
;     Each AP takes the next vCPU index (1, 2, ...) and records its x2APIC ID, so the emulator
;     (fw_emu.c) can tell which vCPU issues a tdcall.
;  3. When all are here, they all jump to the TD entry together. By default the APs go first and
;     the BSP follows after a delay: the order a hostile VMM would pick to race the BSP.
;     fw_cfg opt/tdshim/td-entry selects another order: "bsp-first" (the APs wait a while), or
;     "control": AP 1 does what the shim's APs did before the early mailbox existed (load CR3
;     from TempMem's shim_pml4 and jump to TempMem's shim_ap_entry64 before the BSP has written
;     either) - the negative control of the hostile-TempMem tests.
; Failures of the harness itself print a "tdtest:" line and leave QEMU through isa-debug-exit
; (status 37: no writable BFV overlay, 39: APs missing).
;
; This code has no stack: everything is inline (macros), so it runs before any RAM is trusted.

%include "shim_abi.inc"

%define FWCFG_SEL        0x510
%define FWCFG_DATA       0x511
%define FWCFG_NB_CPUS    0x05
%define FWCFG_FILE_DIR   0x19
%define APIC             0xFEE00000
%define APIC_SVR         0xF0
%define APIC_ICR_LO      0x300
%define APIC_ICR_HI      0x310
%define ICR_PENDING      0x1000
%define ICR_INIT_ALL     0x000C4500       ; all but self, assert, INIT
%define ICR_SIPI_ALL     0x000C4600       ; all but self, assert, STARTUP | vector
%define SIPI_VECTOR      ((SHIM_ABI_TEST_PAGE >> 12) & 0xFF)
%define IVSHMEM_ID       0x11101AF4       ; device 0x1110, vendor 0x1af4 (ivshmem-plain)
%define DEBUG_EXIT       0xF4
%define EXIT_NO_OVERLAY  0x12             ; QEMU exit status 37
%define EXIT_AP_MISSING  0x13             ; QEMU exit status 39
%define COM1             0x3F8
%define MAGIC            0x54444F56
%define MODE_APS_FIRST   0
%define MODE_BSP_FIRST   1
%define MODE_CONTROL     2
%define SPIN_INIT        20000            ; pauses standing in for 10 ms / 200 us (a TCG PAUSE
                                          ; yields the vCPU thread: about 1 us each here)
%define SPIN_ARRIVAL     200000000
%define SPIN_ORDER       20000            ; how long the second party waits
%define APIC_SLOTS       256
%define TD_GPAW          48

extern flat32_td_entry, shim_pml4, shim_ap_entry64

; Print the NUL-terminated string at %1 on COM1 (clobbers EAX, EDX, ESI).
%macro PUTS 1
    mov esi, %1
%%next:
    lodsb
    test al, al
    jz %%done
    mov dx, COM1
    out dx, al
    jmp %%next
%%done:
%endmacro

; Leave QEMU with isa-debug-exit status %1 (2 * %1 + 1); halt if the device is absent.
%macro EXIT 1
    mov dx, DEBUG_EXIT
    mov eax, %1
    out dx, eax
%%hang:
    cli
    hlt
    jmp %%hang
%endmacro

; Spin %1 PAUSEs (clobbers ECX).
%macro DELAY 1
    mov ecx, %1
%%l:
    pause
    dec ecx
    jnz %%l
%endmacro

; The register state of a TD entry for vCPU index %1 (a register or constant), then jump to it.
%macro ENTER_TD 1
    mov esi, %1
    mov ecx, 0xC0000080               ; IA32_EFER
    rdmsr
    or eax, SHIM_ABI_EFER_TD_INIT
    wrmsr
    mov eax, cr4
    or eax, 0x40                      ; CR4.MCE
    mov cr4, eax
    mov eax, 1
    cpuid
    mov edx, eax                      ; EDX = CPUID(1).EAX
    mov ebx, TD_GPAW
    mov ecx, SHIM_ABI_TD_HOB_DEFAULT  ; RCX/R8: what QEMU passes (the shim only reports it)
    xor eax, eax
    xor edi, edi
    xor ebp, ebp
    xor esp, esp
    jmp flat32_td_entry
%endmacro

; Send ICR command %1 to all other CPUs through the xAPIC, then wait until it left (bounded).
%macro IPI_ALL 1
    mov dword [APIC + APIC_ICR_HI], 0
    mov dword [APIC + APIC_ICR_LO], %1
    mov ecx, SPIN_INIT
%%w:
    pause
    test dword [APIC + APIC_ICR_LO], ICR_PENDING
    jz %%sent
    dec ecx
    jnz %%w
%%sent:
%endmacro

section .tdtest progbits alloc exec write align=4096

; ---- APs, 16-bit: the SIPI lands here (CS = vector << 8, IP = 0; this page's alias) ----
BITS 16
tdtest_ap16:
    cli
    cld
    o32 lgdt [cs:t_gdt_desc - tdtest_ap16]
    mov eax, cr0
    and eax, 0x9FFFFFFF               ; caches on (CD, NW clear)
    or eax, 0x21                      ; PE, NE
    mov cr0, eax
    jmp dword SHIM_ABI_SEL_CODE32:t_ap32

; ---- BSP, 16-bit: from the reset trampoline (CS base 0xFFFF0000) ----
global tdtest_real16_entry
tdtest_real16_entry:
    cli
    cld
    mov ebx, t_gdt_desc
    sub ebx, 0xFFFF0000
    o32 lgdt [cs:bx]
    mov eax, cr0
    and eax, 0x9FFFFFFF
    or eax, 0x21
    mov cr0, eax
    jmp dword SHIM_ABI_SEL_CODE32:t_bsp32

align 16
t_gdt:
    dq 0
    dq 0x00CF9B000000FFFF             ; 0x08 flat 32-bit code
    dq 0x00CF93000000FFFF             ; 0x10 flat data
    dq 0x00AF9B000000FFFF             ; 0x18 64-bit code (the control AP only)
t_gdt_end:
t_gdt_desc:
    dw t_gdt_end - t_gdt - 1
    dd t_gdt

BITS 32
t_bsp32:
    mov ax, SHIM_ABI_SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    ; 1. The BFV overlay: find ivshmem-plain on bus 0 and map its BAR 2 over the BFV.
    xor ebx, ebx
.scan:
    mov eax, ebx
    shl eax, 11
    or eax, 0x80000000
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    in eax, dx
    cmp eax, IVSHMEM_ID
    je .found
    inc ebx
    cmp ebx, 32
    jb .scan
    jmp .no_overlay
.found:
    shl ebx, 11
    or ebx, 0x80000000
    lea eax, [ebx + 0x18]             ; BAR 2, low half (64-bit memory BAR)
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    mov eax, SHIM_ABI_BFV_LOWEST     ; the 2 MiB ROM window
    out dx, eax
    lea eax, [ebx + 0x1C]             ; BAR 2, high half
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    xor eax, eax
    out dx, eax
    lea eax, [ebx + 0x04]             ; command register: memory space on
    mov dx, 0xCF8
    out dx, eax
    mov dx, 0xCFC
    in ax, dx
    or ax, 0x0002
    out dx, ax
    mov dword [t_magic], MAGIC        ; the BFV must now take writes
    cmp dword [t_magic], MAGIC
    je .overlay_ok
.no_overlay:
    PUTS s_no_overlay
    EXIT EXIT_NO_OVERLAY
.overlay_ok:
    ; 2. How many vCPUs (fw_cfg FW_CFG_NB_CPUS, 16-bit little-endian).
    mov dx, FWCFG_SEL
    mov ax, FWCFG_NB_CPUS
    out dx, ax
    mov dx, FWCFG_DATA
    in al, dx
    movzx ecx, al
    in al, dx
    movzx eax, al
    shl eax, 8
    or ecx, eax
    jnz .have_cpus
    inc ecx
.have_cpus:
    mov [tdtest_cpus], ecx
    ; 3. The start order: fw_cfg file opt/tdshim/td-entry, if present.
    mov dx, FWCFG_SEL
    mov ax, FWCFG_FILE_DIR
    out dx, ax
    mov dx, FWCFG_DATA
    xor ebx, ebx                      ; file count, big-endian
    mov ecx, 4
.count:
    shl ebx, 8
    in al, dx
    or bl, al
    loop .count
    cmp ebx, 4096
    ja .order_done                    ; nonsense directory: keep the default
.dir_next:
    test ebx, ebx
    jz .order_done
    dec ebx
    mov edi, t_ent                    ; one 64-byte entry: size BE32, select BE16, pad, name[56]
    mov ecx, 64
    mov dx, FWCFG_DATA
    rep insb
    mov esi, t_ent + 8
    mov edi, s_knob
    mov ecx, s_knob_end - s_knob      ; including the NUL
    repe cmpsb
    jne .dir_next
    movzx eax, word [t_ent + 4]
    xchg al, ah                       ; selector, big-endian
    mov dx, FWCFG_SEL
    out dx, ax
    mov edi, t_knob
    mov ecx, 16
    mov dx, FWCFG_DATA
    rep insb                          ; at most 16 bytes (a shorter file reads as zeros after)
    mov esi, t_knob
    mov edi, s_bsp_first
    mov ecx, s_bsp_first_end - s_bsp_first
    repe cmpsb
    jne .not_bsp_first
    mov dword [t_mode], MODE_BSP_FIRST
    jmp .order_done
.not_bsp_first:
    mov esi, t_knob
    mov edi, s_control
    mov ecx, s_control_end - s_control
    repe cmpsb
    jne .order_done
    mov dword [t_mode], MODE_CONTROL
.order_done:
    ; 4. vCPU 0 is this BSP.
    mov eax, 0xB
    xor ecx, ecx
    cpuid
    mov [tdtest_apic_ids], edx
    cmp dword [tdtest_cpus], 1
    je .all_here
    ; 5. Start the APs (SDM vol. 3 "MP initialization": INIT, then two STARTUPs).
    or dword [APIC + APIC_SVR], 0x100
    IPI_ALL ICR_INIT_ALL
    DELAY SPIN_INIT
    IPI_ALL ICR_SIPI_ALL | SIPI_VECTOR
    DELAY SPIN_INIT / 50
    IPI_ALL ICR_SIPI_ALL | SIPI_VECTOR
    ; 6. Wait (bounded) until every AP has its index.
    mov ebx, [tdtest_cpus]
    dec ebx
    mov ecx, SPIN_ARRIVAL
.arrive:
    pause
    cmp [t_arrived], ebx
    jae .all_here
    dec ecx
    jnz .arrive
    PUTS s_ap_missing
    EXIT EXIT_AP_MISSING
.all_here:
    ; 7. Everyone to the TD entry.
    mov dword [t_go], 1
    cmp dword [t_mode], MODE_BSP_FIRST
    je .bsp_go
    mov ebx, [tdtest_cpus]
    dec ebx
    mov ecx, SPIN_ARRIVAL
.launch:
    pause
    cmp [t_launched], ebx
    jae .launched
    dec ecx
    jnz .launch
.launched:
    DELAY SPIN_ORDER                  ; the APs are spinning in the TD entry by now
.bsp_go:
    ENTER_TD 0

; ---- APs, 32-bit ----
t_ap32:
    mov ax, SHIM_ABI_SEL_DATA
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov fs, ax
    mov gs, ax
    mov edi, 1
    lock xadd [t_next], edi
    inc edi                           ; vCPU index 1, 2, ... in arrival order
    cmp edi, APIC_SLOTS
    jae .counted
    mov eax, 0xB
    xor ecx, ecx
    cpuid
    mov [tdtest_apic_ids + edi * 4], edx
.counted:
    lock inc dword [t_arrived]
.wait:
    pause
    cmp dword [t_go], 0
    je .wait
    cmp dword [t_mode], MODE_BSP_FIRST
    jne .no_wait
    DELAY SPIN_ORDER
.no_wait:
    cmp dword [t_mode], MODE_CONTROL
    jne .td
    cmp edi, 1
    jne .td
    ; The negative control: what an AP did when its gate, CR3 and entry were in TempMem.
    lock inc dword [t_launched]
    mov ecx, 0xC0000080
    rdmsr
    or eax, SHIM_ABI_EFER_TD_INIT
    wrmsr
    mov eax, cr4
    or eax, 0x20 | 0x40               ; PAE, MCE
    mov cr4, eax
    mov eax, shim_pml4
    mov cr3, eax
    mov eax, cr0
    or eax, 0x80000000
    mov cr0, eax
    jmp SHIM_ABI_SEL_CODE64:shim_ap_entry64
.td:
    lock inc dword [t_launched]
    ENTER_TD edi

s_no_overlay:
    db "tdtest: no writable BFV overlay (the harness must pass an ivshmem-plain device whose "
    db "2 MiB memory holds the BFV; tests/e2e/run-qemu.sh does)", 13, 10, 0
s_ap_missing:
    db "tdtest: not every AP reached the test TD entry", 13, 10, 0
s_knob:
    db "opt/tdshim/td-entry", 0
s_knob_end:
s_bsp_first:
    db "bsp-first", 0
s_bsp_first_end:
s_control:
    db "control", 0
s_control_end:

; ---- Data (writable through the overlay; read by fw_emu.c through the identity map) ----
align 64
t_magic:    dd 0
t_next:     dd 0                      ; last AP index handed out
t_arrived:  dd 0                      ; APs that have their index
t_go:       dd 0                      ; 1: go to the TD entry
t_launched: dd 0                      ; APs that left for it
t_mode:     dd 0                      ; MODE_*
global tdtest_cpus
tdtest_cpus: dd 0                     ; vCPUs of the VM (fw_cfg)
t_knob:     times 16 db 0
t_ent:      times 64 db 0
align 16
global tdtest_apic_ids
tdtest_apic_ids: times APIC_SLOTS dd 0xFFFFFFFF ; x2APIC ID of vCPU index i
