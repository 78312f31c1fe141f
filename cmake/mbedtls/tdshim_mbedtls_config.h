/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The project's bare-metal mbedTLS 3.6 LTS configuration (MBEDTLS_CONFIG_FILE of the freestanding
 * build only; hosted builds use Debian's libmbedtls as it is configured). Verify-only: SHA-384
 * (and SHA-256), big numbers, P-384 ECDSA, RSA PKCS#1 v1.5 and PSS, public-key parsing. No PSA
 * Crypto (the legacy API is all the firmware calls), no RNG, no file system, no time, no threads.
 * mbedTLS's build_info.h adds the implied options and runs check_config.h after this file.
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
 * memset; SHA-512 wipes its working state after every block. */
#define MBEDTLS_PLATFORM_ZEROIZE_ALT

/* Hashes. mbedTLS 3 splits SHA-384 from SHA-512: both are needed (is384 = 1 and 0). */
#define MBEDTLS_SHA512_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_MD_C

/* Public-key verification. */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
/* No precomputed P-384 comb table: 3.6 would add it as 4.8 KiB of static rodata and data; a
 * verify computes what it needs on the heap instead (one verify per boot, see docs/build.md). */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_ECDSA_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_OID_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* required by ECDSA_C */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

#endif /* TDSHIM_MBEDTLS_CONFIG_H */
