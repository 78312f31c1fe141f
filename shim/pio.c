/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Port I/O, plain or through TDG.VP.VMCALL (pio.h). */
#include "pio.h"

#include "arch/cpu.h"
#include "tdshim/tdvmcall.h"

tds_status shim_pio_out(shim_pio mode, uint16_t port, uint32_t size, uint32_t v)
{
    if (size != 1 && size != 2 && size != 4) {
        return TDS_ERR_INVALID_ARG;
    }
    if (mode == SHIM_PIO_TDVMCALL) {
        tdvmcall_status vs;
        return tdvmcall_io_write(port, size, v, &vs);
    }
    switch (size) {
    case 1: cpu_outb(port, (uint8_t)v); break;
    case 2: cpu_outw(port, (uint16_t)v); break;
    default: cpu_outl(port, v); break;
    }
    return TDS_OK;
}

tds_status shim_pio_in(shim_pio mode, uint16_t port, uint32_t size, uint32_t *v)
{
    if (v == NULL || (size != 1 && size != 2 && size != 4)) {
        return TDS_ERR_INVALID_ARG;
    }
    *v = 0;
    if (mode == SHIM_PIO_TDVMCALL) {
        tdvmcall_status vs;
        return tdvmcall_io_read(port, size, v, &vs);
    }
    switch (size) {
    case 1: *v = cpu_inb(port); break;
    case 2: *v = cpu_inw(port); break;
    default: *v = cpu_inl(port); break;
    }
    return TDS_OK;
}

static uint32_t cf8(uint32_t dev, uint32_t fn, uint32_t reg)
{
    return 0x80000000u | (dev & 0x1Fu) << 11 | (fn & 0x7u) << 8 | (reg & 0xFCu);
}

tds_status shim_pci_read32(shim_pio mode, uint32_t dev, uint32_t fn, uint32_t reg, uint32_t *v)
{
    TDS_TRY(shim_pio_out(mode, 0xCF8, 4, cf8(dev, fn, reg)));
    return shim_pio_in(mode, 0xCFC, 4, v);
}

tds_status shim_pci_write32(shim_pio mode, uint32_t dev, uint32_t fn, uint32_t reg, uint32_t v)
{
    TDS_TRY(shim_pio_out(mode, 0xCF8, 4, cf8(dev, fn, reg)));
    return shim_pio_out(mode, 0xCFC, 4, v);
}
