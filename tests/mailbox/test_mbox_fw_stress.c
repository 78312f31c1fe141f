/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Real threads play 1 to 64 APs; the main thread is the BSP and sends >= 100,000 commands, mixed
 * unicast (pipelined: post without waiting) and broadcast, of every kind. Each AP's hooks record
 * what they saw; at the end every AP's record must equal, in order, exactly what the BSP sent to
 * it (every command seen once by its target, never by another AP, never twice).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "host_ap.h"

#define MAX_APS 64u
#define STACK_SIZE 4096u

typedef struct expect {
    uint64_t *log;
    size_t len;
    size_t cap;
    uint64_t halts;
    uint32_t posted; /* commands posted to this AP, NOOP and CHECK included */
} expect;

static host_ap g_aps[MAX_APS + 1];

static void work(void *arg, uint32_t worker)
{
    host_ap *ap = (host_ap *)arg;
    if (host_ap_self != (int)ap->index) {
        ap->bad++; /* ran on the wrong vCPU */
        return;
    }
    host_ap_log(ap, LOG_RUN | worker);
}

static void work_on_stack(void *arg, uint32_t worker)
{
    host_ap *ap = (host_ap *)arg;
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    uintptr_t lo = (uintptr_t)ap->stack;
    if (host_ap_self != (int)ap->index || frame < lo || frame >= lo + ap->stack_size) {
        ap->bad++; /* wrong vCPU or not on the stack the command named */
        return;
    }
    host_ap_log(ap, LOG_RUN_STACK | worker);
}

static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static void expect_push(expect *e, uint64_t v)
{
    assert_true(e->len < e->cap);
    e->log[e->len++] = v;
}

/* The command for AP ap with unique id; records what the AP must see. */
static mbox_fw_command make_cmd(uint32_t kind, uint32_t ap, uint32_t id, expect *ex)
{
    host_ap *a = &g_aps[ap];
    ex->posted++;
    switch (kind) {
    case 0: return mbox_fw_cmd_simple(MBOX_FW_CMD_NOOP);
    case 1: return mbox_fw_cmd_simple(MBOX_FW_CMD_CHECK);
    case 2: expect_push(ex, LOG_RUN | id); return mbox_fw_cmd_run(work, a, id, 0);
    case 3:
        expect_push(ex, LOG_RUN_STACK | id);
        return mbox_fw_cmd_run(work_on_stack, a, id,
                               (uint64_t)(uintptr_t)(a->stack + a->stack_size));
    case 4: expect_push(ex, LOG_CR3 | id); return mbox_fw_cmd_set_cr3(id);
    case 5: expect_push(ex, LOG_IDT | id); return mbox_fw_cmd_set_idt(id, (uint16_t)id);
    default: ex->halts++; return mbox_fw_cmd_simple(MBOX_FW_CMD_SLEEP);
    }
}

static uint64_t g_total_cmds;
static uint64_t g_total_deliveries;

static void run_config(uint32_t n_aps, uint32_t n_cmds, uint64_t seed)
{
    uint32_t n_vcpus = n_aps + 1;
    int stop = 0;
    mbox_fw_slot *slots = aligned_alloc(MBOX_FW_SLOT_ALIGN, n_vcpus * sizeof(mbox_fw_slot));
    expect *ex = calloc(n_vcpus, sizeof(expect));
    assert_non_null(slots);
    assert_non_null(ex);
    mbox_fw_slots_reset(slots, n_vcpus);
    for (uint32_t i = 1; i <= n_aps; i++) {
        host_ap_setup(&g_aps[i], i, 0x100u + 3u * i, &stop, n_cmds + 1u, STACK_SIZE);
        ex[i].cap = n_cmds + 1u;
        ex[i].log = calloc(ex[i].cap, sizeof(uint64_t));
        assert_non_null(ex[i].log);
    }
    mbox_fw fw;
    assert_int_equal(mbox_fw_init(&fw, slots, n_vcpus, 0, 0, 0, &host_bsp_ops), TDS_OK);
    for (uint32_t i = 1; i <= n_aps; i++) {
        host_ap_start_fw(&g_aps[i], &slots[i]);
    }
    assert_int_equal(mbox_fw_wait_arrival(&fw, n_vcpus), TDS_OK);
    for (uint32_t i = 1; i <= n_aps; i++) {
        uint32_t id;
        assert_int_equal(mbox_fw_apic_id(&fw, i, &id), TDS_OK);
        assert_int_equal(id, 0x100u + 3u * i);
    }

    uint64_t s = seed;
    for (uint32_t id = 1; id <= n_cmds; id++) {
        uint64_t r = rng_next(&s);
        uint32_t kind = (uint32_t)(r % 7u);
        if ((r >> 8) % 8u == 0) {
            /* Broadcast: same kind to all; RUN / CR3 / IDT carry the id, per-AP args differ. */
            if (kind == 2 || kind == 3) {
                for (uint32_t ap = 1; ap <= n_aps; ap++) {
                    mbox_fw_command c = make_cmd(kind, ap, id, &ex[ap]);
                    assert_int_equal(mbox_fw_post(&fw, ap, &c), TDS_OK);
                }
                for (uint32_t ap = 1; ap <= n_aps; ap++) {
                    uint32_t res;
                    assert_int_equal(mbox_fw_wait(&fw, ap, &res), TDS_OK);
                    assert_int_equal(res, TDS_OK);
                }
            } else {
                mbox_fw_command c = make_cmd(kind, 1, id, &ex[1]);
                for (uint32_t ap = 2; ap <= n_aps; ap++) {
                    (void)make_cmd(kind, ap, id, &ex[ap]);
                }
                assert_int_equal(mbox_fw_broadcast(&fw, &c), TDS_OK);
                if (kind == 1) {
                    for (uint32_t ap = 1; ap <= n_aps; ap++) {
                        uint32_t res;
                        assert_int_equal(mbox_fw_wait(&fw, ap, &res), TDS_OK);
                        assert_int_equal(res, 0x100u + 3u * ap);
                    }
                }
            }
            g_total_deliveries += n_aps;
        } else {
            uint32_t ap = 1u + (uint32_t)((r >> 16) % n_aps);
            mbox_fw_command c = make_cmd(kind, ap, id, &ex[ap]);
            if (kind == 1) {
                uint32_t res;
                assert_int_equal(mbox_fw_send(&fw, ap, &c, &res), TDS_OK);
                assert_int_equal(res, 0x100u + 3u * ap);
            } else {
                assert_int_equal(mbox_fw_post(&fw, ap, &c), TDS_OK); /* pipelined */
            }
            g_total_deliveries++;
        }
        g_total_cmds++;
    }
    mbox_fw_command ex_cmd = mbox_fw_cmd_simple(MBOX_FW_CMD_EXIT);
    assert_int_equal(mbox_fw_broadcast(&fw, &ex_cmd), TDS_OK);
    for (uint32_t i = 1; i <= n_aps; i++) {
        host_ap_join(&g_aps[i]);
        host_ap *a = &g_aps[i];
        assert_int_equal(a->loop_status, TDS_OK);
        assert_int_equal(__atomic_load_n(&slots[i].state, __ATOMIC_ACQUIRE), MBOX_FW_STATE_EXITED);
        assert_int_equal(a->bad, 0);
        assert_int_equal(a->halts, ex[i].halts);
        /* Every command, the unlogged NOOPs and CHECKs too, was served once: the AP's done
         * counter is the number of commands posted to it (+1 for EXIT). */
        assert_int_equal(__atomic_load_n(&slots[i].done, __ATOMIC_ACQUIRE), ex[i].posted + 1u);
        assert_int_equal(a->log_len, ex[i].len);
        assert_memory_equal(a->log, ex[i].log, ex[i].len * sizeof(uint64_t));
        host_ap_free(a);
        free(ex[i].log);
    }
    free(ex);
    free(slots);
}

static void test_stress(void **state)
{
    (void)state;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    static const uint32_t aps[] = {1, 2, 3, 8, 16, 64};
    static const uint32_t cmds[] = {20000, 20000, 15000, 15000, 15000, 15000};
    for (size_t i = 0; i < sizeof(aps) / sizeof(aps[0]); i++) {
        run_config(aps[i], cmds[i], 0x9E3779B97F4A7C15ull + i);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(g_total_cmds >= 100000u);
    printf("fw mailbox stress: %llu commands (%llu deliveries) to 1..64 APs in %.2f s\n",
           (unsigned long long)g_total_cmds, (unsigned long long)g_total_deliveries,
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_stress)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
