/* SPDX-License-Identifier: BSD-2-Clause-Patent */
/*
 * Test fixtures for libtdhob, written without the library: a raw byte assembler, byte-exact
 * vectors rebuilt from the reference descriptions (QEMU hw/i386/tdvf-hob.c, td-shim tests), and the
 * hostile-HOB table. Shared by the unit tests, the seed generator and the tool tests.
 */
#ifndef TESTS_TDHOB_FIXTURES_H
#define TESTS_TDHOB_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "tdshim/tdhob.h"

/* ---- raw assembler (no validation, explicit byte offsets per PiHob.h) ---- */
typedef struct hb {
    uint8_t *buf;
    size_t cap;
    size_t len;
} hb;

void hb_init(hb *h, uint8_t *buf, size_t cap);
void hb_u8(hb *h, uint8_t v);
void hb_u16(hb *h, uint16_t v);
void hb_u32(hb *h, uint32_t v);
void hb_u64(hb *h, uint64_t v);
void hb_zero(hb *h, size_t n);
void hb_bytes(hb *h, const void *p, size_t n);
size_t hb_hdr(hb *h, uint16_t type, uint16_t len, uint32_t reserved);
/* PHIT with QEMU's values (version 9, boot mode 0, memory fields 0), end patched later. */
size_t hb_phit(hb *h);
size_t hb_res(hb *h, uint32_t type, uint32_t attr, uint64_t start, uint64_t len);
size_t hb_memalloc(hb *h, uint64_t base, uint64_t len, uint32_t mtype);
size_t hb_guid(hb *h, const tds_guid *g, const void *data, size_t n); /* pads to 8 */
size_t hb_cpu(hb *h, uint8_t mem, uint8_t io);
size_t hb_fv(hb *h, uint64_t base, uint64_t len);
size_t hb_end(hb *h);
/* PHIT at offset 0: EfiEndOfHobList = gpa + h->len. */
void hb_patch_end(hb *h, uint64_t gpa);
void hb_put64(hb *h, size_t off, uint64_t v);
void hb_put32(hb *h, size_t off, uint32_t v);
void hb_put16(hb *h, size_t off, uint16_t v);

/* ---- byte-exact vectors ---- */
typedef struct hob_vector {
    const char *name;
    const uint8_t *bytes;
    size_t len;
    uint64_t gpa;
} hob_vector;

extern const hob_vector k_vec_qemu_2g;   /* QEMU tdvf-hob.c, 2 GiB, 3 added ranges */
extern const hob_vector k_vec_qemu_8g;   /* QEMU tdvf-hob.c, 8 GiB: 2 GiB low + 6 GiB high */
extern const hob_vector k_vec_legacy_2g; /* td-shim fuzz seed hob_buffer, legacy convention */

/* ---- hostile HOBs ---- */
#define HOSTILE_GPA 0x800000ull

typedef struct hostile_case {
    const char *name;
    /* Builds the bytes into buf (cap >= 4096) and may adjust cfg (pre-set: HOSTILE_GPA, GPAW 48,
     * AUTO, a scratch of FX_SCRATCH_CAP entries). Returns the length. */
    size_t (*build)(uint8_t *buf, size_t cap, tdhob_config *cfg);
    tds_status status;
    tdhob_reason reason;
    size_t hob_offset;
    size_t field_offset;
} hostile_case;

extern const hostile_case k_hostile[];
/* Sort scratch large enough for any test HOB up to 4 KiB (the hostile buffers). A view borrows
 * the scratch it was validated with: each test file owns its arrays. */
#define FX_SCRATCH_CAP TDHOB_SCRATCH_ENTRIES(4096)

extern const size_t k_hostile_count;
const hostile_case *hostile_find(const char *name);

/* A valid HOB carrying every accepted type (for round trips and seeds). */
size_t fixture_all_types(uint8_t *buf, size_t cap, uint64_t gpa);

#endif
