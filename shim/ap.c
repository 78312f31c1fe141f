/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* INIT-SIPI-SIPI for the plain-VM test entry (ap.h). SDM vol. 3 10.6 / 8.4.4.1. */
#include "ap.h"

#include "arch/cpu.h"

#define MSR_APIC_BASE 0x1Bu
#define APIC_BASE_EXTD (1u << 10) /* x2APIC mode */
#define APIC_BASE_EN (1u << 11)
#define APIC_BASE_MASK 0xFFFFFF000ull
#define APIC_SVR 0xF0u
#define APIC_SVR_ENABLE 0x100u
#define APIC_ICR_LO 0x300u
#define APIC_ICR_HI 0x310u
#define ICR_PENDING (1u << 12)
#define ICR_ALL_BUT_SELF (3u << 18)
#define ICR_INIT (5u << 8)
#define ICR_STARTUP (6u << 8)
#define ICR_ASSERT (1u << 14)
#define SIPI_VECTOR 0xFFu /* 0xFF000: alias of the reset page 0xFFFFF000 */

#define SPIN_DELAY 200000u      /* pause loops standing in for 10 ms / 200 us */
#define SPIN_ARRIVAL 200000000u /* bound on waiting for the APs */

static void spin(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        cpu_pause();
    }
}

static tds_status send_ipi(uint64_t apic, uint32_t icr)
{
    cpu_mmio_write32(apic + APIC_ICR_HI, 0);
    cpu_mmio_write32(apic + APIC_ICR_LO, icr);
    for (uint32_t i = 0; i < SPIN_DELAY; i++) {
        if ((cpu_mmio_read32(apic + APIC_ICR_LO) & ICR_PENDING) == 0) {
            return TDS_OK;
        }
        cpu_pause();
    }
    return TDS_ERR_BUSY;
}

tds_status shim_ap_start_all(uint32_t expected, uint32_t *arrived)
{
    const uint64_t base = cpu_rdmsr(MSR_APIC_BASE);
    if ((base & APIC_BASE_EN) == 0 || (base & APIC_BASE_EXTD) != 0) {
        return TDS_ERR_UNSUPPORTED;
    }
    const uint64_t apic = base & APIC_BASE_MASK;
    cpu_mmio_write32(apic + APIC_SVR, cpu_mmio_read32(apic + APIC_SVR) | APIC_SVR_ENABLE);
    TDS_TRY(send_ipi(apic, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_INIT));
    spin(SPIN_DELAY);
    for (int i = 0; i < 2; i++) {
        TDS_TRY(send_ipi(apic, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | SIPI_VECTOR));
        spin(SPIN_DELAY / 50u);
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < SPIN_ARRIVAL; i++) {
        n = shim_ap_counters[1];
        if (n >= expected) {
            break;
        }
        cpu_pause();
    }
    *arrived = n;
    return n == expected ? TDS_OK : TDS_ERR_BUSY;
}
