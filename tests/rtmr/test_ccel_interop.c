/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * External validator: tpm2_eventlog (tpm2-tools) reads logs written by librtmr. It must exit 0,
 * print no WARN/ERROR, and its replayed sha384 PCR 1..4 must equal our RTMR0..3 (its PCR n is our
 * MR index n; its PCR 0 is not MRTD, see docs/librtmr.md). The same logs go through our own tool
 * (dump --json, replay, verify with match and mismatch exit codes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ref.h"
#include "tdshim/ccel_events.h"

#ifndef TPM2_EVENTLOG
#define TPM2_EVENTLOG "/usr/bin/tpm2_eventlog"
#endif

static uint8_t area[1u << 18];

/* The log a td-shim Linux boot records, plus OVMF's Linux blobs and an RTMR3 event. */
static void build_log(ccel_log *log, counting_ops *c, const char *vendor, unsigned extra)
{
    rtmr_extend_ops ops = counting_ops_make(c);
    assert_int_equal(ccel_log_init(log, tds_mut_bytes_make(area, sizeof area),
                                   tds_bytes_make(vendor, strlen(vendor))),
                     TDS_OK);
    static uint8_t hob[512], payload[1u << 16], param[4096];
    for (size_t i = 0; i < sizeof hob; i++)
        hob[i] = (uint8_t)(i ^ 0x5A);
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 31 + 7);
    memcpy(param, "console=hvc0 root=/dev/vda", 27);
    assert_int_equal(ccel_event_td_hob(log, &ops, tds_bytes_make(hob, sizeof hob)), TDS_OK);
    assert_int_equal(ccel_event_secure_policy_db(log, &ops, tds_bytes_make(hob, 100)), TDS_OK);
    assert_int_equal(ccel_event_secure_authority(log, &ops, tds_bytes_make(hob, 100)), TDS_OK);
    assert_int_equal(ccel_event_payload_svn(log, &ops, 7), TDS_OK);
    assert_int_equal(ccel_event_separator(log, &ops, RTMR_MR(1), 0), TDS_OK);
    assert_int_equal(ccel_event_separator(log, &ops, RTMR_MR(2), 0), TDS_OK);
    assert_int_equal(ccel_event_payload(log, &ops, tds_bytes_make(payload, sizeof payload),
                                        0x1200000, sizeof payload),
                     TDS_OK);
    assert_int_equal(ccel_event_payload_param(log, &ops, tds_bytes_make(param, sizeof param)),
                     TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(log, &ops, CCEL_LINUX_KERNEL, tds_bytes_make(payload, 4096)), TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(log, &ops, CCEL_LINUX_INITRD, tds_bytes_make(payload + 4096, 4096)),
        TDS_OK);
    assert_int_equal(
        ccel_event_linux_blob(log, &ops, CCEL_LINUX_CMDLINE, tds_bytes_make("quiet", 6)), TDS_OK);
    for (unsigned i = 0; i < extra; i++) {
        tds_bytes p = tds_bytes_make(&i, sizeof i);
        assert_int_equal(
            ccel_log_hash_measure(log, &ops, RTMR_MR(3 + i % 2), CCEL_EV_EVENT_TAG, p, &p, 1),
            TDS_OK);
    }
    tds_bytes sp = tds_bytes_make("SP800-155 Event3", 16);
    assert_int_equal(ccel_log_no_action(log, RTMR_MR(0), sp), TDS_OK);
}

/* Find "  <pcr>  : 0x<96 hex>" under "sha384:" in tpm2_eventlog's YAML. A PCR no event extended
 * is not printed: then it is still zero. */
static void pcr_from_output(uint32_t pcr, uint8_t d[48])
{
    const char *bank = strstr(ref_out, "\n  sha384:\n");
    assert_non_null(bank);
    char key[32];
    snprintf(key, sizeof key, "\n    %u  : 0x", pcr);
    const char *at = strstr(bank, key);
    if (at == NULL) {
        memset(d, 0, 48);
        return;
    }
    char hex[97];
    memcpy(hex, at + strlen(key), 96);
    hex[96] = '\0';
    assert_true(ref_unhex(hex, d, 48));
}

static void check_with_tpm2_eventlog(const char *vendor, unsigned extra)
{
    ccel_log log;
    counting_ops c;
    build_log(&log, &c, vendor, extra);
    char path[] = "/tmp/rtmr_interop_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    ref_write_file(path, ccel_log_bytes(&log));

    char *tpm2[] = {(char *)TPM2_EVENTLOG, path, NULL};
    assert_int_equal(ref_run(tpm2), 0);
    assert_null(strstr(ref_out, "WARN"));
    assert_null(strstr(ref_out, "ERROR"));
    assert_non_null(strstr(ref_out, "Spec ID Event03"));

    ccel_view v;
    assert_int_equal(ccel_parse(ccel_log_bytes(&log), CCEL_PARSE_EXACT, &v, NULL), TDS_OK);
    rtmr_bank ours;
    assert_int_equal(ccel_replay(&v, &ours), TDS_OK);
    assert_memory_equal(&ours, &c.bank, sizeof ours); /* = what the extend op saw */
    for (uint32_t mr = 1; mr <= 4; mr++) {
        uint8_t theirs[48];
        pcr_from_output(mr, theirs);
        assert_memory_equal(theirs, ours.r[mr - 1].b, 48);
    }

    /* Our tool on the same file. */
    char *tool = (char *)TDSHIM_EVENTLOG_TOOL;
    char *replay[] = {tool, "replay", path, NULL};
    assert_int_equal(ref_run(replay), 0);
    char hex[97];
    ref_hex(ours.r[1].b, 48, hex);
    assert_non_null(strstr(ref_out, hex));
    char *dump[] = {tool, "dump", "--json", path, NULL};
    assert_int_equal(ref_run(dump), 0);
    assert_non_null(strstr(ref_out, "\"type\":\"EV_EFI_PLATFORM_FIRMWARE_BLOB2\""));
    assert_non_null(strstr(ref_out, "\"decoded\":\"config 'td_hob' info 512 bytes\""));
    assert_non_null(strstr(ref_out, "\"decoded\":\"blob name (UTF-16) 'cmdline'\""));
    char h[4][97];
    for (int i = 0; i < 4; i++) {
        ref_hex(ours.r[i].b, 48, h[i]);
    }
    char *verify[] = {tool,      "verify", "--rtmr0", h[0], "--rtmr1", h[1],
                      "--rtmr2", h[2],     "--rtmr3", h[3], path,      NULL};
    assert_int_equal(ref_run(verify), 0);
    h[1][5] = h[1][5] == '0' ? '1' : '0';
    assert_int_equal(ref_run(verify), 1);
    assert_non_null(strstr(ref_out, "RTMR1 MISMATCH"));
    /* Invalid input: exit 2. */
    char *bad[] = {tool, "dump", "/dev/null", NULL};
    assert_int_equal(ref_run(bad), 2);
    unlink(path);
}

static void test_tdshim_vendor(void **state)
{
    (void)state;
    check_with_tpm2_eventlog("td-shim", 0);
}

static void test_ovmf_style_many_events(void **state)
{
    (void)state;
    check_with_tpm2_eventlog("", 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tdshim_vendor),
        cmocka_unit_test(test_ovmf_style_many_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
