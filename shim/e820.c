/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* E820 map building (e820.h). */
#include "e820.h"

#include "tdshim/checked.h"
#include "tdshim/mem.h"

void shim_e820_init(shim_e820 *m)
{
    memset(m, 0, sizeof *m);
}

/* Append to out (cap SHIM_E820_MAX), merging with the previous entry when it touches and has
 * the same type. */
static tds_status push(tdhob_e820_entry *out, size_t *n, uint64_t addr, uint64_t end, uint32_t type)
{
    if (end <= addr) {
        return TDS_OK;
    }
    if (*n > 0) {
        tdhob_e820_entry *last = &out[*n - 1];
        if (last->type == type && last->addr + last->size == addr) {
            last->size = end - last->addr;
            return TDS_OK;
        }
    }
    if (*n == SHIM_E820_MAX) {
        return TDS_ERR_NO_SPACE;
    }
    out[*n] = (tdhob_e820_entry){addr, end - addr, type};
    (*n)++;
    return TDS_OK;
}

tds_status shim_e820_set(shim_e820 *m, uint64_t base, uint64_t len, uint32_t type)
{
    uint64_t end;
    if (len == 0 || type == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(tds_range_end(base, len, &end));
    /* Rebuild into a scratch copy so a failure leaves the map as it was. */
    tdhob_e820_entry out[SHIM_E820_MAX];
    size_t n = 0;
    bool placed = false;
    for (size_t i = 0; i < m->n; i++) {
        const tdhob_e820_entry *e = &m->e[i];
        const uint64_t e_end = e->addr + e->size; /* entries never wrap (built by this code) */
        if (!placed && e_end > base) {
            /* The part of e before the range, then the range itself. */
            TDS_TRY(push(out, &n, e->addr, e->addr < base ? base : e->addr, e->type));
            TDS_TRY(push(out, &n, base, end, type));
            placed = true;
        } else if (e_end <= base) {
            TDS_TRY(push(out, &n, e->addr, e_end, e->type));
            continue;
        }
        /* placed: keep only the part of e after the range. */
        TDS_TRY(push(out, &n, e->addr > end ? e->addr : end, e_end, e->type));
    }
    if (!placed) {
        TDS_TRY(push(out, &n, base, end, type));
    }
    memcpy(m->e, out, n * sizeof out[0]);
    m->n = n;
    return TDS_OK;
}

bool shim_e820_covers(const shim_e820 *m, uint64_t base, uint64_t len, uint32_t type)
{
    uint64_t end;
    if (len == 0 || tds_range_end(base, len, &end) != TDS_OK) {
        return false;
    }
    uint64_t at = base;
    for (size_t i = 0; i < m->n && at < end; i++) {
        const tdhob_e820_entry *e = &m->e[i];
        if (e->addr + e->size <= at) {
            continue;
        }
        if (e->addr > at || e->type != type) {
            return false;
        }
        at = e->addr + e->size;
    }
    return at >= end;
}

uint64_t shim_e820_run_end(const shim_e820 *m, uint64_t addr, uint32_t type)
{
    for (size_t i = 0; i < m->n; i++) {
        const tdhob_e820_entry *e = &m->e[i];
        if (addr >= e->addr && addr - e->addr < e->size) {
            return e->type == type ? e->addr + e->size : 0;
        }
    }
    return 0;
}

uint64_t shim_e820_bytes(const shim_e820 *m, uint32_t type)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < m->n; i++) {
        sum += m->e[i].type == type ? m->e[i].size : 0;
    }
    return sum;
}

tds_status shim_e820_alloc(shim_e820 *m, uint64_t size, uint64_t align, uint64_t below,
                           uint32_t type, uint64_t *addr)
{
    if (m == NULL || addr == NULL || size == 0 || align == 0 || (align & (align - 1u)) != 0 ||
        type <= TDHOB_E820_RAM) {
        return TDS_ERR_INVALID_ARG;
    }
    for (size_t i = m->n; i-- > 0;) {
        const tdhob_e820_entry *e = &m->e[i];
        if (e->type != TDHOB_E820_RAM || e->addr >= below) {
            continue;
        }
        const uint64_t top = e->addr + e->size < below ? e->addr + e->size : below;
        if (top - e->addr < size) {
            continue;
        }
        const uint64_t base = (top - size) & ~(align - 1u);
        if (base < e->addr) {
            continue;
        }
        TDS_TRY(shim_e820_set(m, base, size, type));
        *addr = base;
        return TDS_OK;
    }
    return TDS_ERR_NO_SPACE;
}
