/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "recorder.h"

#include <string.h>

struct recorder rec; /* test-only global */

void rec_reset(void)
{
    memset(&rec, 0, sizeof(rec));
}

void rec_script(size_t n, const struct tdcall_regs *out)
{
    if (n < REC_MAX) {
        rec.out[n] = *out;
        rec.scripted[n] = true;
    }
}

uint64_t tdcall_raw(struct tdcall_regs *regs)
{
    size_t n = rec.calls++;
    if (n >= REC_MAX) {
        regs->rax = TDX_OPERAND_INVALID;
        return regs->rax;
    }
    rec.in[n] = *regs;
    rec.block[n] = regs;
    if (rec.scripted[n]) {
        *regs = rec.out[n];
    } else {
        memset(regs, 0, sizeof(*regs));
    }
    return regs->rax;
}
