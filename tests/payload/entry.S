/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload's entries (docs/handoff.md §7), both called as entry(hob, payload_base) on the
 * shim's stack with RSP % 16 == 8, IF = 0:
 *  - tdp_entry (ELF e_entry): System V, RDI = HOB, RSI = base;
 *  - tdp_entry_ms (the PE32+ build's AddressOfEntryPoint, tdp_elf2pe --entry): Microsoft x64,
 *    RCX = HOB, RDX = base, 32 bytes of shadow space above the return address.
 * Both continue as tdp_main(hob, base, abi, entry_rsp): abi (EDX) says which entry ran, entry_rsp
 * (RCX) is RSP as the shim left it, so the payload can check the alignment the contract promises.
 * Only RIP-relative references: the image is a static PIE with R_X86_64_RELATIVE relocations only.
 */
#include "tdp_entry_abi.h"

    .section .text.tdp_entry, "ax", @progbits
    .globl tdp_entry_ms
    .type tdp_entry_ms, @function
tdp_entry_ms:
    movq %rcx, %rdi            /* HOB */
    movq %rdx, %rsi            /* payload base */
    movl $TDP_ENTRY_ABI_MS, %edx
    jmp 2f
    .size tdp_entry_ms, . - tdp_entry_ms

    .globl tdp_entry
    .type tdp_entry, @function
tdp_entry:
    movl $TDP_ENTRY_ABI_SYSV, %edx
2:  movq %rsp, %rcx            /* RSP at entry, before the alignment below */
    cld
    andq $-16, %rsp            /* call below leaves RSP % 16 == 8 in tdp_main, as the ABI wants */
    call tdp_main              /* never returns (it exits through the debug port) */
1:  pause
    jmp 1b
    .size tdp_entry, . - tdp_entry

    .section .note.GNU-stack, "", @progbits
