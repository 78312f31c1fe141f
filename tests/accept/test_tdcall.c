/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The accept_tdcall adapter: libaccept's accept op over libtdcall's TDG.MEM.PAGE.ACCEPT wrapper.
 *  - the mapping accept_tdcall_result over every libtdcall code (and codes outside the enum),
 *    reading only .code and keeping .raw;
 *  - libtdcall's decoder followed by the mapping over raw statuses with operand-id / SEPT-level
 *    low bits and over a sweep of status classes, against an oracle written from the Intel TDX
 *    Module ABI specification's completion-status classes (exact accept_result values);
 *  - the op on libtdcall's emulator (tdcall_emu_backend): every answer it gives, refusals that
 *    execute no TDCALL, the context's counters;
 *  - the engine on the op end to end: BUSY retries of each busy class and their exhaustion,
 *    SIZE_MISMATCH fallback to 4 KiB, ALREADY_ACCEPTED islands, hostile module answers (unknown
 *    class -> error, raw kept, not retried), and real threads sharing one context (label
 *    `concurrency`, also under TSan).
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

static void assert_result(accept_result r, accept_outcome outcome, uint64_t raw)
{
    assert_int_equal(r.outcome, outcome);
    assert_int_equal(r.raw, raw);
}

/* ---- the mapping ---------------------------------------------------------------------------- */

static tdcall_status status(tdcall_code code, uint64_t raw)
{
    tdcall_status st;
    st.code = code;
    st.detail = (uint32_t)(raw & 0xFFFFFFFFu);
    st.raw = raw;
    return st;
}

/* Every code, each with raws carrying different low bits: the outcome follows .code alone and
 * .raw is copied whatever it holds (the mapping reads no RAX bits). */
static void test_result_every_code(void **state)
{
    (void)state;
    static const struct {
        tdcall_code code;
        accept_outcome outcome;
    } map[] = {
        {TDCALL_SUCCESS, ACCEPT_OUTCOME_OK},
        {TDCALL_BUSY, ACCEPT_OUTCOME_BUSY},
        {TDCALL_ALREADY_ACCEPTED, ACCEPT_OUTCOME_ALREADY_ACCEPTED},
        {TDCALL_SIZE_MISMATCH, ACCEPT_OUTCOME_SIZE_MISMATCH},
        {TDCALL_INVALID_OPERAND, ACCEPT_OUTCOME_ERROR},
        {TDCALL_NO_VE_INFO, ACCEPT_OUTCOME_ERROR},
        {TDCALL_OTHER, ACCEPT_OUTCOME_ERROR},
        {(tdcall_code)(TDCALL_OTHER + 1), ACCEPT_OUTCOME_ERROR}, /* outside the enum */
        {(tdcall_code)99, ACCEPT_OUTCOME_ERROR},
        {(tdcall_code)-1, ACCEPT_OUTCOME_ERROR},
    };
    static const uint64_t raws[] = {
        0, 1, 2, 0xA8, 0x00000B0A00000001ull, 0xC000010000000001ull, 0xFFFFFFFFFFFFFFFFull};
    assert_int_equal(ACCEPT_TDCALL_CODES, 7);
    for (size_t i = 0; i < TDS_ARRAY_LEN(map); i++) {
        for (size_t k = 0; k < TDS_ARRAY_LEN(raws); k++) {
            assert_result(accept_tdcall_result(status(map[i].code, raws[k])), map[i].outcome,
                          raws[k]);
        }
    }
}

/*
 * The oracle: the completion-status classes (RAX bits 63:32) of the Intel TDX Module ABI
 * specification that TDG.MEM.PAGE.ACCEPT's caller acts on. Written out here so the test does not
 * take libtdcall's decoder as its own reference.
 */
static accept_outcome oracle(uint64_t raw)
{
    accept_outcome o = ACCEPT_OUTCOME_ERROR;
    switch ((uint32_t)(raw >> 32)) {
    case 0x00000000u: o = raw == 0 ? ACCEPT_OUTCOME_OK : ACCEPT_OUTCOME_ERROR; break;
    /* TDX_OPERAND_BUSY, TDX_PREVIOUS_TLB_EPOCH_BUSY, TDX_SYS_BUSY, ..._HOST_PRIORITY */
    case 0x80000200u:
    case 0x80000201u:
    case 0x80000202u:
    case 0x80000204u: o = ACCEPT_OUTCOME_BUSY; break;
    case 0x00000B0Au: o = ACCEPT_OUTCOME_ALREADY_ACCEPTED; break; /* TDX_PAGE_ALREADY_ACCEPTED */
    case 0xC0000B0Bu: o = ACCEPT_OUTCOME_SIZE_MISMATCH; break;    /* TDX_PAGE_SIZE_MISMATCH */
    default: break;
    }
    return o;
}

static accept_result through_libtdcall(uint64_t raw)
{
    return accept_tdcall_result(tdcall_status_decode(raw));
}

/* Raw statuses as a module gives them (operand id or SEPT level in bits 31:0), exact results. */
static void test_result_table(void **state)
{
    (void)state;
    static const struct {
        uint64_t raw;
        accept_outcome outcome;
    } cases[] = {
        {0x0000000000000000ull, ACCEPT_OUTCOME_OK},
        {0x0000000000000001ull, ACCEPT_OUTCOME_ERROR}, /* success class with detail: no answer */
        {0x0000000000000005ull, ACCEPT_OUTCOME_ERROR},
        {0x8000020000000000ull, ACCEPT_OUTCOME_BUSY}, /* OPERAND_BUSY */
        {0x8000020000000001ull, ACCEPT_OUTCOME_BUSY}, /* ... operand RCX */
        {0x80000200000000A8ull, ACCEPT_OUTCOME_BUSY}, /* ... RTMR operand id */
        {0x8000020100000000ull, ACCEPT_OUTCOME_BUSY}, /* PREVIOUS_TLB_EPOCH_BUSY */
        {0x8000020100000001ull, ACCEPT_OUTCOME_BUSY},
        {0x8000020200000000ull, ACCEPT_OUTCOME_BUSY}, /* SYS_BUSY */
        {0x8000020200000001ull, ACCEPT_OUTCOME_BUSY},
        {0x8000020300000000ull, ACCEPT_OUTCOME_ERROR}, /* RND_NO_ENTROPY: not busy */
        {0x8000020400000000ull, ACCEPT_OUTCOME_BUSY},  /* OPERAND_BUSY_HOST_PRIORITY */
        {0x8000020400000001ull, ACCEPT_OUTCOME_BUSY},
        {0x8000020500000000ull, ACCEPT_OUTCOME_ERROR},
        {0x8000000300000000ull, ACCEPT_OUTCOME_ERROR}, /* interrupted, resumable: not busy */
        {0x00000B0A00000000ull, ACCEPT_OUTCOME_ALREADY_ACCEPTED}, /* mapped at 4K */
        {0x00000B0A00000001ull, ACCEPT_OUTCOME_ALREADY_ACCEPTED}, /* ... at 2M */
        {0x00000B0A00000002ull, ACCEPT_OUTCOME_ALREADY_ACCEPTED}, /* ... at 1G */
        {0x80000B0A00000000ull, ACCEPT_OUTCOME_ERROR},
        {0xC0000B0B00000000ull, ACCEPT_OUTCOME_SIZE_MISMATCH},
        {0xC0000B0B00000001ull, ACCEPT_OUTCOME_SIZE_MISMATCH},
        {0xC0000B0B00000002ull, ACCEPT_OUTCOME_SIZE_MISMATCH},
        {0x00000B0B00000001ull, ACCEPT_OUTCOME_ERROR},
        {0xC0000B0000000000ull, ACCEPT_OUTCOME_ERROR}, /* EPT_WALK_FAILED */
        {0xC0000B0300000001ull, ACCEPT_OUTCOME_ERROR}, /* EPT_ENTRY_NOT_PRESENT, level 1 */
        {0xC000010000000001ull, ACCEPT_OUTCOME_ERROR}, /* OPERAND_INVALID (RCX): 1G on 1.5 */
        {0xC000070400000000ull, ACCEPT_OUTCOME_ERROR}, /* NO_VALID_VE_INFO: none for ACCEPT */
        {0x1234567800000042ull, ACCEPT_OUTCOME_ERROR}, /* no such class */
        {0xFFFFFFFFFFFFFFFFull, ACCEPT_OUTCOME_ERROR},
    };
    for (size_t i = 0; i < TDS_ARRAY_LEN(cases); i++) {
        assert_int_equal(oracle(cases[i].raw), cases[i].outcome);
        assert_result(through_libtdcall(cases[i].raw), cases[i].outcome, cases[i].raw);
    }
}

/* Every class of the status blocks the module uses (with and without the error / non-recoverable
 * bits, every low byte), each with operand-id / level details: decode + mapping == oracle. */
static void test_result_class_sweep(void **state)
{
    (void)state;
    static const uint32_t blocks[] = {0x00000000u, 0x00000100u, 0x00000200u, 0x00000700u,
                                      0x00000B00u, 0x00000C00u, 0x00001000u};
    static const uint32_t top[] = {0x00000000u, 0x40000000u, 0x80000000u, 0xC0000000u};
    static const uint32_t detail[] = {0u, 1u, 2u, 0xA8u, 0xFFFFFFFFu};
    uint64_t busy = 0;
    uint64_t other = 0;
    for (size_t b = 0; b < TDS_ARRAY_LEN(blocks); b++) {
        for (size_t t = 0; t < TDS_ARRAY_LEN(top); t++) {
            for (uint32_t lo = 0; lo < 0x100u; lo++) {
                const uint32_t cls = top[t] | blocks[b] | lo;
                for (size_t d = 0; d < TDS_ARRAY_LEN(detail); d++) {
                    const uint64_t raw = ((uint64_t)cls << 32) | detail[d];
                    const accept_result r = through_libtdcall(raw);
                    if (r.outcome != oracle(raw) || r.raw != raw) {
                        fail_msg("%#018llx: outcome %d raw %#018llx, expected %d",
                                 (unsigned long long)raw, (int)r.outcome, (unsigned long long)r.raw,
                                 (int)oracle(raw));
                    }
                    busy += r.outcome == ACCEPT_OUTCOME_BUSY ? 1u : 0u;
                    other += r.outcome == ACCEPT_OUTCOME_ERROR ? 1u : 0u;
                }
            }
        }
    }
    assert_int_equal(busy, 4 * TDS_ARRAY_LEN(detail)); /* the four busy classes, every detail */
    assert_true(other > 0);
}

/* ---- the op on the emulator ----------------------------------------------------------------- */

/* A small TD at 1 GiB: [G, G+4M) 2M-mapped, [G+4M, G+6M) 4K-mapped, all pending, garbage. */
static const uint64_t G = GiB;

typedef struct td {
    struct tdx_emu emu;
    struct tdx_emu_range r[2];
    uint8_t state0[(4 * MiB) / K4];
    uint8_t state1[(2 * MiB) / K4];
    uint8_t *mem; /* 6 MiB backing for both ranges */
} td;

static void td_init(td *t)
{
    memset(t, 0, sizeof(*t));
    t->mem = malloc((size_t)(6 * MiB));
    assert_non_null(t->mem);
    memset(t->mem, GARBAGE, (size_t)(6 * MiB));
    t->r[0].base = G;
    t->r[0].size = 4 * MiB;
    t->r[0].initial = TDX_EMU_PAGE_PENDING;
    t->r[0].map_level = TDCALL_PAGE_2M;
    t->r[0].page_state = t->state0;
    t->r[0].backing = t->mem;
    t->r[1].base = G + 4 * MiB;
    t->r[1].size = 2 * MiB;
    t->r[1].initial = TDX_EMU_PAGE_PENDING;
    t->r[1].map_level = TDCALL_PAGE_4K;
    t->r[1].page_state = t->state1;
    t->r[1].backing = t->mem + 4 * MiB;
    struct tdx_emu_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.gpaw = 48;
    cfg.num_vcpus = 16;
    cfg.ranges = t->r;
    cfg.range_count = 2;
    assert_int_equal(tdx_emu_init(&t->emu, &cfg), TDS_OK);
    tdx_emu_backend_install(&t->emu);
}

/* Already accepted before the run: the 2M leaf [G+2M, G+4M) and three 4K pages at G+4M+8K. */
static void td_preaccept(td *t)
{
    assert_int_equal(tdx_emu_page_set(&t->emu, G + 2 * MiB, M2, TDX_EMU_PAGE_ACCEPTED), TDS_OK);
    memset(t->mem + 2 * MiB, PRE, (size_t)M2);
    assert_int_equal(tdx_emu_page_set(&t->emu, G + 4 * MiB + 2 * K4, 3 * K4, TDX_EMU_PAGE_ACCEPTED),
                     TDS_OK);
    memset(t->mem + 4 * MiB + 2 * K4, PRE, (size_t)(3 * K4));
}

static void td_free(td *t)
{
    tdx_emu_backend_install(NULL);
    free(t->mem);
    t->mem = NULL;
}

static void inject(td *t, uint32_t count, uint64_t status)
{
    struct tdx_emu_faults f;
    memset(&f, 0, sizeof(f));
    f.leaf = TDCALL_LEAF_MEM_PAGE_ACCEPT;
    f.leaf_count = count;
    f.leaf_status = status;
    tdx_emu_faults_set(&t->emu, &f);
}

static bool bytes_are(const uint8_t *p, uint64_t len, uint8_t v)
{
    for (uint64_t i = 0; i < len; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

static accept_tdcall_stats stats_of(const accept_tdcall_ctx *c)
{
    accept_tdcall_stats s;
    accept_tdcall_get_stats(c, &s);
    return s;
}

/* Each answer the emulator gives to one call, exactly, and the context's record of them. */
static void test_op_answers(void **state)
{
    (void)state;
    td t;
    td_init(&t);
    accept_tdcall_ctx c;
    const accept_ops ops = accept_tdcall_ops(&c);
    assert_ptr_equal(ops.accept, accept_tdcall_page);
    assert_ptr_equal(ops.accept_ctx, &c);
    assert_null(ops.parallel);
    assert_null(ops.parallel_ctx);

    assert_result(accept_tdcall_page(&c, G, ACCEPT_LEVEL_2M), ACCEPT_OUTCOME_OK, 0);
    assert_true(bytes_are(t.mem, M2, 0)); /* the module zeroed it */
    assert_result(accept_tdcall_page(&c, G, ACCEPT_LEVEL_2M), ACCEPT_OUTCOME_ALREADY_ACCEPTED,
                  TDX_PAGE_ALREADY_ACCEPTED | 1u);
    /* A 4K page inside the accepted 2M leaf: already accepted, found at the 2M level. */
    assert_result(accept_tdcall_page(&c, G + 5 * K4, ACCEPT_LEVEL_4K),
                  ACCEPT_OUTCOME_ALREADY_ACCEPTED, TDX_PAGE_ALREADY_ACCEPTED | 1u);
    /* 2M over the 4K-mapped range: SIZE_MISMATCH at level 1; then 4K works there. */
    assert_result(accept_tdcall_page(&c, G + 4 * MiB, ACCEPT_LEVEL_2M),
                  ACCEPT_OUTCOME_SIZE_MISMATCH, TDX_PAGE_SIZE_MISMATCH | 1u);
    assert_result(accept_tdcall_page(&c, G + 4 * MiB, ACCEPT_LEVEL_4K), ACCEPT_OUTCOME_OK, 0);
    assert_result(accept_tdcall_page(&c, G + 4 * MiB, ACCEPT_LEVEL_4K),
                  ACCEPT_OUTCOME_ALREADY_ACCEPTED, TDX_PAGE_ALREADY_ACCEPTED | 0u);
    /* 1 GiB on the 1.5 module: OPERAND_INVALID naming RCX. */
    assert_result(accept_tdcall_page(&c, 0, ACCEPT_LEVEL_1G), ACCEPT_OUTCOME_ERROR,
                  TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX);
    /* Memory the VMM never added: EPT_ENTRY_NOT_PRESENT with the level. */
    assert_result(accept_tdcall_page(&c, 8 * GiB, ACCEPT_LEVEL_2M), ACCEPT_OUTCOME_ERROR,
                  TDX_EPT_ENTRY_NOT_PRESENT | 1u);
    /* Every busy class, as the module would answer it. */
    static const uint64_t busy[] = {TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX,
                                    TDX_PREVIOUS_TLB_EPOCH_BUSY, TDX_SYS_BUSY,
                                    TDX_OPERAND_BUSY_HOST_PRIORITY | TDX_OPERAND_ID_RCX};
    for (size_t i = 0; i < TDS_ARRAY_LEN(busy); i++) {
        inject(&t, 1, busy[i]);
        assert_result(accept_tdcall_page(&c, G + 6 * K4, ACCEPT_LEVEL_4K), ACCEPT_OUTCOME_BUSY,
                      busy[i]);
    }
    /* A hostile answer: no such class. */
    inject(&t, 1, 0x1234567800000042ull);
    assert_result(accept_tdcall_page(&c, G + 6 * K4, ACCEPT_LEVEL_4K), ACCEPT_OUTCOME_ERROR,
                  0x1234567800000042ull);

    accept_tdcall_stats s = stats_of(&c);
    assert_int_equal(s.codes[TDCALL_SUCCESS], 2);
    assert_int_equal(s.codes[TDCALL_ALREADY_ACCEPTED], 3);
    assert_int_equal(s.codes[TDCALL_SIZE_MISMATCH], 1);
    assert_int_equal(s.codes[TDCALL_INVALID_OPERAND], 1);
    assert_int_equal(s.codes[TDCALL_BUSY], 4);
    assert_int_equal(s.codes[TDCALL_NO_VE_INFO], 0);
    assert_int_equal(s.codes[TDCALL_OTHER], 2);
    assert_int_equal(s.refused, 0);
    assert_int_equal(s.last_raw, 0x1234567800000042ull);
    struct tdx_emu_counters ec;
    tdx_emu_counters_get(&t.emu, &ec);
    assert_int_equal(ec.leaf[TDCALL_LEAF_MEM_PAGE_ACCEPT], 13); /* one TDCALL per op call */

    /* A NULL context records nothing and changes nothing in the answer. */
    assert_result(accept_tdcall_page(NULL, G + 7 * K4, ACCEPT_LEVEL_4K),
                  ACCEPT_OUTCOME_ALREADY_ACCEPTED, TDX_PAGE_ALREADY_ACCEPTED | 1u);
    s = stats_of(&c);
    assert_int_equal(s.codes[TDCALL_ALREADY_ACCEPTED], 3);
    assert_int_equal(s.last_raw, 0x1234567800000042ull);

    /* accept_tdcall_init / _ops reset the context. */
    accept_tdcall_init(&c);
    s = stats_of(&c);
    for (size_t i = 0; i < ACCEPT_TDCALL_CODES; i++) {
        assert_int_equal(s.codes[i], 0);
    }
    assert_int_equal(s.refused, 0);
    assert_int_equal(s.last_raw, 0);
    td_free(&t);
}

/* Requests that execute no TDCALL: ERROR with raw 0, counted as refused, nothing reaches the
 * module, last_raw keeps the last executed call's status. */
static void test_op_refused(void **state)
{
    (void)state;
    td t;
    td_init(&t);
    accept_tdcall_ctx c;
    accept_tdcall_init(&c);
    assert_result(accept_tdcall_page(&c, G + 4 * MiB, ACCEPT_LEVEL_2M),
                  ACCEPT_OUTCOME_SIZE_MISMATCH, TDX_PAGE_SIZE_MISMATCH | 1u);
    struct tdx_emu_counters before;
    tdx_emu_counters_get(&t.emu, &before);

    assert_result(accept_tdcall_page(&c, G + K4, ACCEPT_LEVEL_2M), ACCEPT_OUTCOME_ERROR, 0);
    assert_result(accept_tdcall_page(&c, G + M2, ACCEPT_LEVEL_1G), ACCEPT_OUTCOME_ERROR, 0);
    assert_result(accept_tdcall_page(&c, G + 1, ACCEPT_LEVEL_4K), ACCEPT_OUTCOME_ERROR, 0);
    assert_result(accept_tdcall_page(&c, ACCEPT_GPA_LIMIT, ACCEPT_LEVEL_4K), ACCEPT_OUTCOME_ERROR,
                  0);
    assert_result(accept_tdcall_page(&c, G, (accept_level)3), ACCEPT_OUTCOME_ERROR, 0);
    assert_result(accept_tdcall_page(&c, G, (accept_level)-1), ACCEPT_OUTCOME_ERROR, 0);
    assert_result(accept_tdcall_page(NULL, G + K4, ACCEPT_LEVEL_2M), ACCEPT_OUTCOME_ERROR, 0);

    struct tdx_emu_counters after;
    tdx_emu_counters_get(&t.emu, &after);
    assert_int_equal(after.calls, before.calls);
    accept_tdcall_stats s = stats_of(&c);
    assert_int_equal(s.refused, 6);
    assert_int_equal(s.codes[TDCALL_SIZE_MISMATCH], 1);
    assert_int_equal(s.last_raw, TDX_PAGE_SIZE_MISMATCH | 1u);
    uint8_t st = 0;
    assert_int_equal(tdx_emu_page_get(&t.emu, G, &st), TDS_OK);
    assert_int_equal(st, TDX_EMU_PAGE_PENDING);
    td_free(&t);
}

/* ---- the engine on the op ------------------------------------------------------------------- */

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

/* Real threads, each presenting its own vCPU index to the emulator. */
static tds_status vcpu_parallel(void *ctx, accept_worker_fn worker, void *arg)
{
    const vcpu_pool *pool = ctx;
    pthread_t tid[16];
    vcpu_arg args[16];
    uint32_t started = 0;
    for (uint32_t i = 0; i < pool->n && i < 16u; i++) {
        args[i] = (vcpu_arg){worker, arg, i};
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

static const accept_range whole[] = {{GiB, 6 * MiB}};

static tds_status run_on(accept_tdcall_ctx *c, accept_ctx *ctx, uint32_t workers)
{
    vcpu_pool pool = {workers};
    accept_ops ops = accept_tdcall_ops(c);
    if (workers > 1) {
        ops.parallel = vcpu_parallel;
        ops.parallel_ctx = &pool;
    }
    accept_config cfg = accept_config_default();
    cfg.mode_1g = ACCEPT_1G_OFF;
    assert_int_equal(accept_init(ctx, &cfg, &ops), TDS_OK);
    return accept_all(ctx, whole, TDS_ARRAY_LEN(whole));
}

/* After a good run of `whole` on a pre-accepted td: every page accepted, zero where the module
 * accepted it, PRE where it was accepted before. */
static void check_accepted(td *t)
{
    for (uint64_t a = G; a < G + 6 * MiB; a += K4) {
        uint8_t st = 0;
        assert_int_equal(tdx_emu_page_get(&t->emu, a, &st), TDS_OK);
        assert_int_equal(st, TDX_EMU_PAGE_ACCEPTED);
        const bool pre = (a >= G + 2 * MiB && a < G + 4 * MiB) ||
                         (a >= G + 4 * MiB + 2 * K4 && a < G + 4 * MiB + 5 * K4);
        assert_true(bytes_are(t->mem + (a - G), K4, pre ? PRE : 0));
    }
}

/* The counts of one good run of `whole` on a pre-accepted td (1 GiB off), `busy` BUSY answers
 * on the first call: [G, G+2M) OK after the BUSYs, [G+2M, G+4M) ALREADY, [G+4M, G+6M)
 * SIZE_MISMATCH then 512 x 4K (509 OK, 3 ALREADY). */
static void check_counts(const accept_ctx *ctx, const accept_tdcall_ctx *c, uint64_t busy)
{
    accept_stats st;
    accept_get_stats(ctx, &st);
    assert_int_equal(st.calls[ACCEPT_LEVEL_2M], 3 + busy);
    assert_int_equal(st.calls[ACCEPT_LEVEL_4K], 512);
    assert_int_equal(st.calls[ACCEPT_LEVEL_1G], 0);
    assert_int_equal(st.accepted[ACCEPT_LEVEL_2M], 1);
    assert_int_equal(st.already[ACCEPT_LEVEL_2M], 1);
    assert_int_equal(st.mismatches[ACCEPT_LEVEL_2M], 1);
    assert_int_equal(st.accepted[ACCEPT_LEVEL_4K], 509);
    assert_int_equal(st.already[ACCEPT_LEVEL_4K], 3);
    assert_int_equal(st.busy_retries, busy);
    assert_int_equal(st.bytes_accepted, M2 + 509 * K4);
    assert_int_equal(st.bytes_already, M2 + 3 * K4);
    const accept_tdcall_stats s = stats_of(c);
    assert_int_equal(s.codes[TDCALL_SUCCESS], 1 + 509);
    assert_int_equal(s.codes[TDCALL_ALREADY_ACCEPTED], 1 + 3);
    assert_int_equal(s.codes[TDCALL_SIZE_MISMATCH], 1);
    assert_int_equal(s.codes[TDCALL_BUSY], busy);
    assert_int_equal(s.codes[TDCALL_INVALID_OPERAND], 0);
    assert_int_equal(s.codes[TDCALL_NO_VE_INFO], 0);
    assert_int_equal(s.codes[TDCALL_OTHER], 0);
    assert_int_equal(s.refused, 0);
}

/* Each busy class retried by the engine (5 BUSY answers = the default retries, then OK), the
 * 4K-mapped block split after SIZE_MISMATCH, the already-accepted leaf and pages skipped. */
static void test_engine_busy_mismatch_already(void **state)
{
    (void)state;
    static const uint64_t busy[] = {TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX,
                                    TDX_PREVIOUS_TLB_EPOCH_BUSY, TDX_SYS_BUSY,
                                    TDX_OPERAND_BUSY_HOST_PRIORITY | TDX_OPERAND_ID_RCX};
    for (size_t i = 0; i < TDS_ARRAY_LEN(busy); i++) {
        td t;
        td_init(&t);
        td_preaccept(&t);
        inject(&t, ACCEPT_DEFAULT_BUSY_RETRIES, busy[i]);
        accept_tdcall_ctx c;
        accept_ctx ctx;
        assert_int_equal(run_on(&c, &ctx, 1), TDS_OK);
        check_accepted(&t);
        check_counts(&ctx, &c, ACCEPT_DEFAULT_BUSY_RETRIES);
        /* One worker, chunks handed out edge-first: the interior 2M leaf is asked last. */
        assert_int_equal(stats_of(&c).last_raw, TDX_PAGE_ALREADY_ACCEPTED | 1u);
        td_free(&t);
    }
}

/* One BUSY more than the retries: TDS_ERR_BUSY at the first page, the busy status kept. */
static void test_engine_busy_exhausted(void **state)
{
    (void)state;
    td t;
    td_init(&t);
    inject(&t, ACCEPT_DEFAULT_BUSY_RETRIES + 1, TDX_SYS_BUSY);
    accept_tdcall_ctx c;
    accept_ctx ctx;
    assert_int_equal(run_on(&c, &ctx, 1), TDS_ERR_BUSY);
    accept_error e;
    assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
    assert_int_equal(e.status, TDS_ERR_BUSY);
    assert_int_equal(e.outcome, ACCEPT_OUTCOME_BUSY);
    assert_int_equal(e.level, ACCEPT_LEVEL_2M);
    assert_int_equal(e.gpa, G);
    assert_int_equal(e.raw, TDX_SYS_BUSY);
    assert_int_equal(stats_of(&c).codes[TDCALL_BUSY], ACCEPT_DEFAULT_BUSY_RETRIES + 1);
    uint8_t st = 0;
    assert_int_equal(tdx_emu_page_get(&t.emu, G, &st), TDS_OK);
    assert_int_equal(st, TDX_EMU_PAGE_PENDING); /* the failing chunk stopped */
    assert_int_equal(tdx_emu_page_get(&t.emu, G + 2 * MiB, &st), TDS_OK);
    assert_int_equal(st, TDX_EMU_PAGE_ACCEPTED); /* the other chunks went on */
    td_free(&t);
}

/* Hostile or meaningless module answers to the first call: an error naming the page with the
 * raw status as the module gave it, never retried. */
static void test_engine_hostile_answer(void **state)
{
    (void)state;
    static const uint64_t hostile[] = {
        0x1234567800000042ull, /* no such class */
        0x0000000000000005ull, /* success class with detail bits */
        0x8000000300000000ull, /* interrupted-resumable: not BUSY, must not be retried */
        0x8000020300000000ull, /* RND_NO_ENTROPY */
        TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX,
        TDX_NO_VALID_VE_INFO, /* a VEINFO.GET status, meaningless for ACCEPT */
        0xFFFFFFFFFFFFFFFFull,
    };
    for (size_t i = 0; i < TDS_ARRAY_LEN(hostile); i++) {
        td t;
        td_init(&t);
        inject(&t, 1, hostile[i]);
        accept_tdcall_ctx c;
        accept_ctx ctx;
        assert_int_equal(run_on(&c, &ctx, 1), TDS_ERR_DEVICE);
        accept_error e;
        assert_int_equal(accept_last_error(&ctx, &e), TDS_OK);
        assert_int_equal(e.status, TDS_ERR_DEVICE);
        assert_int_equal(e.outcome, ACCEPT_OUTCOME_ERROR);
        assert_int_equal(e.level, ACCEPT_LEVEL_2M);
        assert_int_equal(e.gpa, G);
        assert_int_equal(e.raw, hostile[i]);
        accept_stats st;
        accept_get_stats(&ctx, &st);
        assert_int_equal(st.busy_retries, 0);
        const accept_tdcall_stats s = stats_of(&c);
        assert_int_equal(s.codes[tdcall_status_decode(hostile[i]).code], 1);
        assert_int_equal(s.codes[TDCALL_SUCCESS], 1 + 512); /* [G+2M, G+4M) and the 4K block */
        td_free(&t);
    }
}

/* 1..16 vCPU threads sharing one adapter context: the same final state and exactly the same
 * counts as one worker (the answers depend only on the pages, docs/libaccept.md Determinism). */
static void test_engine_threads_share_ctx(void **state)
{
    (void)state;
    static const uint32_t ns[] = {1, 2, 3, 8, 16};
    for (size_t i = 0; i < TDS_ARRAY_LEN(ns); i++) {
        td t;
        td_init(&t);
        td_preaccept(&t);
        accept_tdcall_ctx c;
        accept_ctx ctx;
        assert_int_equal(run_on(&c, &ctx, ns[i]), TDS_OK);
        check_accepted(&t);
        check_counts(&ctx, &c, 0);
        td_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_every_code),
        cmocka_unit_test(test_result_table),
        cmocka_unit_test(test_result_class_sweep),
        cmocka_unit_test(test_op_answers),
        cmocka_unit_test(test_op_refused),
        cmocka_unit_test(test_engine_busy_mismatch_already),
        cmocka_unit_test(test_engine_busy_exhausted),
        cmocka_unit_test(test_engine_hostile_answer),
        cmocka_unit_test(test_engine_threads_share_ctx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
