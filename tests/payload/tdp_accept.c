/* SPDX-License-Identifier: BSD-2-Clause-Patent */
#include "tdp_accept.h"

#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull

/* One 4 KiB page: TDS_OK if it was already accepted, MISMATCH if it was pending. */
static tds_status ask_4k(const tdp_accept_ops *ops, uint64_t gpa, tdp_accept_stats *st)
{
    st->calls_4k++;
    const tds_status s = ops->accept(ops->ctx, gpa, false);
    if (s == TDS_ERR_STATE) {
        return TDS_OK;
    }
    if (st->not_accepted == 0) {
        st->first_bad = gpa;
    }
    if (s == TDS_OK) {
        st->not_accepted += SZ_4K;
        return TDS_ERR_MISMATCH;
    }
    return s;
}

static tds_status ask_2m(const tdp_accept_ops *ops, uint64_t gpa, tdp_accept_stats *st)
{
    st->calls_2m++;
    const tds_status s = ops->accept(ops->ctx, gpa, true);
    if (s == TDS_ERR_STATE) {
        return TDS_OK;
    }
    if (s != TDS_OK) {
        /* SIZE_MISMATCH (4 KiB mapping or a mix underneath), or any other refusal of the 2 MiB
         * page (a module may not map the block as one page at all, e.g. where two of its ranges
         * meet): the 2 MiB question is only a shortcut, the 4 KiB answers are authoritative. */
        st->split_2m++;
        tds_status first = TDS_OK;
        for (uint64_t off = 0; off < SZ_2M; off += SZ_4K) {
            const tds_status p = ask_4k(ops, gpa + off, st);
            if (p == TDS_ERR_MISMATCH) {
                first = first == TDS_OK ? p : first;
            } else if (p != TDS_OK) {
                return p;
            }
        }
        return first;
    }
    if (st->not_accepted == 0) {
        st->first_bad = gpa;
    }
    st->not_accepted += SZ_2M; /* success: the whole 2 MiB page was pending */
    return TDS_ERR_MISMATCH;
}

static tds_status check_ram(const tdp_accept_ops *ops, uint64_t base, uint64_t size,
                            tdp_accept_stats *st)
{
    if ((base | size) % SZ_4K != 0) {
        st->first_bad = base;
        return TDS_ERR_ALIGNMENT;
    }
    tds_status first = TDS_OK;
    uint64_t cur = base;
    const uint64_t end = base + size; /* entries were checked not to wrap */
    while (cur < end) {
        const bool big = cur % SZ_2M == 0 && end - cur >= SZ_2M;
        const tds_status s = big ? ask_2m(ops, cur, st) : ask_4k(ops, cur, st);
        if (s == TDS_ERR_MISMATCH) {
            first = first == TDS_OK ? s : first; /* keep going: count every pending byte */
        } else if (s != TDS_OK) {
            return s;
        }
        cur += big ? SZ_2M : SZ_4K;
        st->ram_bytes += big ? SZ_2M : SZ_4K;
    }
    return first;
}

static tds_status check_unaccepted(const tdp_accept_ops *ops, uint64_t base, uint64_t size,
                                   tdp_accept_stats *st)
{
    if ((base | size) % SZ_4K != 0) {
        st->first_bad = base;
        return TDS_ERR_ALIGNMENT;
    }
    const uint64_t pages = size / SZ_4K;
    const uint64_t idx[3] = {0, pages / 2, pages - 1};
    tds_status first = TDS_OK;
    for (size_t i = 0; i < 3; i++) {
        if (i > 0 && idx[i] == idx[i - 1]) {
            continue; /* one- or two-page entries */
        }
        const uint64_t gpa = base + idx[i] * SZ_4K;
        bool pending = false;
        const tds_status s = ops->pending(ops->ctx, gpa, &pending);
        st->samples++;
        if (s != TDS_OK) {
            st->first_bad = gpa;
            return s;
        }
        if (pending) {
            st->samples_pending++;
        } else if (first == TDS_OK) {
            st->first_bad = gpa;
            first = TDS_ERR_MISMATCH;
        }
    }
    st->unaccepted_bytes += size;
    return first;
}

tds_status tdp_accept_check(const struct tdp_sink *sink, const tdhob_e820_entry *e, size_t n,
                            const tdp_accept_ops *ops, tdp_accept_stats *stats)
{
    if ((e == NULL && n != 0) || ops == NULL || ops->accept == NULL || ops->pending == NULL ||
        stats == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    tdp_accept_stats st = {0};
    tds_status ram = TDS_OK;
    tds_status una = TDS_OK;
    for (size_t i = 0; i < n; i++) {
        if (e[i].type == TDHOB_E820_RAM && (ram == TDS_OK || ram == TDS_ERR_MISMATCH)) {
            const tds_status s = check_ram(ops, e[i].addr, e[i].size, &st);
            ram = ram == TDS_OK ? s : (s == TDS_OK || s == TDS_ERR_MISMATCH ? ram : s);
        } else if (e[i].type == TDHOB_E820_UNACCEPTED && una == TDS_OK) {
            una = check_unaccepted(ops, e[i].addr, e[i].size, &st);
        }
    }
    struct tdp_line l;
    tdp_line_start(&l, "accept ram bytes=");
    tdp_line_hex(&l, st.ram_bytes);
    tdp_line_str(&l, " calls 2m=");
    tdp_line_dec(&l, st.calls_2m);
    tdp_line_str(&l, " 4k=");
    tdp_line_dec(&l, st.calls_4k);
    tdp_line_str(&l, " split=");
    tdp_line_dec(&l, st.split_2m);
    tdp_line_str(&l, " not_accepted=");
    tdp_line_hex(&l, st.not_accepted);
    tdp_line_str(&l, ram == TDS_OK ? " ok" : " FAIL ");
    if (ram != TDS_OK) {
        tdp_line_str(&l, tds_status_str(ram));
        tdp_line_str(&l, " first=");
        tdp_line_hex(&l, st.first_bad);
    }
    tdp_line_emit(sink, &l);
    tdp_line_start(&l, "accept unaccepted bytes=");
    tdp_line_hex(&l, st.unaccepted_bytes);
    tdp_line_str(&l, " samples=");
    tdp_line_dec(&l, st.samples);
    tdp_line_str(&l, " pending=");
    tdp_line_dec(&l, st.samples_pending);
    tdp_line_str(&l, una == TDS_OK ? " ok" : " FAIL ");
    if (una != TDS_OK) {
        tdp_line_str(&l, tds_status_str(una));
        tdp_line_str(&l, " at=");
        tdp_line_hex(&l, st.first_bad);
    }
    tdp_line_emit(sink, &l);
    *stats = st;
    return ram != TDS_OK ? ram : una;
}
