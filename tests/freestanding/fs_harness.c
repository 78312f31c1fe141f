/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* The freestanding self-tests' host harness (fs_harness.h). */
#include "fs_harness.h"

#include "tdshim_mbedtls_libc.h"

size_t strlen(const char *s);
void fs_start(void);

/* ---- the two syscalls the self-tests need (host Linux only; not part of any library) ---- */
static long sys3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c)
                         : "rcx", "r11", "memory");
    return ret;
}

void fs_say(const char *s)
{
    (void)sys3(1 /* write */, 1, (long)s, (long)strlen(s));
}

_Noreturn void fs_quit(int code)
{
    for (;;) {
        (void)sys3(231 /* exit_group */, code, 0, 0);
    }
}

/* ---- mbedTLS's heap: the shim's runtime heap over a static arena ---- */
static uint8_t fs_arena[64 * 1024] __attribute__((aligned(16)));
struct rt_heap fs_heap;

void *tdshim_mbedtls_calloc(size_t n, size_t size)
{
    return rt_heap_calloc(&fs_heap, n, size);
}

void tdshim_mbedtls_free(void *p)
{
    if (!rt_heap_free(&fs_heap, p)) {
        fs_say("FAIL mbedTLS freed a pointer the heap did not hand out\n");
        fs_quit(3);
    }
}

int tdshim_mbedtls_snprintf_unused(char *s, size_t n, const char *fmt, ...)
{
    (void)s;
    (void)n;
    (void)fmt;
    return -1;
}
int tdshim_mbedtls_printf_unused(const char *fmt, ...)
{
    (void)fmt;
    return -1;
}
int tdshim_mbedtls_fprintf_unused(void *f, const char *fmt, ...)
{
    (void)f;
    (void)fmt;
    return -1;
}
void tdshim_mbedtls_exit_unused(int code)
{
    fs_quit(100 + code);
}

void fs_start(void)
{
    if (!rt_heap_init(&fs_heap, fs_arena, sizeof fs_arena)) {
        fs_quit(2);
    }
    fs_main();
}

/* Entry: align the stack as the ABI expects at a call, then run. */
__asm__(".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  and $-16, %rsp\n"
        "  call fs_start\n"
        "  hlt\n");
