/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Resource ranges in the caller's sort scratch: an in-place iterative heapsort and the overlap
 * search tdhob_validate runs on its result. No recursion, no extra storage, O(n log n) worst
 * case whatever the input order (a VMM chooses the order).
 */
#include "tdhob_internal.h"

static bool entry_io(const tdhob_scratch_entry *e)
{
    return tdhob_is_io_type(tdhob_tag_type(e->tag));
}

/* Strict order: memory space before I/O space, then start, then ordinal (unique). */
static bool entry_less(const tdhob_scratch_entry *a, const tdhob_scratch_entry *b)
{
    TDHOB_COUNT_COMPARISON();
    const bool aio = entry_io(a);
    const bool bio = entry_io(b);
    if (aio != bio) {
        return bio;
    }
    if (a->start != b->start) {
        return a->start < b->start;
    }
    return a->tag < b->tag;
}

static void entry_swap(tdhob_scratch_entry *a, tdhob_scratch_entry *b)
{
    const tdhob_scratch_entry t = *a;
    *a = *b;
    *b = t;
}

/* Restore the max-heap property of e[0..n) below `root`, whose subtrees are heaps. */
static void sift_down(tdhob_scratch_entry *e, size_t root, size_t n)
{
    /* root < n / 2 <=> root has a child; then 2 * root + 2 <= n, so nothing below overflows. */
    while (root < n / 2u) {
        size_t child = 2u * root + 1u;
        if (child + 1u < n && entry_less(&e[child], &e[child + 1u])) {
            child++;
        }
        if (!entry_less(&e[root], &e[child])) {
            return;
        }
        entry_swap(&e[root], &e[child]);
        root = child;
    }
}

void tdhob_sort_ranges(tdhob_scratch_entry *e, size_t n)
{
    if (e == NULL || n < 2u) {
        return;
    }
    for (size_t i = n / 2u; i > 0; i--) {
        sift_down(e, i - 1u, n);
    }
    for (size_t end = n - 1u; end > 0; end--) {
        entry_swap(&e[0], &e[end]);
        sift_down(e, 0, end);
    }
}

/*
 * Do resources 0..k (list order) hold two overlapping ranges of the same space? One pass over the
 * sorted entries, skipping ordinals above k: within a space, sorted by start, some range overlaps
 * an earlier one exactly when it starts below the largest end seen so far in that space.
 */
static bool overlap_upto(const tdhob_scratch_entry *e, size_t n, uint64_t k)
{
    bool have = false;
    bool have_io = false;
    uint64_t max_end = 0;
    for (size_t i = 0; i < n; i++) {
        if (tdhob_tag_ordinal(e[i].tag) > k) {
            continue;
        }
        const bool io = entry_io(&e[i]);
        if (have && io == have_io) {
            TDHOB_COUNT_COMPARISON();
            if (e[i].start < max_end) {
                return true;
            }
            if (e[i].end > max_end) {
                max_end = e[i].end;
            }
            continue;
        }
        have = true; /* first range of this space (memory space comes first) */
        have_io = io;
        max_end = e[i].end;
    }
    return false;
}

bool tdhob_first_overlap(const tdhob_scratch_entry *e, size_t n, uint64_t *ordinal)
{
    if (e == NULL || n < 2u || ordinal == NULL) {
        return false;
    }
    /* overlap_upto(k) is monotone in k; the answer is the smallest k where it holds, i.e. the
     * minimum over overlapping pairs of the later one's ordinal. Ordinals run 0..n-1. */
    uint64_t hi = (uint64_t)n - 1u;
    if (!overlap_upto(e, n, hi)) {
        return false;
    }
    uint64_t lo = 0;
    while (lo < hi) {
        const uint64_t mid = lo + (hi - lo) / 2u;
        if (overlap_upto(e, n, mid)) {
            hi = mid;
        } else {
            lo = mid + 1u;
        }
    }
    *ordinal = lo;
    return true;
}
