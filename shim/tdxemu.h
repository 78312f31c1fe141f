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
#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "tdshim/status.h"

/* One RAM range of the plain VM (from fw_cfg etc/e820, type 1). */
typedef struct shim_ram_range {
    uint64_t base;
    uint64_t size;
} shim_ram_range;

#define SHIM_EMU_MAX_RAM_RANGES 8u
/* The page-state bytes end here: [0x600000, 0x800000) is the AP stack area (ap.h). With 1 byte
 * per 4 KiB from 0x200000 the emulator covers at most 16 GiB of RAM. */
#define SHIM_EMU_STATE_LIMIT 0x600000ull

/*
 * Describe the VM to the emulator and install it as the tdcall trap handler. ram: the VM's RAM
 * ranges in address order, the first starting at 0 (the TempMem and TD_HOB sections
 * 0x100000-0x81FFFF accepted, everything else pending; 2 MiB leaves where 2 MiB aligned from
 * 0xA00000 up). zero_on_accept: ACCEPT zeroes the page through its identity mapping, as the
 * TDX module does (the caller must have mapped all RAM). TDS_ERR_UNSUPPORTED for a map that does
 * not start at 0, is unsorted, unaligned or has too many ranges; TDS_ERR_NO_SPACE beyond 16 GiB.
 */
TDS_MUST_USE tds_status shim_tdxemu_setup(uint32_t num_vcpus, const shim_ram_range *ram, size_t n,
                                          bool zero_on_accept);

/* TDG.VP.VMCALL<Instruction.IO> calls the emulator has answered so far. */
uint64_t shim_tdxemu_io_calls(void);

/* Snapshot of the emulator's counters. */
struct tdx_emu_counters;
void shim_tdxemu_counters(struct tdx_emu_counters *out);

/* Bytes of [base, base+len) (4 KiB aligned) the emulator does not hold as accepted. */
TDS_MUST_USE tds_status shim_tdxemu_count_pending(uint64_t base, uint64_t len, uint64_t *pending);

/*
 * Test image (with libvirtio-shared): the shared-alias check of docs/shim.md. A one-page
 * libvirtio-shared pool at `page` (private, accepted, identity-mapped, unused) is converted to
 * shared through the shim's page-table op (PTE = gpa | shared bit, same VA, TLB flushed) and
 * MapGPA answered by the emulator; a pattern is written through the shared mapping and read back
 * through a second, private mapping of the same GPA at SHIM_ALIAS_PRIVATE_VA. With the harness's
 * alias (guest RAM in a shared file, mapped again by a pc-dimm at the shared bit) both read the
 * same bytes; without it they differ. Logs the result; *same says which. Then the pool is
 * released (back to private, accepted, scrubbed).
 */
#define SHIM_ALIAS_PRIVATE_VA 0x7F0000000000ull
TDS_MUST_USE tds_status shim_tdxemu_shared_alias_test(uint64_t page, bool *same);

/* True once shim_tdxemu_setup succeeded. */
bool shim_tdxemu_active(void);

/* The emulator itself (NULL before shim_tdxemu_setup): the #VE tests (shim/ve.c) arm a pending
 * #VE and observe its VMM side through libtdcall's tdx_emu_* API. */
struct tdx_emu;
struct tdx_emu *shim_tdxemu_instance(void);

#endif
