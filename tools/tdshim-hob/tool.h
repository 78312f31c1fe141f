/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* tdshim-hob internals. */
#ifndef TDSHIM_HOB_TOOL_H
#define TDSHIM_HOB_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOOL_NAME "tdshim-hob"
#define EXIT_INVALID 1 /* the input HOB is invalid */
#define EXIT_USAGE 2   /* bad command line or I/O error */

/* "4096", "0x1000", "4K", "2M", "8G", "1T" (binary multiples). */
bool hob_parse_u64(const char *s, uint64_t *out);
/* "START:SIZE". */
bool hob_parse_range(const char *s, uint64_t *start, uint64_t *size);

int tool_dump(int argc, char **argv);
int tool_gen(int argc, char **argv);

#endif
