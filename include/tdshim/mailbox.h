/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libmailbox: AP parking, work dispatch and the ACPI MP-wakeup mailbox. Contract:
 * docs/libmailbox.md. */
#ifndef TDSHIM_MAILBOX_H
#define TDSHIM_MAILBOX_H

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define MBOX_API_VERSION 0u

uint32_t mbox_api_version(void);

#endif
