/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* COM1 16550 UART and the line logger (log.h). */
#include "arch/cpu.h"
#include "log.h"
#include "tdshim/tdvmcall.h"

#define COM1 0x3F8u
#define UART_THR 0u
#define UART_IER 1u
#define UART_FCR 2u
#define UART_LCR 3u
#define UART_MCR 4u
#define UART_LSR 5u
#define LSR_THRE 0x20u

/* In a TD, port I/O would raise #VE: the console then goes through TDG.VP.VMCALL<IO>. */
static bool shim_serial_vmcall;

void shim_serial_use_tdvmcall(void)
{
    shim_serial_vmcall = true;
}

static void port_out(uint16_t port, uint8_t v)
{
    if (shim_serial_vmcall) {
        tdvmcall_status vs;
        if (tdvmcall_io_write(port, 1, v, &vs) != TDS_OK) {
            return; /* a console the VMM refuses is not worth a fatal error: byte dropped */
        }
        return;
    }
    cpu_outb(port, v);
}

static uint8_t port_in(uint16_t port)
{
    if (shim_serial_vmcall) {
        tdvmcall_status vs;
        uint32_t v = 0xFF;
        if (tdvmcall_io_read(port, 1, &v, &vs) != TDS_OK) {
            return 0xFF;
        }
        return (uint8_t)v;
    }
    return cpu_inb(port);
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
