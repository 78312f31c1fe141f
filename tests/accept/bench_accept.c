/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * bench_accept: TDCALL counts and a modelled parallel speed-up for the accept engine.
 * Not a timed test (nothing here measures host time). For each memory map (1, 4, 64, 1024 GiB
 * with ragged edges) it runs the real engine against a lightweight counting fake (no per-4K
 * state) and prints:
 *   - accept calls issued vs the minimum for that map and module (accept_plan), for the
 *     configuration the shim uses (TDX 1.5, ACCEPT_1G_OFF: exactly the minimum) as the
 *     headline, the library default ACCEPT_1G_PROBE on a 1.5 module (minimum + the one refused
 *     1 GiB probe, when the map holds a 1 GiB-aligned page), a 1G-capable module (its minimum),
 *     and one 4K-mapped 2 MiB block per GiB (minimum + 512 per block);
 *   - the modelled wall time at 1..256 vCPUs as speed-up vs 1 vCPU, next to a 16-worker cap.
 * Every one of those call counts is checked, as is the target speed-up (>= 0.9 x N for every
 * N <= 64 on the 64 GiB map); any miss makes the exit status 1.
 *
 * The model: the engine's own chunk plan (accept_chunk_plan_init / accept_chunk_at, the
 * function the engine builds its runs from), each chunk costing the sum of the calls the engine
 * really made in it (named constants below), is list-scheduled in the plan's hand-out order onto
 * N workers, each chunk to the first worker that becomes free (what the lock-free cursor does
 * when costs are deterministic), after a serial wake-up per worker; calls made before the workers
 * start (the 1 GiB probe) are a serial prefix.
 *
 * Usage: bench_accept [--quick] [--wake-ns=NS] [--island-in-headline]
 *   --quick: every call-count check on every map, the speed-up model only on 64 GiB up to
 *            64 vCPUs (what ctest runs, well under a second in a release build).
 *   --wake-ns, --island-in-headline: perturb the model or the module so the checks must fail
 *            (ctest runs both and expects the failure).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/accept.h"

#define KiB ((uint64_t)1 << 10)
#define MiB ((uint64_t)1 << 20)
#define GiB ((uint64_t)1 << 30)
#define K4 ACCEPT_PAGE_4K
#define M2 ACCEPT_PAGE_2M

/*
 * Cost model (nanoseconds). Assumptions, not measurements (no TDX hardware here):
 * COST_2M_NS: a 2 MiB accept is dominated by the module zeroing 512 pages under the TD key
 *   (the Intel TDX Module ABI specification, the leaf's register interface: "zero-filled by the
 * module"); assumed ~10 GiB/s of single-core streaming stores to encrypted memory -> 2 MiB / 10
 * GiB/s ~= 200 us. COST_4K_NS: one SEAM round trip plus SEPT walk/lock (assumed ~1.5 us) plus
 * zeroing 4 KiB
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

/* Where island blocks sit: the 2 MiB block at 6 MiB into every `island_every` window. */
#define ISLAND_OFFSET (6 * MiB)

static uint64_t wake_ns = COST_WAKE_NS;
static int failures;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("    CHECK FAILED: %s\n", what);
        failures++;
    }
}

static _Noreturn void die(const char *what)
{
    printf("bench_accept: %s\n", what);
    exit(2);
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n == 0 ? 1 : n, size);
    if (p == NULL) {
        die("out of memory");
    }
    return p;
}

/* ---- the counting module ---- */

typedef struct call_rec {
    uint64_t gpa, cost;
} call_rec;

typedef struct counter {
    bool support_1g;
    uint64_t island_every; /* a 4K-mapped 2M block every this many bytes (0: none) */
    uint64_t calls[ACCEPT_LEVEL_COUNT];
    uint64_t refused;
    uint64_t mismatches;
    bool in_workers;      /* the parallel op has started the workers */
    uint64_t serial_cost; /* calls before that (the 1 GiB probe) */
    bool log;             /* record the workers' calls for the model */
    call_rec *rec;
    size_t nrec, caprec;
} counter;

static void record(counter *c, uint64_t gpa, uint64_t cost)
{
    if (!c->in_workers) {
        c->serial_cost += cost;
        return;
    }
    if (!c->log) {
        return;
    }
    if (c->nrec == c->caprec) {
        size_t cap = c->caprec == 0 ? 4096 : 2 * c->caprec;
        call_rec *r = realloc(c->rec, cap * sizeof(*r));
        if (r == NULL) {
            die("out of memory");
        }
        c->rec = r;
        c->caprec = cap;
    }
    c->rec[c->nrec].gpa = gpa;
    c->rec[c->nrec].cost = cost;
    c->nrec++;
}

static accept_result counting_accept(void *ctx, uint64_t gpa, accept_level level)
{
    counter *c = ctx;
    c->calls[level]++;
    accept_result r = {ACCEPT_OUTCOME_OK, 0};
    if (level == ACCEPT_LEVEL_1G && !c->support_1g) {
        c->refused++;
        record(c, gpa, COST_MISMATCH_NS);
        r.outcome = ACCEPT_OUTCOME_ERROR;
        r.raw = 0xC000010000000001ull; /* OPERAND_INVALID (RCX), the 1.5 module */
        return r;
    }
    bool island_here = false;
    if (c->island_every != 0 && level != ACCEPT_LEVEL_4K) {
        uint64_t size = level == ACCEPT_LEVEL_1G ? ACCEPT_PAGE_1G : M2;
        uint64_t first = (gpa / c->island_every) * c->island_every + ISLAND_OFFSET;
        island_here = first >= gpa && first < gpa + size;
    }
    if (island_here) {
        c->mismatches++;
        record(c, gpa, COST_MISMATCH_NS);
        r.outcome = ACCEPT_OUTCOME_SIZE_MISMATCH;
        r.raw = 0xC0000B0B00000000ull | (uint64_t)level;
        return r;
    }
    record(c, gpa,
           level == ACCEPT_LEVEL_4K   ? COST_4K_NS
           : level == ACCEPT_LEVEL_2M ? COST_2M_NS
                                      : COST_1G_NS);
    return r;
}

/* The parallel op: one worker on this thread; marks where the serial prefix ends. */
static tds_status counting_parallel(void *ctx, accept_worker_fn worker, void *arg)
{
    counter *c = ctx;
    c->in_workers = true;
    worker(arg);
    return TDS_OK;
}

/* ---- maps and their labels (printed from the ranges themselves) ---- */

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

/* v as a sum of G/M/K terms, e.g. "1M+12K" (v > 0). */
static int fmt_sum(char *out, size_t cap, uint64_t v)
{
    static const struct {
        uint64_t unit;
        char name;
    } units[] = {{GiB, 'G'}, {MiB, 'M'}, {KiB, 'K'}};
    int n = 0;
    for (size_t i = 0; i < 3 && v > 0; i++) {
        uint64_t q = v / units[i].unit;
        if (q > 0 && n >= 0 && (size_t)n < cap) {
            n += snprintf(out + n, cap - (size_t)n, "%s%" PRIu64 "%c", n > 0 ? "+" : "", q,
                          units[i].name);
        }
        v -= q * units[i].unit;
    }
    if (v > 0 && n >= 0 && (size_t)n < cap) {
        n += snprintf(out + n, cap - (size_t)n, "%s%" PRIu64, n > 0 ? "+" : "", v);
    }
    return n;
}

/* An address relative to its nearest multiple of the largest unit it reaches: "2G-20K". */
static void fmt_gpa(char *out, size_t cap, uint64_t a)
{
    if (a == 0) {
        (void)snprintf(out, cap, "0");
        return;
    }
    uint64_t unit = a >= GiB - GiB / 2 ? GiB : a >= MiB - MiB / 2 ? MiB : KiB;
    uint64_t m = (a + unit / 2) / unit;
    int n = snprintf(out, cap, "%" PRIu64 "%c", m, unit == GiB ? 'G' : unit == MiB ? 'M' : 'K');
    if (n < 0 || (size_t)n >= cap || a == m * unit) {
        return;
    }
    uint64_t d = a > m * unit ? a - m * unit : m * unit - a;
    n += snprintf(out + n, cap - (size_t)n, "%c", a > m * unit ? '+' : '-');
    if (n > 0 && (size_t)n < cap) {
        (void)fmt_sum(out + n, cap - (size_t)n, d);
    }
}

static void print_map(uint64_t total, const accept_range *r, size_t n)
{
    printf("map %" PRIu64 " GiB:", total / GiB);
    for (size_t i = 0; i < n; i++) {
        char b[48], e[48];
        fmt_gpa(b, sizeof(b), r[i].base);
        fmt_gpa(e, sizeof(e), r[i].base + r[i].len);
        printf(" [%s, %s)", b, e);
    }
    printf("\n");
}

/* 2 MiB island blocks the split really meets: the block lies wholly inside a range. */
static uint64_t islands_in(const accept_range *r, size_t n, uint64_t every)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t end = r[i].base + r[i].len;
        for (uint64_t w = r[i].base / every * every; w < end; w += every) {
            uint64_t b = w + ISLAND_OFFSET;
            k += b >= r[i].base && b + M2 <= end ? 1u : 0u;
        }
    }
    return k;
}

/* ---- the model ---- */

typedef struct chunk {
    uint64_t start, end, cost;
} chunk;

typedef struct model {
    chunk *c; /* in the plan's hand-out order */
    size_t n;
    size_t *by_addr; /* indices of c sorted by address */
    uint64_t serial;
} model;

static const chunk *sort_base;

static int cmp_addr(const void *a, const void *b)
{
    uint64_t x = sort_base[*(const size_t *)a].start;
    uint64_t y = sort_base[*(const size_t *)b].start;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* The engine's chunks for this run, charged with the calls the engine made in each. */
static void build_model(model *m, const accept_range *map, size_t n, uint64_t chunk_size,
                        bool used_1g, const counter *c, uint64_t engine_chunks)
{
    accept_chunk_plan plan;
    if (accept_chunk_plan_init(&plan, map, n, ACCEPT_GPA_LIMIT, chunk_size, used_1g) != TDS_OK) {
        die("chunk plan failed");
    }
    memset(m, 0, sizeof(*m));
    m->c = xcalloc((size_t)plan.chunks, sizeof(*m->c));
    m->by_addr = xcalloc((size_t)plan.chunks, sizeof(*m->by_addr));
    accept_chunk_cursor cur;
    accept_chunk_cursor_init(&cur);
    for (uint64_t s = 0; s < plan.slots; s++) {
        accept_range r;
        if (accept_chunk_at(&plan, &cur, s, &r)) {
            m->c[m->n].start = r.base;
            m->c[m->n].end = r.base + r.len;
            m->by_addr[m->n] = m->n;
            m->n++;
        }
    }
    check(m->n == engine_chunks, "the engine processed the plan's chunks");
    sort_base = m->c;
    qsort(m->by_addr, m->n, sizeof(*m->by_addr), cmp_addr);
    size_t last = 0; /* one worker: the calls must visit the chunks in hand-out order */
    bool in_order = true;
    for (size_t i = 0; i < c->nrec; i++) {
        size_t lo = 0, hi = m->n;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->c[m->by_addr[mid]].start <= c->rec[i].gpa) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        chunk *ch = &m->c[m->by_addr[lo]];
        if (m->n == 0 || c->rec[i].gpa < ch->start || c->rec[i].gpa >= ch->end) {
            die("a call outside the engine's chunk plan");
        }
        ch->cost += c->rec[i].cost;
        in_order = in_order && m->by_addr[lo] >= last;
        last = m->by_addr[lo];
    }
    check(in_order, "the engine handed the chunks out in the plan's order");
    m->serial = c->serial_cost;
}

/* Min-heap of worker free times, ties to the lowest worker (deterministic list scheduling). */
typedef struct slot {
    uint64_t t;
    uint32_t w;
} slot;

static bool before(slot a, slot b)
{
    return a.t < b.t || (a.t == b.t && a.w < b.w);
}

static void sift_down(slot *h, uint32_t n, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(h[l], h[m])) {
            m = l;
        }
        if (r < n && before(h[r], h[m])) {
            m = r;
        }
        if (m == i) {
            return;
        }
        slot t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* Makespan: serial prefix, worker w ready after w wake-ups, chunks to the first free worker. */
static uint64_t model_time(const model *m, uint32_t n)
{
    slot *h = xcalloc(n, sizeof(*h));
    for (uint32_t w = 0; w < n; w++) {
        h[w].t = m->serial + (uint64_t)w * wake_ns; /* ascending: already a heap */
        h[w].w = w;
    }
    for (size_t k = 0; k < m->n; k++) {
        h[0].t += m->c[k].cost + COST_CHUNK_NS;
        sift_down(h, n, 0);
    }
    uint64_t t = 0;
    for (uint32_t w = 0; w < n; w++) {
        t = h[w].t > t ? h[w].t : t;
    }
    free(h);
    return t;
}

/* ---- the cases ---- */

typedef enum expect {
    EXPECT_MINIMUM, /* calls == accept_plan minimum */
    EXPECT_PROBE,   /* minimum + 1 refused probe if the map has a 1 GiB-aligned page */
    EXPECT_ISLANDS, /* minimum + 512 per island block */
} expect;

typedef struct module_case {
    const char *name;
    bool support_1g;
    accept_1g_mode mode;
    uint64_t island_every;
    expect want;
    bool speedups;
} module_case;

typedef struct options {
    bool quick;
    bool island_in_headline;
} options;

static void run_case(uint64_t total, const module_case *mc, const options *o)
{
    accept_range map[2];
    size_t n = make_map(total, map);
    accept_config cfg = accept_config_default();
    cfg.mode_1g = mc->mode;
    bool speedups = mc->speedups && (!o->quick || total == 64 * GiB);
    counter c;
    memset(&c, 0, sizeof(c));
    c.support_1g = mc->support_1g;
    c.island_every = mc->island_every;
    c.log = speedups;
    accept_ops ops = {counting_accept, &c, counting_parallel, &c};
    accept_ctx ctx;
    if (accept_init(&ctx, &cfg, &ops) != TDS_OK || accept_all(&ctx, map, n) != TDS_OK) {
        die("engine failed");
    }
    bool used_1g = accept_1g_state(&ctx) == ACCEPT_1G_SUPPORTED;
    accept_stats st;
    accept_get_stats(&ctx, &st);
    accept_plan_counts plan, plan1g;
    if (accept_plan(map, n, used_1g, &plan) != TDS_OK ||
        accept_plan(map, n, true, &plan1g) != TDS_OK) {
        die("plan failed");
    }
    uint64_t issued = c.calls[0] + c.calls[1] + c.calls[2];
    uint64_t probe = plan1g.pages[ACCEPT_LEVEL_1G] > 0 ? 1 : 0; /* a 1 GiB candidate exists */
    uint64_t islands = mc->island_every != 0 ? islands_in(map, n, mc->island_every) : 0;
    uint64_t want = plan.total;
    char why[96] = "= minimum";
    switch (mc->want) {
    case EXPECT_MINIMUM: break;
    case EXPECT_PROBE:
        want += probe;
        (void)snprintf(why, sizeof(why), "= minimum + %" PRIu64 " refused 1G probe", probe);
        break;
    case EXPECT_ISLANDS:
        want += 512 * islands;
        (void)snprintf(why, sizeof(why), "= minimum + 512 x %" PRIu64 " split blocks", islands);
        break;
    }
    printf("  %-40s calls %8" PRIu64 " (4K %7" PRIu64 ", 2M %6" PRIu64 ", 1G %4" PRIu64
           ")  minimum %7" PRIu64 "  %s  %s\n",
           mc->name, issued, c.calls[0], c.calls[1], c.calls[2], plan.total, why,
           issued == want ? "OK" : "MISMATCH");
    char msg[160];
    (void)snprintf(msg, sizeof(msg),
                   "%s on %" PRIu64 " GiB: calls %" PRIu64 " != expected %" PRIu64, mc->name,
                   total / GiB, issued, want);
    check(issued == want, msg);
    check(st.calls[0] + st.calls[1] + st.calls[2] == issued, "engine statistics = module calls");
    check(c.refused == (mc->want == EXPECT_PROBE ? probe : 0), "refused 1 GiB attempts");
    check(c.mismatches == islands, "size mismatches = island blocks");
    check(used_1g == (mc->support_1g && mc->mode == ACCEPT_1G_PROBE && probe == 1),
          "1 GiB pages used exactly when the module takes them and the map has one");

    if (speedups) {
        model m;
        build_model(&m, map, n, cfg.chunk_size, used_1g, &c, st.chunks);
        uint64_t t1 = model_time(&m, 1);
        printf("    chunks %zu of %" PRIu64 " MiB (the engine's plan); modelled 1 vCPU %.3f s\n",
               m.n,
               (uint64_t)((used_1g && cfg.chunk_size < ACCEPT_PAGE_1G ? ACCEPT_PAGE_1G
                                                                      : cfg.chunk_size) /
                          MiB),
               (double)t1 / 1e9);
        printf("    vCPUs    time(ms)   speedup  speedup/N   16-cap speedup\n");
        static const uint32_t ns[] = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        bool met = true;
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
            if (o->quick && ns[i] > 64) {
                break;
            }
            uint64_t t = model_time(&m, ns[i]);
            uint64_t tc = model_time(&m, ns[i] < 16 ? ns[i] : 16);
            double s = (double)t1 / (double)t;
            printf("    %5u  %10.2f  %8.2f  %9.3f  %14.2f\n", ns[i], (double)t / 1e6, s, s / ns[i],
                   (double)t1 / (double)tc);
            if (total == 64 * GiB && ns[i] <= 64 && s < 0.9 * ns[i]) {
                met = false;
            }
        }
        if (total == 64 * GiB) {
            printf("    target speedup >= 0.9 x N up to 64 vCPUs on 64 GiB: %s\n",
                   met ? "MET" : "NOT MET");
            check(met, "speedup >= 0.9 x N up to 64 vCPUs on 64 GiB");
        }
        free(m.c);
        free(m.by_addr);
    }
    free(c.rec);
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end = NULL;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0') {
        return false;
    }
    *out = (uint64_t)v;
    return true;
}

int main(int argc, char **argv)
{
    options o = {false, false};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            o.quick = true;
        } else if (strcmp(argv[i], "--island-in-headline") == 0) {
            o.island_in_headline = true;
        } else if (strncmp(argv[i], "--wake-ns=", 10) == 0 && parse_u64(argv[i] + 10, &wake_ns)) {
            continue;
        } else {
            printf("usage: bench_accept [--quick] [--wake-ns=NS] [--island-in-headline]\n");
            return 2;
        }
    }
    static const uint64_t sizes[] = {1 * GiB, 4 * GiB, 64 * GiB, 1024 * GiB};
    module_case mods[] = {
        {"shim: TDX 1.5, ACCEPT_1G_OFF", false, ACCEPT_1G_OFF, 0, EXPECT_MINIMUM, true},
        {"default: TDX 1.5, ACCEPT_1G_PROBE", false, ACCEPT_1G_PROBE, 0, EXPECT_PROBE, false},
        {"1G-capable module, ACCEPT_1G_PROBE", true, ACCEPT_1G_PROBE, 0, EXPECT_MINIMUM, false},
        {"TDX 1.5, 1G off, a 4K-mapped 2M per GiB", false, ACCEPT_1G_OFF, 1 * GiB, EXPECT_ISLANDS,
         false},
    };
    if (o.island_in_headline) {
        mods[0].island_every = 1 * GiB; /* still expected to be the minimum: must fail */
    }
    printf("bench_accept%s: cost model 4K=%" PRIu64 " ns, 2M=%" PRIu64 " ns, 1G=%" PRIu64
           " ns, refused=%" PRIu64 " ns, chunk take=%" PRIu64 " ns, AP wake=%" PRIu64 " ns\n",
           o.quick ? " --quick" : "", COST_4K_NS, COST_2M_NS, COST_1G_NS, COST_MISMATCH_NS,
           COST_CHUNK_NS, wake_ns);
    printf("headline: the shim's configuration (TDX 1.5 module, ACCEPT_1G_OFF, 2 MiB chunks) "
           "issues exactly the minimum.\n"
           "the library default ACCEPT_1G_PROBE asks a 1.5 module for one 1 GiB page once per "
           "context (refused, then 2 MiB): +1 call on maps that hold a 1 GiB-aligned page.\n");
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
        accept_range map[2];
        size_t n = make_map(sizes[s], map);
        print_map(sizes[s], map, n);
        for (size_t m = 0; m < sizeof(mods) / sizeof(mods[0]); m++) {
            run_case(sizes[s], &mods[m], &o);
        }
    }
    if (failures != 0) {
        printf("bench_accept: FAILED (%d checks)\n", failures);
        return 1;
    }
    printf("bench_accept: all checks passed\n");
    return 0;
}
