/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The real accept op: libaccept's accept_page_fn over libtdcall's TDG.MEM.PAGE.ACCEPT wrapper
 * tdcall_mem_page_accept (Intel TDX Module ABI specification, TDG.MEM.PAGE.ACCEPT, leaf 6).
 * Target `accept_tdcall` (links accept and tdcall; the firmware also links tdcall_hw, host tests
 * tdcall_emu_backend), so that libaccept itself needs no TDCALL backend. Contract:
 * docs/libaccept.md, "The real accept op".
 *
 * RAX is decoded in one place only, libtdcall's tdcall_status_decode (inside the wrapper); this
 * adapter maps the decoded status to libaccept's accept_result with accept_tdcall_result.
 */
#ifndef TDSHIM_ACCEPT_TDCALL_H
#define TDSHIM_ACCEPT_TDCALL_H

/*
 * Thread safety: as stated at accept_tdcall_page (any number of threads, one context or several);
 * accept_tdcall_init and accept_tdcall_get_stats must not race the op.
 */

#include "tdshim/accept.h"
#include "tdshim/tdcall.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One counter per libtdcall decoded code (index: tdcall_code, TDCALL_SUCCESS .. TDCALL_OTHER). */
#define ACCEPT_TDCALL_CODES ((size_t)TDCALL_OTHER + 1u)

/* What one context saw: a snapshot taken by accept_tdcall_get_stats. */
typedef struct accept_tdcall_stats {
    uint64_t codes[ACCEPT_TDCALL_CODES]; /* executed TDCALLs per decoded code (retries included) */
    uint64_t refused;  /* requests refused before any TDCALL (bad level, or libtdcall's input
                          checks: misaligned, >= 2^52); no raw status exists for them */
    uint64_t last_raw; /* RAX of the most recent executed TDCALL (0 before the first) */
} accept_tdcall_stats;

/*
 * Caller-owned context of the op (no globals). Private: updated by the op with relaxed atomics,
 * so any number of workers may share one context; read it with accept_tdcall_get_stats.
 */
typedef struct accept_tdcall_ctx {
    accept_tdcall_stats s;
} accept_tdcall_ctx;

/* Zero the context. Not concurrently with the op on the same context. */
void accept_tdcall_init(accept_tdcall_ctx *ctx);

/*
 * accept_tdcall_init(ctx), then ops = {.accept = accept_tdcall_page, .accept_ctx = ctx,
 * .parallel = NULL, .parallel_ctx = NULL}; the caller adds its parallel op.
 */
accept_ops accept_tdcall_ops(accept_tdcall_ctx *ctx);

/*
 * The mapping, a pure function of libtdcall's decoded status (no RAX bits are read here):
 *   TDCALL_SUCCESS           -> ACCEPT_OUTCOME_OK
 *   TDCALL_ALREADY_ACCEPTED  -> ACCEPT_OUTCOME_ALREADY_ACCEPTED
 *   TDCALL_SIZE_MISMATCH     -> ACCEPT_OUTCOME_SIZE_MISMATCH
 *   TDCALL_BUSY              -> ACCEPT_OUTCOME_BUSY (OPERAND_BUSY, PREVIOUS_TLB_EPOCH_BUSY,
 *                               SYS_BUSY, OPERAND_BUSY_HOST_PRIORITY: the engine retries)
 *   TDCALL_INVALID_OPERAND, TDCALL_NO_VE_INFO, TDCALL_OTHER, any value outside tdcall_code
 *                            -> ACCEPT_OUTCOME_ERROR
 * and .raw = hw.raw always (operand id / SEPT level bits included), for diagnostics.
 */
TDS_MUST_USE accept_result accept_tdcall_result(tdcall_status hw);

/*
 * The accept op (an accept_page_fn): one tdcall_mem_page_accept(gpa, level) mapped with
 * accept_tdcall_result. Never retries (the engine bounds BUSY retries). A request that executes
 * no TDCALL (level outside accept_level, or refused by libtdcall's input checks: GPA not aligned
 * to the level, GPA >= 2^52; the engine never asks for one) is {ACCEPT_OUTCOME_ERROR, raw 0}.
 * ctx: an accept_tdcall_ctx the call is recorded in (codes[], refused, last_raw), or NULL to
 * record nothing. Safe from any number of threads at once, on one context or several.
 */
TDS_MUST_USE accept_result accept_tdcall_page(void *ctx, uint64_t gpa, accept_level level);

/*
 * Copy the context's counters (relaxed atomic loads: each field is a value the op stored; read
 * after the run for a consistent picture). With several workers, last_raw is the status of
 * whichever call stored last.
 */
void accept_tdcall_get_stats(const accept_tdcall_ctx *ctx, accept_tdcall_stats *out);

#ifdef __cplusplus
}
#endif

#endif
