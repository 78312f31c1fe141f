/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Emulator: private memory (ACCEPT, PAGE.ATTR.RD) and MapGPA conversions (the Intel TDX Module ABI
 * specification; the GHCI specification, MapGPA). */
#include "emu_internal.h"

#define PAGES_PER_2M 512u

static uint8_t page_load(const uint8_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void page_store(uint8_t *p, uint8_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Try PENDING -> BUSY on one private page (also NOT_PRESENT -> BUSY when the VMM adds pages on
 * demand); on failure *seen is the state found. */
static bool page_claim(uint8_t *p, bool aug, uint8_t *seen)
{
    uint8_t v = page_load(p);
    for (;;) {
        bool claimable = v == TDX_EMU_PAGE_PENDING || (aug && v == TDX_EMU_PAGE_NOT_PRESENT);
        if (!claimable) { /* shared bit set, accepted or busy */
            *seen = v;
            return false;
        }
        if (__atomic_compare_exchange_n(p, &v, (uint8_t)TDX_EMU_PAGE_BUSY, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE)) {
            return true;
        }
    }
}

/* The module's answer for a page that could not be claimed. */
static uint64_t claim_failure(uint8_t seen, const struct tdx_emu_range *rg)
{
    if ((seen & TDX_EMU_PAGE_SHARED) != 0) {
        return TDX_EPT_ENTRY_NOT_PRESENT; /* no private mapping: the VMM would be asked */
    }
    switch (seen & TDX_EMU_PAGE_STATE_MASK) {
    case TDX_EMU_PAGE_BUSY: return TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
    case TDX_EMU_PAGE_ACCEPTED: return TDX_PAGE_ALREADY_ACCEPTED | (uint64_t)rg->map_level;
    default: break;
    }
    return TDX_EPT_ENTRY_NOT_PRESENT;
}

static void zero_backing(const struct tdx_emu_range *rg, uint64_t off, uint64_t len)
{
    if (rg->backing != NULL) {
        memset(rg->backing + off, 0, (size_t)len);
    }
}

static uint64_t accept_4k(struct tdx_emu *emu, struct tdx_emu_range *rg, uint64_t gpa)
{
    uint64_t off = gpa - rg->base;
    uint8_t *p = &rg->page_state[off / TDCALL_PAGE_SIZE_4K];
    uint8_t seen = 0;
    if (!page_claim(p, emu->cfg.aug_on_accept, &seen)) {
        return claim_failure(seen, rg);
    }
    zero_backing(rg, off, TDCALL_PAGE_SIZE_4K);
    page_store(p, TDX_EMU_PAGE_ACCEPTED);
    emu_count_n(&emu->counters.accepted_bytes, TDCALL_PAGE_SIZE_4K);
    return TDX_SUCCESS;
}

static uint64_t accept_2m(struct tdx_emu *emu, struct tdx_emu_range *rg, uint64_t gpa)
{
    if (rg->map_level != TDCALL_PAGE_2M) {
        return TDX_PAGE_SIZE_MISMATCH | 1u; /* SEPT has a non-leaf (4K-mapped) entry here */
    }
    uint64_t off = gpa - rg->base;
    uint8_t *p = &rg->page_state[off / TDCALL_PAGE_SIZE_4K];
    for (uint32_t i = 0; i < PAGES_PER_2M; i++) {
        uint8_t seen = 0;
        if (page_claim(&p[i], emu->cfg.aug_on_accept, &seen)) {
            continue;
        }
        for (uint32_t j = 0; j < i; j++) {
            page_store(&p[j], TDX_EMU_PAGE_PENDING);
        }
        if (seen == TDX_EMU_PAGE_ACCEPTED) {
            /* All accepted (by an earlier 2M accept): ALREADY_ACCEPTED at level 1. A mix of
             * accepted and pending 4K pages means the VMM demoted the leaf: SIZE_MISMATCH. A
             * page still being published by a concurrent accept: BUSY, ask again. */
            uint32_t accepted = 0;
            for (uint32_t j = 0; j < PAGES_PER_2M; j++) {
                uint8_t v = page_load(&p[j]);
                if (v == TDX_EMU_PAGE_BUSY) {
                    return TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
                }
                accepted += (v == TDX_EMU_PAGE_ACCEPTED) ? 1u : 0u;
            }
            return (accepted == PAGES_PER_2M) ? (TDX_PAGE_ALREADY_ACCEPTED | 1u)
                                              : (TDX_PAGE_SIZE_MISMATCH | 1u);
        }
        return claim_failure(seen, rg);
    }
    zero_backing(rg, off, TDCALL_PAGE_SIZE_2M);
    for (uint32_t i = 0; i < PAGES_PER_2M; i++) {
        page_store(&p[i], TDX_EMU_PAGE_ACCEPTED);
    }
    emu_count_n(&emu->counters.accepted_bytes, TDCALL_PAGE_SIZE_2M);
    return TDX_SUCCESS;
}

uint64_t emu_accept(struct tdx_emu *emu, struct tdcall_regs *r)
{
    const uint64_t bad = TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    uint64_t rcx = r->rcx;
    uint32_t level = (uint32_t)(rcx & 7u);
    if (level <= TDCALL_PAGE_1G) {
        emu_count(&emu->counters.accept_calls[level]);
    }
    /* Reserved bits 11:3 and 63:52; level only 4K/2M in module 1.5 (1G -> operand invalid). */
    if ((rcx & 0xFF8u) != 0 || (rcx >> 52) != 0 || level > TDCALL_PAGE_2M) {
        return bad;
    }
    uint64_t gpa = rcx & 0x000FFFFFFFFFF000ull;
    uint64_t size = (level == TDCALL_PAGE_2M) ? TDCALL_PAGE_SIZE_2M : TDCALL_PAGE_SIZE_4K;
    /* Aligned to the level; shared bit and everything above it clear. */
    if ((gpa & (size - 1u)) != 0 || gpa >= emu_shared_bit(emu)) {
        return bad;
    }
    struct tdx_emu_range *rg = emu_find_range(emu, gpa);
    if (rg == NULL || rg->size < size || gpa - rg->base > rg->size - size) {
        /* Real hardware exits to the VMM (EPT violation); a VMM with no RAM there kills the TD.
         * The emulator reports it instead. */
        return TDX_EPT_ENTRY_NOT_PRESENT | level;
    }
    uint64_t rax = (level == TDCALL_PAGE_2M) ? accept_2m(emu, rg, gpa) : accept_4k(emu, rg, gpa);
    if (rax == TDX_SUCCESS) {
        emu_count(&emu->counters.accept_ok[level]);
    }
    return rax;
}

uint64_t emu_page_attr_rd(struct tdx_emu *emu, struct tdcall_regs *r)
{
    uint64_t gpa = r->rcx;
    r->rdx = 0;
    if ((gpa & 0xFFFu) != 0 || gpa >= emu_shared_bit(emu)) {
        r->rcx = 0;
        return TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX;
    }
    const struct tdx_emu_range *rg = emu_find_range(emu, gpa);
    if (rg == NULL) {
        r->rcx = 0;
        return TDX_EPT_WALK_FAILED;
    }
    uint8_t st = page_load(&rg->page_state[(gpa - rg->base) / TDCALL_PAGE_SIZE_4K]);
    if ((st & TDX_EMU_PAGE_SHARED) != 0 || st == TDX_EMU_PAGE_NOT_PRESENT) {
        r->rcx = 0;
        return TDX_EPT_ENTRY_NOT_PRESENT;
    }
    uint64_t leaf_gpa = gpa;
    if (rg->map_level == TDCALL_PAGE_2M) {
        leaf_gpa &= ~(TDCALL_PAGE_SIZE_2M - 1u);
    }
    r->rcx = leaf_gpa | (uint64_t)rg->map_level | (st == TDX_EMU_PAGE_PENDING ? (1ull << 62) : 0);
    return TDX_SUCCESS;
}

/* ---- MapGPA (VMM side) ---------------------------------------------------------------------- */

/* Convert [pa, pend) (shared bit stripped) to shared or private. Returns the first GPA that
 * could not be converted because an ACCEPT is running on it, or pend when all were done. */
static uint64_t convert(struct tdx_emu *emu, uint64_t pa, uint64_t pend, bool to_shared)
{
    for (size_t i = 0; i < emu->cfg.range_count; i++) {
        struct tdx_emu_range *rg = &emu->cfg.ranges[i];
        uint64_t lo = pa > rg->base ? pa : rg->base;
        uint64_t rg_end = rg->base + rg->size;
        uint64_t hi = pend < rg_end ? pend : rg_end;
        for (uint64_t a = lo; a < hi; a += TDCALL_PAGE_SIZE_4K) {
            uint8_t *p = &rg->page_state[(a - rg->base) / TDCALL_PAGE_SIZE_4K];
            uint8_t v = page_load(p);
            for (;;) {
                bool is_shared = (v & TDX_EMU_PAGE_SHARED) != 0;
                if (v == TDX_EMU_PAGE_BUSY) {
                    return a;
                }
                if (is_shared == to_shared) {
                    break; /* already on that side */
                }
                /* Private content is gone either way; back on the private side the page is
                 * added again (PENDING) and must be accepted. */
                uint8_t nv = to_shared ? (uint8_t)(TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING)
                                       : (uint8_t)TDX_EMU_PAGE_PENDING;
                if (__atomic_compare_exchange_n(p, &v, nv, false, __ATOMIC_ACQ_REL,
                                                __ATOMIC_ACQUIRE)) {
                    break;
                }
            }
        }
    }
    return pend;
}

void emu_map_gpa(struct tdx_emu *emu, const struct tdcall_regs *in, struct tdcall_regs *out)
{
    uint64_t start = in->r12;
    uint64_t size = in->r13;
    uint64_t sb = emu_shared_bit(emu);
    uint64_t limit = sb << 1; /* 2^GPAW */
    uint64_t end;
    if ((start & 0xFFFu) != 0 || (size & 0xFFFu) != 0) {
        out->r10 = TDVMCALL_STATUS_ALIGN_ERROR;
        return;
    }
    if (size == 0 || tds_range_end(start, size, &end) != TDS_OK || end > limit ||
        ((start ^ (end - 1u)) & sb) != 0) {
        out->r10 = TDVMCALL_STATUS_INVALID_OPERAND;
        return;
    }
    bool to_shared = (start & sb) != 0;
    uint64_t mode = __atomic_load_n(&emu->faults.map_gpa_mode, __ATOMIC_RELAXED);
    if (mode != TDX_EMU_MAPGPA_NORMAL && emu_take_budget(&emu->faults.map_gpa_count)) {
        emu_count(&emu->counters.faults_injected);
        if (mode == TDX_EMU_MAPGPA_RETRY_AT) {
            out->r10 = TDVMCALL_STATUS_RETRY;
            out->r11 = emu->faults.map_gpa_value;
            return;
        }
        if (mode == TDX_EMU_MAPGPA_STATUS) {
            out->r10 = emu->faults.map_gpa_value;
            return;
        }
        /* RETRY_CHUNK: one 2 MiB chunk, like KVM with an interrupt pending. */
        uint64_t chunk_end = (start | (TDCALL_PAGE_SIZE_2M - 1u)) + 1u;
        if (chunk_end < end) {
            uint64_t stop = convert(emu, start & ~sb, chunk_end & ~sb, to_shared);
            out->r10 = TDVMCALL_STATUS_RETRY;
            out->r11 = stop | (start & sb);
            return;
        }
    }
    uint64_t stop = convert(emu, start & ~sb, end & ~sb, to_shared);
    if (stop != (end & ~sb)) {
        out->r10 = TDVMCALL_STATUS_RETRY;
        out->r11 = stop | (start & sb);
        return;
    }
    out->r10 = TDVMCALL_STATUS_SUCCESS;
}
