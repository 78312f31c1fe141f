/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The project-wide status type. Every fallible function returns tds_status and is marked
 * TDS_MUST_USE; out-parameters are written only when the result is TDS_OK.
 *
 * Libraries that need a finer reason (the HOB validator, the event-log reader) report it in
 * their own error-detail struct next to one of these codes; the code alone is always enough to
 * decide what to do.
 */
#ifndef TDSHIM_STATUS_H
#define TDSHIM_STATUS_H

/*
 * Thread safety: constants and pure functions only; safe from any thread.
 */

#include "tdshim/compiler.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tds_status {
    TDS_OK = 0,
    TDS_ERR_INVALID_ARG,   /* caller passed something the contract forbids (NULL, bad index) */
    TDS_ERR_ALIGNMENT,     /* a pointer, address or length is not aligned as required */
    TDS_ERR_OVERFLOW,      /* checked arithmetic overflowed or an address range wraps */
    TDS_ERR_OUT_OF_BOUNDS, /* a read or write would leave its slice / range */
    TDS_ERR_TRUNCATED,     /* input ended before a structure was complete */
    TDS_ERR_MALFORMED,     /* input is structurally invalid (bad length, type, reserved bits) */
    TDS_ERR_UNSUPPORTED,   /* valid but not supported (version, algorithm, page size) */
    TDS_ERR_NO_SPACE,      /* caller-owned storage is too small; nothing was changed */
    TDS_ERR_NOT_FOUND,     /* a looked-up item does not exist */
    TDS_ERR_BUSY,          /* a resource is busy and retries were exhausted */
    TDS_ERR_STATE,         /* the object is in the wrong state for this call (or has failed) */
    TDS_ERR_DEVICE,        /* the TDX module reported an error (raw status kept by the caller) */
    TDS_ERR_VMM,           /* the untrusted VMM returned an error or a nonsensical answer */
    TDS_ERR_MISMATCH,      /* a verification (digest, signature, replay) did not match */
    TDS_ERR_POLICY,        /* valid and authentic, but refused by policy (an SVN below the floor) */
    TDS_ERR_COUNT_         /* number of codes; not a status */
} tds_status;

/* Stable, short, human-readable name of a status ("ok", "overflow", ...). Never NULL. */
static inline const char *tds_status_str(tds_status s)
{
    switch (s) {
    case TDS_OK: return "ok";
    case TDS_ERR_INVALID_ARG: return "invalid argument";
    case TDS_ERR_ALIGNMENT: return "misaligned";
    case TDS_ERR_OVERFLOW: return "arithmetic overflow or address wrap";
    case TDS_ERR_OUT_OF_BOUNDS: return "out of bounds";
    case TDS_ERR_TRUNCATED: return "truncated input";
    case TDS_ERR_MALFORMED: return "malformed input";
    case TDS_ERR_UNSUPPORTED: return "unsupported";
    case TDS_ERR_NO_SPACE: return "no space";
    case TDS_ERR_NOT_FOUND: return "not found";
    case TDS_ERR_BUSY: return "busy";
    case TDS_ERR_STATE: return "wrong state";
    case TDS_ERR_DEVICE: return "TDX module error";
    case TDS_ERR_VMM: return "VMM error";
    case TDS_ERR_MISMATCH: return "mismatch";
    case TDS_ERR_POLICY: return "refused by policy";
    case TDS_ERR_COUNT_: break;
    }
    return "unknown status";
}

/* Propagate a non-OK status. */
#define TDS_TRY(expr)                                                                              \
    do {                                                                                           \
        tds_status tds_try_s_ = (expr);                                                            \
        if (tds_try_s_ != TDS_OK) {                                                                \
            return tds_try_s_;                                                                     \
        }                                                                                          \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_STATUS_H */
