/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A mini firmware built out of tree against the installed freestanding package only, and booted
 * in QEMU through the emulated TD (tests/consumers/run.sh; docs/freestanding.md, "Boot it in an
 * emulated TD"). The shim starts it as its payload (an ELF64 executable linked at 16 MiB, entered
 * as _start(hob, base) with the System V ABI: docs/handoff.md). It
 *  - prints the memory map of the payload HOB (libtdhob, with the GPA width from TDG.VP.INFO),
 *  - accepts the RAM the shim left unaccepted (libaccept, TDG.MEM.PAGE.ACCEPT through
 *    accept_tdcall), then asks again and must hear "already accepted" for every byte,
 *  - extends RTMR3 with the SHA-384 of a fixed text (librtmr through rtmr_tdcall) and prints the
 *    four RTMRs of a TDREPORT (TDG.MR.REPORT),
 * and exits through QEMU's debug-exit port: 0x20 when every step passed, 0x22 when one failed.
 * Console and exit are TDG.VP.VMCALL port I/O (libtdcall); the TDCALL instruction is
 * libtdcall's tdcall_hw, which the test firmware's emulator answers.
 */
#include "tdshim/accept.h"
#include "tdshim/accept_tdcall.h"
#include "tdshim/endian.h"
#include "tdshim/rtmr.h"
#include "tdshim/rtmr_tdcall.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdhob.h"
#include "tdshim/tdvmcall.h"

/* ---- what every freestanding C environment provides ---- */
void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    for (size_t i = 0; i < n; i++) {
        d[i] = s[i];
    }
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d < s) {
        for (size_t i = 0; i < n; i++) {
            d[i] = s[i];
        }
    } else {
        for (size_t i = n; i > 0; i--) {
            d[i - 1] = s[i - 1];
        }
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    for (size_t i = 0; i < n; i++) {
        d[i] = (unsigned char)c;
    }
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

/* ---- console: COM1 through TDG.VP.VMCALL<Instruction.IO> ---- */
#define COM1_THR 0x3F8u
#define COM1_LSR 0x3FDu
#define LSR_THRE 0x20u
#define DEBUG_EXIT_PORT 0xF4u

static void putc_com1(char c)
{
    tdvmcall_status vs;
    /* Wait (bounded) for room in the transmitter; a missing UART must not hang the firmware. */
    for (unsigned i = 0; i < 100000u; i++) {
        uint32_t lsr = 0;
        if (tdvmcall_io_read(COM1_LSR, 1, &lsr, &vs) != TDS_OK || (lsr & LSR_THRE) != 0) {
            break;
        }
    }
    if (tdvmcall_io_write(COM1_THR, 1, (uint8_t)c, &vs) != TDS_OK) {
        return; /* a console the VMM refuses is dropped */
    }
}

static void puts_raw(const char *s)
{
    while (*s != '\0') {
        putc_com1(*s++);
    }
}

static void put_hex(uint64_t v)
{
    char buf[19] = "0x";
    for (int i = 0; i < 16; i++) {
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 0xF];
    }
    buf[18] = '\0';
    puts_raw(buf);
}

static void put_dec(uint64_t v)
{
    char buf[21];
    size_t i = sizeof buf - 1;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0 && i > 0);
    puts_raw(&buf[i]);
}

static void put_bytes(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        putc_com1("0123456789abcdef"[b[i] >> 4]);
        putc_com1("0123456789abcdef"[b[i] & 0xF]);
    }
}

static void line_end(void)
{
    puts_raw("\r\n");
}

static _Noreturn void finish(uint32_t code)
{
    tdvmcall_status vs;
    if (tdvmcall_io_write(DEBUG_EXIT_PORT, 1, code, &vs) != TDS_OK) {
        /* no debug-exit device: halt below */
    }
    for (;;) {
        if (tdvmcall_hlt(true, &vs) != TDS_OK) {
            __asm__ __volatile__("pause");
        }
    }
}

static _Noreturn void fail(const char *step, tds_status s)
{
    puts_raw("mini: FAIL ");
    puts_raw(step);
    puts_raw(": ");
    puts_raw(tds_status_str(s));
    line_end();
    finish(0x22);
}

#define CHECK(step, expr)                                                                          \
    do {                                                                                           \
        const tds_status check_s_ = (expr);                                                        \
        if (check_s_ != TDS_OK) {                                                                  \
            fail(step, check_s_);                                                                  \
        }                                                                                          \
    } while (0)

/* ---- the steps ---- */
#define HOB_MAX 0x10000u /* the shim builds the payload HOB in its 64 KiB ACPI area */
#define MAP_MAX 64u

static tdhob_scratch_entry scratch[TDHOB_SCRATCH_ENTRIES(HOB_MAX)];
static tdhob_mem_range map[MAP_MAX];
static accept_range unaccepted[MAP_MAX];
static struct tdcall_tdreport report;
static struct tdcall_reportdata reportdata;

/* The payload HOB: PHIT first; EfiMemoryBottom..EfiMemoryTop is the buffer that holds the list
 * (docs/handoff.md §5). Only that many bytes, at most HOB_MAX, are handed to the validator. */
static tds_bytes hob_bytes(const uint8_t *hob)
{
    const uint64_t top = tds_load_le64(hob + 16);
    const uint64_t at = (uint64_t)(uintptr_t)hob;
    const uint64_t len = top > at && top - at <= HOB_MAX ? top - at : 56u;
    return tds_bytes_make(hob, (size_t)len);
}

static size_t print_memory_map(const uint8_t *hob)
{
    struct tdcall_td_info info;
    tdcall_status hw;
    CHECK("tdg.vp.info", tdcall_vp_info(&info, &hw));
    const tdhob_config cfg = {.hob_gpa = (uint64_t)(uintptr_t)hob,
                              .gpaw = info.gpaw,
                              .convention = TDHOB_CONV_AUTO,
                              .scratch = scratch,
                              .scratch_cap = sizeof scratch / sizeof scratch[0]};
    tdhob_view view;
    tdhob_error err;
    CHECK("payload hob", tdhob_validate(hob_bytes(hob), &cfg, &view, &err));
    size_t n = 0;
    CHECK("memory map", tdhob_memory_map(&view, map, MAP_MAX, &n));
    puts_raw("mini: hob bytes=");
    put_dec(tdhob_length(&view));
    puts_raw(" gpaw=");
    put_dec(info.gpaw);
    puts_raw(" vcpus=");
    put_dec(info.num_vcpus);
    line_end();
    size_t nu = 0;
    for (size_t i = 0; i < n; i++) {
        puts_raw("mini: memory ");
        put_hex(map[i].base);
        puts_raw(" size ");
        put_hex(map[i].length);
        puts_raw(" ");
        puts_raw(tdhob_mem_kind_str(map[i].kind));
        line_end();
        if (map[i].kind == TDHOB_MEM_UNACCEPTED) {
            unaccepted[nu].base = map[i].base;
            unaccepted[nu].len = map[i].length;
            nu++;
        }
    }
    tdhob_ram_summary sum;
    CHECK("ram summary", tdhob_ram_summary_get(&view, &sum));
    puts_raw("mini: ram accepted=");
    put_hex(sum.accepted_bytes);
    puts_raw(" unaccepted=");
    put_hex(sum.unaccepted_bytes);
    line_end();
    return nu;
}

static void accept_unaccepted(size_t n)
{
    accept_tdcall_ctx tctx;
    accept_tdcall_init(&tctx);
    const accept_ops ops = accept_tdcall_ops(&tctx);
    accept_ctx actx;
    CHECK("accept init", accept_init(&actx, NULL, &ops));
    CHECK("accept", accept_all(&actx, unaccepted, n));
    accept_stats first;
    accept_get_stats(&actx, &first);
    /* Asked again, the module must answer "already accepted" for every byte. */
    CHECK("accept again", accept_all(&actx, unaccepted, n));
    accept_stats both;
    accept_get_stats(&actx, &both);
    uint64_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        /* Now usable: a word at each end of the range keeps what was written. */
        volatile uint64_t *lo = (volatile uint64_t *)(uintptr_t)unaccepted[i].base;
        volatile uint64_t *hi =
            (volatile uint64_t *)(uintptr_t)(unaccepted[i].base + unaccepted[i].len - 8u);
        *lo = 0x5a5a5a5a00000000ull | i;
        *hi = 0xa5a5a5a500000000ull | i;
        if (*lo != (0x5a5a5a5a00000000ull | i) || *hi != (0xa5a5a5a500000000ull | i)) {
            fail("accepted memory readback", TDS_ERR_MISMATCH);
        }
        bytes += unaccepted[i].len;
    }
    puts_raw("mini: accept ranges=");
    put_dec(n);
    puts_raw(" bytes=");
    put_hex(bytes);
    puts_raw(" accepted=");
    put_hex(first.bytes_accepted);
    puts_raw(" calls 2m=");
    put_dec(first.calls[ACCEPT_LEVEL_2M]);
    puts_raw(" 4k=");
    put_dec(first.calls[ACCEPT_LEVEL_4K]);
    puts_raw(" again already=");
    put_hex(both.bytes_already - first.bytes_already);
    puts_raw(" accepted=");
    put_hex(both.bytes_accepted - first.bytes_accepted);
    line_end();
    if (first.bytes_accepted != bytes || both.bytes_already - first.bytes_already != bytes ||
        both.bytes_accepted != first.bytes_accepted) {
        fail("accept counts", TDS_ERR_MISMATCH);
    }
}

static void extend_and_report(void)
{
    static const char text[] = "td-shim in C: out-of-tree mini firmware";
    rtmr_digest d;
    CHECK("sha384", rtmr_sha384(tds_bytes_make((const uint8_t *)text, sizeof text - 1), &d));
    rtmr_tdcall_ctx rctx = {0};
    const rtmr_extend_ops ops = rtmr_tdcall_ops(&rctx);
    CHECK("rtmr extend", rtmr_extend(&ops, RTMR_REG(3), &d));
    puts_raw("mini: extended rtmr3 sha384=");
    put_bytes(d.b, sizeof d.b);
    line_end();
    tdcall_status hw;
    CHECK("tdreport", tdcall_mr_report(&report, &reportdata, &hw));
    for (unsigned i = 0; i < TDCALL_RTMR_COUNT; i++) {
        puts_raw("mini: rtmr");
        put_dec(i);
        puts_raw("=");
        put_bytes(report.tdinfo.rtmr[i], sizeof report.tdinfo.rtmr[i]);
        line_end();
    }
}

_Noreturn void _start(const uint8_t *hob, uint64_t base);
_Noreturn void _start(const uint8_t *hob, uint64_t base)
{
    puts_raw("mini: entered hob=");
    put_hex((uint64_t)(uintptr_t)hob);
    puts_raw(" base=");
    put_hex(base);
    line_end();
    const size_t n = print_memory_map(hob);
    accept_unaccepted(n);
    extend_and_report();
    puts_raw("mini: result pass");
    line_end();
    finish(0x20);
}
