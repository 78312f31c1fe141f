/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Freestanding stand-in for <stdlib.h>, for mbedTLS only. */
#ifndef TDSHIM_MBEDTLS_STDLIB_H
#define TDSHIM_MBEDTLS_STDLIB_H
#include "tdshim_mbedtls_libc.h"
#endif
