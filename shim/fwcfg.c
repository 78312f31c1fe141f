/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* fw_cfg over ports and DMA (fwcfg.h). */
#include "fwcfg.h"

#include "arch/cpu.h"
#include "tdshim/endian.h"
#include "tdshim/mem.h"

#define PORT_SEL 0x510u
#define PORT_DATA 0x511u
#define PORT_DMA_HI 0x514u
#define PORT_DMA_LO 0x518u
#define ID_DMA 0x2u
#define DMA_ERROR 0x01u
#define DMA_READ 0x02u
#define DMA_SELECT 0x08u
#define DMA_DESC 16u
#define DMA_POLL 100000000u /* bounded wait for a transfer QEMU performs synchronously */
#define DMA_CHUNK_MAX 0x40000000u

static tds_status out16(const shim_fwcfg *f, uint16_t port, uint16_t v)
{
    return shim_pio_out(f->io, port, 2, v);
}

static tds_status out32(const shim_fwcfg *f, uint16_t port, uint32_t v)
{
    return shim_pio_out(f->io, port, 4, v);
}

static uint8_t in8(const shim_fwcfg *f, uint16_t port)
{
    uint32_t v = 0;
    return shim_pio_in(f->io, port, 1, &v) == TDS_OK ? (uint8_t)v : 0;
}

static void pio_read(shim_fwcfg *f, uint8_t *dst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dst[i] = in8(f, PORT_DATA);
    }
    f->pio_bytes += n;
}

/* One DMA transfer of n bytes (select first when `select`) into `to` (a GPA the VMM writes). */
static tds_status dma_xfer(shim_fwcfg *f, bool select, uint16_t sel, uint64_t to, uint32_t n)
{
    volatile uint8_t *d = f->dma;
    uint8_t desc[DMA_DESC];
    tds_store_be32(desc, (select ? ((uint32_t)sel << 16 | DMA_SELECT) : 0u) | DMA_READ);
    tds_store_be32(desc + 4, n);
    tds_store_be64(desc + 8, to);
    for (size_t i = 0; i < DMA_DESC; i++) {
        d[i] = desc[i];
    }
    /* The descriptor before the port write. A compiler barrier is enough: x86 does not reorder
     * stores with stores, and the port write (OUT, or TDCALL in a TD) is serializing. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    uint8_t be[4] = {0};
    tds_store_be32(be, (uint32_t)(f->dma_gpa >> 32));
    TDS_TRY(out32(f, PORT_DMA_HI, tds_load_le32(be)));
    tds_store_be32(be, (uint32_t)f->dma_gpa);
    TDS_TRY(out32(f, PORT_DMA_LO, tds_load_le32(be))); /* starts the transfer */
    f->dma_calls++;
    for (uint32_t i = 0; i < DMA_POLL; i++) {
        __atomic_signal_fence(__ATOMIC_SEQ_CST); /* re-read the control word every round */
        uint8_t c[4];
        for (size_t k = 0; k < 4; k++) {
            c[k] = d[k];
        }
        const uint32_t control = tds_load_be32(c);
        if ((control & ~(uint32_t)DMA_ERROR) == 0) {
            return (control & DMA_ERROR) != 0 ? TDS_ERR_DEVICE : TDS_OK;
        }
        cpu_pause();
    }
    return TDS_ERR_DEVICE;
}

/* Read n bytes of the item selected (select: first call) into dst. */
static tds_status read_into(shim_fwcfg *f, bool select, uint16_t sel, uint8_t *dst, size_t n)
{
    if (f->dma == NULL) {
        if (select) {
            TDS_TRY(out16(f, PORT_SEL, sel));
        }
        pio_read(f, dst, n);
        return TDS_OK;
    }
    size_t done = 0;
    bool first = select;
    while (done < n || first) {
        size_t chunk = n - done;
        uint64_t to = 0;
        if (f->bounce_len != 0) {
            chunk = chunk < f->bounce_len ? chunk : f->bounce_len;
            to = f->dma_gpa + DMA_DESC;
        } else {
            chunk = chunk < DMA_CHUNK_MAX ? chunk : DMA_CHUNK_MAX;
            to = (uint64_t)(uintptr_t)(dst + done);
        }
        TDS_TRY(dma_xfer(f, first, sel, to, (uint32_t)chunk));
        if (f->bounce_len != 0 && chunk != 0) {
            /* Copy out of shared memory once; only the private copy is used. */
            memcpy(dst + done, f->dma + DMA_DESC, chunk);
        }
        done += chunk;
        first = false;
    }
    return TDS_OK;
}

tds_status shim_fwcfg_open(shim_fwcfg *f, shim_pio io)
{
    if (f == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    memset(f, 0, sizeof *f);
    f->io = io;
    uint8_t sig[4] = {0};
    uint8_t id[4] = {0};
    TDS_TRY(out16(f, PORT_SEL, SHIM_FWCFG_SIGNATURE));
    pio_read(f, sig, sizeof sig);
    if (sig[0] != 'Q' || sig[1] != 'E' || sig[2] != 'M' || sig[3] != 'U') {
        return TDS_ERR_NOT_FOUND;
    }
    TDS_TRY(out16(f, PORT_SEL, SHIM_FWCFG_ID));
    pio_read(f, id, sizeof id);
    f->present = true;
    f->dma_ok = (tds_load_le32(id) & ID_DMA) != 0;
    return TDS_OK;
}

tds_status shim_fwcfg_use_dma(shim_fwcfg *f, uint8_t *buf, uint64_t gpa, size_t bounce_len)
{
    if (f == NULL || buf == NULL || ((uintptr_t)buf % 16u) != 0 || (gpa % 16u) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!f->present || !f->dma_ok) {
        return TDS_ERR_UNSUPPORTED;
    }
    f->dma = buf;
    f->dma_gpa = gpa;
    f->bounce_len = bounce_len;
    return TDS_OK;
}

static bool name_equal(const uint8_t name[SHIM_FWCFG_NAME], const char *want)
{
    size_t i = 0;
    for (; i < SHIM_FWCFG_NAME && want[i] != '\0'; i++) {
        if (name[i] != (uint8_t)want[i]) {
            return false;
        }
    }
    return i < SHIM_FWCFG_NAME && name[i] == 0;
}

tds_status shim_fwcfg_find(shim_fwcfg *f, const char *name, uint16_t *sel, uint32_t *size)
{
    if (f == NULL || name == NULL || sel == NULL || size == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t len = 0;
    while (len < SHIM_FWCFG_NAME && name[len] != '\0') {
        len++;
    }
    if (len == SHIM_FWCFG_NAME) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!f->present) {
        return TDS_ERR_NOT_FOUND;
    }
    uint8_t be[4] = {0};
    TDS_TRY(read_into(f, true, SHIM_FWCFG_FILE_DIR, be, sizeof be));
    const uint32_t count = tds_load_be32(be);
    if (count > SHIM_FWCFG_MAX_FILES) {
        return TDS_ERR_VMM;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint8_t ent[64] = {0};
        TDS_TRY(read_into(f, false, SHIM_FWCFG_FILE_DIR, ent, sizeof ent));
        if (name_equal(ent + 8, name)) {
            *size = tds_load_be32(ent);
            *sel = tds_load_be16(ent + 4);
            return TDS_OK;
        }
    }
    return TDS_ERR_NOT_FOUND;
}

tds_status shim_fwcfg_read(shim_fwcfg *f, uint16_t sel, void *dst, size_t n)
{
    if (f == NULL || (dst == NULL && n != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!f->present) {
        return TDS_ERR_NOT_FOUND;
    }
    return read_into(f, true, sel, dst, n);
}

tds_status shim_fwcfg_read_part(shim_fwcfg *f, uint16_t sel, bool first, void *dst, size_t n)
{
    if (f == NULL || (dst == NULL && n != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!f->present) {
        return TDS_ERR_NOT_FOUND;
    }
    return read_into(f, first, sel, dst, n);
}

tds_status shim_fwcfg_read_file(shim_fwcfg *f, const char *name, uint8_t *buf, size_t cap,
                                size_t *size)
{
    uint16_t sel = 0;
    uint32_t n = 0;
    if (size == NULL || (buf == NULL && cap != 0)) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(shim_fwcfg_find(f, name, &sel, &n));
    *size = n;
    if (n > cap) {
        return TDS_ERR_NO_SPACE;
    }
    return shim_fwcfg_read(f, sel, buf, n);
}

tds_status shim_fwcfg_read_u32(shim_fwcfg *f, uint16_t sel, uint32_t *v)
{
    uint8_t le[4] = {0};
    if (v == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(shim_fwcfg_read(f, sel, le, sizeof le));
    *v = tds_load_le32(le);
    return TDS_OK;
}
