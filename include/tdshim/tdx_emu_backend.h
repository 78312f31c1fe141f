/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Hosted test support (target tdcall_emu_backend, CMake TdShim::tdcall_emu_backend, pkg-config
 * tdshim-tdcall_emu_backend; not built freestanding): defines tdcall_raw() by dispatching to an
 * installed emulator, so a host test links `tdcall tdcall_emu_backend` and runs the libraries'
 * wrappers against struct tdx_emu without a tdcall_raw() of its own. See docs/libtdcall.md,
 * "Testing against the emulator".
 *
 * Thread safety: the installed emulator is one process-wide pointer, read and written
 * atomically; the vCPU index is thread-local, so every thread presents its own index and the
 * calls below never race with each other. Concurrent tdcall_raw() calls on one emulator are as
 * safe as tdx_emu_dispatch() (docs/libtdcall.md, "The emulator").
 */
#ifndef TDSHIM_TDX_EMU_BACKEND_H
#define TDSHIM_TDX_EMU_BACKEND_H

#include "tdshim/tdx_emu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Install (or with NULL, remove) the emulator every thread's tdcall_raw() dispatches to.
 * The emulator must outlive every call. With none installed tdcall_raw() returns
 * TDX_OPERAND_INVALID without touching anything else. Thread-safe (an atomic store with release
 * order; a call already dispatched finishes on the emulator it started with). */
void tdx_emu_backend_install(struct tdx_emu *emu);

/* Set the vCPU index the calling thread presents to the emulator from now on: thread-local
 * storage, so it changes nothing for other threads; a new thread starts at 0. An index the
 * emulator does not have (>= its num_vcpus) is not refused here: the emulator answers that
 * thread's every TDCALL with TDX_VCPU_STATE_INCORRECT. Thread-safe. */
void tdx_emu_backend_set_vcpu(uint32_t vcpu_index);

/* The calling thread's vCPU index (0 unless this thread set another). Thread-safe. */
uint32_t tdx_emu_backend_vcpu(void);

#ifdef __cplusplus
}
#endif

#endif /* TDSHIM_TDX_EMU_BACKEND_H */
