/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test image's TDX module: libtdcall's emulator (tdx_emu) behind the #UD trap, so the shim's
 * real `tdcall` instructions run under QEMU TCG (design.md "TDCALL seam and the TDX-module
 * emulator"). Built only when libtdcall provides tdcall_emu; used only in the plain-VM entry.
 * The emulator plays both the module and the VMM: its GHCI hooks do the real port I/O, CPUID
 * and MSR accesses of this plain VM, and ReportFatalError ends the run with the fatal status.
 */
#ifndef TDSHIM_SHIM_TDXEMU_H
#define TDSHIM_SHIM_TDXEMU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "tdshim/status.h"

/*
 * Describe the VM to the emulator (vCPU count, RAM below 4 GiB: the TempMem and TD_HOB sections
 * accepted, everything else pending) and install it as the tdcall trap handler.
 */
TDS_MUST_USE tds_status shim_tdxemu_setup(uint32_t num_vcpus, uint64_t low_ram_size);

/* TDG.VP.VMCALL<Instruction.IO> calls the emulator has answered so far. */
uint64_t shim_tdxemu_io_calls(void);

/* Snapshot of the emulator's counters. */
struct tdx_emu_counters;
void shim_tdxemu_counters(struct tdx_emu_counters *out);

/* Bytes of [base, base+len) (4 KiB aligned) the emulator does not hold as accepted. */
TDS_MUST_USE tds_status shim_tdxemu_count_pending(uint64_t base, uint64_t len, uint64_t *pending);

/* True once shim_tdxemu_setup succeeded. */
bool shim_tdxemu_active(void);

/* The emulator itself (NULL before shim_tdxemu_setup): the #VE tests (shim/ve.c) arm a pending
 * #VE and observe its VMM side through libtdcall's tdx_emu_* API. */
struct tdx_emu;
struct tdx_emu *shim_tdxemu_instance(void);

#endif
