/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The shim's console (shim/serial.c) against a model of a 16550-family UART on COM1: one LSR
 * status read per 16-byte burst when the FIFO is on, one per byte without a FIFO, never a byte
 * written into a full transmit FIFO, every byte in order, and bounded waits when the UART is
 * missing, stuck or the VMM refuses the port I/O.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "pio.h"

#define COM1 0x3F8u

/* The model: a transmit FIFO of `depth` bytes that empties after `drain_polls` LSR reads. */
typedef struct uart_model {
    uint32_t depth;       /* 16 for a 16550A with its FIFO on, 1 for an 8250/16450 */
    uint8_t iir;          /* what IIR reads (0xC1: FIFO enabled, 0x01: none) */
    uint32_t drain_polls; /* LSR reads that see the FIFO still busy before it is empty */
    bool missing;         /* nothing at COM1: every read gives 0xFF */
    bool refuse_in;       /* the VMM answers every IN with an error */
    uint32_t queued;      /* bytes in the FIFO now */
    uint32_t busy_left;   /* LSR reads left before the FIFO drains */
    uint8_t lcr;          /* bit 7 (DLAB): COM1+0 is the divisor latch, not THR */
    uint32_t lsr_reads;
    uint32_t overruns; /* bytes written into a full FIFO */
    char wire[1024];   /* bytes transmitted, in order */
    size_t wire_len;
} uart_model;

static uart_model m;

static void model_reset(uint32_t depth, uint8_t iir, uint32_t drain_polls)
{
    memset(&m, 0, sizeof m);
    m.depth = depth;
    m.iir = iir;
    m.drain_polls = drain_polls;
}

tds_status shim_pio_out(shim_pio mode, uint16_t port, uint32_t size, uint32_t v)
{
    (void)mode;
    assert_int_equal(size, 1);
    if (m.missing) {
        return TDS_OK;
    }
    if (port == COM1 + 3u) {
        m.lcr = (uint8_t)v;
    }
    if (port != COM1 || (m.lcr & 0x80u) != 0) {
        return TDS_OK; /* the other set-up registers: not modelled */
    }
    if (m.queued >= m.depth) {
        m.overruns++;
        return TDS_OK;
    }
    if (m.queued == 0) {
        m.busy_left = m.drain_polls;
    }
    m.queued++;
    assert_true(m.wire_len < sizeof m.wire);
    m.wire[m.wire_len++] = (char)v;
    return TDS_OK;
}

tds_status shim_pio_in(shim_pio mode, uint16_t port, uint32_t size, uint32_t *v)
{
    (void)mode;
    assert_int_equal(size, 1);
    if (m.refuse_in) {
        *v = 0;
        return TDS_ERR_DEVICE;
    }
    if (m.missing) {
        *v = 0xFF;
        return TDS_OK;
    }
    if (port == COM1 + 2u) {
        *v = m.iir;
        return TDS_OK;
    }
    assert_int_equal(port, COM1 + 5u); /* LSR: the only other register the console reads */
    m.lsr_reads++;
    if (m.queued > 0 && m.busy_left > 0) {
        m.busy_left--;
        *v = 0x00;
        return TDS_OK;
    }
    m.queued = 0; /* transmitted */
    *v = 0x60;    /* THRE | TEMT */
    return TDS_OK;
}

static const char line40[] = "tdshim: forty characters of console text"; /* 40 bytes */

static void test_fifo_one_status_read_per_16_bytes(void **state)
{
    (void)state;
    model_reset(16, 0xC1, 0);
    shim_serial_init();
    m.lsr_reads = 0;
    shim_log("%s", line40);
    assert_int_equal(m.wire_len, 42); /* the line, "\r\n" */
    assert_memory_equal(m.wire, line40, 40);
    assert_memory_equal(m.wire + 40, "\r\n", 2);
    assert_int_equal(m.lsr_reads, 3); /* 16 + 16 + 10 */
    assert_int_equal(m.overruns, 0);
}

static void test_no_fifo_one_status_read_per_byte(void **state)
{
    (void)state;
    model_reset(1, 0x01, 0);
    shim_serial_init();
    m.lsr_reads = 0;
    shim_log("%s", line40);
    assert_int_equal(m.wire_len, 42);
    assert_int_equal(m.lsr_reads, 42);
    assert_int_equal(m.overruns, 0);
}

static void test_slow_uart_never_overrun(void **state)
{
    (void)state;
    model_reset(16, 0xC1, 5); /* the FIFO needs 5 more status reads to empty each time */
    shim_serial_init();
    const char text[] = "a\nb\nc: a longer line that takes more than one burst\n";
    shim_serial_write(text, sizeof text - 1u);
    assert_int_equal(m.overruns, 0);
    assert_string_equal(m.wire, "a\r\nb\r\nc: a longer line that takes more than one burst\r\n");
}

static void test_long_line_truncated_with_newline(void **state)
{
    (void)state;
    model_reset(16, 0xC1, 0);
    shim_serial_init();
    char big[400];
    memset(big, 'x', sizeof big - 1u);
    big[sizeof big - 1u] = '\0';
    shim_log("%s", big);
    assert_int_equal(m.wire_len, (SHIM_LOG_LINE - 1u) + 2u);
    assert_memory_equal(m.wire + SHIM_LOG_LINE - 1u, "\r\n", 2);
    assert_int_equal(m.overruns, 0);
}

static void test_missing_or_refused_uart_bounded(void **state)
{
    (void)state;
    model_reset(16, 0xC1, 0);
    m.missing = true;
    shim_serial_init();
    shim_log("%s", line40); /* 0xFF reads as "empty": no wait, the bytes go nowhere */
    assert_int_equal(m.lsr_reads, 0);

    model_reset(1024, 0xC1, 0);
    m.refuse_in = true; /* every IN fails (reads as 0xFF): no wait, every byte still written */
    shim_serial_init();
    shim_log("%s", line40);
    assert_int_equal(m.wire_len, 42);
    assert_int_equal(m.lsr_reads, 0);

    model_reset(16, 0xC1, UINT32_MAX); /* a FIFO that never drains: bounded, then dropped */
    shim_serial_init();
    shim_log("%s", line40);
    assert_int_equal(m.wire_len, 16);
    assert_true(m.overruns > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_one_status_read_per_16_bytes),
        cmocka_unit_test(test_no_fifo_one_status_read_per_byte),
        cmocka_unit_test(test_slow_uart_never_overrun),
        cmocka_unit_test(test_long_line_truncated_with_newline),
        cmocka_unit_test(test_missing_or_refused_uart_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
