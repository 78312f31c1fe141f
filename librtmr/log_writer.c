/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* CC event log writer into a caller buffer: reserve -> extend -> commit (safe-C rule 10,
 * docs/safe-c.md). */
#include "tdshim/ccel.h"

static const uint8_t spec_sig[16] = CCEL_SPEC_ID_SIGNATURE;

tds_status ccel_event_size(size_t data_len, size_t *out)
{
    if (out == NULL || data_len > UINT32_MAX) {
        return TDS_ERR_OVERFLOW;
    }
    return tds_add_size(CCEL_EVENT_HDR_SIZE, data_len, out);
}

tds_status ccel_log_init(ccel_log *log, tds_mut_bytes area, tds_bytes vendor_info)
{
    if (log == NULL || !tds_bytes_valid(tds_bytes_const(area)) || !tds_bytes_valid(vendor_info) ||
        vendor_info.len > UINT8_MAX) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t spec_size = CCEL_SPEC_ID_FIXED_SIZE + vendor_info.len;
    size_t total = CCEL_PCR_EVENT_HDR_SIZE + spec_size;
    if (total > area.len) {
        return TDS_ERR_NO_SPACE;
    }
    memset(area.ptr, CCEL_LOG_FILL, area.len);

    tds_writer w = tds_writer_make(area);
    /* TCG_PCR_EVENT: index 0 (td-shim), EV_NO_ACTION, 20 zero digest bytes, EventSize. */
    tds_status s = tds_writer_le32(&w, 0);
    if (s == TDS_OK)
        s = tds_writer_le32(&w, CCEL_EV_NO_ACTION);
    if (s == TDS_OK)
        s = tds_writer_zero(&w, 20);
    if (s == TDS_OK)
        s = tds_writer_le32(&w, (uint32_t)spec_size);
    /* TCG_EfiSpecIDEvent (the TCG PC Client Platform Firmware Profile, crypto-agile event log). */
    if (s == TDS_OK)
        s = tds_writer_put(&w, spec_sig, sizeof spec_sig);
    if (s == TDS_OK)
        s = tds_writer_le32(&w, 0); /* platformClass */
    if (s == TDS_OK)
        s = tds_writer_u8(&w, 0); /* specVersionMinor */
    if (s == TDS_OK)
        s = tds_writer_u8(&w, 2); /* specVersionMajor */
    if (s == TDS_OK)
        s = tds_writer_u8(&w, 105); /* specErrata (td-shim) */
    if (s == TDS_OK)
        s = tds_writer_u8(&w, 2); /* uintnSize: UINT64 */
    if (s == TDS_OK)
        s = tds_writer_le32(&w, 1); /* numberOfAlgorithms */
    if (s == TDS_OK)
        s = tds_writer_le16(&w, CCEL_ALG_SHA384);
    if (s == TDS_OK)
        s = tds_writer_le16(&w, RTMR_SHA384_SIZE);
    if (s == TDS_OK)
        s = tds_writer_u8(&w, (uint8_t)vendor_info.len);
    if (s == TDS_OK)
        s = tds_writer_put(&w, vendor_info.ptr, vendor_info.len);
    if (s != TDS_OK) {
        return s; /* unreachable: total was checked above */
    }
    log->area = area;
    log->used = tds_writer_pos(&w);
    log->pending = 0;
    log->event_count = 0;
    log->error = TDS_OK;
    return TDS_OK;
}

tds_bytes ccel_log_bytes(const ccel_log *log)
{
    return tds_bytes_make(log->area.ptr, log->used);
}

tds_status ccel_log_reserve(ccel_log *log, size_t data_len, ccel_reservation *r)
{
    if (log == NULL || r == NULL || log->area.ptr == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (log->error != TDS_OK) {
        return log->error;
    }
    if (log->pending != 0) {
        return TDS_ERR_STATE;
    }
    size_t size;
    TDS_TRY(ccel_event_size(data_len, &size));
    if (size > log->area.len - log->used) {
        return TDS_ERR_NO_SPACE;
    }
    log->pending = size;
    r->offset = log->used;
    r->data_len = data_len;
    return TDS_OK;
}

void ccel_log_cancel(ccel_log *log, const ccel_reservation *r)
{
    if (log == NULL || r == NULL || log->pending == 0 || r->offset != log->used) {
        return;
    }
    log->pending = 0;
}

static bool reservation_matches(const ccel_log *log, const ccel_reservation *r)
{
    size_t size;
    return log->pending != 0 && r->offset == log->used &&
           ccel_event_size(r->data_len, &size) == TDS_OK && size == log->pending;
}

tds_status ccel_log_commit(ccel_log *log, const ccel_reservation *r, rtmr_mr_index mr_index,
                           uint32_t event_type, const rtmr_digest *digest, const tds_bytes *parts,
                           size_t nparts)
{
    if (log == NULL || r == NULL || digest == NULL || (parts == NULL && nparts != 0) ||
        mr_index.value >= RTMR_MR_COUNT) {
        return TDS_ERR_INVALID_ARG;
    }
    if (log->error != TDS_OK) {
        return log->error;
    }
    if (!reservation_matches(log, r)) {
        return TDS_ERR_STATE;
    }
    /* Never write what the reader rejects: EV_NO_ACTION carries a zero digest, and MRTD (index 0)
     * only appears on EV_NO_ACTION events. */
    bool zero = true;
    for (size_t i = 0; i < RTMR_SHA384_SIZE; i++) {
        zero = zero && digest->b[i] == 0;
    }
    if (event_type == CCEL_EV_NO_ACTION ? !zero : mr_index.value == RTMR_MR_MRTD) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t total = 0;
    for (size_t i = 0; i < nparts; i++) {
        if (!tds_bytes_valid(parts[i])) {
            return TDS_ERR_INVALID_ARG;
        }
        TDS_TRY(tds_add_size(total, parts[i].len, &total));
    }
    if (total != r->data_len) {
        return TDS_ERR_INVALID_ARG;
    }
    tds_mut_bytes slot;
    TDS_TRY(tds_mut_bytes_sub(log->area, r->offset, log->pending, &slot));
    tds_writer w = tds_writer_make(slot);
    tds_status s = tds_writer_le32(&w, mr_index.value);
    if (s == TDS_OK)
        s = tds_writer_le32(&w, event_type);
    if (s == TDS_OK)
        s = tds_writer_le32(&w, 1); /* TPML_DIGEST_VALUES.count */
    if (s == TDS_OK)
        s = tds_writer_le16(&w, CCEL_ALG_SHA384);
    if (s == TDS_OK)
        s = tds_writer_put(&w, digest->b, RTMR_SHA384_SIZE);
    if (s == TDS_OK)
        s = tds_writer_le32(&w, (uint32_t)r->data_len);
    for (size_t i = 0; s == TDS_OK && i < nparts; i++) {
        s = tds_writer_put(&w, parts[i].ptr, parts[i].len);
    }
    if (s != TDS_OK) {
        return s; /* unreachable: the slot has exactly the reserved size */
    }
    log->used += log->pending;
    log->pending = 0;
    log->event_count++;
    return TDS_OK;
}

static tds_status parts_len(const tds_bytes *parts, size_t nparts, size_t *out)
{
    if (parts == NULL && nparts != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t total = 0;
    for (size_t i = 0; i < nparts; i++) {
        if (!tds_bytes_valid(parts[i])) {
            return TDS_ERR_INVALID_ARG;
        }
        TDS_TRY(tds_add_size(total, parts[i].len, &total));
    }
    *out = total;
    return TDS_OK;
}

tds_status ccel_log_measure(ccel_log *log, const rtmr_extend_ops *ops, rtmr_mr_index mr_index,
                            uint32_t event_type, const rtmr_digest *digest, const tds_bytes *parts,
                            size_t nparts)
{
    rtmr_reg_index rtmr;
    if (log == NULL || ops == NULL || ops->extend == NULL || digest == NULL ||
        event_type == CCEL_EV_NO_ACTION || rtmr_mr_to_rtmr(mr_index, &rtmr) != TDS_OK) {
        return TDS_ERR_INVALID_ARG;
    }
    size_t len;
    TDS_TRY(parts_len(parts, nparts, &len));
    /* 1. reserve: refuse before anything irreversible happens. */
    ccel_reservation r;
    TDS_TRY(ccel_log_reserve(log, len, &r));
    /* 2. extend. */
    tds_status s = rtmr_extend(ops, rtmr, digest);
    if (s != TDS_OK) {
        ccel_log_cancel(log, &r);
        log->error = s; /* the registers' state is no longer known to match the log */
        return s;
    }
    /* 3. commit: cannot fail for a reservation we hold and parts we measured. */
    s = ccel_log_commit(log, &r, mr_index, event_type, digest, parts, nparts);
    if (s != TDS_OK) {
        ccel_log_cancel(log, &r);
        log->error = TDS_ERR_STATE;
    }
    return s;
}

tds_status ccel_log_hash_measure(ccel_log *log, const rtmr_extend_ops *ops, rtmr_mr_index mr_index,
                                 uint32_t event_type, tds_bytes measured, const tds_bytes *parts,
                                 size_t nparts)
{
    rtmr_digest d;
    TDS_TRY(rtmr_sha384(measured, &d));
    return ccel_log_measure(log, ops, mr_index, event_type, &d, parts, nparts);
}

tds_status ccel_log_no_action(ccel_log *log, rtmr_mr_index mr_index, tds_bytes data)
{
    if (log == NULL || mr_index.value >= RTMR_MR_COUNT || !tds_bytes_valid(data)) {
        return TDS_ERR_INVALID_ARG;
    }
    ccel_reservation r;
    TDS_TRY(ccel_log_reserve(log, data.len, &r));
    rtmr_digest zero;
    memset(&zero, 0, sizeof zero);
    tds_status s = ccel_log_commit(log, &r, mr_index, CCEL_EV_NO_ACTION, &zero, &data, 1);
    if (s != TDS_OK) {
        ccel_log_cancel(log, &r);
    }
    return s;
}
