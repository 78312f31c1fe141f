/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test-only reference implementations, written without the library: the O(n^2) overlap rule
 * ("no overlap with an earlier resource of the same space", checked for each resource in list
 * order against every earlier one, as libtdhob did before the sort) and the O(n^2) memory map
 * (repeatedly select the lowest start above the previous one, merge adjacent ranges of one kind).
 * They read the HOB bytes with their own little-endian loads, and a generator of large shuffled
 * resource lists. Used by test_tdhob_overlap, test_tdhob_differential, the fuzzer and the bench.
 */
#ifndef TESTS_TDHOB_REF_TDHOB_H
#define TESTS_TDHOB_REF_TDHOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/tdhob.h"

/* One resource descriptor as read from the bytes. */
typedef struct ref_res {
    size_t offset; /* of its header */
    uint32_t type;
    uint64_t start;
    uint64_t length;
} ref_res;

/* Resource descriptors of a well-formed list, in list order, up to END or the first header that
 * does not fit (no other check). Returns how many there are; fills out[0 .. min(n, cap)). */
size_t ref_resources(const uint8_t *buf, size_t len, ref_res *out, size_t cap);

/* The O(n^2) rule over res[0..n): index of the first resource that overlaps an earlier one of
 * the same space (I/O = types 2 and 6), or n when none does. *comparisons (may be NULL) counts
 * the pairs compared. */
size_t ref_first_overlap(const ref_res *res, size_t n, uint64_t *comparisons);

/* Kind of a memory-space resource type under a convention; false for I/O (2, 6) and type > 7. */
bool ref_classify(tdhob_convention conv, uint32_t type, tdhob_mem_kind *kind);

/* O(n^2) merged walk by selection. e820_unaccepted == 0: the memory map (kinds); otherwise the
 * E820 form (1 / e820_unaccepted / 2, MMIO omitted and breaking adjacency). Writes out[i] for
 * i < cap (base, length, and the kind or E820 type in `key`); returns the number of ranges.
 * *comparisons (may be NULL) counts the start comparisons. */
typedef struct ref_range {
    uint64_t base;
    uint64_t length;
    uint32_t key;
} ref_range;
size_t ref_merged(const ref_res *res, size_t n, tdhob_convention conv, uint32_t e820_unaccepted,
                  ref_range *out, size_t cap, uint64_t *comparisons);

/* RAM summary by summing (any order). */
void ref_ram_summary(const ref_res *res, size_t n, tdhob_convention conv, tdhob_ram_summary *out);

/* ---- large lists ---- */
typedef struct big_res {
    uint32_t type;
    uint64_t start;
    uint64_t length;
} big_res;

/* Deterministic xorshift64* generator. */
uint64_t ref_rand(uint64_t *state);

/*
 * n resources, the last n_io of them (before shuffling) in I/O space, non-overlapping within
 * each space, laid out in address order with random 4 KiB-multiple lengths and gaps (some zero,
 * so neighbours touch), random memory types including 7; then shuffled into list order with
 * `seed`. res[i] is the i-th in list order. n - n_io memory ranges stay below 4 GiB * 4.
 */
void big_make(big_res *res, size_t n, size_t n_io, uint64_t seed);

/* PHIT + res[0..n) + END at `gpa` into buf (zeroed first, cap bytes); returns the list length,
 * 0 when it does not fit. Resource i is at offset 56 + 48 * i. */
size_t big_write(uint8_t *buf, size_t cap, uint64_t gpa, const big_res *res, size_t n);

/* Offset of the i-th resource written by big_write. */
static inline size_t big_offset(size_t i)
{
    return 56u + 48u * i;
}

/* The largest number of resources a 128 KiB TD_HOB holds: TDHOB_SCRATCH_ENTRIES(0x20000). */
#define BIG_HOB_BYTES 0x20000u
#define BIG_MAX_RESOURCES 2729u

#endif
