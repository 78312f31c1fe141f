/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The one fatal path (design.md "Trust model"): a readable line on the debug console, then
 * TDG.VP.VMCALL<ReportFatalError> when running in a TD, then halt. Never returns, never silent.
 * In the plain-VM test entry it also writes the debug-exit port so the harness sees a distinct
 * exit status instead of waiting for a timeout.
 */
#ifndef TDSHIM_SHIM_FATAL_H
#define TDSHIM_SHIM_FATAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "boot.h"
#include "tdshim/status.h"

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04): status = v * 2 + 1. */
#define SHIM_DEBUG_EXIT_PORT 0xF4u
#define SHIM_EXIT_OK 0x10u    /* QEMU exit status 33 */
#define SHIM_EXIT_FATAL 0x11u /* QEMU exit status 35 */

/* Remember how we were entered (decides TDVMCALL vs debug-exit). Called once by shim_main. */
void shim_fatal_set_entry(uint32_t entry);

/* From now on the fatal path also sends TDG.VP.VMCALL<ReportFatalError> (a TDX module, or the
 * emulator, is there to take it). Implied by a TD entry. */
void shim_fatal_enable_vmm_report(void);

/* Report and stop. `code` identifies the failure (shown on the console, and the error code
 * handed to ReportFatalError). */
TDS_NORETURN void shim_fatal(uint32_t code, const char *what);

/* The exception stubs land here (entry64.nasm): returns only if the trap was handled. */
void shim_trap(shim_exc_frame *f);

/* Report an exception and stop. */
TDS_NORETURN void shim_exception(const shim_exc_frame *f);

/*
 * Handler for `tdcall` (66 0F 01 CC) raising #UD, i.e. no TDX module: the TDX-module emulator
 * in the test image. It gets the trapping registers, MUST write the TDCALL outputs into *f and
 * return true; shim_trap then steps over the instruction. NULL (the default): fatal.
 */
typedef bool (*shim_tdcall_trap_fn)(shim_exc_frame *f);
/* Install fn (NULL: none) and return the previous handler. */
shim_tdcall_trap_fn shim_trap_set_tdcall_handler(shim_tdcall_trap_fn fn);

/*
 * Also answer `tdcall` #UDs from code in [lo, hi) outside the shim's .text: code the shim loaded
 * and measured itself (the payload region, the OS-mailbox blob; docs/handoff.md §7), so the test
 * image's emulator keeps serving it after the hand-off. At most SHIM_TDCALL_EXTRA_RANGES.
 */
#define SHIM_TDCALL_EXTRA_RANGES 2u
TDS_MUST_USE tds_status shim_trap_allow_tdcall(uint64_t lo, uint64_t hi);

/* The 4 bytes of the TDCALL instruction. */
#define SHIM_TDCALL_INSN 0xCC010F66u

/* Plain VM test entry only: leave QEMU with `v` through the debug-exit port. */
void shim_debug_exit(uint32_t v);

#endif
