/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* CCEL ACPI table (ACPI 6.5 CCEL table; td-shim doc/tdshim_spec.md): build, and validate an
 * untrusted one. */
#include "tdshim/ccel.h"

static const uint8_t ccel_sig[4] = {'C', 'C', 'E', 'L'};

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++) {
        s = (uint8_t)(s + p[i]);
    }
    return s;
}

tds_status ccel_acpi_build(const ccel_acpi *t, tds_mut_bytes out)
{
    if (t == NULL || !tds_bytes_valid(tds_bytes_const(out))) {
        return TDS_ERR_INVALID_ARG;
    }
    if (out.len < CCEL_ACPI_SIZE) {
        return TDS_ERR_NO_SPACE;
    }
    uint8_t tbl[CCEL_ACPI_SIZE];
    memset(tbl, 0, sizeof tbl);
    memcpy(tbl + 0, ccel_sig, 4);
    tds_store_le32(tbl + 4, CCEL_ACPI_SIZE);
    tbl[8] = CCEL_ACPI_REVISION;
    /* tbl[9] checksum below */
    memcpy(tbl + 10, t->oem_id, 6);
    memcpy(tbl + 16, t->oem_table_id, 8);
    tds_store_le32(tbl + 24, t->oem_revision);
    tds_store_le32(tbl + 28, t->creator_id);
    tds_store_le32(tbl + 32, t->creator_revision);
    tbl[36] = t->cc_type;
    tbl[37] = t->cc_subtype;
    /* 38..39 reserved, zero */
    tds_store_le64(tbl + 40, t->laml);
    tds_store_le64(tbl + 48, t->lasa);
    tbl[9] = (uint8_t)(0u - sum8(tbl, sizeof tbl));
    memcpy(out.ptr, tbl, sizeof tbl);
    return TDS_OK;
}

static tds_status refuse(ccel_acpi_error *err, tds_status s, const char *what, size_t offset)
{
    if (err != NULL) {
        err->what = what;
        err->offset = (uint32_t)offset;
    }
    return s;
}

tds_status ccel_acpi_parse(tds_bytes in, ccel_acpi *out, ccel_acpi_error *err)
{
    if (out == NULL || !tds_bytes_valid(in)) {
        return refuse(err, TDS_ERR_INVALID_ARG, "invalid argument", 0);
    }
    uint8_t tbl[CCEL_ACPI_SIZE];
    if (in.len < 8) {
        return refuse(err, TDS_ERR_TRUNCATED, "table shorter than 56 bytes", in.len);
    }
    memcpy(tbl, in.ptr, 8); /* signature and length first */
    if (memcmp(tbl, ccel_sig, 4) != 0) {
        return refuse(err, TDS_ERR_MALFORMED, "Signature is not 'CCEL'", 0);
    }
    if (tds_load_le32(tbl + 4) != CCEL_ACPI_SIZE) {
        return refuse(err, TDS_ERR_MALFORMED, "Length is not 56", 4);
    }
    if (in.len < CCEL_ACPI_SIZE) {
        return refuse(err, TDS_ERR_TRUNCATED, "table shorter than 56 bytes", in.len);
    }
    memcpy(tbl, in.ptr, CCEL_ACPI_SIZE);
    if (tbl[8] != CCEL_ACPI_REVISION) {
        return refuse(err, TDS_ERR_MALFORMED, "Revision is not 1", 8);
    }
    if (sum8(tbl, sizeof tbl) != 0) {
        return refuse(err, TDS_ERR_MALFORMED, "Checksum does not make the table sum to 0", 9);
    }
    if (tbl[38] != 0 || tbl[39] != 0) {
        return refuse(err, TDS_ERR_MALFORMED, "Reserved bytes are not zero", 38);
    }
    ccel_acpi t;
    memcpy(t.oem_id, tbl + 10, 6);
    memcpy(t.oem_table_id, tbl + 16, 8);
    t.oem_revision = tds_load_le32(tbl + 24);
    t.creator_id = tds_load_le32(tbl + 28);
    t.creator_revision = tds_load_le32(tbl + 32);
    t.cc_type = tbl[36];
    t.cc_subtype = tbl[37];
    t.laml = tds_load_le64(tbl + 40);
    t.lasa = tds_load_le64(tbl + 48);
    uint64_t end;
    if (t.laml == 0) {
        return refuse(err, TDS_ERR_MALFORMED, "LAML (log area minimum length) is 0", 40);
    }
    if (tds_range_end(t.lasa, t.laml, &end) != TDS_OK) {
        return refuse(err, TDS_ERR_OVERFLOW, "LASA + LAML wraps past 2^64", 48);
    }
    *out = t;
    return refuse(err, TDS_OK, "", 0);
}
