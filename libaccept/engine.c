/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The accept engine: map checks, the largest-page-first split, the lock-free chunk cursor shared
 * by the workers, and the fault handling of TDG.MEM.PAGE.ACCEPT (the Intel TDX Module ABI
 * specification; Linux arch/x86/coco/tdx/tdx-shared.c).
 *
 * Work is cut into chunks: the intersection of one map range with one chunk-aligned window of
 * the address space. Chunk boundaries are aligned to the largest page in use, so the split of a
 * chunk is exactly the split the whole range would get: the calls issued never depend on how
 * chunks land on workers. The cut and its hand-out order are the chunk plan (accept_chunk_plan,
 * public so models use the engine's own plan). Workers take plan slots with one atomic
 * fetch-add; each worker walks its own cursor through the plan (the slots it gets only grow).
 *
 * On a failure every other chunk still runs to its end and the failing chunk stops at its failing
 * page: then which pages get accepted, which calls are made and which error (the lowest GPA) is
 * reported depend only on the module's answers, never on the worker count or on timing.
 */
#include "tdshim/accept.h"

#include "engine_internal.h"

#define ACCEPT_MAGIC 0x41435054u /* "ACPT" */

uint32_t accept_api_version(void)
{
    return ACCEPT_API_VERSION;
}

accept_config accept_config_default(void)
{
    accept_config c;
    c.chunk_size = ACCEPT_DEFAULT_CHUNK;
    c.busy_retries = ACCEPT_DEFAULT_BUSY_RETRIES;
    c.mode_1g = ACCEPT_1G_PROBE;
    return c;
}

static uint32_t log2_u64(uint64_t v)
{
    return (uint32_t)(63 - __builtin_clzll(v));
}

tds_status accept_init(accept_ctx *ctx, const accept_config *cfg, const accept_ops *ops)
{
    if (ctx == NULL || ops == NULL || ops->accept == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    accept_config c = cfg != NULL ? *cfg : accept_config_default();
    if (!tds_is_pow2_u64(c.chunk_size) || c.chunk_size < ACCEPT_PAGE_2M ||
        c.chunk_size >= ACCEPT_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (c.mode_1g != ACCEPT_1G_OFF && c.mode_1g != ACCEPT_1G_PROBE) {
        return TDS_ERR_INVALID_ARG;
    }
    memset(ctx, 0, sizeof(*ctx));
    ctx->cfg = c;
    ctx->ops = *ops;
    ctx->sticky = TDS_OK;
    ctx->state_1g = c.mode_1g == ACCEPT_1G_OFF ? ACCEPT_1G_UNSUPPORTED : ACCEPT_1G_UNKNOWN;
    ctx->magic = ACCEPT_MAGIC;
    return TDS_OK;
}

bool accept_ctx_usable(const accept_ctx *ctx)
{
    return ctx != NULL && ctx->magic == ACCEPT_MAGIC;
}

tds_status accept_check_map(const accept_range *ranges, size_t n)
{
    if (n == 0) {
        return TDS_OK;
    }
    if (ranges == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    uint64_t prev_end = 0;
    for (size_t i = 0; i < n; i++) {
        const accept_range r = ranges[i];
        if (r.len == 0) {
            return TDS_ERR_INVALID_ARG;
        }
        if (!tds_is_aligned_u64(r.base, ACCEPT_PAGE_4K) ||
            !tds_is_aligned_u64(r.len, ACCEPT_PAGE_4K)) {
            return TDS_ERR_ALIGNMENT;
        }
        uint64_t end;
        TDS_TRY(tds_range_end(r.base, r.len, &end));
        if (end > ACCEPT_GPA_LIMIT) {
            return TDS_ERR_OUT_OF_BOUNDS;
        }
        if (i > 0 && r.base < prev_end) {
            return TDS_ERR_INVALID_ARG; /* unsorted or overlapping */
        }
        prev_end = end;
    }
    return TDS_OK;
}

/* Range i clipped to [0, cut): *s, *e; false when nothing of it is left. */
static bool clip_range(const accept_range *r, uint64_t cut, uint64_t *s, uint64_t *e)
{
    uint64_t end = r->base + r->len; /* checked by accept_check_map */
    if (end > cut) {
        end = cut;
    }
    if (r->base >= end) {
        return false;
    }
    *s = r->base;
    *e = end;
    return true;
}

static uint64_t chunks_in(uint64_t s, uint64_t e, uint32_t shift)
{
    return ((e - 1) >> shift) - (s >> shift) + 1;
}

/* ---- statistics: per-chunk locals folded into the context with relaxed atomics ---- */

static void stats_fold(accept_stats *dst, const accept_stats *src)
{
    for (size_t l = 0; l < ACCEPT_LEVEL_COUNT; l++) {
        __atomic_fetch_add(&dst->calls[l], src->calls[l], __ATOMIC_RELAXED);
        __atomic_fetch_add(&dst->accepted[l], src->accepted[l], __ATOMIC_RELAXED);
        __atomic_fetch_add(&dst->already[l], src->already[l], __ATOMIC_RELAXED);
        __atomic_fetch_add(&dst->mismatches[l], src->mismatches[l], __ATOMIC_RELAXED);
    }
    __atomic_fetch_add(&dst->busy_retries, src->busy_retries, __ATOMIC_RELAXED);
    __atomic_fetch_add(&dst->refused_1g, src->refused_1g, __ATOMIC_RELAXED);
    __atomic_fetch_add(&dst->bytes_accepted, src->bytes_accepted, __ATOMIC_RELAXED);
    __atomic_fetch_add(&dst->bytes_already, src->bytes_already, __ATOMIC_RELAXED);
    __atomic_fetch_add(&dst->chunks, src->chunks, __ATOMIC_RELAXED);
}

static uint64_t level_bytes(accept_level l)
{
    switch (l) {
    case ACCEPT_LEVEL_4K: return ACCEPT_PAGE_4K;
    case ACCEPT_LEVEL_2M: return ACCEPT_PAGE_2M;
    case ACCEPT_LEVEL_1G: return ACCEPT_PAGE_1G;
    }
    return ACCEPT_PAGE_4K;
}

/*
 * Back off before retrying a BUSY page: the SEPT entry is locked by another vCPU or the host for
 * a short while, so give it 16 << retry spin-loop hints (x86 PAUSE) instead of hammering.
 */
static void busy_backoff(uint32_t retry)
{
    uint32_t spins = 16u << (retry < 10 ? retry : 10);
    for (uint32_t i = 0; i < spins; i++) {
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#else
        __asm__ __volatile__("" ::: "memory");
#endif
    }
}

/* One accept with bounded BUSY retry. BUSY is returned only when the retries are spent. */
static accept_result call_accept(const accept_ctx *ctx, uint64_t gpa, accept_level level,
                                 accept_stats *st)
{
    uint32_t retries = 0;
    for (;;) {
        accept_result r = ctx->ops.accept(ctx->ops.accept_ctx, gpa, level);
        st->calls[level]++;
        switch (r.outcome) {
        case ACCEPT_OUTCOME_OK:
            st->accepted[level]++;
            st->bytes_accepted += level_bytes(level);
            return r;
        case ACCEPT_OUTCOME_ALREADY_ACCEPTED:
            st->already[level]++;
            st->bytes_already += level_bytes(level);
            return r;
        case ACCEPT_OUTCOME_SIZE_MISMATCH: st->mismatches[level]++; return r;
        case ACCEPT_OUTCOME_BUSY:
            if (retries >= ctx->cfg.busy_retries) {
                return r;
            }
            busy_backoff(retries);
            retries++;
            st->busy_retries++;
            continue;
        case ACCEPT_OUTCOME_ERROR: return r;
        }
        /* An outcome outside the enum is a broken op: treat it as a module error. */
        r.outcome = ACCEPT_OUTCOME_ERROR;
        return r;
    }
}

/* Record a failure; the lowest GPA wins, so the reported error never depends on timing. */
static void record_error(accept_run *run, uint64_t gpa, accept_level level, accept_result r)
{
    while (__atomic_test_and_set(&run->err_lock, __ATOMIC_ACQUIRE)) {
        /* Failure path only, held for a few stores. */
    }
    uint64_t cur = __atomic_load_n(&run->err_gpa, __ATOMIC_RELAXED);
    if (gpa < cur) {
        run->err.status = r.outcome == ACCEPT_OUTCOME_BUSY ? TDS_ERR_BUSY : TDS_ERR_DEVICE;
        run->err.outcome = r.outcome;
        run->err.level = level;
        run->err.gpa = gpa;
        run->err.raw = r.raw;
        __atomic_store_n(&run->err_gpa, gpa, __ATOMIC_RELAXED);
    }
    __atomic_clear(&run->err_lock, __ATOMIC_RELEASE);
}

/* 4 KiB page. A SIZE_MISMATCH here cannot be split further: it is an error. */
static bool do_4k(accept_ctx *ctx, uint64_t gpa, accept_stats *st)
{
    accept_result r = call_accept(ctx, gpa, ACCEPT_LEVEL_4K, st);
    if (r.outcome == ACCEPT_OUTCOME_OK || r.outcome == ACCEPT_OUTCOME_ALREADY_ACCEPTED) {
        return true;
    }
    record_error(&ctx->run, gpa, ACCEPT_LEVEL_4K, r);
    return false;
}

static bool do_4k_span(accept_ctx *ctx, uint64_t s, uint64_t e, accept_stats *st)
{
    for (uint64_t a = s; a < e; a += ACCEPT_PAGE_4K) {
        if (!do_4k(ctx, a, st)) {
            return false;
        }
    }
    return true;
}

/* 2 MiB page; SIZE_MISMATCH (4 KiB-mapped by the VMM) splits it into 512 x 4 KiB. */
static bool do_2m(accept_ctx *ctx, uint64_t gpa, accept_stats *st)
{
    accept_result r = call_accept(ctx, gpa, ACCEPT_LEVEL_2M, st);
    switch (r.outcome) {
    case ACCEPT_OUTCOME_OK:
    case ACCEPT_OUTCOME_ALREADY_ACCEPTED: return true;
    case ACCEPT_OUTCOME_SIZE_MISMATCH: return do_4k_span(ctx, gpa, gpa + ACCEPT_PAGE_2M, st);
    case ACCEPT_OUTCOME_BUSY:
    case ACCEPT_OUTCOME_ERROR: break;
    }
    record_error(&ctx->run, gpa, ACCEPT_LEVEL_2M, r);
    return false;
}

static bool do_2m_span(accept_ctx *ctx, uint64_t s, uint64_t e, accept_stats *st)
{
    for (uint64_t a = s; a < e; a += ACCEPT_PAGE_2M) {
        if (!do_2m(ctx, a, st)) {
            return false;
        }
    }
    return true;
}

/*
 * 1 GiB page (only when the context learnt that the module takes them). SIZE_MISMATCH splits it
 * into 2 MiB pages; any error is a refusal of the size: fall back to 2 MiB for this page, where
 * a genuine fault shows up again and is reported with its GPA.
 */
static bool do_1g(accept_ctx *ctx, uint64_t gpa, accept_stats *st)
{
    if (gpa == ctx->run.skip_1g_gpa) {
        return true; /* accepted by the probe */
    }
    accept_result r = call_accept(ctx, gpa, ACCEPT_LEVEL_1G, st);
    switch (r.outcome) {
    case ACCEPT_OUTCOME_OK:
    case ACCEPT_OUTCOME_ALREADY_ACCEPTED: return true;
    case ACCEPT_OUTCOME_SIZE_MISMATCH: return do_2m_span(ctx, gpa, gpa + ACCEPT_PAGE_1G, st);
    case ACCEPT_OUTCOME_ERROR:
        st->refused_1g++;
        return do_2m_span(ctx, gpa, gpa + ACCEPT_PAGE_1G, st);
    case ACCEPT_OUTCOME_BUSY: break;
    }
    record_error(&ctx->run, gpa, ACCEPT_LEVEL_1G, r);
    return false;
}

/*
 * The largest-page-first split of [s, e): 4 KiB head, 2 MiB (1 GiB) body, 4 KiB tail, in address
 * order. Stops at the first failing page (recorded); never looks at other chunks' failures.
 */
static bool do_span(accept_ctx *ctx, uint64_t s, uint64_t e, accept_stats *st)
{
    uint64_t a = s;
    while (a < e) {
        uint64_t left = e - a;
        bool ok;
        if (ctx->run.use_1g && tds_is_aligned_u64(a, ACCEPT_PAGE_1G) && left >= ACCEPT_PAGE_1G) {
            ok = do_1g(ctx, a, st);
            a += ACCEPT_PAGE_1G;
        } else if (tds_is_aligned_u64(a, ACCEPT_PAGE_2M) && left >= ACCEPT_PAGE_2M) {
            ok = do_2m(ctx, a, st);
            a += ACCEPT_PAGE_2M;
        } else {
            ok = do_4k(ctx, a, st);
            a += ACCEPT_PAGE_4K;
        }
        if (!ok) {
            return false;
        }
    }
    return true;
}

/* ---- the chunk plan ---- */

/* Chunk j of the clipped range [rs, re): [*cs, *ce). */
static void chunk_bounds(uint32_t shift, uint64_t rs, uint64_t re, uint64_t j, uint64_t *cs,
                         uint64_t *ce)
{
    uint64_t win = ((rs >> shift) + j) << shift;
    uint64_t end = win + (1ull << shift); /* < 2^53: no wrap */
    *cs = win > rs ? win : rs;
    *ce = end < re ? end : re;
}

/* Interior chunks of range i in the plan (all but its first and last chunk). */
static uint64_t interior_of(const accept_chunk_plan *p, size_t i)
{
    uint64_t s, e;
    if (!clip_range(&p->ranges[i], p->cut, &s, &e)) {
        return 0;
    }
    uint64_t nk = chunks_in(s, e, p->chunk_shift);
    return nk > 2 ? nk - 2 : 0;
}

/* The plan of a checked map, a 4 KiB-aligned cut <= ACCEPT_GPA_LIMIT and a valid chunk size. */
static void plan_build(accept_chunk_plan *p, const accept_range *ranges, size_t n, uint64_t cut,
                       uint64_t chunk_size, bool use_1g)
{
    memset(p, 0, sizeof(*p));
    p->ranges = ranges;
    p->nranges = n;
    p->cut = cut;
    p->chunk_shift = log2_u64(use_1g && chunk_size < ACCEPT_PAGE_1G ? ACCEPT_PAGE_1G : chunk_size);
    /* Counts stay below 2^41 (disjoint 4 KiB-aligned ranges below 2^52, >= 2 MiB chunks; a range
     * is at least 4 KiB, so 2n <= 2^41 too): no overflow. */
    p->edge_slots = 2 * (uint64_t)n;
    p->slots = p->edge_slots;
    for (size_t i = 0; i < n; i++) {
        uint64_t s, e;
        if (clip_range(&ranges[i], cut, &s, &e)) {
            uint64_t nk = chunks_in(s, e, p->chunk_shift);
            p->chunks += nk;
            p->slots += nk > 2 ? nk - 2 : 0;
        }
    }
}

tds_status accept_chunk_plan_init(accept_chunk_plan *plan, const accept_range *ranges, size_t n,
                                  uint64_t cut, uint64_t chunk_size, bool use_1g)
{
    if (plan == NULL || !tds_is_pow2_u64(chunk_size) || chunk_size < ACCEPT_PAGE_2M ||
        chunk_size >= ACCEPT_GPA_LIMIT || cut > ACCEPT_GPA_LIMIT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_is_aligned_u64(cut, ACCEPT_PAGE_4K)) {
        return TDS_ERR_ALIGNMENT;
    }
    TDS_TRY(accept_check_map(ranges, n));
    plan_build(plan, ranges, n, cut, chunk_size, use_1g);
    return TDS_OK;
}

void accept_chunk_cursor_init(accept_chunk_cursor *cur)
{
    if (cur != NULL) {
        cur->range = 0;
        cur->first = 0;
    }
}

bool accept_chunk_at(const accept_chunk_plan *p, accept_chunk_cursor *cur, uint64_t slot,
                     accept_range *out)
{
    if (p == NULL || cur == NULL || out == NULL || slot >= p->slots) {
        return false;
    }
    const uint32_t shift = p->chunk_shift;
    uint64_t s, e, cs, ce;
    if (slot < p->edge_slots) {
        /* Edge slots: the first and last chunk of each range, where the slow 4 KiB head and tail
         * pages are, so they start first and never end up as the critical path. */
        if (!clip_range(&p->ranges[slot / 2], p->cut, &s, &e)) {
            return false;
        }
        uint64_t nk = chunks_in(s, e, shift);
        if (slot % 2 == 1 && nk < 2) {
            return false; /* a one-chunk range has no separate last chunk */
        }
        chunk_bounds(shift, s, e, slot % 2 == 0 ? 0 : nk - 1, &cs, &ce);
    } else {
        uint64_t ki = slot - p->edge_slots;
        if (ki < cur->first || cur->range >= p->nranges) {
            cur->range = 0; /* asked backwards: walk again from the start */
            cur->first = 0;
        }
        /* Walk forward to the range holding interior chunk ki (exists: ki < slots - edge). */
        for (;;) {
            uint64_t inner = interior_of(p, cur->range);
            if (ki < cur->first + inner) {
                break;
            }
            cur->first += inner;
            cur->range++;
            if (cur->range >= p->nranges) {
                return false; /* unreachable: slots counts exactly these */
            }
        }
        if (!clip_range(&p->ranges[cur->range], p->cut, &s, &e)) {
            return false; /* unreachable: the range has interior chunks */
        }
        chunk_bounds(shift, s, e, 1 + (ki - cur->first), &cs, &ce);
    }
    out->base = cs;
    out->len = ce - cs;
    return true;
}

/* ---- the workers ---- */

/*
 * The worker body: take plan slots in index order (one atomic fetch-add each) and accept each
 * chunk. A failure is recorded and stops only its own chunk; every other chunk runs to its end,
 * so the work done never depends on which worker saw which failure when.
 */
void accept_worker_entry(void *arg)
{
    accept_ctx *ctx = arg;
    accept_run *run = &ctx->run;
    accept_chunk_cursor cur;
    accept_chunk_cursor_init(&cur);
    for (;;) {
        uint64_t k = __atomic_fetch_add(&run->cursor, 1, __ATOMIC_RELAXED);
        if (k >= run->plan.slots) {
            return;
        }
        accept_range c;
        if (!accept_chunk_at(&run->plan, &cur, k, &c)) {
            continue; /* empty edge slot */
        }
        accept_stats st;
        memset(&st, 0, sizeof(st));
        st.chunks = 1;
        (void)do_span(ctx, c.base, c.base + c.len, &st); /* a failure is in run->err */
        stats_fold(&ctx->stats, &st);
    }
}

/*
 * Decide whether this run uses 1 GiB pages. Done once per context, on the calling thread before
 * the workers start, so the decision (and the calls issued) never depends on timing: try the
 * first 1 GiB-aligned page of the run; OK or ALREADY_ACCEPTED means supported (that page is then
 * skipped by the workers), an error means refused (OPERAND_INVALID on the 1.5 module), a
 * SIZE_MISMATCH says nothing about the module, so the next candidate is tried (a few at most).
 */
#define ACCEPT_PROBE_MAX 4

static void probe_1g(accept_ctx *ctx, const accept_range *ranges, size_t n, uint64_t cut)
{
    accept_run *run = &ctx->run;
    uint32_t tries = 0;
    accept_stats st;
    memset(&st, 0, sizeof(st));
    for (size_t i = 0; i < n && tries < ACCEPT_PROBE_MAX; i++) {
        uint64_t s, e;
        if (!clip_range(&ranges[i], cut, &s, &e)) {
            continue;
        }
        uint64_t a;
        if (tds_align_up_u64(s, ACCEPT_PAGE_1G, &a) != TDS_OK) {
            continue;
        }
        for (; a < e && e - a >= ACCEPT_PAGE_1G && tries < ACCEPT_PROBE_MAX; a += ACCEPT_PAGE_1G) {
            tries++;
            accept_result r = call_accept(ctx, a, ACCEPT_LEVEL_1G, &st);
            if (r.outcome == ACCEPT_OUTCOME_OK || r.outcome == ACCEPT_OUTCOME_ALREADY_ACCEPTED) {
                ctx->state_1g = ACCEPT_1G_SUPPORTED;
                run->skip_1g_gpa = a;
                stats_fold(&ctx->stats, &st);
                return;
            }
            if (r.outcome == ACCEPT_OUTCOME_ERROR) {
                st.refused_1g++;
                ctx->state_1g = ACCEPT_1G_UNSUPPORTED;
                stats_fold(&ctx->stats, &st);
                return;
            }
            /* SIZE_MISMATCH or BUSY (retries spent): inconclusive, the workers redo the page. */
        }
    }
    stats_fold(&ctx->stats, &st);
}

/* Accept map ∩ [0, cut). The map MUST have been checked. */
tds_status accept_run_map(accept_ctx *ctx, const accept_range *ranges, size_t n, uint64_t cut)
{
    if (ctx->sticky != TDS_OK) {
        return ctx->sticky;
    }
    accept_run *run = &ctx->run;
    memset(run, 0, sizeof(*run));
    run->skip_1g_gpa = UINT64_MAX;
    run->err_gpa = UINT64_MAX;

    if (ctx->state_1g == ACCEPT_1G_UNKNOWN) {
        probe_1g(ctx, ranges, n, cut);
    }
    run->use_1g = ctx->state_1g == ACCEPT_1G_SUPPORTED;
    plan_build(&run->plan, ranges, n, cut, ctx->cfg.chunk_size, run->use_1g);

    if (run->plan.chunks > 0) {
        if (ctx->ops.parallel != NULL) {
            tds_status ps = ctx->ops.parallel(ctx->ops.parallel_ctx, accept_worker_entry, ctx);
            if (ps != TDS_OK) {
                ctx->stats.parallel_failures++;
            }
        }
        /* Drain on the calling thread: a no-op after a good parallel run, the rescue otherwise. */
        accept_worker_entry(ctx);
    }

    memset(&run->plan, 0, sizeof(run->plan)); /* keep no pointer into caller memory */
    if (run->err_gpa != UINT64_MAX) {
        ctx->sticky = run->err.status;
        ctx->last = run->err;
        return ctx->sticky;
    }
    return TDS_OK;
}

tds_status accept_all(accept_ctx *ctx, const accept_range *ranges, size_t n)
{
    if (!accept_ctx_usable(ctx)) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(accept_check_map(ranges, n));
    return accept_run_map(ctx, ranges, n, ACCEPT_GPA_LIMIT);
}

tds_status accept_plan(const accept_range *ranges, size_t n, bool use_1g, accept_plan_counts *out)
{
    if (out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(accept_check_map(ranges, n));
    accept_plan_counts c;
    memset(&c, 0, sizeof(c));
    for (size_t i = 0; i < n; i++) {
        uint64_t a = ranges[i].base;
        uint64_t e = a + ranges[i].len;
        c.bytes += ranges[i].len;
        /* Closed form of do_span: 4K up to 2M alignment, 2M up to 1G alignment, 1G body, ... */
        while (a < e) {
            uint64_t left = e - a;
            if (use_1g && tds_is_aligned_u64(a, ACCEPT_PAGE_1G) && left >= ACCEPT_PAGE_1G) {
                uint64_t k = left / ACCEPT_PAGE_1G;
                c.pages[ACCEPT_LEVEL_1G] += k;
                a += k * ACCEPT_PAGE_1G;
            } else if (tds_is_aligned_u64(a, ACCEPT_PAGE_2M) && left >= ACCEPT_PAGE_2M) {
                uint64_t lim = left / ACCEPT_PAGE_2M;
                if (use_1g) {
                    uint64_t to1g = (ACCEPT_PAGE_1G - (a & (ACCEPT_PAGE_1G - 1))) / ACCEPT_PAGE_2M;
                    lim = lim < to1g ? lim : to1g;
                }
                c.pages[ACCEPT_LEVEL_2M] += lim;
                a += lim * ACCEPT_PAGE_2M;
            } else {
                uint64_t to2m = (ACCEPT_PAGE_2M - (a & (ACCEPT_PAGE_2M - 1))) / ACCEPT_PAGE_4K;
                uint64_t lim = left / ACCEPT_PAGE_4K;
                /* Below 2M alignment, or a tail shorter than 2M: 4K pages up to either. */
                uint64_t k = left >= ACCEPT_PAGE_2M ? (to2m < lim ? to2m : lim) : lim;
                c.pages[ACCEPT_LEVEL_4K] += k;
                a += k * ACCEPT_PAGE_4K;
            }
        }
    }
    c.total = c.pages[0] + c.pages[1] + c.pages[2];
    *out = c;
    return TDS_OK;
}

void accept_get_stats(const accept_ctx *ctx, accept_stats *out)
{
    if (ctx == NULL || out == NULL) {
        return;
    }
    *out = ctx->stats;
}

tds_status accept_last_error(const accept_ctx *ctx, accept_error *out)
{
    if (!accept_ctx_usable(ctx) || out == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (ctx->sticky == TDS_OK) {
        return TDS_ERR_NOT_FOUND;
    }
    *out = ctx->last;
    return TDS_OK;
}

uint32_t accept_1g_state(const accept_ctx *ctx)
{
    return ctx != NULL ? ctx->state_1g : ACCEPT_1G_UNKNOWN;
}
