/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Convenience: the whole base vocabulary. */
#ifndef TDSHIM_BASE_H
#define TDSHIM_BASE_H

/*
 * Thread safety: the base vocabulary (status.h, checked.h, slice.h, cursor.h, endian.h, guid.h,
 * mem.h, compiler.h) is header-only and keeps no state; each of those headers says what may run
 * concurrently.
 */

#include "tdshim/checked.h"
#include "tdshim/compiler.h"
#include "tdshim/cursor.h"
#include "tdshim/endian.h"
#include "tdshim/guid.h"
#include "tdshim/mem.h"
#include "tdshim/slice.h"
#include "tdshim/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_BASE_H */
