/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The one fatal path (docs/threat-model.md): a readable line on the debug console, then
 * TDG.VP.VMCALL<ReportFatalError> when running in a TD, then halt. Never returns, never silent.
 */
#ifndef TDSHIM_SHIM_FATAL_H
#define TDSHIM_SHIM_FATAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "boot.h"
#include "tdshim/status.h"

/* Remember how we were entered: a TD entry also reports to the VMM. Called once by shim_main. */
void shim_fatal_set_entry(uint32_t entry);

/* Report and stop. `code` identifies the failure (shown on the console, and the error code
 * handed to ReportFatalError). */
TDS_NORETURN void shim_fatal(uint32_t code, const char *what);

/* The exception stubs land here (entry64.nasm): returns only if the trap was handled (a #VE the
 * handler emulated); everything else ends on the fatal path. */
void shim_trap(shim_exc_frame *f);

/* Report an exception and stop. */
TDS_NORETURN void shim_exception(const shim_exc_frame *f);

#endif
