/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The C memory and string primitives a freestanding environment must provide (C11 5.1.2.1; GCC
 * emits calls to memcpy/memmove/memset/memcmp even with -ffreestanding). Byte loops, no SSE.
 * Hosted builds use libc's; this file is only linked into firmware images and freestanding tests.
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/*
 * memcpy/memmove/memset use the string instructions (8-byte forms for long aligned runs): fast on
 * every CPU with ERMSB (and under QEMU TCG), no SSE, and immune to the compiler turning a byte loop
 * back into a call to itself. The direction flag is clear on entry (SysV ABI) and restored to clear
 * by memmove.
 */
/* Below this many bytes the 8-byte forms are not worth the alignment step. */
#define RT_QWORD_MIN 64u

void *memcpy(void *dst, const void *src, size_t n)
{
    void *d = dst;
    /* Same alignment mod 8 and long enough: bytes up to an 8-byte boundary, then quadwords, then
     * the tail. TCG runs each string-instruction iteration separately, so 8-byte steps make bulk
     * copies and fills about 8x faster there (docs/shim.md "zero on accept"). */
    if (n >= RT_QWORD_MIN && (((uintptr_t)d ^ (uintptr_t)src) & 7u) == 0) {
        size_t head = (8u - ((uintptr_t)d & 7u)) & 7u;
        size_t q = (n - head) / 8u;
        size_t tail = (n - head) % 8u;
        __asm__ __volatile__("rep movsb" : "+D"(d), "+S"(src), "+c"(head) : : "memory");
        __asm__ __volatile__("rep movsq" : "+D"(d), "+S"(src), "+c"(q) : : "memory");
        n = tail;
    }
    __asm__ __volatile__("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    if ((uintptr_t)dst <= (uintptr_t)src || (uintptr_t)dst - (uintptr_t)src >= n) {
        return memcpy(dst, src, n);
    }
    if (n == 0) {
        return dst;
    }
    /* Overlap with dst above src: copy backwards from the last byte. */
    uint8_t *d = (uint8_t *)dst + (n - 1);
    const uint8_t *s = (const uint8_t *)src + (n - 1);
    __asm__ __volatile__("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    void *d = dst;
    const uint64_t pattern = (uint64_t)(uint8_t)c * 0x0101010101010101ull;
    if (n >= RT_QWORD_MIN) {
        size_t head = (8u - ((uintptr_t)d & 7u)) & 7u;
        size_t q = (n - head) / 8u;
        size_t tail = (n - head) % 8u;
        __asm__ __volatile__("rep stosb" : "+D"(d), "+c"(head) : "a"(pattern) : "memory");
        __asm__ __volatile__("rep stosq" : "+D"(d), "+c"(q) : "a"(pattern) : "memory");
        n = tail;
    }
    __asm__ __volatile__("rep stosb" : "+D"(d), "+c"(n) : "a"(pattern) : "memory");
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a;
    const uint8_t *y = b;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i]) {
            return (int)x[i] - (int)y[i];
        }
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

int strcmp(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] != '\0' && a[i] == b[i]) {
        i++;
    }
    return (int)(unsigned char)a[i] - (int)(unsigned char)b[i];
}
