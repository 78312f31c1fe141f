/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * mbedtls_platform_zeroize for the freestanding build (MBEDTLS_PLATFORM_ZEROIZE_ALT).
 *
 * mbedTLS (2.28 and 3.6 alike) wipes its 720-byte SHA-512 working state after every 128-byte
 * block. Its default zeroize calls memset through a volatile pointer, and the firmware's memset
 * is a byte loop, so that wipe cost more instructions than the compression itself (measured with
 * 2.28: 28 of 67 instructions per hashed byte). Here the wipe is done with volatile 8-byte
 * stores: still never elided (every store is a volatile access), about eight times fewer stores.
 */
#include <stddef.h>
#include <stdint.h>

#include "mbedtls/platform_util.h"

/* An 8-byte word that may alias any object (GCC's may_alias), so wiping e.g. a byte buffer with
 * word stores is defined. */
typedef uint64_t __attribute__((may_alias)) tdshim_zero_word;

void mbedtls_platform_zeroize(void *buf, size_t len)
{
    if (buf == NULL) {
        return;
    }
    volatile uint8_t *p = buf;
    while (len > 0 && ((uintptr_t)p & (sizeof(tdshim_zero_word) - 1u)) != 0) {
        *p++ = 0;
        len--;
    }
    /* p is 8-byte aligned here (the loop above), so the word pointer is properly aligned. */
    volatile tdshim_zero_word *w = (volatile tdshim_zero_word *)(volatile void *)p;
    for (; len >= sizeof(tdshim_zero_word); len -= sizeof(tdshim_zero_word)) {
        *w++ = 0;
    }
    p = (volatile uint8_t *)w;
    while (len > 0) {
        *p++ = 0;
        len--;
    }
}
