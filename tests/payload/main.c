/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test payload (issue 9, docs/test-payload.md): entered by the shim as entry(hob, base),
 * runs every check on the shim's stack, IDT and page tables, prints one parseable line per
 * check and leaves QEMU through isa-debug-exit with 0x20 (pass) or 0x21 (fail).
 */
#include <stdint.h>

#include "tdp_console.h"
#include "tdp_line.h"
#include "tdshim/status.h"

/* Defined by the linker at the ELF header, the lowest address of the image (link base 0). */
extern const uint8_t __ehdr_start[]; // NOLINT(bugprone-reserved-identifier): the linker's name

#define TDP_PAYLOAD_BASE 0x1000000u /* docs/handoff.md §2 */

struct tdp_run {
    struct tdp_sink out;
    uint64_t hob;
    uint64_t base;
};

/* The base the shim passes must be where this image runs. */
static tds_status step_image(struct tdp_run *r)
{
    struct tdp_line l;
    const uint64_t ehdr = (uint64_t)(uintptr_t)__ehdr_start;
    tdp_line_start(&l, "image ehdr=");
    tdp_line_hex(&l, ehdr);
    tdp_line_str(&l, ehdr == r->base ? " base=ok" : " base=MISMATCH");
    tdp_line_emit(&r->out, &l);
    return ehdr == r->base ? TDS_OK : TDS_ERR_MISMATCH;
}

/* docs/handoff.md §7: HOB 8-byte aligned, base = PAYLOAD_BASE, IF = 0, DF = 0 (after cld). */
static tds_status step_entry(struct tdp_run *r)
{
    uint64_t rflags;
    __asm__ __volatile__("pushfq; popq %0" : "=r"(rflags));
    const bool hob_ok = r->hob != 0 && (r->hob & 7u) == 0;
    const bool base_ok = r->base == TDP_PAYLOAD_BASE;
    const bool if_ok = (rflags & (1u << 9)) == 0;
    struct tdp_line l;
    tdp_line_start(&l, "entry rflags=");
    tdp_line_hex(&l, rflags);
    tdp_line_str(&l, hob_ok ? " hob=ok" : " hob=BAD");
    tdp_line_str(&l, base_ok ? " base=ok" : " base=BAD");
    tdp_line_str(&l, if_ok ? " if=0" : " if=1");
    tdp_line_emit(&r->out, &l);
    return hob_ok && base_ok && if_ok ? TDS_OK : TDS_ERR_STATE;
}

struct tdp_step {
    const char *name;
    tds_status (*run)(struct tdp_run *r);
};

/* In order; a failed step is reported and the next ones still run. */
static const struct tdp_step tdp_steps[] = {
    {"entry", step_entry},
    {"image", step_image},
};

_Noreturn void tdp_main(uint64_t hob, uint64_t base);

_Noreturn void tdp_main(uint64_t hob, uint64_t base)
{
    struct tdp_run r = {.out = tdp_console_sink(), .hob = hob, .base = base};
    struct tdp_line l;
    bool pass = true;

    tdp_line_start(&l, "entered hob=");
    tdp_line_hex(&l, hob);
    tdp_line_str(&l, " base=");
    tdp_line_hex(&l, base);
    tdp_line_emit(&r.out, &l);

    for (size_t i = 0; i < sizeof tdp_steps / sizeof tdp_steps[0]; i++) {
        tds_status s = tdp_steps[i].run(&r);
        tdp_line_start(&l, "check ");
        tdp_line_str(&l, tdp_steps[i].name);
        tdp_line_str(&l, s == TDS_OK ? " ok" : " FAIL ");
        if (s != TDS_OK) {
            tdp_line_str(&l, tds_status_str(s));
            pass = false;
        }
        tdp_line_emit(&r.out, &l);
    }

    tdp_line_start(&l, "result ");
    tdp_line_str(&l, pass ? "pass" : "fail");
    tdp_line_emit(&r.out, &l);
    tdp_console_exit(pass ? TDP_EXIT_PASS : TDP_EXIT_FAIL);
}
