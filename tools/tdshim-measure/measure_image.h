/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload section of a TDVF image file, found and checked the way the shim finds its own
 * (docs/handoff.md 1, docs/image-layout.md "Which section is the payload"), for
 * `tdshim-measure rtmr --image` and `mrtd`.
 */
#ifndef TDSHIM_TOOLS_MEASURE_IMAGE_H
#define TDSHIM_TOOLS_MEASURE_IMAGE_H

#include "tdshim/base.h"
#include "tdshim/tdvf.h"

/*
 * Open the image the way the shim opens its own (tdvf_open with TDVF_OPEN_LOCATE_BOTH: the OVMF
 * footer table and the td-shim pointer must both find the descriptor and agree on an image of
 * exactly image.len bytes; then tdvf_check_image: td-shim's and the layout rules, which include
 * tdvf_find_payload's, and the CFV a firmware volume), and return the payload section and its
 * kind. For a
 * payload in the image (TDVF_PAYLOAD_IMAGE) *bytes are the MemoryDataSize bytes at DataOffset
 * (file + zero padding), exactly what the shim hashes; for a VMM-placed one (TDVF_PAYLOAD_VMM)
 * the image holds no bytes and *bytes is empty (the caller supplies what the VMM loads, see
 * measure_vmm_region). TDS_ERR_NOT_FOUND: a valid image without a payload section (metadata not
 * found is TDS_ERR_MALFORMED here, with tdvf_open's reason). Other errors:
 * err says why (err->section UINT32_MAX when no section is concerned). Nothing is written on
 * failure.
 */
TDS_MUST_USE tds_status measure_image_payload(tds_bytes image, tdvf_meta *meta,
                                              const tdvf_section **sec, tdvf_payload_kind *kind,
                                              tds_bytes *bytes, tdvf_error *err);

/*
 * The largest VMM-placed region the reference tool materialises in memory (the shim hashes the
 * region in place, so this is a limit of the tool only).
 */
#define MEASURE_VMM_REGION_MAX ((uint64_t)1 << 30)

/*
 * What a VMM-placed region holds when the TD starts: the VMM adds the region zeroed and loads
 * `file` at its start, so region = file || zeros up to region.len. TDS_ERR_NO_SPACE if the file
 * is larger than the region (nothing written); TDS_ERR_INVALID_ARG for invalid slices.
 */
TDS_MUST_USE tds_status measure_vmm_region(tds_bytes file, tds_mut_bytes region);

#endif
