/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Byte offsets of struct tdcall_regs (tdshim/tdcall.h), shared by C and assembly: the only
 * place these numbers are written. tdcall.h asserts every one against offsetof(), and
 * libtdcall/tdcall_hw.S includes this file, so the two cannot drift apart. Assembly-safe:
 * plain #defines only.
 */
#ifndef TDSHIM_TDCALL_REGS_OFFSETS_H
#define TDSHIM_TDCALL_REGS_OFFSETS_H

/*
 * Thread safety: constants only.
 */

#define TDCALL_REGS_RAX 0
#define TDCALL_REGS_RCX 8
#define TDCALL_REGS_RDX 16
#define TDCALL_REGS_RBX 24
#define TDCALL_REGS_RSI 32
#define TDCALL_REGS_RDI 40
#define TDCALL_REGS_R8 48
#define TDCALL_REGS_R9 56
#define TDCALL_REGS_R10 64
#define TDCALL_REGS_R11 72
#define TDCALL_REGS_R12 80
#define TDCALL_REGS_R13 88
#define TDCALL_REGS_R14 96
#define TDCALL_REGS_R15 104
#define TDCALL_REGS_SIZE 112

#endif /* TDSHIM_TDCALL_REGS_OFFSETS_H */
