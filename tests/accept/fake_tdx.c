/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "fake_tdx.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PAGES_PER_2M 512u

static void *xcalloc(size_t n)
{
    void *p = calloc(n == 0 ? 1 : n, 1);
    if (p == NULL) {
        abort();
    }
    return p;
}

void fake_init(fake_tdx *f, uint64_t base, uint64_t bytes, bool with_mem)
{
    memset(f, 0, sizeof(*f));
    f->base = base;
    f->npages = bytes / ACCEPT_PAGE_4K;
    f->state = xcalloc((size_t)f->npages);
    f->zeroed = xcalloc((size_t)f->npages);
    f->map4k = xcalloc((size_t)(f->npages / PAGES_PER_2M + 1));
    if (with_mem) {
        f->mem = malloc((size_t)bytes);
        if (f->mem == NULL) {
            abort();
        }
        memset(f->mem, FAKE_GARBAGE, (size_t)bytes);
    }
}

void fake_reset(fake_tdx *f)
{
    memset(f->state, 0, (size_t)f->npages);
    memset(f->zeroed, 0, (size_t)f->npages);
    memset(f->map4k, 0, (size_t)(f->npages / PAGES_PER_2M + 1));
    if (f->mem != NULL) {
        memset(f->mem, FAKE_GARBAGE, (size_t)(f->npages * ACCEPT_PAGE_4K));
    }
    memset(f->faults, 0, sizeof(f->faults));
    f->nfaults = 0;
    f->support_1g = false;
    memset(f->calls, 0, sizeof(f->calls));
    f->outside = 0;
    f->bad = 0;
}

void fake_free(fake_tdx *f)
{
    free(f->state);
    free(f->zeroed);
    free(f->map4k);
    free(f->mem);
    memset(f, 0, sizeof(*f));
}

uint64_t fake_page_index(const fake_tdx *f, uint64_t gpa)
{
    return (gpa - f->base) / ACCEPT_PAGE_4K;
}

void fake_map_4k(fake_tdx *f, uint64_t gpa, uint64_t len)
{
    for (uint64_t a = gpa & ~(ACCEPT_PAGE_2M - 1); a < gpa + len; a += ACCEPT_PAGE_2M) {
        f->map4k[fake_page_index(f, a) / PAGES_PER_2M] = 1;
    }
}

void fake_preaccept(fake_tdx *f, uint64_t gpa, uint64_t len, uint8_t fill)
{
    for (uint64_t a = gpa; a < gpa + len; a += ACCEPT_PAGE_4K) {
        uint64_t i = fake_page_index(f, a);
        f->state[i] = FAKE_ACCEPTED;
        if (f->mem != NULL) {
            memset(f->mem + i * ACCEPT_PAGE_4K, fill, ACCEPT_PAGE_4K);
        }
    }
}

void fake_add_fault(fake_tdx *f, fake_fault fault)
{
    if (f->nfaults >= FAKE_MAX_FAULTS) {
        abort();
    }
    f->faults[f->nfaults++] = fault;
}

static accept_result res(accept_outcome o, uint64_t raw)
{
    accept_result r;
    r.outcome = o;
    r.raw = raw;
    return r;
}

/* Zero page i (the module's accept) and mark it accepted. Caller owns page i exclusively. */
static void accept_page(fake_tdx *f, uint64_t i)
{
    if (f->mem != NULL) {
        memset(f->mem + i * ACCEPT_PAGE_4K, 0, ACCEPT_PAGE_4K);
    }
    __atomic_fetch_add(&f->zeroed[i], 1, __ATOMIC_RELAXED);
    __atomic_store_n(&f->state[i], FAKE_ACCEPTED, __ATOMIC_RELAXED);
}

static bool fault_hit(fake_tdx *f, uint64_t gpa, accept_level level, accept_result *out)
{
    for (uint32_t k = 0; k < f->nfaults; k++) {
        fake_fault *ft = &f->faults[k];
        if (ft->gpa != gpa || (ft->level >= 0 && ft->level != (int)level)) {
            continue;
        }
        uint32_t left = __atomic_load_n(&ft->busy, __ATOMIC_RELAXED);
        while (left > 0) {
            if (__atomic_compare_exchange_n(&ft->busy, &left, left - 1, false, __ATOMIC_RELAXED,
                                            __ATOMIC_RELAXED)) {
                *out = res(ACCEPT_OUTCOME_BUSY, RAW_BUSY);
                return true;
            }
        }
        if (ft->outcome >= 0 || ft->err_raw != 0) {
            *out = res(ft->outcome >= 0 ? (accept_outcome)ft->outcome : ACCEPT_OUTCOME_ERROR,
                       ft->err_raw);
            return true;
        }
    }
    return false;
}

accept_result fake_accept(void *ctx, uint64_t gpa, accept_level level)
{
    fake_tdx *f = ctx;
    if ((unsigned)level >= ACCEPT_LEVEL_COUNT) {
        __atomic_fetch_add(&f->bad, 1, __ATOMIC_RELAXED);
        return res(ACCEPT_OUTCOME_ERROR, RAW_OPERAND_INVALID_RCX);
    }
    __atomic_fetch_add(&f->calls[level], 1, __ATOMIC_RELAXED);
    uint64_t size = level == ACCEPT_LEVEL_4K   ? ACCEPT_PAGE_4K
                    : level == ACCEPT_LEVEL_2M ? ACCEPT_PAGE_2M
                                               : ACCEPT_PAGE_1G;
    if ((gpa & (size - 1)) != 0) {
        __atomic_fetch_add(&f->bad, 1, __ATOMIC_RELAXED);
        return res(ACCEPT_OUTCOME_ERROR, RAW_OPERAND_INVALID_RCX);
    }
    if (level == ACCEPT_LEVEL_1G && !f->support_1g) {
        return res(ACCEPT_OUTCOME_ERROR, RAW_OPERAND_INVALID_RCX); /* the 1.5 module, §1.3 */
    }
    if (gpa < f->base || gpa - f->base + size > f->npages * ACCEPT_PAGE_4K) {
        __atomic_fetch_add(&f->outside, 1, __ATOMIC_RELAXED);
        return res(ACCEPT_OUTCOME_ERROR, RAW_EPT_WALK_FAILED);
    }
    accept_result fr;
    if (fault_hit(f, gpa, level, &fr)) {
        return fr;
    }
    uint64_t i0 = fake_page_index(f, gpa);
    uint64_t n = size / ACCEPT_PAGE_4K;
    if (level == ACCEPT_LEVEL_4K) {
        /* A 4K accept in a 2M-mapped block: the VMM demotes it on the EPT exit (§1.3). */
        __atomic_store_n(&f->map4k[i0 / PAGES_PER_2M], 1, __ATOMIC_RELAXED);
        if (__atomic_load_n(&f->state[i0], __ATOMIC_RELAXED) == FAKE_ACCEPTED) {
            return res(ACCEPT_OUTCOME_ALREADY_ACCEPTED, RAW_ALREADY(0));
        }
        accept_page(f, i0);
        return res(ACCEPT_OUTCOME_OK, 0);
    }
    /* 2M / 1G: every 2M block must be a 2M leaf, and all blocks in one state. */
    uint64_t accepted = 0;
    for (uint64_t b = i0; b < i0 + n; b += PAGES_PER_2M) {
        if (__atomic_load_n(&f->map4k[b / PAGES_PER_2M], __ATOMIC_RELAXED) != 0) {
            return res(ACCEPT_OUTCOME_SIZE_MISMATCH, RAW_MISMATCH(level));
        }
        accepted += __atomic_load_n(&f->state[b], __ATOMIC_RELAXED) == FAKE_ACCEPTED ? 1u : 0u;
    }
    if (accepted == n / PAGES_PER_2M) {
        return res(ACCEPT_OUTCOME_ALREADY_ACCEPTED, RAW_ALREADY(level));
    }
    if (accepted != 0) {
        return res(ACCEPT_OUTCOME_SIZE_MISMATCH, RAW_MISMATCH(level)); /* mixed 1G */
    }
    for (uint64_t i = i0; i < i0 + n; i++) {
        accept_page(f, i);
    }
    return res(ACCEPT_OUTCOME_OK, 0);
}

bool fake_range_accepted_once(const fake_tdx *f, uint64_t gpa, uint64_t len)
{
    for (uint64_t a = gpa; a < gpa + len; a += ACCEPT_PAGE_4K) {
        uint64_t i = fake_page_index(f, a);
        if (f->state[i] != FAKE_ACCEPTED || f->zeroed[i] != 1) {
            return false;
        }
        if (f->mem != NULL) {
            const uint8_t *p = f->mem + i * ACCEPT_PAGE_4K;
            for (size_t k = 0; k < ACCEPT_PAGE_4K; k++) {
                if (p[k] != 0) {
                    return false;
                }
            }
        }
    }
    return true;
}

uint64_t fake_accepted_pages(const fake_tdx *f)
{
    uint64_t c = 0;
    for (uint64_t i = 0; i < f->npages; i++) {
        c += f->state[i] == FAKE_ACCEPTED ? 1u : 0u;
    }
    return c;
}

uint64_t fake_total_calls(const fake_tdx *f)
{
    return f->calls[0] + f->calls[1] + f->calls[2];
}

/* ---- real threads ---- */

typedef struct thread_arg {
    accept_worker_fn worker;
    void *arg;
} thread_arg;

static void *thread_main(void *p)
{
    const thread_arg *ta = p;
    ta->worker(ta->arg);
    return NULL;
}

tds_status threads_parallel(void *ctx, accept_worker_fn worker, void *arg)
{
    thread_pool *pool = ctx;
    pool->runs++;
    if (pool->fail_to_start) {
        return TDS_ERR_STATE;
    }
    pthread_t *tid = calloc(pool->n, sizeof(*tid));
    if (tid == NULL) {
        abort();
    }
    thread_arg ta = {worker, arg};
    uint32_t started = 0;
    for (uint32_t i = 0; i < pool->n; i++) {
        if (pthread_create(&tid[i], NULL, thread_main, &ta) != 0) {
            break;
        }
        started++;
    }
    for (uint32_t i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
    free(tid);
    return started == pool->n ? TDS_OK : TDS_ERR_STATE;
}
