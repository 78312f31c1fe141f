/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/* Payload section of an image file (measure_image.h). */
#include "measure_image.h"

static tds_status fail(tdvf_error *err, tds_status s, const char *what)
{
    if (err != NULL) {
        err->what = what;
        err->section = UINT32_MAX;
    }
    return s;
}

tds_status measure_image_payload(tds_bytes image, tdvf_meta *meta, const tdvf_section **sec,
                                 tdvf_payload_kind *kind, tds_bytes *bytes, tdvf_error *err)
{
    if (!tds_bytes_valid(image) || meta == NULL || sec == NULL || kind == NULL || bytes == NULL) {
        return fail(err, TDS_ERR_INVALID_ARG, "invalid argument");
    }
    /* The shim's way: both locators, agreeing on the file's size, then the shim's rules. */
    tdvf_meta m;
    const tds_status so = tdvf_open(image, TDVF_OPEN_LOCATE_BOTH, &m, err);
    if (so != TDS_OK) {
        /* TDS_ERR_NOT_FOUND means "no payload section" here: no metadata is an image error. */
        return so == TDS_ERR_NOT_FOUND ? TDS_ERR_MALFORMED : so;
    }
    const tdvf_section *p = NULL;
    tdvf_payload_kind k = TDVF_PAYLOAD_IMAGE;
    const tds_status s = tdvf_find_payload(&m, image.len, &p, &k, err);
    if (s == TDS_ERR_NOT_FOUND) {
        return fail(err, s, "the image has no payload section");
    }
    TDS_TRY(s);
    tds_bytes b = tds_bytes_make(NULL, 0);
    /* Checked by tdvf_find_payload: MemoryDataSize == RawDataSize, inside the image. */
    if (k == TDVF_PAYLOAD_IMAGE &&
        tds_bytes_sub(image, p->data_offset, (size_t)p->mem_size, &b) != TDS_OK) {
        return fail(err, TDS_ERR_OUT_OF_BOUNDS, "payload data outside the image");
    }
    *meta = m;
    *sec = &meta->sec[p - m.sec];
    *kind = k;
    *bytes = b;
    return TDS_OK;
}

tds_status measure_vmm_region(tds_bytes file, tds_mut_bytes region)
{
    if (!tds_bytes_valid(file) || !tds_bytes_valid(tds_bytes_const(region))) {
        return TDS_ERR_INVALID_ARG;
    }
    if (file.len > region.len) {
        return TDS_ERR_NO_SPACE;
    }
    if (file.len != 0) {
        memcpy(region.ptr, file.ptr, file.len);
    }
    if (region.len > file.len) {
        memset(region.ptr + file.len, 0, region.len - file.len);
    }
    return TDS_OK;
}
