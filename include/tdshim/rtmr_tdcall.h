/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The real extend op: rtmr_extend_ops wired to libtdcall's tdcall_mr_rtmr_extend
 * (TDG.MR.RTMR.EXTEND, the Intel TDX Module ABI specification, the leaf's register interface).
 * Target `rtmr_tdcall` (links rtmr and tdcall; the firmware also links tdcall_hw, host tests
 * tdcall_emu_backend). Contract: docs/librtmr.md.
 */
#ifndef TDSHIM_RTMR_TDCALL_H
#define TDSHIM_RTMR_TDCALL_H

/*
 * Thread safety: the op writes ctx->last, so an rtmr_tdcall_ctx serves one thread at a time; give
 * each concurrent user its own context (the TDX module serializes extends of one RTMR).
 */

#include "tdshim/rtmr.h"
#include "tdshim/tdcall.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How often TDX_OPERAND_BUSY (another vCPU holds the RTMR lock) is retried before giving up. */
#define RTMR_TDCALL_BUSY_RETRIES 1000u

/* Caller-owned context: keeps the last raw TDX status for diagnostics. */
typedef struct rtmr_tdcall_ctx {
    tdcall_status last;
} rtmr_tdcall_ctx;

/* ops.extend copies the digest into a 64-byte-aligned struct tdcall_digest48 and calls
 * tdcall_mr_rtmr_extend, retrying BUSY up to RTMR_TDCALL_BUSY_RETRIES times. */
rtmr_extend_ops rtmr_tdcall_ops(rtmr_tdcall_ctx *ctx);

#ifdef __cplusplus
}
#endif

#endif
