/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Freestanding <stdio.h> for mbedTLS only (oid.c names snprintf; the firmware never formats OIDs). */
#ifndef TDSHIM_MBEDTLS_STDIO_H
#define TDSHIM_MBEDTLS_STDIO_H
#include "tdshim_mbedtls_libc.h"
#endif
