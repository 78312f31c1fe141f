/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The only libc mbedTLS gets in the freestanding build: prototypes the firmware provides. */
#ifndef TDSHIM_MBEDTLS_LIBC_H
#define TDSHIM_MBEDTLS_LIBC_H
#include <stddef.h>
void *tdshim_mbedtls_calloc(size_t n, size_t size);
void tdshim_mbedtls_free(void *p);
int tdshim_mbedtls_snprintf_unused(char *s, size_t n, const char *fmt, ...);
int tdshim_mbedtls_printf_unused(const char *fmt, ...);
int tdshim_mbedtls_fprintf_unused(void *f, const char *fmt, ...);
void tdshim_mbedtls_exit_unused(int code);
#endif
