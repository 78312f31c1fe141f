/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload's entry (docs/handoff.md §7): the shim calls entry(hob, payload_base) System V,
 * RDI = HOB, RSI = base, on its own stack with RSP % 16 == 8, IF = 0. Only RIP-relative
 * references: the image is a static PIE with R_X86_64_RELATIVE relocations only.
 */
    .section .text.tdp_entry, "ax", @progbits
    .globl tdp_entry
    .type tdp_entry, @function
tdp_entry:
    cld
    andq $-16, %rsp            /* call below leaves RSP % 16 == 8 in tdp_main, as the ABI wants */
    call tdp_main              /* never returns (it exits through the debug port) */
1:  pause
    jmp 1b
    .size tdp_entry, . - tdp_entry

    .section .note.GNU-stack, "", @progbits
