/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Reference MRTD of a TDVF image (TDX module source tdh_mem_page_add.c and tdh_mr_extend.c (MRTD)):
 * one SHA-384 over, per section in metadata order (PAGE.AUG sections skipped) and per 4 KiB page in
 * ascending GPA, a 128-byte TDH.MEM.PAGE.ADD block, and for MR.EXTEND sections sixteen
 * TDH.MR.EXTEND blocks each followed by the 256 bytes of content. Content is the image bytes from
 * DataOffset (what QEMU loads).
 */
#ifndef TDSHIM_TOOLS_MRTD_H
#define TDSHIM_TOOLS_MRTD_H

#include "tdshim/base.h"
#include "tdshim/tdvf.h"

#define MRTD_SIZE 48u
#define MRTD_BLOCK 128u
#define MRTD_CHUNK 256u

/* The 128-byte header block of one SEAMCALL: ASCII op name, zero pad, GPA at byte 16. */
void mrtd_block(uint8_t block[MRTD_BLOCK], const char *op, uint64_t gpa);

/*
 * MRTD of the sections in m over image. Every measured section must have a 4 KiB-aligned,
 * non-wrapping memory range; MR.EXTEND sections need MemoryDataSize == RawDataSize with the data
 * inside the image (TDS_ERR_UNSUPPORTED / OUT_OF_BOUNDS otherwise). err says which section.
 */
TDS_MUST_USE tds_status mrtd_compute(const tdvf_meta *m, tds_bytes image, uint8_t out[MRTD_SIZE],
                                     tdvf_error *err);

#endif
