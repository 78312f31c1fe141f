/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Small hosted helpers shared by tdshim-image and tdshim-measure: whole-file I/O, numbers. */
#ifndef TDSHIM_TOOLS_TOOL_IO_H
#define TDSHIM_TOOLS_TOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"

#define TOOL_MAX_FILE ((size_t)64 * 1024 * 1024)

/* Read a whole regular file (<= TOOL_MAX_FILE) into a malloc'd buffer the caller frees. */
TDS_MUST_USE tds_status tool_read_file(const char *path, uint8_t **data, size_t *len);

/* Write len bytes to path (created or truncated); the file is complete or reported failed. */
TDS_MUST_USE tds_status tool_write_file(const char *path, const uint8_t *data, size_t len);

/* Parse "123", "0x1000", with an optional K, M or G suffix (powers of 1024). Whole string. */
TDS_MUST_USE tds_status tool_parse_u64(const char *s, uint64_t *out);

/* Parse "ADDR,SIZE" (each as tool_parse_u64). */
TDS_MUST_USE tds_status tool_parse_range(const char *s, uint64_t *addr, uint64_t *size);

#endif
