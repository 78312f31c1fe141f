/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdshim/mailbox.h"

uint32_t mbox_api_version(void)
{
    return MBOX_API_VERSION;
}
