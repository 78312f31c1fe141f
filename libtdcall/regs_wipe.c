/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The wipe of a wrapper's register block, alone in its object: a wrapper's block is dead once it
 * returns, so the host wrapper tests link their own tdcall_regs_wipe (tests/tdcall/wipe_probe.c)
 * to see that every executed call's block is wiped, after the call, on every path.
 */
#include "tdcall_internal.h"

void tdcall_regs_wipe(struct tdcall_regs *r)
{
    tds_memzero_explicit(r, sizeof(*r));
}
