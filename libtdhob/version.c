/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/tdhob.h"

uint32_t tdhob_api_version(void)
{
    return TDHOB_API_VERSION;
}
