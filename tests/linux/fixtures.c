/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Hand-made setup bytes (see fixtures.h). Offsets are typed from boot.rst's header table. */
#include "fixtures.h"

#include <string.h>

void fx_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

void fx_le32(uint8_t *p, uint32_t v)
{
    fx_le16(p, (uint16_t)v);
    fx_le16(p + 2, (uint16_t)(v >> 16));
}

void fx_le64(uint8_t *p, uint64_t v)
{
    fx_le32(p, (uint32_t)v);
    fx_le32(p + 4, (uint32_t)(v >> 32));
}

uint16_t fx_rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

uint32_t fx_rd32(const uint8_t *p)
{
    return (uint32_t)fx_rd16(p) | ((uint32_t)fx_rd16(p + 2) << 16);
}

uint64_t fx_rd64(const uint8_t *p)
{
    return (uint64_t)fx_rd32(p) | ((uint64_t)fx_rd32(p + 4) << 32);
}

fx_kernel fx_default(void)
{
    fx_kernel k;
    memset(&k, 0, sizeof k);
    k.setup_sects_byte = 27;
    k.boot_flag = 0xAA55;
    k.jump_op = 0xEB;
    k.jump_len = 0x6A;    /* header end 0x26C: protocol 2.15 (kernel_info_offset) */
    k.magic = 0x53726448; /* "HdrS" */
    k.version = 0x020F;
    k.loadflags = 0x01;                           /* LOADED_HIGH */
    k.syssize = (uint32_t)(FX_KERNEL_SIZE / 16u); /* paragraphs */
    k.initrd_addr_max = 0x7FFFFFFF;
    k.kernel_alignment = 0x200000;
    k.relocatable = 1;
    k.min_alignment = 21;
    k.xloadflags = 0x0003; /* XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G */
    k.cmdline_size = 0x7FF;
    k.pref_address = 0x1000000;
    k.init_size = 0x3000000;
    k.setup_data = 0;
    return k;
}

uint8_t fx_pattern(size_t off)
{
    return (uint8_t)(0x5Bu + off * 7u);
}

size_t fx_setup(const fx_kernel *k, uint8_t *buf)
{
    size_t sects = k->setup_sects_byte == 0 ? 4u : k->setup_sects_byte;
    size_t len = (sects + 1u) * 512u;
    for (size_t i = 0; i < len; i++) {
        buf[i] = (uint8_t)(0xEEu ^ (uint8_t)i);
    }
    size_t end = 0x202u + k->jump_len;
    for (size_t i = 0x1F1; i < end && i < len; i++) {
        buf[i] = fx_pattern(i);
    }
    buf[0x1EF] = 0xFF; /* sentinel as in a real image */
    buf[0x1F1] = k->setup_sects_byte;
    fx_le32(buf + 0x1F4, k->syssize);
    fx_le16(buf + 0x1FA, 0xFFFF); /* vid_mode */
    fx_le16(buf + 0x1FE, k->boot_flag);
    buf[0x200] = k->jump_op;
    buf[0x201] = k->jump_len;
    fx_le32(buf + 0x202, k->magic);
    fx_le16(buf + 0x206, k->version);
    buf[0x210] = 0; /* type_of_loader */
    buf[0x211] = k->loadflags;
    fx_le32(buf + 0x214, 0x100000); /* code32_start as built */
    fx_le32(buf + 0x22C, k->initrd_addr_max);
    fx_le32(buf + 0x230, k->kernel_alignment);
    buf[0x234] = k->relocatable;
    buf[0x235] = k->min_alignment;
    fx_le16(buf + 0x236, k->xloadflags);
    fx_le32(buf + 0x238, k->cmdline_size);
    fx_le64(buf + 0x250, k->setup_data);
    fx_le64(buf + 0x258, k->pref_address);
    fx_le32(buf + 0x260, k->init_size);
    return len;
}
