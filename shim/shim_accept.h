/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Accepting the TD HOB's unaccepted memory on every vCPU (shim/accept.c, docs/shim.md step 5c),
 * with a policy: everything (default) or only memory below a GPA limit. What is left unaccepted
 * is reported to the hand-off (docs/handoff.md §4: E820 type 8) through shim_accept_left.
 */
#ifndef TDSHIM_SHIM_ACCEPT_H
#define TDSHIM_SHIM_ACCEPT_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/mailbox_fw.h"
#include "tdshim/status.h"

/* "Accept everything": no limit. */
#define SHIM_ACCEPT_ALL UINT64_MAX
/* The build's policy: cmake -DTDSHIM_ACCEPT_LIMIT=<GPA> (shim/CMakeLists.txt), else everything. */
#if defined(SHIM_ACCEPT_LIMIT)
#define SHIM_ACCEPT_LIMIT_DEFAULT ((uint64_t)(SHIM_ACCEPT_LIMIT))
#else
#define SHIM_ACCEPT_LIMIT_DEFAULT SHIM_ACCEPT_ALL
#endif
/* Most unaccepted HOB ranges handled (and ranges left unaccepted reported). */
#define SHIM_ACCEPT_MAX_RANGES 16u

typedef struct shim_accept_report {
    uint64_t limit;     /* the limit of the run (SHIM_ACCEPT_ALL: none) */
    uint64_t requested; /* unaccepted bytes of the HOB below the limit */
    uint64_t bytes;     /* bytes the module accepted (libaccept's count) */
    uint64_t already;   /* bytes found already accepted */
    uint64_t left;      /* unaccepted bytes of the HOB at or above the limit, left so */
    uint64_t calls[3];  /* accept calls per level 4K/2M/1G */
    uint64_t tsc;       /* TSC ticks for the whole run */
    uint32_t helpers;   /* vCPUs that ran a worker */
    uint32_t ranges;    /* ranges accepted (after the cut) */
    uint32_t left_ranges;
} shim_accept_report;

/*
 * Accept every unaccepted range of the validated HOB below `limit` (a 4 KiB multiple;
 * SHIM_ACCEPT_ALL = no limit) on `cpus` vCPUs (fw NULL: the BSP alone), with libaccept's
 * accept_up_to: a range crossing the limit is split exactly there. The part at or above the
 * limit stays unaccepted and is recorded for shim_accept_left. Call once.
 */
TDS_MUST_USE tds_status shim_accept_run(mbox_fw *fw, uint32_t cpus, uint64_t limit,
                                        shim_accept_report *rep);

/* One range of guest-physical memory left unaccepted. */
typedef struct shim_accept_left_range {
    uint64_t base;
    uint64_t len;
} shim_accept_left_range;

/*
 * The hand-off's view of the policy's result: the HOB's unaccepted memory that the shim left
 * unaccepted, in address order (4 KiB aligned, at or above the limit), into out[0..*n).
 * TDS_OK after a successful shim_accept_run (n == 0 when everything was accepted);
 * TDS_ERR_NOT_FOUND when acceptance did not run or failed (then every unaccepted HOB range is
 * still unaccepted as far as the hand-off may assume); TDS_ERR_NO_SPACE if cap is too small.
 */
TDS_MUST_USE tds_status shim_accept_left(shim_accept_left_range *out, size_t cap, size_t *n);

/* Bytes vCPU `vcpu` accepted (OK answers) in the run; 0 for an unknown index. */
uint64_t shim_accept_vcpu_bytes(uint32_t vcpu);

#endif
