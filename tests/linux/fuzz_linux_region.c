/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target for liblinux's region helpers (linux_boot.h section 6), over a payload region's
 * first bytes and a PayloadParam section the VMM wrote. Input: u64 region size, u16 copy limit,
 * then the bytes (the head for lnx_region_kernel, the section for lnx_region_cmdline). Checks: an
 * accepted kernel fits the region, its setup is (setup_sects or 4, + 1) * 512 and its kernel at
 * least syssize * 16; refusals write nothing; a copied command line is the section's bytes
 * through its first NUL, within the limit.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tdshim/linux_boot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t g_dst[0x10000];

static void check(int cond)
{
    if (!cond) {
        __builtin_trap();
    }
}

static uint64_t le(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--) {
        v = (v << 8) | p[i - 1];
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 10) {
        return 0;
    }
    const uint64_t region = le(data, 8);
    const size_t limit = (size_t)le(data + 8, 2);
    const tds_bytes body = tds_bytes_make(data + 10, size - 10);

    uint32_t setup = 0xA5A5A5A5u;
    uint64_t kernel = 0xA5A5A5A5u;
    lnx_error err;
    const tds_status s = lnx_region_kernel(body, region, &setup, &kernel, &err);
    check(s == lnx_reason_status(err.reason));
    if (s == TDS_OK) {
        const uint32_t sects = body.ptr[LNX_OFF_SETUP_SECTS];
        check(setup == ((sects == 0 ? 4u : sects) + 1u) * LNX_SECTOR_SIZE);
        check(kernel >= le(body.ptr + LNX_OFF_SYSSIZE, 4) * 16u && kernel != 0);
        check(setup + kernel <= region);
        check(le(body.ptr + LNX_OFF_BOOT_FLAG, 2) == LNX_BOOT_FLAG);
    } else {
        check(setup == 0xA5A5A5A5u && kernel == 0xA5A5A5A5u);
    }

    size_t len = 0xA5;
    const size_t cap = limit < sizeof g_dst ? limit : sizeof g_dst;
    const tds_status c = lnx_region_cmdline(body, tds_mut_bytes_make(g_dst, cap), &len, &err);
    if (c == TDS_OK) {
        check(len >= 1 && len <= cap && len <= body.len && g_dst[len - 1] == 0);
        check(memcmp(g_dst, body.ptr, len) == 0 && memchr(body.ptr, 0, len) == body.ptr + len - 1);
    } else {
        check(c == TDS_ERR_MALFORMED && err.reason == LNX_R_PARAM_NO_NUL && len == 0xA5);
        const size_t n = cap < body.len ? cap : body.len;
        check(err.offset == n && memchr(body.ptr, 0, n) == NULL);
    }
    return 0;
}
