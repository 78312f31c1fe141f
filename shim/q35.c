/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* q35 power management and ECAM (q35.h; QEMU include/hw/southbridge/ich9.h, hw/pci-host/q35.h). */
#include "q35.h"

#define MCH_DEV 0u
#define LPC_DEV 31u
#define MCH_ID 0x29C08086u
#define LPC_ID 0x29188086u
#define LPC_PMBASE 0x40u
#define LPC_ACPI_CNTL 0x44u
#define ACPI_EN 0x80u
#define MCH_PCIEXBAR 0x60u
#define PCIEXBAR_EN 0x1u /* length bits 2:1 = 00: 256 MiB, 256 buses */

tds_status shim_q35_setup(shim_pio mode)
{
    uint32_t id = 0;
    TDS_TRY(shim_pci_read32(mode, MCH_DEV, 0, 0, &id));
    if (id != MCH_ID) {
        return TDS_ERR_UNSUPPORTED;
    }
    TDS_TRY(shim_pci_read32(mode, LPC_DEV, 0, 0, &id));
    if (id != LPC_ID) {
        return TDS_ERR_UNSUPPORTED;
    }
    uint32_t v = 0;
    TDS_TRY(shim_pci_write32(mode, LPC_DEV, 0, LPC_PMBASE, SHIM_Q35_PMBASE | 1u));
    TDS_TRY(shim_pci_read32(mode, LPC_DEV, 0, LPC_ACPI_CNTL, &v));
    TDS_TRY(shim_pci_write32(mode, LPC_DEV, 0, LPC_ACPI_CNTL, v | ACPI_EN));
    TDS_TRY(shim_pci_write32(mode, MCH_DEV, 0, MCH_PCIEXBAR + 4u, 0));
    TDS_TRY(shim_pci_write32(mode, MCH_DEV, 0, MCH_PCIEXBAR, SHIM_Q35_ECAM_BASE | PCIEXBAR_EN));
    /* Read back what the tables will be built from. */
    TDS_TRY(shim_pci_read32(mode, LPC_DEV, 0, LPC_PMBASE, &v));
    if ((v & 0xFF80u) != SHIM_Q35_PMBASE) {
        return TDS_ERR_DEVICE;
    }
    TDS_TRY(shim_pci_read32(mode, LPC_DEV, 0, LPC_ACPI_CNTL, &v));
    if ((v & ACPI_EN) == 0) {
        return TDS_ERR_DEVICE;
    }
    TDS_TRY(shim_pci_read32(mode, MCH_DEV, 0, MCH_PCIEXBAR, &v));
    if ((v & 0xF0000001u) != (SHIM_Q35_ECAM_BASE | PCIEXBAR_EN)) {
        return TDS_ERR_DEVICE;
    }
    return TDS_OK;
}
