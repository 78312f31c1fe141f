/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The default SHA-384 backend, alone in this object so that a firmware can replace it at link
 * time: define rtmr_hash_default() in your own object and this one (with the built-in code it
 * pulls in) is not taken from the archive (docs/librtmr.md, "Plugging in your own SHA-384").
 */
#include "tdshim/rtmr.h"

const rtmr_hash_ops *rtmr_hash_default(void)
{
    return rtmr_hash_builtin(RTMR_SHA384_IMPL_AUTO);
}
