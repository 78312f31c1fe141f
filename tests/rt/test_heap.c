/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The firmware heap (shim/rt/heap.c): zeroing, reuse, coalescing, exhaustion, bad frees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "rt/heap.h"
#include "tdshim/mem.h"

static uint8_t g_arena[4096] __attribute__((aligned(16)));

static void test_init_rejects(void **state)
{
    (void)state;
    struct rt_heap h;
    assert_false(rt_heap_init(&h, NULL, 4096));
    assert_false(rt_heap_init(&h, g_arena + 1, 4000));
    assert_false(rt_heap_init(&h, g_arena, 31));
    assert_true(rt_heap_init(&h, g_arena, 32));
}

static void test_alloc_zeroed_and_reused(void **state)
{
    (void)state;
    struct rt_heap h;
    assert_true(rt_heap_init(&h, g_arena, sizeof g_arena));
    uint8_t *a = rt_heap_calloc(&h, 10, 10);
    assert_non_null(a);
    assert_int_equal(((uintptr_t)a) & 15u, 0);
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(a[i], 0);
    }
    memset(a, 0xAB, 100);
    assert_true(rt_heap_free(&h, a));
    uint8_t *b = rt_heap_calloc(&h, 1, 100);
    assert_ptr_equal(a, b); /* first fit reuses the block */
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(b[i], 0); /* and it is zero again */
    }
    assert_int_equal(h.live, 1);
    assert_true(rt_heap_free(&h, b));
    assert_int_equal(h.live, 0);
}

static void test_coalesce_and_exhaust(void **state)
{
    (void)state;
    struct rt_heap h;
    assert_true(rt_heap_init(&h, g_arena, sizeof g_arena));
    void *p[8];
    for (int i = 0; i < 8; i++) {
        p[i] = rt_heap_calloc(&h, 1, 496); /* 512 with the header: 8 fill 4096 */
        assert_non_null(p[i]);
    }
    assert_null(rt_heap_calloc(&h, 1, 1)); /* full */
    for (int i = 0; i < 8; i++) {
        assert_true(rt_heap_free(&h, p[i]));
    }
    /* After freeing all, one allocation of nearly the whole arena fits (coalesced). */
    void *big = rt_heap_calloc(&h, 1, 4096 - 16);
    assert_non_null(big);
    assert_ptr_equal(big, g_arena + 16);
    assert_true(rt_heap_free(&h, big));
    assert_null(rt_heap_calloc(&h, 1, 4096 - 15)); /* one more byte does not */
    assert_int_equal(h.high_water, 4096);
}

static void test_overflow_and_bad_free(void **state)
{
    (void)state;
    struct rt_heap h;
    assert_true(rt_heap_init(&h, g_arena, sizeof g_arena));
    assert_null(rt_heap_calloc(&h, SIZE_MAX, 2));
    assert_null(rt_heap_calloc(&h, 0, 8));
    assert_null(rt_heap_calloc(&h, 1, SIZE_MAX));
    void *a = rt_heap_calloc(&h, 1, 32);
    assert_non_null(a);
    assert_true(rt_heap_free(&h, NULL));
    assert_false(rt_heap_free(&h, (uint8_t *)a + 16)); /* interior pointer */
    static uint8_t other[64] __attribute__((aligned(16)));
    assert_false(rt_heap_free(&h, other + 16)); /* foreign */
    assert_true(rt_heap_free(&h, a));
    assert_false(rt_heap_free(&h, a)); /* double free */
    assert_int_equal(h.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rejects),
        cmocka_unit_test(test_alloc_zeroed_and_reused),
        cmocka_unit_test(test_coalesce_and_exhaust),
        cmocka_unit_test(test_overflow_and_bad_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
