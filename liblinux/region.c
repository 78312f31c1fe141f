/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* A kernel the VMM placed in a payload region, and its command line from a PayloadParam section
 * (linux_boot.h section 6, docs/linux-boot.md). */
#include "linux_int.h"

#include "tdshim/endian.h"

/*
 * The Authenticode signature a signed bzImage carries after its kernel (sbsign appends the PE
 * Certificate Table to the file, so the file is longer than setup + syssize * 16; Debian's kernels
 * are signed). When the EFI stub's PE header lies inside `head` and its Certificate Table (data
 * directory 4) starts exactly where the kernel ends, the file ends where the table ends: returns
 * that length, else `end`. Nothing but `head` is read.
 */
static uint64_t signed_end(tds_bytes head, uint64_t end)
{
    if (head.ptr[0] != 'M' || head.ptr[1] != 'Z') {
        return end;
    }
    const uint64_t pe = tds_load_le32(head.ptr + 0x3Cu); /* e_lfanew */
    const uint64_t opt = pe + 24u;                       /* "PE\0\0" + the COFF header */
    const uint64_t cert = opt + 144u; /* PE32+: directories from 112, the 5th (index 4) */
    if (cert + 8u > head.len || tds_load_le32(head.ptr + pe) != 0x00004550u ||
        tds_load_le16(head.ptr + opt) != 0x020Bu || tds_load_le32(head.ptr + opt + 108u) < 5u) {
        return end;
    }
    const uint64_t off = tds_load_le32(head.ptr + cert);
    const uint64_t size = tds_load_le32(head.ptr + cert + 4u);
    return off == end && size != 0 ? off + size : end; /* < 2^33: no wrap */
}

tds_status lnx_region_kernel(tds_bytes head, uint64_t region_size, uint32_t *setup_size,
                             uint64_t *kernel_size, lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (setup_size == NULL || kernel_size == NULL || !tds_bytes_valid(head)) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    if (head.len < LNX_REGION_HEAD) {
        return lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)head.len);
    }
    if (tds_load_le16(head.ptr + LNX_OFF_BOOT_FLAG) != LNX_BOOT_FLAG) {
        return lnx_fail(err, LNX_R_BOOT_FLAG, LNX_OFF_BOOT_FLAG);
    }
    if (tds_load_le32(head.ptr + LNX_OFF_HEADER) != LNX_HDRS_MAGIC) {
        return lnx_fail(err, LNX_R_MAGIC, LNX_OFF_HEADER);
    }
    const uint32_t sects = head.ptr[LNX_OFF_SETUP_SECTS];
    const uint32_t setup = ((sects == 0 ? 4u : sects) + 1u) * LNX_SECTOR_SIZE; /* <= 128 KiB */
    const uint64_t kernel = (uint64_t)tds_load_le32(head.ptr + LNX_OFF_SYSSIZE) * 16u; /* < 2^36 */
    if (kernel == 0) {
        return lnx_fail(err, LNX_R_KERNEL_TOO_SMALL, LNX_OFF_SYSSIZE);
    }
    const uint64_t total = signed_end(head, setup + kernel); /* < 2^37: no wrap */
    if (total > region_size) {
        return lnx_fail(err, LNX_R_PAST_REGION, total);
    }
    *setup_size = setup;
    *kernel_size = total - setup;
    return lnx_ok(err);
}

tds_status lnx_region_cmdline(tds_bytes src, tds_mut_bytes dst, size_t *len, lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (len == NULL || !tds_bytes_valid(src) || !tds_bytes_valid(tds_bytes_const(dst))) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    const size_t n = src.len < dst.len ? src.len : dst.len;
    const volatile uint8_t *from = src.ptr; /* one read of each byte: the VMM may write it */
    for (size_t i = 0; i < n; i++) {
        const uint8_t b = from[i];
        dst.ptr[i] = b;
        if (b == 0) {
            *len = i + 1u;
            return lnx_ok(err);
        }
    }
    return lnx_fail(err, LNX_R_PARAM_NO_NUL, (uint64_t)n);
}
