/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_acpi.h"

#include "tdshim/madt.h"

tds_status tdp_acpi_checksum(tds_bytes table)
{
    if (!tds_bytes_valid(table)) {
        return TDS_ERR_INVALID_ARG;
    }
    uint8_t sum = 0;
    for (size_t i = 0; i < table.len; i++) {
        sum = (uint8_t)(sum + table.ptr[i]);
    }
    return sum == 0 ? TDS_OK : TDS_ERR_MISMATCH;
}

static bool sig_is(tds_bytes t, const char *sig)
{
    return t.len >= 4 && t.ptr[0] == (uint8_t)sig[0] && t.ptr[1] == (uint8_t)sig[1] &&
           t.ptr[2] == (uint8_t)sig[2] && t.ptr[3] == (uint8_t)sig[3];
}

tds_status tdp_acpi_find(const tdhob_view *v, const char *sig, tds_bytes *table)
{
    if (v == NULL || sig == NULL || table == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tds_bytes found = {0};
    bool have = false;
    for (size_t i = 0;; i++) {
        tds_bytes t;
        tds_status s = tdhob_get_acpi_table(v, i, &t);
        if (s == TDS_ERR_NOT_FOUND) {
            break;
        }
        TDS_TRY(s);
        if (!sig_is(t, sig)) {
            continue;
        }
        if (have) {
            return TDS_ERR_MALFORMED;
        }
        found = t;
        have = true;
    }
    if (!have) {
        return TDS_ERR_NOT_FOUND;
    }
    /* libtdhob hands out exactly Length bytes; re-check so this function stands on its own. */
    if (found.len < TDP_ACPI_HDR_SIZE || tds_load_le32(found.ptr + 4) != found.len) {
        return TDS_ERR_MALFORMED;
    }
    TDS_TRY(tdp_acpi_checksum(found));
    *table = found;
    return TDS_OK;
}

const char *tdp_madt_reason_str(tdp_madt_reason r)
{
    switch (r) {
    case TDP_MADT_OK: return "ok";
    case TDP_MADT_SHORT: return "shorter than the MADT header";
    case TDP_MADT_SIGNATURE: return "signature is not APIC";
    case TDP_MADT_LENGTH: return "header Length differs from the table size";
    case TDP_MADT_CHECKSUM: return "checksum";
    case TDP_MADT_SUB_TRUNCATED: return "sub-structure past the end";
    case TDP_MADT_SUB_LENGTH: return "sub-structure length";
    case TDP_MADT_TOO_MANY_CPUS: return "too many CPUs";
    case TDP_MADT_DUPLICATE_APIC: return "duplicate APIC ID";
    case TDP_MADT_NO_CPUS: return "no enabled CPU";
    case TDP_MADT_WAKEUP_MISSING: return "no multiprocessor wakeup structure";
    case TDP_MADT_WAKEUP_DUP: return "two multiprocessor wakeup structures";
    case TDP_MADT_WAKEUP_VERSION: return "wakeup structure is not version 1";
    case TDP_MADT_WAKEUP_MAILBOX: return "wakeup mailbox address";
    case TDP_MADT_WAKEUP_RESET: return "wakeup ResetVector is 0";
    }
    return "unknown";
}

static tds_status madt_fail(tdp_madt_error *err, tdp_madt_reason r, size_t off, tds_status s)
{
    if (err != NULL) {
        err->reason = r;
        err->offset = off;
    }
    return s;
}

static tds_status madt_add_cpu(tdp_madt *m, uint8_t type, uint32_t apic, uint32_t uid,
                               tdp_madt_error *err, size_t off)
{
    for (uint32_t i = 0; i < m->cpu_count; i++) {
        if (m->cpus[i].apic_id == apic) {
            return madt_fail(err, TDP_MADT_DUPLICATE_APIC, off, TDS_ERR_MALFORMED);
        }
    }
    if (m->cpu_count >= TDP_MADT_MAX_CPUS) {
        return madt_fail(err, TDP_MADT_TOO_MANY_CPUS, off, TDS_ERR_NO_SPACE);
    }
    m->cpus[m->cpu_count].apic_id = apic;
    m->cpus[m->cpu_count].uid = uid;
    m->cpus[m->cpu_count].type = type;
    m->cpu_count++;
    return TDS_OK;
}

/* One sub-structure at offset `off`, `len` bytes (inside the table, >= 2). */
static tds_status madt_sub(tdp_madt *m, const uint8_t *p, size_t len, size_t off, bool *wakeup,
                           tdp_madt_error *err)
{
    const uint8_t type = p[0];
    if (type == MADT_TYPE_LAPIC) {
        if (len != MADT_LAPIC_SIZE) {
            return madt_fail(err, TDP_MADT_SUB_LENGTH, off + 1, TDS_ERR_MALFORMED);
        }
        if ((tds_load_le32(p + 4) & MADT_LAPIC_ENABLED) == 0) {
            m->disabled++;
            return TDS_OK;
        }
        return madt_add_cpu(m, type, p[3], p[2], err, off);
    }
    if (type == MADT_TYPE_X2APIC) {
        if (len != MADT_X2APIC_SIZE) {
            return madt_fail(err, TDP_MADT_SUB_LENGTH, off + 1, TDS_ERR_MALFORMED);
        }
        if ((tds_load_le32(p + 8) & MADT_LAPIC_ENABLED) == 0) {
            m->disabled++;
            return TDS_OK;
        }
        return madt_add_cpu(m, type, tds_load_le32(p + 4), tds_load_le32(p + 12), err, off);
    }
    if (type != MADT_TYPE_MP_WAKEUP) {
        return TDS_OK; /* other structures (I/O APIC, NMI, ...) are not ours to judge */
    }
    if (*wakeup) {
        return madt_fail(err, TDP_MADT_WAKEUP_DUP, off, TDS_ERR_MALFORMED);
    }
    *wakeup = true;
    if (len < 4) {
        return madt_fail(err, TDP_MADT_SUB_LENGTH, off + 1, TDS_ERR_MALFORMED);
    }
    const uint16_t version = tds_load_le16(p + 2);
    if (version != 1) {
        return madt_fail(err, TDP_MADT_WAKEUP_VERSION, off + 2, TDS_ERR_UNSUPPORTED);
    }
    if (len != MADT_WAKEUP_V1_SIZE) {
        return madt_fail(err, TDP_MADT_SUB_LENGTH, off + 1, TDS_ERR_MALFORMED);
    }
    const uint64_t mailbox = tds_load_le64(p + 8);
    if (mailbox == 0) {
        return madt_fail(err, TDP_MADT_WAKEUP_MAILBOX, off + 8, TDS_ERR_INVALID_ARG);
    }
    if ((mailbox & 0xFFFu) != 0) {
        return madt_fail(err, TDP_MADT_WAKEUP_MAILBOX, off + 8, TDS_ERR_ALIGNMENT);
    }
    const uint64_t reset = tds_load_le64(p + 16);
    if (reset == 0) {
        return madt_fail(err, TDP_MADT_WAKEUP_RESET, off + 16, TDS_ERR_INVALID_ARG);
    }
    m->wakeup_version = version;
    m->mailbox = mailbox;
    m->reset_vector = reset;
    return TDS_OK;
}

tds_status tdp_madt_parse(tds_bytes table, tdp_madt *out, tdp_madt_error *err)
{
    if (!tds_bytes_valid(table) || out == NULL) {
        return madt_fail(err, TDP_MADT_OK, 0, TDS_ERR_INVALID_ARG);
    }
    if (table.len < MADT_HEADER_SIZE) {
        return madt_fail(err, TDP_MADT_SHORT, table.len, TDS_ERR_TRUNCATED);
    }
    if (!sig_is(table, "APIC")) {
        return madt_fail(err, TDP_MADT_SIGNATURE, 0, TDS_ERR_MALFORMED);
    }
    if (tds_load_le32(table.ptr + MADT_OFF_LENGTH) != table.len) {
        return madt_fail(err, TDP_MADT_LENGTH, MADT_OFF_LENGTH, TDS_ERR_MALFORMED);
    }
    if (tdp_acpi_checksum(table) != TDS_OK) {
        return madt_fail(err, TDP_MADT_CHECKSUM, MADT_OFF_CHECKSUM, TDS_ERR_MISMATCH);
    }
    /* Decode into a local copy: *out is written only on success. */
    tdp_madt m = {0};
    bool wakeup = false;
    tds_cursor c = tds_cursor_make(table);
    TDS_TRY(tds_cursor_skip(&c, MADT_HEADER_SIZE));
    while (!tds_cursor_at_end(&c)) {
        const size_t off = tds_cursor_pos(&c);
        if (tds_cursor_remaining(&c) < 2) {
            return madt_fail(err, TDP_MADT_SUB_TRUNCATED, off, TDS_ERR_TRUNCATED);
        }
        const size_t len = table.ptr[off + 1];
        if (len < 2) {
            return madt_fail(err, TDP_MADT_SUB_LENGTH, off + 1, TDS_ERR_MALFORMED);
        }
        tds_bytes sub;
        if (tds_cursor_take(&c, len, &sub) != TDS_OK) {
            return madt_fail(err, TDP_MADT_SUB_TRUNCATED, off, TDS_ERR_TRUNCATED);
        }
        TDS_TRY(madt_sub(&m, sub.ptr, sub.len, off, &wakeup, err));
    }
    if (m.cpu_count == 0) {
        return madt_fail(err, TDP_MADT_NO_CPUS, table.len, TDS_ERR_NOT_FOUND);
    }
    if (!wakeup) {
        return madt_fail(err, TDP_MADT_WAKEUP_MISSING, table.len, TDS_ERR_NOT_FOUND);
    }
    *out = m;
    if (err != NULL) {
        err->reason = TDP_MADT_OK;
        err->offset = 0;
    }
    return TDS_OK;
}

void tdp_madt_print(const struct tdp_sink *sink, const tdp_madt *m)
{
    struct tdp_line l;
    tdp_line_start(&l, "madt cpus=");
    tdp_line_dec(&l, m->cpu_count);
    tdp_line_str(&l, " disabled=");
    tdp_line_dec(&l, m->disabled);
    tdp_line_str(&l, " wakeup version=");
    tdp_line_dec(&l, m->wakeup_version);
    tdp_line_str(&l, " mailbox=");
    tdp_line_hex(&l, m->mailbox);
    tdp_line_str(&l, " reset=");
    tdp_line_hex(&l, m->reset_vector);
    tdp_line_emit(sink, &l);
    for (uint32_t i = 0; i < m->cpu_count; i++) {
        tdp_line_start(&l, "cpu uid=");
        tdp_line_dec(&l, m->cpus[i].uid);
        tdp_line_str(&l, " apic=");
        tdp_line_dec(&l, m->cpus[i].apic_id);
        tdp_line_str(&l, m->cpus[i].type == MADT_TYPE_LAPIC ? " lapic" : " x2apic");
        tdp_line_emit(sink, &l);
    }
}
