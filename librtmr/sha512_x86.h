/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Private: the SHA-512 block functions generated at build time from OpenSSL's
 * crypto/sha/asm/sha512-x86_64.pl (Debian's openssl source package; cmake/TdShimOpensslSha.cmake).
 * OpenSSL's names are renamed into ours (sha512_block_data_order -> tdshim_sha512_block_data_order,
 * OPENSSL_ia32cap_P -> tdshim_sha512_ia32cap) so that a firmware's own OpenSSL cannot clash or
 * cross-bind; all are hidden. Each hashes `blocks` (>= 1) consecutive 128-byte blocks at `in`
 * (any alignment) into the chaining value h[8] (FIPS 180-4 6.4.2). blocks == 0 is never passed:
 * the code runs its loop at least once.
 */
#ifndef LIBRTMR_SHA512_X86_H
#define LIBRTMR_SHA512_X86_H

#include <stddef.h>
#include <stdint.h>

#define RTMR_HIDDEN __attribute__((visibility("hidden")))

/* Scalar entry. It first reads tdshim_sha512_ia32cap (OpenSSL's capability vector) and jumps to
 * the XOP/AVX/AVX2 code when it says so; ours is all zero, so it always runs the scalar rounds. */
RTMR_HIDDEN void tdshim_sha512_block_data_order(uint64_t h[8], const void *in, size_t blocks);
RTMR_HIDDEN void tdshim_sha512_block_data_order_avx(uint64_t h[8], const void *in, size_t blocks);
RTMR_HIDDEN void tdshim_sha512_block_data_order_avx2(uint64_t h[8], const void *in, size_t blocks);
RTMR_HIDDEN extern const uint32_t tdshim_sha512_ia32cap[4];

#endif
