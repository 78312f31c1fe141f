/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test image's hooks into the boot (fw_test.h): the link wraps two production calls of
 * shim_main (--wrap=shim_accept_run, --wrap=shim_handoff), so the test knobs and commands run at
 * those points and the production objects stay the same bytes in both images.
 *   shim_accept_run: fw_cfg opt/tdshim/ap-test (make the last AP fault on purpose), then
 *     opt/tdshim/accept-limit (the acceptance policy's limit, instead of the build's), then the
 *     real run, then the emulator's cross-check (every byte below the limit accepted exactly once,
 *     every byte above still pending), then opt/tdshim/shared-test (the shared-alias check).
 *   shim_handoff: fw_cfg opt/tdshim/test (a test command), the console's TDVMCALL count, the real
 *     hand-off; if the image has no payload it returns, and the test image closes the log with
 *     the separators, prints "boot ok" and leaves QEMU with status 33.
 */
#include "fw_test.h"

#include "ap.h"
#include "fatal.h"
#include "handoff.h"
#include "hob.h"
#include "log.h"
#include "measure.h"
#include "paging.h"
#include "shared.h"
#include "shim_accept.h"
#include "tdshim/checked.h"
#include "tdshim/mem.h"
#include "tdshim/tdvmcall.h"
#include "tdshim/tdx_emu.h"
#include "tdshim/virtio_shared.h"

#define SYM(s) ((uint64_t)CPU_SYMBOL_ADDR(s))

/* ---- opt/tdshim/accept-limit: "all", or a decimal or 0x-hex number with an optional K, M or G
 * suffix; a 4 KiB multiple. MALFORMED / OVERFLOW / ALIGNMENT otherwise (*limit unchanged). --- */

static int digit_value(char c, uint32_t radix)
{
    int v = -1;
    if (c >= '0' && c <= '9') {
        v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
        v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
        v = c - 'A' + 10;
    }
    return v >= 0 && (uint32_t)v < radix ? v : -1;
}

static tds_status tdtest_parse_limit(const char *text, uint64_t *limit)
{
    const char *p = text;
    if (p[0] == 'a' && p[1] == 'l' && p[2] == 'l' &&
        (p[3] == '\0' || (p[3] == '\n' && p[4] == '\0'))) {
        *limit = SHIM_ACCEPT_ALL;
        return TDS_OK;
    }
    uint32_t radix = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        radix = 16;
        p += 2;
    }
    uint64_t v = 0;
    size_t digits = 0;
    for (int d = digit_value(*p, radix); d >= 0; d = digit_value(*++p, radix)) {
        if (tds_mul_u64(v, radix, &v) != TDS_OK || tds_add_u64(v, (uint64_t)d, &v) != TDS_OK) {
            return TDS_ERR_OVERFLOW;
        }
        digits++;
    }
    if (digits == 0) {
        return TDS_ERR_MALFORMED;
    }
    uint64_t scale = 1;
    if (*p == 'K') {
        scale = 1ull << 10;
    } else if (*p == 'M') {
        scale = 1ull << 20;
    } else if (*p == 'G') {
        scale = 1ull << 30;
    }
    p += scale != 1 ? 1 : 0;
    if (*p == '\n') {
        p++;
    }
    if (*p != '\0') {
        return TDS_ERR_MALFORMED;
    }
    if (tds_mul_u64(v, scale, &v) != TDS_OK) {
        return TDS_ERR_OVERFLOW;
    }
    if ((v & 0xFFFu) != 0) {
        return TDS_ERR_ALIGNMENT;
    }
    *limit = v;
    return TDS_OK;
}

/* ---- opt/tdshim/ap-test: the last AP faults on purpose (through a mailbox RUN command) ------ */

static void ap_test_pf(void *arg, uint32_t worker)
{
    (void)arg;
    (void)worker;
    (void)*(volatile uint64_t *)(uintptr_t)0x100000000000ull; /* 16 TiB: not mapped */
}

static void ap_test_overflow(void *arg, uint32_t worker)
{
    (void)arg;
    /* Run this AP's stack into its guard page: the #PF must still be reported (IST1). */
    const uint64_t bottom = shim_ap_guard(worker) + 0x1000;
    __asm__ __volatile__("mov %0, %%rsp\n\tpush %%rax" : : "r"(bottom) : "memory");
}

static void ap_test(mbox_fw *fw, uint32_t cpus)
{
    char what[16];
    if (cpus < 2 || fw == NULL || tdtest_knob("opt/tdshim/ap-test", what, sizeof what) != TDS_OK) {
        return;
    }
    const uint32_t ap = cpus - 1u;
    shim_log("tdshim: ap test '%s' on vcpu %u", what, ap);
    mbox_work_fn *fn = NULL;
    if (tdtest_str_eq(what, "pf")) {
        fn = ap_test_pf;
    } else if (tdtest_str_eq(what, "overflow")) {
        fn = ap_test_overflow;
    } else {
        shim_fatal(0x2007, "ap test: unknown");
    }
    const mbox_fw_command run = mbox_fw_cmd_run(fn, NULL, ap, 0);
    uint32_t result = 0;
    const tds_status st = mbox_fw_send(fw, ap, &run, &result);
    shim_log("tdshim: ap test: the AP answered (%s): no fault taken", tds_status_str(st));
    shim_fatal(0x2007, "ap test: no fault taken");
}

/* ---- the emulator's cross-check of acceptance ------------------------------------------------ */

static void cross_check(const shim_accept_report *rep)
{
    uint64_t base[SHIM_ACCEPT_MAX_RANGES];
    uint64_t len[SHIM_ACCEPT_MAX_RANGES];
    size_t n = 0;
    if (shim_hob_unaccepted(base, len, TDS_ARRAY_LEN(base), &n) != TDS_OK) {
        shim_fatal(0x5002, "accept: HOB map unavailable");
    }
    const uint64_t limit = rep->limit;
    struct tdx_emu_counters c;
    tdtest_emu_counters(&c);
    uint64_t pending = 0;
    uint64_t pending_above = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t p = 0;
        if (tdtest_emu_count_pending(base[i], len[i], &p) != TDS_OK) {
            shim_fatal(0x5003, "accept: a HOB range is outside the emulator's RAM");
        }
        uint64_t below = 0;
        if (base[i] < limit) {
            const uint64_t cut =
                limit - base[i] < len[i] ? base[i] + (limit - base[i]) : base[i] + len[i];
            if (tdtest_emu_count_pending(base[i], cut - base[i], &below) != TDS_OK) {
                shim_fatal(0x5003, "accept: a HOB range is outside the emulator's RAM");
            }
        }
        pending += below;
        pending_above += p - below;
    }
    const bool once = c.accepted_bytes == rep->requested && pending == 0 && rep->already == 0 &&
                      pending_above == rep->left;
    shim_log("tdshim: accept: emulator accepted_bytes=0x%lx ok_calls 4k=%lu 2m=%lu, "
             "still pending=0x%lx (0x%lx above the limit): %s",
             c.accepted_bytes, c.accept_ok[0], c.accept_ok[1], pending, pending_above,
             once ? "every byte accepted exactly once" : "MISMATCH");
    if (!once) {
        shim_fatal(0x5004, "accept: emulator counters disagree");
    }
}

/* ---- opt/tdshim/shared-test: the shared-alias check ----------------------------------------- */

/*
 * A one-page libvirtio-shared pool at `page` (private, accepted, identity-mapped, unused) is
 * converted to shared through the shim's page-table op (PTE = gpa | shared bit, same VA, TLB
 * flushed) and MapGPA answered by the emulator; a pattern written through the shared mapping is
 * read back through a second, private mapping of the same GPA. With the harness's alias (guest
 * RAM in a shared file whose first MiB an ivshmem BAR maps again at the shared bit) both read the
 * same bytes; without it they differ. Then the pool is released (back to private, accepted,
 * scrubbed).
 */
tds_status tdtest_shared_alias_test(uint64_t page, bool *same)
{
    static vshared_pool pool;
    static uint64_t bitmap[VSHARED_BITMAP_WORDS(1)];
    static uint64_t mask;
    static const char pattern[] = "tdshim shared alias 0123456789";
    *same = false;
    struct tdcall_td_info info;
    tdcall_status hw;
    TDS_TRY(tdcall_vp_info(&info, &hw));
    TDS_TRY(vshared_shared_mask_from_gpaw(info.gpaw, &mask));
    const vshared_ops ops = shim_shared_ops(&mask);
    TDS_TRY(vshared_pool_init(&pool, &ops, (void *)(uintptr_t)page, page, 1, bitmap,
                              TDS_ARRAY_LEN(bitmap)));
    vshared_buffer buf;
    TDS_TRY(vshared_alloc(&pool, 1, &buf));
    uint8_t st = 0;
    TDS_TRY(tdx_emu_page_get(tdtest_emu(), page, &st));
    const uint64_t root = cpu_read_cr3();
    shim_log("tdshim: shared alias: page 0x%lx pte=0x%lx device_addr=0x%lx emulator state=0x%x",
             page, shim_pt_lookup(root, page), buf.device_addr, st);
    TDS_TRY(shim_paging_map(TDTEST_ALIAS_PRIVATE_VA, page, 4096, PT_P | PT_RW | PT_NX));
    volatile uint8_t *shared_view = buf.host;
    const volatile uint8_t *private_view =
        (const volatile uint8_t *)(uintptr_t)TDTEST_ALIAS_PRIVATE_VA;
    for (size_t i = 0; i < sizeof pattern; i++) {
        shared_view[i] = (uint8_t)pattern[i];
    }
    bool eq = true;
    for (size_t i = 0; i < sizeof pattern; i++) {
        eq = eq && private_view[i] == (uint8_t)pattern[i];
    }
    *same = eq;
    shim_log("tdshim: shared alias: wrote through gpa|shared, private mapping reads %s",
             eq ? "the same bytes (one file behind both GPAs)" : "different bytes (no alias)");
    TDS_TRY(shim_paging_map(TDTEST_ALIAS_PRIVATE_VA, page, 4096, 0));
    TDS_TRY(vshared_free(&pool, buf.host));
    TDS_TRY(vshared_pool_release(&pool));
    TDS_TRY(tdx_emu_page_get(tdtest_emu(), page, &st));
    shim_log("tdshim: shared alias: released, pte=0x%lx emulator state=0x%x",
             shim_pt_lookup(root, page), st);
    return TDS_OK;
}

/* Inside the alias, in conventional memory nothing else uses before the hand-off. */
#define TDTEST_SHARED_TEST_PAGE 0x90000ull

/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's name */
tds_status __wrap_shim_accept_run(mbox_fw *fw, uint32_t cpus, uint64_t limit,
                                  shim_accept_report *rep)
{
    ap_test(fw, cpus);
    char text[32];
    const tds_status kst = tdtest_knob("opt/tdshim/accept-limit", text, sizeof text);
    if (kst == TDS_ERR_NO_SPACE || (kst == TDS_OK && tdtest_parse_limit(text, &limit) != TDS_OK)) {
        shim_fatal(0x5005, "accept: opt/tdshim/accept-limit is not a 4 KiB-aligned number");
    }
    const tds_status st = __real_shim_accept_run(fw, cpus, limit, rep);
    if (st != TDS_OK) {
        return st;
    }
    cross_check(rep);
    char any[4];
    bool same = false;
    if (tdtest_knob("opt/tdshim/shared-test", any, sizeof any) == TDS_OK &&
        tdtest_shared_alias_test(TDTEST_SHARED_TEST_PAGE, &same) != TDS_OK) {
        shim_fatal(0x5007, "shared alias test: conversion failed");
    }
    return st;
}

/* ---- opt/tdshim/test: make each class of failure happen on purpose --------------------------- */

static void run_test_command(const char *cmd)
{
    shim_log("tdshim: test command '%s'", cmd);
    if (tdtest_str_eq(cmd, "ud2")) {
        __asm__ __volatile__("ud2");
    } else if (tdtest_str_eq(cmd, "pf")) {
        (void)*(volatile uint64_t *)(uintptr_t)0x100000000000ull; /* 16 TiB: not mapped */
    } else if (tdtest_str_eq(cmd, "gp")) {
        (void)*(volatile uint64_t *)(uintptr_t)0x8000000000000000ull; /* non-canonical */
    } else if (tdtest_str_eq(cmd, "guard")) {
        *(volatile uint64_t *)(uintptr_t)SYM(shim_stack_guard) = 1; /* not present */
    } else if (tdtest_str_eq(cmd, "overflow")) {
        /* Run the stack into its guard page: the #PF must still be reported (IST1). */
        __asm__ __volatile__("mov %0, %%rsp\n\tpush %%rax"
                             :
                             : "r"(SYM(shim_stack_bottom))
                             : "memory");
    } else if (tdtest_str_eq(cmd, "wtext")) {
        *(volatile uint8_t *)(uintptr_t)SYM(shim_text_start) = 0x90; /* read-only code */
    } else if (tdtest_str_eq(cmd, "xdata")) {
        static uint8_t ret_insn[1] = {0xC3}; /* "ret" in NX data */
        void (*fn)(void) = (void (*)(void))(uintptr_t)ret_insn;
        fn();
    } else if (tdtest_str_eq(cmd, "fatal")) {
        shim_fatal(0xBAD, "test: fatal path requested");
    } else if (tdtest_ve_command(cmd)) { /* ve-*: fw_ve.c */
    } else if (!tdtest_str_eq(cmd, "ok")) {
        shim_fatal(0x1FF, "test: unknown test command");
    }
}

/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's name */
void __wrap_shim_handoff(const shim_handoff_in *in)
{
    char cmd[32];
    const tds_status st = tdtest_knob("opt/tdshim/test", cmd, sizeof cmd);
    if (st == TDS_ERR_NO_SPACE) {
        shim_fatal(0x1FF, "test: opt/tdshim/test longer than 31 characters");
    }
    if (st == TDS_OK) {
        run_test_command(cmd);
    }
    shim_log("tdshim: console via TDVMCALL<IO>: %lu emulated calls", tdtest_emu_io_calls());
    __real_shim_handoff(in);
    /* No payload section: the test image ends the boot here. */
    shim_measure_separators();
    shim_measure_require_complete();
    shim_log("tdshim: boot ok");
    tdtest_exit(TDTEST_EXIT_OK);
}
