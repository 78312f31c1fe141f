/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Private pieces of the emulator shared by its files. */
#ifndef TDCALL_EMU_INTERNAL_H
#define TDCALL_EMU_INTERNAL_H

#include "tdshim/tdx_emu.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

void emu_count(uint64_t *c);
void emu_count_n(uint64_t *c, uint64_t n);
/* Atomically take one unit of a fault budget; false when it is empty. */
bool emu_take_budget(uint32_t *budget);
void emu_sha384(const uint8_t *data, size_t len, uint8_t out[48]);
uint64_t emu_shared_bit(const struct tdx_emu *emu);
struct tdx_emu_range *emu_find_range(const struct tdx_emu *emu, uint64_t gpa);
void *emu_map_buffer(const struct tdx_emu *emu, uint64_t gpa, size_t len);

uint64_t emu_accept(struct tdx_emu *emu, struct tdcall_regs *r);
uint64_t emu_page_attr_rd(struct tdx_emu *emu, struct tdcall_regs *r);
uint64_t emu_rtmr_extend(struct tdx_emu *emu, struct tdcall_regs *r);
uint64_t emu_report(struct tdx_emu *emu, struct tdcall_regs *r);
uint64_t emu_verifyreport(struct tdx_emu *emu, struct tdcall_regs *r);
uint64_t emu_metadata(struct tdx_emu *emu, enum tdcall_leaf leaf, uint32_t version,
                      struct tdcall_regs *r);
uint64_t emu_vmcall(struct tdx_emu *emu, uint32_t vcpu, struct tdcall_regs *r);
/* MapGPA on the VMM side: converts pages, writes R10/R11 of the VMM view. */
void emu_map_gpa(struct tdx_emu *emu, const struct tdcall_regs *in, struct tdcall_regs *out);

#pragma GCC visibility pop

#endif
