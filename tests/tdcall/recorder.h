/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* A recording tdcall_raw() backend for marshalling tests: records every input register block and
 * answers with scripted output blocks (default: everything zero, i.e. success). */
#ifndef TDCALL_TEST_RECORDER_H
#define TDCALL_TEST_RECORDER_H

#include "tdshim/tdcall.h"

#define REC_MAX 16

struct recorder {
    struct tdcall_regs in[REC_MAX];
    struct tdcall_regs out[REC_MAX];
    bool scripted[REC_MAX];
    size_t calls;
    const struct tdcall_regs *block[REC_MAX]; /* the block each call was handed */
    /* Filled by wipe_probe.c's tdcall_regs_wipe (linked into the wrapper tests only). */
    size_t wipes;
    const struct tdcall_regs *wipe_block[REC_MAX];
    size_t wipe_after[REC_MAX];           /* rec.calls at the time of the wipe */
    struct tdcall_regs wipe_saw[REC_MAX]; /* the block's contents just before it was wiped */
};

extern struct recorder rec;

/* Forget everything recorded and scripted. */
void rec_reset(void);
/* The n-th call (0-based) returns this whole register block (its rax is the status). */
void rec_script(size_t n, const struct tdcall_regs *out);

#endif
