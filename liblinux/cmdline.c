/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The kernel command line from fw_cfg CMDLINE_DATA: QEMU sends the string with its NUL and
 * CMDLINE_SIZE = strlen + 1 (hw/i386/x86-common.c); the header's cmdline_size is the longest
 * string the kernel takes, NUL excluded (boot.rst "cmdline_size").
 */
#include "linux_int.h"

tds_status lnx_check_cmdline(const lnx_header *h, tds_bytes cmdline, lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (h == NULL || !tds_bytes_valid(cmdline)) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    tds_cursor c = tds_cursor_make(cmdline);
    size_t i = 0;
    uint8_t b = 1;
    while (tds_cursor_u8(&c, &b) == TDS_OK) {
        if (b == 0) {
            break;
        }
        i++;
    }
    /* Here i = bytes before the first NUL (or all of them). */
    if (b != 0 || cmdline.len == 0) {
        return lnx_fail(err, LNX_R_CMDLINE_NO_NUL, (uint64_t)cmdline.len);
    }
    if (!tds_cursor_at_end(&c)) {
        return lnx_fail(err, LNX_R_CMDLINE_EMBEDDED_NUL, (uint64_t)i);
    }
    if ((uint64_t)i > h->cmdline_size) {
        return lnx_fail(err, LNX_R_CMDLINE_TOO_LONG, (uint64_t)h->cmdline_size);
    }
    return lnx_ok(err);
}
