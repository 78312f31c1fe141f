/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Accepting the TD HOB's unaccepted memory on every vCPU (shim/accept.c, docs/shim.md). */
#ifndef TDSHIM_SHIM_ACCEPT_H
#define TDSHIM_SHIM_ACCEPT_H

#include <stdint.h>

#include "tdshim/mailbox_fw.h"
#include "tdshim/status.h"

typedef struct shim_accept_report {
    uint64_t requested; /* unaccepted bytes of the HOB below the limit */
    uint64_t bytes;     /* bytes the module accepted (libaccept's count) */
    uint64_t already;   /* bytes found already accepted */
    uint64_t calls[3];  /* accept calls per level 4K/2M/1G */
    uint64_t tsc;       /* TSC ticks for the whole run */
    uint32_t helpers;   /* vCPUs that ran a worker */
    uint32_t ranges;
} shim_accept_report;

/* Accept every unaccepted HOB range below `limit` on `cpus` vCPUs (fw NULL: the BSP alone). */
TDS_MUST_USE tds_status shim_accept_all(mbox_fw *fw, uint32_t cpus, uint64_t limit,
                                        shim_accept_report *rep);

#endif
