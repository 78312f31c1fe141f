/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* GHCI wrappers against a recording backend: the exact RCX mask and argument registers of each
 * sub-function, hostile outputs, MapGPA's retry rule, and every input check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "recorder.h"
#include "tdshim/tdvmcall.h"
#include "wipe_probe.h"

#define M(lo, hi) ((uint32_t)(((1u << ((hi) + 1u)) - 1u) & ~((1u << (lo)) - 1u)))

static int setup(void **state)
{
    (void)state;
    rec_reset();
    return 0;
}

/* The VMM's answer: RAX = 0 (the TDVMCALL happened), R10 = GHCI status, plus outputs. */
static struct tdcall_regs vmm(uint64_t r10)
{
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    r.r10 = r10;
    return r;
}

/* Registers outside `mask` (other than RCX) must be zero in the recorded input. */
static void assert_masked(const struct tdcall_regs *in, uint32_t mask)
{
    assert_true(in->rax == 0);
    assert_true(in->rcx == mask);
    assert_true((mask & (1u << 5)) == 0); /* never RBP */
    const uint64_t v[12] = {in->rdx, in->rbx, in->rsi, in->rdi, in->r8,  in->r9,
                            in->r10, in->r11, in->r12, in->r13, in->r14, in->r15};
    static const unsigned no[12] = {2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (unsigned i = 0; i < 12; i++) {
        if ((mask & (1u << no[i])) == 0) {
            assert_true(v[i] == 0);
        }
    }
    assert_true(in->r10 == 0); /* GHCI-standard call */
}

static void test_status_decode(void **state)
{
    (void)state;
    static const struct {
        uint64_t raw;
        tdvmcall_code code;
    } cases[] = {
        {0, TDVMCALL_OK},
        {1, TDVMCALL_RETRY},
        {0x8000000000000000ull, TDVMCALL_INVALID_OPERAND},
        {0x8000000000000001ull, TDVMCALL_GPA_INUSE},
        {0x8000000000000002ull, TDVMCALL_ALIGN_ERROR},
        {0x8000000000000003ull, TDVMCALL_SUBFUNC_UNSUPPORTED},
        {2, TDVMCALL_OTHER},
        {0x8000000000000004ull, TDVMCALL_OTHER},
        {UINT64_MAX, TDVMCALL_OTHER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tdvmcall_status vs = tdvmcall_status_decode(cases[i].raw);
        assert_int_equal(vs.code, cases[i].code);
        assert_true(vs.raw == cases[i].raw);
    }
}

static void test_cpuid(void **state)
{
    (void)state;
    struct tdcall_regs o = vmm(0);
    o.r12 = 0x11;
    o.r13 = 0x22;
    o.r14 = 0x33;
    o.r15 = 0xFFFFFFFFu;
    rec_script(0, &o);
    struct tdvmcall_cpuid_result c;
    assert_int_equal(tdvmcall_cpuid(0xB, 1, &c, NULL), TDS_OK);
    assert_masked(&rec.in[0], M(10, 15));
    assert_true(rec.in[0].r11 == 0x0A && rec.in[0].r12 == 0xB && rec.in[0].r13 == 1);
    assert_int_equal(c.eax, 0x11);
    assert_int_equal(c.ebx, 0x22);
    assert_int_equal(c.ecx, 0x33);
    assert_int_equal(c.edx, 0xFFFFFFFFu);

    /* A 64-bit "EBX" is VMM nonsense: rejected, output untouched. */
    o.r13 = 0x100000000ull;
    rec_script(1, &o);
    memset(&c, 0, sizeof(c));
    assert_int_equal(tdvmcall_cpuid(0, 0, &c, NULL), TDS_ERR_VMM);
    assert_int_equal(c.eax, 0);
    assert_int_equal(tdvmcall_cpuid(0, 0, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 2);
}

static void test_hlt_rdmsr_wrmsr_wbinvd(void **state)
{
    (void)state;
    assert_int_equal(tdvmcall_hlt(true, NULL), TDS_OK);
    assert_masked(&rec.in[0], M(10, 12));
    assert_true(rec.in[0].r11 == 0x0C && rec.in[0].r12 == 1);
    assert_int_equal(tdvmcall_hlt(false, NULL), TDS_OK);
    assert_true(rec.in[1].r12 == 0);

    struct tdcall_regs o = vmm(0);
    o.r11 = 0xFEE00900ull;
    rec_script(2, &o);
    uint64_t v = 0;
    assert_int_equal(tdvmcall_rdmsr(0x1B, &v, NULL), TDS_OK);
    assert_masked(&rec.in[2], M(10, 12));
    assert_true(rec.in[2].r11 == 0x1F && rec.in[2].r12 == 0x1B);
    assert_true(v == 0xFEE00900ull);

    assert_int_equal(tdvmcall_wrmsr(0x6E0, 0x1234567890ull, NULL), TDS_OK);
    assert_masked(&rec.in[3], M(10, 13));
    assert_true(rec.in[3].r11 == 0x20 && rec.in[3].r12 == 0x6E0 &&
                rec.in[3].r13 == 0x1234567890ull);

    assert_int_equal(tdvmcall_wbinvd(false, NULL), TDS_OK);
    assert_true(rec.in[4].r11 == 0x36 && rec.in[4].r12 == 1);

    o = vmm(TDVMCALL_STATUS_INVALID_OPERAND);
    o.r11 = 0x99;
    rec_script(5, &o);
    v = 7;
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_rdmsr(0x1B, &v, &vs), TDS_ERR_VMM);
    assert_true(v == 7);
    assert_int_equal(vs.code, TDVMCALL_INVALID_OPERAND);
    assert_int_equal(tdvmcall_rdmsr(0x1B, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 6);
}

static void test_io(void **state)
{
    (void)state;
    struct tdcall_regs o = vmm(0);
    o.r11 = 0xDEADBEEFCAFEBABEull; /* only the low `size` bytes are data */
    rec_script(0, &o);
    rec_script(1, &o);
    rec_script(2, &o);
    uint32_t v = 0;
    assert_int_equal(tdvmcall_io_read(0x3F8, 1, &v, NULL), TDS_OK);
    assert_masked(&rec.in[0], M(10, 14));
    assert_true(rec.in[0].r11 == 0x1E && rec.in[0].r12 == 1 && rec.in[0].r13 == 0 &&
                rec.in[0].r14 == 0x3F8);
    assert_int_equal(v, 0xBE);
    assert_int_equal(tdvmcall_io_read(0xCFC, 2, &v, NULL), TDS_OK);
    assert_int_equal(v, 0xBABE);
    assert_int_equal(tdvmcall_io_read(0xCFC, 4, &v, NULL), TDS_OK);
    assert_int_equal(v, 0xCAFEBABEu);

    assert_int_equal(tdvmcall_io_write(0x80, 1, 0xAB, NULL), TDS_OK);
    assert_masked(&rec.in[3], M(10, 15));
    assert_true(rec.in[3].r12 == 1 && rec.in[3].r13 == 1 && rec.in[3].r14 == 0x80 &&
                rec.in[3].r15 == 0xAB);
    assert_int_equal(tdvmcall_io_write(0xCF8, 4, 0x80000000u, NULL), TDS_OK);
    assert_true(rec.in[4].r15 == 0x80000000u && rec.in[4].r12 == 4);

    /* Input checks. */
    assert_int_equal(tdvmcall_io_read(0, 3, &v, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_io_read(0, 8, &v, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_io_read(0, 0, &v, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_io_read(0, 1, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_io_write(0, 1, 0x100, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_io_write(0, 2, 0x10000, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_io_write(0, 5, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 5);
}

static void test_mmio(void **state)
{
    (void)state;
    const uint64_t sb = 1ull << 47;
    struct tdcall_regs o = vmm(0);
    o.r11 = 0x1122334455667788ull;
    rec_script(0, &o);
    rec_script(1, &o);
    uint64_t v = 0;
    assert_int_equal(tdvmcall_mmio_read(sb | 0xFEC00000ull, 4, &v, NULL), TDS_OK);
    assert_masked(&rec.in[0], M(10, 14));
    assert_true(rec.in[0].r11 == 0x30 && rec.in[0].r12 == 4 && rec.in[0].r13 == 0 &&
                rec.in[0].r14 == (sb | 0xFEC00000ull));
    assert_true(v == 0x55667788ull);
    assert_int_equal(tdvmcall_mmio_read(sb | 0xFEC00008ull, 8, &v, NULL), TDS_OK);
    assert_true(v == 0x1122334455667788ull);
    assert_int_equal(tdvmcall_mmio_write(sb | 0xFEC00010ull, 2, 0xBEEF, NULL), TDS_OK);
    assert_masked(&rec.in[2], M(10, 15));
    assert_true(rec.in[2].r13 == 1 && rec.in[2].r15 == 0xBEEF);

    assert_int_equal(tdvmcall_mmio_read(sb | 0x1002ull, 4, &v, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_mmio_read(sb | 0x1000ull, 3, &v, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_mmio_read(1ull << 52, 4, &v, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_mmio_read(sb, 4, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_mmio_write(sb, 1, 0x100, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_mmio_write(sb | 4u, 8, 0, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(rec.calls, 3);
}

static void test_map_gpa_simple(void **state)
{
    (void)state;
    uint64_t done = 0;
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_map_gpa((1ull << 47) | 0x100000ull, 0x200000, &done, &vs), TDS_OK);
    assert_masked(&rec.in[0], M(10, 13));
    assert_true(rec.in[0].r11 == 0x10001 && rec.in[0].r12 == ((1ull << 47) | 0x100000ull) &&
                rec.in[0].r13 == 0x200000);
    assert_true(done == ((1ull << 47) | 0x300000ull));
    assert_int_equal(vs.code, TDVMCALL_OK);
}

static void test_map_gpa_retry_progress(void **state)
{
    (void)state;
    struct tdcall_regs o = vmm(TDVMCALL_STATUS_RETRY);
    o.r11 = 0x200000;
    rec_script(0, &o);
    o.r11 = 0x200000; /* one stall */
    rec_script(1, &o);
    o.r11 = 0x400000;
    rec_script(2, &o);
    uint64_t done = 0;
    assert_int_equal(tdvmcall_map_gpa(0, 0x600000, &done, NULL), TDS_OK);
    assert_int_equal(rec.calls, 4);
    assert_true(rec.in[1].r12 == 0x200000 && rec.in[1].r13 == 0x400000);
    assert_true(rec.in[2].r12 == 0x200000);
    assert_true(rec.in[3].r12 == 0x400000 && rec.in[3].r13 == 0x200000);
    assert_true(done == 0x600000);
}

static void test_map_gpa_hostile_resume(void **state)
{
    (void)state;
    /* Resume address below start, at or beyond end, misaligned: all refused. */
    const uint64_t bad[] = {0x0FFFFF000ull, 0x100000000ull + 0x10000ull, 0x100010000ull, UINT64_MAX,
                            0x100000800ull};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        rec_reset();
        struct tdcall_regs o = vmm(TDVMCALL_STATUS_RETRY);
        o.r11 = bad[i];
        rec_script(0, &o);
        uint64_t done = 0;
        assert_int_equal(tdvmcall_map_gpa(0x100000000ull, 0x10000, &done, NULL), TDS_ERR_VMM);
        assert_int_equal(rec.calls, 1);
        assert_true(done == 0x100000000ull);
    }
}

static void test_map_gpa_stalls(void **state)
{
    (void)state;
    struct tdcall_regs o = vmm(TDVMCALL_STATUS_RETRY);
    o.r11 = 0x100000;
    for (size_t i = 0; i < REC_MAX; i++) {
        rec_script(i, &o);
    }
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x100000, NULL, NULL), TDS_ERR_VMM);
    assert_int_equal(rec.calls, TDVMCALL_MAP_GPA_MAX_STALLS);

    rec_reset();
    o = vmm(TDVMCALL_STATUS_GPA_INUSE);
    rec_script(0, &o);
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x1000, NULL, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_GPA_INUSE);
}

static void test_map_gpa_input_checks(void **state)
{
    (void)state;
    assert_int_equal(tdvmcall_map_gpa(0x1000, 0, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_map_gpa(0x1800, 0x1000, NULL, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_map_gpa(0x1000, 0x800, NULL, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_map_gpa(0xFFFFFFFFFFFFF000ull, 0x2000, NULL, NULL), TDS_ERR_OVERFLOW);
    assert_int_equal(tdvmcall_map_gpa((1ull << 52) - 0x1000, 0x2000, NULL, NULL),
                     TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(rec.calls, 0);
}

static void test_get_quote(void **state)
{
    (void)state;
    const uint64_t gpa = (1ull << 47) | 0x7000000ull;
    assert_int_equal(tdvmcall_get_quote(gpa, 0x2000, NULL), TDS_OK);
    assert_masked(&rec.in[0], M(10, 13));
    assert_true(rec.in[0].r11 == 0x10002 && rec.in[0].r12 == gpa && rec.in[0].r13 == 0x2000);
    struct tdcall_regs o = vmm(TDVMCALL_STATUS_RETRY);
    rec_script(1, &o);
    assert_int_equal(tdvmcall_get_quote(gpa, 0x1000, NULL), TDS_ERR_BUSY);
    assert_int_equal(tdvmcall_get_quote(gpa | 0x10, 0x1000, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_get_quote(gpa, 0x1001, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_get_quote(gpa, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_get_quote(1ull << 52, 0x1000, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_get_quote(0xFFFFFFFFFFFFF000ull, 0x1000, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 2);
}

/* The buffer's end: each check reached on its own (the start is a valid GPA every time). */
static void test_get_quote_range_end(void **state)
{
    (void)state;
    const uint64_t top = (1ull << 52) - 0x1000; /* last 4K page below 2^52 */
    /* gpa + size wraps past 2^64: the wrap check, not the start limit, refuses it. */
    assert_int_equal(tdvmcall_get_quote(0x2000, 0xFFFFFFFFFFFFF000ull, NULL), TDS_ERR_OVERFLOW);
    assert_int_equal(tdvmcall_get_quote(top, 0xFFFFFFFFFFFFF000ull, NULL), TDS_ERR_OVERFLOW);
    /* No wrap, but the end is beyond 2^52: one page past, and far past. */
    assert_int_equal(tdvmcall_get_quote(top, 0x2000, NULL), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tdvmcall_get_quote(0x1000, 1ull << 52, NULL), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(tdvmcall_get_quote(0, 0xFFFFFFFFFFFFF000ull, NULL), TDS_ERR_OUT_OF_BOUNDS);
    assert_int_equal(rec.calls, 0);
    /* Ending exactly at 2^52 is accepted and reaches the VMM unchanged. */
    assert_int_equal(tdvmcall_get_quote(top, 0x1000, NULL), TDS_OK);
    assert_int_equal(tdvmcall_get_quote(0, 1ull << 52, NULL), TDS_OK);
    assert_int_equal(rec.calls, 2);
    assert_true(rec.in[0].r12 == top && rec.in[0].r13 == 0x1000);
    assert_true(rec.in[1].r12 == 0 && rec.in[1].r13 == (1ull << 52));
}

static void test_report_fatal_error(void **state)
{
    (void)state;
    const char msg[] = "0123456789abcdefXYZ"; /* 19 bytes: R14, R15, RBX (3 bytes) */
    assert_int_equal(tdvmcall_report_fatal_error(0x10000, 0, tds_bytes_make(msg, 19), NULL),
                     TDS_OK);
    uint32_t mask = M(10, 14) | (1u << 15) | (1u << 3);
    assert_masked(&rec.in[0], mask);
    assert_true(rec.in[0].r11 == 0x10003);
    assert_true(rec.in[0].r12 == 0x10000); /* bit 63 clear: no GPA */
    assert_true(rec.in[0].r13 == 0);
    assert_true(rec.in[0].r14 == 0x3736353433323130ull);
    assert_true(rec.in[0].r15 == 0x6665646362613938ull);
    assert_true(rec.in[0].rbx == 0x5A5958ull);

    /* Full 64-byte message: all eight registers in order, GPA flagged. */
    uint8_t big[64];
    for (unsigned i = 0; i < 64; i++) {
        big[i] = (uint8_t)(i + 1u);
    }
    assert_int_equal(
        tdvmcall_report_fatal_error(0, (1ull << 47) | 0x5000, tds_bytes_make(big, 64), NULL),
        TDS_OK);
    assert_masked(&rec.in[1], 0xFFCCu);
    assert_true(rec.in[1].r12 == (1ull << 63));
    assert_true(rec.in[1].r13 == ((1ull << 47) | 0x5000));
    assert_true(rec.in[1].rdi == 0x201F1E1D1C1B1A19ull);
    assert_true(rec.in[1].rdx == 0x403F3E3D3C3B3A39ull);

    assert_int_equal(tdvmcall_report_fatal_error(0, 0, tds_bytes_make(NULL, 0), NULL), TDS_OK);
    assert_masked(&rec.in[2], M(10, 13));

    assert_int_equal(tdvmcall_report_fatal_error(1, 0, tds_bytes_make(NULL, 0), NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_report_fatal_error(1ull << 63, 0, tds_bytes_make(NULL, 0), NULL),
                     TDS_ERR_INVALID_ARG);
    uint8_t too_big[65] = {0};
    assert_int_equal(tdvmcall_report_fatal_error(0, 0, tds_bytes_make(too_big, 65), NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_report_fatal_error(0, 0x1234, tds_bytes_make(NULL, 0), NULL),
                     TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_report_fatal_error(0, 0, tds_bytes_make(NULL, 4), NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_report_fatal_error(0, 1ull << 52, tds_bytes_make(NULL, 0), NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 3);
}

static void test_event_notify_info_service(void **state)
{
    (void)state;
    assert_int_equal(tdvmcall_setup_event_notify_interrupt(32, NULL), TDS_OK);
    assert_masked(&rec.in[0], M(10, 12));
    assert_true(rec.in[0].r11 == 0x10004 && rec.in[0].r12 == 32);
    assert_int_equal(tdvmcall_setup_event_notify_interrupt(31, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_setup_event_notify_interrupt(256, NULL), TDS_ERR_INVALID_ARG);

    struct tdcall_regs o = vmm(0);
    o.r11 = TDVMCALL_INFO1_SETUP_EVENT_NOTIFY;
    rec_script(1, &o);
    struct tdvmcall_info info;
    assert_int_equal(tdvmcall_get_tdvmcall_info(1, &info, NULL), TDS_OK);
    assert_masked(&rec.in[1], M(10, 14));
    assert_true(rec.in[1].r11 == 0x10000 && rec.in[1].r12 == 1);
    assert_true(info.r11 == TDVMCALL_INFO1_SETUP_EVENT_NOTIFY);
    o.r13 = 5; /* leaf 0 must answer all zeros */
    rec_script(2, &o);
    assert_int_equal(tdvmcall_get_tdvmcall_info(0, &info, NULL), TDS_ERR_VMM);
    assert_int_equal(tdvmcall_get_tdvmcall_info(2, &info, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_get_tdvmcall_info(0, NULL, NULL), TDS_ERR_INVALID_ARG);

    const uint64_t sb = 1ull << 47;
    assert_int_equal(tdvmcall_service(sb | 0x1000, sb | 0x2000, 0, 100, NULL), TDS_OK);
    assert_masked(&rec.in[3], M(10, 15));
    assert_true(rec.in[3].r11 == 0x10005 && rec.in[3].r12 == (sb | 0x1000) &&
                rec.in[3].r13 == (sb | 0x2000) && rec.in[3].r14 == 0 && rec.in[3].r15 == 100);
    assert_int_equal(tdvmcall_service(sb | 0x1000, sb | 0x2000, 5, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_service(sb | 0x1010, sb | 0x2000, 0, 0, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_service(sb, sb | 0x2008, 0, 0, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_service(sb, sb, 256, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_service(1ull << 52, sb, 0, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_service(sb, 1ull << 52, 32, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_service(sb, sb, 32, 0, NULL), TDS_OK);
    assert_int_equal(rec.calls, 5);
}

static void test_tdcall_failure_is_device_error(void **state)
{
    (void)state;
    struct tdcall_regs o = vmm(0);
    o.rax = 0xC000010000000001ull; /* module refused the mask */
    rec_script(0, &o);
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_hlt(false, &vs), TDS_ERR_DEVICE);
    assert_int_equal(vs.code, TDVMCALL_TDCALL_FAILED);
    assert_true(vs.raw == 0xC000010000000001ull);
}

/* ---- the register block is wiped after every executed call (safe-C rule 9, docs/safe-c.md)
 * ----------------------- */

/* Every register of the answer carries a recognisable VMM value (0xF00D...nn, nn = GPR number);
 * RAX is the TDCALL status, R10 the GHCI status. */
static struct tdcall_regs marked(uint64_t rax, uint64_t r10)
{
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    uint64_t *v[14] = {&r.rax, &r.rcx, &r.rdx, &r.rbx, &r.rsi, &r.rdi, &r.r8,
                       &r.r9,  &r.r10, &r.r11, &r.r12, &r.r13, &r.r14, &r.r15};
    static const unsigned no[14] = {0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (unsigned i = 0; i < 14; i++) {
        *v[i] = 0xF00D000000000000ull | no[i];
    }
    r.rax = rax;
    r.r10 = r10;
    return r;
}

static tds_status call_cpuid(void)
{
    struct tdvmcall_cpuid_result c;
    return tdvmcall_cpuid(1, 0, &c, NULL);
}
static tds_status call_hlt(void)
{
    return tdvmcall_hlt(true, NULL);
}
static tds_status call_io_read(void)
{
    uint32_t v;
    return tdvmcall_io_read(0x60, 4, &v, NULL);
}
static tds_status call_io_write(void)
{
    return tdvmcall_io_write(0x80, 1, 0x12, NULL);
}
static tds_status call_rdmsr(void)
{
    uint64_t v;
    return tdvmcall_rdmsr(0x1B, &v, NULL);
}
static tds_status call_wrmsr(void)
{
    return tdvmcall_wrmsr(0x6E0, 1, NULL);
}
static tds_status call_mmio_read(void)
{
    uint64_t v;
    return tdvmcall_mmio_read((1ull << 47) | 0xFEC00000ull, 8, &v, NULL);
}
static tds_status call_mmio_write(void)
{
    return tdvmcall_mmio_write((1ull << 47) | 0xFEC00000ull, 4, 0x55, NULL);
}
static tds_status call_wbinvd(void)
{
    return tdvmcall_wbinvd(true, NULL);
}
static tds_status call_info0(void)
{
    struct tdvmcall_info info;
    return tdvmcall_get_tdvmcall_info(0, &info, NULL);
}
static tds_status call_info1(void)
{
    struct tdvmcall_info info;
    return tdvmcall_get_tdvmcall_info(1, &info, NULL);
}
static tds_status call_map_gpa(void)
{
    uint64_t done;
    return tdvmcall_map_gpa(0x100000, 0x3000, &done, NULL);
}
static tds_status call_get_quote(void)
{
    return tdvmcall_get_quote((1ull << 47) | 0x7000000ull, 0x2000, NULL);
}
static tds_status call_fatal(void)
{
    static const char msg[64] = "fatal: every message register is used";
    return tdvmcall_report_fatal_error(0x10000, (1ull << 47) | 0x5000, tds_bytes_make(msg, 64),
                                       NULL);
}
static tds_status call_notify(void)
{
    return tdvmcall_setup_event_notify_interrupt(0x40, NULL);
}
static tds_status call_service(void)
{
    const uint64_t sb = 1ull << 47;
    return tdvmcall_service(sb | 0x1000, sb | 0x2000, 0, 100, NULL);
}

static const struct {
    const char *name;
    tds_status (*call)(void);
} ghci_wrappers[] = {
    {"cpuid", call_cpuid},
    {"hlt", call_hlt},
    {"io_read", call_io_read},
    {"io_write", call_io_write},
    {"rdmsr", call_rdmsr},
    {"wrmsr", call_wrmsr},
    {"mmio_read", call_mmio_read},
    {"mmio_write", call_mmio_write},
    {"wbinvd", call_wbinvd},
    {"get_tdvmcall_info 0", call_info0},
    {"get_tdvmcall_info 1", call_info1},
    {"map_gpa", call_map_gpa},
    {"get_quote", call_get_quote},
    {"report_fatal_error", call_fatal},
    {"setup_event_notify", call_notify},
    {"service", call_service},
};

/* Each GHCI wrapper, on every way a call can end: success with VMM values in every register
 * (for CPUID and GetTdVmCallInfo leaf 0 that is also the hostile-output path), a VMM error, the
 * module refusing the TDVMCALL, and an all-zero answer. */
static void test_blocks_wiped_after_return(void **state)
{
    (void)state;
    const struct tdcall_regs answers[4] = {
        marked(0, TDVMCALL_STATUS_SUCCESS),
        marked(0, TDVMCALL_STATUS_INVALID_OPERAND),
        marked(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RCX, 0),
        vmm(0),
    };
    static const char *const how[4] = {"success", "VMM error", "TDCALL failed", "zeros"};
    for (size_t w = 0; w < sizeof(ghci_wrappers) / sizeof(ghci_wrappers[0]); w++) {
        for (size_t a = 0; a < 4; a++) {
            rec_reset();
            rec_script(0, &answers[a]);
            tds_status s = ghci_wrappers[w].call();
            char what[64];
            (void)snprintf(what, sizeof(what), "%s, %s", ghci_wrappers[w].name, how[a]);
            if (s == TDS_ERR_INVALID_ARG || s == TDS_ERR_ALIGNMENT) {
                fail_msg("%s: input refused", what);
            }
            assert_blocks_wiped(what);
        }
    }
}

/* MapGPA's loop wipes the block of every iteration before it looks at the next answer: progress,
 * a stall, success; and a hostile resume address ends it after one wiped call. */
static void test_map_gpa_blocks_wiped_each_retry(void **state)
{
    (void)state;
    struct tdcall_regs o = marked(0, TDVMCALL_STATUS_RETRY);
    o.r11 = 0x101000;
    rec_script(0, &o);
    rec_script(1, &o); /* stall */
    o = marked(0, TDVMCALL_STATUS_SUCCESS);
    rec_script(2, &o);
    uint64_t done = 0;
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x3000, &done, NULL), TDS_OK);
    assert_int_equal(rec.calls, 3);
    assert_blocks_wiped("map_gpa retry, stall, success");

    rec_reset();
    o = marked(0, TDVMCALL_STATUS_RETRY); /* R11 = 0xF00D...0B: outside the range */
    rec_script(0, &o);
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x3000, &done, NULL), TDS_ERR_VMM);
    assert_blocks_wiped("map_gpa hostile resume");
}

/* Input-check failures execute nothing and so wipe nothing (the block was never filled). */
static void test_refused_inputs_wipe_nothing(void **state)
{
    (void)state;
    assert_int_equal(tdvmcall_get_quote(0x1000, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdvmcall_map_gpa(0x1800, 0x1000, NULL, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdvmcall_io_read(0, 3, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 0);
    assert_int_equal(rec.wipes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_status_decode, setup),
        cmocka_unit_test_setup(test_cpuid, setup),
        cmocka_unit_test_setup(test_hlt_rdmsr_wrmsr_wbinvd, setup),
        cmocka_unit_test_setup(test_io, setup),
        cmocka_unit_test_setup(test_mmio, setup),
        cmocka_unit_test_setup(test_map_gpa_simple, setup),
        cmocka_unit_test_setup(test_map_gpa_retry_progress, setup),
        cmocka_unit_test_setup(test_map_gpa_hostile_resume, setup),
        cmocka_unit_test_setup(test_map_gpa_stalls, setup),
        cmocka_unit_test_setup(test_map_gpa_input_checks, setup),
        cmocka_unit_test_setup(test_get_quote, setup),
        cmocka_unit_test_setup(test_get_quote_range_end, setup),
        cmocka_unit_test_setup(test_report_fatal_error, setup),
        cmocka_unit_test_setup(test_event_notify_info_service, setup),
        cmocka_unit_test_setup(test_tdcall_failure_is_device_error, setup),
        cmocka_unit_test_setup(test_blocks_wiped_after_return, setup),
        cmocka_unit_test_setup(test_map_gpa_blocks_wiped_each_retry, setup),
        cmocka_unit_test_setup(test_refused_inputs_wipe_nothing, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
