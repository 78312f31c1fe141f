/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Fuzz the firmware heap with op sequences: [op, arg] pairs; op&1 = alloc(arg*7+1 bytes),
 * else free slot arg%16. Checks: blocks never overlap, contents stay as written, all in arena.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "rt/heap.h"
#include "tdshim/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t g_arena[8192] __attribute__((aligned(16)));

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct rt_heap h;
    uint8_t *slot[16] = {0};
    size_t len[16] = {0};
    if (!rt_heap_init(&h, g_arena, sizeof g_arena)) {
        abort();
    }
    for (size_t i = 0; i + 1 < size; i += 2) {
        unsigned s = data[i + 1] % 16u;
        if (data[i] & 1u) {
            if (slot[s] != NULL) {
                continue;
            }
            size_t n = (size_t)data[i + 1] * 7u + 1u;
            uint8_t *p = rt_heap_calloc(&h, 1, n);
            if (p == NULL) {
                continue;
            }
            if (p < g_arena || p + n > g_arena + sizeof g_arena) {
                abort();
            }
            for (size_t k = 0; k < n; k++) {
                if (p[k] != 0) {
                    abort(); /* calloc must zero */
                }
            }
            memset(p, (int)(s + 1), n);
            slot[s] = p;
            len[s] = n;
        } else if (slot[s] != NULL) {
            for (size_t k = 0; k < len[s]; k++) {
                if (slot[s][k] != (uint8_t)(s + 1)) {
                    abort(); /* someone else wrote into this block: overlap */
                }
            }
            if (!rt_heap_free(&h, slot[s])) {
                abort();
            }
            slot[s] = NULL;
        }
    }
    for (unsigned s = 0; s < 16; s++) {
        if (slot[s] != NULL && !rt_heap_free(&h, slot[s])) {
            abort();
        }
    }
    if (h.live != 0) {
        abort();
    }
    return 0;
}
