/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Emulator: TDG.VP.VMCALL (the Intel TDX GHCI specification: register use, sub-functions, status
 * codes). The module part checks the GPR_SELECT mask and builds the VMM's view (unexposed registers
 * read as 0); the VMM part answers through the embedder's hooks. Only exposed registers are copied
 * back to the guest.
 */
#include "emu_internal.h"

/* RCX bits that must be 0: RAX, RCX, RSP and RBP (NO_RBP_MOD is always on here). */
#define MASK_FORBIDDEN ((1ull << 0) | (1ull << 1) | (1ull << 4) | (1ull << 5))

/* GPR number (RCX bit) of each tdcall_regs slot after RAX/RCX. */
static const uint8_t gpr_bit[12] = {2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

static uint64_t *slot(struct tdcall_regs *r, size_t i)
{
    uint64_t *s[12] = {&r->rdx, &r->rbx, &r->rsi, &r->rdi, &r->r8,  &r->r9,
                       &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15};
    return s[i];
}

static uint64_t unsupported(void)
{
    return TDVMCALL_STATUS_SUBFUNC_UNSUPPORTED;
}

/* Hand a call the emulator does not model to the embedder, with the VMM's view of the inputs. */
static void call_other(const struct tdx_emu_hooks *h, uint32_t vcpu, const struct tdcall_regs *in,
                       struct tdcall_regs *out, uint64_t no_hook_status)
{
    if (h->other == NULL) {
        out->r10 = no_hook_status;
        return;
    }
    struct tdcall_regs view = *in;
    uint64_t r10 = h->other(h->ctx, vcpu, &view);
    *out = view;
    out->r10 = r10;
}

static void vmm_io(const struct tdx_emu_hooks *h, uint32_t vcpu, const struct tdcall_regs *in,
                   struct tdcall_regs *out)
{
    uint64_t size = in->r12;
    uint64_t dir = in->r13;
    uint64_t port = in->r14;
    if ((size != 1 && size != 2 && size != 4) || dir > 1 || port > 0xFFFFu) {
        out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        return;
    }
    if (h->io == NULL) {
        out->r10 = unsupported();
        return;
    }
    uint64_t value = (dir == 1) ? in->r15 : 0;
    out->r10 = h->io(h->ctx, vcpu, (uint16_t)port, (uint32_t)size, dir == 1, &value);
    if (dir == 0) {
        out->r11 = value;
    }
}

static void vmm_mmio(const struct tdx_emu *emu, uint32_t vcpu, const struct tdcall_regs *in,
                     struct tdcall_regs *out)
{
    const struct tdx_emu_hooks *h = &emu->cfg.hooks;
    uint64_t size = in->r12;
    uint64_t dir = in->r13;
    uint64_t gpa = in->r14;
    if ((size != 1 && size != 2 && size != 4 && size != 8) || dir > 1 ||
        (gpa & emu_shared_bit(emu)) == 0 || gpa >= (emu_shared_bit(emu) << 1)) {
        out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        return;
    }
    if (h->mmio == NULL) {
        out->r10 = unsupported();
        return;
    }
    uint64_t value = (dir == 1) ? in->r15 : 0;
    out->r10 = h->mmio(h->ctx, vcpu, gpa, (uint32_t)size, dir == 1, &value);
    if (dir == 0) {
        out->r11 = value;
    }
}

static void vmm_fatal(const struct tdx_emu_hooks *h, uint32_t vcpu, const struct tdcall_regs *in,
                      struct tdcall_regs *out)
{
    uint8_t msg[64];
    const uint64_t parts[8] = {in->r14, in->r15, in->rbx, in->rdi,
                               in->rsi, in->r8,  in->r9,  in->rdx};
    for (size_t i = 0; i < 8; i++) {
        tds_store_le64(msg + 8u * i, parts[i]);
    }
    uint64_t gpa = ((in->r12 >> 63) != 0) ? in->r13 : 0;
    out->r10 = (h->report_fatal_error != NULL)
                   ? h->report_fatal_error(h->ctx, vcpu, in->r12, gpa, msg)
                   : unsupported();
}

static void vmm_answer(struct tdx_emu *emu, uint32_t vcpu, const struct tdcall_regs *in,
                       struct tdcall_regs *out)
{
    const struct tdx_emu_hooks *h = &emu->cfg.hooks;
    uint64_t sb = emu_shared_bit(emu);
    out->r10 = TDVMCALL_STATUS_SUCCESS;
    if (in->r10 != 0) { /* vendor-specific (e.g. KVM hypercalls) */
        call_other(h, vcpu, in, out, unsupported());
        return;
    }
    switch (in->r11) {
    case TDVMCALL_CPUID:
        if (h->cpuid == NULL) {
            out->r10 = unsupported();
        } else {
            uint64_t v[4] = {0, 0, 0, 0};
            out->r10 = h->cpuid(h->ctx, vcpu, (uint32_t)in->r12, (uint32_t)in->r13, v);
            out->r12 = v[0];
            out->r13 = v[1];
            out->r14 = v[2];
            out->r15 = v[3];
        }
        break;
    case TDVMCALL_HLT:
        out->r10 = (h->hlt != NULL) ? h->hlt(h->ctx, vcpu, (in->r12 & 1u) != 0) : unsupported();
        break;
    case TDVMCALL_IO: vmm_io(h, vcpu, in, out); break;
    case TDVMCALL_RDMSR:
        if (h->rdmsr == NULL) {
            out->r10 = unsupported();
        } else if ((in->r12 >> 32) != 0) {
            out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        } else {
            uint64_t v = 0;
            out->r10 = h->rdmsr(h->ctx, vcpu, (uint32_t)in->r12, &v);
            out->r11 = v;
        }
        break;
    case TDVMCALL_WRMSR:
        if (h->wrmsr == NULL) {
            out->r10 = unsupported();
        } else if ((in->r12 >> 32) != 0) {
            out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        } else {
            out->r10 = h->wrmsr(h->ctx, vcpu, (uint32_t)in->r12, in->r13);
        }
        break;
    case TDVMCALL_MMIO: vmm_mmio(emu, vcpu, in, out); break;
    case TDVMCALL_MAP_GPA: emu_map_gpa(emu, in, out); break;
    case TDVMCALL_GET_QUOTE:
        if ((in->r12 & 0xFFFu) != 0 || (in->r13 & 0xFFFu) != 0) {
            out->r10 = TDVMCALL_STATUS_ALIGN_ERROR;
        } else if (in->r13 == 0 || (in->r12 & sb) == 0) {
            out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        } else {
            out->r10 = (h->get_quote != NULL) ? h->get_quote(h->ctx, vcpu, in->r12, in->r13)
                                              : unsupported();
        }
        break;
    case TDVMCALL_REPORT_FATAL_ERROR: vmm_fatal(h, vcpu, in, out); break;
    case TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT:
        if (in->r12 < 32 || in->r12 > 255) {
            out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        } else {
            out->r10 = (h->setup_event_notify != NULL)
                           ? h->setup_event_notify(h->ctx, vcpu, in->r12)
                           : unsupported();
        }
        break;
    case TDVMCALL_GET_TD_VM_CALL_INFO:
        if (in->r12 == 0 || in->r12 == 1) {
            out->r11 = (in->r12 == 1 && h->setup_event_notify != NULL)
                           ? TDVMCALL_INFO1_SETUP_EVENT_NOTIFY
                           : 0;
            out->r12 = out->r13 = out->r14 = 0;
        } else {
            call_other(h, vcpu, in, out, TDVMCALL_STATUS_INVALID_OPERAND);
        }
        break;
    default: call_other(h, vcpu, in, out, unsupported()); break;
    }
}

uint64_t emu_vmcall(struct tdx_emu *emu, uint32_t vcpu, struct tdcall_regs *r)
{
    uint64_t mask = r->rcx;
    if ((mask >> 32) != 0 || (mask & MASK_FORBIDDEN) != 0) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX; /* no exit happens */
    }
    /* The VMM's view: exposed registers only (XMM selection is accepted and ignored). */
    struct tdcall_regs in;
    memset(&in, 0, sizeof(in));
    for (size_t i = 0; i < TDS_ARRAY_LEN(gpr_bit); i++) {
        if ((mask & (1ull << gpr_bit[i])) != 0) {
            *slot(&in, i) = *slot(r, i);
        }
    }
    struct tdcall_regs out = in;
    if (emu->cfg.scribble_vmcall_regs) {
        /* Hostile VMM: every exposed register comes back with garbage unless answered below. */
        for (size_t i = 0; i < TDS_ARRAY_LEN(gpr_bit); i++) {
            *slot(&out, i) = 0xBAD0BAD0BAD00000ull | gpr_bit[i];
        }
    }
    emu_count(&emu->counters.vmcall_subfn[tdx_emu_vmcall_slot(in.r10 != 0 ? UINT64_MAX : in.r11)]);
    if (in.r10 == 0 && in.r11 == __atomic_load_n(&emu->faults.vmcall_subfn, __ATOMIC_RELAXED) &&
        emu_take_budget(&emu->faults.vmcall_count)) {
        emu_count(&emu->counters.faults_injected);
        out.r10 = emu->faults.vmcall_status;
    } else {
        vmm_answer(emu, vcpu, &in, &out);
    }
    if (emu->observe != NULL) {
        emu->observe(emu->observe_ctx, vcpu, &in, &out);
    }
    for (size_t i = 0; i < TDS_ARRAY_LEN(gpr_bit); i++) {
        if ((mask & (1ull << gpr_bit[i])) != 0) {
            *slot(r, i) = *slot(&out, i);
        }
    }
    r->rcx = mask;
    return TDX_SUCCESS;
}
