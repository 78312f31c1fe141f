/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: shim_e820_set (the hand-off's E820 builder) driven by arbitrary sequences of
 * overlays, checked after every call against a reference model: one type per 4 KiB cell of a
 * small address window. Invariants: entries sorted, non-empty, non-overlapping, adjacent entries
 * of one type merged, at most SHIM_E820_MAX; a refused call leaves the map unchanged; the map
 * equals the model cell by cell; shim_e820_covers / _run_end / _bytes agree with the model.
 * Ranges near 2^64 exercise the wrap check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "e820.h"

#define CELLS 400u /* more than SHIM_E820_MAX entries fit: capacity is exercised */
#define CELL 0x1000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const shim_e820 *m, const uint32_t *model)
{
    if (m->n > SHIM_E820_MAX) {
        abort();
    }
    for (size_t i = 0; i < m->n; i++) {
        const tdhob_e820_entry *e = &m->e[i];
        if (e->size == 0 || e->type == 0 || e->addr % CELL != 0 || e->size % CELL != 0 ||
            e->addr / CELL + e->size / CELL > CELLS) {
            abort();
        }
        if (i > 0) {
            const tdhob_e820_entry *p = &m->e[i - 1];
            if (p->addr + p->size > e->addr) {
                abort(); /* unsorted or overlapping */
            }
            if (p->addr + p->size == e->addr && p->type == e->type) {
                abort(); /* not merged */
            }
        }
    }
    /* Cell by cell against the model. */
    uint32_t got[CELLS];
    memset(got, 0, sizeof got);
    for (size_t i = 0; i < m->n; i++) {
        for (uint64_t c = m->e[i].addr / CELL; c < (m->e[i].addr + m->e[i].size) / CELL; c++) {
            got[c] = m->e[i].type;
        }
    }
    if (memcmp(got, model, sizeof got) != 0) {
        abort();
    }
    /* The queries. */
    for (uint32_t t = 1; t <= 4; t++) {
        uint64_t bytes = 0;
        for (unsigned c = 0; c < CELLS; c++) {
            bytes += model[c] == t ? CELL : 0;
        }
        if (shim_e820_bytes(m, t) != bytes) {
            abort();
        }
    }
    for (unsigned c = 0; c < CELLS; c++) {
        uint64_t end = 0;
        if (model[c] != 0) {
            unsigned k = c;
            while (k < CELLS && model[k] == model[c]) {
                k++;
            }
            end = (uint64_t)k * CELL;
        }
        if (shim_e820_run_end(m, (uint64_t)c * CELL + 7u, model[c] != 0 ? model[c] : 1u) !=
            (model[c] != 0 ? end : 0)) {
            abort();
        }
        for (unsigned n = 1; c + n <= CELLS && n <= 8; n++) {
            bool same = model[c] != 0;
            for (unsigned k = c; k < c + n; k++) {
                same = same && model[k] == model[c];
            }
            if (model[c] != 0 &&
                shim_e820_covers(m, (uint64_t)c * CELL, (uint64_t)n * CELL, model[c]) != same) {
                abort();
            }
        }
    }
}

static bool same_map(const shim_e820 *a, const shim_e820 *b)
{
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (a->e[i].addr != b->e[i].addr || a->e[i].size != b->e[i].size ||
            a->e[i].type != b->e[i].type) {
            return false;
        }
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    shim_e820 m;
    shim_e820_init(&m);
    uint32_t model[CELLS];
    memset(model, 0, sizeof model);
    /* Each op: 4 bytes: start cell (u16), cell count, type (low 3 bits; bit 7 selects a range
     * at the top of the address space). */
    for (size_t at = 0; at + 4 <= size; at += 4) {
        const uint32_t start = ((uint32_t)data[at] | (uint32_t)data[at + 1] << 8) % CELLS;
        const uint32_t count = data[at + 2];
        const uint32_t type = data[at + 3] & 7u;
        shim_e820 before = m;
        tds_status st;
        if ((data[at + 3] & 0x80u) != 0) {
            /* Ranges that wrap or end at 2^64: refused (OVERFLOW) or far outside the model. */
            st = shim_e820_set(&m, UINT64_MAX - (uint64_t)count * CELL + 1u, (uint64_t)count * CELL,
                               type);
            if (st == TDS_OK) {
                /* [2^64 - n, 2^64) wraps for n > 0 (end = 0): must not be accepted. */
                abort();
            }
        } else {
            st = shim_e820_set(&m, (uint64_t)start * CELL, (uint64_t)count * CELL, type);
            const bool fits = start + count <= CELLS;
            if (count == 0 || type == 0) {
                if (st != TDS_ERR_INVALID_ARG) {
                    abort();
                }
            } else if (!fits) {
                /* Past the model window: allowed, but then stop comparing. */
                return 0;
            } else if (st == TDS_OK) {
                for (uint32_t c = start; c < start + count; c++) {
                    model[c] = type;
                }
            } else if (st != TDS_ERR_NO_SPACE) {
                abort();
            }
        }
        if (st != TDS_OK && !same_map(&before, &m)) {
            abort(); /* a refused call changed the map */
        }
        check(&m, model);
    }
    return 0;
}
