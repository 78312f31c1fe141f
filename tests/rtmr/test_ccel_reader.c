/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Reader, iterator, replay, verify and diff: valid logs laid out independently (ref.c) and hostile
 * logs (truncated at every length, wrong algorithm counts, digest size mismatch, event sizes past
 * the end, huge counts, bad padding).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ref.h"
#include "tdshim/ccel.h"

/* A reference log: 6 CC events; boundaries[] are the end offsets of each entry. */
typedef struct sample {
    ref_buf buf;
    size_t bounds[8];
    size_t nbounds;
    uint8_t reg[4][48];
} sample;

static void sample_event(sample *s, uint32_t mr, uint32_t type, const char *data)
{
    uint8_t d[48];
    if (type == 3) {
        memset(d, 0, sizeof d);
    } else {
        ref_sha384(data, strlen(data), d);
        ref_extend(s->reg[mr - 1], d);
    }
    ref_event(&s->buf, mr, type, d, data, strlen(data));
    s->bounds[s->nbounds++] = s->buf.n;
}

static sample *sample_make(void)
{
    sample *s = test_malloc(sizeof *s);
    memset(s, 0, sizeof *s);
    ref_spec_id(&s->buf, "td-shim");
    s->bounds[s->nbounds++] = s->buf.n;
    sample_event(s, 1, 0xA, "hob");           /* 1: RTMR0 */
    sample_event(s, 2, 0x8000000A, "kernel"); /* 2: RTMR1 */
    sample_event(s, 0, 3, "SP800-155");       /* 3: no action */
    sample_event(s, 1, 4, "sep0");            /* 4: RTMR0 */
    sample_event(s, 2, 4, "sep1");            /* 5: RTMR1 */
    sample_event(s, 3, 0xD, "app");           /* 6: RTMR2 */
    return s;
}

static tds_bytes sb(const sample *s)
{
    return tds_bytes_make(s->buf.b, s->buf.n);
}

static void test_parse_iterate_replay(void **state)
{
    (void)state;
    sample *s = sample_make();
    ccel_view v;
    ccel_parse_error e;
    assert_int_equal(ccel_parse(sb(s), CCEL_PARSE_EXACT, &v, &e), TDS_OK);
    assert_int_equal(v.event_count, 6);
    assert_int_equal(v.events_start, 72);
    assert_int_equal(v.events_end, s->buf.n);
    assert_int_equal(v.spec.spec_errata, 105);
    assert_int_equal(v.spec.uintn_size, 2);
    assert_int_equal(v.spec.vendor_info.len, 7);
    assert_memory_equal(v.spec.vendor_info.ptr, "td-shim", 7);
    ccel_iter it = ccel_iter_make(&v);
    ccel_event ev;
    static const uint32_t mrs[6] = {1, 2, 0, 1, 2, 3};
    static const uint32_t types[6] = {0xA, 0x8000000A, 3, 4, 4, 0xD};
    for (uint32_t i = 0; i < 6; i++) {
        assert_int_equal(ccel_iter_next(&it, &ev), TDS_OK);
        assert_int_equal(ev.event_no, i + 1);
        assert_int_equal(ev.offset, s->bounds[i]);
        assert_int_equal(ev.mr_index, mrs[i]);
        assert_int_equal(ev.event_type, types[i]);
        assert_int_equal(ev.offset + 66 + ev.data.len, s->bounds[i + 1]);
    }
    assert_int_equal(ccel_iter_next(&it, &ev), TDS_ERR_NOT_FOUND);
    assert_int_equal(ccel_iter_next(&it, &ev), TDS_ERR_NOT_FOUND);
    rtmr_bank bank;
    assert_int_equal(ccel_replay(&v, &bank), TDS_OK);
    for (int i = 0; i < 4; i++) {
        assert_memory_equal(bank.r[i].b, s->reg[i], 48);
    }
    static const uint8_t zero48[48] = {0};
    assert_memory_equal(bank.r[3].b, zero48, 48);
    /* OVMF-style first entry (index 1, errata 0, no vendor info) is accepted. */
    ref_buf *o = test_malloc(sizeof *o);
    o->n = 0;
    ref_spec_id(o, "");
    o->b[0] = 1;
    o->b[32 + 22] = 0;
    assert_int_equal(ccel_parse(tds_bytes_make(o->b, o->n), 0, &v, NULL), TDS_OK);
    assert_int_equal(v.spec.header_index, 1);
    assert_int_equal(v.event_count, 0);
    test_free(o);
    test_free(s);
}

static void test_truncated_at_every_length(void **state)
{
    (void)state;
    sample *s = sample_make();
    size_t b = 0;
    for (size_t len = 0; len < s->buf.n; len++) {
        ccel_view v;
        memset(&v, 0x77, sizeof v);
        tds_status st = ccel_parse(tds_bytes_make(s->buf.b, len), CCEL_PARSE_EXACT, &v, NULL);
        while (b < s->nbounds && s->bounds[b] < len) {
            b++;
        }
        if (b < s->nbounds && s->bounds[b] == len) {
            assert_int_equal(st, TDS_OK); /* a shorter, complete log */
            assert_int_equal(v.event_count, b);
        } else {
            assert_int_equal(st, TDS_ERR_TRUNCATED);
            assert_int_equal(v.event_count, 0x77777777); /* out untouched */
        }
    }
    test_free(s);
}

/* Parse a copy of the sample with one edit; return the status and the error. */
static tds_status parse_edit(const sample *s, size_t off, const void *bytes, size_t n,
                             size_t newlen, ccel_parse_error *e)
{
    static uint8_t copy[1u << 16];
    memcpy(copy, s->buf.b, s->buf.n);
    memcpy(copy + off, bytes, n);
    ccel_view v;
    return ccel_parse(tds_bytes_make(copy, newlen), CCEL_PARSE_EXACT, &v, e);
}

static void le32(uint8_t *p, uint32_t v)
{
    tds_store_le32(p, v);
}

static void test_hostile_spec_id(void **state)
{
    (void)state;
    sample *s = sample_make();
    size_t n = s->buf.n;
    ccel_parse_error e;
    uint8_t w[4];
    ccel_view v;
    assert_int_equal(ccel_parse(tds_bytes_make(NULL, 0), 0, &v, &e), TDS_ERR_TRUNCATED);
    le32(w, 4); /* first event not EV_NO_ACTION */
    assert_int_equal(parse_edit(s, 4, w, 4, n, &e), TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 4);
    assert_int_equal(e.event_no, 0);
    assert_int_equal(parse_edit(s, 10, "\1", 1, n, &e), TDS_ERR_MALFORMED); /* SHA-1 digest != 0 */
    assert_int_equal(parse_edit(s, 32, "Spec ID Event02", 15, n, &e), TDS_ERR_MALFORMED);
    assert_int_equal(parse_edit(s, 32 + 21, "\1", 1, n, &e), TDS_ERR_UNSUPPORTED); /* v1.x */
    assert_int_equal(parse_edit(s, 32 + 23, "\3", 1, n, &e), TDS_ERR_MALFORMED);   /* uintn 3 */
    /* Wrong algorithm counts: 0, huge, and a count that walks past the event. */
    le32(w, 0);
    assert_int_equal(parse_edit(s, 32 + 24, w, 4, n, &e), TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 32 + 24);
    le32(w, 0xFFFFFFFF);
    assert_int_equal(parse_edit(s, 32 + 24, w, 4, n, &e), TDS_ERR_MALFORMED);
    le32(w, 0x40000001); /* 4*n wraps 32 bits: must not be "1" */
    assert_int_equal(parse_edit(s, 32 + 24, w, 4, n, &e), TDS_ERR_MALFORMED);
    le32(w, 4); /* 28 + 4*4 > 40: the list runs past the event */
    assert_int_equal(parse_edit(s, 32 + 24, w, 4, n, &e), TDS_ERR_TRUNCATED);
    /* Digest size mismatch for SHA-384, and a log that is not SHA-384. */
    uint8_t sz[2] = {32, 0};
    assert_int_equal(parse_edit(s, 32 + 30, sz, 2, n, &e), TDS_ERR_MALFORMED);
    assert_int_equal(e.offset, 32 + 30);
    uint8_t sha256[4] = {0x0B, 0, 32, 0};
    assert_int_equal(parse_edit(s, 32 + 28, sha256, 4, n, &e), TDS_ERR_UNSUPPORTED);
    /* vendorInfoSize past the end of the event / bytes after it. */
    assert_int_equal(parse_edit(s, 32 + 32, "\10", 1, n, &e), TDS_ERR_TRUNCATED);
    assert_int_equal(parse_edit(s, 32 + 32, "\6", 1, n, &e), TDS_ERR_MALFORMED);
    /* Spec ID EventSize past the end (huge). */
    le32(w, 0xFFFFFFFF);
    assert_int_equal(parse_edit(s, 28, w, 4, n, &e), TDS_ERR_TRUNCATED);
    le32(w, 10); /* too small to hold the fixed part */
    assert_int_equal(parse_edit(s, 28, w, 4, n, &e), TDS_ERR_TRUNCATED);
    test_free(s);
}

static void test_two_algorithms_unsupported(void **state)
{
    (void)state;
    /* A well-formed SHA-256 + SHA-384 Spec ID event: structurally fine, but not SHA-384 only. */
    ref_buf *r = test_malloc(sizeof *r);
    r->n = 0;
    static const uint8_t zero20[20] = {0};
    ref_le32(r, 0);
    ref_le32(r, 3);
    ref_put(r, zero20, 20);
    ref_le32(r, 16 + 4 + 4 + 4 + 8 + 1);
    ref_put(r, "Spec ID Event03", 16);
    ref_le32(r, 0);
    ref_put(r, "\0\2\0\2", 4);
    ref_le32(r, 2);
    ref_le16(r, 0x0B);
    ref_le16(r, 32);
    ref_le16(r, 0x0C);
    ref_le16(r, 48);
    ref_u8(r, 0);
    ccel_view v;
    ccel_parse_error e;
    assert_int_equal(ccel_parse(tds_bytes_make(r->b, r->n), 0, &v, &e), TDS_ERR_UNSUPPORTED);
    test_free(r);
}

static void test_hostile_events(void **state)
{
    (void)state;
    sample *s = sample_make();
    size_t n = s->buf.n;
    size_t ev2 = s->bounds[1]; /* second CC event */
    ccel_parse_error e;
    uint8_t w[4];
    le32(w, 5); /* MR index out of range */
    assert_int_equal(parse_edit(s, ev2, w, 4, n, &e), TDS_ERR_MALFORMED);
    assert_int_equal(e.event_no, 2);
    assert_int_equal(e.offset, ev2);
    le32(w, 2); /* digest count != numberOfAlgorithms */
    assert_int_equal(parse_edit(s, ev2 + 8, w, 4, n, &e), TDS_ERR_MALFORMED);
    le32(w, 0xFFFFFFFF); /* huge digest count */
    assert_int_equal(parse_edit(s, ev2 + 8, w, 4, n, &e), TDS_ERR_MALFORMED);
    le32(w, 0);
    assert_int_equal(parse_edit(s, ev2 + 8, w, 4, n, &e), TDS_ERR_MALFORMED);
    /* Digest algorithm not the one announced (SHA-256, whose size would differ). */
    assert_int_equal(parse_edit(s, ev2 + 12, "\x0B\0", 2, n, &e), TDS_ERR_MALFORMED);
    /* Event size past the end: by one, and huge. */
    uint32_t dsize = tds_load_le32(s->buf.b + ev2 + 62);
    le32(w, dsize + (uint32_t)(n - s->bounds[2]) + 1);
    assert_int_equal(parse_edit(s, ev2 + 62, w, 4, n, &e), TDS_ERR_TRUNCATED);
    assert_int_equal(e.offset, ev2 + 62);
    le32(w, 0xFFFFFFFF);
    assert_int_equal(parse_edit(s, ev2 + 62, w, 4, n, &e), TDS_ERR_TRUNCATED);
    /* An event size that lands inside the next header: the next header is then truncated or
     * garbage, never read past the end. */
    le32(w, dsize + 3);
    assert_true(parse_edit(s, ev2 + 62, w, 4, n, &e) != TDS_OK);
    /* EV_NO_ACTION (event 3) with a non-zero digest. */
    assert_int_equal(parse_edit(s, s->bounds[2] + 20, "\1", 1, n, &e), TDS_ERR_MALFORMED);
    /* A measured event claiming MRTD. */
    le32(w, 0);
    assert_int_equal(parse_edit(s, s->bounds[0], w, 4, n, &e), TDS_ERR_MALFORMED);
    test_free(s);
}

static void test_area_padding(void **state)
{
    (void)state;
    sample *s = sample_make();
    size_t n = s->buf.n;
    static uint8_t buf[1u << 16];
    memcpy(buf, s->buf.b, n);
    memset(buf + n, 0xFF, 300);
    ccel_view v;
    assert_int_equal(ccel_parse(tds_bytes_make(buf, n + 300), CCEL_PARSE_AREA, &v, NULL), TDS_OK);
    assert_int_equal(v.event_count, 6);
    assert_int_equal(v.events_end, n);
    /* Exact mode reads the 0xFF.. as an event header: MR index 0xFFFFFFFF. */
    assert_int_equal(ccel_parse(tds_bytes_make(buf, n + 300), CCEL_PARSE_EXACT, &v, NULL),
                     TDS_ERR_MALFORMED);
    memset(buf + n, 0, 300);
    assert_int_equal(ccel_parse(tds_bytes_make(buf, n + 300), CCEL_PARSE_AREA, &v, NULL), TDS_OK);
    buf[n + 299] = 0xFF; /* mixed padding is not padding */
    assert_int_not_equal(ccel_parse(tds_bytes_make(buf, n + 300), CCEL_PARSE_AREA, &v, NULL),
                         TDS_OK);
    assert_int_equal(ccel_parse(tds_bytes_make(buf, n), 2, &v, NULL), TDS_ERR_INVALID_ARG);
    test_free(s);
}

static void bank_from(rtmr_bank *b, uint8_t reg[4][48])
{
    for (int i = 0; i < 4; i++) {
        memcpy(b->r[i].b, reg[i], 48);
    }
}

static void test_verify_and_divergence(void **state)
{
    (void)state;
    sample *s = sample_make();
    ccel_view v;
    assert_int_equal(ccel_parse(sb(s), 0, &v, NULL), TDS_OK);
    rtmr_bank want;
    rtmr_bank_reset(&want); /* bank_from fills it; cppcheck cannot see that */
    bank_from(&want, s->reg);
    ccel_verify_result res;
    assert_int_equal(ccel_verify(&v, &want, &res), TDS_OK);
    assert_int_equal(res.kind, CCEL_DIVERGE_NONE);
    assert_true(res.match[0] && res.match[1] && res.match[2] && res.match[3]);

    /* The TD's RTMR1 only saw the first RTMR1 event (2): the log diverges at event 5. */
    uint8_t d[48];
    memset(want.r[1].b, 0, 48);
    ref_sha384("kernel", 6, d);
    ref_extend(want.r[1].b, d);
    assert_int_equal(ccel_verify(&v, &want, &res), TDS_ERR_MISMATCH);
    assert_int_equal(res.kind, CCEL_DIVERGE_EXTRA);
    assert_int_equal(res.rtmr, 1);
    assert_int_equal(res.first_event, 5);
    assert_int_equal(res.first_offset, s->bounds[4]);
    assert_true(res.match[0] && !res.match[1] && res.match[2]);

    /* RTMR3 non-zero in the TD but never extended in the log: after the last event. */
    bank_from(&want, s->reg);
    want.r[3].b[0] = 1;
    assert_int_equal(ccel_verify(&v, &want, &res), TDS_ERR_MISMATCH);
    assert_int_equal(res.kind, CCEL_DIVERGE_UNKNOWN);
    assert_int_equal(res.rtmr, 3);
    assert_int_equal(res.first_event, 0);
    assert_int_equal(res.first_offset, s->buf.n);

    /* RTMR0 zero in the TD: everything logged into it diverges, from event 1. Together with the
     * RTMR1 mismatch (event 5), event 1 is reported as the first. */
    bank_from(&want, s->reg);
    memset(want.r[0].b, 0, 48);
    memset(want.r[1].b, 0, 48);
    ref_extend(want.r[1].b, d);
    assert_int_equal(ccel_verify(&v, &want, &res), TDS_ERR_MISMATCH);
    assert_int_equal(res.rtmr, 0);
    assert_int_equal(res.first_event, 1);
    assert_int_equal(res.kind, CCEL_DIVERGE_EXTRA);

    /* A tampered digest (event 4): the final values cannot place it (UNKNOWN, first event into
     * RTMR0), but a diff against the reference log can. */
    static uint8_t t[1u << 16];
    memcpy(t, s->buf.b, s->buf.n);
    t[s->bounds[3] + 14 + 5] ^= 0x80;
    ccel_view tv;
    assert_int_equal(ccel_parse(tds_bytes_make(t, s->buf.n), 0, &tv, NULL), TDS_OK);
    bank_from(&want, s->reg);
    assert_int_equal(ccel_verify(&tv, &want, &res), TDS_ERR_MISMATCH);
    assert_int_equal(res.kind, CCEL_DIVERGE_UNKNOWN);
    assert_int_equal(res.rtmr, 0);
    assert_int_equal(res.first_event, 1);
    uint32_t first = 99;
    assert_int_equal(ccel_diff(&v, &tv, &first), TDS_ERR_MISMATCH);
    assert_int_equal(first, 4);
    assert_int_equal(ccel_diff(&v, &v, &first), TDS_OK);
    assert_int_equal(first, 0);
    /* A log that is a prefix of the other differs at the first missing event. */
    ccel_view pv;
    assert_int_equal(ccel_parse(tds_bytes_make(s->buf.b, s->bounds[3]), 0, &pv, NULL), TDS_OK);
    assert_int_equal(ccel_diff(&pv, &v, &first), TDS_ERR_MISMATCH);
    assert_int_equal(first, 4);
    test_free(s);
}

static void test_writer_output_replays(void **state)
{
    (void)state;
    /* Writer -> reader -> replay equals the registers the op saw (software model). */
    static uint8_t area[4096];
    ccel_log log;
    counting_ops c;
    rtmr_extend_ops ops = counting_ops_make(&c);
    assert_int_equal(
        ccel_log_init(&log, tds_mut_bytes_make(area, sizeof area), tds_bytes_make("td-shim", 7)),
        TDS_OK);
    for (uint32_t i = 0; i < 20; i++) {
        char data[16];
        memcpy(data, "event-xx", 9);
        data[6] = (char)('a' + i % 26);
        tds_bytes p = tds_bytes_make(data, 8);
        assert_int_equal(ccel_log_hash_measure(&log, &ops, RTMR_MR(1 + i % 4), 0xD, p, &p, 1),
                         TDS_OK);
    }
    ccel_view v;
    assert_int_equal(ccel_parse(tds_bytes_make(area, sizeof area), CCEL_PARSE_AREA, &v, NULL),
                     TDS_OK);
    assert_int_equal(v.event_count, 20);
    rtmr_bank b;
    assert_int_equal(ccel_replay(&v, &b), TDS_OK);
    assert_memory_equal(&b, &c.bank, sizeof b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_iterate_replay),
        cmocka_unit_test(test_truncated_at_every_length),
        cmocka_unit_test(test_hostile_spec_id),
        cmocka_unit_test(test_two_algorithms_unsupported),
        cmocka_unit_test(test_hostile_events),
        cmocka_unit_test(test_area_padding),
        cmocka_unit_test(test_verify_and_divergence),
        cmocka_unit_test(test_writer_output_replays),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
