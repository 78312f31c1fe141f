/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/virtio_shared.h"

uint32_t vshared_api_version(void)
{
    return VSHARED_API_VERSION;
}
