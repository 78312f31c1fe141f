/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Hosted test support (target tdcall_emu_backend): tdcall_raw() for host tests, dispatching to
 * the emulator installed with tdx_emu_backend_install(). Hosted-only: it keeps one process-wide
 * pointer (atomic) and a thread-local vCPU index, which firmware code must not have.
 */
#include "tdshim/tdx_emu_backend.h"

static struct tdx_emu *g_emu;         /* NOLINT: hosted test backend, atomic access */
static _Thread_local uint32_t t_vcpu; /* calling thread's vCPU index */

void tdx_emu_backend_install(struct tdx_emu *emu)
{
    __atomic_store_n(&g_emu, emu, __ATOMIC_RELEASE);
}

void tdx_emu_backend_set_vcpu(uint32_t vcpu_index)
{
    t_vcpu = vcpu_index;
}

uint32_t tdx_emu_backend_vcpu(void)
{
    return t_vcpu;
}

uint64_t tdcall_raw(struct tdcall_regs *regs)
{
    struct tdx_emu *emu = __atomic_load_n(&g_emu, __ATOMIC_ACQUIRE);
    if (emu == NULL) {
        regs->rax = TDX_OPERAND_INVALID;
        return regs->rax;
    }
    return tdx_emu_dispatch(emu, t_vcpu, regs);
}
