/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Freestanding <assert.h> for mbedTLS only: mbedTLS uses it for static_assert-style checks. */
#ifndef TDSHIM_MBEDTLS_ASSERT_H
#define TDSHIM_MBEDTLS_ASSERT_H
#define assert(x) ((void)0)
#endif
