/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The fatal path and the exception reporter (fatal.h). */
#include "fatal.h"

#include "log.h"
#include "tdshim/tdvmcall.h"
#include "ve.h"

/* Written once by the BSP before anything can fail on another vCPU. */
static bool shim_vmm_report;

void shim_fatal_set_entry(uint32_t entry)
{
    shim_vmm_report = entry == SHIM_ENTRY_TD;
}

static TDS_NORETURN void fatal_stop(uint32_t code, const char *what)
{
    if (shim_vmm_report) {
        /* GHCI ReportFatalError: bits 15:0 of the code must be 0; the text goes in registers. */
        size_t n = 0;
        while (n < TDVMCALL_FATAL_MSG_MAX && what[n] != '\0') {
            n++;
        }
        tdvmcall_status vs;
        if (tdvmcall_report_fatal_error((uint64_t)code << 16, 0, tds_bytes_make(what, n), &vs) !=
            TDS_OK) {
            shim_log("tdshim: ReportFatalError was refused; halting");
        }
    }
    cpu_halt_forever();
}

void shim_fatal(uint32_t code, const char *what)
{
    shim_log("tdshim: FATAL: code=0x%x %s", code, what);
    fatal_stop(code, what);
}

static const char *exception_name(uint64_t v)
{
    static const char *const names[32] = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
                                          "#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "RSV",
                                          "#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "RSV", "RSV",
                                          "RSV", "RSV", "RSV", "RSV", "#HV", "#VC", "#SX", "RSV"};
    return v < 32 ? names[v] : "IRQ";
}

/* Set on the first fatal exception: a fault while reporting must not loop back through IST1. */
static volatile uint32_t shim_in_exception;

void shim_trap(shim_exc_frame *f)
{
    /* #VE (vector 20): emulated by shim/ve.c; one it refuses has printed its FATAL line. */
    if (f->vector == SHIM_VECTOR_VE && shim_in_exception == 0) {
        if (shim_ve_trap(f)) {
            return;
        }
        shim_in_exception = 1;
        fatal_stop(0xE000u | SHIM_VECTOR_VE, "#VE not handled");
    }
    shim_exception(f);
}

void shim_exception(const shim_exc_frame *f)
{
    if (shim_in_exception != 0) {
        shim_serial_write("tdshim: FATAL: nested exception\n", 32);
        cpu_halt_forever();
    }
    shim_in_exception = 1;
    /* One line with everything a reader needs, then the same stop as every other failure. */
    shim_log("tdshim: FATAL: exception %s vector=%lu rip=0x%016lx error=0x%lx cr2=0x%lx "
             "rsp=0x%lx",
             exception_name(f->vector), f->vector, f->rip, f->error, cpu_read_cr2(), f->rsp);
    fatal_stop(0xE000u | (uint32_t)f->vector, "CPU exception");
}
