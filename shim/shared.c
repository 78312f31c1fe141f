/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The shim's libvirtio-shared ops (shared.h). */
#include "shared.h"

#include "paging.h"
#include "tdshim/tdcall.h"
#include "tdshim/tdvmcall.h"

static tds_status op_set_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    const uint64_t mask = *(const uint64_t *)ctx;
    return shim_paging_set_shared((uint64_t)(uintptr_t)va, gpa, len, mask, true);
}

static tds_status op_clear_shared(void *ctx, void *va, uint64_t gpa, uint64_t len)
{
    const uint64_t mask = *(const uint64_t *)ctx;
    return shim_paging_set_shared((uint64_t)(uintptr_t)va, gpa, len, mask, false);
}

static tds_status op_map_gpa(void *ctx, uint64_t gpa, uint64_t len)
{
    tdvmcall_status vs;
    (void)ctx;
    return tdvmcall_map_gpa(gpa, len, NULL, &vs);
}

static tds_status op_accept(void *ctx, uint64_t gpa, uint64_t len)
{
    (void)ctx;
    for (uint64_t off = 0; off < len; off += 4096) {
        tdcall_status hw = {0};
        const tds_status st = tdcall_mem_page_accept(gpa + off, TDCALL_PAGE_4K, &hw);
        if (st != TDS_OK && hw.code != TDCALL_ALREADY_ACCEPTED) {
            return st;
        }
    }
    return TDS_OK;
}

vshared_ops shim_shared_ops(const uint64_t *mask)
{
    const vshared_ops ops = {.ctx = (void *)(uintptr_t)mask,
                             .set_shared = op_set_shared,
                             .clear_shared = op_clear_shared,
                             .map_gpa = op_map_gpa,
                             .accept = op_accept,
                             .shared_mask = *mask};
    return ops;
}
