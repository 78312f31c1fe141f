/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * bench_accept: TDCALL counts and a modelled parallel speed-up for the accept engine.
 * Not a timed test (nothing here measures host time). For each memory map (1, 4, 64, 1024 GiB
 * with ragged edges) it runs the real engine against a lightweight counting fake (no per-4K
 * state) and prints:
 *   - accept calls issued vs the minimum for that map and module (accept_plan);
 *   - modelled wall time at 1..256 vCPUs as speed-up vs 1 vCPU, next to a 16-worker cap.
 * The model: the engine's chunks, each costing the sum of its calls (named constants below),
 * are handed to N workers in the engine's order (edges first), each to the first worker that
 * becomes free (what the lock-free cursor does when costs are deterministic), plus a serial
 * wake-up cost per worker.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/accept.h"

#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)
#define K4 ACCEPT_PAGE_4K
#define M2 ACCEPT_PAGE_2M

/*
 * Cost model (nanoseconds). Assumptions, not measurements (no TDX hardware here):
 * COST_2M_NS: a 2 MiB accept is dominated by the module zeroing 512 pages under the TD key
 *   (tdx-abi.md §1.3: "zero-filled by the module"); assumed ~10 GiB/s of single-core streaming
 *   stores to encrypted memory -> 2 MiB / 10 GiB/s ~= 200 us.
 * COST_4K_NS: one SEAM round trip plus SEPT walk/lock (assumed ~1.5 us) plus zeroing 4 KiB
 *   (~0.4 us at the same bandwidth) -> ~2 us.
 * COST_1G_NS: 512 x the 2 MiB cost (zeroing dominates; the transition is negligible).
 * COST_MISMATCH_NS: a refused 2M/1G attempt (SIZE_MISMATCH / OPERAND_INVALID) costs a round
 *   trip and walk without zeroing: same as the 4K overhead part, ~1.5 us.
 * COST_CHUNK_NS: taking a chunk (one atomic fetch-add on a shared line, some contention).
 * COST_WAKE_NS: waking one AP through the mailbox (serial on the BSP), assumed 5 us.
 * Not modelled: memory-bandwidth saturation of the socket (real zeroing throughput stops
 * scaling once the memory controllers are busy), VMM-side EPT faults for PENDING pages.
 */
#define COST_2M_NS UINT64_C(200000)
#define COST_4K_NS UINT64_C(2000)
#define COST_1G_NS (UINT64_C(512) * COST_2M_NS)
#define COST_MISMATCH_NS UINT64_C(1500)
#define COST_CHUNK_NS UINT64_C(200)
#define COST_WAKE_NS UINT64_C(5000)

typedef struct chunk {
    uint64_t start, end, cost;
} chunk;

typedef struct counter {
    bool support_1g;
    uint64_t island_every; /* a 4K-mapped 2M block every this many bytes (0: none) */
    uint64_t calls[ACCEPT_LEVEL_COUNT];
    uint64_t refused;
    chunk *chunks;
    size_t nchunks;
} counter;

/* Charge a call to the chunk holding gpa (chunks are sorted by address). */
static void charge(counter *c, uint64_t gpa, uint64_t cost)
{
    size_t lo = 0, hi = c->nchunks;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->chunks[mid].start <= gpa) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    c->chunks[lo].cost += cost;
}

static accept_result counting_accept(void *ctx, uint64_t gpa, accept_level level)
{
    counter *c = ctx;
    c->calls[level]++;
    accept_result r = {ACCEPT_OUTCOME_OK, 0};
    if (level == ACCEPT_LEVEL_1G && !c->support_1g) {
        c->refused++;
        charge(c, gpa, COST_MISMATCH_NS);
        r.outcome = ACCEPT_OUTCOME_ERROR;
        r.raw = 0xC000010000000001ull; /* OPERAND_INVALID (RCX), the 1.5 module */
        return r;
    }
    bool island_here = false;
    if (c->island_every != 0 && level != ACCEPT_LEVEL_4K) {
        uint64_t size = level == ACCEPT_LEVEL_1G ? ACCEPT_PAGE_1G : M2;
        /* the island is the 2M block at each multiple of island_every, offset by 6 MiB */
        uint64_t first = (gpa / c->island_every) * c->island_every + 6 * MiB;
        island_here = first >= gpa && first < gpa + size;
    }
    if (island_here) {
        charge(c, gpa, COST_MISMATCH_NS);
        r.outcome = ACCEPT_OUTCOME_SIZE_MISMATCH;
        r.raw = 0xC0000B0B00000000ull | (uint64_t)level;
        return r;
    }
    charge(c, gpa,
           level == ACCEPT_LEVEL_4K   ? COST_4K_NS
           : level == ACCEPT_LEVEL_2M ? COST_2M_NS
                                      : COST_1G_NS);
    return r;
}

/*
 * The engine's chunk list (range ∩ chunk-aligned window), sorted by address, and the order the
 * engine hands them out: the first and last chunk of every range, then the rest by address.
 */
static size_t make_chunks(const accept_range *r, size_t n, uint64_t csize, chunk **out,
                          size_t **order)
{
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        cap += (size_t)(((r[i].base + r[i].len - 1) / csize) - (r[i].base / csize) + 1);
    }
    chunk *c = calloc(cap, sizeof(*c));
    size_t *ord = calloc(cap, sizeof(*ord));
    bool *edge = calloc(cap, sizeof(*edge));
    if (c == NULL || ord == NULL || edge == NULL) {
        abort();
    }
    size_t k = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t e = r[i].base + r[i].len;
        size_t first = k;
        for (uint64_t a = r[i].base; a < e;) {
            uint64_t w = (a / csize + 1) * csize;
            c[k].start = a;
            c[k].end = w < e ? w : e;
            a = c[k].end;
            k++;
        }
        ord[o++] = first;
        edge[first] = true;
        if (k - 1 != first) {
            ord[o++] = k - 1;
            edge[k - 1] = true;
        }
    }
    for (size_t j = 0; j < k; j++) {
        if (!edge[j]) {
            ord[o++] = j;
        }
    }
    free(edge);
    *out = c;
    *order = ord;
    return k;
}

/* Makespan of list scheduling onto n workers, plus serial wake-ups. */
static uint64_t model_time(const chunk *c, const size_t *order, size_t nc, uint32_t n)
{
    uint64_t *free_at = calloc(n, sizeof(*free_at));
    if (free_at == NULL) {
        abort();
    }
    for (uint32_t w = 0; w < n; w++) {
        free_at[w] = (uint64_t)w * COST_WAKE_NS;
    }
    for (size_t k = 0; k < nc; k++) {
        uint32_t best = 0;
        for (uint32_t w = 1; w < n; w++) {
            if (free_at[w] < free_at[best]) {
                best = w;
            }
        }
        free_at[best] += c[order[k]].cost + COST_CHUNK_NS;
    }
    uint64_t t = 0;
    for (uint32_t w = 0; w < n; w++) {
        t = free_at[w] > t ? free_at[w] : t;
    }
    free(free_at);
    return t;
}

/* A map of `total` bytes: low memory below 2 GiB and the rest from 4 GiB, ragged edges. */
static size_t make_map(uint64_t total, accept_range *r)
{
    uint64_t low = total < 2 * GiB ? total : 2 * GiB;
    r[0].base = 1 * MiB + 3 * K4;
    r[0].len = low - 1 * MiB - 3 * K4 - 5 * K4;
    if (total <= low) {
        return 1;
    }
    r[1].base = 4 * GiB + K4;
    r[1].len = total - low - 3 * K4;
    return 2;
}

static _Noreturn void fail(const char *what)
{
    printf("bench_accept: %s\n", what);
    exit(1);
}

typedef struct module_case {
    const char *name;
    bool support_1g;
    accept_1g_mode mode;
} module_case;

static int run_case(uint64_t total, const module_case *m, uint64_t island_every, bool speedups)
{
    accept_range map[2];
    size_t n = make_map(total, map);
    accept_config cfg = accept_config_default();
    cfg.mode_1g = m->mode;
    counter c;
    memset(&c, 0, sizeof(c));
    c.support_1g = m->support_1g;
    c.island_every = island_every;
    /* Chunks as the engine will cut them: 1 GiB when 1G pages are in use. */
    accept_plan_counts p1g;
    if (accept_plan(map, n, true, &p1g) != TDS_OK) {
        return 1;
    }
    uint64_t csize = m->support_1g && m->mode == ACCEPT_1G_PROBE && p1g.pages[2] > 0
                         ? ACCEPT_PAGE_1G
                         : cfg.chunk_size;
    size_t *order = NULL;
    c.nchunks = make_chunks(map, n, csize, &c.chunks, &order);
    accept_ops ops = {counting_accept, &c, NULL, NULL};
    accept_ctx ctx;
    if (accept_init(&ctx, &cfg, &ops) != TDS_OK || accept_all(&ctx, map, n) != TDS_OK) {
        fail("engine failed");
    }
    bool used_1g = accept_1g_state(&ctx) == ACCEPT_1G_SUPPORTED;
    if (used_1g != (csize == ACCEPT_PAGE_1G)) {
        fail("chunk model mismatch");
    }
    accept_plan_counts plan;
    if (accept_plan(map, n, m->support_1g, &plan) != TDS_OK) {
        fail("plan failed");
    }
    uint64_t issued = c.calls[0] + c.calls[1] + c.calls[2];
    printf("  %-24s islands=%-5s calls issued %8" PRIu64 " (4K %" PRIu64 ", 2M %" PRIu64
           ", 1G %" PRIu64 ")  minimum %8" PRIu64 "  %s\n",
           m->name, island_every ? "yes" : "no", issued, c.calls[0], c.calls[1], c.calls[2],
           plan.total,
           issued == plan.total ? "EQUAL" : (island_every ? "(+ splits)" : "(+ probe)"));
    int rc = 0;
    if (speedups) {
        uint64_t t1 = model_time(c.chunks, order, c.nchunks, 1);
        printf("    chunks %zu of %" PRIu64 " MiB; modelled 1 vCPU %.3f s\n", c.nchunks,
               (uint64_t)(csize / MiB), (double)t1 / 1e9);
        printf("    vCPUs    time(ms)   speedup  speedup/N   16-cap speedup\n");
        static const uint32_t ns[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
            uint64_t t = model_time(c.chunks, order, c.nchunks, ns[i]);
            uint64_t tc = model_time(c.chunks, order, c.nchunks, ns[i] < 16 ? ns[i] : 16);
            double s = (double)t1 / (double)t;
            printf("    %5u  %10.2f  %8.2f  %9.3f  %14.2f\n", ns[i], (double)t / 1e6, s, s / ns[i],
                   (double)t1 / (double)tc);
            if (total == 64 * GiB && ns[i] <= 64 && s < 0.9 * ns[i]) {
                rc = 1;
            }
        }
        if (total == 64 * GiB) {
            printf("    target speedup >= 0.9 x N up to 64 vCPUs on 64 GiB: %s\n",
                   rc == 0 ? "MET" : "NOT MET");
        }
    }
    free(c.chunks);
    free(order);
    return rc;
}

int main(void)
{
    static const uint64_t sizes[] = {1 * GiB, 4 * GiB, 64 * GiB, 1024 * GiB};
    static const module_case mods[] = {
        {"TDX 1.5, 1G off", false, ACCEPT_1G_OFF},
        {"TDX 1.5, 1G probed", false, ACCEPT_1G_PROBE},
        {"1G-capable, 1G probed", true, ACCEPT_1G_PROBE},
    };
    printf("bench_accept: cost model 4K=%" PRIu64 " ns, 2M=%" PRIu64 " ns, 1G=%" PRIu64
           " ns, refused=%" PRIu64 " ns, chunk take=%" PRIu64 " ns, AP wake=%" PRIu64 " ns\n",
           COST_4K_NS, COST_2M_NS, COST_1G_NS, COST_MISMATCH_NS, COST_CHUNK_NS, COST_WAKE_NS);
    int rc = 0;
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        printf("map %" PRIu64 " GiB (ragged: [1M+12K, 2G-20K) and from 4G+4K)\n", sizes[s] / GiB);
        for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++) {
            rc |= run_case(sizes[s], &mods[m], 0, m == 0);
        }
        rc |= run_case(sizes[s], &mods[0], 1 * GiB, false);
    }
    return rc;
}
