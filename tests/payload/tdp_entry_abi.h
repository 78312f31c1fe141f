/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * How the payload was entered (docs/handoff.md §7): numbers only, shared by entry.S (which passes
 * one of them to tdp_main) and main.c.
 */
#ifndef TDP_ENTRY_ABI_H
#define TDP_ENTRY_ABI_H

#define TDP_ENTRY_ABI_SYSV 0 /* tdp_entry: System V, RDI = HOB, RSI = base (the ELF payload) */
#define TDP_ENTRY_ABI_MS 1   /* tdp_entry_ms: Microsoft x64, RCX = HOB, RDX = base (the PE) */

#endif /* TDP_ENTRY_ABI_H */
