/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The ACPI walker: MADTs made by libmailbox's mbox_madt_build_default and by hand from ACPI 6.5
 * 5.2.12 / 6.6 (wakeup v1, 24 bytes), hostile variants with their precise reason, and the table
 * lookup in a payload HOB built with libtdhob.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tdp_acpi.h"
#include "tdp_fixture.h"
#include "tdshim/ccel.h"
#include "tdshim/madt.h"

static uint8_t g_t[4096];
static uint8_t g_hob[0x10000];
static madt_ids g_ids;

static void fix_checksum(uint8_t *t, size_t len)
{
    t[9] = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++) {
        sum = (uint8_t)(sum + t[i]);
    }
    t[9] = (uint8_t)(0u - sum);
}

/* Hand-written: header, LAPIC (uid 0, id 0), x2APIC (uid 1, id 0x100), disabled LAPIC, an I/O
 * APIC (type 1, 12 bytes, ignored), wakeup v1. */
static size_t hand_madt(uint8_t *t)
{
    memset(t, 0, 256);
    static const uint8_t sig[4] = {'A', 'P', 'I', 'C'};
    static const uint8_t oem[6] = {'T', 'D', 'S', 'H', 'I', 'M'};
    memcpy(t, sig, sizeof sig);
    t[8] = 5;
    memcpy(t + 10, oem, sizeof oem);
    size_t o = 44;
    const uint8_t lapic[8] = {0, 8, 0, 0, 1, 0, 0, 0};
    memcpy(t + o, lapic, 8);
    o += 8;
    const uint8_t x2[16] = {9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    memcpy(t + o, x2, 16);
    o += 16;
    const uint8_t off[8] = {0, 8, 2, 7, 0, 0, 0, 0};
    memcpy(t + o, off, 8);
    o += 8;
    const uint8_t ioapic[12] = {1, 12, 0, 0, 0, 0, 0xC0, 0xFE, 0, 0, 0, 0};
    memcpy(t + o, ioapic, 12);
    o += 12;
    const uint8_t wk[24] = {0x10, 24, 1, 0, 0,    0,    0,    0, 0x00, 0x00, 0x1B, 0,
                            0,    0,  0, 0, 0x40, 0x10, 0x1B, 0, 0,    0,    0,    0};
    memcpy(t + o, wk, 24);
    o += 24;
    t[4] = (uint8_t)o;
    fix_checksum(t, o);
    return o;
}

static tds_status parse(size_t len, tdp_madt *m, tdp_madt_error *e)
{
    return tdp_madt_parse(tds_bytes_make(g_t, len), m, e);
}

static void test_hand_written(void **state)
{
    (void)state;
    size_t len = hand_madt(g_t);
    tdp_madt m;
    tdp_madt_error e;
    assert_int_equal(parse(len, &m, &e), TDS_OK);
    assert_int_equal(m.cpu_count, 2);
    assert_int_equal(m.cpus[0].apic_id, 0);
    assert_int_equal(m.cpus[0].type, 0);
    assert_int_equal(m.cpus[1].apic_id, 0x100);
    assert_int_equal(m.cpus[1].uid, 1);
    assert_int_equal(m.cpus[1].type, 9);
    assert_int_equal(m.disabled, 1);
    assert_int_equal(m.wakeup_version, 1);
    assert_int_equal(m.mailbox, FX_MAILBOX);
    assert_int_equal(m.reset_vector, FX_BLOB + 64);
    struct fx_capture *cap = test_malloc(sizeof *cap);
    const struct tdp_sink sink = fx_sink(cap);
    tdp_madt_print(&sink, &m);
    assert_true(fx_has_line(cap, "tdpayload: madt cpus=2 disabled=1 wakeup version=1 "
                                 "mailbox=0x1b0000 reset=0x1b1040"));
    assert_true(fx_has_line(cap, "tdpayload: cpu uid=0 apic=0 lapic"));
    assert_true(fx_has_line(cap, "tdpayload: cpu uid=1 apic=256 x2apic"));
    test_free(cap);
}

static void test_built_by_libmailbox(void **state)
{
    (void)state;
    const uint32_t ids[4] = {0, 1, 2, 300};
    const madt_wakeup wk = {.version = 1, .mailbox_addr = FX_MAILBOX, .reset_vector = FX_BLOB + 64};
    size_t len = 0;
    assert_int_equal(
        mbox_madt_build_default(tds_mut_bytes_make(g_t, sizeof g_t), &g_ids, ids, 4, 0, &wk, &len),
        TDS_OK);
    tdp_madt m;
    assert_int_equal(parse(len, &m, NULL), TDS_OK);
    assert_int_equal(m.cpu_count, 4);
    for (uint32_t i = 0; i < 4; i++) {
        assert_int_equal(m.cpus[i].apic_id, ids[i]);
        assert_int_equal(m.cpus[i].uid, i);
    }
    assert_int_equal(m.cpus[3].type, 9); /* 300 > 254: x2APIC */
    assert_int_equal(m.reset_vector, FX_BLOB + 64);
    /* Version 0 (16 bytes, no ResetVector): refused, the hand-back cannot be tested. */
    const madt_wakeup v0 = {.version = 0, .mailbox_addr = FX_MAILBOX};
    assert_int_equal(
        mbox_madt_build_default(tds_mut_bytes_make(g_t, sizeof g_t), &g_ids, ids, 4, 0, &v0, &len),
        TDS_OK);
    tdp_madt_error e;
    assert_int_equal(parse(len, &m, &e), TDS_ERR_UNSUPPORTED);
    assert_int_equal(e.reason, TDP_MADT_WAKEUP_VERSION);
    assert_int_equal(e.offset, len - 16 + 2);
}

#define NONE SIZE_MAX

struct hostile {
    const char *name;
    size_t at;     /* byte to change (NONE = none) */
    size_t cut;    /* bytes removed from the end (length field adjusted unless keep_len) */
    size_t offset; /* expected error offset */
    tds_status status;
    tdp_madt_reason reason;
    uint8_t value; /* the changed byte's new value */
    bool keep_len; /* leave Length as it was */
    bool keep_sum; /* leave the checksum stale */
};

/* Offsets in the hand-written table: LAPIC 44, x2APIC 52, disabled 68, I/O APIC 76, wakeup 88. */
static const struct hostile hostile[] = {
    {"signature", 0, 0, 0, TDS_ERR_MALFORMED, TDP_MADT_SIGNATURE, 'X', false, false},
    {"length field", 4, 0, 4, TDS_ERR_MALFORMED, TDP_MADT_LENGTH, 111, false, false},
    {"checksum", 20, 0, 9, TDS_ERR_MISMATCH, TDP_MADT_CHECKSUM, 0x55, false, true},
    {"sub length 0", 77, 0, 77, TDS_ERR_MALFORMED, TDP_MADT_SUB_LENGTH, 0, false, false},
    {"sub past end", 77, 0, 76, TDS_ERR_TRUNCATED, TDP_MADT_SUB_TRUNCATED, 40, false, false},
    {"lapic length", 45, 0, 45, TDS_ERR_MALFORMED, TDP_MADT_SUB_LENGTH, 10, false, false},
    {"x2apic length", 53, 0, 53, TDS_ERR_MALFORMED, TDP_MADT_SUB_LENGTH, 8, false, false},
    {"duplicate apic", 57, 0, 52, TDS_ERR_MALFORMED, TDP_MADT_DUPLICATE_APIC, 0, false, false},
    {"wakeup version 2", 90, 0, 90, TDS_ERR_UNSUPPORTED, TDP_MADT_WAKEUP_VERSION, 2, false, false},
    {"wakeup length", 89, 8, 89, TDS_ERR_MALFORMED, TDP_MADT_SUB_LENGTH, 16, false, false},
    {"mailbox unaligned", 96, 0, 96, TDS_ERR_ALIGNMENT, TDP_MADT_WAKEUP_MAILBOX, 0x08, false,
     false},
    {"mailbox zero", 98, 0, 96, TDS_ERR_INVALID_ARG, TDP_MADT_WAKEUP_MAILBOX, 0, false, false},
    {"wakeup missing", NONE, 24, 88, TDS_ERR_NOT_FOUND, TDP_MADT_WAKEUP_MISSING, 0, false, false},
    {"half a sub header", NONE, 23, 88, TDS_ERR_TRUNCATED, TDP_MADT_SUB_TRUNCATED, 0, false, false},
    {"short", NONE, 69, 43, TDS_ERR_TRUNCATED, TDP_MADT_SHORT, 0, false, false},
};

static void test_hostile(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        const struct hostile *h = &hostile[i];
        size_t len = hand_madt(g_t);
        if (h->at != NONE) {
            g_t[h->at] = h->value;
        }
        len -= h->cut;
        if (!h->keep_len && h->at != 4) {
            g_t[4] = (uint8_t)len;
        }
        if (!h->keep_sum) {
            fix_checksum(g_t, len);
        }
        tdp_madt m;
        memset(&m, 0x5A, sizeof m);
        tdp_madt_error e = {0};
        tds_status s = parse(len, &m, &e);
        if (s != h->status || e.reason != h->reason || e.offset != h->offset) {
            fail_msg("%s: status %d reason %d (%s) offset %zu", h->name, s, e.reason,
                     tdp_madt_reason_str(e.reason), e.offset);
        }
        const uint8_t *p = (const uint8_t *)&m;
        for (size_t k = 0; k < sizeof m; k++) {
            assert_int_equal(p[k], 0x5A); /* untouched */
        }
    }
}

static void test_no_cpus_and_reset_zero(void **state)
{
    (void)state;
    size_t len = hand_madt(g_t);
    g_t[48] = 0; /* LAPIC disabled */
    g_t[60] = 0; /* x2APIC disabled */
    fix_checksum(g_t, len);
    tdp_madt m;
    tdp_madt_error e;
    assert_int_equal(parse(len, &m, &e), TDS_ERR_NOT_FOUND);
    assert_int_equal(e.reason, TDP_MADT_NO_CPUS);
    len = hand_madt(g_t);
    memset(g_t + 104, 0, 8);
    fix_checksum(g_t, len);
    assert_int_equal(parse(len, &m, &e), TDS_ERR_INVALID_ARG);
    assert_int_equal(e.reason, TDP_MADT_WAKEUP_RESET);
    assert_int_equal(e.offset, 104);
    /* Two wakeup structures. */
    len = hand_madt(g_t);
    memcpy(g_t + len, g_t + 88, 24);
    len += 24;
    g_t[4] = (uint8_t)len;
    fix_checksum(g_t, len);
    assert_int_equal(parse(len, &m, &e), TDS_ERR_MALFORMED);
    assert_int_equal(e.reason, TDP_MADT_WAKEUP_DUP);
    assert_int_equal(e.offset, 112);
}

static void test_too_many_cpus(void **state)
{
    (void)state;
    static uint32_t ids[TDP_MADT_MAX_CPUS + 1];
    for (uint32_t i = 0; i < TDP_MADT_MAX_CPUS + 1; i++) {
        ids[i] = i;
    }
    static uint8_t big[8192];
    const madt_wakeup wk = {.version = 1, .mailbox_addr = FX_MAILBOX, .reset_vector = 1};
    size_t len = 0;
    assert_int_equal(mbox_madt_build_default(tds_mut_bytes_make(big, sizeof big), &g_ids, ids,
                                             TDP_MADT_MAX_CPUS + 1, 0, &wk, &len),
                     TDS_OK);
    tdp_madt m;
    tdp_madt_error e;
    assert_int_equal(tdp_madt_parse(tds_bytes_make(big, len), &m, &e), TDS_ERR_NO_SPACE);
    assert_int_equal(e.reason, TDP_MADT_TOO_MANY_CPUS);
    assert_int_equal(mbox_madt_build_default(tds_mut_bytes_make(big, sizeof big), &g_ids, ids,
                                             TDP_MADT_MAX_CPUS, 0, &wk, &len),
                     TDS_OK);
    assert_int_equal(tdp_madt_parse(tds_bytes_make(big, len), &m, &e), TDS_OK);
    assert_int_equal(m.cpu_count, TDP_MADT_MAX_CPUS);
}

static void test_find(void **state)
{
    (void)state;
    uint8_t madt[256];
    const size_t mlen = hand_madt(madt);
    uint8_t ccel[CCEL_ACPI_SIZE];
    const ccel_acpi c = {.cc_type = 2, .laml = 0x30000, .lasa = FX_LOG_BASE};
    assert_int_equal(ccel_acpi_build(&c, tds_mut_bytes_make(ccel, sizeof ccel)), TDS_OK);
    struct fx_spec s;
    fx_default(&s);
    s.tables[0] = madt;
    s.table_len[0] = mlen;
    s.tables[1] = ccel;
    s.table_len[1] = sizeof ccel;
    s.ntables = 2;
    tds_bytes hob;
    assert_int_equal(fx_build(&s, g_hob, sizeof g_hob, &hob), TDS_OK);
    static tdhob_scratch_entry scratch[TDHOB_SCRATCH_ENTRIES(sizeof g_hob)];
    const tdhob_config cfg = {.hob_gpa = FX_HOB_GPA,
                              .gpaw = 48,
                              .scratch = scratch,
                              .scratch_cap = TDS_ARRAY_LEN(scratch)};
    tdhob_view v;
    assert_int_equal(tdhob_validate(hob, &cfg, &v, NULL), TDS_OK);
    tds_bytes t;
    assert_int_equal(tdp_acpi_find(&v, "APIC", &t), TDS_OK);
    assert_int_equal(t.len, mlen);
    assert_memory_equal(t.ptr, madt, mlen);
    assert_int_equal(tdp_acpi_find(&v, "CCEL", &t), TDS_OK);
    assert_int_equal(t.len, CCEL_ACPI_SIZE);
    assert_int_equal(tdp_acpi_find(&v, "DSDT", &t), TDS_ERR_NOT_FOUND);
    /* Bad checksum in the HOB's copy. */
    madt[30] ^= 1;
    assert_int_equal(fx_build(&s, g_hob, sizeof g_hob, &hob), TDS_OK);
    assert_int_equal(tdhob_validate(hob, &cfg, &v, NULL), TDS_OK);
    assert_int_equal(tdp_acpi_find(&v, "APIC", &t), TDS_ERR_MISMATCH);
    madt[30] ^= 1;
    /* The same signature twice. */
    s.tables[1] = madt;
    s.table_len[1] = mlen;
    assert_int_equal(fx_build(&s, g_hob, sizeof g_hob, &hob), TDS_OK);
    assert_int_equal(tdhob_validate(hob, &cfg, &v, NULL), TDS_OK);
    assert_int_equal(tdp_acpi_find(&v, "APIC", &t), TDS_ERR_MALFORMED);
    assert_int_equal(tdp_acpi_checksum(tds_bytes_make(madt, mlen)), TDS_OK);
}

int main(void)
{
    g_ids = mbox_madt_default_ids();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_written),  cmocka_unit_test(test_built_by_libmailbox),
        cmocka_unit_test(test_hostile),       cmocka_unit_test(test_no_cpus_and_reset_zero),
        cmocka_unit_test(test_too_many_cpus), cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
