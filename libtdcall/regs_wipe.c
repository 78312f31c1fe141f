/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The wipe of a wrapper's register block, alone in its object: a wrapper's block is dead once it
 * returns. The host wrapper tests wrap it (-Wl,--wrap, tests/tdcall/wipe_probe.c) to see that
 * every executed call's block is wiped, after the call, on every path. It is hidden: the shipped
 * archive makes it local, so no outside definition can replace it (docs/symbols.md).
 */
#include "tdcall_internal.h"

void tdcall_regs_wipe(struct tdcall_regs *r)
{
    tds_memzero_explicit(r, sizeof(*r));
}
