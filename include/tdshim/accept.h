/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libaccept: the page-accept engine. Contract: docs/libaccept.md.
 *
 * Accepts private memory with TDG.MEM.PAGE.ACCEPT (the Intel TDX Module ABI specification, the
 * leaf's register interface) through an accept op the caller supplies, largest page size first, in
 * parallel on as many workers as the caller's parallel-run op provides (no cap). The library never
 * talks to the TDX module itself and does not depend on libtdcall; the real accept op over
 * libtdcall is the separate adapter library accept_tdcall (tdshim/accept_tdcall.h).
 *
 * Ownership: every structure here is caller-owned storage. The engine keeps no pointer into the
 * caller's range array after a call returns. One accept_ctx runs one call at a time (the engine
 * itself spreads that call across workers); concurrent calls on one context are not allowed.
 */
#ifndef TDSHIM_ACCEPT_H
#define TDSHIM_ACCEPT_H

/*
 * Thread safety: see Ownership above: one call at a time per accept_ctx (the engine itself runs
 * that call on the caller's workers); different contexts may run concurrently. accept_plan,
 * accept_check_map, accept_config_default and the chunk-plan functions read only their arguments
 * and may run from any thread. accept_get_stats / accept_last_error / accept_1g_state read the
 * context: call them between runs.
 */

#include "tdshim/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library interface version; bumped on any incompatible change (2: the raw-status decoder
 * accept_result_from_tdx_status is gone; the real accept op is accept_tdcall.h's adapter). */
#define ACCEPT_API_VERSION 2u

uint32_t accept_api_version(void);

#define ACCEPT_PAGE_4K 0x1000ull
#define ACCEPT_PAGE_2M 0x200000ull
#define ACCEPT_PAGE_1G 0x40000000ull
/* RCX bits 51:12 carry the page frame (§1.3): every accepted byte lies below 2^52. */
#define ACCEPT_GPA_LIMIT (1ull << 52)
/*
 * Default work-sharing chunk: 2 MiB. Taking a chunk is one atomic add (~0.1-1 us) against a
 * ~200 us 2 MiB accept, so small chunks cost nothing and balance best (bench_accept; td-shim and
 * OVMF hand out fixed 32 MiB chunks round-robin, td-shim td-shim/src/bin/td-shim/memory.rs).
 */
#define ACCEPT_DEFAULT_CHUNK (2ull << 20)
/* Default bounded retries after OPERAND_BUSY (td-shim retries 5 times, EDK2 3; §10.3). */
#define ACCEPT_DEFAULT_BUSY_RETRIES 5u

/* TDG.MEM.PAGE.ACCEPT level in RCX bits 2:0 (§1.3). */
typedef enum accept_level {
    ACCEPT_LEVEL_4K = 0,
    ACCEPT_LEVEL_2M = 1,
    ACCEPT_LEVEL_1G = 2,
} accept_level;
#define ACCEPT_LEVEL_COUNT 3

/*
 * What one accept op call reported, already decoded by the caller (safe-C rule 2, docs/safe-c.md):
 * libaccept reads no TDX status bits. The TDCALL op (accept_tdcall.h) maps libtdcall's decoded
 * status, the one decoder of RAX, to these.
 */
typedef enum accept_outcome {
    ACCEPT_OUTCOME_OK = 0,           /* accepted now (zeroed by the module) */
    ACCEPT_OUTCOME_ALREADY_ACCEPTED, /* TDX_PAGE_ALREADY_ACCEPTED warning */
    ACCEPT_OUTCOME_SIZE_MISMATCH,    /* TDX_PAGE_SIZE_MISMATCH: mapped smaller than requested */
    ACCEPT_OUTCOME_BUSY,             /* TDX_OPERAND_BUSY, TLB-epoch or SYS busy: retry */
    ACCEPT_OUTCOME_ERROR,            /* anything else; raw carries the module RAX */
} accept_outcome;

typedef struct accept_result {
    accept_outcome outcome;
    uint64_t raw; /* the raw completion status (RAX) for diagnostics; 0 when not known */
} accept_result;

/*
 * The accept op: accept the page of size `level` at `gpa` (aligned to that size, below
 * ACCEPT_GPA_LIMIT). It MUST be safe to call from every worker at once. It MUST NOT retry BUSY
 * itself (the engine bounds the retries) and MUST report what the module said.
 */
typedef accept_result (*accept_page_fn)(void *ctx, uint64_t gpa, accept_level level);

/* A worker body handed to the parallel op. */
typedef void (*accept_worker_fn)(void *arg);

/*
 * The parallel-run op: run worker(arg) on each of the caller's workers (the calling vCPU may be
 * one of them) and return only after every started worker has returned. Any number of workers,
 * including one, is correct. It MUST give the workers a happens-before edge from the call and to
 * the return (thread create/join, mailbox release/acquire). On failure it returns a non-OK
 * status; the engine then finishes the remaining work on the calling thread.
 */
typedef tds_status (*accept_parallel_fn)(void *ctx, accept_worker_fn worker, void *arg);

typedef struct accept_ops {
    accept_page_fn accept;       /* required */
    void *accept_ctx;            /* passed to accept */
    accept_parallel_fn parallel; /* optional: NULL = run on the calling thread only */
    void *parallel_ctx;          /* passed to parallel */
} accept_ops;

/* 1 GiB policy. The 1.5 module refuses level 2 with OPERAND_INVALID (§1.3). */
typedef enum accept_1g_mode {
    ACCEPT_1G_OFF = 0, /* never try 1 GiB (module known not to support it): fewest calls */
    ACCEPT_1G_PROBE,   /* try once per context; a refusal turns 1 GiB off for good */
} accept_1g_mode;

typedef struct accept_config {
    uint64_t chunk_size;   /* work-sharing unit: power of two >= 2 MiB (1 GiB is used if larger
                              pages are in play and chunk_size is smaller) */
    uint32_t busy_retries; /* retries after a BUSY answer before failing with TDS_ERR_BUSY */
    accept_1g_mode mode_1g;
} accept_config;

/* Defaults: 2 MiB chunks, 5 busy retries, 1 GiB probed. */
accept_config accept_config_default(void);

/* One range of guest-physical memory. */
typedef struct accept_range {
    uint64_t base;
    uint64_t len;
} accept_range;

/* Counters, cumulative over the context's life (reset by accept_init). */
typedef struct accept_stats {
    uint64_t calls[ACCEPT_LEVEL_COUNT];      /* accept op calls per level, retries included */
    uint64_t accepted[ACCEPT_LEVEL_COUNT];   /* OK answers per level */
    uint64_t already[ACCEPT_LEVEL_COUNT];    /* ALREADY_ACCEPTED answers per level */
    uint64_t mismatches[ACCEPT_LEVEL_COUNT]; /* SIZE_MISMATCH answers per level (page split) */
    uint64_t busy_retries;                   /* BUSY answers that were retried */
    uint64_t refused_1g;                     /* 1 GiB attempts the module refused */
    uint64_t bytes_accepted;                 /* bytes the module accepted (and zeroed) for us */
    uint64_t bytes_already;                  /* bytes found already accepted */
    uint64_t chunks;                         /* work chunks processed */
    uint64_t parallel_failures;              /* parallel op failures (work drained locally) */
} accept_stats;

/* Where and why the engine stopped. */
typedef struct accept_error {
    tds_status status;      /* TDS_ERR_DEVICE (module error), TDS_ERR_BUSY (retries spent) */
    accept_outcome outcome; /* the answer that stopped the engine */
    accept_level level;     /* the page size that was being accepted */
    uint64_t gpa;           /* the page that failed: the lowest failing GPA of the run */
    uint64_t raw;           /* the module's raw status, as reported by the accept op */
} accept_error;

/* 1 GiB knowledge kept across runs of one context. */
enum {
    ACCEPT_1G_UNKNOWN = 0,
    ACCEPT_1G_SUPPORTED = 1,
    ACCEPT_1G_UNSUPPORTED = 2,
};

/*
 * The engine's chunk plan: how one run cuts the map into work chunks and in which order it hands
 * them out (docs/libaccept.md, "Work sharing"). A pure function of the map, the cut, the chunk
 * size and whether 1 GiB pages are in use; the engine builds every run from it and takes slots in
 * index order, so a model built on it (bench_accept) is the engine's own plan.
 *
 * A chunk is one map range ∩ one chunk-aligned window, clipped to [0, cut). Slots
 * [0, edge_slots): slot 2i is the first and slot 2i+1 the last chunk of range i (2i+1 is empty for
 * a one-chunk range; both are empty for a range entirely at or above the cut). Slots
 * [edge_slots, slots): the interior chunks of all ranges, in address order.
 */
typedef struct accept_chunk_plan {
    const accept_range *ranges; /* the caller's map (not copied; MUST outlive the plan's use) */
    size_t nranges;
    uint64_t cut;         /* only [0, cut) of the map is in the plan */
    uint32_t chunk_shift; /* log2 of the chunk size in use */
    uint64_t edge_slots;  /* 2 per range */
    uint64_t slots;       /* edge slots + interior chunks */
    uint64_t chunks;      /* non-empty slots: the chunks of the run */
} accept_chunk_plan;

/* A reader's position among the interior slots (one per worker; zero it with _cursor_init). */
typedef struct accept_chunk_cursor {
    size_t range;   /* range holding the interior chunks from `first` on */
    uint64_t first; /* interior index of that range's first interior chunk */
} accept_chunk_cursor;

/*
 * Build the plan the engine uses for accept_all (cut = ACCEPT_GPA_LIMIT) or for the part of the
 * map below a cut (accept_up_to). chunk_size as in accept_config; use_1g: the run uses 1 GiB
 * pages (then chunks are at least 1 GiB). Errors: as accept_check_map, TDS_ERR_INVALID_ARG on a
 * NULL plan, a chunk size accept_init refuses or a cut above ACCEPT_GPA_LIMIT, TDS_ERR_ALIGNMENT
 * on a cut that is not 4 KiB aligned. The plan keeps a pointer to ranges.
 */
TDS_MUST_USE tds_status accept_chunk_plan_init(accept_chunk_plan *plan, const accept_range *ranges,
                                               size_t n, uint64_t cut, uint64_t chunk_size,
                                               bool use_1g);

void accept_chunk_cursor_init(accept_chunk_cursor *cur);

/*
 * Slot `slot` of the plan: true with *out = that chunk, false for an empty slot or slot >= slots.
 * Any order works; increasing slots per cursor (what each worker asks) cost O(1) amortised.
 */
bool accept_chunk_at(const accept_chunk_plan *plan, accept_chunk_cursor *cur, uint64_t slot,
                     accept_range *out);

/*
 * State shared by the workers during one run. Private: callers MUST NOT touch it. Lives inside
 * the caller-owned context so the engine needs no allocation and has no cap on workers. It holds
 * no pointer into the context itself (the workers get the context), so a context may be copied
 * between runs.
 */
typedef struct accept_run {
    accept_chunk_plan plan; /* the chunks of this run and their hand-out order */
    bool use_1g;
    uint64_t skip_1g_gpa; /* 1 GiB page already handled by the probe (UINT64_MAX: none) */
    uint64_t cursor;      /* atomic: next plan slot to hand out */
    uint64_t err_gpa;     /* atomic: lowest failing GPA so far (UINT64_MAX: none) */
    uint8_t err_lock;     /* atomic flag guarding err (failure path only) */
    accept_error err;     /* detail of the error at err_gpa */
} accept_run;

/* The engine context: caller-owned, reset fully by accept_init. Fields are private. */
typedef struct accept_ctx {
    uint32_t magic;
    uint32_t state_1g; /* ACCEPT_1G_* */
    accept_config cfg;
    accept_ops ops;
    tds_status sticky;  /* first failure; sticks until accept_init (safe-C rule 11) */
    accept_error last;  /* detail of the sticky failure */
    accept_stats stats; /* updated with atomics by the workers */
    accept_run run;
} accept_ctx;

/*
 * Reset ctx and bind it to a configuration and ops (both copied). cfg NULL = defaults.
 * Fails with TDS_ERR_INVALID_ARG on NULL ctx/ops/accept op, a chunk size that is not a power of
 * two >= 2 MiB, or an unknown 1 GiB mode.
 */
TDS_MUST_USE tds_status accept_init(accept_ctx *ctx, const accept_config *cfg,
                                    const accept_ops *ops);

/*
 * Check a memory map: each range non-empty, base and length 4 KiB aligned (TDS_ERR_ALIGNMENT),
 * no wrap (TDS_ERR_OVERFLOW), below ACCEPT_GPA_LIMIT (TDS_ERR_OUT_OF_BOUNDS), sorted by address
 * and not overlapping (TDS_ERR_INVALID_ARG; adjacent ranges are fine). n == 0 is a valid map.
 */
TDS_MUST_USE tds_status accept_check_map(const accept_range *ranges, size_t n);

/*
 * Policy "accept everything": accept every byte of the map. On success every page of the map is
 * accepted.
 *
 * Failure: a failing page (TDS_ERR_DEVICE, or TDS_ERR_BUSY when the retries are spent) stops
 * only the work chunk it is in (accept_chunk_plan): that page and the rest of its chunk are left
 * as they were; every other chunk is still accepted to its end. The run then fails with the
 * status of the failing page with the lowest GPA, which accept_last_error names; every page of
 * the map below it is accepted. A re-run is safe (already-accepted pages are skipped).
 *
 * Determinism: if the module's answer to each call depends only on the GPA, the level and the
 * pages that call covers (their state, and how often they were asked before), the result, the
 * reported error, the final state and contents of every page, the calls made and every statistic
 * but parallel_failures depend only on the map, the configuration and those answers: never on
 * the number of workers or on timing, on success and on failure. What remains timing dependent
 * is what the module makes so: an answer that depends on call order or time (BUSY on the Nth
 * call of the run, BUSY from contention with the host or other vCPUs) lands on whichever page is
 * being asked at that moment, and so decides which pages fail, the error and the counts. Which
 * worker accepts which chunk, and the order of the calls, always depend on timing.
 */
TDS_MUST_USE tds_status accept_all(accept_ctx *ctx, const accept_range *ranges, size_t n);

/* Limits for accept_up_to; ACCEPT_NO_LIMIT disables one. Both MUST be 4 KiB multiples. */
#define ACCEPT_NO_LIMIT UINT64_MAX
typedef struct accept_limit {
    uint64_t max_bytes; /* accept at most the first max_bytes of the map (address order) */
    uint64_t below_gpa; /* accept only memory below this address */
} accept_limit;

/*
 * Policy "accept up to a limit": accept the part of the map inside both limits and write the
 * rest, still unaccepted, to rest[0..*rest_count) (sorted, 4 KiB aligned; a range cut by the
 * limit is split at the cut). Capacity is checked before anything is accepted: TDS_ERR_NO_SPACE
 * if rest_cap is too small (nothing done). Outputs are written only on success.
 */
TDS_MUST_USE tds_status accept_up_to(accept_ctx *ctx, const accept_range *ranges, size_t n,
                                     const accept_limit *limit, accept_range *rest, size_t rest_cap,
                                     size_t *rest_count);

/* Page counts of the largest-page-first split of a map: the minimum number of accept calls. */
typedef struct accept_plan_counts {
    uint64_t pages[ACCEPT_LEVEL_COUNT];
    uint64_t total;
    uint64_t bytes;
} accept_plan_counts;

/*
 * The minimum calls to accept a (checked) map when nothing is mapped smaller than the split and
 * nothing is accepted yet; use_1g says whether the module takes 1 GiB pages.
 */
TDS_MUST_USE tds_status accept_plan(const accept_range *ranges, size_t n, bool use_1g,
                                    accept_plan_counts *out);

/* Copy the statistics (call after a run, not during one). */
void accept_get_stats(const accept_ctx *ctx, accept_stats *out);

/* Detail of the sticky failure. TDS_ERR_NOT_FOUND if the context has not failed. */
TDS_MUST_USE tds_status accept_last_error(const accept_ctx *ctx, accept_error *out);

/* ACCEPT_1G_UNKNOWN / _SUPPORTED / _UNSUPPORTED: what the context learnt about 1 GiB pages. */
uint32_t accept_1g_state(const accept_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
