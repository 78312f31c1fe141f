/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The AP rounds on host threads: each thread plays an AP that has been handed to the OS and runs
 * libmailbox's real assembly blob (installed into a fresh page, entered with
 * mbox_x86_enter_os_loop); the payload's real vectors (ap_vectors.S) record into the slots. The
 * blob's reset entry reloads CR3 and issues a TDCALL, neither of which a host thread can do, so
 * here the ResetVector given to vector 1 is the blob's loop entry (the state the reset entry
 * ends in); the firmware boot exercises the real reset entry. Hostile: an APIC ID nobody answers,
 * a ResetVector that does not return to the loop, a BSP missing from the MADT.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <cmocka.h>

#include "tdp_ap.h"
#include "tdp_fixture.h"

#define N_APS 2u
#define GOOD_SPIN 1000000u  /* >= 20 s: only a hang reaches it */
#define HOSTILE_SPIN 25000u /* >= 0.5 s: what an unanswered request costs */

static const uint32_t g_ap_ids[N_APS] = {1, 300};

struct world {
    mbox_os_mailbox *mb;
    uint8_t *page;
    uint64_t entry;
    pthread_t threads[N_APS];
    tdp_ap_slot slots[N_APS + 2];
    tdp_madt madt;
};

static struct world *g_w;
static struct fx_capture g_cap;

static void *ap_thread(void *p)
{
    const uint32_t apic = (uint32_t)(uintptr_t)p;
    mbox_x86_enter_os_loop(g_w->entry, (uint64_t)(uintptr_t)g_w->mb, apic);
    return NULL; /* vector 2 was released */
}

/* One wait step: 20 us of sleep, so a spin limit is a time budget whatever the machine's load
 * (the AP threads spin in the blob and compete for the same cores). */
static bool host_pause(void *ctx)
{
    (void)ctx;
    const struct timespec ts = {0, 20000};
    (void)nanosleep(&ts, NULL);
    return true;
}

static uint64_t fn_addr(void (*f)(void))
{
    uint64_t v;
    memcpy(&v, &f, sizeof v);
    return v;
}

static void world_start(const uint32_t *madt_ids, uint32_t n)
{
    g_w = calloc(1, sizeof *g_w);
    assert_non_null(g_w);
    g_w->mb = aligned_alloc(MBOX_OS_ALIGN, sizeof(mbox_os_mailbox));
    assert_non_null(g_w->mb);
    mbox_os_init(g_w->mb);
    void *pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(pg != MAP_FAILED);
    g_w->page = pg;
    assert_int_equal(mbox_os_blob_install(tds_mut_bytes_make(pg, 4096), mbox_os_blob_bytes(),
                                          (uint64_t)(uintptr_t)g_w->mb, 0x1000),
                     TDS_OK);
    assert_int_equal(mprotect(pg, 4096, PROT_READ | PROT_EXEC), 0);
    g_w->entry = (uint64_t)(uintptr_t)(g_w->page + MBOX_BLOB_OFF_ENTRY);
    for (uint32_t i = 0; i < N_APS; i++) {
        assert_int_equal(
            pthread_create(&g_w->threads[i], NULL, ap_thread, (void *)(uintptr_t)g_ap_ids[i]), 0);
    }
    g_w->madt.cpu_count = n;
    for (uint32_t i = 0; i < n; i++) {
        g_w->madt.cpus[i].apic_id = madt_ids[i];
        g_w->madt.cpus[i].uid = i;
    }
    g_w->madt.wakeup_version = 1;
    g_w->madt.mailbox = (uint64_t)(uintptr_t)g_w->mb;
    g_w->madt.reset_vector = g_w->entry;
}

static tdp_ap_env env_for(uint64_t reset, uint32_t bsp, uint64_t spin)
{
    tdp_ap_env e = {
        .mailbox = g_w->mb,
        .mailbox_addr = (uint64_t)(uintptr_t)g_w->mb,
        .reset_vector = reset,
        .vector1 = fn_addr(tdp_ap_vector_reset),
        .vector2 = fn_addr(tdp_ap_vector_park),
        .bsp_apic_id = bsp,
        .slots = g_w->slots,
        .slot_count = N_APS + 2,
        .ctx = NULL,
        .pause = host_pause,
        .spin_limit = spin,
    };
    return e;
}

/* Send every AP still in the loop to vector 2 (as a plain OS would), release every slot, join. */
static void world_stop(const bool *parked)
{
    __atomic_store_n(&g_w->mb->command, 0, __ATOMIC_RELEASE); /* withdraw a pending request */
    for (uint32_t i = 0; i < N_APS; i++) {
        if (parked[i]) {
            continue;
        }
        tdp_ap_slot *s = &g_w->slots[N_APS + 1];
        memset(s, 0, sizeof *s);
        const uint64_t addr = (uint64_t)(uintptr_t)s;
        memcpy(g_w->mb->os_area, &addr, sizeof addr);
        __atomic_store_n(&g_w->mb->apic_id, g_ap_ids[i], __ATOMIC_RELAXED);
        __atomic_store_n(&g_w->mb->wakeup_vector, fn_addr(tdp_ap_vector_park), __ATOMIC_RELAXED);
        __atomic_store_n(&g_w->mb->command, MBOX_OS_CMD_WAKEUP, __ATOMIC_RELEASE);
        while (__atomic_load_n(&s->done2, __ATOMIC_ACQUIRE) == 0) {
            (void)sched_yield();
        }
        __atomic_store_n(&s->release, 1, __ATOMIC_RELEASE);
        assert_int_equal(pthread_join(g_w->threads[i], NULL), 0);
        g_w->threads[i] = 0;
    }
    for (size_t i = 0; i < N_APS + 2; i++) {
        __atomic_store_n(&g_w->slots[i].release, 1, __ATOMIC_RELEASE);
    }
    for (uint32_t i = 0; i < N_APS; i++) {
        if (g_w->threads[i] != 0) {
            assert_int_equal(pthread_join(g_w->threads[i], NULL), 0);
        }
    }
    assert_int_equal(munmap(g_w->page, 4096), 0);
    free(g_w->mb);
    free(g_w);
    g_w = NULL;
}

static void test_three_rounds(void **state)
{
    (void)state;
    const uint32_t ids[N_APS + 1] = {0, 1, 300};
    world_start(ids, N_APS + 1);
    const tdp_ap_env env = env_for(g_w->entry, 0, GOOD_SPIN);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_ap_summary sum;
    assert_int_equal(tdp_ap_check(&sink, &g_w->madt, &env, &sum), TDS_OK);
    assert_int_equal(sum.aps, N_APS);
    assert_int_equal(sum.woken, N_APS);
    assert_int_equal(sum.tested, N_APS);
    assert_int_equal(sum.woken2, N_APS);
    assert_true(sum.bsp_listed);
    assert_true(fx_has_line(&g_cap, "tdpayload: ap apic=1 woken=1 reset=ok woken2=1"));
    assert_true(fx_has_line(&g_cap, "tdpayload: ap apic=300 woken=1 reset=ok woken2=1"));
    assert_int_equal(fx_count_prefix(&g_cap, "tdpayload: ap apic="), N_APS);
    assert_true(fx_has_line(
        &g_cap, "tdpayload: aps bsp_apic=0 bsp_listed=1 aps=2 woken=2 reset=2 woken2=2 ok"));
    /* What the vectors saw: RAX = the vector, RDI = the mailbox, ESI = the APIC ID, each once. */
    for (uint32_t i = 1; i <= N_APS; i++) {
        const tdp_ap_slot *s = &g_w->slots[i];
        assert_int_equal(s->done1, 1);
        assert_int_equal(s->done2, 1);
        assert_int_equal(s->apic1, ids[i]);
        assert_int_equal(s->apic2, ids[i]);
        assert_int_equal(s->rax1, env.vector1);
        assert_int_equal(s->rax2, env.vector2);
        assert_int_equal(s->rdi1, env.mailbox_addr);
    }
    const bool parked[N_APS] = {true, true};
    world_stop(parked);
}

static void test_nobody_answers(void **state)
{
    (void)state;
    const uint32_t ids[3] = {0, 1, 9}; /* 9 has no AP */
    world_start(ids, 3);
    const tdp_ap_env env = env_for(g_w->entry, 0, HOSTILE_SPIN);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_ap_summary sum;
    assert_int_equal(tdp_ap_check(&sink, &g_w->madt, &env, &sum), TDS_ERR_BUSY);
    assert_int_equal(sum.woken, 1);
    assert_int_equal(sum.tested, 0); /* the rounds stop at the first timeout */
    assert_true(fx_has_line(&g_cap, "tdpayload: ap apic=1 woken=1 reset=FAIL woken2=0"));
    assert_true(fx_has_line(&g_cap, "tdpayload: ap apic=9 woken=0 reset=FAIL woken2=0"));
    assert_true(fx_has_line(
        &g_cap, "tdpayload: aps bsp_apic=0 bsp_listed=1 aps=2 woken=1 reset=0 woken2=0 FAIL busy"));
    const bool parked[N_APS] = {false, false};
    world_stop(parked);
}

static void test_reset_vector_not_back_to_loop(void **state)
{
    (void)state;
    const uint32_t ids[3] = {0, 1, 300};
    world_start(ids, 3);
    /* A ResetVector that parks instead of serving the mailbox: TEST is never acknowledged. */
    const tdp_ap_env env = env_for(fn_addr(tdp_ap_vector_park), 0, HOSTILE_SPIN);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_ap_summary sum;
    assert_int_equal(tdp_ap_check(&sink, &g_w->madt, &env, &sum), TDS_ERR_BUSY);
    assert_int_equal(sum.woken, 2);
    assert_int_equal(sum.tested, 0);
    assert_true(fx_has_line(&g_cap, "tdpayload: ap apic=1 woken=1 reset=FAIL woken2=0"));
    const bool parked[N_APS] = {true, true};
    world_stop(parked);
}

static void test_bsp_not_listed(void **state)
{
    (void)state;
    const uint32_t ids[2] = {1, 300};
    world_start(ids, 2);
    const tdp_ap_env env = env_for(g_w->entry, 0, GOOD_SPIN);
    const struct tdp_sink sink = fx_sink(&g_cap);
    tdp_ap_summary sum;
    assert_int_equal(tdp_ap_check(&sink, &g_w->madt, &env, &sum), TDS_ERR_NOT_FOUND);
    assert_int_equal(sum.woken2, 2);
    assert_false(sum.bsp_listed);
    const bool parked[N_APS] = {true, true};
    world_stop(parked);
    /* Too few slots for the MADT. */
    tdp_madt m = {.cpu_count = 3};
    mbox_os_mailbox *mb = aligned_alloc(MBOX_OS_ALIGN, sizeof *mb);
    assert_non_null(mb);
    tdp_ap_slot slots[2];
    const tdp_ap_env small = {.mailbox = mb, .slots = slots, .slot_count = 2, .pause = host_pause};
    assert_int_equal(tdp_ap_check(&sink, &m, &small, &sum), TDS_ERR_NO_SPACE);
    free(mb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_rounds),
        cmocka_unit_test(test_nobody_answers),
        cmocka_unit_test(test_reset_vector_not_back_to_loop),
        cmocka_unit_test(test_bsp_not_listed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
