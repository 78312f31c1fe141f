; SPDX-License-Identifier: BSD-2-Clause-Patent
; A 64 KiB "BIOS" for QEMU q35 (TCG) that programs the chipset as a firmware would before it
; reads ACPI (ICH9 PMBASE 0x600 + ACPI_EN, PCIEXBAR 0xB0000000 / 256 MiB), then copies the whole
; fw_cfg file directory and every file to the debug console (port 0xE9), and powers off through
; PM1a_CNT (PMBASE + 4, SLP_TYP 0 | SLP_EN). Output format (capture.py reads it):
;   "FWCFGDMP", u32 count (big-endian, as fw_cfg gives it), then per file its 64-byte directory
;   entry (u32 size BE, u16 select BE, u16 reserved, name[56]) followed by the file's bytes.
; Build: nasm -f bin -o dump-fwcfg.rom dump-fwcfg.nasm
bits 16
org 0

FWCFG_SEL equ 0x510
FWCFG_DATA equ 0x511
DEBUGCON equ 0xe9
PCI_ADDR equ 0xcf8
PCI_DATA equ 0xcfc
DIR_BUF equ 0x1000 ; physical address of the directory copy (segment 0)

start:
    cli
    cld
    xor ax, ax
    mov ds, ax
    mov es, ax
    mov ss, ax
    mov sp, 0x7000
    ; ICH9 LPC (0:1f.0): PMBASE (0x40) = 0x601 (I/O space indicator), ACPI_CTRL (0x44) = ACPI_EN.
    mov eax, 0x8000f840
    mov ebx, 0x00000601
    call pci_write32
    mov eax, 0x8000f844
    mov ebx, 0x00000080
    call pci_write32
    ; Q35 MCH (0:0.0): PCIEXBAR (0x60, 64-bit) = 0xB0000000, 256 MiB, enabled.
    mov eax, 0x80000064
    xor ebx, ebx
    call pci_write32
    mov eax, 0x80000060
    mov ebx, 0xb0000001
    call pci_write32
    ; Magic.
    mov si, magic
    mov cx, 8
.magic:
    cs lodsb
    out DEBUGCON, al
    loop .magic
    ; Directory: u32 count (BE), then count * 64 bytes, copied to DIR_BUF.
    mov dx, FWCFG_SEL
    mov ax, 0x19
    out dx, ax
    mov dx, FWCFG_DATA
    xor ebp, ebp
    mov cx, 4
.count:
    in al, dx
    out DEBUGCON, al
    shl ebp, 8
    mov bl, al
    movzx ebx, bl
    or ebp, ebx
    loop .count
    cmp ebp, 256 ; the buffer below 0x7000 holds 376 entries; refuse silly counts
    ja off
    mov di, DIR_BUF
    mov eax, ebp
    shl eax, 6
    mov ecx, eax
    rep insb
    ; Each file: its directory entry, then its bytes.
    mov si, DIR_BUF
.file:
    test ebp, ebp
    jz off
    push si
    mov cx, 64
.entry:
    lodsb
    out DEBUGCON, al
    loop .entry
    pop si
    mov ecx, [si] ; size, big-endian
    bswap ecx
    mov ax, [si + 4] ; select, big-endian
    xchg al, ah
    mov dx, FWCFG_SEL
    out dx, ax
    mov dx, FWCFG_DATA
.byte:
    test ecx, ecx
    jz .next
    in al, dx
    out DEBUGCON, al
    dec ecx
    jmp .byte
.next:
    add si, 64
    dec ebp
    jmp .file

off:
    mov dx, 0x604 ; PM1a_CNT = PMBASE + 4
    mov ax, 0x2000 ; SLP_EN, SLP_TYP 0 (S5 in QEMU's \_S5)
    out dx, ax
.halt:
    hlt
    jmp .halt

; eax = config address, ebx = value
pci_write32:
    mov dx, PCI_ADDR
    out dx, eax
    mov dx, PCI_DATA
    mov eax, ebx
    out dx, eax
    ret

magic: db "FWCFGDMP"

    times 0xfff0 - ($ - $$) db 0
reset:
    jmp 0xf000:start
    times 0x10000 - ($ - $$) db 0
