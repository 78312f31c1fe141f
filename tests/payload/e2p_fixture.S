/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A small input for tdp_elf2pe's tests (test_tdp_elf2pe, tdp_elf2pe_refuses_abs64), linked twice
 * by tests/payload/CMakeLists.txt with the payload's link options:
 *  - -static-pie: every pointer below is R_X86_64_RELATIVE (a converter input that must pass);
 *  - -shared: fx_global is preemptible, so its pointer becomes R_X86_64_64 against the symbol
 *    (an input the converter must refuse), the others stay RELATIVE.
 * Relocated fields: page 0 of the data at offsets 0x0, 0x10, 0xff8 (three: the block is padded
 * with an ABSOLUTE entry), page 1 at 0x0, 0x8 (two: no padding); BSS after them.
 */
    .text
    .globl fx_entry
    .type fx_entry, @function
fx_entry:
    leaq fx_data(%rip), %rax
    ret
    .size fx_entry, . - fx_entry

    .globl fx_global
    .type fx_global, @function
fx_global:
    ret
    .size fx_global, . - fx_global

fx_local:
    ret

    .section .rodata
fx_string:
    .asciz "td-shim elf2pe fixture"

    .data
    .balign 4096
fx_data:
    .quad fx_local          /* page 0 + 0x0 */
    .quad 0x1122334455667788
    .quad fx_string         /* page 0 + 0x10 */
    .fill 4096 - 24 - 8, 1, 0xab
    .quad fx_global         /* page 0 + 0xff8: R_X86_64_64 in the -shared link */
    .quad fx_entry          /* page 1 + 0x0 */
    .quad fx_data + 8       /* page 1 + 0x8 */

    .bss
    .balign 16
fx_bss:
    .skip 8192

    .section .note.GNU-stack, "", @progbits
