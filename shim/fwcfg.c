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
#define FWCFG_MAX_FILES 1024u

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

tds_status shim_fwcfg_read_file(const char *name, char *buf, size_t cap)
{
    uint8_t be[4];
    if (cap == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!fwcfg_present()) {
        return TDS_ERR_NOT_FOUND;
    }
    cpu_outw(FWCFG_SEL, FWCFG_FILE_DIR);
    read_bytes(be, sizeof be);
    uint32_t count = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 | be[3];
    if (count > FWCFG_MAX_FILES) {
        return TDS_ERR_VMM;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t ent[64];
        read_bytes(ent, sizeof ent);
        if (!name_equal(ent + 8, name)) {
            continue;
        }
        uint32_t size =
            (uint32_t)ent[0] << 24 | (uint32_t)ent[1] << 16 | (uint32_t)ent[2] << 8 | ent[3];
        uint16_t sel = (uint16_t)(ent[4] << 8 | ent[5]);
        size_t n = size < cap - 1 ? size : cap - 1;
        cpu_outw(FWCFG_SEL, sel);
        read_bytes((uint8_t *)buf, n);
        buf[n] = '\0';
        return TDS_OK;
    }
    return TDS_ERR_NOT_FOUND;
}
