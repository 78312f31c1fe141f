/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A test definition of libtdcall's internal tdcall_regs_wipe (libtdcall/regs_wipe.c) that records
 * each wipe in `rec` before zeroing like the real one. Link wipe_probe.c as a SOURCE of the test
 * executable (not from a library), so it is defined before libtdcall.a is searched and the
 * library's regs_wipe.o is never pulled in.
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
