/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Port I/O the way the current vCPU must do it: IN/OUT on a plain VM, TDG.VP.VMCALL<Instruction.IO>
 * in a TD (IN/OUT would raise #VE there; going straight to the VMCALL saves the exception). The
 * VMM's answer to an IN is untrusted data like any other.
 */
#ifndef TDSHIM_SHIM_PIO_H
#define TDSHIM_SHIM_PIO_H

#include <stdint.h>

#include "tdshim/status.h"

typedef enum shim_pio {
    SHIM_PIO_DIRECT = 0, /* IN/OUT */
    SHIM_PIO_TDVMCALL,   /* TDG.VP.VMCALL<Instruction.IO> */
} shim_pio;

TDS_MUST_USE tds_status shim_pio_out(shim_pio mode, uint16_t port, uint32_t size, uint32_t v);
/* size 1, 2 or 4; *v gets the value (0 on a refused VMCALL, with the error returned). */
TDS_MUST_USE tds_status shim_pio_in(shim_pio mode, uint16_t port, uint32_t size, uint32_t *v);

/* PCI configuration space through 0xCF8/0xCFC (bus 0 only, dword-aligned register). */
TDS_MUST_USE tds_status shim_pci_read32(shim_pio mode, uint32_t dev, uint32_t fn, uint32_t reg,
                                        uint32_t *v);
TDS_MUST_USE tds_status shim_pci_write32(shim_pio mode, uint32_t dev, uint32_t fn, uint32_t reg,
                                         uint32_t v);

#endif
