/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libaccept private interface between the engine and the policies. Not installed. */
#ifndef LIBACCEPT_ENGINE_INTERNAL_H
#define LIBACCEPT_ENGINE_INTERNAL_H

#include "tdshim/accept.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

/* ctx is non-NULL and initialised. */
bool accept_ctx_usable(const accept_ctx *ctx);

/* Accept the (already checked) map clipped to [0, cut), in parallel. */
TDS_MUST_USE tds_status accept_run_map(accept_ctx *ctx, const accept_range *ranges, size_t n,
                                       uint64_t cut);

/* The worker body handed to the parallel op; arg is the accept_ctx of the run. */
void accept_worker_entry(void *arg);

#pragma GCC visibility pop

#endif
