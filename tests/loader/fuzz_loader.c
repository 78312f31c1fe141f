/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * libFuzzer target for the payload loader: FUZZ_FORMAT=1 forces the ELF64 parser, 2 the PE32+
 * parser. Seeds: tests/loader/seeds/{elf,pe}/. Checks the invariants of a successful load and
 * that a failed load wrote nothing.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tdshim/loader.h"

#define DEST_LEN 0x10000u
#define FILL 0xa5u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t g_dest[DEST_LEN];
static uint8_t g_fill[DEST_LEN]; /* all FILL: compared with memcmp (an instrumented loop is slow) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The last byte picks one of two bases, so relocation arithmetic near 2^64 is exercised. */
    uint64_t base = 0x100000;
    if (size > 0 && (data[size - 1] & 1) != 0) {
        base = 0xffffffffffff0000ull;
    }
    if (g_fill[0] != FILL) {
        memset(g_fill, FILL, sizeof g_fill);
    }
    memset(g_dest, FILL, sizeof g_dest);
    ldr_result r;
    ldr_error e;
    tds_bytes img = tds_bytes_make(data, size);
    tds_mut_bytes dest = tds_mut_bytes_make(g_dest, sizeof g_dest);
#if FUZZ_FORMAT == 1
    tds_status s = ldr_load_elf(img, dest, base, &r, &e);
#else
    tds_status s = ldr_load_pe(img, dest, base, &r, &e);
#endif
    if (s != ldr_reason_status(e.reason)) {
        __builtin_trap();
    }
    if (s != TDS_OK) {
        if (memcmp(g_dest, g_fill, sizeof g_dest) != 0) {
            __builtin_trap();
        }
        return 0;
    }
    if (r.load_base != base || r.load_size == 0 || r.load_size > DEST_LEN || r.entry < base ||
        r.entry - base >= r.load_size || r.measured.ptr != data || r.measured.len != size ||
        r.segment_count == 0 || r.segment_count > LDR_MAX_SEGMENTS) {
        __builtin_trap();
    }
    bool entry_in_x = false;
    for (uint32_t i = 0; i < r.segment_count; i++) {
        const ldr_segment *sg = &r.segments[i];
        if (sg->addr < base || sg->size == 0 || sg->addr - base > r.load_size ||
            sg->size > r.load_size - (sg->addr - base)) {
            __builtin_trap();
        }
        if ((sg->flags & LDR_SEG_X) != 0 && r.entry >= sg->addr && r.entry - sg->addr < sg->size) {
            entry_in_x = true;
        }
    }
    if (!entry_in_x) {
        __builtin_trap();
    }
    size_t used = (size_t)r.load_size;
    if (memcmp(g_dest + used, g_fill, sizeof g_dest - used) != 0) {
        __builtin_trap();
    }
    return 0;
}
