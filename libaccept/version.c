/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/accept.h"

uint32_t accept_api_version(void)
{
    return ACCEPT_API_VERSION;
}
