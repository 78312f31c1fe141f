/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Host helper for the check-boot.sh tests (not a test itself): prints what the payload's event-log
 * step prints on a console (CR LF line ends), for a log made as the shim makes it (librtmr's
 * helpers over rtmr_bank_ops). Argument: "good", "rtmr" (the TDREPORT's RTMR1 is off by one bit),
 * "gap" (one "log" line is lost) or "short" (the dump is truncated).
 */
#include <stdio.h>
#include <string.h>

#include "tdp_log.h"
#include "tdshim/ccel_events.h"

static uint8_t g_area[TDP_LOG_AREA_SIZE];

struct out {
    unsigned log_lines;
    bool drop_second_log_line;
};

static void emit(void *ctx, const char *s, size_t n)
{
    struct out *o = ctx;
    if (n > 15 && memcmp(s, "tdpayload: log 0x", 17) == 0 && o->log_lines++ == 1 &&
        o->drop_second_log_line) {
        return;
    }
    (void)fwrite(s, 1, n, stdout);
    (void)fputs("\r\n", stdout);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "good";
    static uint8_t hob[600];
    static uint8_t image[4096];
    for (size_t i = 0; i < sizeof hob; i++) {
        hob[i] = (uint8_t)(i * 13u);
    }
    for (size_t i = 0; i < sizeof image; i++) {
        image[i] = (uint8_t)(i >> 3);
    }
    rtmr_bank bank = {0};
    const rtmr_extend_ops ops = rtmr_bank_ops(&bank);
    ccel_log log;
    if (ccel_log_init(&log, tds_mut_bytes_make(g_area, sizeof g_area),
                      tds_bytes_make(CCEL_VENDOR_INFO_TDSHIM, 7)) != TDS_OK ||
        ccel_event_td_hob(&log, &ops, tds_bytes_make(hob, sizeof hob)) != TDS_OK ||
        ccel_event_payload(&log, &ops, tds_bytes_make(image, sizeof image), 0xFFC00000,
                           sizeof image) != TDS_OK ||
        ccel_event_separator(&log, &ops, RTMR_MR(1), 0) != TDS_OK ||
        ccel_event_separator(&log, &ops, RTMR_MR(2), 0) != TDS_OK) {
        return 2;
    }
    if (strcmp(mode, "rtmr") == 0) {
        bank.r[1].b[0] ^= 1;
    }
    struct out o = {0, strcmp(mode, "gap") == 0};
    const struct tdp_sink sink = {.ctx = &o, .emit = emit};
    tdp_log_result r;
    const size_t dump = strcmp(mode, "short") == 0 ? 128 : TDP_LOG_AREA_SIZE;
    const tds_status s =
        tdp_log_check(&sink, tds_bytes_make(g_area, sizeof g_area), &bank, dump, &r);
    (void)puts(s == TDS_OK ? "tdpayload: result pass\r" : "tdpayload: result fail\r");
    return 0;
}
