/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Reference values for a verifier, as one CBOR document (RFC 8949; written and read with Debian's
 * libcbor): what a TDREPORT of a TD booted from this image and TD HOB must show, and the digest
 * of the CC event log the shim will hand over (docs/tools/tdshim-measure.md "--cbor").
 *
 *   { "version": 1,
 *     "mrtd": bstr(48),                    ; only when computed from an image
 *     "rtmr": [bstr(48), bstr(48), bstr(48), bstr(48)],   ; RTMR0..3
 *     "ccel-sha384": bstr(48),             ; SHA-384 of the expected log bytes
 *     "ccel-events": uint }                ; CC events in it (the Spec ID event not counted)
 *
 * Map keys are text strings in this order (deterministic encoding: definite lengths, shortest
 * integer forms).
 */
#ifndef TDSHIM_TOOLS_REFVALUES_H
#define TDSHIM_TOOLS_REFVALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/base.h"
#include "tdshim/rtmr.h"

#define REFVALUES_VERSION 1u

typedef struct refvalues {
    bool has_mrtd;
    uint8_t mrtd[RTMR_SHA384_SIZE];
    rtmr_bank rtmr;
    rtmr_digest ccel_sha384;
    uint64_t ccel_events;
} refvalues;

/* Encode into a malloc'd buffer (*out, *out_len; the caller frees). TDS_ERR_NO_SPACE when out of
 * memory. */
TDS_MUST_USE tds_status refvalues_encode(const refvalues *v, uint8_t **out, size_t *out_len);

/* Decode and check a document made by refvalues_encode (untrusted bytes: every field's type and
 * size checked, unknown keys refused, "version" must be 1). TDS_ERR_MALFORMED otherwise. */
TDS_MUST_USE tds_status refvalues_decode(tds_bytes in, refvalues *v);

#endif
