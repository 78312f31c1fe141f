/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Map / unmap: bounce contents at map, the bounded copy back at unmap, zeroed bounces, the
 * common-buffer case, and every malformed call. Device addresses are checked through the fake
 * device, which only touches pages that are really shared.
 */
#include "test_env.h"

static env *ready_env(void)
{
    env *e = env_new(BASE_GPA, MASK48);
    assert_int_equal(env_pool_init(e), TDS_OK);
    return e;
}

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed + i * 7u);
    }
}

static bool pool_all_zero(env *e)
{
    return all_zero(fake_va(&e->f, FAKE_GUARD), FAKE_POOL_PAGES * PGSZ);
}

static void scrub_pool_free_pages(env *e)
{
    /* Drop the VMM's conversion bytes so "nothing left in shared memory" can be checked. */
    memset(fake_va(&e->f, FAKE_GUARD), 0, FAKE_POOL_PAGES * PGSZ);
}

static void test_bus_master_read(void **state)
{
    (void)state;
    env *e = ready_env();
    scrub_pool_free_pages(e);
    enum { LEN = 5000 };
    uint8_t *priv = malloc(LEN);
    assert_non_null(priv);
    fill(priv, LEN, 3);
    vshared_mapping m;
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, priv, LEN, &m), TDS_OK);
    assert_int_equal(m.bounce_pages, 2);
    assert_true(m.device_addr == fake_gpa(&e->f, FAKE_GUARD)); /* bounce's GPA, no shared bit */
    assert_true((m.device_addr & MASK48) == 0);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 2u);
    const uint8_t *dev = fake_device_ptr(&e->f, m.device_addr, LEN);
    assert_non_null(dev);
    assert_ptr_equal(dev, m.bounce);
    assert_memory_equal(dev, priv, LEN);
    assert_true(all_zero(dev + LEN, 2 * PGSZ - LEN)); /* tail of the bounce stays zero */
    CHECK_POOL_SHARED(e);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    assert_true(pool_all_zero(e)); /* no private byte left in shared memory */
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES);
    assert_null(m.bounce);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_ERR_INVALID_ARG); /* cleared: no double */
    uint8_t again[LEN];
    fill(again, LEN, 3);
    assert_memory_equal(priv, again, LEN); /* the source is untouched */
    CHECK_POOL_SHARED(e);
    free(priv);
    env_free(e);
}

/* The device writes the whole bounce (more than mapped); unmap copies back exactly len bytes. */
static void test_bus_master_write_bounded(void **state)
{
    (void)state;
    env *e = ready_env();
    scrub_pool_free_pages(e);
    enum { LEN = 3000, CANARY_LEN = 64 };
    uint8_t priv[LEN + CANARY_LEN];
    memset(priv, 0x5C, sizeof(priv));
    vshared_mapping m;
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_WRITE, priv, LEN, &m), TDS_OK);
    assert_int_equal(m.bounce_pages, 1);
    uint8_t *dev = fake_device_ptr(&e->f, m.device_addr, PGSZ);
    assert_non_null(dev);
    assert_true(all_zero(dev, PGSZ)); /* nothing private was put in the bounce */
    assert_int_equal(priv[0], 0x5C);  /* and nothing copied yet */
    fill(dev, PGSZ, 9);               /* device overruns its buffer inside the page */
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    uint8_t want[PGSZ];
    fill(want, PGSZ, 9);
    assert_memory_equal(priv, want, LEN);
    for (size_t i = LEN; i < sizeof(priv); i++) {
        assert_int_equal(priv[i], 0x5C);
    }
    assert_true(pool_all_zero(e));
    CHECK_POOL_SHARED(e);
    env_free(e);
}

static void test_common_buffer(void **state)
{
    (void)state;
    env *e = ready_env();
    vshared_buffer a;
    vshared_buffer other;
    assert_int_equal(vshared_alloc(&e->pool, 1, &other), TDS_OK);
    assert_int_equal(vshared_alloc(&e->pool, 2, &a), TDS_OK);
    uint8_t *h = a.host;
    vshared_mapping m;
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, h + 100, 2 * PGSZ - 100, &m),
                     TDS_OK);
    assert_true(m.device_addr == a.device_addr + 100);
    assert_null(m.bounce);
    uint8_t *dev = fake_device_ptr(&e->f, m.device_addr, 2 * PGSZ - 100);
    assert_ptr_equal(dev, h + 100);
    if (dev == NULL) {
        fail_msg("common buffer not shared");
        return;
    }
    memcpy(dev, "hello", 6);
    assert_memory_equal(h + 100, "hello", 5); /* the driver sees the device's bytes directly */
    vshared_mapping t = m;
    t.device_addr |= MASK48; /* tampered: the shared-bit form of the address */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.device_addr -= 100; /* the allocation's address, not the mapped range's */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    assert_memory_equal(h + 100, "hello", 5); /* common buffer: unmap neither copies nor frees */
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 3u);

    vshared_mapping bad;
    /* One byte past the allocation, an allocation's neighbour, a free page, private memory. */
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, h + 100, 2 * PGSZ - 99, &bad),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(
        vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, (uint8_t *)other.host + 10, PGSZ, &bad),
        TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, h + 2 * PGSZ, 1, &bad),
                     TDS_ERR_INVALID_ARG);
    uint8_t priv[16];
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, priv, sizeof(priv), &bad),
                     TDS_ERR_INVALID_ARG);
    /* A common mapping of a freed allocation cannot be unmapped. */
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, h, PGSZ, &m), TDS_OK);
    assert_int_equal(vshared_free(&e->pool, a.host), TDS_OK);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_ERR_INVALID_ARG);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

static void test_map_rejects(void **state)
{
    (void)state;
    env *e = ready_env();
    uint8_t priv[64] = {1};
    vshared_mapping m;
    memset(&m, 0xAB, sizeof(m));
    vshared_mapping before = m;
    assert_int_equal(vshared_map(NULL, VSHARED_BUS_MASTER_READ, priv, 8, &m), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, NULL, 8, &m),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, priv, 0, &m),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, priv, 8, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, (vshared_op)0, priv, 8, &m), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, (vshared_op)4, priv, 8, &m), TDS_ERR_INVALID_ARG);
    /* A "private" buffer inside the pool, or straddling its start, is refused. */
    uint8_t *pool_va = fake_va(&e->f, FAKE_GUARD);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, pool_va + 10, 8, &m),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_WRITE, pool_va - 4, 8, &m),
                     TDS_ERR_INVALID_ARG);
    void *top = (void *)(UINTPTR_MAX - 10u);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, top, 16, &m), TDS_ERR_OVERFLOW);
    assert_memory_equal(&m, &before, sizeof(m)); /* out untouched on every failure */
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES);

    /* Exhaustion: a map needing more pages than are free fails cleanly. */
    vshared_buffer big;
    assert_int_equal(vshared_alloc(&e->pool, FAKE_POOL_PAGES - 1u, &big), TDS_OK);
    uint8_t *large = calloc(1, 2 * PGSZ);
    assert_non_null(large);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, large, PGSZ + 1, &m),
                     TDS_ERR_NO_SPACE);
    assert_memory_equal(&m, &before, sizeof(m));
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, large, PGSZ, &m), TDS_OK);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    free(large);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

/* A mapping struct that was tampered with is refused and nothing is copied or freed. */
static void test_unmap_rejects_tampered(void **state)
{
    (void)state;
    env *e = ready_env();
    uint8_t priv[100];
    memset(priv, 0x33, sizeof(priv));
    vshared_mapping m;
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_WRITE, priv, sizeof(priv), &m),
                     TDS_OK);
    memset(m.bounce, 0x99, PGSZ);
    vshared_mapping t = m;
    t.len = PGSZ + 1; /* longer than the bounce */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.bounce_pages = 2;
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.bounce += 8;
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.bounce += PGSZ; /* a free page */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.host = fake_va(&e->f, FAKE_GUARD + 5u); /* copy target inside the pool */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.op = (vshared_op)9;
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.len = 0;
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.device_addr |= MASK48; /* the shared-bit form of the address */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    t = m;
    t.device_addr += PGSZ; /* another page's address */
    assert_int_equal(vshared_unmap(&e->pool, &t), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_unmap(NULL, &m), TDS_ERR_INVALID_ARG);
    assert_int_equal(vshared_unmap(&e->pool, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(priv[0], 0x33); /* nothing copied */
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES - 1u);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    assert_int_equal(priv[0], 0x99);
    assert_int_equal(vshared_pool_free_pages(&e->pool), FAKE_POOL_PAGES);
    CHECK_POOL_SHARED(e);
    env_free(e);
}

/* Many mappings in flight, unmapped out of order: each bounce is private to its mapping and the
 * pool ends empty, zero and shared. Then the pool goes back to private. */
static void test_interleaved_mappings(void **state)
{
    (void)state;
    env *e = ready_env();
    scrub_pool_free_pages(e);
    enum { N = 12 };
    uint8_t src[N][700];
    uint8_t dst[N][700];
    vshared_mapping rd[N];
    vshared_mapping wr[N];
    for (size_t i = 0; i < N; i++) {
        fill(src[i], sizeof(src[i]), (uint8_t)i);
        memset(dst[i], 0, sizeof(dst[i]));
        size_t len = 100 + i * 50;
        assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, src[i], len, &rd[i]),
                         TDS_OK);
        assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_WRITE, dst[i], len, &wr[i]),
                         TDS_OK);
    }
    for (size_t k = 0; k < N; k++) {
        size_t i = (k * 5u) % N; /* 5 is coprime with 12: every index once */
        uint8_t *in = fake_device_ptr(&e->f, rd[i].device_addr, rd[i].len);
        uint8_t *out = fake_device_ptr(&e->f, wr[i].device_addr, wr[i].len);
        assert_non_null(in);
        assert_non_null(out);
        for (size_t j = 0; j < rd[i].len; j++) {
            out[j] = (uint8_t)(in[j] ^ 0xFF);
        }
        assert_int_equal(vshared_unmap(&e->pool, &rd[i]), TDS_OK);
        assert_int_equal(vshared_unmap(&e->pool, &wr[i]), TDS_OK);
        size_t len = 100 + i * 50;
        for (size_t j = 0; j < len; j++) {
            assert_int_equal(dst[i][j], (uint8_t)(src[i][j] ^ 0xFF));
        }
        assert_int_equal(dst[i][len], 0);
        CHECK_POOL_SHARED(e);
    }
    assert_int_equal(e->f.device_faults, 0);
    assert_true(pool_all_zero(e));
    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    CHECK_ALL_PRIVATE(e);
    env_free(e);
}

/*
 * Device addresses are plain GPAs (shared bit clear) for GPAW 48 and 52, both for a pool in low
 * memory and for one that ends exactly at the shared bit: every page, the last byte of the pool
 * through COMMON, a bounce covering the whole pool. Each resolves through the fake device (a VMM
 * device model) to the right host bytes; the same address with the shared bit set is refused.
 */
static void device_addrs_plain(uint32_t gpaw, bool at_top)
{
    uint64_t mask = 0;
    assert_int_equal(vshared_shared_mask_from_gpaw(gpaw, &mask), TDS_OK);
    env *e = env_new(at_top ? mask - (uint64_t)FAKE_PAGES * PGSZ : BASE_GPA, mask);
    size_t n = at_top ? FAKE_PAGES - FAKE_GUARD : FAKE_POOL_PAGES;
    assert_int_equal(vshared_pool_init(&e->pool, &e->ops, fake_va(&e->f, FAKE_GUARD),
                                       fake_gpa(&e->f, FAKE_GUARD), n, e->bitmap,
                                       VSHARED_BITMAP_WORDS(FAKE_PAGES)),
                     TDS_OK);
    assert_int_equal(fake_first_bad(&e->f, FAKE_GUARD, n, true), -1);
    uint64_t pool_end = fake_gpa(&e->f, FAKE_GUARD + n);
    if (at_top) {
        assert_true(pool_end == mask);
    }

    static vshared_buffer b[FAKE_PAGES];
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(vshared_alloc(&e->pool, 1, &b[i]), TDS_OK);
        uint64_t dev = b[i].device_addr;
        assert_true(dev == fake_gpa(&e->f, FAKE_GUARD + i));
        assert_true((dev & mask) == 0);
        assert_true(dev + PGSZ <= mask);
        assert_ptr_equal(fake_device_ptr(&e->f, dev, PGSZ), b[i].host);
        assert_null(fake_device_ptr(&e->f, dev | mask, 1)); /* the old, wrong form */
    }
    assert_int_equal(e->f.device_faults, n);

    /* COMMON: the very last byte of the pool, and the whole last page. */
    uint8_t *last = (uint8_t *)b[n - 1u].host + PGSZ - 1u;
    vshared_mapping m;
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, last, 1, &m), TDS_OK);
    assert_true(m.device_addr == pool_end - 1u);
    assert_true((m.device_addr & mask) == 0);
    assert_ptr_equal(fake_device_ptr(&e->f, m.device_addr, 1), last);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_COMMON, b[n - 1u].host, PGSZ, &m),
                     TDS_OK);
    assert_true(m.device_addr + m.len == pool_end);
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(vshared_free(&e->pool, b[i].host), TDS_OK);
    }

    /* A READ bounce over the whole pool: [device_addr, device_addr + len) ends at pool_end. */
    size_t len = n * PGSZ;
    uint8_t *priv = malloc(len);
    assert_non_null(priv);
    fill(priv, len, (uint8_t)gpaw);
    assert_int_equal(vshared_map(&e->pool, VSHARED_BUS_MASTER_READ, priv, len, &m), TDS_OK);
    assert_true(m.device_addr == fake_gpa(&e->f, FAKE_GUARD));
    assert_true(m.device_addr + m.len == pool_end);
    const uint8_t *dev = fake_device_ptr(&e->f, m.device_addr, len);
    assert_non_null(dev);
    assert_memory_equal(dev, priv, len);
    assert_null(fake_device_ptr(&e->f, m.device_addr | mask, len));
    assert_int_equal(vshared_unmap(&e->pool, &m), TDS_OK);
    free(priv);
    assert_int_equal(e->f.device_faults, n + 1u);

    assert_int_equal(vshared_pool_release(&e->pool), TDS_OK);
    assert_int_equal(fake_first_bad(&e->f, 0, 0, false), -1);
    assert_null(fake_device_ptr(&e->f, fake_gpa(&e->f, FAKE_GUARD), 1)); /* private again */
    assert_int_equal(e->f.violations, 0);
    env_free(e);
}

static void test_device_addr_never_shared(void **state)
{
    (void)state;
    device_addrs_plain(48, false);
    device_addrs_plain(48, true);
    device_addrs_plain(52, false);
    device_addrs_plain(52, true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bus_master_read),
        cmocka_unit_test(test_bus_master_write_bounded),
        cmocka_unit_test(test_common_buffer),
        cmocka_unit_test(test_map_rejects),
        cmocka_unit_test(test_unmap_rejects_tampered),
        cmocka_unit_test(test_interleaved_mappings),
        cmocka_unit_test(test_device_addr_never_shared),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
