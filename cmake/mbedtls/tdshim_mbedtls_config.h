/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The project's bare-metal mbedTLS 2.28 configuration (used for the freestanding build only;
 * hosted builds use Debian's libmbedtls). Verify-only: hashes, big numbers, P-384 ECDSA, RSA
 * PKCS#1 v1.5 and PSS, public-key parsing. No RNG, no file system, no time, no threads.
 */
#ifndef TDSHIM_MBEDTLS_CONFIG_H
#define TDSHIM_MBEDTLS_CONFIG_H

/* System support: none. Memory comes from calloc/free hooks the firmware installs. */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_NO_UDBL_DIVISION /* no __int128 division helpers (libgcc) */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_CALLOC_MACRO tdshim_mbedtls_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO tdshim_mbedtls_free
#define MBEDTLS_PLATFORM_SNPRINTF_MACRO tdshim_mbedtls_snprintf_unused
#define MBEDTLS_PLATFORM_PRINTF_MACRO tdshim_mbedtls_printf_unused
#define MBEDTLS_PLATFORM_FPRINTF_MACRO tdshim_mbedtls_fprintf_unused
#define MBEDTLS_PLATFORM_EXIT_MACRO tdshim_mbedtls_exit_unused
#define MBEDTLS_PLATFORM_STD_MEM_HDR "tdshim_mbedtls_libc.h"
/* Our own wipe (cmake/mbedtls/tdshim_mbedtls_zeroize.c): volatile word stores, not a byte-loop
 * memset; SHA-512 wipes 720 bytes after every block. */
#define MBEDTLS_PLATFORM_ZEROIZE_ALT

/* Hashes. */
#define MBEDTLS_SHA512_C /* SHA-384 and SHA-512 */
#define MBEDTLS_SHA256_C
#define MBEDTLS_MD_C

/* Public-key verification. */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECDSA_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_OID_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* required by ECDSA_C in 2.28 */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

#include "mbedtls/check_config.h"

#endif /* TDSHIM_MBEDTLS_CONFIG_H */
