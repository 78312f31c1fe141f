/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Shared memory for the VMM (DMA bounce buffers), through libvirtio-shared: the shim's ops
 * wire its page tables (the shared bit in the PTEs of an identity-mapped range), TDG.VP.VMCALL
 * <MapGPA> and TDG.MEM.PAGE.ACCEPT into a vshared pool. The pool's pages are private RAM of the
 * shim's own; the address a device (the VMM) is given is the GPA without the shared bit
 * (vshared_buffer.device_addr). Releasing the pool converts the pages back to private, accepts
 * them again (the module zeroes them) and scrubs them.
 */
#ifndef TDSHIM_SHIM_SHARED_H
#define TDSHIM_SHIM_SHARED_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/virtio_shared.h"

/* The ops for a TD whose shared bit is `shared_mask` (1 << (GPAW - 1)). The returned ops keep a
 * pointer to *mask, which must outlive the pool. */
vshared_ops shim_shared_ops(const uint64_t *mask);

#endif
