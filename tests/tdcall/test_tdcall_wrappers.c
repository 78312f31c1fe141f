/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* TDCALL leaf wrappers against a recording backend: exact register marshalling, decoding of the
 * outputs, and a negative test for every input check (nothing may reach tdcall_raw). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "recorder.h"
#include "tdshim/tdcall.h"
#include "wipe_probe.h"

static int setup(void **state)
{
    (void)state;
    rec_reset();
    return 0;
}

static struct tdcall_regs status_only(uint64_t rax)
{
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    r.rax = rax;
    return r;
}

/* Every register except those listed in `used` must be zero in the recorded input. */
static void assert_only_inputs(const struct tdcall_regs *in, uint32_t used_gprs)
{
    const uint64_t v[14] = {in->rax, in->rcx, in->rdx, in->rbx, in->rsi, in->rdi, in->r8,
                            in->r9,  in->r10, in->r11, in->r12, in->r13, in->r14, in->r15};
    static const unsigned gpr_no[14] = {0, 1, 2, 3, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (unsigned i = 0; i < 14; i++) {
        if ((used_gprs & (1u << gpr_no[i])) == 0) {
            assert_true(v[i] == 0);
        }
    }
}

#define GPR(n) (1u << (n))
#define RAX GPR(0)
#define RCX GPR(1)
#define RDX GPR(2)

/* ---- status decode -------------------------------------------------------------------------- */

static void test_status_decode(void **state)
{
    (void)state;
    static const struct {
        uint64_t raw;
        tdcall_code code;
        tds_status tds;
    } cases[] = {
        {0, TDCALL_SUCCESS, TDS_OK},
        {0x8000020000000000ull, TDCALL_BUSY, TDS_ERR_BUSY},
        {0x80000200000000A8ull, TDCALL_BUSY, TDS_ERR_BUSY},
        {0x8000020100000000ull, TDCALL_BUSY, TDS_ERR_BUSY},
        {0x8000020200000000ull, TDCALL_BUSY, TDS_ERR_BUSY},
        {0x8000020400000000ull, TDCALL_BUSY, TDS_ERR_BUSY},
        {0x8000020300000000ull, TDCALL_OTHER, TDS_ERR_DEVICE}, /* RND_NO_ENTROPY is not busy */
        {0x00000B0A00000000ull, TDCALL_ALREADY_ACCEPTED, TDS_ERR_STATE},
        {0x00000B0A00000001ull, TDCALL_ALREADY_ACCEPTED, TDS_ERR_STATE},
        {0xC0000B0B00000001ull, TDCALL_SIZE_MISMATCH, TDS_ERR_UNSUPPORTED},
        {0xC0000B0B00000000ull, TDCALL_SIZE_MISMATCH, TDS_ERR_UNSUPPORTED},
        {0xC000010000000000ull, TDCALL_INVALID_OPERAND, TDS_ERR_DEVICE},
        {0xC000010000000001ull, TDCALL_INVALID_OPERAND, TDS_ERR_DEVICE},
        {0xC000010100000000ull, TDCALL_OTHER, TDS_ERR_DEVICE}, /* ADDR_RANGE_ERROR */
        {0xC000070400000000ull, TDCALL_NO_VE_INFO, TDS_ERR_NOT_FOUND},
        {0x0000000000000001ull, TDCALL_OTHER, TDS_ERR_DEVICE}, /* non-zero low bits only */
        {0x00000C0B00000000ull, TDCALL_OTHER, TDS_ERR_DEVICE},
        {0xFFFFFFFFFFFFFFFFull, TDCALL_OTHER, TDS_ERR_DEVICE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tdcall_status st = tdcall_status_decode(cases[i].raw);
        assert_int_equal(st.code, cases[i].code);
        assert_true(st.raw == cases[i].raw);
        assert_true(st.detail == (uint32_t)cases[i].raw);
        assert_int_equal(tdcall_status_to_tds(st), cases[i].tds);
    }
    assert_int_equal(tdcall_api_version(), TDCALL_API_VERSION);
}

/* ---- VP.INFO -------------------------------------------------------------------------------- */

static void test_vp_info(void **state)
{
    (void)state;
    struct tdcall_regs o = status_only(0);
    o.rcx = 52;
    o.rdx = TDX_ATTR_SEPT_VE_DISABLE | TDX_ATTR_DEBUG;
    o.r8 = 4u | (16ull << 32); /* NUM in the low half, MAX in the high half */
    o.r9 = 3;
    o.r10 = 1;
    rec_script(0, &o);
    struct tdcall_td_info info;
    tdcall_status hw;
    assert_int_equal(tdcall_vp_info(&info, &hw), TDS_OK);
    assert_int_equal(rec.calls, 1);
    assert_true(rec.in[0].rax == TDCALL_LEAF_VP_INFO);
    assert_only_inputs(&rec.in[0], RAX);
    assert_int_equal(info.gpaw, 52);
    assert_true(info.shared_mask == (1ull << 51));
    assert_int_equal(info.num_vcpus, 4);
    assert_int_equal(info.max_vcpus, 16);
    assert_int_equal(info.vcpu_index, 3);
    assert_true(info.attributes == (TDX_ATTR_SEPT_VE_DISABLE | TDX_ATTR_DEBUG));
    assert_true(info.sys_rd_available);
    assert_int_equal(hw.code, TDCALL_SUCCESS);

    rec_reset();
    o.rcx = 48;
    o.r10 = 0;
    o.r9 = 0;
    rec_script(0, &o);
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_OK);
    assert_true(info.shared_mask == (1ull << 47));
    assert_false(info.sys_rd_available);
}

static void test_vp_info_rejects_module_nonsense(void **state)
{
    (void)state;
    struct tdcall_td_info info;
    memset(&info, 0x77, sizeof(info));
    struct tdcall_regs o = status_only(0);
    o.rcx = 47; /* neither 48 nor 52 */
    o.r8 = 1;
    rec_script(0, &o);
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_ERR_DEVICE);
    assert_int_equal(info.gpaw, 0x77777777u); /* untouched */

    rec_reset();
    o.rcx = 48;
    o.r8 = 2;
    o.r9 = 2; /* index == num */
    rec_script(0, &o);
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_ERR_DEVICE);

    rec_reset();
    o.r8 = 0; /* zero vCPUs */
    o.r9 = 0;
    rec_script(0, &o);
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_ERR_DEVICE);

    rec_reset();
    assert_int_equal(tdcall_vp_info(NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 0);
}

/* ---- RTMR.EXTEND ---------------------------------------------------------------------------- */

static void test_rtmr_extend(void **state)
{
    (void)state;
    static struct tdcall_digest48 d;
    tdcall_status hw;
    assert_int_equal(tdcall_mr_rtmr_extend(3, &d, &hw), TDS_OK);
    assert_true(rec.in[0].rax == TDCALL_LEAF_MR_RTMR_EXTEND);
    assert_true(rec.in[0].rcx == (uint64_t)(uintptr_t)&d);
    assert_true(rec.in[0].rdx == 3);
    assert_only_inputs(&rec.in[0], RAX | RCX | RDX);

    rec_reset();
    struct tdcall_regs o = status_only(0x80000200000000A8ull);
    rec_script(0, &o);
    assert_int_equal(tdcall_mr_rtmr_extend(0, &d, &hw), TDS_ERR_BUSY);
    assert_int_equal(hw.code, TDCALL_BUSY);
    assert_int_equal(hw.detail, TDX_OPERAND_ID_RTMR);
}

static void test_rtmr_extend_input_checks(void **state)
{
    (void)state;
    static uint8_t raw[256] TDS_ALIGNED(64);
    const struct tdcall_digest48 *ok = (const struct tdcall_digest48 *)(const void *)raw;
    const struct tdcall_digest48 *mis =
        (const struct tdcall_digest48 *)(uintptr_t)((uintptr_t)raw + 32u);
    tdcall_status hw = {TDCALL_OTHER, 0x55, 0x55};
    assert_int_equal(tdcall_mr_rtmr_extend(4, ok, &hw), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mr_rtmr_extend(UINT32_MAX, ok, &hw), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mr_rtmr_extend(0, NULL, &hw), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mr_rtmr_extend(0, mis, &hw), TDS_ERR_ALIGNMENT);
    assert_int_equal(rec.calls, 0);
    assert_true(hw.raw == 0x55); /* not written when nothing was executed */
}

/* ---- VEINFO.GET ----------------------------------------------------------------------------- */

static void test_veinfo_get(void **state)
{
    (void)state;
    struct tdcall_regs o = status_only(0);
    o.rcx = 48; /* EPT violation */
    o.rdx = 0x181;
    o.r8 = 0xFFFF800000001000ull;
    o.r9 = 0x800000001000ull;
    o.r10 = 3u | (0x1234ull << 32);
    rec_script(0, &o);
    struct tdcall_ve_info ve;
    assert_int_equal(tdcall_vp_veinfo_get(&ve, NULL), TDS_OK);
    assert_true(rec.in[0].rax == TDCALL_LEAF_VP_VEINFO_GET);
    assert_only_inputs(&rec.in[0], RAX);
    assert_int_equal(ve.exit_reason, 48);
    assert_true(ve.exit_qualification == 0x181);
    assert_true(ve.guest_linear_address == 0xFFFF800000001000ull);
    assert_true(ve.guest_physical_address == 0x800000001000ull);
    assert_int_equal(ve.instr_length, 3);
    assert_int_equal(ve.instr_info, 0x1234);

    rec_reset();
    o = status_only(TDX_NO_VALID_VE_INFO);
    rec_script(0, &o);
    memset(&ve, 0x11, sizeof(ve));
    assert_int_equal(tdcall_vp_veinfo_get(&ve, NULL), TDS_ERR_NOT_FOUND);
    assert_int_equal(ve.exit_reason, 0x11111111u);
    assert_int_equal(tdcall_vp_veinfo_get(NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 1);
}

/* ---- MR.REPORT ------------------------------------------------------------------------------ */

static struct tdcall_tdreport g_report;
static struct tdcall_reportdata g_rd;

static void test_mr_report(void **state)
{
    (void)state;
    assert_int_equal(tdcall_mr_report(&g_report, &g_rd, NULL), TDS_OK);
    assert_true(rec.in[0].rax == TDCALL_LEAF_MR_REPORT);
    assert_true(rec.in[0].rcx == (uint64_t)(uintptr_t)&g_report);
    assert_true(rec.in[0].rdx == (uint64_t)(uintptr_t)&g_rd);
    assert_true(rec.in[0].r8 == 0);
    assert_only_inputs(&rec.in[0], RAX | RCX | RDX);

    rec_reset();
    struct tdcall_regs o = status_only(0xC000010000000008ull);
    rec_script(0, &o);
    tdcall_status hw;
    assert_int_equal(tdcall_mr_report(&g_report, &g_rd, &hw), TDS_ERR_DEVICE);
    assert_int_equal(hw.code, TDCALL_INVALID_OPERAND);
    assert_int_equal(hw.detail, 8);
}

static void test_mr_report_input_checks(void **state)
{
    (void)state;
    uint8_t *base = (uint8_t *)&g_report;
    struct tdcall_tdreport *mis_rep = (struct tdcall_tdreport *)(uintptr_t)((uintptr_t)base + 64u);
    const struct tdcall_reportdata *mis_rd =
        (const struct tdcall_reportdata *)(uintptr_t)((uintptr_t)&g_rd + 8u);
    const struct tdcall_reportdata *inside =
        (const struct tdcall_reportdata *)(uintptr_t)((uintptr_t)base + 128u);
    assert_int_equal(tdcall_mr_report(NULL, &g_rd, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mr_report(&g_report, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mr_report(mis_rep, &g_rd, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mr_report(&g_report, mis_rd, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mr_report(&g_report, inside, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 0);
}

static void test_tdreport_summarize(void **state)
{
    (void)state;
    static struct tdcall_tdreport rep;
    memset(&rep, 0, sizeof(rep));
    rep.reportmac.report_type[0] = 0x81;
    rep.reportmac.report_type[2] = 1;
    rep.tdinfo.attributes[3] = 0x10; /* bit 28: SEPT_VE_DISABLE */
    rep.tdinfo.xfam[0] = 0xE7;
    rep.tee_tcb_info.attributes[7] = 0x80;
    struct tdcall_tdreport_summary s;
    assert_int_equal(tdcall_tdreport_summarize(&rep, &s), TDS_OK);
    assert_int_equal(s.report_type, 0x81);
    assert_int_equal(s.report_version, 1);
    assert_true(s.td_attributes == TDX_ATTR_SEPT_VE_DISABLE);
    assert_true(s.xfam == 0xE7);
    assert_true(s.tee_tcb_attributes == 0x8000000000000000ull);
    rep.reportmac.report_type[0] = 0x00; /* SGX report type */
    assert_int_equal(tdcall_tdreport_summarize(&rep, &s), TDS_ERR_MALFORMED);
    rep.reportmac.report_type[0] = 0x81;
    rep.reportmac.report_type[1] = 1; /* unknown subtype */
    assert_int_equal(tdcall_tdreport_summarize(&rep, &s), TDS_ERR_MALFORMED);
    assert_int_equal(tdcall_tdreport_summarize(NULL, &s), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_tdreport_summarize(&rep, NULL), TDS_ERR_INVALID_ARG);
}

/* ---- CPUIDVE.SET ---------------------------------------------------------------------------- */

static void test_cpuidve_set(void **state)
{
    (void)state;
    assert_int_equal(tdcall_vp_cpuidve_set(TDCALL_CPUIDVE_USER, NULL), TDS_OK);
    assert_true(rec.in[0].rax == TDCALL_LEAF_VP_CPUIDVE_SET);
    assert_true(rec.in[0].rcx == 2);
    assert_only_inputs(&rec.in[0], RAX | RCX);
    assert_int_equal(tdcall_vp_cpuidve_set(4, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_vp_cpuidve_set(1ull << 63, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 1);
}

/* ---- MEM.PAGE.ACCEPT ------------------------------------------------------------------------ */

static void test_accept_marshalling(void **state)
{
    (void)state;
    assert_int_equal(tdcall_mem_page_accept(0x7FFFF000ull, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(0x40200000ull, TDCALL_PAGE_2M, NULL), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(0xFFFFFFFFF000ull, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(0x40000000ull, TDCALL_PAGE_1G, NULL), TDS_OK);
    assert_true(rec.in[0].rax == TDCALL_LEAF_MEM_PAGE_ACCEPT);
    assert_true(rec.in[0].rcx == 0x7FFFF000ull);
    assert_true(rec.in[1].rcx == (0x40200000ull | 1u));
    assert_true(rec.in[2].rcx == 0xFFFFFFFFF000ull);
    assert_true(rec.in[3].rcx == (0x40000000ull | 2u));
    for (int i = 0; i < 4; i++) {
        assert_only_inputs(&rec.in[i], RAX | RCX);
    }
    assert_true(tdcall_page_level_size(TDCALL_PAGE_2M) == 0x200000ull);
    assert_true(tdcall_page_level_size((tdcall_page_level)3) == 0);
}

static void test_accept_results(void **state)
{
    (void)state;
    struct tdcall_regs o = status_only(0x00000B0A00000001ull);
    rec_script(0, &o);
    o = status_only(0xC0000B0B00000001ull);
    rec_script(1, &o);
    o = status_only(0x8000020000000001ull);
    rec_script(2, &o);
    o = status_only(0xC000010000000001ull);
    rec_script(3, &o);
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(0x1000, TDCALL_PAGE_4K, &hw), TDS_ERR_STATE);
    assert_int_equal(hw.code, TDCALL_ALREADY_ACCEPTED);
    assert_int_equal(hw.detail, 1); /* found at the 2M level */
    assert_int_equal(tdcall_mem_page_accept(0x200000, TDCALL_PAGE_2M, &hw), TDS_ERR_UNSUPPORTED);
    assert_int_equal(hw.code, TDCALL_SIZE_MISMATCH);
    assert_int_equal(tdcall_mem_page_accept(0x200000, TDCALL_PAGE_2M, &hw), TDS_ERR_BUSY);
    assert_int_equal(tdcall_mem_page_accept(0, TDCALL_PAGE_1G, &hw), TDS_ERR_DEVICE);
    assert_int_equal(hw.code, TDCALL_INVALID_OPERAND);
    assert_true(hw.raw == 0xC000010000000001ull);
}

static void test_accept_input_checks(void **state)
{
    (void)state;
    tdcall_status hw = {TDCALL_OTHER, 9, 9};
    assert_int_equal(tdcall_mem_page_accept(0x1000, (tdcall_page_level)3, &hw),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mem_page_accept(0x1000, (tdcall_page_level)7, &hw),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mem_page_accept(0x1800, TDCALL_PAGE_4K, &hw), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mem_page_accept(0x1001, TDCALL_PAGE_4K, &hw), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mem_page_accept(0x201000, TDCALL_PAGE_2M, &hw), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mem_page_accept(0x200000, TDCALL_PAGE_1G, &hw), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mem_page_accept(1ull << 52, TDCALL_PAGE_4K, &hw), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mem_page_accept(0xFFFFFFFFFFFFF000ull, TDCALL_PAGE_4K, &hw),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 0);
    assert_true(hw.raw == 9);

    /* No shared-bit check: the wrapper does not know GPAW, so a GPA with bit 47 or 51 set below
     * 2^52 goes to the module unchanged (which refuses it: test_tdx_emu test_accept_errors). */
    assert_int_equal(tdcall_mem_page_accept((1ull << 47) | 0x5000, TDCALL_PAGE_4K, &hw), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept((1ull << 51) | 0x200000, TDCALL_PAGE_2M, &hw), TDS_OK);
    assert_int_equal(rec.calls, 2);
    assert_true(rec.in[0].rcx == ((1ull << 47) | 0x5000));
    assert_true(rec.in[1].rcx == ((1ull << 51) | 0x200000 | 1u));
}

/* ---- metadata ------------------------------------------------------------------------------- */

static void test_metadata_marshalling(void **state)
{
    (void)state;
    struct tdcall_regs o = status_only(0);
    o.r8 = 0xABCD;
    o.rdx = 0x1111;
    for (size_t i = 0; i < 6; i++) {
        rec_script(i, &o);
    }
    uint64_t v = 0;
    uint64_t next = 0;
    uint64_t old = 0;
    assert_int_equal(tdcall_vm_rd(TDX_FIELD_TDCS_CONFIG_FLAGS, &v, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 7);
    assert_true(rec.in[0].rcx == 0);
    assert_true(rec.in[0].rdx == TDX_FIELD_TDCS_CONFIG_FLAGS);
    assert_only_inputs(&rec.in[0], RAX | RDX);
    assert_true(v == 0xABCD);

    assert_int_equal(tdcall_vm_rd_next(TDX_FIELD_TDCS_TD_CTLS, &v, &next, NULL), TDS_OK);
    assert_true(rec.in[1].rax == (7u | (1u << 16)));
    assert_true(next == 0x1111);

    assert_int_equal(tdcall_vm_wr(TDX_FIELD_TDCS_TD_CTLS, 1, 1, &old, NULL), TDS_OK);
    assert_true(rec.in[2].rax == 8);
    assert_true(rec.in[2].rdx == TDX_FIELD_TDCS_TD_CTLS);
    assert_true(rec.in[2].r8 == 1 && rec.in[2].r9 == 1);
    assert_only_inputs(&rec.in[2], RAX | RDX | GPR(8) | GPR(9));
    assert_true(old == 0xABCD);

    assert_int_equal(tdcall_vp_rd(0x42, &v, &next, NULL), TDS_OK);
    assert_true(rec.in[3].rax == 9 && rec.in[3].rdx == 0x42);
    assert_int_equal(tdcall_vp_wr(0x43, 5, 0xF, NULL, NULL), TDS_OK);
    assert_true(rec.in[4].rax == 10 && rec.in[4].r8 == 5 && rec.in[4].r9 == 0xF);
    assert_int_equal(tdcall_sys_rd(0x44, &v, &next, NULL), TDS_OK);
    assert_true(rec.in[5].rax == 11 && rec.in[5].rdx == 0x44);

    rec_reset();
    o = status_only(TDX_METADATA_FIELD_ID_INCORRECT | 2u);
    rec_script(0, &o);
    v = 99;
    assert_int_equal(tdcall_vm_rd(0x5, &v, NULL), TDS_ERR_DEVICE);
    assert_true(v == 99);
    assert_int_equal(tdcall_vm_rd(0x5, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_vm_rd_next(0x5, &v, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 1);
}

static void test_sys_rdall(void **state)
{
    (void)state;
    static uint8_t page[8192] TDS_ALIGNED(4096);
    struct tdcall_regs o = status_only(0);
    o.r8 = 0x77;
    rec_script(0, &o);
    uint64_t next = 0;
    assert_int_equal(tdcall_sys_rdall(page, 0x10, &next, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 12);
    assert_true(rec.in[0].rdx == (uint64_t)(uintptr_t)page);
    assert_true(rec.in[0].r8 == 0x10);
    assert_true(next == 0x77);
    assert_int_equal(tdcall_sys_rdall(page + 64, 0, &next, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_sys_rdall(NULL, 0, &next, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_sys_rdall(page, 0, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 1);
}

/* ---- service TD, VERIFYREPORT, ATTR, partitioning ----------------------------------------- */

static void test_servtd(void **state)
{
    (void)state;
    const uint64_t uuid[4] = {1, 2, 3, 4};
    struct tdcall_regs o = status_only(0);
    o.r8 = 0x99;
    o.r10 = 5;
    o.r11 = 6;
    o.r12 = 7;
    o.r13 = 8;
    rec_script(0, &o);
    rec_script(1, &o);
    struct tdcall_servtd_result res;
    assert_int_equal(tdcall_servtd_rd(0xAA, 0xBB, uuid, &res, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 18 && rec.in[0].rcx == 0xAA && rec.in[0].rdx == 0xBB);
    assert_true(rec.in[0].r10 == 1 && rec.in[0].r11 == 2 && rec.in[0].r12 == 3 &&
                rec.in[0].r13 == 4);
    assert_true(res.value == 0x99 && res.td_uuid[0] == 5 && res.td_uuid[3] == 8);
    assert_int_equal(tdcall_servtd_wr(0xAA, 0xBB, 0xCC, 0xF0, uuid, &res, NULL), TDS_OK);
    assert_true(rec.in[1].rax == 20 && rec.in[1].r8 == 0xCC && rec.in[1].r9 == 0xF0);
    assert_int_equal(tdcall_servtd_rd(0, 0, NULL, &res, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_servtd_wr(0, 0, 0, 0, uuid, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 2);
}

static void test_verifyreport(void **state)
{
    (void)state;
    static struct tdcall_reportmac rm;
    assert_int_equal(tdcall_mr_verifyreport(&rm, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 22 && rec.in[0].rcx == (uint64_t)(uintptr_t)&rm);
    assert_only_inputs(&rec.in[0], RAX | RCX);
    struct tdcall_regs o = status_only(TDX_INVALID_REPORTMACSTRUCT);
    rec_script(1, &o);
    o = status_only(TDX_INVALID_CPUSVN);
    rec_script(2, &o);
    assert_int_equal(tdcall_mr_verifyreport(&rm, NULL), TDS_ERR_MISMATCH);
    assert_int_equal(tdcall_mr_verifyreport(&rm, NULL), TDS_ERR_DEVICE);
    const struct tdcall_reportmac *mis =
        (const struct tdcall_reportmac *)(uintptr_t)((uintptr_t)&rm + 128u);
    assert_int_equal(tdcall_mr_verifyreport(mis, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mr_verifyreport(NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 3);
}

static void test_page_attr(void **state)
{
    (void)state;
    struct tdcall_regs o = status_only(0);
    o.rcx = 0x40200000ull | 1u | (1ull << 62);
    o.rdx = 0x8003000000000007ull;
    rec_script(0, &o);
    rec_script(1, &o);
    struct tdcall_page_attr a;
    assert_int_equal(tdcall_mem_page_attr_rd(0x40201000ull, &a, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 23 && rec.in[0].rcx == 0x40201000ull);
    assert_true(a.gpa == 0x40200000ull);
    assert_int_equal(a.level, TDCALL_PAGE_2M);
    assert_true(a.pending);
    assert_int_equal(a.attr[0], 7);
    assert_int_equal(a.attr[3], 0x8003);
    assert_int_equal(tdcall_mem_page_attr_wr(0x40200000ull, TDCALL_PAGE_2M, 0x8007ull << 16,
                                             1ull << 31, &a, NULL),
                     TDS_OK);
    assert_true(rec.in[1].rax == 24 && rec.in[1].rcx == (0x40200000ull | 1u));
    assert_true(rec.in[1].rdx == (0x8007ull << 16) && rec.in[1].r8 == (1ull << 31));
    assert_int_equal(tdcall_mem_page_attr_rd(0x40201800ull, &a, NULL), TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mem_page_attr_rd(1ull << 52, &a, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mem_page_attr_rd(0x1000, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mem_page_attr_wr(0x1000, TDCALL_PAGE_2M, 0, 0, NULL, NULL),
                     TDS_ERR_ALIGNMENT);
    assert_int_equal(tdcall_mem_page_attr_wr(0x1000, (tdcall_page_level)3, 0, 0, NULL, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(tdcall_mem_page_attr_wr(1ull << 52, TDCALL_PAGE_4K, 0, 0, NULL, NULL),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 2);
}

static void test_partitioning(void **state)
{
    (void)state;
    struct tdcall_regs o = status_only(0);
    o.rcx = 0x30;
    o.rdx = 0x5000;
    o.r8 = 0x88;
    rec_script(0, &o);
    rec_script(2, &o);
    struct tdcall_regs ex;
    assert_int_equal(tdcall_vp_enter(1, 0x3000, &ex, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 25 && rec.in[0].rcx == 1 && rec.in[0].rdx == 0x3000);
    assert_only_inputs(&rec.in[0], RAX | RCX | RDX);
    assert_true(ex.rcx == 0x30 && ex.r8 == 0x88);
    assert_int_equal(tdcall_vp_invept(0x6, NULL), TDS_OK);
    assert_true(rec.in[1].rax == 26 && rec.in[1].rcx == 6);
    uint64_t next = 0;
    assert_int_equal(tdcall_vp_invvpid(1, 0x4000, &next, NULL), TDS_OK);
    assert_true(rec.in[2].rax == 27 && rec.in[2].rdx == 0x4000);
    assert_true(next == 0x5000);
    assert_int_equal(tdcall_vp_enter(0, 0, NULL, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 3);
}

/* ---- raw VP.VMCALL -------------------------------------------------------------------------- */

static void test_vp_vmcall_mask(void **state)
{
    (void)state;
    struct tdcall_regs r;
    memset(&r, 0x5A, sizeof(r)); /* stale values everywhere */
    r.r11 = 0x1E;
    uint32_t mask = TDVMCALL_EXPOSE_R10 | TDVMCALL_EXPOSE_R11 | TDVMCALL_EXPOSE_R12;
    assert_int_equal(tdcall_vp_vmcall(&r, mask, NULL), TDS_OK);
    assert_true(rec.in[0].rax == 0);
    assert_true(rec.in[0].rcx == mask);
    assert_true(rec.in[0].r11 == 0x1E);
    assert_true(rec.in[0].r12 == 0x5A5A5A5A5A5A5A5Aull);
    /* Unexposed registers were zeroed before the call, so nothing stale reaches anybody. */
    assert_only_inputs(&rec.in[0], RCX | GPR(10) | GPR(11) | GPR(12));

    const uint32_t bad[] = {mask | 1u,
                            mask | 2u,
                            mask | (1u << 4),
                            mask | (1u << 5),
                            mask | (1u << 16),
                            TDVMCALL_EXPOSE_R11 | TDVMCALL_EXPOSE_R12,
                            TDVMCALL_EXPOSE_R10 | TDVMCALL_EXPOSE_R12};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(tdcall_vp_vmcall(&r, bad[i], NULL), TDS_ERR_INVALID_ARG);
    }
    assert_int_equal(tdcall_vp_vmcall(NULL, mask, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(rec.calls, 1);

    struct tdcall_regs o = status_only(0xC000010000000001ull);
    rec_script(1, &o);
    tdcall_status hw;
    assert_int_equal(tdcall_vp_vmcall(&r, mask, &hw), TDS_ERR_DEVICE);
    assert_true(hw.raw == 0xC000010000000001ull);
}

/* ---- the register block is wiped after every executed call -------------------------------- */

/* An answer with a recognisable module value in every register (0xF00D...nn, nn = GPR number). */
static struct tdcall_regs marked(uint64_t rax)
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
    return r;
}

static const uint64_t g_uuid[4] = {1, 2, 3, 4};

static tds_status call_vp_info(void)
{
    struct tdcall_td_info info;
    return tdcall_vp_info(&info, NULL);
}
static tds_status call_rtmr_extend(void)
{
    static struct tdcall_digest48 d;
    return tdcall_mr_rtmr_extend(1, &d, NULL);
}
static tds_status call_veinfo_get(void)
{
    struct tdcall_ve_info ve;
    return tdcall_vp_veinfo_get(&ve, NULL);
}
static tds_status call_mr_report(void)
{
    return tdcall_mr_report(&g_report, &g_rd, NULL);
}
static tds_status call_cpuidve_set(void)
{
    return tdcall_vp_cpuidve_set(TDCALL_CPUIDVE_USER, NULL);
}
static tds_status call_accept(void)
{
    return tdcall_mem_page_accept(0x200000, TDCALL_PAGE_2M, NULL);
}
static tds_status call_vm_rd(void)
{
    uint64_t v;
    return tdcall_vm_rd(0x5, &v, NULL);
}
static tds_status call_vm_rd_next(void)
{
    uint64_t v, next;
    return tdcall_vm_rd_next(0x5, &v, &next, NULL);
}
static tds_status call_vm_wr(void)
{
    uint64_t old;
    return tdcall_vm_wr(0x5, 1, 1, &old, NULL);
}
static tds_status call_vp_rd(void)
{
    uint64_t v, next;
    return tdcall_vp_rd(0x5, &v, &next, NULL);
}
static tds_status call_vp_wr(void)
{
    return tdcall_vp_wr(0x5, 1, 1, NULL, NULL);
}
static tds_status call_sys_rd(void)
{
    uint64_t v;
    return tdcall_sys_rd(0x5, &v, NULL, NULL);
}
static tds_status call_sys_rdall(void)
{
    static uint8_t page[4096] TDS_ALIGNED(4096);
    uint64_t next;
    return tdcall_sys_rdall(page, 0, &next, NULL);
}
static tds_status call_servtd_rd(void)
{
    struct tdcall_servtd_result res;
    return tdcall_servtd_rd(0xAA, 0xBB, g_uuid, &res, NULL);
}
static tds_status call_servtd_wr(void)
{
    struct tdcall_servtd_result res;
    return tdcall_servtd_wr(0xAA, 0xBB, 1, 1, g_uuid, &res, NULL);
}
static tds_status call_verifyreport(void)
{
    return tdcall_mr_verifyreport(&g_report.reportmac, NULL);
}
static tds_status call_attr_rd(void)
{
    struct tdcall_page_attr a;
    return tdcall_mem_page_attr_rd(0x1000, &a, NULL);
}
static tds_status call_attr_wr(void)
{
    struct tdcall_page_attr a;
    return tdcall_mem_page_attr_wr(0x1000, TDCALL_PAGE_4K, 0, 0, &a, NULL);
}
static tds_status call_vp_enter(void)
{
    struct tdcall_regs ex;
    return tdcall_vp_enter(0, 0x3000, &ex, NULL);
}
static tds_status call_invept(void)
{
    return tdcall_vp_invept(1, NULL);
}
static tds_status call_invvpid(void)
{
    uint64_t next;
    return tdcall_vp_invvpid(1, 0x4000, &next, NULL);
}

static const struct {
    const char *name;
    tds_status (*call)(void);
} tdcall_wrappers[] = {
    {"vp_info", call_vp_info},
    {"mr_rtmr_extend", call_rtmr_extend},
    {"vp_veinfo_get", call_veinfo_get},
    {"mr_report", call_mr_report},
    {"vp_cpuidve_set", call_cpuidve_set},
    {"mem_page_accept", call_accept},
    {"vm_rd", call_vm_rd},
    {"vm_rd_next", call_vm_rd_next},
    {"vm_wr", call_vm_wr},
    {"vp_rd", call_vp_rd},
    {"vp_wr", call_vp_wr},
    {"sys_rd", call_sys_rd},
    {"sys_rdall", call_sys_rdall},
    {"servtd_rd", call_servtd_rd},
    {"servtd_wr", call_servtd_wr},
    {"mr_verifyreport", call_verifyreport},
    {"mem_page_attr_rd", call_attr_rd},
    {"mem_page_attr_wr", call_attr_wr},
    {"vp_enter", call_vp_enter},
    {"vp_invept", call_invept},
    {"vp_invvpid", call_invvpid},
};

/* Every TDCALL wrapper except the raw VP.VMCALL wipes its block whatever the module answered:
 * success with module values in every register (VP.INFO's are also nonsense it rejects), busy,
 * an error the wrapper maps (INVALID_REPORTMACSTRUCT), and invalid operand. */
static void test_blocks_wiped_after_return(void **state)
{
    (void)state;
    const struct tdcall_regs answers[4] = {
        marked(0),
        marked(TDX_OPERAND_BUSY | TDX_OPERAND_ID_RCX),
        marked(TDX_INVALID_REPORTMACSTRUCT),
        marked(TDX_OPERAND_INVALID | TDX_OPERAND_ID_RDX),
    };
    static const char *const how[4] = {"success", "busy", "mapped error", "invalid operand"};
    for (size_t w = 0; w < sizeof(tdcall_wrappers) / sizeof(tdcall_wrappers[0]); w++) {
        for (size_t a = 0; a < 4; a++) {
            rec_reset();
            rec_script(0, &answers[a]);
            tds_status s = tdcall_wrappers[w].call();
            char what[64];
            (void)snprintf(what, sizeof(what), "%s, %s", tdcall_wrappers[w].name, how[a]);
            if (s == TDS_ERR_INVALID_ARG || s == TDS_ERR_ALIGNMENT) {
                fail_msg("%s: input refused", what);
            }
            assert_blocks_wiped(what);
        }
    }
}

/* The exception: tdcall_vp_vmcall returns the outputs in the caller's block and wipes nothing;
 * the caller (the GHCI wrappers, or whoever calls it directly) must wipe it. */
static void test_vp_vmcall_leaves_outputs_to_caller(void **state)
{
    (void)state;
    struct tdcall_regs o = marked(0);
    rec_script(0, &o);
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    r.r11 = 0x1E;
    assert_int_equal(tdcall_vp_vmcall(&r, TDVMCALL_EXPOSE_ALLOWED, NULL), TDS_OK);
    assert_int_equal(rec.calls, 1);
    assert_int_equal(rec.wipes, 0);
    assert_ptr_equal(rec.block[0], &r);
    assert_memory_equal(&r, &o, sizeof(r));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_status_decode, setup),
        cmocka_unit_test_setup(test_vp_info, setup),
        cmocka_unit_test_setup(test_vp_info_rejects_module_nonsense, setup),
        cmocka_unit_test_setup(test_rtmr_extend, setup),
        cmocka_unit_test_setup(test_rtmr_extend_input_checks, setup),
        cmocka_unit_test_setup(test_veinfo_get, setup),
        cmocka_unit_test_setup(test_mr_report, setup),
        cmocka_unit_test_setup(test_mr_report_input_checks, setup),
        cmocka_unit_test_setup(test_tdreport_summarize, setup),
        cmocka_unit_test_setup(test_cpuidve_set, setup),
        cmocka_unit_test_setup(test_accept_marshalling, setup),
        cmocka_unit_test_setup(test_accept_results, setup),
        cmocka_unit_test_setup(test_accept_input_checks, setup),
        cmocka_unit_test_setup(test_metadata_marshalling, setup),
        cmocka_unit_test_setup(test_sys_rdall, setup),
        cmocka_unit_test_setup(test_servtd, setup),
        cmocka_unit_test_setup(test_verifyreport, setup),
        cmocka_unit_test_setup(test_page_attr, setup),
        cmocka_unit_test_setup(test_partitioning, setup),
        cmocka_unit_test_setup(test_vp_vmcall_mask, setup),
        cmocka_unit_test_setup(test_blocks_wiped_after_return, setup),
        cmocka_unit_test_setup(test_vp_vmcall_leaves_outputs_to_caller, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
