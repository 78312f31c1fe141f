/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libtdcall private helpers shared by the wrapper files. */
#ifndef TDCALL_INTERNAL_H
#define TDCALL_INTERNAL_H

#include "tdshim/tdcall.h"
#include "tdshim/tdvmcall.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

/* tdcall_raw + decode once; hw/st optional. Returns tdcall_status_to_tds(). */
TDS_MUST_USE tds_status tdcall_exec(struct tdcall_regs *r, tdcall_status *hw, tdcall_status *st);
/* Wipe a register block so no VMM- or module-written value lingers on the stack. Defined alone
 * in regs_wipe.c, so that tests/tdcall/wipe_probe.c can wrap it (-Wl,--wrap) in the build tree;
 * local in the shipped archive (docs/symbols.md). */
void tdcall_regs_wipe(struct tdcall_regs *r);

#pragma GCC visibility pop

#endif
