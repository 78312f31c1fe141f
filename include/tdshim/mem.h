/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The memory primitives libraries may use. Hosted builds take them from <string.h>; the
 * freestanding build declares the four standard symbols itself (the firmware that links the
 * libraries provides them, as every C freestanding environment must: C11 5.1.2.1 and GCC's
 * -ffreestanding contract). "Freestanding" is what the compiler says (__STDC_HOSTED__ == 0 under
 * -ffreestanding, C11 6.10.8.1), so a firmware needs no extra define; TDSHIM_FREESTANDING=1 (which
 * the freestanding CMake package and .pc files still pass) forces the same choice.
 */
#ifndef TDSHIM_MEM_H
#define TDSHIM_MEM_H

/*
 * Thread safety: the functions write only the memory they are given; concurrent calls on disjoint
 * memory are safe.
 */

#include <stddef.h>
#include <stdint.h>

#if (defined(TDSHIM_FREESTANDING) || __STDC_HOSTED__ == 0) && !defined(__cplusplus)
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#else
#include <string.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Zeroing the compiler may not elide (secrets, scrubbed shared pages). */
static inline void tds_memzero_explicit(void *p, size_t n)
{
    if (n == 0) {
        return;
    }
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

/* Constant-time equality for digests and MACs: true when the n bytes are equal. */
static inline int tds_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (uint8_t)(acc | (a[i] ^ b[i]));
    }
    return acc == 0;
}

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_MEM_H */
