/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Convenience: the whole base vocabulary. */
#ifndef TDSHIM_BASE_H
#define TDSHIM_BASE_H

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
