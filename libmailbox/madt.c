/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* MADT builder with the Multiprocessor Wakeup structure (docs/libmailbox.md "MADT"). */
#include "tdshim/madt.h"

#include "tdshim/mailbox_abi.h"

madt_ids mbox_madt_default_ids(void)
{
    madt_ids ids = {{'T', 'D', 'S', 'H', 'I', 'M'},
                    {'T', 'D', 'S', 'H', 'M', 'A', 'D', 'T'},
                    1u,
                    {'T', 'D', 'S', 'H'},
                    1u};
    return ids;
}

uint8_t mbox_madt_checksum(tds_bytes table)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < table.len; i++) {
        if (i != MADT_OFF_CHECKSUM) {
            sum = (uint8_t)(sum + table.ptr[i]);
        }
    }
    return (uint8_t)(0u - sum);
}

tds_status mbox_madt_check_wakeup(const madt_wakeup *wk)
{
    if (wk == NULL || wk->mailbox_addr == 0) {
        return TDS_ERR_INVALID_ARG;
    }
    if (wk->version > 1u) {
        return TDS_ERR_UNSUPPORTED;
    }
    if (!tds_is_aligned_u64(wk->mailbox_addr, MBOX_OS_ALIGN)) {
        return TDS_ERR_ALIGNMENT;
    }
    return TDS_OK;
}

static size_t wakeup_size(const madt_wakeup *wk)
{
    return wk->version == 0 ? MADT_WAKEUP_V0_SIZE : MADT_WAKEUP_V1_SIZE;
}

static tds_status put_wakeup(tds_writer *w, const madt_wakeup *wk)
{
    size_t len = wakeup_size(wk);
    TDS_TRY(tds_writer_u8(w, MADT_TYPE_MP_WAKEUP));
    TDS_TRY(tds_writer_u8(w, (uint8_t)len));
    TDS_TRY(tds_writer_le16(w, wk->version));
    TDS_TRY(tds_writer_le32(w, 0));
    TDS_TRY(tds_writer_le64(w, wk->mailbox_addr));
    if (wk->version == 1u) {
        TDS_TRY(tds_writer_le64(w, wk->reset_vector));
    }
    return TDS_OK;
}

/* Fix length and checksum of the table just written to out[0 .. len). */
static void finish(tds_mut_bytes out, size_t len)
{
    tds_store_le32(out.ptr + MADT_OFF_LENGTH, (uint32_t)len);
    out.ptr[MADT_OFF_CHECKSUM] = 0;
    out.ptr[MADT_OFF_CHECKSUM] = mbox_madt_checksum(tds_bytes_make(out.ptr, len));
}

static bool use_x2apic(uint32_t uid, uint32_t apic_id, uint32_t flags)
{
    return (flags & MADT_BUILD_FORCE_X2APIC) != 0 || uid >= 0xFFu || apic_id >= 0xFFu;
}

tds_status mbox_madt_build_default(tds_mut_bytes out, const madt_ids *ids, const uint32_t *apic_ids,
                                   uint32_t n_cpus, uint32_t flags, const madt_wakeup *wk,
                                   size_t *out_len)
{
    if (ids == NULL || apic_ids == NULL || n_cpus == 0 || out_len == NULL ||
        !tds_bytes_valid(tds_bytes_const(out)) || (flags & ~MADT_BUILD_FORCE_X2APIC) != 0) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(mbox_madt_check_wakeup(wk));

    /* Reserve: the whole size first, so nothing is written unless it all fits. */
    size_t total = MADT_HEADER_SIZE + wakeup_size(wk);
    for (uint32_t i = 0; i < n_cpus; i++) {
        size_t e = use_x2apic(i, apic_ids[i], flags) ? MADT_X2APIC_SIZE : MADT_LAPIC_SIZE;
        TDS_TRY(tds_add_size(total, e, &total));
    }
    if (total > MADT_MAX_SIZE || total > out.len) {
        return TDS_ERR_NO_SPACE;
    }

    tds_writer w = tds_writer_make(out);
    TDS_TRY(tds_writer_put(&w, "APIC", 4));
    TDS_TRY(tds_writer_le32(&w, 0)); /* length, fixed by finish() */
    TDS_TRY(tds_writer_u8(&w, MADT_REVISION));
    TDS_TRY(tds_writer_u8(&w, 0)); /* checksum, fixed by finish() */
    TDS_TRY(tds_writer_put(&w, ids->oem_id, sizeof(ids->oem_id)));
    TDS_TRY(tds_writer_put(&w, ids->oem_table_id, sizeof(ids->oem_table_id)));
    TDS_TRY(tds_writer_le32(&w, ids->oem_revision));
    TDS_TRY(tds_writer_put(&w, ids->creator_id, sizeof(ids->creator_id)));
    TDS_TRY(tds_writer_le32(&w, ids->creator_revision));
    TDS_TRY(tds_writer_le32(&w, MADT_LAPIC_ADDR));
    TDS_TRY(tds_writer_le32(&w, MADT_FLAG_PCAT_COMPAT));
    for (uint32_t i = 0; i < n_cpus; i++) {
        uint32_t apic = apic_ids[i];
        if (use_x2apic(i, apic, flags)) {
            TDS_TRY(tds_writer_u8(&w, MADT_TYPE_X2APIC));
            TDS_TRY(tds_writer_u8(&w, MADT_X2APIC_SIZE));
            TDS_TRY(tds_writer_le16(&w, 0));
            TDS_TRY(tds_writer_le32(&w, apic));
            TDS_TRY(tds_writer_le32(&w, MADT_LAPIC_ENABLED));
            TDS_TRY(tds_writer_le32(&w, i));
        } else {
            TDS_TRY(tds_writer_u8(&w, MADT_TYPE_LAPIC));
            TDS_TRY(tds_writer_u8(&w, MADT_LAPIC_SIZE));
            TDS_TRY(tds_writer_u8(&w, (uint8_t)i));
            TDS_TRY(tds_writer_u8(&w, (uint8_t)apic));
            TDS_TRY(tds_writer_le32(&w, MADT_LAPIC_ENABLED));
        }
    }
    TDS_TRY(put_wakeup(&w, wk));
    if (tds_writer_pos(&w) != total) {
        return TDS_ERR_STATE; /* size pass and write pass disagree: a bug, never output */
    }
    finish(out, total);
    *out_len = total;
    return TDS_OK;
}

/* Validate the VMM's table and size what we keep of it (header + entries that are not wakeup). */
static tds_status vmm_scan(tds_bytes vmm, tds_bytes *table, size_t *kept)
{
    tds_cursor c = tds_cursor_make(vmm);
    tds_bytes sig;
    uint32_t len32;
    TDS_TRY(tds_cursor_take(&c, 4, &sig));
    if (memcmp(sig.ptr, "APIC", 4) != 0) {
        return TDS_ERR_MALFORMED;
    }
    TDS_TRY(tds_cursor_le32(&c, &len32));
    if (len32 < MADT_HEADER_SIZE || len32 > MADT_MAX_SIZE) {
        return TDS_ERR_MALFORMED;
    }
    if (len32 > vmm.len) {
        return TDS_ERR_TRUNCATED;
    }
    TDS_TRY(tds_bytes_sub(vmm, 0, len32, table));

    c = tds_cursor_make(*table);
    TDS_TRY(tds_cursor_skip(&c, MADT_HEADER_SIZE));
    size_t keep = MADT_HEADER_SIZE;
    while (!tds_cursor_at_end(&c)) {
        uint8_t type;
        uint8_t elen;
        TDS_TRY(tds_cursor_u8(&c, &type));
        TDS_TRY(tds_cursor_u8(&c, &elen));
        if (elen < 2u) {
            return TDS_ERR_MALFORMED;
        }
        TDS_TRY(tds_cursor_skip(&c, (size_t)elen - 2u));
        if (type != MADT_TYPE_MP_WAKEUP) {
            keep += elen; /* cannot overflow: keep <= len32 <= MADT_MAX_SIZE */
        }
    }
    *kept = keep;
    return TDS_OK;
}

tds_status mbox_madt_append_wakeup(tds_mut_bytes out, tds_bytes vmm, const madt_wakeup *wk,
                                   size_t *out_len)
{
    if (out_len == NULL || !tds_bytes_valid(vmm) || !tds_bytes_valid(tds_bytes_const(out))) {
        return TDS_ERR_INVALID_ARG;
    }
    TDS_TRY(mbox_madt_check_wakeup(wk));
    tds_bytes table;
    size_t kept;
    TDS_TRY(vmm_scan(vmm, &table, &kept));
    size_t total = kept + wakeup_size(wk);
    if (total > MADT_MAX_SIZE) {
        return TDS_ERR_NO_SPACE;
    }
    if (total > out.len) {
        return TDS_ERR_NO_SPACE;
    }
    if (tds_ranges_overlap((uint64_t)(uintptr_t)out.ptr, (uint64_t)total,
                           (uint64_t)(uintptr_t)table.ptr, (uint64_t)table.len)) {
        return TDS_ERR_INVALID_ARG;
    }

    tds_writer w = tds_writer_make(out);
    tds_cursor c = tds_cursor_make(table);
    tds_bytes part;
    TDS_TRY(tds_cursor_take(&c, MADT_HEADER_SIZE, &part));
    TDS_TRY(tds_writer_put(&w, part.ptr, part.len));
    while (!tds_cursor_at_end(&c)) {
        /* Already validated by vmm_scan; re-read through the cursor from our own view. */
        tds_bytes hdr;
        TDS_TRY(tds_cursor_take(&c, 2, &hdr));
        uint8_t type = hdr.ptr[0];
        size_t elen = hdr.ptr[1];
        if (elen < 2u) {
            return TDS_ERR_MALFORMED; /* the table changed under us: it must be private */
        }
        TDS_TRY(tds_cursor_take(&c, elen - 2u, &part));
        if (type == MADT_TYPE_MP_WAKEUP) {
            continue;
        }
        TDS_TRY(tds_writer_put(&w, hdr.ptr, 2));
        TDS_TRY(tds_writer_put(&w, part.ptr, part.len));
    }
    TDS_TRY(put_wakeup(&w, wk));
    if (tds_writer_pos(&w) != total) {
        return TDS_ERR_STATE;
    }
    finish(out, total);
    *out_len = total;
    return TDS_OK;
}
