/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* COM1 16550 UART and the line logger (log.h). */
#include "arch/cpu.h"
#include "log.h"

#define COM1 0x3F8u
#define UART_THR 0u
#define UART_IER 1u
#define UART_FCR 2u
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define LSR_THRE 0x20u

void shim_serial_init(void)
{
    cpu_outb(COM1 + UART_IER, 0x00); /* no interrupts */
    cpu_outb(COM1 + UART_LCR, 0x80); /* DLAB */
    cpu_outb(COM1 + 0, 0x01);        /* divisor 1: 115200 baud */
    cpu_outb(COM1 + 1, 0x00);
    cpu_outb(COM1 + UART_LCR, 0x03); /* 8N1 */
    cpu_outb(COM1 + UART_FCR, 0xC7); /* FIFO on, cleared */
    cpu_outb(COM1 + UART_MCR, 0x03); /* DTR, RTS */
}

static void serial_putc(char c)
{
    /* Bounded wait: a missing UART must not hang the shim (reads 0xFF then). */
    for (unsigned i = 0; i < 100000u; i++) {
        if ((cpu_inb(COM1 + UART_LSR) & LSR_THRE) != 0) {
            break;
        }
    }
    cpu_outb(COM1 + UART_THR, (uint8_t)c);
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
