/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Private: the only memory-ordering primitives libmailbox uses. GCC/Clang __atomic builtins on
 * naturally aligned 2/4/8-byte objects are lock-free and inline on x86-64 (no libatomic call),
 * so they are freestanding-safe. On x86 (TSO) acquire loads and release stores compile to plain
 * MOVs plus a compiler barrier; the barriers still matter for the compiler and for ThreadSanitizer.
 */
#ifndef LIBMAILBOX_MBOX_ATOMIC_H
#define LIBMAILBOX_MBOX_ATOMIC_H

#include <stdint.h>

#define MBOX_LOAD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define MBOX_LOAD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define MBOX_STORE_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define MBOX_STORE_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

#endif
