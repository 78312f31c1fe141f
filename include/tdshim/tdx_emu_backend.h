/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Hosted test support (target tdcall_emu_backend, not built freestanding): defines tdcall_raw()
 * by dispatching to an installed emulator, so any library's host tests can link
 * `tdcall tdcall_emu_backend` and run their wrappers against struct tdx_emu. See
 * docs/libtdcall.md, "Testing against the emulator".
 */
#ifndef TDSHIM_TDX_EMU_BACKEND_H
#define TDSHIM_TDX_EMU_BACKEND_H

/*
 * Thread safety: tdcall_raw() may be called from any number of threads at once (the emulator is
 * thread-safe, tdshim/tdx_emu.h); each thread presents its own vCPU index (thread-local). Install
 * or remove the emulator while no thread is in tdcall_raw().
 */

#include "tdshim/tdx_emu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Install (or with NULL, remove) the emulator every thread's tdcall_raw() dispatches to.
 * The emulator must outlive every call. With none installed tdcall_raw() returns
 * TDX_OPERAND_INVALID without touching anything else. */
void tdx_emu_backend_install(struct tdx_emu *emu);

/* The vCPU index the calling thread presents to the emulator (thread-local; default 0). */
void tdx_emu_backend_set_vcpu(uint32_t vcpu_index);
uint32_t tdx_emu_backend_vcpu(void);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDX_EMU_BACKEND_H */
