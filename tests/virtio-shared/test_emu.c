/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libvirtio-shared on libtdcall's TDX-module emulator: map_gpa is tdvmcall_map_gpa (the real
 * retry loop and resume check), accept is tdcall_mem_page_accept per 4 KiB page, and the shared
 * mask comes from TDG.VP.INFO. The emulator's state of every page (shared bit, pending/accepted)
 * and the test's page-table model are checked after each operation, including under the
 * emulator's MapGPA fault injection (retry chunks, retry storms, resume addresses outside the
 * range, error statuses, a TDCALL failing midway) and a failing ACCEPT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tdshim/tdcall.h"
#include "tdshim/tdvmcall.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/tdx_emu_backend.h"
#include "tdshim/virtio_shared.h"

#include "ring.h"

#define MIB (1024ull * 1024ull)
#define PG 4096ull
#define RANGE_BASE (2u * MIB)
#define RANGE_SIZE (3u * MIB)
#define RANGE_PAGES ((size_t)(RANGE_SIZE / PG))
#define GUARD ((size_t)16)
#define POOL_PAGES (RANGE_PAGES - 2u * GUARD) /* crosses the 4 MiB chunk boundary */
#define POOL_GPA (RANGE_BASE + GUARD * PG)

typedef struct world {
    struct tdx_emu emu;
    struct tdx_emu_config cfg;
    struct tdx_emu_range range;
    uint8_t state[RANGE_PAGES];
    uint8_t *mem; /* backing of the range: the guest's view of its pages */
    bool pte_shared[RANGE_PAGES];
    unsigned bad_ops;       /* an op got a range outside the emulated RAM */
    unsigned device_faults; /* the device was given an address it cannot reach */
    unsigned map_calls, accept_pages;
    vshared_ops ops;
    vshared_pool pool;
    uint64_t bitmap[VSHARED_BITMAP_WORDS(POOL_PAGES)];
} world;

static world *g;

/* ---- the ops, as the shim wires them ------------------------------------------------------ */

static bool range_pages(uint64_t gpa, uint64_t len, size_t *first, size_t *n)
{
    if (gpa < RANGE_BASE || len == 0 || gpa - RANGE_BASE > RANGE_SIZE ||
        len > RANGE_SIZE - (gpa - RANGE_BASE) || (gpa % PG) != 0 || (len % PG) != 0) {
        return false;
    }
    *first = (size_t)((gpa - RANGE_BASE) / PG);
    *n = (size_t)(len / PG);
    return true;
}

static tds_status pte(void *ctx, void *va, uint64_t gpa, uint64_t len, bool shared)
{
    world *w = ctx;
    size_t first = 0;
    size_t n = 0;
    if (!range_pages(gpa, len, &first, &n) || va != w->mem + first * PG) {
        w->bad_ops++;
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t i = first; i < first + n; i++) {
        w->pte_shared[i] = shared;
    }
    return TDS_OK;
}

static tds_status op_set_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    return pte(ctx, va, gpa, len, true);
}

static tds_status op_clear_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    return pte(ctx, va, gpa, len, false);
}

static tds_status op_map_gpa(void *ctx, uint64_t gpa, uint64_t len)
{
    world *w = ctx;
    w->map_calls++;
    size_t first = 0;
    size_t n = 0;
    if (!range_pages(gpa & ~w->ops.shared_mask, len, &first, &n)) {
        w->bad_ops++;
    }
    tdvmcall_status vs;
    return tdvmcall_map_gpa(gpa, len, NULL, &vs);
}

static tds_status op_accept(void *ctx, uint64_t gpa, uint64_t len)
{
    world *w = ctx;
    for (uint64_t off = 0; off < len; off += PG) {
        tdcall_status hw;
        tds_status s = tdcall_mem_page_accept(gpa + off, TDCALL_PAGE_4K, &hw);
        if (s == TDS_ERR_STATE && hw.code == TDCALL_ALREADY_ACCEPTED) {
            continue;
        }
        if (s != TDS_OK) {
            return s;
        }
        w->accept_pages++;
    }
    return TDS_OK;
}

/* GPAW of the emulated TD: 48, or the value the test's initial state points at. */
static const uint32_t gpaw52 = 52;

static int setup(void **state)
{
    const uint32_t gpaw = *state != NULL ? *(const uint32_t *)*state : 48u;
    g = calloc(1, sizeof(*g));
    if (g == NULL) {
        return -1;
    }
    g->mem = aligned_alloc(PG, RANGE_SIZE);
    if (g->mem == NULL) {
        return -1;
    }
    memset(g->mem, 0x11, RANGE_SIZE); /* the TD's private data */
    g->range = (struct tdx_emu_range){RANGE_BASE,     RANGE_SIZE, TDX_EMU_PAGE_ACCEPTED,
                                      TDCALL_PAGE_4K, g->state,   g->mem};
    g->cfg.gpaw = gpaw;
    g->cfg.num_vcpus = 1;
    g->cfg.ranges = &g->range;
    g->cfg.range_count = 1;
    if (tdx_emu_init(&g->emu, &g->cfg) != TDS_OK) {
        return -1;
    }
    tdx_emu_backend_install(&g->emu);
    struct tdcall_td_info info;
    if (tdcall_vp_info(&info, NULL) != TDS_OK) {
        return -1;
    }
    g->ops = (vshared_ops){g, op_set_shared, op_clear_shared, op_map_gpa, op_accept, 0};
    if (vshared_shared_mask_from_gpaw(info.gpaw, &g->ops.shared_mask) != TDS_OK ||
        g->ops.shared_mask != info.shared_mask) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tdx_emu_backend_install(NULL);
    free(g->mem);
    free(g);
    g = NULL;
    return 0;
}

static tds_status pool_init(void)
{
    return vshared_pool_init(&g->pool, &g->ops, g->mem + GUARD * PG, POOL_GPA, POOL_PAGES,
                             g->bitmap, VSHARED_BITMAP_WORDS(POOL_PAGES));
}

static void set_faults(uint32_t mode, uint32_t count, uint64_t value)
{
    struct tdx_emu_faults f = {0};
    f.map_gpa_mode = mode;
    f.map_gpa_count = count;
    f.map_gpa_value = value;
    tdx_emu_faults_set(&g->emu, &f);
}

static uint64_t mapgpa_vmcalls(void)
{
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&g->emu, &c);
    return c.vmcall_subfn[tdx_emu_vmcall_slot(TDVMCALL_MAP_GPA)];
}

/* ---- page-state checks -------------------------------------------------------------------- */

static uint8_t emu_state(size_t page)
{
    uint8_t s = 0xFF;
    if (tdx_emu_page_get(&g->emu, RANGE_BASE + page * PG, &s) != TDS_OK) {
        fail_msg("page %zu not in the emulated map", page);
    }
    return s;
}

#define ACCEPTED_PRIVATE ((uint8_t)TDX_EMU_PAGE_ACCEPTED)
#define SHARED ((uint8_t)(TDX_EMU_PAGE_SHARED | TDX_EMU_PAGE_PENDING))

/* Never a private mapping over a page that is not private and accepted (the Intel TDX Module ABI
 * specification, GPAW and the shared bit), and no op outside the emulated RAM. */
static void check_safe(void)
{
    assert_int_equal(g->bad_ops, 0);
    for (size_t i = 0; i < RANGE_PAGES; i++) {
        if (!g->pte_shared[i] && emu_state(i) != ACCEPTED_PRIVATE) {
            fail_msg("page %zu: private PTE over emulator state 0x%x", i, emu_state(i));
        }
    }
}

/* Pool pages all shared (PTE and emulator) or all private and accepted; guards always private. */
static void check_pages(bool pool_shared)
{
    check_safe();
    for (size_t i = 0; i < RANGE_PAGES; i++) {
        bool in_pool = i >= GUARD && i < GUARD + POOL_PAGES;
        bool shared = in_pool && pool_shared;
        if (g->pte_shared[i] != shared || emu_state(i) != (shared ? SHARED : ACCEPTED_PRIVATE)) {
            fail_msg("page %zu: pte %d, emulator 0x%x, expected %s", i, g->pte_shared[i],
                     emu_state(i), shared ? "shared" : "private");
        }
    }
}

static bool zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return false;
        }
    }
    return true;
}

/*
 * The device, as a VMM device model sees a TD: it reaches memory by device address only, a device
 * address is a plain GPA (the shared bit lives in the guest's PTEs and in MapGPA, never in a DMA
 * address), and only pages the emulator says are shared are reachable. Anything else is a device
 * fault: NULL, counted.
 */
static uint8_t *device_ptr(uint64_t dev, size_t len)
{
    if (len == 0 || dev >= g->ops.shared_mask || dev < RANGE_BASE ||
        dev - RANGE_BASE >= RANGE_SIZE || (uint64_t)len > RANGE_SIZE - (dev - RANGE_BASE)) {
        g->device_faults++;
        return NULL;
    }
    size_t first = (size_t)((dev - RANGE_BASE) / PG);
    size_t last = (size_t)((dev - RANGE_BASE + (uint64_t)len - 1u) / PG);
    for (size_t i = first; i <= last; i++) {
        if (emu_state(i) != SHARED) {
            g->device_faults++;
            return NULL;
        }
    }
    return g->mem + (dev - RANGE_BASE);
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_emu_round_trip_all_directions(void **state)
{
    (void)state;
    assert_int_equal(pool_init(), TDS_OK);
    check_pages(true);
    assert_int_equal(mapgpa_vmcalls(), 1);
    assert_int_equal(vshared_pool_free_pages(&g->pool), POOL_PAGES);

    uint8_t req[300];
    uint8_t resp[200 + 16];
    for (size_t i = 0; i < sizeof(req); i++) {
        req[i] = (uint8_t)(i * 3u);
    }
    memset(resp, 0x5C, sizeof(resp));
    vshared_buffer ring;
    vshared_mapping mring;
    vshared_mapping mr;
    vshared_mapping mw;
    assert_int_equal(vshared_alloc(&g->pool, 1, &ring), TDS_OK);
    assert_true(zero(ring.host, PG));
    assert_int_equal(vshared_map(&g->pool, VSHARED_BUS_MASTER_COMMON, ring.host, 64, &mring),
                     TDS_OK);
    assert_int_equal(vshared_map(&g->pool, VSHARED_BUS_MASTER_READ, req, sizeof(req), &mr), TDS_OK);
    assert_int_equal(vshared_map(&g->pool, VSHARED_BUS_MASTER_WRITE, resp, 200, &mw), TDS_OK);
    check_pages(true);

    /* The device: reads the request, writes the reply past its length, logs in the ring. */
    uint8_t *in = device_ptr(mr.device_addr, mr.len);
    uint8_t *out = device_ptr(mw.device_addr, PG);
    uint8_t *log = device_ptr(mring.device_addr, 64);
    if (in == NULL || out == NULL || log == NULL) {
        fail_msg("device address not shared in the emulator");
        return;
    }
    assert_memory_equal(in, req, sizeof(req));
    for (size_t i = 0; i < PG; i++) {
        out[i] = (uint8_t)(in[i % sizeof(req)] ^ 0xFF);
    }
    log[0] = 0xD0;
    assert_int_equal(g->device_faults, 0);
    assert_int_equal(((uint8_t *)ring.host)[0], 0xD0);

    assert_int_equal(vshared_unmap(&g->pool, &mr), TDS_OK);
    assert_int_equal(vshared_unmap(&g->pool, &mw), TDS_OK);
    assert_int_equal(vshared_unmap(&g->pool, &mring), TDS_OK);
    for (size_t i = 0; i < 200; i++) {
        assert_int_equal(resp[i], (uint8_t)(req[i] ^ 0xFF));
    }
    for (size_t i = 200; i < sizeof(resp); i++) {
        assert_int_equal(resp[i], 0x5C);
    }
    assert_int_equal(vshared_free(&g->pool, ring.host), TDS_OK);
    check_pages(true);

    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
    assert_int_equal(mapgpa_vmcalls(), 2);
    assert_int_equal(g->accept_pages, POOL_PAGES); /* every page really re-accepted */
    assert_true(zero(g->mem + GUARD * PG, POOL_PAGES * PG));
    assert_int_equal(g->mem[0], 0x11); /* guard pages keep the TD's data */
    assert_int_equal(g->mem[RANGE_SIZE - 1u], 0x11);
}

/* KVM-style chunking: one RETRY at the 4 MiB boundary, resumed by libtdcall. */
static void test_emu_retry_chunks(void **state)
{
    (void)state;
    set_faults(TDX_EMU_MAPGPA_RETRY_CHUNK, 100, 0);
    assert_int_equal(pool_init(), TDS_OK);
    check_pages(true);
    assert_int_equal(mapgpa_vmcalls(), 2);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
    assert_int_equal(mapgpa_vmcalls(), 4);
    set_faults(0, 0, 0);
}

/* A retry storm on the conversion to shared: libtdcall gives up, the pool is rolled back. */
static void test_emu_retry_storm(void **state)
{
    (void)state;
    set_faults(TDX_EMU_MAPGPA_RETRY_AT, TDVMCALL_MAP_GPA_MAX_STALLS, POOL_GPA | g->ops.shared_mask);
    assert_int_equal(pool_init(), TDS_ERR_VMM);
    assert_int_equal(vshared_pool_get_state(&g->pool), VSHARED_POOL_UNINIT);
    check_pages(false);
    assert_int_equal(mapgpa_vmcalls(), TDVMCALL_MAP_GPA_MAX_STALLS + 1u); /* + rollback */
    assert_true(zero(g->mem + GUARD * PG, POOL_PAGES * PG));
}

/* Resume addresses outside the pool (a guard page below, the first page after, the private
 * alias): refused after one call, no guard page ever converted. */
static void test_emu_resume_outside(void **state)
{
    (void)state;
    uint64_t sb = g->ops.shared_mask;
    const uint64_t bad[] = {
        (POOL_GPA - PG) | sb,
        (POOL_GPA + POOL_PAGES * PG) | sb,
        POOL_GPA,
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t before = mapgpa_vmcalls();
        set_faults(TDX_EMU_MAPGPA_RETRY_AT, 1, bad[i]);
        assert_int_equal(pool_init(), TDS_ERR_VMM);
        assert_true(mapgpa_vmcalls() == before + 2u); /* the refused call + the rollback */
        check_pages(false);
    }
}

/* Error statuses; a VMM that claims progress and then stalls; an ACCEPT failing after 99 pages
 * of the release were accepted. (A MapGPA error after real partial conversion is not something
 * the emulator's fault budgets can produce; test_vshared_pool covers it on the fake.) */
static void test_emu_errors_midway(void **state)
{
    (void)state;
    uint64_t sb = g->ops.shared_mask;
    set_faults(TDX_EMU_MAPGPA_STATUS, 1, TDVMCALL_STATUS_INVALID_OPERAND);
    assert_int_equal(pool_init(), TDS_ERR_VMM);
    check_pages(false);
    set_faults(TDX_EMU_MAPGPA_STATUS, 1, TDVMCALL_STATUS_GPA_INUSE);
    assert_int_equal(pool_init(), TDS_ERR_VMM);
    check_pages(false);

    uint64_t before = mapgpa_vmcalls();
    set_faults(TDX_EMU_MAPGPA_RETRY_AT, 1u + TDVMCALL_MAP_GPA_MAX_STALLS,
               (POOL_GPA + 64u * PG) | sb);
    assert_int_equal(pool_init(), TDS_ERR_VMM);
    assert_true(mapgpa_vmcalls() == before + 1u + TDVMCALL_MAP_GPA_MAX_STALLS + 1u);
    assert_int_equal(vshared_pool_get_state(&g->pool), VSHARED_POOL_UNINIT);
    check_pages(false);
    set_faults(0, 0, 0);

    assert_int_equal(pool_init(), TDS_OK);
    check_pages(true);
    struct tdx_emu_counters c;
    tdx_emu_counters_get(&g->emu, &c);
    struct tdx_emu_faults f = {0};
    f.busy_on_call = c.calls + 1u + 100u; /* MapGPA(private), then the 100th ACCEPT */
    tdx_emu_faults_set(&g->emu, &f);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_ERR_BUSY);
    assert_int_equal(vshared_pool_get_state(&g->pool), VSHARED_POOL_BROKEN);
    check_safe();
    for (size_t i = 0; i < POOL_PAGES; i++) {
        assert_true(g->pte_shared[GUARD + i]);
        assert_int_equal(emu_state(GUARD + i),
                         i < 99 ? TDX_EMU_PAGE_ACCEPTED : TDX_EMU_PAGE_PENDING);
    }
    tdx_emu_faults_set(&g->emu, &(struct tdx_emu_faults){0});
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
    assert_true(zero(g->mem + GUARD * PG, POOL_PAGES * PG));
}

/* The VMM keeps refusing: the rollback fails too. BROKEN, PTEs still shared over pages the
 * emulator may hold either way; a release once the VMM behaves recovers every page. */
static void test_emu_broken_and_recovery(void **state)
{
    (void)state;
    set_faults(TDX_EMU_MAPGPA_STATUS, 2, TDVMCALL_STATUS_INVALID_OPERAND);
    assert_int_equal(pool_init(), TDS_ERR_VMM);
    assert_int_equal(vshared_pool_get_state(&g->pool), VSHARED_POOL_BROKEN);
    assert_int_equal(vshared_pool_last_error(&g->pool), TDS_ERR_VMM);
    check_safe();
    for (size_t i = GUARD; i < GUARD + POOL_PAGES; i++) {
        assert_true(g->pte_shared[i]);
    }
    vshared_buffer b;
    assert_int_equal(vshared_alloc(&g->pool, 1, &b), TDS_ERR_STATE);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);

    /* Release itself refused once, then retried. */
    assert_int_equal(pool_init(), TDS_OK);
    check_pages(true);
    set_faults(TDX_EMU_MAPGPA_STATUS, 1, TDVMCALL_STATUS_ALIGN_ERROR);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_ERR_VMM);
    assert_int_equal(vshared_pool_get_state(&g->pool), VSHARED_POOL_BROKEN);
    check_pages(true); /* nothing converted, nothing mapped private */
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
}

/* ACCEPT fails during release: BROKEN with the PTEs still shared; the retry accepts the rest
 * (pages accepted the first time answer ALREADY_ACCEPTED, which the op treats as done). */
static void test_emu_accept_fails(void **state)
{
    (void)state;
    assert_int_equal(pool_init(), TDS_OK);
    struct tdx_emu_faults f = {0};
    f.leaf = TDCALL_LEAF_MEM_PAGE_ACCEPT;
    f.leaf_count = 1;
    f.leaf_status = TDX_OPERAND_BUSY;
    f.busy_on_call = 0;
    tdx_emu_faults_set(&g->emu, &f);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_ERR_BUSY);
    assert_int_equal(vshared_pool_get_state(&g->pool), VSHARED_POOL_BROKEN);
    check_safe();
    for (size_t i = GUARD; i < GUARD + POOL_PAGES; i++) {
        assert_true(g->pte_shared[i]);
        assert_int_equal(emu_state(i), TDX_EMU_PAGE_PENDING); /* private, not yet accepted */
    }
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
}

/* Fragmentation and exhaustion, with the emulator's page states checked after each step. */
static void test_emu_fragmentation_exhaustion(void **state)
{
    (void)state;
    assert_int_equal(pool_init(), TDS_OK);
    static vshared_buffer b[POOL_PAGES];
    for (size_t i = 0; i < POOL_PAGES; i++) {
        assert_int_equal(vshared_alloc(&g->pool, 1, &b[i]), TDS_OK);
        assert_true(b[i].device_addr == POOL_GPA + i * PG); /* plain GPA, no shared bit */
    }
    check_pages(true);
    vshared_buffer x;
    assert_int_equal(vshared_alloc(&g->pool, 1, &x), TDS_ERR_NO_SPACE);
    for (size_t i = 0; i < POOL_PAGES; i += 2) {
        assert_int_equal(vshared_free(&g->pool, b[i].host), TDS_OK);
    }
    check_pages(true);
    assert_int_equal(vshared_pool_free_pages(&g->pool), POOL_PAGES / 2u);
    assert_int_equal(vshared_alloc(&g->pool, 2, &x), TDS_ERR_NO_SPACE);
    assert_int_equal(vshared_free(&g->pool, b[101].host), TDS_OK);
    assert_int_equal(vshared_alloc(&g->pool, 3, &x), TDS_OK);
    assert_ptr_equal(x.host, b[100].host);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_ERR_STATE);
    check_pages(true);
    assert_int_equal(vshared_free(&g->pool, x.host), TDS_OK);
    for (size_t i = 1; i < POOL_PAGES; i += 2) {
        if (i != 101) {
            assert_int_equal(vshared_free(&g->pool, b[i].host), TDS_OK);
        }
    }
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
}

/* Device addresses on the emulator (run for GPAW 48 and 52): plain GPAs below the shared bit,
 * each reaching exactly its bytes; the shared-bit form, a guard page, ranges running off either
 * end of the pool and, after release, a former pool page are all device faults. */
static void test_emu_device_addresses(void **state)
{
    const uint32_t gpaw = *state != NULL ? *(const uint32_t *)*state : 48u;
    const uint64_t sb = g->ops.shared_mask;
    assert_true(sb == 1ull << (gpaw - 1u));
    const uint64_t pool_end = POOL_GPA + POOL_PAGES * PG;
    assert_int_equal(pool_init(), TDS_OK);
    vshared_buffer first;
    vshared_buffer rest;
    assert_int_equal(vshared_alloc(&g->pool, 1, &first), TDS_OK);
    assert_int_equal(vshared_alloc(&g->pool, POOL_PAGES - 1u, &rest), TDS_OK);
    assert_true(first.device_addr == POOL_GPA);
    assert_true(rest.device_addr == POOL_GPA + PG);
    assert_true(((first.device_addr | rest.device_addr) & sb) == 0);
    uint8_t *p = device_ptr(first.device_addr, PG);
    assert_ptr_equal(p, first.host);
    assert_ptr_equal(device_ptr(rest.device_addr, (POOL_PAGES - 1u) * PG), rest.host);
    if (p == NULL) {
        return;
    }
    p[PG - 1u] = 0xA5; /* the device's write is what the driver sees */
    assert_int_equal(((const uint8_t *)first.host)[PG - 1u], 0xA5);
    assert_int_equal(g->device_faults, 0);

    assert_null(device_ptr(first.device_addr | sb, 1)); /* the shared-bit form */
    assert_null(device_ptr(RANGE_BASE, 1));             /* a guard page */
    assert_null(device_ptr(POOL_GPA - 1u, 2));          /* off the bottom of the pool */
    assert_null(device_ptr(pool_end - 1u, 2));          /* off the top of the pool */
    assert_int_equal(g->device_faults, 4);

    vshared_mapping m;
    uint8_t *last = (uint8_t *)rest.host + (POOL_PAGES - 1u) * PG - 1u;
    assert_int_equal(vshared_map(&g->pool, VSHARED_BUS_MASTER_COMMON, last, 1, &m), TDS_OK);
    assert_true(m.device_addr == pool_end - 1u);
    assert_ptr_equal(device_ptr(m.device_addr, 1), last);
    assert_int_equal(vshared_unmap(&g->pool, &m), TDS_OK);
    assert_int_equal(vshared_free(&g->pool, first.host), TDS_OK);
    assert_int_equal(vshared_free(&g->pool, rest.host), TDS_OK);
    check_pages(true);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
    assert_null(device_ptr(POOL_GPA, 1)); /* private again: out of the device's reach */
    assert_int_equal(g->device_faults, 5);
}

static uint8_t *ring_translate(void *ctx, uint64_t dev, size_t len)
{
    (void)ctx;
    return device_ptr(dev, len);
}

static void ring_check(void *ctx)
{
    (void)ctx;
    check_pages(true);
    assert_int_equal(g->device_faults, 0);
}

/* The virtio-style ring (ring.c) with the emulator deciding what the device can reach. */
static void test_emu_ring(void **state)
{
    (void)state;
    assert_int_equal(pool_init(), TDS_OK);
    ring_env re = {&g->pool, ring_translate, ring_check, g};
    ring_run(&re, 4);
    assert_int_equal(vshared_pool_release(&g->pool), TDS_OK);
    check_pages(false);
    assert_true(zero(g->mem + GUARD * PG, POOL_PAGES * PG));
}

static void test_emu_device_addresses_gpaw52(void **state)
{
    test_emu_device_addresses(state);
}

static void test_emu_ring_gpaw52(void **state)
{
    test_emu_ring(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_emu_round_trip_all_directions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_retry_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_retry_storm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_resume_outside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_errors_midway, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_broken_and_recovery, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_accept_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_fragmentation_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(test_emu_device_addresses, setup, teardown),
        cmocka_unit_test_prestate_setup_teardown(test_emu_device_addresses_gpaw52, setup, teardown,
                                                 (void *)&gpaw52),
        cmocka_unit_test_prestate_setup_teardown(test_emu_ring_gpaw52, setup, teardown,
                                                 (void *)&gpaw52),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
