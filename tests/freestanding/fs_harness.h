/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The freestanding self-tests' host harness (fs_harness.c): a static x86-64 Linux executable with
 * no libc, its own _start and two raw syscalls, and mbedTLS's heap hooks over the shim's runtime
 * heap (shim/rt/heap.h) on a static arena. Host-only test code, never in any library or image.
 */
#ifndef TDSHIM_FS_HARNESS_H
#define TDSHIM_FS_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "rt/heap.h"

/* The heap behind tdshim_mbedtls_calloc/free, initialised before fs_main runs. */
extern struct rt_heap fs_heap;

/* Write a NUL-terminated string to stdout. */
void fs_say(const char *s);
/* Exit the process with `code` (exit_group). */
_Noreturn void fs_quit(int code);

/* Provided by each self-test: runs its checks and calls fs_quit. */
_Noreturn void fs_main(void);

#endif
