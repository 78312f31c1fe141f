/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Small hosted helpers shared by tdshim-image and tdshim-measure: whole-file I/O, numbers. */
#ifndef TDSHIM_TOOLS_TOOL_IO_H
#define TDSHIM_TOOLS_TOOL_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tdshim/status.h"

#define TOOL_MAX_FILE ((size_t)64 * 1024 * 1024)

/*
 * Read a whole file (<= TOOL_MAX_FILE) into a malloc'd buffer the caller frees. Errors:
 * TDS_ERR_NOT_FOUND (no such file), TDS_ERR_NO_SPACE (over the limit, or out of memory),
 * TDS_ERR_INVALID_ARG (a directory, no permission, a read error); tool_io_error() says which.
 */
TDS_MUST_USE tds_status tool_read_file(const char *path, uint8_t **data, size_t *len);

/* The same with another size limit: a file of exactly max bytes is read, one byte more is not. */
TDS_MUST_USE tds_status tool_read_file_max(const char *path, size_t max, uint8_t **data,
                                           size_t *len);

/*
 * Write len bytes to path. A regular file (or a new one) is written to a temporary file beside it
 * and renamed over it: on failure the old file is untouched and only the temporary file is
 * removed. A path that is not a regular file (a device such as /dev/null or /dev/full, a pipe) is
 * written in place and never removed; a directory is refused. tool_io_error() says why it failed.
 */
TDS_MUST_USE tds_status tool_write_file(const char *path, const uint8_t *data, size_t len);

/* One line saying why the last tool_read_file or tool_write_file failed ("No space left on
 * device", "is a directory", "larger than the tools' 64 MiB input limit"). */
const char *tool_io_error(void);

/* Call first in main: at exit, standard output is flushed and closed, and a write error (a full
 * disk, /dev/full, a closed pipe) prints "PROG: write error on standard output: ..." and makes the
 * exit status `status` (the tool's I/O-error status), whatever main returned. */
void tool_check_stdout_at_exit(const char *prog, int status);

/* "PROG VERSION" on stdout, for --version (the project version the tools were built from). */
void tool_print_version(const char *prog);

/* Parse "123", "0x1000", with an optional K, M or G suffix (powers of 1024). Whole string. */
TDS_MUST_USE tds_status tool_parse_u64(const char *s, uint64_t *out);

/* Parse "ADDR,SIZE" (each as tool_parse_u64). */
TDS_MUST_USE tds_status tool_parse_range(const char *s, uint64_t *addr, uint64_t *size);

#endif
