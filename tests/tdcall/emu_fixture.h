/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* A small emulated TD shared by the emulator tests:
 *   R0 [0, 2M)    4K-mapped, pending      (backing filled with 0xCC)
 *   R1 [2M, 6M)   2M-mapped, pending      (backing filled with 0xCC)
 *   R2 [6M, 8M)   4K-mapped, accepted by the VMM (TD_HOB-like)
 *   R3 [8M, 10M)  4K-mapped, not present
 */
#ifndef TDCALL_TEST_EMU_FIXTURE_H
#define TDCALL_TEST_EMU_FIXTURE_H

#include "tdshim/tdx_emu.h"

#define MIB (1024ull * 1024ull)

struct fixture {
    struct tdx_emu emu;
    struct tdx_emu_config cfg;
    struct tdx_emu_range ranges[4];
    uint8_t state0[512], state1[1024], state2[512], state3[512];
    struct tdx_emu_vcpu vcpus[4];
    struct tdx_emu_field fields[4];
    uint8_t *mem; /* 6 MiB backing for R0 and R1 */
};

/* Build and init (gpaw 48, 4 vCPUs); mem is allocated by the caller (6 MiB). */
void fixture_init(struct fixture *f, uint8_t *mem, uint32_t gpaw);

#endif
