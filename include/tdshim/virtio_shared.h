/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libvirtio-shared: the shared-bit DMA allocator. Contract: docs/libvirtio-shared.md. */
#ifndef TDSHIM_VIRTIO_SHARED_H
#define TDSHIM_VIRTIO_SHARED_H

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define VSHARED_API_VERSION 0u

uint32_t vshared_api_version(void);

#endif
