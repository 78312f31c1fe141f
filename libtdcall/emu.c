/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * TDX-module emulator core (target tdcall_emu): TDCALL leaves of module 1.5 and a VMM answering
 * GHCI calls through embedder hooks. Caller-owned state only; safe for concurrent dispatch
 * (atomics per page, per RTMR, per counter; contention answered with OPERAND_BUSY like the
 * module). Model and its limits: docs/libtdcall.md.
 */
#include "emu_internal.h"

#include <mbedtls/sha512.h>
#include <mbedtls/version.h>

/* ---- atomics -------------------------------------------------------------------------------- */

void emu_count(uint64_t *c)
{
    __atomic_fetch_add(c, 1u, __ATOMIC_RELAXED);
}

void emu_count_n(uint64_t *c, uint64_t n)
{
    __atomic_fetch_add(c, n, __ATOMIC_RELAXED);
}

bool emu_take_budget(uint32_t *budget)
{
    uint32_t v = __atomic_load_n(budget, __ATOMIC_RELAXED);
    while (v != 0) {
        if (__atomic_compare_exchange_n(budget, &v, v - 1u, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_RELAXED)) {
            return true;
        }
    }
    return false;
}

/* ---- SHA-384 -------------------------------------------------------------------------------- */

void emu_sha384(const uint8_t *data, size_t len, uint8_t out[48])
{
    uint8_t full[64];
    /* Cannot fail for in-memory input; the result is checked anyway. mbedTLS 3.6 (firmware)
     * names the one-shot call mbedtls_sha512, 2.28 (Debian 12's, hosted) mbedtls_sha512_ret. */
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    const int rc = mbedtls_sha512(data, len, full, 1);
#else
    const int rc = mbedtls_sha512_ret(data, len, full, 1);
#endif
    if (rc != 0) {
        memset(full, 0, sizeof(full));
    }
    memcpy(out, full, 48);
    tds_memzero_explicit(full, sizeof(full));
}

/* ---- memory map ----------------------------------------------------------------------------- */

uint64_t emu_shared_bit(const struct tdx_emu *emu)
{
    return 1ull << (emu->cfg.gpaw - 1u);
}

struct tdx_emu_range *emu_find_range(const struct tdx_emu *emu, uint64_t gpa)
{
    size_t lo = 0;
    size_t hi = emu->cfg.range_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2u;
        struct tdx_emu_range *r = &emu->cfg.ranges[mid];
        if (gpa < r->base) {
            hi = mid;
        } else if (gpa - r->base >= r->size) {
            lo = mid + 1u;
        } else {
            return r;
        }
    }
    return NULL;
}

void *emu_map_buffer(const struct tdx_emu *emu, uint64_t gpa, size_t len)
{
    if (emu->cfg.hooks.map_buffer != NULL) {
        return emu->cfg.hooks.map_buffer(emu->cfg.hooks.ctx, gpa, len);
    }
    if (gpa == 0 || gpa > UINTPTR_MAX - len) {
        return NULL;
    }
    return (void *)(uintptr_t)gpa; /* identity: the GPA is the host address */
}

/* ---- init ----------------------------------------------------------------------------------- */

static tds_status check_ranges(const struct tdx_emu_config *cfg)
{
    if (cfg->range_count > 0 && cfg->ranges == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t limit = 1ull << (cfg->gpaw - 1u);
    uint64_t prev_end = 0;
    for (size_t i = 0; i < cfg->range_count; i++) {
        const struct tdx_emu_range *r = &cfg->ranges[i];
        uint64_t end;
        uint64_t al = (r->map_level == TDCALL_PAGE_2M) ? TDCALL_PAGE_SIZE_2M : TDCALL_PAGE_SIZE_4K;
        if (r->size == 0 || r->page_state == NULL ||
            (r->map_level != TDCALL_PAGE_4K && r->map_level != TDCALL_PAGE_2M) ||
            (r->initial != TDX_EMU_PAGE_NOT_PRESENT && r->initial != TDX_EMU_PAGE_PENDING &&
             r->initial != TDX_EMU_PAGE_ACCEPTED)) {
            return TDS_ERR_INVALID_ARG;
        }
        if (!tds_is_aligned_u64(r->base, al) || !tds_is_aligned_u64(r->size, al)) {
            return TDS_ERR_ALIGNMENT;
        }
        TDS_TRY(tds_range_end(r->base, r->size, &end));
        if (end > limit) {
            return TDS_ERR_OUT_OF_BOUNDS;
        }
        if (i > 0 && r->base < prev_end) {
            return TDS_ERR_INVALID_ARG; /* unsorted or overlapping */
        }
        prev_end = end;
    }
    return TDS_OK;
}

static tds_status check_fields(const struct tdx_emu_config *cfg)
{
    if (cfg->field_count > 0 && cfg->fields == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t i = 0; i < cfg->field_count; i++) {
        if (cfg->fields[i].scope > TDX_EMU_SCOPE_SYS) {
            return TDS_ERR_INVALID_ARG;
        }
        for (size_t j = i + 1u; j < cfg->field_count; j++) {
            if (cfg->fields[i].id == cfg->fields[j].id &&
                cfg->fields[i].scope == cfg->fields[j].scope) {
                return TDS_ERR_INVALID_ARG;
            }
        }
    }
    return TDS_OK;
}

tds_status tdx_emu_init(struct tdx_emu *emu, const struct tdx_emu_config *cfg)
{
    if (emu == NULL || cfg == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if ((cfg->gpaw != 48 && cfg->gpaw != 52) || cfg->num_vcpus == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (cfg->max_vcpus != 0 && cfg->max_vcpus < cfg->num_vcpus) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(check_ranges(cfg));
    TDS_TRY(check_fields(cfg));

    memset(emu, 0, sizeof(*emu));
    emu->cfg = *cfg;
    if (emu->cfg.max_vcpus == 0) {
        emu->cfg.max_vcpus = cfg->num_vcpus;
    }
    for (size_t i = 0; i < cfg->range_count; i++) {
        const struct tdx_emu_range *r = &cfg->ranges[i];
        memset(r->page_state, (int)r->initial, (size_t)(r->size / TDCALL_PAGE_SIZE_4K));
    }
    if (cfg->vcpus != NULL) {
        memset(cfg->vcpus, 0, sizeof(cfg->vcpus[0]) * cfg->num_vcpus);
    }
    /* The emulated platform's report-MAC key: fixed, so reports are reproducible. */
    for (size_t i = 0; i < sizeof(emu->mac_key); i++) {
        emu->mac_key[i] = (uint8_t)(0xA5u ^ (i * 29u));
    }
    emu->ready = true;
    return TDS_OK;
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static uint64_t emu_vp_info(const struct tdx_emu *emu, uint32_t vcpu, struct tdcall_regs *r)
{
    r->rcx = emu->cfg.gpaw;
    r->rdx = emu->cfg.attributes;
    r->r8 = (uint64_t)emu->cfg.num_vcpus | ((uint64_t)emu->cfg.max_vcpus << 32);
    r->r9 = vcpu;
    r->r10 = emu->cfg.sys_rd_available ? 1u : 0u;
    r->r11 = 0;
    return TDX_SUCCESS;
}

static uint64_t emu_veinfo_get(struct tdx_emu *emu, uint32_t vcpu, struct tdcall_regs *r)
{
    r->rcx = r->rdx = r->r8 = r->r9 = r->r10 = 0;
    struct tdx_emu_vcpu *v = NULL;
    if (emu->cfg.vcpus != NULL) {
        v = &emu->cfg.vcpus[vcpu];
    } else if (__atomic_load_n(&emu->ve_slot_vcpu, __ATOMIC_ACQUIRE) == vcpu) {
        v = &emu->ve_slot; /* no vCPU table: the one built-in pending #VE */
    } else {
        return TDX_NO_VALID_VE_INFO;
    }
    if (__atomic_exchange_n(&v->ve_valid, 0u, __ATOMIC_ACQ_REL) == 0) {
        return TDX_NO_VALID_VE_INFO;
    }
    r->rcx = v->ve.exit_reason;
    r->rdx = v->ve.exit_qualification;
    r->r8 = v->ve.guest_linear_address;
    r->r9 = v->ve.guest_physical_address;
    r->r10 = (uint64_t)v->ve.instr_length | ((uint64_t)v->ve.instr_info << 32);
    return TDX_SUCCESS;
}

static uint64_t emu_cpuidve_set(struct tdx_emu *emu, uint32_t vcpu, const struct tdcall_regs *r)
{
    if ((r->rcx & ~3ull) != 0) {
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    if (emu->cfg.vcpus != NULL) {
        __atomic_store_n(&emu->cfg.vcpus[vcpu].cpuidve_flags, r->rcx, __ATOMIC_RELAXED);
    }
    return TDX_SUCCESS;
}

uint64_t tdx_emu_dispatch(struct tdx_emu *emu, uint32_t vcpu_index, struct tdcall_regs *regs)
{
    if (emu == NULL || regs == NULL) {
        return TDX_OPERAND_INVALID;
    }
    uint64_t rax;
    emu_count(&emu->counters.calls);
    uint64_t seq = __atomic_add_fetch(&emu->call_seq, 1u, __ATOMIC_RELAXED);
    uint64_t leaf_ver = regs->rax;
    uint32_t leaf = (uint32_t)(leaf_ver & 0xFFFFu);
    uint32_t version = (uint32_t)((leaf_ver >> 16) & 0xFFu);

    if (!emu->ready || vcpu_index >= emu->cfg.num_vcpus) {
        rax = TDX_VCPU_STATE_INCORRECT;
        goto out;
    }
    /* RAX bits 63:24 reserved; only VM.RD knows version 1 (the Intel TDX Module ABI specification,
     * TDCALL instruction). */
    if ((leaf_ver >> 24) != 0 || leaf >= TDCALL_LEAF_COUNT_ ||
        (version != 0 && !(leaf == TDCALL_LEAF_VM_RD && version == 1))) {
        rax = TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX;
        goto out;
    }
    emu_count(&emu->counters.leaf[leaf]);
    if (leaf != TDCALL_LEAF_VP_VMCALL) {
        uint64_t busy_at = __atomic_load_n(&emu->faults.busy_on_call, __ATOMIC_RELAXED);
        if (busy_at != 0 && seq == busy_at) {
            emu_count(&emu->counters.faults_injected);
            rax = TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
            goto out;
        }
        if (leaf == __atomic_load_n(&emu->faults.leaf, __ATOMIC_RELAXED) &&
            emu_take_budget(&emu->faults.leaf_count)) {
            emu_count(&emu->counters.faults_injected);
            rax = emu->faults.leaf_status;
            goto out;
        }
    }

    switch ((enum tdcall_leaf)leaf) {
    case TDCALL_LEAF_VP_VMCALL: rax = emu_vmcall(emu, vcpu_index, regs); break;
    case TDCALL_LEAF_VP_INFO: rax = emu_vp_info(emu, vcpu_index, regs); break;
    case TDCALL_LEAF_MR_RTMR_EXTEND: rax = emu_rtmr_extend(emu, regs); break;
    case TDCALL_LEAF_VP_VEINFO_GET: rax = emu_veinfo_get(emu, vcpu_index, regs); break;
    case TDCALL_LEAF_MR_REPORT: rax = emu_report(emu, regs); break;
    case TDCALL_LEAF_VP_CPUIDVE_SET: rax = emu_cpuidve_set(emu, vcpu_index, regs); break;
    case TDCALL_LEAF_MEM_PAGE_ACCEPT: rax = emu_accept(emu, regs); break;
    case TDCALL_LEAF_VM_RD:
    case TDCALL_LEAF_VM_WR:
    case TDCALL_LEAF_VP_RD:
    case TDCALL_LEAF_VP_WR:
    case TDCALL_LEAF_SYS_RD: rax = emu_metadata(emu, (enum tdcall_leaf)leaf, version, regs); break;
    case TDCALL_LEAF_MR_VERIFYREPORT: rax = emu_verifyreport(emu, regs); break;
    case TDCALL_LEAF_MEM_PAGE_ATTR_RD: rax = emu_page_attr_rd(emu, regs); break;
    /* Not modelled (no service-TD binding, no L2 VMs, no metadata list format): answered like
     * a module without the feature. */
    case TDCALL_LEAF_SYS_RDALL:
    case TDCALL_LEAF_SERVTD_RD:
    case TDCALL_LEAF_SERVTD_WR:
    case TDCALL_LEAF_MEM_PAGE_ATTR_WR:
    case TDCALL_LEAF_VP_ENTER:
    case TDCALL_LEAF_VP_INVEPT:
    case TDCALL_LEAF_VP_INVVPID:
    case TDCALL_LEAF_COUNT_:
    default: rax = TDX_OPERAND_INVALID | TDX_OPERAND_ID_RAX; break;
    }
out:
    regs->rax = rax;
    return rax;
}

/* ---- inspection ----------------------------------------------------------------------------- */

tds_status tdx_emu_page_get(const struct tdx_emu *emu, uint64_t gpa, uint8_t *state)
{
    if (emu == NULL || state == NULL || !emu->ready) {
        return TDS_ERR_INVALID_ARG;
    }
    const struct tdx_emu_range *r = emu_find_range(emu, gpa & ~emu_shared_bit(emu));
    if (r == NULL) {
        return TDS_ERR_NOT_FOUND;
    }
    size_t idx = (size_t)(((gpa & ~emu_shared_bit(emu)) - r->base) / TDCALL_PAGE_SIZE_4K);
    *state = __atomic_load_n(&r->page_state[idx], __ATOMIC_ACQUIRE);
    return TDS_OK;
}

tds_status tdx_emu_page_set(struct tdx_emu *emu, uint64_t gpa, uint64_t size,
                            tdx_emu_page_state state)
{
    uint64_t end;
    if (emu == NULL || !emu->ready || size == 0 ||
        (state != TDX_EMU_PAGE_NOT_PRESENT && state != TDX_EMU_PAGE_PENDING &&
         state != TDX_EMU_PAGE_ACCEPTED)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(gpa, TDCALL_PAGE_SIZE_4K) ||
        !tds_is_aligned_u64(size, TDCALL_PAGE_SIZE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(tds_range_end(gpa, size, &end));
    struct tdx_emu_range *r = emu_find_range(emu, gpa);
    if (r == NULL || end - r->base > r->size) {
        return TDS_ERR_NOT_FOUND;
    }
    size_t first = (size_t)((gpa - r->base) / TDCALL_PAGE_SIZE_4K);
    size_t n = (size_t)(size / TDCALL_PAGE_SIZE_4K);
    for (size_t i = 0; i < n; i++) {
        __atomic_store_n(&r->page_state[first + i], (uint8_t)state, __ATOMIC_RELEASE);
    }
    return TDS_OK;
}

tds_status tdx_emu_rtmr_get(const struct tdx_emu *emu, uint32_t index, uint8_t out[48])
{
    if (emu == NULL || out == NULL || index >= TDCALL_RTMR_COUNT) {
        return TDS_ERR_INVALID_ARG;
    }
    memcpy(out, emu->rtmr[index], 48);
    return TDS_OK;
}

tds_status tdx_emu_inject_ve(struct tdx_emu *emu, uint32_t vcpu, const struct tdcall_ve_info *ve)
{
    if (emu == NULL || ve == NULL || !emu->ready || vcpu >= emu->cfg.num_vcpus) {
        return TDS_ERR_INVALID_ARG;
    }
    struct tdx_emu_vcpu *v = (emu->cfg.vcpus != NULL) ? &emu->cfg.vcpus[vcpu] : &emu->ve_slot;
    if (__atomic_load_n(&v->ve_valid, __ATOMIC_ACQUIRE) != 0) {
        return TDS_ERR_STATE; /* a second #VE before VEINFO.GET would be a #DF */
    }
    if (emu->cfg.vcpus == NULL) {
        __atomic_store_n(&emu->ve_slot_vcpu, vcpu, __ATOMIC_RELAXED);
    }
    v->ve = *ve;
    __atomic_store_n(&v->ve_valid, 1u, __ATOMIC_RELEASE);
    return TDS_OK;
}

void tdx_emu_set_observer(struct tdx_emu *emu, tdx_emu_observe_fn fn, void *ctx)
{
    if (emu != NULL) {
        emu->observe = fn;
        emu->observe_ctx = ctx;
    }
}

void tdx_emu_faults_set(struct tdx_emu *emu, const struct tdx_emu_faults *faults)
{
    if (emu == NULL) {
        return;
    }
    if (faults == NULL) {
        memset(&emu->faults, 0, sizeof(emu->faults));
    } else {
        emu->faults = *faults;
    }
    /* Not synchronised with dispatch: set faults while no vCPU thread is calling. */
}

static void load_counters(const uint64_t *src, uint64_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
    }
}

void tdx_emu_counters_get(const struct tdx_emu *emu, struct tdx_emu_counters *out)
{
    if (emu == NULL || out == NULL) {
        return;
    }
    const struct tdx_emu_counters *c = &emu->counters;
    struct tdx_emu_counters snap;
    snap.calls = __atomic_load_n(&c->calls, __ATOMIC_RELAXED);
    load_counters(c->leaf, snap.leaf, TDS_ARRAY_LEN(snap.leaf));
    load_counters(c->accept_calls, snap.accept_calls, TDS_ARRAY_LEN(snap.accept_calls));
    load_counters(c->accept_ok, snap.accept_ok, TDS_ARRAY_LEN(snap.accept_ok));
    snap.accepted_bytes = __atomic_load_n(&c->accepted_bytes, __ATOMIC_RELAXED);
    load_counters(c->vmcall_subfn, snap.vmcall_subfn, TDS_ARRAY_LEN(snap.vmcall_subfn));
    snap.faults_injected = __atomic_load_n(&c->faults_injected, __ATOMIC_RELAXED);
    *out = snap;
}

uint32_t tdx_emu_vmcall_slot(uint64_t subfn)
{
    static const uint64_t slots[] = {TDVMCALL_CPUID,
                                     TDVMCALL_HLT,
                                     TDVMCALL_IO,
                                     TDVMCALL_RDMSR,
                                     TDVMCALL_WRMSR,
                                     TDVMCALL_MMIO,
                                     TDVMCALL_WBINVD,
                                     TDVMCALL_GET_TD_VM_CALL_INFO,
                                     TDVMCALL_MAP_GPA,
                                     TDVMCALL_GET_QUOTE,
                                     TDVMCALL_REPORT_FATAL_ERROR,
                                     TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT,
                                     TDVMCALL_SERVICE};
    for (uint32_t i = 0; i < TDS_ARRAY_LEN(slots); i++) {
        if (slots[i] == subfn) {
            return i;
        }
    }
    return TDX_EMU_VMCALL_SLOTS - 1u;
}
