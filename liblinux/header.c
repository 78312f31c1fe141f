/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * The bzImage setup header (boot.rst "The real-mode kernel header", "Details of header fields";
 * bootparam.h struct setup_header). Untrusted: every byte is read through a tds_cursor and every
 * number is checked before it is used.
 */
#include "linux_int.h"

/* Little-endian read of n (1, 2, 4 or 8) bytes at an absolute offset (bounds-checked). */
static tds_status rd(tds_bytes b, uint32_t off, size_t n, uint64_t *out)
{
    tds_cursor c = tds_cursor_make(b);
    tds_bytes f;
    if (tds_cursor_seek(&c, off) != TDS_OK || tds_cursor_take(&c, n, &f) != TDS_OK) {
        return TDS_ERR_TRUNCATED;
    }
    uint64_t v = 0;
    for (size_t i = n; i > 0; i--) {
        v = (v << 8) | f.ptr[i - 1];
    }
    *out = v;
    return TDS_OK;
}

/* Read field `off` of width `n`; a short buffer is SETUP_TRUNCATED at the first missing byte. */
static tds_status field(tds_bytes setup, uint32_t off, size_t n, uint64_t *out, lnx_error *err)
{
    if (rd(setup, off, n, out) != TDS_OK) {
        (void)lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)setup.len);
        return TDS_ERR_TRUNCATED;
    }
    return TDS_OK;
}

bool lnx_header_sane(const lnx_header *h)
{
    return h->hdr_end >= LNX_HDR_MIN_END && h->hdr_end <= LNX_HDR_MAX_END &&
           tds_is_pow2_u64(h->kernel_alignment) && h->kernel_alignment >= LNX_KERNEL_ALIGN_MIN &&
           h->kernel_alignment <= LNX_KERNEL_ALIGN_MAX && h->init_size != 0 &&
           h->kernel_size > LNX_ENTRY64_OFFSET && h->kernel_size <= h->init_size &&
           tds_is_aligned_u64(h->pref_address, h->kernel_alignment) &&
           h->pref_address <= UINT64_MAX - (h->init_size - 1u) &&
           (h->xloadflags & LNX_XLF_KERNEL_64) != 0;
}

/* Everything the boot protocol says about where the file's fields are and what they may hold. */
static tds_status parse(tds_bytes setup, uint64_t kernel_size, lnx_header *h, lnx_error *err)
{
    uint64_t v;
    TDS_TRY(field(setup, LNX_OFF_BOOT_FLAG, 2, &v, err));
    if (v != LNX_BOOT_FLAG) {
        return lnx_fail(err, LNX_R_BOOT_FLAG, LNX_OFF_BOOT_FLAG);
    }
    TDS_TRY(field(setup, LNX_OFF_HEADER, 4, &v, err));
    if (v != LNX_HDRS_MAGIC) {
        return lnx_fail(err, LNX_R_MAGIC, LNX_OFF_HEADER);
    }
    TDS_TRY(field(setup, LNX_OFF_VERSION, 2, &v, err));
    if (v < LNX_MIN_VERSION) {
        return lnx_fail(err, LNX_R_VERSION, LNX_OFF_VERSION);
    }
    h->version = (uint16_t)v;
    /* boot.rst "jump": 0xEB and a signed offset relative to 0x202, which gives the header size. */
    TDS_TRY(field(setup, LNX_OFF_JUMP, 1, &v, err));
    if (v != LNX_JUMP_OPCODE) {
        return lnx_fail(err, LNX_R_HDR_JUMP, LNX_OFF_JUMP);
    }
    TDS_TRY(field(setup, LNX_OFF_JUMP + 1u, 1, &v, err));
    uint32_t hdr_end = LNX_OFF_HEADER + (uint32_t)v;
    if (hdr_end < LNX_HDR_MIN_END || hdr_end > LNX_HDR_MAX_END) {
        return lnx_fail(err, LNX_R_HDR_LENGTH, LNX_OFF_JUMP + 1u);
    }
    if (setup.len < hdr_end) {
        return lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)setup.len);
    }
    h->hdr_end = hdr_end;

    /* QEMU x86_load_linux: setup_size = (setup_sects + 1) * 512, setup_sects 0 meaning 4. */
    TDS_TRY(field(setup, LNX_OFF_SETUP_SECTS, 1, &v, err));
    h->setup_sects = v == 0 ? 4u : (uint32_t)v;
    h->setup_size = (h->setup_sects + 1u) * LNX_SECTOR_SIZE; /* <= 256 * 512 */
    if ((uint64_t)setup.len != h->setup_size) {
        return lnx_fail(err, LNX_R_SETUP_SECTS, LNX_OFF_SETUP_SECTS);
    }

    TDS_TRY(field(setup, LNX_OFF_LOADFLAGS, 1, &v, err));
    h->loadflags = (uint8_t)v;
    if ((h->loadflags & LNX_LF_LOADED_HIGH) == 0) {
        return lnx_fail(err, LNX_R_NOT_BZIMAGE, LNX_OFF_LOADFLAGS);
    }
    TDS_TRY(field(setup, LNX_OFF_XLOADFLAGS, 2, &v, err));
    h->xloadflags = (uint16_t)v;
    if ((h->xloadflags & LNX_XLF_KERNEL_64) == 0) {
        return lnx_fail(err, LNX_R_NO_KERNEL_64, LNX_OFF_XLOADFLAGS);
    }
    TDS_TRY(field(setup, LNX_OFF_KERNEL_ALIGNMENT, 4, &v, err));
    if (!tds_is_pow2_u64(v) || v < LNX_KERNEL_ALIGN_MIN || v > LNX_KERNEL_ALIGN_MAX) {
        return lnx_fail(err, LNX_R_KERNEL_ALIGNMENT, LNX_OFF_KERNEL_ALIGNMENT);
    }
    h->kernel_alignment = (uint32_t)v;
    /* min_alignment (2.10+): log2 of the alignment the kernel needs; 0 = not given. */
    TDS_TRY(field(setup, LNX_OFF_MIN_ALIGNMENT, 1, &v, err));
    if (v != 0 && (v >= 32 || (1ull << v) > h->kernel_alignment)) {
        return lnx_fail(err, LNX_R_MIN_ALIGNMENT, LNX_OFF_MIN_ALIGNMENT);
    }
    h->min_alignment = (uint8_t)v;
    TDS_TRY(field(setup, LNX_OFF_RELOCATABLE, 1, &v, err));
    h->relocatable = v != 0;
    TDS_TRY(field(setup, LNX_OFF_INIT_SIZE, 4, &v, err));
    if (v == 0) {
        return lnx_fail(err, LNX_R_INIT_SIZE, LNX_OFF_INIT_SIZE);
    }
    h->init_size = (uint32_t)v;
    /* LOAD_PHYSICAL_ADDR is aligned to PHYSICAL_ALIGN by construction; its window must exist. */
    TDS_TRY(field(setup, LNX_OFF_PREF_ADDRESS, 8, &v, err));
    uint64_t last;
    if (!tds_is_aligned_u64(v, h->kernel_alignment) ||
        tds_range_last(v, h->init_size, &last) != TDS_OK) {
        return lnx_fail(err, LNX_R_PREF_ADDRESS, LNX_OFF_PREF_ADDRESS);
    }
    h->pref_address = v;

    /* The protected-mode kernel: it holds the 64-bit entry, all syssize paragraphs, and fits
     * in its own init_size window (it is loaded at the runtime start). */
    if (kernel_size <= LNX_ENTRY64_OFFSET) {
        return lnx_fail(err, LNX_R_KERNEL_TOO_SMALL, (uint64_t)h->setup_size + LNX_ENTRY64_OFFSET);
    }
    TDS_TRY(field(setup, LNX_OFF_SYSSIZE, 4, &v, err));
    h->syssize = (uint32_t)v;
    if (kernel_size < v * 16u) { /* v < 2^32: no overflow */
        return lnx_fail(err, LNX_R_KERNEL_TRUNCATED, LNX_OFF_SYSSIZE);
    }
    if (kernel_size > h->init_size) {
        return lnx_fail(err, LNX_R_KERNEL_TOO_BIG, LNX_OFF_INIT_SIZE);
    }
    h->kernel_size = kernel_size;

    TDS_TRY(field(setup, LNX_OFF_INITRD_ADDR_MAX, 4, &v, err));
    h->initrd_addr_max = (uint32_t)v;
    TDS_TRY(field(setup, LNX_OFF_CMDLINE_SIZE, 4, &v, err));
    h->cmdline_size = (uint32_t)v;

    /* The copy the builder uses: the setup bytes are not read again. */
    tds_cursor c = tds_cursor_make(setup);
    if (tds_cursor_seek(&c, LNX_HDR_OFFSET) != TDS_OK ||
        tds_cursor_copy(&c, h->raw, hdr_end - LNX_HDR_OFFSET) != TDS_OK) {
        return lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)setup.len);
    }
    return TDS_OK;
}

tds_status lnx_parse_header(tds_bytes setup, uint64_t kernel_size, lnx_header *out, lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (out == NULL || !tds_bytes_valid(setup)) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    lnx_header h;
    memset(&h, 0, sizeof h);
    TDS_TRY(parse(setup, kernel_size, &h, err));
    *out = h;
    return lnx_ok(err);
}

tds_status lnx_split_bzimage(tds_bytes file, tds_bytes *setup, tds_bytes *kernel, lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (setup == NULL || kernel == NULL || !tds_bytes_valid(file)) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    uint64_t v;
    TDS_TRY(field(file, LNX_OFF_SETUP_SECTS, 1, &v, err));
    size_t setup_size = ((v == 0 ? 4u : (size_t)v) + 1u) * LNX_SECTOR_SIZE;
    if (file.len < setup_size) {
        return lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)file.len);
    }
    if (file.len == setup_size) {
        return lnx_fail(err, LNX_R_KERNEL_TOO_SMALL, (uint64_t)setup_size);
    }
    tds_bytes s, k;
    if (tds_bytes_sub(file, 0, setup_size, &s) != TDS_OK ||
        tds_bytes_sub(file, setup_size, file.len - setup_size, &k) != TDS_OK) {
        return lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)file.len);
    }
    *setup = s;
    *kernel = k;
    return lnx_ok(err);
}

/* The loader-owned header fields (linux_boot.h lnx_measured_form): offset, size. */
static const struct {
    uint16_t off;
    uint8_t len;
} lnx_loader_fields[] = {
    {LNX_OFF_VID_MODE, 2},      {LNX_OFF_TYPE_OF_LOADER, 2}, {LNX_OFF_CODE32_START, 4},
    {LNX_OFF_RAMDISK_IMAGE, 8}, {LNX_OFF_HEAP_END_PTR, 4},   {LNX_OFF_CMD_LINE_PTR, 4},
    {LNX_OFF_SETUP_DATA, 8},
};

tds_status lnx_measured_form(tds_mut_bytes setup, lnx_error *err)
{
    if (err == NULL) {
        return TDS_ERR_INVALID_ARG;
    }
    if (!tds_bytes_valid(tds_bytes_const(setup))) {
        return lnx_fail(err, LNX_R_BAD_ARG, 0);
    }
    if (setup.len < LNX_OFF_SETUP_DATA + 8u) {
        return lnx_fail(err, LNX_R_SETUP_TRUNCATED, (uint64_t)setup.len);
    }
    for (size_t i = 0; i < TDS_ARRAY_LEN(lnx_loader_fields); i++) {
        memset(setup.ptr + lnx_loader_fields[i].off, 0, lnx_loader_fields[i].len);
    }
    return lnx_ok(err);
}
