/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer: arbitrary bytes as a TDVF image through both locators, the parser, every check, the
 * payload finder and the one checker the shim and the tools share (tdvf_image_size_from_top,
 * tdvf_open, tdvf_check_image).
 */
#include <stddef.h>
#include <stdint.h>

#include "tdshim/tdvf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What tdvf_check_image promises: the td-shim and layout rules hold, every CFV is a volume. */
static void check_image_oracle(const tdvf_meta *m, tds_bytes img)
{
    tdvf_error err;
    if (tdvf_check_tdshim(m, img.len, &err) != TDS_OK ||
        tdvf_check_layout(m, img.len, &err) != TDS_OK) {
        __builtin_trap();
    }
    for (uint32_t s = 0; s < m->count; s++) {
        const tdvf_section *x = &m->sec[s];
        if (x->type == TDVF_SEC_CFV &&
            ((uint64_t)x->data_offset + x->raw_size > img.len ||
             tdvf_fv_check(tds_bytes_make(img.ptr + x->data_offset, x->raw_size), &err) !=
                 TDS_OK)) {
            __builtin_trap();
        }
    }
}

/* The shared checker: the size from the top, then tdvf_open with both locators. */
static void one_checker(tds_bytes img)
{
    uint64_t isize = 0;
    tdvf_error err;
    if (tdvf_image_size_from_top(img, UINT64_MAX, &isize, &err) == TDS_OK &&
        (isize < img.len || isize > 0x100000000ull)) {
        __builtin_trap();
    }
    tdvf_meta m;
    m.count = 0xDEAD;
    const uint32_t flags[] = {TDVF_OPEN_LOCATE_BOTH, TDVF_OPEN_LOCATE_QEMU | TDVF_OPEN_QEMU_RULES,
                              TDVF_OPEN_LOCATE_TDSHIM};
    for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
        if (tdvf_open(img, flags[f], &m, &err) != TDS_OK) {
            if (m.count != 0xDEAD) {
                __builtin_trap(); /* nothing written on failure */
            }
            continue;
        }
        if (flags[f] == TDVF_OPEN_LOCATE_BOTH && isize != img.len) {
            __builtin_trap(); /* both locators: the image is exactly as large as they say */
        }
        if (tdvf_check_image(&m, img, &err) != TDS_OK) {
            __builtin_trap();
        }
        check_image_oracle(&m, img);
        m.count = 0xDEAD;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tds_bytes img = tds_bytes_make(data, size);
    one_checker(img);
    uint32_t offs[2];
    tds_status found[2] = {tdvf_locate_qemu(img, &offs[0]), tdvf_locate_tdshim(img, &offs[1])};
    for (int i = 0; i < 2; i++) {
        tdvf_meta m;
        tdvf_error err;
        if (found[i] != TDS_OK || tdvf_parse(img, offs[i], &m, &err) != TDS_OK) {
            continue;
        }
        if (m.count == 0 || m.count > TDVF_MAX_SECTIONS) {
            __builtin_trap(); /* the parser promised a bounded count */
        }
        /* Oracles: what each accepted rule set promises to its users. */
        if (tdvf_check_qemu(&m, size, &err) == TDS_OK) {
            for (uint32_t s = 0; s < m.count; s++) {
                const tdvf_section *x = &m.sec[s];
                if (x->type > TDVF_SEC_TEMP_MEM || x->mem_size < x->raw_size ||
                    (x->mem_addr & 0xFFF) != 0 ||
                    (x->type <= TDVF_SEC_CFV && (uint64_t)x->data_offset + x->mem_size > size)) {
                    __builtin_trap();
                }
            }
        }
        const tdvf_section *p = NULL;
        tdvf_payload_kind kind = (tdvf_payload_kind)0;
        const tds_status pst = tdvf_find_payload(&m, size, &p, &kind, &err);
        if (pst == TDS_OK) {
            if (p < &m.sec[0] || p >= &m.sec[m.count]) {
                __builtin_trap();
            }
            if (kind == TDVF_PAYLOAD_IMAGE) {
                /* What the shim relies on when it hashes and loads the payload in place. */
                if (p->raw_size == 0 || p->mem_size != p->raw_size ||
                    (uint64_t)p->data_offset + p->raw_size > size ||
                    (p->data_offset & 0xFFF) != 0 || (p->raw_size & 0xFFF) != 0 ||
                    p->mem_addr != 0x100000000ull - size + p->data_offset ||
                    (p->type != TDVF_SEC_BFV && p->type != TDVF_SEC_PAYLOAD)) {
                    __builtin_trap();
                }
            } else if (kind == TDVF_PAYLOAD_VMM) {
                /* What the shim relies on before it checks the region against the TD HOB. */
                if (p->type != TDVF_SEC_PAYLOAD || p->raw_size != 0 || p->data_offset != 0 ||
                    p->attributes != 0 || p->mem_size == 0 || (p->mem_addr & 0xFFF) != 0 ||
                    (p->mem_size & 0xFFF) != 0 || p->mem_addr + p->mem_size < p->mem_addr ||
                    p->mem_addr + p->mem_size > 0x100000000ull - size) {
                    __builtin_trap();
                }
                for (uint32_t s = 0; s < m.count; s++) {
                    const tdvf_section *x = &m.sec[s];
                    if (x != p && x->type != TDVF_SEC_TD_INFO && x->type != TDVF_SEC_TD_PARAMS &&
                        x->mem_size != 0 && x->mem_addr < p->mem_addr + p->mem_size &&
                        p->mem_addr < x->mem_addr + x->mem_size) {
                        __builtin_trap(); /* overlaps another section */
                    }
                }
            } else {
                __builtin_trap(); /* a kind must be given */
            }
        } else if (p != NULL || kind != 0) {
            __builtin_trap(); /* nothing written on failure */
        }
        if (tdvf_check_tdshim(&m, size, &err) == TDS_OK &&
            tdvf_check_layout(&m, size, &err) == TDS_OK) {
            if (pst != TDS_OK && pst != TDS_ERR_NOT_FOUND) {
                __builtin_trap(); /* the layout rules include the payload rules */
            }
            for (uint32_t s = 0; s < m.count; s++) {
                const tdvf_section *x = &m.sec[s];
                if ((uint64_t)x->data_offset + x->raw_size > size ||
                    (x->mem_size != 0 && x->mem_addr + (x->mem_size - 1) < x->mem_addr)) {
                    __builtin_trap();
                }
            }
        }
    }
    /* clang-analyzer takes tds_bytes_make for a va_start (no va_list exists in this file). */
    return 0; // NOLINT(clang-analyzer-valist.Unterminated)
}
