/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The fatal path and the exception reporter (fatal.h). */
#include "fatal.h"

#include "log.h"

/* The shim is single-threaded until the mailbox is wired in; the one mutable flag it needs. */
static uint32_t shim_entry_kind = SHIM_ENTRY_TD;

void shim_fatal_set_entry(uint32_t entry)
{
    shim_entry_kind = entry;
}

void shim_debug_exit(uint32_t v)
{
    if (shim_entry_kind == SHIM_ENTRY_REAL16) {
        cpu_outl(SHIM_DEBUG_EXIT_PORT, v);
    }
}

static TDS_NORETURN void fatal_stop(void)
{
    if (shim_entry_kind == SHIM_ENTRY_TD) {
        /* TODO(issue 9): TDG.VP.VMCALL<ReportFatalError> through libtdcall once it is merged. */
    }
    shim_debug_exit(SHIM_EXIT_FATAL);
    cpu_halt_forever();
}

void shim_fatal(uint32_t code, const char *what)
{
    shim_log("tdshim: FATAL: code=0x%x %s", code, what);
    fatal_stop();
}

static const char *exception_name(uint64_t v)
{
    static const char *const names[32] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
                                          "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "RSV",
                                          "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "RSV", "RSV",
                                          "RSV", "RSV", "RSV", "RSV", "#HV", "#VC", "#SX", "RSV"};
    return v < 32 ? names[v] : "IRQ";
}

/* Set on the first exception: a fault while reporting must not loop back through IST1. */
static volatile uint32_t shim_in_exception;

void shim_exception(const shim_exc_frame *f)
{
    if (shim_in_exception != 0) {
        shim_serial_write("tdshim: FATAL: nested exception\n", 32);
        fatal_stop();
    }
    shim_in_exception = 1;
    /* One line with everything a reader needs, then the same stop as every other failure. */
    shim_log("tdshim: FATAL: exception %s vector=%lu rip=0x%016lx error=0x%lx cr2=0x%lx "
             "rsp=0x%lx",
             exception_name(f->vector), f->vector, f->rip, f->error, cpu_read_cr2(), f->rsp);
    fatal_stop();
}
