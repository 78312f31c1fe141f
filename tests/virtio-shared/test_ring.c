/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The virtio-style ring of ring.c on the fake (test_emu.c runs it on the emulator). */
#include "ring.h"
#include "test_env.h"

static uint8_t *translate(void *ctx, uint64_t dev, size_t len)
{
    env *e = ctx;
    return fake_device_ptr(&e->f, dev, len);
}

static void check(void *ctx)
{
    env *e = ctx;
    CHECK_POOL_SHARED(e);
    assert_int_equal(e->f.device_faults, 0);
}

static void test_ring_all_directions(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    memset(fake_va(&e->f, FAKE_GUARD), 0, FAKE_POOL_PAGES * PGSZ); /* drop VMM bytes */
    ring_env re = {&e->pool, translate, check, e};
    ring_run(&re, 6);
    /* Nothing the driver or the device wrote outlives its allocation. */
    assert_true(all_zero(fake_va(&e->f, FAKE_GUARD), FAKE_POOL_PAGES * PGSZ));
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

/* Control: the fake device refuses what a VMM device model could not reach: a private page,
 * an address carrying the shared bit, a range running off the pool into a private page. */
static void test_ring_device_check_fires(void **state)
{
    (void)state;
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    uint64_t pool0 = fake_gpa(&e->f, FAKE_GUARD);
    uint64_t pool_end = fake_gpa(&e->f, FAKE_GUARD + FAKE_POOL_PAGES);
    assert_null(translate(e, fake_gpa(&e->f, 0), 8)); /* guard page: private */
    assert_null(translate(e, pool0 | MASK48, 8));     /* shared bit set */
    assert_null(translate(e, pool_end - 4, 8));       /* last pool page into the guard */
    assert_null(translate(e, pool0, 0));              /* empty */
    assert_non_null(translate(e, pool0, 8));          /* pool page, plain GPA */
    assert_non_null(translate(e, pool_end - 8, 8));   /* last bytes of the pool */
    assert_int_equal(e->f.device_faults, 4);
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    assert_null(translate(e, pool0, 8)); /* private again */
    assert_int_equal(e->f.device_faults, 5);
    env_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ring_all_directions),
        cmocka_unit_test(test_ring_device_check_fires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
