/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libaccept's accept_result_from_tdx_status and libtdcall's tdcall_status_decode read the same
 * TDG.MEM.PAGE.ACCEPT RAX (the shim hands hw.raw to the former): they must agree on which raw
 * statuses are busy, already-accepted and size-mismatch (tdx-abi.md 2.1). libaccept duplicates
 * the class constants instead of depending on libtdcall; this test is what keeps them in step.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tdshim/accept.h"
#include "tdshim/tdcall.h"

/* The classification both decoders must share. */
typedef enum kind { K_OK, K_BUSY, K_ALREADY, K_SIZE_MISMATCH, K_OTHER } kind;
static const char *const kind_name[] = {"OK", "BUSY", "ALREADY_ACCEPTED", "SIZE_MISMATCH", "OTHER"};

static kind from_accept(uint64_t raw)
{
    switch (accept_result_from_tdx_status(raw).outcome) {
    case ACCEPT_OUTCOME_OK: return K_OK;
    case ACCEPT_OUTCOME_BUSY: return K_BUSY;
    case ACCEPT_OUTCOME_ALREADY_ACCEPTED: return K_ALREADY;
    case ACCEPT_OUTCOME_SIZE_MISMATCH: return K_SIZE_MISMATCH;
    case ACCEPT_OUTCOME_ERROR: break;
    }
    return K_OTHER;
}

static kind from_tdcall(uint64_t raw)
{
    switch (tdcall_status_decode(raw).code) {
    case TDCALL_SUCCESS: return K_OK;
    case TDCALL_BUSY: return K_BUSY;
    case TDCALL_ALREADY_ACCEPTED: return K_ALREADY;
    case TDCALL_SIZE_MISMATCH: return K_SIZE_MISMATCH;
    case TDCALL_INVALID_OPERAND:
    case TDCALL_NO_VE_INFO:
    case TDCALL_OTHER: break;
    }
    return K_OTHER;
}

static void check(uint64_t raw, const kind *expect)
{
    kind a = from_accept(raw);
    kind t = from_tdcall(raw);
    if (a != t) {
        fail_msg("%#018llx: libaccept says %s, libtdcall says %s", (unsigned long long)raw,
                 kind_name[a], kind_name[t]);
    }
    if (expect != NULL && a != *expect) {
        fail_msg("%#018llx: both say %s, expected %s", (unsigned long long)raw, kind_name[a],
                 kind_name[*expect]);
    }
}

/* Raw statuses with the classification they must get, detail bits included. */
static void test_table(void **state)
{
    (void)state;
    static const struct {
        uint64_t raw;
        kind k;
    } cases[] = {
        {0x0000000000000000ull, K_OK},
        {0x0000000000000001ull, K_OTHER}, /* success class with detail bits: not an answer */
        {0x8000020000000000ull, K_BUSY},  /* OPERAND_BUSY */
        {0x8000020000000001ull, K_BUSY},  /* ... operand RCX */
        {0x80000200000000A8ull, K_BUSY},  /* ... RTMR */
        {0x8000020100000000ull, K_BUSY},  /* PREVIOUS_TLB_EPOCH_BUSY */
        {0x8000020100000001ull, K_BUSY},
        {0x8000020200000000ull, K_BUSY}, /* SYS_BUSY */
        {0x8000020200000001ull, K_BUSY},
        {0x8000020300000000ull, K_OTHER}, /* RND_NO_ENTROPY: not busy */
        {0x8000020400000000ull, K_BUSY},  /* OPERAND_BUSY_HOST_PRIORITY */
        {0x8000020400000001ull, K_BUSY},
        {0x8000020500000000ull, K_OTHER},
        {0x8000000300000000ull, K_OTHER}, /* interrupted, resumable: not busy */
        {0x00000B0A00000000ull, K_ALREADY},
        {0x00000B0A00000001ull, K_ALREADY}, /* found at the 2M level */
        {0x00000B0A00000002ull, K_ALREADY},
        {0x80000B0A00000000ull, K_OTHER},
        {0xC0000B0B00000000ull, K_SIZE_MISMATCH},
        {0xC0000B0B00000001ull, K_SIZE_MISMATCH},
        {0x00000B0B00000001ull, K_OTHER},
        {0xC0000B0300000000ull, K_OTHER}, /* EPT_ENTRY_NOT_PRESENT */
        {0xC000010000000001ull, K_OTHER}, /* OPERAND_INVALID (1G on module 1.5) */
        {0xC000070400000000ull, K_OTHER}, /* NO_VALID_VE_INFO: no meaning for ACCEPT */
        {0xFFFFFFFFFFFFFFFFull, K_OTHER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check(cases[i].raw, &cases[i].k);
    }
}

/* Agreement beyond the table: every class of the busy, EPT and metadata blocks, with and without
 * the error/warning bits, each with several detail values. */
static void test_class_sweep(void **state)
{
    (void)state;
    static const uint32_t blocks[] = {0x00000000u, 0x00000100u, 0x00000200u, 0x00000700u,
                                      0x00000B00u, 0x00000C00u, 0x00001000u};
    static const uint32_t top[] = {0x00000000u, 0x40000000u, 0x80000000u, 0xC0000000u};
    static const uint32_t detail[] = {0u, 1u, 2u, 0xA8u, 0xFFFFFFFFu};
    for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
        for (size_t t = 0; t < sizeof(top) / sizeof(top[0]); t++) {
            for (uint32_t lo = 0; lo < 0x100u; lo++) {
                uint32_t cls = top[t] | blocks[b] | lo;
                for (size_t d = 0; d < sizeof(detail) / sizeof(detail[0]); d++) {
                    check(((uint64_t)cls << 32) | detail[d], NULL);
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_class_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
