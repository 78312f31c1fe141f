/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A small first-fit heap over a caller-given arena, for mbedTLS's calloc/free hooks in firmware.
 * Blocks carry a 16-byte header; free() coalesces with the following free block and calloc()
 * coalesces runs of free blocks while it searches. Double frees and foreign pointers are
 * detected through the header's magic and reported by rt_heap_free's return value.
 */
#ifndef TDSHIM_RT_HEAP_H
#define TDSHIM_RT_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_heap {
    uint8_t *base;
    size_t len;
    size_t live;       /* allocated blocks */
    size_t high_water; /* highest end offset ever handed out */
};

/* Returns false when the arena is too small or misaligned (16-byte alignment required). */
bool rt_heap_init(struct rt_heap *h, void *arena, size_t len);
void *rt_heap_calloc(struct rt_heap *h, size_t n, size_t size);
/* Returns false on a pointer the heap did not hand out (or already freed). NULL is fine. */
bool rt_heap_free(struct rt_heap *h, void *p);

#endif
