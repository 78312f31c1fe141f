/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * A small virtio-style split ring that moves data through the allocator in all three directions:
 * the ring itself and a device log are COMMON buffers, requests go out through BUS_MASTER_READ
 * bounces and replies come back through BUS_MASTER_WRITE bounces. The device reaches memory only
 * through `translate` (device address -> host pointer, NULL unless every page is shared). Every
 * other round the device is hostile: it overruns its write buffers to the end of their bounce
 * pages and reports a used length of 0xFFFFFFFF; the driver's private buffers must still receive
 * exactly the mapped bytes. Used by test_ring.c (fake) and test_emu.c (emulator).
 */
#ifndef VSHARED_TEST_RING_H
#define VSHARED_TEST_RING_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/virtio_shared.h"

typedef struct ring_env {
    vshared_pool *pool;                                         /* READY, with >= 12 free pages */
    uint8_t *(*translate)(void *ctx, uint64_t dev, size_t len); /* the device's view */
    void (*check)(void *ctx); /* called after every pool operation; asserts page states */
    void *ctx;
} ring_env;

/* Run `rounds` rounds of two requests each (cmocka assertions inside). The pool ends with the
 * same free pages it started with; every bounce is checked zero right after its unmap. */
void ring_run(const ring_env *re, unsigned rounds);

#endif
