/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * bench_tdhob: the cost of validating the largest TD HOB a 128 KiB TD_HOB section holds (2729
 * resource descriptors, PHIT and END) and building its memory map, next to the O(n^2) rules it
 * replaces, measured side by side in one run.
 *
 * Not a timed test: the times are printed for information only (they depend on the host and the
 * build). What is checked is machine-independent: the number of key comparisons the library
 * makes (counted by a copy of libtdhob built with TDHOB_BENCH_COUNT, see tdhob_internal.h) must
 * stay within FACTOR * n * log2(n) (FACTOR = 40 unless --factor=F) for every case, and the
 * library's answer must equal the reference's (same map, or the same reported HOB). Any miss
 * makes the exit status 1.
 *
 * Cases (n = 2729: 2600 memory-space and 129 I/O-space ranges, non-overlapping):
 *   shuffled / ascending / descending list order, valid: tdhob_validate + tdhob_memory_map;
 *   shuffled with one overlap planted in the last resource: tdhob_validate only (the overlap
 *   search then needs every bisection step, its worst case).
 * Reference, per case: the list walked for its resources, every resource compared with every
 * earlier one (O(n^2), stops at the first overlap) and, for valid lists, the memory map by
 * repeated selection of the lowest start (O(n^2)), as libtdhob did before.
 *
 * Usage: bench_tdhob [--factor=F]
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ref_tdhob.h"
#include "tdshim/tdhob.h"

/* Counted by libtdhob's comparison sites when built with TDHOB_BENCH_COUNT. */
extern uint64_t tdhob_bench_comparisons;
uint64_t tdhob_bench_comparisons;

#define N BIG_MAX_RESOURCES
#define N_IO 129u
#define GPA 0x800000ull
#define SEED 0x7D5EEDull
#define MIN_NS 200000000ull /* time each side for at least 0.2 s */

static uint8_t g_buf[BIG_HOB_BYTES];
static tdhob_scratch_entry g_scratch[TDHOB_SCRATCH_ENTRIES(BIG_HOB_BYTES)];
static big_res g_res[N];
static ref_res g_ref[N];
static tdhob_mem_range g_map[N];
static ref_range g_want[N];
static int g_failures;

static uint64_t now_ns(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void fail_check(const char *what)
{
    printf("    CHECK FAILED: %s\n", what);
    g_failures++;
}

typedef struct side {
    uint64_t comparisons;     /* one run */
    uint64_t map_comparisons; /* of which the memory map */
    double ns_per_run;
    size_t map_count;
    tds_status status;
    tdhob_error err;
    size_t reported; /* reference: index of the reported resource, N when none */
} side;

/* One run of the library: validate the whole section, then (when valid) the memory map. */
static void run_new(side *out, bool with_map)
{
    const tdhob_config cfg = {GPA, false, 48, TDHOB_CONV_AUTO, g_scratch, TDS_ARRAY_LEN(g_scratch)};
    tdhob_view v;
    out->status = tdhob_validate(tds_bytes_make(g_buf, sizeof g_buf), &cfg, &v, &out->err);
    const uint64_t before_map = tdhob_bench_comparisons;
    out->map_count = 0;
    if (out->status == TDS_OK && with_map &&
        tdhob_memory_map(&v, g_map, TDS_ARRAY_LEN(g_map), &out->map_count) != TDS_OK) {
        fail_check("tdhob_memory_map on a valid view");
    }
    out->map_comparisons = tdhob_bench_comparisons - before_map;
}

/* One run of the reference: walk, O(n^2) overlap rule, O(n^2) memory map when valid. */
static void run_ref(side *out, bool with_map, uint64_t *comparisons)
{
    const size_t n = ref_resources(g_buf, sizeof g_buf, g_ref, N);
    out->reported = ref_first_overlap(g_ref, n, comparisons);
    const uint64_t before_map = *comparisons;
    out->map_count = 0;
    if (out->reported == n && with_map) {
        out->map_count = ref_merged(g_ref, n, TDHOB_CONV_CURRENT, 0, g_want, N, comparisons);
    }
    out->map_comparisons = *comparisons - before_map;
}

static void measure(const char *name, bool with_map, double budget)
{
    side nw;
    side rf;
    memset(&nw, 0, sizeof nw);
    memset(&rf, 0, sizeof rf);
    /* Comparisons: one counted run each. */
    tdhob_bench_comparisons = 0;
    run_new(&nw, with_map);
    nw.comparisons = tdhob_bench_comparisons;
    uint64_t ref_cmp = 0;
    run_ref(&rf, with_map, &ref_cmp);
    rf.comparisons = ref_cmp;
    /* Times: repeat each side for at least MIN_NS. */
    uint64_t runs = 0;
    uint64_t t0 = now_ns();
    uint64_t t1 = t0;
    side tmp;
    while (t1 - t0 < MIN_NS || runs < 3) {
        run_new(&tmp, with_map);
        runs++;
        t1 = now_ns();
    }
    nw.ns_per_run = (double)(t1 - t0) / (double)runs;
    runs = 0;
    t0 = now_ns();
    t1 = t0;
    while (t1 - t0 < MIN_NS || runs < 3) {
        uint64_t c = 0;
        run_ref(&tmp, with_map, &c);
        runs++;
        t1 = now_ns();
    }
    rf.ns_per_run = (double)(t1 - t0) / (double)runs;

    printf("  %-34s %9" PRIu64 " (map %6" PRIu64 ")  %9.1f us   %9" PRIu64 " (map %8" PRIu64
           ")  %9.1f us   x%.0f time, x%.0f comparisons\n",
           name, nw.comparisons, nw.map_comparisons, nw.ns_per_run / 1000.0, rf.comparisons,
           rf.map_comparisons, rf.ns_per_run / 1000.0, rf.ns_per_run / nw.ns_per_run,
           (double)rf.comparisons / (double)nw.comparisons);

    char what[200];
    if ((double)nw.comparisons > budget) {
        (void)snprintf(what, sizeof what, "%s: %" PRIu64 " comparisons > budget %.0f", name,
                       nw.comparisons, budget);
        fail_check(what);
    }
    /* Same answer as the reference. */
    if (rf.reported == N) {
        if (nw.status != TDS_OK) {
            (void)snprintf(what, sizeof what, "%s: refused (%s), the reference accepts it", name,
                           tdhob_reason_str(nw.err.reason));
            fail_check(what);
            return;
        }
        if (with_map) {
            bool same = nw.map_count == rf.map_count;
            for (size_t i = 0; same && i < nw.map_count; i++) {
                same = g_map[i].base == g_want[i].base && g_map[i].length == g_want[i].length &&
                       (uint32_t)g_map[i].kind == g_want[i].key;
            }
            if (!same) {
                (void)snprintf(what, sizeof what, "%s: memory map differs from the reference",
                               name);
                fail_check(what);
            }
        }
    } else if (nw.status != TDS_ERR_MALFORMED || nw.err.reason != TDHOB_R_RESOURCE_OVERLAP ||
               nw.err.hob_offset != g_ref[rf.reported].offset) {
        (void)snprintf(what, sizeof what, "%s: reported %s at %zu, the reference resource at %zu",
                       name, tdhob_reason_str(nw.err.reason), nw.err.hob_offset,
                       g_ref[rf.reported].offset);
        fail_check(what);
    }
}

static int cmp_start(const void *a, const void *b)
{
    const big_res *x = a;
    const big_res *y = b;
    const bool xio = x->type == 2 || x->type == 6;
    const bool yio = y->type == 2 || y->type == 6;
    if (xio != yio) {
        return xio ? 1 : -1;
    }
    return x->start < y->start ? -1 : x->start > y->start;
}

static void write_list(void)
{
    if (big_write(g_buf, sizeof g_buf, GPA, g_res, N) != 56u + 48u * N + 8u) {
        fail_check("the list does not fit 128 KiB");
    }
}

int main(int argc, char **argv)
{
    double factor = 40.0;
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "--factor=", 9) == 0) {
            factor = strtod(argv[i] + 9, NULL);
        } else {
            fprintf(stderr, "usage: %s [--factor=F]\n", argv[0]);
            return 2;
        }
    }
    const double nlogn = (double)N * log2((double)N);
    const double budget = factor * nlogn;
    printf("bench_tdhob: a %u-byte TD_HOB section, %u resource descriptors (%u memory, %u I/O), "
           "list %u bytes\n",
           BIG_HOB_BYTES, N, N - N_IO, N_IO, 56u + 48u * N + 8u);
    printf("  n log2 n = %.0f; budget %.0f x n log2 n = %.0f comparisons per case\n", nlogn, factor,
           budget);
    printf("  %-34s %-21s  %-12s   %-24s  %-12s   %s\n", "case", "libtdhob: comparisons",
           "time/run", "O(n^2) ref: comparisons", "time/run", "O(n^2) ref / libtdhob");

    big_make(g_res, N, N_IO, SEED);
    write_list();
    measure("shuffled, valid (+ memory map)", true, budget);

    qsort(g_res, N, sizeof g_res[0], cmp_start);
    write_list();
    measure("ascending, valid (+ memory map)", true, budget);

    for (size_t i = 0; i < N / 2u; i++) {
        const big_res t = g_res[i];
        g_res[i] = g_res[N - 1u - i];
        g_res[N - 1u - i] = t;
    }
    write_list();
    measure("descending, valid (+ memory map)", true, budget);

    big_make(g_res, N, N_IO, SEED);
    g_res[N - 1u] = g_res[0]; /* the last resource repeats the first one */
    if (g_res[0].type != 2 && g_res[0].type != 6) {
        g_res[N - 1u].length = 0x1000;
    }
    write_list();
    measure("shuffled, overlap in the last HOB", false, budget);

    if (g_failures != 0) {
        printf("bench_tdhob: FAILED (%d checks)\n", g_failures);
        return 1;
    }
    printf("bench_tdhob: ok (every case within %.0f x n log2 n comparisons, answers equal the "
           "reference's)\n",
           factor);
    return 0;
}
