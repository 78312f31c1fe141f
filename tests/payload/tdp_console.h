/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The payload's console and exit (firmware only): COM1 through TDG.VP.VMCALL<Instruction.IO>,
 * answered by the shim's TDX-module emulator in the test image and by the VMM in a TD (direct
 * port I/O would raise #VE in a TD). Exit through isa-debug-exit (port 0xf4, docs/handoff.md §8).
 */
#ifndef TDP_CONSOLE_H
#define TDP_CONSOLE_H

#include <stdint.h>

#include "tdp_line.h"

#define TDP_EXIT_PASS 0x20u /* QEMU exit status 65 */
#define TDP_EXIT_FAIL 0x21u /* QEMU exit status 67 */

/* The sink that writes lines to COM1 (the shim already programmed the UART). */
struct tdp_sink tdp_console_sink(void);

/* Write `code` to the debug-exit port; if the VMM has no such device (a real TD), halt forever
 * through TDVMCALL<HLT> (a bare HLT would raise #VE). */
_Noreturn void tdp_console_exit(uint32_t code);

#endif /* TDP_CONSOLE_H */
