/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The backend's per-thread vCPU index (tdshim/tdx_emu_backend.h), with two threads (label
 * `concurrency`, also run under TSan): a new thread starts at 0, each thread's index is its own
 * and is the one its TDCALLs present to the emulator (VP.INFO reports it), and no thread's
 * set_vcpu changes another's. Also: no emulator installed -> TDX_OPERAND_INVALID. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/tdx_emu_backend.h"

static struct tdx_emu g_emu;
static pthread_barrier_t g_barrier;

struct vcpu_thread {
    pthread_t tid;
    uint32_t index;        /* what this thread sets */
    uint32_t initial;      /* tdx_emu_backend_vcpu() before setting */
    uint32_t after_set;    /* ... after setting, once both threads have set theirs */
    uint32_t reported[64]; /* VP.INFO's vCPU index, repeatedly, while the other thread runs */
    tds_status status;
};

static void *vcpu_main(void *arg)
{
    struct vcpu_thread *t = arg;
    t->initial = tdx_emu_backend_vcpu();
    tdx_emu_backend_set_vcpu(t->index);
    (void)pthread_barrier_wait(&g_barrier); /* both threads have set their index */
    t->after_set = tdx_emu_backend_vcpu();
    t->status = TDS_OK;
    for (size_t i = 0; i < 64; i++) {
        struct tdcall_td_info info;
        tds_status s = tdcall_vp_info(&info, NULL);
        if (s != TDS_OK) {
            t->status = s;
            break;
        }
        t->reported[i] = info.vcpu_index;
    }
    (void)pthread_barrier_wait(&g_barrier);
    return NULL;
}

static void test_two_threads_own_index(void **state)
{
    (void)state;
    struct tdx_emu_config cfg = {.gpaw = 48, .num_vcpus = 4};
    assert_int_equal(tdx_emu_init(&g_emu, &cfg), TDS_OK);
    tdx_emu_backend_install(&g_emu);
    tdx_emu_backend_set_vcpu(3); /* the main thread's index: untouched by the workers */
    assert_int_equal(pthread_barrier_init(&g_barrier, NULL, 2), 0);

    struct vcpu_thread t[2] = {{.index = 1}, {.index = 2}};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(pthread_create(&t[i].tid, NULL, vcpu_main, &t[i]), 0);
    }
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(pthread_join(t[i].tid, NULL), 0);
    }
    assert_int_equal(pthread_barrier_destroy(&g_barrier), 0);

    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(t[i].initial, 0);
        assert_int_equal(t[i].after_set, t[i].index);
        assert_int_equal(t[i].status, TDS_OK);
        for (size_t k = 0; k < 64; k++) {
            assert_int_equal(t[i].reported[k], t[i].index);
        }
    }
    assert_int_equal(tdx_emu_backend_vcpu(), 3);
    struct tdcall_td_info info;
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_OK);
    assert_int_equal(info.vcpu_index, 3);

    tdx_emu_backend_set_vcpu(0);
    tdx_emu_backend_install(NULL);
}

static void test_no_emulator_installed(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    struct tdcall_regs regs;
    memset(&regs, 0, sizeof(regs));
    regs.rax = TDCALL_LEAF_VP_INFO;
    regs.rcx = 0x1234;
    assert_true(tdcall_raw(&regs) == TDX_OPERAND_INVALID);
    assert_true(regs.rax == TDX_OPERAND_INVALID);
    assert_true(regs.rcx == 0x1234); /* nothing else touched */
    struct tdcall_td_info info;
    tdcall_status hw;
    assert_int_equal(tdcall_vp_info(&info, &hw), TDS_ERR_DEVICE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_threads_own_index),
        cmocka_unit_test(test_no_emulator_installed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
