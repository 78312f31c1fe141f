/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "emu_fixture.h"

#include <stdlib.h>
#include <string.h>

void fixture_init(struct fixture *f, uint8_t *mem, uint32_t gpaw)
{
    memset(f, 0, sizeof(*f));
    f->mem = mem;
    memset(mem, 0xCC, 6 * MIB);
    f->ranges[0] =
        (struct tdx_emu_range){0, 2 * MIB, TDX_EMU_PAGE_PENDING, TDCALL_PAGE_4K, f->state0, mem};
    f->ranges[1] = (struct tdx_emu_range){2 * MIB,        4 * MIB,   TDX_EMU_PAGE_PENDING,
                                          TDCALL_PAGE_2M, f->state1, mem + 2 * MIB};
    f->ranges[2] = (struct tdx_emu_range){6 * MIB,        2 * MIB,   TDX_EMU_PAGE_ACCEPTED,
                                          TDCALL_PAGE_4K, f->state2, NULL};
    f->ranges[3] = (struct tdx_emu_range){8 * MIB,        2 * MIB,   TDX_EMU_PAGE_NOT_PRESENT,
                                          TDCALL_PAGE_4K, f->state3, NULL};
    f->fields[0] = (struct tdx_emu_field){TDX_FIELD_TDCS_CONFIG_FLAGS, 0x2, 0, TDX_EMU_SCOPE_TD};
    f->fields[1] = (struct tdx_emu_field){TDX_FIELD_TDCS_TD_CTLS, 0, 0xF, TDX_EMU_SCOPE_TD};
    f->fields[2] = (struct tdx_emu_field){0x1000, 0x55, UINT64_MAX, TDX_EMU_SCOPE_VCPU};
    f->fields[3] = (struct tdx_emu_field){0x2000, 0x1500, 0, TDX_EMU_SCOPE_SYS};
    f->cfg.gpaw = gpaw;
    f->cfg.num_vcpus = 4;
    f->cfg.max_vcpus = 8;
    f->cfg.attributes = TDX_ATTR_SEPT_VE_DISABLE;
    f->cfg.xfam = 0xE7;
    for (unsigned i = 0; i < 48; i++) {
        f->cfg.mrtd[i] = (uint8_t)(0xA0u + i);
    }
    f->cfg.sys_rd_available = true;
    f->cfg.ranges = f->ranges;
    f->cfg.range_count = 4;
    f->cfg.fields = f->fields;
    f->cfg.field_count = 4;
    f->cfg.vcpus = f->vcpus;
    if (tdx_emu_init(&f->emu, &f->cfg) != TDS_OK) {
        abort();
    }
}
