/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Reference MRTD (TDX module source tdh_mem_page_add.c and tdh_mr_extend.c (MRTD)). SHA-384 from
 * mbedTLS (tdshim_crypto). */
#include "mrtd.h"

#include <mbedtls/sha512.h>

static tds_status fail(tdvf_error *err, tds_status s, const char *what, uint32_t section)
{
    if (err != NULL) {
        err->what = what;
        err->section = section;
    }
    return s;
}

void mrtd_block(uint8_t block[MRTD_BLOCK], const char *op, uint64_t gpa)
{
    memset(block, 0, MRTD_BLOCK);
    size_t n = strlen(op);
    memcpy(block, op, n < 16 ? n : 16);
    tds_store_le64(block + 16, gpa);
}

static tds_status check_section(const tdvf_section *s, tds_bytes image, uint32_t i, tdvf_error *err)
{
    uint64_t end;
    if (!tds_is_aligned_u64(s->mem_addr, TDVF_PAGE) ||
        !tds_is_aligned_u64(s->mem_size, TDVF_PAGE)) {
        return fail(err, TDS_ERR_ALIGNMENT, "memory range not 4 KiB aligned", i);
    }
    if (tds_range_end(s->mem_addr, s->mem_size, &end) != TDS_OK) {
        return fail(err, TDS_ERR_OVERFLOW, "memory range wraps", i);
    }
    if (end > TDVF_MAX_GPA) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "memory range ends above 2^51", i);
    }
    if ((s->attributes & TDVF_ATTR_MR_EXTEND) != 0) {
        if (s->mem_size != s->raw_size) {
            return fail(err, TDS_ERR_UNSUPPORTED, "MR.EXTEND section with mem size != raw size", i);
        }
        if (!tds_range_contains(0, image.len, s->data_offset, s->raw_size)) {
            return fail(err, TDS_ERR_OUT_OF_BOUNDS, "MR.EXTEND data outside the image", i);
        }
    }
    return TDS_OK;
}

static int hash_pages(mbedtls_sha512_context *sha, const tdvf_section *s, tds_bytes image)
{
    uint8_t block[MRTD_BLOCK];
    const uint64_t pages = s->mem_size / TDVF_PAGE;
    const bool extend = (s->attributes & TDVF_ATTR_MR_EXTEND) != 0;
    int rc = 0;
    for (uint64_t p = 0; p < pages && rc == 0; p++) {
        const uint64_t gpa = s->mem_addr + p * TDVF_PAGE;
        mrtd_block(block, "MEM.PAGE.ADD", gpa);
        rc = mbedtls_sha512_update_ret(sha, block, sizeof block);
        for (uint32_t c = 0; extend && c < TDVF_PAGE / MRTD_CHUNK && rc == 0; c++) {
            /* Bounds proven by check_section: data_offset + mem_size <= image.len. */
            const size_t off =
                (size_t)s->data_offset + (size_t)(p * TDVF_PAGE) + (size_t)c * MRTD_CHUNK;
            mrtd_block(block, "MR.EXTEND", gpa + (uint64_t)c * MRTD_CHUNK);
            rc = mbedtls_sha512_update_ret(sha, block, sizeof block);
            if (rc == 0) {
                rc = mbedtls_sha512_update_ret(sha, image.ptr + off, MRTD_CHUNK);
            }
        }
    }
    return rc;
}

tds_status mrtd_compute(const tdvf_meta *m, tds_bytes image, uint8_t out[MRTD_SIZE],
                        tdvf_error *err)
{
    if (m == NULL || out == NULL || m->count > TDVF_MAX_SECTIONS || !tds_bytes_valid(image)) {
        return TDS_ERR_INVALID_ARG;
    }
    /* The work is one SHA-384 block per added page: bounded here whatever checks the caller ran
     * (tdvf_check_layout has the same bounds), so a corrupted size is an error, not hours. */
    uint64_t added = 0;
    for (uint32_t i = 0; i < m->count; i++) {
        if ((m->sec[i].attributes & TDVF_ATTR_PAGE_AUG) == 0) {
            TDS_TRY(check_section(&m->sec[i], image, i, err));
            /* No overflow: check_section bounds each size below 2^51, at most 32 sections. */
            added += m->sec[i].mem_size;
            if (added > TDVF_MAX_ADDED_BYTES) {
                return fail(err, TDS_ERR_OUT_OF_BOUNDS,
                            "sections the VMM adds total more than 64 GiB", i);
            }
        }
    }
    mbedtls_sha512_context sha;
    uint8_t digest[64];
    mbedtls_sha512_init(&sha);
    int rc = mbedtls_sha512_starts_ret(&sha, 1 /* SHA-384 */);
    for (uint32_t i = 0; i < m->count && rc == 0; i++) {
        if ((m->sec[i].attributes & TDVF_ATTR_PAGE_AUG) == 0) {
            rc = hash_pages(&sha, &m->sec[i], image);
        }
    }
    if (rc == 0) {
        rc = mbedtls_sha512_finish_ret(&sha, digest);
    }
    mbedtls_sha512_free(&sha);
    if (rc != 0) {
        return fail(err, TDS_ERR_DEVICE, "SHA-384 failed", UINT32_MAX);
    }
    memcpy(out, digest, MRTD_SIZE);
    return TDS_OK;
}
