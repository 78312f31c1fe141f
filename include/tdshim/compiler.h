/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Compiler vocabulary shared by every library: must-use results, noreturn, layout locks.
 * Freestanding-safe: includes only <stddef.h>.
 */
#ifndef TDSHIM_COMPILER_H
#define TDSHIM_COMPILER_H

/*
 * Thread safety: macros only, no state.
 */

#include <stddef.h>

/* A result the caller MUST look at: ignoring it is a compiler warning (an error with -Werror). */
#define TDS_MUST_USE __attribute__((warn_unused_result))
#ifdef __cplusplus
#define TDS_NORETURN [[noreturn]]
#else
#define TDS_NORETURN _Noreturn
#endif
#define TDS_UNUSED __attribute__((unused))
#define TDS_ALIGNED(n) __attribute__((aligned(n)))
#define TDS_PACKED __attribute__((packed))
#define TDS_LIKELY(x) __builtin_expect(!!(x), 1)
#define TDS_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Number of elements of a true array (fails to compile on a pointer). */
#ifdef __cplusplus
template <typename T, size_t N> char (&tds_array_len_helper_(T (&)[N]))[N];
#define TDS_ARRAY_LEN(a) (sizeof(tds_array_len_helper_(a)))
#else
#define TDS_ARRAY_LEN(a)                                                                           \
    (sizeof(a) / sizeof((a)[0]) +                                                                  \
     0 * sizeof(struct {                                                                           \
         int not_an_array : __builtin_types_compatible_p(__typeof__(a), __typeof__(&(a)[0])) ? -1  \
                                                                                             : 1;  \
     }))
#endif

/*
 * Layout locks: one definition per wire or ABI layout, its size, offsets and alignment asserted
 * at compile time next to it. C11 _Static_assert, C++11 static_assert.
 */
#ifdef __cplusplus
#define TDS_STATIC_ASSERT_ static_assert
#define TDS_ALIGNOF_ alignof
#else
#define TDS_STATIC_ASSERT_ _Static_assert
#define TDS_ALIGNOF_ _Alignof
#endif
#define TDS_STATIC_ASSERT(cond, msg) TDS_STATIC_ASSERT_(cond, msg)
#define TDS_ASSERT_SIZE(type, size)                                                                \
    TDS_STATIC_ASSERT_(sizeof(type) == (size), "size of " #type " must be " #size)
#define TDS_ASSERT_OFFSET(type, field, off)                                                        \
    TDS_STATIC_ASSERT_(offsetof(type, field) == (off),                                             \
                       "offset of " #type "." #field " must be " #off)
#define TDS_ASSERT_ALIGN(type, al)                                                                 \
    TDS_STATIC_ASSERT_(TDS_ALIGNOF_(type) == (al), "alignment of " #type " must be " #al)

#endif /* TDSHIM_COMPILER_H */
