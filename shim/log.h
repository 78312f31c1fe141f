/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's debug console: 16550 UART at I/O port 0x3F8 (COM1), 115200 8N1. Lines are formatted
 * into a bounded buffer (truncated, never overrun) and then written out.
 */
#ifndef TDSHIM_SHIM_LOG_H
#define TDSHIM_SHIM_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHIM_LOG_LINE 192u

void shim_serial_init(void);
/* Route the console through TDG.VP.VMCALL<IO> (a TD entry). */
void shim_serial_use_tdvmcall(void);
void shim_serial_write(const char *s, size_t n);

/*
 * Minimal printf: %s, %c, %u (uint32_t), %x (uint32_t), %lu / %lx (uint64_t), %%, with an optional
 * zero-pad width for x/lx ("%016lx"). Returns the number of characters formatted into buf (at most
 * cap - 1; buf is always NUL-terminated when cap > 0).
 */
size_t shim_vformat(char *buf, size_t cap, const char *fmt, va_list ap);
size_t shim_format(char *buf, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* n bytes as lowercase hex into out (2n+1 bytes incl. NUL); false (out = "") if it does not fit. */
bool shim_hex(char *out, size_t cap, const uint8_t *b, size_t n);

/* Format one line and write it to the console. */
void shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
