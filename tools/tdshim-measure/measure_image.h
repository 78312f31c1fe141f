/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload section of a TDVF image file, found and checked the way the shim finds its own
 * (docs/handoff.md 1, docs/image-layout.md "Which section is the payload"), for
 * `tdshim-measure rtmr --image` and `mrtd`.
 */
#ifndef TDSHIM_TOOLS_MEASURE_IMAGE_H
#define TDSHIM_TOOLS_MEASURE_IMAGE_H

#include "tdshim/base.h"
#include "tdvf.h"

/*
 * Locate the descriptor (the OVMF footer table as QEMU does; the td-shim pointer at end-0x20 if
 * there is no footer; both must agree when both exist), parse it, hold it to the td-shim and layout
 * rules (which include tdvf_find_payload's), and return the payload section and its kind. For a
 * payload in the image (TDVF_PAYLOAD_IMAGE) *bytes are the MemoryDataSize bytes at DataOffset
 * (file + zero padding), exactly what the shim hashes; for a VMM-placed one (TDVF_PAYLOAD_VMM)
 * the image holds no bytes and *bytes is empty. TDS_ERR_NOT_FOUND: a valid image without a payload
 * section. Other errors: err says why (err->section UINT32_MAX when no section is concerned).
 * Nothing is written on failure.
 */
TDS_MUST_USE tds_status measure_image_payload(tds_bytes image, tdvf_meta *meta,
                                              const tdvf_section **sec, tdvf_payload_kind *kind,
                                              tds_bytes *bytes, tdvf_error *err);

#endif
