/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/rtmr.h"

uint32_t rtmr_api_version(void)
{
    return RTMR_API_VERSION;
}
