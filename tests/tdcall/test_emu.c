/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Emulator semantics, driven through the real wrappers and the tdcall_emu_backend: ACCEPT
 * (4K/2M/1G, zeroing, ALREADY_ACCEPTED, SIZE_MISMATCH, errors), RTMR extend against an
 * independent SHA-384, TDREPORT/VERIFYREPORT, MapGPA state and retry faults, GHCI hooks,
 * #VE info, metadata, fault injection, counters, configuration checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/sha512.h>

#include "emu_fixture.h"
#include "tdshim/tdx_emu_backend.h"

static struct fixture fx;
static uint8_t *g_mem;
static const uint64_t SB = 1ull << 47; /* the shared bit with GPAW 48 */

static int setup(void **state)
{
    (void)state;
    fixture_init(&fx, g_mem, 48);
    tdx_emu_backend_install(&fx.emu);
    tdx_emu_backend_set_vcpu(0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    return 0;
}

static bool all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != v) {
            return false;
        }
    }
    return true;
}

static uint8_t page_state(uint64_t gpa)
{
    uint8_t st = 0xFF;
    assert_int_equal(tdx_emu_page_get(&fx.emu, gpa, &st), TDS_OK);
    return st;
}

/* ---- ACCEPT --------------------------------------------------------------------------------- */

static void test_accept_4k_zeroes_once(void **state)
{
    (void)state;
    tdcall_status hw;
    assert_int_equal(page_state(0x5000), TDX_EMU_PAGE_PENDING);
    assert_int_equal(tdcall_mem_page_accept(0x5000, TDCALL_PAGE_4K, &hw), TDS_OK);
    assert_true(all_bytes(g_mem + 0x5000, 0x1000, 0));
    assert_true(all_bytes(g_mem + 0x4000, 0x1000, 0xCC)); /* neighbours untouched */
    assert_true(all_bytes(g_mem + 0x6000, 0x1000, 0xCC));
    assert_int_equal(page_state(0x5000), TDX_EMU_PAGE_ACCEPTED);

    g_mem[0x5008] = 0x42; /* guest writes; a second accept must not zero again */
    assert_int_equal(tdcall_mem_page_accept(0x5000, TDCALL_PAGE_4K, &hw), TDS_ERR_STATE);
    assert_int_equal(hw.code, TDCALL_ALREADY_ACCEPTED);
    assert_true(hw.raw == 0x00000B0A00000000ull);
    assert_int_equal(g_mem[0x5008], 0x42);

    struct tdx_emu_counters c;
    tdx_emu_counters_get(&fx.emu, &c);
    assert_true(c.accept_calls[0] == 2 && c.accept_ok[0] == 1 && c.accepted_bytes == 0x1000);
    assert_true(c.leaf[TDCALL_LEAF_MEM_PAGE_ACCEPT] == 2);
}

static void test_accept_2m_over_4k_mapping_is_size_mismatch(void **state)
{
    (void)state;
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(0, TDCALL_PAGE_2M, &hw), TDS_ERR_UNSUPPORTED);
    assert_int_equal(hw.code, TDCALL_SIZE_MISMATCH);
    assert_true(hw.raw == 0xC0000B0B00000001ull);
    assert_int_equal(g_mem[0], 0xCC); /* nothing zeroed */
    for (uint64_t a = 0; a < 2 * MIB; a += 0x1000) {
        assert_int_equal(tdcall_mem_page_accept(a, TDCALL_PAGE_4K, NULL), TDS_OK);
    }
    assert_true(all_bytes(g_mem, 2 * MIB, 0));
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&fx.emu, &c);
    assert_true(c.accept_calls[1] == 1 && c.accept_ok[1] == 0);
    assert_true(c.accept_ok[0] == 512);
}

static void test_accept_2m(void **state)
{
    (void)state;
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, &hw), TDS_OK);
    assert_true(all_bytes(g_mem + 2 * MIB, 2 * MIB, 0));
    assert_true(all_bytes(g_mem + 4 * MIB, 2 * MIB, 0xCC));
    assert_int_equal(page_state(2 * MIB + 0x1FF000), TDX_EMU_PAGE_ACCEPTED);
    assert_int_equal(page_state(4 * MIB), TDX_EMU_PAGE_PENDING);
    /* Again at 2M, or at 4K inside: already accepted, found at the 2M level. */
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, &hw), TDS_ERR_STATE);
    assert_true(hw.raw == 0x00000B0A00000001ull);
    assert_int_equal(tdcall_mem_page_accept(2 * MIB + 0x3000, TDCALL_PAGE_4K, &hw), TDS_ERR_STATE);
    assert_int_equal(hw.detail, 1);
    /* A 4K accept inside a pending 2M leaf (VMM demotes), then 2M there: SIZE_MISMATCH, and
     * the rest is still pending and zeroable at 4K. */
    assert_int_equal(tdcall_mem_page_accept(4 * MIB + 0x10000, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(4 * MIB, TDCALL_PAGE_2M, &hw), TDS_ERR_UNSUPPORTED);
    assert_true(hw.raw == 0xC0000B0B00000001ull);
    assert_int_equal(page_state(4 * MIB), TDX_EMU_PAGE_PENDING);
    assert_int_equal(g_mem[4 * MIB], 0xCC);
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&fx.emu, &c);
    assert_true(c.accept_ok[1] == 1 && c.accepted_bytes == 2 * MIB + 0x1000);
}

static void test_accept_errors(void **state)
{
    (void)state;
    tdcall_status hw;
    /* 1 GiB: module 1.5 answer. */
    assert_int_equal(tdcall_mem_page_accept(0, TDCALL_PAGE_1G, &hw), TDS_ERR_DEVICE);
    assert_true(hw.raw == 0xC000010000000001ull);
    /* Pre-accepted by the VMM. */
    assert_int_equal(tdcall_mem_page_accept(6 * MIB, TDCALL_PAGE_4K, &hw), TDS_ERR_STATE);
    /* Not added by the VMM, outside the map. */
    assert_int_equal(tdcall_mem_page_accept(8 * MIB, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000B03u);
    assert_int_equal(tdcall_mem_page_accept(64 * MIB, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000B03u);
    /* Shared bit (47 with GPAW 48) or anything above it: operand invalid. */
    assert_int_equal(tdcall_mem_page_accept((1ull << 47) | 0x5000, TDCALL_PAGE_4K, &hw),
                     TDS_ERR_DEVICE);
    assert_true(hw.raw == 0xC000010000000001ull);
    assert_int_equal(tdcall_mem_page_accept(1ull << 50, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    assert_true(hw.raw == 0xC000010000000001ull);

    /* What the wrapper refuses to send, the module refuses too (raw dispatch). */
    const uint64_t bad_rcx[] = {0x1800,        0x201000 | 1u,         0x5000 | 3u,
                                0x5000 | 0x8u, 0x5000 | (1ull << 52), 0x5000 | (1ull << 63)};
    for (size_t i = 0; i < sizeof(bad_rcx) / sizeof(bad_rcx[0]); i++) {
        struct tdcall_regs r = {0};
        r.rax = TDCALL_LEAF_MEM_PAGE_ACCEPT;
        r.rcx = bad_rcx[i];
        assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
    }
    assert_int_equal(page_state(0x1000), TDX_EMU_PAGE_PENDING);
}

static void test_accept_aug_on_demand(void **state)
{
    (void)state;
    fx.cfg.aug_on_accept = true;
    assert_int_equal(tdx_emu_init(&fx.emu, &fx.cfg), TDS_OK);
    assert_int_equal(page_state(8 * MIB), TDX_EMU_PAGE_NOT_PRESENT);
    assert_int_equal(tdcall_mem_page_accept(8 * MIB, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(page_state(8 * MIB), TDX_EMU_PAGE_ACCEPTED);
    assert_int_equal(tdcall_mem_page_accept(8 * MIB, TDCALL_PAGE_4K, NULL), TDS_ERR_STATE);
    /* Outside the map there is nothing to add. */
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(64 * MIB, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    /* Shared pages are not added back by an accept: MapGPA to private comes first. */
    assert_int_equal(tdvmcall_map_gpa(SB | 0x7000, 0x1000, NULL, NULL), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(0x7000, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
}

static void test_accept_gpaw52(void **state)
{
    (void)state;
    fixture_init(&fx, g_mem, 52);
    tdcall_status hw;
    /* Bit 47 is an ordinary address bit with GPAW 52: outside the map, not a shared GPA. */
    assert_int_equal(tdcall_mem_page_accept(1ull << 47, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000B03u);
    assert_int_equal(tdcall_mem_page_accept(1ull << 51, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    assert_true(hw.raw == 0xC000010000000001ull);
    struct tdcall_td_info info;
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_OK);
    assert_int_equal(info.gpaw, 52);
    assert_true(info.shared_mask == (1ull << 51));
}

/* ---- RTMR / REPORT -------------------------------------------------------------------------- */

static void sha384(const uint8_t *in, size_t n, uint8_t out[48])
{
    uint8_t full[64];
    assert_int_equal(mbedtls_sha512_ret(in, n, full, 1), 0);
    memcpy(out, full, 48);
}

/* Lower-case hex of a 48-byte register, to compare with `openssl dgst -sha384` output. */
static void hex48(const uint8_t in[48], char out[97])
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < 48; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0xFu];
    }
    out[96] = '\0';
}

static void test_rtmr_extend_sha384(void **state)
{
    (void)state;
    /*
     * Known answers from OpenSSL, not from the mbedTLS code the emulator uses. Each step is
     * RTMR := SHA-384(RTMR || digest), starting from 48 zero bytes. Recompute with bash:
     *   rep() { local s=; for i in $(seq 48); do s=$s$1; done; echo $s; }
     *   r=$(rep 00); d0=$(for i in $(seq 0 47); do printf %02x $i; done)
     *   for d in $d0 $(rep 10) $(rep 20) $(rep 30); do
     *     r=$(printf %s%s $r $d | xxd -r -p | openssl dgst -sha384 -r | cut -c1-96); echo $r
     *   done
     */
    static const char *const chain[4] = {
        "fe83f742d1cab5c709a0c424729831fbff9b5bb9748a618f"
        "0b6ea04fe1fde4d546f4040e7fc9587b2e6badada6c941b0",
        "0019e0d38409a50c00560e072f73a632edf3a96fea53b50b"
        "119d7ef6e85d9f85a0af701dad8832e73e782649d4fe77fd",
        "a9a52cb5e8dc8568723365b18a3bd4717252bf5a356d6095"
        "1be689e2f7a249bd94c4ae5d51f23af17983dfab1916bfcc",
        "0cc210e44160706d8bc7aefb3b4f13c2dbf2e0243cd07c1f"
        "0ad8b471aff647cffe9c492cf0d8a452b5410cc42e16b1e2",
    };
    static struct tdcall_digest48 d;
    uint8_t got[48];
    char hex[97];
    for (unsigned k = 0; k < 4; k++) {
        if (k == 0) {
            for (unsigned i = 0; i < 48; i++) {
                d.bytes[i] = (uint8_t)i; /* 00 01 .. 2F */
            }
        } else {
            memset(d.bytes, (int)(0x10u * k), 48); /* 10.., 20.., 30.. */
        }
        assert_int_equal(tdcall_mr_rtmr_extend(2, &d, NULL), TDS_OK);
        assert_int_equal(tdx_emu_rtmr_get(&fx.emu, 2, got), TDS_OK);
        hex48(got, hex);
        assert_string_equal(hex, chain[k]); /* every step of the chain, not just the end */
    }
    /* Other RTMRs untouched. */
    assert_int_equal(tdx_emu_rtmr_get(&fx.emu, 0, got), TDS_OK);
    assert_true(all_bytes(got, 48, 0));

    /* Module-side checks (raw): index 4, misaligned and shared GPA. */
    struct tdcall_regs r = {0};
    r.rax = TDCALL_LEAF_MR_RTMR_EXTEND;
    r.rcx = (uint64_t)(uintptr_t)&d;
    r.rdx = 4;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000002ull);
    r.rax = TDCALL_LEAF_MR_RTMR_EXTEND;
    r.rcx = (uint64_t)(uintptr_t)&d + 16u;
    r.rdx = 0;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
    r.rax = TDCALL_LEAF_MR_RTMR_EXTEND;
    r.rcx = (uint64_t)(uintptr_t)&d | (1ull << 47);
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
}

static struct tdcall_tdreport g_rep;
static struct tdcall_reportdata g_rd;

static void test_report_and_verify(void **state)
{
    (void)state;
    static struct tdcall_digest48 d;
    memset(d.bytes, 0x33, 48);
    assert_int_equal(tdcall_mr_rtmr_extend(1, &d, NULL), TDS_OK);
    for (unsigned i = 0; i < 64; i++) {
        g_rd.bytes[i] = (uint8_t)(0xF0u ^ i);
    }
    assert_int_equal(tdcall_mr_report(&g_rep, &g_rd, NULL), TDS_OK);
    struct tdcall_tdreport_summary sum;
    assert_int_equal(tdcall_tdreport_summarize(&g_rep, &sum), TDS_OK);
    assert_true(sum.td_attributes == TDX_ATTR_SEPT_VE_DISABLE);
    assert_true(sum.xfam == 0xE7);
    assert_memory_equal(g_rep.reportmac.reportdata, g_rd.bytes, 64);
    assert_memory_equal(g_rep.tdinfo.mrtd, fx.cfg.mrtd, 48);
    uint8_t rtmr1[48];
    assert_int_equal(tdx_emu_rtmr_get(&fx.emu, 1, rtmr1), TDS_OK);
    assert_memory_equal(g_rep.tdinfo.rtmr[1], rtmr1, 48);
    assert_true(all_bytes(g_rep.tdinfo.rtmr[0], 48, 0));
    uint8_t h[48];
    sha384((const uint8_t *)&g_rep.tdinfo, 512, h);
    assert_memory_equal(g_rep.reportmac.tee_info_hash, h, 48);

    assert_int_equal(tdcall_mr_verifyreport(&g_rep.reportmac, NULL), TDS_OK);
    g_rep.reportmac.reportdata[5] ^= 1; /* tamper */
    tdcall_status hw;
    assert_int_equal(tdcall_mr_verifyreport(&g_rep.reportmac, &hw), TDS_ERR_MISMATCH);
    assert_true(hw.raw == TDX_INVALID_REPORTMACSTRUCT);

    /* Sub-type != 0 via raw dispatch. */
    struct tdcall_regs r = {0};
    r.rax = TDCALL_LEAF_MR_REPORT;
    r.rcx = (uint64_t)(uintptr_t)&g_rep;
    r.rdx = (uint64_t)(uintptr_t)&g_rd;
    r.r8 = 1;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000008ull);
}

/* ---- VP.INFO, VEINFO, CPUIDVE, metadata ---------------------------------------------------- */

static void test_vp_info_and_vcpu(void **state)
{
    (void)state;
    tdx_emu_backend_set_vcpu(3);
    struct tdcall_td_info info;
    assert_int_equal(tdcall_vp_info(&info, NULL), TDS_OK);
    assert_int_equal(info.gpaw, 48);
    assert_int_equal(info.vcpu_index, 3);
    assert_int_equal(info.num_vcpus, 4);
    assert_int_equal(info.max_vcpus, 8);
    assert_true(info.sys_rd_available);
    tdx_emu_backend_set_vcpu(4); /* beyond num_vcpus */
    tdcall_status hw;
    assert_int_equal(tdcall_vp_info(&info, &hw), TDS_ERR_DEVICE);
    assert_true(hw.raw == TDX_VCPU_STATE_INCORRECT);
    tdx_emu_backend_set_vcpu(0);
}

static void test_veinfo(void **state)
{
    (void)state;
    struct tdcall_ve_info ve = {0};
    assert_int_equal(tdcall_vp_veinfo_get(&ve, NULL), TDS_ERR_NOT_FOUND);
    struct tdcall_ve_info in = {48, 0, 0, 0, 0x181, 0x7000, 0x8000};
    assert_int_equal(tdx_emu_inject_ve(&fx.emu, 0, &in), TDS_OK);
    assert_int_equal(tdx_emu_inject_ve(&fx.emu, 0, &in), TDS_ERR_STATE);
    tdx_emu_backend_set_vcpu(1);
    assert_int_equal(tdcall_vp_veinfo_get(&ve, NULL), TDS_ERR_NOT_FOUND); /* per vCPU */
    tdx_emu_backend_set_vcpu(0);
    assert_int_equal(tdcall_vp_veinfo_get(&ve, NULL), TDS_OK);
    assert_int_equal(ve.exit_reason, 48);
    assert_true(ve.exit_qualification == 0x181 && ve.guest_physical_address == 0x8000);
    assert_int_equal(tdcall_vp_veinfo_get(&ve, NULL), TDS_ERR_NOT_FOUND); /* invalidated */
    assert_int_equal(tdcall_vp_cpuidve_set(3, NULL), TDS_OK);
    assert_true(fx.vcpus[0].cpuidve_flags == 3);
}

static void test_metadata(void **state)
{
    (void)state;
    uint64_t v = 0;
    uint64_t next = 0;
    uint64_t old = 0;
    tdcall_status hw;
    assert_int_equal(tdcall_vm_rd(TDX_FIELD_TDCS_CONFIG_FLAGS, &v, NULL), TDS_OK);
    assert_true(v == 2);
    assert_int_equal(tdcall_vm_rd_next(TDX_FIELD_TDCS_CONFIG_FLAGS, &v, &next, NULL), TDS_OK);
    assert_true(next == TDX_FIELD_TDCS_TD_CTLS);
    assert_int_equal(tdcall_vm_rd_next(TDX_FIELD_TDCS_TD_CTLS, &v, &next, NULL), TDS_OK);
    assert_true(next == TDX_FIELD_ID_NONE);
    assert_int_equal(tdcall_vm_wr(TDX_FIELD_TDCS_TD_CTLS, 0x5, 0x1, &old, NULL), TDS_OK);
    assert_true(old == 0);
    assert_int_equal(tdcall_vm_rd(TDX_FIELD_TDCS_TD_CTLS, &v, NULL), TDS_OK);
    assert_true(v == 1); /* only the masked bit was written */
    assert_int_equal(tdcall_vm_wr(TDX_FIELD_TDCS_TD_CTLS, 0, 0x10, NULL, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000C0Au);
    assert_int_equal(tdcall_vm_wr(TDX_FIELD_TDCS_CONFIG_FLAGS, 0, 1, NULL, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000C01u);
    assert_int_equal(tdcall_vm_rd(0x1234, &v, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000C00u);
    assert_int_equal(tdcall_vp_rd(0x1000, &v, &next, NULL), TDS_OK);
    assert_true(v == 0x55 && next == TDX_FIELD_ID_NONE);
    assert_int_equal(tdcall_vp_wr(0x1000, 0xAA, 0xF0, &old, NULL), TDS_OK);
    assert_int_equal(tdcall_vp_rd(0x1000, &v, NULL, NULL), TDS_OK);
    assert_true(old == 0x55 && v == 0xA5);
    assert_int_equal(tdcall_sys_rd(0x2000, &v, &next, NULL), TDS_OK);
    assert_true(v == 0x1500);
    assert_int_equal(tdcall_vm_rd(0x1000, &v, NULL), TDS_ERR_DEVICE); /* VCPU field, TD leaf */
}

static void test_page_attr_rd(void **state)
{
    (void)state;
    struct tdcall_page_attr a;
    assert_int_equal(tdcall_mem_page_attr_rd(2 * MIB + 0x3000, &a, NULL), TDS_OK);
    assert_true(a.gpa == 2 * MIB && a.level == TDCALL_PAGE_2M && a.pending);
    assert_int_equal(tdcall_mem_page_attr_rd(6 * MIB + 0x1000, &a, NULL), TDS_OK);
    assert_true(a.gpa == 6 * MIB + 0x1000 && a.level == TDCALL_PAGE_4K && !a.pending);
    assert_int_equal(tdcall_mem_page_attr_rd(8 * MIB, &a, NULL), TDS_ERR_DEVICE);
}

/* ---- MapGPA --------------------------------------------------------------------------------- */

static void test_map_gpa_state(void **state)
{
    (void)state;
    assert_int_equal(tdcall_mem_page_accept(0x10000, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(tdvmcall_map_gpa(SB | 0x10000, 0x4000, NULL, NULL), TDS_OK);
    assert_int_equal(page_state(0x10000), TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING);
    assert_int_equal(page_state(0x13000), TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING);
    assert_int_equal(page_state(0x14000), TDX_EMU_PAGE_PENDING);
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(0x11000, TDCALL_PAGE_4K, &hw), TDS_ERR_DEVICE);
    assert_int_equal(tdx_status_class(hw.raw), 0xC0000B03u);
    /* Back to private: must be accepted again, and reads zero afterwards. */
    memset(g_mem + 0x10000, 0x77, 0x1000);
    assert_int_equal(tdvmcall_map_gpa(0x10000, 0x4000, NULL, NULL), TDS_OK);
    assert_int_equal(page_state(0x10000), TDX_EMU_PAGE_PENDING);
    assert_int_equal(tdcall_mem_page_accept(0x10000, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_true(all_bytes(g_mem + 0x10000, 0x1000, 0));
    /* Outside the map (MMIO) converts nothing but succeeds. */
    assert_int_equal(tdvmcall_map_gpa(SB | (100 * MIB), 0x1000, NULL, NULL), TDS_OK);
}

static void test_map_gpa_host_checks(void **state)
{
    (void)state;
    tdvmcall_status vs;
    /* Start private, end shared: the host refuses. */
    assert_int_equal(tdvmcall_map_gpa(SB - 0x1000, 0x2000, NULL, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_INVALID_OPERAND);
    /* Beyond 2^GPAW. */
    assert_int_equal(tdvmcall_map_gpa(1ull << 48, 0x1000, NULL, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_INVALID_OPERAND);
}

static void test_map_gpa_retry_faults(void **state)
{
    (void)state;
    struct tdx_emu_faults f = {0};
    f.map_gpa_mode = TDX_EMU_MAPGPA_RETRY_CHUNK;
    f.map_gpa_count = 100;
    tdx_emu_faults_set(&fx.emu, &f);
    uint64_t done = 0;
    /* [1M, 7M): chunks end at 2M, 4M, 6M, then the rest. */
    assert_int_equal(tdvmcall_map_gpa(SB | MIB, 6 * MIB, &done, NULL), TDS_OK);
    assert_true(done == (SB | 7 * MIB));
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&fx.emu, &c);
    assert_true(c.vmcall_subfn[tdx_emu_vmcall_slot(TDVMCALL_MAP_GPA)] == 4);
    assert_int_equal(page_state(MIB), TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING);
    assert_int_equal(page_state(6 * MIB + 0xFF000), TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING);

    /* A VMM answering RETRY with an address before the start: refused after one call. */
    f.map_gpa_mode = TDX_EMU_MAPGPA_RETRY_AT;
    f.map_gpa_value = 0x1000;
    f.map_gpa_count = 100;
    tdx_emu_faults_set(&fx.emu, &f);
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x10000, &done, NULL), TDS_ERR_VMM);
    assert_true(done == 0x100000);
    /* RETRY without progress three times: given up. */
    f.map_gpa_value = 0x100000;
    tdx_emu_faults_set(&fx.emu, &f);
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x10000, NULL, NULL), TDS_ERR_VMM);
    /* Two stalls then success: fine. */
    f.map_gpa_count = 2;
    tdx_emu_faults_set(&fx.emu, &f);
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x10000, NULL, NULL), TDS_OK);
    /* An error status. */
    f.map_gpa_mode = TDX_EMU_MAPGPA_STATUS;
    f.map_gpa_value = TDVMCALL_STATUS_GPA_INUSE;
    f.map_gpa_count = 1;
    tdx_emu_faults_set(&fx.emu, &f);
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_map_gpa(0x100000, 0x10000, NULL, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_GPA_INUSE);
}

/* ---- GHCI hooks ----------------------------------------------------------------------------- */

struct vmm_log {
    uint32_t vcpu;
    uint16_t port;
    uint32_t size;
    bool write;
    uint64_t value;
    uint64_t fatal_code;
    uint8_t fatal_msg[64];
    uint32_t msr;
};

static uint64_t hook_io(void *ctx, uint32_t vcpu, uint16_t port, uint32_t size, bool write,
                        uint64_t *value)
{
    struct vmm_log *l = ctx;
    l->vcpu = vcpu;
    l->port = port;
    l->size = size;
    l->write = write;
    if (write) {
        l->value = *value;
    } else {
        *value = 0xFFFFFFFFFFFF1234ull; /* sloppy VMM: garbage above the data */
    }
    return 0;
}

static uint64_t hook_mmio(void *ctx, uint32_t vcpu, uint64_t gpa, uint32_t size, bool write,
                          uint64_t *value)
{
    struct vmm_log *l = ctx;
    (void)vcpu;
    l->value = gpa;
    l->size = size;
    l->write = write;
    if (!write) {
        *value = 0xAABBCCDDEEFF0011ull;
    }
    return 0;
}

static uint64_t hook_rdmsr(void *ctx, uint32_t vcpu, uint32_t msr, uint64_t *value)
{
    struct vmm_log *l = ctx;
    (void)vcpu;
    l->msr = msr;
    *value = 0xFEE00D00ull;
    return msr == 0xDEAD ? TDVMCALL_STATUS_INVALID_OPERAND : 0;
}

static uint64_t hook_cpuid(void *ctx, uint32_t vcpu, uint32_t leaf, uint32_t subleaf,
                           uint64_t out[4])
{
    (void)ctx;
    out[0] = leaf;
    out[1] = subleaf;
    out[2] = 0x49;
    out[3] = (leaf == 0xB) ? vcpu + 100u : 0x1ull << 40; /* EDX = x2APIC id; else nonsense */
    return 0;
}

static uint64_t hook_fatal(void *ctx, uint32_t vcpu, uint64_t code, uint64_t gpa,
                           const uint8_t msg[64])
{
    struct vmm_log *l = ctx;
    (void)vcpu;
    (void)gpa;
    l->fatal_code = code;
    memcpy(l->fatal_msg, msg, 64);
    return 0;
}

static void test_ghci_hooks(void **state)
{
    (void)state;
    struct vmm_log log;
    memset(&log, 0, sizeof(log));
    fx.cfg.hooks.ctx = &log;
    fx.cfg.hooks.io = hook_io;
    fx.cfg.hooks.mmio = hook_mmio;
    fx.cfg.hooks.rdmsr = hook_rdmsr;
    fx.cfg.hooks.cpuid = hook_cpuid;
    fx.cfg.hooks.report_fatal_error = hook_fatal;
    fx.cfg.scribble_vmcall_regs = true; /* hostile VMM everywhere it is not answering */
    assert_int_equal(tdx_emu_init(&fx.emu, &fx.cfg), TDS_OK);
    tdx_emu_backend_set_vcpu(2);

    uint32_t v32 = 0;
    assert_int_equal(tdvmcall_io_read(0x71, 2, &v32, NULL), TDS_OK);
    assert_int_equal(v32, 0x1234);
    assert_int_equal(log.port, 0x71);
    assert_int_equal(log.size, 2);
    assert_false(log.write);
    assert_int_equal(log.vcpu, 2);
    assert_int_equal(tdvmcall_io_write(0x80, 1, 0x5A, NULL), TDS_OK);
    assert_true(log.write && log.value == 0x5A);

    uint64_t v = 0;
    assert_int_equal(tdvmcall_mmio_read(SB | 0xFEC00000ull, 2, &v, NULL), TDS_OK);
    assert_true(v == 0x0011 && log.value == (SB | 0xFEC00000ull));
    /* MMIO to a private GPA: the VMM refuses. */
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_mmio_read(0xFEC00000ull, 4, &v, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_INVALID_OPERAND);

    assert_int_equal(tdvmcall_rdmsr(0x802, &v, NULL), TDS_OK);
    assert_true(v == 0xFEE00D00ull && log.msr == 0x802);
    assert_int_equal(tdvmcall_rdmsr(0xDEAD, &v, &vs), TDS_ERR_VMM);
    /* No WRMSR hook: unsupported. */
    assert_int_equal(tdvmcall_wrmsr(0x1B, 0, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_SUBFUNC_UNSUPPORTED);

    struct tdvmcall_cpuid_result c;
    assert_int_equal(tdvmcall_cpuid(0xB, 0, &c, NULL), TDS_OK);
    assert_int_equal(c.edx, 102);
    assert_int_equal(c.ecx, 0x49);
    assert_int_equal(tdvmcall_cpuid(1, 0, &c, NULL), TDS_ERR_VMM); /* 64-bit EDX */

    const char msg[] = "shim: HOB invalid";
    assert_int_equal(
        tdvmcall_report_fatal_error(0x30000, 0, tds_bytes_make(msg, sizeof(msg) - 1u), NULL),
        TDS_OK);
    assert_true(log.fatal_code == 0x30000);
    assert_memory_equal(log.fatal_msg, msg, sizeof(msg) - 1u);
    assert_int_equal(log.fatal_msg[sizeof(msg) - 1u], 0); /* unexposed RDI etc. read as 0 */

    struct tdvmcall_info info;
    assert_int_equal(tdvmcall_get_tdvmcall_info(1, &info, NULL), TDS_OK);
    assert_true(info.r11 == 0); /* no SetupEventNotifyInterrupt hook */
    assert_int_equal(tdvmcall_get_tdvmcall_info(0, &info, NULL), TDS_OK);
    assert_int_equal(tdvmcall_hlt(false, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_SUBFUNC_UNSUPPORTED);
    tdx_emu_backend_set_vcpu(0);
}

static uint64_t hook_other(void *ctx, uint32_t vcpu, struct tdcall_regs *view)
{
    uint64_t *seen = ctx;
    seen[0] = view->r10;
    seen[1] = view->r11;
    seen[2] = view->r12;
    seen[3] = view->r13; /* not exposed below: must read 0 */
    view->r11 = 0x600D0000u + vcpu;
    return 0;
}

static void test_other_hook_sees_inputs(void **state)
{
    (void)state;
    uint64_t seen[4] = {0, 0, 0, 0};
    fx.cfg.hooks.ctx = seen;
    fx.cfg.hooks.other = hook_other;
    fx.cfg.scribble_vmcall_regs = true;
    assert_int_equal(tdx_emu_init(&fx.emu, &fx.cfg), TDS_OK);
    /* WBINVD is not modelled: the embedder gets it with its inputs intact. */
    assert_int_equal(tdvmcall_wbinvd(false, NULL), TDS_OK);
    assert_true(seen[0] == 0 && seen[1] == TDVMCALL_WBINVD && seen[2] == 1 && seen[3] == 0);
    /* Vendor-specific call (R10 != 0) through the raw VMCALL. */
    struct tdcall_regs r;
    memset(&r, 0, sizeof(r));
    r.r10 = 7;
    r.r11 = 0x99;
    r.r12 = 0x1234;
    r.r13 = 0x5678;
    const uint32_t mask = TDVMCALL_EXPOSE_R10 | TDVMCALL_EXPOSE_R11 | TDVMCALL_EXPOSE_R12;
    assert_int_equal(tdcall_vp_vmcall(&r, mask, NULL), TDS_OK);
    assert_true(seen[0] == 7 && seen[1] == 0x99 && seen[2] == 0x1234 && seen[3] == 0);
    assert_true(r.r10 == 0 && r.r11 == 0x600D0000u);
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&fx.emu, &c);
    assert_true(c.vmcall_subfn[tdx_emu_vmcall_slot(TDVMCALL_WBINVD)] == 1);
    assert_true(c.vmcall_subfn[TDX_EMU_VMCALL_SLOTS - 1u] == 1);
}

static void test_vmcall_mask_checked_by_module(void **state)
{
    (void)state;
    struct tdcall_regs r = {0};
    r.rax = 0;
    r.rcx = 0xFFEC; /* includes RBP */
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
    r.rax = 0;
    r.rcx = 0x1C01; /* RAX */
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
    r.rax = 0;
    r.rcx = 1ull << 32;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
    /* Unexposed R12 reads as 0 on the VMM side: HLT sees "interrupts enabled"; the guest's
     * unexposed registers are left as they were. */
    r.rax = 0;
    r.rcx = 0x0C00;
    r.r11 = TDVMCALL_SETUP_EVENT_NOTIFY_INTERRUPT;
    r.r12 = 40;
    r.r13 = 0x1234;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0);
    assert_true(r.r10 == TDVMCALL_STATUS_INVALID_OPERAND); /* vector read as 0 */
    assert_true(r.r12 == 40 && r.r13 == 0x1234);
}

/* ---- fault injection, unknown leaves, config checks ---------------------------------------- */

static void test_fault_injection(void **state)
{
    (void)state;
    struct tdx_emu_faults f = {0};
    f.busy_on_call = 2;
    tdx_emu_faults_set(&fx.emu, &f);
    tdcall_status hw;
    assert_int_equal(tdcall_mem_page_accept(0x1000, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(0x2000, TDCALL_PAGE_4K, &hw), TDS_ERR_BUSY);
    assert_int_equal(page_state(0x2000), TDX_EMU_PAGE_PENDING);
    assert_int_equal(tdcall_mem_page_accept(0x2000, TDCALL_PAGE_4K, NULL), TDS_OK);

    memset(&f, 0, sizeof(f));
    f.leaf = TDCALL_LEAF_MEM_PAGE_ACCEPT;
    f.leaf_count = 2;
    f.leaf_status = TDX_PAGE_SIZE_MISMATCH | 1u;
    tdx_emu_faults_set(&fx.emu, &f);
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, NULL), TDS_ERR_UNSUPPORTED);
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, NULL), TDS_ERR_UNSUPPORTED);
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, NULL), TDS_OK);

    memset(&f, 0, sizeof(f));
    f.vmcall_subfn = TDVMCALL_IO;
    f.vmcall_count = 1;
    f.vmcall_status = TDVMCALL_STATUS_INVALID_OPERAND;
    tdx_emu_faults_set(&fx.emu, &f);
    tdvmcall_status vs;
    assert_int_equal(tdvmcall_io_write(0x80, 1, 1, &vs), TDS_ERR_VMM);
    assert_int_equal(vs.code, TDVMCALL_INVALID_OPERAND);
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&fx.emu, &c);
    assert_true(c.faults_injected == 4);
    assert_true(c.leaf[TDCALL_LEAF_VP_VMCALL] == 1);
}

static void test_unknown_and_unmodelled_leaves(void **state)
{
    (void)state;
    const uint64_t raxes[] = {
        13, 28, 0xFFFF, 1u | (1u << 16), 1ull << 24, TDCALL_LEAF_SERVTD_RD, TDCALL_LEAF_VP_ENTER};
    for (size_t i = 0; i < sizeof(raxes) / sizeof(raxes[0]); i++) {
        struct tdcall_regs r = {0};
        r.rax = raxes[i];
        assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000000ull);
    }
    /* VM.RD version 1 is allowed. */
    struct tdcall_regs r = {0};
    r.rax = 7u | (1u << 16);
    r.rdx = TDX_FIELD_TDCS_CONFIG_FLAGS;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0);
    /* A stale VM id in RCX is refused. */
    r.rax = 7;
    r.rcx = 1;
    assert_true(tdx_emu_dispatch(&fx.emu, 0, &r) == 0xC000010000000001ull);
}

static void test_config_checks(void **state)
{
    (void)state;
    struct tdx_emu e;
    struct tdx_emu_config c = fx.cfg;
    assert_int_equal(tdx_emu_init(&e, NULL), TDS_ERR_INVALID_ARG);
    c.gpaw = 50;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);
    c = fx.cfg;
    c.num_vcpus = 0;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);
    c = fx.cfg;
    c.max_vcpus = 2;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);

    struct tdx_emu_range rg[2];
    memcpy(rg, fx.ranges, sizeof(rg));
    c = fx.cfg;
    c.ranges = rg;
    c.range_count = 2;
    rg[1].base = 0; /* overlaps R0 (and unsorted) */
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);
    memcpy(rg, fx.ranges, sizeof(rg));
    rg[1].base = 3 * MIB; /* 2M-mapped but not 2M aligned */
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_ALIGNMENT);
    memcpy(rg, fx.ranges, sizeof(rg));
    rg[0].page_state = NULL;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);
    memcpy(rg, fx.ranges, sizeof(rg));
    rg[1].base = (1ull << 47) - 2 * MIB; /* reaches the shared bit */
    rg[1].size = 4 * MIB;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_OUT_OF_BOUNDS);
    memcpy(rg, fx.ranges, sizeof(rg));
    rg[1].size = 0;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);
    memcpy(rg, fx.ranges, sizeof(rg));
    rg[0].initial = TDX_EMU_PAGE_BUSY;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG);
    memcpy(rg, fx.ranges, sizeof(rg));
    rg[1].base = 0xFFFFFFFFFFE00000ull;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_OVERFLOW);

    struct tdx_emu_field fl[2] = {fx.fields[0], fx.fields[0]};
    c = fx.cfg;
    c.fields = fl;
    c.field_count = 2;
    assert_int_equal(tdx_emu_init(&e, &c), TDS_ERR_INVALID_ARG); /* duplicate id */

    /* An emulator that was never initialised answers nothing. */
    memset(&e, 0, sizeof(e));
    struct tdcall_regs r = {0};
    r.rax = 1;
    assert_true(tdx_emu_dispatch(&e, 0, &r) == TDX_VCPU_STATE_INCORRECT);
    assert_int_equal(tdx_emu_page_set(&fx.emu, 0, 0x1000, TDX_EMU_PAGE_BUSY), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdx_emu_page_set(&fx.emu, 8 * MIB, 0x2000, TDX_EMU_PAGE_PENDING), TDS_OK);
    assert_int_equal(tdcall_mem_page_accept(8 * MIB + 0x1000, TDCALL_PAGE_4K, NULL), TDS_OK);
    assert_int_equal(tdx_emu_page_set(&fx.emu, 9 * MIB, 2 * MIB, TDX_EMU_PAGE_PENDING),
                     TDS_ERR_NOT_FOUND);
}

/* Contention paths, made deterministic by holding the locks by hand. */
static void test_busy_paths(void **state)
{
    (void)state;
    static struct tdcall_digest48 d;
    tdcall_status hw;
    fx.emu.rtmr_lock[2] = 1; /* an extend in flight on RTMR2 */
    assert_int_equal(tdcall_mr_rtmr_extend(2, &d, &hw), TDS_ERR_BUSY);
    assert_true(hw.raw == 0x80000200000000A8ull);
    assert_int_equal(tdcall_mr_rtmr_extend(1, &d, NULL), TDS_OK); /* other RTMRs are free */
    assert_int_equal(tdcall_mr_report(&g_rep, &g_rd, &hw), TDS_ERR_BUSY);
    assert_true(hw.raw == 0x80000200000000A8ull);
    assert_int_equal(fx.emu.rtmr_lock[0], 0); /* the report released what it had taken */
    assert_int_equal(fx.emu.rtmr_lock[1], 0);
    fx.emu.rtmr_lock[2] = 0;
    assert_int_equal(tdcall_mr_report(&g_rep, &g_rd, NULL), TDS_OK);

    fx.state0[0x20] = TDX_EMU_PAGE_BUSY; /* an accept is zeroing page 0x20000 */
    assert_int_equal(tdcall_mem_page_accept(0x20000, TDCALL_PAGE_4K, &hw), TDS_ERR_BUSY);
    assert_true(hw.raw == 0x8000020000000001ull);
    /* MapGPA over it: RETRY at that page, without progress -> the wrapper gives up. */
    uint64_t done = 0;
    assert_int_equal(tdvmcall_map_gpa(SB | 0x1E000, 0x4000, &done, NULL), TDS_ERR_VMM);
    assert_true(done == (SB | 0x20000));
    assert_int_equal(page_state(0x1E000), TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING);
    fx.state1[0] = TDX_EMU_PAGE_BUSY; /* a 2M accept sees a busy sub-page */
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, &hw), TDS_ERR_BUSY);
    fx.state1[0] = TDX_EMU_PAGE_PENDING;
    fx.state1[300] = TDX_EMU_PAGE_BUSY;
    assert_int_equal(tdcall_mem_page_accept(2 * MIB, TDCALL_PAGE_2M, &hw), TDS_ERR_BUSY);
    assert_int_equal(fx.state1[0], TDX_EMU_PAGE_PENDING); /* claimed pages rolled back */
    assert_int_equal(fx.state1[299], TDX_EMU_PAGE_PENDING);
}

static void test_inspection_checks(void **state)
{
    (void)state;
    uint8_t st = 0;
    uint8_t out[48];
    assert_int_equal(tdx_emu_page_get(&fx.emu, 64 * MIB, &st), TDS_ERR_NOT_FOUND);
    assert_int_equal(tdx_emu_page_get(&fx.emu, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdx_emu_page_get(&fx.emu, SB | 0x3000, &st), TDS_OK); /* alias */
    assert_int_equal(st, TDX_EMU_PAGE_PENDING);
    assert_int_equal(tdx_emu_rtmr_get(&fx.emu, 4, out), TDS_ERR_INVALID_ARG);
    struct tdcall_ve_info ve = {0};
    assert_int_equal(tdx_emu_inject_ve(&fx.emu, 4, &ve), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdx_emu_inject_ve(&fx.emu, 0, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdx_emu_page_set(&fx.emu, 0x800, 0x1000, TDX_EMU_PAGE_PENDING),
                     TDS_ERR_ALIGNMENT);
    assert_int_equal(tdx_emu_page_set(&fx.emu, 0, 0, TDX_EMU_PAGE_PENDING), TDS_ERR_INVALID_ARG);
    assert_int_equal(tdx_emu_vmcall_slot(0x12345), TDX_EMU_VMCALL_SLOTS - 1u);
}

static void test_no_backend_installed(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    struct tdcall_td_info info;
    tdcall_status hw;
    assert_int_equal(tdcall_vp_info(&info, &hw), TDS_ERR_DEVICE);
    assert_true(hw.raw == TDX_OPERAND_INVALID);
}

int main(void)
{
    g_mem = malloc(6 * MIB);
    if (g_mem == NULL) {
        return 1;
    }
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_accept_4k_zeroes_once),
        T(test_accept_2m_over_4k_mapping_is_size_mismatch),
        T(test_accept_2m),
        T(test_accept_errors),
        T(test_accept_aug_on_demand),
        T(test_accept_gpaw52),
        T(test_rtmr_extend_sha384),
        T(test_report_and_verify),
        T(test_vp_info_and_vcpu),
        T(test_veinfo),
        T(test_metadata),
        T(test_page_attr_rd),
        T(test_map_gpa_state),
        T(test_map_gpa_host_checks),
        T(test_map_gpa_retry_faults),
        T(test_ghci_hooks),
        T(test_other_hook_sees_inputs),
        T(test_vmcall_mask_checked_by_module),
        T(test_fault_injection),
        T(test_unknown_and_unmodelled_leaves),
        T(test_config_checks),
        T(test_busy_paths),
        T(test_inspection_checks),
        T(test_no_backend_installed),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    free(g_mem);
    return rc;
}
