/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target: accept_tracker_init over arbitrary table bytes (a Linux unaccepted-memory
 * table, Linux include/linux/efi.h, efi_unaccepted_memory), then queries and accepts over the
 * bitmap it accepted. Input layout: [16 bytes: query gpa, query len][table bytes...].
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tdshim/accept_bitmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static accept_result always_ok(void *ctx, uint64_t gpa, accept_level level)
{
    uint64_t *calls = ctx;
    (void)gpa;
    (void)level;
    (*calls)++;
    accept_result r = {ACCEPT_OUTCOME_OK, 0};
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 16) {
        return 0;
    }
    uint64_t gpa = tds_load_le64(data);
    uint64_t len = tds_load_le64(data + 8) & 0xFFFFFFFFFull; /* keep accepts bounded */
    size_t tlen = size - 16;
    uint8_t *table = malloc(tlen == 0 ? 1 : tlen);
    if (table == NULL) {
        return 0;
    }
    if (tlen > 0) {
        memcpy(table, data + 16, tlen);
    }
    accept_tracker t;
    if (accept_tracker_init(&t, tds_mut_bytes_make(table, tlen)) == TDS_OK) {
        bool pending = false;
        uint64_t before = 0, after = 0;
        if (accept_tracker_pending(&t, &before) != TDS_OK ||
            accept_tracker_query(&t, gpa, len, &pending) == TDS_ERR_INVALID_ARG) {
            abort();
        }
        uint64_t calls = 0;
        accept_ops ops = {always_ok, &calls, NULL, NULL};
        accept_config cfg = accept_config_default();
        cfg.mode_1g = ACCEPT_1G_OFF;
        accept_ctx ctx;
        if (accept_init(&ctx, &cfg, &ops) != TDS_OK) {
            abort();
        }
        tds_status s = accept_tracker_accept(&t, &ctx, gpa, len);
        if (s == TDS_OK) {
            bool still = true;
            if (accept_tracker_query(&t, gpa, len, &still) != TDS_OK || still) {
                abort(); /* everything asked for must now be accepted */
            }
            if (accept_tracker_pending(&t, &after) != TDS_OK || after > before) {
                abort();
            }
            if (!pending && calls != 0) {
                abort(); /* nothing pending: nothing may be accepted */
            }
        }
    }
    free(table);
    return 0;
}
