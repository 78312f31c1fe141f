/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The measurement hash's SIMD paths in the firmware (docs/librtmr.md, "The firmware"): the shim's
 * own C code stays general-register-only; only librtmr's SHA-512 assembly uses AVX/AVX2, and only
 * after this enabled the AVX state on the BSP as far as the CPU and the TD's XFAM allow.
 */
#ifndef TDSHIM_SHIM_SIMD_H
#define TDSHIM_SHIM_SIMD_H

#include <stdint.h>

/*
 * BSP only, in a TD, before the first hash: if CPUID.1:ECX has XSAVE and AVX and XFAM (from the
 * TDX module's TDREPORT, TDINFO.XFAM) has x87|SSE|AVX (bits 0..2), set CR4.OSXSAVE and XCR0 |= 7
 * (within XFAM), then let librtmr detect its paths (rtmr_sha384_cpu_detect). Otherwise nothing
 * changes and SHA-384 stays on the scalar path. Logs the outcome.
 */
void shim_simd_enable(uint64_t xfam);

/*
 * On an AP about to hash (linux.c: the kernel and initrd hashed while the BSP loads): the same
 * CR4.OSXSAVE and XCR0 bits the BSP set (XCR0 is per logical processor), nothing if the BSP stayed
 * scalar. Call only after shim_simd_enable ran on the BSP and the work reached the AP through the
 * mailbox (whose completion protocol orders the BSP's decision before the AP reads it).
 */
void shim_simd_enable_ap(void);

#endif
