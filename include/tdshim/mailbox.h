/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libmailbox: AP parking, work dispatch and the ACPI MP-wakeup mailbox. Contract:
 * docs/libmailbox.md.
 *
 *   mailbox_fw.h   firmware phase: BSP -> AP commands over caller-owned per-vCPU slots
 *   mailbox_os.h   OS phase: the ACPI MP-wakeup mailbox, its AP loop and the relocatable blob
 *   madt.h         MADT builder with the Multiprocessor Wakeup structure
 *   mailbox_abi.h  the shared-layout numbers (also read by the assembly)
 */
#ifndef TDSHIM_MAILBOX_H
#define TDSHIM_MAILBOX_H

/*
 * Thread safety: per header: mailbox_fw.h (one BSP, one loop per AP slot), mailbox_os.h,
 * mailbox_ops.h; madt.h builds tables in caller buffers.
 */

#include "tdshim/base.h"
#include "tdshim/mailbox_fw.h"
#include "tdshim/mailbox_ops.h"
#include "tdshim/mailbox_os.h"
#include "tdshim/madt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Library interface version; bumped on any incompatible change. */
#define MBOX_API_VERSION 1u

uint32_t mbox_api_version(void);

#ifdef __cplusplus
}
#endif

#endif
