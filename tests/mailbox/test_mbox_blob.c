/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* mbox_os_blob_install checks, the blob's own layout, and mbox_os_ap_loop argument checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tdshim/mailbox.h"

static uint8_t g_dst[4096] TDS_ALIGNED(64);

static void test_blob_layout(void **state)
{
    (void)state;
    tds_bytes b = mbox_os_blob_bytes();
    assert_int_equal(b.len, MBOX_BLOB_OFF_MAGIC + 8);
    assert_true(b.len <= MBOX_BLOB_MAX_SIZE);
    assert_int_equal(tds_load_le64(b.ptr + MBOX_BLOB_OFF_MAGIC), (uint64_t)MBOX_BLOB_MAGIC);
    assert_int_equal(tds_load_le64(b.ptr + MBOX_BLOB_OFF_MAILBOX), 0);
    assert_int_equal(tds_load_le64(b.ptr + MBOX_BLOB_OFF_FW_CR3), 0);
    /* Entry starts with PAUSE (F3 90); the reset entry with LEA RBX, [RIP+disp32] back to 0. */
    assert_int_equal(b.ptr[MBOX_BLOB_OFF_ENTRY], 0xF3);
    assert_int_equal(b.ptr[MBOX_BLOB_OFF_ENTRY + 1], 0x90);
    const uint8_t *r = b.ptr + MBOX_BLOB_OFF_RESET_ENTRY;
    assert_int_equal(r[0], 0x48);
    assert_int_equal(r[1], 0x8D);
    assert_int_equal(r[2], 0x1D);
    int32_t disp = (int32_t)tds_load_le32(r + 3);
    assert_int_equal(MBOX_BLOB_OFF_RESET_ENTRY + 7 + disp, 0); /* resolves to the blob start */
}

static void test_install(void **state)
{
    (void)state;
    tds_bytes b = mbox_os_blob_bytes();
    memset(g_dst, 0xAA, sizeof(g_dst));
    assert_int_equal(
        mbox_os_blob_install(tds_mut_bytes_make(g_dst, sizeof(g_dst)), b, 0x7F000, 0x123000),
        TDS_OK);
    assert_memory_equal(g_dst, b.ptr, MBOX_BLOB_OFF_MAILBOX);
    assert_int_equal(tds_load_le64(g_dst + MBOX_BLOB_OFF_MAILBOX), 0x7F000);
    assert_int_equal(tds_load_le64(g_dst + MBOX_BLOB_OFF_FW_CR3), 0x123000);
    assert_int_equal(tds_load_le64(g_dst + MBOX_BLOB_OFF_MAGIC), (uint64_t)MBOX_BLOB_MAGIC);
    assert_int_equal(g_dst[b.len], 0xAA); /* nothing past the blob */
}

static void test_install_errors(void **state)
{
    (void)state;
    tds_bytes b = mbox_os_blob_bytes();
    tds_mut_bytes dst = tds_mut_bytes_make(g_dst, sizeof(g_dst));
    memset(g_dst, 0xAA, sizeof(g_dst));
    assert_int_equal(mbox_os_blob_install(tds_mut_bytes_make(g_dst, b.len - 1), b, 0x7F000, 0),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(mbox_os_blob_install(dst, b, 0x7F800, 0), TDS_ERR_ALIGNMENT);
    assert_int_equal(mbox_os_blob_install(dst, b, 0, 0), TDS_ERR_INVALID_ARG);
    assert_int_equal(g_dst[0], 0xAA); /* nothing written by any failure */
    /* Not a blob: wrong magic, too short, too long. */
    static uint8_t fake[MBOX_BLOB_MAX_SIZE + 8];
    memcpy(fake, b.ptr, b.len);
    fake[MBOX_BLOB_OFF_MAGIC] ^= 1u;
    assert_int_equal(mbox_os_blob_install(dst, tds_bytes_make(fake, b.len), 0x7F000, 0),
                     TDS_ERR_MALFORMED);
    assert_int_equal(
        mbox_os_blob_install(dst, tds_bytes_make(b.ptr, MBOX_BLOB_OFF_MAGIC + 7), 0x7F000, 0),
        TDS_ERR_MALFORMED);
    memcpy(fake, b.ptr, b.len);
    assert_int_equal(mbox_os_blob_install(dst, tds_bytes_make(fake, sizeof(fake)), 0x7F000, 0),
                     TDS_ERR_MALFORMED);
    /* Installing a blob over itself (overlap). */
    memcpy(g_dst, b.ptr, b.len);
    assert_int_equal(mbox_os_blob_install(tds_mut_bytes_make(g_dst + 16, 1024),
                                          tds_bytes_make(g_dst, b.len), 0x7F000, 0),
                     TDS_ERR_INVALID_ARG);
}

static bool never_pause(void *ctx)
{
    (void)ctx;
    return false;
}

static void never_jump(void *ctx, uint64_t vector, uint64_t mailbox, uint32_t apic_id)
{
    (void)vector;
    (void)mailbox;
    (void)apic_id;
    (*(int *)ctx)++;
}

static void test_os_loop_args(void **state)
{
    (void)state;
    static mbox_os_mailbox mb;
    mbox_os_init(&mb);
    int jumps = 0;
    mbox_arch_ops ops = {0};
    ops.ctx = &jumps;
    assert_int_equal(mbox_os_ap_loop(&mb, 1, &ops), TDS_ERR_INVALID_ARG);
    ops.pause = never_pause;
    assert_int_equal(mbox_os_ap_loop(&mb, 1, &ops), TDS_ERR_INVALID_ARG); /* no jump hook */
    ops.jump_to_vector = never_jump;
    assert_int_equal(mbox_os_ap_loop(NULL, 1, &ops), TDS_ERR_INVALID_ARG);
    /* A wake-up for APIC ID 2 is not ours: the loop keeps waiting (and gives up here). */
    mb.apic_id = 2;
    mb.wakeup_vector = 0x8000;
    mb.command = MBOX_OS_CMD_WAKEUP;
    assert_int_equal(mbox_os_ap_loop(&mb, 1, &ops), TDS_ERR_STATE);
    assert_int_equal(mb.command, MBOX_OS_CMD_WAKEUP);
    assert_int_equal(jumps, 0);
    /* Ours: acknowledged (command 0 only; apic_id and vector left alone), then the jump. */
    assert_int_equal(mbox_os_ap_loop(&mb, 2, &ops), TDS_OK);
    assert_int_equal(mb.command, 0);
    assert_int_equal(mb.apic_id, 2);
    assert_int_equal(mb.wakeup_vector, 0x8000);
    assert_int_equal(jumps, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blob_layout),
        cmocka_unit_test(test_install),
        cmocka_unit_test(test_install_errors),
        cmocka_unit_test(test_os_loop_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
