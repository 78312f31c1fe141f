/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libtdcall: TDCALL and GHCI TDG.VP.VMCALL wrappers, and the TDX-module emulator. Contract:
 * docs/libtdcall.md. */
#ifndef TDSHIM_TDCALL_H
#define TDSHIM_TDCALL_H

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define TDCALL_API_VERSION 0u

uint32_t tdcall_api_version(void);

#endif
