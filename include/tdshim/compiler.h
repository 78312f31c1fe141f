/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Compiler vocabulary shared by every library: must-use results, noreturn, layout locks.
 * Freestanding-safe: includes only <stddef.h>.
 */
#ifndef TDSHIM_COMPILER_H
#define TDSHIM_COMPILER_H

#include <stddef.h>

/* A result the caller MUST look at (habit 1). */
#define TDS_MUST_USE __attribute__((warn_unused_result))
#define TDS_NORETURN _Noreturn
#define TDS_UNUSED __attribute__((unused))
#define TDS_ALIGNED(n) __attribute__((aligned(n)))
#define TDS_PACKED __attribute__((packed))
#define TDS_LIKELY(x) __builtin_expect(!!(x), 1)
#define TDS_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Number of elements of a true array (fails to compile on a pointer). */
#define TDS_ARRAY_LEN(a)                                                                           \
    (sizeof(a) / sizeof((a)[0]) +                                                                  \
     0 * sizeof(struct {                                                                           \
         int not_an_array : __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])) ? -1  \
                                                                                             : 1;  \
     }))

/* Layout locks (habit 6): one definition per layout, its size and offsets asserted. */
#define TDS_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define TDS_ASSERT_SIZE(type, size)                                                                \
    _Static_assert(sizeof(type) == (size), "size of " #type " must be " #size)
#define TDS_ASSERT_OFFSET(type, field, off)                                                        \
    _Static_assert(offsetof(type, field) == (off), "offset of " #type "." #field " must be " #off)
#define TDS_ASSERT_ALIGN(type, al)                                                                 \
    _Static_assert(_Alignof(type) == (al), "alignment of " #type " must be " #al)

#endif /* TDSHIM_COMPILER_H */
