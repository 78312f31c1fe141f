/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reasons: their status, short name and one-line text (one const table). */
#include "linux_int.h"

typedef struct reason_info {
    tds_status status;
    const char *name;
    const char *text;
} reason_info;

static const reason_info k_reasons[LNX_R_COUNT_] = {
    [LNX_R_NONE] = {TDS_OK, "none", "no error"},
    [LNX_R_BAD_ARG] = {TDS_ERR_INVALID_ARG, "bad-arg",
                       "NULL pointer, ill-formed slice or inconsistent header struct"},
    [LNX_R_SETUP_TRUNCATED] = {TDS_ERR_TRUNCATED, "setup-truncated",
                               "the setup bytes end before the setup header does"},
    [LNX_R_BOOT_FLAG] = {TDS_ERR_MALFORMED, "boot-flag", "boot_flag (0x1FE) is not 0xAA55"},
    [LNX_R_MAGIC] = {TDS_ERR_UNSUPPORTED, "magic",
                     "no \"HdrS\" at 0x202: not a bzImage with a 2.00+ setup header"},
    [LNX_R_VERSION] = {TDS_ERR_UNSUPPORTED, "version",
                       "boot protocol older than 2.12 (no xloadflags, no XLF_KERNEL_64)"},
    [LNX_R_HDR_JUMP] = {TDS_ERR_MALFORMED, "hdr-jump",
                        "no short jump (0xEB) at 0x200: the header length is unknown"},
    [LNX_R_HDR_LENGTH] = {TDS_ERR_MALFORMED, "hdr-length",
                          "setup header end (0x202 + byte 0x201) outside 0x264..0x290"},
    [LNX_R_SETUP_SECTS] = {TDS_ERR_MALFORMED, "setup-sects",
                           "setup bytes given differ from (setup_sects + 1) * 512"},
    [LNX_R_NOT_BZIMAGE] = {TDS_ERR_UNSUPPORTED, "not-bzimage",
                           "loadflags LOADED_HIGH clear: a zImage, not a bzImage"},
    [LNX_R_NO_KERNEL_64] = {TDS_ERR_UNSUPPORTED, "no-kernel-64",
                            "xloadflags XLF_KERNEL_64 clear: the kernel has no 64-bit entry"},
    [LNX_R_KERNEL_ALIGNMENT] = {TDS_ERR_MALFORMED, "kernel-alignment",
                                "kernel_alignment not a power of two in 4 KiB..1 GiB"},
    [LNX_R_MIN_ALIGNMENT] = {TDS_ERR_MALFORMED, "min-alignment",
                             "1 << min_alignment is larger than kernel_alignment"},
    [LNX_R_PREF_ADDRESS] = {TDS_ERR_MALFORMED, "pref-address",
                            "pref_address not aligned to kernel_alignment, or its window wraps"},
    [LNX_R_INIT_SIZE] = {TDS_ERR_MALFORMED, "init-size", "init_size is zero"},
    [LNX_R_KERNEL_TOO_SMALL] = {TDS_ERR_TRUNCATED, "kernel-too-small",
                                "the kernel bytes end before the 64-bit entry at 0x200"},
    [LNX_R_KERNEL_TRUNCATED] = {TDS_ERR_TRUNCATED, "kernel-truncated",
                                "fewer kernel bytes than syssize * 16"},
    [LNX_R_KERNEL_TOO_BIG] = {TDS_ERR_MALFORMED, "kernel-too-big",
                              "the protected-mode kernel is larger than init_size"},
    [LNX_R_CMDLINE_NO_NUL] = {TDS_ERR_MALFORMED, "cmdline-no-nul",
                              "the command line does not end with a NUL"},
    [LNX_R_CMDLINE_EMBEDDED_NUL] = {TDS_ERR_MALFORMED, "cmdline-embedded-nul",
                                    "the command line has a NUL before its end"},
    [LNX_R_PAST_REGION] = {TDS_ERR_OUT_OF_BOUNDS, "past-region",
                           "setup + syssize * 16 bytes run past the payload region"},
    [LNX_R_PARAM_NO_NUL] = {TDS_ERR_MALFORMED, "param-no-nul",
                            "no NUL inside the PayloadParam section (or within 1 MiB)"},
    [LNX_R_CMDLINE_TOO_LONG] = {TDS_ERR_UNSUPPORTED, "cmdline-too-long",
                                "the command line is longer than the kernel's cmdline_size"},
    [LNX_R_E820_ENTRY] = {TDS_ERR_MALFORMED, "e820-entry",
                          "memory map entry of size 0 or wrapping past 2^64"},
    [LNX_R_E820_TYPE] = {TDS_ERR_UNSUPPORTED, "e820-type",
                         "memory map entry type is not 1, 2, 3 or 4"},
    [LNX_R_E820_ORDER] = {TDS_ERR_MALFORMED, "e820-order",
                          "memory map not ascending, or entries overlap"},
    [LNX_R_E820_TOO_MANY] = {TDS_ERR_UNSUPPORTED, "e820-too-many",
                             "memory map longer than any x86-64 Linux keeps (3200)"},
    [LNX_R_RANGE_WRAPS] = {TDS_ERR_OVERFLOW, "range-wraps", "a range wraps past 2^64"},
    [LNX_R_MISALIGNED] = {TDS_ERR_ALIGNMENT, "misaligned",
                          "boot_params not 4 KiB aligned, or setup_data not 8-byte aligned"},
    [LNX_R_OUT_OF_REACH] = {TDS_ERR_OUT_OF_BOUNDS, "out-of-reach",
                            "past the mapped memory, or above 4 GiB for a kernel without "
                            "XLF_CAN_BE_LOADED_ABOVE_4G"},
    [LNX_R_OVERLAP] = {TDS_ERR_INVALID_ARG, "overlap", "two placed ranges overlap"},
    [LNX_R_NO_ROOM_KERNEL] = {TDS_ERR_NO_SPACE, "no-room-kernel",
                              "no usable RAM for the kernel's init_size window"},
    [LNX_R_NO_ROOM_INITRD] = {TDS_ERR_NO_SPACE, "no-room-initrd", "no usable RAM for the initrd"},
    [LNX_R_INITRD_ABOVE_LIMIT] = {TDS_ERR_UNSUPPORTED, "initrd-above-limit",
                                  "the initrd fits only above initrd_addr_max and the kernel "
                                  "lacks XLF_CAN_BE_LOADED_ABOVE_4G"},
    [LNX_R_NO_ROOM_BOOT_PARAMS] = {TDS_ERR_NO_SPACE, "no-room-boot-params",
                                   "no usable RAM for boot_params"},
    [LNX_R_NO_ROOM_CMDLINE] = {TDS_ERR_NO_SPACE, "no-room-cmdline",
                               "no usable RAM for the command line"},
    [LNX_R_NO_ROOM_SETUP_DATA] = {TDS_ERR_NO_SPACE, "no-room-setup-data",
                                  "no usable RAM for the SETUP_E820_EXT node"},
    [LNX_R_PLAN] = {TDS_ERR_INVALID_ARG, "plan", "plan inconsistent with the header or the map"},
    [LNX_R_BUFFER_TOO_SMALL] = {TDS_ERR_NO_SPACE, "buffer-too-small",
                                "boot_params or setup_data buffer too small"},
};

static const reason_info *info(lnx_reason r)
{
    if ((unsigned)r >= (unsigned)LNX_R_COUNT_ || k_reasons[r].name == NULL) {
        return NULL;
    }
    return &k_reasons[r];
}

tds_status lnx_reason_status(lnx_reason r)
{
    const reason_info *i = info(r);
    return i != NULL ? i->status : TDS_ERR_INVALID_ARG;
}

const char *lnx_reason_str(lnx_reason r)
{
    const reason_info *i = info(r);
    return i != NULL ? i->name : "unknown";
}

const char *lnx_reason_text(lnx_reason r)
{
    const reason_info *i = info(r);
    return i != NULL ? i->text : "unknown reason";
}

tds_status lnx_fail(lnx_error *err, lnx_reason r, uint64_t offset)
{
    err->reason = r;
    err->offset = offset;
    tds_status s = lnx_reason_status(r);
    return s != TDS_OK ? s : TDS_ERR_INVALID_ARG; /* a refusal is never OK */
}

tds_status lnx_ok(lnx_error *err)
{
    err->reason = LNX_R_NONE;
    err->offset = 0;
    return TDS_OK;
}
