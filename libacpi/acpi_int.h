/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* libacpi internals shared by its source files. */
#ifndef TDSHIM_LIBACPI_INT_H
#define TDSHIM_LIBACPI_INT_H

#include "tdshim/acpi.h"

/* Internal to the library: hidden, so that the shipped archive localises it (docs/symbols.md). */
#pragma GCC visibility push(hidden)

/* Write a refusal into err (which may be NULL). */
void acpi_record(acpi_error *err, acpi_reason r, tds_status s, uint32_t index, uint64_t addr);

/* Record a refusal with an explicit status (an op's own error) and return it; never TDS_OK
 * (visibly so, for the callers' flow and for the static analysers). */
static inline tds_status acpi_fail_status(acpi_error *err, acpi_reason r, tds_status s,
                                          uint32_t index, uint64_t addr)
{
    if (s == TDS_OK) {
        s = TDS_ERR_STATE;
    }
    acpi_record(err, r, s, index, addr);
    return s;
}

/* Record a refusal with its reason's status and return that status (never TDS_OK). */
static inline tds_status acpi_fail(acpi_error *err, acpi_reason r, uint32_t index, uint64_t addr)
{
    return acpi_fail_status(err, r, acpi_reason_status(r), index, addr);
}
/* Record success (and start every entry point with it). */
void acpi_ok(acpi_error *err);

/* Do the 4 bytes at p equal sig (4 characters)? */
bool acpi_sig_eq(const uint8_t *p, const char *sig);

/* Is the space well-formed (non-NULL regions, each a valid slice that does not wrap)? */
bool acpi_space_valid(const acpi_space *s);

/*
 * Check the table at addr: header mapped, signature sig (when not NULL), Length >= max(36,
 * min_len), the whole table inside one region, checksum zero. Errors carry index and addr.
 */
TDS_MUST_USE tds_status acpi_table_at(const acpi_space *s, uint64_t addr, const char *sig,
                                      uint32_t min_len, acpi_table_ref *out, acpi_error *err,
                                      uint32_t index);

/* A guest range. */
typedef struct acpi_range {
    uint64_t addr;
    uint64_t len;
} acpi_range;

/* A list of table addresses: entry i of n through get(ctx, i). */
typedef tds_status (*acpi_entry_fn)(const void *ctx, uint32_t i, uint64_t *addr);
typedef struct acpi_list {
    const acpi_space *s;
    acpi_entry_fn get;
    const void *ctx;
    uint32_t n;
} acpi_list;

/*
 * Check a list as a root table's entries (docs/libacpi.md "Tables"): each entry non-zero and a
 * valid table, not an RSDT/XSDT, listed once, at most one FADT; the FADT's DSDT and FACS; no
 * overlap among all these and the `extra` ranges (the RSDP, the root tables). Fills count,
 * fadt_addr, dsdt_addr, facs_addr of t (and nothing else).
 */
TDS_MUST_USE tds_status acpi_check_entries(const acpi_list *l, const acpi_range *extra,
                                           size_t n_extra, acpi_tables *t, acpi_error *err);

/*
 * Range k of a checked list: k < n entry k, k == n the DSDT, k == n + 1 the FACS ({0, 0} when
 * absent); t holds the list's DSDT / FACS addresses (from acpi_check_entries).
 */
TDS_MUST_USE tds_status acpi_list_range(const acpi_list *l, const acpi_tables *t, uint32_t k,
                                        acpi_range *out);

/* The root-table entry getter over opened tables (ctx is the acpi_tables). */
tds_status acpi_root_entry(const void *ctx, uint32_t i, uint64_t *addr);

/* Write the 36-byte header (checksum byte 0) at p. */
void acpi_put_header(uint8_t *p, const char *sig, uint32_t length, uint8_t revision,
                     const acpi_ids *ids);

/* Set byte p[at] so that p[0 .. len) sums to zero. */
void acpi_fix_checksum(uint8_t *p, size_t len, size_t at);

#pragma GCC visibility pop

#endif /* TDSHIM_LIBACPI_INT_H */
