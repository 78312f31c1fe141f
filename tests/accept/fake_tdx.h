/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test fake of TDG.MEM.PAGE.ACCEPT over a window of guest-physical memory: per-4K state,
 * the VMM's mapping level per 2 MiB block, optional real page contents, fault injection keyed
 * by GPA (so results never depend on call order), and counters. Thread-safe (atomics only, no
 * lock that would hide races in the engine from ThreadSanitizer).
 */
#ifndef TESTS_ACCEPT_FAKE_TDX_H
#define TESTS_ACCEPT_FAKE_TDX_H

#include <stdbool.h>
#include <stdint.h>

#include "tdshim/accept.h"

enum { FAKE_PENDING = 0, FAKE_ACCEPTED = 1 };

#define FAKE_MAX_FAULTS 16
#define FAKE_GARBAGE 0xA5u

/*
 * Raw statuses the fake puts in its answers (Intel TDX Module ABI specification, completion status
 * codes; low bits = level as the module reports). The fake answers accept_result values directly:
 * the raw is diagnostic payload only, nothing in libaccept decodes it.
 */
#define RAW_ALREADY(l) (0x00000B0A00000000ull | (uint64_t)(l))
#define RAW_MISMATCH(l) (0xC0000B0B00000000ull | (uint64_t)(l))
#define RAW_BUSY 0x8000020000000001ull
#define RAW_OPERAND_INVALID_RCX 0xC000010000000001ull
#define RAW_EPT_WALK_FAILED 0xC0000B0000000000ull

typedef struct fake_fault {
    uint64_t gpa;
    int level;        /* -1: any level */
    uint32_t busy;    /* answer BUSY this many times at gpa (atomic countdown) */
    uint64_t err_raw; /* if non-zero: answer this raw status at gpa (after busy), as `outcome`
                         if that is >= 0, else as ACCEPT_OUTCOME_ERROR */
    int outcome;      /* if >= 0: answer this outcome (may be out of range), raw = err_raw */
} fake_fault;

typedef struct fake_tdx {
    uint64_t base;   /* window base, 2 MiB aligned */
    uint64_t npages; /* 4K pages in the window */
    uint8_t *state;  /* per 4K page: FAKE_PENDING / FAKE_ACCEPTED */
    uint8_t *zeroed; /* per 4K page: times the module zeroed it */
    uint8_t *map4k;  /* per 2M block: 1 = VMM maps it with 4K leaves */
    uint8_t *mem;    /* page contents, or NULL when the window is too large */
    bool support_1g; /* false: level 2 -> OPERAND_INVALID like the 1.5 module */
    fake_fault faults[FAKE_MAX_FAULTS];
    uint32_t nfaults;
    /* counters (atomic) */
    uint64_t calls[ACCEPT_LEVEL_COUNT];
    uint64_t outside; /* calls touching memory outside the window */
    uint64_t bad;     /* calls the module would refuse as malformed (misaligned) */
} fake_tdx;

/* with_mem: keep real page contents (garbage until accepted). */
void fake_init(fake_tdx *f, uint64_t base, uint64_t bytes, bool with_mem);
/* Back to the state fake_init left (same window, no reallocation: cheap for repeated runs). */
void fake_reset(fake_tdx *f);
void fake_free(fake_tdx *f);
/* VMM maps [gpa, gpa+len) with 4K leaves (whole 2 MiB blocks). */
void fake_map_4k(fake_tdx *f, uint64_t gpa, uint64_t len);
/* Mark [gpa, gpa+len) already accepted; contents set to `fill`. */
void fake_preaccept(fake_tdx *f, uint64_t gpa, uint64_t len, uint8_t fill);
void fake_add_fault(fake_tdx *f, fake_fault fault);

accept_result fake_accept(void *ctx, uint64_t gpa, accept_level level);

uint64_t fake_page_index(const fake_tdx *f, uint64_t gpa);
/* Pages of [gpa, gpa+len) all accepted exactly once and reading zero. */
bool fake_range_accepted_once(const fake_tdx *f, uint64_t gpa, uint64_t len);
/* Number of accepted pages in the window. */
uint64_t fake_accepted_pages(const fake_tdx *f);
uint64_t fake_total_calls(const fake_tdx *f);

/* The real-thread parallel op for host tests: runs the worker on n pthreads and joins. */
typedef struct thread_pool {
    uint32_t n;
    bool fail_to_start; /* simulate a dispatch failure: start nothing, return TDS_ERR_STATE */
    uint32_t runs;
} thread_pool;
tds_status threads_parallel(void *ctx, accept_worker_fn worker, void *arg);

#endif
