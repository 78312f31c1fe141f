/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libtdhob: TD HOB validator and payload HOB builder. Contract: docs/libtdhob.md. */
#ifndef TDSHIM_TDHOB_H
#define TDSHIM_TDHOB_H

#include "tdshim/base.h"

/* Library interface version; bumped on any incompatible change. */
#define TDHOB_API_VERSION 0u

uint32_t tdhob_api_version(void);

#endif
