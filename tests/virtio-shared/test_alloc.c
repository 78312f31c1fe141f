/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The bitmap allocator: first fit, exact extents, zeroing on allocation and on free,
 * fragmentation, exhaustion and every way a free can be wrong. Pool pages stay shared and
 * nothing outside the pool changes through all of it.
 */
#include "test_env.h"

static void *page_va(env *e, size_t pool_page)
{
    return fake_va(&e->f, FAKE_GUARD + pool_page);
}

/* A device address is the page's private GPA: no shared bit. */
static uint64_t page_dev(env *e, size_t pool_page)
{
    return fake_gpa(&e->f, FAKE_GUARD + pool_page);
}

static env *ready_env(void)
{
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    return e;
}

static void test_first_fit_and_addresses(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer a;
    vshared_buffer b;
    vshared_buffer c;
    vshared_buffer d;
    assert_int_equal(vshared_alloc(&e->pool, 1, &a), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 2, &b), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 3, &c), TDS_OK);
    assert_ptr_equal(a.host, page_va(e, 0));
    assert_ptr_equal(b.host, page_va(e, 1));
    assert_ptr_equal(c.host, page_va(e, 3));
    assert_true(a.device_addr == page_dev(e, 0));
    assert_true(b.device_addr == page_dev(e, 1));
    assert_true(c.device_addr == page_dev(e, 3));
    assert_true((c.device_addr & MASK48) == 0);
    assert_int_equal(b.pages, 2);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 6u);

    /* Free the middle one: a 2-page hole at page 1. A 3-page request skips it (first fit of a
     * run long enough), a 1-page request takes its start, a 1-page request its second page. */
    assert_int_equal(vshared_free(&e->pool, b.host), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 3, &d), TDS_OK);
    assert_ptr_equal(d.host, page_va(e, 6));
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_OK);
    assert_ptr_equal(b.host, page_va(e, 1));
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_OK);
    assert_ptr_equal(b.host, page_va(e, 2));
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_OK);
    assert_ptr_equal(b.host, page_va(e, 9));
    CHECK_POOL_SHARED(e);
    CHECK_GUARDS(e);
    env_free(e);
}

/* The VMM writes into free shared pages; an allocation still comes out zeroed. */
static void test_alloc_zeroes(void **state)
{
    (void)state;
    env *e = ready_env();
    /* After conversion every pool page holds the VMM's bytes. */
    assert_int_equal(((uint8_t *)page_va(e, 0))[0], FAKE_VMM_SHARED_BYTE);
    vshared_buffer a;
    assert_int_equal(vshared_alloc(&e->pool, 4, &a), TDS_OK);
    assert_true(all_zero(a.host, 4 * PGSZ));
    /* The page after the allocation was not touched. */
    assert_int_equal(((uint8_t *)page_va(e, 4))[0], FAKE_VMM_SHARED_BYTE);
    assert_int_equal(vshared_free(&e->pool, a.host), TDS_OK);
    memset(page_va(e, 0), 0x77, 4 * PGSZ); /* hostile writes after the free */
    assert_int_equal(vshared_alloc(&e->pool, 4, &a), TDS_OK);
    assert_ptr_equal(a.host, page_va(e, 0));
    assert_true(all_zero(a.host, 4 * PGSZ));
    env_free(e);
}

/* A free zeroes exactly the allocation's pages: neighbours keep their bytes. */
static void test_free_zeroes_exact_extent(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer a;
    vshared_buffer b;
    vshared_buffer c;
    assert_int_equal(vshared_alloc(&e->pool, 2, &a), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 3, &b), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 1, &c), TDS_OK);
    memset(a.host, 0xA1, 2 * PGSZ);
    memset(b.host, 0xB2, 3 * PGSZ);
    memset(c.host, 0xC3, PGSZ);
    assert_int_equal(vshared_free(&e->pool, b.host), TDS_OK);
    assert_true(all_zero(b.host, 3 * PGSZ));
    const uint8_t *pa = a.host;
    const uint8_t *pc = c.host;
    assert_int_equal(pa[2 * PGSZ - 1], 0xA1);
    assert_int_equal(pc[0], 0xC3);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 3u);
    assert_int_equal(vshared_free(&e->pool, a.host), TDS_OK);
    assert_int_equal(pc[PGSZ - 1], 0xC3);
    assert_int_equal(vshared_free(&e->pool, c.host), TDS_OK);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES);
    assert_true(all_zero(page_va(e, 0), 6 * PGSZ));
    CHECK_POOL_SHARED(e);
    env_free(e);
}

static void test_exhaustion(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer b;
    vshared_buffer keep = {0};
    for (size_t i = 0; i < FAKE_POOL_PAGES; i++) {
        assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_OK);
        assert_ptr_equal(b.host, page_va(e, i));
        if (i == 37) {
            keep = b;
        }
    }
    assert_int_equal(vshared_pool_free_pages(&e->pool), 0);
    vshared_buffer untouched = {(void *)1, 2, 3};
    assert_int_equal(vshared_alloc(&e->pool, 1, &untouched), TDS_ERR_NO_SPACE);
    assert_ptr_equal(untouched.host, (void *)1); /* out written only on success */
    assert_true(untouched.device_addr == 2);
    assert_int_equal(untouched.pages, 3);
    /* One page back: exactly that page is handed out again. */
    assert_int_equal(vshared_free(&e->pool, keep.host), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 2, &b), TDS_ERR_NO_SPACE);
    assert_int_equal(vshared_alloc(&e->pool, 1, &b), TDS_OK);
    assert_ptr_equal(b.host, keep.host);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

/* Every other page free: half the pool is free but no two pages are contiguous. */
static void test_fragmentation(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer b[FAKE_POOL_PAGES];
    for (size_t i = 0; i < FAKE_POOL_PAGES; i++) {
        assert_int_equal(vshared_alloc(&e->pool, 1, &b[i]), TDS_OK);
    }
    for (size_t i = 0; i < FAKE_POOL_PAGES; i += 2) {
        assert_int_equal(vshared_free(&e->pool, b[i].host), TDS_OK);
    }
    vshared_buffer x;
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES / 2u);
    assert_int_equal(vshared_alloc(&e->pool, 2, &x), TDS_ERR_NO_SPACE);
    /* Free page 1: pages 0..2 form the first 3-page run. */
    assert_int_equal(vshared_free(&e->pool, b[1].host), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 4, &x), TDS_ERR_NO_SPACE);
    assert_int_equal(vshared_alloc(&e->pool, 3, &x), TDS_OK);
    assert_ptr_equal(x.host, page_va(e, 0));
    /* Larger than free space and larger than the pool. */
    assert_int_equal(vshared_alloc(&e->pool, FAKE_POOL_PAGES, &x), TDS_ERR_NO_SPACE);
    assert_int_equal(vshared_alloc(&e->pool, FAKE_POOL_PAGES + 1u, &x), TDS_ERR_NO_SPACE);
    assert_int_equal(vshared_alloc(&e->pool, SIZE_MAX, &x), TDS_ERR_NO_SPACE);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

/* Allocations across the 64-page bitmap word boundary, and a pool that is not a multiple of 64
 * pages: the whole pool is usable, and nothing past the bitmap is written. */
static void test_bitmap_word_boundary(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer a;
    vshared_buffer b;
    vshared_buffer c;
    assert_int_equal(vshared_alloc(&e->pool, 60, &a), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 8, &b), TDS_OK); /* pages 60..67 */
    assert_ptr_equal(b.host, page_va(e, 60));
    assert_int_equal(vshared_alloc(&e->pool, FAKE_POOL_PAGES - 68u, &c), TDS_OK);
    assert_int_equal(vshared_free(&e->pool, b.host), TDS_OK);
    assert_int_equal(vshared_pool_free_pages(&e->pool), 8);
    assert_int_equal(vshared_alloc(&e->pool, 9, &b), TDS_ERR_NO_SPACE);
    assert_int_equal(vshared_alloc(&e->pool, 8, &b), TDS_OK);
    assert_ptr_equal(b.host, page_va(e, 60));
    assert_int_equal(vshared_free(&e->pool, c.host), TDS_OK);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 68u);
    CHECK_POOL_SHARED(e); /* includes the bitmap canary */
    env_free(e);
}

static void test_bad_frees(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer a;
    assert_int_equal(vshared_alloc(&e->pool, 3, &a), TDS_OK);
    memset(a.host, 0x42, 3 * PGSZ);
    uint8_t *h = a.host;
    assert_int_equal(vshared_free(NULL, h), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_free(&e->pool, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_free(&e->pool, h + 8), TDS_ERR_ALIGNMENT);
    assert_int_equal(vshared_free(&e->pool, h + PGSZ), TDS_ERR_INVALID_ARG);      /* interior */
    assert_int_equal(vshared_free(&e->pool, page_va(e, 3)), TDS_ERR_INVALID_ARG); /* free page */
    assert_int_equal(vshared_free(&e->pool, fake_va(&e->f, 0)), TDS_ERR_INVALID_ARG); /* guard */
    assert_int_equal(vshared_free(&e->pool, fake_va(&e->f, FAKE_GUARD + FAKE_POOL_PAGES)),
                     TDS_ERR_INVALID_ARG); /* first byte after the pool */
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 3u);
    assert_int_equal(h[PGSZ + 1], 0x42); /* rejected frees did not scrub */
    assert_int_equal(vshared_free(&e->pool, h), TDS_OK);
    assert_int_equal(vshared_free(&e->pool, h), TDS_ERR_INVALID_ARG); /* double free */
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES);
    assert_int_equal(vshared_alloc(&e->pool, 0, &a), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_alloc(&e->pool, 1, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_alloc(NULL, 1, &a), TDS_ERR_INVALID_ARG);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_fit_and_addresses),
        cmocka_unit_test(test_alloc_zeroes),
        cmocka_unit_test(test_free_zeroes_exact_extent),
        cmocka_unit_test(test_exhaustion),
        cmocka_unit_test(test_fragmentation),
        cmocka_unit_test(test_bitmap_word_boundary),
        cmocka_unit_test(test_bad_frees),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
