/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* librtmr: RTMR measurement and the CC event log. Contract: docs/librtmr.md. */
#ifndef TDSHIM_RTMR_H
#define TDSHIM_RTMR_H

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define RTMR_API_VERSION 0u

uint32_t rtmr_api_version(void);

#endif
