/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The caller's E820 map (bootparam.h struct boot_e820_entry; types from
 * arch/x86/include/asm/e820/types.h). The planner needs it ascending and non-overlapping so that
 * runs of adjacent RAM entries are the usable memory and every non-RAM entry is an obstacle.
 */
#include "linux_int.h"

tds_status lnx_map_check(const lnx_e820_entry *map, size_t count, lnx_error *err)
{
    if (map == NULL || count == 0) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    if (count > LNX_E820_MAX_ENTRIES) {
        return lnx_fail(err, LNX_R_E820_TOO_MANY, (uint64_t)count);
    }
    uint64_t prev_last = 0;
    for (size_t i = 0; i < count; i++) {
        const lnx_e820_entry *e = &map[i];
        uint64_t last;
        if (e->size == 0 || tds_range_last(e->addr, e->size, &last) != TDS_OK) {
            return lnx_fail(err, LNX_R_E820_ENTRY, (uint64_t)i);
        }
        if (e->type < LNX_E820_RAM || e->type > LNX_E820_NVS) {
            return lnx_fail(err, LNX_R_E820_TYPE, (uint64_t)i);
        }
        if (i > 0 && e->addr <= prev_last) {
            return lnx_fail(err, LNX_R_E820_ORDER, (uint64_t)i);
        }
        prev_last = last;
    }
    return TDS_OK;
}

bool lnx_map_is_ram(const lnx_e820_entry *map, size_t count, lnx_range r)
{
    uint64_t r_last = lnx_range_last(r);
    for (size_t i = 0; i < count; i++) {
        uint64_t last = map[i].addr + (map[i].size - 1);
        if (map[i].type != LNX_E820_RAM || r.addr < map[i].addr || r.addr > last) {
            continue;
        }
        /* r starts in entry i: follow the run of adjacent RAM entries until r ends. */
        size_t j = i;
        while (last < r_last) {
            j++;
            if (j >= count || map[j].type != LNX_E820_RAM || map[j].addr != last + 1) {
                return false;
            }
            last = map[j].addr + (map[j].size - 1);
        }
        return true;
    }
    return false;
}

uint64_t lnx_ext_node_size(size_t count)
{
    if (count <= LNX_E820_MAX_BOOT_PARAMS) {
        return 0;
    }
    return LNX_SETUP_DATA_HDR_SIZE +
           (uint64_t)LNX_E820_ENTRY_SIZE * (uint64_t)(count - LNX_E820_MAX_BOOT_PARAMS);
}
