/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The fatal path and the exception reporter (fatal.h). */
#include "fatal.h"

#include "log.h"
#include "tdshim/endian.h"
#include "ve.h"
#if defined(SHIM_HAVE_TDCALL)
#include "tdshim/tdvmcall.h"
#endif

/* The shim is single-threaded until the mailbox is wired in; the one mutable flag it needs. */
static uint32_t shim_entry_kind = SHIM_ENTRY_TD;

static bool shim_vmm_report;

void shim_fatal_set_entry(uint32_t entry)
{
    shim_entry_kind = entry;
    shim_vmm_report = entry == SHIM_ENTRY_TD;
}

void shim_fatal_enable_vmm_report(void)
{
    shim_vmm_report = true;
}

void shim_debug_exit(uint32_t v)
{
    if (shim_entry_kind == SHIM_ENTRY_REAL16) {
        cpu_outl(SHIM_DEBUG_EXIT_PORT, v);
    }
}

static TDS_NORETURN void fatal_stop(uint32_t code, const char *what)
{
#if defined(SHIM_HAVE_TDCALL)
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
#else
    (void)code;
    (void)what;
#endif
    shim_debug_exit(SHIM_EXIT_FATAL);
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

static shim_tdcall_trap_fn shim_tdcall_handler;

shim_tdcall_trap_fn shim_trap_set_tdcall_handler(shim_tdcall_trap_fn fn)
{
    shim_tdcall_trap_fn prev = shim_tdcall_handler;
    shim_tdcall_handler = fn;
    return prev;
}

/* Code outside the shim's .text whose tdcalls the handler also answers (shim_trap_allow_tdcall):
 * the loaded payload and the OS-mailbox blob. Written by the BSP before the code runs. */
static struct {
    uint64_t lo;
    uint64_t hi;
} shim_tdcall_ranges[SHIM_TDCALL_EXTRA_RANGES];

tds_status shim_trap_allow_tdcall(uint64_t lo, uint64_t hi)
{
    if (hi < lo + 4) {
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < SHIM_TDCALL_EXTRA_RANGES; i++) {
        if (shim_tdcall_ranges[i].hi == 0) {
            shim_tdcall_ranges[i].lo = lo;
            shim_tdcall_ranges[i].hi = hi;
            return TDS_OK;
        }
    }
    return TDS_ERR_NO_SPACE;
}

static bool in_range(uint64_t rip, uint64_t lo, uint64_t hi)
{
    return rip >= lo && hi >= 4 && rip <= hi - 4;
}

/* Is the instruction at rip a TDCALL? Only the shim's own code and the ranges registered above
 * (mapped, code the shim loaded itself) are ever inspected. */
static bool is_tdcall_at(uint64_t rip)
{
    bool ok = in_range(rip, CPU_SYMBOL_ADDR(shim_text_start), CPU_SYMBOL_ADDR(shim_text_end));
    for (size_t i = 0; i < SHIM_TDCALL_EXTRA_RANGES && !ok; i++) {
        ok = in_range(rip, shim_tdcall_ranges[i].lo, shim_tdcall_ranges[i].hi);
    }
    if (!ok) {
        return false;
    }
    const uint8_t *p = (const uint8_t *)(uintptr_t)rip;
    return tds_load_le32(p) == SHIM_TDCALL_INSN;
}

void shim_trap(shim_exc_frame *f)
{
    if (f->vector == 6 && is_tdcall_at(f->rip)) {
        if (shim_tdcall_handler != NULL && shim_tdcall_handler(f)) {
            f->rip += 4;
            return;
        }
        shim_in_exception = 1;
        shim_log(
            "tdshim: FATAL: tdcall leaf=0x%lx at rip=0x%016lx raised #UD: no TDX module and no "
            "emulator",
            f->rax, f->rip);
        shim_debug_exit(SHIM_EXIT_FATAL); /* no module to report to: that is the failure */
        cpu_halt_forever();
    }
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
        shim_debug_exit(SHIM_EXIT_FATAL);
        cpu_halt_forever();
    }
    shim_in_exception = 1;
    /* One line with everything a reader needs, then the same stop as every other failure. */
    shim_log("tdshim: FATAL: exception %s vector=%lu rip=0x%016lx error=0x%lx cr2=0x%lx "
             "rsp=0x%lx",
             exception_name(f->vector), f->vector, f->rip, f->error, cpu_read_cr2(), f->rsp);
    fatal_stop(0xE000u | (uint32_t)f->vector, "CPU exception");
}
