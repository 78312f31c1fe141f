/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Pool life cycle on the fake: argument checks, exact conversion of the pool and nothing else,
 * scrubbing, the MapGPA retry rule against hostile VMM answers, rollback, and the BROKEN state.
 * The shared/private/accepted state of every guest page is checked after each operation.
 */
#include "test_env.h"

#define POOL_BYTES ((uint64_t)FAKE_POOL_PAGES * PGSZ)

static uint64_t pool_gpa(const env *e)
{
    return fake_gpa(&e->f, FAKE_GUARD);
}

static void test_mask_from_gpaw(void **state)
{
    (void)state;
    uint64_t m = 7;
    assert_int_equal(vshared_shared_mask_from_gpaw(48, &m), TDS_OK);
    assert_true(m == MASK48);
    assert_int_equal(vshared_shared_mask_from_gpaw(52, &m), TDS_OK);
    assert_true(m == MASK52);
    m = 7;
    assert_int_equal(vshared_shared_mask_from_gpaw(47, &m), TDS_ERR_UNSUPPORTED);
    assert_int_equal(vshared_shared_mask_from_gpaw(0, &m), TDS_ERR_UNSUPPORTED);
    assert_int_equal(vshared_shared_mask_from_gpaw(64, &m), TDS_ERR_UNSUPPORTED);
    assert_true(m == 7);
    assert_int_equal(vshared_shared_mask_from_gpaw(48, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_api_version(), VSHARED_API_VERSION);
}

/* A rejected init changes nothing: no op called, memory untouched, pool UNINIT. */
static void expect_rejected(env *e, tds_status got, tds_status want)
{
    assert_int_equal(got, want);
    assert_int_equal(e->f.set_calls + e->f.map_calls + e->f.accept_calls + e->f.clear_calls, 0);
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_UNINIT);
    const uint8_t *p = fake_va(&e->f, FAKE_GUARD);
    assert_int_equal(p[0], 0x11);
    CHECK_ALL_PRIVATE(e);
}

static void test_init_rejects_bad_args(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    uint8_t *va = fake_va(&e->f, FAKE_GUARD);
    uint64_t gpa = pool_gpa(e);
    size_t w = VSHARED_BITMAP_WORDS(FAKE_POOL_PAGES);
    vshared_pool *p = &e->pool;

    expect_rejected(e, vshared_pool_init(NULL, &e->ops, va, gpa, 4, e->bitmap, w),
                    TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, NULL, va, gpa, 4, e->bitmap, w), TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, &e->ops, NULL, gpa, 4, e->bitmap, w),
                    TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa, 4, NULL, w), TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa, 0, e->bitmap, w),
                    TDS_ERR_INVALID_ARG);
    expect_rejected(e,
                    vshared_pool_init(p, &e->ops, va, gpa, VSHARED_MAX_PAGES + 1u, e->bitmap,
                                      VSHARED_BITMAP_WORDS(VSHARED_MAX_PAGES + 1u)),
                    TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va + 8, gpa, 4, e->bitmap, w),
                    TDS_ERR_ALIGNMENT);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa + 8, 4, e->bitmap, w),
                    TDS_ERR_ALIGNMENT);
    /* Bitmap one word short for the pool. */
    expect_rejected(e,
                    vshared_pool_init(p, &e->ops, va, gpa, FAKE_POOL_PAGES, e->bitmap,
                                      VSHARED_BITMAP_WORDS(FAKE_POOL_PAGES) - 1u),
                    TDS_ERR_NO_SPACE);
    /* 65 pages need two words per bitmap. */
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa, 65, e->bitmap, 3), TDS_ERR_NO_SPACE);

    /* The bitmap or the pool struct inside the pages that turn shared (VMM-writable). */
    uint64_t *inside = (uint64_t *)(void *)(va + 3 * PGSZ);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa, 8, inside, w), TDS_ERR_INVALID_ARG);
    uint64_t *straddling = (uint64_t *)(void *)va - 1; /* last word of the guard page below */
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa, 8, straddling, w),
                    TDS_ERR_INVALID_ARG);
    vshared_pool *pool_inside = (vshared_pool *)(void *)(va + 5 * PGSZ);
    memset(pool_inside, 0, sizeof(*pool_inside));
    expect_rejected(e, vshared_pool_init(pool_inside, &e->ops, va, gpa, 8, e->bitmap, w),
                    TDS_ERR_INVALID_ARG);
    memset(pool_inside, 0x11, sizeof(*pool_inside));

    vshared_ops bad = e->ops;
    bad.accept = NULL;
    expect_rejected(e, vshared_pool_init(p, &bad, va, gpa, 4, e->bitmap, w), TDS_ERR_INVALID_ARG);
    bad = e->ops;
    bad.map_gpa = NULL;
    expect_rejected(e, vshared_pool_init(p, &bad, va, gpa, 4, e->bitmap, w), TDS_ERR_INVALID_ARG);
    bad = e->ops;
    bad.shared_mask = (uint64_t)1u << 46;
    expect_rejected(e, vshared_pool_init(p, &bad, va, gpa, 4, e->bitmap, w), TDS_ERR_INVALID_ARG);
    bad.shared_mask = 0;
    expect_rejected(e, vshared_pool_init(p, &bad, va, gpa, 4, e->bitmap, w), TDS_ERR_INVALID_ARG);
    bad.shared_mask = MASK48 | MASK52;
    expect_rejected(e, vshared_pool_init(p, &bad, va, gpa, 4, e->bitmap, w), TDS_ERR_INVALID_ARG);

    /* Shared GPAs, a range reaching the shared bit, and ranges that wrap. */
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, gpa | MASK48, 4, e->bitmap, w),
                    TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, MASK48 - 2u * PGSZ, 3, e->bitmap, w),
                    TDS_ERR_INVALID_ARG);
    expect_rejected(e, vshared_pool_init(p, &e->ops, va, 0xFFFFFFFFFFFFF000ull, 2, e->bitmap, w),
                    TDS_ERR_OVERFLOW);
    void *top = (void *)(UINTPTR_MAX & ~(uintptr_t)0xFFF);
    expect_rejected(e, vshared_pool_init(p, &e->ops, top, gpa, 2, e->bitmap, w), TDS_ERR_OVERFLOW);
    env_free(e);
}

static void test_init_converts_exactly_the_pool(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    CHECK_POOL_SHARED(e);
    CHECK_GUARDS(e);
    assert_int_equal(e->f.set_calls, 1);
    assert_int_equal(e->f.map_calls, 1);
    assert_true(e->f.last_map_gpa == (pool_gpa(e) | MASK48));
    assert_true(e->f.last_map_len == POOL_BYTES);
    assert_int_equal(e->f.accept_calls, 0);
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_READY);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES);
    assert_int_equal(vshared_pool_last_error(&e->pool), TDS_OK);
    /* A live pool cannot be re-initialised (its converted pages would be forgotten). */
    assert_int_equal(env_pool_init(e), TDS_ERR_STATE);
    assert_int_equal(e->f.map_calls, 1);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

/* The pool's old private bytes (0x11) must be gone before a page turns shared. */
static void test_init_scrubs_before_sharing(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    memset(fake_va(&e->f, FAKE_GUARD), 0x5A, (size_t)POOL_BYTES);
    assert_int_equal(env_pool_init(e), TDS_OK);
    assert_int_equal(e->f.leaks, 0);
    /* Control: the fake's leak detector does fire on a non-zero private page. */
    assert_int_equal(e->ops.map_gpa(&e->f, fake_gpa(&e->f, 0) | MASK48, PGSZ), TDS_OK);
    assert_int_equal(e->f.leaks, 1);
    env_free(e);
}

/* A pool ending exactly at the shared bit works, for both GPAWs; one page more does not. */
static void top_of_private_space(uint64_t mask)
{
    uint64_t base = mask - (uint64_t)FAKE_PAGES * PGSZ;
    env *e = env_new(base, mask);
    size_t n = FAKE_PAGES - FAKE_GUARD;
    assert_int_equal(vshared_pool_init(&e->pool, &e->ops, fake_va(&e->f, FAKE_GUARD),
                                       fake_gpa(&e->f, FAKE_GUARD), n + 1u, e->bitmap,
                                       VSHARED_BITMAP_WORDS(FAKE_PAGES)),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(e->f.map_calls, 0);
    assert_int_equal(vshared_pool_init(&e->pool, &e->ops, fake_va(&e->f, FAKE_GUARD),
                                       fake_gpa(&e->f, FAKE_GUARD), n, e->bitmap,
                                       VSHARED_BITMAP_WORDS(FAKE_PAGES)),
                     TDS_OK);
    assert_true(e->f.last_map_gpa == (fake_gpa(&e->f, FAKE_GUARD) | mask));
    assert_true(e->f.last_map_len == (uint64_t)n * PGSZ);
    assert_int_equal(fake_first_bad(&e->f, FAKE_GUARD, n, true), -1);
    vshared_buffer b;
    assert_int_equal(vshared_alloc(&e->pool, n - 1u, &b), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_OK);
    assert_true(b.device_addr == mask - PGSZ); /* the last private page; no shared bit */
    assert_ptr_equal(b.host, fake_va(&e->f, FAKE_PAGES - 1u));
    assert_int_equal(vshared_free(&e->pool, b.host), TDS_OK);
    assert_int_equal(vshared_free(&e->pool, fake_va(&e->f, FAKE_GUARD)), TDS_OK);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

static void test_init_top_of_private_space(void **state)
{
    (void)state;
    top_of_private_space(MASK48);
    top_of_private_space(MASK52);
}

static void test_release_round_trip(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    vshared_buffer b;
    assert_int_equal(vshared_alloc(&e->pool, 3, &b), TDS_OK);
    /* An outstanding allocation blocks release, and nothing is converted. */
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_STATE);
    assert_int_equal(e->f.map_calls, 1);
    CHECK_POOL_SHARED(e);
    assert_int_equal(vshared_free(&e->pool, b.host), TDS_OK);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    assert_int_equal(e->f.map_calls, 2);
    assert_true(e->f.last_map_gpa == pool_gpa(e)); /* private: no shared bit */
    assert_true(e->f.last_map_len == POOL_BYTES);
    assert_int_equal(e->f.accept_calls, 1);
    assert_int_equal(e->f.clear_calls, 1);
    assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), (size_t)POOL_BYTES));
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_UNINIT);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_STATE);
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_ERR_STATE);
    /* The pool can be built again. */
    assert_int_equal(env_pool_init(e), TDS_OK);
    CHECK_POOL_SHARED(e);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

/* Pages the module does not zero on accept (already accepted) are scrubbed by the library. */
static void test_release_scrubs_private_view(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    e->f.accept_zeroes = false;
    assert_int_equal(env_pool_init(e), TDS_OK);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), (size_t)POOL_BYTES));
    /* Control: without the scrub the pages would hold the pending-page bytes. */
    uint8_t *guard = fake_va(&e->f, 0);
    assert_int_equal(guard[0], 0x11);
    env_free(e);
}

/* MapGPA fails after converting part of the pool (whatever the reason inside libtdcall's loop:
 * VMM status, retry storm, bad resume address, TDCALL failure): rolled back, error reported. */
static void test_mapgpa_error_midway(void **state)
{
    (void)state;
    const tds_status errs[] = {TDS_ERR_VMM, TDS_ERR_DEVICE, TDS_ERR_BUSY, TDS_ERR_OUT_OF_BOUNDS};
    for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
        env *e = env_new(BASE_GPA, MASK48);
        e->f.mode = FAKE_MAP_FAIL_AFTER;
        e->f.fault_dir = FAKE_DIR_SHARED;
        e->f.chunk = 10;
        e->f.fail_status = errs[i];
        assert_int_equal(env_pool_init(e), errs[i]);
        assert_int_equal(e->f.map_calls_shared, 1);
        assert_int_equal(e->f.map_calls_private, 1); /* the rollback */
        CHECK_ALL_PRIVATE(e);
        assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_UNINIT);
        assert_int_equal(vshared_pool_last_error(&e->pool), TDS_OK);
        assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), (size_t)POOL_BYTES));
        env_free(e);
    }
}

/* A VMM that claims a conversion it did not do. To shared: the pool is READY (the guest cannot
 * tell), its PTEs are shared, nothing leaked, and release still brings every page back. To
 * private: ACCEPT exposes the lie, the pool is BROKEN with its PTEs still shared. */
static void test_lying_vmm(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    e->f.mode = FAKE_MAP_LIE;
    e->f.fault_dir = FAKE_DIR_SHARED;
    e->f.chunk = 10;
    assert_int_equal(env_pool_init(e), TDS_OK);
    CHECK_SAFE(e);
    CHECK_GUARDS(e);
    for (size_t i = 0; i < FAKE_POOL_PAGES; i++) {
        assert_true(e->f.page[FAKE_GUARD + i].pte_shared);
        assert_true(e->f.page[FAKE_GUARD + i].vmm_shared == (i < 10));
    }
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), (size_t)POOL_BYTES));

    e->f.fault_dir = FAKE_DIR_PRIVATE;
    assert_int_equal(env_pool_init(e), TDS_OK);
    CHECK_POOL_SHARED(e);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_DEVICE);
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_BROKEN);
    CHECK_SAFE(e);
    for (size_t i = 0; i < FAKE_POOL_PAGES; i++) {
        assert_true(e->f.page[FAKE_GUARD + i].pte_shared);
    }
    e->f.mode = FAKE_MAP_NORMAL;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

static void expect_broken(env *e, tds_status first_error)
{
    vshared_buffer b;
    vshared_mapping m;
    uint8_t priv[16] = {0};
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_BROKEN);
    assert_int_equal(vshared_pool_last_error(&e->pool), first_error);
    assert_int_equal(vshared_pool_free_pages(&e->pool), 0);
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_ERR_STATE);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, priv, sizeof(priv), &m),
                     TDS_ERR_STATE);
    assert_int_equal(vshared_free(&e->pool, fake_va(&e->f, FAKE_GUARD)), TDS_ERR_STATE);
    assert_int_equal(env_pool_init(e), TDS_ERR_STATE);
    CHECK_SAFE(e);
    CHECK_GUARDS(e);
}

/* The VMM also refuses the rollback: the pool is BROKEN, its pages stay mapped shared (never
 * private over a possibly-shared page), and a later release recovers it. */
/* The VMM also refuses the rollback: the pool is BROKEN, its pages stay mapped shared (never
 * private over a possibly-shared page), and a later release recovers it. */
static void test_rollback_fails_pool_broken(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    e->f.mode = FAKE_MAP_FAIL_AFTER;
    e->f.fault_dir = FAKE_DIR_BOTH;
    e->f.chunk = 20;
    e->f.fail_status = TDS_ERR_VMM;
    assert_int_equal(env_pool_init(e), TDS_ERR_VMM);
    expect_broken(e, TDS_ERR_VMM);
    for (size_t i = FAKE_GUARD; i < FAKE_GUARD + FAKE_POOL_PAGES; i++) {
        assert_true(e->f.page[i].pte_shared);
    }
    assert_int_equal(e->f.accept_calls, 0);
    assert_int_equal(e->f.clear_calls, 0);

    /* Still hostile: release fails with its own error; the first error sticks. */
    e->f.fail_status = TDS_ERR_DEVICE;
    e->f.chunk = 3;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_DEVICE);
    expect_broken(e, TDS_ERR_VMM);

    e->f.mode = FAKE_MAP_NORMAL;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_UNINIT);
    assert_int_equal(vshared_pool_last_error(&e->pool), TDS_OK);
    assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), (size_t)POOL_BYTES));
    env_free(e);
}

static void test_release_mapgpa_hostile(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    e->f.mode = FAKE_MAP_FAIL_AFTER;
    e->f.fault_dir = FAKE_DIR_PRIVATE;
    e->f.chunk = 7;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_VMM);
    expect_broken(e, TDS_ERR_VMM);
    assert_int_equal(e->f.accept_calls, 0);
    assert_int_equal(e->f.clear_calls, 0);
    e->f.mode = FAKE_MAP_NORMAL;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

static void test_release_accept_fails(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    e->f.fail_accept_at = 1;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_DEVICE);
    expect_broken(e, TDS_ERR_DEVICE);
    assert_int_equal(e->f.clear_calls, 0); /* PTEs stay shared over unaccepted pages */
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

static void test_release_clear_shared_fails(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    e->f.fail_clear_shared_at = 1;
    assert_int_equal(vshared_pool_release(&e->pool), TDS_ERR_DEVICE);
    expect_broken(e, TDS_ERR_DEVICE);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), (size_t)POOL_BYTES));
    env_free(e);
}

static void test_init_set_shared_fails(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    e->f.fail_set_shared_at = 1;
    assert_int_equal(env_pool_init(e), TDS_ERR_DEVICE);
    assert_int_equal(e->f.map_calls_shared, 0);
    CHECK_ALL_PRIVATE(e);
    assert_int_equal(vshared_pool_get_state(&e->pool), VSHARED_POOL_UNINIT);
    env_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_from_gpaw),
        cmocka_unit_test(test_init_rejects_bad_args),
        cmocka_unit_test(test_init_converts_exactly_the_pool),
        cmocka_unit_test(test_init_scrubs_before_sharing),
        cmocka_unit_test(test_init_top_of_private_space),
        cmocka_unit_test(test_release_round_trip),
        cmocka_unit_test(test_release_scrubs_private_view),
        cmocka_unit_test(test_mapgpa_error_midway),
        cmocka_unit_test(test_lying_vmm),
        cmocka_unit_test(test_rollback_fails_pool_broken),
        cmocka_unit_test(test_release_mapgpa_hostile),
        cmocka_unit_test(test_release_accept_fails),
        cmocka_unit_test(test_release_clear_shared_fails),
        cmocka_unit_test(test_init_set_shared_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
