/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A stand-in for libtdcall's internal tdcall_regs_wipe (libtdcall/regs_wipe.c) that records each
 * wipe in `rec` before zeroing like the real one. The test links with -Wl,--wrap=tdcall_regs_wipe,
 * so libtdcall's calls (from other objects of the build tree's per-object archive) reach
 * __wrap_tdcall_regs_wipe here. In the shipped archive the function is local (docs/symbols.md):
 * nothing outside libtdcall can replace it.
 */
#ifndef TDCALL_TEST_WIPE_PROBE_H
#define TDCALL_TEST_WIPE_PROBE_H

#include "recorder.h"

/* After a wrapper returned: at least one call was executed, and for every call i exactly one
 * wipe happened after call i and before call i+1, on the very block call i was handed, while
 * that block still held what the backend answered (so the values the module or VMM wrote are
 * what got wiped). `what` names the case in the failure message. */
void assert_blocks_wiped(const char *what);

#endif
