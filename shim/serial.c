/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* COM1 16550 UART and the line logger (log.h). */
#include "log.h"
#include "pio.h"

#define COM1 0x3F8u
#define UART_THR 0u
#define UART_IER 1u
#define UART_FCR 2u
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define LSR_THRE 0x20u

/* In a TD, port I/O would raise #VE: the console then goes through TDG.VP.VMCALL<IO>. */
static shim_pio shim_serial_mode = SHIM_PIO_DIRECT;

void shim_serial_use_tdvmcall(void)
{
    shim_serial_mode = SHIM_PIO_TDVMCALL;
}

static void port_out(uint16_t port, uint8_t v)
{
    /* A console the VMM refuses is not worth a fatal error: the byte is dropped. */
    if (shim_pio_out(shim_serial_mode, port, 1, v) != TDS_OK) {
        return;
    }
}

static uint8_t port_in(uint16_t port)
{
    uint32_t v = 0xFF;
    return shim_pio_in(shim_serial_mode, port, 1, &v) == TDS_OK ? (uint8_t)v : 0xFF;
}

void shim_serial_init(void)
{
    port_out(COM1 + UART_IER, 0x00); /* no interrupts */
    port_out(COM1 + UART_LCR, 0x80); /* DLAB */
    port_out(COM1 + 0, 0x01);        /* divisor 1: 115200 baud */
    port_out(COM1 + 1, 0x00);
    port_out(COM1 + UART_LCR, 0x03); /* 8N1 */
    port_out(COM1 + UART_FCR, 0xC7); /* FIFO on, cleared */
    port_out(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void serial_putc(char c)
{
    /* Bounded wait: a missing UART must not hang the shim (reads 0xFF then). */
    for (unsigned i = 0; i < 100000u; i++) {
        if ((port_in(COM1 + UART_LSR) & LSR_THRE) != 0) {
            break;
        }
    }
    port_out(COM1 + UART_THR, (uint8_t)c);
}

void shim_serial_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            serial_putc('\r');
        }
        serial_putc(s[i]);
    }
}

void shim_log(const char *fmt, ...)
{
    char line[SHIM_LOG_LINE];
    va_list ap;
    va_start(ap, fmt);
    size_t n = shim_vformat(line, sizeof line, fmt, ap);
    va_end(ap);
    shim_serial_write(line, n);
    shim_serial_write("\n", 1);
}
