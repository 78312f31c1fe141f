/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libaccept: the page-accept engine. Contract: docs/libaccept.md. */
#ifndef TDSHIM_ACCEPT_H
#define TDSHIM_ACCEPT_H

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define ACCEPT_API_VERSION 0u

uint32_t accept_api_version(void);

#endif
