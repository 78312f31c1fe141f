/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Shared set-up for the libvirtio-shared tests: a fake TDX guest and a pool inside it. */
#ifndef VSHARED_TEST_ENV_H
#define VSHARED_TEST_ENV_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_tdx.h"

#define MASK48 ((uint64_t)1u << 47)
#define MASK52 ((uint64_t)1u << 51)
#define BASE_GPA 0x80000000ull
#define PGSZ ((size_t)VSHARED_PAGE_SIZE)

typedef struct env {
    fake_tdx f;
    vshared_ops ops;
    vshared_pool pool;
    uint64_t bitmap[VSHARED_BITMAP_WORDS(FAKE_PAGES) + 1u]; /* last word: canary */
} env;

#define CANARY 0xC0FFEE0DDBA11ull

static inline env *env_new(uint64_t base, uint64_t mask)
{
    env *e = calloc(1, sizeof(*e));
    if (e == NULL) {
        abort();
    }
    fake_init(&e->f, base, mask);
    e->ops = fake_ops(&e->f);
    e->bitmap[VSHARED_BITMAP_WORDS(FAKE_PAGES)] = CANARY;
    return e;
}

static inline void env_free(env *e)
{
    fake_fini(&e->f);
    free(e);
}

static inline tds_status env_pool_init(env *e)
{
    return vshared_pool_init(&e->pool, &e->ops, fake_va(&e->f, FAKE_GUARD),
                             fake_gpa(&e->f, FAKE_GUARD), FAKE_POOL_PAGES, e->bitmap,
                             VSHARED_BITMAP_WORDS(FAKE_PAGES));
}

/* The checks made after every operation. */
#define CHECK_SAFE(e)                                                                              \
    do {                                                                                           \
        assert_int_equal(fake_first_unsafe(&(e)->f), -1);                                          \
        assert_int_equal((e)->f.violations, 0);                                                    \
        assert_int_equal((e)->f.leaks, 0);                                                         \
        assert_true((e)->bitmap[VSHARED_BITMAP_WORDS(FAKE_PAGES)] == CANARY);                      \
    } while (0)

#define CHECK_POOL_SHARED(e)                                                                       \
    do {                                                                                           \
        CHECK_SAFE(e);                                                                             \
        assert_int_equal(fake_first_bad(&(e)->f, FAKE_GUARD, FAKE_POOL_PAGES, true), -1);          \
    } while (0)

#define CHECK_ALL_PRIVATE(e)                                                                       \
    do {                                                                                           \
        CHECK_SAFE(e);                                                                             \
        assert_int_equal(fake_first_bad(&(e)->f, 0, 0, false), -1);                                \
    } while (0)

/* Every guard page (outside the pool) is private, accepted and mapped private. */
#define CHECK_GUARDS(e)                                                                            \
    do {                                                                                           \
        for (size_t gi_ = 0; gi_ < FAKE_PAGES; gi_++) {                                            \
            if (gi_ >= FAKE_GUARD && gi_ < FAKE_GUARD + FAKE_POOL_PAGES) {                         \
                continue;                                                                          \
            }                                                                                      \
            assert_false((e)->f.page[gi_].pte_shared);                                             \
            assert_false((e)->f.page[gi_].vmm_shared);                                             \
            assert_true((e)->f.page[gi_].accepted);                                                \
        }                                                                                          \
    } while (0)

#endif
