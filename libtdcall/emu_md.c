/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Emulator: metadata fields for TDG.VM.RD/WR, TDG.VP.RD/WR, TDG.SYS.RD (the Intel TDX Module ABI
 * specification, the leaf's register interface). */
#include "emu_internal.h"

static struct tdx_emu_field *find_field(const struct tdx_emu *emu, tdx_emu_scope scope, uint64_t id,
                                        size_t *index)
{
    for (size_t i = 0; i < emu->cfg.field_count; i++) {
        struct tdx_emu_field *f = &emu->cfg.fields[i];
        if (f->scope == scope && f->id == id) {
            *index = i;
            return f;
        }
    }
    return NULL;
}

/* Next field of the same scope after `index` in table order, or TDX_FIELD_ID_NONE. */
static uint64_t next_field(const struct tdx_emu *emu, tdx_emu_scope scope, size_t index)
{
    for (size_t i = index + 1u; i < emu->cfg.field_count; i++) {
        if (emu->cfg.fields[i].scope == scope) {
            return emu->cfg.fields[i].id;
        }
    }
    return TDX_FIELD_ID_NONE;
}

uint64_t emu_metadata(struct tdx_emu *emu, enum tdcall_leaf leaf, uint32_t version,
                      struct tdcall_regs *r)
{
    tdx_emu_scope scope = TDX_EMU_SCOPE_TD;
    bool write = false;
    bool returns_next = false;
    switch (leaf) {
    case TDCALL_LEAF_VM_RD: returns_next = (version == 1); break;
    case TDCALL_LEAF_VM_WR: write = true; break;
    case TDCALL_LEAF_VP_RD:
        scope = TDX_EMU_SCOPE_VCPU;
        returns_next = true;
        break;
    case TDCALL_LEAF_VP_WR:
        scope = TDX_EMU_SCOPE_VCPU;
        write = true;
        break;
    default:
        scope = TDX_EMU_SCOPE_SYS;
        returns_next = true;
        if (!emu->cfg.sys_rd_available) {
            return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX;
        }
        break;
    }
    /* VM id in RCX must be 0 (L1) for the TD- and vCPU-scope leaves. */
    if (scope != TDX_EMU_SCOPE_SYS && r->rcx != 0) {
        r->r8 = 0;
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    size_t idx = 0;
    struct tdx_emu_field *f = find_field(emu, scope, r->rdx, &idx);
    if (f == NULL) {
        r->r8 = 0;
        return TDX_METADATA_FIELD_ID_INCORRECT | TDX_OPERAND_ID_RDX;
    }
    if (!write) {
        r->r8 = __atomic_load_n(&f->value, __ATOMIC_ACQUIRE);
        if (returns_next) {
            r->rdx = next_field(emu, scope, idx);
        }
        return TDX_SUCCESS;
    }
    uint64_t mask = r->r9;
    if (f->writable == 0) {
        return TDX_METADATA_FIELD_NOT_WRITABLE | TDX_OPERAND_ID_RDX;
    }
    if ((mask & ~f->writable) != 0) {
        return TDX_METADATA_WR_MASK_NOT_VALID | 9u; /* operand R9 */
    }
    uint64_t old = __atomic_load_n(&f->value, __ATOMIC_ACQUIRE);
    uint64_t nv;
    do {
        nv = (old & ~mask) | (r->r8 & mask);
    } while (!__atomic_compare_exchange_n(&f->value, &old, nv, false, __ATOMIC_ACQ_REL,
                                          __ATOMIC_ACQUIRE));
    r->r8 = old;
    return TDX_SUCCESS;
}
