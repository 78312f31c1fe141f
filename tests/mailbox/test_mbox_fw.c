/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Firmware mailbox: argument checks, spin limits and sticky errors, per-command results, and
 * mbox_fw_run (the libaccept "run on N vCPUs" op) on real threads with per-AP stacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "host_ap.h"

#define N 5u
#define STACK 8192u

static mbox_fw_slot g_slots[N];
static host_ap g_aps[N];
static int g_stop;
static uint8_t g_stacks[N * STACK] TDS_ALIGNED(64);

static void start_aps_ex(bool ap2_without_cr3)
{
    mbox_fw_slots_reset(g_slots, N);
    __atomic_store_n(&g_stop, 0, __ATOMIC_RELEASE);
    for (uint32_t i = 1; i < N; i++) {
        host_ap_setup(&g_aps[i], i, 0x40u + i, &g_stop, 16, 0);
        if (i == 2 && ap2_without_cr3) {
            g_aps[i].ops.set_cr3 = NULL;
        }
        host_ap_start_fw(&g_aps[i], &g_slots[i]);
    }
}

static void start_aps(void)
{
    start_aps_ex(false);
}

static void stop_aps(mbox_fw *fw)
{
    mbox_fw_command c = mbox_fw_cmd_exit(0x1234000, 0x7F000);
    assert_int_equal(mbox_fw_broadcast(fw, &c), TDS_OK);
    for (uint32_t i = 1; i < N; i++) {
        host_ap_join(&g_aps[i]);
        assert_int_equal(g_aps[i].loop_status, TDS_OK);
        assert_int_equal(g_aps[i].exit.a0, 0x1234000);
        assert_int_equal(g_aps[i].exit.a1, 0x7F000);
        assert_int_equal(g_aps[i].exit.apic_id, 0x40u + i);
        host_ap_free(&g_aps[i]);
    }
}

static void test_init_checks(void **state)
{
    (void)state;
    mbox_fw fw;
    assert_int_equal(mbox_fw_init(&fw, g_slots, N, 0, 0, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_fw_init(&fw, g_slots, 0, 0, 0, 0, &host_bsp_ops), TDS_ERR_INVALID_ARG);
    mbox_fw_slot *odd = (mbox_fw_slot *)(void *)((uint8_t *)g_slots + 32);
    assert_int_equal(mbox_fw_init(&fw, odd, 2, 0, 0, 0, &host_bsp_ops), TDS_ERR_ALIGNMENT);
    assert_int_equal(mbox_fw_init(&fw, g_slots, N, 0x1008, 4096, 0, &host_bsp_ops),
                     TDS_ERR_ALIGNMENT);
    assert_int_equal(mbox_fw_init(&fw, g_slots, N, 0x1000, 4100, 0, &host_bsp_ops),
                     TDS_ERR_ALIGNMENT);
    /* Stacks that would wrap the address space: base + (N-1) * size > 2^64. */
    assert_int_equal(
        mbox_fw_init(&fw, g_slots, N, 0xFFFFFFFFFFFF0000ull, 0x10000, 0, &host_bsp_ops),
        TDS_ERR_OVERFLOW);
    assert_int_equal(
        mbox_fw_init(&fw, g_slots, 2, 0xFFFFFFFFFFFF0000ull, 0x10000, 0, &host_bsp_ops),
        TDS_ERR_OVERFLOW); /* the one AP's top would be 2^64 */
    assert_int_equal(
        mbox_fw_init(&fw, g_slots, 2, 0xFFFFFFFFFFFE0000ull, 0x10000, 0, &host_bsp_ops), TDS_OK);
    mbox_arch_ops no_id = {0};
    no_id.pause = host_pause;
    assert_int_equal(mbox_fw_ap_loop(&g_slots[1], &no_id, NULL), TDS_ERR_INVALID_ARG);
}

static void test_post_checks_and_sticky_busy(void **state)
{
    (void)state;
    mbox_fw_slots_reset(g_slots, N);
    mbox_fw fw;
    assert_int_equal(mbox_fw_init(&fw, g_slots, N, 0, 0, 100, &host_bsp_ops), TDS_OK);
    mbox_fw_command noop = mbox_fw_cmd_simple(MBOX_FW_CMD_NOOP);
    mbox_fw_command bad = mbox_fw_cmd_simple(MBOX_FW_CMD_COUNT_);
    mbox_fw_command run_null = mbox_fw_cmd_run(NULL, NULL, 0, 0);
    assert_int_equal(mbox_fw_post(&fw, 0, &noop), TDS_ERR_INVALID_ARG); /* the BSP itself */
    assert_int_equal(mbox_fw_post(&fw, N, &noop), TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_fw_post(&fw, 1, &bad), TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_fw_post(&fw, 1, &run_null), TDS_ERR_INVALID_ARG);
    uint32_t id = 0;
    assert_int_equal(mbox_fw_apic_id(&fw, 1, &id), TDS_ERR_STATE); /* not arrived */
    /* No AP runs: the first post goes in, the second waits for it and gives up. */
    assert_int_equal(mbox_fw_post(&fw, 1, &noop), TDS_OK);
    assert_int_equal(mbox_fw_post(&fw, 1, &noop), TDS_ERR_BUSY);
    /* Sticky: the context keeps failing, even for an idle AP. */
    assert_int_equal(mbox_fw_post(&fw, 2, &noop), TDS_ERR_BUSY);
    assert_int_equal(mbox_fw_wait_arrival(&fw, N), TDS_ERR_BUSY);
}

static void count_call(void *arg, uint32_t worker)
{
    (void)worker;
    (*(int *)arg)++;
}

static void test_results(void **state)
{
    (void)state;
    start_aps_ex(true);
    mbox_fw fw;
    assert_int_equal(mbox_fw_init(&fw, g_slots, N, 0, 0, 0, &host_bsp_ops), TDS_OK);
    assert_int_equal(mbox_fw_wait_arrival(&fw, N), TDS_OK);
    uint32_t r = 0;
    mbox_fw_command check = mbox_fw_cmd_simple(MBOX_FW_CMD_CHECK);
    assert_int_equal(mbox_fw_send(&fw, 3, &check, &r), TDS_OK);
    assert_int_equal(r, 0x43);
    assert_int_equal(mbox_fw_apic_id(&fw, 4, &r), TDS_OK);
    assert_int_equal(r, 0x44);
    mbox_fw_command cr3 = mbox_fw_cmd_set_cr3(0x5000);
    assert_int_equal(mbox_fw_send(&fw, 1, &cr3, &r), TDS_OK);
    assert_int_equal(r, TDS_OK);
    assert_int_equal(mbox_fw_send(&fw, 2, &cr3, &r), TDS_OK);
    assert_int_equal(r, TDS_ERR_UNSUPPORTED); /* AP 2 has no set_cr3 hook */
    /* Broadcast reports the refusal, and the other APs still did it. */
    assert_int_equal(mbox_fw_broadcast(&fw, &cr3), TDS_ERR_UNSUPPORTED);
    /* A stack that is not 16-byte aligned is refused by the AP, fn not called. */
    int calls = 0;
    mbox_fw_command run = mbox_fw_cmd_run(count_call, &calls, 0, 0x100008);
    assert_int_equal(mbox_fw_send(&fw, 1, &run, &r), TDS_OK);
    assert_int_equal(r, TDS_ERR_ALIGNMENT);
    assert_int_equal(calls, 0);
    run = mbox_fw_cmd_run(count_call, &calls, 0, 0);
    assert_int_equal(mbox_fw_send(&fw, 1, &run, &r), TDS_OK);
    assert_int_equal(r, TDS_OK);
    assert_int_equal(calls, 1);
    mbox_fw_command idt = mbox_fw_cmd_set_idt(0x1234, 0x34);
    idt.a1 = 0x10000; /* limit does not fit IDTR.limit */
    assert_int_equal(mbox_fw_send(&fw, 1, &idt, &r), TDS_OK);
    assert_int_equal(r, TDS_ERR_INVALID_ARG);
    stop_aps(&fw);
}

/* mbox_fw_run: each worker index exactly once, on the right vCPU and on its own stack. */
typedef struct run_rec {
    int seen[N];
    int wrong_vcpu;
    int wrong_stack;
} run_rec;

static void run_worker(void *arg, uint32_t worker)
{
    run_rec *rec = (run_rec *)arg;
    if (worker >= N) {
        return;
    }
    if (worker != 0) {
        if (host_ap_self != (int)worker) {
            __atomic_add_fetch(&rec->wrong_vcpu, 1, __ATOMIC_RELAXED);
        }
        uintptr_t f = (uintptr_t)__builtin_frame_address(0);
        uintptr_t lo = (uintptr_t)g_stacks + (uintptr_t)(worker - 1u) * STACK;
        if (f < lo || f >= lo + STACK) {
            __atomic_add_fetch(&rec->wrong_stack, 1, __ATOMIC_RELAXED);
        }
    } else if (host_ap_self != -1) {
        __atomic_add_fetch(&rec->wrong_vcpu, 1, __ATOMIC_RELAXED);
    }
    __atomic_add_fetch(&rec->seen[worker], 1, __ATOMIC_RELAXED);
}

static void test_run(void **state)
{
    (void)state;
    start_aps();
    mbox_fw fw;
    assert_int_equal(
        mbox_fw_init(&fw, g_slots, N, (uint64_t)(uintptr_t)g_stacks, STACK, 0, &host_bsp_ops),
        TDS_OK);
    assert_int_equal(mbox_fw_wait_arrival(&fw, N), TDS_OK);
    for (uint32_t n = 1; n <= N; n++) {
        run_rec rec;
        memset(&rec, 0, sizeof(rec));
        assert_int_equal(mbox_fw_run(&fw, run_worker, &rec, n), TDS_OK);
        for (uint32_t w = 0; w < N; w++) {
            assert_int_equal(rec.seen[w], w < n ? 1 : 0);
        }
        assert_int_equal(rec.wrong_vcpu, 0);
        assert_int_equal(rec.wrong_stack, 0);
    }
    run_rec rec;
    assert_int_equal(mbox_fw_run(&fw, run_worker, &rec, 0), TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_fw_run(&fw, run_worker, &rec, N + 1), TDS_ERR_INVALID_ARG);
    assert_int_equal(mbox_fw_run(&fw, NULL, &rec, 1), TDS_ERR_INVALID_ARG);
    stop_aps(&fw);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_checks),
        cmocka_unit_test(test_post_checks_and_sticky_busy),
        cmocka_unit_test(test_results),
        cmocka_unit_test(test_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
