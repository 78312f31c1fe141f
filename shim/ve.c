/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * #VE handler of the shim (ve.h).
 *
 * No nesting: the TDX module keeps further #VEs blocked (a #VE would become #DF) until
 * TDG.VP.VEINFO.GET has been called, so the handler reads VEINFO before anything else, and
 * nothing before that can raise #VE (the stub only saves registers; the tdcall itself cannot
 * #VE). After VEINFO.GET the handler only issues TDCALLs, which never #VE. The gate uses IST 0
 * (the interrupted stack, like #UD): a #VE is only raised by specific instructions of the shim
 * running on a valid stack, and any exception inside the handler still gets a fresh IST1.
 */
#include "ve.h"

#include "fatal.h"
#include "log.h"
#include "tdshim/mem.h"
#include "tdshim/tdx_ve.h"

/* Last handled #VE: exit reason and RIP advance (diagnostics, shim_ve_last_handled). */
static shim_ve_stats shim_ve_last;

shim_ve_stats shim_ve_last_handled(void)
{
    return shim_ve_last;
}

static uint64_t shim_ve_shared_mask;

static uint64_t shared_mask(void)
{
    if (shim_ve_shared_mask == 0) {
        struct tdcall_td_info info;
        if (tdcall_vp_info(&info, NULL) == TDS_OK) {
            shim_ve_shared_mask = info.shared_mask;
        }
    }
    return shim_ve_shared_mask;
}

/* The bytes at RIP, only inside the shim's own code (the only code that runs here). */
static tds_bytes code_at(uint64_t rip)
{
    const uint64_t lo = CPU_SYMBOL_ADDR(shim_text_start);
    const uint64_t hi = CPU_SYMBOL_ADDR(shim_text_end);
    if (rip < lo || rip >= hi) {
        return tds_bytes_make(NULL, 0);
    }
    const uint64_t n = hi - rip < TDX_VE_MAX_INSN ? hi - rip : TDX_VE_MAX_INSN;
    return tds_bytes_make((const void *)(uintptr_t)rip, (size_t)n);
}

static void frame_to_regs(const shim_exc_frame *f, struct tdx_ve_regs *r)
{
    const uint64_t g[TDX_VE_GPR_COUNT] = {f->rax, f->rcx, f->rdx, f->rbx, f->rsp, f->rbp,
                                          f->rsi, f->rdi, f->r8,  f->r9,  f->r10, f->r11,
                                          f->r12, f->r13, f->r14, f->r15};
    for (unsigned i = 0; i < TDX_VE_GPR_COUNT; i++) {
        r->gpr[i] = g[i];
    }
    r->rip = f->rip;
    r->rflags = f->rflags;
}

static void regs_to_frame(const struct tdx_ve_regs *r, shim_exc_frame *f)
{
    uint64_t *g[TDX_VE_GPR_COUNT] = {&f->rax, &f->rcx, &f->rdx, &f->rbx, &f->rsp, &f->rbp,
                                     &f->rsi, &f->rdi, &f->r8,  &f->r9,  &f->r10, &f->r11,
                                     &f->r12, &f->r13, &f->r14, &f->r15};
    for (unsigned i = 0; i < TDX_VE_GPR_COUNT; i++) {
        *g[i] = r->gpr[i];
    }
    f->rip = r->rip;
}

bool shim_ve_trap(shim_exc_frame *f)
{
    /* First: VEINFO.GET (re-enables #VE delivery; until then a #VE would be a #DF). */
    struct tdcall_ve_info ve;
    tdcall_status hw = {TDCALL_OTHER, 0, 0};
    if (tdcall_vp_veinfo_get(&ve, &hw) != TDS_OK) {
        shim_log("tdshim: FATAL: #VE without valid VE info (VEINFO.GET rax=0x%lx) rip=0x%016lx",
                 hw.raw, f->rip);
        return false;
    }
    struct tdx_ve_regs r;
    frame_to_regs(f, &r);
    /* CPUID: Linux's rule. Only the hypervisor range 0x40000000-0x4FFFFFFF is asked of the
     * (untrusted) VMM; any other leaf that raises #VE reads as zeros, so the VMM cannot invent
     * CPU features or a vendor for the shim. */
    const struct tdx_ve_config cfg = {shared_mask(), 0};
    struct tdx_ve_report rep;
    if (tdcall_ve_handle(&r, &ve, code_at(f->rip), &cfg, &rep) != TDS_OK) {
        char vmm[40] = "";
        if (rep.vmcall_done) {
            (void)shim_format(vmm, sizeof vmm, " (vmm r10=0x%lx)", rep.vs.raw);
        }
        shim_log("tdshim: FATAL: #VE exit_reason=%u qual=0x%lx gla=0x%lx gpa=0x%lx "
                 "rip=0x%016lx: %s%s",
                 ve.exit_reason, ve.exit_qualification, ve.guest_linear_address,
                 ve.guest_physical_address, f->rip, tdcall_ve_error_str(rep.error), vmm);
        return false;
    }
    if (r.gpr[TDX_VE_RSP] != f->rsp) {
        shim_log("tdshim: FATAL: #VE at rip=0x%016lx would load RSP from MMIO", f->rip);
        return false;
    }
    shim_ve_last.exit_reason = ve.exit_reason;
    shim_ve_last.step = (uint32_t)(r.rip - f->rip); /* the RIP advance actually applied */
    regs_to_frame(&r, f);
    shim_ve_last.count++;
    return true;
}
