/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The test image's own code (tests/fw, docs/shim.md "The test image"): the TDX-module emulator
 * behind #UD, the test commands and fw_cfg knobs, and the harness's TD start (td_entry.nasm).
 * None of it is in the production image: the test image is the production objects plus these,
 * joined at link time (--wrap of shim_trap, shim_handoff and shim_accept_run, --defsym of the
 * 16-bit reset target).
 */
#ifndef TDSHIM_TESTS_FW_TEST_H
#define TDSHIM_TESTS_FW_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "arch/cpu.h"
#include "tdshim/status.h"

struct tdx_emu;
struct tdx_emu_counters;

/* isa-debug-exit (QEMU -device isa-debug-exit,iobase=0xf4,iosize=0x04): status = v * 2 + 1. */
#define TDTEST_EXIT_OK 0x10u    /* QEMU exit status 33 */
#define TDTEST_EXIT_FATAL 0x11u /* QEMU exit status 35 */
TDS_NORETURN void tdtest_exit(uint32_t v);

/* A line straight to COM1 (port I/O: the emulated VMM's side, never a tdcall). */
void tdtest_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fw_cfg as the emulated VMM reads it (port I/O, no DMA). */
struct shim_fwcfg;
struct shim_fwcfg *tdtest_fwcfg(void);

/* fw_cfg file `name` as a NUL-terminated string in buf[0..cap): TDS_ERR_NOT_FOUND without it,
 * TDS_ERR_NO_SPACE if it does not fit (never cut). One trailing newline is dropped. */
TDS_MUST_USE tds_status tdtest_knob(const char *name, char *buf, size_t cap);

/* Same string? */
bool tdtest_str_eq(const char *a, const char *b);

/* ---- the emulator (fw_emu.c) ---- */

/* The emulator's page-state bytes: one per 4 KiB of RAM from here (TempMem above the shim's RAM
 * image, which the harness's HOB reports reserved: test-vmm-hob.args), so at most 12 GiB of RAM. */
#define TDTEST_EMU_STATE ((uint64_t)SHIM_ABI_RAM_LIMIT)
#define TDTEST_EMU_STATE_END ((uint64_t)SHIM_ABI_AP_AREA)
#define TDTEST_EMU_MAX_RAM_RANGES 8u

/* The emulator, set up on first use (NULL never: a setup failure is fatal). */
struct tdx_emu *tdtest_emu(void);
uint64_t tdtest_emu_io_calls(void);
void tdtest_emu_counters(struct tdx_emu_counters *out);
TDS_MUST_USE tds_status tdtest_emu_count_pending(uint64_t base, uint64_t len, uint64_t *pending);

/* The harness's shared alias (fw_emu.c, run-qemu.sh): slot of its ivshmem device, where it maps
 * the first MiB of guest RAM again (the shared bit with GPAW 48). */
#define TDTEST_ALIAS_SLOT 0x10u
#define TDTEST_ALIAS_GPA ((uint64_t)1 << 47)
#define TDTEST_ALIAS_SIZE ((uint64_t)0x100000)

/* The shared-alias check (docs/shim.md): see fw_hooks.c. */
#define TDTEST_ALIAS_PRIVATE_VA 0x7F0000000000ull
TDS_MUST_USE tds_status tdtest_shared_alias_test(uint64_t page, bool *same);

/*
 * ---- The link-time interposition (ld --wrap=SYMBOL): calls from other objects to SYMBOL reach
 * __wrap_SYMBOL, which reaches the production one as __real_SYMBOL. The names are ld's.
 */
struct shim_handoff_in;
struct shim_accept_report;
struct mbox_fw;
/* NOLINTBEGIN(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp): ld --wrap's names */
void __real_shim_trap(shim_exc_frame *f);
void __wrap_shim_trap(shim_exc_frame *f);
tds_status __real_shim_accept_run(struct mbox_fw *fw, uint32_t cpus, uint64_t limit,
                                  struct shim_accept_report *rep);
tds_status __wrap_shim_accept_run(struct mbox_fw *fw, uint32_t cpus, uint64_t limit,
                                  struct shim_accept_report *rep);
void __real_shim_handoff(const struct shim_handoff_in *in);
void __wrap_shim_handoff(const struct shim_handoff_in *in);
TDS_NORETURN void __real_shim_enter_linux(uint64_t entry, uint64_t boot_params,
                                          const void *gdt_desc);
TDS_NORETURN void __wrap_shim_enter_linux(uint64_t entry, uint64_t boot_params,
                                          const void *gdt_desc);
/* NOLINTEND(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */

/* ---- the emulated VMM's fw_cfg (fw_vmm.c) ---- */

/* Read opt/tdshim/vmm-fwcfg (from emu_setup, before the shim uses fw_cfg). */
void tdtest_vmm_setup(void);
/* A fw_cfg port access the TD made through TDG.VP.VMCALL<IO>: performed (with the checks and lies
 * of fw_vmm.c) and true, or false when `port` is not fw_cfg's. */
bool tdtest_vmm_io(uint16_t port, uint32_t size, bool write, uint64_t *value);

/* ---- test commands ---- */

/* `ve-*` commands (fw_ve.c): arm the emulator's pending #VE, then `int $20` right before the
 * real instruction. false: not a ve-* command. */
bool tdtest_ve_command(const char *cmd);

/* From td_entry.nasm (in the BFV, above 2 GiB: reached through CPU_SYMBOL_ADDR): the VM's vCPU
 * count (u32 tdtest_cpus) and each vCPU index's x2APIC ID (u32 tdtest_apic_ids[256]). */
#define TDTEST_APIC_SLOTS 256u
uint32_t tdtest_vcpus(void);

#endif
