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
#define UART_IIR 2u /* the read side of FCR */
#define LSR_THRE 0x20u
#define IIR_FIFO_ENABLED 0xC0u /* bits 7:6 both set: a 16550A with its FIFO on */
#define UART_FIFO_DEPTH 16u

/*
 * Bytes that may be written to THR after one LSR read that showed THRE: with the FIFO on, THRE
 * means the whole 16-byte transmit FIFO is empty (16550A data sheet, LSR bit 5), so a burst of 16
 * needs one status read instead of 16. Every console byte is a VM exit in a TD (TDVMCALL<IO>), so
 * this halves them. Written once by shim_serial_init on the BSP before any other vCPU runs; 1 when
 * the UART has no working FIFO (an 8250 or 16450 reads IIR bits 7:6 as 0).
 */
static uint32_t shim_serial_burst = 1;

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
    shim_serial_burst =
        (port_in(COM1 + UART_IIR) & IIR_FIFO_ENABLED) == IIR_FIFO_ENABLED ? UART_FIFO_DEPTH : 1u;
}

/* Bounded wait for THRE: a missing UART must not hang the shim (it reads 0xFF: "empty"). */
static void wait_thre(void)
{
    for (unsigned i = 0; i < 100000u; i++) {
        if ((port_in(COM1 + UART_LSR) & LSR_THRE) != 0) {
            break;
        }
    }
}

/*
 * `room`: bytes the transmit FIFO still takes without another status read, carried across the
 * bytes of one write. Per call, not global: vCPUs that write at once (only fatal paths do) each
 * count their own burst, and at worst the UART drops bytes of the interleaved output.
 */
static void serial_putc(char c, uint32_t *room)
{
    if (*room == 0) {
        wait_thre();
        *room = shim_serial_burst;
    }
    port_out(COM1 + UART_THR, (uint8_t)c);
    (*room)--;
}

void shim_serial_write(const char *s, size_t n)
{
    uint32_t room = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') {
            serial_putc('\r', &room);
        }
        serial_putc(s[i], &room);
    }
}

void shim_log(const char *fmt, ...)
{
    char line[SHIM_LOG_LINE + 1]; /* + the newline, written with the line in one burst */
    va_list ap;
    va_start(ap, fmt);
    size_t n = shim_vformat(line, SHIM_LOG_LINE, fmt, ap);
    va_end(ap);
    if (n > SHIM_LOG_LINE - 1u) {
        n = SHIM_LOG_LINE - 1u; /* shim_vformat returns at most cap - 1 */
    }
    line[n] = '\n';
    shim_serial_write(line, n + 1u);
}
