/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* fw_cfg file reader (fwcfg.h); QEMU docs/specs/fw_cfg.rst: selector 0x510, data 0x511. */
#include "fwcfg.h"

#include <stdbool.h>

#include "arch/cpu.h"
#include "tdshim/endian.h"

#define FWCFG_SEL 0x510u
#define FWCFG_DATA 0x511u
#define FWCFG_SIGNATURE 0x0000u
#define FWCFG_FILE_DIR 0x0019u
#define FWCFG_NAME 56u

static void read_bytes(uint8_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = cpu_inb(FWCFG_DATA);
    }
}

static bool name_equal(const uint8_t name[FWCFG_NAME], const char *want)
{
    size_t i = 0;
    for (; i < FWCFG_NAME && want[i] != '\0'; i++) {
        if (name[i] != (uint8_t)want[i]) {
            return false;
        }
    }
    return i < FWCFG_NAME && name[i] == 0;
}

static bool fwcfg_present(void)
{
    uint8_t sig[4];
    cpu_outw(FWCFG_SEL, FWCFG_SIGNATURE);
    read_bytes(sig, sizeof sig);
    return sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}

tds_status shim_fwcfg_read_key(uint16_t key, uint8_t *buf, size_t n)
{
    if (buf == NULL && n != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!fwcfg_present()) {
        return TDS_ERR_NOT_FOUND;
    }
    cpu_outw(FWCFG_SEL, key);
    read_bytes(buf, n);
    return TDS_OK;
}

tds_status shim_fwcfg_read_file(const char *name, uint8_t *buf, size_t cap, size_t *size)
{
    uint8_t be[4];
    if (name == NULL || size == NULL || (buf == NULL && cap != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t len = 0;
    while (len < FWCFG_NAME && name[len] != '\0') {
        len++;
    }
    if (len == FWCFG_NAME) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!fwcfg_present()) {
        return TDS_ERR_NOT_FOUND;
    }
    cpu_outw(FWCFG_SEL, FWCFG_FILE_DIR);
    read_bytes(be, sizeof be);
    const uint32_t count = tds_load_be32(be);
    if (count > SHIM_FWCFG_MAX_FILES) {
        return TDS_ERR_VMM;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t ent[64];
        read_bytes(ent, sizeof ent);
        if (!name_equal(ent + 8, name)) {
            continue;
        }
        const uint32_t file_size = tds_load_be32(ent);
        const uint16_t sel = tds_load_be16(ent + 4);
        *size = file_size;
        if (file_size > cap) {
            return TDS_ERR_NO_SPACE;
        }
        cpu_outw(FWCFG_SEL, sel);
        read_bytes(buf, file_size);
        return TDS_OK;
    }
    return TDS_ERR_NOT_FOUND;
}
