/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "wipe_probe.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* The prototype of libtdcall/tdcall_internal.h (private header, not on the include path) under
 * the name -Wl,--wrap=tdcall_regs_wipe binds libtdcall's calls to. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's name */
void __wrap_tdcall_regs_wipe(struct tdcall_regs *r);

/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's name */
void __wrap_tdcall_regs_wipe(struct tdcall_regs *r)
{
    size_t n = rec.wipes++;
    if (n < REC_MAX) {
        rec.wipe_block[n] = r;
        rec.wipe_after[n] = rec.calls;
        rec.wipe_saw[n] = *r;
    }
    tds_memzero_explicit(r, sizeof(*r)); /* what libtdcall/regs_wipe.c does */
}

void assert_blocks_wiped(const char *what)
{
    if (rec.calls == 0 || rec.calls > REC_MAX) {
        fail_msg("%s: %zu calls executed", what, rec.calls);
    }
    if (rec.wipes != rec.calls) {
        fail_msg("%s: %zu calls but %zu wipes", what, rec.calls, rec.wipes);
    }
    for (size_t i = 0; i < rec.calls; i++) {
        if (rec.wipe_block[i] != rec.block[i]) {
            fail_msg("%s: wipe %zu cleared another block than call %zu used", what, i, i);
        }
        if (rec.wipe_after[i] != i + 1) {
            fail_msg("%s: wipe %zu happened after %zu calls", what, i, rec.wipe_after[i]);
        }
        struct tdcall_regs answer;
        memset(&answer, 0, sizeof(answer));
        if (rec.scripted[i]) {
            answer = rec.out[i];
        }
        if (memcmp(&rec.wipe_saw[i], &answer, sizeof(answer)) != 0) {
            fail_msg("%s: block %zu no longer held the backend's answer when wiped", what, i);
        }
    }
}
