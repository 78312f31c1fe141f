/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The ACPI MP-wakeup handshake, with the OS side played as Linux does it (madt_wakeup.c
 * acpi_wakeup_cpu: write apic_id and wakeup_vector, release-store command = WAKEUP, spin until
 * command reads 0). Every scenario runs three times: against the C loop (mbox_os_ap_loop);
 * against the real assembly blob, installed by mbox_os_blob_install into a fresh executable page
 * and entered by host threads with mbox_x86_enter_os_loop (at WAKEUP the blob jumps to a C
 * function that returns to the thread); and after the full hand-off, where the threads first
 * park in the firmware loop, do work, get EXIT(entry, mailbox) and enter the blob from there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#include <cmocka.h>

#include "host_ap.h"

#define N_APS 6u
#define NO_SUCH_APIC 0xDEADu

typedef struct os_ap {
    uint32_t index;
    uint32_t apic_id;
    int wakes;          /* times this AP arrived at a wake-up vector */
    uint64_t vector;    /* which vector */
    uint32_t apic_seen; /* ESI / apic_id at the vector */
    uint64_t mb_seen;   /* RDI / mailbox at the vector */
    tds_status status;
    host_ap host; /* ops (pause + stop flag) for the C loop */
    pthread_t thread;
} os_ap;

typedef enum world_mode {
    MODE_C_LOOP,  /* threads run mbox_os_ap_loop */
    MODE_BLOB,    /* threads enter the installed blob directly */
    MODE_HANDOFF, /* threads run the firmware loop, get EXIT(entry, mailbox), enter the blob */
} world_mode;

typedef struct os_world {
    mbox_os_mailbox *mb;
    world_mode mode;
    bool use_blob;
    uint64_t entry; /* the installed blob's entry */
    uint8_t *page;
    mbox_fw_slot *slots; /* MODE_HANDOFF: vCPU 0 = BSP, AP i is vCPU i + 1 */
    int fw_ran[N_APS];
    int stop;
    os_ap aps[N_APS];
} os_world;

static os_world *g_world;

/* The two wake-up vectors (real functions, so the blob can jump to them). */
static void vector_record(uint64_t which, mbox_os_mailbox *mb, uint32_t apic)
{
    os_ap *ap = &g_world->aps[host_ap_self];
    ap->vector = which;
    ap->apic_seen = apic;
    ap->mb_seen = (uint64_t)(uintptr_t)mb;
    /* Release: the record is complete before the main thread sees the count. */
    __atomic_store_n(&ap->wakes, ap->wakes + 1, __ATOMIC_RELEASE);
}
static void vector_a(mbox_os_mailbox *mb, uint32_t apic)
{
    vector_record(1, mb, apic);
}
static void vector_b(mbox_os_mailbox *mb, uint32_t apic)
{
    vector_record(2, mb, apic);
}
static uint64_t fn_addr(void (*f)(mbox_os_mailbox *, uint32_t))
{
    uint64_t v;
    memcpy(&v, &f, sizeof(v));
    return v;
}

/* C-loop jump hook: behave like the blob, calling the function at the vector address. */
static void c_jump(void *ctx, uint64_t vector, uint64_t mailbox, uint32_t apic_id)
{
    (void)ctx;
    void (*f)(mbox_os_mailbox *, uint32_t);
    memcpy(&f, &vector, sizeof(f));
    f((mbox_os_mailbox *)(uintptr_t)mailbox, apic_id);
}

static void *ap_thread(void *p)
{
    os_ap *ap = (os_ap *)p;
    host_ap_self = (int)ap->index;
    if (g_world->mode == MODE_HANDOFF) {
        mbox_fw_exit ex;
        ap->status = mbox_fw_ap_loop(&g_world->slots[ap->index + 1], &ap->host.ops, &ex);
        if (ap->status == TDS_OK) {
            mbox_x86_enter_os_loop(ex.a0, ex.a1, ex.apic_id);
        }
    } else if (g_world->mode == MODE_BLOB) {
        mbox_x86_enter_os_loop(g_world->entry, (uint64_t)(uintptr_t)g_world->mb, ap->apic_id);
        ap->status = TDS_OK;
    } else {
        ap->status = mbox_os_ap_loop(g_world->mb, ap->apic_id, &ap->host.ops);
    }
    return NULL;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Linux acpi_wakeup_cpu(). Returns true once acknowledged; false after timeout_s (Linux would
 * wait forever; the tests need an end). */
static bool os_wakeup(mbox_os_mailbox *mb, uint16_t cmd, uint32_t apic, uint64_t vector,
                      double timeout_s)
{
    __atomic_store_n(&mb->apic_id, apic, __ATOMIC_RELAXED);
    __atomic_store_n(&mb->wakeup_vector, vector, __ATOMIC_RELAXED);
    __atomic_store_n(&mb->command, cmd, __ATOMIC_RELEASE);
    double t0 = now_s();
    while (__atomic_load_n(&mb->command, __ATOMIC_ACQUIRE) != 0) {
        if (timeout_s > 0 && now_s() - t0 > timeout_s) {
            return false;
        }
        sched_yield();
    }
    return true;
}

static uint32_t apic_of(uint32_t i)
{
    static const uint32_t ids[N_APS] = {1, 2, 7, 254, 255, 0x1234};
    return ids[i];
}

static void fw_work(void *arg, uint32_t worker)
{
    int *ran = (int *)arg;
    if (worker >= 1 && worker <= N_APS && host_ap_self == (int)worker - 1) {
        __atomic_add_fetch(&ran[worker - 1], 1, __ATOMIC_RELAXED);
    }
}

static int world_setup(world_mode mode)
{
    bool use_blob = mode != MODE_C_LOOP;
    os_world *w = calloc(1, sizeof(*w));
    if (w == NULL) {
        return -1;
    }
    g_world = w; /* owned by g_world from here; a failure below is fatal for the test run */
    w->use_blob = use_blob;
    w->mode = mode;
    w->mb = aligned_alloc(MBOX_OS_ALIGN, sizeof(mbox_os_mailbox));
    if (w->mb == NULL) {
        abort();
    }
    mbox_os_init(w->mb);
    if (use_blob) {
        void *pg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (pg == MAP_FAILED) {
            abort();
        }
        w->page = pg;
        tds_status s = mbox_os_blob_install(tds_mut_bytes_make(pg, 4096), mbox_os_blob_bytes(),
                                            (uint64_t)(uintptr_t)w->mb, 0x1000);
        if (s != TDS_OK || mprotect(pg, 4096, PROT_READ | PROT_EXEC) != 0) {
            abort();
        }
        w->entry = (uint64_t)(uintptr_t)(w->page + MBOX_BLOB_OFF_ENTRY);
    }
    if (mode == MODE_HANDOFF) {
        w->slots = aligned_alloc(MBOX_FW_SLOT_ALIGN, (N_APS + 1) * sizeof(mbox_fw_slot));
        if (w->slots == NULL) {
            abort();
        }
        mbox_fw_slots_reset(w->slots, N_APS + 1);
    }
    for (uint32_t i = 0; i < N_APS; i++) {
        os_ap *ap = &w->aps[i];
        ap->index = i;
        ap->apic_id = apic_of(i);
        ap->status = TDS_ERR_COUNT_;
        host_ap_setup(&ap->host, i, ap->apic_id, &w->stop, 0, 0);
        ap->host.ops.jump_to_vector = c_jump;
        if (pthread_create(&ap->thread, NULL, ap_thread, ap) != 0) {
            abort();
        }
    }
    if (mode == MODE_HANDOFF) {
        /* Firmware phase: work on every AP, then hand them all to the OS mailbox. */
        mbox_fw fw;
        if (mbox_fw_init(&fw, w->slots, N_APS + 1, 0, 0, 0, &host_bsp_ops) != TDS_OK ||
            mbox_fw_wait_arrival(&fw, N_APS + 1) != TDS_OK ||
            mbox_fw_run(&fw, fw_work, w->fw_ran, N_APS + 1) != TDS_OK) {
            abort();
        }
        mbox_fw_command ex = mbox_fw_cmd_exit(w->entry, (uint64_t)(uintptr_t)w->mb);
        if (mbox_fw_broadcast(&fw, &ex) != TDS_OK) {
            abort();
        }
        for (uint32_t i = 0; i < N_APS; i++) {
            if (w->fw_ran[i] != 1) {
                abort();
            }
        }
    }
    return 0;
}

static int setup_c(void **state)
{
    (void)state;
    return world_setup(MODE_C_LOOP);
}
static int setup_blob(void **state)
{
    (void)state;
    return world_setup(MODE_BLOB);
}
static int setup_handoff(void **state)
{
    (void)state;
    return world_setup(MODE_HANDOFF);
}

static int wakes_now(uint32_t i)
{
    return __atomic_load_n(&g_world->aps[i].wakes, __ATOMIC_ACQUIRE);
}

/* Wake whoever is still parked (blob threads cannot be stopped otherwise), join, free. */
static int teardown(void **state)
{
    (void)state;
    os_world *w = g_world;
    for (uint32_t i = 0; i < N_APS; i++) {
        if (wakes_now(i) == 0 && w->use_blob) {
            (void)os_wakeup(w->mb, MBOX_OS_CMD_WAKEUP, w->aps[i].apic_id, fn_addr(vector_a), 5);
        }
    }
    __atomic_store_n(&w->stop, 1, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < N_APS; i++) {
        (void)pthread_join(w->aps[i].thread, NULL);
        host_ap_free(&w->aps[i].host);
    }
    if (w->page != NULL) {
        munmap(w->page, 4096);
    }
    free(w->mb);
    free(w->slots);
    free(w);
    g_world = NULL;
    return 0;
}

/* Wait (bounded) until AP i has run its vector; the OS side only knows the ack, the vector
 * function runs just after it. */
static int wakes_of(uint32_t i)
{
    double t0 = now_s();
    while (__atomic_load_n(&g_world->aps[i].wakes, __ATOMIC_ACQUIRE) == 0 && now_s() - t0 < 5) {
        sched_yield();
    }
    return __atomic_load_n(&g_world->aps[i].wakes, __ATOMIC_ACQUIRE);
}

static void check_woken(uint32_t i, uint64_t which)
{
    os_ap *ap = &g_world->aps[i];
    assert_int_equal(wakes_of(i), 1);
    (void)pthread_join(ap->thread, NULL); /* it left the loop: joinable, and its record is ours */
    ap->thread = pthread_self();
    assert_int_equal(ap->wakes, 1);
    assert_int_equal(ap->vector, which);
    assert_int_equal(ap->apic_seen, ap->apic_id);
    assert_int_equal(ap->mb_seen, (uint64_t)(uintptr_t)g_world->mb);
    assert_int_equal(ap->status, TDS_OK);
}

static void test_wake_each(void **state)
{
    (void)state;
    for (uint32_t k = 0; k < N_APS; k++) {
        uint32_t i = (k * 5u) % N_APS; /* not in index order */
        uint64_t which = (k & 1u) ? 2 : 1;
        assert_true(os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, apic_of(i),
                              fn_addr(which == 1 ? vector_a : vector_b), 5));
        check_woken(i, which);
        /* The ack is command = 0 only: apic_id and vector stay as the OS wrote them. */
        assert_int_equal(g_world->mb->apic_id, apic_of(i));
        for (uint32_t j = 0; j < N_APS; j++) {
            if (j != i && wakes_now(j) != 0) {
                assert_int_equal(wakes_now(j), 1); /* nobody woke twice */
            }
        }
    }
}

static void test_test_command(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < N_APS; i++) {
        assert_true(os_wakeup(g_world->mb, MBOX_OS_CMD_TEST, apic_of(i), 0, 5));
    }
    for (uint32_t i = 0; i < N_APS; i++) {
        assert_int_equal(wakes_now(i), 0); /* TEST does not release the AP */
    }
    assert_true(os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, apic_of(2), fn_addr(vector_b), 5));
    check_woken(2, 2);
}

/* Two OS threads wake disjoint sets of APs at the same time. Like Linux (one CPU is kicked at a
 * time under the hotplug lock) they take the mailbox under a lock, and each wake-up is written
 * the moment the previous one is acknowledged, while that AP is still leaving the loop. */
static pthread_mutex_t g_mb_lock = PTHREAD_MUTEX_INITIALIZER;

static void *os_waker(void *p)
{
    uint32_t first = *(const uint32_t *)p;
    for (uint32_t i = first; i < N_APS; i += 2) {
        pthread_mutex_lock(&g_mb_lock);
        bool ok = os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, apic_of(i),
                            fn_addr(first == 0 ? vector_a : vector_b), 5);
        pthread_mutex_unlock(&g_mb_lock);
        if (!ok) {
            return p;
        }
    }
    return NULL;
}

static void test_two_wakeups_racing(void **state)
{
    (void)state;
    static const uint32_t firsts[2] = {0, 1};
    pthread_t t[2];
    for (int k = 0; k < 2; k++) {
        assert_int_equal(pthread_create(&t[k], NULL, os_waker, (void *)&firsts[k]), 0);
    }
    for (int k = 0; k < 2; k++) {
        void *r = &t[k];
        (void)pthread_join(t[k], &r);
        assert_null(r);
    }
    for (uint32_t i = 0; i < N_APS; i++) {
        check_woken(i, (i % 2u == 0) ? 1 : 2);
    }
}

static void test_no_such_apic_id(void **state)
{
    (void)state;
    /* Nobody answers: Linux would wait forever; we wait 50 ms and check nothing happened. */
    assert_false(os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, NO_SUCH_APIC, fn_addr(vector_a), 0.05));
    assert_int_equal(g_world->mb->command, MBOX_OS_CMD_WAKEUP);
    for (uint32_t i = 0; i < N_APS; i++) {
        assert_int_equal(wakes_now(i), 0);
    }
    /* An unknown command for a real AP is ignored too. Withdraw the unanswered wake-up first:
     * rewriting apic_id while command still says WAKEUP would be a wake-up for that AP (the OS
     * side, like Linux, only writes the mailbox while command is 0). */
    __atomic_store_n(&g_world->mb->command, 0, __ATOMIC_RELEASE);
    assert_false(os_wakeup(g_world->mb, 7, apic_of(1), fn_addr(vector_a), 0.05));
    assert_int_equal(wakes_now(1), 0);
    /* The harness withdraws the command; every AP is still parked and serves its own wake-up. */
    __atomic_store_n(&g_world->mb->command, 0, __ATOMIC_RELEASE);
    for (uint32_t i = 0; i < N_APS; i++) {
        assert_true(os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, apic_of(i), fn_addr(vector_b), 5));
        check_woken(i, 2);
    }
}

static void test_repeated_wakeup(void **state)
{
    (void)state;
    assert_true(os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, apic_of(3), fn_addr(vector_a), 5));
    check_woken(3, 1);
    /* The AP has left for its vector: a second wake-up for it is never acknowledged and it
     * does not run the vector again. */
    assert_false(os_wakeup(g_world->mb, MBOX_OS_CMD_WAKEUP, apic_of(3), fn_addr(vector_b), 0.05));
    assert_int_equal(wakes_now(3), 1);
    assert_int_equal(g_world->aps[3].vector, 1);
    for (uint32_t i = 0; i < N_APS; i++) {
        if (i != 3) {
            assert_int_equal(wakes_now(i), 0);
        }
    }
    __atomic_store_n(&g_world->mb->command, 0, __ATOMIC_RELEASE);
}

#define ALL3(fn)                                                                                   \
    cmocka_unit_test_setup_teardown(fn, setup_c, teardown),                                        \
        cmocka_unit_test_setup_teardown(fn, setup_blob, teardown),                                 \
        cmocka_unit_test_setup_teardown(fn, setup_handoff, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        ALL3(test_wake_each),       ALL3(test_test_command),    ALL3(test_two_wakeups_racing),
        ALL3(test_no_such_apic_id), ALL3(test_repeated_wakeup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
