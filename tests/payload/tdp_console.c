/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_console.h"

#include "tdshim/tdvmcall.h"

#define COM1 0x3F8u
#define UART_THR 0u
#define UART_LSR 5u
#define LSR_THRE 0x20u
#define UART_FIFO_DEPTH 16u /* 16550A: FIFO enabled by the shim (FCR 0xC7) */
#define DEBUG_EXIT_PORT 0xF4u

struct tdp_console {
    uint32_t room; /* bytes the transmit FIFO is known to take without another LSR read */
};

static void console_putc(struct tdp_console *c, uint8_t b)
{
    if (c->room == 0) {
        /* THRE with the FIFO on means the FIFO is empty: 16 bytes fit. One LSR read per 16
         * bytes instead of one per byte (every read is a TDVMCALL). Bounded: a missing UART
         * reads 0xFF or fails, and neither may hang the payload. */
        for (uint32_t i = 0; i < 100000u; i++) {
            uint32_t lsr = 0;
            tdvmcall_status vs;
            if (tdvmcall_io_read(COM1 + UART_LSR, 1, &lsr, &vs) != TDS_OK ||
                (lsr & LSR_THRE) != 0) {
                break;
            }
        }
        c->room = UART_FIFO_DEPTH;
    }
    tdvmcall_status vs;
    if (tdvmcall_io_write(COM1 + UART_THR, 1, b, &vs) != TDS_OK) {
        return; /* a console the VMM refuses is dropped, not fatal */
    }
    c->room--;
}

static void console_emit(void *ctx, const char *s, size_t n)
{
    struct tdp_console *c = ctx;
    for (size_t i = 0; i < n; i++) {
        console_putc(c, (uint8_t)s[i]);
    }
    console_putc(c, '\r');
    console_putc(c, '\n');
}

struct tdp_sink tdp_console_sink(void)
{
    static struct tdp_console console; /* the payload's only console state */
    struct tdp_sink s = {.ctx = &console, .emit = console_emit};
    return s;
}

_Noreturn void tdp_console_exit(uint32_t code)
{
    tdvmcall_status vs;
    if (tdvmcall_io_write(DEBUG_EXIT_PORT, 1, code & 0xFFu, &vs) != TDS_OK) {
        /* no debug-exit device: fall through to the halt loop */
    }
    for (;;) {
        if (tdvmcall_hlt(true, &vs) != TDS_OK) {
            __asm__ __volatile__("pause");
        }
    }
}
