/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * An out-of-tree "firmware" built against an installed freestanding package only
 * (tests/freestanding/package/run.sh): no libc, its own entry, the four mem* functions every
 * freestanding C environment provides, and calls into libtdhob, libaccept and librtmr. It runs on
 * the host as a static executable (two Linux syscalls stand in for a console and a halt).
 */
#include "tdshim/accept.h"
#include "tdshim/rtmr.h"
#include "tdshim/tdhob.h"

/* ---- what the firmware provides ---- */
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

/* A firmware function that happens to have the name of one of librtmr's internals (its SHA-512
 * block function). In the shipped archive ours is local (docs/symbols.md): no clash at link time,
 * and librtmr never calls this one (if it did, SHA-384("abc") below would come out wrong). */
void tdshim_sha512_block_data_order(uint64_t h[8], const void *in, size_t blocks);
void tdshim_sha512_block_data_order(uint64_t h[8], const void *in, size_t blocks)
{
    (void)in;
    (void)blocks;
    h[0] = 0;
}

static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c)
                         : "rcx", "r11", "memory");
    return ret;
}

static void say(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    (void)sys3(1 /* write */, 1, (long)s, (long)n);
}

static int fw_main(void)
{
    int bad = 0;
    /* librtmr: SHA-384("abc") (FIPS 180-2 example) and one extend of a software RTMR bank. */
    static const uint8_t abc[3] = {'a', 'b', 'c'};
    static const uint8_t abc384_head[4] = {0xcb, 0x00, 0x75, 0x3f};
    rtmr_digest d;
    if (rtmr_sha384(tds_bytes_make(abc, sizeof abc), &d) != TDS_OK ||
        memcmp(d.b, abc384_head, sizeof abc384_head) != 0) {
        say("rtmr_sha384: wrong\n");
        bad++;
    }
    rtmr_bank bank;
    rtmr_bank_reset(&bank);
    if (rtmr_bank_extend(&bank, RTMR_REG(2), &d) != TDS_OK || bank.r[2].b[0] == 0 ||
        bank.r[1].b[0] != 0) {
        say("rtmr_bank_extend: wrong\n");
        bad++;
    }
    /* libaccept: a page-aligned map passes, an unaligned one does not. */
    const accept_range good[1] = {{0x100000u, 0x200000u}};
    const accept_range odd[1] = {{0x100001u, 0x1000u}};
    if (accept_check_map(good, 1) != TDS_OK || accept_check_map(odd, 1) == TDS_OK) {
        say("accept_check_map: wrong\n");
        bad++;
    }
    /* libtdhob: an empty buffer is not a HOB list. */
    tdhob_view view;
    tdhob_error err;
    static const uint8_t none[8] = {0};
    if (tdhob_validate(tds_bytes_make(none, sizeof none), NULL, &view, &err) == TDS_OK) {
        say("tdhob_validate: accepted garbage\n");
        bad++;
    }
    if (rtmr_api_version() != RTMR_API_VERSION || accept_api_version() != ACCEPT_API_VERSION ||
        tdhob_api_version() != TDHOB_API_VERSION) {
        say("api versions: wrong\n");
        bad++;
    }
    say(bad == 0 ? "mini firmware: all passed\n" : "mini firmware: FAILED\n");
    return bad;
}

_Noreturn void _start(void);
_Noreturn void _start(void)
{
    int rc = fw_main();
    for (;;) {
        (void)sys3(231 /* exit_group */, rc, 0, 0);
    }
}
