/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/tdcall.h"

uint32_t tdcall_api_version(void)
{
    return TDCALL_API_VERSION;
}
