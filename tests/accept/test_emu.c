/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libaccept on libtdcall's TDX-module emulator, through the accept_tdcall adapter (the shim's
 * accept op over the real wrapper tdcall_mem_page_accept; tdcall_emu_backend): ragged maps
 * across 4 GiB, VMM 4K islands inside 2M-mapped memory, already-accepted islands, the 1.5 module's
 * 1G refusal, injected faults, and real threads (each presenting its own vCPU index) with identical
 * final state. Every byte of the emulated 64 MiB is checked: zero where accepted, the pre-fill
 * pattern elsewhere. Label `concurrency`.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/accept.h"
#include "tdshim/accept_tdcall.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/tdx_emu_backend.h"

#define K4 ACCEPT_PAGE_4K
#define M2 ACCEPT_PAGE_2M
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define GARBAGE 0xA5u
#define PRE 0x5Au
#define MAX_VCPUS 64u

/* ---- real threads, each presenting vCPU index i to the emulator ---- */

typedef struct vcpu_pool {
    uint32_t n;
} vcpu_pool;

typedef struct vcpu_arg {
    accept_worker_fn worker;
    void *arg;
    uint32_t index;
} vcpu_arg;

static void *vcpu_main(void *p)
{
    const vcpu_arg *va = p;
    tdx_emu_backend_set_vcpu(va->index);
    va->worker(va->arg);
    return NULL;
}

static tds_status vcpu_parallel(void *ctx, accept_worker_fn worker, void *arg)
{
    const vcpu_pool *pool = ctx;
    pthread_t tid[MAX_VCPUS];
    vcpu_arg args[MAX_VCPUS];
    uint32_t started = 0;
    for (uint32_t i = 0; i < pool->n && i < MAX_VCPUS; i++) {
        args[i].worker = worker;
        args[i].arg = arg;
        args[i].index = i;
        if (pthread_create(&tid[i], NULL, vcpu_main, &args[i]) != 0) {
            break;
        }
        started++;
    }
    for (uint32_t i = 0; i < started; i++) {
        pthread_join(tid[i], NULL);
    }
    return started == pool->n ? TDS_OK : TDS_ERR_STATE;
}

/* ---- the emulated TD: 64 MiB across 4 GiB, 2M-mapped with a 4K-mapped island ---- */

static const uint64_t W = 4 * GiB - 32 * MiB;

typedef struct world {
    struct tdx_emu emu;
    struct tdx_emu_range r[5];
    uint8_t *state[5];
    uint8_t *backing[5];
} world;

static void world_init(world *w)
{
    static const struct {
        uint64_t off, len;
        tdcall_page_level lvl;
    } layout[5] = {
        {0, 16 * MiB, TDCALL_PAGE_2M},        {16 * MiB, 2 * MiB, TDCALL_PAGE_4K},
        {18 * MiB, 22 * MiB, TDCALL_PAGE_2M}, {40 * MiB, 2 * MiB, TDCALL_PAGE_4K},
        {42 * MiB, 22 * MiB, TDCALL_PAGE_2M},
    };
    memset(w, 0, sizeof(*w));
    for (size_t i = 0; i < 5; i++) {
        w->state[i] = calloc((size_t)(layout[i].len / K4), 1);
        w->backing[i] = malloc((size_t)layout[i].len);
        assert_non_null(w->state[i]);
        assert_non_null(w->backing[i]);
        memset(w->backing[i], GARBAGE, (size_t)layout[i].len);
        w->r[i].base = W + layout[i].off;
        w->r[i].size = layout[i].len;
        w->r[i].initial = TDX_EMU_PAGE_PENDING;
        w->r[i].map_level = layout[i].lvl;
        w->r[i].page_state = w->state[i];
        w->r[i].backing = w->backing[i];
    }
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.gpaw = 48;
    cfg.num_vcpus = MAX_VCPUS;
    cfg.ranges = w->r;
    cfg.range_count = 5;
    assert_int_equal(tdx_emu_init(&w->emu, &cfg), TDS_OK);
    /* Already-accepted islands: one 2M leaf, three 4K pages in the 4K-mapped block. */
    assert_int_equal(tdx_emu_page_set(&w->emu, W + 20 * MiB, M2, TDX_EMU_PAGE_ACCEPTED), TDS_OK);
    memset(w->backing[2] + 2 * MiB, PRE, (size_t)M2);
    assert_int_equal(
        tdx_emu_page_set(&w->emu, W + 40 * MiB + 8 * K4, 3 * K4, TDX_EMU_PAGE_ACCEPTED), TDS_OK);
    memset(w->backing[3] + 8 * K4, PRE, (size_t)(3 * K4));
    tdx_emu_backend_install(&w->emu);
}

static void world_free(world *w)
{
    tdx_emu_backend_install(NULL);
    for (size_t i = 0; i < 5; i++) {
        free(w->state[i]);
        free(w->backing[i]);
    }
}

static uint8_t *byte_at(world *w, uint64_t gpa)
{
    for (size_t i = 0; i < 5; i++) {
        if (gpa >= w->r[i].base && gpa < w->r[i].base + w->r[i].size) {
            return &w->backing[i][gpa - w->r[i].base];
        }
    }
    return NULL;
}

static bool is_pre(uint64_t gpa)
{
    return (gpa >= W + 20 * MiB && gpa < W + 22 * MiB) ||
           (gpa >= W + 40 * MiB + 8 * K4 && gpa < W + 40 * MiB + 11 * K4);
}

static const accept_range ragged[] = {
    {4 * GiB - 32 * MiB + 3 * K4, 5 * MiB + 5 * K4},
    {4 * GiB - 32 * MiB + 6 * MiB + 7 * K4, K4},
    {4 * GiB - 32 * MiB + 7 * MiB, 4 * MiB + K4},
    {4 * GiB - 32 * MiB + 11 * MiB + K4, 34 * MiB - K4}, /* adjacent; crosses 4 GiB */
    {4 * GiB - 32 * MiB + 46 * MiB + K4, 16 * MiB - 3 * K4},
};

static uint64_t ragged_bytes(void)
{
    uint64_t b = 0;
    for (size_t k = 0; k < TDS_ARRAY_LEN(ragged); k++) {
        b += ragged[k].len;
    }
    return b;
}

static bool in_ragged(uint64_t gpa)
{
    for (size_t k = 0; k < TDS_ARRAY_LEN(ragged); k++) {
        if (gpa >= ragged[k].base && gpa < ragged[k].base + ragged[k].len) {
            return true;
        }
    }
    return false;
}

/* Does every byte of the 4 KiB page at p equal v? (memcmp: one sanitizer check per page) */
static bool page_is(const uint8_t *p, uint8_t v)
{
    static uint8_t ref[K4];
    if (ref[0] != v || ref[K4 - 1] != v) {
        memset(ref, v, sizeof(ref));
    }
    return memcmp(p, ref, sizeof(ref)) == 0;
}

/*
 * Every requested page outside [hole_lo, hole_hi) accepted, and every byte of it zero (the
 * backing starts as GARBAGE, so a page the module did not zero fails) or, if it was accepted
 * before the run, still PRE; every other page pending with every byte still GARBAGE. The whole
 * 64 MiB, byte by byte. The hole is where a failing chunk stopped.
 */
static bool world_ok_except(world *w, uint64_t hole_lo, uint64_t hole_hi)
{
    for (uint64_t a = W; a < W + 64 * MiB; a += K4) {
        uint8_t st = 0;
        const uint8_t *b = byte_at(w, a);
        if (tdx_emu_page_get(&w->emu, a, &st) != TDS_OK || b == NULL) {
            return false;
        }
        bool want = is_pre(a) || (in_ragged(a) && (a < hole_lo || a >= hole_hi));
        if (want) {
            if (st != TDX_EMU_PAGE_ACCEPTED || !page_is(b, is_pre(a) ? PRE : 0)) {
                return false;
            }
        } else if (st != TDX_EMU_PAGE_PENDING || !page_is(b, GARBAGE)) {
            return false;
        }
    }
    return true;
}

static void check_world(world *w)
{
    assert_true(world_ok_except(w, 0, 0));
}

/* The adapter's context of the last run (shared by all its workers). */
static accept_tdcall_ctx emu_tc;

/* TDCALLs the adapter executed in the last run. */
static uint64_t adapter_tdcalls(void)
{
    accept_tdcall_stats s;
    accept_tdcall_get_stats(&emu_tc, &s);
    uint64_t n = 0;
    for (size_t i = 0; i < ACCEPT_TDCALL_CODES; i++) {
        n += s.codes[i];
    }
    assert_int_equal(s.refused, 0);
    return n;
}

static tds_status run(uint32_t workers, accept_1g_mode mode, const accept_range *r, size_t n,
                      accept_ctx *ctx)
{
    vcpu_pool pool = {workers};
    accept_config cfg = accept_config_default();
    cfg.mode_1g = mode;
    accept_ops o = accept_tdcall_ops(&emu_tc);
    o.parallel = workers > 1 ? vcpu_parallel : NULL;
    o.parallel_ctx = &pool;
    assert_int_equal(accept_init(ctx, &cfg, &o), TDS_OK);
    return accept_all(ctx, r, n);
}

static void test_emu_ragged(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    accept_ctx ctx;
    assert_int_equal(run(1, ACCEPT_1G_PROBE, ragged, TDS_ARRAY_LEN(ragged), &ctx), TDS_OK);
    check_world(&w);
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&w.emu, &c);
    /* Exactly once: the module zeroed exactly the requested bytes that were not accepted. */
    uint64_t pre_in_request = 2 * MiB + 3 * K4;
    assert_int_equal(c.accepted_bytes, ragged_bytes() - pre_in_request);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.bytes_accepted, c.accepted_bytes);
    assert_int_equal(st.bytes_already, pre_in_request);
    assert_int_equal(st.mismatches[1], 2); /* the two 4K-mapped blocks */
    assert_int_equal(c.accept_calls[0], st.calls[0]);
    assert_int_equal(c.accept_calls[1], st.calls[1]);
    assert_int_equal(c.accept_calls[2], 0); /* no 1 GiB page in this map: no probe */
    assert_int_equal(adapter_tdcalls(), c.accept_calls[0] + c.accept_calls[1]);
    /* The check sees one wrong byte anywhere: inside an accepted page (not at a sampled
     * offset), inside an untouched page, inside a pre-accepted one. */
    static const struct {
        uint64_t gpa;
        uint8_t v;
    } pokes[] = {{W + 12 * MiB + 777, 1}, {W + 45 * MiB + 1, 0}, {W + 21 * MiB + 4095, 0}};
    for (size_t i = 0; i < TDS_ARRAY_LEN(pokes); i++) {
        uint8_t *b = byte_at(&w, pokes[i].gpa);
        assert_non_null(b);
        if (b == NULL) {
            return; /* not reached */
        }
        uint8_t keep = *b;
        *b = pokes[i].v;
        assert_false(world_ok_except(&w, 0, 0));
        *b = keep;
        assert_true(world_ok_except(&w, 0, 0));
    }
    world_free(&w);
}

static void test_emu_threads_identical(void **state)
{
    (void)state;
    static const uint32_t ns[] = {2, 5, 16, 64};
    world ref;
    world_init(&ref);
    accept_ctx ctx;
    assert_int_equal(run(1, ACCEPT_1G_OFF, ragged, TDS_ARRAY_LEN(ragged), &ctx), TDS_OK);
    struct tdx_emu_counters rc;
    tdx_emu_counters_get(&ref.emu, &rc);
    tdx_emu_backend_install(NULL);
    for (size_t i = 0; i < TDS_ARRAY_LEN(ns); i++) {
        world w;
        world_init(&w);
        assert_int_equal(run(ns[i], ACCEPT_1G_OFF, ragged, TDS_ARRAY_LEN(ragged), &ctx), TDS_OK);
        check_world(&w);
        for (size_t k = 0; k < 5; k++) {
            assert_memory_equal(w.state[k], ref.state[k], (size_t)(w.r[k].size / K4));
            assert_memory_equal(w.backing[k], ref.backing[k], (size_t)w.r[k].size);
        }
        struct tdx_emu_counters c;
        tdx_emu_counters_get(&w.emu, &c);
        assert_memory_equal(c.accept_calls, rc.accept_calls, sizeof(c.accept_calls));
        assert_int_equal(c.accepted_bytes, rc.accepted_bytes);
        /* Every worker's call counted once in the one shared adapter context. */
        assert_int_equal(adapter_tdcalls(), c.leaf[TDCALL_LEAF_MEM_PAGE_ACCEPT]);
        world_free(&w);
    }
    tdx_emu_backend_install(&ref.emu);
    world_free(&ref);
}

/* The 1.5 emulator refuses level 2: one refused probe, then 2 MiB pages. */
static void test_emu_1g_refused(void **state)
{
    (void)state;
    struct tdx_emu emu;
    struct tdx_emu_range r;
    uint8_t *st = calloc((size_t)((GiB + 4 * MiB) / K4), 1);
    assert_non_null(st);
    memset(&r, 0, sizeof(r));
    r.base = GiB;
    r.size = GiB + 4 * MiB;
    r.initial = TDX_EMU_PAGE_PENDING;
    r.map_level = TDCALL_PAGE_2M;
    r.page_state = st;
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.gpaw = 48;
    cfg.num_vcpus = 4;
    cfg.ranges = &r;
    cfg.range_count = 1;
    assert_int_equal(tdx_emu_init(&emu, &cfg), TDS_OK);
    tdx_emu_backend_install(&emu);
    accept_ctx ctx;
    accept_range req[] = {{GiB, GiB + 4 * MiB}};
    assert_int_equal(run(4, ACCEPT_1G_PROBE, req, 1, &ctx), TDS_OK);
    assert_int_equal(accept_1g_state(&ctx), ACCEPT_1G_UNSUPPORTED);
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&emu, &c);
    assert_int_equal(c.accept_calls[2], 1);
    assert_int_equal(c.accept_calls[1], 514);
    assert_int_equal(c.accepted_bytes, GiB + 4 * MiB);
    accept_stats s;
    accept_get_stats(&ctx, &s);
    assert_int_equal(s.refused_1g, 1);
    tdx_emu_backend_install(NULL);
    free(st);
}

static void test_emu_faults(void **state)
{
    (void)state;
    world w;
    world_init(&w);
    /* Three BUSY answers to the first accept calls: retried, then everything succeeds. */
    struct tdx_emu_faults f;
    memset(&f, 0, sizeof(f));
    f.leaf = TDCALL_LEAF_MEM_PAGE_ACCEPT;
    f.leaf_count = 3;
    f.leaf_status = TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX;
    tdx_emu_faults_set(&w.emu, &f);
    accept_ctx ctx;
    assert_int_equal(run(1, ACCEPT_1G_OFF, ragged, TDS_ARRAY_LEN(ragged), &ctx), TDS_OK);
    accept_stats st;
    accept_get_stats(&ctx, &st);
    assert_int_equal(st.busy_retries, 3);
    check_world(&w);
    world_free(&w);

    /* More BUSY answers than retries: TDS_ERR_BUSY naming the first page. */
    world_init(&w);
    f.leaf_count = 6;
    tdx_emu_faults_set(&w.emu, &f);
    assert_int_equal(run(1, ACCEPT_1G_OFF, ragged, TDS_ARRAY_LEN(ragged), &ctx), TDS_ERR_BUSY);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, ragged[0].base);
    assert_int_equal(e.raw >> 32, TDX_OPERAND_BUSY >> 32);
    assert_true(world_ok_except(&w, ragged[0].base, (ragged[0].base | (M2 - 1)) + 1));
    world_free(&w);

    /* A module error: stops with the GPA and the raw status. */
    world_init(&w);
    f.leaf_count = 1;
    f.leaf_status = TDX_EPT_WALK_FAILED;
    tdx_emu_faults_set(&w.emu, &f);
    assert_int_equal(run(1, ACCEPT_1G_OFF, ragged, TDS_ARRAY_LEN(ragged), &ctx), TDS_ERR_DEVICE);
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, ragged[0].base);
    assert_int_equal(e.raw, TDX_EPT_WALK_FAILED);
    /* Only the failing (first edge) chunk stopped: [its first page, the next 2 MiB boundary). */
    assert_true(world_ok_except(&w, ragged[0].base, (ragged[0].base | (M2 - 1)) + 1));
    world_free(&w);

    /* Memory the VMM never added (outside the emulated RAM): EPT_ENTRY_NOT_PRESENT, named. */
    world_init(&w);
    accept_range beyond[] = {{W + 62 * MiB, 4 * MiB}};
    assert_int_equal(run(4, ACCEPT_1G_OFF, beyond, 1, &ctx), TDS_ERR_DEVICE);
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.gpa, W + 64 * MiB);
    assert_int_equal(e.raw >> 32, TDX_EPT_ENTRY_NOT_PRESENT >> 32);
    uint8_t s = 0;
    assert_int_equal(tdx_emu_page_get(&w.emu, W + 62 * MiB, &s), TDS_OK);
    assert_int_equal(s, TDX_EMU_PAGE_ACCEPTED); /* below the failure: done */
    world_free(&w);
}

/* Memory the VMM adds lazily (KVM answers the EPT-violation exit with AUG): accepted like
 * PENDING when the VMM cooperates; EPT_ENTRY_NOT_PRESENT named by GPA when it does not. */
static void run_not_present(bool aug, uint32_t workers)
{
    static uint8_t st[(8 * MiB) / K4];
    struct tdx_emu emu;
    struct tdx_emu_range r;
    memset(&r, 0, sizeof(r));
    r.base = 6 * GiB;
    r.size = 8 * MiB;
    r.initial = TDX_EMU_PAGE_NOT_PRESENT;
    r.map_level = TDCALL_PAGE_2M;
    r.page_state = st;
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.gpaw = 48;
    cfg.num_vcpus = MAX_VCPUS;
    cfg.aug_on_accept = aug;
    cfg.ranges = &r;
    cfg.range_count = 1;
    assert_int_equal(tdx_emu_init(&emu, &cfg), TDS_OK);
    tdx_emu_backend_install(&emu);
    accept_ctx ctx;
    accept_range req[] = {{6 * GiB + K4, 8 * MiB - 2 * K4}};
    tds_status res = run(workers, ACCEPT_1G_PROBE, req, 1, &ctx);
    if (aug) {
        assert_int_equal(res, TDS_OK);
        struct tdx_emu_counters c;
        tdx_emu_counters_get(&emu, &c);
        assert_int_equal(c.accepted_bytes, req[0].len);
        uint8_t s0 = 0;
        assert_int_equal(tdx_emu_page_get(&emu, 6 * GiB, &s0), TDS_OK);
        assert_int_equal(s0, TDX_EMU_PAGE_NOT_PRESENT); /* outside the request: untouched */
    } else {
        assert_int_equal(res, TDS_ERR_DEVICE);
        accept_error e;
        assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
        assert_int_equal(e.gpa, req[0].base); /* the lowest page fails first */
        assert_int_equal(e.raw >> 32, TDX_EPT_ENTRY_NOT_PRESENT >> 32);
    }
    tdx_emu_backend_install(NULL);
}

static void test_emu_not_present(void **state)
{
    (void)state;
    run_not_present(true, 1);
    run_not_present(true, 8);
    run_not_present(false, 1);
    run_not_present(false, 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emu_ragged),      cmocka_unit_test(test_emu_threads_identical),
        cmocka_unit_test(test_emu_1g_refused),  cmocka_unit_test(test_emu_faults),
        cmocka_unit_test(test_emu_not_present),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
