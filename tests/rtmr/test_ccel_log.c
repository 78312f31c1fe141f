/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Event-log writer and event helpers: byte-exact against logs laid out independently from the
 * spec (ref.c), full-buffer behaviour (refused before extend), sticky extend failures, the
 * reservation protocol, and the CCEL ACPI table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ref.h"
#include "tdshim/ccel_events.h"

static uint8_t area[1u << 16];

static tds_bytes str(const char *s)
{
    return tds_bytes_make(s, strlen(s));
}

static void test_init_spec_id_exact(void **state)
{
    (void)state;
    ccel_log log;
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str(CCEL_VENDOR_INFO_TDSHIM)),
        TDS_OK);
    ref_buf *want = test_malloc(sizeof *want);
    want->n = 0;
    ref_spec_id(want, "td-shim");
    tds_bytes got = ccel_log_bytes(&log);
    assert_int_equal(got.len, 32 + 40); /* EventSize 40 with the 7-byte vendor info */
    assert_int_equal(got.len, want->n);
    assert_memory_equal(got.ptr, want->b, want->n);
    /* The rest of the area is 0xFF (OVMF-style fill). */
    assert_int_equal(area[got.len], 0xFF);
    assert_int_equal(area[sizeof area - 1], 0xFF);
    /* OVMF-like: no vendor info -> EventSize 33. */
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str("")), TDS_OK);
    assert_int_equal(ccel_log_bytes(&log).len, 32 + 33);
    assert_int_equal(tds_load_le32(area + 28), 33);
    test_free(want);
}

static void test_tdshim_and_linux_events_exact(void **state)
{
    (void)state;
    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    ccel_log log;
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str(CCEL_VENDOR_INFO_TDSHIM)),
        TDS_OK);
    uint8_t hob[72], payload[5000], param[4096], anchor[300];
    for (size_t i = 0; i < sizeof hob; i++)
        hob[i] = (uint8_t)(i + 1);
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 13);
    memset(param, 0, sizeof param);
    memcpy(param, "console=ttyS0", sizeof "console=ttyS0");
    for (size_t i = 0; i < sizeof anchor; i++)
        anchor[i] = (uint8_t)(255 - i);
    static const char kernel[] = "MZ-kernel", initrd[] = "070701", cmdline[] = "quiet\0";

    assert_int_equal(ccel_event_td_hob(&log, &ops, tds_bytes_make(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_event_secure_policy_db(&log, &ops, tds_bytes_make(anchor, sizeof anchor)),
                     TDS_OK);
    assert_int_equal(ccel_event_secure_authority(&log, &ops, tds_bytes_make(anchor, sizeof anchor)),
                     TDS_OK);
    assert_int_equal(ccel_event_payload_svn(&log, &ops, 0x0102030405060708ull), TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_OK);
    assert_int_equal(ccel_event_payload(&log, &ops, tds_bytes_make(payload, sizeof payload),
                                        0x1200000, 0x2000000),
                     TDS_OK);
    assert_int_equal(ccel_event_payload_param(&log, &ops, tds_bytes_make(param, sizeof param)),
                     TDS_OK);
    assert_int_equal(ccel_event_linux_blob(&log, &ops, CCEL_LINUX_KERNEL,
                                           tds_bytes_make(kernel, sizeof kernel - 1)),
                     TDS_OK);
    assert_int_equal(ccel_event_linux_blob(&log, &ops, CCEL_LINUX_INITRD,
                                           tds_bytes_make(initrd, sizeof initrd - 1)),
                     TDS_OK);
    assert_int_equal(ccel_event_linux_blob(&log, &ops, CCEL_LINUX_CMDLINE,
                                           tds_bytes_make(cmdline, sizeof cmdline - 1)),
                     TDS_OK);
    assert_int_equal(ccel_log_no_action(&log, RTMR_MR(0), str("SP800-155 Event3")), TDS_OK);
    assert_int_equal(c.calls, 11);
    assert_false(c.misaligned_seen);
    assert_int_equal(log.event_count, 12);

    /* The same log, laid out by hand from the spec tables. */
    ref_buf *w = test_malloc(sizeof *w);
    w->n = 0;
    uint8_t reg[4][48];
    memset(reg, 0, sizeof reg);
    uint8_t d[48];
    ref_spec_id(w, "td-shim");
#define CONFIG(mr, desc16, info, infolen)                                                          \
    do {                                                                                           \
        uint8_t data_[20 + (infolen)];                                                             \
        memcpy(data_, desc16, 16);                                                                 \
        data_[16] = (uint8_t)(infolen);                                                            \
        data_[17] = (uint8_t)((infolen) >> 8);                                                     \
        data_[18] = 0;                                                                             \
        data_[19] = 0;                                                                             \
        memcpy(data_ + 20, info, infolen);                                                         \
        ref_sha384(info, infolen, d);                                                              \
        ref_event(w, mr, 0xA, d, data_, sizeof data_);                                             \
        ref_extend(reg[(mr)-1], d);                                                                \
    } while (0)
    CONFIG(1, "td_hob\0\0\0\0\0\0\0\0\0\0", hob, sizeof hob);
    CONFIG(1, "secure_policy_db", anchor, sizeof anchor);
    CONFIG(1, "secure_authority", anchor, sizeof anchor);
    static const uint8_t svn_le[8] = {8, 7, 6, 5, 4, 3, 2, 1};
    CONFIG(2, "td_payload_svn\0\0", svn_le, sizeof svn_le);
    static const uint8_t sep[4] = {0, 0, 0, 0};
    ref_sha384(sep, 4, d);
    ref_event(w, 1, 4, d, sep, 4);
    ref_extend(reg[0], d);
    ref_event(w, 2, 4, d, sep, 4);
    ref_extend(reg[1], d);
    /* UEFI_PLATFORM_FIRMWARE_BLOB2 {11, "td_payload\0", base, length}: 28 bytes. */
    static const uint8_t blob2[28] = {11,  't', 'd', '_', 'p',  'a', 'y', 'l', 'o', 'a',
                                      'd', 0,   0,   0,   0x20, 1,   0,   0,   0,   0,
                                      0,   0,   0,   2,   0,    0,   0,   0};
    ref_sha384(payload, sizeof payload, d);
    ref_event(w, 2, 0x8000000A, d, blob2, sizeof blob2);
    ref_extend(reg[1], d);
    CONFIG(2, "td_payload_info\0", param, sizeof param);
    static const uint8_t u16_kernel[14] = {'k', 0, 'e', 0, 'r', 0, 'n', 0, 'e', 0, 'l', 0, 0, 0};
    static const uint8_t u16_initrd[14] = {'i', 0, 'n', 0, 'i', 0, 't', 0, 'r', 0, 'd', 0, 0, 0};
    static const uint8_t u16_cmdline[16] = {'c', 0, 'm', 0, 'd', 0, 'l', 0,
                                            'i', 0, 'n', 0, 'e', 0, 0,   0};
    ref_sha384(kernel, sizeof kernel - 1, d);
    ref_event(w, 2, 0xA, d, u16_kernel, sizeof u16_kernel);
    ref_extend(reg[1], d);
    ref_sha384(initrd, sizeof initrd - 1, d);
    ref_event(w, 2, 0xA, d, u16_initrd, sizeof u16_initrd);
    ref_extend(reg[1], d);
    ref_sha384(cmdline, sizeof cmdline - 1, d);
    ref_event(w, 2, 0xA, d, u16_cmdline, sizeof u16_cmdline);
    ref_extend(reg[1], d);
    static const uint8_t zero48[48] = {0};
    ref_event(w, 0, 3, zero48, "SP800-155 Event3", 16);
#undef CONFIG

    tds_bytes got = ccel_log_bytes(&log);
    assert_int_equal(got.len, w->n);
    assert_memory_equal(got.ptr, w->b, w->n);
    for (int i = 0; i < 4; i++) {
        assert_memory_equal(c.bank.r[i].b, reg[i], 48);
    }
    test_free(w);
}

/*
 * QEMU's ACPI data (EDK2 QemuFwCfgAcpi.c): EV_PLATFORM_CONFIG_FLAGS into MR 1, data "ACPI DATA"
 * (9 bytes, no NUL), digest SHA-384 of the blob. The event is laid out byte by byte here and the
 * digest and RTMR0 values were computed outside this project (Python hashlib, checked with
 * openssl dgst -sha384), so neither the library's nor ref.c's SHA-384 decides what is expected.
 */
static void test_acpi_data_event_exact(void **state)
{
    (void)state;
    static const char script[] = "QEMU table-loader script (test bytes)";
    /* hashlib.sha384(b"QEMU table-loader script (test bytes)") */
    static const char digest_hex[] = "447f75188287ea55a4def2632869dce02d6ac34022ebf93728ff2d8b"
                                     "8996e346eeecc0b0a3da24e878044d9b3f5c8d4c";
    /* sha384(48 zero bytes || that digest): RTMR0 after the one event */
    static const char rtmr0_one_hex[] = "93f8b01c74c2ecc8319d8f0bc00dee91afce46f68fba7666363deae"
                                        "a6bb950d5cbeed2ef6abe3c2db9067dedc061d983";
    /* then || sha384(b"") (an empty blob): RTMR0 after the second event */
    static const char rtmr0_two_hex[] = "ce3023cedff0a72462f9e4795d444817f7b734ae23d848f087e8046"
                                        "4b03d69eb870f8477e74a5b9eca52a5fa92b14917";
    uint8_t digest[48], rtmr0_one[48], rtmr0_two[48];
    assert_true(ref_unhex(digest_hex, digest, sizeof digest));
    assert_true(ref_unhex(rtmr0_one_hex, rtmr0_one, sizeof rtmr0_one));
    assert_true(ref_unhex(rtmr0_two_hex, rtmr0_two, sizeof rtmr0_two));

    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    ccel_log log;
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str(CCEL_VENDOR_INFO_TDSHIM)),
        TDS_OK);
    const size_t head = ccel_log_bytes(&log).len;
    assert_int_equal(ccel_event_acpi_data(&log, &ops, tds_bytes_make(script, sizeof script - 1)),
                     TDS_OK);
    assert_int_equal(c.calls, 1);

    /* The CC_EVENT: MrIndex 1, EventType 0xA, one digest (SHA-384 0x000C), EventSize 9. */
    uint8_t want[66 + 9];
    memset(want, 0, sizeof want);
    want[0] = 1;
    want[4] = 0x0A;
    want[8] = 1;
    want[12] = 0x0C;
    memcpy(want + 14, digest, 48);
    want[62] = 9;
    /* The event data: the 9 ASCII bytes of "ACPI DATA", no NUL. */
    static const uint8_t acpi_data[9] = {'A', 'C', 'P', 'I', ' ', 'D', 'A', 'T', 'A'};
    memcpy(want + 66, acpi_data, sizeof acpi_data);
    const tds_bytes got = ccel_log_bytes(&log);
    assert_int_equal(got.len, head + sizeof want);
    assert_memory_equal(got.ptr + head, want, sizeof want);
    assert_memory_equal(c.bank.r[0].b, rtmr0_one, 48);
    static const uint8_t zero48[48] = {0};
    for (int i = 1; i < 4; i++) {
        assert_memory_equal(c.bank.r[i].b, zero48, 48);
    }

    /* The digest variant writes the same event for the same digest; an empty blob is measured as
     * H(""). */
    rtmr_digest dd;
    assert_int_equal(rtmr_sha384(tds_bytes_make(NULL, 0), &dd), TDS_OK);
    assert_int_equal(ccel_event_acpi_data_digest(&log, &ops, &dd), TDS_OK);
    ccel_log log2;
    static uint8_t area2[1u << 12];
    counting_ops c2;
    rtmr_extend_ops ops2 = counting_ops_make(&c2);
    assert_int_equal(
        ccel_log_init(&log2, tds_mut_bytes_make(area2, sizeof area2), str(CCEL_VENDOR_INFO_TDSHIM)),
        TDS_OK);
    memcpy(dd.b, digest, 48);
    assert_int_equal(ccel_event_acpi_data_digest(&log2, &ops2, &dd), TDS_OK);
    assert_int_equal(ccel_event_acpi_data(&log2, &ops2, tds_bytes_make(NULL, 0)), TDS_OK);
    const tds_bytes got2 = ccel_log_bytes(&log2);
    assert_int_equal(got2.len, ccel_log_bytes(&log).len);
    assert_memory_equal(got2.ptr, ccel_log_bytes(&log).ptr, got2.len);
    assert_memory_equal(c.bank.r[0].b, rtmr0_two, 48);
    assert_memory_equal(c2.bank.r[0].b, rtmr0_two, 48);

    /* The log replays to the same RTMR0. */
    ccel_view v;
    rtmr_bank replayed;
    assert_int_equal(ccel_parse(got2, CCEL_PARSE_EXACT, &v, NULL), TDS_OK);
    assert_int_equal(ccel_replay(&v, &replayed), TDS_OK);
    assert_memory_equal(replayed.r[0].b, rtmr0_two, 48);

    /* Refused before anything is extended: no digest, a blob whose bytes wrap the address space. */
    assert_int_equal(ccel_event_acpi_data_digest(&log2, &ops2, NULL), TDS_ERR_INVALID_ARG);
    assert_int_equal(
        ccel_event_acpi_data(&log2, &ops2, tds_bytes_make((const void *)(uintptr_t)UINTPTR_MAX, 2)),
        TDS_ERR_INVALID_ARG);
    assert_int_equal(c2.calls, 2);
    assert_int_equal(ccel_log_bytes(&log2).len, got2.len);
}

static void test_full_buffer_refused_before_extend(void **state)
{
    (void)state;
    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    /* Room for the Spec ID event (72) and exactly one separator event (66 + 4). */
    static uint8_t small[72 + 70 + 10];
    ccel_log log;
    /* Too small for even the first event: refused, log untouched. */
    memset(small, 0x11, sizeof small);
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(small, 71), str("td-shim")),
                     TDS_ERR_NO_SPACE);
    assert_int_equal(small[0], 0x11);
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(small, sizeof small), str("td-shim")),
                     TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(c.calls, 1);
    uint8_t before[sizeof small];
    memcpy(before, small, sizeof small);
    rtmr_bank regs_before = c.bank;
    /* 10 bytes left: a separator (70) does not fit -> refused, NOT extended, log unchanged. */
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_ERR_NO_SPACE);
    assert_int_equal(c.calls, 1);
    assert_memory_equal(&regs_before, &c.bank, sizeof regs_before);
    assert_memory_equal(before, small, sizeof small);
    assert_int_equal(ccel_log_bytes(&log).len, 142);
    /* Not sticky: nothing changed, the log still replays. */
    assert_int_equal(log.error, TDS_OK);
    ccel_view v;
    assert_int_equal(ccel_parse(ccel_log_bytes(&log), CCEL_PARSE_EXACT, &v, NULL), TDS_OK);
    rtmr_bank replayed;
    assert_int_equal(ccel_replay(&v, &replayed), TDS_OK);
    assert_memory_equal(&replayed, &c.bank, sizeof replayed);
    /* The area mode accepts the 0xFF tail. */
    assert_int_equal(ccel_parse(tds_bytes_make(small, sizeof small), CCEL_PARSE_AREA, &v, NULL),
                     TDS_OK);
    assert_int_equal(v.event_count, 1);
    /* An event of exactly the remaining size fits. */
    static uint8_t exact[72 + 70];
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(exact, sizeof exact), str("td-shim")),
                     TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_log_bytes(&log).len, sizeof exact);
    /* Event data length that overflows the event size is refused before the op. */
    ccel_reservation r;
    assert_int_equal(ccel_log_reserve(&log, SIZE_MAX - 10, &r), TDS_ERR_OVERFLOW);
}

static void test_extend_failure_is_sticky(void **state)
{
    (void)state;
    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    ccel_log log;
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str("td-shim")),
                     TDS_OK);
    c.fail_at = 2;
    c.fail_status = TDS_ERR_DEVICE;
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(1), 0), TDS_OK);
    size_t len = ccel_log_bytes(&log).len;
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_ERR_DEVICE);
    assert_int_equal(ccel_log_bytes(&log).len, len);
    /* Sticky: refused without calling the op again. */
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_ERR_DEVICE);
    assert_int_equal(c.calls, 2);
    assert_int_equal(ccel_log_no_action(&log, RTMR_MR(0), str("x")), TDS_ERR_DEVICE);
    /* Re-init clears it. */
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str("td-shim")),
                     TDS_OK);
    assert_int_equal(ccel_event_separator(&log, &ops, RTMR_MR(2), 0), TDS_OK);
}

static void test_reservation_protocol(void **state)
{
    (void)state;
    ccel_log log;
    assert_int_equal(ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), str("td-shim")),
                     TDS_OK);
    rtmr_digest d;
    memset(&d, 0x42, sizeof d);
    ccel_reservation r, r2;
    assert_int_equal(ccel_log_reserve(&log, 4, &r), TDS_OK);
    assert_int_equal(ccel_log_reserve(&log, 4, &r2), TDS_ERR_STATE); /* one at a time */
    tds_bytes three = tds_bytes_make("abc", 3);
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(1), 5, &d, &three, 1), TDS_ERR_INVALID_ARG);
    tds_bytes parts[2] = {tds_bytes_make("ab", 2), tds_bytes_make("cd", 2)};
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(5), 5, &d, parts, 2), TDS_ERR_INVALID_ARG);
    /* What the reader would reject is refused: a measured event into MRTD, an EV_NO_ACTION with
     * a digest. */
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(0), 5, &d, parts, 2), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(1), CCEL_EV_NO_ACTION, &d, parts, 2),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(1), 5, &d, parts, 2), TDS_OK);
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(1), 5, &d, parts, 2),
                     TDS_ERR_STATE); /* spent */
    assert_int_equal(ccel_log_reserve(&log, 0, &r), TDS_OK);
    ccel_log_cancel(&log, &r);
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(1), 5, &d, NULL, 0), TDS_ERR_STATE);
    assert_int_equal(ccel_log_reserve(&log, 0, &r), TDS_OK);
    assert_int_equal(ccel_log_commit(&log, &r, RTMR_MR(1), 5, &d, NULL, 0), TDS_OK);
    assert_int_equal(log.event_count, 2);
    ccel_view v;
    assert_int_equal(ccel_parse(ccel_log_bytes(&log), CCEL_PARSE_EXACT, &v, NULL), TDS_OK);
    assert_int_equal(v.event_count, 2);
    /* Measured events must target RTMR0..3 and must not be EV_NO_ACTION. */
    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    assert_int_equal(ccel_log_measure(&log, &ops, RTMR_MR(0), 5, &d, NULL, 0), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_log_measure(&log, &ops, RTMR_MR(5), 5, &d, NULL, 0), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_log_measure(&log, &ops, RTMR_MR(1), CCEL_EV_NO_ACTION, &d, NULL, 0),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(c.calls, 0);
    assert_int_equal(ccel_log_no_action(&log, RTMR_MR(5), str("x")), TDS_ERR_INVALID_ARG);
    /* Descriptor longer than 16 bytes is refused. */
    assert_int_equal(ccel_event_config(&log, &ops, RTMR_MR(1), str("seventeen_chars__"), str("x")),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_event_linux_blob(&log, &ops, (ccel_linux_blob)7, str("x")),
                     TDS_ERR_INVALID_ARG);
    assert_int_equal(c.calls, 0);
}

static void test_acpi_table(void **state)
{
    (void)state;
    ccel_acpi t = {{'T', 'D', 'S', 'H', 'I', 'M'},
                   {'C', 'C', 'E', 'L', 'T', 'A', 'B', 'L'},
                   7,
                   0x4D495348,
                   3,
                   CCEL_CC_TYPE_TDX,
                   0,
                   0x100000,
                   0x7F000000};
    uint8_t out[60];
    memset(out, 0xEE, sizeof out);
    assert_int_equal(ccel_acpi_build(&t, tds_mut_bytes_make(out, 55)), TDS_ERR_NO_SPACE);
    assert_int_equal(out[0], 0xEE);
    assert_int_equal(ccel_acpi_build(&t, tds_mut_bytes_make(out, sizeof out)), TDS_OK);
    assert_int_equal(out[56], 0xEE); /* exactly 56 bytes written */
    assert_memory_equal(out, "CCEL", 4);
    assert_int_equal(tds_load_le32(out + 4), 56);
    assert_int_equal(out[8], 1);
    assert_memory_equal(out + 10, "TDSHIM", 6);
    assert_memory_equal(out + 16, "CCELTABL", 8);
    assert_int_equal(tds_load_le32(out + 24), 7);
    assert_int_equal(tds_load_le32(out + 28), 0x4D495348);
    assert_int_equal(tds_load_le32(out + 32), 3);
    assert_int_equal(out[36], 2);
    assert_int_equal(out[37], 0);
    assert_int_equal(out[38] | out[39], 0);
    assert_true(tds_load_le64(out + 40) == 0x100000);
    assert_true(tds_load_le64(out + 48) == 0x7F000000);
    unsigned sum = 0;
    for (int i = 0; i < 56; i++) {
        sum += out[i];
    }
    assert_int_equal(sum & 0xFF, 0);
    ccel_acpi p;
    ccel_acpi_error e = {"x", 7};
    assert_int_equal(ccel_acpi_parse(tds_bytes_make(out, 56), &p, &e), TDS_OK);
    assert_string_equal(e.what, "");
    assert_int_equal(e.offset, 0);
    assert_true(p.lasa == t.lasa && p.laml == t.laml && p.cc_type == 2);
    assert_memory_equal(p.oem_id, "TDSHIM", 6);
    assert_int_equal(ccel_acpi_parse(tds_bytes_make(out, 56), &p, NULL), TDS_OK);
    /* Hostile tables: each refusal names its field and offset, and leaves *out alone. */
    uint8_t bad[56];
#define EXPECT_BAD(len, st, why, off)                                                              \
    do {                                                                                           \
        memset(&p, 0xA5, sizeof p);                                                                \
        e.what = NULL;                                                                             \
        assert_int_equal(ccel_acpi_parse(tds_bytes_make(bad, (len)), &p, &e), (st));               \
        assert_string_equal(e.what, (why));                                                        \
        assert_int_equal(e.offset, (off));                                                         \
        assert_int_equal(p.cc_type, 0xA5);                                                         \
    } while (0)
    memcpy(bad, out, 56);
    EXPECT_BAD(55, TDS_ERR_TRUNCATED, "table shorter than 56 bytes", 55);
    EXPECT_BAD(7, TDS_ERR_TRUNCATED, "table shorter than 56 bytes", 7);
    bad[20] ^= 1; /* checksum broken */
    EXPECT_BAD(56, TDS_ERR_MALFORMED, "Checksum does not make the table sum to 0", 9);
    memcpy(bad, out, 56);
    bad[0] = 'X';
    EXPECT_BAD(56, TDS_ERR_MALFORMED, "Signature is not 'CCEL'", 0);
    EXPECT_BAD(8, TDS_ERR_MALFORMED, "Signature is not 'CCEL'", 0); /* before any length check */
    memcpy(bad, out, 56);
    bad[4] = 57;
    bad[9] = (uint8_t)(bad[9] - 1);
    EXPECT_BAD(56, TDS_ERR_MALFORMED, "Length is not 56", 4);
    memcpy(bad, out, 56);
    bad[8] = 2;
    bad[9] = (uint8_t)(bad[9] - 1);
    EXPECT_BAD(56, TDS_ERR_MALFORMED, "Revision is not 1", 8);
    memcpy(bad, out, 56);
    bad[38] = 1;
    bad[9] = (uint8_t)(bad[9] - 1);
    EXPECT_BAD(56, TDS_ERR_MALFORMED, "Reserved bytes are not zero", 38);
    /* LASA + LAML wraps the address space. */
    t.lasa = UINT64_MAX - 0xFFF;
    t.laml = 0x1000;
    assert_int_equal(ccel_acpi_build(&t, tds_mut_bytes_make(bad, 56)), TDS_OK);
    EXPECT_BAD(56, TDS_ERR_OVERFLOW, "LASA + LAML wraps past 2^64", 48);
    t.laml = 0;
    t.lasa = 0x1000;
    assert_int_equal(ccel_acpi_build(&t, tds_mut_bytes_make(bad, 56)), TDS_OK);
    EXPECT_BAD(56, TDS_ERR_MALFORMED, "LAML (log area minimum length) is 0", 40);
    assert_int_equal(ccel_acpi_parse(tds_bytes_make(NULL, 56), &p, &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(ccel_acpi_parse(tds_bytes_make(out, 56), NULL, &e), TDS_ERR_INVALID_ARG);
#undef EXPECT_BAD
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_spec_id_exact),
        cmocka_unit_test(test_tdshim_and_linux_events_exact),
        cmocka_unit_test(test_acpi_data_event_exact),
        cmocka_unit_test(test_full_buffer_refused_before_extend),
        cmocka_unit_test(test_extend_failure_is_sticky),
        cmocka_unit_test(test_reservation_protocol),
        cmocka_unit_test(test_acpi_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
